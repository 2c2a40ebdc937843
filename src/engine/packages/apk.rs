//! `apk` (apk-tools 2.12 on Alpine 3.13, 2.14 on 3.20): `add`, `del`, `update`, `upgrade`,
//! `cache clean`, `info`, as plans.
//!
//! Facts this module follows (apk-tools v2.12.7 / v2.14.4 source, `src/database.c`,
//! `src/solver.c`, `src/commit.c`, `src/app_*.c`):
//! - **Index and `--no-cache`.** `add` opens the database with auto-update: when the cached
//!   index of a repository (`/var/cache/apk/APKINDEX.<8 hex>.tar.gz`, since docker's alpine
//!   has no `/etc/apk/cache`) is missing or older than 4 hours, apk prints
//!   `fetch <url>/x86_64/APKINDEX.tar.gz` and **keeps** the file. So `apk add curl` without
//!   a prior `apk update` works, and leaves the index files (≈1–3 MB) in the layer. With
//!   `--no-cache` apk prints the same `fetch` lines but keeps nothing. The downloaded .apk
//!   files are never kept unless `/etc/apk/cache` exists. `apk del` never fetches.
//!   `apk cache clean` keeps the current index files (2.14) or fails with
//!   `ERROR: Package cache is not enabled.` and exit status 2 (2.12).
//! - **Resolution.** The world (`/etc/apk/world`) plus the arguments are solved: names,
//!   `so:`/`cmd:`/`pc:` provides (highest `provider_priority` wins; a world dependency on a
//!   name only provided without version or priority is refused), `install_if` (a package
//!   comes along once everything in its `i:` list is installed). Installed packages are
//!   kept at their installed version. `--virtual NAME` (`-t`) makes a meta package
//!   `NAME` (version: UTC time `%Y%m%d.%H%M%S`) depending on the arguments and puts only
//!   it in the world; `apk del NAME` then removes everything nothing else needs.
//! - **Order.** Removals of orphans come first (dependents before what they depend on),
//!   then a depth-first walk of the world in order: dependencies before the package, each
//!   `install_if` package right after what completed it; `(i/N) Installing name (ver)`.
//! - **Triggers** run after all changes, in the same order: busybox's on any change under
//!   `/bin /usr/bin /sbin /usr/sbin`, ca-certificates' on `/etc/ssl/certs` and
//!   `/usr/share/ca-certificates`.
//! - **Summary** `OK: <installed bytes of all packages / 1 MiB, rounded down> MiB in <n>
//!   packages`.
//! - **Errors** `ERROR: unable to select packages:` / `  foo (no such package):` /
//!   `    required by: world[foo]`, exit status = number of unsatisfiable names; `apk del foo`
//!   for an unknown name: `ERROR: No such package: foo`, exit 1.

use super::files::apk_files;
use super::index::{ApkDep, ApkIndex, ApkPkg, IndexChoice, PackageIndex};
use super::installed::InstalledDb;
use super::{FileKind, FileSpec, PkgError, PkgPlan, PkgRef, MAX_ARGS};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What `apk` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApkAction {
    Add {
        packages: Vec<String>,
        virtual_name: Option<String>,
    },
    Del {
        packages: Vec<String>,
    },
    Update,
    Upgrade,
    CacheClean,
    Info,
    /// Applets we accept but do not simulate (`search`, `fix`, `version`, `list` …): no change.
    Other(String),
}

/// A parsed `apk` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkRequest {
    pub action: ApkAction,
    pub no_cache: bool,
    /// `--update` / `-U`: refresh the index first (like `apk update`).
    pub update: bool,
    pub quiet: bool,
    /// Options accepted without effect here (`--no-progress`, `--allow-untrusted` …).
    pub ignored_options: Vec<String>,
}

