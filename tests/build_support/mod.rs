//! Builds a Dockerfile given as text, with an empty build context, the way `docker build`
//! would with BuildKit (the default) or the builder in `options`.
#![allow(dead_code)]

use dockerfile_playground::engine::builder::context::BuildContext;
use dockerfile_playground::engine::builder::trace::BuildTrace;
use dockerfile_playground::engine::builder::{build, BuildOptions};
use dockerfile_playground::engine::daemon::Engine;

/// Builds `dockerfile` on `engine` (whose cache earlier builds filled) with `options`.
pub fn build_with(engine: &mut Engine, dockerfile: &str, options: &BuildOptions) -> BuildTrace {
    let context = BuildContext::from_files(std::iter::empty::<(&str, &[u8])>(), "Dockerfile");
    build(engine, dockerfile, &context, options)
}

/// Builds `dockerfile` on a fresh engine with the default options.
pub fn build_text(dockerfile: &str) -> BuildTrace {
    build_with(&mut Engine::new(), dockerfile, &BuildOptions::default())
}
