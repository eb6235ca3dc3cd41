"""The live tally hub: one recount per change for every screen of a vote, coalesced under load, never stale."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import pytest
from nicegui import ui
from nicegui.testing import User

from components import vote_live
from models import Account
from services import ballots, events, votes
from tests.support import (
    make_account,
    make_community,
    make_household,
    make_resident,
    make_vote,
    principal_of,
    sign_in,
)


@dataclass(frozen=True)
class FakeTally:
    vote_id: int
    counted: int
    state: str = 'open'
    hidden: bool = False
    closes_at: None = None
    result: tuple = field(default=())


class Box:
    """A fake ballot box: events publish like services.ballots does; recounts read it, slowly."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, takes: float = 0.02) -> None:
        self.counted: dict[int, int] = {}
        self.recounts: list[int] = []
        self.takes = takes
        monkeypatch.setattr(vote_live, '_recount', self.recount)

    async def recount(self, vote_id: int) -> FakeTally:
        self.recounts.append(vote_id)
        seen = self.counted.get(vote_id, 0)  # a recount reads the database first, then takes a while
        await asyncio.sleep(self.takes)
        return FakeTally(vote_id, seen)

    async def cast(self, vote_id: int) -> None:
        self.counted[vote_id] = self.counted.get(vote_id, 0) + 1
        await events.publish('vote.ballot', community_id=1, vote_id=vote_id, ballots=self.counted[vote_id])


def _screen(path: str, vote_id: int) -> None:
    @ui.page(path)
    def page() -> None:
        shown = ui.label('已投 0 票')
        vote_live.watch(vote_id, lambda tally: shown.set_text(f'已投 {tally.counted} 票'))


