"""normalize.glyphs: Chinese glyph forms in PP-OCR readings folded back to the Japanese ones."""

import re
from pathlib import Path

import pytest

from normalize.glyphs import glyph_table, japanese_forms

ROOT = Path(__file__).resolve().parents[2]


def _jis_x_0208(c: str) -> bool:
    """A character of JIS X 0208 (ISO-2022-JP encodes exactly ASCII, JIS X 0201 Roman and JIS X 0208)."""
    try:
        return len(c.encode("iso2022_jp")) > 1 and not c.isascii()
    except UnicodeEncodeError:
        return False


def _vocabulary() -> set[str]:
    """Every character of the form model, the answer keys of the fixtures and the organisation tables (the
    table was built from these and the fixture PDFs' text layer, too slow to read here)."""
    files = [ROOT / "extract/forms/model.py", *sorted((ROOT / "tests/fixtures").rglob("*.key.json")),
             ROOT / "normalize/data/lg_codes.csv", ROOT / "normalize/data/national_codes.csv"]
    assert len(files) > 50
    return set("".join(f.read_text(encoding="utf-8") for f in files))


@pytest.mark.parametrize(
    "read, expected",
    [
        # as PP-OCRv5 / v6-small read fixture lines (pipelines.bench.recognizers)
        ("2) 1,000人以上1万人未满", "2) 1,000人以上1万人未満"),
        ("1. 对象人数", "1. 対象人数"),
        ("特定个人情报保护评价书", "特定个人情報保護評价書"),  # 个 and 价 are JIS X 0208: left alone
        ("别添", "別添"),
        ("职员及び关系者への认证", "職員及び関系者への認証"),  # 系 is Japanese too
        ("委托先への业务の委託", "委托先への業務の委託"),  # 托 is JIS X 0208 (託's old alternative): kept
        ("风险对策", "風険対策"),
        ("记录の扫除", "記録の扫除"),  # 掃 is not in the vocabulary: 扫 is not in the table
        ("適正な給付·賦課を行う", "適正な給付・賦課を行う"),  # the Chinese middle dot U+00B7
        ("しきい值判断", "しきい値判断"),
        ("个人住民稅", "个人住民税"),
    ],
)
def test_real_misreads(read, expected):
    assert japanese_forms(read) == expected


def test_japanese_text_is_left_alone():
    text = "机の上の台帳、只今、天才、皇后、干支、云々、個人番号、議会、体制、書類を満たす"
    assert japanese_forms(text) == text


def test_table_rule():
    table = glyph_table()
    assert len(table) > 200
    vocab = _vocabulary()
    for source, (japanese, kind) in table.items():
        assert kind in ("simplified", "variant", "punctuation"), source
        assert len(source) == 1 and len(japanese) == 1 and source != japanese
        assert _jis_x_0208(japanese), f"{source}->{japanese}: the target is not a JIS X 0208 character"
        assert not _jis_x_0208(source), f"{source}: a JIS X 0208 character must not be mapped"
        assert source not in vocab, f"{source}: used in the forms' vocabulary"


def test_no_normal_japanese_character_is_a_source():
    table = glyph_table()
    for c in "机台云干只才后个价决准并收广征体托系樣專齡惠體會":
        assert c not in table, c


def test_table_file_documents_its_rule():
    head = [line for line in Path(ROOT / "normalize/data/simplified_to_japanese.csv").read_text(
        encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(re.search(r"JIS X 0208", line) for line in head)


def test_a_lone_katakana_twin_between_kanji_or_hiragana_is_read_as_its_kanji():
    from normalize.glyphs import kanji_twins

    # what both readings made of scan rounds 6-7 (r16_b10 委託事項, r17_a09 Ⅲ 4)
    assert kanji_twins("運用保守業務に係るー切の業務") == "運用保守業務に係る一切の業務"
    assert kanji_twins("対象者以外の情報を入カできないよう制御している。") == "対象者以外の情報を入力できないよう制御している。"
    assert kanji_twins("窓ロで受け付ける") == "窓口で受け付ける" and kanji_twins("第ニ号") == "第二号"
    # katakana words, the counter カ and a lone dash keep their glyphs
    for kept in ("システム", "ユーザー", "数カ所", "何カ月", "3カ月", "ー", "（ー）", "メールー覧"):
        assert kanji_twins(kept) == kept


def test_a_twin_is_read_in_the_script_of_its_neighbours():
    from normalize.glyphs import kanji_twins

    # what PP-OCR made of scan rounds 2-10 (r12_a01, r13_a07, r20_b08 …): により, ケース, サーバー
    assert kanji_twins("システムによリ制限し") == "システムにより制限し"
    assert kanji_twins("入館管理を行っておリ、") == "入館管理を行っており、"
    assert kanji_twins("及びケ一ス記録") == "及びケース記録" and kanji_twins("中間サ一バー") == "中間サーバー"
    # a katakana word wrapped at the line's end, or begun after hiragana, keeps its glyphs
    for kept in ("ISMAPのリ", "のリスク", "へのヘルプ", "ページ一覧", "一カ月"):
        assert kanji_twins(kept) == kept


def test_a_glyph_read_twice_as_a_katakana_and_its_hiragana_twin_is_read_once():
    from normalize.glyphs import read_once

    def once(text):
        return "".join(text[i] for i in read_once(text))

    assert once("システムによリり確実に") == "システムにより確実に"
    assert once("取扱いにあたリり、") == "取扱いにあたり、"
    assert once("ハリり") == "ハリ" and once("により") == "により"


def test_no_answer_key_or_real_document_prints_a_lone_katakana_twin():
    # the rule's premise, checked on every text the fixtures' answer keys and the real documents hold
    import json

    from normalize.glyphs import kanji_twins, read_once

    texts = []
    for key in [*ROOT.glob("tests/fixtures/**/*.key.json"), *ROOT.glob("tests/fixtures/**/*.answers.json")]:
        for f in json.loads(key.read_text(encoding="utf-8")).get("fields", []):
            for name in ("value_text", "checked", "unchecked", "other_text"):
                v = f.get(name)
                texts += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
    for doc in (ROOT / "data" / "raw").glob("*.txt"):  # the five real documents
        texts += doc.read_text(encoding="utf-8").splitlines()
    assert len(texts) > 30_000
    assert [t for t in texts if kanji_twins(t) != t] == []
    assert [t for t in texts if len(read_once(t)) != len(t)] == []


def test_old_forms_are_found_and_none_is_in_the_forms_vocabulary():
    from normalize.glyphs import old_form_table, old_forms

    table = old_form_table()
    assert table["齡"] == "齢" and table["樣"] == "様" and table["體"] == "体" and len(table) > 400
    assert old_forms("後期高齡者医療システム運用保守業務") == "齡"
    assert old_forms("後期高齢者医療システム運用保守業務") == ""
    # the forms and the answer keys print none; place names do (下條村, 塩竈市, 檜枝岐村, 龍ケ崎市): checked, never folded
    files = [ROOT / "extract/forms/model.py", *sorted((ROOT / "tests/fixtures").rglob("*.key.json"))]
    vocab = set("".join(f.read_text(encoding="utf-8") for f in files))
    for old, japanese in table.items():
        assert old != japanese and _jis_x_0208(japanese), old
        assert old not in vocab, f"{old}: used in the forms or the answer keys"
    names = (ROOT / "normalize/data/lg_codes.csv").read_text(encoding="utf-8")
    assert set(old_forms(names)) == set("條竈檜龍")
