//! Limits that keep one expansion small and quick whatever the input. BuildKit has none of
//! these; they only fire on inputs no real Dockerfile has (more than 64 nested `${…}`,
//! megabytes of output), and then the expansion fails with a [`Budget`] error instead of
//! exhausting the stack, the memory or the time of the page.
//!
//! [`Budget`]: super::ExpandErrorKind::Budget

/// The limits of one `process_word` / `process_words` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Deepest nesting of `${name…${name…}}` (each level is a recursion of the lexer).
    pub max_depth: usize,
    /// Longest result, and longest intermediate value, in bytes.
    pub max_output: usize,
    /// Units of work: bytes copied plus pattern-matching steps.
    pub max_work: u64,
}

impl Budget {
    pub const DEFAULT: Budget = Budget {
        max_depth: 64,
        max_output: 1 << 20,
        max_work: 50_000_000,
    };
}

impl Default for Budget {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Counts work against [`Budget::max_work`].
#[derive(Debug)]
pub(super) struct Meter {
    used: u64,
    limit: u64,
}

/// The work budget ran out.
#[derive(Debug, Clone, Copy)]
pub(super) struct OutOfWork;

impl Meter {
    pub fn new(limit: u64) -> Self {
        Self { used: 0, limit }
    }

    pub fn charge(&mut self, units: usize) -> Result<(), OutOfWork> {
        self.used = self.used.saturating_add(units as u64);
        if self.used > self.limit {
            Err(OutOfWork)
        } else {
            Ok(())
        }
    }
}
