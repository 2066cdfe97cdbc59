"""Text lines of a cleaned page image, and characters placed on the page from a line recognizer's reading.

A line recognizer (extract.sources.scan.recognizer) reads one crop at a time, so the page is first cut
into runs of text: the ink (ruling lines already erased) is closed horizontally over gaps narrower than
about an em, and each connected run the size of text is a crop. A run taller than two lines is cut at
its empty rows. The recognizer's characters come back with their x-extent in the crop (CTC timesteps);
each is snapped to the ink it stands on (the glyph components whose centres fall in its part of the
line), so a bracket's box is the bracket's own strokes, as the bracket and tick logic needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import regex

from extract.core.layout import Rule
from extract.core.settings import OcrSettings
from extract.sources.scan.raster_grid import runs
from normalize.marks import UNKNOWN_MARK

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive
Symbol = tuple[int, str, Box, float, int, bool]  # as ocr._symbols: line, text, box, conf, line height, new word


def text_lines(ink: np.ndarray, scale: float, settings: OcrSettings | None = None,
               rules: Sequence[Rule] = ()) -> list[Box]:
    """Boxes of the runs of text on a binary ink mask (True = ink), top to bottom, left to right.

    `scale` is pixels per point; the closing gap and the sizes of text are in points (settings). A run
    never crosses a vertical ruling line (`rules`, in points): text of two cells is two runs."""
    s = settings or OcrSettings()
    gap = max(3, round(s.line_gap_pt * scale)) | 1  # odd: an even kernel shifts the runs by a pixel
    # a thin stroke running down more than two lines is no glyph's (a scanner's streak, a light border left on the
    # page): it would join the lines it crosses into one run (a block as wide as a glyph stays)
    tall = _opened(ink.astype(np.uint8), 1, round(2 * s.max_line_pt * scale) | 1)
    ink = ink & ~((tall > 0) & ~(_opened(tall, max(3, round(STREAK_MAX_PT * scale) | 1), 1) > 0))
    closed = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    for r in rules:
        if not r.horizontal:
            x = round((r.x0 + r.x1) / 2 * scale)
            y0, y1 = sorted((round(r.y0 * scale), round(r.y1 * scale)))
            closed[max(0, y0):y1 + 1, max(0, x - 1):x + 2] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    lo, hi = s.min_text_pt * scale, s.max_line_pt * scale
    out: list[Box] = []
    small: list[Box] = []
    for i, (x, y, w, h, area) in enumerate(stats[1:n].tolist(), start=1):
        if h < lo or area < 0.25 * lo * lo:  # area: ink pixels; a thin "1" or "2" has few
            small.append((int(x), int(y), int(x + w), int(y + h)))
            continue
        if h > hi:
            # its own ink only: runs lying inside its box are lines of their own
            own = ink[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i)
            out.extend(_split_rows(own, x, y, lo, hi, SPECK_PT * scale))
        else:  # trimmed to the ink: the closing also fills up to a rule's cut
            cols = np.flatnonzero(ink[y:y + h, x:x + w].any(axis=0))
            if cols.size:  # a run of fill alone, left between two ink runs where a rule cut them, has none
                out.append((int(x + cols[0]), int(y), int(x + cols[-1] + 1), int(y + h)))
    out += wrapped_glyphs(small, out)
    return sorted(out, key=lambda b: (round(b[1] / max(1.0, hi / 2)), b[0]))


WRAP_LINE = 10  # a line at least this many times its height wide is a wrapped line of a cell's text
WRAP_GLYPH = 0.2  # a glyph wrapped alone is at least this share of the line's height either way (a 。 or 、)


def wrapped_glyphs(small: Sequence[Box], lines: Sequence[Box]) -> list[Box]:
    """The runs too small for text (`small`) that are a glyph a cell's wrap put alone on the next line: a 。 or 、
    under the start of a full line (WRAP_LINE), WRAP_GLYPH to 0.6 of its height either way, and no line of text
    beside it (specks aside). Left out, the value ends a glyph short, and the second reading of its cell drops it
    as well (scan round 12, r22_a06 pp. 13-14: three texts read "…使用できない" for "…使用できない。"; scan round 2,
    r12_a01 p. 5)."""
    if not small or not lines:
        return []
    g = np.asarray(small, dtype=float)[:, None, :]  # glyphs x lines (a noisy page has thousands of specks)
    ln = np.asarray(lines, dtype=float)
    full = ln[(ln[:, 2] - ln[:, 0]) >= WRAP_LINE * (ln[:, 3] - ln[:, 1])][None, :, :]
    if not full.size:
        return []
    h = full[..., 3] - full[..., 1]
    w, gh = g[..., 2] - g[..., 0], g[..., 3] - g[..., 1]
    under = ((full[..., 3] <= g[..., 1]) & (g[..., 3] <= full[..., 3] + 1.4 * h)
             & (g[..., 0] - full[..., 0] >= -0.3 * h) & (g[..., 0] - full[..., 0] <= 0.8 * h)
             & (np.minimum(w, gh) >= WRAP_GLYPH * h) & (np.maximum(w, gh) <= 0.6 * h)
             & (w >= 0.5 * gh) & (w <= 2 * gh))
    out: list[Box] = []
    for k in np.flatnonzero(under.any(axis=1)):
        x0, y0, x1, y1 = small[k]
        hk = h[0, np.flatnonzero(under[k])[0]]
        if not any(b[1] < y1 and b[3] > y0 and x1 < b[2] and b[0] < x1 + 3 * hk for b in lines):
            out.append((x0, y0, x1, y1))
    return out


FAINT_REACH = 0.6  # a glyph the binary image lost at a line's end starts within this share of the line's height
FAINT_LEAST = 0.2  # ... and is at least this share of the height either way (a 。 or 、; not a speck)
FAINT_ROUNDS = 4  # glyphs taken one after another, at most
FAINT_CONTRAST = 30  # grey levels a glyph's pixel is darker than the median of its row and column past the end


def faint_ends(boxes: Sequence[Box], gray: np.ndarray, level: int, core: int, rules: Sequence[Rule] = (),
               scale: float = 1.0) -> list[Box]:
    """Each line box widened over the glyphs after its end that are darker than `level` (the page's first
    binarisation level) but were lost from the binary image: a page binarised again at a darker level
    (ocr.page_binary, a striped or mottled page) drops a light 。 after the last glyph, and a reading of
    the line's crop then ends without it, as does the second reading of the value's box (scan round 10,
    r20_b08: five texts read "…している" for "…している。").

    A glyph counts when it lies clear of the rows above and below the line (a streak or the next line
    runs on), is FAINT_LEAST to one line high, starts within FAINT_REACH of the line's height from the
    end, is darker somewhere than `core` (the ink's own level: a scanner's grey stripe is not), and no
    vertical ruling line (`rules`, points) stands between them. A line's start is left as it is: a faint
    glyph there the recognizer does not read (a grey ① before a label) would only change its reading."""
    walls = [(round((r.x0 + r.x1) / 2 * scale), min(r.y0, r.y1) * scale, max(r.y0, r.y1) * scale)
             for r in rules if not r.horizontal]
    out: list[Box] = []
    for box in boxes:
        for _ in range(FAINT_ROUNDS):
            grown = _faint_glyph(box, gray, (level, core), walls)
            if grown == box:
                break
            box = grown
        out.append(box)
    return out


def _faint_glyph(box: Box, gray: np.ndarray, levels: tuple[int, int], walls: list[tuple[int, float, float]]) -> Box:
    """`box` widened over the glyphs darker than the first of `levels` (and somewhere than the second) that start
    within FAINT_REACH beyond its end, as faint_ends."""
    level, core = levels
    x0, y0, x1, y1 = box
    h = y1 - y0
    reach, least = round(FAINT_REACH * h), max(2, round(FAINT_LEAST * h))
    top, bottom = max(0, y0 - h // 2), min(gray.shape[0], y1 + h // 2)
    a, b = x1, min(gray.shape[1], x1 + reach + h)
    for x, ya, yb in walls:
        if a <= x < b and ya < y1 and yb > y0:
            b = min(b, x)
    if b - a < least:
        return box
    window = gray[top:bottom, a:b]
    # darker than its own row and column too: a scanner's stripe along or across the line is as dark as a light
    # glyph, all along it
    row, col = np.median(window, axis=1, keepdims=True), np.median(window, axis=0, keepdims=True)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        (window < np.minimum(level, np.minimum(row, col) - FAINT_CONTRAST)).astype(np.uint8), connectivity=8)
    nx1, ny0, ny1 = x1, y0, y1
    for i, (cx, cy, w, ch, _area) in enumerate(stats[1:n].tolist(), start=1):
        clear = cy > 0 and cy + ch < bottom - top and top + cy < y1 and top + cy + ch > y0
        if not (clear and least <= w <= h and least <= ch <= h and cx <= reach):
            continue
        if window[cy:cy + ch, cx:cx + w][labels[cy:cy + ch, cx:cx + w] == i].min() >= core:
            continue
        nx1, ny0, ny1 = max(nx1, a + cx + w), min(ny0, top + cy), max(ny1, top + cy + ch)
    return (x0, ny0, nx1, ny1)


def _opened(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    """Morphological opening of a 0/1 image with a width x height rectangle (OpenCV: ten times numpy's cumulative
    sums on a full page)."""
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width, height)))


STREAK_MAX_PT = 3.0  # a vertical streak or border is thinner than this; a glyph's block wider
SPECK_PT = 1.2  # ink no larger than this either way is a speck when a tall run is cut into lines
SPARSE_ROW = 0.1  # a row of a band of several lines with less ink than this share of its inked rows' is a gap
STEM_COVER = 0.6  # a column inked over this share of a tall run's rows is a stroke through its lines


def _stems(sub: np.ndarray, widest: float) -> np.ndarray:
    """Columns of a tall run that a thin vertical stroke runs down (a cell border the rule finder missed, a
    scanner streak): inked over STEM_COVER of the rows, in a cluster no wider than `widest` pixels. Text is
    inked in its lines only, and a column of stacked glyphs is wider than a stroke."""
    tall = sub.mean(axis=0) > STEM_COVER
    out = np.zeros_like(tall)
    for a, b in runs(tall):
        if b - a <= widest:
            out[a:b] = True
    return out


def _without_specks(ink: np.ndarray, most: float) -> np.ndarray:
    """`ink` without its components no larger than `most` pixels either way."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= most) & (stats[:, cv2.CC_STAT_HEIGHT] <= most)
    small[0] = False
    return ink & ~small[labels]


