//! Accounts: `useradd`, `adduser` (Debian's and BusyBox's flags), `groupadd`, `addgroup`,
//! `usermod`, `userdel`/`deluser`, `groupdel`/`delgroup`, `chpasswd`, `passwd`, `getent`.
//! They edit `/etc/passwd`, `/etc/group` and, when present, `/etc/shadow` and
//! `/etc/gshadow`, and create home directories from `/etc/skel`.
//!
//! Id allocation follows the tools: `useradd` takes the lowest free id ≥ 1000 (system
//! accounts: the highest free ≤ 999), Debian's `adduser --system` the lowest free ≥ 100,
//! BusyBox the lowest free ≥ 1000 (system: ≥ 100).

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::Data;

pub fn register(r: &mut Registry) {
    r.register("useradd", useradd);
    r.register("adduser", adduser);
    r.register("groupadd", groupadd);
    r.register("addgroup", addgroup);
    r.register("usermod", usermod);
    r.register("userdel", userdel);
    r.register("deluser", userdel);
    r.register("groupdel", groupdel);
    r.register("delgroup", groupdel);
    r.register("chpasswd", |ctx: &mut ProgramCtx<'_, '_>, _: &[String]| {
        let _ = ctx.stdin();
        Ok(0)
    });
    r.register("passwd", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    r.register("getent", getent);
}

fn read_db(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> Vec<Vec<String>> {
    match ctx.read_text(path) {
        Ok(Some(t)) => t
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split(':').map(str::to_string).collect())
            .collect(),
        _ => Vec::new(),
    }
}

fn write_db(ctx: &mut ProgramCtx<'_, '_>, path: &str, rows: &[Vec<String>]) -> PResult<bool> {
    let mut text = String::new();
    for r in rows {
        text.push_str(&r.join(":"));
        text.push('\n');
    }
    let existed = ctx.stat(path).ok();
    let mode = if path.contains("shadow") {
        0o640
    } else {
        0o644
    };
    let r = ctx.write_mode(path, Data::Bytes(text.as_bytes()), mode);
    if let Err(e) = r {
        ctx.error(&format!("cannot open {path}: {e}"))?;
        return Ok(false);
    }
    if existed.is_none() {
        let _ = ctx.chmod(path, mode);
    }
    Ok(true)
}

fn exists(ctx: &ProgramCtx<'_, '_>, path: &str) -> bool {
    ctx.stat(path).is_ok()
}

fn free_id(used: &[u32], lo: u32, hi: u32, descending: bool) -> Option<u32> {
    if descending {
        (lo..=hi).rev().find(|i| !used.contains(i))
    } else {
        (lo..=hi).find(|i| !used.contains(i))
    }
}

fn ids(rows: &[Vec<String>]) -> Vec<u32> {
    rows.iter()
        .filter_map(|r| r.get(2).and_then(|v| v.parse().ok()))
        .collect()
}

fn days(ctx: &ProgramCtx<'_, '_>) -> String {
    (ctx.now() / 86_400).to_string()
}

/// Adds a group; returns its gid.
fn add_group(
    ctx: &mut ProgramCtx<'_, '_>,
    name: &str,
    gid: Option<u32>,
    system: bool,
    busybox_ids: bool,
) -> PResult<Result<u32, i32>> {
    let mut groups = read_db(ctx, "/etc/group");
    if groups
        .iter()
        .any(|g| g.first().map(String::as_str) == Some(name))
    {
        return Ok(Err(9));
    }
    let used = ids(&groups);
    let gid = match gid {
        Some(g) => {
            if used.contains(&g) {
                return Ok(Err(4));
            }
            g
        }
        None => {
            let found = if busybox_ids {
                if system {
                    free_id(&used, 100, 999, false)
                } else {
                    free_id(&used, 1000, 59999, false)
                }
            } else if system {
                free_id(&used, 100, 999, true)
            } else {
                free_id(&used, 1000, 59999, false)
            };
            match found {
                Some(g) => g,
                None => return Ok(Err(4)),
            }
        }
    };
    groups.push(vec![
        name.to_string(),
        "x".to_string(),
        gid.to_string(),
        String::new(),
    ]);
    if !write_db(ctx, "/etc/group", &groups)? {
        return Ok(Err(10));
    }
    if exists(ctx, "/etc/gshadow") {
        let mut gs = read_db(ctx, "/etc/gshadow");
        gs.push(vec![
            name.to_string(),
            "!".to_string(),
            String::new(),
            String::new(),
        ]);
        write_db(ctx, "/etc/gshadow", &gs)?;
    }
    Ok(Ok(gid))
}

fn add_member(ctx: &mut ProgramCtx<'_, '_>, group: &str, user: &str) -> PResult<bool> {
    let mut groups = read_db(ctx, "/etc/group");
    let Some(row) = groups.iter_mut().find(|g| {
        g.first().map(String::as_str) == Some(group) || g.get(2).map(String::as_str) == Some(group)
    }) else {
        return Ok(false);
    };
    while row.len() < 4 {
        row.push(String::new());
    }
    let mut members: Vec<String> = row[3]
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if !members.iter().any(|m| m == user) {
        members.push(user.to_string());
    }
    row[3] = members.join(",");
    write_db(ctx, "/etc/group", &groups)
}

#[derive(Debug, Default)]
struct NewUser {
    name: String,
    uid: Option<u32>,
    group: Option<String>,
    groups: Vec<String>,
    home: Option<String>,
    shell: String,
    gecos: String,
    system: bool,
    create_home: bool,
    user_group: bool,
    busybox_ids: bool,
    password: String,
}

/// Adds a user; returns the exit status.
fn add_user(ctx: &mut ProgramCtx<'_, '_>, u: NewUser, tool: &str) -> ProgResult {
    let mut passwd = read_db(ctx, "/etc/passwd");
    if passwd.iter().any(|p| p.first() == Some(&u.name)) {
        let msg = match tool {
            "adduser-busybox" => format!("user '{}' in use", u.name),
            "adduser" => format!("The user `{}' already exists.", u.name),
            _ => format!("user '{}' already exists", u.name),
        };
        ctx.error(&msg)?;
        return Ok(if tool == "useradd" { 9 } else { 1 });
    }
    let used = ids(&passwd);
    let uid = match u.uid {
        Some(x) => {
            if used.contains(&x) && tool == "useradd" {
                ctx.error(&format!("UID {x} is not unique"))?;
                return Ok(4);
            }
            x
        }
        None => {
            let found = if u.busybox_ids || tool == "adduser" {
                if u.system {
                    free_id(&used, 100, 999, false)
                } else {
                    free_id(&used, 1000, 59999, false)
                }
            } else if u.system {
                free_id(&used, 100, 999, true)
            } else {
                free_id(&used, 1000, 59999, false)
            };
            match found {
                Some(x) => x,
                None => {
                    ctx.error("can't get unique UID")?;
                    return Ok(4);
                }
            }
        }
    };
    // primary group
    let gid = match &u.group {
        Some(g) => match ctx.group_entry(g) {
            Some(e) => e.1,
            None => {
                let msg = if tool == "useradd" {
                    format!("group '{g}' does not exist")
                } else {
                    format!("unknown group {g}")
                };
                ctx.error(&msg)?;
                return Ok(6);
            }
        },
        None if u.user_group => {
            let want = if ctx.group_entry(&uid.to_string()).is_none() {
                Some(uid)
            } else {
                None
            };
            match add_group(ctx, &u.name, want, u.system, u.busybox_ids)? {
                Ok(g) => g,
                Err(9) => {
                    if tool == "useradd" {
                        ctx.error(&format!(
                            "group {} exists - if you want to add this user to that group, use -g.",
                            u.name
                        ))?;
                        return Ok(9);
                    }
                    ctx.group_entry(&u.name).map(|e| e.1).unwrap_or(uid)
                }
                Err(_) => match add_group(ctx, &u.name, None, u.system, u.busybox_ids)? {
                    Ok(g) => g,
                    Err(code) => return Ok(code),
                },
            }
        }
        None => 100,
    };
    let home = u.home.clone().unwrap_or_else(|| {
        if u.system && tool == "adduser" {
            "/nonexistent".to_string()
        } else {
            format!("/home/{}", u.name)
        }
    });
    passwd.push(vec![
        u.name.clone(),
        "x".to_string(),
        uid.to_string(),
        gid.to_string(),
        u.gecos.clone(),
        home.clone(),
        u.shell.clone(),
    ]);
    if !write_db(ctx, "/etc/passwd", &passwd)? {
        return Ok(1);
    }
    if exists(ctx, "/etc/shadow") {
        let mut sh = read_db(ctx, "/etc/shadow");
        let (min, max, warn) = ("0", "99999", "7");
        sh.push(vec![
            u.name.clone(),
            u.password.clone(),
            days(ctx),
            min.to_string(),
            max.to_string(),
            warn.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        write_db(ctx, "/etc/shadow", &sh)?;
    }
    for g in &u.groups {
        if !add_member(ctx, g, &u.name)? {
            ctx.error(&format!("group '{g}' does not exist"))?;
        }
    }
    if u.create_home
        && home != "/nonexistent"
        && ctx.stat(&home).is_err()
        && ctx.mkdir_p(&home, 0o755).is_ok()
    {
        let _ = ctx.chmod(&home, 0o755 & !ctx.umask() | 0o700);
        copy_skel(ctx, &home, uid, gid)?;
        let _ = ctx.chown(&home, Some(uid), Some(gid), true);
    }
    Ok(0)
}

fn copy_skel(ctx: &mut ProgramCtx<'_, '_>, home: &str, uid: u32, gid: u32) -> PResult<()> {
    let Ok(names) = ctx.read_dir("/etc/skel") else {
        return Ok(());
    };
    for n in names {
        let src = format!("/etc/skel/{n}");
        let dst = format!("{home}/{n}");
        ctx.steps(1)?;
        if let Ok(m) = ctx.lstat(&src) {
            if m.is_file() {
                if let Ok(c) = ctx.read(&src) {
                    let _ = ctx.write_mode(&dst, Data::from(&c), m.mode);
                    let _ = ctx.chown(&dst, Some(uid), Some(gid), false);
                }
            }
        }
    }
    Ok(())
}

fn useradd(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "ugGsdcepfkKbR",
        &[
            "uid",
            "gid",
            "groups",
            "shell",
            "home-dir",
            "comment",
            "expiredate",
            "password",
            "inactive",
            "skel",
            "key",
            "base-dir",
            "root",
        ],
    );
    let Some(name) = o.operands.first().cloned() else {
        ctx.err(b"Usage: useradd [options] LOGIN\n")?;
        return Ok(2);
    };
    let system = o.has(&["r", "system"]);
    let u = NewUser {
        name,
        uid: o.value(&["u", "uid"]).and_then(|v| v.parse().ok()),
        group: o.value(&["g", "gid"]).map(str::to_string),
        groups: o
            .value(&["G", "groups"])
            .map(|g| {
                g.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        home: o.value(&["d", "home-dir"]).map(str::to_string),
        shell: o.value(&["s", "shell"]).unwrap_or("/bin/sh").to_string(),
        gecos: o.value(&["c", "comment"]).unwrap_or("").to_string(),
        system,
        create_home: o.has(&["m", "create-home"]) && !o.has(&["M", "no-create-home"]),
        user_group: !o.has(&["N", "no-user-group"]) && o.value(&["g", "gid"]).is_none(),
        busybox_ids: false,
        password: o.value(&["p", "password"]).unwrap_or("!").to_string(),
    };
    add_user(ctx, u, "useradd")
}

fn adduser(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if ctx.busybox() {
        // BusyBox: adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GRP] [-S] [-D] [-H] [-u UID] [-k SKEL] USER [GROUP]
        let o = Opts::parse(&argv[1..], "hgsGuk", &[]);
        let mut ops = o.operands.clone();
        if ops.is_empty() {
            ctx.err(b"Usage: adduser [OPTIONS] USER [GROUP]\n")?;
            return Ok(1);
        }
        let name = ops.remove(0);
        if let Some(group) = ops.first() {
            // `adduser USER GROUP`: add an existing user to a group
            if ctx.passwd_entry(&name).is_some() {
                return Ok(i32::from(!add_member(ctx, group, &name)?));
            }
        }
        let system = o.has(&["S"]);
        let u = NewUser {
            name: name.clone(),
            uid: o.value(&["u"]).and_then(|v| v.parse().ok()),
            group: o.value(&["G"]).map(str::to_string),
            groups: Vec::new(),
            home: o.value(&["h"]).map(str::to_string),
            shell: o
                .value(&["s"])
                .unwrap_or(if system { "/sbin/nologin" } else { "/bin/sh" })
                .to_string(),
            gecos: o.value(&["g"]).unwrap_or("Linux User,,,").to_string(),
            system,
            create_home: !o.has(&["H"]),
            user_group: o.value(&["G"]).is_none(),
            busybox_ids: true,
            password: "!".to_string(),
        };
        return add_user(ctx, u, "adduser-busybox");
    }
    // Debian adduser
    let o = Opts::parse(
        &argv[1..],
        "",
        &[
            "uid",
            "gid",
            "home",
            "shell",
            "gecos",
            "ingroup",
            "firstuid",
            "lastuid",
            "comment",
            "conf",
            "add_extra_groups",
        ],
    );
    let mut ops = o.operands.clone();
    if ops.is_empty() {
        ctx.error("Only one or two names allowed.")?;
        return Ok(1);
    }
    let name = ops.remove(0);
    if let Some(group) = ops.first() {
        if ctx.passwd_entry(&name).is_some() {
            ctx.out_str(&format!(
                "Adding user `{name}' to group `{group}' ...\nDone.\n"
            ))?;
            return Ok(i32::from(!add_member(ctx, group, &name)?));
        }
    }
    let system = o.has(&["system"]);
    let group_flag = o.has(&["group"]);
    if group_flag && !system {
        // `adduser --group NAME` = addgroup
        return Ok(
            match add_group(
                ctx,
                &name,
                o.value(&["gid"]).and_then(|v| v.parse().ok()),
                false,
                false,
            )? {
                Ok(_) => 0,
                Err(c) => c,
            },
        );
    }
    let ingroup = o
        .value(&["ingroup"])
        .map(str::to_string)
        .or_else(|| o.value(&["gid"]).map(str::to_string));
    let u = NewUser {
        name: name.clone(),
        uid: o.value(&["uid"]).and_then(|v| v.parse().ok()),
        group: ingroup
            .clone()
            .or_else(|| (system && !group_flag).then(|| "nogroup".to_string())),
        groups: Vec::new(),
        home: o.value(&["home"]).map(str::to_string),
        shell: o
            .value(&["shell"])
            .unwrap_or(if system {
                "/usr/sbin/nologin"
            } else {
                "/bin/bash"
            })
            .to_string(),
        gecos: o
            .value(&["gecos", "comment"])
            .map(str::to_string)
            .unwrap_or_else(|| {
                if system {
                    String::new()
                } else {
                    ",,,".to_string()
                }
            }),
        system,
        create_home: !o.has(&["no-create-home"]) && (!system || o.value(&["home"]).is_some()),
        user_group: ingroup.is_none() && (!system || group_flag),
        busybox_ids: false,
        password: if o.has(&["disabled-password", "disabled-login"]) || system {
            "*".to_string()
        } else {
            "!".to_string()
        },
    };
    if !system && !o.has(&["quiet", "q"]) {
        ctx.out_str(&format!("Adding user `{name}' ...\n"))?;
    }
    add_user(ctx, u, "adduser")
}

fn groupadd(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "gKpR", &["gid", "key", "password", "root"]);
    let Some(name) = o.operands.first().cloned() else {
        ctx.err(b"Usage: groupadd [options] GROUP\n")?;
        return Ok(2);
    };
    let force = o.has(&["f", "force"]);
    match add_group(
        ctx,
        &name,
        o.value(&["g", "gid"]).and_then(|v| v.parse().ok()),
        o.has(&["r", "system"]),
        false,
    )? {
        Ok(_) => Ok(0),
        Err(9) if force => Ok(0),
        Err(9) => {
            ctx.error(&format!("group '{name}' already exists"))?;
            Ok(9)
        }
        Err(4) if force => Ok(
            match add_group(ctx, &name, None, o.has(&["r", "system"]), false)? {
                Ok(_) => 0,
                Err(c) => c,
            },
        ),
        Err(4) => {
            ctx.error(&format!(
                "GID '{}' already exists",
                o.value(&["g", "gid"]).unwrap_or("")
            ))?;
            Ok(4)
        }
        Err(c) => Ok(c),
    }
}

fn addgroup(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if ctx.busybox() {
        let o = Opts::parse(&argv[1..], "g", &[]);
        let ops = o.operands.clone();
        match ops.as_slice() {
            [user, group] => Ok(i32::from(!add_member(ctx, group, user)?)),
            [name] => match add_group(
                ctx,
                name,
                o.value(&["g"]).and_then(|v| v.parse().ok()),
                o.has(&["S"]),
                true,
            )? {
                Ok(_) => Ok(0),
                Err(9) => {
                    ctx.error(&format!("group '{name}' in use"))?;
                    Ok(1)
                }
                Err(_) => {
                    ctx.error(&format!("gid '{}' in use", o.value(&["g"]).unwrap_or("")))?;
                    Ok(1)
                }
            },
            _ => {
                ctx.err(b"Usage: addgroup [-g GID] [-S] [USER] GROUP\n")?;
                Ok(1)
            }
        }
    } else {
        let o = Opts::parse(&argv[1..], "", &["gid", "conf"]);
        let ops = o.operands.clone();
        match ops.as_slice() {
            [user, group] => Ok(i32::from(!add_member(ctx, group, user)?)),
            [name] => match add_group(
                ctx,
                name,
                o.value(&["gid"]).and_then(|v| v.parse().ok()),
                o.has(&["system"]),
                false,
            )? {
                Ok(_) => Ok(0),
                Err(9) if o.has(&["system"]) => Ok(0),
                Err(9) => {
                    ctx.error(&format!("The group `{name}' already exists."))?;
                    Ok(1)
                }
                Err(c) => Ok(c),
            },
            _ => {
                ctx.error("Only one or two names allowed.")?;
                Ok(1)
            }
        }
    }
}

fn usermod(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "ugGsdcleLpR",
        &[
            "uid",
            "gid",
            "groups",
            "shell",
            "home",
            "comment",
            "login",
            "expiredate",
            "password",
            "root",
        ],
    );
    let Some(name) = o.operands.first().cloned() else {
        ctx.err(b"Usage: usermod [options] LOGIN\n")?;
        return Ok(2);
    };
    let mut passwd = read_db(ctx, "/etc/passwd");
    let Some(idx) = passwd.iter().position(|p| p.first() == Some(&name)) else {
        ctx.error(&format!("user '{name}' does not exist"))?;
        return Ok(6);
    };
    let gid = match o.value(&["g", "gid"]) {
        Some(g) => match ctx.group_entry(g) {
            Some(e) => Some(e.1),
            None => {
                ctx.error(&format!("group '{g}' does not exist"))?;
                return Ok(6);
            }
        },
        None => None,
    };
    let row = &mut passwd[idx];
    while row.len() < 7 {
        row.push(String::new());
    }
    if let Some(u) = o.value(&["u", "uid"]) {
        row[2] = u.to_string();
    }
    if let Some(g) = gid {
        row[3] = g.to_string();
    }
    if let Some(c) = o.value(&["c", "comment"]) {
        row[4] = c.to_string();
    }
    let old_home = row[5].clone();
    if let Some(d) = o.value(&["d", "home"]) {
        row[5] = d.to_string();
    }
    if let Some(s) = o.value(&["s", "shell"]) {
        row[6] = s.to_string();
    }
    if let Some(l) = o.value(&["l", "login"]) {
        row[0] = l.to_string();
    }
    let (new_home, uid) = (row[5].clone(), row[2].parse::<u32>().ok());
    if !write_db(ctx, "/etc/passwd", &passwd)? {
        return Ok(1);
    }
    if o.has(&["m", "move-home"]) && new_home != old_home && ctx.stat(&old_home).is_ok() {
        let _ = ctx.rename(&old_home, &new_home);
    }
    if let Some(gs) = o.value(&["G", "groups"]).map(str::to_string) {
        let append = o.has(&["a", "append"]);
        if !append {
            let mut groups = read_db(ctx, "/etc/group");
            for g in groups.iter_mut() {
                if let Some(m) = g.get_mut(3) {
                    let members: Vec<&str> = m
                        .split(',')
                        .filter(|x| !x.is_empty() && *x != name)
                        .collect();
                    *m = members.join(",");
                }
            }
            write_db(ctx, "/etc/group", &groups)?;
        }
        for g in gs.split(',').filter(|s| !s.is_empty()) {
            if !add_member(ctx, g, &name)? {
                ctx.error(&format!("group '{g}' does not exist"))?;
                return Ok(6);
            }
        }
    }
    let _ = uid;
    Ok(0)
}

fn userdel(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let Some(name) = o.operands.first().cloned() else {
        ctx.err(b"Usage: userdel [options] LOGIN\n")?;
        return Ok(2);
    };
    if ctx.name() == "deluser" && o.operands.len() == 2 {
        // deluser USER GROUP: remove from group
        let group = o.operands[1].clone();
        let mut groups = read_db(ctx, "/etc/group");
        for g in groups.iter_mut().filter(|g| g.first() == Some(&group)) {
            if let Some(m) = g.get_mut(3) {
                let members: Vec<&str> = m
                    .split(',')
                    .filter(|x| !x.is_empty() && *x != name)
                    .collect();
                *m = members.join(",");
            }
        }
        write_db(ctx, "/etc/group", &groups)?;
        return Ok(0);
    }
    let mut passwd = read_db(ctx, "/etc/passwd");
    let Some(idx) = passwd.iter().position(|p| p.first() == Some(&name)) else {
        ctx.error(&format!("user '{name}' does not exist"))?;
        return Ok(6);
    };
    let home = passwd[idx].get(5).cloned().unwrap_or_default();
    passwd.remove(idx);
    write_db(ctx, "/etc/passwd", &passwd)?;
    if exists(ctx, "/etc/shadow") {
        let mut sh = read_db(ctx, "/etc/shadow");
        sh.retain(|r| r.first() != Some(&name));
        write_db(ctx, "/etc/shadow", &sh)?;
    }
    let mut groups = read_db(ctx, "/etc/group");
    groups.retain(|g| g.first() != Some(&name));
    for g in groups.iter_mut() {
        if let Some(m) = g.get_mut(3) {
            let members: Vec<&str> = m
                .split(',')
                .filter(|x| !x.is_empty() && *x != name)
                .collect();
            *m = members.join(",");
        }
    }
    write_db(ctx, "/etc/group", &groups)?;
    if o.has(&["r", "remove", "remove-home"]) && !home.is_empty() && home != "/" {
        let _ = ctx.remove_tree(&home);
    }
    Ok(0)
}

fn groupdel(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let Some(name) = argv.get(1).cloned() else {
        ctx.err(b"Usage: groupdel GROUP\n")?;
        return Ok(2);
    };
    let mut groups = read_db(ctx, "/etc/group");
    let before = groups.len();
    groups.retain(|g| g.first() != Some(&name));
    if groups.len() == before {
        ctx.error(&format!("group '{name}' does not exist"))?;
        return Ok(6);
    }
    write_db(ctx, "/etc/group", &groups)?;
    Ok(0)
}

fn getent(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let Some(db) = argv.get(1).cloned() else {
        ctx.err(b"Usage: getent [OPTION...] database [key ...]\n")?;
        return Ok(1);
    };
    let path = match db.as_str() {
        "passwd" => "/etc/passwd",
        "group" => "/etc/group",
        "shadow" => "/etc/shadow",
        "hosts" => {
            let key = argv.get(2).cloned().unwrap_or_default();
            if key == "localhost" || key.is_empty() {
                ctx.out_str("127.0.0.1       localhost\n")?;
                return Ok(0);
            }
            ctx.not_simulated("`getent hosts` for names other than localhost (no network)");
            return Ok(2);
        }
        "services" | "protocols" | "networks" | "ahosts" | "ahostsv4" => {
            ctx.not_simulated(&format!("`getent {db}` is not simulated"));
            return Ok(2);
        }
        _ => {
            ctx.error(&format!("Unknown database: {db}"))?;
            return Ok(1);
        }
    };
    let rows = read_db(ctx, path);
    let keys = &argv[2..];
    let mut out = String::new();
    let mut found_all = true;
    if keys.is_empty() {
        for r in &rows {
            out.push_str(&r.join(":"));
            out.push('\n');
        }
    } else {
        for k in keys {
            match rows
                .iter()
                .find(|r| r.first() == Some(k) || (db != "shadow" && r.get(2) == Some(k)))
            {
                Some(r) => {
                    out.push_str(&r.join(":"));
                    out.push('\n');
                }
                None => found_all = false,
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(if found_all { 0 } else { 2 })
}
