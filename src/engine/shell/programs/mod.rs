//! Simulated programs: a name → handler registry and the [`ProgramCtx`] a handler gets
//! (arguments, stdin/stdout/stderr, the permission-checked filesystem, the process
//! environment and a way to run other commands). New programs — package managers,
//! compilers — only add a handler and register it.
//!
//! Invariants: handlers never panic; they report failures like the real tool (message on
//! stderr, non-zero status); big data stays size-only; everything they do costs steps.

pub mod archive;
pub mod awk;
pub mod basic;
pub mod files;
pub mod find;
pub mod hash;
pub mod sed;
pub mod text;
pub mod tools;
pub mod users;
pub mod wrappers;

use super::ast::Dialect;
use super::fs::{self, Content, Data, Errno, FsResult, Metadata, WriteMode};
use super::interp::{Flow, Interp};
use super::io::StreamData;
use super::{EventKind, Userland};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A budget abort travelling out of a program (opaque: propagate it with `?`).
#[derive(Debug)]
pub struct ProgramAbort(pub(crate) Flow);

impl ProgramAbort {
    pub(crate) fn into_flow(self) -> Flow {
        self.0
    }
}

impl From<Flow> for ProgramAbort {
    fn from(f: Flow) -> Self {
        ProgramAbort(f)
    }
}

/// What a program returns: its exit status, or an abort.
pub type ProgResult = Result<i32, ProgramAbort>;

/// A simulated program.
pub trait Program: Send + Sync {
    /// Runs with `argv` (`argv[0]` as invoked).
    fn run(&self, ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult;
}

impl<F> Program for F
where
    F: Fn(&mut ProgramCtx<'_, '_>, &[String]) -> ProgResult + Send + Sync,
{
    fn run(&self, ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
        self(ctx, argv)
    }
}

/// Programs by name.
#[derive(Clone, Default)]
pub struct Registry {
    programs: BTreeMap<String, Arc<dyn Program>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("programs", &self.programs.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The shells, coreutils-like tools and friends this module simulates.
    pub fn standard() -> Self {
        let mut r = Self::empty();
        basic::register(&mut r);
        files::register(&mut r);
        text::register(&mut r);
        sed::register(&mut r);
        awk::register(&mut r);
        find::register(&mut r);
        archive::register(&mut r);
        hash::register(&mut r);
        tools::register(&mut r);
        users::register(&mut r);
        wrappers::register(&mut r);
        r
    }

    pub fn register(&mut self, name: &str, program: impl Program + 'static) {
        self.programs.insert(name.to_string(), Arc::new(program));
    }

    pub fn register_arc(&mut self, name: &str, program: Arc<dyn Program>) {
        self.programs.insert(name.to_string(), program);
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn Program>> {
        self.programs.get(name).cloned()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.programs.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.programs.keys().map(String::as_str)
    }
}

/// Programs that every shell also has built in (found even without a PATH entry, and
/// with the shell's own behaviour, e.g. dash's `echo` interpreting backslashes).
pub fn is_shell_builtin(name: &str) -> bool {
    matches!(
        name,
        "echo" | "printf" | "test" | "[" | "true" | "false" | "kill"
    )
}

/// What a running program sees.
pub struct ProgramCtx<'i, 'a> {
    pub(crate) sh: &'i mut Interp<'a>,
    name: String,
    builtin: bool,
}

impl std::fmt::Debug for ProgramCtx<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgramCtx")
            .field("name", &self.name)
            .finish()
    }
}

pub type PResult<T> = Result<T, ProgramAbort>;

impl<'i, 'a> ProgramCtx<'i, 'a> {
    pub(crate) fn new(sh: &'i mut Interp<'a>, name: String, builtin: bool) -> Self {
        ProgramCtx { sh, name, builtin }
    }

    /// The program name (basename of `argv[0]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when run as a shell builtin rather than as a file.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// The dialect of the calling shell.
    pub fn dialect(&self) -> Dialect {
        self.sh.st.dialect
    }

