"""Rules about people and places: labels, validation, masking. Messages are plain Chinese."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from domain.errors import DomainError

TAGS = ('党员', '党员中心户', '居民代表', '居民骨干', '志愿者')
RELATIONS = {'owner': '业主', 'family': '家属', 'tenant': '租户'}
STATUSES = {'pending': '待核验', 'verified': '已核验', 'left': '已迁出'}
OCCUPANCY = {'owner': '自住', 'rented': '出租', 'vacant': '空置'}
SALE_STATUS = {'sold': '已售', 'unsold': '未售/未交付'}
COMMUNITY_KINDS = {'urban': '社区', 'village': '村'}

MAX_NAME = 40
MAX_PLACE_NAME = 60
MIN_AREA = Decimal('1')
MAX_AREA = Decimal('2000')  # m²; a flat or a shop; beyond this it is a typing error
ADULT_AGE = 18

_PHONE = re.compile(r'^1[3-9]\d{9}$')
_CONTROL = re.compile(r'[\x00-\x1f\x7f]')


def clean_text(value: object, *, max_len: int) -> str:
    """Trim and refuse control characters; HTML stays as typed (pages always show text, never markup)."""
    text = '' if value is None else str(value).strip()
    if _CONTROL.search(text):
        raise ValueError('含有不可见的控制字符')
    if len(text) > max_len:
        raise ValueError(f'太长了（最多 {max_len} 个字）')
    return text


def checked_text(value: object, max_len: int, code: str, what: str) -> str:
    """`clean_text`, refusing with DomainError(code) whose message names the field (“标题太长了…”)."""
    try:
        return clean_text(value, max_len=max_len)
    except ValueError as e:
        raise DomainError(code, '{what}{problem}', what=what, problem=str(e)) from e


def normalize_phone(value: object) -> str:
    """A mainland mobile number, 11 digits; spaces, dashes and a +86 prefix are removed."""
    text = re.sub(r'[\s\-]', '', '' if value is None else str(value))
    if text.endswith('.0'):  # Excel stores numbers as floats
        text = text[:-2]
    text = re.sub(r'^(\+?86)', '', text)
    if not _PHONE.match(text):
        raise ValueError('手机号应为 11 位数字，以 1 开头')
    return text


def mask_phone(phone: str | None) -> str:
    """138****5678 — how a phone number appears in every public view."""
    if not phone:
        return ''
    return phone[:3] + '****' + phone[-4:] if len(phone) >= 7 else '****'


def parse_area(value: object) -> Decimal:
    """Floor area in m², two decimals, within what a dwelling can be."""
    text = str(value).strip().replace('㎡', '').replace('m²', '').replace('平方米', '').replace(',', '')
    try:
        area = Decimal(text).quantize(Decimal('0.01'))
    except (InvalidOperation, ValueError) as e:
        raise ValueError('面积应为数字，例如 89.5') from e
    if not area.is_finite() or area < MIN_AREA:
        raise ValueError('面积必须大于 0')
    if area > MAX_AREA:
        raise ValueError(f'面积过大（超过 {MAX_AREA} 平方米），请核对')
    return area


def parse_birth_year(value: object, *, this_year: int) -> int:
    text = str(value).strip()
    if text.endswith('.0'):
        text = text[:-2]
    if not text.isdecimal():
        raise ValueError('出生年份应为四位数字，例如 1956')
    year = int(text)
    if not this_year - 120 <= year <= this_year:
        raise ValueError(f'出生年份应在 {this_year - 120} 到 {this_year} 之间')
    return year


def is_adult(birth_year: int | None, *, this_year: int) -> bool:
    """Counted as an adult from the year of the 18th birthday (birth dates are not kept)."""
    return birth_year is not None and this_year - birth_year >= ADULT_AGE


def parse_tags(value: object) -> list[str]:
    """'党员、居民代表' → ['党员', '居民代表']; unknown tags are refused."""
    text = '' if value is None else str(value)
    tags = [part.strip() for part in re.split(r'[、,，;；/\s]+', text) if part.strip()]
    unknown = [tag for tag in tags if tag not in TAGS]
    if unknown:
        raise ValueError(f'未知标签：{"、".join(unknown)}（可用：{"、".join(TAGS)}）')
    return list(dict.fromkeys(tags))
