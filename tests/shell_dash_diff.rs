//! Differential test: every script runs twice — in the real dash (`/bin/sh`) inside a
//! fresh temporary directory, and in the interpreter on a `MemFs` — and stdout, exit
//! status and the resulting files (names, kinds, contents, modes, link targets) must be
//! identical. Skips with a message if `/bin/sh` is not dash.
//!
//! Scripts may only touch their scratch directory: a lint rejects absolute paths (other
//! than a few devices) and `..`, because the real run executes on this machine.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::{
    self, FileKind, ImageFlavor, MemFs, Registry, RunRequest, ShellFs, UnknownCommands,
};
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

#[path = "shell_data/dash_scripts.rs"]
mod scripts;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    File { content: Vec<u8>, mode: u32 },
    Dir { mode: u32 },
    Link { target: String },
}

type Tree = BTreeMap<String, Node>;

const ALLOWED_ABSOLUTE: [&str; 4] = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/zero"];

/// Rejects scripts that could touch anything outside their scratch directory.
fn lint(script: &str) -> Result<(), String> {
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
    if script.contains("..") && !script.contains("{a..") {
        return Err("`..` is not allowed".to_string());
    }
    for bad in [
        "~", "$HOME", "cd -", "cd\n", "cd;", "cd &&", "$PWD/..", "sudo", "chown", "useradd",
    ] {
        if script.contains(bad) {
            return Err(format!("`{bad}` is not allowed"));
        }
    }
    Ok(())
}

fn walk_host(root: &Path, dir: &Path, out: &mut Tree) {
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

fn walk_mem(fs: &MemFs, root: &str, dir: &str, out: &mut Tree) {
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

struct Outcome {
    stdout: String,
    status: i32,
    tree: Tree,
    stderr: String,
}

fn run_dash(script: &str, n: usize) -> Outcome {
    let dir = std::env::temp_dir().join(format!("shell-dash-diff-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new("/bin/sh")
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
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code().unwrap_or(-1),
        tree,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run_ours(script: &str) -> Outcome {
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
    let mut req = RunRequest::shell_form(&[], &format!("umask 022\n{script}"));
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

fn sh_is_dash() -> bool {
    std::fs::read_link("/bin/sh")
        .map(|t| t.to_string_lossy().contains("dash"))
        .unwrap_or(false)
}

#[test]
fn scripts_are_safe_to_run_on_this_machine() {
    let rejected: Vec<String> = scripts::SCRIPTS
        .iter()
        .enumerate()
        .filter_map(|(i, s)| lint(s).err().map(|e| format!("#{i} ({e}): {s}")))
        .collect();
    assert!(
        rejected.is_empty(),
        "rejected by the lint:\n{}",
        rejected.join("\n")
    );
    assert!(lint("echo > /etc/passwd").is_err());
    assert!(lint("cd ..; rm -rf x").is_err());
    assert!(lint("echo hi >/dev/null").is_ok());
}

#[test]
fn dash_and_interpreter_agree() {
    if !sh_is_dash() {
        eprintln!("SKIPPED: /bin/sh is not dash; the differential test needs dash");
        return;
    }
    let mut failures = Vec::new();
    for (i, script) in scripts::SCRIPTS.iter().enumerate() {
        lint(script).unwrap();
        let real = run_dash(script, i);
        let ours = run_ours(script);
        let mut diffs = Vec::new();
        if real.stdout != ours.stdout {
            diffs.push(format!(
                "stdout:\n  dash: {:?}\n  ours: {:?}",
                real.stdout, ours.stdout
            ));
        }
        if real.status != ours.status {
            diffs.push(format!("status: dash {} ours {}", real.status, ours.status));
        }
        if real.tree != ours.tree {
            diffs.push(format!(
                "files:\n  dash: {:?}\n  ours: {:?}",
                real.tree, ours.tree
            ));
        }
        if !diffs.is_empty() {
            failures.push(format!(
                "#{i}: {script}\n{}\n  dash stderr: {:?}\n  ours stderr: {:?}",
                diffs.join("\n"),
                real.stderr,
                ours.stderr
            ));
        }
    }
    eprintln!(
        "dash differential: {}/{} scripts agree",
        scripts::SCRIPTS.len() - failures.len(),
        scripts::SCRIPTS.len()
    );
    assert!(
        scripts::SCRIPTS.len() >= 150,
        "the table must hold at least 150 scripts"
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
