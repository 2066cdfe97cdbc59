"""normalize.options: exact matching of a selected value against an item's option list."""

import pytest

from normalize.options import OptionMatch, match_option, strip_option_prefix

G_JUBUN = ("特に力を入れている", "十分である", "課題が残されている")
G_OKONAU = ("特に力を入れて行っている", "十分に行っている", "十分に行っていない")
G_SAIITAKU = ("特に力を入れて行っている", "十分に行っている", "十分に行っていない", "再委託していない")
BAND_TAISHO = ("1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上")
B_SHURUI = ("システム用ファイル", "その他の電子ファイル（表計算ファイル等）")


@pytest.mark.parametrize(
    "value, options, expected",
    [
        ("十分である", G_JUBUN, OptionMatch("十分である", 2, 2)),
        (" 十分である ", G_JUBUN, OptionMatch("十分である", 2, 2)),
        ("2） 十分である", G_JUBUN, OptionMatch("十分である", 2, 2)),
        ("２）十分である", G_JUBUN, OptionMatch("十分である", 2, 2)),
        ("2) 十分である", G_JUBUN, OptionMatch("十分である", 2, 2)),
        ("[ 十分である ]", G_JUBUN, OptionMatch("十分である", 2, 2)),
        ("特に力を入れて行っている", G_OKONAU, OptionMatch("特に力を入れて行っている", 1, 1)),
        ("30万人以上", BAND_TAISHO, OptionMatch("30万人以上", 5, 5)),
        ("10万人以上30万人未満", BAND_TAISHO, OptionMatch("10万人以上30万人未満", 4, 4)),
        ("１，０００人未満", BAND_TAISHO, OptionMatch("1,000人未満", 1, 1)),
        ("1,000人以上 1万人未満", BAND_TAISHO, OptionMatch("1,000人以上1万人未満", 2, 2)),
        ("その他の電子ファイル(表計算ファイル等)", B_SHURUI, OptionMatch("その他の電子ファイル（表計算ファイル等）", 2, 2)),
        ("その他の電子ファイル （ 表計算ファイル等 ）", B_SHURUI,
         OptionMatch("その他の電子ファイル（表計算ファイル等）", 2, 2)),
    ],
)
def test_match_option(value, options, expected):
    assert match_option(value, options) == expected


@pytest.mark.parametrize(
    "value, options",
    [
        # the two "special effort" scales are different: never matched to each other
        ("特に力を入れて行っている", G_JUBUN),
        ("特に力を入れている", G_OKONAU),
        # no fuzzy guessing
        ("十分", G_JUBUN),  # a prefix
        ("十分である 課題が残されている", G_JUBUN),  # two options
        ("十分でない", G_JUBUN),
        ("十分に力を入れている", G_JUBUN),  # S2 typo: only an alias may map it
        ("1) 十分である", G_JUBUN),  # the prefix disagrees with the option
        ("2)", G_JUBUN),  # a number alone
        ("", G_JUBUN),
        ("[ ]", G_JUBUN),
        ("30万人", BAND_TAISHO),
    ],
)
def test_no_match(value, options):
    assert match_option(value, options) is None


def test_not_applicable_has_no_level():
    assert match_option("再委託していない", G_SAIITAKU, not_applicable=(4,)) == OptionMatch("再委託していない", 4, None)
    assert match_option("十分に行っている", G_SAIITAKU, not_applicable=(4,)) == OptionMatch("十分に行っている", 2, 2)


def test_aliases_mapping_and_pairs():
    aliases = {"十分に力を入れている": "特に力を入れている"}
    expected = OptionMatch("特に力を入れている", 1, 1)
    assert match_option("十分に力を入れている", G_JUBUN, aliases) == expected
    assert match_option("十分に力を入れている", G_JUBUN, tuple(aliases.items())) == expected
    # an alias is a whole text, not a substring substitution
    assert match_option("十分に力を入れているか", G_JUBUN, aliases) is None
    # an alias to a text that is not an option of this list does nothing
    assert match_option("十分に力を入れている", G_OKONAU, aliases) is None


def test_alias_cannot_shadow_another_option():
    assert match_option("十分である", G_JUBUN, {"十分である": "特に力を入れている"}) is None


def test_duplicate_options_are_ambiguous():
    assert match_option("その他", ("その他", "その他 ")) is None


@pytest.mark.parametrize(
    "raw, expected",
    [("2） 十分である", (2, "十分である")), ("1)制限している", (1, "制限している")), ("１０） 個人番号", (10, "個人番号")),
     ("十分である", (None, "十分である")), (" 1,000人未満 ", (None, "1,000人未満")), ("4情報", (None, "4情報"))],
)
def test_strip_option_prefix(raw, expected):
    assert strip_option_prefix(raw) == expected


def test_digit_grouping_is_a_variant():
    assert match_option("1000人未満", BAND_TAISHO) == OptionMatch("1,000人未満", 1, 1)
    assert match_option("1,000人以上1万人未満", BAND_TAISHO).number == 2
    assert match_option("100人未満", BAND_TAISHO) is None
