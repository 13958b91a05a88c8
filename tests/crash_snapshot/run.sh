#!/bin/sh
# Crash snapshots: talc writes the running system at a chosen point (--snapshot-at N FILE,
# --snapshot-on-method 'Class>>selector' FILE, or a failed assertion of an assert flavour) and,
# for the first two, goes on undisturbed; talc-sim resumes the snapshot exactly there. On the
# kernel image's test suite at both word sizes: the original's output is unchanged, the resumed
# run ends with the same output, and in deterministic mode the resumed simulator's digests are
# the original's after the snapshot, value for value. Bad options exit 64; a snapshot that cannot
# be written or never comes is reported and changes nothing else.
# TAP lines, then "N passed, N failed".
part=crash; . "$(dirname "$0")/../lib/tap.sh"

# run COMMAND...: stdout in $work/out, stderr in $work/err, status in $rc
run() { timeout 300 "$@" >"$work/out" 2>"$work/err"; rc=$?; { echo "status $rc: $*"; cat "$work/out" "$work/err"; } >"$work/why"; }
# expect DESC STATUS EXPECTED-STDOUT [STDERR-PATTERN]: after run
expect() {
    if [ "$rc" -eq "$2" ] && [ "$(cat "$work/out")" = "$3" ] && { [ -z "${4:-}" ] || grep -Eq -- "$4" "$work/err"; }; then ok "$1"
    else { echo "expected status $2, stdout: $3"; [ -n "${4:-}" ] && echo "stderr matching: $4"; } >>"$work/why"; not_ok "$1" "$work/why"; fi
}
# the digests of file $1 after bytecode $2, without the header
after() { grep -v '^#' "$1" | awk -v s="$2" '$1 > s'; }

make -s build/talc-boot >/dev/null || { echo "not ok 1 - build"; echo "0 passed, 1 failed"; exit 1; }

