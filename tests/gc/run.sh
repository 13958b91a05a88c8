#!/bin/sh
# The collectors under stress: Talc's in-image suite (and headless.image) with a scavenge every
# few allocations and a full collection every few scavenges, with each old-space collector, on
# both word sizes, in the simulator (heap verified around every collection) and in the assert
# flavour; the same results as without stress. The suite again with a mark stack that overflows
# all the time (talc-sim --variant mark_stack=tiny).
part=gc; . "$(dirname "$0")/../lib/tap.sh"
stress="--scavenge-every ${TALC_GC_SCAVENGE_EVERY:-25} --full-gc-every ${TALC_GC_FULL_EVERY:-4}"

# run_suite ID VM IMAGE [VM options]: the in-image suite; $work/ID.out, ID.err, ID.rc
run_suite() {
    id=$1 vm=$2 image=$3; shift 3
    timeout 300 "$vm" "$@" "$image" test >"$work/$id.out" 2>"$work/$id.err"
    echo $? >"$work/$id.rc"
}
# suite_ok ID DESC: that run passed every test and the verifier reported nothing
suite_ok() {
    id=$1 desc=$2 rc=$(cat "$work/$1.rc")
    if [ "$rc" -eq 0 ] && grep -qE '^[0-9]+ passed, 0 failed$' "$work/$id.out" && ! grep -q 'heap verification' "$work/$id.err"; then
        ok "$desc: $(tail -1 "$work/$id.out")"
    else
        { grep "^FAIL" "$work/$id.out"; tail -3 "$work/$id.out"; cat "$work/$id.err"; } >"$work/err"; not_ok "$desc (status $rc)"
    fi
}
# suite VM IMAGE DESC [VM options]: the in-image suite passes with no failure under stress
suite() {
    vm=$1 image=$2 desc=$3; shift 3
    run_suite one "$vm" "$image" "$@" $stress
    suite_ok one "$desc under GC stress"
}

# the simulators, on both collectors and both word sizes, and with a mark stack of 64 entries
# (marking overflows all the time and goes on by rescanning the heap; ephemerons already listed
# must not be listed again, nor left untraced): two runs at a time, CI has two cores
for collector in mark_compact mark_sweep; do
    run_suite sim64-$collector build/talc-sim build/talc.image --variant old_space_collector=$collector $stress &
    run_suite sim32-$collector build/talc-sim32 build/talc32.image --variant old_space_collector=$collector $stress &
    wait
    suite_ok sim64-$collector "talc-sim 64-bit, $collector under GC stress"
    suite_ok sim32-$collector "talc-sim32 32-bit, $collector under GC stress"
done
run_suite tiny64 build/talc-sim build/talc.image --variant mark_stack=tiny --variant old_space_collector=mark_compact &
run_suite tiny32 build/talc-sim32 build/talc32.image --variant mark_stack=tiny --variant old_space_collector=mark_sweep &
wait
suite_ok tiny64 "build/talc-sim, mark_compact, a mark stack that overflows all the time"
suite_ok tiny32 "build/talc-sim32, mark_sweep, a mark stack that overflows all the time"
make -s FLAVOUR=stack-spur32-assert >/dev/null 2>"$work/err" && [ -x build/stack-spur32-assert/talc ] ||
    { not_ok "build the assert flavour"; echo "$passed passed, $failed failed"; exit 1; }
suite build/stack-spur32-assert/talc build/talc32.image "stack-spur32-assert (verifier in ASSERT)"
# the production flavours, each with its own collector
make -s FLAVOUR=stack-spur64-sweep >/dev/null 2>"$work/err" || not_ok "build stack-spur64-sweep"
suite build/talc build/talc.image "talc (stack-spur64, mark-compact)"
suite build/stack-spur64-sweep/talc build/talc.image "stack-spur64-sweep (mark-sweep)"
suite build/stack-spur32/talc build/talc32.image "stack-spur32 (mark-compact)"

