#!/usr/bin/env bash
# The main job: install what Talc needs, build everything, and run the VM on an image.
# Until Talc bootstraps its own image, it runs the reference image from ../shared/images
# (headless.image) on the production VM and on the simulator.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./build-scripts/install-deps.sh
echo "== building (make -j2)"
make -s -j2
image="$top/../shared/images/headless.image"
if [ ! -f "$image" ]; then
  echo "== ../shared/images/headless.image is not here: running the translator's self-checks instead"
  exec ./tests/translator/run.sh
fi
echo "== build/talc $image"
./build/talc "$image"
echo "== build/talc-sim $image"
./build/talc-sim "$image"
echo "== done: both VMs ran the image"
