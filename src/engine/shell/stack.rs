//! A guard on real stack use. Depth counters alone cannot keep recursion safe: frame
//! sizes differ between debug and release builds and between native and wasm (whose
//! default stack is 1 MiB). The guard remembers where the stack was at an entry point
//! and reports when it has grown by more than a budget, so every recursive part of the
//! interpreter (parser, expansion, functions, regex, awk, arithmetic, `find`, `test`)
//! stops with an error long before the thread's stack runs out.

/// Remembers the stack position at creation.
#[derive(Debug, Clone, Copy)]
pub struct StackGuard {
    base: usize,
    limit: usize,
}

#[inline(never)]
fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl StackGuard {
    /// A guard allowing `limit` bytes of growth from the caller's position.
    pub fn new(limit: usize) -> Self {
        StackGuard {
            base: here(),
            limit,
        }
    }

    /// True once the stack has grown beyond the budget.
    pub fn exceeded(&self) -> bool {
        self.base.abs_diff(here()) > self.limit
    }

    /// True when less than `margin` bytes of the budget are left.
    pub fn near_limit(&self, margin: usize) -> bool {
        self.base.abs_diff(here()).saturating_add(margin) > self.limit
    }
}

/// Budget for leaf components (regex, arithmetic, awk, `find`, `test` expressions).
pub const LEAF_STACK: usize = 128 << 10;
