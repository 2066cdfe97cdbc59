"""Batch runner: find inputs, skip unchanged ones, run the rest in worker processes, write outputs.

Inputs are identified by the SHA-256 of their bytes. A document runs in a worker process with a time
limit scaled by its pages (pipelines/bounds.py); a worker that hangs, raises, or dies (SIGKILL, segfault)
turns into a failed manifest row and is replaced. The parent is the only writer (pipelines/write.py); each
manifest row is journaled (fsynced) the moment its input is decided. Executors sit behind `Executor` so a
distributed one (Dask) can replace the local pool. When a run ends no worker, fork server or temp file of it
is left.
"""

from __future__ import annotations

import atexit
import datetime as dt
import multiprocessing as mp
import multiprocessing.connection as mpc
import multiprocessing.forkserver as mp_forkserver
import multiprocessing.util as mp_util
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import psutil
import pyarrow as pa

from extract.core.problems import OCR_PAGE_BUDGET
from extract.core.result import FAILED, PARTIAL, SUCCESS, UNCHANGED, DocumentResult
from extract.core.settings import ProcessSettings
from pipelines.bounds import TimeLimit, page_count_hint
from pipelines.compact import RUNS_FILE, CompactReport, CompactSettings, compact_store
from pipelines.process import process_file, sha256_file
from pipelines.schema import UNKNOWN, document_org, document_tables, manifest_table
from pipelines.write import MANIFEST_DIR, FsspecOutputStore, OutputStore, open_store

T = TypeVar("T")
R = TypeVar("R")

ProcessFn = Callable[[Path, ProcessSettings, str], DocumentResult]

# Modules the fork server (and each Dask worker) imports once, so a new worker starts in milliseconds and a
# document's time limit is not spent on imports; pipelines.runner brings the whole pipeline with it.
PRELOAD = ["pipelines.runner"]
WORKER_DIED, TIMEOUT = "WorkerDied", "Timeout"  # error classes of tasks without a result
TEST_SLOW_ENV = "PIA_TEST_SLOW"  # test hook: seconds each worker sleeps before a document


# -- executors -------------------------------------------------------------------------------------

@dataclass(slots=True)
class Completed(Generic[T, R]):
    """One finished task: its value, or why there is none (the task raised, timed out, or its worker died)."""

    item: T
    value: R | None = None
    error_class: str | None = None
    error_message: str | None = None
    seconds: float = 0.0


LimitFn = Callable[[Any], "float | None"]  # an item's time limit in seconds (None: no limit)


class Executor(Protocol):
    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T],
                      limit: LimitFn | None = None) -> Iterator[Completed[T, R]]:
        """Run fn over items, yielding each result as it completes; never raises for a failed task.
        `limit`: each item's time limit, used when the executor has no fixed timeout of its own."""
        ...


class InlineExecutor:
    """Runs tasks in this process, one after the other (debugging; `--workers 0`). No time limit."""

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T],
                      limit: LimitFn | None = None) -> Iterator[Completed[T, R]]:
        for item in items:
            t0 = time.perf_counter()
            try:
                yield Completed(item, fn(item), seconds=time.perf_counter() - t0)
            except Exception as exc:
                yield Completed(item, None, type(exc).__name__, str(exc), time.perf_counter() - t0)


