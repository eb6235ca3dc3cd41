"""Meetings as data (DOMAIN.md §2): formats, states, outcome review, the check-in window, series dates."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import DomainError

LOCAL = ZoneInfo('Asia/Shanghai')

FORMATS = {'council': '会议协商', 'onsite': '一线协商'}  # in a meeting room, or on the spot (小板凳 in the courtyard)
MODES = {'offline': '线下', 'online': '线上', 'both': '线上线下'}
CADENCES = {'weekly': '周周碰', 'monthly': '月月议'}
WEEKDAYS = ('星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日')

# ---- meeting lifecycle ----
STATES = {'scheduled': '待召开', 'open': '进行中', 'closed': '已结束', 'cancelled': '已取消'}
MOVES: dict[str, frozenset[str]] = {
    'scheduled': frozenset({'open', 'closed', 'cancelled'}),
    'open': frozenset({'closed'}),
    'closed': frozenset(),
    'cancelled': frozenset(),
}


def check_move(current: str, target: str) -> None:
    """Refuses a move the table does not allow. Errors: bad_move."""
    if target not in MOVES.get(current, frozenset()):
        raise DomainError('bad_move', '议事会“{current}”时不能改为“{target}”',
                          current=STATES.get(current, current), target=STATES.get(target, target))


# ---- outcomes (协商成果) and the Party organisation's review (审核) ----
OUTCOME_KINDS = {'vote': '提交表决', 'decided': '会上议定', 'referred': '转交办理', 'deferred': '暂缓再议'}
OUTCOME_STATES = {'draft': '草稿', 'submitted': '待审核', 'approved': '已审核公开', 'returned': '退回修改'}
OUTCOME_MOVES: dict[str, frozenset[str]] = {
    'draft': frozenset({'submitted'}),
    'submitted': frozenset({'approved', 'returned'}),
    'returned': frozenset({'submitted'}),
    'approved': frozenset(),
}
OUTCOME_EDITABLE = frozenset({'draft', 'returned'})


def check_outcome_move(current: str, target: str, *, note: str | None = None) -> None:
    """Errors: bad_move, reason_required (a return to the writer says what to change)."""
    if target not in OUTCOME_MOVES.get(current, frozenset()):
        raise DomainError('bad_move', '协商成果“{current}”时不能改为“{target}”',
                          current=OUTCOME_STATES.get(current, current), target=OUTCOME_STATES.get(target, target))
    if target == 'returned' and not (note or '').strip():
        raise DomainError('reason_required', '退回时请写明需要修改什么')


# ---- the check-in window ----
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)  # people arrive early and sit down
CHECKIN_GRACE_AFTER = timedelta(hours=2)  # a meeting nobody closed still ends for check-in
CLOCK_SKEW = timedelta(minutes=2)  # a phone clock a little ahead of the server is still believed


def checkin_window(starts_at: datetime, ends_at: datetime, closed_at: datetime | None) -> tuple[datetime, datetime]:
    """From an hour before the start until the meeting was closed (or two hours after its planned end)."""
    return starts_at - CHECKIN_OPENS_BEFORE, closed_at or ends_at + CHECKIN_GRACE_AFTER


def scan_time(scanned_at: datetime | None, received_at: datetime) -> datetime:
    """When a scan happened: the phone's time unless missing or in the future (then the server's)."""
    if scanned_at is None or scanned_at > received_at + CLOCK_SKEW:
        return received_at
    return min(scanned_at, received_at)


def check_checkin_time(state: str, starts_at: datetime, ends_at: datetime, closed_at: datetime | None,
                       scanned_at: datetime) -> None:
    """A scan counts only when it was made inside the meeting, even if it arrives after closing (offline queue).

    Errors: meeting_cancelled, checkin_not_open (too early), meeting_over (scanned after the meeting).
    """
    if state == 'cancelled':
        raise DomainError('meeting_cancelled', '这次议事会已取消')
    opens, closes = checkin_window(starts_at, ends_at, closed_at)
    if scanned_at < opens:
        raise DomainError('checkin_not_open', '还没开始签到，请在开会前一小时内签到')
    if scanned_at > closes:
        raise DomainError('meeting_over', '议事会已结束，这次扫码时间 {at} 在会议结束之后，未计入签到',
                          at=scanned_at.astimezone(LOCAL).strftime('%m-%d %H:%M'))


# ---- recurring series: 周周碰, 月月议 ----

def occurrences(cadence: str, *, weekday: int | None, day_of_month: int | None, start_minute: int,
                after: datetime, count: int) -> list[datetime]:
    """The next `count` start times (aware, Asia/Shanghai) strictly after `after`."""
    if cadence not in CADENCES:
        raise DomainError('bad_cadence', '请选择周周碰或月月议')
    if not 0 <= start_minute < 24 * 60:
        raise DomainError('bad_time', '开会时间不对')
    at = time(start_minute // 60, start_minute % 60)
    local_after = after.astimezone(LOCAL)
    day = local_after.date()
    found: list[datetime] = []
    if cadence == 'weekly':
        if weekday is None or not 0 <= weekday <= 6:
            raise DomainError('bad_weekday', '请选择每周哪一天')
        day += timedelta(days=(weekday - day.weekday()) % 7)
        while len(found) < count:
            start = datetime.combine(day, at, LOCAL)
            if start > after:
                found.append(start)
            day += timedelta(days=7)
        return found
    if day_of_month is None or not 1 <= day_of_month <= 28:  # every month has a 28th
        raise DomainError('bad_day', '请选择每月 1 到 28 日中的一天')
    year, month = day.year, day.month
    while len(found) < count:
        start = datetime.combine(date(year, month, day_of_month), at, LOCAL)
        if start > after:
            found.append(start)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return found


def describe_series(cadence: str, weekday: int | None, day_of_month: int | None, start_minute: int) -> str:
    """'每周三 19:00' or '每月 15 日 19:00' (Chinese; pages pass it through t() piecewise)."""
    clock = f'{start_minute // 60:02d}:{start_minute % 60:02d}'
    if cadence == 'weekly' and weekday is not None:
        return f'每{WEEKDAYS[weekday].replace("星期", "周")} {clock}'
    return f'每月 {day_of_month} 日 {clock}'

