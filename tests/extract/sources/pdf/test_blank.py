"""Blank pages told from their pixels before OCR, and the OCR page budget, on generated scans: a blank
sheet with speckle, dust and a dark edge band is blank; a short line of text or a ruled box is not."""

from __future__ import annotations

import numpy as np
import pymupdf as fitz
import pytest

from extract.core.enums import Method, Severity, Triage
from extract.core.layout import PageLayout, Word
from extract.core.problems import OCR_PAGE_BUDGET
from extract.core.settings import BlankSettings, ProcessSettings
from extract.sources.pdf.blank import _jpeg_page, blank_page, ink_share
from extract.sources.pdf.document import page_ranges, pdf_segments
from pipelines.bench.blank_pages import image_pdf, scanned_page_jpeg

SETTINGS = BlankSettings()


def _line(text: str = "以下余白", size: float = 9.0):
    return lambda page: page.insert_text((72, 130), text, fontname="japan", fontsize=size)


def _box(page: fitz.Page) -> None:
    page.draw_rect(fitz.Rect(300, 400, 340, 420), color=(0, 0, 0), width=0.5)


NEAR_BLANK = {  # what scanners make of an empty sheet
    "speckle and dust": dict(speckle=0.01, dust=200, grain=8.0),
    "dark edge bands": dict(edges=(("left", 10.0), ("top", 4.0))),
    "wide dark edge bands": dict(edges=(("right", 40.0), ("bottom", 30.0)), speckle=0.005, dust=80),
    "grey paper": dict(paper=190.0, grain=10.0, speckle=0.01, dust=100),
}
NOT_BLANK = {
    "one short line of Japanese text": dict(draw=_line()),
    "one 8 pt character": dict(draw=_line("無", 8.0)),
    "one ruled box": dict(draw=_box),
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, fitz.Page]:
    """Each case as an image-only page (no text layer), at 200 and at 300 dpi."""
    rng = np.random.default_rng(7)
    cases = {**NEAR_BLANK, **NOT_BLANK}
    pages = {}
    for dpi in (200, 300):
        path = tmp_path_factory.mktemp("blank") / f"cases{dpi}.pdf"
        image_pdf(path, [scanned_page_jpeg(rng, dpi, **kw) for kw in cases.values()])
        doc = fitz.open(path)
        pages.update({(name, dpi): doc[i] for i, name in enumerate(cases)})
    return pages


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("name", NEAR_BLANK)
def test_near_blank_scans_are_blank(scans, name, dpi):
    blank, ink = blank_page(scans[name, dpi], SETTINGS)
    assert blank, f"{name}: ink {ink:.4f} %"


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("name", NOT_BLANK)
def test_a_short_line_or_a_box_is_not_blank(scans, name, dpi):
    page = scans[name, dpi]
    assert not page.get_text().strip()  # pixels only
    blank, ink = blank_page(page, SETTINGS)
    assert not blank and ink > 2 * SETTINGS.max_ink, f"{name}: ink {ink:.4f} %"


@pytest.mark.parametrize("name", [*NEAR_BLANK, *NOT_BLANK])
def test_the_jpeg_at_reduced_scale_sees_what_mupdf_renders(scans, name):
    page = scans[name, 200]
    fast = _jpeg_page(page, SETTINGS.dpi)
    assert fast is not None and abs(fast.shape[1] - 595 * SETTINGS.dpi / 72) < 2  # 1/4 of 200 dpi
    pix = page.get_pixmap(dpi=SETTINGS.dpi, colorspace=fitz.csGRAY, alpha=False)
    rendered = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    blank = SETTINGS.max_ink
    assert (ink_share(fast, SETTINGS) < blank) == (ink_share(rendered, SETTINGS) < blank)


def test_pages_that_are_not_one_jpeg_are_rendered(tmp_path):
    doc = fitz.open()
    page = doc.new_page()
    assert _jpeg_page(page, 50) is None and blank_page(page, SETTINGS) == (True, 0.0)
    _box(page)
    assert _jpeg_page(page, 50) is None and not blank_page(page, SETTINGS)[0]


