//! Programs that run another command: `env`, `nice`, `nohup`, `timeout`, `time`,
//! `stdbuf`, `setsid`, `ionice`, `gosu`, `su-exec`, `chroot`, `su`, `runuser`, `sudo`,
//! `setpriv`, `tini`, `dumb-init`.

use super::{ProgResult, ProgramCtx, Registry};

pub fn register(r: &mut Registry) {
    r.register("env", env);
    for name in [
        "nice",
        "nohup",
        "timeout",
        "time",
        "stdbuf",
        "setsid",
        "ionice",
        "tini",
        "dumb-init",
        "catatonit",
        "chrt",
        "taskset",
        "flock",
    ] {
        r.register(name, passthrough);
    }
    r.register("gosu", gosu);
    r.register("su-exec", gosu);
    r.register("chroot", chroot);
    r.register("su", su);
    r.register("runuser", su);
    r.register("sudo", sudo);
    r.register("setpriv", setpriv);
}

fn env(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut clear = false;
    let mut unset = Vec::new();
    let mut vars = Vec::new();
    let mut nul = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        match a.as_str() {
            "-i" | "--ignore-environment" | "-" => clear = true,
            "-0" | "--null" => nul = true,
            "-u" | "--unset" => {
                i += 1;
                if let Some(n) = argv.get(i) {
                    unset.push(n.clone());
                }
            }
            "--" => {
                i += 1;
                break;
            }
            _ if a.starts_with("--unset=") => unset.push(a["--unset=".len()..].to_string()),
            _ if a.starts_with("-S") || a.starts_with("--split-string") => {}
            _ if a.contains('=') && !a.starts_with('=') => {
                let (k, v) = a.split_once('=').unwrap_or((a, ""));
                vars.push((k.to_string(), v.to_string()));
            }
            _ => break,
        }
        i += 1;
    }
    let cmd: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    if cmd.is_empty() {
        let mut list: Vec<(String, String)> = if clear { Vec::new() } else { ctx.environment() };
        list.retain(|(k, _)| !unset.contains(k));
        for (k, v) in vars {
            match list.iter_mut().find(|(n, _)| *n == k) {
                Some(e) => e.1 = v,
                None => list.push((k, v)),
            }
        }
        let sep = if nul { '\0' } else { '\n' };
        let out: String = list.iter().map(|(k, v)| format!("{k}={v}{sep}")).collect();
        ctx.out_str(&out)?;
        return Ok(0);
    }
    ctx.run_with_env(&vars, &unset, clear, cmd)
}

/// Skips the wrapper's own options and runs the rest.
fn passthrough(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = ctx.name().to_string();
    let mut i = 1;
    // options with a value
    let valued: &[&str] = match name.as_str() {
        "nice" => &["-n"],
        "timeout" => &["-s", "-k", "--signal", "--kill-after"],
        "stdbuf" => &["-i", "-o", "-e"],
        "ionice" => &["-c", "-n"],
        "flock" => &["-w", "-E"],
        _ => &[],
    };
    while i < argv.len() && argv[i].starts_with('-') && argv[i] != "-" {
        if argv[i] == "--" {
            i += 1;
            break;
        }
        if valued.contains(&argv[i].as_str()) {
            i += 1;
        }
        i += 1;
    }
    match name.as_str() {
        "timeout" | "taskset" | "chrt" => i += 1,
        "flock" => i += 1,
        _ => {}
    }
    let cmd: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    if cmd.is_empty() {
        return Ok(if name == "time" || name == "nice" {
            0
        } else {
            125
        });
    }
    ctx.run(cmd)
}

