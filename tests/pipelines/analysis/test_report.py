"""The comparison report on the fixture corpus: every section with concrete values, the §8 threshold check
(the fixture built to violate it is flagged, the rest pass), the CSV for Excel, no missing glyphs."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT  # noqa: E402

from pipelines.runner import RunOptions, run_batch

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"



@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    from pipelines.process import process_file

    out = tmp_path_factory.mktemp("parsed")
    s = run_batch(sorted(FIXTURES.glob("*.pdf")), RunOptions(out=out, workers=2, timeout=300),
                  process_fn=process_file)
    assert s.failed == 0
    return out


@pytest.fixture(scope="module")
def report(parsed, tmp_path_factory):
    from pipelines.analysis.report import build_report

    out = tmp_path_factory.mktemp("report") / "report.html"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing from.*")  # tofu boxes fail the test
        html_path, csv_path = build_report(parsed, out)
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    return soup, html_path, csv_path


def _keys() -> dict[str, dict]:
    return {p.name.removesuffix(".key.json"): json.loads(p.read_text(encoding="utf-8"))
            for p in FIXTURES.glob("*.key.json")}


def _row(table, org: str, form_short: str):
    rows = [tr for tr in table.find_all("tr") if tr.get("data-org") == org and f" · {form_short} · " in tr.th.text]
    assert len(rows) == 1, (org, form_short, [tr.th.text for tr in rows])
    return rows[0]


def _cell(table, tr, column: str):
    header = [th.get_text() for th in table.find("tr").find_all("th")]
    return tr.find_all(["th", "td"])[header.index(column)]


def test_heatmap_section_levels_and_undetermined_cells(report):
    soup, _, _ = report
    assert soup.find(id="heatmap") is not None
    imgs = soup.find_all("img")
    assert len(imgs) >= 6 and all(i["src"].startswith("data:image/png;base64,") for i in imgs)
    canon = soup.find(id="canonical-table")
    # 熊本県's 全項目評価書 answers 十分である (level 2) to Ⅲ 2 リスク1 (key: zen_kumamoto_pref, option 2)
    assert _cell(canon, _row(canon, "熊本県", "全項目"), "C1 入手: 目的外の入手").get_text() == "2"
    # 合志市's 基礎: Ⅳ 2 特に力を入れている; NWS not connected -> not applicable, never a level
    koshi = _row(canon, "合志市", "基礎")
    assert _cell(canon, koshi, "C1 入手: 目的外の入手").get_text() == "1"
    assert _cell(canon, koshi, "C6 NWS 入手")["class"] == ["na"]
    # 玉東町's 重点 prints 「概ね十分である」, not an option of the scale: undetermined, not a level
    c1 = _cell(canon, _row(canon, "玉東町", "重点"), "C1 入手: 目的外の入手")
    assert c1["class"] == ["und"] and c1.get_text() == "?"
    # detail heatmap: 熊本県 全項目 Ⅲ 3 リスク3 left empty in the document
    zen = soup.find(id="detail-全項目")
    pref = _row(zen, "熊本県", "全項目")
    assert _cell(zen, pref, "Ⅲ3 R3 従業者が事務外で使用する")["class"] == ["und"]
    assert _cell(zen, pref, "Ⅲ6 R1 目的外の入手")["class"] == ["na"]  # 接続しない ticked


def test_heatmap_cells_agree_with_the_answer_keys(report):
    """Every canonical cell of every fixture against its answer key: the weakest level over the files when
    all were answered; undetermined or n/a (the key calls both "empty") otherwise, never a level."""
    from pipelines.analysis.report_data import CANONICAL

    soup, _, _ = report
    canon = soup.find(id="canonical-table")
    short = {"全項目評価書": "全項目", "重点項目評価書": "重点", "基礎項目評価書": "基礎"}
    checked = 0
    for name, k in _keys().items():
        org = k["identity"]["organization"]
        tr = _row(canon, org, short[k["form_type"]])
        for column, keys in CANONICAL.items():
            rows = [f for f in k["fields"] if f["key"] == keys[k["form_type"]]]
            got = _cell(canon, tr, column).get_text()
            if rows and all(f.get("status", "ok") == "ok" for f in rows):
                assert got == str(max(f["option_no"] for f in rows)), (name, column)
            elif any(f.get("reason") in ("not-in-options", "conflict") for f in rows):
                assert got == "?", (name, column)
            elif rows:  # "empty" in the key: n/a (a flag such as 委託しない) or a true blank
                levels = [f["option_no"] for f in rows if f.get("status", "ok") == "ok"]
                assert got in ("?", "–", *([str(max(levels))] if levels else [])), (name, column)
            checked += 1
    assert checked == 12 * len(CANONICAL)


def test_figures_are_twice_their_shown_size_and_columns_are_named(report):
    import base64
    import struct

    soup, _, _ = report
    for img in soup.find_all("img"):
        png = base64.b64decode(img["src"].split(",", 1)[1])
        assert struct.unpack(">I", png[16:20])[0] == 2 * int(img["width"]) or \
            struct.unpack(">I", png[16:20])[0] == 2 * int(img["width"]) + 1
    # every column of every detail table names its item (place + name), no bare "Ⅲ2 R1"
    for form in ("全項目", "重点", "基礎"):
        header = [th.get_text() for th in soup.find(id=f"detail-{form}").find("tr").find_all("th")][1:]
        assert header and all(re.fullmatch(r"[ⅠⅡⅢⅣⅤⅥ]\d+( R\d+)? \S.*", h) for h in header), (form, header)
    zen = [th.get_text() for th in soup.find(id="detail-全項目").find("tr").find_all("th")]
    assert "Ⅲ7 R1 特定個人情報の漏えい・滅失・毀損" in zen and "Ⅲ2 R1 目的外の入手" in zen
    keys = soup.find(id="canonical-keys")
    c8 = next(tr for tr in keys.find_all("tr")[1:] if tr.td.get_text() == "C8")
    assert [td.get_text() for td in c8.find_all("td")][2:] == ["III.7.R1.rating", "III.7.R1.rating", "IV.7.1"]


def test_distribution_shares_beside_counts(report):
    soup, _, _ = report
    by_org = soup.find(id="distribution-organization")
    yamae = next(tr for tr in by_org.find_all("tr")[1:] if tr["data-scale"] == "G-JUBUN" and tr["data-group"] == "山江村")
    counts = {td["data-state"]: int(td.get_text()) for td in yamae.find_all("td") if td.get("data-state")}
    shares = {td["data-share"]: td.get_text() for td in yamae.find_all("td") if td.get("data-share")}
    assert set(shares) == set(counts) and shares["undetermined"] == "11.1 %"  # 1 of 9
    assert abs(sum(float(v.removesuffix(" %")) for v in shares.values()) - 100) < 0.5


def test_distribution_section(report):
    soup, _, _ = report
    assert soup.find(id="distribution") is not None
    by_form = soup.find(id="distribution-form_type")
    cols = [th.get_text() for th in by_form.find("tr").find_all("th")]
    rows = {(tr["data-scale"], tr["data-group"]): [td.get_text() for td in tr.find_all("td")]
            for tr in by_form.find_all("tr")[1:]}
    # G-JUNSHU (NISC 統一基準群) exists only in the 全項目評価書
    assert {g for s, g in rows if s == "G-JUNSHU"} == {"全項目"}
    assert {s for s, g in rows} >= {"G-JUBUN", "G-OKONAU", "G-SAIITAKU", "G-JUNSHU", "G-SEIBI", "G-SHUCHI"}
    # 山江村 files one 基礎: nine G-JUBUN items, one of them (Ⅳ 10 再掲) not printed in the document
    by_org = soup.find(id="distribution-organization")
    yamae = next(tr for tr in by_org.find_all("tr")[1:] if tr["data-scale"] == "G-JUBUN" and tr["data-group"] == "山江村")
    counts = {td["data-state"]: int(td.get_text()) for td in yamae.find_all("td") if td.get("data-state")}
    assert sum(counts.values()) == 9 and counts["undetermined"] == 1
    assert "undetermined" in cols


def test_threshold_check_flags_the_violating_fixture_and_passes_the_rest(report):
    soup, _, _ = report
    table = soup.find(id="threshold-table")
    status = {}
    for tr in table.find_all("tr")[1:]:
        status[tr["data-doc"]] = tr["data-status"]
    docs = {Path(tr.find_all("td")[5].get_text()).stem: tr["data-doc"]
            for tr in soup.find(id="documents-table").find_all("tr")[1:]}
    keys = _keys()
    assert set(docs) == set(keys)
    for name, k in keys.items():
        want = "inconsistent" if k.get("threshold_violation") else "consistent"
        assert status[docs[name]] == want, name
    findings = soup.find(id="threshold-findings").find_next("ul").find_all("li")
    assert [li["data-doc"] for li in findings] == [docs["juten_gyokuto_kokuho"]]
    text = findings[0].get_text()
    assert "玉東町" in text and "1,000人以上1万人未満" in text and "基礎項目評価及び重点項目評価の実施が義務付けられる" in text
    # the answers are shown next to the form filed
    row = next(tr for tr in table.find_all("tr")[1:] if tr["data-doc"] == docs["kiso_koshi_jidou"])
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[0] == "合志市" and cells[2] == "基礎項目評価書及び重点項目評価書"
    assert cells[3:7] == ["1万人以上10万人未満", "500人未満", "発生あり", "基礎項目評価及び重点項目評価の実施が義務付けられる"]


def test_documents_section(report, parsed):
    soup, _, _ = report
    table = soup.find(id="documents-table")
    header = [th.get_text() for th in table.find("tr").find_all("th")]
    docs = pd.read_parquet(parsed / "documents").set_index("doc_id")
    rows = table.find_all("tr")[1:]
    assert len(rows) == len(docs) == 12
    for tr in rows:
        cells = dict(zip(header, [td.get_text() for td in tr.find_all("td")]))
        d = docs.loc[tr["data-doc"]]
        assert int(cells["read"]) == d["fields_read"] and int(cells["undetermined"]) == d["fields_undetermined"]
        assert cells["input kind"] == "pdf-text" and cells["method"] == "pdf-text"
        assert 0.5 < float(cells["mean confidence"]) <= 1.0
    kiso = next(tr for tr in rows if "kiso_yamae_seiho.pdf" in tr.get_text())
    assert "not-found" in dict(zip(header, [td.get_text() for td in kiso.find_all("td")]))["main undetermined reasons"]


def test_csv_opens_in_excel_and_matches_the_report(report):
    soup, html_path, csv_path = report
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel detects the encoding
    df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert len(df) == 12 and df.columns[0] == "doc_id"
    gyokuto = df[(df["organization"] == "玉東町") & (df["form_type"] == "重点項目評価書")].iloc[0]
    assert gyokuto["threshold_check"] == "inconsistent" and gyokuto["C1 入手: 目的外の入手"] == "判定不能"
    assert df[df["organization"] == "熊本県"]["org_code"].tolist() == ["430005", "430005"]
    link = soup.find(id="csv").find_next("a")
    assert link["href"].startswith("data:text/csv;charset=utf-8;base64,")


def test_report_is_self_contained(report):
    soup, html_path, _ = report
    text = html_path.read_text(encoding="utf-8")
    assert not soup.find_all(["script", "link", "iframe"])
    assert "http://" not in text and "https://" not in text
    assert len(html_path.read_bytes()) < 5_000_000


def test_missing_glyph_warning_is_caught_by_the_filter():
    """The filter used above does fire on a character the font lacks (so the report test can fail)."""
    from matplotlib.figure import Figure

    from pipelines.analysis.report_figures import japanese_font, png_bytes

    japanese_font()
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("\U0001f5ff 熊本県")  # MOYAI: not in IPAexGothic
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing from.*")
        with pytest.raises(UserWarning, match="missing from"):
            png_bytes(fig)


def test_missing_font_fails_clearly(tmp_path):
    from pipelines.analysis.report_figures import FontMissing, japanese_font

    with pytest.raises(FontMissing, match="apt-get install -y fonts-ipaexfont-gothic"):
        japanese_font(candidates=(str(tmp_path / "nope.ttf"),))


def test_report_cli_without_tables_is_a_usage_error(tmp_path, capsys):
    from pipelines.cli import main

    assert main(["report", "--parsed", str(tmp_path / "none"), "--out", str(tmp_path / "r.html")]) == 2
    assert "run `python -m pipelines extract" in capsys.readouterr().err


# -- the §8 decision rule on hand-made answers: every band row, unknown inputs, form filed -------------

from pipelines.analysis.report_threshold import (  # noqa: E402
    CONSISTENT,
    INCONSISTENT,
    JUTEN,
    KISO,
    NOT_CHECKED,
    ZEN,
    check_document,
    possible_obligations,
)


def test_rule_table_rows():
    # band: 1 <1,000, 2 1,000-1万, 3 1万-10万, 4 10万-30万, 5 30万+; staff 1 = 500人以上; accident 1 = 発生あり
    assert possible_obligations(1, 1, 1, KISO) == {0}
    assert possible_obligations(2, 1, 2, KISO) == {1}
    assert possible_obligations(3, 2, 2, KISO) == {1}
    assert possible_obligations(3, 1, 2, KISO) == {2}
    assert possible_obligations(3, 2, 1, KISO) == {2}
    assert possible_obligations(4, 2, 2, KISO) == {2}
    assert possible_obligations(4, 2, 1, KISO) == {3}
    assert possible_obligations(5, 2, 2, KISO) == {3}
    # 全項目/重点 do not ask 取扱者数 / 1-year 重大事故: both columns stay possible
    assert possible_obligations(4, None, None, ZEN) == {2, 3}
    assert possible_obligations(3, None, None, JUTEN) == {1, 2}
    # a 基礎 with one input unread: known only when the other makes it "heavy"
    assert possible_obligations(3, 1, None, KISO) == {2}
    assert possible_obligations(3, 2, None, KISO) == {1, 2}


def _fields(rows: list[tuple[str, int | None, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"key": k, "option_no": o, "value_text": v, "status": "ok" if o else "undetermined",
                          "reason": None if o else "empty: the brackets are empty", "file_no": None}
                         for k, o, v in rows])


def test_juten_filed_where_zen_is_obliged():
    f = _fields([("I.1.3", 5, "30万人以上"), ("V.1.2", 1, "基礎項目評価及び重点項目評価の実施が義務付けられる")])
    c = check_document("d", JUTEN, f)
    assert c.status == INCONSISTENT
    assert any("oblige 基礎＋全項目評価" in r for r in c.reasons)
    assert any("does not follow" in r for r in c.reasons)


def test_voluntary_heavier_assessment_is_consistent():
    f = _fields([("I.1.3", 2, "1,000人以上1万人未満"),
                 ("VI.1.2", 3, "基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）")])
    c = check_document("d", ZEN, f)
    assert c.status == CONSISTENT and c.reasons == [] and c.expected == "基礎項目評価"


def test_kiso_filed_lighter_than_its_own_result():
    f = _fields([("II.1.1", 3, "1万人以上10万人未満"), ("II.2.1", 1, "500人以上"), ("II.3.1", 2, "発生なし"),
                 ("III.1", 2, "基礎項目評価及び重点項目評価の実施が義務付けられる"), ("IV.1", 1, "基礎項目評価書")])
    c = check_document("d", KISO, f)
    assert c.status == INCONSISTENT and len(c.reasons) == 2
    assert all("提出する評価書の種類" in r for r in c.reasons)


def test_unread_inputs_are_not_checked_not_passed():
    f = _fields([("I.1.3", None, ""), ("VI.1.2", 1, "基礎項目評価及び全項目評価の実施が義務付けられる")])
    c = check_document("d", ZEN, f)
    assert c.status == NOT_CHECKED and "対象人数 not read" in c.reasons[0]
    f = _fields([("I.1.3", 5, "30万人以上")])
    c = check_document("d", ZEN, f)
    assert c.status == NOT_CHECKED and c.result.text == "not found"
    assert check_document("d", "public-comment", f).status == NOT_CHECKED
