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
from pathlib import Path, PurePosixPath

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
        table = ds.dataset([str(p) for p in paths], format="parquet",
                           filesystem=self._arrow_filesystem()).to_table(columns=cols)
        out = {}
        for r in table.to_pylist():
            out[r["doc_id"]] = StoredDocument(
                r["doc_id"], r["sha256"], r["status"], r["source_path"], r["page_count"] or 0,
                (r["fields_read"] or 0) + (r["fields_undetermined"] or 0),
            )
        return out

    def _arrow_filesystem(self):
        return None  # local paths

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
                self._unlink(p)  # uncommit first
        new: set[Path] = set()
        for table in DOC_TABLES:
            if table == COMMIT_TABLE:
                continue
            if tables[table].num_rows:
                path = self.table_path(table, org_key, doc_id)
                self._write_table(tables[table], path)
                new.add(path)
        for p in old - new:
            self._unlink(p)
        commit = self.table_path(COMMIT_TABLE, org_key, doc_id)
        self._write_table(tables[COMMIT_TABLE], commit)
        new.add(commit)
        self._files[doc_id] = new
        self._remove_empty_dirs(old - new)

    def remove_document(self, doc_id: str) -> None:
        files = self._files.pop(doc_id, set())
        for p in sorted(files, key=lambda p: p.parent.parent.name != COMMIT_TABLE):
            self._unlink(p)
        self._remove_empty_dirs(files)

    # file operations (FsspecOutputStore replaces them)
    def _write_table(self, table: pa.Table, path: Path) -> None:
        atomic_write_table(table, path)

    @staticmethod
    def _unlink(path: Path) -> None:
        path.unlink(missing_ok=True)

    @staticmethod
    def _remove_empty_dirs(files: set[Path]) -> None:
        for d in {p.parent for p in files}:
            try:
                d.rmdir()
            except OSError:
                pass

    def write_manifest(self, run_id: str, table: pa.Table) -> Path:
        path = self.out / MANIFEST_DIR / f"run={run_id}.parquet"
        self._write_table(table, path)
        return path


class FsspecOutputStore(OutputStore):
    """The same layout at an fsspec URL (s3://, gs://, memory://, …), for a run whose output lives on a
    remote file system. Each file is written under a dotted temp name and moved into place (on object
    stores the move is a server-side copy that readers see whole or not at all); a document's
    `documents` file is still written last. Not enforced here, unlike on a local directory: that only one
    run writes to the URL at a time, and durability beyond what the store's close() promises."""

    def __init__(self, fs, root: str):
        super().__init__(root)
        self.fs = fs
        self.out = PurePosixPath(root)  # type: ignore[assignment]  # paths on `fs`, not local ones

    def open(self) -> None:
        self.fs.makedirs(str(self.out), exist_ok=True)
        self._remove_temp_files()
        self._index()
        self._remove_orphans()

    def close(self) -> None:
        pass

    def _walk(self) -> list[PurePosixPath]:
        return [PurePosixPath(p) for p in self.fs.find(str(self.out))]

    def _remove_temp_files(self) -> None:
        for p in self._walk():
            if p.name.startswith(".") and p.name.endswith(TMP_SUFFIX):
                self._unlink(p)

    def _index(self) -> None:
        self._files.clear()
        for p in self._walk():
            parts = p.relative_to(self.out).parts
            if (len(parts) == 3 and parts[0] in DOC_TABLES and parts[1].startswith("org=")
                    and p.name.endswith(".parquet") and not p.name.startswith((".", "_"))):
                self._files.setdefault(p.name[: -len(".parquet")], set()).add(p)

    def _arrow_filesystem(self):
        return self.fs

    def _write_table(self, table: pa.Table, path) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
        try:
            self.fs.makedirs(str(path.parent), exist_ok=True)
            with self.fs.open(str(tmp), "wb") as f:
                pq.write_table(table, f, compression="zstd")
            self.fs.mv(str(tmp), str(path))
        except BaseException:
            self._unlink(tmp)
            raise

    def _unlink(self, path) -> None:
        try:
            self.fs.rm(str(path))
        except FileNotFoundError:
            pass

    def _remove_empty_dirs(self, files) -> None:
        for d in {p.parent for p in files}:
            try:
                if not self.fs.ls(str(d)):
                    self.fs.rmdir(str(d))
            except (OSError, NotImplementedError):
                pass  # object stores have no directories


def open_store(out: Path | str) -> OutputStore:
    """The store for `out`: a local directory, or an fsspec URL (file:// URLs are local directories and
    keep every guarantee of OutputStore: lock, fsync, atomic rename)."""
    if isinstance(out, Path) or "://" not in out:
        return OutputStore(out)
    import fsspec  # only for URLs: local runs do not need it

    fs, root = fsspec.core.url_to_fs(out)
    if "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)):
        return OutputStore(Path(root))
    return FsspecOutputStore(fs, root)
