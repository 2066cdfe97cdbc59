"""Rules -> cells -> text, on hand-made rules and on the grid fixture PDF; PDF -> segments."""

import functools
import re

import pytest
from conftest import FIXTURES

from extract.core.cells import Cell
from extract.core.layout import PageLayout, Rule, Word
from extract.core.settings import GridSettings, ProcessSettings
from extract.sources.grid import (
    block_text,
    cells_from_intersections,
    close_open_ends,
    intersections,
    merge_rules,
    page_grid,
    snap_rules,
    split_rules,
)
from extract.sources.pdf.document import pdf_segments
from extract.sources.pdf.layout import read_pdf_layout

GRID_PDF = FIXTURES / "grid" / "grid_form.pdf"


def W(text, x0, x1, y0=10.0, y1=20.0):
    return Word(text, x0, y0, x1, y1, 1)


# --- pure functions on hand-made rules ---------------------------------------------------------------


def test_snap_and_merge_join_pieces_of_one_border():
    rules = [Rule(0, 10, 50, 10, 1), Rule(51.5, 10.8, 100, 10.8, 1), Rule(0, 40, 100, 40, 1)]
    merged = merge_rules(snap_rules(rules, 2.0), 3.0)
    h, _ = split_rules(merged)
    assert sorted((r.x0, r.y0, r.x1) for r in h) == [(0, 10.4, 100), (0, 40, 100)]


def test_merge_keeps_real_gaps():
    merged = merge_rules([Rule(0, 10, 40, 10, 1), Rule(60, 10, 100, 10, 1)], 3.0)
    assert sorted((r.x0, r.x1) for r in merged) == [(0, 40), (60, 100)]


def _grid_rules():
    # 2 x 2 grid whose top row is one merged cell (the middle vertical starts at y=20).
    return [
        Rule(0, 0, 100, 0, 1), Rule(0, 20, 100, 20, 1), Rule(0, 40, 100, 40, 1),
        Rule(0, 0, 0, 40, 1), Rule(100, 0, 100, 40, 1), Rule(50, 20, 50, 40, 1),
    ]


def test_cells_include_merged_cell():
    h, v = split_rules(_grid_rules())
    cells = sorted(cells_from_intersections(intersections(h, v, 2.0), 2.0), key=lambda c: (c[1], c[0]))
    assert cells == [(0, 0, 100, 20), (0, 20, 50, 40), (50, 20, 100, 40)]


def test_close_open_ends_adds_missing_bottom():
    rules = [Rule(0, 0, 100, 0, 1), Rule(0, 0, 0, 30, 1), Rule(60, 0, 60, 30, 1), Rule(100, 0, 100, 30, 1)]
    closed = close_open_ends(rules, 2.0)
    assert closed[len(rules):] == [Rule(0, 30, 100, 30, 1)]
    assert close_open_ends(closed, 2.0) == closed  # nothing more to close


def test_block_text_gaps_and_lines():
    words = [W("]", 90, 92), W("十分である", 40, 85), W("[", 10, 12), W("続き", 10, 30, 22, 32)]
    assert block_text(words, 0.15) == "[ 十分である ]\n続き"
    # Touching pieces of one run join without a space.
    assert block_text([W("特定個人", 0, 40), W("情報", 40.5, 60)], 0.15) == "特定個人情報"


def test_words_go_to_the_cell_holding_their_centre():
    layout = PageLayout(1, 100, 100, words=[W("上", 10, 20, 5, 15), W("左下", 10, 30, 25, 35),
                                              W("右下", 60, 80, 25, 35), W("外", 10, 20, 60, 70)],
                        rules=_grid_rules())
    g = page_grid(layout, GridSettings())
    assert [(c.row, c.col, c.text) for c in g.cells] == [(0, 0, "上"), (1, 0, "左下"), (1, 1, "右下")]
    assert [ln.text for ln in g.lines] == ["外"]
    assert [b.text for b in g.blocks] == ["上", "左下", "右下", "外"]


# --- the fixture PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grids():
    return [page_grid(p) for p in read_pdf_layout(GRID_PDF).pages]


def _cell(grid, text_start):
    return next(c for c in grid.cells if c.text.startswith(text_start))


