"""Text values on the independent corpus (tests/fixtures/corpus/round1): each test reads a real corpus
document and checks a value against its answer key (*.key.json) — the value cut at its own item, group
names, labels wrapped around their values, file blocks kept when one name is misread."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from conftest import FIXTURES, by_place, corpus_document

CORPUS = FIXTURES / "corpus" / "round1"


def _same(a: str | None, b: str | None) -> bool:
    """Compared as the corpus bench compares texts: NFKC, whitespace folded away."""
    def fold(s):
        return "".join(unicodedata.normalize("NFKC", s or "").split())
    return fold(a) == fold(b)


def _fields(name: str) -> dict:
    return by_place(corpus_document(name)[0].fields)


def _answers(name: str) -> dict:
    return corpus_document(name)[1]


def _want(name: str, key: tuple) -> str:
    return next(f["value_text"] for f in _answers(name)["fields"] if (f["key"], f["file_no"], f["group_no"]) == key)


def _check(name: str, key: tuple, value: str) -> None:
    assert _same(_want(name, key), value), "the expected value is the answer key's"
    f = _fields(name).get(key)
    assert f is not None and f.ok, (key, f and f.reason)
    assert _same(f.value_text, value), (key, f.value_text)


# ---------------------------------------------------------------- (a) label and value in one cell
@pytest.mark.parametrize("name, key, value", [
    # "1. 特定個人情報ファイル\n名" (the heading wrapped) then the value: not "名\n県税総合ファイル"
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.1", 1, None), "県税総合ファイル"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("III.1", 1, None), "県税総合ファイル"),
])
def test_a_heading_cell_value_is_the_text_after_its_wrapped_title(name, key, value):
    _check(name, key, value)


def test_the_file_name_of_a_wrapped_heading_is_the_identity_file_name():
    from pipelines.process import process_file

    result = process_file(CORPUS / "r1_a04_juten_miyazaki_pref_chiho.pdf")
    want = _answers("r1_a04_juten_miyazaki_pref_chiho")["identity"]["file_names"]
    assert result.identity.file_names == want == ["県税総合ファイル"]


def test_a_list_line_with_two_numbered_names_is_two_files():
    # 基礎 Ⅰ 2: "１ 介護保険資格ファイル　２ 介護保険賦課ファイル" on one line
    from pipelines.process import process_file

    result = process_file(CORPUS / "r1_b01_kiso_ureshino_kaigo.pdf")
    want = _answers("r1_b01_kiso_ureshino_kaigo")["identity"]["file_names"]
    assert result.identity.file_names == want == ["介護保険資格ファイル", "介護保険賦課ファイル"]


def test_heading_rest_after_a_title_however_it_wrapped():
    from extract.forms.matchers import heading_rest

    title = ("特定個人情報ファイル名",)
    assert heading_rest("1. 特定個人情報ファイル\n名\n県税総合ファイル", title) == "県税総合ファイル"
    assert heading_rest("1. 特定個人情報ファイル名\n県税課税情報ファイル", title) == "県税課税情報ファイル"
    assert heading_rest("1. 特定個人情報ファイル名", title) == ""


# ---------------------------------------------------------------- (b) group names
@pytest.mark.parametrize("name, key, value", [
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.4.itaku.name", 1, 1), "県税データ入力業務"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.4.itaku.name", 1, 2), "県税電話催告業務"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.5.teikyo.name", 1, 1), "国税庁長官（所轄税務署長）"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.5.iten.name", 1, 4), "企画課"),
    ("r1_a06_zen_bihoro_kokuho", ("II.4.itaku.name", 1, 1), "国民健康保険団体連合会への共同処理委託"),
    ("r1_a06_zen_bihoro_kokuho", ("II.5.teikyo.name", 1, 3), "全国健康保険協会"),
    # in the heading's own line: "□委託事項1:保険料納付書印刷業務"
    ("r1_b09_juten_takamatsu_koki", ("II.4.itaku.name", 1, 1), "保険料納付書印刷業務"),
    ("r1_b09_juten_takamatsu_koki", ("II.5.iten.name", 1, 1), "介護保険課"),
])
def test_a_group_heading_opens_the_group_name(name, key, value):
    _check(name, key, value)


def test_group_name_items_are_in_the_models():
    from extract.forms.model import FORMS

    for form_type in ("全項目評価書", "重点項目評価書"):
        keys = FORMS[form_type].items_by_key
        for k in ("II.4.itaku.name", "II.5.teikyo.name", "II.5.iten.name"):
            assert keys[k].kind == "text"


# ---------------------------------------------------------------- (d) a value cut at its own item
@pytest.mark.parametrize("name, key, value", [
    # "③使用目的※": the label's marker is not the value's first line
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.3.3", 1, None), "県税の賦課徴収に関する事務を適正かつ効率的に行うため。"),
    ("r1_a06_zen_bihoro_kokuho", ("II.3.8b", 2, None), "統計分析は行わない。"),
    ("r1_a06_zen_bihoro_kokuho", ("II.4.itaku.2b", 1, 1), "転出者を含む過去の国民健康保険の被保険者"),
    ("r1_b10_zen_tottori_pref_seiho", ("II.3.8c", 2, None), "資格の取得・喪失、給付額の決定"),  # "※ 資格の…"
])
def test_a_label_marker_is_not_value(name, key, value):
    _check(name, key, value)


@pytest.mark.parametrize("name, key, value", [
    # the 再委託 row-group label (stops) ends the item before it
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.4.itaku.3", 1, 1), "株式会社データプロセス西日本"),
    ("r1_a06_zen_bihoro_kokuho", ("II.4.itaku.6", 1, 1), "国民健康保険団体連合会"),
    # … also printed beside its first row's label: "再委託 ④再委託の有無 ※"
    ("r1_b07_juten_hyuga_shugaku", ("II.4.itaku.3", 1, 1), "株式会社南日本電算"),
    ("r1_b10_zen_tottori_pref_seiho", ("II.4.itaku.6", 2, 1), "株式会社地域情報センター"),
    # … and wrapped around that label: "④使用の 使用部署 ※" … "主体"
    ("r1_b07_juten_hyuga_shugaku", ("II.3.3", 1, None), "対象者の資格の確認及び給付額の算定に使用する。"),
    ("r1_b07_juten_hyuga_shugaku", ("II.3.4a", 1, None), "学校教育課"),
])
def test_a_row_group_label_ends_the_item_before_it(name, key, value):
    _check(name, key, value)


@pytest.mark.parametrize("name, key, value", [
    # "委託事項2～5", "提供先6～10": collapsed group ranges end the open item
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.4.itaku.6", 1, 1), "データ入力業務の一部"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.5.teikyo.7", 1, 1), "年1回（6月）"),
    ("r1_a04_juten_miyazaki_pref_chiho", ("II.5.iten.7", 1, 4), "毎月1回"),
    ("r1_a06_zen_bihoro_kokuho", ("II.5.iten.7", 1, 1), "申請・届出の都度"),
])
def test_a_group_range_header_ends_the_open_item(name, key, value):
    _check(name, key, value)


@pytest.mark.parametrize("name, key, value", [
    # "■2．基本情報": a bulleted section heading ends the file name
    ("r1_b07_juten_hyuga_shugaku", ("II.1", 1, None), "就学援助ファイル"),
    ("r1_b07_juten_hyuga_shugaku", ("III.1", 2, None), "特別支援教育就学奨励費ファイル"),
    # "(6) 特定個人情報の保管・消去": a parenthesised section number
    ("r1_b09_juten_takamatsu_koki", ("II.5.iten.7", 1, 1), "年1回（6月）"),
])
def test_the_next_section_heading_ends_the_value(name, key, value):
    _check(name, key, value)


@pytest.mark.parametrize("name, key, value", [
    # "④提供する情報の対象となる本人の [ 1万人未満 ]" then "数" on its own line: the label's tail
    ("r1_b09_juten_takamatsu_koki", ("II.5.teikyo.3", 1, 2), "所得・課税情報"),
    ("r1_b09_juten_takamatsu_koki", ("II.5.teikyo.5", 1, 1), "高松市に住所を有する後期高齢者医療の被保険者"),
    ("r1_b10_zen_tottori_pref_seiho", ("II.4.itaku.1", 2, 1), "県生活保護システム運用保守業務に係る一切の業務"),
])
def test_a_label_wrapped_around_its_value_is_read_whole(name, key, value):
    _check(name, key, value)


def test_a_label_wrapped_around_its_value_reads_the_selection():
    key = ("II.5.teikyo.4", 1, 2)
    want = next(f for f in _answers("r1_b09_juten_takamatsu_koki")["fields"]
                if (f["key"], f["file_no"], f["group_no"]) == key)
    f = _fields("r1_b09_juten_takamatsu_koki")[key]
    assert f.ok and f.value_text == want["value_text"] == "1万人未満"


# ---------------------------------------------------------------- (e) one misread name
def test_a_misread_file_name_costs_only_that_name_when_the_structure_binds_the_block():
    # Ⅲ file 2's name misread as file 1's: the count of blocks agrees in Ⅱ and Ⅲ, so the block stays
    # file 2 with its answers; only its name is undetermined
    from extract.core.settings import ProcessSettings
    from extract.forms.dispatch import parse_segments
    from extract.sources.registry import READERS

    name = "r1_a06_zen_bihoro_kokuho"
    doc = READERS["pdf"](CORPUS / f"{name}.pdf", ProcessSettings())
    iii_heading = max(i for i, s in enumerate(doc.segments) if "ファイル名" in s.text and s.page < 30)
    misread = next(i for i, s in enumerate(doc.segments)
                   if i > iii_heading and s.text.strip() == "国民健康保険税ファイル")
    segments = list(doc.segments)
    segments[misread] = replace(segments[misread], text="国民健康保険資格ファイル")
    parsed = parse_segments(replace(doc, segments=segments))
    by = {(f.key, f.file_no, f.group_no): f for f in parsed.fields}
    assert not by[("III.1", 2, None)].ok and "misread" in by[("III.1", 2, None)].reason
    assert by[("III.1", 1, None)].ok
    for no in (1, 2):
        key = ("III.2.R1.rating", no, None)
        assert by[key].ok and by[key].value_text == _want(name, key)
    assert _want(name, ("III.2.R1.rating", 2, None)) == "課題が残されている"


@pytest.mark.parametrize("name, key, value", [
    # "…におけるその他のリスク及びそのリスクに対する" alone on its line, "措置" the next line
    ("r1_b02_zen_oita_pref_shogai", ("III.2.other", 1, None), "職員の人事異動時にはアクセス権限を速やかに削除している。"),
    ("r1_b10_zen_tottori_pref_seiho", ("III.5.other", 1, None), "職員の人事異動時にはアクセス権限を速やかに削除している。"),
    # a label wrapped over three lines, the value's options printed between its pieces (基礎, reportlab):
    # "過去1年以内に、評価実施機関にお[ 発生なし ]" / ＜選択肢＞ / "いて特定個人情報に関する重大事" / 発生あり /
    # "故が発生したか"
    ("r1_b01_kiso_ureshino_kaigo", ("II.3.1", None, None), "発生なし"),
    ("r1_b01_kiso_ureshino_kaigo", ("IV.3.2", None, None), "十分である"),
])
def test_a_label_wrapped_in_pieces_over_the_next_lines_is_read_whole(name, key, value):
    _check(name, key, value)


def test_an_empty_selection_of_a_rejoined_label_stays_undetermined():
    # IV.3.1 "目的を超えた紐付け、事務に必要 [ ]": its answer key has no value
    key = ("IV.3.1", None, None)
    want = next(f for f in _answers("r1_b01_kiso_ureshino_kaigo")["fields"]
                if (f["key"], f["file_no"], f["group_no"]) == key)
    assert want.get("value_text") is None
    f = _fields("r1_b01_kiso_ureshino_kaigo").get(key)
    assert f is not None and not f.ok


def test_a_heading_cell_wrapped_around_its_value_is_read_whole():
    # 基礎 Ⅳ 1: "1. 提出する特定個人情報保護評価 [ 基礎項目評価書及び重点項目評価書 ＜選択肢＞" / "書の種類" / "]"
    _check("r1_b01_kiso_ureshino_kaigo", ("IV.1", None, None), "基礎項目評価書及び重点項目評価書")
