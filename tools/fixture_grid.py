"""An Excel-like sheet printer for the fixture renderer: rows of bordered cells on A4 portrait pages.

Each token of a cell is drawn as its own text object (so "[" "十分である" "]" are three objects, as in
Excel exports), cell borders are thin black lines merged into one grid per page, label cells are grey.
Rows carry `refs` (answer-key entries); the page a row first lands on is written into them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf as fitz

PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT = 36.0, 559.0
TOP, BOTTOM = 46.0, 800.0
X_LABEL, X_OPTS = 176.0, 400.0  # label | value | option-list columns
FONT = fitz.Font("cjk")  # Droid Sans Fallback, shipped inside PyMuPDF: no system font needed
BODY = 7.5
PAD = 2.5
GREY, LIGHT, DARK = 0.86, 0.93, 0.76


_ADV: dict[str, float] = {}


def width(text: str, size: float = BODY) -> float:
    total = 0.0
    for ch in text:
        a = _ADV.get(ch)
        if a is None:
            a = _ADV[ch] = FONT.text_length(ch, fontsize=1.0)
        total += a
    return total * size


def wrap(text: str, w: float, size: float = BODY) -> list[str]:
    """Break `text` into lines no wider than `w` (character wrapping, as Excel does for CJK)."""
    out: list[str] = []
    for para in text.split("\n"):
        line, lw = "", 0.0
        for ch in para:
            cw = width(ch, size)
            if line and lw + cw > w:
                out.append(line)
                line, lw = ch, cw
            else:
                line += ch
                lw += cw
        out.append(line)
    return out


Line = list[tuple[float, str]]  # (x offset from the cell's text origin, token)


def text_lines(text: str, w: float, size: float = BODY) -> list[Line]:
    return [[(0.0, s)] if s else [] for s in wrap(text, w, size)]


@dataclass
class Cell:
    x0: float
    x1: float
    lines: list[Line] = field(default_factory=list)
    fill: float | None = None
    size: float = BODY
    align: str = "left"  # left | center | right
    border: bool = True

    @property
    def inner(self) -> float:
        return self.x1 - self.x0 - 2 * PAD - 2


@dataclass
class Row:
    cells: list[Cell]
    refs: list[dict] = field(default_factory=list)
    split: int | None = None  # index of the cell whose lines may continue on the next page
    keep_next: bool = False  # a heading: do not leave it alone at a page bottom
    page_break: bool = False  # start a new page before this row
    min_h: float = 0.0

    def line_h(self) -> float:
        return max(c.size for c in self.cells) * 1.42

    def height(self, n_lines: int | None = None) -> float:
        n = n_lines if n_lines is not None else max((len(c.lines) for c in self.cells), default=1)
        return max(self.min_h, max(n, 1) * self.line_h() + 2 * PAD)


def label_cell(text: str, x0: float = LEFT, x1: float = X_LABEL, fill: float | None = GREY,
               size: float = BODY) -> Cell:
    c = Cell(x0, x1, fill=fill, size=size)
    c.lines = text_lines(text, c.inner, size)
    return c


def text_cell(text: str, x0: float, x1: float = RIGHT, fill: float | None = None, size: float = BODY,
              align: str = "left", border: bool = True) -> Cell:
    c = Cell(x0, x1, fill=fill, size=size, align=align, border=border)
    c.lines = text_lines(text, c.inner, size)
    return c


class Sheet:
    """Lays rows out on pages; `header` is drawn at the top of every page, the footer is "- n -"."""

    def __init__(self, header: str):
        self.doc = fitz.open()
        self.header = header
        self.page: fitz.Page | None = None
        self.y = TOP
        self.hsegs: list[tuple[float, float, float]] = []
        self.vsegs: list[tuple[float, float, float]] = []
        self.fills: list[tuple[fitz.Rect, float]] = []
        self.texts: list[tuple[float, float, str, float]] = []
        self.splits = 0  # rows continued on the next page

    @property
    def page_no(self) -> int:
        return self.doc.page_count

    def new_page(self) -> None:
        self._flush()
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.page.insert_font(fontname="F0", fontbuffer=FONT.buffer)
        self.y = TOP
        if self.header and self.page_no > 1:  # the cover carries the stamp in its own first row
            self.texts.append((RIGHT - width(self.header, 7), 30, self.header, 7))
        foot = f"- {self.page_no} -"
        self.texts.append(((PAGE_W - width(foot, 8)) / 2, 822, foot, 8))

    def add(self, rows: list[Row]) -> None:
        for i, row in enumerate(rows):
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            self._place(row, nxt)

    def _place(self, row: Row, nxt: Row | None) -> None:
        if self.page is None or row.page_break and self.y > TOP:
            self.new_page()
        h = row.height()
        need = h + (min(nxt.height(), 40) if (row.keep_next and nxt) else 0)
        if self.y + need > BOTTOM and self.y > TOP:
            room = int((BOTTOM - self.y - 2 * PAD) / row.line_h())
            if row.split is not None and room >= 2 and len(row.cells[row.split].lines) > max(room, 4):
                first, rest = self._split(row, room)
                self._draw(first)
                self.new_page()
                self._place(rest, nxt)
                return
            self.new_page()
        if self.y + h > BOTTOM and row.split is not None:  # taller than a whole page
            room = int((BOTTOM - self.y - 2 * PAD) / row.line_h())
            first, rest = self._split(row, room)
            self._draw(first)
            self.new_page()
            self._place(rest, nxt)
            return
        self._draw(row)

    def _split(self, row: Row, room: int) -> tuple[Row, Row]:
        """Cut the split cell after `room` lines; the continuation keeps the cell geometry, other cells empty."""
        self.splits += 1
        first_cells, rest_cells = [], []
        for j, c in enumerate(row.cells):
            if j == row.split:
                first_cells.append(Cell(c.x0, c.x1, c.lines[:room], c.fill, c.size, c.align, c.border))
                rest_cells.append(Cell(c.x0, c.x1, c.lines[room:], c.fill, c.size, c.align, c.border))
            else:
                first_cells.append(c)
                rest_cells.append(Cell(c.x0, c.x1, [], c.fill, c.size, c.align, c.border))
        return (Row(first_cells, row.refs, None, min_h=0),
                Row(rest_cells, [], row.split, min_h=0))

    def _draw(self, row: Row) -> None:
        h = row.height()
        y0, y1 = self.y, self.y + h
        for ref in row.refs:
            ref.setdefault("page", self.page_no)
        lh = row.line_h()
        for c in row.cells:
            if c.fill is not None:
                self.fills.append((fitz.Rect(c.x0, y0, c.x1, y1), c.fill))
            if c.border:
                self.hsegs += [(y0, c.x0, c.x1), (y1, c.x0, c.x1)]
                self.vsegs += [(c.x0, y0, y1), (c.x1, y0, y1)]
            for k, line in enumerate(c.lines):
                if not line:
                    continue
                base = y0 + PAD + k * lh + c.size * 1.1
                span = max(dx + width(t, c.size) for dx, t in line)
                x = c.x0 + PAD + 1
                if c.align == "center":
                    x = (c.x0 + c.x1 - span) / 2
                elif c.align == "right":
                    x = c.x1 - PAD - 1 - span
                for dx, tok in line:
                    if tok.strip():
                        self.texts.append((x + dx, base, tok, c.size))
        self.y = y1

    def _flush(self) -> None:
        if self.page is None:
            return
        sh = self.page.new_shape()
        for rect, g in self.fills:
            sh.draw_rect(rect)
            sh.finish(fill=(g, g, g), color=None, width=0)
        for (coord, a, b), horizontal in [(s, True) for s in _merge(self.hsegs)] + \
                [(s, False) for s in _merge(self.vsegs)]:
            sh.draw_line((a, coord), (b, coord)) if horizontal else sh.draw_line((coord, a), (coord, b))
        sh.finish(color=(0, 0, 0), width=0.5, closePath=False)
        for x, y, tok, size in self.texts:
            sh.insert_text((x, y), tok, fontname="F0", fontsize=size)
        sh.commit()
        self.fills, self.hsegs, self.vsegs, self.texts = [], [], [], []

    def save(self, path) -> int:
        self._flush()
        self.page = None
        self.doc.subset_fonts()
        self.doc.save(str(path), garbage=4, deflate=True, no_new_id=True)
        n = self.doc.page_count
        self.doc.close()
        return n


def _merge(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Union collinear overlapping segments (coord, start, end) so each border is drawn once."""
    by: dict[float, list[tuple[float, float]]] = {}
    for coord, a, b in segs:
        by.setdefault(round(coord, 2), []).append((min(a, b), max(a, b)))
    out = []
    for coord, iv in sorted(by.items()):
        iv.sort()
        cur_a, cur_b = iv[0]
        for a, b in iv[1:]:
            if a <= cur_b + 0.01:
                cur_b = max(cur_b, b)
            else:
                out.append((coord, cur_a, cur_b))
                cur_a, cur_b = a, b
        out.append((coord, cur_a, cur_b))
    return out
