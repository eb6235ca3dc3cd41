"""The words of a tally: what a rule requires, and why a result came out as it did — plain Chinese (or English).

Reasons are rebuilt from a Result's figures, so a result frozen at close can be explained again in any language;
the Chinese ones are stored with it. Figures are exact: shares as fractions with a rounded percentage beside them.
"""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from domain.i18n import current_language, t

if TYPE_CHECKING:
    from domain.tally import OptionLine, Result, Rule, Threshold


def _lang(lang: str | None) -> str:
    return lang or current_language()


def threshold_text(threshold: Threshold, *, lang: str | None = None) -> str:
    """'三分之二以上' in Chinese; 'at least two thirds' (or 'at least 7/12') in English."""
    lang = _lang(lang)
    label = threshold.label
    if lang == 'zh':
        return label
    text = t(label, lang=lang)
    if text != label:
        return text
    share = f'{threshold.fraction.numerator}/{threshold.fraction.denominator}'
    return f'more than {share}' if threshold.strict else f'at least {share}'


def number(value: Fraction, *, lang: str) -> str:
    """An area in square metres: exact to the cent (125.5), else rounded with 约."""
    cents = value * 100
    approx = cents.denominator != 1
    whole = round(cents)
    text = f'{whole // 100}.{whole % 100:02d}'.rstrip('0').rstrip('.')
    return t('约 {value}', lang=lang, value=text) if approx else text


def share(part: int | Fraction, whole: int | Fraction, *, lang: str) -> str:
    """'2/3（约 66.7%）', '1/2（50%）', '100%' — the exact fraction for the committee, the percentage for everyone."""
    if not whole:
        return '0%'
    f = Fraction(part) / Fraction(whole)
    percent = f * 100
    if percent.denominator == 1:
        pct = f'{percent.numerator}%'
    else:
        tenths = round(percent * 10)
        pct = t('约 {value}', lang=lang, value=f'{tenths // 10}.{tenths % 10}%')
    if f.denominator == 1:
        return pct
    return t('{fraction}（{percent}）', lang=lang, fraction=f'{f.numerator}/{f.denominator}', percent=pct)


def _who(counting: str, lang: str) -> str:
    if counting == 'household':
        return t('户数', lang=lang)
    if counting == 'owner':
        return t('业主人数', lang=lang)
    return t('人数', lang=lang)


def _count(n: int, counting: str, lang: str) -> str:
    if counting == 'household':
        return t('{n} 户', lang=lang, n=n)
    return t('{n} 人', lang=lang, n=n)


def _votes(n: int, lang: str) -> str:
    return t('{n} 票', lang=lang, n=n)


def _outcome(ok: bool, threshold: Threshold, lang: str) -> str:
    label = threshold_text(threshold, lang=lang)
    return t('达到{label}的要求', lang=lang, label=label) if ok else t('没有达到{label}的要求', lang=lang, label=label)


def _names(lines: list[OptionLine], lang: str) -> str:
    return t('、', lang=lang).join(t('“{label}”', lang=lang, label=o.label) for o in lines)


def describe_rule(rule: Rule, counting: str, *, lang: str | None = None) -> str:
    """What the rule requires, e.g. 参与表决的业主要达到全体的三分之二以上…；依据：《民法典》第二百七十八条."""
    lang = _lang(lang)
    who = _who(counting, lang)
    turnout = rule.turnout_for(counting)
    if turnout is None:
        part = t('不要求参与人数', lang=lang)
    else:
        label = threshold_text(turnout, lang=lang)
        part = t('参与表决的{who}要达到全体的{label}', lang=lang, who=who, label=label)
        if rule.by_area:
            part += t('，专有面积也要达到总面积的{label}', lang=lang, label=label)
    label = threshold_text(rule.approval, lang=lang)
    agree = t('同意的要占参与表决{who}的{label}', lang=lang, who=who, label=label)
    if rule.by_area:
        agree += t('，同意者的专有面积也要占参与表决面积的{label}', lang=lang, label=label)
    return t('{turnout}；{approval}（弃权也算参与表决）。依据：{source}', lang=lang, turnout=part, approval=agree,
             source=t(rule.source, lang=lang))


def _turnout_lines(r: Result, lang: str) -> list[str]:
    lines: list[str] = []
    voted, total = _count(r.voted_heads, r.counting, lang), _count(r.total_heads, r.counting, lang)
    if r.turnout is None:
        lines.append(t('参与表决 {voted}（共 {total}），这条规则不要求参与人数', lang=lang, voted=voted, total=total))
    else:
        lines.append(t('参与表决的{who} {voted}，占全体 {total}的 {share}，{outcome}', lang=lang,
                       who=_who(r.counting, lang), voted=voted, total=total,
                       share=share(r.voted_heads, r.total_heads, lang=lang),
                       outcome=_outcome(r.heads_quorate, r.turnout, lang)))
    if r.by_area and r.turnout is not None:
        lines.append(t('参与表决的专有面积 {voted} 平方米，占总面积 {total} 平方米的 {share}，{outcome}', lang=lang,
                       voted=number(r.voted_area, lang=lang), total=number(r.total_area, lang=lang),
                       share=share(r.voted_area, r.total_area, lang=lang),
                       outcome=_outcome(bool(r.area_quorate), r.turnout, lang)))
    return lines


