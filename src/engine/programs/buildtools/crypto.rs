//! `openssl` and `ssh-keygen`. Digests (`openssl dgst`, `openssl sha256 …`) and random
//! output (`openssl rand`) are computed for real (randomness is the interpreter's
//! deterministic generator). Keys and certificates (`genrsa`, `genpkey`, `req`, `dhparam`,
//! `ssh-keygen`) are files with the real shape and a typical size — PEM/OpenSSH
//! armour, base64 body, public keys with a well-formed blob and a real fingerprint and
//! randomart of that blob — but their bytes are not a usable key, which is flagged.

use crate::engine::shell::fs::{Content, Data};
use crate::engine::shell::programs::hash::digest;
use crate::engine::shell::programs::text::base64_encode;
use crate::engine::shell::programs::{PResult, ProgResult, ProgramCtx, Registry};
use sha2::Digest;

const OPENSSL_VERSION: &str = "OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)";

pub fn register(registry: &mut Registry) {
    registry.register("openssl", run_openssl);
    registry.register("ssh-keygen", run_ssh_keygen);
}

fn random_bytes(ctx: &mut ProgramCtx<'_, '_>, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend_from_slice(&ctx.random().to_le_bytes());
    }
    out.truncate(n);
    out
}

/// PEM armour around `der_len` pseudo-random bytes (64-column base64).
fn pem(ctx: &mut ProgramCtx<'_, '_>, label: &str, der_len: usize) -> String {
    let body = base64_encode(&random_bytes(ctx, der_len));
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// DER size of a PKCS#8 RSA private key with `bits` bits.
fn rsa_key_der(bits: usize) -> usize {
    match bits {
        1024 => 634,
        2048 => 1217,
        3072 => 1793,
        4096 => 2375,
        b => b * 1217 / 2048,
    }
}

fn write_file(ctx: &mut ProgramCtx<'_, '_>, path: &str, text: &str, mode: u32) -> PResult<bool> {
    match ctx.write_mode(path, Data::Bytes(text.as_bytes()), mode) {
        Ok(()) => Ok(true),
        Err(e) => {
            ctx.err(format!("{path}: {e}\n").as_bytes())?;
            Ok(false)
        }
    }
}

fn flag_value<'a>(args: &'a [&'a str], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| *a == name)
        .and_then(|p| args.get(p + 1))
        .copied()
}

/// The key size given as the last numeric argument (`genrsa 4096`, `dhparam 2048`),
/// capped so a stand-in stays small.
fn trailing_bits(args: &[&str]) -> usize {
    args.iter()
        .rev()
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(2048)
        .min(16384)
}

/// Writes a stand-in PEM to `-out` (else stdout) and says what it stands in for.
fn emit_pem(
    ctx: &mut ProgramCtx<'_, '_>,
    args: &[&str],
    text: &str,
    mode: u32,
    approximation: &str,
) -> ProgResult {
    match flag_value(args, "-out") {
        Some(out) => {
            if !write_file(ctx, out, text, mode)? {
                return Ok(1);
            }
        }
        None => ctx.out_str(text)?,
    }
    ctx.approximated(approximation);
    Ok(0)
}

/// A stand-in private key of `der_len` bytes, written like [`emit_pem`] (owner-only).
fn emit_private_key(ctx: &mut ProgramCtx<'_, '_>, args: &[&str], der_len: usize) -> ProgResult {
    let text = pem(ctx, "PRIVATE KEY", der_len);
    emit_pem(
        ctx,
        args,
        &text,
        0o600,
        "the key is a stand-in with the real PEM shape and size, not a usable key",
    )
}

fn run_openssl(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "openssl") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let Some(&sub) = args.first() else {
        ctx.not_simulated("the interactive openssl prompt is not simulated");
        return Ok(0);
    };
    let rest = &args[1..];
    match sub {
        "version" => {
            ctx.out_str(&format!("{OPENSSL_VERSION}\n"))?;
            Ok(0)
        }
        "rand" => openssl_rand(ctx, rest),
        "dgst" | "sha1" | "sha256" | "sha384" | "sha512" | "sha224" | "md5" => {
            openssl_dgst(ctx, sub, rest)
        }
        "genrsa" => emit_private_key(ctx, rest, rsa_key_der(trailing_bits(rest))),
        "genpkey" => {
            let algorithm = flag_value(rest, "-algorithm")
                .unwrap_or("RSA")
                .to_ascii_uppercase();
            let der = match algorithm.as_str() {
                "ED25519" | "X25519" => 48,
                "EC" => 138,
                _ => rsa_key_der(
                    rest.iter()
                        .find_map(|a| a.strip_prefix("rsa_keygen_bits:"))
                        .and_then(|b| b.parse().ok())
                        .unwrap_or(2048),
                ),
            };
            emit_private_key(ctx, rest, der)
        }
        "req" => {
            if let Some(spec) = flag_value(rest, "-newkey") {
                let bits = spec
                    .strip_prefix("rsa:")
                    .and_then(|b| b.parse().ok())
                    .unwrap_or(2048usize)
                    .min(16384);
                let key = pem(ctx, "PRIVATE KEY", rsa_key_der(bits));
                let key_out = flag_value(rest, "-keyout").unwrap_or("privkey.pem");
                if !write_file(ctx, key_out, &key, 0o600)? {
                    return Ok(1);
                }
            }
            let x509 = rest.contains(&"-x509");
            let label = if x509 {
                "CERTIFICATE"
            } else {
                "CERTIFICATE REQUEST"
            };
            let subject = flag_value(rest, "-subj").unwrap_or("");
            let der = if x509 { 765 } else { 600 } + subject.len() * 2;
            let text = pem(ctx, label, der);
            emit_pem(
                ctx,
                rest,
                &text,
                0o644,
                "the certificate and key are stand-ins with the real PEM shape and size, not usable ones",
            )
        }
        "dhparam" => {
            let bits = trailing_bits(rest);
            let text = pem(ctx, "DH PARAMETERS", bits / 8 + 8);
            emit_pem(
                ctx,
                rest,
                &text,
                0o644,
                "the parameters are a stand-in with the real PEM shape and size",
            )
        }
        s if s.starts_with('-') => {
            ctx.err(format!("Invalid command '{s}'; type \"help\" for a list.\n").as_bytes())?;
            Ok(1)
        }
        "x509" | "verify" | "s_client" | "enc" | "pkcs12" | "rsa" | "ec" | "base64" | "ca"
        | "crl" | "pkey" | "passwd" | "list" | "speed" | "ciphers" | "x509v3" | "help" => {
            ctx.not_simulated(&format!("`openssl {sub}` is not simulated"));
            Ok(0)
        }
        s => {
            ctx.err(format!("Invalid command '{s}'; type \"help\" for a list.\n").as_bytes())?;
            Ok(1)
        }
    }
}

