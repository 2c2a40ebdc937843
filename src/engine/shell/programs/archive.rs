//! Archives and downloads: `tar` (create/extract/list, `-z`, `-C`, `--strip-components`,
//! `--exclude`, `-T`), `gzip`/`gunzip`/`zcat` (real deflate), `unzip`, and the network
//! tools `curl` and `wget`, which cannot download: they create a file of unknown content
//! (a size-only file) and report the effect as approximated.
//!
//! Invariants: archives whose content is unknown are never unpacked (the RUN reports
//! that); decompression is bounded by the file budget; tar headers follow ustar with
//! GNU long-name records, padded to 10 KiB records as GNU tar does.

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::{self, Content, Data, Metadata};
use crate::engine::shell::io::StreamData;
use crate::engine::shell::pattern::Pattern;

pub fn register(r: &mut Registry) {
    r.register("tar", tar);
    r.register("gzip", gzip);
    r.register("gunzip", gzip);
    r.register("zcat", gzip);
    r.register("unzip", unzip);
    for n in [
        "xz", "unxz", "xzcat", "bzip2", "bunzip2", "bzcat", "zstd", "unzstd", "lzma", "unlzma",
    ] {
        r.register(n, other_compressor);
    }
    r.register("curl", curl);
    r.register("wget", wget);
}

/// Largest decompressed stream we materialize.
const MAX_INFLATE: usize = 256 << 20;

// ---------------------------------------------------------------- gzip

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *t = c;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// A gzip member (`name` goes into the header as gzip does for files).
pub fn gzip_bytes(data: &[u8], level: u8, name: Option<&str>, mtime: u32) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, if name.is_some() { 8 } else { 0 }];
    out.extend_from_slice(&mtime.to_le_bytes());
    out.push(if level >= 9 {
        2
    } else if level <= 1 {
        4
    } else {
        0
    });
    out.push(3);
    if let Some(n) = name {
        out.extend_from_slice(n.as_bytes());
        out.push(0);
    }
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, level.min(10)));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Decodes (possibly concatenated) gzip members.
pub fn gunzip_bytes(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let d = &data[pos..];
        if d.len() < 18 || d[0] != 0x1f || d[1] != 0x8b {
            if pos > 0 {
                break; // trailing garbage is ignored with a warning by gzip
            }
            return Err("not in gzip format".to_string());
        }
        let flags = d[3];
        let mut i = 10;
        if flags & 4 != 0 {
            let xlen = u16::from_le_bytes([d[i], *d.get(i + 1).unwrap_or(&0)]) as usize;
            i += 2 + xlen;
        }
        for bit in [8u8, 16] {
            if flags & bit != 0 {
                while i < d.len() && d[i] != 0 {
                    i += 1;
                }
                i += 1;
            }
        }
        if flags & 2 != 0 {
            i += 2;
        }
        let body = d.get(i..).ok_or("unexpected end of file")?;
        let (decoded, used) = inflate_counting(body)?;
        if out.len() + decoded.len() > MAX_INFLATE {
            return Err("decompressed data too large for the playground".to_string());
        }
        out.extend_from_slice(&decoded);
        pos += i + used + 8;
    }
    Ok(out)
}

/// Inflates a raw deflate stream, returning the bytes and how many input bytes it used.
fn inflate_counting(body: &[u8]) -> Result<(Vec<u8>, usize), String> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut state = DecompressorOxide::new();
    let mut out = vec![0u8; body.len().saturating_mul(4).clamp(1024, MAX_INFLATE)];
    let mut in_pos = 0;
    let mut out_pos = 0;
    loop {
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, consumed, produced) =
            decompress(&mut state, &body[in_pos..], &mut out, out_pos, flags);
        in_pos += consumed;
        out_pos += produced;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok((out, in_pos));
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= MAX_INFLATE {
                    return Err("decompressed data too large for the playground".to_string());
                }
                let new_len = (out.len() * 2).min(MAX_INFLATE);
                out.resize(new_len, 0);
            }
            _ => return Err("invalid compressed data--format violated".to_string()),
        }
    }
}

