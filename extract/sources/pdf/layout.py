"""PDF text layer -> PageLayout: words and ruling lines of each page, read with PyMuPDF.

Words come from MuPDF's own word splitter (fast, done in C). Japanese has no spaces, so a "word" is
often a whole run; that is kept. Only words that glue a bracket or tick glyph to its neighbour (e.g.
"○]" when "○" and "]" were separate text objects drawn close together) are split again, so that every
"[", "]" and tick mark has its own box; that needs the page's per-character boxes, which are read only
on pages where such a word occurs.

Rules come from the page's vector drawings: stroked lines, the four edges of stroked rectangles, and
thin filled rectangles (Excel exports often draw cell borders that way). White or invisible paths are
ignored: they draw nothing a reader can see.

`Word.size` is the height of the word's box (MuPDF's line box), not the nominal font size.
Coordinates are those of the page as displayed: on a page with /Rotate, boxes are turned to match the
rendered image (what a reader, the OCR path and the debug picture see).
"""

from __future__ import annotations

import bisect
from pathlib import Path

import pymupdf

from extract.core.layout import DocumentLayout, PageLayout, Rule, Word
from extract.core.settings import LayoutSettings

# Glyphs that must stand as words of their own: brackets around values and tick marks. A word is cut
# only when it holds a tick glyph (that is where glued text objects hide a mark's box); a bracket glued
# to a value ("[十分である]", often one text object) reads the same either way and is left whole.
MARK_CHARS = frozenset("[]［］○●◯〇✓✔☑☐□■")
TICK_CHARS = frozenset("○●◯〇✓✔☑☐□■")
RULE_CUT_GAP = 1.0  # points of blank between two characters for a vertical rule there to cut a word


def page_layout(page: pymupdf.Page, number: int, settings: LayoutSettings | None = None) -> PageLayout:
    """Words and rules of one page (number is 1-based)."""
    s = settings or LayoutSettings()
    rect = page.rect  # as displayed, i.e. after the page's /Rotate
    rules = page_rules(page, number, s)
    words = page_words(page, number, rules)
    if page.rotation % 360:
        words, rules = _rotated(words, rules, page.rotation_matrix)
    return PageLayout(number=number, width=rect.width, height=rect.height, words=words, rules=rules)


def _rotated(words: list[Word], rules: list[Rule], m: pymupdf.Matrix) -> tuple[list[Word], list[Rule]]:
    """Move boxes from the unrotated page space (where MuPDF reports them) to the displayed page."""
    out_w = []
    for w in words:
        r = pymupdf.Rect(w.x0, w.y0, w.x1, w.y1) * m
        out_w.append(Word(w.text, r.x0, r.y0, r.x1, r.y1, w.page, w.size, w.conf))
    out_r = []
    for ru in rules:
        a = pymupdf.Point(ru.x0, ru.y0) * m
        b = pymupdf.Point(ru.x1, ru.y1) * m
        out_r.append(Rule(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y), ru.page))
    return out_w, out_r


def read_pdf_layout(path: str | Path, settings: LayoutSettings | None = None) -> DocumentLayout:
    """Layouts of all pages of a PDF file."""
    with pymupdf.open(path) as doc:
        pages = [page_layout(page, i + 1, settings) for i, page in enumerate(doc)]
    return DocumentLayout(source=str(path), pages=pages)


# --- words -------------------------------------------------------------------------------------------


def _has_tick(text: str) -> bool:
    return len(text) > 1 and not TICK_CHARS.isdisjoint(text)


