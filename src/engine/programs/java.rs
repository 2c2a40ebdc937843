//! Java's tools: `java` (`-version` on stderr and `--version` on stdout, like the real
//! launcher), `javac` (one `.class` per top-level type of each source, in its package
//! directory under `-d`), `jar` (`c`/`u` modes: an archive of estimated size), `jlink`
//! (`--output DIR`: a runtime image of estimated size) and `jshell` (not simulated unless
//! trivially empty). Nothing is compiled or run; sizes are estimates (flagged).

use super::lang_support::{
    base_name, exists, is_dir, parent_of, read_text, write_sized, write_text,
};
use crate::engine::shell::fs::Content;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// A class file is roughly half its source's size, and never below a few hundred bytes
/// (constant pool, headers).
const CLASS_MIN: u64 = 400;
const CLASS_PER_SOURCE_BYTE_NUM: u64 = 1;
const CLASS_PER_SOURCE_BYTE_DEN: u64 = 2;
/// A jar is a zip: class files and text compress to about half.
const JAR_FRACTION_DEN: u64 = 2;
/// A jlink image with only java.base is ≈ 45 MB (≈ 30 MB with --strip-debug and
/// --no-man-pages); each further module adds on average ≈ 1.5 MB; ALL-MODULE-PATH of a
/// full JDK is ≈ 70 modules.
const JLINK_BASE: u64 = 45_000_000;
const JLINK_PER_MODULE: u64 = 1_500_000;
const JLINK_ALL_MODULES: u64 = 70;
/// `--strip-debug`/`--strip-java-debug-attributes` remove about a third.
const JLINK_STRIP_NUM: u64 = 2;
const JLINK_STRIP_DEN: u64 = 3;

pub fn register(registry: &mut Registry) {
    registry.register("java", run_java);
    registry.register("javac", run_javac);
    registry.register("jar", run_jar);
    registry.register("jlink", run_jlink);
    registry.register("jshell", run_jshell);
}

/// The JDK version: `JAVA_VERSION` (`jdk-21.0.5+11`, `21.0.5`), else unknown.
fn java_version(ctx: &ProgramCtx<'_, '_>) -> Option<(String, String)> {
    let raw = ctx.env("JAVA_VERSION")?;
    let v = raw.trim_start_matches("jdk-").trim_start_matches("jdk");
    let short = v.split(['+', '-', '_']).next().unwrap_or(v).to_string();
    Some((short, v.to_string()))
}

fn run_java(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "java") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let version_flag = args.iter().find(|a| {
        matches!(
            **a,
            "-version" | "--version" | "-showversion" | "--show-version"
        )
    });
    if let Some(flag) = version_flag {
        let (short, build) =
            java_version(ctx).unwrap_or_else(|| ("(unknown)".to_string(), "(unknown)".to_string()));
        let text = if flag.starts_with("--") {
            format!("openjdk {short}\nOpenJDK Runtime Environment (build {build})\nOpenJDK 64-Bit Server VM (build {build}, mixed mode, sharing)\n")
        } else {
            format!("openjdk version \"{short}\"\nOpenJDK Runtime Environment (build {build})\nOpenJDK 64-Bit Server VM (build {build}, mixed mode, sharing)\n")
        };
        if *flag == "--version" {
            ctx.out_str(&text)?;
        } else {
            ctx.err(text.as_bytes())?;
        }
        ctx.approximated(
            "the vendor and release-date parts of Java's version banner are not known here",
        );
        if matches!(*flag, "-version" | "--version") {
            return Ok(0);
        }
    }
    if args.iter().any(|a| a.starts_with("-Xshare:dump")) {
        ctx.approximated("java -Xshare:dump: the class-data archive is not written");
        return Ok(0);
    }
    if let Some(pos) = args.iter().position(|a| *a == "-jar") {
        if let Some(jar) = args.get(pos + 1) {
            if !exists(ctx, jar) {
                ctx.err(format!("Error: Unable to access jarfile {jar}\n").as_bytes())?;
                return Ok(1);
            }
        }
    }
    ctx.not_simulated("Java programs are not run in the playground");
    Ok(0)
}

/// `package a.b;` and the top-level type names of a source.
fn java_types(source: &str, file: &str) -> (Option<String>, Vec<String>) {
    let mut package = None;
    let mut types = Vec::new();
    let mut depth: i32 = 0;
    for line in source.lines().take(100_000) {
        let t = line.trim();
        if package.is_none() {
            if let Some(p) = t.strip_prefix("package ") {
                package = Some(p.trim_end_matches(';').trim().to_string());
            }
        }
        if depth == 0 {
            let words: Vec<&str> = t
                .split(|c: char| c.is_whitespace() || c == '{' || c == '<' || c == '(')
                .collect();
            for (i, w) in words.iter().enumerate() {
                if matches!(*w, "class" | "interface" | "enum" | "record") {
                    if let Some(name) = words.get(i + 1).filter(|n| !n.is_empty()) {
                        types.push(name.to_string());
                    }
                    break;
                }
            }
        }
        depth += t.matches('{').count() as i32 - t.matches('}').count() as i32;
        depth = depth.max(0);
    }
    if types.is_empty() {
        types.push(file.trim_end_matches(".java").to_string());
    }
    (package, types)
}

