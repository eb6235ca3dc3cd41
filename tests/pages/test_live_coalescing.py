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


async def test_a_change_made_while_the_trailing_redraw_runs_gets_a_redraw_of_its_own() -> None:
    state = {'value': 0, 'sending': 0.0}
    shown = []

    async def redraw() -> None:
        seen = state['value']  # a redraw reads the state first, then takes a while to send it
        await asyncio.sleep(state['sending'])
        shown.append(seen)

    coalescer = Coalescer(redraw, interval=0.1)
    await coalescer()  # quiet: at once
    state.update(value=1, sending=0.2)
    await coalescer()  # booked for the end of the interval
    await asyncio.sleep(0.15)  # the trailing redraw has read 1 and is still sending it
    state['value'] = 2
    await coalescer()
    await asyncio.sleep(0.5)
    assert shown[-1] == 2  # the last change reaches the screen
