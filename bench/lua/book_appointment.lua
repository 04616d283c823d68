-- POST /v1/appointments: every request books a distinct 30-minute slot, so none collides.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local booking = dofile("bench/lua/booking.lua")
local counter = 0
local offset = 0

setup = dofile("bench/lua/thread_ids.lua")

function init(args)
  math.randomseed(os.time() + tid)
  -- A different block of slots for each run that starts in a different second (warm-up, then measurement).
  offset = (os.time() % 40) * 2000000
end

function request()
  counter = counter + 1
  local slot = offset + counter * 64 + tid
  return booking(tenants[(slot % #tenants) + 1], slot)
end


response = dofile("bench/lua/statuses.lua")
