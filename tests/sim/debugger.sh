#!/bin/sh
# The simulator's debugger (docs/simulator.md) on tests/sim/debugger.st (run DebugProbe: five
# bump: sends to one probe) and on build/talc.image: Lua scripts that break on a send and read
# the receiver, conditional breakpoints (a Lua function, and --break-if), step/next/finish, a
# watchpoint with its old and new values and the spec's file:line, followed across scavenges,
# GC/method/bytecode breakpoints, the prompt driven through stdin, Lua errors reported with their
# line and the VM going on, a failed check as a last stop, the analysis scripts' tables adding up,
# and bad options (exit 64). Both word sizes where the run is short.
part=sim-debugger; . "$(dirname "$0")/../lib/tap.sh"

# fail DESC [WHY]: not ok, with WHY and then the last run's stderr and stdout as comments
fail() { { [ -n "${2:-}" ] && echo "$2"; cat "$work/err" "$work/out" 2>/dev/null; } >"$work/why"; not_ok "$1" "$work/why"; }
# has DESC PATTERN [FILE]: a line of FILE (default the last run's stdout) matches the extended regex
has() { if grep -Eq -- "$2" "${3:-$work/out}"; then ok "$1"; else fail "$1" "no line matching: $2"; fi; }
# count DESC N PATTERN [FILE]: exactly N lines match
count() { c=$(grep -Ec -- "$3" "${4:-$work/out}"); if [ "$c" -eq "$2" ]; then ok "$1"; else fail "$1" "$c lines match $3, expected $2"; fi; }
# sim [VM] ARGS...: runs the simulator with stdin from $work/in (empty unless written), 120 s at most
sim() { timeout 120 "$@" <"$work/in" >"$work/out" 2>"$work/err"; rc=$?; }
status() { if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1" "exit status $rc, expected $2"; fi; }
script() { cat >"$work/$1.lua"; }

make -s build/talc-boot build/talc-sim build/talc-sim32 build/talc.image >/dev/null 2>&1 || { echo "Bail out! cannot build"; exit 1; }
for ws in 64 32; do
    ./build/talc-boot --word-size $ws -o "$work/probe$ws.image" tests/sim/debugger.st >"$work/out" 2>&1 ||
        { echo "Bail out! talc-boot tests/sim/debugger.st"; cat "$work/out"; exit 1; }
done
: >"$work/in"

# ---- breakpoints, stepping and watchpoints from a script, on both word sizes ----
script send <<'EOF'
talc.breakSend("bump:")
local hit = talc.continue()
print("hit", hit.reason, hit.selector:value(), hit.receiver, hit.args[1]:value(), hit.receiver:slot("label"))
print("frame", talc.frame(1).name, talc.frame(2).name, #talc.frames() >= 3)
EOF
script api <<'EOF'
local s = talc.continue(talc.breakSend("bump:"))
local probeClass = talc.classNamed("DebugProbe")
print("class", probeClass, probeClass == s.receiver:class(), talc.classNamed("DebugProbe class") == probeClass:class(),
  talc.className(s.receiver:classIndex()), #talc.classes() > 50)
print("values", talc.integer(-7):value(), talc.oop((955 << (talc.wordSize == 8 and 3 or 2)) | 2):value(), talc.specialObject(0), talc.specialObject(1):value())
print("process", talc.activeProcess():className(), talc.vm.bytecodeCount == talc.counters().bytecodes)
print("memory", talc.wordAt(s.receiver:oop() + 8) == s.receiver:slot(1):oop(), pcall(talc.wordAt, s.receiver:oop() + 1))
print("errors", select(2, pcall(s.receiver.slot, s.receiver, 3)), select(2, pcall(function() talc.vm.x = 1 end)))
EOF
script conditional <<'EOF'
local calls, hits = 0, {}
talc.breakSend("bump:", function(hit) calls = calls + 1 return hit.args[1]:value() == 3 end)
repeat
  local s = talc.continue()
  if s.reason == "send" then hits[#hits + 1] = s.args[1]:value() end
until s.reason == "exit"
print("conditional", table.concat(hits, ","), calls)
EOF
script stepping <<'EOF'
talc.breakSend("bump:")
local s = talc.continue()
local sendPC = talc.frame(1).pc
talc.delete(s.id)
s = talc.step()
local first = talc.frame(1).pc
print("step", s.reason, talc.frame(1).name, talc.frame(2).name)
s = talc.next()
print("next", s.reason, talc.frame(1).name, talc.frame(1).pc == first + 1)
s = talc.finish()
print("finish", s.reason, talc.frame(1).name, talc.frame(1).pc > sendPC)
talc.breakMethod("DebugProbe>>bump:")
s = talc.continue()
print("method", s.reason, s.where)
local seen = {}
repeat
  s = talc.next()
  seen[talc.frame(1).name] = true
until talc.frame(1).name ~= "DebugProbe>>bump:"
print("next over", seen["DebugProbe>>twice:"] and "entered twice:" or "stayed in bump:", talc.frame(1).name)
EOF
script watch <<'EOF'
local s = talc.continue(talc.breakSend("bump:"))
talc.delete(s.id)
print("probe", string.format("0x%x", s.receiver:oop()))
local w = talc.watch(s.receiver, "count")
s = talc.continue()
print("watch", s.reason, s.id == w, s.old, s.new, s.file .. ":" .. s.line, s.callers)
print("where", talc.frame(1).name)
s = talc.continue()
print("again", s.old:value(), s.new:value())
EOF
for ws in 64 32; do
    vm=build/talc-sim; [ $ws = 32 ] && vm=build/talc-sim32
    img=$work/probe$ws.image
    sim $vm --script "$work/send.lua" "$img" run DebugProbe
    has "$ws-bit: break on a send, the receiver, its argument and slot" "^hit	send	bump:	a DebugProbe	1	'probe'$"
    has "$ws-bit: the frames at the send" "^frame	DebugProbe class>>main	SystemDictionary>>main:	true$"
    has "$ws-bit: the run goes on after the script" "^count 30 label probe\.\.\.\.\.$"
    sim $vm --script "$work/api.lua" "$img" run DebugProbe
    has "$ws-bit: classes by name, metaclasses, the class table" "^class	DebugProbe	true	true	DebugProbe	true$"
    has "$ws-bit: Lua values of a SmallInteger, a Character, nil and false" "^values	-7	λ	nil	false$"
    has "$ws-bit: the active process, VM variables and counters" "^process	Process	true$"
    has "$ws-bit: memory reads through the checked accessors; a misaligned one is an error" "^memory	true	false	address 0x[0-9a-f]+ is not aligned to [48] bytes$"
    has "$ws-bit: a slot out of range and a write to talc.vm are errors" "^errors	.*slot 3 out of range \(the object has 2 pointer slots\)	.*talc.vm is read-only$"
    sim $vm --script "$work/conditional.lua" "$img" run DebugProbe
    has "$ws-bit: a conditional breakpoint stops only where its predicate holds (tested at every send)" "^conditional	3	5$"
    sim $vm --script "$work/stepping.lua" "$img" run DebugProbe
    has "$ws-bit: step from a send enters the method" "^step	step	DebugProbe>>bump:	DebugProbe class>>main$"
    has "$ws-bit: next moves one bytecode on in the frame" "^next	next	DebugProbe>>bump:	true$"
    has "$ws-bit: finish returns to the sender, past the send" "^finish	finish	DebugProbe class>>main	true$"
    has "$ws-bit: a method breakpoint stops at its first bytecode" "^method	method	DebugProbe>>bump: pc [0-9]+$"
    has "$ws-bit: next steps over the sends of the method, then leaves it" "^next over	stayed in bump:	DebugProbe class>>main$"
    sim $vm --script "$work/watch.lua" "$img" run DebugProbe
    has "$ws-bit: a watchpoint on a slot: old and new value, the spec's store and the bytecode" \
        "^watch	watch	true	nil	2	vmspec/objmem\.c:[0-9]+	storePointer < sistaPopIntoReceiverVariableBytecode$"
    has "$ws-bit: the watchpoint stops in the method that stores" "^where	DebugProbe>>bump:$"
    has "$ws-bit: the next write of the slot" "^again	2	6$"
    # the same watchpoint from the command line: addresses are the same from run to run
    probe=$(sed -n 's/^probe	//p' "$work/out")
    sim $vm --watch "$probe:1" "$img" run DebugProbe
    count "$ws-bit: --watch OOP:SLOT, an object allocated during the run, stops at each of the five writes" 5 "^stopped: watchpoint 1: slot 1 \(count\) of a DebugProbe written: .* at vmspec/objmem\.c:[0-9]+"
    has "$ws-bit: --watch: the first write" "written: nil -> 2 at "
    sim $vm --watch-range "$(printf '0x%x' $((probe + 8))):4" "$img" run DebugProbe
    count "$ws-bit: --watch-range ADDRESS:BYTES stops at each write of those bytes" 6 "^stopped: watchpoint 1: [48] bytes at $(printf '0x%x' $((probe + 8))) written: 0x"
    has "$ws-bit: --watch-range: the allocation's own write" "^stopped: watchpoint 1: [48] bytes at $(printf '0x%x' $((probe + 8))) written: 0x0 -> 0x[0-9a-f]+ at vmspec/objmem\.c:[0-9]+ \(allocateSlots < "
done

# ---- the command line: conditions, method, bytecode and GC breakpoints ----
img=$work/probe64.image
sim build/talc-sim --break-send bump: --break-if 'hit.args[1]:value() % 2 == 0' "$img" run DebugProbe
count "--break-send with --break-if: two of five sends stop" 2 "^stopped: breakpoint 1: send #bump: to a DebugProbe, args \([24]\), in DebugProbe class>>main pc [0-9]+$"
has "--break-send: the run ends normally when the input ends" "^count 30 label"
sim build/talc-sim --break-method 'DebugProbe class>>main' "$img" run DebugProbe
has "--break-method on a class-side method" "^stopped: breakpoint 1: entering DebugProbe class>>main, self DebugProbe, in DebugProbe class>>main pc [0-9]+$"
sim build/talc-sim --break-bytecode 1000 "$img" run DebugProbe
has "--break-bytecode N stops before the Nth bytecode" "^stopped: breakpoint 1: bytecode 1000, in "
script gc <<'EOF'
local s = talc.continue(talc.breakSend("bump:"))
local probe, at = s.receiver, s.receiver:oop()
talc.delete(s.id)
local w = talc.watch(probe, "count")
talc.disable(w)
local g = talc.breakGC("scavenge")
local before = talc.counters().scavenges
s = talc.continue()
print("gc", s.reason, s.gc, talc.counters().scavenges - before)
talc.delete(g)
talc.enable(w)
s = talc.continue()
print("followed", s.reason, s.object:oop() ~= at, talc.counters().scavenges > before, s.new:value() > s.old:value())
print(select(2, pcall(probe.oop, probe)))
EOF
sim build/talc-sim --scavenge-every 3 --script "$work/gc.lua" "$img" run DebugProbe
has "a GC breakpoint stops before the scavenge" "^gc	gc	scavenge	0$"
has "a watchpoint follows its object when a scavenge moves it" "^followed	watch	true	true	true$"
has "an object read before a collection is refused as stale" "^stale object 0x[0-9a-f]+: the VM collected garbage since"

# ---- the prompt, driven through stdin ----
printf 'b bump:\nc\nbt\np talc.where().receiver\ns\nwhere\nn\nf\nbreakpoints\nprint(pcall(talc.wordAt, 0))\nq 7\n' >"$work/in"
sim build/talc-sim --interactive "$img" run DebugProbe
has "prompt: the first stop, before the first bytecode" "^stopped: before the first bytecode, in "
has "prompt: b sets a send breakpoint" "^breakpoint 1$"
has "prompt: c runs to it" "^stopped: breakpoint 1: send #bump: to a DebugProbe, args \(1\)"
has "prompt: bt" "^#1 DebugProbe class>>main pc [0-9]+, self DebugProbe, temps \(a DebugProbe, 1, 5\)$"
has "prompt: p prints an expression" "^a DebugProbe$"
has "prompt: s steps into the method" "^stopped: step, in DebugProbe>>bump: pc [0-9]+$"
has "prompt: where" "^step, in DebugProbe>>bump: pc [0-9]+$"
has "prompt: f finishes the method" "^stopped: finish, in DebugProbe class>>main pc [0-9]+$"
has "prompt: breakpoints lists them with their hits" "^1	send #bump:		1 hits$"
has "prompt: a bad address is a Lua error, not a crash" "^false	address 0x0 is outside VM memory$"
status "prompt: q 7 ends the run with status 7" 7
printf 'print("count", talc.vm.bytecodeCount)\nnil + 1\nprint("count", talc.vm.bytecodeCount)\nprint(talc.vm.noSuchVariable)\nc\n' >"$work/in"
sim build/talc-sim --interactive "$img" run DebugProbe
has "prompt: an error names the line" "^talc-sim: error: prompt:1: attempt to perform arithmetic on a nil value" "$work/err"
has "prompt: an unknown VM variable is an error" "talc.vm has no variable 'noSuchVariable'" "$work/err"
if [ "$(grep -c '^count	' "$work/out")" -eq 2 ] && [ "$(grep '^count	' "$work/out" | sort -u | wc -l)" -eq 1 ]
then ok "prompt: the VM state is left as it was by the error"; else fail "prompt: VM state unchanged by an error"; fi
has "prompt: c runs the image to its end" "^count 30 label"
has "prompt: --interactive stops at the exit too" "^stopped: the image quit with status 0$"
status "prompt: the image's exit status" 0
: >"$work/in"

# ---- Lua errors in a script ----
script error <<'EOF'
talc.breakSend("bump:")
local s = talc.continue()
print("before", talc.vm.bytecodeCount)
local t = nil
print(t.x)
EOF
sim build/talc-sim --script "$work/error.lua" "$img" run DebugProbe
has "a script error is reported with the script's line" "^talc-sim: script error: .*error\.lua:5: attempt to index a nil value \(local 't'\)" "$work/err"
has "after a script error the VM goes on from where it stopped" "^count 30 label probe\.\.\.\.\.$"
status "a script error makes the exit status 1" 1

# ---- a failed check is a last stop ----
if [ -f ../shared/images/headless.image ]; then
    ${CC:-cc} -std=c11 -O2 -o "$work/corrupt" tests/tools/corrupt_startup.c &&
        "$work/corrupt" ../shared/images/headless.image "$work/bad.image" 0x3F >/dev/null
    script check <<'EOF'
local s = talc.continue()
print("stop", s.reason, s.message)
print(pcall(talc.continue))
EOF
    sim build/talc-sim --script "$work/check.lua" "$work/bad.image"
    has "a failed check stops the VM for the script" "^stop	check	vmspec/objmem\.c:[0-9]+: checked access failed: slot 32 of object 0x[0-9a-f]+, which has [0-9]+$"
    has "after a failed check the VM cannot run on" "^false	talc.continue: the VM cannot run on after a failed check"
    status "a failed check still ends the run with status 70" 70
fi

# ---- the analysis scripts on the default image's test suite ----
sim build/talc-sim --script platforms/sim/scripts/sends.lua build/talc.image test
has "sends.lua: the image's suite ran" "^[0-9]+ passed, 0 failed$"
total=$(sed -n 's/^sends by selector (top [0-9]* of [0-9]*; \([0-9]*\) sends)$/\1/p' "$work/out")
classes=$(sed -n 's/^sends by receiver class (top [0-9]* of [0-9]*; \([0-9]*\) sends)$/\1/p' "$work/out")
if [ -n "$total" ] && [ "$total" -gt 0 ] && [ "$total" = "$classes" ] && grep -q "^sends counted: $total; talc.vm.sendCount grew by $total$" "$work/out"
then ok "sends.lua: by selector and by class, both add up to the VM's send counter ($total)"; else fail "sends.lua: the tables add up to sendCount"; fi
has "sends.lua: a selector row" "^ +[0-9]+ +[0-9.]+%  at:$"
sim build/talc-sim --script platforms/sim/scripts/polymorphism.lua build/talc.image test
if awk '/^send sites: /{ sites = $3; sends = $5 }
        /^  (mono|poly|mega)morphic /{ s += $2; p += $3; c += $4 }
        END { exit !(sites > 0 && s == sites && c == sends && p > 99.9 && p < 100.1) }' "$work/out"
then ok "polymorphism.lua: mono-, poly- and megamorphic sites add up to the sites and sends reached"; else fail "polymorphism.lua: the summary adds up"; fi
has "polymorphism.lua: megamorphic sites listed" "^ +[0-9]+ classes +[0-9]+ sends  .*>>.* pc [0-9]+ #"
sim build/talc-sim --script platforms/sim/scripts/heap.lua build/talc.image test
if grep -Eq '^heap at start: ([0-9]+) objects, [0-9]+ bytes \(the image: \1 objects\)$' "$work/out"
then ok "heap.lua: the census at start counts every object of the image"; else fail "heap.lua: census at start"; fi
has "heap.lua: a class row" "^ +[0-9]+ +[0-9]+ +[0-9.]+% +[0-9]+ +[0-9]+  CompiledMethod$"
sim build/talc-sim32 --script platforms/sim/scripts/sends.lua build/talc32.image test IntegerTest
if grep -Eq '^sends counted: ([0-9]+); talc.vm.sendCount grew by \1$' "$work/out"
then ok "32-bit: sends.lua adds up"; else fail "32-bit: sends.lua adds up"; fi

# ---- bad input: a clear error and status 64 ----
bad() {
    desc=$1 pattern=$2
    shift 2
    sim build/talc-sim "$@" "$img" run DebugProbe
    if [ "$rc" -eq 64 ] && grep -Eq -- "$pattern" "$work/err"; then ok "bad input: $desc"
    else fail "bad input: $desc" "exit status $rc, expected 64 and: $pattern"; fi
}
printf 'talc.breakSend("x"\n' >"$work/syntax.lua"
bad "a missing script" "^talc-sim: --script: cannot open $work/nothing\.lua" --script "$work/nothing.lua"
bad "a script that does not compile names its line" "^talc-sim: --script: .*syntax\.lua:2: " --script "$work/syntax.lua"
bad "an empty selector" "^talc-sim: --break-send: an empty selector" --break-send ""
bad "a method not written Class>>selector" "^talc-sim: --break-method 'bump': expected Class>>selector" --break-method bump
bad "a bytecode count of 0" "^talc-sim: --break-bytecode '0': expected a positive bytecode count" --break-bytecode 0
bad "an unknown kind of GC" "^talc-sim: --break-gc 'often': expected any, scavenge or full" --break-gc often
bad "--break-if before any breakpoint" "^talc-sim: --break-if 'true' must follow" --break-if true
bad "--break-if that does not compile" "^talc-sim: --break-if: condition:1: " --break-send bump: --break-if 'hit..'
bad "--watch without a slot" "^talc-sim: --watch '0x10000000': expected ADDRESS:N" --watch 0x10000000
bad "--watch of an address no object can have" "^talc-sim: --watch 0x10000001:1: not the address of an object" --watch 0x10000001:1
bad "--watch-range outside VM memory" "^talc-sim: --watch-range 0x10:8: not in VM memory" --watch-range 0x10:8

tap_done