fn run_javac(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "javac") {
        return missing;
    }
    let mut out_dir: Option<String> = None;
    let mut sources: Vec<String> = Vec::new();
    let mut iter = argv.iter().skip(1);
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--version" | "-version" => {
                let v = java_version(ctx)
                    .map(|(s, _)| s)
                    .unwrap_or_else(|| "(unknown)".into());
                ctx.out_str(&format!("javac {v}\n"))?;
                return Ok(0);
            }
            "-d" => out_dir = iter.next().cloned(),
            "-cp" | "-classpath" | "--class-path" | "-sourcepath" | "--source-path"
            | "-encoding" | "--release" | "-source" | "-target" | "-s" | "-h" | "--module-path"
            | "-p" => {
                iter.next();
            }
            s if s.starts_with('-') => {}
            s => sources.push(s.to_string()),
        }
    }
    if sources.is_empty() {
        ctx.err(b"error: no source files\n")?;
        return Ok(2);
    }
    let mut written = 0u64;
    for src in &sources {
        let abs = ctx.abs(src);
        let size = match ctx.read(&abs) {
            Ok(c) => c.len(),
            Err(_) => {
                ctx.err(format!("error: file not found: {src}\nUsage: javac <options> <source files>\nuse --help for a list of possible options\n").as_bytes())?;
                return Ok(2);
            }
        };
        let text = read_text(ctx, &abs).unwrap_or_default();
        let (package, types) = java_types(&text, base_name(&abs));
        let dir = match &out_dir {
            Some(d) => {
                let base = ctx.abs(d);
                match &package {
                    Some(p) => format!("{base}/{}", p.replace('.', "/")),
                    None => base,
                }
            }
            None => parent_of(&abs).to_string(),
        };
        let per_type = (size * CLASS_PER_SOURCE_BYTE_NUM
            / CLASS_PER_SOURCE_BYTE_DEN
            / types.len().max(1) as u64)
            .max(CLASS_MIN);
        for t in &types {
            write_sized(ctx, &format!("{dir}/{t}.class"), per_type, 0o644);
            written += 1;
        }
    }
    ctx.steps(written)?;
    ctx.approximated(
        "nothing was compiled: each .class file's size is an estimate from its source",
    );
    Ok(0)
}

/// Total size of files under `path` (bounded).
fn tree_size(ctx: &mut ProgramCtx<'_, '_>, path: &str, budget: &mut u32) -> u64 {
    if *budget == 0 {
        return 0;
    }
    *budget -= 1;
    let Ok(meta) = ctx.stat(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.size;
    }
    let names = ctx.read_dir(path).unwrap_or_default();
    names
        .iter()
        .map(|n| tree_size(ctx, &format!("{}/{n}", path.trim_end_matches('/')), budget))
        .sum()
}

fn run_jar(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "jar") {
        return missing;
    }
    let Some(mode) = argv.get(1).map(|m| m.trim_start_matches('-').to_string()) else {
        ctx.err(b"Usage: jar [OPTION...] [ [--release VERSION] [-C dir] files] ...\n")?;
        return Ok(1);
    };
    if !(mode.starts_with('c') || mode.starts_with('u')) || !mode.contains('f') {
        ctx.not_simulated("only `jar cf`/`jar uf` are simulated");
        return Ok(0);
    }
    let mut rest = argv.iter().skip(2);
    let Some(archive) = rest.next().cloned() else {
        ctx.err(b"jar: 'f' requires a file name\n")?;
        return Ok(1);
    };
    // `e` takes the entry point and `m` a manifest, in the order of the letters.
    for letter in mode.chars().filter(|c| matches!(c, 'e' | 'm')) {
        let _ = letter;
        rest.next();
    }
    let mut total = 0u64;
    let mut budget = 50_000u32;
    let mut change_dir: Option<String> = None;
    let inputs: Vec<String> = rest.cloned().collect();
    let mut iter = inputs.iter();
    while let Some(input) = iter.next() {
        if input == "-C" {
            change_dir = iter.next().cloned();
            continue;
        }
        let path = match &change_dir {
            Some(d) => format!("{}/{input}", ctx.abs(d)),
            None => ctx.abs(input),
        };
        if !exists(ctx, &path) {
            ctx.err(format!("{input} : no such file or directory\n").as_bytes())?;
            return Ok(1);
        }
        total += tree_size(ctx, &path, &mut budget);
    }
    let archive_path = ctx.abs(&archive);
    let existing = if mode.starts_with('u') {
        match ctx.read(&archive_path) {
            Ok(Content::Bytes(b)) => b.len() as u64,
            Ok(Content::Unknown { size }) => size,
            Err(_) => {
                ctx.err(
                    format!(
                        "java.io.FileNotFoundException: {archive} (No such file or directory)\n"
                    )
                    .as_bytes(),
                )?;
                return Ok(1);
            }
        }
    } else {
        0
    };
    let size = existing + total / JAR_FRACTION_DEN + 300;
    if !write_sized(ctx, &archive_path, size, 0o644) {
        ctx.err(
            format!("java.io.FileNotFoundException: {archive} (Permission denied)\n").as_bytes(),
        )?;
        return Ok(1);
    }
    ctx.approximated("the archive's size is an estimate (its inputs compressed to about half)");
    Ok(0)
}

