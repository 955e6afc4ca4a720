#!/usr/bin/env bash
# `make bench-static`: a 1 MiB and a 100 MiB file served by `pagi-server --app static` vs nginx
# (1 worker, sendfile on) on loopback, in one run. Prints MB/s per server and the ratio.
# 1 MiB: wrk -t1 -c8 for DURATION (default 10s) after a warm-up; 100 MiB: 10 sequential curl
# downloads each. Usage: static.sh BIN_DIR [DURATION]
set -euo pipefail
bin="${1:?usage: static.sh BIN_DIR [DURATION]}"
duration="${2:-10s}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/root"
head -c 1048576 /dev/urandom >"$work/root/1m.bin"
head -c 104857600 /dev/urandom >"$work/root/100m.bin"
echo ok >"$work/root/index.html"

nginx_port="$(free_port)"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work;
  server { listen 127.0.0.1:$nginx_port; root $work/root; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
pagi_port="$(free_port)"
"$bin/pagi-server" --app static --root "$work/root" --port "$pagi_port" --access-log off --quiet &
pids+=($!)
wait_port "$nginx_port"
wait_port "$pagi_port"

small() { # NAME PORT -> MB/s over wrk
  wrk -t1 -c8 -d2s "http://127.0.0.1:$2/1m.bin" >/dev/null
  local out; out="$(wrk -t1 -c8 -d"$duration" "http://127.0.0.1:$2/1m.bin")"
  local rps; rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  mbps="$(python3 -c "print(f'{float(\"$rps\") * 1.048576:.0f}')")"
  printf '%-22s 1 MiB   %8s req/s  %8s MB/s\n' "$1" "$rps" "$mbps"
}
large() { # NAME PORT -> MB/s over 10 sequential downloads
  local total=0 start end
  start="$(date +%s.%N)"
  for _ in $(seq 10); do curl -s -o /dev/null "http://127.0.0.1:$2/100m.bin"; done
  end="$(date +%s.%N)"
  mbps="$(python3 -c "print(f'{1048.576 / ($end - $start):.0f}')")"
  printf '%-22s 100 MiB x10 sequential    %8s MB/s\n' "$1" "$mbps"
}
echo "machine: $(nproc) cores, $(uname -sr)"
small "nginx (sendfile on)" "$nginx_port"; n1="$mbps"
small "pagi-server" "$pagi_port"; p1="$mbps"
large "nginx (sendfile on)" "$nginx_port"; n2="$mbps"
large "pagi-server" "$pagi_port"; p2="$mbps"
python3 -c "print(f'ratio pagi-server/nginx: 1 MiB {$p1/$n1:.2f}, 100 MiB {$p2/$n2:.2f}  (target >= 0.80)')"
