//! `go` and the C/C++ compilers, as far as the filesystem goes: they read their sources and
//! write an output binary whose size is an estimate (flagged as approximated). Nothing is
//! compiled; downloads (`go get`, `go mod download`) write size-only module trees.

use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// Estimated sizes (bytes). A static Go binary using net/http is several MB; a small
/// C++ program linked against the system libstdc++ is tens of kB.
const GO_BINARY_BASE: u64 = 2_100_000;
const GO_NET_HTTP: u64 = 5_200_000;
const GO_MODULE_SOURCE: u64 = 1_800_000;
/// vendor/ of a small service: a handful of modules' sources.
const GO_VENDOR_LIST: u64 = 4_000_000;
const C_BINARY: u64 = 18_000;

pub fn register(registry: &mut Registry) {
    registry.register("go", run_go);
    for compiler in ["gcc", "g++", "cc", "c++", "clang", "clang++"] {
        registry.register(compiler, run_cc);
    }
}

fn run_go(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::require_on_path(ctx, "go") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.first().copied() {
        Some("build") => go_build(ctx, &args[1..]),
        Some("get") => go_get(ctx, &args[1..]),
        Some("install") => go_install(ctx, &args[1..]),
        Some("mod") => go_mod(ctx, &args[1..]),
        Some("env") => go_env(ctx, &args[1..]),
        Some("clean") => go_clean(ctx, &args[1..]),
        Some("version") => {
            let version = go_version(ctx);
            ctx.out_str(&format!("go version go{version} linux/amd64\n"))?;
            Ok(0)
        }
        Some("fmt") => Ok(0),
        Some(other) => {
            ctx.not_simulated(&format!(
                "`go {other}` runs or inspects Go code, which the playground does not compile"
            ));
            Ok(0)
        }
        None => {
            ctx.err(b"Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> [arguments]\n")?;
            Ok(2)
        }
    }
}

fn go_version(ctx: &mut ProgramCtx<'_, '_>) -> String {
    ctx.env("GOLANG_VERSION").unwrap_or_else(|| "1.22".into())
}

fn gopath(ctx: &mut ProgramCtx<'_, '_>) -> String {
    ctx.env("GOPATH").unwrap_or_else(|| {
        let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
        format!("{}/go", home.trim_end_matches('/'))
    })
}

/// `go env`: the settings a linux/amd64 toolchain reports, from the environment where the
/// image sets them (the golang images set GOPATH and GOLANG_VERSION).
fn go_env(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    if args.first() == Some(&"-w") || args.first() == Some(&"-u") {
        let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
        let dir = format!("{}/.config/go", home.trim_end_matches('/'));
        let file = format!("{dir}/env");
        let mut settings = ctx.read_text(&file).ok().flatten().unwrap_or_default();
        for setting in &args[1..] {
            let key = setting.split('=').next().unwrap_or(setting);
            settings = settings
                .lines()
                .filter(|l| l.split('=').next() != Some(key))
                .map(|l| format!("{l}\n"))
                .collect();
            if args[0] == "-w" {
                settings.push_str(&format!("{setting}\n"));
            }
        }
        let _ = ctx.mkdir_p(&dir, 0o755);
        if let Err(e) = ctx.write(&file, Data::Bytes(settings.as_bytes())) {
            ctx.fs_error("open", &file, e)?;
            return Ok(1);
        }
        return Ok(0);
    }
    let gopath = gopath(ctx);
    let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
    let known = |ctx: &mut ProgramCtx<'_, '_>, key: &str| -> Option<String> {
        let from_env = ctx.env(key);
        let default = match key {
            "GOARCH" | "GOHOSTARCH" => "amd64".to_string(),
            "GOOS" | "GOHOSTOS" => "linux".to_string(),
            "GOAMD64" => "v1".to_string(),
            "GOPATH" => gopath.clone(),
            "GOROOT" => "/usr/local/go".to_string(),
            "GOMODCACHE" => format!("{gopath}/pkg/mod"),
            "GOCACHE" => format!("{}/.cache/go-build", home.trim_end_matches('/')),
            "CGO_ENABLED" => "1".to_string(),
            "GOVERSION" => format!("go{}", go_version(ctx)),
            "GOBIN" | "GOFLAGS" | "GOEXE" | "GOARM" | "GO111MODULE" | "GOTOOLCHAIN" => {
                String::new()
            }
            "CC" => "gcc".to_string(),
            "CXX" => "g++".to_string(),
            "PKG_CONFIG" => "pkg-config".to_string(),
            _ => return from_env,
        };
        Some(from_env.unwrap_or(default))
    };
    let keys: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    if keys.is_empty() {
        for key in [
            "GO111MODULE",
            "GOARCH",
            "GOBIN",
            "GOCACHE",
            "GOEXE",
            "GOFLAGS",
            "GOHOSTARCH",
            "GOHOSTOS",
            "GOMODCACHE",
            "GOOS",
            "GOPATH",
            "GOROOT",
            "GOVERSION",
            "GOAMD64",
            "CC",
            "CXX",
            "CGO_ENABLED",
            "PKG_CONFIG",
        ] {
            let value = known(ctx, key).unwrap_or_default();
            ctx.out_str(&format!("{key}='{value}'\n"))?;
        }
        return Ok(0);
    }
    for key in keys {
        match known(ctx, key) {
            Some(value) => ctx.out_str(&format!("{value}\n"))?,
            None => {
                ctx.approximated(&format!(
                    "`go env {key}`: this setting's default is not known here; printed empty"
                ));
                ctx.out_str("\n")?;
            }
        }
    }
    Ok(0)
}

