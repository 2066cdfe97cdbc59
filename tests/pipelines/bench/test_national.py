"""The national bench in its small mode: synthetic documents with varied identities, written by the extract's
writer, the same rows after compaction, at most two files per partition."""

from __future__ import annotations

import pyarrow.dataset as ds

from pipelines.bench import national


def test_small_national_bench(tmp_path):
    info = national.run(60, tmp_path, dask=False)
    assert info["same rows after compaction"] is True
    assert info["rows"]["documents"] == 60
    docs = ds.dataset(tmp_path / "national" / "documents", format="parquet", partitioning="hive").to_table()
    assert len(set(docs.column("doc_id").to_pylist())) == 60
    assert len(set(docs.column("org").to_pylist())) > 20  # identities vary: many organizations
    assert len(set(docs.column("affair").to_pylist())) > 12
    for table in national.TABLES:
        files, partitions = info["files before"][table]
        assert files == 60 and partitions == len(set(docs.column("org").to_pylist()))
        after, parts_after = info["files after"][table]
        assert after <= 2 * parts_after and parts_after == partitions
    assert info["files after"]["manifest"] == (1, 1)
    text = national.format_figures(info)
    for line in ("pyarrow full read", "duckdb group-by", "polars full read", "polars group-by", "peak RSS",
                 "wall seconds"):
        assert line in text