async def test_a_single_ballot_when_quiet_reaches_the_screen_at_once(user: User,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    _screen('/live-test/quiet', 7)
    await user.open('/live-test/quiet')
    await box.cast(7)
    await asyncio.sleep(0.1)  # one recount (0.02 s), no waiting for an interval
    await user.should_see('已投 1 票', retries=1)


async def test_a_burst_of_ballots_is_counted_a_few_times_and_every_screen_ends_on_the_final_tally(
        user: User, create_user, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    _screen('/live-test/burst', 7)
    phones = [user, create_user(), create_user()]
    for phone in phones:
        await phone.open('/live-test/burst')
    for _ in range(200):
        await box.cast(7)
        await asyncio.sleep(0.005)  # ballots arriving over about a second
    for phone in phones:
        await phone.should_see('已投 200 票', retries=12)  # phones: at most one push a second under load
    assert len(box.recounts) <= 15  # one recount shared by all three screens, at most ~every 0.1–0.5 s
    assert vote_live.hubs()[7].recounts == len(box.recounts)


async def test_a_change_during_a_slow_recount_still_reaches_the_screen(user: User,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch, takes=0.3)
    _screen('/live-test/slow', 7)
    await user.open('/live-test/slow')
    await box.cast(7)  # the recount starts and reads 1
    await asyncio.sleep(0.1)
    await box.cast(7)  # arrives while that recount is still running
    await user.should_see('已投 2 票', retries=15)  # the next round starts at most 0.5 s after the first
    assert len(box.recounts) == 2  # never two recounts of one vote in flight, none lost


async def test_a_closed_screen_gets_no_more_updates_and_the_last_one_ends_the_hub(
        user: User, create_user, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    _screen('/live-test/closed', 7)
    other = create_user()
    await user.open('/live-test/closed')
    await other.open('/live-test/closed')
    pushed: list[int] = []
    hub = vote_live.hubs()[7]
    first = next(iter(hub.watchers.values()))
    first.update = lambda tally: pushed.append(tally.counted)  # the first phone's screen, watched from here
    first.client.delete()  # the phone's tab is closed
    await box.cast(7)
    await other.should_see('已投 1 票')
    assert pushed == []
    assert len(hub.watchers) == 1

    subscribers = events.bus.subscriber_count
    other.client.delete()
    assert 7 not in vote_live.hubs()
    assert events.bus.subscriber_count == subscribers - 1  # the hub left the bus with its last screen
    await box.cast(7)
    await asyncio.sleep(0.1)
    assert len(box.recounts) == 1  # nobody is watching: no recount


async def test_ballots_of_one_vote_never_show_on_the_screen_of_another(user: User, create_user,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    _screen('/live-test/seven', 7)
    _screen('/live-test/eight', 8)
    eight = create_user()
    await user.open('/live-test/seven')
    await eight.open('/live-test/eight')
    for _ in range(3):
        await box.cast(7)
    await box.cast(8)
    await user.should_see('已投 3 票', retries=20)  # a burst reaches phones once settled
    await eight.should_see('已投 1 票')
    await asyncio.sleep(0.6)
    await eight.should_not_see('已投 3 票')
    assert set(box.recounts) == {7, 8}


async def test_an_unchanged_tally_is_not_pushed_again(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    _screen('/live-test/same', 7)
    await user.open('/live-test/same')
    pushed: list[int] = []
    watcher = next(iter(vote_live.hubs()[7].watchers.values()))
    watcher.update = lambda tally: pushed.append(tally.counted)
    await box.cast(7)
    await asyncio.sleep(0.2)
    await events.publish('vote.changed', community_id=1, vote_id=7, state='open')  # nothing counted changed
    await asyncio.sleep(0.3)
    assert pushed == [1]


# ---- the projector page on a real database: ballots through services.ballots, the screen never reopened ----

async def _room(*, voters: int = 3, **overrides):
    """A community with `voters` verified residents who can sign in, an open yes/no vote, and its organiser."""
    community = await make_community()
    people = []
    for n in range(voters):
        resident = await make_resident(community, name=f'居民{n + 1}')
        people.append(await principal_of(await make_account(community, resident=resident, name=resident.name)))
    organiser = await make_account(community, 'staff', name='李敏')
    vote = await make_vote(community, actor=await principal_of(organiser), opened=True, title='加装电梯', **overrides)
    options = {o.kind: o.id for o in await vote.options.all()}
    return vote, organiser, people, options


async def _cast(voter, vote_id: int, option_id: int) -> None:
    await ballots.cast_ballot(voter, vote_id, [option_id], nonce=uuid.uuid4().hex)


async def test_the_projector_shows_turnout_and_bars_and_counts_each_ballot_without_reload(user: User) -> None:
    vote, organiser, people, options = await _room()
    await sign_in(user, organiser)
    await user.open(f'/votes/{vote.id}/screen')
    await user.should_see('加装电梯')
    await user.should_see('已投 0/3 人')
    await user.should_see(marker='screen-qr')
    await user.should_see('赞成')

    await _cast(people[0], vote.id, options['yes'])
    await _cast(people[1], vote.id, options['no'])
    await user.should_see('已投 2/3 人', retries=10)
    await user.should_see(f'1 票 {"50.0%"}', marker=f'option-{options["yes"]}')
    await user.should_see('1 票 50.0%', marker=f'option-{options["no"]}')
    await user.should_see('0 票 0.0%', marker=f'option-{options["abstain"]}')


async def test_with_results_hidden_the_projector_shows_turnout_only(user: User) -> None:
    vote, organiser, people, options = await _room(results_live=False)
    await sign_in(user, organiser)
    await user.open(f'/votes/{vote.id}/screen')
    await user.should_see('各选项票数在表决结束后公布')
    await _cast(people[0], vote.id, options['yes'])
    await user.should_see('已投 1/3 人', retries=10)
    await user.should_not_see(marker=f'option-{options["yes"]}')
    await user.should_not_see('1 票')


async def test_when_the_vote_closes_the_projector_shows_the_verdict_and_no_qr(user: User) -> None:
    vote, organiser, people, options = await _room()
    await sign_in(user, organiser)
    await user.open(f'/votes/{vote.id}/screen')
    for voter in people[:2]:
        await _cast(voter, vote.id, options['yes'])
    await votes.close_vote(await principal_of(organiser), vote.id, reason='议事会现场已全部投完')
    await user.should_see('通过', marker='screen-verdict', retries=10)
    await user.should_see('公示中', marker='screen-state')
    await user.should_see('✓ 2 票 100.0%', marker=f'option-{options["yes"]}')
    await user.should_not_see(marker='screen-qr')


async def test_a_draft_is_not_found_on_a_residents_projector_and_strangers_must_sign_in(user: User) -> None:
    community = await make_community()
    draft = await make_vote(community, title='草稿里的表决')
    resident_account = await Account.create(name='张桂兰', phone='13900000009')
    await user.open(f'/votes/{draft.id}/screen')
    await user.should_see('登录')  # sent to sign in first
    await sign_in(user, resident_account)
    await user.open(f'/votes/{draft.id}/screen')
    await user.should_see('找不到这次表决')
    await user.should_not_see('草稿里的表决')
    await user.open('/votes/abc/screen')
    await user.should_see('找不到这次表决')


async def test_a_burst_of_real_ballots_is_recounted_a_few_times_and_the_screen_ends_on_the_final_count(
        user: User) -> None:
    vote, organiser, people, options = await _room(voters=20)
    await sign_in(user, organiser)
    await user.open(f'/votes/{vote.id}/screen')
    await asyncio.gather(*(_cast(voter, vote.id, options['yes']) for voter in people))
    await user.should_see('已投 20/20 人', retries=20)
    await user.should_see('20 票 100.0%', marker=f'option-{options["yes"]}')
    assert vote_live.hubs()[vote.id].recounts < 20  # not one recount per ballot


async def test_owners_see_turnout_by_head_and_by_area_against_the_two_thirds_line(user: User) -> None:
    community = await make_community()
    owners = []
    for room, area in (('101', '100.00'), ('102', '80.00'), ('103', '120.00')):
        home = await make_household(community, room=room, area=area)
        resident = await make_resident(community, name=f'业主{room}', household=home)
        owners.append(await principal_of(await make_account(community, resident=resident, name=resident.name)))
    organiser = await make_account(community, 'staff', name='李敏')
    vote = await make_vote(community, actor=await principal_of(organiser), opened=True, counting='owner',
                           rule='civil_278')
    options = {o.kind: o.id for o in await vote.options.all()}
    await sign_in(user, organiser)
    await user.open(f'/votes/{vote.id}/screen')
    await user.should_see('已投 0/3 人，需三分之二以上')
    await user.should_see('已投面积 0.00/300.00 平方米，需三分之二以上')
    await _cast(owners[2], vote.id, options['yes'])
    await user.should_see('已投 1/3 人，需三分之二以上', retries=10)
    await user.should_see('已投面积 120.00/300.00 平方米，需三分之二以上')
    await user.should_see('面积 120.00 平方米 100.0%', marker=f'option-area-{options["yes"]}')


async def test_the_projector_is_served_before_the_phones_that_opened_earlier(user: User, create_user,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    order: list[str] = []

    @ui.page('/live-test/phone')
    def phone() -> None:
        vote_live.watch(7, lambda tally: order.append('phone'))

    @ui.page('/live-test/projector')
    def projector() -> None:
        vote_live.watch(7, lambda tally: order.append('projector'), first=True)

    await user.open('/live-test/phone')
    await create_user().open('/live-test/projector')
    await box.cast(7)
    await asyncio.sleep(0.2)
    assert order == ['projector', 'phone']


async def test_when_phones_are_costly_to_reach_the_projector_is_updated_more_often_and_both_end_on_the_final_tally(
        user: User, create_user, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Box(monkeypatch)
    monkeypatch.setattr(vote_live, 'PHONE_COST', 0.5)  # one phone here costs what hundreds cost on a real server
    seen: dict[str, list[int]] = {'phone': [], 'projector': []}

    @ui.page('/live-test/phone-load')
    def phone() -> None:
        vote_live.watch(7, lambda tally: seen['phone'].append(tally.counted))

    @ui.page('/live-test/projector-load')
    def projector() -> None:
        vote_live.watch(7, lambda tally: seen['projector'].append(tally.counted), first=True)

    await user.open('/live-test/phone-load')
    await create_user().open('/live-test/projector-load')
    for _ in range(150):  # ballots over about two seconds
        await box.cast(7)
        await asyncio.sleep(0.012)
    await asyncio.sleep(1.3)
    assert seen['projector'][-1] == seen['phone'][-1] == 150
    assert len(seen['projector']) >= len(seen['phone']) + 5
    assert len(seen['phone']) <= 7  # about every half second, and the final count
