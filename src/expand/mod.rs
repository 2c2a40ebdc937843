//! Variable expansion with BuildKit's shell-lexer rules.
