"""Line recognizers side by side: Tesseract (page pass, PSM 7) vs PP-OCR (v5, v6-small, v6-tiny) on lines.

    python -m pipelines.bench.recognizers [--docs-per-group 2] [--pages-per-doc 2] [--dpi 200 150]
                                          [--engines tesseract v5 v6-small v6-tiny] [--threads 1] [--jobs 2]

Ground truth from text PDFs: every horizontal text line of PyMuPDF's page.get_text("dict") with a letter or
digit in it (lines of only rules or brackets are skipped), its bbox and text. Pages come from the
independent corpus (tests/fixtures/corpus/round6, renderer A = LibreOffice and B = reportlab) and the
project's own fixtures (tests/fixtures/pdf). Each page is rendered grey at the dpi, degraded like a
mediocre scan (Gaussian blur, Gaussian noise, JPEG; seeded), its ruling lines found and erased as the OCR
path does (raster_grid.find_rules, ocr.erase_rules), and each line cropped with a margin of 15 % of its
height. The committed scans (tests/fixtures/scan) are rotated and have no per-line truth: not used.

Engines: tesseract-page = the Tesseract OCR path's reading (one PSM-4 pass over the cleaned page, each
symbol given to the line crop holding its centre); tesseract = Tesseract PSM 7 on each crop; v5, v6-small,
v6-tiny = PpOcrRecognizer on the same crops, one page's crops per call; "+jp" = the reading after
normalize.glyphs.japanese_forms.

Scores: CER = edit distance / truth length after NFKC and whitespace removal (both sides); CER txt = the same
without brackets and tick circles (the OCR path reads those from the ink); exact = share of lines read
exactly; CPU seconds per line and per page (each engine runs single-threaded in one of --jobs worker
processes: CPU time is the figure to compare on a shared machine), wall seconds per page. Confidence: how
well a line measure ranks wrong lines below right ones (AUROC; 0.5 = chance) for the least character
probability, the geometric mean and the mean. Hybrid: the page pass with its low-confidence lines re-read
by PP-OCR (cost scaled by the re-read crops' share of the width).

Speed baselines: a bare Tesseract PSM-4 pass over the whole page at 300 dpi (render + Recognize + text), as
extract.sources.scan.ocr.time_ocr measures it (the OCR path is held to 1.5 x that), and PP-OCRv6-small's
text-detection network on a page (what line boxes from PP-OCR det would cost).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import random
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pymupdf as fitz
import regex
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein

from extract.sources.scan.ocr import (
    _api,
    _symbols,
    clean_binary,
    erase_rules,
    half_min,
    ocr_gray,
    render_gray,
    tessdata_dir,
)
from extract.sources.scan.raster_grid import find_rules
from extract.sources.scan.recognizer import (
    CONFIDENCE,
    LineReading,
    PpOcrRecognizer,
    TesseractLineRecognizer,
    line_confidence,
    models_dir,
)
from normalize.glyphs import japanese_forms

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "round6"
FIXTURE_PDFS = ROOT / "tests" / "fixtures" / "pdf"
ENGINES = ("tesseract", "v5", "v6-small", "v6-tiny")
_TEXTUAL = regex.compile(r"[\p{L}\p{N}]")
_SPACE = regex.compile(r"\s+")
# tick boxes: the OCR path reads brackets and ticks from the ink (scan/marks.py), so "CER txt" leaves them out
_MARKS = str.maketrans("", "", "[]【】［］〔〕○◯〇●◎")


def norm(s: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", s))


@dataclass
class Line:
    truth: str
    crop: np.ndarray
    box: tuple[int, int, int, int]  # the crop's pixels on the page image


@dataclass
class PageSample:
    name: str  # file:page
    group: str  # renderer A / B / fixtures
    dpi: int
    lines: list[Line]
    erased: np.ndarray  # the degraded page with its ruling lines erased, as the lines were cut from


@dataclass
class EngineResult:
    readings: list[tuple[Line, LineReading, str]] = field(default_factory=list)  # line, reading, page
    seconds: float = 0.0  # wall
    cpu: float = 0.0  # CPU seconds of this process (steadier on a shared machine)
    pages: int = 0


# ------------------------------------------------------------------------------------------ samples


def pick_pages(docs_per_group: int, pages_per_doc: int) -> list[tuple[str, Path, int]]:
    """(group, pdf, page index) for a few documents of each renderer and of the project's fixtures:
    the documents spread over each group's sorted list, pages 2, 4, ... (the cover is page 1)."""
    groups = {
        "A (LibreOffice)": sorted(CORPUS.glob("r6_a*.pdf")),
        "B (reportlab)": sorted(CORPUS.glob("r6_b*.pdf")),
        "fixtures/pdf": sorted(FIXTURE_PDFS.glob("*.pdf")),
    }
    out = []
    for group, files in groups.items():
        if not files:
            continue
        step = max(1, len(files) // docs_per_group)
        for f in files[::step][:docs_per_group]:
            with fitz.open(f) as doc:
                n = doc.page_count
            for k in range(pages_per_doc):
                i = 1 + 2 * k
                if i < n:
                    out.append((group, f, i))
    return out


def degrade(gray: np.ndarray, rng: np.random.Generator, blur: float = 0.8, noise: float = 12.0,
            quality: int = 50) -> np.ndarray:
    """A mediocre scan of a clean render: Gaussian blur (radius in px), Gaussian noise (sigma in grey
    levels), JPEG at `quality`."""
    img = Image.fromarray(gray, "L").filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(img, dtype=np.float32) + rng.normal(0.0, noise, gray.shape).astype(np.float32)
    buf = io.BytesIO()
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("L")).copy()


