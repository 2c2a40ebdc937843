//! Checksums: `sha256sum`, `sha512sum`, `sha384sum`, `sha224sum`, `sha1sum`, `md5sum`,
//! with `-c` checking. Real digests of known content; files of unknown content (downloads)
//! cannot be hashed, so checks against them pass and are reported as approximated.

use super::{Opts, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::Content;
use crate::text::hex;
use sha2::Digest;

pub fn register(r: &mut Registry) {
    for name in [
        "sha256sum",
        "sha512sum",
        "sha384sum",
        "sha224sum",
        "sha1sum",
        "md5sum",
    ] {
        r.register(name, checksum);
    }
}

/// The digest of `data` with the algorithm a program name implies.
pub fn digest(program: &str, data: &[u8]) -> String {
    match program {
        "sha512sum" => hex(&sha2::Sha512::digest(data)),
        "sha384sum" => hex(&sha2::Sha384::digest(data)),
        "sha224sum" => hex(&sha2::Sha224::digest(data)),
        "sha1sum" => hex(&sha1(data)),
        "md5sum" => hex(&md5(data)),
        _ => hex(&sha2::Sha256::digest(data)),
    }
}

fn checksum(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let check = o.has(&["c", "check"]);
    let quiet = o.has(&["quiet"]);
    let status_only = o.has(&["s", "status"]);
    let name = ctx.name().to_string();
    let mut files = o.operands.clone();
    if files.is_empty() {
        files.push("-".to_string());
    }
    if check {
        let mut failed = 0usize;
        let mut missing = 0usize;
        let mut out = String::new();
        for list in &files {
            let text = if list == "-" {
                String::from_utf8_lossy(&ctx.stdin().bytes).into_owned()
            } else {
                match ctx.read_text(list) {
                    Ok(Some(t)) => t,
                    _ => {
                        ctx.error(&format!("{list}: No such file or directory"))?;
                        return Ok(1);
                    }
                }
            };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let Some((expected, rest)) = line.split_once([' ', '\t']) else {
                    continue;
                };
                let file = rest
                    .trim_start_matches([' ', '\t'])
                    .trim_start_matches('*')
                    .to_string();
                let ok = match ctx.read(&file) {
                    Ok(Content::Bytes(b)) => {
                        digest(&name, &b).eq_ignore_ascii_case(expected.trim())
                    }
                    Ok(Content::Unknown { .. }) => {
                        ctx.approximated(&format!(
                            "`{name} -c`: {file} was downloaded without content, so its checksum is assumed to match"
                        ));
                        true
                    }
                    Err(e) => {
                        ctx.error(&format!("{file}: {e}"))?;
                        out.push_str(&format!("{file}: FAILED open or read\n"));
                        missing += 1;
                        continue;
                    }
                };
                if !ok {
                    failed += 1;
                }
                if (!ok || !quiet) && !status_only {
                    out.push_str(&format!("{file}: {}\n", if ok { "OK" } else { "FAILED" }));
                }
            }
        }
        ctx.out_str(&out)?;
        if missing > 0 && !status_only {
            let s = if missing == 1 { "" } else { "s" };
            ctx.error(&format!(
                "WARNING: {missing} listed file{s} could not be read"
            ))?;
        }
        if failed > 0 && !status_only {
            let (s, verb) = if failed == 1 {
                ("", "did")
            } else {
                ("s", "did")
            };
            ctx.error(&format!(
                "WARNING: {failed} computed checksum{s} {verb} NOT match"
            ))?;
        }
        return Ok(i32::from(failed > 0 || missing > 0));
    }
    let mut out = String::new();
    let mut status = 0;
    for f in &files {
        let content = if f == "-" {
            let d = ctx.stdin();
            if d.is_known() {
                Content::Bytes(d.bytes)
            } else {
                Content::Unknown { size: d.len() }
            }
        } else {
            match ctx.read(f) {
                Ok(c) => c,
                Err(e) => {
                    ctx.error(&format!("{f}: {e}"))?;
                    status = 1;
                    continue;
                }
            }
        };
        let d = match content {
            Content::Bytes(b) => digest(&name, &b),
            Content::Unknown { size } => {
                ctx.approximated(&format!("`{name}` of {f}: its content is not known, the digest shown is made up from its size"));
                digest(&name, format!("unknown:{f}:{size}").as_bytes())
            }
        };
        out.push_str(&format!("{d}  {f}\n"));
    }
    ctx.out_str(&out)?;
    Ok(status)
}

/// MD5 (RFC 1321).
pub fn md5(data: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let (mut a0, mut b0, mut c0, mut d0): (u32, u32, u32, u32) =
        (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476);
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_le_bytes());
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f2 = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f2.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    let mut out = [0u8; 16];
    for (i, v) in [a0, b0, c0, d0].iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    out
}

/// SHA-1 (FIPS 180-4).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"hello\n")), "b1946ac92492d2347c6235b4d2611184");
        assert_eq!(
            hex(&sha1(b"hello\n")),
            "f572d396fae9206628714fb2ce00f72e94f2258f"
        );
        assert_eq!(
            digest("sha256sum", b"hello\n"),
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
        );
    }
}
