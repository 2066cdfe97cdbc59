"""The scanned fixtures read end to end: values the OCR path must find, and values it must leave
undetermined (with the reason) rather than guess."""

import json

import numpy as np
import pytest
from conftest import FIXTURES
from conftest import field_of as _field

from extract.forms.interpret import option_boxes
from extract.sources.scan.marks import ring_in, tick_with_shape
from normalize.marks import TICKED, UNTICKED

SCAN = FIXTURES / "scan"


@pytest.fixture(scope="module")
def juten():
    from pipelines.process import process_file

    return process_file(SCAN / "juten_gyokuto_kokuho.scan200.pdf")


def _ticks(fv):
    return {o.label: o.checked for o in fv.options}


def test_scan_selection_read_through_misread_label(juten):
    # the label cell reads "め①ファイルの種類": a speck before the item number
    f = _field(juten, "II.2.1", 1)
    assert f.ok and f.value_text == "その他の電子ファイル（表計算ファイル等）"
    assert f.evidence.method == "ocr"


def test_scan_checkbox_under_cut_section_heading(juten):
    # the heading "8. 監査" reads "8 .監"; its checkbox must still be scoped and read from the ink
    f = _field(juten, "III.8.1", 1)
    assert f.ok
    assert _ticks(f) == {"自己点検": True, "内部監査": False, "外部監査": True}


def test_scan_checkbox_with_single_glyph_option_misread(juten):
    f = _field(juten, "II.5.teikyo.6", 1, 1)
    assert f.ok
    assert _ticks(f)["情報提供ネットワークシステム"] is True
    assert _ticks(f)["紙"] is False


def test_scan_bracket_stem_read_twice_is_not_a_mark(juten):
    # "[| ] 学校・教育関係情報": the bracket's stem read a second time as "|" at the box's edge; the
    # box is decided by its (blank) ink, and every box of the group is read
    f = _field(juten, "II.2.4a", 1)
    assert f.ok
    assert _ticks(f)["個人番号"] is True and _ticks(f)["学校・教育関係情報"] is False
    assert _ticks(f)["その他"] is True
    assert juten.identity.form_type == "重点項目評価書"


def test_scan_date_confirmed_by_a_second_reading(juten):
    # Tesseract's page pass read 令和1年10月6日 here (a dropped "1", settled then by a third reading: the
    # mechanism is tested in test_ocr_verify.py); PP-OCR reads 10月16日, and Tesseract's 400-dpi reading
    # of the cell agrees, so no third reading is needed
    pub = _field(juten, "cover.published")
    assert pub.ok and pub.value_date == "2019-10-16" and pub.date_precision == "day"
    assert "two of three" not in (pub.reason or "")
    assert juten.identity.published == "2019-10-16"


def _ring_image(kind: str, scale: float = 300 / 72) -> tuple[np.ndarray, tuple]:
    """A white page with one mark drawn between (imaginary) brackets at 10..24 x 10..18 pt."""
    g = np.full((120, 140), 255, np.uint8)
    yy, xx = np.mgrid[0:120, 0:140]
    cx, cy = 17 * scale, 14 * scale
    if kind == "ring":  # a faint printed ○ 3.4 pt across, grey strokes
        r = np.hypot(xx - cx, yy - cy)
        g[(r > 5.5) & (r < 7.2)] = 170
    elif kind == "comma":  # 、
        g[(abs(xx - yy * 0.8 - (cx - cy * 0.8)) < 1.5) & (abs(yy - cy) < 4)] = 60
    elif kind == "stem":  # a bracket stem inside the box reaching its edge
        g[int(9 * scale):int(19 * scale), int(10 * scale):int(10 * scale) + 3] = 40
    return g, (10, 10, 24, 18)


@pytest.mark.parametrize("kind,expected", [("ring", True), ("comma", False), ("stem", False), ("blank", False)])
def test_ring_shape(kind, expected):
    g, box = _ring_image(kind)
    assert ring_in(g, box, 300 / 72) is expected


