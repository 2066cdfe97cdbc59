"""Blank pages told from their pixels, before OCR: a page that would be read from its pixels but shows
hardly any ink is recorded as blank instead (a scanner's blank backs, separator sheets, empty pages).

The page is looked at coarsely (BlankSettings.dpi, 50): there a scanner's grain and speckle average into
the paper, while a line of text or a 0.5 pt rule stays clearly darker. Ink is what is `ink_level` grey
levels darker than the paper (the median grey), leaving out dark bands along the edges (a scanner's lid
or platen edge), a `margin` band at each edge, and specks (dust: an ink pixel with fewer than three
others within 2 pixels; a stroke or a rule has more).

Measured on generated JPEG scans (pipelines/bench/blank_pages.py makes them), ink in percent of the
page, both ways of looking (the JPEG decoded small | MuPDF's render): blank sheets at 150-400 dpi (clean;
0.3-1 % speckle; 40-400 dust specks of 1-3 pixels; dark edge bands of 4-40 pt; grey paper; show-through
of a full page of text; several seeds) 0.0000 every one; at 200 and 300 dpi one 8 pt character
0.0078-0.0091, a 9 pt page number "- 3 -" 0.0029-0.0041, 以下余白 at 9 pt 0.027-0.029, a 40 x 20 pt box
of 0.5 pt rules 0.022-0.034, a 200 pt rule of 0.5 pt 0.057, two punch holes (dark lid) 0.020-0.027;
the sample scans' form pages 1.56 and more. The default `max_ink`, 0.002, lies between (the least ink
that counts, 4 pixels, is 0.0017). A box of 0.25 pt hairlines averages away at 50 dpi and is called blank.

A page that is one JPEG image is decoded by the JPEG decoder itself at a reduced scale (PIL's draft
mode: 1/2, 1/4 or 1/8), twice as fast as MuPDF rendering it; anything else is rendered by MuPDF.
"""

from __future__ import annotations

import io

import numpy as np
import pymupdf as fitz
from PIL import Image

from extract.core.settings import BlankSettings

MIN_PAPER = 128  # a median grey darker than this is no paper to measure ink against: never blank
EDGE_DARK = 0.5  # a row / column along an edge with more ink than this share belongs to an edge band
EDGE_MAX = 0.25  # ...which is peeled off up to this share of the page per side
SPECK_MAX = 3  # this many ink pixels or fewer within 2 pixels (1 mm at 50 dpi) are dust, not ink


def ink_share(gray: np.ndarray, settings: BlankSettings) -> float:
    """Percent of the page (a grey image, 0 = black) that is ink, as described above. Pure."""
    h, w = gray.shape
    if h < 3 or w < 3:
        return 0.0
    sample = gray[::2, ::2].ravel()  # a quarter of the pixels give the median grey as well
    paper = int(np.searchsorted(np.bincount(sample, minlength=256).cumsum(), (sample.size + 1) // 2))
    if paper < MIN_PAPER:
        return 100.0
    ink = gray < paper - settings.ink_level
    rows, cols = ink.mean(axis=1), ink.mean(axis=0)
    top, bottom = _band(rows, int(EDGE_MAX * h)), _band(rows[::-1], int(EDGE_MAX * h))
    left, right = _band(cols, int(EDGE_MAX * w)), _band(cols[::-1], int(EDGE_MAX * w))
    my, mx = round(settings.margin * h), round(settings.margin * w)
    inner = ink[top + my: h - bottom - my, left + mx: w - right - mx]
    if not inner.any():
        return 0.0
    # ink pixels in the 5 x 5 window around each pixel (an integral image: four look-ups per pixel)
    k = np.pad(inner.astype(np.int32), ((3, 2), (3, 2))).cumsum(0).cumsum(1)
    near = k[5:, 5:] - k[:-5, 5:] - k[5:, :-5] + k[:-5, :-5]
    return 100.0 * int((inner & (near >= SPECK_MAX + 1)).sum()) / (h * w)


def _band(dark_share: np.ndarray, limit: int) -> int:
    """How many rows (columns) from the edge are an edge band: the leading run that is mostly ink."""
    dark = dark_share[:limit] > EDGE_DARK
    return int(limit if dark.all() else dark.argmin())


def page_gray(page: fitz.Page, dpi: int) -> np.ndarray:
    """The page in grey at `dpi`: its one JPEG image decoded at a reduced scale when that is the whole
    page, else MuPDF's render."""
    gray = _jpeg_page(page, dpi)
    if gray is None:
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
        gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    return gray


def _jpeg_page(page: fitz.Page, dpi: int) -> np.ndarray | None:
    """The page at `dpi` from its image decoded at 1/2, 1/4 or 1/8 scale, when the page shows nothing but
    one upright, unmasked 8-bit grey or RGB JPEG covering it; None otherwise (or when it does not decode).

    Cheap look-ups only: get_image_info(xrefs=True) would decode every image to hash it.
    """
    log = page.get_bboxlog()  # everything drawn, invisible text included
    if len(log) != 1 or log[0][0] != "fill-image":
        return None
    infos, images = page.get_image_info(), page.get_images(full=True)
    if len(infos) != 1 or len(images) != 1:
        return None
    info, (xref, smask, width, height, bpc, *_rest) = infos[0], images[0]
    a, b, c, d = info["transform"][:4]
    if (smask or info["has-mask"] or bpc != 8 or info["colorspace"] not in (1, 3)
            or (width, height) != (info["width"], info["height"])
            or not (abs(b) < 1e-3 and abs(c) < 1e-3 or abs(a) < 1e-3 and abs(d) < 1e-3)):
        return None
    area = abs(page.rect)
    bbox = fitz.Rect(info["bbox"])
    if area <= 0 or abs(bbox & (page.rect * page.derotation_matrix)) < 0.98 * area or abs(bbox) > 1.02 * area:
        return None
    doc = page.parent
    jpeg = doc.xref_get_key(xref, "Filter") == ("name", "/DCTDecode")
    if not jpeg or doc.xref_get_key(xref, "Decode")[0] != "null":
        return None
    image_dpi = 72.0 * min(width, height) / max(1e-6, min(bbox.width, bbox.height))
    scale = 8
    while scale > 1 and image_dpi / scale < dpi:
        scale //= 2
    try:
        with Image.open(io.BytesIO(doc.xref_stream_raw(xref))) as im:
            im.draft("L", (im.width // scale, im.height // scale))
            # then averaged down to `dpi` itself, as MuPDF would: the thresholds were measured there
            f = dpi / (image_dpi * im.width / width)
            size = (max(1, round(im.width * f)), max(1, round(im.height * f)))
            gray = im.convert("L")
            return np.asarray(gray.resize(size, Image.Resampling.BOX) if f < 1 else gray)
    except Exception:  # a JPEG PIL cannot read: MuPDF renders the page instead
        return None


def blank_page(page: fitz.Page, settings: BlankSettings) -> tuple[bool, float]:
    """(blank?, ink percent of the page)."""
    if settings.max_ink <= 0:
        return False, float("nan")
    share = ink_share(page_gray(page, settings.dpi), settings)
    return share < settings.max_ink, share
