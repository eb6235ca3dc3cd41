"""JSON API under /api/v1: shared router and API-key authentication. Feature endpoints add to `router`."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from nicegui import app
from pydantic import BaseModel, ValidationError

from domain.errors import DomainError
from models import ApiKey
from services import apikeys

router = APIRouter(prefix='/api/v1', tags=['共商 API v1'])
_key_header = APIKeyHeader(name='X-API-Key', auto_error=False, description='由社区管理员在“接口密钥”页面创建')


async def api_key(key: str | None = Security(_key_header)) -> ApiKey:
    """The calling integration's key; 401 with a Chinese message when missing, unknown or revoked."""
    try:
        return await apikeys.authenticate(key)
    except DomainError as e:
        raise HTTPException(status_code=401, detail={'code': e.code, 'message': e.message}) from e


ApiKeyDep = Depends(api_key)

MAX_BODY_BYTES = 64 * 1024  # every request body of the API fits many times over
Body = TypeVar('Body', bound=BaseModel)


def refusal(status: int, code: str, template: str, **params: object) -> HTTPException:
    """The API's refusal: a stable code and the message in Chinese, whatever language a browser session uses."""
    message = template.format(**params) if params else template
    return HTTPException(status_code=status, detail={'code': code, 'message': message})


async def json_body(request: Request, model: type[Body], fields: Mapping[str, tuple[str, str]], *,
                    shape: str = '请求内容应为 JSON 对象', empty_ok: bool = False) -> Body:
    """The request's JSON object as `model`, read after the key was checked (so a bad key is 401 whatever the body).

    A refusal names the first wrong field with its error code and Chinese name from `fields` (field → (code, name)).
    """
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise refusal(422, 'invalid_json', '请求内容太大（最多 {kb} KB）', kb=MAX_BODY_BYTES // 1024)
    if empty_ok and not raw.strip():
        return model()
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        raise refusal(422, 'invalid_json', shape)
    try:
        return model.model_validate(payload)
    except ValidationError as e:
        first = e.errors()[0]
        field = str(first['loc'][0]) if first['loc'] else ''
        code, what = fields.get(field, ('invalid_json', field))
        kind = first['type']
        if kind == 'missing':
            raise refusal(422, code, '缺少{what}（{field}）', what=what, field=field) from None
        if kind == 'string_too_long':
            raise refusal(422, code, '{what}太长了（最多 {max} 个字）', what=what,
                          max=first.get('ctx', {}).get('max_length', '')) from None
        if kind == 'string_too_short':
            raise refusal(422, code, '{what}不能为空', what=what) from None
        raise refusal(422, code, '{what}（{field}）的格式不对', what=what, field=field) from None


def register() -> None:
    """Include the router once all feature modules (imported before this runs) have added their endpoints."""
    app.include_router(router)
