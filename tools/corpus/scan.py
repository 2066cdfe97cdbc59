"""Scan rounds of the independent corpus: corpus PDFs printed and scanned by a simulated office scanner.

    python -m tools.corpus.scan --round 1 --source-round 11 --src /tmp/src11 --out tests/fixtures/corpus/scan1

The degradation is augraphy's (https://github.com/sparkfish/augraphy), not the project's own scanner
simulation (tools/scan.py), on which the OCR path was tuned: a scan round measures the OCR path on damage
it has not seen. Each page of a source PDF (from `python -m tools.corpus --round N`; without --src the
source round is generated into a temporary folder, which needs LibreOffice) is rasterized with PyMuPDF at
the scan's dpi, put through an augraphy pipeline and written as an image-only PDF page of the source's
size: grey JPEG, or 1-bit CCITT G4 for a bilevel scan.

What a scan suffers is drawn per document (seeded by the scan round, the document and the dpi) from what
real office scans vary: ink bleed, dirty rollers, a dirty drum, noise, speckle, faded toner (lighter
strokes, toner-starved lines), uneven lighting (a brightness gradient), slight blur, a small skew
(<= 1.5 degrees, drawn per page), JPEG compression (grey scans; sometimes twice) or a thresholded 1-bit
look (bilevel scans). Each document gets a severity, stratified over the round so that the round spans
mild to harsh; the effects a document gets are a subset drawn with a probability that grows with it, and
their strength grows with it too, capped where a person still reads every page.

One document ("swapped") carries, over its page images, an invisible text layer that looks Japanese but is
not the page: every character of the true text replaced by another kanji or kana, at the true character's
position (what a poor OCR engine leaves behind). A reader must notice that the layer is not the page.

Answer keys are the generator's (copied byte for byte from the source round, never read from a PDF):
NAME.scan200.pdf + NAME.scan200.key.json, NAME.scan150.*, NAME.swapped200.*. MANIFEST.json records the
source round, the seeds, and per document the dpi, pages, bytes, the effects with their parameters, and
the skew of each page. Reproducible up to augraphy's numba-compiled effects (they draw from numba's own
random state), LibreOffice's output and JPEG encoders.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pymupdf as fitz
from PIL import Image

MAX_PAGE_BYTES = 240_000  # a grey page whose JPEG is larger is re-encoded at a lower quality
MAX_DOC_BYTES = 4_800_000  # and a long document's pages share this (a fixture stays under 5 MiB)
MAX_EFFECTS = 5  # besides the skew and the JPEG / bilevel encoding
LEGIBLE_INK = 0.35  # a form page is under ~15 % ink; a scan darker than this buried it (scan7 r17_b12: black)
REDRAWS = 5  # profiles drawn for a document before giving up on a legible scan of it
FORM_OF = {"zen": "全項目評価書", "juten": "重点項目評価書", "kiso": "基礎項目評価書"}


def _augraphy():
    import augraphy  # lazy: only the generator needs it (the fixtures extra), never the reader or the tests

    return augraphy


# ====================================================================== what a scan suffers (drawn per document)
def draw_profile(seed: str, severity: float, dpi: int, swapped: bool = False, everything: bool = False) -> dict:
    """The effects of one scan and their parameters (JSON-able), drawn from `seed` at `severity` in [0, 1].
    `everything`: every effect at once (to look at the harshest scan a severity gives)."""
    r = random.Random(seed)
    s = severity
    px = dpi / 200  # widths in pixels scale with the resolution

    def on(base: float, slope: float) -> bool:
        return r.random() < base + slope * s or everything

    def jit(lo: float, hi: float) -> float:
        """A value between lo (s = 0) and hi (s = 1), jittered by +-10 %."""
        return (lo + (hi - lo) * s) * r.uniform(0.9, 1.1)

    eff: dict[str, dict] = {}
    bilevel = not swapped and r.random() < 0.25 + 0.25 * s
    # a skewed sheet on the platen, drawn per page up to this (the swapped layer follows the skew)
    eff["skew"] = {"max_degrees": round(min(1.5, r.uniform(0.15, 0.45 + 1.05 * s)), 2)}
    if on(0.15, 0.55):
        a = round(jit(0.1, 0.4), 2)
        eff["ink_bleed"] = {"intensity_range": [a, round(a + 0.1, 2)],
                            "kernel_size": 5 if s > 0.75 and dpi >= 200 else 3,
                            "severity_range": [round(jit(0.2, 0.4), 2), round(jit(0.2, 0.4) + 0.1, 2)]}
    if on(0.05, 0.4):
        w = max(2, round(jit(3, 6) * px))
        eff["dirty_rollers"] = {"line_width_range": [w, w + max(1, round(2 * px))], "scanline_type": 0}
    if on(0.1, 0.5):
        eff["dirty_drum"] = {"line_width_range": [1, r.choice([2, 3])],
                             "line_concentration": round(jit(0.05, 0.15), 3), "direction": r.choice([0, 1, 2]),
                             "noise_intensity": round(jit(0.05, 0.15), 2), "noise_value": [round(jit(190, 130)), 225]}
    if on(0.25, 0.45):
        sg = max(1, round(jit(2, 5)))
        eff["noise"] = {"sigma_range": [sg, sg + 1], "turbulence_range": [2, r.choice([3, 4])],
                        "subtle_range": round(jit(3, 10))}
    if on(0.15, 0.55):
        sp = round(min(0.95, jit(0.92, 0.72)), 2)
        co = round(jit(0.05, 0.2), 2)
        eff["speckle"] = {"noise_type": r.choice([1, 5, 6, 8]), "noise_iteration": [1, 1], "noise_size": [1, 1],
                          "noise_value": [round(jit(200, 120)), 230], "noise_sparsity": [sp, round(sp + 0.05, 2)],
                          "noise_concentration": [co, round(co + 0.05, 2)]}
    if on(0.15, 0.5):
        g = round(jit(1.1, 1.7), 2)
        eff["faded_toner"] = {"gamma_range": [g, round(g + 0.05, 2)],
                              "low_ink_lines": round(jit(3, 10)) if r.random() < 0.4 or everything else 0,
                              "periodic": r.random() < 0.5}
    if on(0.2, 0.5):
        eff["uneven_lighting"] = {"min_brightness": round(jit(230, 165)), "mode": r.choice(["linear_static", "gaussian"]),
                                  "direction": r.randrange(360), "transparency": round(jit(0.4, 0.65), 2)}
    if on(0.1, 0.45):
        eff["blur"] = {"sigma": round(jit(0.3, 0.75) * px, 2)}
    drawn = [k for k in eff if k != "skew"]
    if len(drawn) > MAX_EFFECTS and not everything:  # a scan that suffers everything at once is unreadable
        for k in r.sample(drawn, len(drawn) - MAX_EFFECTS):
            del eff[k]
    if bilevel:
        method = r.choice(["threshold_otsu", "cv2.threshold", "threshold_sauvola"])
        b = {"method": method, "scale": round(r.uniform(1.0, 1.0 + 0.15 * s), 2)}
        if method == "cv2.threshold":
            b["thresh"] = round(r.uniform(135, 180))
        if method == "threshold_sauvola":
            b["window_size"] = r.choice([25, 31, 41])
        eff["bilevel"] = b
    else:
        eff["jpeg"] = {"quality": round(jit(70, 40))}
        if on(0.0, 0.4):
            eff["jpeg"]["first_pass_quality"] = round(jit(70, 40))  # scanned to JPEG, then put in a PDF
    return eff


def _skew_aug(A, angle: float):
    class Skew(A.Augmentation):
        def __init__(self):
            super().__init__(p=1)

        def __call__(self, image, layer=None, mask=None, keypoints=None, bounding_boxes=None, force=False):
            return rotate(image, angle)

    return Skew()


def _blur_aug(A, sigma: float):
    class Blur(A.Augmentation):
        def __init__(self):
            super().__init__(p=1)

        def __call__(self, image, layer=None, mask=None, keypoints=None, bounding_boxes=None, force=False):
            return cv2.GaussianBlur(image, (0, 0), sigma)

    return Blur()


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def build_pipeline(eff: dict, angle: float):
    """The augraphy pipeline of one page: ink phase (the print), paper phase, post phase (the scanner)."""
    A = _augraphy()
    ink, paper, post = [], [], []
    if "ink_bleed" in eff:
        e = eff["ink_bleed"]
        k = e["kernel_size"]
        ink.append(A.InkBleed(intensity_range=tuple(e["intensity_range"]), kernel_size=(k, k),
                              severity=tuple(e["severity_range"])))
    f = eff.get("faded_toner")
    if f and f["low_ink_lines"]:
        if f["periodic"]:
            ink.append(A.LowInkPeriodicLines(count_range=(2, max(3, f["low_ink_lines"] // 3)), period_range=(16, 40),
                                             use_consistent_lines=True, noise_probability=0.05))
        else:
            ink.append(A.LowInkRandomLines(count_range=(max(1, f["low_ink_lines"] // 2), f["low_ink_lines"]),
                                           use_consistent_lines=False, noise_probability=0.05))
    if "noise" in eff:
        e = eff["noise"]
        paper.append(A.NoiseTexturize(sigma_range=tuple(e["sigma_range"]), turbulence_range=tuple(e["turbulence_range"])))
    post.append(_skew_aug(A, angle))
    if "blur" in eff:
        post.append(_blur_aug(A, eff["blur"]["sigma"]))
    if f:
        post.append(A.Gamma(gamma_range=tuple(f["gamma_range"])))
    if "uneven_lighting" in eff:
        e = eff["uneven_lighting"]
        post.append(A.LightingGradient(min_brightness=e["min_brightness"], max_brightness=255, mode=e["mode"],
                                       direction=e["direction"], transparency=e["transparency"]))
    if "dirty_drum" in eff:
        e = eff["dirty_drum"]
        post.append(A.DirtyDrum(line_width_range=tuple(e["line_width_range"]), line_concentration=e["line_concentration"],
                                direction=e["direction"], noise_intensity=e["noise_intensity"],
                                noise_value=tuple(e["noise_value"]), ksize=(3, 3), sigmaX=0))
    if "dirty_rollers" in eff:
        e = eff["dirty_rollers"]
        post.append(A.DirtyRollers(line_width_range=tuple(e["line_width_range"]), scanline_type=e["scanline_type"]))
    if "speckle" in eff:
        e = eff["speckle"]
        post.append(A.BadPhotoCopy(noise_type=e["noise_type"], noise_side="random",
                                   noise_iteration=tuple(e["noise_iteration"]), noise_size=tuple(e["noise_size"]),
                                   noise_value=tuple(e["noise_value"]), noise_sparsity=tuple(e["noise_sparsity"]),
                                   noise_concentration=tuple(e["noise_concentration"]), blur_noise=0,
                                   wave_pattern=0, edge_effect=0))
    if "noise" in eff:
        post.append(A.SubtleNoise(subtle_range=eff["noise"]["subtle_range"]))
    if "jpeg" in eff and "first_pass_quality" in eff["jpeg"]:
        q = eff["jpeg"]["first_pass_quality"]
        post.append(A.Jpeg(quality_range=(q, q)))
    if "bilevel" in eff:
        b = eff["bilevel"]
        args = {}
        if "thresh" in b:
            args = {"thresh": b["thresh"], "maxval": 255, "type": cv2.THRESH_BINARY}
        if "window_size" in b:
            args = {"window_size": b["window_size"]}
        post.append(A.Faxify(scale_range=(b["scale"], b["scale"]), monochrome=1, monochrome_method=b["method"],
                             monochrome_arguments=args, halftone=0))
    return A.AugraphyPipeline(ink_phase=ink, paper_phase=paper, post_phase=post)


def _int_seed(*parts) -> int:
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:4], "big") >> 1


def degrade(gray: np.ndarray, eff: dict, angle: float, seed: int) -> np.ndarray:
    random.seed(seed)
    np.random.seed(seed)
    cv2.setRNGSeed(seed)
    out = build_pipeline(eff, angle)(gray)
    if out.ndim == 3:
        out = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(out.astype(np.uint8))


# ====================================================================== writing image-only pages
def jpeg_bytes(gray: np.ndarray, quality: int, limit: int = MAX_PAGE_BYTES) -> tuple[bytes, int]:
    """JPEG of a grey page; re-encoded at lower quality while it is larger than `limit` bytes."""
    while True:
        buf = io.BytesIO()
        Image.fromarray(gray, "L").save(buf, format="JPEG", quality=quality, optimize=True)
        if buf.tell() <= limit or quality <= 25:
            return buf.getvalue(), quality
        quality -= 5


def g4_bytes(gray: np.ndarray) -> tuple[bytes, int, int]:
    """CCITT Group 4 data (one strip) of a bilevel page, as PDF's CCITTFaxDecode reads it (BlackIs1 true)."""
    im = Image.fromarray(np.where(gray >= 128, 255, 0).astype(np.uint8), "L").convert("1")
    buf = io.BytesIO()
    im.save(buf, format="TIFF", compression="group4", strip_size=2**30)
    tif = Image.open(io.BytesIO(buf.getvalue()))
    offsets, counts = tif.tag_v2[273], tif.tag_v2[279]
    assert len(offsets) == 1 and tif.tag_v2[262] == 1, "expected one strip, min-is-black"
    return buf.getvalue()[offsets[0]:offsets[0] + counts[0]], im.width, im.height


