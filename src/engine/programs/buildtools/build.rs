//! Build systems and toolchains beyond `make`, as far as the filesystem goes: `cmake`,
//! `cargo`/`rustc`/`rustup-init`/`rustup`, `autoconf`/`autoreconf`, a `./configure`
//! whose content is not known, and `strip`. Each checks its inputs like the
//! real tool (a missing `CMakeLists.txt`, `Cargo.toml` or `configure.ac` fails with the
//! real message) and writes its outputs with estimated sizes, flagged as approximated:
//! nothing is compiled. Inside an unfetched source tree (an archive whose content was
//! not downloaded) missing inputs are expected and the step succeeds as an approximation.

use crate::engine::shell::fs::{Content, Data};
use crate::engine::shell::programs::{PResult, ProgResult, ProgramCtx, Registry};

/// Estimated sizes (bytes).
const RUST_RELEASE_BINARY: u64 = 4_300_000;
const RUST_DEBUG_BINARY: u64 = 14_000_000;
const RUST_BUILD_CACHE: u64 = 60_000_000;
const RUSTC_BINARY: u64 = 420_000;
const RUST_TOOLCHAIN_MINIMAL: u64 = 560_000_000;
const RUSTUP_BINARY: u64 = 15_000_000;
const CONFIGURE_SCRIPT: u64 = 520_000;
const GENERATED_MAKEFILE: u64 = 48_000;
const CONFIG_LOG: u64 = 90_000;
const CMAKE_CACHE: u64 = 38_000;

pub fn register(registry: &mut Registry) {
    registry.register("cmake", run_cmake);
    registry.register("cargo", run_cargo);
    registry.register("rustc", run_rustc);
    registry.register("rustup-init", run_rustup_init);
    registry.register("rustup", run_rustup);
    registry.register("autoconf", run_autoconf);
    registry.register("autoreconf", run_autoconf);
    registry.register("configure", run_configure);
    registry.register("strip", run_strip);
}

fn write_estimate(ctx: &mut ProgramCtx<'_, '_>, path: &str, size: u64, mode: u32) -> PResult<bool> {
    let path = ctx.abs(path);
    if let Some(parent) = path
        .rsplit_once('/')
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
    {
        let _ = ctx.mkdir_p(parent, 0o755);
    }
    match ctx.write_mode(&path, Data::Unknown(size), mode) {
        Ok(()) => Ok(true),
        Err(e) => {
            ctx.fs_error("cannot create", &path, e)?;
            Ok(false)
        }
    }
}

/// The unfetched tree `dir` lies in, reported as the reason nothing happened.
fn unfetched(ctx: &mut ProgramCtx<'_, '_>, dir: &str, what: &str) -> bool {
    match ctx.unfetched_tree(dir) {
        Some(root) => {
            ctx.approximated(&format!(
                "the sources unpacked into {root} were not downloaded: {what} ran on nothing, \
                 nothing was compiled, and its outputs are not in the layer"
            ));
            true
        }
        None => false,
    }
}

// ---------------------------------------------------------------- cmake

/// The value of a short option, attached (`-Sdir`) or as the next argument (`-S dir`,
/// which `i` then steps over).
fn short_option_value(attached: &str, args: &[&str], i: &mut usize) -> String {
    if !attached.is_empty() {
        return attached.to_string();
    }
    match args.get(*i) {
        Some(v) => {
            *i += 1;
            v.to_string()
        }
        None => String::new(),
    }
}

