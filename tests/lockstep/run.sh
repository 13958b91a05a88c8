#!/bin/sh
# The lockstep check (build/talc-lockstep): talc and talc-sim, deterministic, agree digest by
# digest on the kernel image's test suite at both word sizes; the divergence that the test-only
# variant test_fault=wrong_bitxor_of_negatives plants in the simulator is found and named (the
# first safe point after it, its method, the value that differs); a VM that stops early is a
# divergence too; deterministic runs repeat exactly; bad usage exits 64, a VM that cannot run 2.
# TAP lines, then "N passed, N failed".
part=lockstep; . "$(dirname "$0")/../lib/tap.sh"

# check DESC STATUS PATTERN... -- COMMAND...: exit status STATUS, stdout+stderr matching every
# extended regular expression PATTERN
check() {
    desc=$1 status=$2; shift 2
    pats=""
    while [ "$1" != "--" ]; do pats="$pats
$1"; shift; done
    shift
    timeout 600 "$@" >"$work/out" 2>&1; rc=$?
    { echo "status $rc (expected $status): $*"; cat "$work/out"; } >"$work/why"
    [ "$rc" -eq "$status" ] || { not_ok "$desc" "$work/why"; return 1; }
    echo "$pats" | while IFS= read -r p; do
        [ -z "$p" ] && continue
        grep -Eq -- "$p" "$work/out" || { echo "no line matching: $p" >>"$work/why"; exit 1; }
    done || { not_ok "$desc" "$work/why"; return 1; }
    ok "$desc"
}

make -s build/talc-lockstep build/talc-boot >/dev/null || { echo "not ok 1 - build"; echo "0 passed, 1 failed"; exit 1; }
lockstep=build/talc-lockstep

# ---- the kernel image's test suite, both word sizes ----
check "64-bit: talc and talc-sim agree on the test suite, digest by digest" 0 \
    'no divergence: [0-9]{3,} digests agree \(every 10000 bytecodes' 'both VMs ended with exit status 0' -- \
    $lockstep build/talc.image test
check "32-bit: talc and talc-sim agree on the test suite (each VM hands the image to its 32-bit sibling)" 0 \
    'no divergence: [0-9]{3,} digests agree' -- $lockstep build/talc32.image test
check "32-bit: stack-spur32/talc and talc-sim32 named, a digest every 1000 bytecodes" 0 \
    'no divergence: [0-9]{4,} digests agree \(every 1000 bytecodes' -- \
    $lockstep --every 1000 --talc build/stack-spur32/talc --sim build/talc-sim32 build/talc32.image test

# ---- the planted divergence ----
for ws in 64 32; do
    img="$work/plant$ws.image"
    ./build/talc-boot --word-size $ws -o "$img" tests/lockstep/plant.st >"$work/why" 2>&1 || { not_ok "$ws-bit: talc-boot plant.st" "$work/why"; continue; }
    check "$ws-bit: the plant is real: talc-sim with the variant answers -6 bitXor: -3 wrongly" 0 '= 6, after' -- \
        build/talc-sim --variant test_fault=wrong_bitxor_of_negatives "$img" run PlantedDivergence
    check "$ws-bit: without the variant the plant image runs alike on both VMs, every safe point digested" 0 \
        'no divergence' -- $lockstep --every 1 "$img" run PlantedDivergence
    check "$ws-bit: the planted divergence is found at the first safe point after it, named, and the value that differs" 1 \
        '^talc-lockstep: divergence at bytecode [0-9]+ in PlantedDivergence class>>warmUp, pc [0-9]+$' \
        '^  differs: callers: talc [0-9a-f]+, talc-sim [0-9a-f]+$' \
        'the digest before, at bytecode [0-9]+ in PlantedDivergence class>>warmUp, agrees' \
        'narrowed with one at every safe point from bytecode' -- \
        $lockstep --variant test_fault=wrong_bitxor_of_negatives "$img" run PlantedDivergence
    fine=$(sed -n 's/^talc-lockstep: divergence at bytecode \([0-9]*\) .*/\1/p' "$work/out")
    check "$ws-bit: without narrowing, the first differing digest every 10000 bytecodes" 1 \
        '^talc-lockstep: divergence at bytecode [0-9]+ in ' -- \
        $lockstep --no-refine --variant test_fault=wrong_bitxor_of_negatives "$img" run PlantedDivergence
    coarse=$(sed -n 's/^talc-lockstep: divergence at bytecode \([0-9]*\) .*/\1/p' "$work/out")
    if [ -n "$fine" ] && [ -n "$coarse" ] && [ "$fine" -le "$coarse" ] && [ $((coarse - fine)) -lt 20000 ]; then
        ok "$ws-bit: narrowing finds an earlier safe point ($fine) than the coarse digest ($coarse)"
    else echo "fine '$fine', coarse '$coarse'" >"$work/why"; not_ok "$ws-bit: narrowing finds an earlier safe point" "$work/why"; fi
