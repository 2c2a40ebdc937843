//! Typed instructions (placeholder while the parser lands).
use super::ast::Ast;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Default)]
pub struct Dockerfile {}
#[derive(Debug, Clone)]
pub struct Stage {}
#[derive(Debug, Clone)]
pub struct Instruction {}
#[derive(Debug, Clone)]
pub enum InstructionKind {}
#[derive(Debug, Clone, Default)]
pub struct Lowered { pub dockerfile: Dockerfile, pub diagnostics: Vec<Diagnostic> }
pub fn lower(_ast: &Ast) -> Lowered { Lowered::default() }
