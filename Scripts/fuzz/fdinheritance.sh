#!/usr/bin/env bash
# Fuzzes PAGIFDInheritance's environment and listener-spec parsers (SERVER_STARTER_PORT, PAGI_REUSE,
# LISTEN_*, listener specs) for a bounded time: first replays every kept crasher in FailCases/,
# then runs libFuzzer from the committed corpus. New crashers land in FailCases/ — commit them.
#
# Usage: Scripts/fuzz/fdinheritance.sh [seconds]   (default 60)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$root/Packages/PAGIFDInheritance/Fuzz"

swift build -c release --package-path "$fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$(swift build -c release --package-path "$fuzz" --show-bin-path)/FuzzFDInheritanceParsers"

shopt -s nullglob
failcases=("$fuzz"/FailCases/*)
for failcase in "${failcases[@]}"; do
    [[ "$(basename "$failcase")" == .* ]] && continue
    echo "replaying $failcase"
    "$binary" "$failcase"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$fuzz"/Corpus/* "$work"/
"$binary" "$work" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=512 \
    -artifact_prefix="$fuzz/FailCases/" -print_final_stats=1
