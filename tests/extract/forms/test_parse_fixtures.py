"""The PDF path end to end (layout -> grid -> parse) on the rendered fixtures.

Expected values come from the answer keys, which tools/render_fixtures.py wrote from the data each PDF
was rendered from (never from the parser), and from reading the rendered pages.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from conftest import field_of as field

from pipelines.bench.score import load_key, score_document
from pipelines.process import process_file

FIX = FIXTURES / "pdf"
PDFS = sorted(FIX.glob("*.pdf"))


@pytest.fixture(scope="module")
def results():
    return {p.stem: process_file(p) for p in PDFS}


def test_there_are_fixtures_of_every_form():
    forms = {load_key(p.with_suffix(".key.json"))["form_type"] for p in PDFS}
    assert forms == {"全項目評価書", "重点項目評価書", "基礎項目評価書"}
    assert len(PDFS) >= 10


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_every_keyed_value_is_read(results, pdf):
    """Accuracy regression on each fixture: no wrong value, nothing expected left unread."""
    tallies = score_document(results[pdf.stem], load_key(pdf.with_suffix(".key.json")))
    total = tallies["all"]
    assert total.wrong == 0, total.errors[:10]
    assert total.missed == 0, total.errors[:10]


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_deliberately_undeterminable_fields_say_why(results, pdf):
    key = load_key(pdf.with_suffix(".key.json"))
    res = results[pdf.stem]
    for exp in key["fields"]:
        if exp.get("status") != "undetermined" or exp.get("not_applicable"):
            continue
        got = field(res, exp["key"], exp.get("file_no"), exp.get("group_no"))
        assert got.status == "undetermined"
        assert got.reason.split(":")[0] == exp["reason"], (exp["key"], got.reason)


def test_kumamoto_pref_values_with_provenance(results):
    res = results["zen_kumamoto_pref"]
    assert res.identity.organization_raw == "熊本県知事"
    assert res.identity.organization == "熊本県"
    assert res.identity.published == "2025-01-31"
    assert res.identity.form_revision == "平成30年5月 様式4"
    taisho = field(res, "I.1.3")
    assert (taisho.value_text, taisho.option_no) == ("30万人以上", 5)
    assert taisho.evidence.page == 2 and taisho.evidence.method == "pdf-text" and taisho.evidence.bbox
    saiitaku = field(res, "III.4.7", file_no=1)
    assert (saiitaku.value_text, saiitaku.option_no, saiitaku.level, saiitaku.scale) == (
        "十分に行っていない", 3, 3, "G-SAIITAKU")
    assert saiitaku.evidence.page == 11
    assert field(res, "III.7.R1.9", file_no=1).value_text == "発生なし"
    itaku = field(res, "II.4.0.count", file_no=1)
    assert itaku.value_int == 1
    systems = field(res, "I.2.3", group_no=1)
    ticked = {o.label: o.checked for o in systems.options}
    assert ticked["宛名システム等"] is True and ticked["税務システム"] is False
    assert next(o.text for o in systems.options if o.label == "その他") == "市町村CSを通じて入手する。"
    period = field(res, "VI.2.2")
    assert (period.value_date, period.value_date_end) == ("2024-10-18", "2024-11-16")
    empty = field(res, "III.3.R3.rating", file_no=1)
    assert empty.status == "undetermined" and empty.reason.startswith("empty")
    assert empty.evidence.page == 10


def test_gyokuto_juten_unlisted_value_is_not_taken(results):
    res = results["juten_gyokuto_kokuho"]
    got = field(res, "III.2.R1.rating", file_no=1)
    assert got.status == "undetermined" and "概ね十分である" in got.reason
    kansa = field(res, "III.8.1", file_no=1)
    assert {o.label for o in kansa.options if o.checked} == {"自己点検", "外部監査"}
    assert field(res, "V.1.2").value_text == "基礎項目評価及び重点項目評価の実施が義務付けられる"


def test_two_ticks_on_one_selection_is_a_conflict(results):
    got = field(results["zen_kumamoto_city_juki"], "II.3.7b", file_no=2)
    assert got.status == "undetermined" and got.reason.startswith("conflict")


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_change_table_rows(results, pdf):
    """The 変更箇所 sheet as rows: dates, 提出時期 exactly, the other columns up to spacing and width."""
    from normalize.text import fold_label

    key = load_key(pdf.with_suffix(".key.json"))
    rows: dict[int, dict] = {}
    for f in results[pdf.stem].fields:
        if f.key.startswith("changes."):
            rows.setdefault(f.group_no, {})[f.key.split(".", 1)[1]] = f.value_date or f.value_text
    assert len(rows) == len(key.get("changes", []))
    for n, want in enumerate(key.get("changes", []), start=1):
        got = rows[n]
        assert got["date"] == want["date"] and got["timing"] == want["timing"]
        for col in ("item", "after", "note"):
            assert fold_label(got[col]) == fold_label(want[col]), (n, col)
