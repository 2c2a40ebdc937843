//! `apt-get` / `apt` (apt 2.6.1, Debian 12) as plans: `update`, `install`, `remove`,
//! `purge`, `autoremove`, `clean`, `upgrade`.
//!
//! Facts this module follows (checked against apt 2.6.1 / dpkg 1.21.22 on Debian 12 with
//! a status file holding the bookworm-slim estimate, and the debian images' apt config):
//! - **Lists.** The images ship without `/var/lib/apt/lists/*`, so before `apt-get update`
//!   only installed packages are known: `E: Unable to locate package curl`, exit 100.
//!   `update` stores the lists lz4-compressed (`Acquire::GzipIndexes`, docker-gzip-indexes):
//!   ≈19.9 MB for bookworm main + updates + security — the classic forgotten
//!   `rm -rf /var/lib/apt/lists/*`.
//! - **Resolution.** Pre-Depends and Depends, and Recommends unless
//!   `--no-install-recommends` (the image config does not turn them off); the first
//!   installable alternative; virtual names go to an installed/chosen provider, else the
//!   first one. Installed packages are not reinstalled.
//! - **Output.** Package lists sorted and wrapped below column 80 with two spaces of indent;
//!   sizes with apt's `SizeToStr` (`8808 B`, `63.5 kB`, `6132 kB`, `15.8 MB`); `Get:` lines
//!   name the archive each package comes from. Without `-y` apt asks "Do you want to
//!   continue? [Y/n]" whenever it installs more than was asked or removes something; a
//!   build has no terminal, so it reads end-of-file and prints `Abort.` (exit 1).
//! - **Caches.** The images' `docker-clean` hook deletes downloaded .deb files after every
//!   dpkg run and disables `pkgcache.bin`, so `apt-get clean` has nothing left to delete
//!   and never touches the lists.
//!
//! Streams: everything apt and dpkg print goes to `stdout` except `E:` errors and `apt`'s
//! CLI warning (`stderr`); debconf's "delaying package configuration" line really goes to
//! stderr but is kept in `stdout` so that the interleaving a build log shows is preserved.
//!
//! Estimated (flagged on the plan): the order of `Get:`/`Unpacking`/`Setting up` lines
//! (apt's ordering heuristics are approximated by dependencies-first), the "files and
//! directories currently installed" count when the image's `.list` files are not given,
//! elapsed time and speed in `Fetched …`, anything on a non-bookworm release.

use super::debdeps::{self, DebGroup};
use super::files::deb_files;
use super::index::{DebIndex, DebPkg, IndexChoice, PackageIndex};
use super::installed::{InstalledDb, InstalledPkg};
use super::{wrap_words, FileAppend, FileKind, FileSpec, PkgError, PkgPlan, PkgRef, MAX_ARGS};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AptAction {
    Update,
    Install(Vec<String>),
    Remove {
        packages: Vec<String>,
        purge: bool,
    },
    Autoremove {
        purge: bool,
    },
    Clean,
    Upgrade,
    /// Accepted, not simulated (`source`, `download`, `build-dep` …): no change.
    Other(String),
}

/// A parsed `apt-get` / `apt` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AptRequest {
    /// The program name as typed (`apt-get` or `apt`).
    pub program: String,
    pub action: AptAction,
    pub assume_yes: bool,
    pub quiet: u8,
    pub no_install_recommends: bool,
    pub auto_remove: bool,
    /// `APT::AutoRemove::RecommendsImportant` (default true): installed packages that a
    /// kept package recommends are kept by autoremove too.
    pub recommends_important: bool,
    /// `APT::AutoRemove::SuggestsImportant`: apt's own default is true, but Docker's Debian
    /// and Ubuntu images ship `/etc/apt/apt.conf.d/docker-autoremove-suggests` setting it
    /// to false, so false unless `-o` says otherwise.
    pub suggests_important: bool,
    /// The words after the program, for `/var/log/apt/history.log`.
    pub command_line: String,
}

