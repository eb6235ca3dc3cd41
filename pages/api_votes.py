"""JSON API for 民事民决: define, open and close votes, enter paper and proxy ballots, read the results.

A key acts with staff rights in its own community and nowhere else (services.roster.key_principal); a vote of
another community is 404 exactly like one that does not exist, checked before anything is changed. Bodies are
validated here, after the key (as pages/api_issues.py does), so every refusal has one shape:
{'detail': {'code', 'message'}} with a stable code and a Chinese message, and nothing changes.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel

from domain.errors import DomainError
from domain.meetings import LOCAL
from domain.permissions import Principal
from domain.tally import Threshold
from domain.votes import VERDICTS, Definition
from models import ApiKey
from pages.api import ApiKeyDep, json_body, refusal, router
from pages.api_places import ErrorOut
from pages.api_vote_models import (
    FIELDS,
    MAX_ID,
    VOTE_EXAMPLE,
    BallotIn,
    CastOut,
    CloseIn,
    ElectorOut,
    HeadsOut,
    OptionOut,
    OptionResultOut,
    ResultsOut,
    RuleOut,
    SquareMetresOut,
    ThresholdOut,
    TurnoutOut,
    VoteIn,
    VoteOut,
    VoteSummaryOut,
)
from services import audit, ballot_views, ballots, tallies, vote_views, votes

VoteId = Annotated[int, Path(ge=1, le=MAX_ID, description='表决编号 / vote id')]

# a refusal's HTTP status by code; everything else the services refuse is 422 (the request cannot be done as asked)
_STATUS = {'not_found': 404, 'forbidden': 403, 'busy': 503,
           **dict.fromkeys(('illegal_move', 'not_editable', 'changed_meanwhile', 'closed', 'not_started',
                            'already_voted', 'no_change', 'sheet_taken', 'too_many_principals', 'channel_closed',
                            'outcome_not_ready', 'closes_passed', 'empty_roll'), 409)}


def acting(key: ApiKey) -> Principal:
    """Who the services see for a key: staff of the key's own community only, named after the key.

    The services write the actor's account into foreign keys (Vote.created_by, Ballot.entered_by, the audit log),
    so a key acts through the account of the admin who created it, with staff rights (not the admin's) in the
    key's community and none elsewhere; `_noted` adds an audit entry naming the key to everything it changes.
    """
    if key.created_by_id is None:  # its creator's account was deleted: nobody answers for this key any more
        raise refusal(403, 'forbidden', '这把 API 密钥的创建人账号已删除，请管理员重新创建密钥')
    return Principal(account_id=key.created_by_id, roles={key.community_id: frozenset({'staff'})},
                     name=f'API {key.prefix}')


# ---- endpoints ----

async def create_vote(request: Request, response: Response, key: ApiKey = ApiKeyDep) -> VoteOut:
    actor = acting(key)
    data = await json_body(request, VoteIn, FIELDS)
    draft = votes.VoteDraft(definition=_definition(data), compound_ids=tuple(data.compound_ids),
                            building_ids=tuple(data.building_ids), onsite_meeting_id=data.onsite_meeting_id,
                            outcome_id=data.outcome_id)
    vote = await _call(votes.create_vote(actor, key.community_id, draft))
    await _noted(key, 'vote.created', vote.id)
    response.status_code = 201
    return await _vote_out(actor, key, vote.id)


async def list_votes(key: ApiKey = ApiKeyDep) -> list[VoteSummaryOut]:
    found = await _call(vote_views.list_votes(acting(key), key.community_id))
    return [VoteSummaryOut(id=s.id, title=s.title, state=s.state, state_label=s.state_label, opens_at=s.opens_at,
                           closes_at=s.closes_at, verdict=s.verdict, verdict_label=s.verdict_label or None)
            for s in found]


async def read_vote(vote_id: VoteId, key: ApiKey = ApiKeyDep) -> VoteOut:
    return await _vote_out(acting(key), key, vote_id)


async def open_vote(vote_id: VoteId, key: ApiKey = ApiKeyDep) -> VoteOut:
    actor = acting(key)
    await _own(actor, key, vote_id)
    await _call(votes.open_vote(actor, vote_id))
    await _noted(key, 'vote.opened', vote_id)
    return await _vote_out(actor, key, vote_id)


async def close_vote(vote_id: VoteId, request: Request, key: ApiKey = ApiKeyDep) -> VoteOut:
    actor = acting(key)
    await _own(actor, key, vote_id)
    data = await json_body(request, CloseIn, FIELDS, empty_ok=True)
    await _call(votes.close_vote(actor, vote_id, reason=data.reason))
    await _noted(key, 'vote.closed', vote_id, reason=data.reason)
    return await _vote_out(actor, key, vote_id)


async def enter_ballot(vote_id: VoteId, request: Request, response: Response, key: ApiKey = ApiKeyDep) -> CastOut:
    actor = acting(key)
    await _own(actor, key, vote_id)
    data = await json_body(request, BallotIn, FIELDS)
    cast = await _call(ballots.enter_paper_ballot(
        actor, vote_id, elector_id=data.elector_id, choices=data.choices, sheet_no=data.sheet_no, nonce=data.nonce,
        proxy_resident_id=data.proxy_resident_id))
    if not cast.replay:  # which sheet the key typed in, never the choice
        await _noted(key, 'vote.ballot.entered', vote_id, sheet_no=data.sheet_no, elector_id=data.elector_id)
    response.status_code = 200 if cast.replay else 201
    return CastOut(receipt=cast.receipt, seq=cast.seq, replay=cast.replay, elector_label=cast.elector_label,
                   cast_at=cast.cast_at, channel='proxy' if data.proxy_resident_id is not None else 'paper')


_QUERY = Query('', max_length=40, description='姓名、楼栋、房号（如 3栋502）或手机号后四位 / '
                                            'name, building, room (3栋502) or the last 4 digits of a phone')


async def find_electors(vote_id: VoteId, key: ApiKey = ApiKeyDep, q: str = _QUERY) -> list[ElectorOut]:
    actor = acting(key)
    await _own(actor, key, vote_id)
    rows = await _call(ballot_views.find_electors(actor, vote_id, q))
    return [ElectorOut(id=r.id, key=r.key, label=r.label, detail=r.detail, voted=r.voted) for r in rows]


async def read_results(vote_id: VoteId, key: ApiKey = ApiKeyDep) -> ResultsOut:
    view = await _own(acting(key), key, vote_id)
    tally = await _call(tallies.current_tally(vote_id))
    return _results(view, tally)


# ---- helpers ----

async def _call(awaitable):
    try:
        return await awaitable
    except DomainError as e:
        raise refusal(_STATUS.get(e.code, 422), e.code, e.template, **e.params) from e


async def _noted(key: ApiKey, action: str, vote_id: int, **data: object) -> None:
    """The audit entry that says the change came through this API key (the service's own entry names its account)."""
    await audit.record(f'api.{action}', actor_id=key.created_by_id, community_id=key.community_id,
                       target=key, data={'api_key': key.prefix, 'vote_id': vote_id, **data})


async def _own(actor: Principal, key: ApiKey, vote_id: int):
    """The vote as the key sees it; another community's vote is not found, whatever it is."""
    view = await _call(vote_views.vote_view(actor, vote_id))
    if view.community_id != key.community_id:
        raise refusal(404, 'not_found', '找不到这次表决')
    return view


async def _vote_out(actor: Principal, key: ApiKey, vote_id: int) -> VoteOut:
    v = await _own(actor, key, vote_id)
    return VoteOut(
        id=v.id, title=v.title, description=v.description, state=v.state, state_label=v.state_label,
        ballot_type=v.ballot_type, max_choices=v.max_choices,
        options=[OptionOut(id=o.id, label=o.label, kind=o.kind) for o in v.options],
        electorate_label=v.electorate_label, counting=v.counting, counting_label=v.counting_label,
        rule=RuleOut(key=v.rule_key, label=v.rule_label, text=v.rule_text, source=v.rule_source),
        channels=sorted(v.channels), results_live=v.results_live, secret=v.secret, allow_change=v.allow_change,
        opens_at=v.opens_at, closes_at=v.closes_at, closed_at=v.closed_at, publicity_ends_at=v.publicity_ends_at,
        verdict=v.verdict, verdict_label=v.verdict_label or None, state_reason=v.state_reason or None,
        outcome_id=v.outcome_id, issue_id=v.issue_id, roll_heads=v.roll_heads,
        roll_area=_frac(Fraction(v.roll_area)) if v.roll_area is not None else None)


def _definition(data: VoteIn) -> Definition:
    return Definition(
        title=data.title, description=data.description, ballot_type=data.ballot_type, options=tuple(data.options),
        max_choices=data.max_choices, electorate=data.electorate, counting=data.counting, rule=data.rule,
        custom_turnout=_threshold(data.turnout, data.turnout_strict),
        custom_approval=_threshold(data.approval, data.approval_strict),
        channels=frozenset(data.channels), max_principals=data.max_principals, results_live=data.results_live,
        secret=data.secret, allow_change=data.allow_change, opens_at=_aware(data.opens_at),
        closes_at=_aware(data.closes_at), publicity_days=data.publicity_days)


def _threshold(text: str | None, strict: bool) -> Threshold | None:
    if not text:
        return None
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):  # its range is domain.votes.check_definition's to judge
        raise refusal(422, 'invalid_fraction', '比例应写成“分子/分母”，例如 2/3') from None
    return Threshold(fraction=value, strict=strict)


def _aware(when: datetime) -> datetime:
    """A time without a zone is Beijing time, as everyone in the community reads the clock."""
    return when if when.tzinfo is not None else when.replace(tzinfo=LOCAL)


def _frac(value: Fraction) -> str:
    return f'{value.numerator}/{value.denominator}'


def _decimal(value: Fraction, places: int = 2) -> str:
    """For display only: rounded half up to `places` decimals (the counting itself never leaves fractions)."""
    scaled = value * 10 ** places
    n = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return str(Decimal(n).scaleb(-places))


def _share(part: Fraction | int, whole: Fraction | int) -> tuple[str | None, str | None]:
    if not whole:
        return None, None
    share = Fraction(part) / Fraction(whole)
    return _frac(share), _decimal(share * 100)


def _rule_threshold(threshold: Threshold | None) -> ThresholdOut | None:
    if threshold is None:
        return None
    return ThresholdOut(fraction=_frac(threshold.fraction), strict=threshold.strict, label=threshold.label)


def _results(view, tally) -> ResultsOut:
    r, hidden = tally.result, tally.hidden
    heads_share, heads_pct = _share(r.voted_heads, r.total_heads)
    heads = HeadsOut(voted=r.voted_heads, total=r.total_heads, share=heads_share, percent=heads_pct,
                     met=r.heads_quorate)
    area = None
    if r.by_area:
        area_share, area_pct = _share(r.voted_area, r.total_area)
        area = SquareMetresOut(voted=_frac(Fraction(r.voted_area)), voted_m2=_decimal(Fraction(r.voted_area)),
                               total=_frac(Fraction(r.total_area)), total_m2=_decimal(Fraction(r.total_area)),
                               share=area_share, percent=area_pct, met=r.area_quorate)
    options = []
    for line in r.options:
        if hidden:
            options.append(OptionResultOut(id=line.id, label=line.label, kind=line.kind))
            continue
        share, pct = _share(line.heads, r.voted_heads)
        extra = {}
        if r.by_area:
            a_share, a_pct = _share(line.area, r.voted_area)
            extra = dict(area=_frac(Fraction(line.area)), area_m2=_decimal(Fraction(line.area)), area_share=a_share,
                         area_percent=a_pct)
        options.append(OptionResultOut(id=line.id, label=line.label, kind=line.kind, heads=line.heads,
                                       heads_share=share, heads_percent=pct, adopted=line.adopted, **extra))
    final = tally.state in ('closed', 'final', 'annulled')
    verdict = None if hidden else r.verdict
    return ResultsOut(
        vote_id=view.id, title=view.title, state=view.state, state_label=view.state_label, final=final,
        hidden=hidden, counted=tally.counted, at=tally.at, counting=view.counting, counting_label=view.counting_label,
        rule=RuleOut(key=view.rule_key, label=view.rule_label, text=view.rule_text, source=view.rule_source,
                     turnout=_rule_threshold(r.turnout), approval=_rule_threshold(r.approval), by_area=r.by_area),
        turnout=TurnoutOut(heads=heads, area=area, met=r.quorate), options=options,
        verdict=verdict, verdict_label=VERDICTS.get(verdict) if verdict else None,
        reasons=[] if hidden else list(r.reasons))


# ---- routes ----

_KEY = {401: {'model': ErrorOut, 'description': '缺少、无效或已吊销的 API 密钥，什么都没改 / bad key, nothing changed'}}
_MISSING = {404: {'model': ErrorOut, 'description': '没有这个表决，或属于其他社区 / not found, or another community’s'}}
_REFUSED = {409: {'model': ErrorOut, 'description': '当前状态下不能这样做（代码说明原因）/ not in this state'},
            422: {'model': ErrorOut, 'description': '请求有错，什么都没改（代码说明原因）/ refused, nothing changed'}}


def _body(model: type[BaseModel], examples: dict | None = None, *, required: bool = True) -> dict:
    content: dict = {'schema': model.model_json_schema()}
    if examples:
        content['examples'] = examples
    return {'requestBody': {'required': required, 'content': {'application/json': content}}}


router.add_api_route(
    '/votes', create_vote, methods=['POST'], status_code=201, response_model=VoteOut,
    summary='新建表决 / Create a vote', responses={**_KEY, **_REFUSED},
    description='在密钥所属社区新建一个表决（草稿）：标题、选项、表决方式、范围、计票方式、规则（民法典第278条、'
                '居民会议、村民会议等，或自定义精确比例）、渠道、时间和公示天数；可以由一条已审核的“提交表决”协商成果'
                '发起（`outcome_id`）。定义有错时返回 422 和稳定的错误代码（如 `rule_needs_owner`、`invalid_times`）。'
                '\n\nCreate a draft vote in the key’s community with its full definition, optionally from an approved '
                'outcome. A bad definition answers 422 with a stable code and a Chinese message; nothing is stored.',
    openapi_extra=_body(VoteIn, {'elevator': {'summary': '加装电梯（民法典第278条第(六)至(八)项）',
                                              'value': VOTE_EXAMPLE}}))
router.add_api_route(
    '/votes', list_votes, methods=['GET'], response_model=list[VoteSummaryOut], responses=_KEY,
    summary='表决列表 / Votes', description='密钥所属社区的表决，包括草稿。\n\nThe key’s community’s votes, drafts '
                                            'included.')
router.add_api_route(
    '/votes/{vote_id}', read_vote, methods=['GET'], response_model=VoteOut, responses={**_KEY, **_MISSING},
    summary='表决详情 / A vote', description='定义、状态和选项编号。\n\nThe definition, the state and the option ids.')
router.add_api_route(
    '/votes/{vote_id}/open', open_vote, methods=['POST'], response_model=VoteOut,
    responses={**_KEY, **_MISSING, **_REFUSED}, summary='开始表决 / Open a vote',
    description='开始表决并冻结名册；不能开始时返回 409 和原因。\n\nOpen the vote and freeze the roll; 409 with the '
                'reason when it cannot open.')
router.add_api_route(
    '/votes/{vote_id}/close', close_vote, methods=['POST'], response_model=VoteOut,
    responses={**_KEY, **_MISSING, **_REFUSED}, summary='截止表决 / Close a vote',
    description='截止表决、冻结结果并开始公示。提前截止必须写明原因（`reason`）。\n\nClose the vote, freeze the '
                'result and start the 公示 period. Closing before the deadline needs a `reason`.',
    openapi_extra=_body(CloseIn, {'early': {'summary': '提前截止', 'value': {'reason': '全体业主均已投票'}}},
                        required=False))
router.add_api_route(
    '/votes/{vote_id}/ballots', enter_ballot, methods=['POST'], status_code=201, response_model=CastOut,
    responses={200: {'model': CastOut, 'description': '这个请求编号以前录入过，未重复计票 / sent before'},
               **_KEY, **_MISSING, **_REFUSED},
    summary='录入纸质或委托选票 / Enter a paper or proxy ballot',
    description='录入一张纸质选票（填 `proxy_resident_id` 时为委托投票），记录是哪把密钥录入的。同一个 `nonce` '
                '再发一次返回原来的回执（200），不会重复计票。选项编号不属于这个表决、选得太多、选票编号重复、'
                '已经投过票等都会被拒绝并说明原因，票数不变。\n\nEnter a paper ballot (a proxy ballot with '
                '`proxy_resident_id`). The same `nonce` again returns the first receipt (200) and counts nothing '
                'twice. Forged option ids, too many choices, a used sheet number or an elector who already voted are '
                'refused with the reason; the tally does not change.',
    openapi_extra=_body(BallotIn))
router.add_api_route(
    '/votes/{vote_id}/electors', find_electors, methods=['GET'], response_model=list[ElectorOut],
    responses={**_KEY, **_MISSING}, summary='查找投票人 / Find electors',
    description='在开始表决时冻结的名册里查找投票人（录入纸质选票前用，手机号隐去中间四位）。\n\nFind electors on '
                'the roll frozen at open, to enter a paper ballot (phones masked).')
router.add_api_route(
    '/votes/{vote_id}/results', read_results, methods=['GET'], response_model=ResultsOut,
    responses={**_KEY, **_MISSING}, summary='表决结果 / Results',
    description='按规则计算的参与情况（人数和专有面积）、每个选项的票数和面积（精确比例 "n/d"，另附两位小数仅供显示）、'
                '结果和理由。截止前不公布结果的表决只返回参与情况。\n\nTurnout by head and area against the rule, '
                'per-option heads and area (exact "n/d" strings plus decimals for display), the verdict and its '
                'reasons. A vote with hidden results shows turnout only until it closes.')