for ws in 64 32; do
    if [ $ws = 64 ]; then vm=build/talc sim=build/talc-sim img=build/talc.image
    else vm=build/stack-spur32/talc sim=build/talc-sim32 img=build/talc32.image; fi
    run $vm "$img" test
    whole=$(cat "$work/out")
    [ "$rc" -eq 0 ] && [ -n "$whole" ] && ok "$ws-bit: the uninterrupted test suite" || not_ok "$ws-bit: the uninterrupted test suite" "$work/why"

    # ---- --snapshot-at in the middle of the test suite ----
    snap="$work/at$ws.image"
    run $vm --snapshot-at 1000000 "$snap" "$img" test
    expect "$ws-bit: --snapshot-at: the original goes on, its output unchanged, and says where it wrote" 0 "$whole" \
        "crash snapshot written to $snap at bytecode [0-9]+ \(--snapshot-at 1000000\)"
    run $sim "$snap" test
    expect "$ws-bit: talc-sim resumes the snapshot and the rest of the run is the same" 0 "$whole"
    run $vm "$snap" test
    expect "$ws-bit: talc resumes it too" 0 "$whole"
    run $vm --check-image "$snap"
    if [ "$rc" -eq 0 ] && grep -q "^$snap: a crash snapshot (--snapshot-at) taken after 100[0-9][0-9][0-9][0-9] bytecodes" "$work/out"; then
        ok "$ws-bit: --check-image names a crash snapshot and its bytecode count"
    else not_ok "$ws-bit: --check-image names a crash snapshot and its bytecode count" "$work/why"; fi
    run $vm --save-as "$work/again$ws.image" "$snap"
    cmp -s "$snap" "$work/again$ws.image" && ok "$ws-bit: a crash snapshot loaded and written again is byte-identical (its trailer kept)" ||
        not_ok "$ws-bit: a crash snapshot loaded and written again is byte-identical" "$work/why"

    # ---- exactness: deterministic, the digests after the snapshot are the resumed run's ----
    run $vm --deterministic --snapshot-at 3000000 "$snap" --digest-every 1000 --digest-file "$work/orig" "$img" test
    at=$(sed -n 's/.* at bytecode \([0-9]*\) .*/\1/p' "$work/err")
    run $sim --deterministic --digest-every 1000 --digest-file "$work/resumed" "$snap" test
    after "$work/orig" "${at:-0}" >"$work/orig.after"
    grep -v '^#' "$work/resumed" >"$work/resumed.all"
    if [ -n "$at" ] && [ "$(wc -l <"$work/resumed.all")" -gt 100 ] && cmp -s "$work/orig.after" "$work/resumed.all"; then
        ok "$ws-bit: deterministic: the resumed simulator's $(wc -l <"$work/resumed.all") digests are the original's after bytecode $at"
    else { echo "snapshot at '$at'"; diff "$work/orig.after" "$work/resumed.all" | head -5; } >"$work/why"
        not_ok "$ws-bit: deterministic: the resumed simulator's digests are the original's after the snapshot" "$work/why"; fi

    # ---- --snapshot-on-method ----
    run $vm --snapshot-on-method 'ProcessTest>>testDelay' "$snap" "$img" test
    expect "$ws-bit: --snapshot-on-method: written on entering the method, the original unchanged" 0 "$whole" \
        "crash snapshot written to $snap at bytecode [0-9]+, entering ProcessTest>>testDelay"
    run $sim "$snap" test
    expect "$ws-bit: talc-sim resumes it inside ProcessTest>>testDelay and the rest is the same" 0 "$whole"
    # entered exactly: the digest at the snapshot's safe point is at the method's first bytecode,
    # and the resumed simulator's digests are the original's after it
    run $vm --deterministic --snapshot-on-method 'ProcessTest>>testDelay' "$snap" --digest-every 10000 --digest-file "$work/orig" "$img" test
    at=$(sed -n 's/.* at bytecode \([0-9]*\),.*/\1/p' "$work/err")
    first=$($vm --deterministic --digest-every 1 --digest-from "${at:-1}" --digest-fd 3 --snapshot-on-method 'ProcessTest>>testDelay' \
        "$work/again.image" "$img" test 3>&1 >/dev/null 2>/dev/null | grep -v '^#' | head -1)
    run $sim --deterministic --digest-every 10000 --digest-file "$work/resumed" "$snap" test
    after "$work/orig" "${at:-0}" >"$work/orig.after"
    grep -v '^#' "$work/resumed" >"$work/resumed.all"
    case "$first" in
    "$at "*" ProcessTest>>testDelay")
        if cmp -s "$work/orig.after" "$work/resumed.all" && [ -s "$work/resumed.all" ]; then
            ok "$ws-bit: the snapshot is taken at ProcessTest>>testDelay's first safe point and resumed there, digest for digest"
        else diff "$work/orig.after" "$work/resumed.all" | head -5 >"$work/why"; not_ok "$ws-bit: resumed at the method's entry, digest for digest" "$work/why"; fi ;;
    *) echo "first digest: $first (snapshot at $at)" >"$work/why"; not_ok "$ws-bit: the snapshot is taken on entering the method" "$work/why" ;;
    esac
    run $vm --snapshot-on-method 'TestCase class>>allTestClasses' "$snap" "$img" test
    expect "$ws-bit: --snapshot-on-method a class-side method" 0 "$whole" 'entering TestCase class>>allTestClasses'
    run $sim "$snap" test
    expect "$ws-bit: ... resumed by talc-sim" 0 "$whole"

    # ---- a snapshot that cannot be written, or never comes ----
    run $vm --snapshot-at 1000000 /nonexistent/dir/x.image "$img" test
    expect "$ws-bit: an unwritable crash snapshot is reported and the run goes on" 0 "$whole" \
        'could not write the crash snapshot /nonexistent/dir/x.image'
    rm -f "$work/never.image"
    run $vm --snapshot-at 999999999999 "$work/never.image" "$img" test
    [ ! -e "$work/never.image" ] && rc2=0 || rc2=1
    expect "$ws-bit: a count never reached: said at the end, no file" $((rc + rc2)) "$whole" 'the image quit after [0-9]+ bytecodes, before that; no crash snapshot'
    run $vm --snapshot-on-method 'Nothing>>never' "$work/never.image" "$img" test
    expect "$ws-bit: a method never entered: said at the end" 0 "$whole" 'Nothing>>never: the method was never entered; no crash snapshot'
