#!/bin/sh
# The GC table of make bench: Talc's kernel image runs GCBenchmark (binary trees of depth 16,
# then a 1,000,000-element OrderedCollection and a 250,000-entry Dictionary grown from empty;
# image/kernel/95-GCBenchmark.st) on each old-space collector and word size, with --gc-stats:
# wall time, scavenges, full GCs, mean and longest pause, peak heap in use. Then the simulator
# on a smaller run (depth 14, 200,000 elements) with and without GC on a copy of the heap.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
make -s build/talc build/talc.image build/talc32.image build/talc-sim >/dev/null &&
    make -s FLAVOUR=stack-spur64-sweep >/dev/null || { echo "bench_gc: cannot build" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# row LABEL VM IMAGE [VM options] -- image arguments after GCBenchmark
row() {
    label=$1 vm=$2 image=$3; shift 3
    err=$(mktemp)
    start=$(now_ms)
    out=$(timeout 900 "$vm" --gc-stats "$@" "$image" run GCBenchmark $depth $elements 2>"$err")
    end=$(now_ms)
    stats=$(sed -n 's/.*GC: \([0-9]*\) scavenges, \([0-9]*\) full GCs; pauses: [0-9]*, total [0-9.]* ms, mean \([0-9.]*\) ms, max \([0-9.]*\) ms; peak heap \([0-9]*\) bytes/\1 \2 \3 \4 \5/p' "$err")
    copysecs=$(sed -n 's/.*collections run on a copy first: \([0-9]*\), \([0-9.]*\) s.*/\2/p' "$err")
    if [ -z "$stats" ] || ! echo "$out" | grep -q "check: $(( (1 << (depth + 1)) - 1 ))\$"; then
        printf '  %-34s (failed)\n' "$label"; sed 's/^/    /' "$err" | head -5; rm -f "$err"; return
    fi
    rm -f "$err"
    set -- $stats
    printf '  %-34s %8.2f s %6s %5s %9s ms %9s ms %8.1f MB%s\n' "$label" "$(echo "$start $end" | awk '{ print ($2 - $1) / 1000 }')" \
        "$1" "$2" "$3" "$4" "$(echo "$5" | awk '{ print $1 / 1048576 }')" "${copysecs:+   (copies: $copysecs s)}"
    last_ms=$((end - start))
}

header() {
    printf '  %-34s %10s %6s %5s %12s %12s %11s\n' VM time scav full 'mean pause' 'max pause' 'peak heap'
}

depth=${TALC_GC_BENCH_DEPTH:-16} elements=${TALC_GC_BENCH_ELEMENTS:-1000000}
echo "GC benchmark: binary trees depth $depth, growth to $elements elements (kernel image, --gc-stats)"
header
row "talc 64-bit, mark-compact" build/talc build/talc.image
row "talc 64-bit, mark-sweep" build/stack-spur64-sweep/talc build/talc.image
row "talc 32-bit, mark-compact" build/stack-spur32/talc build/talc32.image

depth=${TALC_GC_BENCH_SIM_DEPTH:-14} elements=${TALC_GC_BENCH_SIM_ELEMENTS:-200000}
echo "the simulator (checks on): binary trees depth $depth, $elements elements"
header
row "talc (production, for scale)" build/talc build/talc.image; prod=$last_ms
row "talc-sim, GC on a copy (default)" build/talc-sim build/talc.image; withcopy=$last_ms
row "talc-sim --no-gc-copy" build/talc-sim build/talc.image --no-gc-copy; nocopy=$last_ms
awk -v p="$prod" -v c="$withcopy" -v n="$nocopy" 'BEGIN {
    printf "  simulator / production: %.1fx with GC on a copy, %.1fx without; the copy costs %.0f%%\n",
        (p > 0 ? c / p : 0), (p > 0 ? n / p : 0), (n > 0 ? (c - n) * 100 / n : 0) }'

# become on a large heap: forwarders are followed lazily, so its cost does not grow with the heap
echo "becomeForward: (lazy forwarding; the cost should not grow with the heap)"
for objects in 100000 1000000; do
    out=$(timeout 300 build/talc build/talc.image run BecomeBenchmark $objects 200 2>&1)
    printf '  talc 64-bit: %s\n' "${out:-(failed)}"
done

