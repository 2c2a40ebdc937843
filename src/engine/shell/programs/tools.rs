//! Tools official images call around their downloads and builds, simulated as far as
//! the playground can: `gpg` and friends (keyrings are created, signatures are assumed
//! good and reported as approximated), `dpkg --print-architecture`,
//! `dpkg-architecture`, `ldd` and `scanelf` (no library data: empty answers, reported),
//! `update-ca-certificates`, `locale-gen`, `rsync -a` (a copy).

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::Data;

pub fn register(r: &mut Registry) {
    r.register("gpg", gpg);
    r.register("gpg2", gpg);
    r.register("gpgv", gpg);
    r.register("gpgconf", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    r.register("gpg-agent", |_: &mut ProgramCtx<'_, '_>, _: &[String]| {
        Ok(0)
    });
    r.register("dirmngr", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    r.register("dpkg", dpkg);
    r.register("dpkg-architecture", dpkg_architecture);
    r.register("ldd", ldd);
    r.register("scanelf", ldd);
    r.register("update-ca-certificates", update_ca_certificates);
    r.register("locale-gen", locale_gen);
    r.register("rsync", rsync);
}

/// The machine the simulated build runs on.
const DEB_ARCH: &str = "amd64";
const GNU_TYPE: &str = "x86_64-linux-gnu";

fn gnupg_home(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> String {
    if let Some(i) = argv.iter().position(|a| a == "--homedir") {
        if let Some(h) = argv.get(i + 1) {
            return h.clone();
        }
    }
    ctx.env("GNUPGHOME").unwrap_or_else(|| {
        let home = ctx.env("HOME").unwrap_or_else(|| "/root".to_string());
        format!("{}/.gnupg", home.trim_end_matches('/'))
    })
}

fn ensure_keyring(ctx: &mut ProgramCtx<'_, '_>, home: &str) -> PResult<()> {
    if ctx.stat(home).is_err() {
        let _ = ctx.mkdir_p(home, 0o700);
        let _ = ctx.chmod(home, 0o700);
    }
    let ring = format!("{}/pubring.kbx", home.trim_end_matches('/'));
    if ctx.stat(&ring).is_err() {
        let _ = ctx.write_mode(&ring, Data::Unknown(3 << 10), 0o644);
        let trust = format!("{}/trustdb.gpg", home.trim_end_matches('/'));
        let _ = ctx.write_mode(&trust, Data::Unknown(1200), 0o600);
    }
    Ok(())
}

fn gpg(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "ourf",
        &[
            "keyserver",
            "recv-keys",
            "output",
            "homedir",
            "trust-model",
            "keyring",
            "default-key",
            "local-user",
            "recipient",
            "status-fd",
            "options",
            "keyserver-options",
        ],
    );
    let home = gnupg_home(ctx, argv);
    let has = |n: &str| argv.iter().any(|a| a == n);
    if has("--version") {
        ctx.out_str("gpg (GnuPG) 2.2.40\n")?;
        return Ok(0);
    }
    if has("--recv-keys")
        || has("--recv-key")
        || has("--import")
        || has("--fetch-keys")
        || o.value(&["keyserver"]).is_some()
    {
        ensure_keyring(ctx, &home)?;
        if has("--import") {
            let _ = ctx.stdin();
        }
        ctx.approximated(
            "`gpg` does not reach key servers in the playground: keys are assumed to be imported",
        );
        return Ok(0);
    }
    if has("--verify") || ctx.name() == "gpgv" {
        ensure_keyring(ctx, &home)?;
        ctx.approximated("`gpg --verify` cannot check signatures of simulated downloads: the signature is assumed to be good");
        return Ok(0);
    }
    if has("--fingerprint") || has("--list-keys") || has("-k") {
        ctx.approximated("`gpg` keyrings are not modelled: no keys are listed");
        return Ok(0);
    }
    if has("--export") || has("--dearmor") || has("--enarmor") || has("--decrypt") || has("-d") {
        let input = ctx.stdin();
        let size = if has("--export") {
            2 << 10
        } else {
            input.len().max(1 << 10)
        };
        ctx.approximated("`gpg` output is simulated as data of unknown content");
        match o.value(&["o", "output"]) {
            Some(path) => {
                let path = path.to_string();
                if let Err(e) = ctx.write(&path, Data::Unknown(size)) {
                    ctx.error(&format!("can't create '{path}': {e}"))?;
                    return Ok(2);
                }
            }
            None => ctx.out_unknown(size)?,
        }
        return Ok(0);
    }
    ctx.not_simulated(&format!(
        "`{}` with these options is not simulated",
        argv.join(" ")
    ));
    Ok(0)
}

fn dpkg(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    match argv.get(1).map(String::as_str) {
        Some("--print-architecture") => {
            ctx.out_str(&format!("{DEB_ARCH}\n"))?;
            Ok(0)
        }
        Some("--print-foreign-architectures") => Ok(0),
        Some("--add-architecture") | Some("--remove-architecture") => Ok(0),
        _ => {
            ctx.not_simulated("`dpkg` package operations are not simulated yet");
            Ok(0)
        }
    }
}

fn dpkg_architecture(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let vars = [
        ("DEB_BUILD_ARCH", DEB_ARCH),
        ("DEB_BUILD_ARCH_ABI", "base"),
        ("DEB_BUILD_ARCH_BITS", "64"),
        ("DEB_BUILD_ARCH_CPU", "amd64"),
        ("DEB_BUILD_ARCH_ENDIAN", "little"),
        ("DEB_BUILD_ARCH_LIBC", "gnu"),
        ("DEB_BUILD_ARCH_OS", "linux"),
        ("DEB_BUILD_GNU_CPU", "x86_64"),
        ("DEB_BUILD_GNU_SYSTEM", "linux-gnu"),
        ("DEB_BUILD_GNU_TYPE", GNU_TYPE),
        ("DEB_BUILD_MULTIARCH", GNU_TYPE),
        ("DEB_HOST_ARCH", DEB_ARCH),
        ("DEB_HOST_ARCH_ABI", "base"),
        ("DEB_HOST_ARCH_BITS", "64"),
        ("DEB_HOST_ARCH_CPU", "amd64"),
        ("DEB_HOST_ARCH_ENDIAN", "little"),
        ("DEB_HOST_ARCH_LIBC", "gnu"),
        ("DEB_HOST_ARCH_OS", "linux"),
        ("DEB_HOST_GNU_CPU", "x86_64"),
        ("DEB_HOST_GNU_SYSTEM", "linux-gnu"),
        ("DEB_HOST_GNU_TYPE", GNU_TYPE),
        ("DEB_HOST_MULTIARCH", GNU_TYPE),
        ("DEB_TARGET_ARCH", DEB_ARCH),
        ("DEB_TARGET_GNU_TYPE", GNU_TYPE),
        ("DEB_TARGET_MULTIARCH", GNU_TYPE),
    ];
    let mut query: Option<String> = None;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--query" || a == "-q" {
            query = argv.get(i + 1).cloned();
            i += 1;
        } else if let Some(v) = a.strip_prefix("--query=").or_else(|| a.strip_prefix("-q")) {
            query = Some(v.to_string());
        }
        i += 1;
    }
    match query {
        Some(q) => match vars.iter().find(|(k, _)| *k == q) {
            Some((_, v)) => {
                ctx.out_str(&format!("{v}\n"))?;
                Ok(0)
            }
            None => {
                ctx.error(&format!("error: unknown variable {q}"))?;
                Ok(2)
            }
        },
        None => {
            let out: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            ctx.out_str(&out)?;
            Ok(0)
        }
    }
}