def test_ring_decides_only_where_ink_share_and_ocr_leave_it_open():
    # faint ring, OCR read "?": ticked with lower confidence and the reason says why
    state, conf, reason = tick_with_shape(0.02, "?", ring=True)
    assert state == "ticked" and conf < 0.85 and "ring-shaped" in reason
    # a stroke reading blocks the ring; no ring leaves it unreadable
    assert tick_with_shape(0.02, "1", ring=True)[0] == "unreadable"
    assert tick_with_shape(0.02, "?", ring=False)[0] == "unreadable"
    # nothing read and no ring: blank
    assert tick_with_shape(0.0, "", ring=False)[0] == "unticked"
    # a small faint ○ on a light scan (juten_yatsushiro_juki p. 9, "[ S ] 電子メール"): next to no ink
    # below the dark threshold and one glyph read, which alone would be a speck; the ring says circle
    assert tick_with_shape(0.003, "S", ring=True)[0] == "ticked"
    assert tick_with_shape(0.003, "S", ring=False)[0] == "unticked"


MARKS = SCAN / "marks"  # boxes cut from the deskewed 300-dpi render of .bench/scans/zen_asahikawa_tax.scan200.pdf


@pytest.mark.parametrize("name,box,state", [
    # "[ ○ ] 災害関係情報" (p. 14) and "[ ○ ] 国税関係情報" (p. 16): faint small circles OCR dropped, with
    # next to no ink below the dark threshold; the answer key has both ticked
    ("asahikawa_p14_faint_ring", (6.16, 4.12, 15.26, 12.12), "ticked"),
    ("asahikawa_p16_faint_ring", (6.2, 4.12, 20.5, 9.22), "ticked"),
    ("asahikawa_p14_blank", (6.18, 4.14, 15.48, 11.94), "unticked"),  # "[ ] 年金関係情報" on the same page
])
def test_faint_ring_with_nothing_read_is_ticked_by_its_shape(name, box, state):
    from PIL import Image

    from extract.sources.scan.marks import ink_ratio

    g = np.array(Image.open(MARKS / f"{name}.png"))
    ink = ink_ratio(g, box, 300 / 72)
    assert ink < 0.01  # the ink share alone says blank
    got, conf, reason = tick_with_shape(ink, "", ring_in(g, box, 300 / 72))
    assert got == state
    if state == "ticked":
        assert conf < 0.85 and "ring-shaped" in reason


OPTS = ("庁内連携システム", "専用線", "電子メール", "電子記録媒体（フラッシュメモリを除く。）", "フラッシュメモリ", "紙", "その他")


def test_box_identified_by_place_only_in_a_consistent_order():
    text = ("[ ○ ] 庁内連携システム [ ] 専用勿 [ ○ ] 電子メール [ ] 電子記録媒体(フラッシュメモリを除く。 ) "
            "[ ] フラッシュメモリ [ ] 艇 [ ] その他( )")
    states, _ = option_boxes(text, OPTS, ocr=True)
    assert {n: st for n, (st, _, _) in states.items()} == {
        1: TICKED, 2: UNTICKED, 3: TICKED, 4: UNTICKED, 5: UNTICKED, 6: UNTICKED, 7: UNTICKED}
    # two unknown boxes where one option is missing: neither is identified
    text2 = "[ ○ ] 庁内連携システム [ ] 専用勿 [ ] 何か [ ○ ] 電子メール"
    states2, _ = option_boxes(text2, OPTS, ocr=True)
    assert 2 not in states2
    # recognised boxes out of the printed order: no inference at all
    text3 = "[ ] 電子メール [ ] 艇 [ ○ ] 庁内連携システム"
    states3, _ = option_boxes(text3, OPTS, ocr=True)
    assert set(states3) == {1, 3}
    # text layers never infer
    states4, _ = option_boxes(text, OPTS, ocr=False)
    assert 2 not in states4 and 6 not in states4


