"""Text lines cut from a page image, and characters of a line reading placed on their ink."""

import numpy as np
import pymupdf as fitz
from conftest import FIXTURES

from extract.core.layout import Rule
from extract.core.settings import OcrSettings
from extract.sources.scan.lines import crop, place_characters, symbols_from_readings, text_lines
from extract.sources.scan.recognizer import LineReading

SCALE = 300 / 72


def _blocks(*xs_ws, y=100, h=30) -> np.ndarray:
    ink = np.zeros((300, 1200), dtype=bool)
    for x, w in xs_ws:
        ink[y:y + h, x:x + w] = True
    return ink


def test_runs_of_text_are_cut_where_the_gap_is_wide_or_a_rule_stands():
    # three glyph-sized blocks 20 px apart, then one 300 px away: two runs
    ink = _blocks((100, 30), (150, 30), (200, 30), (530, 30))
    assert text_lines(ink, SCALE) == [(100, 100, 230, 130), (530, 100, 560, 130)]
    # a vertical rule between two close blocks (a cell border, erased before OCR) keeps them apart
    rule = Rule(140 / SCALE, 50 / SCALE, 140 / SCALE, 200 / SCALE, 1)
    assert text_lines(ink, SCALE, rules=[rule]) == [(100, 100, 130, 130), (150, 100, 230, 130),
                                                   (530, 100, 560, 130)]


def test_specks_are_no_text_but_a_thin_digit_is():
    ink = _blocks((100, 3), y=100, h=3)  # a 1 pt speck
    ink[200:228, 400:404] = True  # a "1": 28 px tall, 4 px wide
    assert text_lines(ink, SCALE) == [(400, 200, 404, 228)]


def test_a_run_of_two_lines_is_cut_at_its_empty_rows():
    ink = _blocks((100, 200), y=100, h=30)
    ink[130:140, 100:102] = True  # a descender joins the two lines
    ink[140:170, 100:300] = True
    s = OcrSettings(max_line_pt=17.0)
    assert text_lines(ink, SCALE, s) == [(100, 100, 300, 170)]  # 70 px: under 17 pt x 4.17, one line
    # over max_line_pt it holds two lines: the rows the descender alone inks (2 of 200 px) are their gap
    assert text_lines(ink, SCALE, OcrSettings(max_line_pt=12.0)) == [(100, 100, 300, 130), (100, 140, 300, 170)]
    ink[:] = False
    ink[100:130, 100:200] = ink[132:162, 100:200] = True  # two lines 2 px apart, a 62 px run
    assert text_lines(ink, SCALE, OcrSettings(max_line_pt=10.0)) == [(100, 100, 200, 130), (100, 132, 200, 162)]


def test_a_thin_stroke_down_the_lines_does_not_join_them():
    # scan round 5, r15_a02 p. 2: a table's left border the rule finder missed ran down every line of the table;
    # the horizontal closing joined it to each line, and the whole table was one run, read as garbage
    ink = np.zeros((400, 1200), dtype=bool)
    for y in (100, 160, 220):
        ink[y:y + 30, 120:600] = True  # three lines of text
    ink[90:260, 100:104] = True  # a 1 pt stroke down them, 16 px left of the text
    assert text_lines(ink, SCALE) == [(120, 100, 600, 130), (120, 160, 600, 190), (120, 220, 600, 250)]
    # a column of stacked glyphs (as wide as a glyph) is text: its rows stay one band where nothing splits them
    ink[:] = False
    ink[100:250, 100:130] = True
    assert text_lines(ink, SCALE) == [(100, 100, 130, 250)]
    with fitz.open(FIXTURES / "corpus" / "scan5" / "r15_a02_juten_fukui_shogai.scan200.pdf") as doc:
        from extract.sources.scan.ocr import ocr_page_layout

        text = "".join(w.text for w in ocr_page_layout(doc[1], 2).words)
    assert "障害者福祉システム" in text and "障がい福祉課" in text


def test_a_narrow_crop_is_widened_with_paper():
    gray = np.full((300, 1200), 250, dtype=np.uint8)
    gray[100:130, 100:110] = 0
    out, left = crop(gray, (100, 100, 110, 130), pad=5)
    assert left == 95 and out.shape == (40, 80)  # 20 px of the page, widened to twice the height
    assert (out[:, 20:] >= 200).all()


