"""Segments + form model -> FieldValues. The heart of the product; it never invents a value.

One pass over the segments in reading order keeps a context (part, file, section, risk, group). A
segment either opens a heading, opens an item (its label matches an item in scope), or belongs to the
value region of the item opened last. When the next label or heading arrives the open region is
interpreted by the item's kind (interpret.py). Whatever the evidence does not establish is recorded
as undetermined with a reason.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from extract.core.fields import OK, UNDETERMINED, Evidence, FieldValue
from extract.core.result import Identity
from extract.core.segments import Segment, SegmentedDocument
from extract.forms import fuzzy
from extract.forms import identity as ident
from extract.forms.interpret import Region, interpret, option_boxes, strip_folded_prefix
from extract.forms.model import (
    CHECKBOX,
    DATE,
    FLAG,
    FORMS,
    OPTION_LISTS,
    SELECTION,
    Form,
    Item,
    Section,
    iter_sections,
)
from normalize.text import fold_label, join_wrapped, normalize_text, section_numeral

SCORED_KINDS = (SELECTION, CHECKBOX, FLAG, DATE)

_PART_RE = regex.compile(r"^\s*(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ|VI|IV|V|III|II|I)\s*[.．]?\s*(\S.*)$", regex.S)
_SECTION_RE = regex.compile(r"^\s*(\d{1,2})\s*[.．]?\s*(\D.*)$", regex.S)
_RISK_RE = regex.compile(r"^\s*リスク\s*(\d*)\s*[:：]\s*(.*)$", regex.S)
_GROUP_RE = regex.compile(r"^\s*(システム|委託事項|提供先|移転先)\s*(\d+)(?!\s*[~～〜\d])\s*(.*)$", regex.S)
_CHANGES_RE = regex.compile(r"^\s*[(（]?\s*別添\s*\d?\s*[)）]?\s*変更箇所\s*$")
_ANNEX_RE = regex.compile(r"^\s*[(（]\s*別添\s*\d?\s*[)）]")
_OCR_CHANGES_RE = regex.compile(r"^\s*[(（]\s*\S{1,3}\s*[)）]\s*(\S{4})\W*$")  # "( 別深 ) 変更簡所"


class NotAnAssessment(ValueError):
    """The input reads as text but is neither an assessment form nor a public-comment pack."""


@dataclass(slots=True)
class ParsedDocument:
    identity: Identity
    fields: list[FieldValue]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Ctx:
    form: Form
    part: Section | None = None
    file_no: dict[str, int] = field(default_factory=dict)  # part key -> current file number
    section: Section | None = None
    risk: Section | None = None
    group: Section | None = None
    group_no: int | None = None
    filled: set[tuple] = field(default_factory=set)
    # OCR: "8 .息杜" read where 8. 監査 is due: the next section by number, its title unreadable; the
    # next label confirms it (see parse_form)
    numbered_only: Section | None = None

    @property
    def current_file(self) -> int | None:
        if self.part is None or self.part.repeat != "file":
            return None
        return self.file_no.get(self.part.key, 1)

    def path(self) -> str:
        bits = []
        if self.part:
            bits.append(_ROMAN[self.part.number or 0])
            if self.current_file:
                bits.append(f"(file {self.current_file})")
        if self.section and self.section.level == "section":
            bits.append(str(self.section.number))
        if self.risk:
            bits.append(f"リスク{self.risk.number}")
        if self.group and self.group_no:
            bits.append(f"{self.group.title}{self.group_no}")
        return " ".join(bits)


_ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"]


# ---------------------------------------------------------------- label index
@dataclass(frozen=True, slots=True)
class _Label:
    folded: str
    item: Item


@lru_cache(maxsize=512)
def _labels(items: tuple[Item, ...]) -> tuple[_Label, ...]:
    out = []
    for it in items:
        for text in (it.label, *it.aliases):
            out.append(_Label(fold_label(text), it))
    # longest first so "その他の措置の内容" never shadows a longer label
    return tuple(sorted(out, key=lambda lb: -len(lb.folded)))


def _scope_items(ctx: _Ctx) -> tuple[Item, ...]:
    items: list[Item] = []
    if ctx.group is not None:
        items.extend(ctx.group.items)
    if ctx.risk is not None:
        items.extend(ctx.risk.items)
    if ctx.section is not None:
        items.extend(ctx.section.items)
    if ctx.part is not None:
        items.extend(ctx.part.items)
    return tuple(items)


# ---------------------------------------------------------------- form detection
def detect_form(segments: list[Segment], limit: int = 80) -> Form | None:
    """The form named in the title line near the start (特定個人情報保護評価書（全項目評価書）)."""
    for seg in segments[:limit]:
        f = fold_label(normalize_text(seg.text))
        if "特定個人情報保護評価書" not in f and "特定個人情報保護評価" not in f:
            continue
        for form in FORMS.values():
            if any(k in f for k in form.title_keys):
                return form
    return None


# ---------------------------------------------------------------- the walk
def parse_segments(doc: SegmentedDocument) -> ParsedDocument:
    """Read a segmented document into identity + fields (see module docstring)."""
    from extract.forms import comment_pack, scrambled

    segments = doc.segments
    form = detect_form(segments)
    if form is not None and scrambled.is_scrambled(doc):
        return scrambled.parse_scrambled(doc, form)
    # a scan whose part headings OCR lost is still the form its title line names: packs are text PDFs
    # and say what they are at their top
    scanned = sum(s.method == "ocr" for s in segments) > len(segments) / 2
    if form is None or _opens_as_pack(segments) or (not scanned and not _looks_like_form_body(segments, form)):
        pack = comment_pack.parse_comment_pack(doc, form)
        if pack is not None:
            return pack
        if form is None:
            raise NotAnAssessment(
                "no 特定個人情報保護評価書 title and no public-comment markers: not an assessment")
    return parse_form(doc, form)


def _opens_as_pack(segments: list[Segment], head: int = 10) -> bool:
    """A public-comment notice says so at its top (素案, パブリックコメント…); a form quoted inside a
    reference pack (002) starts with the form or its own title instead."""
    from extract.forms.comment_pack import MARKERS

    return any(m in normalize_text(s.text) for s in segments[:head] for m in MARKERS)


def _looks_like_form_body(segments: list[Segment], form: Form) -> bool:
    """A form body has several part headings of the form in sequence, beyond the 項目一覧."""
    seen = set()
    for seg in segments:
        head = normalize_text(seg.text).split("\n", 1)[0]
        m = _PART_RE.match(head)
        part = _match_part(form, m) if m else None
        if part is None and seg.method == "ocr":
            part = _match_part_ocr(form, head)
        if part is not None:
            seen.add(part.key)
    return len(seen) >= 3


def _match_part(form: Form, m) -> Section | None:
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


def parse_form(doc: SegmentedDocument, form: Form) -> ParsedDocument:
    ctx = _Ctx(form)
    fields: list[FieldValue] = []
    warnings: list[str] = []
    cover_labels = _labels(form.cover)
    open_item: Item | None = None
    open_file: int | None = None
    open_group: int | None = None
    open_path = ""
    region: list[tuple[Segment, str]] = []
    heading_flags: tuple[Item, ...] = ()
    in_changes = False
    toc: set[str] | None = None
    change_segments: list[Segment] = []

    content_checked: Item | None = None  # an item opened by a misread label (confirmed by its value)
    label_seen, content_cap = "", 1.0

    def close() -> None:
        nonlocal open_item, region, heading_flags, content_checked
        if heading_flags:
            fields.extend(_read_flags(heading_flags, region, doc, ctx, open_file))
            heading_flags = ()
        if open_item is not None:
            fv = interpret(open_item, Region(region, doc.source), form)
            if open_item is content_checked:
                _confirm_by_content(fv, label_seen, content_cap)
            fv.section_path = open_path
            fv.file_no, fv.group_no = open_file, open_group
            fields.extend(_with_count(open_item, fv, region, doc.source))
        open_item, region, content_checked = None, [], None

    def open_(item: Item, first: tuple[Segment, str] | None) -> None:
        nonlocal open_item, open_file, open_group, open_path, region
        open_item, open_file, open_group, open_path = item, ctx.current_file, ctx.group_no, ctx.path()
        region = [first] if first and first[1].strip() else []
        ctx.filled.add((item.key, open_file, open_group))

    pending = deque(segments_iter(doc.segments))
    while pending:
        seg = pending.popleft()
        if in_changes:
            change_segments.append(seg)
            continue
        ocr = seg.method == "ocr"
        if ocr:  # a cell border lost in the raster: two rows' cells read as one, split at the second's label
            parts = split_at_label(seg, _labels(_scope_items(ctx)) if ctx.part is not None else cover_labels,
                                   lambda it: (it.key, ctx.current_file, ctx.group_no) in ctx.filled)
            if parts is not None:
                seg = parts[0]
                pending.appendleft(parts[1])
        norm = ocr_text(seg.text) if ocr else normalize_text(seg.text)
        if ocr:
            if _STAMP_ONLY.match(norm):  # the version stamp, repeated as a page header the OCR read apart
                continue
        head = join_wrapped(norm.strip().split("\n"))  # a heading may wrap inside its cell
        numbered_before, ctx.numbered_only = ctx.numbered_only, _numbered_next(ctx, head) if ocr else None
        m = _PART_RE.match(head)
        part = _match_part(form, m) if m else None
        if part is None and ocr and seg.col in (0, None):
            part = _match_part_ocr(form, head) or _next_part_glued(form, ctx, head)
            if part is None and ctx.part is None:  # "1 基本情報", "[ 基本情報": Ⅰ misread, before any part
                m1 = _OCR_FIRST_PART.match(head)
                if m1 and _TAIL_JUNK.sub("", fuzzy.ocr_fold(m1.group(1))) == fuzzy.ocr_fold(form.parts[0].title):
                    part = form.parts[0]
        # the 項目一覧 on the cover lists the part headings: skip it until the list ends
        if fold_label(head) == "項目一覧":
            toc = set()
            continue
        if toc is not None:
            if part is not None and part.key not in toc:
                toc.add(part.key)
                continue
            if part is None and _ANNEX_RE.match(head):
                continue
            toc = None
        if ctx.part is not None and (_CHANGES_RE.match(head) or ocr and _ocr_changes_heading(head)):
            close()
            in_changes = True
            continue
        # annexes ((別添1) 事務の内容 …) and sub-table headings (⑦使用の主体) end the open item
        if _ANNEX_RE.match(head) or (ctx.section is not None and fold_label(head) in _stops(ctx.section)):
            close()
            if _ANNEX_RE.match(head):
                ctx.section, ctx.risk, ctx.group, ctx.group_no = None, None, None, None
            continue
        following = _part_after(form, ctx.part) if part is None and ocr else None
        if following is not None and _opens_part(following, head) and _match_section(ctx, head, ocr) is None:
            # the part heading unread ("T 時本情報" for Ⅰ 基本情報, Ⅴ's heading row lost): the first section
            # heading of the part that follows opens it, where the current part has no section it could be
            close()
            ctx.part, ctx.section, ctx.risk, ctx.group, ctx.group_no = following, None, None, None, None
        # 1. part heading
        if part is not None:
            close()
            ctx.part, ctx.section, ctx.risk, ctx.group, ctx.group_no = part, None, None, None, None
            for it in part.items:  # parts with a single direct item (基礎 Ⅲ)
                if it.label == part.title:
                    open_(it, None)
            continue
        # 2. section heading within the current part
        sec = _match_section(ctx, head, ocr)
        if sec is not None:
            close()
            if sec.number == 1 and ctx.part is not None and ctx.part.repeat == "file" and sec.heading_item:
                ctx.file_no[ctx.part.key] = ctx.file_no.get(ctx.part.key, 0) + 1
            ctx.section, ctx.risk, ctx.group, ctx.group_no = sec, None, None, None
            rest = _after_heading(norm, head)
            if sec.heading_item is not None:
                open_(sec.heading_item, (seg, rest))
            elif sec.flags:
                heading_flags = sec.flags
                open_file = ctx.current_file
                region = [(seg, norm)]
            continue
        # 3. risk heading
        rm = _RISK_RE.match(head)
        if rm is None and ocr:  # a speck read as a glyph before the heading ("りリスク1: …")
            rm = _RISK_RE.match(head[1:])
        if rm and ctx.section is not None:
            risk = _match_risk(ctx.section, rm)
            if risk is not None:
                close()
                ctx.risk = risk
                continue
        if ocr and ctx.section is not None:  # "リスクS: …", "リスクア: …": the number misread, the title decides
            risk = _match_risk_ocr(ctx.section, head)
            if risk is not None:
                close()
                ctx.risk = risk
                continue
        # 4. group header (システム1, 委託事項2 …)
        gm = _GROUP_RE.match(head)
        if gm is None and ocr and ctx.part is not None:
            gm = _match_group_ocr(ctx, head)
        if gm and ctx.part is not None:
            owner, grp = _find_group(ctx, gm.group(1))
            if grp is not None:
                close()
                # a page that held the section heading may be missing (002 lacks Ⅱ 4): the group names it
                ctx.section, ctx.group, ctx.group_no, ctx.risk = owner, grp, int(gm.group(2)), None
                continue
        # 5. item label in scope (or on the cover before any part)
        labels = _labels(_scope_items(ctx)) if ctx.part is not None else cover_labels
        hit = _match_label(labels, norm, ctx)
        if hit is None and ocr and seg.col in (0, None):
            hit = _match_label_ocr(labels, norm, ctx)
            nxt = _next_section(ctx) if hit is None else None
            if nxt is not None and nxt.items:  # the next section's heading unread ("3. 年大理故"): its label
                hit = _match_label_ocr(_labels(nxt.items), norm, ctx)
                # a long label alone is enough; a short one only right after a heading with the number
                shortest = 3 if numbered_before is nxt else 12
                if hit is not None and len(fuzzy.core(fold_label(hit[0].label))) >= shortest:
                    close()
                    ctx.section, ctx.risk, ctx.group, ctx.group_no = nxt, None, None, None
                else:
                    hit = None
        if hit is None and ocr and seg.col in (0, None):
            by_content = _label_by_content(labels, norm, ctx)
            if by_content is not None:
                close()
                open_(by_content[0], None)
                content_checked, label_seen, content_cap = by_content[0], norm.strip(), by_content[1]
                continue
        if hit is None and ocr and (open_item is None or open_item.kind != "checkbox"):
            # a checkbox group whose label OCR could not read ("④和手元" for ①入手元): its boxes name it
            by_options = _item_by_options(ctx, norm)
            if by_options is not None:
                close()
                open_(by_options, (seg, norm))
                continue
        if hit is not None:
            item, rest = hit
            if item is open_item and not region:  # the label of the item a part heading just opened (基礎 Ⅲ)
                region = [(seg, rest)] if rest.strip() else []
                continue
            close()
            open_(item, (seg, rest))
            continue
        if open_item is not None or heading_flags:
            region.append((seg, norm))
    close()
    fields = _dedupe(fields, warnings)
    _reconcile_file_blocks(form, fields, warnings)
    _mark_not_applicable(fields)
    if change_segments:
        fields.extend(_read_changes(change_segments, doc.source))
    fields.extend(_missing(form, fields, doc.source))
    _fix_title_suffix(form, fields)
    identity = ident.identity_from_fields(form, fields, doc.segments, doc.source)
    return ParsedDocument(identity, fields, warnings)


_SUFFIXES = tuple(f.form_type for f in FORMS.values())  # 全項目評価書, 重点項目評価書, 基礎項目評価書


def _fix_title_suffix(form: Form, fields: list[FieldValue]) -> None:
    """The 評価書名 on a scan ends in the form's name with a misread glyph ("全需目評価書", "全項目生価書"):
    put the form's own name back when the line's last glyphs are one glyph from it and clearly closer to
    it than to the other two forms' names (the form itself is known from the title line). The affair
    before it gets the same closed-vocabulary correction as 事務の名称 (fuzzy.fix_words)."""
    n = len(form.form_type)
    for f in fields:
        if f.key not in ("cover.no", "cover.title") or not f.value_text or not f.evidence \
                or f.evidence.method != "ocr":
            continue
        lines = f.value_text.split("\n")
        for i, ln in enumerate(lines):
            ln = ln.rstrip()
            if len(ln) < n + 2:
                continue
            tail = ln[-n:]
            if tail != form.form_type:
                hit = fuzzy.best(tail, _SUFFIXES, floor=1 - 1 / n - 1e-9, margin=0.1, prefix=False)
                if hit is None or _SUFFIXES[hit[0]] != form.form_type:
                    continue
            # the affair part of the name: misread glyphs corrected against the affair vocabulary
            lines[i] = fuzzy.fix_words(ln[:-n]) + form.form_type
        f.value_text = "\n".join(lines)


def _ocr_changes_heading(head: str) -> bool:
    """The (別添) 変更箇所 heading as OCR reads it: anything short in brackets, then 変更箇所 one glyph off."""
    m = _OCR_CHANGES_RE.match(head)
    return m is not None and Levenshtein.distance(m.group(1), "変更箇所") <= 1


def segments_iter(segments: list[Segment]):
    """Segments with something in them (blank cells carry no evidence)."""
    for seg in segments:
        if seg.text and seg.text.strip():
            yield seg


def split_at_label(seg: Segment, labels: tuple[_Label, ...], filled) -> tuple[Segment, Segment] | None:
    """The segment cut before its first line (not the first) that is exactly the label of an item in
    scope not read yet (`filled(item)` false), labels of >= 3 glyphs; the box shared by line count."""
    lines = seg.text.split("\n")
    for i, line in enumerate(lines[1:], start=1):
        folded = fold_label(line)
        if len(folded) < 3:
            continue
        if any(lb.folded == folded and not filled(lb.item) for lb in labels):
            top, bottom = "\n".join(lines[:i]), "\n".join(lines[i:])
            if seg.bbox is None:
                return replace(seg, text=top), replace(seg, text=bottom)
            x0, y0, x1, y1 = seg.bbox
            cut = y0 + (y1 - y0) * i / len(lines)
            return replace(seg, text=top, bbox=(x0, y0, x1, cut)), replace(seg, text=bottom, bbox=(x0, cut, x1, y1))
    return None


def _after_heading(norm: str, head: str) -> str:
    return norm.strip()[len(head):].strip()


def _match_section(ctx: _Ctx, head: str, ocr: bool = False) -> Section | None:
    if ctx.part is None:
        return None
    m = _SECTION_RE.match(head)
    if not m:
        return None
    n = int(m.group(1))
    rest = fold_label(m.group(2))
    for sec in ctx.part.children:
        if sec.number != n:
            continue
        for title in (sec.title, *sec.aliases):
            t = fold_label(title)
            if rest.startswith(t) or (len(t) > 6 and rest.startswith(t[: max(6, len(t) - 4)])):
                return sec
    if ocr:  # the number must agree; the title may carry misread glyphs
        same_no = [sec for sec in ctx.part.children if sec.number == n]
        hit = fuzzy.best(fuzzy.ocr_fold(m.group(2)), [fuzzy.ocr_fold(s.title) for s in same_no], floor=0.8)
        if hit is not None:
            return same_no[hit[0]]
        rest_o = fuzzy.ocr_fold(m.group(2))
        after = ctx.section.number if ctx.section is not None and ctx.section.number else 0
        # the next section in order may have one glyph in four misread ("3. 時大事故" for 3. 重大事故)
        nxt = [sec for sec in same_no if sec.number == after + 1]
        hit = fuzzy.best(rest_o, [fuzzy.ocr_fold(s.title) for s in nxt], floor=0.75)
        if hit is not None and len(fuzzy.ocr_fold(nxt[hit[0]].title)) >= 4:
            return nxt[hit[0]]
        # a short title cut by OCR ("8 .監" for 8. 監査): the next section in order, its title's start
        for sec in same_no:
            t = fuzzy.ocr_fold(sec.title)
            if sec.number > after and rest_o and t.startswith(rest_o) and 2 * len(rest_o) >= len(t):
                return sec
            # a two-glyph title with one glyph misread ("8.監湯", "8. 息査" for 8. 監査), next in order only
            if sec.number == after + 1 and len(t) == 2 == len(rest_o) and (rest_o[0] == t[0] or rest_o[1] == t[1]):
                return sec
    return None


_OCR_BRACKETS = str.maketrans({"{": "[", "}": "]"})
# a tick box whose brackets OCR read as 【 】 or 〔 〕: "〔 ] 住民基本台帳ネットワークシステム"
_OCR_BOX = regex.compile(r"[\[【〔]([^\[\]【】〔〕\n]{0,5}?)[\]】〕]")


def _ocr_boxes(text: str) -> str:
    """Tick boxes read as 【 ] or 〔 ] made "[ ]", except inside an open value bracket on the same line
    ("[ 十分に行っていな【 ⍰ ]": there the 【 is a misread glyph of the value)."""
    def box(m: regex.Match) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        return m.group(0) if line.count("[") > line.count("]") else f"[{m.group(1)}]"
    return _OCR_BOX.sub(box, text)


# a value line "[ 十分である ]" whose brackets OCR read as 【 】, 〔 〕 or a stroke: "| 十分である ]", "【 有料]"
# (and "[ 雪託する 】 (1 )件": a count after it)
_OCR_VALUE_LINE = regex.compile(
    r"(?m)^\s*[【〔|｜\[]\s*([^\[\]【】〔〕|｜\n]+?)\s*[\]】〕](\s*[(（]\s*\d*\s*[)）]\s*件)?\s*$")
_SPECK_LINE = regex.compile(r"^[\s\-ー―‐.．・、。,，_~〜'\"`「」『』]{1,3}$")


def ocr_text(text: str) -> str:
    """An OCR'd cell's text as the parser reads it: normalized, misread brackets and tick boxes made
    "[ … ]", lines of specks dropped."""
    norm = _OCR_VALUE_LINE.sub(_value_line, _ocr_boxes(normalize_text(text).translate(_OCR_BRACKETS)))
    return drop_speck_lines(norm)


def _value_line(m: regex.Match) -> str:
    return f"[{m.group(1)}]{m.group(2) or ''}"


def drop_speck_lines(norm: str) -> str:
    """Lines of a multi-line OCR cell made only of one to three dashes, dots or corner quotes: speckle or
    a rule's remnant read as glyphs ("ーー" above "Ⅳ リスク対策", "「" below "1 基本情報"). A cell with
    nothing else ("-") is kept."""
    lines = norm.split("\n")
    kept = [ln for ln in lines if not _SPECK_LINE.match(ln)]
    return "\n".join(kept) if len(kept) < len(lines) and any(ln.strip() for ln in kept) else norm
_STAMP_ONLY = regex.compile(r"^\s*\[?\s*(平成|令和)\s*\d+\s*年\s*\d+\s*月\s*様式\s*\d\s*\]?\s*$")
_OCR_FIRST_PART = regex.compile(r"^\s*[1lI|\[［]\s*[.．]?\s*(\S.*)$", regex.S)
_OCR_PART = regex.compile(r"^\s*[^\s\d\[\]()（）<>]{1,3}\s*[.．]?\s+(\S.*)$", regex.S)


def _opens_part(part: Section, head: str) -> bool:
    """`head` is the heading of section 1 of `part`, its long title read with at most one glyph in five
    misread ("1. 特定個人情報ファイルを取り扱う輸務")."""
    m = _SECTION_RE.match(head)
    first = next((s for s in part.children if s.number == 1 and s.level == "section"), None)
    if m is None or first is None or int(m.group(1)) != 1 or len(fuzzy.ocr_fold(first.title)) < 8:
        return False
    return Levenshtein.normalized_similarity(fuzzy.ocr_fold(m.group(2)), fuzzy.ocr_fold(first.title)) >= 0.8


def _part_after(form: Form, part: Section | None) -> Section | None:
    """The part that follows `part` in the form (the first part before any)."""
    if part is None:
        return form.parts[0]
    i = next((i for i, p in enumerate(form.parts) if p is part), None)
    return form.parts[i + 1] if i is not None and i + 1 < len(form.parts) else None


def _match_part_ocr(form: Form, head: str) -> Section | None:
    """A part heading whose Roman numeral OCR misread ("T しきい値測新項目"): the title decides.
    Where the numeral is lost altogether, the whole cell must be a long part title, nearly exact."""
    m = _OCR_PART.match(head)
    if not m:
        titles = [fuzzy.ocr_fold(p.title) for p in form.parts]
        hit = fuzzy.best(fuzzy.ocr_fold(head), titles, floor=0.9, margin=0.2, prefix=False)
        if hit is not None and len(titles[hit[0]]) >= 12:
            return form.parts[hit[0]]
        return None
    titles = [fuzzy.ocr_fold(p.title) for p in form.parts]
    hit = fuzzy.best(fuzzy.ocr_fold(m.group(1)), titles, floor=0.75)
    if hit is None or len(titles[hit[0]]) < 4:
        return None
    # the numeral is unreadable: the title alone must be close (short titles closer still); a value in
    # brackets ("[ 特定個人情報ファイルの全体 ]") never gets here: brackets are not numerals
    n = len(titles[hit[0]])
    return form.parts[hit[0]] if hit[1] >= (0.75 if n >= 8 else 1 - 1 / n - 1e-9 if n >= 6 else 0.85) else None


def _item_by_options(ctx: _Ctx, norm: str) -> Item | None:
    """The checkbox item of the scope, not yet read, whose options the boxes of `norm` print: most of
    them recognised (at least three), and no other unread item of the scope with that many."""
    if norm.count("[") < 3:
        return None
    text = norm.replace("\n", " ")
    scores = []
    for it in _scope_items(ctx):
        if it.kind != "checkbox" or (it.key, ctx.current_file, ctx.group_no) in ctx.filled:
            continue
        options = OPTION_LISTS[it.options].options
        states, conflicts = option_boxes(text, options, ocr=True)
        if not conflicts and len(states) >= max(3, -(-3 * len(options) // 5)):
            scores.append((len(states), it))
    scores.sort(key=lambda s: -s[0])
    if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def _next_part_glued(form: Form, ctx: _Ctx, head: str) -> Section | None:
    """The next part in order, its numeral lost or misread into a glyph glued to the title ("リスク対策",
    "芋リスク対策 . . ーー" for Ⅲ リスク対策): the rest of the cell, without up to two leading glyphs and
    trailing specks, must be the title exactly, or nearly (≥ 0.9) where the title is long."""
    if ctx.part is None:
        return None
    later = [p for p in form.parts if (p.number or 0) == (ctx.part.number or 0) + 1]
    if not later:
        return None
    title = fuzzy.ocr_fold(later[0].title)
    rest = _TAIL_JUNK.sub("", fuzzy.ocr_fold(head))
    if len(title) >= 4 and title in (rest, rest[1:], rest[2:]):
        return later[0]
    # a long title may carry a misread glyph too ("臣特定個人情報ファイルの取扱いプロセスにおけるリスグ対策.")
    if len(title) >= 12 and max(Levenshtein.normalized_similarity(rest[k:], title) for k in range(3)) >= 0.9:
        return later[0]
    # or one glyph off in a title of eight or more, the whole cell ("しきい値痢断結果": 基礎's Ⅲ, whose heading
    # cell above read "しきい値午断千果", the label cell below it spells the part's one item, the same words)
    if len(title) >= 8 and Levenshtein.distance(rest, title) <= 1:
        return later[0]
    return None


_TAIL_JUNK = regex.compile(r"[.．・、。,，「」『』ー―\-]+$")  # "1 基本情報 ーー": specks after a heading


def _match_label_ocr(labels: tuple[_Label, ...], norm: str, ctx: _Ctx) -> tuple[Item, str] | None:
    """Label matching for OCR text: similar enough to one label of the scope, clearly ahead of others,
    compared without the circled item number (OCR reads ① as 〇, @, ⑤)."""
    text = fuzzy.core(fuzzy.ocr_fold(_LABEL_SPECKS.sub("", norm)))
    cores = [fuzzy.core(fuzzy.ocr_fold(lb.item.label if lb.folded == fold_label(lb.item.label) else lb.folded))
             for lb in labels]
    usable = [i for i, c in enumerate(cores) if len(c) >= 2]
    # a label cell holds the label alone: compare whole strings first, so that a short label that is
    # the start of a longer one (③提供する情報 / ④提供する情報の対象となる本人の数) does not tie with it
    hit = fuzzy.best(text, [cores[i] for i in usable], floor=0.8, prefix=False)
    if hit is None:
        hit = fuzzy.best(text, [cores[i] for i in usable], floor=0.8)
    if hit is None and len(text) >= 4:
        # the circled number read as some other glyph ("ぐ実施日" for ①実施日): the labels that carry
        # one, compared without the text's first glyph
        numbered = [i for i in usable if cores[i] != fuzzy.ocr_fold(labels[i].item.label)]
        hit = fuzzy.best(text[1:], [cores[i] for i in numbered], floor=0.8, prefix=False)
        if hit is not None:
            usable = numbered
    if hit is None:
        return None
    lb = labels[usable[hit[0]]]
    same = [x.item for x in labels if fuzzy.core(fuzzy.ocr_fold(x.item.label)) == cores[usable[hit[0]]]]
    item = next((it for it in same if (it.key, ctx.current_file, ctx.group_no) not in ctx.filled), lb.item)
    n = len(cores[usable[hit[0]]])
    # the value, if the label cell holds one, follows the label's length in the folded text
    return item, norm[n + 2:].strip() if len(fold_label(norm)) > n + 4 else ""


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# specks after a label cell's words: "ぐ実施日 ・", "ぐ実施晶 ー" (after a space), "②しきい値午断結果 ."
_LABEL_SPECKS = regex.compile(r"(?:\s+[.．・、。,，「」『』ー―\-]{1,3}|[.．・、。,，]+)\s*$")
_CONFIRMABLE = ("date", "dates", "selection")  # kinds whose value can confirm a label read by content


def _label_by_content(labels: tuple[_Label, ...], norm: str, ctx: _Ctx) -> tuple[Item, float] | None:
    """A short label misread too far for similarity, taken only where its value will confirm it
    (`_confirm_by_content`: a whole date, or an option of the item's list), with the confidence cap:

    - one glyph substituted in a label of >= 3 glyphs ("公委日" for 公表日, "消去手誠" for 消去手順,
      "合用者数" for ⑦使用者数, "ぐ実施晶" for ①実施日): the label cell alone, of the label's length (its
      circled number aside), one substitution from exactly one date or selection label of the scope (0.8);
    - the label's own words unreadable but its circled number read ("②申杜" for ②監査): the one item of
      the scope with that number, not the first of its list, and the item numbered before it already
      read, so the number agrees with the order of the form (0.7).
    The item must not have been read yet."""
    if "\n" in norm.strip():
        return None
    text = fuzzy.core(fuzzy.ocr_fold(_LABEL_SPECKS.sub("", norm)))

    def unread(item: Item) -> bool:
        return (item.key, ctx.current_file, ctx.group_no) not in ctx.filled

    def one_off(core: str, read: str) -> bool:
        return len(core) == len(read) >= 3 and Levenshtein.distance(core, read) == 1

    def near_label(label: str) -> bool:  # the circled number read as another glyph too: "ぐ実施晶" (①実施日)
        core = fuzzy.core(fuzzy.ocr_fold(label))
        numbered = core != fuzzy.ocr_fold(label)
        return core != text and (one_off(core, text) or numbered and one_off(core, text[1:]))

    near = {lb.item.key: lb.item for lb in labels if near_label(lb.item.label)}
    if len(near) == 1:
        item = next(iter(near.values()))
        return (item, 0.8) if item.kind in _CONFIRMABLE and unread(item) else None
    if len(near) > 1:
        return None
    head = norm.strip()[:1]
    if head not in _CIRCLED or _CIRCLED.index(head) == 0:
        return None
    n = _CIRCLED.index(head)
    lists = [c.items for c in (ctx.group, ctx.risk, ctx.section, ctx.part) if c is not None]
    hits = [(items, it) for items in lists for it in items if it.label.startswith(head)]
    if len(hits) != 1:
        return None
    items, item = hits[0]
    before = [it for it in items if it.label.startswith(_CIRCLED[n - 1])]
    if item.kind not in _CONFIRMABLE or not unread(item) or len(before) != 1 or unread(before[0]):
        return None
    return item, 0.7


def _confirm_by_content(fv: FieldValue, label_seen: str, cap: float) -> None:
    """A field opened by `_label_by_content`: kept only with a day-precise date or a value of the item's
    option list, at confidence <= `cap`."""
    if not fv.ok:
        return
    if fv.kind in ("date", "dates") and fv.date_precision != "day":
        fv.status, fv.reason = UNDETERMINED, f"label read as {label_seen!r} and its value is not a whole date"
        fv.value_date = fv.value_date_end = fv.date_precision = None
        return
    if fv.kind == "selection" and fv.option_no is None:
        fv.status, fv.reason = UNDETERMINED, f"label read as {label_seen!r} and its value is not an option of its list"
        fv.value_text = None
        return
    if fv.evidence is not None:
        fv.evidence = replace(fv.evidence, confidence=min(fv.evidence.confidence, cap))


_OCR_GROUP = regex.compile(r"^\s*(\S{2,5}?)\s*(\d{1,2})(?!\s*[~～〜\d])\s*(.*)$", regex.S)


class _GroupHit:
    """A group header read by fuzzy matching, shaped like the _GROUP_RE match parse_form uses."""

    def __init__(self, prefix: str, number: str, rest: str):
        self._g = (None, prefix, number, rest)

    def group(self, i: int) -> str:
        return self._g[i]


def _match_group_ocr(ctx: _Ctx, head: str) -> _GroupHit | None:
    """A group header with a misread glyph in its prefix ("要託事項1" for 委託事項1): the prefix must be
    one of the part's group prefixes by similarity (floor and margin), the number is read as printed."""
    m = _OCR_GROUP.match(head)
    if not m:
        return None
    prefixes = sorted({c.title for sec in ctx.part.children for c in iter_sections(sec) if c.level == "group"})
    if not prefixes:
        return None
    hit = fuzzy.best(fuzzy.ocr_fold(m.group(1)), [fuzzy.ocr_fold(p) for p in prefixes], floor=0.75, margin=0.2,
                     prefix=False)
    if hit is None:
        return None
    return _GroupHit(prefixes[hit[0]], m.group(2), m.group(3))


