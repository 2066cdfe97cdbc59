"""A closed region -> FieldValues: the item's reading (interpret.py), the counts printed with it, and a
section heading's flags."""

from __future__ import annotations

import regex

from extract.core.fields import UNDETERMINED, FieldValue
from extract.core.segments import Segment
from extract.forms.interpret import Region, read_flag
from extract.forms.model import CHECKBOX, Item
from normalize.text import normalize_text

_COUNT_RE = regex.compile(r"[(（]\s*([0-9０-９]*)\s*[)）]\s*件")


def read_flags(flags: tuple[Item, ...], region: list[tuple[Segment, str]], source: str, file_no: int | None,
               path: str) -> list[FieldValue]:
    labels = tuple(fl.label for fl in flags)
    return [read_flag(fl, Region(region, source), file_no, path, labels) for fl in flags]


def with_count(item: Item, fv: FieldValue, region: list[tuple[Segment, str]]) -> list[FieldValue]:
    """The item's reading, and the count printed with it where the item has one."""
    if not item.count:
        return [fv]
    if item.kind == CHECKBOX:
        return [fv, *_option_counts(item, fv, region)]
    text = " ".join(n for _, n in region)
    m = _COUNT_RE.search(text)
    cnt = FieldValue(key=item.key + ".count", label=item.label + " 件数", kind="count",
                     section_path=fv.section_path, file_no=fv.file_no, group_no=fv.group_no,
                     evidence=fv.evidence)
    if m and m.group(1):
        cnt.raw, cnt.value_int = m.group(0), int(normalize_text(m.group(1)))
    elif m:
        cnt.raw, cnt.status, cnt.reason = m.group(0), UNDETERMINED, "empty: the count （ ） is blank"
    else:
        cnt.status, cnt.reason = UNDETERMINED, "not-found: no （ n ） 件 after the selection"
    return [fv, cnt]


_DOING = "を行っている"


def _count_row(region: list[tuple[Segment, str]], label: str) -> regex.Match | None:
    """A count printed on its own row after the boxes, labelled by the option's verb: "提供件数 | 1 件",
    "移転件数 （ 2 ） 件" for "提供を行っている", "移転を行っている". Only a number, or a number
    followed by 件, right after that label."""
    stem = label[: -len(_DOING)]
    text = " ".join(n for _, n in region)
    pattern = rf"{regex.escape(stem)}\s*件数\s*[:：]?\s*[(（]?\s*([0-9０-９]+)\s*[)）]?\s*件?(?!\S*[0-9０-９])"
    hits = list(regex.finditer(pattern, text))
    return hits[0] if len(hits) == 1 else None


def _option_counts(item: Item, fv: FieldValue, region: list[tuple[Segment, str]] = ()) -> list[FieldValue]:
    """Counts inside checkbox options: "[ ○ ] 提供を行っている （ 3 ） 件" -> key II.5.0.count1 = 3; or on a
    row of their own: "提供件数 3 件"."""
    out = []
    for o in fv.options:
        if not o.label.endswith(_DOING):
            continue
        cnt = FieldValue(key=f"{item.key}.count{o.option_no}", label=o.label + " 件数", kind="count",
                         section_path=fv.section_path, file_no=fv.file_no, group_no=fv.group_no,
                         evidence=fv.evidence, raw=o.text or "")
        row = _count_row(region, o.label) if not o.text else None
        if o.checked is not False and o.text and o.text.isdigit():  # a printed count survives a lost tick
            cnt.value_int = int(o.text)
        elif o.checked is not False and row is not None:
            cnt.raw, cnt.value_int = row.group(0), int(normalize_text(row.group(1)))
        elif o.checked is False:
            cnt.status, cnt.reason = UNDETERMINED, "not-applicable: the option is not ticked"
        else:
            cnt.status, cnt.reason = UNDETERMINED, f"unreadable: no count in （ ） 件 ({o.text!r})"
        out.append(cnt)
    return out
