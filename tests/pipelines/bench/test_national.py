"""The national bench in its small mode: synthetic documents with varied identities, written by the extract's
writer, the same rows after compaction, at most two files per partition (one per prefecture)."""

from __future__ import annotations

import pyarrow.dataset as ds

from normalize.orgs import PREFECTURES
from pipelines.bench import national


def test_small_national_bench(tmp_path):
    info = national.run(60, tmp_path, dask=False)
    assert info["same rows after compaction"] is True
    assert info["rows"]["documents"] == 60
    docs = ds.dataset(tmp_path / "national" / "documents", format="parquet", partitioning="hive").to_table()
    assert len(set(docs.column("doc_id").to_pylist())) == 60
    orgs = set(docs.column("org").to_pylist())
    prefs = set(docs.column("pref").to_pylist())
    assert len(orgs) > 20  # identities vary: many organizations
    assert len(prefs) < len(orgs) and prefs <= {f"p{i:02d}" for i in range(1, 48)} | {"national"}
    for r in docs.select(["org", "org_code", "prefecture", "pref"]).to_pylist():  # the body's prefecture
        if r["org_code"].startswith("N"):
            assert (r["org"], r["pref"]) == ("n" + r["org_code"][1:], "national")
        else:
            assert r["org"] == "j" + r["org_code"] and r["pref"] == f"p{r['org_code'][:2]}"
            assert PREFECTURES[int(r["org_code"][:2]) - 1] == r["prefecture"]
    assert len(set(docs.column("affair").to_pylist())) > 12
    for table in national.TABLES:
        files, partitions = info["files before"][table]
        assert files == 60 and partitions == len(prefs)
        after, parts_after = info["files after"][table]
        assert after == parts_after == partitions
    assert info["files after"]["manifest"] == (1, 1)
    assert info["redo one document seconds"] > 0
    text = national.format_figures(info)
    for line in ("pyarrow full read", "duckdb group-by", "polars full read", "polars group-by", "pyarrow one org",
                 "redo one document", "peak RSS", "wall seconds"):
        assert line in text