def _worker_main(conn: mpc.Connection, fn: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return  # parent gone
        if item is None:
            return
        try:
            msg = ("ok", fn(item))
        except BaseException as exc:  # noqa: B036 - reported to the parent as a failed task
            msg = ("error", type(exc).__name__, f"{exc}\n{traceback.format_exc(limit=5)}")
        try:
            conn.send(msg)
        except (BrokenPipeError, EOFError, OSError):
            return
        except Exception as exc:  # result not picklable
            conn.send(("error", type(exc).__name__, f"result could not be sent to the parent: {exc}"))


@dataclass(slots=True)
class _Slot:
    process: mp.process.BaseProcess
    conn: mpc.Connection
    item: Any = None
    busy: bool = False
    started: float = 0.0
    limit: float | None = None  # seconds the current item may take
    done: int = 0
    lost: bool = False  # died or timed out: to be killed and replaced


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "worker process died"
    if code < 0:
        try:
            return f"worker process killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker process killed by signal {-code}"
    return f"worker process exited with status {code}"


_STOP_AT_EXIT: list = []  # stop_forkserver, once registered with atexit
RUN_TMP_PREFIX = "pia-run-"  # multiprocessing's temp directory of a run: pia-run-<pid>-<random>


def _sweep_run_temp_dirs() -> None:
    """Remove the temp directories of runs whose process is gone (killed before it could clean up)."""
    root = Path(tempfile.gettempdir())
    try:
        entries = list(root.glob(f"{RUN_TMP_PREFIX}*"))
    except OSError:
        return
    for d in entries:
        try:
            pid = int(d.name[len(RUN_TMP_PREFIX):].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not psutil.pid_exists(pid):
            shutil.rmtree(d, ignore_errors=True)


def _own_temp_dir() -> None:
    """Give multiprocessing (the fork server's socket) a temp directory named after this process, so a
    later run can remove it when this one was killed; multiprocessing removes it at a normal exit."""
    config = mp.current_process()._config  # where multiprocessing.util.get_temp_dir() keeps it
    if config.get("tempdir") is None:
        tempdir = tempfile.mkdtemp(prefix=f"{RUN_TMP_PREFIX}{os.getpid()}-")
        config["tempdir"] = tempdir
        mp_util.Finalize(None, shutil.rmtree, args=(tempdir, True), exitpriority=-100)


def stop_forkserver() -> None:
    """Stop the fork server (it would outlive the run for as long as it takes to import the pipeline)."""
    server = mp_forkserver._forkserver
    pid = server._forkserver_pid
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)  # it holds no state: only the preloaded modules
    except ProcessLookupError:
        pass
    server._stop()  # reaps it, closes its pipe, removes its socket


class LocalPool:
    """A pool of worker processes managed here (not ProcessPoolExecutor: one dead worker must not
    break the whole pool). One task per worker at a time, so each task has its own deadline.
    When a map ends (done, interrupted, failed) its workers are gone; the fork server stays for the next
    map and is stopped by run_batch (when it made the pool) or at the latest when this process exits."""

    def __init__(self, workers: int, timeout: float | None = None, recycle_after: int = 25,
                 start_method: str = "forkserver"):
        self.workers = max(1, workers)
        self.timeout = timeout
        self.recycle_after = max(1, recycle_after)
        self.ctx = mp.get_context(start_method)
        self.forkserver = start_method == "forkserver"
        if self.forkserver:  # workers fork from a server that has these imported already
            _sweep_run_temp_dirs()
            _own_temp_dir()
            if not _STOP_AT_EXIT:
                _STOP_AT_EXIT.append(atexit.register(stop_forkserver))
            self.ctx.set_forkserver_preload(PRELOAD)
            mp_forkserver.ensure_running()  # its imports overlap with the caller's planning

    def _start(self, fn: Callable) -> _Slot:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child, fn), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    @staticmethod
    def _stop(slot: _Slot, kill: bool = False) -> None:
        if not kill:
            try:
                slot.conn.send(None)
            except OSError:
                pass
            slot.process.join(2)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(5)
        slot.conn.close()

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T],
                      limit: LimitFn | None = None) -> Iterator[Completed[T, R]]:
        pending = iter(items)
        slots: list[_Slot] = []
        exhausted = False
        if self.forkserver:
            mp_forkserver.ensure_running()  # a previous map stopped it
        try:
            while True:
                # hand out work
                while not exhausted and (len(slots) < self.workers or any(not s.busy for s in slots)):
                    try:
                        item = next(pending)
                    except StopIteration:
                        exhausted = True
                        break
                    slot = next((s for s in slots if not s.busy), None)
                    if slot is None:
                        slot = self._start(fn)
                        slots.append(slot)
                    slot.item, slot.busy, slot.started = item, True, time.monotonic()
                    slot.limit = limit(item) if limit is not None and self.timeout is None else self.timeout
                    try:
                        slot.conn.send(item)
                    except OSError:
                        pass  # the worker died; its sentinel reports it below
                busy = [s for s in slots if s.busy]
                if not busy:
                    return
                wait = None
                deadlines = [s.started + s.limit for s in busy if s.limit is not None]
                if deadlines:
                    wait = max(0.0, min(deadlines) - time.monotonic())
                mpc.wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=wait)
                now = time.monotonic()
                for slot in busy:
                    done = self._collect(slot, now)
                    if done is None:
                        continue
                    yield done
                    if slot.lost:
                        self._stop(slot, kill=True)
                        slots.remove(slot)
                    elif slot.done >= self.recycle_after:  # bound the memory a worker can accumulate
                        self._stop(slot)
                        slots.remove(slot)
        finally:
            for slot in slots:
                self._stop(slot, kill=slot.busy)

    def _collect(self, slot: _Slot, now: float) -> Completed | None:
        seconds = now - slot.started
        if slot.conn.poll():  # a message, or end-of-file when the worker died
            try:
                msg = slot.conn.recv()
            except (EOFError, OSError):
                msg = None
            if msg is not None:
                slot.busy, slot.done = False, slot.done + 1
                if msg[0] == "ok":
                    return Completed(slot.item, msg[1], seconds=seconds)
                return Completed(slot.item, None, msg[1], msg[2], seconds)
        elif slot.process.is_alive():
            if slot.limit is not None and seconds >= slot.limit:
                slot.busy, slot.lost = False, True
                return Completed(slot.item, None, TIMEOUT,
                                 f"no result after {slot.limit:g} s; worker killed", seconds)
            return None
        slot.process.join(1)
        slot.busy, slot.lost = False, True
        return Completed(slot.item, None, WORKER_DIED, _describe_exit(slot.process.exitcode), seconds)


