//! COPY and ADD into a stage's filesystem (docker-semantics §1.4, §10): sources from the
//! build context, another stage or an image; wildcards (Go `filepath.Match`); a directory
//! source copies its contents; a trailing `/` (or an existing directory) makes the
//! destination a directory; files keep their mode and are owned 0:0 unless `--chown`;
//! `--chmod` overrides the mode; ADD extracts local tar archives and downloads URLs.

use super::context::{normalize, BuildContext, ContextKind};
use crate::engine::glob::{go_match, has_wildcards, IgnoreMatcher};
use crate::engine::vfs::{Content, Entry, FileType, Meta, Node, OverlayView, Time};
use crate::expand::scope::BuilderKind;

/// Where COPY reads from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Context(&'a BuildContext),
    /// The root filesystem of another stage or an image (`--from`).
    Fs(&'a OverlayView),
}

/// What COPY/ADD was asked to do, with every value expanded.
#[derive(Debug, Clone)]
pub struct CopyRequest {
    pub add: bool,
    pub sources: Vec<String>,
    /// Inline files from heredocs: (name, content).
    pub inline: Vec<(String, String)>,
    /// Absolute destination (WORKDIR already applied); keeps a trailing `/`.
    pub dest: String,
    pub owner: Option<(u32, u32)>,
    pub chmod: Option<u32>,
    /// `--exclude` patterns (`.dockerignore` rules, applied to the sources).
    pub exclude: Vec<String>,
    /// ADD of a Git repository: keep its `.git` directory (`--keep-git-dir=true`).
    pub keep_git_dir: bool,
    pub builder: BuilderKind,
    pub now: Time,
}

impl CopyRequest {
    /// The destination as a directory path, without its trailing `/` (`/` stays `/`).
    pub fn dest_dir(&self) -> &str {
        let dest = self.dest.trim_end_matches('/');
        if dest.is_empty() {
            "/"
        } else {
            dest
        }
    }
}

/// One file or directory to place.
#[derive(Debug, Clone)]
struct Item {
    /// Path relative to the destination directory.
    relative: String,
    /// Part of a directory source: always placed below the destination.
    in_dir: bool,
    entry: Entry,
}

/// The source checksums that go into the cache key: (source as written, checksum).
pub type Checksums = Vec<(String, String)>;