impl ApkRequest {
    /// Parses the words after `apk` (options may come before or after the applet).
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<ApkRequest, PkgError> {
        let mut applet: Option<String> = None;
        let mut rest: Vec<String> = Vec::new();
        let mut no_cache = false;
        let mut update = false;
        let mut quiet = false;
        let mut virtual_name = None;
        let mut ignored = Vec::new();
        let mut it = args.iter().map(|a| a.as_ref()).take(MAX_ARGS * 2);
        while let Some(a) = it.next() {
            let takes_value = |o: &str| {
                matches!(
                    o,
                    "-t" | "--virtual"
                        | "-X"
                        | "--repository"
                        | "-p"
                        | "--root"
                        | "--arch"
                        | "--keys-dir"
                        | "--repositories-file"
                        | "--cache-dir"
                        | "--cache-max-age"
                        | "--wait"
                        | "--timeout"
                )
            };
            if a == "--" {
                rest.extend(it.by_ref().map(str::to_string));
                break;
            }
            if a.starts_with("--") {
                let (opt, inline) = match a.split_once('=') {
                    Some((o, v)) => (o, Some(v.to_string())),
                    None => (a, None),
                };
                let value = if takes_value(opt) && inline.is_none() {
                    it.next().map(str::to_string)
                } else {
                    inline
                };
                match opt {
                    "--no-cache" => no_cache = true,
                    "--update" => update = true,
                    "--quiet" => quiet = true,
                    "--virtual" => virtual_name = value,
                    "--no-progress"
                    | "--progress"
                    | "--allow-untrusted"
                    | "--verbose"
                    | "--interactive"
                    | "--upgrade"
                    | "--latest"
                    | "--clean-protected"
                    | "--no-scripts"
                    | "--purge"
                    | "--no-network"
                    | "--force"
                    | "--force-broken-world"
                    | "--force-overwrite"
                    | "--force-non-repository"
                    | "--force-old-apk"
                    | "--force-refresh"
                    | "--force-missing-repositories"
                    | "--initdb"
                    | "--no-check-certificate"
                    | "--repository"
                    | "--root"
                    | "--arch"
                    | "--keys-dir"
                    | "--repositories-file"
                    | "--cache-dir"
                    | "--cache-max-age"
                    | "--wait"
                    | "--timeout"
                    | "--simulate"
                    | "--recursive"
                    | "--rdepends" => ignored.push(opt.to_string()),
                    _ => {
                        return Err(usage_error(&format!(
                            "unrecognized option '{}'",
                            opt.trim_start_matches('-')
                        )))
                    }
                }
                continue;
            }
            if a.len() > 1 && a.starts_with('-') {
                let flags: Vec<char> = a.chars().skip(1).collect();
                for (i, f) in flags.iter().enumerate() {
                    match f {
                        'U' => update = true,
                        'q' => quiet = true,
                        'v' | 'i' | 'u' | 'l' | 'f' | 's' | 'r' => ignored.push(format!("-{f}")),
                        't' | 'X' | 'p' => {
                            let tail: String = flags[i + 1..].iter().collect();
                            let value = if tail.is_empty() {
                                it.next().map(str::to_string)
                            } else {
                                Some(tail)
                            };
                            if *f == 't' {
                                virtual_name = value;
                            } else {
                                ignored.push(format!("-{f}"));
                            }
                            break;
                        }
                        other => return Err(usage_error(&format!("invalid option -- '{other}'"))),
                    }
                }
                continue;
            }
            if applet.is_none() {
                applet = Some(a.to_string());
            } else {
                rest.push(a.to_string());
            }
        }
        rest.truncate(MAX_ARGS);
        let action = match applet.as_deref() {
            Some("add") => ApkAction::Add {
                packages: rest,
                virtual_name,
            },
            Some("del") => ApkAction::Del { packages: rest },
            Some("update") => ApkAction::Update,
            Some("upgrade") => ApkAction::Upgrade,
            Some("cache") if rest.first().map(String::as_str) == Some("clean") => {
                ApkAction::CacheClean
            }
            Some("info") => ApkAction::Info,
            Some(other) => ApkAction::Other(other.to_string()),
            None => return Err(usage_error("no applet given")),
        };
        Ok(ApkRequest {
            action,
            no_cache,
            update,
            quiet,
            ignored_options: ignored,
        })
    }
}

fn usage_error(msg: &str) -> PkgError {
    PkgError::new("", format!("apk: {msg}\n"), 1)
}

/// What the planner needs to know about the image besides its package database.
#[derive(Debug, Clone)]
pub struct ApkContext<'a> {
    pub index: &'a ApkIndex,
    /// The branch written in repository URLs (`v3.18` on an alpine:3.18 image even when the
    /// v3.20 index serves it).
    pub url_branch: String,
    /// The image's Alpine release (`3.20.8`), printed by `apk update`.
    pub release: String,
    /// `/var/cache/apk` already holds this branch's index files (earlier `apk update`, or
    /// `apk add` without `--no-cache`).
    pub index_cached: bool,
    /// Version of `--virtual` packages: apk uses the UTC time as `%Y%m%d.%H%M%S`; pass the
    /// build's logical clock.
    pub virtual_version: String,
    /// Set when the index only approximates the image's release.
    pub estimate_note: Option<String>,
}

impl<'a> ApkContext<'a> {
    /// The context for an index choice (see [`super::select_index`]); `None` for non-apk images.
    pub fn from_choice(choice: &IndexChoice) -> Option<ApkContext<'static>> {
        match choice.index {
            PackageIndex::Alpine(index) => Some(ApkContext {
                index,
                url_branch: choice.suite_name.clone(),
                release: choice.release.clone(),
                index_cached: false,
                virtual_version: "20240101.000000".to_string(),
                estimate_note: choice.note.clone(),
            }),
            PackageIndex::Debian(_) => None,
        }
    }

    fn index_url(&self, repo: usize) -> String {
        let name = self
            .index
            .repos
            .get(repo)
            .map(|r| r.name.as_str())
            .unwrap_or("main");
        format!("{}/{}/{}", self.index.mirror, self.url_branch, name)
    }

    fn fetch_lines(&self) -> String {
        (0..self.index.repos.len())
            .map(|i| format!("fetch {}/x86_64/APKINDEX.tar.gz\n", self.index_url(i)))
            .collect()
    }

    fn index_files(&self) -> Vec<FileSpec> {
        let mut v = vec![FileSpec::dir("/var/cache/apk")];
        for r in &self.index.repos {
            v.push(FileSpec::file(
                format!("/var/cache/apk/{}", r.cache_file),
                r.index_bytes,
                0o644,
            ));
        }
        v
    }
}

