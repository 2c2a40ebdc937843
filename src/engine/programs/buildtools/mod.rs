//! Build tools for the RUN interpreter: `make` (a small real GNU make), `patch` (real
//! unified diffs), `file` and `tree`, the build systems and toolchains whose effects are
//! estimated (`cmake`, `cargo`, `rustc`, `rustup-init`, `autoconf`, `./configure`,
//! `strip`) and `openssl`/`ssh-keygen`.
//!
//! Together with the interpreter's unfetched source trees (`shell::unfetched`), they let
//! `curl … | tar xz -C /usr/src/x && make -C /usr/src/x install` succeed honestly: the
//! sources were not downloaded, so nothing is compiled, and every such step says so.

mod build;
mod crypto;
mod inspect;
mod make;
mod patch;

use crate::engine::shell::programs::Registry;

pub fn register(registry: &mut Registry) {
    make::register(registry);
    patch::register(registry);
    inspect::register(registry);
    build::register(registry);
    crypto::register(registry);
}
