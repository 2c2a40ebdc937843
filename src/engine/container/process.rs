//! A container's processes: how the daemon and runc start them (user, environment,
//! `exec` lookup and its error texts) and how the playground simulates them.
//!
//! Simulation: a process runs through the RUN interpreter (`crate::engine::shell`) on the
//! container's filesystem, so its output and its writes (copy-up, whiteouts) are real.
//! Whether the main process then *keeps running* is decided by [`classify`], because a
//! simulated server returns at once:
//! * servers (`nginx`, `httpd-foreground`, `redis-server`, `postgres`, …) run until
//!   stopped and exit 0 on their stop signal;
//! * `sleep N` runs N seconds of the logical clock, `sleep infinity` and `tail -f` until
//!   stopped; shells and REPLs without a script wait for input only when stdin is open
//!   (`-i`), otherwise they read end-of-file and exit 0 as in Docker;
//! * an interpreter given a script (`node app.js`, `python -m http.server`) is taken for a
//!   long-running app (a heuristic: the script is not simulated);
//! * `sh -c '…'` is classified by its last command, and `while true` loops run forever;
//! * a process that does not handle the stop signal (a shell, `sleep`, `node` as PID 1) is
//!   killed after the stop timeout: exit code 137.
//!
//! Entrypoint wrappers of official images (`docker-entrypoint.sh` …) are size-only files in
//! the catalog, so their text is unknown; they are taken to `exec "$@"` (what they end
//! with) and skipped.

use super::config::ContainerConfig;
use crate::engine::shell::{self, fs::ShellFs, Cred, Registry, RunOutcome};
use crate::engine::vfs::{Content, FileType, OverlayView, Time};

/// `PATH` the daemon gives a process whose config has none (`oci.DefaultPathEnv`).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Seconds `docker stop` waits before SIGKILL (the default stop timeout).
pub const DEFAULT_STOP_TIMEOUT: i64 = 10;

/// Exit code of a process killed by SIGKILL (128 + 9).
pub const EXIT_KILLED: i32 = 137;

/// The programs a container's processes can run: the same set as a build's RUN.
fn registry() -> &'static Registry {
    crate::engine::programs::registry()
}

/// How long the main process lives once started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// It exits when the interpreted command finishes.
    Finite,
    /// It runs until stopped. `graceful`: it handles the stop signal and exits 0;
    /// otherwise it is killed after the timeout (137).
    Service { graceful: bool },
    /// `sleep N`: exits 0 after N seconds of the logical clock (or 137 if stopped first).
    Sleep(i64),
}

/// A resolved user: credentials and home directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub cred: Cred,
    pub home: String,
}

fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn read_text(view: &OverlayView, path: &str) -> String {
    view.read(path)
        .ok()
        .and_then(|c| c.bytes().map(|b| String::from_utf8_lossy(b).into_owned()))
        .unwrap_or_default()
}

/// Resolves `-u` / `USER` (`name`, `uid`, `name:group`, `uid:gid`) against the container's
/// `/etc/passwd` and `/etc/group`, as runc does. Errors carry runc's wording.
pub fn resolve_user(view: &OverlayView, spec: &str) -> Result<User, String> {
    let passwd = read_text(view, "/etc/passwd");
    let group = read_text(view, "/etc/group");
    let (user_part, group_part) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user_part = if user_part.is_empty() { "0" } else { user_part };
    let entries: Vec<Vec<&str>> = passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<&str>>())
        .filter(|f| f.len() >= 4)
        .collect();
    let numeric = user_part.parse::<u32>().ok();
    let found = entries.iter().find(|f| match numeric {
        Some(n) => f.get(2).and_then(|u| u.parse::<u32>().ok()) == Some(n),
        None => f.first() == Some(&user_part),
    });
    let (name, uid, mut gid, home) = match (found, numeric) {
        (Some(f), _) => (
            f.first().copied().unwrap_or("").to_string(),
            f.get(2).and_then(|u| u.parse().ok()).unwrap_or(0),
            f.get(3).and_then(|g| g.parse().ok()).unwrap_or(0),
            f.get(5)
                .copied()
                .filter(|h| !h.is_empty())
                .unwrap_or("/")
                .to_string(),
        ),
        (None, Some(n)) => (String::new(), n, 0, "/".to_string()),
        (None, None) => {
            return Err(format!(
                "unable to find user {user_part}: no matching entries in passwd file"
            ))
        }
    };
    let groups: Vec<Vec<&str>> = group
        .lines()
        .map(|l| l.split(':').collect::<Vec<&str>>())
        .filter(|f| f.len() >= 3)
        .collect();
    if let Some(g) = group_part.filter(|g| !g.is_empty()) {
        gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => groups
                .iter()
                .find(|f| f.first() == Some(&g))
                .and_then(|f| f.get(2).and_then(|n| n.parse().ok()))
                .ok_or_else(|| {
                    format!("unable to find group {g}: no matching entries in group file")
                })?,
        };
    }
    let mut supplementary = vec![gid];
    if group_part.is_none() && !name.is_empty() {
        for f in &groups {
            let members = f.get(3).copied().unwrap_or("");
            if members.split(',').any(|m| m == name) {
                if let Some(n) = f.get(2).and_then(|n| n.parse::<u32>().ok()) {
                    if !supplementary.contains(&n) {
                        supplementary.push(n);
                    }
                }
            }
        }
    }
    Ok(User {
        cred: Cred {
            uid,
            gid,
            groups: supplementary,
        },
        home,
    })
}