# ------------------------------------------------- a blurred scan from another scanner (kiso_koshi_jidou)
@pytest.fixture(scope="module")
def blurred():
    from pipelines.process import process_file

    return process_file(SCAN / "kiso_koshi_jidou.scan200.pdf")


def test_blurred_scan_part_heading_under_speck_line(blurred):
    # the Ⅳ heading cell reads "ーー\nIV リスク対策" (a speck line above it): Ⅳ must still open
    assert _field(blurred, "IV.2.1").value_text == "特に力を入れている"
    assert _field(blurred, "IV.3.2").value_text == "特に力を入れている"
    assert _field(blurred, "IV.4.1").value_text == "十分である"


def test_blurred_scan_next_section_with_one_misread_glyph(blurred):
    # "3. 時大事故" for 3. 重大事故 (next in order), "8.監湯" for 8. 監査
    assert _field(blurred, "II.3.1").value_text == "発生あり"
    assert _ticks(_field(blurred, "IV.8.1")) == {"自己点検": True, "内部監査": True, "外部監査": True}


def test_blurred_scan_threshold_answer_read_by_pp_ocr(blurred):
    # Tesseract read "[ 基礎項目評価及び年点項目評価の実施が義務付けられる ]" here (left undetermined, below);
    # PP-OCR reads the option as printed
    f = _field(blurred, "III.1")
    assert f.ok and f.value_text == "基礎項目評価及び重点項目評価の実施が義務付けられる"


def test_ambiguous_ocr_option_is_not_guessed():
    # 年点 is one glyph from 重点 and two from 全: too close to call between the options
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    assert _ocr_option("基礎項目評価及び年点項目評価の実施が義務付けられる", OPTION_LISTS["SHIKII-KISO"]) is None


def test_the_start_of_two_options_is_no_option():
    # scan round 8, r18_b10 Ⅳ 1: "[ 基礎項目評価" and its line's tail "書及び重点項目評価書 ]" were read as two lines,
    # and the first, a glyph from 基礎項目評価書, was taken for it (the key: 基礎項目評価書及び重点項目評価書)
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    shurui = OPTION_LISTS["KISO-SHURUI"]
    assert _ocr_option("基礎項目評価", shurui) is None
    assert _ocr_option("基礎頂目評価書及び全項目評価書", shurui).number == 3  # a misread glyph is still read


def test_blurred_scan_affair_and_title(blurred):
    # Tesseract's page pass read 児産手当の支給に関する先務, 喝産手当…事務 and 児産手当の支始に関する事務 here (a vote
    # with the 宣言's second reading settled it); PP-OCR reads all three as printed
    key = json.loads((SCAN / "kiso_koshi_jidou.scan200.key.json").read_text(encoding="utf-8"))
    assert blurred.identity.affair == key["identity"]["affair"] == "児童手当の支給に関する事務"
    assert blurred.identity.title.split() == key["identity"]["title"].split()
    assert _field(blurred, "cover.title").ok


def test_wide_bracket_cut_back_so_the_box_holds_the_circle():
    # zen_asahikawa_tax scan p. 8, "[ ○ ] 紙": OCR read "[ ○" as one "[" 9.8 pt wide and "] 紙" as one "1"
    # (restored to "]"); the box between them missed the ○ and the tick read as blank
    from PIL import Image

    from extract.core.layout import Word
    from extract.sources.scan.marks import bracket_marks, trim_wide_brackets

    g = np.array(Image.open(MARKS / "asahikawa_p8_wide_bracket.png"))  # cut at (366, 358) pt
    o = Word("[", 371.76 - 366, 364.8 - 358, 381.6 - 366, 371.52 - 358, 8, 7.44, 0.98)
    c = Word("]", 388.56 - 366, 364.08 - 358, 402.48 - 366, 371.52 - 358, 8, 7.44, 0.87)
    scale = 300 / 72
    before = bracket_marks(g, [o, c], scale, 8)[0]
    assert not ring_in(g, (before.x0, before.y0, before.x1, before.y1), scale)
    o2, c2 = trim_wide_brackets(g, [o, c], scale)
    assert o2.x1 - o2.x0 < 4 and c2.x1 - c2.x0 < 4  # each cut back to its own stroke
    after = bracket_marks(g, [o2, c2], scale, 8)[0]
    assert ring_in(g, (after.x0, after.y0, after.x1, after.y1), scale)
    assert tick_with_shape(after.ink, "", True)[0] == "ticked"
    # a bracket word of normal width is left alone
    assert trim_wide_brackets(g, [o2], scale) == [o2]


