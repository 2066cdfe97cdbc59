"""The second and third OCR readings: which reading wins, and when nothing does (pure functions; one box
cell is read again from a committed scan)."""

import json
from dataclasses import replace

import pytest
from conftest import FIXTURES

from extract.core.fields import CheckOption, Evidence, FieldValue
from extract.forms.fuzzy import fix_day
from extract.forms.identity import listed_file_names, per_file_names, vote
from extract.forms.ocr_recovery import drop_speck_lines
from extract.forms.verify import _confirm_other_text, _settle_digits, reread_value, two_of_three


def _day(iso, precision="day"):
    return {"value_date": iso, "value_date_end": None, "date_precision": precision, "value_int": None}


def test_two_of_three_takes_the_agreeing_pair():
    assert two_of_three([_day("2019-10-06"), _day("2019-10-16"), _day("2019-10-16")])["value_date"] == "2019-10-16"
    assert two_of_three([_day("2019-10-16"), _day("2019-10-06"), _day("2019-10-16")])["value_date"] == "2019-10-16"


def test_two_of_three_all_different_or_missing_is_nothing():
    assert two_of_three([_day("2019-10-06"), _day("2019-10-16"), _day("2019-10-18")]) is None
    assert two_of_three([_day("2019-10-06"), _day("2019-10-16"), None]) is None


def test_a_reading_that_lost_the_day_does_not_outvote_one_that_has_it():
    # seen on the garbled fixture: 2016-11-27 once, "2016年11月" twice
    month = _day("2016-11-01", "month")
    assert two_of_three([_day("2016-11-27"), month, dict(month)]) is None
    assert two_of_three([month, _day("2016-11-27"), _day("2016-11-27")])["value_date"] == "2016-11-27"


def test_readings_that_lost_a_periods_end_do_not_outvote_the_whole_period():
    # scan round 7, r17_a09 Ⅴ 2 ② 実施日・期間: the page pass read 令和5年10月8日（日）から令和5年11月6日（月）まで; the
    # second and third readings lost the end, agreed on 2023-10-08 alone, and the period lost its end (a wrong value)
    whole = {**_day("2023-10-08"), "value_date_end": "2023-11-06"}
    assert two_of_three([whole, _day("2023-10-08"), _day("2023-10-08")]) is None
    assert two_of_three([whole, _day("2023-10-08"), dict(whole)])["value_date_end"] == "2023-11-06"


def test_day_glyph_misread_after_the_digits():
    assert fix_day("令和5年2月20晶") == ("令和5年2月20日", True)
    assert fix_day("令和5年2月20日") == ("令和5年2月20日", False)
    assert fix_day("目的外の入手") == ("目的外の入手", False)  # 目 not after a day's digits


def test_a_date_the_second_reading_disputes_is_settled_by_a_third():
    # juten_gyokuto_kokuho scan, Tesseract's page pass: 令和1年10月6日 (a dropped "1"); the 400-dpi reading of
    # the cell says 10月16日, the 300-dpi reading too: two of three agree
    f = FieldValue(key="cover.published", label="公表日", kind="date", value_date="2019-10-06", date_precision="day",
                   evidence=Evidence(source="x.pdf", page=1, method="ocr", confidence=0.97))
    _settle_digits(f, "令和1年10月16日", lambda: "令和1年10月16日")
    assert f.ok and f.value_date == "2019-10-16"
    assert "two of three readings agree (2019-10-06 / 2019-10-16 / 2019-10-16)" in f.reason
    assert f.evidence.confidence < 0.97
    g = FieldValue(key="cover.published", label="公表日", kind="date", value_date="2019-10-06", date_precision="day",
                   evidence=Evidence(source="x.pdf", page=1, method="ocr", confidence=0.97))
    _settle_digits(g, "令和1年10月16日", lambda: "令和1年10月18日")
    assert not g.ok and g.reason.startswith("conflict: OCR readings disagree")


def test_reread_value_of_a_date_cell():
    f = FieldValue(key="cover.published", label="公表日", kind="date")
    assert reread_value(f, "信和5年2月20晶") == {
        "value_date": "2023-02-20", "value_date_end": None, "date_precision": "day", "value_int": None,
        "value_text": None}
    assert reread_value(f, "ーー '") is None


def test_vote_of_the_readings_of_one_length():
    readings = ["児童手当の支給に関する事務", "喝産手当の支給に関する事務", "児童手当の支始に関する事務",
                "児童手当の支給に関する』W携 ー II"]
    # two against one at a position is not enough (round-6 rescan of zen_kumamoto_pref: Ⅰ 1 and the 宣言 both
    # read 係 as 作); three against one is
    assert vote(readings) is None
    assert vote([*readings, "児童手当の支給に関すろ事務"]) == "児童手当の支給に関する事務"
    # two readings of one length are not enough, nor a position without a character read twice
    assert vote(readings[:2]) is None
    assert vote(["児童手当", "喝産手当", "児重手当"]) is None


def test_speck_lines_dropped_from_a_multi_line_cell_only():
    assert drop_speck_lines("ーー\nIV リスク対策") == "IV リスク対策"
    assert drop_speck_lines("-") == "-"
    assert drop_speck_lines("[ ]\n・") == "[ ]"


def _checkbox(other):
    opts = [CheckOption("専用線", 5, False), CheckOption("その他", 8, True, other)]
    return FieldValue(key="II.3.2", label="入手の方法", kind="checkbox", options=opts,
                      evidence=Evidence("x.pdf", 5, (0, 0, 10, 10), method="ocr"))


def test_other_text_kept_only_when_the_second_reading_spells_it_the_same():
    f = _checkbox("庁内データ連携大朋")
    _confirm_other_text(f, "[ ] 専用線\n[ oO ] その他 ( 庁内データ連携基盤)")
    assert f.options[1].text is None and f.options[1].checked is True
    assert "not confirmed" in f.reason
    g = _checkbox("庁内データ連携基盤")
    _confirm_other_text(g, "[ oO ] その他 ( 庁内データ 連携基盤 )")
    assert g.options[1].text == "庁内データ連携基盤" and g.reason is None


def test_other_text_needs_the_third_reading_too():
    # zen_kumamoto_city_juki scan p. 18: the page pass and the 400-dpi reading both read "LGWAN和経由のファイル連携",
    # the 300-dpi reading "LGWAN経由のファイル連携"
    f = _checkbox("LGWAN和経由のファイル連携")
    _confirm_other_text(f, "[ o : その他 ( LGWAN和経由のファイル連携 )", lambda: "[ o : その他 ( LGWAN経由のファイル連携 )")
    assert f.options[1].text is None and "not confirmed by a third reading" in f.reason
    g = _checkbox("LGWAN経由のファイル連携")
    _confirm_other_text(g, "その他 ( LGWAN経由のファイル連携 )", lambda: "[ o ] その他 ( LGWAN 経由のファイル連携 )")
    assert g.options[1].text == "LGWAN経由のファイル連携" and g.reason is None


def test_unconfirmed_ocr_file_name_keeps_its_place_as_none():
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")
    fields = [FieldValue(key="II.1", label="ファイル名", kind="text", file_no=1, value_text="就学援助ファイル", evidence=ocr),
              FieldValue(key="III.1", label="ファイル名", kind="text", file_no=1, value_text="就学援助ファイル",
                         evidence=ocr),
              FieldValue(key="II.1", label="ファイル名", kind="text", file_no=2, value_text="特別支援教育就学奨励貨ファイル",
                         evidence=ocr)]
    assert per_file_names(fields) == {1: "就学援助ファイル", 2: None}


def _name_field(key, no, text, evidence):
    return FieldValue(key=key, label="特定個人情報ファイル名", kind="text", file_no=no, value_text=text,
                      evidence=evidence)

def test_ocr_file_name_needs_every_reading_to_agree():
    # zen_asahikawa_tax scan: Ⅱ 1 and Ⅲ 1 of file 3 both read 給与支払報告書ファイル as "…報告置ファイル"; the
    # list in Ⅰ 3 has it right. Two of three is not enough (the misread repeats), the name stays open.
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")

    def f(key, no, text):
        return _name_field(key, no, text, ocr)

    listing = FieldValue(key="I.3", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                         value_text="( 1 ) 個人住民税ファイル\n( 2 ) 課税台帳ファイル\n( 3 ) 給与支払報告書ファイル")
    fields = [f("II.1", 1, "個人住民税ファイル"), f("II.1", 2, "課税台帳ファイル"), f("II.1", 3, "給与支払報告置ファイル"),
              f("III.1", 1, "個人住民税ファイル"), f("III.1", 3, "給与支払報告置ファイル"), listing]
    assert per_file_names(fields) == {1: "個人住民税ファイル", 2: "課税台帳ファイル", 3: None}


def test_a_space_ocr_left_between_two_glyphs_of_a_file_name_is_no_difference():
    # scan round 5, r15_b07: Ⅱ 1 read "生活保護受給者ファイ ル" (a wide glyph gap), Ⅲ 1 and Ⅰ 3 "生活保護受給者ファイル";
    # the name was undetermined, so no file was known and every per-file value on the borderless pages was dropped
    ocr = Evidence("x.pdf", 5, (0, 0, 1, 1), method="ocr")
    listing = FieldValue(key="I.3", label="特定個人情報ファイル名", kind="text", evidence=ocr, value_text="生活保護受給者ファイル")
    fields = [_name_field("II.1", 1, "生活保護受給者ファイ ル", ocr), _name_field("III.1", 1, "生活保護受給者ファイル", ocr),
              listing]
    assert per_file_names(fields) == {1: "生活保護受給者ファイル"}
    fields[1] = _name_field("III.1", 1, "生活保護受給香ファイル", ocr)  # a glyph off is a difference
    assert per_file_names(fields) == {1: None}


def test_second_readings_settle_a_file_name_only_when_every_cell_reads_it():
    # zen_asahikawa_tax scan: 報告書 read 報告置 by the page pass in Ⅱ 1 and Ⅲ 1; the 400-dpi re-reading of
    # each cell is one more reading of that cell. A spelling must be read in every cell, and be the only one.
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")

    def f(key, no, text):
        return _name_field(key, no, text, ocr)

    listing = FieldValue(key="I.3", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                         value_text="」\n( 1 ) 個人住民税ファイル\n( 3 ) 給与支払報告書ファイル")
    fields = [f("II.1", 1, "個人住民税ファイル"), f("II.1", 3, "給与支払報告置ファイル"),
              f("III.1", 1, "個人住民税ファイル"), f("III.1", 3, "給与支払報告置ファイル"), listing]
    # the speck line "」" before the list is no name: ( 1 ) is file 1
    assert per_file_names(fields) == {1: "個人住民税ファイル", 3: None}
    right = {("II.1", 3): "給与支払報告書ファイル", ("III.1", 3): "給与支払報告書ファイル\n"}
    assert per_file_names(fields, right) == {1: "個人住民税ファイル", 3: "給与支払報告書ファイル"}
    # Ⅲ 1 read 報告置 twice: 報告書 is not read in every cell, and 報告置 is not read in Ⅰ 3
    assert per_file_names(fields, {("II.1", 3): "給与支払報告書ファイル"})[3] is None
    # both spellings read in every cell: ambiguous
    both = {**right, ("I.3", 0): "( 1 ) 個人住民税ファイル\n( 3 ) 給与支払報告置ファイル"}
    assert per_file_names(fields, both)[3] is None


def _named(listing: str, names: dict[tuple[str, int], str], second: dict | None = None) -> dict:
    """per_file_names of an OCR'd document whose Ⅰ 3 list reads `listing` and whose name cells read `names`."""
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")
    fields = [FieldValue(key="I.3", label="特定個人情報ファイル名", kind="text", evidence=ocr, value_text=listing)]
    fields += [_name_field(key, no, text, ocr) for (key, no), text in names.items()]
    return per_file_names(fields, second)


