"""The input sources behind one entry point: `sniff` names the kind, the registry names its reader.

Sources do not import each other: the PDF reader is handed the scan source's OCR function here, so a
page whose text layer cannot be used is read from its pixels, and its region reader, so a text layer
over a scan is checked against what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from extract.core.segments import SegmentedDocument
from extract.core.settings import ProcessSettings
from extract.sources.pdf.document import pdf_segments
from extract.sources.pdf.triage import triage_page
from extract.sources.scan.ocr import ocr_page_layout, read_regions
from extract.sources.sniff import sniff
from extract.sources.text.reader import read_text_document

Reader = Callable[[Path, ProcessSettings], SegmentedDocument]


def _pdf(path: Path, settings: ProcessSettings) -> SegmentedDocument:
    read = partial(read_regions, languages=settings.ocr.languages)
    return pdf_segments(path, settings, ocr_page=ocr_page_layout, triage=partial(triage_page, read_regions=read))


def _text(path: Path, settings: ProcessSettings) -> SegmentedDocument:
    return read_text_document(path)


READERS: dict[str, Reader] = {"pdf": _pdf, "text": _text}


def reader_for(path: Path) -> tuple[str, Reader]:
    """The input's kind ("pdf" | "text") and its reader; raises InputError (naming the file) for bad input."""
    kind = sniff(path)
    return kind, READERS[kind]
