"""The walk: one pass over the segments in reading order.

A segment either opens a heading (part, section, risk, group: the scope moves), opens an item (its
label matches an item in scope), or belongs to the value region of the item opened last. When the next
label or heading arrives the open region is interpreted by the item's kind. Which segment is which a
`Matcher` says, chosen per segment by how its words were obtained (`matcher_for`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import regex

from extract.core.enums import Method
from extract.core.fields import FieldValue
from extract.core.segments import Segment, SegmentedDocument
from extract.forms.interpret import Region, adjoins, interpret, option_boxes
from extract.forms.matchers import (
    _ANNEX_RE,
    _GROUP_RANGE_RE,
    BULLETS,
    ExactMatcher,
    LabelHit,
    Matcher,
    group_rest,
    heading_rest,
    match_label,
    unbullet,
)
from extract.forms.model import OPTION_LISTS, Form, Item, Section
from extract.forms.ocr_recovery import OcrMatcher
from extract.forms.regions import read_flags, with_count
from extract.forms.scope import Scope
from normalize.text import fold_label, join_wrapped

EXACT: Matcher = ExactMatcher()
OCR: Matcher = OcrMatcher()


def matcher_for(seg: Segment) -> Matcher:
    """Scans' segments are matched with OCR tolerance, everything else as printed."""
    return OCR if seg.method == Method.OCR else EXACT


def segments_iter(segments: list[Segment]) -> Iterator[Segment]:
    """Segments with something in them (blank cells carry no evidence)."""
    for seg in segments:
        if seg.text and seg.text.strip():
            yield seg


