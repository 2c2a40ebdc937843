//! The instruction stage against BuildKit's `instructions` unit tests
//! (../shared/conformance/buildkit/extracted/instructions.json).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::syntax::instructions::{
    lower_node, parse_flags, FlagKind, FlagSpec, InstructionKind,
};
use dockerfile_playground::syntax::{self, Arg, Flag, Node};
use dockerfile_playground::text::Span;
use serde_json::Value;

mod buildkit_extracted;

use buildkit_extracted::{load, strs};

fn data() -> Value {
    load("instructions.json")
}

/// The error BuildKit stops on for this Dockerfile (parser or instruction stage).
fn rejection(text: &str) -> Option<String> {
    syntax::parse_dockerfile(text).rejection.map(|d| d.message)
}

/// A node built directly from argument values, as BuildKit's tests do.
fn node(keyword: &str, values: &[String], json: bool) -> Node {
    Node {
        keyword: keyword.into(),
        args: values
            .iter()
            .map(|v| Arg {
                value: v.clone(),
                span: Span::default(),
            })
            .collect(),
        json,
        ..Node::default()
    }
}

/// The only instruction of a one-stage Dockerfile `FROM a\n<text>`.
fn only_instruction(text: &str) -> InstructionKind {
    let out = syntax::parse_dockerfile(&format!("FROM a\n{text}"));
    assert!(out.rejection.is_none(), "{text}: {:?}", out.rejection);
    out.dockerfile.stages[0].instructions[0].kind.clone()
}

fn report(section: &str, total: usize, failures: &[String]) {
    println!("{section}: {}/{total}", total - failures.len());
    assert!(failures.is_empty(), "{section}:\n{}", failures.join("\n"));
}

#[test]
fn argument_count_and_error_cases() {
    let data = data();
    let counts = &data["argument_count_errors"];
    let mut failures = Vec::new();
    let mut total = 0;
    for group in ["exactly_one", "at_least_one", "no_destination"] {
        let group = &counts[group];
        let template = group["dockerfile_template"].as_str().unwrap_or("{CMD}");
        for cmd in strs(&group["commands"]) {
            total += 1;
            let want = group["error_template"]
                .as_str()
                .unwrap()
                .replace("{CMD}", &cmd);
            let got = rejection(&template.replace("{CMD}", &cmd));
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("{cmd}: {got:?} != {want:?}"));
            }
        }
    }
    for group in ["too_many_arguments", "blank_names"] {
        let group = &counts[group];
        for cmd in strs(&group["commands"]) {
            total += 1;
            let want = group["error_template"]
                .as_str()
                .unwrap()
                .replace("{CMD}", &cmd);
            let got = lower_node(&node(&cmd, &strs(&group["node_values"]), false))
                .err()
                .map(|d| d.message);
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("{cmd}: {got:?} != {want:?}"));
            }
            if let Some(original) = group["original_template"].as_str() {
                total += 1;
                let got = rejection(&original.replace("{CMD}", &cmd));
                if got.as_deref() != Some(want.as_str()) {
                    failures.push(format!("{original} {cmd}: {got:?}"));
                }
            }
        }
    }
    for case in data["error_cases"].as_array().unwrap() {
        total += 1;
        let got = rejection(case["dockerfile"].as_str().unwrap()).unwrap_or_default();
        if !got.contains(case["error_contains"].as_str().unwrap()) {
            failures.push(format!("{}: {got:?}", case["name"]));
        }
    }
    report("instructions: argument counts and errors", total, &failures);
}

#[test]
fn healthcheck_rules() {
    let data = data();
    let case = &data["healthcheck_shell_form"];
    let (instruction, _) =
        lower_node(&node("HEALTHCHECK", &strs(&case["node_values"]), false)).unwrap();
    let InstructionKind::Healthcheck(health) = instruction.kind else {
        panic!("not a healthcheck")
    };
    assert_eq!(health.test, strs(&case["test"]));
    let cases = data["healthcheck_interval_minimum"].as_array().unwrap();
    for case in cases {
        let value = case["value"].as_str().unwrap();
        let got = rejection(&format!("FROM a\nHEALTHCHECK --interval={value} CMD true"));
        match case["error_contains"].as_str() {
            Some(want) => assert!(got.unwrap_or_default().contains(want), "{value}"),
            None => assert_eq!(got, None, "{value}"),
        }
    }
    println!(
        "instructions: healthcheck {}/{}",
        cases.len() + 1,
        cases.len() + 1
    );
}

