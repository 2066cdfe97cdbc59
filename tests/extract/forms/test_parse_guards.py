"""Guards against structure errors, on a real fixture whose segments are damaged as OCR damages them."""

from __future__ import annotations

import json
from dataclasses import replace

from conftest import FIXTURES

from extract.forms.dispatch import parse_segments
from extract.sources.pdf.document import pdf_segments
from normalize.text import normalize_text

PDF = FIXTURES / "pdf" / "juten_gyokuto_kokuho.pdf"


def _segments():
    return pdf_segments(PDF)


def test_a_missed_part_heading_does_not_invent_a_second_file():
    doc = _segments()
    kept = [s for s in doc.segments if normalize_text(s.text) != "Ⅲ リスク対策"]
    assert len(kept) == len(doc.segments) - 1  # exactly the Ⅲ heading (page 6) is lost
    parsed = parse_segments(replace(doc, segments=kept))
    assert parsed.identity.file_names == ["国民健康保険ファイル"]
    second = [f for f in parsed.fields if f.key == "II.1" and f.file_no == 2]
    assert len(second) == 1 and second[0].status == "undetermined"
    assert second[0].reason.startswith("conflict: file 2 of II has the name of file 1")
    # the answers read into that block are Ⅲ's under Ⅱ's items: none of them is published
    block = [f for f in parsed.fields if f.key.startswith("II.") and f.file_no == 2]
    assert len(block) > 5 and not any(f.ok for f in block)


def test_the_intact_document_reads_one_file():
    parsed = parse_segments(_segments())
    assert parsed.identity.file_names == ["国民健康保険ファイル"]
    assert not [f for f in parsed.fields if f.key == "II.1" and f.file_no == 2]


def test_file_blocks_renumbered_by_name_when_a_part_heading_was_not_read():
    # seen on a held-out scan (juten_yatsushiro_juki): the Ⅲ heading unread, Ⅲ's first file block was
    # counted as a fourth file of Ⅱ, and Ⅲ's files 2 and 3 as its files 1 and 2
    from extract.core.fields import FieldValue
    from extract.forms.blocks import reconcile_file_blocks as _reconcile_file_blocks
    from extract.forms.model import FORMS

    def fv(key, no, value):
        return FieldValue(key=key, label="", kind="text", file_no=no, value_text=value,
                          section_path=f"{key.split('.')[0]} (file {no}) 1")

    names = ["住民基本台帳ファイル", "本人確認情報ファイル", "送付先情報ファイル", "住民基本台帳ファイル"]
    fields = [fv("II.1", n, name) for n, name in enumerate(names, 1)]
    fields += [fv("II.2.1", 4, "Ⅲ's answer under a Ⅱ key")]
    fields += [fv("III.1", 1, "本人確認情報ファイル"), fv("III.2.R1.rating", 1, "十分である"),
               fv("III.1", 2, "送付先情報ファイル"), fv("III.2.R1.rating", 2, "課題が残されている")]
    warnings: list[str] = []
    _reconcile_file_blocks(FORMS["重点項目評価書"], fields, warnings)
    by = {(f.key, f.file_no): f for f in fields}
    assert not by[("II.1", 4)].ok and not by[("II.2.1", 4)].ok and "part heading" in by[("II.2.1", 4)].reason
    assert by[("II.1", 1)].ok
    assert by[("III.2.R1.rating", 2)].value_text == "十分である" and by[("III.2.R1.rating", 2)].ok
    assert by[("III.2.R1.rating", 3)].value_text == "課題が残されている"
    assert ("III.2.R1.rating", 1) not in by
    assert by[("III.1", 3)].section_path == "III (file 3) 1"


def test_file_blocks_whose_names_match_nothing_are_left_undetermined_once_the_count_is_wrong():
    from extract.core.fields import FieldValue
    from extract.forms.blocks import reconcile_file_blocks as _reconcile_file_blocks
    from extract.forms.model import FORMS

    fields = [FieldValue(key="II.1", label="", kind="text", file_no=n, value_text=v)
              for n, v in ((1, "Aファイル"), (2, "Bファイル"), (3, "Cファイル"))]
    fields += [FieldValue(key="III.1", label="", kind="text", file_no=1, value_text="A7ァイル"),
               FieldValue(key="III.9.1", label="", kind="selection", file_no=1, value_text="十分に行っている"),
               FieldValue(key="III.1", label="", kind="text", file_no=2, value_text="Cファイル"),
               FieldValue(key="III.9.1", label="", kind="selection", file_no=2, value_text="特に力を入れて行っている")]
    _reconcile_file_blocks(FORMS["全項目評価書"], fields, [])
    rated = {f.file_no: f for f in fields if f.key == "III.9.1"}
    assert rated[3].ok and rated[3].value_text == "特に力を入れて行っている"  # Cファイル is file 3
    assert not rated[1].ok and "miscounted" in rated[1].reason  # "A7ァイル" matches no file


def test_ocr_section_heading_with_both_title_glyphs_misread_is_confirmed_by_its_label():
    # 8. 監査 read "8 .息杜" (juten_yatsushiro_juki, kiso_kumamoto_pref_seiho scans): the number is the
    # next section's and the next label (実施の有無) is that section's first item
    kiso = FIXTURES / "pdf" / "kiso_gyokuto_juki.pdf"
    doc = pdf_segments(kiso)
    assert any(normalize_text(s.text) == "8. 監査" for s in doc.segments)

    def as_scan(text):
        return "8 .息杜" if normalize_text(text) == "8. 監査" else text

    scan = replace(doc, segments=[replace(s, text=as_scan(s.text), method="ocr") for s in doc.segments])
    audit = next(f for f in parse_segments(scan).fields if f.key == "IV.8.1")
    assert audit.ok and {o.label for o in audit.options if o.checked} == {"自己点検"}  # as the key says
    # without the number the heading is nothing, and the short label alone does not open the section
    bare = replace(doc, segments=[replace(s, text="息杜" if normalize_text(s.text) == "8. 監査" else s.text,
                                          method="ocr") for s in doc.segments])
    assert not next(f for f in parse_segments(bare).fields if f.key == "IV.8.1").ok


