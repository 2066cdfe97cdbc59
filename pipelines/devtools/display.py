"""Debug picture of one PDF page: rules, cells, words and (optionally) the fields found, over the page.

Like pdfplumber's display.py: the fastest way to see why a field was missed.
    python -m pipelines.devtools.display FILE.pdf PAGE OUT.png [--dpi 100] [--no-words] [--no-cells]
Colours: rules red, light row rules of a scan pink (they part rows, never cells), cells blue (with row,col),
words green, field evidence orange with the field key.
The title line says how the page was read (pdf-text / ocr, triage decision).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

from extract.core.settings import GridSettings
from extract.sources.grid import page_grid
from extract.sources.pdf.document import used_page_layout
from extract.sources.scan.ocr import ocr_page_layout
from pipelines.process import process_file

RULE = (220, 0, 0, 255)
ROW_RULE = (255, 120, 160, 255)  # a scan's light row rules (PageLayout.row_rules)
CELL = (0, 70, 220, 255)
WORD = (0, 160, 60, 160)
FIELD = (255, 130, 0, 255)
UNDETERMINED = (200, 0, 200, 255)  # fields left undetermined


def draw_page(
    path: str | Path,
    page_no: int,
    out_png: str | Path,
    cells: bool = True,
    words: bool = True,
    fields=None,
    dpi: int = 100,
    grid_settings: GridSettings | None = None,
    settings=None,
) -> Path:
    """Write a PNG of page `page_no` (1-based) with the layout drawn over it; returns the PNG's path.

    The layout is the one the pipeline reads (text layer, or OCR when triage rejects the text layer;
    `settings` as for pdf_segments). `fields`: FieldValues (extract/core/fields.py); those whose
    evidence is on this page are boxed with their key.
    """
    out = Path(out_png)
    with pymupdf.open(path) as doc:
        page = doc[page_no - 1]
        layout, _ = used_page_layout(page, page_no, settings, ocr_page=ocr_page_layout)
        pix = page.get_pixmap(dpi=dpi)
        img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples).convert("RGBA")
    scale = dpi / 72.0
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    font = ImageFont.load_default()

    def box(b, colour, width=1):
        x0, y0, x1, y1 = (v * scale for v in b)
        draw.rectangle((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)), outline=colour, width=width)

    for r in layout.row_rules:
        draw.line((r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale), fill=ROW_RULE, width=2)
    for r in layout.rules:
        draw.line((r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale), fill=RULE, width=1)
    if cells:
        grid = page_grid(layout, grid_settings)
        for c in grid.cells:
            x0, y0, x1, y1 = (v * scale for v in c.bbox)
            draw.rectangle((x0 + 2, y0 + 2, x1 - 2, y1 - 2), outline=CELL, width=1)
            draw.text((x0 + 3, y0 + 2), f"{c.row},{c.col}", fill=CELL, font=font)
    if words:
        for w in layout.words:
            box((w.x0, w.y0, w.x1, w.y1), WORD)
    for f in fields or ():
        ev = getattr(f, "evidence", None)
        if ev is None or ev.page != page_no or ev.bbox is None:
            continue
        color = FIELD if getattr(f, "status", "ok") == "ok" else UNDETERMINED
        box(ev.bbox, color, width=2)
        x0, y0 = ev.bbox[0] * scale, ev.bbox[1] * scale
        draw.text((x0 + 2, max(0, y0 - 11)), f.key, fill=color, font=font)
    draw.text((4, 2), f"p{page_no} {layout.method} {layout.triage} {layout.triage_reason}"[:160], fill=CELL, font=font)
    Image.alpha_composite(img, overlay).convert("RGB").save(out)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m pipelines.devtools.display", description=__doc__.splitlines()[0])
    ap.add_argument("pdf")
    ap.add_argument("page", type=int, help="1-based page number")
    ap.add_argument("out", help="PNG to write")
    ap.add_argument("--dpi", type=int, default=100)
    ap.add_argument("--no-words", action="store_true")
    ap.add_argument("--no-cells", action="store_true")
    ap.add_argument("--fields", action="store_true",
                    help="run the whole pipeline on the file and draw the fields read on this page, "
                         "labelled with their keys (orange: read, magenta: undetermined)")
    a = ap.parse_args(argv)
    fields = None
    if a.fields:

        fields = [f for f in process_file(Path(a.pdf)).fields if f.evidence and f.evidence.page == a.page]
    print(draw_page(a.pdf, a.page, a.out, cells=not a.no_cells, words=not a.no_words, fields=fields, dpi=a.dpi))


if __name__ == "__main__":
    main()
