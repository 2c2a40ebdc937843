//! `make`: a small GNU make. It reads `GNUmakefile`/`makefile`/`Makefile` (or `-f`),
//! after `-C DIR`, with variables from the environment, the makefile and the command line,
//! builds the goals (default: the first target) through their prerequisites, and runs
//! each recipe line with `$(SHELL) -c`, echoing it unless `@`/`-s`. Messages and exit
//! statuses are GNU make's (`make: *** No rule to make target 'x'.  Stop.`, exit 2).
//!
//! What is simplified: the filesystem has no modification times, so a target is remade
//! when it is phony, missing, or one of its prerequisites was remade in this run; `-j`
//! runs jobs one after another (the output is the serial one); built-in rules are only
//! the C/C++ compile and link rules. In a directory that received an archive whose
//! content was not downloaded (an unfetched source tree) with no makefile, `make`
//! succeeds and says that nothing was compiled.
//!
//! Invariants: goal recursion depth, expansion nesting and size, includes and loop
//! rounds are bounded (see the submodules); every line and every recipe command costs a
//! step; a budget abort stops the RUN.

mod expand;
mod parse;
mod vars;

use crate::engine::shell::fs::Content;
use crate::engine::shell::programs::{ProgResult, ProgramAbort, ProgramCtx, Registry};
use expand::Auto;
use parse::AssignOp;
use std::collections::{HashMap, HashSet};
use vars::{Origin, Vars};

/// Deepest prerequisite chain followed.
const MAX_GOAL_DEPTH: usize = 100;

pub fn register(registry: &mut Registry) {
    registry.register("make", run_make);
    registry.register("gmake", run_make);
}

/// Why make stops.
pub(crate) enum Fail {
    /// Print this line and exit 2.
    Stop(String),
    /// The message was printed; exit with this status.
    Exit(i32),
    Abort(ProgramAbort),
}

impl From<ProgramAbort> for Fail {
    fn from(a: ProgramAbort) -> Self {
        Fail::Abort(a)
    }
}

pub(crate) type R<T> = Result<T, Fail>;

#[derive(Debug, Clone)]
pub(crate) struct RecipeLine {
    pub text: String,
    pub file: String,
    pub line: usize,
}

