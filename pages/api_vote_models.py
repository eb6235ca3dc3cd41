"""Request and response models of the votes API (pages/api_votes.py): they make /openapi.json describe it fully."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.votes import BALLOT_TYPES, CHANNELS, COUNTINGS, ELECTORATES

MAX_ID = 2_147_483_647  # larger ids cannot exist (and PostgreSQL's integer columns would refuse to compare them)
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_FRACTION = r'^\d{1,4}/\d{1,4}$'
_KEYS = ', '.join  # a readable list of allowed keys in a description

# field → (error code, what it is called in the message); the codes are those the services use for the same field
FIELDS = {
    'title': ('invalid_title', '标题'), 'description': ('invalid_description', '说明'),
    'ballot_type': ('unknown_ballot_type', '表决方式'), 'options': ('invalid_option', '选项'),
    'max_choices': ('invalid_max_choices', '最多可选几项'), 'electorate': ('unknown_electorate', '参加表决的范围'),
    'counting': ('unknown_counting', '计票方式'), 'rule': ('unknown_rule', '表决规则'),
    'turnout': ('invalid_fraction', '参与比例'), 'approval': ('invalid_fraction', '通过比例'),
    'turnout_strict': ('invalid_fraction', '参与比例'), 'approval_strict': ('invalid_fraction', '通过比例'),
    'channels': ('unknown_channel', '投票方式'), 'max_principals': ('invalid_principals', '每位代理人最多代理几人'),
    'opens_at': ('invalid_times', '开始时间'), 'closes_at': ('invalid_times', '截止时间'),
    'publicity_days': ('invalid_publicity', '公示天数'), 'compound_ids': ('invalid_place', '小区编号'),
    'building_ids': ('invalid_place', '楼栋编号'), 'onsite_meeting_id': ('invalid_meeting', '现场会议编号'),
    'outcome_id': ('outcome_not_ready', '协商成果编号'), 'reason': ('invalid_reason', '原因'),
    'elector_id': ('not_in_electorate', '投票人编号'), 'choices': ('no_choice', '所选选项'),
    'sheet_no': ('invalid_sheet_no', '选票编号'), 'nonce': ('invalid_nonce', '请求编号'),
    'proxy_resident_id': ('proxy_not_resident', '代理人编号'),
}

VOTE_EXAMPLE = {
    'title': '嘉明花园加装电梯', 'description': '3栋加装电梯，费用按楼层分摊。', 'ballot_type': 'yes_no',
    'electorate': 'places', 'compound_ids': [1], 'counting': 'owner', 'rule': 'civil_278_major',
    'channels': ['online', 'paper', 'proxy'], 'opens_at': '2026-03-01T09:00:00+08:00',
    'closes_at': '2026-03-08T18:00:00+08:00', 'publicity_days': 7}


class VoteIn(BaseModel):
    """The full definition of a vote (domain.votes.Definition) and where it applies."""
    model_config = ConfigDict(extra='ignore', json_schema_extra={'examples': [VOTE_EXAMPLE]})

    title: str = Field(max_length=200, description='标题（2–60 个字）/ title, 2–60 characters')
    description: str = Field('', max_length=5000, description='说明 / what is being decided')
    ballot_type: str = Field(description='表决方式 / ballot type: ' + _KEYS(
        f'{k} {v}' for k, v in BALLOT_TYPES.items()), json_schema_extra={'enum': list(BALLOT_TYPES)})
    options: list[str] = Field([], max_length=50, description='选项（赞成/反对/弃权时不填）/ the options; '
                                                             'leave empty for yes_no')
    max_choices: int = Field(1, ge=1, le=50, description='多选时最多选几项 / at most k choices (multiple)')
    electorate: str = Field('community', description='参加表决的范围 / electorate: ' + _KEYS(
        f'{k} {v}' for k, v in ELECTORATES.items()), json_schema_extra={'enum': list(ELECTORATES)})
    compound_ids: list[Id] = Field([], max_length=200, description='指定的小区（electorate=places）/ compounds')
    building_ids: list[Id] = Field([], max_length=500, description='指定的楼栋（electorate=places）/ buildings')
    counting: str = Field(description='计票方式 / counting unit: ' + _KEYS(f'{k} {v}' for k, v in COUNTINGS.items()),
                          json_schema_extra={'enum': list(COUNTINGS)})
    rule: str = Field(description='表决规则：civil_278 民法典第278条一般事项, civil_278_major 第278条第(六)至(八)项, '
                                  'residents_meeting 居民会议, villagers_meeting 村民会议, village_reps 村民代表会议, '
                                  'village_group 村民小组会议, simple_majority 简单多数, custom 自定义 / rule preset',
                      examples=['civil_278'])
    turnout: str | None = Field(None, pattern=_FRACTION, description='自定义规则的参与比例，如 "2/3"；不填表示'
                                '不要求 / custom rule: turnout as an exact fraction, none for no quorum')
    turnout_strict: bool = Field(False, description='true：超过（过）；false：达到即可（以上）/ more than, or at least')
    approval: str | None = Field(None, pattern=_FRACTION, description='自定义规则的通过比例，如 "1/2" / '
                                 'custom rule: approval as an exact fraction')
    approval_strict: bool = Field(True, description='true：过半数式的“超过”；false：“以上” / more than, or at least')
    channels: list[str] = Field(min_length=1, max_length=4, description='投票渠道 / channels: ' + _KEYS(
        f'{k} {v}' for k, v in CHANNELS.items()))
    onsite_meeting_id: Id | None = Field(None, description='现场投票的会议（只限已签到的人）/ the meeting for on-site')
    max_principals: int = Field(3, ge=1, le=20, description='每位代理人最多代理几人 / principals per proxy')
    results_live: bool = Field(True, description='投票中显示结果；false：截止后才公布 / show results while open')
    secret: bool = Field(False, description='无记名投票 / secret ballot')
    allow_change: bool = Field(False, description='截止前可以改票 / voters may change until close')
    opens_at: datetime = Field(description='开始时间（不带时区按北京时间）/ opens; without a zone: Beijing time')
    closes_at: datetime = Field(description='截止时间 / closes')
    publicity_days: int = Field(7, ge=0, le=60, description='公示天数 / days of 公示 after closing')
    outcome_id: Id | None = Field(None, description='由哪条已审核的“提交表决”协商成果发起 / the approved outcome')


class CloseIn(BaseModel):
    reason: str | None = Field(None, max_length=500, description='提前截止的原因（提前截止时必填）/ why closed early')


class BallotIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={'examples': [
        {'elector_id': 17, 'choices': [41], 'sheet_no': 'A-0031', 'nonce': 'paper-A-0031-1'}]})

    elector_id: Id = Field(description='投票人（见 /electors）/ the elector on the roll')
    choices: list[Id] = Field(max_length=50, description='选中的选项编号 / chosen option ids')
    sheet_no: str = Field(min_length=1, max_length=30, description='纸质选票编号 / the paper sheet’s number')
    nonce: str = Field(pattern=r'^[A-Za-z0-9_-]{8,64}$', description='这次录入的唯一编号（8–64 个字母、数字、_ 或 -）；'
                       '重发不会重复计票 / unique per entry, 8–64 of A-Z a-z 0-9 _ -; sending it again counts nothing '
                       'twice', examples=['paper-A-0031-1'])
    proxy_resident_id: Id | None = Field(None, description='委托投票时代理人的居民编号 / the proxy, if any')


class OptionOut(BaseModel):
    id: int
    label: str = Field(examples=['赞成'])
    kind: str = Field(description='yes | no | abstain | choice')


class ThresholdOut(BaseModel):
    fraction: str = Field(description='精确比例 / exact fraction', examples=['2/3'])
    strict: bool = Field(description='true：超过；false：达到即可（以上）/ more than, or at least')
    label: str = Field(examples=['三分之二以上'])


class RuleOut(BaseModel):
    key: str = Field(examples=['civil_278'])
    label: str
    text: str = Field(description='规则说明 / what the rule requires, in Chinese')
    source: str = Field(description='法律依据 / legal source')
    turnout: ThresholdOut | None = Field(None, description='参与要求（无则不要求）/ the quorum')
    approval: ThresholdOut | None = Field(None, description='通过要求 / approval')
    by_area: bool | None = Field(None, description='同时按人数和专有面积 / by head and area')


class VoteOut(BaseModel):
    id: int
    title: str
    description: str
    state: str = Field(description='draft 草稿 | open 表决中 | closed 公示中 | final 已生效 | cancelled | annulled')
    state_label: str
    ballot_type: str
    max_choices: int
    options: list[OptionOut] = Field(description='选项及其编号（录入选票时用）/ options with their ids')
    electorate_label: str
    counting: str
    counting_label: str
    rule: RuleOut
    channels: list[str]
    results_live: bool
    secret: bool
    allow_change: bool
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    publicity_ends_at: datetime | None
    verdict: str | None = Field(description='passed | failed | not_quorate | tie（截止后）/ after closing')
    verdict_label: str | None
    state_reason: str | None
    outcome_id: int | None
    issue_id: int | None
    roll_heads: int | None = Field(description='开始时冻结的名册人数 / electors on the roll frozen at open')
    roll_area: str | None = Field(description='名册总面积（平方米，精确比例）/ total area, exact fraction')


class VoteSummaryOut(BaseModel):
    id: int
    title: str
    state: str
    state_label: str
    opens_at: datetime
    closes_at: datetime
    verdict: str | None
    verdict_label: str | None


class CastOut(BaseModel):
    receipt: str = Field(description='回执码 / receipt code', examples=['K7Q2-9XMP'])
    seq: int
    replay: bool = Field(description='true：这个请求编号以前录入过，未重复计票（200）/ sent before, nothing changed')
    elector_label: str
    cast_at: datetime
    channel: str = Field(description='paper | proxy')


class ElectorOut(BaseModel):
    id: int
    key: str
    label: str
    detail: str = Field(description='房号、隐去中间的手机号 / room, masked phone')
    voted: bool


class HeadsOut(BaseModel):
    voted: int
    total: int
    share: str | None = Field(description='精确比例 / exact fraction', examples=['7/10'])
    percent: str | None = Field(description='百分比，仅供显示 / percent for display', examples=['70.00'])
    met: bool = Field(description='达到参与要求 / meets the turnout rule')


class SquareMetresOut(BaseModel):
    voted: str = Field(description='参与表决的专有面积（精确）/ exact', examples=['1791/4'])
    voted_m2: str = Field(examples=['447.75'])
    total: str
    total_m2: str
    share: str | None
    percent: str | None
    met: bool | None


class TurnoutOut(BaseModel):
    heads: HeadsOut = Field(description='按人数（户数）/ by head')
    area: SquareMetresOut | None = Field(description='按专有面积（按业主计票时）/ by area, owners only')
    met: bool = Field(description='参与达到规则要求 / quorate')


class OptionResultOut(BaseModel):
    id: int
    label: str
    kind: str
    heads: int | None = Field(None, description='票数；结果隐藏时为空 / heads; null while hidden')
    heads_share: str | None = Field(None, description='占参与表决人数的精确比例 / of those who voted, exact')
    heads_percent: str | None = None
    area: str | None = Field(None, description='专有面积（精确）/ area, exact fraction')
    area_m2: str | None = None
    area_share: str | None = None
    area_percent: str | None = None
    adopted: bool | None = Field(None, description='达到通过要求 / meets the approval rule')


class ResultsOut(BaseModel):
    vote_id: int
    title: str
    state: str
    state_label: str
    final: bool = Field(description='true：已截止，结果已冻结 / closed, the result is frozen')
    hidden: bool = Field(description='截止前不公布票数（只有参与情况）/ results hidden until close: turnout only')
    counted: int = Field(description='计入的选票 / counted ballots')
    at: datetime
    counting: str
    counting_label: str
    rule: RuleOut
    turnout: TurnoutOut
    options: list[OptionResultOut]
    verdict: str | None = Field(description='passed 通过 | failed 未通过 | not_quorate 参与不足 | tie 票数相同；'
                                            '表决中为当前票数下的结果 / while open: as it stands')
    verdict_label: str | None
    reasons: list[str] = Field(description='结果的理由（中文）/ why, in Chinese')
