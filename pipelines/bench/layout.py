"""Speed of the PDF text path, in pages per second on one core, on the same files:

    words     bare PyMuPDF page.get_text("words")          (the floor: what reading text costs)
    bare      get_text("words") + get_cdrawings()           (all the raw input our layout needs)
    layout    our page_layout + page_grid (words, rules, cells with text)
    segments  our pdf_segments (the above + header/footer removal + Segments), whole files
    pdfplumber  pdfplumber's extract_tables() (the slow reference)

    python -m pipelines.bench.layout FILE.pdf ... [--no-pdfplumber]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pymupdf

from extract.sources.grid import page_grid
from extract.sources.pdf.document import pdf_segments
from extract.sources.pdf.layout import page_layout

Run = tuple[int, float, float]  # pages, wall seconds, CPU seconds of this process


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(pages: int, t: tuple[float, float]) -> Run:
    return pages, time.perf_counter() - t[0], time.process_time() - t[1]


def _per_page(paths: list[Path], fn: Callable[[pymupdf.Page, int], object]) -> Run:
    pages = 0
    t = _clock()
    for p in paths:
        with pymupdf.open(p) as doc:
            for i, page in enumerate(doc):
                fn(page, i + 1)
                pages += 1
    return _since(pages, t)


def _segments(paths: list[Path]) -> Run:
    pages = 0
    t = _clock()
    for p in paths:
        pages += pdf_segments(p).page_count
    return _since(pages, t)


def _pdfplumber(paths: list[Path], max_pages: int) -> Run:
    import pdfplumber

    pages = 0
    t = _clock()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                if max_pages and pages >= max_pages:
                    break
                page.extract_tables()
                pages += 1
    return _since(pages, t)


def time_layout(paths: Iterable[str | Path], pdfplumber: bool = True, pdfplumber_max_pages: int = 0) -> dict:
    """Pages/s of each variant on the same files.

    Returns {variant: {"pages", "seconds", "cpu_seconds", "pages_per_s", "pages_per_cpu_s"}}. One
    process, one thread: the figures are per core; pages_per_cpu_s is the steadier one on a busy
    machine. Files are opened once per variant (the first run also warms the OS file cache).
    `pdfplumber_max_pages` caps the slow reference (0: no cap).
    """
    files = [Path(p) for p in paths]
    runs: dict[str, Run] = {}
    runs["words"] = _per_page(files, lambda page, n: page.get_text("words"))
    runs["bare"] = _per_page(files, lambda page, n: (page.get_text("words"), page.get_cdrawings()))
    runs["layout"] = _per_page(files, lambda page, n: page_grid(page_layout(page, n)))
    runs["segments"] = _segments(files)
    if pdfplumber:
        runs["pdfplumber"] = _pdfplumber(files, pdfplumber_max_pages)
    return {
        name: {
            "pages": n,
            "seconds": round(wall, 4),
            "cpu_seconds": round(cpu, 4),
            "pages_per_s": round(n / wall, 1) if wall > 0 else None,
            "pages_per_cpu_s": round(n / cpu, 1) if cpu > 0 else None,
        }
        for name, (n, wall, cpu) in runs.items()
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench.layout")
    ap.add_argument("pdf", nargs="+")
    ap.add_argument("--no-pdfplumber", action="store_true")
    ap.add_argument("--pdfplumber-max-pages", type=int, default=0)
    a = ap.parse_args(argv)
    res = time_layout(a.pdf, pdfplumber=not a.no_pdfplumber, pdfplumber_max_pages=a.pdfplumber_max_pages)
    for name, r in res.items():
        print(
            f"{name:11s} {r['pages']:6d} pages {r['seconds']:8.3f} s {r['pages_per_s']:8.1f} pages/s"
            f"   cpu {r['cpu_seconds']:8.3f} s {r['pages_per_cpu_s']:8.1f} pages/cpu-s"
        )


if __name__ == "__main__":
    main()
