//! Shared by the differential tests: runs a script in a real shell inside a fresh
//! temporary directory and in the interpreter on a `MemFs`, and collects stdout, status,
//! stderr and the resulting files. A lint keeps scripts inside their scratch directory.

#![allow(dead_code)] // each test file uses part of the harness

use dockerfile_playground::engine::shell::{
    self, FileKind, ImageFlavor, MemFs, Registry, RunRequest, ShellFs, UnknownCommands,
};
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File { content: Vec<u8>, mode: u32 },
    Dir { mode: u32 },
    Link { target: String },
}

pub type Tree = BTreeMap<String, Node>;

pub const ALLOWED_ABSOLUTE: [&str; 4] = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/zero"];

/// Rejects scripts that could touch anything outside their scratch directory.
pub fn lint(script: &str) -> Result<(), String> {
    let b = script.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'/' {
            continue;
        }
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let path_like = next.is_ascii_alphanumeric() || b"._-$*~{[".contains(&next);
        if path_like && b" \t\n'\"=<>|;(:`".contains(&prev) {
            let rest = &script[i..];
            if !ALLOWED_ABSOLUTE.iter().any(|a| rest.starts_with(a)) {
                return Err(format!(
                    "absolute path at byte {i}: {}",
                    &rest[..rest.len().min(20)]
                ));
            }
        }
    }
    // `..` as a path component (brace sequences like `{1..4}` are fine)
    for (i, _) in script.match_indices("..") {
        let before = if i == 0 { b' ' } else { b[i - 1] };
        let after = b.get(i + 2).copied().unwrap_or(b' ');
        let starts = b" \t\n/'\"=;<>(".contains(&before);
        let ends = b" \t\n/'\";)|&".contains(&after);
        if starts && ends {
            return Err("`..` is not allowed".to_string());
        }
    }
    if script.replace("=~", "").contains('~') {
        return Err("`~` is not allowed".to_string());
    }
    for bad in [
        "$HOME", "cd -", "cd\n", "cd;", "cd &&", "$PWD/..", "sudo", "chown", "useradd",
    ] {
        if script.contains(bad) {
            return Err(format!("`{bad}` is not allowed"));
        }
    }
    Ok(())
}

pub fn walk_host(root: &Path, dir: &Path, out: &mut Tree) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let ft = meta.file_type();
        if ft.is_symlink() {
            let target = std::fs::read_link(&p)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, Node::Link { target });
        } else if ft.is_dir() {
            out.insert(
                rel,
                Node::Dir {
                    mode: meta.permissions().mode() & 0o7777,
                },
            );
            walk_host(root, &p, out);
        } else {
            let content = std::fs::read(&p).unwrap();
            out.insert(
                rel,
                Node::File {
                    content,
                    mode: meta.mode() & 0o7777,
                },
            );
        }
    }
}

pub fn walk_mem(fs: &MemFs, root: &str, dir: &str, out: &mut Tree) {
    for name in fs.read_dir(dir).unwrap() {
        let p = format!("{dir}/{name}");
        let rel = p[root.len() + 1..].to_string();
        let meta = fs.lstat(&p).unwrap();
        match meta.kind {
            FileKind::Symlink => {
                out.insert(
                    rel,
                    Node::Link {
                        target: fs.readlink(&p).unwrap(),
                    },
                );
            }
            FileKind::Dir => {
                out.insert(rel, Node::Dir { mode: meta.mode });
                walk_mem(fs, root, &p, out);
            }
            FileKind::File => {
                let content = match fs.read_file(&p).unwrap() {
                    shell::Content::Bytes(b) => b,
                    shell::Content::Unknown { size } => {
                        format!("<unknown {size} bytes>").into_bytes()
                    }
                };
                out.insert(
                    rel,
                    Node::File {
                        content,
                        mode: meta.mode,
                    },
                );
            }
        }
    }
}

