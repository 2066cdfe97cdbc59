"""Arrow schemas of the output tables and the conversion DocumentResult -> one Arrow table per table.

Every per-document table is partitioned by the prefecture of the document's body, `pref=<key>`
(`partition_key`); the partition column is not stored in the files, readers add it from the directory name.
The organization's key `org` (normalize/orgs.py org_key) is an ordinary column of every such table.
docs/data-dictionary.md documents every column.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import metadata

import pyarrow as pa

from extract.core.fields import FieldValue
from extract.core.result import DocumentResult
from extract.forms.model import CANONICAL_RISKS, FORM_TYPES, model_for
from normalize import orgcodes
from normalize.orgs import PREFECTURES, org_code, org_key, org_prefecture, split_org

GRADED_SCALES = frozenset({"G-JUBUN", "G-OKONAU", "G-SAIITAKU", "G-JUNSHU", "G-SEIBI", "G-SHUCHI"})

# Version of the table layout, stored in every Parquet file's metadata (key SCHEMA_VERSION_KEY); raised
# whenever a column is added, renamed or retyped, or the partitioning changes (docs/data-dictionary.md,
# "Schema version"). 3: `pref=` partitions and the `org` column (2: `org=` partitions).
SCHEMA_VERSION = "3"
SCHEMA_VERSION_KEY = b"pia_extract.schema_version"

PARTITION = "pref"  # the hive partition column of every per-document table
NATIONAL, UNKNOWN = "national", "unknown"


def partition_key(code: str | None, prefecture: str | None = None) -> str:
    """The partition of a body: "p" + the two-digit prefecture number ("p43" for 熊本県 and its
    municipalities), "national" for national agencies, "unknown" when the prefecture is not known.

    A letter first: digits-only hive values are read as integers by pyarrow, pandas and polars."""
    if code and code.startswith("N"):
        return NATIONAL
    if code and len(code) == 6 and code.isdigit():
        return "p" + code[:2]
    if prefecture in PREFECTURES:
        return f"p{PREFECTURES.index(prefecture) + 1:02d}"
    return UNKNOWN


def _schema(columns: list) -> pa.Schema:
    return pa.schema(columns, metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode()})

_s, _i, _f, _b, _d = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()

_ORG = [("organization", _s), ("org_code", _s), ("org", _s)]
_BBOX = [("page", _i), ("x0", _f), ("y0", _f), ("x1", _f), ("y1", _f), ("line", _i), ("method", _s),
         ("confidence", _f), ("ocr_check", _s)]

DOCUMENTS = _schema([
    ("doc_id", _s), ("source_path", _s), ("sha256", _s), ("input_kind", _s), ("form_type", _s),
    ("form_revision", _s), ("organization_raw", _s), *_ORG, ("prefecture", _s), ("affair", _s), ("title", _s),
    ("assessment_no", _s), ("published", _d), ("edition", _s), ("synthetic", _b),
    ("file_names", pa.list_(_s)), ("page_count", _i),
    ("fields_read", _i), ("fields_undetermined", _i), ("status", _s), ("methods", pa.list_(_s)),
    ("encoding", _s), ("warnings", pa.list_(_s)), ("timings", _s), ("pipeline_version", _s),
])

FIELDS = _schema([
    ("doc_id", _s), *_ORG, ("key", _s), ("section_path", _s), ("label", _s), ("kind", _s),
    ("file_no", _i), ("group_no", _i), ("raw", _s), ("value_text", _s), ("value_int", pa.int64()),
    ("value_date", _d), ("value_date_end", _d), ("date_precision", _s), ("option_no", _i), ("grade_level", _i),
    ("scale", _s), ("status", _s), ("reason", _s), ("source_path", _s), *_BBOX,
])

RATINGS = _schema([
    ("doc_id", _s), *_ORG, ("form_type", _s), ("synthetic", _b), ("key", _s), ("canonical_risk", _s),
    ("section_path", _s), ("label", _s), ("file_no", _i), ("group_no", _i), ("scale", _s), ("grade_level", _i),
    ("option_no", _i), ("value_text", _s),
    ("raw", _s), ("status", _s), ("reason", _s), *_BBOX,
])

CHECKBOXES = _schema([
    ("doc_id", _s), *_ORG, ("key", _s), ("section_path", _s), ("label", _s), ("file_no", _i),
    ("group_no", _i), ("option_label", _s), ("option_no", _i), ("checked", _b), ("text", _s),
    ("field_status", _s), *_BBOX,
])

PAGES = _schema([("doc_id", _s), *_ORG, ("page", _i), ("method", _s), ("triage", _s), ("reason", _s)])

MANIFEST = _schema([
    ("path", _s), ("sha256", _s), ("doc_id", _s), ("status", _s), ("error_class", _s), ("error_message", _s),
    ("note", _s), ("pages", _i), ("fields", _i), ("seconds", _f), ("run_id", _s),
    ("started_at", pa.timestamp("us", tz="UTC")),
])

# Per-document tables, written in this order; `documents` last: its file marks the document complete.
DOC_TABLES: dict[str, pa.Schema] = {
    "fields": FIELDS, "ratings": RATINGS, "checkboxes": CHECKBOXES, "pages": PAGES, "documents": DOCUMENTS,
}
ALL_TABLES: dict[str, pa.Schema] = {**DOC_TABLES, "manifest": MANIFEST}


@dataclass(frozen=True, slots=True)
class OrgInfo:
    name: str | None
    code: str | None
    key: str
    prefecture: str | None = None

    @property
    def partition(self) -> str:
        return partition_key(self.code, self.prefecture)


def document_org(result: DocumentResult) -> OrgInfo:
    """Organization of a document: the parser's normalized name, else normalize_org(raw)."""
    ident = result.identity
    pref, name = (None, ident.organization)
    if ident.organization_raw:
        raw_pref, raw_name = split_org(ident.organization_raw)
        pref = raw_pref
        name = name or raw_name
    code = org_code(name, pref)
    if code and code.startswith("N"):  # a national agency: its name, not the office title (厚生労働大臣)
        name = orgcodes.by_code(code).name
    return OrgInfo(name, code, org_key(name, code), org_prefecture(code, pref))