def truth_lines(page: fitz.Page) -> list[tuple[tuple[float, float, float, float], str]]:
    """(bbox in points, text) of the page's horizontal text lines that hold a letter or digit."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            if tuple(round(v) for v in line.get("dir", (1, 0))) != (1, 0):
                continue
            text = "".join(s["text"] for s in line["spans"]).strip()
            x0, y0, x1, y1 = line["bbox"]
            if not _TEXTUAL.search(text) or x1 - x0 < 2 or y1 - y0 < 2:
                continue
            out.append(((x0, y0, x1, y1), text))
    return out


def page_sample(group: str, path: Path, index: int, dpi: int, rng: np.random.Generator) -> PageSample:
    with fitz.open(path) as doc:
        page = doc[index]
        gray = degrade(render_gray(page, dpi), rng)
        scale = dpi / 72.0
        erased = erase_rules(gray, find_rules(half_min(gray), scale / 2, index + 1), scale)
        h, w = erased.shape
        lines = []
        for (x0, y0, x1, y1), text in truth_lines(page):
            m = 0.15 * (y1 - y0)
            X0, Y0 = max(0, round((x0 - m) * scale)), max(0, round((y0 - m) * scale))
            X1, Y1 = min(w, round((x1 + m) * scale)), min(h, round((y1 + m) * scale))
            if X1 - X0 > 2 and Y1 - Y0 > 2:
                lines.append(Line(text, erased[Y0:Y1, X0:X1].copy(), (X0, Y0, X1, Y1)))
    return PageSample(f"{path.name}:{index + 1}", group, dpi, lines, erased)


# ------------------------------------------------------------------------------------------ running


def make_engine(name: str, threads: int, dpi: int):
    if name == "tesseract":
        return TesseractLineRecognizer(tessdata_dir("jpn"), dpi=dpi)
    return PpOcrRecognizer(name, threads=threads)


def run_engine(name: str, samples: list[PageSample], threads: int) -> EngineResult:
    res = EngineResult()
    engines: dict[int, object] = {}
    for s in samples:
        eng = engines.get(s.dpi)
        if eng is None:
            eng = engines[s.dpi] = make_engine(name, threads, s.dpi)
            eng.read_lines([ln.crop for ln in s.lines[:2]])  # load the model / data outside the timing
        t0, c0 = time.perf_counter(), time.process_time()
        readings = eng.read_lines([ln.crop for ln in s.lines])
        res.seconds += time.perf_counter() - t0
        res.cpu += time.process_time() - c0
        res.pages += 1
        res.readings += [(ln, r, s.name) for ln, r in zip(s.lines, readings)]
    return res


_SAMPLES: dict[int, list[PageSample]] = {}  # set before the worker pool forks: the workers read them from here


def _task(job: tuple[str, int, int]) -> tuple[str, int, list[LineReading], float, float, int]:
    """Run one engine over the pages of one dpi; the readings go back without the crops."""
    name, dpi, threads = job
    samples = _SAMPLES[dpi]
    res = run_tesseract_page(samples) if name == "tesseract-page" else run_engine(name, samples, threads)
    return name, dpi, [r for _, r, _ in res.readings], res.seconds, res.cpu, res.pages


def run_all(by_dpi: dict[int, list[PageSample]], engines: list[str], threads: int,
            jobs: int) -> dict[int, dict[str, EngineResult]]:
    """Every engine at every dpi, in `jobs` worker processes (forked: each single-threaded unless
    --threads, so CPU seconds per engine are as in one process)."""
    _SAMPLES.clear()
    _SAMPLES.update(by_dpi)
    cost = {"v5": 0, "v6-small": 1, "tesseract-page": 2, "tesseract": 3, "v6-tiny": 4}  # slowest first
    todo = sorted(((n, d, threads) for d in by_dpi for n in ["tesseract-page", *engines]),
                  key=lambda j: (cost.get(j[0], 9), -len(by_dpi[j[1]])))
    if jobs > 1:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_task, todo))
    else:
        done = [_task(j) for j in todo]
    out: dict[int, dict[str, EngineResult]] = {d: {} for d in by_dpi}
    for name, dpi, readings, wall, cpu, pages in done:
        lines = [(ln, s.name) for s in by_dpi[dpi] for ln in s.lines]
        out[dpi][name] = EngineResult([(ln, r, page) for (ln, page), r in zip(lines, readings)], wall, cpu, pages)
    return out


def run_tesseract_page(samples: list[PageSample]) -> EngineResult:
    """The current OCR path's reading of the same lines: one Tesseract PSM-4 pass over the page (the
    rule-erased image, despeckled and binarised by ocr.clean_binary, as ocr.read_words does), each
    symbol given to the line crop holding its centre."""
    res = EngineResult()
    _api("jpn")
    for s in samples:
        t0, c0 = time.perf_counter(), time.process_time()
        syms = _symbols(ocr_gray(clean_binary(s.erased), "jpn", s.dpi))
        res.seconds += time.perf_counter() - t0
        res.cpu += time.process_time() - c0
        res.pages += 1
        got: list[list[tuple[str, tuple[int, int, int, int], float]]] = [[] for _ in s.lines]
        for _line, text, (x0, y0, x1, y1), conf, _h, _sp in syms:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            best, dist = -1, float("inf")
            for k, ln in enumerate(s.lines):  # the crop holding the centre, nearest to it vertically
                X0, Y0, X1, Y1 = ln.box
                if X0 <= cx < X1 and Y0 <= cy < Y1 and abs(cy - (Y0 + Y1) / 2) < dist:
                    best, dist = k, abs(cy - (Y0 + Y1) / 2)
            if best >= 0:
                got[best].append((text, (x0, y0, x1, y1), conf))  # in Tesseract's reading order
        for ln, g in zip(s.lines, got):
            probs = tuple(c for *_, c in g)
            reading = LineReading("".join(t for t, _, _ in g), line_confidence(probs),
                                  tuple((b[0] - ln.box[0], b[2] - ln.box[0]) for _, b, _ in g), probs)
            res.readings.append((ln, reading, s.name))
    return res


def tesseract_page_baseline(pages: list[tuple[str, Path, int]], dpi: int = 300) -> tuple[float, float, int]:
    """Wall and CPU seconds per page of a bare Tesseract PSM-4 pass at `dpi` (render + Recognize + text),
    as ocr.time_ocr measures it."""
    _api("jpn")
    wall = cpu = 0.0
    for _group, path, index in pages:
        with fitz.open(path) as doc:
            t0, c0 = time.perf_counter(), time.process_time()
            ocr_gray(render_gray(doc[index], dpi), "jpn", dpi).GetUTF8Text()
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
    n = max(1, len(pages))
    return wall / n, cpu / n, len(pages)


def det_seconds(pages: list[tuple[str, Path, int]], side: int, model: str = "ppocrv6/small/det/det.onnx") -> float:
    """CPU seconds per page of one PP-OCR text-detection inference (DB network only, no box
    post-processing) on the page scaled so its short side is `side` px (PaddleOCR: limit_type min, 736)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(models_dir() / model), opts, providers=["CPUExecutionProvider"])
    mean = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]
    std = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]
    cpu = 0.0
    for k, (_group, path, index) in enumerate(pages):
        with fitz.open(path) as doc:
            page = doc[index]
            zoom = side / min(page.rect.width, page.rect.height)
            gray = render_gray(page, round(72 * zoom))
        h, w = (max(32, round(v / 32) * 32) for v in gray.shape)
        g = np.asarray(Image.fromarray(gray).resize((w, h), Image.BILINEAR), np.float32) / 255.0
        x = ((np.repeat(g[None], 3, 0) - mean) / std)[None].astype(np.float32)
        if k == 0:
            sess.run(None, {sess.get_inputs()[0].name: x})  # warm-up
        c0 = time.process_time()
        sess.run(None, {sess.get_inputs()[0].name: x})
        cpu += time.process_time() - c0
    return cpu / max(1, len(pages))


