//! Unfetched source trees: directories that received an archive whose content the
//! playground does not have (`curl -o x.tar.gz URL && tar xzf x.tar.gz -C /usr/src/x`).
//! Real Docker would find the sources there; we only know that *something* was unpacked.
//!
//! The interpreter keeps the roots of such trees for the whole RUN (they survive
//! subshells and nested shells, like the filesystem does), and hands them in and out
//! through `RunRequest::unfetched_trees` / `RunOutcome::unfetched_trees` so a builder can
//! carry them to later RUN steps. They are state, never files: nothing shows up in a layer.
//!
//! Inside a tree, commands that would come from the sources behave as approximations
//! instead of failing: a path command (`./configure`, `./autogen.sh`) succeeds without
//! running anything, `cd` into a missing directory creates it (the real archive has it),
//! and `make` (see `engine::programs::make`) builds nothing. Each case records an
//! `Approximated` event saying that nothing was compiled.
//!
//! Invariants: roots are absolute and normalized; `/` is never a root (it would swallow
//! every missing path); the list is bounded.

use super::fs;
use super::interp::Interp;
use super::EventKind;

/// At most this many roots are remembered (oldest dropped first).
const MAX_TREES: usize = 64;

impl Interp<'_> {
    /// Remembers that `dir` (absolute) received an archive of unknown content.
    pub(crate) fn mark_unfetched_tree(&mut self, dir: &str) {
        let dir = fs::normalize(dir);
        if dir == "/" || self.unfetched_root(&dir).is_some() {
            return;
        }
        // A wider root replaces the narrower ones it covers.
        self.unfetched
            .retain(|r| !(r.starts_with(&dir) && r.as_bytes().get(dir.len()) == Some(&b'/')));
        if self.unfetched.len() >= MAX_TREES {
            self.unfetched.remove(0);
        }
        self.unfetched.push(dir);
    }

    /// The root of the unfetched tree that contains `path` (absolute), if any.
    pub(crate) fn unfetched_root(&self, path: &str) -> Option<String> {
        self.unfetched
            .iter()
            .find(|r| {
                path == r.as_str()
                    || (path.starts_with(r.as_str()) && path.as_bytes().get(r.len()) == Some(&b'/'))
            })
            .cloned()
    }

    /// A path command (`./configure`) that does not exist but lies in an unfetched tree:
    /// succeeds without running anything. Returns `None` outside such trees.
    pub(crate) fn run_unfetched_path(&mut self, path: &str, name: &str) -> Option<i32> {
        let root = self.unfetched_root(path)?;
        self.record(
            EventKind::Approximated,
            name,
            format!(
                "{name} comes from sources unpacked into {root}, which were not downloaded: \
                 it did not run, nothing was compiled and its outputs are not in the layer"
            ),
        );
        Some(0)
    }

    /// `cd` (or `make -C`, …: `command`) into a missing directory of an unfetched tree:
    /// creates it (the real archive has it) and reports the approximation. False outside
    /// such trees.
    pub(crate) fn materialize_unfetched_dir(&mut self, path: &str, command: &str) -> bool {
        let Some(root) = self.unfetched_root(path) else {
            return false;
        };
        let mut cur = String::new();
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            cur.push('/');
            cur.push_str(comp);
            if self.fs.stat(&cur).is_err() && self.sys_mkdir(&cur, 0o755).is_err() {
                return false;
            }
        }
        self.record(
            EventKind::Approximated,
            command,
            format!(
                "{path} is assumed to come from the archive unpacked into {root}, whose content \
                 was not downloaded: the directory was created empty"
            ),
        );
        true
    }
}