@dataclass(slots=True)
class Walk:
    """The walk's state: the scope, the item open and its region, the fields read so far."""

    doc: SegmentedDocument
    scope: Scope
    fields: list[FieldValue] = field(default_factory=list)
    item: Item | None = None  # the open item, and where it was opened:
    file_no: int | None = None
    group_no: int | None = None
    path: str = ""
    region: list[tuple[Segment, str]] = field(default_factory=list)
    flags: tuple[Item, ...] = ()  # a section heading's flags, read from the region when it closes
    check: Callable[[FieldValue], None] | None = None  # run on the open item's reading
    toc: set[str] | None = None  # inside the 項目一覧: the part headings it listed
    toc_page: int | None = None  # ... and the page it is printed on
    label: Segment | None = None  # the open item's label segment
    changes: list[Segment] | None = None  # after the 変更箇所 heading: the change table's segments
    labelled: bool = False  # an item label was read inside a part (the 項目一覧 lists headings only)
    group_name: bool = False  # the open item is a group's name (委託事項1 | 県税データ入力業務)
    group_lost: bool = False  # the open item is of a group whose number is not known (its heading unread)
    bands: Counter[tuple[int | None, tuple[float, float]]] | None = None  # lines per ruled row (page, band)
    indents: list[tuple[FieldValue, float, float]] = field(default_factory=list)  # OCR'd texts under their labels

    @property
    def form(self) -> Form:
        return self.scope.form

    def close(self) -> None:
        """Read the open region: the section's flags, or the open item (with its counts)."""
        if self.flags:
            self.fields.extend(read_flags(self.flags, self.region, self.doc.source, self.file_no, self.scope.path()))
            self.flags = ()
        if self.item is not None:
            if self.group_name:
                self.region = _before_numbered_label(self.region)
            fv = interpret(self.item, Region(self.region, self.doc.source, self.label), self.form)
            if fv.evidence is not None and self._alone_in_ruled_row():
                fv.evidence = dataclasses.replace(fv.evidence, ruled=True)
            if fv.kind == "text" and fv.ok and (indent := self._indent_under_label(fv)) is not None:
                self.indents.append((fv, *indent))
            if self.check is not None:
                self.check(fv)
            fv.section_path = self.path
            fv.file_no, fv.group_no = self.file_no, self.group_no
            if self.group_lost:
                fv = fv.cleared(GROUP_LOST)
            self.fields.extend(with_count(self.item, fv, self.region))
        self.item, self.region, self.check = None, [], None

    def _alone_in_ruled_row(self) -> bool:
        """Whether the open item's label and region are every line between two ruling lines, and nothing else
        is: a row ruled across ties its value to its label without cell borders. A row that holds a line of
        another item (a value's first line read before its label, a rule lost between two rows) is not one."""
        label = self.label
        if label is None or label.band is None or not self.region:
            return False
        segs = {id(label): label, **{id(seg): seg for seg, _ in self.region}}
        if any(seg.band != label.band or seg.page != label.page for seg in segs.values()):
            return False
        # beside its value, a label's wrapped tail ("※") is the line that starts where the label starts; a label
        # over its value (no value on the label's line) starts its value there
        lx0, ly0, lx1, ly1 = label.bbox
        h = ly1 - ly0
        beside = id(label) in {id(seg) for seg, _ in self.region} or any(
            seg.bbox[0] >= lx1 and min(seg.bbox[3], ly1) - max(seg.bbox[1], ly0) >= 0.5 * h for seg in segs.values())
        if beside and any(seg is not label and seg.bbox[0] < lx0 + 2 * h for seg in segs.values()):
            return False
        if self.bands is None:
            self.bands = Counter((seg.page, seg.band) for seg in segments_iter(self.doc.segments)
                                 if seg.band is not None)
        return self.bands[(label.page, label.band)] == len(segs)

    def _indent_under_label(self, fv: FieldValue) -> tuple[float, float] | None:
        """For an OCR'd text printed under its label (nothing beside the label on its line): how far right of the
        label's left edge its first line starts, and the label's line height."""
        label, ev = self.label, fv.evidence
        if label is None or label.method != Method.OCR or label.bbox is None or ev is None or ev.bbox is None:
            return None
        lx0, ly0, lx1, ly1 = label.bbox
        h = ly1 - ly0
        if ev.page != label.page or ev.bbox[1] < ly1 - 0.3 * h:
            return None  # the value's first line is the label's, or above it
        if any(seg is not label and seg.page == label.page and seg.bbox is not None and seg.bbox[0] >= lx1 - 1
               and min(seg.bbox[3], ly1) - max(seg.bbox[1], ly0) >= 0.5 * h for seg, _ in self.region):
            return None  # a value beside its label: the lines under it are the value's wrapped tail
        return ev.bbox[0] - lx0, h

    def unread_starts(self) -> None:
        """Texts printed under their labels start at one indent in a layout (flush with the label, or indented by the
        converter's fixed amount): one starting well right of the document's usual indent lost its beginning to the
        OCR (scan round 3, r13_a07 at 150 dpi, Ⅰ 6 ②: "国保年金課長 清水 浩二" under 所属長, in a dark gradient, read
        "水 浩二" from 67 pt right of the label, where the document's other values start flush; both readings of the
        crop agreed, and it was a wrong text). Without a usual indent (fewer than MIN_INDENTS texts under labels),
        nothing is judged."""
        if len(self.indents) < MIN_INDENTS:
            return
        usual = Counter(round(dx / INDENT_STEP) for _, dx, _ in self.indents).most_common(1)[0][0] * INDENT_STEP
        late = {id(fv) for fv, dx, h in self.indents if dx > usual + START_SLACK * h}
        self.fields = [f.cleared(START_UNREAD) if id(f) in late else f for f in self.fields]

    def open(self, item: Item, first: tuple[Segment, str] | None,
             check: Callable[[FieldValue], None] | None = None, label: Segment | None = None) -> None:
        s = self.scope
        self.item, self.file_no, self.group_no, self.path = item, s.current_file, s.group_no, s.path()
        self.group_lost = s.group is not None and s.group_no is None and item in s.group.items
        if first is not None:
            first = (first[0], _unmarked(first[1]))
        self.region = [first] if first and first[1].strip() else []
        self.label = label if label is not None else first[0] if first is not None else None
        self.check, self.group_name = check, False
        s.mark_read(item, self.file_no, self.group_no)

    # ------------------------------------------------------------ per segment
    def step(self, m: Matcher, seg: Segment) -> None:
        norm = self._unbullet(unbullet(m.normalize(seg.text)))
        if m.skip(norm):
            return
        if self.scope.section is not None and (cut := _without_row_label(norm, _stops(self.scope.section))):
            self.close()  # a row-group label beside its first row's label ends the open item
            norm = cut
        head = join_wrapped(norm.strip().split("\n"))  # a heading may wrap inside its cell
        s = self.scope
        s.numbered_before, s.numbered_only = s.numbered_only, m.numbered_next(s, head)
        part = m.part(s, seg, head)
        if self._in_toc(part, head, seg):
            return
        if s.part is not None and self.labelled and m.changes_heading(head):
            # before any item's label the heading is the 項目一覧's last entry, its title misread (scan round 17,
            # r27_b01 p. 2: "項目一" for 項目一覧, and its "(別添3)変更箇所" took the whole document for the table)
            self.close()
            self.changes = []
            return
        if self._ends_item(head):
            return
        if part is None and (following := m.part_unread(s, head)) is not None:
            self.close()
            s.enter_part(following)
        if part is not None:
            self._open_part(part)
        elif not self._heading(m, seg, norm, head):
            self._label(m.label(s, seg, norm, self.item), seg, norm)

    def _unbullet(self, norm: str) -> str:
        """A bullet before an item label or a row-group label of the scope ("□④使用の主体", "□再委託") is
        not part of it; before anything else (an option "□ 専用線": an empty tick box) it stays."""
        if norm[:1] not in BULLETS:
            return norm
        rest = norm[1:].lstrip()
        first = fold_label(rest.split("\n", 1)[0])
        s = self.scope
        known = [lb.folded for lb in s.labels()] + sorted(_stops(s.section) if s.section is not None else ())
        return rest if first and any(first.startswith(k) for k in known if k) else norm

    def _in_toc(self, part: Section | None, head: str, seg: Segment) -> bool:
        """The 項目一覧 on the cover lists the part headings: skipped until the list ends (a part it
        listed comes again, or anything else). On a scan the list also holds the rest of its page: a
        heading whose numeral OCR misread ("|基本情報") is still an entry of the list, not the part."""
        if fold_label(head) == "項目一覧":
            self.toc, self.toc_page = set(), seg.page
            return True
        if self.toc is not None:
            if part is not None and part.key not in self.toc:
                self.toc.add(part.key)
                return True
            if part is None and _ANNEX_RE.match(head):
                return True
            if (part is None and seg.method == Method.OCR and seg.page is not None
                    and seg.page == self.toc_page):
                return True
            self.toc = None
        return False

    def _ends_item(self, head: str) -> bool:
        """Annexes ((別添1) 事務の内容 …), sub-table headings and row-group labels (⑦使用の主体, 再委託)
        and collapsed group ranges (委託事項2～5) end the open item."""
        s = self.scope
        annex = _ANNEX_RE.match(head)
        if _GROUP_RANGE_RE.match(head) and s.part is not None:
            self.close()
            return True
        if not annex and (s.section is None or fold_label(head) not in _stops(s.section)):
            return False
        self.close()
        if annex:
            s.enter_section(None)
        return True

    def _open_part(self, part: Section) -> None:
        self.close()
        self.scope.enter_part(part)
        for it in part.items:  # parts with a single direct item (基礎 Ⅲ)
            if it.label == part.title:
                self.open(it, None)

    def _heading(self, m: Matcher, seg: Segment, norm: str, head: str) -> bool:
        """A section, risk or group heading: the scope moves (True)."""
        s = self.scope
        if (sec := m.section(s, head)) is not None:
            self._open_section(m, sec, seg, norm, head)
        elif (risk := m.risk(s, head)) is not None:
            self.close()
            s.risk = risk
        elif (g := m.group(s, head)) is not None:
            self.close()
            # a page that held the section heading may be missing (002 lacks Ⅱ 4): the group names it
            s.section, s.group, s.group_no, s.risk = g.owner, g.group, g.number, None
            if g.group.heading_item is not None:  # the group's name: in the heading cell or the next
                self.open(g.group.heading_item, (seg, group_rest(norm)))
                self.group_name = True
        else:
            return False
        return True

    def _open_section(self, m: Matcher, sec: Section, seg: Segment, norm: str, head: str) -> None:
        self.close()
        s = self.scope
        if sec.number == 1 and s.part is not None and s.part.repeat == "file" and sec.heading_item:
            s.file_no[s.part.key] = s.file_no.get(s.part.key, 0) + 1
        s.enter_section(sec)
        rest = heading_rest(norm, (sec.title, *sec.aliases))
        if rest is None:
            rest = norm.strip()[len(head):].strip()
        if sec.heading_item is not None:
            self.open(sec.heading_item, (seg, m.value_start(rest, sec.title)))
        elif sec.flags:
            self.flags = sec.flags
            self.file_no = s.current_file
            self.region = [(seg, norm)]

    def _label(self, hit: LabelHit | None, seg: Segment, norm: str) -> None:
        """An item label opens its item; anything else joins the open region."""
        if hit is None:
            if self.item is not None or self.flags:
                self.region.append((seg, norm))
            return
        if hit.section is not None:  # the next section, its heading unread
            self.close()
            self.scope.enter_section(hit.section)
        if hit.joins and hit.item is self.item and not self.region:
            # the label of the item a part heading just opened (基礎 Ⅲ)
            self.region = [(seg, hit.rest)] if hit.rest.strip() else []
            return
        above = self._in_label_row(seg) or self._boxes_above(hit.item, seg)
        s = self.scope
        if seg.method == Method.OCR and self._next_group_unread(hit.item, norm):
            s.group_no = None
        self.close()
        self.open(hit.item, (seg, hit.rest) if hit.rest is not None else None, hit.check, label=seg)
        self.labelled = self.labelled or s.part is not None
        if above:
            self.region[:0] = above

    def _next_group_unread(self, item: Item, norm: str) -> bool:
        """Whether `item`'s label (`norm`: the line, whose first word spells it), read again after items that follow it
        in its group, starts the group's next number, its heading unread ("提供先2" lost under a scanner's streak:
        scan round 5, r15_a02 p. 5, where the second group's ⑤ was taken for the first's, whose own label was
        misread). Which number, the page does not say. Read before its label by its content, sharing its label in
        the group, or matched to a misread line ("③提供方法" for ⑥: r20_b05 p. 6), an item says nothing."""
        s = self.scope
        if s.group is None or s.group_no is None or item not in s.group.items or s.unread(item):
            return False
        first = fold_label(norm.strip().split("\n")[0].split()[0]) if norm.strip() else ""
        if not any(first == lb.folded for lb in s.labels() if lb.item is item):
            return False  # the line's first word is the label, whole ("③提供する情報の対象となる…" is ⑤'s, misread)
        items = s.group.items
        later = items[items.index(item) + 1:]
        return [it.label for it in items].count(item.label) == 1 and any(not s.unread(it) for it in later)

    def _in_label_row(self, label: Segment) -> list[tuple[Segment, str]]:
        """The open region's last lines that lie in the ruled row of the next item's `label` (its `band`), right of
        it, taken from it: beside a label centred in a tall row, reading order puts the value's first lines before
        the label (scan round 15, r25_a05 p. 4: six lines of 主な記録項目's boxes joined ④記録される項目). Only
        where the open item's label is on the same page in a ruled row of its own, above the rule that opens the
        label's row: the rows differ by their rules, not by a guess (r21_b11 p. 12: ①連絡先 missed a piece of the
        rule above it, and its address lines went to ②対応方法, whose row was not parted from its own)."""
        own = self.label
        if (label.band is None or label.bbox is None or own is None or own.band is None or own.bbox is None
                or own.page != label.page or own.band == label.band or own.bbox[3] > label.band[0] or not self.region):
            return []
        moved: list[tuple[Segment, str]] = []
        for seg, norm in reversed(self.region):
            if seg.page != label.page or seg.band != label.band or seg.bbox is None or seg.bbox[0] < label.bbox[2]:
                break
            moved.insert(0, (seg, norm))
        if moved:
            del self.region[len(self.region) - len(moved):]
        return moved

    def _boxes_above(self, item: Item, label: Segment) -> list[tuple[Segment, str]]:
        """The open region's last lines that are the first lines of checkbox `item`'s boxes, taken from it: beside
        a label centred on a group of three lines the group's first line comes before the label in reading order
        (scan round 8, r18_a11 Ⅰ 2 ③: "【 ● 】 情報提供ネットワークシステム 【 】 庁内連携システム …" had joined ②システムの
        機能's text, and the group lost its one ticked box). A line moves only where it is right above the next
        (or the label's line), right of the label, and its boxes name options of `item` and of no other item open."""
        if item.kind != "checkbox" or label.method != Method.OCR or label.bbox is None or not self.region:
            return []
        options = OPTION_LISTS[item.options].options
        before = OPTION_LISTS[self.item.options].options if self.item is not None and self.item.kind == "checkbox" else ()
        moved: list[tuple[Segment, str]] = []
        below = label.bbox
        for seg, norm in reversed(self.region):
            b = seg.bbox
            if b is None or seg.page != label.page or b[0] < label.bbox[2] or "[" not in norm:
                break
            if not adjoins(b, below):
                break
            states, conflicts = option_boxes(norm.replace("\n", " "), options, ocr=True)
            if not states or conflicts or (before and option_boxes(norm.replace("\n", " "), before, ocr=True)[0]):
                break
            moved.insert(0, (seg, norm))
            below = b
        if moved:
            del self.region[len(self.region) - len(moved):]
        return moved


