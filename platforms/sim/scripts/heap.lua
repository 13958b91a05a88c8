-- The heap: instances and bytes per class (headers included), as the image was loaded and as
-- it is when the image quits (objects not yet collected included: no collection is forced).
--   talc-sim --script platforms/sim/scripts/heap.lua IMAGE [image-arguments]
-- TALC_TOP=N classes listed (default 15), by bytes at the end.
local report = require "report"
local top = tonumber(os.getenv("TALC_TOP")) or 15

local function census()
  local counts, bytes, objects, total = {}, {}, 0, 0
  talc.eachObject(function(classIndex, size)
    counts[classIndex] = (counts[classIndex] or 0) + 1
    bytes[classIndex] = (bytes[classIndex] or 0) + size
    objects, total = objects + 1, total + size
  end)
  return {counts = counts, bytes = bytes, objects = objects, total = total}
end

local function nameOf(index)
  if index < 32 then return string.format("(hidden, class index %d)", index) end
  return talc.className(index) or string.format("(class index %d)", index)
end

local start = census()
print(string.format("heap at start: %d objects, %d bytes (the image: %d objects)", start.objects, start.total, talc.vm.objectsInImage))
local stop = talc.continue()
while stop.reason ~= "exit" do stop = talc.continue() end
local finish = census()

local rows = report.sorted(finish.bytes, nameOf)
local byName = {}
for index, b in pairs(finish.bytes) do byName[nameOf(index)] = index end
print()
print(string.format("heap at exit by class (top %d of %d classes by bytes)", math.min(top, #rows), #rows))
print(string.format("  %10s %12s %7s %10s %12s  %s", "instances", "bytes", "%", "at start", "bytes", "class"))
for i = 1, math.min(top, #rows) do
  local index = byName[rows[i].name]
  print(string.format("  %10d %12d %6.2f%% %10d %12d  %s", finish.counts[index], rows[i].count,
    report.percent(rows[i].count, finish.total), start.counts[index] or 0, start.bytes[index] or 0, rows[i].name))
end
print(string.format("heap at exit: %d objects, %d bytes; %d scavenges, %d full collections; old space %d bytes used, %d in free chunks",
  finish.objects, finish.total, talc.vm.scavengeCount, talc.vm.fullGCCount,
  talc.vm.endOfOldObjects - talc.vm.oldSpaceStart, talc.vm.oldSpaceFreeChunkBytes))
