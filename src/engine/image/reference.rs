//! Image references as Docker parses them (`name[:tag][@digest]`, distribution/reference
//! grammar) and their familiar form: `alpine` → `docker.io/library/alpine:latest`, shown
//! as `alpine:latest`.

use crate::engine::layers::Digest;
use std::fmt;

/// Registry used when a reference names none.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// Tag used when a reference names none.
pub const DEFAULT_TAG: &str = "latest";
const MAX_NAME_LEN: usize = 255;

/// Why a reference is invalid. Display gives Docker's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// Anything the grammar rejects.
    InvalidFormat,
    /// Upper-case letters in the repository path (the path is given, e.g. `library/Alpine`).
    Uppercase(String),
    /// A bare 64-digit hex string cannot be a repository name.
    HexName(String),
    /// Longer than 255 characters.
    NameTooLong,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::InvalidFormat => f.write_str("invalid reference format"),
            RefError::Uppercase(p) => write!(
                f,
                "invalid reference format: repository name ({p}) must be lowercase"
            ),
            RefError::HexName(s) => write!(
                f,
                "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
            ),
            RefError::NameTooLong => f.write_str(
                "invalid reference format: repository name must not be more than 255 characters",
            ),
        }
    }
}

impl std::error::Error for RefError {}

/// A parsed, normalized reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    /// Registry host (`docker.io` by default).
    pub domain: String,
    /// Repository path; official images get `library/`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_lower_alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator run: ".", "_", "__" or one or more "-".
        let start = i;
        while i < b.len() && !is_lower_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

/// A registry host with optional port: `[A-Za-z0-9.-]+(:[0-9]+)?` (IPv6 not supported).
fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Reference {
    /// Parses and normalizes a reference the way the Docker CLI does.
    pub fn parse(s: &str) -> Result<Reference, RefError> {
        if s.is_empty() {
            return Err(RefError::InvalidFormat);
        }
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(RefError::HexName(s.to_string()));
        }
        let (name_tag, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(Digest::parse(d).ok_or(RefError::InvalidFormat)?)),
            None => (s, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => {
                let i = last_slash + i;
                (&name_tag[..i], Some(&name_tag[i + 1..]))
            }
            None => (name_tag, None),
        };
        if let Some(t) = tag {
            if !valid_tag(t) {
                return Err(RefError::InvalidFormat);
            }
        }
        if name.is_empty() {
            return Err(RefError::InvalidFormat);
        }
        if name.len() > MAX_NAME_LEN {
            return Err(RefError::NameTooLong);
        }
        let (domain, mut path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.to_lowercase() != first =>
            {
                if !valid_domain(first) {
                    return Err(RefError::InvalidFormat);
                }
                (first.to_string(), rest.to_string())
            }
            _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
        };
        let domain = if domain == "index.docker.io" {
            DEFAULT_DOMAIN.to_string()
        } else {
            domain
        };
        if domain == DEFAULT_DOMAIN && !path.contains('/') {
            path = format!("library/{path}");
        }
        if path.to_lowercase() != path {
            return Err(RefError::Uppercase(path));
        }
        if !path.split('/').all(valid_component) {
            return Err(RefError::InvalidFormat);
        }
        Ok(Reference {
            domain,
            path,
            tag: tag.map(str::to_string),
            digest,
        })
    }

    /// The short repository name Docker prints: `alpine`, `user/app`, `localhost:5000/app`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_string()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The tag, `latest` if none was given.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }

    /// `name:tag` with the default tag filled in (the key of a tag in the image store).
    pub fn familiar_tagged(&self) -> String {
        format!("{}:{}", self.familiar_name(), self.tag_or_latest())
    }

    /// The fully qualified form, e.g. `docker.io/library/alpine:latest` (BuildKit prints
    /// this in `FROM` progress lines and errors).
    pub fn full(&self) -> String {
        let mut s = format!("{}/{}", self.domain, self.path);
        if self.tag.is_some() || self.digest.is_none() {
            s.push(':');
            s.push_str(self.tag_or_latest());
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d.as_str());
        }
        s
    }

    /// The familiar form: `alpine:3.13`, `alpine@sha256:…`, `alpine:latest` when untagged.
    pub fn familiar(&self) -> String {
        match (&self.tag, &self.digest) {
            (_, None) => self.familiar_tagged(),
            (None, Some(d)) => format!("{}@{}", self.familiar_name(), d),
            (Some(t), Some(d)) => format!("{}:{t}@{d}", self.familiar_name()),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match Reference::parse(input) {
            Ok(r) => format!("{} | {}", r.full(), r.familiar()),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn references_normalize_like_docker() {
        let d = "sha256:6dbb9cc54074106d46d4ccb330f2a40a682d49dda5f4844962b7dce9fe44aaec";
        for (input, expected) in [
            ("alpine", "docker.io/library/alpine:latest | alpine:latest"),
            ("alpine:3.13", "docker.io/library/alpine:3.13 | alpine:3.13"),
            (
                "library/alpine:3.13",
                "docker.io/library/alpine:3.13 | alpine:3.13",
            ),
            (
                "docker.io/library/node:14.16.1-alpine3.13",
                "docker.io/library/node:14.16.1-alpine3.13 | node:14.16.1-alpine3.13",
            ),
            (
                "index.docker.io/library/alpine",
                "docker.io/library/alpine:latest | alpine:latest",
            ),
            ("user/app:v1", "docker.io/user/app:v1 | user/app:v1"),
            (
                "localhost:5000/app",
                "localhost:5000/app:latest | localhost:5000/app:latest",
            ),
            ("ghcr.io/o/r:1.0", "ghcr.io/o/r:1.0 | ghcr.io/o/r:1.0"),
            (
                "my-app_x.y__z",
                "docker.io/library/my-app_x.y__z:latest | my-app_x.y__z:latest",
            ),
            (
                "Alpine",
                "invalid reference format: repository name (library/Alpine) must be lowercase",
            ),
            ("alpine:", "invalid reference format"),
            ("alpine:3.13:x", "invalid reference format"),
            ("-alpine", "invalid reference format"),
            ("alpine..x", "invalid reference format"),
            ("", "invalid reference format"),
            ("alpine@sha256:abc", "invalid reference format"),
        ] {
            check(input, expected);
        }
        check(
            &format!("alpine@{d}"),
            &format!("docker.io/library/alpine@{d} | alpine@{d}"),
        );
        check(
            &d[7..],
            &format!(
                "invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                &d[7..]
            ),
        );
    }
}
