#!/bin/sh
# tinyBenchmarks on Talc's own image: bytecodes/s (the sieve, Integer>>benchmark) and sends/s
# (Integer>>benchFib), computed as Squeak's Integer>>tinyBenchmarks computes them, on build/talc
# and the simulator for the 32 and the 64-bit image, and the simulator's slowdown: with its checks
# on and every collection run on a copy of the heap first (the default), without the copy, with one conditional breakpoint set (on a selector sent a few times: the cost of
# an armed send hook), and with a condition that Lua evaluates at every benchFib send.
# TALC_BENCH_MS (default 1000) is the least time each measurement is grown to.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
ms=${TALC_BENCH_MS:-1000}
make -s build/talc-boot build/talc.image build/talc32.image >/dev/null || { echo "bench_kernel: cannot build the images" >&2; exit 1; }

# the simulator's rows: a label, a tab, then its options (one row per line; add a row here)
sim_rows="talc-sim (checks, GC on a copy)	
talc-sim (checks, no GC copy)	--no-gc-copy
talc-sim + 1 conditional breakpoint	--break-send benchmark: --break-if false
talc-sim + a condition at every send	--break-send benchFib --break-if false"

echo "tinyBenchmarks on the kernel image (each measurement at least $ms ms)"
printf '  %-7s %-38s %14s %13s %22s\n' image VM bytecodes/s sends/s 'slowdown (bc, sends)'
# row WS LABEL VM OPTIONS...: one measurement and its slowdown against build/talc's
row() {
    ws=$1 label=$2 vm=$3
    shift 3
    out=$(timeout 600 "$vm" "$@" "$img" bench "$ms" </dev/null 2>&1 | sed -n 's/^tinyBenchmarks: \([0-9]*\) bytecodes\/sec; \([0-9]*\) sends\/sec$/\1 \2/p')
    if [ -z "$out" ]; then printf '  %-7s %-38s %14s\n' "$ws-bit" "$label" "(failed)"; return; fi
    set -- $out
    slow=""
    if [ "$vm" = build/talc ]; then pb=$1 ps=$2
    elif [ -n "$pb" ]; then slow=$(awk -v a="$pb" -v b="$1" -v c="$ps" -v d="$2" 'BEGIN { printf "%.1fx, %.1fx", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'); fi
    printf '  %-7s %-38s %14s %13s %22s\n' "$ws-bit" "$label" "$1" "$2" "$slow"
}
for ws in 32 64; do
    case $ws in 32) img=build/talc32.image sim=build/talc-sim32 ;; *) img=build/talc.image sim=build/talc-sim ;; esac
    pb="" ps=""
    row $ws talc build/talc
    echo "$sim_rows" | while IFS='	' read -r label options; do
        # shellcheck disable=SC2086
        row $ws "$label" $sim $options
    done
done
