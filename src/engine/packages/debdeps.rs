//! Debian relationship fields (`Depends`, `Pre-Depends`, `Recommends`, `Suggests`,
//! `Provides`) in control-file syntax: `a (>= 1), b | c:any`.
//!
//! Only names and alternatives matter to the simulator (each name has one candidate
//! version in the index); operators and versions are kept for display.

/// One alternative: `name (op version)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebAlt {
    pub name: String,
    pub op: Option<String>,
    pub version: Option<String>,
}

/// Alternatives separated by `|`; one of them satisfies the group.
pub type DebGroup = Vec<DebAlt>;

/// Parses a relationship field into groups. Malformed pieces are skipped, never fatal.
pub fn parse_field(text: &str) -> Vec<DebGroup> {
    let mut groups = Vec::new();
    for part in text.split(',') {
        let mut group = Vec::new();
        for alt in part.split('|') {
            if let Some(a) = parse_alt(alt) {
                group.push(a);
            }
        }
        if !group.is_empty() {
            groups.push(group);
        }
    }
    groups
}

fn parse_alt(text: &str) -> Option<DebAlt> {
    let text = text.trim();
    // Drop build-profile / arch restrictions, which binary packages do not carry.
    let text = text.split(['[', '<']).next().unwrap_or("").trim();
    let (name_part, rest) = match text.find('(') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let name = name_part.trim();
    let name = name.split(':').next().unwrap_or("").trim();
    if name.is_empty() {
        return None;
    }
    let (mut op, mut version) = (None, None);
    if let Some(rest) = rest {
        let inner = rest.split(')').next().unwrap_or("").trim();
        let split = inner
            .find(|c: char| !matches!(c, '<' | '>' | '='))
            .unwrap_or(inner.len());
        let (o, v) = inner.split_at(split);
        if !o.is_empty() {
            op = Some(o.to_string());
        }
        let v = v.trim();
        if !v.is_empty() {
            version = Some(v.to_string());
        }
    }
    Some(DebAlt {
        name: name.to_string(),
        op,
        version,
    })
}

/// The group written back in control syntax.
pub fn group_text(group: &DebGroup) -> String {
    group
        .iter()
        .map(|a| match (&a.op, &a.version) {
            (Some(op), Some(v)) => format!("{} ({op} {v})", a.name),
            _ => a.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&[&str]]) {
        let got: Vec<Vec<String>> = parse_field(input)
            .iter()
            .map(|g| g.iter().map(|a| a.name.clone()).collect())
            .collect();
        let want: Vec<Vec<String>> = expected
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(got, want, "{input}");
    }

    #[test]
    fn parses_control_fields() {
        // Depends of curl and ca-certificates in bookworm.
        check(
            "libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u15), zlib1g (>= 1:1.1.4)",
            &[&["libc6"], &["libcurl4"], &["zlib1g"]],
        );
        check(
            "openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0",
            &[&["openssl"], &["debconf", "debconf-2.0"]],
        );
        check("python3:any, perl:any (>= 5.6)", &[&["python3"], &["perl"]]);
        check("", &[]);
        check(" , |, (>= 1)", &[]);
        let g = parse_field("zlib1g (>= 1:1.1.4)");
        assert_eq!(group_text(&g[0]), "zlib1g (>= 1:1.1.4)");
    }
}