def test_next_part_heading_with_its_numeral_glued_to_the_title():
    # juten_yatsushiro_juki scan p. 14: "Ⅲ リスク対策" read as "芋リスク対策 . . ーー"; without the heading every
    # Ⅲ answer of file 1 was taken for a second Ⅱ block and left undetermined
    from extract.forms.model import FORMS
    from extract.forms.ocr_recovery import _next_part_glued
    from extract.forms.scope import Scope as _Ctx

    form = FORMS["重点項目評価書"]
    part = {p.number: p for p in form.parts}
    ctx = _Ctx(form, part=part[2])
    assert _next_part_glued(form, ctx, "芋リスク対策 . . ーー") is part[3]
    assert _next_part_glued(form, ctx, "芋リスク対策の実施") is None  # more than the title: not a heading
    assert _next_part_glued(form, _Ctx(form, part=part[1]), "芋リスク対策") is None  # Ⅲ does not follow Ⅰ
    assert _next_part_glued(form, ctx, "リスク対策 .") is part[3]  # the numeral lost (round 6 rescan, p. 6)
    assert _next_part_glued(form, ctx, "リスク対策の実施") is None
    # scan round 4, r14_a06 p. 9: the numeral read twice, the heading's tail after the title; unread, the file's
    # "1 特定個人情報ファイル名" below it opened a second Ⅱ block and every Ⅲ answer was lost
    head = "ⅢⅢリスク対策 （7.②を除く。） （1 都道府県知事保存附票本人確認情報ファイル）"
    assert _next_part_glued(form, ctx, head) is part[3]
    assert _next_part_glued(form, _Ctx(form, part=part[1]), head) is None
    assert _next_part_glued(form, ctx, "ⅢⅢリスク対策の実施（7.②を除く。）") is None
    zen = FORMS["全項目評価書"]
    zparts = {p.number: p for p in zen.parts}
    # round-6 rescan of zen_koshi_jidou, p. 7: a glyph for Ⅲ and リスク read リスグ in a long title
    head = "臣特定個人情報ファイルの取扱いプロセスにおけるリスグ対策."
    assert _next_part_glued(zen, _Ctx(zen, part=zparts[2]), head) is zparts[3]
    assert _next_part_glued(zen, _Ctx(zen, part=zparts[1]), head) is None
    # scan round 13, r23_a07 p. 11: the numeral lost, ファイル read ブァイル, the heading's note after the title; its
    # "1 特定個人情報ファイル名" opened a second file, and the file's list was then unknown (every per-file value lost)
    head = "特定個人情報ブァイルの取扱いプロセスにおけるリスク対策※（7.リスク1⑨を除く。） （1 障"
    assert _next_part_glued(zen, _Ctx(zen, part=zparts[2]), head) is zparts[3]
    assert _next_part_glued(zen, _Ctx(zen, part=zparts[2]), head.replace("ブァイル", "ブァイノレ")) is None  # two off
    assert _next_part_glued(zen, _Ctx(zen, part=zparts[2]), head.replace("※", "の")) is None  # a sentence goes on
    kiso = FORMS["基礎項目評価書"]
    kparts = {p.number: p for p in kiso.parts}
    # kiso_yamae_seiho scan p. 2: the Ⅲ heading read "しきい値午断千果 ーー" (two glyphs off), the label of its
    # one item below it "しきい値痢断結果" (one off): that cell opens Ⅲ, else its answer joined Ⅱ 3's
    assert _next_part_glued(kiso, _Ctx(kiso, part=kparts[2]), "しきい値痢断結果") is kparts[3]
    # scan round 11, r21_a08 p. 4 (under a swapped text layer): Ⅲ read as three glyphs, "IⅢIしきい値判断結果"; Ⅱ 3's
    # region took Ⅲ and Ⅳ whole (3 of 17 selections and ticks read)
    assert _next_part_glued(kiso, _Ctx(kiso, part=kparts[2]), "IⅢIしきい値判断結果") is kparts[3]
    assert _next_part_glued(kiso, _Ctx(kiso, part=kparts[2]), "IⅢIIしきい値判断結果") is None
    assert _next_part_glued(kiso, _Ctx(kiso, part=kparts[2]), "しきい値午断千果 ーー") is None
    assert _next_part_glued(kiso, _Ctx(kiso, part=kparts[1]), "しきい値痢断結果") is None


def test_checkbox_group_with_an_unreadable_label_is_named_by_its_options():
    # zen_asahikawa_tax scan p. 5: "①入手元" read as "④和手元"; the boxes after it print 入手元's own options
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    intact = [f for f in parse_segments(replace(doc, segments=ocr)).fields if f.key == "II.3.1"]
    assert len(intact) == 1 and intact[0].ok
    damaged = [replace(s, text="④和手元") if normalize_text(s.text) == "①入手元" else s for s in ocr]
    assert sum(s.text == "④和手元" for s in damaged) == 1
    got = [f for f in parse_segments(replace(doc, segments=damaged)).fields if f.key == "II.3.1"]
    assert len(got) == 1 and got[0].ok
    assert [(o.label, o.checked) for o in got[0].options] == [(o.label, o.checked) for o in intact[0].options]
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    want = next(e for e in key["fields"] if e["key"] == "II.3.1")
    assert [o.label for o in got[0].options if o.checked] == want["checked"]
    assert [o.label for o in got[0].options if o.checked is False] == want["unchecked"]


