"""Triage (议题分流) into 大事/小事/微事, and the street's reply deadline for a 大事.

The rule, from the Yichang practice (seed article, DOMAIN.md §1):
大事 = 跨社区（村）事务或涉及街道（乡镇）管理事项和基本公共服务事项 → the street (乡镇) handles it;
小事 = 跨小区（小组）事务、社区（村）公共事务 → the community 议事协商委员会;
微事 = 小区（小组）内公共事务 → the compound 议事会.
The suggestion only advises the 两委 joint meeting; staff may choose any class and lead.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from domain.errors import DomainError
from domain.i18n import t

SCALES = {'big': '大事', 'small': '小事', 'micro': '微事'}
LEADS = {
    'street': '街道（乡镇）',
    'community_council': '社区（村）议事协商委员会',
    'compound_council': '小区（村民小组）议事会',
}
SCALE_LEAD = {'big': 'street', 'small': 'community_council', 'micro': 'compound_council'}

# What a category says about who handles it, before the place is considered.
HINTS = {
    'street': '街道（乡镇）管理事项',  # government work by nature: municipal networks, law enforcement
    'public_service': '基本公共服务事项',  # 大事 as well, by the article's definition
    'community': '社区（村）公共事务',  # serves the whole community even when it sits in one compound
    'place': '按涉及的范围',  # decided by the compounds it touches
}


class Category(NamedTuple):
    label: str
    hint: str


CATEGORIES: dict[str, Category] = {
    'traffic': Category('道路交通/停车', 'place'),
    'sanitation': Category('环境卫生', 'place'),
    'greening': Category('绿化', 'place'),
    'lighting': Category('照明/路灯', 'place'),
    'ev_charging': Category('电动车充电', 'place'),
    'drying': Category('晾晒', 'place'),
    'repair': Category('房屋维修/漏水', 'place'),
    'elevator': Category('电梯/加装电梯', 'place'),
    'property': Category('物业服务', 'place'),
    'safety': Category('治安/安全', 'place'),
    'noise': Category('噪音扰民', 'place'),
    'elderly': Category('养老/助老', 'community'),
    'childcare': Category('托幼/教育', 'community'),
    'culture': Category('文体活动', 'community'),
    'municipal': Category('市政设施（供水、供电、燃气、排水）', 'street'),
    'illegal_building': Category('违章建筑', 'street'),  # demolition is law enforcement (综合执法)
    'medical': Category('医疗卫生', 'public_service'),
    'social_security': Category('社保/救助', 'public_service'),
    'other': Category('其他', 'place'),
}

_NAMES_SHOWN = 4  # a reason lists at most this many compounds by name


@dataclass(frozen=True)
class Suggestion:
    """A suggested class and lead, with the rule that fired (`rule`, stable) and why in plain Chinese."""
    scale: str
    lead: str
    rule: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in Chinese."""
        return self.template.format(**self.params)

    def explain(self, *, lang: str | None = None) -> str:
        """The reason in the reader's language."""
        return t(self.template, lang=lang, **self.params)


def suggest(*, category: str, compound_ids: frozenset[int], crosses_communities: bool = False,
            compound_names: Mapping[int, str] | None = None) -> Suggestion:
    """Suggest 大事/小事/微事 from the category and the compounds the place touches (empty: community-wide or unknown).

    Raises DomainError('unknown_category').
    """
    if category not in CATEGORIES:
        raise DomainError('unknown_category', '没有这个类别：{category}', category=str(category)[:20])
    kind = CATEGORIES[category]
    if crosses_communities:
        return _big('crosses_communities', '跨社区（村）的事务')
    if kind.hint == 'street':
        return _big('street_matter', '“{category}”属于街道（乡镇）管理事项', category=kind.label)
    if kind.hint == 'public_service':
        return _big('public_service', '“{category}”属于基本公共服务事项', category=kind.label)
    names = compound_names or {}
    if len(compound_ids) > 1:
        known = [names[c] for c in sorted(compound_ids) if names.get(c)]
        if len(known) < len(compound_ids):
            return _small('several_compounds', '涉及 {count} 个小区，属于跨小区事务', count=len(compound_ids))
        shown = '、'.join(known[:_NAMES_SHOWN]) + ('等' if len(known) > _NAMES_SHOWN else '')
        return _small('several_compounds', '涉及 {count} 个小区（{names}），属于跨小区事务',
                      count=len(compound_ids), names=shown)
    if not compound_ids:
        return _small('community_wide', '没有限定在某个小区，按社区（村）公共事务处理')
    if kind.hint == 'community':
        return _small('community_matter', '“{category}”一般是社区（村）公共事务', category=kind.label)
    (only,) = compound_ids
    if names.get(only):
        return Suggestion('micro', 'compound_council', 'one_compound', '只涉及{name}，属于小区内公共事务',
                          {'name': names[only]})
    return Suggestion('micro', 'compound_council', 'one_compound', '只涉及一个小区，属于小区内公共事务')


def _big(rule: str, template: str, **params: object) -> Suggestion:
    return Suggestion('big', 'street', rule, template, params)


def _small(rule: str, template: str, **params: object) -> Suggestion:
    return Suggestion('small', 'community_council', rule, template, params)


LOCAL = ZoneInfo('Asia/Shanghai')
STREET_REPLY_WORKING_DAYS = 10


def street_reply_due(referred_at: datetime, *, working_days: int = STREET_REPLY_WORKING_DAYS,
                     tz: tzinfo = LOCAL) -> datetime:
    """When the street's reply to a referred 大事 is due: the end (23:59:59, local time) of the Nth working day.

    Counting starts the day after the referral and the last day runs to midnight, as periods do in
    民法典 第201、203条. Working days are Monday to Friday; there is no holiday calendar, so around 春节 or 国庆
    (and their 调休 Saturdays) the date is only approximate and staff may set another. The default of 10 working
    days is this app's choice, not a legal limit. A naive `referred_at` is taken as UTC, as the database stores it.
    """
    if working_days < 1:
        raise ValueError('working_days must be at least 1')
    if referred_at.tzinfo is None:
        referred_at = referred_at.replace(tzinfo=UTC)
    day = referred_at.astimezone(tz).date()
    left = working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def is_overdue(due_at: datetime | None, now: datetime) -> bool:
    """Past the due moment (the due second itself is still on time); no due date is never overdue."""
    return due_at is not None and now > due_at
