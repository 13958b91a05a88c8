#!/bin/sh
# Sista V1: headless.image re-encoded from V3PlusClosures into Sista V1 by tests/tools/sista_convert
# (header sign bit set) must print the same three lines on build/talc and build/talc-sim.
# --self-test adds System class>>sistaSelfTest, hand-assembled Sista run first by the start-up
# DoIt, for what the start-up methods do not reach (extB integers/characters, long jumps with
# extB, full blocks with copied values, receiver on stack, outer context nil, a non-local return
# through two block frames, 0xFA closures, temp vectors, ~~, thisContext); it logs
# 'sista self-test ok'. Controls: with the sign bit left clear the converted image must fail, and
# a self-test with a wrong expectation must report its failure. If the compiler can instrument
# functions, a coverage build of the simulator shows which Sista routines really ran.
# TAP on stdout, then "N passed, N failed". Skips cleanly without ../shared/images.
part=sista; . "$(dirname "$0")/../lib/tap.sh"
image=../shared/images/headless.image
[ -f "$image" ] || skip_all "../shared/images not present"
CC=${CC:-cc}

printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7\n' >"$work/three"
{ echo 'sista self-test ok'; cat "$work/three"; } >"$work/four"

if ! $CC -std=c11 -Wall -Wextra -O2 -o "$work/sista_convert" tests/tools/sista_convert.c 2>"$work/cc.err"; then
    not_ok "build tests/tools/sista_convert.c" "$work/cc.err" "$(wc -l <"$work/cc.err")"
    tap_done; exit 1
fi

# convert NAME OPTIONS...: writes $work/NAME.image, checks the tool's report
convert() {
    name=$1; shift
    if ! "$work/sista_convert" -v "$@" "$image" "$work/$name.image" >"$work/$name.report" 2>&1; then
        not_ok "sista_convert $* ($name)" "$work/$name.report" -5; return 1
    fi
    summary=$(tail -1 "$work/$name.report")
    echo "# $name: $summary"
}

# expect NAME EXPECTED-FILE: both VMs print exactly that and exit 0
expect() {
    for vm in build/talc build/talc-sim; do
        if [ ! -x "$vm" ]; then not_ok "$1 on $vm (not built: run make)" ""; continue; fi
        cp "$work/$1.image" "$work/run.image"
        timeout 60 "$vm" "$work/run.image" >"$work/out" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && cmp -s "$work/out" "$2" && [ ! -s "$work/err" ]; then
            ok "$1 on $vm"
        else
            { diff "$2" "$work/out" | head -10; head -5 "$work/err" | sed 's/^/stderr: /'; } >"$work/why"
            not_ok "$1 on $vm (exit $rc)" "$work/why" 15
        fi
    done
}

count() { sed -n 's/^converted \([0-9]*\) methods.*/\1/p' "$work/$1.report" | tail -1; }

# 1. every method, shortest encodings; the start-up method must be among the converted
if convert all --select all; then
    c=$(count all)
    if [ "${c:-0}" -gt 0 ] && grep -q '^startup method .*: converted$' "$work/all.report"; then
        ok "all: $c methods converted, the start-up method UndefinedObject>>DoIt among them"
    else
        not_ok "all: converted ${c:-?} methods, start-up method not converted" ""
    fi
    grep '^kept ' "$work/all.report" | sed 's/^/# not convertible: /'
    expect all "$work/three"
fi

# 2. mixed sets: every other method converted, the rest left in V3PlusClosures
for sel in even odd; do
    convert "mixed-$sel" --select $sel && expect "mixed-$sel" "$work/three"
done

# 3. extended forms everywhere (extA/extB prefixes, 0xEA sends, directed super sends)
convert wide --wide && expect wide "$work/three"

# 4. embedded blocks as CompiledBlocks and FullBlockClosures (0xF9)
convert full --full-blocks --wide && expect full "$work/three"

# 5. the self-test, with the start-up methods converted too (narrow and wide/full)
convert selftest --self-test && expect selftest "$work/four"
convert selftest-wide --self-test --wide && expect selftest-wide "$work/four"

