//! Error recovery (a broken instruction never hides the ones after it), spans that point at
//! the right source text, and sweeps that feed the front end broken input: no panic, no hang.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::syntax::{self, InstructionKind};
use std::fs;
use std::path::{Path, PathBuf};

/// `text` must be rejected with `error`, and the typed result must still hold `keywords`
/// (the instructions around the broken one), in order.
fn check_recovers(text: &str, error: &str, keywords: &[&str]) {
    let out = syntax::parse_dockerfile(text);
    let rejection = out.rejection.as_ref().map(|d| d.message.as_str());
    assert!(
        rejection.is_some_and(|m| m.contains(error)),
        "{text:?}: {rejection:?}"
    );
    let typed: Vec<&str> = out
        .dockerfile
        .stages
        .iter()
        .flat_map(|s| std::iter::once("FROM").chain(s.instructions.iter().map(|i| i.kind.name())))
        .collect();
    assert_eq!(typed, keywords, "{text:?}");
    assert!(out.diagnostics.iter().any(|d| d.message.contains(error)));
}

#[test]
fn broken_instructions_do_not_hide_the_next_ones() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "FROM a\nENV foo\nRUN echo hi\n",
            "ENV must have two arguments",
            &["FROM", "RUN"],
        ),
        (
            "FROM a\nLABEL a=1 b\nUSER x\n",
            "can't find = in \"b\"",
            &["FROM", "USER"],
        ),
        (
            "FROM a\nCMD [\"a\", 1]\nWORKDIR /w\n",
            "arrays must be comprised of strings",
            &["FROM", "WORKDIR"],
        ),
        (
            "FROM a\nRUNN echo\nRUN echo\n",
            "unknown instruction: RUNN (did you mean RUN?)",
            &["FROM", "RUN"],
        ),
        (
            "FROM a\nCOPY --form=x a b\nCOPY a b\n",
            "unknown flag: --form (did you mean from?)",
            &["FROM", "COPY"],
        ),
        (
            "FROM a\nCOPY /foo <<EOF\nEOF\nEXPOSE 80\n",
            "COPY cannot accept a heredoc as a destination",
            &["FROM", "EXPOSE"],
        ),
        (
            "FROM a AS 1st\nFROM b\nRUN x\n",
            "invalid name for build stage: \"1st\"",
            &["FROM", "RUN"],
        ),
        (
            "FROM a\nRUN --mount='a\"b' x\nRUN y\n",
            "failed to parse csv mounts",
            &["FROM", "RUN"],
        ),
        (
            "FROM a\nRUN --network=bridge x\nRUN y\n",
            "invalid network mode \"bridge\"",
            &["FROM", "RUN"],
        ),
        (
            "FROM a\nHEALTHCHECK --interval=1x CMD c\nSTOPSIGNAL 9\n",
            "unknown unit \"x\"",
            &["FROM", "STOPSIGNAL"],
        ),
        (
            "FROM a\nONBUILD ONBUILD RUN x\nCMD c\n",
            "Chaining ONBUILD",
            &["FROM", "CMD"],
        ),
        (
            "FROM a\nSHELL bash -c\nVOLUME /v\n",
            "SHELL requires the arguments to be in JSON form",
            &["FROM", "VOLUME"],
        ),
        (
            "RUN x\nFROM a\nRUN y\n",
            "no build stage in current context",
            &["FROM", "RUN"],
        ),
        (
            "# escape=x\nFROM a\nRUN y\n",
            "invalid escape token 'x'",
            &["FROM", "RUN"],
        ),
        (
            "# syntax=a\n# syntax=b\nFROM a\n",
            "only one syntax parser directive can be used",
            &["FROM"],
        ),
    ];
    for (text, error, keywords) in cases {
        check_recovers(text, error, keywords);
    }
    println!(
        "recovery: {}/{} broken files keep their other instructions",
        cases.len(),
        cases.len()
    );
}

#[test]
fn unterminated_heredoc_is_rejected_but_parsed() {
    let out = syntax::parse("FROM a\nRUN <<EOF\necho hi\n");
    assert_eq!(out.rejection.unwrap().message, "unterminated heredoc");
    let run = &out.ast.instructions[1];
    assert_eq!(
        (run.heredocs[0].content.as_str(), run.end_line),
        ("echo hi\n", 3)
    );
    assert!(run.invalid);
}

