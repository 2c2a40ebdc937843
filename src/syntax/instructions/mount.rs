//! `RUN --mount=…` and `RUN --device=…` values: BuildKit's CSV reading and validation.
//!
//! BuildKit checks a mount twice: when the instruction is parsed (no variable expansion:
//! only the CSV syntax and `from=` without variables are checked) and again at dispatch,
//! after each value is expanded. [`parse_mount`] does both: pass `None` for the first, or
//! the builder's expander for the second.

use super::gofmt::{parse_bool, parse_uint32, ram_in_bytes};
use crate::syntax::gostr::{suggest, to_lower};
use crate::text::go_quote as quote;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bind => "bind",
            Self::Cache => "cache",
            Self::Tmpfs => "tmpfs",
            Self::Secret => "secret",
            Self::Ssh => "ssh",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "bind" => Self::Bind,
            "cache" => Self::Cache,
            "tmpfs" => Self::Tmpfs,
            "secret" => Self::Secret,
            "ssh" => Self::Ssh,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShareMode {
    Shared,
    Private,
    Locked,
}

/// A mount as BuildKit understands it (fields as in BuildKit's `instructions.Mount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountType,
    pub from: String,
    pub source: String,
    pub target: String,
    pub read_only: bool,
    pub size_limit: i64,
    pub cache_id: String,
    pub cache_sharing: Option<ShareMode>,
    pub required: bool,
    pub env: Option<String>,
    pub mode: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
}

/// Expands one value (BuildKit's `SingleWordExpander`).
pub type Expander<'a> = &'a mut dyn FnMut(&str) -> Result<String, String>;

