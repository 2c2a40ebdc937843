//! ARG and ENV scoping: which variables an instruction sees, what a `RUN` receives, and
//! the `|n K=V` text of a RUN's history entry — for BuildKit and for the legacy builder.
//! Pure data; the builder calls it while dispatching instructions in order.
//!
//! BuildKit (`dockerfile2llb`, `dispatchArg`, `runCommandString`):
//! * Global scope (ARGs before the first FROM) starts with the platform args
//!   (`BUILDPLATFORM`, `BUILDOS`, `BUILDOSVERSION`, `BUILDARCH`, `BUILDVARIANT`,
//!   `TARGETPLATFORM`, `TARGETOS`, `TARGETOSVERSION`, `TARGETARCH`, `TARGETVARIANT`,
//!   `TARGETSTAGE`; a `--build-arg` of the same name overrides). A global ARG takes its
//!   `--build-arg` value, else its default expanded against the globals so far; only
//!   `FROM` lines (image and `--platform`) expand against the globals.
//! * Inside a stage, `ARG K=v` takes the `--build-arg` value, else `v` expanded against the
//!   stage. `ARG K` takes the `--build-arg` value, else the global value (including the
//!   platform args), else stays unset. A value is put into the stage environment (it
//!   replaces an ENV of the same name for later steps — BuildKit's `AddEnv`); an `ENV`
//!   after it replaces it in turn. The image config's `Env` only gets ENV.
//! * A stage built `FROM` another stage starts with that stage's environment and ARGs.
//! * Expansion (ADD, COPY, ENV, …) reads the stage environment, names compared exactly
//!   (also for Windows images).
//! * A RUN gets the stage environment plus the proxy variables given as `--build-arg`
//!   (`HTTP_PROXY` and `http_proxy` … matched ignoring case, both spellings set). Proxies
//!   are not part of the cache key or history unless declared with ARG.
//! * History: `|n K=V …` lists the stage's ARGs in declaration order (inherited first),
//!   each once, with the value the RUN sees (or the ARG value, or empty when unset).
//! * An unused `--build-arg` is silently ignored.
//!
//! Legacy builder (moby `daemon/builder/dockerfile`, `BuildArgs`):
//! * Global ARGs have no platform args; FROM expands against the global ARGs (with
//!   `--build-arg` overrides) and proxy `--build-arg`s.
//! * Each stage starts with no ARGs, also `FROM <stage>`. `ARG K[=v]` (key and default
//!   expanded) makes K visible; its value is the `--build-arg`, else the default, else the
//!   global value. Proxy `--build-arg`s are visible without ARG.
//! * ENV always wins: an ARG whose name is in the config `Env` is not used.
//! * History and cache key: `|n K=V …` with the visible ARGs that are declared or not
//!   proxies, sorted; `|0` when only undeclared proxies are visible.
//! * `[Warning] One or more build-args [A B] were not consumed` for `--build-arg`s never
//!   declared by an ARG (proxies exempt).

use std::collections::{BTreeMap, BTreeSet};

use super::env::{split_entry, EnvList, Environment};
use super::error::ExpandError;
use super::lexer::Lexer;

/// Which builder's rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuilderKind {
    #[default]
    BuildKit,
    Legacy,
}

/// An OCI platform without OS version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: String,
}

impl Platform {
    pub fn new(os: &str, arch: &str, variant: &str) -> Self {
        Self {
            os: os.to_string(),
            arch: arch.to_string(),
            variant: variant.to_string(),
        }
    }

    pub fn linux_amd64() -> Self {
        Self::new("linux", "amd64", "")
    }

    /// `os/arch[/variant]`, as containerd's `platforms.Format` writes it.
    pub fn format(&self) -> String {
        if self.variant.is_empty() {
            format!("{}/{}", self.os, self.arch)
        } else {
            format!("{}/{}/{}", self.os, self.arch, self.variant)
        }
    }
}

impl Default for Platform {
    fn default() -> Self {
        Self::linux_amd64()
    }
}

