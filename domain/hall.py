"""线上议事厅 as rules: how long a post is, who may mark a proposal (金字塔议事), what a client nonce looks like.

The pyramid (金字塔议事模式, 嘉明花园): an initiator raises → the 业委会 core organises → resident backbones propose
solutions → all residents vote. In the hall a *proposal* (方案) is a top-level post its author marks as "my
solution". Rule: any verified resident (and staff or a committee member) may mark their own top-level post; staff
(hall.moderate) may mark any top-level post, e.g. to lift a plain post that is in fact a solution. Replies are never
proposals. Backbones (residents tagged 居民骨干) are not the only ones allowed to propose — nobody is kept out —
but their posts carry the tag so the path 骨干提方案，大家来表决 is visible.
"""
from __future__ import annotations

import re

from domain.errors import DomainError
from domain.people import checked_text

MIN_BODY = 2
MAX_BODY = 1000
MAX_REASON = 200
BACKBONE_TAG = '居民骨干'
STAFF_LABELS = {'staff': '社区工作者', 'committee': '两委成员', 'admin': '管理员'}  # in this order of preference
_NONCE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')


def check_body(value: object) -> str:
    """The cleaned text of a post. Errors: invalid_body."""
    body = checked_text(value, MAX_BODY, 'invalid_body', '发言')
    if len(body) < MIN_BODY:
        raise DomainError('invalid_body', '请写下您的看法（至少 {n} 个字）', n=MIN_BODY)
    return body


def check_reason(value: object) -> str:
    """Why a post is hidden: required, the author reads it. Errors: reason_required, invalid_reason."""
    reason = checked_text(value, MAX_REASON, 'invalid_reason', '原因')
    if not reason:
        raise DomainError('reason_required', '隐藏时请写明原因，发言人会收到')
    return reason


def check_nonce(nonce: str | None) -> str | None:
    """None, or 8–64 characters of letters, digits, '_' and '-'. Errors: bad_nonce."""
    if nonce is None:
        return None
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError('bad_nonce', '提交编号无效，请刷新页面后再发')
    return nonce


def staff_label(roles: frozenset[str]) -> str | None:
    """'社区工作者' when the poster speaks for the community office, None for a resident."""
    return next((label for role, label in STAFF_LABELS.items() if role in roles), None)


def author_name(roles: frozenset[str], name: str) -> str:
    """What the thread shows: '社区工作者 王丽' for staff, the resident's own name otherwise."""
    label = staff_label(roles)
    return f'{label} {name}'[:40] if label else name[:40]


def may_mark(*, own: bool, moderator: bool, top_level: bool, hidden: bool) -> bool:
    """Who may (un)mark a post as a proposal: its author, or staff; top-level posts only, not hidden ones."""
    return top_level and not hidden and (own or moderator)
