#!/bin/sh
# FilePlugin and MiscPrimitivePlugin, then Pharo 8's kernel image (issue 7, point 3).
#  1. file_plugin.st, compiled into Talc's kernel image by talc-boot (32 and 64-bit), run on
#     build/talc and build/talc-sim in a fresh directory: its output must equal
#     file_plugin.expected (Open-Smalltalk-VM's answers; the string hashes computed independently:
#     python3 -c "h=i&0x0FFFFFFF; per byte c: h+=c; lo=h&16383;
#                 h=(0x260D*lo+(((0x260D*(h>>14)+0x65*lo)&16383)*16384))&0x0FFFFFFF").
#  2. ../shared/images/pharo8-kernel.image (skipped with a message when absent), on copies, on
#     both VMs: its first start reaches no missing FilePlugin or MiscPrimitivePlugin primitive;
#     then the behaviours of point 3 (first start saves and quits 0; printVersion, --list,
#     loadHermes check20.hermes, and save NEWNAME failing exactly as on Open-Smalltalk-VM). A behaviour that does not work
#     yet is reported "not ok ... # TODO" with where it stopped (TAP: not a failure); it passes
#     as soon as the VM gets there.
here=$(cd "$(dirname "$0")" && pwd)
part=pharo; . "$(dirname "$0")/../lib/tap.sh"
# untried DESC REASON: an "ok ... # SKIP" for what was not run, counted neither as passed nor as
# failed (tap.sh's skip counts as passed): a behaviour that waits on a TODO has not passed
untried() { n=$((n+1)); echo "ok $n - $1 # SKIP $2"; }

# ---- 1. the plugins, called directly ----
for ws in 32 64; do
    if ! ./build/talc-boot --word-size $ws -o "$work/fp$ws.image" tests/pharo/file_plugin.st >"$work/boot.err" 2>&1; then
        not_ok "file_plugin: talc-boot --word-size $ws" "$work/boot.err"; continue
    fi
    for vm in build/talc build/talc-sim; do
        rm -rf "$work/dir" && mkdir "$work/dir"
        timeout 60 $vm "$work/fp$ws.image" run FilePluginCheck "$work/dir" >"$work/out" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && cmp -s "$work/out" tests/pharo/file_plugin.expected; then
            ok "FilePlugin and MiscPrimitivePlugin on $vm, $ws-bit image"
        else
            diff tests/pharo/file_plugin.expected "$work/out" >"$work/diff" 2>&1; cat "$work/err" >>"$work/diff"
            not_ok "FilePlugin and MiscPrimitivePlugin on $vm, $ws-bit image (status $rc)" "$work/diff"
        fi
    done
done

# ---- 2. Pharo 8's kernel image ----
images="$top/../shared/images"
if [ ! -f "$images/pharo8-kernel.image" ]; then
    untried "Pharo 8 kernel image" "$images/pharo8-kernel.image is absent"
    tap_done; exit
fi

# run VM SECONDS IMAGE ARGS...: in the image's folder, output in $work/out, $work/err; the size of
# what the image may write is bounded (a failing start-up can log errors without end)
run() {
    vm=$1 secs=$2 image=$3; shift 3
    (cd "$(dirname "$image")" && ulimit -f 40000 && exec timeout -s TERM "$secs" "$top/$vm" "$image" "$@") >"$work/out" 2>"$work/err"
}
# a one-line account of where a run stopped
stopped() {
    { echo "status $1"; grep -v '^talc\|^ ' "$work/err" | head -3; grep '^talc' "$work/err" | head -3; } >"$work/why"
}