/// Everything about a build that scoping depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSettings {
    pub builder: BuilderKind,
    /// `--build-arg KEY=VALUE` (a later duplicate wins, as in the CLI).
    pub build_args: BTreeMap<String, String>,
    pub build_platform: Platform,
    pub target_platform: Platform,
    /// The stage being built (`--target`, else the last stage's name; may be empty).
    pub target_stage: String,
    /// A Windows daemon: the legacy builder then compares variable names ignoring case.
    pub windows: bool,
}

/// The predefined proxy args (moby's `builtinAllowedBuildArgs`).
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// BuildKit args that configure the build and never reach a RUN's environment.
pub const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Whether `key` is one of the predefined proxy args (exact spelling).
pub fn is_proxy_arg(key: &str) -> bool {
    PROXY_ARGS.contains(&key)
}

/// One declared ARG after dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredArg {
    pub key: String,
    /// `None`: declared without a value and none is available.
    pub value: Option<String>,
    /// This ARG's part of the history text `ARG …`: `K=V` or `K`.
    pub history: String,
}

/// The global scope: ARGs before the first FROM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalArgs {
    /// BuildKit: predefined and global ARG values. Legacy: unused.
    env: EnvList,
    /// Legacy: declared global ARGs and their (expanded) defaults, in order.
    meta: Vec<(String, Option<String>)>,
    /// Every name declared by an ARG anywhere so far (the legacy "referenced" set).
    referenced: BTreeSet<String>,
}

impl GlobalArgs {
    /// The global scope before any ARG.
    pub fn new(settings: &BuildSettings) -> Self {
        let mut env = EnvList::new();
        if settings.builder == BuilderKind::BuildKit {
            let b = &settings.build_platform;
            let t = &settings.target_platform;
            let stage = if settings.target_stage.is_empty() {
                "default".to_string()
            } else {
                settings.target_stage.clone()
            };
            let defaults = [
                ("BUILDPLATFORM", b.format()),
                ("BUILDOS", b.os.clone()),
                ("BUILDOSVERSION", String::new()),
                ("BUILDARCH", b.arch.clone()),
                ("BUILDVARIANT", b.variant.clone()),
                ("TARGETPLATFORM", t.format()),
                ("TARGETOS", t.os.clone()),
                ("TARGETOSVERSION", String::new()),
                ("TARGETARCH", t.arch.clone()),
                ("TARGETVARIANT", t.variant.clone()),
                ("TARGETSTAGE", stage),
            ];
            for (key, value) in defaults {
                let value = settings.build_args.get(key).cloned().unwrap_or(value);
                env.add_or_replace(key, &value);
            }
        }
        Self {
            env,
            meta: Vec::new(),
            referenced: BTreeSet::new(),
        }
    }

    /// Dispatch a global `ARG key[=default]` (`default` as written, unexpanded).
    pub fn declare(
        &mut self,
        settings: &BuildSettings,
        lexer: &Lexer,
        key: &str,
        default: Option<&str>,
    ) -> Result<DeclaredArg, ExpandError> {
        match settings.builder {
            BuilderKind::BuildKit => {
                let value = match (settings.build_args.get(key), default) {
                    (Some(v), _) => Some(v.clone()),
                    (None, Some(d)) => Some(lexer.process_word(d, &self.env)?.value),
                    (None, None) => None,
                };
                if let Some(v) = &value {
                    self.env.add_or_replace(key, v);
                }
                self.referenced.insert(key.to_string());
                Ok(declared(key, value))
            }
            BuilderKind::Legacy => {
                let env = self.legacy_allowed(settings);
                let key = lexer.process_word(key, &env)?.value;
                let default = match default {
                    Some(d) => Some(lexer.process_word(d, &env)?.value),
                    None => None,
                };
                self.meta.push((key.clone(), default.clone()));
                self.referenced.insert(key.clone());
                Ok(declared(&key, default))
            }
        }
    }

