"""What a segment is to the walk: a part, section, risk or group heading, an item label, or none of them.

The walk (walk.py) asks a `Matcher`; `ExactMatcher` reads text layers and text inputs as printed, the
OCR-tolerant matcher (ocr_recovery.py) extends it for scans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import regex

from extract.core.fields import FieldValue
from extract.core.segments import Segment
from extract.forms.interpret import strip_folded_prefix
from extract.forms.model import Form, Item, Section
from extract.forms.scope import Label, Scope
from extract.forms.wording import TOC_HEADING
from normalize.text import fold_label, normalize_text, section_numeral

_PART_RE = regex.compile(r"^\s*(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ|VI|IV|V|III|II|I)\s*[.．]?\s*(\S.*)$", regex.S)
_SECTION_RE = regex.compile(r"^\s*(?|[(（]\s*(\d{1,2})\s*[)）]|(\d{1,2})\s*[.．]?)\s*(\D.*)$", regex.S)
_RISK_RE = regex.compile(r"^\s*リスク\s*(\d*)\s*[:：]\s*(.*)$", regex.S)
_GROUP_RE = regex.compile(r"^\s*(システム|委託事項|提供先|移転先)\s*(\d+)(?!\s*[~～〜\d])\s*(.*)$", regex.S)
# a collapsible range of groups ("委託事項2～5", "提供先6～10"): a heading that ends the open item, opens nothing
_GROUP_RANGE_RE = regex.compile(r"^\s*(システム|委託事項|提供先|移転先)\s*\d+\s*[~～〜]\s*\d+\s*$")
_CHANGES_RE = regex.compile(r"^\s*[(（]?\s*別添\s*\d?\s*[)）]?\s*変更箇所\s*$")
_ANNEX_RE = regex.compile(r"^\s*[(（]\s*別添\s*\d?\s*[)）]")


@dataclass(frozen=True, slots=True)
class LabelHit:
    """An item whose label a segment holds (or that the segment stands for)."""

    item: Item
    rest: str | None  # the segment's text after the label: the region's start (None: the region starts empty)
    section: Section | None = None  # the next section, its heading unread: the walk enters it first
    joins: bool = True  # the label of an item a part heading just opened fills that item's region
    check: Callable[[FieldValue], None] | None = None  # run on the item's reading (label read by content)


@dataclass(frozen=True, slots=True)
class GroupHit:
    owner: Section  # the section the group belongs to
    group: Section
    number: int


class Matcher(Protocol):
    def split(self, seg: Segment, scope: Scope) -> tuple[Segment, Segment] | None:
        """The segment cut in two where it holds two cells, else None."""

    def normalize(self, text: str) -> str: ...

    def skip(self, norm: str) -> bool:
        """A segment that carries nothing for the form (a page header)."""

    def numbered_next(self, scope: Scope, head: str) -> Section | None:
        """The next section when `head` is its number with an unreadable title."""

    def part_heading(self, form: Form, head: str) -> Section | None:
        """The part `head` is the heading of, without context (form-body detection)."""

    def part(self, scope: Scope, seg: Segment, head: str) -> Section | None:
        """The part `head` is the heading of, in the walk."""

    def changes_heading(self, head: str) -> bool: ...

    def part_unread(self, scope: Scope, head: str) -> Section | None:
        """The next part, its heading not read, when `head` opens its first section."""

    def section(self, scope: Scope, head: str) -> Section | None: ...

    def risk(self, scope: Scope, head: str) -> Section | None: ...

    def group(self, scope: Scope, head: str) -> GroupHit | None: ...

    def label(self, scope: Scope, seg: Segment, norm: str, open_item: Item | None) -> LabelHit | None: ...

    def value_start(self, rest: str, label: str) -> str:
        """The text after a label (or heading) `label` that starts its value."""


class ExactMatcher:
    """Headings and labels as printed (text layers, text inputs)."""

    def split(self, seg: Segment, scope: Scope) -> tuple[Segment, Segment] | None:
        return None

    def normalize(self, text: str) -> str:
        return normalize_text(text)

    def skip(self, norm: str) -> bool:
        return False

    def numbered_next(self, scope: Scope, head: str) -> Section | None:
        return None

    def part_heading(self, form: Form, head: str) -> Section | None:
        m = _PART_RE.match(head)
        return match_part(form, m) if m else None

    def part(self, scope: Scope, seg: Segment, head: str) -> Section | None:
        return ExactMatcher.part_heading(self, scope.form, head)

    def changes_heading(self, head: str) -> bool:
        return bool(_CHANGES_RE.match(head))

    def part_unread(self, scope: Scope, head: str) -> Section | None:
        return None

    def section(self, scope: Scope, head: str) -> Section | None:
        return match_section(scope, head)

    def risk(self, scope: Scope, head: str) -> Section | None:
        rm = _RISK_RE.match(head)
        return match_risk(scope.section, rm) if rm and scope.section is not None else None

    def group(self, scope: Scope, head: str) -> GroupHit | None:
        gm = _GROUP_RE.match(head)
        return find_group(scope, gm.group(1), gm.group(2)) if gm and scope.part is not None else None

    def label(self, scope: Scope, seg: Segment, norm: str, open_item: Item | None) -> LabelHit | None:
        hit = match_label(scope.labels(), norm, scope)
        return LabelHit(*hit) if hit is not None else None

    def value_start(self, rest: str, label: str) -> str:
        return rest


def match_part(form: Form, m) -> Section | None:
    n = section_numeral(m.group(1))
    rest = fold_label(m.group(2))
    for part in form.parts:
        if part.number != n:
            continue
        for title in (part.title, *part.aliases):
            t = fold_label(title)
            if rest.startswith(t) or (len(rest) >= 4 and t.startswith(rest)):
                return part
    return None


def match_section(scope: Scope, head: str) -> Section | None:
    if scope.part is None:
        return None
    m = _SECTION_RE.match(head)
    if not m:
        return None
    n = int(m.group(1))
    rest = fold_label(m.group(2))
    # "(3) …" also numbers the paragraphs of a value ("（3）特定個人情報を含む書類の…"): a bracketed
    # number opens a section only with its whole title, a plain one ("3." / "3") with a cut one too
    bracketed = head.lstrip()[:1] in "(（"
    # sections come in order: a number below the current section's is a paragraph ("3　特定個人情報を…"),
    # save section 1, which opens the next file of a per-file part
    if scope.section is not None and scope.section.number is not None and 1 < n < scope.section.number:
        return None
    for sec in scope.part.children:
        if sec.number != n:
            continue
        for title in (sec.title, *sec.aliases):
            t = fold_label(title)
            if rest.startswith(t) or (not bracketed and len(t) > 6 and rest.startswith(t[: max(6, len(t) - 4)])):
                return sec
    return None


def match_risk(section: Section, m) -> Section | None:
    n = int(m.group(1)) if m.group(1) else 1
    rest = fold_label(m.group(2))
    for risk in section.children:
        if risk.level != "risk" or risk.number != n:
            continue
        titles = [fold_label(t) for t in (risk.title, *risk.aliases)]
        # the number decides; a title that disagrees outright is not this risk
        if not rest or any(rest.startswith(t[:6]) for t in titles):
            return risk
    return None


def find_group(scope: Scope, prefix: str, number: str) -> GroupHit | None:
    """The group with this header prefix (see Scope.find_group), numbered as printed."""
    owner, grp = scope.find_group(prefix)
    return GroupHit(owner, grp, int(number)) if grp is not None else None


def heading_rest(norm: str, titles: tuple[str, ...], pattern: regex.Pattern = _SECTION_RE) -> str | None:
    """The text of a heading cell after its number and title ("1. 特定個人情報ファイル\n名\n県税総合ファイル"
    -> "県税総合ファイル"), however the title wrapped; None when no title is printed whole."""
    m = pattern.match(norm.strip())
    if not m:
        return None
    body = m.group(m.lastindex)
    folded = fold_label(body)
    for t in sorted((fold_label(t) for t in titles), key=len, reverse=True):
        if folded.startswith(t):
            rest = strip_folded_prefix(body, t)
            first, _, more = rest.partition("\n")
            # specks or a rule read after the title on its line ("名 ーー", OCR) are no value
            if first.strip() and not regex.search(r"[^\W_]", first.replace("ー", "")):
                return more
            return rest
    return None


# a bullet before a heading ("■2．基本情報", "□委託事項1:…", "□リスク: …") is not part of it
BULLETS = "■□◆◇"  # glyphs that bullet a heading or a label (and, in a checkbox list, mark a box)
_BULLET_RE = regex.compile(r"^\s*[■□◆◇]\s*(?=[(（]?\d|リスク|システム|委託事項|提供先|移転先|[ⅠⅡⅢⅣⅤⅥ]|"
                            + regex.escape(TOC_HEADING) + ")")


def unbullet(norm: str) -> str:
    return _BULLET_RE.sub("", norm, count=1)


_GROUP_NUMBER = regex.compile(r"^\D{1,8}?(\d{1,2})(?!\s*[~～〜\d])\s*(.*)$", regex.S)


def group_rest(norm: str) -> str:
    """The text of a group heading cell after "委託事項1": the group's name printed in the same cell."""
    m = _GROUP_RE.match(norm.strip()) or _GROUP_NUMBER.match(norm.strip())  # the prefix misread by OCR
    return m.group(m.lastindex).strip().lstrip(":：").strip() if m else ""


def match_label(labels: tuple[Label, ...], norm: str, scope: Scope) -> tuple[Item, str] | None:
    folded = fold_label(norm)
    if not folded:
        return None
    candidates = [lb for lb in labels if folded.startswith(lb.folded)]
    if not candidates:
        return None
    best_len = len(candidates[0].folded)
    same = [lb.item for lb in candidates if len(lb.folded) == best_len]
    # several items share a label in one scope (具体的な管理方法 ×3): take the first not yet read
    item = next((it for it in same if scope.unread(it)), same[0])
    return item, strip_folded_prefix(norm, candidates[0].folded)
