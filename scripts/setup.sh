#!/usr/bin/env bash
# Installs whatever is missing for building and serving (and, with --test, for the tests).
# Idempotent: each step checks first and does nothing when the tool is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

apt_packages=()
# A CJK font so that the 中文 page renders in screenshots.
$want_test && apt_packages+=(chromium chromium-driver fonts-wqy-microhei)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || {
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}
$want_test && { rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt; }

pack_version="$(toml_get tools wasm-pack)"
if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $pack_version" ]; then
  step "cargo install wasm-pack $pack_version"
  cargo install wasm-pack --version "$pack_version" --locked
fi

bindgen_version="$(toml_get tools wasm-bindgen-cli)"
locked_bindgen="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
if [ -n "$locked_bindgen" ] && [ "$locked_bindgen" != "$bindgen_version" ]; then
  echo "wasm-pack.toml pins wasm-bindgen-cli $bindgen_version but Cargo.lock has wasm-bindgen $locked_bindgen" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  step "cargo install wasm-bindgen-cli $bindgen_version"
  # --locked can fail when a locked dependency was yanked; then take the newest compatible set.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked ||
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

stamp="$ROOT/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  step "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi
