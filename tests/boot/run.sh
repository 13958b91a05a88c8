#!/bin/sh
# Talc's bootstrapper and its kernel image: build/talc-boot writes 32 and 64-bit images that
# run on talc and talc-sim with the exact expected output; a test's own class comes from an
# extra chunk file; every error case is refused at its file:line:col; two builds are
# byte-identical. TAP lines, then "N passed, N failed"; non-zero exit on any failure.
# TALC_BOOT_ASAN=0 skips the AddressSanitizer build of the bootstrapper.
part=boot; . "$(dirname "$0")/../lib/tap.sh"
# check DESC CMD...: the command succeeds (its output shown if not)
check() { desc=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$desc"; else not_ok "$desc" "$work/out" 20; fi; }

make -s build/talc-boot >/dev/null || { not_ok "build talc-boot"; tap_done; exit 1; }

# expect_run DESC VM IMAGE EXPECTED_FILE EXPECTED_STATUS ARGS...: stdout exactly, status exactly
expect_run() {
    desc=$1 vm=$2 image=$3 expected=$4 status=$5
    shift 5
    timeout 120 "$vm" "$image" "$@" >"$work/stdout" 2>"$work/stderr"
    rc=$?
    if [ "$rc" -eq "$status" ] && cmp -s "$work/stdout" "$expected"; then ok "$desc"
    else
        { echo "status $rc (expected $status)"; diff "$expected" "$work/stdout"; cat "$work/stderr"; } >"$work/why"
        not_ok "$desc" "$work/why" 20
    fi
}

printf 'Talc kernel booted\n3 + 4 = 7\n100 factorial printString size = 158\narguments: alpha beta\n' >"$work/greeting"

run_word_size() {
    ws=$1 vm=$2 sim=$3
    img="$work/k$ws.image"
    check "talc-boot --word-size $ws builds the kernel image" ./build/talc-boot --word-size "$ws" -o "$img"
    ./build/talc-boot --word-size "$ws" -o "$work/k$ws-again.image" >/dev/null 2>&1
    check "$ws-bit: two builds are byte-identical" cmp "$img" "$work/k$ws-again.image"
    check "$ws-bit: test classes added from an extra chunk file" ./build/talc-boot --word-size "$ws" -o "$work/f$ws.image" tests/boot/features.st tests/boot/failing.st
    for v in $vm $sim; do
        [ -x "$v" ] || { skip "$ws-bit on $v" "no such VM"; continue; }
        if [ "$v" = "$sim" ] && ! "$v" "$img" >/dev/null 2>"$work/probe" && grep -q 'this VM runs 32-bit images' "$work/probe"; then
            skip "$ws-bit on $(basename "$v")" "talc-sim runs 32-bit images only (so far)"
            continue
        fi
        expect_run "$ws-bit on $(basename "$v"): kernel greeting with the image arguments" "$v" "$img" "$work/greeting" 0 alpha beta
        expect_run "$ws-bit on $(basename "$v"): run BootFeatures (the compiler's features)" "$v" "$work/f$ws.image" tests/boot/features.expected 0 run BootFeatures
        printf 'before\n' >"$work/before"
        expect_run "$ws-bit on $(basename "$v"): an unhandled error exits 1" "$v" "$work/f$ws.image" "$work/before" 1 run BootFailing
        if grep -q '^Error: nil does not understand #frobnicate$' "$work/stderr" && grep -q 'BootFailing class>>main' "$work/stderr"
        then ok "$ws-bit on $(basename "$v"): the error and its stack on stderr"
        else not_ok "$ws-bit on $(basename "$v"): the error and its stack on stderr" "$work/stderr" 20; fi
        : >"$work/empty"
        expect_run "$ws-bit on $(basename "$v"): run of an unknown class exits 2" "$v" "$img" "$work/empty" 2 run NoSuchClass
    done
}

# build/talc is the 64-bit VM (the default flavour); it hands a 32-bit image to its sibling
run_word_size 32 build/talc build/talc-sim
run_word_size 64 build/talc build/talc-sim

# image formats: 6521 (32-bit), 68021 (64-bit, the default word size)
./build/talc-boot -o "$work/default.image" >/dev/null 2>&1
fmt() { od -An -tu4 -N4 "$1" | tr -d ' '; }
[ "$(fmt "$work/k32.image")" = 6521 ] && ok "32-bit image format 6521" || not_ok "32-bit image format 6521"
[ "$(fmt "$work/default.image")" = 68021 ] && ok "default image is 64-bit (68021)" || not_ok "default image is 64-bit (68021)"
check "the default build is the --word-size 64 build" cmp "$work/default.image" "$work/k64.image"
check "--kernel DIR gives the same image" ./build/talc-boot --kernel image/kernel -o "$work/kdir.image"
check "--kernel DIR: identical" cmp "$work/kdir.image" "$work/k64.image"
# shellcheck disable=SC2046
check "--no-kernel with the kernel's files given builds the same image" ./build/talc-boot --no-kernel -o "$work/nok.image" $(ls image/kernel/*.st | sort)
check "--no-kernel: identical" cmp "$work/nok.image" "$work/k64.image"
./build/talc-boot --no-kernel -o "$work/none.image" tests/boot/failing.st >"$work/out" 2>&1
if [ $? -ne 0 ] && grep -q 'error: unknown superclass' "$work/out" && [ ! -e "$work/none.image" ]; then ok "--no-kernel alone: the missing kernel is an error"
else not_ok "--no-kernel alone: the missing kernel is an error" "$work/out" 20; fi

# inst vars: the long forms (0xE2 push, 0xF0 pop into) in the methods of classes whose instances
# may be Contexts (Context, its superclasses, its subclasses): Open-Smalltalk-VM translates only
# those for a context married to a frame; the short forms elsewhere
cat >"$work/ctx.st" <<'ST'
Context variableSubclass: #BootSubContext
	instanceVariableNames: 'extra'
	classVariableNames: ''
	poolDictionaries: ''
	category: 'Boot-Tests'!

!BootSubContext methodsFor: 'tests'!
bootSubSender
	^sender!
bootSubExtra: x
	extra := x! !

!InstructionStream methodsFor: 'tests'!
bootStreamPc
	^pc! !
ST
dump() { TALC_BOOT_DUMP=$1 ./build/talc-boot -o "$work/dump.image" "$work/ctx.st" 2>&1 >/dev/null | sed -n "${2:-2}p"; }
expect_code() {
    if [ "$(dump "$2" "${4:-2}")" = "$3" ]; then ok "$1"; else echo "got: $(dump "$2" "${4:-2}")" >"$work/why"; not_ok "$1" "$work/why" 20; fi
}
expect_code "Context>>sender pushes its inst var with the long form" sender "e2 00 5c 00 "
expect_code "Context>>terminate stores its inst vars with the long form" terminate "4f f0 00 4f f0 01 58 00 "
expect_code "a subclass of Context: the long forms" bootSubSender "e2 00 5c 00 "
expect_code "a subclass of Context: the long store of its own inst var" bootSubExtra: "40 f0 06 58 00 "
expect_code "a superclass of Context (InstructionStream): the long forms" bootStreamPc "e2 01 5c 00 "
expect_code "Link>>nextLink (not a context class): the short form" nextLink "00 5c 00 "
expect_code "Link>>nextLink: (not a context class): the short store" nextLink: "40 c8 58 00 "

# every error of a run listed at its file:line:col, non-zero exit, no image
boot_errors() {
    "$1" --kernel image/kernel --word-size 32 -o "$work/bad.image" tests/boot/errors/bad1.st tests/boot/errors/bad2.st >"$work/stdout" 2>"$work/stderr"
    rc=$?
    if [ "$rc" -eq 1 ] && [ ! -e "$work/bad.image" ] && cmp -s "$work/stderr" tests/boot/errors/expected.txt; then ok "$2"
    else { echo "status $rc"; diff tests/boot/errors/expected.txt "$work/stderr"; } >"$work/why"; not_ok "$2" "$work/why" 20; fi
}
boot_errors ./build/talc-boot "errors: all listed, exit 1, no image written"
while IFS= read -r line; do
    case $line in talc-boot:*) continue ;; esac
    what=$(echo "$line" | sed 's/^[^ ]* error: //')
    if grep -qxF "$line" "$work/stderr"; then ok "error case: $what"; else not_ok "error case: $what"; fi
done <tests/boot/errors/expected.txt

# more error cases: assignment to a pseudo-variable, radix errors, an unfinished expression, an
# unterminated string (each with the parser's recovery error where it has one)
./build/talc-boot --kernel image/kernel --word-size 64 -o "$work/bad3.image" tests/boot/errors/bad3.st >/dev/null 2>"$work/stderr3"
if [ $? -eq 1 ] && [ ! -e "$work/bad3.image" ] && cmp -s "$work/stderr3" tests/boot/errors/expected3.txt; then ok "errors (bad3.st): all listed, exit 1, no image written"
else { diff tests/boot/errors/expected3.txt "$work/stderr3"; } >"$work/why"; not_ok "errors (bad3.st): all listed, exit 1, no image written" "$work/why" 20; fi
while IFS= read -r line; do
    case $line in talc-boot:*|*"expression expected"*) continue ;; esac
    what=$(echo "$line" | sed 's/^[^ ]* error: //')
    if grep -qxF "$line" "$work/stderr3"; then ok "error case: $what"; else not_ok "error case: $what"; fi
done <tests/boot/errors/expected3.txt

# the bootstrapper under AddressSanitizer (and UBSan)
if [ "${TALC_BOOT_ASAN:-1}" != 0 ] && cc -fsanitize=address,undefined -x c -o "$work/asan-probe" - <<'C' >/dev/null 2>&1
int main(void) { return 0; }
C
then
    if cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
          -o "$work/talc-boot-asan" image/boot/*.c -lm >"$work/out" 2>&1; then
        export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1
        check "ASan: 32-bit kernel and test classes" "$work/talc-boot-asan" --kernel image/kernel --word-size 32 -o "$work/asan32.image" tests/boot/features.st tests/boot/failing.st
        check "ASan: 64-bit kernel" "$work/talc-boot-asan" --kernel image/kernel -o "$work/asan64.image"
        check "ASan: same image as the plain build" cmp "$work/asan64.image" "$work/k64.image"
        boot_errors "$work/talc-boot-asan" "ASan: the error cases"
    else
        not_ok "ASan build of talc-boot" "$work/out" 20
    fi
else
    skip "ASan build of talc-boot" "no sanitizer support"
fi

tap_done
