//! `git`: what it does to the filesystem and prints, without a network.
//!
//! * `git init` writes the real `.git` skeleton (HEAD, config, description, info/exclude,
//!   objects/, refs/, branches/; the sample hooks with git 2.39's sizes, size-only) and
//!   prints git's messages.
//! * `git clone URL [DIR]` checks the destination like git, prints `Cloning into 'x'...`,
//!   and writes a `.git` whose pack is a size-only estimate; the repository's files are
//!   not fetched (flagged approximated).
//! * `git config` edits the real config files (`--global` ~/.gitconfig, `--system`
//!   /etc/gitconfig, else the repository's), `--get` reads them.
//! * Everything else needs a repository (git's fatal message otherwise) and is
//!   approximated: `rev-parse HEAD` prints a deterministic stand-in id, the rest prints
//!   nothing.

use super::lang_support::{
    distro_version, exists, home, is_dir, read_text, stand_in_hex, write_sized, write_text,
};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// Estimated `.git` pack sizes: a full-history clone of a mid-sized project (a Go library,
/// a tool) is tens of MB; a `--depth` clone holds little more than one snapshot.
const PACK_FULL: u64 = 24_000_000;
const PACK_SHALLOW: u64 = 3_500_000;
/// The index of a checked-out mid-sized tree (one entry of ~100 bytes per file).
const INDEX_SIZE: u64 = 180_000;
/// Default git version when the package database does not tell (Debian 12's git).
const DEFAULT_VERSION: &str = "2.39.5";

/// Sample hooks `git init` copies from the templates (git 2.39), with their sizes.
const HOOKS: [(&str, u64); 13] = [
    ("applypatch-msg.sample", 478),
    ("commit-msg.sample", 896),
    ("fsmonitor-watchman.sample", 4655),
    ("post-update.sample", 189),
    ("pre-applypatch.sample", 424),
    ("pre-commit.sample", 1643),
    ("pre-merge-commit.sample", 416),
    ("pre-push.sample", 1374),
    ("pre-rebase.sample", 4898),
    ("pre-receive.sample", 544),
    ("prepare-commit-msg.sample", 1492),
    ("push-to-checkout.sample", 2783),
    ("update.sample", 3650),
];

const DESCRIPTION: &str =
    "Unnamed repository; edit this file 'description' to name the repository.\n";
const EXCLUDE: &str = "# git ls-files --others --exclude-from=.git/info/exclude\n# Lines that start with '#' are comments.\n# For a project mostly in C, the following would be a good set of\n# exclude patterns (uncomment them if you want to use them):\n# *.[oa]\n# *~\n";
const BRANCH_HINT: &str = "hint: Using 'master' as the name for the initial branch. This default branch name\nhint: is subject to change. To configure the initial branch name to use in all\nhint: of your new repositories, which will suppress this warning, call:\nhint: \nhint: \tgit config --global init.defaultBranch <name>\nhint: \nhint: Names commonly chosen instead of 'master' are 'main', 'trunk' and\nhint: 'development'. The just-created branch can be renamed via this command:\nhint: \nhint: \tgit branch -m <name>\n";
const NOT_A_REPO: &str = "fatal: not a git repository (or any of the parent directories): .git\n";

pub fn register(registry: &mut Registry) {
    registry.register("git", run_git);
}

