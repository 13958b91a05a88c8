# What the test parts share, sourced at their top after naming the part:
#   part=name; . "$(dirname "$0")/../lib/tap.sh"
# It moves to the project's top folder ($top), makes a scratch folder ($work, removed on exit),
# and gives the TAP helpers: ok DESC; not_ok DESC [FILE] (FILE's first lines, by default
# $work/err, as comments); tap_done (the closing "N passed, N failed" line and the status).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-${part:-test}.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
n=0 passed=0 failed=0
ok() { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"
    tap_file=${2:-$work/err}
    [ -f "$tap_file" ] && sed 's/^/# /' "$tap_file" | head -12
    return 0
}
tap_done() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
