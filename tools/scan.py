"""Make scanned-looking fixtures from text PDFs.

- scan_pdf: each page rendered to an image, rotated slightly, speckled, JPEG-compressed, written as an
  image-only PDF (no text layer), as a cheap office scanner would.
- garble_text_layer: the correct page image with an invisible text layer that is unusable (private-use
  characters at the right places, or real words at the wrong places).
- make_sample_page: a bordered one-page form with Japanese text, selection brackets and tick brackets,
  plus its answer key; used to develop and test the OCR path independently of the fixture renderer.

Run `python -m tools.scan` to (re)build tests/fixtures/scan/ (and .bench/scans/ for BENCH_ONLY) from
tests/fixtures/pdf/*.pdf; `make bench` renders the BENCH_ONLY scans itself when they are missing.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pymupdf as fitz
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "tests" / "fixtures" / "pdf"
SCAN_DIR = ROOT / "tests" / "fixtures" / "scan"


def _scan_image(page: fitz.Page, dpi: int, angle: float, noise: float, rng: np.random.Generator,
                blur: float = 0.0, grain: float = 4.0, contrast: float = 0.93) -> Image.Image:
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
    img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur:  # a soft scanner lens / a photocopy of a print
        img = img.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(img, dtype=np.float32)
    # paper grain, a slightly grey background (darker as contrast drops), and salt-and-pepper speckle
    a = a * contrast + (1 - contrast) * (8 / 0.07) + rng.normal(0.0, grain, a.shape)
    if noise:
        speck = rng.random(a.shape)
        a[speck < noise / 2] = 30
        a[speck > 1 - noise / 2] = 255
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def _jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def scan_pdf(
    src_pdf: str | Path,
    dst_pdf: str | Path,
    dpi: int = 200,
    angle: float = 0.6,
    noise: float = 0.002,
    jpeg_quality: int = 60,
    seed: int = 0,
    blur: float = 0.0,
    grain: float = 4.0,
    contrast: float = 0.93,
) -> None:
    """Write an image-only copy of `src_pdf`: each page a rotated, speckled, JPEG-compressed scan."""
    rng = np.random.default_rng(seed)
    src = fitz.open(src_pdf)
    dst = fitz.open()
    for page in src:
        img = _scan_image(page, dpi, angle, noise, rng, blur=blur, grain=grain, contrast=contrast)
        out = dst.new_page(width=page.rect.width, height=page.rect.height)
        out.insert_image(out.rect, stream=_jpeg(img, jpeg_quality))
    dst.set_metadata(_scan_metadata(src))
    dst.save(dst_pdf, garbage=4, deflate=True)


def _scan_metadata(src: fitz.Document) -> dict[str, str]:
    """A scan keeps the original's title and its fixture stamp (extract/sources/sniff.py SYNTHETIC_STAMPS)."""
    meta = src.metadata or {}
    creator = " ".join(p for p in (meta.get("creator") or "", "scanned by tools.scan") if p)
    return {"title": meta.get("title") or "", "creator": creator}


def swap_characters(text: str) -> str:
    """Each hiragana, katakana and common kanji replaced by another of its block (deterministic)."""
    out = []
    for c in text:
        o = ord(c)
        for lo, hi in ((0x3041, 0x3093), (0x30A1, 0x30F3), (0x4E00, 0x9FA0)):
            if lo <= o <= hi:
                c = chr(lo + (o - lo) * 7919 % (hi - lo + 1))
                if c == text[len(out)]:
                    c = chr(lo + (o - lo + 1) % (hi - lo + 1))
                break
        out.append(c)
    return "".join(out)


