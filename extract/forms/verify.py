"""A second OCR reading of the few values where one misread glyph makes a wrong row: dates, counts and
the affair name.

The page pass reads a cleaned, whole-page image; a dropped "1" turns 令和1年10月16日 into 10月6日
with high confidence. Here each such value's cell is read again from the raw grey image at a higher
resolution, as one block. Dates and counts must agree between the two readings; where they do not, a
third reading at another resolution decides if it agrees with one of them (two of three), else the
field is undetermined. Names get a character vote among all their readings (identity.vote; a list's
binarised reading only where it echoes another reading); the free text of その他 （ … ） must be spelled
the same by the second and the third reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
import pymupdf as fitz
import regex
from rapidfuzz.distance import Levenshtein

from extract.core.enums import Method
from extract.core.fields import OK, UNDETERMINED, CheckOption, Evidence, FieldValue
from extract.core.result import Identity, ParsedDocument
from extract.core.segments import PageInfo, Segment
from extract.core.settings import GridSettings
from extract.forms.fuzzy import fix_day, fix_words, ocr_fold
from extract.forms.identity import (
    DECLARATION_AFFAIR,
    LIST_PREFIX,
    TITLE_SUFFIX,
    affair_readings,
    agreed,
    listed_file_names,
    ocr_organization,
    per_file_names,
    title_affair,
)
from extract.forms.interpret import Region, adjoins, option_boxes, option_of, read_date, read_period
from extract.forms.model import COUNT_SUFFIX, FORMS, OPTION_LISTS, Role, has_role, role_keys
from extract.forms.ocr_recovery import ocr_text
from extract.forms.wording import OTHER_OPTION
from extract.sources.grid import block_text
from extract.sources.scan.marks import TICK_LOOKALIKES, box_column, tick_from_ink
from extract.sources.scan.ocr import clean_binary, page_skew, read_words, tessdata_dir, utf8_text
from normalize.glyphs import old_forms
from normalize.marks import TICKED, UNKNOWN_MARK, UNTICKED
from normalize.text import normalize_text

VERIFY_DPI = 400
THIRD_DPI = 300  # the tie-breaking reading: another resolution gives partly independent errors
_DATE_LIKE = regex.compile(r"\S{0,2}\s*\d{1,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}/\d{1,2}/\d{1,2}")
DIGIT_KINDS = ("date", "dates", "period", "count")
INSET = 1.5  # points: keep the cell borders out of the crop
# An OCR'd free text read with a confidence (its least character probability, PP-OCR) below this needs a
# second reading that spells it the same; calibrated on the scans (pipelines/bench/suite.py prints the
# exactness of texts on either side of it).
TEXT_CONFIDENT = 0.97

LINE_MARGIN = 2.0  # points around a line of text's box, which is tight to its ink


def crop_box(ev: Evidence) -> tuple[float, float, float, float]:
    """The box to read a value again from: a cell's box (upright_crop insets it, keeping its borders out), or a line's
    widened by LINE_MARGIN (inset, a 9 pt line lost a third of its glyphs' height, and Tesseract read the rest as
    junk: every borderless text was left unconfirmed)."""
    if ev.cell:
        return ev.bbox
    x0, y0, x1, y1 = ev.bbox
    m = INSET + LINE_MARGIN
    return x0 - m, y0 - m, x1 + m, y1 + m


def upright_crop(page: fitz.Page, bbox: tuple[float, float, float, float], dpi: int, skew: float = 0.0):
    """Grey pixels of `bbox` at `dpi`, `bbox` given in the page pass's upright frame (extract.sources.scan.ocr._Back:
    the page turned by `skew` about its centre). Rendered turned in one MuPDF pass, like the page pass:
    a long one-line cell of a scan skewed 0.7° drifts 4-5 pt over its width, more than its margin."""
    x0, y0, x1, y1 = bbox
    box = fitz.Rect(x0 + INSET, y0 + INSET, x1 - INSET, y1 - INSET)
    if box.is_empty:
        return None
    c = page.rect
    centre = fitz.Point((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2)
    to_upright = fitz.Matrix(1, 0, 0, 1, -centre.x, -centre.y) * fitz.Matrix(skew) \
        * fitz.Matrix(1, 0, 0, 1, centre.x, centre.y)
    corners = [p * ~to_upright for p in (box.tl, box.tr, box.bl, box.br)]  # the box on the page as it is
    clip = fitz.Rect(min(p.x for p in corners), min(p.y for p in corners),
                     max(p.x for p in corners), max(p.y for p in corners)) & page.rect
    if clip.is_empty:
        return None
    m = fitz.Matrix(dpi / 72.0, dpi / 72.0).prerotate(skew)
    pix = page.get_pixmap(matrix=m, clip=clip, colorspace=fitz.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    # pixel (u, v) is the point (u + pix.x, v + pix.y) of the transformed page
    px = [p * m for p in corners]
    u0, u1 = (round(f(p.x for p in px) - pix.x) for f in (min, max))
    v0, v1 = (round(f(p.y for p in px) - pix.y) for f in (min, max))
    out = gray[max(v0, 0):max(v1, 0), max(u0, 0):max(u1, 0)]
    return out if out.size else None


def second_reading(page: fitz.Page, bbox: tuple[float, float, float, float], languages: str = "jpn",
                   dpi: int = 0, skew: float = 0.0, grey: bool = False) -> str:
    """OCR of one cell's area from the raw page image (turned upright by `skew`), without the page
    pass's clean-up: binarised by us (digits), or with `grey` the grey pixels cropped to the text, left
    to Tesseract's own thresholding (names: our binarising breaks the strokes of dense kanji)."""
    import tesserocr  # lazy: optional dependency
    from PIL import Image  # lazy: optional dependency

    dpi = dpi or VERIFY_DPI
    gray = upright_crop(page, bbox, dpi, skew)
    gray = None if gray is None else _text_only(gray, grey)
    if gray is None:
        return ""
    with tesserocr.PyTessBaseAPI(path=tessdata_dir(languages), lang=languages,
                                 psm=tesserocr.PSM.SINGLE_BLOCK) as api:
        api.SetVariable("preserve_interword_spaces", "1")
        api.SetImage(Image.fromarray(gray, "L"))
        api.SetSourceResolution(dpi)
        return utf8_text(api)


