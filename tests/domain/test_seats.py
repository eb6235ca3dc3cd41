from domain.seats import STAKEHOLDER, TEMPLATES, council_level, missing_seats, seat_kinds, seat_label


def test_community_council_is_four_plus_n() -> None:
    kinds = seat_kinds('community')
    assert [k.label for k in kinds] == ['两委成员', '居（村）民代表', '常住外来人口代表', '社会组织代表', '利益相关方']
    assert kinds[-1] == STAKEHOLDER


def test_city_compound_council_is_five_plus_n() -> None:
    assert [k.label for k in TEMPLATES['compound_city'][1]] == [
        '社区两委', '小区党支部', '业主委员会', '物业服务企业', '社会组织负责人']


def test_village_group_council_is_four_plus_n() -> None:
    assert len(TEMPLATES['compound_village'][1]) == 4


def test_missing_seats_lists_the_fixed_seats_nobody_holds_and_ignores_the_plus_n() -> None:
    assert [k.key for k in missing_seats('community', ['two_committees', 'stakeholder', 'two_committees'])] == [
        'resident_rep', 'tenant_rep', 'social_org']
    assert missing_seats('community', ['two_committees', 'resident_rep', 'tenant_rep', 'social_org']) == []


def test_seat_keys_are_unique_within_a_template() -> None:
    for level in TEMPLATES:
        keys = [k.key for k in seat_kinds(level)]
        assert len(keys) == len(set(keys))


def test_seat_label_falls_back_to_the_key() -> None:
    assert seat_label('compound_city', 'owners_committee') == '业主委员会'
    assert seat_label('compound_city', 'nonsense') == 'nonsense'


def test_the_level_follows_the_place_and_the_kind_of_community() -> None:
    assert council_level(compound=False, village=False) == 'community'
    assert council_level(compound=False, village=True) == 'community'
    assert council_level(compound=True, village=False) == 'compound_city'
    assert council_level(compound=True, village=True) == 'compound_village'