fn gzip(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "S", &["suffix"]);
    let name = ctx.name().to_string();
    let decompress =
        o.has(&["d", "decompress", "uncompress"]) || name == "gunzip" || name == "zcat";
    let to_stdout = o.has(&["c", "stdout", "to-stdout"]) || name == "zcat";
    let keep = o.has(&["k", "keep"]) || to_stdout;
    let force = o.has(&["f", "force"]);
    let quiet = o.has(&["q", "quiet"]);
    let level = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        .iter()
        .rev()
        .find(|l| o.has(&[**l]))
        .and_then(|l| l.parse().ok())
        .unwrap_or(6u8);
    let suffix = o.value(&["S", "suffix"]).unwrap_or(".gz").to_string();
    let mtime = ctx.now() as u32;
    if o.operands.is_empty() || o.operands == ["-"] {
        let data = ctx.stdin();
        if !data.is_known() {
            ctx.approximated(&format!(
                "`{name}` on data of unknown content: the output is of unknown content too"
            ));
            let n = if decompress {
                data.len() * 3
            } else {
                data.len()
            };
            ctx.out_unknown(n)?;
            return Ok(0);
        }
        if decompress {
            match gunzip_bytes(&data.bytes) {
                Ok(b) => ctx.out(&b)?,
                Err(e) => {
                    ctx.error(&format!("stdin: {e}"))?;
                    return Ok(1);
                }
            }
        } else {
            let out = gzip_bytes(&data.bytes, level, None, 0);
            ctx.out(&out)?;
        }
        return Ok(0);
    }
    let mut status = 0;
    for f in &o.operands {
        let content = match ctx.read(f) {
            Ok(c) => c,
            Err(e) => {
                ctx.error(&format!("{f}: {e}"))?;
                status = 1;
                continue;
            }
        };
        let meta = ctx.stat(f).ok();
        if decompress && !f.ends_with(&suffix) && !f.ends_with(".tgz") && !to_stdout {
            if !quiet {
                ctx.error(&format!("{f}: unknown suffix -- ignored"))?;
            }
            status = 2;
            continue;
        }
        let target = if decompress {
            if let Some(base) = f.strip_suffix(".tgz") {
                format!("{base}.tar")
            } else {
                f[..f.len() - suffix.len()].to_string()
            }
        } else {
            format!("{f}{suffix}")
        };
        let produced: Result<Content, String> = match &content {
            Content::Bytes(b) => {
                if decompress {
                    gunzip_bytes(b).map(Content::Bytes)
                } else {
                    Ok(Content::Bytes(gzip_bytes(
                        b,
                        level,
                        Some(fs::file_name(f)),
                        mtime,
                    )))
                }
            }
            Content::Unknown { size } => {
                ctx.approximated(&format!("`{name}` on {f}, whose content is not known"));
                Ok(Content::Unknown {
                    size: if decompress {
                        size.saturating_mul(3)
                    } else {
                        *size
                    },
                })
            }
        };
        let produced = match produced {
            Ok(p) => p,
            Err(e) => {
                ctx.error(&format!("{f}: {e}"))?;
                status = 1;
                continue;
            }
        };
        if to_stdout {
            match &produced {
                Content::Bytes(b) => ctx.out(b)?,
                Content::Unknown { size } => ctx.out_unknown(*size)?,
            }
            continue;
        }
        if ctx.lstat(&target).is_ok() && !force {
            ctx.error(&format!("{target} already exists; not overwritten"))?;
            status = 2;
            continue;
        }
        if let Err(e) = ctx.write(&target, Data::from(&produced)) {
            ctx.error(&format!("{target}: {e}"))?;
            status = 1;
            continue;
        }
        if let Some(m) = meta {
            let _ = ctx.chmod(&target, m.mode);
            if ctx.uid() == 0 {
                let _ = ctx.chown(&target, Some(m.uid), Some(m.gid), true);
            }
        }
        if !keep {
            let _ = ctx.unlink(f);
        }
    }
    Ok(status)
}

fn other_compressor(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = ctx.name().to_string();
    let o = Opts::parse(&argv[1..], "T", &["threads"]);
    let decompress = o.has(&["d", "decompress"]) || name.starts_with("un") || name.ends_with("cat");
    let to_stdout = o.has(&["c", "stdout"]) || name.ends_with("cat");
    let keep = o.has(&["k", "keep"]);
    let ext = match name.trim_start_matches("un").trim_end_matches("cat") {
        "bzip2" | "bz" | "bunzip2" => ".bz2",
        "zstd" => ".zst",
        "lzma" => ".lzma",
        _ => ".xz",
    };
    ctx.approximated(&format!(
        "`{name}` is not implemented byte for byte: sizes are estimates and the content is unknown"
    ));
    if o.operands.is_empty() {
        let d = ctx.stdin();
        let n = if decompress {
            d.len().saturating_mul(4)
        } else {
            d.len() / 4 + 64
        };
        ctx.out_unknown(n)?;
        return Ok(0);
    }
    for f in &o.operands {
        let Ok(m) = ctx.stat(f) else {
            ctx.error(&format!("{f}: No such file or directory"))?;
            return Ok(1);
        };
        let n = if decompress {
            m.size.saturating_mul(4)
        } else {
            m.size / 4 + 64
        };
        if to_stdout {
            ctx.out_unknown(n)?;
            continue;
        }
        let target = if decompress {
            f.trim_end_matches(ext).to_string()
        } else {
            format!("{f}{ext}")
        };
        let _ = ctx.write(&target, Data::Unknown(n));
        if !keep {
            let _ = ctx.unlink(f);
        }
    }
    Ok(0)
}

// ---------------------------------------------------------------- tar format

/// One tar member (also read by the builder's `ADD` of a local archive).
#[derive(Debug, Clone)]
pub struct TarEntry {
    pub path: String,
    /// The tar type flag: `b'0'` file, `b'5'` directory, `b'2'` symlink, `b'1'` hard link.
    pub kind: u8,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub uname: String,
    pub gname: String,
    pub data: Option<Vec<u8>>,
    pub size: u64,
    pub link: String,
}

fn octal(field: &mut [u8], v: u64) {
    let w = field.len() - 1;
    let s = format!("{v:0w$o}");
    let b = s.as_bytes();
    let start = b.len().saturating_sub(w);
    field[..w].copy_from_slice(&b[start..]);
    field[w] = 0;
}

