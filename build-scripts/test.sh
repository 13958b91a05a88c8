#!/usr/bin/env bash
# The test command: install what is needed, build, run every test.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./build-scripts/install-deps.sh
make -s -j2
exec ./tests/run.sh "$@"