/// Resolves `user[:group]` to `(uid, gid, groups, home)`.
fn resolve(
    ctx: &mut ProgramCtx<'_, '_>,
    spec: &str,
) -> Option<(u32, u32, Vec<u32>, Option<String>)> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, mut gid, home, name) = match ctx.passwd_entry(user) {
        Some((n, uid, gid, home, _)) => (uid, gid, Some(home), Some(n)),
        None => {
            let uid: u32 = user.parse().ok()?;
            (uid, uid, Some("/".to_string()), None)
        }
    };
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        gid = match ctx.group_entry(g) {
            Some(e) => e.1,
            None => g.parse().ok()?,
        };
    }
    let mut groups = vec![gid];
    if let Some(n) = name {
        for (_, g, members) in ctx.all_groups() {
            if members.contains(&n) && !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    Some((uid, gid, groups, home))
}

fn gosu(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let Some(spec) = argv.get(1) else {
        ctx.error("usage: gosu user-spec command [args]")?;
        return Ok(1);
    };
    if spec == "--version" || spec == "--help" {
        ctx.out_str("1.17\n")?;
        return Ok(0);
    }
    let Some((uid, gid, groups, home)) = resolve(ctx, spec) else {
        ctx.error(&format!("error: failed switching to \"{spec}\": unable to find user {spec}: no matching entries in passwd file"))?;
        return Ok(1);
    };
    let cmd: Vec<String> = argv.get(2..).map(<[String]>::to_vec).unwrap_or_default();
    if cmd.is_empty() {
        ctx.error("usage: gosu user-spec command [args]")?;
        return Ok(1);
    }
    ctx.run_as(uid, gid, groups, home, cmd)
}

fn chroot(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut i = 1;
    let mut spec: Option<String> = None;
    while i < argv.len() && argv[i].starts_with("--") {
        if let Some(v) = argv[i].strip_prefix("--userspec=") {
            spec = Some(v.to_string());
        }
        i += 1;
    }
    let Some(root) = argv.get(i) else {
        ctx.usage("missing operand")?;
        return Ok(125);
    };
    if ctx.abs(root) != "/" {
        ctx.not_simulated(&format!(
            "`chroot {root}` into a directory other than / is not simulated"
        ));
        return Ok(0);
    }
    let mut cmd: Vec<String> = argv
        .get(i + 1..)
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    if cmd.is_empty() {
        cmd = vec!["/bin/sh".to_string(), "-i".to_string()];
    }
    match spec {
        Some(s) => match resolve(ctx, &s) {
            Some((uid, gid, groups, _)) => ctx.run_as(uid, gid, groups, None, cmd),
            None => {
                ctx.error(&format!("invalid user spec: '{s}'"))?;
                Ok(125)
            }
        },
        None => ctx.run(cmd),
    }
}

fn su(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut user: Option<String> = None;
    let mut command: Option<String> = None;
    let mut shell: Option<String> = None;
    let mut rest: Vec<String> = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        match a.as_str() {
            "-" | "-l" | "--login" | "-m" | "-p" | "--preserve-environment" => {}
            "-c" | "--command" => {
                i += 1;
                command = argv.get(i).cloned();
            }
            "-s" | "--shell" => {
                i += 1;
                shell = argv.get(i).cloned();
            }
            "-u" => {
                i += 1;
                user = argv.get(i).cloned();
            }
            "--" => {
                rest.extend(argv[i + 1..].iter().cloned());
                break;
            }
            _ if a.starts_with("--command=") => command = Some(a["--command=".len()..].to_string()),
            _ if user.is_none() && !a.starts_with('-') => user = Some(a.clone()),
            _ => rest.push(a.clone()),
        }
        i += 1;
    }
    let user = user.unwrap_or_else(|| "root".to_string());
    let Some((uid, gid, groups, home)) = resolve(ctx, &user) else {
        ctx.error(&format!(
            "user {user} does not exist or the user entry does not contain all the required fields"
        ))?;
        return Ok(1);
    };
    let login_shell = ctx
        .passwd_entry(&user)
        .map(|e| e.4)
        .unwrap_or_else(|| "/bin/sh".to_string());
    let cmd = if ctx.name() == "runuser" && command.is_none() && !rest.is_empty() {
        rest
    } else {
        let sh = shell.unwrap_or(login_shell);
        if sh.ends_with("nologin") || sh.ends_with("false") {
            ctx.out_str("This account is currently not available.\n")?;
            return Ok(1);
        }
        let mut v = vec![sh];
        if let Some(c) = command {
            v.push("-c".to_string());
            v.push(c);
        }
        v
    };
    ctx.run_as(uid, gid, groups, home, cmd)
}

fn sudo(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut i = 1;
    let mut user = "root".to_string();
    while i < argv.len() && argv[i].starts_with('-') {
        match argv[i].as_str() {
            "-u" => {
                i += 1;
                user = argv.get(i).cloned().unwrap_or_default();
            }
            "--" => {
                i += 1;
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let cmd: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    if ctx.uid() != 0 {
        ctx.not_simulated(
            "`sudo` as a non-root user (password prompts and sudoers) is not simulated",
        );
        return Ok(0);
    }
    match resolve(ctx, &user) {
        Some((uid, gid, groups, home)) => ctx.run_as(uid, gid, groups, home, cmd),
        None => {
            ctx.error(&format!("unknown user {user}"))?;
            Ok(1)
        }
    }
}

fn setpriv(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut i = 1;
    let (mut uid, mut gid) = (ctx.uid(), ctx.gid());
    let mut groups = ctx.groups();
    while i < argv.len() && argv[i].starts_with("--") {
        let a = &argv[i];
        let val = |p: &str| a.strip_prefix(p).map(str::to_string);
        if let Some(v) = val("--reuid=") {
            uid = v
                .parse()
                .ok()
                .or_else(|| ctx.passwd_entry(&v).map(|e| e.1))
                .unwrap_or(uid);
        } else if let Some(v) = val("--regid=") {
            gid = v
                .parse()
                .ok()
                .or_else(|| ctx.group_entry(&v).map(|e| e.1))
                .unwrap_or(gid);
        } else if a == "--clear-groups" {
            groups.clear();
        }
        i += 1;
    }
    let cmd: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    ctx.run_as(uid, gid, groups, None, cmd)
}