/// Runs the copy; returns the source checksums for the cache key, or Docker's error text.
pub fn copy(
    view: &mut OverlayView,
    source: Source<'_>,
    request: &CopyRequest,
) -> Result<Checksums, String> {
    let mut items: Vec<Item> = Vec::new();
    let mut checksums = Vec::new();
    let mut source_count = 0usize;
    let mut git_checkout = false;
    for raw in &request.sources {
        if request.add && is_git_ref(raw) {
            // A Git repository: its checkout lands in the destination directory. Nothing is
            // fetched, so the directory stays empty (the builder notes it and remembers it
            // as an unfetched source tree); `.git` only with --keep-git-dir=true.
            git_checkout = true;
            if request.keep_git_dir {
                items.push(Item {
                    relative: ".git".to_string(),
                    in_dir: true,
                    entry: Entry::dir(Meta::new(0o755, 0, 0, request.now)),
                });
            }
            checksums.push((raw.clone(), format!("git:{raw}")));
            source_count += 1;
            continue;
        }
        if request.add && is_url(raw) {
            let name = url_file_name(raw);
            // A download: one file with mode 600; its content is not fetched (no network).
            let meta = Meta::new(0o600, 0, 0, request.now);
            let entry = Entry::file(Content::sized_at(raw, 1024), meta);
            items.push(Item {
                relative: name,
                in_dir: false,
                entry,
            });
            checksums.push((raw.clone(), format!("url:{raw}")));
            source_count += 1;
            continue;
        }
        let matched = match source {
            Source::Context(context) => context_items(context, raw, request)?,
            Source::Fs(fs) => fs_items(fs, raw, request)?,
        };
        checksums.push((raw.clone(), matched.checksum));
        source_count += matched.top_level;
        items.extend(matched.items);
    }
    for (name, content) in &request.inline {
        let meta = Meta::new(0o644, 0, 0, request.now);
        let entry = Entry::file(Content::from_bytes(content.as_bytes()), meta);
        items.push(Item {
            relative: name.clone(),
            in_dir: false,
            entry,
        });
        checksums.push((format!("<<{name}"), crate::text::hex(name.as_bytes())));
        source_count += 1;
    }
    let dest_is_dir = request.dest.ends_with('/')
        || view
            .stat(&request.dest)
            .map(|s| s.file_type == FileType::Dir)
            .unwrap_or(false);
    // The legacy builder checks the text only, whatever exists.
    if source_count > 1 && !request.dest.ends_with('/') && request.builder == BuilderKind::Legacy {
        let keyword = if request.add { "ADD" } else { "COPY" };
        return Err(format!(
            "When using {keyword} with more than one source file, the destination must be a directory and end with a /"
        ));
    }
    if source_count == 0 && request.builder == BuilderKind::Legacy {
        let keyword = if request.add { "ADD" } else { "COPY" };
        return Err(format!("{keyword} failed: no source files were specified"));
    }
    let dest = request.dest_dir();
    let parent = Meta::new(0o755, 0, 0, request.now);
    if git_checkout {
        place(view, dest, Entry::dir(parent), parent)
            .map_err(|e| format!("failed to copy files: {e}"))?;
    }
    for item in items {
        // A file to a non-directory destination is written as that name (BuildKit also
        // does this, the last one winning, for several sources: moby/buildkit#1853).
        let target = if dest_is_dir || item.in_dir {
            join(dest, &item.relative)
        } else {
            dest.to_string()
        };
        let mut entry = item.entry;
        if let Some((uid, gid)) = request.owner {
            entry.meta.uid = uid;
            entry.meta.gid = gid;
        }
        if let Some(mode) = request.chmod {
            entry.meta.mode = mode;
        }
        place(view, &target, entry, parent).map_err(|e| format!("failed to copy files: {e}"))?;
    }
    Ok(checksums)
}

fn place(view: &mut OverlayView, target: &str, entry: Entry, parent: Meta) -> Result<(), String> {
    if entry.is_dir()
        && view
            .stat(target)
            .map(|s| s.file_type == FileType::Dir)
            .unwrap_or(false)
    {
        // Directories merge: keep what is there, take the new metadata.
        return view
            .chmod(target, entry.meta.mode)
            .map_err(|e| e.to_string());
    }
    view.install(target, entry, parent)
        .map_err(|e| e.to_string())
}

fn join(dir: &str, rel: &str) -> String {
    if dir == "/" {
        format!("/{rel}")
    } else {
        format!("{dir}/{rel}")
    }
}

struct Matched {
    items: Vec<Item>,
    checksum: String,
    /// How many sources this word stood for (wildcards can match several).
    top_level: usize,
}