def _numbered_next(ctx: _Ctx, head: str) -> Section | None:
    """The next section when `head` is its number and a short unreadable title ("8 .息杜"), else None."""
    m = _SECTION_RE.match(head)
    nxt = _next_section(ctx)
    if m is None or nxt is None or int(m.group(1)) != nxt.number or "\n" in head.strip():
        return None
    return nxt if len(fold_label(m.group(2))) <= len(fold_label(nxt.title)) + 1 else None


def _next_section(ctx: _Ctx) -> Section | None:
    """The section after the current one in the current part, section 1 before any; None before any
    section of a per-file part (its first section counts the files: its heading must be read)."""
    if ctx.part is None or (ctx.section is None and ctx.part.repeat == "file"):
        return None
    after = 0 if ctx.section is None else ctx.section.number
    if not after and ctx.section is not None:
        return None
    return next((sec for sec in ctx.part.children if sec.number == after + 1), None)


def _stops(section: Section) -> frozenset[str]:
    return frozenset(fold_label(t) for t in section.stops)


def _find_group(ctx: _Ctx, prefix: str) -> tuple[Section | None, Section | None]:
    """The group with this header prefix, in the current section first, then anywhere in the part."""
    sections = ([ctx.section] if ctx.section else []) + [c for c in ctx.part.children if c is not ctx.section]
    for sec in sections:
        for child in iter_sections(sec):
            if child.level == "group" and child.title == prefix:
                return sec, child
    return None, None