def _split_rows(sub: np.ndarray, x0: int, y0: int, lo: float, hi: float, speck: float) -> list[Box]:
    """A tall run (`sub`: its own ink, its box's corner at `x0`, `y0`) cut at its rows empty but for specks (no
    larger than `speck` pixels either way) into bands at least `lo` high, each trimmed to its ink; a band still
    higher than `hi` (several lines) is cut again where its rows hold less than SPARSE_ROW of its inked rows' ink.
    A band of scanner noise beside the lines (a dirty drum's edge) inks every row: scan round 12, r22_b08 p. 13, a
    heading and its box were one run with the noise down the page's side. A thin stroke down the run (_stems) does
    not join its lines: scan round 5, r15_a02 p. 2, a table's left border the rule finder missed held the whole
    table in one run, read as one line of garbage."""
    sub = _without_specks(sub, speck)
    keep = ~_stems(sub, lo)
    rows = sub[:, keep].sum(axis=1)
    out: list[Box] = []
    for start, end in runs(rows > 0):
        if end - start < lo:
            continue
        parts = [(start, end)]
        if end - start > hi:
            band = rows[start:end]
            inked = band > SPARSE_ROW * np.percentile(band, 90)
            for a, b in runs(~inked):
                if b - a < lo / 6:  # the rows between a glyph's strokes are fewer
                    inked[a:b] = True
            parts = [(start + a, start + b) for a, b in runs(inked) if b - a >= lo]
        for a, b in parts:
            cols = np.flatnonzero(sub[a:b].any(axis=0) & keep)
            out.append((int(x0 + cols[0]), int(y0 + a), int(x0 + cols[-1] + 1), int(y0 + b)))
    return out


