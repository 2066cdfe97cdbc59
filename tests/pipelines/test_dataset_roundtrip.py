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
from conftest import ROOT, toy_doc, toy_process

from pipelines.runner import RunOptions, run_batch
from pipelines.schema import DOC_TABLES, RATINGS

REAL = ROOT / "data" / "raw"  # the five real documents, committed


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
    assert set(cols) == set(RATINGS.names) | {"pref"} and "org" in RATINGS.names
    return [dict(zip(cols, r)) for r in rows]


def test_ratings_read_back_identically_with_four_readers(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, org, level in (("a.txt", "熊本県知事", 2), ("b.txt", "八代市長", 3), ("c.txt", "旭川市長", 1)):
        (raw / name).write_text(toy_doc(org, level), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = assert_same_everywhere(out / "ratings")
    assert {r["org"] for r in rows} == {"j430005", "j432024", "j012041"}
    # digits-only partition values would be read as integers by three of the readers (01 -> 1)
    assert {(r["org"], r["pref"]) for r in rows} == {("j430005", "p43"), ("j432024", "p43"), ("j012041", "p01")}
    assert {(r["organization"], r["org_code"]) for r in rows} == {
        ("熊本県", "430005"), ("八代市", "432024"), ("旭川市", "012041")}
    by = {(r["organization"], r["key"]): r for r in rows}
    assert by[("八代市", "III.2.R1.9")]["grade_level"] == 3
    assert by[("八代市", "III.3.R1.9")]["grade_level"] is None

    # an organization without a committed code, and a document without one
    (raw / "d.txt").write_text(toy_doc("岡山県 架空市長", 1), encoding="utf-8")  # a body in no table
    (raw / "e.txt").write_text(toy_doc("", 1).replace("org: \n", ""), encoding="utf-8")
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = assert_same_everywhere(out / "ratings")
    orgs = {r["org"]: (r["organization"], r["org_code"], r["pref"]) for r in rows}
    assert orgs["unknown"] == (None, None, "unknown")
    fictional = [k for k, v in orgs.items() if v == ("架空市", None, "p33")]  # the printed prefecture: 岡山県
    assert len(fictional) == 1 and fictional[0].startswith("x") and len(fictional[0]) == 9


def test_every_table_has_the_schema_columns(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    out = tmp_path / "out"
    run_batch([raw / "a.txt"], RunOptions(out=out, workers=0), process_fn=toy_process)
    for table, schema in DOC_TABLES.items():
        t = ds.dataset(out / table, format="parquet", partitioning="hive").to_table()
        assert t.schema.names == [*schema.names, "pref"] and "org" in schema.names, table
        assert t.select(["org", "pref"]).to_pylist()[0] == {"org": "j430005", "pref": "p43"}, table
        assert t.num_rows > 0, table


def test_real_documents_read_back_identically(tmp_path):
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


# -- organizations: names, codes, partition keys --------------------------------------------------------

def test_check_digits_match_published_codes():
    from normalize.orgs import check_digit, is_valid_code

    # from the 総務省 list, covering remainders 0 (新宿区) and 1 (渋谷区, 栃木県)
    published = ["010006", "040002", "090000", "130001", "270008", "470007", "011002", "012041", "131041",
                 "131121", "131130", "141003", "242021", "401307", "430005", "431001", "432024", "433641"]
    for code in published:
        assert check_digit(code[:5]) == code[5], code
        assert is_valid_code(code)
    assert not is_valid_code("430006") and not is_valid_code("43000")
    with pytest.raises(ValueError):
        check_digit("4300")


def test_normalize_org_and_codes():
    from normalize.orgs import ORG_CODES, PREFECTURES, normalize_org, org_code, org_key, split_org

    cases = {"熊本県知事": "熊本県", "八代市長": "八代市", "熊本市教育委員会": "熊本市", "岡山県 赤磐市長": "赤磐市",
             "東京都知事": "東京都", "杉並区長": "杉並区", "熊本県上益城郡山都町長": "山都町",
             "熊本市消防長": "熊本市", "四日市市長": "四日市市", "京都市長": "京都市", "玉東町長": "玉東町",
             "熊本県後期高齢者医療広域連合長": "熊本県後期高齢者医療広域連合", "　八代市長　": "八代市",
             "八代市": "八代市"}
    for raw, body in cases.items():
        assert normalize_org(raw) == body, raw
    assert split_org("岡山県 赤磐市長") == ("岡山県", "赤磐市")
    assert len(PREFECTURES) == 47 and sum(1 for k in ORG_CODES if k[0] is None) == 47
    assert [org_code(n) for n in ("熊本県", "熊本市", "八代市", "旭川市", "玉東町", "合志市", "山江村")] == [
        "430005", "431001", "432024", "012041", "433641", "432164", "435121"]
    assert org_code("八代市", "北海道") is None  # not that prefecture's
    assert org_code("赤磐市") == "332135" and org_code("架空市") is None and org_code(None) is None
    assert org_key("熊本県", "430005") == "j430005"
    assert org_key("赤磐市", None) == "x2b98f976" and org_key(None, None) == "unknown"
    assert all(k.isascii() for k in (org_key("赤磐市", None), org_key("熊本県", "430005")))
