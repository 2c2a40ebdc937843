//! Flag parsing with `spf13/pflag` semantics, the library docker/cli uses.
//!
//! `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, combined
//! shorthands (`-aq`, `-it`), boolean flags that never consume the next word (`-H=false`
//! is needed to turn one off), repeatable list flags, `--` ending the flags, and
//! "interspersed" parsing (flags after positional arguments) unless a command turns it off
//! (`run`, `exec`, … stop at the image or container name). Errors carry pflag's exact
//! wording; the command layer wraps them the way docker/cli's `FlagErrorFunc` does.
//! The help listing reproduces pflag's `FlagUsagesWrapped(79)` layout.

use std::collections::BTreeMap;

/// The value type of a flag, named as pflag names it in help (`string`, `list` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    String,
    Int,
    /// docker/cli's `ListOpts`: repeatable, type name `list`.
    List,
    /// pflag's `StringArray`: repeatable, type name `stringArray`.
    StringArray,
    /// pflag's `StringSlice`: repeatable and comma-separated, type name `strings`.
    StringSlice,
    /// docker/cli's `FilterOpt`: repeatable `key=value`, type name `filter`.
    Filter,
}

impl FlagKind {
    fn type_name(self) -> &'static str {
        match self {
            FlagKind::Bool => "",
            FlagKind::String => "string",
            FlagKind::Int => "int",
            FlagKind::List => "list",
            FlagKind::StringArray => "stringArray",
            FlagKind::StringSlice => "strings",
            FlagKind::Filter => "filter",
        }
    }
}

/// One flag of one command.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// Help text exactly as Docker's.
    pub usage: &'static str,
    /// The `(default …)` text pflag prints, when the default is not the zero value.
    pub default: Option<&'static str>,
    /// A shorthand that pflag marks deprecated (accepted, not listed): the message.
    pub short_deprecated: Option<&'static str>,
}

impl FlagSpec {
    pub const fn new(
        name: &'static str,
        short: Option<char>,
        kind: FlagKind,
        usage: &'static str,
    ) -> Self {
        FlagSpec {
            name,
            short,
            kind,
            usage,
            default: None,
            short_deprecated: None,
        }
    }

    pub const fn default(mut self, text: &'static str) -> Self {
        self.default = Some(text);
        self
    }

    fn display_name(&self) -> String {
        match self.short {
            Some(c) if self.short_deprecated.is_none() => format!("-{c}, --{}", self.name),
            _ => format!("--{}", self.name),
        }
    }
}

/// A parsed flag value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagValue {
    Bool(bool),
    Str(String),
    Int(i64),
    List(Vec<String>),
}

/// Flags that were set on the command line, by long name, plus positional arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFlags {
    pub values: BTreeMap<&'static str, FlagValue>,
    pub args: Vec<String>,
    /// Set when `--help` (or `-h` where it means help) was given.
    pub help: bool,
    /// Messages pflag prints to stderr while parsing (deprecated shorthands).
    pub warnings: Vec<String>,
}