/// Plans an `apk` command.
pub fn plan(
    ctx: &ApkContext<'_>,
    installed: &InstalledDb,
    request: &ApkRequest,
) -> Result<PkgPlan, PkgError> {
    let mut plan = PkgPlan::default();
    if let Some(note) = &ctx.estimate_note {
        plan.note(note.clone());
    }
    match &request.action {
        ApkAction::Update => {
            let mut out = ctx.fetch_lines();
            for i in 0..ctx.index.repos.len() {
                out.push_str(&format!("v{} [{}]\n", ctx.release, ctx.index_url(i)));
            }
            out.push_str(&format!(
                "OK: {} distinct packages available\n",
                ctx.index.distinct
            ));
            plan.note("`apk update` prints the aports git description of each index; the release tag stands in for it");
            if ctx.index.distinct_estimated {
                plan.note(format!(
                    "the number of packages in the {} index is an estimate",
                    ctx.index.branch
                ));
            }
            if !request.no_cache {
                plan.files_to_add = ctx.index_files();
                if ctx.index.index_estimated {
                    plan.note(
                        "APKINDEX.tar.gz sizes are estimates (about 110 bytes per package record)",
                    );
                }
            }
            if !request.quiet {
                plan.stdout = out;
            }
            Ok(plan)
        }
        ApkAction::CacheClean => {
            if ctx.index.apk_tools == "2.12" {
                return Err(PkgError::new(
                    "",
                    "ERROR: Package cache is not enabled.\n\n",
                    2,
                ));
            }
            Ok(plan)
        }
        ApkAction::Info => {
            let mut names: Vec<&str> = installed.installed().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            plan.stdout = names.iter().map(|n| format!("{n}\n")).collect();
            Ok(plan)
        }
        ApkAction::Other(name) => {
            plan.note(format!("`apk {name}` is not simulated; nothing changed"));
            Ok(plan)
        }
        ApkAction::Upgrade => {
            plan.note("`apk upgrade` does not upgrade anything here: the index holds one version per package");
            commit(ctx, installed, request, plan)
        }
        ApkAction::Add { .. } | ApkAction::Del { .. } => commit(ctx, installed, request, plan),
    }
}

/// A package the solver can choose: from the index, or installed (installed wins).
#[derive(Debug, Clone)]
struct Cand {
    name: String,
    version: String,
    installed_size: u64,
    download_size: u64,
    depends: Vec<ApkDep>,
    provides: Vec<ApkDep>,
    install_if: Vec<ApkDep>,
    priority: Option<i64>,
    installed: bool,
    virtual_pkg: bool,
    arch: String,
    origin: String,
    index_pkg: Option<ApkPkg>,
}

impl Cand {
    /// The index's package as a candidate that is not installed yet.
    fn from_index(p: &ApkPkg) -> Cand {
        Cand {
            name: p.name.clone(),
            version: p.version.clone(),
            installed_size: p.installed_size,
            download_size: p.download_size,
            depends: p.depends.clone(),
            provides: p.provides.clone(),
            install_if: p.install_if.clone(),
            priority: p.provider_priority,
            installed: false,
            virtual_pkg: false,
            arch: "x86_64".into(),
            origin: p.origin.clone(),
            index_pkg: Some(p.clone()),
        }
    }
}

struct Universe {
    cands: Vec<Cand>,
    by_name: HashMap<String, usize>,
    providers: HashMap<String, Vec<usize>>,
    rinstall_if: HashMap<String, Vec<usize>>,
}

fn tokens(text: &str) -> Vec<ApkDep> {
    text.split_whitespace().map(ApkDep::parse).collect()
}

impl Universe {
    fn build(index: &ApkIndex, installed: &InstalledDb, extra: Option<Cand>) -> Universe {
        let mut cands: Vec<Cand> = Vec::new();
        let mut by_name = HashMap::new();
        for p in installed.installed() {
            let ix = index.get(&p.name);
            let (depends, provides, install_if) =
                if p.depends.is_empty() && p.provides.is_empty() && p.install_if.is_empty() {
                    match ix {
                        Some(i) => (i.depends.clone(), i.provides.clone(), i.install_if.clone()),
                        None => (Vec::new(), Vec::new(), Vec::new()),
                    }
                } else {
                    (
                        tokens(&p.depends),
                        tokens(&p.provides),
                        tokens(&p.install_if),
                    )
                };
            by_name.insert(p.name.clone(), cands.len());
            cands.push(Cand {
                name: p.name.clone(),
                version: p.version.clone(),
                installed_size: p.installed_size,
                download_size: ix.map(|i| i.download_size).unwrap_or(0),
                depends,
                provides,
                install_if,
                priority: ix.and_then(|i| i.provider_priority),
                installed: true,
                virtual_pkg: false,
                arch: if p.arch.is_empty() {
                    "x86_64".into()
                } else {
                    p.arch.clone()
                },
                origin: ix
                    .map(|i| i.origin.clone())
                    .unwrap_or_else(|| p.name.clone()),
                index_pkg: ix.cloned(),
            });
        }
        for p in &index.packages {
            if by_name.contains_key(&p.name) {
                continue;
            }
            by_name.insert(p.name.clone(), cands.len());
            cands.push(Cand::from_index(p));
        }
        if let Some(v) = extra {
            match by_name.get(&v.name) {
                Some(&i) => {
                    if let Some(slot) = cands.get_mut(i) {
                        *slot = v;
                    }
                }
                None => {
                    by_name.insert(v.name.clone(), cands.len());
                    cands.push(v);
                }
            }
        }
        let mut providers: HashMap<String, Vec<usize>> = HashMap::new();
        let mut rinstall_if: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in cands.iter().enumerate() {
            for p in &c.provides {
                providers.entry(p.name.clone()).or_default().push(i);
            }
            for d in &c.install_if {
                rinstall_if.entry(d.name.clone()).or_default().push(i);
            }
        }
        Universe {
            cands,
            by_name,
            providers,
            rinstall_if,
        }
    }

    fn cand(&self, i: usize) -> Option<&Cand> {
        self.cands.get(i)
    }

