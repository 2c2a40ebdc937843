#!/usr/bin/env bash
# Command 2 of README: install what is missing and run every test.
# fmt, clippy (host and wasm32), cargo test, wasm-bindgen tests in headless Chromium, and the
# Playwright end-to-end tests against the served page.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/setup.sh" --test
cd "$ROOT"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host)"
cargo clippy --all-targets --locked -- -D warnings

step "cargo clippy (wasm32, api)"
cargo clippy --lib --target wasm32-unknown-unknown --features wasm --locked -- -D warnings

step "cargo test"
cargo test --locked 2>&1 | tee "$ROOT/target/cargo-test.log"

step "wasm-bindgen tests in headless Chromium"
export CHROMEDRIVER=/usr/bin/chromedriver
wasm-pack test --headless --chrome -- --features wasm --test wasm_api

step "build the site"
bash "$ROOT/scripts/build.sh"

step "end-to-end tests (Playwright + Chromium)"
node --test --test-reporter=spec tests/e2e/

step "summary"
grep -E '^test result:' "$ROOT/target/cargo-test.log" | awk '{p+=$4; f+=$6} END {printf "cargo test: %d passed, %d failed\n", p, f}'
