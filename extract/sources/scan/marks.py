"""Tick ink: how much ink lies between the brackets of "[ ○ ]" on a scanned page, and what it means.

A form's tick box is printed as "[ ]" (unticked) or "[ ○ ]" (ticked). OCR often misreads the small
circle ("o", "0", "。") or drops it, so the decision rests on the ink between the brackets and the OCR
text is only a cross-check: when the two disagree, or the ink is in the band between "clearly empty"
and "clearly a circle", the answer is unreadable with the reason, never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extract.core.layout import Mark, Word
from extract.sources.scan.raster_grid import runs
from normalize.marks import UNKNOWN_MARK, tick_state

OPEN = frozenset("[［【〔")
CLOSE = frozenset("]］】〕")
DARK = 140

# Ink share inside the bracket area (speckle removed). An empty box on a 150-300 dpi scan measures
# < 0.01; a printed ○ 0.04-0.20 depending on its size (a half-width ○ in "[ ○ ]" is the least).
EMPTY_MAX = 0.015
TICKED_MIN = 0.035
BLANK_MAX = 0.003  # no ink at all, speckle removed

# What OCR makes of a printed ○ besides ○ itself: treated as "a round mark is there", never as text.
TICK_LOOKALIKES = frozenset("○〇◯◎●oO0°º。゜ｏＯ０9Qe@の")
_DOTS = frozenset("°º。゜.・")  # the lookalikes a single speck is also read as


def _despeckle(mask: np.ndarray) -> np.ndarray:
    """Drop ink pixels with fewer than two ink neighbours (scanner speckle, JPEG dots)."""
    if mask.size == 0:
        return mask
    p = np.pad(mask, 1).astype(np.int8)
    n = sum(
        p[1 + dy : p.shape[0] - 1 + dy, 1 + dx : p.shape[1] - 1 + dx]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if dy or dx
    )
    return mask & (n >= 2)


def ink_ratio(gray: np.ndarray, box: tuple[float, float, float, float], scale: float) -> float:
    """Share of (despeckled) ink pixels of `gray` inside `box` (points; `scale` pixels per point)."""
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    h, w = gray.shape
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    crop = gray[y0:y1, x0:x1] < DARK
    return float(_despeckle(crop).mean())


def _same_line(a: Word, b: Word) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def bracket_pairs(words: list[Word]) -> list[tuple[Word, Word]]:
    """Each opening bracket word with the nearest closing bracket to its right on the same line."""
    opens = [w for w in words if w.text in OPEN]
    closes = [w for w in words if w.text in CLOSE]
    pairs = []
    used: set[int] = set()
    for o in sorted(opens, key=lambda w: (w.y0, w.x0)):
        h = o.y1 - o.y0
        best = None
        for i, c in enumerate(closes):
            if i in used or c.x0 < o.x1 - 0.2 * h or not _same_line(o, c) or c.x0 - o.x1 > 40 * h:
                continue
            if best is None or c.x0 < closes[best].x0:
                best = i
        if best is None:
            continue
        c = closes[best]
        # another opening bracket in between means this one is unpaired
        if any(q is not o and _same_line(q, o) and o.x1 <= q.x0 < c.x0 for q in opens):
            continue
        used.add(best)
        pairs.append((o, c))
    return pairs


def inner_box(o: Word, c: Word) -> tuple[float, float, float, float]:
    """The area between two bracket glyphs, kept clear of their strokes."""
    y0, y1 = min(o.y0, c.y0), max(o.y1, c.y1)
    h = y1 - y0
    return (o.x1 + 0.06 * h, y0 + 0.12 * h, c.x0 - 0.06 * h, y1 - 0.12 * h)


def find_stem(gray: np.ndarray, w: Word, scale: float, closing: bool) -> Word | None:
    """The missing partner of bracket word `w`, found in the ink: the nearest bracket-shaped stroke
    (a vertical stem as tall as `w`, with short serifs at both ends pointing back at `w` and nothing
    beside its middle) within three bracket heights to the right (closing) or left. OCR often reads a
    lone "]" as "1" or glues it to the next word."""
    h_pt = w.y1 - w.y0
    y0, y1 = round(w.y0 * scale), round(w.y1 * scale)
    h = y1 - y0
    if h < 6:
        return None
    if closing:
        xa, xb = round((w.x1 + 0.3 * h_pt) * scale), round((w.x1 + 3 * h_pt) * scale)
    else:
        xa, xb = round((w.x0 - 3 * h_pt) * scale), round((w.x0 - 0.3 * h_pt) * scale)
    pad = round(0.25 * h)
    ya = max(0, y0 - pad)
    xa, xb = max(0, xa), min(gray.shape[1], xb)
    if xb - xa < 3:
        return None
    ink = _despeckle(gray[ya : y1 + pad, xa:xb] < DARK)
    counts = ink[y0 - ya : y1 - ya].sum(axis=0)
    serif = max(2, round(0.12 * h))
    order = range(ink.shape[1]) if closing else range(ink.shape[1] - 1, -1, -1)
    middle = (y0 + y1) // 2 - ya
    for c in order:
        if counts[c] < 0.7 * h or not ink[middle, c]:
            continue
        # the stroke's run through the word's middle (breaks of a pixel or two bridged): brackets stacked in a
        # column ("【" over "【") reach into the crop with their ends, which are not this bracket's
        top, bottom = next((a, b - 1) for a, b in runs(_bridged(ink[:, c], serif // 2)) if a <= middle < b)
        if abs(top - (y0 - ya)) > 0.25 * h or abs(bottom - (y1 - ya)) > 0.25 * h:
            continue
        side = slice(max(0, c - 2 * serif), c - 1) if closing else slice(c + 2, c + 2 * serif + 1)
        ends_ok = ink[top : top + serif, side].any() and ink[bottom - serif + 1 : bottom + 1, side].any()
        mid = ink[top + round(0.3 * h) : bottom - round(0.3 * h), side]
        if ends_ok and mid.size and mid.mean() < 0.2:
            x = (xa + c) / scale
            box_y0, box_y1 = (ya + top) / scale, (ya + bottom + 1) / scale
            if closing:
                return Word("]", x - 2 * serif / scale, box_y0, x + 1 / scale, box_y1, w.page, w.size, 0.0)
            return Word("[", x, box_y0, x + 2 * serif / scale, box_y1, w.page, w.size, 0.0)
    return None


def _bridged(column: np.ndarray, gap: int) -> np.ndarray:
    """A column of ink with its breaks of at most `gap` pixels filled."""
    out = column.copy()
    for a, b in runs(~column):
        if b - a <= gap and a > 0 and b < len(column):
            out[a:b] = True
    return out


def with_found_partners(gray: np.ndarray, words: list[Word], scale: float) -> list[Word]:
    """`words` plus bracket words found in the ink for brackets OCR left without a partner."""
    paired = {id(x) for pair in bracket_pairs(words) for x in pair}
    paired |= {id(x) for pair in _wraps(words, paired) for x in pair}  # the halves of a wrapped box: wrapped_boxes
    found = []
    for w in words:
        if id(w) in paired or (w.text not in OPEN and w.text not in CLOSE):
            continue
        partner = find_stem(gray, w, scale, closing=w.text in OPEN)
        if partner is not None:
            found.append(partner)
    return words + found if found else words


_BRACKET_LOOKALIKES = frozenset("1lI|!」』JｌＩ｜")  # what OCR makes of a lone "]"


def restore_brackets(gray: np.ndarray, words: list[Word], scale: float) -> list[Word]:
    """Closing brackets OCR misread or dropped, restored where the ink shows a bracket stroke (and
    opening ones it dropped before a lone "]": _restore_openers).

    For an opening bracket without a partner, find_stem looks for a "]"-shaped stroke to its right. A
    word on that stroke that is a bracket look-alike ("1", "」", "|") becomes "]"; a word ending in one
    ("30万人以上1") loses that character to a "]" word; where no word covers the stroke, OCR dropped the
    bracket and a "]" word is added. Nothing is changed without the stroke in the ink."""
    paired = {id(x) for pair in bracket_pairs(words) for x in pair}
    out = list(words)
    for o in words:
        if id(o) in paired or o.text not in OPEN:
            continue
        stem = find_stem(gray, o, scale, closing=True)
        if stem is None:
            _restore_far(gray, o, out, scale, words)
            continue
        h = o.y1 - o.y0
        on = [i for i, w in enumerate(out) if _same_line(w, o) and w.x0 < stem.x1 + 0.2 * h and w.x1 > stem.x0 - 0.2 * h
              and w.x0 > o.x1 - 0.1 * h]
        if not on:
            out.append(stem)
        elif len(on) == 1 and out[on[0]].text in _BRACKET_LOOKALIKES:
            w = out[on[0]]
            out[on[0]] = Word("]", w.x0, w.y0, w.x1, w.y1, w.page, w.size, w.conf)
        elif len(on) == 1 and _swallowed(out[on[0]], o, stem, h):
            # "[ ] その他" read as "[", "1その他" or "[", "その他" with the word's box over the "]": a tick
            # box's width from "[" (a value's text starts right after its bracket), the word starts on the stroke
            w = out[on[0]]
            text = w.text[1:] if w.text[0] in _BRACKET_LOOKALIKES else w.text
            out[on[0]] = Word(text, max(w.x0, stem.x1), w.y0, w.x1, w.y1, w.page, w.size, w.conf)
            out.append(stem)
        else:  # the stroke lies inside a word ("1万人未満"): not a box's bracket, look further
            _restore_far(gray, o, out, scale, words)
    return _restore_openers(gray, out, scale)


_OPENER_LOOKALIKES = frozenset("|lI!「『")  # what OCR makes of a lone "["


def _restore_openers(gray: np.ndarray, words: list[Word], scale: float) -> list[Word]:
    """Opening brackets OCR dropped: a "]" with no "[" before it on its line gets one where the ink shows a
    "["-shaped stroke within three bracket heights to its left that no word covers, or that a "[" look-alike
    alone covers, with nothing but a tick mark between it and the "]" (a box at a cell's left edge:
    "] 情報提供ネットワークシステム")."""
    paired = {id(x) for pair in bracket_pairs(words) for x in pair}
    # the second half of a wrapped box has its "[" ending the line above, not a stroke to find at the cell's side
    # (scan round 16, r26_a09 p. 19: the cell's left border was taken for a "[" before "】 接続しない（提供）", the box
    # read empty, and its ● after the "【" ending the line above was lost)
    wrapped = {id(c) for _, c in _wraps(words, paired)}
    out = list(words)
    for c in words:
        if id(c) in paired or c.text not in CLOSE or id(c) in wrapped:
            continue
        h = c.y1 - c.y0
        if any(_same_line(w, c) and w.text in OPEN and w.x1 <= c.x0 + 0.2 * h and c.x0 - w.x1 < 3 * h for w in out):
            continue
        stem = find_stem(gray, c, scale, closing=False)
        # a box holds nothing but its mark: a word between the stroke and the "]" ("リスク】", a cell
        # border for the stroke) means this is no box
        if stem is None or any(_same_line(w, c) and stem.x1 + 0.2 * h < w.x0 < c.x0 - 0.1 * h
                               and w.text not in TICK_LOOKALIKES for w in out):
            continue
        on = [i for i, w in enumerate(out) if _same_line(w, c) and w.x0 < stem.x1 + 0.2 * h
              and w.x1 > stem.x0 - 0.2 * h and w.x1 < c.x0 + 0.1 * h]
        if not on:
            out.append(stem)
        elif len(on) == 1 and out[on[0]].text in _OPENER_LOOKALIKES:
            w = out[on[0]]
            out[on[0]] = Word("[", w.x0, w.y0, w.x1, w.y1, w.page, w.size, w.conf)
    return out


def trim_wide_brackets(gray: np.ndarray, words: list[Word], scale: float) -> list[Word]:
    """Bracket words whose box swallowed a neighbour, cut back to the bracket's own stroke. OCR sometimes
    reads "[ ○" as one "[" 10 pt wide, or "] 紙" as one "1" (restored to "]"): the box between the brackets
    then misses the circle. The bracket's stem is the first column of the box that is ink over most of
    its height, at the box's outer edge; without such a stem the word is left as it is."""
    out = []
    for w in words:
        h = w.y1 - w.y0
        if (w.text not in OPEN and w.text not in CLOSE) or w.x1 - w.x0 <= 0.6 * h:
            out.append(w)
            continue
        x0, x1 = round(w.x0 * scale), round(w.x1 * scale)
        y0, y1 = round(w.y0 * scale), round(w.y1 * scale)
        ink = _despeckle(gray[max(0, y0):y1, max(0, x0):x1] < DARK)
        tall = np.flatnonzero(ink.sum(axis=0) >= 0.7 * ink.shape[0]) if ink.size else np.array([], int)
        edge = 0.4 * h * scale
        if tall.size == 0 or tall[0] > edge:
            out.append(w)  # no stem at the left edge: "]" after text ("紙]"), or no bracket stroke at all
            continue
        stem = x0 + int(tall[0])
        if w.text in OPEN:
            right = stem + 0.35 * h * scale
            out.append(Word(w.text, w.x0, w.y0, right / scale, w.y1, w.page, w.size, w.conf))
        else:
            out.append(Word(w.text, w.x0, w.y0, (stem + 1) / scale, w.y1, w.page, w.size, w.conf))
    return out


