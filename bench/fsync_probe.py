#!/usr/bin/env python3
"""How long a durable write takes on the disk the database's WAL is on, while a benchmark runs: every 20 ms writes
8 KB into a file of its own and fdatasyncs it (PostgreSQL's wal_sync_method here), printing one line per write:
"<epoch ns at start> <ns it took>". bench/stages.sh runs it beside a recording (STAGES_FSYNC_PROBE=1) and
StageTable.java counts the slow writes the slow requests overlapped.

  python3 bench/fsync_probe.py <file-on-the-disk> <seconds> > probe.txt
"""
import os
import sys
import time

path, seconds = sys.argv[1], float(sys.argv[2])
block = os.urandom(8192)
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
try:
    end = time.monotonic() + seconds
    offset = 0
    while time.monotonic() < end:
        start = time.time_ns()
        os.pwrite(fd, block, offset)
        os.fdatasync(fd)
        took = time.time_ns() - start
        print(start, took, flush=False)
        offset = (offset + 8192) % (16 * 1024 * 1024)
        time.sleep(0.02)
finally:
    os.close(fd)
    os.unlink(path)
