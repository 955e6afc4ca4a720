# Sourced by the server benchmarks (Scripts/bench/*.sh): a scratch folder and background processes
# that are cleaned up on exit, free loopback ports, waiting until a port answers HTTP, and the nginx
# "Hello, World!" peer. A script appends each background pid to `pids` and writes under `$work`.
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "nothing answers on port $1" >&2; exit 1; }

# start_nginx_hello PORT WORKERS: nginx answering `200 Hello, World!` (keep-alive without a request
# limit, no access log) on 127.0.0.1:PORT, in the background, waited for.
start_nginx_hello() {
  cat >"$work/nginx.conf" <<CONF
worker_processes $2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $work;
  server {
    listen 127.0.0.1:$1;
    location / { default_type text/plain; return 200 "Hello, World!"; }
  }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work" &
  pids+=($!)
  wait_port "$1"
}
