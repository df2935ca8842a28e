#!/usr/bin/env bash
# Runs every test of dfplay on a fresh machine: installs what the tests need (Debian
# packages for the real oracles, the wasm target, wasm-bindgen-cli, npm packages), then
# the Rust suites, the wasm build and the browser end-to-end suite.
# Suites that read ../shared (conformance corpora, examples) run only where it exists.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

# bubblewrap: the host executor that runs RUN for real; chromium: the browser tests
# (Debian's, never a downloaded one); fonts-nanum: Korean
# text in the screenshots.
ensure_apt dash busybox-static bubblewrap skopeo umoci chromium fonts-nanum
# the OCI suite must not skip its real-tool checks here: the tools were just installed
export DFPLAY_REQUIRE_TOOLS=1
ensure_wasm_target

if [ -d "$ROOT/../shared/examples" ]; then
  export DFPLAY_REQUIRE_SHARED=1
  say "../shared found: conformance and example suites run"
else
  say "../shared not found: SKIPPING the conformance, example and gallery-equality suites (they need ../shared)"
fi

say "cargo test"
cargo test --all-targets --quiet

say "cargo test: the lean engine (no toolchain simulations) the page starts with"
cargo test --lib --no-default-features --quiet lean

# build_page compiles the crate for wasm32-unknown-unknown twice (the lean and the full engine)
say "the page: the crate for wasm32 (lean and full engine), size budget, browser end-to-end suite"
build_page
node "$ROOT/www/scripts/budget.mjs"
node "$ROOT/tests/e2e/run.mjs"

say "all tests passed"