def reread_boxes(page: fitz.Page, bbox: tuple[float, float, float, float], languages: str = "jpn",
                 dpi: int = 0, skew: float = 0.0) -> str:
    """A tick-box cell read again at `dpi` the way the page pass reads a page (brackets restored and
    ticks decided from the ink), from its own crop: Tesseract segments a lone cell afresh, so a box group
    it broke apart on the page ("1 〇 ] 税務システム", "[ ○ 行っていない") is read independently. A crop
    cannot show that its page's ticks faded: what it reads empty there is cleared afterwards
    (without_empty_boxes_on_faded_pages). Nor can it show the page's paper: a box it reads ticked on one witness
    (ink alone, a shape, its marks alike: confidence under SETTLED_TICK) is unknown, as the page pass had it.
    Scan round 7, r17_a09 p. 9, mottled grey paper: four empty boxes read ticked from their specks' ink, nothing
    read in them."""
    dpi = dpi or VERIFY_DPI
    gray = upright_crop(page, bbox, dpi, skew)
    if gray is None:
        return ""
    words, _, _ = read_words(gray, gray, dpi / 72.0, page.number + 1, languages, dpi)
    words = [replace(w, text=UNKNOWN_MARK) if w.text == "○" and w.conf < SETTLED_TICK else w for w in words]
    return block_text(words, GridSettings().space_gap)


SETTLED_TICK = 0.85  # a box's ink and the OCR text in it agree (marks.tick_from_ink)


def recheck_boxes(f: FieldValue, text: str) -> None:
    """Options of a checkbox group the page pass left without a state take the state a second reading
    (`text`, from reread_boxes) gives them, only where that reading finds every option of the group once,
    agrees with the page pass on every option both decided, and spells the same free text (その他 （ … ）,
    a count) for the option taken. The field is ok once no option is left unknown (confidence x0.8)."""
    labels = tuple(o.label for o in sorted(f.options, key=lambda o: o.option_no))
    states, conflicts = option_boxes(ocr_text(text).replace("\n", " "), labels, ocr=True)
    if conflicts or len(states) != len(labels):
        return
    again = {n: {TICKED: True, UNTICKED: False}.get(st) for n, (st, _, _) in states.items()}
    if any(o.checked is not None and again[o.option_no] is not None and o.checked != again[o.option_no]
           for o in f.options):
        return
    taken = []
    options = []
    for o in f.options:
        extra = states[o.option_no][1] if again[o.option_no] else None
        if o.checked is None and again[o.option_no] is not None and _squeeze(extra) == _squeeze(o.text):
            o = replace(o, checked=again[o.option_no], text=extra or None)
            taken.append(o.label)
        options.append(o)
    if not taken:
        return
    f.options = options
    note = "ocr: tick state of " + "、".join(taken) + " from a second reading of the cell"
    unknown = [o.label for o in options if o.checked is None]
    if unknown:
        f.reason = f"{f.reason}; {note}; still unknown: " + "、".join(unknown)
        return
    f.status, f.reason = OK, note
    f.value_text = "、".join(o.label for o in options if o.checked)
    if f.evidence is not None:
        f.evidence = replace(f.evidence, confidence=round(f.evidence.confidence * 0.8, 3))


def _text_only(gray, keep_grey: bool = False):
    """Binarise, blank border lines (rows / columns mostly ink), drop speckle, crop to the text (the
    binary image, or with `keep_grey` the grey one)."""
    binary = clean_binary(gray)  # Otsu + speckle removal, 0 = ink
    ink = binary == 0
    ink[ink.mean(axis=1) > 0.5, :] = False
    ink[:, ink.mean(axis=0) > 0.5] = False
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    pad = 12
    y0, y1 = max(rows[0] - pad, 0), min(rows[-1] + pad + 1, ink.shape[0])
    x0, x1 = max(cols[0] - pad, 0), min(cols[-1] + pad + 1, ink.shape[1])
    if keep_grey:
        return np.ascontiguousarray(gray[y0:y1, x0:x1])
    return np.where(ink[y0:y1, x0:x1], 0, 255).astype(np.uint8)


@dataclass
class SecondReadings:
    """What the second reading gives the identity: the affair (for its vote) and the file names by
    (item key, file number); a list of names (Ⅰ 3, 基礎's Ⅰ 2) is under file number 0."""

    affair: list[str] = field(default_factory=list)
    names: dict[tuple[str, int], str] = field(default_factory=dict)  # read again from grey pixels
    # a list (Ⅰ 3, 基礎 Ⅰ 2) read again binarised at 400 dpi: a noisy reading (住民基本台帳 as 住民基共台忠 on
    # an unseen scan), so a line of it counts only where it repeats what another reading of that line spells
    echoes: dict[tuple[str, int], str] = field(default_factory=dict)
    organization: list[str] = field(default_factory=list)  # the 評価実施機関名 cell, read again (grey, binary)


def _boxes_unknown(f: FieldValue) -> bool:
    """A checkbox group undetermined because some of its boxes could not be read (not a conflict)."""
    return (f.kind == "checkbox" and f.status == UNDETERMINED and any(o.checked is None for o in f.options)
            and (f.reason or "").startswith(("tick-unknown", "unreadable", "not-found: options not printed")))


def _boxes_lost(f: FieldValue) -> bool:
    """A checkbox group whose options were read without any box: the brackets did not survive the page pass."""
    return (f.kind == "checkbox" and f.status == UNDETERMINED and f.scale in OPTION_LISTS
            and (f.reason or "").startswith(_NO_BOXES))


_NO_BOXES = "not-found: no [ ] boxes"
_LEAD = regex.compile(r"^(\S{1,2}?)[\s,，.:：、;]+(?=\S)")  # a mark read before its option: "O 個人番号", "O， 紙"


