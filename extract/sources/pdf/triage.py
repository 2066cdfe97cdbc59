"""Per-page decision: can the PDF's text layer be used, or must the page be read from its pixels?

usable    the words are real text (Kangxi / CJK radical code points are fine: normalize maps them)
absent    no text at all (an image-only scan, or an empty page)
unusable  text that would give wrong values: U+FFFD / private-use characters (CID fonts without a
          ToUnicode map), "(cid:N)" strings, control characters, mojibake, a text layer whose words
          do not sit on the page's ink (an invisible garbage OCR layer over a scan), or one that sits on
          the ink but says something else (a poor OCR engine's layer: plausible characters, wrong ones)

The character checks read only the words already extracted, so a normal page costs microseconds; the
ink check renders the page at low resolution and runs only when a full-page image is present, and so
does the reading check: a few short stretches of the layer's words are read from the pixels (by a
region reader the caller hands in; the scan source's OCR) and must agree with what the layer says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from statistics import median

import numpy as np
import pymupdf as fitz

from extract.core.layout import PageLayout, Word

Box = tuple[float, float, float, float]
RegionReader = Callable[[fitz.Page, Sequence[Box]], list[str]]  # (page, boxes in points) -> text read in each

BAD_SHARE = 0.05  # replacement / private-use / control share above which the text layer is unusable
MOJIBAKE_SHARE = 0.2  # share of characters from scripts a Japanese form does not use
FULL_PAGE_IMAGE = 0.6  # an image covering this share of the page makes it a scan
INK_DPI = 36
SAMPLE_WORDS = 5  # stretches of the text layer read back from the pixels
SAMPLE_CHARS = 6  # characters per stretch: short crops keep the check cheap
AGREEMENT = 0.4  # median similarity below which the layer is not the page (a matching layer scores > 0.7)
CID_RE = re.compile(r"\(cid:\d+\)")


def _class(ranges) -> str:
    return "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


_BAD_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xE000, 0xF8FF), (0xFFFD, 0xFFFD),
               (0xF0000, 0x10FFFF))


def _bad_char(c: str) -> bool:
    o = ord(c)
    return (
        o == 0xFFFD
        or 0xE000 <= o <= 0xF8FF
        or o >= 0xF0000  # supplementary private-use planes
        or (o < 0x20 and c not in "\t\n\r")
        or 0x7F <= o <= 0x9F
    )


def _radical(c: str) -> bool:
    o = ord(c)
    return 0x2E80 <= o <= 0x2EFF or 0x2F00 <= o <= 0x2FDF


# Blocks a Japanese form uses; anything else (Latin-1 letters like Ã‚, Cyrillic, Hangul, Arabic...) in
# bulk is what Shift_JIS or UTF-8 bytes decoded with the wrong code page look like.
_EXPECTED = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xBF),  # Latin-1 punctuation (§ ° ± ×...)
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x0391, 0x03C9),  # Greek (JIS X 0208 has it)
    (0x0401, 0x0451),  # Cyrillic (JIS X 0208 has it; only in bulk suspicious, see below)
    (0x2000, 0x2BFF),  # punctuation, letterlike, numbers (①), arrows, math, box drawing, shapes (○ □)
    (0x2E80, 0x2FDF),  # radicals (normalized later)
    (0x3000, 0x30FF),  # CJK symbols, hiragana, katakana
    (0x3190, 0x33FF),  # kanbun, enclosed CJK (㈱), CJK compatibility (㎡)
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width and half-width forms
    (0x20000, 0x3134F),
)


def _expected(c: str) -> bool:
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in _EXPECTED)


# The same tests as regular expressions: a page's text is checked in C, not character by character.
BAD_RE = re.compile(f"[{_class(_BAD_RANGES)}]")
ODD_RE = re.compile(f"[^{_class(_EXPECTED)}{_class(_BAD_RANGES)}\\s]")
RADICAL_RE = re.compile(f"[{_class(((0x2E80, 0x2EFF), (0x2F00, 0x2FDF)))}]")
CYRILLIC_RE = re.compile("[\\u0400-\\u04ff]")
SPACE_RE = re.compile(r"\s+")


def text_checks(text: str) -> tuple[str, str]:
    """The character-level verdict on a page's text: (usable|unusable|absent, reason)."""
    n = len(text) - sum(len(m) for m in SPACE_RE.findall(text))
    if n == 0:
        return "absent", "no text on the page"
    cids = len(CID_RE.findall(text))
    if cids and cids * 6 >= 0.2 * n:
        return "unusable", f"{cids} '(cid:N)' glyphs without Unicode mapping"
    bad = BAD_RE.findall(text)
    if len(bad) > BAD_SHARE * n:
        fffd = bad.count("\ufffd")
        return "unusable", (
            f"{len(bad)} of {n} characters are replacement/private-use/control code points "
            f"({fffd} U+FFFD): font without ToUnicode map"
        )
    odd = ODD_RE.findall(text)
    cyr = CYRILLIC_RE.findall(text)
    if len(cyr) > MOJIBAKE_SHARE * n:  # JIS has Cyrillic, but a page of it is decoded bytes
        odd += [c for c in cyr if _expected(c)]
    if len(odd) > MOJIBAKE_SHARE * n:
        sample = "".join(odd[:8])
        return "unusable", f"mojibake: {len(odd)} of {n} characters from unexpected scripts (e.g. {sample!r})"
    radicals = len(RADICAL_RE.findall(text))
    if radicals:
        return "usable", f"{radicals} radical code points (normalized later)"
    return "usable", ""


