"""Typed, validated settings: one object per stage, nested in ProcessSettings, which every stage reads.

A bad value fails when the settings are built (ValueError naming the field), not deep inside a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


def _check(obj, **rules) -> None:
    """Raise ValueError for a field outside its range: rules are name -> (low, high), either may be None."""
    for name, (low, high) in rules.items():
        v = getattr(obj, name)
        if (low is not None and v < low) or (high is not None and v > high):
            raise ValueError(f"{type(obj).__name__}.{name} = {v!r} is outside [{low}, {high}]")


def _non_negative(obj) -> None:
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0:
            raise ValueError(f"{type(obj).__name__}.{f.name} = {v!r} must not be negative")


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    thin_rect: float = 3.0  # a filled rectangle this thin (points) or thinner is a ruling line
    axis_tolerance: float = 1.0  # a stroked line whose ends differ by at most this on one axis is axis-aligned
    min_rule_length: float = 2.0  # shorter pieces are dots or hairline artefacts, not rules
    fill_edges: bool = False  # also take the edges of wide filled rectangles (cell shading) as rules
    white_level: float = 0.95  # a path whose colour has every component at or above this is white

    def __post_init__(self) -> None:
        _non_negative(self)
        _check(self, white_level=(0.0, 1.0))


@dataclass(frozen=True, slots=True)
class GridSettings:
    snap_tolerance: float = 3.0  # parallel rules closer than this (points) are moved onto one line (double borders)
    join_tolerance: float = 3.0  # collinear rule pieces with a gap up to this are joined into one rule
    intersection_tolerance: float = 2.0  # a rule ending this close to a crossing rule still meets it
    min_cell_size: float = 4.0  # narrower/lower cells hold no text: gaps of double borders, not cells
    close_open_ends: bool = True  # close a table cut by a page break (verticals ending with no rule)
    space_gap: float = 0.15  # gap between words on a line, as a share of their height, that means a space
    line_split_gap: float = 3.0  # outside cells, a gap this many line heights wide starts a new line
    header_band: float = 0.15  # page header/footer candidates lie in this share of the page, top or bottom
    header_share: float = 0.5  # ...and repeat at the same place on at least this share of pages
    header_tolerance: float = 3.0  # "the same place": within this many points

    def __post_init__(self) -> None:
        _non_negative(self)
        _check(self, header_band=(0.0, 0.5), header_share=(0.0, 1.0))


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """The page pass: `engine` reads the text ("ppocr": PP-OCR recognition on each text line, placed by
    Tesseract-free line finding; "tesseract": one Tesseract pass over the page). Tesseract stays the
    second reading of the values verified after parsing (extract/forms/verify.py)."""

    dpi: int = 300  # the page pass renders at this resolution
    languages: str = "jpn"  # Tesseract language codes, "+"-joined
    engine: str = "ppocr"  # "ppocr" | "tesseract"
    model: str = "v6-small"  # PP-OCR recognition model (extract/sources/scan/recognizer.py MODELS)
    threads: int = 1  # onnxruntime threads per worker process (the pipeline runs a process per core)
    line_gap_pt: float = 24.0  # ink closer than this along a line is one run of text (a line crop)
    min_text_pt: float = 3.0  # a run lower than this is a speck, not text
    max_line_pt: float = 16.0  # a run higher than this holds several lines: cut at its empty rows

    def __post_init__(self) -> None:
        _check(self, dpi=(72, 1200), threads=(1, 64), line_gap_pt=(1.0, 50.0), min_text_pt=(0.5, 20.0),
               max_line_pt=(4.0, 100.0))
        if not self.languages:
            raise ValueError("OcrSettings.languages must name at least one Tesseract language")
        if self.engine not in ("ppocr", "tesseract"):
            raise ValueError(f"OcrSettings.engine = {self.engine!r}: one of 'ppocr', 'tesseract'")


@dataclass(frozen=True, slots=True)
class BlankSettings:
    """When a page that would go to OCR is blank (extract/sources/pdf/blank.py, which gives the measurements
    these were chosen on): at 50 dpi grain and speckle average into the paper, a 0.5 pt rule and a single
    8 pt character do not."""

    dpi: int = 50  # the page is looked at this coarsely (grey, averaged: specks fade, strokes stay)
    margin: float = 0.05  # share of the width / height left out at each edge (scanner edges, punch holes)
    ink_level: int = 60  # a pixel this many grey levels darker than the paper (the median) is ink
    max_ink: float = 0.002  # percent of the page: a page with less ink is blank; 0 = no page is blank

    def __post_init__(self) -> None:
        _check(self, dpi=(18, 150), margin=(0.0, 0.25), ink_level=(1, 254), max_ink=(0.0, 100.0))


@dataclass(frozen=True, slots=True)
class ProcessSettings:
    """Everything one document's run reads; each stage takes its own part."""

    layout: LayoutSettings = field(default_factory=LayoutSettings)
    grid: GridSettings = field(default_factory=GridSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    blank: BlankSettings = field(default_factory=BlankSettings)
    force_ocr: bool = False  # OCR every page of a PDF, whatever its text layer
    max_ocr_pages: int = 300  # OCR at most this many pages per document, skip the rest; 0 = no limit

    def __post_init__(self) -> None:
        _check(self, max_ocr_pages=(0, None))
