#!/usr/bin/env bash
# `make run`: serve the demo with the release build in $1.
# Until PAGIServer lands (issue 8) pagi-server cannot serve yet; this shows what exists: its help.
set -euo pipefail
bin="${1:?usage: run-demo.sh BIN_DIR}"
if "$bin/pagi-server" --can-serve >/dev/null 2>&1; then
  exec "$bin/pagi-server" --demo "${@:2}"
fi
echo "pagi-server cannot serve yet (the server lands with PAGIServer); here is what exists:" >&2
exec "$bin/pagi-server" --help
