#!/bin/sh
# The command line of build/talc and build/talc-sim: options, exit statuses, messages.
# TAP on stdout, then "N passed, N failed". Run from anywhere; needs the VMs built (make).
# The cases that run an image need ../shared/images/headless.image and are skipped without it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
image=../shared/images/headless.image
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

n=0 passed=0 failed=0
ok()     { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; sed 's/^/# /' "$work/why" | head -20; }
skip()   { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1 # SKIP $2"; }

printf 'Smalltalk image fired up!\nFixing the world\n3 + 4 = 7\n' >"$work/expected"

# run DESC STATUS CHECKS -- VM ARGS...: runs the VM (timeout 20 s), then each check, a word of
#   out=REGEX    stdout matches the extended regex (case-sensitive)
#   err=REGEX    stderr matches
#   outempty / errempty / errline (stderr is one line) / expected (stdout is the image's three lines)
run() {
    desc=$1 status=$2; shift 2
    checks=""
    while [ "$1" != "--" ]; do checks="$checks
$1"; shift; done
    shift
    timeout 20 "$@" >"$work/out" 2>"$work/err"
    rc=$?
    why=""
    if [ $rc -ge 124 ]; then why="exit status $rc: timeout or death by signal"
    elif [ $rc -ne "$status" ]; then why="exit status $rc, expected $status"
    else
        # one check per line, so that regexes may hold spaces
        why=$(printf '%s\n' "$checks" | while IFS= read -r c; do
            case $c in
                "") ;;
                out=*) grep -qE -- "${c#out=}" "$work/out" || echo "stdout does not match /${c#out=}/" ;;
                err=*) grep -qE -- "${c#err=}" "$work/err" || echo "stderr does not match /${c#err=}/" ;;
                outempty) [ ! -s "$work/out" ] || echo "stdout is not empty" ;;
                errempty) [ ! -s "$work/err" ] || echo "stderr is not empty" ;;
                errline) [ "$(wc -l <"$work/err")" -eq 1 ] || echo "stderr is not exactly one line" ;;
                expected) cmp -s "$work/out" "$work/expected" || echo "stdout is not the image's three lines" ;;
                *) echo "unknown check $c" ;;
            esac
        done)
    fi
    if [ -z "$why" ]; then ok "$desc"; else
        { echo "$why"; echo "--- command: $*"; echo "--- stdout"; head -8 "$work/out"; echo "--- stderr"; head -8 "$work/err"; } >"$work/why"
        not_ok "$desc"
    fi
}

