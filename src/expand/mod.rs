//! Variable expansion with BuildKit's shell-lexer rules (`frontend/dockerfile/shell`), and
//! the ARG/ENV scoping model the builder uses ([`scope`]).
//!
//! * [`Lexer`] expands one word ([`Lexer::process_word`]: quotes removed, no splitting,
//!   with the names that were found / not found) or splits it into words after expansion
//!   ([`Lexer::process_words`]).
//! * [`Environment`] is what a lexer reads variables from; [`EnvList`] is the ordered
//!   `KEY=VALUE` list BuildKit uses (last duplicate wins, optional Windows case folding).
//! * Errors are [`ExpandError`]s with BuildKit's message text and a byte range inside the
//!   word; the caller adds the word's position in the Dockerfile.
//!
//! Invariants: pure and deterministic; never panics; every call is bounded by a
//! [`Budget`] (nesting depth, output length, work).

mod budget;
mod env;
mod error;
mod lexer;
mod pattern;
pub mod scope;
mod unicode_tables;

pub use budget::Budget;
pub use env::{split_entry, EmptyEnv, EnvList, Environment};
pub use error::{ExpandError, ExpandErrorKind};
pub use lexer::{Expanded, Lexer};

/// Instructions whose arguments the builder expands before dispatching them (also when
/// wrapped in `ONBUILD`, at the time the trigger runs). `RUN`, `CMD` and `ENTRYPOINT` are
/// not expanded by the builder: in shell form the shell does it at run time.
/// BuildKit notes: `EXPOSE` is split into words after expansion
/// ([`Lexer::process_words`]); `ARG` defaults are expanded when the ARG is dispatched;
/// `ADD`/`COPY` also expand `--chown`, `--chmod` (and `ADD --checksum`), `RUN` expands its
/// `--mount` options, `FROM` expands the image name and `--platform` against the global
/// ARGs only.
pub const EXPANDED_INSTRUCTIONS: [&str; 10] = [
    "ADD",
    "COPY",
    "ENV",
    "EXPOSE",
    "FROM",
    "LABEL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Whether the builder expands variables in this instruction (keyword in any case).
/// `ONBUILD` is decided by the instruction it wraps.
pub fn builder_expands(keyword: &str) -> bool {
    EXPANDED_INSTRUCTIONS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(keyword))
}
