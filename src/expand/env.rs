//! Where the expander looks variables up: the [`Environment`] trait and [`EnvList`], an
//! ordered `KEY=VALUE` list with BuildKit's reading rules.
//!
//! Invariants of [`EnvList`]: entries are kept exactly as given (an entry without `=` is a
//! key with an empty value); a lookup takes the **last** entry whose key matches; keys match
//! exactly, or ignoring case when the list is marked Windows (Go's `NormalizeEnvKey`:
//! upper-casing rune by rune).

/// Something the lexer can ask for a variable's value.
pub trait Environment {
    /// The value of `name`, or `None` when it is not set (set-but-empty is `Some("")`).
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl<T: Environment + ?Sized> Environment for &T {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

/// No variable is set (BuildKit's `emptyEnvs`, e.g. for `COPY --from` checks).
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyEnv;

impl Environment for EmptyEnv {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// An ordered list of `KEY=VALUE` entries (image config `Env`, `docker run -e`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvList {
    entries: Vec<String>,
    fold_case: bool,
}

impl EnvList {
    pub fn new() -> Self {
        Self::default()
    }

    /// A list from `KEY=VALUE` strings, kept as given.
    pub fn from_entries<I, S>(entries: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            entries: entries.into_iter().map(Into::into).collect(),
            fold_case: false,
        }
    }

    /// Compare keys ignoring case, as Windows does (BuildKit's `EnvsFromSlice` on Windows,
    /// the legacy builder on a Windows daemon).
    #[must_use]
    pub fn windows(mut self, windows: bool) -> Self {
        self.fold_case = windows;
        self
    }

    pub fn is_windows(&self) -> bool {
        self.fold_case
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    pub fn into_entries(self) -> Vec<String> {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keys in entry order (duplicates included).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| split_entry(e).0)
    }

    /// Set `key` the way an image config's `Env` is updated (BuildKit's and moby's
    /// `addEnv`): the **first** entry with that key is replaced in place, otherwise the entry
    /// is appended.
    pub fn set(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        let fold = self.fold_case;
        match self
            .entries
            .iter_mut()
            .find(|e| keys_equal(split_entry(e).0, key, fold))
        {
            Some(slot) => *slot = entry,
            None => self.entries.push(entry),
        }
    }

    /// Set `key` the way BuildKit's LLB state env is updated (`AddEnv`): every older entry
    /// for the key goes and the new one is appended, so the key moves to the end.
    pub fn add_or_replace(&mut self, key: &str, value: &str) {
        let fold = self.fold_case;
        self.entries
            .retain(|e| !keys_equal(split_entry(e).0, key, fold));
        self.entries.push(format!("{key}={value}"));
    }

    /// Remove every entry for `key`.
    pub fn remove(&mut self, key: &str) {
        let fold = self.fold_case;
        self.entries
            .retain(|e| !keys_equal(split_entry(e).0, key, fold));
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.lookup(key).is_some()
    }
}

impl Environment for EnvList {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.entries.iter().rev().find_map(|e| {
            let (k, v) = split_entry(e);
            keys_equal(k, name, self.fold_case).then_some(v)
        })
    }
}

/// `KEY=VALUE` → (`KEY`, `VALUE`); `KEY` → (`KEY`, ``).
pub fn split_entry(entry: &str) -> (&str, &str) {
    entry.split_once('=').unwrap_or((entry, ""))
}

fn keys_equal(a: &str, b: &str, fold_case: bool) -> bool {
    if !fold_case {
        return a == b;
    }
    let mut left = a.chars().map(upper);
    let mut right = b.chars().map(upper);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// Go's `unicode.ToUpper` (simple mapping): a character whose upper case is several
/// characters (`ß`) stays as it is.
fn upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_lookup_ignores_case() {
        let env = EnvList::from_entries(["PWD=/home", "straße=x"]).windows(true);
        assert_eq!(env.lookup("pwd"), Some("/home"));
        assert_eq!(env.lookup("STRAßE"), Some("x"));
        assert_eq!(EnvList::from_entries(["PWD=/home"]).lookup("pwd"), None);
    }

    #[test]
    fn add_or_replace_moves_key_to_the_end() {
        let mut env = EnvList::from_entries(["A=1", "B=2", "A=0"]);
        env.add_or_replace("A", "3");
        assert_eq!(env.entries(), ["B=2", "A=3"]);
    }
}