/// The `go` line `go mod init` writes: the toolchain's own version from Go 1.21 on, one
/// minor version below the toolchain (`1.(N-1).0`) from Go 1.26 on, `1.N` before 1.21.
fn go_line(version: &str) -> String {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(1), parts.next().unwrap_or(0));
    match minor {
        0..=20 => format!("{major}.{minor}"),
        21..=25 => version.to_string(),
        _ => format!("{major}.{}.0", minor - 1),
    }
}

/// `go mod download|tidy|vendor|verify|init`: module trees of estimated size.
fn go_mod(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let cwd = ctx.cwd().to_string();
    let sub = args.first().copied().unwrap_or("");
    if sub == "init" {
        let module = args.get(1).copied().unwrap_or("example.com/app");
        let file = format!("{}/go.mod", cwd.trim_end_matches('/'));
        if ctx.stat(&file).is_ok() {
            ctx.err(format!("go: {file} already exists\n").as_bytes())?;
            return Ok(1);
        }
        let text = format!("module {module}\n\ngo {}\n", go_line(&go_version(ctx)));
        let _ = ctx.write(&file, Data::Bytes(text.as_bytes()));
        ctx.err(format!("go: creating new go.mod: module {module}\n").as_bytes())?;
        return Ok(0);
    }
    if ctx
        .stat(&format!("{}/go.mod", cwd.trim_end_matches('/')))
        .is_err()
    {
        ctx.err(b"go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n")?;
        return Ok(1);
    }
    match sub {
        "download" | "tidy" | "verify" | "graph" | "why" | "edit" => {
            if sub == "download" || sub == "tidy" {
                let dir = format!("{}/pkg/mod/cache/download", gopath(ctx));
                let _ = ctx.mkdir_p(&dir, 0o755);
                let _ = ctx.write_mode(
                    &format!("{dir}/modules.zip"),
                    Data::Unknown(GO_MODULE_SOURCE),
                    0o644,
                );
                ctx.approximated("module downloads are size-only estimates");
            }
            Ok(0)
        }
        "vendor" => {
            let dir = format!("{}/vendor", cwd.trim_end_matches('/'));
            let _ = ctx.mkdir_p(&dir, 0o755);
            let _ = ctx.write(&format!("{dir}/modules.txt"), Data::Unknown(GO_VENDOR_LIST));
            ctx.approximated(
                "the vendored module sources are not fetched; vendor/ holds an estimate",
            );
            Ok(0)
        }
        other => {
            ctx.err(
                format!("go mod {other}: unknown command\nRun 'go help mod' for usage.\n")
                    .as_bytes(),
            )?;
            Ok(2)
        }
    }
}

/// `go clean -cache|-modcache|-testcache`: removes the caches for real.
fn go_clean(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let gopath = gopath(ctx);
    let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
    for arg in args {
        let dir = match *arg {
            "-cache" => ctx
                .env("GOCACHE")
                .unwrap_or_else(|| format!("{}/.cache/go-build", home.trim_end_matches('/'))),
            "-modcache" => ctx
                .env("GOMODCACHE")
                .unwrap_or_else(|| format!("{gopath}/pkg/mod")),
            _ => continue,
        };
        let _ = ctx.remove_tree(&dir);
    }
    Ok(0)
}

