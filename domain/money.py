"""The money of a project (民事民办): budget lines by source, spendings, and totals that always add up.

Pure rules, exact `Decimal` yuan with at most two decimals, never float. The totals of a `MoneySummary` are
computed from its per-source rows, so the page, the public board and the assessment export can never disagree.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from domain.errors import DomainError

SOURCES = {
    'huimin': '惠民资金',
    'award': '以奖代补',
    'residents': '居民自筹',
    'property': '物业公司',
    'social': '社会组织',
    'other': '其他',
}
MAX_AMOUNT = Decimal('5000000')  # one amount above 5 million yuan is a typing error for a community project
ZERO = Decimal('0.00')
CENT = Decimal('0.01')
MAX_ITEM = 60  # Spending.item
MAX_PAYEE = 60  # Spending.payee
MAX_NOTE = 100  # BudgetLine.note
MAX_REASON = 500  # over-budget and void reasons
# 惠民资金 (DOMAIN.md §4): a yearly allowance per community, by kind (domain.people.COMMUNITY_KINDS)
HUIMIN_ALLOWANCE = {'urban': Decimal('200000'), 'village': Decimal('100000')}

# digits with an optional thousands grouping (1,200 or 1200), then at most some decimals; nothing else
_PLAIN = re.compile(r'^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?$')


def parse_amount(value: object, *, field: str = '金额') -> Decimal:
    """An amount in yuan: '1,200.50', '1200', '￥80', '80元', Decimal or int; full-width digits (１２) are read too.

    Refused with a message naming `field`: invalid_amount (empty, text, 1e9, NaN, inf, a float, misplaced commas),
    amount_not_positive (zero or negative), amount_too_precise (more than 2 decimals), amount_too_large (> MAX_AMOUNT).
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):  # floats are never exact money
        raise _invalid(field)
    if isinstance(value, str):
        amount = _from_text(value, field)
    else:
        amount = Decimal(value)
        if not amount.is_finite():
            raise _invalid(field)
    if amount <= 0:
        raise DomainError('amount_not_positive', '{field}要大于 0', field=field)
    if amount > MAX_AMOUNT:  # before quantize: a 40-digit number would overflow the decimal context
        raise DomainError('amount_too_large', '{field}不能超过 {max} 元，请检查是否多输了 0',
                          field=field, max=yuan(MAX_AMOUNT))
    if amount != amount.quantize(CENT, rounding=ROUND_DOWN):
        raise DomainError('amount_too_precise', '{field}最多精确到分（小数点后两位）', field=field)
    return amount.quantize(CENT)


def _from_text(value: str, field: str) -> Decimal:
    # NFKC: a Chinese keyboard's full-width １２３．５ and ，become 123.5 and ','; spaces inside are dropped
    text = re.sub(r'\s+', '', unicodedata.normalize('NFKC', value))
    text = text.removeprefix('¥').removesuffix('元')  # NFKC maps ￥ to ¥
    negative = text.startswith('-')
    if negative:
        text = text[1:]
    if not text:
        raise DomainError('invalid_amount', '请填写{field}', field=field)
    if not _PLAIN.match(text):
        raise _invalid(field)
    try:
        amount = Decimal(text.replace(',', ''))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits, commas and one point
        raise _invalid(field) from None
    return -amount if negative else amount


def _invalid(field: str) -> DomainError:
    return DomainError('invalid_amount', '{field}请填数字，例如 1200 或 1,200.50', field=field)


def yuan(amount: Decimal) -> str:
    """'12,345.50': thousands separators and two decimals, exact (Decimal formatting, no float)."""
    return f'{Decimal(amount).quantize(CENT):,.2f}'


def source_label(source: str) -> str:
    return SOURCES.get(source, source)


def check_source(source: object) -> str:
    """A key of SOURCES, else DomainError 'invalid_source'."""
    if not isinstance(source, str) or source not in SOURCES:
        raise DomainError('invalid_source', '请选择资金来源')
    return source


@dataclass(frozen=True)
class Line:
    """A budget line as the maths needs it (a BudgetLine row has the same attributes)."""
    source: str
    amount: Decimal


