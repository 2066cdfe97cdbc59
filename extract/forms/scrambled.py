"""Assessments dumped from a PDF text layer whose reading order is scrambled (pia-forms.md §10.3 5-9).

In such a dump labels, brackets, values and option lists of neighbouring items come in arbitrary
order, a page's text may start before its part heading, brackets are split from their values and
values can be printed twice. A value is bound to an item only by these rules:

1. Label anchor. A segment that starts with an item's label (labels wrapped over up to three lines
   are joined) whose label is unique in the form. The value is either on the same line ("③対象人数
   [ 10万人以上30万人未満", "[ 行っている ユーザ認証の管理", "実施の有無 [ ○ ] 自己点検 …") or on the next
   line as a complete "[ value ]", skipping only the item's own "<選択肢>" header and its own printed
   "n） option" lines. The value must be exactly an option of the item's list (an "n） option" line is
   never a value); "[ ]" is empty. A label with no such value is an unbound occurrence.
2. Flags ("[ ○ ] 接続しない（入手）"): the flag's text right after "]", with its "[" on the same line.
3. Files. Per-file parts (Ⅱ, Ⅲ) are delimited by their part headings (the 項目一覧 excluded). As a
   page's text may precede its heading, an occurrence between the headings of files n and n+1 belongs
   to file n or n+1, one before the first heading to file 1, one after the last heading to the last
   file. Each file holds each item once, so occurrences are matched to files: a file's value is bound
   only when every matching gives that file an occurrence with the same value.
4. Once-only items (Ⅰ, Ⅳ, Ⅴ): all occurrences must agree. An item whose option list no other item
   uses may also be read from a bracket fragment or a bare option line ("][ 基礎項目評価及び…",
   "実施する") when every such value in the body agrees.
5. Labels shared by several items (リスクへの対策は十分か, ①実施日, 具体的な方法 …) cannot be tied to one
   item: undetermined, with the values seen in the reason, unless elimination settles them (elimination.py:
   every binding of the body's value tokens to the items gives the same value).
6. Repeating groups (システムN, 委託事項N, 提供先N, 移転先N): their instances come from their heading lines;
   their selections join elimination, their checkbox options are read from whole boxes bound to the
   instances by position (_group_checkboxes). Their text items are not read.
7. Change rows. The 変更箇所 sheets after the body state, per row, the 変更後 state of the checkbox options they
   print for one item's place (part, file, group instance): read from there (_change_rows), and used as
   constraints on the positional binding of rule 6, which they can refute.
8. Pages (when the dump's own evidence shows them: conventions.learn_pages). A page's text is one run of the
   dump, so: a box whose brackets were split apart is unticked on a page whose every tick glyph is inside a
   whole box (_Doc.unticked_split), and ticked when its tick stands right before its "]" ("○ ] 紙",
   _tick_before); a line belongs to the files (rule 3) and instances (rule 6) whose pages it can lie on; a
   family whose pages hold whole cells is bound by pages alone where its change rows refute the neighbour
   rule (a row the body contradicts leaves that option unknown); その他 boxes are bound to the items whose
   cells' pages they lie on (_other_by_pages); a page's loose ticks all taken by boxes known ticked leave
   its other split boxes unticked (_tick_budget).
Everything else is undetermined with the reason. The cover's 評価実施機関名 and 公表日 are looked
for by label like any item; the organization comes from the 宣言 ("八代市は、…").
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from extract.core.fields import OK, UNDETERMINED, CheckOption, Evidence, FieldValue
from extract.core.result import Identity, ParsedDocument
from extract.core.segments import Segment, SegmentedDocument
from extract.forms import identity as ident
from extract.forms.conventions import Pages, learn_pages, loose_ticks
from extract.forms.elimination import Slot, Token, census, solve
from extract.forms.interpret import (
    Region,
    read_checkbox,
    read_selection,
    strip_folded_prefix,
    unmatched_closes,
)
from extract.forms.model import (
    CHECKBOX,
    DATE,
    DATES,
    FLAG,
    OPTION_LISTS,
    PERIOD,
    SELECTION,
    TEXT,
    Form,
    Item,
    Role,
    Section,
    iter_items,
    iter_sections,
)
from extract.forms.wording import (
    OPTION_HEADER,
    OTHER_OPTION,
    PART_NUMERALS,
    SUBMISSION_TIMINGS,
    TITLE_WORD,
    TOC_HEADING,
)
from normalize.dates import parse_date
from normalize.marks import TICKED, UNTICKED, is_tick_char, tick_state
from normalize.options import match_option, strip_option_prefix
from normalize.text import fold_label, normalize_text, section_numeral

_ORPHANS = {"]", "[", "[ ○", "○ ]", "○", "[[", "]]", "[ ]", "][", "[ 〇", "〇 ]"}
_OPTION_HEADER = OPTION_HEADER
_UNBOUND = "scrambled: value not bound to a label"


# ---------------------------------------------------------------- detection
def is_scrambled(doc: SegmentedDocument) -> bool:
    """A plain text dump (no table structure) with orphan bracket lines and detached option lists."""
    segs = [s for s in doc.segments if s.text and s.text.strip()]
    if not segs or doc.kind != "text" or any(s.method != "text" or s.row is not None for s in segs):
        return False
    norms = [normalize_text(s.text) for s in segs]
    orphans = sum(1 for n in norms if n in _ORPHANS or n.startswith("] ") or n.endswith(" ["))
    headers = sum(1 for n in norms if n == _OPTION_HEADER)
    return orphans >= 10 and headers >= 5


# ---------------------------------------------------------------- lines
@dataclass(frozen=True, slots=True)
class _Line:
    idx: int
    seg: Segment
    norm: str
    fold: str


@dataclass(slots=True)
class _Occ:
    """One place where an item's label (or a value of its list) was found."""

    idx: int
    files: frozenset[int] = frozenset()
    fv: FieldValue | None = None  # None: the label was found but no value could be tied to it

    def signature(self):
        if self.fv is None:
            return None
        f = self.fv
        return (f.status, f.option_no, f.value_text, f.value_date, tuple((o.option_no, o.checked, o.text)
                                                                           for o in f.options))


@dataclass(slots=True)
class _Doc:
    lines: list[_Line]
    source: str
    body_end: int
    heads: dict[str, list[int]] = field(default_factory=dict)  # part key -> line index of each file's heading
    every: list[_Line] = field(default_factory=list)  # the body and what follows it (the 変更箇所 sheets)
    pages: Pages | None = None  # the dump's pages, when its own evidence shows them (conventions.learn_pages)
    clean: frozenset[int] = frozenset()  # pages whose every tick glyph is inside a whole box (_clean_pages)
    option_box: dict[tuple[str, int, int], set[int]] = field(default_factory=dict)  # (key, file, option) -> the
    # lines its box may be (_option_states: options whose label one list uses, a box per file)
    box_lines: dict[tuple[str, int | None, int | None], set[int]] = field(default_factory=dict)  # boxes a field's
    # options may be, by the readers of checkbox options (_option_states, _group_checkboxes): where its cell is

    def page(self, i: int) -> int | None:
        return self.pages.page[i] if self.pages is not None else None

    def unticked_split(self, i: int) -> bool:
        """A box on line i whose brackets were split apart ("] 国税関係情報", "[] label") is unticked: its page
        holds no tick glyph outside a whole box, so its own tick, had it one, would be printed nowhere."""
        return self.pages is not None and self.pages.page[i] in self.clean

    def ev(self, i: int, confidence: float = 1.0) -> Evidence:
        s = (self.every or self.lines)[i].seg
        return Evidence(self.source, s.page, s.bbox, s.line, s.method, min(confidence, s.confidence))


_PART_RE = regex.compile(r"^(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ)\s*(\S.*)$")


def _part_of(form: Form, norm: str) -> Section | None:
    m = _PART_RE.match(norm)
    if not m:
        return None
    n, rest = section_numeral(m.group(1)), fold_label(regex.sub(r"※.*$", "", m.group(2)))
    for part in form.parts:
        if part.number == n and any(rest.startswith(fold_label(t)) for t in (part.title, *part.aliases)):
            return part
    return None


def _build(doc: SegmentedDocument, form: Form) -> _Doc:
    lines = []
    for s in doc.segments:
        if s.text and s.text.strip():
            n = normalize_text(s.text)
            lines.append(_Line(len(lines), s, n, fold_label(n)))
    # the 項目一覧 lists the part headings once: skip that block
    toc = next((ln.idx for ln in lines[:80] if ln.fold == TOC_HEADING), None)
    skip: set[int] = set()
    if toc is not None:
        j = toc + 1
        while j < len(lines) and (_PART_RE.match(lines[j].norm) or regex.match(r"^[(（]別添", lines[j].norm)):
            skip.add(j)
            j += 1
    heads: dict[str, list[int]] = {}
    last_part = form.parts[-1]
    body_end = len(lines)
    seen_last = False
    for ln in lines:
        if ln.idx in skip:
            continue
        p = _part_of(form, ln.norm)
        if p is not None:
            heads.setdefault(p.key, []).append(ln.idx)
            seen_last = seen_last or p is last_part
            continue
        if seen_last and (_bare_date(ln.norm) or ln.norm in SUBMISSION_TIMINGS or form.change_table in ln.norm):
            body_end = ln.idx
            break
    d = _Doc(lines[:body_end], doc.source, body_end, heads, lines)
    if body_end < len(lines) and all(ln.seg.line is not None for ln in lines):
        d.pages = learn_pages([ln.seg.line for ln in lines], [ln.norm for ln in lines], form.change_table, body_end)
    if d.pages is not None:
        d.clean = _clean_pages(d, _box_labels(form))
    return d


_UNMATCHED_CLOSE = regex.compile(r"\]\s*([^\[\]]*)")


def _box_labels(form: Form) -> list[str]:
    """Folded labels of every checkbox option and flag of the form, longest first."""
    labels = {fold_label(o) for it in _all_items(form) if it.kind == CHECKBOX and it.options
              for o in OPTION_LISTS[it.options].options}
    labels |= {fold_label(fl.label) for p in form.parts for sec in iter_sections(p) for fl in sec.flags}
    return sorted(labels, key=len, reverse=True)


_CLEAN_PAGE = "its page holds no tick glyph outside a whole box, so the box is empty"


def _slot_not_empty(norm: str, labels: list[str]) -> bool:
    """A box on this line whose "[" is on another line ("] その他 （ … ）") has a （ … ） slot after its label
    that is filled or runs on to another line: the form fills the slot of a ticked option, so no such box is
    taken for unticked on its page."""
    for k in unmatched_closes(norm):
        rest = _UNMATCHED_CLOSE.match(norm, k).group(1).strip()
        o = _longest_option(rest, labels)
        if o is None:
            continue
        q = regex.match(r"[(（]\s*(.*)$", strip_folded_prefix(rest, o).strip())
        if q and not regex.match(r"[)）]", q.group(1)):
            return True
    return False


def _split_note(d: _Doc, idx: list[int]) -> str | None:
    """The reason's note when some of these lines hold a box with split brackets read as unticked by its page."""
    split = [i for i in sorted(set(idx)) if d.unticked_split(i) and (regex.match(r"\s*\]", d.every[i].norm) or "[]" in d.every[i].norm)]
    if not split:
        return None
    return (f"a box whose brackets are split ({', '.join(f'l.{d.every[i].seg.line}' for i in split[:6])}) is "
            f"unticked: {_CLEAN_PAGE} ({d.pages.reason})")


