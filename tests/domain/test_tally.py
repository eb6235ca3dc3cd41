"""domain.tally: the legal rules of DOMAIN.md §3 counted exactly, at every boundary, by head and by floor area."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction as F

import pytest

from domain.tally import PRESETS, Cast, OptionSpec, Result, Threshold, Weight, custom_rule, rule_of, tally

YES, NO, ABSTAIN = 1, 2, 3
YES_NO = (OptionSpec(YES, '赞成', 'yes'), OptionSpec(NO, '反对', 'no'), OptionSpec(ABSTAIN, '弃权', 'abstain'))
ABCD = tuple(OptionSpec(i, name, 'choice') for i, name in enumerate(('甲方案', '乙方案', '丙方案', '丁方案'), 11))
A, B, C, D = 11, 12, 13, 14
HAN = re.compile(r'[\u4e00-\u9fff]')


def roll(n: int, area: F | int = 0, prefix: str = 'r') -> list[Weight]:
    return [Weight(f'{prefix}{i}', F(area)) for i in range(n)]


def casts(*groups: tuple[int, tuple[int, ...]], prefix: str = 'r') -> list[Cast]:
    """casts((25, (YES,)), (10, (NO,))) — consecutive electors r0, r1… choosing as given."""
    out, i = [], 0
    for count, choices in groups:
        for _ in range(count):
            out.append(Cast(f'{prefix}{i}', choices))
            i += 1
    return out


def yes_no(rule, electors, yes=0, no=0, abstain=0, prefix='r') -> Result:
    ballots = casts((yes, (YES,)), (no, (NO,)), (abstain, (ABSTAIN,)), prefix=prefix)
    return tally(rule, ballot_type='yes_no', max_choices=1, options=YES_NO, electors=electors, ballots=ballots)


def owners(areas: list[str]) -> list[Weight]:
    """Owners o0, o1… with exclusive areas given as register decimals ('100.00')."""
    return [Weight(f'o{i}', F(Decimal(a))) for i, a in enumerate(areas)]


ORDINARY = rule_of('civil_278', counting='owner')
MAJOR = rule_of('civil_278_major', counting='owner')
SIMPLE = rule_of('simple_majority', counting='person')


# ---- thresholds: exact, with the boundary where the law puts it ----

@pytest.mark.parametrize(('fraction', 'strict', 'part', 'whole', 'met'), [
    (F(2, 3), False, 40, 60, True),  # 三分之二以上: exactly 2/3 is enough
    (F(2, 3), False, 39, 60, False),
    (F(3, 4), False, 30, 40, True),  # 四分之三以上: exactly 3/4 is enough
    (F(3, 4), False, 29, 40, False),
    (F(1, 2), True, 20, 40, False),  # 过半数: exactly half is not more than half
    (F(1, 2), True, 21, 40, True),
    (F(1, 2), True, 3, 5, True),
    (F(1, 2), False, 20, 40, True),  # 半数以上 includes half
    (F(2, 3), False, F('3999.99'), F('6000.00'), False),
    (F(2, 3), False, F('4000.00'), F('6000.00'), True),
    (F(2, 3), False, 0, 0, False),  # nobody on the roll never meets a threshold
    (F(1, 2), True, 0, 0, False),
])
def test_a_threshold_is_met_exactly_at_its_legal_boundary(fraction, strict, part, whole, met):
    assert Threshold(fraction, strict).met(part, whole) is met


def test_thresholds_compare_exactly_where_floats_would_round_to_equal():
    whole = 10 ** 18
    assert Threshold(F(2, 3), False).met(666_666_666_666_666_667, whole)
    assert not Threshold(F(2, 3), False).met(666_666_666_666_666_666, whole)
    assert float(F(666_666_666_666_666_666, whole)) == float(F(2, 3))  # what a float tally would have got wrong


@pytest.mark.parametrize(('threshold', 'label'), [
    (Threshold(F(1, 2), True), '过半数'), (Threshold(F(1, 2), False), '半数以上'),
    (Threshold(F(2, 3), False), '三分之二以上'), (Threshold(F(3, 4), False), '四分之三以上'),
    (Threshold(F(2, 3), True), '超过三分之二'), (Threshold(F(7, 12), False), '7/12 以上'),
    (Threshold(F(1), False), '全体一致'),
])
def test_a_threshold_is_named_in_the_words_of_the_law(threshold, label):
    assert threshold.label == label


# ---- the presets are the law (DOMAIN.md §3) ----

TWO_THIRDS, HALF_STRICT, THREE_QUARTERS = Threshold(F(2, 3), False), Threshold(F(1, 2), True), Threshold(F(3, 4), False)


@pytest.mark.parametrize(('key', 'turnout', 'approval', 'by_area', 'law'), [
    ('civil_278', {'owner': TWO_THIRDS}, HALF_STRICT, True, '民法典》第二百七十八条'),
    ('civil_278_major', {'owner': TWO_THIRDS}, THREE_QUARTERS, True, '第六项至第八项'),
    ('residents_meeting', {'person': HALF_STRICT, 'household': HALF_STRICT}, HALF_STRICT, False,
     '城市居民委员会组织法》第九条'),
    ('villagers_meeting', {'person': HALF_STRICT, 'household': TWO_THIRDS}, HALF_STRICT, False,
     '村民委员会组织法》第二十二条'),
    ('village_reps', {'person': TWO_THIRDS}, HALF_STRICT, False, '村民委员会组织法》第二十六条'),
    ('village_group', {'person': TWO_THIRDS, 'household': TWO_THIRDS}, HALF_STRICT, False,
     '村民委员会组织法》第二十八条'),
    ('simple_majority', {'person': None, 'household': None, 'owner': None}, HALF_STRICT, False, '议事规则'),
])
def test_each_preset_requires_exactly_what_the_law_says(key, turnout, approval, by_area, law):
    rule = PRESETS[key]
    assert dict(rule.turnout) == turnout
    assert set(rule.countings) == set(turnout)
    assert (rule.approval, rule.by_area, rule.key) == (approval, by_area, key)
    assert law in rule.source


def test_counting_by_owner_always_weighs_area_and_the_rule_is_narrowed_to_the_vote_counting():
    assert rule_of('simple_majority', counting='owner').by_area
    assert not rule_of('simple_majority', counting='household').by_area
    assert rule_of('residents_meeting', counting='household').countings == ('household',)
    custom = rule_of('custom', counting='owner', custom_turnout=None, custom_approval=Threshold(F(3, 5), False))
    assert (custom.by_area, custom.turnout_for('owner'), custom.approval.fraction) == (True, None, F(3, 5))
    with pytest.raises(ValueError):
        rule_of('custom', counting='person')
    with pytest.raises(KeyError):
        rule_of('no_such_rule', counting='person')


def test_a_rule_describes_its_requirements_in_plain_words_with_its_law():
    text = PRESETS['civil_278'].describe('owner', lang='zh')
    assert '参与表决的业主人数要达到全体的三分之二以上' in text and '专有面积也要达到总面积的三分之二以上' in text
    assert '过半数' in text and '民法典' in text and '弃权也算参与表决' in text
    assert '四分之三以上' in PRESETS['civil_278_major'].describe('owner', lang='zh')
    assert PRESETS['simple_majority'].describe('person', lang='zh').startswith('不要求参与人数')
    assert '户数要达到全体的三分之二以上' in PRESETS['villagers_meeting'].describe('household', lang='zh')
    english = PRESETS['civil_278'].describe('owner', lang='en')
    assert not HAN.search(english) and 'at least two thirds' in english and 'Article 278' in english


# ---- 民法典 第278条: ordinary matters, by head AND by area ----

def test_ordinary_matter_is_quorate_with_exactly_two_thirds_of_owners_and_of_area():
    r = yes_no(ORDINARY, roll(60, 100, 'o'), yes=21, no=19, prefix='o')
    assert (r.voted_heads, r.total_heads, r.voted_area, r.total_area) == (40, 60, 4000, 6000)
    assert (r.heads_quorate, r.area_quorate, r.quorate, r.verdict) == (True, True, True, 'passed')
    assert r.reasons[0] == '参与表决的业主人数 40 人，占全体 60 人的 2/3（约 66.7%），达到三分之二以上的要求'
    assert r.reasons[1] == ('参与表决的专有面积 4000 平方米，占总面积 6000 平方米的 2/3（约 66.7%），'
                            '达到三分之二以上的要求')
    assert r.reasons[-1] == '所以，本次表决通过'


def test_ordinary_matter_fails_with_turnout_one_owner_short_of_two_thirds():
    r = yes_no(ORDINARY, roll(60, 100, 'o'), yes=39, prefix='o')  # unanimous, but 39 of 60 took part
    assert (r.heads_quorate, r.area_quorate, r.verdict) == (False, False, 'not_quorate')
    assert '没有达到三分之二以上的要求' in r.reasons[0]
    assert r.reasons[-1] == '参与表决的人数和面积没有达到规定，本次表决无效，不计算是否通过'


def test_ordinary_matter_fails_with_turnout_just_under_two_thirds_of_area():
    areas = ['99.99'] + ['100.00'] * 58 + ['100.01']  # 40 owners vote with 3999.99 of 6000.00 m²
    r = yes_no(ORDINARY, owners(areas), yes=40, prefix='o')
    assert (r.voted_heads, r.voted_area, r.total_area) == (40, F('3999.99'), 6000)
    assert (r.heads_quorate, r.area_quorate, r.verdict) == (True, False, 'not_quorate')
    assert r.reasons[-1] == '参与表决的面积没有达到规定，本次表决无效，不计算是否通过'


def test_ordinary_matter_fails_when_two_thirds_of_area_but_not_of_owners_take_part():
    areas = ['120.00'] * 39 + ['50.00'] * 21  # 39 large flats: 4680 of 5730 m², but 39 of 60 owners
    r = yes_no(ORDINARY, owners(areas), yes=39, prefix='o')
    assert (r.heads_quorate, r.area_quorate, r.verdict) == (False, True, 'not_quorate')
    assert r.reasons[-1] == '参与表决的人数没有达到规定，本次表决无效，不计算是否通过'


@pytest.mark.parametrize(('yes', 'no', 'abstain', 'verdict'), [
    (21, 19, 0, 'passed'),  # one more than half of the 40 voting
    (20, 10, 10, 'failed'),  # exactly half is not 过半数; abstentions are in the base
    (20, 20, 0, 'tie'),
])
def test_ordinary_matter_needs_more_than_half_of_the_voting_owners(yes, no, abstain, verdict):
    assert yes_no(ORDINARY, roll(60, 100, 'o'), yes=yes, no=no, abstain=abstain, prefix='o').verdict == verdict


def test_ordinary_matter_fails_when_more_than_half_the_owners_agree_but_exactly_half_the_area():
    areas = ['73.15'] * 21 + ['80.85'] * 19 + ['40.00'] * 20  # yes: 1536.15 of 3072.30 voting m², exactly half
    r = yes_no(ORDINARY, owners(areas), yes=21, no=19, prefix='o')
    assert r.option('yes').area * 2 == r.voted_area
    assert (r.quorate, r.verdict) == (True, 'failed')
    assert '面积 1536.15 平方米，占参与表决面积 3072.3 平方米的 1/2（50%），没有达到过半数的要求' in r.reasons[2]


def test_ordinary_matter_fails_when_more_than_half_the_area_agrees_but_exactly_half_the_owners():
    areas = ['150.00'] * 20 + ['60.00'] * 20 + ['80.00'] * 20
    r = yes_no(ORDINARY, owners(areas), yes=20, no=20, prefix='o')
    assert r.option('yes').area > r.option('no').area
    assert r.verdict == 'failed'  # not a tie: the two sides differ in area


# ---- 民法典 第278条 items (6)–(8): three quarters of the voting owners and area ----

@pytest.mark.parametrize(('yes', 'no', 'verdict'), [(30, 10, 'passed'), (29, 11, 'failed')])
def test_major_matter_needs_three_quarters_of_the_voting_owners_inclusive(yes, no, verdict):
    r = yes_no(MAJOR, roll(60, 100, 'o'), yes=yes, no=no, prefix='o')
    assert r.verdict == verdict
    assert ('达到四分之三以上的要求' if verdict == 'passed' else '没有达到四分之三以上的要求') in r.reasons[2]


def test_major_matter_fails_with_three_quarters_of_owners_but_area_just_under_three_quarters():
    areas = ['99.99'] + ['100.00'] * 29 + ['100.01'] + ['100.00'] * 29  # yes 2999.99 of 4000.00 voting m²
    r = yes_no(MAJOR, owners(areas), yes=30, no=10, prefix='o')
    assert (r.option('yes').heads, r.option('yes').area, r.voted_area) == (30, F('2999.99'), 4000)
    assert r.verdict == 'failed'


def test_major_matter_fails_with_three_quarters_of_area_but_one_owner_short():
    areas = ['110.00'] * 29 + ['90.00'] * 11 + ['100.00'] * 20  # yes 3190 of 4180 m² (> 3/4), 29 of 40 owners
    r = yes_no(MAJOR, owners(areas), yes=29, no=11, prefix='o')
    assert Threshold(F(3, 4), False).met(r.option('yes').area, r.voted_area)
    assert r.verdict == 'failed'


def test_major_matter_passes_with_exactly_three_quarters_of_both():
    r = yes_no(MAJOR, roll(60, F('88.88'), 'o'), yes=30, no=9, abstain=1, prefix='o')
    assert r.verdict == 'passed' and r.option('yes').adopted


# ---- 最高法 解释 第8、9条: one head per owner, unsold units one head together ----

def test_an_owner_of_several_units_is_one_head_with_all_their_area():
    electors = [Weight('o1', F(400)), Weight('o2', F(100)), Weight('o3', F(100))]  # o1 bought four flats
    alone = tally(ORDINARY, ballot_type='yes_no', max_choices=1, options=YES_NO, electors=electors,
                  ballots=[Cast('o1', (YES,))])
    assert (alone.voted_heads, alone.total_heads, alone.voted_area) == (1, 3, 400)
    assert (alone.heads_quorate, alone.area_quorate, alone.verdict) == (False, True, 'not_quorate')
    two = tally(ORDINARY, ballot_type='yes_no', max_choices=1, options=YES_NO, electors=electors,
                ballots=[Cast('o1', (YES,)), Cast('o2', (NO,))])
    assert two.quorate and two.verdict == 'failed'  # 5/6 of the area agrees, but only one of two owners


def test_a_register_area_in_decimal_is_taken_exactly():
    assert Weight('o1', Decimal('88.88')).area == F(2222, 25)
    r = yes_no(ORDINARY, [Weight('o0', Decimal('0.01')), Weight('o1', Decimal('0.02'))], yes=2, prefix='o')
    assert (r.total_area, r.option('yes').area, r.verdict) == (F(3, 100), F(3, 100), 'passed')


def test_unsold_units_are_one_owner_together_and_cannot_outvote_the_buyers():
    electors = [Weight('unsold', F(900)), *roll(3, 100, 'o')]
    r = tally(ORDINARY, ballot_type='yes_no', max_choices=1, options=YES_NO, electors=electors,
              ballots=[Cast('unsold', (YES,)), Cast('o0', (NO,)), Cast('o1', (NO,))])
    assert (r.total_heads, r.voted_heads, r.option('yes').heads, r.option('yes').area) == (4, 3, 1, 900)
    assert r.verdict == 'failed'


# ---- 居民会议, 村民会议, 村民代表会议, 村民小组会议: turnout per counting unit ----

@pytest.mark.parametrize(('key', 'counting', 'total', 'present', 'quorate'), [
    ('residents_meeting', 'person', 10, 5, False), ('residents_meeting', 'person', 10, 6, True),
    ('residents_meeting', 'household', 11, 5, False), ('residents_meeting', 'household', 11, 6, True),
    ('villagers_meeting', 'person', 10, 5, False), ('villagers_meeting', 'person', 10, 6, True),
    ('villagers_meeting', 'household', 9, 5, False), ('villagers_meeting', 'household', 9, 6, True),
    ('village_reps', 'person', 15, 9, False), ('village_reps', 'person', 15, 10, True),
    ('village_group', 'person', 30, 19, False), ('village_group', 'person', 30, 20, True),
    ('village_group', 'household', 12, 7, False), ('village_group', 'household', 12, 8, True),
])
def test_meetings_are_quorate_exactly_where_the_organic_laws_say(key, counting, total, present, quorate):
    r = yes_no(rule_of(key, counting=counting), roll(total), yes=present)
    assert r.quorate is quorate and r.area_quorate is None
    assert r.verdict == ('passed' if quorate else 'not_quorate')


def test_villagers_meeting_counts_households_by_two_thirds_but_people_by_more_than_half():
    assert yes_no(rule_of('villagers_meeting', counting='household'), roll(12), yes=7).verdict == 'not_quorate'
    assert yes_no(rule_of('villagers_meeting', counting='person'), roll(12), yes=7).verdict == 'passed'


@pytest.mark.parametrize(('key', 'counting'), [('residents_meeting', 'person'), ('villagers_meeting', 'household'),
                                               ('village_reps', 'person'), ('village_group', 'household')])
@pytest.mark.parametrize(('yes', 'no', 'abstain', 'verdict'), [(5, 3, 2, 'failed'), (6, 2, 2, 'passed'),
                                                               (4, 4, 2, 'tie')])
def test_meetings_decide_by_more_than_half_of_those_present(key, counting, yes, no, abstain, verdict):
    assert yes_no(rule_of(key, counting=counting), roll(12), yes=yes, no=no, abstain=abstain).verdict == verdict


# ---- simple majority and custom fractions ----

def test_simple_majority_has_no_quorum_but_needs_more_than_half_of_those_voting():
    r = yes_no(SIMPLE, roll(100), yes=1)
    assert (r.quorate, r.turnout, r.verdict) == (True, None, 'passed')
    assert r.reasons[0] == '参与表决 1 人（共 100 人），这条规则不要求参与人数'
    assert yes_no(SIMPLE, roll(100), yes=5, no=2, abstain=3).verdict == 'failed'  # 5 of 10 is not more than half


@pytest.mark.parametrize(('turnout', 'present', 'quorate'), [
    (Threshold(F(3, 5), True), 6, False), (Threshold(F(3, 5), True), 7, True),
    (Threshold(F(3, 5), False), 6, True), (Threshold(F(3, 5), False), 5, False), (None, 1, True),
])
def test_custom_turnout_is_strict_only_when_it_says_more_than(turnout, present, quorate):
    rule = custom_rule(turnout=turnout, approval=Threshold(F(1, 2), True), counting='person')
    assert yes_no(rule, roll(10), yes=present).quorate is quorate


@pytest.mark.parametrize(('approval', 'yes', 'no', 'verdict'), [
    (Threshold(F(2, 3), False), 4, 2, 'passed'), (Threshold(F(2, 3), False), 3, 3, 'tie'),
    (Threshold(F(2, 3), True), 4, 2, 'failed'), (Threshold(F(2, 3), True), 5, 1, 'passed'),
    (Threshold(F(1, 2), False), 3, 2, 'passed'), (Threshold(F(1, 2), False), 3, 3, 'tie'),
])
def test_custom_approval_counts_the_boundary_only_for_at_least(approval, yes, no, verdict):
    rule = custom_rule(turnout=None, approval=approval, counting='household')
    assert yes_no(rule, roll(6), yes=yes, no=no).verdict == verdict


def test_a_custom_rule_counted_by_owner_needs_area_as_well():
    rule = custom_rule(turnout=Threshold(F(1, 2), True), approval=Threshold(F(1, 2), True), counting='owner')
    r = yes_no(rule, owners(['300.00', '10.00', '10.00', '10.00']), yes=1, no=2, prefix='o')
    assert (r.by_area, r.quorate, r.verdict) == (True, True, 'failed')  # 300 of 320 m² but 1 of 3 owners


# ---- ties, and what outranks them ----

def test_yes_no_with_equal_for_and_against_is_a_tie_not_a_silent_winner():
    r = yes_no(SIMPLE, roll(10), yes=4, no=4, abstain=2)
    assert r.verdict == 'tie' and not any(o.adopted for o in r.options)
    assert r.reasons[-1] == '赞成和反对一样多，票数相同，未能决出结果'


def test_yes_no_with_everyone_abstaining_is_a_tie_of_nothing_to_nothing():
    assert yes_no(SIMPLE, roll(10), abstain=3).verdict == 'tie'


def test_not_quorate_beats_a_unanimous_yes_and_a_tie():
    rule = rule_of('residents_meeting', counting='person')
    assert yes_no(rule, roll(20), yes=10).verdict == 'not_quorate'
    assert yes_no(rule, roll(20), yes=5, no=5).verdict == 'not_quorate'
    assert not any(o.adopted for o in yes_no(rule, roll(20), yes=10).options)


@pytest.mark.parametrize(('rule', 'electors'), [(ORDINARY, []), (SIMPLE, [])])
def test_nobody_on_the_roll_decides_nothing(rule, electors):
    r = yes_no(rule, electors, yes=3)  # ballots of keys not on the roll are ignored
    assert (r.total_heads, r.voted_heads, r.verdict) == (0, 0, 'not_quorate')
    assert r.reasons[-1] == '名册上没有可以参加表决的人，本次表决无效'


def test_without_a_quorum_rule_a_vote_nobody_took_part_in_is_not_quorate():
    r = yes_no(SIMPLE, roll(10))
    assert r.verdict == 'not_quorate' and r.reasons[-1] == '没有人参加表决，本次表决无效'


def test_ballots_of_keys_off_the_roll_are_ignored_and_a_later_ballot_replaces_an_earlier_one():
    ballots = [Cast('r0', (NO,)), Cast('r0', (YES,)), Cast('r1', (YES, YES)), Cast('x9', (NO,)), Cast('r2', (NO,))]
    r = tally(SIMPLE, ballot_type='yes_no', max_choices=1, options=YES_NO, electors=roll(3), ballots=ballots)
    assert (r.voted_heads, r.option('yes').heads, r.option('no').heads, r.verdict) == (3, 2, 1, 'passed')


# ---- single and multiple choice ----

def choose(ballot_type, k, *groups, rule=SIMPLE, electors=None) -> Result:
    ballots = casts(*groups)
    return tally(rule, ballot_type=ballot_type, max_choices=k, options=ABCD,
                 electors=electors if electors is not None else roll(len(ballots)), ballots=ballots)


def adopted(r: Result) -> set[int]:
    return {o.id for o in r.options if o.adopted}


@pytest.mark.parametrize(('groups', 'verdict', 'won'), [
    (((6, (A,)), (4, (B,))), 'passed', {A}),
    (((5, (A,)), (5, (B,))), 'tie', set()),
    (((5, (A,)), (3, (B,)), (2, (C,))), 'failed', set()),  # the top option has exactly half
    (((4, (A,)), (4, (B,)), (2, (C,))), 'tie', set()),  # equal top, neither with more than half
])
def test_single_choice_passes_only_a_top_option_with_more_than_half_and_equal_top_is_a_tie(groups, verdict, won):
    r = choose('single', 1, *groups)
    assert (r.verdict, adopted(r)) == (verdict, won)


def test_a_single_choice_tie_names_the_options_that_are_level():
    r = choose('single', 1, (4, (A,)), (4, (C,)), (2, (B,)))
    assert r.reasons[-1] == '“甲方案”、“丙方案”票数相同，未能决出结果'


@pytest.mark.parametrize(('groups', 'verdict', 'won'), [
    (((6, (A, B)), (2, (A, C)), (2, (B, C))), 'passed', {A, B}),  # A 8, B 8, C 4
    (((6, (A, B, C)), (2, (A, B)), (2, (D,))), 'passed', {A, B}),  # three meet it; the top two are adopted
    (((6, (A, B, C)), (2, (A,)), (2, (D,))), 'tie', set()),  # A 8, then B 6 = C 6 at second place
    (((6, (A,)), (4, (B, C))), 'passed', {A}),  # only A has more than half
    (((5, (A, B)), (5, (C, D))), 'failed', set()),  # everyone exactly half
])
def test_multiple_choice_adopts_up_to_k_options_with_more_than_half_and_a_kth_place_tie_is_a_tie(
        groups, verdict, won):
    r = choose('multiple', 2, *groups)
    assert (r.verdict, adopted(r)) == (verdict, won)


def test_a_kth_place_tie_names_the_level_options_and_the_place():
    r = choose('multiple', 2, (6, (A, B, C)), (2, (A,)), (2, (D,)))
    assert r.reasons[-1] == '第 2 名有“乙方案”、“丙方案”票数相同，未能决出结果'
    assert r.reasons[1] == '每人最多选 2 项；达到要求的选项中，按票数从多到少最多取 2 项'


def test_options_counted_by_owner_rank_by_head_then_area_and_only_equal_in_both_are_level():
    electors = owners(['100.00'] * 5 + ['60.00'])
    rule = rule_of('simple_majority', counting='owner')
    ballots = [*(Cast(f'o{i}', (A, B)) for i in range(4)), Cast('o4', (A,)), Cast('o5', (B,))]
    r = tally(rule, ballot_type='multiple', max_choices=1, options=ABCD, electors=electors, ballots=ballots)
    assert [(o.heads, o.area) for o in r.options[:2]] == [(5, 500), (5, 460)]
    assert r.verdict == 'passed' and adopted(r) == {A}  # five owners each, but A has the larger area
    level = tally(rule, ballot_type='multiple', max_choices=1, options=ABCD, electors=electors,
                  ballots=[Cast(f'o{i}', (A, B)) for i in range(6)])
    assert level.verdict == 'tie'


# ---- the result as stored at close ----

@pytest.mark.parametrize('result', [
    yes_no(ORDINARY, owners(['73.15'] * 21 + ['80.85'] * 19 + ['80.00'] * 20), yes=21, no=19, prefix='o'),
    yes_no(SIMPLE, roll(10), yes=4, no=4, abstain=2),
    yes_no(ORDINARY, [], yes=0),
    tally(rule_of('custom', counting='owner', custom_turnout=Threshold(F(3, 5), True),
                  custom_approval=Threshold(F(2, 3), False)), ballot_type='multiple', max_choices=2, options=ABCD,
          electors=[Weight('o0', F(1, 3)), Weight('o1', F(200))], ballots=[Cast('o0', (A, B)), Cast('o1', (A,))]),
])
def test_a_result_survives_json_exactly(result):
    stored = json.loads(json.dumps(result.to_json()))
    assert Result.from_json(stored) == result
    assert isinstance(stored['total_area'], str) and '/' in stored['total_area']


def test_reasons_can_be_read_again_in_english_from_the_stored_figures():
    options = (OptionSpec(1, 'Plan A', 'choice'), OptionSpec(2, 'Plan B', 'choice'))
    r = tally(ORDINARY, ballot_type='single', max_choices=1, options=options, electors=roll(6, 50, 'o'),
              ballots=[Cast(f'o{i}', (1 if i < 3 else 2,)) for i in range(4)])
    assert r.verdict == 'passed' and r.reasons == Result.from_json(r.to_json()).explain(lang='zh')
    english = ' '.join(r.explain(lang='en'))
    assert not HAN.search(english), english
    assert 'at least two thirds' in english and '“Plan A”' in english
    cases = (yes_no(ORDINARY, roll(60, 100, 'o'), yes=39, prefix='o'), yes_no(SIMPLE, roll(6), yes=2, no=2),
             yes_no(SIMPLE, roll(6)), yes_no(ORDINARY, owners(['99.99', '100.01', '100.00']), yes=2, prefix='o'),
             choose('multiple', 2, (6, (A, B, C)), (2, (A,)), (2, (D,))), choose('single', 1, (3, (A,)), (1, (B,))))
    for case in cases:
        english = re.sub(r'“[^”]*”', '', ' '.join(case.explain(lang='en')))
        assert not HAN.search(english), english
