-- GET /v1/patients/{id} as a tenant's nurse (BENCH_TOKENS=clinicians.lua, run.sh's BENCH_SCOPE_COMPARE): a random
-- patient of her own facility (odd k), so that with the scoped policy on or off she reads the same rows (200).
local tenant = dofile("bench/lua/random_tenant.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))

function request()
  local t = tenant()
  local k = 2 * math.random(math.floor((patients + 1) / 2)) - 1
  local id = string.format("00000000-0000-7000-8000-%012x", t.n * 10000000 + k)
  return wrk.format("GET", "/v1/patients/" .. id, { ["Authorization"] = "Bearer " .. t.token })
end

response = dofile("bench/lua/statuses.lua")
