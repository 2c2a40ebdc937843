//! The interpreter: runs a parsed [`List`] against a [`ShellFs`], one shell process at a
//! time (a subshell is a saved and restored [`ShellState`]). Control flow (`exit`,
//! `return`, `break`, `continue`, budget aborts) travels as [`Flow`] in `Err`.
//!
//! Invariants: every command costs a step; every loop round an iteration; function calls,
//! subshells, `eval`, `.` and nested shells count toward the depth budget — so no script
//! can hang or overflow the stack. Pipelines run their stages in order, each stage in a
//! subshell, the bytes of one stage becoming the stdin of the next.

use super::ast::*;
use super::budget::{Abort, Budget};
use super::fs::{self, ShellFs};
use super::io::{Fd, FdTable, Input, Stream, StreamData};
use super::parser::{self, SyntaxError};
use super::programs::Registry;
use super::state::ShellState;
use super::{EventKind, ImageFlavor, OutputChunk, ShellEvent};
use crate::text::Span;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Non-local control flow.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flow {
    /// Leave the current shell process with this status.
    Exit(i32),
    Return(i32),
    Break(usize),
    Continue(usize),
    /// A budget ran out: the whole RUN stops.
    Abort(Abort),
}

impl From<Abort> for Flow {
    fn from(a: Abort) -> Self {
        Flow::Abort(a)
    }
}

pub(crate) type Ex<T = i32> = Result<T, Flow>;

/// Settings that hold for the whole RUN.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub image: ImageFlavor,
    pub strict_path: bool,
    pub unknown_commands: super::UnknownCommands,
    pub now: i64,
    pub hostname: String,
}

/// Binaries that act by the name they are called by; a link to one under a name we do not
/// simulate is not simulated either.
const MULTI_CALL: &[&str] = &["busybox", "hostname", "setarch", "killall5", "tset"];

pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub(crate) struct Interp<'a> {
    pub fs: &'a mut dyn ShellFs,
    pub reg: &'a Registry,
    pub st: ShellState,
    pub fds: FdTable,
    pub cfg: Config,
    pub budget: Budget,
    pub log: Vec<OutputChunk>,
    pub events: Vec<ShellEvent>,
    pub xtrace: Vec<String>,
    /// Nesting of subshells, functions, eval, nested shells.
    pub depth: usize,
    /// When running code that is not the top-level script, the span events map to.
    pub origin: Option<Span>,
    /// Whether the top-level shell has started (later shells are nested).
    pub top_started: bool,
    /// Span of the command being run, in the current source.
    pub cur_span: Span,
    /// > 0 while running a condition (`if`, `while`, `&&`/`||` operands, `!`): no errexit.
    pub cond_depth: usize,
    /// Set by program-facing operations when a budget runs out mid-program.
    pub pending_abort: Option<Abort>,
    pub next_pid: u32,
    /// A logical clock for `date`, `sleep` and friends (seconds).
    pub clock: i64,
    /// Deterministic state for `$RANDOM`, `mktemp` and `/dev/urandom`.
    pub rng: u64,
    /// Output of `<(…)` process substitutions, by their `/dev/fd/N` path.
    pub procsubs: std::collections::HashMap<String, Vec<u8>>,
    /// Real stack use since the RUN started (see [`super::stack`]).
    pub guard: super::stack::StackGuard,
    /// The program that is executing a command (`env`, `xargs`, `find -exec` …), which
    /// then reports a missing command itself.
    pub exec_caller: Option<String>,
    /// Roots of unfetched source trees (see [`super::unfetched`]).
    pub unfetched: Vec<String>,
}

impl<'a> Interp<'a> {
    pub fn new(
        fs: &'a mut dyn ShellFs,
        reg: &'a Registry,
        st: ShellState,
        fds: FdTable,
        cfg: Config,
        budget: Budget,
    ) -> Self {
        let clock = cfg.now;
        let guard = super::stack::StackGuard::new(budget.limits.max_stack_bytes);
        Interp {
            fs,
            reg,
            st,
            fds,
            cfg,
            budget,
            log: Vec::new(),
            events: Vec::new(),
            xtrace: Vec::new(),
            depth: 0,
            origin: None,
            top_started: false,
            cur_span: Span::default(),
            cond_depth: 0,
            pending_abort: None,
            next_pid: 100,
            clock,
            rng: 0x2545_F491_4F6C_DD1D,
            procsubs: std::collections::HashMap::new(),
            guard,
            exec_caller: None,
            unfetched: Vec::new(),
        }
    }

    // ------------------------------------------------------------ output

    /// Writes to a descriptor of the current process.
    pub fn write_fd(&mut self, fd: u32, data: &[u8]) -> Ex<()> {
        if data.is_empty() {
            return Ok(());
        }
        match self.fds.get(fd).cloned() {
            Some(Fd::Log(stream)) => self.log_write(stream, data)?,
            Some(Fd::Pipe(buf)) => {
                let len = buf.borrow().bytes.len() + data.len();
                self.budget.value(len)?;
                buf.borrow_mut().bytes.extend_from_slice(data);
            }
            Some(Fd::File(path)) => {
                let r = self.sys_write(&path, fs::Data::Bytes(data), fs::WriteMode::Append);
                self.take_pending()?;
                let _ = r;
            }
            Some(Fd::Null) | Some(Fd::Input(_)) | None => {}
        }
        Ok(())
    }