@dataclass(frozen=True)
class Paid:
    """A spending as the maths needs it; a voided one counts for nothing."""
    source: str
    amount: Decimal
    voided: bool = False


@dataclass(frozen=True)
class SourceTotals:
    source: str
    label: str
    budget: Decimal
    spent: Decimal
    remaining: Decimal  # negative when more was spent than budgeted
    over: bool


@dataclass(frozen=True)
class MoneySummary:
    """Per-source rows (SOURCES order, only sources with a line or a spending) and their exact sums."""
    sources: tuple[SourceTotals, ...]
    budget: Decimal
    spent: Decimal
    remaining: Decimal
    over_budget: bool  # some source spent beyond its budget

    def source(self, key: str) -> SourceTotals:
        """The row of one source; an all-zero row when the project has nothing from it."""
        for row in self.sources:
            if row.source == key:
                return row
        return SourceTotals(key, source_label(key), ZERO, ZERO, ZERO, False)


EMPTY = MoneySummary((), ZERO, ZERO, ZERO, False)


def summarise(lines: Iterable[object], spendings: Iterable[object]) -> MoneySummary:
    """Totals by source. `lines` have .source and .amount; `spendings` also .voided (or .voided_at): excluded."""
    budget: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for line in lines:
        budget[line.source] = budget.get(line.source, ZERO) + Decimal(line.amount)
    for paid in spendings:
        if _voided(paid):
            continue
        spent[paid.source] = spent.get(paid.source, ZERO) + Decimal(paid.amount)
    keys = [k for k in SOURCES if k in budget or k in spent]
    keys += sorted(k for k in {*budget, *spent} if k not in SOURCES)  # an unknown key is shown, never lost
    rows = []
    for key in keys:
        b, s = budget.get(key, ZERO).quantize(CENT), spent.get(key, ZERO).quantize(CENT)
        rows.append(SourceTotals(key, source_label(key), b, s, b - s, s > b))
    return MoneySummary(tuple(rows), sum((r.budget for r in rows), ZERO), sum((r.spent for r in rows), ZERO),
                        sum((r.remaining for r in rows), ZERO), any(r.over for r in rows))


def _voided(paid: object) -> bool:
    return bool(getattr(paid, 'voided', False)) or getattr(paid, 'voided_at', None) is not None


def overspend(summary: MoneySummary, source: str, amount: Decimal) -> Decimal:
    """How much of a new spending of `amount` from `source` its remaining budget would not cover (0 if within)."""
    available = max(summary.source(source).remaining, ZERO)
    return max(Decimal(amount) - available, ZERO).quantize(CENT)


def huimin_allowance(kind: str) -> Decimal:
    """惠民资金 a community receives per year: 200,000 yuan for an urban community, 100,000 for a village."""
    return HUIMIN_ALLOWANCE.get(kind, HUIMIN_ALLOWANCE['urban'])


@dataclass(frozen=True)
class AllowanceUse:
    """How much of one year's 惠民资金 is committed to projects (their budget lines) and already spent."""
    year: int
    allowance: Decimal
    committed: Decimal
    spent: Decimal
    left: Decimal  # allowance − committed; negative when more was committed than the year brings
    over: bool


def allowance_use(kind: str, year: int, *, committed: Decimal, spent: Decimal) -> AllowanceUse:
    allowance = huimin_allowance(kind)
    return AllowanceUse(year, allowance, committed, spent, allowance - committed, committed > allowance)


def check_reason(value: object, *, code: str = 'reason_required', what: str = '原因') -> str:
    """A required reason, trimmed, at most MAX_REASON characters. Errors: `code` (empty), invalid_reason."""
    text = '' if value is None else str(value).strip()
    if not text:
        raise DomainError(code, '请写明{what}', what=what)
    if len(text) > MAX_REASON or re.search(r'[\x00-\x08\x0b-\x1f\x7f]', text):
        raise DomainError('invalid_reason', '{what}最多 {n} 字，且不能含有控制字符', what=what, n=MAX_REASON)
    return text
