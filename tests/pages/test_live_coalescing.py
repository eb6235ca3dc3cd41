"""Redraws under load: immediate when quiet, at most one per interval during a burst, none lost at the end."""
import asyncio

from components.live import Coalescer


async def test_a_single_change_after_a_quiet_spell_redraws_at_once() -> None:
    runs = []
    redraw = Coalescer(lambda: _note(runs), interval=0.2)
    await redraw()
    assert len(runs) == 1


async def test_a_burst_of_changes_redraws_once_now_and_once_at_the_end_of_the_interval() -> None:
    runs = []
    redraw = Coalescer(lambda: _note(runs), interval=0.2)
    for _ in range(50):
        await redraw()
    assert len(runs) == 1
    await asyncio.sleep(0.3)
    assert len(runs) == 2  # the trailing redraw shows the last change of the burst


async def test_after_the_interval_the_next_change_is_immediate_again() -> None:
    runs = []
    redraw = Coalescer(lambda: _note(runs), interval=0.1)
    await redraw()
    await asyncio.sleep(0.15)
    await redraw()
    assert len(runs) == 2


async def _note(runs: list) -> None:
    runs.append(asyncio.get_running_loop().time())
