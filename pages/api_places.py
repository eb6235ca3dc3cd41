"""JSON API: health, and read-only places and households of the API key's community (no personal data)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.errors import DomainError
from models import ApiKey
from pages.api import ApiKeyDep, router
from services import health, places_query

# ---- response models: they make /openapi.json (and /docs) describe the API fully ----


class ErrorDetail(BaseModel):
    code: str = Field(description='稳定的错误代码 / stable error code', examples=['api_key_invalid'])
    message: str = Field(description='中文说明 / message in Chinese', examples=['API 密钥无效或已被吊销'])


class ErrorOut(BaseModel):
    detail: ErrorDetail


class HealthOut(BaseModel):
    status: Literal['ok'] = 'ok'
    database: Literal['sqlite', 'postgresql'] = Field(description='正在使用的数据库 / the database in use')
    version: str = Field(description='应用版本 / app version')
    migrations: int = Field(description='已执行的数据库迁移数 / applied schema migrations')


class HealthDown(BaseModel):
    status: Literal['unavailable'] = 'unavailable'
    database: str = Field(description='配置的数据库 / the configured database')
    version: str
    detail: ErrorDetail


class BuildingOut(BaseModel):
    id: int
    name: str = Field(examples=['1栋'])
    households: int = Field(description='户数 / number of households')


class CompoundOut(BaseModel):
    id: int
    name: str = Field(examples=['嘉明花园'])
    buildings: list[BuildingOut]


class PlacesOut(BaseModel):
    street_id: int
    street: str = Field(description='街道/乡镇 / street or township', examples=['西陵街道'])
    community_id: int
    community: str = Field(description='社区/村 / community or village', examples=['船柴社区'])
    kind: Literal['urban', 'village'] = Field(description='urban 社区 | village 村')
    compounds: list[CompoundOut] = Field(description='小区（村民小组）及楼栋 / compounds and their buildings')


class HouseholdOut(BaseModel):
    id: int
    room: str = Field(examples=['1-2-301'])
    area_m2: str = Field(description='建筑面积（平方米，两位小数的字符串，保证精确）/ '
                                     'floor area in m², exact decimal text',
                         examples=['89.50'])
    occupancy: Literal['owner', 'rented', 'vacant'] = Field(description='owner 自住 | rented 出租 | vacant 空置')
    sale_status: Literal['sold', 'unsold'] = Field(description='sold 已售 | unsold 未售/未交付')
    building_id: int
    building: str
    compound_id: int
    compound: str
    members: int = Field(description='登记的居民人数（不含已迁出）/ registered residents, excluding those who left')


class HouseholdsOut(BaseModel):
    total: int = Field(description='符合条件的总户数 / households matching the filter')
    limit: int
    offset: int
    items: list[HouseholdOut]


_KEY_ERRORS = {401: {'model': ErrorOut,
                     'description': '缺少、无效或已吊销的 API 密钥 / missing, invalid or revoked key'}}
_NOT_FOUND = {404: {'model': ErrorOut, 'description': '不存在，或属于其他社区 / not found, or another community’s'}}


def _http_error(status: int, error: DomainError) -> HTTPException:
    return HTTPException(status_code=status, detail={'code': error.code, 'message': error.message})


# ---- endpoints ----


@router.get(
    '/health', response_model=HealthOut, responses={503: {'model': HealthDown, 'description': '数据库不可用'}},
    summary='健康检查 / Health check',
    description='无需密钥。报告正在使用的数据库类型（sqlite 或 postgresql）、应用版本和已执行的迁移数；'
                '数据库无法连接时返回 503。\n\nNo key needed. Reports the database kind in use, the app version and '
                'the number of applied migrations; 503 when the database cannot be reached.')
async def get_health() -> HealthOut | JSONResponse:
    try:
        status = await health.check()
    except DomainError as e:
        body = HealthDown(database=health.configured_database_kind(), version=health.version(),
                          detail=ErrorDetail(code=e.code, message=e.message))
        return JSONResponse(status_code=503, content=body.model_dump())
    return HealthOut(database=status.database, version=status.version, migrations=status.migrations)


@router.get(
    '/places', response_model=PlacesOut, responses=_KEY_ERRORS,
    summary='社区的地点 / Places of the community',
    description='密钥所属社区的街道、社区、小区和楼栋，以及每栋的户数。\n\n'
                'The street, community, compounds and buildings of the key’s community, with household counts.')
async def get_places(key: ApiKey = ApiKeyDep) -> PlacesOut:
    try:
        tree = await places_query.place_tree(key.community_id)
    except DomainError as e:
        raise _http_error(404, e) from e
    return PlacesOut.model_validate(asdict(tree))


@router.get(
    '/households', response_model=HouseholdsOut, responses={**_KEY_ERRORS, **_NOT_FOUND},
    summary='住户列表 / Households',
    description='密钥所属社区的住户（房号、面积、居住情况、销售状态、所在楼栋和小区、登记人数），分页返回。'
                '不含任何个人信息（姓名、手机号）。其他社区的小区或楼栋编号一律返回 404。\n\n'
                'Households of the key’s community, paginated, without any personal data (no names, no phones). '
                'Ids of another community’s compounds or buildings get 404, exactly like ids that do not exist.')
async def get_households(
        key: ApiKey = ApiKeyDep,
        compound_id: int | None = Query(None, description='只看这个小区 / only this compound'),
        building_id: int | None = Query(None, description='只看这个楼栋 / only this building'),
        limit: int = Query(50, ge=1, le=places_query.MAX_PAGE, description='每页条数 / page size'),
        offset: int = Query(0, ge=0, description='跳过的条数 / items to skip'),
) -> HouseholdsOut:
    try:
        page = await places_query.households(key.community_id, compound_id=compound_id, building_id=building_id,
                                             limit=limit, offset=offset)
    except DomainError as e:
        raise _http_error(404, e) from e
    return HouseholdsOut.model_validate(asdict(page))
