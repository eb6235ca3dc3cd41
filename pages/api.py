"""JSON API under /api/v1: shared router and API-key authentication. Feature endpoints add to `router`."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Security
from fastapi.security import APIKeyHeader
from nicegui import app

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


def register() -> None:
    """Include the router once all feature modules (imported before this runs) have added their endpoints."""
    app.include_router(router)
