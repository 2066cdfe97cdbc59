"""Runner: skip/redo by content hash, worker failures as rows, replacement of stale outputs."""

from __future__ import annotations

import os
import signal
from functools import partial
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import read_table, toy_doc, toy_process

from extract.core.result import DocumentResult
from pipelines.runner import InlineExecutor, LocalPool, RunOptions, discover_inputs, run_batch


def corpus(root: Path, docs: dict[str, str]) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (root / name).write_text(text, encoding="utf-8")
    return sorted(root / n for n in docs)


def statuses(summary) -> dict[str, str]:
    return {Path(r["path"]).name: r["status"] for r in summary.rows}


def run(paths, out, **kw):
    kw.setdefault("workers", 0)
    return run_batch(paths, RunOptions(out=out, **kw), process_fn=toy_process)


def test_tables_from_a_small_batch(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc("熊本県知事", 2), "b.txt": toy_doc("八代市長", 3),
                                     "c.txt": "org: 旭川市長\npages: 1\nF K1 | 十分か | G-JUBUN | 1 | 特に\n"})
    out = tmp_path / "out"
    s = run_batch(paths, RunOptions(out=out, workers=2, timeout=60), process_fn=toy_process)
    assert statuses(s) == {"a.txt": "partial", "b.txt": "partial", "c.txt": "ok"}
    assert s.pages == 5 and s.fields == 9
    ratings = read_table(out, "ratings").to_pylist()
    by = {(r["organization"], r["key"]): r for r in ratings}
    assert len(ratings) == 7
    assert by[("熊本県", "III.2.R1.9")]["grade_level"] == 2 and by[("熊本県", "III.2.R1.9")]["org"] == "j430005"
    assert by[("八代市", "III.2.R1.9")]["grade_level"] == 3 and by[("八代市", "III.2.R1.9")]["org_code"] == "432024"
    und = by[("八代市", "III.3.R1.9")]
    assert und["grade_level"] is None and und["status"] == "undetermined" and und["reason"] == "two options ticked"
    assert by[("旭川市", "K1")]["org"] == "j012041" and by[("旭川市", "K1")]["line"] == 3
    boxes = [r for r in read_table(out, "checkboxes").to_pylist() if r["organization"] == "熊本県"]
    assert [(b["option_label"], b["checked"]) for b in boxes] == [
        ("本人又は本人の代理人", True), ("行政機関", False), ("その他", None)]
    docs = {r["organization"]: r for r in read_table(out, "documents").to_pylist()}
    assert docs["熊本県"]["organization_raw"] == "熊本県知事"
    assert str(docs["熊本県"]["published"]) == "2024-03-01"
    assert docs["熊本県"]["fields_read"] == 3 and docs["熊本県"]["fields_undetermined"] == 1
    assert docs["熊本県"]["source_path"].endswith("in/a.txt")
    assert len(read_table(out, "pages")) == 5
    manifest = read_table(out, "manifest")
    assert sorted(manifest.column("status").to_pylist()) == ["ok", "partial", "partial"]
    assert not list(out.rglob("*.tmp"))


def test_rerun_skips_unchanged_redoes_changed_and_force_redoes_all(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc(level=2), "b.txt": toy_doc("八代市長")})
    out = tmp_path / "out"
    first = run(paths, out)
    assert set(statuses(first).values()) == {"partial"}
    old_a = next(r["doc_id"] for r in first.rows if r["path"].endswith("a.txt"))

    assert statuses(run(paths, out)) == {"a.txt": "unchanged", "b.txt": "unchanged"}

    paths[0].write_text(toy_doc(level=3), encoding="utf-8")
    s = run(paths, out)
    assert statuses(s) == {"a.txt": "partial", "b.txt": "unchanged"}
    ratings = read_table(out, "ratings").to_pylist()
    kumamoto = [r["grade_level"] for r in ratings if r["organization"] == "熊本県" and r["key"] == "III.2.R1.9"]
    assert kumamoto == [3]  # the old version of a.txt is gone from every table
    assert not list(out.rglob(f"{old_a}.parquet"))
    assert len(read_table(out, "documents")) == 2

    assert statuses(run(paths, out, force=True)) == {"a.txt": "partial", "b.txt": "partial"}
    assert len(read_table(out, "documents")) == 2
    assert len(read_table(out, "manifest")) == 8  # four runs, two inputs each