def _clean_pages(d: _Doc, labels: list[str]) -> frozenset[int]:
    """Pages on which a box with split brackets is known to be unticked: every tick glyph of the page is in a
    whole box on one line ("[ ○ ] label"; conventions.loose_ticks) and no split box has a filled or open
    （ … ） slot (a filled slot is a ticked option's: the page contradicts itself, so it is not used)."""
    by_page: dict[int, list[str]] = {}
    for ln in d.every:
        by_page.setdefault(d.pages.page[ln.idx], []).append(ln.norm)
    return frozenset(p for p, texts in by_page.items()
                     if not loose_ticks(texts) and not any(_slot_not_empty(t, labels) for t in texts))


def _bare_date(norm: str) -> bool:
    return bool(regex.fullmatch(r"(平成|令和)\s*[0-9元]+\s*年\s*[0-9]+\s*月\s*[0-9]+\s*日", norm.replace(" ", "")))


# ---------------------------------------------------------------- labels
def _label_index(form: Form) -> dict[str, list[Item]]:
    index: dict[str, list[Item]] = {}
    for it in _all_items(form):
        for lab in (it.label, *it.aliases):
            f = fold_label(lab)
            if it not in index.setdefault(f, []):
                index[f].append(it)
    return index


def _all_items(form: Form):
    """Every item of the form but the section flags (read from their heading line instead)."""
    return (it for it in iter_items(form) if it.kind != FLAG)


def _label_at(d: _Doc, i: int, index: dict[str, list[Item]], longest: list[str]) -> tuple[str, int, str] | None:
    """(folded label, index of the label's last line, rest of that line) for a label starting at line i."""
    ln = d.lines[i]
    for lab in longest:
        if ln.fold.startswith(lab):
            return lab, i, strip_folded_prefix(ln.norm, lab)
    # wrapped label: this line is a proper prefix of a label, continued on the next line(s)
    if len(ln.fold) >= 4:
        joined, last = ln.fold, i
        for j in range(i + 1, min(i + 3, len(d.lines))):
            joined += d.lines[j].fold
            last = j
            for lab in longest:
                if lab.startswith(ln.fold) and len(lab) > len(ln.fold) and joined.startswith(lab):
                    tail = joined[len(lab):]
                    return lab, last, tail
    return None


# ---------------------------------------------------------------- reading one occurrence
_FRAG = regex.compile(r"^\[\s*([^\[\]]+?)\s*\]?$")


def _option_value(item: Item, text: str) -> str | None:
    """`text` if it is exactly one option of the item's list (no "n)" prefix), else None."""
    if not text or strip_option_prefix(text)[0] is not None:
        return None
    ol = OPTION_LISTS[item.options]
    return text if match_option(text, ol.options, ol.aliases, ol.not_applicable) else None


def _own_list_line(item: Item, norm: str) -> bool:
    if norm == _OPTION_HEADER:
        return True
    ol = OPTION_LISTS[item.options]
    parts = regex.split(r"\s+(?=\d+\s*[)）])", norm)
    return all(strip_option_prefix(p)[0] is not None and match_option(p, ol.options) is not None for p in parts)


def _read_selection_at(d: _Doc, item: Item, last: int, rest: str, before: str = "") -> FieldValue | None:
    rest = rest.lstrip("※ ")
    cand = None
    if before:  # "[ 行っている ユーザ認証の管理"
        m = regex.fullmatch(r"\[\s*(\S+)", before.strip())
        cand = (m.group(1), last) if m and _option_value(item, m.group(1)) else None
    elif rest:
        if regex.fullmatch(r"\[\s*\]", rest):
            cand = ("", last)
        else:
            m = _FRAG.match(rest)
            if m and _option_value(item, m.group(1)):
                cand = (m.group(1), last)
    else:
        j = last + 1
        while j < len(d.lines) and j <= last + 8 and _own_list_line(item, d.lines[j].norm):
            j += 1
        if j < len(d.lines):
            n = d.lines[j].norm
            if regex.fullmatch(r"\[\s*\]", n):
                cand = ("", j)
            else:
                m = regex.fullmatch(r"\[\s*([^\[\]]+?)\s*\]", n)
                if m and _option_value(item, m.group(1)):
                    cand = (m.group(1), j)
    if cand is None:
        return None
    value, j = cand
    seg = d.lines[j].seg
    fv = read_selection(item, Region([(seg, f"[ {value} ]" if value else "[ ]")], d.source))
    fv.raw = d.lines[j].norm
    return fv


def _read_checkbox_at(d: _Doc, item: Item, last: int, rest: str) -> FieldValue | None:
    if not rest or "[" not in rest:
        return None
    fv = read_checkbox(item, Region([(d.lines[last].seg, rest)], d.source))
    return fv if fv.ok else None


def _read_date_at(d: _Doc, item: Item, last: int, rest: str) -> FieldValue | None:
    rest = rest.strip()
    if not rest:
        return None
    fv = FieldValue(key=item.key, label=item.label, kind=item.kind, raw=rest, evidence=d.ev(last))
    if rest in ("―", "-", "—"):
        fv.status, fv.reason = UNDETERMINED, "empty: no date is given"
        return fv
    r = parse_date(rest)
    if r.value is None:
        return None
    fv.value_date, fv.date_precision = r.value.isoformat(), r.precision
    return fv


def _read_text_at(d: _Doc, item: Item, last: int, rest: str) -> FieldValue | None:
    rest = rest.lstrip("※ ").strip()
    if not rest:
        return None
    return FieldValue(key=item.key, label=item.label, kind=TEXT, raw=rest, value_text=rest, evidence=d.ev(last))


# ---------------------------------------------------------------- files and matching
def _files_of(d: _Doc, part: Section, i: int) -> frozenset[int]:
    """The files line i of a per-file part may belong to. By lines: one between the headings of files n and
    n+1 is n's or n+1's (a page's text may precede its heading). By pages, when the dump's pages are known
    (conventions.learn_pages): file n's text lies on the pages from the one holding its heading to the one
    holding the next file's, so a line on a page strictly between those two is file n's alone."""
    hs = d.heads.get(part.key, [])
    if not hs:
        return frozenset()
    if i < hs[0]:
        by_lines = frozenset({1})
    else:
        by_lines = next((frozenset({n + 1, n + 2}) for n in range(len(hs) - 1) if hs[n] <= i < hs[n + 1]),
                        frozenset({len(hs)}))
    if d.pages is None:
        return by_lines
    hp, p = [d.page(h) for h in hs], d.page(i)
    by_pages = frozenset(n + 1 for n, first in enumerate(hp) if first <= p and (n + 1 == len(hs) or p <= hp[n + 1]))
    return (by_lines & by_pages) or by_lines


def _assign(occs: list[_Occ], n_files: int) -> dict[int, list[_Occ | None]]:
    """For each file, the occurrence it receives in each valid matching (None: it receives none)."""
    out: dict[int, list[_Occ | None]] = {f: [] for f in range(1, n_files + 1)}
    if len(occs) > n_files:
        return {}
    for perm in itertools.permutations(range(1, n_files + 1), len(occs)):
        if all(f in o.files for o, f in zip(occs, perm)):
            got = dict(zip(perm, occs))
            for f in out:
                out[f].append(got.get(f))
    return out if out and out[1] else {}


# ---------------------------------------------------------------- the parser
def parse_scrambled(doc: SegmentedDocument, form: Form) -> ParsedDocument:
    """Read what the scrambled dump proves (see module docstring); the rest is undetermined."""
    d = _build(doc, form)
    warnings: list[str] = []
    index = _label_index(form)
    longest = sorted(index, key=len, reverse=True)
    per_file_parts = [p for p in form.parts if p.repeat == "file"]
    counts = {len(d.heads.get(p.key, [])) for p in per_file_parts}
    n_files = counts.pop() if len(counts) == 1 else 0
    if not n_files:
        warnings.append("scrambled: the per-file parts do not have the same number of headings; per-file items not read")

    # where each item's label occurs
    label_occ: dict[str, list[tuple[int, int, str, str]]] = {}  # item key -> (first, last, rest, before)
    i = 0
    while i < len(d.lines):
        hit = _label_at(d, i, index, longest)
        if hit is not None:
            lab, last, rest = hit
            for it in index[lab]:
                label_occ.setdefault(it.key, []).append((i, last, rest, ""))
            i = last + 1
            continue
        m = regex.fullmatch(r"(\[\s*\S+)\s+(\S+)", d.lines[i].norm)  # value before label on one line
        if m and fold_label(m.group(2)) in index:
            for it in index[fold_label(m.group(2))]:
                label_occ.setdefault(it.key, []).append((i, i, "", m.group(1)))
        i += 1

    fields: list[FieldValue] = []
    group_items = {it.key for p in form.parts for s in iter_sections(p) if s.level == "group" for it in s.items}
    list_users = Counter(it.options for it in _all_items(form) if it.options)

    for part in (None, *form.parts):
        items = list(form.cover) if part is None else [
            it for s in iter_sections(part) for it in ((s.heading_item,) if s.heading_item else ()) + s.items]
        items += [] if part is None else [fl for s in iter_sections(part) for fl in s.flags]
        for item in items:
            if item.key in group_items:
                continue
            if item.kind not in (SELECTION, CHECKBOX, FLAG, DATE, DATES, PERIOD) and item.role not in _TEXT_ROLES:
                continue
            per_file = part is not None and part.repeat == "file"
            if per_file and not n_files:
                continue
            occs = _occurrences(d, item, part, index, label_occ, per_file)
            shared = [o for o in index.get(fold_label(item.label), []) if o is not item]
            if shared and part is not None:
                owned = [o for o in occs if _heading_before(d, o.idx, part, item)]
                if owned:
                    occs, shared = owned, []
            if per_file:
                fields.extend(_bind_per_file(d, item, part, occs, n_files, shared))
            else:
                fields.append(_bind_once(d, item, part, occs, shared, list_users))
    insts = _instances(d, form, n_files, warnings)
    fields.extend(_group_selections(d, form, insts))
    fields = _eliminate(d, form, fields, n_files, index, warnings, insts)
    fields = _checkbox_options(d, form, fields, n_files)
    rows = _change_rows(d, form, n_files)
    fields = _group_checkboxes(d, form, fields, n_files, index, insts, rows)
    fields = _apply_change_rows(d, form, fields, rows)
    fields = _other_by_pages(d, form, fields, n_files, insts, index)
    fields = _tick_budget(d, form, fields)
    fields.extend(_file_names(d, form, n_files))
    identity = _identity(d, form, fields)  # adds the cover's number, title and 宣言
    warnings.append("scrambled: the text items of the repeating groups (システム, 委託事項, 提供先, 移転先) are not read")
    return ParsedDocument(identity, fields, warnings)


_TEXT_ROLES = {Role.ORGANIZATION, Role.AFFAIR, Role.DEPARTMENT, Role.DEPARTMENT_HEAD}  # text items read by label