def test_characters_snap_to_their_glyphs():
    ink = _blocks((100, 8), (130, 30), (200, 8), y=10, h=30)  # "[", a glyph, "]"
    reading = LineReading("[字]", 0.9, ((0, 14), (30, 62), (96, 110)), (0.9, 0.99, 0.95))
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (100, 10, 208, 40), ink)
    assert [(c, box) for c, box, _ in placed] == [("[", (100, 10, 108, 40)), ("字", (130, 10, 160, 40)),
                                                 ("]", (200, 10, 208, 40))]
    syms = symbols_from_readings([(100, 10, 208, 40)], [reading], [100], ink)
    assert [s[1] for s in syms] == ["[", "字", "]"] and syms[0][0] == 0
    assert [s[5] for s in syms] == [False, False, True]  # a new word after a gap wider than 0.9 of the line height


def test_pp_ocr_page_pass_reads_a_scanned_form_page():
    from extract.sources.scan.ocr import ocr_page_layout

    with fitz.open(FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.pdf") as doc:
        layout = ocr_page_layout(doc[3], 4, OcrSettings())
    words = [w.text for w in layout.words]
    for text in ("国民健康保険システムの運用保守業務", "株式会社九州情報システムサービス", "熊本県国民健康保険団体連合会"):
        assert text in words
    assert all(0.0 <= w.conf <= 1.0 for w in layout.words)


def test_a_tick_the_reading_left_out_belongs_to_no_bracket():
    # kiso_koshi_jidou scan p. 3, "[ ○ ] 内部監査" read "[]内部監査": the ○ must not widen "]" (the box between
    # the brackets would be empty and the tick read as blank)
    ink = _blocks((100, 8), (125, 24), (160, 8), y=10, h=30)  # "[", the ○, "]"
    reading = LineReading("[]", 0.9, ((0, 12), (56, 70)), (0.9, 0.9))
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (100, 10, 168, 40), ink)
    assert [(c, box) for c, box, _ in placed] == [("[", (100, 10, 108, 40)), ("]", (160, 10, 168, 40))]


def test_the_fill_between_two_rules_alone_is_no_run_of_text():
    # scan round 3, r13_b10 p. 7 (its OCR failed with an IndexError): a column of stacked empty "[ ]"
    # boxes is two strokes taken for rules; the closing fills the paper between them, the rules' cuts
    # leave that fill as a run with no ink of its own
    ink = _blocks((300, 30), y=40, h=30)
    ink[100:150, 101:104] = True  # "[" stems of two boxes
    ink[100:150, 161:164] = True  # "]" stems
    rules = [Rule(102 / SCALE, 100 / SCALE, 102 / SCALE, 150 / SCALE, 1),
             Rule(162 / SCALE, 100 / SCALE, 162 / SCALE, 150 / SCALE, 1)]
    assert text_lines(ink, SCALE, rules=rules) == [(300, 40, 330, 70)]


def test_a_glyph_the_reading_left_out_is_kept_unread():
    # scan round 5, r15_a12 p. 6: "〒942-4013 日出町…" read "942-4013日出町…" by both engines: the 〒's ink
    # lies outside every character's span, so its place is kept as ⍰ with probability 0
    ink = _blocks((100, 22), (140, 16), (160, 16), y=10, h=30)  # the 〒, then "9", "4"
    reading = LineReading("94", 0.99, ((40, 56), (60, 76)), (0.99, 0.99))
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (100, 10, 176, 40), ink)
    assert [(c, box, p) for c, box, p in placed] == [("⍰", (100, 10, 122, 40), 0.0),
                                                    ("9", (140, 10, 156, 40), 0.99), ("4", (160, 10, 176, 40), 0.99)]
    syms = symbols_from_readings([(100, 10, 176, 40)], [reading], [100], ink)
    assert "".join(s[1] for s in syms) == "⍰94"
    # a glyph that ends the line (a label's ※, which label matching ignores) is left out
    ink = _blocks((140, 16), (160, 16), (180, 22), y=10, h=30)
    reading = LineReading("94", 0.99, ((40, 56), (60, 76)), (0.99, 0.99))
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (140, 10, 202, 40), ink)
    assert [c for c, _, _ in placed] == ["9", "4"]
    # nor one after a read character (a heading's ※ before its "（"), though a character follows it
    ink = _blocks((140, 16), (160, 22), (186, 16), y=10, h=30)
    reading = LineReading("9（", 0.99, ((40, 56), (86, 102)), (0.99, 0.99))
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (140, 10, 202, 40), ink)
    assert [c for c, _, _ in placed] == ["9", "（"]
    # a piece of ink narrower than half a character (a split radical, a dot) is no character
    reading = LineReading("94", 0.99, ((40, 56), (60, 76)), (0.99, 0.99))
    ink = _blocks((100, 8), (140, 16), (160, 16), y=10, h=30)
    placed = place_characters(reading.text, reading.spans, reading.probs, 100, (100, 10, 176, 40), ink)
    assert [c for c, _, _ in placed] == ["9", "4"]


