#!/usr/bin/env bash
# Installs what Talc needs to build and test on Debian 12, idempotently:
# Debian packages, and the tree-sitter C grammar from npm (0.23.x: parser ABI 14,
# which Debian's libtree-sitter 0.20.7 loads; 0.24+ is ABI 15 and does not).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

# libclang-rt-14-dev: libFuzzer and the sanitizers for clang 14 (tests/fuzz/; only recommended by clang)
pkgs=(build-essential clang libclang-rt-14-dev make pkg-config libtree-sitter-dev liblua5.4-dev lua5.4 libffi-dev)
# npm may come from elsewhere than Debian (a newer Node.js); only ask Debian for it when absent.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

grammar="$top/build/deps/node_modules/tree-sitter-c"
if [ ! -f "$grammar/src/parser.c" ]; then
  echo "install-deps: fetching tree-sitter-c 0.23.x from npm"
  mkdir -p "$top/build/deps"
  (cd "$top/build/deps" && npm pack --silent "tree-sitter-c@~0.23.0" >/dev/null &&
     tar xzf tree-sitter-c-0.23.*.tgz && rm -rf node_modules/tree-sitter-c && mkdir -p node_modules &&
     mv package node_modules/tree-sitter-c && rm -f tree-sitter-c-0.23.*.tgz)
fi
echo "install-deps: ok"
