//! The RUN interpreter's filesystem seam ([`ShellFs`]) over the copy-on-write
//! [`OverlayView`]: the one adapter used by the builder (RUN) and by containers (run, exec).
//! Every write lands in the view's upper layer, so copy-up and whiteouts happen exactly as
//! the vfs models them.

use super::shell::fs::{
    Content as ShellContent, Data, Errno as ShellErrno, FileKind, FsResult, Metadata, NewNode,
    ShellFs, WriteMode as ShellWriteMode,
};
use super::vfs::{Content, Errno, FileType, OverlayView, Stat, VfsError, WriteMode};

/// A [`ShellFs`] view of an overlay.
#[derive(Debug)]
pub struct OverlayFs<'a> {
    pub view: &'a mut OverlayView,
}

impl<'a> OverlayFs<'a> {
    pub fn new(view: &'a mut OverlayView) -> Self {
        Self { view }
    }
}

fn errno(error: VfsError) -> ShellErrno {
    match error.errno {
        Errno::NoEnt => ShellErrno::NotFound,
        Errno::NotDir => ShellErrno::NotDir,
        Errno::IsDir => ShellErrno::IsDir,
        Errno::Exist => ShellErrno::Exists,
        Errno::NotEmpty => ShellErrno::NotEmpty,
        Errno::Loop => ShellErrno::Loop,
        Errno::Access => ShellErrno::PermissionDenied,
        Errno::Perm => ShellErrno::NotPermitted,
        Errno::Inval => ShellErrno::Invalid,
        Errno::NameTooLong => ShellErrno::NameTooLong,
        Errno::NoSpace => ShellErrno::NoSpace,
        Errno::Busy => ShellErrno::Busy,
    }
}

fn metadata(path: &str, stat: Stat) -> Metadata {
    let kind = match stat.file_type {
        FileType::Dir => FileKind::Dir,
        FileType::Symlink => FileKind::Symlink,
        FileType::File => FileKind::File,
    };
    // Hard links share their link group; other files get an inode derived from the path.
    let ino = stat.link.unwrap_or_else(|| {
        path.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        })
    });
    Metadata {
        kind,
        mode: stat.mode,
        uid: stat.uid,
        gid: stat.gid,
        size: if kind == FileKind::Dir {
            4096
        } else {
            stat.size
        },
        ino,
        nlink: 1,
    }
}

fn content(path: &str, data: &Data<'_>) -> Content {
    match data {
        Data::Bytes(bytes) => Content::from_bytes(bytes),
        Data::Unknown(size) => Content::sized_at(path, *size),
    }
}

impl OverlayFs<'_> {
    /// Gives a node created by this call the requested mode and owner.
    fn settle_new(
        &mut self,
        path: &str,
        existed: bool,
        new: NewNode,
        follow: bool,
    ) -> FsResult<()> {
        if existed {
            return Ok(());
        }
        if follow {
            self.view.chmod(path, new.mode).map_err(errno)?;
        }
        self.view
            .chown(path, new.uid, new.gid, follow)
            .map_err(errno)
    }
}

