-- A scenario below saturation: BENCH_SCENARIO (a script in bench/lua) with each connection pausing before every
-- request for a random time, exponential with a mean of BENCH_PAUSE_MS, so that the requests arrive about as a
-- Poisson stream at connections / (pause + latency) per second instead of as fast as the server answers.
-- (A closed loop still: while the server stalls, a connection sends nothing, so a p99 read here is a lower bound.)
local mean = tonumber(os.getenv("BENCH_PAUSE_MS"))
dofile("bench/lua/" .. os.getenv("BENCH_SCENARIO") .. ".lua")

function delay()
  -- wrk takes whole milliseconds: round at random so the mean stays what it should be
  local pause = -math.log(1 - math.random()) * mean
  local whole = math.floor(pause)
  return whole + ((math.random() < pause - whole) and 1 or 0)
end
