//! Differential test for the bash features Dockerfiles use (`SHELL ["/bin/bash", "-c"]`):
//! each script runs in the real `/bin/bash` inside a fresh temporary directory and in the
//! interpreter; stdout, status and resulting files must agree. Skips if bash is missing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

#[path = "shell_data/harness.rs"]
mod harness;

use harness::{disagreement, lint, run_host, run_ours_with};

const SCRIPTS: &[&str] = &[
    r#"a=(one two three); echo ${a[0]} ${a[2]} ${#a[@]}; for x in "${a[@]}"; do echo "[$x]"; done"#,
    r#"a=(x y); a+=(z); echo "${a[@]}" ${#a[@]}; echo "${a[*]}""#,
    r#"s=hello; echo ${s^^} ${s^} ${s:1:3} ${s: -2} ${s/l/L} ${s//l/L} ${s/#h/H} ${s/%o/O}"#,
    r#"p=a/b/c; echo ${p//\//:}; v=abc; echo ${v:1}"#,
    r#"x=5; [[ $x -gt 3 && $x -lt 10 ]] && echo in-range; [[ abc == a* ]] && echo glob; [[ abc != b* ]] && echo notglob"#,
    r#"[[ -z "" ]] && echo empty; [[ -n x || -z x ]] && echo or; [[ ! -e nothing ]] && echo absent"#,
    r#"v=version-1.2.3; if [[ $v =~ ([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then echo ${BASH_REMATCH[0]} ${BASH_REMATCH[2]}; fi"#,
    r#"[[ "a b" == "a b" ]] && echo quoted; x="a b"; [[ $x == "a b" ]] && echo nosplit"#,
    r#"echo {a,b,c}; echo x{1..4}y; echo {c..a}; mkdir -p d/{one,two}; ls d"#,
    r#"echo $'tab\there' $'nl\nx' $'q\'q'"#,
    r#"cat <<< "here string"; read -r v <<< "a b"; echo "$v""#,
    r#"(( x = 3 * 4 )); echo $x; (( x > 10 )) && echo big; (( 0 )) || echo zero"#,
    r#"for ((i=0; i<3; i++)); do echo $i; done"#,
    r#"set -o pipefail; false | true; echo $?; true | false | true; echo $?"#,
    r#"false | true; echo $?"#,
    r#"function f { echo f-body "$1"; }; f arg; function g() { return 3; }; g; echo $?"#,
    r#"echo 'a\nb'; echo -e 'c\nd'; echo -n n; echo"#,
    r#"f() { local x=1; x=2; echo $x; }; x=0; f; echo $x"#,
    r#"declare -x D=1; bash -c 'echo $D'; declare -r R=2; echo $R"#,
    r#"x=ab; x+=ef; echo $x; n=1; n+=1; echo $n"#,
    r#"v=HOME; HOME2=h; ref=HOME2; echo ${!ref}"#,
    r#"diff <(echo a) <(echo a) && echo same; cat <(echo procsub)"#,
    r#"read -a arr <<< "x y z"; echo ${arr[1]} ${#arr[@]}"#,
    r#"printf 'l1\nl2\n' > f; mapfile -t lines < f; echo ${#lines[@]} ${lines[1]}"#,
    r#"set -e; false || true; echo ok; (false) || echo sub-failed"#,
    r#"set -euo pipefail; x=1; echo $x; true | true; echo done"#,
    r#"nosuch_bash_cmd 2>/dev/null; echo $?"#,
    r#"shopt -s nullglob 2>/dev/null; echo ok"#,
    r#"type -t echo 2>/dev/null || echo notype; command -v nosuch; echo $?"#,
    r#"i=0; while (( i < 3 )); do ((i++)); done; echo $i"#,
    r#"a=(3 1 2); for i in "${!a[@]}"; do echo $i=${a[$i]}; done"#,
    r#"case abc in a*) echo star;& b*) echo fallthrough;; *) echo no;; esac"#,
    r#"x=$(( 2**10 )); echo $x $(( 7 % 3 )) $(( -7 / 2 ))"#,
    r#"s="  trim  "; echo "[${s// /}]""#,
    r#"echo ${#BASH_VERSION} >/dev/null; echo bash-ok"#,
    r#"f() { echo "$#" "$@"; }; f "a b" c; set -- x y; f "$@""#,
    r#"arr=(a b c d); echo ${arr[@]:1:2}"#,
    r#"echo "${undefined:-def}" "${undefined-def2}""#,
    r#"v=abc; echo ${v,,} ${v^}; U=ABC; echo ${U,}"#,
    r#"touch a.txt b.txt; for f in *.txt; do echo "$f"; done; echo *.{txt,log}"#,
    r#"exec 3>out3; echo via3 >&3; exec 3>&-; cat out3"#,
    r#"echo out &> both; echo err >&2 &>> both; cat both"#,
    r#"let x=5+5; echo $x; let 'y = x * 2'; echo $y"#,
    r#"if [[ -d . ]]; then echo dir; fi; [[ 10 -eq 10 ]] && echo numeq"#,
    r#"str=abc; echo ${str:0:1}${str: -1}"#,
    r#"echo $((16#ff)) $((2#101)) $((8#17))"#,
    r#"declare -a list=(1 2 3); echo ${list[-1]} ${#list[*]}"#,
    r#"x=1; { x=2; }; echo $x; (x=3); echo $x"#,
    r#"printf -v out '%s-%s' a b 2>/dev/null; echo "${out:-unsupported}""#,
    r#"set -x; echo traced 2>/dev/null; set +x; echo untraced"#,
];

#[test]
fn bash_and_interpreter_agree() {
    if !std::path::Path::new("/bin/bash").exists() {
        eprintln!("SKIPPED: /bin/bash not found");
        return;
    }
    let mut failures = Vec::new();
    for (i, script) in SCRIPTS.iter().enumerate() {
        lint(script).unwrap_or_else(|e| panic!("#{i} rejected by the lint: {e}"));
        let real = run_host("/bin/bash", script, 20_000 + i);
        let ours = run_ours_with(&["/bin/bash", "-c"], script);
        failures.extend(disagreement("bash", i, script, &real, &ours));
    }
    eprintln!(
        "bash differential: {}/{} scripts agree",
        SCRIPTS.len() - failures.len(),
        SCRIPTS.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
