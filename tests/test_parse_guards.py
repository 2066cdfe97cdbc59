"""Guards against structure errors, on a real fixture whose segments are damaged as OCR damages them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extract.forms.parse import parse_segments
from extract.pdf_document import pdf_segments
from normalize.text import normalize_text
from pipelines.result import DocumentResult

PDF = Path(__file__).parent / "fixtures" / "pdf" / "juten_gyokuto_kokuho.pdf"


def _segments():
    return pdf_segments(PDF, None, DocumentResult(str(PDF), ""))


def test_a_missed_part_heading_does_not_invent_a_second_file():
    doc = _segments()
    kept = [s for s in doc.segments if normalize_text(s.text) != "Ⅲ リスク対策"]
    assert len(kept) == len(doc.segments) - 1  # exactly the Ⅲ heading (page 6) is lost
    parsed = parse_segments(replace(doc, segments=kept))
    assert parsed.identity.file_names == ["国民健康保険ファイル"]
    second = [f for f in parsed.fields if f.key == "II.1" and f.file_no == 2]
    assert len(second) == 1 and second[0].status == "undetermined"
    assert second[0].reason.startswith("conflict: file 2 has the name of file 1")


def test_the_intact_document_reads_one_file():
    parsed = parse_segments(_segments())
    assert parsed.identity.file_names == ["国民健康保険ファイル"]
    assert not [f for f in parsed.fields if f.key == "II.1" and f.file_no == 2]
