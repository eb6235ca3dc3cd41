"""domain.votes: the state table, what a vote may be defined as, a ballot's choices, adults, receipts, phases."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction as F

import pytest

from domain import votes
from domain.errors import DomainError
from domain.i18n import catalogue
from domain.tally import Threshold
from domain.votes import Definition, VoteState, check_choices, check_definition, is_adult, new_receipt, phase

OPENS = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=3)


def definition(**overrides) -> Definition:
    values = dict(title='  加装电梯  ', description=' 3栋加装电梯，费用按楼层分摊 ', ballot_type='yes_no', options=(),
                  max_choices=1, electorate='community', counting='person', rule='simple_majority',
                  custom_turnout=None, custom_approval=None, channels=frozenset({'online'}), max_principals=3,
                  results_live=True, secret=False, allow_change=False, opens_at=OPENS, closes_at=CLOSES,
                  publicity_days=7)
    return Definition(**(values | overrides))


def refusal(**overrides) -> str | None:
    try:
        check_definition(definition(**overrides))
    except DomainError as e:
        assert e.message and re.search(r'[\u4e00-\u9fff]', e.message)
        return e.code
    return None


# ---- states and labels ----

def test_vote_states_are_the_stored_values_with_chinese_labels():
    assert {s.value: s.label for s in VoteState} == {
        'draft': '草稿', 'open': '表决中', 'closed': '公示中', 'final': '已生效', 'cancelled': '已取消',
        'annulled': '已作废'}
    assert VoteState('closed') == 'closed' and VoteState.CLOSED.label == '公示中'


@pytest.mark.parametrize(('current', 'target'), [('draft', 'open'), ('draft', 'cancelled'), ('open', 'closed'),
                                                 ('open', 'cancelled'), ('closed', 'final'), ('closed', 'annulled')])
def test_a_vote_moves_along_the_table(current, target):
    votes.check_move(current, target)


@pytest.mark.parametrize(('current', 'target'), [('draft', 'closed'), ('open', 'draft'), ('closed', 'open'),
                                                 ('final', 'annulled'), ('cancelled', 'open'), ('annulled', 'final'),
                                                 ('closed', 'cancelled'), ('nonsense', 'open')])
def test_a_move_the_table_lacks_is_refused_in_words(current, target):
    with pytest.raises(DomainError) as e:
        votes.check_move(current, target)
    assert e.value.code == 'illegal_move' and '不能改为' in e.value.message


def test_every_state_is_in_the_table_and_every_target_is_a_state():
    assert set(votes.MOVES) == {s.value for s in VoteState}
    assert all(targets <= set(votes.MOVES) for targets in votes.MOVES.values())
    assert not votes.MOVES['final'] and not votes.MOVES['cancelled'] and not votes.MOVES['annulled']


def test_the_shared_label_tables_are_the_agreed_ones_and_have_english():
    assert votes.BALLOT_TYPES == {'yes_no': '赞成/反对/弃权', 'single': '单选', 'multiple': '多选'}
    assert votes.ELECTORATES == {'community': '全社区', 'places': '指定小区或楼栋', 'body': '居民代表'}
    assert votes.COUNTINGS == {'person': '按人', 'household': '按户（一户一票）', 'owner': '按业主人数和专有面积'}
    assert votes.CHANNELS == {'online': '手机投票', 'onsite': '现场投票', 'paper': '纸质选票', 'proxy': '委托投票'}
    assert votes.VERDICTS == {'passed': '通过', 'failed': '未通过', 'not_quorate': '参与不足，表决无效',
                              'tie': '票数相同，未能决出'}
    assert votes.YES_NO == (('yes', '赞成'), ('no', '反对'), ('abstain', '弃权'))
    labels = [*votes.BALLOT_TYPES.values(), *votes.ELECTORATES.values(), *votes.COUNTINGS.values(),
              *votes.CHANNELS.values(), *votes.VERDICTS.values(), *(label for _, label in votes.YES_NO),
              *votes.PHASES.values(), *votes.STATES.values()]
    assert [label for label in labels if label not in catalogue()] == []


# ---- the definition ----

def test_a_good_definition_comes_back_trimmed_with_yes_no_options_left_to_the_ballot():
    d = check_definition(definition(options=('多余',), max_choices=4))
    assert (d.title, d.description, d.options, d.max_choices) == ('加装电梯', '3栋加装电梯，费用按楼层分摊', (), 1)
    assert d.channels == frozenset({'online'}) and d.custom_turnout is None


def test_a_multiple_choice_definition_keeps_its_trimmed_options_and_k():
    d = check_definition(definition(ballot_type='multiple', options=(' 种树 ', '修路', '装路灯'), max_choices=2))
    assert (d.options, d.max_choices) == (('种树', '修路', '装路灯'), 2)
    single = check_definition(definition(ballot_type='single', options=('甲', '乙'), max_choices=2))
    assert single.max_choices == 1


def test_a_custom_rule_keeps_its_exact_fractions_and_presets_drop_stray_ones():
    turnout, approval = Threshold(F(3, 5), True), Threshold(F(2, 3), False)
    d = check_definition(definition(rule='custom', custom_turnout=turnout, custom_approval=approval))
    assert (d.custom_turnout, d.custom_approval) == (turnout, approval)
    assert check_definition(definition(rule='custom', custom_approval=approval)).custom_turnout is None
    preset = check_definition(definition(custom_turnout=turnout, custom_approval=approval))
    assert (preset.custom_turnout, preset.custom_approval) == (None, None)


@pytest.mark.parametrize(('rule', 'counting', 'electorate'), [
    ('civil_278', 'owner', 'community'), ('civil_278_major', 'owner', 'places'),
    ('residents_meeting', 'person', 'community'), ('residents_meeting', 'household', 'places'),
    ('residents_meeting', 'person', 'body'), ('villagers_meeting', 'household', 'community'),
    ('village_reps', 'person', 'body'), ('village_group', 'person', 'places'),
    ('simple_majority', 'owner', 'places'), ('simple_majority', 'household', 'community'),
])
def test_each_rule_is_accepted_with_the_counting_the_law_gives_it(rule, counting, electorate):
    assert refusal(rule=rule, counting=counting, electorate=electorate) is None


@pytest.mark.parametrize(('overrides', 'code'), [
    ({'title': '   '}, 'invalid_title'),
    ({'title': '电' * 61}, 'invalid_title'),
    ({'description': '字' * 2001}, 'invalid_description'),
    ({'ballot_type': 'ranked'}, 'unknown_ballot_type'),
    ({'ballot_type': 'single', 'options': ('只有一个',)}, 'too_few_options'),
    ({'ballot_type': 'single', 'options': tuple(f'方案{i}' for i in range(21))}, 'too_many_options'),
    ({'ballot_type': 'single', 'options': ('甲', '  ')}, 'invalid_option'),
    ({'ballot_type': 'single', 'options': ('甲', '长' * 61)}, 'invalid_option'),
    ({'ballot_type': 'single', 'options': ('甲', ' 甲')}, 'invalid_option'),
    ({'ballot_type': 'multiple', 'options': ('甲', '乙', '丙'), 'max_choices': 4}, 'invalid_max_choices'),
    ({'ballot_type': 'multiple', 'options': ('甲', '乙', '丙'), 'max_choices': 0}, 'invalid_max_choices'),
    ({'electorate': 'street'}, 'unknown_electorate'),
    ({'counting': 'family'}, 'unknown_counting'),
    ({'electorate': 'body', 'counting': 'household'}, 'counting_not_allowed'),
    ({'rule': 'majority'}, 'unknown_rule'),
    ({'rule': 'civil_278', 'counting': 'person'}, 'rule_needs_owner'),
    ({'rule': 'civil_278_major', 'counting': 'household'}, 'rule_needs_owner'),
    ({'rule': 'residents_meeting', 'counting': 'owner'}, 'counting_not_allowed'),
    ({'rule': 'village_reps', 'counting': 'person', 'electorate': 'community'}, 'rule_needs_body'),
    ({'rule': 'custom'}, 'invalid_fraction'),
    ({'rule': 'custom', 'custom_approval': Threshold(F(2, 5), False)}, 'invalid_fraction'),
    ({'rule': 'custom', 'custom_approval': Threshold(F(1), True)}, 'invalid_fraction'),
    ({'rule': 'custom', 'custom_approval': Threshold(F(3, 2), False)}, 'invalid_fraction'),
    ({'rule': 'custom', 'custom_approval': Threshold(F(51, 101), False)}, 'invalid_fraction'),
    ({'rule': 'custom', 'custom_approval': Threshold(F(1, 2), True), 'custom_turnout': Threshold(F(0), False)},
     'invalid_fraction'),
    ({'channels': frozenset()}, 'no_channel'),
    ({'channels': frozenset({'online', 'sms'})}, 'unknown_channel'),
    ({'channels': frozenset({'proxy'}), 'max_principals': 0}, 'invalid_principals'),
    ({'channels': frozenset({'proxy'}), 'max_principals': 11}, 'invalid_principals'),
    ({'closes_at': OPENS}, 'invalid_times'),
    ({'closes_at': OPENS - timedelta(hours=1)}, 'invalid_times'),
    ({'closes_at': OPENS + timedelta(minutes=4)}, 'invalid_times'),
    ({'closes_at': OPENS + timedelta(days=91)}, 'invalid_times'),
    ({'closes_at': CLOSES.replace(tzinfo=None)}, 'invalid_times'),
    ({'publicity_days': 0}, 'invalid_publicity'),
    ({'publicity_days': 31}, 'invalid_publicity'),
])
def test_a_definition_that_cannot_be_counted_fairly_is_refused_with_a_reason(overrides, code):
    assert refusal(**overrides) == code


def test_the_shortest_and_longest_allowed_vote_and_publicity_are_accepted():
    assert refusal(closes_at=OPENS + timedelta(minutes=5), publicity_days=1) is None
    assert refusal(closes_at=OPENS + timedelta(days=90), publicity_days=30) is None
    assert refusal(channels=frozenset({'proxy', 'paper'}), max_principals=10) is None


def test_refusal_messages_have_english():
    codes = {}
    for overrides in ({'title': ''}, {'rule': 'civil_278'}, {'rule': 'residents_meeting', 'counting': 'owner'},
                      {'publicity_days': 0}):
        with pytest.raises(DomainError) as e:
            check_definition(definition(**overrides))
        codes[e.value.code] = e.value.template
    assert all(template in catalogue() for template in codes.values())


# ---- a ballot's choices ----

OPTIONS = (101, 102, 103, 104)


@pytest.mark.parametrize(('ballot_type', 'k', 'choices', 'expected'), [
    ('yes_no', 1, [102], (102,)), ('single', 1, [104], (104,)), ('multiple', 3, [104, 101, 102], (101, 102, 104)),
    ('multiple', 3, [103], (103,)),
])
def test_choices_come_back_sorted(ballot_type, k, choices, expected):
    assert check_choices(ballot_type, k, OPTIONS, choices) == expected


@pytest.mark.parametrize(('ballot_type', 'k', 'choices', 'code'), [
    ('yes_no', 1, [], 'no_choice'),
    ('single', 1, [999], 'unknown_option'),  # a forged id
    ('single', 1, ['101'], 'unknown_option'),
    ('single', 1, [True], 'unknown_option'),
    ('multiple', 3, [101, 101], 'duplicate_choice'),
    ('yes_no', 1, [101, 102], 'too_many_choices'),
    ('single', 3, [101, 102], 'too_many_choices'),  # k only matters for multiple choice
    ('multiple', 2, [101, 102, 103], 'too_many_choices'),
])
def test_a_ballot_that_is_not_a_valid_choice_is_refused(ballot_type, k, choices, code):
    with pytest.raises(DomainError) as e:
        check_choices(ballot_type, k, OPTIONS, choices)
    assert e.value.code == code and e.value.template in catalogue()


def test_too_many_choices_says_how_many_are_allowed():
    with pytest.raises(DomainError) as e:
        check_choices('multiple', 2, OPTIONS, [101, 102, 103])
    assert e.value.message == '最多只能选 2 项'


# ---- adults, receipts, phases ----

@pytest.mark.parametrize(('birth_year', 'adult'), [(2008, True), (2009, False), (1950, True), (None, True),
                                                   (2026, False)])
def test_an_adult_is_eighteen_this_year_and_an_unknown_birth_year_counts(birth_year, adult):
    assert is_adult(birth_year, year=2026) is adult


def test_a_receipt_is_two_groups_of_four_without_characters_that_look_alike():
    codes = [new_receipt() for _ in range(3000)]
    assert all(re.fullmatch(r'[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}', code) for code in codes)
    assert not set(''.join(codes)) & set('01OIL')
    assert len(set(codes)) == len(codes)  # about 40 bits each: no repeats in thousands
    assert set(''.join(codes)) - {'-'} == set(votes.RECEIPT_ALPHABET)  # every character is used
    assert all(len(code) == 9 for code in codes)


def test_a_receipt_typed_back_loosely_is_read_as_the_stored_code():
    assert votes.normalise_receipt(' k7q2 9xmp ') == 'K7Q2-9XMP'
    assert votes.normalise_receipt('K7Q2-9XMP') == 'K7Q2-9XMP'
    assert votes.normalise_receipt('k7q') == 'K7Q'


@pytest.mark.parametrize(('state', 'at', 'expected'), [
    ('draft', OPENS, 'draft'),
    ('open', OPENS - timedelta(seconds=1), 'not_started'),
    ('open', OPENS, 'open'),
    ('open', CLOSES - timedelta(seconds=1), 'open'),
    ('open', CLOSES, 'overdue'),
    ('closed', CLOSES, 'closed'), ('final', CLOSES, 'final'), ('cancelled', OPENS, 'cancelled'),
    ('annulled', CLOSES, 'annulled'),
])
def test_the_phase_of_a_vote_follows_its_state_and_the_clock(state, at, expected):
    assert phase(state, OPENS, CLOSES, at) == expected
    assert expected in votes.PHASES


def test_a_definition_is_frozen():
    d = definition()
    with pytest.raises(AttributeError):
        d.title = '改了'  # type: ignore[misc]
    assert replace(d, title='新标题').title == '新标题'
