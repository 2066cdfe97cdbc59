"""normalize.marks: the tick state inside [ ], as the real documents print it."""

import pytest

from normalize.marks import TICKED, UNKNOWN_MARK, UNREADABLE, UNTICKED, is_tick_char, tick_state


@pytest.mark.parametrize(
    "inner, state",
    [
        # seen in the real documents: [ ○ ], [○], [〇], [ ], [], [　], [　　]
        (" ○ ", TICKED), ("○", TICKED), ("〇", TICKED), (" ", UNTICKED), ("", UNTICKED),
        ("\u3000", UNTICKED), ("\u3000\u3000", UNTICKED),
        # other tick glyphs
        ("◯", TICKED), ("●", TICKED), ("◎", TICKED), ("✓", TICKED), ("✔", TICKED), ("☑", TICKED),
        ("■", TICKED), ("レ", TICKED), ("ﾚ", TICKED),
        # OCR look-alikes of ○
        ("O", TICKED), ("o", TICKED), ("0", TICKED), ("Q", TICKED), ("Ｏ", TICKED), ("  ○  ", TICKED),
        # empty boxes
        ("□", UNTICKED), ("☐", UNTICKED), (" □ ", UNTICKED),
        # lost or unknown
        (UNKNOWN_MARK, UNREADABLE), ('<input type="checkbox"/>', UNREADABLE), ("○○", UNREADABLE),
        ("○ ○", UNREADABLE), ("x", UNREADABLE), ("行っている", UNREADABLE), ("?", UNREADABLE),
    ],
)
def test_tick_state(inner, state):
    assert tick_state(inner) == state


def test_is_tick_char():
    assert all(is_tick_char(c) for c in "○〇◯●◎✓✔☑■レ")
    # OCR look-alikes only count inside a bracket; a free-standing O or 0 is text
    assert not any(is_tick_char(c) for c in "O0oQ□☐ [")
    assert not is_tick_char(UNKNOWN_MARK)


def test_loose_folding_writes_every_bracket_glyph_alone_but_keeps_a_label_note():
    from normalize.marks import fold_value_brackets

    # OCR reads a box's brackets as two kinds ("[ 】", "【 ○ ]"), which pair with nothing: on a scan each glyph
    # is written alone; a text layer's mixed pair is left as printed
    text = "[ 】 電子メール 【 ○ ] 紙 【再掲】 〔 〕"
    assert fold_value_brackets(text, loose=True) == "[ ] 電子メール [ ○ ] 紙 【再掲】 [ ]"
    assert fold_value_brackets(text) == "[ 】 電子メール 【 ○ ] 紙 【再掲】 [ ]"
    assert len(fold_value_brackets(text, loose=True)) == len(text)
