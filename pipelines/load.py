"""Typed loading of the output tables: `pipelines.load("ratings", parsed="data/parsed")`.

pandas reads Parquet integer columns that hold nulls as float64 and dates as Python objects; this loader
gives nullable integers (`Int32`, `Int64`), nullable booleans, `datetime64` dates and the hive partition
column `pref` as a string (the organization is the column `org`), can keep only the latest edition of each
assessment (`latest=True`), leave out the project-made fixtures (`synthetic=False`) and read only some
organizations (`orgs=[...]`, pruned by the files' statistics). See docs/cli.md, "Loading the data".
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipelines.schema import ALL_TABLES, PARTITION, SCHEMA_VERSION, SCHEMA_VERSION_KEY
from pipelines.write import LayoutError, check_layout

TABLES = tuple(ALL_TABLES)
DEFAULT_PARSED = Path("data/parsed")

# Which copy of one edition is kept (a PDF and its scan, two converter outputs): the best-read input.
_KIND_RANK = {"pdf-text": 0, "text": 1, "markdown/html": 1, "pdf-scan": 2}
LATEST, DUPLICATE, SUPERSEDED = "latest", "duplicate", "superseded"


class TableMissing(FileNotFoundError):
    """The output directory has no such table (extract not run, or no document had rows for it)."""


def _types(t: pa.DataType):
    if pa.types.is_int32(t):
        return pd.Int32Dtype()
    if pa.types.is_int64(t):
        return pd.Int64Dtype()
    if pa.types.is_boolean(t):
        return pd.BooleanDtype()
    if pa.types.is_floating(t):
        return pd.Float64Dtype()
    return None


def read_table(table: str, parsed: Path | str = DEFAULT_PARSED, columns: list[str] | None = None,
               orgs: list[str] | None = None) -> pa.Table:
    """One table as Arrow, every partition (`pref` a string column); columns missing in older files are null.
    `orgs`: only the rows of these organizations (`org` keys). LayoutError for an output of the older layout."""
    if table not in ALL_TABLES:
        raise ValueError(f"{table}: no such table (one of {', '.join(TABLES)})")
    path = Path(parsed) / table
    if not path.is_dir():
        raise TableMissing(f"{path}: no {table} table; run `python -m pipelines extract … --out {parsed}` first")
    schema = ALL_TABLES[table]
    if table == "manifest":
        if orgs is not None:
            raise ValueError("orgs selects organizations; the manifest has inputs, not documents")
        return ds.dataset(path, format="parquet", schema=schema).to_table(columns=columns)
    check_layout(parsed)
    part = ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")
    dataset = ds.dataset(path, format="parquet", partitioning=part,
                         schema=pa.schema([*schema, pa.field(PARTITION, pa.string())]))
    where = None if orgs is None else pc.field("org").isin(list(orgs))
    return dataset.to_table(columns=columns, filter=where)


def to_typed_pandas(t: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas with nullable ints and booleans, Float64, datetime64 dates, strings as pandas strings."""
    df = t.to_pandas(types_mapper=_types, date_as_object=False)
    for name in t.column_names:
        if pa.types.is_date(t.schema.field(name).type):
            df[name] = df[name].astype("datetime64[s]")
    return df


def load(table: str, parsed: Path | str = DEFAULT_PARSED, *, latest: bool = False, synthetic: bool | None = None,
         columns: list[str] | None = None, dtype_backend: str = "numpy_nullable",
         orgs: list[str] | None = None) -> pd.DataFrame:
    """A table of an extract as a typed DataFrame.

    latest: keep only the latest edition of each assessment (organization × affair × form; a PDF and its
    scan count once), see `mark_editions`. synthetic: False leaves the project-made fixtures out, True keeps
    only them, None keeps all. orgs: only these organizations (`org` keys such as "j430005"). dtype_backend
    "pyarrow" gives ArrowDtype columns instead (pandas' own option).
    """
    if table == "manifest" and (latest or synthetic is not None):
        raise ValueError("latest and synthetic select documents; the manifest has inputs, not documents")
    t = read_table(table, parsed, columns=None if (latest or synthetic is not None) else columns, orgs=orgs)
    if dtype_backend == "pyarrow":
        df = t.to_pandas(types_mapper=pd.ArrowDtype)
    elif dtype_backend == "numpy_nullable":
        df = to_typed_pandas(t)
    else:
        raise ValueError(f"dtype_backend {dtype_backend!r}: use 'numpy_nullable' or 'pyarrow'")
    if latest or synthetic is not None:
        docs = df if table == "documents" else load("documents", parsed)
        keep = mark_editions(docs) if latest else docs
        if latest:
            keep = keep[keep["edition_status"] == LATEST]
        if synthetic is not None:
            keep = keep[keep["synthetic"].fillna(False).astype(bool) == synthetic]
        df = df[df["doc_id"].isin(set(keep["doc_id"]))].reset_index(drop=True)
        if columns is not None:
            df = df[columns]
    return df


