"""Converter conventions learned per document from the document's own evidence.

A converter that cannot render a tick writes a marker (the text reader's ⍰, from `<input type="checkbox"/>`)
instead. What the marker means differs from converter to converter, so it is never assumed: it is learned
from the document itself and only where the document can show it.

One convention is learned here: **in a mixed group** (every box bracketed, some holding the marker, all the
others empty `[]`) **the marker stands where the tick stood.** The evidence is the free-text slot the form
prints after an option such as その他 （ … ）: the form fills it when the option is ticked and leaves it empty
otherwise. A mixed group that has such a slot is *consistent* when marker ⇔ slot filled holds for each of
its slots, *contradicting* otherwise. The convention is adopted when at least `MIN_EVIDENCE` mixed groups
are consistent and none contradicts; then every mixed group is read with it and its reason says so.

Groups where the marker cannot discriminate stay unknown: every box carries it (the marker is on all
boxes whatever was ticked), or the boxes have no brackets (the converter replaced the whole box).

A second convention is for plain PDF text dumps without form feeds (learn_pages): the page separator written
as a run of blank lines, adopted only when the dump's own 変更箇所 sheets show it (one sheet heading per page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex

from extract.core.fields import OK, UNDETERMINED, CheckOption, FieldValue
from extract.forms.interpret import longest_option, strip_folded_prefix
from extract.forms.model import CHECKBOX, OPTION_LISTS
from normalize.marks import UNKNOWN_MARK, UNTICKED, fold_value_brackets, is_tick_char, tick_state
from normalize.text import fold_label, join_wrapped, normalize_text

MIN_EVIDENCE = 3  # consistent mixed groups needed before the convention is trusted
_TEXT_METHODS = ("text", "markdown", "html")
# one box: "[ inner ]" or a bare marker, then its label up to the next box
_BOX = regex.compile(r"(?:\[\s*([^\[\]]{0,3}?)\s*\]|(" + UNKNOWN_MARK + r"))\s*([^\[\]" + UNKNOWN_MARK + r"]*)")
_SLOT = regex.compile(r"[(（]\s*(.*?)\s*[)）]", regex.S)  # a free-text slot right after the option's text
_IN_PARENS = regex.compile(r"[(（][^()（）\[\]]*\n[^()（）\[\]]*[)）]")

MIXED, ALL_MARKED, BARE, PLAIN = "mixed", "all-marked", "bare", "plain"


@dataclass(frozen=True, slots=True)
class Box:
    """One printed box of a group: bracketed or a bare marker, its state, its label's free-text slot."""

    bracketed: bool
    marker: bool  # the converter's marker stands in the box
    state: str  # tick_state of the bracket's inner text (unreadable for a marker)
    label: str
    option_no: int | None  # the option the label is; None when it is none of the group's options
    slot: str | None  # text of the （ … ） after the option's own text; "" empty; None when there is none


@dataclass(frozen=True, slots=True)
class Convention:
    """What the document shows its converter's marker means in mixed groups."""

    marker_is_tick: bool
    consistent: tuple[int, ...]  # lines of the mixed groups that agree (marker ⇔ slot filled)
    contradicting: tuple[int, ...]  # lines of the mixed groups that disagree
    mixed: int  # mixed groups in the document

    @property
    def evidence(self) -> str:
        """The evidence, as written into `reason`."""
        n = len(self.consistent) + len(self.contradicting)
        lines = ", ".join(f"l.{ln}" for ln in self.consistent + self.contradicting)
        return f"mixed groups: marker ⇔ その他 text filled in {len(self.consistent)} of {n} ({lines})"


def _one_line(text: str) -> str:
    text = _IN_PARENS.sub(lambda m: join_wrapped(m.group().split("\n")), text)
    return text.replace("\n", " ")


def _option_and_slot(label: str, options: tuple[str, ...]) -> tuple[int | None, str | None]:
    """The option a box's label is (longest folded prefix) and the free-text slot printed after the
    option's own text (その他 （ … ）): "" when empty, None when there is none. A parenthesis that is part of
    the option's text (電子記録媒体（フラッシュメモリを除く。）) is no slot."""
    best = longest_option(label, options)
    if best is None:
        return None, None
    rest = strip_folded_prefix(label, fold_label(options[best - 1]))
    m = _SLOT.match(rest)
    return best, (m.group(1).strip() if m else None)