def garble_text_layer(src: str | Path, dst: str | Path, mode: str = "no-tounicode", dpi: int = 150) -> None:
    """Write the page images of `src` with an invisible, unusable text layer.

    mode "no-tounicode": the real words where they are, in a font whose ToUnicode map is removed (what a
    CID font without ToUnicode gives: extraction yields U+FFFD / NUL). mode "private-use": every
    character replaced by a private-use code point. mode "misplaced": the real words, but placed where
    the page has no ink (a garbage OCR layer that does not match the image). mode "matching" is the
    control: the real words where they are, with their Unicode (a good searchable scan). mode "swapped":
    the words where they are, but every kana and kanji swapped for another of its kind (what a poor OCR
    engine leaves: it looks Japanese, sits on the ink, and is not the page).
    """
    doc = fitz.open(src)
    out = fitz.open()
    font = fitz.Font("cjk")
    for page in doc:
        words = page.get_text("words")
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
        img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=_jpeg(img, 75))
        tw = fitz.TextWriter(new.rect)
        for i, w in enumerate(words):
            x0, y0, x1, y1, text = w[:5]
            size = max(4.0, (y1 - y0) * 0.85)
            if mode in ("no-tounicode", "matching"):
                tw.append((x0, y1 - (y1 - y0) * 0.15), text, font=font, fontsize=size)
            elif mode == "swapped":
                tw.append((x0, y1 - (y1 - y0) * 0.15), swap_characters(text), font=font, fontsize=size)
            elif mode == "private-use":
                text = "".join(chr(0xE000 + (ord(c) % 0x1000)) for c in text)
                tw.append((x0, y1 - (y1 - y0) * 0.15), text, font=font, fontsize=size)
            elif mode == "misplaced":
                # bottom margin band and right margin band, where the page is blank
                y = page.rect.height - 30 + (i % 3) * 8
                x = 20 + (i * 37) % max(1.0, page.rect.width - 80)
                tw.append((x, y), text[:6], font=font, fontsize=6)
            else:
                raise ValueError(f"unknown mode {mode!r}")
        tw.write_text(new, render_mode=3)  # 3 = invisible text
    out.subset_fonts()
    if mode == "no-tounicode":
        for xref in range(1, out.xref_length()):
            if out.xref_get_key(xref, "ToUnicode")[0] != "null":
                out.xref_set_key(xref, "ToUnicode", "null")
    out.save(dst, garbage=4, deflate=True)


# ---------------------------------------------------------------------------------------------
# A sample form page with a known answer key.

SAMPLE_COLS = (40.0, 190.0, 555.0)
SAMPLE_ROW_TOPS = (60.0, 95.0, 150.0, 185.0, 220.0, 255.0, 290.0)  # last value closes the table
SAMPLE_FONT_SIZE = 10.5


def make_sample_page(dst_pdf: str | Path) -> dict:
    """Draw a bordered form page (Japanese labels, a selection bracket, tick brackets) and return its key.

    The key lists the ruling lines (x0, y0, x1, y1 in points), words that OCR must read, and each tick
    bracket's inner box with its state (ticked | unticked | ambiguous).
    """
    doc = fitz.open()
    page = doc.new_page(width=595, height=842)
    font = fitz.Font("cjk")
    fs = SAMPLE_FONT_SIZE
    x_l, x_m, x_r = SAMPLE_COLS
    tops = SAMPLE_ROW_TOPS
    rules = []
    shape = page.new_shape()
    for y in tops:
        shape.draw_line((x_l, y), (x_r, y))
        rules.append((x_l, y, x_r, y))
    for x in SAMPLE_COLS:
        shape.draw_line((x, tops[0]), (x, tops[-1]))
        rules.append((x, tops[0], x, tops[-1]))
    shape.finish(color=(0, 0, 0), width=0.75)
    shape.commit()

    tw = fitz.TextWriter(page.rect)
    marks = []

    def put(x: float, y: float, text: str) -> float:
        """Write text with its baseline at y; return the x after it."""
        end = tw.append((x, y), text, font=font, fontsize=fs)
        return end[1].x if hasattr(end[1], "x") else end[1][0]

    def tick_box(x: float, y: float, state: str, label: str) -> float:
        """Write '[ ○ ] label' (or an empty / ambiguous bracket) and record the bracket's inner box."""
        x_open_end = put(x, y, "[")
        inner_w = fs * 1.6
        x_close = x_open_end + inner_w
        if state == "ticked":
            put(x_open_end + (inner_w - fs) / 2, y, "○")
        elif state == "ambiguous":
            # a short stray stroke: some ink, far less than a tick
            cx = x_open_end + inner_w / 2
            page.draw_line((cx - 1.6, y - 3.5), (cx + 1.2, y - 1.5), color=(0, 0, 0), width=0.9)
        x_end = put(x_close, y, "]")
        marks.append({"box": [x_open_end, y - fs * 0.85, x_close, y + fs * 0.1], "state": state, "label": label})
        return put(x_end + fs * 0.4, y, label)

    def baseline(row: int) -> float:
        return tops[row] + (tops[row + 1] - tops[row]) / 2 + fs * 0.35

    put(x_l + 6, baseline(0), "評価書名")
    put(x_m + 6, baseline(0), "特定個人情報保護評価書")
    put(x_l + 6, baseline(1) - 8, "リスクへの対策は")
    put(x_l + 6, baseline(1) + 8, "十分か")
    put(x_m + 6, baseline(1) - 8, "[十分である]")
    put(x_m + 6, baseline(1) + 8, "<選択肢> 1) 特に力を入れている 2) 十分である")
    put(x_l + 6, baseline(2), "提供方法")
    x = tick_box(x_m + 6, baseline(2), "ticked", "専用線")
    tick_box(x + fs * 1.5, baseline(2), "unticked", "電子メール")
    put(x_l + 6, baseline(3), "接続")
    x = tick_box(x_m + 6, baseline(3), "unticked", "紙")
    tick_box(x + fs * 1.5, baseline(3), "ticked", "その他")
    put(x_l + 6, baseline(4), "再委託の有無")
    put(x_m + 6, baseline(4), "[再委託する]")
    put(x_l + 6, baseline(5), "備考")
    tick_box(x_m + 6, baseline(5), "ambiguous", "電子記録媒体")
    tw.write_text(page)
    doc.subset_fonts()
    doc.save(dst_pdf, garbage=4, deflate=True)
    key = {
        "rules": rules,
        "words": ["評価書名", "特定個人情報保護評価書", "十分である", "専用線", "電子メール", "再委託する"],
        "selection": ["十分である", "再委託する"],
        "marks": marks,
    }
    return key


