"""Tick marks inside checkbox brackets: ticked, unticked, or unreadable (never guessed)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TICKED, UNTICKED, UNREADABLE = "ticked", "unticked", "unreadable"
# The text-input reader puts ⍰ where a converter's <input type="checkbox"/> lost the tick state.
UNKNOWN_MARK = "\u2370"

# Glyphs a form uses as a tick: ○ U+25CB, 〇 U+3007 (kanji zero, S3), ◯ U+25EF, ● ◎ ✓ ✔ ☑ ☒ ■ レ.
_TICK_CHARS = frozenset("○〇◯●◎✓✔☑☒■レ")
# What OCR reads a typed ○ as (only accepted alone inside a bracket, never as a free-standing tick).
_OCR_TICKS = frozenset("Oo0Q")
_EMPTY_BOXES = frozenset("□☐")


def is_tick_char(c: str) -> bool:
    """True for a tick glyph (○ 〇 ◯ ● ◎ ✓ ✔ ☑ ☒ ■ レ; half-width ﾚ too). OCR look-alikes (O, 0) are not."""
    return c in _TICK_CHARS or c == "ﾚ"


@lru_cache(maxsize=1024)
def tick_state(inner: str) -> str:
    """State of a checkbox from the text between [ and ]: TICKED, UNTICKED or UNREADABLE.

    Empty, spaces (incl. U+3000), □ or ☐ -> unticked; one tick glyph or OCR look-alike (O o 0 Q),
    possibly with stray spaces -> ticked; ⍰, two marks or any other text -> unreadable.
    """
    t = "".join(unicodedata.normalize("NFKC", inner).split())
    if not t:
        return UNTICKED
    if len(t) == 1:
        if t in _TICK_CHARS or t in _OCR_TICKS:
            return TICKED
        if t in _EMPTY_BOXES:
            return UNTICKED
    return UNREADABLE


# Bracket pairs a form prints around a selected value or a tick box: [ ] (and ［ ］, which NFKC folds
# to it), 【 】, 〔 〕. A pair holding one of the label notes below is part of a label, never a value.
VALUE_BRACKETS = (("[", "]"), ("［", "］"), ("【", "】"), ("〔", "〕"))
LABEL_NOTES = frozenset({"任意", "行政機関等のみ", "再掲"})
_OPENERS = "".join(o for o, _ in VALUE_BRACKETS[1:])
_PAIR = {o: c for o, c in VALUE_BRACKETS}
_ANY_OPEN = re.compile("[" + re.escape(_OPENERS) + "]")


_ANY_BRACKET = re.compile(r"[\[\]［］【】〔〕]")
_CLOSERS = frozenset("]］】〕")


def fold_value_brackets(text: str, loose: bool = False) -> str:
    """Every value bracket pair written "[" … "]", character for character (offsets are kept); a pair
    holding a label note (【任意】, 【行政機関等のみ】) or another bracket is left as it is.

    `loose` (OCR text): every bracket glyph is written "[" or "]" alone, save a label note's pair: OCR reads a
    box's two brackets as different kinds ("[ 】 電子メール", "【 ○ ]"), which pair with nothing."""
    if loose:
        return _fold_loose(text)
    if not _ANY_OPEN.search(text):
        return text
    out = list(text)
    for m in _ANY_OPEN.finditer(text):
        close = text.find(_PAIR[m.group()], m.end())
        if close < 0:
            continue
        inner = text[m.end():close]
        if any(ch in inner for ch in "[]" + _OPENERS) or "".join(inner.split()) in LABEL_NOTES:
            continue
        out[m.start()], out[close] = "[", "]"
    return "".join(out)


def _fold_loose(text: str) -> str:
    out = list(text)
    keep: set[int] = set()
    marks = list(_ANY_BRACKET.finditer(text))
    for a, b in zip(marks, marks[1:]):
        if a.group() not in _CLOSERS and b.group() in _CLOSERS and "".join(text[a.end():b.start()].split()) in LABEL_NOTES:
            keep.update((a.start(), b.start()))
    for m in marks:
        if m.start() not in keep:
            out[m.start()] = "]" if m.group() in _CLOSERS else "["
    return "".join(out)