def test_a_second_reading_like_no_reading_of_the_name_is_noise_not_dissent():
    # scan round 8, r18_a11 (a faded bilevel page): the page pass read the first file's name alike in Ⅱ 1 and Ⅲ 1 and
    # lost it from Ⅰ 3's list; the second readings of those cells came out as the strings below. They made the
    # name unknown, and with it every per-file value of the document.
    pay, recipients = "特別児童扶養手当支払ファイル", "特別児童扶養手当受給者ファイル"
    names = {("II.1", 1): pay, ("II.1", 2): recipients, ("III.1", 1): pay, ("III.1", 2): recipients}
    second = {("I.3", 0): "---まこリーテー直rま2", ("II.1", 1): "五有日", ("II.1", 2): "5すをた",
              ("III.1", 1): "まま二ニデコ", ("III.1", 2): "下すを"}
    assert _named(f"2 {recipients}", names, second) == {1: pay, 2: recipients}
    # a reading a glyph or two off the name is a reading of it, and dissents: Ⅲ 1 does not read the name
    assert _named(f"2 {recipients}", {**names, ("III.1", 1): "特別児童扶養手当支私ファイル"}, second)[1] is None


def test_a_speck_read_before_a_file_name_is_not_part_of_it():
    # scan round 8, r18_b09 (readings as the page pass gave them): Ⅲ 1 read ": 生活保護受給者フアイル"; the name was
    # unknown, so no file was known and every per-file value on the borderless pages was dropped
    names = {("II.1", 1): "生活保護受給者ファイ ル", ("III.1", 1): ": 生活保護受給者フアイル",
             ("II.1", 2): "保護台帳ファイ ル", ("III.1", 2): "保護台帳ファイ ル"}
    second = {("I.3", 0): "", ("II.1", 1): "っニコ", ("II.1", 2): "", ("III.1", 1): "", ("III.1", 2): ""}
    assert _named("1 生活保護受給者ファイル\n2 保護台帳ファイル", names, second) == {1: "生活保護受給者ファイル",
                                                                           2: "保護台帳ファイル"}


def test_a_file_list_read_on_one_line_or_wrapped_names_every_file():
    # the text corpus with its rules taken away, read as OCR: Ⅰ 3's list came as one line (r1_a12), or as one line
    # with the last name's glyph wrapped to the next (r3_b08); the list then dissented from Ⅱ 1 and Ⅲ 1
    def names(listing, want):
        return _named(listing, {(k, n): w for k in ("II.1", "III.1") for n, w in enumerate(want, 1)})

    want = ["生活保護医療扶助ファイル", "保護台帳ファイル"]
    assert names("1 生活保護医療扶助ファイル 2 保護台帳ファイル", want) == dict(enumerate(want, 1))
    want = ["住民基本台帳ファイル", "戸籍の附票本人確認情報ファイル", "本人確認情報ファイル"]
    listing = "1 住民基本台帳ファイル 2 戸籍の附票本人確認情報ファイル 3 本人確認情報ファイ\nル"
    assert names(listing, want) == dict(enumerate(want, 1))


def test_a_scanned_file_list_of_the_kiso_form_needs_its_second_reading():
    ocr = Evidence("x.pdf", 2, (0, 0, 1, 1), method="ocr")
    listed = FieldValue(key="I.2", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                        value_text="児童手当ファイル\n宛名ファイル")
    assert listed_file_names([listed]) == {1: "児童手当ファイル", 2: "宛名ファイル"}  # before the second reading
    assert listed_file_names([listed], {("I.2", 0): "児童手当ファイル\n宛名ファイル"}) == \
        {1: "児童手当ファイル", 2: "宛名ファイル"}
    assert listed_file_names([listed], {("I.2", 0): "児童手当ファイル\n宛各ファイル"}) == \
        {1: "児童手当ファイル", 2: None}
    assert listed_file_names([listed], {}) == {1: None, 2: None}  # no second reading: nothing confirmed
    text = replace(listed, evidence=Evidence("x.pdf", 2, None, method="pdf-text"))
    assert listed_file_names([text], {}) == {1: "児童手当ファイル", 2: "宛名ファイル"}


def test_a_scanned_kiso_file_list_confirmed_by_the_echo_of_its_binarised_reading():
    # kiso_kumamoto_pref_seiho scan: the page pass reads 生活保護ファイル, the grey 400-dpi reading
    # 生消保詳ファイル" (a quote glued on: another length, no dissent), the binarised one 生活保席ファイル, which
    # the vocabulary makes 生活保護ファイル: an echo of the page pass, so two readings agree unopposed
    ocr = Evidence("x.pdf", 2, (0, 0, 1, 1), method="ocr")
    listed = FieldValue(key="I.2", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                        value_text="( 1 ) 生活保護ファイル")
    grey, echo = {("I.2", 0): '(1) 生消保詳ファイル"'}, {("I.2", 0): "(1 ) 生活保席ファイル"}
    assert listed_file_names([listed], grey, echo) == {1: "生活保護ファイル"}
    assert listed_file_names([listed], grey) == {1: None}  # without the echo: one reading
    # a grey reading of the same length spelling it otherwise is a dissent: two against one decides nothing
    assert listed_file_names([listed], {("I.2", 0): "(1) 生消保詳ファイル"}, echo) == {1: None}
    # the echo's own misreads oppose nothing (round-8 rescan of kiso_gyokuto_juki: 信民基2ぶ台嘘, and a
    # binarised 300-dpi reading 住民基共台忠 had blocked the name the page pass and the grey reading agree on)
    juki = replace(listed, value_text="( 1 ) 住民基本台帳ファイル")
    assert listed_file_names([juki], {("I.2", 0): "( 1 ) 住民基本台帳ファイル"},
                             {("I.2", 0): "( 1 ) 信民基2ぶ台嘘ファイル"}) == {1: "住民基本台帳ファイル"}
    # an echo never brings a spelling of its own
    assert listed_file_names([listed], grey, {("I.2", 0): "(1) 生活保席ファイル"}) == {1: "生活保護ファイル"}
    assert listed_file_names([listed], grey, {("I.2", 0): "(1) 生活扶助ファイル"}) == {1: None}


# ------------------------------------------------- OCR text shapes seen on the held-out scans
def _ocr_region(text):
    from extract.core.segments import Segment
    from extract.forms.interpret import Region

    return Region([(Segment(text, method="ocr"), text)], "x.pdf")


def _item(form, key):
    from extract.forms.model import FORMS

    return FORMS[form].items_by_key[key]


def test_unclosed_value_bracket_on_a_scan():
    from extract.forms.interpret import read_selection

    f = read_selection(_item("重点項目評価書", "III.5.R1.1"), _ocr_region("[ 定めている\n<選択肢>\n1) 定めている\n2) 定めていない"))
    assert f.ok and f.value_text == "定めている" and "closing bracket" in f.reason
    # a bracket closed further on is not "unclosed": the ordinary reading applies
    g = read_selection(_item("重点項目評価書", "III.5.R1.1"), _ocr_region("[ 定めて\nいる ]"))
    assert g.reason is None or "closing bracket" not in g.reason
    # scan round 5, r15_a02 Ⅲ 2 at 150 dpi: the rating printed as boxes, two ticked (the key: a conflict); only the
    # last box's "[" was read, with its ○, and no "]": a ticked box, not a value
    h = read_selection(_item("重点項目評価書", "III.2.R1.rating"),
                       _ocr_region("1 」特に力を入れてい る\n1 〇 1ナ分である\n[ 〇 課題が残されてい る"))
    assert h.status == "undetermined" and h.reason.startswith("tick-unknown") and h.value_text is None


@pytest.mark.parametrize("key,text,want", [
    # zen_asahikawa_tax, zen_kumamoto_city_juki rescans: the value's brackets read as other glyphs or split
    ("III.5.R1.1", "定めている○ ]\n<選択肢>\n1) 定めている 2) 定めていない", "定めている"),
    ("III.5.R1.rating", "[\n十分である1\n<選択肢>\n1) 特に力を入れている 2) 十分である\n3) 課題が残されている", "十分である"),
    ("III.5.R1.rating", "( 特に力を入れている ]\n<選択肢>\n1) 特に力を入れている 2) 十分である", "特に力を入れている"),
    ("II.4.itaku.4", "[| 再委託する 1\n<選択肢>\n1) 再委託する\n2) 再生託しない", "再委託する"),
    # scan round 17, r27_a10 p. 4 (bilevel): both thin brackets dropped; the whole line before the list spells one
    # option as printed
    ("II.2.2", "1万人以上10万人未満\n<選択肢>\n1万人未満\n1万人以上10万人未満\n10万人以上100万人未満",
     "1万人以上10万人未満"),
    ("III.5.R1.rating", "十分である\n<選択肢>\n1) 特に力を入れている", "十分である"),
    # not taken: empty brackets, no bracket and a misread option (only an exact one stands without brackets), more
    # than the option before the list, two values, no option list after the value
    ("III.5.R1.rating", "[ ]\n<選択肢>\n1) 特に力を入れている", None),
    ("III.5.R1.rating", "十分であ6\n<選択肢>\n1) 特に力を入れている", None),
    ("III.5.R1.rating", "※ 十分である\n<選択肢>\n1) 特に力を入れている", None),
    ("III.5.R1.rating", "( 十分である 十分である ]\n<選択肢>", None),
    ("III.5.R1.rating", "( 十分である ]", None),
])
def test_selection_whose_brackets_were_misread(key, text, want):
    from extract.forms.interpret import read_selection

    f = read_selection(_item("重点項目評価書", key), _ocr_region(text))
    assert (f.value_text if f.ok else None) == want
    if want:
        assert f.evidence.confidence <= 0.7 and "brackets were misread" in f.reason


def test_period_whose_tilde_was_lost_or_read_as_a_dash():
    from extract.forms.interpret import read_period

    item = _item("全項目評価書", "VI.2.2")
    f = read_period(item, _ocr_region("_今和4年12月5日(月) - 信和5年1月3日(火)"))
    assert (f.value_date, f.value_date_end) == ("2022-12-05", "2023-01-03")
    g = read_period(item, _ocr_region("信和2年12月5日(土) 金和3年1月3日(日)"))
    assert (g.value_date, g.value_date_end) == ("2020-12-05", "2021-01-03")
    h = read_period(item, _ocr_region("令和6年10月18日 ( 金 ) -念和6年11月16日(土)"))
    assert (h.value_date, h.value_date_end) == ("2024-10-18", "2024-11-16")


def test_value_brackets_and_tick_boxes_read_as_other_glyphs():
    from extract.forms.ocr_recovery import _OCR_VALUE_LINE, _ocr_boxes

    assert _OCR_VALUE_LINE.sub(r"[\1]", "| 十分である ]\n<選択肢>") == "[十分である]\n<選択肢>"
    assert _OCR_VALUE_LINE.sub(r"[\1]", "【 有料]") == "[有料]"
    assert _ocr_boxes("〔 ] 住民基本台帳ネットワークシステム 【 ] 既存") == "[ ] 住民基本台帳ネットワークシステム [ ] 既存"
    # inside an open value bracket the 【 is a misread glyph of the value, left alone
    assert _ocr_boxes("[ 十分に行っていな 【 ⍰ ]") == "[ 十分に行っていな 【 ⍰ ]"


def test_risk_heading_with_its_number_misread():
    from extract.forms.model import FORMS
    from extract.forms.ocr_recovery import _match_risk_ocr

    section = next(c for p in FORMS["全項目評価書"].parts if p.number == 3 for c in p.children if c.number == 6)
    assert _match_risk_ocr(section, "リスクS: 不正な提供が行われるリスク").number == 5
    assert _match_risk_ocr(section, "リスクt 目的外の入手が行われるリスク").number == 1
    # a digit that was read must agree with the title's risk
    assert _match_risk_ocr(section, "リスク2: 不正な提供が行われるリスク") is None
    assert _match_risk_ocr(section, "リスクに対する措置の内容") is None


# ------------------------------------------------- round 4 (zen_yatsushiro_kokuho): correlated re-readings
def test_a_reread_that_cannot_find_the_option_gives_no_count():
    # "[ ○ ] 移転を行っている (1)件": a re-reading where the option's label is misread must not return the
    # first "(2)件" of the cell (another option's count); two such readings outvoted the right one
    f = FieldValue(key="II.5.0.count2", label="移転を行っている 件数", kind="count", value_int=1)
    assert reread_value(f, "[ ○ ] 提供を行っている (2 ) 件\n[ o ] 移転を行つている (1)件") is None
    assert reread_value(f, "[ ○ ] 提供を行っている (2 ) 件\n[ o ] 移転を行っている (1)件")["value_int"] == 1


