-- POST /v1/appointments: every request books a distinct 30-minute slot, so none collides.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/tenants.lua")
local booking = dofile("bench/lua/booking.lua")
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
  return booking(tenants[(slot % #tenants) + 1], slot)
end


response = dofile("bench/lua/statuses.lua")