# Which rendered fixtures get scanned variants: one document per form type at 200 dpi, the smallest also
# at 150 dpi, and one with an unusable text layer (the OCR benchmark stays around a minute).
SCAN_SET = {
    "kiso_gyokuto_juki": ("scan200", "scan150"),
    "juten_gyokuto_kokuho": ("scan200", "garbled"),
    "zen_kumamoto_pref": ("scan200",),
    # held out: scanned after the OCR path was tuned on the three above, to measure it on unseen documents
    "kiso_yamae_seiho": ("scan200",),
    # second held-out round, other scanners (blur, lower contrast, other skew and seeds)
    "kiso_koshi_jidou": ("scan200",),
    "juten_kumamoto_kyoiku": ("scan200",),
    "kiso_kumamoto_pref_seiho": ("scan200",),
    "zen_koshi_jidou": ("scan200",),
    # third held-out round: scanned after the second round was used for tuning
    "juten_yatsushiro_juki": ("scan200",),
    # fourth round: scanned after round 3's fixes, to see whether they hold on another unseen document
    "zen_yatsushiro_kokuho": ("scan200",),
    # fifth round (third session): two long 全項目 documents, measured before any tuning on them
    "zen_asahikawa_tax": ("scan200",),
    "zen_kumamoto_city_juki": ("scan200",),
}
# sixth round: documents scanned before, scanned again by harsher scanners (more skew, blur, lower contrast)
for _stem in ("juten_gyokuto_kokuho", "zen_koshi_jidou", "zen_kumamoto_pref"):
    SCAN_SET[_stem] = (*SCAN_SET[_stem], "scan200b")
# seventh round (fourth session): four documents scanned again by ordinary office scanners with new seeds,
# measured before any tuning on them (after the session's identity work: second readings of names)
for _stem in ("kiso_yamae_seiho", "juten_kumamoto_kyoiku", "juten_yatsushiro_juki", "zen_yatsushiro_kokuho"):
    SCAN_SET[_stem] = (*SCAN_SET[_stem], "scan200c")
# eighth round (fifth session): four documents not rescanned before, by other ordinary scanners, measured
# before any tuning on them (after the session's second binarised reading of file lists)
for _stem in ("kiso_gyokuto_juki", "kiso_kumamoto_pref_seiho", "zen_asahikawa_tax", "zen_kumamoto_city_juki"):
    SCAN_SET[_stem] = (*SCAN_SET[_stem], "scan200d")
# ninth round (sixth session): the four documents rounds 7-8 left out, by other ordinary scanners, measured
# before any tuning on them
for _stem in ("kiso_koshi_jidou", "juten_gyokuto_kokuho", "zen_koshi_jidou", "zen_kumamoto_pref"):
    SCAN_SET[_stem] = (*SCAN_SET[_stem], "scan200e")
