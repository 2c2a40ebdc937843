//! Errno-like errors of the vfs. Each error names the path the caller passed in, so a shell
//! can print it the way coreutils/busybox do (`cat: /x: No such file or directory`).

use std::fmt;

/// The subset of POSIX error numbers the vfs can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Errno {
    /// A path component does not exist.
    NoEnt,
    /// A component used as a directory is not one.
    NotDir,
    /// The operation wanted a non-directory.
    IsDir,
    /// The target already exists.
    Exist,
    /// `rmdir`/`rename` onto a directory that still has entries.
    NotEmpty,
    /// More than 40 symbolic links were followed.
    Loop,
    /// Permission bits refuse the access.
    Access,
    /// Only the owner or root may do this (chmod/chown, hard link to a directory, sticky dir).
    Perm,
    /// Invalid argument, e.g. renaming a directory into itself.
    Inval,
    /// A path or a name is longer than Linux allows.
    NameTooLong,
    /// A budget of the simulation was exhausted (too many entries).
    NoSpace,
    /// The operation targets `/` itself, which cannot be removed or replaced.
    Busy,
}

impl Errno {
    /// The C name, e.g. `ENOENT`.
    pub fn name(self) -> &'static str {
        match self {
            Errno::NoEnt => "ENOENT",
            Errno::NotDir => "ENOTDIR",
            Errno::IsDir => "EISDIR",
            Errno::Exist => "EEXIST",
            Errno::NotEmpty => "ENOTEMPTY",
            Errno::Loop => "ELOOP",
            Errno::Access => "EACCES",
            Errno::Perm => "EPERM",
            Errno::Inval => "EINVAL",
            Errno::NameTooLong => "ENAMETOOLONG",
            Errno::NoSpace => "ENOSPC",
            Errno::Busy => "EBUSY",
        }
    }

    /// `strerror` text of glibc (Debian, Ubuntu images).
    pub fn message(self) -> &'static str {
        match self {
            Errno::NoEnt => "No such file or directory",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::Exist => "File exists",
            Errno::NotEmpty => "Directory not empty",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::Access => "Permission denied",
            Errno::Perm => "Operation not permitted",
            Errno::Inval => "Invalid argument",
            Errno::NameTooLong => "File name too long",
            Errno::NoSpace => "No space left on device",
            Errno::Busy => "Device or resource busy",
        }
    }

    /// `strerror` text of musl (Alpine images); it differs from glibc for a few errors.
    pub fn message_musl(self) -> &'static str {
        match self {
            Errno::Loop => "Symbolic link loop",
            Errno::NameTooLong => "Filename too long",
            Errno::Busy => "Resource busy",
            other => other.message(),
        }
    }
}

/// An error of a vfs operation: what went wrong and on which path (as the caller spelled it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VfsError {
    pub errno: Errno,
    pub path: String,
}

impl VfsError {
    pub fn new(errno: Errno, path: impl Into<String>) -> Self {
        Self {
            errno,
            path: path.into(),
        }
    }
}

impl fmt::Display for VfsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.errno.message())
    }
}

impl std::error::Error for VfsError {}

/// Result of vfs operations.
pub type VfsResult<T> = Result<T, VfsError>;
