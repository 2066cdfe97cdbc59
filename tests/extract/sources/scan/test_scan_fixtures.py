"""The scanned fixtures are reproducible: the benchmark renders five of them on demand (tools/scan.py
BENCH_ONLY) instead of committing them, which is only sound if rendering gives the same page images."""

from pathlib import Path

import pymupdf as fitz
from conftest import FIXTURES

from tools.scan import BENCH_ONLY, BENCH_ONLY_VARIANTS, SCAN_SET, SRC_DIR, VARIANTS

SCAN = FIXTURES / "scan"


def _images(pdf: Path) -> list[bytes]:
    with fitz.open(pdf) as doc:
        return [doc.extract_image(page.get_images()[0][0])["image"] for page in doc]


def test_a_committed_scan_renders_again_to_the_same_page_images(tmp_path):
    # kiso_koshi_jidou: blur, contrast and grain, the same code path as the benchmark-only scans
    out = tmp_path / "kiso_koshi_jidou.scan200.pdf"
    VARIANTS["scan200"](SRC_DIR / "kiso_koshi_jidou.pdf", out)
    assert _images(out) == _images(SCAN / "kiso_koshi_jidou.scan200.pdf")


def test_every_scan_is_either_committed_or_rendered_for_the_benchmark():
    for stem, variants in SCAN_SET.items():
        for variant in variants:
            committed = (SCAN / f"{stem}.{variant}.pdf").exists()
            assert committed != (stem in BENCH_ONLY or variant in BENCH_ONLY_VARIANTS), (stem, variant)
            assert (SRC_DIR / f"{stem}.pdf").exists()