    /// The candidate chosen for a dependency name, preferring what is already selected or
    /// installed, then the highest provider priority. `world` applies apk's rule that a
    /// world dependency may not be satisfied by an unversioned, unprioritised provide.
    fn resolve(&self, name: &str, selected: &HashSet<usize>, world: bool) -> Option<usize> {
        if let Some(&i) = self.by_name.get(name) {
            return Some(i);
        }
        let provs = self.providers.get(name)?;
        let eligible: Vec<usize> = provs
            .iter()
            .copied()
            .filter(|&i| {
                !world
                    || self.cand(i).is_some_and(|c| {
                        c.priority.is_some()
                            || c.provides
                                .iter()
                                .any(|p| p.name == name && p.version.is_some())
                    })
            })
            .collect();
        if let Some(&i) = eligible.iter().find(|i| selected.contains(i)) {
            return Some(i);
        }
        if let Some(&i) = eligible
            .iter()
            .find(|&&i| self.cand(i).is_some_and(|c| c.installed))
        {
            return Some(i);
        }
        eligible.into_iter().max_by(|&a, &b| {
            let pa = self.cand(a).and_then(|c| c.priority).unwrap_or(0);
            let pb = self.cand(b).and_then(|c| c.priority).unwrap_or(0);
            // Higher priority wins; on a tie the alphabetically first name.
            pa.cmp(&pb).then_with(|| {
                let na = self.cand(a).map(|c| c.name.as_str()).unwrap_or("");
                let nb = self.cand(b).map(|c| c.name.as_str()).unwrap_or("");
                nb.cmp(na)
            })
        })
    }

    fn satisfies(&self, i: usize, name: &str) -> bool {
        self.cand(i)
            .is_some_and(|c| c.name == name || c.provides.iter().any(|p| p.name == name))
    }
}

/// A world dependency nothing can satisfy.
struct Missing {
    name: String,
    /// `world[foo]` or `.build-deps-20240101.000000[foo]`.
    required_by: String,
    virtual_only: Vec<String>,
}

struct Solution {
    selected: HashSet<usize>,
    missing: Vec<Missing>,
    /// Dependencies of selected packages that point outside the transcribed index.
    unresolved: Vec<(String, String)>,
}

