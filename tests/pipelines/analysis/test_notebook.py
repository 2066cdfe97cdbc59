"""notebooks/compare_ratings.ipynb runs top to bottom on a fresh extract of the sample corpus (data/raw)."""

from __future__ import annotations

import os

import nbclient
import nbformat
from conftest import ROOT

from pipelines.runner import RunOptions, run_batch

NOTEBOOK = ROOT / "notebooks" / "compare_ratings.ipynb"


def test_notebook_runs_on_the_sample_corpus(tmp_path, monkeypatch):
    from pipelines.process import process_file

    out = tmp_path / "parsed"
    s = run_batch(sorted((ROOT / "data" / "raw").iterdir()), RunOptions(out=out, workers=2, timeout=300),
                  process_fn=process_file)
    assert s.failed == 0
    nb = nbformat.read(NOTEBOOK, as_version=4)
    monkeypatch.setenv("PIA_PARSED", str(out))  # the kernel inherits the environment
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()  # raises on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "missing from font" not in text and "Glyph" not in text  # no tofu boxes
    assert "$PIA_PARSED" in text  # it read the fresh extract, not data/parsed
    # 熊本県's organizations in the sample corpus, and its two 全項目 documents' answer to the item
    for org in ("熊本県", "熊本市", "八代市", "玉東町"):
        assert org in text
    assert "旭川市" in text  # listed among all documents, but not in the prefecture's table:
    prefecture_table = next(o for c in nb.cells if "PREFECTURE =" in c.source for o in c.outputs
                            if "text/plain" in o.get("data", {}))
    assert "旭川市" not in prefecture_table["data"]["text/plain"]
    from bs4 import BeautifulSoup

    per_doc = next(o for c in nb.cells if c.source.startswith("def weakest") for o in c.outputs
                   if "text/html" in o.get("data", {}))["data"]["text/html"]
    table = BeautifulSoup(per_doc, "html.parser").find("table")
    header = [th.get_text() for th in table.find("thead").find_all("th")]
    rows = [[td.get_text() for td in tr.find_all(["th", "td"])] for tr in table.find("tbody").find_all("tr")]
    level = {r[header.index("source")]: r[header.index("level")] for r in rows}
    assert level["fixture_zen_kumamoto_pref.pdf"] == "2"  # 十分である in zen_kumamoto_pref's Ⅲ 7 リスク1
    assert level["fixture_juten_gyokuto_kokuho.pdf"] == "1"  # 特に力を入れている (its answer key)
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_committed_notebook_has_its_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs for c in code)
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert os.path.getsize(NOTEBOOK) < 400_000