def test_a_short_date_label_one_glyph_off_is_confirmed_by_its_date():
    # juten_yatsushiro_juki scan p. 1: "公表日" read as "公委日" (too short for similarity: one glyph of three)
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))

    def published(segments):
        got = [f for f in parse_segments(replace(doc, segments=segments)).fields if f.key == "cover.published"]
        return got[0] if got else None  # a cover item never matched is not listed

    intact = published(ocr)
    assert intact.ok and intact.value_date == key["identity"]["published"]
    damaged = [replace(s, text="公委日") if normalize_text(s.text) == "公表日" else s for s in ocr]
    assert sum(s.text == "公委日" for s in damaged) == 1
    got = published(damaged)
    assert got.ok and got.value_date == intact.value_date and got.evidence.confidence <= 0.8
    # the value must be a whole date: a label one glyph off with a year alone after it stays undetermined
    i = next(i for i, s in enumerate(damaged) if s.text == "公委日")
    cut = damaged[: i + 1] + [replace(damaged[i + 1], text="令和7年")] + damaged[i + 2:]
    assert published(cut).status == "undetermined"
    # two glyphs off is not taken; nor a label that ends otherwise
    for text in ("公委目", "会委日"):
        other = [replace(s, text=text) if s.text == "公委日" else s for s in damaged]
        assert published(other) is None


def test_first_part_opened_by_its_first_section_when_its_heading_is_unread():
    # juten_kumamoto_kyoiku round-7 rescan p. 2: "Ⅰ 基本情報" read ".T 時本情報"; the cover's labels stayed in
    # scope, Ⅰ 6 "評価実施機関における担当部署" was taken for 評価実施機関名 (a conflict) and Ⅰ went unread
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    heading = [s for s in ocr if normalize_text(s.text) == "Ⅰ 基本情報"]
    assert len(heading) == 1
    damaged = [replace(s, text=".T 時本情報") if s is heading[0] else s for s in ocr]
    fields = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=damaged)).fields}
    assert fields[("cover.org", None)].ok and fields[("cover.org", None)].value_text == key["identity"]["organization_raw"]
    want = {e["key"]: e for e in key["fields"] if e["key"].startswith("I.")}
    got = [k for k, _ in fields if k in want and fields[(k, None)].ok]
    assert len(got) == len(want) >= 3


def test_cover_title_row_placed_by_content_when_both_header_labels_are_misread():
    # round-8 rescan of kiso_kumamoto_pref_seiho: "評価書番号 | 評価書名" read "生価午番号 | 評価守名"
    from extract.core.segments import Segment
    from extract.forms.identity import title_row
    from extract.forms.model import FORMS

    def seg(text, row, col):
        return Segment(text, page=1, bbox=(10.0 * col, 10.0 * row, 10.0 * col + 9, 10.0 * row + 9), method="ocr",
                       row=row, col=col)

    kiso = FORMS["基礎項目評価書"]
    segs = [Segment("特定個人情報保護評価書( 基礎項目評価書 )", page=1, method="ocr"), seg("生価午番号", 0, 0),
            seg("評価守名", 0, 1), seg("8", 1, 0), seg("生活保護に関する事務 基礎項目評価書", 1, 1)]
    got = {f.key: (f.value_text, f.evidence.bbox, f.reason) for f in title_row(kiso, segs, "x.pdf")}
    assert got["cover.title"][:2] == ("生活保護に関する事務 基礎項目評価書", (10.0, 10.0, 19.0, 19.0))
    assert got["cover.no"][:2] == ("8", (0.0, 10.0, 9.0, 19.0)) and got["cover.no"][2].startswith("content")
    # another form's name, a number cell that is not digits, a text layer: nothing placed
    assert title_row(FORMS["全項目評価書"], segs, "x.pdf") == []
    assert [f.key for f in title_row(kiso, [*segs[:3], seg("8 号", 1, 0), segs[4]], "x.pdf")] == ["cover.title"]
    text = [Segment(s.text, page=1, row=s.row, col=s.col) for s in segs]
    assert title_row(kiso, text, "x.pdf") == []


def test_two_rows_read_as_one_cell_are_split_at_the_second_label():
    # juten_gyokuto_kokuho round-9 rescan p. 1: the rule under the 機関名 row lost in the raster, its cell read
    # "玉東町長\n公表日": the org took the label, the date had none. Split at the label not yet read.
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    i = next(i for i, s in enumerate(ocr) if normalize_text(s.text) == key["identity"]["organization_raw"])
    assert normalize_text(ocr[i + 1].text) == "公表日"
    merged = ocr[:i] + [replace(ocr[i], text=ocr[i].text + "\n" + ocr[i + 1].text)] + ocr[i + 2:]
    fields = {f.key: f for f in parse_segments(replace(doc, segments=merged)).fields if f.file_no is None}
    assert fields["cover.org"].ok and fields["cover.org"].value_text == key["identity"]["organization_raw"]
    assert fields["cover.published"].ok and fields["cover.published"].value_date == key["identity"]["published"]
    assert fields["cover.published"].evidence.bbox[1] > fields["cover.org"].evidence.bbox[1]
    # the text layer's cells are never split (its rules are drawn, not found)
    text = [replace(s, method="pdf-text") for s in merged]
    fields = {f.key: f for f in parse_segments(replace(doc, segments=text)).fields if f.file_no is None}
    assert "\n" in fields["cover.org"].value_text


