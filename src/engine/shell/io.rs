//! File descriptors of the simulated processes: where each descriptor's bytes go (the
//! build log, a pipe buffer, a file, nowhere) or come from. Pipelines run their stages
//! one after another, so a pipe is simply a buffer handed from one stage to the next.
//!
//! Invariant: stream data may carry a count of bytes whose content is unknown (a download
//! piped into `tar`); such bytes are counted, never allocated.

use std::cell::RefCell;
use std::rc::Rc;

/// Which build-log stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Bytes flowing through a pipe or read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamData {
    pub bytes: Vec<u8>,
    /// Bytes of unknown content that follow `bytes`.
    pub unknown: u64,
}

impl StreamData {
    pub fn known(bytes: Vec<u8>) -> Self {
        StreamData { bytes, unknown: 0 }
    }
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64 + self.unknown
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn is_known(&self) -> bool {
        self.unknown == 0
    }
}

/// A readable stream with a cursor (shared so `read` in a loop consumes it).
#[derive(Debug, Default)]
pub struct Input {
    pub data: StreamData,
    pub pos: usize,
}

impl Input {
    pub fn new(data: StreamData) -> Rc<RefCell<Input>> {
        Rc::new(RefCell::new(Input { data, pos: 0 }))
    }

    /// The rest of the stream; the cursor moves to the end.
    pub fn take_rest(&mut self) -> StreamData {
        let start = self.pos.min(self.data.bytes.len());
        let bytes = self.data.bytes[start..].to_vec();
        self.pos = self.data.bytes.len();
        let unknown = std::mem::take(&mut self.data.unknown);
        StreamData { bytes, unknown }
    }

    /// One line without its newline; `None` at end of input. The flag says whether a
    /// newline ended it.
    pub fn read_line(&mut self) -> Option<(Vec<u8>, bool)> {
        let rest = self.data.bytes.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        match rest.iter().position(|&c| c == b'\n') {
            Some(i) => {
                let line = rest[..i].to_vec();
                self.pos += i + 1;
                Some((line, true))
            }
            None => {
                let line = rest.to_vec();
                self.pos = self.data.bytes.len();
                Some((line, false))
            }
        }
    }
}

/// A pipe's or command substitution's collected output.
pub type Buffer = Rc<RefCell<StreamData>>;

#[derive(Debug, Clone)]
pub enum Fd {
    Log(Stream),
    Pipe(Buffer),
    /// A file opened for writing (already created/truncated); writes append.
    File(String),
    Null,
    Input(Rc<RefCell<Input>>),
}

/// Descriptors 0–9 (and beyond if a script asks).
#[derive(Debug, Clone)]
pub struct FdTable {
    fds: Vec<Option<Fd>>,
}

impl FdTable {
    /// stdin empty, stdout and stderr to the build log.
    pub fn standard(stdin: StreamData) -> Self {
        FdTable {
            fds: vec![
                Some(Fd::Input(Input::new(stdin))),
                Some(Fd::Log(Stream::Stdout)),
                Some(Fd::Log(Stream::Stderr)),
            ],
        }
    }

    pub fn get(&self, fd: u32) -> Option<&Fd> {
        self.fds.get(fd as usize).and_then(|f| f.as_ref())
    }

    pub fn set(&mut self, fd: u32, value: Option<Fd>) {
        let i = fd as usize;
        if i >= self.fds.len() {
            if i > 255 {
                return;
            }
            self.fds.resize(i + 1, None);
        }
        self.fds[i] = value;
    }
}
