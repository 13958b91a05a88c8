#!/bin/sh
# Fuzzes the image loader for a bounded time: tests/fuzz/run.sh [SECONDS] (default 60).
# Builds the loader fuzzers (clang, libFuzzer, ASan, UBSan, the simulator's sources) for Spur
# 32-bit and, when ../shared/images/pharo8-kernel.image is there, Spur 64-bit; makes seed corpora
# from the reference images (each image and a few truncations of it); checks that every image
# loads and every truncation is refused; then fuzzes, 32-bit for two thirds of the time, 64-bit
# for the rest. Findings go to build/fuzz/artifacts-*/, the corpora grow in build/fuzz/corpus-*/.
# TAP on stdout, then "N passed, N failed". Skips cleanly without clang's libFuzzer or the images.
part=fuzz; . "$(dirname "$0")/../lib/tap.sh"
secs=${1:-60}
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 64 ;; esac
CLANG=${CLANG:-clang}
out=build/fuzz
images=../shared/images
mkdir -p "$out"

command -v "$CLANG" >/dev/null 2>&1 || skip_all "no $CLANG (./build-scripts/install-deps.sh installs it)"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$out/probe.c"
"$CLANG" -fsanitize=fuzzer -o "$out/probe" "$out/probe.c" >/dev/null 2>&1 ||
    skip_all "$CLANG cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev; ./build-scripts/install-deps.sh)"
[ -f "$images/headless.image" ] || skip_all "../shared/images not present"

# build BITS: build/fuzz/fuzz_loaderBITS from the spec compiled as the simulator and the platform
# files but main.c, image_file.c and memory.c (the target stands in for them)
build() {
    bits=$1 bin="$out/fuzz_loader$1"
    platform_src=$(ls platforms/*.c | grep -v -e '/main\.c$' -e '/image_file\.c$' -e '/memory\.c$')
    rm -f "$bin"
    # shellcheck disable=SC2086
    "$CLANG" -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -O1 \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -DTALC_SIM -DTALC_WORD_BYTES=$(($1 / 8)) -DTALC_FLAVOUR="\"fuzz-sim-spur$bits\"" -Iplatforms -Ivmspec \
        $(pkg-config --cflags lua5.4 2>/dev/null) \
        -o "$bin" tests/fuzz/fuzz_loader.c vmspec/*.c platforms/sim/*.c $platform_src \
        $(pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4) -lm -Wl,--wrap=platformExit >"$out/build$bits.log" 2>&1
    if [ $? -ne 0 ]; then not_ok "build fuzz_loader$bits" "$out/build$bits.log" -25; return 1; fi
    if [ -s "$out/build$bits.log" ]; then not_ok "build fuzz_loader$bits: warnings" "$out/build$bits.log" -25
    else ok "build fuzz_loader$bits (clang, libFuzzer, ASan, UBSan), no warnings"; fi
}

# run_seeds BITS DIR: the loader on every seed, its exit status in seeds_rc and at the log's end
# (above 128: killed by signal N-128)
run_seeds() {
    FUZZ_LOADER_REPORT=1 "$out/fuzz_loader$1" "$2"/*.image >"$out/seeds$1.log" 2>&1
    seeds_rc=$?
    echo "fuzz_loader$1 exited with status $seeds_rc" >>"$out/seeds$1.log"
}

# seeds BITS IMAGE: the image and truncations of it (made here, never committed); the image must
# load, the truncations must be refused
seeds() {
    bits=$1 image=$2 dir="$out/seeds$1"
    size=$(wc -c <"$image")
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$image" "$dir/$(basename "$image")"
    for cut in 7 8 30 63 64 72 136 4096 $((size / 2)) $((size - 16)) $((size - 1)); do
        head -c "$cut" "$image" >"$dir/cut$cut.image"
    done
    run_seeds "$bits" "$dir"
    # a process killed from outside (SIGKILL, the OOM killer: no output, no finding) gets one
    # more run; a finding or an assertion ends in SIGABRT or a report and is never retried
    if [ "$seeds_rc" -eq 137 ]; then
        echo "# seeds$bits: fuzz_loader was killed (SIGKILL) without a report; running it again"
        run_seeds "$bits" "$dir"
    fi
    if [ "$seeds_rc" -eq 0 ] &&
       grep -q "^fuzz_loader: $size bytes: load result 0\$" "$out/seeds$bits.log" &&
       [ "$(grep -c ': load result [1-9]' "$out/seeds$bits.log")" -eq 11 ]; then
        ok "seeds$bits: $(basename "$image") loads, 11 truncations of it are refused"
    else
        not_ok "seeds$bits: $(basename "$image") loads, 11 truncations of it are refused" "$out/seeds$bits.log" -25
    fi
}

# fuzz BITS SECONDS MAXLEN: inputs up to MAXLEN bytes (the seed image's size), full length from the start
fuzz() {
    bits=$1 t=$2 maxlen=$3 corpus="$out/corpus$1" artifacts="$out/artifacts$1"
    mkdir -p "$corpus" "$artifacts"
    rm -f "$artifacts"/*
    # the corpus is kept between runs; it is dropped when it grows past 512 MB
    [ "$(du -sm "$corpus" | cut -f1)" -gt 512 ] && rm -f "$corpus"/*
    "$out/fuzz_loader$bits" -max_total_time="$t" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -max_len="$maxlen" -len_control=0 \
        -artifact_prefix="$artifacts/" "$corpus" "$out/seeds$bits" >"$out/fuzz$bits.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_\(runs\|units\): *//p' "$out/fuzz$bits.log")
    cov=$(grep -o 'cov: [0-9]*' "$out/fuzz$bits.log" | tail -1)
    echo "# fuzzed $bits-bit ${t}s: ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files, log $out/fuzz$bits.log"
    if [ $rc -eq 0 ] && [ -z "$(ls "$artifacts")" ]; then
        ok "$bits-bit loader fuzzed for ${t}s: every input loaded or refused"
    else
        not_ok "$bits-bit loader fuzzed for ${t}s (exit $rc): findings in $artifacts/" "$out/fuzz$bits.log" -40
        ls "$artifacts" | sed 's/^/# artifact: /'
    fi
}

t32=$secs t64=0
[ -f "$images/pharo8-kernel.image" ] && t64=$((secs / 3)) && t32=$((secs - t64))
if build 32; then
    seeds 32 "$images/headless.image"
    [ "$t32" -gt 0 ] && fuzz 32 "$t32" "$(wc -c <"$images/headless.image")"
fi
if [ -f "$images/pharo8-kernel.image" ]; then
    if build 64; then
        seeds 64 "$images/pharo8-kernel.image"
        [ "$t64" -gt 0 ] && fuzz 64 "$t64" "$(wc -c <"$images/pharo8-kernel.image")"
    fi
else
    echo "# SKIP 64-bit: ../shared/images/pharo8-kernel.image not present"
fi
tap_done
