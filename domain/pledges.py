"""投工投劳、出资出物 as rules: kinds and units, what a sensible quantity is, a pledge's state, and the ledger maths.

Exact `Decimal` throughout. Two rules decided here:
- **More than pledged may arrive** (a neighbour worked four hours instead of three), up to twice the pledge; beyond
  that it is almost surely a typing slip, and the organiser records the extra as a pledge of its own. The ledger
  then counts what arrived as pledged too, so received never exceeds pledged.
- **A withdrawn pledge counts only what already arrived** (staff may withdraw the rest of a partial pledge): it adds
  its received to both pledged and received; a pledge withdrawn before anything arrived counts nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.errors import DomainError

KINDS = {'labour': '投工投劳', 'money': '出资', 'material': '出物'}
DEFAULT_UNITS = {'labour': '小时', 'money': '元', 'material': '件'}
DEFAULT_ITEMS = {'labour': '出工', 'money': '捐款'}  # what a pledge answering no need is called when left empty
FIXED_UNITS = {'labour': '小时', 'money': '元'}  # material: the organiser or resident names the unit (台, 本, 袋)
STATES = {'pledged': '已认捐', 'partial': '部分到位', 'received': '已到位', 'withdrawn': '已撤回'}
OTHER = '其他'  # the ledger line of pledges that answer no listed need

ZERO = Decimal('0.00')  # stored as this text on SQLite: the conditional updates compare it
CENT = Decimal('0.01')
HALF = Decimal('0.5')
# one pledge at most: beyond this it is a typing slip (a need may ask for more: many pledges answer it)
PLEDGE_CAPS = {'labour': Decimal(200), 'money': Decimal(1_000_000), 'material': Decimal(10_000)}
NEED_CAPS = {'labour': Decimal(100_000), 'money': Decimal(100_000_000), 'material': Decimal(1_000_000)}
OVER_FACTOR = 2  # received may reach twice the pledge (see the module docstring)
# units measured, not counted: a material in these may be fractional (2.5 公斤); anything else is whole (台, 本, 袋)
FRACTION_UNITS = frozenset({'公斤', '千克', '斤', '克', '吨', '米', '厘米', '平方米', '立方米', '升', '毫升',
                            'kg', 'g', 'm', 'l'})
MAX_ITEM = 40
MAX_UNIT = 8
MAX_SLOT = 40
MAX_NAME = 40
MAX_REASON = 200
_NONCE = re.compile(r'^[A-Za-z0-9_-]{8,64}$')


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def state_label(state: str) -> str:
    return STATES.get(state, state)


def check_kind(kind: object) -> str:
    """Errors: invalid_kind."""
    if kind not in KINDS:
        raise DomainError('invalid_kind', '请选择：投工投劳、出资或出物')
    return str(kind)


def check_unit(kind: str, unit: object) -> str:
    """Labour is in 小时 and money in 元 whatever was typed; a material needs its unit (台, 本, 袋).

    Errors: invalid_unit.
    """
    if kind in FIXED_UNITS:
        return FIXED_UNITS[kind]
    text = str(unit or '').strip()
    if not text or len(text) > MAX_UNIT:
        raise DomainError('invalid_unit', '请填写单位（如 台、本、袋），最多 {n} 个字', n=MAX_UNIT)
    return text


def check_item(item: object, kind: str | None = None) -> str:
    """What it is; labour and money left empty are 出工 and 捐款. Errors: invalid_item."""
    text = str(item or '').strip() or DEFAULT_ITEMS.get(kind or '', '')
    if not text or len(text) > MAX_ITEM:
        raise DomainError('invalid_item', '请写明是什么（如 刷墙、空调、图书），最多 {n} 个字', n=MAX_ITEM)
    return text


def check_slot(slot: object) -> str:
    """When (labour: 12月6日上午); may be empty. Errors: invalid_slot."""
    text = str(slot or '').strip()
    if len(text) > MAX_SLOT:
        raise DomainError('invalid_slot', '时间段最多 {n} 个字', n=MAX_SLOT)
    return text


def check_name(name: object) -> str:
    """The name a pledge is recorded under (someone without a phone). Errors: invalid_name."""
    text = str(name or '').strip()
    if not text or len(text) > MAX_NAME:
        raise DomainError('invalid_name', '请填写认捐人姓名，最多 {n} 个字', n=MAX_NAME)
    return text


def check_reason(reason: object) -> str:
    """Errors: reason_required, invalid_reason."""
    text = str(reason or '').strip()
    if not text:
        raise DomainError('reason_required', '请写明撤回的原因')
    if len(text) > MAX_REASON:
        raise DomainError('invalid_reason', '原因最多 {n} 字', n=MAX_REASON)
    return text


def check_nonce(nonce: object) -> str:
    """8–64 letters, digits, '_' or '-' (a page makes one per form). Errors: bad_nonce."""
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError('bad_nonce', '提交编号无效，请刷新页面后再试')
    return nonce


def parse_number(value: object) -> Decimal:
    """A typed number ('2.5', '1,000', ' 3 ') as an exact Decimal. Errors: invalid_quantity."""
    if isinstance(value, bool) or value is None:
        raise DomainError('invalid_quantity', '请填写数量（数字，如 2 或 2.5）')
    if isinstance(value, float):
        value = repr(value)  # a number input sends a float: its shortest text is what was typed
    text = str(value).strip().replace(',', '').replace('，', '')
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as e:
        raise DomainError('invalid_quantity', '请填写数量（数字，如 2 或 2.5）') from e
    if not number.is_finite():
        raise DomainError('invalid_quantity', '请填写数量（数字，如 2 或 2.5）')
    return number


def check_quantity(kind: str, unit: str, value: object, *, need: bool = False) -> Decimal:
    """A pledge's (or, with `need=True`, a need's) quantity: positive, in the kind's steps, below its cap.

    Labour in half hours; money in yuan with at most 2 decimals (角、分); a material whole unless its unit is a
    measure (公斤, 米 …). Errors: invalid_quantity, quantity_not_positive, too_many_decimals, labour_step,
    whole_number, quantity_too_large.
    """
    number = parse_number(value)
    if number <= 0:
        raise DomainError('quantity_not_positive', '数量要大于 0')
    _check_steps(kind, unit, number)
    cap = (NEED_CAPS if need else PLEDGE_CAPS)[kind]
    if number > cap:
        raise DomainError('quantity_too_large', '数量太大：{kind}每次最多 {cap} {unit}，请核对',
                          kind=kind_label(kind), cap=_plain(cap), unit=unit)
    return number.quantize(CENT)


def check_received(kind: str, unit: str, pledged: Decimal, value: object) -> Decimal:
    """What arrived: 0 (nothing yet, a correction) up to twice the pledge, in the kind's steps.

    Errors: invalid_quantity, received_negative, too_many_decimals, labour_step, whole_number, received_too_much.
    """
    number = parse_number(value)
    if number < 0:
        raise DomainError('received_negative', '到位数量不能小于 0')
    _check_steps(kind, unit, number)
    if number > pledged * OVER_FACTOR:
        raise DomainError('received_too_much',
                          '到位 {received} {unit}，比认捐的 {pledged} 多出一倍以上，请核对；多给的请另记一笔',
                          received=_plain(number), pledged=_plain(pledged), unit=unit)
    return number.quantize(CENT)


def _check_steps(kind: str, unit: str, number: Decimal) -> None:
    if kind == 'money' and number != number.quantize(CENT):
        raise DomainError('too_many_decimals', '金额最多两位小数（到分）')
    if kind == 'labour' and number % HALF != 0:
        raise DomainError('labour_step', '工时按半小时计，例如 2 或 2.5')
    if kind == 'material':
        if unit.lower() in FRACTION_UNITS:
            if number != number.quantize(CENT):
                raise DomainError('too_many_decimals', '数量最多两位小数')
        elif number != number.to_integral_value():
            raise DomainError('whole_number',
                              '按“{unit}”计的要填整数，例如 1、2、3；按重量或长度计的请把单位写成 公斤、米', unit=unit)


def state_after(quantity: Decimal, received: Decimal) -> str:
    """The state a confirmation leaves: nothing yet → pledged, some → partial, all (or more) → received."""
    if received <= 0:
        return 'pledged'
    return 'received' if received >= quantity else 'partial'


def counted(quantity: Decimal, received: Decimal, state: str) -> tuple[Decimal, Decimal]:
    """(pledged, received) as the ledger counts one pledge (see the module docstring)."""
    if state == 'withdrawn':
        return received, received
    return max(quantity, received), received


def share(part: Decimal, whole: Decimal) -> int:
    """Whole percent of `part` in `whole` for a progress bar, 0–100 (0 when nothing is needed)."""
    if whole <= 0:
        return 0
    return min(100, int(part * 100 / whole))


def _plain(number: Decimal) -> str:
    return format_quantity(number)


def format_quantity(number: Decimal) -> str:
    """3.00 → '3', 2.50 → '2.5', 1234.56 → '1234.56' (no float ever)."""
    text = format(number.quantize(CENT), 'f')
    return text.rstrip('0').rstrip('.') if '.' in text else text


@dataclass(frozen=True)
class NeedRow:
    id: int
    kind: str
    item: str
    unit: str
    quantity: Decimal
    slot: str = ''
    position: int = 0


@dataclass(frozen=True)
class PledgeRow:
    id: int
    need_id: int | None
    kind: str
    unit: str
    quantity: Decimal
    received: Decimal
    state: str


@dataclass(frozen=True)
class Line:
    """One ledger line: a need, or 其他 (pledges answering no need) of one kind and unit. `needed` None for 其他."""
    need_id: int | None
    kind: str
    item: str
    unit: str
    slot: str
    needed: Decimal | None
    pledged: Decimal
    received: Decimal
    pledges: int  # pledges counted (not withdrawn)

    @property
    def still_needed(self) -> Decimal:
        return max(ZERO, self.needed - self.pledged) if self.needed is not None else ZERO


@dataclass(frozen=True)
class Total:
    """Per kind and unit (hours, yuan, and each material unit): needed counts only the listed needs."""
    kind: str
    unit: str
    needed: Decimal
    pledged: Decimal
    received: Decimal

    @property
    def still_needed(self) -> Decimal:
        return max(ZERO, self.needed - self.pledged)


@dataclass(frozen=True)
class Ledger:
    lines: tuple[Line, ...]
    totals: tuple[Total, ...]

    @property
    def empty(self) -> bool:
        return not self.lines


def ledger(needs: Iterable[NeedRow], pledges: Iterable[PledgeRow]) -> Ledger:
    """Needed / pledged / received per need (in position order), then 其他 per kind and unit, and totals."""
    needs = sorted(needs, key=lambda n: (n.position, n.id))
    known = {n.id for n in needs}
    sums: dict[object, list] = {}  # key → [pledged, received, count]
    for p in pledges:
        key = p.need_id if p.need_id in known else (p.kind, p.unit)
        pledged, received = counted(p.quantity, p.received, p.state)
        entry = sums.setdefault(key, [ZERO, ZERO, 0])
        entry[0] += pledged
        entry[1] += received
        entry[2] += p.state != 'withdrawn'
    lines = []
    for n in needs:
        pledged, received, count = sums.get(n.id, (ZERO, ZERO, 0))
        lines.append(Line(n.id, n.kind, n.item, n.unit, n.slot, n.quantity, pledged, received, count))
    kind_order = list(KINDS)
    others = sorted((key for key in sums if isinstance(key, tuple)),
                    key=lambda k: (kind_order.index(k[0]) if k[0] in kind_order else 99, k[1]))
    for kind, unit in others:
        pledged, received, count = sums[(kind, unit)]
        if pledged or count:
            lines.append(Line(None, kind, OTHER, unit, '', None, pledged, received, count))
    return Ledger(tuple(lines), _totals(lines))


def _totals(lines: list[Line]) -> tuple[Total, ...]:
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for line in lines:
        entry = sums.setdefault((line.kind, line.unit), [ZERO, ZERO, ZERO])
        entry[0] += line.needed or ZERO
        entry[1] += line.pledged
        entry[2] += line.received
    kind_order = list(KINDS)
    keys = sorted(sums, key=lambda k: (kind_order.index(k[0]) if k[0] in kind_order else 99, k[1]))
    return tuple(Total(kind, unit, *sums[(kind, unit)]) for kind, unit in keys)
