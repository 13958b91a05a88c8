#!/bin/sh
# End to end: headless.image on build/talc and build/talc-sim prints exactly the three lines
# given in ../shared/images/README.md and exits 0, with nothing on stderr.
# TAP on stdout, then "N passed, N failed". Skips cleanly without ../shared/images.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
image=../shared/images/headless.image
if [ ! -f "$image" ]; then
    echo "# SKIP ../shared/images not present"
    echo "0 passed, 0 failed"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7\n' >"$work/expected"

n=0 passed=0 failed=0
for vm in build/talc build/talc-sim; do
    n=$((n+1))
    if [ ! -x "$vm" ]; then
        failed=$((failed+1)); echo "not ok $n - headless.image on $vm"; echo "# $vm is not built (run make)"; continue
    fi
    # the image may write itself: run a copy
    cp "$image" "$work/headless.image"
    timeout 60 "$vm" "$work/headless.image" >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$work/out" "$work/expected" && [ ! -s "$work/err" ]; then
        passed=$((passed+1)); echo "ok $n - headless.image on $vm"
    else
        failed=$((failed+1)); echo "not ok $n - headless.image on $vm (exit $rc)"
        diff "$work/expected" "$work/out" | head -10 | sed 's/^/# /'
        head -10 "$work/err" | sed 's/^/# stderr: /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