fn run_cmake(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "cmake") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.first().copied() {
        Some("--version") => {
            ctx.out_str("cmake version 3.25.1\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).\n")?;
            return Ok(0);
        }
        Some("--build") => {
            let dir = ctx.abs(args.get(1).copied().unwrap_or("."));
            if unfetched(ctx, &dir, "`cmake --build`") {
                return Ok(0);
            }
            if ctx.stat(&format!("{dir}/CMakeCache.txt")).is_err() {
                ctx.err(format!("Error: {dir} is not a directory\n").as_bytes())?;
                return Ok(1);
            }
            ctx.approximated(
                "`cmake --build`: nothing is compiled; the build outputs are not in the layer",
            );
            return Ok(0);
        }
        Some("--install") => {
            let dir = ctx.abs(args.get(1).copied().unwrap_or("."));
            if unfetched(ctx, &dir, "`cmake --install`") {
                return Ok(0);
            }
            ctx.approximated("`cmake --install`: nothing was built, so nothing is installed");
            return Ok(0);
        }
        _ => {}
    }
    // Configure: `cmake [options] <src>` or `cmake -S src -B build`.
    let mut source: Option<String> = None;
    let mut build: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if let Some(v) = a.strip_prefix("-S") {
            source = Some(short_option_value(v, &args, &mut i));
        } else if let Some(v) = a.strip_prefix("-B") {
            build = Some(short_option_value(v, &args, &mut i));
        } else if matches!(a, "-G" | "-C" | "-T" | "-A") {
            i += 1;
        } else if a.starts_with('-') {
        } else {
            source = Some(a.to_string());
        }
    }
    let build_dir = ctx.abs(build.as_deref().unwrap_or("."));
    let source_dir = ctx.abs(source.as_deref().unwrap_or("."));
    if ctx.stat(&format!("{source_dir}/CMakeLists.txt")).is_err() {
        if unfetched(ctx, &source_dir, "`cmake`") {
            return Ok(0);
        }
        ctx.err(format!("CMake Error: The source directory \"{source_dir}\" does not appear to contain CMakeLists.txt.\nSpecify --help for usage, or press the help button on the CMake GUI.\n").as_bytes())?;
        return Ok(1);
    }
    let _ = ctx.mkdir_p(&build_dir, 0o755);
    ctx.out_str("-- Configuring done\n-- Generating done\n")?;
    ctx.out_str(&format!(
        "-- Build files have been written to: {build_dir}\n"
    ))?;
    write_estimate(
        ctx,
        &format!("{build_dir}/CMakeCache.txt"),
        CMAKE_CACHE,
        0o644,
    )?;
    write_estimate(
        ctx,
        &format!("{build_dir}/Makefile"),
        GENERATED_MAKEFILE,
        0o644,
    )?;
    ctx.approximated(
        "cmake's generated build files are size-only estimates; compilers were not probed",
    );
    Ok(0)
}

// ---------------------------------------------------------------- rust

fn cargo_home(ctx: &ProgramCtx<'_, '_>) -> String {
    ctx.env("CARGO_HOME").unwrap_or_else(|| {
        format!(
            "{}/.cargo",
            ctx.env("HOME").unwrap_or_else(|| "/root".into())
        )
    })
}

fn rustup_home(ctx: &ProgramCtx<'_, '_>) -> String {
    ctx.env("RUSTUP_HOME").unwrap_or_else(|| {
        format!(
            "{}/.rustup",
            ctx.env("HOME").unwrap_or_else(|| "/root".into())
        )
    })
}

fn rust_version(ctx: &ProgramCtx<'_, '_>) -> String {
    ctx.env("RUST_VERSION").unwrap_or_else(|| "1.83.0".into())
}

/// The `[package] name` of a Cargo.toml.
fn package_name(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
            continue;
        }
        if in_package {
            if let Some(v) = t.strip_prefix("name") {
                let v = v.trim_start().strip_prefix('=')?.trim();
                return Some(v.trim_matches('"').trim_matches('\'').to_string());
            }
        }
    }
    None
}

