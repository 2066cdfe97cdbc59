"""`python -m pipelines extract` on a temporary copy of the sample corpus (data/raw), as `make extract`
runs it, then the Parquet tables read back with pandas. Expected values were read from the documents
(the real ones by hand, the fixtures from their answer keys)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    shutil.copytree(RAW, tmp / "raw")
    out = tmp / "parsed"
    proc = subprocess.run([sys.executable, "-m", "pipelines", "extract", str(tmp / "raw"), "--out", str(out),
                           "--workers", "2"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_every_input_is_in_the_manifest_and_documents(parsed):
    manifest = pd.read_parquet(parsed / "manifest")
    names = {Path(p).name for p in manifest["path"]}
    assert names == {p.name for p in RAW.iterdir() if not p.name.startswith(".")}
    assert set(manifest["status"]) <= {"ok", "partial"}
    docs = pd.read_parquet(parsed / "documents")
    assert len(docs) == len(names)


def test_real_documents_organization_and_form(parsed):
    docs = pd.read_parquet(parsed / "documents")
    by = {Path(p).name[:3]: row for p, row in zip(docs["source_path"], docs.to_dict("records"))}
    expected = {  # (form type, organization, affair)
        "000": ("public-comment", "熊本市", "住民基本台帳に関する事務"),
        "001": ("public-comment", "熊本市", "住民基本台帳に関する事務"),
        "002": ("全項目評価書", "熊本県", "住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に関する事務"),
        "003": ("重点項目評価書", "八代市", "住民基本台帳に関する事務"),
        "004": ("public-comment", "旭川市", "住民基本台帳関係事務"),
    }
    for doc, (form, org, affair) in expected.items():
        row = by[doc]
        assert (row["form_type"], row["organization"], row["affair"]) == (form, org, affair), doc
    assert by["002"]["organization_raw"] == "熊本県知事"
    assert str(by["002"]["published"]) == "2015-06-04"
    assert by["002"]["org"] == "j430005" and by["003"]["org"] == "j432024"
    assert by["002"]["pref"] == by["003"]["pref"] == "p43" and by["004"]["pref"] == "p01"


def test_kumamoto_pref_ratings(parsed):
    ratings = pd.read_parquet(parsed / "ratings", filters=[("org", "==", "j430005")])
    assert set(ratings["org"]) == {"j430005"} and set(ratings["pref"]) == {"p43"}
    docs = pd.read_parquet(parsed / "documents")
    real_id = docs.loc[docs["source_path"].str.contains("002_"), "doc_id"].item()
    real = ratings[ratings["doc_id"] == real_id].set_index("key")
    # 002 line 345: Ⅲ 2 リスク1 リスクへの対策は十分か [特に力を入れている]
    assert real.loc["III.2.R1.rating", "value_text"] == "特に力を入れている"
    assert real.loc["III.2.R1.rating", "grade_level"] == 1
    # 002 Ⅲ 6: both 接続しない ticked -> the ratings are not applicable, never a level
    r6 = real.loc["III.6.R1.rating"]
    assert r6["status"] == "undetermined" and pd.isna(r6["grade_level"]) and r6["reason"].startswith("not-applicable")
    fixture_id = docs.loc[docs["source_path"].str.contains("fixture_zen_kumamoto_pref"), "doc_id"].item()
    fx = ratings[(ratings["doc_id"] == fixture_id)].set_index(["key", "file_no"])
    assert fx.loc[("III.4.7", 1), "value_text"] == "十分に行っていない"  # answer key, page 11


def test_pdf_paths_fill_every_table(parsed):
    docs = pd.read_parquet(parsed / "documents")
    kinds = dict(zip(docs["source_path"].map(lambda p: Path(p).name), docs["input_kind"]))
    assert kinds["fixture_zen_kumamoto_pref.pdf"] == "pdf-text"
    assert kinds["scan_kiso_gyokuto_juki.scan200.pdf"] == "pdf-scan"
    boxes = pd.read_parquet(parsed / "checkboxes")
    scan_id = docs.loc[docs["source_path"].str.contains("scan200"), "doc_id"].item()
    kansa = boxes[(boxes["doc_id"] == scan_id) & (boxes["key"] == "IV.8.1")].set_index("option_label")
    assert kansa.loc["自己点検", "checked"] == True  # noqa: E712 (numpy bool)
    assert kansa.loc["内部監査", "checked"] == False  # noqa: E712
    pages = pd.read_parquet(parsed / "pages")
    assert set(pages.loc[pages["doc_id"] == scan_id, "method"]) == {"ocr"}
