"""Integers written in Arabic digits, kanji numerals, or a mix (１０万, 3千, 1億2千万)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KANJI_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "三": 3, "参": 3, "參": 3,
    "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "千": 1000, "阡": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12}

# An Arabic run: plain digits, or digits grouped by three with , or 、 (1,000 / 1、000).
_ARABIC = re.compile(r"\d{1,3}(?:([,、])\d{3})(?:\1\d{3})*|\d+", re.ASCII)
_TOKEN_CHARS = frozenset("0123456789,、") | _KANJI_DIGITS.keys() | _SMALL_UNITS.keys() | _BIG_UNITS.keys()


def _tokens(s: str) -> list[tuple[str, int]] | None:
    """Split into ("arabic"|"kanji"|"small"|"big", value) tokens; None on any other character."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if "0" <= c <= "9":
            m = _ARABIC.match(s, i)
            end = m.end()
            if end < n and (s[end] in ",、" and end + 1 < n and s[end + 1].isdigit() or s[end].isdigit()):
                return None  # bad grouping such as 10,00 or 1,0000
            out.append(("arabic", int(re.sub(r"[,、]", "", m.group()))))
            i = end
        elif c in _KANJI_DIGITS:
            out.append(("kanji", _KANJI_DIGITS[c]))
            i += 1
        elif c in _SMALL_UNITS:
            out.append(("small", _SMALL_UNITS[c]))
            i += 1
        elif c in _BIG_UNITS:
            out.append(("big", _BIG_UNITS[c]))
            i += 1
        else:
            return None
    return out


@lru_cache(maxsize=4096)
def parse_int(s: str) -> int | None:
    """Parse "1,000", "１，０００", "千二百", "二〇二五", "１０万", "3千", "1億2千万" -> int; else None.

    Strict: digit grouping must be by three, units must descend (千 before 百, 億 before 万), and
    the amount after a unit must be smaller than that unit. Never raises.
    """
    if not isinstance(s, str):
        return None
    s = unicodedata.normalize("NFKC", s).strip().replace(" ", "")
    if not s or not _TOKEN_CHARS.issuperset(s):
        return None
    toks = _tokens(s)
    if not toks:
        return None
    total = 0
    section = 0  # amount below the current big unit
    current: int | None = None  # pending number not yet multiplied by a unit
    prev_kind = ""
    last_small = 10**4  # units inside a section must descend
    last_big = 10**16
    for kind, v in toks:
        if kind == "arabic":
            if current is not None:
                return None  # 1二, 12 34
            current = v
        elif kind == "kanji":
            if current is not None:
                if prev_kind != "kanji":
                    return None  # arabic followed by a kanji digit
                current = current * 10 + v  # positional: 二〇二五
            else:
                current = v
        elif kind == "small":
            if v >= last_small:
                return None  # 十百, 百百
            if current is None:
                current = 1  # 十 = 10, 百 = 100
            elif current > 9 or current == 0 or prev_kind == "small":
                return None  # 10百, 〇十
            section += current * v
            last_small = v
            current = None
        else:  # big
            if v >= last_big:
                return None  # 万億, 万万
            if current is not None:
                if section and current >= last_small:
                    return None  # 3千5000万
                section += current
            if section == 0 or total and section * v >= last_big:
                return None  # 万 alone; 1億10000万
            total += section * v
            last_big = v
            section = 0
            current = None
            last_small = 10**4
        prev_kind = kind
    if current is not None:
        if section and current >= last_small:
            return None  # 3千5000
        if total and not section and current >= last_big:
            return None  # 1万20000
        section += current
    if total and section >= last_big:
        return None
    return total + section


def to_kanji(n: int) -> str:
    """Render n >= 0 as kanji numerals: 0 -> 〇, 1234 -> 千二百三十四, 120000000 -> 一億二千万."""
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"to_kanji needs a non-negative int, got {n!r}")
    if n == 0:
        return "〇"
    if n >= 10**16:
        raise ValueError(f"to_kanji supports numbers below 10**16, got {n}")
    digits = "〇一二三四五六七八九"
    out = []
    for unit_value, unit in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        section, n = divmod(n, unit_value)
        if not section:
            continue
        part = ""
        for sv, su in ((1000, "千"), (100, "百"), (10, "十")):
            d, section = divmod(section, sv)
            if d:
                part += ("" if d == 1 else digits[d]) + su
        if section:
            part += digits[section]
        out.append(part + unit)
    return "".join(out)
