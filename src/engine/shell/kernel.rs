//! The "kernel": filesystem calls on behalf of the running process, with the checks the
//! Linux kernel makes (search permission on every directory, write permission on the
//! parent to create or remove, owner-only `chmod`, root-only `chown`), plus the few
//! device files scripts use (`/dev/null`, `/dev/zero`, `/dev/urandom`, `/dev/stdout`…).
//!
//! Invariants: paths are made absolute against the process's working directory before
//! reaching the [`ShellFs`]; known file bytes written count against the file budget.

use super::fs::{self, Content, Data, Errno, FsResult, Metadata, NewNode, WriteMode};
use super::interp::Interp;

/// Devices that exist in every container.
pub(crate) fn device(path: &str) -> Option<&'static str> {
    match path {
        "/dev/null" => Some("null"),
        "/dev/zero" => Some("zero"),
        "/dev/urandom" | "/dev/random" => Some("random"),
        "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0" => Some("stdin"),
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some("stdout"),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some("stderr"),
        "/dev/tty" => Some("tty"),
        _ => None,
    }
}

fn device_meta(path: &str) -> Metadata {
    Metadata {
        kind: fs::FileKind::File,
        mode: 0o666,
        uid: 0,
        gid: 0,
        size: 0,
        ino: path.len() as u64 + 1_000_000,
        nlink: 1,
    }
}