def test_same_bytes_twice_is_read_once(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc(), "copy.txt": toy_doc()})
    s = run(paths, tmp_path / "out")
    assert statuses(s) == {"a.txt": "partial", "copy.txt": "unchanged"}
    note = next(r["note"] for r in s.rows if r["path"].endswith("copy.txt"))
    assert note.startswith("same bytes as") and note.endswith("in/a.txt")
    assert len(read_table(tmp_path / "out", "documents")) == 1


def test_failed_rerun_of_a_changed_file_removes_its_old_output(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc(), "b.txt": toy_doc("八代市長")})
    out = tmp_path / "out"
    run(paths, out)
    paths[0].write_bytes(b"")
    s = run(paths, out)
    assert statuses(s) == {"a.txt": "failed", "b.txt": "unchanged"}
    assert [r["organization"] for r in read_table(out, "documents").to_pylist()] == ["八代市"]


def _process_with_org(org: str, path, settings=None, sha256=None) -> DocumentResult:
    result = toy_process(path, settings, sha256)
    result.identity.organization_raw, result.identity.organization = org + "長", org
    return result


def test_redone_document_leaves_no_file_under_its_old_partition(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc()})
    out = tmp_path / "out"
    run_batch(paths, RunOptions(out=out, workers=0), process_fn=partial(_process_with_org, "旭川市"))
    assert (out / "ratings" / "pref=p01").is_dir()
    run_batch(paths, RunOptions(out=out, workers=0, force=True), process_fn=partial(_process_with_org, "八代市"))
    for table in ("documents", "fields", "ratings", "checkboxes", "pages"):
        assert sorted(p.name for p in (out / table).iterdir()) == ["pref=p43"], table
    assert {(r["organization"], r["org"]) for r in read_table(out, "fields").to_pylist()} == {("八代市", "j432024")}


def test_worker_crash_hang_and_exception_become_failed_rows(tmp_path):
    paths = corpus(tmp_path / "in", {
        "a.txt": toy_doc(), "crash.txt": toy_doc(extra="@crash\n"), "hang.txt": toy_doc(extra="@hang\n"),
        "raise.txt": toy_doc(extra="@raise\n"), "z.txt": toy_doc("八代市長"),
    })
    out = tmp_path / "out"
    pool = LocalPool(workers=2, timeout=2.0, recycle_after=2)
    s = run_batch(paths, RunOptions(out=out), process_fn=toy_process, executor=pool)
    rows = {Path(r["path"]).name: r for r in s.rows}
    assert rows["a.txt"]["status"] == rows["z.txt"]["status"] == "partial"
    assert rows["crash.txt"]["status"] == "failed" and rows["crash.txt"]["error_class"] == "WorkerDied"
    assert "killed by SIGKILL" in rows["crash.txt"]["error_message"]
    assert rows["hang.txt"]["error_class"] == "Timeout" and "no result after 2 s" in rows["hang.txt"]["error_message"]
    assert rows["raise.txt"]["error_class"] == "RuntimeError"
    for name in ("crash.txt", "hang.txt", "raise.txt"):
        assert rows[name]["error_message"].startswith(rows[name]["path"] + ":")
    assert s.failed == 3
    assert len(read_table(out, "documents")) == 2
    # the next run retries only the failed inputs
    retry = [p for p in paths if p.name != "hang.txt"]
    again = run_batch(retry, RunOptions(out=out), process_fn=toy_process, executor=LocalPool(2, 2.0))
    assert statuses(again)["a.txt"] == "unchanged" and statuses(again)["crash.txt"] == "failed"


