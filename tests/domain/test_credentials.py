"""PIN and password rules, and the only places a sign-in may continue to."""
import pytest

from domain import credentials


@pytest.mark.parametrize('pin', ['000000', '111111', '999999', '123456', '234567', '654321', '987654',
                                 '012345', '121212', '123123', '909090'])
def test_trivial_pins_are_refused(pin: str) -> None:
    assert credentials.pin_problem(pin) is not None


@pytest.mark.parametrize('pin', ['12345', '1234567', '12a456', ' 48271', '４８２７１９', '', None, 482719])
def test_a_pin_is_exactly_six_ascii_digits(pin: object) -> None:
    assert credentials.pin_problem(pin) == '数字密码应为 6 位数字'


def test_an_ordinary_pin_is_accepted() -> None:
    assert credentials.pin_problem('482719') is None
    assert credentials.pin_format_ok('482719')


def test_the_last_six_digits_of_the_phone_are_refused_as_a_pin() -> None:
    assert credentials.pin_problem('482719', phone='13800482719') is not None
    assert credentials.pin_problem('482719', phone='13800000001') is None


@pytest.mark.parametrize('password', ['short', '1234567', 'aaaaaaaaaa', 'abababab', 'x' * 129, None])
def test_weak_or_absurd_passwords_are_refused(password: object) -> None:
    assert credentials.password_problem(password) is not None


def test_a_password_containing_the_phone_number_is_refused() -> None:
    assert credentials.password_problem('pw13800000001', phone='13800000001') is not None


def test_a_reasonable_password_is_accepted() -> None:
    assert credentials.password_problem('correct horse 42') is None


@pytest.mark.parametrize('value', ['/', '/me', '/admin/residents/3?tab=1', '/issues#top'])
def test_local_paths_are_kept(value: str) -> None:
    assert credentials.safe_next(value) == value


@pytest.mark.parametrize('value', ['//evil.example', '//evil.example/me', '/\\evil.example', 'https://evil.example',
                                   'evil.example', 'javascript:alert(1)', '', None, '/me\n', '/' + 'a' * 300,
                                   '\\\\evil.example'])
def test_anything_that_could_leave_the_site_becomes_home(value: object) -> None:
    assert credentials.safe_next(value) == '/'