def full_page_image(page: fitz.Page) -> bool:
    """True when an image covers most of the page (a scan, possibly under a text layer)."""
    if not page.get_images(full=False):
        return False
    area = abs(page.rect)
    if area <= 0:
        return False
    for info in page.get_image_info():
        r = fitz.Rect(info["bbox"]) & page.rect
        if abs(r) >= FULL_PAGE_IMAGE * area:
            return True
    return False


def ink_inside_outside(page: fitz.Page, layout: PageLayout, dpi: int = INK_DPI) -> tuple[float, float, float]:
    """Ink share inside the word boxes, outside them, and the share of words with hardly any ink.

    The render shows the image and visible text only (invisible text, render mode 3, draws nothing),
    so an OCR layer that matches its scan has far more ink inside its word boxes than outside.
    """
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    ink = gray < 160
    s = dpi / 72.0
    inside = np.zeros(ink.shape, dtype=bool)
    empty = 0
    counted = 0
    for w in layout.words:
        x0, y0 = max(0, int(w.x0 * s)), max(0, int(w.y0 * s))
        x1, y1 = min(ink.shape[1], int(np.ceil(w.x1 * s))), min(ink.shape[0], int(np.ceil(w.y1 * s)))
        if x1 <= x0 or y1 <= y0:
            continue
        inside[y0:y1, x0:x1] = True
        counted += 1
        if ink[y0:y1, x0:x1].mean() < 0.02:
            empty += 1
    n_in = int(inside.sum())
    n_out = inside.size - n_in
    share_in = float(ink[inside].mean()) if n_in else 0.0
    share_out = float(ink[~inside].mean()) if n_out else 0.0
    return share_in, share_out, (empty / counted if counted else 1.0)


def fonts_without_tounicode(page: fitz.Page) -> list[str]:
    """Names of the page's Identity-encoded (CID) fonts that carry no ToUnicode map."""
    out = []
    for xref, _ext, ftype, basefont, _name, encoding, *_ in page.get_fonts(full=False):
        if ftype == "Type0" and encoding.startswith("Identity") and xref:
            if page.parent.xref_get_key(xref, "ToUnicode")[0] == "null":
                out.append(basefont)
    return out


def _fold(text: str) -> str:
    return SPACE_RE.sub("", unicodedata.normalize("NFKC", text))