const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// BuildKit's `parseMount`.
pub fn parse_mount(value: &str, mut expander: Option<Expander<'_>>) -> Result<Mount, String> {
    let fields = csv_fields(value).map_err(|e| format!("failed to parse csv mounts: {e}"))?;
    let mut m = Mount {
        kind: MountType::Bind,
        from: String::new(),
        source: String::new(),
        target: String::new(),
        read_only: false,
        size_limit: 0,
        cache_id: String::new(),
        cache_sharing: None,
        required: false,
        env: None,
        mode: None,
        uid: None,
        gid: None,
    };
    let mut ro_auto = true;
    for field in &fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (to_lower(k), Some(v.to_string())),
            None => (to_lower(field), None),
        };
        let Some(mut value) = value else {
            if expander.is_none() {
                continue;
            }
            match key.as_str() {
                "readonly" | "ro" => {
                    m.read_only = true;
                    ro_auto = false;
                }
                "readwrite" | "rw" => {
                    m.read_only = false;
                    ro_auto = false;
                }
                "required" if matches!(m.kind, MountType::Secret | MountType::Ssh) => {
                    m.required = true;
                }
                "required" => {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind.as_str()
                    ))
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        match expander.as_mut() {
            Some(expand) => value = expand(&value)?,
            None if key == "from" => {
                if value.find('$').is_some_and(|i| i + 1 != value.len()) {
                    return Err(format!(
                        "'{key}' doesn't support variable expansion, define alias stage instead"
                    ));
                }
            }
            None => continue,
        }
        let invalid = || format!("invalid value for {key}: {value}");
        let unexpected =
            |kind: MountType| format!("unexpected key '{key}' for mount type '{}'", kind.as_str());
        match key.as_str() {
            "type" => {
                m.kind = MountType::parse(&to_lower(&value)).ok_or_else(|| {
                    let names = ["bind", "cache", "tmpfs", "secret", "ssh"];
                    with_hint(
                        format!("unsupported mount type {}", quote(&value)),
                        &value,
                        &names,
                    )
                })?;
            }
            "from" => m.from = value,
            "source" | "src" => m.source = value,
            "target" | "dst" | "destination" => m.target = value,
            "readonly" | "ro" => {
                m.read_only = parse_bool(&value).ok_or_else(invalid)?;
                ro_auto = false;
            }
            "readwrite" | "rw" => {
                m.read_only = !parse_bool(&value).ok_or_else(invalid)?;
                ro_auto = false;
            }
            "required" => {
                if !matches!(m.kind, MountType::Secret | MountType::Ssh) {
                    return Err(unexpected(m.kind));
                }
                m.required = parse_bool(&value).ok_or_else(invalid)?;
            }
            "size" => {
                if m.kind != MountType::Tmpfs {
                    return Err(unexpected(m.kind));
                }
                m.size_limit = ram_in_bytes(&value).ok_or_else(invalid)?;
            }
            "id" => m.cache_id = value,
            "sharing" => {
                m.cache_sharing = Some(match to_lower(&value).as_str() {
                    "shared" => ShareMode::Shared,
                    "private" => ShareMode::Private,
                    "locked" => ShareMode::Locked,
                    _ => {
                        let names = ["shared", "private", "locked"];
                        return Err(with_hint(
                            format!("unsupported sharing value {}", quote(&value)),
                            &value,
                            &names,
                        ));
                    }
                });
            }
            "mode" => {
                m.mode = Some(
                    parse_uint32(&value, 8)
                        .ok_or_else(|| format!("invalid value {value} for mode"))?,
                );
            }
            "uid" => {
                m.uid = Some(
                    parse_uint32(&value, 10)
                        .ok_or_else(|| format!("invalid value {value} for uid"))?,
                );
            }
            "gid" => {
                m.gid = Some(
                    parse_uint32(&value, 10)
                        .ok_or_else(|| format!("invalid value {value} for gid"))?,
                );
            }
            "env" => m.env = Some(value),
            _ => {
                return Err(with_hint(
                    format!("unexpected key '{key}' in '{field}'"),
                    &key,
                    &MOUNT_KEYS,
                ))
            }
        }
    }
    if !matches!(
        m.kind,
        MountType::Secret | MountType::Ssh | MountType::Cache
    ) {
        for (name, set) in [("mode", m.mode), ("uid", m.uid), ("gid", m.gid)] {
            if set.is_some() {
                return Err(format!(
                    "{name} not allowed for {} type mounts",
                    quote(m.kind.as_str())
                ));
            }
        }
    }
    if ro_auto {
        m.read_only = !matches!(m.kind, MountType::Cache | MountType::Tmpfs);
    }
    if m.kind == MountType::Secret {
        if !m.from.is_empty() {
            return Err("secret mount should not have a from".into());
        }
        if m.cache_sharing.is_some() {
            return Err("secret mount should not define sharing".into());
        }
        if m.source.is_empty() && m.target.is_empty() && m.cache_id.is_empty() {
            return Err("invalid secret mount. one of source, target required".into());
        }
        if !m.source.is_empty() && !m.cache_id.is_empty() {
            return Err("both source and id can't be set".into());
        }
    }
    if m.cache_sharing.is_some() && m.kind != MountType::Cache {
        return Err(format!(
            "invalid cache sharing set for {} mount",
            m.kind.as_str()
        ));
    }
    Ok(m)
}

/// `RUN --device=name[,required[=bool]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub name: String,
    pub required: bool,
}

/// BuildKit's `ParseDevice`.
pub fn parse_device(value: &str) -> Result<Device, String> {
    let fields = csv_fields(value).map_err(|e| format!("failed to parse csv devices: {e}"))?;
    let mut d = Device {
        name: String::new(),
        required: false,
    };
    for field in &fields {
        let (key, v) = match field.split_once('=') {
            Some((k, v)) => (to_lower(k), Some(v)),
            None => (to_lower(field), None),
        };
        match (key.as_str(), v) {
            ("required", None) => d.required = true,
            (_, None) if d.name.is_empty() => d.name = field.clone(),
            (_, None) => return Err(format!("invalid field '{field}' must be a key=value pair")),
            ("name", Some(v)) => {
                if !d.name.is_empty() {
                    return Err(format!("device name already set to {}", d.name));
                }
                d.name = v.to_string();
            }
            ("required", Some(v)) => {
                d.required =
                    parse_bool(v).ok_or_else(|| format!("invalid value for {key}: {v}"))?;
            }
            _ if d.name.is_empty() => d.name = field.clone(),
            _ => {
                return Err(with_hint(
                    format!("unexpected key '{key}' in '{field}'"),
                    &key,
                    &["name", "required"],
                ))
            }
        }
    }
    Ok(d)
}

