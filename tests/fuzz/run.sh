#!/bin/sh
# Fuzzes the image loader for a bounded time: tests/fuzz/run.sh [SECONDS] (default 60).
# Builds build/fuzz/fuzz_loader (clang, libFuzzer, ASan, UBSan, the simulator's sources), makes a
# seed corpus from ../shared/images/headless.image (the image and a few truncations), checks the
# seeds, then fuzzes. Findings go to build/fuzz/artifacts/; the corpus grows in build/fuzz/corpus.
# TAP on stdout, then "N passed, N failed". Skips cleanly without clang's libFuzzer or the image.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
secs=${1:-60}
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 64 ;; esac
CLANG=${CLANG:-clang}
out=build/fuzz
image=../shared/images/headless.image
mkdir -p "$out/seeds" "$out/corpus" "$out/artifacts"

n=0 passed=0 failed=0
ok()     { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && tail -n "${3:-25}" "$2" | sed 's/^/# /'; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
skip_all() { echo "# SKIP $1"; echo "0 passed, 0 failed"; exit 0; }

command -v "$CLANG" >/dev/null 2>&1 || skip_all "no $CLANG (./build-scripts/install-deps.sh installs it)"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$out/probe.c"
"$CLANG" -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" >/dev/null 2>&1 ||
    skip_all "$CLANG cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev; ./build-scripts/install-deps.sh)"
[ -f "$image" ] || skip_all "../shared/images not present"

# ---- build: the spec as the simulator, the platform files but main.c, image_file.c and memory.c ----
platform_src=$(ls platforms/*.c | grep -v -e '/main\.c$' -e '/image_file\.c$' -e '/memory\.c$')
if "$CLANG" -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -O1 \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -DTALC_SIM -DTALC_FLAVOUR='"fuzz-sim-spur32"' -Iplatforms -Ivmspec \
        -o "$out/fuzz_loader" tests/fuzz/fuzz_loader.c vmspec/*.c platforms/sim/*.c $platform_src \
        -Wl,--wrap=platformExit >"$out/build.log" 2>&1 && [ ! -s "$out/build.log" ]; then
    ok "build fuzz_loader (clang, libFuzzer, ASan, UBSan), no warnings"
else
    [ -x "$out/fuzz_loader" ] && [ -s "$out/build.log" ] && ok "build fuzz_loader # with warnings" || { not_ok "build fuzz_loader" "$out/build.log"; finish; }
    sed 's/^/# /' "$out/build.log" | head -20
fi

# ---- seeds: the good image and truncations of it (made here, never committed) ----
size=$(wc -c <"$image")
rm -rf "$out/seeds" && mkdir -p "$out/seeds"
cp "$image" "$out/seeds/headless.image"
for cut in 7 8 30 63 64 72 4096 $((size / 2)) $((size - 16)) $((size - 1)); do
    head -c "$cut" "$image" >"$out/seeds/headless-cut$cut.image"
done
if FUZZ_LOADER_REPORT=1 "$out/fuzz_loader" "$out"/seeds/*.image >"$out/seeds.log" 2>&1 &&
   grep -q "^fuzz_loader: $size bytes: load result 0\$" "$out/seeds.log" &&
   [ "$(grep -c ': load result [1-9]' "$out/seeds.log")" -eq 10 ]; then
    ok "seeds: headless.image loads, its 10 truncations are refused"
else
    not_ok "seeds: headless.image loads, its 10 truncations are refused" "$out/seeds.log"
fi

# ---- fuzz ----
if [ "$secs" -gt 0 ]; then
    rm -f "$out"/artifacts/*
    # the corpus is kept between runs; it is pruned when it grows large
    [ "$(ls "$out/corpus" | wc -l)" -gt 2000 ] && rm -f "$out"/corpus/*
    "$out/fuzz_loader" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds" >"$out/fuzz.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_\(runs\|units\): *//p' "$out/fuzz.log")
    cov=$(grep -o 'cov: [0-9]*' "$out/fuzz.log" | tail -1)
    echo "# fuzzed ${secs}s: ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$out/corpus" | wc -l) files, log $out/fuzz.log"
    if [ $rc -eq 0 ] && [ -z "$(ls "$out/artifacts")" ]; then
        ok "loader fuzzed for ${secs}s: every input loaded or refused"
    else
        not_ok "loader fuzzed for ${secs}s (exit $rc): findings in $out/artifacts/" "$out/fuzz.log" 40
        ls "$out/artifacts" | sed 's/^/# artifact: /'
    fi
fi
finish
