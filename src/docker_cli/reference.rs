//! Image references as `github.com/distribution/reference` reads them: `name[:tag][@digest]`,
//! normalization to `docker.io/library/…`, familiar names (`alpine`), `TagNameOnly`
//! (`alpine` → `alpine:latest`), short IDs (`stringid.TruncateID`) and Go's `path.Match`
//! globbing used by the `reference` filter. All functions are total: bad input gives an
//! error value, never a panic.

/// A parsed, normalized reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// `docker.io`, `ghcr.io`, `localhost:5000` …
    pub domain: String,
    /// `library/alpine`, `user/app` …
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Named {
    /// The full name: `docker.io/library/alpine`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `reference.FamiliarName`: `alpine`, `user/app`, `ghcr.io/x/y`.
    pub fn familiar_name(&self) -> String {
        if self.domain == "docker.io" {
            match self.path.strip_prefix("library/") {
                Some(rest) if !rest.contains('/') => rest.to_string(),
                _ => self.path.clone(),
            }
        } else {
            self.name()
        }
    }

    /// `reference.FamiliarString`: familiar name plus `:tag` and `@digest`.
    pub fn familiar_string(&self) -> String {
        let mut out = self.familiar_name();
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
    }
}

const MAX_NAME: usize = 255;

fn is_component(s: &str) -> bool {
    // alpha-numeric (separator alpha-numeric)*, separator = [_.] | __ | -+
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if is_alnum(first) && is_alnum(last) => {}
        _ => return false,
    }
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_alnum(b) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(|c| !is_alnum(*c)) {
            i += 1;
        }
        let sep = s.get(start..i).unwrap_or("");
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_domain(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) if !h.starts_with('[') || h.ends_with(']') => (h, Some(p)),
        _ => (s, None),
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    if host.starts_with('[') {
        return host.ends_with(']') && host.len() > 2;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn is_tag(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() <= 128
        && bytes
            .first()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        && bytes
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn is_digest(s: &str) -> bool {
    match s.split_once(':') {
        Some((algo, hex)) => {
            !algo.is_empty()
                && algo.bytes().all(|c| {
                    c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || matches!(c, b'+' | b'.' | b'_' | b'-')
                })
                && hex.len() >= 32
                && hex
                    .bytes()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                && (algo != "sha256" || hex.len() == 64)
        }
        None => false,
    }
}

/// True for a full 64-character hex image ID.
pub fn is_full_hex_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// `reference.ParseNormalizedNamed` with its error texts.
pub fn parse_normalized_named(s: &str) -> Result<Named, String> {
    if is_full_hex_id(s) {
        return Err(format!(
            "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
        ));
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => {
            if !is_digest(d) {
                return Err("invalid reference format".to_string());
            }
            (r, Some(d.to_string()))
        }
        None => (s, None),
    };
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest.get(i..).unwrap_or("").contains('/') => {
            let tag = rest.get(i + 1..).unwrap_or("");
            if !is_tag(tag) {
                return Err("invalid reference format".to_string());
            }
            (rest.get(..i).unwrap_or(""), Some(tag.to_string()))
        }
        _ => (rest, None),
    };
    if name.is_empty() {
        return Err("invalid reference format".to_string());
    }
    let (domain, remainder) = match name.find('/') {
        Some(i) => {
            let first = name.get(..i).unwrap_or("");
            if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first {
                (
                    first.to_string(),
                    name.get(i + 1..).unwrap_or("").to_string(),
                )
            } else {
                ("docker.io".to_string(), name.to_string())
            }
        }
        None => ("docker.io".to_string(), name.to_string()),
    };
    if domain != "docker.io" && !is_domain(&domain) {
        return Err("invalid reference format".to_string());
    }
    let path = if domain == "docker.io" && !remainder.contains('/') {
        format!("library/{remainder}")
    } else {
        remainder
    };
    if path.to_lowercase() != path {
        return Err(format!(
            "invalid reference format: repository name ({path}) must be lowercase"
        ));
    }
    if !path.split('/').all(is_component) {
        return Err("invalid reference format".to_string());
    }
    if domain.len() + 1 + path.len() > MAX_NAME {
        return Err(
            "invalid reference format: repository name must not be more than 255 characters"
                .to_string(),
        );
    }
    Ok(Named {
        domain,
        path,
        tag,
        digest,
    })
}

/// `reference.TagNameOnly` in familiar form: adds `:latest` when there is neither tag nor
/// digest. Strings that do not parse are returned unchanged.
pub fn tag_name_only(s: &str) -> String {
    match parse_normalized_named(s) {
        Ok(mut named) => {
            if named.tag.is_none() && named.digest.is_none() {
                named.tag = Some("latest".to_string());
            }
            named.familiar_string()
        }
        Err(_) => s.to_string(),
    }
}

/// `stringid.TruncateID`: drops an `algorithm:` prefix and keeps 12 characters.
pub fn truncate_id(id: &str) -> String {
    let id = id.split_once(':').map_or(id, |(_, rest)| rest);
    id.chars().take(12).collect()
}

/// Go's `path.Match`: `*` and `?` do not match `/`; `[...]` classes with ranges and `^`.
/// A malformed pattern matches nothing.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matcher with backtracking on the last star; bounded by |p|·|n|.
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    let mut budget = (p.len() + 1).saturating_mul(n.len() + 1).saturating_mul(2) + 16;
    while ni < n.len() || pi < p.len() {
        if budget == 0 {
            return false;
        }
        budget -= 1;
        if let Some(&pc) = p.get(pi) {
            match pc {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' if n.get(ni).is_some_and(|c| *c != '/') => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some(c) = n.get(ni) {
                        match match_class(&p, pi, *c) {
                            Some((true, next)) if *c != '/' => {
                                pi = next;
                                ni += 1;
                                continue;
                            }
                            None => return false,
                            _ => {}
                        }
                    }
                }
                '\\' => {
                    if let (Some(lit), Some(c)) = (p.get(pi + 1), n.get(ni)) {
                        if lit == c {
                            pi += 2;
                            ni += 1;
                            continue;
                        }
                    }
                }
                c if n.get(ni) == Some(&c) => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        // Mismatch: let the last star eat one more character (never a '/').
        match star {
            Some((sp, sn)) if n.get(sn).is_some_and(|c| *c != '/') => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => return false,
        }
    }
    true
}