version="[version] 'Pharo8.0.0' 'Pharo-8.0.0+build.1080.sha.9f5ce2e933bc762841674ca3cf8476248a10247d (64 Bit)'"
for vm in build/talc build/talc-sim; do
    d="$work/p-$(basename $vm)" && mkdir -p "$d"
    cp "$images/pharo8-kernel.image" "$d/Pharo.image" && chmod u+w "$d/Pharo.image"
    run $vm 5 "$d/Pharo.image" --trace-missing-primitives
    rc=$?
    if grep -q 'FilePlugin\|MiscPrimitivePlugin' "$work/err"; then
        grep 'missing' "$work/err" >"$work/why"; not_ok "Pharo first start on $vm: a plugin primitive is missing" "$work/why"
    else
        ok "Pharo first start on $vm: no FilePlugin or MiscPrimitivePlugin primitive missing"
    fi
    size=$(wc -c <"$d/Pharo.image")
    if [ $rc -eq 0 ] && [ "$size" -ne "$(wc -c <"$images/pharo8-kernel.image")" ]; then
        ok "Pharo first start on $vm saves itself and quits 0"
    else
        stopped $rc; not_yet "Pharo first start on $vm saves itself and quits 0" "stops (status $rc)" "$work/why"
        for b in printVersion --list "loadHermes check20.hermes" "save NEWNAME"; do
            untried "Pharo $b on $vm" "needs the saved image"
        done
        continue
    fi
    cp "$d/Pharo.image" "$d/v.image"
    run $vm 10 "$d/v.image" printVersion; rc=$?
    if [ $rc -eq 0 ] && [ "$(cat "$work/out")" = "$version" ]; then ok "Pharo printVersion on $vm"
    else stopped $rc; not_yet "Pharo printVersion on $vm" "stops (status $rc)" "$work/why"; fi
    cp "$d/Pharo.image" "$d/l.image"
    run $vm 10 "$d/l.image" --list; rc=$?
    if [ $rc -eq 0 ] && grep -q '^    loadHermes ' "$work/out" && grep -q '^    printVersion ' "$work/out" && grep -q '^    save ' "$work/out"; then
        ok "Pharo --list on $vm"
    else stopped $rc; not_yet "Pharo --list on $vm" "stops (status $rc)" "$work/why"; fi
    cp "$d/Pharo.image" "$d/h.image"
    run $vm 30 "$d/h.image" loadHermes "$images/check20.hermes"; rc=$?
    if [ $rc -eq 0 ] && [ "$(cat "$work/out")" = "1028 21891" ]; then ok "Pharo loadHermes check20.hermes on $vm"
    else stopped $rc; not_yet "Pharo loadHermes check20.hermes on $vm" "stops (status $rc)" "$work/why"; fi
    # save NEWNAME cannot work with this image: SmalltalkImage>>imageDirectory sends
    # asFileReference to a String and nothing in the image implements it. Open-Smalltalk-VM
    # (9efde1b93, 64-bit Stack VM) fails there too: exit 1, no NEWNAME.image, the saved image
    # untouched, a PharoDebug.log, and exactly the stderr recorded in save_newname.osvm.stderr.
    # Talc must fail the same way, byte for byte, and not loop in the error report.
    cp "$d/Pharo.image" "$d/s.image"
    rm -f "$d/PharoDebug.log"
    run $vm 30 "$d/s.image" save NEWNAME; rc=$?
    if [ $rc -eq 1 ] && [ ! -e "$d/NEWNAME.image" ] && cmp -s "$d/s.image" "$d/Pharo.image" && [ -s "$d/PharoDebug.log" ] &&
       cmp -s "$work/err" "$here/save_newname.osvm.stderr" && [ ! -s "$work/out" ]; then
        ok "Pharo save NEWNAME on $vm fails as on Open-Smalltalk-VM (the image lacks asFileReference): same stderr, exit 1, nothing written"
    else
        { echo "status $rc"; ls "$d"; diff "$here/save_newname.osvm.stderr" "$work/err" | head -5; } >"$work/why"
        not_ok "Pharo save NEWNAME on $vm fails as on Open-Smalltalk-VM" "$work/why"
    fi
done

tap_done