def mark_editions(docs: pd.DataFrame, per: str = "form") -> pd.DataFrame:
    """`docs` with `edition_status` (latest, duplicate, superseded) and `latest_doc_id` added.

    Documents of one organization and affair (never a synthetic fixture with a publication), and form type
    (per="form"; per="affair" across form types:
    a 全項目評価書 replacing an earlier 重点項目評価書) are editions of one assessment; the one with the latest
    公表日 is `latest`. Another copy of the latest edition (same edition key: a PDF and its scan) is a
    `duplicate`, an earlier 公表日 `superseded`. Copies are ranked: text layer or text first, then scan, then
    fewer undetermined fields. A document without organization, affair or 公表日, and a public-comment pack
    (a notice or a summary, not an edition of the assessment), is its own edition.
    """
    if per not in ("form", "affair"):
        raise ValueError(f"per={per!r}: use 'form' or 'affair'")
    out = docs.copy()
    org = out["org_code"].astype("string").fillna(out["organization"].astype("string"))
    # a synthetic fixture is never an edition of a real body's assessment, nor the other way round
    kind = out["synthetic"].astype("boolean").fillna(False).map({True: "synthetic", False: "publication"})
    group_cols = [kind.astype("string"), org, out["affair"].astype("string")]
    group_cols += [out["form_type"].astype("string")] if per == "form" else []
    complete = pd.concat(group_cols, axis=1).notna().all(axis=1) & out["published"].notna()
    complete &= ~out["form_type"].isin(["unknown", "public-comment"])  # a pack is no edition of an assessment
    group = pd.Series(pd.NA, index=out.index, dtype="string")
    joined = group_cols[0]
    for c in group_cols[1:]:
        joined = joined + "|" + c
    group[complete] = joined[complete]
    group[~complete] = "doc:" + out.loc[~complete, "doc_id"].astype("string")
    rank = pd.DataFrame({
        "group": group, "published": pd.to_datetime(out["published"]),
        "kind": out["input_kind"].map(_KIND_RANK).fillna(3),
        "und": pd.to_numeric(out["fields_undetermined"], errors="coerce").fillna(1e9),
        "doc_id": out["doc_id"], "edition": out["edition"] if "edition" in out else out["doc_id"],
    }).sort_values(["group", "published", "kind", "und", "doc_id"], ascending=[True, False, True, True, True])
    first = rank.groupby("group", sort=False).head(1).set_index("group")
    latest_id = rank["group"].map(first["doc_id"])
    latest_edition = rank["group"].map(first["published"])
    status = pd.Series(SUPERSEDED, index=rank.index)
    status[rank["published"] == latest_edition] = DUPLICATE
    status[rank["doc_id"] == latest_id] = LATEST
    out["edition_status"] = status.reindex(out.index)
    out["latest_doc_id"] = latest_id.reindex(out.index)
    return out


def schema_version(path: Path | str) -> str | None:
    """The schema version stored in one Parquet file of an extract (None: written before versions)."""
    meta = pq.read_schema(path).metadata or {}
    v = meta.get(SCHEMA_VERSION_KEY)
    return v.decode() if v is not None else None


__all__ = ["LATEST", "DUPLICATE", "SUPERSEDED", "SCHEMA_VERSION", "TABLES", "LayoutError", "TableMissing", "load",
           "mark_editions", "read_table", "schema_version", "to_typed_pandas"]


class _CallableModule(types.ModuleType):
    """`pipelines.load("ratings")` calls `load`; `pipelines.load.mark_editions` is still this module's."""

    def __call__(self, *args, **kwargs) -> pd.DataFrame:
        return load(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