def _pid(item):
    return os.getpid()


def test_local_pool_recycles_workers_and_reports_every_item():
    pool = LocalPool(workers=2, timeout=30, recycle_after=2)
    done = list(pool.map_unordered(_pid, range(8)))
    assert sorted(d.item for d in done) == list(range(8))
    assert all(d.error_class is None for d in done)
    assert len({d.value for d in done}) >= 4  # 8 tasks, at most 2 per worker process


def _kill_on_three(item):
    if item == 3:
        os.kill(os.getpid(), signal.SIGSEGV)
    return item * 10


def test_local_pool_survives_a_segfaulting_worker():
    done = {d.item: d for d in LocalPool(workers=2, timeout=30).map_unordered(_kill_on_three, range(6))}
    assert [done[i].value for i in (0, 1, 2, 4, 5)] == [0, 10, 20, 40, 50]
    assert done[3].error_class == "WorkerDied" and "SIGSEGV" in done[3].error_message


def test_inline_executor_reports_exceptions():
    done = list(InlineExecutor().map_unordered(lambda x: 1 // x, [1, 0]))
    assert done[0].value == 1 and done[1].error_class == "ZeroDivisionError"


def test_discover_inputs_skips_dotfiles_and_the_output_dir(tmp_path):
    (tmp_path / "raw" / "sub").mkdir(parents=True)
    (tmp_path / "raw" / ".hidden").mkdir()
    for name in ("raw/a.pdf", "raw/README.md", "raw/.DS_Store", "raw/sub/b.txt", "raw/.hidden/c.txt",
                 "raw/parsed/documents/x.parquet"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover_inputs([tmp_path / "raw"], exclude=[tmp_path / "raw" / "parsed"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["raw/README.md", "raw/a.pdf", "raw/sub/b.txt"]
    # an explicitly named dotfile is an input; a file named twice is one input
    assert discover_inputs([tmp_path / "raw/.DS_Store", tmp_path / "raw/.DS_Store"]) == [tmp_path / "raw/.DS_Store"]


def test_leftovers_of_a_killed_run_are_cleaned_up(tmp_path):
    paths = corpus(tmp_path / "in", {"a.txt": toy_doc(), "b.txt": toy_doc("八代市長")})
    out = tmp_path / "out"
    s = run(paths, out)
    doc_b = next(r["doc_id"] for r in s.rows if r["path"].endswith("b.txt"))
    # simulate a kill after b's fields were written but before its documents file (the commit mark)
    (next((out / "documents").rglob(f"{doc_b}.parquet"))).unlink()
    tmp = out / "fields" / "pref=p43" / ".abc.parquet.123.tmp"
    tmp.write_bytes(b"PAR1 torn")
    again = run(paths, out)
    assert statuses(again) == {"a.txt": "unchanged", "b.txt": "partial"}
    assert not tmp.exists()
    assert len(read_table(out, "documents")) == 2
    for f in out.rglob("*.parquet"):
        pq.read_table(f)  # every file readable


def test_second_concurrent_run_is_refused(tmp_path):
    from pipelines.write import OutputStore

    with OutputStore(tmp_path / "out"):
        with pytest.raises(RuntimeError, match="another extract run"):
            OutputStore(tmp_path / "out").open()


def test_a_copy_of_a_failed_input_fails_too(tmp_path):
    paths = corpus(tmp_path / "in", {"a.pdf": "", "b.pdf": ""})
    s = run(paths, tmp_path / "out")
    rows = {Path(r["path"]).name: r for r in s.rows}
    assert rows["b.pdf"]["status"] == "failed" and rows["b.pdf"]["error_class"] == "EmptyFile"
    assert rows["b.pdf"]["error_message"] == f"{rows['b.pdf']['path']}: empty file (0 bytes)"
    assert rows["b.pdf"]["note"] == f"same bytes as {rows['a.pdf']['path']}"
