//! Programs the engine adds to the RUN interpreter's standard set: the package managers
//! (over `engine::packages` plans; RPM tools and language package managers with flagged
//! estimates), Debian admin tools, the toolchains tutorials use (`go`, `gcc`/`g++`, git,
//! Python, Node, .NET, Java, Ruby), the official php images' helpers and the xx
//! cross-compilation helpers.
//! The builder and containers run commands with [`registry`].

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

use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};
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

/// Prints the shell's "not found" for a tool the image does not have, like a real shell
/// would when the binary is missing (exit status 127).
fn require_on_path(ctx: &mut ProgramCtx<'_, '_>, name: &str) -> Option<ProgResult> {
    if ctx.find_on_path(name).is_some() {
        return None;
    }
    let message = if ctx.busybox() {
        format!("/bin/sh: {name}: not found\n")
    } else {
        format!("/bin/sh: 1: {name}: not found\n")
    };
    Some(ctx.err(message.as_bytes()).map(|_| 127))
}