    /// What `FROM` lines (image name, `--platform`) expand against.
    pub fn from_env(&self, settings: &BuildSettings) -> EnvList {
        match settings.builder {
            BuilderKind::BuildKit => self.env.clone(),
            BuilderKind::Legacy => self.legacy_allowed(settings),
        }
    }

    /// The global value an in-stage `ARG key` (without value) inherits.
    fn global_value(&self, settings: &BuildSettings, key: &str) -> Option<String> {
        match settings.builder {
            BuilderKind::BuildKit => self.env.lookup(key).map(str::to_string),
            BuilderKind::Legacy => self
                .meta
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.clone()),
        }
    }

    /// Legacy `GetAllMeta`/`GetAllAllowed` over the global ARGs: declared keys and proxy
    /// keys, each with its `--build-arg` value, else its default.
    fn legacy_allowed(&self, settings: &BuildSettings) -> EnvList {
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        for (key, default) in &self.meta {
            let value = settings.build_args.get(key).or(default.as_ref());
            if let Some(v) = value {
                values.insert(key, v.clone());
            } else {
                values.remove(key.as_str());
            }
        }
        for key in PROXY_ARGS {
            if let Some(v) = settings.build_args.get(key) {
                values.entry(key).or_insert_with(|| v.clone());
            }
        }
        EnvList::from_entries(values.iter().map(|(k, v)| format!("{k}={v}")))
            .windows(settings.windows)
    }
}

fn declared(key: &str, value: Option<String>) -> DeclaredArg {
    let history = match &value {
        Some(v) => format!("{key}={v}"),
        None => key.to_string(),
    };
    DeclaredArg {
        key: key.to_string(),
        value,
        history,
    }
}

/// The variables of one stage while it is being dispatched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageScope {
    /// BuildKit: the build state's environment (image Env, ENV and ARG values, in the order
    /// of their last assignment). Legacy: the run config's `Env`.
    env: EnvList,
    /// The image config's `Env` (what ENV writes and the final image keeps).
    image_env: EnvList,
    /// ARGs in effect, in declaration order (BuildKit: inherited ones first). For the
    /// legacy builder the value is the declared default (the `--build-arg` applies later).
    args: Vec<(String, Option<String>)>,
}

impl StageScope {
    /// A stage `FROM` an image (or scratch) whose config has `image_env`.
    pub fn from_image(settings: &BuildSettings, image_env: &[String]) -> Self {
        let image_env = EnvList::from_entries(image_env.iter().cloned()).windows(settings.windows);
        let env = match settings.builder {
            BuilderKind::BuildKit => {
                let mut env = EnvList::new();
                for entry in image_env.entries() {
                    let (k, v) = split_entry(entry);
                    env.add_or_replace(k, v);
                }
                env
            }
            BuilderKind::Legacy => image_env.clone(),
        };
        Self {
            env,
            image_env,
            args: Vec::new(),
        }
    }

    /// A stage `FROM` an earlier stage: BuildKit carries over its environment and ARGs;
    /// the legacy builder starts from its image config only.
    pub fn from_stage(settings: &BuildSettings, parent: &StageScope) -> Self {
        match settings.builder {
            BuilderKind::BuildKit => parent.clone(),
            BuilderKind::Legacy => Self {
                env: parent.image_env.clone(),
                image_env: parent.image_env.clone(),
                args: Vec::new(),
            },
        }
    }

