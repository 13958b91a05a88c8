#!/usr/bin/env bash
# make bench: figures, not assertions. Wall time of talc and talc-sim on headless.image, the
# simulator's slowdown, the cost of loading and validating the image, and translation time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
image="$top/../shared/images/headless.image"
runs=${BENCH_RUNS:-20}

now_ns() { date +%s%N; }

# mean wall time in microseconds of $runs runs of the command
time_runs() {
  local start end i
  start=$(now_ns)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(now_ns)
  echo $(( (end - start) / runs / 1000 ))
}

echo "Talc benchmarks ($(uname -m), $(nproc) cores)"
echo
if [ -f "$image" ]; then
  t_prod=$(time_runs ./build/talc "$image")
  t_sim=$(time_runs ./build/talc-sim "$image")
  printf '%-44s %10s\n' "headless.image, whole run ($runs runs)" "mean"
  printf '%-44s %8d us\n' "  build/talc" "$t_prod"
  printf '%-44s %8d us\n' "  build/talc-sim" "$t_sim"
  awk -v a="$t_sim" -v b="$t_prod" 'BEGIN { printf "%-44s %8.2f x\n", "  simulator / production", (b > 0 ? a / b : 0) }'
  echo
  if ./build/talc --help | grep -q -- --check-image; then
    echo "image load and validation (a linear scan of every object and reference):"
    for vm in talc talc-sim; do
      ./build/$vm --check-image "$image" | sed "s/^/  $vm: /"
    done
    echo
  fi
else
  echo "(../shared/images/headless.image absent: no image figures)"
  echo
fi
echo "translation (talc-translate -v, per flavour):"
for f in vmspec/flavours/*.lua; do
  name=$(basename "$f" .lua)
  out=$(mktemp -d)
  ./build/talc-translate -v --flavour "$f" -o "$out" vmspec 2>&1 | grep -iE 'total|phase|ms' | sed "s/^/  $name: /" || true
  start=$(now_ns)
  cc -std=c11 -O2 -Iplatforms -c -o "$out/interp.o" "$out/interp.c"
  end=$(now_ns)
  printf '  %s: C compile of interp.c (cc -O2): %d ms\n' "$name" $(( (end - start) / 1000000 ))
  rm -rf "$out"
done
