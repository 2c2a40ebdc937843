//! The real-world corpus (../shared/corpus/real-world): our BuildKit-shaped AST must agree
//! with the reference parser's output (`*.buildkit.json`, BuildKit v0.12.5) after the
//! documented normalisation to that version (README §1, §5):
//! - ENV/LABEL separator nodes (current BuildKit) are dropped;
//! - the binding appends heredoc bodies to `original` (`\n`, then body + name + `\n` each);
//! - under ONBUILD the binding reports no heredocs.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::syntax::{self, dump};
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-world")
}

fn corpus_files() -> Vec<PathBuf> {
    let sources = fs::read_to_string(corpus_root().join("SOURCES.tsv")).unwrap();
    sources
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
        .filter(|f| !f.is_empty())
        .map(|f| corpus_root().join(f))
        .collect()
}

/// Our output, normalised to what the v0.12.5 binding reports.
fn as_reference(text: &str) -> Value {
    let parsed = syntax::parse(text);
    if let Some(rejection) = parsed.rejection {
        return json!({ "error": rejection.message });
    }
    let nodes: Vec<Value> = dump::buildkit_nodes(&parsed.ast)
        .into_iter()
        .map(|mut node| {
            let effective = node.sub_cmd.as_deref().unwrap_or(&node.cmd).to_lowercase();
            if effective == "env" || effective == "label" {
                node.value = node
                    .value
                    .chunks(3)
                    .flat_map(|kv| kv.iter().take(2).cloned())
                    .collect();
            }
            if node.sub_cmd.is_some() {
                node.heredocs.clear();
            } else if !node.heredocs.is_empty() {
                node.original.push('\n');
                for h in &node.heredocs {
                    node.original.push_str(&h.content);
                    node.original.push_str(&h.name);
                    node.original.push('\n');
                }
            }
            serde_json::to_value(node).unwrap()
        })
        .collect();
    Value::Array(nodes)
}

#[test]
fn real_world_corpus_agrees_with_reference_parser() {
    let files = corpus_files();
    let mut failures = Vec::new();
    let mut instructions = 0;
    for file in &files {
        let text = String::from_utf8_lossy(&fs::read(file).unwrap()).into_owned();
        let mut reference_path = file.clone().into_os_string();
        reference_path.push(".buildkit.json");
        let reference: Value =
            serde_json::from_str(&fs::read_to_string(reference_path).unwrap()).unwrap();
        let ours = as_reference(&text);
        instructions += ours.as_array().map_or(0, Vec::len);
        if ours != reference {
            let detail = match (ours.as_array(), reference.as_array()) {
                (Some(a), Some(b)) => a
                    .iter()
                    .zip(b)
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("ours {x}\nref  {y}"))
                    .unwrap_or_else(|| format!("{} vs {} nodes", a.len(), b.len())),
                _ => format!("ours {ours}\nref  {reference}"),
            };
            failures.push(format!("{}:\n{detail}", file.display()));
        }
    }
    println!(
        "corpus/real-world: {}/{} files agree with *.buildkit.json ({instructions} instructions)",
        files.len() - failures.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(files.len(), 161);
}

/// `unknown_instr` column of FEATURES.tsv: unknown instructions per file.
fn unknown_instruction_counts() -> std::collections::HashMap<String, usize> {
    let features = fs::read_to_string(corpus_root().join("FEATURES.tsv")).unwrap();
    let mut lines = features.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = header.iter().position(|h| *h == "unknown_instr").unwrap();
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .map(|cols| (cols[0].to_string(), cols[column].parse().unwrap()))
        .collect()
}

/// Current BuildKit's instruction stage accepts every file except for its unknown
/// instructions (the 2014 `docker-version` line), which it rejects.
#[test]
fn real_world_corpus_lowers_like_buildkit() {
    let files = corpus_files();
    let unknown = unknown_instruction_counts();
    let mut failures = Vec::new();
    let (mut stages, mut instructions, mut rejected) = (0, 0, 0);
    for file in &files {
        let text = String::from_utf8_lossy(&fs::read(file).unwrap()).into_owned();
        let out = syntax::parse_dockerfile(&text);
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        let key = file
            .strip_prefix(corpus_root())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let expected_unknown = unknown.get(&key).copied().unwrap();
        let all_unknown = errors.iter().all(|d| d.code == "unknown-instruction");
        if errors.len() != expected_unknown || !all_unknown {
            failures.push(format!("{key}: {errors:?}"));
        }
        rejected += usize::from(out.rejection.is_some());
        stages += out.dockerfile.stages.len();
        instructions += out.dockerfile.global_args.len()
            + out
                .dockerfile
                .stages
                .iter()
                .map(|s| s.instructions.len() + 1)
                .sum::<usize>();
    }
    println!(
        "corpus/real-world: {}/{} files lower like BuildKit ({stages} stages, \
         {instructions} typed instructions, {rejected} rejected for unknown instructions)",
        files.len() - failures.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
