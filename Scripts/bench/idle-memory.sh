#!/usr/bin/env bash
# `make bench-idle-memory`: RSS of `pagi-server --app hello` holding N idle keep-alive connections
# (default 10000), each having completed one request. Prints RSS before/after and bytes per
# connection (target <= 8 KiB). Loopback only. Usage: idle-memory.sh BIN_DIR [CONNECTIONS]
set -euo pipefail
bin="${1:?usage: idle-memory.sh BIN_DIR [CONNECTIONS]}"
count="${2:-10000}"
ulimit -n $((count + 1024)) 2>/dev/null || { echo "cannot raise the descriptor limit to $((count + 1024)) (ulimit -n)" >&2; exit 2; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
"$bin/pagi-server" --app hello --port "$port" --access-log off --quiet --max-connections $((count + 100)) --timeout 600 &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
rss() { awk '/^VmRSS/ {print $2 * 1024}' "/proc/$server/status"; }
before="$(rss)"
python3 - "$port" "$count" "$server" "$before" <<'PY'
import socket, sys, time
port, count, pid, before = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
conns = []
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    conns.append(s)
for s in conns:
    data = b""
    while not data.endswith(b"Hello, World!"):
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("the server closed a connection early")
        data += chunk
time.sleep(1)
after = int(next(l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")).split()[1]) * 1024
print(f"idle connections: {count}")
print(f"RSS before: {before / 1048576:.1f} MiB, after: {after / 1048576:.1f} MiB")
print(f"bytes per idle connection: {(after - before) / count:.0f}  (target <= 8192)")
for s in conns:
    s.close()
PY