fn solve(u: &Universe, world: &[ApkDep], virtual_pkg: Option<usize>) -> Solution {
    let mut selected: HashSet<usize> = HashSet::new();
    let mut missing = Vec::new();
    let mut unresolved = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for d in world.iter().filter(|d| !d.conflict) {
        match u.resolve(&d.name, &selected, true) {
            Some(i) => {
                if selected.insert(i) {
                    stack.push(i);
                }
            }
            None => missing.push(Missing {
                name: d.name.clone(),
                required_by: format!("world[{}]", d.text()),
                virtual_only: u
                    .providers
                    .get(&d.name)
                    .map(|v| {
                        v.iter()
                            .filter_map(|&i| u.cand(i))
                            .map(|c| c.name.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
        }
    }
    let budget = u.cands.len() * 4 + 16;
    let mut rounds = 0;
    loop {
        while let Some(i) = stack.pop() {
            let Some(c) = u.cand(i) else { continue };
            for d in c.depends.iter().filter(|d| !d.conflict) {
                match u.resolve(&d.name, &selected, false) {
                    Some(j) => {
                        if selected.insert(j) {
                            stack.push(j);
                        }
                    }
                    None if Some(i) == virtual_pkg => missing.push(Missing {
                        name: d.name.clone(),
                        required_by: format!("{}-{}[{}]", c.name, c.version, d.text()),
                        virtual_only: Vec::new(),
                    }),
                    None => unresolved.push((c.name.clone(), d.name.clone())),
                }
            }
        }
        // install_if: a package comes along once all of its i: names are selected.
        let mut added = false;
        for (i, c) in u.cands.iter().enumerate() {
            if c.install_if.is_empty() || selected.contains(&i) {
                continue;
            }
            let all = c
                .install_if
                .iter()
                .all(|d| d.conflict != selected.iter().any(|&s| u.satisfies(s, &d.name)));
            if all {
                selected.insert(i);
                stack.push(i);
                added = true;
            }
        }
        rounds += 1;
        if !added || rounds > budget {
            break;
        }
    }
    Solution {
        selected,
        missing,
        unresolved,
    }
}

/// Orders the changes the way apk's `generate_changeset` does (see the module docs).
struct Changeset<'u> {
    u: &'u Universe,
    selected: &'u HashSet<usize>,
    name_seen: HashSet<String>,
    pkg_seen: HashSet<usize>,
    order: Vec<usize>,
    depth: usize,
}

impl Changeset<'_> {
    fn gen_dep(&mut self, name: &str) {
        self.gen_name(name);
    }

    fn gen_name(&mut self, name: &str) {
        if self.depth > 256 || !self.name_seen.insert(name.to_string()) {
            return;
        }
        let Some(i) = self
            .u
            .resolve(name, self.selected, false)
            .filter(|i| self.selected.contains(i))
        else {
            return;
        };
        if !self.pkg_seen.insert(i) {
            return;
        }
        let Some(c) = self.u.cand(i) else { return };
        self.name_seen.insert(c.name.clone());
        for p in &c.provides {
            self.name_seen.insert(p.name.clone());
        }
        self.depth += 1;
        for d in c.depends.iter().filter(|d| !d.conflict) {
            self.gen_dep(&d.name);
        }
        self.order.push(i);
        let mut triggered: Vec<String> = Vec::new();
        let mut keys = vec![c.name.clone()];
        keys.extend(c.provides.iter().map(|p| p.name.clone()));
        for k in keys {
            for &j in self.u.rinstall_if.get(&k).map(Vec::as_slice).unwrap_or(&[]) {
                if !self.selected.contains(&j) || self.pkg_seen.contains(&j) {
                    continue;
                }
                let Some(q) = self.u.cand(j) else { continue };
                if q.install_if
                    .iter()
                    .all(|d| d.conflict || self.name_seen.contains(&d.name))
                {
                    triggered.push(q.name.clone());
                }
            }
        }
        for t in triggered {
            self.gen_name(&t);
        }
        self.depth -= 1;
    }
}

/// Scripts apk prints `Executing <pkg>-<ver>.<script>` for (known packages only), with the
/// text they print.
fn scripts_of(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "bash" => &[("post-install", "")],
        "nginx" => &[("pre-install", ""), ("post-install", "")],
        "redis" => &[("pre-install", "")],
        "busybox-extras" => &[("post-install", "")],
        "icu-data-en" => &[(
            "post-install",
            "*\n* If you need ICU with non-English locales and legacy charset support, install\n* package icu-data-full.\n*\n",
        )],
        _ => &[],
    }
}

/// Directories whose changes fire a package's trigger.
fn trigger_dirs(name: &str) -> &'static [&'static str] {
    match name {
        "busybox" => &["/bin", "/usr/bin", "/sbin", "/usr/sbin"],
        "ca-certificates" => &[
            "/usr/share/ca-certificates",
            "/usr/local/share/ca-certificates",
            "/etc/ssl/certs",
        ],
        _ => &[],
    }
}

fn in_dirs(path: &str, dirs: &[&str]) -> bool {
    dirs.iter().any(|d| {
        path.strip_prefix(d)
            .is_some_and(|r| r.starts_with('/') && !r[1..].contains('/'))
    })
}

/// Files of a candidate: the database's list for installed packages when it has one,
/// otherwise the synthetic list of its index record.
fn cand_files(c: &Cand, installed: &InstalledDb) -> Vec<FileSpec> {
    if c.installed {
        if let Some(p) = installed.get(&c.name) {
            if !p.files.is_empty() {
                let mut v: Vec<FileSpec> = p.dirs.iter().map(FileSpec::dir).collect();
                v.extend(p.files.iter().map(|f| FileSpec::file(f.clone(), 0, 0o644)));
                return v;
            }
        }
    }
    if c.virtual_pkg {
        return Vec::new();
    }
    match &c.index_pkg {
        Some(p) => {
            let mut p = p.clone();
            p.installed_size = c.installed_size;
            apk_files(&p)
        }
        None => Vec::new(),
    }
}

/// The `/lib/apk/db/installed` stanza of a package.
fn stanza(c: &Cand, files: &[FileSpec]) -> String {
    let mut s = format!(
        "P:{}\nV:{}\nA:{}\nS:{}\nI:{}\n",
        c.name, c.version, c.arch, c.download_size, c.installed_size
    );
    if c.virtual_pkg {
        s.push_str("T:virtual meta package\n");
    }
    if !c.virtual_pkg {
        s.push_str(&format!("o:{}\n", c.origin));
    }
    let join = |v: &[ApkDep]| v.iter().map(ApkDep::text).collect::<Vec<_>>().join(" ");
    if !c.depends.is_empty() {
        s.push_str(&format!("D:{}\n", join(&c.depends)));
    }
    if !c.provides.is_empty() {
        s.push_str(&format!("p:{}\n", join(&c.provides)));
    }
    if !c.install_if.is_empty() {
        s.push_str(&format!("i:{}\n", join(&c.install_if)));
    }
    let mut by_dir: Vec<(String, Vec<&FileSpec>)> = Vec::new();
    for f in files.iter().filter(|f| !matches!(f.kind, FileKind::Dir)) {
        let (dir, _) = f.path.rsplit_once('/').unwrap_or(("", &f.path));
        match by_dir.iter_mut().find(|(d, _)| d == dir) {
            Some((_, v)) => v.push(f),
            None => by_dir.push((dir.to_string(), vec![f])),
        }
    }
    by_dir.sort_by(|a, b| a.0.cmp(&b.0));
    for (dir, fs) in by_dir {
        s.push_str(&format!("F:{}\n", dir.trim_start_matches('/')));
        for f in fs {
            let base = f.path.rsplit('/').next().unwrap_or(&f.path);
            s.push_str(&format!("R:{base}\n"));
            if f.mode != 0o644 && !matches!(f.kind, FileKind::Symlink { .. }) {
                s.push_str(&format!("a:0:0:{:o}\n", f.mode));
            }
        }
    }
    s
}

fn commit(
    ctx: &ApkContext<'_>,
    installed: &InstalledDb,
    request: &ApkRequest,
    mut plan: PkgPlan,
) -> Result<PkgPlan, PkgError> {
    let index = ctx.index;
    let mut out = String::new();
    let is_del = matches!(request.action, ApkAction::Del { .. });
    // The index: fetched unless cached (and kept unless --no-cache); `del` never fetches.
    if !is_del && (request.no_cache || request.update || !ctx.index_cached) {
        out.push_str(&ctx.fetch_lines());
        if !request.no_cache {
            plan.files_to_add.extend(ctx.index_files());
            if index.index_estimated {
                plan.note(
                    "APKINDEX.tar.gz sizes are estimates (about 110 bytes per package record)",
                );
            }
        }
    }
    // The new world (apk_deps_add replaces a same-name entry or appends; apk_deps_del moves
    // the last entry into the hole).
    let mut world: Vec<ApkDep> = installed
        .world_or_all()
        .iter()
        .map(|w| ApkDep::parse(w))
        .collect();
    let mut virtual_cand = None;
    let mut del_errors = String::new();
    match &request.action {
        ApkAction::Add {
            packages,
            virtual_name,
        } => {
            let deps: Vec<ApkDep> = packages
                .iter()
                .map(|p| ApkDep::parse(p))
                .filter(|d| !d.name.is_empty())
                .collect();
            match virtual_name {
                Some(vname) => {
                    let vdep = ApkDep::parse(vname);
                    if vdep.name.is_empty() || vdep.conflict {
                        return Err(PkgError::new(
                            out,
                            format!("ERROR: {vname}: bad package specifier\n"),
                            1,
                        ));
                    }
                    let version = vdep
                        .version
                        .clone()
                        .unwrap_or_else(|| ctx.virtual_version.clone());
                    if deps.is_empty() {
                        out.push_str("WARNING: creating empty virtual package\n");
                    }
                    virtual_cand = Some(Cand {
                        name: vdep.name.clone(),
                        version,
                        installed_size: 0,
                        download_size: 0,
                        depends: deps,
                        provides: Vec::new(),
                        install_if: Vec::new(),
                        priority: None,
                        installed: false,
                        virtual_pkg: true,
                        arch: "noarch".into(),
                        origin: vdep.name.clone(),
                        index_pkg: None,
                    });
                    deps_add(
                        &mut world,
                        ApkDep {
                            name: vdep.name,
                            op: None,
                            version: None,
                            conflict: false,
                        },
                    );
                }
                None => {
                    for d in deps {
                        deps_add(&mut world, d);
                    }
                }
            }
        }
        ApkAction::Del { packages } => {
            for p in packages {
                let known = installed.is_installed(p)
                    || index.get(p).is_some()
                    || world.iter().any(|w| &w.name == p);
                if !known {
                    del_errors.push_str(&format!("ERROR: No such package: {p}\n"));
                    continue;
                }
                if let Some(pos) = world.iter().position(|w| &w.name == p) {
                    world.swap_remove(pos);
                }
            }
            if !del_errors.is_empty() {
                let n = del_errors.lines().count() as i32;
                return Err(PkgError::new(out, del_errors, n.min(99)));
            }
        }
        _ => {}
    }
    let u = Universe::build(index, installed, virtual_cand.clone());
    let virtual_idx = virtual_cand
        .as_ref()
        .and_then(|v| u.by_name.get(&v.name).copied());
    let mut sol = solve(&u, &world, virtual_idx);
    if ctx.estimate_note.is_some() && matches!(request.action, ApkAction::Add { .. }) {
        // The index only approximates this release, whose dependencies differ: adding a
        // package must not purge what the real image's world keeps, so nothing is orphaned.
        for p in installed.installed() {
            if let Some(&i) = u.by_name.get(&p.name) {
                sol.selected.insert(i);
            }
        }
    }
    if !sol.missing.is_empty() {
        let mut err = String::from("ERROR: unable to select packages:\n");
        for m in &sol.missing {
            if m.virtual_only.is_empty() {
                err.push_str(&format!("  {} (no such package):\n", m.name));
            } else {
                err.push_str(&format!("  {} (virtual):\n", m.name));
                err.push_str(
                    "    note: please select one of the 'provided by' packages explicitly\n",
                );
                err.push_str(&format!("    provided by: {}\n", m.virtual_only.join(" ")));
            }
            err.push_str(&format!("    required by: {}\n", m.required_by));
        }
        let mut e = PkgError::new(out, err, (sol.missing.len() as i32).min(99));
        let unknown: Vec<&str> = sol.missing.iter().map(|m| m.name.as_str()).collect();
        for (name, why) in &index.missing {
            if unknown.contains(&name.as_str()) {
                e.stderr
                    .push_str(&format!("# playground note: {name}: {why}\n"));
            }
        }
        return Err(e);
    }
    for (pkg, dep) in &sol.unresolved {
        plan.note(format!(
            "{pkg} depends on {dep}, which is not in the transcribed {} index; it is left out",
            index.branch
        ));
    }
    // Removals: installed packages the new selection does not keep.
    let installed_idx: Vec<usize> = installed
        .installed()
        .filter_map(|p| u.by_name.get(&p.name).copied())
        .collect();
    let removal: Vec<usize> = installed_idx
        .iter()
        .copied()
        .filter(|i| !sol.selected.contains(i))
        .collect();
    let removal_order = order_removals(&u, &installed_idx, &removal);
    // Installs in changeset order.
    let mut cs = Changeset {
        u: &u,
        selected: &sol.selected,
        name_seen: HashSet::new(),
        pkg_seen: HashSet::new(),
        order: Vec::new(),
        depth: 0,
    };
    for d in world.iter().filter(|d| !d.conflict) {
        cs.gen_dep(&d.name);
    }
    for &i in &installed_idx {
        if let Some(c) = u.cand(i) {
            let name = c.name.clone();
            cs.gen_name(&name);
        }
    }
    let mut rest: Vec<usize> = sol
        .selected
        .iter()
        .copied()
        .filter(|i| !cs.pkg_seen.contains(i))
        .collect();
    rest.sort_unstable();
    cs.order.extend(rest);
    let order = cs.order;
    let installs: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| u.cand(i).is_some_and(|c| !c.installed))
        .collect();

    // Console output of the changes.
    let total = removal_order.len() + installs.len();
    let mut step = 0;
    let mut touched: Vec<String> = Vec::new();
    for &i in &removal_order {
        let Some(c) = u.cand(i) else { continue };
        step += 1;
        out.push_str(&format!(
            "({step}/{total}) Purging {} ({})\n",
            c.name, c.version
        ));
        let files = cand_files(c, installed);
        touched.extend(
            files
                .iter()
                .filter(|f| !matches!(f.kind, FileKind::Dir))
                .map(|f| f.path.clone()),
        );
        plan.remove.push(pkg_ref(c));
    }
    let mut new_files: Vec<(usize, Vec<FileSpec>)> = Vec::new();
    for &i in &installs {
        let Some(c) = u.cand(i) else { continue };
        step += 1;
        out.push_str(&format!(
            "({step}/{total}) Installing {} ({})\n",
            c.name, c.version
        ));
        for (script, text) in scripts_of(&c.name) {
            out.push_str(&format!("Executing {}-{}.{script}\n", c.name, c.version));
            out.push_str(text);
        }
        let files = cand_files(c, installed);
        touched.extend(
            files
                .iter()
                .filter(|f| !matches!(f.kind, FileKind::Dir))
                .map(|f| f.path.clone()),
        );
        new_files.push((i, files));
        plan.install.push(pkg_ref(c));
    }
    // Triggers, in changeset order, of packages that stay installed.
    if total > 0 {
        for &i in &order {
            let Some(c) = u.cand(i) else { continue };
            let dirs = trigger_dirs(&c.name);
            // A package that was just installed runs all its triggers once.
            let fresh = installs.contains(&i);
            if !dirs.is_empty() && (fresh || touched.iter().any(|p| in_dirs(p, dirs))) {
                out.push_str(&format!("Executing {}-{}.trigger\n", c.name, c.version));
            }
        }
    }
    // The database after the change.
    let after: Vec<usize> = {
        let mut v: Vec<usize> = installed_idx
            .iter()
            .copied()
            .filter(|i| !removal.contains(i))
            .collect();
        v.extend(installs.iter().copied());
        v
    };
    let bytes: u64 = after
        .iter()
        .filter_map(|&i| u.cand(i))
        .map(|c| c.installed_size)
        .sum();
    out.push_str(&format!(
        "OK: {} MiB in {} packages\n",
        bytes / (1024 * 1024),
        after.len()
    ));
    if !request.quiet {
        plan.stdout = out;
    }

    let changed = total > 0;
    let world_text: String = world.iter().map(|d| format!("{}\n", d.text())).collect();
    if installed.world.as_ref().map(|w| w.join("\n") + "\n") != Some(world_text.clone()) || changed
    {
        plan.files_to_add
            .push(FileSpec::text("/etc/apk/world", world_text));
    }
    if changed {
        // Files of removed packages, unless a package that stays owns them too.
        let keep: BTreeSet<String> = after
            .iter()
            .filter_map(|&i| u.cand(i))
            .flat_map(|c| cand_files(c, installed))
            .map(|f| f.path)
            .collect();
        let mut gone_files = BTreeSet::new();
        let mut gone_dirs = BTreeSet::new();
        for &i in &removal_order {
            let Some(c) = u.cand(i) else { continue };
            for f in cand_files(c, installed) {
                if keep.contains(&f.path) {
                    continue;
                }
                match f.kind {
                    FileKind::Dir => {
                        if !is_system_dir(&f.path)
                            && !keep.iter().any(|k| k.starts_with(&format!("{}/", f.path)))
                        {
                            gone_dirs.insert(f.path);
                        }
                    }
                    _ => {
                        gone_files.insert(f.path);
                    }
                }
            }
        }
        plan.files_to_remove.extend(gone_files);
        let mut dirs: Vec<String> = gone_dirs.into_iter().collect();
        dirs.sort_by(|a, b| {
            b.matches('/')
                .count()
                .cmp(&a.matches('/').count())
                .then_with(|| a.cmp(b))
        });
        plan.files_to_remove.extend(dirs);
        for (_, files) in new_files {
            plan.files_to_add.extend(files);
        }
        // /lib/apk/db/installed, sorted by name; untouched stanzas stay as they were.
        let mut stanzas: Vec<(String, String)> = Vec::new();
        for &i in &after {
            let Some(c) = u.cand(i) else { continue };
            let text = match installed.get(&c.name).filter(|_| c.installed) {
                Some(p) => p.stanza.clone(),
                None => stanza(c, &cand_files(c, installed)),
            };
            stanzas.push((c.name.clone(), text));
        }
        stanzas.sort_by(|a, b| a.0.cmp(&b.0));
        let db: String = stanzas.into_iter().map(|(_, s)| s + "\n").collect();
        plan.files_to_add
            .push(FileSpec::text("/lib/apk/db/installed", db.clone()));
        plan.db_text_after = db;
        plan.note_once_db();
    }
    Ok(plan)
}