fn run_git(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "git") {
        return missing;
    }
    // Global options before the subcommand.
    let mut i = 1;
    let mut dir: Option<String> = None;
    let mut overrides: Vec<String> = Vec::new();
    while let Some(arg) = argv.get(i) {
        match arg.as_str() {
            "-C" => {
                let d = argv.get(i + 1).cloned().unwrap_or_default();
                dir = Some(match dir {
                    Some(prev) if !d.starts_with('/') => format!("{prev}/{d}"),
                    _ => d,
                });
                i += 2;
            }
            "-c" => {
                overrides.push(argv.get(i + 1).cloned().unwrap_or_default());
                i += 2;
            }
            "--no-pager" | "-P" | "--bare" | "--no-replace-objects" => i += 1,
            a if a.starts_with("--git-dir=") || a.starts_with("--work-tree=") => i += 1,
            _ => break,
        }
    }
    let cwd = match dir {
        Some(d) => {
            let abs = ctx.abs(&d);
            if !is_dir(ctx, &abs) {
                ctx.err(
                    format!("fatal: cannot change to '{d}': No such file or directory\n")
                        .as_bytes(),
                )?;
                return Ok(128);
            }
            abs
        }
        None => ctx.cwd().to_string(),
    };
    let sub = argv.get(i).map(String::as_str).unwrap_or("");
    let args: Vec<String> = argv.iter().skip(i + 1).cloned().collect();
    match sub {
        "--version" | "version" => {
            let version = distro_version(ctx, &["git"]);
            if version.is_none() {
                ctx.approximated(
                    "git's version is not recorded in this image; a typical one is shown",
                );
            }
            let v = version.unwrap_or_else(|| DEFAULT_VERSION.to_string());
            ctx.out_str(&format!("git version {v}\n"))?;
            Ok(0)
        }
        "" | "help" | "--help" => {
            ctx.out_str("usage: git [-v | --version] [-h | --help] [-C <path>] [-c <name>=<value>]\n           <command> [<args>]\n")?;
            Ok(if sub.is_empty() { 1 } else { 0 })
        }
        "init" => git_init(ctx, &cwd, &args),
        "clone" => git_clone(ctx, &cwd, &args),
        "config" => git_config(ctx, &cwd, &args),
        _ => git_in_repo(ctx, &cwd, sub, &args),
    }
}

/// The `.git` directory of the repository containing `dir`.
fn find_git_dir(ctx: &ProgramCtx<'_, '_>, dir: &str) -> Option<String> {
    let mut cur = dir.trim_end_matches('/').to_string();
    for _ in 0..256 {
        let candidate = format!("{cur}/.git");
        if exists(ctx, &candidate) {
            return Some(candidate);
        }
        if cur.is_empty() {
            return None;
        }
        cur = match cur.rsplit_once('/') {
            Some((parent, _)) => parent.to_string(),
            None => return None,
        };
    }
    None
}

/// Writes the skeleton `git init` creates. Returns false if the directory cannot be made.
fn write_skeleton(ctx: &mut ProgramCtx<'_, '_>, git_dir: &str, bare: bool, branch: &str) -> bool {
    if ctx.mkdir_p(git_dir, 0o755).is_err() {
        return false;
    }
    let config = format!(
        "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = {bare}\n{}",
        if bare {
            ""
        } else {
            "\tlogallrefupdates = true\n"
        }
    );
    let files = [
        ("HEAD", format!("ref: refs/heads/{branch}\n")),
        ("config", config),
        ("description", DESCRIPTION.to_string()),
        ("info/exclude", EXCLUDE.to_string()),
    ];
    for (name, text) in &files {
        write_text(ctx, &format!("{git_dir}/{name}"), text, 0o644);
    }
    for d in [
        "branches",
        "objects/info",
        "objects/pack",
        "refs/heads",
        "refs/tags",
    ] {
        let _ = ctx.mkdir_p(&format!("{git_dir}/{d}"), 0o755);
    }
    for (name, size) in HOOKS {
        write_sized(ctx, &format!("{git_dir}/hooks/{name}"), size, 0o755);
    }
    true
}

