"""Closed vocabularies of the stage boundaries. StrEnum members are str, so tables and JSON keep the text."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A document's outcome (and a manifest row's)."""

    OK = "ok"
    PARTIAL = "partial"  # read, but with undetermined fields or pages that could not be used
    FAILED = "failed"
    UNCHANGED = "unchanged"  # manifest only: input skipped because its sha256 was already processed


class FieldStatus(StrEnum):
    OK = "ok"
    UNDETERMINED = "undetermined"


class InputKind(StrEnum):
    UNKNOWN = "unknown"
    PDF_TEXT = "pdf-text"
    PDF_SCAN = "pdf-scan"
    TEXT = "text"
    MARKUP = "markdown/html"


class Method(StrEnum):
    """How the words of a page or a segment were obtained."""

    PDF_TEXT = "pdf-text"
    OCR = "ocr"
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


class Triage(StrEnum):
    """Whether a page's text layer can be read; for a page that would be OCR'd, why it was not."""

    USABLE = "usable"
    ABSENT = "absent"
    UNUSABLE = "unusable"
    BLANK = "blank"  # no usable text layer and hardly any ink: nothing to read, not OCR'd
    SKIPPED = "skipped"  # needed OCR, but past the document's OCR page budget: not read


class Severity(StrEnum):
    ERROR = "error"  # the document could not be read (status failed)
    WARNING = "warning"  # something was lost (a page, OCR), the rest was read