def _occurrences(d, item, part, index, label_occ, per_file) -> list[_Occ]:
    occs: list[_Occ] = []
    if item.kind == FLAG:
        lab = regex.escape(normalize_text(item.label)).replace(r"\ ", r"\s*")
        for ln in d.lines:
            for m in regex.finditer(r"(\[\s*([^\[\]]{0,3}?)\s*)?\]\s*" + lab, ln.norm):
                fv = None
                if m.group(1) is not None:
                    state = tick_state(m.group(2))
                    if state in (TICKED, UNTICKED):
                        fv = FieldValue(key=item.key, label=item.label, kind=FLAG, raw=m.group(0),
                                        value_text=item.label if state == TICKED else None, evidence=d.ev(ln.idx))
                        fv.options = [CheckOption(item.label, 1, state == TICKED)]
                if fv is None and m.start() == 0 and per_file:
                    fv = _paired_flag(d, item, part, ln.idx, m.group(0))
                if fv is None and m.group(1) is None and _tick_before(ln.norm, m.start()):
                    # "○ ] 委託しない": its tick right before its "]" (_tick_before)
                    fv = FieldValue(key=item.key, label=item.label, kind=FLAG, raw=m.group(0), value_text=item.label,
                                    evidence=d.ev(ln.idx, 0.8), reason="its tick stands right before its box's \"]\"")
                    fv.options = [CheckOption(item.label, 1, True)]
                elif fv is None and m.group(1) is None and d.unticked_split(ln.idx):
                    # "] 委託しない" on a page without a loose tick: its box is empty (_Doc.unticked_split)
                    fv = FieldValue(key=item.key, label=item.label, kind=FLAG, raw=m.group(0), value_text=None,
                                    evidence=d.ev(ln.idx, 0.8),
                                    reason=f"its box's brackets are split; {_CLEAN_PAGE}")
                    fv.options = [CheckOption(item.label, 1, False)]
                occs.append(_Occ(ln.idx, _files_of(d, part, ln.idx) if per_file else frozenset(), fv))
        return occs
    for first, last, rest, before in label_occ.get(item.key, []):
        if item.kind == SELECTION:
            fv = _read_selection_at(d, item, last, rest, before)
        elif item.kind == CHECKBOX:
            fv = _read_checkbox_at(d, item, last, rest)
        elif item.kind in (DATE, DATES, PERIOD):
            fv = _read_date_at(d, item, last, rest)
        else:
            fv = _read_text_at(d, item, last, rest)
        occs.append(_Occ(first, _files_of(d, part, first) if per_file else frozenset(), fv))
    return occs


_UNCLOSED_BOX = regex.compile(r"\[\s*([^\[\]\s]{0,3})\s*$")  # "… [ ○" at a line's end, never closed


def _span_of(d: _Doc, part: Section, i: int) -> tuple[int, int] | None:
    """The lines between the part heading before line i and the next part heading of any part."""
    heads = sorted(h for hs in d.heads.values() for h in hs)
    before = [h for h in d.heads.get(part.key, []) if h <= i]
    if not before:
        return None
    start = before[-1]
    end = next((h for h in heads if h > start), len(d.lines))
    return (start, end) if i < end else None


def _paired_flag(d: _Doc, item: Item, part: Section, i: int, raw: str) -> FieldValue | None:
    """A flag printed as "] 接続しない（提供）" whose box opened elsewhere ("… 接続しない（入手） [ ○"): in the
    span of its part heading, exactly one line ends in an unclosed box and exactly one line starts with a
    stray "]" (this one); the two are one box. Anything else leaves the flag unread."""
    span = _span_of(d, part, i)
    if span is None:
        return None
    lines = d.lines[span[0]:span[1]]
    opened = [(ln, m) for ln in lines if (m := _UNCLOSED_BOX.search(ln.norm))]
    strays = [ln for ln in lines if ln.norm.startswith("]")]
    if len(opened) != 1 or len(strays) != 1 or strays[0].idx != i:
        return None
    ln, m = opened[0]
    state = tick_state(m.group(1))
    if state not in (TICKED, UNTICKED):
        return None
    fv = FieldValue(key=item.key, label=item.label, kind=FLAG, raw=f"{ln.norm} … {raw}",
                    value_text=item.label if state == TICKED else None, evidence=d.ev(i))
    fv.options = [CheckOption(item.label, 1, state == TICKED)]
    fv.reason = (f"box paired: the only unclosed box of the span (l.{ln.seg.line}) and the only stray "
                 f"\"]\" (l.{d.lines[i].seg.line})")
    return fv


def _heading_before(d: _Doc, i: int, part: Section, item: Item) -> bool:
    """The line just before the label is the heading of the item's own section, and no other item
    sharing the label sits in that section ("１．基礎項目評価" then "①実施日 …")."""
    if i == 0:
        return False
    sec = next((s for s in iter_sections(part) if s.level == "section" and item in s.items), None)
    if sec is None or sum(1 for it in sec.items if it.label == item.label) != 1:
        return False
    m = regex.match(r"^(\d{1,2})\s*[.．]\s*(\S.*)$", d.lines[i - 1].norm)
    return bool(m) and int(m.group(1)) == sec.number and fold_label(m.group(2)).startswith(fold_label(sec.title))


def _undetermined(item: Item, reason: str, file_no: int | None = None, src: str = "") -> FieldValue:
    return FieldValue(key=item.key, label=item.label, kind=item.kind, file_no=file_no, scale=item.options,
                      status=UNDETERMINED, reason=reason, evidence=Evidence(source=src, method="none", confidence=0.0))


def _census(occs: list[_Occ]) -> str:
    c = Counter((o.fv.value_text or o.fv.value_date or "[ ]") if o.fv else "unbound" for o in occs)
    return ", ".join(f"{v} ×{n}" for v, n in c.most_common())


def _bind_per_file(d, item, part, occs, n_files, shared) -> list[FieldValue]:
    out = []
    path = f"Ⅱ/Ⅲ {item.key}"
    if shared:
        reason = (f"scrambled: the label 「{item.label}」 is shared by {len(shared) + 1} items and the layout does not "
                  f"tie it to this one; values seen in the document: {_census(occs) or 'none'}")
        return [_undetermined(item, reason, f, d.source) for f in range(1, n_files + 1)]
    if not occs:
        return [_undetermined(item, "not-found: label not found in the scrambled text", f, d.source)
                for f in range(1, n_files + 1)]
    matching = _assign(occs, n_files)
    for f in range(1, n_files + 1):
        got = matching.get(f)
        if not got:
            out.append(_undetermined(item, f"scrambled: {len(occs)} occurrences of the label cannot be matched to "
                                           f"{n_files} files", f, d.source))
            continue
        sigs = {o.signature() if o else "none" for o in got}
        o = got[0]
        if len(sigs) == 1 and o is not None and o.fv is not None:
            fv = o.fv
            fv = FieldValue(**{k: getattr(fv, k) for k in fv.__slots__})
            fv.file_no, fv.section_path = f, path
            if fv.ok:
                note = "file from the order of part headings" if len(o.files) > 1 else None
                fv.reason = note if fv.reason is None else fv.reason
            out.append(fv)
        elif len(sigs) == 1:
            out.append(_undetermined(item, _UNBOUND if o is not None else
                                     "not-found: no occurrence of the label falls to this file", f, d.source))
        else:
            out.append(_undetermined(item, "scrambled: the file of each occurrence is not fixed by the layout; "
                                           f"values seen for this item: {_census(occs)}", f, d.source))
    return out


def _bind_once(d, item, part, occs, shared, list_users) -> FieldValue:
    if shared:
        return _undetermined(item, f"scrambled: the label 「{item.label}」 is shared by {len(shared) + 1} items; "
                                   f"values seen: {_census(occs) or 'none'}", None, d.source)
    bound = [o for o in occs if o.fv is not None]
    if bound:
        sigs = {o.signature() for o in bound}
        if len(sigs) == 1:
            fv = bound[0].fv
            fv.section_path = "cover" if part is None else _roman(part)
            return fv
        return _undetermined(item, f"conflict: the label occurs with different values: {_census(bound)}", None,
                             d.source)
    if item.kind == SELECTION and list_users[item.options] == 1:
        fv = _type_unique(d, item)
        if fv is not None:
            return fv
    if not occs:
        reason = "not-found: label not found in the scrambled text"
        if part is None:
            reason = f"not-found: 「{item.label}」 is not in the text layer (the cover's lower half is missing from the dump)"
        return _undetermined(item, reason, None, d.source)
    return _undetermined(item, _UNBOUND, None, d.source)


def _type_unique(d: _Doc, item: Item) -> FieldValue | None:
    """The item is the only user of its option list: any bracket fragment or bare line holding one of its
    options is its value, provided every such line in the body agrees."""
    found: list[tuple[str, int]] = []
    for ln in d.lines:
        t = ln.norm.strip("[] ")
        if "[" in t or "]" in t:
            continue
        v = _option_value(item, t)
        if v:
            found.append((v, ln.idx))
    if not found:
        return None
    ol = OPTION_LISTS[item.options]
    nums = {match_option(v, ol.options, ol.aliases).number for v, _ in found}
    if len(nums) != 1:
        return None
    v, i = found[0]
    fv = read_selection(item, Region([(d.lines[i].seg, f"[ {v} ]")], d.source))
    fv.raw = d.lines[i].norm
    fv.evidence = d.ev(i, 0.8)
    fv.reason = (f"scrambled: the only item using {item.options}; its value appears detached from the label "
                 f"({len(found)}×, all agree)")
    return fv


def _roman(part: Section) -> str:
    return PART_NUMERALS[part.number or 0]


# ---------------------------------------------------------------- elimination
_EDGE_BRACKETS = regex.compile(r"^[\[\]\s]+|[\[\]\s]+$")
_VALUE_THEN_LABEL = regex.compile(r"\[\s*(\S+)\s+(\S+)")


def _section_and_risk(part: Section, item: Item) -> tuple[Section | None, Section | None]:
    sec = risk = None
    for s in iter_sections(part):
        if s.level == "section" and any(item in r.items for r in iter_sections(s)):
            sec = s
        if s.level == "risk" and item in s.items:
            risk = s
    return sec, risk


def _governing_flags(part: Section, item: Item) -> tuple[Item, ...]:
    """The flags of the item's section that make it not applicable: a flag naming a qualifier
    (接続しない（入手）) governs the risks whose title holds it; an unqualified flag the whole section."""
    sec, risk = _section_and_risk(part, item)
    if sec is None or not sec.flags:
        return ()
    out = []
    for fl in sec.flags:
        q = regex.search(r"[(（]([^()（）]+)[)）]", normalize_text(fl.label))
        if q is None or (risk is not None and q.group(1) in risk.title):
            out.append(fl)
    return tuple(out)


def _forced_blank(part: Section, item: Item, file_no: int | None, by_place: dict) -> list[str]:
    """Labels of the ticked flags that make this item not applicable (all of its governing flags ticked)."""
    flags = _governing_flags(part, item)
    states = [by_place.get((fl.key, file_no)) for fl in flags]
    if flags and all(f is not None and f.ok and f.options and f.options[0].checked for f in states):
        return [fl.label for fl in flags]
    return []


def _list_components(lists: set[str]) -> list[set[str]]:
    """Option lists joined when they share an option text: a token of a shared text may be either's."""
    comps: list[set[str]] = []
    for lid in sorted(lists):
        texts = {fold_label(o) for o in OPTION_LISTS[lid].options}
        joined = [c for c in comps if any(texts & {fold_label(o) for o in OPTION_LISTS[x].options} for x in c)]
        merged = {lid}.union(*joined) if joined else {lid}
        comps = [c for c in comps if c not in joined] + [merged]
    return comps


