"""The output dataset reads back identically with pandas, pyarrow.dataset, polars and DuckDB."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest
from conftest import toy_doc, toy_process

from pipelines.runner import RunOptions, run_batch
from pipelines.schema import DOC_TABLES, RATINGS

REAL = Path("/work/shared/real-documents")


def _cell(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dt.datetime | pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _rows(columns: list[str], records) -> list[tuple]:
    order = sorted(columns)
    return sorted((tuple(_cell(r[c]) for c in order) for r in records), key=repr)


def read_four_ways(table_dir: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    glob = f"{table_dir}/*/*.parquet"
    pdf = pd.read_parquet(table_dir)
    arrow = ds.dataset(table_dir, format="parquet", partitioning="hive").to_table()
    polars = pl.read_parquet(glob, hive_partitioning=True)
    duck = duckdb.sql(f"select * from read_parquet('{glob}', hive_partitioning=true)")
    duck_cols = duck.columns
    return {
        "pandas": (sorted(pdf.columns), _rows(list(pdf.columns), pdf.astype(object).to_dict("records"))),
        "pyarrow": (sorted(arrow.column_names), _rows(arrow.column_names, arrow.to_pylist())),
        "polars": (sorted(polars.columns), _rows(polars.columns, polars.to_dicts())),
        "duckdb": (sorted(duck_cols), _rows(duck_cols, [dict(zip(duck_cols, r)) for r in duck.fetchall()])),
    }


def assert_same_everywhere(table_dir: Path) -> list[dict]:
    got = read_four_ways(table_dir)
    cols, rows = got["pyarrow"]
    for reader, (c, r) in got.items():
        assert c == cols, reader
        assert r == rows, reader
    assert set(cols) == set(RATINGS.names) | {"org"}
    return [dict(zip(cols, r)) for r in rows]


def test_ratings_read_back_identically_with_four_readers(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, org, level in (("a.txt", "熊本県知事", 2), ("b.txt", "八代市長", 3), ("c.txt", "旭川市長", 1)):
        (raw / name).write_text(toy_doc(org, level), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = assert_same_everywhere(out / "ratings")
    # digits-only partition values would be read as integers by three of the readers (012041 -> 12041)
    assert {r["org"] for r in rows} == {"j430005", "j432024", "j012041"}
    assert {(r["organization"], r["org_code"]) for r in rows} == {
        ("熊本県", "430005"), ("八代市", "432024"), ("旭川市", "012041")}
    by = {(r["organization"], r["key"]): r for r in rows}
    assert by[("八代市", "III.2.R1.9")]["level"] == 3
    assert by[("八代市", "III.3.R1.9")]["level"] is None

    # an organization without a committed code, and a document without one
    (raw / "d.txt").write_text(toy_doc("岡山県 赤磐市長", 1), encoding="utf-8")
    (raw / "e.txt").write_text(toy_doc("", 1).replace("org: \n", ""), encoding="utf-8")
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = assert_same_everywhere(out / "ratings")
    orgs = {r["org"]: (r["organization"], r["org_code"]) for r in rows}
    assert orgs["unknown"] == (None, None)
    akaiwa = [k for k, v in orgs.items() if v == ("赤磐市", None)]
    assert len(akaiwa) == 1 and akaiwa[0].startswith("x") and len(akaiwa[0]) == 9


def test_every_table_has_the_schema_columns(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    out = tmp_path / "out"
    run_batch([raw / "a.txt"], RunOptions(out=out, workers=0), process_fn=toy_process)
    for table, schema in DOC_TABLES.items():
        t = ds.dataset(out / table, format="parquet", partitioning="hive").to_table()
        assert t.schema.names == [*schema.names, "org"], table
        assert t.num_rows > 0, table


def test_real_documents_read_back_identically(tmp_path):
    pytest.importorskip("extract.forms.parse")
    if not REAL.is_dir():
        pytest.skip("real documents not available")
    from pipelines.process import process_file

    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(REAL.glob("*.txt")):
        shutil.copy(p, raw / p.name)
    out = tmp_path / "out"
    s = run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=2, timeout=300), process_fn=process_file)
    assert s.failed == 0, [r["error_message"] for r in s.rows if r["status"] == "failed"]
    rows = assert_same_everywhere(out / "ratings")
    assert rows and {"j430005", "j432024"} <= {r["org"] for r in rows}