def read_box_column(f: FieldValue, gray, scale: float) -> None:
    """Ticks of a group whose stacked brackets the page pass erased as ruling lines (marks.box_column): each
    line of the cell is a box, bound to the option of its place in the list. Read only where the cell has
    one line of text and one box per option and every line whose text names an option names the option of
    its place (at least half do); each box's state is its ink, cross-checked with the mark OCR read before
    the label (tick_from_ink). The group is ok when every state is known; else it stays undetermined."""
    labels = OPTION_LISTS[f.scale].options
    inks = box_column(gray, scale) if gray is not None else None
    lines = [ln.strip() for ln in normalize_text(f.raw).split("\n") if ln.strip()]
    if inks is None or not len(inks) == len(lines) == len(labels):
        return
    leads, named = [], 0
    for place, line in enumerate(lines, start=1):
        m = _LEAD.match(line)
        lead = m.group(1) if m and all(ch in TICK_LOOKALIKES for ch in m.group(1)) else ""
        hit = option_of(line[m.end():] if lead else line, labels, ocr=True)
        if hit is not None and hit[0] != place:
            return
        named += hit is not None
        leads.append((lead, hit[1] if hit else None))
    if 2 * named < len(labels):
        return
    options, least, unknown = [], 1.0, []
    for n, (ink, (lead, extra)) in enumerate(zip(inks, leads, strict=True), start=1):
        state, conf, _ = tick_from_ink(ink, lead)
        checked = {TICKED: True, UNTICKED: False}.get(state)
        least = min(least, conf)
        if checked is None:
            unknown.append(labels[n - 1])
        options.append(CheckOption(labels[n - 1], n, checked, extra if checked else None))
    f.options = options
    f.value_text = "、".join(o.label for o in options if o.checked)
    note = f"ocr: ticks from the ink of a column of {len(labels)} boxes whose brackets print as lines, bound by place"
    if unknown:
        f.reason = f"{note}; tick state unknown for " + "、".join(unknown)
        return
    f.status, f.reason = OK, note
    if f.evidence is not None:
        f.evidence = replace(f.evidence, confidence=round(least * 0.8, 3))


def _names_file(f: FieldValue) -> bool:
    """Ⅱ 1 and Ⅲ 1 of 全項目/重点項目 name one file; Ⅰ 3 (Ⅰ 2 in 基礎) lists them."""
    return has_role(Role.FILE_NAME, f.key, f.label) or has_role(Role.FILE_LIST, f.key, f.label)


def _name_lines(text: str, label: str | None = None) -> str:
    """A name cell's reading, line by line: a list number ("( 1 )") and the first word of three letters
    or more after it, without what specks beside the name were read as ("住民基本台帳ファイル RS 財"), nor
    the item's own `label` where the crop took it in (a page without borders: the value is read on its label's line,
    "1 特定個人情報ファイル名 障害者手帳ファイル", scan round 13, r23_a07 Ⅱ 1 and Ⅲ 1, whose name was then left unknown)."""
    out = []
    for ln in text.split("\n"):
        m = LIST_PREFIX.match(ln)
        head = m.group(0) if m else ""
        words = ln[len(head):].split()
        if label and words and _is_label(words[0], label):
            head, words = "", words[1:]  # the number was the label's
        word = next((w for w in words if len(regex.findall(r"\p{L}", w)) >= 3), None)
        if word:
            out.append(head + word)
    return "\n".join(out)


def _is_label(word: str, label: str) -> bool:
    """Whether a word read is the label (its numbering aside), a glyph in five misread at most."""
    folded = ocr_fold(LIST_PREFIX.sub("", label))
    return Levenshtein.normalized_similarity(ocr_fold(word), folded) >= 0.8


_ORGANIZATION_KEYS = role_keys(Role.ORGANIZATION)
_DECLARATION_KEYS = role_keys(Role.DECLARATION)
_AFFAIR_KEYS = role_keys(Role.AFFAIR)
_NAME_KEYS = _AFFAIR_KEYS | _DECLARATION_KEYS | _ORGANIZATION_KEYS  # names: read again and voted on


def _is_target(f: FieldValue) -> bool:
    """An OCR'd field read again: a date or count, a name, a その他 text, a box group with boxes unread (a
    checkbox group with one tick unknown is undetermined but still publishes its other options), a free
    text read with less than TEXT_CONFIDENT."""
    return bool(f.evidence and f.evidence.method == "ocr" and f.evidence.bbox
                and ((f.ok and (f.kind in DIGIT_KINDS or f.key in _NAME_KEYS or _names_file(f)))
                     or _other_text(f) or _boxes_unknown(f) or _boxes_lost(f) or _weak_text(f)))


def _weak_text(f: FieldValue) -> bool:
    """A free text (not a name: names have their own vote) read once with a confidence below TEXT_CONFIDENT, or
    holding an old glyph form (_doubtful)."""
    return (f.ok and f.kind == "text" and f.value_text is not None and f.key not in _NAME_KEYS and not _names_file(f)
            and _doubtful(f))


def _doubtful(f: FieldValue) -> bool:
    """Read with a confidence below TEXT_CONFIDENT, or holding an old glyph form (normalize.glyphs.old_forms): a
    recognizer trained on Chinese reads a Japanese character as its traditional form at full confidence (scan round
    18, r28_b02: 齡 for 齢 at 0.99, a group name stored wrong), and a Japanese text prints one only in a name; or a
    single glyph (scan round 7, r17_a11 at 150 dpi: the 宣言 stored as "言", a glyph of its own label)."""
    text = "".join((f.value_text or "").split())
    return f.evidence is not None and (f.evidence.confidence < TEXT_CONFIDENT or bool(old_forms(text)) or len(text) == 1)


UNCONFIRMED = "ocr-unconfirmed"