_BOX_THEN_LABEL = regex.compile(r"^\](?!\s*\[)|\[\s*[^\[\]]{0,3}?\s*\]\s*\S")  # "] 委託しない", "[ ] 行っていない": boxes


def _token_text(norm: str, index: dict[str, list[Item]]) -> str | None:
    """The value a line prints, if it prints one: the line alone ("[ 十分である", "十分である ]"), after a
    known label ("③対象人数 [ 10万人以上30万人未満"), or before one ("[ 行っている ユーザ認証の管理").
    A checkbox or flag box with its label ("[ ] 行っていない", "] 委託しない") is no value."""
    m = _VALUE_THEN_LABEL.fullmatch(norm)
    if m and fold_label(m.group(2)) in index:
        return m.group(1)
    if _BOX_THEN_LABEL.search(norm):
        return None
    pos = norm.rfind("[")
    if pos > 0 and fold_label(norm[:pos].lstrip("※ ").strip()) in index:
        return _EDGE_BRACKETS.sub("", norm[pos:])
    return _EDGE_BRACKETS.sub("", norm)


def _tokens(d: _Doc, lists: set[str], index: dict[str, list[Item]]) -> list[Token]:
    """Every line of the body that prints exactly one option of these lists as a value (brackets aside,
    never an "n）" option-list entry): see _token_text."""
    out = []
    for ln in d.lines:
        text = _token_text(ln.norm, index)
        if not text or strip_option_prefix(text)[0] is not None or "[" in text or "]" in text:
            continue
        for lid in sorted(lists):
            ol = OPTION_LISTS[lid]
            om = match_option(text, ol.options, ol.aliases, ol.not_applicable)
            if om is not None:
                out.append(Token(fold_label(om.text), ln.idx))
                break
    return out


def _eliminate(d: _Doc, form: Form, fields: list[FieldValue], n_files: int, index: dict[str, list[Item]],
               warnings: list[str], insts: dict[str, list[_Instance] | None]) -> list[FieldValue]:
    """Selections settled by elimination over the body (elimination.py): the items of each group of option
    lists, their own readings and not-applicable sections as constraints, the body's value tokens. A list a
    repeating group takes joins in only when every group's instances are known (_instances)."""
    groups = [g for p in form.parts for g in iter_sections(p) if g.level == "group"]
    items: list[tuple[Section, Item]] = [
        (p, it) for p in form.parts for s in iter_sections(p) if s.level != "group" for it in s.items
        if it.kind == SELECTION and it.options and not any(it in g.items for g in groups)]
    group_items = [(g, it) for g in groups for it in g.items if it.kind == SELECTION and it.options]
    by_place = {(f.key, f.file_no): f for f in fields if f.group_no is None}
    lists = {it.options for _, it in items} | {it.options for _, it in group_items}
    out = list(fields)
    position = {(f.key, f.file_no, f.group_no): i for i, f in enumerate(out)}
    for comp in _list_components(lists):
        if any(it.options in comp and insts.get(g.key) is None for g, it in group_items):
            continue  # a repeating group's items take these values too, and its instances are not known
        slots, places = [], []
        for part, it in items:
            if it.options not in comp:
                continue
            files = list(range(1, n_files + 1)) if part.repeat == "file" else [None]
            if part.repeat == "file" and not n_files:
                break
            for fno in files:
                f = by_place.get((it.key, fno))
                opts = tuple(fold_label(o) for o in OPTION_LISTS[it.options].options)
                fixed = fold_label(f.value_text) if f is not None and f.ok and f.value_text else None
                blank = _forced_blank(part, it, fno, by_place)
                slots.append(Slot(it.key, fno, opts, fixed, bool(blank) and fixed is None))
                places.append((it, fno, None, blank))
        for g, it in group_items:
            if it.options in comp:
                for inst in insts.get(g.key) or []:
                    slots.append(Slot(it.key, inst.file_no, tuple(fold_label(o) for o in OPTION_LISTS[it.options].options)))
                    places.append((it, inst.file_no, inst.number, []))
        tokens = _tokens(d, comp, index)
        if not slots or not tokens:
            continue
        outcomes = solve(slots, tokens)
        if outcomes is None:
            warnings.append(f"elimination: the {len(tokens)} tokens of {'/'.join(sorted(comp))} cannot be bound "
                            f"to its {len(slots)} items ({census(tokens)})")
            continue
        n_blank = sum(1 for sl in slots if sl.blank)
        basis = (f"{len(tokens)} tokens ({census(tokens)}) for {len(slots)} items using {'/'.join(sorted(comp))}"
                 + (f", {n_blank} not applicable" if n_blank else ""))
        for (it, fno, gno, blank), slot, oc in zip(places, slots, outcomes):
            i = position.get((it.key, fno, gno))
            if i is None or out[i].ok:
                continue
            if slot.blank:
                out[i].reason = f"not-applicable: 「{'」「'.join(blank)}」 is ticked ({out[i].reason})"
            elif oc.value is not None:
                out[i] = _by_elimination(d, it, fno, oc.value, tokens, basis, out[i])
            elif len(oc.values) > 1:
                shown = " or ".join(v or "blank" for v in oc.values)
                out[i].reason = f"{out[i].reason} (elimination: {shown})"
    return out


def _by_elimination(d: _Doc, item: Item, file_no: int | None, value: str, tokens: list[Token], basis: str,
                    old: FieldValue) -> FieldValue:
    ol = OPTION_LISTS[item.options]
    n = next(k for k, o in enumerate(ol.options, start=1) if fold_label(o) == value)
    at = next(t.at for t in tokens if t.value == value)
    fv = FieldValue(key=item.key, label=item.label, kind=SELECTION, file_no=file_no, group_no=old.group_no,
                    section_path=old.section_path, raw=d.lines[at].norm, value_text=ol.options[n - 1], option_no=n, scale=item.options,
                    level=n if ol.graded and n not in ol.not_applicable else None, evidence=d.ev(at, 0.8))
    fv.reason = f"determined by elimination: {basis}; every binding gives {ol.options[n - 1]}"
    return fv


# ---------------------------------------------------------------- checkbox options by their own boxes
_BOX_LABEL = regex.compile(r"(?:\[\s*([^\[\]]{0,3}?)\s*\]|(?:^|(?<=\s))(\]))\s*([^\[\]]+)")


def _longest_option(text: str, options: list[str]) -> str | None:
    f = fold_label(text)
    hits = [o for o in options if f.startswith(o)]
    return max(hits, key=len) if hits else None


def _label_before_box(norm: str, options: list[str]) -> str | None:
    """The folded option a line's text before its first bracket spells exactly (a label whose box is lost)."""
    first = regex.search(r"[\[\]]", norm)
    head = (norm[: first.start()] if first else norm).strip()
    o = _longest_option(head, options) if head else None
    return o if o is not None and fold_label(head) == o else None


def _tick_before(norm: str, close: int) -> bool:
    """The "]" at `close` is a box's whose "[" is on another line, and a tick glyph stands right before it on
    this line ("○ ] 紙", "] 医療保険関係情報 ○ ] 児童福祉・子育て関係情報"): a line reads its glyphs left to right
    and a box prints its tick between its brackets, so the tick is this box's and the label after it is ticked."""
    head = norm[:close].rstrip()
    return bool(head) and is_tick_char(head[-1]) and not head[:-1].rstrip().endswith("[")


def _box_occurrences(d: _Doc, all_options: list[str]) -> dict[str, list[tuple[int, str | None]]]:
    """Folded option -> (line index, tick state or None when its box is lost) for every box label in the
    body ("[ ○ ] 4情報…", "] 国税関係情報" with its "[" lost, a line holding only the label)."""
    out: dict[str, list[tuple[int, str | None]]] = {}
    for ln in d.lines:
        o = _label_before_box(ln.norm, all_options)
        if o is not None:  # a label whose box is lost entirely
            out.setdefault(o, []).append((ln.idx, None))
        for m in _BOX_LABEL.finditer(ln.norm):
            o = _longest_option(m.group(3).strip(), all_options)
            if o is None:
                continue
            rest = strip_folded_prefix(m.group(3).strip(), o)
            # a box as the form prints it ("[ ]", "[ ○ ]"), its label followed by nothing but its own
            # （ … ） slot: "[] 内部監査" (two boxes' halves) or "[ ] 雇用・労働関係情報 ○" (a stray mark) are no
            # reading of that option
            printed = m.group(2) is None and " " in m.group(0)[: m.group(0).index("]") + 1]
            clean = not rest or rest[0] in "(（"
            state = tick_state(m.group(1)) if printed and clean else None
            if state is None and clean and m.group(2) is not None and _tick_before(ln.norm, m.start(2)):
                state = TICKED  # "○ ] label": its "[" is lost, its tick is not (_tick_before)
            elif state is None and clean and (m.group(2) is not None or m.group(1) == "") and d.unticked_split(ln.idx):
                state = UNTICKED  # "] label" or "[] label" on a page without a loose tick (_Doc.unticked_split)
            out.setdefault(o, []).append((ln.idx, state if state in (TICKED, UNTICKED) else None))
    return out


def _checkbox_options(d: _Doc, form: Form, fields: list[FieldValue], n_files: int) -> list[FieldValue]:
    """Per-file checkbox groups read option by option: an option whose label no other checkbox list or
    flag of the form uses, printed as a box exactly once per file in the body, takes the state of its box
    wherever every matching of those boxes to files gives the file the same state."""
    if not n_files:
        return fields
    cb_lists = {it.options for it in iter_items(form) if it.kind == CHECKBOX and it.options}
    owners: dict[str, set[str]] = {}
    for lid in cb_lists:
        for o in OPTION_LISTS[lid].options:
            owners.setdefault(fold_label(o), set()).add(lid)
    flag_labels = {fold_label(it.label) for it in iter_items(form) if it.kind == FLAG}
    users = Counter(it.options for p in form.parts for sec in iter_sections(p) for it in sec.items
                    if it.kind == CHECKBOX)
    occ = _box_occurrences(d, sorted(owners, key=len, reverse=True))
    out = list(fields)
    where = {(f.key, f.file_no): i for i, f in enumerate(out)}
    for part in form.parts:
        if part.repeat != "file":
            continue
        for sec in iter_sections(part):
            if sec.level == "group":
                continue
            for it in sec.items:
                if it.kind != CHECKBOX or users[it.options] != 1:
                    continue
                states = _option_states(d, part, it, occ, owners, flag_labels, n_files)
                for f in range(1, n_files + 1):
                    i = where.get((it.key, f))
                    if i is None or out[i].ok:
                        continue
                    out[i] = _checkbox_field(d, it, f, states, out[i])
    return out


