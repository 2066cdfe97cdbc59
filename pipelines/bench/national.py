"""National-scale bench: a dataset of N documents (default 20,000), before and after compaction.

    python -m pipelines.bench.national [--docs 20000] [--work DIR] [--no-dask] [--keep]

1. The sample: the 12 text-layer fixture PDFs (tests/fixtures/pdf, 241 pages) are extracted for real,
   by the local executor and by a Dask LocalCluster; both outputs are compacted and compared (sorted rows,
   timings aside): the Dask run must give identical tables.
2. Synthesis: N documents are made from the sample's tables with varied identities — each gets its own
   doc_id and SHA-256, an organization drawn from the committed table of all local bodies and national
   agencies (its `org`, and its prefecture's `pref=` partition), an affair, 評価書番号 and 公表日 of its own — and written through
   the extract's own writer (`OutputStore.write_document`: temp file, fsync, rename, one file per document
   and table; fsync off, synthetic data) with a manifest row each through the run journal. Running extract 20,000 times instead would
   take ~1 hour of this 2-core machine (0.09 s per fixture page, 20 pages per document, two workers) to
   produce the same files: the files and their layout are what this bench measures, not reading.
3. Queries, before and after `compact`, and over the same rows in one file (the floor): pyarrow full read
   of `ratings`, a DuckDB group-by over `ratings`, polars full read and group-by, pyarrow read of one
   organization's rows (one run each, the files in the page cache); files per table, partitions; the
   compaction's wall time; that the tables hold the same rows after it; the time to redo one document of the
   largest partition on the compacted output (its rows taken out of the partition's files, fsync on).
4. Peak RSS (this process, and its children: the extract workers) and wall time.

`--docs 60 --no-dask` is the small mode a test runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from normalize import orgcodes
from normalize.orgs import org_key
from pipelines.compact import compact
from pipelines.runner import RunOptions, new_run_id, run_batch
from pipelines.schema import DOC_TABLES, PARTITION, partition_key
from pipelines.write import ROW_GROUP_ROWS, OutputStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "pdf"
TABLES = tuple(DOC_TABLES)  # fields, ratings, checkboxes, pages, documents
LEVEL = "level" if "level" in DOC_TABLES["ratings"].names else "grade_level"  # the ordinal grade's column


def _dataset(root: Path, table: str) -> pa.Table:
    return ds.dataset(root / table, format="parquet", partitioning="hive").to_table()


def comparable(root: Path, table: str) -> pa.Table:
    """A table's rows in a fixed order, without the columns that differ run to run (timings)."""
    t = _dataset(root, table)
    t = t.replace_schema_metadata(None)
    if "timings" in t.column_names:
        t = t.drop_columns(["timings"])
    keys = [c for c in ("doc_id", "key", "file_no", "group_no", "option_no", "page") if c in t.column_names]
    return t.sort_by([(k, "ascending") for k in keys])


def files_per_table(root: Path) -> dict[str, tuple[int, int]]:
    """table -> (Parquet files, partitions)."""
    out = {}
    for table in (*TABLES, "manifest"):
        files = [p for p in (root / table).rglob("*.parquet") if not p.name.startswith(".")]
        out[table] = (len(files), len({p.parent for p in files}))
    return out


