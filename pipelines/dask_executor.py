"""The batch on a Dask cluster: `DaskExecutor` is an `Executor` (pipelines/runner.py) whose tasks run on
Dask workers, one document per task.

The client stays the only writer: workers return each document's tables and the runner writes them with
the same atomic writers as for the local pool, so a task that runs twice (its first worker died) is still
written once. Policy for failures:

- the task raises: reported as the exception, not retried (the same bytes fail the same way);
- the worker process dies under the task (SIGKILL, segfault, out of memory): the scheduler runs the task
  on another worker, up to `allowed_failures` times; then it is reported as failed (WorkerDied) and the
  batch goes on;
- the task runs longer than its limit (`timeout` when set, else `limit(item)` given to map_unordered): reported
  as failed (Timeout) and its worker restarted by its nanny.

Importing this module imports Dask; the runner and the local executor never do.
"""

from __future__ import annotations

import importlib.util
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import dask
from distributed import Client, Future, LocalCluster, wait
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from pipelines.runner import PRELOAD, TIMEOUT, WORKER_DIED, Completed, LimitFn

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_ALLOWED_FAILURES = 2  # a document may take down 3 workers before it is marked failed


def _call(fn: Callable[[Any], Any], item: Any) -> tuple:
    """Runs on a worker: the task's value, or its exception as data (so Dask does not retry it)."""
    t0 = time.perf_counter()
    try:
        return "ok", fn(item), time.perf_counter() - t0
    except BaseException as exc:  # noqa: B036 - reported to the client as a failed task
        return "error", (type(exc).__name__, f"{exc}\n{traceback.format_exc(limit=5)}"), time.perf_counter() - t0


def _executing(dask_worker) -> list[str]:
    """Runs on a worker: keys of the tasks running there now."""
    return [ts.key for ts in dask_worker.state.executing]


def importable(modules: list[str]) -> list[str]:
    """The modules of `modules` installed here (for worker preloads: a missing one would stop the worker)."""
    found = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is not None:
                found.append(name)
        except ImportError:
            pass
    return found


def local_cluster(workers: int, memory_limit: str | float | None = "auto",
                  allowed_failures: int = DEFAULT_ALLOWED_FAILURES, preload: list[str] | None = None) -> LocalCluster:
    """N worker processes of one thread each (OCR and PDF parsing hold the GIL), each under a nanny that
    restarts it when it dies or passes its memory limit. `preload`: modules each worker imports when it
    starts (default: the readers' modules, as the local pool's fork server does), not on its first task."""
    preload = importable(PRELOAD) if preload is None else preload
    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures,
                          # a 1-thread worker holds only the task it runs; the rest wait at the scheduler
                          "distributed.scheduler.worker-saturation": 1.0,
                          # Dask's aggressive malloc trimming costs OCR ~13 % CPU (large rasters freed
                          # page after page); workers' memory is bounded by the memory limit instead
                          "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                          # the statistical profiler samples the reading thread every 10 ms: ~4 % CPU
                          "distributed.worker.profile.enabled": False}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                            memory_limit=memory_limit, dashboard_address=None, preload=preload)


