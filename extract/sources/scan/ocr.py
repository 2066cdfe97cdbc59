"""OCR of a scanned page: render, deskew, find ruling lines, erase them, read with Tesseract, map back.

Engine: tesserocr (Tesseract 5 C++ API in-process, one API object per thread, kept across pages) with the
system's jpn.traineddata. Tesseract runs once per page. Words come back in PDF points of the original
page: boxes are read on the deskewed image and their centres rotated back (sizes kept), rules' end points
are rotated back (so a rule of a skewed scan is slightly slanted, as on the page).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pymupdf as fitz
from PIL import Image

from extract.core.enums import Method
from extract.core.layout import Mark, PageLayout, Rule, Word
from extract.core.settings import OcrSettings
from extract.sources.scan.lines import crop, faint_ends, symbols_from_readings, text_lines
from extract.sources.scan.marks import (
    CLOSE,
    OPEN,
    TICK_LOOKALIKES,
    boxes_like_the_page,
    bracket_marks,
    read_ticks,
    restore_brackets,
    trim_wide_brackets,
)
from extract.sources.scan.raster_grid import (
    DARK,
    MAX_THICK_PT,
    find_light_rows,
    find_rules,
    frame_edges,
    ink_mask,
)
from extract.sources.scan.recognizer import LineReading, PpOcrRecognizer
from normalize.glyphs import japanese_forms, kanji_twins, read_once
from normalize.marks import UNKNOWN_MARK

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
# the forms print no braces: a brace is a misread square bracket (the parser folds them too)
_CURLY = str.maketrans({"{": "[", "}": "]", "｛": "[", "｝": "]"})
SOLO = OPEN | CLOSE | frozenset("○〇◯◎●")  # glyphs that always stand as words of their own


class TesseractDataMissing(RuntimeError):
    """The Tesseract language data needed for OCR is not installed."""


def tessdata_dir(languages: str = "jpn") -> str:
    """The directory holding <lang>.traineddata for every language in `languages` ("jpn+eng")."""
    langs = [lang for lang in languages.split("+") if lang]
    tried = []
    env = os.environ.get("TESSDATA_PREFIX")
    candidates = [env, os.path.join(env, "tessdata")] if env else []
    for d in [*candidates, *TESSDATA_CANDIDATES]:
        tried.append(d)
        if all(os.path.isfile(os.path.join(d, f"{lang}.traineddata")) for lang in langs):
            return d
    raise TesseractDataMissing(
        f"no Tesseract data for {'+'.join(langs)} in {', '.join(tried)}: install the Debian packages "
        "tesseract-ocr and tesseract-ocr-jpn (`make setup`) or set TESSDATA_PREFIX to the tessdata folder"
    )


_local = threading.local()


def _api(languages: str):
    """A per-thread Tesseract API object, initialised once (loading jpn takes ~0.2 s).

    Page segmentation "single column" (PSM 4): on bordered forms with the borders erased it reads every
    label and value on the sample scans, where automatic layout (PSM 3) and sparse text (PSM 11) drop
    short cells (measured on tests/fixtures/scan/sample.scan{200,150}.pdf: 34/34 words vs 31 and 32).
    """
    try:
        import tesserocr
    except ImportError as exc:  # the wheel bundles Tesseract 5; only the language data comes from Debian
        raise RuntimeError("OCR needs the Python package tesserocr (pip install tesserocr==2.13.0)") from exc

    cache = getattr(_local, "apis", None)
    if cache is None:
        cache = _local.apis = {}
    api = cache.get(languages)
    if api is None:
        api = tesserocr.PyTessBaseAPI(
            path=tessdata_dir(languages), lang=languages, psm=tesserocr.PSM.SINGLE_COLUMN, oem=tesserocr.OEM.LSTM_ONLY
        )
        # Japanese has no spaces between words; keep Tesseract from inventing them between characters.
        api.SetVariable("preserve_interword_spaces", "1")
        cache[languages] = api
    return api


# ---------------------------------------------------------------------------------------------
# image helpers


def render_gray(page: fitz.Page, dpi: int) -> np.ndarray:
    """The page rendered in grey at `dpi` (uint8, 0 = black)."""
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


def estimate_skew(gray: np.ndarray, max_angle: float = 3.0, solid_px: int = 0) -> float:
    """Angle in degrees (counter-clockwise positive) by which the page content is rotated.

    Projection profile: for each candidate angle, shear the ink pixels so lines rotated by that angle
    become rows, and keep the angle whose row histogram is sharpest (ruling lines and text baselines
    give tall narrow peaks). A coarse pass on a subsample, then a fine pass around the best angle.
    Ink in solid areas at least `solid_px` across is left out: a black smear slanting across the page
    outweighs every line of text (scan round 11, r21_b02: 3.2 degrees for a page skewed -0.3).
    """
    ink = gray < otsu_threshold(gray)
    if solid_px > 1:
        kernel = np.ones((solid_px, solid_px), np.uint8)
        solid = cv2.dilate(cv2.erode(ink.view(np.uint8), kernel), kernel) > 0
        ink &= ~solid
    ys, xs = np.nonzero(ink)
    if ys.size < 500:
        return 0.0
    step = max(1, ys.size // 200_000)
    ys = ys[::step].astype(np.float64)
    xs = xs[::step].astype(np.float64)
    xs -= gray.shape[1] / 2
    n_rows = gray.shape[0]

    def score(angle: float) -> float:
        # content rotated counter-clockwise by `angle` (y down): y = y0 - x tan(angle)
        y = np.rint(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        y = y[(y >= 0) & (y < n_rows)]
        h = np.bincount(y, minlength=n_rows).astype(np.float64)
        return float((h * h).sum())

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.2)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02)
    best = max(fine, key=score)
    return round(float(best), 3)


def render_deskewed(page: fitz.Page, dpi: int, skew: float) -> tuple[np.ndarray, fitz.Matrix]:
    """The page rendered at `dpi` and rotated by -skew in one MuPDF pass (no resampling of our own).

    Returns the grey image and the matrix that maps image pixels back to page points.
    """
    m = fitz.Matrix(dpi / 72.0, dpi / 72.0).prerotate(skew)
    pix = page.get_pixmap(matrix=m, colorspace=fitz.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    # pixel (u, v) is the point (u + pix.x, v + pix.y) of the transformed page
    back = fitz.Matrix(1, 0, 0, 1, pix.x, pix.y) * ~m
    return gray, back


class _Back:
    """Maps boxes and points of the deskewed image, given in image points (pixels / scale), to the page.

    frame "page": points of the page as it is (a skewed scan's rules come out slightly slanted).
    frame "upright": the page turned upright about its centre (rules stay horizontal / vertical, so
    words and rules line up for the grid; points differ from "page" by at most skew x half the page
    diagonal, about 4 pt at 0.6 degrees).
    """

    def __init__(self, back: fitz.Matrix, scale: float, frame: str = "page", skew: float = 0.0,
                 centre: tuple[float, float] = (0.0, 0.0)):
        self.m = fitz.Matrix(scale, 0, 0, scale, 0, 0) * back
        if frame == "upright" and skew:
            cx, cy = centre
            self.m = self.m * fitz.Matrix(1, 0, 0, 1, -cx, -cy) * fitz.Matrix(skew) * fitz.Matrix(1, 0, 0, 1, cx, cy)
        elif frame not in ("page", "upright"):
            raise ValueError(f"unknown frame {frame!r}")

    def point(self, x: float, y: float) -> tuple[float, float]:
        p = fitz.Point(x, y) * self.m
        return p.x, p.y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """The box moved so its centre lands where it was on the page; width and height kept."""
        mx, my = self.point((x0 + x1) / 2, (y0 + y1) / 2)
        hw, hh = (x1 - x0) / 2, (y1 - y0) / 2
        return mx - hw, my - hh, mx + hw, my + hh


# ---------------------------------------------------------------------------------------------
# Tesseract result -> words


def _symbols(api) -> list[tuple[int, str, tuple[int, int, int, int], float, int, bool]]:
    """(line index, text, box px, confidence 0..1, line height px, follows a space) per symbol."""
    import tesserocr

    RIL = tesserocr.RIL
    it = api.GetIterator()
    out = []
    if it is None:
        return out
    line = -1
    line_h = 0
    for r in tesserocr.iterate_level(it, RIL.SYMBOL):
        if r.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
            lb = r.BoundingBox(RIL.TEXTLINE)
            line_h = lb[3] - lb[1] if lb else 0
        # a new word only where Tesseract saw a space: its Japanese 'words' are dictionary morphemes
        starts = r.IsAtBeginningOf(RIL.WORD) and r.BlanksBeforeWord() > 0
        try:
            text = r.GetUTF8Text(RIL.SYMBOL)
        except RuntimeError:  # "No text returned": an empty symbol
            continue
        box = r.BoundingBox(RIL.SYMBOL)
        if not text or not text.strip() or box is None:
            continue
        text = text.strip().translate(_CURLY)
        conf = max(0.0, min(1.0, r.Confidence(RIL.SYMBOL) / 100.0))
        out.append((line, text.strip(), box, conf, line_h, starts))
    return out


def words_from_symbols(symbols: Iterable, scale: float, page: int, least: bool = False) -> list[Word]:
    """Tesseract's words, with brackets and tick circles split off as words of their own (the text layer
    path does the same, and bracket_marks needs them). Boxes are the union of the symbols' boxes; a word's
    confidence is its symbols' mean, or with `least` their least (PP-OCR's character probabilities: the
    least one is what tells a misread word, pipelines/bench/recognizers.py)."""
    words: list[Word] = []
    cur: list = []

    def flush():
        if not cur:
            return
        text = "".join(s[1] for s in cur)
        x0 = min(s[2][0] for s in cur)
        y0 = min(s[2][1] for s in cur)
        x1 = max(s[2][2] for s in cur)
        y1 = max(s[2][3] for s in cur)
        conf = min(s[3] for s in cur) if least else sum(s[3] for s in cur) / len(cur)
        size = (cur[0][4] or (y1 - y0)) / scale
        words.append(Word(text, x0 / scale, y0 / scale, x1 / scale, y1 / scale, page, size, round(conf, 3)))
        cur.clear()

    prev = None
    for s in symbols:
        line, text, _box, _conf, _lh, starts = s
        # a lone circle look-alike right after "[" is the tick, not the first letter of a word
        tick_like = text in TICK_LOOKALIKES and bool(words) and not cur and words[-1].text in OPEN
        if prev is not None and (
            starts or line != prev[0] or text in SOLO or prev[1] in SOLO or tick_like or _tick_open(cur, words)
        ):
            flush()
        cur.append(s)
        prev = s
    flush()
    return words


def drop_repeated_readings(words: list[Word]) -> list[Word]:
    """Words that read again a stretch of ink another word read: a shorter word inside a longer one's box on its
    line, spelled inside its text (or spelled alike: the first is kept). Two line crops over one stretch of a line give
    both (scan round 5, r15_a02 p. 8: "特定個人情報ファイル名" and again "人情報ファイル名", which became the start of the
    file's name; scan round 9, r19_b08 p. 2: "①事務の名称" twice). A single glyph read alike twice in one place is one
    glyph too (scan round 10, r20_a10 at 150 dpi: the 評価書番号 "2" read twice became "22"); a single glyph inside a
    longer word is left (it may be a glyph of its own the longer word's box only overlaps)."""
    out = []
    for j, b in enumerate(words):
        width = b.x1 - b.x0
        if width > 0 and any(
                ((len(b.text) >= 2 and len(a.text) > len(b.text) and b.text in a.text)
                 or (a.text == b.text and i < j))  # or read alike
                and min(a.x1, b.x1) - max(a.x0, b.x0) >= 0.9 * width
                and min(a.y1, b.y1) - max(a.y0, b.y0) >= 0.5 * min(a.y1 - a.y0, b.y1 - b.y0) for i, a in enumerate(words)):
            continue
        out.append(b)
    return out


def drop_twin_brackets(words: list[Word]) -> list[Word]:
    """One bracket glyph read twice ("{[" for "["): of two opening (or two closing) brackets on one
    line that touch, keep the more confident."""
    drop: set[int] = set()
    for kind in (OPEN, CLOSE):
        br = sorted((i for i, w in enumerate(words) if w.text in kind), key=lambda i: words[i].x0)
        for n, a in enumerate(br):
            for b in br[n + 1:]:
                wa, wb = words[a], words[b]
                h = max(wa.y1 - wa.y0, wb.y1 - wb.y0)
                overlap = min(wa.y1, wb.y1) - max(wa.y0, wb.y0)
                if overlap > 0.5 * h and wb.x0 - wa.x1 < 0.3 * h and a not in drop and b not in drop:
                    drop.add(b if wa.conf >= wb.conf else a)
    drop |= _brackets_on_rings(words)
    return [w for i, w in enumerate(words) if i not in drop] if drop else words


def _brackets_on_rings(words: list[Word]) -> set[int]:
    """A box's ○ read twice, as a bracket and as a tick look-alike on top of it ("【 〔o ]"): the bracket
    that covers a look-alike for half its width, with a bracket of its kind just beyond it on the line (the
    box's own, no narrower than it), is not a bracket."""
    ticks = [w for w in words if w.text in TICK_LOOKALIKES]
    out: set[int] = set()
    if not ticks:
        return out
    for i, w in enumerate(words):
        if w.text not in OPEN and w.text not in CLOSE:
            continue
        width = w.x1 - w.x0
        if not any(min(w.x1, t.x1) - max(w.x0, t.x0) >= 0.5 * min(width, t.x1 - t.x0)
                   and min(w.y1, t.y1) > max(w.y0, t.y0) for t in ticks):
            continue
        kind = OPEN if w.text in OPEN else CLOSE
        for j, v in enumerate(words):
            h = v.y1 - v.y0
            if j == i or v.text not in kind or width > 0.6 * h or min(w.y1, v.y1) <= max(w.y0, v.y0):
                continue
            gap = w.x0 - v.x1 if kind is OPEN else v.x0 - w.x1
            if 0 < gap < 2 * h:
                out.add(i)
                break
    return out


def _tick_open(cur: list, words: list[Word]) -> bool:
    """The word being built is a single tick look-alike that followed an opening bracket."""
    return len(cur) == 1 and cur[0][1] in TICK_LOOKALIKES and bool(words) and words[-1].text in OPEN


# ---------------------------------------------------------------------------------------------


def half_min(gray: np.ndarray) -> np.ndarray:
    """Half-size image keeping the darkest pixel of each 2x2 block (thin lines survive)."""
    h, w = gray.shape[0] // 2 * 2, gray.shape[1] // 2 * 2
    g = gray[:h, :w]
    return np.minimum(np.minimum(g[0::2, 0::2], g[0::2, 1::2]), np.minimum(g[1::2, 0::2], g[1::2, 1::2]))


EDGE_PT = 12.0  # a form's rules start and end inside its margins


def in_margin(w: Word, page: tuple[float, float, float, float], edge: float = EDGE_PT) -> bool:
    """Whether a word lies wholly within `edge` of the page's border, where no printer puts ink: scanner dirt at
    the edge read as a glyph (scan round 2, r12_a12: specks at x 593 of 595 read "1" and joined the texts beside
    them as a line of their own: "保護台帳ファイル\n1")."""
    x0, y0, x1, y1 = page
    return w.x1 < x0 + edge or w.x0 > x1 - edge or w.y1 < y0 + edge or w.y0 > y1 - edge


def edge_to_edge(rule: Rule, width: float, height: float, edge: float = EDGE_PT) -> bool:
    """A line that starts at the page's edge (within `edge` points) is the scanner's (a dirty roller's
    stripe, the shadow of the sheet's border), not a rule of the form: erased, but no cell border."""
    if rule.horizontal:
        return min(rule.x0, rule.x1) < edge or max(rule.x0, rule.x1) > width - edge
    return min(rule.y0, rule.y1) < edge or max(rule.y0, rule.y1) > height - edge


ROW_CLEAR = 0.1  # a line inside a word's box by more than this share of its height crosses the word


def clear_of_words(rows: list[Rule], words: list[Word], inset: float = ROW_CLEAR) -> list[Rule]:
    """The light row lines that cross no word read: a line that runs through a word is that text line's own grey
    (a light-grey label averaged along itself looks like a rule), never a border between rows."""
    def crosses(r: Rule, w: Word) -> bool:
        d = inset * (w.y1 - w.y0)
        return w.y0 + d < r.y0 < w.y1 - d and min(r.x1, w.x1) > max(r.x0, w.x0)

    return [r for r in rows if not any(crosses(r, w) for w in words)]


def erase_rules(gray: np.ndarray, rules: list[Rule], scale: float, half_width_pt: float = 1.6) -> np.ndarray:
    """Paint the ruling lines white: table borders make Tesseract merge cells and misread characters."""
    out = gray.copy()
    h, w = out.shape
    pad = max(2, round(half_width_pt * scale))
    for r in rules:
        x0, y0 = round(r.x0 * scale), round(r.y0 * scale)
        x1, y1 = round(r.x1 * scale), round(r.y1 * scale)
        if r.horizontal:
            out[max(0, y0 - pad) : min(h, y1 + pad + 1), max(0, x0 - 1) : min(w, x1 + 2)] = 255
        else:
            out[max(0, y0 - 1) : min(h, y1 + 2), max(0, x0 - pad) : min(w, x1 + pad + 1)] = 255
    return out


BACKGROUND_PT = 3.0  # wider than any stroke or rule of the forms, narrower than a character cell
WHITE_PAPER = 200  # paper at least this light under 90 % of the page is left as it is
SHADOW_PT = 24.0  # a shadow on light paper is paper darker than the page's paper this wide and tall at least,
SHADOW_DROP = 10  # ... by more than this many grey levels; it is flattened in part over the next SHADOW_RAMP
SHADOW_RAMP = 20  # levels, in full beyond


def flatten_background(gray: np.ndarray, scale: float, window_pt: float = BACKGROUND_PT,
                       white: int = WHITE_PAPER) -> np.ndarray:
    """The page divided by its paper: the paper's grey under each pixel is the lightest pixel within
    `window_pt` (strokes and rules are thinner, so none survives the maximum), smoothed; the page is
    rescaled so that paper is white wherever it lies. A dark, unevenly lit or striped scan (a dirty
    scanner's background, a phone photo's shadow) then binarises like a clean one, and a shaded cell's
    grey becomes paper while its text stays ink. A page on light paper is left as it is (dividing
    by the paper would only darken its grain, and a shaded cell is handled by clean_binary), save where a
    shadow lies across it.
    """
    k = max(3, round(window_pt * scale) | 1)
    paper = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.blur(paper, (k, k))
    low, high = _levels(paper[::8, ::8], 0.1, 0.9)
    if low < white:
        out = gray.astype(np.float32) * 255.0 / np.maximum(paper, 1).astype(np.float32)
        return np.minimum(out, 255.0).astype(np.uint8)
    # light paper, but a shadow may lie across part of it (a lamp's edge, a fold, a book's gutter: scan round 13,
    # r23_a01, a band a tenth of the page wide): flattened there only. A shadow is dark paper wider than SHADOW_PT
    # each way, so it outlasts a closing that far; a clump of bold strokes the window could not see past does not
    # (on a quarter-size paper: it is smooth, and a shadow far wider than four pixels)
    b = max(3, round(SHADOW_PT * scale / 4) | 1)
    wide = cv2.morphologyEx(np.ascontiguousarray(paper[::4, ::4]), cv2.MORPH_CLOSE,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (b, b)))
    level = high - SHADOW_DROP
    if float(wide.min()) >= level:
        return gray
    shade = np.clip((level - wide.astype(np.float32)) / SHADOW_RAMP, 0.0, 1.0)
    shade = cv2.resize(shade, (paper.shape[1], paper.shape[0]), interpolation=cv2.INTER_LINEAR)
    divided = cv2.divide(gray, np.maximum(paper, 1), scale=255.0)  # saturates at 255
    return cv2.blendLinear(divided, gray, shade, 1.0 - shade)


def _levels(a: np.ndarray, *shares: float) -> list[int]:
    """The grey levels under which these shares of a uint8 image's pixels lie (percentiles, by its histogram)."""
    c = np.cumsum(np.bincount(a.ravel(), minlength=256))
    return [int(np.searchsorted(c, q * c[-1])) for q in shares]


FAINT_INK = 180  # a page whose strokes are typically lighter than this grey is faintly printed (faded toner)


def print_level(gray: np.ndarray) -> int:
    """The page's typical stroke grey: the median of the pixels darker than the Otsu level (0-255; a
    clean scan's strokes measure 60-100 at 300 dpi, the project's near-blank scanned pages up to 174)."""
    below = np.cumsum(np.bincount(gray.ravel(), minlength=256)[: otsu_threshold(gray)])
    if not below.size or below[-1] == 0:
        return 255
    return int(np.searchsorted(below, below[-1] / 2))


def otsu_threshold(gray: np.ndarray, below: int = 256) -> int:
    """Otsu's level of the image (of its pixels darker than `below` only, when given). Where levels tie (no pixel
    between two classes: a bilevel scan rendered at its own resolution is 0 and 255 only), the middle of them:
    the first would be 0, and no pixel is darker than 0."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    hist[below:] = 0.0
    p = hist / hist.sum()
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * w - mu) ** 2 / (w * (1.0 - w) + 1e-12)
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    return int(best[0]) if best[-1] - best[0] < 2 else int((best[0] + best[-1] + 1) // 2)


FILL_BLOCK = 8  # pixels per side of the blocks a shaded cell is looked for in
FILL_MAX_STD = 20.0  # grey spread inside a block of fill (scanner grain); text blocks spread far more


def fill_region(gray: np.ndarray, threshold: int, dark: int = DARK, block: int = FILL_BLOCK,
                max_std: float = FILL_MAX_STD, grow: int = 2) -> np.ndarray | None:
    """Where the page is shaded darker than `threshold` (None: nowhere): blocks of even mid grey (between
    `dark` and the threshold) with shaded neighbours; in each row of blocks the span from the first to
    the last of them (the glyphs on a shaded cell are not even grey), grown by `grow` blocks.

    A near-blank page (the 変更箇所 annex) has its Otsu threshold high in the paper's grain, above the
    grey of the (別添) heading band: binarised whole, the band turned black and its heading was lost.
    """
    h, w = gray.shape
    hb, wb = h // block, w // block
    half = block // 2  # every other pixel is enough for a block's mean and spread
    b = gray[: hb * block : 2, : wb * block : 2].reshape(hb, half, wb, half).astype(np.float32)
    mean = b.mean(axis=(1, 3))
    std = np.sqrt(np.maximum((b * b).mean(axis=(1, 3)) - mean * mean, 0.0))
    fill = (mean >= dark) & (mean < threshold) & (std <= max_std)
    p = np.pad(fill, 1).view(np.uint8)
    fill &= (p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]) >= 2  # not paper between strokes
    # a shaded area is wide: the even grey inside a light glyph's strokes is a few blocks (scan round 18, r28_b11 p. 8:
    # a block inside a grey 事 and the grey edge uneven light left at the page's right made one span, and the file's
    # name from 事 on binarised as paper; scan round 10, r20_a10 at 150 dpi: a grey 長 shaded itself)
    if not fill.any():  # (an image smaller than a block has no blocks at all)
        return None
    _, labels, stats, _ = cv2.connectedComponentsWithStats(fill.astype(np.uint8), connectivity=4)
    fill &= (stats[:, cv2.CC_STAT_AREA] >= FILL_MIN_AREA)[labels]
    rows = np.flatnonzero(fill.any(axis=1))
    if rows.size == 0:
        return None
    span = np.zeros_like(fill)
    for r in rows:
        cols = np.flatnonzero(fill[r])
        span[max(0, r - grow): r + grow + 1, max(0, cols[0] - grow): cols[-1] + grow + 1] = True
    out = np.zeros((h, w), dtype=bool)
    out[: hb * block, : wb * block] = np.repeat(np.repeat(span, block, 0), block, 1)
    return out


FILL_MIN_AREA = 40  # blocks of FILL_BLOCK pixels (about 150 pt² at 300 dpi): the grey inside a glyph is less


def clean_binary(gray: np.ndarray, min_neighbours: int = 4, level: int | None = None) -> np.ndarray:
    """Otsu binarisation (or at `level`; inside shaded cells darker than it, the ink level `DARK` instead:
    fill_region), then ink pixels with fewer than `min_neighbours` of 8 inked neighbours are dropped:
    scanner speckle (Tesseract reads it as 、。・ and stray strokes) goes, strokes stay.

    Chosen on the sample scans (tests/fixtures/scan): 34/34 label words read, against 23/34 for the raw
    image and 31/34 for a 3x3 median filter, at a sixth of the median's cost.
    """
    threshold = otsu_threshold(gray) if level is None else level
    shaded = fill_region(gray, threshold)
    ink = gray < (threshold if shaded is None else np.where(shaded, DARK, threshold))
    p = np.pad(ink, 1).view(np.uint8)
    n = (
        p[:-2, :-2] + p[:-2, 1:-1] + p[:-2, 2:] + p[1:-1, :-2]
        + p[1:-1, 2:] + p[2:, :-2] + p[2:, 1:-1] + p[2:, 2:]
    )  # fmt: skip
    return np.where(ink & (n >= min_neighbours), 0, 255).astype(np.uint8)


NOISY_INK = 0.10  # a binarised form page inked over more than this share caught its paper's texture (clean: ≤ 0.08)


def page_binary(gray: np.ndarray) -> np.ndarray:
    """clean_binary of a whole page; where that inks more than NOISY_INK of it, the level is taken again among the
    pixels darker than the first (Otsu of the ink side), and kept when it leaves less than half the ink: a mottled
    grey paper (scan round 4, r14_b12 p. 6: 17 % inked at grey 200, one blob and no line found) binarises as
    paper, while a dense page's dark strokes would mostly stay and keep the first level."""
    binary = clean_binary(gray)
    share = float((binary == 0).mean())
    if share <= NOISY_INK:
        return binary
    again = clean_binary(gray, level=otsu_threshold(gray, below=otsu_threshold(gray)))
    return again if float((again == 0).mean()) < 0.5 * share else binary


def ocr_gray(gray: np.ndarray, languages: str, dpi: int) -> object:
    """Run Tesseract once on a grey or binary image; returns the API object holding the result."""
    api = _api(languages)
    api.SetImage(Image.fromarray(gray, "L"))
    api.SetSourceResolution(dpi)
    api.Recognize()
    return api


def utf8_text(api) -> str:
    """The text Tesseract recognized, "" where it found none (tesserocr raises "No text returned")."""
    try:
        return api.GetUTF8Text().strip()
    except RuntimeError:
        return ""


def read_regions(page: fitz.Page, boxes: Iterable[tuple[float, float, float, float]], languages: str = "jpn",
                 dpi: int = 300, margin_pt: float = 2.0) -> list[str]:
    """The text of each box (points) of the page read from its pixels, one line each (Tesseract PSM 7).

    Used to check that a text layer over a scan says what the page shows, so crops are small and few.
    """
    import tesserocr  # lazy: optional dependency

    api = _api(languages)
    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    try:
        out = []
        for x0, y0, x1, y1 in boxes:
            clip = fitz.Rect(x0 - margin_pt, y0 - margin_pt, x1 + margin_pt, y1 + margin_pt) & page.rect
            if clip.is_empty:
                out.append("")
                continue
            pix = page.get_pixmap(dpi=dpi, clip=clip, colorspace=fitz.csGRAY, alpha=False)
            api.SetImage(Image.frombytes("L", (pix.width, pix.height), pix.samples))
            api.SetSourceResolution(dpi)
            out.append(utf8_text(api))
        return out
    finally:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_COLUMN)