def test_a_reread_keeps_every_date_of_a_list_and_a_shorter_list_outvotes_nothing():
    f = FieldValue(key="VI.3.1", label="実施日", kind="dates", value_date="2015-03-30", value_date_end="2015-04-27",
                   value_text="2015-03-30、2015-04-27", date_precision="day")
    again = reread_value(f, "平成27年3月30日(月)、平成27年4月27日(月)")
    assert again["value_text"] == "2015-03-30、2015-04-27"
    one = {"value_date": "2015-03-30", "value_date_end": None, "date_precision": "day", "value_int": None,
           "value_text": "2015-03-30"}
    two = {**one, "value_date_end": "2015-04-27", "value_text": "2015-03-30、2015-04-27"}
    assert two_of_three([two, one, dict(one)]) is None


def testocr_organization_must_name_a_known_body():
    from extract.forms.identity import ocr_organization

    # round 4: 八代市長 read "八代市食" (no office, no body of that name): the 宣言's 八代市 names the body
    assert ocr_organization("八代市食", "八代市") == (None, "八代市")
    assert ocr_organization("八代市長", "八代市") == ("八代市長", "八代市")
    assert ocr_organization("熊本県知事", None) == ("熊本県知事", "熊本県")
    assert ocr_organization("八代市長", "熊本市") == (None, None)  # two bodies: a conflict
    assert ocr_organization("八代市食", None) == (None, None)


def test_options_that_differ_in_one_span_are_told_apart_by_that_span_only():
    from extract.forms.fuzzy import by_differing_span, ocr_fold
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    a, b = "基礎項目評価及び全項目評価の実施が義務付けられる", "基礎項目評価及び重点項目評価の実施が義務付けられる"
    # kiso_kumamoto_pref_seiho: 項 misread as 需 in the common part, 重点 read exactly
    assert by_differing_span(ocr_fold("基礎需目評価及び重点項目評価の実施が義務付けられる"), ocr_fold(a), ocr_fold(b)) == 1
    # kiso_koshi_jidou: the differing span itself misread (年点): not decided
    assert by_differing_span(ocr_fold("基礎項目評価及び年点項目評価の実施が義務付けられる"), ocr_fold(a), ocr_fold(b)) is None
    om = _ocr_option("基礎需目評価及び重点項目評価の実施が義務付けられる", OPTION_LISTS["SHIKII-KISO"])
    assert om is not None and om.text == b
    assert _ocr_option("基礎項目評価及び年点項目評価の実施が義務付けられる", OPTION_LISTS["SHIKII-KISO"]) is None


def test_ocr_file_name_readings_corrected_against_the_vocabulary_before_comparing():
    # zen_kumamoto_city_juki scan: Ⅱ 1 of file 2 read "本人確認情報ファイカ", Ⅲ 1 and the Ⅰ 3 list "本人確認情報ファイル"
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")

    def f(key, no, text):
        return _name_field(key, no, text, ocr)

    fields = [f("II.1", 2, "本人確認情報ファイカ"), f("III.1", 2, "本人確認情報ファイル"),
              f("II.1", 4, "戸籍の附票ファイル"), f("III.1", 4, "戸籍の時昔ファイル")]
    assert per_file_names(fields) == {2: "本人確認情報ファイル", 4: None}  # two glyphs off is no correction


def test_vocabulary_correction_never_turns_a_right_name_into_a_word():
    from extract.forms.fuzzy import fix_words
    from extract.forms.identity import FILE_WORDS

    # zen_kumamoto_pref: 事務 (two glyphs) one substitution from 事保 made 知事保存 into 知事務存
    assert fix_words("都道府県知事保存本人確認情報ファイル", FILE_WORDS) == "都道府県知事保存本人確認情報ファイル"
    assert fix_words("都道府県知事保存本人確認情報ファイカ", FILE_WORDS) == "都道府県知事保存本人確認情報ファイル"
    # kiso_koshi_jidou Ⅰ 1: 児童 read 児産, 事務 read 先務; the longer words carry the correction
    assert fix_words("児産手当の支給に関する先務") == "児童手当の支給に関する事務"
    assert fix_words("個人住民税の駆課に関する事務") == "個人住民税の賦課に関する事務"
    # scan round 14, r24_b11 at 150 dpi: ファイル read フアイル, both small kana read full size (two glyphs off
    # unfolded); without its name the file's every value was unknown
    assert fix_words("都道府県知事保存本人確認情報フアイル", FILE_WORDS) == "都道府県知事保存本人確認情報ファイル"
    assert fix_words("都道府県知事保存本人確認情報フアイ", FILE_WORDS) == "都道府県知事保存本人確認情報フアイ"


def test_a_file_name_a_cell_never_reads_right_is_settled_by_the_vote_of_all_readings():
    # zen_asahikawa_tax file 5: Ⅱ 1 read 申告書 twice; Ⅲ 1 申告言 and (second reading) junk; Ⅰ 3 申告軒 and
    # 申告書. Not read in every cell, but three readings against one at each glyph: the vote decides.
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr")

    def f(key, no, text):
        return _name_field(key, no, text, ocr)

    fields = [f("II.1", 5, "申告書ファイル"), f("III.1", 5, "申告言ファイル"),
              FieldValue(key="I.3", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                         value_text="( 4 ) 公的年金等支払報告書ファイル\n( 5 ) 申告軒ファイル")]
    second = {("II.1", 5): "申告書ファイル", ("III.1", 5): "IGE", ("I.3", 0): "(4 ) 公的年金等支払報告書ファイル\n申告書ファイル"}
    assert per_file_names(fields, second) == {5: "申告書ファイル"}  # the list line without its number is (5)
    # without the second readings: 申告書 twice, against 申告言 and 申告軒: two against one is no vote
    assert per_file_names(fields, {("II.1", 5): "申告書ファイル"}) == {5: None}


def test_ocr_name_fields_follow_what_the_identity_established():
    from extract.core.result import Identity
    from extract.forms.verify import follow_identity

    ocr = Evidence("x.pdf", 1, (0, 0, 1, 1), method="ocr", confidence=0.9)

    def f(key, text, no=None):
        return FieldValue(key=key, label=key, kind="text", file_no=no, value_text=text, evidence=ocr)

    fields = [f("I.1.1", "難学援助に関する事務"), f("cover.org", "八代市食"), f("II.1", "就学援助ファイル", 1),
              f("II.1", "特別支援教育就学青励費ファイル", 2), f("III.1", "特別支援教育就学奨励費ファイル", 2)]
    identity = Identity(form_type="重点項目評価書", affair="就学援助に関する事務", organization_raw=None,
                        file_names=["就学援助ファイル", None])
    follow_identity(fields, identity)
    affair, org, name1, name2, name2b = fields
    # a reading the vote overruled: the established spelling, the reading kept in the reason
    assert affair.ok and affair.value_text == "就学援助に関する事務" and "難学援助" in affair.reason
    assert affair.evidence.confidence < 0.9
    # nothing established: the reading is not published
    assert org.status == "undetermined" and "八代市食" in org.reason
    assert name1.ok and name1.value_text == "就学援助ファイル" and name1.reason is None
    assert name2.status == name2b.status == "undetermined"
    # scan round 2, r12_a12 Ⅱ 1 in a row ruled across: the table's right border, not erased, read as "1" under the name
    ruled = f("II.1", "生活保護受給者ファイル\n1", 1)
    follow_identity([ruled], Identity(form_type="重点項目評価書", file_names=["生活保護受給者ファイル"]))
    assert ruled.ok and ruled.value_text == "生活保護受給者ファイル" and "'1'" in ruled.reason
    # scan round 13, r23_a01 Ⅰ 1 ① across a shadow: "関する事" lost in it, the 務 after the gap read as a line of its own
    gapped = f("I.1.1", "県税の賦課徴収に関\n務")
    follow_identity([gapped], Identity(form_type="基礎項目評価書", affair="県税の賦課徴収に関する事務"))
    assert gapped.ok and gapped.value_text == "県税の賦課徴収に関する事務" and "'務'" in gapped.reason


def test_a_title_tesseract_misread_is_confirmed_by_the_affairs_readings():
    # scan round 11, r21_a06 p. 1 at 200 dpi: PP-OCR read the 評価書名 right with confidence 0.64, Tesseract read it
    # again as "県税の虹課徴収に関する事務 華礎項目評価書", so it stayed unconfirmed; the 事務の名称 and the 宣言 spell the
    # affair as the title does, and the identity's title is that agreed spelling: the title is confirmed by them.
    from extract.core.result import Identity
    from extract.forms.verify import UNCONFIRMED, follow_identity

    read = "県税の賦課徴収に関する事務基礎項目評価書"
    reason = (f"{UNCONFIRMED}: read with confidence 0.64 as {read!r}; a second reading gives "
              "'県税の虹課徴収に関する事務 華礎項目評価書'")

    def title(text):
        return FieldValue(key="cover.title", label="評価書名", kind="text", value_text=text, status="undetermined",
                          reason=reason, evidence=Evidence("x.pdf", 1, (0, 0, 1, 1), method="ocr", confidence=0.64))

    agreed = Identity(form_type="基礎項目評価書", affair="県税の賦課徴収に関する事務", title="県税の賦課徴収に関する事務 基礎項目評価書")
    for identity, text, ok in ((agreed, read, True),
                               (Identity(form_type="基礎項目評価書", affair=None, title=None), read, False),
                               (agreed, "県税の賦課徴取に関する事務基礎項目評価書", False)):
        f = title(text)
        follow_identity([f], identity)
        assert f.ok is ok and f.value_text == text
        assert ("agree with the first" in f.reason) is ok


def test_the_identity_follows_a_number_its_readings_disagree_on():
    # scan round 3, r13_a07 at 150 dpi: 評価書番号 read "99" (confidence 0.61), read again "9": the field was left
    # undetermined, and the identity still gave 99
    from extract.core.result import Identity
    from extract.forms.verify import follow_fields

    ocr = Evidence("x.pdf", 1, (212, 116, 218, 123), method="ocr", confidence=0.61)
    number = FieldValue(key="cover.no", label="評価書番号", kind="text", value_text="99", status="undetermined",
                        reason="ocr-unconfirmed: read with confidence 0.61 as '99'; a second reading gives '9'",
                        evidence=ocr)
    identity = Identity(form_type="重点項目評価書", assessment_no="99")
    follow_fields([number], identity)
    assert identity.assessment_no is None
    confirmed = Identity(form_type="重点項目評価書", assessment_no="9")
    follow_fields([replace(number, status="ok", value_text="9", reason=None)], confirmed)
    assert confirmed.assessment_no == "9"


def test_a_digit_under_the_title_label_is_no_number_without_the_number_label():
    # scan round 17, r27_a10 p. 1: a dirty drum's band blotted 評価書番号 and its 24; the 評価書名 cell's region held
    # the streak's slivers OCR'd as "1", and the first of them became the identity's assessment_no
    from extract.forms.identity import _number_and_title

    region = "E\n1\n1\n介護保険に関する事務 重点項自評価書\n第了\n2\n1\n生 1"
    ev = Evidence("x.pdf", 1, (8.8, 105.9, 591.5, 837.2), method="ocr", confidence=0.75)
    title = FieldValue(key="cover.title", label="評価書名", kind="text", value_text=region, status="ok", evidence=ev)
    assert _number_and_title([title]) == (None, "介護保険に関する事務 重点項自評価書")
    # with its own label read, the number cell's digits are the number (header row, then the values row)
    number = FieldValue(key="cover.no", label="評価書番号", kind="text", value_text="", status="ok", evidence=ev)
    title = replace(title, value_text="24\n介護保険に関する事務 重点項目評価書")
    assert _number_and_title([number, title]) == ("24", "介護保険に関する事務 重点項目評価書")
    # r27_a03 at 150 dpi: the table's left border read "1" before the number's "7": two numbers, neither is known
    title = replace(title, value_text="1\n7\n個人住民税の賦課徴収に関する事務基礎項目評価書")
    assert _number_and_title([number, title]) == (None, None)