fn run_cargo(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "cargo") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let sub = args
        .iter()
        .copied()
        .find(|a| !a.starts_with('-') && !a.starts_with('+'));
    let before_sub = |flag: &str| {
        args.iter()
            .take_while(|a| Some(**a) != sub)
            .any(|a| *a == flag)
    };
    if before_sub("--version") || before_sub("-V") || sub == Some("version") {
        let v = rust_version(ctx);
        ctx.out_str(&format!("cargo {v}\n"))?;
        return Ok(0);
    }
    let release = args.contains(&"--release") || args.contains(&"-r");
    match sub {
        Some("build") | Some("b") => {
            let manifest = args
                .iter()
                .position(|a| *a == "--manifest-path")
                .and_then(|p| args.get(p + 1))
                .map(|m| ctx.abs(m))
                .unwrap_or_else(|| ctx.abs("Cargo.toml"));
            let dir = manifest
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            let toml = match ctx.read(&manifest) {
                Ok(Content::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
                Ok(Content::Unknown { .. }) => String::new(),
                Err(_) => {
                    if unfetched(ctx, &dir, "`cargo build`") {
                        return Ok(0);
                    }
                    let shown = if dir.is_empty() { "/" } else { dir.as_str() };
                    ctx.err(format!("error: could not find `Cargo.toml` in `{shown}` or any parent directory\n").as_bytes())?;
                    return Ok(101);
                }
            };
            let name = package_name(&toml).unwrap_or_else(|| {
                dir.rsplit('/')
                    .find(|s| !s.is_empty())
                    .unwrap_or("app")
                    .to_string()
            });
            let target = ctx
                .env("CARGO_TARGET_DIR")
                .map(|t| ctx.abs(&t))
                .unwrap_or_else(|| format!("{dir}/target"));
            let profile = if release { "release" } else { "debug" };
            let size = if release {
                RUST_RELEASE_BINARY
            } else {
                RUST_DEBUG_BINARY
            };
            ctx.err(format!("   Compiling {name} v0.1.0 ({dir})\n").as_bytes())?;
            write_estimate(ctx, &format!("{target}/{profile}/{name}"), size, 0o755)?;
            write_estimate(
                ctx,
                &format!("{target}/{profile}/deps/lib{name}.rlib"),
                RUST_BUILD_CACHE,
                0o644,
            )?;
            let shown = if release {
                "`release` profile [optimized]"
            } else {
                "`dev` profile [unoptimized + debuginfo]"
            };
            ctx.err(format!("    Finished {shown} target(s)\n").as_bytes())?;
            ctx.approximated("nothing is compiled: the binary and the build cache under target/ have estimated sizes (the version shown is not read from Cargo.toml)");
            Ok(0)
        }
        Some("install") => {
            let root = args
                .iter()
                .position(|a| *a == "--root")
                .and_then(|p| args.get(p + 1))
                .map(|r| ctx.abs(r))
                .unwrap_or_else(|| cargo_home(ctx));
            let mut names: Vec<String> = Vec::new();
            if let Some(p) = args.iter().position(|a| *a == "--path") {
                let dir = ctx.abs(args.get(p + 1).copied().unwrap_or("."));
                let toml = ctx.read_text(&format!("{dir}/Cargo.toml")).ok().flatten();
                match toml {
                    Some(t) => names.push(package_name(&t).unwrap_or_else(|| "app".into())),
                    None => {
                        ctx.err(format!("error: `{dir}` does not contain a Cargo.toml file. --path must point to a directory containing a Cargo.toml file.\n").as_bytes())?;
                        return Ok(101);
                    }
                }
            } else {
                let mut skip = false;
                for a in args.iter().skip_while(|a| **a != "install").skip(1) {
                    if skip {
                        skip = false;
                        continue;
                    }
                    if matches!(
                        *a,
                        "--version"
                            | "--root"
                            | "--git"
                            | "--branch"
                            | "--tag"
                            | "--rev"
                            | "--target"
                            | "--features"
                            | "-j"
                            | "--jobs"
                            | "--profile"
                            | "--bin"
                    ) {
                        skip = true;
                        continue;
                    }
                    if !a.starts_with('-') {
                        names.push(a.split('@').next().unwrap_or(a).to_string());
                    }
                }
            }
            for name in &names {
                ctx.err(format!("  Installing {root}/bin/{name}\n").as_bytes())?;
                write_estimate(
                    ctx,
                    &format!("{root}/bin/{name}"),
                    RUST_RELEASE_BINARY,
                    0o755,
                )?;
            }
            ctx.approximated("the crates were neither downloaded nor compiled: the installed binaries have estimated sizes and are named after the crates");
            Ok(0)
        }
        Some("fetch") => {
            let home = cargo_home(ctx);
            write_estimate(
                ctx,
                &format!("{home}/registry/cache/crates.tar"),
                RUST_BUILD_CACHE / 2,
                0o644,
            )?;
            ctx.approximated(
                "dependencies are not downloaded: the registry cache has an estimated size",
            );
            Ok(0)
        }
        _ => {
            ctx.not_simulated(
                "only cargo build, cargo install, cargo fetch and cargo --version are simulated",
            );
            Ok(0)
        }
    }
}

