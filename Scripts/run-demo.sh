#!/usr/bin/env bash
# `make run`: serve the demo with the release build in $1 on http://127.0.0.1:5000/ until Ctrl-C.
# The demo is the built-in echo app (every request answered with its JSON description); the
# WebSocket/SSE welcome page replaces it once the server serves those protocols (issue 9).
set -euo pipefail
bin="${1:?usage: run-demo.sh BIN_DIR}"
echo "Serving the echo app on http://127.0.0.1:5000/ — try: curl -s http://127.0.0.1:5000/hello?x=1" >&2
exec "$bin/pagi-server" --app echo --access-log - "${@:2}"