def crop(gray: np.ndarray, box: Box, pad: int, min_aspect: float = 2.0) -> tuple[np.ndarray, int]:
    """The grey pixels of `box` with `pad` pixels around it, and the crop's left edge in the page.

    A crop narrower than `min_aspect` times its height (a lone bracket or digit) is widened with paper
    on the right: a CTC recognizer needs a few timesteps to emit a character at all."""
    x0, y0, x1, y1 = box
    cx0 = max(0, x0 - pad)
    out = gray[max(0, y0 - pad):y1 + pad, cx0:x1 + pad]
    h, w = out.shape
    if w < min_aspect * h:
        paper = int(np.median(out)) if out.size else 255
        out = np.hstack([out, np.full((h, int(min_aspect * h) - w), max(paper, 200), dtype=out.dtype)])
    return out, cx0


def _glyphs(ink: np.ndarray, box: Box) -> list[Box]:
    """Connected ink components of one line, as boxes in page pixels."""
    x0, y0, x1, y1 = box
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1].astype(np.uint8), connectivity=8)
    return [(x0 + int(x), y0 + int(y), x0 + int(x + w), y0 + int(y + h)) for x, y, w, h, _a in stats[1:n]]


def place_characters(text: str, spans: Sequence[tuple[float, float]], probs: Sequence[float], left: int,
                     box: Box, ink: np.ndarray) -> list[tuple[str, Box, float]]:
    """Each character of a line reading with its box on the page: the union of the glyph components whose
    centres fall between the midpoints to its neighbours' spans and near its own span (within 0.3 of
    the line height), or its span when none does."""
    chars = [(c, sp, p) for c, sp, p in zip(text, spans, probs) if c.strip()]
    if not chars:
        return []
    centres = [left + (a + b) / 2 for _, (a, b), _ in chars]
    cuts = [(centres[i] + centres[i + 1]) / 2 for i in range(len(centres) - 1)]
    owned: list[list[Box]] = [[] for _ in chars]
    _, y0, _, y1 = box
    slack = 0.3 * (y1 - y0)
    glyphs = _glyphs(ink, box)
    for g in glyphs:
        if g[2] - g[0] > 2 * (y1 - y0):  # a stripe or a rule's remnant through the line, not a glyph
            continue
        i = int(np.searchsorted(cuts, (g[0] + g[2]) / 2))
        a, b = chars[i][1]
        # ink the reading emitted nothing for (a box's ○ read as "[]") stays nobody's: the tick logic
        # measures it between the brackets
        if left + a - slack <= (g[0] + g[2]) / 2 <= left + b + slack:
            owned[i].append(g)
    out = []
    for (c, (a, b), p), gs in zip(chars, owned):
        if gs:
            gb = (min(g[0] for g in gs), min(g[1] for g in gs), max(g[2] for g in gs), max(g[3] for g in gs))
        else:
            gb = (left + int(a), y0, left + int(np.ceil(b)), y1)
        out.append((c, gb, float(p)))
    unread = [(UNKNOWN_MARK, g, 0.0) for g in unread_glyphs(chars, left, box, glyphs)]
    return sorted(out + unread, key=lambda t: t[1][0]) if unread else out