    /// Whether the image's tools are BusyBox (message wording, flags).
    pub fn busybox(&self) -> bool {
        self.sh.cfg.image.userland == Userland::Busybox
    }

    pub fn userland(&self) -> Userland {
        self.sh.cfg.image.userland
    }

    pub fn cwd(&self) -> &str {
        &self.sh.st.cwd
    }

    /// `path` made absolute against the working directory.
    pub fn abs(&self, path: &str) -> String {
        self.sh.abs(path)
    }

    /// An environment variable of the process.
    pub fn env(&self, name: &str) -> Option<String> {
        self.sh
            .st
            .vars
            .get(name)
            .filter(|v| v.exported)
            .map(|v| v.value.clone())
    }

    /// The whole environment, in order.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.sh.st.vars.environment()
    }

    pub fn uid(&self) -> u32 {
        self.sh.st.cred.uid
    }

    pub fn gid(&self) -> u32 {
        self.sh.st.cred.gid
    }

    pub fn groups(&self) -> Vec<u32> {
        self.sh.st.cred.groups.clone()
    }

    pub fn umask(&self) -> u32 {
        self.sh.st.umask
    }

    /// The logical clock (seconds since the epoch).
    pub fn now(&self) -> i64 {
        self.sh.clock
    }

    /// Moves the logical clock (`sleep`).
    pub fn advance_clock(&mut self, secs: i64) {
        self.sh.clock = self.sh.clock.saturating_add(secs.max(0));
    }

    pub fn hostname(&self) -> String {
        self.sh.cfg.hostname.clone()
    }

    /// A deterministic pseudo-random number.
    pub fn random(&mut self) -> u64 {
        self.sh.rand()
    }

    // ---------------------------------------------------------------- streams

    /// Everything left on stdin.
    pub fn stdin(&mut self) -> StreamData {
        self.sh.read_stdin()
    }

    pub fn out(&mut self, bytes: &[u8]) -> PResult<()> {
        self.sh.write_fd(1, bytes).map_err(ProgramAbort)
    }

    pub fn out_str(&mut self, s: &str) -> PResult<()> {
        self.out(s.as_bytes())
    }

    /// Writes `n` bytes of unknown content to stdout.
    pub fn out_unknown(&mut self, n: u64) -> PResult<()> {
        self.sh.write_fd_unknown(1, n).map_err(ProgramAbort)
    }

    pub fn err(&mut self, bytes: &[u8]) -> PResult<()> {
        self.sh.write_fd(2, bytes).map_err(ProgramAbort)
    }

    /// `name: msg` on stderr.
    pub fn error(&mut self, msg: &str) -> PResult<()> {
        let text = format!("{}: {}\n", self.name, msg);
        self.err(text.as_bytes())
    }

    /// A usage error: `name: msg`, and with GNU tools the hint
    /// `Try 'name --help' for more information.`
    pub fn usage(&mut self, msg: &str) -> PResult<()> {
        self.error(msg)?;
        if !self.busybox() {
            let hint = format!("Try '{} --help' for more information.\n", self.name);
            self.err(hint.as_bytes())?;
        }
        Ok(())
    }

    /// An error as the shell prints it for a builtin (`sh: 1: [: msg`), or as a program
    /// prints it (`[: msg`).
    pub fn builtin_error(&mut self, msg: &str) -> PResult<()> {
        if self.builtin {
            let text = format!("{}: {}", self.name, msg);
            self.sh.shell_error(&text).map_err(ProgramAbort)
        } else {
            self.error(msg)
        }
    }

    /// Charges `n` steps (for work proportional to data).
    pub fn steps(&mut self, n: u64) -> PResult<()> {
        self.sh
            .budget
            .steps(n)
            .map_err(|a| ProgramAbort(Flow::Abort(a)))
    }

    // ---------------------------------------------------------------- events

    /// Records that (part of) this command is not simulated.
    pub fn not_simulated(&mut self, detail: &str) {
        let name = self.name.clone();
        self.sh
            .record(EventKind::NotSimulated, &name, detail.to_string());
    }

