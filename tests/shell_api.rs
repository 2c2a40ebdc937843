//! The interpreter as the builder uses it: shell and exec form, SHELL with options,
//! environment and HOME, users and permissions, image flavours (dash + GNU vs BusyBox),
//! events with spans, xtrace, accounts, downloads.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::{
    self, Content, Cred, EventKind, ImageFlavor, MemFs, Registry, RunOutcome, RunRequest, ShellFs,
};
use dockerfile_playground::text::Span;

fn run_with(req: RunRequest, fs: &mut MemFs) -> RunOutcome {
    shell::run(&req, fs, &Registry::standard())
}

fn sh(script: &str) -> RunRequest {
    RunRequest::shell_form(&[], script)
}

fn out(o: &RunOutcome) -> String {
    String::from_utf8_lossy(&o.stdout()).into_owned()
}

fn err(o: &RunOutcome) -> String {
    String::from_utf8_lossy(&o.stderr()).into_owned()
}

#[test]
fn shell_instruction_options_apply() {
    let mut fs = MemFs::with_skeleton();
    let shell: Vec<String> = ["/bin/bash", "-o", "pipefail", "-c"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let o = run_with(RunRequest::shell_form(&shell, "false | true"), &mut fs);
    assert_eq!(o.status, 1);
    let o = run_with(RunRequest::shell_form(&[], "false | true"), &mut fs);
    assert_eq!(o.status, 0);
    let shell: Vec<String> = ["/bin/bash", "-exc"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let o = run_with(
        RunRequest::shell_form(&shell, "echo \"a b\"; false; echo no"),
        &mut fs,
    );
    assert_eq!((o.status, out(&o).as_str()), (1, "a b\n"));
    assert_eq!(o.xtrace, ["+ echo 'a b'", "+ false"]);
}

#[test]
fn exec_form_runs_without_a_shell() {
    let mut fs = MemFs::with_skeleton();
    let o = run_with(
        RunRequest::exec_form(vec!["echo".into(), "$HOME".into(), "a\\nb".into()]),
        &mut fs,
    );
    assert_eq!(out(&o), "$HOME a\\nb\n", "no expansion, GNU echo");
    let o = run_with(RunRequest::exec_form(vec!["make".into()]), &mut fs);
    let ev: Vec<_> = o.not_simulated().collect();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].span, None);
    let o = run_with(
        RunRequest::exec_form(vec!["/bin/sh".into(), "-c".into(), "echo $((6*7))".into()]),
        &mut fs,
    );
    assert_eq!(out(&o), "42\n");
}

#[test]
fn unsimulated_commands_succeed_with_an_event_and_a_span() {
    let mut fs = MemFs::with_skeleton();
    let script = "make install && echo ok; sh -c 'cargo build'";
    let o = run_with(sh(script), &mut fs);
    assert!(o.success());
    assert_eq!(out(&o), "ok\n");
    let ev: Vec<_> = o.not_simulated().collect();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0].command, "make");
    assert_eq!(
        &script[ev[0].span.unwrap().start..ev[0].span.unwrap().end],
        "make install"
    );
    assert_eq!(
        ev[0].detail,
        "`make` is not simulated; treated as a command that succeeds and changes nothing"
    );
    // a command inside a nested shell points at the command that started that shell
    assert_eq!(ev[1].command, "cargo");
    assert_eq!(ev[1].span, Some(Span::new(25, 44)));
    assert_eq!(&script[25..44], "sh -c 'cargo build'");
}

#[test]
fn environment_comes_from_the_request_and_home_from_passwd() {
    let mut fs = MemFs::with_skeleton();
    let mut req = sh("env");
    req.env = vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("B".into(), "2".into()),
        ("A".into(), "1".into()),
    ];
    let o = run_with(req, &mut fs);
    assert_eq!(out(&o), "PATH=/usr/bin:/bin\nB=2\nA=1\nHOME=/root\nPWD=/\n");
    let mut req = sh("echo $HOME; pwd; cd /tmp && pwd");
    req.user = Cred {
        uid: 65534,
        gid: 65534,
        groups: vec![65534],
    };
    req.cwd = "/var".into();
    let o = run_with(req, &mut fs);
    assert_eq!(out(&o), "/nonexistent\n/var\n/tmp\n");
}