def test_closing_bracket_glued_to_the_label_is_split_off():
    # zen_kumamoto_city_juki scan p. 9, "[ ] その他( )" read as "[" and "1その他(" (the "]" glued on)
    from PIL import Image

    from extract.core.layout import Word
    from extract.sources.scan.marks import restore_brackets

    g = np.array(Image.open(MARKS / "city_juki_p9_glued_bracket.png"))  # cut at (176, 396) pt
    o = Word("[", 182.16 - 176, 401.04 - 396, 183.84 - 176, 407.76 - 396, 9, 7.2, 0.97)
    w = Word("1その他(", 198.96 - 176, 400.56 - 396, 235.44 - 176, 407.76 - 396, 9, 7.2, 0.97)
    out = restore_brackets(g, [o, w], 300 / 72)
    assert [x.text for x in sorted(out, key=lambda x: x.x0)] == ["[", "]", "その他("]
    # a word that begins well before the stroke ("[ 1万人未満 ]": a value) is left alone
    near = Word("1その他(", o.x1 + 1.0, w.y0, o.x1 + 37.5, w.y1, 9, 7.2, 0.97)
    assert [x.text for x in restore_brackets(g, [o, near], 300 / 72) if x.text == "]"] == []


KIROKU = ("個人番号", "個人番号対応符号", "その他識別情報（内部番号）", "4情報（氏名、性別、生年月日、住所）",
          "連絡先（電話番号等）", "その他住民票関係情報", "国税関係情報", "その他")


@pytest.mark.parametrize("label,option", [
    ("その他住民環関係情報", 6),  # zen_asahikawa_tax scan p. 14: not その他, which is printed on its own line
    ("その他和住民票関係情報", 6),
    ("その他( )", 8),
    ("その他 ( 団体内統合宛名システム )", 8),
    ("その他識別情報( 内部番号 )", 3),
])
def test_ocr_label_that_starts_with_a_shorter_option(label, option):
    from extract.forms.interpret import option_of

    assert option_of(label, KIROKU, ocr=True)[0] == option


@pytest.mark.parametrize("read,lid,want", [
    # the い of "ない" as OCR read it on the scans (zen_asahikawa_tax, zen_kumamoto_city_juki, zen_yatsushiro_kokuho)
    ("政府機関ではなし1!", "G-JUNSHU", "政府機関ではない"),
    ("十分に整備していな!!", "G-SEIBI", "十分に整備していない"),
    ("十分に周知していなし", "G-SHUCHI", "十分に周知していない"),
    ("行っていな!い!", "B-OKONAU", "行っていない"),
    ("発生なし", "B-HASSEI", "発生なし"),  # an option that ends in なし is not turned into ない
    ("行っている", "B-OKONAU", "行っている"),
])
def test_ocr_nai_ending(read, lid, want):
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    got = _ocr_option(read, OPTION_LISTS[lid])
    assert got is not None and got.text == want


def test_scanned_kiso_file_list_confirmed_by_its_binarised_reading():
    # kiso_kumamoto_pref_seiho scan: the list cell read again from grey pixels says 生消保詳ファイル"; the
    # binarised reading (生活保席, corrected by the vocabulary) echoes the page pass's 生活保護ファイル
    from pipelines.process import process_file

    key = json.loads((SCAN / "kiso_kumamoto_pref_seiho.scan200.key.json").read_text(encoding="utf-8"))
    r = process_file(SCAN / "kiso_kumamoto_pref_seiho.scan200.pdf")
    assert r.identity.file_names == key["identity"]["file_names"] == ["生活保護ファイル"]


