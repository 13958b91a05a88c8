#!/usr/bin/env bash
# The spec as simulator, every flavour's generated C (goto and switch dispatch) and the
# translator compile with -Wall -Wextra -Werror under GCC and Clang; ASan/UBSan builds of the
# simulator and the production VM run headless.image with the expected output and no report.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; [ -f "$2" ] && sed 's/^/#   /' "$2" | head -15; }

flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2"
platform_prod=$(ls platforms/*.c)
platform_sim=$(ls platforms/*.c | grep -v 'platforms/memory.c')
# the simulator's debugger links Lua 5.4 (and -rdynamic names the spec functions at a watchpoint)
lua_cflags=$(pkg-config --cflags lua5.4 2>/dev/null)
lua_libs="$(pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4) -rdynamic"
for cc in gcc clang; do
    command -v "$cc" >/dev/null || { not_ok "$cc is installed" /dev/null; continue; }
    # shellcheck disable=SC2086
    if $cc $flags -DTALC_SIM $lua_cflags -Iplatforms -Ivmspec -o "$work/sim-$cc" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm 2>"$work/log"; then
        ok "$cc: simulator (32-bit) builds warning-free"; else not_ok "$cc: simulator (32-bit)" "$work/log"; fi
    # shellcheck disable=SC2086
    if $cc $flags -DTALC_SIM -DTALC_WORD_BYTES=8 $lua_cflags -Iplatforms -Ivmspec -o "$work/sim64-$cc" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm 2>"$work/log"; then
        ok "$cc: simulator (64-bit) builds warning-free"; else not_ok "$cc: simulator (64-bit)" "$work/log"; fi
    for dir in generated/*/; do
        f=$(basename "$dir")
        for dispatch in goto switch; do
            extra=""; [ $dispatch = switch ] && extra="-DTALC_SWITCH_DISPATCH"
            # shellcheck disable=SC2086
            if $cc $flags $extra -Iplatforms -o "$work/$f-$dispatch-$cc" "$dir/interp.c" $platform_prod -lm 2>"$work/log"; then
                ok "$cc: generated/$f ($dispatch dispatch) builds warning-free"; else not_ok "$cc: generated/$f ($dispatch)" "$work/log"; fi
        done
    done
    # shellcheck disable=SC2046
    if $cc $flags $(pkg-config --cflags lua5.4) -o "$work/tr-$cc" translator/*.c build/deps/ts-c-parser.o -ltree-sitter $(pkg-config --libs lua5.4) 2>"$work/log"; then
        ok "$cc: translator builds warning-free"; else not_ok "$cc: translator" "$work/log"; fi
    # shellcheck disable=SC2086
    if $cc $flags -o "$work/lockstep-$cc" platforms/lockstep/*.c 2>"$work/log"; then
        ok "$cc: talc-lockstep builds warning-free"; else not_ok "$cc: talc-lockstep" "$work/log"; fi
done

image="$top/../shared/images/headless.image"
expected=$(printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7')
san="-std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2086
clang $san -DTALC_SIM $lua_cflags -Iplatforms -Ivmspec -o "$work/sim-asan" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm 2>"$work/log" || not_ok "ASan/UBSan simulator builds" "$work/log"
# shellcheck disable=SC2086
clang $san -Iplatforms -o "$work/talc-asan" generated/stack-spur32/interp.c $platform_prod -lm 2>"$work/log" || not_ok "ASan/UBSan production VM builds" "$work/log"
if [ -f "$image" ]; then
    for vm in sim-asan talc-asan; do
        [ -x "$work/$vm" ] || continue
        out=$("$work/$vm" "$image" 2>"$work/err"); rc=$?
        if [ $rc -eq 0 ] && [ "$out" = "$expected" ] && [ ! -s "$work/err" ]; then
            ok "$vm runs headless.image clean"; else not_ok "$vm runs headless.image clean (status $rc)" "$work/err"; fi
    done
else
    echo "# SKIP sanitizer runs: ../shared/images not present"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
