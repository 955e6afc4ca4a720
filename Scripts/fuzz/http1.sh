#!/usr/bin/env bash
# Builds the PAGIHTTP1 libFuzzer target (Packages/PAGIHTTP1/Fuzz), replays the kept crashers in
# FailCases/ as regressions, then fuzzes for the given number of seconds starting from the committed
# seed corpus (new corpus entries go to a scratch directory, not into git).
# Usage: Scripts/fuzz/http1.sh [SECONDS]     (make fuzz-http1 SECONDS=60)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
package="$root/Packages/PAGIHTTP1/Fuzz"

swift build -c release --package-path "$package" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$(swift build -c release --package-path "$package" --show-bin-path)/FuzzHTTP1"

# Kept crashers (renamed from crash-* to say what they caught) replay first, as regressions.
shopt -s nullglob
regressions=()
for file in "$package"/FailCases/*; do
    [ "$(basename "$file")" = ".gitkeep" ] || regressions+=("$file")
done
shopt -u nullglob
if [ "${#regressions[@]}" -gt 0 ]; then
    echo "replaying ${#regressions[@]} fail case(s)"
    SWIFT_BACKTRACE=enable=no "$binary" -rss_limit_mb=2048 "${regressions[@]}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$package"/Corpus/* "$work"/
cd "$package/FailCases"
SWIFT_BACKTRACE=enable=no "$binary" "$work" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=16384 -timeout=10 -print_final_stats=1