def test_scanned_kiso_part_opened_by_its_item_label_one_glyph_off():
    # kiso_yamae_seiho scan p. 2: "Ⅲ しきい値判断結果" read "しきい値午断千果 ーー", its item's label
    # "しきい値痢断結果": Ⅲ opens at the label, so its answer is read, and Ⅱ 3's is no longer a conflict
    from pipelines.process import process_file

    r = process_file(SCAN / "kiso_yamae_seiho.scan200.pdf")
    assert _field(r, "II.3.1").value_text == "発生なし"
    assert _field(r, "III.1").value_text == "特定個人情報保護評価の実施が義務付けられない"


def test_specks_read_after_a_heading_title_are_no_value():
    # 150 dpi: "2. 特定個人情報ファイル名 ーー" — the rule's specks after the title had become a second file
    from pipelines.process import process_file

    result = process_file(SCAN / "kiso_gyokuto_juki.scan150.pdf")
    key = json.loads((SCAN / "kiso_gyokuto_juki.scan150.key.json").read_text(encoding="utf-8"))
    assert result.identity.file_names == key["identity"]["file_names"] == ["住民基本台帳ファイル"]


def test_a_cover_whose_title_went_unread_is_its_form_by_the_version_stamp():
    # scan round 10, r20_a10 p. 1 at 200 dpi: a black smear lies over the title line, so no 特定個人情報保護評価書
    # title was read and the scan was "not an assessment"; its stamp (様式2) and three of the cover's labels were read
    from extract.core.segments import Segment
    from extract.forms.parse import detect_form

    read = ["1]", "[ 平成28年1月 様式2", "評価書番号", "2", "固人の プライバ シー等の権利 利益の保護の宣言", "特記事項",
            "令和7年度中にガバ メントクラウドへ移 行する予定である。", "評価実施機関名", "高知市長", "公表曰", "平成29年12月6日"]
    segments = [Segment(t, page=1, method="ocr") for t in read]
    assert detect_form(segments).form_type == "基礎項目評価書"
    # a stamp without the cover's labels (a pack quoting one), or the labels without a stamp, name no form
    assert detect_form([s for s in segments if s.text not in ("評価書番号", "特記事項")]) is None
    assert detect_form([s for s in segments if "様式" not in s.text]) is None


def test_a_list_of_the_forms_is_no_title():
    # scan round 11, r21_a06 p. 1-4 at 200 dpi: the title read "（基啶項目評価書）", and Ⅲ 1's list of choices on p. 4
    # ("基礎項目評価及び全項目評価の実施が…", within the first 80 segments) named 全項目評価書 first: the whole
    # 基礎 document was read against the 全項目 form. A line naming several forms names none; p. 2's stamp decides.
    from extract.core.segments import Segment
    from extract.forms.parse import detect_form

    read = ["[ 平成29年5月樣式2 ]", "特定個人情報保護評価書 （基啶項目評価書）", "評価書番号", "評価書名", "14",
            "特記事項", "評価実施機関名", "鳥取県知事", "[平成29年5月 様式2]",
            "く選択肢>①基礎項目評価及び全項目評価の実施が義務付けられる\n基礎項目評価及び重点項目評価の実施が義務付けられる"
            "基礎項目\n平価の実施が義務付けられる ④特定個人情報保護評価の実施が義務付\ntられない"]
    segments = [Segment(t, page=1 if i < 8 else 2 if i == 8 else 4, method="ocr") for i, t in enumerate(read)]
    assert detect_form(segments).form_type == "基礎項目評価書"
    # without the stamps nothing names the form; p. 1's stamp alone, read with the old form 樣, names it
    assert detect_form([s for s in segments if "式" not in s.text]) is None
    assert detect_form([s for s in segments if "様式" not in s.text]).form_type == "基礎項目評価書"