done

# ---- output in the middle: the resumed run prints exactly the rest ----
./build/talc-boot -o "$work/progress.image" tests/crash_snapshot/progress.st >"$work/why" 2>&1 || not_ok "talc-boot progress.st" "$work/why"
run build/talc "$work/progress.image" run Progress
cp "$work/out" "$work/progress.whole"
run build/talc --snapshot-at 3000000 "$work/p.image" "$work/progress.image" run Progress
cmp -s "$work/out" "$work/progress.whole" && ok "progress: the original's output is unchanged" || not_ok "progress: the original's output is unchanged" "$work/why"
run build/talc-sim "$work/p.image" run Progress
lines=$(wc -l <"$work/out")
if [ "$lines" -gt 5 ] && [ "$lines" -lt 28 ] && tail -n "$lines" "$work/progress.whole" | cmp -s - "$work/out"; then
    ok "progress: talc-sim prints exactly the last $lines of the 30 lines"
else { echo "resumed output:"; cat "$work/out"; } >"$work/why"; not_ok "progress: talc-sim prints exactly the rest of the lines" "$work/why"; fi

# ---- a failed assertion in an assert flavour (32-bit): the test-only assertion at the first safe
# point from bytecode 500000 (how soon that comes depends on the kernel's code: within 1000) ----
if make -s FLAVOUR=stack-spur32-assert >"$work/why" 2>&1; then
    cp build/talc32.image "$work/a.image"
    run build/talc-sim32 build/talc32.image test
    whole=$(cat "$work/out")
    run env TALC_TEST_ASSERTION_FAILS_AT=500000 build/stack-spur32-assert/talc "$work/a.image" test
    expect "assert flavour: the assertion fails, the state is written to IMAGE-assert-crash.image, exit 70" 70 "" \
        "the state at the failed assertion was written to $work/a-assert-crash.image \(bytecode 500[0-9][0-9][0-9]\); talc-sim32"
    grep -q 'assertion failed: .* (after 500[0-9][0-9][0-9] bytecodes)' "$work/err" && ok "assert flavour: the failure names its bytecode count" ||
        not_ok "assert flavour: the failure names its bytecode count" "$work/why"
    run build/talc-sim32 "$work/a-assert-crash.image" test
    expect "assert flavour: talc-sim32 resumes the state at the assertion and the run ends as an uninterrupted one" 0 "$whole"
    run env TALC_TEST_ASSERTION_FAILS_AT=500000 build/stack-spur32-assert/talc --assert-snapshot "$work/named.image" "$work/a.image" test
    expect "assert flavour: --assert-snapshot names the file" 70 "" "written to $work/named.image"
    run env TALC_TEST_ASSERTION_FAILS_AT=500000 build/stack-spur32-assert/talc --assert-snapshot /nonexistent/x.image "$work/a.image" test
    expect "assert flavour: an unwritable assertion snapshot is reported, exit 70" 70 "" 'could not write the crash snapshot /nonexistent/x.image'
    rm -f "$work/a-assert-crash.image"
    run env TALC_TEST_ASSERTION_FAILS_AT=500000 build/stack-spur32/talc "$work/a.image" test
    [ ! -e "$work/a-assert-crash.image" ] && rc2=0 || rc2=1
    expect "a flavour without assertions has no such assertion and writes nothing" $((rc + rc2)) "$whole"
else
    not_ok "make FLAVOUR=stack-spur32-assert" "$work/why"
fi

# ---- bad options ----
for args in "--snapshot-at" "--snapshot-at 0 $work/x.image" "--snapshot-at 12" "--snapshot-at x $work/x.image" \
            "--snapshot-on-method Foo $work/x.image" "--snapshot-on-method Foo>>bar" "--assert-snapshot"; do
    # shellcheck disable=SC2086
    run build/talc $args
    expect "talc $args: exit 64 with one line" 64 "" "^talc: --(snapshot-at|snapshot-on-method|assert-snapshot) "
done

tap_done
