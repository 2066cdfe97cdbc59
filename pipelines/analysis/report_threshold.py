"""The しきい値判断 rule of ../shared/reference/pia-forms.md §8, applied to each document's own answers.

Obligation levels: 0 = no assessment obliged, 1 = 基礎項目評価, 2 = 基礎 + 重点項目評価, 3 = 基礎 + 全項目評価.

| 対象人数 (option)          | 取扱者数 500人以上 or 重大事故あり | otherwise |
| 1 1,000人未満              | 0 | 0 |
| 2 1,000人以上1万人未満     | 1 | 1 |
| 3 1万人以上10万人未満      | 2 | 1 |
| 4 10万人以上30万人未満     | 3 | 2 |
| 5 30万人以上               | 3 | 3 |

Only the 基礎項目評価書 holds 取扱者数 and the 1-year 重大事故 answer (Ⅱ 2, Ⅱ 3). The 全項目/重点 forms hold
対象人数 (Ⅰ 1 ③) and the result (Ⅵ 1 ② / Ⅴ 1 ②) but not those two: for them both columns of the table
stay possible. Their 3-year 重大事故 item (全項目 Ⅲ 7 ⑨, 重点 Ⅲ 7 ②) has another scope (個人情報, 3 years)
and is shown for reference only, never used in the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from extract.forms.model import Role, model_for

ZEN, JUTEN, KISO = "全項目評価書", "重点項目評価書", "基礎項目評価書"

OBLIGATION_TEXT = {0: "評価の義務なし", 1: "基礎項目評価", 2: "基礎＋重点項目評価", 3: "基礎＋全項目評価"}

# band option -> (obligation when heavy, obligation otherwise)
_RULE = {1: (0, 0), 2: (1, 1), 3: (2, 1), 4: (3, 2), 5: (3, 3)}

# しきい値判断結果 option -> obligation level it states, per form's own option list (SHIKII-*)
_RESULT_LEVEL = {
    ZEN: {1: 3, 2: 2, 3: 1, 4: 0},
    JUTEN: {1: 2, 2: 1, 3: 0},
    KISO: {1: 3, 2: 2, 3: 1, 4: 0},
}
# 基礎 Ⅳ 1 提出する特定個人情報保護評価書の種類 (KISO-SHURUI) -> heaviest assessment filed
_KISO_FILED = {1: 1, 2: 2, 3: 3}
_FORM_LEVEL = {ZEN: 3, JUTEN: 2, KISO: 1}


@dataclass(frozen=True, slots=True)
class ThresholdKeys:
    band: str
    result: str
    staff: str | None = None  # 取扱者数 (基礎 only)
    accident: str | None = None  # 1-year 重大事故 (基礎 only)
    accident_3y: str | None = None  # 3-year item of 全項目/重点, reference only
    filed: str | None = None  # 基礎 Ⅳ 1


def _keys(form_type: str) -> ThresholdKeys:
    """The threshold items of a form type, looked up by their roles in the model."""
    form = model_for(form_type)

    def key(role: Role) -> str | None:
        item = form.by_role(role)
        return item.key if item is not None else None

    return ThresholdKeys(band=key(Role.TARGET_BAND), result=key(Role.THRESHOLD_RESULT), staff=key(Role.STAFF_BAND),
                         accident=key(Role.ACCIDENT_1Y), accident_3y=key(Role.ACCIDENT_3Y),
                         filed=key(Role.FILED_FORM))


KEYS = {form_type: _keys(form_type) for form_type in (ZEN, JUTEN, KISO)}

CONSISTENT, INCONSISTENT, NOT_CHECKED = "consistent", "inconsistent", "not checked"


@dataclass(slots=True)
class Answer:
    """One threshold answer of a document: option number (None when not read) and what to show."""

    option_no: int | None
    text: str


@dataclass(slots=True)
class ThresholdCheck:
    doc_id: str
    form_type: str
    band: Answer
    staff: Answer
    accident: Answer
    result: Answer
    filed: Answer
    status: str
    reasons: list[str] = field(default_factory=list)
    expected: str = ""  # the obligation(s) the answers allow


def possible_obligations(band: int, staff: int | None, accident: int | None, form_type: str) -> set[int]:
    """Obligation levels compatible with the answers (both columns when 取扱者数/重大事故 are unknown)."""
    heavy_yes, heavy_no = _RULE[band]
    if form_type != KISO or staff is None or accident is None:
        # a 基礎 form with one of them unread: "heavy" is still known when the read one says so
        if form_type == KISO and (staff == 1 or accident == 1):
            return {heavy_yes}
        return {heavy_yes, heavy_no}
    heavy = staff == 1 or accident == 1  # BAND-TORIATSUKAI 1 = 500人以上, B-HASSEI 1 = 発生あり
    return {heavy_yes if heavy else heavy_no}


def _answer(rows: pd.DataFrame, key: str | None, not_in_form: str = "— (この様式にない)") -> Answer:
    if key is None:
        return Answer(None, not_in_form)
    sel = rows[rows["key"] == key]
    if sel.empty:
        return Answer(None, "not found")
    ok = sel[(sel["status"] == "ok") & sel["option_no"].notna()]
    if ok.empty:
        reasons = sorted({str(r) for r in sel["reason"].dropna()})
        return Answer(None, "undetermined" + (f" ({'; '.join(reasons)})" if reasons else ""))
    options = sorted({int(o) for o in ok["option_no"]})
    if len(options) > 1:  # per-file copies that disagree
        return Answer(None, "differs between files: " + " / ".join(sorted(set(ok["value_text"].dropna()))))
    return Answer(options[0], str(ok["value_text"].dropna().iloc[0]) if ok["value_text"].notna().any() else "")


def check_document(doc_id: str, form_type: str, fields: pd.DataFrame) -> ThresholdCheck:
    """Apply §8 to one document; `fields` holds that document's rows of the fields table."""
    keys = KEYS.get(form_type)
    if keys is None:
        na = Answer(None, "—")
        return ThresholdCheck(doc_id, form_type, na, na, na, na, na, NOT_CHECKED,
                              [f"no threshold items in a {form_type} document"])
    band = _answer(fields, keys.band)
    staff = _answer(fields, keys.staff)
    accident = _answer(fields, keys.accident)
    if keys.accident_3y:
        a3 = _answer(fields, keys.accident_3y)
        accident = Answer(None, f"参考: 過去3年・個人情報 {a3.text}" if a3.option_no else "— (この様式にない)")
    result = _answer(fields, keys.result)
    filed = _answer(fields, keys.filed, not_in_form=form_type)
    chk = ThresholdCheck(doc_id, form_type, band, staff, accident, result, filed, NOT_CHECKED)

    if band.option_no is None or band.option_no not in _RULE:
        chk.reasons.append(f"対象人数 not read: {band.text}")
        return chk
    possible = possible_obligations(band.option_no, staff.option_no, accident.option_no, form_type)
    chk.expected = " or ".join(OBLIGATION_TEXT[p] for p in sorted(possible))
    answers = f"対象人数 {band.text}"
    if form_type == KISO:
        answers += f", 取扱者数 {staff.text}, 重大事故 {accident.text}"

    stated = _RESULT_LEVEL[form_type].get(result.option_no) if result.option_no else None
    if stated is None:
        chk.reasons.append(f"しきい値判断結果 not read: {result.text}")
    elif stated not in possible:
        chk.reasons.append(f"しきい値判断結果 「{result.text}」 ({OBLIGATION_TEXT[stated]}) does not follow from "
                           f"{answers}: expected {chk.expected}")
    least = min(possible)
    if form_type == KISO:
        filed_level = _KISO_FILED.get(filed.option_no) if filed.option_no else None
        if filed_level is not None and filed_level < least:
            chk.reasons.append(f"提出する評価書の種類 「{filed.text}」 is lighter than the obligation from {answers}: "
                               f"{OBLIGATION_TEXT[least]}")
        if filed_level is not None and stated is not None and filed_level < stated:
            chk.reasons.append(f"提出する評価書の種類 「{filed.text}」 is lighter than the stated しきい値判断結果 "
                               f"({OBLIGATION_TEXT[stated]})")
    elif _FORM_LEVEL[form_type] < least:
        chk.reasons.append(f"a {form_type} was filed, but {answers} oblige {OBLIGATION_TEXT[least]}")

    if chk.reasons and any("not read" not in r for r in chk.reasons):
        chk.status = INCONSISTENT
    elif not chk.reasons:
        chk.status = CONSISTENT
    return chk


def check_all(documents: pd.DataFrame, fields: pd.DataFrame) -> list[ThresholdCheck]:
    by_doc = {d: g for d, g in fields.groupby("doc_id", sort=False)}
    empty = fields.iloc[0:0]
    return [check_document(r.doc_id, r.form_type, by_doc.get(r.doc_id, empty))
            for r in documents.itertuples(index=False)]
