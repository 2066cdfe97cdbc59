"""Words and rules read from the grid fixture PDF (tests/fixtures/grid/make_grid_pdfs.py draws it)."""


import pymupdf
import pytest
from conftest import FIXTURES

from extract.core.layout import Rule
from extract.core.settings import LayoutSettings
from extract.sources.pdf.layout import page_layout, page_rules, read_pdf_layout

GRID_PDF = FIXTURES / "grid" / "grid_form.pdf"


@pytest.fixture(scope="module")
def layout():
    return read_pdf_layout(GRID_PDF)


def _words_on(page, y0, y1):
    return [w for w in page.words if y0 < (w.y0 + w.y1) / 2 < y1]


def test_pages_and_size(layout):
    assert [p.number for p in layout.pages] == [1, 2, 3]
    assert layout.pages[0].width == pytest.approx(595) and layout.pages[0].height == pytest.approx(842)
    assert all(p.method == "pdf-text" for p in layout.pages)


def test_brackets_drawn_apart_stay_apart(layout):
    row = _words_on(layout.pages[0], 100, 120)
    texts = [w.text for w in sorted(row, key=lambda w: w.x0)]
    assert texts[:4] == ["③対象人数", "[", "10万人以上30万人未満", "]"]
    close = next(w for w in row if w.text == "]")
    assert close.x0 == pytest.approx(320, abs=0.5)


def test_tick_glued_by_mupdf_is_split_with_own_boxes(layout):
    # "○" at x=190 and "]" at x=199.5 are separate text objects; MuPDF's word splitter glues them.
    row = sorted(_words_on(layout.pages[0], 195, 208), key=lambda w: w.x0)
    assert [w.text for w in row[:5]] == ["①入手元", "[", "○", "]", "本人又は本人の代理人"]
    tick, close = row[2], row[3]
    assert tick.x0 == pytest.approx(190, abs=0.5)
    assert close.x0 == pytest.approx(199.5, abs=0.5)
    assert tick.x1 < close.x0


def test_rules_from_lines_and_thin_filled_rects(layout):
    p1, p2 = layout.pages[0], layout.pages[1]
    # Page 1 draws stroked lines, page 2 thin filled rectangles; both become rules at the line centre.
    assert Rule(40, 80, 555, 80, 1) in p1.rules
    assert any(r.horizontal and r.y0 == pytest.approx(80) and r.x1 - r.x0 == pytest.approx(515) for r in p2.rules)
    verticals = [r for r in p2.rules if not r.horizontal]
    assert sorted(round(r.x0) for r in verticals) == [40, 180, 180, 330, 555]


def test_white_and_wide_filled_rects_are_not_rules(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=200)
    page.draw_rect(pymupdf.Rect(10, 10, 190, 60), color=None, fill=(0.8, 0.8, 0.8))  # cell shading
    page.draw_line((10, 100), (190, 100), color=(1, 1, 1), width=1)  # white: invisible
    page.draw_line((10, 120), (190, 121.5), width=1)  # within axis tolerance? no: 1.5 > 1.0
    page.draw_line((10, 140), (190, 140.5), width=1)
    rules = page_rules(page, 1, LayoutSettings())
    assert rules == [Rule(10, 140.25, 190, 140.25, 1)]
    shaded = page_rules(page, 1, LayoutSettings(fill_edges=True))
    assert len(shaded) == 5


def test_page_layout_numbers_words(tmp_path):
    with pymupdf.open(GRID_PDF) as doc:
        lay = page_layout(doc[2], 3)
    assert lay.number == 3 and all(w.page == 3 for w in lay.words)
    assert {w.text for w in lay.words} >= {"評価実施機関名", "八代市長", "（別添1）を参照"}


def test_rotated_page_boxes_match_the_displayed_page(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="cjk", fontbuffer=pymupdf.Font("cjk").buffer)
    page.draw_rect(pymupdf.Rect(40, 80, 300, 120), width=0.5)
    page.insert_text((50, 100), "評価書名", fontname="cjk", fontsize=9)
    page.set_rotation(90)
    doc.save(tmp_path / "rot.pdf")
    with pymupdf.open(tmp_path / "rot.pdf") as d:
        lay = page_layout(d[0], 1)
    assert (lay.width, lay.height) == (842, 595)
    (w,) = lay.words
    # /Rotate 90 turns the page clockwise: unrotated (x, y) is shown at (842 - y, x).
    assert (w.x0, w.x1) == (pytest.approx(842 - 102.385, abs=0.01), pytest.approx(842 - 90.622, abs=0.01))
    assert (w.y0, w.y1) == (pytest.approx(50), pytest.approx(86))
    assert sorted((r.x0, r.y0, r.x1, r.y1) for r in lay.rules if r.horizontal) == [(722, 40, 762, 40), (722, 300, 762, 300)]


def test_word_glued_across_a_cell_border_is_cut_at_the_rule(layout):
    # MuPDF reads "公表日令和7年3月1日" as one word; the vertical rule at x=180 runs between them.
    with pymupdf.open(GRID_PDF) as doc:
        assert "公表日令和7年3月1日" in [w[4] for w in doc[2].get_text("words")]
    row = sorted(_words_on(layout.pages[2], 115, 135), key=lambda w: w.x0)
    assert [w.text for w in row] == ["公表日", "令和7年3月1日"]
    assert row[0].x1 == pytest.approx(178, abs=0.5) and row[1].x0 == pytest.approx(182, abs=0.5)


def test_text_overflowing_across_a_rule_is_not_cut(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=100)
    page.insert_font(fontname="cjk", fontbuffer=pymupdf.Font("cjk").buffer)
    page.draw_line((100, 10), (100, 90), width=0.5)
    page.insert_text((64, 50), "特定個人情報ファイル", fontname="cjk", fontsize=9)  # runs over x=100
    page.insert_text((64, 70), "公表日", fontname="cjk", fontsize=9)  # ends at 91
    page.insert_text((97, 70), "令和7年", fontname="cjk", fontsize=9)  # 6 pt gap, rule in it
    lay = page_layout(page, 1)
    assert sorted(w.text for w in lay.words) == ["令和7年", "公表日", "特定個人情報ファイル"]


def test_time_layout_reports_every_variant_on_the_same_pages():
    from pipelines.bench.layout import time_layout

    res = time_layout([GRID_PDF])
    assert set(res) == {"words", "bare", "layout", "segments", "pdfplumber"}
    assert {r["pages"] for r in res.values()} == {3}
    assert all(r["pages_per_cpu_s"] and r["pages_per_cpu_s"] > 0 for r in res.values())
