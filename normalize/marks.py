"""Tick marks inside checkbox brackets: ticked, unticked, or unreadable (never guessed)."""

from __future__ import annotations

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