def _match_risk(section: Section, m) -> Section | None:
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


_OCR_RISK = regex.compile(r"^\s*\S?リスク\s*(\S{0,2}?)\s*(?:[:：]|\s)\s*(\S.*)$", regex.S)


def _match_risk_ocr(section: Section, head: str) -> Section | None:
    """A risk heading whose number OCR misread: its title must be close to one risk title of the
    section (floor and margin), and a number that was read as a digit must agree."""
    m = _OCR_RISK.match(head)
    if not m:
        return None
    risks = [r for r in section.children if r.level == "risk"]
    hit = fuzzy.best(fuzzy.ocr_fold(m.group(2)), [fuzzy.ocr_fold(r.title) for r in risks], floor=0.8, margin=0.15)
    if hit is None:
        return None
    risk = risks[hit[0]]
    number = m.group(1)
    return risk if not number.isdigit() or int(number) == risk.number else None


def _match_label(labels: tuple[_Label, ...], norm: str, ctx: _Ctx) -> tuple[Item, str] | None:
    folded = fold_label(norm)
    if not folded:
        return None
    candidates = [lb for lb in labels if folded.startswith(lb.folded)]
    if not candidates:
        return None
    best_len = len(candidates[0].folded)
    same = [lb.item for lb in candidates if len(lb.folded) == best_len]
    # several items share a label in one scope (具体的な管理方法 ×3): take the first not yet read
    item = next((it for it in same if (it.key, ctx.current_file, ctx.group_no) not in ctx.filled), same[0])
    return item, _strip_label(norm, candidates[0].folded)