done

# ---- a VM that stops while the other goes on: the simulator fails an assertion on purpose ----
cat >"$work/failing-sim" <<EOF
#!/bin/sh
TALC_TEST_ASSERTION_FAILS_AT=200000 exec "$top/build/talc-sim" "\$@"
EOF
chmod +x "$work/failing-sim"
check "a simulator that stops (a failed check) while talc goes on is a divergence, with its report" 1 \
    'divergence after bytecode [0-9]+: talc-sim stopped \(exit status 70\) while talc went on' 'talc-sim: .*assertion failed' -- \
    $lockstep --sim "$work/failing-sim" build/talc.image test

# ---- deterministic mode ----
for vm in build/talc build/talc-sim; do
    # different file names: the image's view of its VM options leaves them out
    $vm --deterministic --digest-every 1000 --digest-file "$work/d1" build/talc.image test >/dev/null 2>&1
    $vm --deterministic --digest-file "$work/d2" --digest-every 1000 build/talc.image test >/dev/null 2>&1
    if [ "$(wc -l <"$work/d1")" -gt 1000 ] && cmp -s "$work/d1" "$work/d2"; then ok "$vm --deterministic: two runs write the same digests"
    else { wc -l "$work/d1" "$work/d2"; diff "$work/d1" "$work/d2" | head; } >"$work/why"; not_ok "$vm --deterministic: two runs write the same digests" "$work/why"; fi
done
first=$(build/talc --deterministic build/talc.image bench 100 2>&1)
if [ "$first" = "$(build/talc --deterministic build/talc.image bench 100 2>&1)" ]; then ok "--deterministic: the benchmark's figures repeat exactly"
else echo "$first" >"$work/why"; not_ok "--deterministic: the benchmark's figures repeat exactly" "$work/why"; fi
check "--deterministic: Delays wait on the virtual clock (the suite's testDelay passes in talc-sim)" 0 '^[0-9]+ passed, 0 failed' -- \
    build/talc-sim32 --deterministic build/talc32.image test

# ---- usage and failures ----
check "no image: exit 64" 64 'no image given' -- $lockstep
check "--every 0: exit 64" 64 '--every' -- $lockstep --every 0 build/talc.image
check "an unknown option: exit 64" 64 "unknown option: --frobnicate" -- $lockstep --frobnicate build/talc.image
check "--variant without =: exit 64" 64 'needs key=value' -- $lockstep --variant test_fault build/talc.image
check "--talc IMAGE: the path is missing, not taken from the image path: exit 64" 64 \
    "^talc-lockstep: --talc needs its argument before the image path \\(only 'build/talc.image' follows it\\)\$" -- $lockstep --talc build/talc.image
check "--every IMAGE: the count is missing: exit 64" 64 '--every needs its argument before the image path' -- $lockstep --every build/talc.image
check "--help: usage, exit 0" 0 '^Usage: talc-lockstep' -- $lockstep --help
check "an image that cannot be read: exit 2, both VMs' words" 2 'could not run' 'talc: .*cannot open image' -- \
    $lockstep "$work/no-such.image"
check "a VM that cannot be started: exit 2" 2 'could not run' 'cannot run /nonexistent/talc' -- \
    $lockstep --talc /nonexistent/talc build/talc.image test
check "talc --digest-every 0: exit 64" 64 'digest-every needs a positive number' -- build/talc --digest-every 0 build/talc.image
check "talc --digest-file in a missing folder: exit 64" 64 'digest-file /nonexistent/d: ' -- \
    build/talc --digest-every 10 --digest-file /nonexistent/d build/talc.image test
check "talc-sim --variant with an unknown value: exit 64, the known ones listed" 64 'test_fault=wrong_bitxor_of_negatives' -- \
    build/talc-sim --variant test_fault=nonsense build/talc.image

tap_done
