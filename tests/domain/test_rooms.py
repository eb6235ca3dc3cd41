from domain.rooms import TypedPlace, natural_key, parse_place


def test_natural_order_compares_numbers_as_numbers() -> None:
    assert sorted(['10栋', '2栋', '1栋'], key=natural_key) == ['1栋', '2栋', '10栋']
    assert sorted(['1001', '201', '102', '商铺1'], key=natural_key) == ['102', '201', '1001', '商铺1']
    assert natural_key('') == ()


def test_typed_addresses_are_read_as_far_as_they_go() -> None:
    compounds = ['嘉明花园', '江景苑']
    assert parse_place('嘉明花园3栋402', compounds) == TypedPlace('嘉明花园', '3栋', '402')
    assert parse_place('江景苑 12 号楼 1101室', compounds) == TypedPlace('江景苑', '12栋', '1101')
    assert parse_place('3栋2单元502', compounds) == TypedPlace(None, '3栋', '502')
    assert parse_place('402', compounds) == TypedPlace(None, None, '402')
    assert parse_place('不知道', compounds) == TypedPlace(None, None, None)
    assert parse_place('', compounds) == TypedPlace()
    assert parse_place(None, compounds) == TypedPlace()
