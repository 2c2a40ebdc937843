//! Container ids and names.
//!
//! Docker draws a random 64-hex id and, without `--name`, a random `adjective_surname`
//! (retrying up to six times with an extra digit, then falling back to the short id). We
//! do the same deterministically: every choice is a sha256 of a counter, so a session
//! replays to the same ids and names. The word lists are our own (Docker's list honours
//! scientists and hackers too; these are not its entries verbatim).

use sha2::{Digest as _, Sha256};

const ADJECTIVES: &[&str] = &[
    "agile", "amber", "bold", "brave", "bright", "busy", "calm", "candid", "clever", "cosmic",
    "crisp", "curious", "daring", "eager", "earnest", "elated", "fervent", "fond", "gentle",
    "glad", "happy", "hardy", "humble", "jolly", "keen", "kind", "lively", "lucid", "merry",
    "modest", "nimble", "noble", "patient", "placid", "plucky", "polite", "proud", "quick",
    "quiet", "radiant", "relaxed", "serene", "sharp", "sleepy", "steady", "stoic", "sunny",
    "swift", "tender", "upbeat", "vivid", "witty", "zealous",
];

const SURNAMES: &[&str] = &[
    "agnesi",
    "babbage",
    "bardeen",
    "bohr",
    "boole",
    "cori",
    "curie",
    "darwin",
    "dijkstra",
    "einstein",
    "euler",
    "faraday",
    "fermi",
    "feynman",
    "franklin",
    "galileo",
    "gauss",
    "goodall",
    "hamilton",
    "herschel",
    "hodgkin",
    "hopper",
    "hypatia",
    "kepler",
    "knuth",
    "lamarr",
    "lamport",
    "leakey",
    "liskov",
    "lovelace",
    "maxwell",
    "mcclintock",
    "meitner",
    "mendel",
    "newton",
    "noether",
    "pascal",
    "pasteur",
    "planck",
    "ramanujan",
    "ritchie",
    "sagan",
    "shannon",
    "somerville",
    "tesla",
    "thompson",
    "turing",
    "volta",
    "yalow",
];

/// How many generated names are tried before the short id is used (as moby does).
pub const NAME_ATTEMPTS: u32 = 6;

fn draw(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

fn pick(bytes: &[u8], at: usize, len: usize) -> usize {
    let mut n = 0usize;
    for b in bytes.iter().skip(at).take(4) {
        n = (n << 8) | usize::from(*b);
    }
    n % len.max(1)
}

/// The generated name for the `serial`-th container, attempt `retry` (0-based): like
/// moby's `GetRandomName(retry)`, attempts after the first end in one digit.
pub fn generated_name(serial: u64, retry: u32) -> String {
    let d = draw(&[b"name", &serial.to_le_bytes(), &retry.to_le_bytes()]);
    let adjective = ADJECTIVES
        .get(pick(&d, 0, ADJECTIVES.len()))
        .unwrap_or(&"quiet");
    let surname = SURNAMES
        .get(pick(&d, 4, SURNAMES.len()))
        .unwrap_or(&"turing");
    let mut name = format!("{adjective}_{surname}");
    if retry > 0 {
        name.push(char::from(b'0' + d.get(8).copied().unwrap_or(0) % 10));
    }
    name
}

/// A 64-hex id: sha256 of a counter, the container's name and the logical time.
pub fn generate_id(kind: &str, serial: u64, name: &str, now: i64) -> String {
    let d = draw(&[
        kind.as_bytes(),
        &serial.to_le_bytes(),
        name.as_bytes(),
        &now.to_le_bytes(),
    ]);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (a leading `/` is allowed and ignored).
pub fn valid_name(name: &str) -> bool {
    let n = name.strip_prefix('/').unwrap_or(name);
    let mut chars = n.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    let rest: Vec<char> = chars.collect();
    !rest.is_empty()
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_look_like_dockers_and_are_deterministic() {
        let a = generated_name(1, 0);
        assert_eq!(a, generated_name(1, 0));
        let (adj, sur) = a.split_once('_').unwrap_or_default();
        assert!(ADJECTIVES.contains(&adj) && SURNAMES.contains(&sur), "{a}");
        assert!(generated_name(1, 1).ends_with(|c: char| c.is_ascii_digit()));
        let id = generate_id("container", 1, &a, 0);
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn name_rules() {
        for (name, ok) in [
            ("web", true),
            ("/web", true),
            ("a", false),
            ("my_app.v1-2", true),
            ("_x", false),
            ("x y", false),
            ("", false),
        ] {
            assert_eq!(valid_name(name), ok, "{name}");
        }
    }
}