pub struct Outcome {
    pub stdout: String,
    pub status: i32,
    pub tree: Tree,
    pub stderr: String,
}

/// How script `i` ran differently in the real `shell` (named in the text) and in ours:
/// stdout, status and files must agree (stderr is shown, not compared). `None` when they do.
pub fn disagreement(
    shell: &str,
    i: usize,
    script: &str,
    real: &Outcome,
    ours: &Outcome,
) -> Option<String> {
    let mut diffs = Vec::new();
    if real.stdout != ours.stdout {
        diffs.push(format!(
            "stdout:\n  {shell}: {:?}\n  ours: {:?}",
            real.stdout, ours.stdout
        ));
    }
    if real.status != ours.status {
        diffs.push(format!(
            "status: {shell} {} ours {}",
            real.status, ours.status
        ));
    }
    if real.tree != ours.tree {
        diffs.push(format!(
            "files:\n  {shell}: {:?}\n  ours: {:?}",
            real.tree, ours.tree
        ));
    }
    (!diffs.is_empty()).then(|| {
        format!(
            "#{i}: {script}\n{}\n  {shell} stderr: {:?}\n  ours stderr: {:?}",
            diffs.join("\n"),
            real.stderr,
            ours.stderr
        )
    })
}

pub fn run_dash(script: &str, n: usize) -> Outcome {
    run_host("/bin/sh", script, n)
}

/// Runs `script` with a real shell in a fresh scratch directory.
pub fn run_host(shell: &str, script: &str, n: usize) -> Outcome {
    let scratch = format!("shell-dash-diff-{}-{n}", std::process::id());
    run_host_in(shell, script, &scratch).0
}

/// Runs `script` with a real shell in a fresh scratch directory `scratch` (a name under
/// the temporary directory, unique per test); also returns the directory's path.
pub fn run_host_in(shell: &str, script: &str, scratch: &str) -> (Outcome, String) {
    let dir = std::env::temp_dir().join(scratch);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(shell)
        .arg("-c")
        .arg(format!("umask 022\n{script}"))
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let mut tree = Tree::new();
    walk_host(&dir, &dir, &mut tree);
    let _ = std::fs::remove_dir_all(&dir);
    let outcome = Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code().unwrap_or(-1),
        tree,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (outcome, dir.to_string_lossy().into_owned())
}

pub fn run_ours(script: &str) -> Outcome {
    run_ours_with(&["/bin/sh", "-c"], script)
}

/// Runs `script` in the interpreter with the given shell argv (Debian flavour).
pub fn run_ours_with(shell: &[&str], script: &str) -> Outcome {
    let mut fs = MemFs::with_skeleton();
    fs.mkdir(
        "/work",
        shell::NewNode {
            mode: 0o755,
            uid: 0,
            gid: 0,
        },
    )
    .unwrap();
    let shell: Vec<String> = shell.iter().map(|s| s.to_string()).collect();
    let mut req = RunRequest::shell_form(&shell, &format!("umask 022\n{script}"));
    req.cwd = "/work".to_string();
    req.image = ImageFlavor::DEBIAN;
    // dash reports unknown commands as not found; the playground's default is to
    // succeed and report them as not simulated.
    req.unknown_commands = UnknownCommands::NotFound;
    req.env = vec![
        (
            "PATH".to_string(),
            "/usr/local/bin:/usr/bin:/bin".to_string(),
        ),
        ("LC_ALL".to_string(), "C".to_string()),
    ];
    let out = shell::run(&req, &mut fs, &Registry::standard());
    let mut tree = Tree::new();
    walk_mem(&fs, "/work", "/work", &mut tree);
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout()).into_owned(),
        status: out.status,
        tree,
        stderr: String::from_utf8_lossy(&out.stderr()).into_owned(),
    }
}

pub fn sh_is_dash() -> bool {
    std::fs::read_link("/bin/sh")
        .map(|t| t.to_string_lossy().contains("dash"))
        .unwrap_or(false)
}
