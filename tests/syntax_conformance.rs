//! BuildKit's own parser test data (../shared/conformance/buildkit/parser): the golden
//! `result` dumps, the negative cases and the line-number case.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::syntax::{self, dump};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/buildkit/parser")
}

fn case_dirs(sub: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Reads a Dockerfile as bytes; our parser takes text, so invalid UTF-8 is replaced.
fn read(path: &Path) -> String {
    String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned()
}

#[test]
fn testfiles_dump_to_result() {
    let dirs = case_dirs("testfiles");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let parsed = syntax::parse(&read(&dir.join("Dockerfile")));
        let expected = fs::read_to_string(dir.join("result")).unwrap();
        let actual = format!("{}\n", dump::dump(&parsed.ast));
        if let Some(rejection) = &parsed.rejection {
            failures.push(format!("{name}: rejected: {}", rejection.message));
        } else if actual != expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    println!(
        "parser/testfiles: {}/{} dump byte-for-byte to result",
        dirs.len() - failures.len(),
        dirs.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(dirs.len(), 33);
}

#[test]
fn negative_testfiles_are_rejected() {
    let dirs = case_dirs("testfiles-negative");
    let mut rejected = 0;
    for dir in &dirs {
        let parsed = syntax::parse(&read(&dir.join("Dockerfile")));
        let reference: serde_json::Value =
            serde_json::from_str(&read(&dir.join("Dockerfile.buildkit.json"))).unwrap();
        let expected = reference["error"].as_str().unwrap();
        let rejection = parsed.rejection.expect("must be rejected");
        assert_eq!(rejection.message, expected, "{}", dir.display());
        rejected += 1;
    }
    println!(
        "parser/testfiles-negative: {rejected}/{} rejected",
        dirs.len()
    );
    assert_eq!(rejected, 4);
}

#[test]
fn testfile_line_numbers() {
    let parsed = syntax::parse(&read(&root().join("testfile-line/Dockerfile")));
    let lines: Vec<(usize, usize)> = parsed
        .ast
        .instructions
        .iter()
        .map(|n| (n.start_line, n.end_line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
    println!("parser/testfile-line: 3/3 instructions with BuildKit's line numbers");
}
