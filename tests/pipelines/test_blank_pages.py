"""Blank pages and the OCR page budget through the whole pipeline (process_file, the tables, the runner):
blank pages are recorded and never OCR'd; pages past the budget are skipped, and the document says so.
OCR is replaced by a counting function (no timing is asserted: pipelines.bench.blank_pages reports it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf as fitz
import pytest
from conftest import FIXTURES, read_table

import extract.sources.registry as registry
import pipelines.process as process
from extract.core.enums import Method, Status, Triage
from extract.core.problems import OCR_PAGE_BUDGET
from extract.core.result import Identity, ParsedDocument
from extract.core.settings import ProcessSettings
from extract.sources.pdf.layout import page_layout
from pipelines.bench.blank_pages import _distinct, blank_scan_pdf, scanned_page_jpeg
from pipelines.process import process_file
from pipelines.runner import RunOptions, run_batch
from pipelines.schema import document_tables

FORM = FIXTURES / "pdf" / "kiso_koshi_jidou.pdf"  # a 4-page 基礎項目評価書 with a text layer


@pytest.fixture()
def ocr_calls(monkeypatch) -> list[int]:
    """The page numbers OCR is called on; OCR 'reads' a page's text layer (so a forced OCR parses)."""
    calls: list[int] = []

    def ocr(page: fitz.Page, number: int, settings) -> object:
        calls.append(number)
        layout = page_layout(page, number)
        layout.method = Method.OCR
        return layout

    monkeypatch.setattr(registry, "ocr_page_layout", ocr)
    monkeypatch.setattr(process, "verify_document", lambda path, parsed: parsed)  # no second OCR reading
    return calls


def _with_blank_pages(src: Path, dst: Path, blank: int) -> None:
    rng = np.random.default_rng(0)
    doc = fitz.open(src)
    jpeg = scanned_page_jpeg(rng, 200, edges=(("left", 10.0), ("bottom", 6.0)))
    for i in range(blank):
        page = doc.new_page(width=doc[0].rect.width, height=doc[0].rect.height)
        page.insert_image(page.rect, stream=_distinct(jpeg, i))
    doc.save(dst)


def test_300_blank_scanned_pages_are_recorded_and_none_is_ocrd(tmp_path, ocr_calls):
    path = tmp_path / "blank.pdf"
    blank_scan_pdf(path, 300, dpi=150)
    result = process_file(path)
    assert ocr_calls == []
    assert result.page_count == len(result.pages) == 300
    assert all(p.triage == Triage.BLANK and p.reason.startswith("blank page: ink 0.0") for p in result.pages)
    assert result.kind == "pdf-scan"
    # nothing to read, and no page lost: the only problem is that there is no assessment
    assert result.status == Status.FAILED and result.error_class == "NotAnAssessment"
    assert [p.error_class for p in result.problems] == ["NotAnAssessment"]


def test_blank_pages_reach_the_pages_table_and_leave_the_rest_as_it_was(tmp_path, ocr_calls):
    path = tmp_path / "form+blank.pdf"
    _with_blank_pages(FORM, path, 2)
    alone, result = process_file(FORM), process_file(path)
    assert ocr_calls == []
    assert result.status == alone.status and len(result.fields) == len(alone.fields)
    assert result.warnings == alone.warnings
    pages = document_tables(result)["pages"].to_pylist()
    assert [(p["page"], p["method"], p["triage"]) for p in pages] == [
        (1, "pdf-text", "usable"), (2, "pdf-text", "usable"), (3, "pdf-text", "usable"),
        (4, "pdf-text", "usable"), (5, "pdf-text", "blank"), (6, "pdf-text", "blank")]
    assert pages[4]["reason"].startswith("blank page: ink 0.0")


def test_blank_pages_do_not_make_a_document_partial(tmp_path, ocr_calls, monkeypatch):
    path = tmp_path / "blank.pdf"
    blank_scan_pdf(path, 3, dpi=150)
    parsed = ParsedDocument(Identity(form_type="基礎項目評価書"), [])
    monkeypatch.setattr(process, "parse_segments", lambda doc: parsed)
    assert process_file(path).status == Status.OK
    skipped = process_file(path, ProcessSettings(force_ocr=True, max_ocr_pages=1))  # blank is checked first
    assert skipped.status == Status.OK and ocr_calls == []


def test_the_ocr_page_budget_skips_the_pages_past_it_and_the_manifest_says_so(tmp_path, ocr_calls):
    path = tmp_path / "in" / "form.pdf"
    path.parent.mkdir()
    _with_blank_pages(FORM, path, 1)
    settings = ProcessSettings(force_ocr=True, max_ocr_pages=2)

    result = process_file(path, settings)
    assert ocr_calls == [1, 2]
    assert [str(p.triage) for p in result.pages] == ["unusable", "unusable", "skipped", "skipped", "blank"]
    assert result.pages[2].reason == ("not read: over the budget of 2 OCR pages per document; "
                                      "OCR forced by settings")
    message = "2 pages needing OCR not read (pages 3-4): over the budget of 2 OCR pages per document"
    assert [p.message for p in result.problems if p.error_class == OCR_PAGE_BUDGET] == [message]
    assert message in result.warnings and result.status == Status.PARTIAL
    assert result.fields  # what pages 1-2 hold is read

    out = tmp_path / "out"
    summary = run_batch([path], RunOptions(out=out, workers=0, settings=settings))
    (row,) = summary.rows
    assert row["status"] == "partial" and row["note"] == message
    assert read_table(out, "pages").column("triage").to_pylist()[2:4] == ["skipped", "skipped"]
    assert message in read_table(out, "documents").column("warnings").to_pylist()[0]
