#!/bin/sh
# GC on a copy of the heap (talc-sim): a deliberately broken scavenger (the test-only variant
# test_fault=forget_remembered_set) fails on the copy, the original heap still verifies, and
# every replay on a fresh copy fails exactly as the first run did; with --no-gc-copy the same
# bug is caught only after it has damaged the real heap. A sound collector passes on its copies.
# Free chunks misfiled and mourners queued twice by test-only faults are caught by the verifier.
part=gccopy; . "$(dirname "$0")/../lib/tap.sh"
broken="--variant test_fault=forget_remembered_set --scavenge-every 25"

for pair in "build/talc-sim build/talc.image" "build/talc-sim32 build/talc32.image"; do
    set -- $pair; vm=$1 image=$2
    timeout 120 $vm $broken --gc-replay 3 "$image" test >"$work/out" 2>"$work/err"
    rc=$?
    first=$(grep -m1 'assertion failed' "$work/err")
    if [ $rc -eq 70 ] && grep -q '^talc-sim[0-9]*: scavenge #[0-9]* failed on a copy of the heap' "$work/err" &&
       echo "$first" | grep -q 'vmspec/scavenger.c:[0-9]*: assertion failed: verifyHeap() == 0' &&
       grep -q 'heap verification: slot [0-9]* of object 0x[0-9a-f]* holds' "$work/err"; then
        ok "$vm: the broken scavenger fails on the copy, naming the verifier's finding and its spec line"
    else not_ok "$vm: the broken scavenger fails on the copy (status $rc)"; fi
    if grep -q '^talc-sim[0-9]*: the original heap, untouched by the failed collection, verifies$' "$work/err"; then
        ok "$vm: the original heap still verifies after the copy's collection failed"
    else not_ok "$vm: the original heap verifies"; fi
    if [ "$(grep -c '^talc-sim[0-9]*: replay of scavenge #[0-9]* on a fresh copy: failed identically$' "$work/err")" -eq 3 ] &&
       ! grep -q 'failed differently\|did not repeat' "$work/err"; then
        ok "$vm: three replays on fresh copies fail identically"
    else not_ok "$vm: three replays fail identically"; fi
    # the same bug without the copy: caught only after the real heap was damaged
    timeout 120 $vm $broken --no-gc-copy "$image" test >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 70 ] && grep -q 'assertion failed: verifyHeap() == 0' "$work/err" && ! grep -q 'on a copy' "$work/err"; then
        ok "$vm --no-gc-copy: the same bug fails on the real heap"
    else not_ok "$vm --no-gc-copy: the bug fails on the real heap (status $rc)"; fi
    # a sound collector: the whole suite passes with every collection run on a copy first
    timeout 300 $vm --gc-stats --scavenge-every 200 --full-gc-every 5 "$image" test >"$work/out" 2>"$work/err"
    rc=$?
    copies=$(sed -n 's/.*collections run on a copy first: \([0-9]*\).*/\1/p' "$work/err")
    if [ $rc -eq 0 ] && grep -qE '^[0-9]+ passed, 0 failed$' "$work/out" && [ "${copies:-0}" -gt 10 ]; then
        ok "$vm: the suite passes under stress with $copies collections run on copies first"
    else tail -3 "$work/out" >>"$work/err"; not_ok "$vm: the suite passes with GC on copies (status $rc, copies ${copies:-none})"; fi
done

# the replay from the simulator's prompt: the failed collection stops the VM at the prompt,
# talc.gcReplay() re-runs it on fresh copies (fed through standard input)
printf 'c\nprint("replay:", talc.gcReplay())\nprint("again:", talc.gcReplay())\nprint("copies:", talc.gcCopies())\n' |
    timeout 120 build/talc-sim $broken --interactive build/talc.image test >"$work/out" 2>&1
rc=$?
cp "$work/out" "$work/err"
if [ $rc -eq 70 ] && grep -q '^stopped: check failed: a collection failed on a copy of the heap' "$work/out" &&
   [ "$(grep -c '^talc-sim: replay of scavenge #[0-9]* on a fresh copy: failed identically$' "$work/out")" -eq 2 ] &&
   grep -q '^replay:	true$' "$work/out" && grep -q '^again:	true$' "$work/out" && grep -q '^copies:	[1-9]' "$work/out"; then
    ok "talc.gcReplay() at the prompt re-runs the failed scavenge on fresh copies, failing identically"
else not_ok "talc.gcReplay() at the prompt (status $rc)"; fi

# the verifier checks the free lists: chunks misfiled by a test-only fault in the mark-sweep
# collector are found on the copy of the first full GC that sweeps
for pair in "build/talc-sim build/talc.image" "build/talc-sim32 build/talc32.image"; do
    set -- $pair; vm=$1 image=$2
    timeout 120 $vm --variant old_space_collector=mark_sweep --variant test_fault=misfile_free_chunks --scavenge-every 200 --full-gc-every 2 "$image" test >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 70 ] && grep -q 'full GC #[0-9]* failed on a copy of the heap' "$work/err" &&
       grep -q 'heap verification: free lists: ' "$work/err" && grep -q 'the original heap, untouched by the failed collection, verifies' "$work/err"; then
        ok "$vm: misfiled free chunks are caught by the verifier on the copy"
    else not_ok "$vm: misfiled free chunks are caught (status $rc)"; fi
done

# the verifier checks the mourn queue: each fired ephemeron queued twice by a test-only fault is
# found on the copy of the first full GC that fires one
for pair in "build/talc-sim build/talc.image" "build/talc-sim32 build/talc32.image"; do
    set -- $pair; vm=$1 image=$2
    timeout 120 $vm --variant test_fault=mourn_twice "$image" test EphemeronTest >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 70 ] && grep -q 'full GC #[0-9]* failed on a copy of the heap' "$work/err" &&
       grep -q 'heap verification: mourn queue page 0x[0-9a-f]*: 0x[0-9a-f]* is wrong' "$work/err" &&
       grep -q 'the original heap, untouched by the failed collection, verifies' "$work/err"; then
        ok "$vm: a mourner queued twice is caught by the verifier on the copy"
    else not_ok "$vm: a mourner queued twice is caught (status $rc)"; fi
done

# bad use of the options
build/talc-sim --gc-replay >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 64 ] && grep -q 'needs a count' "$work/err"; then ok "--gc-replay without a count: exit 64"; else not_ok "--gc-replay without a count (status $rc)"; fi
build/talc-sim --gc-replay many build/talc.image >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 64 ] && grep -q "not 'many'" "$work/err"; then ok "--gc-replay many: exit 64"; else not_ok "--gc-replay many (status $rc)"; fi
build/talc --no-gc-copy build/talc.image >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 64 ] && grep -q "unknown option '--no-gc-copy'" "$work/err"; then ok "the production VM has no GC copy to turn off"; else not_ok "talc --no-gc-copy (status $rc)"; fi
tap_done