fn run_rustc(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "rustc") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    if args.contains(&"--version") || args.contains(&"-V") {
        let v = rust_version(ctx);
        ctx.out_str(&format!("rustc {v}\n"))?;
        return Ok(0);
    }
    let mut output = None;
    let mut input = None;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-o" => {
                output = args.get(i + 1).map(|s| s.to_string());
                i += 1;
            }
            "-C" | "--edition" | "--crate-type" | "--crate-name" | "-L" | "--target" => i += 1,
            a if a.starts_with('-') => {}
            a => input = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(input) = input else {
        ctx.err(b"error: no input filename given\n\n")?;
        return Ok(1);
    };
    if ctx.stat(&input).is_err() {
        ctx.err(format!("error: couldn't read `{input}`: No such file or directory (os error 2)\n\nerror: aborting due to 1 previous error\n\n").as_bytes())?;
        return Ok(1);
    }
    let out = output.unwrap_or_else(|| {
        let base = input.rsplit('/').next().unwrap_or(&input);
        base.strip_suffix(".rs").unwrap_or(base).to_string()
    });
    write_estimate(ctx, &out, RUSTC_BINARY, 0o755)?;
    ctx.approximated("the binary's size is an estimate (nothing is compiled)");
    Ok(0)
}

fn run_rustup_init(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    if !args.contains(&"-y") {
        ctx.not_simulated(
            "rustup-init asks questions without -y; only `rustup-init -y` is simulated",
        );
        return Ok(0);
    }
    let toolchain = args
        .iter()
        .position(|a| *a == "--default-toolchain")
        .and_then(|p| args.get(p + 1))
        .copied()
        .unwrap_or("stable")
        .to_string();
    let cargo = cargo_home(ctx);
    let rustup = rustup_home(ctx);
    ctx.err(format!("info: profile set to 'minimal'\ninfo: default host triple is x86_64-unknown-linux-gnu\ninfo: syncing channel updates for '{toolchain}-x86_64-unknown-linux-gnu'\ninfo: default toolchain set to '{toolchain}-x86_64-unknown-linux-gnu'\n").as_bytes())?;
    for tool in [
        "rustup",
        "cargo",
        "rustc",
        "rustdoc",
        "rust-gdb",
        "rust-lldb",
        "cargo-clippy",
        "cargo-fmt",
        "clippy-driver",
        "rustfmt",
        "rls",
        "rust-analyzer",
    ] {
        write_estimate(ctx, &format!("{cargo}/bin/{tool}"), RUSTUP_BINARY, 0o755)?;
    }
    write_estimate(
        ctx,
        &format!("{rustup}/toolchains/{toolchain}-x86_64-unknown-linux-gnu/lib/librustc_driver.so"),
        RUST_TOOLCHAIN_MINIMAL,
        0o644,
    )?;
    let _ = ctx.write_mode(
        &format!("{rustup}/settings.toml"),
        Data::Bytes(format!("version = \"12\"\ndefault_toolchain = \"{toolchain}-x86_64-unknown-linux-gnu\"\nprofile = \"minimal\"\n\n[overrides]\n").as_bytes()),
        0o644,
    );
    ctx.approximated("the toolchain is not downloaded: its files have estimated sizes");
    Ok(0)
}

