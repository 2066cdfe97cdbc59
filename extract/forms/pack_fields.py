"""The notice's own fields in a public-comment pack: 公表方法, 公表する内容, 意見の募集方法, and who to ask /
where comments go (問い合わせ先, 意見の提出先: department, phone, fax, e-mail, address).

Rules (a value is read only where the pack prints it; otherwise undetermined "not-found"):
- a row field: the label cell (an item's label or alias in the model) and the cells after it on the same
  row; a label standing alone on its line takes the lines after it up to the next label or heading
  (at most `_MAX_LINES`). A label followed by numbered rows (①, ②, … in the first cell) takes the second
  cell of each row (意見提出の5つの方法: 電子メールで, 郵送・持参で …), the particle で dropped.
- a contact block: the lines after an 問い合わせ先 heading while they hold contact words (課, 電話, 〒, @ …),
  or, for 意見の提出先, the cells after the methods in the numbered rows. From the block: e-mail addresses,
  fax numbers (after FAX / ファクス …), phone numbers (any other 0-0000 / 00-000-0000 shape, never a postal
  code), the address (〒 and the next word), the department (words ending in 課 / 係 / 室, the pack's own
  body name cut off; several must be one name or suffixes of the longest). Two different values: conflict.
Provenance is the line of the cell each value comes from.
"""

from __future__ import annotations

import regex

from extract.core.fields import UNDETERMINED, Evidence, FieldValue
from extract.core.segments import Segment
from extract.forms.model import PACK_ITEMS
from extract.forms.wording import (
    CONTACT_FAX_WORDS,
    CONTACT_WORDS,
    DEPARTMENT_ENDINGS,
    INQUIRY_HEADINGS,
    SUBMISSION_HEADINGS,
)
from normalize.text import fold_label

Part = tuple[Segment, str]  # a segment and its normalized text

ROW_KEYS = ("pack.publication_method", "pack.published_content", "pack.comment_methods")
CONTACT_PARTS = ("department", "phone", "fax", "email", "address")
_MAX_LINES = 3
_NUMBERED = regex.compile(r"^(?:[①-⑳]|\d{1,2}[.．)）]?)$")
_EMAIL = regex.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBER = r"(?<![\d〒-])(\(?0?\d{1,4}\)?-?\d{1,4}-\d{4})(?![\d-])"
_FAX = regex.compile(r"(?:" + "|".join(map(regex.escape, CONTACT_FAX_WORDS)) + r")\s*[:：]?\s*" + _NUMBER)
_PHONE = regex.compile(_NUMBER)
_POSTAL = regex.compile(r"〒\s*\d{3}-\d{4}\s*[^\s(（]+")
_DEPT = regex.compile(r"[\p{Han}\p{Katakana}ー々]+?(?:" + "|".join(DEPARTMENT_ENDINGS) + r")(?![\p{Han}長])")
_PARTICLE = regex.compile(r"で$")


def _fv(key: str, **kw) -> FieldValue:
    item = PACK_ITEMS[key]
    return FieldValue(key=key, label=item.label, kind=item.kind, section_path="public-comment pack", **kw)


def _ev(seg: Segment, src: str) -> Evidence:
    return Evidence(src, seg.page, seg.bbox, seg.line, seg.method, seg.confidence)


def _missing(key: str, reason: str) -> FieldValue:
    fv = _fv(key)
    fv.status, fv.reason = UNDETERMINED, reason
    return fv


def _labels(key: str) -> tuple[str, ...]:
    it = PACK_ITEMS[key]
    return tuple(fold_label(x) for x in (it.label, *it.aliases))


_ALL_LABELS = frozenset(lab for k in ROW_KEYS for lab in _labels(k)) | frozenset(
    fold_label(h) for h in (*INQUIRY_HEADINGS, *SUBMISSION_HEADINGS))


def _numbered_rows(parts: list[Part], i: int) -> list[list[Part]]:
    """The rows right after index i whose first cell is ①, ②, … (or 1, 2, …), each as its cells."""
    rows: list[list[Part]] = []
    j = i + 1
    while j < len(parts) and parts[j][0].row is not None and _NUMBERED.match(parts[j][1].strip()):
        row_no = parts[j][0].row
        cells = []
        while j < len(parts) and parts[j][0].row == row_no:
            cells.append(parts[j])
            j += 1
        rows.append(cells)
    return rows