# -- one document in a worker ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Task:
    path: str  # as shown in outputs (relative to the working directory when under it)
    sha256: str
    limit: float | None = None  # seconds it may take (pipelines/bounds.py)
    limit_reason: str = ""  # how the limit was set, for the Timeout message


@dataclass(slots=True)
class DocOutcome:
    """What a worker sends back: the result's summary and the document's tables (ok/partial only)."""

    status: str
    error_class: str | None
    error_message: str | None
    page_count: int
    n_fields: int
    partition: str | None  # where its files go (pipelines/schema.py partition_key)
    tables: dict[str, pa.Table] | None
    note: str | None = None  # the manifest's note: pages left unread by the OCR page budget


def work(task: Task, process_fn: ProcessFn, settings: ProcessSettings) -> DocOutcome:
    """Process one document and convert it to tables (in the worker, so conversion runs in parallel)."""
    slow = os.environ.get(TEST_SLOW_ENV)
    if slow:
        time.sleep(float(slow))
    result = process_fn(Path(task.path), settings, task.sha256)
    result.source = task.path  # outputs name the input as the runner does (stale-output matching)
    tables = None
    partition = None
    if result.status in (SUCCESS, PARTIAL):
        try:
            tables = document_tables(result)
            partition = document_org(result).partition
        except Exception as exc:
            result.fail("tables", exc, f"{task.path}: conversion to tables failed: {exc}")
    note = next((p.message for p in result.problems if p.error_class == OCR_PAGE_BUDGET), None)
    return DocOutcome(result.status, result.error_class, result.error_message, result.page_count,
                      len(result.fields), partition, tables, note)