# ------------------------------------------------------------------------------------------ scoring


def auroc(wrong: list[bool], score: list[float]) -> float:
    """P(a right line scores above a wrong one), ties half (Mann-Whitney); nan without both kinds."""
    w = np.asarray(wrong, bool)
    s = np.asarray(score, float)
    n_w, n_r = int(w.sum()), int((~w).sum())
    if not n_w or not n_r:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average ranks of ties
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[~w].sum() - n_r * (n_r + 1) / 2) / (n_r * n_w))


def score(name: str, res: EngineResult, jp: bool) -> dict:
    errs = chars = exact = errs_txt = chars_txt = 0
    wrong: list[bool] = []
    probs: list[tuple[float, ...]] = []
    misreads = []
    for line, reading, page in res.readings:
        truth = norm(line.truth)
        read = norm(japanese_forms(reading.text) if jp else reading.text)
        d = Levenshtein.distance(truth, read)
        errs += d
        chars += len(truth)
        exact += d == 0
        wrong.append(d > 0)
        errs_txt += Levenshtein.distance(truth.translate(_MARKS), read.translate(_MARKS))
        chars_txt += len(truth.translate(_MARKS))
        probs.append(reading.probs)
        if d:
            misreads.append((page, line.truth, japanese_forms(reading.text) if jp else reading.text,
                             reading.confidence))
    n = len(res.readings)
    sep = {m: auroc(wrong, [line_confidence(p, m) for p in probs]) for m in CONFIDENCE}
    return {
        "engine": name + (" +jp" if jp else ""),
        "lines": n,
        "cer": errs / max(1, chars),
        "cer_txt": errs_txt / max(1, chars_txt),
        "exact": exact / max(1, n),
        "cpu_line": res.cpu / max(1, n),
        "s_page": res.seconds / max(1, res.pages),
        "cpu_page": res.cpu / max(1, res.pages),
        "auroc": sep,
        "misreads": misreads,
    }