def put_g4(doc: fitz.Document, page: fitz.Page, data: bytes, w: int, h: int) -> None:
    # PyMuPDF stores an image it has seen once (by digest) only once: one placeholder shared by every page would
    # hand a later page the earlier page's image object, and the G4 data written below would show on both (scan
    # round 6, r16_b10: pages 13, 21 and 23 showed pages 24, 27 and 26). The placeholder is unique per page.
    # The placeholder's shape must not decide where the page image goes: kept in proportion, page n's 1 x n
    # placeholder drew the real image 1/n as wide as the page (every bilevel scan of rounds 1-13; fill_pages).
    placeholder = fitz.Pixmap(fitz.csGRAY, fitz.IRect(0, 0, 1, 1 + page.number), False)
    placeholder.clear_with(255)
    xref = page.insert_image(page.rect, pixmap=placeholder, keep_proportion=False)
    doc.update_object(xref, f"<</Type/XObject/Subtype/Image/Width {w}/Height {h}/ColorSpace/DeviceGray"
                            f"/BitsPerComponent 1>>")
    doc.update_stream(xref, data, compress=False)
    doc.xref_set_key(xref, "Filter", "/CCITTFaxDecode")
    doc.xref_set_key(xref, "DecodeParms", f"<</K -1/Columns {w}/Rows {h}/BlackIs1 true>>")


