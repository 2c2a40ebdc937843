#!/usr/bin/env bash
# Command 1 of README: install what is missing, build, and serve the playground on localhost.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh"
step "serve"
exec node "$ROOT/www/tools/serve.mjs" --dir "$ROOT/site" --port "${PORT:-8080}"