def _before_numbered_label(region: list[tuple[Segment, str]]) -> list[tuple[Segment, str]]:
    """A group's name ends where a line starts with a circled number: the group's first item label, its
    glyphs misread (OCR "①姜託内容") so that it did not open its item."""
    out = []
    for seg, text in region:
        lines = text.split("\n")
        cut = next((i for i, ln in enumerate(lines) if regex.match(r"\s*[①-⑳]", ln)), None)
        if cut is None:
            out.append((seg, text))
            continue
        if "\n".join(lines[:cut]).strip():
            out.append((seg, "\n".join(lines[:cut])))
        break
    return out


def _unmarked(text: str) -> str:
    """A region's first text without a "※" alone on its first line (the label's marker, wrapped)."""
    lines = text.strip().split("\n")
    if lines and lines[0].strip() == "※":
        return "\n".join(lines[1:])
    return text.strip()[1:].strip() if regex.match(r"※\s", text.strip()) else text


def _without_row_label(norm: str, stops: frozenset[str]) -> str | None:
    """The segment without a row-group label printed before its first row's label on one line
    ("再委託 ④再委託の有無", "④使用の 使用部署 … 主体": the group label wrapped, its tail on a later line);
    None when the segment starts with no such label."""
    first, _, after = norm.strip().partition("\n")
    token, _, label = first.partition(" ")
    if not label.strip() or not stops:
        return None
    if fold_label(token) in stops:
        return "\n".join([label.strip(), after]).strip()
    return None


