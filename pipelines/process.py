"""One document from raw bytes to a DocumentResult: sniff -> source (segments) -> parse -> verify.

Each stage is a function that returns its result; this module times them and assembles the
DocumentResult from what they return (Docling's ConversionResult as the model).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from extract.core.enums import Method, Status, Triage
from extract.core.problems import Problem
from extract.core.result import DocumentResult
from extract.core.settings import ProcessSettings
from extract.forms.dispatch import parse_segments
from extract.forms.verify import (
    verify_document,
    without_empty_boxes_on_faded_pages,
    without_unbound_values,
    without_values_under_blots,
)
from extract.sources.registry import reader_for
from extract.sources.sniff import is_synthetic

T = TypeVar("T")
_WHOLE = (Triage.USABLE, Triage.BLANK)  # pages read as they are


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _timed(result: DocumentResult, stage: str, fn: Callable[..., T], *args) -> T:
    t0 = time.perf_counter()
    try:
        return fn(*args)
    finally:
        result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - t0


def process_file(path: Path, settings: ProcessSettings | None = None, sha256: str | None = None) -> DocumentResult:
    """Read one input file. Never raises for bad input: the error is recorded in the result."""
    settings = settings or ProcessSettings()
    result = DocumentResult(source=str(path), sha256=sha256 or sha256_file(path))
    try:
        _process(path, settings, result)
    except Exception as exc:  # errors are data: the batch goes on
        msg = str(exc)
        result.fail("process", exc, msg if msg.startswith(str(path)) else f"{path}: {msg}")
    return result


def _process(path: Path, settings: ProcessSettings, result: DocumentResult) -> None:
    kind, read = _timed(result, "sniff", reader_for, path)
    doc = _timed(result, "layout", read, path, settings)
    result.kind, result.encoding, result.page_count = doc.kind, doc.encoding, doc.page_count
    result.synthetic = is_synthetic(path)
    result.pages = list(doc.pages)
    result.problems.extend(doc.problems)
    parsed = _timed(result, "parse", parse_segments, doc)
    if kind == "pdf" and any(f.evidence and f.evidence.method == Method.OCR for f in parsed.fields):
        parsed = _timed(result, "verify", verify_document, path, parsed)
        parsed = without_unbound_values(parsed, result.pages, doc.segments)
        parsed = without_empty_boxes_on_faded_pages(parsed, result.pages)
        parsed = without_values_under_blots(parsed, result.pages, doc.segments)
    result.identity, result.fields = parsed.identity, parsed.fields
    result.problems.extend(Problem("parse", "ParseWarning", w) for w in parsed.warnings)
    # partial: a field undetermined, or a page not read from a usable text layer (OCR'd, lost, skipped);
    # a blank page has nothing to lose
    if any(not f.ok for f in result.fields) or any(p.triage not in _WHOLE for p in result.pages):
        result.status = Status.PARTIAL
