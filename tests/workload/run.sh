#!/usr/bin/env bash
# The workload image (tests/tools/workload.c: headless.image with hand-assembled TalcBench methods run
# by the start-up DoIt: SmallInteger loops, sends, a recursive fib, recursion thousands of frames
# deep (stack pages overflow, frames are divorced into contexts), non-local returns, closures,
# Array at:/at:put:, instance variables, process switches through the yield primitive) must print
# the checksum the tool computed in C, then the image's own three lines, exactly, on build/talc
# (flattened, computed goto), a switch-dispatch build, an untransformed (--plain) build and
# build/talc-sim. A short run here; tests/bench.sh runs the long one.
# TAP on stdout, then "N passed, N failed". Skips cleanly without ../shared/images.
part=workload; . "$(dirname "$0")/../lib/tap.sh"
image=../shared/images/headless.image
[ -f "$image" ] || skip_all "../shared/images not present"
CC=${CC:-cc}

for cc in gcc clang; do
    command -v $cc >/dev/null || continue
    $cc -std=c11 -Wall -Wextra -Werror -O2 -o "$work/workload-$cc" tests/tools/workload.c 2>"$work/cc.err" &&
        ok "tests/tools/workload.c builds -Wall -Wextra -Werror ($cc)" || not_ok "workload.c builds ($cc)" "$work/cc.err" 20
done
tool=$(ls "$work"/workload-* 2>/dev/null | head -1)
[ -n "$tool" ] || { tap_done; exit 1; }

# deep 20000: about 20000 frames of ~40 bytes, over twice the 32 pages of 8 KiB
args="--loop 30000 --fib 18 --deep 20000 --deep-repeat 3 --nlr 20000 --yield 5000"
"$tool" $args "$image" "$work/w.image" >"$work/tool.out" 2>&1 || { not_ok "workload tool" "$work/tool.out" 20; tap_done; exit 1; }
sed -n 's/^expected: //p' "$work/tool.out" >"$work/expected"
printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7\n' >>"$work/expected"
echo "# $(tr '\n' ' ' <"$work/tool.out")"
# the tool's two builds agree
[ -z "$(ls "$work"/workload-clang 2>/dev/null)" ] || { "$work/workload-clang" $args "$image" "$work/w2.image" >/dev/null && cmp -s "$work/w.image" "$work/w2.image"; } &&
    ok "the workload image is the same bytes from either build of the tool" || not_ok "workload image deterministic" ""

# builds: the committed generated/ (goto, switch) and an untransformed translation
plat=$(ls platforms/*.c)
flags="-std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -Iplatforms"
builds="talc sim"
# the 32-bit VMs make builds (build/talc and build/talc-sim when 32-bit is the default word size)
goto_vm=build/talc; [ -x build/stack-spur32/talc ] && goto_vm=build/stack-spur32/talc
sim_vm=build/talc-sim; [ -x build/talc-sim32 ] && sim_vm=build/talc-sim32
if $CC $flags -DTALC_SWITCH_DISPATCH -o "$work/talc-switch" generated/stack-spur32/interp.c $plat -lm 2>"$work/cc.err"; then
    builds="$builds switch"; else not_ok "switch build compiles" "$work/cc.err" 20; fi
if ./build/talc-translate --plain --flavour vmspec/flavours/stack-spur32.lua -o "$work/plain" vmspec 2>"$work/cc.err" &&
    $CC $flags -o "$work/talc-plain" "$work/plain/interp.c" $plat -lm 2>"$work/cc.err"; then
    builds="$builds plain"; else not_ok "--plain build" "$work/cc.err" 20; fi
for b in $builds; do
    case $b in talc) vm=$goto_vm ;; sim) vm=$sim_vm ;; *) vm="$work/talc-$b" ;; esac
    if [ ! -x "$vm" ]; then not_ok "workload on $vm (not built: run make)" ""; continue; fi
    cp "$work/w.image" "$work/run.image"
    timeout 120 "$vm" "$work/run.image" >"$work/out" 2>"$work/err"; rc=$?
    if [ $rc -eq 0 ] && cmp -s "$work/out" "$work/expected" && [ ! -s "$work/err" ]; then
        ok "workload on $b ($vm): $(head -1 "$work/out")"
    else
        { echo "exit $rc"; diff "$work/expected" "$work/out"; head -5 "$work/err"; } >"$work/why"
        not_ok "workload on $b ($vm)" "$work/why" 20
    fi
done
# a control: a different iteration count gives a different checksum, so the line is not constant
"$tool" --loop 30001 --fib 18 --deep 20000 --deep-repeat 3 --nlr 20000 --yield 5000 "$image" "$work/w3.image" >"$work/tool3.out" &&
    cp "$work/w3.image" "$work/run.image" && $goto_vm "$work/run.image" >"$work/out3" 2>&1 &&
    [ "$(head -1 "$work/out3")" = "$(sed -n 's/^expected: //p' "$work/tool3.out")" ] &&
    [ "$(head -1 "$work/out3")" != "$(head -1 "$work/expected")" ] &&
    ok "control: another loop count, another checksum, still matched" || not_ok "control run" "$work/out3" 20
echo "1..$n"
tap_done
