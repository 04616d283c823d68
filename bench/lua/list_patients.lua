-- GET /v1/patients: the first page of a random tenant's patients (by family name, the default 20), with that
-- tenant's token (BENCH_TOKENS picks whose).
local tenant = dofile("bench/lua/random_tenant.lua")

function request()
  local t = tenant()
  return wrk.format("GET", "/v1/patients", { ["Authorization"] = "Bearer " .. t.token })
end

response = dofile("bench/lua/statuses.lua")