# 6. controls: sign bit clear (the set must not be Sista then), and a self-test that must fail
if convert nosign --no-sign-bit; then
    for vm in build/talc build/talc-sim; do
        cp "$work/nosign.image" "$work/run.image"
        timeout 60 "$vm" "$work/run.image" >"$work/out" 2>"$work/err"
        rc=$?
        if [ $rc -ne 0 ] || ! cmp -s "$work/out" "$work/three"; then
            ok "control: Sista code under a clear sign bit fails on $vm (exit $rc)"
        else
            not_ok "control: Sista code under a clear sign bit still printed the three lines on $vm" ""
        fi
    done
fi
if convert broken --break-check; then
    for vm in build/talc build/talc-sim; do
        cp "$work/broken.image" "$work/run.image"
        timeout 60 "$vm" "$work/run.image" >"$work/out" 2>"$work/err"
        if [ "$(head -1 "$work/out")" = "sista self-test failed at 1" ]; then
            ok "control: a wrong expectation in the self-test is reported on $vm"
        else
            not_ok "control: broken self-test on $vm said: $(head -1 "$work/out")" ""
        fi
    done
fi

# 7. coverage: which Sista routines ran (a simulator built with -finstrument-functions)
cov=$work/talc-sim-cov
if $CC -std=c11 -D_GNU_SOURCE -O1 -finstrument-functions -rdynamic -DTALC_SIM -DTALC_FLAVOUR='"sim-cov"' \
       $(pkg-config --cflags lua5.4 2>/dev/null) -Iplatforms -Ivmspec -o "$cov" vmspec/*.c platforms/sim/*.c \
       $(ls platforms/*.c | grep -v 'platforms/memory.c') tests/tools/sista_cov.c \
       $(pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4) -ldl -lm 2>"$work/cov.err"; then
    : >"$work/cov.all"
    for img in selftest selftest-wide full; do
        [ -f "$work/$img.image" ] || continue
        cp "$work/$img.image" "$work/run.image"
        TALC_COV_OUT="$work/cov.txt" timeout 120 "$cov" "$work/run.image" >/dev/null 2>&1
        cat "$work/cov.txt" >>"$work/cov.all" 2>/dev/null
    done
    ran=$(awk '$2 ~ /^sista/ && $2 ~ /Bytecode$/ { c[$2] += $1 } END { for (f in c) printf "%s ", f }' "$work/cov.all")
    echo "# Sista routines run: $ran"
    missing=""
    for f in sistaExtABytecode sistaExtBBytecode sistaExtPushIntegerBytecode sistaExtPushCharacterBytecode \
             sistaExtJumpBytecode sistaExtJumpIfTrueBytecode sistaExtJumpIfFalseBytecode sistaNopBytecode \
             sistaPushFullClosureBytecode pushFullClosure nonLocalReturn sistaPushClosureBytecode \
             sistaPushRemoteTempBytecode sistaStoreRemoteTempBytecode sistaPopIntoRemoteTempBytecode \
             sistaExtSendBytecode sistaExtSendSuperBytecode directedSuperSendSelector sistaPushPseudoVariableBytecode \
             sistaSpecialSelectorBytecode sistaArithmeticSelectorBytecode sistaSendLiteralSelectorBytecode \
             sistaPushTemporaryVariableBytecode sistaLongPushTemporaryVariableBytecode sistaLongStoreTemporaryVariableBytecode \
             sistaExtPushLiteralConstantBytecode sistaExtPushLiteralVariableBytecode sistaExtPushReceiverVariableBytecode \
             sistaExtPopIntoReceiverVariableBytecode sistaPushNewArrayBytecode sistaReturnTopFromBlockBytecode; do
        grep -q " $f\$" "$work/cov.all" || missing="$missing $f"
    done
    if [ -z "$missing" ]; then ok "coverage: every required Sista routine ran"
    else not_ok "coverage: never ran:$missing" ""; fi
else
    echo "# coverage build not possible with $CC: skipped"; sed 's/^/# /' "$work/cov.err" | head -3
fi

tap_done
