//! The filesystem a container's processes see: the root filesystem (the container's
//! copy-on-write view) with volumes mounted over some directories. A write below a mount
//! point goes to the volume, so it bypasses the writable layer and does not count in the
//! container's `SizeRw` (semantics §5).
//!
//! Routing is by the path the shell hands in (absolute, normalized): the longest mount
//! point that is the path or a prefix of it wins. Not modelled: a symlink in the root
//! filesystem that leads into a mount point is followed inside the root filesystem, not
//! into the volume. `rename`/`link` across two filesystems fail with `EXDEV`, as on Linux.

use crate::engine::overlay_fs::OverlayFs;
use crate::engine::shell::fs::{
    Content, Data, Errno, FsResult, Metadata, NewNode, ShellFs, WriteMode,
};
use crate::engine::vfs::OverlayView;

/// The root filesystem plus volumes (`destination`, volume view).
#[derive(Debug)]
pub struct MountedFs<'a> {
    root: OverlayFs<'a>,
    mounts: Vec<(String, OverlayFs<'a>)>,
}

impl<'a> MountedFs<'a> {
    pub fn new(root: &'a mut OverlayView, mounts: Vec<(String, &'a mut OverlayView)>) -> Self {
        MountedFs {
            root: OverlayFs::new(root),
            mounts: mounts
                .into_iter()
                .map(|(dest, view)| (dest, OverlayFs::new(view)))
                .collect(),
        }
    }

    /// Which filesystem `path` lives on (index into `mounts`, `None` = root) and the path
    /// inside it.
    fn route(&self, path: &str) -> (Option<usize>, String) {
        let mut best: Option<(usize, usize)> = None;
        for (i, (dest, _)) in self.mounts.iter().enumerate() {
            let inside = path == dest
                || (path.len() > dest.len()
                    && path.starts_with(dest.as_str())
                    && path.as_bytes().get(dest.len()) == Some(&b'/'));
            if inside && best.is_none_or(|(_, len)| dest.len() > len) {
                best = Some((i, dest.len()));
            }
        }
        match best {
            Some((i, len)) => {
                let rest = path.get(len..).unwrap_or("");
                let inner = if rest.is_empty() { "/" } else { rest };
                (Some(i), inner.to_string())
            }
            None => (None, path.to_string()),
        }
    }

    fn fs(&self, at: Option<usize>) -> &OverlayFs<'a> {
        match at.and_then(|i| self.mounts.get(i)) {
            Some((_, fs)) => fs,
            None => &self.root,
        }
    }

    fn fs_mut(&mut self, at: Option<usize>) -> &mut OverlayFs<'a> {
        if let Some((_, fs)) = at.and_then(|i| self.mounts.get_mut(i)) {
            return fs;
        }
        &mut self.root
    }
}

impl ShellFs for MountedFs<'_> {
    fn lstat(&self, path: &str) -> FsResult<Metadata> {
        let (at, p) = self.route(path);
        self.fs(at).lstat(&p)
    }

    fn stat(&self, path: &str) -> FsResult<Metadata> {
        let (at, p) = self.route(path);
        self.fs(at).stat(&p)
    }

    fn read_file(&self, path: &str) -> FsResult<Content> {
        let (at, p) = self.route(path);
        self.fs(at).read_file(&p)
    }

    fn write_file(
        &mut self,
        path: &str,
        data: Data<'_>,
        how: WriteMode,
        new: NewNode,
    ) -> FsResult<()> {
        let (at, p) = self.route(path);
        self.fs_mut(at).write_file(&p, data, how, new)
    }

    fn set_len(&mut self, path: &str, len: u64, new: NewNode) -> FsResult<()> {
        let (at, p) = self.route(path);
        self.fs_mut(at).set_len(&p, len, new)
    }

    fn mkdir(&mut self, path: &str, new: NewNode) -> FsResult<()> {
        let (at, p) = self.route(path);
        if at.is_some() && p == "/" {
            return Err(Errno::Exists);
        }
        self.fs_mut(at).mkdir(&p, new)
    }

    fn remove(&mut self, path: &str, recursive: bool) -> FsResult<()> {
        let (at, p) = self.route(path);
        if at.is_some() && p == "/" {
            // A mount point cannot be removed while mounted.
            return Err(Errno::Busy);
        }
        self.fs_mut(at).remove(&p, recursive)
    }

    fn rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        let (a, pa) = self.route(from);
        let (b, pb) = self.route(to);
        if a != b {
            return Err(Errno::CrossDevice);
        }
        self.fs_mut(a).rename(&pa, &pb)
    }

    fn symlink(&mut self, target: &str, link: &str, owner: NewNode) -> FsResult<()> {
        let (at, p) = self.route(link);
        self.fs_mut(at).symlink(target, &p, owner)
    }

    fn hardlink(&mut self, existing: &str, link: &str) -> FsResult<()> {
        let (a, pa) = self.route(existing);
        let (b, pb) = self.route(link);
        if a != b {
            return Err(Errno::CrossDevice);
        }
        self.fs_mut(a).hardlink(&pa, &pb)
    }

    fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let (at, p) = self.route(path);
        self.fs_mut(at).chmod(&p, mode)
    }

    fn chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()> {
        let (at, p) = self.route(path);
        self.fs_mut(at).chown(&p, uid, gid, follow)
    }

    fn read_dir(&self, path: &str) -> FsResult<Vec<String>> {
        let (at, p) = self.route(path);
        self.fs(at).read_dir(&p)
    }

    fn readlink(&self, path: &str) -> FsResult<String> {
        let (at, p) = self.route(path);
        self.fs(at).readlink(&p)
    }

    fn touch(&mut self, path: &str) -> FsResult<()> {
        let (at, p) = self.route(path);
        self.fs_mut(at).touch(&p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vfs::WriteMode as VfsWrite;

    const ROOT: NewNode = NewNode {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };

    #[test]
    fn writes_under_a_mount_point_land_in_the_volume() {
        let mut root = OverlayView::new(vec![]);
        root.mkdir_all("/data", 0o755).unwrap_or_default();
        let mut vol = OverlayView::new(vec![]);
        {
            let mut fs = MountedFs::new(&mut root, vec![("/data".to_string(), &mut vol)]);
            fs.write_file("/data/db", Data::Bytes(b"12345"), WriteMode::Truncate, ROOT)
                .unwrap_or_default();
            fs.write_file("/etc-note", Data::Bytes(b"ab"), WriteMode::Truncate, ROOT)
                .unwrap_or_default();
            assert_eq!(fs.rename("/data/db", "/db"), Err(Errno::CrossDevice));
            assert_eq!(fs.remove("/data", true), Err(Errno::Busy));
            assert_eq!(fs.stat("/data/db").map(|m| m.size), Ok(5));
        }
        assert_eq!(vol.upper_size(), 5);
        assert_eq!(root.upper_size(), 2);
        assert!(root.read("/data/db").is_err());
        vol.write_bytes("/more", b"x", VfsWrite::Append)
            .unwrap_or_default();
        assert_eq!(vol.upper_size(), 6);
    }
}