fn run_jlink(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "jlink") {
        return missing;
    }
    let mut output: Option<String> = None;
    let mut modules: Vec<String> = Vec::new();
    let mut strip = false;
    let mut iter = argv.iter().skip(1);
    while let Some(a) = iter.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        match flag {
            "--output" => output = inline.or_else(|| iter.next().cloned()),
            "--add-modules" => {
                let list = inline.or_else(|| iter.next().cloned()).unwrap_or_default();
                modules.extend(
                    list.split(',')
                        .filter(|m| !m.is_empty())
                        .map(str::to_string),
                );
            }
            "--strip-debug" | "--strip-java-debug-attributes" | "--strip-native-debug-symbols" => {
                strip = true
            }
            "--module-path" | "-p" | "--compress" | "--launcher" | "--vm" | "--endian"
                if inline.is_none() =>
            {
                iter.next();
            }
            "--version" => {
                let v = java_version(ctx)
                    .map(|(s, _)| s)
                    .unwrap_or_else(|| "(unknown)".into());
                ctx.out_str(&format!("{v}\n"))?;
                return Ok(0);
            }
            _ => {}
        }
    }
    let Some(output) = output else {
        ctx.err(b"Error: --output must be specified\nUsage: jlink <options> --module-path <modulepath> --add-modules <module>[,<module>...]\nUse --help for a list of possible options\n")?;
        return Ok(1);
    };
    if modules.is_empty() {
        ctx.err(b"Error: --add-modules must be specified\n")?;
        return Ok(1);
    }
    let dir = ctx.abs(&output);
    if exists(ctx, &dir) {
        ctx.err(format!("Error: directory already exists: {dir}\n").as_bytes())?;
        return Ok(1);
    }
    let count = if modules.iter().any(|m| m.starts_with("ALL-")) {
        JLINK_ALL_MODULES
    } else {
        modules.len() as u64
    };
    let mut size = JLINK_BASE + JLINK_PER_MODULE * count.saturating_sub(1);
    if strip {
        size = size * JLINK_STRIP_NUM / JLINK_STRIP_DEN;
    }
    let (short, _) = java_version(ctx).unwrap_or_else(|| ("(unknown)".into(), String::new()));
    write_sized(ctx, &format!("{dir}/bin/java"), 16_000, 0o755);
    write_sized(ctx, &format!("{dir}/bin/keytool"), 16_000, 0o755);
    write_sized(ctx, &format!("{dir}/lib/modules"), size * 2 / 3, 0o644);
    write_sized(ctx, &format!("{dir}/lib/server/libjvm.so"), size / 3, 0o755);
    write_text(
        ctx,
        &format!("{dir}/release"),
        &format!(
            "JAVA_VERSION=\"{short}\"\nMODULES=\"{}\"\n",
            modules.join(" ")
        ),
        0o644,
    );
    let _ = is_dir(ctx, &dir);
    ctx.approximated(
        "nothing was linked: the runtime image's size is an estimate from the number of modules",
    );
    Ok(0)
}

fn run_jshell(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::lang_support::require(ctx, argv, "jshell") {
        return missing;
    }
    if argv.iter().any(|a| a == "--version" || a == "-version") {
        let v = java_version(ctx)
            .map(|(s, _)| s)
            .unwrap_or_else(|| "(unknown)".into());
        ctx.out_str(&format!("jshell {v}\n"))?;
        return Ok(0);
    }
    let input = ctx.stdin();
    if input.unknown == 0 && input.bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(0);
    }
    ctx.not_simulated("Java code is not run in the playground");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_types_and_package() {
        let src = "package com.example.app;\n\nimport java.util.*;\n\npublic class Main {\n  class Inner {}\n}\ninterface Helper {}\n";
        assert_eq!(
            java_types(src, "Main.java"),
            (
                Some("com.example.app".to_string()),
                vec!["Main".to_string(), "Helper".to_string()]
            )
        );
    }
}
