//! `dockerfile-playground console [--context DIR] [SCRIPT]`: docker commands from a script
//! or stdin, one per line (`docker` optional, `#` comments and blank lines skipped), each
//! printed as `$ command` followed by its output; `docker build` reads DIR. The transcript
//! must be the same as the library's (the CLI adds nothing of its own), and the exit status
//! is the last command's, like `sh SCRIPT`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod console_support;

use console_support::Console;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const SCRIPT: &str = "\
# The seed article, typed into a terminal.
docker build -t seed .

images
docker run -d --name c1 seed sleep 1000
docker exec c1 sh -c 'echo x >> /app/hello.txt'
docker ps -s   
";

fn console(args: &[&str], stdin: &str) -> (String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockerfile-playground"))
        .arg("console")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/seed-layers")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_script_on_stdin_prints_the_same_transcript_as_the_library() {
    let (stdout, code) = console(&["--context", &example()], SCRIPT);
    assert_eq!(code, 0);
    let mut expected = Console::with_example("seed-layers");
    for line in [
        "docker build -t seed .",
        "images",
        "docker run -d --name c1 seed sleep 1000",
        "docker exec c1 sh -c 'echo x >> /app/hello.txt'",
        "docker ps -s",
    ] {
        expected.run(line);
    }
    assert_eq!(stdout, expected.transcript);
    assert_eq!(stdout.lines().filter(|l| l.starts_with("$ ")).count(), 5);
    assert!(stdout.contains("$ images\nREPOSITORY "));
    assert!(stdout.contains("27B (virtual 117MB)"), "{stdout}");
}

#[test]
fn a_script_file_and_the_last_status() {
    let dir = std::env::temp_dir().join(format!("console-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("script.txt");
    std::fs::write(&script, "docker images\ndocker rmi nope\n").unwrap();
    let (stdout, code) = console(&["--context", &example(), script.to_str().unwrap()], "");
    assert_eq!(
        stdout,
        "$ docker images\nREPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n$ docker rmi nope\nError response from daemon: No such image: nope:latest\n"
    );
    assert_eq!(code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
