//! stub
use crate::engine::shell::programs::Registry;
pub fn register(_registry: &mut Registry) {}