def test_cover_title_whose_form_name_is_misread_is_still_the_title():
    # zen_koshi_jidou round-9 rescan p. 1: "評価書名" read "如価書名" (the number's label opened the row) and
    # the name "… 全項目生価書": no line held 評価書, so the title was lost
    doc = _segments()
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    title = key["identity"]["title"]
    assert title.endswith("重点項目評価書")

    def damage(s):
        text = normalize_text(s.text)
        if text == "評価書名":
            return replace(s, text="如価書名", method="ocr")
        if text == normalize_text(title):
            return replace(s, text=s.text.replace("重点項目評価書", "重点項目生価書"), method="ocr")
        return replace(s, method="ocr")

    damaged = [damage(s) for s in doc.segments]
    assert sum("生価書" in s.text for s in damaged) == 1
    got = parse_segments(replace(doc, segments=damaged)).identity.title
    assert got is not None and got.split() == title.split()
    # two glyphs off is not the form's name
    worse = [replace(s, text=s.text.replace("生価書", "生価害")) for s in damaged]
    assert parse_segments(replace(doc, segments=worse)).identity.title is None


def _as_scan_with(replacements: dict[str, str]):
    """The fixture's segments as OCR segments, cells whose text (spaces dropped) is a key replaced by its value."""
    doc = _segments()
    segs = [replace(s, method="ocr", text=replacements.get(normalize_text(s.text).replace(" ", ""), s.text))
            for s in doc.segments]
    assert sum(s.text in replacements.values() for s in segs) == len(replacements)
    return {(f.key, f.file_no, f.group_no): f for f in parse_segments(replace(doc, segments=segs)).fields}


def test_a_short_selection_label_one_glyph_off_is_confirmed_by_its_value():
    # zen_kumamoto_pref round-9 rescan: "消去手順" read "消去手誠", "⑦使用者数" read "合用者数"
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    want = next(e["value_text"] for e in key["fields"] if e["key"] == "I.1.3")
    got = _as_scan_with({"③対象人数": "③対像人数"})[("I.1.3", None, None)]
    assert got.ok and got.value_text == want and got.evidence.confidence <= 0.8
    # the value must be an option of the item's list
    got = _as_scan_with({"③対象人数": "③対像人数", f"[{want}]": "[ たくさん ]"})[("I.1.3", None, None)]
    assert got.status == "undetermined" and "not an option" in got.reason


def test_a_label_with_only_its_circled_number_read_follows_the_form_order():
    # zen_koshi_jidou round-9 rescan p. 13: "②監査" read "②申杜"; ①自己点検 read before it
    key = json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))
    want = next(e for e in key["fields"] if e["key"] == "II.4.itaku.4")
    k = ("II.4.itaku.4", want["file_no"], want["group_no"])
    got = _as_scan_with({"④再委託の有無": "④申杜"})[k]
    assert got.ok and got.value_text == want["value_text"] and got.evidence.confidence <= 0.7
    # ③ not read before it: the number does not follow the order, nothing is taken
    unordered = _as_scan_with({"④再委託の有無": "④申杜", "③委託先名": "③申杜名"})
    assert k not in unordered or not unordered[k].ok
    first = _as_scan_with({"④再委託の有無": "①申杜"})  # ① never: nothing before it to agree with
    assert k not in first or not first[k].ok


def test_ocr_value_bracket_closed_by_a_lenticular_bracket_before_a_count():
    # zen_kumamoto_pref round-9 rescan p. 5: "[ 委託する ] (1)件" read "[ 雪託する 】 (1 )件"
    k = normalize_text("［委託する］ （１ ）件").replace(" ", "")
    fields = _as_scan_with({k: "[ 委託する 】 (1 )件"})
    assert fields[("II.4.0", 1, None)].ok and fields[("II.4.0", 1, None)].value_text == "委託する"
    assert fields[("II.4.0.count", 1, None)].value_int == 1
    # a value two glyphs off is still no option
    assert _as_scan_with({k: "[ 雪話する 】 (1 )件"})[("II.4.0", 1, None)].status == "undetermined"


def test_date_labels_misread_with_their_circled_number_and_a_speck():
    # round-9 rescans: "①実施日" read "ぐ実施日 ・" (juten_gyokuto_kokuho V.1.1) and "ぐ実施晶 ー" (zen_koshi_jidou
    # VI.3.1, a list of dates): the speck after a space dropped; the number and one glyph misread
    doc = _segments()
    key = {e["key"]: e for e in json.loads(PDF.with_suffix(".key.json").read_text(encoding="utf-8"))["fields"]}
    spots = [i for i, s in enumerate(doc.segments) if s.text == "①実施日"]
    assert len(spots) == 2
    for first, second in (("ぐ実施日 ・", "ぐ実施晶 ー"), ("ぐ実施晶 ー", "ぐ実施日 ・")):
        segs = [replace(s, method="ocr") for s in doc.segments]
        segs[spots[0]], segs[spots[1]] = replace(segs[spots[0]], text=first), replace(segs[spots[1]], text=second)
        fields = {f.key: f for f in parse_segments(replace(doc, segments=segs)).fields}
        assert fields["V.1.1"].ok and fields["V.1.1"].value_date == key["V.1.1"]["value_date"]
        assert fields["V.3.1"].ok and fields["V.3.1"].value_text == "、".join(key["V.3.1"]["value_dates"])
        assert min(fields["V.1.1"].evidence.confidence, fields["V.3.1"].evidence.confidence) <= 0.8


def _read_ok(doc, segments, prefix: str) -> set[tuple]:
    """(key, value) of the fields read ok whose key starts with `prefix`, `segments` parsed as `doc`."""
    fields = parse_segments(replace(doc, segments=segments)).fields
    return {(f.key, f.value_text) for f in fields if f.key.startswith(prefix) and f.ok}


