"""The batch on a Dask LocalCluster (worker processes): the same tables as the local executor, worker
deaths retried, a document that keeps killing workers marked failed, a time limit, an interrupted client
completed by a rerun, and output at an fsspec URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil  # noqa: E402
import pyarrow.parquet as pq
import pytest
from conftest import DOC_TABLES, ROOT, doc_tables, read_table, toy_doc, toy_process  # noqa: E402
from test_crash import TOY_CLI, _env, _lines, _wait_for_documents  # noqa: E402

from pipelines.cli import main  # noqa: E402
from pipelines.runner import TEST_SLOW_ENV, RunOptions, run_batch  # noqa: E402
from pipelines.write import OutputStore  # noqa: E402

RAW = ROOT / "data" / "raw"
ORGS = ["熊本県知事", "八代市長", "熊本市長", "旭川市長"]


def toy_corpus(root: Path, n: int, extra: dict[str, str] | None = None) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"doc{i:02d}.txt").write_text(toy_doc(ORGS[i % 4], 1 + i % 3, extra=f"# {i}\n"), encoding="utf-8")
    for name, text in (extra or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return sorted(root.iterdir())


def reference(paths: list[Path], out: Path) -> dict:
    run_batch(paths, RunOptions(out=out, workers=0), process_fn=toy_process)
    return doc_tables(out)


def manifest_rows(summary) -> dict[str, dict]:
    rows = {Path(r["path"]).name: r for r in summary.rows}
    assert len(rows) == len(summary.rows)  # one row per input
    return rows


def count_writes(monkeypatch) -> dict[str, int]:
    writes: dict[str, int] = {}
    original = OutputStore.write_document

    def counting(self, doc_id, org_key, tables_):
        writes[doc_id] = writes.get(doc_id, 0) + 1
        return original(self, doc_id, org_key, tables_)

    monkeypatch.setattr(OutputStore, "write_document", counting)
    return writes


@pytest.fixture
def cluster(monkeypatch):
    """Two worker processes of one thread; a document may kill one worker and run again, not twice."""
    from distributed import Client

    from pipelines.dask_executor import local_cluster

    monkeypatch.setenv(TEST_SLOW_ENV, "0.3")  # workers inherit it: each document takes >= 0.3 s
    # as in production (runner.PRELOAD): a replaced worker imports the pipeline before it takes a task
    with local_cluster(2, allowed_failures=1, preload=["pipelines.runner"]) as c, Client(c) as client:
        yield client


def test_same_tables_as_the_local_executor_on_the_sample_corpus(tmp_path):
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    assert main(["extract", str(RAW), "--out", str(local), "--workers", "2", "-q"]) == 0
    # the Dask run writes through a file:// URL
    assert main(["extract", str(RAW), "--out", f"file://{dask_out}", "--executor", "dask", "--workers", "2",
                 "-q"]) == 0
    got, want = doc_tables(dask_out), doc_tables(local)
    assert want["documents"].num_rows == len(list(RAW.iterdir())) and want["fields"].num_rows > 500
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t
    manifest = pq.read_table(next((dask_out / "manifest").glob("run=*.parquet")))
    assert sorted(manifest.column("status").to_pylist()) == sorted(read_table(local, "manifest")
                                                                   .column("status").to_pylist())


def test_killed_worker_is_retried_and_a_poison_document_fails_alone(tmp_path, cluster, monkeypatch):
    from pipelines.dask_executor import DaskExecutor

    good = toy_corpus(tmp_path / "good", 10)
    want = reference(good, tmp_path / "ref")
    paths = toy_corpus(tmp_path / "good", 0, {"poison.txt": toy_doc(extra="@crash\n"),
                                              "raises.txt": toy_doc(extra="@raise\n")})
    writes = count_writes(monkeypatch)
    pids = sorted(cluster.run(os.getpid).values())

    class KillOneWorker:
        """After the second document, SIGKILL a worker process in the middle of its next document."""

        def __init__(self):
            self.n = 0

        def start(self, total, to_process):
            pass

        def document(self, row):
            self.n += 1
            if self.n == 2:
                os.kill(pids[0], signal.SIGKILL)

        def close(self):
            pass

    summary = run_batch(paths, RunOptions(out=tmp_path / "out"), process_fn=toy_process,
                        executor=DaskExecutor(client=cluster, timeout=60), reporter=KillOneWorker())
    rows = manifest_rows(summary)
    assert not psutil.pid_exists(pids[0]) or psutil.Process(pids[0]).status() == psutil.STATUS_ZOMBIE
    assert rows["poison.txt"]["status"] == "failed" and rows["poison.txt"]["error_class"] == "WorkerDied"
    assert "died each of the 2 times" in rows["poison.txt"]["error_message"]
    assert rows["raises.txt"]["status"] == "failed" and rows["raises.txt"]["error_class"] == "RuntimeError"
    assert {rows[p.name]["status"] for p in good} == {"partial"}
    assert sorted(writes.values()) == [1] * 10  # every good document written once, the failed ones never
    deaths = cluster.run_on_scheduler(lambda dask_scheduler: dask_scheduler.task_prefixes["doc"].suspicious)
    assert deaths == 3  # the poison document twice, and a good one that ran on the killed worker
    got = doc_tables(tmp_path / "out")
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t


def test_a_document_over_the_time_limit_fails_and_its_worker_is_replaced(tmp_path, cluster):
    from pipelines.dask_executor import DaskExecutor

    paths = toy_corpus(tmp_path / "in", 4, {"hang.txt": toy_doc(extra="@hang\n")})
    executor = DaskExecutor(client=cluster, timeout=2)
    summary = run_batch(paths, RunOptions(out=tmp_path / "out"), process_fn=toy_process, executor=executor)
    rows = manifest_rows(summary)
    assert rows["hang.txt"]["status"] == "failed" and rows["hang.txt"]["error_class"] == "Timeout"
    assert 2 <= rows["hang.txt"]["seconds"] < 10
    assert {rows[f"doc{i:02d}.txt"]["status"] for i in range(4)} == {"partial"}
    assert len(executor.restarted) == 1
    cluster.wait_for_workers(2, timeout=30)  # the nanny replaced the worker
    assert sum(cluster.nthreads().values()) == 2


def test_interrupted_client_then_rerun_completes_incrementally(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = toy_corpus(raw, 12)
    want = reference(paths, tmp_path / "ref")
    proc = subprocess.Popen([*TOY_CLI, "extract", str(raw), "--out", str(out), "--executor", "dask",
                             "--workers", "2", "--timeout", "60"], env=_env(0.3), cwd=ROOT,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        q = _lines(proc)
        _wait_for_documents(q, 3)
        family = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    _gone, alive = psutil.wait_procs(family, timeout=20)
    assert not alive, alive  # the local cluster's processes went with the client
    done = read_table(out, "documents").num_rows
    assert 3 <= done < 12
    assert not list(out.rglob("*.tmp"))

    summary = run_batch(paths, RunOptions(out=out, workers=0), process_fn=toy_process)
    statuses = [r["status"] for r in summary.rows]
    assert statuses.count("unchanged") == done and statuses.count("partial") == 12 - done
    got = doc_tables(out)
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t


def test_output_at_an_fsspec_url(tmp_path, monkeypatch):
    """The fsspec store (memory://, and on the local file system) holds the same tables as a directory,
    and a rerun skips what it holds."""
    import fsspec
    import pyarrow.dataset as ds

    from pipelines.write import FsspecOutputStore, open_store

    paths = toy_corpus(tmp_path / "in", 5)
    want = reference(paths, tmp_path / "ref")
    url = f"memory://pia-{os.getpid()}/out"
    first = run_batch(paths, RunOptions(out=url, workers=0), process_fn=toy_process)
    assert {r["status"] for r in first.rows} == {"partial"}
    assert isinstance(open_store(url), FsspecOutputStore) and isinstance(open_store(f"file://{tmp_path}"),
                                                                          OutputStore)
    fs, root = fsspec.core.url_to_fs(url)
    for t in DOC_TABLES:
        got = ds.dataset(f"{root}/{t}", filesystem=fs, format="parquet", partitioning="hive").to_table()
        assert got.num_rows == want[t].num_rows and set(got.column("doc_id").to_pylist()) == set(
            want[t].column("doc_id").to_pylist()), t
    assert not [p for p in fs.find(root) if p.endswith(".tmp")]
    again = run_batch(paths, RunOptions(out=url, workers=0), process_fn=toy_process)
    assert {r["status"] for r in again.rows} == {"unchanged"}
    fs.rm(root, recursive=True)

    # the same code on the local file system, read back as a directory
    monkeypatch.setattr("pipelines.runner.open_store",
                        lambda out: FsspecOutputStore(fsspec.filesystem("file"), str(out)))
    run_batch(paths, RunOptions(out=tmp_path / "fsspec-local", workers=0), process_fn=toy_process)
    got = doc_tables(tmp_path / "fsspec-local")
    for t in DOC_TABLES:
        assert got[t].equals(want[t]), t


def test_the_local_executor_does_not_import_dask():
    code = ("import sys, pipelines.cli, pipelines.runner, pipelines.write; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_cli_rejects_dask_options_that_do_not_fit(tmp_path, capsys):
    raw = tmp_path / "raw"
    toy_corpus(raw, 1)
    out = str(tmp_path / "out")
    assert main(["extract", str(raw), "--out", out, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err
    assert main(["extract", str(raw), "--out", out, "--executor", "dask", "--workers", "0"]) == 2
    assert "--workers 1 or more" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
