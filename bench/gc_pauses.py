"""Run main.py and note every garbage-collection pause of 20 ms or more (bench/checkin.py --gc-log uses it).

    python bench/gc_pauses.py OUT_FILE main.py [args…]
"""
from __future__ import annotations

import gc
import runpy
import sys
import time
from pathlib import Path

out_path, script, *rest = sys.argv[1:]
started: dict[int, float] = {}


def _note(phase: str, info: dict) -> None:
    if phase == 'start':
        started[info['generation']] = time.perf_counter()
        return
    began = started.pop(info['generation'], None)
    if began is not None and (pause := time.perf_counter() - began) >= 0.02:
        with open(out_path, 'a', encoding='utf-8') as out:
            out.write(f'{info["generation"]} {pause * 1000:.0f} {info["collected"]}\n')


gc.callbacks.append(_note)
sys.argv = [script, *rest]
sys.path[0] = str(Path(script).resolve().parent)  # as if `python main.py` had been run
runpy.run_path(script, run_name='__main__')