def test_label_value_and_option_list_in_one_row(grids):
    g = grids[0]
    label, value, options = _cell(g, "③対象人数"), _cell(g, "[ 10万"), _cell(g, "<選択肢>")
    assert value.text == "[ 10万人以上30万人未満 ]"
    assert options.text == (
        "<選択肢>\n1) 1,000人未満 2) 1,000人以上1万人未満\n3) 1万人以上10万人未満 4) 10万人以上30万人未満"
    )
    assert label.row == value.row == options.row
    assert (label.col, value.col, options.col) == (0, 1, 2)
    blocks = [b.text for b in g.blocks]
    assert blocks.index(label.text) + 1 == blocks.index(value.text) == blocks.index(options.text) - 1


def test_merged_cells_across_columns_and_rows(grids):
    g = grids[0]
    title = _cell(g, "Ⅰ")
    assert title.text == "Ⅰ\u3000基本情報" and title.bbox == (40, 80, 555, 100)
    wrapped = _cell(g, "住民基本台帳の照会")
    assert wrapped.bbox == (180, 150, 555, 190)
    assert wrapped.text == "住民基本台帳の照会・検索を行う。\n（操作権限により照会項目は制限される。）"
    risk = _cell(g, "リスク1")  # spans two rows
    assert risk.bbox == (40, 230, 180, 290)
    right = [c for c in g.cells if c.bbox[0] >= 180 and 230 <= c.bbox[1] < 290]
    assert [(c.row, c.col, c.text) for c in right] == [
        (risk.row, 1, "リスクに対する措置の内容"), (risk.row, 2, "[ 十分である ]"),
        (risk.row + 1, 1, "その他の措置"), (risk.row + 1, 2, "特になし"),
    ]


def test_two_column_checkbox_list(grids):
    c = _cell(grids[0], "[ ○ ] 本人")
    assert c.text == (
        "[ ○ ] 本人又は本人の代理人 [ ] 評価実施機関内の他部署\n"
        "[ ] 行政機関・独立行政法人等 [ ○ ] 地方公共団体・地方独立行政法人"
    )
    assert [w.text for w in c.words if w.text in "[○]"].count("○") == 2


def test_table_cut_by_page_break_keeps_its_cells(grids):
    # Page 1's last row has no bottom rule, page 2's first row no top rule.
    last = _cell(grids[0], "個人番号、4情報")
    assert last.bbox == (180, 290, 555, 800)
    assert last.text == "個人番号、4情報（氏名、性別、生年月日、住所）、\n連絡先（電話番号等）、"
    first = _cell(grids[1], "その他住民票関係情報")
    assert first.bbox == (180, 50, 555, 80) and first.row == 0
    assert [b for b in grids[1].blocks if b.text][1] is first  # right after the header stamp line
    assert (last.open_top, last.open_bottom, first.open_top, first.open_bottom) == (False, True, True, False)
    assert not any(c.open_top or c.open_bottom for c in grids[0].cells if c.bbox[3] < 800)


def test_pdf_segments_drop_headers_footers_but_keep_first_copy():
    doc = pdf_segments(GRID_PDF, ProcessSettings())
    assert doc.kind == "pdf-text" and doc.page_count == 3
    assert [(p.number, p.method, p.triage) for p in doc.pages] == [(i, "pdf-text", "usable") for i in (1, 2, 3)]
    texts = [(s.page, s.text) for s in doc.segments]
    assert texts[:3] == [(1, "[平成30年5月 様式4]"), (1, "特定個人情報保護評価書（重点項目評価書）"), (1, "Ⅰ\u3000基本情報")]
    assert [t for t in texts if "様式4" in t[1]] == [(1, "[平成30年5月 様式4]")]
    assert [t for t in texts if t[1].startswith("- ")] == [(1, "- 1 -")]
    # Repeated too, but in the middle of the page: body text, kept.
    assert [t for t in texts if t[1] == "（別添1）を参照"] == [(2, "（別添1）を参照"), (3, "（別添1）を参照")]
    # Page order, then reading order: the continued cell opens page 2.
    p2 = [s for s in doc.segments if s.page == 2]
    assert p2[0].text == "その他住民票関係情報" and (p2[0].row, p2[0].col) == (0, 1)
    assert [s.text for s in doc.segments if s.page == 3] == [
        "評価実施機関名", "八代市長", "公表日", "令和7年3月1日", "（別添1）を参照"
    ]
    seg = next(s for s in doc.segments if s.text == "[ 十分である ]")
    assert seg.bbox == (330, 230, 555, 260) and seg.method == "pdf-text" and seg.row is not None
    assert not any(isinstance(s, Cell) for s in doc.segments)


