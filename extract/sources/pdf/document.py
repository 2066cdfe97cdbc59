"""A PDF file -> Segments in reading order (cells of bordered tables, then free lines), per page.

Per page: layout from the text layer -> triage (usable / absent / unusable) -> when the text layer
cannot be used: a page showing hardly any ink is blank (not OCR'd), a page past the document's OCR page
budget is skipped, any other is read by an OCR function handed in by the caller (the scan source; this
module does not import it) -> grid -> cells and free lines. Then, over the whole document, page headers and
footers (lines repeated at the same place on most pages) are dropped except their first copy.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pymupdf

from extract.core.cells import Cell, PageGrid, TextLine
from extract.core.enums import InputKind, Method, Severity, Triage
from extract.core.layout import PageLayout
from extract.core.problems import OCR_PAGE_BUDGET, Problem
from extract.core.segments import PageInfo, Segment, SegmentedDocument
from extract.core.settings import GridSettings, OcrSettings, ProcessSettings
from extract.sources.grid import page_grid
from extract.sources.pdf.blank import blank_page
from extract.sources.pdf.layout import page_layout
from extract.sources.pdf.triage import triage_page

_DIGITS = re.compile(r"[0-9０-９]+")

OcrPage = Callable[[pymupdf.Page, int, OcrSettings], PageLayout]  # (page, 1-based number, settings) -> layout
TriagePage = Callable[[pymupdf.Page, PageLayout], tuple[str, str]]  # -> (usable|absent|unusable, reason)


def pdf_segments(path: Path, settings: ProcessSettings | None = None, ocr_page: OcrPage | None = None,
                 triage: TriagePage = triage_page) -> SegmentedDocument:
    """Read a PDF into segments, with each page's method and triage and the problems met on the way."""
    settings = settings or ProcessSettings()
    grids: list[PageGrid] = []
    heights: list[float] = []
    pages: list[PageInfo] = []
    problems: list[Problem] = []
    ocr_left = settings.max_ocr_pages or math.inf
    with pymupdf.open(path) as doc:
        page_count = doc.page_count
        for i, page in enumerate(doc):
            try:
                layout, problem = used_page_layout(page, i + 1, settings, ocr_page, triage, ocr_left > 0)
            except Exception as exc:  # a broken page must not lose the other pages
                reason = f"page could not be read: {type(exc).__name__}: {exc}"
                problem = Problem("layout", type(exc).__name__, reason, page=i + 1)
                rect = page.rect
                layout = PageLayout(i + 1, rect.width, rect.height, triage=Triage.UNUSABLE, triage_reason=reason)
            if problem:
                problems.append(problem)
            if ocr_page is not None and layout.triage in (Triage.ABSENT, Triage.UNUSABLE):
                ocr_left -= 1  # OCR'd, or tried
            pages.append(PageInfo(layout.number, layout.method, layout.triage, layout.triage_reason,
                                  rules=len(layout.rules), faded_ticks=layout.faded_ticks,
                                  blots=tuple(layout.blots)))
            grids.append(page_grid(layout, settings.grid))
            heights.append(layout.height)
    skipped = [p.number for p in pages if p.triage == Triage.SKIPPED]
    if skipped:
        problems.append(Problem(
            "layout", OCR_PAGE_BUDGET, f"{len(skipped)} pages needing OCR not read (pages "
            f"{page_ranges(skipped)}): over the budget of {settings.max_ocr_pages} OCR pages per document",
            severity=Severity.WARNING))
    drop_repeated_lines(grids, heights, settings.grid)
    segments = [seg for g in grids for seg in grid_segments(g, pages[g.number - 1].method)]
    # blank and skipped pages were headed for OCR: the kind is what it was when they were OCR'd
    pixel_pages = sum(p.method == Method.OCR or p.triage in (Triage.BLANK, Triage.SKIPPED) for p in pages)
    kind = InputKind.PDF_SCAN if page_count and pixel_pages * 2 > page_count else InputKind.PDF_TEXT
    return SegmentedDocument(source=str(path), kind=kind, segments=segments, page_count=page_count,
                             pages=pages, problems=problems)


def used_page_layout(page: pymupdf.Page, number: int, settings: ProcessSettings | None = None,
                     ocr_page: OcrPage | None = None, triage: TriagePage = triage_page,
                     ocr_allowed: bool = True) -> tuple[PageLayout, Problem | None]:
    """The layout the pipeline reads for a page: its text layer, or OCR when triage rejects that; no words
    for a blank page (triage `blank`) or, when `ocr_allowed` is false (the budget is spent), one that
    needs OCR (triage `skipped`).

    The problem returned, if any, is what lost the page's text (OCR missing or failing).
    """
    settings = settings or ProcessSettings()
    layout = page_layout(page, number, settings.layout)
    if settings.force_ocr:
        decision, reason = Triage.UNUSABLE, "OCR forced by settings"
    else:
        decision, reason = triage(page, layout)
        decision = Triage(decision)
    layout.triage, layout.triage_reason = decision, reason
    if decision == Triage.USABLE:
        return layout, None
    try:
        blank, ink = blank_page(page, settings.blank)
    except Exception:  # the pixels could not be looked at: OCR will say more
        blank, ink = False, math.nan
    if blank or (ocr_page is not None and not ocr_allowed):
        # nothing to read, or no OCR left for it: its rules are kept, a text layer judged unusable is not
        layout.words = []
        layout.triage = Triage.BLANK if blank else Triage.SKIPPED
        why = (f"blank page: ink {ink:.4f} % of the page" if blank else
               f"not read: over the budget of {settings.max_ocr_pages} OCR pages per document")
        layout.triage_reason = f"{why}; {reason}" if reason else why
        return layout, None
    if ocr_page is None:
        why, cls = "OCR not available", "OcrUnavailable"
    else:
        try:
            ocr = ocr_page(page, number, settings.ocr)
        except Exception as exc:  # one page failing OCR must not lose the document
            why, cls = f"OCR failed: {type(exc).__name__}: {exc}", type(exc).__name__
        else:
            ocr.method = Method.OCR
            ocr.triage, ocr.triage_reason = decision, reason
            if not ocr.rules:  # OCR gave words only; the drawn rules are still in the PDF
                ocr.rules = layout.rules
            return ocr, None
    problem = Problem("layout", cls, f"text layer {decision} ({reason}); {why}", page=number)
    # A text layer judged unusable would only give wrong values: keep its rules, drop its words.
    layout.words = []
    layout.triage_reason = f"{reason}; {why}" if reason else why
    return layout, problem


def page_ranges(numbers: list[int], most: int = 5) -> str:
    """Sorted page numbers as ranges, "3-5, 9", the first `most` of them ("..." for the rest)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:most])
    return text + (", ..." if len(runs) > most else "")


def grid_segments(grid: PageGrid, method: Method = Method.PDF_TEXT) -> list[Segment]:
    """Segments of one page in reading order; empty cells are left out."""
    out = []
    for b in grid.blocks:
        if not b.text:
            continue
        conf = min((w.conf for w in b.words), default=1.0)
        if isinstance(b, Cell):
            out.append(Segment(b.text, b.page, b.bbox, method=method, confidence=conf, row=b.row, col=b.col))
        else:
            out.append(Segment(b.text, b.page, b.bbox, method=method, confidence=conf, band=b.band))
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