fn openssl_rand(ctx: &mut ProgramCtx<'_, '_>, args: &[&str]) -> ProgResult {
    let hex = args.contains(&"-hex");
    let b64 = args.contains(&"-base64");
    let out = flag_value(args, "-out");
    let Some(n) = args.iter().rev().find_map(|a| a.parse::<usize>().ok()) else {
        ctx.err(b"rand: Use -help for summary.\n")?;
        return Ok(1);
    };
    let n = n.min(1 << 20);
    ctx.steps(1 + n as u64 / 4096)?;
    let bytes = random_bytes(ctx, n);
    let data: Vec<u8> = if hex {
        let mut s = crate::text::hex(&bytes);
        s.push('\n');
        s.into_bytes()
    } else if b64 {
        let body = base64_encode(&bytes);
        let mut s = String::new();
        for chunk in body.as_bytes().chunks(64) {
            s.push_str(&String::from_utf8_lossy(chunk));
            s.push('\n');
        }
        s.into_bytes()
    } else {
        bytes
    };
    match out {
        Some(path) => {
            if let Err(e) = ctx.write(path, Data::Bytes(&data)) {
                ctx.err(format!("{path}: {e}\n").as_bytes())?;
                return Ok(1);
            }
        }
        None => ctx.out(&data)?,
    }
    Ok(0)
}