    /// Dispatch `ARG key[=default]` inside the stage (`default` as written).
    pub fn declare_arg(
        &mut self,
        settings: &BuildSettings,
        globals: &mut GlobalArgs,
        lexer: &Lexer,
        key: &str,
        default: Option<&str>,
    ) -> Result<DeclaredArg, ExpandError> {
        match settings.builder {
            BuilderKind::BuildKit => {
                let value = match (settings.build_args.get(key), default) {
                    (Some(v), _) => Some(v.clone()),
                    (None, Some(d)) => Some(lexer.process_word(d, &self.env)?.value),
                    (None, None) => globals.global_value(settings, key),
                };
                if let Some(v) = &value {
                    if !NON_ENV_ARGS.contains(&key) {
                        self.env.add_or_replace(key, v);
                    }
                }
                self.args.push((key.to_string(), value.clone()));
                globals.referenced.insert(key.to_string());
                Ok(declared(key, value))
            }
            BuilderKind::Legacy => {
                let env = self.legacy_expansion_env(settings, globals);
                let key = lexer.process_word(key, &env)?.value;
                let default = match default {
                    Some(d) => Some(lexer.process_word(d, &env)?.value),
                    None => None,
                };
                self.args.retain(|(k, _)| *k != key);
                self.args.push((key.clone(), default.clone()));
                globals.referenced.insert(key.clone());
                Ok(declared(&key, default))
            }
        }
    }

    /// Dispatch one `ENV key=value` pair (value already expanded).
    pub fn set_env(&mut self, settings: &BuildSettings, key: &str, value: &str) {
        self.image_env.set(key, value);
        match settings.builder {
            BuilderKind::BuildKit => self.env.add_or_replace(key, value),
            BuilderKind::Legacy => self.env = self.image_env.clone(),
        }
    }

    /// The image config's `Env`.
    pub fn image_env(&self) -> &EnvList {
        &self.image_env
    }

    /// ARGs in effect (key, value as BuildKit stores it / legacy declared default).
    pub fn args(&self) -> &[(String, Option<String>)] {
        &self.args
    }

    /// What ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR (and ARG
    /// defaults) expand against.
    pub fn expansion_env(&self, settings: &BuildSettings, globals: &GlobalArgs) -> EnvList {
        match settings.builder {
            BuilderKind::BuildKit => self.env.clone(),
            BuilderKind::Legacy => self.legacy_expansion_env(settings, globals),
        }
    }

    /// The environment of a RUN's process, `KEY=VALUE` in order.
    pub fn run_env(&self, settings: &BuildSettings, globals: &GlobalArgs) -> Vec<String> {
        match settings.builder {
            BuilderKind::BuildKit => {
                let mut env = self.env.entries().to_vec();
                env.extend(buildkit_proxy_env(settings));
                env
            }
            BuilderKind::Legacy => {
                let mut env = self.env.entries().to_vec();
                env.extend(
                    self.legacy_filter_allowed(settings, globals)
                        .into_iter()
                        .map(|(k, v)| format!("{k}={v}")),
                );
                env
            }
        }
    }

    /// The `KEY=VALUE` list that a RUN's cache key depends on besides the command: the
    /// stage environment without undeclared proxies (legacy: the run config `Env`; its
    /// args are part of the command through the history prefix).
    pub fn run_cache_env(&self) -> Vec<String> {
        self.env.entries().to_vec()
    }

    /// The args written before a RUN's command in its history entry, or `None` when no
    /// prefix is written. Join with spaces: `|2 A=1 B=2`.
    pub fn run_history_args(
        &self,
        settings: &BuildSettings,
        globals: &GlobalArgs,
    ) -> Option<Vec<String>> {
        let list = match settings.builder {
            BuilderKind::BuildKit => {
                let mut list: Vec<(String, String)> = Vec::new();
                for (key, value) in &self.args {
                    let v = self
                        .env
                        .lookup(key)
                        .map(str::to_string)
                        .unwrap_or_else(|| value.clone().unwrap_or_default());
                    match list.iter_mut().find(|(k, _)| k == key) {
                        Some(slot) => slot.1 = v,
                        None => list.push((key.clone(), v)),
                    }
                }
                if list.is_empty() {
                    return None;
                }
                list.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
            }
            BuilderKind::Legacy => {
                let allowed = self.legacy_filter_allowed(settings, globals);
                if allowed.is_empty() {
                    return None;
                }
                let mut list: Vec<String> = allowed
                    .into_iter()
                    .filter(|(k, _)| !is_proxy_arg(k) || self.args.iter().any(|(a, _)| a == k))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                list.sort();
                list
            }
        };
        let mut out = vec![format!("|{}", list.len())];
        out.extend(list);
        Some(out)
    }

