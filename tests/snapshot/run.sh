#!/bin/sh
# Snapshots (primitive 97) on both word sizes and both VMs: an image builds state, snapshots and
# quits; the written image resumes right after the primitive and finds the state. Loading an
# image and writing it again (--save-as) gives the same bytes, whichever VM and wherever the heap
# was mapped. A snapshot that cannot be written fails the primitive and leaves the image file
# as it was. Header flags bit 1 (floats in platform word order): talc-boot sets it; an image
# without it has its floats' words swapped at load and is written with it. Ephemerons fired by
# the snapshot's collection are written on the mourn queue and mourned by the image that resumes.
part=snap; . "$(dirname "$0")/../lib/tap.sh"
# expect DESC STATUS OUTPUT -- COMMAND...
expect() {
    desc=$1 status=$2 output=$3; shift 4
    timeout 120 "$@" >"$work/out" 2>"$work/err"; rc=$?
    if [ $rc -eq "$status" ] && [ "$(cat "$work/out")" = "$output" ]; then ok "$desc"
    else echo "status $rc, output: $(cat "$work/out")" >>"$work/err"; not_ok "$desc"; fi
}
# rewritten DESC VM IMAGE: IMAGE loaded by VM and written again (--save-as) has the same bytes
rewritten() {
    "$2" --save-as "$work/again.image" "$3" 2>"$work/err"
    if cmp -s "$3" "$work/again.image"; then ok "$1"; else not_ok "$1"; fi
}

for ws in 64 32; do
    ./build/talc-boot --word-size $ws -o "$work/state$ws.image" tests/snapshot/state.st >"$work/err" 2>&1 || { not_ok "talc-boot $ws-bit"; continue; }
    for vm in build/talc build/talc-sim; do
        img="$work/run.image"
        cp "$work/state$ws.image" "$img"
        expect "$ws-bit, $vm: builds state, snapshots and quits" 0 "saved, state 41" -- $vm "$img" run SnapshotState
        cmp -s "$img" "$work/state$ws.image" && not_ok "$ws-bit, $vm: the snapshot rewrote the image file" || ok "$ws-bit, $vm: the snapshot rewrote the image file"
        cp "$img" "$work/saved.image"
        for vm2 in build/talc build/talc-sim; do
            cp "$work/saved.image" "$work/resume.image"
            expect "$ws-bit: $vm's snapshot resumes on $vm2 after the primitive and finds the state" 0 "resumed, state 42" -- $vm2 "$work/resume.image"
            rewritten "$ws-bit: $vm's snapshot loaded and written again by $vm2 is byte-identical" $vm2 "$work/saved.image"
        done
        # a snapshot that cannot be written: the temporary file's name is taken by a directory
        cp "$work/state$ws.image" "$img"
        mkdir "$img.tmp"
        expect "$ws-bit, $vm: an unwritable snapshot fails the primitive" 3 "snapshot failed, state 41" -- $vm "$img" run SnapshotState
        cmp -s "$img" "$work/state$ws.image" && ok "$ws-bit, $vm: ... and the image file is unchanged" || not_ok "$ws-bit, $vm: ... and the image file is unchanged"
        rmdir "$img.tmp"
        # no room for it: the file size limit stops the write half way
        cp "$work/state$ws.image" "$img"
        expect "$ws-bit, $vm: a snapshot that runs out of room fails the primitive" 3 "snapshot failed, state 41" -- sh -c "ulimit -f 100 && exec $vm $img run SnapshotState"
        if cmp -s "$img" "$work/state$ws.image" && [ ! -e "$img.tmp" ]; then ok "$ws-bit, $vm: ... the image file is unchanged and no partial file is left"
        else not_ok "$ws-bit, $vm: ... the image file is unchanged and no partial file is left"; fi
    done
done

# header flags bit 1 (Open-Smalltalk-VM's "floats in platform word order"): Talc's own images set
# it; with it clear the loader swaps the two 32-bit words of every BoxedFloat64 and the image
# written is in platform order with the bit set. So clearing it on a platform-order image
# gives swapped floats, clearing it again and loading swaps them back: the bytes the VM writes
# for the original.
flags_byte() {
    case $(od -An -tu4 -N4 "$1" | tr -d ' ') in 6521) off=28 ;; *) off=48 ;; esac
    printf "\\$(printf '%03o' "$2")" | dd of="$1" bs=1 seek=$off conv=notrunc 2>/dev/null
}
flags_of() { case $(od -An -tu4 -N4 "$1" | tr -d ' ') in 6521) od -An -tu4 -j28 -N4 "$1" ;; *) od -An -tu8 -j48 -N8 "$1" ;; esac | tr -d ' '; }
for ws in 32 64; do
    ./build/talc-boot --word-size $ws -o "$work/f$ws.image" >"$work/err" 2>&1 || { not_ok "talc-boot $ws-bit"; continue; }
    [ "$(flags_of "$work/f$ws.image")" = 2 ] && ok "$ws-bit: talc-boot writes header flags 2" || not_ok "$ws-bit: talc-boot writes header flags 2 (not $(flags_of "$work/f$ws.image"))"
    for vm in build/talc build/talc-sim; do
        $vm --save-as "$work/ref.image" "$work/f$ws.image" 2>"$work/err"
        cp "$work/f$ws.image" "$work/be.image" && flags_byte "$work/be.image" 0
        $vm --save-as "$work/swapped.image" "$work/be.image" 2>"$work/err"
        if [ "$(flags_of "$work/swapped.image")" = 2 ]; then ok "$ws-bit, $vm: an image with flag bit 1 clear is written with it set"
        else not_ok "$ws-bit, $vm: an image with flag bit 1 clear is written with it set"; fi
        if [ $ws = 32 ]; then
            # every 32-bit float is boxed: the written image differs beyond the header
            if cmp -s "$work/ref.image" "$work/swapped.image"; then not_ok "$ws-bit, $vm: ... with its floats' words swapped"
            else ok "$ws-bit, $vm: ... with its floats' words swapped"; fi
        fi
        flags_byte "$work/swapped.image" 0
        $vm --save-as "$work/back.image" "$work/swapped.image" 2>"$work/err"
        if cmp -s "$work/ref.image" "$work/back.image"; then ok "$ws-bit, $vm: floats in big-endian word order are loaded in platform order (the original bytes)"
        else not_ok "$ws-bit, $vm: floats in big-endian word order are loaded in platform order (the original bytes)"; fi
    done
    cp "$work/f$ws.image" "$work/be.image" && flags_byte "$work/be.image" 0
    build/talc --save-as "$work/swapped.image" "$work/be.image" 2>"$work/err" && flags_byte "$work/swapped.image" 0
    expect "$ws-bit: an image whose floats are in big-endian word order runs FractionFloatTest" 0 "6 passed, 0 failed" -- build/talc "$work/swapped.image" test FractionFloatTest
