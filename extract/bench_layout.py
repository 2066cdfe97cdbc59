"""Speed of the PDF text path, in pages per second on one core, on the same files:

    words     bare PyMuPDF page.get_text("words")          (the floor: what reading text costs)
    bare      get_text("words") + get_cdrawings()           (all the raw input our layout needs)
    layout    our page_layout + page_grid (words, rules, cells with text)
    segments  our pdf_segments (the above + header/footer removal + Segments), whole files
    pdfplumber  pdfplumber's extract_tables() (the slow reference)

    python -m extract.bench_layout FILE.pdf ... [--no-pdfplumber]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pymupdf

from extract.grid import page_grid
from extract.pdf_document import pdf_segments
from extract.pdf_layout import page_layout
from pipelines.result import DocumentResult


def _per_page(paths: list[Path], fn: Callable[[pymupdf.Page, int], object]) -> tuple[int, float]:
    pages = 0
    t0 = time.perf_counter()
    for p in paths:
        with pymupdf.open(p) as doc:
            for i, page in enumerate(doc):
                fn(page, i + 1)
                pages += 1
    return pages, time.perf_counter() - t0


def _segments(paths: list[Path]) -> tuple[int, float]:
    pages = 0
    t0 = time.perf_counter()
    for p in paths:
        result = DocumentResult(source=str(p), sha256="")
        pages += pdf_segments(p, None, result).page_count
    return pages, time.perf_counter() - t0


def _pdfplumber(paths: list[Path], max_pages: int) -> tuple[int, float]:
    import pdfplumber

    pages = 0
    t0 = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                if max_pages and pages >= max_pages:
                    break
                page.extract_tables()
                pages += 1
    return pages, time.perf_counter() - t0


def time_layout(paths: Iterable[str | Path], pdfplumber: bool = True, pdfplumber_max_pages: int = 0) -> dict:
    """Pages/s of each variant on the same files: {variant: {"pages", "seconds", "pages_per_s"}}.

    Single process, so the figures are per core. Files are opened once per variant; the first variant
    also warms the OS file cache. `pdfplumber_max_pages` caps the slow reference (0: no cap).
    """
    files = [Path(p) for p in paths]
    runs: dict[str, tuple[int, float]] = {}
    runs["words"] = _per_page(files, lambda page, n: page.get_text("words"))
    runs["bare"] = _per_page(files, lambda page, n: (page.get_text("words"), page.get_cdrawings()))
    runs["layout"] = _per_page(files, lambda page, n: page_grid(page_layout(page, n)))
    runs["segments"] = _segments(files)
    if pdfplumber:
        runs["pdfplumber"] = _pdfplumber(files, pdfplumber_max_pages)
    return {
        name: {"pages": n, "seconds": round(dt, 4), "pages_per_s": round(n / dt, 1) if dt > 0 else None}
        for name, (n, dt) in runs.items()
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m extract.bench_layout")
    ap.add_argument("pdf", nargs="+")
    ap.add_argument("--no-pdfplumber", action="store_true")
    ap.add_argument("--pdfplumber-max-pages", type=int, default=0)
    a = ap.parse_args(argv)
    res = time_layout(a.pdf, pdfplumber=not a.no_pdfplumber, pdfplumber_max_pages=a.pdfplumber_max_pages)
    for name, r in res.items():
        print(f"{name:11s} {r['pages']:6d} pages {r['seconds']:9.3f} s {r['pages_per_s']:9.1f} pages/s")


if __name__ == "__main__":
    main()
