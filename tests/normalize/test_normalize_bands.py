"""normalize.bands: every band of the form option lists, and format/parse round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.bands import Band, format_band, parse_band

BAND_LISTS = {  # as printed in the forms (shared/reference/pia-forms.md §3.1)
    "TAISHO": ["1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上"],
    "HONNIN": ["1万人未満", "1万人以上10万人未満", "10万人以上100万人未満", "100万人以上1,000万人未満", "1,000万人以上"],
    "STAFF": ["10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満", "500人以上1,000人未満",
              "1,000人以上"],
    "KOMOKU": ["10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上"],
    "TORIATSUKAI": ["500人以上", "500人未満"],
    "HOKAN": ["1年未満", "1年", "2年", "3年", "4年", "5年", "6年以上10年未満", "10年以上20年未満", "20年以上"],
}


@pytest.mark.parametrize(
    "raw, band",
    [
        ("10万人以上30万人未満", Band(100000, True, 300000, False, "人")),
        ("1,000人未満", Band(None, False, 1000, False, "人")),
        ("1,000万人以上", Band(10000000, True, None, False, "人")),
        ("10項目以上50項目未満", Band(10, True, 50, False, "項目")),
        ("10人未満", Band(None, False, 10, False, "人")),
        ("1,000人未満（任意実施）", Band(None, False, 1000, False, "人", "任意実施")),
        ("1,000人未満(任意実施)", Band(None, False, 1000, False, "人", "任意実施")),
        ("500人以上", Band(500, True, None, False, "人")),
        ("1年未満", Band(None, False, 1, False, "年")),
        ("6年以上10年未満", Band(6, True, 10, False, "年")),
        ("1年", Band(1, True, 1, True, "年")),
        ("１万人以上１０万人未満", Band(10000, True, 100000, False, "人")),
        (" 10万人以上 30万人未満 ", Band(100000, True, 300000, False, "人")),
        ("3件超5件以下", Band(3, False, 5, True, "件")),
    ],
)
def test_parse_band(raw, band):
    assert parse_band(raw) == band


@pytest.mark.parametrize(
    "raw", ["定められていない", "", "人以上", "10人以上50項目未満", "50人以上10人未満", "10人以上20人", "十分である",
            "(任意実施)", None],
)
def test_parse_band_rejects(raw):
    assert parse_band(raw) is None


@pytest.mark.parametrize("label", [label for labels in BAND_LISTS.values() for label in labels])
def test_form_labels_round_trip_exactly(label):
    assert format_band(parse_band(label)) == label


def test_bands_of_a_list_are_contiguous():
    for name, labels in BAND_LISTS.items():
        if name in ("TORIATSUKAI", "HOKAN"):
            continue
        bands = [parse_band(x) for x in labels]
        for a, b in zip(bands, bands[1:]):
            assert a.upper == b.lower and not a.upper_inclusive and b.lower_inclusive, name


def test_format_band_kiso_note():
    assert format_band(Band(None, False, 1000, False, "人", "任意実施")) == "1,000人未満（任意実施）"


def test_format_band_rejects_unbounded():
    with pytest.raises(ValueError):
        format_band(Band(None, False, None, False, "人"))


_counts = st.integers(min_value=0, max_value=10**12)
_units = st.sampled_from(["人", "項目", "年", "件"])


@st.composite
def bands(draw):
    unit = draw(_units)
    kind = draw(st.sampled_from(["lower", "upper", "both", "exact"]))
    a, b = sorted(draw(st.lists(_counts, min_size=2, max_size=2, unique=True)))
    if kind == "exact":
        return Band(a, True, a, True, unit)
    lo_inc, hi_inc = draw(st.booleans()), draw(st.booleans())
    if kind == "lower":
        return Band(a, lo_inc, None, False, unit)
    if kind == "upper":
        return Band(None, False, b, hi_inc, unit)
    return Band(a, lo_inc, b, hi_inc, unit)


@given(bands())
def test_band_round_trip(b):
    assert parse_band(format_band(b)) == b