done

# ephemerons: the mourn queue written with the image, an ephemeron still one after the load
resumed_eph='resumed: fired mourned 1, live mourned 0, key kept: true
live mourned 1 once its key was dropped, fired mourned 1'
for ws in 64 32; do
    ./build/talc-boot --word-size $ws -o "$work/eph$ws.image" tests/snapshot/ephemerons.st >"$work/err" 2>&1 || { not_ok "talc-boot $ws-bit ephemerons.st"; continue; }
    for vm in build/talc build/talc-sim; do
        cp "$work/eph$ws.image" "$work/eph.image"
        expect "$ws-bit, $vm: ephemerons, one with a dead key, then a snapshot" 0 "saved" -- $vm "$work/eph.image" run SnapshotEphemerons
        cp "$work/eph.image" "$work/eph$ws-saved.image"
        for vm2 in build/talc build/talc-sim; do
            cp "$work/eph.image" "$work/resume.image"
            expect "$ws-bit: $vm's snapshot on $vm2: the fired ephemeron is mourned from the queue saved, the other still fires" 0 "$resumed_eph" -- $vm2 "$work/resume.image"
            rewritten "$ws-bit: $vm's snapshot with a mourn queue, loaded and written again by $vm2, is byte-identical" $vm2 "$work/eph.image"
        done
    done
done

# a saved mourn queue that is corrupt is refused (the 32-bit image, which tests/tools/imgtool reads)
if [ -f "$work/eph32-saved.image" ] && ${CC:-cc} -std=c11 -O1 -o "$work/imgtool" tests/tools/imgtool.c 2>"$work/err" &&
   "$work/imgtool" info "$work/eph32-saved.image" >"$work/info" 2>>"$work/err"; then
    . "$work/info"
    [ "$mournqueue_count" -ge 1 ] && ok "32-bit: the snapshot's mourn queue holds $mournqueue_count mourner" || not_ok "32-bit: the snapshot's mourn queue is not empty"
    # corrupt NAME OFFSET VALUE CHECK: the image with that word changed is refused, naming the check
    corrupt() {
        cp "$work/eph32-saved.image" "$work/$1.image" && "$work/imgtool" put32 "$work/$1.image" "$2" "$3"
        for vm in build/talc build/talc-sim; do
            timeout 20 $vm "$work/$1.image" >"$work/out" 2>"$work/err"; rc=$?
            if [ $rc -eq 65 ] && [ ! -s "$work/out" ] && grep -q "bad hidden roots or special objects (file offset [0-9]*, check $4)" "$work/err"; then
                ok "$1 refused by $vm (check $4)"
            else echo "status $rc" >>"$work/err"; not_ok "$1 refused by $vm (check $4)"; fi
        done
    }
    corrupt mourner-outside-heap $((mournqueue_hdr + 8 + 4 * 4)) 0x7FFFFFF0 9
    corrupt mourner-mid-object $((mournqueue_hdr + 8 + 4 * 4)) $((pointer_oop + 8)) 9
    corrupt mourn-queue-count-too-big $((mournqueue_hdr + 8)) 5000 8
    corrupt mourn-queue-next-not-a-page $((mournqueue_hdr + 8 + 3 * 4)) "$pointer_oop" 8
    corrupt mourn-queue-not-a-page $((hiddenroots_hdr + 8 + 4098 * 4)) "$pointer_oop" 8
else
    not_ok "32-bit: read the saved ephemeron image with tests/tools/imgtool"
fi

pharo=../shared/images/pharo8-kernel.image
if [ -f "$pharo" ]; then
    cp "$pharo" "$work/p.image" && chmod u+w "$work/p.image"
    if timeout 300 build/talc "$work/p.image" >/dev/null 2>&1; then
        for vm in build/talc build/talc-sim; do
            rewritten "Pharo's saved image, loaded and written again by $vm, is byte-identical" $vm "$work/p.image"
        done
    else
        not_ok "Pharo's first start"
    fi
else
    echo "# SKIP Pharo round trip: ../shared/images not present"
fi
tap_done
