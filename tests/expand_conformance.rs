//! BuildKit's shell-lexer conformance data (../shared/conformance/buildkit) against
//! `expand::Lexer`: envVarTest, wordsTest, extracted/shell_lex.json and the env-list parts
//! of extracted/dockerfile2llb.json. Every case must agree; counts are printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;

use dockerfile_playground::expand::{EnvList, Environment, Lexer};
use serde_json::Value;

const BUILDKIT: &str = "../shared/conformance/buildkit";

fn read(rel: &str) -> String {
    let path = format!("{BUILDKIT}/{rel}");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap()
}

/// Collects failures so one run shows all of them.
#[derive(Default)]
struct Tally {
    passed: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }

    fn finish(self, name: &str) {
        let total = self.passed + self.failures.len();
        println!("{name} {}/{total}", self.passed);
        assert!(total > 0, "{name}: no cases found");
        assert!(
            self.failures.is_empty(),
            "{name}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// Expected outcome of expanding one word: the value, or an error.
fn check_word(
    tally: &mut Tally,
    lexer: &Lexer,
    env: &EnvList,
    input: &str,
    expected: Option<&str>,
) {
    let got = lexer.process_word(input, env);
    let ok = match (&got, expected) {
        (Ok(e), Some(want)) => e.value == want,
        (Err(_), None) => true,
        _ => false,
    };
    tally.record(ok, || {
        format!("  {input:?}: expected {expected:?}, got {got:?}")
    });
}

fn env_var_test_cases() -> Vec<(String, String, String)> {
    read("shell/envVarTest")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(fields.len(), 3, "bad envVarTest line {line:?}");
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            )
        })
        .collect()
}

const ENV_VAR_TEST_ENV: [&str; 4] = ["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="];

#[test]
fn env_var_test_unix_and_windows() {
    let lexer = Lexer::new('\\');
    let cases = env_var_test_cases();
    for (platform_name, windows, rows) in
        [("unix", false, ["A", "U"]), ("windows", true, ["A", "W"])]
    {
        let env = EnvList::from_entries(ENV_VAR_TEST_ENV).windows(windows);
        let mut tally = Tally::default();
        for (_, input, expected) in cases.iter().filter(|c| rows.contains(&c.0.as_str())) {
            let expected = (expected != "error").then_some(expected.as_str());
            check_word(&mut tally, &lexer, &env, input, expected);
        }
        tally.finish(&format!("envVarTest ({platform_name})"));
    }
}

#[test]
fn words_test() {
    let lexer = Lexer::new('\\');
    let mut env: Vec<String> = Vec::new();
    let mut tally = Tally::default();
    for line in read("shell/wordsTest").lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            env.push(rest.trim_start_matches(' ').to_string());
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 2, "bad wordsTest line {line:?}");
        let input = parts[0].trim();
        let expected: Vec<&str> = parts[1].trim_start_matches(' ').split(',').collect();
        let got = lexer
            .process_words(input, &EnvList::from_entries(env.clone()))
            .unwrap_or_else(|_| vec!["error".to_string()]);
        tally.record(got == expected, || {
            format!("  {input:?}: expected {expected:?}, got {got:?}")
        });
    }
    tally.finish("wordsTest");
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn env_from_object(v: &Value) -> EnvList {
    let entries = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()));
    EnvList::from_entries(entries)
}

fn env_from_array(v: &Value) -> EnvList {
    EnvList::from_entries(
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string()),
    )
}

#[test]
fn shell_lex_process_word_with_matches() {
    let data = json("extracted/shell_lex.json");
    let lexer = Lexer::new('\\');
    let mut tally = Tally::default();
    for case in data["process_word_with_matches"]["cases"]
        .as_array()
        .unwrap()
    {
        let input = case["input"].as_str().unwrap();
        let env = env_from_object(&case["envs"]);
        let got = lexer.process_word(input, &env);
        let ok = if case["error"].as_bool() == Some(true) {
            got.is_err()
        } else {
            match &got {
                Ok(e) => {
                    Some(e.value.as_str()) == case["expected"].as_str()
                        && e.matched == names(&case["matches"])
                        && e.unmatched == names(&case["unmatched"])
                }
                Err(_) => false,
            }
        };
        tally.record(ok, || {
            format!("  {input:?} with {env:?}: expected {case}, got {got:?}")
        });
    }
    tally.finish("shell_lex process_word_with_matches");
}

