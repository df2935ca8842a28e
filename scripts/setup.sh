#!/usr/bin/env bash
# Idempotent set-up shared by scripts/serve.sh and scripts/test.sh: each step checks
# first and installs only what is missing. Source it, then call the ensure_* you need.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages, installed only when one is missing.
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return 0
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
ensure_wasm_bindgen() {
  local want have=""
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  command -v wasm-bindgen >/dev/null 2>&1 && have=$(wasm-bindgen --version | awk '{print $2}')
  [ "$have" = "$want" ] && return 0
  say "installing wasm-bindgen-cli $want (was: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
}

# Node.js and npm (the page's build and the browser tests); Debian's when missing.
ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  ensure_apt nodejs npm
}

# npm packages of the page (CodeMirror, esbuild, playwright-core, binaryen, typescript).
ensure_npm() {
  ensure_node
  if [ ! -d "$ROOT/www/node_modules" ] || [ "$ROOT/www/package-lock.json" -nt "$ROOT/www/node_modules/.package-lock.json" ]; then
    say "installing npm packages"
    (cd "$ROOT/www" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The playground page in www/dist: engine to wasm, bindings, wasm-opt, bundles (idempotent:
# cargo and esbuild rebuild only what changed).
build_page() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm
  say "building the page (www/dist)"
  node "$ROOT/www/scripts/build.mjs"
}