SKEW_DPI = 150


def page_skew(page: fitz.Page) -> float:
    """Skew of the page content in degrees (counter-clockwise positive), from a low-resolution render."""
    scale = SKEW_DPI / 72.0
    return estimate_skew(flatten_background(render_gray(page, SKEW_DPI), scale), solid_px=round(MAX_THICK_PT * scale))


FRAME = "upright"  # see _Back: the grid needs rules and words in one upright frame


def ocr_page_layout(page: fitz.Page, number: int, settings: OcrSettings | None = None,
                    frame: str | None = None) -> PageLayout:
    """Words (with OCR confidence), ruling lines and bracket marks of a page read from its pixels.

    Steps: skew from a 150 dpi render; the page rendered deskewed at settings.dpi; ruling lines from
    a half-size image; lines erased, speckle removed, Tesseract once; bracket ink from the deskewed
    image; everything mapped back to points of the original page.
    """
    settings = settings or OcrSettings()
    dpi, languages = settings.dpi, settings.languages
    scale = dpi / 72.0
    skew = page_skew(page)
    if abs(skew) < 0.05:
        skew = 0.0
    gray, back_m = render_deskewed(page, dpi, skew)
    gray = flatten_background(gray, scale)
    half = half_min(gray)
    found = find_rules(half, scale / 2, number)
    sides = frame_edges(found, ink_mask(half), scale / 2) if found else []
    w_pt, h_pt = gray.shape[1] / scale, gray.shape[0] / scale
    rules_d = [r for r in found if not edge_to_edge(r, w_pt, h_pt)]
    rows_d = [r for r in find_light_rows(half, scale / 2, number) if not edge_to_edge(r, w_pt, h_pt)]
    words_d, marks_d, faded = read_words(gray, erase_rules(gray, found, scale), scale, number, languages, dpi,
                                         settings, rules_d + sides)

    c = page.rect
    back = _Back(back_m, scale, frame or FRAME, skew, ((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2))
    words = [Word(w.text, *back.box(w.x0, w.y0, w.x1, w.y1), w.page, w.size, w.conf) for w in words_d]
    words = [w for w in words if not in_margin(w, (c.x0, c.y0, c.x1, c.y1))]
    rules = [Rule(*back.point(r.x0, r.y0), *back.point(r.x1, r.y1), r.page) for r in rules_d]
    row_rules = [Rule(*back.point(r.x0, r.y0), *back.point(r.x1, r.y1), r.page) for r in clear_of_words(rows_d, words_d)]
    marks = [Mark(*back.box(m.x0, m.y0, m.x1, m.y1), m.page, m.ink) for m in marks_d]
    blots = [back.box(*b) for b in in_print(solid_blots(half, scale / 2), words_d)]
    return PageLayout(
        number=number,
        width=page.rect.width,
        height=page.rect.height,
        words=words,
        rules=rules,
        row_rules=row_rules,
        marks=marks,
        method=Method.OCR,
        faded_ticks=faded,
        blots=blots,
    )


BLOT_PT = 12.0  # solid ink this wide and tall at least hides print: no glyph, mark or bold heading is that solid


def solid_blots(gray: np.ndarray, scale: float, dark: int = DARK,
                blot_pt: float = BLOT_PT) -> list[tuple[float, float, float, float]]:
    """Boxes (points, in the image's frame) of the areas of solid ink at least `blot_pt` each way: what they cover
    was not read. A shadow a bilevel scan thresholded to black crossed a page of scan round 13 (r23_a07 p. 11), and
    hid Ⅲ 2's リスク3 heading, so リスク3's rating was bound to リスク2."""
    ink = (gray < dark).astype(np.uint8)
    # on a half-size mask (a pixel inked where its 2x2 block is all ink): the ink looked for is 12 pt wide
    h, w = ink.shape[0] // 2 * 2, ink.shape[1] // 2 * 2
    ink = ink[0:h:2, 0:w:2] & ink[1:h:2, 0:w:2] & ink[0:h:2, 1:w:2] & ink[1:h:2, 1:w:2]
    s = scale / 2
    k = max(3, round(blot_pt * s))
    solid = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    if not solid.any():
        return []
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(solid, connectivity=8)
    return [(x / s, y / s, (x + w) / s, (y + h) / s) for x, y, w, h, _area in stats[1:n].tolist()]


def in_print(boxes: list[tuple[float, float, float, float]], words: list[Word]) -> list[tuple[float, float, float, float]]:
    """The boxes that reach into the page's print (the box around its words): a scanner's black edge in the margin
    hides nothing."""
    if not words:
        return []
    x0, y0 = min(w.x0 for w in words), min(w.y0 for w in words)
    x1, y1 = max(w.x1 for w in words), max(w.y1 for w in words)
    return [b for b in boxes if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0]


_recognizers: dict[tuple[str, int], PpOcrRecognizer] = {}


def recognizer(settings: OcrSettings) -> PpOcrRecognizer:
    """The PP-OCR line recognizer of these settings (one per process: its sessions are per thread)."""
    key = (settings.model, settings.threads)
    if key not in _recognizers:
        _recognizers[key] = PpOcrRecognizer(settings.model, threads=settings.threads)
    return _recognizers[key]


def ppocr_symbols(erased: np.ndarray, binary: np.ndarray, scale: float, settings: OcrSettings,
                  rules: list[Rule] = ()) -> list:
    """The page's characters read by PP-OCR, line by line: runs of text found in the cleaned ink, each
    grey crop (ruling lines painted out) recognized, Chinese glyph forms read as Japanese, and every
    character placed on the ink it stands on (lines.symbols_from_readings)."""
    ink = binary == 0
    sample = erased[::2, ::2]  # the levels of every other pixel: a quarter of the cost, the same levels
    level = otsu_threshold(sample)
    boxes = faint_ends(text_lines(ink, scale, settings, rules), erased, level, otsu_threshold(sample, below=level),
                       rules, scale)
    pad = max(2, round(1.5 * scale))
    crops = [crop(erased, b, pad) for b in boxes]
    # a run lower than text is a glyph a cell's wrap left alone (lines.wrapped_glyphs): read alone, a 。 comes out
    # as 口, o, e or nothing, so it stays an unread glyph for the second reading to spell, or the value to lack
    low = settings.min_text_pt * scale
    read = [i for i, b in enumerate(boxes) if b[3] - b[1] >= low]
    readings = [LineReading(UNKNOWN_MARK, 0.0, ((0.0, float(b[2] - b[0] + 2 * pad)),), (0.0,)) for b in boxes]
    for i, r in zip(read, recognizer(settings).read_lines([crops[i][0] for i in read]), strict=True):
        readings[i] = as_japanese(r)
    return symbols_from_readings(boxes, readings, [left for _, left in crops], ink)


def as_japanese(r: LineReading) -> LineReading:
    """A PP-OCR reading in Japanese glyphs: Chinese forms read as Japanese, a glyph read twice as a katakana and
    its hiragana twin read once (with its place and probability), each twin in the script of its neighbours."""
    text = japanese_forms(r.text)
    keep = read_once(text)
    if len(keep) < len(text):
        r = replace(r, spans=tuple(r.spans[i] for i in keep), probs=tuple(r.probs[i] for i in keep) if r.probs else ())
        text = "".join(text[i] for i in keep)
    return replace(r, text=kanji_twins(text).translate(_CURLY))


def read_words(gray: np.ndarray, erased: np.ndarray, scale: float, number: int, languages: str,
               dpi: int, settings: OcrSettings | None = None, rules: list[Rule] = ()) -> tuple[list[Word], list[Mark], bool]:
    """Words, bracket marks and whether the ticks are faded (marks.TickReading) of an upright grey image
    (`erased`: the same with its ruling lines painted out): the text read once (PP-OCR line by line, or
    Tesseract once on the cleaned binary image, by `settings.engine`; Tesseract without settings), then
    brackets and ticks from the ink."""
    binary = page_binary(erased)
    ppocr = settings is not None and settings.engine == "ppocr"
    if ppocr:
        symbols = ppocr_symbols(erased, binary, scale, settings, rules)
    else:
        symbols = _symbols(ocr_gray(binary, languages, dpi))
    words = drop_repeated_readings(words_from_symbols(symbols, scale, number, least=ppocr))
    words = restore_brackets(gray, drop_twin_brackets(words), scale)  # "]" read as "1" / "」" or dropped, from the ink
    words = trim_wide_brackets(gray, words, scale)  # "[ ○" read as one wide "[": the box must hold the ○
    words = boxes_like_the_page(gray, words, scale)  # "C 1 庁内連携システム": brackets like the page's own boxes
    marks = bracket_marks(gray, words, scale, number)
    faint = print_level(gray) > FAINT_INK
    ticks = read_ticks(words, marks, gray, scale, faint)  # ink decides each box, OCR text cross-checks
    return ticks.words, marks, ticks.faded


def time_ocr(pdf_paths: Iterable[str | Path], dpi: int = 300, languages: str = "jpn", max_pages: int = 0) -> dict:
    """Seconds per page of (a) bare Tesseract on the rendered page image (render + one Tesseract pass,
    text only) and (b) ocr_page_layout (the same plus deskew, rules, line erasing, despeckle, symbols,
    marks, coordinate mapping). Same engine, same dpi: `ratio` is our overhead over Tesseract alone.
    """
    settings = OcrSettings(dpi=dpi, languages=languages)
    _api(languages)  # initialise outside the timings
    bare = full = 0.0
    pages = 0
    for path in pdf_paths:
        with fitz.open(path) as doc:
            for page in doc:
                if max_pages and pages >= max_pages:
                    break
                t0 = time.perf_counter()
                ocr_gray(render_gray(page, dpi), languages, dpi).GetUTF8Text()
                bare += time.perf_counter() - t0
                t0 = time.perf_counter()
                ocr_page_layout(page, page.number + 1, settings)
                full += time.perf_counter() - t0
                pages += 1
    if not pages:
        return {"pages": 0}
    return {
        "pages": pages,
        "dpi": dpi,
        "engine": settings.engine,
        "bare_s_per_page": bare / pages,
        "full_s_per_page": full / pages,
        "ratio": full / bare if bare else float("nan"),
    }