#[test]
fn shell_lex_platform_and_mandatory_vars() {
    let data = json("extracted/shell_lex.json");
    let lexer = Lexer::new('\\');

    let mut tally = Tally::default();
    let platform = &data["process_word_platform"];
    let input = platform["input"].as_str().unwrap();
    for case in platform["cases"].as_array().unwrap() {
        let env = env_from_object(&case["envs"]);
        check_word(&mut tally, &lexer, &env, input, case["expected"].as_str());
    }
    tally.finish("shell_lex process_word_platform");

    let mut tally = Tally::default();
    for case in data["mandatory_vars"]["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let env = env_from_array(&case["envs"]);
        let got = lexer.process_word(input, &env);
        let ok = match (&got, case["error_contains"].as_str()) {
            (Err(e), Some(needle)) => e.message.contains(needle),
            (Ok(e), None) => Some(e.value.as_str()) == case["expected"].as_str(),
            _ => false,
        };
        tally.record(ok, || format!("  {input:?}: expected {case}, got {got:?}"));
    }
    tally.finish("shell_lex mandatory_vars");
}

#[test]
fn shell_lex_env_list_lookup() {
    let data = json("extracted/shell_lex.json");
    let mut tally = Tally::default();
    for case in data["env_list_lookup"]["cases"].as_array().unwrap() {
        let env = env_from_array(&case["envs"]);
        let key = case["get"].as_str().unwrap();
        let got = env.lookup(key).unwrap_or("");
        let want = case["value"].as_str().unwrap();
        tally.record(got == want, || format!("  {case}: got {got:?}"));
    }
    tally.finish("shell_lex env_list_lookup");
}

#[test]
fn dockerfile2llb_env_list_update() {
    let data = json("extracted/dockerfile2llb.json");
    let mut tally = Tally::default();
    for case in data["env_list_update"]["cases"].as_array().unwrap() {
        let mut env = env_from_array(&case["env"]);
        let set = case["set"].as_array().unwrap();
        env.set(set[0].as_str().unwrap(), set[1].as_str().unwrap());
        let want: Vec<&str> = case["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        tally.record(env.entries() == want.as_slice(), || {
            format!("  {case}: got {:?}", env.entries())
        });
    }
    tally.finish("dockerfile2llb env_list_update");
}

/// shell_pattern_to_regex is BuildKit-internal; what is observable is which patterns are
/// accepted and what they match. A pattern taken from a variable reaches the matcher
/// verbatim, so `${V##$P}` with `P` = the pattern checks both.
#[test]
fn shell_lex_pattern_validity() {
    let data = json("extracted/shell_lex.json");
    let lexer = Lexer::new('\\');
    let mut tally = Tally::default();
    // What each valid pattern, matched greedily from the start, removes from a value.
    let value = "(()[]{}^$.*?|\\rest";
    for (pattern, _regex) in data["shell_pattern_to_regex"]["valid"].as_object().unwrap() {
        let env = EnvList::from_entries([format!("V={value}"), format!("P={pattern}")]);
        let got = lexer.process_word("${V##$P}", &env);
        let ok = match (&got, pattern.as_str()) {
            (Ok(e), "*") => e.value.is_empty(),
            (Ok(e), "?") => e.value == value[1..],
            (Ok(e), "\\*") => e.value == value,
            (Ok(e), _) => e.value == "rest",
            (Err(_), _) => false,
        };
        tally.record(ok, || format!("  valid {pattern:?}: got {got:?}"));
    }
    for pattern in data["shell_pattern_to_regex"]["invalid"]
        .as_array()
        .unwrap()
    {
        let pattern = pattern.as_str().unwrap();
        let env = EnvList::from_entries(["V=x".to_string(), format!("P={pattern}")]);
        let got = lexer.process_word("${V##$P}", &env);
        let ok = matches!(&got, Err(e) if e.message.contains("invalid escape"));
        tally.record(ok, || format!("  invalid {pattern:?}: got {got:?}"));
    }
    tally.finish("shell_lex shell_pattern_to_regex (validity and meaning)");
}
