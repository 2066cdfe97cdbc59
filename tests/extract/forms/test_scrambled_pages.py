"""Pages of a scrambled PDF text dump (issue 20, part 4): learned from the dump itself, then used three ways
(extract/forms/conventions.py learn_pages / loose_ticks; extract/forms/scrambled.py):

1. a box whose brackets were split apart ("] 国税関係情報", "] 紙") is unticked when its page holds no tick
   glyph outside a whole box: a tick is a glyph, and the page's text is one run of the dump (_Doc.unticked_split);
2. a per-file item's line belongs to the files whose pages it can lie on (file n: the page of its heading to
   the page of the next file's heading; _files_of); a group instance's box likewise (_page_places);
3. a family whose pages hold whole cells (every label equally often on each page) is bound by pages alone
   when its change rows refute the binding; where a row and the body disagree the option is unknown.

The 003 values below were read by hand from 003_f30d0c19a3da4bb5.txt; pages are cut at the runs of three
blank lines (page N = the N-th such run, from 0): page 3 l.100-175, 4 l.179-263, 5 l.267-356, 6 l.360-446,
8 l.522-645, 11 l.916-1054, 12 l.1058-1088, 13 l.1092-1218, 15 l.1279-1382, 16 l.1386-1486,
17 l.1490-1594, 18 l.1598-1688, 20 l.1702-1807, 21 l.1811-1924, 22 l.1928-2033, 23 l.2037-2064,
27 l.2237-2327, 28 l.2331-2405.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from conftest import field_of as _get

from extract.core.segments import SegmentedDocument
from extract.forms.conventions import learn_pages, loose_ticks
from extract.forms.model import FORMS
from extract.forms.scrambled import _box_labels, _build, _slot_not_empty, _tick_before, parse_scrambled
from extract.sources.text.reader import read_text_document

JUTEN = FORMS["重点項目評価書"]
REAL = ROOT / "data" / "raw"
real = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real-documents is not mounted")


# ---------------------------------------------------------------- the conventions, on small inputs
def _lines(pages: list[list[str]], gap: int = 4) -> tuple[list[int], list[str]]:
    numbers, texts, n = [], [], 1
    for k, page in enumerate(pages):
        if k:
            n += gap - 2  # the last line's +2 below and gap-2 more: `gap` between the two printed lines
        for t in page:
            numbers.append(n)
            texts.append(t)
            n += 2  # one blank line between printed lines
    return numbers, texts


SHEET = "（別添２）変更箇所"


def test_pages_learned_from_the_sheets():
    pages = [["Ⅰ　基本情報", "a"], ["b", "c"], ["d"], [SHEET, "x"], ["y", SHEET], [SHEET]]
    numbers, texts = _lines(pages)
    got = learn_pages(numbers, texts, "変更箇所", texts.index(SHEET))
    assert got is not None and got.page == (0, 0, 1, 1, 2, 3, 3, 4, 4, 5) and got.sheets == 3
    assert "each of the 3 変更箇所 pages" in got.reason


@pytest.mark.parametrize("why", ["two sheet headings on a page", "a page without one", "a run of two blanks",
                                 "too few sheet pages"])
def test_pages_never_assumed(why):
    pages = [["a"], ["b"], ["c"], [SHEET], [SHEET], [SHEET]]
    if why == "two sheet headings on a page":
        pages[4] = [SHEET, SHEET]
    elif why == "a page without one":
        pages[4] = ["x"]
    elif why == "too few sheet pages":
        pages = pages[:5]
    numbers, texts = _lines(pages)
    if why == "a run of two blanks":
        numbers = [n + (1 if i >= 2 else 0) for i, n in enumerate(numbers)]  # l.2 -> l.3: gap 3 once
        numbers[1] -= 1
    assert learn_pages(numbers, texts, "変更箇所", texts.index(SHEET)) is None


def test_loose_ticks():
    assert loose_ticks(["[ ○ ] 個人番号", "[ ] 紙 [", "] 国税関係情報 [ ] 地方税関係情報"]) == 0
    # a tick whose box was split, a lone mark, a mark after a label: each is a glyph outside a whole box
    assert loose_ticks(["] 情報提供ネットワークシステム [ ○"]) == 1
    assert loose_ticks(["○", "○ ] 紙 [", "[ ] 雇用・労働関係情報 ○", "〇自己点検"]) == 4


def test_split_box_with_a_filled_slot():
    labels = _box_labels(JUTEN)
    assert _slot_not_empty(")] その他 ( 庁内連携システム", labels)  # l.1159: a filled slot is a ticked その他's
    assert _slot_not_empty("] その他 (", labels)  # open: its text runs on
    assert not _slot_not_empty("] 地方公共団体・地方独立行政法人 ( )", labels)
    assert not _slot_not_empty("] 電子記録媒体(フラッシュメモリを除く。) [ ] フラッシュメモリ", labels)  # the label's own （）
    assert not _slot_not_empty("[ ○ ] その他 ( 自部署 )", labels)  # a whole box: not split


def test_tick_before_the_bracket():
    line = "] 医療保険関係情報 ○ ] 児童福祉・子育て関係情報 [○"
    assert _tick_before(line, line.index("] 児童")) and not _tick_before(line, 0)
    assert _tick_before("○ ] 紙 [", 2)
    assert not _tick_before("[ ○ ] 紙", 4)  # a whole box: read as one, not here
    assert not _tick_before("[ ] 紙", 2)


# ---------------------------------------------------------------- 003
@pytest.fixture(scope="module")
def doc003() -> SegmentedDocument:
    return read_text_document(next(REAL.glob("003_*.txt")))


@pytest.fixture(scope="module")
def r003(doc003):
    return parse_scrambled(doc003, JUTEN)


def _read(f):
    return {o.label: o.checked for o in f.options if o.checked is not None}


@real
def test_003_pages(doc003):
    d = _build(doc003, JUTEN)
    assert d.pages is not None and d.pages.breaks == 65 and d.pages.sheets == 23
    first = {}
    for ln in d.every:
        first.setdefault(d.pages.page[ln.idx], ln.seg.line)
    assert [first[p] for p in (3, 4, 5, 6, 8, 12, 15, 16, 17, 18, 22, 23, 27, 28)] == [
        100, 179, 267, 360, 522, 1058, 1279, 1386, 1490, 1598, 1928, 2037, 2237, 2331]
    # no tick glyph outside a whole box: the split boxes there are unticked
    assert {12, 15, 16, 17, 18, 20, 21, 22, 23, 27, 28} <= d.clean
    # pages with loose ticks: l.147 "] 情報提供ネットワークシステム [ ○", l.522 "○", l.705 "[ ○", l.1030 "[ ○",
    # l.1096 "[ ○" / l.1177 "○ [", l.2578 "[] 内部監査[ ○ ["
    assert not {3, 4, 5, 6, 8, 9, 11, 13, 31} & d.clean


# key read by hand (issue 20, part 4): (key, file, group) -> {option: ticked?}
_JOHO, _JUKI, _ATENA = "情報提供ネットワークシステム", "住民基本台帳ネットワークシステム", "宛名システム等"
_KAMI, _SENYO, _MAIL = "紙", "専用線", "電子メール"
_DENSHI = "電子記録媒体（フラッシュメモリを除く。）"
PAGES_KEY_003 = {
    # 主な記録項目, file 2 (page 15): "] 国税関係情報 [ ] 地方税関係情報" l.1306, "] 障害者福祉関係情報" l.1312 on a clean
    # page; "[ ○ ] 4情報（…）" l.1310 and "[ ] 医療保険関係情報 [ ] 児童福祉・子育て関係情報 [" l.1318 are file 2's, as
    # the other boxes of those labels (l.619, l.631) lie on page 8, the page of file 1's heading l.589 (file 2's
    # text starts on page 15, where its heading l.1349 is)
    ("II.2.4a", 2, None): {"国税関係情報": False, "障害者福祉関係情報": False, "4情報（氏名、性別、生年月日、住所）": True,
                           "医療保険関係情報": False, "児童福祉・子育て関係情報": False},
    ("II.2.4a", 3, None): {"国税関係情報": False, "障害者福祉関係情報": False},  # l.1731, 1737 (page 20)
    # ①入手元: "] 地方公共団体・地方独立行政法人 （ ）" l.1456 (page 16), l.1896 (page 21)
    ("II.3.1", 2, None): {"地方公共団体・地方独立行政法人": False},
    ("II.3.1", 3, None): {"地方公共団体・地方独立行政法人": False},
    # ②入手方法: every box of 紙 in file 2's Ⅱ is unticked ("[ ] 紙 [" l.1410; "] 紙" l.1505, 1608, 1654 on clean
    # pages 17, 18), "] 電子記録媒体…" l.1462, "] 専用線" l.1509; file 3: l.1862, 1968, 2055, 1902
    ("II.3.2", 2, None): {_KAMI: False, _DENSHI: False, _SENYO: False},
    ("II.3.2", 3, None): {_KAMI: False, _DENSHI: False},
    # 提供・移転の有無: "] 移転を行っている （ ） 件" l.1550 (page 17), l.2010 (page 22)
    ("II.5.0", 2, None): {"移転を行っている": False},
    ("II.5.0", 3, None): {"移転を行っている": False},
    # file 1 提供先1 ⑥: its seven boxes l.1058-1086 fill page 12, which lies after 提供先1's heading (l.1014, page 11)
    # and before the page of 提供先2's and 移転先1's (l.1168, 1172, page 13)
    ("II.5.teikyo.6", 1, 1): {_JOHO: True, _SENYO: False, _DENSHI: False, _KAMI: False, _MAIL: False,
                              "フラッシュメモリ": False},
    # file 2: 提供先2 l.1505-1516 (page 17), 提供先1 l.1654-1672 and 移転先1 l.1608-1621 (page 18): "] 紙", "] 専用線",
    # "] 電子メール [ ] 電子記録媒体…" on clean pages
    ("II.5.teikyo.6", 2, 1): {_SENYO: False, _KAMI: False, _MAIL: False},
    ("II.5.teikyo.6", 2, 2): {_SENYO: False, _KAMI: False, _MAIL: False, _DENSHI: False},
    ("II.5.iten.6", 2, 1): {_KAMI: False, _MAIL: False},
    # file 3: 提供先1 l.1968-1979 (page 22), 移転先1 l.1933 (page 22) and l.2055-2061 (page 23)
    ("II.5.teikyo.6", 3, 1): {_SENYO: False, _KAMI: False, _MAIL: False},
    ("II.5.iten.6", 3, 1): {_KAMI: False, _MAIL: False, _DENSHI: False},
}


@real
def test_003_split_boxes_on_clean_pages(r003):
    for (key, fno, g), expected in PAGES_KEY_003.items():
        got = _read(_get(r003, key, fno, g))
        assert {k: got.get(k) for k in expected} == expected, (key, fno, g)
    # file 1's 主な記録項目 (page 8: l.522 "○", l.625 "○", l.635 "[ ○ [ ○") and its 提供先2 / 移転先1 boxes (page 13:
    # l.1096 "[ ○", l.1177 "○ [") keep their loose ticks: nothing is read from their split boxes (but a tick
    # right before a box's "]", test_003_tick_before_the_bracket, and その他 by pages)
    assert _read(_get(r003, "II.2.4a", 1)) == {"児童福祉・子育て関係情報": True, "その他": True}
    assert not _read(_get(r003, "II.5.teikyo.6", 1, 2))
    # l.1197 "[ ] 専用線" (whole) lies on page 13 with the cells of both 提供先2 and 移転先1: whose it is is not printed
    assert _read(_get(r003, "II.5.iten.6", 1, 1)) == {}


# その他 by pages (_other_by_pages): Ⅱ prints 17 その他 boxes (l.526-2057) for its 17 items that take one (6 per
# file for files 1 and 2: 主な記録項目, ①入手元, ②入手方法, 提供先1-2 / 提供先1-2, 移転先1; 5 for file 3). Each
# item's box lies on the pages from its other boxes' first to one past their last (その他 is the last row of
# its cell). File 2: page 15 holds one (l.1298, "[ ] … （ ）"), which only 主な記録項目 (its boxes l.1298-1343,
# page 15) can take; page 16 two, both ticked (l.1412, 1480), which only ①入手元 and ②入手方法 (boxes on page 16)
# can take. File 3 likewise: l.1723 (page 20), l.1864 and 1920 (page 21). File 1: its 提供先2 and 移転先1 (headings on
# page 13) need the two boxes of page 13 (l.1159, 1195), so 提供先1 takes l.1082 "[ ] その他 （" (page 12). Groups in
# the form's order: file 2's 提供先1 ends on the page of 提供先2's heading (page 17, l.1501), so its その他 is l.1507
# (ticked); file 3's 提供先1 ends on the page of 移転先1's heading (page 22, l.1952): l.1970 (ticked), and 移転先1
# takes l.2057 (page 23, unticked). Not settled: file 2's 提供先2 and 移転先1 (l.1610 unticked, l.1656 ticked, both on
# page 18), file 1's other items (their boxes' states are lost: l.719, 733, 1159).
OTHER_BY_PAGES_003 = {("II.2.4a", 2, None): False, ("II.3.1", 2, None): True, ("II.3.2", 2, None): True,
                      ("II.2.4a", 3, None): True, ("II.3.1", 3, None): True, ("II.3.2", 3, None): True,
                      ("II.5.teikyo.6", 1, 1): False, ("II.5.teikyo.6", 2, 1): True,
                      ("II.5.teikyo.6", 3, 1): True, ("II.5.iten.6", 3, 1): False,
                      # l.526 "○ ] その他" (ticked: test_003_tick_before_the_bracket), the only その他 box of page 8;
                      # file 1's ①入手元 and ②入手方法 boxes lie on page 9 (l.661-745), so only its 主な記録項目 can take it
                      ("II.2.4a", 1, None): True}


@real
def test_003_other_by_pages(r003):
    for place, expected in OTHER_BY_PAGES_003.items():
        f = _get(r003, *place)
        assert _read(f).get("その他") is expected, place
        assert "by pages" in f.reason and "17 その他 boxes to its 17 items" in f.reason
    for place in (("II.5.teikyo.6", 2, 2), ("II.5.iten.6", 2, 1), ("II.3.1", 1, None), ("II.3.2", 1, None),
                  ("II.5.teikyo.6", 1, 2), ("II.5.iten.6", 1, 1)):
        assert _read(_get(r003, *place)).get("その他") is None, place


@real
def test_003_tick_before_the_bracket(r003):
    """"○ ] label": the box's "[" is on another line, its tick right before its "]" on this one (a text line
    reads its glyphs left to right, and a box prints its tick between its brackets): ticked."""
    assert _read(_get(r003, "I.2.3", None, 1))[_JUKI] is True  # l.157 "○ ] 住民基本台帳ネットワークシステム [[", page 3
    # l.631 "] 医療保険関係情報 ○ ] 児童福祉・子育て関係情報 [○" (page 8, file 1's by its heading l.589): 医療保険 is not
    # read (a mark after its label), 児童福祉 is; the file's その妥当性 lists 児童福祉・子育て関係情報 (l.762)
    got = _read(_get(r003, "II.2.4a", 1))
    assert got["児童福祉・子育て関係情報"] is True and "医療保険関係情報" not in got
    # l.745 "○ ] 紙 [" (page 9): of file 1's four 紙 boxes only its ②入手方法 can lie there (its groups' headings are
    # on pages 11-13: 提供先1 l.1014, 提供先2 l.1168, 移転先1 l.1172)
    assert _read(_get(r003, "II.3.2", 1)) == {_KAMI: True}


@real
def test_003_tick_budget(r003):
    """File 1's 監査 (page 31, l.2546-2594): "] 自己点検 ] 外部監査" l.2574 and "[] 内部監査[ ○ [" l.2578 are three
    boxes whose "[" is elsewhere; the page prints two tick glyphs outside whole boxes ("[ ○" l.2578, "○" l.2582).
    The change row (l.3421-3426) ticks 自己点検 and 内部監査: their two ticks are those two glyphs, so 外部監査's box
    has none."""
    f = _get(r003, "III.8.1", 1)
    assert f.ok and _read(f) == {"自己点検": True, "内部監査": True, "外部監査": False}
    assert "外部監査 unticked by its page's ticks (l.2574)" in f.reason and "(l.2574, l.2578)" in f.reason


@real
def test_003_flags_of_file_1(r003):
    """File 1's three flags: "] 委託しない" l.2321 (page 27), "] 接続しない（提供）[ ○ ] 接続しない（入手）" l.2374 and
    "] 提供・移転しない" l.2405 (page 28): both pages print every tick inside a whole box. (File 1 has 委託事項1-4,
    提供先1-2 and 移転先1, and its 提供先1 provides through 情報提供ネットワークシステム, l.1072: consistent.)"""
    for key, line in (("III.4.flag", 2321), ("III.5.flag", 2405), ("III.6.flag2", 2374)):
        f = _get(r003, key, 1)
        assert f.ok and f.options[0].checked is False and f.evidence.line == line, key
        assert "no tick glyph outside a whole box" in f.reason
    assert _get(r003, "III.6.flag1", 1).options[0].checked is True  # "[ ○ ] 接続しない（入手）" l.2374


@real
def test_003_record_counts_by_pages(r003):
    """④記録される項目: "100項目以上" l.554 lies on page 8, the page of file 1's heading (l.589), before file 2's
    first page (15): file 1's; "[ 10項目以上50項目未満 ]" l.1340 (page 15) is then file 2's."""
    assert _get(r003, "II.2.4", 1).value_text == "100項目以上"
    assert _get(r003, "II.2.4", 2).value_text == "10項目以上50項目未満"
    assert _get(r003, "II.2.4", 3).value_text == "50項目以上100項目未満"  # l.1770


# ③他のシステムとの接続 by pages. Headings: システム1 l.83 (page 2), 2 l.161 (3), 3 l.244 (4), 5 l.277 (5), 4 l.354 (5),
# 8 l.379, 7 l.399, 6 l.435 (6). Each page holds whole cells (each of the six labels but その他 equally often):
# page 3 one (l.141-157), page 4 two (l.179-261), page 5 two (l.269-319), page 6 three (l.364-431). システム1's
# text lies on pages 2-3, so page 3's cell is its; 6, 7, 8 start on page 6, so page 6's three are theirs; page 5's
# two are then 4 and 5, page 4's two 2 and 3. The その他 texts agree: l.149 (page 3) is システム1's row text
# (l.3569), l.269 "各種システム・中間サーバー" (page 5) システム5's (l.3696). But page 5 prints both 情報提供NW boxes
# ticked (l.302, 317) where システム5's row says "[　　]" (l.3694): the document contradicts itself there.
SYSTEMS_BY_PAGES_003 = {
    1: {_ATENA: True},  # l.155 "[ ○ ] 宛名システム等 ["
    2: {_JUKI: False, _ATENA: False},  # l.201, 237 / l.197, 239: both cells agree
    3: {_JUKI: False, _ATENA: False},
    4: {_JOHO: True, _JUKI: False},  # l.302, 317 both ticked; l.299, 310 both "[ ]"
    5: {_JUKI: False},  # 情報提供NW: body ticked, row unticked -> unknown
    6: {_JOHO: False, _JUKI: False, _ATENA: False},  # l.375, 414, 429 / l.368, 411, 422 / l.377, 416, 431
    7: {_JOHO: False, _JUKI: False, _ATENA: False},
    8: {_JOHO: False, _JUKI: False, _ATENA: False},
}


@real
def test_003_systems_by_pages(r003):
    for g, expected in SYSTEMS_BY_PAGES_003.items():
        got = _read(_get(r003, "I.2.3", None, g))
        assert {k: got.get(k) for k in expected} == expected, g
        # the right-hand column ("] 庁内連携システム", "] 既存住民基本台帳システム", "] 税務システム") lies on pages with
        # loose ticks: never read from the body
        assert all(got.get(o) is None for o in ("庁内連携システム", "税務システム")), g
    f = _get(r003, "I.2.3", None, 5)
    assert _read(f).get(_JOHO) is None and "conflict" in f.reason and _read(f)["その他"] is True  # l.3696
    assert _read(_get(r003, "I.2.3", None, 4))["既存住民基本台帳システム"] is False  # its row, l.3627


@real
def test_003_without_page_evidence(doc003):
    """The pages are never assumed: with all but one 変更箇所 heading removed the dump shows no page separator,
    and the split boxes stay unknown (as before issue 20 part 4)."""
    segs, seen = [], False
    for s in doc003.segments:
        if s.text and "変更箇所" in s.text and len(s.text.strip()) < 14:
            if seen:
                continue
            seen = True
        segs.append(s)
    d = _build(SegmentedDocument(doc003.source, doc003.kind, segs, doc003.page_count), JUTEN)
    assert d.pages is None and not d.clean
    r = parse_scrambled(SegmentedDocument(doc003.source, doc003.kind, segs, doc003.page_count), JUTEN)
    assert _read(_get(r, "II.2.4a", 2)).get("国税関係情報") is None
    assert not _get(r, "III.4.flag", 1).ok
