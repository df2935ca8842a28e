#!/usr/bin/env bash
# Builds the engine to WebAssembly and the page, then serves the playground at
# http://localhost:${PORT:-8080}/ (installs the wasm target, wasm-bindgen-cli and npm packages if missing).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
ensure_wasm_target
say "serve: the page is not built yet"
