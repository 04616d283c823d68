-- POST /v1/patients: registers a new patient in a random tenant, with that tenant's (receptionist's) token. Each
-- request carries its own Idempotency-Key, as a client that may retry sends one (a key reused with another body
-- would answer 422), so every request creates a patient and stores its reply for a replay.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local threads = 0
local counter = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local run = 0

function init(args)
  math.randomseed(os.time() + tid)
  run = os.time()
end

function request()
  counter = counter + 1
  local t = tenants[math.random(#tenants)]
  local body = string.format(
    '{"name":{"family":"Created%d","given":"Bench"},"birthDate":"%04d-%02d-%02d","sex":"unknown"}',
    math.random(1, 5000), math.random(1940, 2020), math.random(1, 12), math.random(1, 28))
  return wrk.format("POST", "/v1/patients", {
    ["Authorization"] = "Bearer " .. t.token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", run, tid, counter),
  }, body)
end

response = dofile("bench/lua/statuses.lua")