def _best(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def queries(root: Path, single: Path | None = None, org: str = "j430005") -> dict[str, float]:
    """Seconds of each query over `ratings` under `root` (or in the one file `single`); one run each, the
    files in the page cache. `org`: the organization of the one-organization read."""
    glob = str(single) if single else str(root / "ratings" / "*" / "*.parquet")
    source = str(single) if single else root / "ratings"
    con = duckdb.connect()
    return {
        "pyarrow full read": _best(lambda: ds.dataset(source, format="parquet", partitioning="hive").to_table()),
        "duckdb group-by": _best(lambda: con.sql(
            f"select org, scale, {LEVEL}, count(*) as n from read_parquet('{glob}', hive_partitioning=true) "
            f"group by all").fetchall()),
        "polars full read": _best(lambda: pl.read_parquet(glob, hive_partitioning=True)),
        "polars group-by": _best(lambda: pl.scan_parquet(glob, hive_partitioning=True)
                                 .group_by("org", "scale", LEVEL).agg(pl.len()).collect()),
        "pyarrow one org": _best(lambda: ds.dataset(source, format="parquet", partitioning="hive")
                                 .to_table(filter=pc.field("org") == org)),
    }


def extract_sample(work: Path, dask: bool) -> tuple[dict[str, dict[str, pa.Table]], dict]:
    """Extract the sample (local, and Dask when asked); the per-document tables of the local run."""
    pdfs = sorted(SAMPLE.glob("*.pdf"))
    info: dict = {"sample documents": len(pdfs)}
    t0 = time.perf_counter()
    s = run_batch(pdfs, RunOptions(out=work / "sample-local", workers=2))
    info["sample extract seconds (local, 2 workers)"] = round(time.perf_counter() - t0, 2)
    info["sample pages"] = s.pages
    compact(work / "sample-local")
    if dask:
        from pipelines.dask_executor import DaskExecutor  # lazy: optional dependency

        t0 = time.perf_counter()
        run_batch(pdfs, RunOptions(out=work / "sample-dask", workers=2), executor=DaskExecutor(workers=2))
        info["sample extract seconds (dask, 2 workers)"] = round(time.perf_counter() - t0, 2)
        compact(work / "sample-dask")
        info["dask tables identical to local"] = all(
            comparable(work / "sample-local", t).equals(comparable(work / "sample-dask", t)) for t in TABLES)
    tables = {t: _dataset(work / "sample-local", t) for t in TABLES}
    by_doc: dict[str, dict[str, pa.Table]] = {}
    for d in tables["documents"].column("doc_id").to_pylist():
        by_doc[d] = {t: tables[t].filter(pc.equal(tables[t].column("doc_id"), d)).drop_columns([PARTITION])
                     .cast(DOC_TABLES[t]) for t in TABLES}
    return by_doc, info


def _with(table: pa.Table, **values) -> pa.Table:
    for name, value in values.items():
        if name in table.column_names:
            i = table.column_names.index(name)
            table = table.set_column(i, table.schema.field(i), pa.array([value] * table.num_rows,
                                                                       type=table.schema.field(i).type))
    return table


def _document(i: int, tpl: dict[str, pa.Table], body: orgcodes.Body, rng: random.Random,
              run_id: str) -> tuple[str, str, dict[str, pa.Table], dict]:
    """Document i made from template `tpl`: its doc_id, partition, tables and manifest row."""
    sha = hashlib.sha256(f"synthetic document {i}".encode()).hexdigest()
    doc_id = sha[:16]
    published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    doc = tpl["documents"]
    affair = f"{doc.column('affair')[0].as_py() or '事務'} {i % 25 + 1}"
    common = dict(doc_id=doc_id, organization=body.name, org_code=body.code, org=org_key(body.name, body.code))
    tables = {t: _with(tpl[t], **common) for t in TABLES if t != "documents"}
    tables["documents"] = _with(doc, **common, source_path=f"synthetic/{i:06d}.pdf", sha256=sha,
                                organization_raw=body.name, prefecture=body.prefecture or None,
                                affair=affair, assessment_no=str(1000 + i), published=published)
    r = tables["ratings"]  # the ratings vary too: a third of the graded answers take another level
    levels = [lv if lv is None or rng.random() > 1 / 3 else rng.randint(1, 3) for lv in r.column(LEVEL).to_pylist()]
    i_level = r.column_names.index(LEVEL)
    tables["ratings"] = r.set_column(i_level, r.schema.field(i_level), pa.array(levels, pa.int32()))
    row = dict(path=f"synthetic/{i:06d}.pdf", sha256=sha, doc_id=doc_id, status=doc.column("status")[0].as_py(),
               error_class=None, error_message=None, note="synthetic", pages=doc.column("page_count")[0].as_py(),
               fields=tpl["fields"].num_rows, seconds=0.0, run_id=run_id, started_at=dt.datetime.now(dt.UTC))
    return doc_id, partition_key(body.code, body.prefecture), tables, row


def synthesize(out: Path, templates: dict[str, dict[str, pa.Table]], n: int, seed: int = 21,
               threads: int = 4) -> float:
    """Write n documents made from the templates, each with its own identity, through the extract's
    writer (`threads` documents at a time: Parquet encoding releases the GIL); returns seconds."""
    rng = random.Random(seed)
    bodies = [b for b in orgcodes.bodies() if b.kind in ("prefecture", "municipality", "national")]
    names = list(templates)
    run_id = new_run_id()
    t0 = time.perf_counter()
    docs = ((i, templates[names[i % len(names)]], rng.choice(bodies)) for i in range(n))
    with OutputStore(out, durable=False) as store:  # no fsync: the files are the point, not a crash
        def write(item: tuple) -> dict:
            i, tpl, body = item
            doc_id, key, tables, row = _document(i, tpl, body, random.Random(seed * 1_000_003 + i), run_id)
            store.write_document(doc_id, key, tables)  # distinct documents: no shared state but the index
            return row

        with ThreadPoolExecutor(threads) as pool:
            rows = list(pool.map(write, docs))
        for row in rows:
            store.journal_append(run_id, row, sync=False)
        store.journal_fold(run_id, rows)
    return time.perf_counter() - t0


def redo_one(out: Path) -> float:
    """Seconds to write one document of the largest partition again on the compacted output, as a rerun
    with --force does (its rows out of the partition's compacted files first, fsync on); rows unchanged."""
    docs = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table(
        columns=["doc_id", PARTITION])
    sizes = docs.group_by(PARTITION).aggregate([("doc_id", "count")]).sort_by([("doc_id_count", "descending")])
    largest = sizes.column(PARTITION)[0].as_py()
    doc_id = docs.filter(pc.equal(docs.column(PARTITION), largest)).column("doc_id")[0].as_py()
    tables = {t: ds.dataset(out / t, format="parquet", partitioning="hive")
              .to_table(filter=pc.field("doc_id") == doc_id).drop_columns([PARTITION]).cast(DOC_TABLES[t])
              for t in TABLES}
    with OutputStore(out) as store:
        t0 = time.perf_counter()
        store.write_document(doc_id, largest, tables)
        return time.perf_counter() - t0


def _rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run(n: int, work: Path, dask: bool = True) -> dict:
    """The whole bench; returns its figures (also printed)."""
    t_start = time.perf_counter()
    templates, info = extract_sample(work, dask)
    out = work / "national"
    info["documents"] = n
    info["synthesis seconds"] = round(synthesize(out, templates, n), 1)
    info["files before"] = files_per_table(out)
    before_rows = {t: comparable(out, t) for t in ("documents", "ratings")}
    info["rows"] = {t: ds.dataset(out / t, format="parquet", partitioning="hive").count_rows() for t in TABLES}
    info["queries before"] = queries(out)
    t0 = time.perf_counter()
    report = compact(out)
    info["compaction seconds"] = round(time.perf_counter() - t0, 1)
    info["compaction"] = report.summary()
    info["files after"] = files_per_table(out)
    info["queries after"] = queries(out)
    one = work / "one-file"  # the floor: the same rows in a single file
    one.mkdir(exist_ok=True)
    pq.write_table(_dataset(out, "ratings"), one / "ratings.parquet", compression="zstd",
                   row_group_size=ROW_GROUP_ROWS)
    info["queries one file"] = queries(out, one / "ratings.parquet")
    info["same rows after compaction"] = (
        all(comparable(out, t).equals(before_rows[t]) for t in before_rows)
        and info["rows"] == {t: ds.dataset(out / t, format="parquet", partitioning="hive").count_rows()
                             for t in TABLES})
    info["redo one document seconds"] = round(redo_one(out), 2)
    info["peak RSS MiB (bench process, largest child)"] = tuple(round(x) for x in _rss_mib())
    info["wall seconds"] = round(time.perf_counter() - t_start, 1)
    return info


def format_figures(info: dict) -> str:
    lines = [f"national bench: {info['documents']} documents from {info['sample documents']} sample documents "
             f"({info['sample pages']} pages)"]
    for k in ("sample extract seconds (local, 2 workers)", "sample extract seconds (dask, 2 workers)",
              "dask tables identical to local", "synthesis seconds", "rows"):
        if k in info:
            lines.append(f"  {k}: {info[k]}")
    lines.append(f"  {'table':<11} {'files before':>12} {'files after':>11} {'partitions':>10}")
    for t, (files, parts) in info["files before"].items():
        lines.append(f"  {t:<11} {files:>12} {info['files after'][t][0]:>11} {parts:>10}")
    lines.append(f"  {'query over ratings':<20} {'before s':>9} {'after s':>9} {'one file s':>10}")
    for q, sec in info["queries before"].items():
        lines.append(f"  {q:<20} {sec:>9.3f} {info['queries after'][q]:>9.3f} {info['queries one file'][q]:>10.3f}")
    for k in ("compaction seconds", "compaction", "same rows after compaction", "redo one document seconds",
              "peak RSS MiB (bench process, largest child)", "wall seconds"):
        lines.append(f"  {k}: {info[k]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench.national", description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000, help="documents to synthesize (default: 20000)")
    ap.add_argument("--work", type=Path, default=None, help="work directory (default: a temp directory)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask run of the sample")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="pia-national-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        info = run(args.docs, work, dask=not args.no_dask)
        print(format_figures(info))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ok = info["same rows after compaction"] and info.get("dask tables identical to local", True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
