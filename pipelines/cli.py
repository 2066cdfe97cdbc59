"""Command line: `python -m pipelines extract [PATH ...]` (subcommands; `report`/`diff` can join later)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

from extract.core.result import FAILED, PARTIAL, SUCCESS, UNCHANGED
from extract.core.settings import OcrSettings, ProcessSettings
from pipelines.analysis.report_cli import add_parsers as add_report_parsers
from pipelines.analysis.report_cli import file_in_the_way
from pipelines.bounds import TimeLimit
from pipelines.compact import CompactSettings
from pipelines.export import add_parser as add_export_parser
from pipelines.maintain import add_parsers as add_maintenance_parsers
from pipelines.process import process_file
from pipelines.runner import ProcessFn, RunOptions, RunSummary, discover_inputs, run_batch
from pipelines.schema import SCHEMA_VERSION

DEFAULT_IN = Path("data/raw")
DEFAULT_OUT = Path("data/parsed")
_DEFAULTS = ProcessSettings()
_LIMIT = TimeLimit()
_COMPACT = CompactSettings()

EPILOG = """\
output tables (Parquet, one file per document, partitioned by prefecture, pref=<key>; the organization
is the column org; see docs/data-dictionary.md):
  documents   one row per document read: identity (form type, organization, affair, 公表日), counts, status
  fields      one row per form item read or left undetermined, with its value and provenance
  ratings     the graded selections (リスクへの対策は十分か etc.), grade_level 1 = strongest, canonical_risk
  checkboxes  one row per checkbox option with its tick state (null when unknown)
  pages       one row per page: how its text was obtained and whether it was usable
  manifest    one file per run (manifest/run=<id>.parquet): every input, status, error, seconds

inputs are identified by the SHA-256 of their bytes: a rerun skips inputs already read (status ok or
partial) and redoes changed ones. Exit status 1 when any input failed, 2 on a usage error (also for an
--out written by an older version with org=<key> partitions: extract into a new directory).
load:  pipelines.load("ratings", parsed="data/parsed")   (typed; latest=True, synthetic=False)
       pandas.read_parquet("data/parsed/ratings")
       duckdb.sql("select * from read_parquet('data/parsed/ratings/*/*.parquet', hive_partitioning=true)")
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines",
        description="Turn My Number protection assessments (特定個人情報保護評価書; PDF or text) into Parquet.",
    )
    parser.add_argument("--version", action="version", version=f"pia-extract {_package_version()} "
                                                                  f"(table schema {SCHEMA_VERSION})")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ex = sub.add_parser(
        "extract", help="read input documents into the Parquet tables",
        description="Read assessment documents (PDF, scanned PDF, txt/md/html/csv) into Parquet tables.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                    help=f"input files or directories, searched recursively; files whose name starts with a "
                         f"dot are skipped, every other file is an input (default: {DEFAULT_IN})")
    ex.add_argument("--out", type=_out_arg, default=DEFAULT_OUT, metavar="DIR",
                    help=f"output directory, or an fsspec URL such as file:///data/parsed or s3://bucket/parsed "
                         f"(default: {DEFAULT_OUT})")
    ex.add_argument("--workers", type=int, default=None, metavar="N",
                    help="worker processes (default: one per CPU core; 0 = run in this process, no time limit)")
    ex.add_argument("--force", action="store_true",
                    help="redo every input, also those already in the output with the same SHA-256")
    ex.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                    help="one fixed time limit per document instead of the limit scaled by its pages; a "
                         "document over its limit is recorded as failed (Timeout, with the limit and why) "
                         "(0 = no limit)")
    ex.add_argument("--time-base", type=float, default=_LIMIT.base, metavar="SECONDS",
                    help=f"scaled time limit per document: this plus --time-per-page for each page up to "
                         f"--max-ocr-pages, plus {_LIMIT.per_page_past_cap:g} s per page past it "
                         f"(default: {_LIMIT.base:g})")
    ex.add_argument("--time-per-page", type=float, default=_LIMIT.per_page, metavar="SECONDS",
                    help=f"see --time-base (default: {_LIMIT.per_page:g}: a 15-page document gets "
                         f"{_LIMIT.seconds(15, _DEFAULTS.max_ocr_pages):g} s)")
    ex.add_argument("--compact-threshold", type=int, default=_COMPACT.threshold, metavar="N",
                    help=f"compact the output at the end of the run when N or more documents are in "
                         f"per-document files (default: {_COMPACT.threshold}; 0 = never; see the compact command)")
    ex.add_argument("--recycle", type=int, default=25, metavar="N",
                    help="replace each worker process after N documents to bound memory (default: 25)")
    ex.add_argument("--force-ocr", action="store_true", help="OCR every PDF page, even with a text layer")
    ex.add_argument("--ocr-dpi", type=int, default=_DEFAULTS.ocr.dpi, metavar="DPI",
                    help=f"rendering resolution for OCR (default: {_DEFAULTS.ocr.dpi})")
    ex.add_argument("--ocr-engine", choices=("ppocr", "tesseract"), default=_DEFAULTS.ocr.engine,
                    help="what reads a scanned page: PP-OCR line by line (default; far fewer misread characters, "
                         "about 2.7 x the time of one Tesseract pass) or one Tesseract pass (faster, weaker); "
                         "Tesseract is the second reading either way")
    ex.add_argument("--max-ocr-pages", type=int, default=_DEFAULTS.max_ocr_pages, metavar="N",
                    help=f"OCR at most N pages per document (blank pages are not OCR'd and not counted); the "
                         f"pages past it are not read, the pages table marks them skipped and the document is "
                         f"partial (default: {_DEFAULTS.max_ocr_pages}; 0 = no limit)")
    ex.add_argument("--quiet", "-q", action="store_true", help="no progress output, only the summary")
    ex.add_argument("--log-format", choices=("text", "json"), default="text",
                    help="text (default: a progress bar on a terminal, else one line per document) or json: one "
                         "JSON object per line on stderr (event start / document / summary), for log collectors")
    ex.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="where documents run: worker processes of this machine (default), or a Dask cluster "
                         "(needs the dask extra; see docs/scale.md)")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --executor dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a "
                         "local cluster of --workers processes, one thread each)")
    add_report_parsers(sub)
    add_export_parser(sub)
    add_maintenance_parsers(sub)
    return parser