def _swallowed(w: Word, o: Word, stem: Word, h: float) -> bool:
    """Whether word `w` begins on the "]" stroke `stem` of a tick box opened by `o`."""
    return (stem.x0 - o.x1 >= 1.2 * h and stem.x0 - 0.3 * h <= w.x0 <= stem.x1 + 0.2 * h and len(w.text) >= 2
            and not (w.text[0] in _BRACKET_LOOKALIKES and w.text[1] in _BRACKET_LOOKALIKES))


def _restore_far(gray: np.ndarray, o: Word, out: list[Word], scale: float, words: list[Word]) -> None:
    """A selection's "[ 30万人以上1": the closing bracket, read as the last character of the value
    word, is confirmed by a "]"-shaped stroke under that character, then split off."""
    h = o.y1 - o.y0
    line = sorted((i for i, w in enumerate(out) if _same_line(w, o) and w.x0 >= o.x1 - 0.1 * h
                   and w.x0 - o.x1 < 40 * h), key=lambda i: out[i].x0)
    for i in line:
        w = out[i]
        if w.text in OPEN or w.text in CLOSE:
            return  # another bracket comes first: not this case
        if w.text[-1] not in _BRACKET_LOOKALIKES:
            continue
        probe = Word("[", w.x1 - 1.3 * h, o.y0, w.x1 - 1.3 * h, o.y1, o.page, o.size, 0.0)
        stem = find_stem(gray, probe, scale, closing=True)
        if stem is None or stem.x0 < w.x1 - 0.6 * h:
            return
        if len(w.text) == 1:
            out[i] = Word("]", w.x0, w.y0, w.x1, w.y1, w.page, w.size, w.conf)
        else:
            out[i] = Word(w.text[:-1], w.x0, w.y0, min(w.x1, stem.x0), w.y1, w.page, w.size, w.conf)
            out.append(stem)
        return


BOX_MATCH = 0.8  # correlation of a bracket's ink with the page's own brackets: a bracket 0.86-0.95, any other glyph 0.65 at most
BOX_SPACING = 0.06  # a box's two brackets stand the page's spacing apart within this share of it


