"""Process settings for a long-running server with hundreds of open pages."""
from __future__ import annotations

import gc

# Garbage collection: with 300 phones on a meeting page the default thresholds (700, 10, 10) ran a full
# (generation 2) collection about every 6 s, each pausing every request for 0.5–0.9 s, and a volunteer's scan
# waited 1.2 s at p95 (bench/checkin.py --gc-log). Objects that exist once the app has started (modules, routes,
# the ORM) live until the process ends, so they are frozen out of every later collection; young collections run
# less often and full ones wait for ten times as many of them: 3 full collections in the same run, the longest
# 128 ms, and scans answered in 255 ms at p95.
GC_THRESHOLDS = (5000, 10, 100)


def settle_memory() -> None:
    """Call once after start-up: collect, freeze what exists now, and make full collections rarer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
