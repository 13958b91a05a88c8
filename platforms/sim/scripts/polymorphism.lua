-- Send-site polymorphism, the interpreter's view of what inline caches would see: for every send
-- site reached (a method or block, the pc of its send bytecode, and the selector, so that a
-- perform: site counts once per selector it sent), the number of receiver classes seen there.
-- Monomorphic: 1 class, polymorphic: 2 to 6, megamorphic: more than 6 (Open-Smalltalk-VM's
-- polymorphic inline caches hold 6 entries).
--   talc-sim --script platforms/sim/scripts/polymorphism.lua IMAGE [image-arguments]
-- TALC_TOP=N megamorphic sites listed (default 10).
local report = require "report"
local top = tonumber(os.getenv("TALC_TOP")) or 10

local sites = {}   -- sites[method][pc][selector] = {classes = {[classIndex] = sends}, n = classes}
talc.onSend(function(selector, classIndex, method, pc)
  local m = sites[method]
  if not m then m = {}; sites[method] = m end
  local p = m[pc]
  if not p then p = {}; m[pc] = p end
  local s = p[selector]
  if not s then s = {classes = {}, n = 0, sends = 0}; p[selector] = s end
  local c = s.classes[classIndex]
  if not c then s.n = s.n + 1; c = 0 end
  s.classes[classIndex] = c + 1
  s.sends = s.sends + 1
end)
local stop = talc.continue()
while stop.reason ~= "exit" do stop = talc.continue() end
talc.onSend(nil)

local kinds = {"monomorphic", "polymorphic", "megamorphic"}
local siteCount, sendCount, all, mega = {0, 0, 0}, {0, 0, 0}, {0, 0}, {}
for method, pcs in pairs(sites) do
  for pc, selectors in pairs(pcs) do
    for selector, s in pairs(selectors) do
      local k = s.n == 1 and 1 or s.n <= 6 and 2 or 3
      siteCount[k] = siteCount[k] + 1
      sendCount[k] = sendCount[k] + s.sends
      all[1], all[2] = all[1] + 1, all[2] + s.sends
      if k == 3 then mega[#mega + 1] = {name = string.format("%s pc %d #%s", method, pc, selector), n = s.n, sends = s.sends} end
    end
  end
end

print()
print(string.format("send sites: %d reached, %d sends", all[1], all[2]))
print(string.format("  %-12s %8s %8s %12s %8s", "", "sites", "%", "sends", "%"))
for k = 1, 3 do
  print(string.format("  %-12s %8d %7.2f%% %12d %7.2f%%", kinds[k], siteCount[k], report.percent(siteCount[k], all[1]),
    sendCount[k], report.percent(sendCount[k], all[2])))
end
table.sort(mega, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.name < b.name end)
if #mega > 0 then
  print()
  print(string.format("megamorphic sites (top %d of %d by receiver classes)", math.min(top, #mega), #mega))
  for i = 1, math.min(top, #mega) do
    print(string.format("  %4d classes %10d sends  %s", mega[i].n, mega[i].sends, mega[i].name))
  end
end
