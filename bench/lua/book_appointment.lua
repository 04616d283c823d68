-- POST /v1/appointments: every request books a distinct 30-minute slot, so none collides.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))
local practitioners = tonumber(os.getenv("BENCH_PRACTITIONERS"))
local base = 1893456000 -- 2030-01-01T00:00:00Z
local threads = 0
local counter = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local offset = 0

function init(args)
  math.randomseed(os.time() + tid)
  -- A different block of slots for each run that starts in a different second (warm-up, then measurement).
  offset = (os.time() % 40) * 2000000
end

function request()
  counter = counter + 1
  local slot = offset + counter * 64 + tid
  local t = tenants[(slot % #tenants) + 1]
  local start = base + slot * 1800
  local body = string.format(
    '{"patientId":"00000000-0000-7000-8000-%012x","practitionerId":"00000000-0000-7000-9000-%012x",'
      .. '"start":"%s","end":"%s"}',
    t.n * 10000000 + math.random(patients), t.n * 10000000 + math.random(practitioners),
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
  return wrk.format("POST", "/v1/appointments",
    { ["Authorization"] = "Bearer " .. t.token, ["Content-Type"] = "application/json" }, body)
end


response = dofile("bench/lua/statuses.lua")
