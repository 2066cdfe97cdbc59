"""Speed of a PDF of blank scanned pages through the whole pipeline (process_file): every page must be
told blank from its pixels, none OCR'd. Target: 2,000 pages in under 60 s on one core.

The pages are what a scanner makes of a blank sheet: an A4 JPEG of light grey paper with grain, speckle,
dust and a dark band along one or two edges; each page its own image (a few sheets, each page's bytes
made distinct), so no decoded image is shared between pages.

    python -m pipelines.bench.blank_pages [--pages 2000] [--dpi 200] [--keep FILE]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from extract.core.enums import Method
from pipelines.process import process_file

A4 = pymupdf.paper_rect("a4")
EDGES = ("left", "right", "top", "bottom")


def scanned_page_jpeg(rng: np.random.Generator, dpi: int = 200,
                      draw: Callable[[pymupdf.Page], None] | None = None, paper: float = 235.0,
                      grain: float = 5.0, speckle: float = 0.003, dust: int = 40,
                      edges: tuple[tuple[str, float], ...] = (("left", 8.0),), quality: int = 60) -> bytes:
    """An A4 page as a scanner gives it, JPEG: what `draw` puts on a vector page (nothing: a blank sheet)
    on grey paper, with grain (sigma), salt-and-pepper `speckle` (share of pixels), `dust` specks of 1-3
    pixels and dark bands (side, width in points) along the edges."""
    src = pymupdf.open()
    page = src.new_page(width=A4.width, height=A4.height)
    if draw is not None:
        draw(page)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    a = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).astype(np.float32)
    a = a * (paper / 255.0) + rng.normal(0.0, grain, a.shape).astype(np.float32)
    if speckle:
        s = rng.random(a.shape, dtype=np.float32)
        a[s < speckle / 2] = 30
        a[s > 1 - speckle / 2] = 255
    h, w = a.shape
    for _ in range(dust):
        y, x, r = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3)), int(rng.integers(1, 4))
        a[y:y + r, x:x + r] = 40
    for side, width in edges:
        n = max(1, round(width * dpi / 72))
        band = {"left": np.s_[:, :n], "right": np.s_[:, w - n:],
                "top": np.s_[:n, :], "bottom": np.s_[h - n:, :]}[side]
        a[band] = 35 + rng.normal(0.0, 8.0, a[band].shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def _distinct(jpeg: bytes, n: int) -> bytes:
    """The JPEG with a comment naming `n`: other bytes, so PDF writers and readers keep the pages apart."""
    note = f"page {n}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + jpeg[2:]


def image_pdf(path: Path, images: list[bytes]) -> None:
    """An image-only PDF, one A4 page per JPEG."""
    doc = pymupdf.open()
    for i, jpeg in enumerate(images):
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_image(page.rect, stream=_distinct(jpeg, i + 1))
    doc.save(path, garbage=1)


def blank_scan_pdf(path: Path, pages: int, dpi: int = 200, seed: int = 0, sheets: int = 8) -> None:
    """A scanned PDF of `pages` blank pages, made from `sheets` different blank sheets."""
    rng = np.random.default_rng(seed)
    made = []
    for _ in range(sheets):
        sides = rng.choice(EDGES, size=int(rng.integers(1, 3)), replace=False)
        edges = tuple((str(side), float(rng.uniform(3, 14))) for side in sides)
        made.append(scanned_page_jpeg(rng, dpi, paper=float(rng.uniform(220, 245)),
                                      grain=float(rng.uniform(3, 7)), edges=edges))
    image_pdf(path, [made[i % sheets] for i in range(pages)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench.blank_pages",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="pages of the generated PDF (default: 2000)")
    ap.add_argument("--dpi", type=int, default=200, help="scan resolution of the pages (default: 200)")
    ap.add_argument("--keep", type=Path, metavar="FILE",
                    help="write the generated PDF here (default: a temporary file)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "blank.pdf"
        t0 = time.perf_counter()
        blank_scan_pdf(path, args.pages, args.dpi)
        made, size = time.perf_counter() - t0, path.stat().st_size
        t0, c0 = time.perf_counter(), time.process_time()
        result = process_file(path)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    triage = Counter(str(p.triage) for p in result.pages)
    ocr = sum(p.method == Method.OCR for p in result.pages)
    print(f"{args.pages} blank pages scanned at {args.dpi} dpi: {size / 1e6:.0f} MB, made in {made:.1f} s")
    print(f"process_file: {seconds:.1f} s ({cpu:.1f} s CPU), {len(result.pages) / seconds:.0f} pages/s; "
          f"pages by triage {dict(triage)}, OCR'd {ocr}; status {result.status} "
          f"({result.error_class or 'no error'})")
    print("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
    return 0 if triage.get("blank", 0) == args.pages and ocr == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