UNREAD_W, UNREAD_H = 0.6, 0.5  # ink at least this wide and high (of the line's height) is a character
UNREAD_NEXT = 0.5  # ... and is kept unread when the first read character follows within this share of the height


def unread_glyphs(chars: Sequence[tuple[str, tuple[float, float], float]], left: int, box: Box,
                  glyphs: Sequence[Box]) -> list[Box]:
    """Glyph components (`glyphs`, of the line `box`) the size of a character that stand before the first
    character read, which follows close after them (by `slack` as in place_characters). Both engines drop a
    〒 before a postal code; the text they agree on is then wrong, so the place is kept as UNKNOWN_MARK with
    probability 0 and the value cannot pass as read. Ink the reading skipped after a read character is left
    out: it is most often the ※ printed after a label or a heading, which label matching ignores but a ⍰ in
    its place does not (scan round 4, r14_a06: 17 of its 19 unread glyphs were a label's ※, one inside the
    heading of Ⅲ; marked, 13 selections and ticks and 10 texts were lost), or a box's tick, which the ink
    decides between the brackets."""
    _, y0, _, y1 = box
    h = y1 - y0
    slack = 0.3 * h  # a character's ink may lie a little beside its span
    first = left + chars[0][1][0]
    return [g for g in glyphs
            if UNREAD_W * h <= g[2] - g[0] <= 2 * h and g[3] - g[1] >= UNREAD_H * h
            and g[2] + slack <= first <= g[2] + slack + UNREAD_NEXT * h]


