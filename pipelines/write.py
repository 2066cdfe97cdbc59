"""Crash-safe output: atomic Parquet files in a per-document layout, partitioned by prefecture.

    <out>/<table>/pref=<key>/<doc_id>.parquet    fields, ratings, checkboxes, pages, documents
    <out>/<table>/pref=<key>/part-<id>.parquet   many documents, after compaction (pipelines/compact.py)
    <out>/manifest/run=<run_id>.parquet           one file per run, rewritten as the run goes
    <out>/.journal/run=<run_id>.jsonl             the run's manifest rows, appended and fsynced one by one,
                                                  folded into the run's manifest file at its end

The partition key is the prefecture of the document's body (pipelines/schema.py partition_key); the body
itself is the `org` column. An output written with the layout of schema version 2 and before (`org=<key>`
partitions) is refused (LayoutError), never mixed with this one.

A compacted file carries the doc_ids it holds in its footer (key `pia.doc_ids`); removing a document from it
rewrites the file without that document (atomic replace, the `documents` file first).

Every file is written to a temp name in the same directory (a dotted name ending in .tmp, which no
Parquet reader picks up), fsynced and renamed over the target. A document's `documents` file is written
last and removed first: it is the commit mark, so a run killed between two files of one document leaves
no complete-looking half; the next run removes such orphans and redoes the document.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipelines.schema import DOC_TABLES, PARTITION, SCHEMA_VERSION, manifest_table

TMP_SUFFIX = ".tmp"
COMMIT_TABLE = "documents"
MANIFEST_DIR = "manifest"
JOURNAL_DIR = ".journal"
PART_PREFIX = "part-"  # compacted files; a per-document file is named by its doc_id (16 hex digits)
DOC_IDS_KEY = b"pia.doc_ids"  # footer metadata of a compacted file: the doc_ids it holds (JSON list)
ROW_GROUP_ROWS = 32 * 1024  # row groups of compacted files: large for scanning, small enough that their
# statistics skip most of a prefecture's file for a filter on one `org` (rows sorted by org)
PARTITION_PREFIX = f"{PARTITION}="
OLD_PARTITION_PREFIX = "org="  # the partitions of schema version 2 and before


class LayoutError(RuntimeError):
    """An output directory written with an older layout of the tables (the message says what to do)."""


def layout_error(out: Path | PurePosixPath | str, table: str) -> LayoutError:
    return LayoutError(
        f"{out}: written with an older layout of the tables ({table}/{OLD_PARTITION_PREFIX}<key> partitions, "
        f"schema version 2 or before); this version writes and reads {PARTITION_PREFIX}<key> partitions "
        f"(schema version {SCHEMA_VERSION}) and does not mix the two. Extract into a new directory "
        f"(python -m pipelines extract … --out NEW_DIR), or remove {out} and extract again")


def check_layout(out: Path | str) -> None:
    """Raise LayoutError when the local output directory `out` holds tables of the older layout."""
    for table in DOC_TABLES:
        tdir = Path(out) / table
        if tdir.is_dir() and any(e.is_dir() and e.name.startswith(OLD_PARTITION_PREFIX) for e in os.scandir(tdir)):
            raise layout_error(out, table)


def is_part(path: PurePosixPath | Path) -> bool:
    """A compacted (many-document) file."""
    return path.name.startswith(PART_PREFIX) and path.name.endswith(".parquet")


def part_doc_ids(table: pa.Table | None = None, metadata: dict | None = None) -> list[str]:
    """The doc_ids a compacted file holds: from its footer metadata, else from its doc_id column."""
    if metadata and DOC_IDS_KEY in metadata:
        return json.loads(metadata[DOC_IDS_KEY])
    if table is None:
        return []
    return sorted(set(table.column("doc_id").to_pylist()))


def with_doc_ids(table: pa.Table) -> pa.Table:
    """`table` with the doc_ids it holds in its schema metadata (written to the file's footer)."""
    ids = sorted(set(table.column("doc_id").to_pylist()))
    meta = dict(table.schema.metadata or {})
    meta[DOC_IDS_KEY] = json.dumps(ids).encode()
    return table.replace_schema_metadata(meta)


def _json_row(row: dict) -> str:
    return json.dumps({k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()},
                      ensure_ascii=False)


def journal_rows(lines: Iterable[str]) -> list[dict]:
    """Manifest rows from journal lines; a torn last line (the run killed while appending) is dropped."""
    rows = []
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if isinstance(r, dict) and "path" in r:
            if r.get("started_at"):
                r["started_at"] = dt.datetime.fromisoformat(r["started_at"])
            rows.append(r)
    return rows


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_table(table: pa.Table, path: Path, row_group_size: int | None = None,
                       durable: bool = True) -> None:
    """Write `table` to `path` so that readers see the old file or the new one, never a torn one;
    `durable`: fsynced (file and directory) before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, compression="zstd", row_group_size=row_group_size)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    doc_id: str
    sha256: str
    status: str
    source_path: str
    page_count: int
    fields: int


class OutputStore:
    """The output directory: what is in it, and the only code that changes it. `durable=False` skips the
    fsyncs (benchmarks that synthesize data only; a crash may then leave empty files)."""

    def __init__(self, out: Path | str, durable: bool = True):
        self.out = Path(out)
        self.durable = durable
        self._files: dict[str, set[Path]] = {}  # doc_id -> its files across tables and partitions
        self._parts: dict[Path, set[str]] = {}  # compacted file -> the doc_ids it holds
        self._lock_fd: int | None = None
        self._journal = None  # the open journal of the current run (a binary file, appended)
        self._journal_run: str | None = None
        self._journal_seq = 0

    # -- set-up -------------------------------------------------------------------------------------
    def open(self) -> None:
        """Lock the directory against a concurrent run, clean up after a killed run, index the files
        (LayoutError, before anything is changed, for an output of the older layout)."""
        self.out.mkdir(parents=True, exist_ok=True)
        check_layout(self.out)
        fd = os.open(self.out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RuntimeError(f"{self.out}: another extract run is writing to this directory") from None
        self._lock_fd = fd
        self._remove_temp_files()
        self.recover_journals()
        self._index()
        self._remove_orphans()

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> OutputStore:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _remove_temp_files(self) -> None:
        for root, dirs, files in os.walk(self.out):
            for name in files:
                if name.startswith(".") and name.endswith(TMP_SUFFIX):
                    Path(root, name).unlink(missing_ok=True)
            for name in [d for d in dirs if d.startswith(".") and d.endswith(TMP_SUFFIX)]:
                remove_tree(Path(root, name))  # a compaction cut short (pipelines/compact.py)
                dirs.remove(name)

    def _index(self) -> None:
        self._files.clear()
        self._parts.clear()
        for table in DOC_TABLES:
            tdir = self.out / table
            if not tdir.is_dir():
                continue
            for part in os.scandir(tdir):
                if not (part.is_dir() and part.name.startswith(PARTITION_PREFIX)):
                    continue
                for entry in os.scandir(part.path):
                    if not entry.name.endswith(".parquet") or entry.name.startswith((".", "_")):
                        continue
                    path = Path(entry.path)
                    if is_part(path):
                        self._add_part(path, part_doc_ids(metadata=pq.read_schema(path).metadata))
                    else:
                        self._files.setdefault(entry.name[: -len(".parquet")], set()).add(path)

    def _add_part(self, path, doc_ids: Iterable[str]) -> None:
        ids = set(doc_ids)
        self._parts[path] = ids
        for d in ids:
            self._files.setdefault(d, set()).add(path)

    def _committed(self, doc_id: str) -> bool:
        return any(p.parent.parent.name == COMMIT_TABLE for p in self._files.get(doc_id, ()))

    def _remove_orphans(self) -> None:
        orphans = [d for d in self._files if not self._committed(d)]
        if orphans:
            self.remove_documents(orphans)

    # -- queries ------------------------------------------------------------------------------------
    def documents(self) -> dict[str, StoredDocument]:
        """The committed documents, by doc_id."""
        paths = sorted({p for files in self._files.values() for p in files if p.parent.parent.name == COMMIT_TABLE})
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

    def loose_documents(self) -> int:
        """Committed documents still in per-document files (not compacted)."""
        return sum(1 for d, files in self._files.items()
                   if any(p.parent.parent.name == COMMIT_TABLE and not is_part(p) for p in files))

    # -- changes ------------------------------------------------------------------------------------
    def table_path(self, table: str, partition: str, doc_id: str) -> Path:
        return self.out / table / f"{PARTITION_PREFIX}{partition}" / f"{doc_id}.parquet"

    def write_document(self, doc_id: str, partition: str, tables: dict[str, pa.Table]) -> None:
        """Replace all files of one document (also those in another partition) with `tables`, written
        under `partition` (pipelines/schema.py partition_key)."""
        old = self._files.get(doc_id, set())
        if any(is_part(p) for p in old):  # in a compacted file: out of every one first (never shown twice)
            self._remove_from_parts({doc_id}, {p for p in old if is_part(p)})
            old = {p for p in old if not is_part(p)}
        for p in sorted(old):
            if p.parent.parent.name == COMMIT_TABLE:
                self._unlink(p)  # uncommit first
        new: set[Path] = set()
        for table in DOC_TABLES:
            if table == COMMIT_TABLE:
                continue
            if tables[table].num_rows:
                path = self.table_path(table, partition, doc_id)
                self._write_table(tables[table], path)
                new.add(path)
        for p in old - new:
            self._unlink(p)
        commit = self.table_path(COMMIT_TABLE, partition, doc_id)
        self._write_table(tables[COMMIT_TABLE], commit)
        new.add(commit)
        self._files[doc_id] = new
        self._remove_empty_dirs(old - new)

    def remove_document(self, doc_id: str) -> None:
        self.remove_documents([doc_id])

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove documents from every table: their own files, and their rows in compacted files (each
        compacted file rewritten once); `documents` files first, so nothing looks complete meanwhile."""
        ids = set(doc_ids)
        files: set[Path] = set()
        for d in ids:
            files |= self._files.pop(d, set())
        parts = {p for p in files if is_part(p)}
        self._remove_from_parts(ids, parts)
        loose = files - parts
        for p in sorted(loose, key=lambda p: p.parent.parent.name != COMMIT_TABLE):
            self._unlink(p)
        self._remove_empty_dirs(loose)

    def _remove_from_parts(self, ids: set[str], parts: set[Path]) -> None:
        for p in sorted(parts, key=lambda p: p.parent.parent.name != COMMIT_TABLE):
            self._remove_from_part(ids, p)

    def _remove_from_part(self, ids: set[str], p: Path, table: pa.Table | None = None) -> None:
        """Rewrite compacted file `p` without the rows of `ids` (`table`: its rows, when read already)."""
        keep = self._parts.get(p, set()) - ids
        if keep:
            table = self._read_table(p) if table is None else table
            table = table.filter(pc.invert(pc.is_in(table.column("doc_id"), pa.array(sorted(ids)))))
            self._write_table(with_doc_ids(table), p, ROW_GROUP_ROWS)
            self._parts[p] = keep
        else:
            self._unlink(p)
            self._parts.pop(p, None)
            self._remove_empty_dirs({p})
        for d in ids:
            if d in self._files:
                self._files[d].discard(p)

    def in_part(self, doc_id: str) -> bool:
        """The document's rows are in compacted files."""
        return any(is_part(p) for p in self._files.get(doc_id, ()))

    def loosen(self, doc_ids: Iterable[str]) -> int:
        """Move documents out of compacted files into per-document files, each compacted file read and
        rewritten once, so that redoing or removing them one by one (a rerun with --force, changed inputs)
        rewrites no compacted file. Their `documents` rows leave first and come back last: a run killed
        meanwhile leaves them uncommitted (removed at the next open, redone by the next run), never twice.
        Returns the number of documents moved."""
        ids = {d for d in doc_ids if self.in_part(d)}
        if not ids:
            return 0
        parts = sorted({p for d in ids for p in self._files[d] if is_part(p)},
                       key=lambda p: (p.parent.parent.name != COMMIT_TABLE, str(p)))
        commits: list[tuple[str, Path, pa.Table]] = []
        for p in parts:
            held = self._parts.get(p, set()) & ids
            table = self._read_table(p)
            moved = table.filter(pc.is_in(table.column("doc_id"), pa.array(sorted(held))))
            meta = {k: v for k, v in (moved.schema.metadata or {}).items() if k != DOC_IDS_KEY}
            moved = moved.replace_schema_metadata(meta)
            self._remove_from_part(held, p, table)
            for d in sorted(held):
                path = p.parent / f"{d}.parquet"
                rows = moved.filter(pc.equal(moved.column("doc_id"), d))
                if p.parent.parent.name == COMMIT_TABLE:
                    commits.append((d, path, rows))
                    continue
                self._write_table(rows, path)
                self._files.setdefault(d, set()).add(path)
        for d, path, rows in commits:
            self._write_table(rows, path)
            self._files.setdefault(d, set()).add(path)
        return len(ids)

    # file operations (FsspecOutputStore replaces them)
    def _read_table(self, path: Path) -> pa.Table:
        return pq.read_table(path)

    def _write_table(self, table: pa.Table, path: Path, row_group_size: int | None = None) -> None:
        atomic_write_table(table, path, row_group_size, self.durable)

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

    # -- the journal: manifest rows durable one by one ------------------------------------------------
    def journal_path(self, run_id: str) -> Path:
        return self.out / JOURNAL_DIR / f"run={run_id}.jsonl"

    def journal_append(self, run_id: str, row: dict, sync: bool = True) -> None:
        """Append one manifest row to the run's journal and make it durable (fsync) before returning;
        `sync=False` for a burst of rows made durable together by `journal_sync`."""
        if self._journal is None or self._journal_run != run_id:
            path = self.journal_path(run_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = open(path, "ab")
            self._journal_run = run_id
            fsync_dir(path.parent)
        self._journal.write((_json_row(row) + "\n").encode())
        self._journal.flush()
        if sync and self.durable:
            os.fsync(self._journal.fileno())

    def journal_sync(self, run_id: str) -> None:
        """Make the rows appended so far durable."""
        if self._journal is not None and self._journal_run == run_id:
            os.fsync(self._journal.fileno())

    def journal_fold(self, run_id: str, rows: list[dict]) -> Path:
        """The run's manifest file from `rows` (all of the run's rows), then its journal removed."""
        path = self.write_manifest(run_id, manifest_table(rows))
        if self._journal is not None and self._journal_run == run_id:
            self._journal.close()
            self._journal = None
        self._unlink(self.journal_path(run_id))
        try:
            self.journal_path(run_id).parent.rmdir()  # when no other run's journal is left
        except OSError:
            pass
        return path

    def _journals(self) -> dict[str, list[dict]]:
        jdir = self.out / JOURNAL_DIR
        if not jdir.is_dir():
            return {}
        out = {}
        for p in sorted(jdir.glob("run=*.jsonl")):
            with open(p, encoding="utf-8", errors="replace") as f:
                out[p.name[len("run="):-len(".jsonl")]] = journal_rows(f)
        return out

    def recover_journals(self) -> list[str]:
        """Fold the journals of runs that were cut (killed, power loss) into their manifest files."""
        runs = []
        for run_id, rows in self._journals().items():
            self.journal_fold(run_id, rows)
            runs.append(run_id)
        return runs


def remove_tree(path: Path) -> None:
    """Remove a directory tree (a compaction's leftovers); missing is fine."""
    if not path.exists():
        return
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            Path(root, name).unlink(missing_ok=True)
        for name in dirs:
            p = Path(root, name)
            if p.is_symlink():
                p.unlink()
            else:
                p.rmdir()
    path.rmdir()


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
        for p in self._walk():
            parts = p.relative_to(self.out).parts
            if len(parts) == 3 and parts[0] in DOC_TABLES and parts[1].startswith(OLD_PARTITION_PREFIX):
                raise layout_error(f"{self.fs.unstrip_protocol(str(self.out))}", parts[0])
        self._remove_temp_files()
        self.recover_journals()
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
        self._parts.clear()
        for p in self._walk():
            parts = p.relative_to(self.out).parts
            if (len(parts) == 3 and parts[0] in DOC_TABLES and parts[1].startswith(PARTITION_PREFIX)
                    and p.name.endswith(".parquet") and not p.name.startswith((".", "_"))):
                if is_part(p):
                    with self.fs.open(str(p), "rb") as f:
                        self._add_part(p, part_doc_ids(metadata=pq.read_schema(f).metadata))
                else:
                    self._files.setdefault(p.name[: -len(".parquet")], set()).add(p)

    def _arrow_filesystem(self):
        return self.fs

    def _read_table(self, path) -> pa.Table:
        with self.fs.open(str(path), "rb") as f:
            return pq.read_table(f)

    def _write_table(self, table: pa.Table, path, row_group_size: int | None = None) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
        try:
            self.fs.makedirs(str(path.parent), exist_ok=True)
            with self.fs.open(str(tmp), "wb") as f:
                pq.write_table(table, f, compression="zstd", row_group_size=row_group_size)
            self.fs.mv(str(tmp), str(path))
        except BaseException:
            self._unlink(tmp)
            raise

    # the journal on an object store: one small file per row (no appends there)
    def journal_path(self, run_id: str):
        return self.out / JOURNAL_DIR / f"run={run_id}"

    def journal_append(self, run_id: str, row: dict, sync: bool = True) -> None:
        self._journal_seq += 1
        path = self.journal_path(run_id) / f"{self._journal_seq:09d}.json"
        self.fs.makedirs(str(path.parent), exist_ok=True)
        self.fs.pipe_file(str(path), _json_row(row).encode())

    def journal_fold(self, run_id: str, rows: list[dict]):
        path = self.write_manifest(run_id, manifest_table(rows))
        try:
            self.fs.rm(str(self.journal_path(run_id)), recursive=True)
        except FileNotFoundError:
            pass
        return path

    def _journals(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for p in sorted(self._walk()):
            parts = p.relative_to(self.out).parts
            if len(parts) == 3 and parts[0] == JOURNAL_DIR and parts[1].startswith("run="):
                out.setdefault(parts[1][len("run="):], []).extend(journal_rows([self.fs.cat_file(str(p)).decode()]))
        return out

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