def test_a_part_whose_heading_is_lost_is_opened_by_its_first_section():
    # zen_koshi_jidou round-6 rescan p. 14: the "Ⅴ 開示請求、問合せ" row never read; its items were looked for in
    # Ⅳ and lost. Here Ⅳ of the 重点 fixture (the same part): its heading dropped, its fields read as before
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    intact = _read_ok(doc, ocr, "IV.")
    assert len(intact) >= 4
    assert _read_ok(doc, [s for s in ocr if normalize_text(s.text) != "Ⅳ 開示請求、問合せ"], "IV.") == intact


def test_first_section_of_a_part_with_its_title_unread_is_confirmed_by_its_label():
    # zen_koshi_jidou scan p. 13: "1. 監査" read "1. 堅" right after the Ⅳ heading; "①自己点検" was then looked for
    # among Ⅳ's own items and lost. Here Ⅳ 1 of the 重点 fixture, "1.特定個人情報の開示・訂正・利用停止請求"
    doc = _segments()
    ocr = [replace(s, method="ocr") for s in doc.segments]
    intact = _read_ok(doc, ocr, "IV.1.")
    assert len(intact) >= 3
    heading = "1.特定個人情報の開示・訂正・利用停止請求"
    assert sum(normalize_text(s.text) == heading for s in ocr) == 1
    cut = [replace(s, text="1. 堅") if normalize_text(s.text) == heading else s for s in ocr]
    assert _read_ok(doc, cut, "IV.1.") == intact


def _as_ocr(doc):
    from extract.core.enums import Method

    return replace(doc, segments=[replace(s, method=Method.OCR) for s in doc.segments])


def _values(parsed, prefix):
    return {(f.key, f.file_no, f.group_no): (f.value_text, f.value_date, [o.checked for o in f.options])
            for f in parsed.fields if f.key.startswith(prefix) and f.ok}


def _reads_as_intact(doc, segs):
    """The document with `segs` for its segments reads Ⅰ (eight values at least) and Ⅲ as the intact one does."""
    intact, damaged = parse_segments(doc), parse_segments(replace(doc, segments=segs))
    want = _values(intact, "I.")
    assert len(want) >= 8
    assert _values(damaged, "I.") == want
    assert _values(damaged, "III.") == _values(intact, "III.")


def test_scanned_toc_entry_misread_does_not_end_the_list():
    # scan round 2, r12_a12: the 項目一覧 entry "Ⅰ 基本情報" OCR'd as "|基本情報" ended the list, its
    # "(別添2) 変更箇所" entry opened the change table, and every item after it was lost
    doc = _as_ocr(pdf_segments(FIXTURES / "corpus" / "round6" / "r6_a05_juten_ureshino_kokuho.pdf"))
    toc = next(i for i, s in enumerate(doc.segments) if normalize_text(s.text) == "項目一覧")
    entry = next(i for i in range(toc, toc + 3) if normalize_text(doc.segments[i].text) == "Ⅰ 基本情報")
    heading = next(i for i in range(entry + 1, len(doc.segments))
                   if normalize_text(doc.segments[i].text) == "Ⅰ 基本情報")
    assert doc.segments[heading].page > doc.segments[toc].page
    segs = list(doc.segments)
    segs[entry] = replace(segs[entry], text="|基本情報")
    segs[heading] = replace(segs[heading], text="1基本情報")
    _reads_as_intact(doc, segs)


def test_scanned_toc_title_misread_leaves_its_change_entry_a_toc_line():
    # scan round 17, r27_b01 p. 2: the list's title OCR'd "項目一" was not known for the 項目一覧, its entries opened
    # the parts they name, and the last, "(別添3)変更箇所", opened the change table before any item was read: every
    # item of the document went to the table. The table's heading counts only once an item's label was read.
    doc = _as_ocr(pdf_segments(FIXTURES / "corpus" / "round6" / "r6_a05_juten_ureshino_kokuho.pdf"))
    toc = next(i for i, s in enumerate(doc.segments) if normalize_text(s.text) == "項目一覧")
    segs = list(doc.segments)
    segs[toc] = replace(segs[toc], text="項目一")
    _reads_as_intact(doc, segs)