    /// The history prefix as text (`|2 A=1 B=2`), if any.
    pub fn run_history_prefix(
        &self,
        settings: &BuildSettings,
        globals: &GlobalArgs,
    ) -> Option<String> {
        self.run_history_args(settings, globals)
            .map(|args| args.join(" "))
    }

    /// Legacy `GetAllAllowed`: the stage's ARGs and proxy `--build-arg`s with their values.
    fn legacy_allowed(
        &self,
        settings: &BuildSettings,
        globals: &GlobalArgs,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (key, default) in &self.args {
            let value = settings
                .build_args
                .get(key)
                .cloned()
                .or_else(|| default.clone())
                .or_else(|| globals.global_value(settings, key));
            if let Some(v) = value {
                out.insert(key.clone(), v);
            }
        }
        for key in PROXY_ARGS {
            if let Some(v) = settings.build_args.get(key) {
                out.entry(key.to_string()).or_insert_with(|| v.clone());
            }
        }
        out
    }

    /// Legacy `FilterAllowed`: allowed args whose name is not in the config `Env`.
    fn legacy_filter_allowed(
        &self,
        settings: &BuildSettings,
        globals: &GlobalArgs,
    ) -> Vec<(String, String)> {
        let env_keys: BTreeSet<&str> = self.env.keys().collect();
        self.legacy_allowed(settings, globals)
            .into_iter()
            .filter(|(k, _)| !env_keys.contains(k.as_str()))
            .collect()
    }

    fn legacy_expansion_env(&self, settings: &BuildSettings, globals: &GlobalArgs) -> EnvList {
        let mut entries = self.env.entries().to_vec();
        entries.extend(
            self.legacy_filter_allowed(settings, globals)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}")),
        );
        EnvList::from_entries(entries).windows(settings.windows)
    }
}

/// BuildKit's proxy environment for RUN: each proxy `--build-arg` (name matched ignoring
/// case; for two spellings the one sorting last wins) sets both spellings.
fn buildkit_proxy_env(settings: &BuildSettings) -> Vec<String> {
    let mut out = Vec::new();
    for (upper, lower) in [
        ("HTTP_PROXY", "http_proxy"),
        ("HTTPS_PROXY", "https_proxy"),
        ("FTP_PROXY", "ftp_proxy"),
        ("NO_PROXY", "no_proxy"),
        ("ALL_PROXY", "all_proxy"),
    ] {
        let value = settings
            .build_args
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(upper))
            .map(|(_, v)| v)
            .next_back();
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.push(format!("{upper}={v}"));
            out.push(format!("{lower}={v}"));
        }
    }
    out
}

/// `--build-arg`s that no ARG declared (proxies exempt), sorted.
pub fn unused_build_args(settings: &BuildSettings, globals: &GlobalArgs) -> Vec<String> {
    settings
        .build_args
        .keys()
        .filter(|k| !globals.referenced.contains(*k) && !is_proxy_arg(k))
        .cloned()
        .collect()
}