def _strip_label(norm: str, folded_label: str) -> str:
    return strip_folded_prefix(norm, folded_label)


# ---------------------------------------------------------------- flags, counts, changes
def _read_flags(flags, region, doc, ctx, file_no) -> list[FieldValue]:
    from extract.forms.interpret import read_flag

    return [read_flag(fl, Region(region, doc.source), file_no, ctx.path()) for fl in flags]


_COUNT_RE = regex.compile(r"[(（]\s*([0-9０-９]*)\s*[)）]\s*件")


def _option_counts(item: Item, fv: FieldValue) -> list[FieldValue]:
    """Counts inside checkbox options: "[ ○ ] 提供を行っている （ 3 ） 件" -> key II.5.0.count1 = 3."""
    out = []
    for o in fv.options:
        if not o.label.endswith("を行っている"):
            continue
        cnt = FieldValue(key=f"{item.key}.count{o.option_no}", label=o.label + " 件数", kind="count",
                         section_path=fv.section_path, file_no=fv.file_no, group_no=fv.group_no,
                         evidence=fv.evidence, raw=o.text or "")
        if o.checked is not False and o.text and o.text.isdigit():  # a printed count survives a lost tick
            cnt.value_int = int(o.text)
        elif o.checked is False:
            cnt.status, cnt.reason = UNDETERMINED, "not-applicable: the option is not ticked"
        else:
            cnt.status, cnt.reason = UNDETERMINED, f"unreadable: no count in （ ） 件 ({o.text!r})"
        out.append(cnt)
    return out