def confirm_text(f: FieldValue, text: str, within: bool = False) -> None:
    """A weakly read free text stays ok only where a second reading of its cell (`text`, Tesseract on the
    grey pixels) spells it the same (`within`: spells it somewhere, the cell holding a heading too); else it
    is undetermined with both readings in the reason. No vocabulary can correct a glyph of free text, and a
    misread one looks as confident as a right one."""
    first = f.value_text or ""
    filled = fill_unread(first, text)
    if filled is not None:  # the second reading spells the glyphs the first left out, and agrees on the rest
        f.value_text = filled
        note = (f"ocr: read as {first!r}, its unread glyphs (⍰) spelled by a second reading that agrees on the"
                " rest")
        f.reason = f"{f.reason}; {note}" if f.reason else note
        return
    if (_squeeze(text) == _squeeze(first) or (within and _squeeze(first) in _squeeze(text))
            or _spelled_under_label(first, text) or _spelled_after_label(first, text, f.label)):
        note = f"ocr: read with confidence {f.evidence.confidence:.2f}, confirmed by a second reading"
        f.reason = f"{f.reason}; {note}" if f.reason else note
        return
    f.status = UNDETERMINED
    old = old_forms(first)
    f.reason = (f"{UNCONFIRMED}: read with confidence {f.evidence.confidence:.2f} as {first!r}"
                f"{f' (old glyph forms {old})' if old else ''}; a second reading gives {normalize_text(text).strip()!r}")


def fill_unread(first: str, second: str) -> str | None:
    """`first` with each unread glyph (UNKNOWN_MARK, ink the recognizer emitted nothing for) replaced by the
    character the second reading has in its place, when the two agree on everything else (spaces aside);
    None otherwise. Both engines drop a 〒 before a postal code in the page pass; Tesseract reading the
    cell again at a higher resolution usually spells it."""
    if UNKNOWN_MARK not in first:
        return None
    pattern = "".join("(.)" if c == UNKNOWN_MARK else regex.escape(c) for c in _squeeze(first))
    m = regex.fullmatch(pattern, _squeeze(second))
    if m is None or any(g == UNKNOWN_MARK for g in m.groups()):
        return None
    glyphs = iter(m.groups())
    return "".join(next(glyphs) if c == UNKNOWN_MARK else c for c in first)


LABEL_LINES_MAX = 2  # a label printed over its value in the same cell wraps over two lines at most


def _spelled_after_label(first: str, second: str, label: str) -> bool:
    """Whether the second reading is the first one after the item's own label on its line: the cell read again holds
    a group's heading before its name ("委託事項1 県税電話催告業務": scan round 9, r19_b08, where every group name was
    left unconfirmed). Only the label (and the group's number) may come before it."""
    want, got = _squeeze(first), _squeeze(second)
    if not want or len(got) <= len(want) or not got.endswith(want):
        return False
    before = regex.sub(r"\d+$", "", got[:-len(want)])
    return bool(before) and ocr_fold(before) == ocr_fold(label)


def _spelled_under_label(first: str, second: str) -> bool:
    """Whether the second reading is the first one under one or two lines more: the cell read again holds the
    item's label over its value (a sheet that prints "②システムの機能" over its text in one cell), so it
    reads the label too, often garbled ("リンズステムの名柱\n国民健康保険システム"), while the value's lines
    must match whole. The label's lines come first; anything after the value breaks the match."""
    lines = [ln for ln in normalize_text(second).split("\n") if ln.strip()]
    want = _squeeze(first)
    return bool(want) and any(_squeeze("".join(lines[k:])) == want for k in range(1, min(LABEL_LINES_MAX, len(lines) - 1) + 1))


def verify_ocr_fields(path: Path, fields: list[FieldValue], reread_with=second_reading) -> SecondReadings:
    """Re-read OCR'd dates and counts, the affair and the file names; returns the second readings of
    the names, for the identity. Where the page pass and the second reading of a date or count disagree,
    a third reading (another resolution) decides when it agrees with one of them; else the field is
    undetermined."""
    targets = [f for f in fields if _is_target(f)]
    second = SecondReadings()
    if not targets:
        return second
    skews: dict[int, float] = {}
    with fitz.open(path) as doc:
        for f in targets:
            page = doc[f.evidence.page - 1]
            if page.number not in skews:
                skews[page.number] = page_skew(page)
            reread = partial(reread_with, page, crop_box(f.evidence), skew=skews[page.number])
            if _names_file(f) or f.key in _DECLARATION_KEYS | _ORGANIZATION_KEYS:
                grey = _read_name_again(f, reread, second)
                if f.key in _DECLARATION_KEYS and _weak_declaration(f):
                    confirm_text(f, grey, within=True)  # the cell read again may hold the 宣言's heading too
                continue
            if _boxes_lost(f):
                read_box_column(f, upright_crop(page, crop_box(f.evidence), VERIFY_DPI, skews[page.number]), VERIFY_DPI / 72)
                if not _other_text(f):
                    continue
            if _boxes_unknown(f):
                recheck_boxes(f, reread_boxes(page, f.evidence.bbox, skew=skews[page.number]))
                if not _other_text(f):
                    continue  # else its その他 text is confirmed below like any other
            if _weak_text(f):
                confirm_text(f, reread(grey=True))
                continue
            _read_value_again(f, reread, second)
    return second


def _weak_declaration(f: FieldValue) -> bool:
    """The 宣言 is a name for the affair's vote, and a free text of its own: as such, a weak reading is no
    value without a second one (scan round 4: r14_b01's read "あたリり", r14_a02's "及ほし", both at < 0.6)."""
    return f.ok and f.value_text is not None and _doubtful(f)


