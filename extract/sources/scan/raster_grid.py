"""Ruling lines from pixels: long thin horizontal and vertical dark runs of a page image.

A morphological opening with a long 1-D kernel (erosion then dilation) keeps only dark runs at least
as long as the kernel; text strokes are shorter and vanish. Done with cumulative sums in numpy, which is
as fast as OpenCV's morphologyEx for 1-D kernels and needs no extra dependency.
"""

from __future__ import annotations

import cv2
import numpy as np

from extract.core.layout import Rule
from extract.sources.grid import merge_rules, snap_rules

DARK = 140  # grey level below which a pixel is ink (scans are ~8-30 for ink, ~230-250 for paper)
MIN_H_PT = 24.0  # shortest horizontal rule kept, in points (longer than any run of text strokes)
MIN_V_PT = 13.0  # shortest vertical rule; a one-line table row is ~15 pt tall, a bracket ~10 pt
MAX_THICK_PT = 3.0  # thicker dark bands are filled areas or text blocks, not rules
GAP_PT = 2.0  # breaks up to this long (speckle, JPEG) inside one rule are bridged


def ink_mask(gray: np.ndarray, dark: int = DARK) -> np.ndarray:
    return gray < dark


def _window_all(mask: np.ndarray, k: int, axis: int) -> np.ndarray:
    """True where the k-long window starting at each position is all ink (erosion, anchored left)."""
    m = np.moveaxis(mask, axis, -1).astype(np.int32)
    c = np.zeros(m.shape[:-1] + (m.shape[-1] + 1,), dtype=np.int32)
    np.cumsum(m, axis=-1, out=c[..., 1:])
    full = (c[..., k:] - c[..., :-k]) == k
    return np.moveaxis(full, -1, axis)


def _spread(starts: np.ndarray, k: int, n: int, axis: int) -> np.ndarray:
    """Dilate window starts back to the k pixels they cover (the second half of the opening)."""
    s = np.moveaxis(starts, axis, -1).astype(np.int32)
    d = np.zeros(s.shape[:-1] + (n + 1,), dtype=np.int32)
    d[..., : s.shape[-1]] += s
    d[..., k : k + s.shape[-1]] -= s
    out = np.cumsum(d, axis=-1)[..., :n] > 0
    return np.moveaxis(out, -1, axis)


