"""Bounds of one document's run: a time limit scaled by its page count, decided before it starts.

The other bounds live where the pages are read: blank pages are found before OCR (extract/sources/pdf/
blank.py, `BlankSettings`) and at most `ProcessSettings.max_ocr_pages` pages are OCR'd per document. The
time limit counts on them: a page past the OCR cap costs a glance (triage, the blank check), not an OCR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """Seconds a document may take: `base` + `per_page` for each page up to the OCR cap + `per_page_past_cap`
    for each page past it, unless `fixed` gives one limit for every document; `off` = no limit.

    Defaults: an OCR'd page takes 1.6-5 s here (PP-OCR, a busy 2-core machine), a text-layer page 0.01 s, a
    page past the cap ~0.015 s (the blank check): 6 s a page is a slow scan's time with room to spare, so a
    15-page document gets 150 s and a hang holds its worker for minutes, not the old flat 15."""

    base: float = 60.0
    per_page: float = 6.0
    per_page_past_cap: float = 0.2
    fixed: float | None = None
    off: bool = False

    def __post_init__(self) -> None:
        for name in ("base", "per_page", "per_page_past_cap"):
            if getattr(self, name) < 0:
                raise ValueError(f"TimeLimit.{name} = {getattr(self, name)!r} must not be negative")
        if self.fixed is not None and self.fixed <= 0:
            raise ValueError(f"TimeLimit.fixed = {self.fixed!r} must be positive (use off=True for no limit)")

    def seconds(self, pages: int | None, ocr_cap: int = 0) -> float | None:
        """The limit for a document of `pages` pages (None: unknown, counted as one)."""
        if self.off:
            return None
        if self.fixed is not None:
            return self.fixed
        n = max(1, pages or 1)
        capped = min(n, ocr_cap) if ocr_cap else n
        return self.base + self.per_page * capped + self.per_page_past_cap * (n - capped)

    def reason(self, pages: int | None, ocr_cap: int = 0) -> str:
        """How the limit was set, for the Timeout message."""
        if self.off:
            return "no time limit"
        if self.fixed is not None:
            return f"the fixed limit of {self.fixed:g} s per document"
        n = max(1, pages or 1)
        capped = min(n, ocr_cap) if ocr_cap else n
        text = f"limit for {n if pages else 'an unknown number of'} pages: {self.base:g} s + {capped} x {self.per_page:g} s"
        if n > capped:
            text += f" + {n - capped} pages past the OCR cap x {self.per_page_past_cap:g} s"
        return text


def page_count_hint(path: Path) -> int | None:
    """Pages of a PDF (opened, not read), 1 for anything else; None when a PDF cannot be opened."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return None
    if b"%PDF" not in head:
        return 1
    try:
        with pymupdf.open(path) as doc:
            return doc.page_count
    except Exception:  # broken, encrypted...: the reader will say why
        return None
