//! Programs the engine adds to the RUN interpreter's standard set: the package managers
//! (over `engine::packages` plans; RPM tools and language package managers with flagged
//! estimates), Debian admin tools, the toolchains tutorials use (`go`, `gcc`/`g++`, make,
//! git, Python, Node, .NET, Java, Ruby), the official php images' helpers and the xx
//! cross-compilation helpers. The builder and containers run commands with [`registry`],
//! and every process inside an image (a build's `RUN`, `docker run`, `docker exec`) starts
//! from [`process_request`], so they resolve commands the same way.

mod buildtools;
mod debian;
mod dotnet;
mod java;
mod lang_support;
mod node;
mod packages;
mod php;
mod python;
mod rpm;
mod ruby;
mod toolchain;
mod vcs;
mod xx;

use crate::engine::catalog::STAND_IN_OS_ID;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};
use crate::engine::shell::{ImageFlavor, RunRequest, ShellFs, UnknownCommands};
use std::sync::OnceLock;

/// The standard programs plus the engine's.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry::standard();
        packages::register(&mut registry);
        toolchain::register(&mut registry);
        vcs::register(&mut registry);
        python::register(&mut registry);
        node::register(&mut registry);
        dotnet::register(&mut registry);
        java::register(&mut registry);
        ruby::register(&mut registry);
        debian::register(&mut registry);
        rpm::register(&mut registry);
        php::register(&mut registry);
        xx::register(&mut registry);
        buildtools::register(&mut registry);
        registry
    })
}

/// The request for a process run inside an image's filesystem `fs` (a build's `RUN`, a
/// container's main process or `docker exec`): `argv` as given, the image's userland, and
/// commands resolved through `PATH` like in a real container — a command that is not a
/// file there fails with the shell's `not found` (status 127), even when the playground
/// could simulate it. The caller fills in env, cwd, user, clock and hostname.
///
/// A stand-in for an image the catalog does not have is the exception: what it ships is
/// unknown, so registered programs run and unknown commands succeed with a warning.
pub fn process_request(argv: Vec<String>, fs: &dyn ShellFs) -> RunRequest {
    process_request_for(argv, fs, !is_stand_in(fs))
}

/// [`process_request`] when the caller knows whether `fs` is a known image's filesystem
/// (`known_image`) or stands in for an image nobody modelled (then commands resolve as on a
/// stand-in).
pub fn process_request_for(argv: Vec<String>, fs: &dyn ShellFs, known_image: bool) -> RunRequest {
    let mut request = RunRequest::exec_form(argv);
    request.image = ImageFlavor::detect(fs);
    request.strict_path = known_image;
    request.unknown_commands = if known_image {
        UnknownCommands::NotFound
    } else {
        UnknownCommands::Succeed
    };
    request
}

/// True when `fs` is the synthetic stand-in for an image outside the catalog.
fn is_stand_in(fs: &dyn ShellFs) -> bool {
    let Ok(content) = fs.read_file("/etc/os-release") else {
        return false;
    };
    let id_line = format!("ID={STAND_IN_OS_ID}");
    content
        .bytes()
        .is_some_and(|b| String::from_utf8_lossy(b).lines().any(|l| l == id_line))
}

/// Prints the shell's "not found" for a tool the image does not have, like a real shell
/// would when the binary is missing (exit status 127).
fn require_on_path(ctx: &mut ProgramCtx<'_, '_>, name: &str) -> Option<ProgResult> {
    if ctx.find_on_path(name).is_some() {
        return None;
    }
    Some(not_found(ctx, name))
}

/// The shell's "not found" for `name` (dash's and busybox's wording), exit status 127.
fn not_found(ctx: &mut ProgramCtx<'_, '_>, name: &str) -> ProgResult {
    let message = if ctx.busybox() {
        format!("/bin/sh: {name}: not found\n")
    } else {
        format!("/bin/sh: 1: {name}: not found\n")
    };
    ctx.err(message.as_bytes()).map(|_| 127)
}
