//! Dockerfile syntax, exactly as BuildKit reads it: source → directives → logical lines →
//! AST ([`ast`], faithful to the source, with spans) → typed instructions and stages
//! ([`instructions`], validated like BuildKit's `instructions` package).
//!
//! Parsing never fails and never panics: it returns everything it could read plus
//! diagnostics. BuildKit stops at its first error; we record that error as
//! [`ParseOutput::rejection`] (what `docker build` would print) and keep going, so an editor
//! still gets every later instruction. Variables are never expanded here (see `expand`).
//!
//! Reference: BuildKit `frontend/dockerfile/{parser,instructions}` at commit
//! 73ed6825c4b7569379ef89df0aedcdbe64473d31.

pub mod ast;
pub mod directives;
pub mod dump;
pub mod gostr;
pub mod heredoc;
pub mod instructions;
pub mod json;
mod lines;
mod node;
mod parser;

pub use ast::{Arg, Ast, Comment, Directive, Flag, Heredoc, Node};
pub use instructions::{lower, Dockerfile, Instruction, InstructionKind, Stage};

use crate::diagnostics::Diagnostic;

/// The result of [`parse`]: the tree and the parser's diagnostics.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    pub ast: Ast,
    /// Parser errors and warnings in the order BuildKit meets them.
    pub diagnostics: Vec<Diagnostic>,
    /// The error with which BuildKit's parser rejects the whole file (also in
    /// `diagnostics`); `None` when BuildKit parses the file.
    pub rejection: Option<Diagnostic>,
}

/// Parses a Dockerfile into its syntax tree.
pub fn parse(source: &str) -> ParseOutput {
    parser::parse(source)
}

/// Everything the builder and the editor need, from one call.
#[derive(Debug, Clone)]
pub struct Frontend {
    pub ast: Ast,
    /// The valid instructions, typed and grouped into stages.
    pub dockerfile: Dockerfile,
    /// Parser diagnostics, then instruction diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The first error that makes BuildKit refuse the file, at the parser or at the
    /// instruction stage; `None` when BuildKit accepts it.
    pub rejection: Option<Diagnostic>,
}

/// Parses and lowers to typed instructions in one call.
pub fn parse_dockerfile(source: &str) -> Frontend {
    let parsed = parse(source);
    let lowered = lower(&parsed.ast);
    let rejection = parsed
        .rejection
        .clone()
        .or_else(|| lowered.diagnostics.iter().find(|d| d.is_error()).cloned());
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(lowered.diagnostics);
    Frontend {
        ast: parsed.ast,
        dockerfile: lowered.dockerfile,
        diagnostics,
        rejection,
    }
}

/// Codes of the diagnostics the parser stage reports. All errors among them make BuildKit
/// reject the whole file; the only warning is the empty continuation line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseCode {
    InvalidEscape,
    DuplicateDirective,
    LineTooLong,
    JsonNotStrings,
    MissingValue,
    MissingEquals,
    UnterminatedHeredoc,
    InvalidHeredoc,
    NoInstructions,
    NestingTooDeep,
    EmptyContinuationLine,
}

impl ParseCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidEscape => "invalid-escape-directive",
            Self::DuplicateDirective => "duplicate-directive",
            Self::LineTooLong => "line-too-long",
            Self::JsonNotStrings => "json-not-strings",
            Self::MissingValue => "missing-value",
            Self::MissingEquals => "missing-equals",
            Self::UnterminatedHeredoc => "unterminated-heredoc",
            Self::InvalidHeredoc => "invalid-heredoc",
            Self::NoInstructions => "no-instructions",
            Self::NestingTooDeep => "nesting-too-deep",
            Self::EmptyContinuationLine => "empty-continuation-line",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input` parses without rejection and dumps (BuildKit's format) to `expected`.
    fn check(input: &str, expected: &str) {
        let out = parse(input);
        assert!(out.rejection.is_none(), "{input:?}: {:?}", out.rejection);
        assert_eq!(dump::dump(&out.ast), expected, "{input:?}");
    }

    #[test]
    fn pinned_buildkit_behaviour() {
        // Rows of the v0.12.5 → pinned-commit table: we follow the pinned commit.
        check("CMD [\"a\"] tail", r#"(cmd "[\"a\"] tail")"#);
        check("RUN <<  EOF\nx\nEOF\n", r#"(run "<<  EOF")"#);
        check(
            "# escape=`\nCOPY --x=a`  b c",
            r#"(copy ["--x=a "] "b" "c")"#,
        );
        check("# check=skip=all\n# escape=`\nRUN a `\nb", r#"(run "a b")"#);
    }

    #[test]
    fn line_level_quirks() {
        check("\u{feff}FROM a", r#"(from "a")"#);
        check(
            "FROM a\r\nRUN b \\\r\n c\r\n",
            "(from \"a\")\n(run \"b  c\")",
        );
        check("\\\nFROM a", r#"(from "a")"#);
        check("FOO bar", r#"(foo "")"#);
        check("\\", r#"("")"#);
        check("RUN a \\\n# comment \\\n  b", r#"(run "a   b")"#);
        check("ONBUILD", "(onbuild)");
        check("HEALTHCHECK NONE", r#"(healthcheck "NONE")"#);
        check("entrypo\u{130}nt [\"x\"]", "(entrypoint \"x\")");
        let out = parse("\\\nFROM a");
        assert_eq!(
            (
                out.ast.instructions[0].start_line,
                out.ast.instructions[0].end_line
            ),
            (1, 2)
        );
    }

    #[test]
    fn rejections_carry_buildkit_messages() {
        let cases = [
            ("", "file with no instructions"),
            (
                "# escape=x\nFROM a",
                "invalid escape token 'x' does not match ` or \\",
            ),
            ("FROM a\nLABEL a", "LABEL must have two arguments"),
            ("FROM a\nRUN <<EOF\n", "unterminated heredoc"),
        ];
        for (input, message) in cases {
            let out = parse(input);
            assert_eq!(
                out.rejection.map(|d| d.message).as_deref(),
                Some(message),
                "{input:?}"
            );
        }
        // When BuildKit's lexer fails on the line (open quote, `${` without `}`), the line
        // has no heredocs at all.
        for input in ["FROM a\nRUN echo \"<<EOF\n", "FROM a\nRUN <<EOF ${x\n"] {
            let out = parse(input);
            assert!(out.rejection.is_none() && out.ast.instructions[1].heredocs.is_empty());
        }
    }
}
