"""The OCR-tolerant matcher: headings and labels of a scan, read with misread glyphs.

`OcrMatcher` extends the exact matcher (matchers.py): where the printed reading finds nothing it tries
similarity with floors and margins, the order of the form (the next section, the next part), and an
item's own value (a checkbox group's options, a date) — never a guess the evidence cannot confirm.
It also cleans an OCR'd cell's text (`ocr_text`) and cuts a cell that holds two rows (`split_at_label`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial

import regex
from rapidfuzz.distance import Hamming, Levenshtein

from extract.core.fields import UNDETERMINED, FieldValue
from extract.core.segments import Segment
from extract.forms import fuzzy
from extract.forms.interpret import option_boxes
from extract.forms.matchers import (
    _GROUP_RE,
    _RISK_RE,
    _SECTION_RE,
    ExactMatcher,
    GroupHit,
    LabelHit,
    find_group,
    match_risk,
)
from extract.forms.model import OPTION_LISTS, Form, Item, Section, iter_sections
from extract.forms.scope import Label, Scope, label_index
from normalize.text import fold_label, normalize_text


class OcrMatcher(ExactMatcher):
    """Scans: the exact reading first, then the OCR recoveries below."""

    def split(self, seg: Segment, scope: Scope) -> tuple[Segment, Segment] | None:
        # a cell border lost in the raster: two rows' cells read as one, split at the second's label
        return split_at_label(seg, scope.labels(), lambda it: not scope.unread(it))

    def normalize(self, text: str) -> str:
        return ocr_text(text)

    def skip(self, norm: str) -> bool:
        return bool(_STAMP_ONLY.match(norm))  # the version stamp, repeated as a page header the OCR read apart

    def numbered_next(self, scope: Scope, head: str) -> Section | None:
        return _numbered_next(scope, head)

    def part_heading(self, form: Form, head: str) -> Section | None:
        part = super().part_heading(form, head)
        return part if part is not None else _match_part_ocr(form, head)

    def part(self, scope: Scope, seg: Segment, head: str) -> Section | None:
        part = super().part(scope, seg, head)
        if part is not None or seg.col not in (0, None):
            return part
        form = scope.form
        part = _match_part_ocr(form, head) or _next_part_glued(form, scope, head)
        if part is None and scope.part is None:  # "1 基本情報", "[ 基本情報", "基本情報": Ⅰ misread or lost
            m1 = _OCR_FIRST_PART.match(head)
            if m1 and _TAIL_JUNK.sub("", fuzzy.ocr_fold(m1.group(1))) == fuzzy.ocr_fold(form.parts[0].title):
                part = form.parts[0]
        return part

    def changes_heading(self, head: str) -> bool:
        return super().changes_heading(head) or _ocr_changes_heading(head)

    def part_unread(self, scope: Scope, head: str) -> Section | None:
        # the part heading unread ("T 時本情報" for Ⅰ 基本情報, Ⅴ's heading row lost): the first section
        # heading of the part that follows opens it, where the current part has no section it could be
        following = _part_after(scope.form, scope.part)
        if following is None:
            return None
        sec = self.section(scope, head)
        if sec is None:
            return following if _opens_part(following, head) else None
        return following if _revisited(scope, sec) and _twin_section(following, sec) is not None else None

    def section(self, scope: Scope, head: str) -> Section | None:
        sec = super().section(scope, head)
        return sec if sec is not None else _match_section_ocr(scope, head)

    def risk(self, scope: Scope, head: str) -> Section | None:
        if scope.section is None:
            return None
        rm = _RISK_RE.match(head)
        if rm is None:  # a speck read as a glyph before the heading ("りリスク1: …")
            rm = _RISK_RE.match(head[1:])
        risk = match_risk(scope.section, rm) if rm else None
        # "リスクS: …", "リスクア: …": the number misread, the title decides
        return risk if risk is not None else _match_risk_ocr(scope.section, head)

    def group(self, scope: Scope, head: str) -> GroupHit | None:
        if scope.part is None:
            return None
        head = fuzzy.close_cjk_gaps(head)  # "移 転先2": OCR split a word at a wide glyph gap
        gm = _GROUP_RE.match(head)
        prefix_no = (gm.group(1), gm.group(2)) if gm else _match_group_ocr(scope, head)
        return find_group(scope, *prefix_no) if prefix_no is not None else None

    def label(self, scope: Scope, seg: Segment, norm: str, open_item: Item | None) -> LabelHit | None:
        hit = super().label(scope, seg, norm, open_item)
        if hit is None and seg.col in (0, None):
            hit = _label_by_similarity(scope, norm)
            if hit is None:
                hit = _label_by_content(scope, norm)
        if hit is None and (open_item is None or open_item.kind != "checkbox"):
            # a checkbox group whose label OCR could not read ("④和手元" for ①入手元): its boxes name it
            item = _item_by_options(scope, norm)
            hit = LabelHit(item, norm, joins=False) if item is not None else None
        if hit is not None and hit.rest:
            hit = replace(hit, rest=self.value_start(hit.rest, hit.item.label))
        return hit

    def value_start(self, rest: str, label: str) -> str:
        return rest.strip().partition("\n")[2] if _label_read_twice(rest, label) else rest


def _label_read_twice(rest: str, label: str) -> bool:
    """Whether the text after a label starts with the label's own tail (three glyphs or more; one misread glyph in
    four or more, two in ten): two line crops over one stretch of ink read the label's end twice
    ("(1)特定個人情報ファイル名報ファィル名": scan round 9, r19_b08 Ⅲ 1, where "報ファイル名" began the file's name), or
    a label misread past its short alias ("②所属長の役取名" matched "②所属長": scan round 5, r15_a10 at 150 dpi, where
    "の役取名" became the 所属長の役職名), so that line is the label's."""
    first, folded = fuzzy.ocr_fold(rest.strip().partition("\n")[0]), fuzzy.ocr_fold(label)
    return (3 <= len(first) <= len(folded) and first[0] != "["  # a bracket opens a value ("[ 500人以上 ]")
            and Hamming.distance(first, folded[-len(first):]) <= max(len(first) // 5, len(first) >= 4))


# ---------------------------------------------------------------- an OCR'd cell's text
_OCR_BRACKETS = str.maketrans({"{": "[", "}": "]"})
# a tick box whose brackets OCR read as 【 】 or 〔 〕: "〔 ] 住民基本台帳ネットワークシステム"
_OCR_BOX = regex.compile(r"[\[【〔]([^\[\]【】〔〕\n]{0,5}?)[\]】〕]")
# a value line "[ 十分である ]" whose brackets OCR read as 【 】, 〔 〕 or a stroke: "| 十分である ]", "【 有料]"
# (and "[ 雪託する 】 (1 )件": a count after it)
_OCR_VALUE_LINE = regex.compile(
    r"(?m)^\s*[【〔|｜\[]\s*([^\[\]【】〔〕|｜\n]+?)\s*[\]】〕](\s*[(（]\s*\d*\s*[)）]\s*件)?\s*$")
_SPECK_LINE = regex.compile(r"^[\s\-ー―‐.．・、。,，_~〜'\"`「」『』]{1,3}$")
_STAMP_ONLY = regex.compile(r"^\s*\[?\s*(平成|令和)\s*\d+\s*年\s*\d+\s*月\s*[様樣]式\s*\d\s*\]?\s*$")


def ocr_text(text: str) -> str:
    """An OCR'd cell's text as the parser reads it: normalized, misread brackets and tick boxes made
    "[ … ]", lines of specks dropped."""
    norm = _OCR_VALUE_LINE.sub(_value_line, _ocr_boxes(normalize_text(text).translate(_OCR_BRACKETS)))
    return drop_speck_lines(norm)


def _ocr_boxes(text: str) -> str:
    """Tick boxes read as 【 ] or 〔 ] made "[ ]", except inside an open value bracket on the same line
    ("[ 十分に行っていな【 ⍰ ]": there the 【 is a misread glyph of the value)."""
    def box(m: regex.Match) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        return m.group(0) if line.count("[") > line.count("]") else f"[{m.group(1)}]"
    return _OCR_BOX.sub(box, text)


def _value_line(m: regex.Match) -> str:
    return f"[{m.group(1)}]{m.group(2) or ''}"


def drop_speck_lines(norm: str) -> str:
    """Lines of a multi-line OCR cell made only of one to three dashes, dots or corner quotes: speckle or
    a rule's remnant read as glyphs ("ーー" above "Ⅳ リスク対策", "「" below "1 基本情報"). A cell with
    nothing else ("-") is kept."""
    lines = norm.split("\n")
    kept = [ln for ln in lines if not _SPECK_LINE.match(ln)]
    return "\n".join(kept) if len(kept) < len(lines) and any(ln.strip() for ln in kept) else norm


def split_at_label(seg: Segment, labels: tuple[Label, ...], filled) -> tuple[Segment, Segment] | None:
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


# ---------------------------------------------------------------- headings
_OCR_CHANGES_RE = regex.compile(r"^\s*[(（]\s*\S{1,3}\s*[)）]\s*(\S{4})\W*$")  # "( 別深 ) 変更簡所"
_OCR_FIRST_PART = regex.compile(r"^\s*(?:[1lI|\[［]\s*[.．]?\s*)?(\S.*)$", regex.S)  # the numeral misread or lost
_OCR_PART = regex.compile(r"^\s*[^\s\d\[\]()（）<>]{1,3}\s*[.．]?\s+(\S.*)$", regex.S)
_TAIL_JUNK = regex.compile(r"[.．・、。,，「」『』ー―\-]+$")  # "1 基本情報 ーー": specks after a heading
_OCR_GROUP = regex.compile(r"^\s*(\S{2,5}?)\s*(\d{1,2})(?!\s*[~～〜\d])\s*(.*)$", regex.S)
_OCR_RISK = regex.compile(r"^\s*\S?リスク\s*(\S{0,2}?)\s*(?:[:：]|\s)\s*(\S.*)$", regex.S)


def _ocr_changes_heading(head: str) -> bool:
    """The (別添) 変更箇所 heading as OCR reads it: anything short in brackets, then 変更箇所 one glyph off."""
    m = _OCR_CHANGES_RE.match(head)
    return m is not None and Levenshtein.distance(m.group(1), "変更箇所") <= 1


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
    text = fuzzy.ocr_fold(m.group(1))
    hit = fuzzy.best(text, titles, floor=0.75)
    if hit is None or len(titles[hit[0]]) < 4:
        return None
    # the numeral is unreadable: the title alone must be close (short titles closer still); a value in
    # brackets ("[ 特定個人情報ファイルの全体 ]") never gets here: brackets are not numerals
    n = len(titles[hit[0]])
    if not any(_heading_tail(text[k:]) for k in (n - 1, n, n + 1)):
        return None  # a sentence that starts like the title: "たり、特定個人情報ファイルの取扱いが個人の…"
    return form.parts[hit[0]] if hit[1] >= (0.75 if n >= 8 else 1 - 1 / n - 1e-9 if n >= 6 else 0.85) else None


def _heading_tail(rest: str) -> bool:
    """What may follow a part's title in its heading (folded): nothing, specks, or a note in brackets
    ("特定個人情報ファイルの概要(1 …ファイル)"); a heading ends with its title, a sentence goes on."""
    return not _TAIL_JUNK.sub("", rest) or rest.startswith("(")


def _next_part_glued(form: Form, ctx: Scope, head: str) -> Section | None:
    """The next part in order, its numeral lost or misread into glyphs glued to the title ("リスク対策",
    "芋リスク対策 . . ーー" for Ⅲ リスク対策, "IⅢIしきい値判断結果" for Ⅲ しきい値判断結果: scan round 11, r21_a08): the rest
    of the cell, without up to three leading glyphs and trailing specks, must be the title exactly, or nearly
    (≥ 0.9) where the title is long."""
    if ctx.part is None:
        return None
    later = [p for p in form.parts if (p.number or 0) == (ctx.part.number or 0) + 1]
    if not later:
        return None
    title = fuzzy.ocr_fold(later[0].title)
    rest = _TAIL_JUNK.sub("", fuzzy.ocr_fold(head))
    if len(title) >= 4 and title in (rest, rest[1:], rest[2:], rest[3:]):
        return later[0]
    # or the title, then the heading's own tail, "(" or "※" ("ⅢⅢリスク対策 （7.②を除く。） （1 …ファイル）": the numeral
    # read twice, the file named after the title); a long title one glyph off ("特定個人情報ブァイルの取扱いプロセスにおける
    # リスク対策※（7.リスク1⑨を除く。）（1 障": scan round 13, r23_a07 p. 11, the numeral lost)
    slack = 1 if len(title) >= 12 else 0
    if len(title) >= 4 and any(Levenshtein.distance(rest[k:k + len(title)], title) <= slack
                               and rest[k + len(title):][:1] in ("(", "※") for k in range(3)):
        return later[0]
    # a long title may carry a misread glyph too ("臣特定個人情報ファイルの取扱いプロセスにおけるリスグ対策.")
    if len(title) >= 12 and max(Levenshtein.normalized_similarity(rest[k:], title) for k in range(3)) >= 0.9:
        return later[0]
    # or one glyph off in a title of eight or more, the whole cell ("しきい値痢断結果": 基礎's Ⅲ, whose heading
    # cell above read "しきい値午断千果", the label cell below it spells the part's one item, the same words)
    if len(title) >= 8 and Levenshtein.distance(rest, title) <= 1:
        return later[0]
    return None


def _part_after(form: Form, part: Section | None) -> Section | None:
    """The part that follows `part` in the form (the first part before any)."""
    if part is None:
        return form.parts[0]
    i = next((i for i, p in enumerate(form.parts) if p is part), None)
    return form.parts[i + 1] if i is not None and i + 1 < len(form.parts) else None


def _revisited(scope: Scope, sec: Section) -> bool:
    """`sec`, a later section of the current part, was read already in the current file and the walk is not in it.
    A part's sections come once each and in order, so its heading met again once the part has ended (its last
    section read) belongs to the next part, whose own heading (and first sections) went unread. Scan round 4,
    r14_b12 p. 11: a page of Ⅲ lost to mottled paper, then "4.特定個人情報ファイルの取扱いの委託" read as Ⅱ 4 again,
    and none of Ⅲ 4's labels opened an item."""
    if sec.number is None or sec.number < 2 or scope.section is sec or scope.part is None:
        return False
    last = max((c for c in scope.part.children if c.level == "section" and c.number), key=lambda c: c.number)
    return _read_in_file(scope, sec) and _read_in_file(scope, last)


def _read_in_file(scope: Scope, sec: Section) -> bool:
    """Whether an item of `sec` was read in the current file. The part's last section read too means the part
    ended: a page out of order (a later file's page scanned in between) comes before its part has ended."""
    file_no = scope.current_file
    return any((key == sec.key or key.startswith(sec.key + ".")) and f == file_no for key, f, _g in scope.filled)


def _twin_section(part: Section, sec: Section) -> Section | None:
    """The section of `part` with `sec`'s number and title (Ⅲ 4 for Ⅱ 4 of 全項目: 特定個人情報ファイルの取扱いの委託)."""
    return next((c for c in part.children if c.level == "section" and c.number == sec.number
                 and fold_label(c.title) == fold_label(sec.title)), None)


def _opens_part(part: Section, head: str) -> bool:
    """`head` is the heading of section 1 of `part`, its long title read with at most one glyph in five
    misread ("1. 特定個人情報ファイルを取り扱う輸務")."""
    m = _SECTION_RE.match(head)
    first = next((s for s in part.children if s.number == 1 and s.level == "section"), None)
    if m is None or first is None or int(m.group(1)) != 1 or len(fuzzy.ocr_fold(first.title)) < 8:
        return False
    return Levenshtein.normalized_similarity(fuzzy.ocr_fold(m.group(2)), fuzzy.ocr_fold(first.title)) >= 0.8


def _match_section_ocr(scope: Scope, head: str) -> Section | None:
    """A section heading with misread glyphs in its title; the number must agree."""
    m = _SECTION_RE.match(head) if scope.part is not None else None
    if not m or _is_option(m.group(2)):
        return None
    n = int(m.group(1))
    same_no = [sec for sec in scope.part.children if sec.number == n]
    hit = fuzzy.best(fuzzy.ocr_fold(m.group(2)), [fuzzy.ocr_fold(s.title) for s in same_no], floor=0.8)
    if hit is not None:
        return same_no[hit[0]]
    rest_o = fuzzy.ocr_fold(m.group(2))
    after = scope.section.number if scope.section is not None and scope.section.number else 0
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


@lru_cache(maxsize=1)
def _option_texts() -> frozenset[str]:
    return frozenset(fuzzy.ocr_fold(o) for lst in OPTION_LISTS.values() for o in lst.options)


def _is_option(rest: str) -> bool:
    """Whether a numbered line's text (after its number) is one of the forms' options: a numbered option on a line
    of its own ("１） 特定個人情報ファイルの全体") is no section heading, however much it looks like one (特定個人情報ファイル名:
    the text corpus without its rules, r6_b04, where it opened a second file)."""
    text = _TAIL_JUNK.sub("", fuzzy.ocr_fold(rest)).lstrip(")）.．")
    # or its start, the rest wrapped onto the next line ("１） 特定個人情報ファイルの全" + "体"); numbered "1)" as
    # option lists are, not "1." nor "(1)" as sections are, any wrap ("1) 特定個人情報ファイル" + "の全体": scan round 9,
    # r19_a05, where each 委託事項's option line opened a new file)
    share = 0.5 if rest.lstrip()[:1] in (")", "）") else 0.8
    return text in _option_texts() or (len(text) >= 8 and any(
        o.startswith(text) and len(text) >= share * len(o) for o in _option_texts()))


def _numbered_next(ctx: Scope, head: str) -> Section | None:
    """The next section when `head` is its number and a short unreadable title ("8 .息杜"), else None."""
    m = _SECTION_RE.match(head)
    nxt = ctx.next_section()
    if m is None or nxt is None or int(m.group(1)) != nxt.number or "\n" in head.strip():
        return None
    return nxt if len(fold_label(m.group(2))) <= len(fold_label(nxt.title)) + 1 else None


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


def _match_group_ocr(ctx: Scope, head: str) -> tuple[str, str] | None:
    """A group header with a misread glyph in its prefix ("要託事項1" for 委託事項1): the prefix must be
    one of the part's group prefixes by similarity (floor and margin), the number is read as printed.
    Returns (prefix, number)."""
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
    return prefixes[hit[0]], m.group(2)


# ---------------------------------------------------------------- labels
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# specks after a label cell's words: "ぐ実施日 ・", "ぐ実施晶 ー" (after a space), "②しきい値午断結果 ."
_LABEL_SPECKS = regex.compile(r"(?:\s+[.．・、。,，「」『』ー―\-]{1,3}|[.．・、。,，]+)\s*$")
_CONFIRMABLE = ("date", "dates", "selection")  # kinds whose value can confirm a label read by content


def _label_by_similarity(scope: Scope, norm: str) -> LabelHit | None:
    """A label of the scope read with misread glyphs; else a label of the next section, whose heading
    was not read ("3. 年大理故"): a long label alone is enough, a short one only right after a heading
    with the next section's number."""
    hit = _match_label_ocr(scope.labels(), norm, scope)
    if hit is not None:
        return LabelHit(*hit)
    nxt = scope.next_section()
    if nxt is None or not nxt.items:
        return None
    hit = _match_label_ocr(label_index(nxt.items), norm, scope)
    shortest = 3 if scope.numbered_before is nxt else 12
    if hit is not None and len(fuzzy.core(fold_label(hit[0].label))) >= shortest:
        return LabelHit(*hit, section=nxt)
    return None


def _match_label_ocr(labels: tuple[Label, ...], norm: str, ctx: Scope) -> tuple[Item, str] | None:
    """Label matching for OCR text: similar enough to one label of the scope, clearly ahead of others,
    compared without the circled item number (OCR reads ① as 〇, @, ⑤)."""
    text = fuzzy.core(fuzzy.ocr_fold(_LABEL_SPECKS.sub("", norm)))
    cores = [fuzzy.core(fuzzy.ocr_fold(lb.item.label if lb.folded == fold_label(lb.item.label) else lb.folded))
             for lb in labels]
    usable = [i for i, c in enumerate(cores) if len(c) >= 2]
    # a label cell holds the label alone: compare whole strings first, so that a short label that is
    # the start of a longer one (③提供する情報 / ④提供する情報の対象となる本人の数) does not tie with it
    def owners(indices: list[int]) -> list[str]:
        return [labels[i].item.key for i in indices]

    hit = fuzzy.best(text, [cores[i] for i in usable], floor=0.8, prefix=False, owners=owners(usable))
    if hit is None:
        hit = fuzzy.best(text, [cores[i] for i in usable], floor=0.8, owners=owners(usable))
    if hit is None and len(text) >= 4:
        # the circled number read as some other glyph ("ぐ実施日" for ①実施日): the labels that carry
        # one, compared without the text's first glyph
        numbered = [i for i in usable if cores[i] != fuzzy.ocr_fold(labels[i].item.label)]
        hit = fuzzy.best(text[1:], [cores[i] for i in numbered], floor=0.8, prefix=False, owners=owners(numbered))
        if hit is not None:
            usable = numbered
    if hit is None:
        return None
    lb = labels[usable[hit[0]]]
    same = [x.item for x in labels if fuzzy.core(fuzzy.ocr_fold(x.item.label)) == cores[usable[hit[0]]]]
    item = next((it for it in same if ctx.unread(it)), lb.item)
    n = len(cores[usable[hit[0]]])
    # the value, if the label cell holds one, follows the label's length in the folded text
    return item, norm[n + 2:].strip() if len(fold_label(norm)) > n + 4 else ""


def _label_by_content(scope: Scope, norm: str) -> LabelHit | None:
    """An item opened by `_content_candidate`: its reading is kept only if its value confirms it."""
    found = _content_candidate(scope.labels(), norm, scope)
    if found is None:
        return None
    item, cap = found
    return LabelHit(item, None, joins=False, check=partial(_confirm_by_content, label_seen=norm.strip(), cap=cap))


def _content_candidate(labels: tuple[Label, ...], norm: str, ctx: Scope) -> tuple[Item, float] | None:
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

    def one_off(core: str, read: str) -> bool:
        return len(core) == len(read) >= 3 and Levenshtein.distance(core, read) == 1

    def near_label(label: str) -> bool:  # the circled number read as another glyph too: "ぐ実施晶" (①実施日)
        core = fuzzy.core(fuzzy.ocr_fold(label))
        numbered = core != fuzzy.ocr_fold(label)
        return core != text and (one_off(core, text) or numbered and one_off(core, text[1:]))

    near = {lb.item.key: lb.item for lb in labels if near_label(lb.item.label)}
    if len(near) == 1:
        item = next(iter(near.values()))
        return (item, 0.8) if item.kind in _CONFIRMABLE and ctx.unread(item) else None
    if len(near) > 1:
        return None
    return _by_circled_number(norm, ctx)


def _by_circled_number(norm: str, ctx: Scope) -> tuple[Item, float] | None:
    """The second rule of `_content_candidate`: the circled number read, the words not."""
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
    if item.kind not in _CONFIRMABLE or not ctx.unread(item) or len(before) != 1 or ctx.unread(before[0]):
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


def _item_by_options(ctx: Scope, norm: str) -> Item | None:
    """The checkbox item of the scope, not yet read, whose options the boxes of `norm` print: most of
    them recognised (at least three), and no other unread item of the scope with that many."""
    if norm.count("[") < 3:
        return None
    text = norm.replace("\n", " ")
    scores = []
    for it in ctx.items():
        if it.kind != "checkbox" or not ctx.unread(it):
            continue
        options = OPTION_LISTS[it.options].options
        states, conflicts = option_boxes(text, options, ocr=True)
        if not conflicts and len(states) >= max(3, -(-3 * len(options) // 5)):
            scores.append((len(states), it))
    scores.sort(key=lambda s: -s[0])
    if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]