def test_a_scanned_text_under_its_label_starting_far_right_of_it_lost_its_beginning():
    # scan round 3, r13_a07 at 150 dpi, p. 4 (labels over values, a dark gradient): "国保年金課長 清水 浩二" under
    # ②所属長 was read "水 浩二" from x 118, 67 pt right of the label; both readings of that crop agree, and it was a
    # wrong text. The document's other values under their labels start flush with them (Ⅰ 4, Ⅰ 5 ②, Ⅰ 6 ①): that is
    # its indent. The lines below are the pages' OCR lines as read; values starting at the usual indent stay.
    from extract.core.enums import InputKind, Method
    from extract.core.segments import Segment, SegmentedDocument

    lines = [(1, 177.8, 57.1, 405.4, 68.9, "特定個人情報保護評価書（重点項目評価書）"),
             (3, 51.4, 60.0, 130.0, 70.0, "Ⅰ 基本情報"),
             (3, 50.7, 628.0, 118.1, 636.4, "4個人番号の利用"), (3, 51.6, 640.0, 99.9, 647.7, "法令上の根拠"),
             (3, 51.9, 648.2, 408.7, 655.9, "行政手続における特定の個人を識別するための番号の利用等に関する法律第9条第1項別表17の項"),
             (3, 51.6, 664.0, 203.5, 672.2, "5情報提供ネットワークシステムによる"), (3, 248.2, 664.5, 255.4, 671.7, "※"),
             (3, 54.0, 675.8, 99.4, 683.0, "①実施の有無"), (3, 373.2, 675.8, 515.8, 683.0, "<選択肢>実施する 実施しない 未定"),
             (3, 55.9, 683.7, 99.4, 691.2, "[ 実施する ]"), (3, 53.3, 698.1, 108.0, 705.6, "②法令上の根拠"),
             (3, 51.9, 706.3, 226.6, 713.7, "番号法第19条第8号に基づく主務省令第2条の表"),
             (4, 51.4, 83.4, 178.6, 92.0, "6評価 実施機関における担当部署"), (4, 53.1, 95.4, 74.9, 102.6, "①部署"),
             (4, 51.4, 103.8, 160.0, 111.5, "佐賀市役所 国保年金課"), (4, 50.9, 118.7, 83.1, 126.4, "②所属長"),
             (4, 117.9, 125.9, 148.8, 133.3, "水 浩二"), (4, 51.1, 136.9, 127.0, 152.3, "7他の評価実施機関"),
             (4, 212.2, 140.5, 227.3, 147.2, "なし")]
    segs = [Segment(t, page=p, bbox=(x0, y0, x1, y1), method=Method.OCR) for p, x0, y0, x1, y1, t in lines]
    doc = SegmentedDocument("x.pdf", InputKind.PDF_SCAN, segs, 4)
    got = {f.key: f for f in parse_segments(doc).fields}
    assert got["I.6.1"].ok and got["I.6.1"].value_text == "佐賀市役所 国保年金課"
    assert not got["I.6.2"].ok and got["I.6.2"].value_text is None
    assert got["I.6.2"].reason.startswith("ocr-unconfirmed: the value, printed under its label, starts well right")
    assert got["I.7"].ok and got["I.7"].value_text == "なし"  # beside its label: not under it
    assert got["I.5.2"].ok and got["I.5.2"].value_text == "番号法第19条第8号に基づく主務省令第2条の表"
    # a layout whose values under their labels are indented (reportlab's stacked rows, 24 pt) keeps them
    shifted = [replace(s, bbox=(s.bbox[0] + 24, *s.bbox[1:])) if s.text in ("佐賀市役所 国保年金課", "番号法第19条第8号に基づく主務省令第2条の表")
               or s.text.startswith("行政手続") else s for s in segs]
    again = {f.key: f for f in parse_segments(replace(doc, segments=shifted)).fields}
    assert again["I.6.1"].ok and again["I.5.2"].ok and not again["I.6.2"].ok


def test_a_scanned_label_read_whole_is_not_taken_for_its_short_alias():
    # scan round 18, r28_a01 p. 2 (one cell per row, label and value on one line, ② read "2"): the line matched both
    # ②所属長の役職名 and its older alias ②所属長; the alias won, and the value began with the label's "役職名"
    from extract.core.enums import InputKind, Method
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.fuzzy import best

    lines = [(1, 180.0, 60.0, 410.0, 72.0, "特定個人情報保護評価書（基礎項目評価書）"),
             (2, 36.0, 60.0, 557.7, 78.0, "Ⅰ 関連情報"),
             (2, 36.0, 348.9, 557.7, 367.8, "5.評価実施機関における担当部署"),
             (2, 36.0, 367.8, 557.7, 386.1, "①部署 松本市役所健康づくり課"),
             (2, 36.0, 386.1, 557.7, 404.4, "2所属長の役職名 健康づくり課長")]
    segs = [Segment(t, page=p, bbox=(x0, y0, x1, y1), method=Method.OCR, row=i, col=0)
            for i, (p, x0, y0, x1, y1, t) in enumerate(lines)]
    got = {f.key: f for f in parse_segments(SegmentedDocument("x.pdf", InputKind.PDF_SCAN, segs, 2)).fields}
    assert got["I.5.1"].value_text == "松本市役所健康づくり課"
    assert got["I.5.2"].value_text == "健康づくり課長"
    # the rule itself: of one owner's targets scoring alike, the longest; across owners, a tie is no answer
    assert best("所属長の役職名健康づくり課長", ["所属長の役職名", "所属長"], 0.8, owners=["I.5.2", "I.5.2"]) == (0, 1.0)
    assert best("所属長の役職名健康づくり課長", ["所属長", "所属長の役職名"], 0.8, owners=["I.5.2", "I.5.2"]) == (1, 1.0)
    assert best("所属長の役職名健康づくり課長", ["所属長", "所属長の役職名"], 0.8, owners=["a", "b"]) is None


def test_scanned_group_heading_split_by_a_gap_still_opens_its_group():
    # r12_a12: "移 転先2" (a wide glyph gap) was not read as 移転先2's heading; its answers were taken
    # as 移転先1's
    doc = _as_ocr(pdf_segments(FIXTURES / "pdf" / "zen_asahikawa_tax.pdf"))
    i = next(i for i, s in enumerate(doc.segments) if s.text.startswith("移転先2"))
    segs = list(doc.segments)
    segs[i] = replace(segs[i], text="移 転先2" + segs[i].text[len("移転先2"):])
    intact, damaged = parse_segments(doc), parse_segments(replace(doc, segments=segs))
    want = _values(intact, "II.5.iten.")
    assert any(k[2] == 2 for k in want)
    assert _values(damaged, "II.5.iten.") == want