_LOOKAHEAD = 6  # segments after a label's head in which its wrapped tail may come


def _tail_pieces(tail: str, texts: list[str]) -> list[int] | None:
    """Which of `texts` spell `tail` in order, each a whole piece of it (others, such as the value's
    options printed between the label's lines, are passed over); None when they do not."""
    used = []
    for i, text in enumerate(texts):
        f = fold_label(text)
        if f and tail.startswith(f):
            used.append(i)
            tail = tail[len(f):]
            if not tail:
                return used
    return None


def rejoin_wrapped_label(seg: Segment, norm: str, pending: deque[Segment], scope: Scope) -> Segment:
    """A label (or row-group label) whose cell wrapped beside its value: "④提供する情報の対象となる本人の
    [ 1万人未満 ]" with "数" alone on a later line of the cell (or in the next segments, where each printed
    line is a segment, the value's options between): the label put back whole at the segment's start,
    the pieces of its tail removed."""
    first, _, after = norm.strip().partition("\n")
    if not after and not pending:
        return seg
    targets, stops, starts = _targets(scope)
    # every head tried below is at least three glyphs of a target: most segments stop here, cheaply
    if fold_label(first)[:3] not in starts or match_label(scope.labels(), norm, scope) is not None:
        return seg
    lines = after.split("\n") if after else []
    ahead = [nxt.text for _, nxt in zip(range(_LOOKAHEAD), pending, strict=False)]
    cuts = {m.start() for m in regex.finditer(r"\s+|[\[【〔]", first) if m.start() > 0} | {len(first)}
    for cut in sorted(cuts, reverse=True):  # len(first): the label alone on its line, its tail below
        head = fold_label(first[:cut])
        for target in targets:
            if target == head or not target.startswith(head) or len(head) < (3 if target in stops else 6):
                continue
            tail = target[len(head):]
            if len(tail) > 40:
                continue
            if (used := _tail_pieces(tail, lines)) is not None:
                rest = "\n".join(ln for i, ln in enumerate(lines) if i not in used)
            elif (used := _tail_pieces(tail, ahead)) is not None:
                for j in reversed(used):
                    del pending[j]
                rest = after
            else:
                continue
            text = f"{first[:cut].rstrip()}{tail} {first[cut:].strip()}"
            return dataclasses.replace(seg, text=f"{text}\n{rest}" if rest else text)
    return seg


