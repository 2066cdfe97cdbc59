"""Problems as data: one record per thing that went wrong, per document (Docling's ErrorItem as the model)."""

from __future__ import annotations

from dataclasses import dataclass

from extract.core.enums import Severity

OCR_PAGE_BUDGET = "OcrPageBudget"  # error class: pages left unread (ProcessSettings.max_ocr_pages)


@dataclass(frozen=True, slots=True)
class Problem:
    stage: str  # sniff | layout | parse | verify | process
    error_class: str  # an exception's class name, or a short tag ("OcrFailed", "Duplicate")
    message: str
    page: int | None = None
    severity: Severity = Severity.WARNING

    def text(self) -> str:
        """One line for logs and the manifest."""
        return f"page {self.page}: {self.message}" if self.page is not None else self.message