def _row_field(key: str, parts: list[Part], src: str) -> tuple[FieldValue, list[list[Part]]]:
    """One row field, and the numbered rows it took its value from (for the contact block)."""
    labels = _labels(key)
    for i, (seg, norm) in enumerate(parts):
        if fold_label(norm) not in labels:
            continue
        same_row = [p for p in parts[i + 1:i + 6] if seg.row is not None and p[0].row == seg.row]
        if same_row:
            value = " ".join(n.strip() for _, n in same_row)
            return _fv(key, raw=value, value_text=value, evidence=_ev(same_row[0][0], src)), []
        rows = _numbered_rows(parts, i)
        if rows and all(len(r) >= 2 for r in rows):
            methods = [_PARTICLE.sub("", r[1][1].strip()) for r in rows]
            fv = _fv(key, raw=" | ".join(r[1][1] for r in rows), value_text="、".join(methods),
                     evidence=_ev(rows[0][1][0], src))
            fv.reason = f"the second cell of {len(rows)} numbered rows (l.{rows[0][1][0].line}-{rows[-1][1][0].line})"
            return fv, rows
        lines = []
        for seg2, norm2 in parts[i + 1:i + 1 + _MAX_LINES]:
            if fold_label(norm2) in _ALL_LABELS or seg2.row is not None:
                break
            lines.append((seg2, norm2.strip()))
        if lines:
            value = "".join(n for _, n in lines)
            return _fv(key, raw="\n".join(n for _, n in lines), value_text=value, evidence=_ev(lines[0][0], src)), []
        return _missing(key, f"empty: nothing follows 「{norm.strip()}」 (l.{seg.line})"), []
    return _missing(key, f"not-found: the pack prints no 「{PACK_ITEMS[key].label}」"), []


def _contact_block(parts: list[Part], headings: tuple[str, ...]) -> list[Part]:
    """The lines after a contact heading while they hold contact words."""
    folded = tuple(fold_label(h) for h in headings)
    for i, (_, norm) in enumerate(parts):
        if fold_label(norm) not in folded:
            continue
        block = []
        for p in parts[i + 1:i + 8]:
            if not any(w in p[1] for w in CONTACT_WORDS):
                break
            block.append(p)
        if block:
            return block
    return []


def _one(key: str, hits: list[tuple[str, Segment]], src: str, what: str) -> FieldValue:
    values = list(dict.fromkeys(v for v, _ in hits))
    if not values:
        return _missing(key, f"not-found: the {what} gives no {PACK_ITEMS[key].label.split()[-1]}")
    if len(values) > 1:
        return _missing(key, "conflict: " + "、".join(values))
    seg = hits[0][1]
    fv = _fv(key, raw=values[0], value_text=values[0], evidence=_ev(seg, src))
    fv.reason = f"from the {what} (l.{seg.line})"
    return fv


def _departments(hits: list[tuple[str, Segment]], org: str | None) -> list[tuple[str, Segment]]:
    """Department names with the pack's own body cut off; a name that ends another (市民課 of 市民生活部市民課)
    is the same department, the longest kept."""
    cut = [((d[len(org):] if org and d.startswith(org) and len(d) > len(org) else d), s) for d, s in hits]
    cut = [(d, s) for d, s in cut if d != org]
    longest = max((d for d, _ in cut), key=len, default=None)
    if longest and all(longest.endswith(d) for d, _ in cut):
        return [(d, s) for d, s in cut if d == longest]
    return cut


def _contact_fields(who: str, block: list[Part], src: str, org: str | None, what: str) -> list[FieldValue]:
    emails, faxes, phones, addresses, depts = [], [], [], [], []
    for seg, norm in block:
        emails += [(m, seg) for m in _EMAIL.findall(norm)]
        fax_spans = []
        for m in _FAX.finditer(norm):
            faxes.append((m.group(1), seg))
            fax_spans.append(m.span(1))
        for m in _PHONE.finditer(norm):
            if not any(a <= m.start(1) < b for a, b in fax_spans):
                phones.append((m.group(1).strip("()"), seg))
        addresses += [(m.group().strip(), seg) for m in _POSTAL.finditer(norm)]
        depts += [(m, seg) for m in _DEPT.findall(_EMAIL.sub(" ", norm))]
    found = {"department": _departments(depts, org), "phone": phones, "fax": faxes, "email": emails,
             "address": addresses}
    return [_one(f"pack.{who}.{part}", found[part], src, what) for part in CONTACT_PARTS]


def read_pack_fields(parts: list[Part], src: str, org: str | None) -> list[FieldValue]:
    """The notice's row fields and its contact blocks, as FieldValues (undetermined where not printed)."""
    out = []
    method_rows: list[list[Part]] = []
    for key in ROW_KEYS:
        fv, rows = _row_field(key, parts, src)
        out.append(fv)
        if key == "pack.comment_methods":
            method_rows = rows
    inquiry = _contact_block(parts, INQUIRY_HEADINGS)
    submission = _contact_block(parts, SUBMISSION_HEADINGS) or [c for r in method_rows for c in r[2:]]
    if inquiry:
        out += _contact_fields("inquiry", inquiry, src, org, "問い合わせ先")
    if submission:
        out += _contact_fields("submission", submission, src, org, "意見の提出先")
    if not inquiry and not submission:
        out.append(_missing("pack.inquiry.department", "not-found: the pack names no 問い合わせ先 or 意見の提出先"))
    return out


__all__ = ["read_pack_fields", "ROW_KEYS", "CONTACT_PARTS"]
