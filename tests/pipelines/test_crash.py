"""Kill a worker, then the parent, in the middle of a run: the rerun ends with the same tables as an
uninterrupted run, and no reader ever sees a torn file."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
from conftest import DOC_TABLES, ROOT, doc_tables, read_table, toy_doc, toy_process

from pipelines.cli import main
from pipelines.runner import TEST_SLOW_ENV

REAL = ROOT / "data" / "raw"  # the five real documents, committed
TOY_CLI = [sys.executable, "-c",
           "import sys; sys.path.insert(0, sys.argv[1]); from conftest import toy_process; "
           "from pipelines.cli import main; sys.exit(main(sys.argv[2:], process_fn=toy_process))",
           str(ROOT / "tests")]
REAL_CLI = [sys.executable, "-m", "pipelines"]


def _env(slow: float | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != TEST_SLOW_ENV}
    env["PYTHONPATH"] = str(ROOT)
    if slow:
        env[TEST_SLOW_ENV] = str(slow)
    return env


def extract(cli: list[str], raw: Path, out: Path, slow: float | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([*cli, "extract", str(raw), "--out", str(out), "--workers", "2", "--timeout", "120"],
                            env=_env(slow), cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, **popen)


def _lines(proc: subprocess.Popen) -> queue.Queue:
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in proc.stderr], daemon=True).start()
    return q


def _wait_for_documents(q: queue.Queue, n: int, timeout: float = 60) -> list[str]:
    """Block until n more per-document log lines ("[i/total] status path") have been printed."""
    seen, deadline = [], time.monotonic() + timeout
    while len(seen) < n:
        line = q.get(timeout=max(0.1, deadline - time.monotonic()))
        if line.startswith("["):
            seen.append(line)
    return seen


def crash_and_rerun(cli: list[str], raw: Path, tmp_path: Path, slow: float, process_fn) -> None:
    ref, out = tmp_path / "ref", tmp_path / "out"
    # the reference and the rerun run the same CLI code in this process (saves two interpreter starts)
    assert main(["extract", str(raw), "--out", str(ref), "--workers", "0", "-q"], process_fn=process_fn) == 0

    proc = extract(cli, raw, out, slow=slow)
    try:
        q = _lines(proc)
        _wait_for_documents(q, 2)
        family = psutil.Process(proc.pid).children(recursive=True)
        workers = [p for p in family if p.ppid() != proc.pid]  # forked by the fork server
        assert workers, family
        os.kill(workers[0].pid, signal.SIGKILL)
        died = _wait_for_documents(q, 1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the worker pool goes away with its parent
    gone, alive = psutil.wait_procs(family, timeout=15)
    assert not alive, alive
    assert died

    # mid-run state: every file a reader picks up is whole; temp files are not *.parquet
    for f in out.rglob("*.parquet"):
        pq.read_table(f)
    assert all(f.name.startswith(".") and f.suffix == ".tmp" for f in out.rglob("*") if f.is_file()
               and f.suffix != ".parquet" and f.name != ".lock" and f.parent.name != ".journal")
    killed = doc_tables(out)
    assert killed["documents"].num_rows < doc_tables(ref)["documents"].num_rows  # the kill landed midway

    assert main(["extract", str(raw), "--out", str(out), "--workers", "2"], process_fn=process_fn) == 0
    got, want = doc_tables(out), doc_tables(ref)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
    assert not [f for f in out.rglob("*.tmp")]
    last = sorted((out / "manifest").glob("run=*.parquet"))[-1]
    statuses = pq.read_table(last).column("status").to_pylist()
    assert "failed" not in statuses and len(statuses) == len(list(raw.iterdir()))
    assert statuses.count("unchanged") >= killed["documents"].num_rows >= 1  # done before the kill: skipped


def test_kill_worker_then_parent_then_rerun_toy(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    orgs = ["熊本県知事", "八代市長", "熊本市長", "旭川市長"]
    for i in range(12):
        (raw / f"doc{i:02d}.txt").write_text(toy_doc(orgs[i % 4], 1 + i % 3, extra=f"# {i}\n"), encoding="utf-8")
    crash_and_rerun(TOY_CLI, raw, tmp_path, slow=0.3, process_fn=toy_process)


def test_kill_worker_then_parent_then_rerun_real(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(REAL.glob("*.txt")):
        shutil.copy(p, raw / p.name)
        shutil.copy(p, raw / ("copy-" + p.name))  # same bytes twice: read once
    from pipelines.process import process_file

    crash_and_rerun(REAL_CLI, raw, tmp_path, slow=0.3, process_fn=process_file)


def test_ctrl_c_keeps_finished_documents_and_writes_the_manifest(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(8):
        (raw / f"doc{i}.txt").write_text(toy_doc(extra=f"# {i}\n"), encoding="utf-8")
    proc = extract(TOY_CLI, raw, out, slow=0.3)
    q = _lines(proc)
    _wait_for_documents(q, 2)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 130
    manifest = read_table(out, "manifest")
    done = read_table(out, "documents")
    assert 2 <= done.num_rows < 8
    assert sorted(manifest.column("doc_id").to_pylist()) == sorted(done.column("doc_id").to_pylist())
    assert not list(out.rglob("*.tmp"))
