#!/usr/bin/env bash
# make fuzz-websocket SECONDS=60: libFuzzer over PAGIWebSocket's inbound path (frame parser,
# assembler, UTF-8 validator, permessage-deflate inflate) and the extension-header parser.
# First replays every file in Packages/PAGIWebSocket/Fuzz/FailCases (regressions), then fuzzes for
# $1 seconds starting from the committed seed corpus (new corpus entries go to a temp dir, so the
# committed corpus only changes on purpose). Crash inputs land in FailCases/ to be kept.
set -euo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$here/Packages/PAGIWebSocket/Fuzz"
swift build -c release --package-path "$fuzz" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
bin="$(swift build -c release --package-path "$fuzz" --show-bin-path)/FuzzWebSocket"

shopt -s nullglob
regressions=("$fuzz"/FailCases/*)
if [ ${#regressions[@]} -gt 0 ]; then
  echo "replaying ${#regressions[@]} fail case(s)" >&2
  "$bin" -rss_limit_mb=2048 "${regressions[@]}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" "$work" "$fuzz/Corpus" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=70000 -timeout=10 \
  -artifact_prefix="$fuzz/FailCases/" -print_final_stats=1