def test_bracket_centred_beside_a_wrapped_value_goes_to_its_first_and_last_line():
    words = [
        W("10万人以上", 20, 70, 10, 22), W("30万人未満", 20, 70, 22, 34),
        W("[", 10, 13, 16, 28), W("]", 80, 83, 16, 28),
    ]
    assert block_text(words, 0.15) == "[ 10万人以上\n30万人未満 ]"


def test_checkbox_lines_keep_their_own_brackets():
    # Tight line spacing: boxes of neighbouring lines overlap a little; each mark stays on its line.
    words = []
    for y, tick, label in ((10, True, "専用線"), (21, False, "電子メール")):
        words += [W("[", 10, 13, y, y + 12), W("]", 30, 33, y, y + 12), W(label, 40, 80, y, y + 12)]
        if tick:
            words.append(W("○", 18, 26, y, y + 12))
    assert block_text(words, 0.15) == "[ ○ ] 専用線\n[ ] 電子メール"


def test_triage_hook_ocrs_unusable_pages():
    def triage_page(page, layout):
        return ("unusable", "(cid:) glyphs") if layout.number == 3 else ("usable", "")

    def ocr_page_layout(page, number, settings):
        return PageLayout(number, 595, 842, words=[Word("八代市長", 185, 88, 230, 100, number, 12, 0.9)])

    doc = pdf_segments(GRID_PDF, ProcessSettings(), ocr_page=ocr_page_layout, triage=triage_page)
    assert [(p.method, p.triage) for p in doc.pages] == [
        ("pdf-text", "usable"), ("pdf-text", "usable"), ("ocr", "unusable")
    ]
    assert doc.kind == "pdf-text"  # one page of three OCRed
    p3 = [s for s in doc.segments if s.page == 3]
    # OCR gave words only: the PDF's rules still make the cell; the text layer's words are gone.
    assert [(s.text, s.method, s.confidence, s.bbox) for s in p3] == [("八代市長", "ocr", 0.9, (180, 80, 555, 110))]


def test_unusable_page_without_ocr_gives_no_text():
    doc = pdf_segments(GRID_PDF, ProcessSettings(), ocr_page=None, triage=lambda page, layout: ("unusable", "garbled"))
    assert doc.segments == []
    assert [(p.triage, p.reason) for p in doc.pages] == [("unusable", "garbled; OCR not available")] * 3
    assert len(doc.problems) == 3


def test_label_and_value_glued_across_border_land_in_their_cells(grids):
    g = grids[2]
    label, value = _cell(g, "公表日"), _cell(g, "令和7年")
    assert (label.text, label.col, value.text, value.col) == ("公表日", 0, "令和7年3月1日", 1)
    assert label.row == value.row


# --- the rendered form fixtures (tests/fixtures/pdf, with answer keys) ---------------------------------

FORM_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))


@functools.cache
def _key_and_pages(pdf):
    import json

    key = json.loads(pdf.with_suffix(".key.json").read_text(encoding="utf-8"))
    doc = pdf_segments(pdf, ProcessSettings())
    pages: dict[int, list[str]] = {}
    for s in doc.segments:
        pages.setdefault(s.page, []).append(re.sub(r"\s", "", s.text))
    return key, doc, pages


@pytest.mark.skipif(not FORM_PDFS, reason="rendered form fixtures not present")
@pytest.mark.parametrize("pdf", FORM_PDFS, ids=lambda p: p.stem)
def test_every_answer_value_is_in_a_segment_of_its_page(pdf):
    import re

    key, doc, pages = _key_and_pages(pdf)
    assert doc.page_count == key["pages"]
    values = [(f["key"], f["page"], re.sub(r"\s", "", f["value_text"]))
              for f in key["fields"] if f.get("value_text") and f.get("page")]
    assert len(values) >= 10
    missing = [v for v in values if not any(v[2] in t for t in pages.get(v[1], []))]
    assert missing == []