/// `go install pkg@version` or `go install ./cmd/x`: the binary lands in $GOBIN or
/// $GOPATH/bin, named after the package's last path element (skipping a `/vN` suffix).
fn go_install(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let bin = ctx
        .env("GOBIN")
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| format!("{}/bin", gopath(ctx)));
    let mut packages: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "-ldflags" | "-tags" | "-gcflags" | "-mod" | "-o" | "-trimpath=false" => {
                iter.next();
            }
            a if a.starts_with('-') => {}
            a => packages.push(a),
        }
    }
    if packages.is_empty() {
        packages.push(".");
    }
    let _ = ctx.mkdir_p(&bin, 0o755);
    for package in packages {
        if package == "tool" {
            ctx.not_simulated(
                "`go install tool` needs the module's tool directives, which are not read",
            );
            continue;
        }
        let path = package.split('@').next().unwrap_or(package);
        let name = binary_name(ctx, path);
        let target = format!("{bin}/{name}");
        if let Err(e) = ctx.write_mode(&target, Data::Unknown(GO_BINARY_BASE), 0o755) {
            ctx.fs_error("open", &target, e)?;
            return Ok(1);
        }
    }
    ctx.approximated(
        "the installed binaries' sizes are estimates (nothing is downloaded or compiled)",
    );
    Ok(0)
}

fn binary_name(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> String {
    let absolute;
    let path = if path == "." || path.starts_with("./") || path.starts_with("../") {
        absolute = ctx.abs(path);
        absolute.as_str()
    } else {
        path
    };
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != "...")
        .collect();
    let is_major =
        |p: &str| p.len() > 1 && p.starts_with('v') && p[1..].bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [.., before, last] if is_major(last) => before.to_string(),
        [.., last] => last.to_string(),
        [] => "main".to_string(),
    }
}

fn go_get(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let gopath = gopath(ctx);
    for module in args.iter().filter(|a| !a.starts_with('-')) {
        let name = module.split('@').next().unwrap_or(module);
        let dir = format!("{gopath}/src/{name}");
        let _ = ctx.mkdir_p(&dir, 0o755);
        let _ = ctx.write_mode(
            &format!("{dir}/source.tar"),
            Data::Unknown(GO_MODULE_SOURCE),
            0o644,
        );
        if args.contains(&"-v") {
            ctx.err(format!("{name} (download)\n").as_bytes())?;
        }
    }
    ctx.approximated("downloaded module sources are size-only estimates");
    Ok(0)
}

fn go_build(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let mut output: Option<String> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "-o" => output = iter.next().map(|s| s.to_string()),
            "-installsuffix" | "-ldflags" | "-tags" | "-gcflags" | "-mod" => {
                iter.next();
            }
            _ => {}
        }
    }
    let cwd = ctx.cwd().to_string();
    let sources: Vec<String> = ctx
        .read_dir(&cwd)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.ends_with(".go"))
        .collect();
    if sources.is_empty() {
        ctx.err(b"no Go files in the current directory\n")?;
        return Ok(1);
    }
    let mut uses_http = false;
    for name in &sources {
        let source = ctx
            .read_text(&format!("{cwd}/{name}"))
            .ok()
            .flatten()
            .unwrap_or_default();
        uses_http |= source.contains("net/http");
    }
    let default_name = cwd
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("main")
        .to_string();
    let target = ctx.abs(&output.unwrap_or(default_name));
    let size = GO_BINARY_BASE + if uses_http { GO_NET_HTTP } else { 0 };
    // The go command creates the output's directory (`go build -o /out/app .` needs no mkdir).
    if let Some(parent) = target
        .rsplit_once('/')
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
    {
        let _ = ctx.mkdir_p(parent, 0o755);
    }
    if let Err(e) = ctx.write_mode(&target, Data::Unknown(size), 0o755) {
        ctx.fs_error("open", &target, e)?;
        return Ok(1);
    }
    ctx.approximated("the binary's size is an estimate (nothing is compiled)");
    Ok(0)
}

