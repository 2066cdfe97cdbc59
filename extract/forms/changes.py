"""The 変更箇所 sheet as rows: 変更日, 項目, 変更前の記載, 変更後の記載, 提出時期, 提出時期に係る説明."""

from __future__ import annotations

from collections import defaultdict

from extract.core.fields import UNDETERMINED, Evidence, FieldValue
from extract.core.segments import Segment
from extract.forms.model import CHANGE_COLUMNS, CHANGE_TABLE, DATE
from normalize.dates import parse_date
from normalize.text import fold_label, join_wrapped, normalize_text

COLUMNS = CHANGE_COLUMNS  # (header as printed, field suffix, kind)


def _column_of(header: str) -> tuple[str, str] | None:
    f = fold_label(header)
    for name, suffix, kind in COLUMNS:  # longer header first where one contains another
        if f == fold_label(name):
            return suffix, kind
    return None


def read_change_table(segments: list[Segment], source: str) -> list[FieldValue]:
    """Rows of the change table from grid segments (row/col known). Text without a grid gives nothing:
    the columns cannot be told apart without positions."""
    rows: dict[tuple, dict[int, Segment]] = defaultdict(dict)
    order: list[tuple] = []
    for seg in segments:
        if seg.row is None or seg.col is None:
            continue
        key = (seg.page, seg.row)
        if key not in rows:
            order.append(key)
        rows[key][seg.col] = seg
    columns: dict[int, tuple[str, str]] = {}
    out: list[FieldValue] = []
    n = 0
    for key in order:
        cells = rows[key]
        header = {c: _column_of(s.text) for c, s in cells.items()}
        if sum(1 for v in header.values() if v) >= 4:
            columns = {c: v for c, v in header.items() if v}
            continue
        if not columns:
            continue
        n += 1
        for col, (suffix, kind) in columns.items():
            seg = cells.get(col)
            text = join_wrapped(normalize_text(seg.text).strip().split("\n")) if seg else ""
            ev = Evidence(source, seg.page, seg.bbox, seg.line, seg.method, seg.confidence) if seg else None
            fv = FieldValue(key=f"changes.{suffix}", label=f"{CHANGE_TABLE} {suffix}", kind=kind, group_no=n,
                            section_path=CHANGE_TABLE, raw=seg.text if seg else "", evidence=ev)
            if kind == DATE:
                r = parse_date(text)
                if r.value is None:
                    fv.status, fv.reason = UNDETERMINED, f"unparseable: {r.error or 'no date'}"
                else:
                    fv.value_date, fv.date_precision = r.value.isoformat(), r.precision
            else:
                fv.value_text = text or None
            out.append(fv)
    return out
