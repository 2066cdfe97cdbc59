"""Crash-safe output: atomic Parquet files in a per-document, org-partitioned layout.

    <out>/<table>/org=<key>/<doc_id>.parquet     fields, ratings, checkboxes, pages, documents
    <out>/manifest/run=<run_id>.parquet           one file per run, rewritten as the run goes

Every file is written to a temp name in the same directory (a dotted name ending in .tmp, which no
Parquet reader picks up), fsynced and renamed over the target. A document's `documents` file is written
last and removed first: it is the commit mark, so a run killed between two files of one document leaves
no complete-looking half; the next run removes such orphans and redoes the document.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipelines.schema import DOC_TABLES

TMP_SUFFIX = ".tmp"
COMMIT_TABLE = "documents"
MANIFEST_DIR = "manifest"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_table(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` so that readers see the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, compression="zstd")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    doc_id: str
    sha256: str
    status: str
    source_path: str
    page_count: int
    fields: int


class OutputStore:
    """The output directory: what is in it, and the only code that changes it."""

    def __init__(self, out: Path | str):
        self.out = Path(out)
        self._files: dict[str, set[Path]] = {}  # doc_id -> its files across tables and org partitions
        self._lock_fd: int | None = None

    # -- set-up -------------------------------------------------------------------------------------
    def open(self) -> None:
        """Lock the directory against a concurrent run, clean up after a killed run, index the files."""
        self.out.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RuntimeError(f"{self.out}: another extract run is writing to this directory") from None
        self._lock_fd = fd
        self._remove_temp_files()
        self._index()
        self._remove_orphans()

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> OutputStore:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _remove_temp_files(self) -> None:
        for root, _dirs, files in os.walk(self.out):
            for name in files:
                if name.startswith(".") and name.endswith(TMP_SUFFIX):
                    Path(root, name).unlink(missing_ok=True)

    def _index(self) -> None:
        self._files.clear()
        for table in DOC_TABLES:
            tdir = self.out / table
            if not tdir.is_dir():
                continue
            for part in os.scandir(tdir):
                if not (part.is_dir() and part.name.startswith("org=")):
                    continue
                for entry in os.scandir(part.path):
                    if entry.name.endswith(".parquet") and not entry.name.startswith((".", "_")):
                        self._files.setdefault(entry.name[: -len(".parquet")], set()).add(Path(entry.path))

    def _committed(self, doc_id: str) -> bool:
        return any(p.parent.parent.name == COMMIT_TABLE for p in self._files.get(doc_id, ()))

    def _remove_orphans(self) -> None:
        for doc_id in [d for d in self._files if not self._committed(d)]:
            self.remove_document(doc_id)

    # -- queries ------------------------------------------------------------------------------------
    def documents(self) -> dict[str, StoredDocument]:
        """The committed documents, by doc_id."""
        paths = sorted(p for files in self._files.values() for p in files if p.parent.parent.name == COMMIT_TABLE)
        if not paths:
            return {}
        cols = ["doc_id", "sha256", "status", "source_path", "page_count", "fields_read", "fields_undetermined"]
        table = ds.dataset([str(p) for p in paths], format="parquet").to_table(columns=cols)
        out = {}
        for r in table.to_pylist():
            out[r["doc_id"]] = StoredDocument(
                r["doc_id"], r["sha256"], r["status"], r["source_path"], r["page_count"] or 0,
                (r["fields_read"] or 0) + (r["fields_undetermined"] or 0),
            )
        return out

    def files_of(self, doc_id: str) -> set[Path]:
        return set(self._files.get(doc_id, ()))

    # -- changes ------------------------------------------------------------------------------------
    def table_path(self, table: str, org_key: str, doc_id: str) -> Path:
        return self.out / table / f"org={org_key}" / f"{doc_id}.parquet"

    def write_document(self, doc_id: str, org_key: str, tables: dict[str, pa.Table]) -> None:
        """Replace all files of one document (also those under another org) with `tables`."""
        old = self._files.get(doc_id, set())
        for p in sorted(old):
            if p.parent.parent.name == COMMIT_TABLE:
                p.unlink(missing_ok=True)  # uncommit first
        new: set[Path] = set()
        for table in DOC_TABLES:
            if table == COMMIT_TABLE:
                continue
            if tables[table].num_rows:
                path = self.table_path(table, org_key, doc_id)
                atomic_write_table(tables[table], path)
                new.add(path)
        for p in old - new:
            p.unlink(missing_ok=True)
        commit = self.table_path(COMMIT_TABLE, org_key, doc_id)
        atomic_write_table(tables[COMMIT_TABLE], commit)
        new.add(commit)
        self._files[doc_id] = new
        self._remove_empty_dirs(old - new)

    def remove_document(self, doc_id: str) -> None:
        files = self._files.pop(doc_id, set())
        for p in sorted(files, key=lambda p: p.parent.parent.name != COMMIT_TABLE):
            p.unlink(missing_ok=True)
        self._remove_empty_dirs(files)

    @staticmethod
    def _remove_empty_dirs(files: set[Path]) -> None:
        for d in {p.parent for p in files}:
            try:
                d.rmdir()
            except OSError:
                pass

    def write_manifest(self, run_id: str, table: pa.Table) -> Path:
        path = self.out / MANIFEST_DIR / f"run={run_id}.parquet"
        atomic_write_table(table, path)
        return path