def _with_count(item: Item, fv: FieldValue, region, source: str) -> list[FieldValue]:
    if not item.count:
        return [fv]
    if item.kind == CHECKBOX:
        return [fv, *_option_counts(item, fv)]
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


def _read_changes(segments: list[Segment], source: str) -> list[FieldValue]:
    from extract.forms.changes import read_change_table

    return read_change_table(segments, source)


def _same_value(a: FieldValue, b: FieldValue) -> bool:
    return (a.value_text, a.value_int, a.value_date, a.value_date_end,
            [(o.label, o.checked) for o in a.options]) == (
        b.value_text, b.value_int, b.value_date, b.value_date_end, [(o.label, o.checked) for o in b.options])


def _dedupe(fields: list[FieldValue], warnings: list[str]) -> list[FieldValue]:
    """An item read twice (converter output repeats tables; summaries quote items again): keep the
    first reading; two readings that disagree make the item undetermined."""
    first: dict[tuple, int] = {}
    out: list[FieldValue] = []
    for f in fields:
        k = (f.key, f.file_no, f.group_no)
        if k not in first:
            first[k] = len(out)
            out.append(f)
            continue
        kept = out[first[k]]
        if not f.ok:
            continue
        if not kept.ok:
            out[first[k]] = f
        elif not _same_value(kept, f):
            where = [e.line or e.page for e in (kept.evidence, f.evidence) if e]
            warnings.append(f"{f.key}: two different readings at {where}")
            kept.status = UNDETERMINED
            kept.reason = (f"conflict: printed twice with different values "
                           f"({kept.value_text or kept.value_date} / {f.value_text or f.value_date})")
    return out


