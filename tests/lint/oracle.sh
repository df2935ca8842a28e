#!/usr/bin/env bash
# Records BuildKit's own check output for the cases in this folder (never run by the tests).
#
# The reference BuildKit of ../shared/tools (Docker 26, BuildKit v0.13) predates build
# checks, so the oracle is BuildKit's current Dockerfile frontend itself: a small Go
# program (oracle/main.go) that calls dockerfile2llb.DockerfileLint and prints the result
# as buildx's `docker build --check` does. Two lines of convert.go are patched locally so
# the oracle can take a .dockerignore and BUILDKIT_DOCKERFILE_CHECK without a gateway
# client (see oracle/README.md). Base images resolve to a config with only PATH (the
# stand-ins alpine/busybox/ubuntu have the same).
#
#   ORACLE=/path/to/dflint tests/lint/oracle.sh [case...]
#
# For each case folder (Dockerfile, optional .dockerignore, optional `options` with lines
# `build-arg NAME=value` / `target NAME`) it writes `expected` (standard output) and, when
# BuildKit fails, `error` (the first line of its error, without `ERROR: `).
set -eu
: "${ORACLE:?set ORACLE to the built oracle binary}"
cd "$(dirname "$0")"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(*/)
for c in "${cases[@]}"; do
  c=${c%/}
  [ -f "$c/Dockerfile" ] || continue
  (
    cd "$c"
    args=() env=()
    if [ -f options ]; then
      while read -r key value; do
        case $key in
          build-arg) args+=(--build-arg "$value")
            case $value in BUILDKIT_DOCKERFILE_CHECK=*) env+=("DFLINT_CHECK_ARG=${value#*=}") ;; esac ;;
          target) args+=(-target "$value") ;;
        esac
      done <options
    fi
    [ -f .dockerignore ] && env+=(DFLINT_IGNORE=.dockerignore)
    rm -f expected error
    env "${env[@]}" "$ORACLE" -f Dockerfile "${args[@]}" >expected 2>stderr || true
    if grep -q '^ERROR: ' stderr; then
      grep -m1 '^ERROR: ' stderr | sed 's/^ERROR: //' >error
    fi
    rm -f stderr
  )
done