# Per-document scanner settings for the 200-dpi variant (default: seed 1, 0.6 degrees, no blur).
SCANNERS = {
    "kiso_koshi_jidou": dict(angle=-0.35, blur=0.6, grain=3.0, noise=0.001, jpeg_quality=70, seed=11),
    "juten_kumamoto_kyoiku": dict(angle=0.8, contrast=0.85, seed=12),
    "kiso_kumamoto_pref_seiho": dict(angle=-0.5, blur=0.5, contrast=0.88, seed=13),
    "zen_koshi_jidou": dict(angle=0.4, grain=5.0, jpeg_quality=55, seed=14),
    "juten_yatsushiro_juki": dict(angle=-0.7, blur=0.4, contrast=0.9, grain=3.5, jpeg_quality=50, seed=21),
    "zen_yatsushiro_kokuho": dict(angle=0.5, blur=0.3, contrast=0.92, grain=4.5, jpeg_quality=55, seed=41),
    "zen_asahikawa_tax": dict(angle=-0.6, blur=0.5, contrast=0.88, grain=4.0, jpeg_quality=60, seed=51),
    "zen_kumamoto_city_juki": dict(angle=0.3, contrast=0.95, grain=5.5, noise=0.003, jpeg_quality=45, seed=52),
}
SCANNERS_B = {
    "juten_gyokuto_kokuho": dict(angle=1.0, blur=0.6, contrast=0.85, grain=5.0, jpeg_quality=45, seed=61),
    "zen_koshi_jidou": dict(angle=-0.9, blur=0.4, contrast=0.9, grain=4.0, noise=0.003, jpeg_quality=50, seed=62),
    "zen_kumamoto_pref": dict(angle=0.2, blur=0.7, contrast=0.82, grain=3.0, jpeg_quality=60, seed=63),
}
SCANNERS_C = {
    "kiso_yamae_seiho": dict(angle=0.7, blur=0.4, contrast=0.9, grain=4.0, jpeg_quality=55, seed=71),
    "juten_kumamoto_kyoiku": dict(angle=-0.5, blur=0.3, contrast=0.93, grain=3.5, noise=0.002, jpeg_quality=60,
                                  seed=72),
    "juten_yatsushiro_juki": dict(angle=0.45, blur=0.5, contrast=0.88, grain=4.5, jpeg_quality=50, seed=73),
    "zen_yatsushiro_kokuho": dict(angle=-0.8, blur=0.35, contrast=0.9, grain=3.0, noise=0.002, jpeg_quality=65,
                                  seed=74),
}
SCANNERS_D = {
    "kiso_gyokuto_juki": dict(angle=-0.55, blur=0.45, contrast=0.9, grain=4.0, jpeg_quality=55, seed=81),
    "kiso_kumamoto_pref_seiho": dict(angle=0.65, blur=0.3, contrast=0.92, grain=3.0, noise=0.002, jpeg_quality=60,
                                     seed=82),
    "zen_asahikawa_tax": dict(angle=0.35, blur=0.4, contrast=0.87, grain=4.5, jpeg_quality=50, seed=83),
    "zen_kumamoto_city_juki": dict(angle=-0.75, blur=0.35, contrast=0.9, grain=3.5, noise=0.002, jpeg_quality=65,
                                   seed=84),
}
SCANNERS_E = {
    "kiso_koshi_jidou": dict(angle=0.5, blur=0.4, contrast=0.89, grain=4.0, jpeg_quality=55, seed=91),
    "juten_gyokuto_kokuho": dict(angle=-0.45, blur=0.3, contrast=0.91, grain=3.5, noise=0.002, jpeg_quality=60,
                                 seed=92),
    "zen_koshi_jidou": dict(angle=0.6, blur=0.35, contrast=0.9, grain=4.5, jpeg_quality=50, seed=93),
    "zen_kumamoto_pref": dict(angle=-0.3, blur=0.5, contrast=0.88, grain=3.0, noise=0.002, jpeg_quality=65,
                              seed=94),
}
VARIANTS = {
    "scan200": lambda s, d: scan_pdf(s, d, dpi=200, **SCANNERS.get(Path(s).stem, dict(seed=1))),
    "scan200b": lambda s, d: scan_pdf(s, d, dpi=200, **SCANNERS_B[Path(s).stem]),
    "scan200c": lambda s, d: scan_pdf(s, d, dpi=200, **SCANNERS_C[Path(s).stem]),
    "scan200d": lambda s, d: scan_pdf(s, d, dpi=200, **SCANNERS_D[Path(s).stem]),
    "scan200e": lambda s, d: scan_pdf(s, d, dpi=200, **SCANNERS_E[Path(s).stem]),
    "scan150": lambda s, d: scan_pdf(s, d, dpi=150, angle=-0.4, seed=2),
    "garbled": lambda s, d: garble_text_layer(s, d, mode="no-tounicode"),
}


