"""Stage boundary between layout and form parsing.

A Segment is one unit of text in reading order: a table cell of a PDF page, or a line / table cell
of a text input. The form parser only ever sees segments, so PDF, OCR and text inputs share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.core.enums import InputKind, Method, Triage
from extract.core.problems import Problem


@dataclass(frozen=True, slots=True)
class Segment:
    text: str  # raw text as read (lines of a wrapped cell joined with "\n")
    page: int | None = None  # 1-based page (PDF inputs)
    bbox: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 in points
    line: int | None = None  # 1-based line number (text inputs)
    method: Method = Method.PDF_TEXT
    confidence: float = 1.0
    row: int | None = None  # grid row on the page, where a grid exists
    col: int | None = None  # grid column
    band: tuple[float, float] | None = None  # a line in no cell: the y of the ruling lines drawn over it above and below


@dataclass(slots=True)
class PageInfo:
    number: int
    method: Method
    triage: Triage
    reason: str = ""
    rules: int | None = None  # ruling lines found on the page (None: not counted, e.g. a text input)
    faded_ticks: bool = False  # OCR: the page's ticks are faded; a second reading of a crop must know it
    blots: tuple[tuple[float, float, float, float], ...] = ()  # OCR: solid ink hiding the print (PageLayout.blots)


@dataclass(frozen=True, slots=True)
class SegmentedDocument:
    """All segments of one input in reading order, plus what is known about the input."""

    source: str
    kind: InputKind
    segments: list[Segment]
    page_count: int
    encoding: str | None = None
    pages: list[PageInfo] = field(default_factory=list)  # PDF inputs: how each page was read
    problems: list[Problem] = field(default_factory=list)  # what the source lost on the way
