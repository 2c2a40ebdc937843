//! The build context: the files `docker build` sends, after `.dockerignore`.
//!
//! Paths are relative, `/`-separated and cleaned (`app/main.go`). Directories are implied by
//! the files below them (an empty directory can be listed explicitly). Content checksums
//! cover content and mode, never mtime (docker-semantics §7.1).

use crate::engine::glob::{clean_path, IgnoreMatcher};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFile {
    pub content: Vec<u8>,
    pub mode: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildContext {
    files: BTreeMap<String, ContextFile>,
    dirs: BTreeSet<String>,
    /// Files left out by `.dockerignore` (shown to learners).
    ignored: Vec<String>,
}

/// What a context path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    File,
    Dir,
}

impl BuildContext {
    /// A context from `(path, content)` pairs; `.dockerignore` (or `<dockerfile>.dockerignore`)
    /// among them is applied. Files get mode 0644.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        dockerfile_name: &str,
    ) -> Self {
        let mut all: BTreeMap<String, ContextFile> = BTreeMap::new();
        for (path, content) in files {
            let clean = normalize(path);
            if clean.is_empty() {
                continue;
            }
            all.insert(
                clean,
                ContextFile {
                    content: content.to_vec(),
                    mode: 0o644,
                },
            );
        }
        let specific = format!("{dockerfile_name}.dockerignore");
        let rules = all
            .get(&specific)
            .or_else(|| all.get(".dockerignore"))
            .map(|f| IgnoreMatcher::parse(&String::from_utf8_lossy(&f.content)))
            .unwrap_or_default();
        let mut context = BuildContext::default();
        for (path, file) in all {
            if !rules.is_empty() && rules.is_excluded(&path) {
                context.ignored.push(path);
            } else {
                context.insert(path, file);
            }
        }
        context
    }

    fn insert(&mut self, path: String, file: ContextFile) {
        let mut parent = path.as_str();
        while let Some((dir, _)) = parent.rsplit_once('/') {
            self.dirs.insert(dir.to_string());
            parent = dir;
        }
        self.files.insert(path, file);
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &ContextFile)> {
        self.files.iter().map(|(p, f)| (p.as_str(), f))
    }

    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    pub fn kind(&self, path: &str) -> Option<ContextKind> {
        let path = normalize(path);
        if path.is_empty() || self.dirs.contains(&path) {
            Some(ContextKind::Dir)
        } else if self.files.contains_key(&path) {
            Some(ContextKind::File)
        } else {
            None
        }
    }

    pub fn file(&self, path: &str) -> Option<&ContextFile> {
        self.files.get(&normalize(path))
    }

    /// Every file at or below `path` (`""` is the root), with paths relative to `path`.
    pub fn below(&self, path: &str) -> Vec<(String, &ContextFile)> {
        let path = normalize(path);
        if path.is_empty() {
            return self.files.iter().map(|(p, f)| (p.clone(), f)).collect();
        }
        let prefix = format!("{path}/");
        self.files
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, f)| (p[prefix.len()..].to_string(), f))
            .collect()
    }

    /// Every path (files and directories), for wildcard matching.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.dirs
            .iter()
            .map(String::as_str)
            .chain(self.files.keys().map(String::as_str))
    }

    /// Checksum of a file or a directory tree: content and mode, not mtime.
    pub fn checksum(&self, path: &str) -> String {
        let mut hasher = Sha256::new();
        match self.kind(path) {
            Some(ContextKind::File) => {
                if let Some(file) = self.file(path) {
                    hash_file(&mut hasher, "", file);
                }
            }
            Some(ContextKind::Dir) => {
                for (rel, file) in self.below(path) {
                    hash_file(&mut hasher, &rel, file);
                }
            }
            None => hasher.update(b"missing"),
        }
        crate::text::hex(&hasher.finalize())
    }

    /// Total bytes, as `transferring context: 30B` reports.
    pub fn total_size(&self) -> u64 {
        self.files.values().map(|f| f.content.len() as u64).sum()
    }

    /// Bytes of the tar stream the legacy builder sends (`Sending build context to Docker
    /// daemon  2.048kB` for a lone small Dockerfile): a 512-byte header per directory and
    /// file, file data padded to 512-byte blocks, and the 1024-byte end marker. (Names
    /// longer than 100 bytes would need extra headers; not counted.)
    pub fn tar_size(&self) -> u64 {
        const BLOCK: u64 = 512;
        let files: u64 = self
            .files
            .values()
            .map(|f| BLOCK + (f.content.len() as u64).div_ceil(BLOCK) * BLOCK)
            .sum();
        files + self.dirs.len() as u64 * BLOCK + 2 * BLOCK
    }
}

fn hash_file(hasher: &mut Sha256, path: &str, file: &ContextFile) {
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(format!("{:o}", file.mode).as_bytes());
    hasher.update([0]);
    hasher.update(&file.content);
    hasher.update([0]);
}

/// A context-relative path: leading `/`, `./` and any `..` that would leave the context are
/// dropped, as Docker does for COPY sources.
pub fn normalize(path: &str) -> String {
    let cleaned = clean_path(&format!("/{path}"));
    cleaned.trim_start_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_leaves_files_out_and_sources_are_normalised() {
        let context = BuildContext::from_files(
            [
                ("hello.txt", &b"test\n"[..]),
                ("src/app.go", b"package main"),
                ("node_modules/x.js", b"x"),
                (".dockerignore", b"node_modules\n*.md\n"),
                ("README.md", b"# hi"),
            ],
            "Dockerfile",
        );
        assert_eq!(context.kind("./hello.txt"), Some(ContextKind::File));
        assert_eq!(context.kind("/src"), Some(ContextKind::Dir));
        assert_eq!(context.kind("../../hello.txt"), Some(ContextKind::File));
        assert_eq!(context.kind("node_modules/x.js"), None);
        assert_eq!(context.ignored(), ["README.md", "node_modules/x.js"]);
        assert_eq!(context.below("src").len(), 1);
    }

    #[test]
    fn checksums_cover_content_not_names_of_other_files() {
        let a = BuildContext::from_files([("app.go", &b"v1"[..])], "Dockerfile");
        let b = BuildContext::from_files([("app.go", &b"v2"[..]), ("x", &b""[..])], "Dockerfile");
        let c = BuildContext::from_files([("app.go", &b"v1"[..]), ("y", &b"1"[..])], "Dockerfile");
        assert_ne!(a.checksum("app.go"), b.checksum("app.go"));
        assert_eq!(a.checksum("app.go"), c.checksum("app.go"));
    }

    #[test]
    fn the_legacy_context_is_a_tar_stream() {
        // One small Dockerfile: header + one block + end marker = 2.048kB, as Docker prints.
        let lone = BuildContext::from_files([("Dockerfile", &b"FROM alpine\n"[..])], "Dockerfile");
        assert_eq!(lone.tar_size(), 2048);
        let nested = BuildContext::from_files(
            [
                ("Dockerfile", &b"FROM alpine\n"[..]),
                ("src/a.go", &[0u8; 513][..]),
            ],
            "Dockerfile",
        );
        assert_eq!(nested.tar_size(), 1024 + 512 + (512 + 1024) + 1024);
    }
}