fn run_cc(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = super::lang_support::program_name(argv, "cc");
    if let Some(missing) = super::require_on_path(ctx, &name) {
        return missing;
    }
    if let Some(result) = cc_query(ctx, &name, argv) {
        return result;
    }
    let mut output = "a.out".to_string();
    let mut inputs = Vec::new();
    let mut iter = argv.iter().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-o" => {
                if let Some(o) = iter.next() {
                    output = o.clone();
                }
            }
            "-I" | "-L" | "-D" | "-x" => {
                iter.next();
            }
            a if a.starts_with('-') => {}
            a => inputs.push(a.to_string()),
        }
    }
    for input in &inputs {
        let path = ctx.abs(input);
        if ctx.stat(&path).is_err() {
            ctx.err(format!("{name}: error: {input}: No such file or directory\n").as_bytes())?;
            ctx.err(
                format!("{name}: fatal error: no input files\ncompilation terminated.\n")
                    .as_bytes(),
            )?;
            return Ok(1);
        }
    }
    if inputs.is_empty() {
        ctx.err(
            format!("{name}: fatal error: no input files\ncompilation terminated.\n").as_bytes(),
        )?;
        return Ok(1);
    }
    let target = ctx.abs(&output);
    if let Err(e) = ctx.write_mode(&target, Data::Unknown(C_BINARY), 0o755) {
        ctx.fs_error("open", &target, e)?;
        return Ok(1);
    }
    ctx.approximated("the binary's size is an estimate (nothing is compiled)");
    Ok(0)
}

/// Debian's versioned GCC packages (`gcc-12` on bookworm); the unversioned `gcc` there is a
/// metapackage with its own version (`4:12.2.0-3`), while on Alpine `gcc` is the compiler.
const DEBIAN_GCC: [&str; 9] = [
    "gcc-8", "gcc-9", "gcc-10", "gcc-11", "gcc-12", "gcc-13", "gcc-14", "gcc-15", "gcc-16",
];

/// Who the installed GCC says it is: (`Debian 12.2.0-14`, `12.2.0`, target triple), from
/// the package database.
fn gcc_identity(ctx: &mut ProgramCtx<'_, '_>) -> Option<(String, String, &'static str)> {
    use super::lang_support::installed_version;
    if let Some((full, true)) = installed_version(ctx, &DEBIAN_GCC) {
        let upstream = full.split('-').next().unwrap_or(&full).to_string();
        return Some((format!("Debian {full}"), upstream, "x86_64-linux-gnu"));
    }
    let Some((full, false)) = installed_version(ctx, &["gcc"]) else {
        return None;
    };
    let v = full
        .rsplit_once("-r")
        .map_or(full.as_str(), |(head, _)| head);
    // `13.2.1_git20240309` prints as `13.2.1 20240309`.
    Some((
        format!("Alpine {v}"),
        v.replace("_git", " "),
        "x86_64-alpine-linux-musl",
    ))
}

/// The compiler's own questions: `--version`, `-dumpversion`, `-dumpmachine`, `-v` alone.
/// `None` when `argv` asks for a compilation.
fn cc_query(ctx: &mut ProgramCtx<'_, '_>, name: &str, argv: &[String]) -> Option<ProgResult> {
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let query = match args.as_slice() {
        ["--version"] | ["-dumpversion"] | ["-dumpfullversion"] | ["-dumpmachine"] | ["-v"] => {
            args[0]
        }
        _ => return None,
    };
    if name.starts_with("clang") {
        ctx.not_simulated("clang's own version output is not modelled");
        return Some(Ok(0));
    }
    let Some((vendor, version, triple)) = gcc_identity(ctx) else {
        ctx.not_simulated("this compiler's package is not in the image's package database");
        return Some(Ok(0));
    };
    let number = version.split(' ').next().unwrap_or(&version).to_string();
    let major = number.split('.').next().unwrap_or("0").to_string();
    let result = match query {
        "--version" => {
            // GCC's copyright year is its release year: major version + 2010.
            let year = major.parse::<u32>().map_or(2022, |m| m + 2010);
            ctx.out_str(&format!(
                "{name} ({vendor}) {version}\nCopyright (C) {year} Free Software Foundation, Inc.\nThis is free software; see the source for copying conditions.  There is NO\nwarranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n\n"
            ))
        }
        "-dumpversion" => ctx.out_str(&format!("{major}\n")),
        "-dumpfullversion" => ctx.out_str(&format!("{number}\n")),
        "-dumpmachine" => ctx.out_str(&format!("{triple}\n")),
        _ => {
            ctx.approximated("`-v` leaves out GCC's `Configured with:` line and its paths");
            ctx.err(format!("Using built-in specs.\nCOLLECT_GCC={name}\nTarget: {triple}\nThread model: posix\ngcc version {version} ({vendor}) \n").as_bytes())
        }
    };
    Some(result.map(|_| 0))
}