def _read_name_again(f: FieldValue, reread, second: SecondReadings) -> str:
    """The 評価実施機関名, the 宣言 (for the affair it names) or a file name cell, read from grey pixels;
    returns that grey reading."""
    text = normalize_text(reread(grey=True))
    if f.key in _ORGANIZATION_KEYS:
        again = (text, normalize_text(reread()))
        second.organization = [line for t in again if (line := _name_lines(t).split("\n")[0])]
    elif f.key in _DECLARATION_KEYS:
        m = DECLARATION_AFFAIR.search("".join(text.split("\n")))
        second.affair.extend([m.group(1)] if m else [])
    elif (f.key, f.file_no or 0) not in second.names:
        second.names[(f.key, f.file_no or 0)] = _name_lines(text, f.label)
        if has_role(Role.FILE_LIST, f.key, f.label):  # a list: read binarised too, an echo (see SecondReadings)
            second.echoes[(f.key, 0)] = _name_lines(normalize_text(reread()), f.label)
    return text


def _read_value_again(f: FieldValue, reread, second: SecondReadings) -> None:
    """The affair (a second and a grey reading for its vote), a その他 text, or a date or count."""
    text = reread()
    if f.key in _AFFAIR_KEYS:
        # and from grey pixels, as the other names: its first word, without what specks or the cell's
        # edge were read as after it ("国民健康保険に関する事務 ... . . ea SC EN")
        grey = _name_lines(normalize_text(reread(grey=True)).split("\n")[0])
        second.affair.extend([normalize_text(text).split("\n")[0].strip(), grey.rstrip("。．.、")])
        return
    if f.kind == "checkbox":
        _confirm_other_text(f, text, partial(reread, dpi=THIRD_DPI))
        return
    _settle_digits(f, text, partial(reread, dpi=THIRD_DPI))


def _settle_digits(f: FieldValue, text: str, third) -> None:
    """A date or count the second reading (`text`) confirms is kept; where the two disagree, the third
    reading (`third()`) decides when it agrees with one of them, else the field is undetermined."""
    again = reread_value(f, text)
    first = _attrs(f)
    if again is None or _finer(first, again):
        # the second pass found nothing to compare: keep the first reading, trust it less
        f.evidence = replace(f.evidence, confidence=round(f.evidence.confidence * 0.8, 3))
        f.reason = ((f.reason + "; ") if f.reason else "") + "ocr: not confirmed by a second reading"
        return
    if _same(first, again):
        return
    last = reread_value(f, third())
    chosen = two_of_three([first, again, last])
    readings = " / ".join(_fmt(r) for r in (first, again, last))
    if chosen is None:
        f.status = UNDETERMINED
        f.reason = f"conflict: OCR readings disagree ({readings})"
        return
    for name, v in chosen.items():
        setattr(f, name, v)
    f.evidence = replace(f.evidence, confidence=round(f.evidence.confidence * 0.8, 3))
    note = f"ocr: two of three readings agree ({readings})"
    f.reason = f"{f.reason}; {note}" if f.reason else note


_OTHER = regex.compile(regex.escape(OTHER_OPTION) + r"\s*[(（]\s*(.+?)\s*[)）]", regex.S)


def _other_text(f: FieldValue) -> str | None:
    return next((o.text for o in f.options if o.label == OTHER_OPTION and o.text), None)


def _confirm_other_text(f: FieldValue, text: str, third=None) -> None:
    """The free text of その他 （ … ） is kept only where the second reading, and the third (`third()`,
    another resolution) where given, spell it the same: no vocabulary can correct a misread glyph in
    free text, and the page pass and the 400-dpi reading can share one ("LGWAN和経由" for LGWAN経由)."""
    first = _other_text(f)
    readings = [("second", lambda: text)] + ([("third", third)] if third is not None else [])
    for which, read in readings:
        m = _OTHER.search(normalize_text(read()))
        if not (m and _squeeze(m.group(1)) == _squeeze(first)):
            f.options = [replace(o, text=None) if o.label == OTHER_OPTION else o for o in f.options]
            note = f"ocr: {OTHER_OPTION} text {first!r} not confirmed by a {which} reading"
            f.reason = f"{f.reason}; {note}" if f.reason else note
            return


def _squeeze(s: str | None) -> str:
    return regex.sub(r"\s+", "", normalize_text(s or ""))


_PRECISION = {"year": 0, "month": 1, "day": 2, None: 2}
_COMPARED = ("value_date", "value_date_end", "date_precision", "value_int", "value_text")  # text: a list of dates


def _attrs(f: FieldValue) -> dict:
    return {n: getattr(f, n) for n in (*_COMPARED, "value_text")}


def _same(a: dict, b: dict) -> bool:
    return all(a.get(n) == b.get(n) for n in _COMPARED)


def _n_dates(r: dict) -> int:
    return len([d for d in (r.get("value_text") or "").split("、") if regex.match(r"\d{4}-", d)]) or 1


def _finer(a: dict, b: dict) -> bool:
    """`a` gives a part that `b` lost (the day, a date of a list, a period's end): `b` is no evidence either way
    (scan round 7, r17_a09 Ⅴ 2 ②: two readings that lost the period's end outvoted the page pass's whole period)."""
    return (_PRECISION[a.get("date_precision")] > _PRECISION[b.get("date_precision")]
            or _n_dates(a) > _n_dates(b)
            or (a.get("value_date_end") is not None and b.get("value_date_end") is None))


def two_of_three(readings: list[dict | None]) -> dict | None:
    """The reading two of the three agree on, among those no other reading is finer than (a reading
    that lost the day or a date neither confirms nor outvotes one that has it); None when no two agree."""
    have = [r for r in readings if r is not None]
    top = [r for r in have if not any(_finer(o, r) for o in have)]
    return next((a for i, a in enumerate(top) if any(_same(a, b) for b in top[i + 1:])), None)


def _fmt(r: dict | None) -> str:
    if r is None:
        return "nothing"
    return "..".join(str(r[n]) for n in ("value_date", "value_date_end", "value_int") if r.get(n) is not None) \
        or "nothing"