/// Everything the makefiles said about one explicit target.
#[derive(Debug, Clone, Default)]
pub(crate) struct Target {
    pub prereqs: Vec<String>,
    pub order_only: Vec<String>,
    pub recipe: Vec<RecipeLine>,
    /// Recipe lines currently being added by the latest rule for this target.
    pub recipe_open: bool,
    /// Stem from a static pattern rule.
    pub stem: Option<String>,
    /// Target-specific variables.
    pub vars: Vec<(String, AssignOp, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct PatternRule {
    pub targets: Vec<String>,
    pub prereqs: Vec<String>,
    pub order_only: Vec<String>,
    pub recipe: Vec<RecipeLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    UpToDate,
    Remade,
    Failed,
}

#[derive(Debug, Default, Clone)]
struct Flags {
    keep_going: bool,
    silent: bool,
    dry_run: bool,
    always: bool,
    ignore: bool,
    print_dir: Option<bool>,
    no_builtin_rules: bool,
    question: bool,
    env_overrides: bool,
}

pub(crate) struct Make {
    pub vars: Vars,
    pub auto: Option<Auto>,
    pub targets: HashMap<String, Target>,
    pub patterns: Vec<PatternRule>,
    pub phony: HashSet<String>,
    pub default_goal: Option<String>,
    pub silent_all: bool,
    pub silent_targets: HashSet<String>,
    pub ignore_all: bool,
    pub oneshell: bool,
    pub export_all: bool,
    pub env_overrides: bool,
    pub missing_includes: Vec<String>,
    pub warnings: Vec<String>,
    /// Where we are, for messages (`Makefile:3`).
    pub file: String,
    pub line: usize,
    pub expanding: Vec<String>,
    pub include_depth: usize,
    /// `make` or `make[N]`.
    pub prefix: String,
    level: u32,
    flags: Flags,
    done: HashMap<String, Status>,
    in_progress: HashSet<String>,
    commands_run: usize,
    builtin: Vec<PatternRule>,
}

impl Make {
    /// `Makefile:3` (or the program prefix before any makefile is read).
    pub fn loc(&self) -> String {
        if self.file.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// Parsed command line.
#[derive(Default)]
struct Cli {
    files: Vec<String>,
    dirs: Vec<String>,
    goals: Vec<String>,
    assignments: Vec<String>,
    flags: Flags,
    version: bool,
    help: bool,
    unsupported: Vec<String>,
}

fn parse_cli(args: &[String]) -> Result<Cli, String> {
    let mut cli = Cli::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let take = |i: &mut usize| {
                value.clone().or_else(|| {
                    let v = args.get(*i).cloned();
                    *i += 1;
                    v
                })
            };
            match name {
                "" => {
                    cli.goals.extend(args[i..].iter().cloned());
                    break;
                }
                "file" | "makefile" => cli.files.extend(take(&mut i)),
                "directory" => cli.dirs.extend(take(&mut i)),
                "jobs"
                | "load-average"
                | "max-load"
                | "output-sync"
                | "debug"
                | "eval"
                | "warn-undefined-variables"
                | "include-dir"
                | "jobserver-auth"
                | "trace"
                | "shuffle" => {
                    if matches!(name, "include-dir") && value.is_none() {
                        i += 1;
                    }
                }
                "keep-going" => cli.flags.keep_going = true,
                "silent" | "quiet" => cli.flags.silent = true,
                "just-print" | "dry-run" | "recon" => cli.flags.dry_run = true,
                "always-make" => cli.flags.always = true,
                "ignore-errors" => cli.flags.ignore = true,
                "print-directory" => cli.flags.print_dir = Some(true),
                "no-print-directory" => cli.flags.print_dir = Some(false),
                "no-builtin-rules" | "no-builtin-variables" => cli.flags.no_builtin_rules = true,
                "environment-overrides" => cli.flags.env_overrides = true,
                "no-keep-going" | "stop" => {}
                "question" => cli.flags.question = true,
                "version" => cli.version = true,
                "help" => cli.help = true,
                "touch" | "print-data-base" | "what-if" | "new-file" | "assume-new"
                | "old-file" | "assume-old" => cli.unsupported.push(format!("--{name}")),
                _ => return Err(format!("unrecognized option '--{name}'")),
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                let rest: String = chars[k..].iter().collect();
                match c {
                    'f' | 'C' | 'I' | 'o' | 'W' => {
                        let value = if rest.is_empty() {
                            let v = args.get(i).cloned();
                            i += 1;
                            v
                        } else {
                            Some(rest)
                        };
                        let Some(value) = value else {
                            return Err(format!("option requires an argument -- '{c}'"));
                        };
                        match c {
                            'f' => cli.files.push(value),
                            'C' => cli.dirs.push(value),
                            _ => {}
                        }
                        break;
                    }
                    'j' | 'l' => {
                        // Optional numeric value: attached, or the next argument if numeric.
                        if rest.is_empty() {
                            if args.get(i).is_some_and(|n| {
                                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                            }) {
                                i += 1;
                            }
                            break;
                        }
                        let digits = rest
                            .chars()
                            .take_while(|c| c.is_ascii_digit() || *c == '.')
                            .count();
                        k += digits;
                    }
                    'O' => break,
                    'k' => cli.flags.keep_going = true,
                    's' => cli.flags.silent = true,
                    'n' => cli.flags.dry_run = true,
                    'B' => cli.flags.always = true,
                    'i' => cli.flags.ignore = true,
                    'w' => cli.flags.print_dir = Some(true),
                    'r' | 'R' => cli.flags.no_builtin_rules = true,
                    'q' => cli.flags.question = true,
                    'e' => cli.flags.env_overrides = true,
                    'S' | 'd' | 'L' => {}
                    'v' => cli.version = true,
                    'h' => cli.help = true,
                    't' | 'p' => cli.unsupported.push(format!("-{c}")),
                    _ => return Err(format!("invalid option -- '{c}'")),
                }
            }
            continue;
        }
        if is_assignment(a) {
            cli.assignments.push(a.clone());
        } else {
            cli.goals.push(a.clone());
        }
    }
    Ok(cli)
}

/// `NAME=value` (also `:=`, `+=`, `?=`) on the command line.
fn is_assignment(arg: &str) -> bool {
    match arg.find('=') {
        Some(0) | None => false,
        Some(p) => {
            let name = arg[..p].trim_end_matches([':', '+', '?', '!']);
            !name.is_empty() && !name.contains([' ', '\t', '$'])
        }
    }
}

const VERSION_TEXT: &str = "GNU Make 4.3
Built for x86_64-pc-linux-gnu
Copyright (C) 1988-2020 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.
";

fn run_make(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = crate::engine::programs::lang_support::program_name(argv, "make");
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, &name) {
        return missing;
    }
    let level: u32 = ctx
        .env("MAKELEVEL")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(1000);
    let prefix = if level == 0 {
        "make".to_string()
    } else {
        format!("make[{level}]")
    };
    // Flags inherited from a parent make come first, so the command line wins.
    let mut args: Vec<String> = Vec::new();
    if let Some(flags) = ctx.env("MAKEFLAGS") {
        let mut in_vars = false;
        for (n, w) in flags.split_ascii_whitespace().enumerate() {
            if w == "--" {
                in_vars = true;
            } else if in_vars {
                args.push(w.to_string());
            } else if n == 0 && !w.starts_with('-') && !w.contains('=') {
                args.push(format!("-{w}"));
            } else if w.starts_with('-') && !w.starts_with("--jobserver") {
                args.push(w.to_string());
            }
        }
    }
    args.extend(argv.iter().skip(1).cloned());
    let cli = match parse_cli(&args) {
        Ok(c) => c,
        Err(msg) => {
            ctx.err(format!("{prefix}: {msg}\nUsage: make [options] [target] ...\n").as_bytes())?;
            return Ok(2);
        }
    };
    if cli.version {
        ctx.out_str(VERSION_TEXT)?;
        return Ok(0);
    }
    if cli.help {
        ctx.out_str("Usage: make [options] [target] ...\n")?;
        return Ok(0);
    }
    for flag in &cli.unsupported {
        ctx.not_simulated(&format!("`make {flag}` is not simulated"));
    }
    let saved_cwd = ctx.sh.st.cwd.clone();
    let result = make_in_dirs(ctx, &cli, level, &prefix);
    ctx.sh.st.cwd = saved_cwd;
    match result {
        Ok(status) => Ok(status),
        Err(Fail::Abort(a)) => Err(a),
        Err(Fail::Exit(s)) => Ok(s),
        Err(Fail::Stop(msg)) => {
            ctx.err(format!("{msg}\n").as_bytes())?;
            Ok(2)
        }
    }
}

fn make_in_dirs(ctx: &mut ProgramCtx<'_, '_>, cli: &Cli, level: u32, prefix: &str) -> R<i32> {
    for dir in &cli.dirs {
        let path = ctx.abs(dir);
        if ctx.stat(&path).is_err() {
            ctx.enter_unfetched_dir(&path);
        }
        match ctx.stat(&path) {
            Ok(m) if m.is_dir() => ctx.sh.st.cwd = path,
            Ok(_) => {
                return Err(Fail::Stop(format!(
                    "{prefix}: *** {dir}: Not a directory.  Stop."
                )))
            }
            Err(e) => return Err(Fail::Stop(format!("{prefix}: *** {dir}: {e}.  Stop."))),
        }
    }
    let print_dir = cli
        .flags
        .print_dir
        .unwrap_or((level > 0 || !cli.dirs.is_empty()) && !cli.flags.silent);
    let cwd = ctx.cwd().to_string();
    if print_dir {
        ctx.out_str(&format!("{prefix}: Entering directory '{cwd}'\n"))?;
    }
    let r = make_here(ctx, cli, level, prefix);
    if !print_dir {
        return r;
    }
    // Printed on failure too, after the error message.
    let r = match r {
        Err(Fail::Stop(msg)) => {
            ctx.err(format!("{msg}\n").as_bytes())?;
            Err(Fail::Exit(2))
        }
        Err(Fail::Abort(a)) => return Err(Fail::Abort(a)),
        other => other,
    };
    ctx.out_str(&format!("{prefix}: Leaving directory '{cwd}'\n"))?;
    r
}

fn make_here(ctx: &mut ProgramCtx<'_, '_>, cli: &Cli, level: u32, prefix: &str) -> R<i32> {
    let mut mk = Make {
        vars: Vars::default(),
        auto: None,
        targets: HashMap::new(),
        patterns: Vec::new(),
        phony: HashSet::new(),
        default_goal: None,
        silent_all: false,
        silent_targets: HashSet::new(),
        ignore_all: false,
        oneshell: false,
        export_all: false,
        env_overrides: cli.flags.env_overrides,
        missing_includes: Vec::new(),
        warnings: Vec::new(),
        file: String::new(),
        line: 0,
        expanding: Vec::new(),
        include_depth: 0,
        prefix: prefix.to_string(),
        level,
        flags: cli.flags.clone(),
        done: HashMap::new(),
        in_progress: HashSet::new(),
        commands_run: 0,
        builtin: Vec::new(),
    };
    for (name, value) in vars::DEFAULTS {
        mk.vars.set(name, value.to_string(), true, Origin::Default);
    }
    for (name, value) in ctx.environment() {
        if name == "MAKEFLAGS" || name == "MFLAGS" {
            continue;
        }
        mk.vars.set(&name, value, true, Origin::Environment);
    }
    mk.vars
        .set("MAKELEVEL", level.to_string(), false, Origin::File);
    mk.vars
        .set("MAKECMDGOALS", cli.goals.join(" "), false, Origin::Default);
    for a in &cli.assignments {
        let (name, op, value) = split_assignment(a);
        mk.assign(ctx, &name, op, &value, Origin::CommandLine)?;
    }
    let flags = mk.makeflags();
    mk.vars.set("MAKEFLAGS", flags, false, Origin::File);
    if !cli.flags.no_builtin_rules {
        mk.builtin = vars::BUILTIN_RULES
            .iter()
            .map(|(t, p, r)| PatternRule {
                targets: vec![t.to_string()],
                prereqs: vec![p.to_string()],
                order_only: Vec::new(),
                recipe: vec![RecipeLine {
                    text: r.to_string(),
                    file: String::new(),
                    line: 0,
                }],
            })
            .collect();
    }
    // Which makefiles.
    let files: Vec<String> = if cli.files.is_empty() {
        ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .find(|f| ctx.stat(f).is_ok_and(|m| m.is_file()))
            .map(|f| vec![f.to_string()])
            .unwrap_or_default()
    } else {
        cli.files.clone()
    };
    if files.is_empty() {
        let cwd = ctx.cwd().to_string();
        if let Some(root) = ctx.unfetched_tree(&cwd) {
            let what = if cli.goals.is_empty() {
                "make".to_string()
            } else {
                format!("make {}", cli.goals.join(" "))
            };
            ctx.approximated(&format!(
                "the sources unpacked into {root} were not downloaded, so there is no makefile to run: \
                 `{what}` compiled nothing, and what it would build or install is not in the layer"
            ));
            return Ok(0);
        }
        if cli.goals.is_empty() {
            return Err(Fail::Stop(format!(
                "{prefix}: *** No targets specified and no makefile found.  Stop."
            )));
        }
    }
    // A makefile whose content is not known (written by a `./configure` or `cmake` whose
    // work is estimated, or downloaded): there is nothing to run.
    for f in &files {
        if f == "-" {
            continue;
        }
        let path = ctx.abs(f);
        if let Ok(Content::Unknown { size }) = ctx.read(&path) {
            if size > 0 {
                ctx.approximated(&format!(
                    "{f}'s content is not known (it was generated or downloaded without content):                      nothing was compiled, and what `make` would build or install is not in the layer"
                ));
                return Ok(0);
            }
        }
    }
    for f in &files {
        let path = if f == "-" { String::new() } else { ctx.abs(f) };
        if path.is_empty() {
            let data = ctx.stdin();
            let text = String::from_utf8_lossy(&data.bytes).into_owned();
            mk.parse_text(ctx, &text, "-", 0)?;
            continue;
        }
        match ctx.stat(&path) {
            Ok(_) => mk.read_makefile(ctx, &path, f)?,
            Err(e) => {
                if ctx.unfetched_tree(&path).is_some() {
                    ctx.approximated(&format!(
                        "{f} belongs to sources that were not downloaded: nothing was compiled"
                    ));
                    return Ok(0);
                }
                ctx.err(format!("{prefix}: {f}: {e}\n").as_bytes())?;
                mk.missing_includes.push(f.clone());
            }
        }
    }
    mk.file.clear();
    for w in std::mem::take(&mut mk.warnings) {
        ctx.err(format!("{w}\n").as_bytes())?;
    }
    if let Some(missing) = mk.missing_includes.first().cloned() {
        if mk.targets.get(&missing).is_none_or(|t| t.recipe.is_empty()) {
            return Err(Fail::Stop(format!(
                "{prefix}: *** No rule to make target '{missing}'.  Stop."
            )));
        }
    }
    if let Some(goal) = mk.vars.get(".DEFAULT_GOAL").map(|v| v.value.clone()) {
        if !goal.trim().is_empty() {
            mk.default_goal = Some(goal.trim().to_string());
        }
    }
    let goals: Vec<String> = if cli.goals.is_empty() {
        match mk.default_goal.clone() {
            Some(g) => vec![g],
            None => {
                return Err(Fail::Stop(format!("{prefix}: *** No targets.  Stop.")));
            }
        }
    } else {
        cli.goals.clone()
    };
    let mut status = 0;
    for goal in &goals {
        let before = mk.commands_run;
        let result = mk.build(ctx, goal, None, 0)?;
        match result {
            Status::Failed => {
                ctx.err(
                    format!("{prefix}: Target '{goal}' not remade because of errors.\n").as_bytes(),
                )?;
                status = 2;
            }
            _ if mk.commands_run == before && !mk.flags.question && !mk.flags.silent => {
                let has_recipe = mk.recipe_for(goal).is_some_and(|r| !r.is_empty());
                let msg = if mk.phony.contains(goal) || !has_recipe {
                    format!("{prefix}: Nothing to be done for '{goal}'.\n")
                } else {
                    format!("{prefix}: '{goal}' is up to date.\n")
                };
                ctx.out_str(&msg)?;
            }
            Status::Remade if mk.flags.question => status = 1,
            _ => {}
        }
    }
    Ok(status)
}

fn split_assignment(arg: &str) -> (String, AssignOp, String) {
    let p = arg.find('=').unwrap_or(arg.len());
    let head = &arg[..p];
    let value = arg.get(p + 1..).unwrap_or("").to_string();
    let (name, op) = if let Some(n) = head.strip_suffix("::") {
        (n, AssignOp::Simple)
    } else if let Some(n) = head.strip_suffix(':') {
        (n, AssignOp::Simple)
    } else if let Some(n) = head.strip_suffix('+') {
        (n, AssignOp::Append)
    } else if let Some(n) = head.strip_suffix('?') {
        (n, AssignOp::Conditional)
    } else if let Some(n) = head.strip_suffix('!') {
        (n, AssignOp::Shell)
    } else {
        (head, AssignOp::Recursive)
    };
    (name.trim().to_string(), op, value)
}

/// Variables to set and to unset in a recipe's environment.
type RecipeEnv = (Vec<(String, String)>, Vec<String>);

/// How one target is made.
struct Plan {
    prereqs: Vec<String>,
    order_only: Vec<String>,
    recipe: Vec<RecipeLine>,
    stem: String,
    vars: Vec<(String, AssignOp, String)>,
}

impl Make {
    fn recipe_for(&self, target: &str) -> Option<&Vec<RecipeLine>> {
        self.targets.get(target).map(|t| &t.recipe)
    }

