"""Line recognizers (extract.sources.scan.recognizer) on lines cut from a rendered fixture page.

The truth is the page's text layer: the crops are the rendered lines of tests/fixtures/pdf/kiso_gyokuto_juki.pdf,
page 1, whose text PyMuPDF gives. One PP-OCR session per model for the module.
"""

import unicodedata

import numpy as np
import pymupdf as fitz
import pytest
from conftest import FIXTURES

from extract.sources.scan import recognizer
from extract.sources.scan.ocr import render_gray, tessdata_dir
from extract.sources.scan.recognizer import EMPTY, LineReading, PpOcrRecognizer, TesseractLineRecognizer
from normalize.glyphs import glyph_table, japanese_forms

PDF = FIXTURES / "pdf" / "kiso_gyokuto_juki.pdf"
DPI = 200
# lines of page 1 and how they read (NFKC, no spaces)
LABELS = [
    "評価書番号",
    "評価書名",
    "特記事項",
    "特定個人情報保護評価書(基礎項目評価書)",
    "個人のプライバシー等の権利利益の保護の宣言",
    "住民基本台帳に関する事務基礎項目評価書",
]


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


@pytest.fixture(scope="module")
def crops() -> dict[str, np.ndarray]:
    """The label lines of page 1, rendered at 200 dpi and cut with a margin of 15 % of their height."""
    with fitz.open(PDF) as doc:
        page = doc[0]
        gray = render_gray(page, DPI)
        scale = DPI / 72
        out = {}
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = _norm("".join(s["text"] for s in line["spans"]))
                if text in LABELS and text not in out:
                    x0, y0, x1, y1 = line["bbox"]
                    m = 0.15 * (y1 - y0)
                    out[text] = gray[round((y0 - m) * scale): round((y1 + m) * scale),
                                     round((x0 - m) * scale): round((x1 + m) * scale)].copy()
    assert sorted(out) == sorted(LABELS)
    return out


@pytest.fixture(scope="module")
def pp() -> PpOcrRecognizer:
    return PpOcrRecognizer("v6-small")


def test_model_files_ship_with_the_package():
    for model in recognizer.MODELS:
        rec, dct = recognizer.model_files(model)
        assert rec.suffix == ".onnx" and rec.stat().st_size > 1_000_000 and dct.is_file()


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="v6-small"):
        PpOcrRecognizer("v9")


def test_ppocr_reads_form_labels(pp, crops):
    texts = list(crops)
    readings = pp.read_lines([crops[t] for t in texts])
    assert len(readings) == len(texts)
    for truth, r in zip(texts, readings):
        assert isinstance(r, LineReading)
        assert _norm(japanese_forms(r.text)) == truth
        assert 0.5 < r.confidence <= 1.0


def test_ppocr_spans_place_the_characters(pp, crops):
    for crop, r in zip(crops.values(), pp.read_lines(list(crops.values()))):
        width = crop.shape[1]
        assert len(r.spans) == len(r.text) == len(r.probs)
        assert all(0 <= x0 <= x1 <= width for x0, x1 in r.spans)
        assert all(a[1] <= b[0] for a, b in zip(r.spans, r.spans[1:]))  # increasing, not overlapping
        assert r.confidence == pytest.approx(min(r.probs), abs=1e-3)
        # the characters spread over the text: the first in the left third, the last in the right third
        assert r.spans[0][0] < width / 3 and r.spans[-1][1] > 2 * width / 3


def test_ppocr_batching_keeps_the_order(crops):
    """Crops of different widths go in different batches; each reading comes back in its crop's place."""
    batched = PpOcrRecognizer("v6-small", batch_size=8)
    order = ["特定個人情報保護評価書(基礎項目評価書)", "評価書名", "個人のプライバシー等の権利利益の保護の宣言", "特記事項"]
    readings = batched.read_lines([crops[t] for t in order])
    assert [_norm(r.text) for r in readings] == order
    assert batched.read_lines([]) == []
    assert batched.read_lines([np.zeros((0, 0), np.uint8), crops["特記事項"]])[0] == EMPTY


def test_ppocr_reads_each_crop_alone_by_default(pp, crops):
    """Batch size 1 (no padding: the cheaper on one thread): a crop reads the same, text, spans and
    probabilities, whatever else is read with it, and in its place."""
    assert pp.batch_size == 1
    texts = ["評価書名", "特定個人情報保護評価書(基礎項目評価書)", "特記事項", "評価書番号"]
    together = pp.read_lines([crops[t] for t in texts])
    alone = [pp.read_lines([crops[t]])[0] for t in texts]
    assert together == alone
    assert [_norm(japanese_forms(r.text)) for r in together] == texts
    assert pp.read_lines([]) == []
    assert pp.read_lines([np.zeros((0, 0), np.uint8), crops["特記事項"]]) == [EMPTY, alone[2]]


def test_ppocr_v5_reads_a_label(crops):
    r = PpOcrRecognizer("v5").read_lines([crops["評価書番号"]])[0]
    assert _norm(r.text) == "評価書番号"


def test_ppocr_rejects_colour_crops(pp, crops):
    with pytest.raises(ValueError, match="grey"):
        pp.read_lines([np.dstack([crops["特記事項"]] * 3)])


def test_glyph_table_sources_are_characters_the_models_emit(pp):
    chars = set(pp.characters)
    assert set(glyph_table()) <= chars


def test_tesseract_line_recognizer_same_type(crops):
    t = TesseractLineRecognizer(tessdata_dir("jpn"), dpi=DPI)
    texts = ["評価書番号", "特記事項", "特定個人情報保護評価書(基礎項目評価書)"]
    readings = t.read_lines([crops[x] for x in texts])
    assert [type(r) for r in readings] == [LineReading] * 3
    assert _norm(readings[0].text) == "評価書番号"
    for crop, r in zip((crops[x] for x in texts), readings):
        assert len(r.spans) == len(r.probs) and 0.0 <= r.confidence <= 1.0
        assert all(0 <= x0 <= x1 <= crop.shape[1] for x0, x1 in r.spans)
    assert t.read_lines([np.zeros((1, 5), np.uint8)]) == [EMPTY]