fn header(e: &TarEntry, name: &str, kind: u8, size: u64, mtime: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    let nb = name.as_bytes();
    let n = nb.len().min(100);
    h[..n].copy_from_slice(&nb[..n]);
    octal(&mut h[100..108], e.mode as u64 & 0o7777);
    octal(&mut h[108..116], e.uid as u64);
    octal(&mut h[116..124], e.gid as u64);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], mtime);
    h[156] = kind;
    let lb = e.link.as_bytes();
    let l = lb.len().min(100);
    h[157..157 + l].copy_from_slice(&lb[..l]);
    h[257..263].copy_from_slice(b"ustar ");
    h[263..265].copy_from_slice(b" \0");
    let ub = e.uname.as_bytes();
    h[265..265 + ub.len().min(32)].copy_from_slice(&ub[..ub.len().min(32)]);
    let gb = e.gname.as_bytes();
    h[297..297 + gb.len().min(32)].copy_from_slice(&gb[..gb.len().min(32)]);
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    h
}

/// Encodes entries as a GNU tar archive; `None` if some member has unknown content
/// (then only the size is meaningful).
fn tar_encode(entries: &[TarEntry], mtime: u64) -> (Option<Vec<u8>>, u64) {
    let mut out = Vec::new();
    let mut size = 0u64;
    let mut known = true;
    for e in entries {
        if e.path.len() > 100 {
            let long = TarEntry {
                path: "././@LongLink".into(),
                kind: b'L',
                mode: 0o644,
                uid: 0,
                gid: 0,
                uname: "root".into(),
                gname: "root".into(),
                data: None,
                size: 0,
                link: String::new(),
            };
            let name_bytes = format!("{}\0", e.path);
            out.extend_from_slice(&header(
                &long,
                "././@LongLink",
                b'L',
                name_bytes.len() as u64,
                0,
            ));
            out.extend_from_slice(name_bytes.as_bytes());
            pad(&mut out);
        }
        let body_size = if e.kind == b'0' { e.size } else { 0 };
        out.extend_from_slice(&header(e, &e.path, e.kind, body_size, mtime));
        if e.kind == b'0' {
            match &e.data {
                Some(d) if known => {
                    out.extend_from_slice(d);
                    pad(&mut out);
                }
                _ => {
                    known = false;
                    size += body_size.div_ceil(512) * 512;
                }
            }
        }
    }
    out.extend_from_slice(&[0u8; 1024]);
    let total = out.len() as u64 + size;
    let padded = total.div_ceil(10240) * 10240;
    if known {
        out.resize(padded as usize, 0);
        (Some(out), padded)
    } else {
        (None, padded)
    }
}

fn pad(out: &mut Vec<u8>) {
    while out.len() % 512 != 0 {
        out.push(0);
    }
}

fn parse_octal(b: &[u8]) -> u64 {
    let s: String = b
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as char)
        .collect();
    u64::from_str_radix(s.trim(), 8).unwrap_or(0)
}

fn cstr(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]).into_owned()
}

