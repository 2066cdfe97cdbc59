"""`python -m pipelines status`: what an output directory holds, read from its tables and journals.

Documents by status, the latest state of every input (the manifest's last row per path) with the failures
and their reasons, and the last runs — including a run in progress or cut off, whose rows are still in its
journal (`.journal/run=<id>.jsonl`, pipelines/write.py).
"""

from __future__ import annotations

import fcntl
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.dataset as ds

from pipelines.write import COMMIT_TABLE, JOURNAL_DIR, MANIFEST_DIR, LayoutError, check_layout, journal_rows


@dataclass(slots=True)
class RunInfo:
    run_id: str
    started: str
    counts: Counter
    seconds: float
    state: str  # "complete" (folded into its manifest file) or "in progress or cut off" (journal only)


@dataclass(slots=True)
class Status:
    out: Path
    documents: Counter = field(default_factory=Counter)  # status -> documents in the tables
    pages: int = 0
    inputs: Counter = field(default_factory=Counter)  # latest status of every input path
    failures: list[dict] = field(default_factory=list)  # latest row of every failed input
    runs: list[RunInfo] = field(default_factory=list)  # newest first
    locked: bool = False  # a run holds the directory's lock now
    layout_error: str | None = None  # written with an older layout: extract and load refuse it (why, what to do)


def _locked(out: Path) -> bool:
    lock = out / ".lock"
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _manifest_rows(out: Path) -> tuple[list[dict], set[str]]:
    """Every manifest row: the folded files, and the journals of runs not folded (their runs' ids)."""
    journals: dict[str, list[dict]] = {}
    jdir = out / JOURNAL_DIR
    if jdir.is_dir():
        for p in sorted(jdir.glob("run=*.jsonl")):
            with open(p, encoding="utf-8", errors="replace") as f:
                journals[p.name[len("run="):-len(".jsonl")]] = journal_rows(f)
    rows: list[dict] = []
    mdir = out / MANIFEST_DIR
    if mdir.is_dir() and any(mdir.glob("*.parquet")):
        table = ds.dataset(mdir, format="parquet").to_table()
        rows = [r for r in table.to_pylist() if r["run_id"] not in journals]  # a journal holds its run whole
    for run_rows in journals.values():
        rows.extend(run_rows)
    return rows, set(journals)


def read_status(out: Path, runs: int = 5) -> Status:
    """The status of output directory `out` (FileNotFoundError when it does not exist)."""
    if not out.is_dir():
        raise FileNotFoundError(f"{out}: no such output directory")
    st = Status(out, locked=_locked(out))
    try:
        check_layout(out)
    except LayoutError as exc:
        st.layout_error = str(exc)
    ddir = out / COMMIT_TABLE
    if ddir.is_dir() and any(ddir.rglob("*.parquet")):
        docs = ds.dataset(ddir, format="parquet", partitioning="hive").to_table(columns=["status", "page_count"])
        st.documents = Counter(docs.column("status").to_pylist())
        st.pages = sum(p or 0 for p in docs.column("page_count").to_pylist())
    rows, journaled = _manifest_rows(out)
    latest: dict[str, dict] = {}
    by_run: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["run_id"], str(r["started_at"]))):
        latest[r["path"]] = r
        by_run.setdefault(r["run_id"], []).append(r)
    st.inputs = Counter(r["status"] for r in latest.values())
    st.failures = sorted((r for r in latest.values() if r["status"] == "failed"), key=lambda r: r["path"])
    for run_id in sorted(by_run, reverse=True)[:runs]:
        rr = by_run[run_id]
        started = min(str(r["started_at"]) for r in rr)[:19]
        st.runs.append(RunInfo(run_id, started, Counter(r["status"] for r in rr),
                               sum(r["seconds"] or 0.0 for r in rr),
                               "in progress or cut off" if run_id in journaled else "complete"))
    return st


def _reason(r: dict, width: int = 160) -> str:
    msg = (r.get("error_message") or "").removeprefix(r["path"] + ": ").strip().splitlines()
    text = msg[0] if msg else ""
    return text if len(text) <= width else text[: width - 1] + "…"


def format_status(st: Status, failures: int = 20) -> str:
    """The status as text for a terminal."""
    order = ("ok", "partial", "failed", "unchanged")
    lines = [f"output: {st.out}" + ("  (a run is writing to it now)" if st.locked else "")]
    if st.layout_error:
        lines.append(f"layout: {st.layout_error}")
    total = sum(st.documents.values())
    by = ", ".join(f"{st.documents[s]} {s}" for s in order if st.documents.get(s)) or "none"
    lines.append(f"documents: {total} ({by}); {st.pages} pages")
    n_in = sum(st.inputs.values())
    by = ", ".join(f"{st.inputs[s]} {s}" for s in order if st.inputs.get(s)) or "none"
    lines.append(f"inputs (latest run of each): {n_in} ({by})")
    if st.failures:
        classes = Counter(r["error_class"] or "Error" for r in st.failures)
        lines.append(f"failed inputs: {len(st.failures)} ("
                     + ", ".join(f"{n} {c}" for c, n in classes.most_common()) + ")")
        for r in st.failures[:failures]:
            lines.append(f"  {r['path']}  {r['error_class']}: {_reason(r)}")
        if len(st.failures) > failures:
            lines.append(f"  ... and {len(st.failures) - failures} more (--failures N)")
    if st.runs:
        lines.append("last runs:")
        for run in st.runs:
            c = run.counts
            parts = ", ".join(f"{c[s]} {s}" for s in order if c.get(s))
            lines.append(f"  {run.run_id}  started {run.started}  {sum(c.values())} inputs ({parts}); "
                         f"{run.seconds:.1f} s of documents; {run.state}")
    else:
        lines.append("last runs: none")
    return "\n".join(lines)