fn openssl_dgst(ctx: &mut ProgramCtx<'_, '_>, sub: &str, args: &[&str]) -> ProgResult {
    let mut algorithm = if sub == "dgst" { "sha256" } else { sub }.to_string();
    let mut coreutils = false;
    let mut files = Vec::new();
    for a in args {
        match *a {
            "-r" => coreutils = true,
            "-hex" => {}
            s if s.starts_with('-') => algorithm = s[1..].to_string(),
            s => files.push(s.to_string()),
        }
    }
    let (program, label) = match algorithm.as_str() {
        "sha1" => ("sha1sum", "SHA1"),
        "sha224" => ("sha224sum", "SHA2-224"),
        "sha256" => ("sha256sum", "SHA2-256"),
        "sha384" => ("sha384sum", "SHA2-384"),
        "sha512" => ("sha512sum", "SHA2-512"),
        "md5" => ("md5sum", "MD5"),
        other => {
            ctx.not_simulated(&format!("digest `{other}` is not simulated"));
            return Ok(0);
        }
    };
    let inputs: Vec<(String, Option<Vec<u8>>)> = if files.is_empty() {
        let data = ctx.stdin();
        let known = data.is_known().then_some(data.bytes);
        vec![("stdin".to_string(), known)]
    } else {
        let mut v = Vec::new();
        for f in &files {
            match ctx.read(f) {
                Ok(Content::Bytes(b)) => v.push((f.clone(), Some(b))),
                Ok(Content::Unknown { .. }) => v.push((f.clone(), None)),
                Err(e) => {
                    ctx.err(
                        format!("Could not open file or uri for loading {f}: {e}\n").as_bytes(),
                    )?;
                    return Ok(1);
                }
            }
        }
        v
    };
    for (name, data) in inputs {
        let hex = match data {
            Some(bytes) => digest(program, &bytes),
            None => {
                ctx.approximated(&format!(
                    "{name}'s content is not known, so its digest is a placeholder"
                ));
                digest(program, name.as_bytes())
            }
        };
        let line = if coreutils {
            format!("{hex} *{name}\n")
        } else {
            format!("{label}({name})= {hex}\n")
        };
        ctx.out_str(&line)?;
    }
    Ok(0)
}

// ---------------------------------------------------------------- ssh-keygen

fn ssh_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The public key blob of a key type, with pseudo-random key material.
fn public_blob(ctx: &mut ProgramCtx<'_, '_>, kind: &str, bits: usize) -> (String, Vec<u8>) {
    let mut blob = Vec::new();
    match kind {
        "rsa" => {
            let name = "ssh-rsa";
            ssh_string(&mut blob, name.as_bytes());
            ssh_string(&mut blob, &[1, 0, 1]);
            let mut modulus = vec![0u8];
            let mut m = random_bytes(ctx, bits / 8);
            if let Some(first) = m.first_mut() {
                *first |= 0x80;
            }
            modulus.append(&mut m);
            ssh_string(&mut blob, &modulus);
            (name.to_string(), blob)
        }
        "ecdsa" => {
            let name = "ecdsa-sha2-nistp256";
            ssh_string(&mut blob, name.as_bytes());
            ssh_string(&mut blob, b"nistp256");
            let mut point = vec![4u8];
            point.extend(random_bytes(ctx, 64));
            ssh_string(&mut blob, &point);
            (name.to_string(), blob)
        }
        _ => {
            let name = "ssh-ed25519";
            ssh_string(&mut blob, name.as_bytes());
            let key = random_bytes(ctx, 32);
            ssh_string(&mut blob, &key);
            (name.to_string(), blob)
        }
    }
}