# millions of short-lived objects and a long-lived tree tenured then dropped: binary trees of
# depth 14 (3.7 M nodes) and big collections grown from empty, on both collectors in production,
# and the same checks under stress in the simulator at a smaller size
trees_ok() { # DEPTH: every check line of GCBenchmark has the node count of its trees
    d=$1
    grep -q "^stretch tree of depth $((d + 1)) check: $(( (1 << (d + 2)) - 1 ))\$" "$work/out" &&
    grep -q "^long lived tree of depth $d check: $(( (1 << (d + 1)) - 1 ))\$" "$work/out" &&
    [ "$(grep -c ' trees of depth ' "$work/out")" -eq $(( (d - 4) / 2 + 1 )) ] &&
    ! grep ' trees of depth ' "$work/out" | awk '{ if ($7 != $1 * (2 ^ ($5 + 1) - 1)) bad = 1 } END { exit !bad }'
}
make -s FLAVOUR=stack-spur64-sweep >/dev/null 2>"$work/err" || not_ok "build stack-spur64-sweep"
for vm in build/talc build/stack-spur64-sweep/talc; do
    timeout 300 $vm --gc-stats build/talc.image run GCBenchmark 14 100000 >"$work/out" 2>"$work/err"
    if [ $? -eq 0 ] && trees_ok 14 && grep -q '^OrderedCollection of 100000 strings, Dictionary of 25000 entries, 113894 characters$' "$work/out" &&
       grep -qE 'GC: [1-9][0-9]* scavenges' "$work/err"; then
        ok "$vm: GCBenchmark (binary trees depth 14, collections grown to 100000) gives the right counts"
    else cat "$work/out" >>"$work/err"; not_ok "$vm: GCBenchmark"; fi
done
for vm in build/talc-sim build/talc-sim32 build/stack-spur32-assert/talc; do
    img=build/talc.image; [ $vm != build/talc-sim ] && img=build/talc32.image
    timeout 300 $vm --gc-stats --scavenge-every 5000 --full-gc-every 3 $img run GCBenchmark 8 5000 >"$work/out" 2>"$work/err"
    if [ $? -eq 0 ] && trees_ok 8 && grep -qE 'GC: [0-9]+ scavenges, [1-9][0-9]* full GCs' "$work/err"; then
        ok "$vm: GCBenchmark under stress (the simulators: every collection on a copy first)"
    else cat "$work/out" >>"$work/err"; not_ok "$vm: GCBenchmark under stress"; fi
done

image=../shared/images/headless.image
if [ -f "$image" ]; then
    printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7\n' >"$work/expected"
    for vm in build/talc-sim32 build/stack-spur32-assert/talc; do
        timeout 60 $vm --scavenge-every 3 --full-gc-every 1 "$image" >"$work/out" 2>"$work/err"
        if [ $? -eq 0 ] && cmp -s "$work/out" "$work/expected"; then ok "$vm: headless.image under the heaviest stress"
        else not_ok "$vm: headless.image under the heaviest stress"; fi
    done
    # Pharo 8's kernel image: first start (it saves itself), then loadHermes, both under stress
    pharo=../shared/images/pharo8-kernel.image
    cp "$pharo" "$work/p.image" && chmod u+w "$work/p.image"
    timeout 300 build/talc-sim --scavenge-every 2000 --full-gc-every 20 "$work/p.image" >"$work/out" 2>"$work/err"
    if [ $? -eq 0 ] && [ ! -s "$work/out" ]; then ok "talc-sim: Pharo's first start under GC stress saves and quits 0"
    else not_ok "talc-sim: Pharo's first start under GC stress"; fi
    timeout 300 build/talc-sim --scavenge-every 2000 --full-gc-every 20 "$work/p.image" loadHermes "$(cd ../shared/images && pwd)/check20.hermes" >"$work/out" 2>"$work/err"
    if [ $? -eq 0 ] && [ "$(cat "$work/out")" = "1028 21891" ]; then ok "talc-sim: Pharo loadHermes check20.hermes under GC stress prints 1028 21891"
    else cat "$work/out" >>"$work/err"; not_ok "talc-sim: Pharo loadHermes check20.hermes under GC stress"; fi
else
    echo "# SKIP headless.image and Pharo under stress: ../shared/images not present"
fi
tap_done
