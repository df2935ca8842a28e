#!/usr/bin/env bash
# Export/import speed of dfplay beside skopeo, gzip and sha256sum on the same
# 200 MiB image, as one table (benches/export.rs). DFPLAY_BENCH_MIB=N changes the size.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
ensure_apt skopeo gzip coreutils
cargo bench --bench export
