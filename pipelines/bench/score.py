"""Field-level precision and recall of parser output against an answer key (tests/fixtures/pdf/*.key.json).

Units scored: one per selection, flag, count, date/period, identity field, and one per checkbox option.
A unit is *correct* when the parser gave the key's value with status ok; *wrong* when it gave another
value (or a value where the key says undetermined); *missed* when it left an expected value undetermined.
precision = correct / (correct + wrong), recall = correct / expected values.
Predicted ok values of scored kinds for keys absent from the answer key count as wrong: an invented value.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extract.core.fields import FieldValue
from extract.core.result import DocumentResult

SCORED = ("selection", "checkbox", "flag", "count", "date", "period", "dates")
IDENTITY_FIELDS = ("organization_raw", "organization", "affair", "title", "assessment_no", "published")


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    missed: int = 0
    expected: int = 0
    undetermined_ok: int = 0  # key says undetermined and the parser agreed
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.wrong += other.wrong
        self.missed += other.missed
        self.expected += other.expected
        self.undetermined_ok += other.undetermined_ok
        self.errors.extend(other.errors)

    @property
    def precision(self) -> float:
        d = self.correct + self.wrong
        return self.correct / d if d else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def load_key(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _index(fields: list[FieldValue]) -> dict[tuple, FieldValue]:
    out: dict[tuple, FieldValue] = {}
    for f in fields:
        out.setdefault((f.key, f.file_no, f.group_no), f)
    return out


def _unit(t: Tally, kind_tallies: dict[str, Tally], kind: str, ok: bool | None, where: str, detail: str) -> None:
    """ok True = correct, False = wrong, None = missed."""
    k = kind_tallies[kind]
    for tally in (t, k):
        tally.expected += 1
        if ok is True:
            tally.correct += 1
        elif ok is False:
            tally.wrong += 1
        else:
            tally.missed += 1
    if ok is not True:
        t.errors.append(f"{where}: {'WRONG' if ok is False else 'missed'} {detail}")


def score_document(result: DocumentResult, key: dict) -> dict[str, Tally]:
    """Tallies per kind ('selection', 'checkbox', …, 'identity') and 'all' for one document."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    pred = _index(result.fields)
    seen: set[tuple] = set()
    src = Path(result.source).name
    for exp in key["fields"]:
        kind = exp["kind"]
        if kind not in SCORED:
            continue
        k = (exp["key"], exp.get("file_no"), exp.get("group_no"))
        seen.add(k)
        if exp.get("count") is not None:
            seen.add((exp["key"] + ".count", exp.get("file_no"), exp.get("group_no")))
        if kind in ("date", "period", "dates") and not any(
                exp.get(n) for n in ("value_date", "value_date_end", "value_dates")):
            exp = {**exp, "status": "undetermined"}  # a blank date: the document does not say
        where = f"{src} {k}"
        p = pred.get(k)
        if exp.get("status") == "undetermined":
            if p is not None and p.ok:
                total.wrong += 1
                tallies[kind].wrong += 1
                total.errors.append(f"{where}: WRONG value {p.value_text!r} where the key is undetermined")
            else:
                total.undetermined_ok += 1
                tallies[kind].undetermined_ok += 1
            continue
        if kind == "checkbox":
            states = {lbl: True for lbl in exp.get("checked", [])} | {lbl: False for lbl in exp.get("unchecked", [])}
            got = {o.label: o.checked for o in (p.options if p else [])}
            for lbl, want in states.items():
                have = got.get(lbl) if p is not None else None
                ok = None if have is None else (have == want)
                _unit(total, tallies, kind, ok, where, f"{lbl}: want {want} got {have}")
            for n, (lbl, want) in enumerate((exp.get("counts") or {}).items()):
                c = next((f for f in result.fields if f.key.startswith(exp["key"] + ".count")
                          and f.label == lbl + " 件数" and f.file_no == exp.get("file_no")), None)
                have = c.value_int if c is not None and c.ok else None
                seen.add((c.key if c else f"{exp['key']}.count?{n}", exp.get("file_no"), exp.get("group_no")))
                _unit(total, tallies, "count", None if have is None else have == want, where,
                      f"{lbl} count want {want} got {have}")
            if exp.get("other_text") and p is not None:
                other = next((o.text for o in p.options if o.label == "その他"), None)
                _unit(total, tallies, "checkbox-text", None if other is None else other == exp["other_text"],
                      where, f"その他 text want {exp['other_text']!r} got {other!r}")
            continue
        if kind == "flag":
            have = None
            if p is not None and p.ok:
                have = bool(p.options and p.options[0].checked)
            _unit(total, tallies, kind, None if have is None else have == exp["checked"], where,
                  f"flag want {exp['checked']} got {have}")
            continue
        if p is None or not p.ok:
            _unit(total, tallies, kind, None, where, f"want {_want(exp)} ({p.reason if p else 'no field'})")
        else:
            ok, got = _compare(exp, p)
            _unit(total, tallies, kind, ok, where, f"want {_want(exp)} got {got}")
        if exp.get("count") is not None:
            c = pred.get((exp["key"] + ".count", exp.get("file_no"), exp.get("group_no")))
            have = c.value_int if c is not None and c.ok else None
            _unit(total, tallies, "count", None if have is None else have == exp["count"], where,
                  f"count want {exp['count']} got {have}")
    # invented values: scored kinds the key does not list
    for k, p in pred.items():
        if p.ok and p.kind in SCORED and k not in seen and not p.key.startswith(("changes.", "cover.")):
            total.wrong += 1
            tallies[p.kind].wrong += 1
            total.errors.append(f"{src} {k}: WRONG value {p.value_text or p.value_date!r} not in the key")
    ident = key.get("identity", {})
    got_ident = result.identity
    for name in IDENTITY_FIELDS:
        if name in ident and ident[name] is not None:
            have = getattr(got_ident, name)
            _unit(total, tallies, "identity", None if have is None else _norm(have) == _norm(ident[name]),
                  src, f"identity {name} want {ident[name]!r} got {have!r}")
    if "file_names" in ident:
        have, want = list(got_ident.file_names), ident["file_names"]
        # a list with an unread name (None) is missed, unless the names it does give are wrong
        known_ok = len(have) == len(want) and all(h is None or h == w for h, w in zip(have, want))
        ok = None if not have or (None in have and known_ok) else have == want
        _unit(total, tallies, "identity", ok, src, f"file_names want {want} got {have}")
    _unit(total, tallies, "identity", got_ident.form_type == key["form_type"], src,
          f"form_type want {key['form_type']} got {got_ident.form_type}")
    tallies["all"] = total
    tallies["text"] = score_texts(result, key)
    return tallies