    /// An implicit rule for `target` whose prerequisites exist or are targets.
    fn implicit(&self, ctx: &mut ProgramCtx<'_, '_>, target: &str) -> Option<Plan> {
        for rule in self.patterns.iter().chain(self.builtin.iter()) {
            for pattern in &rule.targets {
                let Some(stem) = expand::match_pattern(pattern, target) else {
                    continue;
                };
                // `%: %.o`-style match-anything rules do not apply to files with a
                // pattern rule of their own kind; keep it simple: any stem works.
                let prereqs: Vec<String> = rule
                    .prereqs
                    .iter()
                    .map(|p| p.replacen('%', stem, 1))
                    .collect();
                let available = prereqs
                    .iter()
                    .all(|p| self.targets.contains_key(p) || ctx.stat(p).is_ok());
                if available && !(rule.recipe.is_empty() && prereqs.is_empty()) {
                    return Some(Plan {
                        prereqs,
                        order_only: rule
                            .order_only
                            .iter()
                            .map(|p| p.replacen('%', stem, 1))
                            .collect(),
                        recipe: rule.recipe.clone(),
                        stem: stem.to_string(),
                        vars: Vec::new(),
                    });
                }
            }
        }
        None
    }

    fn plan(&self, ctx: &mut ProgramCtx<'_, '_>, target: &str) -> Option<Plan> {
        let explicit = self.targets.get(target).cloned();
        let phony = self.phony.contains(target);
        match explicit {
            Some(t) => {
                let mut plan = Plan {
                    prereqs: t.prereqs,
                    order_only: t.order_only,
                    recipe: t.recipe,
                    stem: t.stem.unwrap_or_default(),
                    vars: t.vars,
                };
                if plan.recipe.is_empty() && !phony {
                    if let Some(imp) = self.implicit(ctx, target) {
                        let mut prereqs = imp.prereqs;
                        prereqs.extend(plan.prereqs);
                        plan.prereqs = prereqs;
                        plan.recipe = imp.recipe;
                        plan.stem = imp.stem;
                    }
                }
                Some(plan)
            }
            None if phony => Some(Plan {
                prereqs: Vec::new(),
                order_only: Vec::new(),
                recipe: Vec::new(),
                stem: String::new(),
                vars: Vec::new(),
            }),
            None => self.implicit(ctx, target),
        }
    }