fn git_init(ctx: &mut ProgramCtx<'_, '_>, cwd: &str, args: &[String]) -> ProgResult {
    let mut quiet = false;
    let mut bare = false;
    let mut branch: Option<String> = None;
    let mut target: Option<String> = None;
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "--bare" => bare = true,
            "-b" | "--initial-branch" => branch = iter.next().cloned(),
            s if s.starts_with("--initial-branch=") => {
                branch = s.split_once('=').map(|(_, v)| v.to_string())
            }
            s if s.starts_with('-') => {}
            s => target = Some(s.to_string()),
        }
    }
    let root = match &target {
        Some(t) if t.starts_with('/') => t.clone(),
        Some(t) => format!("{}/{t}", cwd.trim_end_matches('/')),
        None => cwd.to_string(),
    };
    let root = ctx.abs(&root);
    let git_dir = if bare {
        root.clone()
    } else {
        format!("{}/.git", root.trim_end_matches('/'))
    };
    let reinit = exists(ctx, &format!("{git_dir}/HEAD"));
    let configured = read_text(ctx, &format!("{}/.gitconfig", home(ctx)))
        .and_then(|t| config_get(&t, "init.defaultBranch"));
    let name = branch
        .clone()
        .or_else(|| configured.clone())
        .unwrap_or_else(|| "master".to_string());
    if !reinit {
        if !write_skeleton(ctx, &git_dir, bare, &name) {
            ctx.err(format!("fatal: cannot mkdir {root}: Permission denied\n").as_bytes())?;
            return Ok(128);
        }
        if branch.is_none() && configured.is_none() {
            ctx.err(BRANCH_HINT.as_bytes())?;
        }
        ctx.approximated(
            "the sample hooks in .git/hooks are size-only (their text is not modelled)",
        );
    }
    if !quiet {
        let word = if reinit {
            "Reinitialized existing"
        } else {
            "Initialized empty"
        };
        let shown = format!("{}/", git_dir.trim_end_matches('/'));
        ctx.out_str(&format!("{word} Git repository in {shown}\n"))?;
    }
    Ok(0)
}

/// `https://host/a/b.git/` → `b`, `git@host:a/b.git` → `b`.
fn humanish(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/.git").unwrap_or(trimmed);
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    last.strip_suffix(".git").unwrap_or(last).to_string()
}