#[test]
fn spans_point_at_the_source() {
    let text = "FROM alpine AS build\nRUN --mount=type=cache,target=/c \\\n    echo \\\n  hi\nCOPY --from=build <<EOF /dst\nbody\nEOF\n# done\n";
    let out = syntax::parse(text);
    let at = |span: dockerfile_playground::text::Span| &text[span.start..span.end];
    let run = &out.ast.instructions[1];
    assert_eq!(at(run.keyword_span), "RUN");
    assert_eq!(at(run.flags[0].span), "--mount=type=cache,target=/c");
    assert_eq!(run.args[0].value, "echo   hi");
    assert_eq!(at(run.args[0].span), "echo \\\n  hi");
    assert_eq!((run.start_line, run.end_line), (2, 4));
    let copy = &out.ast.instructions[2];
    assert_eq!(at(copy.heredocs[0].word_span), "<<EOF");
    assert_eq!(at(copy.heredocs[0].body_span), "body\n");
    assert_eq!(at(copy.heredocs[0].terminator_span.unwrap()), "EOF");
    assert!(at(copy.span).starts_with("COPY") && at(copy.span).ends_with("EOF"));
    assert_eq!(at(out.ast.comments[0].span), "# done");
    let typed = syntax::parse_dockerfile(text).dockerfile;
    assert_eq!(at(typed.stages[0].name.as_ref().unwrap().span), "build");
    let InstructionKind::Copy(copy) = &typed.stages[0].instructions[1].kind else {
        panic!("COPY expected")
    };
    assert_eq!(at(copy.dest.span), "/dst");
    assert_eq!(copy.source_contents[0].data, "body\n");
}

fn corpus_texts() -> Vec<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let roots = [
        "../shared/corpus/real-world",
        "../shared/conformance/buildkit/parser",
    ];
    let mut stack: Vec<PathBuf> = roots
        .iter()
        .map(|r| Path::new(env!("CARGO_MANIFEST_DIR")).join(r))
        .collect();
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if !name.ends_with(".json")
                && !name.ends_with(".tsv")
                && name != "result"
                && !name.starts_with("LICENSE")
                && name != "NOTICE"
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|f| String::from_utf8_lossy(&fs::read(f).unwrap()).into_owned())
        .collect()
}

/// Every truncation of every test Dockerfile at a line boundary, and just after, plus a
/// sample of byte positions in between, goes through the whole front end without panicking.
#[test]
fn truncations_never_panic() {
    let mut runs = 0;
    for text in corpus_texts() {
        let mut cuts: Vec<usize> = Vec::new();
        for (i, _) in text.match_indices('\n') {
            cuts.extend([i, i + 1, i + 2]);
        }
        cuts.extend((0..text.len()).step_by(97));
        for cut in cuts {
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let out = syntax::parse_dockerfile(&text[..cut]);
            std::hint::black_box(&out);
            runs += 1;
        }
    }
    println!("no-panic sweep: {runs} truncated files parsed and lowered");
    assert!(runs > 10_000);
}

/// All short combinations of the tokens that drive the parser's state machines.
#[test]
fn token_soup_never_panics() {
    let tokens = [
        "\\",
        "`",
        "<<",
        "<<-",
        "[",
        "]",
        "\"",
        "'",
        "#",
        "\n",
        "\r\n",
        " ",
        "--",
        "=",
        "ONBUILD ",
        "RUN ",
        "COPY ",
        "ENV ",
        "EOF",
        "${",
        "\u{feff}",
        "\u{a0}",
        "é",
        "# escape=`\n",
        "HEALTHCHECK ",
    ];
    let mut runs = 0;
    for a in tokens {
        for b in tokens {
            for c in tokens {
                for d in ["", "\n", "x", "\\", "EOF\n"] {
                    let text = format!("{a}{b}{c}{d}");
                    std::hint::black_box(syntax::parse_dockerfile(&text));
                    runs += 1;
                }
            }
        }
    }
    println!("no-panic sweep: {runs} token combinations");
}

#[test]
fn hostile_sizes_finish() {
    let nested = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(5_000));
    let out = syntax::parse_dockerfile(&nested);
    assert!(out.rejection.is_some());
    let long = format!("FROM a\nRUN {}\n", "x".repeat(1 << 20));
    let out = syntax::parse(&long);
    assert_eq!(
        out.rejection.unwrap().message,
        "dockerfile line greater than max allowed size of 65535"
    );
    let json = format!("FROM a\nCMD [{}]\n", "[".repeat(60_000));
    assert!(syntax::parse(&json).rejection.is_none());
    let continuation = format!("FROM a\nRUN a{}\n", " \\\n".repeat(100_000));
    assert!(syntax::parse(&continuation).rejection.is_none());
    let heredocs = format!("FROM a\nRUN {}\n", "<<A ".repeat(10_000));
    assert_eq!(
        syntax::parse(&heredocs).rejection.unwrap().message,
        "unterminated heredoc"
    );
}

#[test]
fn onbuild_wraps_with_spans_lines_and_heredocs() {
    let text = "FROM a\nONBUILD --x RUN --mount=type=tmpfs,target=/t <<EOF\necho hi\nEOF\n";
    let out = syntax::parse(text);
    let onbuild = &out.ast.instructions[1];
    let child = onbuild.child.as_deref().unwrap();
    assert_eq!(
        syntax::dump::dump_node(onbuild),
        r#"onbuild ["--x"] (run ["--mount=type=tmpfs,target=/t"] "<<EOF")"#
    );
    assert_eq!((child.start_line, child.end_line), (2, 4));
    assert_eq!(
        &text[child.keyword_span.start..child.keyword_span.end],
        "RUN"
    );
    assert_eq!(onbuild.heredocs[0].content, "echo hi\n");
    let typed = syntax::parse_dockerfile(text);
    assert_eq!(typed.rejection.unwrap().message, "unknown flag: --x");
}