    /// Writes `n` bytes of unknown content (a download) to a descriptor.
    pub fn write_fd_unknown(&mut self, fd: u32, n: u64) -> Ex<()> {
        if n == 0 {
            return Ok(());
        }
        match self.fds.get(fd).cloned() {
            Some(Fd::Pipe(buf)) => buf.borrow_mut().unknown += n,
            Some(Fd::File(path)) => {
                let _ = self.sys_write(&path, fs::Data::Unknown(n), fs::WriteMode::Append);
                self.take_pending()?;
            }
            Some(Fd::Log(stream)) => {
                let note = format!("[{n} bytes of binary data]\n");
                self.log_write(stream, note.as_bytes())?;
            }
            _ => {}
        }
        Ok(())
    }

    fn log_write(&mut self, stream: Stream, data: &[u8]) -> Ex<()> {
        self.budget.output(data.len() as u64)?;
        match self.log.last_mut() {
            Some(last) if last.stream == stream => last.bytes.extend_from_slice(data),
            _ => self.log.push(OutputChunk {
                stream,
                bytes: data.to_vec(),
            }),
        }
        Ok(())
    }

    /// Everything left on stdin.
    pub fn read_stdin(&mut self) -> StreamData {
        match self.fds.get(0).cloned() {
            Some(Fd::Input(inp)) => inp.borrow_mut().take_rest(),
            _ => StreamData::default(),
        }
    }

    /// The shell's own error message: `sh: 1: msg` (dash), `bash: line 1: msg`,
    /// `sh: msg` (ash).
    pub fn shell_error(&mut self, msg: &str) -> Ex<()> {
        let line = self.lineno();
        let text = match self.st.dialect {
            Dialect::Dash => format!("{}: {}: {}\n", self.st.arg0, line, msg),
            Dialect::Bash => format!("{}: line {}: {}\n", self.st.arg0, line, msg),
            Dialect::Ash => format!("{}: {}\n", self.st.arg0, msg),
        };
        self.write_fd(2, text.as_bytes())
    }

    pub fn lineno(&self) -> usize {
        let at = self.cur_span.start.saturating_sub(self.st.source_base);
        let src = &self.st.source;
        let end = at.min(src.len());
        src.as_bytes()[..end]
            .iter()
            .filter(|&&c| c == b'\n')
            .count()
            + 1
    }

    pub fn take_pending(&mut self) -> Ex<()> {
        match self.pending_abort.take() {
            Some(a) => Err(Flow::Abort(a)),
            None => Ok(()),
        }
    }

    /// Where an event about the current command points in the top-level script.
    pub fn event_span(&self) -> Option<Span> {
        match self.origin {
            Some(s) => Some(s),
            None if self.top_started => Some(self.cur_span),
            None => None,
        }
    }

    pub fn record(&mut self, kind: EventKind, command: &str, detail: String) {
        let span = self.event_span();
        self.events.push(ShellEvent {
            kind,
            command: command.to_string(),
            detail,
            span,
        });
    }

    pub fn enter(&mut self) -> Ex<()> {
        self.depth += 1;
        self.budget.depth(self.depth)?;
        self.check_stack()
    }

