"""A batch of hostile inputs through the CLI with its default bounds: it must finish by itself, every input
with its manifest row. Target (issue 21): 30+ inputs in under 5 minutes.

    python -m pipelines.bench.hostile [--blank-pages 2000] [--workers 2] [--keep DIR]

The inputs: a PDF of 2,000 blank scanned pages; empty, one-byte and random files; truncated and encrypted
PDFs; PNG and JPEG images; binary garbage named .txt; a 5 MB text of repeated lines; UTF-16 text without BOM;
deep HTML tables; one 10 MB line; a PDF named .txt; 400 empty pages; a symlink, a broken symlink and a copy
of a fixture; a PDF whose page content is garbage; and two good fixtures as the control.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pymupdf
from PIL import Image

from pipelines.bench.blank_pages import blank_scan_pdf

ROOT = Path(__file__).resolve().parents[2]
GOOD = [ROOT / "tests" / "fixtures" / "pdf" / "kiso_koshi_jidou.pdf", ROOT / "data" / "raw" / "000_0ed831b2d6b038b6.txt"]


def make_inputs(d: Path, blank_pages: int) -> int:
    """Write the hostile inputs into d; returns how many."""
    rng = random.Random(21)
    d.mkdir(parents=True, exist_ok=True)
    blank_scan_pdf(d / "blank-2000.pdf", blank_pages)
    (d / "empty.pdf").write_bytes(b"")
    (d / "empty.txt").write_bytes(b"")
    (d / "one-byte.pdf").write_bytes(b"%")
    for i in range(3):
        (d / f"random-{i}.bin").write_bytes(rng.randbytes(50_000 * (i + 1)))
    (d / "random.pdf").write_bytes(b"%PDF-1.7\n" + rng.randbytes(200_000))
    good = GOOD[0].read_bytes()
    (d / "truncated-half.pdf").write_bytes(good[: len(good) // 2])
    (d / "truncated-head.pdf").write_bytes(good[:2000])
    doc = pymupdf.open(GOOD[0])
    doc.save(d / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    img = Image.new("RGB", (800, 1100), "white")
    for name, fmt in (("scan.png", "PNG"), ("scan.jpg", "JPEG")):
        buf = io.BytesIO()
        img.save(buf, fmt)
        (d / name).write_bytes(buf.getvalue())
    (d / "garbage.txt").write_bytes(rng.randbytes(100_000))
    (d / "huge.txt").write_text("評価書 リスクへの対策は十分か [ 十分である ]\n" * 120_000, encoding="utf-8")
    (d / "utf16-nobom.txt").write_bytes("特定個人情報保護評価書 全項目評価書\n".encode("utf-16-le") * 500)
    (d / "deep.html").write_text("<table><tr><td>" * 2000 + "x" + "</td></tr></table>" * 2000, encoding="utf-8")
    (d / "nested.csv").write_text("\n".join(",".join("\"" + "a" * 50 + "\"" for _ in range(200))
                                            for _ in range(2000)), encoding="utf-8")
    bad = pymupdf.open()
    page = bad.new_page()
    xref = page.get_contents()[0] if page.get_contents() else None
    if xref is None:
        page.insert_text((50, 50), "x")
        xref = page.get_contents()[0]
    bad.update_stream(xref, b"BT /F1 12 Tf 50 50 Td (unterminated " + rng.randbytes(5000) + b" ET")
    bad.save(d / "bad-content.pdf")
    many = pymupdf.open()
    for _ in range(400):
        many.new_page()  # 400 pages with no text layer and nothing on them
    many.save(d / "empty-pages-400.pdf")
    for i, g in enumerate(GOOD):
        shutil.copy(g, d / f"good-{i}{g.suffix}")
    shutil.copy(GOOD[0], d / "copy-of-good.pdf")
    (d / "link-to-good.pdf").symlink_to(d / "good-0.pdf")
    (d / "broken-link.pdf").symlink_to(d / "does-not-exist.pdf")
    (d / "not-an-assessment.txt").write_text("これは評価書ではありません。\n" * 20, encoding="utf-8")
    (d / "html-no-table.html").write_text("<html><body><p>評価書</p></body></html>", encoding="utf-8")
    (d / "zeros.pdf").write_bytes(b"\0" * 100_000)
    (d / "pdf-header-only.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (d / "tiny.md").write_text("# 評価書\n", encoding="utf-8")
    (d / "one-line-10mb.txt").write_text("評" * 3_500_000, encoding="utf-8")
    (d / "pdf-named.txt").write_bytes(good)
    return sum(1 for _ in d.iterdir())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench.hostile", description=__doc__.split("\n")[0])
    ap.add_argument("--blank-pages", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep (default: a temp one)")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="pia-hostile-"))
    try:
        t0 = time.perf_counter()
        n = make_inputs(work / "raw", args.blank_pages)
        print(f"{n} hostile inputs made in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pipelines", "extract", str(work / "raw"), "--out",
                               str(work / "out"), "--workers", str(args.workers), "-q"], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        manifest = ds.dataset(work / "out" / "manifest", format="parquet").to_table().to_pylist()
        print(f"extract finished by itself in {wall:.1f} s, exit status {proc.returncode}; "
              f"{len(manifest)} manifest rows for {n} inputs")
        print("by status:", dict(Counter(r["status"] for r in manifest)))
        print("by error class:", dict(Counter(r["error_class"] for r in manifest if r["error_class"])))
        for r in sorted(manifest, key=lambda r: -(r["seconds"] or 0))[:5]:
            print(f"  slowest: {Path(r['path']).name} {r['seconds']:.1f} s {r['status']} {r['note'] or ''}"[:200])
        return 0 if len(manifest) == n else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
