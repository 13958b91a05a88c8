-- Sends by selector and by receiver class, for the whole run: every send the interpreter makes
-- (those talc.vm.sendCount counts: not the arithmetic and comparisons that special-selector
-- bytecodes do inline on SmallIntegers).
--   talc-sim --script platforms/sim/scripts/sends.lua IMAGE [image-arguments]
-- TALC_TOP=N rows per table (default 15).
local report = require "report"
local top = tonumber(os.getenv("TALC_TOP")) or 15

local bySelector, byClass = {}, {}
local before = talc.counters().sends
talc.onSend(function(selector, classIndex)
  bySelector[selector] = (bySelector[selector] or 0) + 1
  byClass[classIndex] = (byClass[classIndex] or 0) + 1
end)
local stop = talc.continue()
while stop.reason ~= "exit" do stop = talc.continue() end
talc.onSend(nil)

print()
local total = report.top("sends by selector", bySelector, top)
print()
report.top("sends by receiver class", byClass, top, function(index) return talc.className(index) or ("class index " .. index) end)
print()
print(string.format("sends counted: %d; talc.vm.sendCount grew by %d", total, talc.counters().sends - before))