def test_scanned_item_read_again_keeps_the_first_reading_undetermined():
    from extract.core.enums import Method
    from extract.core.fields import UNDETERMINED, Evidence, FieldValue
    from extract.forms.blocks import dedupe

    def fv(page, method, ok):
        return FieldValue(key="II.5.iten.6", label="", kind="checkbox", file_no=1, group_no=1,
                          status="ok" if ok else UNDETERMINED, reason=None if ok else "unreadable tick",
                          evidence=Evidence("x.pdf", page, None, None, method, 0.9))

    scanned = dedupe([fv(8, Method.OCR, False), fv(9, Method.OCR, True)], [])
    assert len(scanned) == 1 and scanned[0].status == UNDETERMINED
    assert "read again on page 9" in scanned[0].reason
    text = dedupe([fv(8, Method.PDF_TEXT, False), fv(9, Method.PDF_TEXT, True)], [])
    assert text[0].ok and text[0].evidence.page == 9  # a text layer's repeat (a summary) may settle it


def test_an_item_read_twice_with_different_ticks_publishes_no_tick():
    # scan round 8, r18_b09: file 1's Ⅲ 8 監査 boxes (自己点検 empty) were read again as file 2's, whose boxes are
    # all ticked; the conflict made the item undetermined but its options kept the first reading's states, and
    # 自己点検 was published unticked for file 2. Not even the boxes both read alike stand: either reading may be
    # another file's
    from extract.core.enums import Method
    from extract.core.fields import UNDETERMINED, CheckOption, Evidence, FieldValue
    from extract.forms.blocks import dedupe

    def fv(page, ticks):
        return FieldValue(key="III.8.1", label="", kind="checkbox", file_no=2,
                          value_text="、".join(lb for lb, t in ticks if t),
                          options=[CheckOption(lb, n, t) for n, (lb, t) in enumerate(ticks, start=1)],
                          evidence=Evidence("x.pdf", page, None, None, Method.OCR, 0.9))

    first = fv(14, [("自己点検", False), ("内部監査", True), ("外部監査", True)])
    again = fv(17, [("自己点検", True), ("内部監査", True), ("外部監査", True)])
    warnings = []
    (kept,) = dedupe([first, again], warnings)
    assert kept.status == UNDETERMINED and kept.reason.startswith("conflict: printed twice")
    assert [o.checked for o in kept.options] == [None, None, None] and kept.value_text is None
    assert warnings and first.options[0].checked is False  # the reading itself is left as it was
    (same,) = dedupe([fv(14, [("自己点検", True)]), fv(17, [("自己点検", True)])], [])
    assert same.ok and same.options[0].checked is True


def test_a_sentence_that_starts_like_a_part_title_is_no_part_heading():
    # scan round 2, r12_a01 (borderless cover, one OCR segment per line): the 宣言's second line "たり、 特定個人情報
    # ファイルの取扱いが…" starts like Ⅱ's title after a glyph or three taken for a misread numeral; the walk entered Ⅱ
    # on the cover, numbered a first file there, and every file after it came one number late
    from extract.forms.model import FORMS
    from extract.forms.ocr_recovery import _match_part_ocr

    zen = FORMS["全項目評価書"]
    part = {p.number: p for p in zen.parts}
    assert _match_part_ocr(zen, "たり、 特定個人情報ファイルの取扱いが個人のプライバシー等の権利利益に影") is None
    # the title alone, or with specks or a note in brackets after it, is the heading
    assert _match_part_ocr(zen, "皿 特定個人情報ファイルの概要") is part[2]
    assert _match_part_ocr(zen, "皿 特定個人情報ファイルの概要 . ーー") is part[2]
    assert _match_part_ocr(zen, "皿 特定個人情報ファイルの概要（１　都道府県知事保存附票本人確認情報ファイル）") is part[2]
    # end to end: the fixture's cover with its 宣言 cut into lines, as a borderless scan reads it
    doc = _segments()
    decl = next(s for s in doc.segments if "取扱いにあたり" in s.text.replace("\n", ""))
    text = decl.text.replace("\n", "")
    cut = text.index("たり、")
    first, second = replace(decl, text=text[:cut]), replace(decl, text=text[cut:cut + 3] + " " + text[cut + 3:])
    segs = [x for s in doc.segments for x in ((first, second) if s is decl else (s,))]
    parsed = parse_segments(replace(doc, segments=[replace(s, method="ocr") for s in segs]))
    assert parsed.identity.file_names == ["国民健康保険ファイル"]
    assert not [f for f in parsed.fields if f.file_no == 2]


def _ocr(segments):
    return [replace(s, method="ocr") for s in segments]


def test_a_section_heading_met_again_after_its_part_ended_opens_the_next_part():
    # scan round 4, r14_b12 p. 11: the page holding "Ⅲ リスク対策" and its sections 1-3 was lost to mottled paper;
    # "4.特定個人情報ファイルの取扱いの委託" then read as Ⅱ 4 again, where none of Ⅲ 4's labels opened an item
    doc = _segments()
    third = next(i for i, s in enumerate(doc.segments) if normalize_text(s.text) == "Ⅲ リスク対策")
    fourth = next(i for i, s in enumerate(doc.segments) if i > third
                  and normalize_text(s.text) == normalize_text("４．特定個人情報ファイルの取扱いの委託"))
    assert doc.segments[third].page == 6 and third < fourth
    intact = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=_ocr(doc.segments))).fields}
    lost = _ocr(doc.segments[:third] + doc.segments[fourth:])
    got = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=lost)).fields}
    risk4 = [k for k, f in intact.items() if k[0].startswith("III.4.") and f.ok and f.kind == "selection"]
    assert len(risk4) >= 3 and all(got[k].ok and got[k].value_text == intact[k].value_text for k in risk4)
    assert not [k for k, f in got.items() if f.ok and k[0].split(".")[:2] in (["III", "1"], ["III", "2"], ["III", "3"])]
    # a page of Ⅱ's own missing too (its 7. 備考 unread): Ⅱ has not ended, so the heading is no sign of Ⅲ (a page
    # out of order, a later file's, would read so), and Ⅲ 4 stays unread
    bikou = next(i for i, s in enumerate(doc.segments) if normalize_text(s.text) == normalize_text("７．備考"))
    lost = _ocr(doc.segments[:bikou] + doc.segments[fourth:])
    got = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=lost)).fields}
    assert not [k for k in risk4 if k in got and got[k].ok]