    /// Records that this command's effect is approximated (e.g. a download of unknown
    /// size).
    pub fn approximated(&mut self, detail: &str) {
        let name = self.name.clone();
        self.sh
            .record(EventKind::Approximated, &name, detail.to_string());
    }

    /// Remembers that `dir` received an archive whose content the playground does not
    /// have (an unfetched source tree, see `shell::unfetched`).
    pub fn mark_unfetched_tree(&mut self, dir: &str) {
        let dir = self.abs(dir);
        self.sh.mark_unfetched_tree(&dir);
    }

    /// Creates a missing directory inside an unfetched source tree (the archive would
    /// have had it), reporting the approximation; false outside such trees.
    pub fn enter_unfetched_dir(&mut self, path: &str) -> bool {
        let path = self.abs(path);
        let name = self.name.clone();
        self.sh.materialize_unfetched_dir(&path, &name)
    }

    /// The root of the unfetched source tree containing `path`, if any.
    pub fn unfetched_tree(&self, path: &str) -> Option<String> {
        self.sh.unfetched_root(&self.abs(path))
    }

    // ---------------------------------------------------------------- commands

    /// Runs another command like `exec` would (files and programs, no functions). A
    /// missing command is reported by this program (`env: 'x': No such file or
    /// directory`), not by the shell.
    pub fn run(&mut self, argv: Vec<String>) -> PResult<i32> {
        let saved = self.sh.exec_caller.replace(self.name.clone());
        let r = self.sh.exec_external(argv);
        self.sh.exec_caller = saved;
        match r {
            Ok(s) => Ok(s),
            Err(Flow::Abort(a)) => Err(ProgramAbort(Flow::Abort(a))),
            Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(_) => Ok(0),
        }
    }

    /// Runs a command with the given stdin; its stdout goes to this program's stdout.
    pub fn run_with_stdin(&mut self, argv: Vec<String>, stdin: StreamData) -> PResult<i32> {
        let saved = self.sh.fds.clone();
        self.sh
            .fds
            .set(0, Some(super::io::Fd::Input(super::io::Input::new(stdin))));
        let r = self.run(argv);
        self.sh.fds = saved;
        r
    }

    /// Runs a command and captures its stdout.
    pub fn capture(&mut self, argv: Vec<String>) -> PResult<(i32, Vec<u8>)> {
        let buf = std::rc::Rc::new(std::cell::RefCell::new(StreamData::default()));
        let saved = self.sh.fds.clone();
        self.sh
            .fds
            .set(1, Some(super::io::Fd::Pipe(std::rc::Rc::clone(&buf))));
        let r = self.run(argv);
        self.sh.fds = saved;
        let data = std::mem::take(&mut *buf.borrow_mut());
        Ok((r?, data.bytes))
    }

    /// Starts a shell process of the given dialect with `argv`.
    pub fn run_shell(&mut self, dialect: Dialect, argv: &[String]) -> PResult<i32> {
        match self.sh.run_shell(dialect, argv) {
            Ok(s) => Ok(s),
            Err(Flow::Abort(a)) => Err(ProgramAbort(Flow::Abort(a))),
            Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(_) => Ok(0),
        }
    }

    /// Runs with different credentials (`gosu`, `su-exec`, `chroot --userspec`).
    pub fn run_as(
        &mut self,
        uid: u32,
        gid: u32,
        groups: Vec<u32>,
        home: Option<String>,
        argv: Vec<String>,
    ) -> PResult<i32> {
        let saved = self.sh.st.cred.clone();
        let saved_home = self.sh.st.vars.get("HOME").cloned();
        self.sh.st.cred = super::state::Cred { uid, gid, groups };
        if let Some(h) = home {
            self.sh.st.vars.set("HOME", h);
            if let Some(v) = self.sh.st.vars.get_mut("HOME") {
                v.exported = true;
            }
        }
        let r = self.run(argv);
        self.sh.st.cred = saved;
        match saved_home {
            Some(v) => self.sh.st.vars.insert("HOME", v),
            None => {
                self.sh.st.vars.remove("HOME");
            }
        }
        r
    }

