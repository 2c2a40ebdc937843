//! The language tools the engine adds to the RUN interpreter (`git`, `pip`/`python`,
//! `npm`/`yarn`/`node`, `dotnet`, `java`/`javac`/`jar`/`jlink`, `gem`/`bundle`/`ruby`),
//! run through `shell::run` on a skeleton filesystem with the tools' binaries on PATH.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::{
    self, Data, EventKind, MemFs, NewNode, RunOutcome, RunRequest, ShellFs, UnknownCommands,
    WriteMode,
};

/// One scenario: binaries on PATH, context files, environment, the script, and what must
/// come out.
struct Case<'a> {
    name: &'a str,
    tools: &'a [&'a str],
    files: &'a [(&'a str, &'a str)],
    env: &'a [(&'a str, &'a str)],
    script: &'a str,
    status: i32,
    /// Exact stdout (`None`: not checked).
    stdout: Option<&'a str>,
    /// Substrings stderr must contain.
    stderr: &'a [&'a str],
    /// Paths that must exist afterwards / must not.
    exists: &'a [&'a str],
    absent: &'a [&'a str],
    /// Whether an "approximated" / "not simulated" event must be (true) or must not be
    /// (false) reported.
    approximated: Option<bool>,
    not_simulated: Option<bool>,
    /// Commands must exist as files on PATH (a real container).
    strict: bool,
}

const BASE: Case<'static> = Case {
    name: "",
    tools: &[],
    files: &[],
    env: &[],
    script: "",
    status: 0,
    stdout: None,
    stderr: &[],
    exists: &[],
    absent: &[],
    approximated: None,
    not_simulated: None,
    strict: false,
};

fn new_node(mode: u32) -> NewNode {
    NewNode {
        mode,
        uid: 0,
        gid: 0,
    }
}

fn put(fs: &mut MemFs, path: &str, text: &str, mode: u32) {
    let mut cur = String::new();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for dir in &parts[..parts.len() - 1] {
        cur.push('/');
        cur.push_str(dir);
        let _ = fs.mkdir(&cur, new_node(0o755));
    }
    fs.write_file(
        path,
        Data::Bytes(text.as_bytes()),
        WriteMode::Truncate,
        new_node(mode),
    )
    .unwrap();
}

fn run(case: &Case<'_>) -> (RunOutcome, MemFs) {
    let mut fs = MemFs::with_skeleton();
    for tool in case.tools {
        put(
            &mut fs,
            &format!("/usr/bin/{tool}"),
            "\x7fELF stand-in",
            0o755,
        );
    }
    if case.strict {
        put(&mut fs, "/bin/sh", "\x7fELF stand-in", 0o755);
    }
    for (path, text) in case.files {
        put(&mut fs, path, text, 0o644);
    }
    let mut req = RunRequest::shell_form(&[], case.script);
    for (k, v) in case.env {
        req.env.push((k.to_string(), v.to_string()));
    }
    req.cwd = "/app".to_string();
    req.strict_path = case.strict;
    if case.strict {
        req.unknown_commands = UnknownCommands::NotFound;
    }
    let _ = fs.mkdir("/app", new_node(0o755));
    let out = shell::run(
        &req,
        &mut fs,
        dockerfile_playground::engine::programs::registry(),
    );
    (out, fs)
}

fn check(case: &Case<'_>) {
    let (out, fs) = run(case);
    let stdout = String::from_utf8_lossy(&out.stdout()).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr()).into_owned();
    let ctx = format!(
        "case {}\nscript: {}\nstdout:\n{stdout}\nstderr:\n{stderr}\nevents: {:?}",
        case.name, case.script, out.events
    );
    assert_eq!(out.status, case.status, "{ctx}");
    if let Some(expected) = case.stdout {
        assert_eq!(stdout, expected, "{ctx}");
    }
    for s in case.stderr {
        assert!(stderr.contains(s), "stderr lacks {s:?}\n{ctx}");
    }
    for p in case.exists {
        assert!(fs.lstat(p).is_ok(), "{p} should exist\n{ctx}");
    }
    for p in case.absent {
        assert!(fs.lstat(p).is_err(), "{p} should not exist\n{ctx}");
    }
    let has = |k: EventKind| out.events.iter().any(|e| e.kind == k);
    if let Some(a) = case.approximated {
        assert_eq!(has(EventKind::Approximated), a, "approximated flag\n{ctx}");
    }
    if let Some(n) = case.not_simulated {
        assert_eq!(has(EventKind::NotSimulated), n, "not-simulated flag\n{ctx}");
    }
}