impl ParsedFlags {
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.values.get(name) {
            Some(FlagValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        self.bool(name).unwrap_or(false)
    }

    pub fn string(&self, name: &str) -> Option<String> {
        match self.values.get(name) {
            Some(FlagValue::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.values.get(name) {
            Some(FlagValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        match self.values.get(name) {
            Some(FlagValue::List(items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

/// Parses `args` against `specs`. `--help` and `-h` ask for help unless the command
/// defines them itself (`-h` is the hostname flag of `run` and `create`); docker/cli marks
/// the `-h` shorthand of help deprecated, so pflag prints a notice for it.
pub fn parse(
    specs: &[FlagSpec],
    args: &[String],
    interspersed: bool,
) -> Result<ParsedFlags, String> {
    let mut parsed = ParsedFlags::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg.len() < 2 || !arg.starts_with('-') {
            parsed.args.push(arg.clone());
            if !interspersed {
                parsed.args.extend(args.iter().skip(i).cloned());
                break;
            }
            continue;
        }
        if arg == "--" {
            parsed.args.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            if long.is_empty() || long.starts_with('-') || long.starts_with('=') {
                return Err(format!("bad flag syntax: {arg}"));
            }
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = specs.iter().find(|s| s.name == name) else {
                if name == "help" {
                    parsed.help = true;
                    return Ok(parsed);
                }
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (inline, spec.kind) {
                (Some(v), _) => v,
                (None, FlagKind::Bool) => "true".to_string(),
                (None, _) => match args.get(i) {
                    Some(next) => {
                        i += 1;
                        next.clone()
                    }
                    None => return Err(format!("flag needs an argument: {arg}")),
                },
            };
            set(&mut parsed, spec, &value)?;
            continue;
        }
        // Shorthand cluster: -abc, -fvalue, -f=value, -f value.
        let cluster = arg.get(1..).unwrap_or("");
        let mut rest = cluster;
        while let Some(c) = rest.chars().next() {
            let after = rest.get(c.len_utf8()..).unwrap_or("");
            let Some(spec) = specs.iter().find(|s| s.short == Some(c)) else {
                if c == 'h' {
                    parsed
                        .warnings
                        .push("Flag shorthand -h has been deprecated, use --help".to_string());
                    parsed.help = true;
                    return Ok(parsed);
                }
                return Err(format!(
                    "unknown shorthand flag: {} in -{cluster}",
                    go_quote_char(c)
                ));
            };
            if let Some(message) = spec.short_deprecated {
                parsed.warnings.push(format!(
                    "Flag shorthand -{c} has been deprecated, {message}"
                ));
            }
            let value;
            if let Some(v) = after.strip_prefix('=').filter(|_| after.len() > 1) {
                value = v.to_string();
                rest = "";
            } else if spec.kind == FlagKind::Bool {
                value = "true".to_string();
                rest = after;
            } else if !after.is_empty() {
                value = after.to_string();
                rest = "";
            } else if let Some(next) = args.get(i) {
                value = next.clone();
                i += 1;
                rest = "";
            } else {
                return Err(format!(
                    "flag needs an argument: {} in -{cluster}",
                    go_quote_char(c)
                ));
            }
            set(&mut parsed, spec, &value)?;
        }
    }
    Ok(parsed)
}

fn set(parsed: &mut ParsedFlags, spec: &FlagSpec, value: &str) -> Result<(), String> {
    let invalid = |reason: String| {
        format!(
            "invalid argument {} for {} flag: {reason}",
            go_quote(value),
            go_quote(&spec.display_name())
        )
    };
    match spec.kind {
        FlagKind::Bool => {
            let b = parse_go_bool(value).ok_or_else(|| {
                invalid(format!(
                    "strconv.ParseBool: parsing {}: invalid syntax",
                    go_quote(value)
                ))
            })?;
            parsed.values.insert(spec.name, FlagValue::Bool(b));
        }
        FlagKind::String => {
            parsed
                .values
                .insert(spec.name, FlagValue::Str(value.to_string()));
        }
        FlagKind::Int => {
            let n = parse_go_int(value).map_err(|e| {
                invalid(format!(
                    "strconv.ParseInt: parsing {}: {e}",
                    go_quote(value)
                ))
            })?;
            parsed.values.insert(spec.name, FlagValue::Int(n));
        }
        FlagKind::List | FlagKind::StringArray | FlagKind::StringSlice | FlagKind::Filter => {
            if spec.kind == FlagKind::Filter && !value.is_empty() && !value.contains('=') {
                return Err(invalid(
                    "bad format of filter (expected name=value)".to_string(),
                ));
            }
            let entry = parsed
                .values
                .entry(spec.name)
                .or_insert_with(|| FlagValue::List(Vec::new()));
            if let FlagValue::List(items) = entry {
                if spec.kind == FlagKind::StringSlice {
                    items.extend(value.split(',').map(str::to_string));
                } else if !(spec.kind == FlagKind::Filter && value.is_empty()) {
                    items.push(value.to_string());
                }
            }
        }
    }
    Ok(())
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: base prefixes and underscores.
pub fn parse_go_int(text: &str) -> Result<i64, &'static str> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (radix, digits) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, body.get(1..).unwrap_or(""))
        } else {
            (10, body)
        };
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__")
    {
        return Err("invalid syntax");
    }
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return Err("invalid syntax");
    }
    let magnitude = u64::from_str_radix(&clean, radix).map_err(|_| "value out of range")?;
    if negative {
        if magnitude > i64::MAX as u64 + 1 {
            return Err("value out of range");
        }
        Ok((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).map_err(|_| "value out of range")
    }
}

/// Go's `%q` of a string (the common, printable case).
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a byte/rune: `'z'`.
pub fn go_quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '\\' => "'\\\\'".to_string(),
        c => format!("'{c}'"),
    }
}

/// pflag's `FlagUsagesWrapped(cols)` for the listed flags (sorted by name).
pub fn usages(specs: &[FlagSpec], cols: usize) -> String {
    let mut sorted: Vec<&FlagSpec> = specs.iter().collect();
    sorted.sort_by_key(|s| s.name);
    let mut lines = Vec::new();
    let mut maxlen = 0;
    for spec in sorted {
        let mut line = match spec.short {
            Some(c) if spec.short_deprecated.is_none() => format!("  -{c}, --{}", spec.name),
            _ => format!("      --{}", spec.name),
        };
        let (varname, usage) = unquote_usage(spec);
        if !varname.is_empty() {
            line.push(' ');
            line.push_str(&varname);
        }
        line.push('\0');
        maxlen = maxlen.max(line.len());
        line.push_str(&usage);
        if let Some(default) = spec.default {
            line.push_str(&format!(" (default {default})"));
        }
        lines.push(line);
    }
    let mut out = String::new();
    for line in lines {
        let (head, usage) = line.split_once('\0').unwrap_or((&line, ""));
        let spacing = " ".repeat(maxlen.saturating_sub(head.len()));
        out.push_str(head);
        out.push(' ');
        out.push_str(&spacing);
        out.push(' ');
        out.push_str(&wrap(maxlen + 2, cols, usage));
        out.push('\n');
    }
    out
}

fn unquote_usage(spec: &FlagSpec) -> (String, String) {
    let usage = spec.usage;
    if let Some(start) = usage.find('`') {
        if let Some(len) = usage.get(start + 1..).and_then(|r| r.find('`')) {
            let name = usage
                .get(start + 1..start + 1 + len)
                .unwrap_or("")
                .to_string();
            let text = format!(
                "{}{}{}",
                usage.get(..start).unwrap_or(""),
                name,
                usage.get(start + 2 + len..).unwrap_or("")
            );
            return (name, text);
        }
    }
    (spec.kind.type_name().to_string(), usage.to_string())
}

fn wrap_n(i: usize, slop: usize, s: &str) -> (String, String) {
    if i + slop > s.len() {
        return (s.to_string(), String::new());
    }
    let head = s.get(..i).unwrap_or(s);
    let Some(w) = head.rfind([' ', '\t', '\n']).filter(|w| *w > 0) else {
        return (s.to_string(), String::new());
    };
    if let Some(nl) = head.rfind('\n') {
        if nl > 0 && nl < w {
            return (
                s.get(..nl).unwrap_or("").to_string(),
                s.get(nl + 1..).unwrap_or("").to_string(),
            );
        }
    }
    (
        s.get(..w).unwrap_or("").to_string(),
        s.get(w + 1..).unwrap_or("").to_string(),
    )
}

fn wrap(indent: usize, width: usize, s: &str) -> String {
    let mut i = indent;
    if width == 0 {
        return s.replace('\n', &format!("\n{}", " ".repeat(i)));
    }
    let mut wrap = width.saturating_sub(i);
    let mut r = String::new();
    if wrap < 24 {
        i = 16;
        wrap = width.saturating_sub(i);
        r.push('\n');
        r.push_str(&" ".repeat(i));
    }
    if wrap < 24 {
        return s.replace('\n', &r);
    }
    let slop = 5;
    wrap -= slop;
    let pad = format!("\n{}", " ".repeat(i));
    let (first, mut rest) = wrap_n(wrap, slop, s);
    r.push_str(&first.replace('\n', &pad));
    let mut guard = 0;
    while !rest.is_empty() && guard < 10_000 {
        guard += 1;
        let (line, remaining) = wrap_n(wrap, slop, &rest);
        r.push_str(&pad);
        r.push_str(&line.replace('\n', &pad));
        rest = remaining;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[FlagSpec] = &[
        FlagSpec::new("all", Some('a'), FlagKind::Bool, "Show all"),
        FlagSpec::new("quiet", Some('q'), FlagKind::Bool, "Only IDs"),
        FlagSpec::new(
            "env",
            Some('e'),
            FlagKind::List,
            "Set environment variables",
        ),
        FlagSpec::new("last", Some('n'), FlagKind::Int, "Show n last").default("-1"),
        FlagSpec::new("name", None, FlagKind::String, "Assign a name"),
    ];

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn pflag_parsing() {
        let p = parse(
            SPECS,
            &words("-aq -e A=1 --env=B=2 -n3 x --name n -- -z"),
            true,
        )
        .unwrap();
        assert!(p.flag("all") && p.flag("quiet"));
        assert_eq!(p.list("env"), ["A=1", "B=2"]);
        assert_eq!(p.int("last"), Some(3));
        assert_eq!(p.string("name").as_deref(), Some("n"));
        assert_eq!(p.args, ["x", "-z"]);
        let stop = parse(SPECS, &words("-a img -q"), false).unwrap();
        assert_eq!(stop.args, ["img", "-q"]);
    }

    #[test]
    fn pflag_errors() {
        let cases = [
            ("--foo", "unknown flag: --foo"),
            ("-z", "unknown shorthand flag: 'z' in -z"),
            ("-az", "unknown shorthand flag: 'z' in -az"),
            ("--name", "flag needs an argument: --name"),
            ("-e", "flag needs an argument: 'e' in -e"),
            ("-n x", "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"),
            ("--all=maybe", "invalid argument \"maybe\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"),
            ("---x", "bad flag syntax: ---x"),
        ];
        for (line, expected) in cases {
            assert_eq!(
                parse(SPECS, &words(line), true).unwrap_err(),
                expected,
                "{line}"
            );
        }
    }
}
