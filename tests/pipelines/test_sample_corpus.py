"""Issue 22 on the sample corpus (data/raw, extracted once): synthetic fixtures are marked, editions counted
once, canonical risks as a column, OCR'd values marked by how they are backed, typed loading, and the data
dictionary against what the tables hold."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

import pipelines
from pipelines.load import DUPLICATE, LATEST, SUPERSEDED, TableMissing, mark_editions, schema_version
from pipelines.schema import SCHEMA_VERSION

RAW = ROOT / "data" / "raw"
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sample")
    shutil.copytree(RAW, tmp / "raw")
    out = tmp / "parsed"
    proc = subprocess.run([sys.executable, "-m", "pipelines", "extract", str(tmp / "raw"), "--out", str(out),
                           "--workers", "2", "-q"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _by_name(df: pd.DataFrame) -> dict[str, dict]:
    return {Path(p).name: r for p, r in zip(df["source_path"], df.to_dict("records"))}


# -- 1. synthetic fixtures are marked, and the corpus says which is which ------------------------------------
def test_synthetic_flag_matches_the_corpus_manifest(parsed):
    docs = _by_name(pipelines.load("documents", parsed))
    with open(ROOT / "data" / "corpus.csv", encoding="utf-8") as f:
        manifest = {r["file"]: r for r in csv.DictReader(f)}
    assert set(manifest) == {p.name for p in RAW.iterdir() if not p.name.startswith(".")}
    for name, row in manifest.items():
        assert docs[name]["synthetic"] is (row["origin"] == "synthetic"), name
        assert docs[name]["sha256"] == row["sha256"], f"{name}: data/corpus.csv has a stale sha256"
    assert sum(d["synthetic"] for d in docs.values()) == 4
    ratings = pipelines.load("ratings", parsed)
    by_doc = {d["doc_id"]: d["synthetic"] for d in docs.values()}
    assert (ratings["synthetic"] == ratings["doc_id"].map(by_doc)).all()


def test_the_issue_query_no_longer_blends_a_fixture_into_a_real_body(parsed):
    """Share of level-1 ratings per organization: 熊本県 is its publication 002 alone (all level 1)."""
    def share(r: pd.DataFrame) -> pd.Series:
        ok = r[(r["status"] == "ok") & r["grade_level"].notna()]
        return ok.groupby("organization")["grade_level"].apply(lambda s: float((s == 1).mean()))

    real = share(pipelines.load("ratings", parsed, latest=True, synthetic=False))
    everything = share(pipelines.load("ratings", parsed))
    assert real["熊本県"] == 1.0
    assert everything["熊本県"] < 0.9  # the blend the issue found (66.7 % then)
    assert "玉東町" not in real.index  # only fixtures are attributed to 玉東町


def test_a_pdf_and_its_scan_count_once(parsed):
    docs = mark_editions(pipelines.load("documents", parsed))
    pair = docs[docs["source_path"].str.contains("kiso_gyokuto_juki")]
    pair = pair.set_index(pair["source_path"].map(lambda p: Path(p).name))
    assert pair.loc["fixture_kiso_gyokuto_juki.pdf", "edition"] == pair.loc["scan_kiso_gyokuto_juki.scan200.pdf",
                                                                             "edition"]
    assert pair.loc["fixture_kiso_gyokuto_juki.pdf", "edition_status"] == LATEST  # the text layer reads better
    assert pair.loc["scan_kiso_gyokuto_juki.scan200.pdf", "edition_status"] == DUPLICATE
    latest = pipelines.load("documents", parsed, latest=True)
    assert len(latest) == 8 and not latest["source_path"].str.contains("scan_").any()
    assert pipelines.load("ratings", parsed, latest=True)["doc_id"].isin(latest["doc_id"]).all()


# -- 2. editions ------------------------------------------------------------------------------------------
def test_edition_key_of_a_real_document(parsed):
    d = _by_name(pipelines.load("documents", parsed))["002_c2635bd3da7e0273.txt"]
    assert d["edition"] == "j430005|住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に関する事務|全項目評価書|2015-06-04"
    # a publication is not superseded by the later synthetic fixture of the same body and affair
    docs = mark_editions(pipelines.load("documents", parsed))
    assert docs.set_index("doc_id").loc[d["doc_id"], "edition_status"] == LATEST


def test_latest_edition_per_organization_and_affair():
    base = dict(org_code="433641", organization="玉東町", affair="住民基本台帳に関する事務", synthetic=False,
                fields_undetermined=0)
    docs = pd.DataFrame([
        {**base, "doc_id": "a", "form_type": "重点項目評価書", "published": pd.Timestamp("2019-10-16"), "input_kind": "pdf-text"},
        {**base, "doc_id": "b", "form_type": "重点項目評価書", "published": pd.Timestamp("2024-06-03"), "input_kind": "pdf-scan"},
        {**base, "doc_id": "c", "form_type": "重点項目評価書", "published": pd.Timestamp("2024-06-03"), "input_kind": "pdf-text"},
        {**base, "doc_id": "d", "form_type": "基礎項目評価書", "published": pd.Timestamp("2024-06-03"), "input_kind": "pdf-text"},
        {**base, "doc_id": "e", "form_type": "全項目評価書", "published": pd.Timestamp("2025-04-01"), "input_kind": "pdf-text"},
        {**base, "doc_id": "f", "form_type": "重点項目評価書", "published": pd.NaT, "input_kind": "text"},
    ])
    per_form = mark_editions(docs).set_index("doc_id")
    assert per_form["edition_status"].to_dict() == {"a": SUPERSEDED, "b": DUPLICATE, "c": LATEST, "d": LATEST,
                                                     "e": LATEST, "f": LATEST}
    assert per_form.loc["a", "latest_doc_id"] == "c"
    per_affair = mark_editions(docs, per="affair").set_index("doc_id")
    assert per_affair.loc["e", "edition_status"] == LATEST  # 全項目 of 2025 replaces the 重点 and the 基礎
    assert per_affair.loc[["a", "c", "d"], "edition_status"].tolist() == [SUPERSEDED, SUPERSEDED, SUPERSEDED]
    assert per_affair.loc["f", "edition_status"] == LATEST  # no 公表日 read: its own edition, never dropped


# -- 3. canonical risks ------------------------------------------------------------------------------------
def test_canonical_risk_column(parsed):
    r = pipelines.load("ratings", parsed)
    names = r["doc_id"].map({d["doc_id"]: n for n, d in _by_name(pipelines.load("documents", parsed)).items()})
    real = r[names == "002_c2635bd3da7e0273.txt"].set_index("key")
    assert real.loc["III.7.R1.rating", "canonical_risk"] == "C8"
    assert real.loc["III.2.R1.rating", "canonical_risk"] == "C1"
    assert real.loc["IV.2.1", "canonical_risk"] == "EDU"
    assert real["canonical_risk"].isna().sum() > 0  # other graded items (Ⅲ 7 ①–⑧ etc.) have none
    kiso = r[names == "fixture_kiso_gyokuto_juki.pdf"].set_index("key")
    assert kiso.loc["IV.7.1", "canonical_risk"] == "C8" and kiso.loc["IV.9.1", "canonical_risk"] == "EDU"
    # every graded document has each of the nine codes once per file (基礎: once)
    for doc_id, g in r[r["canonical_risk"].notna()].groupby("doc_id"):
        counts = g.groupby("canonical_risk").size()
        assert set(counts.index) == {f"C{i}" for i in range(1, 9)} | {"EDU"}, doc_id
        assert counts.nunique() == 1, doc_id


def test_canonical_risks_are_documented_as_the_model_has_them():
    from pipelines.schema import canonical_risks

    text = (DOCS / "canonical-risks.md").read_text(encoding="utf-8")
    rows = {m[0]: m[1:] for m in re.findall(r"^\| `(C\d|EDU)` \| [^|]+ \| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|$",
                                            text, re.M)}
    assert len(rows) == 9
    for i, form in enumerate(("全項目評価書", "重点項目評価書", "基礎項目評価書")):
        model = {code: key for key, code in canonical_risks(form).items()}
        assert {code: keys[i] for code, keys in rows.items()} == model, form
    assert "pia-forms.md" not in (ROOT / "pipelines" / "analysis" / "report.py").read_text(encoding="utf-8")


# -- 4. OCR'd values marked by how they are backed ----------------------------------------------------------
def test_ocr_check_separates_what_a_misread_can_hide_in(parsed):
    """The scan against the text-layer PDF it was made from: every OCR value backed by the printed options or
    a second reading is right; what differs is all `single-reading`. Confidence does not separate them."""
    from pipelines.analysis.diff import _index, field_value

    f = pipelines.load("fields", parsed)
    names = f["doc_id"].map({d["doc_id"]: n for n, d in _by_name(pipelines.load("documents", parsed)).items()})
    truth = _index(f[names == "fixture_kiso_gyokuto_juki.pdf"])
    scan = f[names == "scan_kiso_gyokuto_juki.scan200.pdf"]
    assert (scan["method"] == "ocr").sum() >= 40
    assert scan.loc[scan["method"] != "ocr", "ocr_check"].isna().all()
    assert f.loc[f["method"] != "ocr", "ocr_check"].isna().all()
    backed, wrong = 0, []
    for k, r in _index(scan).items():
        t = truth.get(k)
        if r["status"] != "ok" or r["method"] != "ocr" or t is None or t["status"] != "ok":
            continue
        if r["ocr_check"] in ("options", "second-reading"):
            backed += 1
            assert field_value(r) == field_value(t), (k, r["ocr_check"], field_value(r), field_value(t))
        elif field_value(r) != field_value(t):
            wrong.append(r)
    assert backed >= 15
    assert all(r["ocr_check"] == "single-reading" for r in wrong)
    undetermined = scan[(scan["method"] == "ocr") & (scan["status"] != "ok")]
    assert undetermined["ocr_check"].isna().all() and len(undetermined) >= 1


# -- 5. typed loading ---------------------------------------------------------------------------------------
def test_typed_loader(parsed):
    r = pipelines.load("ratings", parsed=parsed)
    assert "level" not in r.columns and str(r["grade_level"].dtype) == "Int32"
    assert str(r["file_no"].dtype) == "Int32" and str(r["synthetic"].dtype) == "boolean"
    assert r["org"].map(type).eq(str).all() and r["org"].str.fullmatch(r"j\d{6}").all()
    assert (r["pref"] == "p" + r["org"].str[1:3]).all() and set(r["pref"]) == {"p43"}  # 熊本県's bodies only
    kumamoto = pipelines.load("ratings", parsed=parsed, orgs=["j430005"])
    assert len(kumamoto) == (r["org"] == "j430005").sum() > 0 and set(kumamoto["organization"]) == {"熊本県"}
    d = pipelines.load("documents", parsed=parsed)
    assert str(d["published"].dtype).startswith("datetime64")
    assert set(d.loc[d["organization"] == "旭川市", "pref"]) == {"p01"}  # its public-comment pack: no ratings
    assert d.loc[d["source_path"].str.contains("002_"), "published"].item() == pd.Timestamp("2015-06-04")
    assert r.groupby("organization")["grade_level"].max().dtype == "Int32"  # no GroupBy.level clash
    arrow = pipelines.load("ratings", parsed=parsed, dtype_backend="pyarrow")
    assert isinstance(arrow["grade_level"].dtype, pd.ArrowDtype)
    f = pipelines.load("fields", parsed=parsed)
    assert str(f["value_int"].dtype) == "Int64" and "grade_level" in f.columns
    with pytest.raises(TableMissing, match="no ratings table"):
        pipelines.load("ratings", parsed=parsed / "nothing")
    with pytest.raises(ValueError, match="no such table"):
        pipelines.load("rating", parsed=parsed)


def test_schema_version_in_every_parquet_file(parsed):
    files = list(parsed.rglob("*.parquet"))
    assert len(files) > 30
    assert {schema_version(p) for p in files} == {SCHEMA_VERSION}
    assert pq.read_schema(files[0]).metadata[b"pia_extract.schema_version"] == SCHEMA_VERSION.encode()


# -- 11. the data dictionary against the tables -----------------------------------------------------------
def test_data_dictionary_documents_every_method_and_reason_class(parsed):
    text = (DOCS / "data-dictionary.md").read_text(encoding="utf-8")
    f = pipelines.load("fields", parsed)
    for method in f["method"].dropna().unique():
        assert f"`{method}`" in text, method
    classes = {r.split(":", 1)[0] for r in f.loc[f["status"] != "ok", "reason"].dropna()}
    for c in classes:
        assert f"`{c}:`" in text or f"`{c}`" in text, c
    assert "`scrambled:`" in text and "cover.no" in text
    # confidence below 1.0 on text inputs exists, and the dictionary says when
    text_rows = f[f["method"].isin(["text", "markdown", "html"])]
    assert (text_rows["confidence"] < 1.0).any() and "below 1.0 on a text input" in text.lower()
    none = f[f["method"] == "none"]
    assert (none["confidence"] == 0.0).all() and none["page"].isna().all() and none["line"].isna().all()


def test_pages_has_a_row_per_page_for_text_inputs_too(parsed):
    docs = pipelines.load("documents", parsed)
    pages = pipelines.load("pages", parsed)
    assert len(pages) == int(docs["page_count"].sum())
    text_docs = docs[docs["input_kind"].isin(["text", "markdown/html"])]
    assert set(pages.loc[pages["doc_id"].isin(text_docs["doc_id"]), "method"]) == {"text"}


# -- 8. diff: reasons, whole values, warnings, formats, a closed pipe ------------------------------------
def _ids(parsed: Path) -> dict[str, str]:
    return {n: d["doc_id"] for n, d in _by_name(pipelines.load("documents", parsed)).items()}


def test_diff_of_a_pdf_and_its_scan_names_the_reasons_and_keeps_values_whole(parsed, capsys):
    from pipelines.cli import main

    ids = _ids(parsed)
    pdf, scan = ids["fixture_kiso_gyokuto_juki.pdf"], ids["scan_kiso_gyokuto_juki.scan200.pdf"]
    assert main(["diff", pdf, scan, "--parsed", str(parsed)]) == 0
    out = capsys.readouterr().out
    assert "cannot compare: nan" not in out and " nan " not in out
    undetermined = [ln for ln in out.splitlines() if ln.startswith("undetermined ") and "  →  " in ln]
    assert undetermined and all("cannot compare: " in ln for ln in undetermined)
    assert any("cannot compare: B: ocr-unconfirmed: read with confidence" in ln for ln in undetermined)
    assert "公表日 2024-06-03" in out and "None" not in out
    # the 宣言 (over 150 characters) is printed whole on both sides
    decl = pipelines.load("fields", parsed)
    decl = decl[(decl["doc_id"] == pdf) & (decl["key"].str.endswith("declaration"))]["value_text"].item()
    assert len(decl) > 100 and decl.replace("\n", " ⏎ ") in out
    assert "warning" not in out


def test_diff_warns_on_the_same_document_and_on_two_organizations(parsed, capsys):
    from pipelines.cli import main

    ids = _ids(parsed)
    kiso = ids["fixture_kiso_gyokuto_juki.pdf"]
    assert main(["diff", kiso, kiso, "--parsed", str(parsed)]) == 0
    assert f"warning: A and B are the same document ({kiso})" in capsys.readouterr().out
    assert main(["diff", ids["002_c2635bd3da7e0273.txt"], kiso, "--parsed", str(parsed)]) == 0
    out = capsys.readouterr().out
    assert "warning: two organizations (熊本県 and 玉東町)" in out and "公表日 2015-06-04" in out


def test_diff_formats_csv_and_json(parsed, capsys):
    import io
    import json

    from pipelines.cli import main

    ids = _ids(parsed)
    a, b = ids["fixture_kiso_gyokuto_juki.pdf"], ids["scan_kiso_gyokuto_juki.scan200.pdf"]
    assert main(["diff", a, b, "--parsed", str(parsed), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a"]["doc_id"] == a and data["b"]["published"] == "2024-06-03" and data["warnings"] == []
    assert data["changes"] and {"key", "change", "grade_level_a", "reason_b"} <= set(data["changes"][0])
    assert main(["diff", a, b, "--parsed", str(parsed), "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(df) == len(data["changes"]) and list(df.columns[:2]) == ["doc_id_a", "doc_id_b"]
    assert set(df["change"]) == {c["change"] for c in data["changes"]}


def test_diff_into_a_closed_pipe_is_quiet(parsed):
    ids = _ids(parsed)
    cmd = (f"{sys.executable} -m pipelines diff {ids['002_c2635bd3da7e0273.txt']} "
           f"{ids['fixture_zen_kumamoto_pref.pdf']} --parsed {parsed} --all | head -1")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.stdout.startswith("A: ")
    assert "BrokenPipeError" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr


# -- 1, 2, 4, 7 in the report: synthetic marked, one copy per edition, OCR backing, public-comment packs -----
def test_report_on_the_sample_corpus(parsed, tmp_path):
    from bs4 import BeautifulSoup

    from pipelines.analysis.report import build_report

    html_path, csv_path = build_report(parsed, tmp_path / "report.html")
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    docs = soup.find(id="documents-table").find_all("tr")[1:]
    assert len(docs) == 9
    synthetic = {tr["data-doc"] for tr in docs if tr["data-synthetic"] == "true"}
    assert len(synthetic) == 4
    assert "4 of them are synthetic fixtures" in soup.find(id="summary").get_text()
    ids = _ids(parsed)
    scan = next(tr for tr in docs if tr["data-doc"] == ids["scan_kiso_gyokuto_juki.scan200.pdf"])
    cells = [td.get_text() for td in scan.find_all("td")]
    assert scan["data-edition"] == "duplicate" and "duplicate of fixture_kiso_gyokuto_juki.pdf" in cells
    ocr = cells[-2].split(" / ")  # options / second-reading / single-reading
    assert len(ocr) == 3 and int(ocr[0]) >= 15 and int(ocr[2]) >= 1 and int(cells[-1]) >= 1
    canon = soup.find(id="canonical-table")
    rows = {tr["data-doc"]: tr.th.get_text() for tr in canon.find_all("tr")[1:]}
    assert ids["scan_kiso_gyokuto_juki.scan200.pdf"] not in rows and len(rows) == 5  # the scan counted once
    assert rows[ids["fixture_zen_kumamoto_pref.pdf"]].endswith("[synthetic]")
    assert not rows[ids["002_c2635bd3da7e0273.txt"]].endswith("[synthetic]")
    packs = soup.find(id="public-comment-table").find_all("tr")[1:]
    assert sorted(tr["data-doc"] for tr in packs) == sorted(ids[n] for n in ("000_0ed831b2d6b038b6.txt",
                                                                              "001_e84f7f529fe65ae5.txt",
                                                                              "004_8b11f365a781c64d.txt"))
    csv_df = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str)
    assert len(csv_df) == 9 and set(csv_df["form_type"]) >= {"public-comment"}
    assert csv_df.set_index("source").loc["scan_kiso_gyokuto_juki.scan200.pdf", "edition_status"] == "duplicate"
    assert (csv_df["synthetic"] == "True").sum() == 4


def test_the_synthetic_stamp_is_read_from_the_file(tmp_path):
    import pymupdf

    from extract.sources.sniff import is_synthetic

    real, stamped = tmp_path / "real.txt", tmp_path / "made.txt"
    real.write_text((RAW / "000_0ed831b2d6b038b6.txt").read_text(encoding="utf-8"), encoding="utf-8")
    stamped.write_text("pia-extract synthetic\n" + real.read_text(encoding="utf-8"), encoding="utf-8")
    assert not is_synthetic(real) and is_synthetic(stamped)
    pdf = tmp_path / "copy.pdf"
    with pymupdf.open(RAW / "fixture_kiso_gyokuto_juki.pdf") as doc:
        doc.set_metadata({"creator": "Microsoft Excel"})  # a real publication's creator
        doc.save(pdf)
    assert not is_synthetic(pdf) and is_synthetic(RAW / "fixture_kiso_gyokuto_juki.pdf")