def test_a_group_label_read_again_after_later_items_starts_a_group_of_unknown_number():
    # scan round 5, r15_a02 p. 5 (as this code reads it): 提供先1's ⑤ label was misread ("5提供する 情報の 対象と なる本
    # の範") and the heading "提供先2 他の市町村長" was lost; 提供先2's ⑤ and its value were bound to 提供先1
    from extract.core.enums import InputKind
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.model import FORMS
    from extract.forms.parse import parse_form

    read = ["Ⅱ 特定個人情報ファイルの概要", "1. 特定個人情報ファイル名", "障害者福祉ファイル",
            "5. 特定個人情報の提供・移転（委託に伴うものを除く。）", "提供先1 都道府県知事",
            "①法令上の根拠", "番号法第19条第8号", "②提供先における用途", "番号法別表に定める事務の処理に必要な範囲での利用",
            "5提供する 情報の 対象と なる本 の範", "福井市に住所を有する障害者及びその家族", "⑦時期・頻度", "随時",
            "①法令上の根拠", "番号法第19条第8号に基づく主務省令第2条の表", "②提供先における用途",
            "番号法別表に定める事務の処理に必要な範囲での利用",
            "⑤提供する情報の対象となる本人の範囲", "転出者を含む過去の障害者及びその家族", "⑦時期・頻度", "年1回（6月）"]
    doc = SegmentedDocument("x.pdf", InputKind.PDF_SCAN, [Segment(t, page=5, method="ocr") for t in read], 5)
    fields = parse_form(doc, FORMS["重点項目評価書"]).fields

    def got(key, group):
        return [(f.value_text, f.status) for f in fields if f.key == key and f.file_no == 1 and f.group_no == group]

    assert got("II.5.teikyo.1", 1) == [("番号法第19条第8号", "ok")]
    assert got("II.5.teikyo.5", 1) == []  # its label unread: not the next group's value
    lost = [f for f in fields if f.key == "II.5.teikyo.5" and f.group_no is None]
    assert lost and lost[0].value_text is None and lost[0].reason.startswith("not-found: the heading of this item's group")
    # with the heading read, the second group's values are its own
    with_heading = read[:13] + ["提供先2 他の市町村長"] + read[13:]
    doc = SegmentedDocument("x.pdf", InputKind.PDF_SCAN, [Segment(t, page=5, method="ocr") for t in with_heading], 5)
    fields = parse_form(doc, FORMS["重点項目評価書"]).fields
    assert got("II.5.teikyo.5", 2) == [("転出者を含む過去の障害者及びその家族", "ok")]