def _reconcile_file_blocks(form: Form, fields: list[FieldValue], warnings: list[str]) -> None:
    """Per-file parts (Ⅱ, Ⅲ) number their files by counting "1. 特定個人情報ファイル名" headings; a part
    heading OCR did not read shifts that count, and a file's answers would land on another file. The
    names decide instead:

    - two blocks of one part never share a name: a repeat is the next part's block read into this
      part (Ⅲ after Ⅱ, heading unread), and its answers sit under the wrong items: all undetermined;
    - a block of a later part whose name is the name of one file of the first part takes that file's
      number; once a part's count is shown wrong, its blocks whose names match no file are undetermined.
    """
    parts = [p.key for p in form.parts if p.repeat == "file"]
    if not parts:
        return

    def name(f: FieldValue) -> str:
        return (f.value_text or "").split("\n")[0].strip()

    def block(part: str, no: int) -> list[FieldValue]:
        return [f for f in fields if f.file_no == no and f.key.split(".", 1)[0] == part]

    def undetermine(part: str, no: int, reason: str) -> None:
        for f in block(part, no):
            f.status, f.reason = UNDETERMINED, reason

    heads = {part: {f.file_no: f for f in fields if f.key == f"{part}.1" and f.file_no and name(f)} for part in parts}
    for part in parts:  # a repeated name within one part
        seen: dict[str, int] = {}
        for no in sorted(heads[part]):
            nm = name(heads[part][no])
            first = seen.setdefault(nm, no)
            if first != no:
                undetermine(part, no, f"conflict: file {no} of {part} has the name of file {first}; a part heading "
                            "was probably not read, so these answers may belong to another part")
                warnings.append(f"{part}.1: repeated file name {nm!r} (files {first} and {no})")
                del heads[part][no]
    numbers: dict[str, int] = {}
    for no, f in heads[parts[0]].items():
        numbers[name(f)] = no if name(f) not in numbers else 0  # 0: ambiguous
    for part in parts[1:]:
        moves = {no: numbers.get(name(f), 0) for no, f in heads[part].items()}
        if all(new in (0, no) for no, new in moves.items()):
            continue
        # the count is wrong somewhere in this part: renumber by name, leave the rest undetermined
        old_blocks = {no: block(part, no) for no in {f.file_no for f in fields
                                                     if f.file_no and f.key.split(".", 1)[0] == part}}
        taken = {new for new in moves.values() if new}
        for no, fs in old_blocks.items():
            new = moves.get(no, 0)
            if new:
                for f in fs:
                    f.file_no = new
                    f.section_path = f.section_path.replace(f"(file {no})", f"(file {new})")
            elif no in taken:  # its number now belongs to a block identified by name
                dropped = {id(f) for f in fs}
                fields[:] = [f for f in fields if id(f) not in dropped]
                warnings.append(f"{part}: answers of an unidentified file (counted as {no}) dropped")
            else:
                for f in fs:
                    f.status, f.reason = UNDETERMINED, (f"conflict: the files of {part} are miscounted (a heading "
                                                        "not read) and this file's name matches no file")
        warnings.append(f"{part}: files renumbered by name {dict(sorted(moves.items()))}")


