#!/usr/bin/env bash
# Fuzzes PAGITLS's server handler with arbitrary client bytes (ClientHellos, records, garbage) for a bounded
# time: generates a throwaway certificate, replays every kept crasher in FailCases/, then runs libFuzzer from
# the committed corpus (real TLS 1.2/1.3 ClientHellos). New crashers land in FailCases/ — commit them.
#
# Usage: Scripts/fuzz/tls.sh [seconds]   (default 60)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$root/Packages/PAGITLS/Fuzz"

swift build -c release --package-path "$fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$(swift build -c release --package-path "$fuzz" --show-bin-path)/FuzzTLSServerHandler"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/certs" "$work/corpus"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -keyout "$work/certs/server.key" -out "$work/certs/server-chain.pem" 2>/dev/null
export PAGI_TLS_FUZZ_DIR="$work/certs"

shopt -s nullglob
failcases=("$fuzz"/FailCases/*)
for failcase in "${failcases[@]}"; do
    [[ "$(basename "$failcase")" == .* ]] && continue
    echo "replaying $failcase"
    "$binary" "$failcase"
done

cp "$fuzz"/Corpus/* "$work/corpus/"
"$binary" "$work/corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$fuzz/FailCases/" -print_final_stats=1