# -- the batch ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class RunOptions:
    out: Path | str  # a directory, or an fsspec URL (pipelines.write.open_store)
    workers: int = 1  # 0 = in this process
    force: bool = False
    timeout: float | None = None  # one fixed limit per document (seconds); None: time_limit decides
    recycle_after: int = 25
    settings: ProcessSettings = field(default_factory=ProcessSettings)
    manifest_every: float = 5.0  # seconds between manifest rewrites during a run (rows are journaled at once)
    time_limit: TimeLimit = field(default_factory=TimeLimit)  # per document, scaled by its pages
    compact: CompactSettings = field(default_factory=CompactSettings)  # compaction at the end of the run

    def __post_init__(self) -> None:
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"RunOptions.timeout = {self.timeout!r} must be positive (None: scaled by pages)")
        if self.workers < 0:
            raise ValueError(f"RunOptions.workers = {self.workers!r} must not be negative")

    def limit(self) -> TimeLimit:
        """The time limit in force: a fixed `timeout` overrides the scaled one."""
        if self.timeout is not None:
            return TimeLimit(fixed=self.timeout)
        return self.time_limit


@dataclass(slots=True)
class RunSummary:
    run_id: str
    counts: dict[str, int]
    pages: int
    fields: int
    seconds: float
    manifest_path: Path | None
    rows: list[dict]
    compacted: CompactReport | None = None

    @property
    def failed(self) -> int:
        return self.counts.get(FAILED, 0)


class Reporter(Protocol):
    def start(self, total: int, to_process: int) -> None: ...
    def document(self, row: dict) -> None: ...
    def close(self) -> None: ...


class _Silent:
    def start(self, total: int, to_process: int) -> None:
        pass

    def document(self, row: dict) -> None:
        pass

    def close(self) -> None:
        pass


def _absolute(path: Path) -> Path:
    """Absolute, with its directory resolved but not the file itself: a symlink keeps its own name."""
    path = path.absolute()
    return path.parent.resolve() / path.name


