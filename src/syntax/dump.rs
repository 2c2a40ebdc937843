//! Renderings of the syntax tree in BuildKit's own shapes: the `Node.Dump()` text of its
//! golden test files, and the JSON list (`cmd`, `sub_cmd`, `json`, `original`, lines,
//! `flags`, `value`, `heredocs`) of the AST as current BuildKit builds it.

use super::ast::{Ast, Node};
use super::gostr::{to_lower, trim_space};
use crate::text::go_quote as quote;
use serde::Serialize;

/// BuildKit's `Dump()` of the whole file: one `(…)` line per instruction, no final newline
/// (BuildKit's tests compare `dump + "\n"` with the `result` files).
pub fn dump(ast: &Ast) -> String {
    let mut out = String::new();
    for node in &ast.instructions {
        out.push('(');
        out.push_str(&dump_node(node));
        out.push_str(")\n");
    }
    trim_space(&out).1.to_string()
}

/// `Dump()` of one instruction, without the outer parentheses.
pub fn dump_node(node: &Node) -> String {
    let mut out = to_lower(&node.keyword);
    if !node.flags.is_empty() {
        let flags: Vec<String> = node.flags.iter().map(|f| quote(&f.text)).collect();
        out.push_str(" [");
        out.push_str(&flags.join(" "));
        out.push(']');
    }
    if let Some(child) = &node.child {
        out.push_str(" (");
        out.push_str(&dump_node(child));
        out.push(')');
    } else {
        for arg in &node.args {
            out.push(' ');
            out.push_str(&quote(&arg.value));
        }
    }
    trim_space(&out).1.to_string()
}

/// One instruction in the JSON shape of BuildKit's AST.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildkitNode {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub original: String,
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub heredocs: Vec<BuildkitHeredoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildkitHeredoc {
    pub name: String,
    pub file_descriptor: u64,
    pub content: String,
}

/// The top-level instructions as BuildKit's JSON-shaped AST. For ONBUILD, `sub_cmd`,
/// `json` and `value` describe the wrapped instruction and `flags` are ONBUILD's own.
pub fn buildkit_nodes(ast: &Ast) -> Vec<BuildkitNode> {
    ast.instructions
        .iter()
        .map(|node| {
            let inner = node.child.as_deref();
            let effective = inner.unwrap_or(node);
            BuildkitNode {
                cmd: node.keyword.clone(),
                sub_cmd: inner.map(|c| c.keyword.clone()),
                json: effective.json,
                original: node.original.clone(),
                start_line: node.start_line,
                end_line: node.end_line,
                flags: node.flags.iter().map(|f| f.text.clone()).collect(),
                value: effective.args.iter().map(|a| a.value.clone()).collect(),
                heredocs: node
                    .heredocs
                    .iter()
                    .map(|h| BuildkitHeredoc {
                        name: h.name.clone(),
                        file_descriptor: h.file_descriptor,
                        content: h.content.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}
