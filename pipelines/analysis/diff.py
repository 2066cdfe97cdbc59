"""`python -m pipelines diff A B`: what changed between two assessments of the same affair and organization.

Fields are matched by (key, file_no, group_no): keys come from the form model, which already absorbs the
label variants between form revisions. A field is `changed` (both read, values differ), `appeared` (only in
B), `disappeared` (only in A) or `undetermined` (one side could not be read: no claim either way).
When B has a 変更箇所 table, every detected change is looked up in its rows dated after A's 公表日: a row
records a change when its 項目 names the field's part and section (and file), and either names the item
or gives the same before/after values.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extract.forms.model import Role, role_keys
from normalize.text import fold_label
from pipelines.process import process_file
from pipelines.schema import document_tables

CHANGED, APPEARED, DISAPPEARED, UNDETERMINED, UNCHANGED = (
    "changed", "appeared", "disappeared", "undetermined", "unchanged")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
_ROMAN_CHARS = {chr(0x2160 + i): i + 1 for i in range(12)}
_NOT_RECORDED_KEYS = role_keys(Role.PUBLISHED)  # a new 公表日 is the new edition itself, not a 変更箇所 row

_s, _i, _b, _d = pa.string(), pa.int32(), pa.bool_(), pa.date32()
CHANGES = pa.schema([
    ("doc_id_a", _s), ("doc_id_b", _s), ("organization", _s), ("affair", _s), ("key", _s),
    ("section_path", _s), ("label", _s), ("file_no", _i), ("group_no", _i), ("change", _s),
    ("value_a", _s), ("value_b", _s), ("grade_level_a", _i), ("grade_level_b", _i), ("status_a", _s), ("status_b", _s),
    ("reason_a", _s), ("reason_b", _s), ("recorded", _b), ("change_row", _i), ("change_date", _d),
    ("page_b", _i), ("line_b", _i),
])


@dataclass(slots=True)
class Doc:
    doc_id: str
    source: str
    organization: str | None
    affair: str | None
    form_type: str | None
    published: object  # datetime.date or None
    fields: pd.DataFrame  # rows of the fields table


# ---------------------------------------------------------------------------------------- loading
def _doc_from_parsed(parsed: Path, doc_id: str) -> Doc | None:
    if not (parsed / "documents").is_dir():
        return None
    docs = pd.read_parquet(parsed / "documents", filters=[("doc_id", "==", doc_id)])
    if docs.empty:
        return None
    d = docs.iloc[0]
    fields = pd.read_parquet(parsed / "fields", filters=[("doc_id", "==", doc_id)]) \
        if (parsed / "fields").is_dir() else pd.DataFrame()
    return Doc(doc_id, d["source_path"], d["organization"], d["affair"], d["form_type"], d["published"], fields)


def _doc_from_file(path: Path) -> Doc:

    result = process_file(path)
    if result.status == "failed":
        raise ValueError(result.error_message)
    tables = document_tables(result)
    d = tables["documents"].to_pylist()[0]
    return Doc(result.doc_id, str(path), d["organization"], d["affair"], d["form_type"], d["published"],
               tables["fields"].to_pandas())


def load_document(ref: str, parsed: Path) -> Doc:
    """A document by input path (read from `parsed` when already extracted, else read now) or doc_id."""
    p = Path(ref)
    if p.is_file():
        doc_id = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        return _doc_from_parsed(parsed, doc_id) or _doc_from_file(p)
    if re.fullmatch(r"[0-9a-f]{16}", ref):
        doc = _doc_from_parsed(parsed, ref)
        if doc is not None:
            return doc
        raise ValueError(f"{ref}: no document with this doc_id in {parsed}")
    raise ValueError(f"{ref}: neither an input file nor a doc_id")


# ---------------------------------------------------------------------------------------- comparing
def field_value(r) -> str | None:
    """The comparable value of one fields row (None when not read)."""
    if r.get("status") != "ok":
        return None
    if pd.notna(r.get("value_date")):
        end = r.get("value_date_end")
        return str(r["value_date"]) + (f"〜{end}" if pd.notna(end) else "")
    if pd.notna(r.get("value_int")) and not isinstance(r.get("value_text"), str):
        return str(int(r["value_int"]))
    if isinstance(r.get("value_text"), str):
        return r["value_text"]
    return "" if r.get("kind") == "flag" else None


def _fold(v) -> str:
    return fold_label(v) if isinstance(v, str) else ""


def _index(fields: pd.DataFrame) -> dict[tuple, dict]:
    if fields.empty:
        return {}
    f = fields[~fields["key"].str.startswith("changes.")]
    out = {}
    for r in f.to_dict("records"):
        k = (r["key"], _int(r.get("file_no")), _int(r.get("group_no")))
        out[k] = r
    return out


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _grade(r: dict | None) -> int | None:
    if r is None:
        return None
    return _int(r.get("grade_level", r.get("level")))  # `level` in tables of schema version 1


def _not_found(r: dict | None) -> bool:
    return r is None or (r.get("status") != "ok" and str(r.get("reason") or "").startswith("not-found"))


def compare(a: Doc, b: Doc, include_unchanged: bool = False) -> list[dict]:
    """Detected changes A -> B, one dict per field (schema CHANGES without the 変更箇所 columns)."""
    ia, ib = _index(a.fields), _index(b.fields)
    order = list(ib) + [k for k in ia if k not in ib]
    rows = []
    for k in order:
        ra, rb = ia.get(k), ib.get(k)
        va = None if ra is None else field_value(ra)
        vb = None if rb is None else field_value(rb)
        if _not_found(ra) and _not_found(rb):
            continue
        if _not_found(ra):
            change = APPEARED if vb is not None else UNDETERMINED
        elif _not_found(rb):
            change = DISAPPEARED if va is not None else UNDETERMINED
        elif va is None or vb is None:
            change = UNDETERMINED
        elif _fold(va) == _fold(vb):
            change = UNCHANGED
        else:
            change = CHANGED
        if change == UNCHANGED and not include_unchanged:
            continue
        ref = rb if rb is not None else ra
        rows.append({
            "doc_id_a": a.doc_id, "doc_id_b": b.doc_id, "organization": b.organization or a.organization,
            "affair": b.affair or a.affair, "key": k[0], "section_path": ref.get("section_path"),
            "label": ref.get("label"), "file_no": k[1], "group_no": k[2], "change": change,
            "value_a": va, "value_b": vb, "grade_level_a": _grade(ra), "grade_level_b": _grade(rb),
            "status_a": ra.get("status") if ra else None, "status_b": rb.get("status") if rb else None,
            "reason_a": ra.get("reason") if ra else None, "reason_b": rb.get("reason") if rb else None,
            "page_b": _int(rb.get("page")) if rb else None, "line_b": _int(rb.get("line")) if rb else None,
        })
    return rows


# ---------------------------------------------------------------------------------------- 変更箇所
def change_table_rows(doc: Doc) -> list[dict]:
    """B's 変更箇所 rows: {row, date, item, before, after}."""
    f = doc.fields
    if f.empty:
        return []
    c = f[f["key"].str.startswith("changes.")]
    out = []
    for g, rows in c.groupby("group_no"):
        by = {r["key"].split(".", 1)[1]: r for r in rows.to_dict("records")}
        out.append({"row": int(g), "date": by.get("date", {}).get("value_date"),
                    "item": by.get("item", {}).get("value_text") or "",
                    "before": by.get("before", {}).get("value_text"), "after": by.get("after", {}).get("value_text")})
    return out