def test_the_first_parts_title_alone_opens_it_before_any_part():
    # scan round 5, r15_a02 p. 2: "Ⅰ 基本情報" read "基本情報" and its first section "1. 特定個人情 イルを取り報事務";
    # nothing opened until Ⅲ, and the cover, Ⅰ and Ⅱ were lost
    doc = _segments()
    damaged = {"Ⅰ 基本情報": "基本情報", normalize_text("１．特定個人情報ファイルを取り扱う事務"): "1. 特定個人情報 イルを取り報事務"}
    segs = _ocr(replace(s, text=damaged.get(normalize_text(s.text), s.text)) for s in doc.segments)
    assert sum(s.text in damaged.values() for s in segs) == 2
    intact = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=_ocr(doc.segments))).fields}
    got = {(f.key, f.file_no): f for f in parse_segments(replace(doc, segments=segs)).fields}
    part1 = [k for k, f in intact.items() if k[0].startswith("I.") and f.ok]
    assert len(part1) > 5 and all(got[k].ok and got[k].value_text == intact[k].value_text for k in part1)
    from extract.forms.model import FORMS
    from extract.forms.ocr_recovery import OcrMatcher
    from extract.forms.scope import Scope

    seg = doc.segments[0]
    assert OcrMatcher().part(Scope(FORMS["重点項目評価書"]), replace(seg, col=None), "基本情報はなし") is None


def test_a_numbered_option_on_a_line_of_its_own_is_no_section_heading(monkeypatch):
    # the text corpus with its rules taken away, read as OCR (r6_b04): the option line "１） 特定個人情報ファイルの全体"
    # of Ⅱ 4 was taken for "1. 特定個人情報ファイル名" (a glyph or three off) and opened a second file
    from conftest import read_without_rules

    from extract.forms.model import FORMS
    from extract.forms.ocr_recovery import _match_section_ocr
    from extract.forms.scope import Scope

    zen = FORMS["全項目評価書"]
    scope = Scope(zen, part=next(p for p in zen.parts if p.number == 2))
    assert _match_section_ocr(scope, "１） 特定個人情報ファイルの全体") is None
    assert _match_section_ocr(scope, "1) 特定個人情報ファイルの全") is None  # its last glyph wrapped (r3_a05)
    assert _match_section_ocr(scope, "1. 特定個人情報フアイル名").key == "II.1"  # a glyph off: the heading

    pdf = FIXTURES / "corpus" / "round6" / "r6_b04_zen_beppu_juki.pdf"
    parsed = parse_segments(read_without_rules(monkeypatch, pdf))
    assert parsed.identity.file_names == json.loads(pdf.with_suffix(".key.json").read_text("utf-8"))["identity"]["file_names"]
    assert not [f for f in parsed.fields if f.file_no == 2]


# scan round 8, r18_a11 p. 3 as the page pass read it (borderless: one segment per line, in reading order)
R18_A11_P3 = [
    ('基本情報', (63.6, 61.5, 100.3, 70.7)),
    ('1. 特定個人情報ファイルを取り扱う事務', (52.1, 77.9, 201.8, 85.5)),
    ('2.特定個人情報ファイルを取り扱う事務において使用するシステム', (51.8, 196.2, 298.1, 204.1)),
    ('システム1', (53.0, 208.2, 86.6, 214.2)),
    ('①システムの名称', (52.8, 220.4, 112.3, 227.9)),
    ('特別児童扶養手当システム', (54.7, 228.1, 142.3, 235.1)),
    ('②システムの機能', (51.6, 241.3, 112.3, 248.7)),
    ('認定請求の審査、受給資格の管理及び支払データの作成を行う。', (51.8, 249.0, 268.1, 256.2)),
    ('【 ○ 】 情報提供ネットワークシステム 【 】 庁内連携システム 【 】 住民基本台帳ネット', (217.2, 262.7, 538.8, 269.9)),
    ('③他のシステムとの接続', (53.3, 272.3, 135.8, 279.7)),
    ('ワークシステム 【 】 既存住民基本台帳システム 【 】 宛名システム等 【 】 税務システ', (213.1, 270.3, 541.4, 277.5)),
    ('ム て その他 ( )', (212.6, 277.8, 297.1, 285.5)),
    ('3. 特定個人情報ファイル名', (51.6, 299.6, 152.4, 307.3)),
]


def test_a_checkbox_groups_first_line_before_its_centred_label_is_the_groups():
    # beside a label centred on three lines the group's first line comes before the label in reading order: it had
    # joined ②システムの機能's text, and the group lost its one ticked box
    from extract.core.segments import Segment, SegmentedDocument
    from extract.forms.model import FORMS
    from extract.forms.parse import parse_form

    segs = [Segment(t, page=3, bbox=b, method="ocr", confidence=0.9) for t, b in R18_A11_P3]
    doc = SegmentedDocument(source="r18_a11.pdf", kind="pdf-scan", segments=segs, page_count=1)
    got = {f.key: f for f in parse_form(doc, FORMS["全項目評価書"]).fields if f.group_no in (1, None)}
    assert got["I.2.2"].value_text == "認定請求の審査、受給資格の管理及び支払データの作成を行う。"
    states = {o.label: o.checked for o in got["I.2.3"].options}
    assert states["情報提供ネットワークシステム"] is True and states["庁内連携システム"] is False
    assert states["既存住民基本台帳システム"] is False and states["宛名システム等"] is False