def _stops(section: Section) -> frozenset[str]:
    return frozenset(fold_label(t) for t in section.stops)


# keyed by identity; each entry holds its key objects, so no id is reused while the entry lives
_TARGETS: dict[tuple[int, int, int], tuple[list[str], frozenset[str], frozenset[str], tuple]] = {}


def _targets(scope: Scope) -> tuple[list[str], frozenset[str], frozenset[str]]:
    """What a wrapped label may be in this scope (labels, row-group labels, headings that carry their value),
    the row-group labels alone, and the first three glyphs of them all; kept per scope (model objects and
    the cached label index live as long as the process)."""
    labels = scope.labels()
    key = (id(labels), id(scope.section), id(scope.part))
    hit = _TARGETS.get(key)
    if hit is None:
        stops = _stops(scope.section) if scope.section is not None else frozenset()
        headings = [fold_label(f"{sec.number}.{sec.title}") for sec in (scope.part.children if scope.part else ())
                    if sec.number is not None and sec.heading_item is not None]  # a heading cell opens its value
        targets = [lb.folded for lb in labels] + sorted(stops) + headings
        hit = _TARGETS[key] = (targets, stops, frozenset(t[:3] for t in targets), (labels, scope.section, scope.part))
    return hit[:3]


START_SLACK = 2.0  # line heights right of the usual indent: a value under its label starting there lost its beginning
MIN_INDENTS = 3  # texts under their labels that show a document's usual indent
INDENT_STEP = 2.0  # points: indents this close are one
START_UNREAD = ("ocr-unconfirmed: the value, printed under its label, starts well right of where the document's values under "
                "their labels start: its beginning was "
                "not read")
GROUP_LOST = ("not-found: the heading of this item's group was not read (a label of the group came a second time),"
              " so which group it belongs to is not known")


def walk(doc: SegmentedDocument, form: Form) -> Walk:
    """The walk over `doc`: its fields as read (before the post-walk steps) and the change table's
    segments."""
    w = Walk(doc, Scope(form))
    pending = deque(segments_iter(doc.segments))
    while pending:
        seg = pending.popleft()
        if w.changes is not None:
            w.changes.append(seg)
            continue
        m = matcher_for(seg)
        cut = m.split(seg, w.scope)
        if cut is not None:
            seg = cut[0]
            pending.appendleft(cut[1])
        seg = rejoin_wrapped_label(seg, m.normalize(seg.text), pending, w.scope)
        w.step(m, seg)
    w.close()
    w.unread_starts()
    return w