class TqdmReporter:
    """Progress bar on a terminal: documents, pages, pages/s."""

    def __init__(self) -> None:
        self.bar = None
        self.pages = 0
        self.t0 = time.perf_counter()

    def start(self, total: int, to_process: int) -> None:
        from tqdm import tqdm

        self.t0 = time.perf_counter()
        self.bar = tqdm(total=total, unit="doc", desc="extract", dynamic_ncols=True, file=sys.stderr)

    def document(self, row: dict) -> None:
        if row["status"] != UNCHANGED:
            self.pages += row["pages"] or 0
        rate = self.pages / max(1e-9, time.perf_counter() - self.t0)
        self.bar.set_postfix(pages=self.pages, pages_s=f"{rate:.1f}", refresh=False)
        if row["status"] == FAILED:
            self.bar.write(f"failed: {row['error_message']}", file=sys.stderr)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class LogReporter:
    """Plain lines when stderr is not a terminal (CI, nohup, log files)."""

    def __init__(self) -> None:
        self.total = 0
        self.n = 0

    def start(self, total: int, to_process: int) -> None:
        self.total = total
        print(f"extract: {total} inputs, {to_process} to process, {total - to_process} decided without "
              f"processing", file=sys.stderr, flush=True)

    def document(self, row: dict) -> None:
        self.n += 1
        extra = f"{row['pages'] or 0} pages {row['seconds']:.1f}s" if row["status"] != UNCHANGED else ""
        line = f"[{self.n}/{self.total}] {row['status']:<9} {row['path']} {extra}".rstrip()
        if row["status"] == FAILED:
            line += f"  {row['error_class']}: {row['error_message']}"
        print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        pass


class JsonLogReporter:
    """One JSON object per line on stderr: {"event": "start" | "document" | "summary", ...}."""

    def __init__(self) -> None:
        self.n = 0

    @staticmethod
    def emit(event: str, **fields) -> None:
        print(json.dumps({"event": event, "time": round(time.time(), 3), **fields}, ensure_ascii=False, default=str),
              file=sys.stderr, flush=True)

    def start(self, total: int, to_process: int) -> None:
        self.emit("start", inputs=total, to_process=to_process)

    def document(self, row: dict) -> None:
        self.n += 1
        self.emit("document", n=self.n, **{k: row.get(k) for k in (
            "path", "doc_id", "status", "pages", "fields", "seconds", "error_class", "error_message", "note")})

    def close(self) -> None:
        pass


class QuietReporter(LogReporter):
    def start(self, total: int, to_process: int) -> None:
        pass

    def document(self, row: dict) -> None:
        pass


def format_summary(s: RunSummary) -> str:
    c = s.counts
    return (f"done: {c.get(SUCCESS, 0)} ok, {c.get(PARTIAL, 0)} partial, {c.get(FAILED, 0)} failed, "
            f"{c.get(UNCHANGED, 0)} unchanged documents; {s.pages} pages, {s.fields} fields, "
            f"{s.seconds:.1f} s; manifest {s.manifest_path}"
            + (f"\n{s.compacted.summary()}" if s.compacted else ""))


def _package_version() -> str:
    try:
        return metadata.version("pia-extract")
    except metadata.PackageNotFoundError:
        return "unknown"


