#!/bin/sh
# Bad images: each is made from the good headless.image by patching a few bytes, then run on
# build/talc and build/talc-sim. Each must be refused cleanly: the documented exit status
# (65 bad image, 66 unreadable file), no death by signal, nothing on stdout, and exactly one
# line on stderr naming the file and the problem.
# TAP on stdout, then "N passed, N failed". Run from anywhere; needs the VMs built (make).
part=bad-images; . "$(dirname "$0")/../lib/tap.sh"
tap_cleanup() { chmod -R u+rwx "$work" 2>/dev/null; }   # unreadable.image, below, is chmod 000
good=../shared/images/headless.image
[ -f "$good" ] || skip_all "../shared/images not present"
CC=${CC:-cc}

for vm in build/talc build/talc-sim; do
    [ -x "$vm" ] || { echo "Bail out! $vm is not built (run make)"; exit 1; }
done
$CC -std=c11 -O1 -Wall -Wextra -o "$work/imgtool" tests/tools/imgtool.c 2>"$work/cc.log" ||
    { cat "$work/cc.log"; echo "Bail out! cannot build tests/tools/imgtool.c"; exit 1; }
T="$work/imgtool"
"$T" info "$good" >"$work/info" || { echo "Bail out! imgtool cannot read $good"; exit 1; }
. "$work/info"   # filesize, datasize, oldbase, specials, firstseg, *_hdr, *_oop, *_slots, unused_class_index
sed 's/^/# /' "$work/info" | tr '\n' ' ' | sed 's/ # / /g; s/ *$/\n/'