pub fn tar_decode(data: &[u8]) -> Result<Vec<TarEntry>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut long_name: Option<String> = None;
    let mut long_link: Option<String> = None;
    while pos + 512 <= data.len() {
        let h = &data[pos..pos + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = parse_octal(&h[124..136]);
        let kind = if h[156] == 0 { b'0' } else { h[156] };
        let body_start = pos + 512;
        let body_end = body_start + size as usize;
        if body_end > data.len() {
            return Err("Unexpected EOF in archive".to_string());
        }
        let body = &data[body_start..body_end];
        pos = body_start + (size as usize).div_ceil(512) * 512;
        match kind {
            b'L' => {
                long_name = Some(cstr(body));
                continue;
            }
            b'K' => {
                long_link = Some(cstr(body));
                continue;
            }
            b'x' | b'g' => continue,
            _ => {}
        }
        let mut name = cstr(&h[..100]);
        let prefix = if &h[257..262] == b"ustar" {
            cstr(&h[345..500])
        } else {
            String::new()
        };
        if !prefix.is_empty() && &h[257..263] == b"ustar\0" {
            name = format!("{prefix}/{name}");
        }
        let path = long_name.take().unwrap_or(name);
        out.push(TarEntry {
            path,
            kind,
            mode: parse_octal(&h[100..108]) as u32,
            uid: parse_octal(&h[108..116]) as u32,
            gid: parse_octal(&h[116..124]) as u32,
            uname: cstr(&h[265..297]),
            gname: cstr(&h[297..329]),
            data: (kind == b'0' || kind == b'7').then(|| body.to_vec()),
            size,
            link: long_link.take().unwrap_or_else(|| cstr(&h[157..257])),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- tar command

#[derive(Debug, Default)]
struct TarOpts {
    mode: Option<char>,
    file: Option<String>,
    gzip: bool,
    other_compression: Option<&'static str>,
    verbose: bool,
    dir: Option<String>,
    strip: usize,
    excludes: Vec<String>,
    files_from: Vec<String>,
    no_same_owner: bool,
    same_owner: bool,
    to_stdout: bool,
    keep_old: bool,
    owner: Option<String>,
    group: Option<String>,
    numeric: bool,
    operands: Vec<String>,
}

fn parse_tar_args(argv: &[String]) -> TarOpts {
    let mut t = TarOpts::default();
    let mut args: Vec<String> = argv[1..].to_vec();
    // old style: first argument without a dash is a bundle of letters
    if let Some(first) = args.first() {
        if !first.starts_with('-') && first.chars().all(|c| c.is_ascii_alphabetic()) {
            args[0] = format!("-{first}");
        }
    }
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            let (k, v) = match long.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (long, None),
            };
            let mut val = || -> String {
                v.clone().unwrap_or_else(|| {
                    let x = args.get(i).cloned().unwrap_or_default();
                    i += 1;
                    x
                })
            };
            match k {
                "create" => t.mode = Some('c'),
                "extract" | "get" => t.mode = Some('x'),
                "list" => t.mode = Some('t'),
                "append" => t.mode = Some('r'),
                "file" => t.file = Some(val()),
                "gzip" | "gunzip" | "ungzip" => t.gzip = true,
                "xz" => t.other_compression = Some("xz"),
                "bzip2" => t.other_compression = Some("bzip2"),
                "zstd" => t.other_compression = Some("zstd"),
                "directory" => t.dir = Some(val()),
                "strip-components" | "strip-path" => t.strip = val().parse().unwrap_or(0),
                "exclude" => t.excludes.push(val()),
                "files-from" => t.files_from.push(val()),
                "no-same-owner" => t.no_same_owner = true,
                "same-owner" => t.same_owner = true,
                "to-stdout" => t.to_stdout = true,
                "keep-old-files" | "skip-old-files" => t.keep_old = true,
                "owner" => t.owner = Some(val()),
                "group" => t.group = Some(val()),
                "numeric-owner" => t.numeric = true,
                "verbose" => t.verbose = true,
                "use-compress-program"
                | "transform"
                | "xform"
                | "mode"
                | "mtime"
                | "sort"
                | "format"
                | "warning"
                | "wildcards-match-slash"
                | "checkpoint"
                | "record-size"
                | "blocking-factor"
                    if v.is_none() && !matches!(k, "wildcards-match-slash") =>
                {
                    let _ = val();
                }
                _ => {}
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                let mut take = || -> String {
                    let rest: String = chars[k..].iter().collect();
                    k = chars.len();
                    if rest.is_empty() {
                        let x = args.get(i).cloned().unwrap_or_default();
                        i += 1;
                        x
                    } else {
                        rest
                    }
                };
                match c {
                    'c' | 'x' | 't' | 'r' | 'u' => t.mode = Some(if c == 'u' { 'r' } else { c }),
                    'f' => t.file = Some(take()),
                    'C' => t.dir = Some(take()),
                    'T' => t.files_from.push(take()),
                    'X' => {
                        let _ = take();
                    }
                    'z' => t.gzip = true,
                    'J' => t.other_compression = Some("xz"),
                    'j' => t.other_compression = Some("bzip2"),
                    'v' => t.verbose = true,
                    'o' => t.no_same_owner = true,
                    'p' => {}
                    'O' => t.to_stdout = true,
                    'k' => t.keep_old = true,
                    'b' => {
                        let _ = take();
                    }
                    _ => {}
                }
            }
            continue;
        }
        t.operands.push(a);
    }
    t
}

fn excluded(path: &str, excludes: &[String]) -> bool {
    let trimmed = path.trim_start_matches("./").trim_end_matches('/');
    excludes.iter().any(|e| {
        let p = Pattern::new(e.trim_start_matches("./").trim_end_matches('/'));
        p.matches(trimmed)
            || p.matches(fs::file_name(trimmed))
            || trimmed.split('/').any(|c| p.matches(c))
    })
}

fn tar(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut t = parse_tar_args(argv);
    // The archive and -T lists are opened before `-C` changes directory.
    if let Some(f) = t.file.as_mut() {
        if f != "-" {
            *f = ctx.abs(f);
        }
    }
    for list in t.files_from.iter_mut() {
        if list != "-" {
            *list = ctx.abs(list);
        }
    }
    let saved_cwd = ctx.sh.st.cwd.clone();
    if let Some(d) = &t.dir {
        match ctx.stat(d) {
            Ok(m) if m.is_dir() => ctx.sh.st.cwd = ctx.abs(d),
            Ok(_) | Err(_) => {
                ctx.error(&format!("{d}: Cannot open: No such file or directory"))?;
                ctx.error("Error is not recoverable: exiting now")?;
                return Ok(2);
            }
        }
    }
    let r = match t.mode {
        Some('c') | Some('r') => tar_create(ctx, &t),
        Some('x') => tar_extract(ctx, &t, false),
        Some('t') => tar_extract(ctx, &t, true),
        _ => {
            ctx.error(
                "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
            )?;
            Ok(2)
        }
    };
    ctx.sh.st.cwd = saved_cwd;
    r
}

fn tar_create(ctx: &mut ProgramCtx<'_, '_>, t: &TarOpts) -> ProgResult {
    let mut names = t.operands.clone();
    for list in &t.files_from {
        let text = if list == "-" {
            String::from_utf8_lossy(&ctx.stdin().bytes).into_owned()
        } else {
            match ctx.read_text(list) {
                Ok(Some(s)) => s,
                _ => {
                    ctx.error(&format!("{list}: Cannot open: No such file or directory"))?;
                    return Ok(2);
                }
            }
        };
        names.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_string));
    }
    if names.is_empty() {
        ctx.error("Cowardly refusing to create an empty archive")?;
        return Ok(2);
    }
    let mut entries = Vec::new();
    let mut status = 0;
    for n in &names {
        let mut stack = vec![n.clone()];
        while let Some(p) = stack.pop() {
            ctx.steps(1)?;
            if excluded(&p, &t.excludes) {
                continue;
            }
            let m: Metadata = match ctx.lstat(&p) {
                Ok(m) => m,
                Err(e) => {
                    ctx.error(&format!("{p}: Cannot stat: {e}"))?;
                    status = 2;
                    continue;
                }
            };
            let stored = p.trim_start_matches('/').to_string();
            let uname = t.owner.clone().unwrap_or_else(|| name_of(ctx, m.uid, true));
            let gname = t
                .group
                .clone()
                .unwrap_or_else(|| name_of(ctx, m.gid, false));
            let (uid, gid) = (
                t.owner
                    .as_ref()
                    .and_then(|o| o.parse().ok())
                    .unwrap_or(m.uid),
                t.group
                    .as_ref()
                    .and_then(|g| g.parse().ok())
                    .unwrap_or(m.gid),
            );
            let mut e = TarEntry {
                path: stored.clone(),
                kind: b'0',
                mode: m.mode,
                uid,
                gid,
                uname,
                gname,
                data: None,
                size: 0,
                link: String::new(),
            };
            match m.kind {
                fs::FileKind::Dir => {
                    e.kind = b'5';
                    if !e.path.ends_with('/') {
                        e.path.push('/');
                    }
                    if let Ok(children) = ctx.read_dir(&p) {
                        for c in children.into_iter().rev() {
                            stack.push(if p.ends_with('/') {
                                format!("{p}{c}")
                            } else {
                                format!("{p}/{c}")
                            });
                        }
                    }
                }
                fs::FileKind::Symlink => {
                    e.kind = b'2';
                    e.link = ctx.readlink(&p).unwrap_or_default();
                }
                fs::FileKind::File => {
                    e.size = m.size;
                    match ctx.read(&p) {
                        Ok(Content::Bytes(b)) => e.data = Some(b),
                        Ok(Content::Unknown { .. }) => e.data = None,
                        Err(err) => {
                            ctx.error(&format!("{p}: Cannot open: {err}"))?;
                            status = 2;
                            continue;
                        }
                    }
                }
            }
            if t.verbose {
                let line = format!("{}\n", e.path);
                if t.file.as_deref() == Some("-") || t.file.is_none() {
                    ctx.err(line.as_bytes())?;
                } else {
                    ctx.out_str(&line)?;
                }
            }
            entries.push(e);
        }
    }
    let (bytes, size) = tar_encode(&entries, ctx.now() as u64);
    let content = match bytes {
        Some(b) if t.gzip => Content::Bytes(gzip_bytes(&b, 6, None, 0)),
        Some(b) if t.other_compression.is_none() => Content::Bytes(b),
        Some(b) => {
            ctx.approximated(
                "`tar` with xz/bzip2/zstd compression: the archive's size is an estimate",
            );
            Content::Unknown {
                size: b.len() as u64 / 4 + 64,
            }
        }
        None => {
            ctx.approximated(
                "`tar` packed files of unknown content: the archive's content is not known",
            );
            Content::Unknown {
                size: if t.gzip || t.other_compression.is_some() {
                    size / 2
                } else {
                    size
                },
            }
        }
    };
    match t.file.as_deref() {
        None | Some("-") => match &content {
            Content::Bytes(b) => ctx.out(b)?,
            Content::Unknown { size } => ctx.out_unknown(*size)?,
        },
        Some(f) => {
            let f = f.to_string();
            let r = if t.mode == Some('r') {
                ctx.append(&f, Data::from(&content))
            } else {
                ctx.write(&f, Data::from(&content))
            };
            if let Err(e) = r {
                ctx.error(&format!("{f}: Cannot open: {e}"))?;
                return Ok(2);
            }
        }
    }
    Ok(status)
}