/// The warning the legacy builder prints after the build for unused `--build-arg`s.
/// BuildKit prints nothing (moby/buildkit#2128).
pub fn unused_build_args_warning(settings: &BuildSettings, globals: &GlobalArgs) -> Option<String> {
    if settings.builder != BuilderKind::Legacy {
        return None;
    }
    let unused = unused_build_args(settings, globals);
    (!unused.is_empty()).then(|| {
        format!(
            "[Warning] One or more build-args [{}] were not consumed",
            unused.join(" ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a tiny Dockerfile-like script through the scope model and returns one output
    /// per query line. Lines: `ARG K[=v]` (global before the first FROM), `FROM image
    /// [K=V…]` (image with that config Env), `FROM stage N`, `ENV K=V` (value expanded),
    /// and the queries `FROMWORD w` (expand like a FROM line), `ECHO w` (expand in the
    /// stage), `RUN` (history prefix or `-`), `RUNENV`, `UNUSED` (warning or `-`).
    fn run_script(settings: &BuildSettings, script: &str) -> Vec<String> {
        let lexer = Lexer::new('\\');
        let mut globals = GlobalArgs::new(settings);
        let mut stages: Vec<StageScope> = Vec::new();
        let mut out = Vec::new();
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
            match cmd {
                "ARG" => {
                    let (key, default) = match rest.split_once('=') {
                        Some((k, v)) => (k, Some(v)),
                        None => (rest, None),
                    };
                    match stages.last_mut() {
                        None => globals.declare(settings, &lexer, key, default).map(|_| ()),
                        Some(stage) => stage
                            .declare_arg(settings, &mut globals, &lexer, key, default)
                            .map(|_| ()),
                    }
                    .unwrap();
                }
                "FROM" => {
                    let stage = match rest.strip_prefix("stage ") {
                        Some(n) => {
                            let parent = &stages[n.parse::<usize>().unwrap()];
                            StageScope::from_stage(settings, parent)
                        }
                        None => {
                            let env: Vec<String> =
                                rest.split(' ').skip(1).map(String::from).collect();
                            StageScope::from_image(settings, &env)
                        }
                    };
                    stages.push(stage);
                }
                "ENV" => {
                    let stage = stages.last_mut().unwrap();
                    let (key, value) = rest.split_once('=').unwrap();
                    let env = stage.expansion_env(settings, &globals);
                    let value = lexer.process_word(value, &env).unwrap().value;
                    stage.set_env(settings, key, &value);
                }
                "FROMWORD" => {
                    let env = globals.from_env(settings);
                    out.push(lexer.process_word(rest, &env).unwrap().value);
                }
                "ECHO" => {
                    let env = stages.last().unwrap().expansion_env(settings, &globals);
                    out.push(lexer.process_word(rest, &env).unwrap().value);
                }
                "RUN" => out.push(
                    stages
                        .last()
                        .unwrap()
                        .run_history_prefix(settings, &globals)
                        .unwrap_or_else(|| "-".to_string()),
                ),
                "RUNENV" => out.push(stages.last().unwrap().run_env(settings, &globals).join(" ")),
                "UNUSED" => out.push(
                    unused_build_args_warning(settings, &globals)
                        .unwrap_or_else(|| "-".to_string()),
                ),
                other => panic!("unknown script command {other}"),
            }
        }
        out
    }

    fn settings(builder: BuilderKind, build_args: &[(&str, &str)]) -> BuildSettings {
        BuildSettings {
            builder,
            build_args: build_args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..BuildSettings::default()
        }
    }

    fn check(settings: BuildSettings, script: &str, expected: &[&str]) {
        assert_eq!(run_script(&settings, script), expected, "script:\n{script}");
    }

    use BuilderKind::{BuildKit, Legacy};

    const GLOBAL_ARG: &str = "
        ARG V=1.0
        FROMWORD alpine:$V
        FROM alpine
        ECHO [$V]
        ARG V
        ECHO [$V]
        RUN";

    #[test]
    fn global_args_are_for_from_lines_until_redeclared() {
        check(
            settings(BuildKit, &[]),
            GLOBAL_ARG,
            &["alpine:1.0", "[]", "[1.0]", "|1 V=1.0"],
        );
        check(
            settings(BuildKit, &[("V", "2.0")]),
            GLOBAL_ARG,
            &["alpine:2.0", "[]", "[2.0]", "|1 V=2.0"],
        );
        check(
            settings(Legacy, &[]),
            GLOBAL_ARG,
            &["alpine:1.0", "[]", "[1.0]", "|1 V=1.0"],
        );
        check(
            settings(Legacy, &[("V", "2.0")]),
            GLOBAL_ARG,
            &["alpine:2.0", "[]", "[2.0]", "|1 V=2.0"],
        );
    }

    const PLATFORM_ARGS: &str = "
        ARG IMG=base-$TARGETARCH
        FROMWORD [$TARGETPLATFORM $BUILDARCH $IMG]
        FROM alpine
        ECHO [$TARGETARCH]
        ARG TARGETARCH
        ARG TARGETVARIANT
        ECHO [$TARGETARCH]
        RUN";

    #[test]
    fn platform_args_are_global_and_need_arg_in_a_stage() {
        check(
            settings(BuildKit, &[]),
            PLATFORM_ARGS,
            &[
                "[linux/amd64 amd64 base-amd64]",
                "[]",
                "[amd64]",
                "|2 TARGETARCH=amd64 TARGETVARIANT=",
            ],
        );
        let mut arm = settings(BuildKit, &[]);
        arm.target_platform = Platform::new("linux", "arm", "v7");
        check(
            arm,
            PLATFORM_ARGS,
            &[
                "[linux/arm/v7 amd64 base-arm]",
                "[]",
                "[arm]",
                "|2 TARGETARCH=arm TARGETVARIANT=v7",
            ],
        );
        // The legacy builder has no platform args.
        check(
            settings(Legacy, &[]),
            PLATFORM_ARGS,
            &["[  base-]", "[]", "[]", "-"],
        );
    }

    const ENV_AND_ARG: &str = "
        FROM alpine
        ARG X=arg
        ENV X=env
        ECHO $X
        RUN
        ENV Y=env
        ARG Y=arg
        ECHO $Y
        RUN";

    #[test]
    fn env_and_arg_of_the_same_name() {
        // BuildKit: the later one wins; the history shows the value RUN sees.
        check(
            settings(BuildKit, &[]),
            ENV_AND_ARG,
            &["env", "|1 X=env", "arg", "|2 X=env Y=arg"],
        );
        // Legacy: ENV always wins and such ARGs disappear from the history.
        check(
            settings(Legacy, &[]),
            ENV_AND_ARG,
            &["env", "-", "env", "-"],
        );
    }

    const PROXY: &str = "
        FROM alpine
        RUN
        RUNENV
        ECHO [$HTTP_PROXY]
        ARG HTTP_PROXY
        RUN
        UNUSED";

    #[test]
    fn proxy_args_are_hidden_until_declared() {
        let args = [("HTTP_PROXY", "http://p:3128"), ("FOO", "1")];
        check(
            settings(BuildKit, &args),
            PROXY,
            &[
                "-",
                "HTTP_PROXY=http://p:3128 http_proxy=http://p:3128",
                "[]",
                "|1 HTTP_PROXY=http://p:3128",
                "-",
            ],
        );
        check(
            settings(Legacy, &args),
            PROXY,
            &[
                "|0",
                "HTTP_PROXY=http://p:3128",
                "[http://p:3128]",
                "|1 HTTP_PROXY=http://p:3128",
                "[Warning] One or more build-args [FOO] were not consumed",
            ],
        );
    }

    const STAGES: &str = "
        FROM alpine
        ARG A=1
        ARG B=$A-x
        ARG C
        ENV E=e
        RUN
        FROM stage 0
        ECHO $A$E
        RUN
        FROM alpine
        ECHO [$A]";

    #[test]
    fn stage_args_are_inherited_by_child_stages_in_buildkit_only() {
        check(
            settings(BuildKit, &[]),
            STAGES,
            &["|3 A=1 B=1-x C=", "1e", "|3 A=1 B=1-x C=", "[]"],
        );
        check(
            settings(Legacy, &[]),
            STAGES,
            &["|2 A=1 B=1-x", "e", "-", "[]"],
        );
    }

    #[test]
    fn image_env_and_windows_names() {
        let script = "
            FROM img PATH=/bin Path2=C:/x FOO=bar
            ECHO $FOO [$path2]
            RUNENV";
        check(
            settings(BuildKit, &[]),
            script,
            &["bar []", "PATH=/bin Path2=C:/x FOO=bar"],
        );
        let mut windows = settings(Legacy, &[]);
        windows.windows = true;
        check(
            windows,
            script,
            &["bar [C:/x]", "PATH=/bin Path2=C:/x FOO=bar"],
        );
    }
}