/// Bytes of all files under `root`.
fn bytes_under(fs: &MemFs, root: &str) -> u64 {
    fs.paths()
        .iter()
        .filter(|p| p.starts_with(root))
        .filter_map(|p| fs.lstat(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.size)
        .sum()
}

fn text(fs: &MemFs, path: &str) -> String {
    String::from_utf8_lossy(fs.read_file(path).unwrap().bytes().unwrap()).into_owned()
}

#[test]
fn missing_tools_are_not_found_like_a_shell() {
    for tool in [
        "git", "pip", "python3", "npm", "yarn", "node", "dotnet", "java", "javac", "gem", "bundle",
        "jlink",
    ] {
        let script = format!("{tool} --version");
        check(&Case {
            name: tool,
            script: &script,
            status: 127,
            strict: true,
            stdout: Some(""),
            stderr: &[&format!("/bin/sh: 1: {tool}: not found\n")],
            ..BASE
        });
    }
}

#[test]
fn git() {
    let cases = [
        Case {
            name: "init writes the real skeleton and git's messages",
            tools: &["git"],
            script: "git init",
            stdout: Some("Initialized empty Git repository in /app/.git/\n"),
            stderr: &["hint: Using 'master' as the name for the initial branch."],
            exists: &[
                "/app/.git/HEAD",
                "/app/.git/config",
                "/app/.git/description",
                "/app/.git/info/exclude",
                "/app/.git/objects/pack",
                "/app/.git/objects/info",
                "/app/.git/refs/heads",
                "/app/.git/refs/tags",
                "/app/.git/hooks/pre-commit.sample",
            ],
            ..BASE
        },
        Case {
            name: "init --quiet twice reinitializes",
            tools: &["git"],
            script: "git init -q /usr/local/go && git init /usr/local/go && cat /usr/local/go/.git/HEAD",
            stdout: Some("Reinitialized existing Git repository in /usr/local/go/.git/\nref: refs/heads/master\n"),
            ..BASE
        },
        Case {
            name: "init -b main",
            tools: &["git"],
            script: "git init -q -b main && cat .git/HEAD",
            stdout: Some("ref: refs/heads/main\n"),
            ..BASE
        },
        Case {
            name: "clone: default directory, message on stderr, estimated .git",
            tools: &["git"],
            script: "git clone https://github.com/golang/tools.git && ls -A tools",
            stdout: Some(".git\n"),
            stderr: &["Cloning into 'tools'...\n"],
            exists: &["/app/tools/.git/HEAD", "/app/tools/.git/index"],
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "clone -b into a trailing-slash URL's name, with --depth",
            tools: &["git"],
            script: "git clone --depth 1 -b 1.25.0-1 https://github.com/nginx/pkg-oss/ && cat pkg-oss/.git/HEAD",
            stdout: Some("ref: refs/heads/1.25.0-1\n"),
            exists: &["/app/pkg-oss/.git/shallow"],
            ..BASE
        },
        Case {
            name: "clone into a non-empty directory fails like git",
            tools: &["git"],
            files: &[("/src/x/file", "x")],
            script: "git clone https://example.invalid/r.git /src/x",
            status: 128,
            stderr: &["fatal: destination path '/src/x' already exists and is not an empty directory.\n"],
            ..BASE
        },
        Case {
            name: "clone -q is quiet; target dir with parents",
            tools: &["git"],
            script: "git clone -q https://github.com/docker/distribution.git /go/src/github.com/docker/distribution",
            stdout: Some(""),
            exists: &["/go/src/github.com/docker/distribution/.git/config"],
            ..BASE
        },
        Case {
            name: "config --global writes ~/.gitconfig",
            tools: &["git"],
            script: "git config --global user.email 'moby@example.com' && git config --global user.name moby && git config --global --add safe.directory /usr/src/moby && cat ~/.gitconfig && git config --global user.name",
            stdout: Some("[user]\n\temail = moby@example.com\n\tname = moby\n[safe]\n\tdirectory = /usr/src/moby\nmoby\n"),
            approximated: Some(false),
            ..BASE
        },
        Case {
            name: "commands needing a repository outside one",
            tools: &["git"],
            script: "git checkout -q v1.0",
            status: 128,
            stderr: &["fatal: not a git repository (or any of the parent directories): .git\n"],
            ..BASE
        },
        Case {
            name: "checkout/rev-parse in a cloned repository are approximated",
            tools: &["git"],
            script: "git clone -q https://github.com/golang/lint.git /l && cd /l && git checkout -q abc && git rev-parse HEAD | wc -c && git rev-parse --short HEAD | wc -c",
            stdout: Some("41\n8\n"),
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "-C picks the repository",
            tools: &["git"],
            script: "git init -q /usr/local/go && git -C /usr/local/go fetch --depth 1 https://github.com/golang/go.git abc: && git -C /usr/local/go checkout --quiet FETCH_HEAD && test -s /usr/local/go/.git/FETCH_HEAD",
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "version from the dpkg database",
            tools: &["git"],
            files: &[("/var/lib/dpkg/status", "Package: git\nStatus: install ok installed\nVersion: 1:2.39.5-0+deb12u2\n\n")],
            script: "git --version",
            stdout: Some("git version 2.39.5\n"),
            approximated: Some(false),
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn git_rev_parse_is_deterministic() {
    let case = Case {
        tools: &["git"],
        script: "git init -q && git rev-parse HEAD",
        ..BASE
    };
    let (a, _) = run(&case);
    let (b, _) = run(&case);
    assert_eq!(a.stdout(), b.stdout());
    let id = String::from_utf8(a.stdout()).unwrap();
    assert_eq!(id.trim().len(), 40);
    assert!(id.trim().chars().all(|c| c.is_ascii_hexdigit()));
}

const PY_ENV: &[(&str, &str)] = &[
    ("PYTHON_VERSION", "3.12.13"),
    ("PYTHON_PIP_VERSION", "24.0"),
];

#[test]
fn python() {
    let cases = [
        Case {
            name: "python3 --version from PYTHON_VERSION",
            tools: &["python3"],
            env: PY_ENV,
            script: "python3 --version",
            stdout: Some("Python 3.12.13\n"),
            ..BASE
        },
        Case {
            name: "python2 prints its version on stderr",
            tools: &["python2"],
            files: &[("/var/lib/dpkg/status", "Package: python2.7\nStatus: install ok installed\nVersion: 2.7.18-8\n\n")],
            script: "python2 --version",
            stdout: Some(""),
            stderr: &["Python 2.7.18\n"],
            ..BASE
        },
        Case {
            name: "pip --version",
            tools: &["pip"],
            env: PY_ENV,
            script: "pip --version",
            stdout: Some("pip 24.0 from /usr/local/lib/python3.12/site-packages/pip (python 3.12)\n"),
            ..BASE
        },
        Case {
            name: "pip install pinned and unpinned, as root",
            tools: &["pip"],
            env: PY_ENV,
            script: "pip install awscli==1.10.15 'wheel<0.46'",
            stdout: Some("Collecting awscli==1.10.15\nCollecting wheel<0.46\nInstalling collected packages: awscli, wheel\nSuccessfully installed awscli-1.10.15 wheel-unknown\n"),
            stderr: &["WARNING: Running pip as the 'root' user"],
            exists: &[
                "/usr/local/lib/python3.12/site-packages/awscli/__init__.py",
                "/usr/local/lib/python3.12/site-packages/awscli-1.10.15.dist-info/INSTALLER",
                "/usr/local/lib/python3.12/site-packages/wheel-unknown.dist-info/METADATA",
                "/root/.cache/pip/http-v2",
            ],
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "pip install -r reads the file from the filesystem",
            tools: &["pip3"],
            env: PY_ENV,
            files: &[("/app/requirements.txt", "# deps\nflask==3.0.0\nrequests>=2 # http\n\n-r extra.txt\n"), ("/app/extra.txt", "gunicorn\n")],
            script: "pip3 install --no-cache-dir --root-user-action=ignore -r requirements.txt",
            stdout: Some("Collecting flask==3.0.0\nCollecting requests>=2\nCollecting gunicorn\nInstalling collected packages: flask, requests, gunicorn\nSuccessfully installed flask-3.0.0 requests-unknown gunicorn-unknown\n"),
            exists: &["/usr/local/lib/python3.12/site-packages/gunicorn/__init__.py"],
            absent: &["/root/.cache/pip"],
            ..BASE
        },
        Case {
            name: "missing requirements file",
            tools: &["pip"],
            env: PY_ENV,
            script: "pip install -r requirements.txt",
            status: 1,
            stderr: &["ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'\n"],
            ..BASE
        },
        Case {
            name: "--user installs under ~/.local",
            tools: &["pip"],
            env: PY_ENV,
            script: "pip install -q --user yamllint==1.5.0",
            stdout: Some(""),
            exists: &["/root/.local/lib/python3.12/site-packages/yamllint/__init__.py"],
            ..BASE
        },
        Case {
            name: "python -m pip is pip; -e . takes the project's name",
            tools: &["python3"],
            env: PY_ENV,
            files: &[("/app/pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n")],
            script: "python3 -m pip install -q -e .",
            exists: &["/usr/local/lib/python3.12/site-packages/demo-0.1.0.dist-info/METADATA"],
            ..BASE
        },
        Case {
            name: "a distro Python marked EXTERNALLY-MANAGED refuses (PEP 668)",
            tools: &["pip3"],
            files: &[("/usr/lib/python3.11/EXTERNALLY-MANAGED", "[externally-managed]\n")],
            script: "pip3 install flask",
            status: 1,
            stderr: &["error: externally-managed-environment"],
            ..BASE
        },
        Case {
            name: "python -m venv writes the real layout; activate puts it on PATH; its pip installs inside",
            tools: &["python3"],
            env: PY_ENV,
            script: "python3 -m venv /venv && . /venv/bin/activate && echo $VIRTUAL_ENV && command -v pip && pip install -q flask && cat /venv/pyvenv.cfg",
            stdout: Some("/venv\n/venv/bin/pip\nhome = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.13\nexecutable = /usr/bin/python3.12\ncommand = /usr/bin/python3 -m venv /venv\n"),
            exists: &[
                "/venv/bin/python",
                "/venv/bin/python3",
                "/venv/lib64",
                "/venv/lib/python3.12/site-packages/pip/__init__.py",
                "/venv/lib/python3.12/site-packages/flask/__init__.py",
            ],
            absent: &["/usr/local/lib/python3.12/site-packages/flask"],
            ..BASE
        },
        Case {
            name: "a non-root user cannot install into the system site-packages",
            tools: &["pip"],
            env: PY_ENV,
            files: &[("/usr/local/lib/python3.12/site-packages/README.txt", "x")],
            script: "chown -R 0:0 /usr/local/lib && su-exec 65534 pip install flask",
            status: 1,
            stderr: &["ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '/usr/local/lib/python3.12/site-packages/flask'\nConsider using the `--user` option"],
            ..BASE
        },
        Case {
            name: "python -c with a trivial print",
            tools: &["python3"],
            script: "python3 -c 'print(\"hello\")'",
            stdout: Some("hello\n"),
            not_simulated: Some(false),
            ..BASE
        },
        Case {
            name: "python -c with real code is not simulated",
            tools: &["python3"],
            script: "python3 -c 'import sys; sys.exit(3)'",
            not_simulated: Some(true),
            ..BASE
        },
        Case {
            name: "python with a missing script",
            tools: &["python"],
            script: "python get-pip.py",
            status: 2,
            stderr: &["python: can't open file '/app/get-pip.py': [Errno 2] No such file or directory\n"],
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn pip_cache_makes_the_layer_bigger() {
    let with = Case {
        tools: &["pip"],
        env: PY_ENV,
        script: "pip install flask requests",
        ..BASE
    };
    let without = Case {
        script: "pip install --no-cache-dir flask requests",
        ..with
    };
    let (_, a) = run(&with);
    let (_, b) = run(&without);
    let (total_a, total_b) = (bytes_under(&a, "/"), bytes_under(&b, "/"));
    assert!(bytes_under(&a, "/root/.cache/pip") > 0);
    assert_eq!(bytes_under(&b, "/root/.cache/pip"), 0);
    assert!(total_a > total_b, "{total_a} vs {total_b}");
    // Same site-packages either way.
    assert_eq!(
        bytes_under(&a, "/usr/local/lib/python3.12"),
        bytes_under(&b, "/usr/local/lib/python3.12")
    );
}

const PACKAGE_JSON: &str = r#"{
  "name": "web",
  "version": "1.0.0",
  "scripts": {
    "prebuild": "echo pre",
    "build": "mkdir -p dist && echo built > dist/out.txt && echo $npm_lifecycle_event",
    "fail": "exit 3"
  },
  "dependencies": { "express": "4.18.2", "left-pad": "^1.3.0" },
  "devDependencies": { "typescript": "5.3.3" }
}"#;

const LOCK: &str = r#"{
  "name": "web", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "web" },
    "node_modules/express": { "version": "4.18.2" },
    "node_modules/accepts": { "version": "1.3.8" },
    "node_modules/typescript": { "version": "5.3.3", "dev": true }
  }
}"#;

#[test]
fn node_tools() {
    let cases = [
        Case {
            name: "npm run executes the package.json script (with pre-script) through the shell",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm run build && cat dist/out.txt",
            stdout: Some("\n> web@1.0.0 prebuild\n> echo pre\n\npre\n\n> web@1.0.0 build\n> mkdir -p dist && echo built > dist/out.txt && echo $npm_lifecycle_event\n\nbuild\nbuilt\n"),
            not_simulated: Some(false),
            ..BASE
        },
        Case {
            name: "npm run: the script's status is npm's",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm run fail",
            status: 3,
            ..BASE
        },
        Case {
            name: "npm run: missing script",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm run nope",
            status: 1,
            stderr: &["npm error Missing script: \"nope\"\n"],
            ..BASE
        },
        Case {
            name: "npm install without a lock: one dir per direct dependency, dev included",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm install && ls node_modules",
            stdout: Some("\nadded 3 packages, and audited 4 packages in 1s\n\nfound 0 vulnerabilities\nexpress\nleft-pad\ntypescript\n"),
            exists: &["/root/.npm/_cacache"],
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "npm ci --omit=dev uses the lock file's packages",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON), ("/app/package-lock.json", LOCK)],
            script: "npm ci --omit=dev && ls node_modules && cat node_modules/accepts/package.json",
            stdout: Some("\nadded 2 packages, and audited 3 packages in 1s\n\nfound 0 vulnerabilities\naccepts\nexpress\n{\n  \"name\": \"accepts\",\n  \"version\": \"1.3.8\"\n}\n"),
            ..BASE
        },
        Case {
            name: "NODE_ENV=production skips dev dependencies",
            tools: &["npm"],
            env: &[("NODE_ENV", "production")],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm install >/dev/null && ls node_modules",
            stdout: Some("express\nleft-pad\n"),
            ..BASE
        },
        Case {
            name: "a non-root user cannot create node_modules in a root-owned directory",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "su-exec 65534 npm install",
            status: 243,
            stderr: &["npm error code EACCES\nnpm error syscall mkdir\nnpm error path /app/node_modules\n"],
            ..BASE
        },
        Case {
            name: "npm ci needs a lock file",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm ci",
            status: 1,
            stderr: &["The `npm ci` command can only install with an existing package-lock.json"],
            ..BASE
        },
        Case {
            name: "npm install NAME in a project also installs package.json's dependencies",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm install --omit=dev lodash@4.17.21 >/dev/null && ls node_modules",
            stdout: Some("express\nleft-pad\nlodash\n"),
            ..BASE
        },
        Case {
            name: "npm install -g goes to /usr/local/lib/node_modules",
            tools: &["npm"],
            script: "npm install -g markdownlint@0.29.0 markdownlint-cli@0.35.0 >/dev/null && cat /usr/local/lib/node_modules/markdownlint/package.json",
            stdout: Some("{\n  \"name\": \"markdownlint\",\n  \"version\": \"0.29.0\"\n}\n"),
            ..BASE
        },
        Case {
            name: "npm cache clean needs --force; with it the cache is gone",
            tools: &["npm"],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "npm install >/dev/null; npm cache clean; echo $?; npm cache clean --force; test -e /root/.npm/_cacache || echo gone",
            stdout: Some("1\ngone\n"),
            stderr: &["the npm cache self-heals"],
            ..BASE
        },
        Case {
            name: "npm config set writes ~/.npmrc",
            tools: &["npm"],
            script: "npm config set fund false && npm config set audit=false && cat ~/.npmrc && npm config get fund",
            stdout: Some("fund=false\naudit=false\nfalse\n"),
            ..BASE
        },
        Case {
            name: "npm --version reads npm's own package.json",
            tools: &["npm"],
            files: &[("/usr/local/lib/node_modules/npm/package.json", "{\"name\":\"npm\",\"version\":\"10.8.2\"}")],
            script: "npm --version",
            stdout: Some("10.8.2\n"),
            ..BASE
        },
        Case {
            name: "node --version from NODE_VERSION; trivial -e",
            tools: &["node"],
            env: &[("NODE_VERSION", "20.20.1")],
            script: "node --version && node -e 'console.log(\"hi\")'",
            stdout: Some("v20.20.1\nhi\n"),
            not_simulated: Some(false),
            ..BASE
        },
        Case {
            name: "node running an app is not simulated",
            tools: &["node"],
            files: &[("/app/server.js", "require('http')")],
            script: "node server.js",
            not_simulated: Some(true),
            ..BASE
        },
        Case {
            name: "yarn install (v1 output), lock file written, root cache dir",
            tools: &["yarn"],
            env: &[("YARN_VERSION", "1.22.22")],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "yarn install --production",
            stdout: Some("yarn install v1.22.22\ninfo No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nDone in 1.00s.\n"),
            exists: &["/app/yarn.lock", "/app/node_modules/express/package.json", "/usr/local/share/.cache/yarn/v6"],
            absent: &["/app/node_modules/typescript"],
            ..BASE
        },
        Case {
            name: "yarn build runs the script",
            tools: &["yarn"],
            env: &[("YARN_VERSION", "1.22.22")],
            files: &[("/app/package.json", PACKAGE_JSON)],
            script: "yarn build >/dev/null && cat dist/out.txt",
            stdout: Some("built\n"),
            ..BASE
        },
        Case {
            name: "corepack enable writes its shims next to node",
            tools: &["corepack", "node"],
            script: "corepack enable && readlink /usr/bin/pnpm",
            stdout: Some("../lib/node_modules/corepack/dist/pnpm.js\n"),
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

const CSPROJ: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="3.1.1" />
  </ItemGroup>
</Project>
"#;

#[test]
fn dotnet() {
    let cases = [
        Case {
            name: "restore writes obj/ and the NuGet folder",
            tools: &["dotnet"],
            files: &[("/app/aspnetapp.csproj", CSPROJ)],
            script: "dotnet restore",
            stdout: Some("  Determining projects to restore...\n  Restored /app/aspnetapp.csproj (in 1.0 sec).\n"),
            exists: &["/app/obj/project.assets.json", "/root/.nuget/packages/serilog/3.1.1/serilog.3.1.1.nupkg"],
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "publish -o writes the app; Release by default",
            tools: &["dotnet"],
            files: &[("/app/aspnetapp.csproj", CSPROJ), ("/app/appsettings.json", "{}\n")],
            script: "dotnet publish --no-restore -o /out 2>&1 | tail -1; dotnet restore >/dev/null && dotnet publish --no-restore -o /out | tail -1 && cat /out/aspnetapp.runtimeconfig.json | grep -c AspNetCore",
            stdout: Some("/usr/share/dotnet/sdk/Microsoft.NET.Sdk/targets/Microsoft.PackageDependencyResolution.targets(266,5): error NETSDK1004: Assets file '/app/obj/project.assets.json' not found. Run a NuGet package restore to generate this file. [/app/aspnetapp.csproj]\n  aspnetapp -> /out/\n1\n"),
            exists: &["/out/aspnetapp.dll", "/out/aspnetapp", "/out/appsettings.json", "/out/Serilog.dll", "/app/bin/Release/net8.0/aspnetapp.dll"],
            absent: &["/out/libcoreclr.so"],
            ..BASE
        },
        Case {
            name: "publish -a and --self-contained",
            tools: &["dotnet"],
            files: &[("/src/app.csproj", CSPROJ)],
            script: "cd /src && dotnet publish -a amd64 --self-contained >/dev/null",
            exists: &["/src/bin/Release/net8.0/linux-x64/publish/libcoreclr.so"],
            ..BASE
        },
        Case {
            name: "no project file",
            tools: &["dotnet"],
            script: "dotnet build",
            status: 1,
            stdout: Some("MSBUILD : error MSB1003: Specify a project or solution file. The current working directory does not contain a project or solution file.\n"),
            ..BASE
        },
        Case {
            name: "build defaults to Debug",
            tools: &["dotnet"],
            files: &[("/app/a.csproj", CSPROJ)],
            script: "dotnet build | tail -6 | head -3",
            stdout: Some("\nBuild succeeded.\n    0 Warning(s)\n"),
            exists: &["/app/bin/Debug/net8.0/a.dll"],
            ..BASE
        },
        Case {
            name: "--version from DOTNET_SDK_VERSION",
            tools: &["dotnet"],
            env: &[("DOTNET_SDK_VERSION", "8.0.404")],
            script: "dotnet --version",
            stdout: Some("8.0.404\n"),
            ..BASE
        },
        Case {
            name: "tool install --tool-path",
            tools: &["dotnet"],
            script: "dotnet tool install --tool-path /tools --version 7.4.6 PowerShell.Linux.x64 && test -x /tools/pwsh && dotnet tool install -g dotnet-ef >/dev/null && test -x /root/.dotnet/tools/dotnet-ef",
            stdout: Some("You can invoke the tool using the following command: pwsh\nTool 'powershell.linux.x64' (version '7.4.6') was successfully installed.\n"),
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn java() {
    let cases = [
        Case {
            name: "java -version prints on stderr, --version on stdout",
            tools: &["java"],
            env: &[("JAVA_VERSION", "jdk-21.0.5+11")],
            script: "java -version 2>/dev/null; java --version | head -1",
            stdout: Some("openjdk 21.0.5\n"),
            ..BASE
        },
        Case {
            name: "java -version's first line",
            tools: &["java"],
            env: &[("JAVA_VERSION", "jdk-21.0.5+11")],
            script: "java -version",
            stdout: Some(""),
            stderr: &["openjdk version \"21.0.5\"\n"],
            ..BASE
        },
        Case {
            name: "javac -d puts classes in package directories",
            tools: &["javac"],
            files: &[("/app/src/Main.java", "package com.example;\npublic class Main {\n  public static void main(String[] a) {}\n}\n")],
            script: "javac -d out src/Main.java && find out -type f",
            stdout: Some("out/com/example/Main.class\n"),
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "javac with a missing source",
            tools: &["javac"],
            script: "javac Nope.java",
            status: 2,
            stderr: &["error: file not found: Nope.java\n"],
            ..BASE
        },
        Case {
            name: "jar cf over compiled classes",
            tools: &["javac", "jar"],
            files: &[("/app/Hello.java", "public class Hello {}\n")],
            script: "javac Hello.java && jar cf hello.jar Hello.class && test -s hello.jar",
            ..BASE
        },
        Case {
            name: "jlink --output writes a runtime; an existing directory is an error",
            tools: &["jlink"],
            script: "jlink --add-modules java.base,java.logging --strip-debug --no-man-pages --output /javaruntime && test -x /javaruntime/bin/java && jlink --add-modules java.base --output /javaruntime",
            status: 1,
            stderr: &["Error: directory already exists: /javaruntime\n"],
            exists: &["/javaruntime/lib/modules", "/javaruntime/release"],
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn ruby() {
    let ruby_env: &[(&str, &str)] = &[("RUBY_VERSION", "3.3.6"), ("GEM_HOME", "/usr/local/bundle")];
    let cases = [
        Case {
            name: "gem install --no-document keeps the .gem in cache/",
            tools: &["gem"],
            env: ruby_env,
            script: "gem install nokogiri --version 1.18.6 --no-document -- --use-system-libraries",
            stdout: Some("Successfully installed nokogiri-1.18.6\n1 gem installed\n"),
            exists: &["/usr/local/bundle/gems/nokogiri-1.18.6", "/usr/local/bundle/specifications/nokogiri-1.18.6.gemspec", "/usr/local/bundle/cache/nokogiri-1.18.6.gem"],
            absent: &["/usr/local/bundle/doc"],
            approximated: Some(true),
            ..BASE
        },
        Case {
            name: "gem install with documentation",
            tools: &["gem"],
            env: ruby_env,
            script: "gem install rake:13.2.1",
            stdout: Some("Successfully installed rake-13.2.1\nParsing documentation for rake-13.2.1\nInstalling ri documentation for rake-13.2.1\nDone installing documentation for rake after 0 seconds\n1 gem installed\n"),
            exists: &["/usr/local/bundle/doc/rake-13.2.1"],
            ..BASE
        },
        Case {
            name: "RubyGems 3 rejects --no-rdoc",
            tools: &["gem"],
            env: ruby_env,
            script: "gem install --no-rdoc --no-ri fpm --version 1.0.2",
            status: 1,
            stderr: &["invalid option: --no-rdoc"],
            ..BASE
        },
        Case {
            name: "bundle install from Gemfile.lock",
            tools: &["bundle"],
            env: ruby_env,
            files: &[
                ("/app/Gemfile", "source 'x'\ngem 'rack', '3.0.8'\n"),
                ("/app/Gemfile.lock", "GEM\n  specs:\n    rack (3.0.8)\n    rack-test (2.1.0)\n      rack (>= 1.3)\n"),
            ],
            script: "bundle install",
            stdout: Some("Installing rack 3.0.8\nInstalling rack-test 2.1.0\nBundle complete! 1 Gemfile dependencies, 3 gems now installed.\nUse `bundle info [gemname]` to see where a bundled gem is installed.\n"),
            exists: &["/usr/local/bundle/gems/rack-test-2.1.0"],
            ..BASE
        },
        Case {
            name: "bundle install without a Gemfile",
            tools: &["bundle"],
            script: "bundle install",
            status: 10,
            stderr: &["Could not locate Gemfile\n"],
            ..BASE
        },
        Case {
            name: "bundle config --global writes ~/.bundle/config",
            tools: &["bundle"],
            script: "bundle config --global frozen 1 && cat ~/.bundle/config",
            stdout: Some("---\nBUNDLE_FROZEN: \"1\"\n"),
            ..BASE
        },
        Case {
            name: "ruby --version",
            tools: &["ruby"],
            env: ruby_env,
            script: "ruby --version",
            stdout: Some("ruby 3.3.6 [x86_64-linux]\n"),
            ..BASE
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn git_init_hint_is_suppressed_by_default_branch_config() {
    let case = Case {
        tools: &["git"],
        script: "git config --global init.defaultBranch main && git init -q && cat .git/HEAD",
        ..BASE
    };
    let (out, fs) = run(&case);
    assert_eq!(String::from_utf8(out.stderr()).unwrap(), "");
    assert_eq!(
        String::from_utf8(out.stdout()).unwrap(),
        "ref: refs/heads/main\n"
    );
    // The config key was written where git reads it.
    assert!(text(&fs, "/root/.gitconfig").contains("defaultBranch = main"));
}