def _out_arg(text: str) -> Path | str:
    return text if "://" in text else Path(text)


def _local_dir(out: Path | str) -> Path | None:
    """The output as a local directory (to keep it out of the inputs); None for a remote URL."""
    if isinstance(out, Path):
        return out
    return Path(out.removeprefix("file://")) if out.startswith("file://") else None


def _executor(args: argparse.Namespace, options: RunOptions):
    """None for the local pool (run_batch builds it); Dask is imported only when asked for."""
    if args.executor != "dask":
        return None
    try:
        from pipelines.dask_executor import DaskExecutor  # lazy: optional dependency (dask extra)
    except ImportError as exc:
        print(f"error: --executor dask needs Dask ({exc}); pip install 'dask[distributed]'", file=sys.stderr)
        raise SystemExit(2) from None
    return DaskExecutor(scheduler=args.scheduler, workers=options.workers, timeout=options.timeout)


def cmd_extract(args: argparse.Namespace, process_fn: ProcessFn) -> int:
    roots = args.paths or [DEFAULT_IN]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        print(f"error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 0:
        print("error: --workers must be 0 or more", file=sys.stderr)
        return 2
    if args.max_ocr_pages < 0:
        print("error: --max-ocr-pages must be 0 or more", file=sys.stderr)
        return 2
    if not 50 <= args.ocr_dpi <= 1200:
        print(f"error: --ocr-dpi {args.ocr_dpi}: give a rendering resolution from 50 to 1200 (default: "
              f"{_DEFAULTS.ocr.dpi})", file=sys.stderr)
        return 2
    out_dir = _local_dir(args.out)
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        print(f"error: --out {args.out} is a file; give a directory for the tables", file=sys.stderr)
        return 2
    if out_dir is not None and (blocker := file_in_the_way(out_dir)) is not None:
        print(f"error: --out {args.out}: {blocker} is a file, not a directory", file=sys.stderr)
        return 2
    if min(args.timeout or 0, args.time_base, args.time_per_page, args.compact_threshold) < 0:
        print("error: --timeout, --time-base, --time-per-page and --compact-threshold must be 0 or more",
              file=sys.stderr)
        return 2
    if args.scheduler and args.executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return 2
    if args.executor == "dask" and args.workers == 0:
        print("error: --executor dask needs --workers 1 or more", file=sys.stderr)
        return 2
    local_out = _local_dir(args.out)
    inputs = discover_inputs(roots, exclude=[local_out] if local_out else [])
    if not inputs:
        print(f"error: no input files in {', '.join(map(str, roots))} (files whose name starts with a dot are "
              "skipped)", file=sys.stderr)
        return 2
    options = RunOptions(
        out=args.out, workers=(os.cpu_count() or 1) if args.workers is None else args.workers,
        force=args.force, timeout=args.timeout if args.timeout else None, recycle_after=args.recycle,
        time_limit=TimeLimit(base=args.time_base, per_page=args.time_per_page, off=args.timeout == 0),
        compact=CompactSettings(threshold=args.compact_threshold),
        settings=ProcessSettings(ocr=OcrSettings(dpi=args.ocr_dpi, engine=args.ocr_engine), force_ocr=args.force_ocr,
                                 max_ocr_pages=args.max_ocr_pages),
    )
    if args.log_format == "json":
        reporter = JsonLogReporter()
    elif args.quiet:
        reporter = QuietReporter()
    elif sys.stderr.isatty():
        reporter = TqdmReporter()
    else:
        reporter = LogReporter()
    try:
        summary = run_batch(inputs, options, process_fn=process_fn, executor=_executor(args, options),
                            reporter=reporter)
    except RuntimeError as exc:  # e.g. the output directory is locked by another run
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: finished documents are saved; run again to do the rest", file=sys.stderr)
        return 130
    if args.log_format == "json":
        JsonLogReporter.emit("summary", counts=dict(summary.counts), pages=summary.pages, fields=summary.fields,
                             seconds=round(summary.seconds, 3), manifest=str(summary.manifest_path))
    else:
        print(format_summary(summary), file=sys.stderr)
    return 1 if summary.failed else 0


def main(argv: list[str] | None = None, process_fn: ProcessFn = process_file) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args, process_fn)
    except BrokenPipeError:  # `... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second BrokenPipeError when Python flushes stdout at exit
        return 0


def run() -> None:
    """The `pia-extract` console script (pyproject.toml [project.scripts])."""
    sys.exit(main())


def _dispatch(args: argparse.Namespace, process_fn: ProcessFn) -> int:
    if args.command == "extract":
        return cmd_extract(args, process_fn)
    if args.command in ("report", "diff", "export"):
        return args.run(args)
    if args.command in ("compact", "status"):
        return args.run(args)
    raise AssertionError(args.command)