impl Interp<'_> {
    /// Permission bits (`4` read, `2` write, `1` execute/search) for the process.
    pub fn may(&self, meta: &Metadata, want: u32) -> bool {
        let c = &self.st.cred;
        if c.is_root() {
            return want != 1 || meta.is_dir() || meta.mode & 0o111 != 0;
        }
        let bits = if c.uid == meta.uid {
            (meta.mode >> 6) & 7
        } else if c.in_group(meta.gid) {
            (meta.mode >> 3) & 7
        } else {
            meta.mode & 7
        };
        bits & want == want
    }

    /// Search permission on every directory above `path`.
    fn check_search(&self, path: &str) -> FsResult<()> {
        if self.st.cred.is_root() {
            return Ok(());
        }
        let mut dir = fs::parent(path).to_string();
        let mut chain = Vec::new();
        loop {
            chain.push(dir.clone());
            if dir == "/" {
                break;
            }
            dir = fs::parent(&dir).to_string();
        }
        for d in chain.iter().rev() {
            match self.fs.stat(d) {
                Ok(m) if !m.is_dir() => return Err(Errno::NotDir),
                Ok(m) if !self.may(&m, 1) => return Err(Errno::PermissionDenied),
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Write and search permission on the parent directory of `path`.
    fn check_parent_write(&self, path: &str) -> FsResult<()> {
        self.check_search(path)?;
        if self.st.cred.is_root() {
            return Ok(());
        }
        let parent = self.fs.stat(fs::parent(path))?;
        if !parent.is_dir() {
            return Err(Errno::NotDir);
        }
        if !self.may(&parent, 3) {
            return Err(Errno::PermissionDenied);
        }
        Ok(())
    }

    /// Sticky directories (`/tmp`): only the owner may remove or rename an entry.
    fn check_sticky(&self, path: &str) -> FsResult<()> {
        if self.st.cred.is_root() {
            return Ok(());
        }
        if let (Ok(parent), Ok(me)) = (self.fs.stat(fs::parent(path)), self.fs.lstat(path)) {
            if parent.mode & 0o1000 != 0
                && me.uid != self.st.cred.uid
                && parent.uid != self.st.cred.uid
            {
                return Err(Errno::NotPermitted);
            }
        }
        Ok(())
    }

    pub fn new_node(&self, mode: u32) -> NewNode {
        NewNode {
            mode: mode & !self.st.umask & 0o7777,
            uid: self.st.cred.uid,
            gid: self.st.cred.gid,
        }
    }

    fn charge_file(&mut self, data: &Data<'_>) -> FsResult<()> {
        if let Data::Bytes(b) = data {
            if let Err(a) = self.budget.file_bytes(b.len() as u64) {
                self.pending_abort = Some(a);
                return Err(Errno::FileTooBig);
            }
        }
        Ok(())
    }

    pub fn sys_stat(&self, path: &str) -> FsResult<Metadata> {
        let p = self.abs(path);
        if device(&p).is_some() || self.procsubs.contains_key(&p) {
            return Ok(device_meta(&p));
        }
        self.check_search(&p)?;
        self.fs.stat(&p)
    }

    pub fn sys_lstat(&self, path: &str) -> FsResult<Metadata> {
        let p = self.abs(path);
        if device(&p).is_some() {
            return Ok(device_meta(&p));
        }
        self.check_search(&p)?;
        self.fs.lstat(&p)
    }

    /// Reads a file. `/dev/zero` and `/dev/urandom` read as endless unknown bytes.
    pub fn sys_read(&mut self, path: &str) -> FsResult<Content> {
        let p = self.abs(path);
        if let Some(data) = self.procsubs.get(&p) {
            return Ok(Content::Bytes(data.clone()));
        }
        match device(&p) {
            Some("null") | Some("tty") => return Ok(Content::Bytes(Vec::new())),
            Some("zero") | Some("random") => return Ok(Content::Unknown { size: u64::MAX }),
            Some("stdin") => {
                let d = self.read_stdin();
                return Ok(if d.is_known() {
                    Content::Bytes(d.bytes)
                } else {
                    Content::Unknown { size: d.len() }
                });
            }
            Some(_) => return Ok(Content::Bytes(Vec::new())),
            None => {}
        }
        self.check_search(&p)?;
        let meta = self.fs.stat(&p)?;
        if meta.is_dir() {
            return Err(Errno::IsDir);
        }
        if !self.may(&meta, 4) {
            return Err(Errno::PermissionDenied);
        }
        self.fs.read_file(&p)
    }

    /// Writes (creating with mode 0666 & ~umask) or appends.
    pub fn sys_write(&mut self, path: &str, data: Data<'_>, how: WriteMode) -> FsResult<()> {
        self.sys_write_mode(path, data, how, 0o666)
    }

    pub fn sys_write_mode(
        &mut self,
        path: &str,
        data: Data<'_>,
        how: WriteMode,
        mode: u32,
    ) -> FsResult<()> {
        let p = self.abs(path);
        match device(&p) {
            Some("stdout") => {
                if let Data::Bytes(b) = data {
                    let _ = self.write_fd(1, b);
                }
                return Ok(());
            }
            Some("stderr") => {
                if let Data::Bytes(b) = data {
                    let _ = self.write_fd(2, b);
                }
                return Ok(());
            }
            Some(_) => return Ok(()),
            None => {}
        }
        match self.fs.stat(&p) {
            Ok(meta) => {
                self.check_search(&p)?;
                if meta.is_dir() {
                    return Err(Errno::IsDir);
                }
                if !self.may(&meta, 2) {
                    return Err(Errno::PermissionDenied);
                }
            }
            Err(Errno::NotFound) => self.check_parent_write(&p)?,
            Err(e) => return Err(e),
        }
        self.charge_file(&data)?;
        let node = self.new_node(mode);
        self.fs.write_file(&p, data, how, node)
    }

    pub fn sys_set_len(&mut self, path: &str, len: u64) -> FsResult<()> {
        let p = self.abs(path);
        if device(&p).is_some() {
            return Ok(());
        }
        match self.fs.stat(&p) {
            Ok(meta) => {
                if meta.is_dir() {
                    return Err(Errno::IsDir);
                }
                if !self.may(&meta, 2) {
                    return Err(Errno::PermissionDenied);
                }
            }
            Err(Errno::NotFound) => self.check_parent_write(&p)?,
            Err(e) => return Err(e),
        }
        let node = self.new_node(0o666);
        self.fs.set_len(&p, len, node)
    }

    pub fn sys_mkdir(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let p = self.abs(path);
        if self.fs.lstat(&p).is_ok() {
            return Err(Errno::Exists);
        }
        self.check_parent_write(&p)?;
        let node = self.new_node(mode);
        self.fs.mkdir(&p, node)
    }

    /// Removes a file or (with `dir`) an empty directory.
    pub fn sys_unlink(&mut self, path: &str, dir: bool) -> FsResult<()> {
        let p = self.abs(path);
        let meta = self.fs.lstat(&p)?;
        if meta.is_dir() != dir {
            return Err(if dir { Errno::NotDir } else { Errno::IsDir });
        }
        self.check_parent_write(&p)?;
        self.check_sticky(&p)?;
        self.fs.remove(&p, false)
    }

    /// Removes a whole tree (what `rm -rf` does after its checks).
    pub fn sys_remove_tree(&mut self, path: &str) -> FsResult<()> {
        let p = self.abs(path);
        self.check_parent_write(&p)?;
        self.check_sticky(&p)?;
        if !self.st.cred.is_root() {
            // every directory inside must be writable by us
            let mut stack = vec![p.clone()];
            let mut seen = 0usize;
            while let Some(d) = stack.pop() {
                seen += 1;
                if seen > 1_000_000 {
                    break;
                }
                let Ok(m) = self.fs.lstat(&d) else { continue };
                if !m.is_dir() {
                    continue;
                }
                if !self.may(&m, 3) {
                    return Err(Errno::PermissionDenied);
                }
                if let Ok(names) = self.fs.read_dir(&d) {
                    stack.extend(names.iter().map(|n| fs::child(&d, n)));
                }
            }
        }
        self.fs.remove(&p, true)
    }

    pub fn sys_rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        let (a, b) = (self.abs(from), self.abs(to));
        self.fs.lstat(&a)?;
        self.check_parent_write(&a)?;
        self.check_sticky(&a)?;
        self.check_parent_write(&b)?;
        self.fs.rename(&a, &b)
    }

    pub fn sys_symlink(&mut self, target: &str, link: &str) -> FsResult<()> {
        let p = self.abs(link);
        if self.fs.lstat(&p).is_ok() {
            return Err(Errno::Exists);
        }
        self.check_parent_write(&p)?;
        let node = self.new_node(0o777);
        self.fs.symlink(target, &p, node)
    }

    pub fn sys_hardlink(&mut self, existing: &str, link: &str) -> FsResult<()> {
        let (a, b) = (self.abs(existing), self.abs(link));
        self.check_search(&a)?;
        self.check_parent_write(&b)?;
        self.fs.hardlink(&a, &b)
    }

    pub fn sys_chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let p = self.abs(path);
        self.check_search(&p)?;
        let meta = self.fs.stat(&p)?;
        if !self.st.cred.is_root() && meta.uid != self.st.cred.uid {
            return Err(Errno::NotPermitted);
        }
        self.fs.chmod(&p, mode)
    }

    pub fn sys_chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()> {
        let p = self.abs(path);
        self.check_search(&p)?;
        let meta = if follow {
            self.fs.stat(&p)?
        } else {
            self.fs.lstat(&p)?
        };
        if !self.st.cred.is_root() {
            let uid_ok = uid.is_none_or(|u| u == meta.uid);
            let gid_ok = gid.is_none_or(|g| self.st.cred.in_group(g));
            if meta.uid != self.st.cred.uid || !uid_ok || !gid_ok {
                return Err(Errno::NotPermitted);
            }
        }
        self.fs.chown(&p, uid, gid, follow)
    }

    pub fn sys_read_dir(&self, path: &str) -> FsResult<Vec<String>> {
        let p = self.abs(path);
        self.check_search(&p)?;
        let meta = self.fs.stat(&p)?;
        if !meta.is_dir() {
            return Err(Errno::NotDir);
        }
        if !self.may(&meta, 4) {
            return Err(Errno::PermissionDenied);
        }
        self.fs.read_dir(&p)
    }

    pub fn sys_readlink(&self, path: &str) -> FsResult<String> {
        let p = self.abs(path);
        self.check_search(&p)?;
        self.fs.readlink(&p)
    }

    pub fn sys_touch(&mut self, path: &str) -> FsResult<()> {
        let p = self.abs(path);
        let meta = self.fs.stat(&p)?;
        if !self.st.cred.is_root() && meta.uid != self.st.cred.uid && !self.may(&meta, 2) {
            return Err(Errno::PermissionDenied);
        }
        self.fs.touch(&p)
    }
}
