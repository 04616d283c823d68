-- GET /v1/patients/{id}: a random patient of a random tenant, with that tenant's token.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local t = tenants[math.random(#tenants)]
  local id = string.format("00000000-0000-7000-8000-%012x", t.n * 10000000 + math.random(patients))
  return wrk.format("GET", "/v1/patients/" .. id, { ["Authorization"] = "Bearer " .. t.token })
end


response = dofile("bench/lua/statuses.lua")