fn with_hint(message: String, value: &str, options: &[&str]) -> String {
    match suggest(value, options.iter().copied(), true) {
        Some(hint) => format!("{message} (did you mean {hint}?)"),
        None => message,
    }
}

/// One CSV record (go-csvvalue): `"` quotes a field, `""` inside quotes is a quote.
fn csv_fields(line: &str) -> Result<Vec<String>, String> {
    let line = line
        .strip_suffix("\r\n")
        .or_else(|| line.strip_suffix('\n'))
        .unwrap_or(line);
    if line.is_empty() {
        return Err("EOF".into());
    }
    let err = |pos: usize, what: &str| format!("parse error on line 1, column {}: {what}", pos + 1);
    let bare = "bare \" in non-quoted-field";
    let extraneous = "extraneous or missing \" in quoted-field";
    let mut fields = Vec::new();
    let mut rest = line;
    let mut pos = 0;
    loop {
        if !rest.starts_with('"') {
            let (field, more) = match rest.find(',') {
                Some(i) => (&rest[..i], Some(i)),
                None => (rest, None),
            };
            if let Some(j) = field.find('"') {
                return Err(err(pos + j, bare));
            }
            fields.push(field.to_string());
            match more {
                Some(i) => {
                    rest = &rest[i + 1..];
                    pos += i + 1;
                    continue;
                }
                None => return Ok(fields),
            }
        }
        rest = &rest[1..];
        pos += 1;
        let mut field = String::new();
        loop {
            let Some(i) = rest.find('"') else {
                return Err(err(pos, extraneous));
            };
            field.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            pos += i + 1;
            if let Some(after) = rest.strip_prefix('"') {
                field.push('"');
                rest = after;
                pos += 1;
            } else if let Some(after) = rest.strip_prefix(',') {
                fields.push(std::mem::take(&mut field));
                rest = after;
                pos += 1;
                break;
            } else if rest.is_empty() {
                fields.push(field);
                return Ok(fields);
            } else {
                return Err(err(pos - 1, extraneous));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(value: &str) -> Result<Mount, String> {
        let mut identity = |v: &str| Ok(v.to_string());
        parse_mount(value, Some(&mut identity))
    }

    #[test]
    fn mounts_like_buildkit() {
        let m = full("type=cache,target=/root/.cache,sharing=locked").unwrap();
        assert_eq!(
            (m.kind, m.read_only, m.cache_sharing),
            (MountType::Cache, false, Some(ShareMode::Locked))
        );
        let m = full("target=/src,rw").unwrap();
        assert_eq!((m.kind, m.read_only), (MountType::Bind, false));
        assert!(full("type=secret,id=tok,required").unwrap().required);
        assert_eq!(
            full("type=cahce,target=/x").unwrap_err(),
            "unsupported mount type \"cahce\" (did you mean cache?)"
        );
        assert_eq!(
            full("type=bind,mode=0755").unwrap_err(),
            "mode not allowed for \"bind\" type mounts"
        );
        assert_eq!(full("type=tmpfs,size=64m").unwrap().size_limit, 64 << 20);
        assert!(full("type=secret")
            .unwrap_err()
            .contains("one of source, target required"));
        assert_eq!(
            full("targte=/x").unwrap_err(),
            "unexpected key 'targte' in 'targte=/x' (did you mean target?)"
        );
        // At parse time only CSV and `from` variables are checked.
        assert!(parse_mount("type=nonsense", None).is_ok());
        assert!(parse_mount("from=$X,target=/a", None).is_err());
        assert_eq!(
            parse_mount("a\"b", None).unwrap_err(),
            "failed to parse csv mounts: parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        assert_eq!(
            parse_mount("", None).unwrap_err(),
            "failed to parse csv mounts: EOF"
        );
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(csv_fields("\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert_eq!(csv_fields("\"a\"\"b\"").unwrap(), ["a\"b"]);
        assert!(csv_fields("\"a\"b").is_err());
    }

    #[test]
    fn devices() {
        assert_eq!(
            parse_device("/dev/fuse,required").unwrap(),
            Device {
                name: "/dev/fuse".into(),
                required: true
            }
        );
        assert!(parse_device("a,b").is_err());
    }
}
