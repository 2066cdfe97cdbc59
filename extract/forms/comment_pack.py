"""Public-comment packs: notices and summaries published around an assessment, not the form itself.

A pack is recognized by its markers (パブリックコメント, 意見を募集, 意見提出, ご意見, 素案, 概要版,
意見募集, 意見を求め); the caller has already found no form body. What is read, and the rules:

- pack.organization: the body named in fixed contexts only ("<X>パブリックコメント", "<X>ホームページ",
  "<X>役所", "〒… <X>", the line after 問い合わせ先, "<X>は、"). Every mention must name the same body,
  and there must be two of them or one plus a matching self-reference (本市 for a 市). Otherwise None
  and a warning: a body is never guessed.
- pack.affair: "<affair>の特定個人情報保護評価…" in heading-length segments and the 評価書名 of the
  documents table (minus the form suffix); all must agree.
- pack.documents (group_no = 評価書番号 or list position, value_text = 評価書名 as printed) and
  pack.documents.form (the form type its title names): from the 評価書番号/評価書名 table, else from
  list lines that are a form name alone ("①基礎項目評価書").
- pack.period: the 募集期間 row (or a period next to a "…期間" label) and the schedule row of the
  パブリックコメント; both must agree. A period printed without a year takes a year only when exactly one
  of the years stated in the pack puts both printed weekdays on those dates; else undetermined.
- pack.schedule: each row of the スケジュール table (group_no = row), planned dates flagged.
- pack.notice_date: a date standing alone at the head of the pack (the date of issue).
- Quoted form excerpts (after the "主な修正…" heading, before the schedule): headings and labels of the
  documents' form model give the item keys; the value cells are read by interpret.py. A part's file
  number is taken from "(n)" or from the pack's own "(n) (name)" pairing, else left None.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.core.fields import UNDETERMINED, Evidence, FieldValue
from extract.core.result import Identity, ParsedDocument
from extract.core.segments import Segment, SegmentedDocument
from extract.forms.identity import TITLE_SUFFIX
from extract.forms.interpret import Region, interpret, strip_folded_prefix
from extract.forms.model import (
    FORM_TYPES,
    FORMS,
    PACK_ITEMS,
    PUBLIC_COMMENT,
    Form,
    Item,
    Role,
    Section,
    iter_sections,
    role_label,
)
from extract.forms.pack_fields import read_pack_fields
from extract.forms.wording import (
    AFFAIR_SUFFIX,
    EXCERPT_ROW_LABELS,
    INQUIRY_HEADINGS,
    NOT_A_BODY,
    PACK_FILE_HEADING,
    PACK_MARKERS,
    PART_NUMERALS,
    SCHEDULE_HEADER_CELLS,
    SCHEDULE_HEADING,
    SELF_REFERENCES,
    TITLE_WORD,
)
from normalize.dates import parse_date, parse_period
from normalize.text import fold_label, normalize_text, section_numeral

MARKERS = PACK_MARKERS
_NUMBER_LABEL, _TITLE_LABEL = role_label(Role.ASSESSMENT_NO), role_label(Role.TITLE)  # 評価書番号, 評価書名


@dataclass(frozen=True, slots=True)
class _Seg:
    seg: Segment
    norm: str

    @property
    def fold(self) -> str:
        return fold_label(self.norm)


def is_comment_pack(doc: SegmentedDocument) -> bool:
    return any(m in normalize_text(s.text) for s in doc.segments for m in MARKERS)


def parse_comment_pack(doc: SegmentedDocument, form: Form | None) -> ParsedDocument | None:
    """Identity and fields of a public-comment pack, or None when the document is not one."""
    segs = [_Seg(s, normalize_text(s.text)) for s in doc.segments if s.text and s.text.strip()]
    if not any(m in x.norm for x in segs for m in MARKERS):
        return None
    src = doc.source
    warnings: list[str] = []
    fields: list[FieldValue] = []

    org = _organization(segs, src)
    if not org.ok:
        warnings.append(f"organization not established: {org.reason}")
    documents = _documents(segs, src)
    affair = _affair(segs, documents, src)
    if not affair.ok:
        warnings.append(f"affair not established: {affair.reason}")
    notice = _notice_date(segs, src)
    period = _period(segs, src)
    schedule = _schedule(segs, src)
    fields += [org, affair, *documents, period, notice, *schedule]
    fields += read_pack_fields([(x.seg, x.norm) for x in segs], src, org.value_text if org.ok else None)

    doc_forms = {f.value_text for f in documents if f.key == "pack.documents.form" and f.ok}
    excerpt_form = FORMS[next(iter(doc_forms))] if len(doc_forms) == 1 else form
    if excerpt_form is not None:
        fields += _excerpts(segs, excerpt_form, src)

    titles = [f for f in documents if f.key == "pack.documents" and f.ok]
    single = titles[0] if len(titles) == 1 else None
    identity = Identity(
        form_type=PUBLIC_COMMENT,
        organization=org.value_text if org.ok else None,
        affair=affair.value_text if affair.ok else None,
        title=single.value_text if single else None,
        assessment_no=str(single.group_no) if single and single.raw.split("\t")[0].isdigit() else None,
        published=notice.value_date if notice.ok else None,
        file_names=_file_names(segs),
    )
    return ParsedDocument(identity, fields, warnings)


# ---------------------------------------------------------------- helpers
def _ev(x: _Seg | None, src: str, confidence: float | None = None) -> Evidence:
    if x is None:
        return Evidence(source=src, method="none", confidence=0.0)
    s = x.seg
    return Evidence(src, s.page, s.bbox, s.line, s.method, s.confidence if confidence is None else confidence)


def _fv(key: str, **kw) -> FieldValue:
    item = PACK_ITEMS[key]
    return FieldValue(key=key, label=item.label, kind=item.kind, section_path="public-comment pack", **kw)


def _undetermined(fv: FieldValue, reason: str) -> FieldValue:
    fv.status, fv.reason = UNDETERMINED, reason
    return fv


# ---------------------------------------------------------------- organization
_ORG = r"([一-龥々ヶ]{1,5}?(?:都|道|府|県|市|区|町|村))"
_ORG_CONTEXTS = (
    regex.compile(r"(?<![一-龥々ヶ])" + _ORG + r"\s*パブリック・?コメント"),
    regex.compile(r"(?<![一-龥々ヶ])" + _ORG + r"\s*の?ホームページ"),
    regex.compile(r"(?<![一-龥々ヶ])" + _ORG + r"(?:役所|役場)"),
    regex.compile(r"〒\s*[0-9-]+\s*" + _ORG),
    regex.compile(r"^" + _ORG + r"は、"),
)


def _organization(segs: list[_Seg], src: str) -> FieldValue:
    fv = _fv("pack.organization")
    found: list[tuple[str, _Seg, str]] = []
    for i, x in enumerate(segs):
        for pat in _ORG_CONTEXTS:
            for m in pat.finditer(x.norm):
                found.append((m.group(1), x, m.group(0)))
        if x.fold in INQUIRY_HEADINGS and i + 1 < len(segs):
            m = regex.match(_ORG + r"\s", segs[i + 1].norm)
            if m:
                found.append((m.group(1), segs[i + 1], m.group(0).strip()))
    found = [f for f in found if f[0][0] not in NOT_A_BODY]
    if not found:
        return _undetermined(fv, "not-found: no body is named in the pack's fixed contexts")
    names = sorted({n for n, _, _ in found})
    if len(names) > 1:
        return _undetermined(fv, "conflict: the pack names several bodies: " + "、".join(names))
    name = names[0]
    text = "\n".join(x.norm for x in segs)
    self_ref = [w for w in SELF_REFERENCES.get(name[-1], ()) if w in text]
    if len(found) < 2 and not self_ref:
        return _undetermined(fv, f"not-found: 「{name}」 is named once and the pack never refers to itself")
    fv.value_text = name
    fv.raw = " | ".join(dict.fromkeys(snip for _, _, snip in found))
    fv.evidence = _ev(found[0][1], src)
    fv.reason = f"named {len(found)} times" + (f"; self-reference {'、'.join(self_ref)}" if self_ref else "")
    return fv


# ---------------------------------------------------------------- documents and affair
_NUMBER = regex.compile(r"^\d+(?:-\d+)?$")
_LIST_FORM = regex.compile(r"^([①-⑳])?\s*(" + "|".join(map(regex.escape, FORM_TYPES)) + r")$")
_HEADER = regex.compile(rf"^{regex.escape(_NUMBER_LABEL)}\s+{regex.escape(_TITLE_LABEL)}$")
_NUMBER_AND_TITLE = regex.compile(rf"^(\d+(?:-\d+)?)\s+(\S.*{TITLE_WORD})$")


def _form_of(title: str) -> str | None:
    hits = [f for f in FORM_TYPES if f in fold_label(title)]
    return hits[0] if len(hits) == 1 else None


def _documents(segs: list[_Seg], src: str) -> list[FieldValue]:
    rows: list[tuple[str, str, _Seg]] = []
    for i, x in enumerate(segs):
        if x.fold == fold_label(_NUMBER_LABEL) and i + 1 < len(segs) and segs[i + 1].fold == fold_label(_TITLE_LABEL):
            j = i + 2
            while j + 1 < len(segs) and _NUMBER.match(segs[j].norm) and TITLE_WORD in segs[j + 1].norm \
                    and (segs[j].seg.row is None or segs[j].seg.row == segs[j + 1].seg.row):
                rows.append((segs[j].norm, segs[j + 1].norm, segs[j + 1]))
                j += 2
        elif _HEADER.match(x.norm) and i + 1 < len(segs):
            m = _NUMBER_AND_TITLE.match(segs[i + 1].norm)
            if m:
                rows.append((m.group(1), m.group(2), segs[i + 1]))
        if rows:
            break
    if not rows:
        for x in segs:
            m = _LIST_FORM.match(x.norm)
            if m:
                no = str(section_numeral_circled(m.group(1)) if m.group(1) else len(rows) + 1)
                rows.append((f"#{no}", m.group(2), x))
    out = []
    seen: set[str] = set()
    for no, title, x in rows:
        if title in seen:
            continue
        seen.add(title)
        gno = int(no.lstrip("#").split("-")[0])
        t = _fv("pack.documents", group_no=gno, raw=f"{no}\t{title}", value_text=title, evidence=_ev(x, src))
        f = _fv("pack.documents.form", group_no=gno, raw=title, evidence=_ev(x, src))
        ft = _form_of(title)
        if ft:
            f.value_text = ft
        else:
            _undetermined(f, f"not-found: 「{title}」 names no single form")
        out += [t, f]
    return out


def section_numeral_circled(c: str) -> int:
    return ord(c) - 0x2460 + 1


_AFFAIR_HEAD = regex.compile(r"^(?:[-・]\s*)?([^\s、。「」『』][^、。「」『』]*?事務)\s*の\s*特定個人情報保護評価")


def _affair(segs: list[_Seg], documents: list[FieldValue], src: str) -> FieldValue:
    fv = _fv("pack.affair")
    cands: list[tuple[str, _Seg | None]] = []
    for d in documents:
        if d.key == "pack.documents" and d.value_text:
            a = TITLE_SUFFIX.sub("", d.value_text).strip()
            if a and a != d.value_text and a.endswith(AFFAIR_SUFFIX):
                cands.append((a, None))
    for x in segs:
        if len(x.norm) > 60:
            continue  # prose: the sentence's subject may precede the affair
        m = _AFFAIR_HEAD.match(x.norm)
        if m:
            cands.append((m.group(1).strip(), x))
    if not cands:
        return _undetermined(fv, "not-found: no 「…事務の特定個人情報保護評価」 heading or 評価書名")
    names = {fold_label(a): a for a, _ in cands}
    if len(names) > 1:
        return _undetermined(fv, "conflict: " + "、".join(names.values()))
    fv.value_text = cands[0][0]
    fv.raw = cands[0][0]
    fv.evidence = _ev(next((x for _, x in cands if x is not None), None), src)
    return fv


# ---------------------------------------------------------------- dates
_ERA_YEAR = regex.compile(r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(\d+|元)\s*年")
_WESTERN_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_ERA_FIRST = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
              "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
_WEEKDAY = regex.compile(r"[(（]\s*[月火水木金土日]\s*[)）]")


def _stated_years(segs: list[_Seg]) -> list[int]:
    years = set()
    for x in segs:
        for m in _ERA_YEAR.finditer(x.norm):
            n = 1 if m.group(2) == "元" else int(m.group(2))
            years.add(_ERA_FIRST[m.group(1)] + n - 1)
        for m in _WESTERN_YEAR.finditer(x.norm):
            years.add(int(m.group(1)))
    return sorted(years)


def _read_period(text: str, segs: list[_Seg]) -> tuple[tuple | None, str]:
    """(start, end) DateResults or None, and a note / reason."""
    p = parse_period(text)
    if p is None:
        return None, "unparseable: not a period"
    start, end = p
    if start.value is not None and end.value is not None:
        return (start, end), ""
    if not (start.error and start.error.startswith("no year")):
        return None, f"unparseable: {start.error or end.error}"
    if len(_WEEKDAY.findall(text)) < 2:
        return None, "no-year: the period gives no year and no weekdays to check one against"
    years = _stated_years(segs)
    fits = []
    for y in years:
        q = parse_period(text, y)
        if q and q[0].value and q[1].value:
            fits.append((y, q))
    if len(fits) != 1:
        return None, (f"no-year: the period gives no year; of the years stated in the pack ({', '.join(map(str, years))}) "
                      f"{len(fits)} fit the printed weekdays")
    y, q = fits[0]
    return q, (f"year inferred: {y} is the only year stated in the pack ({', '.join(map(str, years))}) "
               "on which both printed weekdays fall")


_PERIOD_LABEL = regex.compile(r"(募集期間|意見募集期間|意見提出期間|(?:パブリックコメント|意見提出手続).*期間)")


def _period(segs: list[_Seg], src: str) -> FieldValue:
    fv = _fv("pack.period")
    cands: list[tuple[tuple, str, _Seg]] = []
    problems: list[str] = []
    for i, x in enumerate(segs):
        if len(x.norm) <= 40 and _PERIOD_LABEL.search(x.fold):
            for y in segs[i + 1:i + 5]:  # the value cell, possibly after 開始 / 締切 labels
                if "~" in y.norm and regex.search(r"\d+\s*月", y.norm):
                    p, note = _read_period(y.norm, segs)
                    if p:
                        cands.append((p, note, y))
                    else:
                        problems.append(note)
                    break
    for i, x in enumerate(segs):  # schedule row: time cell, then the パブリックコメント content cell
        if i + 1 < len(segs) and x.seg.row is not None and segs[i + 1].seg.row == x.seg.row \
                and regex.search(r"パブリック・?コメント|意見募集", segs[i + 1].norm) and "~" in x.norm:
            p, note = _read_period(x.norm, segs)
            if p:
                cands.append((p, note, x))
            else:
                problems.append(note)
    if not cands:
        return _undetermined(fv, problems[0] if problems else "not-found: no comment period in the pack")
    spans = {(p[0].value, p[1].value) for p, _, _ in cands}
    if len(spans) > 1:
        return _undetermined(fv, "conflict: " + "; ".join(f"{a}~{b}" for a, b in sorted(spans)))
    (start, end), note, x = cands[0]
    fv.value_date, fv.value_date_end = start.value.isoformat(), end.value.isoformat()
    fv.date_precision = start.precision
    fv.raw = x.norm
    fv.evidence = _ev(x, src, 0.8 if note else None)
    fv.reason = note or (f"agrees in {len(cands)} places" if len(cands) > 1 else None)
    return fv


def _schedule(segs: list[_Seg], src: str) -> list[FieldValue]:
    out: list[FieldValue] = []
    start = next((i for i, x in enumerate(segs) if SCHEDULE_HEADING in x.norm and len(x.norm) <= 40), None)
    if start is None:
        return out
    i = start + 1
    while i + 1 < len(segs) and segs[i].seg.row is not None:
        a, b = segs[i], segs[i + 1]
        if a.seg.row != b.seg.row or a.fold in SCHEDULE_HEADER_CELLS:
            i += 1 if a.seg.row != b.seg.row else 2
            continue
        fv = _fv("pack.schedule", group_no=len(out) + 1, raw=a.norm, value_text=b.norm, evidence=_ev(a, src))
        p = parse_period(a.norm)
        if p and p[0].value and p[1].value:
            fv.value_date, fv.value_date_end, fv.date_precision = p[0].value.isoformat(), p[1].value.isoformat(), \
                p[0].precision
            flags = set(p[0].flags) | set(p[1].flags)
        else:
            d = parse_date(a.norm)
            if d.value is None:
                _undetermined(fv, f"unparseable: {d.error}")
                out.append(fv)
                i += 2
                continue
            fv.value_date, fv.date_precision, flags = d.value.isoformat(), d.precision, set(d.flags)
        if "planned" in flags:
            fv.reason = "planned (予定)"
        out.append(fv)
        i += 2
    return out


def _notice_date(segs: list[_Seg], src: str) -> FieldValue:
    fv = _fv("pack.notice_date")
    for x in segs[:3]:
        d = parse_date(x.norm)
        if d.value is not None and d.precision == "day":
            fv.value_date, fv.date_precision, fv.raw, fv.evidence = d.value.isoformat(), d.precision, x.norm, _ev(x, src)
            return fv
    return _undetermined(fv, "not-found: no date of issue stands at the head of the pack")


# ---------------------------------------------------------------- file names
_FILE_LINE = regex.compile(r"^[(（](\d+)[)）]\s*(\S+ファイル)$")


def _file_names(segs: list[_Seg]) -> list[str]:
    """"(1) 住民基本台帳ファイル" lines under a 特定個人情報ファイル heading, numbered 1, 2, 3 in order."""
    for i, x in enumerate(segs):
        if PACK_FILE_HEADING not in x.norm or len(x.norm) > 30:
            continue
        names: list[str] = []
        for y in segs[i + 1:i + 30]:
            m = _FILE_LINE.match(y.norm)
            if m and int(m.group(1)) == len(names) + 1:
                names.append(m.group(2))
        if len(names) >= 2:
            return names
    return []


# ---------------------------------------------------------------- quoted form excerpts
_PART_HEAD = regex.compile(r"^(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ|VI|IV|V|III|II|I)\s*[.．]?\s*(\S.*)$")
_SECTION_HEAD = regex.compile(r"^(\d{1,2})\s*[.．]\s*(\S.*)$")
_GROUPS = tuple(dict.fromkeys(s.title for f in FORMS.values() for p in f.parts for s in iter_sections(p)
                             if s.level == "group"))  # システム, 委託事項, 提供先, 移転先
_GROUP_HEAD = regex.compile(r"^(" + "|".join(map(regex.escape, _GROUPS)) + r")\s*(\d+)$")
_FILE_PAIR = regex.compile(r"(?:Ⅱ|Ⅲ|II|III)[^()（）]*?[(（](\d+)[)）]\s*[(（]([^()（）]+ファイル)[)）]")
_ROW_LABELS = {*EXCERPT_ROW_LABELS,  # and the sections' stops (④使用の主体, ⑦使用の主体)
               *(stop for f in FORMS.values() for p in f.parts for s in iter_sections(p) for stop in s.stops)}


def _strip_parens(s: str) -> str:
    return regex.sub(r"[(（][^()（）]*[)）]", "", s)


def _match_part(form: Form, numeral: str, rest: str) -> Section | None:
    n = section_numeral(numeral)
    r = fold_label(_strip_parens(rest))
    for part in form.parts:
        if part.number != n or not r:
            continue
        for t in (part.title, *part.aliases):
            ft = fold_label(t)
            if r in ft or ft.startswith(r) or r.startswith(ft):
                return part
    return None


def _match_section(form: Form, part: Section | None, head: str) -> tuple[Section, Section] | None:
    m = _SECTION_HEAD.match(head)
    if not m:
        return None
    n, rest = int(m.group(1)), fold_label(m.group(2))
    hits = []
    for p in ([part] if part else form.parts):
        for sec in p.children:
            if sec.number == n and any(rest == fold_label(t) or rest.startswith(fold_label(t))
                                       for t in (sec.title, *sec.aliases)):
                hits.append((p, sec))
    return hits[0] if len(hits) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one inserted or deleted character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return a == b
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _match_label(items: list[Item], x: _Seg) -> tuple[Item, str] | None:
    f = x.fold
    best = None
    for it in items:
        for lab in (it.label, *it.aliases):
            fl = fold_label(lab)
            if f.startswith(fl) and (best is None or len(fl) > len(best[1])):
                best = (it, fl)
    if best:
        return best[0], strip_folded_prefix(x.norm, best[1])
    fuzzy = [it for it in items if len(fold_label(it.label)) >= 15 and _one_edit(f, fold_label(it.label))]
    return (fuzzy[0], "") if len(fuzzy) == 1 else None


def _excerpts(segs: list[_Seg], form: Form, src: str) -> list[FieldValue]:
    start = next((i for i, x in enumerate(segs) if regex.match(r"^\d+\s*[.．]\s*主な修正", x.norm)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(segs)) if regex.match(r"^\d+\s*[.．].*スケジュール", segs[i].norm)),
               len(segs))
    file_of = {fold_label(name): int(n) for x in segs for n, name in _FILE_PAIR.findall(x.norm)}
    out: list[FieldValue] = []
    part: Section | None = None
    file_no: int | None = None
    section: Section | None = None
    group: tuple[Section, int] | None = None
    open_: tuple[Item, list[tuple[Segment, str]], str, int | None, int | None] | None = None
    done: set[tuple] = set()

    def close() -> None:
        nonlocal open_
        if open_ is not None:
            item, parts, path, fno, gno = open_
            fv = interpret(item, Region(parts, src), form)
            fv.section_path, fv.file_no, fv.group_no = path, fno, gno
            if fv.ok or parts:
                out.append(fv)
        open_ = None

    for x in segs[start + 1:end]:
        pm = _PART_HEAD.match(x.norm)
        p = _match_part(form, pm.group(1), pm.group(2)) if pm else None
        if p is not None:
            close()
            part, section, group = p, None, None
            nums = regex.findall(r"[(（](\d+)[)）]", pm.group(2))
            names = [fold_label(n) for n in regex.findall(r"[(（]([^()（）]+ファイル)[)）]", pm.group(2))]
            file_no = int(nums[0]) if len(nums) == 1 else next((file_of[n] for n in names if n in file_of), None)
            out += _file_name(form, part, file_no, names, pm.group(2), x, src, done)
            continue
        hit = _match_section(form, part, x.norm)
        if hit is not None:
            close()
            part, section = hit
            group = None
            if part.repeat != "file":
                file_no = None
            continue
        gm = _GROUP_HEAD.match(x.norm)
        if gm and section is not None:
            g = next((c for c in iter_sections(section) if c.level == "group" and c.title == gm.group(1)), None)
            if g is not None:
                close()
                group = (g, int(gm.group(2)))
                if g.heading_item is not None:  # the group's name: the cells after "委託事項2" on its row
                    path = " ".join(b for b in (_roman(part), f"(file {file_no})" if file_no else "",
                                                 str(section.number), f"{g.title}{group[1]}") if b)
                    open_ = (g.heading_item, [], path, file_no if part and part.repeat == "file" else None, group[1])
                continue
        if section is None:
            continue
        items = list(group[0].items) if group else []
        items += [it for sec in iter_sections(section) if sec.level != "group" for it in sec.items]
        lm = _match_label(items, x)
        if lm is not None:
            item, rest = lm
            gno = group[1] if group and item in group[0].items else None
            key = (item.key, file_no, gno)
            if key not in done:
                close()
                done.add(key)
                path = " ".join(b for b in (_roman(part), f"(file {file_no})" if file_no else "", str(section.number),
                                             f"{group[0].title}{gno}" if gno else "") if b)
                rest = rest.lstrip("※ \n")
                open_ = (item, [(x.seg, rest)] if rest else [], path, file_no if part.repeat == "file" else None, gno)
                continue
        if open_ is not None and x.norm not in _ROW_LABELS:
            open_[1].append((x.seg, x.norm))
    close()
    return out


def _file_name(form: Form, part: Section, file_no: int | None, names: list[str], heading: str, x: _Seg, src: str,
               done: set[tuple]) -> list[FieldValue]:
    """The file name a per-file part's heading prints in parentheses (Ⅱ 特定個人情報ファイルの概要（本人確認
    情報ファイル）), as that part's FILE_NAME item, once per part and file; only with the file's number known."""
    if part.repeat != "file" or file_no is None or len(names) != 1:
        return []
    item = next((it for it in form.items_for(Role.FILE_NAME) if it.key.startswith(f"{_KEY_OF_PART[part.number]}.")),
                None)
    if item is None or (item.key, file_no, None) in done:
        return []
    done.add((item.key, file_no, None))
    name = next(n for n in regex.findall(r"[(（]([^()（）]+ファイル)[)）]", heading))
    return [FieldValue(key=item.key, label=item.label, kind=item.kind, section_path=f"{_roman(part)} (file {file_no})",
                       file_no=file_no, raw=x.norm, value_text=name, evidence=_ev(x, src),
                       reason="the name in the part heading's parentheses")]


_KEY_OF_PART = {2: "II", 3: "III"}


def _roman(part: Section | None) -> str:
    return PART_NUMERALS[part.number or 0] if part else ""


__all__ = ["parse_comment_pack", "is_comment_pack", "MARKERS"]