def sample_stretches(words: Sequence[Word], n: int = SAMPLE_WORDS, chars: int = SAMPLE_CHARS) -> list[tuple[str, Box]]:
    """Up to n short stretches (text, box) spread over the page: the first `chars` characters of words
    that have at least three letters, their box cut in proportion (full-width characters are one em)."""
    wordy = [w for w in words if sum(c.isalpha() for c in _fold(w.text)) >= 3]
    if not wordy:
        return []
    picks = [wordy[round(i * (len(wordy) - 1) / max(1, n - 1))] for i in range(min(n, len(wordy)))]
    out, seen = [], set()
    for w in picks:
        if id(w) in seen:
            continue
        seen.add(id(w))
        k = min(len(w.text), chars)
        x1 = w.x0 + (w.x1 - w.x0) * k / max(1, len(w.text))
        out.append((w.text[:k], (w.x0, w.y0, x1, w.y1)))
    return out


def agreement(layer: str, read: str) -> float:
    """Similarity (0..1) of what the text layer says and what was read from the pixels."""
    a, b = _fold(layer), _fold(read)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def layer_reads_as_page(page: fitz.Page, layout: PageLayout, read_regions: RegionReader) -> tuple[bool, str]:
    """Does the text layer say what the page shows? A few stretches of it, read from the pixels, must
    agree (median similarity >= AGREEMENT); (verdict, reason with the figures)."""
    stretches = sample_stretches(layout.words)
    if not stretches:
        return True, ""
    read = read_regions(page, [box for _, box in stretches])
    scores = [agreement(text, got) for (text, _), got in zip(stretches, read)]
    m = median(scores)
    detail = f"{len(scores)} stretches of the text layer read from the pixels: median similarity {m:.2f}"
    if m < AGREEMENT:
        example = f" (layer {stretches[0][0]!r}, pixels {read[0]!r})"
        return False, f"text layer over a page image is not the page: {detail}{example}"
    return True, detail


def triage_page(page: fitz.Page, layout: PageLayout, read_regions: RegionReader | None = None) -> tuple[str, str]:
    """("usable" | "absent" | "unusable", reason) for the text layer of one page.

    With `read_regions`, a text layer over a page image must also read as the page (layer_reads_as_page).
    """
    text = "".join(w.text for w in layout.words)
    decision, reason = text_checks(text)
    if decision == "absent":
        # the layout may have dropped glyphs it could not map (NUL, U+FFFD): look at the raw text
        raw = page.get_text("text")
        if raw.strip(" \t\r\n"):
            raw_decision, raw_reason = text_checks(raw)
            if raw_decision == "unusable":
                return raw_decision, raw_reason
        if page.get_images(full=False):
            return "absent", "no text layer: image-only page"
        return "absent", "no text on the page"
    if decision == "unusable":
        return decision, reason
    no_map = fonts_without_tounicode(page)
    if no_map:
        n = len(text) - sum(len(m) for m in SPACE_RE.findall(text))
        odd = len(ODD_RE.findall(text)) + len(BAD_RE.findall(text))
        note = f"CID fonts without ToUnicode: {', '.join(no_map[:3])}"
        if odd > 0.05 * n:
            return "unusable", f"{note}; {odd} of {n} odd characters"
        reason = f"{reason}; {note}" if reason else note
    if full_page_image(page):
        inside, outside, empty = ink_inside_outside(page, layout)
        if empty > 0.5 or inside < 2.0 * outside + 0.02:
            return "unusable", (
                f"text layer over a page image does not match it: ink {inside:.3f} inside word boxes vs "
                f"{outside:.3f} outside, {empty:.0%} of words on blank paper"
            )
        note = "text layer over a page image matches its ink"
        if read_regions is not None:
            agrees, detail = layer_reads_as_page(page, layout, read_regions)
            if not agrees:
                return "unusable", detail
            note = f"{note}; {detail}"
        reason = f"{reason}; {note}" if reason else note
    return decision, reason
