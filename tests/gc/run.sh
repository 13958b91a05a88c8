#!/bin/sh
# The collectors under stress: Talc's in-image suite (and headless.image) with a scavenge every
# few allocations and a full collection every few scavenges, with each old-space collector, on
# both word sizes, in the simulator (heap verified around every collection) and in the assert
# flavour; the same results as without stress.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-gc.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
n=0 passed=0 failed=0
ok() { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; sed 's/^/# /' "$work/err" | head -12; }
stress="--scavenge-every ${TALC_GC_SCAVENGE_EVERY:-25} --full-gc-every ${TALC_GC_FULL_EVERY:-4}"

# suite VM IMAGE DESC [VM options]: the in-image suite passes with no failure
suite() {
    vm=$1 image=$2 desc=$3; shift 3
    timeout 300 "$vm" "$@" $stress "$image" test >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 0 ] && grep -qE '^[0-9]+ passed, 0 failed$' "$work/out" && ! grep -q 'heap verification' "$work/err"; then
        ok "$desc: $(tail -1 "$work/out") under GC stress"
    else
        tail -3 "$work/out" >>"$work/err"; not_ok "$desc under GC stress (status $rc)"
    fi
}

for collector in mark_compact mark_sweep; do
    suite build/talc-sim build/talc.image "talc-sim 64-bit, $collector" --variant old_space_collector=$collector
    suite build/talc-sim32 build/talc32.image "talc-sim32 32-bit, $collector" --variant old_space_collector=$collector
done
make -s FLAVOUR=stack-spur32-assert >/dev/null 2>"$work/err" && [ -x build/stack-spur32-assert/talc ] ||
    { not_ok "build the assert flavour"; echo "$passed passed, $failed failed"; exit 1; }
suite build/stack-spur32-assert/talc build/talc32.image "stack-spur32-assert (verifier in ASSERT)"

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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
