//! [`MemFs`]: a small in-memory [`ShellFs`] for the interpreter's own tests and for callers
//! without a layered filesystem. Paths map to inode numbers; inodes hold the node, so hard
//! links share content. Size-only files stay sizes.
//!
//! Invariants: the root `/` always exists; every entry's parent exists and is a directory;
//! symlink resolution stops after 40 hops with `Loop`.

use super::fs::{
    child, normalize, parent, Content, Data, Errno, FileKind, FsResult, Metadata, NewNode, ShellFs,
    WriteMode,
};
use std::collections::BTreeMap;

/// Known content is kept as bytes up to this size when a file is grown with zeros.
const MATERIALIZE_LIMIT: u64 = 64 * 1024;
const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Debug, Clone)]
enum Body {
    File(Content),
    Dir,
    Symlink(String),
}

#[derive(Debug, Clone)]
struct Inode {
    body: Body,
    mode: u32,
    uid: u32,
    gid: u32,
    links: u32,
}

/// An in-memory filesystem. Cloning copies it (cheap enough for tests).
#[derive(Debug, Clone)]
pub struct MemFs {
    entries: BTreeMap<String, u64>,
    inodes: BTreeMap<u64, Inode>,
    next_ino: u64,
}

impl Default for MemFs {
    fn default() -> Self {
        Self::new()
    }
}

impl MemFs {
    /// An empty filesystem with only `/` (mode 755, root).
    pub fn new() -> Self {
        let mut fs = MemFs {
            entries: BTreeMap::new(),
            inodes: BTreeMap::new(),
            next_ino: 1,
        };
        fs.insert(
            "/".to_string(),
            Inode {
                body: Body::Dir,
                mode: 0o755,
                uid: 0,
                gid: 0,
                links: 1,
            },
        );
        fs
    }

    /// A skeleton like a minimal Linux image: `/bin /etc /tmp /root …`, `/etc/passwd`
    /// and `/etc/group` with root and nobody, `/tmp` with the sticky bit.
    pub fn with_skeleton() -> Self {
        let mut fs = Self::new();
        let root = |mode| NewNode {
            mode,
            uid: 0,
            gid: 0,
        };
        for dir in [
            "/bin",
            "/dev",
            "/etc",
            "/home",
            "/lib",
            "/opt",
            "/proc",
            "/root",
            "/run",
            "/sbin",
            "/srv",
            "/sys",
            "/tmp",
            "/usr",
            "/usr/bin",
            "/usr/lib",
            "/usr/local",
            "/usr/local/bin",
            "/usr/sbin",
            "/usr/share",
            "/var",
            "/var/cache",
            "/var/lib",
            "/var/log",
            "/var/tmp",
        ] {
            let mode = match dir {
                "/tmp" | "/var/tmp" => 0o1777,
                "/root" => 0o700,
                _ => 0o755,
            };
            let _ = fs.mkdir(dir, root(mode));
        }
        let files: [(&str, &str); 3] = [
            (
                "/etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            ),
            ("/etc/group", "root:x:0:\nnogroup:x:65534:\n"),
            ("/etc/hostname", "buildkitsandbox\n"),
        ];
        for (path, text) in files {
            let _ = fs.write_file(
                path,
                Data::Bytes(text.as_bytes()),
                WriteMode::Truncate,
                root(0o644),
            );
        }
        fs
    }

    fn insert(&mut self, path: String, inode: Inode) {
        let ino = self.next_ino;
        self.next_ino += 1;
        self.inodes.insert(ino, inode);
        self.entries.insert(path, ino);
    }

    fn inode(&self, path: &str) -> Option<(u64, &Inode)> {
        let ino = *self.entries.get(path)?;
        self.inodes.get(&ino).map(|i| (ino, i))
    }

    fn inode_mut(&mut self, path: &str) -> Option<&mut Inode> {
        let ino = *self.entries.get(path)?;
        self.inodes.get_mut(&ino)
    }

    /// Resolves symlinks in `path`; the final component is followed only if `follow_last`.
    /// Returns the physical path (which may not exist if the last component is missing).
    fn resolve(&self, path: &str, follow_last: bool) -> FsResult<String> {
        let mut pending: Vec<String> = normalize(path)
            .split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .rev()
            .collect();
        let mut current = String::from("/");
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            if comp == "." {
                continue;
            }
            if comp == ".." {
                current = parent(&current).to_string();
                continue;
            }
            let next = child(&current, &comp);
            let last = pending.is_empty();
            match self.inode(&next) {
                None => {
                    if last {
                        return Ok(next);
                    }
                    return Err(Errno::NotFound);
                }
                Some((_, node)) => match &node.body {
                    Body::Symlink(target) if !last || follow_last => {
                        hops += 1;
                        if hops > MAX_SYMLINK_HOPS {
                            return Err(Errno::Loop);
                        }
                        if target.starts_with('/') {
                            current = "/".to_string();
                        }
                        for c in target.split('/').filter(|c| !c.is_empty()).rev() {
                            pending.push(c.to_string());
                        }
                    }
                    Body::Dir => current = next,
                    _ if last => current = next,
                    _ => return Err(Errno::NotDir),
                },
            }
        }
        Ok(current)
    }

