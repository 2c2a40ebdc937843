#!/usr/bin/env bash
# Builds the wasm package (settings from wasm-pack.toml) and bundles the static site into site/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
profile="${1:---release}"
target="$(toml_get build target)"
out_dir="$(toml_get build out-dir)"
features="$(toml_get build features)"
step "wasm-pack build ($target, $profile)"
(cd "$ROOT" && wasm-pack build "$profile" --target "$target" --out-dir "$out_dir" --no-pack -- --features "$features")
step "bundle the site"
(cd "$ROOT" && node www/tools/build.mjs)
