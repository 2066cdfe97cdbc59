"""Tick ink: bracket areas measured on a rendered page, and the tick decision from ink and OCR text."""

import json
import math
from pathlib import Path

import numpy as np
import pymupdf as fitz
from conftest import FIXTURES

from extract.core.layout import Word
from extract.sources.scan.marks import EMPTY_MAX, TICKED_MIN, bracket_marks, bracket_pairs, tick_from_ink

SCAN = FIXTURES / "scan"
KEY = json.loads((SCAN / "sample.answers.json").read_text(encoding="utf-8"))


def _render(path: Path, dpi: int) -> np.ndarray:
    with fitz.open(path) as doc:
        pix = doc[0].get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)


def _bracket_words(box, page=1):
    """Bracket words just outside a key's inner box, as OCR would box the glyphs."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    return [Word("[", x0 - 2.5, y0 - 0.1 * h, x0, y1 + 0.1 * h, page), Word("]", x1, y0 - 0.1 * h, x1 + 2.5, y1 + 0.1 * h, page)]


def _page_as_ocr(path: Path, index: int):
    """A page rendered upright at 300 dpi the way the page pass renders it, with its scale (px per pt)."""
    from extract.sources.scan import ocr

    with fitz.open(path) as doc:
        g, _ = ocr.render_deskewed(doc[index], 300, ocr.page_skew(doc[index]))
    return g, 300 / 72


def _marks(g: np.ndarray, scale: float, page: int, *boxes):
    """A Mark per box (points) with its ink measured on `g`."""
    from extract.core.layout import Mark
    from extract.sources.scan.marks import ink_ratio

    return [Mark(*b, page, ink_ratio(g, b, scale)) for b in boxes]


def test_ink_between_brackets_on_clean_render():
    gray = _render(SCAN / "sample.pdf", 200)
    for m in KEY["marks"]:
        (mark,) = bracket_marks(gray, _bracket_words(m["box"]), 200 / 72, 1)
        if m["state"] == "ticked":
            assert mark.ink >= TICKED_MIN, m
        elif m["state"] == "unticked":
            assert mark.ink <= EMPTY_MAX, m
        else:
            assert EMPTY_MAX < mark.ink < TICKED_MIN, m


def test_pairs_on_one_line_only():
    words = [
        Word("[", 10, 0, 12, 10, 1), Word("○", 14, 0, 22, 10, 1), Word("]", 24, 0, 26, 10, 1),
        Word("[", 40, 0, 42, 10, 1), Word("]", 60, 20, 62, 30, 1),  # close bracket on the next line
    ]
    pairs = bracket_pairs(words)
    assert [(o.x0, c.x0) for o, c in pairs] == [(10, 24)]


def test_tick_decisions():
    assert tick_from_ink(0.0, "")[0] == "unticked"
    assert tick_from_ink(0.09, "○")[0] == "ticked"
    assert tick_from_ink(0.06, "o")[0] == "ticked"  # OCR's usual reading of a small circle
    state, conf, reason = tick_from_ink(0.03, "")
    assert (state, conf) == ("unreadable", 0.0) and "between empty" in reason
    # ink and OCR disagree
    assert tick_from_ink(0.0, "○")[0] == "unreadable"
    assert tick_from_ink(0.09, "有")[0] == "unreadable"
    assert tick_from_ink(0.01, "1")[0] == "unreadable"  # some ink and a character: no decision
    # blank paper where OCR saw one stray non-tick character (a bracket stroke read as "1")
    state, conf, reason = tick_from_ink(0.0, "1")
    assert state == "unticked" and conf < 0.8 and "not a tick" in reason
    # clear ink with nothing read: OCR drops small circles, ink alone decides with lower confidence
    state, conf, _ = tick_from_ink(0.12, "")
    assert state == "ticked" and conf < 0.8
    assert tick_from_ink(0.05, "")[0] == "unreadable"


def test_glyphs_on_a_bracket_are_not_the_box_content():
    # zen_kumamoto_city_juki scan p. 5: "[", "。" (0.2 pt wide, on the "]"), "]", "電子メール" — the "。" stayed
    # in the text and made the box unknown; "[5 ○ ] 専用銀" (p. 8) likewise with a "5" on the "["
    from extract.sources.scan.marks import apply_tick_marks

    g = np.full((60, 300), 255, np.uint8)  # blank paper: the ink says empty
    scale = 2.0
    words = [Word("[", 10.0, 10.0, 11.6, 17.2, 5, 7.2), Word("5", 11.0, 10.5, 12.2, 17.0, 5, 7.2),
             Word("。", 26.2, 11.0, 26.4, 17.0, 5, 7.2), Word("]", 26.2, 10.0, 27.9, 17.2, 5, 7.2),
             Word("電子メール", 34.4, 10.0, 70.4, 17.2, 5, 7.2)]
    marks = bracket_marks(g, words, scale, 5)
    assert len(marks) == 1
    out = apply_tick_marks(words, marks, g, scale)
    assert [w.text for w in sorted(out, key=lambda w: w.x0)] == ["[", "]", "電子メール"]


def test_a_curl_read_for_the_circle_leaves_the_box_to_the_ink():
    from extract.sources.scan.marks import is_tick_box

    assert is_tick_box("っ") and is_tick_box("ぅ") and is_tick_box("") and is_tick_box("o")
    assert not is_tick_box("有") and not is_tick_box("十分である")


def test_a_circle_read_as_a_bracket_too_is_not_a_bracket():
    # round-6 rescan of zen_kumamoto_pref, p. 4: "[ ○ ] その他識別情報" read as "【", "〔", "o", "]" — the "〔"
    # (on the ○) paired with "]" and left the ○ outside the box, so a ticked box read as blank
    from extract.sources.scan.ocr import drop_twin_brackets

    line = [Word("【", 181.44, 328.08, 183.36, 335.28, 4, 7.92, 0.96), Word("〔", 188.16, 329.28, 191.52, 332.4, 4, 7.92, 0.89),
            Word("o", 188.88, 324.72, 192.0, 336.96, 4, 7.92, 0.92), Word("]", 198.24, 328.08, 199.92, 335.04, 4, 7.92, 0.97),
            Word("その他識別情報(", 206.16, 324.72, 262.8, 336.96, 4, 7.92, 0.95)]
    kept = drop_twin_brackets(line)
    assert [w.text for w in kept] == ["【", "o", "]", "その他識別情報("]
    assert bracket_pairs(kept) == [(kept[0], kept[2])]
    # a lone "[ o ]" keeps its brackets
    box = [line[0], line[2], line[3]]
    assert drop_twin_brackets(box) == box


def test_opening_bracket_dropped_by_ocr_is_restored_from_its_stroke():
    # zen_asahikawa_tax round-8 rescan, Ⅰ 2 ③: the boxes at the cell's left edge read "] 情報提供…" (the "["
    # lost), so no box paired and the group stayed unknown. Here every box of the sample page, its "[" dropped
    from extract.sources.scan.marks import restore_brackets

    gray = _render(SCAN / "sample.pdf", 200)
    for m in KEY["marks"]:
        opening, closing = _bracket_words(m["box"])
        out = restore_brackets(gray, [closing], 200 / 72)
        found = [w for w in out if w.text == "["]
        assert len(found) == 1 and abs(found[0].x0 - opening.x0) < 2.0, m
        assert bracket_pairs(out) == [(found[0], closing)]
        # a "[" read as "|" is put right; a "]" with no stroke before it gets nothing
        bar = Word("|", opening.x0, opening.y0, opening.x1, opening.y1, 1)
        assert [w.text for w in restore_brackets(gray, [bar, closing], 200 / 72)] == ["[", "]"]
    blank = Word("]", 5.0, 5.0, 7.5, 15.0, 1)
    assert restore_brackets(gray, [blank], 200 / 72) == [blank]


def test_no_opening_bracket_restored_across_a_word():
    # juten_yatsushiro_juki round-7 rescan p. 19: "リスク1 :" read "リスク】 :"; the cell's left border and its rules
    # look like a "[" stroke three heights to the left: with a word between them it is no box
    from extract.sources.scan.marks import restore_brackets

    gray = _render(SCAN / "sample.pdf", 200)
    m = KEY["marks"][0]
    opening, closing = _bracket_words(m["box"])
    h = closing.y1 - closing.y0
    word = Word("リスク", opening.x1 + 0.4 * h, closing.y0, closing.x0 + 0.5, closing.y1, 1)
    assert closing.x0 - 0.1 * h > word.x0
    assert [w.text for w in restore_brackets(gray, [word, closing], 200 / 72)] == ["リスク", "]"]


def test_a_column_of_stacked_brackets_gives_one_ink_value_per_line():
    # scan round 3, r13_a07 p. 5, 主な記録項目 of file 1: 19 options one per line, "[" over "[" and "]" over
    # "]" printed as two unbroken strokes (the page pass erased them as ruling lines); ticked, by the
    # workbook it was printed from: 個人番号, 個人番号対応符号, 4情報, 地方税関係情報, 健康・医療関係情報
    from extract.forms.verify import upright_crop
    from extract.sources.scan.marks import box_column

    with fitz.open(FIXTURES / "corpus" / "scan3" / "r13_a07_juten_saga_kokuho.scan200.pdf") as doc:
        cell = upright_crop(doc[4], (211.1, 284.6, 518.1, 462.5), 400)
        text = upright_crop(doc[4], (50, 231, 518, 254), 400)  # その必要性: text, no boxes
    inks = box_column(cell, 400 / 72)
    assert len(inks) == 19
    assert [n for n, ink in enumerate(inks, start=1) if ink >= TICKED_MIN] == [1, 2, 4, 8, 9]
    assert all(ink <= EMPTY_MAX for ink in inks if ink < TICKED_MIN)
    assert box_column(text, 400 / 72) is None


def test_a_box_holding_grey_strokes_is_not_read_empty():
    # scan round 4, r14_a08 p. 6: "【○】 自己点検" with the ○ printed faint grey: no pixel under DARK, so the
    # ink said empty and the tick was lost as "unticked"; grey strokes make the box unreadable instead
    from extract.core.layout import Mark
    from extract.sources.scan.marks import EMPTY_LIGHT_MAX, apply_tick_marks, light_share

    scale = 4.0
    g = np.full((80, 200), 240, np.uint8)
    yy, xx = np.mgrid[0:80, 0:200]
    arc = (np.abs(np.hypot(yy - 40, xx - 30) - 10) < 1.2) & (xx < 33)  # what the scan left of the ○: a grey arc
    g[arc] = 180
    words = [Word("自己点検", 14.0, 6.0, 40.0, 14.0, 6, 8.0)]
    faint, blank = Mark(4.0, 6.0, 11.0, 14.0, 6, 0.0), Mark(4.0, 6.0, 11.0, 14.0, 6, 0.0)
    assert light_share(g, faint, scale) > EMPTY_LIGHT_MAX
    out = apply_tick_marks(words, [faint], g, scale)
    assert "⍰" in [w.text for w in out]
    clean = np.full((80, 200), 240, np.uint8)
    assert light_share(clean, blank, scale) == 0.0
    assert [w.text for w in apply_tick_marks(words, [blank], clean, scale)] == ["自己点検"]


def test_a_ring_barely_darker_than_the_paper_is_not_read_empty():
    # scan round 4, r14_b09 p. 4: "[ ○ ] 接続しない（入手）" with the ○ at grey ~225 on paper 253: no pixel under
    # LIGHT; only its shape tells it from the paper. Unreadable, not empty (and not ticked on this evidence)
    from extract.core.layout import Mark
    from extract.sources.scan.marks import apply_tick_marks, grey_in_empty

    scale = 4.0
    g = np.full((80, 200), 253, np.uint8)
    yy, xx = np.mgrid[0:80, 0:200]
    g[np.abs(np.hypot(yy - 40, xx - 30) - 10) < 1.5] = 228
    words = [Word("接続しない（入手）", 14.0, 6.0, 60.0, 14.0, 4, 8.0)]
    box = Mark(4.0, 6.0, 11.0, 14.0, 4, 0.0)
    assert grey_in_empty(g, box, scale)
    assert "⍰" in [w.text for w in apply_tick_marks(words, [box], g, scale)]
    specks = np.full((80, 200), 253, np.uint8)
    specks[::7, ::5] = 230  # paper noise, no shape
    assert not grey_in_empty(specks, box, scale)
    assert [w.text for w in apply_tick_marks(words, [box], specks, scale)] == ["接続しない（入手）"]


def test_a_faint_ring_is_looked_for_at_every_grey_level_up_to_the_paper():
    # scan round 2, r12_a06 p. 3: "[ ○ ] 外部監査" with the ○ at grey 200-235 on paper 252: a ring at levels 210-235,
    # at 240 (the paper less 12) noise joins it, at 190 it falls apart; read "[ ]", unticked: a wrong tick
    from extract.core.layout import Mark
    from extract.sources.scan.marks import grey_in_empty

    path = FIXTURES / "corpus" / "scan2" / "r12_a06_kiso_akita_koki.scan200.pdf"
    with fitz.open(path) as doc:
        pix = doc[2].get_pixmap(dpi=200, colorspace=fitz.csGRAY, alpha=False)
    g = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    assert grey_in_empty(g, Mark(205.0, 559.5, 226.0, 567.5, 3, 0.0), 200 / 72)
    # the empty boxes of 提供・移転しない and 接続しない（入手） on the same page stay empty
    assert not grey_in_empty(g, Mark(207.0, 307.5, 224.0, 313.5, 3, 0.0), 200 / 72)
    assert not grey_in_empty(g, Mark(207.0, 374.0, 224.0, 380.0, 3, 0.0), 200 / 72)


def test_on_a_page_whose_ticks_faded_to_specks_an_empty_box_is_unreadable():
    # scan round 5, r15_b07 p. 3 (bilevel, faded toner): 住民基本台帳ネットワークシステム's ○ survives as a few
    # specks (unreadable), 宛名システム等's ○ vanished whole and read empty: a wrong tick. Where one tick faded to
    # specks, an empty box on that page is no evidence of an empty box
    from extract.sources.scan.marks import apply_tick_marks, box_specks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan5" / "r15_b07_zen_oita_pref_seiho.scan200.pdf", 2)
    specks, vanished = _marks(g, scale, 3, (210.7, 452.1, 238.8, 458.0), (210.7, 476.1, 238.8, 481.8))
    assert 0 < specks.ink < TICKED_MIN and box_specks(g, specks, scale) >= 1 and vanished.ink < EMPTY_MAX
    assert [w.text for w in apply_tick_marks([], [specks, vanished], g, scale)] == ["⍰", "⍰"]
    assert [w.text for w in apply_tick_marks([], [vanished], g, scale)] == []  # alone on its page: empty


def test_a_tick_faded_to_specks_on_clean_paper_is_unreadable_and_the_page_faded():
    # scan round 6, r16_b10 p. 10 (bilevel): every small ○ faded to one to three specks (ink share < EMPTY_MAX),
    # and 電子記録媒体's ○ of the 委託 group at the foot vanished whole: five ticks read empty. The page's open
    # paper holds about one speck per 10,000 pt², so a speck inside a 100 pt² box is evidence of a mark
    from extract.sources.scan.marks import (
        SPECK_CHANCE,
        box_specks,
        page_grain,
        read_ticks,
    )

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan6" / "r16_b10_zen_tsu_jido.scan200.pdf", 9)
    mail, vanished, senyo = _marks(g, scale, 10, (276.52, 714.32, 297.32, 720.88), (364.84, 714.32, 385.64, 720.88),
                                   (207.64, 714.32, 228.2, 720.88))
    assert 0 < mail.ink < EMPTY_MAX and vanished.ink == senyo.ink == 0.0
    assert box_specks(g, mail, scale) >= 1 and box_specks(g, vanished, scale) == 0
    assert page_grain(g, scale) * (mail.x1 - mail.x0) * (mail.y1 - mail.y0) < SPECK_CHANCE
    reading = read_ticks([], [mail, vanished], g, scale)
    assert [w.text for w in reading.words] == ["⍰", "⍰"] and reading.faded
    alone = read_ticks([], [vanished, senyo], g, scale)  # no specked box among them: read empty
    assert alone.words == [] and not alone.faded


def test_a_tick_thinned_to_single_pixel_dots_is_unreadable_and_the_page_faded():
    # scan round 17, r27_a03 p. 5 (bilevel, ink bleed): 内部監査's ○ left three dots of four pixels, which the speckle
    # filter drops, so box_specks saw none and the box read empty: a wrong tick; the ○ of 特に力を入れている above it
    # vanished whole. The page's raw grain (every dot on open paper) puts three dots in that box with a chance far
    # under SPECK_CHANCE; 外部監査's box beside it holds no dot and reads empty alone
    from extract.sources.scan.marks import SPECK_CHANCE, box_specks, chance_of_specks, page_grain, read_ticks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan17" / "r27_a03_kiso_beppu_chiho.scan200.pdf", 4)
    naibu, gaibu = _marks(g, scale, 5, (278.0, 728.2, 302.2, 733.6), (358.0, 728.2, 382.0, 733.6))
    assert naibu.ink < EMPTY_MAX and box_specks(g, naibu, scale) == 0
    dots = box_specks(g, naibu, scale, despeckled=False)
    assert dots >= 2 and box_specks(g, gaibu, scale, despeckled=False) == 0
    area = (naibu.x1 - naibu.x0) * (naibu.y1 - naibu.y0)
    assert chance_of_specks(page_grain(g, scale, despeckled=False), area, dots) < SPECK_CHANCE
    reading = read_ticks([], [naibu, gaibu], g, scale)
    assert [w.text for w in reading.words] == ["⍰", "⍰"] and reading.faded
    alone = read_ticks([], [gaibu], g, scale)
    assert alone.words == [] and not alone.faded


def test_the_chance_of_specks_is_a_poisson_tail():
    from extract.sources.scan.marks import chance_of_specks

    assert chance_of_specks(0.0, 100.0, 1) == 0.0
    assert abs(chance_of_specks(0.01, 100.0, 1) - (1 - math.exp(-1))) < 1e-9
    assert abs(chance_of_specks(0.01, 100.0, 2) - (1 - 2 * math.exp(-1))) < 1e-9
    assert chance_of_specks(1e-4, 130.0, 3) < 1e-5


def test_page_grain_counts_open_paper_specks_only():
    from extract.sources.scan.marks import page_grain

    scale = 4.0
    clean = np.full((400, 400), 255, np.uint8)
    clean[100:110, 40:360] = 0  # a stroke is not grain
    assert page_grain(clean, scale) == 0.0
    noisy = clean.copy()
    for y, x in ((20, 20), (20, 300), (300, 50), (350, 350)):  # four 2x2 specks on open paper
        noisy[y:y + 2, x:x + 2] = 0
    noisy[112:114, 200:202] = 0  # one beside the stroke: not open paper
    paper_pt2 = 400 * 400 / scale ** 2
    assert 4 / paper_pt2 < page_grain(noisy, scale) < 4 / (0.8 * paper_pt2)


def test_a_ring_seen_only_on_average_over_noisy_paper_is_not_read_empty():
    # scan round 6, r16_a02 at 150 dpi, p. 2 (Ⅰ 2 ③ of システム1): the ○ of 宛名システム等, 税務システム and その他 print
    # at grey 225-235 on paper 248 with heavy grain; no threshold keeps the ring whole, so all three read empty
    # (three wrong ticks). Averaged along a ring they stand 13-14 levels darker than centre and surround; the
    # empty boxes of the same page (庁内連携システム of システム1, 税務システム and その他 of システム2) measure under 1
    from extract.sources.scan.marks import (
        RING_CONTRAST,
        apply_tick_marks,
        grey_in_empty,
        ring_contrast,
    )

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan6" / "r16_a02_juten_tottori_pref_chiho.scan150.pdf", 1)
    ticked = _marks(g, scale, 2, (206.17, 373.94, 217.43, 380.14), (425.76, 374.15, 436.80, 380.17),
                    (206.40, 392.15, 217.44, 398.17))
    empty = _marks(g, scale, 2, (425.76, 324.23, 437.04, 330.25), (425.52, 515.51, 436.80, 521.53),
                   (206.18, 533.57, 217.42, 539.95))
    assert all(m.ink < EMPTY_MAX for m in ticked + empty)
    assert all(ring_contrast(g, m, scale) >= RING_CONTRAST + 3 for m in ticked)
    assert all(ring_contrast(g, m, scale) < 2 and not grey_in_empty(g, m, scale) for m in empty)
    assert [w.text for w in apply_tick_marks([], ticked, g, scale)] == ["⍰", "⍰", "⍰"]


def test_a_ring_in_the_mottle_of_grey_paper_is_no_tick():
    # scan round 4, r14_b12 p. 6: paper mottled at grey ~209, the print at ~181; the empty box of 連絡先（電話番号等）
    # held a ring-shaped blot at the LIGHT level and nothing OCR read, and was taken for a faint ○ (a wrong tick).
    # Paper less than RING_PAPER_MARGIN lighter than LIGHT makes rings of its own: the box is unreadable instead
    from extract.sources.scan.marks import (
        LIGHT,
        RING_PAPER_MARGIN,
        paper_level,
        read_ticks,
        ring_in,
    )

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan4" / "r14_b12_zen_yamagata_pref_shogai.scan200.pdf", 5)
    box = (57.82, 376.52, 71.30, 382.36)
    (m,) = _marks(g, scale, 6, box)
    assert m.ink < EMPTY_MAX and ring_in(g, box, scale)
    assert paper_level(g, m, scale) - LIGHT < RING_PAPER_MARGIN
    assert [w.text for w in read_ticks([], [m], g, scale).words] == ["⍰"]


def test_a_large_printed_ring_is_a_ring():
    # scan round 7, r17_b03 p. 3 (Ⅰ 2 ③): renderer B prints a full-width ○ about 9.5 pt across; with a 9 pt cap on a
    # ring's size the ○ of その他 (ink 0.060, nothing read by OCR) was left unreadable; the empty box of 庁内連携システム has none
    from extract.sources.scan import ocr
    from extract.sources.scan.marks import ring_in

    with fitz.open(FIXTURES / "corpus" / "scan7" / "r17_b03_zen_hiji_kaigo.scan200.pdf") as doc:
        skew = ocr.page_skew(doc[2])
        g, _ = ocr.render_deskewed(doc[2], 300, skew if abs(skew) >= 0.05 else 0.0)
    scale = 300 / 72
    g = ocr.flatten_background(g, scale)  # the page pass's image
    sonota, chonai = (91.01, 242.99, 126.43, 249.73), (91.03, 173.17, 126.41, 180.11)
    assert ring_in(g, sonota, scale) and not ring_in(g, chonai, scale)


def test_a_box_split_by_a_cells_wrap_is_measured_not_read_empty():
    # scan round 12, r22_b05 p. 4 (Ⅱ 3 ① 入手元): the cell wraps inside "【 ○ 】", so "【 ○" ends a line and "】
    # 地方公共団体・地方独立行政法人" starts the next; the pair was never measured, and "【" "】" on two lines read as
    # an empty box (the key: ticked). The light ○ after the "【" is now measured, and no longer read as empty.
    from extract.sources.scan import ocr
    from extract.sources.scan.marks import read_ticks, wrapped_boxes
    from normalize.marks import UNKNOWN_MARK

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan12" / "r22_b05_juten_saga_jido.scan200.pdf", 3)
    g = ocr.flatten_background(g, scale)
    words = [Word("【", 280.2, 548.3, 283.3, 557.5, 4), Word("】", 317.0, 548.3, 320.1, 557.5, 4),
             Word("行政機関・独立行政法人等（厚生労働省）", 328.2, 548.1, 511.3, 558.0, 4),
             Word("【", 527.3, 548.4, 530.4, 557.4, 4),
             Word("】", 243.1, 562.0, 246.4, 570.1, 4), Word("地方公共団体・地方独立行政法人（都道府県）", 257.0, 561.2, 457.4, 571.0, 4)]
    marks = bracket_marks(g, words, scale, 4)
    (wrapped,) = wrapped_boxes(words, marks[:1])
    assert wrapped[0] > 530.4 and wrapped[2] - wrapped[0] > 25  # after the "【", as wide as the page's box
    decided = [w.text for w in read_ticks(words, marks, g, scale).words if w.x0 > 530]
    assert decided and decided[0] in ("○", UNKNOWN_MARK)
    # a "【" with a word after it on its line is no split box
    assert wrapped_boxes(words[:3] + [Word("【", 527.3, 548.4, 530.4, 557.4, 4), Word("X", 540, 548.4, 549, 557.4, 4)]
                         + words[4:], marks[:1]) == []


def test_a_pages_one_faint_ring_is_its_mark_at_the_level_it_shows():
    # scan round 12, r22_b05 p. 10: every ○ of the document is printed lighter than LIGHT, so each ticked box held
    # "grey strokes" and was unreadable; at the lighter level where they show, every mark on the page is the same
    # ring and the other boxes are blank. Ⅲ 8 ① (the last three boxes): 自己点検 and 外部監査 ticked, 内部監査 not.
    from extract.core.layout import Mark
    from extract.sources.scan import ocr
    from extract.sources.scan.marks import consistent_marks, mark_shape

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan12" / "r22_b05_juten_saga_jido.scan200.pdf", 9)
    g = ocr.flatten_background(g, scale)
    boxes = [Mark(239.1, 238.7, 272.1, 245.4, 10, 0.0), Mark(239.1, 252.8, 272.1, 259.4, 10, 0.0),
             Mark(239.1, 266.7, 272.1, 273.5, 10, 0.0), Mark(239.1, 353.4, 272.1, 360.1, 10, 0.0),
             Mark(341.8, 353.4, 374.6, 360.1, 10, 0.0), Mark(444.1, 353.4, 477.1, 360.1, 10, 0.0)]
    assert all(mark_shape(g, m, scale) == (0.0, 0.0, 0.0) for m in boxes)  # nothing at LIGHT
    assert consistent_marks(g, boxes, scale)[3:] == [True, False, True]
    assert consistent_marks(g, boxes, scale, lighter=False) is None  # a page of faint print: not looked for


def _a04_p3_words():
    """Scan round 14, r24_a04 p. 3, Ⅰ 2 ③ of systems 1 and 2 as PP-OCR read them: boxes printed "【 】", some read
    whole, others as "日 1", "C 1", "5 1", "Q 】", "K", or with a bracket dropped."""
    return [
        Word("】", 215.0, 320.6, 217.0, 327.8, 3), Word("情報提供ネットワークシステム", 225.4, 320.6, 344.6, 327.8, 3),
        Word("日", 404.2, 320.6, 405.8, 327.8, 3), Word("1", 433.4, 320.6, 435.1, 327.8, 3),
        Word("庁内連携システ", 443.8, 320.6, 502.6, 327.8, 3),
        Word("【", 185.8, 343.4, 187.7, 350.6, 3), Word("]", 215.0, 343.4, 217.0, 350.6, 3),
        Word("住民基本台帳ネットワークシステム", 225.6, 343.4, 361.9, 350.4, 3),
        Word("1", 404.2, 343.4, 405.8, 350.6, 3), Word("既存住民基本台", 444.0, 343.4, 502.6, 350.6, 3),
        Word("【", 185.8, 366.2, 187.4, 373.7, 3), Word("宛名システム等", 225.8, 366.2, 284.6, 373.4, 3),
        Word("Q", 404.2, 366.2, 405.8, 373.7, 3), Word("】", 433.4, 366.2, 435.1, 373.7, 3),
        Word("税務システム", 444.0, 366.2, 494.2, 373.7, 3),
        Word("【", 185.8, 464.4, 187.4, 471.4, 3), Word("]", 215.3, 464.4, 217.0, 471.6, 3),
        Word("情報提供ネットワークシステム", 225.6, 464.4, 344.4, 471.6, 3),
        Word("C", 404.2, 464.4, 405.8, 471.6, 3), Word("1", 433.4, 464.4, 435.1, 471.4, 3),
        Word("庁内連携システ", 444.0, 464.4, 502.3, 471.6, 3),
        Word("1", 215.0, 487.2, 217.0, 494.6, 3), Word("住民基本台帳ネットワークシステム", 227.8, 487.2, 361.7, 494.4, 3),
        Word("【", 404.2, 487.2, 405.8, 494.2, 3), Word("】", 433.4, 487.2, 435.1, 494.2, 3),
        Word("既存住民基本台", 443.8, 487.2, 502.6, 494.2, 3), Word("√", 416.9, 488.6, 421.9, 493.0, 3),
        Word("5", 185.8, 490.8, 187.4, 494.4, 3),
        Word("】", 215.0, 532.8, 216.7, 539.8, 3), Word("その他", 226.3, 532.8, 250.3, 539.8, 3),
        Word("（", 258.7, 532.8, 260.6, 539.8, 3), Word("）", 275.5, 532.8, 277.4, 540.5, 3),
        Word("K", 185.8, 536.2, 187.4, 539.8, 3),
    ]


def test_boxes_misread_by_ocr_are_found_like_the_pages_own_boxes():
    from extract.sources.scan.marks import boxes_like_the_page, page_box

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan14" / "r24_a04_zen_bihoro_yobo.scan200.pdf", 2)
    words = _a04_p3_words()
    box = page_box(g, words, scale)
    assert box is not None and abs(box.spacing / scale - 29.3) < 0.5
    out = boxes_like_the_page(g, words, scale)
    # every box of the two groups: "[" at 186 or 404, "]" at 215 or 433 (right ends at 22 and 44 tens of points)
    opened = {(round(w.x0 / 10), round((w.y0 + w.y1) / 20)) for w in out if w.text in "[【"}
    closed = {(round(w.x1 / 10), round((w.y0 + w.y1) / 20)) for w in out if w.text in "]】"}
    for y in (32, 35, 37, 47, 49):
        assert (19, y) in opened and (40, y) in opened, (y, sorted(opened))
        assert (22, y) in closed and (44, y) in closed, (y, sorted(closed))
    assert (19, 54) in opened and (22, 54) in closed  # "K", "】 その他"
    assert len(opened) == len(closed) == 11
    # the parentheses of "その他 （ ）" and the option labels are left as they were; the ✓ stays inside its box
    kept = {w.text for w in out}
    assert {"（", "）", "√", "庁内連携システ", "税務システム", "その他"} <= kept
    assert not {"日", "1", "C", "Q", "5", "K"} & kept
    assert len(bracket_marks(g, words, scale, 3)) == 4
    assert len(bracket_marks(g, out, scale, 3)) == 11


def test_a_page_with_one_box_read_whole_learns_nothing():
    from extract.sources.scan.marks import boxes_like_the_page, page_box

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan14" / "r24_a04_zen_bihoro_yobo.scan200.pdf", 2)
    words = [w for w in _a04_p3_words() if w.y0 < 400 or w.text not in "[]【】"]  # one whole box left: 【 ] at y 343
    assert page_box(g, words, scale) is None
    assert boxes_like_the_page(g, words, scale) == words


def test_the_half_of_a_wrapped_box_ends_at_its_cells_side():
    # scan round 10, r20_b05 p. 7: "【" ends a line and its "】" starts the next; the half after the "【", measured
    # as wide as the page's boxes, took in the cell's right side: read as grey ink, unreadable, and the page's every
    # box read empty left unknown with it
    from extract.sources.scan.marks import read_ticks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan10" / "r20_b05_juten_tokushima_pref_shogai.scan200.pdf", 6)
    words = [
        Word("【", 211.4, 415.0, 214.8, 424.6, 7), Word("】", 248.4, 415.0, 251.8, 424.3, 7),
        Word("連絡先（電話番号等）", 260.2, 415.2, 355.4, 425.0, 7),
        Word("【", 374.2, 415.4, 377.3, 424.3, 7), Word("】", 411.6, 415.2, 414.5, 424.1, 7),
        Word("その他住民票関係情報", 422.9, 415.2, 521.5, 424.6, 7), Word("【", 536.6, 415.4, 540.0, 424.1, 7),
        Word("】", 228.5, 428.2, 231.8, 437.3, 7), Word("国税関係情報", 240.0, 428.2, 298.8, 437.5, 7),
        Word("【", 314.2, 428.2, 317.5, 437.3, 7), Word("】", 351.4, 428.4, 354.7, 437.5, 7),
        Word("地方税関係情報", 362.4, 428.2, 431.5, 437.8, 7),
    ]
    marks = bracket_marks(g, words, scale, 7)
    wrapped = [m for m in marks if m.x0 > 530]
    assert len(marks) == 5 and len(wrapped) == 1
    assert 550 < wrapped[0].x1 < 557.5 and wrapped[0].ink == 0.0  # the side stands at about 557.5
    ticks = read_ticks(words, marks, g, scale)
    assert not ticks.faded and not [w for w in ticks.words if w.text in "○⍰"]


def test_a_page_whose_ticks_are_faint_rings_trusts_no_empty_box():
    # scan round 15, r25_b07 p. 3 (200 dpi, faded toner): each ○ is a small ring at grey 205-240 on paper 251, seen
    # only at a lighter level (unreadable, as it should be); the ring in 税務システム's box broke at that level and
    # no ink was found there: it read empty and was published unticked. A page where a ○ survives only as a faint
    # ring is a page where another may not survive at all
    from extract.sources.scan.marks import UNKNOWN_MARK, bracket_marks, read_ticks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan15" / "r25_b07_juten_kochi_yobo.scan200.pdf", 2)
    words = [
        Word("【", 255.4, 510.0, 258.2, 518.4, 3), Word("】", 290.6, 510.0, 293.5, 518.4, 3),
        Word("情報提供ネットワークシステム", 302.4, 510.2, 433.0, 518.4, 3), Word("【", 457.4, 510.0, 460.1, 518.4, 3),
        Word("】", 492.7, 510.0, 495.6, 518.4, 3), Word("宛名シス", 503.5, 510.0, 539.8, 518.4, 3),
        Word("【", 255.6, 538.8, 258.2, 547.2, 3), Word("】", 290.6, 538.8, 293.5, 547.2, 3),
        Word("庁内連携システム", 301.4, 539.0, 375.8, 547.2, 3), Word("【", 400.6, 538.8, 403.2, 547.2, 3),
        Word("】", 435.8, 538.8, 438.5, 547.2, 3), Word("税務システム", 446.6, 539.0, 501.8, 547.2, 3),
        Word("【", 255.6, 552.7, 258.2, 561.4, 3), Word("】", 290.6, 552.7, 293.5, 561.4, 3),
        Word("住民基本台帳ネットワークシステム", 301.4, 552.7, 451.9, 561.4, 3), Word("【", 476.4, 552.7, 479.3, 561.4, 3),
        Word("】", 511.7, 552.7, 514.6, 561.4, 3), Word("その", 523.0, 553.4, 540.0, 560.9, 3),
    ]
    marks = bracket_marks(g, words, scale, 3)
    assert len(marks) == 6
    reading = read_ticks(words, marks, g, scale)
    assert reading.faded
    states = {(round(m.x0 / 10), round(m.y0 / 10)): None for m in marks}
    for w in reading.words:
        if w.text in ("○", UNKNOWN_MARK):
            states[(round((w.x0 - 0.5) / 10), round((w.y0 + w.y1) / 20 - 0.3))] = w.text
    assert states[(40, 54)] == UNKNOWN_MARK, states  # 税務システム: ticked, its ring broken; unknown, not empty
    assert "○" not in states.values()


def test_a_box_whose_ink_is_not_the_pages_mark_is_not_called_empty():
    # scan round 15, r25_a04 p. 5 (under a swapped text layer): "【 レ 】 接続しない（入手） 【" wraps, its "レ 】" on the
    # next line at the cell's side; the レ is cut by that half-box's edge, so the page's one mark (the レ of the
    # first box) is not seen there, and the box was called blank like the page's empty boxes: Ⅳ 6 接続しない（提供）
    # published unticked
    from extract.sources.scan.marks import UNKNOWN_MARK, bracket_marks, read_ticks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan15" / "r25_a04_kiso_oita_pref_seiho.swapped200.pdf", 4)
    words = [
        Word("【", 366.7, 563.0, 369.4, 571.9, 5), Word("】", 398.9, 563.0, 401.5, 571.9, 5),
        Word("【", 220.3, 587.5, 223.0, 595.9, 5), Word("】", 251.0, 587.5, 253.4, 596.2, 5),
        Word("【", 220.6, 606.0, 223.0, 614.4, 5), Word("レ", 234.5, 607.0, 240.5, 613.7, 5),
        Word("】", 251.0, 606.0, 253.4, 614.4, 5), Word("【", 220.3, 624.0, 223.0, 632.4, 5),
        Word("】", 251.0, 624.0, 253.7, 632.4, 5),
        Word("【", 366.7, 644.2, 369.4, 653.0, 5), Word("レ", 381.6, 645.1, 387.8, 652.1, 5),
        Word("】", 399.1, 643.9, 401.8, 653.0, 5), Word("接続しない(入手)", 410.6, 644.2, 488.4, 652.8, 5),
        Word("【", 510.7, 643.9, 513.1, 653.0, 5), Word("6.情報提供ネットワークシステムとの接続", 54.7, 650.9, 234.2, 659.8, 5),
        Word("レ", 372.2, 658.8, 378.5, 665.8, 5), Word("】", 389.5, 657.6, 392.2, 666.7, 5),
        Word("接続しない", 401.0, 657.8, 443.5, 666.5, 5), Word("（提供）", 454.6, 657.8, 479.3, 666.5, 5),
        Word("【", 220.6, 674.6, 222.7, 683.3, 5), Word("】", 233.0, 674.6, 235.4, 683.0, 5),
    ]
    marks = bracket_marks(g, words, scale, 5)
    assert len(marks) == 7
    got = {round(w.y0 / 10): w.text for w in read_ticks(words, marks, g, scale).words if w.text in ("○", UNKNOWN_MARK)}
    # the page's two レ read as its one mark, its four empty boxes empty, the cut box unknown
    assert got == {61: "○", 65: "○", 66: UNKNOWN_MARK}, got


def test_a_box_column_is_its_two_leftmost_strokes():
    # scan round 16, r26_a09 p. 10 (bilevel): "【　●　】" boxes 32 pt wide, over the old 24 pt limit, in a column of
    # 19; the "]" column and the option labels' left edges (set flush left, they line up into a thin column) were
    # taken for the box, and all 19 boxes read ticked from the glyphs' ink (16 wrong ticks)
    from extract.forms.verify import VERIFY_DPI, page_skew, upright_crop
    from extract.sources.scan.marks import box_column

    with fitz.open(FIXTURES / "corpus" / "scan16" / "r26_a09_juten_nishiawakura_yobo.scan200.pdf") as doc:
        crop = upright_crop(doc[9], (202.3, 412.4, 543.7, 619.8), VERIFY_DPI, page_skew(doc[9]))
    inks = box_column(crop, VERIFY_DPI / 72)
    assert inks is not None and len(inks) == 19
    assert [n for n, ink in enumerate(inks, start=1) if ink >= TICKED_MIN] == [1, 4, 9]  # 個人番号, 4情報, 健康・医療
    assert all(ink <= EMPTY_MAX for ink in inks if ink < TICKED_MIN)


def test_a_cells_border_beside_a_box_column_is_no_bracket():
    # scan round 16, r26_a09 p. 3 (bilevel), Ⅰ 2 ③ of システム2: the label and its seven boxes were one OCR line, so
    # the crop read for the column starts at the label and holds the cell's border 8 pt left of the "【" column; the
    # border and the "【" were taken for a box, every box read empty, and 情報提供ネットワークシステム's ● was lost
    # (a wrong tick). A bracket's stem has arms at each box; the border has none.
    from extract.forms.verify import VERIFY_DPI, page_skew, upright_crop
    from extract.sources.scan.marks import box_column

    with fitz.open(FIXTURES / "corpus" / "scan16" / "r26_a09_juten_nishiawakura_yobo.scan200.pdf") as doc:
        crops = [upright_crop(doc[2], box, VERIFY_DPI, page_skew(doc[2]))
                 for box in ((50.37, 476.23, 543.38, 555.02), (50.37, 331.47, 543.38, 410.2))]
    second, first = (box_column(c, VERIFY_DPI / 72) for c in crops)
    assert second is not None and len(second) == 7 and first is not None and len(first) == 7
    assert [n for n, ink in enumerate(second, start=1) if ink >= TICKED_MIN] == [1]  # 情報提供ネットワークシステム
    assert [n for n, ink in enumerate(first, start=1) if ink >= TICKED_MIN] == [3, 4, 7]  # 住基ネット, 既存住基, その他
    assert all(ink <= EMPTY_MAX for ink in second + first if ink < TICKED_MIN)


def test_the_halves_of_a_wrapped_box_get_no_partner_from_the_cells_side():
    # scan round 16, r26_a09 p. 19 (bilevel): "い（入手） 【 ●" ends a line and "】 接続しない（提供）" starts the next; the
    # cell's left border was taken for the "[" of that "】", the box between them read empty, and the ● after the
    # "【" was never measured: Ⅲ 6 接続しない（提供） published unticked
    from extract.sources.scan.marks import bracket_marks, read_ticks, restore_brackets

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan16" / "r26_a09_juten_nishiawakura_yobo.scan200.pdf", 18)
    words = [
        Word("】", 489.4, 548.4, 491.3, 557.0, 19), Word("接続しな", 501.1, 548.4, 540.0, 557.0, 19),
        Word("6.情報提供ネットワークシステムとの接続", 54.0, 563.0, 252.0, 573.0, 19),
        Word("い（入手）", 449.0, 558.0, 492.0, 567.0, 19), Word("【", 515.0, 558.0, 517.0, 567.0, 19),
        Word("】", 459.0, 568.0, 462.0, 577.0, 19), Word("接続しない", 471.0, 568.0, 516.0, 577.0, 19),
        Word("（提", 527.0, 568.0, 540.0, 577.0, 19), Word("供)", 451.0, 578.0, 462.0, 587.0, 19),
    ]
    words = restore_brackets(g, words, scale)
    assert not [w for w in words if w.text in "[【" and w.x0 < 455]  # no "[" at the cell's side
    marks = bracket_marks(g, words, scale, 19)
    ticked = [w for w in read_ticks(words, marks, g, scale).words if w.text == "○"]
    assert [(round(w.x0 / 10), round((w.y0 + w.y1) / 20)) for w in ticked] == [(52, 56)]  # the ● after the "【"


def test_the_half_of_a_wrapped_box_ends_at_a_grey_side_under_speckle():
    # scan round 18, r28_b02 p. 10 (grey JPEG, speckle over the right of the page): the cell's right side is grey,
    # below DARK over under half the band; the half box after the line's last "【" ran past it, its remnants read as
    # grey ink, and the page's every empty box was left unknown (31 boxes)
    from extract.sources.scan import ocr
    from extract.sources.scan.marks import read_ticks

    g, scale = _page_as_ocr(FIXTURES / "corpus" / "scan18" / "r28_b02_juten_kofu_koki.scan200.pdf", 9)
    g = ocr.flatten_background(g, scale)  # the page pass's image
    words = [
        Word("【", 428.6, 652.1, 431.9, 660.2, 10), Word("】", 448.0, 652.1, 450.7, 660.2, 10),
        Word("庁内連携システム", 457.9, 652.1, 530.6, 660.2, 10), Word("【", 541.9, 652.1, 546.7, 660.2, 10),
        Word("】", 226.0, 665.8, 228.9, 673.9, 10), Word("情報提供ネットワークシステム", 235.9, 665.8, 360.7, 673.9, 10),
    ]
    marks = bracket_marks(g, words, scale, 10)
    wrapped = [m for m in marks if m.x0 > 540]
    assert len(wrapped) == 1 and 553 < wrapped[0].x1 < 556.5 and wrapped[0].ink == 0.0  # the side at about 556
    ticks = read_ticks(words, marks, g, scale)
    assert not ticks.faded
