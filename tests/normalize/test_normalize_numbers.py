"""normalize.numbers: Arabic, kanji and mixed integers; never an exception."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.numbers import parse_int, to_kanji


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,000", 1000), ("１，０００", 1000), ("1、000", 1000), ("1000", 1000), ("0", 0), ("007", 7),
        ("12,345,678", 12345678), (" 57 ", 57), ("５７", 57),
        ("〇", 0), ("零", 0), ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("百十", 110),
        ("千二百三十四", 1234), ("一千", 1000), ("二〇二五", 2025), ("三十一", 31),
        ("壱万弐千", 12000), ("参拾", 30), ("一億二千万", 120000000),
        ("１０万", 100000), ("3千", 3000), ("1億2千万", 120000000), ("1万2,000", 12000),
        ("1,000万", 10000000), ("30万", 300000),
    ],
)
def test_parse_int(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", " ", "abc", "1.5", "-3", "10,00", "1,0000", "1,000,", ",000", "1、2", "万", "十百", "〇十", "10百",
     "1万20000", "5億万", "1億10000万", "1二", "二1", "3千5000", "約100", "100人", None, 12],
)
def test_parse_int_rejects(raw):
    assert parse_int(raw) is None


@pytest.mark.parametrize(
    "n, expected",
    [(0, "〇"), (1, "一"), (10, "十"), (11, "十一"), (110, "百十"), (1234, "千二百三十四"), (10000, "一万"),
     (110000, "十一万"), (120000000, "一億二千万"), (10**12 + 1, "一兆一")],
)
def test_to_kanji(n, expected):
    assert to_kanji(n) == expected


def test_to_kanji_rejects_negative():
    with pytest.raises(ValueError):
        to_kanji(-1)


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_kanji_round_trip(n):
    assert parse_int(to_kanji(n)) == n


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_grouped_arabic_round_trip(n):
    assert parse_int(f"{n:,}") == n
    assert parse_int(f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))) == n


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_mixed_man(a, b):
    text = f"{a}万" + (f"{b:,}" if b else "")
    assert parse_int(text) == a * 10000 + b


@given(st.text(max_size=12))
def test_never_raises(s):
    r = parse_int(s)
    assert r is None or (isinstance(r, int) and r >= 0)
