-- GET /fhir/r4/Patient?name=<prefix>: the FHIR twin of search_patients.lua (the same prefixes, the same name-word
-- search underneath), answered as a searchset Bundle.
local tenant = dofile("bench/lua/random_tenant.lua")

function request()
  local t = tenant()
  local prefix = "Family" .. math.random(100, 499)
  return wrk.format("GET", "/fhir/r4/Patient?name=" .. prefix, { ["Authorization"] = "Bearer " .. t.token,
    ["Accept"] = "application/fhir+json" })
end

response = dofile("bench/lua/statuses.lua")
