#!/usr/bin/env bash
# Idle cost of start_server: RSS (total, anonymous, proportional) and CPU over an idle window, for our
# start_server and, when installed, Perl's Server::Starter (the peer), both supervising `sleep`.
# Usage: Scripts/bench/prefork-idle.sh <bin-dir-containing-start_server> [idle-seconds]
set -euo pipefail

bin_dir=${1:?usage: $0 <bin-dir> [idle-seconds]}
idle=${2:-10}
work=$(mktemp -d /tmp/prefork-idle.XXXXXX)
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done; rm -rf "$work"' EXIT

measure() {
    local name=$1; shift
    local pid_file="$work/$name.pid"
    "$@" --port=127.0.0.1:0 --pid-file="$pid_file" -- sleep 3600 >"$work/$name.log" 2>&1 &
    for _ in $(seq 1 100); do [ -s "$pid_file" ] && break; sleep 0.05; done
    local pid; pid=$(cat "$pid_file")
    sleep 2  # past --interval, so the supervisor is idle in its main loop
    local t1 v1; t1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); v1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
    sleep "$idle"
    local t2 v2; t2=$(awk '{print $14 + $15}' "/proc/$pid/stat"); v2=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
    local rss anon pss
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status"); anon=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    printf '%-22s RSS %6s kB  anon %6s kB  PSS %6s kB  CPU ticks in %ss: %s  wakeups: %s\n' \
        "$name" "$rss" "$anon" "$pss" "$idle" "$((t2 - t1))" "$((v2 - v1))"
    kill "$pid"; wait 2>/dev/null || true
}

measure "start_server (Swift)" "$bin_dir/start_server"
if [ -x /usr/bin/start_server ]; then
    measure "start_server (Perl)" /usr/bin/start_server
else
    echo "Perl start_server not installed (apt-get install -y libserver-starter-perl); no peer numbers"
fi
