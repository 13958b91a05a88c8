#!/usr/bin/env bash
# The main job: install what Talc needs, build everything (the translator, both word sizes'
# VMs and simulators, the bootstrapper), bootstrap Talc's own images from image/kernel
# (build/talc.image, 64-bit, and build/talc32.image) and run the default image on the
# production VM: a banner with Talc's version, flavour and word size, the in-image test
# summary and the tinyBenchmarks figures. Exits non-zero if anything fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./build-scripts/install-deps.sh
echo "== building (make -j2)"
make -s -j2
echo "== bootstrapping build/talc.image (64-bit) and build/talc32.image (32-bit)"
make -s build/talc.image build/talc32.image
echo "== build/talc build/talc.image"
./build/talc build/talc.image
