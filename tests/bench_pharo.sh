#!/bin/sh
# Pharo 8's kernel image running bench1.hermes (Pharo's own tinyBenchmarks code) on Talc, beside
# the Open-Smalltalk-VM Stack interpreter's figures from ../shared/images/README.md (same image,
# same benchmark, this kind of machine). Figures, not assertions. TALC_BENCH_OSVM=path/to/spur64
# (an Open-Smalltalk-VM binary) also runs that VM on the same saved image, alternating with talc
# TALC_BENCH_RUNS times (default 1, the best of each kept): on a shared machine only figures
# taken side by side compare.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
images=$top/../shared/images
[ -f "$images/pharo8-kernel.image" ] && [ -f "$images/bench1.hermes" ] || { echo "(../shared/images absent: no Pharo figures)"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-pbench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cp "$images/pharo8-kernel.image" "$work/p.image" && chmod u+w "$work/p.image"
# the first start saves the image and quits; benchmarks run on the saved image
timeout 300 ./build/talc "$work/p.image" >/dev/null 2>&1 || { echo "(Pharo's first start failed on build/talc)"; exit 0; }

echo "Pharo 8 kernel image, loadHermes bench1.hermes (tinyBenchmarks; Open-Smalltalk-VM figures from the images README):"
printf '  %-34s %16s %14s\n' "VM" "bytecodes/s" "sends/s"
run() {
    cp "$work/p.image" "$work/run.image"
    timeout 600 "$1" ${2:-} "$work/run.image" loadHermes "$images/bench1.hermes" 2>/dev/null | grep -E 'bytecodes/sec' | tail -1
}
bc_of() { echo "$1" | sed -n 's/^\([0-9]*\) bytecodes.*/\1/p'; }
sends_of() { echo "$1" | sed -n 's/.*; \([0-9]*\) sends.*/\1/p'; }
max() { [ -z "$1" ] && { echo "$2"; return; }; [ -n "$2" ] && [ "$2" -gt "$1" ] && echo "$2" || echo "$1"; }
osvm=${TALC_BENCH_OSVM:-}
[ -n "$osvm" ] && [ ! -x "$osvm" ] && { echo "  (TALC_BENCH_OSVM=$osvm is not an executable: not run)"; osvm=""; }
talc_bc="" talc_sends="" osvm_bc="" osvm_sends=""
i=0
while [ $i -lt "${TALC_BENCH_RUNS:-1}" ]; do
    line=$(run build/talc)
    talc_bc=$(max "$talc_bc" "$(bc_of "$line")"); talc_sends=$(max "$talc_sends" "$(sends_of "$line")")
    if [ -n "$osvm" ]; then
        line=$(run "$osvm" -vm-display-null)
        osvm_bc=$(max "$osvm_bc" "$(bc_of "$line")"); osvm_sends=$(max "$osvm_sends" "$(sends_of "$line")")
    fi
    i=$((i + 1))
done
printf '  %-34s %16s %14s\n' "talc (stack-spur64)" "${talc_bc:-?}" "${talc_sends:-?}"
[ -n "$osvm" ] && printf '  %-34s %16s %14s\n' "$(basename "$osvm"), side by side" "${osvm_bc:-?}" "${osvm_sends:-?}"
if [ -z "${TALC_BENCH_NO_SIM:-}" ]; then
    line=$(run build/talc-sim)
    printf '  %-34s %16s %14s\n' "talc-sim" "$(echo "$line" | sed -n 's/^\([0-9]*\) bytecodes.*/\1/p')" "$(echo "$line" | sed -n 's/.*; \([0-9]*\) sends.*/\1/p')"
fi
printf '  %-34s %16s %14s\n' "Open-Smalltalk-VM Stack, clang -O2" "710-980 M" "45.7-47.4 M"
printf '  %-34s %16s %14s\n' "Open-Smalltalk-VM Cog JIT" "1550-2350 M" "148-201 M"
if [ -n "$talc_bc" ] && [ -n "$talc_sends" ]; then
    awk -v b="$talc_bc" -v s="$talc_sends" 'BEGIN {
        printf "  %-34s %16.2f %14.2f\n", "talc / OSVM Stack (range midpoint)", b / 845e6, s / 46.55e6 }'
    [ -n "$osvm_bc" ] && [ -n "$osvm_sends" ] && awk -v b="$talc_bc" -v s="$talc_sends" -v ob="$osvm_bc" -v os="$osvm_sends" 'BEGIN {
        printf "  %-34s %16.2f %14.2f\n", "talc / side-by-side OSVM", b / ob, s / os }'
fi
