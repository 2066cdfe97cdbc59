"""Stage boundary of the grid step: a page as bordered cells and free lines, in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.core.layout import Word


@dataclass(slots=True)
class Cell:
    page: int
    bbox: tuple[float, float, float, float]
    row: int
    col: int
    text: str = ""
    words: list[Word] = field(default_factory=list)
    table: int = 0  # index of the table on the page, in reading order
    open_top: bool = False  # no rule drawn on this edge (closed by close_open_ends): the row was cut by
    open_bottom: bool = False  # a page break and continues on the previous / next page


@dataclass(slots=True)
class TextLine:
    """Words outside every cell that sit on one line (titles, headers, footers, free text)."""

    page: int
    bbox: tuple[float, float, float, float]
    text: str
    words: list[Word]
    band: tuple[float, float] | None = None  # the ruling lines right above and below it (their y), both drawn over it


@dataclass(slots=True)
class PageGrid:
    """A page in reading order: rows of cells (left to right) and free lines, by their top edge."""

    number: int
    cells: list[Cell]
    lines: list[TextLine]
    blocks: list[Cell | TextLine]  # cells and lines merged in reading order
