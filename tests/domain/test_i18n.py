"""The English catalogue covers every Chinese string the code shows, and translation fills parameters."""
import re
from pathlib import Path

from domain.i18n import catalogue, t

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ('pages', 'components', 'services', 'domain') for p in (ROOT / d).rglob('*.py')
           if 'locale_en' not in p.parts] + [ROOT / 'main.py']
LITERAL = r"""(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")"""
CALLS = [re.compile(r'(?<![\w.])t\(\s*' + LITERAL), re.compile(r'DomainError\(\s*' + LITERAL + r'\s*,\s*' + LITERAL)]
HAN = re.compile(r'[\u4e00-\u9fff]')


def _shown_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in SOURCES:
        text = path.read_text(encoding='utf-8')
        for pattern in CALLS:
            for match in pattern.finditer(text):
                groups = [g for g in match.groups() if g is not None]
                literal = groups[-1]
                if HAN.search(literal):
                    found.setdefault(literal.encode().decode('unicode_escape').encode('latin-1').decode('utf-8')
                                     if '\\' in literal else literal, f'{path.relative_to(ROOT)}')
    return found


def test_every_chinese_string_shown_through_t_or_a_domain_error_has_an_english_entry() -> None:
    shown = _shown_strings()
    assert len(shown) > 20, 'the scan found too little: the pattern is broken'
    missing = {text: where for text, where in shown.items() if text not in catalogue()}
    assert not missing, f'{len(missing)} strings lack English: ' + '; '.join(f'{w}: {s}' for s, w in missing.items())


def test_english_entries_keep_the_same_named_parameters() -> None:
    param = re.compile(r'\{(\w+)\}')
    wrong = {zh: en for zh, en in catalogue().items() if set(param.findall(zh)) != set(param.findall(en))}
    assert not wrong


def test_chinese_is_the_default_and_english_is_looked_up_with_parameters() -> None:
    assert t('{name}，您好', name='张桂兰') == '张桂兰，您好'
    assert t('{name}，您好', lang='en', name='Zhang') == 'Hello, Zhang'
    assert t('一个没有翻译的句子', lang='en') == '一个没有翻译的句子'
