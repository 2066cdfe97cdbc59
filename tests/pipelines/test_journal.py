"""The manifest is durable row by row: a run killed with SIGKILL keeps the row of every input it finished
(failures included), and the rerun ends with the tables of an uninterrupted run. Every input named or
found gets a row; a copy (same bytes) or a symlink gets one naming the input it copies."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
from conftest import DOC_TABLES, ROOT, doc_tables, read_table, toy_doc, toy_process

from pipelines.cli import main
from pipelines.runner import TEST_SLOW_ENV, RunOptions, run_batch
from pipelines.status import format_status, read_status
from pipelines.write import JOURNAL_DIR

TOY_CLI = [sys.executable, "-c",
           "import sys; sys.path.insert(0, sys.argv[1]); from conftest import toy_process; "
           "from pipelines.cli import main; sys.exit(main(sys.argv[2:], process_fn=toy_process))",
           str(ROOT / "tests")]


def _corpus(raw: Path, n: int) -> None:
    raw.mkdir(parents=True)
    orgs = ["熊本県知事", "八代市長", "熊本市長", "旭川市長"]
    for i in range(n):
        extra = "@raise\n" if i % 5 == 3 else f"# {i}\n"  # some inputs fail: their rows must survive too
        (raw / f"doc{i:02d}.txt").write_text(toy_doc(orgs[i % 4], 1 + i % 3, extra=extra), encoding="utf-8")


def _start(raw: Path, out: Path, slow: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), TEST_SLOW_ENV: str(slow)}
    return subprocess.Popen([*TOY_CLI, "extract", str(raw), "--out", str(out), "--workers", "2"],
                            env=env, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def _lines(proc: subprocess.Popen) -> queue.Queue:
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in proc.stderr], daemon=True).start()
    return q


def test_sigkill_midway_keeps_the_rows_of_finished_inputs_and_the_rerun_equals_an_uninterrupted_run(tmp_path):
    raw, ref, out = tmp_path / "raw", tmp_path / "ref", tmp_path / "out"
    _corpus(raw, 14)
    assert main(["extract", str(raw), "--out", str(ref), "--workers", "0", "-q"], process_fn=toy_process) == 1

    proc = _start(raw, out, slow=0.4)
    q = _lines(proc)
    finished: list[str] = []  # inputs the run reported as finished (reported after their row is durable)
    deadline = time.monotonic() + 120
    try:
        while len(finished) < 6:
            line = q.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("["):
                finished.append(line.split()[2])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(list((out / "documents").rglob("*.parquet"))) < 14 - 3  # the kill landed midway

    # the cut run's rows are in its journal; status reads them before any rerun
    journals = list((out / JOURNAL_DIR).glob("run=*.jsonl"))
    assert len(journals) == 1
    st = read_status(out)
    assert st.runs[0].state == "in progress or cut off"
    cut_run = st.runs[0].run_id
    assert "in progress or cut off" in format_status(st)

    assert main(["extract", str(raw), "--out", str(out), "--workers", "2", "-q"], process_fn=toy_process) == 1
    got, want = doc_tables(out), doc_tables(ref)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
    assert not (out / JOURNAL_DIR).exists() or not list((out / JOURNAL_DIR).iterdir())  # folded
    cut = pq.read_table(out / "manifest" / f"run={cut_run}.parquet").to_pylist()
    by_path = {r["path"]: r for r in cut}
    for path in finished:
        assert path in by_path, path  # every input reported before the kill has its row
    failed = [r for r in cut if r["status"] == "failed"]
    for r in failed:  # failures with their reasons
        assert r["error_class"] == "RuntimeError" and "toy processor asked to raise" in r["error_message"]
    assert any(Path(p).name in {"doc03.txt", "doc08.txt", "doc13.txt"} for p in by_path) == bool(failed)


def test_a_torn_last_journal_line_is_dropped_and_the_rest_folded(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, 3)
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    jdir = out / JOURNAL_DIR
    jdir.mkdir(exist_ok=True)
    good = ('{"path": "x/a.txt", "sha256": null, "doc_id": null, "status": "failed", "error_class": "Timeout", '
            '"error_message": "x/a.txt: no result", "note": null, "pages": null, "fields": null, '
            '"seconds": 3.0, "run_id": "20200101T000000000000Z", "started_at": "2020-01-01T00:00:00+00:00"}\n')
    (jdir / "run=20200101T000000000000Z.jsonl").write_text(good + '{"path": "x/b.txt", "sta', encoding="utf-8")
    run_batch(sorted(raw.iterdir()), RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = pq.read_table(out / "manifest" / "run=20200101T000000000000Z.parquet").to_pylist()
    assert [(r["path"], r["status"], r["error_class"]) for r in rows] == [("x/a.txt", "failed", "Timeout")]


def test_every_input_gets_a_row_copies_and_symlinks_say_of_what(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(extra="# a\n"), encoding="utf-8")
    (raw / "b.txt").write_text(toy_doc(extra="# a\n"), encoding="utf-8")  # same bytes as a.txt
    (raw / "link.txt").symlink_to(raw / "a.txt")
    (raw / "bad.txt").write_text(toy_doc(extra="@raise\n"), encoding="utf-8")
    (raw / "bad-link.txt").symlink_to(raw / "bad.txt")
    paths = [raw / "a.txt", raw / "b.txt", raw / "link.txt", raw / "bad.txt", raw / "bad-link.txt"]
    s = run_batch(paths, RunOptions(out=out, workers=0), process_fn=toy_process)
    rows = {Path(r["path"]).name: r for r in s.rows}
    assert sorted(rows) == ["a.txt", "b.txt", "bad-link.txt", "bad.txt", "link.txt"]
    a = rows["a.txt"]["path"]
    assert rows["a.txt"]["status"] == "partial"
    assert (rows["b.txt"]["status"], rows["b.txt"]["note"]) == ("unchanged", f"same bytes as {a}")
    assert (rows["link.txt"]["status"], rows["link.txt"]["note"]) == ("unchanged", f"symlink to {a}")
    assert rows["link.txt"]["doc_id"] == rows["a.txt"]["doc_id"]
    bad = rows["bad-link.txt"]
    assert bad["status"] == "failed" and bad["note"] == f"symlink to {rows['bad.txt']['path']}"
    assert bad["error_message"].startswith(bad["path"] + ": toy processor asked to raise")
    assert len(read_table(out, "documents")) == 1
    assert sorted(Path(p).name for p in read_table(out, "manifest").column("path").to_pylist()) == sorted(rows)


def test_the_cli_counts_a_named_symlink_as_an_input(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    (raw / "b.txt").write_text(toy_doc("八代市長"), encoding="utf-8")
    (tmp_path / "c.txt").symlink_to(raw / "a.txt")
    args = ["extract", str(raw / "a.txt"), str(raw / "b.txt"), str(tmp_path / "c.txt"), "--out", str(out),
            "--workers", "0"]
    assert main(args, process_fn=toy_process) == 0
    err = capsys.readouterr().err
    assert "3 inputs" in err and "c.txt" in err
    notes = {Path(r["path"]).name: r["note"] for r in read_table(out, "manifest").to_pylist()}
    assert notes["c.txt"].startswith("symlink to ") and notes["c.txt"].endswith("raw/a.txt")
