#!/usr/bin/env bash
# make bench-websocket: PAGIWebSocket frame parsing + unmasking vs SwiftNIO's WebSocketFrameDecoder
# (16 B, 1 KiB, 64 KiB frames) and UTF-8 validation throughput, in one process, in-memory only
# (no network). Prints `speedup <case>: X.XX` (PAGIWebSocket throughput ÷ NIOWebSocket's), then,
# if valgrind is installed, heap allocations per frame for both sides.
#
# $1 (root release bin dir) is accepted for the `make bench-NAME` convention but unused: the
# benchmark lives in the Scripts/Benchmarks package so PAGIWebSocket never depends on SwiftNIO.
# Extra arguments go to the benchmark (e.g. --quick). BENCH_SCRATCH overrides the build directory
# (default: the Benchmarks package's own .build).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${BENCH_SCRATCH:-$here/Scripts/Benchmarks/.build}"
swift build -c release --package-path "$here/Scripts/Benchmarks" --scratch-path "$scratch" --product bench-websocket >&2
binary="$scratch/release/bench-websocket"
timeout 300 "$binary" "${@:2}"

if ! command -v valgrind > /dev/null; then
    echo "valgrind not installed: skipping allocation counts (apt-get install valgrind)"
    exit 0
fi
# Valgrind 3.19 cannot read the toolchain's DWARF 5; a copy without debug info is enough to count.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$binary" "$work/bench-websocket"
strip --strip-debug "$work/bench-websocket"
for size in 16 1024; do
    for side in pagi nio; do
        counts=()
        for frames in 1000 2000; do
            counts+=("$(timeout 300 valgrind --tool=memcheck "$work/bench-websocket" --alloc-run "$side" "$size" "$frames" 2>&1 \
                | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,)")
        done
        extra=$(( counts[1] - counts[0] ))
        echo "allocations $side ${size}B: $(( extra / 1000 )).$(( extra % 1000 / 100 )) per frame (${counts[0]} for 1000 frames, ${counts[1]} for 2000)"
    done
done
