"""Shared test helpers: a toy document processor for runner tests, and dataset readers.

`toy_process` has process_file's contract (never raises, errors as data) and reads a tiny line format,
so the runner, writers and crash handling can be tested without the real parser:

    org: 熊本県知事                    -> identity.organization_raw (organization = normalize_org)
    form: 全項目評価書                  -> identity.form_type
    published: 2024-03-01
    pages: 3                           -> three PageInfo rows (text, usable)
    F <key> | <label> | <scale> | <option_no> | <text>     -> a selection field (level = option_no)
    U <key> | <label> | <scale> | <reason>                  -> an undetermined selection
    C <key> | <label> | <opt>=1; <opt>=0; <opt>=?           -> a checkbox group (? = unknown)
    @crash / @hang / @raise                                 -> SIGKILL itself / sleep / raise
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract.core.fields import OK, UNDETERMINED, CheckOption, Evidence, FieldValue  # noqa: E402
from extract.core.result import PARTIAL, DocumentResult  # noqa: E402
from extract.core.segments import PageInfo  # noqa: E402
from normalize.orgs import normalize_org  # noqa: E402


def field_of(result, key: str, file_no: int | None = None, group_no: int | None = None) -> FieldValue:
    """The one field of `result` (a DocumentResult or ParsedDocument) with this key, file and group."""
    hits = [f for f in result.fields if (f.key, f.file_no, f.group_no) == (key, file_no, group_no)]
    assert len(hits) == 1, f"{key} file={file_no} group={group_no}: {len(hits)} fields"
    return hits[0]


def by_place(items) -> dict:
    """FieldValues (or answer-key field dicts) by (key, file_no, group_no)."""
    def place(f):
        return (f["key"], f.get("file_no"), f.get("group_no")) if isinstance(f, dict) else (f.key, f.file_no, f.group_no)
    return {place(f): f for f in items}


@functools.cache
def corpus_document(name: str, rnd: str = "round1"):
    """A document of the independent corpus (tests/fixtures/corpus/<rnd>) as read, and its answer key;
    read once per test session."""
    from pipelines.process import process_file  # the whole pipeline: only tests that read documents load it

    folder = FIXTURES / "corpus" / rnd
    return process_file(folder / f"{name}.pdf"), json.loads((folder / f"{name}.key.json").read_text(encoding="utf-8"))


def read_without_rules(monkeypatch, pdf: Path):
    """A text-layer PDF read as a borderless scan would be: its ruling lines taken away and every page and segment
    marked OCR (the text corpus without rules, the tuning set of the borderless reading)."""
    return read_as_ocr(monkeypatch, pdf, keep=lambda rule: False)


def read_as_ocr(monkeypatch, pdf: Path, keep=lambda rule: True):
    """A text-layer PDF read as a scan would be: every page and segment marked OCR, only the ruling lines `keep`
    accepts left (all of them by default; `rule.horizontal`: a sheet ruled across whose verticals did not survive)."""
    from dataclasses import replace

    import extract.sources.pdf.document as D
    from extract.core.enums import Method

    read = D.used_page_layout

    def as_ocr(*args, **kwargs):
        layout, problem = read(*args, **kwargs)
        layout.rules, layout.method = [r for r in layout.rules if keep(r)], Method.OCR
        return layout, problem

    monkeypatch.setattr(D, "used_page_layout", as_ocr)
    doc = D.pdf_segments(pdf)
    return replace(doc, segments=[replace(s, method=Method.OCR) for s in doc.segments])


def toy_process(path: Path, settings=None, sha256: str | None = None) -> DocumentResult:
    # only light modules: a Dask worker imports these within a task's time limit (not the whole pipeline)
    from extract.sources.sniff import sniff

    result = DocumentResult(source=str(path), sha256=sha256 or hashlib.sha256(Path(path).read_bytes()).hexdigest())
    try:
        kind = sniff(path)
        if kind != "text":
            raise ValueError("toy processor reads text inputs only")
        _toy_read(path, result)
    except Exception as exc:
        result.fail("process", exc, f"{path}: {exc}")
    return result


def _toy_read(path: Path, result: DocumentResult) -> None:
    text = path.read_text("utf-8")
    result.kind, result.encoding = "text", "utf-8"
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        ev = Evidence(str(path), line=n, method="text")
        if line == "@crash":
            os.kill(os.getpid(), signal.SIGKILL)
        elif line == "@hang":
            time.sleep(3600)
        elif line == "@raise":
            raise RuntimeError("toy processor asked to raise")
        elif line.startswith("org:"):
            result.identity.organization_raw = line[4:].strip()
            result.identity.organization = normalize_org(result.identity.organization_raw)
        elif line.startswith("form:"):
            result.identity.form_type = line[5:].strip()
        elif line.startswith("published:"):
            result.identity.published = line[10:].strip()
        elif line.startswith("pages:"):
            result.page_count = int(line[6:])
            result.pages = [PageInfo(i, "text", "usable") for i in range(1, result.page_count + 1)]
        elif line.startswith("F "):
            key, label, scale, opt, value = (p.strip() for p in line[2:].split("|"))
            result.fields.append(FieldValue(key, label, "selection", raw=value, value_text=value,
                                            option_no=int(opt), level=int(opt), scale=scale, evidence=ev))
        elif line.startswith("U "):
            key, label, scale, reason = (p.strip() for p in line[2:].split("|"))
            result.fields.append(FieldValue(key, label, "selection", scale=scale, status=UNDETERMINED,
                                            reason=reason, evidence=ev))
        elif line.startswith("C "):
            key, label, opts = (p.strip() for p in line[2:].split("|"))
            options = []
            for i, o in enumerate(opts.split(";"), start=1):
                name, state = o.strip().rsplit("=", 1)
                options.append(CheckOption(name, i, {"1": True, "0": False, "?": None}[state]))
            result.fields.append(FieldValue(key, label, "checkbox", options=options, status=OK, evidence=ev))
    if any(not f.ok for f in result.fields):
        result.status = PARTIAL


def toy_doc(org: str = "熊本県知事", level: int = 2, extra: str = "") -> str:
    """A toy document with two ratings (one undetermined) and one checkbox group."""
    return (f"org: {org}\nform: 全項目評価書\npublished: 2024-03-01\npages: 2\n"
            f"F III.2.R1.9 | リスクへの対策は十分か | G-JUBUN | {level} | 十分である\n"
            f"U III.3.R1.9 | リスクへの対策は十分か | G-JUBUN | two options ticked\n"
            f"F III.7.5 | ⑤物理的対策 | G-OKONAU | 1 | 特に力を入れて行っている\n"
            f"C II.3.4 | 入手元 | 本人又は本人の代理人=1; 行政機関=0; その他=?\n{extra}")


DOC_TABLES = ("documents", "fields", "ratings", "checkboxes", "pages")


def doc_tables(out: Path) -> dict[str, pa.Table]:
    """Every per-document table of an output, sorted, without the run-dependent `timings` column."""
    got = {}
    for t in DOC_TABLES:
        table = read_table(out, t)
        got[t] = table.drop_columns(["timings"]) if "timings" in table.column_names else table
    return got


def read_table(out: Path, table: str) -> pa.Table:
    """All rows of one output table (org partition column included), sorted for comparison."""
    d = out / table
    if not d.exists():
        return pa.table({})
    t = ds.dataset(d, format="parquet", partitioning="hive").to_table()
    keys = [c for c in ("doc_id", "key", "option_no", "page", "path") if c in t.column_names]
    return t.sort_by([(k, "ascending") for k in keys]) if keys else t