def _option_states(d, part, it, occ, owners, flag_labels, n_files) -> dict[int, dict[int, tuple[str, int]]]:
    """file -> option number -> (state, line index) for the options their boxes settle."""
    res: dict[int, dict[int, tuple[str, int]]] = {f: {} for f in range(1, n_files + 1)}
    for n, label in enumerate(OPTION_LISTS[it.options].options, start=1):
        fo = fold_label(label)
        if owners.get(fo) != {it.options} or fo in flag_labels:
            continue  # その他, 電子メール …: another list's box may be this one
        boxes = occ.get(fo, [])
        if len(boxes) != n_files:
            continue
        occs = [_Occ(i, _files_of(d, part, i), None if st is None else FieldValue(
            key=it.key, label=label, kind=CHECKBOX, raw=st, value_text=st)) for i, st in boxes]
        matching = _assign(occs, n_files)
        for f in res:
            got = matching.get(f) or []
            d.box_lines.setdefault((it.key, f, None), set()).update(o.idx for o in got if o)
            d.option_box[(it.key, f, n)] = {o.idx for o in got if o}
            sigs = {(o.fv.value_text if o and o.fv else None) for o in got}
            if got and len(sigs) == 1 and None not in sigs:
                res[f][n] = (sigs.pop(), got[0].idx)
    return res


def _checkbox_field(d: _Doc, it: Item, f: int, states, old: FieldValue) -> FieldValue:
    known = states.get(f, {})
    if not known:
        return old
    opts = [CheckOption(label, n, (known[n][0] == TICKED) if n in known else None)
            for n, label in enumerate(OPTION_LISTS[it.options].options, start=1)]
    first = min(idx for _, idx in known.values())
    fv = FieldValue(key=it.key, label=it.label, kind=CHECKBOX, file_no=f, section_path=old.section_path,
                    scale=it.options, options=opts, evidence=d.ev(first, 0.8),
                    value_text="、".join(o.label for o in opts if o.checked),
                    raw="; ".join(f"{d.lines[idx].norm} (l.{d.lines[idx].seg.line})" for _, idx in known.values())[:500])
    unknown = [o.label for o in opts if o.checked is None]
    how = "each option's box is printed once per file and tied to this file by the part headings"
    if d.pages is not None:
        how += " and pages"
    split = _split_note(d, [idx for _, idx in known.values()])
    if split:
        how += f"; {split}"
    if unknown:
        fv.status = UNDETERMINED
        fv.reason = f"scrambled: {len(known)} of {len(opts)} options read ({how}); unknown: {'、'.join(unknown)}"
    else:
        fv.reason = how
    return fv


# ---------------------------------------------------------------- repeating groups
@dataclass(frozen=True, slots=True)
class _Instance:
    """One instance of a repeating group, found by its heading line ("システム3", "提供先1 都道府県")."""

    group: Section
    part: Section
    file_no: int | None
    number: int
    idx: int  # the heading's line


def _regions(d: _Doc, part: Section, n_files: int) -> list[tuple[int | None, int, int]]:
    """(file, first line, end) of each file's span of a per-file part (its heading to the next part heading);
    (None, lo, hi) for a once-only part: from the part heading before its own (or the start) to the next."""
    heads = d.heads.get(part.key, [])
    every = sorted(h for hs in d.heads.values() for h in hs)
    nxt = lambda h: next((x for x in every if x > h), len(d.lines))  # noqa: E731
    if part.repeat == "file":
        return [(n, h, nxt(h)) for n, h in enumerate(heads, 1)] if n_files and len(heads) == n_files else []
    if len(heads) != 1:
        return []
    return [(None, max((x for x in every if x < heads[0]), default=0), nxt(heads[0]))]


def _instances(d: _Doc, form: Form, n_files: int, warnings: list[str]) -> dict[str, list[_Instance] | None]:
    """Group key -> its instances in every file, from the heading lines "<prefix><n>" (a range heading
    "システム2～5" is none); None when the headings of some file are not exactly 1..n, or none is found."""
    out: dict[str, list[_Instance] | None] = {}
    for part in form.parts:
        regions = _regions(d, part, n_files)
        for g in (s for s in iter_sections(part) if s.level == "group"):
            head = regex.compile(rf"{regex.escape(g.title)}\s*(\d+)(?:\s+\S.*)?")
            found: list[_Instance] = []
            for fno, lo, hi in regions:
                here = [(int(m.group(1)), ln.idx) for ln in d.lines[lo:hi] if (m := head.fullmatch(ln.norm))]
                if sorted(n for n, _ in here) != list(range(1, len(here) + 1)):
                    warnings.append(f"scrambled: the {g.title} headings of {part.key} file {fno} are not 1..n: "
                                    f"{sorted(n for n, _ in here)}")
                    found = []
                    break
                found += [_Instance(g, part, fno, n, i) for n, i in here]
            out[g.key] = found or None  # no heading at all: its headings may be printed otherwise, not absent
    return out


def _group_path(inst: _Instance) -> str:
    sec = next(s for s in iter_sections(inst.part) if inst.group in s.children)
    f = f" (file {inst.file_no})" if inst.file_no else ""
    return f"{_roman(inst.part)}{f} {sec.number} {inst.group.title}{inst.number}"


def _group_selections(d: _Doc, form: Form, insts: dict[str, list[_Instance] | None]) -> list[FieldValue]:
    """The selections of each known group instance, undetermined until elimination settles them."""
    out = []
    for found in insts.values():
        for inst in sorted(found or [], key=lambda i: (i.file_no or 0, i.number)):
            for it in inst.group.items:
                if it.kind == SELECTION:
                    fv = _undetermined(it, _UNBOUND, inst.file_no, d.source)
                    fv.group_no, fv.section_path = inst.number, _group_path(inst)
                    out.append(fv)
    return out


_ANY_BOX = regex.compile(r"(\[\s*([^\[\]]{0,3}?)\s*)?\]\s*([^\[\]]+)")
_LOST = "lost"  # a box whose "[" or tick is not on its label's line
_BOX_VALUES = (TICKED, UNTICKED, _LOST)


