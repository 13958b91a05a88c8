# What the test parts share, sourced at their top after naming the part:
#   part=name; . "$(dirname "$0")/../lib/tap.sh"
# It moves to the project's top folder ($top) and makes a scratch folder ($work), removed on
# exit after tap_cleanup, which a part may define again (to make what it locked up removable).
# The TAP helpers, counting in n, passed, failed and todo:
#   ok DESC; skip DESC REASON: an "ok ... # SKIP REASON" line, counted as passed (TAP's view);
#   not_ok DESC [FILE [LINES]]: FILE's first LINES lines as comments, by default $work/err and
#     12; LINES -N shows the last N instead (a log ends with what went wrong); FILE "" shows none;
#   not_yet DESC REASON [FILE]: "not ok ... # TODO REASON", a behaviour still to come: counted
#     as todo, not as failed; FILE's first lines indented under it;
#   skip_all REASON: the part cannot run here: "# SKIP REASON", the closing line, exit;
#   tap_done: the closing "N passed, N failed" (then ", N todo" if any) and the status.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/talc-${part:-test}.XXXXXX")
tap_cleanup() { :; }
trap 'tap_cleanup; rm -rf "$work"' EXIT INT TERM
n=0 passed=0 failed=0 todo=0
ok() { n=$((n+1)); passed=$((passed+1)); echo "ok $n - $1"; }
skip() { ok "$1 # SKIP $2"; }
# tap_show FILE LINES PREFIX: the lines of FILE shown under a "not ok"; always succeeds, so that
# `cond && not_ok ... || ok ...` reports once
tap_show() {
    [ -f "$1" ] || return 0
    case $2 in -*) tail -n "${2#-}" "$1" ;; *) head -n "$2" "$1" ;; esac | sed "s/^/$3/"
    return 0
}
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; tap_show "${2-$work/err}" "${3:-12}" '# '; }
not_yet() { n=$((n+1)); todo=$((todo+1)); echo "not ok $n - $1 # TODO $2"; tap_show "${3:-}" 6 '#   '; }
skip_all() { echo "# SKIP $1"; tap_done; exit; }
tap_done() {
    tap_todo=""; [ "$todo" -eq 0 ] || tap_todo=", $todo todo"
    echo "$passed passed, $failed failed$tap_todo"
    [ "$failed" -eq 0 ]
}