fn run_rustup(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "rustup") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match (args.first().copied(), args.get(1).copied()) {
        (Some("--version"), _) => {
            ctx.out_str("rustup 1.27.1 (54dd3d00f 2024-04-24)\n")?;
            Ok(0)
        }
        (Some("target"), Some("add"))
        | (Some("component"), Some("add"))
        | (Some("toolchain"), Some("install")) => {
            let home = rustup_home(ctx);
            for name in args.iter().skip(2).filter(|a| !a.starts_with('-')) {
                write_estimate(
                    ctx,
                    &format!("{home}/downloads/{name}"),
                    RUST_TOOLCHAIN_MINIMAL / 8,
                    0o644,
                )?;
                ctx.err(format!("info: installing component '{name}'\n").as_bytes())?;
            }
            ctx.approximated("components are not downloaded: their files have estimated sizes");
            Ok(0)
        }
        _ => {
            ctx.not_simulated(
                "only rustup target/component add and toolchain install are simulated",
            );
            Ok(0)
        }
    }
}

// ---------------------------------------------------------------- autotools

fn run_autoconf(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = ctx.name().to_string();
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, &name) {
        return missing;
    }
    if argv.iter().any(|a| a == "--version") {
        ctx.out_str(&format!("{name} (GNU Autoconf) 2.71\n"))?;
        return Ok(0);
    }
    let cwd = ctx.cwd().to_string();
    let input = ["configure.ac", "configure.in"]
        .into_iter()
        .find(|f| ctx.stat(f).is_ok());
    if input.is_none() {
        if unfetched(ctx, &cwd, &format!("`{name}`")) {
            return Ok(0);
        }
        if name == "autoreconf" {
            ctx.err(b"autoreconf: error: 'configure.ac' is required\n")?;
        } else {
            ctx.err(b"autoconf: error: no input file\n")?;
        }
        return Ok(1);
    }
    write_estimate(ctx, "configure", CONFIGURE_SCRIPT, 0o755)?;
    ctx.approximated(
        "the generated configure script is a size-only stand-in (its content is not produced)",
    );
    Ok(0)
}

/// `./configure` whose file content is not known (generated by autoconf, downloaded):
/// writes the files a configure run leaves behind, with estimated sizes.
fn run_configure(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let invoked = argv.first().cloned().unwrap_or_default();
    if !invoked.contains('/') {
        // Only ever run as a file; a bare `configure` is not on PATH.
        return crate::engine::programs::not_found(ctx, "configure");
    }
    if argv.iter().any(|a| a == "--help" || a == "-h") {
        ctx.approximated(
            "the configure script's content is not known, so its help text is not shown",
        );
        return Ok(0);
    }
    write_estimate(ctx, "Makefile", GENERATED_MAKEFILE, 0o644)?;
    write_estimate(ctx, "config.status", GENERATED_MAKEFILE, 0o755)?;
    write_estimate(ctx, "config.log", CONFIG_LOG, 0o644)?;
    ctx.approximated("the configure script's content is not known: it did not run; the Makefile, config.status and config.log it leaves are size-only stand-ins");
    Ok(0)
}

// ---------------------------------------------------------------- strip

fn run_strip(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "strip") {
        return missing;
    }
    let mut files = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if matches!(a, "-o" | "-R" | "-N" | "-K") {
            i += 1;
        } else if !a.starts_with('-') {
            files.push(a.to_string());
        }
        i += 1;
    }
    if files.is_empty() {
        ctx.err(b"Usage: strip <option(s)> in-file(s)\n")?;
        return Ok(1);
    }
    let mut status = 0;
    let mut estimated = false;
    for f in &files {
        match ctx.read(f) {
            Ok(Content::Unknown { size }) => {
                // Debug symbols are typically a quarter or more of an unstripped binary.
                let _ = ctx.set_len(f, size - size / 4);
                estimated = true;
            }
            Ok(Content::Bytes(b)) if b.starts_with(b"\x7fELF") => {}
            Ok(Content::Bytes(_)) => {
                ctx.err(format!("strip: {f}: file format not recognized\n").as_bytes())?;
                status = 1;
            }
            Err(_) => {
                ctx.err(format!("strip: '{f}': No such file\n").as_bytes())?;
                status = 1;
            }
        }
    }
    if estimated {
        ctx.approximated("the stripped size is an estimate (a quarter smaller)");
    }
    Ok(status)
}
