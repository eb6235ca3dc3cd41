"""Votes for the demo community, made through the real services (after the demo people, issues and meetings exist).

- 嘉明花园3栋：使用维修资金修屋顶防水 — open since two days ago for five more days, counted by owner (head and area)
  under 民法典第二百七十八条, ordinary matter (using, not raising, the maintenance fund); about two in five owners have
  voted, on their phones and on paper, so the projector, the phone page and the paper desk all show something. When
  the demo has an approved 提交表决 outcome, this vote is made from it instead (its issue moves to 表决中).
- 船柴小区2栋：电动车充电棚建在楼下空地 — one household one vote (居民会议), closed yesterday at its deadline by the
  clock, passed, and in its 公示 period: the result page, the notice and objections can be tried.

Idempotent: nothing is added when the community already has votes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from domain.errors import DomainError
from domain.permissions import Principal
from domain.votes import Definition
from models import Account, Building, Elector, Resident, Vote, VoteOption
from services import accounts, audit, ballots, minutes, votes

ROOF = '嘉明花园3栋屋顶防水维修'
SHED = '船柴小区2栋楼下建电动车充电棚'
ONLINE = 3  # of the open vote's first ballots, this many are cast on the owners' own phones
# the choices of successive ballots, by option kind: mostly for, some against, one abstaining
PATTERN = ('yes', 'yes', 'no', 'yes', 'yes', 'abstain', 'yes', 'no', 'yes', 'yes')


async def load(community_id: int, *, at: datetime | None = None) -> int:
    """Make the open and the closed demo vote; returns how many votes were added (0 on a second run)."""
    if await Vote.filter(community_id=community_id).exists():
        return 0
    now = at or audit.now()
    staff = await _staff(community_id)
    roof = await _roof(staff, community_id, now)
    shed = await _shed(staff, community_id, now)
    return sum(v is not None for v in (roof, shed))


async def _roof(staff: Principal, community_id: int, now: datetime) -> Vote | None:
    building = await _building(community_id, '嘉明花园', '3栋')
    if building is None:
        return None
    opens = now - timedelta(days=2)
    candidates = await minutes.outcomes_to_vote(community_id)
    outcome = candidates[0] if candidates else None
    definition = Definition(
        title=outcome.title[:60] if outcome else ROOF,
        description=outcome.text[:2000] if outcome else (
            '3栋顶楼每逢下雨就渗水。拟使用本栋专项维修资金约 6.8 万元重做屋顶防水，由物业公司组织施工。'
            '使用（不是筹集）维修资金属于一般事项：参与表决的业主人数和专有面积都要达到三分之二以上，'
            '同意的人数和面积都要超过参与表决的一半。'),
        ballot_type='yes_no', options=(), max_choices=1, electorate='places', counting='owner', rule='civil_278',
        custom_turnout=None, custom_approval=None, channels=frozenset({'online', 'paper', 'proxy'}), max_principals=3,
        results_live=True, secret=False, allow_change=True, opens_at=opens, closes_at=now + timedelta(days=5),
        publicity_days=7)
    draft = votes.VoteDraft(definition, building_ids=(building.id,), outcome_id=outcome.outcome_id if outcome else None)
    vote = await votes.create_vote(staff, community_id, draft, at=opens - timedelta(days=1))
    await votes.open_vote(staff, vote.id, at=opens)
    electors = await Elector.filter(vote_id=vote.id).order_by('id')
    await _cast(staff, vote, electors[: max(1, len(electors) * 2 // 5)], start=opens, prefix='JM3', online=ONLINE)
    return vote


async def _shed(staff: Principal, community_id: int, now: datetime) -> Vote | None:
    building = await _building(community_id, '船柴小区', '2栋')
    if building is None:
        return None
    opens, closes = now - timedelta(days=8), now - timedelta(days=1)
    definition = Definition(
        title=SHED, description='在2栋楼下空地建一个带充电插座和消防设施的电动车棚，费用由使用的住户分摊，'
                                '从此不再推车上楼充电。',
        ballot_type='yes_no', options=(), max_choices=1, electorate='places', counting='household',
        rule='residents_meeting', custom_turnout=None, custom_approval=None, channels=frozenset({'online', 'paper'}),
        max_principals=3, results_live=True, secret=False, allow_change=False, opens_at=opens, closes_at=closes,
        publicity_days=7)
    vote = await votes.create_vote(staff, community_id, votes.VoteDraft(definition, building_ids=(building.id,)),
                                   at=opens - timedelta(days=1))
    await votes.open_vote(staff, vote.id, at=opens)
    electors = await Elector.filter(vote_id=vote.id).order_by('id')
    await _cast(staff, vote, electors[: max(1, len(electors) * 3 // 4)], start=opens, prefix='CC2', online=0)
    return await votes.close_vote(None, vote.id, at=closes)  # the clock at the deadline: result frozen, 公示 starts


async def _cast(staff: Principal, vote: Vote, electors: list[Elector], *, start: datetime, prefix: str,
                online: int) -> None:
    """Ballots in the PATTERN's order, an hour apart: the first `online` owners vote on their phones, staff type in
    the rest from numbered paper sheets."""
    option = dict(await VoteOption.filter(vote_id=vote.id).values_list('kind', 'id'))
    phones = 0
    for index, elector in enumerate(electors):
        choice = [option[PATTERN[index % len(PATTERN)]]]
        when = start + timedelta(hours=index + 1)
        nonce = f'demo-{prefix}-{index + 1:03d}'
        if phones < online and elector.resident_id is not None:
            voter = await _voter(elector.resident_id)
            if voter is not None:
                try:
                    await ballots.cast_ballot(voter, vote.id, choice, nonce=nonce, at=when, elector_id=elector.id)
                    phones += 1
                    continue
                except DomainError:  # not allowed on a phone after all (not verified…): the sheet is typed in
                    pass
        await ballots.enter_paper_ballot(staff, vote.id, elector_id=elector.id, choices=choice,
                                         sheet_no=f'{prefix}-{index + 1:03d}', nonce=nonce, at=when)


async def _voter(resident_id: int) -> Principal | None:
    """The resident's own account (made as if they had signed in once), if they are a verified resident."""
    resident = await Resident.get_or_none(id=resident_id, status='verified')
    if resident is None:
        return None
    try:
        async with in_transaction() as conn:
            account = await accounts.account_for_resident(resident, conn)
    except DomainError:  # the phone is another resident's account: leave it to paper
        return None
    return await accounts.principal(account.id)


async def _building(community_id: int, compound: str, name: str) -> Building | None:
    return await Building.get_or_none(compound__community_id=community_id, compound__name=compound, name=name)


async def _staff(community_id: int) -> Principal:
    account = await Account.filter(roles__community_id=community_id, roles__role='staff').order_by('id').first()
    return await accounts.principal(account.id)