    fn build(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        target: &str,
        parent: Option<&str>,
        depth: usize,
    ) -> R<Status> {
        if let Some(s) = self.done.get(target) {
            return Ok(*s);
        }
        if self.in_progress.contains(target) {
            let parent = parent.unwrap_or(target);
            ctx.err(
                format!(
                    "{}: Circular {parent} <- {target} dependency dropped.\n",
                    self.prefix
                )
                .as_bytes(),
            )?;
            return Ok(Status::UpToDate);
        }
        if depth > MAX_GOAL_DEPTH {
            return Err(Fail::Stop(format!(
                "{}: *** prerequisites nest more than {MAX_GOAL_DEPTH} levels deep (the playground's limit).  Stop.",
                self.prefix
            )));
        }
        ctx.steps(1)?;
        let exists = ctx.stat(target).is_ok();
        let Some(plan) = self.plan(ctx, target) else {
            if exists {
                self.done.insert(target.to_string(), Status::UpToDate);
                return Ok(Status::UpToDate);
            }
            let msg = match parent {
                Some(p) => format!("No rule to make target '{target}', needed by '{p}'"),
                None => format!("No rule to make target '{target}'"),
            };
            if self.flags.keep_going {
                ctx.err(format!("{}: *** {msg}.\n", self.prefix).as_bytes())?;
                self.done.insert(target.to_string(), Status::Failed);
                return Ok(Status::Failed);
            }
            return Err(Fail::Stop(format!("{}: *** {msg}.  Stop.", self.prefix)));
        };
        self.in_progress.insert(target.to_string());
        let mut failed = false;
        let mut newer = Vec::new();
        for p in plan.prereqs.iter().chain(plan.order_only.iter()) {
            let s = self.build(ctx, p, Some(target), depth + 1)?;
            match s {
                Status::Failed => {
                    failed = true;
                    if !self.flags.keep_going {
                        break;
                    }
                }
                Status::Remade if plan.prereqs.contains(p) => newer.push(p.clone()),
                _ => {}
            }
        }
        self.in_progress.remove(target);
        if failed {
            self.done.insert(target.to_string(), Status::Failed);
            if !self.flags.keep_going {
                return Err(Fail::Exit(2));
            }
            return Ok(Status::Failed);
        }
        let phony = self.phony.contains(target);
        let remake = self.flags.always || phony || !exists || !newer.is_empty();
        let status = if !remake {
            Status::UpToDate
        } else if plan.recipe.is_empty() {
            if exists && newer.is_empty() && !phony {
                Status::UpToDate
            } else {
                Status::Remade
            }
        } else {
            let auto = Auto {
                target: target.to_string(),
                prereqs: plan.prereqs.clone(),
                order_only: plan.order_only.clone(),
                stem: plan.stem.clone(),
                newer,
            };
            self.run_recipe(ctx, target, &plan, auto)?
        };
        self.done.insert(target.to_string(), status);
        Ok(status)
    }