fn name_of(ctx: &mut ProgramCtx<'_, '_>, id: u32, user: bool) -> String {
    if user {
        ctx.passwd_entry(&id.to_string())
            .filter(|e| e.1 == id)
            .map(|e| e.0)
            .unwrap_or_default()
    } else {
        ctx.group_entry(&id.to_string())
            .filter(|e| e.1 == id)
            .map(|e| e.0)
            .unwrap_or_default()
    }
}

fn tar_extract(ctx: &mut ProgramCtx<'_, '_>, t: &TarOpts, list_only: bool) -> ProgResult {
    let source = t.file.clone().unwrap_or_else(|| "-".to_string());
    let data: StreamData = if source == "-" {
        ctx.stdin()
    } else {
        match ctx.read(&source) {
            Ok(Content::Bytes(b)) => StreamData::known(b),
            Ok(Content::Unknown { size }) => StreamData {
                bytes: Vec::new(),
                unknown: size,
            },
            Err(e) => {
                ctx.error(&format!("{source}: Cannot open: {e}"))?;
                ctx.error("Error is not recoverable: exiting now")?;
                return Ok(2);
            }
        }
    };
    if !data.is_known() || data.bytes.is_empty() && data.unknown > 0 {
        let what = if source == "-" {
            "its input".to_string()
        } else {
            source.clone()
        };
        ctx.approximated(&format!(
            "`tar` cannot unpack {what}: the archive was downloaded or built without content, so nothing was extracted"
        ));
        if !list_only {
            // Later `./configure`, `make`, `cd` there know the sources were not fetched.
            let here = ctx.cwd().to_string();
            ctx.mark_unfetched_tree(&here);
        }
        return Ok(0);
    }
    let mut bytes = data.bytes;
    let looks_gzip = bytes.starts_with(&[0x1f, 0x8b]);
    if looks_gzip {
        match gunzip_bytes(&bytes) {
            Ok(b) => bytes = b,
            Err(e) => {
                ctx.error(&format!("gzip: {e}"))?;
                return Ok(2);
            }
        }
    } else if bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z'])
        || bytes.starts_with(b"BZh")
        || bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
    {
        ctx.approximated("`tar` cannot decompress xz/bzip2/zstd content; nothing was extracted");
        if !list_only {
            let here = ctx.cwd().to_string();
            ctx.mark_unfetched_tree(&here);
        }
        return Ok(0);
    }
    let entries = match tar_decode(&bytes) {
        Ok(e) => e,
        Err(e) => {
            ctx.error(&format!("This does not look like a tar archive ({e})"))?;
            return Ok(2);
        }
    };
    let wanted: Vec<String> = t
        .operands
        .iter()
        .map(|o| o.trim_end_matches('/').trim_start_matches("./").to_string())
        .collect();
    let root = ctx.uid() == 0;
    let same_owner = (root && !t.no_same_owner) || t.same_owner;
    let mut out = String::new();
    let mut status = 0;
    for e in entries {
        ctx.steps(1)?;
        let clean = e.path.trim_start_matches('/').to_string();
        let rel = clean
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if !wanted.is_empty()
            && !wanted.iter().any(|w| {
                rel == *w || rel.starts_with(&format!("{w}/")) || Pattern::new(w).matches(&rel)
            })
        {
            continue;
        }
        if excluded(&clean, &t.excludes) {
            continue;
        }
        if list_only {
            if t.verbose {
                let mode = super::files::mode_string(&Metadata {
                    kind: match e.kind {
                        b'5' => fs::FileKind::Dir,
                        b'2' => fs::FileKind::Symlink,
                        _ => fs::FileKind::File,
                    },
                    mode: e.mode,
                    uid: e.uid,
                    gid: e.gid,
                    size: e.size,
                    ino: 0,
                    nlink: 1,
                });
                out.push_str(&format!(
                    "{mode} {}/{} {:>8} {} {}\n",
                    e.uname,
                    e.gname,
                    e.size,
                    super::basic::strftime("%Y-%m-%d %H:%M", ctx.now()),
                    e.path
                ));
            } else {
                out.push_str(&e.path);
                out.push('\n');
            }
            continue;
        }
        // strip leading components
        let comps: Vec<&str> = clean
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        if comps.len() <= t.strip {
            continue;
        }
        let target_rel = comps[t.strip..].join("/");
        if comps.contains(&"..") {
            ctx.error(&format!("{}: Member name contains '..'", e.path))?;
            status = 2;
            continue;
        }
        if t.verbose {
            out.push_str(&e.path);
            out.push('\n');
        }
        if t.to_stdout {
            if let Some(d) = &e.data {
                ctx.out(d)?;
            }
            continue;
        }
        let target = target_rel.clone();
        if let Some(parent) = std::path::Path::new(&target)
            .parent()
            .and_then(|p| p.to_str())
        {
            if !parent.is_empty() && ctx.stat(parent).is_err() {
                let _ = ctx.mkdir_p(parent, 0o777);
            }
        }
        let mode = if root {
            e.mode & 0o7777
        } else {
            e.mode & 0o777 & !ctx.umask()
        };
        let result = match e.kind {
            b'5' => match ctx.stat(&target) {
                Ok(m) if m.is_dir() => ctx.chmod(&target, mode),
                _ => ctx
                    .mkdir(&target, 0o700)
                    .and_then(|_| ctx.chmod(&target, mode)),
            },
            b'2' => {
                if ctx.lstat(&target).is_ok() {
                    let _ = ctx.unlink(&target);
                }
                ctx.symlink(&e.link, &target)
            }
            b'1' => {
                let comps: Vec<&str> = e
                    .link
                    .split('/')
                    .filter(|c| !c.is_empty() && *c != ".")
                    .collect();
                let link_target = comps
                    .get(t.strip..)
                    .map(|c| c.join("/"))
                    .unwrap_or_default();
                if ctx.lstat(&target).is_ok() {
                    let _ = ctx.unlink(&target);
                }
                ctx.hardlink(&link_target, &target)
            }
            _ => {
                if t.keep_old && ctx.lstat(&target).is_ok() {
                    continue;
                }
                if let Ok(m) = ctx.lstat(&target) {
                    if !m.is_dir() {
                        let _ = ctx.unlink(&target);
                    }
                }
                let d = e.data.clone().unwrap_or_default();
                ctx.write(&target, Data::Bytes(&d))
                    .and_then(|_| ctx.chmod(&target, mode))
            }
        };
        if let Err(err) = result {
            ctx.error(&format!("{target_rel}: Cannot open: {err}"))?;
            status = 2;
            continue;
        }
        if same_owner {
            let uid = if t.numeric {
                None
            } else {
                ctx.passwd_entry(&e.uname)
                    .filter(|x| x.0 == e.uname)
                    .map(|x| x.1)
            }
            .unwrap_or(e.uid);
            let gid = if t.numeric {
                None
            } else {
                ctx.group_entry(&e.gname)
                    .filter(|x| x.0 == e.gname)
                    .map(|x| x.1)
            }
            .unwrap_or(e.gid);
            let _ = ctx.chown(&target, Some(uid), Some(gid), false);
        }
    }
    ctx.out_str(&out)?;
    if status != 0 {
        ctx.error("Exiting with failure status due to previous errors")?;
    }
    Ok(status)
}

