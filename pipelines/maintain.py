"""Commands that look after an output directory: `compact` and `status` (registered by pipelines/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.compact import CompactSettings, compact
from pipelines.status import format_status, read_status

DEFAULT_PARSED = Path("data/parsed")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `compact` and `status` to the CLI's subcommands (each sets args.run)."""
    c = sub.add_parser(
        "compact", help="rewrite each table into one file per partition (fast to load)",
        description="Rewrite every table of an extract output into one Parquet file per prefecture partition "
                    "(pref=<key>; rows sorted by org, then doc_id) and the manifest into one file, swapped in "
                    "atomically: a reader sees the old files or the new ones. "
                    "Extract does it by itself past --compact-threshold documents; reruns, --force and the Dask "
                    "executor work on a compacted output as on any other.")
    c.add_argument("--parsed", type=Path, default=DEFAULT_PARSED, metavar="DIR",
                   help=f"the output directory of extract (default: {DEFAULT_PARSED})")
    c.set_defaults(run=cmd_compact)
    s = sub.add_parser(
        "status", help="documents by status, failures with their reasons, the last runs",
        description="What an extract output holds: documents by status, the latest state of every input with "
                    "the failures and their reasons, and the last runs (a run in progress or cut off included).")
    s.add_argument("--parsed", type=Path, default=DEFAULT_PARSED, metavar="DIR",
                   help=f"the output directory of extract (default: {DEFAULT_PARSED})")
    s.add_argument("--runs", type=int, default=5, metavar="N", help="show the last N runs (default: 5)")
    s.add_argument("--failures", type=int, default=20, metavar="N",
                   help="list at most N failed inputs (default: 20)")
    s.set_defaults(run=cmd_status)


def cmd_compact(args: argparse.Namespace) -> int:
    if not args.parsed.is_dir():
        print(f"error: {args.parsed}: no such output directory", file=sys.stderr)
        return 2
    try:
        report = compact(args.parsed, CompactSettings())
    except RuntimeError as exc:  # locked by a run, or written with the older layout (LayoutError)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for t in report.tables:
        print(f"{t.table:<11} {t.files_before:>7} -> {t.files_after:>5} files, {t.partitions} partitions, "
              f"{t.rewritten} rewritten", file=sys.stderr)
    print(f"done: compacted {args.parsed} in {report.seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    try:
        st = read_status(args.parsed, runs=max(0, args.runs))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_status(st, failures=max(0, args.failures)))
    return 0
