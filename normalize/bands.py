"""Count bands as the forms print them: "10万人以上30万人未満", "1,000人未満", "1年"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalize.numbers import parse_int
from normalize.text import normalize_text


@dataclass(frozen=True)
class Band:
    """A numeric range with a unit. An exact value ("1年") has lower == upper, both inclusive.

    `note` keeps a printed annotation such as 任意実施 in "1,000人未満（任意実施）" (an option of
    its own in 基礎項目評価), None when there is none.
    """

    lower: int | None
    lower_inclusive: bool
    upper: int | None
    upper_inclusive: bool
    unit: str
    note: str | None = None


_NUM = "[0-9,、〇零一二三四五六七八九十百千万億兆壱弐参拾]+"
# Units a band may carry; a closed list so that 十分である is not "10 分である".
_UNIT = "(?:人|名|項目|件|団体|年間|年|か月|ヶ月|ケ月|カ月|箇月|日|時間|回)"
_LOWER = {"以上": True, "超": False}
_UPPER = {"未満": False, "以下": True}
_BAND = re.compile(
    rf"(?:(?P<lo>{_NUM})(?P<lu>{_UNIT})(?P<lk>以上|超))?"
    rf"(?:(?P<hi>{_NUM})(?P<hu>{_UNIT})(?P<hk>未満|以下))?"
    rf"(?:(?P<ex>{_NUM})(?P<eu>{_UNIT}))?"
    r"(?:\((?P<note>[^()]+)\))?"
)


@lru_cache(maxsize=4096)
def parse_band(s: str) -> Band | None:
    """Parse a band label; None when it is not one (e.g. "定められていない")."""
    if not isinstance(s, str):
        return None
    t = normalize_text(s).replace(" ", "")
    m = _BAND.fullmatch(t)
    if not m or not (m["lk"] or m["hk"] or m["ex"]):
        return None
    note = m["note"]
    if m["ex"]:
        if m["lk"] or m["hk"]:
            return None  # "10人以上20人" is not a band
        n = parse_int(m["ex"])
        return None if n is None else Band(n, True, n, True, m["eu"], note)
    lower = upper = None
    unit = None
    if m["lk"]:
        lower = parse_int(m["lo"])
        unit = m["lu"]
        if lower is None:
            return None
    if m["hk"]:
        upper = parse_int(m["hi"])
        if upper is None or (unit is not None and m["hu"] != unit):
            return None
        unit = m["hu"]
    if lower is not None and upper is not None and lower >= upper:
        return None
    return Band(
        lower,
        bool(m["lk"]) and _LOWER[m["lk"]],
        upper,
        bool(m["hk"]) and _UPPER[m["hk"]],
        unit,
        note,
    )


def _format_number(n: int) -> str:
    """As printed on the forms: 1,000 with a comma; whole 万 / 億 amounts with the unit (1,000万)."""
    if n >= 10**8 and n % 10**8 == 0:
        return f"{n // 10**8:,}億"
    if n >= 10**4 and n % 10**4 == 0:
        return f"{n // 10**4:,}万"
    return f"{n:,}"


def format_band(b: Band) -> str:
    """Canonical form text: "1万人以上10万人未満", "1,000万人以上", "1,000人未満（任意実施）", "1年"."""
    note = f"（{b.note}）" if b.note else ""
    if b.lower is None and b.upper is None:
        raise ValueError(f"band without bounds: {b!r}")
    if b.lower is not None and b.lower == b.upper:
        if not (b.lower_inclusive and b.upper_inclusive):
            raise ValueError(f"empty band: {b!r}")
        return f"{_format_number(b.lower)}{b.unit}{note}"
    out = ""
    if b.lower is not None:
        out += f"{_format_number(b.lower)}{b.unit}{'以上' if b.lower_inclusive else '超'}"
    if b.upper is not None:
        out += f"{_format_number(b.upper)}{b.unit}{'以下' if b.upper_inclusive else '未満'}"
    return out + note