def test_organization_read_again_where_the_page_pass_named_no_office():
    from extract.core.result import Identity
    from extract.forms.verify import organization_raw

    # zen_yatsushiro_kokuho p. 1: 八代市長 read "八代市食"; the 宣言 names 八代市; the cell read again (grey
    # pixels: junk; binarised: 八代市長)
    rejected = Identity(form_type="全項目評価書", organization_raw=None, organization="八代市")
    assert organization_raw(rejected, ["2本SSD EE", "八代市長"]) == "八代市長"
    assert organization_raw(rejected, ["熊本市長"]) is None  # another body than the 宣言's
    assert organization_raw(rejected, ["八代市食"]) is None
    no_body = Identity(form_type="全項目評価書", organization_raw=None, organization=None)
    assert organization_raw(no_body, ["八代市長"]) is None  # no 宣言 to confirm the body
    kept = Identity(form_type="全項目評価書", organization_raw="八代市長", organization="八代市")
    assert organization_raw(kept, ["熊本市長"]) == "八代市長"


def test_reiwa_with_its_first_glyph_misread_but_never_an_era_year_not_yet_reached():
    from datetime import date

    from extract.forms.fuzzy import fix_era

    # round-8 rescan of kiso_kumamoto_pref_seiho: 令和4年4月1日 read "発和4年4月1日"
    assert fix_era("発和4年4月1日", date(2026, 11, 23)) == ("令和4年4月1日", True)
    assert fix_era("今和元年5月1日", date(2026, 11, 23)) == ("令和元年5月1日", True)
    # 昭和 and 平成 (read 平和) stay; a year 令和 has not reached is no 令和 (平成28年 with 平成 misread)
    assert fix_era("昭和60年1月1日", date(2026, 11, 23))[1] is False
    assert fix_era("平和28年1月1日", date(2026, 11, 23))[1] is False
    assert fix_era("多和28年1月1日", date(2026, 11, 23))[1] is False
    assert fix_era("多和9年1月1日", date(2026, 11, 23))[1] is False
    assert fix_era("多和9年1月1日", date(2027, 1, 1)) == ("令和9年1月1日", True)


def test_an_option_printed_twice_with_different_marks_has_no_state():
    # round-8 rescan of zen_asahikawa_tax, file 3: the next label "②入手方法" read "④人手方法" went unmatched,
    # so ①入手元 took 入手方法's boxes too, whose その他 is ticked; its own その他 is blank
    from extract.forms.interpret import read_checkbox

    text = ("[ ○ ] 本人又は本人の代理人 [ ○ ] 評価実施機関内の他部署\n[ ] 行政機関・独立行政法人等 "
            "[ ] 地方公共団体・地方独立行政法人\n[ ] 民間事業者 [ ] その他( )\n④人手方法\n[ ] 紙 "
            "[ ○ ] その他 ( LGWAN経由のファイル連携 )")
    f = read_checkbox(_item("全項目評価書", "II.3.1"), _ocr_region(text))
    ticks = {o.label: o.checked for o in f.options}
    assert not f.ok and f.reason.startswith("conflict") and "その他" in f.reason
    assert ticks["その他"] is None and ticks["本人又は本人の代理人"] is True and ticks["民間事業者"] is False


def test_a_filled_other_whose_box_reads_empty_leaves_the_groups_empty_boxes_unknown():
    # scan round 13, r23_b02 p. 5, Ⅱ 3 ② 入手方法 as read (a bilevel scan of faded toner): the ○ of 紙 and of
    # その他 vanished whole and both read unticked; その他's parentheses are filled, which the form does only for
    # a chosen その他. The "1" after "]" is the bracket's stem read twice
    from extract.forms.interpret import read_checkbox

    text = ("[ ] 紙 [ ] 専用線\n[ ] 電子記録媒体(フラッシュメモリを除く。 ） [ ] 庁内連携シ\nステム\n"
            "[ ]1フラッシュメモリ [ ]1情報提供ネットワークシステム\n[ ] 電子メール [ ]1その他（団体内統合宛名システム）")
    f = read_checkbox(_item("重点項目評価書", "II.3.2"), _ocr_region(text))
    assert not f.ok and f.reason.startswith("tick-unknown: その他 holds a text (団体内統合宛名システム)")
    assert {o.label: o.checked for o in f.options} == dict.fromkeys((o.label for o in f.options), None)
    # an empty その他 says nothing: the same group read with "その他( )" keeps its states
    f = read_checkbox(_item("重点項目評価書", "II.3.2"), _ocr_region(text.replace("（団体内統合宛名システム）", "( )")))
    assert f.ok and not any(o.checked for o in f.options) and len(f.options) == 8


def test_label_with_hito_read_for_iru_matches():
    from extract.forms.fuzzy import ocr_fold

    # the same rescan: 入手方法 read 人手方法, one glyph of four, below the 0.8 floor unless folded
    assert ocr_fold("④人手方法") == ocr_fold("④入手方法")


def test_affair_read_again_from_grey_pixels_joins_the_vote():
    # round-6 rescan of juten_gyokuto_kokuho: 事務の名称 read "国民健康保険に関する事" (務 lost), the title
    # "園民健順保険…", the 宣言 right; Ⅰ 1 read again binarised is junk, from grey pixels right with specks after
    from extract.forms.identity import agreed
    from extract.forms.verify import verify_ocr_fields

    def reread(page, bbox, languages="jpn", dpi=0, skew=0.0, grey=False):
        return "国民健康保険に関する事務 ... . . ea SC EN" if grey else "話民償W保吹に関する放靖 --"

    ocr = Evidence("x.pdf", 2, (50.0, 50.0, 300.0, 70.0), method="ocr")
    affair = FieldValue(key="I.1.1", label="事務の名称", kind="text", value_text="国民健康保険に関する事", evidence=ocr)
    scan = FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.pdf"
    second = verify_ocr_fields(scan, [affair], reread_with=reread)
    assert second.affair == ["話民償W保吹に関する放靖 --", "国民健康保険に関する事務"]
    page_pass = ["国民健康保険に関する事", "園民健順保険に関する事務", "国民健康保険に関する事務"]
    declaration_again = "国民健康保険に関する事務"
    assert agreed([*page_pass, declaration_again, *second.affair]) == "国民健康保険に関する事務"
    assert agreed([*page_pass, declaration_again, second.affair[0]]) is None  # without it: two against one


def _i23_field(scan_key):
    """I.2.3 (他のシステムとの接続) of juten_gyokuto_kokuho as the key has it, 税務システム's box unread."""
    want = next(e for e in scan_key["fields"] if e["key"] == "I.2.3")
    labels = want["checked"] + want["unchecked"]
    from extract.forms.model import OPTION_LISTS

    olist = OPTION_LISTS[_item("重点項目評価書", "I.2.3").options]
    assert sorted(labels) == sorted(olist.options)
    opts = [CheckOption(o, n, None if o == "税務システム" else o in want["checked"])
            for n, o in enumerate(olist.options, start=1)]
    f = FieldValue(key="I.2.3", label="他のシステムとの接続", kind="checkbox", options=opts, status="undetermined",
                   reason="tick-unknown: tick state unknown for 税務システム",
                   evidence=Evidence("x.pdf", 2, (176.0, 316.1, 558.8, 363.6), method="ocr", confidence=0.9))
    return f, want


def test_box_group_read_again_from_its_own_crop():
    # a box group Tesseract broke apart on the page ("1 〇 ] 税務システム", round-9 rescan of zen_koshi_jidou) is
    # read again from the cell alone; here the committed juten_gyokuto_kokuho scan, p. 2, Ⅰ 2 ③ (I.2.3)
    import json

    import pymupdf as fitz

    from extract.forms.verify import recheck_boxes, reread_boxes
    from extract.sources.scan.ocr import page_skew

    scan = FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.pdf"
    key = json.loads(scan.with_name("juten_gyokuto_kokuho.scan200.key.json").read_text(encoding="utf-8"))
    f, want = _i23_field(key)
    with fitz.open(scan) as doc:
        text = reread_boxes(doc[1], f.evidence.bbox, skew=page_skew(doc[1]))
    recheck_boxes(f, text)
    assert f.status == "ok" and "second reading" in f.reason and f.evidence.confidence <= 0.72
    assert sorted(o.label for o in f.options if o.checked) == sorted(want["checked"])
    assert sorted(o.label for o in f.options if o.checked is False) == sorted(want["unchecked"])


def test_what_a_crop_of_a_page_whose_ticks_faded_reads_empty_is_not_kept_empty():
    # scan round 6, r16_b10 p. 10: the page pass found the ticks faded (a ○ left as specks), so the 委託 group at
    # the foot was left unknown; its crop alone showed no specked box and read every box empty (the text below, read
    # when the page image was still drawn squeezed: tools/corpus/scan.py:fill_pages), and the second reading gave
    # three wrong ticks. On a page whose ticks faded, no box is known empty, whoever read it
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.model import FORMS, OPTION_LISTS
    from extract.forms.verify import recheck_boxes, without_empty_boxes_on_faded_pages

    bbox = (198.6, 711.5, 545.2, 735.5)  # II.4.itaku.4 of 委託事項3: 電子メール and 電子記録媒体 ticked
    text = "[ ] 専用線 [ ] 電子メール [ ] 電子記録媒体(フラッシュメモリを\n除く。) [ ] フラッシュメモリ [ ] 紙 [ ] その他( )"
    item = FORMS["全項目評価書"].items_by_key["II.4.itaku.4"]
    labels = OPTION_LISTS[item.options].options
    f = FieldValue(key="II.4.itaku.4", label=item.label, kind="checkbox", file_no=2, group_no=3, scale=item.options,
                   status="undetermined", reason="tick-unknown: tick state unknown for all",
                   options=[CheckOption(lbl, n, None) for n, lbl in enumerate(labels, 1)],
                   evidence=Evidence("x.pdf", 10, bbox, method="ocr", confidence=0.9))
    recheck_boxes(f, text)
    assert f.ok and f.options and not any(o.checked for o in f.options)  # the crop alone: all empty, wrong
    pages = [PageInfo(10, "ocr", "absent", rules=30, faded_ticks=True)]
    out = without_empty_boxes_on_faded_pages(ParsedDocument(Identity(), [f], []), pages).fields[0]
    assert not out.ok and all(o.checked is None for o in out.options)
    assert out.reason.startswith("tick-unknown: the ticks of page 10 are faded")


def test_a_crop_read_again_settles_a_box_only_where_its_ink_and_its_text_agree():
    # scan round 7, r17_a09 p. 9 (mottled grey paper), Ⅱ 5 提供先1 ⑥: the crop read alone took the specks of four
    # empty boxes for ink, read nothing in them and called them ticked; the group took them (four wrong ticks).
    # Ticked on one witness is unknown in a second reading; the two ticks its OCR saw too stay
    import pymupdf as fitz

    from extract.forms.verify import reread_boxes
    from extract.sources.scan.ocr import page_skew

    scan = FIXTURES / "corpus" / "scan7" / "r17_a09_juten_miyazaki_pref_chiho.scan200.pdf"
    with fitz.open(scan) as doc:
        text = reread_boxes(doc[8], (215.6, 218.5, 562.1, 340.9), skew=page_skew(doc[8]))
    lines = [ln for ln in text.split("\n") if "】" in ln]
    assert len(lines) == 7 and [ln.count("○") for ln in lines] == [1, 0, 0, 0, 0, 1, 0]
    assert "○ 】 情報提供ネットワークシステム" in lines[0]


def test_second_reading_of_boxes_taken_only_where_it_agrees_and_finds_every_option():
    import json

    from extract.forms.verify import recheck_boxes

    scan = FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.key.json"
    key = json.loads(scan.read_text(encoding="utf-8"))
    f, want = _i23_field(key)
    boxes = {o.label: "○" if o.label in want["checked"] else " " for o in f.options}
    text = "\n".join(f"[ {mark} ] {label}" for label, mark in boxes.items())
    # it disagrees on an option the page pass decided: nothing taken
    flipped = f"[ {'○' if boxes['庁内連携システム'] == ' ' else ' '} ] 庁内連携システム"
    g, _ = _i23_field(key)
    recheck_boxes(g, text.replace(f"[ {boxes['庁内連携システム']} ] 庁内連携システム", flipped))
    assert g.status == "undetermined" and [o.checked for o in g.options] == [o.checked for o in f.options]
    # an option it does not find: nothing taken
    g, _ = _i23_field(key)
    recheck_boxes(g, "\n".join(ln for ln in text.split("\n") if "宛名システム等" not in ln))
    assert g.status == "undetermined" and next(o for o in g.options if o.label == "税務システム").checked is None
    # its own box unreadable too: still unknown
    g, _ = _i23_field(key)
    recheck_boxes(g, text.replace(f"[ {boxes['税務システム']} ] 税務システム", "[ ⍰ ] 税務システム"))
    assert g.status == "undetermined"
    # all found and agreeing: taken
    recheck_boxes(f, text)
    assert f.ok and next(o for o in f.options if o.label == "税務システム").checked is ("税務システム" in want["checked"])