/// The environment of a container process (moby `CreateDaemonEnvironment`: `PATH`,
/// `HOSTNAME`, `TERM=xterm` with a tty, then the config's variables replacing or
/// appending; runc adds `HOME` from the user's passwd entry when unset).
pub fn process_env(
    config: &ContainerConfig,
    extra: &[String],
    tty: bool,
    home: &str,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![
        ("PATH".into(), DEFAULT_PATH.into()),
        ("HOSTNAME".into(), config.hostname.clone()),
    ];
    if tty {
        env.push(("TERM".into(), "xterm".into()));
    }
    for kv in config.image_config.env.iter().chain(extra) {
        let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
        match env.iter_mut().find(|(ek, _)| ek == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => env.push((k.to_string(), v.to_string())),
        }
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        env.push(("HOME".into(), home.to_string()));
    }
    env
}

fn env_get<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Why `exec` of the first word failed, in runc's words, and the exit code the daemon
/// records (127 not found, 126 not executable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecFailure {
    /// `exec: "x": executable file not found in $PATH` …
    pub reason: String,
    pub exit_code: i32,
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Go's `exec.LookPath` inside the container, as runc runs it: a name with a `/` is
/// checked as is (relative to `cwd`); otherwise each `PATH` entry is tried.
pub fn look_path(
    view: &OverlayView,
    name: &str,
    env: &[(String, String)],
    cwd: &str,
) -> Result<String, ExecFailure> {
    let executable = |path: &str| -> Result<(), &'static str> {
        match view.stat(path) {
            Err(_) => Err("no such file or directory"),
            Ok(s) if s.file_type == FileType::Dir => Err("is a directory"),
            Ok(s) if s.mode & 0o111 == 0 => Err("permission denied"),
            Ok(_) => Ok(()),
        }
    };
    if name.contains('/') {
        let path = if name.starts_with('/') {
            name.to_string()
        } else {
            join(cwd, name)
        };
        return match executable(&path) {
            Ok(()) => Ok(path),
            Err("no such file or directory") => Err(ExecFailure {
                reason: format!(
                    "exec: {}: stat {name}: no such file or directory",
                    crate::text::go_quote(name)
                ),
                exit_code: 127,
            }),
            Err("is a directory") => Err(ExecFailure {
                // moby appends EACCES to EISDIR so the client exits 126.
                reason: format!(
                    "exec: {}: is a directory: permission denied",
                    crate::text::go_quote(name)
                ),
                exit_code: 126,
            }),
            Err(e) => Err(ExecFailure {
                reason: format!("exec: {}: {e}", crate::text::go_quote(name)),
                exit_code: 126,
            }),
        };
    }
    if !name.is_empty() {
        let path_var = env_get(env, "PATH").unwrap_or(DEFAULT_PATH);
        for dir in path_var.split(':').take(64) {
            let dir = if dir.is_empty() { "." } else { dir };
            let base = if dir.starts_with('/') {
                dir.to_string()
            } else {
                join(cwd, dir)
            };
            let candidate = join(&base, name);
            if executable(&candidate).is_ok() {
                return Ok(candidate);
            }
        }
    }
    Err(ExecFailure {
        reason: format!(
            "exec: {}: executable file not found in $PATH",
            crate::text::go_quote(name)
        ),
        exit_code: 127,
    })
}

