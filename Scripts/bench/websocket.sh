#!/usr/bin/env bash
# make bench-websocket: PAGIWebSocket frame parsing + unmasking vs SwiftNIO's WebSocketFrameDecoder
# (16 B, 1 KiB, 64 KiB frames) and UTF-8 validation throughput, in one process, in-memory only
# (no network). Prints `speedup <case>: X.XX` (PAGIWebSocket throughput ÷ NIOWebSocket's).
#
# $1 (root release bin dir) is accepted for the `make bench-NAME` convention but unused: the
# benchmark lives in the Scripts/Benchmarks package so PAGIWebSocket never depends on SwiftNIO.
# BENCH_SCRATCH overrides the build directory (default: the Benchmarks package's own .build).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${BENCH_SCRATCH:-$here/Scripts/Benchmarks/.build}"
swift build -c release --package-path "$here/Scripts/Benchmarks" --scratch-path "$scratch" --product bench-websocket >&2
exec timeout 300 "$scratch/release/bench-websocket" "${@:2}"