def fold_text(v: str) -> str:
    """Exact comparison up to NFKC and whitespace: a value that carries its label or a ※ differs."""
    return "".join(unicodedata.normalize("NFKC", v).split())


def score_texts(result: DocumentResult, key: dict) -> Tally:
    """Text items of the key (names, file names, departments, group names), compared exactly after
    fold_text. Kept apart from "all": the earlier keys list only some of a document's text items."""
    t = Tally()
    pred = _index(result.fields)
    src = Path(result.source).name
    for exp in key["fields"]:
        if exp["kind"] != "text" or exp["key"].startswith("changes."):
            continue
        k = (exp["key"], exp.get("file_no"), exp.get("group_no"))
        p = pred.get(k)
        if exp.get("status") == "undetermined" or exp.get("value_text") is None:
            if p is not None and p.ok:
                t.wrong += 1
                t.errors.append(f"{src} {k}: WRONG text {p.value_text!r} where the key is undetermined")
            else:
                t.undetermined_ok += 1
            continue
        t.expected += 1
        if p is None or not p.ok or p.value_text is None:
            t.missed += 1
            t.errors.append(f"{src} {k}: missed text {exp['value_text']!r} ({p.reason if p else 'no field'})")
        elif fold_text(p.value_text) == fold_text(exp["value_text"]):
            t.correct += 1
        else:
            t.wrong += 1
            t.errors.append(f"{src} {k}: WRONG text want {exp['value_text']!r} got {p.value_text!r}")
    return t


def _norm(v) -> str:
    return "".join(str(v).split()).replace("\u3000", "")


def _want(exp: dict) -> str:
    for name in ("value_text", "value_date", "value_dates", "value_int", "count"):
        if exp.get(name) is not None:
            return repr(exp[name])
    return "?"


def _compare(exp: dict, p: FieldValue) -> tuple[bool, str]:
    kind = exp["kind"]
    if kind == "selection":
        ok = p.value_text == exp["value_text"] and (exp.get("option_no") in (None, p.option_no))
        return ok, repr(p.value_text)
    if kind == "count":
        return p.value_int == exp.get("value_int"), repr(p.value_int)
    if kind == "dates" and "value_dates" in exp:
        got = p.value_text.split("、") if p.value_text else []
        return got == exp["value_dates"], repr(got)
    if kind in ("date", "period", "dates"):
        ok = p.value_date == exp.get("value_date")
        if exp.get("value_date_end") is not None:
            ok = ok and p.value_date_end == exp["value_date_end"]
        return ok, f"{p.value_date}..{p.value_date_end}"
    return p.value_text == exp.get("value_text"), repr(p.value_text)


def summarize(per_doc: list[tuple[str, dict[str, Tally]]]) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Totals per kind and per form type."""
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_form: dict[str, Tally] = defaultdict(Tally)
    for form, tallies in per_doc:
        for kind, t in tallies.items():
            if kind == "all":
                by_form[form].add(t)
            else:
                by_kind[kind].add(t)
    return by_kind, by_form


def error_classes(per_doc: list[tuple[str, dict[str, Tally]]]) -> Counter:
    c: Counter = Counter()
    for _, tallies in per_doc:
        for e in tallies["all"].errors:
            c[e.split(": ", 1)[1].split(" ", 1)[0]] += 1
    return c