A05_P4 = [  # scan round 15, r25_a05 p. 4 as read (text, box, ruled band): 主な記録項目 is centred in its tall row
    ("④記録される項目", (37.5, 290.8, 111.1, 299.6), (289.4, 336.4)),
    ("<選択支>1)10項目未満 2)", (423.1, 291.0, 546.0, 300.4), (289.4, 336.4)),
    ("[ 50項目以上100項目未満 ]", (37.7, 300.6, 166.8, 310.0), (289.4, 336.4)),
    ("10項目 以上50項目未満 3)", (423.6, 300.6, 540.3, 310.0), (289.4, 336.4)),
    ("50項目 以上100項目未満 4)", (423.4, 310.2, 546.3, 319.6), (289.4, 336.4)),
    ("100項 目以上", (423.6, 319.6, 477.4, 328.0), (289.4, 336.4)),
    ("[ ○ ] 個人番号 [ ○ ] 個人番号対応符号 [ ] その他識別情報（内部番号）", (184.1, 338.0, 539.3, 347.4), (336.4, 436.9)),
    ("] 4情報（氏名、性別、生年月日、 住所） [", (224.7, 347.4, 408.5, 356.8), (336.4, 436.9)),
    ("連絡先（電話番号等）", (439.5, 347.4, 527.5, 356.0), (336.4, 436.9)),
    ("[ 1その他住民票関係情報 [", (184.1, 357.2, 321.9, 366.6), (336.4, 436.9)),
    ("] 国税関係情報 [ ○ ] 地方税関係情報 [", (347.8, 357.2, 533.5, 365.6), (336.4, 436.9)),
    ("] 健康・医療関係情報 [", (193.7, 366.8, 295.0, 375.0), (336.4, 436.9)),
    ("] 医療保険関係情報 [", (320.7, 366.8, 412.8, 375.0), (336.4, 436.9)),
    ("] 児童福祉・子育て関係情", (438.7, 366.8, 546.7, 375.0), (336.4, 436.9)),
    ("報 [ ○ ] 障害者福祉関係情報", (183.9, 376.2, 323.5, 384.4), (336.4, 436.9)),
    ("] 生活保護・社会福祉関係情報 [", (366.0, 376.2, 505.5, 384.4), (336.4, 436.9)),
    ("介", (536.7, 376.2, 544.8, 384.4), (336.4, 436.9)),
    ("主な記録項目", (37.7, 382.4, 92.2, 390.8), (336.4, 436.9)),
    ("護・高齡者福祉関係情報 [ ] 雇用・労働関係情報 [ ○ ] 年金関係情報 []", (183.9, 376.7, 532.6, 394.9), (336.4, 436.9)),
    ("] 学校・教育関係情報 [ ] 災害関係情報 [ ]1その他( )", (193.2, 394.9, 475.5, 404.3), (336.4, 436.9)),
]


@pytest.mark.parametrize("ruled", [True, False])
def test_lines_read_before_a_centred_label_in_its_ruled_row_are_its_value(ruled):
    # reading order put six lines of 主な記録項目's boxes before its label, in ④記録される項目's region: ④ read its
    # own value and 14 boxes more (undetermined), and 主な記録項目 found 4 of its 19 options. The rules around the rows
    # (light hair borders, a band per line) say which row each line is in
    from extract.core.enums import InputKind
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.model import FORMS
    from extract.forms.parse import parse_form

    head = [Segment(t, page=4, method="ocr") for t in
            ("Ⅱ 特定個人情報ファイルの概要", "1. 特定個人情報ファイル名", "生活保護医療扶助ファイル", "2. 基本情報")]
    segs = [Segment(t, page=4, bbox=b, method="ocr", band=band if ruled else None) for t, b, band in A05_P4]
    fields = parse_form(SegmentedDocument("x.pdf", InputKind.PDF_SCAN, head + segs, 4), FORMS["重点項目評価書"]).fields
    (count,) = [f for f in fields if f.key == "II.2.4"]
    (items,) = [f for f in fields if f.key == "II.2.4a"]
    states = {o.label: o.checked for o in items.options}
    if not ruled:
        assert count.value_text is None and states["個人番号"] is None
        return
    assert count.value_text == "50項目以上100項目未満"
    # every box read is as the document has it (the key); boxes whose brackets were misread stay unknown
    assert {k for k, v in states.items() if v} == {"個人番号", "個人番号対応符号", "地方税関係情報", "障害者福祉関係情報", "年金関係情報"}
    assert {k for k, v in states.items() if v is False} == {
        "その他識別情報（内部番号）", "国税関係情報", "健康・医療関係情報", "医療保険関係情報", "児童福祉・子育て関係情報",
        "雇用・労働関係情報", "災害関係情報", "その他"}