def fill_pages(path: Path) -> int:
    """Draw each page's one image over the whole page, as a scanner's PDF does; returns the pages redrawn.

    Mends the bilevel scans written before put_g4 stopped keeping its placeholder's proportions: their page images
    were squeezed (page n to 1/n of the page's width; rounds 1-5 to a square). The image data is not touched."""
    n = 0
    with fitz.open(path) as doc:
        for page in doc:
            (info,), (img,) = page.get_image_info(), page.get_images()
            if all(abs(a - b) < 0.5 for a, b in zip(info["bbox"], page.rect)):
                continue
            w, h = page.rect.width, page.rect.height
            doc.update_stream(page.get_contents()[0], f"q\n{w:g} 0 0 {h:g} 0 0 cm\n/{img[7]} Do\nQ\n".encode())
            n += 1
        if n:
            doc.save(path, incremental=True, encryption=fitz.PDF_ENCRYPT_KEEP)
    return n


# ====================================================================== the swapped text layer
HIRAGANA = [chr(c) for c in range(0x3041, 0x3094)]
KATAKANA = [chr(c) for c in range(0x30A1, 0x30F5)]


def _is_kanji(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def swap_char(c: str, r: random.Random, kanji: list[str]) -> str:
    """Another kanji for a kanji, another kana of the same script for a kana; anything else (digits,
    Latin, brackets, marks) becomes a kanji or kana as a poor Japanese OCR engine writes it."""
    if _is_kanji(c):
        pool = kanji
    elif "\u3041" <= c <= "\u309f":
        pool = HIRAGANA
    elif "\u30a1" <= c <= "\u30ff":
        pool = KATAKANA
    else:
        pool = kanji if r.random() < 0.6 else (HIRAGANA if r.random() < 0.5 else KATAKANA)
    while True:
        x = r.choice(pool)
        if x != c:
            return x


def swapped_layer(src: fitz.Page, out: fitz.Page, r: random.Random, kanji: list[str], font: fitz.Font,
                  angle: float, dpi: int) -> int:
    """Write the swapped text of `src` invisibly on `out`, each character at its true place (after the
    page image's skew). Returns the number of characters written."""
    scale = dpi / 72
    w, h = out.rect.width * scale, out.rect.height * scale
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    tw = fitz.TextWriter(out.rect)
    n = 0
    for block in src.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    if ch["c"].isspace():
                        continue
                    x, y = ch["origin"]
                    px, py = m @ np.array([x * scale, y * scale, 1.0])
                    tw.append((px / scale, py / scale), swap_char(ch["c"], r, kanji), font=font,
                              fontsize=span["size"])
                    n += 1
    tw.write_text(out, render_mode=3)  # 3 = invisible
    return n


# ====================================================================== one scan, one round
class Illegible(ValueError):
    """A degraded page a person could not read either (mostly ink): the profile is drawn again."""


def ink_share(img: np.ndarray) -> float:
    """Share of a page image's pixels darker than mid-grey."""
    return float((img < 128).mean())


def scan_document(src: Path, dst: Path, dpi: int, eff: dict, seed: str, swapped: bool = False) -> dict:
    """Write the scan of `src` to `dst`; returns what the manifest records about it."""
    r = random.Random(seed + "/pages")
    angles, qualities = [], []
    out = fitz.open()
    font = fitz.Font("cjk") if swapped else None
    with fitz.open(src) as doc:
        limit = min(MAX_PAGE_BYTES, MAX_DOC_BYTES // max(1, len(doc)))  # per page: long documents compress more
        kanji = sorted({c for p in doc for c in p.get_text() if _is_kanji(c)}) if swapped else []
        chars = 0
        for i, page in enumerate(doc):
            angle = round(r.uniform(-1, 1) * eff["skew"]["max_degrees"], 2)
            angles.append(angle)
            pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
            gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()
            img = degrade(gray, eff, angle, _int_seed(seed, i))
            if (share := ink_share(img)) > LEGIBLE_INK:
                raise Illegible(f"page {i + 1} is {share:.0%} ink")
            new = out.new_page(width=page.rect.width, height=page.rect.height)
            if "bilevel" in eff:
                put_g4(out, new, *g4_bytes(img))
            else:
                data, q = jpeg_bytes(img, eff["jpeg"]["quality"], limit)
                qualities.append(q)
                new.insert_image(new.rect, stream=data)
            if swapped:
                chars += swapped_layer(page, new, r, kanji, font, angle, dpi)
    if swapped:
        out.subset_fonts()
    out.save(dst, garbage=4, deflate=True)
    out.close()
    info = {"skew_degrees_per_page": angles}
    if qualities and any(q != eff["jpeg"]["quality"] for q in qualities):
        info["jpeg_quality_per_page"] = qualities  # lowered where a page was over its share of bytes
    if swapped:
        info["swapped_text_layer_chars"] = chars
    return info


def pick_documents(manifest: dict, seed: str) -> dict:
    """Which source documents a scan round scans: 4-5 documents of 40-70 pages at 200 dpi (two 基礎, one or
    two 重点, one 全項目 of at most 35 pages, both renderers), two of the shorter ones also at 150 dpi, and a
    short document (a 基礎 not scanned otherwise, when there is one) for the swapped text layer."""
    r = random.Random(seed + "/pick")
    docs = manifest["documents"]

    def form(d):
        return next(k for k, v in FORM_OF.items() if v == d["form_type"])

    by = {f: [d for d in docs if form(d) == f] for f in FORM_OF}
    for _ in range(2000):
        pick = r.sample(by["kiso"], min(2, len(by["kiso"]))) + r.sample(by["juten"], r.choice([1, 2]))
        pick.append(r.choice([d for d in by["zen"] if d["pages"] <= 35] or by["zen"]))
        pages = sum(d["pages"] for d in pick)
        if 40 <= pages <= 70 and len({d["name"].split("_")[1][0] for d in pick}) == 2:
            break
    else:
        raise SystemExit("no pick of 4-5 documents with 40-70 pages and both renderers")
    pick.sort(key=lambda d: d["name"])
    shorter = [d for d in pick if form(d) != "zen"]
    also150 = sorted(r.sample(shorter, 2), key=lambda d: d["name"])
    rest = sorted((d for d in by["kiso"] if d not in pick), key=lambda d: d["pages"]) or sorted(pick, key=lambda d: d["pages"])
    return {"200": [d["name"] for d in pick], "150": [d["name"] for d in also150], "swapped": rest[0]["name"]}


def build_scan_round(n: int, source_round: int, src: Path, out: Path) -> dict:
    # augraphy's pipeline keeps copies of its inputs in ./augraphy_cache: run it in a folder of its own
    src, out = src.resolve(), out.resolve()
    with tempfile.TemporaryDirectory(prefix="augraphy_") as cache, contextlib.chdir(cache):
        return _build_scan_round(n, source_round, src, out)


def _build_scan_round(n: int, source_round: int, src: Path, out: Path) -> dict:
    manifest_src = json.loads((src / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest_src["round"] == source_round, (manifest_src["round"], source_round)
    seed = f"pia-corpus-scan{n}-r{source_round}"
    picked = pick_documents(manifest_src, seed)
    info = {d["name"]: d for d in manifest_src["documents"]}
    jobs = [(name, 200, False) for name in picked["200"]] + [(name, 150, False) for name in picked["150"]]
    # severities stratified over the round: one scan in each slice of [0.05, 1], in a drawn order
    r = random.Random(seed + "/severity")
    slices = list(range(len(jobs)))
    r.shuffle(slices)
    severity = {job: round(0.05 + 0.95 * (k + r.random()) / len(jobs), 3) for job, k in zip(jobs, slices)}
    jobs.append((picked["swapped"], 200, True))
    severity[jobs[-1]] = round(r.uniform(0.1, 0.35), 3)  # a plain scan: the layer is what is wrong with it
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, dpi, swapped in jobs:
        stem = Path(name).stem
        variant = f"{'swapped' if swapped else 'scan'}{dpi}"
        dst = out / f"{stem}.{variant}.pdf"
        for attempt in range(REDRAWS):  # the first draw is the one earlier rounds were made with
            doc_seed = f"{seed}/{stem}/{variant}" + (f"/redraw{attempt}" if attempt else "")
            eff = draw_profile(doc_seed, severity[(name, dpi, swapped)], dpi, swapped=swapped)
            try:
                extra = scan_document(src / name, dst, dpi, eff, doc_seed, swapped=swapped)
                break
            except Illegible as exc:
                print(f"{dst.name}: {exc}; its profile is drawn again", file=sys.stderr)
        else:
            raise SystemExit(f"{dst.name}: no legible scan in {REDRAWS} profiles")
        if attempt:
            extra["redrawn"] = attempt
        shutil.copyfile(src / f"{stem}.key.json", out / f"{stem}.{variant}.key.json")
        with fitz.open(dst) as d:
            pages = d.page_count
        assert pages == info[name]["pages"], (name, pages)
        size = dst.stat().st_size
        entries.append({"name": dst.name, "key": f"{stem}.{variant}.key.json", "source": name,
                        "form_type": info[name]["form_type"], "renderer": info[name]["renderer"], "dpi": dpi,
                        "pages": pages, "bytes": size, "bytes_per_page": round(size / pages),
                        "text_layer": "swapped" if swapped else "none", "severity": severity[(name, dpi, swapped)],
                        "encoding": "1-bit CCITT G4" if "bilevel" in eff else "grey JPEG",
                        "effects": eff, **extra})
        print(f"{dst.name:<52} {dpi:>3} dpi {pages:>3} p {size / pages / 1000:6.0f} kB/p  severity "
              f"{severity[(name, dpi, swapped)]:.2f}  {', '.join(k for k in eff if k != 'skew')}")
    import augraphy

    manifest = {"scan_round": n, "source_round": source_round, "seed": seed, "dpi": sorted({j[1] for j in jobs}),
                "augraphy": augraphy.__version__, "pymupdf": fitz.VersionBind,
                "made_by": f"python -m tools.corpus.scan --round {n} --source-round {source_round}",
                "documents": entries}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.corpus.scan", description=__doc__.split("\n")[0])
    ap.add_argument("--round", type=int, required=True, help="scan round number (seeds)")
    ap.add_argument("--source-round", type=int, required=True, help="the corpus round whose PDFs are scanned")
    ap.add_argument("--src", type=Path, help="that round as made by `python -m tools.corpus --round N --out DIR` "
                                              "(default: generated into a temporary folder)")
    ap.add_argument("--out", type=Path, help="default tests/fixtures/corpus/scanN")
    a = ap.parse_args(argv)
    out = a.out or Path("tests/fixtures/corpus") / f"scan{a.round}"
    tmp = None
    src = a.src
    if src is None:
        from tools.corpus.__main__ import build_round

        tmp = Path(tempfile.mkdtemp(prefix=f"corpus_src{a.source_round}_"))
        build_round(a.source_round, tmp)
        src = tmp
    try:
        m = build_scan_round(a.round, a.source_round, src, out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    pages = sum(d["pages"] for d in m["documents"])
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{len(m['documents'])} scans, {pages} pages, {size / 1e6:.1f} MB -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
