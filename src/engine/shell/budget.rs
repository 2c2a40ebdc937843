//! Budgets that keep a RUN finite: steps, loop iterations, output bytes, file bytes,
//! nesting depth and the size of a single value. Exceeding any of them aborts the whole
//! RUN with a message that names the budget.

use serde::Serialize;

/// The limits of one RUN. Defaults are generous for real Dockerfiles and small enough
/// to finish in well under a second on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Commands executed (simple commands, function calls, loop rounds).
    pub max_steps: u64,
    /// Total rounds of all loops.
    pub max_loop_iterations: u64,
    /// Bytes written to the build log (stdout + stderr).
    pub max_output_bytes: u64,
    /// Bytes of real (known) content written into files.
    pub max_file_bytes: u64,
    /// Nesting of function calls, subshells, `eval`, sourced and nested shells.
    pub max_depth: usize,
    /// Size of one variable value, word or pipe buffer.
    pub max_value_bytes: u64,
    /// Growth of the real stack allowed for nesting (see [`super::stack`]); keeps deep
    /// recursion an error rather than a crash on a 1 MiB wasm stack.
    pub max_stack_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 1_000_000,
            max_loop_iterations: 100_000,
            max_output_bytes: 4 << 20,
            max_file_bytes: 64 << 20,
            max_depth: 48,
            max_value_bytes: 4 << 20,
            max_stack_bytes: 384 << 10,
        }
    }
}

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BudgetKind {
    Steps,
    LoopIterations,
    OutputBytes,
    FileBytes,
    Depth,
    ValueBytes,
}

/// A RUN stopped by a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Abort {
    pub kind: BudgetKind,
    pub message: String,
}

impl Abort {
    pub fn new(kind: BudgetKind, limit: u64) -> Self {
        let message = match kind {
            BudgetKind::Steps => format!(
                "the RUN command was stopped after {limit} steps (a step budget keeps the playground from hanging)"
            ),
            BudgetKind::LoopIterations => format!(
                "the RUN command was stopped after {limit} loop iterations (is there an endless loop?)"
            ),
            BudgetKind::OutputBytes => {
                format!("the RUN command printed more than {limit} bytes and was stopped")
            }
            BudgetKind::FileBytes => format!(
                "the RUN command wrote more than {limit} bytes of file content and was stopped"
            ),
            BudgetKind::Depth => format!(
                "the RUN command nested functions, subshells or shells more than {limit} levels deep and was stopped (endless recursion?)"
            ),
            BudgetKind::ValueBytes => format!(
                "a value in the RUN command grew beyond {limit} bytes and the command was stopped"
            ),
        };
        Abort { kind, message }
    }
}

/// What has been used so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub steps: u64,
    pub loop_iterations: u64,
    pub output_bytes: u64,
    pub file_bytes: u64,
    pub max_depth: usize,
}

#[derive(Debug, Clone)]
pub struct Budget {
    pub limits: Limits,
    pub used: Usage,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Budget {
            limits,
            used: Usage::default(),
        }
    }

    pub fn step(&mut self) -> Result<(), Abort> {
        self.used.steps += 1;
        if self.used.steps > self.limits.max_steps {
            return Err(Abort::new(BudgetKind::Steps, self.limits.max_steps));
        }
        Ok(())
    }

    pub fn steps(&mut self, n: u64) -> Result<(), Abort> {
        self.used.steps = self.used.steps.saturating_add(n);
        if self.used.steps > self.limits.max_steps {
            return Err(Abort::new(BudgetKind::Steps, self.limits.max_steps));
        }
        Ok(())
    }

    pub fn iteration(&mut self) -> Result<(), Abort> {
        self.used.loop_iterations += 1;
        if self.used.loop_iterations > self.limits.max_loop_iterations {
            return Err(Abort::new(
                BudgetKind::LoopIterations,
                self.limits.max_loop_iterations,
            ));
        }
        self.step()
    }

    pub fn output(&mut self, n: u64) -> Result<(), Abort> {
        self.used.output_bytes = self.used.output_bytes.saturating_add(n);
        if self.used.output_bytes > self.limits.max_output_bytes {
            return Err(Abort::new(
                BudgetKind::OutputBytes,
                self.limits.max_output_bytes,
            ));
        }
        Ok(())
    }

    pub fn file_bytes(&mut self, n: u64) -> Result<(), Abort> {
        self.used.file_bytes = self.used.file_bytes.saturating_add(n);
        if self.used.file_bytes > self.limits.max_file_bytes {
            return Err(Abort::new(
                BudgetKind::FileBytes,
                self.limits.max_file_bytes,
            ));
        }
        Ok(())
    }

    pub fn depth(&mut self, depth: usize) -> Result<(), Abort> {
        self.used.max_depth = self.used.max_depth.max(depth);
        if depth > self.limits.max_depth {
            return Err(Abort::new(BudgetKind::Depth, self.limits.max_depth as u64));
        }
        Ok(())
    }

    pub fn value(&self, len: usize) -> Result<(), Abort> {
        if len as u64 > self.limits.max_value_bytes {
            return Err(Abort::new(
                BudgetKind::ValueBytes,
                self.limits.max_value_bytes,
            ));
        }
        Ok(())
    }
}
