#![allow(clippy::unwrap_used)]
use dockerfile_playground::engine::shell::{self, MemFs, Registry, RunRequest};

fn run(script: &str) -> (String, String, i32) {
    let mut fs = MemFs::with_skeleton();
    let req = RunRequest::shell_form(&[], script);
    let out = shell::run(&req, &mut fs, &Registry::standard());
    (
        String::from_utf8_lossy(&out.stdout()).into_owned(),
        String::from_utf8_lossy(&out.stderr()).into_owned(),
        out.status,
    )
}

#[test]
fn smoke() {
    let cases: &[(&str, &str, i32)] = &[
        ("echo hello world", "hello world\n", 0),
        ("x=1; echo $x ${x:-d} ${y:-d}", "1 1 d\n", 0),
        ("for i in a b c; do echo $i; done", "a\nb\nc\n", 0),
        ("echo $((1+2*3))", "7\n", 0),
        (
            "f() { echo in f $1; return 3; }; f x; echo $?",
            "in f x\n3\n",
            0,
        ),
        ("echo a | cat", "a\n", 0),
        ("false; echo $?", "1\n", 0),
        ("set -e; false; echo no", "", 1),
        ("x=$(echo hi); echo \"[$x]\"", "[hi]\n", 0),
        ("case abc in a*) echo yes;; *) echo no;; esac", "yes\n", 0),
        ("cat <<EOF\nhello $HOME\nEOF", "hello /root\n", 0),
        ("printf '%s-%d\\n' a 5 b 6", "a-5\nb-6\n", 0),
        ("if [ -d /tmp ]; then echo dir; fi", "dir\n", 0),
        ("echo 'a\\nb'", "a\nb\n", 0),
    ];
    for (script, out, status) in cases {
        let (o, e, s) = run(script);
        assert_eq!(
            (o.as_str(), s),
            (*out, *status),
            "script: {script}\nstderr: {e}"
        );
    }
}