impl AptRequest {
    /// Parses `apt-get …` or `apt …`; `program` is `apt-get` or `apt`.
    pub fn parse<S: AsRef<str>>(program: &str, args: &[S]) -> Result<AptRequest, PkgError> {
        let mut action: Option<String> = None;
        let mut names = Vec::new();
        let mut assume_yes = false;
        let mut quiet = 0u8;
        let mut no_rec = false;
        let mut auto_remove = false;
        let mut purge = false;
        let mut recommends_important = true;
        let mut suggests_important = false;
        let mut options: Vec<String> = Vec::new();
        let mut it = args.iter().map(|a| a.as_ref()).take(MAX_ARGS * 2);
        while let Some(a) = it.next() {
            if let Some(opt) = a.strip_prefix("--") {
                let (opt, value) = match opt.split_once('=') {
                    Some((o, v)) => (o, Some(v)),
                    None => (opt, None),
                };
                match opt {
                    "yes" | "assume-yes" | "force-yes" => assume_yes = value.is_none_or(|v| v != "false"),
                    "quiet" => quiet = quiet.saturating_add(1),
                    "no-install-recommends" => no_rec = true,
                    "install-recommends" => no_rec = false,
                    "auto-remove" | "autoremove" => auto_remove = true,
                    "purge" => purge = true,
                    "option" => {
                        if let Some(v) = value.map(str::to_string).or_else(|| it.next().map(str::to_string)) {
                            options.push(v);
                        }
                    }
                    "no-install-suggests" | "fix-broken" | "fix-missing" | "allow-unauthenticated" | "allow-downgrades"
                    | "allow-remove-essential" | "allow-change-held-packages" | "no-upgrade" | "only-upgrade" | "reinstall"
                    | "show-progress" | "no-show-upgraded" | "verbose-versions" | "ignore-missing" | "no-download"
                    | "download-only" | "simulate" | "dry-run" | "no-remove" | "install-suggests"
                    | "allow-insecure-repositories" | "allow-releaseinfo-change" | "mark-auto" => {}
                    _ => {
                        return Err(PkgError::new("", format!("E: Command line option --{opt} is not understood in combination with the other options\n"), 100))
                    }
                }
                continue;
            }
            if a.len() > 1 && a.starts_with('-') {
                let flags: Vec<char> = a.chars().skip(1).collect();
                for (i, f) in flags.iter().enumerate() {
                    match f {
                        'y' => assume_yes = true,
                        'q' => quiet = quiet.saturating_add(1),
                        'f' | 'm' | 'u' | 'V' | 'd' | 's' | 'b' => {}
                        'o' | 'c' | 't' => {
                            let attached: String = flags[i + 1..].iter().collect();
                            let v = if attached.is_empty() {
                                it.next().map(str::to_string)
                            } else {
                                Some(attached)
                            };
                            if let (Some(v), 'o') = (v, f) {
                                options.push(v);
                            }
                            break;
                        }
                        other => {
                            return Err(PkgError::new(
                                "",
                                format!("E: Command line option '{other}' [from {a}] is not understood in combination with the other options.\n"),
                                100,
                            ))
                        }
                    }
                }
                continue;
            }
            if action.is_none() {
                action = Some(a.to_string());
            } else {
                names.push(a.to_string());
            }
        }
        names.truncate(MAX_ARGS);
        for o in &options {
            if let Some((k, v)) = o.split_once('=') {
                let on = !matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "false" | "0" | "no" | "off"
                );
                if k.eq_ignore_ascii_case("APT::AutoRemove::RecommendsImportant") {
                    recommends_important = on;
                } else if k.eq_ignore_ascii_case("APT::AutoRemove::SuggestsImportant") {
                    suggests_important = on;
                }
            }
        }
        let action = match action.as_deref() {
            Some("update") => AptAction::Update,
            Some("install") => AptAction::Install(names),
            Some("remove") => AptAction::Remove {
                packages: names,
                purge,
            },
            Some("purge") => AptAction::Remove {
                packages: names,
                purge: true,
            },
            Some("autoremove") | Some("auto-remove") => AptAction::Autoremove { purge },
            Some("autopurge") => AptAction::Autoremove { purge: true },
            Some("clean") | Some("autoclean") | Some("auto-clean") => AptAction::Clean,
            Some("upgrade") | Some("dist-upgrade") | Some("full-upgrade") => AptAction::Upgrade,
            Some(other) => AptAction::Other(other.to_string()),
            None => {
                return Err(
                    PkgError::new("", "E: Invalid operation \n".to_string(), 100)
                        .with_stdout_usage(program),
                );
            }
        };
        Ok(AptRequest {
            program: program.to_string(),
            action,
            assume_yes,
            quiet,
            no_install_recommends: no_rec,
            auto_remove,
            recommends_important,
            suggests_important,
            command_line: std::iter::once(program.to_string())
                .chain(args.iter().map(|a| a.as_ref().to_string()))
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

impl PkgError {
    fn with_stdout_usage(mut self, program: &str) -> PkgError {
        self.stderr = String::new();
        self.stdout = format!("apt 2.6.1 (amd64)\nUsage: {program} [options] command\n");
        self.exit_code = 1;
        self
    }
}

/// What the planner needs to know about the image besides its package database.
/// Whether a release's Python carries the PEP 668 marker: Debian from 12 (bookworm) and
/// Ubuntu from 23.04; the older releases the bookworm records stand in for do not.
fn pep668_marks(suite: &str) -> bool {
    !matches!(suite, "buster" | "bullseye" | "bionic" | "focal" | "jammy")
}

#[derive(Debug, Clone)]
pub struct AptContext<'a> {
    pub index: &'a DebIndex,
    /// Suite name in the image's sources (`bookworm`; `trixie`, `jammy` when estimated).
    pub suite_name: String,
    /// `http://deb.debian.org/debian` (Debian) or `http://archive.ubuntu.com/ubuntu`.
    pub mirror: String,
    /// `/var/lib/apt/lists` holds Packages files (an earlier `apt-get update` in this image).
    pub lists_present: bool,
    /// Timestamp for the logs (`2024-01-01 00:00:00`): the build's logical clock.
    pub timestamp: String,
    pub estimate_note: Option<String>,
}

impl AptContext<'_> {
    /// The context for an index choice; `None` for non-apt images.
    pub fn from_choice(choice: &IndexChoice) -> Option<AptContext<'static>> {
        match choice.index {
            PackageIndex::Debian(index) => Some(AptContext {
                index,
                suite_name: choice.suite_name.clone(),
                mirror: choice.mirror.clone(),
                lists_present: false,
                timestamp: "2024-01-01 00:00:00".to_string(),
                estimate_note: choice.note.clone(),
            }),
            PackageIndex::Alpine(_) => None,
        }
    }

    /// (site, suite) of an index suite as the image's sources name it.
    fn source(&self, suite: usize) -> (String, String) {
        let s = self.index.suites.get(suite);
        let raw_suite = s.map(|s| s.suite.as_str()).unwrap_or("bookworm");
        let suite_name = raw_suite.replacen("bookworm", &self.suite_name, 1);
        let site = match s {
            Some(_) if self.mirror.contains("ubuntu") => {
                if raw_suite.ends_with("-security") {
                    "http://security.ubuntu.com/ubuntu".to_string()
                } else {
                    self.mirror.clone()
                }
            }
            Some(s) => s.site.clone(),
            None => self.mirror.clone(),
        };
        (site, suite_name)
    }

    fn list_files(&self) -> Vec<FileSpec> {
        let mut v = vec![
            FileSpec::dir("/var/lib/apt/lists"),
            FileSpec::dir("/var/lib/apt/lists/partial"),
            FileSpec::dir("/var/lib/apt/lists/auxfiles"),
            FileSpec::file("/var/lib/apt/lists/lock", 0, 0o640),
        ];
        for (i, s) in self.index.suites.iter().enumerate() {
            let (site, suite) = self.source(i);
            let prefix = format!(
                "{}_dists_{}",
                site.trim_start_matches("http://").replace('/', "_"),
                suite
            );
            v.push(FileSpec::file(
                format!("/var/lib/apt/lists/{prefix}_InRelease"),
                s.inrelease,
                0o644,
            ));
            v.push(FileSpec::file(
                format!("/var/lib/apt/lists/{prefix}_main_binary-amd64_Packages.lz4"),
                s.packages_lz4,
                0o644,
            ));
        }
        v
    }
}