impl ShellFs for OverlayFs<'_> {
    fn lstat(&self, path: &str) -> FsResult<Metadata> {
        self.view
            .lstat(path)
            .map(|s| metadata(path, s))
            .map_err(errno)
    }

    fn stat(&self, path: &str) -> FsResult<Metadata> {
        self.view
            .stat(path)
            .map(|s| metadata(path, s))
            .map_err(errno)
    }

    fn read_file(&self, path: &str) -> FsResult<ShellContent> {
        let content = self.view.read(path).map_err(errno)?;
        Ok(match content.bytes() {
            Some(bytes) => ShellContent::Bytes(bytes.to_vec()),
            None => ShellContent::Unknown {
                size: content.len(),
            },
        })
    }

    fn write_file(
        &mut self,
        path: &str,
        data: Data<'_>,
        how: ShellWriteMode,
        new: NewNode,
    ) -> FsResult<()> {
        let existed = self.view.exists(path);
        let mode = match how {
            ShellWriteMode::Truncate => WriteMode::Truncate,
            ShellWriteMode::Append => WriteMode::Append,
        };
        self.view
            .write(path, content(path, &data), mode)
            .map_err(errno)?;
        self.settle_new(path, existed, new, true)
    }

    fn set_len(&mut self, path: &str, len: u64, new: NewNode) -> FsResult<()> {
        let existed = self.view.exists(path);
        let current = if existed {
            Some(self.view.read(path).map_err(errno)?)
        } else {
            None
        };
        let next = match current.as_ref().and_then(|c| c.bytes()) {
            Some(bytes) if (len as usize) <= bytes.len() => {
                Content::from_bytes(&bytes[..len as usize])
            }
            _ if len == 0 => Content::empty(),
            _ => Content::sized_at(path, len),
        };
        self.view
            .write(path, next, WriteMode::Truncate)
            .map_err(errno)?;
        self.settle_new(path, existed, new, true)
    }

    fn mkdir(&mut self, path: &str, new: NewNode) -> FsResult<()> {
        self.view.mkdir(path, new.mode).map_err(errno)?;
        self.view
            .chown(path, new.uid, new.gid, false)
            .map_err(errno)
    }

    fn remove(&mut self, path: &str, recursive: bool) -> FsResult<()> {
        let stat = self.view.lstat(path).map_err(errno)?;
        let result = match (stat.file_type, recursive) {
            (FileType::Dir, true) => self.view.remove_all(path),
            (FileType::Dir, false) => self.view.remove_dir(path),
            _ => self.view.remove_file(path),
        };
        result.map_err(errno)
    }

    fn rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        self.view.rename(from, to).map_err(errno)
    }

    fn symlink(&mut self, target: &str, link: &str, owner: NewNode) -> FsResult<()> {
        self.view.symlink(target, link).map_err(errno)?;
        self.view
            .chown(link, owner.uid, owner.gid, false)
            .map_err(errno)
    }

    fn hardlink(&mut self, existing: &str, link: &str) -> FsResult<()> {
        self.view.hard_link(existing, link).map_err(errno)
    }

    fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        self.view.chmod(path, mode).map_err(errno)
    }

    fn chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()> {
        let current = if follow {
            self.view.stat(path)
        } else {
            self.view.lstat(path)
        }
        .map_err(errno)?;
        self.view
            .chown(
                path,
                uid.unwrap_or(current.uid),
                gid.unwrap_or(current.gid),
                follow,
            )
            .map_err(errno)
    }

    fn read_dir(&self, path: &str) -> FsResult<Vec<String>> {
        let mut names: Vec<String> = self
            .view
            .list(path)
            .map_err(errno)?
            .into_iter()
            .map(|e| e.name)
            .collect();
        names.sort();
        Ok(names)
    }

    fn readlink(&self, path: &str) -> FsResult<String> {
        self.view.read_link(path).map_err(errno)
    }

    fn touch(&mut self, path: &str) -> FsResult<()> {
        let now = self.view.time();
        self.view.set_mtime(path, now, true).map_err(errno)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::shell::{programs::Registry, run, RunRequest};
    use crate::engine::vfs::Layer;
    use std::sync::Arc;

    #[test]
    fn a_run_through_the_adapter_copies_up_the_whole_file() {
        let mut base = OverlayView::new(vec![]);
        base.mkdir_all("/app", 0o755).unwrap();
        base.write_bytes("/app/hello.txt", b"test\n", WriteMode::Truncate)
            .unwrap();
        let lower: Arc<Layer> = base.commit();
        let mut view = OverlayView::new(vec![lower]);
        let mut request = RunRequest::shell_form(&[], "echo aaaaaaaaabbbbbbbbbb>>hello.txt");
        request.cwd = "/app".into();
        let outcome = run(
            &request,
            &mut OverlayFs::new(&mut view),
            &Registry::standard(),
        );
        assert!(outcome.success(), "{:?}", outcome.stderr());
        let layer = view.snapshot_upper();
        assert_eq!(layer.size(), 25);
    }
}
