"""Roster import: check a file (preview), then import it — all of it, or, when asked explicitly, its good rows.

Importing the same file again changes nothing: units are found by 小区 + 楼栋 + 房号, residents by phone
(else by household + name); what differs is updated, what is missing is created, nothing is deleted.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from domain import roster
from domain.errors import DomainError
from domain.permissions import Principal
from domain.roster import RowError
from models import ApiKey, Community
from services import accounts, audit, events, roster_files
from services.db import TIMEZONE
from services.roster_files import MAX_BYTES, template_csv, template_xlsx
from services.roster_sync import ImportResult, Snapshot, Tally, conflicts, sync

__all__ = ['MAX_BYTES', 'ImportResult', 'RosterRejected', 'RosterReport', 'Tally', 'apply', 'apply_with_key',
           'preview', 'preview_with_key', 'template_csv', 'template_xlsx']


@dataclass
class RosterReport:
    """A checked file: every error by row and column, and what importing its good rows would do."""
    filename: str
    rows: int
    errors: list[RowError]
    bad_rows: list[int]
    planned: ImportResult

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def good_rows(self) -> int:
        return self.rows - len(self.bad_rows)


class RosterRejected(DomainError):
    """Some rows are bad and importing only the good ones was not asked for: nothing was imported."""

    def __init__(self, report: RosterReport) -> None:
        super().__init__('roster_has_errors',
                         '有 {bad} 行有错误，没有导入任何数据。请改正后重新上传，或选择只导入正确的行',
                         bad=len(report.bad_rows))
        self.report = report


async def preview(actor: Principal, community_id: int, filename: str, data: bytes, *,
                  at: datetime | None = None) -> RosterReport:
    """Check a file against the rules and the community's records; change nothing.

    Errors: forbidden, file_too_large, file_unreadable, roster_empty, roster_missing_columns,
    roster_duplicate_column, roster_too_many_rows.
    """
    accounts.require(actor, 'roster.import', community_id)
    return await _preview(community_id, filename, data, at=at)


async def apply(actor: Principal, community_id: int, filename: str, data: bytes, *, only_good_rows: bool = False,
                at: datetime | None = None) -> ImportResult:
    """Import a file in one transaction; with any bad row nothing is written unless `only_good_rows`.

    Errors: forbidden, not_found, file_too_large, file_unreadable, roster_empty, roster_missing_columns,
    roster_duplicate_column, roster_too_many_rows, roster_has_errors (RosterRejected, with the report),
    roster_nothing_to_import.
    """
    accounts.require(actor, 'roster.import', community_id)
    return await _apply(community_id, filename, data, only_good_rows=only_good_rows, at=at,
                        actor_id=actor.account_id, via={})


def key_principal(key: ApiKey) -> Principal:
    """An API key acts with staff rights in its own community and nowhere else; it is no person's account.

    account_id 0 matches no account: it only lets `can()` judge the key's rights; audit entries record no actor.
    """
    if key.revoked_at is not None:
        return Principal(account_id=None)
    return Principal(account_id=0, roles={key.community_id: frozenset({'staff'})}, name=f'API {key.prefix}')


async def preview_with_key(key: ApiKey, filename: str, data: bytes, *, at: datetime | None = None) -> RosterReport:
    """`preview` for an integration: the key's own community. Errors: as `preview`."""
    accounts.require(key_principal(key), 'roster.import', key.community_id)
    return await _preview(key.community_id, filename, data, at=at)


async def apply_with_key(key: ApiKey, filename: str, data: bytes, *, only_good_rows: bool = False,
                         at: datetime | None = None) -> ImportResult:
    """`apply` for an integration: the key's own community; the audit entry names the key. Errors: as `apply`."""
    accounts.require(key_principal(key), 'roster.import', key.community_id)
    return await _apply(key.community_id, filename, data, only_good_rows=only_good_rows, at=at, actor_id=None,
                        via={'api_key': key.prefix})


# ---- the work ----

async def _read(data: bytes, at: datetime | None) -> roster.Roster:
    roster_files.check_size(data)
    this_year = (at or audit.now()).astimezone(ZoneInfo(TIMEZONE)).year

    def work() -> roster.Roster:
        return roster.read(roster_files.read_rows(data), this_year=this_year)
    return await asyncio.to_thread(work)  # openpyxl on 5 MB takes a moment: keep the event loop free


def _clean_filename(name: object) -> str:
    text = re.split(r'[\\/]', str(name or ''))[-1]
    text = re.sub(r'[\x00-\x1f\x7f]', '', text).strip()
    return text[:100] or '花名册'


def _report(filename: str, parsed: roster.Roster, planned: ImportResult) -> RosterReport:
    return RosterReport(filename=filename, rows=parsed.data_rows, errors=parsed.sorted_errors(),
                        bad_rows=sorted(parsed.bad_rows), planned=planned)


async def _preview(community_id: int, filename: str, data: bytes, *, at: datetime | None) -> RosterReport:
    filename = _clean_filename(filename)
    parsed = await _read(data, at)
    snapshot = await Snapshot.load(community_id, None)
    parsed.reject(conflicts(parsed, snapshot))
    planned = await sync(parsed, snapshot, conn=None, write=False, at=at or audit.now())
    planned.filename = filename
    return _report(filename, parsed, planned)


async def _apply(community_id: int, filename: str, data: bytes, *, only_good_rows: bool, at: datetime | None,
                 actor_id: int | None, via: dict) -> ImportResult:
    filename = _clean_filename(filename)
    at = at or audit.now()
    parsed = await _read(data, at)
    async with in_transaction() as conn:
        # one import at a time per community: the second waits here and then finds the first one's rows
        community = await Community.filter(id=community_id).using_db(conn).select_for_update().first()
        if community is None:
            raise DomainError('not_found', '找不到这个社区')
        snapshot = await Snapshot.load(community_id, conn)
        parsed.reject(conflicts(parsed, snapshot))
        if parsed.errors and not only_good_rows:
            raise RosterRejected(_report(filename, parsed, ImportResult(filename)))
        if parsed.good_rows == 0:
            raise DomainError('roster_nothing_to_import', '没有正确的行可以导入')
        result = await sync(parsed, snapshot, conn=conn, write=True, at=at)
        result.filename = filename
        await audit.record('roster.imported', actor_id=actor_id, community_id=community_id, target=community,
                           data={**result.as_dict(), 'only_good_rows': only_good_rows, **via}, at=at, using_db=conn)
    await events.publish('roster.imported', community_id=community_id, **result.as_dict())
    return result