    /// The environment a recipe runs with: exported variables, expanded.
    fn recipe_env(&mut self, ctx: &mut ProgramCtx<'_, '_>) -> R<RecipeEnv> {
        let names: Vec<String> = self.vars.names().cloned().collect();
        let mut set = Vec::new();
        let mut unset = Vec::new();
        for n in names {
            let Some(v) = self.vars.get(&n) else { continue };
            let exported = match v.export {
                Some(e) => e,
                None => {
                    v.in_env
                        || v.origin == Origin::CommandLine
                        || (self.export_all && v.origin != Origin::Default)
                }
            };
            let valid_name =
                n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !n.is_empty();
            if !valid_name {
                continue;
            }
            if !exported {
                if v.in_env {
                    unset.push(n);
                }
                continue;
            }
            let value = self.var_value(ctx, &n, 0)?;
            set.push((n, value));
        }
        set.push(("MAKELEVEL".to_string(), (self.level + 1).to_string()));
        set.push(("MAKEFLAGS".to_string(), self.makeflags()));
        Ok((set, unset))
    }

    /// `$(MAKEFLAGS)`: the single-letter flags, then `-- VAR=value` overrides.
    fn makeflags(&self) -> String {
        let mut letters = String::new();
        for (on, c) in [
            (self.flags.ignore, 'i'),
            (self.flags.keep_going, 'k'),
            (self.flags.dry_run, 'n'),
            (self.flags.silent, 's'),
        ] {
            if on {
                letters.push(c);
            }
        }
        let overrides: Vec<String> = self
            .vars
            .names()
            .filter_map(|n| {
                self.vars
                    .get(n)
                    .filter(|v| v.origin == Origin::CommandLine)
                    .map(|v| format!("{n}={}", v.value))
            })
            .collect();
        let mut flags = letters;
        if !overrides.is_empty() {
            if !flags.is_empty() {
                flags.push(' ');
            }
            flags.push_str("-- ");
            flags.push_str(&overrides.join(" "));
        }
        flags
    }

