"""What the vote pages show: the list of a community's votes and one vote with its rule in plain words.

Votes are seen by people with a role in their community; drafts only by those who manage votes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from domain.errors import DomainError
from domain.permissions import Principal, can
from domain.tally import OptionSpec, Threshold
from domain.votes import COUNTINGS, ELECTORATES, VERDICTS, Definition, VoteState
from models import Building, ChainEntry, Compound, Elector, Vote, VoteOption, VotePlace
from services import accounts, electorate, vote_counting
from services.votes import VoteDraft

ORDER = ('open', 'draft', 'closed', 'final', 'annulled', 'cancelled')  # what needs attention first
PUBLIC_STATES = frozenset({'closed', 'final', 'annulled'})  # 公示 and after: the result is public


@dataclass(frozen=True)
class VoteSummary:
    id: int
    title: str
    state: str
    state_label: str
    opens_at: datetime
    closes_at: datetime
    verdict: str | None
    verdict_label: str


@dataclass(frozen=True)
class VoteView:
    id: int
    community_id: int
    title: str
    description: str
    state: str
    state_label: str
    ballot_type: str
    max_choices: int
    options: tuple[OptionSpec, ...]
    counting: str
    counting_label: str
    electorate_label: str  # 全社区 / 指定小区或楼栋：嘉明花园、3栋 / 居民代表
    rule_key: str
    rule_label: str
    rule_text: str  # what the rule requires, in plain words
    rule_source: str  # the law it comes from
    channels: frozenset[str]
    results_live: bool
    secret: bool
    allow_change: bool
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    publicity_ends_at: datetime | None
    verdict: str | None
    verdict_label: str
    state_reason: str
    outcome_id: int | None
    issue_id: int | None
    onsite_meeting_id: int | None
    roll_heads: int  # the frozen roll; for a draft, the roll if it opened now
    roll_area: Fraction
    may_manage: bool
    may_enter: bool
    may_answer: bool


async def list_votes(user: Principal, community_id: int | None = None) -> list[VoteSummary]:
    """The votes of one community (or of every community where the person has a role): open ones first, then
    drafts (only for those who manage votes), then closed, final, annulled and cancelled; newest first in each."""
    communities = [c for c in user.roles if user.roles_in(c)]
    if community_id is not None:
        communities = [c for c in communities if c == community_id]
    if not communities:
        return []
    managed = set(user.communities_with('vote.manage'))
    rows = await Vote.filter(community_id__in=communities).order_by('-opens_at', '-id')
    shown = [v for v in rows if v.state != VoteState.DRAFT or v.community_id in managed]
    shown.sort(key=lambda v: ORDER.index(v.state) if v.state in ORDER else len(ORDER))
    return [VoteSummary(v.id, v.title, v.state, _state_label(v.state), v.opens_at, v.closes_at, v.verdict,
                        VERDICTS.get(v.verdict, '') if v.verdict else '') for v in shown]


async def vote_view(user: Principal, vote_id: int) -> VoteView:
    """One vote as this person may see it. Closed votes are public (公示: anyone may read the result and the notice);
    the others only to people with a role in the vote's community, drafts only to those who manage votes.

    Errors: not_found."""
    vote = await Vote.get_or_none(id=vote_id)
    if vote is None or (vote.state not in PUBLIC_STATES and not user.roles_in(vote.community_id)) \
            or (vote.state == VoteState.DRAFT and not can(user, 'vote.manage', vote)):
        raise DomainError('not_found', '找不到这次表决')
    rule = vote_counting.rule_for_vote(vote)
    options = tuple(OptionSpec(o.id, o.label, o.kind)
                    for o in await VoteOption.filter(vote_id=vote.id).order_by('position'))
    heads, area = await _roll_size(vote)
    return VoteView(
        id=vote.id, community_id=vote.community_id, title=vote.title, description=vote.description,
        state=vote.state, state_label=_state_label(vote.state), ballot_type=vote.ballot_type,
        max_choices=vote.max_choices, options=options, counting=vote.counting,
        counting_label=COUNTINGS.get(vote.counting, vote.counting), electorate_label=await _electorate_label(vote),
        rule_key=vote.rule, rule_label=rule.label, rule_text=rule.describe(vote.counting), rule_source=rule.source,
        channels=frozenset(vote.channels), results_live=vote.results_live, secret=vote.secret,
        allow_change=vote.allow_change, opens_at=vote.opens_at, closes_at=vote.closes_at, closed_at=vote.closed_at,
        publicity_ends_at=vote.publicity_ends_at, verdict=vote.verdict,
        verdict_label=VERDICTS.get(vote.verdict, '') if vote.verdict else '', state_reason=vote.state_reason or '',
        outcome_id=vote.outcome_id, issue_id=vote.issue_id, onsite_meeting_id=vote.onsite_meeting_id,
        roll_heads=heads, roll_area=area, may_manage=can(user, 'vote.manage', vote),
        may_enter=can(user, 'vote.enter', vote), may_answer=can(user, 'vote.answer', vote))


async def draft_of(actor: Principal, vote_id: int) -> VoteDraft:
    """The saved definition of a vote, to show it in the edit form. Errors: not_found, forbidden."""
    vote = await Vote.get_or_none(id=vote_id)
    if vote is None:
        raise DomainError('not_found', '找不到这次表决')
    accounts.require(actor, 'vote.manage', vote)
    labels = await VoteOption.filter(vote_id=vote.id).order_by('position').values_list('label', flat=True)
    places = await VotePlace.filter(vote_id=vote.id).values_list('compound_id', 'building_id')
    turnout = Threshold(Fraction(vote.turnout_num, vote.turnout_den), vote.turnout_strict) \
        if vote.turnout_num is not None and vote.turnout_den else None
    approval = Threshold(Fraction(vote.approval_num, vote.approval_den), vote.approval_strict) \
        if vote.approval_num is not None and vote.approval_den else None
    definition = Definition(
        title=vote.title, description=vote.description, ballot_type=vote.ballot_type,
        options=tuple(labels) if vote.ballot_type != 'yes_no' else (), max_choices=vote.max_choices,
        electorate=vote.electorate, counting=vote.counting, rule=vote.rule, custom_turnout=turnout,
        custom_approval=approval, channels=frozenset(vote.channels), max_principals=vote.max_principals,
        results_live=vote.results_live, secret=vote.secret, allow_change=vote.allow_change,
        opens_at=vote.opens_at, closes_at=vote.closes_at, publicity_days=vote.publicity_days)
    return VoteDraft(definition, tuple(c for c, _ in places if c), tuple(b for _, b in places if b),
                     vote.onsite_meeting_id, vote.outcome_id)


def _state_label(state: str) -> str:
    try:
        return VoteState(state).label
    except ValueError:
        return state


async def _roll_size(vote: Vote) -> tuple[int, Fraction]:
    if vote.opened_at is None:
        places = await VotePlace.filter(vote_id=vote.id).values_list('compound_id', 'building_id')
        preview = await electorate.preview_roll(
            vote.community_id, electorate=vote.electorate, counting=vote.counting,
            compound_ids=[c for c, _ in places if c], building_ids=[b for _, b in places if b])
        return preview.heads, preview.area
    # the size of the frozen roll is on the vote's 'vote.opened' chain entry: one row instead of the whole roll
    opened = await ChainEntry.filter(vote_id=vote.id, kind='vote.opened').order_by('seq').first().values('data')
    if opened and 'roll' in opened['data']:
        roll = opened['data']['roll']
        return int(roll['heads']), Fraction(roll['area'])
    areas = await Elector.filter(vote_id=vote.id).values_list('area_m2', flat=True)
    return len(areas), sum((Fraction(a) for a in areas), Fraction(0))


async def _electorate_label(vote: Vote) -> str:
    label = ELECTORATES.get(vote.electorate, vote.electorate)
    if vote.electorate != 'places':
        return label
    places = await VotePlace.filter(vote_id=vote.id).order_by('id').values_list('compound_id', 'building_id')
    compounds = dict(await Compound.filter(id__in=[c for c, _ in places if c]).values_list('id', 'name'))
    buildings = {b.id: f'{b.compound.name}{b.name}' for b in
                 await Building.filter(id__in=[b for _, b in places if b]).prefetch_related('compound')}
    names = [compounds.get(c, '') if c else buildings.get(b, '') for c, b in places]
    return f'{label}：{"、".join(n for n in names if n)}'
