"""The report's tables, computed from the Parquet output only (documents, fields, ratings).

A graded cell is a level (1 = strongest), UNDETERMINED (the rating could not be read) or NOT_APPLICABLE
(the section flag 委託しない etc. is ticked, or the option means "not applicable"): never a guessed level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from extract.forms.model import CANONICAL_RISKS, FORMS, OPTION_LISTS, iter_items, model_for
from pipelines.load import LATEST, TableMissing, load, mark_editions
from pipelines.schema import SCHEMA_VERSION, SCHEMA_VERSION_KEY, canonical_risks
from pipelines.write import LayoutError, check_layout

UNDETERMINED, NOT_APPLICABLE, ABSENT = "undetermined", "n/a", ""
ZEN, JUTEN, KISO = "全項目評価書", "重点項目評価書", "基礎項目評価書"
FORM_SHORT = {ZEN: "全項目", JUTEN: "重点", KISO: "基礎", "public-comment": "意見募集", "unknown": "不明"}
GRADED = [s for s in ("G-JUBUN", "G-OKONAU", "G-SAIITAKU", "G-JUNSHU", "G-SEIBI", "G-SHUCHI") if s in OPTION_LISTS]

# The canonical risks that align the three forms (docs/canonical-risks.md): codes and labels are model data
# (extract/forms/model.py CANONICAL_RISKS), the keys per form come from the model's roles.
CANONICAL_CODES: dict[str, str] = {
    (label if not code.startswith("C") else f"{code} {label}"): code for code, label in CANONICAL_RISKS.values()
}
CANONICAL: dict[str, dict[str, str]] = {
    name: {form: model_for(form).by_role(role).key for form in (ZEN, JUTEN, KISO)}
    for name, role in zip(CANONICAL_CODES, CANONICAL_RISKS)
}


class MissingTables(RuntimeError):
    pass


@dataclass(slots=True)
class Tables:
    """All documents (with `edition_status`, `latest_doc_id`), and their fields and ratings; `latest`
    is the view the comparison uses: the latest edition of each assessment, one copy of it."""

    documents: pd.DataFrame
    fields: pd.DataFrame
    ratings: pd.DataFrame

    @property
    def latest(self) -> Tables:
        keep = set(self.documents.loc[self.documents["edition_status"] == LATEST, "doc_id"])
        return Tables(self.documents[self.documents["doc_id"].isin(keep)].reset_index(drop=True),
                      self.fields[self.fields["doc_id"].isin(keep)], self.ratings[self.ratings["doc_id"].isin(keep)])


def _check_version(parsed: Path) -> None:
    try:
        check_layout(parsed)
    except LayoutError as exc:
        raise MissingTables(str(exc)) from None
    first = next((parsed / "documents").rglob("*.parquet"), None)
    version = (pq.read_schema(first).metadata or {}).get(SCHEMA_VERSION_KEY) if first else SCHEMA_VERSION.encode()
    if version != SCHEMA_VERSION.encode():
        found = version.decode() if version else "none (before versions)"
        raise MissingTables(f"{parsed}: tables written with schema version {found}, this version reads "
                            f"{SCHEMA_VERSION}; rerun `python -m pipelines extract … --out {parsed} --force`")


def load_tables(parsed: Path | str) -> Tables:
    """Read documents, fields and ratings (typed, pipelines.load) from an extract output directory."""
    parsed = Path(parsed)
    if not (parsed / "documents").is_dir():
        raise MissingTables(f"{parsed}: no documents table; run `python -m pipelines extract … --out {parsed}` first")
    _check_version(parsed)
    docs = load("documents", parsed)
    out = {}
    for name in ("fields", "ratings"):
        try:
            out[name] = load(name, parsed)
        except TableMissing:
            out[name] = pd.DataFrame(columns=["doc_id", "key", "file_no", "status", "grade_level", "reason", "scale",
                                              "canonical_risk", "method", "confidence", "ocr_check"])
    docs = mark_editions(docs)
    docs = docs.sort_values(["org_code", "organization", "form_type", "affair", "published", "doc_id"],
                            na_position="last")
    return Tables(docs.reset_index(drop=True), out["fields"], out["ratings"])


def doc_label(row) -> str:
    org = row.organization if isinstance(row.organization, str) else "(機関不明)"
    affair = row.affair if isinstance(row.affair, str) else ""
    affair = affair.replace("に関する事務", "").replace("に係る", "")
    if len(affair) > 14:
        affair = affair[:13] + "…"
    # the source file tells apart two documents of one organization, form and affair (editions, PDF vs scan)
    src = Path(str(row.source_path)).name
    if len(src) > 18:
        src = src[:17] + "…"
    syn = getattr(row, "synthetic", False)
    mark = " [synthetic]" if pd.notna(syn) and bool(syn) else ""
    return f"{org} · {FORM_SHORT.get(row.form_type, row.form_type)} · {affair} ({src}){mark}"


def is_not_applicable(status, level, reason) -> bool:
    if status == "ok":
        return pd.isna(level)
    return isinstance(reason, str) and reason.startswith("not-applicable")


def rating_states(r: pd.DataFrame) -> pd.Series:
    """Per rating row: "1".."4", NOT_APPLICABLE or UNDETERMINED."""
    reason = r["reason"].astype("string").fillna("")
    ok = r["status"] == "ok"
    na = (ok & r["grade_level"].isna()) | (~ok & reason.str.startswith("not-applicable"))
    levels = r["grade_level"].astype("Int64").astype("string")
    return pd.Series(
        [NOT_APPLICABLE if n else (lv if o else UNDETERMINED) for n, o, lv in zip(na, ok, levels)],
        index=r.index, dtype=object)


def cell_state(states) -> str | int:
    """Aggregate the per-file states of one item of one document.

    Worst (highest) level over the files where the item applies; undetermined as soon as one applicable
    file could not be read; n/a when it applies to none; absent when there are no rows.
    """
    states = list(states)
    if not states:
        return ABSENT
    if UNDETERMINED in states:
        return UNDETERMINED
    levels = [int(s) for s in states if s != NOT_APPLICABLE]
    return max(levels) if levels else NOT_APPLICABLE


def _states_by(t: Tables, cols: list[str]) -> dict:
    r = t.ratings
    if r.empty:
        return {}
    r = r.assign(state=rating_states(r), file_no=r["file_no"].astype("Int64"))
    return {k: list(g["state"]) for k, g in r.groupby(cols, dropna=False, sort=False)}


def canonical_matrix(t: Tables) -> pd.DataFrame:
    """One row per document with a graded form, one column per canonical risk (`ratings.canonical_risk`)."""
    states = _states_by(t, ["doc_id", "canonical_risk"])
    rows = []
    for d in t.documents.itertuples(index=False):
        if d.form_type not in (ZEN, JUTEN, KISO):
            continue
        row = {"doc_id": d.doc_id, "label": doc_label(d), "organization": d.organization,
               "org_code": d.org_code, "prefecture": d.prefecture, "form_type": d.form_type, "affair": d.affair,
               "published": d.published, "synthetic": d.synthetic}
        for name, code in CANONICAL_CODES.items():
            row[name] = cell_state(states.get((d.doc_id, code), []))
        rows.append(row)
    return pd.DataFrame(rows)


def canonical_key_table() -> list[tuple[str, str, dict[str, str]]]:
    """(code, name, {form type: item key}) for each canonical risk: the mapping shown in the report."""
    keys = {ft: {c: k for k, c in canonical_risks(ft).items()} for ft in (ZEN, JUTEN, KISO)}
    return [(code, name, {ft: keys[ft].get(code, "") for ft in (ZEN, JUTEN, KISO)})
            for name, code in CANONICAL_CODES.items()]


def item_columns(form_type: str, present: set[str]) -> list[tuple[str, str]]:
    """(key, short column label) of the graded items of a form, in form order, present in the data."""
    out = []
    for it in iter_items(FORMS[form_type]):
        if it.options in GRADED and it.key in present:
            out.append((it.key, short_label(it.key, it.label, form_type)))
    return out


def _risk_titles(form_type: str) -> dict[str, str]:
    """Item key -> title of the risk (リスク1: 目的外の入手が行われるリスク) or section that holds it."""
    out: dict[str, str] = {}

    def walk(sec, title: str) -> None:
        t = sec.title if sec.level in ("risk", "section") and sec.title else title
        for it in sec.items:
            out[it.key] = t
        for child in sec.children:
            walk(child, t)

    for part in FORMS[form_type].parts:
        walk(part, part.title)
    return out


def short_label(key: str, label: str, form_type: str | None = None) -> str:
    """Column label of a graded item: its place (Ⅲ2 R1) and its name (the risk's title for the rating)."""
    parts = key.split(".")
    numerals = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
    risk = next((p for p in parts if p.startswith("R") and p[1:].isdigit()), None)
    head = numerals.get(parts[0], parts[0]) + parts[1] + (f" R{risk[1:]}" if risk else "")
    text = label.replace("リスクへの対策は十分か", "").replace("【再掲】", "(再掲)")
    if (key.endswith(".rating") or not text) and form_type in FORMS:
        text = _risk_titles(form_type).get(key, "")
    text = text.replace("が行われるリスク", "").replace("リスク", "").replace("が行われる", "").strip()
    if not text:
        return head
    if len(text) > 16:
        text = text[:15] + "…"
    return f"{head} {text}"


def detail_matrix(t: Tables, form_type: str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Rows document × file, columns every graded item of one form type."""
    docs = t.documents[t.documents["form_type"] == form_type]
    r = t.ratings[t.ratings["doc_id"].isin(docs["doc_id"])]
    cols = item_columns(form_type, set(r["key"]))
    states = _states_by(t, ["doc_id", "file_no", "key"])
    files_of = {d: sorted({int(f) for f in g["file_no"].dropna()}) for d, g in r.groupby("doc_id")}
    rows = []
    for d in docs.itertuples(index=False):
        files = files_of.get(d.doc_id) or [None]
        for f in files:
            label = doc_label(d) + (f" · file {f}" if f is not None and len(files) > 1 else "")
            row = {"doc_id": d.doc_id, "file_no": f, "label": label, "organization": d.organization}
            for key, _ in cols:
                # once-per-document items (Ⅳ of 全項目) have no file number: shown on every file row
                row[key] = cell_state(states.get((d.doc_id, f, key), states.get((d.doc_id, pd.NA, key), [])))
            rows.append(row)
    return pd.DataFrame(rows), cols


def scale_distribution(t: Tables, by: str) -> pd.DataFrame:
    """Counts of rating cells per (scale, group, state) where state is '1', '2', '3', 'n/a', 'undetermined'."""
    r = t.ratings.merge(t.documents[["doc_id", "form_type"]].rename(columns={"form_type": "doc_form"}),
                        on="doc_id", how="left")
    states = rating_states(r)
    r = r.assign(state=states)
    group = r["organization"].fillna("(機関不明)") if by == "organization" else r["doc_form"].map(
        lambda f: FORM_SHORT.get(f, f))
    r = r.assign(group=group)
    return r.groupby(["scale", "group", "state"]).size().rename("n").reset_index()


def reason_class(reason) -> str:
    if not isinstance(reason, str) or not reason:
        return "(no reason)"
    return reason.split(":", 1)[0].strip()


def _ocr_counts(g: pd.DataFrame) -> dict[str, int]:
    """OCR'd fields of one document: accepted ones by `ocr_check`, and those left undetermined."""
    ocr = g[g["method"] == "ocr"] if "method" in g else g.iloc[0:0]
    check = ocr["ocr_check"] if "ocr_check" in ocr else pd.Series(dtype="string")
    return {"ocr_values": len(ocr), "ocr_options": int((check == "options").sum()),
            "ocr_second": int((check == "second-reading").sum()), "ocr_single": int((check == "single-reading").sum()),
            "ocr_undetermined": int((ocr["status"] != "ok").sum())}


def document_quality(t: Tables) -> pd.DataFrame:
    """Per document: fields read / undetermined, main undetermined reasons, input kind, methods, confidence."""
    f = t.fields
    rows = []
    by_doc = {d: g for d, g in f.groupby("doc_id", sort=False)}
    for d in t.documents.itertuples(index=False):
        g = by_doc.get(d.doc_id, f.iloc[0:0])
        und = g[g["status"] != "ok"]
        reasons = und["reason"].map(reason_class).value_counts()
        conf = g["confidence"].dropna() if "confidence" in g else pd.Series(dtype=float)
        rows.append({
            "doc_id": d.doc_id, "organization": d.organization, "org_code": d.org_code,
            "prefecture": d.prefecture, "form_type": d.form_type, "affair": d.affair,
            "source": Path(str(d.source_path)).name, "input_kind": d.input_kind,
            "methods": ", ".join(list(d.methods)) if d.methods is not None else "",
            "fields_read": int(d.fields_read), "fields_undetermined": int(d.fields_undetermined),
            "main_reasons": ", ".join(f"{k} ×{v}" for k, v in reasons.head(3).items()),
            "mean_confidence": round(float(conf.mean()), 3) if len(conf) else None,
            **_ocr_counts(g),
        })
    return pd.DataFrame(rows)