/// OpenSSH's "drunken bishop" picture of a fingerprint.
fn randomart(title: &str, digest_bytes: &[u8]) -> String {
    const W: usize = 17;
    const H: usize = 9;
    const SYMBOLS: &[u8] = b" .o+=*BOX@%&#/^SE";
    let mut field = [[0u8; W]; H];
    let (mut x, mut y) = (W / 2, H / 2);
    let max = (SYMBOLS.len() - 3) as u8;
    for &byte in digest_bytes {
        let mut b = byte;
        for _ in 0..4 {
            x = if b & 1 != 0 {
                (x + 1).min(W - 1)
            } else {
                x.saturating_sub(1)
            };
            y = if b & 2 != 0 {
                (y + 1).min(H - 1)
            } else {
                y.saturating_sub(1)
            };
            if field[y][x] < max {
                field[y][x] += 1;
            }
            b >>= 2;
        }
    }
    let border = |label: &str| {
        let left = (W.saturating_sub(label.len())) / 2;
        let right = W.saturating_sub(label.len() + left);
        format!("+{}{label}{}+\n", "-".repeat(left), "-".repeat(right))
    };
    let mut out = border(title);
    for (row, cells) in field.iter().enumerate() {
        out.push('|');
        for (col, &n) in cells.iter().enumerate() {
            let c = if (col, row) == (W / 2, H / 2) {
                b'S'
            } else if (col, row) == (x, y) {
                b'E'
            } else {
                SYMBOLS[n as usize]
            };
            out.push(c as char);
        }
        out.push_str("|\n");
    }
    out.push_str(&border("[SHA256]"));
    out
}

struct KeySpec {
    kind: String,
    bits: usize,
    path: String,
    comment: String,
}

/// Writes a key pair; returns the fingerprint line and randomart.
fn write_key(
    ctx: &mut ProgramCtx<'_, '_>,
    spec: &KeySpec,
) -> PResult<Result<(String, String), String>> {
    let (name, blob) = public_blob(ctx, &spec.kind, spec.bits);
    let private_len = match spec.kind.as_str() {
        "rsa" => spec.bits * 1876 / 3072,
        "ecdsa" => 380,
        _ => 290,
    } + spec.comment.len();
    let private = pem(ctx, "OPENSSH PRIVATE KEY", private_len);
    // OpenSSH wraps the private key at 70 columns.
    let body: String = private
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut text = "-----BEGIN OPENSSH PRIVATE KEY-----\n".to_string();
    for chunk in body.as_bytes().chunks(70) {
        text.push_str(&String::from_utf8_lossy(chunk));
        text.push('\n');
    }
    text.push_str("-----END OPENSSH PRIVATE KEY-----\n");
    let public = format!("{name} {} {}\n", base64_encode(&blob), spec.comment);
    if let Err(e) = ctx.write_mode(&spec.path, Data::Bytes(text.as_bytes()), 0o600) {
        return Ok(Err(format!("Saving key \"{}\" failed: {e}", spec.path)));
    }
    let _ = ctx.write_mode(
        &format!("{}.pub", spec.path),
        Data::Bytes(public.as_bytes()),
        0o644,
    );
    let hash = sha2::Sha256::digest(&blob);
    let fingerprint = base64_encode(&hash).trim_end_matches('=').to_string();
    let label = match spec.kind.as_str() {
        "rsa" => "RSA",
        "ecdsa" => "ECDSA",
        _ => "ED25519",
    };
    let bits = match spec.kind.as_str() {
        "rsa" => spec.bits,
        _ => 256,
    };
    Ok(Ok((
        format!("SHA256:{fingerprint} {}", spec.comment),
        randomart(&format!("[{label} {bits}]"), &hash),
    )))
}