class DaskExecutor:
    """Runs tasks on a Dask cluster: the one at `scheduler` (an address such as tcp://host:8786), a given
    `client`, or else a LocalCluster of `workers` processes started here and closed after the run.

    At most `in_flight` tasks are submitted at a time (default: two per worker thread, plus two), so the
    client holds few futures and an interrupted run leaves little queued work behind.
    `allowed_failures` applies to a LocalCluster started here; a remote scheduler has its own setting
    (distributed.scheduler.allowed-failures)."""

    def __init__(self, scheduler: str | None = None, workers: int = 1, timeout: float | None = None,
                 allowed_failures: int = DEFAULT_ALLOWED_FAILURES, memory_limit: str | float | None = "auto",
                 in_flight: int | None = None, client: Client | None = None, preload: list[str] | None = None):
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.timeout = timeout
        self.allowed_failures = allowed_failures
        self.memory_limit = memory_limit
        self.in_flight = in_flight
        self.client = client
        self.preload = preload
        self.restarted: list[str] = []  # workers restarted after a timeout (for tests and logs)

    def _connect(self) -> tuple[Client, Callable[[], None]]:
        if self.client is not None:
            return self.client, lambda: None
        if self.scheduler:
            client = Client(self.scheduler)
            return client, client.close
        cluster = local_cluster(self.workers, self.memory_limit, self.allowed_failures, self.preload)
        client = Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()

        return client, close

    def _window(self, client: Client) -> int:
        if self.in_flight:
            return self.in_flight
        threads = sum(client.nthreads().values()) or 1
        return 2 * threads + 2

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T],
                      limit: LimitFn | None = None) -> Iterator[Completed[T, R]]:
        client, close = self._connect()
        token = uuid.uuid4().hex[:8]
        pending = iter(items)
        running: dict[Future, tuple[T, float]] = {}  # future -> (item, submitted at)
        limits: dict[Future, float] = {}  # future -> its time limit, when it has one
        started: dict[str, float] = {}  # key -> first seen executing on a worker
        exhausted, n = False, 0
        shortest = self.timeout
        try:
            while True:
                window = self._window(client)
                while not exhausted and len(running) < window:
                    try:
                        item = next(pending)
                    except StopIteration:
                        exhausted = True
                        break
                    future = client.submit(_call, fn, item, key=f"doc-{token}-{n}", pure=False)
                    running[future] = (item, time.monotonic())
                    seconds = limit(item) if limit is not None and self.timeout is None else self.timeout
                    if seconds is not None:
                        limits[future] = seconds
                        shortest = seconds if shortest is None else min(shortest, seconds)
                    n += 1
                if not running:
                    return
                poll = 1.0 if shortest is None else max(0.2, min(5.0, shortest / 20))
                try:
                    done, _ = wait(list(running), timeout=poll, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    done = set()
                for future in done:
                    item, submitted = running.pop(future)
                    limits.pop(future, None)
                    yield self._completed(future, item, time.monotonic() - started.pop(future.key, submitted))
                    future.release()
                if limits:
                    yield from self._enforce_timeout(client, running, started, limits)
        finally:
            if running:
                client.cancel(list(running))
            close()

    def _completed(self, future: Future, item: T, seconds: float) -> Completed:
        try:
            outcome = future.result()
        except KilledWorker as exc:
            return Completed(item, None, WORKER_DIED,
                             f"worker process died each of the {exc.allowed_failures + 1} times this task ran "
                             f"(last on {exc.last_worker.address})", seconds)
        except FutureCancelledError as exc:
            return Completed(item, None, "Cancelled", str(exc), seconds)
        except Exception as exc:  # e.g. the result could not be serialized
            return Completed(item, None, type(exc).__name__, str(exc), seconds)
        if outcome[0] == "ok":
            return Completed(item, outcome[1], seconds=outcome[2])
        return Completed(item, None, outcome[1][0], outcome[1][1], outcome[2])

    def _enforce_timeout(self, client: Client, running: dict[Future, tuple[T, float]],
                         started: dict[str, float], limits: dict[Future, float]) -> Iterator[Completed]:
        """Tasks over their time limit: report them, cancel them, restart the workers running them."""
        now = time.monotonic()
        executing = client.run(_executing, on_error="ignore")  # worker address -> keys
        where = {key: addr for addr, keys in executing.items() for key in keys}
        for key in where:
            started.setdefault(key, now)
        over = [f for f in running if f in limits and f.key in where and now - started[f.key] >= limits[f]]
        if not over:
            return
        client.cancel(over)
        workers = sorted({where[f.key] for f in over})
        client.restart_workers(workers, raise_for_error=False)  # the nanny starts a fresh process
        self.restarted.extend(workers)
        for f in over:
            item, _ = running.pop(f)
            seconds = now - started.pop(f.key)
            yield Completed(item, None, TIMEOUT, f"no result after {limits.pop(f):g} s; worker restarted", seconds)
