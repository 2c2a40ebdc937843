//! Emulation of the docker command line: argument parsing and Docker's output formats.

pub mod clock;
pub mod json;
pub mod tabwriter;
pub mod template;
pub mod units;
