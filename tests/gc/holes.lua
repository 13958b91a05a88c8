-- tests/gc/segments.sh: after the collection that empties segments below a live object
-- (SegmentsHoles sends vmParameterAt: right after it; the first such send once there are holes),
-- mark-sweep has given them back: the simulator refuses to read them, the others still read
talc.breakSend("vmParameterAt:", function(hit) return talc.vm.oldSpaceHoleBytes > 0 end)
talc.continue()
local seg, start, stop = 16 * 1024 * 1024, talc.vm.oldSpaceStart, talc.vm.endOfOldObjects
local readable, refused = 0, 0
for a = start, stop - 8, seg do
  if pcall(talc.long64At, a) then readable = readable + 1 else refused = refused + 1 end
end
print(string.format("hole bytes %d; segment starts readable %d, refused %d", talc.vm.oldSpaceHoleBytes, readable, refused))
talc.continue()
