//! BuildKit's `BFlags`: each instruction declares the flags it accepts (bool, string, or
//! repeatable string) and the parser's raw flag words are checked against them, with
//! BuildKit's messages ("unknown flag: --boo (did you mean …?)", "missing a value on flag",
//! "duplicate flag specified", "expecting boolean value for flag …").

use crate::syntax::ast::Flag;
use crate::syntax::gostr::{suggest, to_lower};
use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    String,
    /// May be given several times; every value is kept.
    Strings,
}

/// A declared flag: name (without `--`), kind and default value (for bool: "true"/"false").
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub name: &'static str,
    pub kind: FlagKind,
    pub default: &'static str,
}

pub const fn bool_flag(name: &'static str) -> FlagSpec {
    FlagSpec {
        name,
        kind: FlagKind::Bool,
        default: "false",
    }
}

pub const fn string_flag(name: &'static str, default: &'static str) -> FlagSpec {
    FlagSpec {
        name,
        kind: FlagKind::String,
        default,
    }
}

pub const fn strings_flag(name: &'static str) -> FlagSpec {
    FlagSpec {
        name,
        kind: FlagKind::Strings,
        default: "",
    }
}

/// One value given on the command line, with the span of its flag word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue {
    pub value: String,
    pub span: Span,
}

/// The outcome of checking the flag words.
#[derive(Debug, Clone, Default)]
pub struct ParsedFlags {
    /// Per declared flag (in declaration order): the values given, in order.
    values: Vec<(&'static str, FlagKind, &'static str, Vec<FlagValue>)>,
}

impl ParsedFlags {
    fn entry(&self, name: &str) -> Option<&(&'static str, FlagKind, &'static str, Vec<FlagValue>)> {
        self.values.iter().find(|e| e.0 == name)
    }

    /// The flag appeared (whatever its value).
    pub fn used(&self, name: &str) -> bool {
        self.entry(name).is_some_and(|e| !e.3.is_empty())
    }

    /// Names of the flags that appeared, in declaration order.
    pub fn used_names(&self) -> Vec<String> {
        self.values
            .iter()
            .filter(|e| !e.3.is_empty())
            .map(|e| e.0.to_string())
            .collect()
    }

    /// A string flag's value, `None` when absent or empty (BuildKit treats both alike).
    pub fn string(&self, name: &str) -> Option<FlagValue> {
        let (_, _, default, given) = self.entry(name)?;
        match given.last() {
            Some(v) if !v.value.is_empty() => Some(v.clone()),
            Some(_) => None,
            None if !default.is_empty() => Some(FlagValue {
                value: (*default).to_string(),
                span: Span::default(),
            }),
            None => None,
        }
    }

    /// A string flag's value with its default ("" counts as a value here).
    pub fn string_or_default(&self, name: &str) -> String {
        self.entry(name)
            .map_or_else(String::new, |(_, _, default, given)| {
                given
                    .last()
                    .map_or_else(|| (*default).to_string(), |v| v.value.clone())
            })
    }

    pub fn strings(&self, name: &str) -> Vec<FlagValue> {
        self.entry(name).map(|e| e.3.clone()).unwrap_or_default()
    }

    /// A bool flag's value (its default when absent).
    pub fn bool(&self, name: &str) -> bool {
        self.entry(name).is_some_and(|(_, _, default, given)| {
            given
                .last()
                .map_or(*default == "true", |v| v.value == "true")
        })
    }
}

/// An error while checking flags: message and the span of the offending flag word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError {
    pub message: String,
    pub span: Span,
}

/// `BFlags.Parse`.
pub fn parse_flags(flags: &[Flag], specs: &[FlagSpec]) -> Result<ParsedFlags, FlagError> {
    let mut parsed = ParsedFlags {
        values: specs
            .iter()
            .map(|s| (s.name, s.kind, s.default, Vec::new()))
            .collect(),
    };
    for flag in flags {
        let text = flag.text.as_str();
        let err = |message: String| FlagError {
            message,
            span: flag.span,
        };
        if text == "--" {
            break;
        }
        let Some(body) = text.strip_prefix("--") else {
            return Err(err(format!("arg should start with -- : {text}")));
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let flag_name = format!("--{name}");
        let Some(entry) = parsed.values.iter_mut().find(|e| e.0 == name) else {
            let mut message = format!("unknown flag: {flag_name}");
            if let Some(hint) = suggest(name, specs.iter().map(|s| s.name), true) {
                message.push_str(&format!(" (did you mean {hint}?)"));
            }
            return Err(err(message));
        };
        if !entry.3.is_empty() && entry.1 != FlagKind::Strings {
            return Err(err(format!("duplicate flag specified: {flag_name}")));
        }
        let value = match (entry.1, value) {
            (FlagKind::Bool, Some("")) | (FlagKind::String | FlagKind::Strings, None) => {
                return Err(err(format!("missing a value on flag: {flag_name}")));
            }
            (FlagKind::Bool, value) => match to_lower(value.unwrap_or_default()).as_str() {
                "true" | "" => "true".to_string(),
                "false" => "false".to_string(),
                _ => {
                    return Err(err(format!(
                        "expecting boolean value for flag {flag_name}, not: {}",
                        value.unwrap_or_default()
                    )))
                }
            },
            (_, Some(value)) => value.to_string(),
        };
        entry.3.push(FlagValue {
            value,
            span: flag.span,
        });
    }
    Ok(parsed)
}