    /// Runs with extra environment variables (`env A=1 cmd`); `clear` empties it first.
    pub fn run_with_env(
        &mut self,
        vars: &[(String, String)],
        unset: &[String],
        clear: bool,
        argv: Vec<String>,
    ) -> PResult<i32> {
        let saved = self.sh.st.vars.clone();
        if clear {
            let names: Vec<String> = self.sh.st.vars.iter().map(|(n, _)| n.to_string()).collect();
            for n in names {
                if let Some(v) = self.sh.st.vars.get_mut(&n) {
                    v.exported = false;
                }
            }
        }
        for n in unset {
            self.sh.st.vars.remove(n);
        }
        for (n, v) in vars {
            self.sh.st.vars.set(n, v.clone());
            if let Some(var) = self.sh.st.vars.get_mut(n) {
                var.exported = true;
            }
        }
        let r = self.run(argv);
        self.sh.st.vars = saved;
        r
    }

    // ---------------------------------------------------------------- files

    pub fn stat(&self, path: &str) -> FsResult<Metadata> {
        self.sh.sys_stat(path)
    }

    pub fn lstat(&self, path: &str) -> FsResult<Metadata> {
        self.sh.sys_lstat(path)
    }

    pub fn read(&mut self, path: &str) -> FsResult<Content> {
        self.sh.sys_read(path)
    }

    /// Reads a file as text if its content is known.
    pub fn read_text(&mut self, path: &str) -> FsResult<Option<String>> {
        Ok(match self.read(path)? {
            Content::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Content::Unknown { .. } => None,
        })
    }

    pub fn write(&mut self, path: &str, data: Data<'_>) -> FsResult<()> {
        self.sh.sys_write(path, data, WriteMode::Truncate)
    }

    pub fn write_mode(&mut self, path: &str, data: Data<'_>, mode: u32) -> FsResult<()> {
        self.sh
            .sys_write_mode(path, data, WriteMode::Truncate, mode)
    }

    pub fn append(&mut self, path: &str, data: Data<'_>) -> FsResult<()> {
        self.sh.sys_write(path, data, WriteMode::Append)
    }

    pub fn set_len(&mut self, path: &str, len: u64) -> FsResult<()> {
        self.sh.sys_set_len(path, len)
    }

    /// `mkdir` with mode `mode & ~umask`.
    pub fn mkdir(&mut self, path: &str, mode: u32) -> FsResult<()> {
        self.sh.sys_mkdir(path, mode)
    }

