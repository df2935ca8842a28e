#!/usr/bin/env bash
# Builds the engine to WebAssembly and the page, then serves the playground at
# http://localhost:${PORT:-8080}/ (installs the wasm target, wasm-bindgen-cli, Node.js
# and the npm packages if missing). www/dist is plain static files: any static host
# serves it, from any sub-path.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
build_page
say "serving www/dist at http://localhost:${PORT:-8080}/ (Ctrl+C stops)"
exec node "$ROOT/www/scripts/serve.mjs" --dir "$ROOT/www/dist" --port "${PORT:-8080}"