/// runc's message when the main process cannot start (`docker run`, `docker start`).
pub fn start_error_message(reason: &str) -> String {
    format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {reason}: unknown")
}

/// runc's message when an exec process cannot start.
pub fn exec_error_message(reason: &str) -> String {
    format!("OCI runtime exec failed: exec failed: unable to start container process: {reason}: unknown")
}

/// Drops entrypoint wrapper scripts whose text is unknown (size-only in the catalog): they
/// end with `exec "$@"`. At most three wrappers are skipped.
pub fn strip_wrappers(
    view: &OverlayView,
    argv: &[String],
    env: &[(String, String)],
    cwd: &str,
) -> Vec<String> {
    let mut argv = argv.to_vec();
    for _ in 0..3 {
        let Some(first) = argv.first() else { break };
        if !base_name(first).ends_with(".sh") {
            break;
        }
        let Ok(path) = look_path(view, first, env, cwd) else {
            break;
        };
        let known = matches!(view.read(&path), Ok(Content::Bytes(_)));
        if known {
            break;
        }
        argv.remove(0);
    }
    argv
}

const GRACEFUL_SERVERS: &[&str] = &[
    "nginx",
    "nginx-debug",
    "httpd",
    "httpd-foreground",
    "apache2-foreground",
    "apachectl",
    "redis-server",
    "redis-sentinel",
    "valkey-server",
    "mongod",
    "mysqld",
    "mariadbd",
    "postgres",
    "memcached",
    "caddy",
    "traefik",
    "haproxy",
    "php-fpm",
    "rabbitmq-server",
    "gunicorn",
    "uvicorn",
    "registry",
];

const SHELLS: &[&str] = &["sh", "ash", "bash", "dash", "zsh", "ksh", "mksh"];

const INTERPRETERS: &[&str] = &[
    "node", "nodejs", "python", "python2", "python3", "ruby", "irb", "php", "perl", "deno", "bun",
    "java", "jshell",
];

fn is_version_or_help(args: &[String]) -> bool {
    args.iter().any(|a| {
        matches!(
            a.as_str(),
            "-v" | "-V" | "--version" | "-version" | "-h" | "--help" | "-t" | "-T"
        )
    })
}

fn parse_sleep(args: &[String]) -> Option<Lifetime> {
    if args.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    for a in args {
        if a == "infinity" || a == "inf" {
            return Some(Lifetime::Service { graceful: false });
        }
        let (num, mult) = match a.chars().last() {
            Some('s') => (a.get(..a.len() - 1)?, 1.0),
            Some('m') => (a.get(..a.len() - 1)?, 60.0),
            Some('h') => (a.get(..a.len() - 1)?, 3600.0),
            Some('d') => (a.get(..a.len() - 1)?, 86_400.0),
            _ => (a.as_str(), 1.0),
        };
        let v: f64 = num
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
        let secs = (v * mult).ceil();
        if secs > 1e12 {
            return Some(Lifetime::Service { graceful: false });
        }
        total = total.saturating_add(secs as i64);
    }
    Some(Lifetime::Sleep(total))
}

/// Splits a shell script at top-level separators (`;`, `&&`, `||`, `|`, `&`, newlines)
/// outside quotes and returns the words of the last non-empty command.
fn last_command(script: &str) -> Vec<String> {
    let mut commands: Vec<Vec<String>> = vec![Vec::new()];
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    let finish_word = |word: &mut String, in_word: &mut bool, cmds: &mut Vec<Vec<String>>| {
        if *in_word {
            if let Some(last) = cmds.last_mut() {
                last.push(std::mem::take(word));
            }
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        if n != '\n' {
                            word.push(n);
                            in_word = true;
                        }
                    }
                }
                ';' | '&' | '|' | '\n' => {
                    finish_word(&mut word, &mut in_word, &mut commands);
                    if commands.last().is_some_and(|c| !c.is_empty()) {
                        commands.push(Vec::new());
                    }
                }
                c if c.is_whitespace() => finish_word(&mut word, &mut in_word, &mut commands),
                c => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    finish_word(&mut word, &mut in_word, &mut commands);
    let mut last = commands
        .into_iter()
        .rev()
        .find(|c| !c.is_empty())
        .unwrap_or_default();
    while last
        .first()
        .is_some_and(|w| w == "exec" || w.contains('=') && !w.starts_with('-'))
    {
        last.remove(0);
    }
    last
}