def test_one_misread_glyph_never_turns_an_option_into_another():
    # every option of every list with one glyph replaced by one that is in no option, or one glyph lost
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    read = wrong = 0
    for olist in OPTION_LISTS.values():
        for o in olist.options:
            for i in range(len(o)):
                for variant in (o[:i] + "〓" + o[i + 1:], o[:i] + o[i + 1:]):
                    if variant in olist.options:
                        continue
                    got = _ocr_option(variant, olist)
                    read += got is not None and got.text == o
                    wrong += got is not None and got.text != o
    assert wrong == 0 and read > 1700


@pytest.mark.parametrize("read,want", [("要託する", "委託する"), ("雪託する", "委託する"), ("要託しない", "委託しない"),
                                       ("要託するも", None), ("再要託する", None)])
def test_short_option_with_its_first_glyph_misread(read, want):
    # rounds 6 and 9: 委託する read "要託する" (twice) and "雪託する": the differing span する / しない is read exactly
    from extract.forms.interpret import _ocr_option
    from extract.forms.model import OPTION_LISTS

    got = _ocr_option(read, OPTION_LISTS["B-ITAKU"])
    assert (got.text if got else None) == want


def test_other_text_of_a_box_group_read_again_is_still_confirmed_by_the_other_readings():
    # a group made whole by its boxes' second reading must not publish a その他 text no other reading spells:
    # the committed juten_gyokuto_kokuho scan, p. 3, Ⅱ 2 ④ (II.2.4a), its 国税関係情報 box unread and the
    # その他 text misread by the page pass
    import json

    from extract.forms.model import OPTION_LISTS
    from extract.forms.verify import verify_ocr_fields

    scan = FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.pdf"
    key = json.loads(scan.with_name("juten_gyokuto_kokuho.scan200.key.json").read_text(encoding="utf-8"))
    want = next(e for e in key["fields"] if e["key"] == "II.2.4a")
    olist = OPTION_LISTS[_item("重点項目評価書", "II.2.4a").options]

    def field(other):
        opts = [CheckOption(o, n, None if o == "国税関係情報" else o in want["checked"],
                            other if o == "その他" else None) for n, o in enumerate(olist.options, start=1)]
        return FieldValue(key="II.2.4a", label="記録される項目", kind="checkbox", options=opts, file_no=1,
                          status="undetermined", reason="tick-unknown: tick state unknown for 国税関係情報",
                          evidence=Evidence(str(scan), 3, (176.0, 289.7, 558.8, 443.8), method="ocr", confidence=0.9))

    wrong = field("市町村CSを通じて入手すゐ。")
    verify_ocr_fields(scan, [wrong])
    other = next(o for o in wrong.options if o.label == "その他")
    assert other.checked is True and other.text is None and "not confirmed" in wrong.reason
    right = field(want["other_text"])
    verify_ocr_fields(scan, [right])
    assert right.ok and next(o for o in right.options if o.label == "その他").text == want["other_text"]
    assert next(o for o in right.options if o.label == "国税関係情報").checked is False


def _ocr_text_field(value, conf, key="I.5.1"):
    return FieldValue(key=key, label="部署", kind="text", value_text=value,
                      evidence=Evidence(source="x.pdf", page=1, bbox=(0, 0, 10, 10), method="ocr", confidence=conf))


def test_a_weak_ocr_text_needs_a_second_reading_that_spells_it_the_same():
    from extract.forms.verify import TEXT_CONFIDENT, _weak_text, confirm_text

    # r11_a04 scan: 佐世保市長 read "佐世保币長" with its least character probability 0.95
    f = _ocr_text_field("佐世保币長", 0.95)
    assert _weak_text(f) and not _weak_text(_ocr_text_field("佐世保市長", TEXT_CONFIDENT))
    confirm_text(f, "佐世保市長\n")
    assert not f.ok and f.reason.startswith("ocr-unconfirmed: read with confidence 0.95 as '佐世保币長'")
    assert "'佐世保市長'" in f.reason
    g = _ocr_text_field("総務部 税務課", 0.9)
    confirm_text(g, "総務部税務課")  # spaces and widths aside, the same
    assert g.ok and "confirmed by a second reading" in g.reason


def test_a_text_read_with_an_old_glyph_form_needs_a_second_reading_however_confident():
    from extract.forms.verify import _weak_text, confirm_text

    # scan round 18, r28_b02 Ⅱ 4 (file 2, 委託事項2): PP-OCR read 齡 for 齢 at 0.99, and the group name was stored wrong
    f = _ocr_text_field("後期高齡者医療システム運用保守業務", 0.99, key="II.4.itaku.name")
    assert _weak_text(f) and not _weak_text(_ocr_text_field("後期高齢者医療システム運用保守業務", 0.99))
    confirm_text(f, "後期高齢者医療システム運用保守業務")
    assert not f.ok and "(old glyph forms 齡)" in f.reason


def test_a_text_of_one_glyph_needs_a_second_reading_however_confident():
    from extract.forms.verify import _weak_declaration, _weak_text

    # scan round 7, r17_a11 at 150 dpi: the 宣言 stored as "言" (read at 1.00), a glyph of its own label
    decl = _ocr_text_field("言", 1.0, key="cover.declaration")
    assert _weak_declaration(decl) and _weak_text(_ocr_text_field("有", 1.0))
    assert not _weak_text(_ocr_text_field("随時", 1.0))


def test_a_second_reading_spells_the_glyph_the_first_left_out():
    # scan round 5, r15_a12 p. 6: the page pass dropped the 〒 (kept as ⍰, probability 0); Tesseract reading the
    # cell again spells it and agrees on the rest, spaces aside
    from extract.forms.verify import confirm_text, fill_unread

    f = _ocr_text_field("日出町子育て支援課\n⍰942-4013日出町大手町1丁目1番1号\n電話 095-658-8808", 0.0, key="V.2.1")
    confirm_text(f, "日出町子育て支援課\n〒942-4013 日出町大手町1丁目1番1号\n電話 095-658-8808")
    assert f.ok and f.value_text == "日出町子育て支援課\n〒942-4013日出町大手町1丁目1番1号\n電話 095-658-8808"
    assert "unread glyphs" in f.reason
    g = _ocr_text_field("⍰942-4013日出町", 0.0, key="V.2.1")
    confirm_text(g, "〒942-4014 日出町")  # a digit differs: the readings disagree
    assert not g.ok and g.value_text == "⍰942-4013日出町"
    assert fill_unread("⍰942", "942") is None  # the second reading has nothing in its place
    assert fill_unread("942", "〒942") is None  # nothing unread in the first


def test_a_second_reading_of_a_cell_holding_the_label_over_the_value_confirms_the_value_lines():
    # scan round 3, r13_a07 (a sheet printing "①システムの名称" over its value in one cell): the cell read again
    # gives the label's line too, garbled; the value's lines spelled the same confirm it (95 texts there)
    from extract.forms.verify import confirm_text

    f = _ocr_text_field("国民健康保険システム", 0.75, key="I.2.1")
    confirm_text(f, "リンズステムの名柱\n国民健康保険システム")
    assert f.ok and "confirmed by a second reading" in f.reason
    g = _ocr_text_field("被保険者の資格管理、 保険税の賦課、 保険給付の管理を行う。", 0.84, key="I.2.2")
    confirm_text(g, "gンスズステムの機能\n従保険者の資格管理、保険税の由課、保険給付の管理を行う。")
    assert not g.ok  # the value's own glyphs differ: two readings disagree
    h = _ocr_text_field("中間サーバー", 0.72, key="I.2.1")
    confirm_text(h, "リンシステムの名称\n中間サーバー\n1")  # a line after the value is not the label's
    assert not h.ok
    k = _ocr_text_field("中間サーバー", 0.72, key="I.2.1")
    confirm_text(k, "a\nb\nc\n中間サーバー")  # three lines before it: more than a label
    assert not k.ok


def test_names_are_not_weak_texts_they_have_their_vote():
    from extract.forms.verify import _weak_text

    assert not _weak_text(_ocr_text_field("玉東町長", 0.5, key="cover.org"))


def test_ocr_values_on_a_page_without_cell_borders_are_undetermined():
    # scan round 2 (r12_a01, r12_a06): light-grey borders lost in the scan, values bound by reading order
    # alone went to the wrong items; a page that shows no ruling line binds nothing
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_unbound_values

    def ocr(key, page):
        return FieldValue(key=key, label=key, kind="selection", value_text="十分である",
                          evidence=Evidence(source="x.pdf", page=page, method="ocr", confidence=0.99))

    parsed = ParsedDocument(Identity(), [ocr("IV.2.1", 1), ocr("IV.3.1", 2)], [])
    pages = [PageInfo(1, "ocr", "absent", rules=3), PageInfo(2, "ocr", "absent", rules=31)]
    out = without_unbound_values(parsed, pages)
    assert [(f.key, f.ok, f.value_text) for f in out.fields] == [("IV.2.1", False, None), ("IV.3.1", True, "十分である")]
    assert out.fields[0].reason.startswith("structure-unknown: page 1 was read by OCR and its text is not in cells")
    assert parsed.fields[0].ok  # the input is left as it was
    assert without_unbound_values(parsed, [PageInfo(1, "pdf-text", "usable", rules=0)]) is parsed


def test_no_box_is_known_empty_on_a_page_whose_ticks_faded():
    # scan round 6, r16_b10 p. 12: a box split over two lines got no ink measured and read "[ ]" from the OCR text
    # alone; on that page every ○ faded to specks or vanished, so 電子記録媒体 read unticked was a wrong tick
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_empty_boxes_on_faded_pages

    def group(page, states):
        return FieldValue(key="II.5.teikyo.6", label="提供方法", kind="checkbox", file_no=2, group_no=1,
                          value_text="紙", options=[CheckOption(lbl, n, st) for n, (lbl, st) in enumerate(states, 1)],
                          evidence=Evidence(source="x.pdf", page=page, method="ocr", confidence=0.9))

    states = [("専用線", None), ("電子記録媒体（フラッシュメモリを除く。）", False), ("紙", True)]
    parsed = ParsedDocument(Identity(), [group(12, states), group(13, states)], [])
    out = without_empty_boxes_on_faded_pages(parsed, [PageInfo(12, "ocr", "absent", rules=40, faded_ticks=True),
                                                       PageInfo(13, "ocr", "absent", rules=40)])
    faded, clean = out.fields
    assert [o.checked for o in faded.options] == [None, None, True] and not faded.ok and faded.value_text is None
    assert faded.reason.startswith("tick-unknown: the ticks of page 12 are faded") and faded.reason.endswith("除く。）")
    assert [o.checked for o in clean.options] == [None, False, True] and clean.value_text == "紙"
    assert parsed.fields[0].options[1].checked is False  # the input is left as it was


def test_value_on_its_labels_line_is_kept_on_a_page_without_borders():
    from extract.core.fields import Evidence, FieldValue
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_unbound_values

    def ocr(key, kind, bands):
        return FieldValue(key=key, label=key, kind=kind, value_text="十分である",
                          evidence=Evidence(source="x.pdf", page=1, method="ocr", confidence=0.99, bands=bands))

    fields = [ocr("IV.2.1", "selection", 1), ocr("IV.3.1", "selection", 2), ocr("I.1.1", "text", 1),
              ocr("IV.5.1", "selection", None), ocr("IV.8.1", "checkbox", 3), ocr("III.2.R1.rating", "selection", 1)]
    fields[-1].file_no = 2
    pages = [PageInfo(1, "ocr", "absent", rules=0)]
    out = without_unbound_values(ParsedDocument(Identity(), fields, []), pages)
    # a checkbox group on three lines is kept: each box is bound by the option beside it; file 2: files unknown
    assert [f.ok for f in out.fields] == [True, False, False, False, True, False]
    known = Identity(file_names=["住民基本台帳ファイル", "本人確認情報ファイル"])
    out = without_unbound_values(ParsedDocument(known, fields, []), pages)
    assert [f.ok for f in out.fields] == [True, False, False, False, True, True]
    unread = Identity(file_names=["住民基本台帳ファイル", None, None])
    assert not without_unbound_values(ParsedDocument(unread, fields, []), pages).fields[-1].ok