impl PkgPlan {
    fn note_once_db(&mut self) {
        // Not an estimate of sizes: the stanza just lacks fields the index does not carry.
        let t = "new /lib/apk/db/installed stanzas carry no checksums (C:/Z:), descriptions or licences".to_string();
        if !self.notes.contains(&t) {
            self.notes.push(t);
        }
    }
}

fn is_system_dir(p: &str) -> bool {
    matches!(
        p,
        "/" | "/bin"
            | "/sbin"
            | "/lib"
            | "/etc"
            | "/usr"
            | "/usr/bin"
            | "/usr/sbin"
            | "/usr/lib"
            | "/usr/share"
            | "/usr/include"
            | "/usr/local"
            | "/var"
            | "/var/lib"
            | "/var/cache"
            | "/usr/libexec"
            | "/usr/share/doc"
            | "/usr/share/man"
            | "/etc/ssl"
            | "/etc/ssl/certs"
            | "/usr/lib/pkgconfig"
    )
}

fn deps_add(world: &mut Vec<ApkDep>, dep: ApkDep) {
    match world.iter_mut().find(|w| w.name == dep.name) {
        Some(w) => *w = dep,
        None => world.push(dep),
    }
}

fn pkg_ref(c: &Cand) -> PkgRef {
    PkgRef {
        name: c.name.clone(),
        version: c.version.clone(),
        installed_size: c.installed_size,
        download_size: c.download_size,
    }
}

