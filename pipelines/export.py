"""`python -m pipelines export TABLE --format csv|xlsx`: one output table as a file for Excel and friends.

CSV is UTF-8 with a BOM (Excel then opens the Japanese intact), dates ISO, lists as JSON arrays; xlsx is one
sheet with a header row (openpyxl). Rows are those of `pipelines.load` (optionally the latest editions only,
or without the synthetic fixtures).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

from pipelines.load import DEFAULT_PARSED, TABLES, LayoutError, TableMissing, load

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
EXCEL_MAX_CELL = 32_767
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters openpyxl refuses


class ExportError(ValueError):
    """An export that cannot be written as asked (the message says why and what to do)."""


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as JSON arrays, dates as ISO text: one plain value per cell."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].map(lambda v: isinstance(v, (list, tuple)) or hasattr(v, "tolist")).any():
            out[c] = out[c].map(lambda v: None if v is None else json.dumps(list(v), ensure_ascii=False))
        elif str(out[c].dtype).startswith("datetime64"):
            out[c] = out[c].dt.strftime("%Y-%m-%d").where(out[c].notna(), None)
    return out


def export_table(table: str, parsed: Path | str = DEFAULT_PARSED, fmt: str = "csv", out: Path | str | None = None,
                 latest: bool = False, synthetic: bool | None = None) -> tuple[Path, int]:
    """Write `table` of the extract in `parsed` as CSV or xlsx; returns (path, rows)."""
    if fmt not in ("csv", "xlsx"):
        raise ExportError(f"format {fmt!r}: use csv or xlsx")
    df = _flat(load(table, parsed, latest=latest, synthetic=synthetic))
    path = Path(out) if out is not None else Path("data/export") / f"{table}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path.write_bytes(df.to_csv(index=False).encode("utf-8-sig"))
        return path, len(df)
    if len(df) > EXCEL_MAX_ROWS:
        raise ExportError(f"{table}: {len(df)} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS}); "
                          "use --format csv, or --latest")
    for c in df.columns:
        if df[c].dtype == object or str(df[c].dtype) in ("str", "string"):
            df[c] = df[c].map(lambda v: _ILLEGAL_XLSX.sub("", v)[:EXCEL_MAX_CELL] if isinstance(v, str) else v)
    df.to_excel(path, index=False, sheet_name=table, engine="openpyxl")
    return path, len(df)


def add_parser(sub) -> None:
    ep = sub.add_parser(
        "export", help="one table as CSV (UTF-8 with BOM, for Excel) or xlsx",
        description="Write one output table of `extract` as a CSV file (UTF-8 with BOM: Excel opens the Japanese "
                    "intact; dates ISO, lists as JSON arrays) or an Excel workbook.")
    ep.add_argument("table", choices=TABLES, metavar="TABLE", help=f"one of: {', '.join(TABLES)}")
    ep.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="csv (default) or xlsx")
    ep.add_argument("--parsed", type=Path, default=DEFAULT_PARSED, metavar="DIR",
                    help=f"output directory of extract (default: {DEFAULT_PARSED})")
    ep.add_argument("--out", type=Path, default=None, metavar="FILE",
                    help="file to write (default: data/export/TABLE.csv or .xlsx)")
    ep.add_argument("--latest", action="store_true",
                    help="only the latest edition of each assessment, one copy of it (documents.edition)")
    ep.add_argument("--no-synthetic", action="store_true",
                    help="leave out the project-made fixtures (documents.synthetic)")
    ep.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """The export subcommand: 0 when written, 2 on a usage error (no such table, a file in the way, an output
    of the older layout)."""
    out = args.out or Path("data/export") / f"{args.table}.{args.format}"
    blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None or out.is_dir():
        print(f"error: --out {out}: {blocker or out} is in the way (a file where a directory is needed, or a "
              "directory)", file=sys.stderr)
        return 2
    try:
        path, n = export_table(args.table, args.parsed, args.format, out, latest=args.latest,
                               synthetic=False if args.no_synthetic else None)
    except (TableMissing, LayoutError, ValueError) as exc:  # ExportError, latest on the manifest, an old layout
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.table}: {n} rows -> {path}", file=sys.stderr)
    return 0
