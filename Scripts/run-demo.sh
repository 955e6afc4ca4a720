#!/usr/bin/env bash
# `make run`: serve the demo with the release build in $1 on http://127.0.0.1:5000/ until Ctrl-C.
# The demo is the built-in welcome app: an HTML page with the server's version, pid, worker and
# uptime, a live WebSocket echo box (/ws) and a live SSE clock (/events), all from this server.
set -euo pipefail
bin="${1:?usage: run-demo.sh BIN_DIR}"
echo "Serving the welcome page on http://127.0.0.1:5000/ — open it in a browser (WebSocket echo at /ws, SSE clock at /events)" >&2
exec "$bin/pagi-server" --app welcome --access-log - "${@:2}"