/// apt's `SizeToStr` followed by the unit letter `B`.
pub fn size_to_str(bytes: f64) -> String {
    let units = ['\0', 'k', 'M', 'G', 'T', 'P'];
    let mut a = bytes.abs();
    let mut i = 0usize;
    loop {
        let unit = units.get(i).copied().unwrap_or('P');
        let prefix = if unit == '\0' {
            String::new()
        } else {
            unit.to_string()
        };
        if a < 100.0 && i != 0 {
            return format!("{a:.1} {prefix}B");
        }
        if a < 10000.0 || i + 1 >= units.len() {
            return format!("{a:.0} {prefix}B");
        }
        a /= 1000.0;
        i += 1;
    }
}

/// Recursion limit of the dependency walk (real chains are a few dozen deep).
const MAX_DEPTH: usize = 256;
/// Rounds of the reverse-dependency fixpoint when removing.
const MAX_ROUNDS: usize = 1000;

const HEADER: &str =
    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";

/// Plans an `apt-get`/`apt` command.
pub fn plan(
    ctx: &AptContext<'_>,
    installed: &InstalledDb,
    request: &AptRequest,
) -> Result<PkgPlan, PkgError> {
    let mut plan = PkgPlan::default();
    if let Some(n) = &ctx.estimate_note {
        plan.note(n.clone());
    }
    if request.program == "apt" {
        plan.stderr.push_str(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        );
    }
    let result = match &request.action {
        AptAction::Update => update(ctx, request, plan),
        AptAction::Install(names) => install(ctx, installed, request, names, plan),
        AptAction::Remove { packages, purge } => {
            remove(ctx, installed, request, packages, *purge, plan)
        }
        AptAction::Autoremove { purge } => remove(ctx, installed, request, &[], *purge, plan),
        AptAction::Clean => {
            plan.notes.push("the image's docker-clean hook already deleted the downloaded .deb files; `apt-get clean` leaves /var/lib/apt/lists alone".into());
            Ok(plan)
        }
        AptAction::Upgrade => {
            plan.stdout = format!("{HEADER}Calculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            Ok(plan)
        }
        AptAction::Other(name) => {
            plan.note(format!(
                "`{} {name}` is not simulated; nothing changed",
                request.program
            ));
            Ok(plan)
        }
    };
    result.map(|mut p| {
        if request.quiet >= 2 {
            p.stdout.clear();
        }
        p
    })
}

fn update(
    ctx: &AptContext<'_>,
    request: &AptRequest,
    mut plan: PkgPlan,
) -> Result<PkgPlan, PkgError> {
    let mut out = String::new();
    let mut n = 0;
    let mut fetched = 0u64;
    if ctx.lists_present {
        for i in 0..ctx.index.suites.len() {
            let (site, suite) = ctx.source(i);
            n += 1;
            out.push_str(&format!("Hit:{n} {site} {suite} InRelease\n"));
        }
    } else {
        for (i, s) in ctx.index.suites.iter().enumerate() {
            let (site, suite) = ctx.source(i);
            n += 1;
            fetched += s.inrelease;
            out.push_str(&format!(
                "Get:{n} {site} {suite} InRelease [{}]\n",
                size_to_str(s.inrelease as f64)
            ));
        }
        for (i, s) in ctx.index.suites.iter().enumerate() {
            let (site, suite) = ctx.source(i);
            n += 1;
            fetched += s.packages_xz;
            out.push_str(&format!(
                "Get:{n} {site} {suite}/main amd64 Packages [{}]\n",
                size_to_str(s.packages_xz as f64)
            ));
        }
        out.push_str(&format!(
            "Fetched {} in 1s ({}/s)\n",
            size_to_str(fetched as f64),
            size_to_str(fetched as f64)
        ));
        plan.note("download time and speed in `Fetched …` are invented");
        plan.files_to_add = ctx.list_files();
    }
    out.push_str("Reading package lists...\n");
    if request.program == "apt" {
        out.push_str("Building dependency tree...\nReading state information...\nAll packages are up to date.\n");
    }
    plan.stdout = out;
    Ok(plan)
}

/// The state apt resolves against: installed packages plus what the index offers.
struct Resolver<'a> {
    index: &'a DebIndex,
    lists: bool,
    /// Installed package names.
    installed: HashSet<String>,
    /// Virtual name -> installed package providing it.
    installed_provides: HashMap<String, String>,
}