/// True for scripts that loop forever (`while true`, `while :`, `until false`, `for (( ;; ))`).
fn loops_forever(script: &str) -> bool {
    let s: String = script.split_whitespace().collect::<Vec<_>>().join(" ");
    [
        "while true",
        "while :",
        "while [ 1 ]",
        "while [ true ]",
        "until false",
        "for (( ; ; ))",
        "for ((;;))",
    ]
    .iter()
    .any(|p| s.contains(p))
}

/// Whether interpreting the command is pointless or impossible (it never returns).
pub fn never_returns(argv: &[String]) -> bool {
    let Some(first) = argv.first() else {
        return false;
    };
    let name = base_name(first);
    if name == "yes" {
        return true;
    }
    if SHELLS.contains(&name) {
        if let Some(i) = argv.iter().position(|a| a == "-c") {
            return argv.get(i + 1).is_some_and(|s| loops_forever(s));
        }
    }
    false
}

/// How long the main process `argv` (wrappers already stripped) lives.
pub fn classify(argv: &[String], stdin_open: bool) -> Lifetime {
    classify_at(argv, stdin_open, 0)
}

fn classify_at(argv: &[String], stdin_open: bool, depth: usize) -> Lifetime {
    let Some((first, args)) = argv.split_first() else {
        return Lifetime::Finite;
    };
    if depth > 3 {
        return Lifetime::Finite;
    }
    let name = base_name(first);
    if GRACEFUL_SERVERS.contains(&name) {
        return if is_version_or_help(args) {
            Lifetime::Finite
        } else {
            Lifetime::Service { graceful: true }
        };
    }
    match name {
        "sleep" => return parse_sleep(args).unwrap_or(Lifetime::Finite),
        "tail" => {
            let follow = args.iter().any(|a| {
                a == "-f"
                    || a == "-F"
                    || a.starts_with("--follow")
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('f'))
            });
            return if follow {
                Lifetime::Service { graceful: false }
            } else {
                Lifetime::Finite
            };
        }
        "yes" | "top" | "watch" => return Lifetime::Service { graceful: false },
        "cat" if args.is_empty() && stdin_open => return Lifetime::Service { graceful: false },
        "env" | "nice" | "nohup" | "tini" | "dumb-init" | "gosu" | "su-exec" | "exec" => {
            // Wrappers that run the rest of the line (after their own options/user).
            let skip = match name {
                "gosu" | "su-exec" => 1,
                _ => 0,
            };
            let rest: Vec<String> = args
                .iter()
                .skip_while(|a| a.starts_with('-') || (name == "env" && a.contains('=')))
                .skip(skip)
                .cloned()
                .collect();
            return classify_at(&rest, stdin_open, depth + 1);
        }
        _ => {}
    }
    if SHELLS.contains(&name) {
        if let Some(i) = args.iter().position(|a| a == "-c") {
            let script = args.get(i + 1).map(String::as_str).unwrap_or("");
            if loops_forever(script) {
                return Lifetime::Service { graceful: false };
            }
            return classify_at(&last_command(script), stdin_open, depth + 1);
        }
        let has_script = args.iter().any(|a| !a.starts_with('-'));
        return if !has_script && stdin_open {
            Lifetime::Service { graceful: false }
        } else {
            Lifetime::Finite
        };
    }
    if INTERPRETERS.contains(&name) {
        let one_shot = args.iter().any(|a| {
            matches!(
                a.as_str(),
                "-e" | "-p"
                    | "-c"
                    | "--eval"
                    | "--print"
                    | "-v"
                    | "-V"
                    | "--version"
                    | "-h"
                    | "--help"
            )
        });
        if one_shot {
            return Lifetime::Finite;
        }
        let has_script = args.iter().any(|a| !a.starts_with('-'));
        return if has_script || stdin_open {
            Lifetime::Service { graceful: false }
        } else {
            Lifetime::Finite
        };
    }
    if matches!(name, "npm" | "yarn" | "pnpm" | "npx")
        && args
            .first()
            .is_some_and(|a| matches!(a.as_str(), "start" | "run" | "serve" | "dev" | "exec"))
    {
        return Lifetime::Service { graceful: false };
    }
    Lifetime::Finite
}

