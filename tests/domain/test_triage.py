"""Triage into 大事/小事/微事 with the rule that fired, and the street's reply deadline for a 大事."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain import triage
from domain.errors import DomainError
from domain.i18n import catalogue
from domain.triage import CATEGORIES, HINTS, LEADS, SCALE_LEAD, SCALES, is_overdue, street_reply_due, suggest

NAMES = {1: '嘉明花园', 2: '船柴小区', 3: '东山花园', 4: '桃花岭', 5: '学院街', 6: '夷陵小区'}
LOCAL = ZoneInfo('Asia/Shanghai')


def test_an_issue_that_crosses_communities_is_a_big_matter_for_the_street_whatever_its_category() -> None:
    s = suggest(category='greening', compound_ids=frozenset({1}), crosses_communities=True)
    assert (s.scale, s.lead, s.rule) == ('big', 'street', 'crosses_communities')
    assert s.reason == '跨社区（村）的事务'


def test_municipal_utilities_are_a_street_matter_even_inside_one_compound() -> None:
    s = suggest(category='municipal', compound_ids=frozenset({1}), compound_names=NAMES)
    assert (s.scale, s.lead, s.rule) == ('big', 'street', 'street_matter')
    assert s.reason == '“市政设施（供水、供电、燃气、排水）”属于街道（乡镇）管理事项'


def test_illegal_construction_is_a_street_matter_because_removing_it_is_law_enforcement() -> None:
    s = suggest(category='illegal_building', compound_ids=frozenset())
    assert (s.scale, s.lead) == ('big', 'street')
    assert s.reason == '“违章建筑”属于街道（乡镇）管理事项'


@pytest.mark.parametrize('category', ['medical', 'social_security'])
def test_basic_public_services_are_a_big_matter_for_the_street(category: str) -> None:
    s = suggest(category=category, compound_ids=frozenset({2}))
    assert (s.scale, s.lead, s.rule) == ('big', 'street', 'public_service')
    assert s.reason == f'“{CATEGORIES[category].label}”属于基本公共服务事项'


def test_an_issue_touching_two_compounds_is_a_small_matter_naming_them() -> None:
    s = suggest(category='traffic', compound_ids=frozenset({2, 1}), compound_names=NAMES)
    assert (s.scale, s.lead, s.rule) == ('small', 'community_council', 'several_compounds')
    assert s.reason == '涉及 2 个小区（嘉明花园、船柴小区），属于跨小区事务'


def test_a_long_list_of_compounds_is_cut_short_with_deng() -> None:
    s = suggest(category='sanitation', compound_ids=frozenset(NAMES), compound_names=NAMES)
    assert s.reason == '涉及 6 个小区（嘉明花园、船柴小区、东山花园、桃花岭等），属于跨小区事务'


def test_several_compounds_without_all_their_names_are_counted() -> None:
    s = suggest(category='lighting', compound_ids=frozenset({1, 99}), compound_names=NAMES)
    assert s.scale == 'small'
    assert s.reason == '涉及 2 个小区，属于跨小区事务'
    assert suggest(category='lighting', compound_ids=frozenset({1, 2})).reason == '涉及 2 个小区，属于跨小区事务'


def test_an_issue_not_tied_to_a_compound_is_a_community_affair() -> None:
    s = suggest(category='safety', compound_ids=frozenset())
    assert (s.scale, s.lead, s.rule) == ('small', 'community_council', 'community_wide')
    assert s.reason == '没有限定在某个小区，按社区（村）公共事务处理'


@pytest.mark.parametrize('category', ['elderly', 'childcare', 'culture'])
def test_community_services_are_a_small_matter_even_when_raised_in_one_compound(category: str) -> None:
    s = suggest(category=category, compound_ids=frozenset({1}), compound_names=NAMES)
    assert (s.scale, s.lead, s.rule) == ('small', 'community_council', 'community_matter')
    assert s.reason == f'“{CATEGORIES[category].label}”一般是社区（村）公共事务'


@pytest.mark.parametrize('category', ['traffic', 'sanitation', 'greening', 'lighting', 'ev_charging', 'drying',
                                      'repair', 'elevator', 'property', 'safety', 'noise', 'other'])
def test_a_matter_inside_one_compound_is_a_micro_matter_for_its_council(category: str) -> None:
    s = suggest(category=category, compound_ids=frozenset({1}), compound_names=NAMES)
    assert (s.scale, s.lead, s.rule) == ('micro', 'compound_council', 'one_compound')
    assert s.reason == '只涉及嘉明花园，属于小区内公共事务'


def test_a_single_compound_without_a_name_is_still_a_micro_matter() -> None:
    s = suggest(category='drying', compound_ids=frozenset({7}), compound_names=NAMES)
    assert s.scale == 'micro'
    assert s.reason == '只涉及一个小区，属于小区内公共事务'


def test_a_street_category_wins_over_several_compounds() -> None:
    assert suggest(category='municipal', compound_ids=frozenset({1, 2})).scale == 'big'


def test_an_unknown_category_is_refused_with_a_code() -> None:
    with pytest.raises(DomainError) as e:
        suggest(category='weather', compound_ids=frozenset())
    assert e.value.code == 'unknown_category'
    assert e.value.message == '没有这个类别：weather'


def test_the_categories_cover_what_residents_raise_and_use_known_hints() -> None:
    labels = {c.label for c in CATEGORIES.values()}
    for word in ('停车', '环境卫生', '绿化', '路灯', '电动车充电', '晾晒', '漏水', '加装电梯', '物业服务', '治安',
                 '养老', '托幼', '文体活动', '供水', '燃气', '违章建筑', '噪音', '其他'):
        assert any(word in label for label in labels), word
    assert {c.hint for c in CATEGORIES.values()} <= set(HINTS)
    assert all(len(key) <= 20 for key in CATEGORIES)  # models.Issue.category is 20 characters


def test_each_scale_has_its_default_lead() -> None:
    assert SCALE_LEAD == {'big': 'street', 'small': 'community_council', 'micro': 'compound_council'}
    assert set(SCALE_LEAD) == set(SCALES) and set(SCALE_LEAD.values()) == set(LEADS)


def _all_suggestions() -> list[triage.Suggestion]:
    out = [suggest(category=c, compound_ids=ids, compound_names=names)
           for c in CATEGORIES for ids in (frozenset(), frozenset({1}), frozenset({1, 2}), frozenset(NAMES))
           for names in (None, NAMES)]
    return [*out, suggest(category='other', compound_ids=frozenset(), crosses_communities=True)]


def test_every_reason_and_label_has_english_and_reads_in_english() -> None:
    suggestions = _all_suggestions()
    assert {s.rule for s in suggestions} == {'crosses_communities', 'street_matter', 'public_service',
                                             'several_compounds', 'community_wide', 'community_matter',
                                             'one_compound'}
    words = {s.template for s in suggestions} | set(SCALES.values()) | set(LEADS.values()) | set(HINTS.values()) \
        | {c.label for c in CATEGORIES.values()}
    assert sorted(w for w in words if w not in catalogue()) == []
    s = suggest(category='drying', compound_ids=frozenset({1}), compound_names=NAMES)
    assert s.explain(lang='en') == 'It only concerns 嘉明花园: a public affair inside the compound'
    assert s.explain(lang='zh') == s.reason


# The street's reply deadline. 2026-05-08 is a Friday.

def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL)


def test_the_reply_is_due_at_the_end_of_the_tenth_working_day_after_the_referral() -> None:
    due = street_reply_due(_local(2026, 5, 4, 10, 0))  # Monday
    assert due == _local(2026, 5, 18, 23, 59, 59)  # Monday two weeks on: 10 working days, two weekends skipped


def test_a_referral_on_friday_counts_from_monday() -> None:
    assert street_reply_due(_local(2026, 5, 8, 16, 30), working_days=1) == _local(2026, 5, 11, 23, 59, 59)
    assert street_reply_due(_local(2026, 5, 8, 16, 30), working_days=5) == _local(2026, 5, 15, 23, 59, 59)


def test_a_referral_made_at_the_weekend_counts_from_monday() -> None:
    for weekend_day in (9, 10):  # Saturday, Sunday
        assert street_reply_due(_local(2026, 5, weekend_day, 9, 0), working_days=1) == _local(2026, 5, 11, 23, 59, 59)


def test_the_deadline_never_falls_on_a_weekend() -> None:
    start = _local(2026, 5, 4, 12, 0)
    for offset in range(14):
        for days in (1, 3, 5, 10):
            assert street_reply_due(start + timedelta(days=offset), working_days=days).weekday() < 5


def test_the_day_is_counted_in_local_time_not_utc() -> None:
    # 2026-05-08 17:00 UTC is already Saturday 01:00 in Yichang
    assert street_reply_due(datetime(2026, 5, 8, 17, 0, tzinfo=UTC), working_days=1) == _local(2026, 5, 11, 23, 59, 59)
    # a naive time is read as UTC, as the database stores it
    assert street_reply_due(datetime(2026, 5, 8, 17, 0), working_days=1) == _local(2026, 5, 11, 23, 59, 59)


def test_the_deadline_needs_at_least_one_working_day() -> None:
    with pytest.raises(ValueError):
        street_reply_due(_local(2026, 5, 4, 9, 0), working_days=0)


def test_overdue_starts_just_after_the_due_second() -> None:
    due = street_reply_due(_local(2026, 5, 8, 16, 30), working_days=1)
    assert not is_overdue(due, due)
    assert not is_overdue(due, _local(2026, 5, 11, 23, 59, 58))
    assert is_overdue(due, _local(2026, 5, 12, 0, 0))
    assert is_overdue(due, datetime(2026, 5, 11, 15, 59, 59, 1, tzinfo=UTC))  # 1 µs late, seen from UTC


def test_an_item_without_a_due_date_is_never_overdue() -> None:
    assert not is_overdue(None, _local(2030, 1, 1))