fn context_items(
    context: &BuildContext,
    raw: &str,
    request: &CopyRequest,
) -> Result<Matched, String> {
    let path = normalize(raw);
    let names: Vec<String> = if has_wildcards(&path) {
        let depth = path.split('/').count();
        context
            .paths()
            .filter(|p| p.split('/').count() == depth && go_match(&path, p).unwrap_or(false))
            .map(str::to_string)
            .collect()
    } else if context.kind(&path).is_some() {
        vec![path.clone()]
    } else {
        return Err(not_found(raw, request));
    };
    let mut items = Vec::new();
    let mut sums = Vec::new();
    let meta = |mode| Meta::new(mode, 0, 0, request.now);
    let excluded = IgnoreMatcher::parse(&request.exclude.join("\n"));
    for name in names
        .iter()
        .filter(|n| excluded.is_empty() || !excluded.is_excluded(n))
    {
        sums.push(context.checksum(name));
        let base = name.rsplit('/').next().unwrap_or(name).to_string();
        match context.kind(name) {
            Some(ContextKind::File) => {
                if let Some(file) = context.file(name) {
                    if request.add && is_tar(&file.content) {
                        items.extend(tar_items(&file.content, request.now)?);
                        continue;
                    }
                    let entry = Entry::file(Content::from_bytes(&file.content), meta(file.mode));
                    items.push(Item {
                        relative: base,
                        in_dir: false,
                        entry,
                    });
                }
            }
            Some(ContextKind::Dir) => {
                let below = context.below(name);
                let kept = below.into_iter().filter(|(rel, _)| {
                    excluded.is_empty()
                        || !excluded.is_excluded(format!("{name}/{rel}").trim_start_matches('/'))
                });
                for (rel, file) in kept {
                    let dirs: Vec<&str> = rel.split('/').collect();
                    for depth in 1..dirs.len() {
                        let entry = Entry::dir(meta(0o755));
                        items.push(Item {
                            relative: dirs[..depth].join("/"),
                            in_dir: true,
                            entry,
                        });
                    }
                    let entry = Entry::file(Content::from_bytes(&file.content), meta(file.mode));
                    items.push(Item {
                        relative: rel.clone(),
                        in_dir: true,
                        entry,
                    });
                }
            }
            None => {}
        }
    }
    let top_level = names.len();
    Ok(Matched {
        items,
        checksum: sums.join(","),
        top_level,
    })
}

fn fs_items(fs: &OverlayView, raw: &str, request: &CopyRequest) -> Result<Matched, String> {
    let path = crate::engine::glob::clean_path(&format!("/{raw}"));
    let names: Vec<String> = if has_wildcards(&path) {
        let depth = path.split('/').count();
        fs.walk("/")
            .unwrap_or_default()
            .into_iter()
            .map(|w| w.path)
            .filter(|p| p.split('/').count() == depth && go_match(&path, p).unwrap_or(false))
            .collect()
    } else if fs.exists(&path) {
        vec![path.clone()]
    } else {
        return Err(not_found(raw, request));
    };
    let mut items = Vec::new();
    let mut sums = Vec::new();
    for name in &names {
        let Ok(entry) = fs.entry(name) else { continue };
        let base = name.rsplit('/').next().unwrap_or(name).to_string();
        if entry.is_dir() {
            for walked in fs.walk(name).unwrap_or_default() {
                let Some(rel) = walked
                    .path
                    .strip_prefix(name.as_str())
                    .map(|r| r.trim_start_matches('/'))
                else {
                    continue;
                };
                if rel.is_empty() {
                    continue;
                }
                sums.push(format!("{}:{}", walked.path, fingerprint(&walked.entry)));
                let entry = with_time(walked.entry, request.now);
                items.push(Item {
                    relative: rel.to_string(),
                    in_dir: true,
                    entry,
                });
            }
        } else {
            sums.push(format!("{name}:{}", fingerprint(&entry)));
            items.push(Item {
                relative: base,
                in_dir: false,
                entry: with_time(entry, request.now),
            });
        }
    }
    let top_level = names.len();
    Ok(Matched {
        items,
        checksum: sums.join(","),
        top_level,
    })
}

fn with_time(mut entry: Entry, now: Time) -> Entry {
    entry.meta.mtime = now;
    entry
}

fn fingerprint(entry: &Entry) -> String {
    match &entry.node {
        Node::File { content, .. } => format!("{:x}:{:o}", content.identity(), entry.meta.mode),
        Node::Symlink { target } => format!("l:{target}"),
        Node::Dir { .. } => format!("d:{:o}", entry.meta.mode),
        Node::Whiteout => "w".to_string(),
    }
}

/// Docker's error for a missing source.
fn not_found(raw: &str, request: &CopyRequest) -> String {
    let path = normalize(raw);
    match request.builder {
        BuilderKind::BuildKit => format!(
            "failed to compute cache key: failed to calculate checksum of ref {}: \"/{path}\": not found",
            checksum_ref(&path)
        ),
        BuilderKind::Legacy => {
            let keyword = if request.add { "ADD" } else { "COPY" };
            format!("{keyword} failed: file not found in build context or excluded by .dockerignore: stat {path}: file does not exist")
        }
    }
}

