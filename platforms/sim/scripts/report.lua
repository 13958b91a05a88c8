-- Table printing shared by the analysis scripts (require "report": talc-sim puts a script's own
-- folder first on package.path).
local report = {}

-- The rows of counts (key -> number) sorted by count, largest first (ties by name).
function report.sorted(counts, nameOf)
  local rows = {}
  for key, count in pairs(counts) do rows[#rows + 1] = {name = nameOf and nameOf(key) or tostring(key), count = count} end
  table.sort(rows, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.name < b.name
  end)
  return rows
end

function report.sum(counts)
  local total = 0
  for _, count in pairs(counts) do total = total + count end
  return total
end

function report.percent(part, whole)
  return whole > 0 and 100 * part / whole or 0
end

-- "title", then the top n rows: count, percentage of total, name; then the rest in one line.
function report.top(title, counts, n, nameOf, unit)
  local rows, total = report.sorted(counts, nameOf), report.sum(counts)
  unit = unit or "sends"
  print(string.format("%s (top %d of %d; %d %s)", title, math.min(n, #rows), #rows, total, unit))
  print(string.format("  %12s %7s  %s", unit, "%", "name"))
  local shown = 0
  for i = 1, math.min(n, #rows) do
    print(string.format("  %12d %6.2f%%  %s", rows[i].count, report.percent(rows[i].count, total), rows[i].name))
    shown = shown + rows[i].count
  end
  if #rows > n then
    print(string.format("  %12d %6.2f%%  (the other %d)", total - shown, report.percent(total - shown, total), #rows - n))
  end
  return total, #rows
end

return report