    fn run_recipe(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        target: &str,
        plan: &Plan,
        auto: Auto,
    ) -> R<Status> {
        // Target-specific variables hold while the recipe expands.
        let mut saved = Vec::new();
        for (name, op, value) in &plan.vars {
            saved.push((name.clone(), self.vars.get(name).cloned()));
            self.assign(ctx, name, *op, value, Origin::Override)?;
        }
        let saved_auto = self.auto.replace(auto);
        let r = self.run_lines(ctx, target, plan);
        self.auto = saved_auto;
        for (name, old) in saved.into_iter().rev() {
            self.restore(&name, old);
        }
        r
    }

    fn run_lines(&mut self, ctx: &mut ProgramCtx<'_, '_>, target: &str, plan: &Plan) -> R<Status> {
        let lines: Vec<RecipeLine> = if self.oneshell && !plan.recipe.is_empty() {
            let first = plan.recipe[0].clone();
            vec![RecipeLine {
                text: plan
                    .recipe
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                ..first
            }]
        } else {
            plan.recipe.clone()
        };
        let (env, unset) = self.recipe_env(ctx)?;
        let shell = self
            .vars
            .get("SHELL")
            .map(|v| v.value.clone())
            .unwrap_or_else(|| "/bin/sh".to_string());
        for line in &lines {
            self.file = line.file.clone();
            self.line = line.line;
            let expanded = self.expand(ctx, &line.text)?;
            let mut silent =
                self.flags.silent || self.silent_all || self.silent_targets.contains(target);
            let mut ignore = self.flags.ignore || self.ignore_all;
            let mut forced = false;
            let mut body = expanded.as_str();
            loop {
                let t = body.trim_start_matches([' ', '\t']);
                match t.chars().next() {
                    Some('@') => silent = true,
                    Some('-') => ignore = true,
                    Some('+') => forced = true,
                    _ => {
                        body = t;
                        break;
                    }
                }
                body = &t[1..];
            }
            if body.trim().is_empty() {
                continue;
            }
            self.commands_run += 1;
            if !silent || (self.flags.dry_run && !forced) {
                ctx.out_str(&format!("{body}\n"))?;
            }
            if self.flags.dry_run && !forced {
                continue;
            }
            ctx.steps(1)?;
            let argv = vec![shell.clone(), "-c".to_string(), body.to_string()];
            let status = ctx.run_with_env(&env, &unset, false, argv)?;
            if status != 0 {
                let place = if line.file.is_empty() {
                    format!("<builtin>: {target}")
                } else {
                    format!("{}:{}: {target}", line.file, line.line)
                };
                if ignore {
                    ctx.err(
                        format!("{}: [{place}] Error {status} (ignored)\n", self.prefix).as_bytes(),
                    )?;
                    continue;
                }
                ctx.err(format!("{}: *** [{place}] Error {status}\n", self.prefix).as_bytes())?;
                self.file.clear();
                if self.flags.keep_going {
                    return Ok(Status::Failed);
                }
                return Err(Fail::Exit(2));
            }
        }
        self.file.clear();
        Ok(Status::Remade)
    }
}
