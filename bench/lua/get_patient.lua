-- GET /v1/patients/{id}: a random patient of a random tenant, with that tenant's token.
local tenant = dofile("bench/lua/random_tenant.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))

function request()
  local t = tenant()
  local id = string.format("00000000-0000-7000-8000-%012x", t.n * 10000000 + math.random(patients))
  return wrk.format("GET", "/v1/patients/" .. id, { ["Authorization"] = "Bearer " .. t.token })
end


response = dofile("bench/lua/statuses.lua")