@pytest.mark.skipif(not FORM_PDFS, reason="rendered form fixtures not present")
@pytest.mark.parametrize("pdf", FORM_PDFS, ids=lambda p: p.stem)
def test_checkbox_ticks_stay_with_their_labels(pdf):
    import re

    key, doc, pages = _key_and_pages(pdf)
    groups = [f for f in key["fields"] if f["kind"] == "checkbox" and f.get("page")]
    assert groups
    def ticks_match(f, text):
        for label in f["checked"] + f["unchecked"]:
            box = r"[\[［][○〇●◯✓✔][\]］]" if label in f["checked"] else r"[\[［][\]］]"
            if not re.search(box + re.escape(re.sub(r"\s", "", label)), text):
                return False
        return True

    for f in groups:
        # Two groups on one page may share their labels (提供 / 移転): one cell must match exactly.
        assert any(ticks_match(f, t) for t in pages[f["page"]]), f["key"]


@pytest.mark.skipif(not FORM_PDFS, reason="rendered form fixtures not present")
@pytest.mark.parametrize("pdf", FORM_PDFS, ids=lambda p: p.stem)
def test_page_stamp_and_numbers_only_on_page_one(pdf):
    key, doc, pages = _key_and_pages(pdf)
    stamp = "[" + key["form_revision"].replace(" ", "") + "]"
    on_page_one = any(t == stamp for t in pages[1])
    assert {p for p, texts in pages.items() for t in texts if t == stamp} == ({1} if on_page_one else set())
    assert [t for texts in pages.values() for t in texts if re.fullmatch(r"-\d+-", t)] == ["-1-"]


def test_stacked_vertical_label_reads_as_one_word():
    words = [W(ch, 10, 19, 10 + 12 * i, 22 + 12 * i) for i, ch in enumerate("リスク対策")]
    assert block_text(words, 0.15) == "リスク対策"
    assert block_text([W("有", 10, 19, 10, 22), W("無し", 10, 28, 22, 34)], 0.15) == "有\n無し"


def test_loose_line_in_a_row_without_right_border_keeps_its_place():
    # Row 2 of three lacks its right border: its words are loose, read between rows 1 and 3.
    rules = [Rule(0, y, 100, y, 1) for y in (0, 20, 40, 60)] + [
        Rule(0, 0, 0, 60, 1), Rule(50, 0, 50, 60, 1), Rule(100, 0, 100, 20, 1), Rule(100, 40, 100, 60, 1)
    ]
    words = [W("一", 10, 20, 5, 15), W("1", 60, 70, 5, 15), W("二", 10, 20, 25, 35), W("2", 60, 70, 25, 35),
             W("三", 10, 20, 45, 55), W("3", 60, 70, 45, 55)]
    g = page_grid(PageLayout(1, 100, 100, words=words, rules=rules))
    assert [b.text for b in g.blocks if b.text] == ["一", "1", "二", "2", "三", "3"]


def test_pieces_of_one_printed_line_read_left_to_right_whatever_their_tops():
    # scan round 4, r14_a06 p. 4 (borderless): "1特定個人情報ファイル名" at top 71 and, after a wide gap, the name at
    # top 70; read by top edge the name came first and the label took the next line: the file name was lost
    words = [W("1特定個人情報ファイル名", 38, 139, 71, 79), W("都道府県知事保存附票本人確認情報ファイル", 178, 341, 70, 78),
             W("①ファイルの種類", 37, 102, 97, 104)]
    g = page_grid(PageLayout(4, 595, 842, words=words, rules=[]))
    assert [b.text for b in g.blocks] == ["1特定個人情報ファイル名", "都道府県知事保存附票本人確認情報ファイル",
                                          "①ファイルの種類"]
    assert g.blocks[1].bbox == (178, 70, 341, 78)  # its own box is kept


def test_a_page_that_cannot_be_read_is_recorded_and_the_rest_kept(monkeypatch):
    import extract.sources.pdf.document as pd

    real = pd.page_layout

    def flaky(page, number, settings=None):
        if number == 2:
            raise RuntimeError("broken content stream")
        return real(page, number, settings)

    monkeypatch.setattr(pd, "page_layout", flaky)
    doc = pdf_segments(GRID_PDF, ProcessSettings())
    assert [(p.number, p.triage) for p in doc.pages] == [(1, "usable"), (2, "unusable"), (3, "usable")]
    assert doc.pages[1].reason == "page could not be read: RuntimeError: broken content stream"
    assert {s.page for s in doc.segments} == {1, 3}


