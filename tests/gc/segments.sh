#!/bin/sh
# Old space grows by segments and gives them back (tests/gc/segments.st): 30 big arrays and a
# 40 MB byte array (wider than a segment) make old space grow; once dropped, a full GC gives the
# empty segments back; an allocation beyond --maxoldspace fails as a catchable error and the
# image carries on. On both collectors, both word sizes, production and simulator (where the
# memory given back is unreachable by checked accesses until committed again).
part=seg; . "$(dirname "$0")/../lib/tap.sh"

for ws in 64 32; do
    build/talc-boot --word-size $ws -o "$work/seg$ws.image" tests/gc/segments.st >"$work/err" 2>&1 || not_ok "build the $ws-bit probe image"
done
make -s FLAVOUR=stack-spur64-sweep >/dev/null 2>"$work/err" || not_ok "build stack-spur64-sweep"
printf 'big arrays: 930, huge: 10\nbeyond the maximum: refused\nafter: 100000\n' >"$work/expected"

probe() { # DESC VM IMAGE [VM options]
    desc=$1 vm=$2 image=$3; shift 3
    timeout 300 "$vm" --gc-stats --maxoldspace 512m "$@" "$image" run SegmentsProbe >"$work/out" 2>"$work/err"
    rc=$?
    stats=$(sed -n 's/.*old space: \([0-9]*\) bytes committed (peak \([0-9]*\)), \([0-9]*\) segments added, \([0-9]*\) given back; \([0-9]*\) bytes of big free chunks released/\1 \2 \3 \4 \5/p' "$work/err")
    if [ $rc -ne 0 ] || ! cmp -s "$work/out" "$work/expected" || [ -z "$stats" ]; then
        cat "$work/out" >>"$work/err"; not_ok "$desc: the probe runs (status $rc)"; return
    fi
    set -- $stats
    case $desc in
    *sweep*) # a non-moving collector: empty segments at the end, and the pages inside big free chunks, go back
        if [ "$3" -ge 7 ] && [ $(( $4 * 16777216 + $5 )) -ge 100000000 ]; then
            ok "$desc: old space grew by $3 segments; $4 segments and the pages of $5 bytes of free chunks went back; refused beyond 512m"
        else not_ok "$desc: segments added $3, given back $4, free-chunk bytes released $5"; fi ;;
    *)
        if [ "$3" -ge 7 ] && [ "$4" -ge 6 ] && [ $(( $1 * 4 )) -lt "$2" ]; then
            ok "$desc: old space grew by $3 segments to $2 bytes, gave $4 back ($1 bytes left), refused beyond 512m"
        else not_ok "$desc: segments added $3, given back $4, committed $1 of peak $2"; fi ;;
    esac
}
probe "talc 64-bit, mark-compact" build/talc "$work/seg64.image"
probe "talc 64-bit, mark-sweep" build/stack-spur64-sweep/talc "$work/seg64.image"
probe "talc 32-bit, mark-compact" build/stack-spur32/talc "$work/seg32.image"
make -s FLAVOUR=stack-spur32-assert >/dev/null 2>"$work/err" || not_ok "build stack-spur32-assert"
probe "stack-spur32-assert (verifier in ASSERT)" build/stack-spur32-assert/talc "$work/seg32.image"
probe "talc-sim 64-bit, mark-sweep" build/talc-sim "$work/seg64.image" --variant old_space_collector=mark_sweep
probe "talc-sim32 32-bit, mark-compact" build/talc-sim32 "$work/seg32.image"