def open_lines(mask: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Morphological opening of a boolean image with a 1 x k (axis=1) or k x 1 (axis=0) kernel."""
    n = mask.shape[axis]
    if k <= 1 or n < k:
        return mask.copy() if k <= 1 else np.zeros_like(mask)
    return _spread(_window_all(mask, k, axis), k, n, axis)


def _bridge(mask: np.ndarray, gap: int, axis: int) -> np.ndarray:
    """Closing along one axis: fill breaks of at most `gap` pixels between ink runs."""
    if gap <= 0:
        return mask
    m = np.moveaxis(mask, axis, -1)
    n = m.shape[-1]
    idx = np.arange(n)
    last = np.where(m, idx, -(10**9))
    last = np.maximum.accumulate(last, axis=-1)
    nxt = np.where(m, idx, 10**9)
    nxt = np.minimum.accumulate(nxt[..., ::-1], axis=-1)[..., ::-1]
    filled = m | ((nxt - last) <= gap + 1)
    return np.moveaxis(filled, -1, axis)


def runs(v: np.ndarray) -> list[tuple[int, int]]:
    """(start, end_exclusive) of True runs of a 1-D boolean array."""
    d = np.diff(np.concatenate(([0], v.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


def _segments(
    lines: np.ndarray, axis: int, min_len: int, max_thick: int, gap: int
) -> list[tuple[float, int, int, int, int]]:
    """Group an opened line image into rules: (centre across, start along, end along, first and last
    row across) in pixels.

    axis=1: horizontal lines (rows are bands); axis=0: vertical lines (columns are bands).
    """
    across = lines.any(axis=axis)  # which rows (for horizontal) hold any line pixel
    out = []
    for a0, a1 in runs(across):
        band = lines[a0:a1, :] if axis == 1 else lines[:, a0:a1]
        along = band.any(axis=1 - axis)
        along = _bridge(along[None, :], gap, 1)[0]
        for s, e in runs(along):
            if e - s < min_len:
                continue
            piece = band[:, s:e] if axis == 1 else band[s:e, :]
            # thickness: rows (cols) of the band that this piece actually covers
            prof = piece.sum(axis=axis)
            rows = np.flatnonzero(prof > 0.25 * (e - s))
            if rows.size == 0:
                continue
            thick = rows[-1] - rows[0] + 1
            if thick > max_thick:
                continue
            w = prof[rows[0] : rows[-1] + 1].astype(np.float64)
            centre = a0 + int(rows[0]) + float((np.arange(w.size) * w).sum() / w.sum())
            out.append((centre, int(s), int(e), a0 + int(rows[0]), a0 + int(rows[-1]) + 1))
    return out


def line_mask(
    gray: np.ndarray, scale: float, min_h_pt: float = MIN_H_PT, min_v_pt: float = MIN_V_PT
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean images of the horizontal and the vertical line pixels (runs of half the minimum length).

    Pieces of one line broken by speckle or JPEG are joined later, in rules_from_masks: bridging before
    the opening would also join the strokes of a text line.
    """
    mask = ink_mask(gray)
    horiz = open_lines(mask, max(8, round(min_h_pt * scale * 0.5)), 1)
    vert = open_lines(mask, max(8, round(min_v_pt * scale * 0.5)), 0)
    return horiz, vert


def rules_from_masks(
    horiz: np.ndarray,
    vert: np.ndarray,
    scale: float,
    page: int,
    min_h_pt: float = MIN_H_PT,
    min_v_pt: float = MIN_V_PT,
) -> list[Rule]:
    """Rules (PDF points) from the line images of line_mask."""
    gap = max(1, round(GAP_PT * scale))
    max_thick = max(2, round(MAX_THICK_PT * scale))
    rules: list[Rule] = []
    for c, s, e, _r0, _r1 in _segments(horiz, 1, round(min_h_pt * scale), max_thick, gap):
        y = (c + 0.5) / scale
        rules.append(Rule(s / scale, y, e / scale, y, page))
    for c, s, e, _r0, _r1 in _segments(vert, 0, round(min_v_pt * scale), max_thick, gap):
        x = (c + 0.5) / scale
        rules.append(Rule(x, s / scale, x, e / scale, page))
    return merge_collinear(rules)


def find_rules(
    gray: np.ndarray,
    scale: float,
    page: int,
    min_h_pt: float = MIN_H_PT,
    min_v_pt: float = MIN_V_PT,
) -> list[Rule]:
    """Ruling lines of a page image (uint8 grey, 0 = black) as Rules in PDF points.

    `scale` is pixels per point (dpi / 72). Lines are taken from the image as given: deskew first.
    """
    horiz, vert = line_mask(gray, scale, min_h_pt, min_v_pt)
    rules = rules_from_masks(horiz, vert, scale, page, min_h_pt, min_v_pt)
    ink = ink_mask(gray)
    return connected(extend_to_crossings(bridge_inked_gaps(rules, ink, scale), ink, scale))


LIGHT_ALONG_PT = 12.0  # grey averaged along a line over this length first
LIGHT_CLIP = 40  # ink darker than the paper by more than this counts as this dark only
LIGHT_CONTRAST = 3  # grey levels a light rule is darker than the paper on both sides of it
LIGHT_SIDE_PT = 1.0  # ... the paper looked at this far either side (a rule is thinner, a stroke's ink wider)
LIGHT_SHARE = 0.6  # a light rule is that much darker over this share of a rule-long window at least
LIGHT_INK_MAX = 0.25  # a light rule is not ink: a row of underlined or stacked glyphs is
LIGHT_MIN_PT = 36.0  # a light row rule parts a row of the form: far longer than a bracket's or a glyph's stroke


def contrast_rows(gray: np.ndarray, scale: float, side_pt: float = LIGHT_SIDE_PT, contrast: int = LIGHT_CONTRAST,
                  along_pt: float = LIGHT_ALONG_PT) -> np.ndarray:
    """Pixels of horizontal lines darker by `contrast` than the paper above and below them, `side_pt` away (the
    lighter of two pixels there, so a line one or two pixels thick is compared with paper, not its own edge).

    The grey is first averaged along the line over `along_pt`, after ink darker than the paper by more than
    LIGHT_CLIP is raised to that level: a rule keeps its grey along itself, the paper's mottle and the strokes of
    a text line do not (and a text line's rows above and below are text too)."""
    d = max(2, round(side_pt * scale))
    paper = int(np.percentile(gray[::4, ::4], 90))
    g = np.maximum(gray, paper - LIGHT_CLIP).astype(np.float32)
    g = cv2.blur(g, (max(3, round(along_pt * scale)), 1))
    pad = np.pad(g, ((d + 1, d + 1), (0, 0)), mode="edge")
    n = g.shape[0]

    def shifted(k: int) -> np.ndarray:
        return pad[d + 1 + k: d + 1 + k + n, :]

    above = np.maximum(shifted(-d), shifted(-d - 1))
    below = np.maximum(shifted(d), shifted(d + 1))
    return (np.minimum(above, below) - g) >= contrast


def open_share(mask: np.ndarray, k: int, share: float) -> np.ndarray:
    """Like open_lines along rows, but a window counts where at least `share` of its k pixels are set: a light
    rule speckled by the paper's grain, or crossed by a glyph, keeps most of its pixels, not all."""
    n = mask.shape[1]
    if n < k:
        return np.zeros_like(mask)
    c = np.zeros((mask.shape[0], n + 1), dtype=np.int32)
    np.cumsum(mask.astype(np.int32), axis=1, out=c[:, 1:])
    return _spread((c[:, k:] - c[:, :-k]) >= share * k, k, n, 1) & mask


def find_light_rows(gray: np.ndarray, scale: float, page: int, min_pt: float = LIGHT_MIN_PT,
                    share: float = LIGHT_SHARE) -> list[Rule]:
    """Horizontal lines too light for the ink level DARK (an Excel hair border, a faded scan's grey line, a few grey
    levels under the paper), at least `min_pt` long: found by contrast across the line (contrast_rows) kept along a
    rule-long window (open_share). They part rows only: a partial grid of light borders read worse than none
    (scan rounds 2 and 4, r12_a01 and r14_a06, fourteenth session), so they never make cells."""
    k = max(8, round(min_pt * scale))
    rows = rules_from_masks(open_share(contrast_rows(gray, scale), k, share), np.zeros_like(gray, dtype=bool),
                            scale, page, min_pt, min_pt)
    return [r for r in rows if _ink_along(gray, r, scale) <= LIGHT_INK_MAX]


def _ink_along(gray: np.ndarray, r: Rule, scale: float) -> float:
    """The share of pixels darker than DARK on a horizontal rule's centre line (the darkest of the 3-pixel band)."""
    h = gray.shape[0]
    c = round(r.y0 * scale)
    band = gray[max(0, c - 1):min(h, c + 2), round(r.x0 * scale):round(r.x1 * scale)]
    return float((band.min(axis=0) < DARK).mean()) if band.size else 0.0


EXTEND_PT = 14.0  # a rule end this close to a crossing rule may be carried on to it ...
EXTEND_INK = 0.8  # ... where at least this share of the gap is ink along the rule's line


def _inked(ink: np.ndarray, scale: float, a: float, b: float, at: float, horizontal: bool, min_ink: float) -> bool:
    """Whether at least `min_ink` of the stretch a..b (points) along the line at `at` is ink (3-pixel band)."""
    h, w = ink.shape
    lo, hi = sorted((round(a * scale), round(b * scale)))
    c = round(at * scale)
    if hi <= lo:
        return True
    band = ink[max(0, c - 1):min(h, c + 2), lo:hi] if horizontal else ink[lo:hi, max(0, c - 1):min(w, c + 2)]
    return band.size > 0 and float(band.any(axis=0 if horizontal else 1).mean()) >= min_ink


def bridge_inked_gaps(rules: list[Rule], ink: np.ndarray, scale: float, reach_pt: float = EXTEND_PT,
                      min_ink: float = EXTEND_INK, tol: float = 1.5) -> list[Rule]:
    """Join two pieces of one line across a gap whose pixels along the line are ink: two light specks a
    few points apart cut a rule, the opening drops the short piece between them, and the cells above and
    below the rule merge (a cover's 機関名 cell took the 公表日 row)."""
    out: list[Rule] = []
    for horizontal in (True, False):
        along = sorted((r for r in rules if r.horizontal == horizontal),
                       key=lambda r: (r.y0, r.x0) if horizontal else (r.x0, r.y0))
        for r in along:
            prev = out[-1] if out and out[-1].horizontal == horizontal else None
            if prev is not None:
                at, p_at = (r.y0, prev.y0) if horizontal else (r.x0, prev.x0)
                p_end, start = (prev.x1, r.x0) if horizontal else (prev.y1, r.y0)
                if (abs(at - p_at) <= tol and 0 < start - p_end <= reach_pt
                        and _inked(ink, scale, p_end, start, (at + p_at) / 2, horizontal, min_ink)):
                    out[-1] = (Rule(prev.x0, p_at, max(prev.x1, r.x1), p_at, r.page) if horizontal
                               else Rule(p_at, prev.y0, p_at, max(prev.y1, r.y1), r.page))
                    continue
            out.append(r)
    return out


def extend_to_crossings(rules: list[Rule], ink: np.ndarray, scale: float,
                        reach_pt: float = EXTEND_PT, min_ink: float = EXTEND_INK) -> list[Rule]:
    """Carry each rule end on to the nearest crossing rule when the pixels between are ink: the
    opening drops the last piece of a rule cut by a light speck (a 10 pt stub before the border),
    and a cell whose border stops short of its neighbour's merges with it."""
    out = []

    def inked(a: float, b: float, at: float, horizontal: bool) -> bool:
        return _inked(ink, scale, a, b, at, horizontal, min_ink)

    for r in rules:
        others = [o for o in rules if o.horizontal != r.horizontal]
        if r.horizontal:
            y = r.y0
            cross = [o.x0 for o in others if o.y0 - 2 <= y <= o.y1 + 2]
            left = [x for x in cross if r.x0 - reach_pt <= x < r.x0 - 0.5 and inked(x, r.x0, y, True)]
            right = [x for x in cross if r.x1 + 0.5 < x <= r.x1 + reach_pt and inked(r.x1, x, y, True)]
            out.append(Rule(max(left, default=r.x0), y, min(right, default=r.x1), y, r.page))
        else:
            x = r.x0
            cross = [o.y0 for o in others if o.x0 - 2 <= x <= o.x1 + 2]
            up = [y for y in cross if r.y0 - reach_pt <= y < r.y0 - 0.5 and inked(y, r.y0, x, False)]
            down = [y for y in cross if r.y1 + 0.5 < y <= r.y1 + reach_pt and inked(r.y1, y, x, False)]
            out.append(Rule(x, max(up, default=r.y0), x, min(down, default=r.y1), r.page))
    return out


def frame_edges(rules: list[Rule], ink: np.ndarray, scale: float, min_ink: float = EXTEND_INK,
                tol: float = 1.5) -> list[Rule]:
    """Vertical borders where rows end: between two horizontal rules that end at one x, the column at that x
    is a table's side when its pixels are ink along the whole gap (EXTEND_INK). A thin grey side drifting a
    pixel across columns never stays in one column long enough for the opening, and its remnants were read
    as text (scan round 11, r21_b11 p. 1: the cover's 評価実施機関名 value "日出町長" took an "I" from it).
    Lines of text are cut at it (lines.text_lines), so its ink is a run of its own, too thin to read. It is not
    painted out (a bold heading's first glyph touches the side: r17_a09 p. 8's "5." was lost) nor given to the grid
    (a side closes cells whose inner rules broke: r14_a08 p. 3's 対象人数 and 取扱者数 fell into one cell)."""
    verticals = [r for r in rules if not r.horizontal]
    ends = sorted((x, r.y0) for r in rules if r.horizontal for x in (r.x0, r.x1))
    groups: list[list[tuple[float, float]]] = []
    for x, y in ends:
        if groups and x - groups[-1][-1][0] <= tol:
            groups[-1].append((x, y))
        else:
            groups.append([(x, y)])
    out = []
    for g in groups:
        x = sum(p[0] for p in g) / len(g)
        ys = sorted({round(p[1], 1) for p in g})
        for a, b in zip(ys, ys[1:]):
            covered = any(abs(v.x0 - x) <= tol and v.y0 <= a + tol and v.y1 >= b - tol for v in verticals)
            if not covered and _inked(ink, scale, a, b, x, False, min_ink):
                out.append(Rule(x, a, x, b, rules[0].page))
    return out


LONG_PT = 36.0  # rules at least this long stand alone; shorter ones must be cell borders
TOUCH_PT = 3.0


def connected(rules: list[Rule], long_pt: float = LONG_PT, touch: float = TOUCH_PT) -> list[Rule]:
    """Drop short rules that do not meet a rule of the other direction at both ends.

    A short cell border runs from one border to the next; the vertical stroke of a large glyph (a 16 pt
    title's 書 or 護 is 13-15 pt tall) touches nothing, and erasing it before OCR garbles the title.
    """
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]

    def meets(x: float, y: float, others: list[Rule], horizontal: bool) -> bool:
        for o in others:
            if horizontal:  # o is horizontal: (x, y) must lie on it
                if abs(o.y0 - y) <= touch and o.x0 - touch <= x <= o.x1 + touch:
                    return True
            elif abs(o.x0 - x) <= touch and o.y0 - touch <= y <= o.y1 + touch:
                return True
        return False

    out = []
    for r in hs:
        if r.x1 - r.x0 >= long_pt or (meets(r.x0, r.y0, vs, False) and meets(r.x1, r.y0, vs, False)):
            out.append(r)
    for r in vs:
        if r.y1 - r.y0 >= long_pt or (meets(r.x0, r.y0, hs, True) and meets(r.x0, r.y1, hs, True)):
            out.append(r)
    return out


def merge_collinear(rules: list[Rule], tol: float = 1.5, gap: float = GAP_PT) -> list[Rule]:
    """Join pieces of one line: the text path's snap + merge (extract/sources/grid.py) with pixel tolerances."""
    return merge_rules(snap_rules(rules, tol), gap)
