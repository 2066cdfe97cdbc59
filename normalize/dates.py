"""Dates as the documents print them: 和暦 (every modern era), abbreviations, Western, mixed, periods.

Own era table rather than a library: the libraries checked (japanera) return several candidate eras
for a boundary day and use retroactive/lunisolar Meiji dates; we need exact day-level boundaries,
the 即日改元 overlap days, and an error (not a guess) for anything outside an era.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from normalize.numbers import parse_int
from normalize.text import normalize_text

DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class DateResult:
    """A parsed date; `value` is the first day of the month/year for month/year precision.

    flags: "era-after-end" (平成32年: converted by convention), "western-and-era-agree",
    "planned" (予定), "approximate" (頃), "year-from-start" / "year-from-default" /
    "year-rolled-over" (a year supplied by context), "end-before-start" (period end).
    error: why there is no value ("no date", "impossible date 2月30日", ...); None when ok.
    """

    value: date | None
    precision: str | None
    flags: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class _Era:
    name: str
    abbr: str
    first_year: int  # Gregorian year of 元年
    start: date  # first day (inclusive)
    end: date | None  # last day (inclusive); the next era may start the same day (即日改元)


# 明治 counts from 明治元年1月1日 (retroactive); days before 明治6年 (1873) are lunisolar, see _GREGORIAN.
_ERAS = (
    _Era("明治", "M", 1868, date(1868, 1, 25), date(1912, 7, 30)),
    _Era("大正", "T", 1912, date(1912, 7, 30), date(1926, 12, 25)),
    _Era("昭和", "S", 1926, date(1926, 12, 25), date(1989, 1, 7)),
    _Era("平成", "H", 1989, date(1989, 1, 8), date(2019, 4, 30)),
    _Era("令和", "R", 2019, date(2019, 5, 1), None),
)
_BY_NAME = {e.name: e for e in _ERAS} | {e.abbr: e for e in _ERAS} | {e.abbr.lower(): e for e in _ERAS}
_GREGORIAN = date(1873, 1, 1)  # Japan adopted the Gregorian calendar on 明治6年1月1日
_WEEKDAYS = "月火水木金土日"

_ERA = "(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])"
_N = "[0-9〇一二三四五六七八九十]{1,4}"
_EY = f"(?P<ey>元|{_N})"
_MD = f"(?:(?P<m>{_N})月(?:(?P<d>{_N})日)?)?"
_PATTERNS = (
    # 令和7年2月21日, R7年2月21日, 令和7年（2025年）2月21日, 令和7(2025)年2月
    re.compile(f"{_ERA}{_EY}(?:年(?:\\((?P<wy>\\d{{4}})年?\\))?|\\((?P<wy2>\\d{{4}})年?\\)年){_MD}"),
    # R7.2.21, H27/3/25, 令和7.2
    re.compile(f"{_ERA}{_EY}[./](?P<m>\\d{{1,2}})(?:[./](?P<d>\\d{{1,2}}))?"),
    # 2025年2月20日, 2025年（令和7年）2月20日
    re.compile(f"(?P<wy>\\d{{4}})年(?:\\({_ERA}{_EY}年?\\))?{_MD}"),
    # 2016/9/30, 2025-02-20, 2025.2.20, 2016/9
    re.compile("(?P<wy>\\d{4})(?P<sep>[/.-])(?P<m>\\d{1,2})(?:(?P=sep)(?P<d>\\d{1,2}))?"),
    # 4月15日 (needs a year from context)
    re.compile(f"(?P<m>{_N})月(?P<d>{_N})日"),
)
_SUFFIX = re.compile(
    "(?P<body>.*?)(?:\\((?P<wd>[月火水木金土日])(?:曜日?)?\\))?(?P<approx>頃)?(?:\\(?(?P<plan>予定)\\)?)?[。.]?"
)
_PLACEHOLDERS = frozenset({"", "-", "--", "---", "なし", "無し", "該当なし", "N/A", "n/a"})


def _err(msg: str) -> DateResult:
    return DateResult(None, None, (), msg)


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return 1 if s == "元" else parse_int(s)


@lru_cache(maxsize=8192)
def parse_date(s: str, default_year: int | None = None) -> DateResult:
    """Parse one date. A month-day without a year uses `default_year` (flag "year-from-default")."""
    if not isinstance(s, str):
        return _err("no date")
    t = normalize_text(s).replace(" ", "").replace("\n", "")
    if t in _PLACEHOLDERS:
        return _err("no date")
    if "年度" in t:
        return _err(f"fiscal year, not a date: {t}")
    sm = _SUFFIX.fullmatch(t)
    body = sm["body"]
    for pat in _PATTERNS:
        m = pat.fullmatch(body)
        if m:
            break
    else:
        return _err(f"not a date: {t}")
    flags: list[str] = []
    if sm["plan"]:
        flags.append("planned")
    if sm["approx"]:
        flags.append("approximate")
    g = m.groupdict()
    month, day = _num(g.get("m")), _num(g.get("d"))
    if g.get("m") is not None and month is None or g.get("d") is not None and day is None:
        return _err(f"not a date: {t}")
    precision = DAY if day is not None else MONTH if month is not None else YEAR
    era = _BY_NAME[g["era"]] if g.get("era") else None
    wy_text = g.get("wy") or g.get("wy2")
    western = int(wy_text) if wy_text else None
    if pat is _PATTERNS[-1]:  # month-day only
        if default_year is None:
            return _err(f"no year: {t}")
        western = default_year
        flags.append("year-from-default")

    year = western
    if era is not None:
        ey = _num(g["ey"])
        if ey is None or ey == 0:
            return _err(f"impossible era year: {t}")
        year = era.first_year + ey - 1
        if western is not None:
            if western != year:
                return _err(f"era and western year disagree: {era.name}{ey}年 is {year}, not {western}")
            flags.append("western-and-era-agree")
    assert year is not None
    if era is not None and precision != YEAR and year < _GREGORIAN.year:
        return _err(f"lunisolar calendar before 明治6年 (1873): {t}")
    if month is not None and not 1 <= month <= 12:
        return _err(f"impossible date {month}月" + (f"{day}日" if day is not None else ""))
    try:
        value = date(year, month or 1, day or 1)
    except ValueError:
        return _err(f"impossible date {month}月{day}日")
    if era is not None:
        if precision == DAY:
            before = value < era.start
            after = era.end is not None and value > era.end
        elif precision == MONTH:
            before = (year, month) < (era.start.year, era.start.month)
            after = era.end is not None and (year, month) > (era.end.year, era.end.month)
        else:
            before = False
            after = era.end is not None and year > era.end.year
        if before:
            return _err(f"date before the start of {era.name} ({era.start.isoformat()}): {t}")
        if after:
            flags.append("era-after-end")
    if sm["wd"]:
        if precision != DAY:
            return _err(f"weekday without a day: {t}")
        if _WEEKDAYS[value.weekday()] != sm["wd"]:
            return _err(f"weekday ({sm['wd']}) disagrees with {value.isoformat()} ({_WEEKDAYS[value.weekday()]})")
    return DateResult(value, precision, tuple(flags), None)


def _has_year(t: str) -> bool:
    return bool(re.search(r"年|\d{4}[/.-]|[MTSHRmtshr]\d", t))


def _parse_in_context(part: str, start: DateResult | None, default_year: int | None) -> DateResult:
    """Parse `part`; a month-day without a year takes the year of `start`, else `default_year`."""
    if start is not None and start.value is not None and not _has_year(part):
        r = parse_date(part, start.value.year)
        if r.value is None:
            return r
        flags = tuple("year-from-start" if f == "year-from-default" else f for f in r.flags)
        if r.value < start.value and "year-from-start" in flags:
            try:
                rolled = r.value.replace(year=r.value.year + 1)
            except ValueError:  # 2月29日
                return _err(f"impossible date {r.value.month}月{r.value.day}日")
            return DateResult(rolled, r.precision, (*flags, "year-rolled-over"), None)
        return DateResult(r.value, r.precision, flags, None)
    return parse_date(part, default_year)


# a dash between a complete day (and its weekday) and the next date: a range, as "～" is
_DASH_RANGE = re.compile(r"(日(?:\s*\(\s*[月火水木金土日]\s*\))?)\s*[-－ー―‐]\s*(?=令和|平成|昭和|\d)")


def parse_period(s: str, default_year: int | None = None) -> tuple[DateResult, DateResult] | None:
    """Split "A～B" (or "AからBまで") and parse both ends; None unless there is exactly one separator.

    An end without a year takes the start's year (rolled over when it would precede the start);
    a start without a year needs `default_year`. An end before the start is flagged
    "end-before-start" on the end result.
    """
    if not isinstance(s, str):
        return None
    t = normalize_text(s)
    if "~" not in t and t.count("から") == 1:  # 令和7年2月21日から令和7年3月26日まで
        t = t.replace("から", "~")
        t = t[:-2] if t.endswith("まで") else t
    if "~" not in t and len(_DASH_RANGE.findall(t)) == 1:  # 令和4年12月5日(月) - 令和5年1月3日(火)
        t = _DASH_RANGE.sub(r"\1~", t)
    if t.count("~") != 1:
        return None
    a, b = (p.strip() for p in t.split("~"))
    if not a and not b:
        return None
    start = parse_date(a, default_year)
    end = _parse_in_context(b, start, default_year)
    if start.value is not None and end.value is not None and end.value < start.value:
        end = DateResult(end.value, end.precision, (*end.flags, "end-before-start"), None)
    return start, end


_LIST_SPLIT = re.compile(r"[、,;\n]")


def parse_dates(s: str, default_year: int | None = None) -> list[DateResult]:
    """Parse a list such as "平成27年2月27日(金)、平成27年3月25日(水)"; later items may omit the year."""
    if not isinstance(s, str):
        return []
    out: list[DateResult] = []
    prev: DateResult | None = None
    for part in _LIST_SPLIT.split(normalize_text(s)):
        if not part.strip():
            continue
        r = _parse_in_context(part, prev, default_year)
        if r.value is not None:
            prev = r
        out.append(r)
    return out


def era_of(d: date) -> _Era:
    """The era a Gregorian date belongs to (the new era on a 即日改元 day)."""
    for era in reversed(_ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"no era for {d}")


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
STYLES = ("kanji", "gannen", "fullwidth", "abbrev", "weekday", "mixed")


def to_wareki(d: date, style: str = "kanji") -> str:
    """Render a date in 和暦: kanji 令和7年2月21日, gannen 令和元年5月1日, fullwidth 令和７年２月２１日,
    abbrev R7.2.21, weekday 令和7年2月21日（金）, mixed 令和7年（2025年）2月21日."""
    if d < _GREGORIAN:
        raise ValueError(f"{d} is before Japan used the Gregorian calendar (1873-01-01)")
    era = era_of(d)
    y = d.year - era.first_year + 1
    if style == "abbrev":
        return f"{era.abbr}{y}.{d.month}.{d.day}"
    ys = "元" if style == "gannen" and y == 1 else str(y)
    if style == "mixed":
        return f"{era.name}{ys}年（{d.year}年）{d.month}月{d.day}日"
    out = f"{era.name}{ys}年{d.month}月{d.day}日"
    if style == "fullwidth":
        return out.translate(_FULLWIDTH)
    if style == "weekday":
        return f"{out}（{_WEEKDAYS[d.weekday()]}）"
    if style in ("kanji", "gannen"):
        return out
    raise ValueError(f"unknown style {style!r}; one of {STYLES}")


ERA_BOUNDARIES = tuple(
    day for e in _ERAS[1:] for day in (e.start - timedelta(days=1), e.start, e.start + timedelta(days=1))
)