// ---------------------------------------------------------------- zip

fn unzip(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "dx", &[]);
    let Some(file) = o.operands.first().cloned() else {
        ctx.err(b"UnZip 6.00 of 20 April 2009\nUsage: unzip [-Z] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]\n")?;
        return Ok(0);
    };
    let quiet = o.has(&["q", "qq"]);
    let bytes = match ctx.read(&file) {
        Ok(Content::Bytes(b)) => b,
        Ok(Content::Unknown { .. }) => {
            ctx.approximated(&format!("`unzip` cannot unpack {file}: it was downloaded without content, so nothing was extracted"));
            if !o.has(&["l", "t", "p", "Z"]) {
                // Remember the destination as an unfetched source tree (see tar).
                let dest = ctx.abs(o.value(&["d"]).unwrap_or("."));
                ctx.mark_unfetched_tree(&dest);
            }
            return Ok(0);
        }
        Err(_) => {
            ctx.out_str(&format!(
                "unzip:  cannot find or open {file}, {file}.zip or {file}.ZIP.\n"
            ))?;
            return Ok(9);
        }
    };
    let dest = o.value(&["d"]).unwrap_or(".").to_string();
    if ctx.stat(&dest).is_err() {
        let _ = ctx.mkdir_p(&dest, 0o777);
    }
    if !quiet {
        ctx.out_str(&format!("Archive:  {file}\n"))?;
    }
    let mut pos = 0;
    let mut count = 0;
    while pos + 30 <= bytes.len() && bytes[pos..pos + 4] == [0x50, 0x4b, 3, 4] {
        ctx.steps(1)?;
        let le16 = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
        let le32 = |i: usize| {
            u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize
        };
        let method = le16(pos + 8);
        let csize = le32(pos + 18);
        let nlen = le16(pos + 26);
        let xlen = le16(pos + 28);
        let name_end = pos + 30 + nlen;
        if name_end > bytes.len() {
            break;
        }
        let name = String::from_utf8_lossy(&bytes[pos + 30..name_end]).into_owned();
        let data_start = name_end + xlen;
        let data_end = (data_start + csize).min(bytes.len());
        let raw = &bytes[data_start..data_end];
        pos = data_end;
        count += 1;
        let target = format!("{}/{}", dest.trim_end_matches('/'), name);
        if name.ends_with('/') {
            let _ = ctx.mkdir_p(&target, 0o777);
            if !quiet {
                ctx.out_str(&format!("   creating: {target}\n"))?;
            }
            continue;
        }
        let content = match method {
            0 => raw.to_vec(),
            8 => match inflate_counting(raw) {
                Ok((d, _)) => d,
                Err(e) => {
                    ctx.error(&format!("{name}: {e}"))?;
                    continue;
                }
            },
            _ => {
                ctx.approximated(&format!(
                    "`unzip`: {name} uses a compression method that is not simulated"
                ));
                continue;
            }
        };
        if let Some(parent) = std::path::Path::new(&target)
            .parent()
            .and_then(|p| p.to_str())
        {
            let _ = ctx.mkdir_p(parent, 0o777);
        }
        if !quiet {
            ctx.out_str(&format!("  inflating: {target}\n"))?;
        }
        let _ = ctx.write(&target, Data::Bytes(&content));
    }
    if count == 0 {
        ctx.out_str(&format!(
            "  End-of-central-directory signature not found.  {file} is not a zipfile\n"
        ))?;
        return Ok(9);
    }
    Ok(0)
}