    /// `mkdir -p`: creates missing parents (0777 & ~umask); Ok if it is a directory.
    pub fn mkdir_p(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let abs = self.abs(path);
        let mut cur = String::new();
        let comps: Vec<&str> = abs.split('/').filter(|c| !c.is_empty()).collect();
        for (i, c) in comps.iter().enumerate() {
            cur.push('/');
            cur.push_str(c);
            match self.sh.fs.stat(&cur) {
                Ok(m) if m.is_dir() => continue,
                Ok(_) => return Err(Errno::Exists),
                Err(Errno::NotFound) => {
                    let m = if i + 1 == comps.len() { mode } else { 0o777 };
                    match self.sh.sys_mkdir(&cur, m) {
                        Ok(()) | Err(Errno::Exists) => {}
                        Err(e) => return Err(e),
                    }
                    if i + 1 < comps.len() {
                        // parents get u+wx as POSIX asks
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub fn unlink(&mut self, path: &str) -> FsResult<()> {
        self.sh.sys_unlink(path, false)
    }

    pub fn rmdir(&mut self, path: &str) -> FsResult<()> {
        self.sh.sys_unlink(path, true)
    }

    pub fn remove_tree(&mut self, path: &str) -> FsResult<()> {
        self.sh.sys_remove_tree(path)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        self.sh.sys_rename(from, to)
    }

    pub fn symlink(&mut self, target: &str, link: &str) -> FsResult<()> {
        self.sh.sys_symlink(target, link)
    }

    pub fn hardlink(&mut self, existing: &str, link: &str) -> FsResult<()> {
        self.sh.sys_hardlink(existing, link)
    }

    pub fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        self.sh.sys_chmod(path, mode)
    }

    pub fn chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()> {
        self.sh.sys_chown(path, uid, gid, follow)
    }

    pub fn read_dir(&self, path: &str) -> FsResult<Vec<String>> {
        self.sh.sys_read_dir(path)
    }

    pub fn readlink(&self, path: &str) -> FsResult<String> {
        self.sh.sys_readlink(path)
    }

    pub fn touch(&mut self, path: &str) -> FsResult<()> {
        self.sh.sys_touch(path)
    }

    /// Resolves every symlink (`readlink -f`).
    pub fn canonicalize(&self, path: &str) -> FsResult<String> {
        fs::canonicalize(&*self.sh.fs, &self.abs(path))
    }

    /// The raw filesystem, without permission checks (for package managers acting as
    /// root-owned tools).
    pub fn fs_mut(&mut self) -> &mut dyn super::fs::ShellFs {
        &mut *self.sh.fs
    }

    /// Whether the process may execute or search `meta`.
    pub fn executable(&self, meta: &Metadata) -> bool {
        self.sh.executable(meta)
    }

    /// `test`-style expression evaluation (used by `test`/`[`).
    pub fn test_args(&mut self, args: &[String]) -> Result<bool, String> {
        self.sh.test_args(args)
    }

    /// Where a command would be found (`which`, `command -v`).
    pub fn find_on_path(&mut self, name: &str) -> Option<String> {
        self.sh.find_on_path(name)
    }

    /// Looks up a user in `/etc/passwd`: `(name, uid, gid, home, shell)`.
    pub fn passwd_entry(&mut self, key: &str) -> Option<(String, u32, u32, String, String)> {
        let text = self.sh.fs.read_file("/etc/passwd").ok()?;
        let text = String::from_utf8_lossy(text.bytes()?).into_owned();
        text.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            let uid: u32 = f[2].parse().ok()?;
            let hit = f[0] == key || key.parse::<u32>().ok() == Some(uid);
            hit.then(|| {
                (
                    f[0].to_string(),
                    uid,
                    f[3].parse().unwrap_or(uid),
                    f[5].to_string(),
                    f[6].to_string(),
                )
            })
        })
    }

    /// Looks up a group in `/etc/group`: `(name, gid, members)`.
    pub fn group_entry(&mut self, key: &str) -> Option<(String, u32, Vec<String>)> {
        let text = self.sh.fs.read_file("/etc/group").ok()?;
        let text = String::from_utf8_lossy(text.bytes()?).into_owned();
        text.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 3 {
                return None;
            }
            let gid: u32 = f[2].parse().ok()?;
            let hit = f[0] == key || key.parse::<u32>().ok() == Some(gid);
            let members = f
                .get(3)
                .map(|m| {
                    m.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            hit.then(|| (f[0].to_string(), gid, members))
        })
    }

    /// Every group (`(name, gid, members)`), for `id` and `groups`.
    pub fn all_groups(&mut self) -> Vec<(String, u32, Vec<String>)> {
        let Ok(text) = self.sh.fs.read_file("/etc/group") else {
            return Vec::new();
        };
        let Some(b) = text.bytes() else {
            return Vec::new();
        };
        String::from_utf8_lossy(b)
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                let gid: u32 = f.get(2)?.parse().ok()?;
                let members = f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                Some((f[0].to_string(), gid, members))
            })
            .collect()
    }

    /// The coreutils/busybox wording of a failed file operation:
    /// GNU `cat: x: No such file or directory`, BusyBox `cat: can't open 'x': …`.
    pub fn fs_error(&mut self, verb: &str, path: &str, e: Errno) -> PResult<()> {
        let msg = if self.busybox() {
            if verb.is_empty() {
                format!("{path}: {e}")
            } else {
                format!("{verb} '{path}': {e}")
            }
        } else if verb.is_empty() {
            format!("{path}: {e}")
        } else {
            format!("{} '{path}': {e}", gnu_verb(verb))
        };
        self.error(&msg)
    }
}

