#!/usr/bin/env bash
# The spec as simulator, every flavour's generated C (goto and switch dispatch) and the
# translator compile with -Wall -Wextra -Werror under GCC and Clang; ASan/UBSan builds of the
# simulator and the production VM run headless.image with the expected output and no report.
part=compilers; . "$(dirname "$0")/../lib/tap.sh"

flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2"
platform_prod=$(ls platforms/*.c)
platform_sim=$(ls platforms/*.c | grep -v 'platforms/memory.c')
# the simulator's debugger links Lua 5.4 (and -rdynamic names the spec functions at a watchpoint)
lua_cflags=$(pkg-config --cflags lua5.4 2>/dev/null)
lua_libs="$(pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4) -rdynamic"
# check DESC CMD...: one build, queued; the queue runs two at a time (CI has two cores) and the
# results are reported in queue order
queued=0
check() {
    queued=$((queued + 1))
    printf '%s\n' "$1" >"$work/desc.$queued"
    shift
    printf '%q ' "$@" >"$work/cmd.$queued"
}
for cc in gcc clang; do
    command -v "$cc" >/dev/null || { not_ok "$cc is installed" ""; continue; }
    # shellcheck disable=SC2086
    check "$cc: simulator (32-bit) builds warning-free" $cc $flags -DTALC_SIM $lua_cflags -Iplatforms -Ivmspec -o "$work/sim-$cc" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm
    # shellcheck disable=SC2086
    check "$cc: simulator (64-bit) builds warning-free" $cc $flags -DTALC_SIM -DTALC_WORD_BYTES=8 $lua_cflags -Iplatforms -Ivmspec -o "$work/sim64-$cc" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm
    for dir in generated/*/; do
        f=$(basename "$dir")
        for dispatch in goto switch; do
            extra=""; [ $dispatch = switch ] && extra="-DTALC_SWITCH_DISPATCH"
            # shellcheck disable=SC2086
            check "$cc: generated/$f ($dispatch dispatch) builds warning-free" $cc $flags $extra -Iplatforms -o "$work/$f-$dispatch-$cc" "$dir/interp.c" $platform_prod -lm
        done
    done
    # shellcheck disable=SC2046,SC2086
    check "$cc: translator builds warning-free" $cc $flags $(pkg-config --cflags lua5.4) -o "$work/tr-$cc" translator/*.c build/deps/ts-c-parser.o -ltree-sitter $(pkg-config --libs lua5.4)
    # shellcheck disable=SC2086
    check "$cc: talc-lockstep builds warning-free" $cc $flags -o "$work/lockstep-$cc" platforms/lockstep/*.c
done
image="$top/../shared/images/headless.image"
expected=$(printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7')
san="-std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2086
check "ASan/UBSan simulator builds" clang $san -DTALC_SIM $lua_cflags -Iplatforms -Ivmspec -o "$work/sim-asan" vmspec/*.c platforms/sim/*.c $platform_sim $lua_libs -lm
# shellcheck disable=SC2086
check "ASan/UBSan production VM builds" clang $san -Iplatforms -o "$work/talc-asan" generated/stack-spur32/interp.c $platform_prod -lm
# each queued build writes its compiler's messages to log.N and its status to rc.N
seq 1 "$queued" | xargs -P 2 -I{} bash -c 'eval "$(cat "$1/cmd.$2")" >"$1/log.$2" 2>&1; echo $? >"$1/rc.$2"' bash "$work" {}
i=1
while [ "$i" -le "$queued" ]; do
    desc=$(cat "$work/desc.$i")
    if [ "$(cat "$work/rc.$i" 2>/dev/null)" = 0 ] && [ ! -s "$work/log.$i" ]; then ok "$desc"; else not_ok "$desc" "$work/log.$i" 15; fi
    i=$((i + 1))
done

if [ -f "$image" ]; then
    for vm in sim-asan talc-asan; do
        [ -x "$work/$vm" ] || continue
        out=$("$work/$vm" "$image" 2>"$work/err"); rc=$?
        if [ $rc -eq 0 ] && [ "$out" = "$expected" ] && [ ! -s "$work/err" ]; then
            ok "$vm runs headless.image clean"; else not_ok "$vm runs headless.image clean (status $rc)" "$work/err" 15; fi
    done
else
    echo "# SKIP sanitizer runs: ../shared/images not present"
fi
tap_done
