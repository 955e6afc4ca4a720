#!/usr/bin/env bash
# `make bench-websocket-echo`: pagi-server --app ws-echo (one process, one event loop) vs uvicorn
# with the `websockets` backend (one worker, an ASGI echo app), both on loopback, driven by the same
# SwiftNIO load client (Scripts/Benchmarks bench-websocket-echo: 50 connections, each keeping one
# 64-byte text message in flight, 10 s after a 2 s warm-up), in alternating rounds (ROUNDS, default 3)
# because the shared machine's load swings; prints each round's ratio and the median. No compression is offered.
# uvicorn and websockets come from PyPI into a venv under /tmp (reused between runs).
# Prints messages/s for both and the ratio. Usage: websocket-echo.sh BIN_DIR [DURATION_SECONDS]
set -euo pipefail
bin="${1:?usage: websocket-echo.sh BIN_DIR [DURATION_SECONDS]}"
duration="${2:-10}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${BENCH_SCRATCH:-$here/Scripts/Benchmarks/.build}"
venv="${PAGI_BENCH_VENV:-/tmp/pagi-bench-venv}"
swift build -c release --package-path "$here/Scripts/Benchmarks" --scratch-path "$scratch" --product bench-websocket-echo >&2
client="$scratch/release/bench-websocket-echo"

if [ ! -x "$venv/bin/uvicorn" ] || ! "$venv/bin/python" -c 'import websockets' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'uvicorn==0.32.*' 'websockets>=13,<15'
fi

. "$(dirname "$0")/lib.sh"

cat >"$work/echo_app.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                return
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})
    else:
        await send({"type": "http.response.start", "status": 426, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"WebSocket only\n"})
PY

# CPU time (user + system, clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run NAME PORT PID -> prints "NAME messages/s ... CPU per message" and stores the rate in $rate
# and the server's CPU µs per echoed message in $cpu (steadier than throughput on a shared machine).
run() {
  local name="$1" port="$2" pid="$3"
  "$client" --port "$port" --duration 2 >/dev/null   # warm-up
  local before; before="$(cpu_ticks "$pid")"
  local out; out="$("$client" --port "$port" --connections 50 --size 64 --duration "$duration")"
  local after; after="$(cpu_ticks "$pid")"
  rate="$(awk '{print $2}' <<<"$out")"
  local count; count="$(sed -n 's/.*(\([0-9]*\) echoes.*/\1/p' <<<"$out")"
  cpu="$(python3 -c "print(f'{($after - $before) * 1e6 / $(getconf CLK_TCK) / max($count, 1):.1f}')")"
  printf '%-34s %s, server CPU %s µs/message\n' "$name" "$out" "$cpu"
}

uvicorn_port="$(free_port)"
(cd "$work" && exec "$venv/bin/uvicorn" echo_app:app --host 127.0.0.1 --port "$uvicorn_port" --ws websockets --log-level warning --no-access-log) &
uvicorn_pid=$!
pids+=($uvicorn_pid)
wait_port "$uvicorn_port"

pagi_port="$(free_port)"
"$bin/pagi-server" --app ws-echo --port "$pagi_port" --access-log off --quiet &
pagi_pid=$!
pids+=($pagi_pid)
wait_port "$pagi_port"

rounds="${ROUNDS:-3}"
echo "websocket echo, 50 connections x 64-byte text messages, ${duration}s per run, $rounds alternating rounds"
ratios=()
for round in $(seq "$rounds"); do
  echo "round $round (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  run "  uvicorn --ws websockets (1 worker)" "$uvicorn_port" "$uvicorn_pid"; uvicorn_rate="$rate"; uvicorn_cpu="$cpu"
  run "  pagi-server --app ws-echo" "$pagi_port" "$pagi_pid"; pagi_rate="$rate"; pagi_cpu="$cpu"
  ratio="$(python3 -c "print(f'{float($pagi_rate) / float($uvicorn_rate):.2f}')")"
  ratios+=("$ratio")
  echo "  ratio pagi-server / uvicorn: ${ratio}x messages/s; CPU per message uvicorn/pagi-server: $(python3 -c "print(f'{float($uvicorn_cpu) / float($pagi_cpu):.2f}')")x"
done
python3 -c "import statistics, sys; r=[float(x) for x in sys.argv[1:]]; print(f'median ratio pagi-server / uvicorn over {len(r)} rounds: {statistics.median(r):.2f}x (min {min(r):.2f}x, max {max(r):.2f}x)')" "${ratios[@]}"
