"""Bounds: a time limit scaled by the document's pages, recorded with its reason; after any exit of a run
(done, failures, Ctrl-C, SIGKILL and rerun) no process of the run is left and its TMPDIR holds nothing
of it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pymupdf
import pytest
from conftest import ROOT, toy_doc, toy_process

from pipelines.bounds import TimeLimit, page_count_hint
from pipelines.runner import TEST_SLOW_ENV, RunOptions, run_batch

TOY_CLI = [sys.executable, "-c",
           "import sys; sys.path.insert(0, sys.argv[1]); from conftest import toy_process; "
           "from pipelines.cli import main; sys.exit(main(sys.argv[2:], process_fn=toy_process))",
           str(ROOT / "tests")]
MARK = "PIA_TEST_RUN_MARK"
# onnxruntime (imported with PyMuPDF) writes its telemetry session id to $TMPDIR/.ses on import and keeps
# it there on purpose; it is the library's, not a file of the run
LIBRARY_FILES = {".ses"}


def test_the_limit_grows_with_the_pages_and_says_why():
    lim = TimeLimit(base=60, per_page=6, per_page_past_cap=0.2)
    assert lim.seconds(1, 300) == 66 and lim.seconds(15, 300) == 150
    assert lim.seconds(2000, 300) == pytest.approx(60 + 300 * 6 + 1700 * 0.2)
    assert lim.reason(2000, 300) == ("limit for 2000 pages: 60 s + 300 x 6 s + 1700 pages past the OCR cap "
                                     "x 0.2 s")
    assert lim.seconds(None, 300) == 66 and "unknown number of pages" in lim.reason(None, 300)
    assert TimeLimit(fixed=5).seconds(1000, 300) == 5 and TimeLimit(off=True).seconds(1000) is None
    with pytest.raises(ValueError, match="TimeLimit.per_page"):
        TimeLimit(per_page=-1)


def test_page_count_hint_opens_pdfs_only(tmp_path):
    pdf = tmp_path / "three.pdf"
    doc = pymupdf.open()
    for _ in range(3):
        doc.new_page()
    doc.save(pdf)
    assert page_count_hint(pdf) == 3
    (tmp_path / "t.txt").write_text("hello", encoding="utf-8")
    assert page_count_hint(tmp_path / "t.txt") == 1
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    assert page_count_hint(tmp_path / "broken.pdf") is None


def test_a_hanging_document_fails_at_its_scaled_limit_with_the_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "hang.txt").write_text(toy_doc(extra="@hang\n"), encoding="utf-8")
    (raw / "ok.txt").write_text(toy_doc(), encoding="utf-8")
    opts = RunOptions(out=tmp_path / "out", workers=2, time_limit=TimeLimit(base=1.0, per_page=0.5))
    s = run_batch(sorted(raw.iterdir()), opts, process_fn=toy_process)
    rows = {Path(r["path"]).name: r for r in s.rows}
    assert rows["ok.txt"]["status"] == "partial"
    hang = rows["hang.txt"]
    assert hang["status"] == "failed" and hang["error_class"] == "Timeout"
    assert "no result after 1.5 s; worker killed (limit for 1 pages: 1 s + 1 x 0.5 s)" in hang["error_message"]


def _env(tmp: Path, mark: str, slow: float | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != TEST_SLOW_ENV}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp), **{MARK: mark})
    if slow:
        env[TEST_SLOW_ENV] = str(slow)
    return env


def _left_processes(mark: str, grace: float = 10.0) -> list[psutil.Process]:
    """The run's processes still there `grace` seconds after the CLI returned (multiprocessing's resource
    tracker ends on its own when its pipe closes, a moment after the CLI; a left process never does)."""
    left = []
    for p in psutil.process_iter():
        try:
            if p.environ().get(MARK) == mark:
                left.append(p)
        except (psutil.Error, OSError):
            pass
    _gone, alive = psutil.wait_procs(left, timeout=grace)
    return alive


def _left_files(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name not in LIBRARY_FILES)


def _cli(raw: Path, out: Path, tmp: Path, mark: str, *extra: str, slow: float | None = None) -> subprocess.Popen:
    return subprocess.Popen([*TOY_CLI, "extract", str(raw), "--out", str(out), "--workers", "2", *extra],
                            env=_env(tmp, mark, slow), cwd=ROOT, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)


def _wait_documents(proc: subprocess.Popen, n: int) -> None:
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in proc.stderr], daemon=True).start()
    seen, deadline = 0, time.monotonic() + 60
    while seen < n:
        if q.get(timeout=max(0.1, deadline - time.monotonic())).startswith("["):
            seen += 1


def test_no_process_or_temp_file_is_left_after_any_exit(tmp_path):
    raw, out, tmp = tmp_path / "raw", tmp_path / "out", tmp_path / "tmp"
    raw.mkdir()
    tmp.mkdir()
    for i in range(8):
        (raw / f"doc{i}.txt").write_text(toy_doc(extra=f"# {i}\n"), encoding="utf-8")
    (raw / "raise.txt").write_text(toy_doc(extra="@raise\n"), encoding="utf-8")
    (raw / "crash.txt").write_text(toy_doc(extra="@crash\n"), encoding="utf-8")
    (raw / "hang.txt").write_text(toy_doc(extra="@hang\n"), encoding="utf-8")

    # a run with failures (a raise, a worker killed, a hang over its limit): exit status 1
    mark = uuid.uuid4().hex
    proc = _cli(raw, out, tmp, mark, "--time-base", "1", "--time-per-page", "0.5")
    proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert _left_processes(mark) == [] and _left_files(tmp) == []

    # Ctrl-C midway: exit status 130
    mark = uuid.uuid4().hex
    proc = _cli(raw, tmp_path / "out2", tmp, mark, "--time-base", "1", slow=0.5)
    _wait_documents(proc, 2)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 130
    assert _left_processes(mark) == [] and _left_files(tmp) == []

    # SIGKILL midway: the pool goes with its parent; the next run removes what the killed one left in TMPDIR
    mark = uuid.uuid4().hex
    proc = _cli(raw, tmp_path / "out3", tmp, mark, "--time-base", "1", slow=0.5)
    _wait_documents(proc, 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    _gone, alive = psutil.wait_procs(_left_processes(mark), timeout=30)
    assert alive == []
    assert [n for n in _left_files(tmp) if n.startswith("pia-run-")]  # the killed run's, swept below
    mark = uuid.uuid4().hex
    proc = _cli(raw, tmp_path / "out3", tmp, mark, "--time-base", "1")
    proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert _left_processes(mark) == [] and _left_files(tmp) == []


def test_a_run_leaves_no_fork_server_behind(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(toy_doc(), encoding="utf-8")
    s = run_batch([raw / "a.txt"], RunOptions(out=tmp_path / "out", workers=2), process_fn=toy_process)
    assert s.counts["partial"] == 1
    children = psutil.Process().children(recursive=True)
    assert not [c for c in children if "forkserver" in " ".join(c.cmdline())]
