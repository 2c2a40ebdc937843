//! `dpkg` / `dpkg-query` read-only queries as plans (no filesystem change): `-l`, `-s`,
//! `-L`, `--print-architecture`, `-W`. Installing local `.deb` files (`dpkg -i`) is not
//! simulated: the build context cannot hold real archives, so it fails like a missing file.

use super::installed::InstalledDb;
use super::{PkgError, PkgPlan};

/// Plans `dpkg <args>` (or `dpkg-query <args>`) against the installed database.
pub fn plan<S: AsRef<str>>(installed: &InstalledDb, args: &[S]) -> Result<PkgPlan, PkgError> {
    let args: Vec<&str> = args
        .iter()
        .map(|a| a.as_ref())
        .take(super::MAX_ARGS)
        .collect();
    let mut plan = PkgPlan::default();
    let Some((&cmd, rest)) = args.split_first() else {
        return Err(PkgError::new("", "dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !\n", 2));
    };
    match cmd {
        "--print-architecture" => plan.stdout = "amd64\n".into(),
        "-l" | "--list" => {
            let mut out = String::from("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name           Version      Architecture Description\n+++-==============-============-============-=================================\n");
            let mut pkgs: Vec<_> = installed.installed().collect();
            pkgs.sort_by(|a, b| a.name.cmp(&b.name));
            let mut any = false;
            for p in pkgs {
                if !rest.is_empty() && !rest.iter().any(|r| *r == p.name) {
                    continue;
                }
                any = true;
                out.push_str(&format!(
                    "ii  {:<14} {:<12} {:<12} {}\n",
                    p.name, p.version, p.arch, p.name
                ));
            }
            if !any && !rest.is_empty() {
                return Err(PkgError::new(
                    "",
                    format!(
                        "dpkg-query: no packages found matching {}\n",
                        rest.join(" ")
                    ),
                    1,
                ));
            }
            plan.stdout = out;
        }
        "-s" | "--status" => {
            let mut err = String::new();
            for name in rest {
                match installed.packages.iter().find(|p| p.name == *name) {
                    Some(p) => {
                        plan.stdout.push_str(&p.stanza);
                        plan.stdout.push('\n');
                    }
                    None => err.push_str(&format!("dpkg-query: package '{name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files.\n")),
                }
            }
            if !err.is_empty() {
                return Err(PkgError::new(plan.stdout, err, 1));
            }
        }
        "-L" | "--listfiles" => {
            for name in rest {
                match installed.get(name) {
                    Some(p) => {
                        plan.stdout.push_str("/.\n");
                        let mut all: Vec<&String> = p.dirs.iter().chain(p.files.iter()).collect();
                        all.sort();
                        for f in all {
                            plan.stdout.push_str(f);
                            plan.stdout.push('\n');
                        }
                    }
                    None => return Err(PkgError::new(plan.stdout, format!("dpkg-query: package '{name}' is not installed\nUse dpkg --contents (= dpkg-deb --contents) to list archive files contents.\n"), 1)),
                }
            }
        }
        "-W" | "--show" => {
            let mut pkgs: Vec<_> = installed.installed().collect();
            pkgs.sort_by(|a, b| a.name.cmp(&b.name));
            for p in pkgs {
                if rest.is_empty() || rest.iter().any(|r| *r == p.name) {
                    plan.stdout
                        .push_str(&format!("{}\t{}\n", p.name, p.version));
                }
            }
        }
        "-i" | "--install" => {
            let file = rest.last().copied().unwrap_or("");
            return Err(PkgError::new(
                "",
                format!("dpkg: error: cannot access archive '{file}': No such file or directory\n"),
                2,
            ));
        }
        other => {
            plan.note(format!("`dpkg {other}` is not simulated; nothing changed"));
        }
    }
    Ok(plan)
}
