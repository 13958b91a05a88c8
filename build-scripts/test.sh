#!/usr/bin/env bash
# The test command: install what is needed, build, run every test.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./build-scripts/install-deps.sh
# generated/ is checked against the committed spec before anything is built: building a
# flavour regenerates its C when the spec looks newer, as it does in a fresh clone
make -s build/talc-translate
make -s check-generated
make -s -j2
exec ./tests/run.sh "$@"
