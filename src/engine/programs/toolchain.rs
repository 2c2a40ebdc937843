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
        Some("get") | Some("install") => go_get(ctx, &args[1..]),
        Some("mod") if args.get(1) == Some(&"download") || args.get(1) == Some(&"tidy") => {
            let gopath = ctx.env("GOPATH").unwrap_or_else(|| "/go".into());
            let dir = format!("{gopath}/pkg/mod/cache/download");
            let _ = ctx.mkdir_p(&dir, 0o755);
            let _ = ctx.write_mode(
                &format!("{dir}/modules.zip"),
                Data::Unknown(GO_MODULE_SOURCE),
                0o644,
            );
            ctx.approximated("module downloads are size-only estimates");
            Ok(0)
        }
        Some("version") => {
            let version = ctx.env("GOLANG_VERSION").unwrap_or_else(|| "1.22".into());
            ctx.out_str(&format!("go version go{version} linux/amd64\n"))?;
            Ok(0)
        }
        Some("env") | Some("vet") | Some("test") | Some("fmt") => Ok(0),
        _ => {
            ctx.not_simulated(
                "only go build, go get, go install and go mod download are simulated",
            );
            Ok(0)
        }
    }
}

fn go_get(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let gopath = ctx.env("GOPATH").unwrap_or_else(|| "/go".into());
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
    if let Err(e) = ctx.write_mode(&target, Data::Unknown(size), 0o755) {
        ctx.fs_error("open", &target, e)?;
        return Ok(1);
    }
    ctx.approximated("the binary's size is an estimate (nothing is compiled)");
    Ok(0)
}

fn run_cc(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    if let Some(missing) = super::require_on_path(ctx, &name) {
        return missing;
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
