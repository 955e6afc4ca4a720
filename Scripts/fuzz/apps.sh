#!/usr/bin/env bash
# Fuzzes the built-in PAGIApps (`static` with arbitrary paths, methods and Range / If-Range /
# If-None-Match / If-Modified-Since values; `echo` with arbitrary paths, queries, header bytes and
# bodies) for a bounded time, checking their invariants: first replays every kept crasher in
# FailCases/, then runs libFuzzer from the committed corpus. New crashers land in FailCases/ —
# commit them.
#
# Usage: Scripts/fuzz/apps.sh [seconds]   (default 60)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$root/Packages/PAGIApps/Fuzz"

swift build -c release --package-path "$fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$(swift build -c release --package-path "$fuzz" --show-bin-path)/FuzzApps"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"

shopt -s nullglob
failcases=("$fuzz"/FailCases/*)
for failcase in "${failcases[@]}"; do
    [[ "$(basename "$failcase")" == .* ]] && continue
    echo "replaying $failcase"
    TMPDIR="$work/tmp" "$binary" "$failcase"
done

mkdir "$work/corpus"
cp "$fuzz"/Corpus/* "$work/corpus"/
# The fuzzer builds its served tree under $TMPDIR; the trap removes it.
TMPDIR="$work/tmp" "$binary" "$work/corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=1024 \
    -artifact_prefix="$fuzz/FailCases/" -print_final_stats=1
