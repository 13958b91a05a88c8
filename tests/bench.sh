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

# The workload image (tests/tools/workload.c, ~200 M bytecodes of loops, sends, deep recursion,
# non-local returns, closures and process switches): bytecodes/s of the flattened + specialised +
# inlined translation (computed goto and switch), of the same spec untransformed (--plain: every
# function a function, dispatch through calls) and of the simulator; the best of BENCH_WORKLOAD_RUNS.
if [ -f "$image" ]; then
  echo
  wruns=${BENCH_WORKLOAD_RUNS:-3}
  out=$(mktemp -d)
  cc -std=c11 -O2 -o "$out/workload" tests/tools/workload.c
  "$out/workload" --loop 3000000 --fib 27 --deep 20000 --deep-repeat 50 --nlr 1000000 --yield 300000 \
    "$image" "$out/w.image" >"$out/tool.out"
  bytecodes=$(sed -n 's/^bytecodes: //p' "$out/tool.out")
  expected=$(sed -n 's/^expected: //p' "$out/tool.out")
  echo "workload image ($bytecodes bytecodes, stack-spur32, cc -O2, best of $wruns runs):"
  ./build/talc-translate --flavour vmspec/flavours/stack-spur32.lua -o "$out/flat" vmspec
  ./build/talc-translate --plain --flavour vmspec/flavours/stack-spur32.lua -o "$out/plain" vmspec
  plat=$(ls platforms/*.c)
  cc -std=c11 -D_GNU_SOURCE -O2 -Iplatforms -o "$out/talc-goto" "$out/flat/interp.c" $plat -lm
  cc -std=c11 -D_GNU_SOURCE -O2 -DTALC_SWITCH_DISPATCH -Iplatforms -o "$out/talc-switch" "$out/flat/interp.c" $plat -lm
  cc -std=c11 -D_GNU_SOURCE -O2 -Iplatforms -o "$out/talc-plain" "$out/plain/interp.c" $plat -lm
  sim=./build/talc-sim; [ -x ./build/talc-sim32 ] && sim=./build/talc-sim32
  # best wall time in microseconds; the run must print the expected checksum
  best_us() {
    local best=0 i start end first
    for ((i = 0; i < wruns; i++)); do
      cp "$out/w.image" "$out/run.image"
      start=$(now_ns); first=$("$@" "$out/run.image" 2>/dev/null | head -1); end=$(now_ns)
      [ "$first" = "$expected" ] || { echo "  $1: printed '$first', expected '$expected'" >&2; echo 0; return; }
      local us=$(( (end - start) / 1000 ))
      { [ $best -eq 0 ] || [ $us -lt $best ]; } && best=$us
    done
    echo $best
  }
  declare -A us
  for kind in goto switch plain sim; do
    case $kind in sim) vm=$sim; r=$wruns; wruns=1 ;; *) vm="$out/talc-$kind" ;; esac
    us[$kind]=$(best_us "$vm")
    [ $kind = sim ] && wruns=$r
    awk -v n="$bytecodes" -v t="${us[$kind]}" -v k="$kind" 'BEGIN {
      name = k == "goto" ? "flattened, computed goto" : k == "switch" ? "flattened, switch" : k == "plain" ? "untransformed (--plain)" : "simulator (" "'"$sim"'" ")"
      printf "  %-42s %8.0f ms %10.1f M bytecodes/s\n", name, t / 1000, (t > 0 ? n / t : 0) }'
  done
  awk -v a="${us[plain]}" -v b="${us[goto]}" -v c="${us[switch]}" 'BEGIN {
    printf "  %-42s %8.2f x\n", "flattened (goto) speed / untransformed", (b > 0 ? a / b : 0)
    printf "  %-42s %8.2f x\n", "flattened (switch) speed / untransformed", (c > 0 ? a / c : 0) }'
  rm -rf "$out"
fi

# tinyBenchmarks on Talc's own image (talc and talc-sim, 32 and 64-bit)
sh "$(dirname "$0")/bench_kernel.sh"
sh "$(dirname "$0")/bench_pharo.sh"
sh "$(dirname "$0")/bench_gc.sh"
