-- GET /v1/patients?name=<prefix>: a family-name prefix that matches a handful of a random tenant's patients
-- (run.sh names them Family0 .. Family4999), with that tenant's token.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local t = tenants[math.random(#tenants)]
  local prefix = "Family" .. math.random(100, 499)
  return wrk.format("GET", "/v1/patients?name=" .. prefix, { ["Authorization"] = "Bearer " .. t.token })
end

response = dofile("bench/lua/statuses.lua")
