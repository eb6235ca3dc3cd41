"""Counting a vote under a legal rule (DOMAIN.md §3): thresholds, the rule presets, the tally and its verdict.

Pure and exact: every share is a `Fraction` and every comparison an integer cross-multiplication, never a float
(Helios's float bug #417). "以上" (at least) includes the boundary; "过半数" (more than half) does not. A tie is a
verdict of its own, never a silent winner. The reasons are written by `domain.tally_words` in plain Chinese.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType

from domain import tally_words as words

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
_CN_NUMBERS = '〇一二三四五六七八九十'


def _cn_fraction(f: Fraction) -> str:
    """三分之二 for 2/3 (small numbers), else '7/12'."""
    if f.denominator <= 10 and f.numerator <= 10:
        return f'{_CN_NUMBERS[f.denominator]}分之{_CN_NUMBERS[f.numerator]}'
    return f'{f.numerator}/{f.denominator}'


@dataclass(frozen=True)
class Threshold:
    """A share that must be reached: strict means more than it (过半数), else at least it (以上)."""
    fraction: Fraction
    strict: bool

    def met(self, part: int | Fraction, whole: int | Fraction) -> bool:
        """part/whole against the fraction by integer cross-multiplication; an empty whole never meets it."""
        part, whole = Fraction(part), Fraction(whole)
        if whole <= 0:
            return False
        # part/whole ? n/d  ⇔  part.n·whole.d·d ? n·whole.n·part.d  (all denominators positive)
        left = part.numerator * whole.denominator * self.fraction.denominator
        right = self.fraction.numerator * whole.numerator * part.denominator
        return left > right if self.strict else left >= right

    @property
    def label(self) -> str:
        """'过半数', '半数以上', '三分之二以上', '四分之三以上', '超过三分之二', '7/12 以上', '全体一致'."""
        f = self.fraction
        if f == HALF:
            return '过半数' if self.strict else '半数以上'
        if f == 1 and not self.strict:
            return '全体一致'
        share = _cn_fraction(f)
        if self.strict:
            return f'超过{share}'
        return f'{share}以上' if '/' not in share else f'{share} 以上'

    def to_json(self) -> dict:
        return {'fraction': f'{self.fraction.numerator}/{self.fraction.denominator}', 'strict': self.strict}

    @staticmethod
    def from_json(d: dict | None) -> Threshold | None:
        return None if d is None else Threshold(Fraction(d['fraction']), bool(d['strict']))


MORE_THAN_HALF = Threshold(HALF, True)
AT_LEAST_TWO_THIRDS = Threshold(TWO_THIRDS, False)
AT_LEAST_THREE_QUARTERS = Threshold(THREE_QUARTERS, False)


@dataclass(frozen=True)
class Rule:
    """A legal rule: who must take part (per counting unit; None: no quorum) and what share must agree.

    by_area: owners are counted by head AND by exclusive area; both must meet each threshold.
    """
    key: str
    label: str
    source: str  # the law, cited in Chinese
    turnout: Mapping[str, Threshold | None] = field(hash=False)
    approval: Threshold
    by_area: bool
    countings: tuple[str, ...]

    def turnout_for(self, counting: str) -> Threshold | None:
        return self.turnout.get(counting)

    def describe(self, counting: str, *, lang: str | None = None) -> str:
        """Plain words for what the rule requires under this counting unit."""
        return words.describe_rule(self, counting, lang=lang)


def _turnout(**by_counting: Threshold | None) -> Mapping[str, Threshold | None]:
    return MappingProxyType(dict(by_counting))


PRESETS: dict[str, Rule] = {
    'civil_278': Rule(
        'civil_278', '业主共同决定（一般事项）', '《中华人民共和国民法典》第二百七十八条',
        _turnout(owner=AT_LEAST_TWO_THIRDS), MORE_THAN_HALF, True, ('owner',)),
    'civil_278_major': Rule(
        'civil_278_major', '业主共同决定（筹集维修资金、改建重建、改变共有部分用途或经营）',
        '《中华人民共和国民法典》第二百七十八条第一款第六项至第八项',
        _turnout(owner=AT_LEAST_TWO_THIRDS), AT_LEAST_THREE_QUARTERS, True, ('owner',)),
    'residents_meeting': Rule(
        'residents_meeting', '居民会议', '《中华人民共和国城市居民委员会组织法》第九条',
        _turnout(person=MORE_THAN_HALF, household=MORE_THAN_HALF), MORE_THAN_HALF, False, ('person', 'household')),
    'villagers_meeting': Rule(
        'villagers_meeting', '村民会议', '《中华人民共和国村民委员会组织法》第二十二条',
        _turnout(person=MORE_THAN_HALF, household=AT_LEAST_TWO_THIRDS), MORE_THAN_HALF, False,
        ('person', 'household')),
    'village_reps': Rule(
        'village_reps', '村民代表会议', '《中华人民共和国村民委员会组织法》第二十六条',
        _turnout(person=AT_LEAST_TWO_THIRDS), MORE_THAN_HALF, False, ('person',)),
    'village_group': Rule(
        'village_group', '村民小组会议', '《中华人民共和国村民委员会组织法》第二十八条',
        _turnout(person=AT_LEAST_TWO_THIRDS, household=AT_LEAST_TWO_THIRDS), MORE_THAN_HALF, False,
        ('person', 'household')),
    'simple_majority': Rule(
        'simple_majority', '简单多数', '议事规则约定',
        _turnout(person=None, household=None, owner=None), MORE_THAN_HALF, False, ('person', 'household', 'owner')),
}
RULE_LABELS = {**{key: rule.label for key, rule in PRESETS.items()}, 'custom': '自定义规则'}
COUNTINGS = ('person', 'household', 'owner')


def custom_rule(*, turnout: Threshold | None, approval: Threshold, counting: str) -> Rule:
    """A rule the organiser set with exact fractions (owners: by head and area)."""
    return Rule('custom', '自定义规则', '议事规则约定', _turnout(**{counting: turnout}), approval,
                counting == 'owner', (counting,))


def rule_of(key: str, *, counting: str, custom_turnout: Threshold | None = None,
            custom_approval: Threshold | None = None) -> Rule:
    """The rule for a stored vote, narrowed to its counting unit (tally uses the first counting of a rule).

    Counting by owner always weighs heads and area together. Raises KeyError for an unknown key (check_definition
    refuses those before anything is stored)."""
    if key == 'custom':
        if custom_approval is None:
            raise ValueError('a custom rule needs its approval threshold')
        return custom_rule(turnout=custom_turnout, approval=custom_approval, counting=counting)
    return replace(PRESETS[key], by_area=counting == 'owner', countings=(counting,))


# ---- the tally ----

@dataclass(frozen=True)
class Weight:
    """One elector on the frozen roll: one head, and the exclusive area it brings (owners; else 0)."""
    key: str
    area: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if not isinstance(self.area, Fraction | int):  # a Decimal from the register, exactly
            object.__setattr__(self, 'area', Fraction(self.area))


@dataclass(frozen=True)
class Cast:
    """The counted ballot of one elector."""
    elector_key: str
    choices: tuple[int, ...]


@dataclass(frozen=True)
class OptionSpec:
    id: int
    label: str
    kind: str  # yes | no | abstain | choice


@dataclass(frozen=True)
class OptionLine:
    id: int
    label: str
    kind: str
    heads: int
    area: Fraction
    adopted: bool


def _f(value: Fraction) -> str:
    return f'{value.numerator}/{value.denominator}'


@dataclass(frozen=True)
class Result:
    """The count against the rule; `reasons` (plain Chinese) say how the verdict follows from the figures."""
    total_heads: int
    total_area: Fraction
    voted_heads: int
    voted_area: Fraction
    turnout: Threshold | None
    heads_quorate: bool
    area_quorate: bool | None  # None: area is not counted
    quorate: bool
    approval: Threshold
    by_area: bool
    options: tuple[OptionLine, ...]
    verdict: str  # passed | failed | not_quorate | tie
    reasons: tuple[str, ...]
    counting: str = 'person'
    ballot_type: str = 'yes_no'
    max_choices: int = 1

    def explain(self, *, lang: str | None = None) -> tuple[str, ...]:
        """The reasons in the reader's language (the stored `reasons` are Chinese)."""
        return words.reasons(self, lang=lang)

    def to_json(self) -> dict:
        return {
            'total_heads': self.total_heads, 'total_area': _f(self.total_area),
            'voted_heads': self.voted_heads, 'voted_area': _f(self.voted_area),
            'turnout': None if self.turnout is None else self.turnout.to_json(),
            'heads_quorate': self.heads_quorate, 'area_quorate': self.area_quorate, 'quorate': self.quorate,
            'approval': self.approval.to_json(), 'by_area': self.by_area,
            'options': [{'id': o.id, 'label': o.label, 'kind': o.kind, 'heads': o.heads, 'area': _f(o.area),
                         'adopted': o.adopted} for o in self.options],
            'verdict': self.verdict, 'reasons': list(self.reasons),
            'counting': self.counting, 'ballot_type': self.ballot_type, 'max_choices': self.max_choices,
        }

    @staticmethod
    def from_json(d: dict) -> Result:
        approval = Threshold.from_json(d['approval'])
        assert approval is not None
        return Result(
            total_heads=int(d['total_heads']), total_area=Fraction(d['total_area']),
            voted_heads=int(d['voted_heads']), voted_area=Fraction(d['voted_area']),
            turnout=Threshold.from_json(d['turnout']), heads_quorate=bool(d['heads_quorate']),
            area_quorate=d['area_quorate'], quorate=bool(d['quorate']), approval=approval,
            by_area=bool(d['by_area']),
            options=tuple(OptionLine(int(o['id']), o['label'], o['kind'], int(o['heads']), Fraction(o['area']),
                                     bool(o['adopted'])) for o in d['options']),
            verdict=d['verdict'], reasons=tuple(d['reasons']), counting=d.get('counting', 'person'),
            ballot_type=d.get('ballot_type', 'yes_no'), max_choices=int(d.get('max_choices', 1)))

    def option(self, kind: str) -> OptionLine | None:
        """The first line of this kind ('yes', 'no', 'abstain')."""
        return next((o for o in self.options if o.kind == kind), None)


