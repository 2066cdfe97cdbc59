"""The `report` and `diff` subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.analysis.diff import main_diff
from pipelines.analysis.report import build_report
from pipelines.analysis.report_data import MissingTables
from pipelines.analysis.report_figures import FontMissing


def add_parsers(sub) -> None:
    rp = sub.add_parser(
        "report", help="comparison report (HTML + CSV) from the Parquet tables",
        description="Write one self-contained HTML report (figures embedded) and the comparison table as CSV "
                    "(UTF-8 with BOM) from the tables of `extract`.")
    rp.add_argument("--parsed", type=Path, default=Path("data/parsed"), metavar="DIR",
                    help="output directory of extract (default: data/parsed)")
    rp.add_argument("--out", type=Path, default=Path("data/report/report.html"), metavar="FILE",
                    help="HTML file to write; the CSV goes next to it with .csv (default: data/report/report.html)")
    rp.set_defaults(run=_run_report)

    dp = sub.add_parser(
        "diff", help="fields changed, appeared or disappeared between two assessments",
        description="Compare two assessments of the same affair and organization (A older, B newer): fields "
                    "changed / appeared / disappeared, matched by key, file and group; and which of them B's "
                    "変更箇所 table records.")
    dp.add_argument("a", metavar="A", help="older document: an input file, or a doc_id in --parsed")
    dp.add_argument("b", metavar="B", help="newer document: an input file, or a doc_id in --parsed")
    dp.add_argument("--parsed", type=Path, default=Path("data/parsed"), metavar="DIR",
                    help="output directory of extract where doc_ids are looked up (default: data/parsed)")
    dp.add_argument("--out", type=Path, default=None, metavar="FILE",
                    help="also write the changes as Parquet (table `changes`) to FILE")
    dp.add_argument("--all", action="store_true", help="also list fields that did not change")
    dp.add_argument("--format", choices=("text", "csv", "json"), default="text",
                    help="text (default: a readable list, values whole), csv (the columns of the changes table) or "
                         "json (both documents, warnings, changes); warnings go to stderr for csv and json")
    dp.set_defaults(run=_run_diff)


def file_in_the_way(path: Path) -> Path | None:
    """The first existing ancestor of `path` that is a file (a directory cannot be made under it)."""
    for parent in path.parents:
        if parent.exists():
            return parent if not parent.is_dir() else None
    return None


def _run_report(args: argparse.Namespace) -> int:
    blocker = file_in_the_way(args.out)
    if blocker is not None:
        print(f"error: --out {args.out}: {blocker} is a file, not a directory", file=sys.stderr)
        return 2
    if args.out.is_dir():
        print(f"error: --out {args.out} is a directory; give the HTML file to write", file=sys.stderr)
        return 2
    try:
        html_path, csv_path = build_report(args.parsed, args.out)
    except (MissingTables, FontMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"report: {html_path}\ncsv:    {csv_path}", file=sys.stderr)
    return 0


def _run_diff(args: argparse.Namespace) -> int:
    if args.out is not None and (file_in_the_way(args.out) is not None or args.out.is_dir()):
        print(f"error: --out {args.out}: cannot write a file there", file=sys.stderr)
        return 2
    return main_diff(args)