def reread_value(f: FieldValue, text: str) -> dict | None:
    """The date(s) or count a re-reading of `f`'s cell gives, as the FieldValue attributes to set;
    None when it gives none."""
    norm = fix_day(normalize_text(text))[0]
    if f.kind == "count":
        option = f.label.removesuffix(COUNT_SUFFIX)  # counts inside options: read after the option's label
        in_option = f.key.rsplit(".", 1)[-1].startswith("count")
        if in_option and option not in norm:  # never another option's count: that reading says nothing
            return None
        start = norm.find(option) if in_option else 0
        m = regex.search(r"[(（]\s*([0-9]+)\s*[)）]\s*件", norm[max(start, 0):])
        if m is None:
            m = regex.fullmatch(r"\s*([0-9]+)\s*", norm)
        return {"value_int": int(m.group(1)), "value_date": None, "value_date_end": None,
                "date_precision": None, "value_text": f.value_text} if m else None
    item = next((form.items_by_key[f.key] for form in FORMS.values() if f.key in form.items_by_key), None)
    if item is None:
        return None
    found = _DATE_LIKE.findall(norm)
    joiner = {"period": "~", "dates": "、"}.get(f.kind)
    norm = joiner.join(found) if joiner and found else (found[0] if found else norm)
    region = Region([(Segment(text, method="ocr"), norm)], "")
    g = read_date(item, region) if f.kind == "date" else read_period(item, region)
    if g.value_date is None:
        return None
    return {"value_date": g.value_date, "value_date_end": g.value_date_end, "date_precision": g.date_precision,
            "value_int": None, "value_text": g.value_text if f.kind == "dates" else f.value_text}


def verify_document(path: Path, parsed: ParsedDocument) -> ParsedDocument:
    """Second readings for an OCR'd document, then the identity follows the verified fields: a 公表日
    the readings disagree on is dropped, the affair is the vote of all its readings. Returns a new
    ParsedDocument; the one given is left as it was."""
    fields = [replace(f, options=list(f.options)) for f in parsed.fields]
    identity = replace(parsed.identity, file_names=list(parsed.identity.file_names))
    _verify(path, fields, identity)
    return replace(parsed, fields=fields, identity=identity)


def _verify(path: Path, fields: list[FieldValue], identity: Identity) -> None:
    second = verify_ocr_fields(path, fields)
    files = per_file_names(fields, second.names, second.echoes) or listed_file_names(fields, second.names,
                                                                                     second.echoes)
    identity.file_names = [files[k] for k in sorted(files)]
    follow_fields(fields, identity)
    readings = [*affair_readings(fields, identity.title), *map(fix_words, second.affair)]
    if any(readings):
        identity.affair = agreed(readings)
    # 評価書名 has one reading on a scan: keep it only where its affair part is the agreed affair, or is
    # one of the readings the affair's vote overruled glyph by glyph (the same length: it voted)
    if identity.title and identity.affair and len(title_affair(identity.title)) == len(identity.affair):
        suffix = TITLE_SUFFIX.search(identity.title)
        identity.title = identity.affair + (suffix.group(0) if suffix else "")
    elif identity.title and title_affair(identity.title) != identity.affair:
        identity.title = None
    identity.organization_raw = organization_raw(identity, second.organization)
    follow_identity(fields, identity)


def follow_fields(fields: list[FieldValue], identity: Identity) -> None:
    """The identity says no more than its verified fields: a 公表日 dropped or settled by a third reading, a 評価書番号
    whose readings disagree (scan round 3, r13_a07 at 150 dpi: "99" read, "9" read again; the field was undetermined
    and the identity still said 99)."""
    published = next((f for f in fields if f.key in role_keys(Role.PUBLISHED)), None)
    if published is not None:
        identity.published = published.value_date if published.ok else None
    number = next((f for f in fields if f.key in role_keys(Role.ASSESSMENT_NO)), None)
    if number is not None and not number.ok:
        identity.assessment_no = None


def organization_raw(identity: Identity, readings: list[str]) -> str | None:
    """The 評価実施機関名: the page pass's where it was accepted; else, where the 宣言 named the body, the
    first second reading that names a known office of that body (a closed table: a misread rarely
    spells one; "八代市食" read again as 八代市長)."""
    if identity.organization_raw is not None or not identity.organization:
        return identity.organization_raw
    return next((r for r in readings if ocr_organization(r, identity.organization)[0]), None)


def follow_identity(fields: list[FieldValue], identity: Identity) -> None:
    """The OCR'd name fields say what the identity established from all their readings: the confirmed
    spelling where the reading differs (noted, confidence lowered), undetermined where nothing was
    confirmed. A researcher reading `fields` never gets a name the identity rejected."""
    files = dict(enumerate(identity.file_names, start=1))
    names = {key: value for role, value in ((Role.TITLE, identity.title), (Role.AFFAIR, identity.affair),
                                            (Role.ORGANIZATION, identity.organization_raw))
             for key in role_keys(role)}
    for f in fields:
        if (not f.ok and f.key in role_keys(Role.TITLE) and identity.title and f.value_text and f.evidence is not None
                and (f.reason or "").startswith(UNCONFIRMED) and _squeeze(f.value_text) == _squeeze(identity.title)):
            # the one reading Tesseract did not confirm is what the affair's readings agreed on (the 事務の名称 or
            # the 宣言 spells it alike): the vote confirmed it
            f.status = OK
            f.reason = f"ocr: {f.reason[len(UNCONFIRMED) + 2:]}; the affair's other readings agree with the first"
            continue
        if not f.ok or not f.value_text or f.evidence is None or f.evidence.method != "ocr":
            continue
        if f.key in names:
            want = names[f.key]
        elif f.key in role_keys(Role.FILE_NAME) and f.file_no in files:
            want = files[f.file_no]
        else:
            continue
        first, *rest = f.value_text.split("\n")
        notes = []
        if want is None:
            f.status, f.reason = UNDETERMINED, f"ocr: the name {first.strip()!r} is not confirmed by another reading"
            continue
        if "".join(first.split()) != "".join(want.split()):
            notes.append(f"ocr: read {first.strip()!r}; {want!r} as its other readings establish")
            f.evidence = replace(f.evidence, confidence=round(f.evidence.confidence * 0.8, 3))
        if rest:
            # a name is one line, the whole of it what the readings establish: what was read under it is no part of
            # it (a border read as "1" in a row ruled across: scan round 2, r12_a12 Ⅱ 1, "生活保護受給者ファイル\n1"; the
            # glyph after a shadow's gap: scan round 13, r23_a01 Ⅰ 1 ①, "県税の賦課徴収に関\n務")
            notes.append(f"ocr: {chr(10).join(rest)!r} read under the name dropped")
            rest = []
        if notes:
            f.value_text = "\n".join([want, *rest])
            f.reason = "; ".join([f.reason, *notes] if f.reason else notes)