def _mark_not_applicable(fields: list[FieldValue]) -> None:
    """A ticked section flag (委託しない, 接続しない（入手）…) makes the section's blank answers
    not applicable rather than unread."""
    ticked: dict[tuple, list[str]] = {}
    for f in fields:
        if f.kind == FLAG and f.ok and f.options and f.options[0].checked:
            sec = f.key.rsplit(".", 1)[0]
            ticked.setdefault((sec, f.file_no), []).append(f.label)
    for f in fields:
        if f.ok or f.kind == FLAG:
            continue
        for (sec, file_no), labels in ticked.items():
            if f.key.startswith(sec + ".") and f.file_no == file_no:
                f.reason = f"not-applicable: 「{'」「'.join(labels)}」 is ticked ({f.reason})"


def _missing(form: Form, fields: list[FieldValue], source: str) -> list[FieldValue]:
    """Scored items of the form that were never found: undetermined, so recall stays honest."""
    seen = {(f.key, f.file_no) for f in fields}
    files: dict[str, set[int]] = {}
    for f in fields:
        if f.file_no is not None:
            files.setdefault(f.key.split(".", 1)[0], set()).add(f.file_no)
    out = []
    for part in form.parts:
        file_nos = sorted(files.get(part.key, {1})) if part.repeat == "file" else [None]
        for sec in iter_sections(part):
            if sec.level == "group":
                continue
            for it in (*sec.flags, *sec.items):
                if it.kind not in SCORED_KINDS or _in_group(part, it):
                    continue
                for fn in file_nos:
                    if (it.key, fn) not in seen:
                        out.append(FieldValue(key=it.key, label=it.label, kind=it.kind, file_no=fn,
                                              scale=it.options, status=UNDETERMINED,
                                              reason="not-found: item not found in the document",
                                              evidence=Evidence(source=source, method="none", confidence=0.0)))
    return out


def _in_group(part: Section, item: Item) -> bool:
    return any(sec.level == "group" and item in sec.items for sec in iter_sections(part))


__all__ = ["parse_segments", "parse_form", "detect_form", "ParsedDocument", "NotAnAssessment", "OK"]
