"""The report's tables, computed from the Parquet output only (documents, fields, ratings).

A graded cell is a level (1 = strongest), UNDETERMINED (the rating could not be read) or NOT_APPLICABLE
(the section flag 委託しない etc. is ticked, or the option means "not applicable"): never a guessed level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from extract.forms.model import FORMS, OPTION_LISTS, Role, iter_items, model_for

UNDETERMINED, NOT_APPLICABLE, ABSENT = "undetermined", "n/a", ""
ZEN, JUTEN, KISO = "全項目評価書", "重点項目評価書", "基礎項目評価書"
FORM_SHORT = {ZEN: "全項目", JUTEN: "重点", KISO: "基礎", "public-comment": "意見募集", "unknown": "不明"}
GRADED = [s for s in ("G-JUBUN", "G-OKONAU", "G-SAIITAKU", "G-JUNSHU", "G-SEIBI", "G-SHUCHI") if s in OPTION_LISTS]

# pia-forms.md §7.4: the canonical risks that align the three forms (their keys come from the model's roles).
CANONICAL_ROLES: dict[str, Role] = {
    "C1 入手: 目的外の入手": Role.RISK_C1, "C2 使用: 目的を超えた紐付け": Role.RISK_C2,
    "C3 使用: 権限のない者": Role.RISK_C3, "C4 委託": Role.RISK_C4, "C5 提供・移転": Role.RISK_C5,
    "C6 NWS 入手": Role.RISK_C6, "C7 NWS 提供": Role.RISK_C7, "C8 保管: 漏えい・滅失・毀損": Role.RISK_C8,
    "教育・啓発": Role.EDUCATION,
}
CANONICAL: dict[str, dict[str, str]] = {
    name: {form: model_for(form).by_role(role).key for form in (ZEN, JUTEN, KISO)}
    for name, role in CANONICAL_ROLES.items()
}


class MissingTables(RuntimeError):
    pass


@dataclass(slots=True)
class Tables:
    documents: pd.DataFrame
    fields: pd.DataFrame
    ratings: pd.DataFrame


def load_tables(parsed: Path | str) -> Tables:
    """Read documents, fields and ratings (pandas, hive partitions) from an extract output directory."""
    parsed = Path(parsed)
    if not (parsed / "documents").is_dir():
        raise MissingTables(f"{parsed}: no documents table; run `python -m pipelines extract … --out {parsed}` first")
    docs = pd.read_parquet(parsed / "documents")
    out = {}
    for name in ("fields", "ratings"):
        if (parsed / name).is_dir():
            out[name] = pd.read_parquet(parsed / name)
        else:
            out[name] = pd.DataFrame(columns=["doc_id", "key", "file_no", "status", "level", "reason", "scale"])
    for df in (docs, *out.values()):
        if "org" in df.columns:
            df["org"] = df["org"].astype(str)
    if "prefecture" not in docs.columns:  # tables written before the column existed
        docs["prefecture"] = None
    docs = docs.sort_values(["org_code", "organization", "form_type", "affair", "doc_id"], na_position="last")
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
    return f"{org} · {FORM_SHORT.get(row.form_type, row.form_type)} · {affair} ({src})"


def is_not_applicable(status, level, reason) -> bool:
    if status == "ok":
        return pd.isna(level)
    return isinstance(reason, str) and reason.startswith("not-applicable")


def rating_states(r: pd.DataFrame) -> pd.Series:
    """Per rating row: "1".."4", NOT_APPLICABLE or UNDETERMINED."""
    reason = r["reason"].astype("string").fillna("")
    ok = r["status"] == "ok"
    na = (ok & r["level"].isna()) | (~ok & reason.str.startswith("not-applicable"))
    levels = r["level"].astype("Int64").astype("string")
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
    """One row per document with a graded form, one column per canonical risk (§7.4)."""
    states = _states_by(t, ["doc_id", "key"])
    rows = []
    for d in t.documents.itertuples(index=False):
        if d.form_type not in (ZEN, JUTEN, KISO):
            continue
        row = {"doc_id": d.doc_id, "label": doc_label(d), "organization": d.organization,
               "org_code": d.org_code, "prefecture": d.prefecture, "form_type": d.form_type, "affair": d.affair}
        for name, keys in CANONICAL.items():
            row[name] = cell_state(states.get((d.doc_id, keys[d.form_type]), []))
        rows.append(row)
    return pd.DataFrame(rows)


def item_columns(form_type: str, present: set[str]) -> list[tuple[str, str]]:
    """(key, short column label) of the graded items of a form, in form order, present in the data."""
    out = []
    for it in iter_items(FORMS[form_type]):
        if it.options in GRADED and it.key in present:
            out.append((it.key, short_label(it.key, it.label)))
    return out


def short_label(key: str, label: str) -> str:
    parts = key.split(".")
    numerals = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
    risk = next((p for p in parts if p.startswith("R") and p[1:].isdigit()), None)
    head = numerals.get(parts[0], parts[0]) + parts[1] + (f" R{risk[1:]}" if risk else "")
    text = label.replace("リスクへの対策は十分か", "").replace("が行われる", "").replace("【再掲】", "(再掲)")
    if key.endswith(".rating") or not text:
        return head
    if len(text) > 11:
        text = text[:10] + "…"
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
        })
    return pd.DataFrame(rows)