def hybrid(page: EngineResult, second: EngineResult, threshold: float) -> dict:
    """The page pass's reading, with the lines whose least character confidence is below `threshold`
    (or that read nothing) replaced by `second`'s reading (+jp). Cost of the second reading: its CPU
    time scaled by the flagged lines' share of the crops' width (the models' cost goes with width)."""
    errs = chars = exact = flagged = 0
    w_all = w_flag = 0.0
    for (line, r1, _p), (_l2, r2, _p2) in zip(page.readings, second.readings):
        w = line.crop.shape[1] / max(1, line.crop.shape[0])
        w_all += w
        use2 = not r1.probs or min(r1.probs) < threshold
        if use2:
            flagged += 1
            w_flag += w
        truth = norm(line.truth)
        read = norm(japanese_forms(r2.text)) if use2 else norm(r1.text)
        d = Levenshtein.distance(truth, read)
        errs += d
        chars += len(truth)
        exact += d == 0
    n = len(page.readings)
    extra = second.cpu / max(1, second.pages) * (w_flag / w_all if w_all else 0.0)
    return {"threshold": threshold, "flagged": flagged / max(1, n), "cer": errs / max(1, chars),
            "exact": exact / max(1, n), "extra_cpu_page": extra}


def print_table(rows: list[dict], title: str) -> None:
    print(f"\n{title}")
    print(f"{'engine':16s} {'lines':>5s} {'CER':>7s} {'CER txt':>7s} {'exact':>6s} {'cpu/line':>8s} {'cpu/page':>8s} "
          f"{'wall/page':>9s}  " + "  ".join(f"AUROC {m:7s}" for m in CONFIDENCE))
    for r in rows:
        sep = "  ".join(f"{r['auroc'][m]:13.3f}" for m in CONFIDENCE)
        print(f"{r['engine']:16s} {r['lines']:5d} {r['cer']:7.2%} {r['cer_txt']:7.2%} {r['exact']:6.1%} "
              f"{r['cpu_line']:8.4f} {r['cpu_page']:8.3f} {r['s_page']:9.3f}  {sep}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench.recognizers")
    ap.add_argument("--docs-per-group", type=int, default=2)
    ap.add_argument("--pages-per-doc", type=int, default=2)
    ap.add_argument("--dpi", type=int, nargs="+", default=[200, 150])
    ap.add_argument("--low-dpi-pages", type=int, default=3, help="pages also read at the second dpi")
    ap.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    ap.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes, one engine at a time each")
    ap.add_argument("--samples", type=int, default=6, help="misreads printed per engine")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)

    t_start = time.perf_counter()
    pages = pick_pages(a.docs_per_group, a.pages_per_doc)
    rng = np.random.default_rng(a.seed)
    by_dpi: dict[int, list[PageSample]] = {}
    for k, dpi in enumerate(a.dpi):
        chosen = pages if k == 0 else pages[:: max(1, len(pages) // max(1, a.low_dpi_pages))][: a.low_dpi_pages]
        by_dpi[dpi] = [page_sample(g, p, i, dpi, rng) for g, p, i in chosen]
    print(f"pages: {len(pages)} ({', '.join(sorted({g for g, _, _ in pages}))}); "
          + "; ".join(f"{dpi} dpi: {len(s)} pages, {sum(len(x.lines) for x in s)} lines" for dpi, s in by_dpi.items()))
    print("degradation: Gaussian blur 0.8 px, noise sigma 12, JPEG q50; ruling lines erased; "
          f"onnxruntime intra-op threads: {a.threads}; {a.jobs} worker processes (cpu/pg is the steady figure)")
    print("tesseract-page = the current OCR path's Tesseract PSM-4 pass over the page, symbols assigned to "
          "lines; tesseract = PSM 7 per crop; +jp = after normalize.glyphs.japanese_forms")

    base_wall, base_cpu, n_base = tesseract_page_baseline(pages)
    all_rows = []
    every = run_all(by_dpi, a.engines, a.threads, a.jobs)
    for dpi, samples in by_dpi.items():
        results = every[dpi]
        rows = [score("tesseract-page", results["tesseract-page"], jp=False)]
        for name in a.engines:
            rows.append(score(name, results[name], jp=False))
            if name != "tesseract":
                rows.append(score(name, results[name], jp=True))
        print_table(rows, f"== {dpi} dpi: {len(samples)} pages, {rows[0]['lines']} lines")
        for second in ("v6-small", "v5"):
            if second in results:
                print(f"  tesseract-page, lines below a least-character confidence re-read by {second} +jp:")
                for t in (0.6, 0.8, 0.9, 0.95):
                    h = hybrid(results["tesseract-page"], results[second], t)
                    print(f"    below {t:.2f}: {h['flagged']:6.1%} of lines re-read   CER {h['cer']:6.2%}   "
                          f"exact {h['exact']:6.1%}   + {h['extra_cpu_page']:.3f} cpu-s/page")
        all_rows.append((dpi, rows))
    print(f"\nTesseract PSM-4 whole page at 300 dpi (bare: render + Recognize + text), {n_base} pages: "
          f"{base_wall:.3f} s/page wall, {base_cpu:.3f} cpu-s/page; the OCR path's budget is 1.5 x")
    det_pages = pages[:3]
    for side in (736, 1024):
        print(f"PP-OCRv6-small det network alone, short side {side} px: {det_seconds(det_pages, side):.3f} "
              f"cpu-s/page ({len(det_pages)} pages)")

    rnd = random.Random(a.seed)
    dpi0, rows0 = all_rows[0]
    print(f"\nsample misreads at {dpi0} dpi (truth | read | confidence):")
    shown = {r["engine"] for r in rows0}
    for r in rows0:
        if f"{r['engine']} +jp" in shown or not r["misreads"]:  # PP-OCR: what is left after japanese_forms
            continue
        print(f"  {r['engine']}: {len(r['misreads'])} lines wrong")
        for page, truth, read, conf in rnd.sample(r["misreads"], min(a.samples, len(r["misreads"]))):
            print(f"    {page:36s} {truth!r} | {read!r} | {conf:.3f}")
    print(f"\nbench wall time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
