"""Interpret the value region of one item by its kind: selection, checkbox, flag, date, period, text.

A Region is the list of (segment, normalized text) that followed the item's label. Every function
here returns a FieldValue; when the region does not establish a value the status is undetermined
and the reason starts with a class word (empty, not-in-options, conflict, tick-unknown, not-found,
unparseable) followed by a colon and a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from extract.core.fields import UNDETERMINED, CheckOption, Evidence, FieldValue
from extract.core.segments import Segment
from extract.forms import fuzzy
from extract.forms.model import (
    CHECKBOX,
    DATE,
    DATES,
    FLAG,
    OPTION_LISTS,
    PERIOD,
    SELECTION,
    Form,
    Item,
)
from extract.forms.wording import BLANK_VALUES, OTHER_OPTION
from normalize.dates import parse_date, parse_dates, parse_period
from normalize.marks import TICKED, UNKNOWN_MARK, UNREADABLE, UNTICKED, fold_value_brackets, tick_state
from normalize.options import OptionMatch, match_option
from normalize.text import fold_label, join_wrapped, normalize_text

_DATE_SHAPE = regex.compile(r"\d+\s*年\s*\d+\s*月|\d{4}/\d{1,2}/\d{1,2}")
_AS_OF = regex.compile(r"\s*(時点|現在)\s*$")  # いつ時点の計数か: "令和6年4月1日時点"
_BLANK = BLANK_VALUES
_TEXT_METHODS = ("text", "markdown", "html")


def adjoins(upper: tuple[float, float, float, float], lower: tuple[float, float, float, float]) -> bool:
    """Whether box `lower` is the line right under box `upper`: no line between them (a gap under 0.8 of a
    line, an overlap under 0.3 of one)."""
    h = min(upper[3] - upper[1], lower[3] - lower[1])
    return h > 0 and -0.3 * h <= lower[1] - upper[3] < 0.8 * h


@dataclass(slots=True)
class Region:
    parts: list[tuple[Segment, str]]
    source: str
    label: Segment | None = None  # where the item's label was read (its box counts in `bands`)

    @property
    def text(self) -> str:
        return "\n".join(n for _, n in self.parts if n)

    @property
    def marked(self) -> str:
        """`text` with every value bracket pair (【 】, 〔 〕) written [ ], offsets unchanged (on a scan every
        bracket glyph: normalize.marks.fold_value_brackets, loose)."""
        return fold_value_brackets(self.text, loose=self.from_ocr)

    @property
    def raw(self) -> str:
        return "\n".join(s.text for s, _ in self.parts)

    def evidence(self, index: int | None = None, confidence: float | None = None,
                 value_part: bool = False, self_labelled: bool = False) -> Evidence:
        """Evidence of part `index`. Its `bands` counts the label and every part; the label and that part
        only when `value_part` (a one-part value: the rest of the region, a wrapped option list, is not the
        value); that part alone when `self_labelled` (a box printed with its own label: "[ ] 委託しない")."""
        if not self.parts:
            return Evidence(source=self.source, method="none", confidence=0.0)
        seg = self.parts[index or 0][0]
        conf = seg.confidence if confidence is None else confidence
        if self_labelled:
            bands = self.bands(index or 0, with_label=False)
        else:
            bands = self.bands(index or 0) if value_part else self.bands()
        below = value_part and bands == 2 and self.below(index or 0)
        return Evidence(self.source, seg.page, seg.bbox, seg.line, seg.method, conf, bands, below,
                        cell=seg.row is not None)

    def below(self, index: int) -> bool:
        """Whether part `index` is the line right under the label (no line between: a gap under 0.8 of a
        line) and starts under the label (from half a line left of its start to its end: an indent of any depth
        within the label's width; scan round 7, r17_b03 indents its values 3.3 lines under the label)."""
        if self.label is None or self.label.bbox is None or self.parts[index][0].bbox is None:
            return False
        lab, val = self.label.bbox, self.parts[index][0].bbox
        if self.label.page != self.parts[index][0].page:
            return False
        h = min(lab[3] - lab[1], val[3] - val[1])
        return adjoins(lab, val) and lab[0] - 0.5 * h <= val[0] <= lab[2]

    def bands(self, index: int | None = None, with_label: bool = True) -> int | None:
        """How many horizontal bands the label and the parts (only part `index` when given) fall in (boxes
        that overlap vertically share one); None when a box is missing or they span pages."""
        parts = self.parts if index is None else self.parts[index:index + 1]
        label = [self.label] if self.label is not None and with_label else []
        segs = [s for s, _ in parts] + label
        boxes = [s.bbox for s in segs]
        if not parts or any(b is None for b in boxes) or len({s.page for s in segs}) > 1:
            return None
        spans = sorted((b[1], b[3]) for b in boxes)
        n, (top, bottom) = 1, spans[0]
        for y0, y1 in spans[1:]:
            if min(bottom, y1) - max(top, y0) >= 0.5 * min(y1 - y0, bottom - top):  # half the lower one
                top, bottom = min(top, y0), max(bottom, y1)
            else:
                n, top, bottom = n + 1, y0, y1
        return n

    def index_at(self, offset: int) -> int:
        """Index of the part holding character `offset` of `self.text`."""
        pos = 0
        for i, (_, n) in enumerate(self.parts):
            if not n:
                continue
            pos += len(n) + 1
            if offset < pos:
                return i
        return max(len(self.parts) - 1, 0)

    @property
    def from_ocr(self) -> bool:
        return any(seg.method == "ocr" for seg, _ in self.parts)

    @property
    def from_converter(self) -> bool:
        return bool(self.parts) and self.parts[0][0].method in _TEXT_METHODS


def _base(item: Item, region: Region) -> FieldValue:
    return FieldValue(key=item.key, label=item.label, kind=item.kind, raw=region.raw.strip(),
                      scale=item.options, evidence=region.evidence())


def _undetermined(fv: FieldValue, reason: str) -> FieldValue:
    fv.status, fv.reason = UNDETERMINED, reason
    return fv


def interpret(item: Item, region: Region, form: Form | None = None) -> FieldValue:
    if item.kind == SELECTION:
        return read_selection(item, region)
    if item.kind == CHECKBOX:
        return read_checkbox(item, region)
    if item.kind == FLAG:
        return read_flag(item, region, None, "")
    if item.kind == DATE:
        return read_date(item, region)
    if item.kind in (PERIOD, DATES):
        return read_period(item, region)
    return read_text(item, region)


# ---------------------------------------------------------------- selection
_BRACKETS = regex.compile(r"\[([^\[\]]*)\]")
_OPTION_HEADER = regex.compile(r"<\s*選択肢\s*>")


@lru_cache(maxsize=256)
def _option_list_pattern(options: tuple[str, ...]) -> regex.Pattern:
    """One pattern for the printed 'n) option' entries of a list (spacing between characters free)."""
    entries = []
    for n, opt in enumerate(options, start=1):
        chars = r"\s*".join(regex.escape(ch) for ch in normalize_text(opt) if not ch.isspace())
        entries.append(rf"{n}\s*\)\s*{chars}")
    return regex.compile("|".join(entries))


def _blank(m: regex.Match) -> str:
    return regex.sub(r"[^\n]", " ", m.group(0))


def _strip_option_list(text: str, options: tuple[str, ...]) -> str:
    """Blank out '<選択肢>' and the printed 'n) option' entries of this item's own list, offsets unchanged
    (a value's offset must still name the part it was read from, for its position)."""
    return _option_list_pattern(options).sub(_blank, _OPTION_HEADER.sub(_blank, text))


_STROKE_JUNK = regex.compile(r"[!|！｜]")  # never in an option's text
_NAI_TAIL = regex.compile(r"な[しい1lI]{0,2}$")


def _ocr_option(value: str, olist) -> OptionMatch | None:
    """An OCR-read value that is one option with a misread glyph or two (基礎頂目評価書), clearly closer
    to it than to any other option; a tick look-alike is never an option."""
    if tick_state(value) == TICKED:
        return None
    text, folded = fuzzy.ocr_fold(value), [fuzzy.ocr_fold(o) for o in olist.options]
    # the い of a closing "ない" read as "し1!", "!!", "し", "!い!": only where that spells an option exactly
    nai = _NAI_TAIL.sub("ない", _STROKE_JUNK.sub("", text))
    if nai != text and nai in folded:
        n = folded.index(nai) + 1
        return OptionMatch(olist.options[n - 1], n, None if n in olist.not_applicable else n)
    if sum(f.startswith(text) and f != text for f in folded) >= 2:
        # the start of two options: a value cut short (its line's tail read as a line of its own) cannot be told from
        # one with a glyph lost (scan round 8, r18_b10 Ⅳ 1: "基礎項目評価" of "基礎項目評価書及び重点項目評価書" was
        # taken for 基礎項目評価書)
        return None
    hit = fuzzy.best(text, folded, floor=0.8, margin=0.1, prefix=False)
    if hit is None:  # too close to call on the whole string: the span the two nearest options differ in
        ranked = sorted(range(len(folded)), key=lambda i: -Levenshtein.normalized_similarity(text, folded[i]))
        if len(ranked) < 2:
            return None
        top = Levenshtein.normalized_similarity(text, folded[ranked[0]])
        # a short option with one glyph misread ("要託する", "雪託する" for 委託する: 0.75) is near enough
        # where no third option comes close
        short = Levenshtein.distance(text, folded[ranked[0]]) == 1 and len(folded[ranked[0]]) >= 4 and all(
            Levenshtein.normalized_similarity(text, folded[i]) < top - 0.1 for i in ranked[2:])
        if top < 0.8 and not short:
            return None
        pick = fuzzy.by_differing_span(text, folded[ranked[0]], folded[ranked[1]])
        if pick is None:
            return None
        hit = (ranked[pick], 0.0)
    n = hit[0] + 1
    return OptionMatch(olist.options[n - 1], n, None if n in olist.not_applicable else n)


def _beside_empty_brackets(text: str, options: tuple[str, ...]) -> int | None:
    """Converter output sometimes prints the selected value right beside empty brackets
    ("[] 記録を残している", or the value, then "[" … "]" around the option list). Accept it only when
    exactly one option stands directly before or after the empty brackets."""
    opts = [fold_label(o) for o in options]
    hits = set()
    for m in regex.finditer(r"\[\s*\]", text):
        after, before = fold_label(text[m.end():]), fold_label(text[: m.start()])
        for cand in (after, before):
            best = None
            for n, o in enumerate(opts, start=1):
                if (cand is after and cand.startswith(o)) or (cand is before and cand.endswith(o)):
                    if best is None or len(o) > len(opts[best - 1]):
                        best = n
            if best:
                hits.add(best)
    return hits.pop() if len(hits) == 1 else None


def read_selection(item: Item, region: Region) -> FieldValue:
    fv = _base(item, region)
    olist = OPTION_LISTS[item.options]
    text = _strip_option_list(region.marked, olist.options)
    as_boxes = _selection_as_boxes(fv, olist, text, region)
    if as_boxes is not None:
        return as_boxes
    inners = [(m.group(1).strip(), m.start()) for m in _BRACKETS.finditer(text)]
    filled = [(v, pos) for v, pos in inners if v]
    matches = []
    for v, pos in filled:
        om = match_option(v, olist.options, dict(olist.aliases), olist.not_applicable)
        if om is None and region.from_ocr:
            om = _ocr_option(v, olist)
        matches.append((v, pos, om))
    if not filled:
        if any(UNKNOWN_MARK in v for v, _ in inners) or UNKNOWN_MARK in text:
            return _undetermined(fv, "tick-unknown: the converter lost the marks of this selection")
        beside = _beside_empty_brackets(text, olist.options) if region.from_converter else None
        if beside:
            return _set_option(fv, beside, region, text, confidence=0.7,
                               note="value printed beside its empty brackets by the converter")
        unclosed = _UNCLOSED.search(text) if region.from_ocr and not inners and "]" not in text else None
        if unclosed and tick_state(unclosed.group(1).strip()[:1]) == TICKED:
            # "[ 〇 課題が残されている": a ticked box whose "]" was lost, the selection printed as boxes whose other
            # brackets were misread (scan round 5, r15_a02 Ⅲ 2 at 150 dpi: "1 〇 1ナ分である" above it, two ticked)
            return _undetermined(fv, "tick-unknown: the selection is printed as boxes, not all of them read")
        if unclosed:  # "[ 定めている": OCR lost the closing bracket at the cell's edge
            v = unclosed.group(1).strip()
            om = match_option(v, olist.options, dict(olist.aliases), olist.not_applicable) or _ocr_option(v, olist)
            if om is not None:
                return _set_option(fv, om.number, region, text, confidence=0.7,
                                   note="ocr: the closing bracket was not read")
        loose = _loose_value(region.text, olist) if region.from_ocr and not inners else None
        if loose is not None:  # "( 特に力を入れている ]", "[\n十分である1", "定めている○ ]"
            return _set_option(fv, loose.number, region, text, confidence=0.7,
                               note="ocr: the value's brackets were misread")
        if not inners:
            return _undetermined(fv, "not-found: no [ … ] value after the label")
        return _undetermined(fv, "empty: the brackets are empty")
    distinct = {om.number for _, _, om in matches if om is not None}
    unmatched = [v for v, _, om in matches if om is None]
    if len(distinct) > 1:
        return _undetermined(fv, "conflict: several values in brackets: " + ", ".join(v for v, _ in filled))
    if unmatched and distinct:
        ticks = [v for v in unmatched if tick_state(v) == TICKED]
        if ticks:
            return _undetermined(fv, f"conflict: a value and a tick mark in the brackets ({', '.join(unmatched)})")
        return _undetermined(fv, f"conflict: a listed value and an unlisted one ({', '.join(unmatched)})")
    if unmatched:
        if all(tick_state(v) == TICKED for v in unmatched) and len(unmatched) > 1:
            return _undetermined(fv, "conflict: several tick marks on a single selection")
        return _undetermined(fv, f"not-in-options: 「{unmatched[0]}」 is not an option of {item.options}")
    v, pos, om = matches[0]
    fv.value_text, fv.option_no, fv.level = om.text, om.number, om.level if olist.graded else None
    fv.raw = f"[ {v} ]"
    fv.evidence = region.evidence(region.index_at(pos), value_part=True)
    return fv


_UNCLOSED = regex.compile(r"\[([^\[\]\n]{2,})")  # an opening bracket, the rest of its line (no "]" anywhere)
_LIST_HEADER = regex.compile(r"[<＜〈]\s*\S{1,2}肢")  # "<選択肢>", also misread ("<避択肢>")
_OPEN_LIKE, _CLOSE_LIKE = "[(（|｜【〔「", "])）|｜】〕」1lI!"
_LOOSE = regex.compile(rf"^[{regex.escape(_OPEN_LIKE)}]?\s*(.+?)\s*(?:[○〇o]\s*)?[{regex.escape(_CLOSE_LIKE)}]?$")


def _loose_value(text: str, olist) -> OptionMatch | None:
    """The value of an OCR'd selection whose brackets were read as other glyphs or split over two lines:
    everything before the printed option list, with a bracket look-alike at one end at least, is one
    option once those look-alikes (and a speck ○ before the closing one) are cut off."""
    parts = _LIST_HEADER.split(text, maxsplit=1)
    if len(parts) < 2:
        return None
    value = " ".join(parts[0].split())
    if not value:
        return None
    if value[0] not in _OPEN_LIKE and value[-1] not in _CLOSE_LIKE:
        # both brackets lost (thin strokes a bilevel scan drops: scan round 17, r27_a10): only the text before
        # the list, whole, spelling an option as printed is the value
        return match_option(value, olist.options, dict(olist.aliases), olist.not_applicable)
    m = _LOOSE.match(value)
    if m is None:
        return None
    v = m.group(1)
    return match_option(v, olist.options, dict(olist.aliases), olist.not_applicable) or _ocr_option(v, olist)


def _set_option(fv: FieldValue, number: int, region: Region, text: str, confidence: float, note: str) -> FieldValue:
    olist = OPTION_LISTS[fv.scale]
    fv.value_text, fv.option_no = olist.options[number - 1], number
    fv.level = None if (not olist.graded or number in olist.not_applicable) else number
    idx = region.index_at(max(0, text.find(olist.options[number - 1])))
    fv.evidence = region.evidence(idx, confidence=confidence, value_part=True)
    fv.reason = note
    return fv


# ---------------------------------------------------------------- checkbox
# "[ ○ ] label", "[] label", "⍰ label" (converter lost the box), "○ label" after a lone bracket
_BOX = regex.compile(r"(?:\[\s*([^\[\]]{0,3}?)\s*\]|(" + UNKNOWN_MARK + r"))\s*([^\[\]" + UNKNOWN_MARK + r"]*)")
_PAREN = regex.compile(r"[(（]\s*(.*?)\s*[)）]", regex.S)


def strip_folded_prefix(text: str, folded_prefix: str) -> str:
    """`text` after a prefix given in folded form (fold_label drops spaces and width variants)."""
    n = 0
    for i, ch in enumerate(text):
        if n >= len(folded_prefix):
            return text[i:].strip()
        n += len(fold_label(ch))
    return ""


def longest_option(label_text: str, options: tuple[str, ...]) -> int | None:
    """The number (1-based) of the longest option whose folded text starts the folded label, or None."""
    f = fold_label(label_text)
    best, best_len = None, -1
    for n, opt in enumerate(options, start=1):
        fo = fold_label(opt)
        if f.startswith(fo) and len(fo) > best_len:
            best, best_len = n, len(fo)
    return best


_BRACKET_STROKES = frozenset("1lI|!")  # what OCR makes of a bracket's stem


def option_of(label_text: str, options: tuple[str, ...], ocr: bool = False) -> tuple[int, str | None] | None:
    """Which option a box's label is (longest prefix match on folded text) and its free text:
    the parenthesis after the option text (その他 （ 団体内統合宛名システム ）, 提供を行っている （ 3 ） 件)."""
    f = fold_label(label_text)
    best = longest_option(label_text, options)
    if best is None and ocr and label_text[:1] in _BRACKET_STROKES and longest_option(label_text[1:], options):
        # a bracket's stem read twice, the second glued to the label ("]1その他（団体内統合宛名システム）":
        # scan round 13, r23_b02 p. 5): the label is what follows it
        label_text = label_text[1:].lstrip()
        f, best = fold_label(label_text), longest_option(label_text, options)
    if best is not None and ocr:
        # "その他住民環関係情報": a misread longer option that starts with a shorter one (その他) is not
        # that one; it is the longer option it resembles, or nothing
        fo = fold_label(options[best - 1])
        longer = [n for n, o in enumerate(options, start=1) if n != best and fold_label(o).startswith(fo)]
        after = f[len(fo):]
        if longer and after and not after.startswith(("(", "（")):
            hit = fuzzy.best(fuzzy.ocr_fold(label_text), [fuzzy.ocr_fold(options[n - 1]) for n in longer],
                             floor=0.75)
            if hit is None:
                return None
            best = longer[hit[0]]
    if best is None and ocr:
        hit = fuzzy.best(fuzzy.ocr_fold(label_text), [fuzzy.ocr_fold(o) for o in options], floor=0.75)
        if hit is None:
            return None
        best = hit[0] + 1
    if best is None:
        return None
    rest = strip_folded_prefix(label_text, fold_label(options[best - 1]))
    m = _PAREN.match(rest)
    return best, (m.group(1).strip() or None) if m else None


def option_boxes(text: str, options: tuple[str, ...], ocr: bool = False
           ) -> tuple[dict[int, tuple[str, str | None, int]], list[str]]:
    """Option number -> (tick state, free text, offset) for every "[ mark ] option" in the text, and
    the options printed twice with different marks."""
    states: dict[int, tuple[str, str | None, int]] = {}
    conflicts = []
    found = []
    for m in _BOX.finditer(text):
        inner = m.group(1) if m.group(2) is None else UNKNOWN_MARK
        label = m.group(3).strip()
        if not label:
            continue
        found.append((option_of(label, options, ocr), inner, label, m.start()))
    if ocr:
        found = _by_place(found, options)
    for hit, inner, _label, start in found:
        if hit is None:
            continue
        n, extra = hit
        state = tick_state(inner)
        if n in states and states[n][0] != state:
            conflicts.append(options[n - 1])
        states[n] = (state, extra, start)
    return states, conflicts


_OPEN_BOX_LINE = regex.compile(r"^\s*\[\s*[^\[\]\s]{0,3}\s*$")  # "[ ○" alone on its line, never closed


def unmatched_closes(line: str) -> list[int]:
    """Offsets of the "]" of a line that close no "[" of it (a box whose "[" was pushed to another line)."""
    out, depth = [], 0
    for j, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            if depth:
                depth -= 1
            else:
                out.append(j)
    return out


def reclose_boxes(text: str) -> str:
    """Boxes whose "]" was pushed out of the cell ("[ ○" on its line, the label, then "]" alone or after the
    next box): when the unclosed box lines and the stray "]" pair up one to one, each stray after its box,
    the boxes are closed and the strays dropped; otherwise the text is left as it is (no box is guessed)."""
    lines = text.split("\n")
    opened = [i for i, ln in enumerate(lines) if _OPEN_BOX_LINE.match(ln)]
    if not opened:
        return text
    strays = [(i, j) for i, ln in enumerate(lines) for j in unmatched_closes(ln)]
    if len(strays) != len(opened) or any(line <= box for (line, _), box in zip(strays, opened)):
        return text
    for line, col in reversed(strays):
        lines[line] = lines[line][:col] + lines[line][col + 1:]
    for i in opened:
        lines[i] = lines[i].rstrip() + " ]"
    emptied = {line for line, _ in strays if not lines[line].strip()}
    return "\n".join(ln for i, ln in enumerate(lines) if i not in emptied)


def _by_place(found: list, options: tuple[str, ...]) -> list:
    """Boxes whose OCR-read label matches no option ("[ ] 艇" for 紙, "[ ] 専用勿" for 専用線) are
    identified by their place: the form prints its options in order, so when the recognised boxes
    run in that order, a run of k unrecognised boxes between options a and b stands for the k
    options between a and b, provided exactly k are missing there and each label is about as long
    as its option. Anything else stays unrecognised."""
    numbers = [h[0] for h, *_ in found if h is not None]
    if len(numbers) == len(found) or numbers != sorted(set(numbers)):
        return found
    out = list(found)
    i = 0
    while i < len(found):
        if found[i][0] is not None:
            i += 1
            continue
        j = i
        while j < len(found) and found[j][0] is None:
            j += 1
        lo = found[i - 1][0][0] if i > 0 else 0
        hi = found[j][0][0] if j < len(found) else len(options) + 1
        gap = list(range(lo + 1, hi))
        if len(gap) == j - i:
            for k, n in zip(range(i, j), gap):
                _, inner, label, start = found[k]
                core = regex.split(r"[(（\s]", label, maxsplit=1)[0]
                opt = regex.split(r"[(（]", options[n - 1], maxsplit=1)[0]
                if abs(len(core) - len(opt)) <= max(1, len(opt) // 4):
                    out[k] = ((n, None), inner, label, start)
        i = j
    return out


def _selection_as_boxes(fv: FieldValue, olist, text: str, region: Region) -> FieldValue | None:
    """A selection printed as a list of boxes, one per option ("[ ] 10人未満 [ ○ ] 10人以上50人未満"):
    the value is the single ticked option, provided every printed box is readable."""
    states, conflicts = option_boxes(text.replace("\n", " "), olist.options, region.from_ocr)
    if len(states) < 2:
        return None
    ticked = [n for n, (st, _, _) in states.items() if st == TICKED]
    if conflicts or len(ticked) > 1:
        return _undetermined(fv, "conflict: several options ticked on a single selection")
    if any(st == UNREADABLE for st, _, _ in states.values()):
        return _undetermined(fv, "tick-unknown: a box of this selection is unreadable")
    if not ticked:
        return _undetermined(fv, "empty: no option is ticked")
    n = ticked[0]
    fv.value_text, fv.option_no = olist.options[n - 1], n
    fv.level = n if olist.graded and n not in olist.not_applicable else None
    fv.raw = f"[ ○ ] {olist.options[n - 1]}"
    fv.evidence = region.evidence(region.index_at(states[n][2]))  # every box counts, as for ticks
    return fv


_IN_PARENS = regex.compile(r"[(（][^()（）\[\]]*\n[^()（）\[\]]*[)）]")


def _one_line(text: str) -> str:
    """The region on one line: a parenthesis wrapped over lines (その他 （ 団体内統合宛名システ\nム ）) joined
    as a wrapped cell is (no space at a CJK break), every other line break a space."""
    text = _IN_PARENS.sub(lambda m: join_wrapped(m.group().split("\n")), text)
    return text.replace("\n", " ")


def read_checkbox(item: Item, region: Region) -> FieldValue:
    fv = _base(item, region)
    olist = OPTION_LISTS[item.options]
    marked = region.marked if region.from_ocr else reclose_boxes(region.marked)
    states, conflicts = option_boxes(_one_line(marked), olist.options, region.from_ocr)
    if not states:
        return _undetermined(fv, "not-found: no [ ] boxes with this item's options after the label")
    vanished = region.from_ocr and _other_filled_unticked(states, olist.options)
    if vanished:
        states = {n: (UNREADABLE, extra, at) if state == UNTICKED else (state, extra, at)
                  for n, (state, extra, at) in states.items()}
    opts, unknown, missing = [], [], []
    for n, label in enumerate(olist.options, start=1):
        if n not in states:
            opts.append(CheckOption(label, n, None))
            missing.append(label)
            continue
        state, extra, _ = states[n]
        checked = {TICKED: True, UNTICKED: False}.get(state)
        if checked is None:
            unknown.append(label)
        opts.append(CheckOption(label, n, checked, extra if checked is not False else None))
    # an option printed twice with different marks has no state (the last reading is not the right one)
    opts = [replace(o, checked=None, text=None) if o.label in conflicts else o for o in opts]
    fv.options = opts
    fv.value_text = "、".join(o.label for o in opts if o.checked)
    if conflicts:
        return _undetermined(fv, "conflict: an option is printed twice with different marks: " + "、".join(conflicts))
    if vanished:
        return _undetermined(fv, f"tick-unknown: {OTHER_OPTION} holds a text ({vanished}) but its box read empty, so"
                                 " its mark vanished on the scan, and any other box of the group read empty may have"
                                 " lost its mark too: tick state unknown for " + "、".join(unknown))
    if unknown:
        cls = "tick-unknown" if any(states[n][0] == UNREADABLE for n in states) else "unreadable"
        return _undetermined(fv, f"{cls}: tick state unknown for " + "、".join(unknown))
    if missing:
        return _undetermined(fv, "not-found: options not printed: " + "、".join(missing))
    return fv


def _other_filled_unticked(states: dict[int, tuple[str, str | None, int]], options: tuple[str, ...]) -> str | None:
    """The text of a その他 whose box read empty: the form's slot for what その他 stands for is filled only when it
    is chosen (scan round 13, r23_b02 p. 5: "[ ] その他 （ 団体内統合宛名システム ）" and "[ ] 紙", both ○ lost whole
    to a bilevel threshold of faded toner, both read unticked)."""
    for n, (state, extra, _) in states.items():
        if options[n - 1] == OTHER_OPTION and state == UNTICKED and extra and regex.search(r"[\p{L}\p{N}]", extra):
            return extra
    return None


_PAREN_CLASS = {"(": "[(（]", "（": "[(（]", ")": "[)）]", "）": "[)）]"}


def _flag_label_pattern(label: str) -> str:
    """The flag's label with free white space between its characters: a narrow cell wraps it anywhere
    ("提供・移転しな\nい", "接続しな\nい（提供）")."""
    chars = [_PAREN_CLASS.get(ch, regex.escape(ch)) for ch in normalize_text(label) if not ch.isspace()]
    return r"\s*".join(chars)


def read_flag(item: Item, region: Region, file_no: int | None, path: str, siblings: tuple[str, ...] = ()) -> FieldValue:
    """A heading's flag box ("[ ○ ] 委託しない"). `siblings`: the labels of the heading's other flags, which a box
    read by a misread label must not be taken for (scan round 16, r26_a09 p. 19: 接続しない（入手）'s box was lost,
    and 接続しない（提供）'s, one glyph of OCR away, was read as its)."""
    fv = _base(item, region)
    fv.file_no, fv.section_path = file_no, path
    text = region.marked.replace("\n", " ")
    lab = _flag_label_pattern(item.label)
    ms = list(regex.finditer(rf"\[\s*([^\[\]]{{0,3}}?)\s*\]\s*{lab}", text))
    if not ms and region.from_ocr:
        states, _ = option_boxes(text, (item.label, *(x for x in siblings if x != item.label)), ocr=True)
        if 1 in states:
            state, _, pos = states[1]
            if state == UNREADABLE:
                return _undetermined(fv, "tick-unknown: the box of this flag is unreadable on the scan")
            fv.value_text = item.label if state == TICKED else None
            fv.options = [CheckOption(item.label, 1, state == TICKED)]
            fv.evidence = region.evidence(region.index_at(pos))  # the label may be read by place
            return fv
    if not ms:
        if item.label in text and UNKNOWN_MARK in text:
            return _undetermined(fv, "tick-unknown: the converter lost the mark of this flag")
        return _undetermined(fv, "not-found: the flag box was not found next to the heading")
    states = {tick_state(m.group(1)) for m in ms}
    if len(states) > 1:
        return _undetermined(fv, "conflict: the flag is printed twice with different marks")
    state = states.pop()
    if state == UNREADABLE:
        return _undetermined(fv, f"tick-unknown: unreadable mark 「{ms[0].group(1)}」")
    fv.value_text = item.label if state == TICKED else None
    fv.options = [CheckOption(item.label, 1, state == TICKED)]
    fv.raw = ms[0].group(0)
    fv.evidence = _flag_evidence(region, ms[0].start(), ms[0].end() - 1)
    return fv


def _flag_evidence(region: Region, start: int, last: int) -> Evidence:
    """A flag's box printed on one line with its own label is bound by that label, wherever the heading
    stands (its `bands` count that line alone); a box whose label wrapped counts every part."""
    first = region.index_at(start)
    return region.evidence(first, self_labelled=region.index_at(last) == first)


# ---------------------------------------------------------------- dates, text
def _first_index(region: Region) -> int:
    return next((i for i, (_, n) in enumerate(region.parts) if n.strip()), 0)


def _first_line(region: Region) -> str:
    return region.parts[_first_index(region)][1].strip() if region.parts else ""


_OCR_LEAD = regex.compile(r"^[_'`.・ー\-]+\s*")  # a speck read before a date ("_令和4年…"); "~" is kept


def read_date(item: Item, region: Region) -> FieldValue:
    fv = _base(item, region)
    text = _first_line(region)
    if text in _BLANK:
        return _undetermined(fv, "empty: no date is given")
    fixed = day_fixed = False
    if region.from_ocr:
        text, fixed = fuzzy.fix_era(_OCR_LEAD.sub("", text))
        text, day_fixed = fuzzy.fix_day(text)
    r = parse_date(_AS_OF.sub("", text))
    if r.value is None:
        return _undetermined(fv, f"unparseable: {r.error or 'not a date'}")
    fv.value_date, fv.date_precision = r.value.isoformat(), r.precision
    fv.evidence = region.evidence(_first_index(region), value_part=True)  # the date is its first line
    flags = [*r.flags, *(["ocr-era-read-as-令和"] if fixed else []), *(["ocr-day-glyph-read-as-日"] if day_fixed else [])]
    if flags:
        fv.reason = "flags: " + ",".join(flags)
    return fv


def read_period(item: Item, region: Region) -> FieldValue:
    fv = _base(item, region)
    text = " ".join(n.strip() for _, n in region.parts if n.strip())
    if text in _BLANK:
        return _undetermined(fv, "empty: no date is given")
    if region.from_ocr:
        text, _ = fuzzy.fix_era(_OCR_LEAD.sub("", text))
        text, _ = fuzzy.fix_day(text)
    if item.kind == PERIOD:
        p = parse_period(text)
        if p is None and region.from_ocr:  # "～" lost: two dates with only a space between them
            p = parse_period(_joined_by_space(text))
        if p is None or p[0].value is None:
            r = parse_date(text)
            if r.value is None:
                return _undetermined(fv, "unparseable: not a period")
            fv.value_date, fv.date_precision = r.value.isoformat(), r.precision
            return fv
        start, end = p
        fv.value_date, fv.date_precision = start.value.isoformat(), start.precision
        fv.value_date_end = end.value.isoformat() if end.value else None
        return fv
    parsed = parse_dates(_DATE_LIST_JOIN.sub("、", text))
    ds = [d for d in parsed if d.value is not None]
    if not ds:
        return _undetermined(fv, "unparseable: no date found")
    if len(ds) < max(len(parsed), len(_DATE_SHAPE.findall(text))):  # never a list with a date missing
        return _undetermined(fv, f"unparseable: {len(ds)} of the dates printed could be read")
    fv.value_date, fv.date_precision = ds[0].value.isoformat(), ds[0].precision
    fv.value_date_end = ds[-1].value.isoformat() if len(ds) > 1 else None
    fv.value_text = "、".join(d.value.isoformat() for d in ds)
    return fv


# a list of dates joined by words ("令和6年1月27日(土) 及び 令和6年2月14日(水)"): the words as 、
_DATE_LIST_JOIN = regex.compile(r"(?<=[日月)）])\s*(?:及び|および|並びに|ならびに)\s*(?=(?:令和|平成|昭和)?\s*(?:\d|元))")
_FULL_DATE = regex.compile(r"(?:令和|平成|昭和)\s*(?:\d+|元)\s*年\s*\d+\s*月\s*\d+\s*日(?:\s*\(\s*[月火水木金土日]\s*\))?")


def _joined_by_space(text: str) -> str:
    """"令和2年12月5日(土) 令和3年1月3日(日)" -> "…(土)~令和3年…": two complete dates with only
    white space between them; any other text unchanged."""
    spans = [m.span() for m in _FULL_DATE.finditer(text)]
    if len(spans) == 2 and not text[spans[0][1]:spans[1][0]].strip():
        return text[:spans[0][1]] + "~" + text[spans[1][0]:]
    return text


def read_text(item: Item, region: Region) -> FieldValue:
    fv = _base(item, region)
    text = region.text.strip()
    fv.value_text = text or None
    # the value's first cell, not a speck read after the label ("3. 特定個人情報ファイル名 」")
    first = next((i for i, (_, n) in enumerate(region.parts) if len(regex.findall(r"\p{L}", n)) >= 2), 0)
    # the text is all of the region's parts: it is as sure as its least sure part (a speck read as "海" on
    # a line of its own after the value, scan round 3 r13_b10, must make the whole text weak)
    least = min((s.confidence for s, n in region.parts if n.strip()), default=None)
    fv.evidence = region.evidence(first, least)
    # its box holds every part of it on that page (lines of text are parts each: a second reading of the first
    # line alone can never spell the text)
    boxes = [s.bbox for s, n in region.parts[first:] if n.strip() and s.bbox and s.page == fv.evidence.page]
    if len(boxes) > 1:
        fv.evidence = replace(fv.evidence, bbox=(min(b[0] for b in boxes), min(b[1] for b in boxes),
                                                 max(b[2] for b in boxes), max(b[3] for b in boxes)))
    # a one-line text right under its label, in its column, is tied to it without borders (verify.py:
    # without_unbound_values); a wrapped text is not (its tail may be the next row's)
    lines = [i for i, (_, n) in enumerate(region.parts) if n.strip()]
    if len(lines) == 1 and region.below(lines[0]):
        fv.evidence = replace(fv.evidence, below=True)
    if not text:
        return _undetermined(fv, "empty: no text after the label")
    return fv


__all__ = ["Region", "interpret", "read_selection", "read_checkbox", "read_flag", "read_date", "read_text",
           "CHECKBOX"]
