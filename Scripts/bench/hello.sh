#!/usr/bin/env bash
# `make bench-hello`: pagi-server --app hello (one process, one event loop) vs nginx (1 worker,
# `return 200 "Hello, World!"`) on loopback, each under `wrk -t1 -c50 -d10s` after a warm-up, in
# one run: access log off, then pagi-server with its access log on (to a file).
# Prints rps, p50/p99 latency and the ratio to nginx. Usage: hello.sh BIN_DIR [DURATION]
# WORKERS=N (`make bench-hello WORKERS=2`): pagi-server --workers N vs nginx worker_processes N,
# wrk with N threads.
set -euo pipefail
bin="${1:?usage: hello.sh BIN_DIR [DURATION]}"
duration="${2:-10s}"
workers="${WORKERS:-1}"
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "WORKERS must be a positive number, got: $workers" >&2; exit 2; }
threads=1; pagi_workers=()
if [ "$workers" -gt 1 ]; then threads="$workers"; pagi_workers=(--workers "$workers"); fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"

# run_wrk NAME PORT -> prints "NAME rps p50 p99" and stores rps in $rps
run_wrk() {
  local name="$1" port="$2"
  wrk -t"$threads" -c50 -d2s "http://127.0.0.1:$port/" >/dev/null   # warm-up
  local out; out="$(wrk -t"$threads" -c50 -d"$duration" --latency "http://127.0.0.1:$port/")"
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  local p50 p99; p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  local errors; errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  printf '%-28s %10s rps   p50 %-8s p99 %-8s %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}

nginx_port="$(free_port)"
start_nginx_hello "$nginx_port" "$workers"

pagi_port="$(free_port)"
"$bin/pagi-server" --app hello --port "$pagi_port" --access-log off --quiet "${pagi_workers[@]}" &
pids+=($!)
wait_port "$pagi_port"

log_port="$(free_port)"
"$bin/pagi-server" --app hello --port "$log_port" --access-log "$work/access.log" --quiet "${pagi_workers[@]}" &
pids+=($!)
wait_port "$log_port"

echo "machine: $(nproc) cores, $(uname -sr); wrk -t$threads -c50 -d$duration after a 2 s warm-up; workers: $workers"
run_wrk "nginx ($workers worker(s))" "$nginx_port"; nginx_rps="$rps"
run_wrk "pagi-server (log off)" "$pagi_port"; pagi_rps="$rps"
run_wrk "pagi-server (log to file)" "$log_port"; log_rps="$rps"
python3 - "$nginx_rps" "$pagi_rps" "$log_rps" <<'PY'
import sys
nginx, off, on = (float(x) for x in sys.argv[1:4])
print(f"ratio pagi-server/nginx, log off: {off / nginx:.2f}  (target >= 0.60, goal 0.85)")
print(f"ratio pagi-server/nginx, log on:  {on / nginx:.2f}")
PY
echo "access log lines written: $(wc -l <"$work/access.log")"
