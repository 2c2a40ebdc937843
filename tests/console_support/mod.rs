//! A console session for the console tests: runs docker lines against a playground
//! session and keeps the transcript (`$ line` + output) for insta snapshots.
#![allow(dead_code)]

use dockerfile_playground::docker_cli::CommandOutput;
use dockerfile_playground::playground::docker::{transcript, BuildSources};
use dockerfile_playground::playground::session::Session;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Console {
    pub session: Session,
    pub transcript: String,
}

impl Console {
    /// A session whose `docker build` reads `files` (the Dockerfile among them).
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let mut console = Console::default();
        console.session.docker.sources = BuildSources {
            dockerfile: None,
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                .collect::<BTreeMap<_, _>>(),
        };
        console
    }

    /// A session over an example folder of the repository (`examples/<name>`).
    pub fn with_example(name: &str) -> Self {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("example folder") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
        let mut console = Console::default();
        console.session.docker.sources = BuildSources {
            dockerfile: None,
            files,
        };
        console
    }

    /// Runs one line; appends it and its output to the transcript.
    pub fn run(&mut self, line: &str) -> CommandOutput {
        let out = self.session.docker(line);
        self.transcript.push_str(&transcript(line, &out));
        out
    }

    /// Runs a line that must succeed; returns its stdout.
    pub fn ok(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(out.exit_code, 0, "{line}\n{}{}", out.stdout, out.stderr);
        out.stdout
    }

    /// Runs a line without recording it (for facts checked in code only).
    pub fn quiet(&mut self, line: &str) -> CommandOutput {
        self.session.docker(line)
    }
}

/// The cells of a table row (separated by two or more spaces).
pub fn cells(row: &str) -> Vec<String> {
    row.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The row of a table whose cells include `needle` exactly.
pub fn row(table: &str, needle: &str) -> Vec<String> {
    table
        .lines()
        .map(cells)
        .find(|c| c.iter().any(|x| x == needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{table}"))
}

/// The cell of column `name` in the row whose first cell is `row_key`, cut at the
/// header's column positions (so empty cells are kept).
pub fn column(table: &str, row_key: &str, name: &str) -> String {
    let mut lines = table.lines();
    let header: Vec<char> = lines.next().unwrap_or_default().chars().collect();
    let header_text: String = header.iter().collect();
    // A header cell starts the line or follows two spaces (tabwriter padding).
    let byte_start = header_text
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || header_text[..i].ends_with("  "))
        .unwrap_or_else(|| panic!("no column {name} in {header_text}"));
    let start = header_text[..byte_start].chars().count();
    // The next column starts after the run of spaces that follows this header.
    let mut end = start + name.chars().count();
    while end < header.len() && header[end] != ' ' {
        end += 1;
    }
    while end < header.len() && header[end] == ' ' {
        end += 1;
    }
    let row: Vec<char> = lines
        .find(|l| cells(l).first().map(String::as_str) == Some(row_key))
        .unwrap_or_else(|| panic!("no row {row_key:?} in\n{table}"))
        .chars()
        .collect();
    let last = end >= header.len();
    let stop = if last { row.len() } else { end.min(row.len()) };
    row.get(start.min(row.len())..stop)
        .map(|c| c.iter().collect::<String>().trim().to_string())
        .unwrap_or_default()
}

/// The table under a `system df -v` heading (`Images space usage:` …).
pub fn section(text: &str, heading: &str) -> String {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{text}"));
    text[start..]
        .lines()
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}
