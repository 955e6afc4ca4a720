#!/usr/bin/env bash
# `make test`, after the one `swift build --build-tests`: runs each test module in its own test process.
#
# Why not one `swift test`: some suites take over process-wide state — PAGIPrefork's supervisor tests
# install a SIGCHLD handler and reap with waitpid(-1), which starves Foundation's Process of its
# children's exits in every other suite of the same process (zombies, termination handlers that never
# fire, a hung run). One process per module keeps that state where it belongs, and a per-module
# time limit turns any future hang into a named failure instead of a silent CI timeout.
#
#   Scripts/run-tests.sh [MODULE_REGEX]     e.g. Scripts/run-tests.sh 'BlackBox'
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
LIMIT="${PAGI_TEST_MODULE_TIMEOUT:-1200}"   # seconds per module
bin="$($SWIFT build --show-bin-path)"
modules=$($SWIFT test --skip-build --list-tests 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*Tests\)\..*/\1/p' | sort -u | grep -E "${1:-.}")
if [ -z "$modules" ]; then
  echo "run-tests: no test modules found (did \`swift build --build-tests\` run?)" >&2
  exit 1
fi
failed=()
summary=()
for module in $modules; do
  echo "=== $module"
  start=$(date +%s)
  PAGI_BIN_DIR="$bin" timeout -k 10 "$LIMIT" $SWIFT test --skip-build --filter "^$module\\."
  status=$?
  took=$(( $(date +%s) - start ))
  if [ $status -eq 124 ] || [ $status -eq 137 ]; then
    summary+=("$module: TIMED OUT after ${LIMIT}s")
    failed+=("$module")
  elif [ $status -ne 0 ]; then
    summary+=("$module: FAILED (exit $status, ${took}s)")
    failed+=("$module")
  else
    summary+=("$module: passed (${took}s)")
  fi
done
echo "=== summary"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "run-tests: failing modules: ${failed[*]}" >&2
  exit 1
fi