/// Orders removals like apk: orphans with no remaining requirer first, each after the
/// installed packages that depend on it, then what it alone kept installed.
fn order_removals(u: &Universe, installed_idx: &[usize], removal: &[usize]) -> Vec<usize> {
    let inst_set: HashSet<usize> = installed_idx.iter().copied().collect();
    let mut r = Remover {
        u,
        removal_set: removal.iter().copied().collect(),
        inst_set,
        requirers: HashMap::new(),
        rdeps: HashMap::new(),
        done: HashSet::new(),
        order: Vec::new(),
    };
    for &i in installed_idx {
        let Some(c) = u.cand(i) else { continue };
        let mut seen = HashSet::new();
        for d in c.depends.iter().filter(|d| !d.conflict) {
            if let Some(t) = r.target(&d.name) {
                if seen.insert(t) {
                    *r.requirers.entry(t).or_default() += 1;
                    r.rdeps.entry(t).or_default().push(i);
                }
            }
        }
    }
    for &i in installed_idx {
        if r.removal_set.contains(&i) && r.requirers.get(&i).copied().unwrap_or(0) == 0 {
            r.remove(i, 0);
        }
    }
    for &i in installed_idx {
        r.remove(i, 0);
    }
    r.order
}

struct Remover<'u> {
    u: &'u Universe,
    removal_set: HashSet<usize>,
    inst_set: HashSet<usize>,
    requirers: HashMap<usize, usize>,
    rdeps: HashMap<usize, Vec<usize>>,
    done: HashSet<usize>,
    order: Vec<usize>,
}

