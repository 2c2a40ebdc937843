//! docker/cli's `formatter.Context` (v28): how a `--format` value becomes output.
//!
//! `table …` formats print a header row (the same template run on the column titles with
//! the header function set) and align everything with the tabwriter; `json` means
//! `{{json .}}`; anything else is a Go template printed once per row with a newline.
//! Literal `\t` and `\n` in a format are turned into tab and newline, and spaces around
//! the format are trimmed.

use super::tabwriter;
use super::template::{Functions, MissingField, Template, Value};

pub const TABLE: &str = "table";
pub const RAW: &str = "raw";
pub const JSON: &str = "json";
pub const QUIET: &str = "{{.ID}}";

/// `Format.IsTable()`.
pub fn is_table(format: &str) -> bool {
    format.starts_with(TABLE)
}

/// `Context.preFormat()`: the template text actually parsed.
pub fn final_format(format: &str) -> String {
    let body = if is_table(format) {
        format.get(TABLE.len()..).unwrap_or("")
    } else if format == JSON {
        "{{json .}}"
    } else {
        format
    };
    body.trim_matches(' ')
        .replace("\\t", "\t")
        .replace("\\n", "\n")
}

/// Parses a format, with docker/cli's error prefix.
pub fn parse(format: &str) -> Result<Template, String> {
    Template::parse(&final_format(format)).map_err(|e| format!("template parsing error: {e}"))
}

/// `Context.Write`: renders `rows` with `format` (`header` gives the column titles).
pub fn write_list(format: &str, header: &Value, rows: &[Value]) -> Result<String, String> {
    let template = parse(format)?;
    let mut body = String::new();
    for row in rows {
        let text = template
            .execute(row, Functions::Basic, MissingField::TypeError)
            .map_err(|e| format!("template parsing error: {e}"))?;
        body.push_str(&text);
        body.push('\n');
    }
    Ok(post_format(format, &template, header, body))
}

/// `Context.postFormat`: header and alignment for tables.
pub fn post_format(format: &str, template: &Template, header: &Value, body: String) -> String {
    if !is_table(format) {
        return body;
    }
    // docker/cli ignores errors while rendering the header row.
    let mut text = template
        .execute(header, Functions::Header, MissingField::TypeError)
        .unwrap_or_default();
    text.push('\n');
    text.push_str(&body);
    tabwriter::align(&text)
}
