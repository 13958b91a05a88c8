#!/bin/sh
# talc-sim on corrupt bytecodes: the run ends in a checked-access report naming the spec's
# file:line and the object involved, with exit status 70, never a signal.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
image=../shared/images/headless.image
[ -f "$image" ] || { echo "1..0 # SKIP ../shared/images not present"; echo "0 passed, 0 failed"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-checked.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
n=0 passed=0 failed=0
check() { n=$((n+1)); if [ "$1" = yes ]; then passed=$((passed+1)); echo "ok $n - $2"; else failed=$((failed+1)); echo "not ok $n - $2"; sed 's/^/# /' "$work/err" | head -12; fi; }

${CC:-cc} -std=c11 -Wall -Wextra -O2 -o "$work/corrupt" tests/tools/corrupt_startup.c || { echo "Bail out! cannot build corrupt_startup"; exit 1; }
# 0x3F pushes literal 31 (slot 32) of a method with far fewer literals; 0x0F pushes inst var 15 of the receiver
for case in "0x3F:slot 32 of object" "0x0F:slot 15 of object"; do
    byte=${case%%:*} what=${case#*:}
    "$work/corrupt" "$image" "$work/bad.image" "$byte" >/dev/null
    timeout 20 build/talc-sim "$work/bad.image" >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 70 ]; then check yes "bytecode $byte: exit status 70"; else check no "bytecode $byte: exit status $rc (want 70, no signal)"; fi
    if grep -qE "^talc-sim: vmspec/[a-z_]+\.c:[0-9]+: checked access failed: $what 0x[0-9a-f]+" "$work/err"; then
        check yes "bytecode $byte: the report names the spec file:line and the object"; else check no "bytecode $byte: report names file:line and object"; fi
    if grep -qE "^  object 0x[0-9a-f]+: class index [0-9]+" "$work/err" && grep -q "interpreter:" "$work/err"; then
        check yes "bytecode $byte: the object and the interpreter's state are described"; else check no "bytecode $byte: object and state described"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