def boxes_of(raw: str, options: tuple[str, ...]) -> list[Box]:
    """The boxes printed in a checkbox group's raw text, in order, each with its option number."""
    text = _one_line(fold_value_brackets(normalize_text(raw)))
    out = []
    for m in _BOX.finditer(text):
        label = m.group(3).strip()
        if not label:
            continue
        bracketed = m.group(2) is None
        inner = m.group(1) if bracketed else UNKNOWN_MARK
        n, slot = _option_and_slot(label, options)
        out.append(Box(bracketed, UNKNOWN_MARK in inner, tick_state(inner), label, n, slot))
    return out


def group_shape(boxes: list[Box]) -> str:
    """mixed (all bracketed, markers and empty boxes only, both present), all-marked, bare, or plain."""
    if not any(b.marker for b in boxes):
        return PLAIN
    if not all(b.bracketed for b in boxes):
        return BARE
    if all(b.marker for b in boxes):
        return ALL_MARKED
    if all(b.marker or b.state == UNTICKED for b in boxes):
        return MIXED
    return PLAIN  # a real tick next to a marker: the marker's meaning is not this convention's


def _slot_agreement(boxes: list[Box]) -> bool | None:
    """True when marker ⇔ slot filled holds for every box with a slot, False when it fails for one,
    None when the group has no slot (no evidence)."""
    slotted = [b for b in boxes if b.slot is not None]
    if not slotted:
        return None
    return all(b.marker == bool(b.slot) for b in slotted)


def _is_converter_group(fv: FieldValue) -> bool:
    return (fv.kind == CHECKBOX and fv.scale in OPTION_LISTS and fv.evidence is not None
            and fv.evidence.method in _TEXT_METHODS)


def _boxes(fv: FieldValue) -> list[Box]:
    return boxes_of(fv.raw, OPTION_LISTS[fv.scale].options)


def learn(fields: list[FieldValue]) -> Convention:
    """The document's marker convention, from its checkbox groups (fields read from converter text)."""
    consistent, contradicting, mixed = [], [], 0
    for fv in fields:
        if not _is_converter_group(fv):
            continue
        boxes = _boxes(fv)
        if group_shape(boxes) != MIXED:
            continue
        mixed += 1
        agree = _slot_agreement(boxes)
        line = fv.evidence.line or 0
        if agree is True:
            consistent.append(line)
        elif agree is False:
            contradicting.append(line)
    adopted = len(consistent) >= MIN_EVIDENCE and not contradicting
    return Convention(adopted, tuple(consistent), tuple(contradicting), mixed)


def _why_not(conv: Convention) -> str:
    if conv.contradicting:
        return f"contradicting evidence, {conv.evidence}"
    return f"too little evidence (fewer than {MIN_EVIDENCE} groups), {conv.evidence}"


def apply(fields: list[FieldValue], conv: Convention | None = None) -> list[FieldValue]:
    """Fields with the learned convention applied to the mixed groups whose ticks were unknown; every
    other field unchanged. Groups the marker cannot discriminate keep their reason, with why."""
    conv = conv or learn(fields)
    out = []
    for fv in fields:
        if not (_is_converter_group(fv) and fv.status == UNDETERMINED and (fv.reason or "").startswith("tick-unknown")):
            out.append(fv)
            continue
        boxes = _boxes(fv)
        shape = group_shape(boxes)
        if shape == ALL_MARKED:
            out.append(replace(fv, reason=fv.reason + " (every box carries the converter's marker: it cannot tell"
                                                        " ticked from unticked)"))
        elif shape == BARE:
            out.append(replace(fv, reason=fv.reason + " (the converter replaced the boxes: no bracket is left to"
                                                        " compare)"))
        elif shape == MIXED and not conv.marker_is_tick:
            out.append(replace(fv, reason=fv.reason + f" (mixed group, convention not adopted: {_why_not(conv)})"))
        elif shape == MIXED:
            out.append(_read_mixed(fv, boxes, conv))
        else:
            out.append(fv)
    return out


