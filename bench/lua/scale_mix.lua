-- The request mix of bench/scale.sh, the same in every configuration: for a random tenant of $BENCH_OUT/tenants.lua
-- (with that tenant's front-desk token), by default
--   80 % GET /v1/patients/{id}        a random patient of the tenant (each read audited before it is answered)
--   15 % GET /v1/patients?limit=20    the first page of the tenant's patients (list cost)
--    5 % POST /v1/appointments        a distinct 30-minute slot with a random practitioner (appointment, audit row
--                                     and outbox message in one transaction)
-- BENCH_MIX="get,list,book" sets the percentages; BENCH_SLOT_BLOCK (0, 1, ...) gives each wrk run (warm-up,
-- measurement) its own block of slots, so no booking collides with another's. BENCH_WRITERS (0: every tenant)
-- confines the bookings to the first that many tenants of the file: each booking leaves an outbox event, and the
-- outbox intake holds one pool connection per tenant with due events while each delivery takes a second one, so
-- as many writing tenants as the pool has connections stall the node (see bench/README.md).
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local patients = tonumber(os.getenv("BENCH_PATIENTS"))
local block = tonumber(os.getenv("BENCH_SLOT_BLOCK") or "0")
local writers = tonumber(os.getenv("BENCH_WRITERS") or "0")
if writers <= 0 or writers > #tenants then writers = #tenants end
local mix = {}
for p in string.gmatch(os.getenv("BENCH_MIX") or "80,15,5", "%d+") do mix[#mix + 1] = tonumber(p) end
local total = mix[1] + mix[2] + mix[3]
local booking = dofile("bench/lua/booking.lua")
local writes = 0

setup = dofile("bench/lua/thread_ids.lua")

function init(args)
  math.randomseed(os.time() * 1000 + tid + math.floor(os.clock() * 1000000))
end

function request()
  local t = tenants[math.random(#tenants)]
  local r = math.random(total)
  local auth = "Bearer " .. t.token
  if r <= mix[1] then
    local id = string.format("00000000-0000-7000-8000-%012x", t.n * 10000000 + math.random(patients))
    return wrk.format("GET", "/v1/patients/" .. id, { ["Authorization"] = auth })
  elseif r <= mix[1] + mix[2] then
    return wrk.format("GET", "/v1/patients?limit=20", { ["Authorization"] = auth })
  end
  -- 64 interleaved sequences (one per wrk thread), 1,000,000 slots per block: about 57 years of slots.
  writes = writes + 1
  return booking(tenants[math.random(writers)], block * 1000000 + writes * 64 + tid)
end

response = dofile("bench/lua/statuses.lua")