def test_a_one_line_text_on_its_labels_line_is_kept_without_borders_only_when_nothing_wraps_into_it(monkeypatch):
    # the text corpus with its rules taken away, read as OCR (r2_a02: labels centred beside their values): a
    # text alone on its label's line, with nothing right above or below it in its column, is the whole value;
    # where a wrapped value's tail or middle line shares the label's line, the rest went to other items
    from conftest import read_without_rules

    from extract.forms.dispatch import parse_segments
    from extract.forms.verify import without_unbound_values

    pdf = FIXTURES / "corpus" / "round2" / "r2_a02_zen_bihoro_shogai.pdf"
    doc = read_without_rules(monkeypatch, pdf)
    got = {(f.key, f.file_no): f for f in without_unbound_values(parse_segments(doc), doc.pages, doc.segments).fields}
    key = {(e["key"], e.get("file_no")): e for e in json.loads(pdf.with_suffix(".key.json").read_text("utf-8"))["fields"]}
    for k in [("III.4.3a", 3), ("V.2.2", None), ("cover.notes", None)]:
        assert got[k].ok and got[k].value_text == key[k]["value_text"], k
    # "窓口において…\nホームページ及び…": the label's line holds the second line only
    for k in [("II.3.5", 1), ("II.3.8", 1), ("I.5", None)]:
        assert got[k].evidence.bands == 1 and not got[k].ok and got[k].reason.startswith("structure-unknown"), k


def test_bands_count_the_lines_of_label_and_value():
    from extract.core.segments import Segment
    from extract.forms.interpret import Region

    def seg(y0, y1, x0=200.0):
        return Segment("x", page=3, bbox=(x0, y0, x0 + 100, y1), method="ocr")

    label = seg(684, 693, 51)  # ②安全管理体制, centred in its row (r2_a02 with its rules taken away)
    # the walk took the row's wrapped option list and the next row's value: two bands, not one
    assert Region([(seg(686, 695), "x"), (seg(701, 711), "[ y ]")], "", label).bands() == 2
    assert Region([(seg(683, 692), "[ 十分である ]")], "", label).bands() == 1
    assert Region([(seg(683, 692), "[ 十分である ]")], "", None).bands() == 1
    assert Region([(Segment("x", line=4), "[ a ]")], "").bands() is None  # a text input has no boxes


def test_a_free_text_is_as_sure_as_its_least_sure_part():
    # scan round 3, r13_b10 p. 14: a speck read as "海" (0.40) on a line of its own after the value
    # joined the text, whose confidence was its first cell's (0.98): the text passed as sure
    from extract.core.segments import Segment
    from extract.forms.interpret import Region, read_text
    from extract.forms.model import FORMS

    item = FORMS["全項目評価書"].items_by_key["III.3.R2.4a"]
    value = Segment("アクセス権限は事務に必要な範囲に限定し、人事異動の都度見直している。", page=14,
                    bbox=(200, 480, 560, 495), method="ocr", confidence=0.982)
    speck = Segment("海", page=14, bbox=(546, 499, 550, 502), method="ocr", confidence=0.402)
    fv = read_text(item, Region([(value, value.text), (speck, speck.text)], "x.pdf"))
    assert fv.value_text.endswith("\n海") and fv.evidence.confidence == 0.402
    assert fv.evidence.bbox == (200, 480, 560, 502)  # provenance: the box of every part read, the speck's too


def test_a_selections_position_is_its_brackets_and_its_bands_count_label_and_value_only():
    # r1_a05 with its rules taken away: the label's line carries the tail of the printed option list
    # ("… 3) 課題が残されている"); the value's brackets stand two lines lower, in the next row
    from extract.core.segments import Segment
    from extract.forms.interpret import Region, read_selection
    from extract.forms.model import FORMS

    item = FORMS["基礎項目評価書"].items_by_key["IV.3.1"]
    label = Segment("目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策は十分", page=4,
                    bbox=(51, 162, 199, 171))
    parts = [Segment("いる　2) 十分である　3) 課題", page=4, bbox=(374, 163, 491, 172)),
             Segment("が残されている", page=4, bbox=(374, 172, 435, 180)),
             Segment("[ 課題が残されている ]", page=4, bbox=(203, 197, 292, 206))]
    fv = read_selection(item, Region([(s, s.text) for s in parts], "x.pdf", label))
    assert fv.value_text == "課題が残されている"
    assert fv.evidence.bbox == (203, 197, 292, 206)  # the brackets, not the option list on the label's line
    assert fv.evidence.bands == 2  # label and value: two lines, so not kept on a page without borders
    beside = Segment("[ 十分である ]", page=4, bbox=(203, 163, 260, 172))
    fv = read_selection(item, Region([(s, s.text) for s in (beside, *parts[:2])], "x.pdf", label))
    assert (fv.value_text, fv.evidence.bands) == ("十分である", 1)  # the wrapped option list does not count


def test_a_value_on_the_line_right_under_its_label_in_its_column_is_below_it():
    # scan round 4, r14_a06 p. 4 (a borderless sheet): "①ファイルの種類※", and on the next line, in the label's
    # column, "[ その他の電子ファイル（表計算ファイル等） ]"; its option list stands on the right
    from extract.core.fields import FieldValue
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo, Segment
    from extract.forms.interpret import Region, read_selection
    from extract.forms.model import FORMS
    from extract.forms.verify import without_unbound_values

    item = FORMS["重点項目評価書"].items_by_key["II.2.1"]
    label = Segment("①ファイルの種類", page=4, bbox=(37, 97, 102, 104), method="ocr")
    value = Segment("[ その他の電子ファイル（表計算ファイル等） ]", page=4, bbox=(38, 105, 210, 113), method="ocr")
    listed = Segment("1）システム用ファイル", page=4, bbox=(390, 105, 474, 113), method="ocr")
    fv = read_selection(item, Region([(value, value.text), (listed, listed.text)], "x.pdf", label))
    assert fv.value_text == "その他の電子ファイル（表計算ファイル等）"
    assert (fv.evidence.bands, fv.evidence.below) == (2, True)
    # r14_b12 p. 3: the value indented under its label ("③対象人数" at x 44, "[ 30万人以上]" at x 53)
    indented = Region([(Segment("[ 30万人以上]", page=3, bbox=(53, 212, 549, 220)), "[ 30万人以上]")], "x.pdf",
                      Segment("③対象人数", page=3, bbox=(44, 200, 82, 208)))
    assert indented.below(0)
    # scan round 7, r17_b03 p. 19 (renderer B): values indented 30 pt, over three lines, still under the label
    deep = Region([(Segment("[ 記録を残していない ]", page=19, bbox=(84, 181, 206, 191)), "")], "x.pdf",
                  Segment("特定個人情報ファイルの取扱いの記録", page=19, bbox=(54, 167, 220, 176)))
    assert deep.below(0)
    # a line between them, or the value in another column (past the label's end), is not below it
    far = Region([(Segment("[ 1万人未満 ]", page=4, bbox=(38, 118, 120, 126)), "")], "x.pdf", label)
    right = Region([(Segment("[ 1万人未満 ]", page=4, bbox=(203, 105, 290, 113)), "")], "x.pdf", label)
    assert not far.below(0) and not right.below(0)
    ocr = FieldValue(key="II.2.1", label="", kind="selection", value_text=fv.value_text, file_no=1, evidence=fv.evidence)
    known = Identity(file_names=["都道府県知事保存附票本人確認情報ファイル"])
    out = without_unbound_values(ParsedDocument(known, [ocr], []), [PageInfo(4, "ocr", "absent", rules=0)])
    assert out.fields[0].ok


def test_a_one_line_text_right_under_its_label_is_kept_without_borders():
    # scan round 4, r14_b12 p. 3 (renderer B: no borders, each label over its value): "①事務の名称" at x 42, its value
    # one line lower at x 56. Text corpus with its rules removed: such texts 2,132 right, none wrong
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo, Segment
    from extract.forms.interpret import Region, read_text
    from extract.forms.model import FORMS
    from extract.forms.verify import without_unbound_values

    item = FORMS["全項目評価書"].items_by_key["I.1.1"]
    label = Segment("①事務の名称", page=3, bbox=(42, 107, 91, 115), method="ocr")
    value = Segment("特別児童扶養手当の支給に関する事務", page=3, bbox=(56, 119, 197, 127), method="ocr", confidence=0.99)
    fv = read_text(item, Region([(value, value.text)], "x.pdf", label))
    assert fv.evidence.below and fv.value_text == "特別児童扶養手当の支給に関する事務"
    pages = [PageInfo(3, "ocr", "absent", rules=0)]
    assert without_unbound_values(ParsedDocument(Identity(), [fv], []), pages).fields[0].ok
    # a text over two lines is not: its second line may be the next row's
    more = Segment("特別児童扶養手当", page=3, bbox=(56, 131, 150, 139), method="ocr", confidence=0.99)
    two = read_text(item, Region([(value, value.text), (more, more.text)], "x.pdf", label))
    assert not two.evidence.below
    assert not without_unbound_values(ParsedDocument(Identity(), [two], []), pages).fields[0].ok


def test_files_are_known_only_when_the_blocks_names_agree_with_the_list():
    # scan round 3, r13_b10: Ⅰ 3's list took the sentence above it for a first file; the one file's Ⅲ block, its name
    # read right, became file 1 of two. Per-file values on pages without borders need the files known
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_unbound_values

    def ocr(key, kind, value, page, file_no, label=""):
        return FieldValue(key=key, label=label or key, kind=kind, value_text=value, file_no=file_no,
                          evidence=Evidence(source="x.pdf", page=page, method="ocr", confidence=0.99, bands=1))

    name = "都道府県知事保存本人確認情報ファイル"
    fields = [ocr("III.1", "text", "都道府 知事保存本人確認情報フアイル", 13, 1, label="特定個人情報ファイル名"),
              ocr("III.4.2", "selection", "制限している", 15, 1)]
    pages = [PageInfo(15, "ocr", "absent", rules=0)]
    sentence = "申請者の負担軽減と事務の効率化を図るため。個人番号を用いて特定個人情報ファイルを管理する必要がある 州"
    out = without_unbound_values(ParsedDocument(Identity(file_names=[sentence, name]), fields, []), pages)
    assert not out.fields[1].ok and out.fields[1].reason.startswith("structure-unknown")
    out = without_unbound_values(ParsedDocument(Identity(file_names=[name]), fields, []), pages)
    assert out.fields[1].ok and out.fields[1].value_text == "制限している"


def test_a_flag_box_printed_with_its_own_label_is_one_band_wherever_the_heading_stands():
    # r13_a06 p. 3 (scan round 3): "4. 特定個人情報ファイルの取扱いの委託" above, "[ ] 委託しない" on a line of its own
    from extract.core.segments import Segment
    from extract.forms.interpret import Region, read_flag
    from extract.forms.model import FORMS

    item = FORMS["基礎項目評価書"].items_by_key["IV.4.flag"]
    heading = Segment("4. 特定個人情報ファイルの取扱いの委託", page=3, bbox=(38, 325, 240, 335))
    box = Segment("[ ] 委託しない", page=3, bbox=(182, 343, 240, 353))
    fv = read_flag(item, Region([(box, box.text)], "x.pdf", heading), None, "")
    assert (fv.ok, fv.value_text, fv.options[0].checked, fv.evidence.bands) == (True, None, False, 1)
    # the label wrapped away from its box: the box is bound across lines, so both lines count
    wrapped = [Segment("[ ○ ] 委託し", page=3, bbox=(182, 343, 240, 353)), Segment("ない", page=3, bbox=(182, 356, 200, 366))]
    fv = read_flag(item, Region([(s, s.text) for s in wrapped], "x.pdf", heading), None, "")
    assert (fv.value_text, fv.evidence.bands) == ("委託しない", 3)


