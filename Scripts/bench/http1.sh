#!/usr/bin/env bash
# PAGIHTTP1 vs NIOHTTP1 request parsing (make bench-http1). Builds Scripts/Benchmarks' bench-http1 in
# release, runs the timed comparison (prints ns/request and `speedup <case>: X.XX` lines), then counts
# heap allocations per request on PAGIHTTP1's parse path with valgrind (if installed): the allocation
# total of N and 2N requests after warm-up must be equal.
# Usage: Scripts/bench/http1.sh [root-release-bin-dir (unused: the benchmark has its own package)]
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
package="$root/Scripts/Benchmarks"
swift build -c release --package-path "$package" --product bench-http1
binary="$(swift build -c release --package-path "$package" --show-bin-path)/bench-http1"

"$binary" --seconds "${BENCH_SECONDS:-0.5}" --runs "${BENCH_RUNS:-5}"

if ! command -v valgrind > /dev/null; then
    echo "valgrind not installed: skipping the allocation count (apt-get install valgrind)"
    exit 0
fi
# Valgrind 3.19 cannot read the toolchain's DWARF 5; a copy without debug info is enough to count.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
stripped="$scratch/bench-http1"
cp "$binary" "$stripped"
strip --strip-debug "$stripped"
status=0
for benchCase in tiny-get browser-get chunked-post-4k pipelined-16; do
    counts=()
    for requests in 1000 2000; do
        counts+=("$(valgrind --tool=memcheck "$stripped" --alloc-run "$benchCase" "$requests" 2>&1 \
            | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,)")
    done
    extra=$(( counts[1] - counts[0] ))
    echo "allocations $benchCase: ${counts[0]} for 1000 buffers, ${counts[1]} for 2000 buffers → $(( extra / 1000 )).$(( extra % 1000 / 100 )) per buffer after warm-up"
    if [ "$extra" -ne 0 ]; then
        status=1
    fi
done
exit "$status"