def test_lines_joined_by_a_band_of_scanner_noise_are_cut_apart():
    # scan round 12, r22_b08 p. 13: a dirty drum left specks down the page's right side; the closing joined every
    # line to them, and the run (its rows never empty) was read as one line of garbage, a heading lost in it
    rng = np.random.default_rng(7)
    ink = np.zeros((400, 1200), dtype=bool)
    for y in (100, 150, 200):
        ink[y:y + 30, 100:700] = rng.random((30, 600)) < 0.4  # three lines of text, 20 px apart
    ink[90:250, 800:1100] = rng.random((160, 300)) < 0.04  # specks beside them, on every row
    ink[139:142, 300:302] = True  # a speck between two lines
    ink[130:150, 700:800] = ink[180:200, 700:800] = False
    lines = text_lines(ink, SCALE)
    assert [(y0, y1) for _, y0, _, y1 in lines if y1 - y0 >= 25] == [(100, 130), (150, 180), (200, 230)]
    # a glyph alone on its line is a line too
    ink[:] = False
    ink[100:130, 100:700] = ink[150:180, 100:130] = True
    ink[90:250, 800:1100] = rng.random((160, 300)) < 0.04
    assert [(x0, y0, y1) for x0, y0, _, y1 in text_lines(ink, SCALE) if y1 - y0 >= 25] == [(100, 100, 130),
                                                                                          (100, 150, 180)]


def test_a_glyph_a_wrap_left_alone_under_a_full_line_is_a_line():
    # scan round 12, r22_a06 pp. 13-14: the cell wrapped "…使用できない" and put its "。" alone on the next line; a 。
    # is under min_text_pt, so it was no line, and three texts read without it
    ink = np.zeros((300, 1200), dtype=bool)
    ink[100:136, 100:1000] = True  # a full line, 36 px high
    ink[148:158, 102:112] = True  # a 10 px 。 under its start
    assert text_lines(ink, SCALE) == [(100, 100, 1000, 136), (102, 148, 112, 158)]
    # the same speck under the line's middle, or a streak as wide as a glyph row, is no glyph
    ink[148:158, 102:112] = False
    ink[148:158, 500:510] = True
    assert text_lines(ink, SCALE) == [(100, 100, 1000, 136)]
    ink[148:158, 500:510] = False
    ink[150:154, 102:300] = True
    assert text_lines(ink, SCALE) == [(100, 100, 1000, 136)]


def test_a_line_spread_out_over_its_cell_has_no_spaces_between_its_glyphs():
    # scan round 11, r21_b02's 特記事項: a cell's distributed alignment (均等割り付け) printed "中間サーバー・プラットフォーム…"
    # with gaps wider than 0.9 of the line height between all its glyphs, and each wide gap became a space
    xs = [100 + 70 * i for i in range(6)]  # 30 px glyphs, 40 px apart: every gap wider than 27 px
    ink = _blocks(*[(x, 30) for x in xs], y=10, h=30)
    reading = LineReading("中間サーバー", 0.99, tuple((x - 100, x - 70) for x in xs), (0.99,) * 6)
    syms = symbols_from_readings([(100, 10, xs[-1] + 30, 40)], [reading], [100], ink)
    assert [s[5] for s in syms] == [False] * 6
    # on a line set solid, a gap as wide is a space
    xs = [100, 132, 164, 236, 268, 300]
    ink = _blocks(*[(x, 30) for x in xs], y=10, h=30)
    reading = LineReading("大分県情報課", 0.99, tuple((x - 100, x - 70) for x in xs), (0.99,) * 6)
    syms = symbols_from_readings([(100, 10, 330, 40)], [reading], [100], ink)
    assert [s[5] for s in syms] == [False, False, False, True, False, False]
