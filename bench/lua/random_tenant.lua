-- The run's tenants (run.sh writes them to $BENCH_OUT/tenants.lua; BENCH_TOKENS names another file of the same
-- shape, e.g. clinicians.lua), each wrk thread seeded apart: returns a function that picks one at random. A scenario
-- starts `local tenant = dofile("bench/lua/random_tenant.lua")`.
local tenants = dofile(os.getenv("BENCH_OUT") .. "/" .. (os.getenv("BENCH_TOKENS") or "tenants.lua"))

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

return function()
  return tenants[math.random(#tenants)]
end
