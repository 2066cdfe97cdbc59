"""normalize.dates: 和暦 at every era boundary, abbreviations, Western, mixed, periods and lists."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.dates import (
    ERA_BOUNDARIES,
    STYLES,
    DateResult,
    parse_date,
    parse_dates,
    parse_period,
    to_wareki,
)

D, M, Y = "day", "month", "year"


def ok(value, precision=D, flags=()):
    return DateResult(value, precision, tuple(flags), None)


@pytest.mark.parametrize(
    "raw, expected",
    [
        # seen in the real documents
        ("令和1年10月16日", ok(date(2019, 10, 16))),
        ("平成２７年６月", ok(date(2015, 6, 1), M)),
        ("平成２７年６月予定", ok(date(2015, 6, 1), M, ["planned"])),
        ("平成２７年１０月予定", ok(date(2015, 10, 1), M, ["planned"])),
        ("2016/9/30", ok(date(2016, 9, 30))),
        ("令和7年（2025年）2月21日（金）", ok(date(2025, 2, 21), D, ["western-and-era-agree"])),
        ("令和7年（2025年）2月20日", ok(date(2025, 2, 20), D, ["western-and-era-agree"])),
        ("R7年2月21日", ok(date(2025, 2, 21))),
        ("R7年12月1日", ok(date(2025, 12, 1))),
        ("R8年3月（予定）", ok(date(2026, 3, 1), M, ["planned"])),
        ("令和8年3月頃", ok(date(2026, 3, 1), M, ["approximate"])),
        ("令和４年１０月", ok(date(2022, 10, 1), M)),
        ("H27.6.4", ok(date(2015, 6, 4))),
        ("R2.2.20", ok(date(2020, 2, 20))),
        ("H27.3.25", ok(date(2015, 3, 25))),
        ("平成27年8月17日", ok(date(2015, 8, 17))),
        ("平成31年1月31日", ok(date(2019, 1, 31))),
        ("平成27年1月15日(木)", ok(date(2015, 1, 15))),
        ("令和元年7月23日", ok(date(2019, 7, 23))),
        ("2015/5/8", ok(date(2015, 5, 8))),
        # other written forms
        ("R7.2.21", ok(date(2025, 2, 21))),
        ("Ｒ７．２．２１", ok(date(2025, 2, 21))),
        ("R元.5.1", ok(date(2019, 5, 1))),
        ("2025年2月20日", ok(date(2025, 2, 20))),
        ("2025-02-20", ok(date(2025, 2, 20))),
        ("2016/9", ok(date(2016, 9, 1), M)),
        ("2025年", ok(date(2025, 1, 1), Y)),
        ("平成27年", ok(date(2015, 1, 1), Y)),
        ("2025年（令和7年）2月20日", ok(date(2025, 2, 20), D, ["western-and-era-agree"])),
        ("令和7(2025)年2月20日", ok(date(2025, 2, 20), D, ["western-and-era-agree"])),
        ("平成二十七年六月四日", ok(date(2015, 6, 4))),
        ("令和 7 年 2 月 21 日 （金曜日）", ok(date(2025, 2, 21))),
        ("令和7年2月21日(金)。", ok(date(2025, 2, 21))),
        # era boundaries, day level
        ("明治45年7月30日", ok(date(1912, 7, 30))),
        ("大正元年7月30日", ok(date(1912, 7, 30))),
        ("大正15年12月25日", ok(date(1926, 12, 25))),
        ("昭和元年12月25日", ok(date(1926, 12, 25))),
        ("昭和64年1月7日", ok(date(1989, 1, 7))),
        ("平成元年1月8日", ok(date(1989, 1, 8))),
        ("平成31年4月30日", ok(date(2019, 4, 30))),
        ("令和元年5月1日", ok(date(2019, 5, 1))),
        ("明治6年1月1日", ok(date(1873, 1, 1))),
        ("明治元年", ok(date(1868, 1, 1), Y)),
        # after an era's end: converted by convention, flagged
        ("平成32年", ok(date(2020, 1, 1), Y, ["era-after-end"])),
        ("平成32年3月31日", ok(date(2020, 3, 31), D, ["era-after-end"])),
        ("平成31年5月1日", ok(date(2019, 5, 1), D, ["era-after-end"])),
        ("平成31年5月", ok(date(2019, 5, 1), M, ["era-after-end"])),
        ("昭和64年1月8日", ok(date(1989, 1, 8), D, ["era-after-end"])),
        ("H32.3.31", ok(date(2020, 3, 31), D, ["era-after-end"])),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw, error",
    [
        ("", "no date"), ("―", "no date"), ("—", "no date"), ("-", "no date"), ("なし", "no date"),
        ("　", "no date"), ("ー", "no date"),
        ("平成27年2月30日", "impossible date 2月30日"),
        ("令和7年2月29日", "impossible date 2月29日"),
        ("令和7年13月1日", "impossible date 13月1日"),
        ("令和7年（2024年）2月20日", "era and western year disagree: 令和7年 is 2025, not 2024"),
        ("令和元年4月30日", "date before the start of 令和 (2019-05-01): 令和元年4月30日"),
        ("平成元年1月7日", "date before the start of 平成 (1989-01-08): 平成元年1月7日"),
        ("大正元年7月29日", "date before the start of 大正 (1912-07-30): 大正元年7月29日"),
        ("昭和元年12月24日", "date before the start of 昭和 (1926-12-25): 昭和元年12月24日"),
        ("令和元年4月", "date before the start of 令和 (2019-05-01): 令和元年4月"),
        ("明治5年12月2日", "lunisolar calendar before 明治6年 (1873): 明治5年12月2日"),
        ("平成0年1月1日", "impossible era year: 平成0年1月1日"),
        ("令和7年2月21日（木）", "weekday (木) disagrees with 2025-02-21 (金)"),
        ("令和7年2月（金）", "weekday without a day: 令和7年2月(金)"),
        ("H30年度", "fiscal year, not a date: H30年度"),
        ("4月15日（水）", "no year: 4月15日(水)"),
        ("平成25年法律第27号", "not a date: 平成25年法律第27号"),
        ("令和7年2月21日から", "not a date: 令和7年2月21日から"),
    ],
)
def test_parse_date_errors(raw, error):
    assert parse_date(raw) == DateResult(None, None, (), error)


def test_month_day_with_default_year():
    assert parse_date("4月15日（水）", default_year=2026) == ok(date(2026, 4, 15), D, ["year-from-default"])
    # the weekday still checks the supplied year
    assert parse_date("4月15日（水）", default_year=2025).error == "weekday (水) disagrees with 2025-04-15 (火)"


_dates = st.dates(min_value=date(1873, 1, 1), max_value=date(2150, 12, 31))


@given(_dates, st.sampled_from(STYLES))
def test_wareki_round_trip(d, style):
    r = parse_date(to_wareki(d, style))
    assert (r.value, r.precision, r.error) == (d, D, None)
    assert "era-after-end" not in r.flags


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("d", ERA_BOUNDARIES)
def test_wareki_round_trip_at_every_era_boundary(d, style):
    r = parse_date(to_wareki(d, style))
    assert (r.value, r.precision, r.error, "era-after-end" in r.flags) == (d, D, None, False)


@pytest.mark.parametrize(
    "d, style, text",
    [
        (date(2025, 2, 21), "kanji", "令和7年2月21日"),
        (date(2019, 5, 1), "kanji", "令和1年5月1日"),
        (date(2019, 5, 1), "gannen", "令和元年5月1日"),
        (date(2019, 4, 30), "gannen", "平成31年4月30日"),
        (date(1989, 1, 7), "kanji", "昭和64年1月7日"),
        (date(1989, 1, 8), "gannen", "平成元年1月8日"),
        (date(1926, 12, 25), "kanji", "昭和1年12月25日"),
        (date(1912, 7, 30), "gannen", "大正元年7月30日"),
        (date(2015, 6, 4), "fullwidth", "平成２７年６月４日"),
        (date(2025, 2, 21), "abbrev", "R7.2.21"),
        (date(2015, 3, 25), "abbrev", "H27.3.25"),
        (date(2025, 2, 21), "weekday", "令和7年2月21日（金）"),
        (date(2025, 2, 21), "mixed", "令和7年（2025年）2月21日"),
    ],
)
def test_to_wareki(d, style, text):
    assert to_wareki(d, style) == text


def test_to_wareki_rejects():
    with pytest.raises(ValueError):
        to_wareki(date(1872, 12, 31), "kanji")
    with pytest.raises(ValueError):
        to_wareki(date(2025, 1, 1), "roman")


def test_era_boundaries_cover_each_change():
    assert date(2019, 4, 30) in ERA_BOUNDARIES and date(2019, 5, 1) in ERA_BOUNDARIES
    assert date(1989, 1, 7) in ERA_BOUNDARIES and date(1989, 1, 8) in ERA_BOUNDARIES
    assert date(1912, 7, 30) - timedelta(days=1) in ERA_BOUNDARIES


def test_period_with_weekdays():
    assert parse_period("平成27年1月15日(木)～平成27年2月13日(金)") == (ok(date(2015, 1, 15)), ok(date(2015, 2, 13)))


def test_period_mixed_era_and_western():
    agree = ["western-and-era-agree"]
    assert parse_period("令和7年（2025年）2月21日（金） ～令和7年（2025年）3月26日（水）") == (
        ok(date(2025, 2, 21), D, agree), ok(date(2025, 3, 26), D, agree))


def test_period_abbreviated():
    assert parse_period("R7年2月21日 ～R7年3月26日") == (ok(date(2025, 2, 21)), ok(date(2025, 3, 26)))
    assert parse_period("R7年12月1日 ～R8年1月5日") == (ok(date(2025, 12, 1)), ok(date(2026, 1, 5)))
    assert parse_period("R8年1月～R8年2月") == (ok(date(2026, 1, 1), M), ok(date(2026, 2, 1), M))


def test_period_without_year_needs_a_reference_year():
    start, end = parse_period("4月15日（水）～5月15日（金）")
    assert start.error == "no year: 4月15日(水)" and end.error == "no year: 5月15日(金)"
    assert parse_period("4月15日（水）～5月15日（金）", default_year=2026) == (
        ok(date(2026, 4, 15), D, ["year-from-default"]), ok(date(2026, 5, 15), D, ["year-from-start"]))


def test_period_end_takes_the_start_year():
    assert parse_period("令和7年2月21日～3月26日") == (ok(date(2025, 2, 21)), ok(date(2025, 3, 26), D, ["year-from-start"]))
    assert parse_period("令和7年12月1日～1月5日")[1] == ok(
        date(2026, 1, 5), D, ["year-from-start", "year-rolled-over"])


def test_period_open_start_and_reversed():
    start, end = parse_period("～R7年3月26日")
    assert start.error == "no date" and end == ok(date(2025, 3, 26))
    assert parse_period("R7年3月26日～R7年2月21日")[1].flags == ("end-before-start",)


@pytest.mark.parametrize("raw", ["令和7年2月21日", "委託事項2～5", "A~B~C", "", "~"])
def test_not_a_period(raw):
    r = parse_period(raw)
    assert r is None or all(x.value is None for x in r)


def test_parse_dates():
    assert parse_dates("平成27年2月27日(金)、平成27年3月25日(水)") == [ok(date(2015, 2, 27)), ok(date(2015, 3, 25))]
    assert parse_dates("令和7年1月31日、2月3日") == [ok(date(2025, 1, 31)), ok(date(2025, 2, 3), D, ["year-from-start"])]
    assert parse_dates("") == []


def test_period_written_with_kara_made():
    assert parse_period("令和7年2月21日から令和7年3月26日まで") == (ok(date(2025, 2, 21)), ok(date(2025, 3, 26)))


def test_period_with_a_dash_between_two_dates():
    # "～" printed or read as a dash (seen on a scan: 令和4年12月5日(月) - 令和5年1月3日(火))
    assert parse_period("令和4年12月5日(月) - 令和5年1月3日(火)") == (ok(date(2022, 12, 5)), ok(date(2023, 1, 3)))
    assert parse_period("令和4年12月5日 ー 令和5年1月3日") == (ok(date(2022, 12, 5)), ok(date(2023, 1, 3)))
    # an ISO date's hyphens are not a range; two dashes are not one range
    assert parse_period("2022-12-05") is None
    assert parse_period("令和4年12月5日 - 令和5年1月3日 - 令和5年2月1日") is None
