-- Counts responses with unexpected statuses, by code, and prints the first body of each to stderr.
local statuses = {}

return function(status, headers, body)
  if status >= 300 then
    statuses[status] = (statuses[status] or 0) + 1
    if statuses[status] == 1 then
      io.stderr:write("first " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
end