B11_P12 = [  # scan round 11, r21_b11 p. 12 as read (text, box, ruled band)
    ("IV開示請求、問い合わせ", (60.1, 62.1, 188.0, 72.9), None),
    ("1.特定個人情報の開示・訂正・利用停止請求", (60.1, 85.2, 265.0, 94.3), (79.2, 131.2)),
    ("①請求先", (60.1, 105.1, 94.6, 113.2), (79.2, 131.2)),
    ("⍰951-3034日出町本町2丁目3番地", (234.3, 104.8, 382.6, 113.2), (79.2, 131.2)),
    ("市民課（電話093-794-8949）", (233.4, 118.3, 362.0, 126.9), (79.2, 131.2)),
    ("②請求方法", (60.1, 136.0, 103.5, 144.2), (131.2, 183.8)),
    ("指定様式による書面の提出により開示・訂正・利用停止請求を受け付ける。", (233.4, 135.8, 532.4, 144.2), (131.2, 166.0)),
    ("③法令による特別の手続", (60.1, 153.3, 157.5, 161.5), (131.2, 183.8)),
    ("④個人情報ファイル簿への不記載等", (60.1, 170.8, 202.4, 179.0), (131.2, 183.8)),
    ("2.特定個人情報ファイルの取扱いに関する問合せ", (59.4, 189.6, 284.7, 198.7), (183.8, 204.7)),
    ("①連絡先", (63.0, 209.5, 94.6, 217.6), (183.8, 266.8)),
    ("日出町市民課", (234.3, 209.5, 286.6, 217.6), (204.7, 266.8)),
    ("〒951-3034日出町本町2丁目3番地", (234.1, 222.7, 382.4, 230.8), (204.7, 266.8)),
    ("電話093-794-8949", (233.4, 236.4, 319.0, 244.5), (204.7, 266.8)),
    ("②対応方法", (60.1, 253.6, 103.5, 261.8), (204.7, 266.8)),
    ("問合せの受付時に記録を残し、 担当課において回答する。", (233.4, 253.6, 460.4, 262.0), (204.7, 266.8)),
]


def test_a_label_inside_the_next_labels_ruled_row_keeps_its_lines():
    # the rule over ①連絡先's row was found right of its label only, and the rule between ① and ② not at all: ①'s
    # label has a band of its own, but it lies inside ②対応方法's; the address lines are ①'s, not ②'s
    from extract.core.enums import InputKind
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.model import FORMS
    from extract.forms.parse import parse_form

    segs = [Segment(t, page=12, bbox=b, method="ocr", band=band) for t, b, band in B11_P12]
    fields = parse_form(SegmentedDocument("x.pdf", InputKind.PDF_SCAN, segs, 12), FORMS["重点項目評価書"]).fields
    got = {f.key: f.value_text for f in fields if f.key in ("IV.2.1", "IV.2.2")}
    assert got == {"IV.2.1": "日出町市民課\n〒951-3034日出町本町2丁目3番地\n電話093-794-8949",
                   "IV.2.2": "問合せの受付時に記録を残し、 担当課において回答する。"}


def test_a_flag_is_not_read_from_its_siblings_box():
    # scan round 16, r26_a09 p. 19: the first flag's "【 ●" was lost, so "】 接続しない（入手）" has no box; the box of
    # 接続しない（提供）, one glyph of OCR away from it, was taken for the first flag's as well
    from extract.core.enums import InputKind
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.model import FORMS
    from extract.forms.parse import parse_form

    read = ["Ⅲ リスク対策※（7．②を除く。） （1 予防接種台帳ファイル）", "1. 特定個人情報ファイル名", "予防接種台帳ファイル",
            "6.情報提供ネットワークシステムとの接続", "】 接続しな\nい（入手） 【 ○\n】 接続しない （提\n供)",
            "リスク1 :目的外の入手が行われるリスク"]
    doc = SegmentedDocument("x.pdf", InputKind.PDF_SCAN, [Segment(t, page=19, method="ocr") for t in read], 19)
    got = {f.key: (f.status, f.value_text) for f in parse_form(doc, FORMS["重点項目評価書"]).fields
           if f.key.startswith("III.6.flag")}
    assert got["III.6.flag2"] == ("ok", "接続しない（提供）")
    assert got["III.6.flag1"][0] == "undetermined"
