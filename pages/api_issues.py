"""JSON API: an integration (the 12345 hotline, 宜格服务) pushes issues with its own reference and tracks them.

The body is validated here rather than by FastAPI's parameter machinery, so that the key is checked first (a bad
key is 401 whatever the body) and every refusal has the same shape as the rest of the API:
{'detail': {'code', 'message'}} with a stable code and a Chinese message. Nothing is stored on any refusal.
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from domain import lifecycle, triage
from domain.errors import DomainError
from domain.people import MAX_NAME
from models import ApiKey
from pages.api import ApiKeyDep, json_body, refusal, router
from pages.api_places import ErrorOut
from services import issue_views, issues
from services.issues import Draft

MAX_REFERENCE = 80

# field → (error code, what it is called in the message); the codes are those the service uses for the same field
_FIELDS = {
    'reference': ('invalid_reference', '对接编号'), 'kind': ('invalid_kind', '类型'),
    'title': ('invalid_title', '标题'), 'body': ('invalid_body', '内容'),
    'category': ('invalid_category', '类别'), 'author_name': ('invalid_author', '提出人姓名'),
    'compound_id': ('invalid_place', '小区编号'), 'building_id': ('invalid_place', '楼栋编号'),
}
_EXAMPLE = {'reference': '12345-20260301-0042', 'kind': 'issue', 'title': '3栋门口路灯坏了',
            'body': '市民来电：晚上很黑，老人出门不安全', 'category': 'lighting', 'author_name': '来电市民'}

_WISH = {**_EXAMPLE, 'reference': 'YG-2026-0007', 'kind': 'wish', 'title': '想请人帮忙修一下轮椅',
         'category': 'elderly'}


class IssueIn(BaseModel):
    """What an integration pushes."""
    model_config = ConfigDict(extra='ignore', json_schema_extra={'examples': [_EXAMPLE]})

    reference: str = Field(min_length=1, max_length=MAX_REFERENCE,
                           description='对接系统自己的编号；同一编号再次推送不会重复创建 / '
                                       'your own reference; pushing it again creates nothing new',
                           examples=['12345-20260301-0042'])
    kind: Literal['issue', 'wish'] = Field('issue', description='issue 公共议题 | wish 微心愿')
    title: str = Field(max_length=issues.MAX_TITLE, description='标题（2–60 个字）/ title, 2–60 characters',
                       examples=['3栋门口路灯坏了'])
    body: str = Field('', max_length=issues.MAX_BODY, description='内容（最多 2000 字）/ text, at most 2000 characters')
    category: str = Field(description='类别代码 / category key: ' + ', '.join(
        f'{key} {category.label}' for key, category in triage.CATEGORIES.items()),
        json_schema_extra={'enum': list(triage.CATEGORIES)}, examples=['lighting'])
    author_name: str = Field('', max_length=MAX_NAME,
                             description='提出人姓名（可不填，不要传手机号）/ who raised it; never send a phone number',
                             examples=['来电市民'])
    compound_id: int | None = Field(None, description='小区编号（见 /api/v1/places）/ compound id')
    building_id: int | None = Field(None, description='楼栋编号（见 /api/v1/places）/ building id')


class PushedOut(BaseModel):
    id: int = Field(description='共商里的编号 / the id in Gongshang')
    reference: str
    kind: Literal['issue', 'wish']
    state: str = Field(description='状态代码 / state key', examples=['submitted'])
    state_label: str = Field(description='状态 / state in Chinese', examples=['已提交'])
    created: bool = Field(description='true：这次新建（201）；false：这个编号以前推送过（200）/ '
                                      'true: created now (201); false: pushed before (200)')


class MoveOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(alias='from', description='原状态（第一条为空）/ previous state, null at first')
    to: str = Field(description='新状态 / new state', examples=['accepted'])
    label: str = Field(description='新状态的中文名 / the new state in Chinese', examples=['已受理'])
    reason: str | None = Field(description='原因或说明 / why', examples=['路灯属于供电公司，已转 12345'])
    at: datetime


class TrackedOut(BaseModel):
    id: int
    reference: str
    kind: Literal['issue', 'wish']
    title: str
    state: str
    state_label: str
    created_at: datetime
    updated_at: datetime
    timeline: list[MoveOut] = Field(description='处理经过，最早的在前 / every move, oldest first')


_KEY_ERRORS = {401: {'model': ErrorOut,
                     'description': '缺少、无效或已吊销的 API 密钥 / missing, invalid or revoked key'}}

_PUSH_DESCRIPTION = '''把一条市民诉求推送到密钥所属的社区（渠道记为“系统对接”），等待社区受理。
`reference` 是对接系统自己的编号：同一编号再推送一次不会重复创建，返回 200 和原来那条（`created: false`）；
第一次返回 201（`created: true`）。请求内容有错时返回 422 和稳定的错误代码（如 `invalid_reference`、
`invalid_category`、`invalid_title`）及中文说明，什么都不保存。请不要传手机号等个人信息。

Push a citizen's request into the key's community (channel “系统对接”). `reference` is your own id: pushing it
again creates nothing and answers 200 with the existing item (`created: false`); the first push answers 201.
A bad body answers 422 with a stable code and a Chinese message, and nothing is stored. 401: bad key.'''


async def push_issue(request: Request, response: Response, key: ApiKey = ApiKeyDep) -> PushedOut:
    data = await json_body(request, IssueIn, _FIELDS,
                           shape='请求内容应为 JSON 对象（含 reference、title、category 等字段）')
    draft = Draft(kind=data.kind, title=data.title, body=data.body, category=data.category,
                  compound_id=data.compound_id, building_id=data.building_id)
    try:
        issue, created = await issues.push_from_api(key, draft, reference=data.reference, author_name=data.author_name)
    except DomainError as e:
        raise refusal(422, e.code, e.template, **e.params) from e
    response.status_code = 201 if created else 200
    return PushedOut(id=issue.id, reference=issue.external_ref or data.reference, kind=issue.kind, state=issue.state,
                     state_label=lifecycle.label(issue.state), created=created)


async def track_issue(reference: str, key: ApiKey = ApiKeyDep) -> TrackedOut:
    try:
        issue, moves = await issue_views.pushed(key, reference)
    except DomainError as e:
        raise refusal(404, e.code, e.template, **e.params) from e
    return TrackedOut(id=issue.id, reference=issue.external_ref or reference, kind=issue.kind, title=issue.title,
                      state=issue.state, state_label=lifecycle.label(issue.state),
                      created_at=issue.created_at, updated_at=issue.updated_at,
                      timeline=[MoveOut(from_=m.from_state, to=m.to_state, label=m.label, reason=m.reason, at=m.at)
                                for m in moves])


router.add_api_route(
    '/issues', push_issue, methods=['POST'], status_code=201, response_model=PushedOut,
    summary='推送市民诉求 / Push an issue', description=_PUSH_DESCRIPTION,
    responses={200: {'model': PushedOut, 'description': '这个编号以前推送过，未重复创建 / pushed before'},
               201: {'description': '已创建 / created'}, **_KEY_ERRORS,
               422: {'model': ErrorOut, 'description': '请求内容有错，未保存 / bad body, nothing stored',
                     'content': {'application/json': {'examples': {
                         'missing_reference': {'summary': '缺少对接编号', 'value': {'detail': {
                             'code': 'invalid_reference', 'message': '缺少对接编号（reference）'}}},
                         'unknown_category': {'summary': '没有这个类别', 'value': {'detail': {
                             'code': 'invalid_category', 'message': '请选择类别'}}}}}}}},
    openapi_extra={'requestBody': {'required': True, 'content': {'application/json': {
        'schema': IssueIn.model_json_schema(),
        'examples': {'hotline': {'summary': '12345 热线来电', 'value': _EXAMPLE},
                     'wish': {'summary': '微心愿', 'value': _WISH}}}}}})
router.add_api_route(
    '/issues/{reference:path}', track_issue, methods=['GET'], response_model=TrackedOut,
    summary='查询推送的诉求 / Track a pushed issue',
    description='按对接编号查询这把密钥推送过的诉求：当前状态和处理经过（每一步的原状态、新状态、原因和时间）。'
                '其他密钥或其他社区的编号一律返回 404。\n\nThe state and timeline of an item this key pushed, by '
                'your reference. Another key’s or another community’s reference answers 404.',
    responses={**_KEY_ERRORS, 404: {'model': ErrorOut, 'description': '没有这个编号 / no such reference'}})