    fn meta_of(&self, ino: u64, node: &Inode) -> Metadata {
        let (kind, size) = match &node.body {
            Body::File(c) => (FileKind::File, c.len()),
            Body::Dir => (FileKind::Dir, 4096),
            Body::Symlink(t) => (FileKind::Symlink, t.len() as u64),
        };
        Metadata {
            kind,
            mode: node.mode,
            uid: node.uid,
            gid: node.gid,
            size,
            ino,
            nlink: node.links,
        }
    }

    /// Checks that the parent of a physical path exists and is a directory.
    fn check_parent(&self, path: &str) -> FsResult<()> {
        match self.inode(parent(path)) {
            None => Err(Errno::NotFound),
            Some((_, n)) if !matches!(n.body, Body::Dir) => Err(Errno::NotDir),
            Some(_) => Ok(()),
        }
    }

    fn descendants(&self, dir: &str) -> Vec<String> {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .filter(|k| k != "/")
            .collect()
    }

    fn unlink_entry(&mut self, path: &str) {
        if let Some(ino) = self.entries.remove(path) {
            let gone = match self.inodes.get_mut(&ino) {
                Some(node) => {
                    node.links = node.links.saturating_sub(1);
                    node.links == 0
                }
                None => false,
            };
            if gone {
                self.inodes.remove(&ino);
            }
        }
    }

    /// Every path in the filesystem, sorted (for tests and debugging).
    pub fn paths(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }
}

impl ShellFs for MemFs {
    fn lstat(&self, path: &str) -> FsResult<Metadata> {
        let p = self.resolve(path, false)?;
        let (ino, node) = self.inode(&p).ok_or(Errno::NotFound)?;
        Ok(self.meta_of(ino, node))
    }

    fn stat(&self, path: &str) -> FsResult<Metadata> {
        let p = self.resolve(path, true)?;
        let (ino, node) = self.inode(&p).ok_or(Errno::NotFound)?;
        Ok(self.meta_of(ino, node))
    }

    fn read_file(&self, path: &str) -> FsResult<Content> {
        let p = self.resolve(path, true)?;
        match self.inode(&p).map(|(_, n)| &n.body) {
            None => Err(Errno::NotFound),
            Some(Body::File(c)) => Ok(c.clone()),
            Some(Body::Dir) => Err(Errno::IsDir),
            Some(Body::Symlink(_)) => Err(Errno::Loop),
        }
    }

    fn write_file(
        &mut self,
        path: &str,
        data: Data<'_>,
        how: WriteMode,
        new: NewNode,
    ) -> FsResult<()> {
        let p = self.resolve(path, true)?;
        if let Some(node) = self.inode_mut(&p) {
            let Body::File(content) = &mut node.body else {
                return Err(Errno::IsDir);
            };
            *content = match (
                how,
                std::mem::replace(content, Content::Unknown { size: 0 }),
            ) {
                (WriteMode::Truncate, _) => match data {
                    Data::Bytes(b) => Content::Bytes(b.to_vec()),
                    Data::Unknown(n) => Content::Unknown { size: n },
                },
                (WriteMode::Append, Content::Bytes(mut old)) => match data {
                    Data::Bytes(b) => {
                        old.extend_from_slice(b);
                        Content::Bytes(old)
                    }
                    Data::Unknown(n) => Content::Unknown {
                        size: old.len() as u64 + n,
                    },
                },
                (WriteMode::Append, Content::Unknown { size }) => Content::Unknown {
                    size: size.saturating_add(data.len()),
                },
            };
            return Ok(());
        }
        self.check_parent(&p)?;
        let content = match data {
            Data::Bytes(b) => Content::Bytes(b.to_vec()),
            Data::Unknown(n) => Content::Unknown { size: n },
        };
        self.insert(
            p,
            Inode {
                body: Body::File(content),
                mode: new.mode,
                uid: new.uid,
                gid: new.gid,
                links: 1,
            },
        );
        Ok(())
    }