# expect NAME STATUS PATTERN: run NAME (a file in $work, or a path) on both VMs; stderr must be
# one line holding the path and PATTERN (an extended regex, case-insensitive).
expect() {
    name=$1 status=$2 pattern=$3
    case $name in /*) path=$name ;; *) path="$work/$name" ;; esac
    for vm in build/talc build/talc-sim; do
        timeout 20 "$vm" "$path" >"$work/out" 2>"$work/err"
        rc=$?
        lines=$(wc -l <"$work/err")
        why=""
        if [ $rc -ge 124 ]; then why="exit status $rc: timeout or death by signal"
        elif [ $rc -ne "$status" ]; then why="exit status $rc, expected $status"
        elif [ -s "$work/out" ]; then why="stdout is not empty"
        elif [ "$lines" -ne 1 ]; then why="stderr has $lines lines, expected 1"
        elif ! grep -qF -- "$path" "$work/err"; then why="stderr does not name the file"
        elif ! grep -qiE -- "$pattern" "$work/err"; then why="stderr does not match /$pattern/"
        fi
        if [ -z "$why" ]; then ok "$name refused by $vm ($rc): $pattern"; else
            { echo "$why"; echo "--- stdout"; head -5 "$work/out"; echo "--- stderr"; head -10 "$work/err"; } >"$work/why"
            not_ok "$name refused by $vm: $pattern" "$work/why" 20
        fi
    done
}

# copy NAME: a fresh copy of the good image; patch NAME OFFSET VALUE: one 32-bit word
copy()  { cp "$good" "$work/$1" && chmod u+w "$work/$1"; }
patch() { "$T" put32 "$work/$1" "$2" "$3"; }
word()  { "$T" get32 "$good" "$1"; }
bad()   { copy "$1" && patch "$@"; }

# ---- the file itself ----
expect missing.image 66 "no such file"
mkdir "$work/dir.image"
expect dir.image 66 "directory"
: >"$work/empty.image"
expect empty.image 65 "too small"
head -c 30 "$good" >"$work/cut-in-header.image"
expect cut-in-header.image 65 "too small"
head -c $((filesize / 2)) "$good" >"$work/cut-in-body.image"
expect cut-in-body.image 65 "truncated"
head -c $((filesize - 4)) "$good" >"$work/last-word-missing.image"
expect last-word-missing.image 65 "truncated"
if [ "$(id -u)" != 0 ]; then   # root reads anything
    copy unreadable.image && chmod 000 "$work/unreadable.image"
    expect unreadable.image 66 "permission denied"
fi

# ---- the header (words at 0 format, 4 header size, 8 data size, 12 old base, 16 specials, 48 first segment) ----
bad v3-format.image 0 6502
expect v3-format.image 65 "V3"
bad spur64-format.image 0 68021
# a 32-bit body under the 64-bit format number: the 64-bit VM finds the header itself wrong
expect spur64-format.image 65 "corrupt image header: header size 64"
bad byte-swapped.image 0 0x79190000
expect byte-swapped.image 65 "unknown format.*big-endian"
bad zero-format.image 0 0
expect zero-format.image 65 "unknown format"
bad header-size.image 4 128
expect header-size.image 65 "header size"
bad header-size-zero.image 4 0
expect header-size-zero.image 65 "header size"
bad data-size-too-big.image 8 $((datasize + 8))
expect data-size-too-big.image 65 "truncated|inconsistent"
bad data-size-huge.image 8 0x7FFFFFF8
expect data-size-huge.image 65 "truncated|inconsistent"
bad data-size-negative.image 8 0xFFFFFFF8
expect data-size-negative.image 65 "truncated|inconsistent"
bad data-size-short.image 8 $((datasize - 16))
expect data-size-short.image 65 "segment|inconsistent"
bad first-segment-too-big.image 48 $((firstseg + 8))
expect first-segment-too-big.image 65 "segment"
bad first-segment-short.image 48 $((firstseg - 16))
expect first-segment-short.image 65 "segment|inconsistent|corrupt"
bad first-segment-odd.image 48 $((firstseg - 4))
expect first-segment-odd.image 65 "segment"
bad first-segment-zero.image 48 0
expect first-segment-zero.image 65 "segment"
bad specials-outside.image 16 0x7FFFFFF0
expect specials-outside.image 65 "special objects"
bad specials-zero.image 16 0
expect specials-zero.image 65 "special objects"
bad specials-mid-object.image 16 $((specials + 8))
expect specials-mid-object.image 65 "special objects"
bad specials-is-nil.image 16 "$nil_oop"
expect specials-is-nil.image 65 "special objects"
bad old-base-moved.image 12 $((oldbase + 0x100000))
expect old-base-moved.image 65 "reference"

# ---- object headers in the body ----
# the first object with an overflow header (the hidden roots): its overflow count made huge
bad slots-huge.image $((overflow_hdr - 8)) 0x7FFFFFFF
expect slots-huge.image 65 "bad object header"
# the last object of the segment: numSlots 254 runs past the segment's end
copy slots-past-end.image && "$T" put8 "$work/slots-past-end.image" $((last_hdr + 7)) 254
expect slots-past-end.image 65 "bad object header"
# an overflow header without the 255 marker in the object's own header
copy overflow-unmarked.image && "$T" put8 "$work/overflow-unmarked.image" $((overflow_hdr + 7)) 3
expect overflow-unmarked.image 65 "bad object header"
# an ordinary object made to claim one slot more than it has: the next header is misparsed
copy slots-plus-one.image && "$T" put8 "$work/slots-plus-one.image" $((pointer_hdr + 7)) $((pointer_slots + 2))
expect slots-plus-one.image 65 "corrupt image"
low=$(word "$pointer_hdr")
bad format-6.image "$pointer_hdr" $(( (low & ~0x1F000000) | (6 << 24) ))
expect format-6.image 65 "bad object header"
bad format-forwarded.image "$pointer_hdr" $(( (low & ~0x1F000000) | (7 << 24) ))
expect format-forwarded.image 65 "bad object header"
bad class-index-unused.image "$pointer_hdr" $(( (low & ~0x3FFFFF) | unused_class_index ))
expect class-index-unused.image 65 "class index"
bad class-index-max.image "$pointer_hdr" $(( (low & ~0x3FFFFF) | 0x3FFFFF ))
expect class-index-max.image 65 "class index"
bad class-index-pun.image "$pointer_hdr" $(( (low & ~0x3FFFFF) | 5 ))
expect class-index-pun.image 65 "class index"
bad nil-class-forwarded.image "$nil_hdr" $(( ($(word "$nil_hdr") & ~0x1F3FFFFF) | (7 << 24) | 8 ))
expect nil-class-forwarded.image 65 "bad object header|reference|special objects|hidden roots"

# ---- references in the body (slot 0 of an ordinary pointer object) ----
bad ref-outside-heap.image $((pointer_hdr + 8)) 0x7FFFFFF0
expect ref-outside-heap.image 65 "invalid reference"
bad ref-below-heap.image $((pointer_hdr + 8)) 8
expect ref-below-heap.image 65 "invalid reference"
bad ref-mid-object.image $((pointer_hdr + 8)) $((pointer_oop + 8))
expect ref-mid-object.image 65 "invalid reference"
bad ref-to-bridge.image $((pointer_hdr + 8)) $((oldbase + firstseg - 16))
expect ref-to-bridge.image 65 "invalid reference"
bad hidden-roots-bad-page.image $((hiddenroots_hdr + 8)) "$nil_oop"
expect hidden-roots-bad-page.image 65 "hidden roots|class index"
# the mourn queue (hidden root 4098) must be nil or a page of Open-Smalltalk-VM's object stacks
bad mourn-queue-not-a-page.image $((hiddenroots_hdr + 8 + 4098 * 4)) "$pointer_oop"
expect mourn-queue-not-a-page.image 65 "hidden roots.*check 8"

# ---- the segment bridge (the last 16 bytes of a segment: a header, then the next segment's
#      size as a 64-bit word, 0 for the last segment) ----
bridge=$((64 + firstseg - 16))
bad next-segment-huge.image $((bridge + 8)) 0xFFFFFFF8 && patch next-segment-huge.image $((bridge + 12)) 0x7FFFFFFF
expect next-segment-huge.image 65 "segment"
bad next-segment-negative.image $((bridge + 12)) 0xFFFFFFFF
expect next-segment-negative.image 65 "segment"
bad next-segment-past-end.image $((bridge + 8)) 4096
expect next-segment-past-end.image 65 "segment"
bad next-segment-tiny.image $((bridge + 8)) 8
expect next-segment-tiny.image 65 "segment"

# ---- from the special objects to the active process: only pointer objects may be followed ----
bad scheduler-assoc-immediate.image $((specials_hdr + 8 + 3 * 4)) 1
expect scheduler-assoc-immediate.image 65 "active process"
bad scheduler-assoc-bytes.image $((specials_hdr + 8 + 3 * 4)) "$bytes_oop"
expect scheduler-assoc-bytes.image 65 "active process"
bad scheduler-bytes.image $((assoc_hdr + 8 + 4)) "$bytes_oop"
expect scheduler-bytes.image 65 "active process"
bad active-process-immediate.image $((sched_hdr + 8 + 4)) 1
expect active-process-immediate.image 65 "active process"
bad active-process-bytes.image $((sched_hdr + 8 + 4)) "$bytes_oop"
expect active-process-bytes.image 65 "active process"
bad suspended-context-bytes.image $((proc_hdr + 8 + 4)) "$bytes_oop"
expect suspended-context-bytes.image 65 "active process"
bad context-class-immediate.image $((specials_hdr + 8 + 10 * 4)) 1
expect context-class-immediate.image 65 "special objects"
bad specials-bytes.image 16 "$bytes_oop"
expect specials-bytes.image 65 "special objects"

# ---- forwarders and free chunks ----
fwd() { echo $(( ($("$T" get32 "$good" "$1") & ~0x1F3FFFFF) | (7 << 24) | 8 )); }   # header made a forwarder's
# an object made a forwarder to itself, with referrers: following them must stop
bad self-forwarder.image "$pointer_hdr" "$(fwd "$pointer_hdr")" && patch self-forwarder.image $((pointer_hdr + 8)) "$pointer_oop"
expect self-forwarder.image 65 "invalid reference"
# the special objects array made a forwarder to itself, its one referrer pointed at nil: only the
# header leads there, and following it must not hang
if [ "$specials_refs" -eq 1 ]; then
    bad specials-self-forwarder.image "$specials_hdr" "$(fwd "$specials_hdr")" &&
        patch specials-self-forwarder.image $((specials_hdr + 8)) "$specials" &&
        patch specials-self-forwarder.image "$specials_ref_slot" "$nil_oop"
    expect specials-self-forwarder.image 65 "special objects"
fi
# an object without slots made a forwarder: its forwarding pointer is its one word of body, here
# an immediate, which its referrers must not be forwarded to
bad zero-slot-forwarder.image "$zero_hdr" "$(fwd "$zero_hdr")" && patch zero-slot-forwarder.image $((zero_hdr + 8)) 1
expect zero-slot-forwarder.image 65 "invalid reference"
# an object made a free chunk while something refers to it
bad ref-to-free-chunk.image "$pointer_hdr" $(( $(word "$pointer_hdr") & ~0x3FFFFF ))
expect ref-to-free-chunk.image 65 "invalid reference"

tap_done