/// A stand-in for BuildKit's `<session>::<ref>` id in error messages, deterministic.
fn checksum_ref(path: &str) -> String {
    let hex = crate::engine::layers::Digest::sha256(path.as_bytes())
        .hex()
        .to_string();
    format!(
        "{}::{}",
        &hex[..25.min(hex.len())],
        &hex[25..50.min(hex.len())]
    )
}

pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Whether ADD treats `source` as a Git repository, as BuildKit's Git reference parser
/// does: a `git://`, `git@`, `ssh://` or `github.com/` remote, or an http(s) URL whose path
/// (before `#ref:subdir`) ends in `.git`.
pub fn is_git_ref(source: &str) -> bool {
    if ["git://", "git@", "ssh://", "github.com/"]
        .iter()
        .any(|p| source.starts_with(p))
    {
        return true;
    }
    let path = source.split(['#', '?']).next().unwrap_or(source);
    is_url(source) && path.trim_end_matches('/').ends_with(".git")
}

fn url_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    match path.split_once('/') {
        Some((_, p)) => p
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or("__unnamed__")
            .to_string(),
        None => "__unnamed__".to_string(),
    }
}

/// ADD of a local archive: its members, extracted into the destination (gzip or plain tar,
/// recognised by content; xz and bzip2 are not read and stay an error).
fn tar_items(content: &[u8], now: Time) -> Result<Vec<Item>, String> {
    use crate::engine::shell::programs::archive::{gunzip_bytes, tar_decode};
    let plain = if content.starts_with(&[0x1f, 0x8b]) {
        gunzip_bytes(content)?
    } else {
        content.to_vec()
    };
    let entries = tar_decode(&plain)?;
    let mut items = Vec::new();
    for entry in entries {
        let relative = entry
            .path
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if relative.is_empty() || relative.split('/').any(|c| c == "..") {
            continue;
        }
        let meta = Meta::new(entry.mode & 0o7777, entry.uid, entry.gid, now);
        let node = match entry.kind {
            b'5' => Entry::dir(meta),
            b'2' => Entry::symlink(&entry.link, meta),
            b'0' | b'7' => {
                let content = match &entry.data {
                    Some(bytes) => Content::from_bytes(bytes),
                    None => Content::sized_at(&relative, entry.size),
                };
                Entry::file(content, meta)
            }
            _ => continue,
        };
        items.push(Item {
            relative,
            in_dir: true,
            entry: node,
        });
    }
    Ok(items)
}

