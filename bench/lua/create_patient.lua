-- POST /v1/patients: registers a new patient in a random tenant, with that tenant's (receptionist's) token. Each
-- request carries an Idempotency-Key of its own (random, 62 bits), as a client that may retry sends one (a key
-- reused with another body would answer 422), so every request creates a patient and stores its reply for a replay.
local tenant = dofile("bench/lua/random_tenant.lua")

function request()
  local t = tenant()
  local body = string.format(
    '{"name":{"family":"Created%d","given":"Bench"},"birthDate":"%04d-%02d-%02d","sex":"unknown"}',
    math.random(1, 5000), math.random(1940, 2020), math.random(1, 12), math.random(1, 28))
  return wrk.format("POST", "/v1/patients", {
    ["Authorization"] = "Bearer " .. t.token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%x-%x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff)),
  }, body)
end

response = dofile("bench/lua/statuses.lua")
