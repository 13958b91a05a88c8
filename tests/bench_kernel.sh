#!/bin/sh
# tinyBenchmarks on Talc's own image: bytecodes/s (the sieve, Integer>>benchmark) and sends/s
# (Integer>>benchFib), computed as Squeak's Integer>>tinyBenchmarks computes them, on build/talc
# and build/talc-sim for the 32 and the 64-bit image, and the simulator's slowdown.
# TALC_BENCH_MS (default 1000) is the least time each measurement is grown to.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
ms=${TALC_BENCH_MS:-1000}
make -s build/talc-boot build/talc.image build/talc32.image >/dev/null || { echo "bench_kernel: cannot build the images" >&2; exit 1; }
echo "tinyBenchmarks on the kernel image (each measurement at least $ms ms)"
printf '  %-7s %-10s %16s %14s %22s\n' image VM bytecodes/s sends/s 'slowdown (bc, sends)'
for ws in 32 64; do
    case $ws in 32) img=build/talc32.image ;; *) img=build/talc.image ;; esac
    pb="" ps=""
    for vm in build/talc build/talc-sim; do
        out=$(timeout 600 "$vm" "$img" bench "$ms" 2>&1 | sed -n 's/^tinyBenchmarks: \([0-9]*\) bytecodes\/sec; \([0-9]*\) sends\/sec$/\1 \2/p')
        if [ -z "$out" ]; then printf '  %-7s %-10s %16s\n' "$ws-bit" "$(basename "$vm")" "(failed)"; continue; fi
        set -- $out
        slow=""
        if [ "$vm" = build/talc ]; then pb=$1 ps=$2
        elif [ -n "$pb" ]; then slow=$(awk -v a="$pb" -v b="$1" -v c="$ps" -v d="$2" 'BEGIN { printf "%.1fx, %.1fx", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'); fi
        printf '  %-7s %-10s %16s %14s %22s\n' "$ws-bit" "$(basename "$vm")" "$1" "$2" "$slow"
    done
done
