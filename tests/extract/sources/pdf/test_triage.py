"""Triage of text layers on concrete pages: text PDF, image-only scan, garbled and misplaced layers."""

from functools import partial
from pathlib import Path

import pymupdf as fitz
import pytest
from conftest import FIXTURES

from extract.core.layout import PageLayout, Word
from extract.sources.pdf.document import pdf_segments
from extract.sources.pdf.triage import agreement, sample_stretches, text_checks, triage_page
from extract.sources.scan.ocr import ocr_page_layout, read_regions
from pipelines.process import process_file

SCAN = FIXTURES / "scan"
PDF = FIXTURES / "pdf"


def _text_layout(page: fitz.Page) -> PageLayout:
    """The page's text-layer words, as the PDF stage hands them to triage."""
    words = [
        Word(t, x0, y0, x1, y1, page.number + 1) for x0, y0, x1, y1, t, *_ in page.get_text("words")
    ]
    return PageLayout(page.number + 1, page.rect.width, page.rect.height, words=words)


def _triage(path: Path, index: int = 0) -> tuple[str, str]:
    with fitz.open(path) as doc:
        page = doc[index]
        return triage_page(page, _text_layout(page))


def test_text_pdf_is_usable():
    assert _triage(SCAN / "sample.pdf") == ("usable", "")


@pytest.mark.skipif(not (PDF / "juten_gyokuto_kokuho.pdf").exists(), reason="fixture renderer output missing")
def test_rendered_fixture_pages_are_usable():
    with fitz.open(PDF / "juten_gyokuto_kokuho.pdf") as doc:
        decisions = {triage_page(p, _text_layout(p))[0] for p in doc}
    assert decisions == {"usable"}


def test_image_only_scan_is_absent():
    assert _triage(SCAN / "sample.scan200.pdf") == ("absent", "no text layer: image-only page")


def test_font_without_tounicode_is_unusable():
    decision, reason = _triage(SCAN / "sample.garbled.pdf")
    assert decision == "unusable"
    assert "mojibake" in reason or "ToUnicode" in reason


def test_private_use_text_is_unusable():
    decision, reason = _triage(SCAN / "sample.private.pdf")
    assert decision == "unusable"
    assert "private-use" in reason


def test_text_layer_off_the_ink_is_unusable():
    decision, reason = _triage(SCAN / "sample.misplaced.pdf")
    assert decision == "unusable"
    assert "does not match" in reason


def test_matching_ocr_layer_over_scan_is_usable():
    decision, reason = _triage(SCAN / "sample.ocrlayer.pdf")
    assert decision == "usable"
    assert "matches its ink" in reason


def test_text_checks():
    assert text_checks("") == ("absent", "no text on the page")
    assert text_checks("特定個人情報保護評価書") == ("usable", "")
    # Kangxi radicals are normalized later: usable, but noted
    assert text_checks("⼈⽇本語の評価書") == ("usable", "2 radical code points (normalized later)")
    assert text_checks("(cid:12)(cid:345)(cid:9) 評価")[0] == "unusable"
    assert text_checks("\ufffd\ufffd\ufffd評価書")[0] == "unusable"
    # UTF-8 bytes of 特定個人情報 read as cp1252
    mojibake = "特定個人情報".encode().decode("cp1252", errors="replace")
    decision, reason = text_checks(mojibake)
    assert decision == "unusable" and reason.startswith("mojibake")


def _triage_reading(path: Path) -> tuple[str, str]:
    with fitz.open(path) as doc:
        page = doc[0]
        return triage_page(page, _text_layout(page), read_regions=read_regions)


def test_swapped_layer_over_scan_is_not_the_page():
    # every kana and kanji swapped for another: Japanese-looking, on the ink, and not what the page says
    assert text_checks(_text_layout(fitz.open(SCAN / "sample.swapped.pdf")[0]).words[0].text)[0] == "usable"
    decision, reason = _triage_reading(SCAN / "sample.swapped.pdf")
    assert decision == "unusable"
    assert "is not the page" in reason and "median similarity 0.00" in reason


def test_matching_layer_reads_as_the_page():
    decision, reason = _triage_reading(SCAN / "sample.ocrlayer.pdf")
    assert decision == "usable"
    assert "5 stretches" in reason and "median similarity 1.00" in reason


def test_sample_stretches_are_short_and_spread():
    words = [Word("特定個人情報保護評価書", 0, i * 20, 110, i * 20 + 10, 1) for i in range(20)]
    words.insert(3, Word("12", 0, 0, 10, 10, 1))  # digits only: nothing to compare
    picked = sample_stretches(words)
    assert [t for t, _ in picked] == ["特定個人情報"] * 5
    assert [box[1] for _, box in picked] == [0, 100, 200, 280, 380]
    assert all(box[2] == 60 for _, box in picked)  # 6 of 11 characters of a 110 pt word
    assert agreement("特定個人情報", "特定個人情報") == 1.0
    assert agreement("特定個人情報", "") == 0.0


def test_swapped_layer_document_is_read_from_its_pixels():
    result = process_file(SCAN / "sample.swapped.pdf")
    assert [(p.method, p.triage) for p in result.pages] == [("ocr", "unusable")]
    text = "".join(seg.text for seg in pdf_segments(
        SCAN / "sample.swapped.pdf", ocr_page=ocr_page_layout,
        triage=partial(triage_page, read_regions=read_regions)).segments)
    assert "評価書名" in text
