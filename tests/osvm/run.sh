#!/bin/sh
# Talc's own images on Open-Smalltalk-VM, whose Spur format they follow: a distributor may run
# them on either VM. TALC_OSVM64 names a 64-bit Open-Smalltalk-VM (its binary or launcher
# script; run with -vm-display-null) for build/talc.image, TALC_OSVM32 a 32-bit one for
# build/talc32.image. For each word size given, OSVM must print what build/talc prints:
#   - `test`: every TestCase, the same lines and summary, status 0;
#   - the main job: the same lines but for the VM's version in the banner and the benchmark
#     figures, status 0;
#   - the greeting with the image arguments;
#   - a snapshot (tests/snapshot/state.st) written by Talc resumes on OSVM, and one written by
#     OSVM resumes on Talc; so does one with a mourner waiting (tests/snapshot/ephemerons.st);
#   - an image whose header flags say its floats are in big-endian word order (bit 1 clear,
#     floats stored so) passes `test` on both.
# A variable not set skips its word size with a "# SKIP" line (CI has no OSVM); one set to
# something that cannot run is a failure. TAP, then "N passed, N failed".
part=osvm; . "$(dirname "$0")/../lib/tap.sh"

# talc NAME IMAGE ARGS... and osvm NAME IMAGE ARGS...: stdout, stderr and status of a run in
# $work/NAME.{out,err,rc}; Open-Smalltalk-VM runs in a folder of its own (a crash leaves crash.dmp)
talc() {
    name=$1; shift
    timeout 600 build/talc "$@" >"$work/$name.out" 2>"$work/$name.err"
    echo $? >"$work/$name.rc"
}
osvm() {
    name=$1; shift
    ( cd "$work/osvm" && timeout 600 "$vm" -vm-display-null "$@" ) >"$work/$name.out" 2>"$work/$name.err"
    echo $? >"$work/$name.rc"
}
status() { cat "$work/$1.rc"; }

# same DESC A B: runs A and B printed the same, exited the same way, with nothing on stderr
same() {
    desc=$1 a=$2 b=$3
    if cmp -s "$work/$a.out" "$work/$b.out" && [ "$(status "$a")" = "$(status "$b")" ] && [ "$(status "$a")" = 0 ] \
       && [ ! -s "$work/$a.err" ] && [ ! -s "$work/$b.err" ]; then ok "$desc"
    else
        { echo "Talc: status $(status "$b")"; echo "OSVM: status $(status "$a")"; diff "$work/$b.out" "$work/$a.out"
          sed 's/^/stderr: /' "$work/$a.err" | head -5; } >"$work/why"
        not_ok "$desc" "$work/why"
    fi
}

# flags_byte IMAGE VALUE: the low byte of the header flags word (offset 8 + 5 words)
flags_byte() {
    case $(od -An -tu4 -N4 "$1" | tr -d ' ') in 6521) off=28 ;; *) off=48 ;; esac
    printf "\\$(printf '%03o' "$2")" | dd of="$1" bs=1 seek=$off conv=notrunc 2>/dev/null
}

