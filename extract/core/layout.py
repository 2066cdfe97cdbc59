"""Stage boundary: what every input source (PDF text layer, OCR, text input) turns a page into.

Coordinates are PDF points, origin top-left, y growing downwards (PyMuPDF's convention).
Pages are numbered from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.core.enums import Method, Triage


@dataclass(frozen=True, slots=True)
class Word:
    """One word (or glyph run) with its box; `conf` is 1.0 for a text layer, 0..1 for OCR."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    size: float = 0.0
    conf: float = 1.0


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line (a stroked path or a thin filled rectangle), horizontal or vertical."""

    x0: float
    y0: float
    x1: float
    y1: float
    page: int

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(frozen=True, slots=True)
class Mark:
    """Ink found inside a bracket area of a scanned page (tick detection)."""

    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    ink: float  # share of dark pixels, 0..1


@dataclass(slots=True)
class PageLayout:
    """Everything read from one page. `method` is how the words were obtained."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # OCR: horizontal lines too light to trust as cell borders (a hair border); they still part rows (grid.ruled_bands)
    row_rules: list[Rule] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    method: Method = Method.PDF_TEXT
    triage: Triage = Triage.USABLE
    triage_reason: str = ""
    faded_ticks: bool = False  # OCR: the page's ticks are faded, a box read empty is unreadable (scan.marks)
    # OCR: areas of solid ink (x0, y0, x1, y1 in points) that hide whatever was printed under them (a shadow
    # thresholded to black, a redaction bar)
    blots: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass(slots=True)
class DocumentLayout:
    source: str
    pages: list[PageLayout]
