# Shared helpers for the scripts in this folder. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# node_modules/.bin first: its wasm-opt (binaryen from npm) understands what current rustc emits;
# the older Debian binaryen corrupts the reference-types table.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Reads one value from wasm-pack.toml: toml_get SECTION KEY
toml_get() {
  python3 - "$ROOT/wasm-pack.toml" "$1" "$2" <<'PY'
import sys, tomllib
data = tomllib.load(open(sys.argv[1], "rb"))
value = data[sys.argv[2]][sys.argv[3]]
print(",".join(value) if isinstance(value, list) else value)
PY
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