def page_words(page: pymupdf.Page, number: int, rules: list[Rule] | None = None) -> list[Word]:
    """Words of a page in MuPDF's stream order, exact duplicates dropped, and cut where they must be.

    MuPDF joins text objects into one word across gaps of half an em or more, so a label and a value
    on both sides of a cell border can come out as one word. Words are cut at every vertical rule
    (of `rules`) that crosses them, and words holding a tick glyph are cut around their marks.
    """
    tp = page.get_textpage(flags=pymupdf.TEXTFLAGS_WORDS)
    raw = tp.extractWORDS()
    verticals = sorted((r.x0, r.y0, r.y1) for r in rules or () if not r.horizontal)
    vx = [v[0] for v in verticals]
    cuts: dict[int, list[float]] = {}
    for i, (x0, y0, x1, y1, text, *_rest) in enumerate(raw):
        xs: list[float] = []
        if vx and len(text) > 1:
            lo = bisect.bisect_right(vx, x0 + 1.0)
            hi = bisect.bisect_left(vx, x1 - 1.0)
            if lo < hi:
                cy = (y0 + y1) / 2
                xs = [x for x, a, b in verticals[lo:hi] if a <= cy <= b]
        if xs or _has_tick(text):
            cuts[i] = xs
    pieces_of = _cut_words(tp, raw, cuts) if cuts else {}
    words: list[Word] = []
    seen: set[tuple[str, int, int]] = set()
    for i, (x0, y0, x1, y1, text, *_rest) in enumerate(raw):
        # Fake bold (the same text drawn twice, slightly offset) would double every character.
        key = (text, round(x0), round(y0))
        if key in seen:
            continue
        seen.add(key)
        h = y1 - y0
        pieces = pieces_of.get(i)
        if pieces is None:
            words.append(Word(text, x0, y0, x1, y1, number, h))
        else:
            words.extend(Word(t, a, y0, b, y1, number, h) for t, a, b in pieces)
    return words


def _cut_words(
    tp: pymupdf.TextPage, raw: list[tuple], cuts: dict[int, list[float]]
) -> dict[int, list[tuple[str, float, float]]]:
    """Cut words into pieces by their characters' boxes: around each mark glyph, and between two
    characters whose centres lie on both sides of a cut position.

    Returns {word index: [(text, x0, x1), ...]}; a word whose characters cannot be matched exactly is
    left out (kept whole) rather than cut at a guessed place.
    """
    lines = _stext_lines(tp, {(raw[i][5], raw[i][6]) for i in cuts})
    out: dict[int, list[tuple[str, float, float]]] = {}
    for idx, xs in cuts.items():
        wx0, _wy0, wx1, _wy1, text, bno, lno, _wno = raw[idx]
        line = lines.get((bno, lno))
        if not line:
            continue
        chars = [c for c in line if not c[0].isspace() and wx0 - 0.5 <= (c[1] + c[2]) / 2 <= wx1 + 0.5]
        chars.sort(key=lambda c: c[1])
        if "".join(c[0] for c in chars) != "".join(text.split()):  # "　］既存…": U+3000 is a space too
            continue
        pieces: list[tuple[str, float, float]] = []
        start = 0
        for k in range(1, len(chars) + 1):
            if k < len(chars):
                prev, cur = chars[k - 1], chars[k]
                mid_prev, mid_cur = (prev[1] + prev[2]) / 2, (cur[1] + cur[2]) / 2
                # At a rule, cut only where the text has a gap: two text objects on both sides of
                # a border. Text overflowing into the next cell runs on without one and stays whole.
                cut = (
                    prev[0] in MARK_CHARS
                    or cur[0] in MARK_CHARS
                    or (cur[1] - prev[2] >= RULE_CUT_GAP and any(mid_prev < x <= mid_cur for x in xs))
                )
                if not cut:
                    continue
            run = chars[start:k]
            pieces.append(("".join(c[0] for c in run), run[0][1], run[-1][2]))
            start = k
        out[idx] = pieces
    return out


def _stext_lines(
    tp: pymupdf.TextPage, wanted: set[tuple[int, int]]
) -> dict[tuple[int, int], list[tuple[str, float, float]]]:
    """Characters (text, x0, x1) of the wanted (block, line) numbers of a text page.

    Walks MuPDF's structured text directly (block and line numbers as extractWORDS counts them) and
    reads characters of the wanted lines only: a whole-page rawdict costs ten times more. Lines not
    written left to right (vertical writing) are left out.
    """
    out: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
    last_block = max(b for b, _ in wanted)
    for bno, block in enumerate(tp.this):
        if bno > last_block:
            break
        if block.m_internal.type != pymupdf.mupdf.FZ_STEXT_BLOCK_TEXT:
            continue
        want = {ln for b, ln in wanted if b == bno}
        if not want:
            continue
        for lno, line in enumerate(block):
            if lno not in want:
                continue
            d = line.m_internal.dir
            if d.y != 0 or d.x <= 0:
                continue
            chars = []
            for ch in line:
                c = ch.m_internal
                q = c.quad
                chars.append((chr(c.c), min(q.ul.x, q.ll.x), max(q.ur.x, q.lr.x)))
            out[(bno, lno)] = chars
    return out


