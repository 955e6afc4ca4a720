#!/usr/bin/env bash
# `make bench-hello-cpu`: CPU time per request of `pagi-server --app hello` (access log off, and
# to a file) vs nginx (1 worker, `return 200 "Hello, World!"`), in one run. Each server gets a 2 s
# warm-up and then `wrk -t1 -c50 -d10s`; its utime+stime from /proc/PID/stat over the run is
# divided by wrk's request count (the client is not counted). On a shared, loaded machine this
# is steadier than requests/s, which mostly measures who got the CPU. Rounds alternate the
# servers. Usage: hello-cpu.sh BIN_DIR [ROUNDS] [DURATION]
set -euo pipefail
bin="${1:?usage: hello-cpu.sh BIN_DIR [ROUNDS] [DURATION]}"
rounds="${2:-2}"
duration="${3:-10s}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

nginx_port="$(free_port)"
start_nginx_hello "$nginx_port" 1
nginx_worker=""
for _ in $(seq 50); do
  nginx_worker="$(pgrep -P "$(cat "$work/nginx.pid")" | head -1 || true)"
  [ -n "$nginx_worker" ] && break
  sleep 0.1
done
[ -n "$nginx_worker" ] || { echo "cannot find the nginx worker process" >&2; exit 1; }

pagi_port="$(free_port)"
"$bin/pagi-server" --app hello --port "$pagi_port" --access-log off --quiet &
pagi_pid=$!; pids+=($pagi_pid)
wait_port "$pagi_port"
log_port="$(free_port)"
"$bin/pagi-server" --app hello --port "$log_port" --access-log "$work/access.log" --quiet &
log_pid=$!; pids+=($log_pid)
wait_port "$log_port"

# measure NAME PID PORT -> prints µs per request and stores it in $us
measure() {
  local name="$1" pid="$2" port="$3"
  wrk -t1 -c50 -d2s "http://127.0.0.1:$port/" >/dev/null
  local before after out requests
  before="$(ticks "$pid")"
  out="$(wrk -t1 -c50 -d"$duration" "http://127.0.0.1:$port/")"
  after="$(ticks "$pid")"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  us="$(python3 -c "import os,sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))/os.sysconf(\"SC_CLK_TCK\")/int(sys.argv[3])*1e6:.2f}')" "$before" "$after" "$requests")"
  printf '%-28s %8s us CPU/request  (%s requests, load %s)\n' "$name" "$us" "$requests" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "machine: $(nproc) cores, $(uname -sr); wrk -t1 -c50 -d$duration after a 2 s warm-up; $rounds rounds"
sum_nginx=0; sum_off=0; sum_on=0
for round in $(seq "$rounds"); do
  measure "nginx (1 worker)" "$nginx_worker" "$nginx_port"; sum_nginx="$(python3 -c "print($sum_nginx + $us)")"
  measure "pagi-server (log off)" "$pagi_pid" "$pagi_port"; sum_off="$(python3 -c "print($sum_off + $us)")"
  measure "pagi-server (log to file)" "$log_pid" "$log_port"; sum_on="$(python3 -c "print($sum_on + $us)")"
done
python3 - "$sum_nginx" "$sum_off" "$sum_on" <<'PY'
import sys
nginx, off, on = (float(x) for x in sys.argv[1:4])
print(f"efficiency nginx/pagi-server (CPU per request), log off: {nginx / off:.2f}   log on: {nginx / on:.2f}")
PY