fn run_ssh_keygen(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "ssh-keygen") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let quiet = args
        .iter()
        .any(|a| a.starts_with('-') && a.contains('q') && a.len() <= 3);
    if args.contains(&"-A") {
        let mut made = Vec::new();
        for (kind, label, bits) in [
            ("rsa", "RSA", 3072),
            ("ecdsa", "ECDSA", 256),
            ("ed25519", "ED25519", 256),
        ] {
            let path = format!("/etc/ssh/ssh_host_{kind}_key");
            if ctx.stat(&path).is_ok() {
                continue;
            }
            let spec = KeySpec {
                kind: kind.to_string(),
                bits,
                path,
                comment: format!("root@{}", ctx.hostname()),
            };
            if let Err(msg) = write_key(ctx, &spec)? {
                ctx.err(format!("{msg}\n").as_bytes())?;
                return Ok(1);
            }
            made.push(label);
        }
        if !made.is_empty() && !quiet {
            ctx.out_str(&format!(
                "ssh-keygen: generating new host keys: {} \n",
                made.join(" ")
            ))?;
        }
        ctx.approximated("the host keys are stand-ins with the real shape, not usable keys");
        return Ok(0);
    }
    if args.iter().any(|a| {
        matches!(
            *a,
            "-l" | "-y" | "-R" | "-F" | "-p" | "-c" | "-e" | "-i" | "-s" | "-L"
        )
    }) {
        ctx.not_simulated("only key generation (`ssh-keygen -t … -f …`, `-A`) is simulated");
        return Ok(0);
    }
    let kind = flag_value(&args, "-t")
        .unwrap_or("ed25519")
        .to_ascii_lowercase();
    let kind = match kind.as_str() {
        "rsa" | "ecdsa" | "ed25519" => kind,
        "dsa" => "rsa".to_string(),
        other => {
            ctx.err(format!("unknown key type {other}\n").as_bytes())?;
            return Ok(1);
        }
    };
    let bits = flag_value(&args, "-b")
        .and_then(|b| b.parse().ok())
        .unwrap_or(if kind == "rsa" { 3072 } else { 256 })
        .clamp(256, 16384);
    let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
    let default_path = format!("{home}/.ssh/id_{kind}");
    let path = flag_value(&args, "-f")
        .map(|p| ctx.abs(p))
        .unwrap_or_else(|| default_path.clone());
    let comment = flag_value(&args, "-C")
        .map(str::to_string)
        .unwrap_or_else(|| format!("root@{}", ctx.hostname()));
    if !args.contains(&"-N") {
        ctx.not_simulated("ssh-keygen asks for a passphrase without -N; only -N is simulated");
        return Ok(0);
    }
    let label = match kind.as_str() {
        "rsa" => "rsa",
        "ecdsa" => "ecdsa",
        _ => "ed25519",
    };
    if !quiet {
        ctx.out_str(&format!("Generating public/private {label} key pair.\n"))?;
    }
    if path == default_path && ctx.stat(&format!("{home}/.ssh")).is_err() {
        let _ = ctx.mkdir(&format!("{home}/.ssh"), 0o700);
        if !quiet {
            ctx.out_str(&format!("Created directory '{home}/.ssh'.\n"))?;
        }
    }
    let spec = KeySpec {
        kind,
        bits,
        path: path.clone(),
        comment,
    };
    let (fingerprint, art) = match write_key(ctx, &spec)? {
        Ok(x) => x,
        Err(msg) => {
            ctx.err(format!("{msg}\n").as_bytes())?;
            return Ok(1);
        }
    };
    if !quiet {
        ctx.out_str(&format!(
            "Your identification has been saved in {path}\nYour public key has been saved in {path}.pub\nThe key fingerprint is:\n{fingerprint}\nThe key's randomart image is:\n{art}"
        ))?;
    }
    ctx.approximated("the key pair is a stand-in with the real shape (a well-formed public key), not a usable key");
    Ok(0)
}
