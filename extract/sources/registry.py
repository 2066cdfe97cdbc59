"""The input sources behind one entry point: `sniff` names the kind, the registry names its reader.

Sources do not import each other: the PDF reader is handed the scan source's OCR function here, so a
page whose text layer cannot be used is read from its pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extract.core.segments import SegmentedDocument
from extract.core.settings import ProcessSettings
from extract.sources.pdf.document import pdf_segments
from extract.sources.scan.ocr import ocr_page_layout
from extract.sources.sniff import sniff
from extract.sources.text.reader import read_text_document

Reader = Callable[[Path, ProcessSettings], SegmentedDocument]


def _pdf(path: Path, settings: ProcessSettings) -> SegmentedDocument:
    return pdf_segments(path, settings, ocr_page=ocr_page_layout)


def _text(path: Path, settings: ProcessSettings) -> SegmentedDocument:
    return read_text_document(path)


READERS: dict[str, Reader] = {"pdf": _pdf, "text": _text}


def reader_for(path: Path) -> tuple[str, Reader]:
    """The input's kind ("pdf" | "text") and its reader; raises InputError (naming the file) for bad input."""
    kind = sniff(path)
    return kind, READERS[kind]