def _boxes_in(d: _Doc, lo: int, hi: int, labels: list[str], index: dict[str, list[Item]]) -> dict[str, list[tuple[int, str]]]:
    """Folded label -> (line, TICKED / UNTICKED / _LOST) for every box of these labels in lines lo..hi:
    whole ("[ ○ ] label", "[ ] label", nothing after the label but its （ … ） slot), or lost ("] label" after
    anything, "[] label", a line holding only the label unless it follows an item's label, whose value it is)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for ln in d.lines[lo:hi]:
        o = _label_before_box(ln.norm, labels)
        prev = d.lines[ln.idx - 1].fold if ln.idx else ""
        if o is not None and prev not in index:
            out.setdefault(o, []).append((ln.idx, _LOST))
        for m in _ANY_BOX.finditer(ln.norm):
            o = _longest_option(m.group(3).strip(), labels)
            if o is None:
                continue
            rest = strip_folded_prefix(m.group(3).strip(), o)
            whole = m.group(1) is not None and " " in m.group(1) and (not rest or rest[0] in "(（")
            state = tick_state(m.group(2)) if whole else _LOST
            if state == _LOST and m.group(1) is None and (not rest or rest[0] in "(（") and _tick_before(ln.norm, m.start()):
                state = TICKED  # "○ ] label" (_tick_before)
            if (state == _LOST and (not rest or rest[0] in "(（") and not (m.group(2) or "").strip()
                    and d.unticked_split(ln.idx)):
                state = UNTICKED  # split brackets on a page without a loose tick (_Doc.unticked_split)
            out.setdefault(o, []).append((ln.idx, state if state in (TICKED, UNTICKED) else _LOST))
    return out


def _group_checkboxes(d: _Doc, form: Form, fields: list[FieldValue], n_files: int, index: dict[str, list[Item]],
                      insts: dict[str, list[_Instance] | None],
                      rows: dict[_RowKey, dict[int, tuple[str, int]]]) -> list[FieldValue]:
    """Checkbox items of the repeating groups (and the part's own checkbox items sharing their labels) read
    option by option from their boxes.

    The groups of one section (システム; 提供先 with 移転先) are a family; its instance headings, in text order,
    cut the span of the part (per file) into windows; the part's checkbox items outside the groups (②入手方法)
    sit before the first heading. Every instance and item prints one box per option of its list; a box belongs
    to the instance of the heading before it or to a neighbour in that order (a page's text may precede its
    heading). When the dump's pages are known (conventions.learn_pages) that neighbour rule is replaced by pages
    in the form's order (_page_places). An option is settled when the span holds exactly one box of its label
    per user and every such binding gives that user the same whole box (elimination.py). The options a change row states (変更後) are
    read from the row and bind as constraints: when no binding of the boxes agrees with them, the positional
    rule is refuted in that span and no option of the family is read from its boxes.
    """
    out = list(fields)
    where = {(f.key, f.file_no, f.group_no): i for i, f in enumerate(out)}
    for part in form.parts:
        grouped = {it.key for g in iter_sections(part) if g.level == "group" for it in g.items}
        outside = [it for s in iter_sections(part) for it in s.items if it.kind == CHECKBOX and it.key not in grouped]
        for sec in iter_sections(part):
            family = [g for g in sec.children if g.level == "group" and any(it.kind == CHECKBOX for it in g.items)]
            if not family or any(insts.get(g.key) is None for g in family):
                continue
            for fno, lo, hi in _regions(d, part, n_files):
                found = sorted((i for g in family for i in insts[g.key] or [] if i.file_no == fno), key=lambda i: i.idx)
                if not found:
                    continue
                fixed = {(p, it.key): {n: st for n, (st, _) in rows[(it.key, fno, inst.number)].items()}
                         for p, inst in enumerate(found) for it in inst.group.items
                         if (it.key, fno, inst.number) in rows}
                known = _family_boxes(d, found, lo, hi, outside, index, fixed)
                refuted, clash, body = known is None, {}, None
                if refuted:
                    every = _box_labels(form)
                    with_other = _whole_cells(d, found, lo, hi, outside, index, every, True)
                    cells = with_other or _whole_cells(d, found, lo, hi, outside, index, every, False)
                if refuted and cells:
                    body = _family_boxes(d, found, lo, hi, outside, index, {}, every if with_other else None)
                    if body is not None:  # the document contradicts itself where a row and the body disagree
                        clash = {pk: {n for n, st in fx.items() if n in body.get(pk, {}) and body[pk][n][0] != st}
                                 for pk, fx in fixed.items()}
                        known = {pk: {n: v for n, v in opts.items() if n not in clash.get(pk, set())}
                                 for pk, opts in body.items()}
                        refuted = False
                known = known or {}
                for p, inst in sorted(enumerate(found), key=lambda pi: (pi[1].group.key, pi[1].number)):
                    for it in inst.group.items:
                        if it.kind == CHECKBOX:
                            place = (inst.file_no, inst.number, _group_path(inst))
                            odd = clash.get((p, it.key), set())
                            full = rows.get((it.key, fno, inst.number), {})
                            row = {n: v for n, v in full.items() if n not in odd}
                            mine = {**known.get((p, it.key), {}), **{n: (st, [i]) for n, (st, i) in row.items()}}
                            notes = [_row_note(d, row, OPTION_LISTS[it.options].options)] if row else []
                            if odd:
                                notes.append(_clash_note(d, OPTION_LISTS[it.options].options, odd,
                                                         body[(p, it.key)], full))
                            elif body is not None and known.get((p, it.key)):
                                notes.append(f"the change rows refute the binding with them; {_CELLS}")
                            elif d.pages is not None and known.get((p, it.key)):
                                notes.append(_PAGED)
                            split = _split_note(d, [i for _, ls in known.get((p, it.key), {}).values() for i in ls])
                            if split:
                                notes.append(split)
                            if refuted:
                                notes.append(_REFUTED)
                            out.append(_group_checkbox_field(d, it, place, mine, len(found), notes,
                                                             bool(known.get((p, it.key)))))
                for (p, key), opts in known.items():
                    inst_no = found[p].number if p >= 0 else None
                    d.box_lines.setdefault((key, fno, inst_no), set()).update(i for _, ls in opts.values() for i in ls)
                for it in outside:
                    i = where.get((it.key, fno, None))
                    if i is not None and not out[i].ok and known.get((-1, it.key)):
                        out[i] = _merged_checkbox(d, out[i], it, known[(-1, it.key)], len(found))
    return out


def _family_boxes(d: _Doc, found: list[_Instance], lo: int, hi: int, outside: list[Item],
                  index: dict[str, list[Item]], fixed: dict[tuple[int, str], dict[int, str]],
                  every_label: list[str] | None = None) -> dict[tuple[int, str], dict[int, tuple[str, list[int]]]] | None:
    """(place, item key) -> option number -> (state, lines of the boxes it may be) for the settled options;
    place -1 is the part's own item, 0.. the instances in text order. `fixed`: the states change rows give
    (its box is of that state or lost); None when no binding agrees with them (the rule is refuted).
    `every_label` (the form's box labels, longest first): その他 is bound too, the span's pages holding
    whole cells (_whole_cells)."""
    mine = [(p, it) for p, inst in enumerate(found) for it in inst.group.items if it.kind == CHECKBOX]
    # その他 is an option of every list (a box of 主な記録項目, printed before its file's heading, may be any
    # span's): never tied by its label, unless the span's pages hold whole cells of this family alone
    group_labels = {fold_label(o) for _, it in mine for o in OPTION_LISTS[it.options].options} - (
        set() if every_label else {fold_label(OTHER_OPTION)})
    users = [(-1, it) for it in outside if group_labels & {fold_label(o) for o in OPTION_LISTS[it.options].options}]
    users += mine
    labels = sorted(group_labels, key=len, reverse=True)
    boxes = _boxes_in(d, lo, hi, every_label or labels, index)
    starts = [i.idx for i in found]
    known: dict[tuple[int, str], dict[int, tuple[str, list[int]]]] = {}
    for label in labels:
        takers = [(p, it, n) for p, it in users for n, o in enumerate(OPTION_LISTS[it.options].options, 1)
                  if fold_label(o) == label]
        here = boxes.get(label, [])
        if len(here) != len(takers):
            continue
        tokens, window = [], {}
        for idx, state in here:
            w = window[idx] = max((k for k, h in enumerate(starts) if h <= idx), default=-1)
            by_pages = _page_places(d, found, idx)
            tokens.append(Token(state, idx, by_pages if by_pages is not None else frozenset({w - 1, w, w + 1})))
        slots = [Slot(label, None, (fixed[(p, it.key)][n], _LOST) if n in fixed.get((p, it.key), {}) else _BOX_VALUES,
                      must=True, place=p) for p, it, n in takers]
        outcomes = solve(slots, tokens)
        if outcomes is None and any(n in fixed.get((p, it.key), {}) for p, it, n in takers):
            return None
        for (p, it, n), oc in zip(takers, outcomes or []):
            if oc.value in (TICKED, UNTICKED):  # the boxes it may be, its own window's first
                lines = sorted((t.at for t in tokens if t.value == oc.value and p in (t.places or ())),
                               key=lambda i: (abs(window[i] - p), i))
                known.setdefault((p, it.key), {})[n] = (oc.value, lines)
    return known


_PAGED = "a box lies on the pages from its instance's heading to the next instance's heading in the form's order"
_CELLS = ("the pages hold whole cells of this family's boxes (every label equally often on each page), so "
          "each instance's boxes are bound by pages alone")


def _clash_note(d: _Doc, labels: tuple[str, ...], odd: set[int], body: dict[int, tuple[str, list[int]]],
                row: dict[int, tuple[str, int]]) -> str:
    def lines(idx: list[int]) -> str:
        return ", ".join(f"l.{d.every[i].seg.line}" for i in idx)
    said = "; ".join(f"{labels[n - 1]}: the body's boxes {body[n][0]} ({lines(body[n][1])}), its change row "
                     f"{row[n][0]} ({lines([row[n][1]])})" for n in sorted(odd))
    return f"conflict, left unknown: {said}; {_CELLS}"


def _whole_cells(d: _Doc, found: list[_Instance], lo: int, hi: int, outside: list[Item],
                 index: dict[str, list[Item]], every_label: list[str], other: bool) -> bool:
    """The family's boxes in lines lo..hi come in whole cells per page: the pages are known, the instances
    take one option list and no item of the part shares its labels, and every page holding a box of the
    list's labels (その他 too when `other`, told from longer labels by every_label) holds each of them equally
    often. (003: with その他 the check fails, as a その他 box of 主な記録項目, l.526, lies in Ⅰ's span by lines.) Then no cell is split across
    pages and the page windows (_page_places) bind the boxes without the rows: where the change rows
    refute a binding, the body is read alone and the document is said to contradict itself where the two
    disagree (the option is left unknown)."""
    if d.pages is None:
        return False
    lists = {it.options for inst in found for it in inst.group.items if it.kind == CHECKBOX}
    if len(lists) != 1:
        return False
    labels = {fold_label(o) for o in OPTION_LISTS[next(iter(lists))].options} - (
        set() if other else {fold_label(OTHER_OPTION)})
    if any(labels & {fold_label(o) for o in OPTION_LISTS[it.options].options} for it in outside):
        return False
    per_page: dict[int, Counter] = {}
    for label, boxes in _boxes_in(d, lo, hi, every_label, index).items():
        for idx, _ in boxes:
            if label in labels:
                per_page.setdefault(d.page(idx), Counter())[label] += 1
    return bool(per_page) and all(set(c) == labels and len(set(c.values())) == 1 for c in per_page.values())


def _form_order(found: list[_Instance]) -> list[int]:
    """Indices of the instances in the form's order: their groups' order in the part, then their numbers."""
    if not found:
        return []
    order = {sec.key: k for k, sec in enumerate(iter_sections(found[0].part))}
    return sorted(range(len(found)), key=lambda p: (order[found[p].group.key], found[p].number))


def _page_places(d: _Doc, found: list[_Instance], idx: int) -> frozenset[int] | None:
    """The places (-1: the part's own items, printed before the groups; k: found[k]) whose text may lie on line
    idx's page. Pages are in the form's order, so an instance's text lies on the pages from the one holding
    its heading to the one holding the next instance's heading in the form's order (whatever the text order
    of headings sharing a page: 003 file 2 prints 提供先2's heading l.1501 before 提供先1's l.1541 on one
    page), the part's own items up to the first instance's. None when the pages are not known, or the
    headings' pages do not rise in the form's order (then the neighbour rule of _family_boxes is used)."""
    if d.pages is None or not found:
        return None
    seq = _form_order(found)
    pages = [d.page(found[k].idx) for k in seq]
    if any(a > b for a, b in zip(pages, pages[1:])):
        return None
    p = d.page(idx)
    out = {k for q, k in enumerate(seq) if pages[q] <= p and (q + 1 == len(seq) or p <= pages[q + 1])}
    if p <= pages[0]:
        out.add(-1)
    return frozenset(out)


def _merged_checkbox(d: _Doc, old: FieldValue, it: Item, known: dict[int, tuple[str, list[int]]],
                     n_inst: int) -> FieldValue:
    """The part's own checkbox item with the options its boxes settle next to the groups' (none it already
    has is changed)."""
    have = {o.option_no: o.checked for o in old.options if o.checked is not None}
    if any(n in have and have[n] != (st == TICKED) for n, (st, _) in known.items()):
        return old
    fv = _group_checkbox_field(d, it, (old.file_no, None, old.section_path), known, n_inst)
    for o in fv.options:
        if o.checked is None and o.option_no in have:
            o.checked = have[o.option_no]
    unknown = [o.label for o in fv.options if o.checked is None]
    fv.value_text = "、".join(o.label for o in fv.options if o.checked)
    split = _split_note(d, [i for _, ls in known.values() for i in ls])
    fv.reason = (f"scrambled: {sum(1 for o in fv.options if o.checked is not None)} of {len(fv.options)} options read "
                 f"(its boxes lie before the groups' of its part; every binding gives the same box"
                 + (f"; {split})" if split else ")")
                 + (f"; unknown: {'、'.join(unknown)}" if unknown else ""))
    fv.status = UNDETERMINED if unknown else fv.status
    return fv


_REFUTED = ("no option of this family is read from its boxes: with the change rows' states no binding keeps every box "
            "next to its instance's heading or a neighbour's (the positional rule is refuted in this span)")


def _group_checkbox_field(d: _Doc, it: Item, place: tuple[int | None, int | None, str],
                          known: dict[int, tuple[str, list[int]]], n_inst: int, notes: Sequence[str] = (),
                          by_boxes: bool = True) -> FieldValue:
    """A checkbox field from its settled options; `place` is (file, group number, section path); `notes` say
    where the options not read from the boxes come from (by_boxes: some are read from the boxes)."""
    file_no, group_no, path = place
    opts = [CheckOption(label, n, (known[n][0] == TICKED) if n in known else None)
            for n, label in enumerate(OPTION_LISTS[it.options].options, start=1)]
    if not known:
        fv = _undetermined(it, "; ".join(("scrambled: no option is settled by its boxes", *notes)), file_no, d.source)
        fv.group_no, fv.section_path, fv.options = group_no, path, opts
        return fv
    first = min(lines[0] for _, lines in known.values())  # the first option's own box
    fv = FieldValue(key=it.key, label=it.label, kind=CHECKBOX, file_no=file_no, group_no=group_no,
                    section_path=path, scale=it.options, options=opts, evidence=d.ev(first, 0.8),
                    value_text="、".join(o.label for o in opts if o.checked),
                    raw="; ".join(f"{opts[n - 1].label}: " + " or ".join(f"{d.every[i].norm} (l.{d.every[i].seg.line})"
                                                                          for i in lines)
                                  for n, (_, lines) in sorted(known.items()))[:500])
    how = (f"each of the {n_inst} instances prints one box per option after its heading or just before a "
           f"neighbour's; every binding of the whole boxes gives this one the same state") if by_boxes else None
    unknown = [o.label for o in opts if o.checked is None]
    head = f"scrambled: {len(known)} of {len(opts)} options read" if unknown else None
    tail = f"unknown: {'、'.join(unknown)}" if unknown else None
    fv.reason = "; ".join(x for x in (head, how, *notes, tail) if x)
    fv.status = UNDETERMINED if unknown else fv.status
    return fv


# ---------------------------------------------------------------- the 変更箇所 sheets (別添2)
_ROW_BOX = regex.compile(r"^(?:\[\s*([^\[\]]{0,3}?)\s*\]|([○〇]))\s*(\S.*)$")  # "[○]label", "[　]label", "〇label"
_RowKey = tuple[str, int | None, int | None]  # (item key, file, group number)


def _row_blocks(d: _Doc) -> list[tuple[list[_Line], list[_Line]]]:
    """(path lines, box lines) of each change row after the body: a row opens at a part heading ("Ⅲ リスク
    対策（２　本人確認…") and ends at its 提出時期 (事前 / 事後); the lines before its first box are its path."""
    out: list[tuple[list[_Line], list[_Line]]] = []
    cur: tuple[list[_Line], list[_Line]] | None = None
    for ln in d.every[d.body_end:]:
        if ln.norm in SUBMISSION_TIMINGS or ln.norm.endswith(tuple(" " + t for t in SUBMISSION_TIMINGS)):
            if cur is not None and cur[1]:
                out.append(cur)
            cur = None
        elif _PART_RE.match(ln.norm):
            cur = ([ln], [])
        elif cur is not None:
            if _ROW_BOX.match(ln.norm):
                cur[1].append(ln)
            elif not cur[1]:
                cur[0].append(ln)
    return out


def _row_place(form: Form, path: list[_Line], n_files: int) -> tuple[Section, int | None, Section | None, int | None] | None:
    """(part, file, group, group number) named by a row's path lines; None when the path does not name them."""
    joined = "".join(ln.fold for ln in path)
    m = _PART_RE.match(path[0].norm)
    part = next((p for p in form.parts if p.number == section_numeral(m.group(1))
                 and joined[1:].startswith(fold_label(p.title))), None) if m else None
    if part is None:
        return None
    fno = None
    if part.repeat == "file":
        fm = regex.match(r"\((\d+)", joined[1 + len(fold_label(part.title)):])
        if fm is None or not 1 <= int(fm.group(1)) <= n_files:
            return None
        fno = int(fm.group(1))
    heads = [(g, int(gm.group(1))) for g in iter_sections(part) if g.level == "group" for ln in path
             if (gm := regex.fullmatch(rf"{regex.escape(g.title)}\s*(\d+)", ln.norm.strip()))]
    if len(heads) > 1:
        return None
    group, gno = heads[0] if heads else (None, None)
    return part, fno, group, gno


def _row_states(part: Section, group: Section | None, boxes: list[_Line]) -> tuple[Item, list[tuple[int, str, int]]] | None:
    """The row's item (the only checkbox item of its place whose list holds every box label) and its 変更後
    cell: (option number, state, line) per box. The cells are told apart by the first label printed twice
    (a cell holds one box per option); a row must hold exactly two."""
    items = [it for s in ((group,) if group else (s for s in iter_sections(part) if s.level != "group"))
             for it in s.items if it.kind == CHECKBOX]
    found = []
    for it in items:
        opts = [fold_label(o) for o in OPTION_LISTS[it.options].options]
        labels = [_longest_option(_ROW_BOX.match(ln.norm).group(3), opts) for ln in boxes]
        if all(labels):
            found.append((it, opts, labels))
    if len(found) != 1:
        return None
    it, opts, labels = found[0]
    cut = next((k for k in range(len(labels)) if labels[k] in labels[:k]), None)
    if cut is None or len(set(labels[cut:])) != len(labels) - cut:
        return None
    out = []
    for ln, label in zip(boxes[cut:], labels[cut:]):
        m = _ROW_BOX.match(ln.norm)
        state = TICKED if m.group(2) else tick_state(m.group(1))
        if state not in (TICKED, UNTICKED):
            return None
        out.append((opts.index(label) + 1, state, ln.idx))
    return it, out


def _change_rows(d: _Doc, form: Form, n_files: int) -> dict[_RowKey, dict[int, tuple[str, int]]]:
    """Checkbox options whose state the 変更箇所 sheet states: the 変更後の記載 cell of a row naming the item's
    place (part, file, group instance). An option is kept only when every row naming it agrees and no box of
    its label in a row that could not be placed (a later change, maybe) shows another state."""
    seen: dict[tuple[_RowKey, int], set[tuple[str, int]]] = {}
    used: set[int] = set()
    for path, boxes in _row_blocks(d):
        place = _row_place(form, path, n_files)
        got = _row_states(place[0], place[2], boxes) if place else None
        if got is None:
            continue
        it, states = got
        used.update(ln.idx for ln in boxes)
        for n, state, idx in states:
            seen.setdefault(((it.key, place[1], place[3]), n), set()).add((state, idx))
    others: dict[str, set[str]] = {}  # folded label -> states of the boxes outside the placed rows
    for ln in d.every[d.body_end:]:
        if ln.idx not in used and (m := _ROW_BOX.match(ln.norm)):
            state = TICKED if m.group(2) else tick_state(m.group(1))
            others.setdefault(regex.split(r"[(（]", fold_label(m.group(3)))[0], set()).add(state)
    items = {it.key: it for it in iter_items(form)}
    out: dict[_RowKey, dict[int, tuple[str, int]]] = {}
    for (key, n), got in seen.items():
        label = fold_label(OPTION_LISTS[items[key[0]].options].options[n - 1])
        states = {s for s, _ in got} | others.get(label, set())
        if len(states) == 1:
            out.setdefault(key, {})[n] = min(got, key=lambda g: g[1])
    return out


def _apply_change_rows(d: _Doc, form: Form, fields: list[FieldValue],
                       rows: dict[_RowKey, dict[int, tuple[str, int]]]) -> list[FieldValue]:
    """The non-group checkbox fields completed by their change rows (the groups' are read with their boxes)."""
    items = {it.key: it for it in iter_items(form)}
    out = list(fields)
    for i, f in enumerate(out):
        row = rows.get((f.key, f.file_no, f.group_no))
        if row and f.group_no is None and f.kind == CHECKBOX:
            out[i] = _with_change_rows(d, f, items[f.key], row)
    return out


def _row_note(d: _Doc, row: dict[int, tuple[str, int]], labels: tuple[str, ...]) -> str:
    shown = ", ".join(f"{labels[n - 1]} {'ticked' if st == TICKED else 'unticked'} "
                      f"(l.{d.every[i].seg.line} {d.every[i].norm})" for n, (st, i) in sorted(row.items()))
    return f"変更箇所 row, its 変更後の記載 cell (the second of 変更前 / 変更後): {shown}"


def _with_change_rows(d: _Doc, old: FieldValue, it: Item, row: dict[int, tuple[str, int]]) -> FieldValue:
    """A non-group checkbox field with the options its change rows state. An option the body gives another
    state is left unknown: one of the two readings is wrong and nothing says which."""
    have = {o.option_no: o.checked for o in old.options if o.checked is not None}
    clash = {n for n, (st, _) in row.items() if n in have and have[n] != (st == TICKED)}
    if not clash and all(n in have for n in row):
        return old
    have = {n: v for n, v in have.items() if n not in clash}
    row = {n: v for n, v in row.items() if n not in clash}
    labels = OPTION_LISTS[it.options].options
    opts = [CheckOption(label, n, have.get(n, (row[n][0] == TICKED) if n in row else None))
            for n, label in enumerate(labels, start=1)]
    first = min((i for _, i in row.values()), default=None)
    fv = FieldValue(key=it.key, label=it.label, kind=CHECKBOX, file_no=old.file_no, group_no=old.group_no,
                    section_path=old.section_path, scale=it.options, options=opts,
                    evidence=old.evidence if have or first is None else d.ev(first, 0.8),
                    value_text="、".join(o.label for o in opts if o.checked),
                    raw=old.raw or (d.every[first].norm if first is not None else ""))
    unknown = [o.label for o in opts if o.checked is None]
    head = f"scrambled: {len(opts) - len(unknown)} of {len(opts)} options read" if unknown else None
    tail = f"unknown: {'、'.join(unknown)}" if unknown else None
    odds = f"conflict: the body and its change row disagree on {'、'.join(labels[n - 1] for n in sorted(clash))}"
    fv.reason = "; ".join(x for x in (head, old.reason if have else None, _row_note(d, row, labels) if row else None,
                                      odds if clash else None, tail) if x)
    fv.status = UNDETERMINED if unknown else fv.status
    return fv


# ---------------------------------------------------------------- the ticks a page prints
def _split_at(d: _Doc, i: int, label: str) -> bool:
    """Line i holds a box of this (folded) label whose "[" is on another line ("] 自己点検", "[] 内部監査")."""
    return any(fold_label(m.group(3).strip()).startswith(label) and (m.group(2) is not None or m.group(1) == "")
               for m in _BOX_LABEL.finditer(d.every[i].norm))


def _tick_budget(d: _Doc, form: Form, fields: list[FieldValue]) -> list[FieldValue]:
    """Per-file checkbox options read by the ticks their page prints. A ticked box whose brackets were split
    apart has its tick glyph loose on its page (outside a whole box: conventions.loose_ticks), one glyph per
    box. When the split boxes of a page already known ticked (from a change row or their own line) are as
    many as the page's loose tick glyphs, every glyph is theirs, and every other split box of the page is
    unticked (003 file 1's 監査, l.2574 "] 自己点検 ] 外部監査", l.2578 "[] 内部監査[ ○ [", l.2582 "○": its row
    ticks 自己点検 and 内部監査, the page has two loose ticks, so 外部監査 is unticked). Only options whose box is
    one line (every matching of boxes to files agrees on it) take part."""
    if d.pages is None:
        return fields
    items = {it.key: it for it in iter_items(form)}
    box: dict[tuple[str, int, int], int] = {}  # (key, file, option) -> its one split box line
    for (key, f, n), lines in d.option_box.items():
        label = fold_label(OPTION_LISTS[items[key].options].options[n - 1])
        if len(lines) == 1 and _split_at(d, next(iter(lines)), label):
            box[(key, f, n)] = next(iter(lines))
    state = {(f.key, f.file_no, o.option_no): o.checked for f in fields if f.group_no is None and f.kind == CHECKBOX
             for o in f.options}
    by_page: dict[int, list[tuple[str, int, int]]] = {}
    for place, i in box.items():
        by_page.setdefault(d.page(i), []).append(place)
    out = list(fields)
    for page, places in by_page.items():
        ticked = [pl for pl in places if state.get(pl) is True]
        loose = loose_ticks([ln.norm for ln in d.every if d.pages.page[ln.idx] == page])
        if not ticked or len(ticked) != loose:
            continue
        for k, f in enumerate(out):
            todo = [o.option_no for o in f.options if f.group_no is None and f.kind == CHECKBOX and o.checked is None
                    and (f.key, f.file_no, o.option_no) in places]
            if todo:
                lines = ", ".join(f"l.{d.every[box[(f.key, f.file_no, n)]].seg.line}" for n in todo)
                known = ", ".join(f"l.{d.every[box[pl]].seg.line}" for pl in ticked)
                note = (f"{'、'.join(f.options[n - 1].label for n in todo)} unticked by its page's ticks ({lines}): "
                        f"the page prints {loose} tick glyphs outside whole boxes, as many as its split boxes known "
                        f"ticked ({known})")
                out[k] = _with_options(f, dict.fromkeys(todo, False), note)
    return out


def _with_options(old: FieldValue, states: dict[int, bool], note: str) -> FieldValue:
    opts = [CheckOption(o.label, o.option_no, states.get(o.option_no, o.checked), o.text) for o in old.options]
    unknown = [o.label for o in opts if o.checked is None]
    fv = FieldValue(key=old.key, label=old.label, kind=old.kind, file_no=old.file_no, group_no=old.group_no,
                    section_path=old.section_path, scale=old.scale, options=opts, evidence=old.evidence,
                    value_text="、".join(o.label for o in opts if o.checked), raw=old.raw)
    reason = regex.sub(r"(?:; )?unknown: .*$", "", old.reason or "")
    reason = regex.sub(r"^scrambled: \d+ of (\d+) options read",
                       lambda m: f"scrambled: {len(opts) - len(unknown)} of {m.group(1)} options read", reason)
    fv.reason = "; ".join(x for x in (reason, note, f"unknown: {'、'.join(unknown)}" if unknown else None) if x)
    fv.status = UNDETERMINED if unknown else OK
    return fv


# ---------------------------------------------------------------- その他 by pages
def _other_by_pages(d: _Doc, form: Form, fields: list[FieldValue], n_files: int,
                    insts: dict[str, list[_Instance] | None], index: dict[str, list[Item]]) -> list[FieldValue]:
    """その他 of the checkbox items of a per-file part, bound by pages (elimination.py).

    Every list's last option is その他 （ … ）, printed in the last row of its cell, and every item (per file,
    per group instance) prints exactly one その他 box: the part's その他 boxes are as many as those items, or
    nothing is read. An item's その他 box lies on the pages from the first to one past the last of the boxes
    the readers tied to its other options (a cell may break across a page after any row), within its file's
    pages (its heading's to the next file's) and its instance's (its heading's to the next instance's heading's
    in the form's order); the part's own items lie on pages up to the first heading of a group printed after
    them. A box's state is its whole box's, unticked when
    its brackets are split on a page without a loose tick, else unknown. An item's その他 is read when every
    binding of the boxes to the items gives it the same state. The labels never bind (every list has one)."""
    if d.pages is None or not n_files:
        return fields
    other = fold_label(OTHER_OPTION)
    out = list(fields)
    where = {(f.key, f.file_no, f.group_no): i for i, f in enumerate(out)}
    for part in form.parts:
        regions = _regions(d, part, n_files) if part.repeat == "file" else []
        if not regions:
            continue
        order = {s.key: k for k, s in enumerate(iter_sections(part))}
        grouped = {g.key: g for g in iter_sections(part) if g.level == "group"}
        parent = {c.key: s.key for s in iter_sections(part) for c in s.children if c.key in grouped}
        own = [(it, order[s.key]) for s in iter_sections(part) if s.level != "group" for it in s.items
               if it.kind == CHECKBOX and it.options and fold_label(OPTION_LISTS[it.options].options[-1]) == other]
        heads = [h for _, h, _ in regions]
        hp = [d.page(h) for h in heads]
        end = d.page(regions[-1][2] - 1)
        slots, places, windows = [], [], []
        for n, (fno, _, _) in enumerate(regions):
            f_lo, f_hi = hp[n], hp[n + 1] if n + 1 < len(hp) else end
            found = sorted((i for g in grouped for i in insts.get(g, None) or [] if i.file_no == fno),
                           key=lambda i: i.idx)
            # an item printed before a group's section (or in it, before its first instance) lies on pages up to
            # that group's first heading
            users = [(it, None, (f_lo, min((d.page(i.idx) for i in found if order[parent[i.group.key]] >= at),
                                           default=f_hi))) for it, at in own]
            seq = _form_order(found)
            if any(d.page(found[a].idx) > d.page(found[b].idx) for a, b in zip(seq, seq[1:])):
                return out  # the headings' pages do not rise in the form's order: no window to trust
            for q, k in enumerate(seq):  # an instance's text: its heading's page to the next one's (form order)
                inst = found[k]
                later = d.page(found[seq[q + 1]].idx) if q + 1 < len(seq) else f_hi
                users += [(it, inst.number, (d.page(inst.idx), later)) for it in inst.group.items
                          if it.kind == CHECKBOX and fold_label(OPTION_LISTS[it.options].options[-1]) == other]
            for it, g, (w_lo, w_hi) in users:
                i = where.get((it.key, fno, g))
                if i is None:
                    return out  # an item without its field: no count to trust
                lines = d.box_lines.get((it.key, fno, g), set())
                if lines:
                    pages = [d.page(x) for x in lines]
                    w_lo, w_hi = max(w_lo, min(pages)), min(w_hi, max(pages) + 1)
                n_opt = len(OPTION_LISTS[it.options].options)
                have = next((o.checked for o in out[i].options if o.option_no == n_opt), None)
                fixed = None if have is None else (TICKED if have else UNTICKED)
                slots.append(Slot(it.key, fno, _BOX_VALUES, fixed, must=True, place=len(places)))
                places.append((i, n_opt))
                windows.append((max(w_lo, f_lo), min(w_hi, f_hi)))
        first_line = next(ln.idx for ln in d.lines if d.page(ln.idx) == hp[0])
        boxes = _boxes_in(d, first_line, regions[-1][2], _box_labels(form), index).get(other, [])
        if not slots or len(boxes) != len(slots):
            continue
        tokens = [Token(st, idx, frozenset(k for k, (a, b) in enumerate(windows) if a <= d.page(idx) <= b))
                  for idx, st in boxes]
        outcomes = solve(slots, tokens)
        if outcomes is None:
            continue
        for (i, n_opt), slot, oc in zip(places, slots, outcomes):
            if slot.fixed is None and oc.value in (TICKED, UNTICKED):
                out[i] = _with_other(d, out[i], n_opt, oc.value, [t.at for t in tokens if t.value == oc.value
                                                                   and slot.place in t.places], len(boxes))
    return out


def _with_other(d: _Doc, old: FieldValue, n_opt: int, state: str, lines: list[int], n_boxes: int) -> FieldValue:
    shown = " or ".join(f"l.{d.every[i].seg.line}" for i in sorted(lines))
    note = (f"{OTHER_OPTION} {'ticked' if state == TICKED else 'unticked'} by pages ({shown}): every binding of "
            f"the part's {n_boxes} {OTHER_OPTION} boxes to its {n_boxes} items, each on its cell's pages, gives it")
    return _with_options(old, {n_opt: state == TICKED}, note)


# ---------------------------------------------------------------- file names and identity
_FILE_LINE = regex.compile(r"^(\d+)\s+(\S+ファイル)$")


def _file_names(d: _Doc, form: Form, n_files: int) -> list[FieldValue]:
    """"１．特定個人情報ファイル名" followed by "ｎ　name": the printed number gives the file."""
    out = []
    for part in form.parts:
        if part.repeat != "file":
            continue
        sec = next(s for s in part.children if s.heading_item and s.heading_item.role == Role.FILE_NAME)
        item = sec.heading_item
        heading = regex.compile(rf"{sec.number}\s*[.．]\s*{regex.escape(item.label)}")
        names: dict[int, tuple[str, int]] = {}
        conflict = False
        for ln in d.lines[:-1]:
            if not heading.fullmatch(ln.norm):
                continue
            if _part_before(d, ln.idx) != part.key:
                continue
            nxt = d.lines[ln.idx + 1]
            m = _FILE_LINE.match(nxt.norm)
            if not m:
                continue
            files = _files_of(d, part, ln.idx)
            n = int(m.group(1))
            if files and n not in files:
                continue  # a file name of the other part's block
            if n in names and names[n][0] != m.group(2):
                conflict = True
            names[n] = (m.group(2), nxt.idx)
        for f in range(1, n_files + 1):
            if f in names and not conflict:
                name, i = names[f]
                out.append(FieldValue(key=item.key, label=item.label, kind=TEXT, file_no=f,
                                      section_path=f"{_roman(part)} (file {f}) 1", raw=d.lines[i].norm,
                                      value_text=name, evidence=d.ev(i)))
            else:
                out.append(_undetermined(item, "not-found: no numbered file name under this heading", f, d.source))
    return out


def _part_before(d: _Doc, i: int) -> str | None:
    best = None
    for key, hs in d.heads.items():
        for h in hs:
            if h <= i and (best is None or h > best[0]):
                best = (h, key)
    return best[1] if best else None


def _identity(d: _Doc, form: Form, fields: list[FieldValue]) -> Identity:
    segs = [ln.seg for ln in d.lines]
    number, title = _number_and_title(d, form)
    declaration = _declaration(d, form)
    org = ident.organization_from_declaration(declaration)
    fields.extend(_cover_fields(d, form, number, title, declaration))
    affair = next((f.value_text for f in fields if f.key in form.keys_for(Role.AFFAIR) and f.ok and f.value_text),
                  None)
    if affair is None and title:
        affair = ident.TITLE_SUFFIX.sub("", title).strip() or None
    head = form.by_role(Role.FILE_NAME)  # Ⅱ 1: each file's name
    files = {f.file_no: f.value_text for f in fields if head and f.key == head.key and f.ok}
    org_raw = next((f.value_text for f in fields if f.key in form.keys_for(Role.ORGANIZATION) and f.ok), None)
    published = next((f.value_date for f in fields if f.key in form.keys_for(Role.PUBLISHED) and f.ok), None)
    return Identity(form_type=form.form_type, form_revision=ident.form_revision(segs), organization_raw=org_raw,
                    organization=org, affair=affair, title=title, assessment_no=number, published=published,
                    file_names=[files[k] for k in sorted(files)] if len(files) == len(
                        {f.file_no for f in fields if head and f.key == head.key}) else [])


def _header_labels(form: Form) -> str:
    return f"{form.by_role(Role.ASSESSMENT_NO).label} {form.by_role(Role.TITLE).label}"


def _number_and_title(d: _Doc, form: Form) -> tuple[str | None, str | None]:
    """The cover's "評価書番号 評価書名" header line and the "n title" line after it."""
    number = title = None
    header = regex.compile(r"\s+".join(map(regex.escape, _header_labels(form).split(" "))))
    for i, ln in enumerate(d.lines[:10]):
        if header.fullmatch(ln.norm) and i + 1 < len(d.lines):
            m = regex.fullmatch(rf"(\d+(?:-\d+)?)\s+(\S.*{TITLE_WORD})", d.lines[i + 1].norm)
            if m:
                number, title = m.group(1), m.group(2)
    return number, title


def _cover_fields(d: _Doc, form: Form, number: str | None, title: str | None,
                  declaration: str | None) -> list[FieldValue]:
    header_rule = f"{_header_labels(form)} header line followed by 「n title」"
    how = {Role.ASSESSMENT_NO: (number, header_rule), Role.TITLE: (title, header_rule),
           Role.DECLARATION: (declaration, f"the lines between the 宣言 label and {form.by_role(Role.NOTES).label}")}
    out = []
    for item in form.cover:
        if item.role in how:
            value, rule = how[item.role]
            fv = FieldValue(key=item.key, label=item.label, kind=TEXT, section_path="cover", raw=value or "",
                            value_text=value, evidence=Evidence(d.source, method="text"))
            if not value:
                fv.status, fv.reason = UNDETERMINED, f"not-found: {rule}"
            out.append(fv)
    return out


def _declaration(d: _Doc, form: Form) -> str | None:
    label = fold_label(form.by_role(Role.DECLARATION).label)
    start = next((ln.idx for ln in d.lines[:40] if ln.fold == label), None)
    if start is None:
        return None
    body = []
    for ln in d.lines[start + 1:start + 15]:
        if ln.fold in (fold_label(form.by_role(Role.NOTES).label), TOC_HEADING):
            break
        body.append(ln.norm)
    return "".join(body) or None


__all__ = ["is_scrambled", "parse_scrambled"]
