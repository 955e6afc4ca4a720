#!/usr/bin/env bash
# `make bench`: run every benchmark in Scripts/bench/*.sh with the release build in $1.
# Each benchmark starts its peer (nginx, NIOHTTP1, …) in the same run and prints the ratio;
# record results and the exact command in Docs/performance.md.
set -euo pipefail
bin="${1:?usage: bench.sh BIN_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
shopt -s nullglob
benches=("$here"/bench/*.sh)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmarks in Scripts/bench yet" >&2
  exit 1
fi
for bench in "${benches[@]}"; do
  echo "== $(basename "$bench")"
  "$bench" "$bin"
done
