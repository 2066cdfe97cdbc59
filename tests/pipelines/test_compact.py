"""Compaction: one file per partition, the same rows, swapped in whole; reruns, --force and the Dask
executor keep working on a compacted output."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import DOC_TABLES, doc_tables, read_table, toy_doc, toy_process

from pipelines.cli import main
from pipelines.compact import CompactSettings, compact
from pipelines.runner import RunOptions, run_batch
from pipelines.write import DOC_IDS_KEY, is_part

ORGS = ["熊本県知事", "八代市長", "熊本市長", "旭川市長"]


def _corpus(raw: Path, n: int, start: int = 0) -> list[Path]:
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (raw / f"doc{i:03d}.txt").write_text(toy_doc(ORGS[i % 4], 1 + i % 3, extra=f"# {i}\n"), encoding="utf-8")
    return sorted(raw.iterdir())


def _run(paths, out, **kw):
    kw.setdefault("workers", 0)
    kw.setdefault("compact", CompactSettings(threshold=0))
    return run_batch(paths, RunOptions(out=out, **kw), process_fn=toy_process)


def _files(out: Path, table: str) -> list[Path]:
    return sorted((out / table).rglob("*.parquet"))


def test_compaction_keeps_every_row_in_one_file_per_partition(tmp_path):
    out = tmp_path / "out"
    paths = _corpus(tmp_path / "raw", 12)
    _run(paths[:6], out)
    _run(paths, out)  # two runs: two manifest files
    before = doc_tables(out)
    manifest_before = read_table(out, "manifest")
    assert len(_files(out, "ratings")) == 12

    report = compact(out)
    assert {t.table: (t.files_before, t.files_after) for t in report.tables}["ratings"] == (12, 4)
    for t in DOC_TABLES:
        files = _files(out, t)
        assert len(files) == len({f.parent for f in files}) == 4 and all(is_part(f) for f in files)
        assert doc_tables(out)[t].equals(before[t]), t
    part = _files(out, "documents")[0]
    ids = pq.read_schema(part).metadata[DOC_IDS_KEY]
    assert sorted(set(pq.read_table(part).column("doc_id").to_pylist())) == json.loads(ids)
    assert [f.name for f in _files(out, "manifest")] == ["runs.parquet"]
    assert read_table(out, "manifest").equals(manifest_before)
    # nothing to do the second time: files untouched
    again = compact(out)
    assert all(t.rewritten == 0 for t in again.tables)
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name not in (".lock",)]


def test_reruns_and_force_on_a_compacted_output_give_the_tables_of_a_fresh_run(tmp_path):
    raw, out, ref = tmp_path / "raw", tmp_path / "out", tmp_path / "ref"
    paths = _corpus(raw, 10)
    _run(paths, out)
    compact(out)
    # change two inputs (one moves to another organization), add one
    paths[2].write_text(toy_doc("旭川市長", 3, extra="# changed\n"), encoding="utf-8")
    paths[5].write_text(toy_doc(ORGS[1], 1, extra="# changed 5\n"), encoding="utf-8")
    paths = _corpus(raw, 1, start=10)
    s = _run(paths, out)
    assert Counter(r["status"] for r in s.rows) == {"unchanged": 8, "partial": 3}
    _run(paths, ref)
    got, want = doc_tables(out), doc_tables(ref)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
    compact(out)
    s = _run(paths, out, force=True)
    assert Counter(r["status"] for r in s.rows) == {"partial": 11}
    got = doc_tables(out)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
    assert not any(is_part(f) for t in DOC_TABLES for f in _files(out, t))  # every document was redone


def test_extract_compacts_by_itself_past_the_threshold(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 6)
    args = ["extract", str(raw), "--out", str(out), "--workers", "0"]
    assert main([*args, "--compact-threshold", "7"], process_fn=toy_process) == 0
    assert len(_files(out, "documents")) == 6  # under the threshold: per-document files
    (raw / "doc999.txt").write_text(toy_doc(extra="# new\n"), encoding="utf-8")
    assert main([*args, "--compact-threshold", "7"], process_fn=toy_process) == 0
    assert "compacted in" in capsys.readouterr().err
    assert len(_files(out, "documents")) == 4 and all(is_part(f) for f in _files(out, "documents"))


def test_a_reader_never_sees_a_half_compacted_table(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = _corpus(raw, 60)
    stop, seen, errors = threading.Event(), [], []

    def reader() -> None:
        while not stop.is_set():
            try:
                t = ds.dataset(out / "ratings", format="parquet", partitioning="hive").to_table(columns=["doc_id"])
            except (FileNotFoundError, OSError) as exc:  # listed before a swap, opened after: retry
                errors.append(exc)
                continue
            seen.append(Counter(t.column("doc_id").to_pylist()))

    _run(paths[:20], out)
    th = threading.Thread(target=reader)
    th.start()
    try:
        for k in range(22, 61, 2):  # twenty compactions, each over new per-document files
            _run(paths[:k], out)
            compact(out)
    finally:
        stop.set()
        th.join()
    assert len(seen) > 3
    # every document has its three ratings, never one copy missing or a second copy (old and new file)
    for counts in seen:
        assert set(counts.values()) == {3}, counts
    assert len(errors) < len(seen)


def test_dask_run_on_a_compacted_output(tmp_path):
    pytest.importorskip("distributed")
    raw, out, ref = tmp_path / "raw", tmp_path / "out", tmp_path / "ref"
    paths = _corpus(raw, 8)
    _run(paths, out)
    compact(out)
    paths[1].write_text(toy_doc(ORGS[2], 2, extra="# changed\n"), encoding="utf-8")
    args = ["extract", str(raw), "--workers", "1", "--compact-threshold", "0"]
    assert main([*args, "--out", str(out), "--executor", "dask", "-q"], process_fn=toy_process) == 0
    assert main([*args, "--out", str(ref), "-q"], process_fn=toy_process) == 0
    got, want = doc_tables(out), doc_tables(ref)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
