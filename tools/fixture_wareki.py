"""和暦 date formatting for the fixture renderer, written independently of normalize/ on purpose:
a bug in the normalizer must not be hidden by the same bug in the fixtures."""

from __future__ import annotations

from datetime import date

_ERAS = (("令和", date(2019, 5, 1), 2018), ("平成", date(1989, 1, 8), 1988))
_WEEKDAYS = "月火水木金土日"
_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def era_of(d: date) -> tuple[str, int]:
    """('令和', 7) for 2025-01-31."""
    for name, start, offset in _ERAS:
        if d >= start:
            return name, d.year - offset
    raise ValueError(f"no era for {d}")


def wareki(d: date, precision: str = "day", *, gannen: bool = False, fullwidth: bool = False,
           weekday: str | None = None) -> str:
    """Format `d` as printed in the forms.

    precision "day" -> 令和7年1月31日, "month" -> 令和7年1月; gannen writes year 1 as 元年;
    fullwidth uses ０-９; weekday "(" or "（" appends the weekday in that bracket style.
    """
    era, year = era_of(d)
    y = "元" if (gannen and year == 1) else str(year)
    s = f"{era}{y}年{d.month}月" + (f"{d.day}日" if precision == "day" else "")
    if weekday and precision == "day":
        close = ")" if weekday == "(" else "）"
        s += f"{weekday}{_WEEKDAYS[d.weekday()]}{close}"
    return s.translate(_FW) if fullwidth else s


def fullwidth_digits(s: str) -> str:
    return s.translate(_FW)
