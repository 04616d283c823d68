-- GET /fhir/r4/Patient/{id}: the FHIR twin of get_patient.lua (the same random patient of a random tenant, the same
-- token), answered as application/fhir+json through HAPI's model.
local tenant = dofile("bench/lua/random_tenant.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))

function request()
  local t = tenant()
  local id = string.format("00000000-0000-7000-8000-%012x", t.n * 10000000 + math.random(patients))
  return wrk.format("GET", "/fhir/r4/Patient/" .. id, { ["Authorization"] = "Bearer " .. t.token,
    ["Accept"] = "application/fhir+json" })
end

response = dofile("bench/lua/statuses.lua")
