"""Stage boundary: the parser's output, one FieldValue per form item read (or left undetermined)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extract.core.enums import FieldStatus, Method

OK, UNDETERMINED = FieldStatus.OK, FieldStatus.UNDETERMINED


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value was read: file, page + bbox (PDF) or line (text), and how."""

    source: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None
    method: Method = Method.PDF_TEXT
    confidence: float = 1.0
    bands: int | None = None  # PDF: horizontal bands the item's label and value segments fall in (1: one line)
    below: bool = False  # PDF: the value's line is the one right under its label, starting in the label's column
    ruled: bool = False  # PDF: the label and its whole region are the only lines between two ruling lines
    cell: bool = False  # PDF: the box is a table cell's (borders around it), not a line of text's (tight to its ink)


@dataclass(frozen=True, slots=True)
class CheckOption:
    """One option of a checkbox group. `checked` is None when the tick state is unknown."""

    label: str
    option_no: int
    checked: bool | None
    text: str | None = None  # free text inside その他 （ … ） or a count in （ n ） 件


@dataclass(slots=True)
class FieldValue:
    key: str  # form item key, e.g. "III.7.R1.9" (see extract/forms/model.py)
    label: str  # canonical label of the item
    kind: str  # selection | checkbox | flag | count | date | period | dates | number | text
    section_path: str = ""  # human-readable path, e.g. "Ⅲ 7 リスク1"
    file_no: int | None = None  # per-file sections (Ⅱ, Ⅲ): which 特定個人情報ファイル
    group_no: int | None = None  # repeating groups: システムN, 委託事項N, 提供先N, 移転先N
    raw: str = ""
    value_text: str | None = None
    value_int: int | None = None
    value_date: str | None = None  # ISO date (start of a period)
    value_date_end: str | None = None  # ISO date (end of a period)
    date_precision: str | None = None  # day | month | year
    option_no: int | None = None  # number of the option in the item's own list (1-based)
    level: int | None = None  # ordinal level for graded items (1 = strongest)
    scale: str | None = None  # option list id, e.g. G-JUBUN
    options: list[CheckOption] = field(default_factory=list)  # checkbox groups
    status: FieldStatus = FieldStatus.OK
    reason: str | None = None
    evidence: Evidence | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK

    def cleared(self, reason: str) -> FieldValue:
        """This field undetermined for `reason`: no value, no tick state, no その他 text (label and evidence kept)."""
        out = replace(self)
        out.clear(reason)
        return out

    def clear(self, reason: str) -> None:
        """Make this field undetermined for `reason` in place, as `cleared`."""
        self.status, self.reason = UNDETERMINED, reason
        self.value_text = self.value_int = self.value_date = self.value_date_end = self.date_precision = None
        self.option_no = self.level = None
        self.options = [replace(o, checked=None, text=None) for o in self.options]