impl<'a> Resolver<'a> {
    fn new(index: &'a DebIndex, db: &InstalledDb, lists: bool) -> Resolver<'a> {
        let mut installed = HashSet::new();
        let mut installed_provides = HashMap::new();
        for p in db.installed() {
            installed.insert(p.name.clone());
            for a in debdeps::parse_field(&p.provides).into_iter().flatten() {
                installed_provides
                    .entry(a.name)
                    .or_insert_with(|| p.name.clone());
            }
        }
        Resolver {
            index,
            lists,
            installed,
            installed_provides,
        }
    }

    fn is_installed(&self, name: &str) -> bool {
        self.installed.contains(name)
    }

    fn known(&self, name: &str) -> bool {
        self.is_installed(name) || (self.lists && self.index.get(name).is_some())
    }

    /// The package chosen for a dependency group, or None when nothing can satisfy it.
    fn pick(&self, group: &DebGroup, chosen: &HashSet<String>) -> Option<String> {
        for a in group {
            if self.is_installed(&a.name) || chosen.contains(&a.name) {
                return Some(a.name.clone());
            }
            if let Some(p) = self.installed_provides.get(&a.name) {
                return Some(p.clone());
            }
            if let Some(p) = self
                .index
                .providers_of(&a.name)
                .into_iter()
                .find(|p| chosen.contains(&p.name))
            {
                return Some(p.name.clone());
            }
        }
        if !self.lists {
            return None;
        }
        for a in group {
            if self.index.get(&a.name).is_some() {
                return Some(a.name.clone());
            }
            if let Some(p) = self.index.providers_of(&a.name).first() {
                return Some(p.name.clone());
            }
        }
        None
    }
}

struct Closure {
    /// New packages in install order (dependencies first).
    order: Vec<String>,
    unresolved: Vec<(String, String)>,
}

fn closure(r: &Resolver<'_>, requested: &[String], recommends: bool) -> Closure {
    let mut chosen: HashSet<String> = HashSet::new();
    let mut order = Vec::new();
    let mut unresolved = Vec::new();
    // Pass 1: Depends closure, dependencies first; pass 2: recommended packages of what is
    // new, each with its own closure, until nothing changes.
    fn visit(
        r: &Resolver<'_>,
        name: &str,
        chosen: &mut HashSet<String>,
        order: &mut Vec<String>,
        unresolved: &mut Vec<(String, String)>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || r.is_installed(name) || !chosen.insert(name.to_string()) {
            return;
        }
        let Some(p) = r.index.get(name) else { return };
        for g in p.pre_depends.iter().chain(p.depends.iter()) {
            match r.pick(g, chosen) {
                Some(t) => visit(r, &t, chosen, order, unresolved, depth + 1),
                None => unresolved.push((name.to_string(), debdeps::group_text(g))),
            }
        }
        order.push(name.to_string());
    }
    for n in requested {
        visit(r, n, &mut chosen, &mut order, &mut unresolved, 0);
    }
    if recommends {
        let mut done = 0usize;
        let mut rounds = 0;
        while done < order.len() && rounds < 10_000 {
            rounds += 1;
            let name = order.get(done).cloned().unwrap_or_default();
            done += 1;
            let Some(p) = r.index.get(&name) else {
                continue;
            };
            for g in &p.recommends {
                if let Some(t) = r.pick(g, &chosen) {
                    if r.index.get(&t).is_some() {
                        let before = order.len();
                        visit(r, &t, &mut chosen, &mut order, &mut unresolved, 0);
                        let _ = before;
                    }
                }
            }
        }
    }
    Closure { order, unresolved }
}

/// Words for apt's Suggested/Recommended lists: `a`, `| b` for alternatives.
fn group_words(g: &DebGroup) -> Vec<String> {
    g.iter()
        .enumerate()
        .map(|(i, a)| {
            if i == 0 {
                a.name.clone()
            } else {
                format!("| {}", a.name)
            }
        })
        .collect()
}

fn deb_filename(p: &DebPkg) -> String {
    format!(
        "{}_{}_{}.deb",
        p.name,
        p.version.replace(':', "%3a"),
        p.arch
    )
}

fn reading_database(count: usize) -> String {
    let mut s = String::from("(Reading database ... ");
    for pct in (5..=100).step_by(5) {
        s.push_str(&format!("\r(Reading database ... {pct}%"));
    }
    s.push_str(&format!(
        "\r(Reading database ... {count} files and directories currently installed.)\n"
    ));
    s
}

/// Entries dpkg counts for the installed packages (files and directories of their lists).
fn dpkg_entry_count(ctx: &AptContext<'_>, installed: &InstalledDb, plan: &mut PkgPlan) -> usize {
    let mut n = 0;
    let mut estimated = false;
    for p in installed.installed() {
        if !p.files.is_empty() {
            n += p.files.len() + p.dirs.len();
        } else {
            // debian:bookworm-slim: about 6,100 entries for its 88 packages.
            n += 69;
            estimated = true;
        }
    }
    let _ = ctx;
    if estimated {
        plan.note("the \"files and directories currently installed\" count is estimated (69 per package) without the image's .list files");
    }
    n
}

fn install(
    ctx: &AptContext<'_>,
    installed: &InstalledDb,
    request: &AptRequest,
    names: &[String],
    mut plan: PkgPlan,
) -> Result<PkgPlan, PkgError> {
    let r = Resolver::new(ctx.index, installed, ctx.lists_present);
    let mut out = String::from(HEADER);
    let mut requested: Vec<String> = Vec::new();
    let mut already = String::new();
    for raw in names {
        let name = raw
            .split('=')
            .next()
            .unwrap_or(raw)
            .trim_end_matches(":amd64");
        let (name, version) = (
            name.to_string(),
            raw.split_once('=').map(|(_, v)| v.to_string()),
        );
        if installed.is_installed(&name) {
            let v = installed
                .get(&name)
                .map(|p| p.version.clone())
                .unwrap_or_default();
            already.push_str(&format!("{name} is already the newest version ({v}).\n"));
            if installed.get(&name).is_some_and(|p| p.auto_installed) {
                already.push_str(&format!("{name} set to manually installed.\n"));
            }
            continue;
        }
        if !r.known(&name) {
            // A virtual name with exactly one provider is replaced by it.
            let provs: Vec<&DebPkg> = if r.lists {
                ctx.index.providers_of(&name)
            } else {
                Vec::new()
            };
            match provs.as_slice() {
                [one] => {
                    out.push_str(&format!(
                        "Note, selecting '{}' instead of '{name}'\n",
                        one.name
                    ));
                    requested.push(one.name.clone());
                    continue;
                }
                [] => {
                    return Err(PkgError::new(
                        out,
                        format!("E: Unable to locate package {name}\n"),
                        100,
                    ))
                }
                many => {
                    out.push_str(&format!(
                        "Package {name} is a virtual package provided by:\n"
                    ));
                    for p in many {
                        out.push_str(&format!("  {} {}\n", p.name, p.version));
                    }
                    out.push_str("You should explicitly select one to install.\n\n");
                    return Err(PkgError::new(
                        out,
                        format!("E: Package '{name}' has no installation candidate\n"),
                        100,
                    ));
                }
            }
        }
        if let (Some(v), Some(p)) = (&version, ctx.index.get(&name)) {
            if &p.version != v {
                return Err(PkgError::new(
                    out,
                    format!("E: Version '{v}' for '{name}' was not found\n"),
                    100,
                ));
            }
        }
        if !requested.contains(&name) {
            requested.push(name);
        }
    }
    out.push_str(&already);
    let c = closure(&r, &requested, !request.no_install_recommends);
    for (pkg, dep) in &c.unresolved {
        plan.note(format!(
            "{pkg} depends on {dep}, which is not in the package data; it is left out"
        ));
    }
    let new: Vec<&DebPkg> = c.order.iter().filter_map(|n| ctx.index.get(n)).collect();
    let new_names: HashSet<&str> = new.iter().map(|p| p.name.as_str()).collect();
    let satisfied = |g: &DebGroup| {
        g.iter()
            .any(|a| installed.is_installed(&a.name) || new_names.contains(a.name.as_str()))
    };
    let mut sorted: Vec<&DebPkg> = new.clone();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let additional: Vec<&str> = sorted
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| !requested.iter().any(|r| r == n))
        .collect();
    if !additional.is_empty() {
        out.push_str("The following additional packages will be installed:\n");
        out.push_str(&wrap_words(&additional, "  ", 79));
    }
    let mut suggested: Vec<String> = Vec::new();
    let mut recommended: Vec<String> = Vec::new();
    for p in &sorted {
        for g in &p.suggests {
            if !satisfied(g) {
                for w in group_words(g) {
                    if !suggested.contains(&w) {
                        suggested.push(w);
                    }
                }
            }
        }
        if request.no_install_recommends {
            for g in &p.recommends {
                if !satisfied(g) {
                    for w in group_words(g) {
                        if !recommended.contains(&w) {
                            recommended.push(w);
                        }
                    }
                }
            }
        }
    }
    if !suggested.is_empty() {
        out.push_str("Suggested packages:\n");
        out.push_str(&wrap_words(&suggested, "  ", 79));
    }
    if !recommended.is_empty() {
        out.push_str("Recommended packages:\n");
        out.push_str(&wrap_words(&recommended, "  ", 79));
    }
    if !sorted.is_empty() {
        out.push_str("The following NEW packages will be installed:\n");
        let words: Vec<&str> = sorted.iter().map(|p| p.name.as_str()).collect();
        out.push_str(&wrap_words(&words, "  ", 79));
    }
    out.push_str(&format!(
        "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n",
        new.len()
    ));
    if new.is_empty() {
        plan.stdout = out;
        return Ok(plan);
    }
    let download: u64 = new.iter().map(|p| p.download_size).sum();
    let disk: u64 = new.iter().map(|p| p.installed_bytes()).sum();
    out.push_str(&format!(
        "Need to get {} of archives.\n",
        size_to_str(download as f64)
    ));
    out.push_str(&format!(
        "After this operation, {} of additional disk space will be used.\n",
        size_to_str(disk as f64)
    ));
    if !additional.is_empty() && !request.assume_yes {
        out.push_str("Do you want to continue? [Y/n] Abort.\n");
        return Err(PkgError::new(out, "", 1));
    }
    for (i, p) in new.iter().enumerate() {
        let (site, suite) = ctx.source(p.suite);
        out.push_str(&format!(
            "Get:{} {site} {suite}/main amd64 {} {} {} [{}]\n",
            i + 1,
            p.name,
            p.arch,
            p.version,
            size_to_str(p.download_size as f64)
        ));
    }
    if installed.is_installed("debconf")
        && !installed.is_installed("apt-utils")
        && !new_names.contains("apt-utils")
    {
        out.push_str("debconf: delaying package configuration, since apt-utils is not installed\n");
    }
    out.push_str(&format!(
        "Fetched {} in 1s ({}/s)\n",
        size_to_str(download as f64),
        size_to_str(download as f64)
    ));
    plan.note("download time and speed in `Fetched …` are invented");
    plan.note(
        "apt orders downloads and unpacking by its own heuristics; here dependencies come first",
    );
    // dpkg: unpack everything, then configure.
    let mut dpkg_out = String::new();
    let width = new.len().saturating_sub(1).to_string().len().max(2);
    let entries = dpkg_entry_count(ctx, installed, &mut plan);
    for (i, p) in new.iter().enumerate() {
        dpkg_out.push_str(&format!(
            "Selecting previously unselected package {}.\n",
            p.display_name()
        ));
        if i == 0 {
            dpkg_out.push_str(&reading_database(entries));
        }
        let file = deb_filename(p);
        if new.len() == 1 {
            dpkg_out.push_str(&format!("Preparing to unpack .../{file} ...\n"));
        } else {
            dpkg_out.push_str(&format!("Preparing to unpack .../{i:0width$}-{file} ...\n"));
        }
        dpkg_out.push_str(&format!(
            "Unpacking {} ({}) ...\n",
            p.display_name(),
            p.version
        ));
    }
    for p in &new {
        dpkg_out.push_str(&format!(
            "Setting up {} ({}) ...\n",
            p.display_name(),
            p.version
        ));
    }
    let ships_libs = new.iter().any(|p| {
        deb_files(p)
            .iter()
            .any(|f| f.path.starts_with("/usr/lib/x86_64-linux-gnu/") && f.path.contains(".so"))
    });
    if ships_libs {
        if let Some(libc) = installed.get("libc-bin") {
            dpkg_out.push_str(&format!(
                "Processing triggers for libc-bin ({}) ...\n",
                libc.version
            ));
        }
    }
    out.push_str(&dpkg_out);
    plan.stdout = out;