fn git_clone(ctx: &mut ProgramCtx<'_, '_>, cwd: &str, args: &[String]) -> ProgResult {
    let mut quiet = false;
    let mut depth = false;
    let mut bare = false;
    let mut no_checkout = false;
    let mut branch: Option<String> = None;
    let mut operands: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "--bare" | "--mirror" => bare = true,
            "-n" | "--no-checkout" => no_checkout = true,
            "--depth" | "--shallow-since" | "--shallow-exclude" => {
                depth = true;
                iter.next();
            }
            "-b" | "--branch" => branch = iter.next().cloned(),
            "-o" | "--origin" | "-c" | "--config" | "--reference" | "-u" | "--upload-pack"
            | "--separate-git-dir" | "-j" | "--jobs" | "--template" => {
                iter.next();
            }
            s if s.starts_with("--depth=") => depth = true,
            s if s.starts_with("--branch=") => {
                branch = s.split_once('=').map(|(_, v)| v.to_string())
            }
            s if s.starts_with('-') => {}
            s => operands.push(s.to_string()),
        }
    }
    let Some(url) = operands.first().cloned() else {
        ctx.err(b"fatal: You must specify a repository to clone.\n")?;
        return Ok(129);
    };
    let name = match operands.get(1) {
        Some(d) => d.clone(),
        None if bare => format!("{}.git", humanish(&url)),
        None => humanish(&url),
    };
    let target = if name.starts_with('/') {
        name.clone()
    } else {
        format!("{}/{name}", cwd.trim_end_matches('/'))
    };
    let target = ctx.abs(&target);
    if exists(ctx, &target) {
        let empty = ctx.read_dir(&target).map(|e| e.is_empty()).unwrap_or(false);
        if !empty {
            ctx.err(format!("fatal: destination path '{name}' already exists and is not an empty directory.\n").as_bytes())?;
            return Ok(128);
        }
    }
    if !quiet {
        let what = if bare { "bare repository" } else { "" };
        let line = if bare {
            format!("Cloning into {what} '{name}'...\n")
        } else {
            format!("Cloning into '{name}'...\n")
        };
        ctx.err(line.as_bytes())?;
    }
    let git_dir = if bare {
        target.clone()
    } else {
        format!("{target}/.git")
    };
    let head = branch.clone().unwrap_or_else(|| "master".to_string());
    if !write_skeleton(ctx, &git_dir, bare, &head) {
        ctx.err(
            format!("fatal: could not create work tree dir '{name}': Permission denied\n")
                .as_bytes(),
        )?;
        return Ok(128);
    }
    let remote = format!("[remote \"origin\"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"{head}\"]\n\tremote = origin\n\tmerge = refs/heads/{head}\n");
    let _ = ctx.append(
        &format!("{git_dir}/config"),
        crate::engine::shell::fs::Data::Bytes(remote.as_bytes()),
    );
    let pack = format!("pack-{}", stand_in_hex(&url).get(..40).unwrap_or_default());
    let size = if depth { PACK_SHALLOW } else { PACK_FULL };
    write_sized(
        ctx,
        &format!("{git_dir}/objects/pack/{pack}.pack"),
        size,
        0o444,
    );
    write_sized(
        ctx,
        &format!("{git_dir}/objects/pack/{pack}.idx"),
        size / 40,
        0o444,
    );
    write_text(
        ctx,
        &format!("{git_dir}/packed-refs"),
        &format!(
            "# pack-refs with: peeled fully-peeled sorted \n{} refs/remotes/origin/{head}\n",
            commit_stand_in(&url)
        ),
        0o644,
    );
    if depth {
        write_text(
            ctx,
            &format!("{git_dir}/shallow"),
            &format!("{}\n", commit_stand_in(&url)),
            0o644,
        );
    }
    if !bare && !no_checkout {
        write_sized(ctx, &format!("{git_dir}/index"), INDEX_SIZE, 0o644);
        // The checkout's files are not modelled: later build steps in this tree
        // (`./configure`, `make`) are reported as approximated instead of failing.
        ctx.mark_unfetched_tree(&target);
    }
    ctx.approximated(&format!(
        "the repository {url} was not fetched: .git holds a size-only pack of estimated size ({}), the working tree's files are not modelled and, without -b, the branch name `master` is a stand-in for the remote's default",
        if depth { "shallow clone" } else { "full history" }
    ));
    Ok(0)
}

/// A deterministic 40-hex stand-in for a commit id.
fn commit_stand_in(seed: &str) -> String {
    stand_in_hex(&format!("commit:{seed}"))
        .get(..40)
        .unwrap_or_default()
        .to_string()
}

/// `a.b.c` → (`a`, Some(`b`), `c`); `a.c` → (`a`, None, `c`).
fn split_key(key: &str) -> Option<(String, Option<String>, String)> {
    let (section, rest) = key.split_once('.')?;
    match rest.rsplit_once('.') {
        Some((sub, name)) => Some((
            section.to_lowercase(),
            Some(sub.to_string()),
            name.to_string(),
        )),
        None => Some((section.to_lowercase(), None, rest.to_string())),
    }
}

fn section_header(section: &str, sub: &Option<String>) -> String {
    match sub {
        Some(s) => format!(
            "[{section} \"{}\"]",
            s.replace('\\', "\\\\").replace('"', "\\\"")
        ),
        None => format!("[{section}]"),
    }
}