# segments emptied below a live object (tests/gc/segments.st, SegmentsHoles): mark-sweep gives
# them back as holes behind bridges though old space's end stays above them; allocation takes
# them back before old space grows at its end; a snapshot taken with holes resumes and reads
# back byte-identical; the simulator refuses reads behind a bridge (tests/gc/holes.lua)
holes() { # DESC VM IMAGE [VM options]
    desc=$1 vm=$2 image=$3; shift 3
    timeout 300 "$vm" --gc-stats "$@" "$image" run SegmentsHoles holes >"$work/out" 2>"$work/err"
    rc=$?
    end=$(sed -n 's/^kept: 9, old space end \([0-9]*\) MB$/\1/p' "$work/out")
    committed=$(sed -n 's/.*old space: \([0-9]*\) bytes committed.*/\1/p' "$work/err")
    if [ $rc -eq 0 ] && [ "${end:-0}" -ge 100 ] && [ "${committed:-999999999999}" -lt $(( end * 1048576 / 2 )) ]; then
        ok "$desc: segments emptied below a live object given back (old space ends at $end MB, $committed bytes committed)"
    else cat "$work/out" >>"$work/err"; not_ok "$desc: holes (status $rc, end ${end:-?} MB, committed ${committed:-?})"; fi
    timeout 300 "$vm" "$@" "$image" run SegmentsHoles >"$work/out" 2>"$work/err"
    rc=$?
    grew=$(sed -n 's/^again: 930, old space grew by \([0-9]*\) MB$/\1/p' "$work/out")
    # without the holes taken back it would grow by about as much again as its end ($end MB)
    if [ $rc -eq 0 ] && [ -n "$grew" ] && [ $((grew * 2)) -lt "${end:-0}" ]; then ok "$desc: the holes are taken back before old space grows (it grew by $grew MB, not $end)"
    else cat "$work/out" >>"$work/err"; not_ok "$desc: holes taken back (status $rc)"; fi
}
holes "talc 64-bit, mark-sweep" build/stack-spur64-sweep/talc "$work/seg64.image"
holes "talc-sim 64-bit, mark-sweep" build/talc-sim "$work/seg64.image" --variant old_space_collector=mark_sweep
holes "talc-sim32 32-bit, mark-sweep" build/talc-sim32 "$work/seg32.image" --variant old_space_collector=mark_sweep
for pair in "build/talc-sim $work/seg64.image" "build/talc-sim32 $work/seg32.image"; do
    set -- $pair
    timeout 300 "$1" --variant old_space_collector=mark_sweep --script tests/gc/holes.lua "$2" run SegmentsHoles holes >"$work/out" 2>"$work/err"
    refused=$(sed -n 's/^hole bytes [1-9][0-9]*; segment starts readable [1-9][0-9]*, refused \([1-9][0-9]*\)$/\1/p' "$work/out")
    if [ -n "$refused" ]; then ok "$1: reads behind a bridge refused ($refused segment starts), the others read"
    else cat "$work/out" >>"$work/err"; not_ok "$1: reads behind a bridge refused"; fi
done
cp "$work/seg64.image" "$work/holes.image"
# (where old space ends depends on the kernel image's size)
if build/stack-spur64-sweep/talc "$work/holes.image" run SegmentsHoles snapshot >"$work/out" 2>&1 &&
   [ "$(sed 's/old space end [0-9][0-9]* MB$/old space end N MB/' "$work/out")" = "$(printf 'kept: 9, old space end N MB\nsaved, kept: 9')" ] &&
   [ "$(build/talc-sim "$work/holes.image" 2>&1)" = "resumed, kept: 9" ] &&
   build/stack-spur64-sweep/talc --save-as "$work/again.image" "$work/holes.image" 2>"$work/err" && cmp -s "$work/holes.image" "$work/again.image"; then
    ok "a snapshot taken with holes (mark-sweep) resumes and is written again byte-identical"
else not_ok "snapshot with holes"; fi

# large objects only (straight into old space, no scavenge in sight): full collections keep up
for pair in "build/talc $work/seg64.image" "build/stack-spur64-sweep/talc $work/seg64.image" "build/stack-spur32/talc $work/seg32.image"; do
    set -- $pair
    timeout 300 "$1" --gc-stats --maxoldspace 512m "$2" run SegmentsChurn >"$work/out" 2>"$work/err"
    rc=$?
    full=$(sed -n 's/.*GC: [0-9]* scavenges, \([0-9]*\) full GCs.*/\1/p' "$work/err")
    peak=$(sed -n 's/.*old space: [0-9]* bytes committed (peak \([0-9]*\)).*/\1/p' "$work/err")
    if [ $rc -eq 0 ] && [ "$(cat "$work/out")" = "churn: 10000" ] && [ "${full:-0}" -ge 5 ] && [ "${peak:-999999999999}" -lt 268435456 ]; then
        ok "$1: 10000 large objects dropped as they come: $full full GCs, old space peaked at $peak bytes"
    else cat "$work/out" >>"$work/err"; not_ok "$1: large objects collected as they come (status $rc, full GCs ${full:-?}, peak ${peak:-?})"; fi
done

for bad in 12q 0 100g; do
    build/talc --maxoldspace $bad "$work/seg64.image" >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 64 ] && grep -q 'needs a size from 1m to 64g' "$work/err"; then ok "--maxoldspace $bad: exit 64"
    else not_ok "--maxoldspace $bad (status $rc)"; fi
done
tap_done
