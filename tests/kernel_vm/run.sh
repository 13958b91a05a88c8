#!/bin/sh
# VM primitives exercised from Talc's own images: each .st file here is compiled into the kernel
# image by talc-boot, run on every VM at both word sizes, and its output compared with
# NAME.expected (computed independently of Talc: see each .st file's comment).
part=kvm; . "$(dirname "$0")/../lib/tap.sh"

for st in tests/kernel_vm/*.st; do
    name=$(basename "$st" .st)
    class=$(sed -n 's/^Object subclass: #\([A-Za-z]*\).*/\1/p' "$st" | head -1)
    for ws in 32 64; do
        if ! ./build/talc-boot --word-size $ws -o "$work/$name$ws.image" "$st" >"$work/boot.err" 2>&1; then
            not_ok "$name: talc-boot --word-size $ws" "$work/boot.err"; continue
        fi
        for vm in build/talc build/talc-sim; do
            timeout 60 $vm "$work/$name$ws.image" run "$class" >"$work/out" 2>"$work/err"
            rc=$?
            if [ $rc -eq 0 ] && cmp -s "$work/out" "tests/kernel_vm/$name.expected"; then
                ok "$name on $vm, $ws-bit image"
            else
                diff "tests/kernel_vm/$name.expected" "$work/out" >"$work/diff" 2>&1; cat "$work/err" >>"$work/diff"
                not_ok "$name on $vm, $ws-bit image (status $rc)" "$work/diff"
            fi
        done
    done
done
# the idle process sleeps: 1.5 s in which every other process waits costs little CPU (children's
# user + system time from the shell's times, in dash's or bash's format)
if ./build/talc-boot -o "$work/idle.image" tests/kernel_vm/idle.st >"$work/boot.err" 2>&1; then
    cpu=$( { timeout 60 build/talc "$work/idle.image" run IdleWaitCheck >"$work/out" 2>"$work/err"; times; } | tail -1 |
           awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] } print t }')
    if [ "$(cat "$work/out")" = waited ] && awk "BEGIN { exit !($cpu < 0.5) }"; then ok "while only the idle process runs the VM sleeps (${cpu}s CPU in 1.5 s)"
    else echo "output: $(cat "$work/out"), CPU ${cpu}s" >"$work/why"; not_ok "while only the idle process runs the VM sleeps" "$work/why"; fi
else
    not_ok "idle: talc-boot" "$work/boot.err"
fi

tap_done
