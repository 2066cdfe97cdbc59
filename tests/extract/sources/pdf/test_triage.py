"""Triage of text layers on concrete pages: text PDF, image-only scan, garbled and misplaced layers."""

from pathlib import Path

import pymupdf as fitz
import pytest
from conftest import FIXTURES

from extract.core.layout import PageLayout, Word
from extract.sources.pdf.triage import text_checks, triage_page

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
