#!/usr/bin/env bash
# TLS benchmark, in one run: our TLS stack vs nginx (1 worker each, same throwaway ECDSA P-256 certificate,
# loopback only), three measurements each, run alternately twice:
#   handshake  new connection per request: wrk -H 'Connection: close'  (full handshakes/s)
#   keepalive  Hello, World! over kept-alive TLS connections            (requests/s)
#   bulk       1 MiB responses over kept-alive TLS connections          (MB/s)
# and prints the ratios (ours / nginx). Target: >= 0.7x on handshake and keepalive.
#
# "Ours" is `pagi-server --app hello` with TLS (bulk: `pagi-server --app static`) when the given bin dir has a
# pagi-server that accepts --ssl-cert (`make bench-tls` passes the release build); otherwise PAGITLS's benchmark server (Packages/PAGITLS/Benchmarks: TLSServerHandler + a minimal HTTP
# responder on one event loop) — the TLS layer alone.
#
# With COMPARE_NIOSSL=1 a third server joins: the same benchmark responder behind swift-nio-ssl 2.37.6
# (BoringSSL), for a like-for-like comparison of the TLS layers (its first build compiles BoringSSL: minutes).
#
# Usage: Scripts/bench/tls.sh [root-release-bin-dir]
#        env: DURATION (s, default 10), CONNECTIONS (default 50), COMPARE_NIOSSL (0/1, default 0)
set -euo pipefail

bin_dir="${1:-}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-50}"
compare_niossl="${COMPARE_NIOSSL:-0}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in wrk nginx openssl; do
    command -v "$tool" >/dev/null || { echo "tls bench: '$tool' missing (apt-get install wrk nginx-light openssl)" >&2; exit 2; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null
head -c 1048576 /dev/zero | tr '\0' x > "$work/big"
# nginx's workers run as an unprivileged user; mktemp's 0700 would turn /big into 403s.
chmod 755 "$work"
chmod 644 "$work/big"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_port() {
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "tls bench: nothing listening on port $1" >&2
    exit 1
}

ours_port="$(free_port)"
# The bulk measure needs a 1 MiB file: pagi-server serves it with a second process, --app static (one event
# loop, like the first), since --app hello answers every path with its 13 bytes.
ours_bulk_port="$ours_port"
if [[ -n "$bin_dir" && -x "$bin_dir/pagi-server" ]] && "$bin_dir/pagi-server" --help 2>&1 | grep -q -- '--ssl-cert'; then
    ours_name="pagi-server --app hello (TLS; bulk: --app static)"
    ours_flags=(--host 127.0.0.1 --ssl-cert "$work/server.pem" --ssl-key "$work/server.key" --access-log off)
    # One worker where the build has multi-worker mode; a single process (the same thing) where it does not.
    if "$bin_dir/pagi-server" --help 2>&1 | grep -q -- '--workers'; then ours_flags+=(--workers 1); fi
    "$bin_dir/pagi-server" --app hello --port "$ours_port" "${ours_flags[@]}" >"$work/ours.log" 2>&1 &
    pids+=($!)
    ours_bulk_port="$(free_port)"
    "$bin_dir/pagi-server" --app static --root "$work" --port "$ours_bulk_port" "${ours_flags[@]}" >"$work/ours-bulk.log" 2>&1 &
else
    ours_name="PAGITLS TLSHelloServer"
    swift build -c release --package-path "$root/Packages/PAGITLS/Benchmarks" --product TLSHelloServer >&2
    server="$(swift build -c release --package-path "$root/Packages/PAGITLS/Benchmarks" --show-bin-path)/TLSHelloServer"
    "$server" "$ours_port" "$work/server.pem" "$work/server.key" >"$work/ours.log" 2>&1 &
fi
pids+=($!)

niossl_port=""
if [[ "$compare_niossl" == 1 ]]; then
    niossl_port="$(free_port)"
    swift build -c release --package-path "$root/Packages/PAGITLS/Benchmarks" --product NIOSSLHelloServer >&2
    niossl="$(swift build -c release --package-path "$root/Packages/PAGITLS/Benchmarks" --show-bin-path)/NIOSSLHelloServer"
    "$niossl" "$niossl_port" "$work/server.pem" "$work/server.key" >"$work/niossl.log" 2>&1 &
    pids+=($!)
fi

nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $work/server.pem;
        ssl_certificate_key $work/server.key;
        location = /big { alias $work/big; default_type application/octet-stream; }
        location / { default_type text/plain; return 200 "Hello, World!"; }
    }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
wait_for_port "$ours_port"
wait_for_port "$ours_bulk_port"
wait_for_port "$nginx_port"
[[ -n "$niossl_port" ]] && wait_for_port "$niossl_port"

# wrk does not resume TLS sessions, so every "Connection: close" request is a full handshake on both servers.
measure() { # port kind -> number
    local port="$1" kind="$2" out
    case "$kind" in
    handshake) out="$(wrk -t1 -c"$connections" -d"${duration}s" -H 'Connection: close' "https://127.0.0.1:$port/")" ;;
    keepalive) out="$(wrk -t1 -c"$connections" -d"${duration}s" "https://127.0.0.1:$port/")" ;;
    bulk) out="$(wrk -t1 -c4 -d"${duration}s" "https://127.0.0.1:$port/big")" ;;
    esac
    if grep -q 'Non-2xx' <<<"$out"; then
        echo "tls bench: port $port answered errors during '$kind':" >&2
        echo "$out" >&2
        exit 1
    fi
    if [[ "$kind" == bulk ]]; then
        echo "$out" | awk '/Transfer\/sec/ { v=$2; if (v ~ /GB/) { sub("GB","",v); v*=1024 } else if (v ~ /KB/) { sub("KB","",v); v/=1024 } else { sub("MB","",v) }; printf "%.1f", v }'
    else
        echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }'
    fi
}

# Warm both up (page cache, CPU frequency, lazy initialisation).
wrk -t1 -c10 -d2s "https://127.0.0.1:$ours_port/" >/dev/null
wrk -t1 -c10 -d2s "https://127.0.0.1:$nginx_port/" >/dev/null
[[ -n "$niossl_port" ]] && wrk -t1 -c10 -d2s "https://127.0.0.1:$niossl_port/" >/dev/null

echo "TLS benchmark: $ours_name vs nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(openssl version | cut -d' ' -f1-2), ${duration}s per run, $connections connections"
if [[ -n "$niossl_port" ]]; then
    printf '%-10s %-5s %14s %14s %7s %14s %7s\n' measure round ours nginx ratio swift-nio-ssl ratio
else
    printf '%-10s %-5s %14s %14s %7s\n' measure round ours nginx ratio
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
for kind in handshake keepalive bulk; do
    unit="req/s"; [[ "$kind" == bulk ]] && unit="MB/s"
    for round in 1 2; do
        if [[ "$kind" == bulk ]]; then ours="$(measure "$ours_bulk_port" "$kind")"; else ours="$(measure "$ours_port" "$kind")"; fi
        theirs="$(measure "$nginx_port" "$kind")"
        if [[ -n "$niossl_port" ]]; then
            nio="$(measure "$niossl_port" "$kind")"
            printf '%-10s %-5s %14s %14s %7s %14s %7s\n' "$kind" "$round" "$ours $unit" "$theirs $unit" \
                "$(ratio "$ours" "$theirs")" "$nio $unit" "$(ratio "$ours" "$nio")"
        else
            printf '%-10s %-5s %14s %14s %7s\n' "$kind" "$round" "$ours $unit" "$theirs $unit" "$(ratio "$ours" "$theirs")"
        fi
    done
done
