-- GET /v1/me/features: every flag and module evaluated for the caller (a random tenant's front desk) through the
-- OpenFeature client; as many flags as the node has (bench/flags.sh defines them).
local tenant = dofile("bench/lua/random_tenant.lua")

function request()
  return wrk.format("GET", "/v1/me/features", { ["Authorization"] = "Bearer " .. tenant().token })
end

response = dofile("bench/lua/statuses.lua")