@dataclass(frozen=True, slots=True)
class PageBox:
    """A page's tick box as OCR read it whole: the distance between its brackets' centres and each bracket's
    ink (the mean of their despeckled masks at DARK), in pixels."""

    spacing: float
    height: float
    opener: np.ndarray
    closer: np.ndarray


def _ink(gray: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray | None:
    """The despeckled ink (DARK) of a window of the page as 0/1 floats; None where it leaves the page."""
    if x0 < 0 or y0 < 0 or x1 > gray.shape[1] or y1 > gray.shape[0]:
        return None
    return _despeckle(gray[y0:y1, x0:x1] < DARK).astype(np.float32)


def _patch(gray: np.ndarray, cx: float, cy: float, half_w: int, half_h: int) -> np.ndarray | None:
    x, y = round(cx), round(cy)
    return _ink(gray, x - half_w, y - half_h, x + half_w + 1, y + half_h + 1)


def page_box(gray: np.ndarray, words: list[Word], scale: float) -> PageBox | None:
    """The page's tick box, where OCR read at least two boxes whole ("[", a mark or nothing, "]") with their
    brackets the same distance apart (within BOX_SPACING); None otherwise."""
    boxes = [(o, c) for o, c in bracket_pairs(words)
             if len(o.text) == 1 and len(c.text) == 1 and is_tick_box(inner_text(Mark(*inner_box(o, c), o.page, 0.0), words))]
    if len(boxes) < 2:
        return None
    apart = [(c.x0 + c.x1 - o.x0 - o.x1) / 2 for o, c in boxes]
    usual = float(np.median(apart))
    boxes = [b for b, d in zip(boxes, apart, strict=True) if abs(d - usual) <= BOX_SPACING * usual]
    if len(boxes) < 2:
        return None
    height = float(np.median([max(o.y1, c.y1) - min(o.y0, c.y0) for o, c in boxes])) * scale
    half_h, half_w = round(0.6 * height), round(0.3 * height)
    if half_w < 2:
        return None

    def mean_ink(ws: list[Word]) -> np.ndarray | None:
        patches = [p for w in ws if (p := _patch(gray, (w.x0 + w.x1) / 2 * scale, (w.y0 + w.y1) / 2 * scale,
                                                 half_w, half_h)) is not None]
        return np.mean(patches, axis=0) if len(patches) >= 2 else None

    opener, closer = mean_ink([o for o, _ in boxes]), mean_ink([c for _, c in boxes])
    if opener is None or closer is None or opener.std() == 0 or closer.std() == 0:
        return None
    return PageBox(usual * scale, height, opener, closer)


def _best_match(gray: np.ndarray, template: np.ndarray, cx: float, cy: float, dx: float, dy: float
                ) -> tuple[float, float, float]:
    """The best correlation of `template` with the page's ink centred within (dx, dy) pixels of (cx, cy), and where."""
    th, tw = template.shape
    x0, y0 = round(cx - dx) - tw // 2, round(cy - dy) - th // 2
    window = _ink(gray, x0, y0, round(cx + dx) + tw // 2 + 1, round(cy + dy) + th // 2 + 1)
    if window is None or window.std() == 0:
        return (0.0, cx, cy)
    found = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(found)
    return (float(best), x0 + bx + tw // 2, y0 + by + th // 2)


def boxes_like_the_page(gray: np.ndarray, words: list[Word], scale: float) -> list[Word]:
    """Tick boxes OCR misread, found where the ink shows the page's own box (page_box): a glyph whose ink
    matches the page's opening bracket (BOX_MATCH), with ink matching its closing bracket the page's spacing
    to its right, or the other way round. A form prints every box of a page alike, so the boxes OCR read whole
    tell what the others look like; OCR reads a bracket as a letter, a digit or a kanji ("C 1 庁内連携システ",
    "5 1 住民基本台帳…", "Q 】 税務システム") or drops it ("】 情報提供…"), more often where it is "【 】" rather
    than "[ ]" (scan round 14, r24_a04). Each bracket's place becomes a bracket word: a word of one glyph there
    is replaced, a bracket with no word is added; where a longer word covers it, nothing is changed."""
    box = page_box(gray, words, scale)
    if box is None:
        return words
    # the page's boxes read whole stay as they are; a bracket paired with another box's bracket is looked at again
    paired = {id(x) for o, c in bracket_pairs(words) for x in (o, c)
              if abs((c.x0 + c.x1 - o.x0 - o.x1) / 2 * scale - box.spacing) <= BOX_SPACING * box.spacing}
    out = list(words)
    done: set[tuple[int, int]] = set()
    step, rise = 0.3 * box.height, 0.25 * box.height
    for w in words:
        if len(w.text) != 1 or id(w) in paired:
            continue
        cx, cy = (w.x0 + w.x1) / 2 * scale, (w.y0 + w.y1) / 2 * scale
        for here, there, sign in ((box.opener, box.closer, 1), (box.closer, box.opener, -1)):
            at, x, y = _best_match(gray, here, cx, cy, step, rise)
            if at < BOX_MATCH:
                continue
            partner, px, py = _best_match(gray, there, x + sign * box.spacing, y, BOX_SPACING * box.spacing,
                                          0.15 * box.height)
            if partner < BOX_MATCH:
                continue
            ox, cx_ = (x, px) if sign == 1 else (px, x)
            if (round(ox / step), round(y / step)) in done:
                break
            if _mark_box(out, ox / scale, cx_ / scale, (y if sign == 1 else py) / scale, box, scale, w.page):
                done.add((round(ox / step), round(y / step)))
            break
    return out


def _mark_box(out: list[Word], ox: float, cx: float, cy: float, box: PageBox, scale: float, page: int) -> bool:
    """Make the words at an opening bracket centred at (ox, cy) and a closing one at (cx, cy) (points) brackets;
    False, changing nothing, where a word of more than one glyph covers either place."""
    half_w, half_h = box.opener.shape[1] / 2 / scale, box.height / 2 / scale
    edits: list[tuple[int | None, Word]] = []
    for x, glyph in ((ox, "["), (cx, "]")):
        on = [i for i, v in enumerate(out) if abs((v.y0 + v.y1) / 2 - cy) < half_h and v.x0 < x + half_w
              and v.x1 > x - half_w and abs((v.x0 + v.x1) / 2 - x) < 2 * half_w]
        if any(len(out[i].text) != 1 for i in on) or len(on) > 1:
            return False
        if on and out[on[0]].text in (OPEN if glyph == "[" else CLOSE):
            continue
        new = Word(glyph, x - half_w / 2, cy - half_h, x + half_w / 2, cy + half_h, page, 2 * half_h, 0.0)
        edits.append((on[0] if on else None, new))
    for i, new in edits:
        if i is None:
            out.append(new)
        else:
            out[i] = new
    return True


def bracket_marks(gray: np.ndarray, words: list[Word], scale: float, page: int) -> list[Mark]:
    """A Mark (inner box, ink share) for every "[ … ]" pair found in the OCR words.

    `gray` is the page image the words were read from (uint8, 0 = black), `scale` its pixels per point.
    Both tick boxes and selection brackets ("[十分である]") get a Mark; the form parser knows which is which.
    """
    marks = []
    words = with_found_partners(gray, words, scale)
    pairs = bracket_pairs(words)
    for o, c in pairs:
        box = inner_box(o, c)
        if box[2] <= box[0]:
            continue
        marks.append(Mark(box[0], box[1], box[2], box[3], page, ink_ratio(gray, box, scale)))
    for box in wrapped_boxes(words, marks, pairs):
        box = before_a_rule(gray, box, scale)
        if box[2] > box[0]:
            marks.append(Mark(box[0], box[1], box[2], box[3], page, ink_ratio(gray, box, scale)))
    return marks


RULE_REACH = 0.5  # a ruling line runs on this share of the line's height above and below it; a glyph's stroke does not
RULE_CONTRAST = 30  # grey levels a cell's side is darker than the paper around it


def before_a_rule(gray: np.ndarray, box: tuple[float, float, float, float], scale: float
                  ) -> tuple[float, float, float, float]:
    """A box cut short where a cell's side crosses it: a column inked from RULE_REACH line heights above the box
    to as far below it. The half of a box a wrap left at a line's end is measured as wide as the page's boxes, and
    where the cell ends sooner its side's ink was read as a grey mark (scan round 10, r20_b05 p. 7: "【" ending two
    lines, both halves unreadable, and with them every box of the page read empty)."""
    x0, y0, x1, y1 = box
    reach = RULE_REACH * (y1 - y0)
    ya, yb = round((y0 - reach) * scale), round((y1 + reach) * scale)
    xa, xb = round(x0 * scale), round(x1 * scale)
    if ya < 0 or yb > gray.shape[0] or xb <= xa:
        return box
    band = gray[ya:yb, max(0, xa):min(gray.shape[1], xb)]
    # a grey side is a side too: a column darker than the band's paper by RULE_CONTRAST all down the band (scan round
    # 18, r28_b02 p. 10: a grey border under speckle, dark below DARK over 42 % of the band, its remnants read as a
    # faded ○ in the half box, and every empty box of the page unknown); specks and glyphs do not run that far
    band = band < max(DARK, float(np.median(band)) - RULE_CONTRAST)
    crossed = np.flatnonzero(band.mean(axis=0) >= 0.9)
    if crossed.size == 0:
        return box
    return (x0, y0, (max(0, xa) + int(crossed[0])) / scale - 0.5, y1)


WRAP_WIDTH = 3.0  # a box's inner width in bracket heights, where the page has no whole tick box to measure


def _wraps(words: list[Word], paired: set[int]) -> list[tuple[Word, Word]]:
    """Each lone "[" that ends its line with the lone "]" that starts the next: the two halves of a box a cell's
    wrap split. The next line starts where the "[" line's text starts: a label in the column to the left, on the
    same line, is another cell's (r26_a09 p. 19: "6.情報提供ネットワークシステムとの接続")."""
    out = []
    for o in words:
        if o.text not in OPEN or id(o) in paired:
            continue
        h = o.y1 - o.y0
        line = [w for w in words if _same_line(w, o)]
        if any(w.x0 >= o.x1 - 0.1 * h for w in line if w is not o):
            continue  # the "[" does not end its line
        start = min(w.x0 for w in line) - h
        c = next((c for c in words if c.text in CLOSE and id(c) not in paired and c.x0 < o.x0
                  and 0.8 * h < c.y0 - o.y0 < 2.5 * h
                  and not any(_same_line(w, c) and start <= w.x1 <= c.x0 + 0.1 * h for w in words if w is not c)),
                 None)
        if c is not None:  # else: not the first word of the next line
            out.append((o, c))
    return out


def wrapped_boxes(words: list[Word], marks: list[Mark],
                  pairs: list[tuple[Word, Word]] | None = None) -> list[tuple[float, float, float, float]]:
    """The two halves of each box a cell's wrap split over two lines ("【 ○" ending one line, "】" starting the
    next): the area after the "[" as wide as the page's tick boxes, and the area before the "]" back to where the
    "[" line's text starts. Without a Mark the box's ink was never measured, and "[" "]" on two lines read as an
    empty box (scan round 12, r22_b05 p. 4: a light ○ after a wrapped "【" read unticked). `pairs`: the words'
    bracket_pairs, where the caller has them."""
    paired = {id(x) for pair in (bracket_pairs(words) if pairs is None else pairs) for x in pair}
    widths = sorted(m.x1 - m.x0 for m in marks if is_tick_box(inner_text(m, words)))
    out = []
    for o, c in _wraps(words, paired):
        h = o.y1 - o.y0
        width = widths[len(widths) // 2] if widths else WRAP_WIDTH * h
        out.append((o.x1 + 0.06 * h, o.y0 + 0.12 * h, o.x1 + width, o.y1 - 0.12 * h))
        start = min(w.x0 for w in words if _same_line(w, o))
        hc = c.y1 - c.y0
        if c.x0 - start > 0.5 * hc:
            out.append((max(start - 0.25 * hc, c.x0 - width), c.y0 + 0.12 * hc, c.x0 - 0.06 * hc, c.y1 - 0.12 * hc))
    return out


def inner_text(mark: Mark, words: list[Word]) -> str:
    """The OCR text between a mark's brackets: words whose horizontal centre lies inside the mark and
    that overlap it vertically (OCR symbol boxes are loose vertically, so centres are not enough)."""
    inside = [
        w for w in words
        if mark.x0 < (w.x0 + w.x1) / 2 < mark.x1 and min(w.y1, mark.y1) > max(w.y0, mark.y0)
        and w.text not in OPEN and w.text not in CLOSE
    ]
    return "".join(w.text for w in sorted(inside, key=lambda w: w.x0))


def _ocr_state(ocr_inner: str) -> tuple[str, str]:
    """What the OCR text between the brackets says: ticked | unticked | unreadable, and the text seen."""
    text = "".join(ocr_inner.split())
    if not text:
        return "unticked", ""
    state = tick_state(text)  # the shared normalizer decides what counts as a tick glyph
    if state in ("ticked", "unticked"):
        return state, text
    if all(ch in TICK_LOOKALIKES for ch in text) and len(text) <= 2:
        return "ticked", text
    return "unreadable", text


def tick_from_ink(ink: float, ocr_inner: str) -> tuple[str, float, str]:
    """Decide a tick box from the ink between its brackets, cross-checked with the OCR text there.

    Returns (ticked | unticked | unreadable, confidence 0..1, reason).
    """
    ocr, seen = _ocr_state(ocr_inner)
    if EMPTY_MAX < ink < TICKED_MIN:
        return "unreadable", 0.0, f"ink {ink:.3f} between empty (≤{EMPTY_MAX}) and ticked (≥{TICKED_MIN})"
    ink_state = "ticked" if ink >= TICKED_MIN else "unticked"
    if ink <= BLANK_MAX and len(seen) == 1 and (
            (ocr == "unreadable" and seen not in TICK_LOOKALIKES) or seen in _DOTS):
        # one stray character on blank paper: a bracket stroke or speckle read as "1", "|", "、", "。"
        # (a printed ○ that OCR reads as "。" leaves ink; this box has none)
        return "unticked", 0.7, f"ink {ink:.3f} (blank); OCR read {seen!r}, not a tick"
    if ocr == "unreadable":
        return "unreadable", 0.0, f"ink says {ink_state} ({ink:.3f}) but OCR read {seen!r} between the brackets"
    if ocr != ink_state:
        if ink_state == "ticked" and not seen:
            # OCR drops small circles often; clear ink alone is still evidence, with lower confidence
            if ink >= 2 * TICKED_MIN:
                return "ticked", 0.7, f"ink {ink:.3f}; OCR read nothing between the brackets"
            return "unreadable", 0.0, f"ink {ink:.3f} but OCR read nothing between the brackets"
        return "unreadable", 0.0, f"ink says {ink_state} ({ink:.3f}) but OCR read {seen!r}"
    if ink_state == "ticked":
        margin = min(1.0, (ink - TICKED_MIN) / TICKED_MIN)
        return "ticked", round(0.85 + 0.14 * margin, 3), f"ink {ink:.3f}; OCR read {seen!r}"
    margin = min(1.0, (EMPTY_MAX - ink) / EMPTY_MAX)
    return "unticked", round(0.85 + 0.14 * margin, 3), f"ink {ink:.3f}; OCR read nothing"





RING_PAPER_MARGIN = 30  # a ring at LIGHT on paper less than this lighter may be the paper's own mottle (r14_b12 p. 6)
LIGHT = 190  # faint printed circles (a half-width ○ on a light scan) are mostly grey, not black
# An empty box has no grey either: a box whose despeckled share of pixels under LIGHT passes this is not read
# as empty. Scan round 4, r14_a08 p. 6: two ticks printed as a faint grey ○ (0.016, 0.019; no pixel under DARK)
# read empty. Empty boxes measured 0-0.006 (48 boxes of 8 pages: own scans, scan rounds 1 and 3).
EMPTY_LIGHT_MAX = 0.01
# Nor a ring of strokes barely darker than the paper around the box (its median grey less this): r14_b09 p. 4,
# two ○ at grey ~225 on paper 253 read empty. Over 87 boxes of 10 pages (own scans, scan rounds 1-4) such a ring
# was found in exactly the four faint ticked boxes; such a box is unreadable, never ticked on this evidence.
FAINT_RING_DELTA = 12
# A faint ring's grey is not known: it is looked for at every level from LIGHT to the paper's, in these steps. At
# one level only, noise joined the ring (r12_a06 p. 3 of scan round 2: a ○ whose strokes lie at grey 200-235 on
# paper 252 is a ring at 210-235, not at 240) or the strokes fell apart.
RING_LEVEL_STEP = 10
RING_MIN_PT, RING_MAX_PT = 2.0, 12.0  # diameter of a printed ○ / 〇 in points (a 12 pt full-width ○: renderer B, r17_b03)
_STROKES = frozenset("1lI|!/\\ー一-_、,.'")  # what OCR makes of a bracket stem or a stray stroke
_EDGE_JUNK = _STROKES | _DOTS


def _components(mask: np.ndarray) -> list[np.ndarray]:
    """8-connected components of a small boolean mask, as arrays of (row, col)."""
    seen = np.zeros_like(mask, dtype=bool)
    out = []
    h, w = mask.shape
    for r0, c0 in zip(*np.nonzero(mask)):
        if seen[r0, c0]:
            continue
        stack, pix = [(r0, c0)], []
        seen[r0, c0] = True
        while stack:
            r, c = stack.pop()
            pix.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < h and 0 <= cc < w and mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        stack.append((rr, cc))
        out.append(np.array(pix))
    return out


def _mark_mask(gray: np.ndarray, box: tuple[float, float, float, float], scale: float, level: int) -> np.ndarray | None:
    """The despeckled ink (darker than `level`) between a box's brackets; a mark may reach beyond the trimmed inner
    box vertically, so a little above and below it too. None for a box too small to hold one."""
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    h, w = gray.shape
    pad = max(1, round(0.15 * (y1 - y0)))
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0 - pad), min(h, y1 + pad)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return _despeckle(gray[y0:y1, x0:x1] < level)


def ring_in(gray: np.ndarray, box: tuple[float, float, float, float], scale: float, light: int = LIGHT) -> bool:
    """Whether the ink between a box's brackets holds a printed circle: one connected stroke (at a
    light threshold), about as wide as tall, 2-12 pt across, clear of the bracket ends, with an empty
    centre and ink on all four sides of it. A comma, a bracket stem or a letter is not a ring."""
    mask = _mark_mask(gray, box, scale, light)
    if mask is None:
        return False
    lo, hi = RING_MIN_PT * scale, RING_MAX_PT * scale
    for pix in _components(mask):
        if len(pix) < 2 * lo:
            continue
        rows, cols = pix[:, 0], pix[:, 1]
        if cols.min() == 0 or cols.max() == mask.shape[1] - 1:
            continue  # touches the bracket side: a stem, not a mark
        bh, bw = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
        if not (lo <= bh <= hi and lo <= bw <= hi and 0.7 <= bw / bh <= 1.4):
            continue
        cy, cx = (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2
        centre = (abs(rows - cy) <= bh / 6) & (abs(cols - cx) <= bw / 6)
        if centre.any():
            continue
        band_r, band_c = abs(rows - cy) <= max(1.0, bh / 6), abs(cols - cx) <= max(1.0, bw / 6)
        if ((band_r & (cols < cx)).any() and (band_r & (cols > cx)).any()
                and (band_c & (rows < cy)).any() and (band_c & (rows > cy)).any()):
            return True
    return False


DOT_FILL = 0.65  # a filled disc covers π/4 of its bounding box; a ring, a stroke or a glyph far less


def dot_in(gray: np.ndarray, box: tuple[float, float, float, float], scale: float) -> bool:
    """Whether the ink between a box's brackets is one printed filled circle (●, which a small font prints as a dot
    3-4 pt across and the recognizer drops): one blob RING_MIN_PT-RING_MAX_PT across, about as wide as tall, filling
    its bounding box (DOT_FILL), clear of the bracket ends, and nothing else there but specks."""
    mask = _mark_mask(gray, box, scale, DARK)
    if mask is None:
        return False
    lo, hi, speck = RING_MIN_PT * scale, RING_MAX_PT * scale, SPECK_MAX_PT * scale
    dots, other = 0, 0
    for pix in _components(mask):
        rows, cols = pix[:, 0], pix[:, 1]
        bh, bw = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
        if bh <= speck and bw <= speck:
            continue
        if (lo <= bh <= hi and lo <= bw <= hi and 0.7 <= bw / bh <= 1.4 and len(pix) >= DOT_FILL * bh * bw
                and cols.min() > 0 and cols.max() < mask.shape[1] - 1):
            dots += 1
        else:
            other += 1
    return dots == 1 and other == 0


def paper_level(gray: np.ndarray, m: Mark, scale: float, pad_pt: float = 5.0) -> int:
    """Median grey around and in a box: the paper it is printed on."""
    pad = round(pad_pt * scale)
    x0, y0, x1, y1 = (round(v * scale) for v in (m.x0, m.y0, m.x1, m.y1))
    area = gray[max(0, y0 - pad):max(0, y1 + pad), max(0, x0 - pad):max(0, x1 + pad)]
    return int(np.median(area)) if area.size else 255


def grey_in_empty(gray: np.ndarray, m: Mark, scale: float) -> bool:
    """Whether a box read empty holds grey strokes (EMPTY_LIGHT_MAX), a ring at any level between LIGHT and
    a little darker than its paper (FAINT_RING_DELTA, RING_LEVEL_STEP), or a ring seen only on average
    (ring_contrast): a ○ printed too faint for the ink thresholds."""
    return light_share(gray, m, scale) > EMPTY_LIGHT_MAX or faint_ring_in(gray, m, scale)


def faint_ring_in(gray: np.ndarray, m: Mark, scale: float) -> bool:
    """Whether a box read empty holds a ring at a level between LIGHT and a little darker than its paper, or a
    ring seen only on average (ring_contrast): the grey_in_empty test that sees a ○'s shape, not grey ink."""
    top = paper_level(gray, m, scale) - FAINT_RING_DELTA
    levels = [*range(LIGHT, top, RING_LEVEL_STEP), top]
    return (any(ring_in(gray, (m.x0, m.y0, m.x1, m.y1), scale, level) for level in levels)
            or ring_contrast(gray, m, scale) >= RING_CONTRAST)


RING_CONTRAST = 8  # grey levels a ring around the box's centre is darker than its centre, its surround and the paper


def ring_contrast(gray: np.ndarray, m: Mark, scale: float) -> float:
    """How much darker than the paper, the box's centre and the band just outside it a thin ring around the box's
    centre is, in every quadrant (the lightest quadrant counts), at the ring's best radius (0.3-0.8 of the box's
    height). Averaging along the ring sees a ○ printed barely darker than noisy paper, whose strokes break apart
    at every threshold (scan round 6, r16_a02 at 150 dpi: ○ at grey 225-235 on paper 248, read empty); noise
    and empty boxes measure under 6."""
    h = (m.y1 - m.y0) * scale
    x0, y0, x1, y1 = (round(v * scale) for v in (m.x0, m.y0, m.x1, m.y1))
    pad = round(0.55 * h)
    top, x0 = max(0, y0 - pad), max(0, x0)
    crop = gray[top:min(gray.shape[0], y1 + pad), x0:max(x0, x1)].astype(np.float32)
    if crop.shape[0] < 4 or crop.shape[1] < 4 or h < 4:
        return 0.0
    yy, xx = np.mgrid[0:crop.shape[0], 0:crop.shape[1]]
    dy, dx = yy - ((y0 + y1) / 2 - top), xx - (x1 - x0) / 2
    d = np.hypot(dy, dx)
    quadrant = (dy >= 0) * 2 + (dx >= 0)
    paper = paper_level(gray, m, scale)
    best = 0.0
    for r in np.arange(0.3 * h, 0.8 * h, 0.5):
        ring = np.abs(d - r) <= max(1.0, 0.08 * h)
        inner, outer = crop[d < 0.4 * r], crop[(d >= r + 0.2 * h) & (d <= r + 0.4 * h)]
        quads = [crop[ring & (quadrant == q)] for q in range(4)]
        if inner.size == 0 or outer.size == 0 or any(q.size == 0 for q in quads):
            continue
        darkest_light = max(float(q.mean()) for q in quads)
        best = max(best, min(paper, float(inner.mean()), float(np.median(outer))) - darkest_light)
    return best


def light_share(gray: np.ndarray, m: Mark, scale: float) -> float:
    """Despeckled share of the box's pixels darker than LIGHT (ink and grey strokes)."""
    x0, y0, x1, y1 = (round(v * scale) for v in (m.x0, m.y0, m.x1, m.y1))
    box = gray[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return float(_despeckle(box < LIGHT).mean()) if box.size else 0.0


def tick_with_shape(ink: float, ocr_inner: str, ring: bool, dot: bool = False) -> tuple[str, float, str]:
    """tick_from_ink, with the shape of the ink as a second witness: where ink share and OCR text
    leave the box unreadable or blank but the ink is a printed circle (small faint ○ that OCR reads as
    "?", "6", "<" or drops), the box is ticked; a stroke-like reading ("1", "|") still blocks it. Where the
    ink says ticked and OCR read nothing, a filled circle (`dot`: a small ● the recognizer drops) is the witness."""
    state, conf, reason = tick_from_ink(ink, ocr_inner)
    seen = "".join(ocr_inner.split())
    if state == "unreadable" and dot and not seen and ink >= TICKED_MIN:
        return "ticked", 0.75, f"ink {ink:.3f} is one filled circle; OCR read nothing (a small ● dropped)"
    if state == "ticked" or not ring:
        return state, conf, reason
    if not seen:
        # OCR dropped a faint small ○ whose strokes are lighter than DARK: the ring is the only witness.
        # Over the 12 scanned fixtures (≈400 pages) every ring-shaped ink with nothing read was a printed ○.
        return "ticked", 0.75, f"ring-shaped ink ({ink:.3f} dark); OCR read nothing (a faint circle dropped)"
    if len(seen) > 2 or any(ch in _STROKES for ch in seen):
        return state, conf, reason + "; ring-shaped ink, but OCR read a stroke"
    return "ticked", 0.8, f"ring-shaped ink ({ink:.3f} dark); OCR read {seen!r} (a small circle misread)"


_CURL_KANA = frozenset("っぅつうゥッ")  # a ○ read as a curl: one of these alone is no value


def is_tick_box(inner: str) -> bool:
    """A tick box holds nothing or a mark-like glyph; "[ 十分である ]" is a value, not a box."""
    text = "".join(inner.split())
    if text in _CURL_KANA or tick_state(text) == "ticked":  # a tick glyph the normalizer knows (レ, ✓)
        return True
    return len(text) <= 2 and not any("\u3040" <= ch <= "\u9fff" for ch in text if ch not in TICK_LOOKALIKES)


@dataclass(frozen=True, slots=True)
class TickReading:
    """A page's words with each tick box read from its ink, and whether the page's ticks are faded (faint
    print, or a ○ faded to specks or grey): there a box read empty is unreadable, and a second reading of
    a crop of the page must be told so, since a crop alone cannot show it."""

    words: list[Word]
    faded: bool


def apply_tick_marks(words: list[Word], marks: list[Mark], gray: np.ndarray | None = None,
                     scale: float = 1.0, faint: bool = False) -> list[Word]:
    """The words of read_ticks."""
    return read_ticks(words, marks, gray, scale, faint).words


def read_ticks(words: list[Word], marks: list[Mark], gray: np.ndarray | None = None,
               scale: float = 1.0, faint: bool = False) -> TickReading:
    """Replace the OCR text inside each tick box by the ink decision, so the parser reads "[ ○ ]",
    "[ ]" or "[ ⍰ ]" (unreadable: ambiguous ink, or ink and OCR disagree) with the confidence.
    With the page image (`gray`, `scale` pixels per point) the shape of the ink is checked too.
    On a `faint` page (ocr.print_level above ocr.FAINT_INK) a box with no ink is unreadable, not empty: a printed
    ○ of faded toner leaves no ink below the thresholds (scan round 3, r13_b10 p. 6: two ticks read empty);
    so is a box holding grey strokes or a faint ring on any page (grey_in_empty), and every box read empty on a
    page where a box was left unreadable by faded ink (`faded`): where one ○ survives as a few specks, another
    may have vanished whole (scan round 5, r15_b07 p. 3, a bilevel scan of faded toner: two ○ left specks, a
    third no pixel at all, and it read empty); so is every box read empty on a page where a ○ survives only as a
    faint ring (faint_ring_in; scan round 15, r25_b07 pp. 3, 7: a ring broke at every level and read empty). A ○
    faded to one to three specks (ink share under BLANK_MAX) is told from an empty box by the page's grain: specks
    inside a box are evidence where the page's open paper would put a speck there less often than SPECK_CHANCE
    (scan round 6, r16_b10 pp. 6-12: five ticks read empty)."""
    drop: set[int] = set()
    decided: list[tuple[Mark, str, float]] = []
    grain: float | None = None
    raw_grain: float | None = None
    specked = greyed = False
    for m in marks:
        inside = [
            i for i, w in enumerate(words)
            if m.x0 < (w.x0 + w.x1) / 2 < m.x1 and min(w.y1, m.y1) > max(w.y0, m.y0)
            and w.text not in OPEN and w.text not in CLOSE
        ]
        seen = "".join(words[i].text for i in sorted(inside, key=lambda i: words[i].x0))
        if not is_tick_box(seen):
            continue
        # a bracket's stem read twice ("[|", "[5", "1]", or a "。" on the "]"): a glyph on the bracket is
        # not the box's content (at the "]" only strokes and dots: a label's first glyph may follow closely)
        pad = 0.35 * (m.y1 - m.y0) + 1.0
        inside += [i for i, w in enumerate(words) if min(w.y1, m.y1) > max(w.y0, m.y0)
                   and w.text not in OPEN and w.text not in CLOSE
                   and ((m.x0 - pad < (w.x0 + w.x1) / 2 <= m.x0 and len(w.text) == 1)
                        or (w.text in _EDGE_JUNK and m.x1 <= (w.x0 + w.x1) / 2 < m.x1 + pad))]
        state, conf, _ = tick_from_ink(m.ink, seen)
        # the shape of the ink is the second witness wherever the box is not clearly ticked: a faint small
        # ○ on a light scan has little ink below DARK ("[ S ] 電子メール" read as blank with a stray glyph);
        # not on grey paper close to LIGHT, whose mottle makes rings of its own (r14_b12 p. 6, paper at 209)
        if gray is not None and state != "ticked":
            ring = (paper_level(gray, m, scale) - LIGHT >= RING_PAPER_MARGIN
                    and ring_in(gray, (m.x0, m.y0, m.x1, m.y1), scale))
            dot = state == "unreadable" and m.ink >= TICKED_MIN and dot_in(gray, (m.x0, m.y0, m.x1, m.y1), scale)
            state, conf, _ = tick_with_shape(m.ink, seen, ring, dot)
        drop.update(inside)
        if state == "unticked" and faint:
            state, conf = "unreadable", 0.0
        elif state == "unticked" and gray is not None:
            ringed = faint_ring_in(gray, m, scale)  # grey_in_empty's two tests, the ring kept for the page's fading
            if ringed or light_share(gray, m, scale) > EMPTY_LIGHT_MAX:
                state, conf = "unreadable", 0.0
                greyed = greyed or ringed
        if state == "unticked" and gray is not None and box_specks(gray, m, scale):
            if grain is None:
                grain = page_grain(gray, scale)
            if grain * (m.x1 - m.x0) * (m.y1 - m.y0) < SPECK_CHANCE:
                state, conf = "unreadable", 0.0
                specked = True
        if state == "unticked" and gray is not None and (dots := box_specks(gray, m, scale, despeckled=False)) >= 2:
            # single-pixel dots the speckle filter drops, more of them than the page's raw grain puts in a box: a ○
            # thinned to dots by a bilevel threshold (scan round 17, r27_a03 p. 5: 内部監査's ○ left three dots,
            # four pixels, on a page with seven specks per million pixels, and read empty)
            if raw_grain is None:
                raw_grain = page_grain(gray, scale, despeckled=False)
            if chance_of_specks(raw_grain, (m.x1 - m.x0) * (m.y1 - m.y0), dots) < SPECK_CHANCE:
                state, conf = "unreadable", 0.0
                specked = True
        decided.append((m, state, conf))
    if gray is not None and any(state == "unreadable" for _, state, _ in decided):
        alike = consistent_marks(gray, [m for m, _, _ in decided], scale, lighter=not faint)
        if alike is not None and all(state == "unreadable" or (state == "ticked") == ticked
                                     for (_, state, _), ticked in zip(decided, alike, strict=True)):
            # every box holds the page's one mark or nothing: what left a box unreadable was the mark's kind
            # (a thin ✓, a grey ●), not fading, so the blank boxes are empty; but a box with ink that is not
            # the page's mark (ink touching a side: a mark cut by a wrapped half-box's edge) stays unreadable
            decided = [(m, state, conf) if state != "unreadable" or (not ticked and m.ink > BLANK_MAX) else
                       (m, "ticked" if ticked else "unticked", ALIKE_CONFIDENCE)
                       for (m, state, conf), ticked in zip(decided, alike, strict=True)]
            return _with_marks(words, drop, decided, False)
    faded_page = faint or specked or greyed or faded(decided)
    if faded_page:
        decided = [(m, "unreadable", 0.0) if state == "unticked" else (m, state, conf) for m, state, conf in decided]
    return _with_marks(words, drop, decided, faded_page)


def _with_marks(words: list[Word], drop: set[int], decided: list[tuple[Mark, str, float]], faded_page: bool) -> TickReading:
    """The page's words with the text read inside its boxes (`drop`) replaced by each box's decision."""
    added = []
    for m, state, conf in decided:
        if state == "unticked":
            continue
        glyph = "○" if state == "ticked" else UNKNOWN_MARK
        cy = (m.y0 + m.y1) / 2
        h = max(4.0, (m.y1 - m.y0) * 0.6)
        added.append(Word(glyph, m.x0 + 0.5, cy - h / 2, m.x1 - 0.5, cy + h / 2, m.page, h, conf))
    return TickReading([w for i, w in enumerate(words) if i not in drop] + added, faded_page)


ALIKE_RATIO = 1.5  # the marks of one page differ by less than this in ink, width and height
ALIKE_CONFIDENCE = 0.8


def mark_shape(gray: np.ndarray, m: Mark, scale: float, level: int = LIGHT) -> tuple[float, float, float] | None:
    """The mark between a box's brackets as (ink in pt², width, height in pt): the ink darker than `level`
    (despeckled), less the bracket stems (ink touching the box's sides) and specks (SPECK_MAX_PT); (0, 0, 0)
    for a blank box, None for a box too small to measure."""
    mask = _mark_mask(gray, (m.x0, m.y0, m.x1, m.y1), scale, level)
    if mask is None:
        return None
    speck = SPECK_MAX_PT * scale
    keep = []
    for pix in _components(mask):
        rows, cols = pix[:, 0], pix[:, 1]
        if cols.min() == 0 or cols.max() == mask.shape[1] - 1:
            continue
        if rows.max() - rows.min() + 1 <= speck and cols.max() - cols.min() + 1 <= speck:
            continue
        keep.append(pix)
    if not keep:
        return (0.0, 0.0, 0.0)
    ink = np.vstack(keep)
    return (len(ink) / scale ** 2, (np.ptp(ink[:, 1]) + 1) / scale, (np.ptp(ink[:, 0]) + 1) / scale)


def consistent_marks(gray: np.ndarray, marks: list[Mark], scale: float, lighter: bool = True) -> list[bool] | None:
    """Whether each box holds a mark, where the page's boxes show a converter's one mark consistently: every box
    blank or holding a mark like every other (ink, width and height within ALIKE_RATIO, at least RING_MIN_PT
    across), at least two marks and one blank box, on white paper (as ring_in's guard: RING_PAPER_MARGIN over
    LIGHT). None where the page does not show that.

    A printed ✓ is thin and a grey ○ light: their ink share stays under the ticked share, so each such box was
    unreadable, and the page taken for faded (its blank boxes unreadable too: a faded ○ may vanish whole). A
    page whose marks all came out alike was not faded at random: its blank boxes are blank (scan round 2, r12_a01,
    ✓ marks; scan round 9, r19_b08, grey ●).

    The marks are looked for at LIGHT, then at each lighter level grey_in_empty looks for faint rings at: a ○
    printed lighter than LIGHT shows nothing there, and each was left unreadable (scan round 12, r22_b05: every
    ticked box of the document). At a lighter level every mark must be a ring there too; not on a page of faint
    print (`lighter` False), where a ○ may have faded away whole beside others left as faint rings."""
    if any(paper_level(gray, m, scale) - LIGHT < RING_PAPER_MARGIN for m in marks):
        return None
    shapes = [mark_shape(gray, m, scale) for m in marks]  # a box too small to measure is so at every level
    if any(sh is None for sh in shapes):
        return None
    found = _one_mark(gray, marks, shapes, scale, LIGHT)
    if found is not None or not lighter or all(sh[0] > 0 for sh in shapes):
        return found  # lighter levels only add ink: a page without a blank box at LIGHT has none lighter
    top = min(paper_level(gray, m, scale) for m in marks) - FAINT_RING_DELTA
    levels = [*range(LIGHT, top, RING_LEVEL_STEP), top]  # from LIGHT: the paper is RING_PAPER_MARGIN lighter
    shapes_at = [shapes, *([mark_shape(gray, m, scale, level) for m in marks] for level in levels[1:])]
    # lighter than LIGHT a blank box is blank at every level and holds no grey (grey_in_empty): a mark may show at one
    # level only (on a shaded row it joins the brackets' stems lighter than that: scan round 8, r18_b10 p. 4), or at
    # none, a large ○ touching a narrow box's brackets (r18_a06 p. 5)
    blank = [all(shapes[i][0] == 0 for shapes in shapes_at) and not grey_in_empty(gray, m, scale)
             for i, m in enumerate(marks)]
    for level, shapes in zip(levels[1:], shapes_at[1:], strict=True):
        if all(sh[0] > 0 for sh in shapes):
            return None
        if all(b != (sh[0] > 0) for b, sh in zip(blank, shapes, strict=True)):  # every box not blank shows its mark
            found = _one_mark(gray, marks, shapes, scale, level)
            if found is not None:
                return found
    return None


def _one_mark(gray: np.ndarray, marks: list[Mark], shapes: list[tuple[float, float, float]], scale: float,
              level: int) -> list[bool] | None:
    """Whether each box holds a mark, where its `shapes` at `level` show one mark alike in every box not blank (at
    least two, and a blank one); lighter than LIGHT each must be a ring at that level."""
    inked = [(m, sh) for m, sh in zip(marks, shapes, strict=True) if sh[0] > 0]
    if (len(inked) >= 2 and len(inked) < len(shapes) and all(max(sh[1], sh[2]) >= RING_MIN_PT for _, sh in inked)
            and not any(max(sh[i] for _, sh in inked) > ALIKE_RATIO * min(sh[i] for _, sh in inked) for i in range(3))
            and (level == LIGHT or all(ring_in(gray, (m.x0, m.y0, m.x1, m.y1), scale, level) for m, _ in inked))):
        return [sh[0] > 0 for sh in shapes]
    return None


SPECK_MAX_PT = 1.5  # dark ink no larger than this either way is a speck, not a stroke
SPECK_CLEAR_PT = 2.0  # a speck with no other ink this close lies on open paper (the page's grain)
SPECK_CHANCE = 0.05  # specks in a box are evidence when the page's grain puts one there less often than this


def page_grain(gray: np.ndarray, scale: float, despeckled: bool = True) -> float:
    """Specks per square point of the page's open paper: dark components (speckle removed, unless not
    `despeckled`) no larger than SPECK_MAX_PT either way with no other ink within SPECK_CLEAR_PT. A clean
    bilevel scan measures 0."""
    mask = (_despeckle(gray < DARK) if despeckled else gray < DARK).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    most = SPECK_MAX_PT * scale
    small = (stats[:, cv2.CC_STAT_WIDTH] <= most) & (stats[:, cv2.CC_STAT_HEIGHT] <= most)
    small[0] = False
    big = (mask > 0) & ~small[labels]
    r = max(1, round(SPECK_CLEAR_PT * scale))
    near = cv2.dilate(big.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))) > 0
    isolated = np.setdiff1d(np.flatnonzero(small), np.unique(labels[near]))
    paper = (~near).sum() / (scale * scale)
    return len(isolated) / paper if paper > 0 else 0.0


def box_specks(gray: np.ndarray, m: Mark, scale: float, despeckled: bool = True) -> int:
    """Dark components (speckle removed, unless not `despeckled`) inside a box, clear of its sides: what is left of
    a ○ faded to specks."""
    x0, y0, x1, y1 = (round(v * scale) for v in (m.x0, m.y0, m.x1, m.y1))
    box = gray[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if box.shape[0] < 3 or box.shape[1] < 3:
        return 0
    mask = _despeckle(box < DARK) if despeckled else box < DARK
    n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    return len(set(range(1, n)) - set(edge.tolist()))


def chance_of_specks(rate: float, area: float, k: int) -> float:
    """The chance that paper with `rate` specks per square point puts `k` or more in `area` (Poisson)."""
    mu = rate * area
    return max(0.0, 1.0 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k)))


def faded(decided: list[tuple[Mark, str, float]]) -> bool:
    """Whether a page's ticks are faded: a box was left unreadable with ink in it below the ticked share (a ○
    broken into specks or printed grey), not for what OCR read."""
    return any(state == "unreadable" and BLANK_MAX < m.ink < TICKED_MIN for m, state, _ in decided)


STROKE_SHARE = 0.4  # a stacked bracket column is inked over this share of its crop's height at least
STROKE_MAX_PT = 2.5  # wider dark columns are not bracket stems
STROKE_MIN_PT = 24.0  # over three lines at least: a character's stem spans one line
STROKE_BREAK_PT = 2.0  # stacked brackets leave a break this short between lines; lines of text, more
BOX_GAP_PT = (4.0, 40.0)  # the inside of "[ ]" between its two stems ("【　●　】" with spaces: 32 pt, r26_a09)
LINE_MIN_PT = 4.0  # a band of text shorter than this is a speck or an arm, not a line


def _longest_stroke(inked: np.ndarray, max_break: float) -> int:
    """Length of the longest run of inked rows, runs less than `max_break` apart joined."""
    best, start, end = 0, None, None
    for a, b in runs(inked):
        if start is None or a - end > max_break:
            start = a
        end = b
        best = max(best, end - start)
    return best


ARM_PT = 1.5  # the strip beside a bracket's stem where its arms lie


def _arms(dark: np.ndarray, stroke: tuple[int, int], scale: float, right: bool) -> bool:
    """Whether a vertical stroke has a bracket's arms on one side: rows where the strip beside it is inked over half
    its width, in two runs at least (a box's top and bottom arms). A ruling line has none."""
    a, b = stroke
    w = max(1, round(ARM_PT * scale))
    strip = dark[:, b:b + w] if right else dark[:, max(0, a - w):a]
    if strip.size == 0:
        return False
    return len(runs(strip.mean(axis=1) >= 0.5)) >= 2


def box_column(gray: np.ndarray, scale: float) -> list[float] | None:
    """Ink inside each box of a column of tick boxes whose brackets stack into two vertical strokes, one
    value per line of text beside them, top to bottom; None where the crop holds no such column.

    A cell of options printed one per line ("[ ○ ] 個人番号" over "[　] 個人番号対応符号" …) at a tight line
    pitch prints its "[" over "[" and "]" over "]": on a scan they are two long strokes, which the page pass
    takes for ruling lines and erases, so no box is read there. Here the strokes are the two leftmost dark
    columns of stem width running over three lines or more (breaks under 2 pt), a box's width apart; the
    lines are the bands of ink right of them, and each line's box is the middle half of the gap between the
    strokes (clear of the bracket arms). `gray` is the cell's crop, `scale` pixels per point."""
    if gray.size == 0:
        return None
    dark = gray < DARK
    strokes = [(a, b) for a, b in runs(dark.mean(axis=0) >= STROKE_SHARE) if b - a <= STROKE_MAX_PT * scale
               and _longest_stroke(dark[:, a:b].any(axis=1), STROKE_BREAK_PT * scale) >= STROKE_MIN_PT * scale]
    lo, hi = (g * scale for g in BOX_GAP_PT)
    # a bracket's stem has arms at each box, "[" to its right and "]" to its left; a cell's border has none (scan
    # round 16, r26_a09 p. 3: the crop held the border left of the "【" column, the two were taken for a box, and
    # the ● of 情報提供ネットワークシステム read empty)
    openers = [st for st in strokes if _arms(dark, st, scale, right=True)]
    closers = [st for st in strokes if _arms(dark, st, scale, right=False)]
    # the leftmost opener and the first closer after it: further right, the glyphs of the option labels, set flush
    # left, line up into thin columns of their own (scan round 16, r26_a09 p. 10: "]" and the labels' left edges
    # were taken for a box, and all 19 boxes read ticked from the glyphs' ink)
    if not openers:
        return None
    first = openers[0]
    after = [st for st in closers if st[0] > first[1]]
    if not after or not lo <= after[0][0] - first[1] <= hi:
        return None
    pair = (first, after[0])
    (_, left), (right, right_end) = pair
    rows = np.flatnonzero(dark[:, pair[0][0]:pair[0][1]].any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    text = _despeckle(dark[top:bottom, right_end + round(2 * scale):])
    bands = [(a + top, b + top) for a, b in runs(text.sum(axis=1) >= 2) if b - a >= LINE_MIN_PT * scale]
    quarter = (right - left) // 4
    inks = []
    for y0, y1 in bands:
        inside = dark[y0:y1, left + quarter:right - quarter]
        inks.append(float(_despeckle(inside).mean()) if inside.size else 0.0)
    return inks
