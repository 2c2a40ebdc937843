//! The build cache (docker-semantics §7): a step is reused when a record exists for the exact
//! state the previous step produced (its chain key) and the step's own key. A miss carries a
//! [`MissCause`] in words a learner understands.
//!
//! What goes into a key is the builder's business (it differs between BuildKit and the legacy
//! builder); this module stores keys as labelled parts so that it can explain a miss by
//! comparing with the record that was there before.

use crate::text::hex;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One labelled input of a step's cache key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyPart {
    /// The instruction as it runs (expanded where the builder expands).
    Instruction(String),
    /// A build arg visible to the step, with its value.
    Arg(String, String),
    /// An environment variable visible to the step, with its value.
    Env(String, String),
    /// WORKDIR, USER, SHELL, network, mounts…: name and value.
    Setting(&'static str, String),
    /// A source file of COPY/ADD: path and checksum of content and metadata (not mtime).
    Source(String, String),
}

/// The key of one step: its parts, kept sorted so that order never matters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepKey {
    parts: Vec<KeyPart>,
}

impl StepKey {
    pub fn new(mut parts: Vec<KeyPart>) -> Self {
        parts.sort();
        parts.dedup();
        Self { parts }
    }

    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for part in &self.parts {
            hasher.update(format!("{part:?}\n").as_bytes());
        }
        format!("sha256:{}", hex(&hasher.finalize()))
    }

    /// The instruction part of the key (what the step runs), if any.
    pub fn instruction(&self) -> Option<&str> {
        self.parts.iter().find_map(|p| match p {
            KeyPart::Instruction(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

/// The chain key of the state after a step: what the next step is looked up under.
pub fn chain(parent: &str, step: &StepKey) -> String {
    let mut hasher = Sha256::new();
    hasher.update(parent.as_bytes());
    hasher.update(b" ");
    hasher.update(step.digest().as_bytes());
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// Why a step was not taken from the cache.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MissCause {
    /// `--no-cache`.
    NoCache,
    /// Nothing was ever built from this state: the first build, or a new base.
    NotCached,
    /// An earlier step in this stage was rebuilt, so this step's input state is new.
    ParentRebuilt,
    /// The instruction text differs from the one cached here.
    InstructionChanged,
    /// Source files of COPY/ADD changed.
    FilesChanged {
        changed: Vec<String>,
        added: Vec<String>,
        removed: Vec<String>,
    },
    ArgChanged {
        name: String,
    },
    EnvChanged {
        name: String,
    },
    SettingChanged {
        name: String,
    },
}

impl MissCause {
    /// The cause in English; the page translates by `kind`.
    pub fn describe(&self) -> String {
        fn list(paths: &[String]) -> String {
            paths.join(", ")
        }
        match self {
            MissCause::NoCache => "--no-cache was given".into(),
            MissCause::NotCached => "not in the build cache yet".into(),
            MissCause::ParentRebuilt => "an earlier step was rebuilt".into(),
            MissCause::InstructionChanged => "the instruction changed".into(),
            MissCause::FilesChanged {
                changed,
                added,
                removed,
            } => {
                let mut words = Vec::new();
                if !changed.is_empty() {
                    words.push(format!("the content of {} changed", list(changed)));
                }
                if !added.is_empty() {
                    words.push(format!("{} added", list(added)));
                }
                if !removed.is_empty() {
                    words.push(format!("{} removed", list(removed)));
                }
                words.join("; ")
            }
            MissCause::ArgChanged { name } => format!("ARG {name} changed"),
            MissCause::EnvChanged { name } => format!("ENV {name} changed"),
            MissCause::SettingChanged { name } => format!("{name} changed"),
        }
    }
}

/// Result of a look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    Hit(T),
    Miss(MissCause),
}

#[derive(Debug, Clone)]
struct Record<T> {
    key: StepKey,
    value: T,
    /// Cache hits since the record was stored, and the logical time of the last one
    /// (BuildKit's usage count and "last used", shown by `docker system df -v`).
    hits: u64,
    last_hit: Option<i64>,
}

/// A stored record as [`BuildCache::records`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a, T> {
    /// The chain key the record is filed under (the state the step started from).
    pub parent: &'a str,
    pub key: &'a StepKey,
    pub value: &'a T,
    pub hits: u64,
    pub last_hit: Option<i64>,
}

/// Records per parent chain key. `T` is whatever the builder needs to replay a step.
#[derive(Debug, Clone)]
pub struct BuildCache<T> {
    records: BTreeMap<String, Vec<Record<T>>>,
}

impl<T> Default for BuildCache<T> {
    fn default() -> Self {
        Self {
            records: BTreeMap::new(),
        }
    }
}

impl<T: Clone> BuildCache<T> {
    pub fn lookup(&self, parent: &str, key: &StepKey) -> Lookup<T> {
        let Some(records) = self.records.get(parent) else {
            return Lookup::Miss(MissCause::NotCached);
        };
        if let Some(record) = records.iter().find(|r| &r.key == key) {
            return Lookup::Hit(record.value.clone());
        }
        // Explain against the most recent record of the same instruction, else the latest.
        let previous = records
            .iter()
            .rev()
            .find(|r| r.key.instruction() == key.instruction())
            .or_else(|| records.last());
        Lookup::Miss(previous.map_or(MissCause::NotCached, |r| explain(&r.key, key)))
    }

    pub fn insert(&mut self, parent: &str, key: StepKey, value: T) {
        let records = self.records.entry(parent.to_string()).or_default();
        records.retain(|r| r.key != key);
        records.push(Record {
            key,
            value,
            hits: 0,
            last_hit: None,
        });
    }

    /// Counts a cache hit on the record `(parent, key)` at logical time `at`.
    pub fn record_hit(&mut self, parent: &str, key: &StepKey, at: i64) {
        if let Some(record) = self
            .records
            .get_mut(parent)
            .and_then(|records| records.iter_mut().find(|r| &r.key == key))
        {
            record.hits = record.hits.saturating_add(1);
            record.last_hit = Some(at);
        }
    }

    /// Every record, grouped by parent chain key (sorted), oldest first within a group.
    pub fn records(&self) -> impl Iterator<Item = RecordView<'_, T>> {
        self.records.iter().flat_map(|(parent, records)| {
            records.iter().map(move |r| RecordView {
                parent: parent.as_str(),
                key: &r.key,
                value: &r.value,
                hits: r.hits,
                last_hit: r.last_hit,
            })
        })
    }

    pub fn len(&self) -> usize {
        self.records.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.records.clear();
    }
}

fn explain(old: &StepKey, new: &StepKey) -> MissCause {
    if old.instruction() != new.instruction() {
        return MissCause::InstructionChanged;
    }
    let sources = |key: &StepKey| -> BTreeMap<String, String> {
        key.parts
            .iter()
            .filter_map(|p| match p {
                KeyPart::Source(path, sum) => Some((path.clone(), sum.clone())),
                _ => None,
            })
            .collect()
    };
    let (before, after) = (sources(old), sources(new));
    if before != after {
        let changed = after
            .iter()
            .filter(|(path, sum)| before.get(*path).is_some_and(|old| old != *sum))
            .map(|(path, _)| path.clone())
            .collect();
        let added = after
            .keys()
            .filter(|p| !before.contains_key(*p))
            .cloned()
            .collect();
        let removed = before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .cloned()
            .collect();
        return MissCause::FilesChanged {
            changed,
            added,
            removed,
        };
    }
    // The first labelled part that differs names the cause.
    let differing = new
        .parts
        .iter()
        .find(|p| !old.parts.contains(p))
        .or_else(|| old.parts.iter().find(|p| !new.parts.contains(p)));
    match differing {
        Some(KeyPart::Arg(name, _)) => MissCause::ArgChanged { name: name.clone() },
        Some(KeyPart::Env(name, _)) => MissCause::EnvChanged { name: name.clone() },
        Some(KeyPart::Setting(name, _)) => MissCause::SettingChanged {
            name: name.to_string(),
        },
        _ => MissCause::InstructionChanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_key(sum: &str) -> StepKey {
        StepKey::new(vec![
            KeyPart::Instruction("COPY app.go ./".into()),
            KeyPart::Source("app.go".into(), sum.into()),
        ])
    }

    #[test]
    fn hit_on_the_same_parent_and_key() {
        let mut cache = BuildCache::default();
        cache.insert("base", copy_key("a"), 1);
        assert_eq!(cache.lookup("base", &copy_key("a")), Lookup::Hit(1));
        assert_eq!(
            cache.lookup("other", &copy_key("a")),
            Lookup::Miss(MissCause::NotCached)
        );
    }

    #[test]
    fn a_changed_source_names_the_file() {
        let mut cache = BuildCache::default();
        cache.insert("base", copy_key("a"), 1);
        let Lookup::Miss(cause) = cache.lookup("base", &copy_key("b")) else {
            panic!("expected a miss")
        };
        assert_eq!(cause.describe(), "the content of app.go changed");
    }

    #[test]
    fn a_changed_arg_is_named() {
        let run = |v: &str| {
            StepKey::new(vec![
                KeyPart::Instruction("RUN echo $VERSION".into()),
                KeyPart::Arg("VERSION".into(), v.into()),
                KeyPart::Setting("WORKDIR", "/app".into()),
            ])
        };
        let mut cache = BuildCache::default();
        cache.insert("p", run("1"), ());
        let Lookup::Miss(cause) = cache.lookup("p", &run("2")) else {
            panic!("expected a miss")
        };
        assert_eq!(cause.describe(), "ARG VERSION changed");
        let edited = StepKey::new(vec![KeyPart::Instruction("RUN echo hi".into())]);
        assert_eq!(
            cache.lookup("p", &edited),
            Lookup::Miss(MissCause::InstructionChanged)
        );
    }

    #[test]
    fn chain_keys_depend_on_parent_and_step() {
        let key = copy_key("a");
        assert_ne!(chain("p1", &key), chain("p2", &key));
        assert_ne!(chain("p1", &key), chain("p1", &copy_key("b")));
        assert_eq!(chain("p1", &key), chain("p1", &copy_key("a")));
    }
}