def _key_place(key: str) -> tuple[int | None, int | None]:
    parts = key.split(".")
    part = _ROMAN.get(parts[0])
    sec = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return part, sec


def _item_place(item: str) -> tuple[int | None, int | None, int | None]:
    """(part, section, file) named by a 変更箇所 項目 such as "Ⅲ リスク対策（１ 住民基本台帳ファイル） ７．…"."""
    s = fold_label(item)
    part = _ROMAN_CHARS.get(s[:1])
    if part is None:
        m = re.match(r"(VI|IV|V|I{1,3})(?![A-Za-z])", s)
        part = _ROMAN.get(m.group(1)) if m else None
    m_file = re.search(r"\((\d+)", s)
    rest = s[m_file.end():] if m_file else s[1:]
    m_sec = re.search(r"(?<![\d(])(\d+)\.", rest)
    return part, (int(m_sec.group(1)) if m_sec else None), (int(m_file.group(1)) if m_file else None)


def records(row: dict, change: dict) -> bool:
    part, sec = _key_place(change["key"])
    ipart, isec, ifile = _item_place(row["item"])
    if part is None or part != ipart or (isec is not None and sec is not None and isec != sec):
        return False
    if ifile is not None and change["file_no"] is not None and ifile != change["file_no"]:
        return False
    item = fold_label(row["item"])
    label = fold_label(change["label"] or "")
    names_item = bool(label) and (label in item or label.lstrip("①②③④⑤⑥⑦⑧⑨⑩") in item)
    same_values = (_fold(row["before"]) == _fold(change["value_a"]) or not change["value_a"]) and \
        _fold(row["after"]) == _fold(change["value_b"])
    return names_item or same_values