    // Filesystem changes.
    let mut status_entries: Vec<(String, String)> = installed
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.stanza.clone()))
        .collect();
    plan.files_to_add.push(FileSpec::dir("/var/lib/dpkg/info"));
    for p in &new {
        let files = deb_files(p);
        plan.files_to_add.push(FileSpec::text(
            format!("/var/lib/dpkg/info/{}.list", p.display_name()),
            list_text(&files),
        ));
        let md5: u64 = files
            .iter()
            .filter(|f| matches!(f.kind, FileKind::File { .. }))
            .map(|f| 32 + 2 + f.path.len() as u64 - 1 + 1)
            .sum();
        plan.files_to_add.push(FileSpec::file(
            format!("/var/lib/dpkg/info/{}.md5sums", p.display_name()),
            md5,
            0o644,
        ));
        plan.files_to_add.extend(
            files.into_iter().filter(|f| {
                pep668_marks(&ctx.suite_name) || !f.path.ends_with("/EXTERNALLY-MANAGED")
            }),
        );
        status_entries.push((p.name.clone(), status_stanza(p)));
        plan.install.push(PkgRef {
            name: p.name.clone(),
            version: p.version.clone(),
            installed_size: p.installed_bytes(),
            download_size: p.download_size,
        });
    }
    status_entries.sort_by(|a, b| a.0.cmp(&b.0));
    let status: String = status_entries.into_iter().map(|(_, s)| s + "\n").collect();
    write_dpkg_status(&mut plan, installed, status);
    // Auto-installed marks for everything not asked for.
    let mut auto: Vec<(String, String)> = installed
        .installed()
        .filter(|p| p.auto_installed)
        .map(auto_mark)
        .collect();
    for p in &new {
        if !requested.contains(&p.name) {
            auto.push((
                p.name.clone(),
                if p.arch == "all" {
                    "amd64".to_string()
                } else {
                    p.arch.clone()
                },
            ));
        }
    }
    auto.sort();
    plan.files_to_add.push(FileSpec::text(
        "/var/lib/apt/extended_states",
        extended_states(&auto),
    ));
    logs(ctx, request, &new, &requested, &dpkg_out, false, &mut plan);
    Ok(plan)
}

