"""A second OCR reading of the few values where one misread glyph makes a wrong row: dates, counts and
the affair name.

The page pass reads a cleaned, whole-page image; a dropped "1" turns 令和1年10月16日 into 10月6日
with high confidence. Here each such value's cell is read again from the raw grey image at a higher
resolution, as one block. Dates and counts must agree between the two readings, else the field is
undetermined; names get a character vote among all their readings (identity.vote).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf as fitz
import regex

from extract.forms.fields import UNDETERMINED, FieldValue
from normalize.text import normalize_text

VERIFY_DPI = 400
_DATE_LIKE = regex.compile(r"\S{0,2}\s*\d{1,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}/\d{1,2}/\d{1,2}")
DIGIT_KINDS = ("date", "dates", "period", "count")
INSET = 1.5  # points: keep the cell borders out of the crop


def second_reading(page: fitz.Page, bbox: tuple[float, float, float, float], languages: str = "jpn") -> str:
    """OCR of one cell's area from the raw page image, without the page pass's clean-up."""
    import numpy as np
    import tesserocr
    from PIL import Image

    from extract.ocr import tessdata_dir

    x0, y0, x1, y1 = bbox
    clip = fitz.Rect(x0 + INSET, y0 + INSET, x1 - INSET, y1 - INSET) & page.rect
    if clip.is_empty:
        return ""
    pix = page.get_pixmap(dpi=VERIFY_DPI, clip=clip, colorspace=fitz.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    gray = _text_only(gray)
    if gray is None:
        return ""
    with tesserocr.PyTessBaseAPI(path=tessdata_dir(languages), lang=languages,
                                 psm=tesserocr.PSM.SINGLE_BLOCK) as api:
        api.SetVariable("preserve_interword_spaces", "1")
        api.SetImage(Image.fromarray(gray, "L"))
        api.SetSourceResolution(VERIFY_DPI)
        return api.GetUTF8Text().strip()


def _text_only(gray):
    """Binarise, blank border lines (rows / columns mostly ink), drop speckle, crop to the text."""
    import numpy as np

    from extract.ocr import clean_binary

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
    return np.where(ink[y0:y1, x0:x1], 0, 255).astype(np.uint8)


def verify_ocr_fields(path: Path, fields: list[FieldValue], reread=second_reading) -> list[str]:
    """Re-read OCR'd dates and counts (a disagreement makes the field undetermined) and the affair;
    returns the second readings of the affair, for the vote."""
    from extract.forms.interpret import Region, read_date, read_period
    from extract.forms.model import FORMS
    from extract.segments import Segment

    targets = [f for f in fields if f.ok and f.evidence and f.evidence.method == "ocr" and f.evidence.bbox
               and (f.kind in DIGIT_KINDS or f.key == "I.1.1")]
    affair_second: list[str] = []
    if not targets:
        return affair_second
    items = {k: it for form in FORMS.values() for k, it in form.items_by_key.items()}
    with fitz.open(path) as doc:
        for f in targets:
            text = reread(doc[f.evidence.page - 1], f.evidence.bbox)
            if f.key == "I.1.1":
                affair_second.append(normalize_text(text).split("\n")[0].strip())
                continue
            again = _reread_value(f, text, items, Region, Segment, read_date, read_period)
            if again is None or not any(v is not None for v in again):
                # the second pass found nothing to compare: keep the first reading, trust it less
                if f.evidence is not None:
                    f.evidence = replace(f.evidence, confidence=round(f.evidence.confidence * 0.8, 3))
                f.reason = ((f.reason + "; ") if f.reason else "") + "ocr: not confirmed by a second reading"
                continue
            if again != _value(f):
                f.status = UNDETERMINED
                f.reason = f"conflict: two OCR readings disagree ({_fmt(_value(f))} / {_fmt(again)})"
    return affair_second


def _fmt(v) -> str:
    return "..".join(str(x) for x in (v or ()) if x is not None) or "nothing"


def _value(f: FieldValue):
    return (f.value_date, f.value_date_end, f.value_int)


def _reread_value(f, text, items, Region, Segment, read_date, read_period):
    if f.kind == "count":

        norm = normalize_text(text)
        option = f.label.removesuffix(" 件数")  # counts inside options: read after the option's label
        start = norm.find(option) if f.key.rsplit(".", 1)[-1].startswith("count") and option in norm else 0
        m = regex.search(r"[(（]\s*([0-9]+)\s*[)）]\s*件", norm[max(start, 0):])
        if m is None:
            m = regex.fullmatch(r"\s*([0-9]+)\s*", normalize_text(text))
        return (None, None, int(m.group(1)) if m else None)
    item = items.get(f.key)
    if item is None:
        return None
    norm = normalize_text(text)
    found = _DATE_LIKE.findall(norm)
    norm = "~".join(found) if f.kind == "period" else (found[0] if found else norm)
    region = Region([(Segment(text, method="ocr"), norm)], "")
    g = read_date(item, region) if f.kind == "date" else read_period(item, region)
    return (g.value_date, g.value_date_end, None)



def verify_document(path: Path, fields: list[FieldValue], identity) -> None:
    """Second readings for an OCR'd document, then the identity follows the verified fields: a 公表日
    the readings disagree on is dropped, the affair is the vote of all its readings."""
    from extract.forms.fuzzy import fix_words
    from extract.forms.identity import affair_readings, agreed, title_affair

    second = verify_ocr_fields(path, fields)
    published = next((f for f in fields if f.key == "cover.published"), None)
    if published is not None and not published.ok:
        identity.published = None
    readings = [*affair_readings(fields, identity.title), *map(fix_words, second)]
    if any(readings):
        identity.affair = agreed(readings)
    # 評価書名 has one reading on a scan: keep it only where its affair part is the agreed affair
    if identity.title and title_affair(identity.title) != identity.affair:
        identity.title = None
        for f in fields:
            if f.key == "cover.title" and f.ok:
                f.status, f.reason = UNDETERMINED, "ocr: the name is not confirmed by another reading"