/// BusyBox says `can't remove`, GNU says `cannot remove`.
fn gnu_verb(verb: &str) -> String {
    verb.replace("can't", "cannot")
}

/// Parsed command-line options: flags in order (short ones as one-letter names), their
/// values, and the operands. Unknown options are kept, not rejected: real tools accept
/// many more than we model.
#[derive(Debug, Default, Clone)]
pub struct Opts {
    pub flags: Vec<(String, Option<String>)>,
    pub operands: Vec<String>,
}

impl Opts {
    /// `short_values`: short options taking a value (e.g. `"mo"`); `long_values`: long
    /// options taking a value.
    pub fn parse(args: &[String], short_values: &str, long_values: &[&str]) -> Opts {
        let mut o = Opts::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if a == "--" {
                o.operands.extend(args[i..].iter().cloned());
                break;
            }
            if let Some(long) = a.strip_prefix("--") {
                match long.split_once('=') {
                    Some((k, v)) => o.flags.push((k.to_string(), Some(v.to_string()))),
                    None => {
                        if long_values.contains(&long) {
                            let v = args.get(i).cloned();
                            i += 1;
                            o.flags.push((long.to_string(), v));
                        } else {
                            o.flags.push((long.to_string(), None));
                        }
                    }
                }
                continue;
            }
            if a.len() > 1 && a.starts_with('-') {
                let chars: Vec<char> = a[1..].chars().collect();
                let mut k = 0;
                while k < chars.len() {
                    let c = chars[k];
                    if short_values.contains(c) {
                        let rest: String = chars[k + 1..].iter().collect();
                        let v = if rest.is_empty() {
                            let v = args.get(i).cloned();
                            i += 1;
                            v
                        } else {
                            Some(rest)
                        };
                        o.flags.push((c.to_string(), v));
                        break;
                    }
                    o.flags.push((c.to_string(), None));
                    k += 1;
                }
                continue;
            }
            o.operands.push(a.clone());
        }
        o
    }

    /// Whether any of the names is present.
    pub fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(n, _)| names.contains(&n.as_str()))
    }

    /// The last value of any of the names.
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| names.contains(&n.as_str()))
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of any of the names, in order.
    pub fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }
}

/// Reads the operands (or stdin for none or `-`) as one stream each, reporting missing
/// files like `cat` does. Returns the data in order and whether all reads succeeded.
pub fn read_inputs(
    ctx: &mut ProgramCtx<'_, '_>,
    files: &[String],
) -> PResult<(Vec<(String, StreamData)>, bool)> {
    let mut out = Vec::new();
    let mut ok = true;
    if files.is_empty() {
        let d = ctx.stdin();
        out.push(("-".to_string(), d));
        return Ok((out, ok));
    }
    for f in files {
        if f == "-" {
            let d = ctx.stdin();
            out.push((f.clone(), d));
            continue;
        }
        match ctx.read(f) {
            Ok(Content::Bytes(b)) => out.push((f.clone(), StreamData::known(b))),
            Ok(Content::Unknown { size }) => out.push((
                f.clone(),
                StreamData {
                    bytes: Vec::new(),
                    unknown: size,
                },
            )),
            Err(e) => {
                ok = false;
                let msg = if ctx.busybox() {
                    format!("can't open '{f}': {e}")
                } else {
                    match ctx.name() {
                        "head" | "tail" => format!("cannot open '{f}' for reading: {e}"),
                        "sort" => format!("cannot read: {f}: {e}"),
                        _ => format!("{f}: {e}"),
                    }
                };
                ctx.error(&msg)?;
            }
        }
    }
    Ok((out, ok))
}

/// Splits bytes into lines (without newlines); a final line without `\n` counts.
pub fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|&c| c == b'\n').collect()
}