/// Matches a `[...]` class at `p[start]`; returns (matched, index after `]`), or `None`
/// for a malformed class.
fn match_class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = p.get(i) == Some(&'^');
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let lo = *p.get(i)?;
        if lo == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let lo = if lo == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            lo
        };
        i += 1;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|c| *c != ']') {
            let hi = *p.get(i + 1)?;
            if lo <= c && c <= hi {
                matched = true;
            }
            i += 2;
        } else if lo == c {
            matched = true;
        }
    }
}

/// `reference.FamiliarMatch`: the pattern against `name:tag`, then against the name.
pub fn familiar_match(pattern: &str, reference: &str) -> bool {
    match parse_normalized_named(reference) {
        Ok(named) => {
            glob_match(pattern, &named.familiar_string())
                || glob_match(pattern, &named.familiar_name())
        }
        Err(_) => glob_match(pattern, reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_distribution_reference() {
        let cases = [
            ("alpine", "docker.io/library/alpine", "alpine"),
            ("alpine:3.19", "docker.io/library/alpine", "alpine:3.19"),
            ("user/app:v1", "docker.io/user/app", "user/app:v1"),
            ("ghcr.io/x/y:1", "ghcr.io/x/y", "ghcr.io/x/y:1"),
            (
                "localhost:5000/app",
                "localhost:5000/app",
                "localhost:5000/app",
            ),
            (
                "docker.io/library/nginx:latest",
                "docker.io/library/nginx",
                "nginx:latest",
            ),
        ];
        for (input, name, familiar) in cases {
            let named = parse_normalized_named(input).unwrap();
            assert_eq!(named.name(), name, "{input}");
            assert_eq!(named.familiar_string(), familiar, "{input}");
        }
        assert_eq!(tag_name_only("alpine"), "alpine:latest");
        assert_eq!(
            parse_normalized_named("Alpine").unwrap_err(),
            "invalid reference format: repository name (library/Alpine) must be lowercase"
        );
        assert!(parse_normalized_named("a:b:c").is_err());
        assert_eq!(
            truncate_id("sha256:4e38e38c8ce0b8d9041a9c4fefe786631d1416225e13b0bfe8cfa2321aec4bba"),
            "4e38e38c8ce0"
        );
        assert_eq!(truncate_id("<missing>"), "<missing>");
    }

    #[test]
    fn go_path_match() {
        let cases = [
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*/b", "abc/b", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*", "ab/c", false),
            ("a?b", "a/b", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("ubuntu*", "ubuntu:22.04", true),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(glob_match(pattern, name), expected, "{pattern} {name}");
        }
        assert!(familiar_match("alpine", "alpine:3.19"));
        assert!(familiar_match("alpine:3*", "alpine:3.19"));
        assert!(!familiar_match("alp", "alpine:3.19"));
    }
}