def tally(rule: Rule, *, ballot_type: str, max_choices: int, options: Sequence[OptionSpec],
          electors: Sequence[Weight], ballots: Sequence[Cast], counting: str | None = None) -> Result:
    """Counts the ballots of the roll under the rule. Ballots of keys not on the roll are ignored; a later ballot
    of the same key replaces an earlier one. `counting` picks the rule's turnout (default: the rule's first
    counting, which is the vote's own when the rule came from `rule_of`)."""
    counting = counting or rule.countings[0]
    # areas as integers over one common denominator (register areas are in cents): exact, and fast for 1,000s
    scale = math.lcm(1, *{w.area.denominator for w in electors})  # Fraction or int: both have these
    roll = {w.key: w.area.numerator * (scale // w.area.denominator) for w in electors}
    counted: dict[str, tuple[int, ...]] = {}
    for cast in ballots:
        if cast.elector_key in roll:
            counted[cast.elector_key] = tuple(cast.choices)
    total_heads, total_area = len(roll), Fraction(sum(roll.values()), scale)
    voted_heads, voted_area = len(counted), Fraction(sum(roll[k] for k in counted), scale)

    heads = {o.id: 0 for o in options}
    units = {o.id: 0 for o in options}
    for key, choices in counted.items():
        for choice in set(choices):
            if choice in heads:
                heads[choice] += 1
                units[choice] += roll[key]
    area = {option_id: Fraction(n, scale) for option_id, n in units.items()}

    turnout = rule.turnout_for(counting)
    if turnout is None:
        # no quorum, but a vote nobody took part in decides nothing
        heads_quorate = quorate = voted_heads > 0
        area_quorate = None
    else:
        heads_quorate = turnout.met(voted_heads, total_heads)
        area_quorate = turnout.met(voted_area, total_area) if rule.by_area else None
        quorate = heads_quorate and area_quorate is not False

    def measure(option_id: int) -> tuple[int, Fraction]:
        return heads[option_id], area[option_id] if rule.by_area else Fraction(0)

    def meets(option_id: int) -> bool:
        return rule.approval.met(heads[option_id], voted_heads) and (
            not rule.by_area or rule.approval.met(area[option_id], voted_area))

    adopted: set[int] = set()
    if not quorate:
        verdict = 'not_quorate'
    elif ballot_type == 'yes_no':
        yes = next((o.id for o in options if o.kind == 'yes'), None)
        no = next((o.id for o in options if o.kind == 'no'), None)
        if yes is None or no is None:
            raise ValueError('a yes/no vote needs a yes and a no option')
        if measure(yes) == measure(no):
            verdict = 'tie'  # even 0 : 0 when everyone abstained: neither side has it
        elif meets(yes):
            verdict, adopted = 'passed', {yes}
        else:
            verdict = 'failed'
    else:
        choices = [o.id for o in options if o.kind == 'choice'] or [o.id for o in options]
        ranked = sorted(choices, key=measure, reverse=True)  # stable: ballot order among equals
        winners = [c for c in ranked if meets(c)]
        k = 1 if ballot_type == 'single' else max(1, max_choices)
        top_shared = ballot_type == 'single' and len(ranked) >= 2 and measure(ranked[0]) == measure(ranked[1])
        kth_shared = len(winners) > k and measure(winners[k - 1]) == measure(winners[k])
        if top_shared or kth_shared:
            verdict = 'tie'
        elif winners:
            verdict, adopted = 'passed', set(winners[:k])
        else:
            verdict = 'failed'

    lines = tuple(OptionLine(o.id, o.label, o.kind, heads[o.id], area[o.id], o.id in adopted) for o in options)
    result = Result(total_heads, total_area, voted_heads, voted_area, turnout, heads_quorate, area_quorate,
                    quorate, rule.approval, rule.by_area, lines, verdict, (), counting, ballot_type,
                    1 if ballot_type != 'multiple' else max_choices)
    return replace(result, reasons=words.reasons(result, lang='zh'))