#[test]
fn non_root_users_meet_permissions() {
    let mut fs = MemFs::with_skeleton();
    let mut req = sh("mkdir /opt/app; echo $?; touch /tmp/mine && ls -l /tmp/mine | cut -d' ' -f1,3,4; echo x > /etc/hostname");
    req.user = Cred {
        uid: 65534,
        gid: 65534,
        groups: vec![65534],
    };
    let o = run_with(req, &mut fs);
    assert_eq!(out(&o), "1\n-rw-r--r-- nobody nogroup\n");
    assert_eq!(
        err(&o),
        "mkdir: cannot create directory '/opt/app': Permission denied\n/bin/sh: 1: cannot create /etc/hostname: Permission denied\n"
    );
    assert_eq!(o.status, 2);
}

#[test]
fn image_flavour_decides_echo_and_messages() {
    let cases = [
        (
            ImageFlavor::DEBIAN,
            "a\nb\ncat: /nope: No such file or directory\n",
        ),
        (
            ImageFlavor::ALPINE,
            "a\\nb\ncat: can't open '/nope': No such file or directory\n",
        ),
    ];
    for (flavor, expected) in cases {
        let mut fs = MemFs::with_skeleton();
        let mut req = sh("echo 'a\\nb'; cat /nope 2>&1");
        req.image = flavor;
        let o = run_with(req, &mut fs);
        assert_eq!(out(&o), expected, "{flavor:?}");
    }
    let mut fs = MemFs::with_skeleton();
    let shell: Vec<String> = vec!["/bin/bash".into(), "-c".into()];
    let o = run_with(
        RunRequest::shell_form(&shell, "echo 'a\\nb'; nosuch"),
        &mut fs,
    );
    assert_eq!(out(&o), "a\\nb\n");
}

#[test]
fn flavour_is_detected_from_the_filesystem() {
    let mut fs = MemFs::with_skeleton();
    assert_eq!(ImageFlavor::detect(&fs), ImageFlavor::DEBIAN);
    let root = shell::NewNode {
        mode: 0o755,
        uid: 0,
        gid: 0,
    };
    fs.write_file(
        "/bin/busybox",
        shell::Data::Unknown(900_000),
        shell::WriteMode::Truncate,
        root,
    )
    .unwrap();
    fs.symlink("/bin/busybox", "/bin/sh", root).unwrap();
    assert_eq!(ImageFlavor::detect(&fs), ImageFlavor::ALPINE);
}

#[test]
fn syntax_errors_fail_like_dash() {
    let mut fs = MemFs::with_skeleton();
    let o = run_with(sh("echo start\nif true; then\n  echo x\nfi fi"), &mut fs);
    assert_eq!(o.status, 2);
    assert_eq!(out(&o), "");
    assert_eq!(err(&o), "/bin/sh: 4: Syntax error: \"fi\" unexpected\n");
}