/// Everything one process run needs.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: String,
    pub user: Cred,
    pub now: Time,
    pub hostname: String,
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// The argv to hand the interpreter. A command the interpreter only knows as a shell
/// builtin (`pwd`, `cd`, `umask` …; busybox and coreutils also ship them as files) is run
/// through `/bin/sh -c`, which finds the builtin; everything else runs as given.
fn runnable_argv(argv: &[String]) -> Vec<String> {
    let Some(first) = argv.first() else {
        return Vec::new();
    };
    if registry().contains(base_name(first)) || SHELLS.contains(&base_name(first)) {
        return argv.to_vec();
    }
    let script = argv
        .iter()
        .enumerate()
        .map(|(i, w)| {
            // A system binary (`/bin/pwd`) may be a builtin; other paths stay as given.
            let system = [
                "/bin/",
                "/sbin/",
                "/usr/bin/",
                "/usr/sbin/",
                "/usr/local/bin/",
            ]
            .iter()
            .any(|d| w.strip_prefix(d).is_some_and(|rest| !rest.contains('/')));
            if i == 0 && system {
                shell_quote(base_name(w))
            } else {
                shell_quote(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    vec!["/bin/sh".to_string(), "-c".to_string(), script]
}

/// Runs a process through the interpreter on `fs` (the container's filesystem).
pub fn interpret(fs: &mut dyn ShellFs, spec: &ProcessSpec) -> RunOutcome {
    let mut request = crate::engine::programs::process_request(runnable_argv(&spec.argv), fs);
    request.env = spec.env.clone();
    request.cwd = spec.cwd.clone();
    request.user = spec.user.clone();
    request.now = spec.now;
    request.hostname = spec.hostname.clone();
    shell::run(&request, fs, registry())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn lifetimes() {
        let service = Lifetime::Service { graceful: false };
        let server = Lifetime::Service { graceful: true };
        let cases: &[(&[&str], bool, Lifetime)] = &[
            (&["nginx", "-g", "daemon off;"], false, server),
            (&["nginx", "-v"], false, Lifetime::Finite),
            (&["sleep", "infinity"], false, service),
            (&["sleep", "5"], false, Lifetime::Sleep(5)),
            (&["sleep", "1m"], false, Lifetime::Sleep(60)),
            (&["sh"], false, Lifetime::Finite),
            (&["sh"], true, service),
            (&["node"], false, Lifetime::Finite),
            (&["node"], true, service),
            (&["node", "server.js"], false, service),
            (&["node", "-e", "console.log(1)"], false, Lifetime::Finite),
            (&["echo", "hi"], true, Lifetime::Finite),
            (&["tail", "-f", "/dev/null"], false, service),
            (
                &["sh", "-c", "echo start && exec nginx -g 'daemon off;'"],
                false,
                server,
            ),
            (
                &["sh", "-c", "while true; do date; sleep 1; done"],
                false,
                service,
            ),
            (
                &["sh", "-c", "echo x >> /app/hello.txt"],
                false,
                Lifetime::Finite,
            ),
            (
                &["/bin/sh", "-c", "A=1 sleep 10"],
                false,
                Lifetime::Sleep(10),
            ),
            (&["cat"], true, service),
            (&["cat"], false, Lifetime::Finite),
        ];
        for (words, stdin_open, expected) in cases {
            assert_eq!(classify(&argv(words), *stdin_open), *expected, "{words:?}");
        }
    }

    #[test]
    fn last_command_respects_quotes() {
        assert_eq!(
            last_command("echo 'a;b' && nginx -g 'daemon off;'"),
            argv(&["nginx", "-g", "daemon off;"])
        );
        assert_eq!(
            last_command("x=1; exec \"sleep\" 3;"),
            argv(&["sleep", "3"])
        );
    }
}