STRUCTURE_UNKNOWN = ("structure-unknown: page {page} was read by OCR and its text is not in cells (no cell borders "
                     "found, or none around the text); the reading order alone cannot tie its values to their items")


def unbound_pages(pages: list[PageInfo], segments: Sequence[Segment] = ()) -> set[int]:
    """OCR'd pages whose values the walk can bind by reading order only: too few ruling lines to enclose
    two rows of cells, or rules the page's text was not placed in (most of its segments outside any cell:
    scan round 3, r13_b10 p. 9, 14 rules and none of its 78 segments in a cell; scan round 2, r12_a12 at
    150 dpi, p. 21, 70 rules and 55 of 55 outside, where two ratings were bound to the wrong items)."""
    placed: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for s in segments:
        if s.method == Method.OCR:
            total[s.page] += 1
            placed[s.page] += s.row is not None
    return {p.number for p in pages if p.method == Method.OCR and p.rules is not None
            and (p.rules < BORDERED or 2 * placed[p.number] < total[p.number])}


def without_unbound_values(parsed: ParsedDocument, pages: list[PageInfo],
                           segments: Sequence[Segment] = ()) -> ParsedDocument:
    """OCR'd values on a page where the structure is not known (unbound_pages: almost no ruling line, or
    rules the text was not placed in) are undetermined, every value and tick cleared (the identity is kept).

    Borders tie a value to its label; on a scan whose borders did not survive (light-grey lines a copier
    faded, a borderless layout) the walk binds values by reading order only, and on unseen scans of such
    layouts that bound values to the wrong items (scan round 2: 24 wrong selections). Text layers keep their
    exact positions and are not affected.

    Kept: a value of a closed kind (an option, a count, a date, ticks) printed on its label's own line
    (evidence.bands == 1: the label and the value's own line, not the rest of the region: a wrapped option
    list beside the label is not the value), and a flag's box printed on one line with its own label
    ("[ ] 委託しない"): a sheet's rows run across the page, so what shares the label's line is in the label's
    row. Kept too: a selection or date on the line right under its label, in the label's column
    (evidence.below: a label over its value, as borderless sheets print them). Measured on the text corpus
    with its rules taken away (rounds 1-6, a tuning set): selections on the label's line 1,696 right, none
    wrong; right under it 1,617 right, 3 wrong (a rating of Ⅲ 4 whose next section's heading was lost in a
    free-text block, so the walk never left Ⅲ 4); another second line 220 right, 23 wrong; dates 163 and 131,
    none wrong;
    flags on their own label's line 393, none wrong; free text on one line 25 wrong of 2,910 (a wrapped
    value's tail), so free text is not kept, save a one-line text right under its label in its column
    (2,132 right, none wrong; it still needs its second reading when weak), or alone on its label's line with no
    text right above or below it in its column (_alone_on_label_line). Checkbox groups are kept wherever
    they stand: each box is bound to the option printed beside it on its line, and the option list names the
    item (693 groups right, 1 wrong: a stray ○ line read as a box). A per-file item is kept so only when every file block was
    read with its name (scan round 2, r12_a01: three blocks counted for two files, their names
    unread, and two files' dates landed one file off). For the same reason the number of files is not
    known (identity.file_names empty) when their list or blocks were read there with a name unread
    (scan round 3, r13_a06: a list of three read as one unnamed file)."""
    bare = unbound_pages(pages, segments)
    if not bare:
        return parsed
    files_known = _files_known(parsed)
    identity, warnings = parsed.identity, parsed.warnings
    if not files_known and any(f.evidence is not None and f.evidence.method == Method.OCR and f.evidence.page in bare
                               for f in parsed.fields if _lists_files(f)):
        identity = replace(identity, file_names=[])
        warnings = [*warnings, "files: the list of files was read on a page without borders and its names were not"
                    " all read; the number of files is not known"]
    lines = _page_boxes(segments, bare)
    fields = []
    for f in parsed.fields:
        if f.evidence is not None and f.evidence.method == Method.OCR and f.evidence.page in bare and not (
                (_bound_in_line(f) or _alone_on_label_line(f, lines)) and (f.file_no is None or files_known)):
            f = f.cleared(STRUCTURE_UNKNOWN.format(page=f.evidence.page))
        fields.append(f)
    return replace(parsed, identity=identity, fields=fields, warnings=warnings)


BLOTTED = ("blotted: page {page} has solid ink over its print at {y0:.0f}-{y1:.0f} pt, above this value; a heading "
           "it hid may own the value, so it cannot be tied to its item")


def without_values_under_blots(parsed: ParsedDocument, pages: Sequence[PageInfo],
                               segments: Sequence[Segment] = ()) -> ParsedDocument:
    """OCR'd values on a page with solid ink above them or across them (PageInfo.blots: a shadow a bilevel scan
    thresholded to black, a redaction bar) are undetermined: the ink may hide the heading of the item they belong
    to, and the walk then binds them to the item before it. Scan round 13, r23_a07 p. 11: a black band hid Ⅲ 2's
    リスク3 heading, and リスク3's rating "[ 特に力を入れている ]", right under its label, was taken for リスク2's.
    Values above the ink, and the identity, are kept. Ink above a value that leaves the page's line starts clear
    (`segments` given: the form's headings are printed from the left edge of the text) hides no heading's start, so
    it unbinds only the values it crosses (scan round 17, r27_a10: a drum's streak in the top right corner over the
    form's stamp cleared every value of the page)."""
    blots = {p.number: p.blots for p in pages if p.method == Method.OCR and p.blots}
    if not blots:
        return parsed
    starts = _line_starts(segments, set(blots))
    fields = []
    for f in parsed.fields:
        ev = f.evidence
        hit = None
        if ev is not None and ev.method == Method.OCR and ev.bbox is not None and ev.page in blots and (
                f.ok or any(o.checked is not None for o in f.options)):
            left = starts.get(ev.page)
            hit = next((b for b in blots[ev.page] if b[1] < ev.bbox[3] and (
                left is None or b[0] <= left + BLOT_START_PT or b[3] > ev.bbox[1])), None)
        if hit is not None:
            f = f.cleared(BLOTTED.format(page=ev.page, y0=hit[1], y1=hit[3]))
        fields.append(f)
    return replace(parsed, fields=fields)