impl Remover<'_> {
    /// The installed package a dependency name points at.
    fn target(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.u.by_name.get(name) {
            if self.inst_set.contains(&i) {
                return Some(i);
            }
        }
        self.u
            .providers
            .get(name)
            .and_then(|v| v.iter().copied().find(|i| self.inst_set.contains(i)))
    }

    fn remove(&mut self, i: usize, depth: usize) {
        if depth > 256 || !self.removal_set.contains(&i) || !self.done.insert(i) {
            return;
        }
        let rdeps = self.rdeps.get(&i).cloned().unwrap_or_default();
        for r in rdeps {
            self.remove(r, depth + 1);
        }
        self.order.push(i);
        let Some(c) = self.u.cand(i) else { return };
        let mut seen = HashSet::new();
        let targets: Vec<usize> = c
            .depends
            .iter()
            .filter(|d| !d.conflict)
            .filter_map(|d| self.target(&d.name))
            .collect();
        for t in targets {
            if !seen.insert(t) {
                continue;
            }
            let n = self.requirers.entry(t).or_default();
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.remove(t, depth + 1);
            }
        }
    }
}

/// `/lib/apk/db/installed` text for a base image: one stanza per package of the index
/// (with the given version and installed size when the image's differ), files included.
/// For the catalog, which writes the databases of its alpine images.
pub fn base_db_text(index: &ApkIndex, packages: &[(String, String, u64)]) -> String {
    let mut items: Vec<(String, String)> = Vec::new();
    for (name, version, size) in packages.iter().take(MAX_ARGS) {
        let c = match index.get(name) {
            Some(p) => Cand {
                name: name.clone(),
                version: version.clone(),
                installed_size: *size,
                ..Cand::from_index(p)
            },
            None => Cand {
                name: name.clone(),
                version: version.clone(),
                installed_size: *size,
                download_size: 0,
                depends: Vec::new(),
                provides: Vec::new(),
                install_if: Vec::new(),
                priority: None,
                installed: false,
                virtual_pkg: false,
                arch: "x86_64".into(),
                origin: name.clone(),
                index_pkg: None,
            },
        };
        let files = cand_files(&c, &InstalledDb::default());
        items.push((name.clone(), stanza(&c, &files)));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items.into_iter().map(|(_, s)| s + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_command_lines() {
        let r = ApkRequest::parse(&["add", "--no-cache", "curl", "git"]).unwrap();
        assert_eq!(
            r.action,
            ApkAction::Add {
                packages: vec!["curl".into(), "git".into()],
                virtual_name: None
            }
        );
        assert!(r.no_cache);
        let r =
            ApkRequest::parse(&["--no-cache", "add", "--virtual", ".build-deps", "gcc"]).unwrap();
        assert_eq!(
            r.action,
            ApkAction::Add {
                packages: vec!["gcc".into()],
                virtual_name: Some(".build-deps".into())
            }
        );
        let r = ApkRequest::parse(&["add", "-U", "-t", ".x", "make"]).unwrap();
        assert!(r.update);
        assert_eq!(
            r.action,
            ApkAction::Add {
                packages: vec!["make".into()],
                virtual_name: Some(".x".into())
            }
        );
        let r = ApkRequest::parse(&["add", "--virtual=.v", "make"]).unwrap();
        assert_eq!(
            r.action,
            ApkAction::Add {
                packages: vec!["make".into()],
                virtual_name: Some(".v".into())
            }
        );
        assert_eq!(
            ApkRequest::parse(&["del", "curl"]).unwrap().action,
            ApkAction::Del {
                packages: vec!["curl".into()]
            }
        );
        assert_eq!(
            ApkRequest::parse(&["cache", "clean"]).unwrap().action,
            ApkAction::CacheClean
        );
        assert!(ApkRequest::parse(&["add", "--bogus"]).is_err());
        assert!(ApkRequest::parse::<&str>(&[]).is_err());
    }
}
