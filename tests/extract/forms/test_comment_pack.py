"""Public-comment packs: detection, identity rules, dates and quoted form excerpts.

Small packs are built as segments (one per line, table rows as cells), the way extract/sources/text/reader.py
gives them; the real packs 000, 001 and 004 are covered in test_real_documents.py.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from conftest import field_of as _field

from extract.core.segments import Segment, SegmentedDocument
from extract.forms.comment_pack import parse_comment_pack
from extract.forms.model import FORMS
from extract.sources.text.reader import read_text_document

ZEN = FORMS["全項目評価書"]
REAL = ROOT / "data" / "raw"  # the five real documents, committed


def _doc(*rows) -> SegmentedDocument:
    """Each row is a str (a line) or a tuple of cells (a table row)."""
    segs, row = [], 0
    for line, r in enumerate(rows, 1):
        if isinstance(r, tuple):
            segs += [Segment(c, line=line, method="markdown", row=row, col=i) for i, c in enumerate(r) if c]
            row += 1
        else:
            segs.append(Segment(r, line=line, method="markdown"))
    return SegmentedDocument("pack.txt", "markdown/html", segs, 1)


HEAD = (
    "令和7年（2025年）2月20日",
    "国民健康保険に関する事務の特定個人情報保護評価書（素案）に関するパブリックコメント実施について",
    ("募集期間", "令和7年（2025年）2月21日（金） ～令和7年（2025年）3月26日（水）"),
    ("公表方法", "・八代市ホームページ掲載"),
    "問い合わせ先",
    "八代市 市民課（33-4100）",
)


def test_not_a_pack_without_markers():
    assert parse_comment_pack(_doc("住民基本台帳に関する事務", "評価書番号", "1"), None) is None


def test_identity_from_fixed_contexts():
    p = parse_comment_pack(_doc(*HEAD, "本市では、意見を募集します。"), None)
    assert p.identity.form_type == "public-comment"
    assert p.identity.organization == "八代市"
    assert p.identity.affair == "国民健康保険に関する事務"
    assert p.identity.published == "2025-02-20"
    period = _field(p, "pack.period")
    assert (period.value_date, period.value_date_end, period.date_precision) == ("2025-02-21", "2025-03-26", "day")


def test_two_bodies_named_is_a_conflict_not_a_guess():
    p = parse_comment_pack(_doc(*HEAD, "・熊本市ホームページでも公開"), None)
    org = _field(p, "pack.organization")
    assert not org.ok and org.reason.startswith("conflict")
    assert p.identity.organization is None
    assert any("organization not established" in w for w in p.warnings)


def test_a_single_mention_without_self_reference_is_not_enough():
    p = parse_comment_pack(_doc("ご意見を募集します", "詳しくは旭川市ホームページをご覧ください"), None)
    assert not _field(p, "pack.organization").ok


def test_the_self_reference_must_fit_the_kind_of_body():
    # 本県 does not vouch for a 市
    p = parse_comment_pack(_doc("ご意見を募集します", "旭川市ホームページ", "本県の取組"), None)
    assert not _field(p, "pack.organization").ok


def test_period_without_year_needs_weekdays_that_fit_one_stated_year():
    base = ("ご意見を募集しています", "意見提出手続（パブリックコメント）期間")
    # 2015-04-15 is a Wednesday; 平成26 (2014) and 平成27 (2015) are stated: only 2015 fits
    p = parse_comment_pack(_doc(*base, "4月15日（水）～5月15日（金）", "平成26年に策定し平成27年に改定"), None)
    f = _field(p, "pack.period")
    assert (f.value_date, f.value_date_end) == ("2015-04-15", "2015-05-15")
    assert f.reason.startswith("year inferred")
    # no weekdays: no year can be checked
    p = parse_comment_pack(_doc(*base, "4月15日～5月15日", "平成27年"), None)
    assert not _field(p, "pack.period").ok
    # weekdays that fit none of the stated years
    p = parse_comment_pack(_doc(*base, "4月15日（月）～5月15日（金）", "平成27年"), None)
    f = _field(p, "pack.period")
    assert not f.ok and f.reason.startswith("no-year")


def test_period_and_schedule_must_agree():
    rows = (*HEAD, "4. 特定個人情報保護評価のスケジュール", ("時期", "内容"),
            ("R7年2月21日 ～R7年3月27日", "パブリックコメントの実施"))
    f = _field(parse_comment_pack(_doc(*rows), None), "pack.period")
    assert not f.ok and f.reason.startswith("conflict")


def test_documents_table_and_list():
    p = parse_comment_pack(_doc("【素案】概要版", ("評価書番号", "評価書名"), ("1", "国民健康保険に関する事務 重点項目評価書"),
                                ("2", "介護保険に関する事務 基礎項目評価書")), None)
    assert [(f.group_no, f.value_text) for f in p.fields if f.key == "pack.documents.form"] == [
        (1, "重点項目評価書"), (2, "基礎項目評価書")]
    assert p.identity.title is None  # two documents: no single title
    assert not _field(p, "pack.affair").ok  # two affairs


def test_quoted_excerpt_reads_items_with_form_keys():
    rows = ("【素案】概要版", ("評価書番号", "評価書名"), ("1", "住民基本台帳に関する事務 全項目評価書"),
            "3. 主な修正箇所について",
            "「II 特定個人情報ファイルの概要 (3) (送付先情報ファイル) → 4.」を変更しました。",
            "II 特定個人情報ファイルの概要（送付先情報ファイル）",
            "4. 特定個人情報ファイルの取扱いの委託",
            ("委託事項3", "通知カード送付業務"),
            ("③委託先における取扱者数", "<選択肢>\n[10人以上50人未満]\n1) 10人未満 2) 10人以上50人未満"),
            ("⑦再委託の有無 ※", "<選択肢>\n[]\n1) 再委託する 2) 再委託しない"),
            "4. 特定個人情報保護評価のスケジュール")
    p = parse_comment_pack(_doc(*rows), None)
    staff = _field(p, "II.4.itaku.3", group_no=3, file_no=3)
    assert staff.value_text == "10人以上50人未満" and staff.option_no == 2
    sub = _field(p, "II.4.itaku.7", group_no=3, file_no=3)
    assert not sub.ok and sub.reason.startswith("empty")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real-documents is not mounted")
def test_real_pack_000_directly():
    doc = read_text_document(next(REAL.glob("000_*.txt")))
    p = parse_comment_pack(doc, ZEN)
    assert p.identity.organization == "熊本市" and p.identity.published == "2025-02-20"
    assert _field(p, "pack.organization").reason.startswith("named")
    assert _field(p, "II.6.1").section_path.startswith("Ⅱ")


def test_a_scan_whose_title_went_unread_is_no_pack_for_a_marker_deep_in_its_body():
    # scan round 3, r13_a07 at 150 dpi: the cover's title unread, and Ⅴ 2's "意見を募集した" on its last page made
    # the scan a public-comment pack (form_type public-comment: a wrong value). Packs say what they are at their top
    from extract.forms.dispatch import NotAnAssessment, parse_segments

    body = ["評価書番号", "佐賀市長", *(f"本文 {i}" for i in range(12)),
            "方法 市ホームページ、国保年金課窓口及び各支所において評価書案を公開し、意見を募集した。"]
    scan = SegmentedDocument("scan.pdf", "pdf-scan", [Segment(t, page=1 + i // 5, method="ocr") for i, t in
                                                       enumerate(body)], 3)
    with pytest.raises(NotAnAssessment):
        parse_segments(scan)
    head = SegmentedDocument("scan.pdf", "pdf-scan", [Segment(t, page=1, method="ocr") for t in HEAD if
                                                       isinstance(t, str)] + scan.segments, 3)
    assert parse_segments(head).identity.form_type == "public-comment"  # one that says so at its top still is