fn quote_value(value: &str) -> String {
    let needs = value.contains(['#', ';', '"', '\\'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_string()
    }
}

/// Sets (or adds) `key = value` in git config text.
fn config_set(text: &str, key: &str, value: &str, add: bool) -> Option<String> {
    let (section, sub, name) = split_key(key)?;
    let header = section_header(&section, &sub);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut in_section = false;
    let mut last_in_section: Option<usize> = None;
    let mut existing: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t.eq_ignore_ascii_case(&header) || (sub.is_some() && t == header);
            if in_section {
                last_in_section = Some(i);
            }
            continue;
        }
        if in_section {
            last_in_section = Some(i);
            let k = t.split('=').next().unwrap_or("").trim();
            if k.eq_ignore_ascii_case(&name) {
                existing = Some(i);
            }
        }
    }
    let entry = format!("\t{name} = {}", quote_value(value));
    match (existing, last_in_section) {
        (Some(i), _) if !add => lines[i] = entry,
        (_, Some(i)) => lines.insert(i + 1, entry),
        (_, None) => {
            lines.push(header);
            lines.push(entry);
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Some(out)
}

fn config_get(text: &str, key: &str) -> Option<String> {
    let (section, sub, name) = split_key(key)?;
    let header = section_header(&section, &sub);
    let mut in_section = false;
    let mut found = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t.eq_ignore_ascii_case(&header) || t == header;
            continue;
        }
        if in_section {
            if let Some((k, v)) = t.split_once('=') {
                if k.trim().eq_ignore_ascii_case(&name) {
                    found = Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    found
}

fn git_config(ctx: &mut ProgramCtx<'_, '_>, cwd: &str, args: &[String]) -> ProgResult {
    let mut scope = "local";
    let mut add = false;
    let mut get = false;
    let mut unset = false;
    let mut file: Option<String> = None;
    let mut operands: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--global" => scope = "global",
            "--system" => scope = "system",
            "--local" => scope = "local",
            "--add" => add = true,
            "--get" | "get" => get = true,
            "--unset" | "--unset-all" => unset = true,
            "-f" | "--file" => file = iter.next().cloned(),
            "set" => {}
            s if s.starts_with('-') => {}
            s => operands.push(s),
        }
    }
    let path = match (file, scope) {
        (Some(f), _) => ctx.abs(&f),
        (None, "global") => format!("{}/.gitconfig", home(ctx)),
        (None, "system") => "/etc/gitconfig".to_string(),
        _ => match find_git_dir(ctx, cwd) {
            Some(g) => format!("{g}/config"),
            None => {
                ctx.err(b"fatal: not in a git directory\n")?;
                return Ok(128);
            }
        },
    };
    let text = read_text(ctx, &path).unwrap_or_default();
    let Some(key) = operands.first().copied() else {
        ctx.err(b"error: wrong number of arguments, should be from 1 to 2\n")?;
        return Ok(129);
    };
    if split_key(key).is_none() {
        ctx.err(format!("error: key does not contain a section: {key}\n").as_bytes())?;
        return Ok(1);
    }
    if unset {
        let (_, _, name) = split_key(key).unwrap_or_default();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| l.split('=').next().map(str::trim) != Some(name.as_str()))
            .collect();
        let mut out = kept.join("\n");
        out.push('\n');
        write_text(ctx, &path, &out, 0o644);
        return Ok(0);
    }
    match operands.get(1) {
        Some(value) if !get => {
            let Some(new) = config_set(&text, key, value, add) else {
                return Ok(1);
            };
            if !write_text(ctx, &path, &new, 0o644) {
                ctx.err(
                    format!("error: could not lock config file {path}: Permission denied\n")
                        .as_bytes(),
                )?;
                return Ok(255);
            }
            Ok(0)
        }
        _ => match config_get(&text, key) {
            Some(v) => {
                ctx.out_str(&format!("{v}\n"))?;
                Ok(0)
            }
            None => Ok(1),
        },
    }
}