BLOT_START_PT = 12.0  # ink reaching this far right of the lines' start covers the start of a heading


def _line_starts(segments: Sequence[Segment], pages: set[int]) -> dict[int, float]:
    """Per page, where its OCR'd lines start: the tenth percentile of their left edges (specks in the margin,
    single glyphs, left out)."""
    xs: dict[int, list[float]] = {}
    for s in segments:
        if s.page in pages and s.method == Method.OCR and s.bbox is not None and len("".join(s.text.split())) >= 2:
            xs.setdefault(s.page, []).append(s.bbox[0])
    return {p: sorted(v)[len(v) // 10] for p, v in xs.items()}


FADED_EMPTY = ("tick-unknown: the ticks of page {page} are faded (a ○ there faded to specks or grey), so a box "
               "read empty may hold a vanished ○: {labels}")


def without_empty_boxes_on_faded_pages(parsed: ParsedDocument, pages: Sequence[PageInfo]) -> ParsedDocument:
    """On a page whose ticks the page pass found faded (PageInfo.faded_ticks) no box is known empty: the page pass
    leaves every box it measured there unknown (marks.read_ticks); an empty "[ ]" met anyway is OCR text no ink
    was measured for (a box split over two lines: scan round 6, r16_b10 p. 12, 電子記録媒体's ○ vanished and read
    unticked) or a second reading of a cell's crop, which cannot show that its page faded (r16_b10 p. 10: three
    vanished ○ read empty). A checkbox option or a flag read unticked there becomes unknown."""
    faded = {p.number for p in pages if p.faded_ticks}
    if not faded:
        return parsed
    fields = []
    for f in parsed.fields:
        if (f.kind in ("checkbox", "flag") and f.evidence is not None and f.evidence.method == Method.OCR
                and f.evidence.page in faded and any(o.checked is False for o in f.options)):
            empty = [o.label for o in f.options if o.checked is False]
            f = replace(f, status=UNDETERMINED, reason=FADED_EMPTY.format(page=f.evidence.page, labels="、".join(empty)),
                        value_text=None, options=[replace(o, checked=None) if o.checked is False else o
                                                  for o in f.options])
        fields.append(f)
    return replace(parsed, fields=fields)


def _bound_in_line(f: FieldValue) -> bool:
    """Whether an OCR'd value is tied to its label by the lines alone (see without_unbound_values): a checkbox
    group, a value right under its label (evidence.below: set for selections, dates and one-line texts only), a
    closed kind on its label's own line."""
    return (f.kind == "checkbox" or f.evidence.below or f.evidence.ruled
            or (f.evidence.bands == 1 and f.kind in _ONE_LINE_KINDS))


def _page_boxes(segments: Sequence[Segment], pages: set[int]) -> dict[int, list[tuple[float, float, float, float]]]:
    out: dict[int, list[tuple[float, float, float, float]]] = {}
    for s in segments:
        if s.page in pages and s.bbox is not None and s.text.strip():
            out.setdefault(s.page, []).append(s.bbox)
    return out


def _alone_on_label_line(f: FieldValue, lines: dict[int, list[tuple[float, float, float, float]]]) -> bool:
    """A one-line text on its label's own line, with no text right above or right below it in its column:
    a value that wraps is cut by its label's line into pieces the reading order hands to other items (a
    label centred beside a three-line value shares a line with its middle line). Measured on the text
    corpus with its rules taken away (rounds 1-6, a tuning set): texts right 1,812 -> 4,057, none wrong (3,193 right
    and 76 wrong on the label's line without the test: all tails or middles of wrapped values)."""
    ev = f.evidence
    if f.kind != "text" or ev.bands != 1 or ev.bbox is None or not f.value_text or "\n" in f.value_text:
        return False
    box = ev.bbox
    return not any(b != box and min(box[2], b[2]) > max(box[0], b[0]) and (adjoins(box, b) or adjoins(b, box))
                   for b in lines.get(ev.page, ()))


def _files_known(parsed: ParsedDocument) -> bool:
    """Whether the files are known: every name read, no two alike, and every file block's own name that was read
    agrees with the list's name of its number (scan round 3, r13_b10: Ⅰ 3's list took the sentence above it for a
    first file, and its one file's block, named right, counted as file 1 of two)."""
    names = parsed.identity.file_names
    if not names or not all(names) or len(set(names)) != len(names):
        return False
    for f in parsed.fields:
        if f.file_no is None or not f.ok or not f.value_text or not has_role(Role.FILE_NAME, f.key, f.label):
            continue
        if f.file_no > len(names) or Levenshtein.normalized_similarity(
                ocr_fold(f.value_text), ocr_fold(names[f.file_no - 1])) < FILE_NAME_AGREES:
            return False
    return True


FILE_NAME_AGREES = 0.8  # two OCR readings of one name: a glyph or two off in a name of ten or more


def _lists_files(f: FieldValue) -> bool:
    return has_role(Role.FILE_LIST, f.key, f.label) or has_role(Role.FILE_NAME, f.key, f.label)


_ONE_LINE_KINDS = ("selection", "count", "date", "period", "dates", "flag", "checkbox")
BORDERED = 6  # fewer ruling lines than this cannot enclose two rows of two cells: the page shows no table