on_osvm() {
    ws=$1 vm=$2 image=$3
    case $vm in /*) ;; *) vm=$(pwd)/$vm ;; esac
    if ! [ -x "$vm" ] || ! [ -f "$vm" ]; then not_ok "$ws-bit: TALC_OSVM$ws=$vm is not an executable file"; return; fi
    rm -rf "$work/osvm" && mkdir "$work/osvm"
    cp "$image" "$work/k.image"

    osvm osvm-test "$work/k.image" test
    talc talc-test "$work/k.image" test
    same "$ws-bit: test on Open-Smalltalk-VM prints what Talc prints ($(tail -n 1 "$work/talc-test.out"))" osvm-test talc-test

    osvm osvm-main "$work/k.image"
    talc talc-main "$work/k.image"
    # the banner's version and the benchmark figures are each VM's own
    for f in osvm-main talc-main; do
        sed -e '1s/^.*: the Talc kernel image, /VERSION: the Talc kernel image, /' \
            -e 's/^tinyBenchmarks: [0-9][0-9]* bytecodes\/sec; [0-9][0-9]* sends\/sec$/tinyBenchmarks: N bytecodes\/sec; N sends\/sec/' \
            "$work/$f.out" >"$work/$f.masked"
        mv "$work/$f.masked" "$work/$f.out"
    done
    if grep -q '^VERSION: the Talc kernel image, '"$ws"'-bit words$' "$work/osvm-main.out" &&
       grep -q '^tinyBenchmarks: N bytecodes/sec; N sends/sec$' "$work/osvm-main.out"; then
        same "$ws-bit: the main job on Open-Smalltalk-VM prints what Talc prints but the version and the figures" osvm-main talc-main
    else
        not_ok "$ws-bit: the main job on Open-Smalltalk-VM: banner and benchmark lines" "$work/osvm-main.out"
    fi

    osvm osvm-greet "$work/k.image" alpha beta
    talc talc-greet "$work/k.image" alpha beta
    same "$ws-bit: the greeting with image arguments" osvm-greet talc-greet
    cmp -s "$image" "$work/k.image" && ok "$ws-bit: none of these runs wrote the image" || not_ok "$ws-bit: none of these runs wrote the image"

    # snapshots across the VMs
    # crossSnapshot SAVER RESUMER DESC: SAVER (talc or osvm) snapshots the state image, RESUMER resumes it
    crossSnapshot() {
        cp "$work/state.image" "$work/$1.image"
        $1 $1-save "$work/$1.image" run SnapshotState
        $2 $2-resume "$work/$1.image"
        if [ "$(cat "$work/$1-save.out")" = "saved, state 41" ] && [ "$(cat "$work/$2-resume.out")" = "resumed, state 42" ] \
           && [ "$(status $2-resume)" = 0 ]; then ok "$ws-bit: $3"
        else cat "$work/$1-save.out" "$work/$2-resume.out" "$work/$2-resume.err" >"$work/why" 2>&1; not_ok "$ws-bit: $3" "$work/why"; fi
    }
    if ./build/talc-boot --word-size "$ws" -o "$work/state.image" tests/snapshot/state.st >"$work/boot.err" 2>&1; then
        crossSnapshot talc osvm "Talc's snapshot resumes on Open-Smalltalk-VM"
        crossSnapshot osvm talc "Open-Smalltalk-VM's snapshot resumes on Talc"
    else
        not_ok "$ws-bit: talc-boot with tests/snapshot/state.st" "$work/boot.err"
    fi

    # the mourn queue across the VMs: the snapshot's collection fires an ephemeron, which the image
    # resumed on the other VM mourns (Open-Smalltalk-VM does not signal the finalization semaphore
    # when it loads an image with mourners: it mourns it at the next collection that fires one)
    if ./build/talc-boot --word-size "$ws" -o "$work/eph.image" tests/snapshot/ephemerons.st >"$work/boot.err" 2>&1; then
        cp "$work/eph.image" "$work/eph-osvm.image"
        osvm osvm-eph-save "$work/eph-osvm.image" run SnapshotEphemerons
        talc talc-eph-resume "$work/eph-osvm.image"
        if [ "$(cat "$work/osvm-eph-save.out")" = saved ] && [ "$(status talc-eph-resume)" = 0 ] &&
           [ "$(cat "$work/talc-eph-resume.out")" = "resumed: fired mourned 1, live mourned 0, key kept: true
live mourned 1 once its key was dropped, fired mourned 1" ]; then ok "$ws-bit: Open-Smalltalk-VM's mourn queue, saved with the image, is mourned on Talc"
        else cat "$work/osvm-eph-save.out" "$work/talc-eph-resume.out" "$work/talc-eph-resume.err" >"$work/why" 2>&1; not_ok "$ws-bit: Open-Smalltalk-VM's mourn queue resumed on Talc" "$work/why"; fi
        cp "$work/eph.image" "$work/eph-talc.image"
        talc talc-eph-save "$work/eph-talc.image" run SnapshotEphemerons
        osvm osvm-eph-resume "$work/eph-talc.image"
        if [ "$(cat "$work/talc-eph-save.out")" = saved ] && [ "$(status osvm-eph-resume)" = 0 ] &&
           grep -qE '^resumed: fired mourned [01], live mourned 0, key kept: true$' "$work/osvm-eph-resume.out" &&
           [ "$(sed -n 2p "$work/osvm-eph-resume.out")" = "live mourned 1 once its key was dropped, fired mourned 1" ]; then
            ok "$ws-bit: Talc's mourn queue, saved with the image, is mourned on Open-Smalltalk-VM"
        else cat "$work/talc-eph-save.out" "$work/osvm-eph-resume.out" "$work/osvm-eph-resume.err" >"$work/why" 2>&1; not_ok "$ws-bit: Talc's mourn queue resumed on Open-Smalltalk-VM" "$work/why"; fi
    else
        not_ok "$ws-bit: talc-boot with tests/snapshot/ephemerons.st" "$work/boot.err"
    fi

    # floats in big-endian word order: Talc's loader swaps them (an image claiming that order
    # but holding platform order comes out swapped), then the flag cleared again makes an image
    # that really is in that order
    cp "$image" "$work/f.image" && flags_byte "$work/f.image" 0
    if build/talc --save-as "$work/swapped.image" "$work/f.image" 2>"$work/why"; then
        flags_byte "$work/swapped.image" 0
        cp "$work/swapped.image" "$work/b.image"
        osvm osvm-be "$work/b.image" test
        talc talc-be "$work/swapped.image" test
        same "$ws-bit: an image with big-endian float words passes test on both ($(tail -n 1 "$work/talc-be.out"))" osvm-be talc-be
    else
        not_ok "$ws-bit: talc --save-as of a flags-0 image" "$work/why"
    fi
}

for ws in 64 32; do
    if [ "$ws" = 64 ]; then vm=${TALC_OSVM64:-} image=build/talc.image; else vm=${TALC_OSVM32:-} image=build/talc32.image; fi
    if [ -z "$vm" ]; then
        echo "# SKIP $ws-bit: TALC_OSVM$ws is not set (the path of a $ws-bit Open-Smalltalk-VM Spur VM; see image/README.md)"
        continue
    fi
    if [ ! -f "$image" ] || [ ! -x build/talc ]; then not_ok "$ws-bit: $image and build/talc (run make)"; continue; fi
    on_osvm "$ws" "$vm" "$image"
done

tap_done