def test_ink_share_ignores_edge_bands_margins_and_isolated_pixels():
    gray = np.full((600, 400), 230, dtype=np.uint8)
    gray[:, :60] = 20  # a scanner's dark band, wider than the margin
    gray[590:, :] = 30
    gray[5, 200] = gray[300, 8 + 60] = 0  # in the margin
    gray[300, 200] = gray[100, 300] = 0  # isolated specks
    gray[250, 250:253] = 0  # dust: three pixels, fewer than three others within 2 pixels of each
    gray[200, 200] = 175  # not clearly darker than the paper
    assert ink_share(gray, SETTINGS) == 0.0
    gray[400:403, 150:160] = 0  # a stroke
    assert ink_share(gray, SETTINGS) == pytest.approx(100 * 30 / gray.size)
    assert ink_share(np.full((600, 400), 40, dtype=np.uint8), SETTINGS) == 100.0  # no paper: never blank


def test_settings_are_validated():
    for bad in (dict(dpi=10), dict(margin=0.4), dict(ink_level=0), dict(max_ink=-1.0)):
        with pytest.raises(ValueError):
            BlankSettings(**bad)
    with pytest.raises(ValueError, match="max_ocr_pages"):
        ProcessSettings(max_ocr_pages=-1)
    assert blank_page(fitz.open().new_page(), BlankSettings(max_ink=0.0))[0] is False  # 0: the test is off


def test_page_ranges():
    assert page_ranges([3, 4, 5, 9]) == "3-5, 9"
    assert page_ranges(list(range(1, 20, 2)), most=3) == "1, 3, 5, ..."


@pytest.fixture()
def mixed(tmp_path):
    """Image-only pages: text, blank, text, text, blank, text, text."""
    rng = np.random.default_rng(3)
    text, blank = scanned_page_jpeg(rng, 150, draw=_line()), scanned_page_jpeg(rng, 150)
    path = tmp_path / "mixed.pdf"
    image_pdf(path, [text, blank, text, text, blank, text, text])
    return path


def _counting_ocr(calls: list[int]):
    def ocr(page: fitz.Page, number: int, settings) -> PageLayout:
        calls.append(number)
        word = Word("以下余白", 72, 120, 110, 131, number)
        return PageLayout(number, page.rect.width, page.rect.height, words=[word], method=Method.OCR)
    return ocr


def test_blank_pages_are_recorded_not_ocrd_and_the_budget_skips_the_pages_past_it(mixed):
    calls: list[int] = []
    doc = pdf_segments(mixed, ProcessSettings(max_ocr_pages=3), ocr_page=_counting_ocr(calls))
    assert calls == [1, 3, 4]  # blank pages are not OCR'd and do not count
    assert [p.triage for p in doc.pages] == ["absent", "blank", "absent", "absent", "blank", "skipped",
                                             "skipped"]
    assert [p.method for p in doc.pages] == ["ocr", "pdf-text", "ocr", "ocr", "pdf-text", "pdf-text",
                                             "pdf-text"]
    assert doc.pages[1].reason.startswith("blank page: ink 0.0") and "image-only page" in doc.pages[1].reason
    assert doc.pages[5].reason.startswith("not read: over the budget of 3 OCR pages per document")
    assert {s.page for s in doc.segments} == {1, 3, 4}
    assert doc.kind == "pdf-scan"
    (problem,) = doc.problems
    assert problem.error_class == OCR_PAGE_BUDGET and problem.severity == Severity.WARNING
    assert problem.message == ("2 pages needing OCR not read (pages 6-7): over the budget of 3 OCR pages per "
                               "document")

    calls.clear()
    doc = pdf_segments(mixed, ProcessSettings(max_ocr_pages=0), ocr_page=_counting_ocr(calls))
    assert calls == [1, 3, 4, 6, 7] and not doc.problems  # 0: no limit


def test_without_ocr_blank_pages_lose_nothing(mixed):
    doc = pdf_segments(mixed, ProcessSettings(max_ocr_pages=1))
    assert [p.triage for p in doc.pages].count(Triage.BLANK) == 2
    assert [p.page for p in doc.problems] == [1, 3, 4, 6, 7]  # OCR not available; nothing is skipped
    assert all(p.error_class == "OcrUnavailable" for p in doc.problems)
