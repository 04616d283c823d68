-- wrk's setup hook for scripts that interleave per thread: numbers the threads 0, 1, ... as the global `tid` each
-- thread's script reads.
local threads = 0

return function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