fn is_tar(content: &[u8]) -> bool {
    content.starts_with(&[0x1f, 0x8b]) || content.get(257..262) == Some(b"ustar")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(sources: &[&str], dest: &str, builder: BuilderKind) -> CopyRequest {
        CopyRequest {
            add: false,
            sources: sources.iter().map(|s| s.to_string()).collect(),
            inline: vec![],
            dest: dest.to_string(),
            owner: None,
            chmod: None,
            exclude: vec![],
            keep_git_dir: false,
            builder,
            now: 0,
        }
    }

    fn context() -> BuildContext {
        BuildContext::from_files(
            [
                ("hello.txt", &b"test\n"[..]),
                ("src/a.go", b"package a"),
                ("src/b.go", b"package b"),
                ("x.cpp", b"int"),
            ],
            "Dockerfile",
        )
    }

    #[test]
    fn single_file_to_a_directory_and_to_a_name() {
        let mut view = OverlayView::new(vec![]);
        copy(
            &mut view,
            Source::Context(&context()),
            &request(&["./hello.txt"], "/app/", BuilderKind::BuildKit),
        )
        .unwrap();
        assert_eq!(
            view.read("/app/hello.txt").unwrap().bytes(),
            Some(&b"test\n"[..])
        );
        copy(
            &mut view,
            Source::Context(&context()),
            &request(&["x.cpp"], "/src/source.cpp", BuilderKind::BuildKit),
        )
        .unwrap();
        assert!(view.exists("/src/source.cpp"));
    }

    #[test]
    fn a_directory_copies_its_contents() {
        let mut view = OverlayView::new(vec![]);
        copy(
            &mut view,
            Source::Context(&context()),
            &request(&["src"], "/go/", BuilderKind::BuildKit),
        )
        .unwrap();
        assert!(view.exists("/go/a.go") && view.exists("/go/b.go") && !view.exists("/go/src"));
    }

    #[test]
    fn wildcards_and_missing_sources() {
        let mut view = OverlayView::new(vec![]);
        copy(
            &mut view,
            Source::Context(&context()),
            &request(&["src/*.go"], "/w/", BuilderKind::BuildKit),
        )
        .unwrap();
        assert!(view.exists("/w/a.go") && view.exists("/w/b.go"));
        let err = copy(
            &mut view,
            Source::Context(&context()),
            &request(&["./hello.txt", "#"], "/x/", BuilderKind::BuildKit),
        )
        .unwrap_err();
        assert!(err.ends_with("\"/#\": not found"), "{err}");
        let err = copy(
            &mut view,
            Source::Context(&context()),
            &request(&["#"], "/x/", BuilderKind::Legacy),
        )
        .unwrap_err();
        assert_eq!(err, "COPY failed: file not found in build context or excluded by .dockerignore: stat #: file does not exist");
        let err = copy(
            &mut view,
            Source::Context(&context()),
            &request(&["src/*.go"], "/w", BuilderKind::Legacy),
        )
        .unwrap_err();
        assert_eq!(err, "When using COPY with more than one source file, the destination must be a directory and end with a /");
    }

    #[test]
    fn add_extracts_a_local_tar_and_exclude_skips_files() {
        // A one-file ustar archive: "hi.txt" containing "hi\n".
        let mut tar = vec![0u8; 512];
        tar[..6].copy_from_slice(b"hi.txt");
        tar[100..107].copy_from_slice(b"0000644");
        tar[124..135].copy_from_slice(b"00000000003");
        tar[156] = b'0';
        tar[257..262].copy_from_slice(b"ustar");
        tar[148..156].copy_from_slice(b"        ");
        let sum: u32 = tar.iter().map(|&b| u32::from(b)).sum();
        tar[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        let mut body = b"hi\n".to_vec();
        body.resize(512, 0);
        tar.extend(body);
        tar.extend(vec![0u8; 1024]);
        let context = BuildContext::from_files([("a.tar", tar.as_slice())], "Dockerfile");
        let mut view = OverlayView::new(vec![]);
        let mut add = request(&["a.tar"], "/opt/", BuilderKind::BuildKit);
        add.add = true;
        copy(&mut view, Source::Context(&context), &add).unwrap();
        assert_eq!(
            view.read("/opt/hi.txt").unwrap().bytes(),
            Some(&b"hi\n"[..])
        );
        assert!(!view.exists("/opt/a.tar"));

        let mut view = OverlayView::new(vec![]);
        let mut req = request(&["src"], "/w/", BuilderKind::BuildKit);
        req.exclude = vec!["**/b.go".into()];
        copy(&mut view, Source::Context(&context_with_src()), &req).unwrap();
        assert!(view.exists("/w/a.go") && !view.exists("/w/b.go"));
    }

    fn context_with_src() -> BuildContext {
        context()
    }

    #[test]
    fn git_references() {
        for (source, git) in [
            ("https://github.com/moby/buildkit.git#v0.10.1", true),
            ("https://github.com/moby/buildkit.git", true),
            ("git@github.com:moby/buildkit.git", true),
            ("git://example.org/repo", true),
            ("github.com/moby/buildkit", true),
            ("https://github.com/moby/buildkit", false),
            ("https://example.org/a.tar.gz", false),
            ("./local.git", false),
        ] {
            assert_eq!(is_git_ref(source), git, "{source}");
        }
    }

    #[test]
    fn url_file_names() {
        assert_eq!(
            url_file_name("https://example.com/a/b.tar.gz?x=1"),
            "b.tar.gz"
        );
        assert_eq!(url_file_name("https://example.com"), "__unnamed__");
    }
}