def _not_quorate_line(r: Result, lang: str) -> str:
    if r.total_heads == 0:
        return t('名册上没有可以参加表决的人，本次表决无效', lang=lang)
    if r.voted_heads == 0:
        return t('没有人参加表决，本次表决无效', lang=lang)
    if not r.heads_quorate and r.area_quorate is False:
        what = t('人数和面积', lang=lang)
    elif r.area_quorate is False:
        what = t('面积', lang=lang)
    else:
        what = t('人数', lang=lang)
    return t('参与表决的{what}没有达到规定，本次表决无效，不计算是否通过', lang=lang, what=what)


def _approval_line(r: Result, o: OptionLine, lang: str) -> str:
    heads_ok = r.approval.met(o.heads, r.voted_heads)
    if o.kind == 'yes':
        text = t('赞成 {heads}，占参与表决 {voted}的 {share}，{outcome}', lang=lang,
                 heads=_count(o.heads, r.counting, lang), voted=_count(r.voted_heads, r.counting, lang),
                 share=share(o.heads, r.voted_heads, lang=lang), outcome=_outcome(heads_ok, r.approval, lang))
    else:
        text = t('{name}得 {heads}，占参与表决 {voted}的 {share}，{outcome}', lang=lang,
                 name=t('“{label}”', lang=lang, label=o.label), heads=_votes(o.heads, lang),
                 voted=_count(r.voted_heads, r.counting, lang), share=share(o.heads, r.voted_heads, lang=lang),
                 outcome=_outcome(heads_ok, r.approval, lang))
    if r.by_area:
        text += t('；面积 {area} 平方米，占参与表决面积 {voted} 平方米的 {share}，{outcome}', lang=lang,
                  area=number(o.area, lang=lang), voted=number(r.voted_area, lang=lang),
                  share=share(o.area, r.voted_area, lang=lang),
                  outcome=_outcome(r.approval.met(o.area, r.voted_area), r.approval, lang))
    return text


def _yes_no_lines(r: Result, lang: str) -> list[str]:
    yes, no, abstain = r.option('yes'), r.option('no'), r.option('abstain')
    lines: list[str] = []
    if yes is not None:
        lines.append(_approval_line(r, yes, lang))
    no_heads, abstain_heads = (no.heads if no else 0), (abstain.heads if abstain else 0)
    if r.by_area:
        lines.append(t('反对 {no}（{no_area} 平方米），弃权 {abstain}（{abstain_area} 平方米）；弃权也算参与表决',
                       lang=lang, no=_count(no_heads, r.counting, lang),
                       no_area=number(no.area if no else Fraction(0), lang=lang),
                       abstain=_count(abstain_heads, r.counting, lang),
                       abstain_area=number(abstain.area if abstain else Fraction(0), lang=lang)))
    else:
        lines.append(t('反对 {no}，弃权 {abstain}；弃权也算参与表决', lang=lang,
                       no=_count(no_heads, r.counting, lang), abstain=_count(abstain_heads, r.counting, lang)))
    if r.verdict == 'passed':
        lines.append(t('所以，本次表决通过', lang=lang))
    elif r.verdict == 'tie':
        lines.append(t('赞成和反对一样多，票数相同，未能决出结果', lang=lang))
    else:
        lines.append(t('赞成没有达到{label}，所以本次表决未通过', lang=lang,
                       label=threshold_text(r.approval, lang=lang)))
    return lines


def _measure(r: Result, o: OptionLine) -> tuple[int, Fraction]:
    return o.heads, o.area if r.by_area else Fraction(0)


def _choice_lines(r: Result, lang: str) -> list[str]:
    choices = [o for o in r.options if o.kind == 'choice'] or list(r.options)
    lines: list[str] = []
    if r.ballot_type == 'multiple':
        lines.append(t('每人最多选 {k} 项；达到要求的选项中，按票数从多到少最多取 {k} 项', lang=lang, k=r.max_choices)
                     + (t('（票数相同时比面积）', lang=lang) if r.by_area else ''))
    lines.extend(_approval_line(r, o, lang) for o in choices)
    ranked = sorted(choices, key=lambda o: _measure(r, o), reverse=True)
    label = threshold_text(r.approval, lang=lang)
    if r.verdict == 'passed':
        lines.append(t('所以，{names}获得通过', lang=lang, names=_names([o for o in ranked if o.adopted], lang)))
    elif r.verdict == 'tie':
        if r.ballot_type == 'single':
            level = _measure(r, ranked[0])
            lines.append(t('{names}票数相同，未能决出结果', lang=lang,
                           names=_names([o for o in ranked if _measure(r, o) == level], lang)))
        else:
            winners = [o for o in ranked if r.approval.met(o.heads, r.voted_heads)
                       and (not r.by_area or r.approval.met(o.area, r.voted_area))]
            level = _measure(r, winners[r.max_choices - 1])
            lines.append(t('第 {k} 名有{names}票数相同，未能决出结果', lang=lang, k=r.max_choices,
                           names=_names([o for o in winners if _measure(r, o) == level], lang)))
    else:
        lines.append(t('没有选项达到{label}，所以本次表决未通过', lang=lang, label=label))
    return lines


def reasons(r: Result, *, lang: str | None = None) -> tuple[str, ...]:
    """Why the verdict: turnout by head (and area) against the rule, then agreement, then the conclusion."""
    lang = _lang(lang)
    lines = _turnout_lines(r, lang)
    if not r.quorate:
        lines.append(_not_quorate_line(r, lang))
    elif r.ballot_type == 'yes_no':
        lines.extend(_yes_no_lines(r, lang))
    else:
        lines.extend(_choice_lines(r, lang))
    return tuple(lines)