#[test]
fn accounts_are_written_like_the_tools_do() {
    let mut fs = MemFs::with_skeleton();
    let o = run_with(sh("groupadd -r app && useradd -r -g app -d /srv/app -s /usr/sbin/nologin app && useradd -m dev && id dev && id app"), &mut fs);
    assert!(o.success(), "{}", err(&o));
    assert_eq!(
        out(&o),
        "uid=1000(dev) gid=1000(dev) groups=1000(dev)\nuid=999(app) gid=999(app) groups=999(app)\n"
    );
    let passwd = String::from_utf8(
        fs.read_file("/etc/passwd")
            .unwrap()
            .bytes()
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        passwd.ends_with(
            "app:x:999:999::/srv/app:/usr/sbin/nologin\ndev:x:1000:1000::/home/dev:/bin/sh\n"
        ),
        "{passwd}"
    );
    assert_eq!(fs.stat("/home/dev").unwrap().uid, 1000);

    let mut fs = MemFs::with_skeleton();
    let mut req = sh("addgroup -S app && adduser -S -D -H -G app app && adduser -D -u 2000 bob && grep -E '^(app|bob):' /etc/passwd && grep bob /etc/group");
    req.image = ImageFlavor::ALPINE;
    let o = run_with(req, &mut fs);
    assert!(o.success(), "{}", err(&o));
    assert_eq!(
        out(&o),
        "app:x:100:100:Linux User,,,:/home/app:/sbin/nologin\nbob:x:2000:2000:Linux User,,,:/home/bob:/bin/sh\nbob:x:2000:\n"
    );
    assert!(fs.stat("/home/app").is_err());
    assert!(fs.stat("/home/bob").unwrap().is_dir());
}

#[test]
fn downloads_are_size_only_and_reported() {
    let mut fs = MemFs::with_skeleton();
    let script = "curl -fsSL https://example.org/tool-1.0.tar.gz -o /tmp/tool.tgz && echo \"abc  /tmp/tool.tgz\" | sha256sum -c - && tar -xzf /tmp/tool.tgz -C /opt && rm /tmp/tool.tgz";
    let o = run_with(sh(script), &mut fs);
    assert!(o.success(), "{}", err(&o));
    assert_eq!(out(&o), "/tmp/tool.tgz: OK\n");
    let kinds: Vec<(EventKind, &str)> = o
        .events
        .iter()
        .map(|e| (e.kind, e.command.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (EventKind::Approximated, "curl"),
            (EventKind::Approximated, "sha256sum"),
            (EventKind::Approximated, "tar")
        ]
    );
    let mut fs = MemFs::with_skeleton();
    let o = run_with(
        sh("wget -q -O /big.bin https://example.org/data.bin; stat -c %s /big.bin"),
        &mut fs,
    );
    assert_eq!(out(&o), "1048576\n");
    assert!(matches!(
        fs.read_file("/big.bin").unwrap(),
        Content::Unknown { .. }
    ));
}

#[test]
fn scripts_from_the_filesystem_run_by_their_shebang() {
    let mut fs = MemFs::with_skeleton();
    let script = "printf '#!/bin/bash\\necho ${BASH_VERSION%%.*} \"$@\"\\n' > /usr/local/bin/hello && chmod +x /usr/local/bin/hello && hello a b && /usr/local/bin/hello c";
    let o = run_with(sh(script), &mut fs);
    // printf turns %% into %, so the script strips the shortest `.*` suffix
    assert_eq!(out(&o), "5.2 a b\n5.2 c\n", "{}", err(&o));
    let o = run_with(
        sh("printf 'echo no exec bit\\n' > /x.sh; /x.sh; echo $?"),
        &mut fs,
    );
    assert_eq!(out(&o), "126\n");
    assert_eq!(err(&o), "/bin/sh: 1: /x.sh: Permission denied\n");
}

#[test]
fn heredoc_runs_honour_a_shebang() {
    let mut fs = MemFs::with_skeleton();
    let o = run_with(
        RunRequest::heredoc(&[], "set -e\necho one\necho two\n"),
        &mut fs,
    );
    assert_eq!(out(&o), "one\ntwo\n");
    let o = run_with(
        RunRequest::heredoc(&[], "#!/bin/bash\nx=(a b); echo ${#x[@]}\n"),
        &mut fs,
    );
    assert_eq!(out(&o), "2\n");
    let o = run_with(
        RunRequest::heredoc(&[], "#!/usr/bin/env python3\nprint('hi')\n"),
        &mut fs,
    );
    assert!(o.success());
    assert_eq!(
        o.not_simulated()
            .map(|e| e.command.as_str())
            .collect::<Vec<_>>(),
        ["python3"]
    );
}
