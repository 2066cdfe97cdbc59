"""A PDF file -> Segments in reading order (cells of bordered tables, then free lines), per page.

Per page: layout from the text layer (or from OCR when triage says the text layer is absent or
unusable) -> grid -> cells and free lines. Then, over the whole document, page headers and footers
(lines repeated at the same place on most pages) are dropped except their first copy.

Triage and OCR live in other modules and are called only through these names, when present:
    extract.sources.pdf.triage.triage_page(page, layout) -> (decision, reason)      decision: usable|absent|unusable
    extract.sources.scan.ocr.ocr_page_layout(page, number, settings) -> PageLayout
"""

from __future__ import annotations

import bisect
import importlib
import importlib.util
import math
import re
from collections import defaultdict
from pathlib import Path

import pymupdf

from extract.core.layout import PageLayout
from extract.core.result import DocumentResult, PageInfo
from extract.core.segments import Segment, SegmentedDocument
from extract.sources.grid import Cell, GridSettings, PageGrid, TextLine, page_grid
from extract.sources.pdf.layout import LayoutSettings, page_layout

_DIGITS = re.compile(r"[0-9０-９]+")


def _optional(module: str, name: str):
    """A function from an optional module of the pipeline, or None when that module is not there."""
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def pdf_segments(path: Path, settings, result: DocumentResult) -> SegmentedDocument:
    """Read a PDF into segments; fills result.pages (method and triage per page) and warnings."""
    grid_settings: GridSettings = getattr(settings, "grid", None) or GridSettings()
    grids: list[PageGrid] = []
    heights: list[float] = []
    result.pages = []
    with pymupdf.open(path) as doc:
        page_count = doc.page_count
        for i, page in enumerate(doc):
            try:
                layout = used_page_layout(page, i + 1, settings, result.warnings)
            except Exception as exc:  # a broken page must not lose the other pages
                reason = f"page could not be read: {type(exc).__name__}: {exc}"
                result.warnings.append(f"page {i + 1}: {reason}")
                rect = page.rect
                layout = PageLayout(i + 1, rect.width, rect.height, triage="unusable", triage_reason=reason)
            result.pages.append(PageInfo(layout.number, layout.method, layout.triage, layout.triage_reason))
            grids.append(page_grid(layout, grid_settings))
            heights.append(layout.height)
    drop_repeated_lines(grids, heights, grid_settings)
    segments = [seg for g in grids for seg in grid_segments(g, _method(result, g.number))]
    ocr_pages = sum(1 for p in result.pages if p.method == "ocr")
    kind = "pdf-scan" if page_count and ocr_pages * 2 > page_count else "pdf-text"
    return SegmentedDocument(source=str(path), kind=kind, segments=segments, page_count=page_count)


def _method(result: DocumentResult, number: int) -> str:
    return result.pages[number - 1].method


def used_page_layout(page: pymupdf.Page, number: int, settings=None, warnings: list[str] | None = None) -> PageLayout:
    """The layout the pipeline reads for a page: its text layer, or OCR when triage rejects that.

    `settings` is the pipeline's settings object (ProcessSettings: force_ocr, ocr_dpi, ...; optional
    attributes `layout` and `grid`). Problems that lose a page's text are appended to `warnings`.
    """
    layout = page_layout(page, number, getattr(settings, "layout", None) or LayoutSettings())
    if getattr(settings, "force_ocr", False):
        decision, reason = "unusable", "OCR forced by settings"
    else:
        triage_page = _optional("extract.sources.pdf.triage", "triage_page")
        if triage_page is None:
            return layout
        decision, reason = triage_page(page, layout)
    layout.triage, layout.triage_reason = decision, reason
    if decision == "usable":
        return layout
    ocr_page_layout = _optional("extract.sources.scan.ocr", "ocr_page_layout")
    if ocr_page_layout is None:
        why = "OCR not available"
    else:
        try:
            ocr = ocr_page_layout(page, number, settings)
        except Exception as exc:  # one page failing OCR must not lose the document
            why = f"OCR failed: {type(exc).__name__}: {exc}"
        else:
            ocr.method = "ocr"
            ocr.triage, ocr.triage_reason = decision, reason
            if not ocr.rules:  # OCR gave words only; the drawn rules are still in the PDF
                ocr.rules = layout.rules
            return ocr
    if warnings is not None:
        warnings.append(f"page {number}: text layer {decision} ({reason}); {why}")
    # A text layer judged unusable would only give wrong values: keep its rules, drop its words.
    layout.words = []
    layout.triage_reason = f"{reason}; {why}" if reason else why
    return layout


def grid_segments(grid: PageGrid, method: str = "pdf-text") -> list[Segment]:
    """Segments of one page in reading order; empty cells are left out."""
    out = []
    for b in grid.blocks:
        if not b.text:
            continue
        conf = min((w.conf for w in b.words), default=1.0)
        if isinstance(b, Cell):
            out.append(Segment(b.text, b.page, b.bbox, method=method, confidence=conf, row=b.row, col=b.col))
        else:
            out.append(Segment(b.text, b.page, b.bbox, method=method, confidence=conf))
    return out


def drop_repeated_lines(grids: list[PageGrid], heights: list[float], settings: GridSettings) -> None:
    """Remove page headers/footers: free lines near the top or bottom edge whose text (digits ignored,
    so page numbers match) recurs at the same place on at least `header_share` of the pages.

    Page 1's copy is kept (a stamp such as "[平成30年5月 様式4]" is the form revision); a header that
    starts on a later page loses all its copies, so none lands between two items of the form.
    """
    n = len(grids)
    if n < 2:
        return
    need = max(2, math.ceil(settings.header_share * n))
    tol = settings.header_tolerance
    candidates: dict[str, list[tuple[int, TextLine]]] = defaultdict(list)
    for gi, (g, h) in enumerate(zip(grids, heights)):
        band = settings.header_band * h
        for ln in g.lines:
            if ln.bbox[3] <= band or ln.bbox[1] >= h - band:
                candidates[_DIGITS.sub("#", ln.text.replace(" ", ""))].append((gi, ln))
    drop: set[int] = set()
    for copies in candidates.values():
        if len({gi for gi, _ in copies}) < need:
            continue
        copies.sort(key=lambda c: c[1].bbox[1])
        tops = [c[1].bbox[1] for c in copies]
        for gi, ln in copies:
            # Only copies at the same height can be at the same place: a window, not all pairs.
            lo = bisect.bisect_left(tops, ln.bbox[1] - tol)
            hi = bisect.bisect_right(tops, ln.bbox[1] + tol)
            same = {gj for gj, other in copies[lo:hi] if _same_place(ln, other, tol)}
            if len(same) >= need and gi != 0:
                drop.add(id(ln))
    if not drop:
        return
    for g in grids:
        g.lines = [ln for ln in g.lines if id(ln) not in drop]
        g.blocks = [b for b in g.blocks if id(b) not in drop]


def _same_place(a: TextLine, b: TextLine, tol: float) -> bool:
    if abs(a.bbox[1] - b.bbox[1]) > tol:
        return False
    # Left-, right- or centre-aligned: "- 3 -" and "- 12 -" share their centre, not their edges.
    return (
        abs(a.bbox[0] - b.bbox[0]) <= tol
        or abs(a.bbox[2] - b.bbox[2]) <= tol
        or abs((a.bbox[0] + a.bbox[2]) - (b.bbox[0] + b.bbox[2])) / 2 <= tol
    )