def match_change_table(changes: list[dict], a: Doc, b: Doc) -> list[dict]:
    """Mark each detected change recorded / not recorded by B's 変更箇所 (None: B has no table)."""
    rows = change_table_rows(b)
    after_a = [r for r in rows if r["date"] is None or a.published is None or pd.isna(a.published)
               or r["date"] > a.published]
    used: set[int] = set()
    for c in changes:
        c.update(recorded=None, change_row=None, change_date=None)
        if not rows or c["change"] in (UNCHANGED, UNDETERMINED) or c["key"] in _NOT_RECORDED_KEYS:
            continue
        hit = next((r for r in after_a if records(r, c)), None)
        c["recorded"] = hit is not None
        if hit:
            c["change_row"], c["change_date"] = hit["row"], hit["date"]
            used.add(hit["row"])
    return [r for r in after_a if r["row"] not in used]


def _clean(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def changes_table(changes: list[dict]) -> pa.Table:
    """The detected changes as the Parquet table `changes`."""
    return pa.Table.from_pylist([{k: _clean(c.get(k)) for k in CHANGES.names} for c in changes], schema=CHANGES)


# ---------------------------------------------------------------------------------------- output
def _text(v) -> str:
    """A value whole, on one line (a line break shown as ⏎); — when there is none."""
    v = _clean(v)
    if v is None:
        return "—"
    return str(v).replace("\r\n", "\n").replace("\n", " ⏎ ")


def _published(doc: Doc) -> str:
    v = _clean(doc.published)
    return "公表日 not read" if v is None else f"公表日 {v}"


def _reason(c: dict) -> str:
    """Why a change is undetermined: the unreadable side's reason (pandas NaN is no reason)."""
    for side in ("b", "a"):
        r = _clean(c.get(f"reason_{side}"))
        if isinstance(r, str) and r and c.get(f"status_{side}") != "ok":
            return f"{side.upper()}: {r}"
    missing = [side.upper() for side in ("a", "b") if c.get(f"status_{side}") is None]
    return f"not in {' and '.join(missing)}" if missing else "a side was not read"


def comparison_warnings(a: Doc, b: Doc) -> list[str]:
    """What makes a diff of A and B meaningless or doubtful: the same document, or not one assessment."""
    out = []
    if a.doc_id == b.doc_id:
        out.append(f"A and B are the same document ({a.doc_id}): nothing can differ")
    if _clean(a.organization) != _clean(b.organization):
        out.append(f"two organizations ({a.organization} and {b.organization}): these are not two editions of one "
                   "assessment; the differences are between bodies")
    elif _clean(a.affair) != _clean(b.affair):
        out.append(f"not the same affair: 「{a.affair}」 vs 「{b.affair}」")
    if _clean(a.form_type) != _clean(b.form_type):
        out.append(f"not the same form: {a.form_type} vs {b.form_type}; items are matched by key within a form only")
    pa_, pb = _clean(a.published), _clean(b.published)
    if pa_ is not None and pb is not None and pa_ > pb:
        out.append(f"A ({pa_}) is newer than B ({pb}): B's 変更箇所 is checked after A's 公表日")
    return out


def _recorded_text(c: dict) -> str:
    if c["change"] == UNDETERMINED:
        return "cannot compare: " + _reason(c)
    if c["recorded"] is None:
        return "—"
    return f"recorded (row {c['change_row']})" if c["recorded"] else "NOT recorded"


def format_report(a: Doc, b: Doc, changes: list[dict], unmatched_rows: list[dict], has_table: bool) -> str:
    lines = [f"A: {a.source} ({a.doc_id}) {a.organization} {a.form_type} {_published(a)}",
             f"B: {b.source} ({b.doc_id}) {b.organization} {b.form_type} {_published(b)}"]
    lines += [f"warning: {w}" for w in comparison_warnings(a, b)]
    counts = pd.Series([c["change"] for c in changes]).value_counts().to_dict() if changes else {}
    lines.append(", ".join(f"{k} {v}" for k, v in counts.items()) or "no differences")
    lines.append("")
    lines.append(f"{'change':<12} {'key':<18} {'file':>4} {'grp':>3}  A → B  [変更箇所]")
    for c in changes:
        file_no = "" if c["file_no"] is None else c["file_no"]
        group_no = "" if c["group_no"] is None else c["group_no"]
        lines.append(f"{c['change']:<12} {c['key']:<18} {file_no:>4} {group_no:>3}  "
                     f"{_text(c['value_a'])}  →  {_text(c['value_b'])}  [{_recorded_text(c)}]")
    lines.append("")
    if not has_table:
        lines.append("B has no 変更箇所 table: nothing to check the detected changes against.")
    else:
        n_rec = sum(1 for c in changes if c["recorded"])
        n_not = sum(1 for c in changes if c["recorded"] is False)
        lines.append(f"変更箇所 of B records {n_rec} of the detected changes; {n_not} are not recorded.")
        for r in unmatched_rows:
            lines.append(f"  row {r['row']} ({_clean(r['date']) or 'no date'}) 「{_text(r['item'])}」 matches no "
                         "detected field change")
    return "\n".join(lines)


def format_csv(changes: list[dict]) -> str:
    """The changes as CSV (the columns of the `changes` table)."""
    buf = io.StringIO()
    changes_table(changes).to_pandas().to_csv(buf, index=False)
    return buf.getvalue()


def format_json(a: Doc, b: Doc, changes: list[dict], unmatched_rows: list[dict], has_table: bool) -> str:
    """The whole comparison as one JSON object: both documents, warnings, changes, unmatched 変更箇所 rows."""
    def doc(d: Doc) -> dict:
        pub = _clean(d.published)
        return {"doc_id": d.doc_id, "source": d.source, "organization": _clean(d.organization),
                "affair": _clean(d.affair), "form_type": _clean(d.form_type),
                "published": pub.isoformat() if pub is not None else None}

    rows = changes_table(changes).to_pylist()
    return json.dumps({"a": doc(a), "b": doc(b), "warnings": comparison_warnings(a, b),
                       "has_change_table": has_table, "changes": rows,
                       "unmatched_change_rows": [{k: _clean(v) for k, v in r.items()} for r in unmatched_rows]},
                      ensure_ascii=False, indent=1, default=str)


def diff_documents(a: Doc, b: Doc, include_unchanged: bool = False) -> tuple[list[dict], list[dict], bool]:
    changes = compare(a, b, include_unchanged)
    unmatched = match_change_table(changes, a, b)
    return changes, unmatched, bool(change_table_rows(b))


def main_diff(args: argparse.Namespace) -> int:
    try:
        a = load_document(args.a, args.parsed)
        b = load_document(args.b, args.parsed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    changes, unmatched, has_table = diff_documents(a, b, args.all)
    fmt = args.format
    if fmt == "csv":
        text = format_csv(changes)
    elif fmt == "json":
        text = format_json(a, b, changes, unmatched, has_table)
    else:
        text = format_report(a, b, changes, unmatched, has_table)
    if fmt != "text":
        for w in comparison_warnings(a, b):
            print(f"warning: {w}", file=sys.stderr)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(changes_table(changes), args.out)
        print(f"changes: {args.out}", file=sys.stderr)
    return 0
