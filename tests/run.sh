#!/bin/sh
# Talc's test suite, the single test command (make test runs it after make all):
#   generated/ up to date, translator, headless.image end to end, bad images, command line,
#   FilePlugin and Pharo 8 (tests/pharo), the lockstep check and crash snapshots, Talc's images
#   on Open-Smalltalk-VM when TALC_OSVM64 / TALC_OSVM32 name its VMs (tests/osvm; skipped
#   otherwise), a short fuzz of the image loader.
# Each part prints TAP and a closing "N passed, N failed" (more counts may follow); this sums them, prints the total as
# its last line and exits non-zero if anything failed. TALC_FUZZ_SECONDS (default 10) bounds
# the fuzz smoke run; 0 only builds the fuzzer and checks its seeds.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

total_passed=0 total_failed=0 broken=""

# part NAME CMD...: runs a part, shows its output, adds its closing counts
part() {
    name=$1; shift
    echo "# ---- $name: $*"
    started=$(date +%s)
    "$@" >"$work/out" 2>&1
    rc=$?
    cat "$work/out"
    echo "# ---- $name: exit $rc, $(($(date +%s) - started)) s"
    counts=$(tail -n 1 "$work/out" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, .*\)\{0,1\}$/\1 \2/p')
    if [ -n "$counts" ]; then
        set -- $counts
        total_passed=$((total_passed + $1)) total_failed=$((total_failed + $2))
        [ "$rc" -ne 0 ] && [ "$2" -eq 0 ] && { total_failed=$((total_failed + 1)); broken="$broken $name"; }
    elif [ "$rc" -eq 0 ]; then
        total_passed=$((total_passed + 1))     # a part without counts is one test
    else
        total_failed=$((total_failed + 1)); broken="$broken $name"
    fi
}

part check-generated make -s check-generated
part translator tests/translator/run.sh
part e2e tests/e2e/headless.sh
part bad-images tests/image/bad_images.sh
part cli tests/cli/cli.sh
part boot tests/boot/run.sh
part kernel tests/kernel/run.sh
part sista tests/sista/run.sh
part workload tests/workload/run.sh
part compilers tests/build/compilers.sh
part sim-checks tests/sim/checked_access.sh
part sim-debugger tests/sim/debugger.sh
part kernel-vm tests/kernel_vm/run.sh
part gc-stress tests/gc/run.sh
part gc-copy tests/gc/gc_copy.sh
part gc-segments tests/gc/segments.sh
part snapshot tests/snapshot/run.sh
part lockstep tests/lockstep/run.sh
part crash-snapshot tests/crash_snapshot/run.sh
part pharo tests/pharo/run.sh
part osvm tests/osvm/run.sh
part fuzz-smoke tests/fuzz/run.sh "${TALC_FUZZ_SECONDS:-10}"

[ -n "$broken" ] && echo "# failed without a count:$broken"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