def _read_mixed(fv: FieldValue, boxes: list[Box], conv: Convention) -> FieldValue:
    """A mixed group read with the adopted convention: the marked boxes ticked, the empty ones not; only
    when its boxes are the group's options one to one."""
    options = OPTION_LISTS[fv.scale].options
    numbers = [b.option_no for b in boxes]
    if sorted(n for n in numbers if n is not None) != list(range(1, len(options) + 1)):
        return replace(fv, reason=fv.reason + " (mixed group, but its boxes are not the options one to one)")
    by_no = {b.option_no: b for b in boxes}
    opts = [CheckOption(label, n, by_no[n].marker, (by_no[n].slot or None) if by_no[n].marker else None)
            for n, label in enumerate(options, start=1)]
    return replace(fv, options=opts, status=OK, value_text="、".join(o.label for o in opts if o.checked),
                   reason=f"converter convention: the marker stands where the tick stood ({conv.evidence})")


__all__ = ["Box", "Convention", "boxes_of", "group_shape", "learn", "apply", "MIN_EVIDENCE"]


# ---------------------------------------------------------------- page breaks of a plain text dump
PAGE_GAP = 4  # three blank lines or more between two printed lines
_WHOLE_BOX = regex.compile(r"\[\s*(\S)\s*\]")


def _tick_glyph(c: str) -> bool:
    """A tick mark (normalize.marks) that is no letter: レ also spells words (レベル), a loose one is no tick."""
    return is_tick_char(c) and not c.isalpha()


@dataclass(frozen=True, slots=True)
class Pages:
    """The pages of a plain text dump, learned from the dump itself (see learn_pages)."""

    page: tuple[int, ...]  # page number (from 0) of each printed line, in order
    breaks: int
    sheets: int  # 変更箇所 pages that each hold one sheet heading: the evidence
    reason: str


def learn_pages(line_numbers: Sequence[int], texts: Sequence[str], sheet_heading: str,
                first_sheet: int) -> Pages | None:
    """Page breaks of a text dump whose page separator was replaced by blank lines (a PDF text layer saved
    without form feeds): a page break is a run of at least three blank lines (PAGE_GAP) between two printed
    lines. Learned only from the document's own evidence, never assumed:

    - the separator is unambiguous: no run of exactly two blank lines (one blank line separates lines, a
      wrapped paragraph none), and at least MIN_EVIDENCE such runs;
    - the 変更箇所 sheets after the body print their heading ("（別添２）変更箇所") once per page: every page
      from the one holding the first sheet line (`first_sheet`, an index into the lines) to the end holds
      exactly one line that is that heading, and there are at least MIN_EVIDENCE such pages.

    Whatever the scrambling inside a page, a page's text is one run of the dump: a tick glyph printed on a
    page is in that page's text. None when the evidence is missing or contradicts (no page is then known)."""
    if len(line_numbers) != len(texts) or not line_numbers:
        return None
    gaps = [b - a for a, b in zip(line_numbers, line_numbers[1:])]
    if PAGE_GAP - 1 in gaps:
        return None
    page, n = [0], 0
    for g in gaps:
        n += g >= PAGE_GAP
        page.append(n)
    if n < MIN_EVIDENCE or not 0 <= first_sheet < len(texts):
        return None
    head = fold_label(sheet_heading)
    heads = [i for i, t in enumerate(texts) if fold_label(t).endswith(head) and len(fold_label(t)) <= len(head) + 8]
    sheet_pages = range(page[first_sheet], n + 1)
    per_page = [sum(1 for i in heads if page[i] == p) for p in sheet_pages]
    if len(per_page) < MIN_EVIDENCE or any(c != 1 for c in per_page):
        return None
    return Pages(tuple(page), n, len(per_page),
                 f"pages: {n} runs of three blank lines or more; each of the {len(per_page)} {sheet_heading} pages "
                 f"after the body holds its heading once")


def loose_ticks(texts: Sequence[str]) -> int:
    """Tick glyphs of a page's lines that are not inside a whole box on one line ("[ ○ ]"): a lone "○", a
    "[ ○" whose "]" is on another line, "○ ] label", a mark after a label. A box whose brackets were split
    apart can only be ticked where such a glyph exists on its page."""
    def loose(t: str) -> str:
        return _WHOLE_BOX.sub(lambda m: "" if _tick_glyph(m.group(1)) else m.group(0), t)

    return sum(sum(1 for c in loose(t) if _tick_glyph(c)) for t in texts)