SPREAD_EM = 0.6  # a space widens the pitch between two glyphs by this share of the line's height over its usual
SPREAD_LEAST = 3  # ... on a line of this many glyph pairs or more (fewer: the gap alone decides)
_LETTER = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー]")  # the pitch test runs between two of these only
SPREAD_PITCH = 1.3  # ... spread out: its usual pitch is wider than this share of its height (set solid: about 1)


def symbols_from_readings(boxes: Sequence[Box], readings: Sequence, lefts: Sequence[int], ink: np.ndarray,
                          space_em: float = 0.9) -> list[Symbol]:
    """The page's characters as symbols (the Tesseract symbol tuple of ocr._symbols): one line per box;
    a new word where the reading has a space or the ink leaves a gap wider than `space_em` of the line (and, on a
    line spread out, a pitch SPREAD_EM wider than its usual one)."""
    out: list[Symbol] = []
    for line, (box, reading, left) in enumerate(zip(boxes, readings, lefts)):
        h = box[3] - box[1]
        prev_x1, prev_cx, prev_c = None, 0.0, ""
        spaced = False
        placed = place_characters(reading.text, reading.spans, reading.probs or [reading.confidence] * len(
            reading.text), left, box, ink)
        # a line printed spread out (a cell's distributed alignment, 均等割り付け) leaves wide gaps between all its
        # glyphs: there a wide gap is a space only where the pitch between the glyphs' centres is also wider than the
        # line's usual pitch (scan round 11, r21_b02's 特記事項 "中間サーバー・プラットフォーム…" read "中間サーバ ー・…").
        # A line set solid keeps the gap rule, and so does any pair but two letters: a tick box's brackets and mark are
        # spaced apart by nature, and a speck read "，" before a heading is no letter of it (without: r18_b09 lost 28
        # ticks and a file's part Ⅲ).
        pitches = sorted((b[1][0] + b[1][2] - a[1][0] - a[1][2]) / 2 for a, b in zip(placed, placed[1:])
                         if _LETTER.match(a[0]) and _LETTER.match(b[0]))
        usual = pitches[(len(pitches) - 1) // 2] if len(pitches) >= SPREAD_LEAST else None  # too few for a usual one
        texts = iter(reading.text)
        for c, gb, p in placed:
            for t in texts if c != UNKNOWN_MARK else ():  # a space in the reading before this character starts a word
                if t == c:
                    break
                spaced = spaced or not t.strip()
            wide = prev_x1 is not None and gb[0] - prev_x1 > space_em * h
            if wide and usual is not None and usual > SPREAD_PITCH * h and _LETTER.match(c) and _LETTER.match(prev_c):
                # between two letters a space adds an em to the usual pitch
                wide = (gb[0] + gb[2]) / 2 - prev_cx > usual + SPREAD_EM * h
            starts = spaced or wide
            out.append((line, c, gb, p, h, starts))
            prev_x1, prev_cx, prev_c, spaced = gb[2], (gb[0] + gb[2]) / 2, c, False
    return out