#[test]
fn doc_comments() {
    let data = data();
    let case = &data["doc_comments"];
    let want = &case["expected"];
    let out = syntax::parse_dockerfile(case["dockerfile"].as_str().unwrap());
    let df = out.dockerfile;
    assert_eq!(
        df.stages[0].doc_comment,
        want["stage0_doc_comment"].as_str().unwrap()
    );
    let meta: Vec<(String, String)> = df
        .global_args
        .iter()
        .flat_map(|i| match &i.kind {
            InstructionKind::Arg(defs) => defs.clone(),
            _ => Vec::new(),
        })
        .map(|d| (d.key.value, d.doc_comment))
        .collect();
    let want_meta: Vec<(String, String)> = want["meta_args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["key"].as_str().unwrap().into(),
                a["doc_comment"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(meta, want_meta);
    let commands = want["stage0_commands"].as_array().unwrap();
    for (instruction, want) in df.stages[0].instructions.iter().zip(commands) {
        let InstructionKind::Arg(defs) = &instruction.kind else {
            panic!("ARG expected")
        };
        let got: Vec<(String, String)> = defs
            .iter()
            .map(|d| (d.key.value.clone(), d.doc_comment.clone()))
            .collect();
        let want: Vec<(String, String)> = want["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["key"].as_str().unwrap().into(),
                    a["doc_comment"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(got, want);
    }
    println!("instructions: doc comments 1/1");
}

#[test]
fn run_and_copy_details() {
    let data = data();
    let mut total = 0;
    let mut failures = Vec::new();

    let case = &data["run_flags_used"];
    total += 1;
    match only_instruction(case["dockerfile"].as_str().unwrap()) {
        InstructionKind::Run(run) if run.flags_used == strs(&case["flags_used"]) => {}
        other => failures.push(format!("flags used: {other:?}")),
    }

    for case in data["copy_heredoc"].as_array().unwrap() {
        total += 1;
        let InstructionKind::Copy(copy) = only_instruction(case["dockerfile"].as_str().unwrap())
        else {
            failures.push(format!("{}: not COPY", case["dockerfile"]));
            continue;
        };
        let paths: Vec<String> = copy.source_paths.iter().map(|w| w.value.clone()).collect();
        let contents: Vec<Value> = copy
            .source_contents
            .iter()
            .map(|c| serde_json::json!({"path": c.name, "data": c.data, "expand": c.expand}))
            .collect();
        if copy.dest.value != case["dest_path"].as_str().unwrap()
            || paths != strs(&case["source_paths"])
            || Value::Array(contents.clone()) != case["source_contents"]
        {
            failures.push(format!("{}: {paths:?} {contents:?}", case["dockerfile"]));
        }
    }

    for case in data["run_heredoc"]["cases"].as_array().unwrap() {
        total += 1;
        let InstructionKind::Run(run) = only_instruction(case["dockerfile"].as_str().unwrap())
        else {
            failures.push(format!("{}: not RUN", case["dockerfile"]));
            continue;
        };
        let cmd: Vec<String> = run.command.args.iter().map(|w| w.value.clone()).collect();
        let files: Vec<Value> = run
            .command
            .files
            .iter()
            .map(|f| serde_json::json!({"name": f.name, "data": f.data, "chomp": f.chomp}))
            .collect();
        if run.command.shell_form != case["prepend_shell"].as_bool().unwrap()
            || cmd != strs(&case["cmd_line"])
            || Value::Array(files.clone()) != case["files"]
        {
            failures.push(format!("{}: {cmd:?} {files:?}", case["dockerfile"]));
        }
    }

    for case in data["json_args_handling"]["cases"].as_array().unwrap() {
        total += 1;
        let (instruction, _) = lower_node(&node(
            "CMD",
            &strs(&case["args"]),
            case["json"].as_bool().unwrap(),
        ))
        .unwrap();
        let InstructionKind::Cmd(cmd) = instruction.kind else {
            panic!("CMD expected")
        };
        let got: Vec<String> = cmd.args.iter().map(|w| w.value.clone()).collect();
        if got != strs(&case["expected"]) {
            failures.push(format!("json args {}: {got:?}", case["args"]));
        }
    }
    report("instructions: RUN/COPY/CMD details", total, &failures);
}

#[test]
fn builder_flags() {
    let data = data();
    let cases = data["builder_flags"]["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let specs: Vec<FlagSpec> = case["declared"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let name: &'static str =
                    Box::leak(d["name"].as_str().unwrap().to_string().into_boxed_str());
                let (kind, default) = match d["type"].as_str().unwrap() {
                    "bool" => (
                        FlagKind::Bool,
                        if d["default"].as_bool().unwrap() {
                            "true"
                        } else {
                            "false"
                        },
                    ),
                    _ => (
                        FlagKind::String,
                        &*Box::leak(d["default"].as_str().unwrap().to_string().into_boxed_str()),
                    ),
                };
                FlagSpec {
                    name,
                    kind,
                    default,
                }
            })
            .collect();
        let flags: Vec<Flag> = strs(&case["args"])
            .into_iter()
            .map(|text| Flag {
                text,
                span: Span::default(),
            })
            .collect();
        let result = parse_flags(&flags, &specs);
        let ok = case["ok"].as_bool().unwrap();
        let good = match (&result, ok) {
            (Ok(parsed), true) => {
                let values_ok = case["values"].as_object().is_none_or(|values| {
                    values.iter().all(|(name, want)| match want {
                        Value::Bool(b) => parsed.bool(name) == *b,
                        Value::String(s) => parsed.string_or_default(name) == *s,
                        _ => false,
                    })
                });
                let mut used = parsed.used_names();
                used.sort();
                let used_ok = case.get("used").is_none_or(|u| {
                    let mut want = strs(u);
                    want.sort();
                    used == want
                });
                values_ok && used_ok
            }
            (Err(_), false) => true,
            _ => false,
        };
        if !good {
            failures.push(format!("case {i}: {result:?}"));
        }
    }
    report("instructions: builder flags", cases.len(), &failures);
}