fn ldd(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = ctx.name().to_string();
    ctx.approximated(&format!(
        "`{name}`: the shared libraries of simulated binaries are not known; nothing is listed"
    ));
    let _ = argv;
    Ok(0)
}

fn update_ca_certificates(ctx: &mut ProgramCtx<'_, '_>, _argv: &[String]) -> ProgResult {
    let _ = ctx.mkdir_p("/etc/ssl/certs", 0o755);
    if !ctx.busybox() {
        ctx.out_str("Updating certificates in /etc/ssl/certs...\n0 added, 0 removed; done.\nRunning hooks in /etc/ca-certificates/update.d...\ndone.\n")?;
    }
    Ok(0)
}

fn locale_gen(ctx: &mut ProgramCtx<'_, '_>, _argv: &[String]) -> ProgResult {
    ctx.approximated("`locale-gen`: locale data is not generated in the playground");
    ctx.out_str("Generating locales (this might take a while)...\nGeneration complete.\n")?;
    Ok(0)
}

fn rsync(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "e",
        &["exclude", "include", "rsh", "chown", "chmod"],
    );
    if o.operands.len() < 2 {
        ctx.usage("missing source or destination")?;
        return Ok(1);
    }
    if o.operands
        .iter()
        .any(|op| op.contains(':') && !op.starts_with('/'))
    {
        ctx.not_simulated("`rsync` to or from another host is not simulated");
        return Ok(0);
    }
    let mut ops = o.operands.clone();
    let dst = ops.pop().unwrap_or_default();
    let archive = o.has(&["a", "archive"]);
    let recursive = archive || o.has(&["r", "recursive"]);
    if o.has(&["delete"]) || !o.values(&["exclude"]).is_empty() {
        ctx.approximated(
            "`rsync` --delete/--exclude are not applied: the sources are copied as they are",
        );
    }
    // rsync SRC/ DST copies the contents; rsync SRC DST copies SRC into DST
    let mut cp_argv = vec!["cp".to_string()];
    if archive {
        cp_argv.push("-a".to_string());
    } else if recursive {
        cp_argv.push("-r".to_string());
    }
    let _ = ctx.mkdir_p(&dst, 0o777);
    let mut status = 0;
    for src in ops {
        let s = if src.ends_with('/') {
            format!("{src}.")
        } else {
            src.clone()
        };
        let mut a = cp_argv.clone();
        a.push(s);
        a.push(dst.clone());
        status = status.max(ctx.run(a)?);
    }
    Ok(status)
}
