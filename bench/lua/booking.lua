-- POST /v1/appointments for tenant t (of tenants.lua, with its token) at 30-minute slot number `slot` counted from
-- 2030-01-01T00:00:00Z, with a random patient and practitioner of the tenant: the booking of every script that books.
local patients = tonumber(os.getenv("BENCH_PATIENTS"))
local practitioners = tonumber(os.getenv("BENCH_PRACTITIONERS"))
local base = 1893456000 -- 2030-01-01T00:00:00Z

return function(t, slot)
  local start = base + slot * 1800
  local body = string.format(
    '{"patientId":"00000000-0000-7000-8000-%012x","practitionerId":"00000000-0000-7000-9000-%012x",'
      .. '"start":"%s","end":"%s"}',
    t.n * 10000000 + math.random(patients), t.n * 10000000 + math.random(practitioners),
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
  return wrk.format("POST", "/v1/appointments",
    { ["Authorization"] = "Bearer " .. t.token, ["Content-Type"] = "application/json" }, body)
end