    fn set_len(&mut self, path: &str, len: u64, new: NewNode) -> FsResult<()> {
        let p = self.resolve(path, true)?;
        if self.inode(&p).is_none() {
            self.write_file(&p, Data::Bytes(&[]), WriteMode::Truncate, new)?;
        }
        let node = self.inode_mut(&p).ok_or(Errno::NotFound)?;
        let Body::File(content) = &mut node.body else {
            return Err(Errno::IsDir);
        };
        *content = match std::mem::replace(content, Content::Unknown { size: 0 }) {
            Content::Bytes(mut b) if len <= MATERIALIZE_LIMIT => {
                b.resize(len as usize, 0);
                Content::Bytes(b)
            }
            Content::Bytes(mut b) if len <= b.len() as u64 => {
                b.truncate(len as usize);
                Content::Bytes(b)
            }
            _ => Content::Unknown { size: len },
        };
        Ok(())
    }

    fn mkdir(&mut self, path: &str, new: NewNode) -> FsResult<()> {
        let p = self.resolve(path, false)?;
        if self.inode(&p).is_some() {
            return Err(Errno::Exists);
        }
        self.check_parent(&p)?;
        self.insert(
            p,
            Inode {
                body: Body::Dir,
                mode: new.mode,
                uid: new.uid,
                gid: new.gid,
                links: 1,
            },
        );
        Ok(())
    }

    fn remove(&mut self, path: &str, recursive: bool) -> FsResult<()> {
        let p = self.resolve(path, false)?;
        if p == "/" {
            return Err(Errno::Busy);
        }
        let is_dir = match self.inode(&p) {
            None => return Err(Errno::NotFound),
            Some((_, n)) => matches!(n.body, Body::Dir),
        };
        if is_dir {
            let inner = self.descendants(&p);
            if !inner.is_empty() && !recursive {
                return Err(Errno::NotEmpty);
            }
            for d in inner {
                self.unlink_entry(&d);
            }
        }
        self.unlink_entry(&p);
        Ok(())
    }