def parse_date(value: str | None) -> dt.date | None:
    """ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY" -> date (first day); the precision column says which."""
    if value is None or value == "":
        return None
    parts = value.split("-")
    if len(parts) > 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not an ISO date: {value!r}")
    y, m, d = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return dt.date(y, m, d)


def _version() -> str:
    try:
        return metadata.version("pia-extract")
    except metadata.PackageNotFoundError:
        return "unknown"


# ocr_check: how an OCR'd value that was accepted (status ok) is backed (docs/data-dictionary.md)
OCR_OPTIONS, OCR_SECOND, OCR_SINGLE = "options", "second-reading", "single-reading"
_CHECKED_KINDS = frozenset({"selection", "checkbox", "flag"})  # matched against the item's printed options
_REREAD_KINDS = frozenset({"date", "period", "dates", "count", "number"})  # read again (extract/forms/verify.py)
_NOT_CONFIRMED = ("not confirmed",)
_CONFIRMED = ("confirmed by a second reading", "readings agree", "as its other readings establish",
              "from a second reading")


def ocr_check(f: FieldValue) -> str | None:
    """For an OCR'd value with status ok: `options` (one of the item's printed options or a tick),
    `second-reading` (a second reading of the cell agrees, or two of three do) or `single-reading` (read once:
    where the misreads that remain are); None for other methods and for undetermined fields."""
    if f.evidence is None or f.evidence.method != "ocr" or not f.ok:
        return None
    reason = f.reason or ""
    if any(s in reason for s in _NOT_CONFIRMED):
        return OCR_SINGLE
    if any(s in reason for s in _CONFIRMED) or f.kind in _REREAD_KINDS:
        return OCR_SECOND
    return OCR_OPTIONS if f.kind in _CHECKED_KINDS else OCR_SINGLE


def _provenance(f: FieldValue) -> dict:
    ev = f.evidence
    if ev is None:
        return dict(page=None, x0=None, y0=None, x1=None, y1=None, line=None, method=None, confidence=None,
                    ocr_check=None)
    x0, y0, x1, y1 = ev.bbox if ev.bbox else (None, None, None, None)
    return dict(page=ev.page, x0=x0, y0=y0, x1=x1, y1=y1, line=ev.line, method=ev.method,
                confidence=ev.confidence, ocr_check=ocr_check(f))


