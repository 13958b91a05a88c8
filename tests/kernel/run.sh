#!/bin/sh
# The kernel image's own test suite (image/kernel/85-KernelTests.st and the SUnit of
# 80-SUnit.st) on build/talc and build/talc-sim, 32 and 64-bit: every test passes; a test's own
# TestCase added from an extra chunk file runs by name and its failures are reported with their
# reasons and a non-zero status; the main job (no arguments) and bench print their figures; an
# unhandled error prints its description and stack on stderr and exits 1.
# TAP lines, then "N passed, N failed"; non-zero exit on any failure.
part=kernel; . "$(dirname "$0")/../lib/tap.sh"

make -s build/talc-boot >/dev/null || { not_ok "build talc-boot"; tap_done; exit 1; }

# run DESC STATUS VM IMAGE ARGS...: the exit status must be STATUS; output in $work/stdout, stderr
run() {
    desc=$1 status=$2
    shift 2
    timeout 300 "$@" >"$work/stdout" 2>"$work/stderr"
    rc=$?
    if [ "$rc" -eq "$status" ]; then return 0; fi
    { echo "status $rc (expected $status)"; cat "$work/stdout" "$work/stderr"; } >"$work/why"
    not_ok "$desc" "$work/why" 30
    return 1
}
# has DESC PATTERN FILE: a line of FILE matches the extended regular expression
has() { if grep -Eq "$2" "$3"; then ok "$1"; else { echo "no line matching: $2"; cat "$3"; } >"$work/why"; not_ok "$1" "$work/why" 30; fi; }

for ws in 64 32; do
    img="$work/kernel$ws.image" extra="$work/extra$ws.image"
    if ./build/talc-boot --word-size "$ws" -o "$img" >"$work/out" 2>&1 && \
       ./build/talc-boot --word-size "$ws" -o "$extra" tests/kernel/extra.st >>"$work/out" 2>&1
    then ok "$ws-bit: kernel image and kernel + tests/kernel/extra.st"
    else not_ok "$ws-bit: kernel image and kernel + tests/kernel/extra.st" "$work/out" 30; continue; fi
    for vm in build/talc build/talc-sim; do
        v="$ws-bit on $(basename "$vm")"
        [ -x "$vm" ] || { skip "$v" "no $vm"; continue; }
        if run "$v: the whole in-image suite passes" 0 "$vm" "$img" test; then
            if grep -Eq '^[0-9]+ passed, 0 failed$' "$work/stdout" && ! grep -q '^FAIL' "$work/stdout"
            then ok "$v: the whole in-image suite passes ($(tail -1 "$work/stdout"))"
            else not_ok "$v: the whole in-image suite passes" "$work/stdout" 30; fi
        fi
        if run "$v: test ExtraPassingTest (a class from an extra chunk file)" 0 "$vm" "$extra" test ExtraPassingTest; then
            has "$v: test ExtraPassingTest (a class from an extra chunk file)" '^2 passed, 0 failed$' "$work/stdout"
        fi
        if run "$v: failing tests exit 1" 1 "$vm" "$extra" test ExtraFailingTest IntegerTest; then
            ok "$v: failing tests exit 1"
            has "$v: a failure's reason" '^FAIL ExtraFailingTest>>#testAssertEquals: expected 8 but got 7$' "$work/stdout"
            has "$v: an error's reason" '^FAIL ExtraFailingTest>>#testError: MessageNotUnderstood: nil does not understand #frobnicate$' "$work/stdout"
            # IntegerTest's own count, plus ExtraFailingTest's one passing test
            ints=$("$vm" "$img" test IntegerTest 2>/dev/null | sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p')
            has "$v: the summary counts the named classes' tests" "^$((${ints:-0} + 1)) passed, 2 failed\$" "$work/stdout"
        fi
        run "$v: test of an unknown class exits 2" 2 "$vm" "$img" test NoSuchTest && ok "$v: test of an unknown class exits 2"
        if run "$v: an unhandled error exits 1" 1 "$vm" "$extra" run ExtraUnhandled; then
            ok "$v: an unhandled error exits 1"
            has "$v: the error's description on stderr" '^Error: unhandled here$' "$work/stderr"
            has "$v: the stack on stderr" 'ExtraUnhandled class>>main' "$work/stderr"
        fi
        if run "$v: bench" 0 "$vm" "$img" bench 50; then
            has "$v: bench prints bytecodes/sec and sends/sec" '^tinyBenchmarks: [0-9]+ bytecodes/sec; [0-9]+ sends/sec$' "$work/stdout"
        fi
    done
    # the main job, on the production VM: banner, test summary, benchmark
    if [ -x build/talc ] && run "$ws-bit: the main job (no image arguments) exits 0" 0 build/talc "$img"; then
        has "$ws-bit main job: banner with version, flavour and word size" "^Talc [0-9.]+ stack-spur$ws \\($ws-bit\\)" "$work/stdout"
        has "$ws-bit main job: the test summary" '^[0-9]+ passed, 0 failed$' "$work/stdout"
        has "$ws-bit main job: the benchmark" '^tinyBenchmarks: [0-9]+ bytecodes/sec; [0-9]+ sends/sec$' "$work/stdout"
    fi
done

tap_done