// ---------------------------------------------------------------- downloads

/// The size a download of `url` is assumed to have (no network in the playground).
pub fn assumed_download_size(url: &str) -> u64 {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let ends = |exts: &[&str]| exts.iter().any(|e| path.ends_with(e));
    if ends(&[
        ".asc",
        ".sig",
        ".sha256",
        ".sha256sum",
        ".sha512",
        ".md5",
        ".txt",
        ".pub",
        ".key",
        ".gpg",
    ]) {
        1 << 10
    } else if ends(&[".sh", ".py", ".json", ".yaml", ".yml", ".conf", ".toml"]) {
        8 << 10
    } else if ends(&[".deb", ".apk", ".rpm", ".jar"]) {
        2 << 20
    } else if ends(&[
        ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".zip", ".tar", ".gz", ".xz", ".zst",
    ]) {
        20 << 20
    } else {
        1 << 20
    }
}

fn remote_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = path.split_once("://").map(|(_, r)| r).unwrap_or(path);
    let name = after_scheme.split_once('/').map(|(_, p)| p).unwrap_or("");
    let base = name.rsplit('/').next().unwrap_or("");
    if base.is_empty() {
        "index.html".to_string()
    } else {
        base.to_string()
    }
}

fn download(ctx: &mut ProgramCtx<'_, '_>, url: &str, dest: Option<&str>) -> PResult<i32> {
    let size = assumed_download_size(url);
    ctx.approximated(&format!(
        "`{}` does not download in the playground: {url} is simulated as {} of unknown content",
        ctx.name(),
        human_size(size)
    ));
    match dest {
        None | Some("-") => {
            ctx.out_unknown(size)?;
            Ok(0)
        }
        Some(path) => match ctx.write(path, Data::Unknown(size)) {
            Ok(()) => Ok(0),
            Err(e) => {
                ctx.error(&format!("{path}: {e}"))?;
                Ok(if ctx.name() == "curl" { 23 } else { 3 })
            }
        },
    }
}

