-- GET /v1/patients?name=<prefix>: a family-name prefix that matches a handful of a random tenant's patients
-- (run.sh names them Family0 .. Family4999), with that tenant's token.
local tenant = dofile("bench/lua/random_tenant.lua")

function request()
  local t = tenant()
  local prefix = "Family" .. math.random(100, 499)
  return wrk.format("GET", "/v1/patients?name=" .. prefix, { ["Authorization"] = "Bearer " .. t.token })
end

response = dofile("bench/lua/statuses.lua")
