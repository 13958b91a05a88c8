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
tap_done
