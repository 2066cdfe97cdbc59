"""Text normalization for Japanese form text: NFKC plus the fixes PDF text layers need.

`normalize_text` is the one place where width, radicals, dashes and spaces are folded; tick marks
are left alone (see marks.py) and circled numbers / Roman numerals are kept because item labels
(①, Ⅲ) depend on them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# CJK Radicals Supplement (U+2E80–U+2EFF) -> equivalent unified ideograph. NFKC maps only two of
# them; this table is generated from the Unicode Character Database file
# EquivalentUnifiedIdeograph.txt (Unicode 15.0.0), restricted to that block. Kangxi Radicals
# (U+2F00–U+2FD5) need no table: NFKC maps every one of them.
# fmt: off
_RADICALS_SUPPLEMENT = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182,
    0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F,
    0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3,
    0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x2B739, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C,
    0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD,
    0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA5: 0x722B,
    0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
    0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53,
    0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C,
    0x2EB8: 0x2634B, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
    0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980,
    0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D,
    0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091,
    0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
    0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810,
    0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F,
    0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
# fmt: on

# Characters NFKC would destroy but labels need: circled numbers ①–⑳ and ㉑–㊿ (NFKC: "1".."50")
# and Roman numerals Ⅰ–Ⅻ / ⅰ–ⅻ (NFKC: "I", "III", ...).
_PROTECTED = "".join(
    [chr(c) for c in range(0x2460, 0x2474)]
    + [chr(c) for c in range(0x3251, 0x3260)]
    + [chr(c) for c in range(0x32B1, 0x32C0)]
    + [chr(c) for c in range(0x2160, 0x216C)]
    + [chr(c) for c in range(0x2170, 0x217C)]
)
_PROTECTED_SPLIT = re.compile(f"([{_PROTECTED}]+)")
_PROTECTED_SET = frozenset(_PROTECTED)

_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_WAVES = "\u301c\u223c\u3030\u2053\uff5e"  # 〜 ∼ 〰 ⁓ ～
_NEEDS_TRANSLATE = re.compile(f"[\u2e80-\u2eff{_ZERO_WIDTH}{_WAVES}]")
_TRANSLATE = {**_RADICALS_SUPPLEMENT, **{ord(c): None for c in _ZERO_WIDTH}, **{ord(c): "~" for c in _WAVES}}

# Dash look-alikes left after NFKC (it already folds － ｰ ﹣ to - ー -), ー included.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u30fc\ufe58"
_HAS_DASH = re.compile(f"[{_DASHES}]")
_DASH_RUN = re.compile(f"[{_DASHES}]+")
_LONG_LIKE = re.compile("[\u30fc\u2015\u2500\u2501]*")  # ー and the bars that look exactly like it
_SPACES = re.compile(r"[ \t\f\v]+")
_SPACE_AROUND_NL = re.compile(r" ?\n ?")


def _nfkc(s: str) -> str:
    if _PROTECTED_SET.isdisjoint(s):
        return unicodedata.normalize("NFKC", s)
    parts = _PROTECTED_SPLIT.split(s)
    # odd indexes are the protected runs
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def _is_katakana(c: str) -> bool:
    return "\u30a1" <= c <= "\u30fa"  # ァ..ヺ (not ・ U+30FB, not ー U+30FC)


def _dash_run(m: re.Match[str]) -> str:
    """Fold one run of dash look-alikes by what stands before and after it.

    Between katakana (コミュニケ―ション) every dash is the long vowel ー; at the end of a katakana
    word (サーバ―) ー and the bars that look like it are ー; after hiragana ー is kept; anywhere else
    (6－7, J－LIS, a lone ― placeholder) a dash is "-".
    """
    s, run = m.string, m.group()
    before = s[m.start() - 1] if m.start() else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if before == "\n" and m.start() >= 2 and _LONG_LIKE.fullmatch(run):
        # a word wrapped in its cell (ネットワ / ーク): the line break is no word boundary
        before = s[m.start() - 2]
        if _is_katakana(before) and _is_katakana(after):
            return "\u30fc" * len(run)
    if _is_katakana(before):
        if _is_katakana(after):
            return "\u30fc" * len(run)
        n = _LONG_LIKE.match(run).end()
        return "\u30fc" * n + "-" * (len(run) - n)
    if "\u3041" <= before <= "\u3096":  # hiragana: keep a written ー
        n = len(run) - len(run.lstrip("\u30fc"))
        return "\u30fc" * n + "-" * (len(run) - n)
    return "-" * len(run)


@lru_cache(maxsize=1 << 16)
def normalize_text(s: str) -> str:
    """NFKC (keeping ①–⑳, Ⅰ–Ⅻ), radicals -> ideographs, dash/wave/space folding; strips the ends.

    Newlines are kept (spaces next to them dropped); other whitespace runs become one space.
    """
    if s.isascii():
        if "  " in s or "\t" in s or "\f" in s or "\v" in s or " \n" in s or "\n " in s:
            s = _SPACE_AROUND_NL.sub("\n", _SPACES.sub(" ", s))
        return s.strip()
    s = _nfkc(s)
    # NFKC turns a lone ゛/゜ (and ﾞ/ﾟ it cannot compose) into a combining mark; use the spacing one.
    if "\u3099" in s or "\u309a" in s:
        s = s.replace(" \u3099", "\u3099").replace(" \u309a", "\u309a")
        s = s.replace("\u3099", "\u309b").replace("\u309a", "\u309c")
    if _NEEDS_TRANSLATE.search(s):  # str.translate is slow on non-ASCII text: only when needed
        s = s.translate(_TRANSLATE)
    if _HAS_DASH.search(s):
        s = _DASH_RUN.sub(_dash_run, s)
    s = _SPACE_AROUND_NL.sub("\n", _SPACES.sub(" ", s))
    return s.strip()


def _is_latin_or_digit(c: str) -> bool:
    """A character that takes a space between words: ASCII / Latin letters and digits."""
    if c.isascii():
        return c.isalnum()
    if "\u00c0" <= c <= "\u024f":  # Latin-1 supplement letters, Latin Extended-A/B
        return c.isalpha()
    return "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff3a" or "\uff41" <= c <= "\uff5a"


def join_wrapped(lines: Sequence[str]) -> str:
    """Join the lines of a wrapped cell: no space at a CJK break, one space between Latin/digit tokens.

    A break after ASCII , ; : ! ? . followed by a Latin letter (English prose) also gets a space.
    Blank lines are dropped; each line is stripped.
    """
    out: list[str] = []
    prev = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if prev:
            a, b = prev[-1], line[0]
            if _is_latin_or_digit(a) and _is_latin_or_digit(b):
                out.append(" ")
            elif a in ",;:!?." and b.isascii() and b.isalpha():
                out.append(" ")
        out.append(line)
        prev = line
    return "".join(out)


_WS = re.compile(r"\s+")
_LABEL_TAIL = ("※", "【任意】")


@lru_cache(maxsize=1 << 14)
def fold_label(s: str) -> str:
    """Matching key for labels: normalize_text, no whitespace, 、 for commas, no trailing ※ / 【任意】.

    Wording is kept exactly (従業員 vs 従業者, の, typos): aliases belong to the form model.
    """
    s = normalize_text(s)
    if _WS.search(s):  # removing spaces can change a dash's neighbours (ア -ア): normalize again
        s = _WS.sub("", normalize_text(_WS.sub("", s)))
    s = s.replace(",", "、")
    changed = True
    while changed:
        changed = False
        for tail in _LABEL_TAIL:
            if s.endswith(tail):
                s = s[: -len(tail)]
                changed = True
    return s


_ROMAN_CHARS = {chr(0x2160 + i): i + 1 for i in range(12)}
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_ROMAN_ASCII = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def section_numeral(s: str) -> int | None:
    """Section number of a heading token: "Ⅲ", "III", "3", "３" (optionally followed by . or ．) -> 3."""
    t = s.strip().rstrip(".．、 \u3000")
    if not t:
        return None
    if len(t) == 1 and t in _ROMAN_CHARS:
        return _ROMAN_CHARS[t]
    t = t.translate(_FULLWIDTH_ALNUM)  # not NFKC: that would read ① as 1
    if t in _ROMAN_ASCII:
        return _ROMAN_ASCII[t]
    if t.isascii() and t.isdigit() and len(t) <= 3:
        return int(t)
    return None
