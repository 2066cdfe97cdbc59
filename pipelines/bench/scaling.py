"""Scaling benchmark: `python -m pipelines.bench.scaling [--quick]` (called by `make bench`).

Prints one table: documents/s and pages/s of whole runs (run_batch: hash, process, write Parquet) with
the local executor and the Dask executor, 1 and 2 workers, on the text-layer fixtures and on the scanned
fixtures; each Dask worker's peak RSS; then the scheduler's overhead per task, as (Dask with 1 worker −
local with 1 worker) on the same inputs in the same run, and as the round trip of a task that does
nothing. Cluster start-up is timed apart and not counted in the runs. docs/scale.md turns these figures
into a projection for a national corpus.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from pipelines.runner import LocalPool, RunOptions, RunSummary, run_batch

ROOT = Path(__file__).resolve().parents[2]
PDF_DIR, SCAN_DIR = ROOT / "tests" / "fixtures" / "pdf", ROOT / "tests" / "fixtures" / "scan"
QUICK_SCANNED = ["kiso_gyokuto_juki.scan200.pdf", "kiso_gyokuto_juki.scan150.pdf"]  # 4 pages each
NOOP_TASKS = 300


def _peak_rss() -> int:
    """Runs on a worker: the peak resident memory of its process, bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def keyed(directory: Path, pattern: str) -> list[Path]:
    """The fixtures with an answer key (assessments; a run of them has no failure), largest first: at
    national scale the last few documents do not decide the makespan, in a run of a dozen they would."""
    found = [p for p in directory.glob(pattern) if p.with_suffix(".key.json").exists()]
    return sorted(found, key=lambda p: (-p.stat().st_size, p.name))


def _cpu_seconds() -> float:
    """Runs on a worker: CPU seconds its process has used (user + system; load on the machine does not
    inflate it, unlike wall time)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _run(paths: list[Path], out: Path, executor) -> RunSummary:
    summary = run_batch(paths, RunOptions(out=out, timeout=None), executor=executor)
    assert not summary.failed, [r["error_message"] for r in summary.rows if r["status"] == "failed"]
    return summary


def _row(corpus: str, executor: str, workers: int, s: RunSummary, base: float | None, rss: list[int],
         cpu: float | None = None) -> str:
    docs = len(s.rows)
    speedup = f"{base / s.seconds:5.2f}x" if base else "    -"
    mem = " / ".join(f"{r / 2**20:.0f}" for r in sorted(rss)) if rss else "-"
    busy = sum(r["seconds"] for r in s.rows) / max(1, s.pages)  # worker time per page, as the manifest has it
    cpu_page = f"{cpu / max(1, s.pages):.3f}" if cpu is not None else "-"
    return (f"{corpus:<11} {executor:<6} {workers:>7} {s.seconds:>8.1f} {docs / s.seconds:>7.2f} "
            f"{s.pages / s.seconds:>8.2f} {speedup:>8} {busy:>8.3f} {cpu_page:>8}  {mem}")


def noop_overhead(client) -> tuple[float, float]:
    """Seconds per task that does nothing: the local pool's pipe round trip, and Dask's."""
    from pipelines.dask_executor import DaskExecutor  # lazy: optional dependency (dask extra)

    items = list(range(NOOP_TASKS))
    t0 = time.perf_counter()
    assert len(list(LocalPool(1, timeout=None).map_unordered(abs, items))) == NOOP_TASKS
    local = (time.perf_counter() - t0) / NOOP_TASKS
    t0 = time.perf_counter()
    assert len(list(DaskExecutor(client=client).map_unordered(abs, items))) == NOOP_TASKS
    return local, (time.perf_counter() - t0) / NOOP_TASKS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.scaling", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only two small scans (about a minute)")
    args = parser.parse_args(argv)
    import logging

    from distributed import Client

    from pipelines.dask_executor import DaskExecutor, local_cluster  # lazy: optional dependency (dask extra)

    logging.getLogger("distributed").setLevel(logging.ERROR)
    text = keyed(PDF_DIR, "*.pdf")
    scanned = keyed(SCAN_DIR, "*.scan*.pdf")
    scanned = [p for p in scanned if p.name in QUICK_SCANNED] if args.quick else scanned
    list(LocalPool(1, timeout=None).map_unordered(abs, [0]))  # start the fork server before timing
    load = os.getloadavg()[0]
    print(f"\nscaling ({'quick' if args.quick else 'full'}): {os.cpu_count()} CPU cores, load average "
          f"{load:.1f} at start; text-layer fixtures {len(text)} documents, scanned fixtures {len(scanned)}")
    print("whole runs (hash, read, write Parquet), cluster start not counted; s/page = worker seconds per page "
          "(the manifest's per-document seconds); cpu/page = Dask workers' CPU seconds per page; RSS = peak per Dask "
          "worker, MiB")
    print(f"{'corpus':<11} {'exec':<6} {'workers':>7} {'seconds':>8} {'docs/s':>7} {'pages/s':>8} {'speed-up':>8}"
          f" {'s/page':>8} {'cpu/page':>8}  worker RSS")
    overhead: dict[str, float] = {}
    starts: list[float] = []
    noop = None
    with tempfile.TemporaryDirectory(prefix="pia-scaling-") as tmp:
        for corpus, paths in (("text-layer", text), ("scanned", scanned)):
            base = None
            local1 = None
            for workers in (1, 2):
                s = _run(paths, Path(tmp, f"{corpus}-local{workers}"), LocalPool(workers, timeout=None))
                base = base or s.seconds
                local1 = local1 or s
                print(_row(corpus, "local", workers, s, base, []), flush=True)
            for workers in (1, 2):
                t0 = time.perf_counter()
                with local_cluster(workers) as cluster, Client(cluster) as client:
                    client.wait_for_workers(workers)
                    starts.append(time.perf_counter() - t0)
                    cpu0 = sum(client.run(_cpu_seconds).values())
                    s = _run(paths, Path(tmp, f"{corpus}-dask{workers}"), DaskExecutor(client=client))
                    cpu = sum(client.run(_cpu_seconds).values()) - cpu0
                    rss = list(client.run(_peak_rss).values())
                    if workers == 1:
                        overhead[corpus] = (s.seconds - local1.seconds) / len(s.rows)
                        if noop is None:
                            noop = noop_overhead(client)
                print(_row(corpus, "dask", workers, s, base, rss, cpu), flush=True)
    print("speed-up: against the local executor with 1 worker on the same corpus")
    print("scheduler overhead per task, Dask (1 worker) minus local (1 worker), same inputs, same run: "
          + ", ".join(f"{c} {1000 * v:+.0f} ms/document" for c, v in overhead.items()))
    if noop:
        print(f"round trip of a task that does nothing ({NOOP_TASKS} tasks): local pool {1000 * noop[0]:.2f} ms, "
              f"Dask {1000 * noop[1]:.2f} ms")
    print(f"LocalCluster start (scheduler + workers, modules preloaded): "
          f"{min(starts):.1f}-{max(starts):.1f} s, paid once per run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