# Scans only the benchmark reads, and each over 5 MiB: not committed, rendered on demand into BENCH_SCANS
# (the page images come out byte-identical with the pinned Pillow / NumPy; tests/test_scan_fixtures.py)
BENCH_ONLY = frozenset({"juten_kumamoto_kyoiku", "zen_koshi_jidou", "zen_kumamoto_pref", "juten_yatsushiro_juki",
                        "zen_yatsushiro_kokuho", "zen_asahikawa_tax", "zen_kumamoto_city_juki"})
BENCH_ONLY_VARIANTS = frozenset({"scan200b", "scan200c", "scan200d", "scan200e"})  # rescans (rounds 6-9): benchmark only
BENCH_SCANS = ROOT / ".bench" / "scans"


def build_scan_fixtures(src_dir: Path = SRC_DIR, out_dir: Path = SCAN_DIR, bench_dir: Path = BENCH_SCANS,
                        only_missing: bool = False) -> list[Path]:
    """The SCAN_SET variants of the rendered fixtures, each with a copy of the original's answer key:
    committed ones into `out_dir`, BENCH_ONLY ones into `bench_dir`; `only_missing` keeps existing files."""
    made = []
    for stem, variants in SCAN_SET.items():
        src = src_dir / f"{stem}.pdf"
        key = src.with_suffix(".key.json")
        if not (src.exists() and key.exists()):
            print(f"skipped {stem}: no fixture PDF with answer key", file=sys.stderr)
            continue
        for variant in variants:
            target = bench_dir if stem in BENCH_ONLY or variant in BENCH_ONLY_VARIANTS else out_dir
            target.mkdir(parents=True, exist_ok=True)
            dst = target / f"{stem}.{variant}.pdf"
            if only_missing and dst.exists() and dst.with_suffix(".key.json").exists():
                continue
            VARIANTS[variant](src, dst)
            shutil.copyfile(key, dst.with_suffix(".key.json"))
            made.append(dst)
    return made


def build_sample_fixtures(out_dir: Path = SCAN_DIR) -> list[Path]:
    """The sample page as text PDF, 200 dpi scan, 150 dpi scan and two garbled variants, plus its key."""
    out_dir.mkdir(parents=True, exist_ok=True)
    src = out_dir / "sample.pdf"
    key = make_sample_page(src)
    (out_dir / "sample.answers.json").write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    scan_pdf(src, out_dir / "sample.scan200.pdf", dpi=200, angle=0.6, seed=1)
    scan_pdf(src, out_dir / "sample.scan150.pdf", dpi=150, angle=-0.4, seed=2)
    garble_text_layer(src, out_dir / "sample.garbled.pdf", mode="no-tounicode")
    garble_text_layer(src, out_dir / "sample.private.pdf", mode="private-use")
    garble_text_layer(src, out_dir / "sample.ocrlayer.pdf", mode="matching")
    garble_text_layer(src, out_dir / "sample.misplaced.pdf", mode="misplaced")
    garble_text_layer(src, out_dir / "sample.swapped.pdf", mode="swapped")
    return sorted(out_dir.glob("sample*"))


# The scan in the sample corpus (data/raw; see data/README.md): a copy of a committed scan fixture.
RAW_DIR = ROOT / "data" / "raw"
TO_RAW = {"kiso_gyokuto_juki.scan200.pdf": "scan_kiso_gyokuto_juki.scan200.pdf"}


def main(argv: list[str]) -> int:
    made = build_sample_fixtures()
    if "--sample-only" not in argv:
        made += build_scan_fixtures()
        for name, raw_name in TO_RAW.items():
            shutil.copyfile(SCAN_DIR / name, RAW_DIR / raw_name)
            made.append(RAW_DIR / raw_name)
    for p in made:
        print(p.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