# --- rules -------------------------------------------------------------------------------------------


def _white(color, level: float) -> bool:
    return color is not None and len(color) > 0 and all(c >= level for c in color)


def page_rules(page: pymupdf.Page, number: int, settings: LayoutSettings | None = None) -> list[Rule]:
    """Horizontal and vertical ruling lines drawn on the page."""
    s = settings or LayoutSettings()
    rules: list[Rule] = []
    add = rules.append
    for path in page.get_cdrawings():
        kind = path.get("type", "")
        stroke = (
            "s" in kind
            and path.get("color") is not None
            and not _white(path.get("color"), s.white_level)
            and (path.get("stroke_opacity") or 1.0) > 0
        )
        fill = (
            "f" in kind
            and path.get("fill") is not None
            and not _white(path.get("fill"), s.white_level)
            and (path.get("fill_opacity") or 1.0) > 0
        )
        if not (stroke or fill):
            continue
        items = path["items"]
        if fill and not stroke and any(it[0] != "re" for it in items):
            # A filled outline made of line segments: a border when its bounding box is thin.
            _thin_rect(path["rect"], number, s, add)
            continue
        for it in items:
            op = it[0]
            if op == "l":
                if stroke:
                    _line(it[1], it[2], number, s, add)
            elif op == "re":
                x0, y0, x1, y1 = it[1]
                if fill:
                    if not _thin_rect((x0, y0, x1, y1), number, s, add) and s.fill_edges:
                        _rect_edges(x0, y0, x1, y1, number, s, add)
                if stroke:
                    _rect_edges(x0, y0, x1, y1, number, s, add)
            elif op == "qu":
                pts = it[1]
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
                if fill and not stroke:
                    _thin_rect((x0, y0, x1, y1), number, s, add)
                elif stroke:
                    _rect_edges(x0, y0, x1, y1, number, s, add)
    return rules


def _line(p, q, number: int, s: LayoutSettings, add) -> None:
    (ax, ay), (bx, by) = p, q
    if abs(ay - by) <= s.axis_tolerance and abs(ax - bx) >= s.min_rule_length:
        y = (ay + by) / 2
        add(Rule(min(ax, bx), y, max(ax, bx), y, number))
    elif abs(ax - bx) <= s.axis_tolerance and abs(ay - by) >= s.min_rule_length:
        x = (ax + bx) / 2
        add(Rule(x, min(ay, by), x, max(ay, by), number))


def _rect_edges(x0: float, y0: float, x1: float, y1: float, number: int, s: LayoutSettings, add) -> None:
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    if x1 - x0 <= s.thin_rect or y1 - y0 <= s.thin_rect:
        # A stroked hairline rectangle: one rule along it, not two coincident ones.
        _thin_rect((x0, y0, x1, y1), number, s, add)
        return
    add(Rule(x0, y0, x1, y0, number))
    add(Rule(x0, y1, x1, y1, number))
    add(Rule(x0, y0, x0, y1, number))
    add(Rule(x1, y0, x1, y1, number))


def _thin_rect(r, number: int, s: LayoutSettings, add) -> bool:
    """Add the rule a thin rectangle stands for; False when the rectangle is not thin."""
    x0, y0, x1, y1 = r
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    w, h = x1 - x0, y1 - y0
    if h <= s.thin_rect and w >= s.min_rule_length and w > h:
        y = (y0 + y1) / 2
        add(Rule(x0, y, x1, y, number))
        return True
    if w <= s.thin_rect and h >= s.min_rule_length and h > w:
        x = (x0 + x1) / 2
        add(Rule(x, y0, x, y1, number))
        return True
    return w <= s.thin_rect and h <= s.thin_rect  # a dot: nothing to add, but not a wide fill either