def test_the_number_of_files_read_on_a_page_without_borders_with_names_unread_is_not_known():
    # scan round 3, r13_a06 p. 2: 基礎 I.2 lists three files; on the borderless page the list's region took
    # one garbled line ("自立支援手 ルル"), counted as one file whose name was not confirmed
    from extract.core.fields import Evidence, FieldValue
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_unbound_values

    listing = FieldValue(key="I.2", label="特定個人情報ファイル名", kind="text", value_text="自立支援手 ルル",
                         evidence=Evidence(source="x.pdf", page=2, method="ocr", confidence=0.9, bands=1))
    bare = [PageInfo(1, "ocr", "absent", rules=12), PageInfo(2, "ocr", "absent", rules=0)]
    out = without_unbound_values(ParsedDocument(Identity(file_names=[None]), [listing], []), bare)
    assert out.identity.file_names == [] and "number of files is not known" in out.warnings[0]
    named = Identity(file_names=["障害者手帳ファイル"])
    assert without_unbound_values(ParsedDocument(named, [listing], []), bare).identity.file_names == ["障害者手帳ファイル"]
    bordered = [PageInfo(2, "ocr", "absent", rules=12)]
    assert without_unbound_values(ParsedDocument(Identity(file_names=[None]), [listing], []), bordered
                                  ).identity.file_names == [None]


def test_ticks_of_a_box_column_are_read_from_its_ink_and_bound_by_place():
    # the same cell (scan round 3, r13_a07 p. 5): the page pass kept the circles ("o", "O") and lost the
    # brackets, so no box was found after the label
    import pymupdf as fitz
    from conftest import FIXTURES

    from extract.core.fields import Evidence, FieldValue
    from extract.forms.verify import read_box_column, upright_crop

    raw = ("o 個人番号\nO 個人番号対応符号\nその他識別情報（内部番号)\nO 4情報（氏名、性別、 生年月日、住所）\n連絡先（電話番号等）\n"
           "その他主民票関係情報\n国税関 系情報\nO 地方税 周係情報\nO 健康 医療関係情報\n医療保 関係情報\n児童福祉・子育て関係情報\n"
           "障害者福祉関係情報\n生活保護・社会福祉関係情報\n介護・高齡者福祉関係情報\n雇用・労働関係情報\n年金関係情報\n"
           "学校・教育関係情報\n災害関係情報\nその他 （ ）")

    def field(text):
        return FieldValue(key="II.2.4a", label="主な記録項目", kind="checkbox", raw=text, scale="C-KOMOKU",
                          status="undetermined", reason="not-found: no [ ] boxes with this item's options after the label",
                          evidence=Evidence("x.pdf", 5, (211.1, 284.6, 518.1, 462.5), method="ocr", confidence=0.28))

    with fitz.open(FIXTURES / "corpus" / "scan3" / "r13_a07_juten_saga_kokuho.scan200.pdf") as doc:
        cell = upright_crop(doc[4], (211.1, 284.6, 518.1, 462.5), 400)
    f = field(raw)
    read_box_column(f, cell, 400 / 72)
    assert f.ok and f.value_text == "個人番号、個人番号対応符号、4情報（氏名、性別、生年月日、住所）、地方税関係情報、健康・医療関係情報"
    assert [o.checked for o in f.options].count(False) == 14 and f.reason.startswith("ocr: ticks from the ink")
    # a line that names another option than the one of its place: the binding is not trusted
    swapped = raw.replace("連絡先（電話番号等）\nその他主民票関係情報", "その他主民票関係情報\n連絡先（電話番号等）")
    f = field(swapped)
    read_box_column(f, cell, 400 / 72)
    assert not f.ok and f.options == []
    # one line fewer than options and boxes: nothing is bound
    f = field(raw.rsplit("\n", 1)[0])
    read_box_column(f, cell, 400 / 72)
    assert not f.ok and f.options == []


def test_a_page_whose_text_is_not_in_its_cells_is_unbound_like_a_page_without_rules():
    # scan round 2, r12_a12 at 150 dpi, p. 21: 70 rules found, none of its 55 segments placed in a cell; the
    # walk bound two ratings by reading order, to the wrong items
    from extract.core.segments import PageInfo, Segment
    from extract.forms.verify import unbound_pages

    pages = [PageInfo(1, "ocr", "absent", rules=70), PageInfo(2, "ocr", "absent", rules=40),
             PageInfo(3, "pdf-text", "usable", rules=0), PageInfo(4, "ocr", "absent", rules=2)]
    loose = [Segment("x", page=1, method="ocr") for _ in range(5)]
    celled = [Segment("x", page=2, method="ocr", row=r, col=0) for r in range(4)] + [Segment("y", page=2, method="ocr")]
    text = [Segment("x", page=3, method="pdf-text")]
    assert unbound_pages(pages, loose + celled + text) == {1, 4}
    assert unbound_pages(pages) == {4}  # no segments given: the rule count alone


def test_a_weakly_read_declaration_needs_a_second_reading_that_spells_it():
    # scan round 4, r14_b01: the 宣言 read "…取扱いにあたリり、…" at 0.49 was kept ok: as a name (the affair's vote)
    # it skipped the weak-text rule. The grey reading of its cell holds the heading too
    from extract.forms.verify import verify_ocr_fields

    value = "徳島県は、生活保護の決定及び実施に関する事務における特定個人情報ファイルの取扱いにあたリり、特定個人情報ファイル"
    right = value.replace("あたリり", "あたり")

    def field(conf, text=value):
        return FieldValue(key="cover.declaration", label="個人のプライバシー等の権利利益の保護の宣言", kind="text",
                          value_text=text, evidence=Evidence("x.pdf", 1, (40.0, 203.0, 555.0, 269.0), method="ocr",
                                                             confidence=conf))

    def reread(page, bbox, languages="jpn", dpi=0, skew=0.0, grey=False):
        return "個人のプライバシー等の権利利益の保護の宣言\n" + right

    scan = FIXTURES / "scan" / "juten_gyokuto_kokuho.scan200.pdf"
    weak = field(0.49)
    verify_ocr_fields(scan, [weak], reread_with=reread)
    assert not weak.ok and weak.reason.startswith("ocr-unconfirmed: read with confidence 0.49")
    agreeing = field(0.49, right)
    verify_ocr_fields(scan, [agreeing], reread_with=reread)
    assert agreeing.ok and "confirmed by a second reading" in agreeing.reason
    sure = field(0.99)
    verify_ocr_fields(scan, [sure], reread_with=reread)
    assert sure.ok  # read sure once: no second reading asked of it


def test_a_value_alone_with_its_label_between_two_ruling_lines_is_kept_without_cell_borders(monkeypatch):
    # a sheet ruled across, without verticals (renderer B, r4_b11 p. 16), read as OCR: no cells, so the values were
    # bound by reading order only and cleared; a row between two rules that holds the label and its value and
    # nothing else ties them, wrapped lines and all
    from conftest import read_as_ocr

    from extract.forms.dispatch import parse_segments
    from extract.forms.verify import without_unbound_values
    from pipelines.bench.score import fold_text

    pdf = FIXTURES / "corpus" / "round4" / "r4_b11_zen_nagasaki_pref_seiho.pdf"
    doc = read_as_ocr(monkeypatch, pdf)
    got = {(f.key, f.file_no): f for f in without_unbound_values(parse_segments(doc), doc.pages, doc.segments).fields}
    key = {(e["key"], e.get("file_no")): e for e in json.loads(pdf.with_suffix(".key.json").read_text("utf-8"))["fields"]}
    for k in [("III.2.R1.b", 1), ("III.2.R3.c", 1), ("III.3.R1.b", 1)]:
        f = got[k]
        assert f.ok and f.evidence.ruled and f.evidence.bands > 2, k
        assert fold_text(f.value_text) == fold_text(key[k]["value_text"]), k


def test_a_ruled_row_ties_a_value_only_when_the_row_holds_nothing_else(monkeypatch):
    # the text corpus with its verticals taken away (r1_a08, r1_a04), read as OCR
    from conftest import read_as_ocr

    from extract.forms.dispatch import parse_segments
    from extract.forms.verify import without_unbound_values

    def read(name):
        pdf = FIXTURES / "corpus" / "round1" / name
        doc = read_as_ocr(monkeypatch, pdf, keep=lambda rule: rule.horizontal)
        fields = without_unbound_values(parse_segments(doc), doc.pages, doc.segments).fields
        return {(f.key, f.file_no): f for f in fields}

    # "権利利益に影響を与え得る決定 賦課額の…" with the label's "※" wrapped under it: the row's lines are all the item's,
    # but a line that starts where the label starts, beside a value, is the label's tail, not the value
    got = read("r1_a08_zen_beppu_jido.pdf")
    assert not got[("II.3.8c", 1)].ok and got[("II.3.8c", 1)].reason.startswith("structure-unknown")
    assert got[("II.3.8", 1)].ok and got[("II.3.8", 1)].evidence.ruled  # ⑧使用方法's three lines beside it
    # "10. その他のリスク対策" shares its printed line with the value's second line, whose first line is in the row
    # above: the line's words lie in two rows, so it is in none, and the value is not tied
    got = read("r1_a04_juten_miyazaki_pref_chiho.pdf")
    assert not got[("III.10", 1)].ok


def test_file_names_end_at_their_file_word():
    # scan round 9, r19_b08 (light grey text; Tesseract's second readings of the names are all junk): Ⅱ 1 read right,
    # Ⅲ 1 read "県税総合ファル" (a glyph of ファイル lost) and "自動車税種別割ファイル別割ファィル" (its tail read twice)
    ocr = Evidence("x.pdf", 3, (0, 0, 1, 1), method="ocr", confidence=0.9)

    def f(key, no, text):
        return FieldValue(key=key, label=key, kind="text", file_no=no, value_text=text, evidence=ocr)

    fields = [f("II.1", 1, "県税総合ファイル"), f("II.1", 2, "自動車税種別割ファイル"), f("II.1", 3, "個人事業税ファイル"),
              f("III.1", 1, "県税総合ファル"), f("III.1", 2, "自動車税種別割ファイル別割ファィル"),
              f("III.1", 3, "個人事業税ファイル\nL\n一っている ]")]
    second = {("II.1", 1): "ソーンーゴイゴ", ("II.1", 2): "品四用", ("II.1", 3): "/ソアイ",
              ("III.1", 1): "(1) 舞刻帳主本報ファイリし", ("III.1", 2): "時選申品主|", ("III.1", 3): "部穫メソノソアゴイ"}
    assert per_file_names(fields, second) == {1: "県税総合ファイル", 2: "自動車税種別割ファイル", 3: "個人事業税ファイル"}


def test_a_labels_tail_read_twice_does_not_start_its_value():
    # scan round 9, r19_b08 Ⅲ 1: "(1)特定個人情報ファイル名報ファィル名" (two line crops over the label's end)
    from extract.forms.walk import EXACT, OCR

    label = "特定個人情報ファイル名"
    assert OCR.value_start("報ファィル名\n県税総合ファル", label) == "県税総合ファル"
    assert OCR.value_start("県税総合ファイル", label) == "県税総合ファイル"
    assert OCR.value_start("①事務の名称", "①事務の名称") == ""  # the whole label read twice (r19_b08 p. 2)
    assert EXACT.value_start("報ファィル名", label) == "報ファィル名"
    # a value that repeats the label's words is a value: 基礎 Ⅱ 2 "…取扱者数は500人以上か [ 500人以上 ]"
    assert OCR.value_start("[ 500人以上 ]", "特定個人情報ファイル取扱者数は500人以上か") == "[ 500人以上 ]"
    # scan round 5, r15_a10 at 150 dpi: "②所属長の役取名" matched the short alias "②所属長"; its tail, a glyph misread,
    # is the label's, not the 所属長の役職名 (a value alike but for two glyphs of four stays a value)
    assert OCR.value_start("の役取名", "②所属長の役職名") == ""
    assert OCR.value_start("保険年金課長", "②所属長の役職名") == "保険年金課長"
    assert OCR.value_start("の課取名", "②所属長の役職名") == "の課取名"


@pytest.mark.parametrize("rest, option", [
    (") 特定個人情報ファイル", True),  # "1) 特定個人情報ファイル" + "の全体": scan round 9, r19_a05 Ⅱ 4
    (")特定個人情報ファイルの全", True),
    (". 特定個人情報ファイル", False),  # "1. 特定個人情報ファイル名" with 名 lost: the section
    ("特定個人情報ファイルの全", True),  # 0.8 of the option, however numbered
    ("特定個人情報ファイル", False),
])
def test_a_line_numbered_as_options_are_is_an_option_at_any_wrap(rest, option):
    from extract.forms.ocr_recovery import _is_option

    assert _is_option(rest) is option


