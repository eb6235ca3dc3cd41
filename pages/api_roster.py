"""JSON API: import the resident roster (.xlsx or .csv) into the API key's community."""
from __future__ import annotations

from fastapi import File, HTTPException, Query, UploadFile
from pydantic import BaseModel, Field

from domain.errors import DomainError
from domain.i18n import t
from models import ApiKey
from pages.api import ApiKeyDep, router
from services import roster

MAX_ERRORS = 1000  # a response lists at most this many row errors; `errors_total` says how many there are

_STATUS = {'file_too_large': 413, 'roster_too_many_rows': 413, 'file_unreadable': 400, 'forbidden': 403,
           'not_found': 404}


class RowErrorOut(BaseModel):
    row: int = Field(description='Excel 里看到的行号（表头算第 1 行）/ row number as Excel shows it, header included',
                     examples=[7])
    column: str = Field(description='文件里的列名 / the column header as in the file', examples=['手机号'])
    message: str = Field(description='中文说明 / what is wrong, in Chinese', examples=['手机号与第 3 行重复'])


class TallyOut(BaseModel):
    created: int
    updated: int
    unchanged: int


class RosterOut(BaseModel):
    dry_run: bool = Field(description='true：只检查，未写入 / only checked, nothing written')
    ok: bool = Field(description='文件没有任何错误 / the file has no errors at all')
    filename: str
    rows: int = Field(description='数据行数 / data rows in the file')
    rows_imported: int = Field(description='正确的行（已导入或将导入）/ good rows (imported, or to be imported)')
    rows_skipped: int = Field(description='有错误、未导入的行 / rows with errors, left out')
    compounds_created: int
    buildings_created: int
    households: TallyOut = Field(description='住户 / households (units)')
    residents: TallyOut = Field(description='居民 / residents')
    ownerships: TallyOut = Field(description='产权登记（一人多套只算一人）/ registered owners of units')
    errors: list[RowErrorOut] = Field(default=[], description='dry_run 时列出的错误 / errors, in a dry run')
    errors_total: int = 0


class RosterErrorDetail(BaseModel):
    code: str = Field(description='稳定的错误代码 / stable error code', examples=['roster_has_errors'])
    message: str = Field(description='中文说明 / message in Chinese')
    errors: list[RowErrorOut] = Field(default=[], description='按行、列的错误 / errors by row and column')
    errors_total: int = 0


class RosterErrorOut(BaseModel):
    detail: RosterErrorDetail


_DESCRIPTION = '''上传按模板填写的居民花名册（.xlsx，或 UTF-8 / GBK 编码的 .csv；不超过 5 MB、20000 行），
导入到密钥所属的社区。模板可在“导入居民花名册”页面下载。
每一行都先检查：只要有一行有错误，默认什么都不写入，返回 422 和按行、列的错误；
`only_good_rows=true` 时只导入正确的行；`dry_run=true` 时只检查、不写入，返回检查结果和错误（200）。
重复导入同一文件不会产生重复数据：按“小区 + 楼栋 + 房号”找房屋，按手机号（否则按房屋 + 姓名）找居民。

Upload the resident roster filled in from the template (.xlsx, or .csv in UTF-8 or GBK; at most 5 MB and
20,000 rows) into the key's community. Every row is checked first: if any row is bad nothing is written and
the answer is 422 with the errors by row and column; `only_good_rows=true` imports the good rows only;
`dry_run=true` only checks and returns the result and the errors (200). Importing the same file again
creates no duplicates. 400: the file cannot be read; 413: too large; 401: missing or invalid key.'''


@router.post(
    '/roster/import', response_model=RosterOut, summary='导入居民花名册 / Import the resident roster',
    description=_DESCRIPTION,
    responses={400: {'model': RosterErrorOut, 'description': '文件无法读取 / unreadable file'},
               401: {'model': RosterErrorOut, 'description': '缺少、无效或已吊销的 API 密钥 / bad key'},
               413: {'model': RosterErrorOut, 'description': '文件太大或行数太多 / file too large'},
               422: {'model': RosterErrorOut, 'description': '有错误的行，或缺少必填列 / rows with errors'}})
async def import_roster(
        file: UploadFile = File(..., description='花名册文件 / the roster file (.xlsx or .csv)'),
        only_good_rows: bool = Query(False, description='只导入正确的行 / import only the good rows'),
        dry_run: bool = Query(False, description='只检查，不写入 / check only, write nothing'),
        key: ApiKey = ApiKeyDep,
) -> RosterOut:
    data = await file.read(roster.MAX_BYTES + 1)  # never hold more than the limit in memory
    filename = file.filename or ''
    try:
        if dry_run:
            report = await roster.preview_with_key(key, filename, data)
            return _out(report.planned, dry_run=True, errors=report.errors)
        result = await roster.apply_with_key(key, filename, data, only_good_rows=only_good_rows)
    except roster.RosterRejected as e:
        raise _error(422, e, e.report.errors) from e
    except DomainError as e:
        raise _error(_STATUS.get(e.code, 422), e, []) from e
    return _out(result, dry_run=False, errors=[])


def _rows(errors: list) -> list[RowErrorOut]:
    return [RowErrorOut(row=e.row, column=e.column, message=e.text('zh')) for e in errors[:MAX_ERRORS]]


def _out(result: roster.ImportResult, *, dry_run: bool, errors: list) -> RosterOut:
    return RosterOut(dry_run=dry_run, ok=not errors and not result.rows_skipped, errors=_rows(errors),
                     errors_total=len(errors),
                     **result.as_dict())


def _error(status: int, error: DomainError, errors: list) -> HTTPException:
    detail = RosterErrorDetail(code=error.code, message=t(error.template, lang='zh', **error.params),
                               errors=_rows(errors), errors_total=len(errors))
    return HTTPException(status_code=status, detail=detail.model_dump())