def canonical_risks(form_type: str | None, revision: str | None = None) -> dict[str, str]:
    """Item key -> canonical risk code (C1..C8, EDU) of one form type, looked up by role in the model."""
    if form_type not in FORM_TYPES:
        return {}
    form = model_for(form_type, revision)
    return {item.key: code for role, (code, _) in CANONICAL_RISKS.items()
            if (item := form.by_role(role)) is not None}


def edition_key(org_key: str, affair: str | None, form_type: str | None, published: str | None) -> str:
    """Edition of a document: organization x affair x form x 公表日 ("?" for a part not read)."""
    return "|".join(p or "?" for p in (org_key, affair, form_type, published))


_TEXT_KINDS = frozenset({"text", "markdown/html"})


def _common(f: FieldValue) -> dict:
    return dict(key=f.key, section_path=f.section_path, label=f.label, file_no=f.file_no, group_no=f.group_no)


def document_tables(result: DocumentResult) -> dict[str, pa.Table]:
    """All per-document tables of one read document (status ok or partial)."""
    org = document_org(result)
    base = dict(doc_id=result.doc_id, organization=org.name, org_code=org.code, org=org.key)
    ident = result.identity
    canonical = canonical_risks(ident.form_type, ident.form_revision)

    fields, ratings, checkboxes = [], [], []
    for f in result.fields:
        prov = _provenance(f)
        fields.append({
            **base, **_common(f), "kind": f.kind, "raw": f.raw, "value_text": f.value_text,
            "value_int": f.value_int, "value_date": parse_date(f.value_date),
            "value_date_end": parse_date(f.value_date_end), "date_precision": f.date_precision,
            "option_no": f.option_no, "grade_level": f.level, "scale": f.scale, "status": f.status,
            "reason": f.reason, "source_path": f.evidence.source if f.evidence else result.source, **prov,
        })
        if f.scale in GRADED_SCALES:
            ratings.append({
                **base, "form_type": ident.form_type, "synthetic": result.synthetic, **_common(f),
                "canonical_risk": canonical.get(f.key), "scale": f.scale, "grade_level": f.level,
                "option_no": f.option_no, "value_text": f.value_text, "raw": f.raw, "status": f.status,
                "reason": f.reason, **prov,
            })
        for opt in f.options:
            checkboxes.append({
                **base, **_common(f), "option_label": opt.label, "option_no": opt.option_no,
                "checked": opt.checked, "text": opt.text, "field_status": f.status, **prov,
            })

    pages = [{**base, "page": p.number, "method": p.method, "triage": p.triage, "reason": p.reason or None}
             for p in result.pages]
    if not pages and result.kind in _TEXT_KINDS:  # a text input: its pages (1 without page marks), all text
        pages = [{**base, "page": n, "method": "text", "triage": "usable", "reason": None}
                 for n in range(1, max(1, result.page_count) + 1)]
    methods = sorted({p.method for p in result.pages}) or ([result.kind] if result.kind != "unknown" else [])
    documents = [{
        **base, "prefecture": org.prefecture, "source_path": result.source, "sha256": result.sha256, "input_kind": result.kind,
        "form_type": ident.form_type, "form_revision": ident.form_revision,
        "organization_raw": ident.organization_raw, "affair": ident.affair, "title": ident.title,
        "assessment_no": ident.assessment_no, "published": parse_date(ident.published),
        "edition": edition_key(org.key, ident.affair, ident.form_type, ident.published),
        "synthetic": result.synthetic,
        "file_names": list(ident.file_names), "page_count": result.page_count,
        "fields_read": sum(1 for f in result.fields if f.ok),
        "fields_undetermined": sum(1 for f in result.fields if not f.ok), "status": result.status,
        "methods": methods, "encoding": result.encoding, "warnings": list(result.warnings),
        "timings": json.dumps({k: round(v, 4) for k, v in result.timings.items()}, sort_keys=True),
        "pipeline_version": _version(),
    }]
    rows = {"fields": fields, "ratings": ratings, "checkboxes": checkboxes, "pages": pages,
            "documents": documents}
    return {name: pa.Table.from_pylist(rows[name], schema=schema) for name, schema in DOC_TABLES.items()}


def manifest_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=MANIFEST)
