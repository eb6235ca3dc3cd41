"""Where a project comes from (民事民决 → 民事民办): a passed vote made final, an approved 会上议定 outcome, or a
claimed micro-wish — each checked for readiness, and offered to staff on /projects/new while it has no project."""
from __future__ import annotations

from dataclasses import dataclass

from domain import lifecycle
from domain import projects as rules
from domain.errors import DomainError
from domain.votes import VERDICTS, VoteState
from models import Issue, Outcome, Project, Vote


@dataclass(frozen=True)
class Source:
    """A decision a project can carry out, as the project needs it."""
    origin: str  # vote | outcome | wish
    id: int
    community_id: int
    title: str
    text: str  # the decision in words: the vote's description, the outcome's text, the wish's body
    issue_id: int | None  # the issue or wish carried out (the project's Project.issue)
    compound_id: int | None  # the issue's compound, the default for the project

    @property
    def label(self) -> str:
        """How /projects/new lists it: “表决通过：加装电梯”."""
        return f'{rules.ORIGINS[self.origin]}：{self.title}'


async def source(origin: str, source_id: int) -> Source:
    """The source, ready to become a project.

    Errors: invalid_origin, not_found, vote_not_final, vote_not_passed, outcome_not_approved, outcome_not_decided,
    wish_not_claimed.
    """
    if origin == 'vote':
        return _vote_source(await _vote(source_id))
    if origin == 'outcome':
        return await _outcome_source(await _outcome(source_id))
    if origin == 'wish':
        return await _wish_source(await _wish(source_id))
    raise DomainError('invalid_origin', '请选择项目的来源：表决通过的事项、会议决定或认领的微心愿')


async def taken(origin: str, source_id: int, conn=None) -> bool:
    """Does the source already have a project that was not cancelled?"""
    query = Project.filter(**{_COLUMN[origin]: source_id}).exclude(state='cancelled')
    return await (query.using_db(conn) if conn is not None else query).exists()


async def hold(origin: str, source_id: int, conn) -> bool:
    """Inside the caller's transaction: lock the source row while it is still ready (a no-op UPDATE), so two staff
    setting up the same decision at the same moment are served one after the other. False: no longer ready."""
    if origin == 'vote':
        query = Vote.filter(id=source_id, state=VoteState.FINAL, verdict='passed')
        return bool(await query.using_db(conn).update(state=VoteState.FINAL))
    if origin == 'outcome':
        query = Outcome.filter(id=source_id, state='approved', kind='decided')
        return bool(await query.using_db(conn).update(state='approved'))
    query = Issue.filter(id=source_id, kind='wish', state='claimed')
    return bool(await query.using_db(conn).update(state='claimed'))


async def ready(community_id: int) -> list[Source]:
    """Every source of the community that may become a project now and has none yet, newest decision first."""
    found: list[Source] = []
    passed = await Vote.filter(community_id=community_id, state=VoteState.FINAL, verdict='passed') \
        .order_by('-finalised_at', '-id')
    found += [_vote_source(v) for v in passed]
    decided = await Outcome.filter(state='approved', kind='decided', item__meeting__community_id=community_id) \
        .order_by('-reviewed_at', '-id').prefetch_related('item__meeting', 'item__issue')
    found += [await _outcome_source(o) for o in decided]
    claimed = await Issue.filter(community_id=community_id, kind='wish', state='claimed').order_by('-claimed_at', '-id')
    found += [await _wish_source(w) for w in claimed]
    busy: dict[str, set[int]] = {}
    for origin, column in _COLUMN.items():
        ids = [s.id for s in found if s.origin == origin]
        busy[origin] = set(await Project.filter(**{f'{column}__in': ids}).exclude(state='cancelled')
                           .values_list(column, flat=True)) if ids else set()
    return [s for s in found if s.id not in busy[s.origin]]


def vote_decision(vote: Vote) -> str:
    """The vote's decision in words: “加装电梯：通过（赞成 12 票、反对 3 票、弃权 1 票）”."""
    return f'{vote.title}：{VERDICTS.get(vote.verdict or "", vote.verdict or "")}{_counts(vote)}'


# ---- helpers ----

_COLUMN = {'vote': 'vote_id', 'outcome': 'outcome_id', 'wish': 'issue_id'}


async def _vote(vote_id: int) -> Vote:
    vote = await Vote.get_or_none(id=vote_id)
    if vote is None:
        raise DomainError('not_found', '找不到这项表决')
    if vote.state != VoteState.FINAL:
        raise DomainError('vote_not_final', '这项表决还没有生效（现在是“{state}”），公示期满生效后才能立项',
                          state=VoteState(vote.state).label)
    if vote.verdict != 'passed':
        raise DomainError('vote_not_passed', '这项表决没有通过，不能立项')
    return vote


def _vote_source(vote: Vote) -> Source:
    return Source('vote', vote.id, vote.community_id, vote.title, vote.description, vote.issue_id, None)


async def _outcome(outcome_id: int) -> Outcome:
    outcome = await Outcome.get_or_none(id=outcome_id).prefetch_related('item__meeting', 'item__issue')
    if outcome is None:
        raise DomainError('not_found', '找不到这项协商成果')
    if outcome.state != 'approved':
        raise DomainError('outcome_not_approved', '这项协商成果还没有经党组织审核通过，不能立项')
    if outcome.kind != 'decided':
        raise DomainError('outcome_not_decided', '只有“会上议定”的协商成果可以直接立项；提交表决的，表决通过后再立项')
    return outcome


async def _outcome_source(outcome: Outcome) -> Source:
    item = outcome.item
    issue = item.issue
    return Source('outcome', outcome.id, item.meeting.community_id, item.title, outcome.text,
                  issue.id if issue else None, issue.compound_id if issue else None)


async def _wish(wish_id: int) -> Issue:
    wish = await Issue.get_or_none(id=wish_id, kind='wish')
    if wish is None:
        raise DomainError('not_found', '找不到这个心愿')
    if wish.state != 'claimed':
        raise DomainError('wish_not_claimed', '只有已认领的微心愿可以立项（现在是“{state}”）',
                          state=lifecycle.label(wish.state))
    return wish


async def _wish_source(wish: Issue) -> Source:
    return Source('wish', wish.id, wish.community_id, wish.title, wish.body, wish.id, wish.compound_id)


def _counts(vote: Vote) -> str:
    """（赞成 12 票、反对 3 票、弃权 1 票） from the tally frozen at close."""
    options = (vote.result or {}).get('options') or []
    parts = [f'{o["label"]} {o["heads"]} 票' for o in options if 'label' in o and 'heads' in o]
    return f'（{"、".join(parts)}）' if parts else ''
