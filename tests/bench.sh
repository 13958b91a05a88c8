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
  ./build/talc-translate -v --flavour "$f" -o "$out" vmspec 2>&1 | grep -E ' ms' | sed "s/^/  $name: /" || true
  start=$(now_ns)
  cc -std=c11 -O2 -Iplatforms -c -o "$out/interp.o" "$out/interp.c"
  end=$(now_ns)
  printf '  %s: C compile of interp.c (cc -O2): %d ms\n' "$name" $(( (end - start) / 1000000 ))
  rm -rf "$out"
done

# flattened + specialised + inlined (the normal translation) against the same spec untransformed
# (--plain: every function a function, dispatch through calls). headless.image runs ~229
# bytecodes, so this mostly times start-up and image loading: a longer workload image is still to
# come (see the translator issue's report).
if [ -f "$image" ]; then
  echo
  echo "flattened vs untransformed (stack-spur32, cc -O2, headless.image, $runs runs):"
  out=$(mktemp -d)
  ./build/talc-translate --flavour vmspec/flavours/stack-spur32.lua -o "$out/flat" vmspec
  ./build/talc-translate --plain --flavour vmspec/flavours/stack-spur32.lua -o "$out/plain" vmspec
  plat=$(ls platforms/*.c)
  for kind in flat plain; do
    cc -std=c11 -D_GNU_SOURCE -O2 -Iplatforms -o "$out/talc-$kind" "$out/$kind/interp.c" $plat -lm
  done
  cp "$image" "$out/run.image"
  t_flat=$(time_runs "$out/talc-flat" "$out/run.image")
  cp "$image" "$out/run.image"
  t_plain=$(time_runs "$out/talc-plain" "$out/run.image")
  printf '%-44s %8d us\n' "  flattened (talc-translate)" "$t_flat"
  printf '%-44s %8d us\n' "  untransformed (talc-translate --plain)" "$t_plain"
  awk -v a="$t_plain" -v b="$t_flat" 'BEGIN { printf "%-44s %8.2f x\n", "  untransformed / flattened", (b > 0 ? a / b : 0) }'
  rm -rf "$out"
fi