def display_path(path: Path) -> str:
    """Relative to the working directory when the file is under it, else absolute (a symlink is shown as
    itself, not as what it points to)."""
    resolved = _absolute(path)
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover_inputs(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named, and all files under directories named (recursively), except dotfiles and dot-dirs
    found while walking, and anything under `exclude` (the output directory)."""
    excluded = [p.resolve() for p in exclude]
    found: list[Path] = []
    for root in paths:
        if root.is_file():
            found.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            d = Path(dirpath)
            dirnames[:] = sorted(n for n in dirnames if not n.startswith(".")
                                 and not any((d / n).resolve() == e for e in excluded))
            found.extend(d / n for n in sorted(filenames) if not n.startswith("."))
    seen, unique = set(), []
    for p in found:  # a file named twice (or under two named directories) is one input; a symlink is its own
        key = _absolute(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def name_file(path: str, message: str | None) -> str:
    """The message prefixed with "<path>: " exactly once (exceptions that name the file get wrapped again)."""
    msg = message or ""
    while msg.startswith(path + ": "):
        msg = msg[len(path) + 2:]
    return f"{path}: {msg}"


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


@contextmanager
def _closing(results: Iterator):
    """Close a result generator when the loop ends early (Ctrl-C, a write error): that stops its workers."""
    try:
        yield results
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def settle(store: OutputStore, stored: dict, done: Completed, row: Callable[..., dict],
           drop_stale: Callable[[str, str | None], None]) -> tuple[int, int]:
    """Write (or not) one finished document and add its manifest row; returns (pages, fields) read."""
    task: Task = done.item
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=done.seconds)
    out: DocOutcome | None = done.value
    if out is None:  # the worker raised, timed out or died
        message = done.error_message
        if done.error_class == TIMEOUT and task.limit is not None and f"after {task.limit:g} s" in (message or ""):
            message = f"{message} ({task.limit_reason})"
        row(task.path, task.sha256, FAILED, error_class=done.error_class,
            error_message=name_file(task.path, message), seconds=done.seconds, started=started)
        return 0, 0
    if out.status in (SUCCESS, PARTIAL) and out.tables is not None:
        store.write_document(task.sha256[:16], out.partition or UNKNOWN, out.tables)
        drop_stale(task.path, task.sha256[:16])
        row(task.path, task.sha256, out.status, error_class=out.error_class, error_message=out.error_message,
            note=out.note, pages_=out.page_count, fields_=out.n_fields, seconds=done.seconds, started=started)
        return out.page_count, out.n_fields
    old = stored.get(task.sha256[:16])
    drop_stale(task.path, old.doc_id if old else None)  # keep a good earlier read of these very bytes
    row(task.path, task.sha256, FAILED, error_class=out.error_class or "Error",
        error_message=name_file(task.path, out.error_message or "failed"), pages_=out.page_count,
        seconds=done.seconds, started=started)
    return 0, 0


def run_batch(paths: list[Path], options: RunOptions, process_fn: ProcessFn = process_file,
              executor: Executor | None = None, reporter: Reporter | None = None) -> RunSummary:
    """Process `paths` (files) into options.out. Returns the summary; failures are rows, not exceptions.

    Every input gets a manifest row, appended to the run's journal (fsynced) the moment it is decided: a
    run killed at any point keeps the rows of every input it finished; the next run folds them into
    `manifest/run=<id>.parquet`. A copy of another input (same bytes, or a symlink to it) gets a row naming
    the input it copies, once that one is decided."""
    reporter = reporter or _Silent()
    run_id = new_run_id()
    t_start = time.perf_counter()
    rows: list[dict] = []
    unreported: list[dict] = []  # rows decided while planning, reported once the reporter has started
    pages = n_fields = 0
    reported = False
    own_pool = executor is None and options.workers > 0
    if executor is None:
        executor = (InlineExecutor() if options.workers == 0 else
                    LocalPool(options.workers, options.timeout, options.recycle_after))
    limits = options.limit()
    cap = options.settings.max_ocr_pages
    copies: dict[str, list[tuple[str, str]]] = {}  # first input -> (copy, note) of each copy of it

    try:
        with open_store(options.out) as store:
            def row(path: str, sha: str | None, status: str, *, error_class=None, error_message=None,
                    note=None, pages_=None, fields_=None, seconds=0.0, started=None, sync=True) -> dict:
                r = dict(path=path, sha256=sha, doc_id=sha[:16] if sha else None, status=status,
                         error_class=error_class, error_message=error_message, note=note, pages=pages_,
                         fields=fields_, seconds=round(seconds, 4), run_id=run_id,
                         started_at=started or dt.datetime.now(dt.UTC))
                store.journal_append(run_id, r, sync=sync)  # durable before anyone is told
                rows.append(r)
                if reported:
                    reporter.document(r)
                else:
                    unreported.append(r)
                for shown, why in copies.pop(path, []):  # the copies of this input are decided with it
                    if status == FAILED:
                        msg = (error_message or "").removeprefix(path + ": ")
                        row(shown, sha, FAILED, error_class=error_class, error_message=name_file(shown, msg),
                            note=why, sync=sync)
                    else:
                        row(shown, sha, UNCHANGED, note=why, sync=sync)
                return r

            stored = store.documents()
            by_source: dict[str, list[str]] = {}
            for d in stored.values():
                by_source.setdefault(d.source_path, []).append(d.doc_id)

            # plan: hash every input (once per file), find the copies, decide skip / process
            planned: list[tuple[Path, str, str | None, Exception | None]] = []
            first_file: dict[Path, str] = {}  # the file itself (symlinks followed) -> first input naming it
            first_bytes: dict[str, str] = {}  # sha256 -> first input with these bytes
            copy_sha: dict[str, str] = {}
            for p in paths:
                shown = display_path(p)
                real = p.resolve()
                if real in first_file:
                    first = first_file[real]
                    why = f"symlink to {first}" if p.is_symlink() else f"same file as {first}"
                    copies.setdefault(first, []).append((shown, why))
                    copy_sha[shown] = ""  # not hashed: the bytes are its target's
                    continue
                first_file[real] = shown
                try:
                    sha = sha256_file(p)
                except OSError as exc:
                    planned.append((p, shown, None, exc))
                    continue
                if sha in first_bytes:
                    copies.setdefault(first_bytes[sha], []).append((shown, f"same bytes as {first_bytes[sha]}"))
                    copy_sha[shown] = sha
                    continue
                first_bytes[sha] = shown
                planned.append((p, shown, sha, None))
            live_docs = {sha[:16] for _p, _shown, sha, _e in planned if sha}

            def drop_stale(shown: str, keep: str | None) -> None:
                """Remove documents once read from this path whose content is no longer any input's."""
                for doc_id in by_source.get(shown, []):
                    if doc_id != keep and doc_id not in live_docs:
                        store.remove_document(doc_id)
                by_source[shown] = [keep] if keep else []

            # documents this run replaces or removes, out of compacted files in one pass (not a rewrite of
            # their prefecture's file each); with --force every planned one
            shown_paths = [shown for _p, shown, _sha, _e in planned] + list(copy_sha)
            moving = {d for shown in shown_paths for d in by_source.get(shown, []) if d not in live_docs}
            if options.force:
                moving |= live_docs
            store.loosen(moving)
            for shown, sha in copy_sha.items():
                drop_stale(shown, sha[:16] or None)
            tasks: list[Task] = []
            for p, shown, sha, err in planned:
                if err is not None or sha is None:
                    row(shown, None, FAILED, error_class=type(err).__name__,
                        error_message=name_file(shown, str(err)), sync=False)
                    continue
                doc_id = sha[:16]
                d = stored.get(doc_id)
                if not options.force and d is not None and d.sha256 == sha and d.status in (SUCCESS, PARTIAL):
                    drop_stale(shown, doc_id)
                    row(shown, sha, UNCHANGED, note="already in the output", pages_=d.page_count,
                        fields_=d.fields, sync=False)
                    continue
                n_pages = page_count_hint(p)
                tasks.append(Task(shown, sha, limits.seconds(n_pages, cap), limits.reason(n_pages, cap)))
            store.journal_sync(run_id)
            reporter.start(len(paths), len(tasks))
            for r in unreported:
                reporter.document(r)
            reported = True

            last_flush = time.monotonic()
            fn = partial(work, process_fn=process_fn, settings=options.settings)
            try:
                with _closing(executor.map_unordered(fn, tasks, limit=_task_limit)) as results:
                    for done in results:
                        pages_fields = settle(store, stored, done, row, drop_stale)
                        pages += pages_fields[0]
                        n_fields += pages_fields[1]
                        if time.monotonic() - last_flush >= options.manifest_every:
                            store.write_manifest(run_id, manifest_table(rows))
                            last_flush = time.monotonic()
            except KeyboardInterrupt:  # keep what is done: the next run does the rest
                store.journal_fold(run_id, rows)
                reporter.close()
                raise
            for first, left in copies.items():  # copies of an input that was not decided (cannot happen)
                for shown, why in left:
                    row(shown, None, FAILED, error_class="NotDecided",
                        error_message=name_file(shown, f"{first} was not decided"), note=why)
            manifest_path = store.journal_fold(run_id, rows)
            compacted = None
            if (options.compact.threshold and not isinstance(store, FsspecOutputStore)
                    and store.loose_documents() >= options.compact.threshold):
                compacted = compact_store(store, options.compact)
                manifest_path = store.out / MANIFEST_DIR / RUNS_FILE  # the run's file is merged into it
    finally:
        if own_pool:
            stop_forkserver()
    reporter.close()

    counts = {s: 0 for s in (SUCCESS, PARTIAL, FAILED, UNCHANGED)}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return RunSummary(run_id, counts, pages, n_fields, time.perf_counter() - t_start, manifest_path, rows,
                      compacted)


def _task_limit(task: Task) -> float | None:
    return task.limit
