"""Compaction: one file per partition, the same rows, swapped in whole; reruns, --force and the Dask
executor keep working on a compacted output."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import DOC_TABLES, doc_tables, read_table, toy_doc, toy_process

from pipelines.cli import main
from pipelines.compact import CompactSettings, compact
from pipelines.runner import RunOptions, run_batch
from pipelines.write import DOC_IDS_KEY, OutputStore, is_part

ORGS = ["熊本県知事", "八代市長", "熊本市長", "旭川市長"]  # three bodies in 熊本県 (pref=p43), one in 北海道 (p01)


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
    assert {t.table: (t.files_before, t.files_after) for t in report.tables}["ratings"] == (12, 2)
    for t in DOC_TABLES:
        files = _files(out, t)
        assert [f.parent.name for f in files] == ["pref=p01", "pref=p43"] and all(is_part(f) for f in files)
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


def test_compacted_rows_are_sorted_by_org_and_row_groups_skip_other_orgs(tmp_path):
    out = tmp_path / "out"
    _run(_corpus(tmp_path / "raw", 12), out)
    compact(out, CompactSettings(row_group_rows=3))  # three ratings per document: one document a row group
    (part,) = (out / "ratings" / "pref=p43").iterdir()
    rows = pq.read_table(part).select(["org", "doc_id"]).to_pylist()
    assert rows == sorted(rows, key=lambda r: (r["org"], r["doc_id"]))
    assert [r["org"] for r in rows[::3]] == ["j430005"] * 3 + ["j431001"] * 3 + ["j432024"] * 3
    dataset = ds.dataset(out / "ratings", format="parquet", partitioning="hive")
    org = ds.field("org") == "j432024"
    groups = [g for f in dataset.get_fragments() for g in f.split_by_row_group(org)]
    assert len(groups) == 3 and pq.ParquetFile(part).metadata.num_row_groups == 9  # 八代市: 3 of the 12
    got = dataset.to_table(filter=org)
    assert got.num_rows == 9 and set(got.column("organization").to_pylist()) == {"八代市"}
    assert set(got.column("pref").to_pylist()) == {"p43"}


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


def test_force_on_a_compacted_output_reads_and_rewrites_each_compacted_file_once(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = _corpus(raw, 12)
    _run(paths, out)
    compact(out)
    before = doc_tables(out)
    parts = sorted(f for t in DOC_TABLES for f in _files(out, t))
    assert len(parts) == 10  # two prefectures, five tables
    reads, writes = Counter(), Counter()
    read, write = OutputStore._read_table, OutputStore._write_table
    monkeypatch.setattr(OutputStore, "_read_table", lambda self, p: reads.update([p]) or read(self, p))
    monkeypatch.setattr(OutputStore, "_write_table", lambda self, t, p, *a: writes.update([p]) or write(self, t, p, *a))
    paths[4].write_text(toy_doc(ORGS[0], 2, extra="# changed 4\n"), encoding="utf-8")  # a new doc_id
    s = _run(paths, out, force=True)
    assert Counter(r["status"] for r in s.rows) == {"partial": 12}
    assert sorted(reads) == parts and set(reads.values()) == {1}  # not once per document in it
    assert not any(is_part(p) for p in writes)  # every document left them: removed, not rewritten
    got = doc_tables(out)
    assert got["documents"].num_rows == 12 and not any(is_part(f) for t in DOC_TABLES for f in _files(out, t))
    new = s.rows[4]["doc_id"]
    old = next(r["doc_id"] for r in before["documents"].to_pylist() if r["source_path"].endswith("doc004.txt"))
    assert new != old and new in got["documents"]["doc_id"].to_pylist()
    same = pa.array(sorted(set(before["documents"]["doc_id"].to_pylist()) - {old}))
    for t in DOC_TABLES:  # the other documents' rows exactly as before
        assert got[t].filter(pc.is_in(got[t]["doc_id"], same)).equals(before[t].filter(pc.is_in(before[t]["doc_id"], same))), t


def test_extract_compacts_by_itself_past_the_threshold(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 6)
    args = ["extract", str(raw), "--out", str(out), "--workers", "0"]
    assert main([*args, "--compact-threshold", "7"], process_fn=toy_process) == 0
    assert len(_files(out, "documents")) == 6  # under the threshold: per-document files
    (raw / "doc999.txt").write_text(toy_doc(extra="# new\n"), encoding="utf-8")
    assert main([*args, "--compact-threshold", "7"], process_fn=toy_process) == 0
    assert "compacted in" in capsys.readouterr().err
    assert len(_files(out, "documents")) == 2 and all(is_part(f) for f in _files(out, "documents"))


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