def test_double_border_is_one_rule():
    rules = [Rule(0, 0, 100, 0, 1), Rule(0, 20, 100, 20, 1), Rule(0, 22.5, 100, 22.5, 1), Rule(0, 40, 100, 40, 1),
             Rule(0, 0, 0, 40, 1), Rule(100, 0, 100, 40, 1)]
    g = page_grid(PageLayout(1, 100, 100, words=[W("上", 10, 20, 5, 15), W("下", 10, 20, 27, 37)], rules=rules))
    assert [(c.row, c.text) for c in g.cells] == [(0, "上"), (1, "下")]


def test_rule_carried_on_to_its_crossing_over_ink_only():
    import numpy as np

    from extract.core.layout import Rule
    from extract.sources.scan.raster_grid import extend_to_crossings

    ink = np.zeros((120, 220), dtype=bool)
    ink[:, 10] = True  # the left border
    ink[50, 10:200] = True  # a row rule ...
    ink[50, 20] = False  # ... cut by a light speck 10 px from the border: the opening dropped the stub
    ink[80, 30:200] = True  # a rule that really stops 20 px short of the border (blank between)
    rules = [Rule(10, 0, 10, 100, 1), Rule(21, 50, 200, 50, 1), Rule(30, 80, 200, 80, 1)]
    out = extend_to_crossings(rules, ink, scale=1.0, reach_pt=25)
    assert out[1] == Rule(10, 50, 200, 50, 1)
    assert out[2] == Rule(30, 80, 200, 80, 1)
    assert out[0] == rules[0]


def test_rule_cut_twice_by_specks_is_one_rule_a_blank_gap_is_not():
    import numpy as np

    from extract.sources.scan.raster_grid import find_rules

    gray = np.full((200, 600), 240, dtype=np.uint8)
    gray[60:62, 20:580] = 60  # a row rule ...
    gray[58:64, 300] = gray[58:64, 310] = 235  # ... cut by two light specks 5 pt apart (the piece between is dropped)
    gray[140:142, 20:290] = gray[140:142, 302:580] = 60  # two rules with a blank 6 pt between: a real gap
    rules = sorted(find_rules(gray, scale=2.0, page=1), key=lambda r: (r.y0, r.x0))
    assert [(round(r.x0), round(r.y0), round(r.x1)) for r in rules] == [(10, 30, 290), (10, 70, 145), (151, 70, 290)]


def test_a_word_under_a_gap_in_a_light_rule_keeps_its_lines_band():
    # scan round 15, r25_a05 p. 4: the hair border above 主な記録項目's boxes was found in three pieces; a "[" or "]"
    # standing in a gap saw the rule of the row above instead, the line's words disagreed, and the line had no band
    from extract.core.cells import TextLine
    from extract.sources.grid import light_rows_across, ruled_bands

    light = [Rule(47.0, 289.4, 557.0, 289.4, 4), Rule(37.0, 336.4, 243.0, 336.4, 4), Rule(370.0, 336.4, 441.0, 336.4, 4),
             Rule(481.0, 336.4, 556.0, 336.4, 4), Rule(35.0, 436.9, 556.0, 436.9, 4)]
    words = [Word("[", 185.0, 339.0, 187.0, 348.0, 4), Word("○", 188.0, 341.2, 215.0, 346.0, 4),
             Word("]", 216.0, 339.0, 218.0, 348.0, 4), Word("個人番号", 224.0, 338.3, 258.0, 347.4, 4),
             Word("[", 270.0, 338.8, 271.5, 348.0, 4), Word("○", 272.0, 340.8, 299.0, 346.0, 4),
             Word("]", 300.0, 338.3, 302.0, 347.4, 4), Word("個人番号対応符号", 308.0, 338.3, 380.0, 347.4, 4),
             Word("[", 392.0, 338.5, 393.5, 347.4, 4), Word("]", 418.0, 338.5, 421.0, 347.4, 4),
             Word("その他識別情報（内部番号）", 425.0, 338.0, 540.0, 347.4, 4)]

    def band(rules, ws):
        (line,) = ruled_bands([TextLine(4, (185.0, 330.0, 540.0, 348.0), "", ws)], rules, 3.0)
        return line.band

    assert band(light, words) is None  # as found: the "[" at 270 and the "]" at 300 lie under a gap
    across = light_rows_across(light, 3.0)
    assert band(across, words) == (336.4, 436.9)
    # a glyph of the row above, placed low, still keeps the line out of any band
    assert band(across, [*words, Word("］", 250.0, 330.0, 256.0, 339.5, 4)]) is None