/// dpkg's database after the step: `status` becomes `/var/lib/dpkg/status` and the image's
/// database before it `status-old`, as dpkg keeps it.
fn write_dpkg_status(plan: &mut PkgPlan, installed: &InstalledDb, status: String) {
    let old_status: String = installed
        .packages
        .iter()
        .map(|p| p.stanza.clone() + "\n")
        .collect();
    plan.files_to_add
        .push(FileSpec::text("/var/lib/dpkg/status-old", old_status));
    plan.files_to_add
        .push(FileSpec::text("/var/lib/dpkg/status", status.clone()));
    plan.db_text_after = status;
}

/// An installed package's line in apt's `extended_states` (name, arch; no arch is amd64).
fn auto_mark(p: &InstalledPkg) -> (String, String) {
    let arch = if p.arch.is_empty() {
        "amd64".to_string()
    } else {
        p.arch.clone()
    };
    (p.name.clone(), arch)
}

fn list_text(files: &[FileSpec]) -> String {
    let mut s = String::from("/.\n");
    for f in files {
        s.push_str(&f.path);
        s.push('\n');
    }
    s
}

fn extended_states(auto: &[(String, String)]) -> String {
    auto.iter()
        .map(|(n, a)| format!("Package: {n}\nArchitecture: {a}\nAuto-Installed: 1\n\n"))
        .collect()
}

/// The `/var/lib/dpkg/status` stanza of a newly installed package (the index carries no
/// Maintainer or Description, so those fields are left out).
pub fn status_stanza(p: &DebPkg) -> String {
    let mut s = format!("Package: {}\nStatus: install ok installed\nPriority: {}\nSection: {}\nInstalled-Size: {}\n", p.name, p.priority, p.section, p.installed_size_kib);
    s.push_str(&format!("Architecture: {}\n", p.arch));
    if p.multi_arch != "no" && !p.multi_arch.is_empty() {
        s.push_str(&format!("Multi-Arch: {}\n", p.multi_arch));
    }
    if p.essential {
        s.push_str("Essential: yes\n");
    }
    s.push_str(&format!("Version: {}\n", p.version));
    for (k, v) in [
        ("Provides", &p.provides_text),
        ("Pre-Depends", &p.pre_depends_text),
        ("Depends", &p.depends_text),
        ("Recommends", &p.recommends_text),
        ("Suggests", &p.suggests_text),
    ] {
        if !v.is_empty() {
            s.push_str(&format!("{k}: {v}\n"));
        }
    }
    s
}

fn logs(
    ctx: &AptContext<'_>,
    request: &AptRequest,
    changed: &[&DebPkg],
    requested: &[String],
    dpkg_out: &str,
    removing: bool,
    plan: &mut PkgPlan,
) {
    let ts = &ctx.timestamp;
    let ts2 = ts.replacen(' ', "  ", 1);
    let mut dpkg_log = format!("{ts} startup archives unpack\n");
    let mut items = Vec::new();
    for p in changed {
        // dpkg.log names a package `name:arch` (`:all` for arch-independent ones).
        let dn = format!("{}:{}", p.name, p.arch);
        if removing {
            dpkg_log.push_str(&format!("{ts} remove {dn} {} <none>\n{ts} status half-configured {dn} {}\n{ts} status half-installed {dn} {}\n{ts} status config-files {dn} {}\n{ts} status not-installed {dn} <none>\n", p.version, p.version, p.version, p.version));
            items.push(format!("{dn} ({})", p.version));
        } else {
            dpkg_log.push_str(&format!("{ts} install {dn} <none> {v}\n{ts} status half-installed {dn} {v}\n{ts} status unpacked {dn} {v}\n", v = p.version));
            let auto = if requested.contains(&p.name) {
                ""
            } else {
                ", automatic"
            };
            items.push(format!("{dn} ({}{auto})", p.version));
        }
    }
    if !removing {
        dpkg_log.push_str(&format!("{ts} startup packages configure\n"));
        for p in changed {
            let dn = format!("{}:{}", p.name, p.arch);
            dpkg_log.push_str(&format!("{ts} configure {dn} {v} <none>\n{ts} status unpacked {dn} {v}\n{ts} status half-configured {dn} {v}\n{ts} status installed {dn} {v}\n", v = p.version));
        }
    }
    plan.appends.push(FileAppend {
        path: "/var/log/dpkg.log".into(),
        text: dpkg_log,
    });
    let verb = if removing { "Remove" } else { "Install" };
    plan.appends.push(FileAppend {
        path: "/var/log/apt/history.log".into(),
        text: format!(
            "\nStart-Date: {ts2}\nCommandline: {}\n{verb}: {}\nEnd-Date: {ts2}\n",
            request.command_line,
            items.join(", ")
        ),
    });
    plan.appends.push(FileAppend {
        path: "/var/log/apt/term.log".into(),
        text: format!("\nLog started: {ts2}\n{dpkg_out}Log ended: {ts2}\n\n"),
    });
    // eipp.log.xz is rewritten by every apt run that calls dpkg: the solver's input,
    // xz-compressed; about 40 bytes per known package.
    let eipp = 3_000 + 40 * (changed.len() as u64 + 100);
    plan.files_to_add
        .push(FileSpec::file("/var/log/apt/eipp.log.xz", eipp, 0o600));
    plan.note("the size of /var/log/apt/eipp.log.xz is estimated");
}