for vm in build/talc build/talc-sim; do
    [ -x "$vm" ] || { echo "Bail out! $vm is not built (run make)"; exit 1; }
    name=${vm#build/}
    # the production VM is the default flavour (64-bit); the simulator is the spec compiled directly
    if [ "$name" = talc ]; then flavour=stack-spur64; else flavour='(sim|stack)-spur64'; fi

    run "$name --help: usage on stdout, exit 0" 0 'out=^Usage: talc' 'out=--version' errempty -- $vm --help
    run "$name -h: same as --help" 0 'out=^Usage:' errempty -- $vm -h
    run "$name -help: same as --help" 0 'out=^Usage:' errempty -- $vm -help
    run "$name --help ends option parsing before an image" 0 'out=^Usage:' errempty -- $vm --help no-such.image
    run "$name --version: flavour and word size, exit 0" 0 "out=flavour: $flavour\$" 'out=64-bit' 'out=^Talc [0-9]' errempty -- $vm --version
    run "$name -version: same as --version" 0 'out=64-bit' errempty -- $vm -version
    run "$name: an unknown option exits 64 with one line" 64 "err=unknown option '--frobnicate'" errline outempty -- $vm --frobnicate "$image"
    run "$name: an unknown short option exits 64" 64 "err=unknown option '-z'" errline outempty -- $vm -z
    run "$name: no image exits 64" 64 'err=no image given' outempty -- $vm
    run "$name: no image after options exits 64" 64 'err=no image given' outempty -- $vm --headless
    run "$name: -- alone leaves no image, exits 64" 64 'err=no image given' outempty -- $vm --
    run "$name: -- ends options (--help is then the image's name)" 66 "err=--help: cannot open image" errline outempty -- $vm -- --help
    run "$name: a missing image exits 66" 66 'err=no-such\.image: cannot open image' errline outempty -- $vm "$work/no-such.image"
    run "$name: an empty image name exits 66" 66 'err=cannot open image' errline outempty -- $vm ""

    # an option's missing argument is refused, not taken from the image path (which would then
    # be missing, or be read as the argument)
    for opt in --save-as --maxoldspace --scavenge-every --full-gc-every --digest-every --digest-from \
               --digest-fd --digest-file --snapshot-at --snapshot-on-method --assert-snapshot; do
        run "$name $opt IMAGE: its argument is missing, exit 64" 64 \
            "err=^$name: $opt needs .* before the image path \\(only '.*/x\\.image' follows it\\)\$" errline outempty -- $vm $opt "$work/x.image"
        run "$name $opt alone: its argument is missing, exit 64" 64 "err=^$name: $opt needs " errline outempty -- $vm $opt
    done
    run "$name --snapshot-at N IMAGE: the file name is missing, exit 64" 64 \
        "err=^$name: --snapshot-at needs a file name after the bytecode count before the image path" errline outempty -- $vm --snapshot-at 100 "$work/x.image"
    run "$name --snapshot-on-method C>>s IMAGE: the file name is missing, exit 64" 64 \
        "err=^$name: --snapshot-on-method needs a file name after the method before the image path" errline outempty -- $vm --snapshot-on-method 'Object>>foo' "$work/x.image"
    run "$name --save-as FILE IMAGE: both given, the image is opened" 66 "err=x\\.image: cannot open image" errline outempty -- $vm --save-as "$work/y.image" "$work/x.image"

    if [ ! -f "$image" ]; then
        for d in "IMAGE" "--headless IMAGE" "-headless IMAGE" "-- IMAGE" "--headless -- IMAGE" "IMAGE with image arguments" "--check-image" "--check-image refuses"; do
            skip "$name $d runs the image" "../shared/images not present"
        done
        continue
    fi
    cp "$image" "$work/headless.image"   # the image may write itself: run a copy
    run "$name IMAGE runs the image" 0 expected errempty -- $vm "$work/headless.image"
    run "$name --headless IMAGE runs the image" 0 expected errempty -- $vm --headless "$work/headless.image"
    run "$name -headless IMAGE runs the image" 0 expected errempty -- $vm -headless "$work/headless.image"
    run "$name -- IMAGE runs the image" 0 expected errempty -- $vm -- "$work/headless.image"
    run "$name --headless -- IMAGE runs the image" 0 expected errempty -- $vm --headless -- "$work/headless.image"
    run "$name IMAGE --frobnicate -- x: what follows the image is the image's" 0 expected errempty -- $vm "$work/headless.image" --frobnicate -- x
    run "$name --check-image validates without running" 0 'out=valid 32-bit Spur image, 135472 bytes, 2493 objects; loaded, relocated and validated in [0-9]+ us' errempty -- $vm --check-image "$work/headless.image"
    printf 'garbage' >"$work/garbage.image"
    run "$name --check-image refuses a foreign file" 65 'err=garbage\.image' errline outempty -- $vm --check-image "$work/garbage.image"
done

# the simulator's own options with an argument
for opt in --variant --gc-replay --script --break-send --break-method --break-bytecode --break-gc \
           --watch --watch-range --break-if; do
    run "talc-sim $opt IMAGE: its argument is missing, exit 64" 64 \
        "err=^talc-sim: $opt needs .* before the image path \\(only '.*/x\\.image' follows it\\)\$" errline outempty -- build/talc-sim $opt "$work/x.image"
    run "talc-sim $opt alone: its argument is missing, exit 64" 64 "err=^talc-sim: $opt needs " errline outempty -- build/talc-sim $opt
done
run "talc-sim --break-send SELECTOR IMAGE: both given, the image is opened" 66 "err=x\\.image: cannot open image" errline outempty -- build/talc-sim --break-send foo "$work/x.image"

# an image of the other word size is handed to the VM built for it, or refused naming that VM
if [ -f "$image" ] && [ -x build/stack-spur32/talc ] && [ -x build/talc-sim32 ]; then
    run "talc hands a 32-bit image to build/stack-spur32/talc" 0 expected errempty -- build/talc "$work/headless.image"
    run "talc-sim hands a 32-bit image to talc-sim32" 0 expected errempty -- build/talc-sim "$work/headless.image"
    run "talc-sim32 runs a 32-bit image itself" 0 expected errempty -- build/talc-sim32 "$work/headless.image"
    run "without a sibling, talc says which flavour to build" 65 "err=32-bit image .*stack-spur32 flavour \\(make FLAVOUR=stack-spur32\\)" errline outempty -- env TALC_WORD_SIZE_HANDOFF=1 build/talc "$work/headless.image"
    run "without a sibling, talc-sim says which simulator to build" 65 "err=32-bit image .*make build/talc-sim32" errline outempty -- env TALC_WORD_SIZE_HANDOFF=1 build/talc-sim "$work/headless.image"
else
    for d in "talc hands a 32-bit image on" "talc-sim hands a 32-bit image on" "talc-sim32 runs a 32-bit image" "no sibling: talc names the flavour" "no sibling: talc-sim names its sibling"; do
        skip "$d" "../shared/images or the 32-bit VMs not present"
    done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
