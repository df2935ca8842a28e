#!/usr/bin/env bash
# Records what the reference BuildKit (../shared/tools/buildkit-reference, Docker 26) says
# about tests/parser/<case>/Dockerfile into <case>/buildkit: `line:` (the Dockerfile line it
# points at) and `error:` (the message after "ERROR: failed to solve: "). Run by hand, never
# by the tests; the files it writes are golden data that `parser_cases` compares against.
#
#   tests/parser/record-buildkit.sh            # every err-* case
#   tests/parser/record-buildkit.sh CASE...    # the named cases
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ref=${BUILDKIT_REFERENCE:-${DFPLAY_SHARED:-$here/../../../shared}/tools/buildkit-reference}
"$ref" start >/dev/null
cd "$here"
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(err-*)
for c in "${cases[@]}"; do
  c=${c%/}
  ctx=$(mktemp -d)
  cp "$c/Dockerfile" "$ctx/Dockerfile"
  out=$("$ref" docker build --network=none --progress=plain --no-cache -t dfplay-parser-case "$ctx" 2>&1 || true)
  rm -rf "$ctx"
  err=$(printf '%s\n' "$out" | sed -n 's/^ERROR: failed to solve: //p' | head -1)
  line=$(printf '%s\n' "$out" | sed -n 's/^Dockerfile:\([0-9][0-9]*\)$/\1/p' | head -1)
  {
    echo "# recorded with tests/parser/record-buildkit.sh ($("$ref" docker version --format '{{.Server.Version}}'))"
    [ -n "$line" ] && echo "line: $line"
    if [ -n "$err" ]; then echo "error: $err"; else echo "ok"; fi
  } >"$c/buildkit"
  echo "$c: ${err:-ok}"
done