fn remove(
    ctx: &AptContext<'_>,
    installed: &InstalledDb,
    request: &AptRequest,
    names: &[String],
    purge: bool,
    mut plan: PkgPlan,
) -> Result<PkgPlan, PkgError> {
    let mut out = String::from(HEADER);
    let mut targets: Vec<String> = Vec::new();
    for raw in names {
        let name = raw.trim_end_matches(":amd64").to_string();
        if installed.is_installed(&name) {
            if !targets.contains(&name) {
                targets.push(name);
            }
        } else if installed.packages.iter().any(|p| p.name == name)
            || (ctx.lists_present && ctx.index.get(&name).is_some())
        {
            out.push_str(&format!(
                "Package '{name}' is not installed, so not removed\n"
            ));
        } else {
            return Err(PkgError::new(
                out,
                format!("E: Unable to locate package {name}\n"),
                100,
            ));
        }
    }
    // Installed packages that depend on a removed one go too.
    let deps_of = |p: &super::InstalledPkg| -> Vec<DebGroup> {
        let mut g = debdeps::parse_field(&p.pre_depends);
        g.extend(debdeps::parse_field(&p.depends));
        g
    };
    let provides_of = |p: &super::InstalledPkg| -> Vec<String> {
        debdeps::parse_field(&p.provides)
            .into_iter()
            .flatten()
            .map(|a| a.name)
            .collect()
    };
    let mut gone: BTreeSet<String> = targets.iter().cloned().collect();
    // Names (and provided names) of installed packages that are not going away.
    let available = |gone: &BTreeSet<String>| -> HashSet<String> {
        let mut names = HashSet::new();
        for q in installed.installed().filter(|q| !gone.contains(&q.name)) {
            names.insert(q.name.clone());
            names.extend(provides_of(q));
        }
        names
    };
    let before = available(&BTreeSet::new());
    for _ in 0..installed.packages.len().min(MAX_ROUNDS) {
        let now = available(&gone);
        let mut changed = false;
        for p in installed.installed() {
            if gone.contains(&p.name) {
                continue;
            }
            let groups = deps_of(p);
            let broken = groups
                .iter()
                .any(|g| !g.iter().any(|a| now.contains(&a.name)));
            let was_ok = groups
                .iter()
                .all(|g| g.iter().any(|a| before.contains(&a.name)));
            if broken && was_ok {
                gone.insert(p.name.clone());
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Automatically installed packages nothing manual needs any more.
    let mut keep: HashSet<String> = HashSet::new();
    // Name or provided name -> installed package that stays.
    let mut owner: HashMap<String, String> = HashMap::new();
    for q in installed.installed().filter(|q| !gone.contains(&q.name)) {
        owner.insert(q.name.clone(), q.name.clone());
        for v in provides_of(q) {
            owner.entry(v).or_insert_with(|| q.name.clone());
        }
    }
    // apt's root set: manually installed packages, and Essential ones whatever their mark
    // (`apt-mark auto '.*'` must not make autoremove take the base system).
    let essential = |p: &super::InstalledPkg| p.stanza.contains("\nEssential: yes");
    let mut stack: Vec<String> = installed
        .installed()
        .filter(|p| (!p.auto_installed || essential(p)) && !gone.contains(&p.name))
        .map(|p| p.name.clone())
        .collect();
    while let Some(n) = stack.pop() {
        if !keep.insert(n.clone()) {
            continue;
        }
        let Some(p) = installed.get(&n) else { continue };
        let mut groups = deps_of(p);
        if let Some(ix) = ctx.index.get(&n) {
            if request.recommends_important {
                groups.extend(ix.recommends.iter().cloned());
            }
            if request.suggests_important {
                groups.extend(ix.suggests.iter().cloned());
            }
        }
        for g in groups {
            if let Some(q) = g.iter().find_map(|a| owner.get(&a.name)) {
                stack.push(q.clone());
            }
        }
    }
    let orphans: Vec<String> = installed
        .installed()
        .filter(|p| p.auto_installed && !gone.contains(&p.name) && !keep.contains(&p.name))
        .map(|p| p.name.clone())
        .collect();
    let auto_remove = request.auto_remove || matches!(request.action, AptAction::Autoremove { .. });
    if !orphans.is_empty() && !auto_remove {
        out.push_str(
            "The following packages were automatically installed and are no longer required:\n",
        );
        out.push_str(&wrap_words(&orphans, "  ", 79));
        // apt 2.6 names `apt` here even when run as apt-get.
        let them = if orphans.len() == 1 { "it" } else { "them" };
        out.push_str(&format!("Use 'apt autoremove' to remove {them}.\n"));
    }
    if auto_remove {
        gone.extend(orphans);
    }
    let removed: Vec<&super::InstalledPkg> = installed
        .installed()
        .filter(|p| gone.contains(&p.name))
        .collect();
    if removed.is_empty() {
        out.push_str("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
        plan.stdout = out;
        return Ok(plan);
    }
    let essential: Vec<&str> = removed
        .iter()
        .filter(|p| {
            p.stanza.contains("\nEssential: yes")
                || ctx.index.get(&p.name).is_some_and(|i| i.essential)
        })
        .map(|p| p.name.as_str())
        .collect();
    out.push_str("The following packages will be REMOVED:\n");
    let words: Vec<String> = removed
        .iter()
        .map(|p| {
            if purge {
                format!("{}*", p.name)
            } else {
                p.name.clone()
            }
        })
        .collect();
    out.push_str(&wrap_words(&words, "  ", 79));
    if !essential.is_empty() {
        out.push_str("WARNING: The following essential packages will be removed.\nThis should NOT be done unless you know exactly what you are doing!\n");
        out.push_str(&wrap_words(&essential, "  ", 79));
    }
    out.push_str(&format!(
        "0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.\n",
        removed.len()
    ));
    let freed: u64 = removed.iter().map(|p| p.installed_size).sum();
    out.push_str(&format!(
        "After this operation, {} disk space will be freed.\n",
        size_to_str(freed as f64)
    ));
    if !essential.is_empty() {
        return Err(PkgError::new(out, "E: Essential packages were removed and -y was used without --allow-remove-essential.\n", 100));
    }
    if !request.assume_yes {
        out.push_str("Do you want to continue? [Y/n] Abort.\n");
        return Err(PkgError::new(out, "", 1));
    }
    let mut dpkg_out = reading_database(dpkg_entry_count(ctx, installed, &mut plan));
    // Dependents first.
    let mut ordered: Vec<&super::InstalledPkg> = removed.clone();
    ordered.sort_by_key(|p| {
        let depends_on_removed = deps_of(p).iter().flatten().any(|a| gone.contains(&a.name));
        (!depends_on_removed, p.name.clone())
    });
    for p in &ordered {
        let dn = ctx
            .index
            .get(&p.name)
            .map(|i| i.display_name())
            .unwrap_or_else(|| {
                if p.multi_arch == "same" {
                    format!("{}:{}", p.name, p.arch)
                } else {
                    p.name.clone()
                }
            });
        dpkg_out.push_str(&format!("Removing {dn} ({}) ...\n", p.version));
    }
    if let Some(libc) = installed
        .get("libc-bin")
        .filter(|_| !gone.contains("libc-bin"))
    {
        if ordered.iter().any(|p| p.name.starts_with("lib")) {
            dpkg_out.push_str(&format!(
                "Processing triggers for libc-bin ({}) ...\n",
                libc.version
            ));
        }
    }
    out.push_str(&dpkg_out);
    plan.stdout = out;
    // Files: the package's own list when the database has it, else its synthetic files.
    let mut files = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    let remaining_paths: HashSet<String> = installed
        .installed()
        .filter(|p| !gone.contains(&p.name))
        .flat_map(|p| p.files.iter().chain(p.dirs.iter()).cloned())
        .collect();
    for p in &ordered {
        let (fs, ds): (Vec<String>, Vec<String>) = if !p.files.is_empty() {
            (p.files.clone(), p.dirs.clone())
        } else if let Some(ix) = ctx.index.get(&p.name) {
            let spec = deb_files(ix);
            (
                spec.iter()
                    .filter(|f| !matches!(f.kind, FileKind::Dir))
                    .map(|f| f.path.clone())
                    .collect(),
                spec.iter()
                    .filter(|f| matches!(f.kind, FileKind::Dir))
                    .map(|f| f.path.clone())
                    .collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        files.extend(fs.into_iter().filter(|f| !remaining_paths.contains(f)));
        for d in ds {
            if d.starts_with(&format!("/usr/share/doc/{}", p.name))
                || d.ends_with(&format!("/{}", p.name))
            {
                dirs.insert(d);
            }
        }
        let dn = ctx
            .index
            .get(&p.name)
            .map(|i| i.display_name())
            .unwrap_or_else(|| p.name.clone());
        files.insert(format!("/var/lib/dpkg/info/{dn}.list"));
        files.insert(format!("/var/lib/dpkg/info/{dn}.md5sums"));
        plan.remove.push(PkgRef {
            name: p.name.clone(),
            version: p.version.clone(),
            installed_size: p.installed_size,
            download_size: ctx.index.get(&p.name).map(|i| i.download_size).unwrap_or(0),
        });
    }
    plan.files_to_remove.extend(files);
    let mut dirs: Vec<String> = dirs
        .into_iter()
        .filter(|d| !remaining_paths.contains(d))
        .collect();
    dirs.sort_by(|a, b| {
        b.matches('/')
            .count()
            .cmp(&a.matches('/').count())
            .then_with(|| a.cmp(b))
    });
    plan.files_to_remove.extend(dirs);
    let status: String = installed
        .packages
        .iter()
        .filter(|p| !gone.contains(&p.name))
        .map(|p| p.stanza.clone() + "\n")
        .collect();
    write_dpkg_status(&mut plan, installed, status);
    let auto: Vec<(String, String)> = installed
        .installed()
        .filter(|p| p.auto_installed && !gone.contains(&p.name))
        .map(auto_mark)
        .collect();
    if installed.installed().any(|p| p.auto_installed) {
        plan.files_to_add.push(FileSpec::text(
            "/var/lib/apt/extended_states",
            extended_states(&auto),
        ));
    }
    let idx_pkgs: Vec<&DebPkg> = ordered
        .iter()
        .filter_map(|p| ctx.index.get(&p.name))
        .collect();
    logs(ctx, request, &idx_pkgs, &[], &dpkg_out, true, &mut plan);
    let _: HashMap<(), ()> = HashMap::new();
    Ok(plan)
}

/// `/var/lib/dpkg/status` text for a base image holding the given packages (for the
/// catalog; `DebIndex::minbase_names` is the bookworm-slim estimate).
pub fn base_status_text(index: &DebIndex, names: &[&str]) -> String {
    let mut v: Vec<&DebPkg> = names.iter().filter_map(|n| index.get(n)).collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v.iter().map(|p| status_stanza(p) + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_apt() {
        // Figures from `apt-get install curl` on Debian 12 (apt 2.6.1).
        for (bytes, want) in [
            (8808.0, "8808 B"),
            (63520.0, "63.5 kB"),
            (2039888.0, "2040 kB"),
            (6131708.0, "6132 kB"),
            (15_800_320.0, "15.8 MB"),
            (0.0, "0 B"),
            (34770.0, "34.8 kB"),
        ] {
            assert_eq!(size_to_str(bytes), want);
        }
    }

    #[test]
    fn parses_command_lines() {
        let r = AptRequest::parse(
            "apt-get",
            &["install", "-y", "--no-install-recommends", "curl", "git"],
        )
        .unwrap();
        assert_eq!(
            r.action,
            AptAction::Install(vec!["curl".into(), "git".into()])
        );
        assert!(r.assume_yes && r.no_install_recommends);
        let r = AptRequest::parse("apt-get", &["-yqq", "purge", "--auto-remove", "curl"]).unwrap();
        assert_eq!(
            r.action,
            AptAction::Remove {
                packages: vec!["curl".into()],
                purge: true
            }
        );
        assert!(r.auto_remove && r.quiet == 2);
        let r = AptRequest::parse(
            "apt-get",
            &["-o", "Dpkg::Options::=--force-confold", "install", "x"],
        )
        .unwrap();
        assert_eq!(r.action, AptAction::Install(vec!["x".into()]));
        assert!(AptRequest::parse("apt-get", &["--bogus", "install"]).is_err());
    }
}