def test_a_line_of_text_is_read_again_with_a_margin_a_cell_inside_its_borders():
    # scan round 9, r19_b08 p. 3, Ⅱ 1's file name on a sheet without cell borders: its box is the line's, tight to its
    # ink; inset like a cell's it lost a third of the glyphs' height and Tesseract read "褒人 ソリアイ 月"
    pytest.importorskip("tesserocr")
    import pymupdf as fitz

    from extract.forms.verify import INSET, crop_box, second_reading
    from extract.sources.scan.ocr import page_skew

    line = Evidence("x.pdf", 3, (232.0, 84.0, 307.0, 93.0), method="ocr")
    assert crop_box(replace(line, cell=True)) == line.bbox
    assert crop_box(line)[1] < line.bbox[1] - INSET and crop_box(line)[3] > line.bbox[3] + INSET
    with fitz.open(FIXTURES / "corpus" / "scan9" / "r19_b08_juten_oita_pref_chiho.scan200.pdf") as doc:
        page = doc[2]
        assert second_reading(page, crop_box(line), skew=page_skew(page), grey=True).strip() == "県税総合ファイル"


def test_a_text_of_several_lines_keeps_the_box_of_all_of_them(monkeypatch):
    # r4_b11 p. 16 read as OCR (rows ruled across, no cells): each printed line is a segment; the text's box is the
    # union of its lines, so that its second reading reads all of it
    from conftest import read_as_ocr

    from extract.forms.dispatch import parse_segments

    doc = read_as_ocr(monkeypatch, FIXTURES / "corpus" / "round4" / "r4_b11_zen_nagasaki_pref_seiho.pdf")
    f = next(f for f in parse_segments(doc).fields if (f.key, f.file_no) == ("III.2.R1.b", 1))
    lines = [s for s in doc.segments if s.page == 16 and s.text.strip() and s.bbox[1] >= f.evidence.bbox[1] - 0.1
             and s.bbox[3] <= f.evidence.bbox[3] + 0.1 and s.bbox[0] >= f.evidence.bbox[0] - 0.1]
    assert f.value_text.count("\n") == 1 and len(lines) == 2 and not f.evidence.cell
    assert [ln.text.strip()[:10] for ln in lines] == [t[:10] for t in f.value_text.split("\n")]


def test_a_label_and_its_alias_do_not_compete():
    # scan round 5, r15_a12 p. 2: "2所属長の役職名\n子育て支援課長" (② read as 2) matched both ②所属長の役職名 and its alias
    # ②所属長 as a prefix: a tie, so no label opened, and ①部署 took the next row whole ("子育て支援課\n2所属長の役職名\n…")
    from extract.forms.fuzzy import best

    targets = ["所属長の役職名", "所属長", "部署"]
    text = "所属長の役職名子育て支援課長"
    assert best(text, targets, floor=0.8) is None
    assert best(text, targets, floor=0.8, owners=["I.5.2", "I.5.2", "I.5.1"])[0] in (0, 1)
    assert best("部署子育て支援課", targets, floor=0.8, owners=["I.5.2", "I.5.2", "I.5.1"])[0] == 2


def test_a_label_read_with_its_number_misread_opens_its_item_beside_its_alias():
    # the same page read end to end: ②所属長の役職名 opens its item, and each value is its own
    pytest.importorskip("tesserocr")
    from pipelines.process import process_file

    pdf = FIXTURES / "corpus" / "scan5" / "r15_a12_kiso_hiji_jido.scan200.pdf"
    key = {e["key"]: e for e in json.loads(pdf.with_suffix(".key.json").read_text("utf-8"))["fields"]}
    got = {f.key: f for f in process_file(pdf).fields}
    for k in ("I.5.1", "I.5.2"):
        assert got[k].ok and got[k].value_text == key[k]["value_text"], k


def test_a_group_name_read_again_with_its_heading_is_confirmed():
    # scan round 9, r19_b08 Ⅱ 4: the name's cell read again holds the group's heading before it
    from extract.forms.verify import confirm_text

    def name(text):
        return FieldValue(key="II.4.itaku.name", label="委託事項", kind="text", value_text=text,
                          evidence=Evidence("x.pdf", 7, (0, 0, 1, 1), method="ocr", confidence=0.81))

    f = name("県税電話催告業務")
    confirm_text(f, "委託事項1 県税電話催告業務")
    assert f.ok and "confirmed" in f.reason
    # a reading that is only the end of the name, or follows anything but the heading, confirms nothing
    for first, second in [("催告業務", "委託事項1 県税電話催告業務"), ("県税電話催告業務", "提供先1 県税電話催告業務")]:
        g = name(first)
        confirm_text(g, second)
        assert not g.ok and g.reason.startswith("ocr-unconfirmed")


def test_a_list_number_read_glued_to_the_next_file_name_still_starts_a_name():
    # scan round 12, r22_b04 (a swapped layer, the page read by OCR): Ⅰ 2 read "1被保護者台帳ファイル 2生活保護受給者
    # ファイル", the numbers glued to the names; it counted as one file named "被保護者台帳ファイル 2生活保護受給者ファイル"
    ocr = Evidence("x.pdf", 2, (0, 0, 1, 1), method="ocr")
    listed = FieldValue(key="I.2", label="特定個人情報ファイル名", kind="text", evidence=ocr,
                        value_text="1被保護者台帳ファイル 2生活保護受給者ファイル")
    assert listed_file_names([listed]) == {1: "被保護者台帳ファイル", 2: "生活保護受給者ファイル"}
    # or glued to the name before it (scan round 13, r23_a01 at 150 dpi: one file "個人事業税ファイル2 自動車税種別割…")
    listed = replace(listed, value_text="1 個人事業税ファイル2 自動車税種別割ファイル")
    assert listed_file_names([listed]) == {1: "個人事業税ファイル", 2: "自動車税種別割ファイル"}
    # a number after a name that does not end in ファイル is part of it
    listed = replace(listed, value_text="1 住民基本台帳ファイル 2024年版")
    assert listed_file_names([listed]) == {1: "住民基本台帳ファイル 2024年版"}


def test_a_name_cells_second_reading_drops_the_label_the_crop_took_in():
    # scan round 13, r23_a07 Ⅱ 1 and Ⅲ 1 (no borders: the name is read on its label's line): the grey reading of the
    # crop was "1 特定個人情報ファイル名 障害者手帳ファイル" and the label stood for the name in both cells, so the one
    # file's name was unknown, and with it every per-file value of the document
    from extract.forms.verify import _name_lines

    text = "1 特定個人情報ファイル名 障害者手帳ファイル"
    assert _name_lines(text) == "1 特定個人情報ファイル名"
    assert _name_lines(text, "特定個人情報ファイル名") == "障害者手帳ファイル"
    assert _name_lines("1 特定個人情報ファイル名 障害者手帳ファイル", "特定個人情報ファイル名") == "障害者手帳ファイル"
    # a list's entries keep their numbers, and a name like the label only in part stays
    assert _name_lines("(1) 障害者手帳ファイル\n(2) 個人情報ファイル", "特定個人情報ファイル名") == \
        "(1) 障害者手帳ファイル\n(2) 個人情報ファイル"
    # the two cells, each read twice, now agree on the one name
    from extract.forms.identity import _read_in_every_cell

    cells = [[_name_lines(text, "特定個人情報ファイル名"), "障害者手帳ファイル"]] * 2 + [[None, None, None]]
    assert _read_in_every_cell(cells) == "障害者手帳ファイル"
    assert _read_in_every_cell([[_name_lines(text), "障害者手帳ファイル"]] * 2 + [[None, None, None]]) is None


def test_values_read_below_solid_ink_are_not_tied_to_an_item():
    # scan round 13, r23_a07 p. 11: a shadow thresholded to black hid Ⅲ 2's リスク3 heading (y 286-470), and the
    # rating under it, right under its label, was bound to リスク2. What lies below the ink on its page is unbound;
    # what lies above it, another page's values and a text layer's are kept
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo
    from extract.forms.verify import without_values_under_blots

    def rating(page, y, method="ocr"):
        return FieldValue(key="III.2.R2.rating", label="リスクへの対策は十分か", kind="selection", file_no=1,
                          value_text="特に力を入れている", option_no=1, status="ok",
                          evidence=Evidence("x.pdf", page, (30.0, y, 200.0, y + 18), method=method, confidence=0.9))

    fields = [rating(11, 490.0), rating(11, 120.0), rating(10, 490.0), rating(11, 490.0, "pdf-text")]
    pages = [PageInfo(10, "ocr", "absent", rules=0), PageInfo(11, "ocr", "absent", rules=0,
                                                             blots=((11.0, 286.0, 605.0, 470.0),))]
    out = without_values_under_blots(ParsedDocument(Identity(), fields, []), pages).fields
    assert [f.ok for f in out] == [False, True, True, True]
    assert out[0].value_text is None and out[0].reason.startswith("blotted: page 11 has solid ink")
    assert without_values_under_blots(ParsedDocument(Identity(), fields, []), pages[:1]).fields == fields


def test_ink_clear_of_the_line_starts_unbinds_only_what_it_crosses():
    # scan round 17, r27_a10 p. 4: a dirty drum's streak blackened the top right corner (x 430-595, y 0-77) over
    # the form's stamp; the page's lines start at x 37, so no heading lies hidden under it, and the values below it
    # (II.2.2 "[1万人以上10万人未満]" at y 148) stay bound. A value the ink crosses is still unbound.
    from extract.core.result import Identity, ParsedDocument
    from extract.core.segments import PageInfo, Segment
    from extract.forms.verify import without_values_under_blots

    def value(y, x0=205.3):
        return FieldValue(key="II.2.2", label="対象となる本人の数", kind="selection", file_no=1,
                          value_text="1万人以上10万人未満", option_no=2, status="ok",
                          evidence=Evidence("x.pdf", 4, (x0, y, x0 + 84, y + 8), method="ocr", confidence=0.62))

    lines = [Segment(t, page=4, bbox=(x, y, x + 90, y + 8), method="ocr") for x, y, t in (
        (37.5, 57.8, "Ⅱ特定個人情報ファイルの概要"), (37.7, 74.1, "1. 特定個人情報ファイル名"), (37.0, 88.5, "2. 基本情報"),
        (37.0, 101.5, "①ファイルの種類※"), (39.2, 148.1, "②対象となる本人の数"), (205.3, 148.3, "1万人以上10万人未満"),
        (202.1, 114.7, "<選択肢>"), (582.6, 83.3, "#"))]
    corner = PageInfo(4, "ocr", "absent", rules=0, blots=((430.0, 0.0, 595.0, 77.0),))
    fields = [value(148.3), value(60.0, x0=440.0)]
    out = without_values_under_blots(ParsedDocument(Identity(), fields, []), [corner], lines).fields
    assert [f.ok for f in out] == [True, False]
    # the same ink reaching the line starts may hide a heading: everything under it is unbound, as before
    wide = PageInfo(4, "ocr", "absent", rules=0, blots=((30.0, 0.0, 595.0, 77.0),))
    assert [f.ok for f in without_values_under_blots(ParsedDocument(Identity(), fields, []), [wide], lines).fields] \
        == [False, False]


def test_a_box_whose_brackets_were_read_as_two_kinds_is_a_box():
    # scan round 8, r18_b09 p. 6, Ⅱ 2 主な記録項目, options flowing over the lines as PP-OCR read them: "[" ending a
    # line and "】" starting the next, "【 ○ ]"; none of these made a box, and 12 options were "not printed"
    from extract.forms.interpret import read_checkbox

    text = ("・識別情報 [ ○ ] 個人番号 [\n】 個人番号対応符号\n生年月日、住所） 【\n】 連絡先（電話番号等） [\n"
            "関係情報 ・業務関係情報 [\n】 国税関係情報 [ ○ 】 地方税関係情\n報 [\n] 健康・医療関係情報 【 ○ ]1医療保険関係情報")
    f = read_checkbox(_item("重点項目評価書", "II.2.4a"), _ocr_region(text))
    ticks = {o.label: o.checked for o in f.options if o.checked is not None}
    assert ticks == {"個人番号": True, "個人番号対応符号": False, "連絡先（電話番号等）": False, "国税関係情報": False,
                     "地方税関係情報": True, "健康・医療関係情報": False, "医療保険関係情報": True}