    /// Stops the RUN before deep nesting could exhaust the real stack.
    pub fn check_stack(&self) -> Ex<()> {
        if self.guard.exceeded() {
            return Err(Flow::Abort(Abort::new(
                super::budget::BudgetKind::Depth,
                self.budget.limits.max_depth as u64,
            )));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn rand(&mut self) -> u64 {
        // xorshift64*: deterministic, so builds are reproducible.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    // ------------------------------------------------------------ shells

    /// Runs `source` as a script in the current shell process (used by `sh -c`, `.`,
    /// `eval`, script files). Syntax errors are printed as the shell prints them.
    pub fn run_source(&mut self, source: &str, base: usize) -> Ex<i32> {
        // Parsing needs stack of its own: stop here rather than report the nesting of
        // the running shells as a syntax error of this source.
        if self.guard.near_limit(64 << 10) {
            return Err(Flow::Abort(Abort::new(
                super::budget::BudgetKind::Depth,
                self.budget.limits.max_depth as u64,
            )));
        }
        let list = match parser::parse_guarded(source, base, self.st.dialect, 0, self.guard) {
            Ok(l) => l,
            Err(e) => {
                self.report_syntax_error(source, base, &e)?;
                return Err(Flow::Exit(2));
            }
        };
        let saved_src = std::mem::replace(&mut self.st.source, Arc::from(source));
        let saved_base = std::mem::replace(&mut self.st.source_base, base);
        let r = self.exec_list(&list);
        self.st.source = saved_src;
        self.st.source_base = saved_base;
        r
    }

    pub fn report_syntax_error(&mut self, source: &str, base: usize, e: &SyntaxError) -> Ex<()> {
        let at = e.span.start.saturating_sub(base).min(source.len());
        let line = source.as_bytes()[..at]
            .iter()
            .filter(|&&c| c == b'\n')
            .count()
            + 1;
        let text = match self.st.dialect {
            Dialect::Dash => format!("{}: {}: Syntax error: {}\n", self.st.arg0, line, e.message),
            Dialect::Ash => format!(
                "{}: line {}: syntax error: {}\n",
                self.st.arg0, line, e.message
            ),
            Dialect::Bash => format!(
                "{}: -c: line {}: syntax error: {}\n",
                self.st.arg0, line, e.message
            ),
        };
        self.write_fd(2, text.as_bytes())
    }

    // ------------------------------------------------------------ lists

    pub fn exec_list(&mut self, list: &List) -> Ex<i32> {
        let mut status = 0;
        for item in list {
            status = if item.background {
                let and_or = &item.and_or;
                let s = self.subshell(|sh| sh.exec_and_or(and_or));
                // A background job's failure does not stop `set -e`; a budget abort does.
                if let Err(Flow::Abort(a)) = s {
                    return Err(Flow::Abort(a));
                }
                self.next_pid += 1;
                self.st.last_bg = Some(self.next_pid);
                0
            } else {
                self.exec_and_or(&item.and_or)?
            };
            self.st.last_status = status;
        }
        Ok(status)
    }

    fn exec_and_or(&mut self, and_or: &AndOr) -> Ex<i32> {
        let total = and_or.rest.len();
        let mut status = self.exec_pipeline_checked(&and_or.first, total == 0)?;
        for (i, (conn, p)) in and_or.rest.iter().enumerate() {
            let run = match conn {
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if run {
                status = self.exec_pipeline_checked(p, i + 1 == total)?;
            }
        }
        Ok(status)
    }

    /// Runs a pipeline; a non-final operand of `&&`/`||` runs as a condition.
    fn exec_pipeline_checked(&mut self, p: &Pipeline, last: bool) -> Ex<i32> {
        if !last {
            self.cond_depth += 1;
        }
        let r = self.exec_pipeline(p);
        if !last {
            self.cond_depth -= 1;
        }
        let status = r?;
        self.st.last_status = status;
        if last && status != 0 && !p.negated && self.st.opts.errexit && self.cond_depth == 0 {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn exec_pipeline(&mut self, p: &Pipeline) -> Ex<i32> {
        if p.negated {
            self.cond_depth += 1;
        }
        let r = self.exec_pipeline_inner(p);
        if p.negated {
            self.cond_depth -= 1;
        }
        let status = r?;
        Ok(if p.negated {
            i32::from(status == 0)
        } else {
            status
        })
    }

    fn exec_pipeline_inner(&mut self, p: &Pipeline) -> Ex<i32> {
        if p.commands.len() == 1 {
            return match p.commands.first() {
                Some(c) => self.exec_command(c),
                None => Ok(0),
            };
        }
        let mut statuses = Vec::with_capacity(p.commands.len());
        let mut input: Option<StreamData> = None;
        let n = p.commands.len();
        for (i, cmd) in p.commands.iter().enumerate() {
            let out = Rc::new(RefCell::new(StreamData::default()));
            let stdin = input.take();
            let is_last = i + 1 == n;
            let out_for_stage = Rc::clone(&out);
            let status = self.subshell(move |sh| {
                if let Some(data) = stdin {
                    sh.fds.set(0, Some(Fd::Input(Input::new(data))));
                }
                if !is_last {
                    sh.fds.set(1, Some(Fd::Pipe(out_for_stage)));
                }
                sh.exec_command(cmd)
            })?;
            statuses.push(status);
            if !is_last {
                let data = std::mem::take(&mut *out.borrow_mut());
                input = Some(data);
            }
        }
        let last = statuses.last().copied().unwrap_or(0);
        if self.st.opts.pipefail {
            return Ok(statuses
                .iter()
                .rev()
                .find(|&&s| s != 0)
                .copied()
                .unwrap_or(0));
        }
        Ok(last)
    }

    /// Runs `f` in a subshell: state and descriptors are restored afterwards, `exit`
    /// ends only the subshell.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Ex<i32>) -> Ex<i32> {
        self.enter()?;
        let saved_st = self.st.clone();
        let saved_fds = self.fds.clone();
        let saved_cond = self.cond_depth;
        self.st.locals.clear();
        self.st.loop_depth = 0;
        let r = f(self);
        self.st = saved_st;
        self.fds = saved_fds;
        self.cond_depth = saved_cond;
        self.leave();
        match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            Err(Flow::Abort(a)) => Err(Flow::Abort(a)),
        }
    }

    // ------------------------------------------------------------ commands

    pub fn exec_command(&mut self, cmd: &Command) -> Ex<i32> {
        self.check_stack()?;
        match cmd {
            Command::Simple(s) => self.exec_simple(s),
            Command::Compound {
                body,
                redirects,
                span,
            } => {
                self.budget.step()?;
                self.cur_span = *span;
                let saved = self.fds.clone();
                if let Err(status) = self.apply_redirects(redirects)? {
                    self.fds = saved;
                    return Ok(status);
                }
                let r = self.exec_compound(body);
                self.fds = saved;
                r
            }
            Command::Function { name, body, .. } => {
                self.budget.step()?;
                self.st.functions.insert(name.clone(), Arc::clone(body));
                Ok(0)
            }
        }
    }

    fn cond_list(&mut self, list: &List) -> Ex<i32> {
        self.cond_depth += 1;
        let r = self.exec_list(list);
        self.cond_depth -= 1;
        r
    }

    /// Runs a loop body; `Ok(None)` to go on, `Ok(Some(status))` to leave the loop.
    fn loop_body(&mut self, body: &List, status: &mut i32) -> Ex<Option<i32>> {
        match self.exec_list(body) {
            Ok(s) => {
                *status = s;
                Ok(None)
            }
            Err(Flow::Break(n)) => {
                if n > 1 {
                    Err(Flow::Break(n - 1))
                } else {
                    Ok(Some(0))
                }
            }
            Err(Flow::Continue(n)) => {
                if n > 1 {
                    Err(Flow::Continue(n - 1))
                } else {
                    Ok(None)
                }
            }
            Err(e) => Err(e),
        }
    }

    fn exec_compound(&mut self, c: &Compound) -> Ex<i32> {
        match c {
            Compound::Brace(list) => self.exec_list(list),
            Compound::Subshell(list) => self.subshell(|sh| sh.exec_list(list)),
            Compound::If {
                branches,
                else_body,
            } => {
                for (cond, body) in branches {
                    if self.cond_list(cond)? == 0 {
                        return self.exec_list(body);
                    }
                }
                match else_body {
                    Some(b) => self.exec_list(b),
                    None => Ok(0),
                }
            }
            Compound::For { var, words, body } => {
                let items = match words {
                    Some(ws) => self.expand_fields(ws)?,
                    None => self.st.positional.clone(),
                };
                self.st.loop_depth += 1;
                let r = self.for_loop(var, &items, body);
                self.st.loop_depth -= 1;
                r
            }
            Compound::ArithFor {
                init,
                cond,
                step,
                body,
            } => {
                self.st.loop_depth += 1;
                let r = self.arith_for(init, cond, step, body);
                self.st.loop_depth -= 1;
                r
            }
            Compound::While { until, cond, body } => {
                self.st.loop_depth += 1;
                let r = self.while_loop(*until, cond, body);
                self.st.loop_depth -= 1;
                r
            }
            Compound::Case { word, arms } => self.exec_case(word, arms),
            Compound::Cond(e) => {
                self.xtrace_line("[[ … ]]")?;
                match self.eval_cond(e) {
                    Ok(true) => Ok(0),
                    Ok(false) => Ok(1),
                    Err(Flow::Exit(2)) => Ok(2),
                    Err(e) => Err(e),
                }
            }
            Compound::Arith(w) => {
                let v = self.eval_arith_word(w)?;
                Ok(i32::from(v == 0))
            }
        }
    }

    fn for_loop(&mut self, var: &str, items: &[String], body: &List) -> Ex<i32> {
        let mut status = 0;
        for item in items {
            self.budget.iteration()?;
            self.set_var(var, item.clone())?;
            if let Some(s) = self.loop_body(body, &mut status)? {
                return Ok(s);
            }
        }
        Ok(status)
    }

    fn arith_for(&mut self, init: &Word, cond: &Word, step: &Word, body: &List) -> Ex<i32> {
        let mut status = 0;
        self.eval_arith_word(init)?;
        loop {
            self.budget.iteration()?;
            let empty = cond.parts.is_empty();
            if !empty && self.eval_arith_word(cond)? == 0 {
                break;
            }
            if let Some(s) = self.loop_body(body, &mut status)? {
                return Ok(s);
            }
            self.eval_arith_word(step)?;
        }
        Ok(status)
    }

    fn while_loop(&mut self, until: bool, cond: &List, body: &List) -> Ex<i32> {
        let mut status = 0;
        loop {
            self.budget.iteration()?;
            let c = match self.cond_list(cond) {
                Ok(c) => c,
                Err(Flow::Break(n)) => {
                    return if n > 1 {
                        Err(Flow::Break(n - 1))
                    } else {
                        Ok(0)
                    };
                }
                Err(Flow::Continue(n)) => {
                    if n > 1 {
                        return Err(Flow::Continue(n - 1));
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            if (c == 0) == until {
                break;
            }
            if let Some(s) = self.loop_body(body, &mut status)? {
                return Ok(s);
            }
        }
        Ok(status)
    }

    fn exec_case(&mut self, word: &Word, arms: &[CaseArm]) -> Ex<i32> {
        let subject = self.expand_string(word)?;
        let mut status = 0;
        let mut falling = false;
        for arm in arms {
            let mut hit = falling;
            if !hit {
                for pat in &arm.patterns {
                    let p = self.expand_pattern(pat)?;
                    if p.matches(&subject) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                status = self.exec_list(&arm.body)?;
                match arm.end {
                    CaseEnd::Break => return Ok(status),
                    CaseEnd::FallThrough => falling = true,
                    CaseEnd::TestNext => falling = false,
                }
            }
        }
        Ok(status)
    }

    // ------------------------------------------------------------ simple commands

    fn exec_simple(&mut self, cmd: &SimpleCommand) -> Ex<i32> {
        self.budget.step()?;
        self.cur_span = cmd.span;
        self.st.subst_status = None;
        let argv = self.expand_fields(&cmd.words)?;
        let mut assigns = Vec::with_capacity(cmd.assigns.len());
        for a in &cmd.assigns {
            let value = self.expand_assign(a)?;
            assigns.push((a.name.clone(), a.append, value));
        }
        if self.st.opts.xtrace {
            let mut parts: Vec<String> = assigns
                .iter()
                .map(|(n, _, v)| match v {
                    AssignVal::Scalar(s) => format!("{n}={}", self.trace_quote(s)),
                    AssignVal::Array(items) => format!("{n}=({})", items.join(" ")),
                })
                .collect();
            parts.extend(argv.iter().map(|a| self.trace_quote(a)));
            if !parts.is_empty() {
                self.xtrace_line(&parts.join(" "))?;
            }
        }
        if argv.is_empty() {
            for (name, append, value) in assigns {
                self.assign(&name, append, value)?;
            }
            let saved = self.fds.clone();
            let r = self.apply_redirects(&cmd.redirects)?;
            self.fds = saved;
            if let Err(status) = r {
                return Ok(status);
            }
            return Ok(self.st.subst_status.unwrap_or(0));
        }
        let name = argv[0].clone();
        let special = super::builtins::is_special(&name);
        let keep_fds = name == "exec" && argv.len() == 1;
        let saved_fds = self.fds.clone();
        if let Err(status) = self.apply_redirects(&cmd.redirects)? {
            self.fds = saved_fds;
            if special && self.st.dialect != Dialect::Bash {
                return Err(Flow::Exit(status));
            }
            return Ok(status);
        }
        // Prefix assignments: permanent before special builtins, temporary otherwise.
        let mut restore: Vec<(String, Option<super::state::Var>)> = Vec::new();
        for (n, append, value) in assigns {
            if !special {
                restore.push((n.clone(), self.st.vars.get(&n).cloned()));
            }
            self.assign(&n, append, value)?;
            if !special {
                if let Some(v) = self.st.vars.get_mut(&n) {
                    v.exported = true;
                }
            }
        }
        let r = self.run_command(argv, true);
        for (n, old) in restore.into_iter().rev() {
            match old {
                Some(v) => self.st.vars.insert(&n, v),
                None => {
                    self.st.vars.remove(&n);
                }
            }
        }
        if !keep_fds {
            self.fds = saved_fds;
        }
        r
    }

    /// Finds and runs a command: special builtins, functions, builtins, then programs.
    pub fn run_command(&mut self, argv: Vec<String>, functions: bool) -> Ex<i32> {
        let Some(name) = argv.first().cloned() else {
            return Ok(0);
        };
        if !name.contains('/') {
            // bash looks up functions before builtins; POSIX shells special builtins first
            if functions && self.st.dialect == Dialect::Bash {
                if let Some(body) = self.st.functions.get(&name).cloned() {
                    return self.call_function(&body, &argv);
                }
            }
            if super::builtins::is_special(&name) || super::builtins::is_regular(&name) {
                let r = self.builtin(&argv);
                self.take_pending()?;
                return r;
            }
            if functions {
                if let Some(body) = self.st.functions.get(&name).cloned() {
                    return self.call_function(&body, &argv);
                }
            }
            if super::programs::is_shell_builtin(&name) {
                if let Some(p) = self.reg.get(&name) {
                    return self.run_program(p, &argv, true);
                }
            }
        }
        self.exec_external(argv)
    }

    fn call_function(&mut self, body: &Arc<Command>, argv: &[String]) -> Ex<i32> {
        self.enter()?;
        self.budget.step()?;
        let saved_pos = std::mem::replace(&mut self.st.positional, argv[1..].to_vec());
        let saved_loop = std::mem::replace(&mut self.st.loop_depth, 0);
        self.st.locals.push(Vec::new());
        let r = self.exec_command(body);
        if let Some(frame) = self.st.locals.pop() {
            for (name, old) in frame.into_iter().rev() {
                match old {
                    Some(v) => self.st.vars.insert(&name, v),
                    None => {
                        self.st.vars.remove(&name);
                    }
                }
            }
        }
        self.st.positional = saved_pos;
        self.st.loop_depth = saved_loop;
        self.leave();
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }

    /// Runs a command that is not a builtin or function: a file on PATH, a path, or a
    /// simulated program.
    pub fn exec_external(&mut self, argv: Vec<String>) -> Ex<i32> {
        let Some(name) = argv.first().cloned() else {
            return Ok(0);
        };
        if name.is_empty() {
            self.shell_error(": Permission denied")?;
            return Ok(127);
        }
        if name.contains('/') {
            let path = self.abs(&name);
            return match self.fs.stat(&path) {
                Err(_) => {
                    // `./configure` in a tree whose archive was not downloaded.
                    if let Some(status) = self.run_unfetched_path(&path, &name) {
                        return Ok(status);
                    }
                    // The filesystem may not model every binary of the image.
                    let base = fs::file_name(&name).to_string();
                    if !self.cfg.strict_path && is_system_dir(fs::parent(&path)) {
                        if let Some(p) = self.reg.get(&base) {
                            return self.run_program(p, &argv, false);
                        }
                    }
                    if self.is_first_exec() {
                        let reason = format!("stat {name}: no such file or directory");
                        self.start_failure(&name, &reason)?;
                        return Ok(127);
                    }
                    self.not_found(&name)?;
                    Ok(127)
                }
                Ok(meta) if meta.is_dir() || !self.executable(&meta) => {
                    self.shell_error(&format!("{name}: Permission denied"))?;
                    Ok(126)
                }
                Ok(_) => self.run_file(&path, argv),
            };
        }
        let path_var = self
            .st
            .vars
            .value("PATH")
            .unwrap_or(DEFAULT_PATH)
            .to_string();
        let mut unmaterialized = false;
        for dir in path_var.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let candidate = self.abs(&fs::child(dir, &name));
            match self.fs.stat(&candidate) {
                Ok(meta) if meta.is_file() && self.executable(&meta) => {
                    return self.run_file(&candidate, argv);
                }
                Ok(_) => {}
                Err(_) => unmaterialized |= self.unmaterialized_link(&candidate),
            }
        }
        if unmaterialized {
            return match self.reg.get(&name) {
                Some(p) => self.run_program(p, &argv, false),
                None => {
                    self.not_simulated(&argv);
                    Ok(0)
                }
            };
        }
        if !self.cfg.strict_path {
            if let Some(p) = self.reg.get(&name) {
                return self.run_program(p, &argv, false);
            }
        }
        if self.cfg.unknown_commands == super::UnknownCommands::Succeed {
            self.not_simulated(&argv);
            return Ok(0);
        }
        if self.is_first_exec() {
            self.start_failure(&name, "executable file not found in $PATH")?;
            return Ok(127);
        }
        self.not_found(&name)?;
        Ok(127)
    }

    /// True for the RUN's own process (`/bin/sh` of a shell form, the first word of an exec
    /// form) under strict lookup: no shell is running yet to report a missing program.
    fn is_first_exec(&self) -> bool {
        self.cfg.strict_path && !self.top_started && self.exec_caller.is_none() && self.depth == 0
    }

    /// runc's report when the RUN's process cannot start (BuildKit prints it in the step's
    /// log; the step fails with 127 like runc's exec errors).
    fn start_failure(&mut self, name: &str, reason: &str) -> Ex<()> {
        let line = format!(
            "runc run failed: unable to start container process: error during container init: exec: {}: {reason}\n",
            crate::text::go_quote(name)
        );
        self.write_fd(2, line.as_bytes())
    }

    /// A symlink on PATH into a directory that does not exist (`/usr/local/bin/yarn` →
    /// `/opt/yarn-v1.22/bin/yarn` after unpacking a download whose files are not known):
    /// the program is taken to be there, its files just were not materialized. A link into
    /// an existing directory whose target is missing stays "not found", as in a container.
    pub fn unmaterialized_link(&mut self, path: &str) -> bool {
        let is_link = self
            .fs
            .lstat(path)
            .is_ok_and(|m| m.kind == fs::FileKind::Symlink);
        if !is_link {
            return false;
        }
        let Ok(target) = self.fs.readlink(path) else {
            return false;
        };
        let target = if target.starts_with('/') {
            target
        } else {
            fs::child(fs::parent(path), &target)
        };
        let dir = fs::normalize(fs::parent(&target));
        self.fs.stat(&dir).is_err()
    }

    fn not_found(&mut self, name: &str) -> Ex<()> {
        if let Some(caller) = self.exec_caller.clone() {
            let busybox = self.cfg.image.userland == super::Userland::Busybox;
            let text = match (caller.as_str(), busybox) {
                (_, true) => {
                    format!("{caller}: can't execute '{name}': No such file or directory\n")
                }
                ("xargs", false) => format!("{caller}: {name}: No such file or directory\n"),
                (_, false) => format!("{caller}: '{name}': No such file or directory\n"),
            };
            return self.write_fd(2, text.as_bytes());
        }
        let msg = match self.st.dialect {
            Dialect::Bash => format!("{name}: command not found"),
            _ => format!("{name}: not found"),
        };
        self.shell_error(&msg)
    }

    pub fn not_simulated(&mut self, argv: &[String]) {
        let name = argv.first().cloned().unwrap_or_default();
        let detail = format!(
            "`{name}` is not simulated; treated as a command that succeeds and changes nothing"
        );
        self.record(EventKind::NotSimulated, &name, detail);
    }

    pub fn executable(&self, meta: &fs::Metadata) -> bool {
        if self.st.cred.is_root() {
            return meta.mode & 0o111 != 0;
        }
        self.may(meta, 1)
    }

    /// Runs an executable file: a shell script by its `#!` line, else the simulated
    /// program named like the file.
    fn run_file(&mut self, path: &str, argv: Vec<String>) -> Ex<i32> {
        let base = fs::file_name(&argv[0]).to_string();
        if let Ok(fs::Content::Bytes(bytes)) = self.fs.read_file(path) {
            let is_binary = bytes.starts_with(b"\x7fELF") || bytes.contains(&0);
            if !is_binary && !bytes.is_empty() {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                return self.run_script_file(path, &text, argv);
            }
        }
        // Dispatch by the name as called (argv[0], as BusyBox does for its applet links);
        // a link to a program under another name (`gmake` → `make`, `rbash` → `bash`)
        // runs the program its target is — unless the target is a multi-call binary that
        // acts by the name it is called by (`domainname` → `hostname` prints something else).
        let program = self.reg.get(&base).or_else(|| {
            let real = fs::canonicalize(&*self.fs, path).ok()?;
            let target = fs::file_name(&real);
            (!MULTI_CALL.contains(&target))
                .then(|| self.reg.get(target))
                .flatten()
        });
        match program {
            Some(p) => self.run_program(p, &argv, false),
            None => {
                self.not_simulated(&argv);
                Ok(0)
            }
        }
    }

    fn run_script_file(&mut self, path: &str, text: &str, argv: Vec<String>) -> Ex<i32> {
        let mut interp_argv: Vec<String> = Vec::new();
        if let Some(rest) = text.strip_prefix("#!") {
            let line = rest.lines().next().unwrap_or("").trim();
            let mut it = line.split_whitespace();
            let prog = it.next().unwrap_or("/bin/sh").to_string();
            let arg: Vec<String> = it.map(str::to_string).collect();
            interp_argv.push(prog);
            interp_argv.extend(arg);
        } else {
            interp_argv.push("/bin/sh".to_string());
        }
        // `#!/usr/bin/env bash` → bash
        if fs::file_name(&interp_argv[0]) == "env" && interp_argv.len() > 1 {
            interp_argv.remove(0);
            if interp_argv.first().map(String::as_str) == Some("-S") {
                interp_argv.remove(0);
            }
        }
        let mut full = interp_argv;
        full.push(path.to_string());
        full.extend(argv.into_iter().skip(1));
        let interp_name = fs::file_name(&full[0]).to_string();
        match self.reg.get(&interp_name) {
            Some(p) => self.run_program(p, &full, false),
            None => {
                self.not_simulated(&full);
                Ok(0)
            }
        }
    }

    pub fn run_program(
        &mut self,
        p: Arc<dyn super::programs::Program>,
        argv: &[String],
        builtin: bool,
    ) -> Ex<i32> {
        self.budget.step()?;
        let name = fs::file_name(argv.first().map(String::as_str).unwrap_or("")).to_string();
        let mut ctx = super::programs::ProgramCtx::new(self, name, builtin);
        let r = p.run(&mut ctx, argv);
        self.take_pending()?;
        match r {
            Ok(s) => Ok(s),
            Err(e) => Err(e.into_flow()),
        }
    }

    /// Starts a shell process (`sh`, `bash`, …) with its own state; `args` are the
    /// arguments after the program name.
    pub fn run_shell(&mut self, dialect: Dialect, argv: &[String]) -> Ex<i32> {
        let arg0 = argv.first().cloned().unwrap_or_else(|| "sh".to_string());
        let mut opts = super::state::Options::default();
        let mut command: Option<String> = None;
        let mut want_c = false;
        let mut read_stdin = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            if a == "--" || a == "-" {
                i += 1;
                break;
            }
            if a == "--login" || a == "--norc" || a == "--noprofile" || a == "--posix" || a == "-l"
            {
                i += 1;
                continue;
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) if !f.is_empty() && !f.starts_with('-') => (true, f),
                (_, Some(f)) if !f.is_empty() => (false, f),
                _ => break,
            };
            i += 1;
            for c in flags.chars() {
                match c {
                    'c' => want_c = true,
                    's' => read_stdin = true,
                    'i' => {}
                    'o' => {
                        if let Some(name) = argv.get(i) {
                            if !opts.set_long(name, on) {
                                let msg = format!("{arg0}: {name}: invalid option name\n");
                                self.write_fd(2, msg.as_bytes())?;
                                return Ok(2);
                            }
                            i += 1;
                        }
                    }
                    c => {
                        if !opts.set_flag(c, on) {
                            let msg = format!("{arg0}: -{c}: invalid option\n");
                            self.write_fd(2, msg.as_bytes())?;
                            return Ok(2);
                        }
                    }
                }
            }
        }
        let mut rest: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
        let mut script_path: Option<String> = None;
        let mut name0 = arg0.clone();
        if want_c {
            if rest.is_empty() {
                let msg = format!("{arg0}: -c: option requires an argument\n");
                self.write_fd(2, msg.as_bytes())?;
                return Ok(2);
            }
            command = Some(rest.remove(0));
            if !rest.is_empty() {
                name0 = rest.remove(0);
            }
        } else if !read_stdin && !rest.is_empty() {
            let p = rest.remove(0);
            name0 = p.clone();
            script_path = Some(p);
        }
        // The source text and where its spans point.
        let top = !self.top_started;
        let (source, nested_origin) = match (&command, &script_path) {
            (Some(c), _) => (c.clone(), !top),
            (None, Some(p)) => {
                let path = self.abs(p);
                match self.sys_read(&path) {
                    Ok(fs::Content::Bytes(b)) => (String::from_utf8_lossy(&b).into_owned(), true),
                    Ok(fs::Content::Unknown { .. }) => {
                        self.not_simulated(&[format!("{arg0} {p}")]);
                        return Ok(0);
                    }
                    Err(e) => {
                        let msg = match dialect {
                            Dialect::Bash => format!("{arg0}: {p}: {e}\n"),
                            _ => format!("{arg0}: 0: cannot open {p}: {e}\n"),
                        };
                        self.take_pending()?;
                        self.write_fd(2, msg.as_bytes())?;
                        return Ok(if dialect == Dialect::Bash { 127 } else { 2 });
                    }
                }
            }
            (None, None) => {
                let data = self.read_stdin();
                if !data.is_known() {
                    self.record(
                        EventKind::NotSimulated,
                        &arg0,
                        format!("`{arg0}` reads a script from a download whose content is not known; treated as a command that succeeds and changes nothing"),
                    );
                    return Ok(0);
                }
                (String::from_utf8_lossy(&data.bytes).into_owned(), true)
            }
        };
        self.enter()?;
        let mut st = ShellState::new(
            dialect,
            &name0,
            &self.st.cwd,
            self.st.cred.clone(),
            self.st.umask,
        );
        for (n, v) in self.st.vars.iter() {
            if v.exported {
                st.vars.insert(
                    n,
                    super::state::Var {
                        value: v.value.clone(),
                        array: None,
                        exported: true,
                        readonly: false,
                    },
                );
            }
        }
        st.opts = opts;
        st.positional = rest;
        self.next_pid += 1;
        st.pid = self.next_pid;
        if dialect == Dialect::Bash && st.vars.get("BASH_VERSION").is_none() {
            st.vars.set("BASH_VERSION", "5.2.15(1)-release".to_string());
            st.vars.set("BASH", "/bin/bash".to_string());
        }
        if st.vars.get("PWD").is_none() {
            st.vars.set("PWD", self.st.cwd.clone());
            if let Some(v) = st.vars.get_mut("PWD") {
                v.exported = true;
            }
        }
        if st.vars.get("IFS").is_none() {
            st.vars.set("IFS", " \t\n".to_string());
        }
        if st.vars.get("PS4").is_none() {
            st.vars.set("PS4", "+ ".to_string());
        }
        let saved_st = std::mem::replace(&mut self.st, st);
        let saved_origin = self.origin;
        let saved_cond = std::mem::replace(&mut self.cond_depth, 0);
        if nested_origin && self.origin.is_none() {
            self.origin = if self.top_started {
                Some(self.cur_span)
            } else {
                None
            };
        }
        self.top_started = true;
        let mut r = self.run_source(&source, 0);
        if let Some(trap) = self.st.exit_trap.take() {
            if !matches!(r, Err(Flow::Abort(_))) {
                let status = match &r {
                    Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => *s,
                    _ => 0,
                };
                self.st.last_status = status;
                match self.run_source(&trap, 0) {
                    Err(Flow::Abort(a)) => r = Err(Flow::Abort(a)),
                    Err(Flow::Exit(s)) => r = Ok(s),
                    _ => {}
                }
            }
        }
        self.st = saved_st;
        self.origin = saved_origin;
        self.cond_depth = saved_cond;
        self.leave();
        match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            Err(Flow::Abort(a)) => Err(Flow::Abort(a)),
        }
    }

    // ------------------------------------------------------------ xtrace

    pub fn xtrace_line(&mut self, text: &str) -> Ex<()> {
        if !self.st.opts.xtrace {
            return Ok(());
        }
        let ps4 = self.st.vars.value("PS4").unwrap_or("+ ").to_string();
        let line = format!("{ps4}{text}");
        self.xtrace.push(line.clone());
        self.write_fd(2, format!("{line}\n").as_bytes())
    }

    fn trace_quote(&self, s: &str) -> String {
        if self.st.dialect == Dialect::Dash {
            return s.to_string();
        }
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=+,@%^".contains(c) || !c.is_ascii());
        if plain {
            s.to_string()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    }

    // ------------------------------------------------------------ variables

    /// Sets a variable, honouring `readonly` and `set -a`.
    pub fn set_var(&mut self, name: &str, value: String) -> Ex<()> {
        self.budget.value(value.len())?;
        if let Some(v) = self.st.vars.get(name) {
            if v.readonly {
                let msg = match self.st.dialect {
                    Dialect::Bash => format!("{name}: readonly variable"),
                    _ => format!("{name}: is read only"),
                };
                self.shell_error(&msg)?;
                return Err(Flow::Exit(if self.st.dialect == Dialect::Bash {
                    1
                } else {
                    2
                }));
            }
        }
        self.st.vars.set(name, value);
        let pending = self.st.pending_exports.iter().position(|n| n == name);
        if let Some(i) = pending {
            self.st.pending_exports.remove(i);
        }
        if self.st.opts.allexport || pending.is_some() {
            if let Some(v) = self.st.vars.get_mut(name) {
                v.exported = true;
            }
        }
        Ok(())
    }

    fn assign(&mut self, name: &str, append: bool, value: AssignVal) -> Ex<()> {
        match value {
            AssignVal::Scalar(s) => {
                let s = if append {
                    format!("{}{}", self.st.vars.value(name).unwrap_or(""), s)
                } else {
                    s
                };
                self.set_var(name, s)
            }
            AssignVal::Array(items) => {
                let mut items = items;
                if append {
                    if let Some(v) = self.st.vars.get(name) {
                        let mut old = v.array.clone().unwrap_or_else(|| vec![v.value.clone()]);
                        old.append(&mut items);
                        items = old;
                    }
                }
                self.set_var(name, items.first().cloned().unwrap_or_default())?;
                if let Some(v) = self.st.vars.get_mut(name) {
                    v.array = Some(items);
                }
                Ok(())
            }
        }
    }

    pub fn abs(&self, path: &str) -> String {
        fs::join(&self.st.cwd, path)
    }
}

/// Directories that hold an image's programs (where a missing binary is assumed to be
/// one the filesystem does not model).
fn is_system_dir(dir: &str) -> bool {
    matches!(
        dir,
        "/bin" | "/sbin" | "/usr/bin" | "/usr/sbin" | "/usr/local/bin" | "/usr/local/sbin"
    )
}

/// An expanded assignment value.
#[derive(Debug, Clone)]
pub(crate) enum AssignVal {
    Scalar(String),
    Array(Vec<String>),
}