fn git_in_repo(ctx: &mut ProgramCtx<'_, '_>, cwd: &str, sub: &str, args: &[String]) -> ProgResult {
    // `git lfs install --system` and `--skip-repo` work outside a repository.
    if sub == "lfs" {
        if args.first().map(String::as_str) == Some("install") {
            ctx.out_str("Git LFS initialized.\n")?;
            ctx.approximated("git lfs: the hooks and filter configuration are not written");
            return Ok(0);
        }
        ctx.not_simulated("only `git lfs install` is simulated");
        return Ok(0);
    }
    let Some(git_dir) = find_git_dir(ctx, cwd) else {
        ctx.err(NOT_A_REPO.as_bytes())?;
        return Ok(128);
    };
    let seed = git_dir.clone();
    match sub {
        "rev-parse" => {
            let mut status = 0;
            for a in args
                .iter()
                .filter(|a| !a.starts_with('-') || a.starts_with("--short"))
            {
                if a.starts_with("--short") {
                    continue;
                }
                let full = commit_stand_in(&format!("{seed}:{a}"));
                let short = args.iter().any(|x| x.starts_with("--short"));
                let shown = if short {
                    full.get(..7).unwrap_or(&full)
                } else {
                    &full
                };
                ctx.out_str(&format!("{shown}\n"))?;
                status = 0;
            }
            if args.iter().any(|a| a == "--show-toplevel") {
                let top = git_dir
                    .strip_suffix("/.git")
                    .unwrap_or(&git_dir)
                    .to_string();
                ctx.out_str(&format!("{}\n", if top.is_empty() { "/" } else { &top }))?;
            }
            ctx.approximated("the repository's history is not modelled: the commit id is a deterministic stand-in");
            Ok(status)
        }
        "describe" => {
            let full = commit_stand_in(&format!("{seed}:HEAD"));
            ctx.out_str(&format!("{}\n", full.get(..7).unwrap_or(&full)))?;
            ctx.approximated(
                "the repository's tags are not modelled: a stand-in commit id is printed",
            );
            Ok(0)
        }
        "fetch" | "pull" => {
            let url = args.iter().find(|a| a.contains("://") || a.contains('@'));
            if let Some(url) = url {
                let shallow = args.iter().any(|a| a.starts_with("--depth"));
                let size = if shallow { PACK_SHALLOW } else { PACK_FULL };
                let pack = format!("pack-{}", stand_in_hex(url).get(..40).unwrap_or_default());
                write_sized(
                    ctx,
                    &format!("{git_dir}/objects/pack/{pack}.pack"),
                    size,
                    0o444,
                );
                write_text(
                    ctx,
                    &format!("{git_dir}/FETCH_HEAD"),
                    &format!("{}\t\t{url}\n", commit_stand_in(url)),
                    0o644,
                );
            }
            ctx.approximated("nothing was fetched: the pack is a size-only estimate");
            Ok(0)
        }
        _ => {
            ctx.approximated(&format!(
                "git {sub}: the repository's content and history are not modelled, so this changes and prints nothing"
            ));
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanish_names() {
        for (url, name) in [
            ("https://github.com/golang/tools.git", "tools"),
            ("https://github.com/nginx/pkg-oss/", "pkg-oss"),
            ("git@github.com:a/b.git", "b"),
            ("/srv/repo/.git", "repo"),
        ] {
            assert_eq!(humanish(url), name, "{url}");
        }
    }

    #[test]
    fn config_editing() {
        let t = config_set("", "user.email", "a@b", false).unwrap_or_default();
        assert_eq!(t, "[user]\n\temail = a@b\n");
        let t = config_set(&t, "user.name", "moby", false).unwrap_or_default();
        assert_eq!(t, "[user]\n\temail = a@b\n\tname = moby\n");
        let t = config_set(&t, "user.name", "x", false).unwrap_or_default();
        assert_eq!(t, "[user]\n\temail = a@b\n\tname = x\n");
        let t = config_set(&t, "safe.directory", "/src", true).unwrap_or_default();
        let t = config_set(&t, "safe.directory", "/b", true).unwrap_or_default();
        assert!(
            t.ends_with("[safe]\n\tdirectory = /src\n\tdirectory = /b\n"),
            "{t}"
        );
        assert_eq!(config_get(&t, "user.name").as_deref(), Some("x"));
    }
}