fn human_size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{} KiB", n >> 10)
    }
}

fn curl(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "oHudXAxwmeECrTbcKYyzQ",
        &[
            "output",
            "header",
            "user",
            "data",
            "data-binary",
            "data-raw",
            "request",
            "user-agent",
            "proxy",
            "write-out",
            "max-time",
            "retry",
            "retry-delay",
            "retry-max-time",
            "connect-timeout",
            "proto",
            "proto-redir",
            "cacert",
            "cert",
            "key",
            "output-dir",
            "referer",
            "continue-at",
            "limit-rate",
            "form",
            "upload-file",
            "cookie",
            "resolve",
            "max-redirs",
            "tlsv1.2",
            "ciphers",
        ],
    );
    let urls: Vec<String> = o
        .operands
        .iter()
        .filter(|u| u.contains("://") || u.contains('.'))
        .cloned()
        .collect();
    if urls.is_empty() {
        ctx.error("(2) no URL specified")?;
        return Ok(2);
    }
    if o.has(&["I", "head"]) {
        ctx.approximated("`curl -I`: no request is made; a 200 response is assumed");
        ctx.out_str("HTTP/2 200\r\n\r\n")?;
        return Ok(0);
    }
    let outputs: Vec<String> = o
        .values(&["o", "output"])
        .iter()
        .map(|s| s.to_string())
        .collect();
    let remote = o.has(&["O", "remote-name", "remote-name-all"]);
    let dir = o.value(&["output-dir"]).map(str::to_string);
    let create_dirs = o.has(&["create-dirs"]);
    for (k, url) in urls.iter().enumerate() {
        let dest = match outputs.get(k) {
            Some(p) => Some(p.clone()),
            None if remote => Some(remote_name(url)),
            None => None,
        };
        let dest = match (dest, &dir) {
            (Some(d), Some(base)) if !d.starts_with('/') && d != "-" => Some(format!("{base}/{d}")),
            (d, _) => d,
        };
        if let Some(d) = &dest {
            if create_dirs {
                let parent = super::basic::dirname_of(d);
                let _ = ctx.mkdir_p(&parent, 0o777);
            }
        }
        let s = download(ctx, url, dest.as_deref())?;
        if s != 0 {
            return Ok(s);
        }
    }
    if let Some(w) = o.value(&["w", "write-out"]) {
        let w = w.replace("%{http_code}", "200").replace("\\n", "\n");
        ctx.out_str(&w)?;
    }
    Ok(0)
}

fn wget(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "OPTtUeaoi",
        &[
            "output-document",
            "directory-prefix",
            "timeout",
            "tries",
            "user-agent",
            "header",
            "execute",
            "progress",
            "output-file",
            "input-file",
            "ca-certificate",
            "user",
            "password",
            "limit-rate",
            "wait",
            "post-data",
            "method",
        ],
    );
    let urls: Vec<String> = o.operands.clone();
    if urls.is_empty() {
        ctx.error("missing URL")?;
        return Ok(1);
    }
    if o.has(&["spider"]) {
        return Ok(0);
    }
    let out_doc = o.value(&["O", "output-document"]).map(str::to_string);
    let prefix = o.value(&["P", "directory-prefix"]).map(str::to_string);
    for url in &urls {
        let dest = match &out_doc {
            Some(d) => d.clone(),
            None => {
                let name = remote_name(url);
                match &prefix {
                    Some(p) => {
                        let _ = ctx.mkdir_p(p, 0o777);
                        format!("{}/{}", p.trim_end_matches('/'), name)
                    }
                    None => name,
                }
            }
        };
        let s = download(ctx, url, Some(&dest))?;
        if s != 0 {
            return Ok(s);
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_roundtrip_and_crc() {
        assert_eq!(crc32(b"hello\n"), 0x363a_3020);
        let data = b"hello hello hello hello\n".repeat(100);
        let z = gzip_bytes(&data, 6, Some("x"), 0);
        assert!(z.len() < data.len());
        assert_eq!(gunzip_bytes(&z).unwrap(), data);
        assert!(gunzip_bytes(b"not gzip at all....").is_err());
    }

    #[test]
    fn tar_roundtrip() {
        let e = TarEntry {
            path: "a/b.txt".into(),
            kind: b'0',
            mode: 0o644,
            uid: 0,
            gid: 0,
            uname: "root".into(),
            gname: "root".into(),
            data: Some(b"hi\n".to_vec()),
            size: 3,
            link: String::new(),
        };
        let (bytes, size) = tar_encode(&[e], 0);
        let bytes = bytes.unwrap();
        assert_eq!(size, 10240);
        let back = tar_decode(&bytes).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].path, "a/b.txt");
        assert_eq!(back[0].data.as_deref(), Some(&b"hi\n"[..]));
    }

    #[test]
    fn download_names() {
        assert_eq!(
            remote_name("https://x.org/a/b/node-v1.tar.gz?x=1"),
            "node-v1.tar.gz"
        );
        assert_eq!(remote_name("https://x.org/"), "index.html");
    }
}
