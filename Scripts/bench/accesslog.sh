#!/usr/bin/env bash
# make bench-accesslog: ns per rendered access-log line for each preset (`ns/line <preset>: N`) and
# heap allocations per line after warm-up (`allocs/line <preset>: N`), counted by a tiny preloaded
# malloc wrapper built here. Target (issue 5): combined <= 250 ns/line, 0 allocations per line.
#
# Usage: Scripts/bench/accesslog.sh [root-release-bin-dir]   (the argument is accepted for the
# Makefile convention and unused: the benchmark lives in the Scripts/Benchmarks package).
#
# ACCESSLOG_BENCH_CALLGRIND=1 also prints `instructions/line <name>: N` per line kind, counted by
# valgrind's callgrind (independent of machine load): the difference between a 50,000- and a
# 10,000-line run divided by 40,000, so start-up, format compilation and warm-up cancel out.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --manifest-cache none: the Benchmarks manifest lists only benchmarks whose folders exist, and the
# shared manifest cache keys on the manifest text alone, so it can serve a list from before
# Sources/bench-accesslog existed ("no product named 'bench-accesslog'").
swift build -c release --manifest-cache none --package-path "$root/Scripts/Benchmarks" --product bench-accesslog >&2
bin="$(swift build -c release --manifest-cache none --package-path "$root/Scripts/Benchmarks" --show-bin-path)/bench-accesslog"

# Counts malloc/calloc/realloc/posix_memalign/aligned_alloc calls; glibc's __libc_* entry points do
# the work, so no dlsym (which itself allocates) is needed.
cat > "$work/malloc-counter.c" <<'C'
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
volatile uint64_t pagi_bench_malloc_calls = 0;
void *malloc(size_t n) { __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED); return __libc_malloc(n); }
void *calloc(size_t c, size_t n) { __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED); return __libc_calloc(c, n); }
void *realloc(void *p, size_t n) { __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED); return __libc_realloc(p, n); }
void *aligned_alloc(size_t a, size_t n) { __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED); return __libc_memalign(a, n); }
void *memalign(size_t a, size_t n) { __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    __atomic_add_fetch(&pagi_bench_malloc_calls, 1, __ATOMIC_RELAXED);
    void *p = __libc_memalign(a, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
C
cc -O2 -shared -fPIC -o "$work/malloc-counter.so" "$work/malloc-counter.c"

timeout 300 env LD_PRELOAD="$work/malloc-counter.so" "$bin" --lines "${ACCESSLOG_BENCH_LINES:-2000000}" --runs "${ACCESSLOG_BENCH_RUNS:-5}"

if [[ "${ACCESSLOG_BENCH_CALLGRIND:-0}" == 1 ]]; then
    if ! command -v valgrind >/dev/null; then
        echo "ACCESSLOG_BENCH_CALLGRIND=1 needs valgrind (apt-get install valgrind)" >&2
        exit 1
    fi
    for name in clf combined common tiny every-atom naive-combined; do
        counts=()
        for lines in 10000 50000; do
            log="$work/callgrind.$name.$lines.log"
            timeout 300 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$name.$lines.out" \
                "$bin" --only "$name" --lines "$lines" --runs 1 >/dev/null 2>"$log"
            counts+=("$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log")")
        done
        echo "instructions/line $name: $(( (counts[1] - counts[0]) / 40000 ))"
    done
fi