    fn rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        let src = self.resolve(from, false)?;
        let dst = self.resolve(to, false)?;
        let src_dir = match self.inode(&src) {
            None => return Err(Errno::NotFound),
            Some((_, n)) => matches!(n.body, Body::Dir),
        };
        if src == dst {
            return Ok(());
        }
        if src_dir && dst.starts_with(&format!("{src}/")) {
            return Err(Errno::Invalid);
        }
        self.check_parent(&dst)?;
        if let Some((_, n)) = self.inode(&dst) {
            let dst_dir = matches!(n.body, Body::Dir);
            match (src_dir, dst_dir) {
                (true, false) => return Err(Errno::NotDir),
                (false, true) => return Err(Errno::IsDir),
                (true, true) if !self.descendants(&dst).is_empty() => return Err(Errno::NotEmpty),
                _ => {}
            }
            self.unlink_entry(&dst);
        }
        let mut moved = vec![src.clone()];
        if src_dir {
            moved.extend(self.descendants(&src));
        }
        for old in moved {
            if let Some(ino) = self.entries.remove(&old) {
                let new_path = format!("{dst}{}", &old[src.len()..]);
                self.entries.insert(new_path, ino);
            }
        }
        Ok(())
    }

    fn symlink(&mut self, target: &str, link: &str, owner: NewNode) -> FsResult<()> {
        let p = self.resolve(link, false)?;
        if self.inode(&p).is_some() {
            return Err(Errno::Exists);
        }
        self.check_parent(&p)?;
        self.insert(
            p,
            Inode {
                body: Body::Symlink(target.to_string()),
                mode: 0o777,
                uid: owner.uid,
                gid: owner.gid,
                links: 1,
            },
        );
        Ok(())
    }

    fn hardlink(&mut self, existing: &str, link: &str) -> FsResult<()> {
        let src = self.resolve(existing, false)?;
        let dst = self.resolve(link, false)?;
        let ino = *self.entries.get(&src).ok_or(Errno::NotFound)?;
        if matches!(self.inodes.get(&ino).map(|n| &n.body), Some(Body::Dir)) {
            return Err(Errno::NotPermitted);
        }
        if self.inode(&dst).is_some() {
            return Err(Errno::Exists);
        }
        self.check_parent(&dst)?;
        if let Some(n) = self.inodes.get_mut(&ino) {
            n.links += 1;
        }
        self.entries.insert(dst, ino);
        Ok(())
    }

    fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let p = self.resolve(path, true)?;
        let node = self.inode_mut(&p).ok_or(Errno::NotFound)?;
        node.mode = mode & 0o7777;
        Ok(())
    }

    fn chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()> {
        let p = self.resolve(path, follow)?;
        let node = self.inode_mut(&p).ok_or(Errno::NotFound)?;
        if let Some(u) = uid {
            node.uid = u;
        }
        if let Some(g) = gid {
            node.gid = g;
        }
        Ok(())
    }

    fn read_dir(&self, path: &str) -> FsResult<Vec<String>> {
        let p = self.resolve(path, true)?;
        match self.inode(&p).map(|(_, n)| &n.body) {
            None => return Err(Errno::NotFound),
            Some(Body::Dir) => {}
            Some(_) => return Err(Errno::NotDir),
        }
        let prefix = if p == "/" {
            "/".to_string()
        } else {
            format!("{p}/")
        };
        let mut names: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, _)| {
                let rest = &k[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect();
        names.sort();
        Ok(names)
    }

    fn readlink(&self, path: &str) -> FsResult<String> {
        let p = self.resolve(path, false)?;
        match self.inode(&p).map(|(_, n)| &n.body) {
            None => Err(Errno::NotFound),
            Some(Body::Symlink(t)) => Ok(t.clone()),
            Some(_) => Err(Errno::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: NewNode = NewNode {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };

    fn write(fs: &mut MemFs, path: &str, text: &str) -> FsResult<()> {
        fs.write_file(
            path,
            Data::Bytes(text.as_bytes()),
            WriteMode::Truncate,
            ROOT,
        )
    }

    #[test]
    fn files_dirs_and_errors() {
        let mut fs = MemFs::new();
        assert_eq!(write(&mut fs, "/a/b", "x"), Err(Errno::NotFound));
        fs.mkdir("/a", ROOT).unwrap();
        write(&mut fs, "/a/b", "hi").unwrap();
        fs.write_file("/a/b", Data::Bytes(b"!"), WriteMode::Append, ROOT)
            .unwrap();
        assert_eq!(
            fs.read_file("/a/b").unwrap(),
            Content::Bytes(b"hi!".to_vec())
        );
        assert_eq!(write(&mut fs, "/a/b/c", "x"), Err(Errno::NotDir));
        assert_eq!(fs.mkdir("/a", ROOT), Err(Errno::Exists));
        assert_eq!(fs.remove("/a", false), Err(Errno::NotEmpty));
        assert_eq!(fs.read_dir("/a").unwrap(), vec!["b".to_string()]);
        fs.remove("/a", true).unwrap();
        assert_eq!(fs.paths(), vec!["/".to_string()]);
    }

    #[test]
    fn symlinks_hardlinks_and_rename() {
        let mut fs = MemFs::new();
        fs.mkdir("/d", ROOT).unwrap();
        write(&mut fs, "/d/f", "data").unwrap();
        fs.symlink("d", "/l", ROOT).unwrap();
        assert_eq!(
            fs.read_file("/l/f").unwrap(),
            Content::Bytes(b"data".to_vec())
        );
        assert!(fs.lstat("/l").unwrap().is_symlink());
        assert!(fs.stat("/l").unwrap().is_dir());
        fs.symlink("/loop", "/loop", ROOT).unwrap();
        assert_eq!(fs.stat("/loop"), Err(Errno::Loop));
        fs.hardlink("/d/f", "/h").unwrap();
        write(&mut fs, "/h", "new").unwrap();
        assert_eq!(
            fs.read_file("/d/f").unwrap(),
            Content::Bytes(b"new".to_vec())
        );
        assert_eq!(fs.stat("/h").unwrap().nlink, 2);
        fs.rename("/d", "/e").unwrap();
        assert_eq!(
            fs.read_file("/e/f").unwrap(),
            Content::Bytes(b"new".to_vec())
        );
        assert_eq!(fs.read_file("/l/f"), Err(Errno::NotFound));
    }

    #[test]
    fn size_only_files_stay_sizes() {
        let mut fs = MemFs::new();
        fs.set_len("/big", 10 << 30, ROOT).unwrap();
        assert_eq!(fs.stat("/big").unwrap().size, 10 << 30);
        assert_eq!(
            fs.read_file("/big").unwrap(),
            Content::Unknown { size: 10 << 30 }
        );
        fs.set_len("/small", 3, ROOT).unwrap();
        assert_eq!(
            fs.read_file("/small").unwrap(),
            Content::Bytes(vec![0, 0, 0])
        );
    }
}
