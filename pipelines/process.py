"""One document from raw bytes to a DocumentResult: sniff -> layout/segments -> parse.

Plain functions between stages; each stage's time goes into result.timings.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from extract.core.result import FAILED, PARTIAL, DocumentResult


@dataclass(frozen=True, slots=True)
class ProcessSettings:
    ocr_dpi: int = 300
    ocr_languages: str = "jpn"
    force_ocr: bool = False


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def _timed(result: DocumentResult, stage: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - t0


def process_file(path: Path, settings: ProcessSettings | None = None, sha256: str | None = None) -> DocumentResult:
    """Read one input file. Never raises for bad input: the error is recorded in the result."""
    settings = settings or ProcessSettings()
    result = DocumentResult(source=str(path), sha256=sha256 or sha256_file(path))
    try:
        _process(path, settings, result)
    except Exception as exc:  # errors are data: the batch goes on
        result.status = FAILED
        result.error_class = type(exc).__name__
        msg = str(exc)
        result.error_message = msg if msg.startswith(str(path)) else f"{path}: {msg}"
        result.fields = []
    return result


def _process(path: Path, settings: ProcessSettings, result: DocumentResult) -> None:
    from extract.forms.parse import parse_segments
    from extract.sources.sniff import sniff

    with _timed(result, "sniff"):
        kind = sniff(path)
    if kind == "pdf":
        from extract.sources.pdf.document import pdf_segments

        with _timed(result, "layout"):
            doc = pdf_segments(path, settings, result)
    else:
        from extract.sources.text.reader import read_text_document

        with _timed(result, "layout"):
            doc = read_text_document(path)
    result.kind = doc.kind
    result.encoding = doc.encoding
    result.page_count = doc.page_count
    with _timed(result, "parse"):
        parsed = parse_segments(doc)
    result.identity = parsed.identity
    result.fields = parsed.fields
    if kind == "pdf" and any(f.evidence and f.evidence.method == "ocr" for f in result.fields):
        from extract.forms.verify import verify_document

        with _timed(result, "verify"):
            verify_document(path, result.fields, result.identity)
    result.warnings.extend(parsed.warnings)
    if any(not f.ok for f in result.fields) or any(p.triage != "usable" for p in result.pages):
        result.status = PARTIAL
