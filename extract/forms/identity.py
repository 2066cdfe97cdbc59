"""Identity of a document (form, organization, affair, number, dates, file names) from its fields."""

from __future__ import annotations

import regex
from rapidfuzz.distance import Levenshtein

from extract.core.fields import Evidence, FieldValue
from extract.core.result import Identity
from extract.core.segments import Segment
from extract.forms.fuzzy import close_cjk_gaps, fix_words
from extract.forms.model import (
    FORM_TYPES,
    MODELS,
    Form,
    Item,
    Role,
    has_role,
    role_items,
    role_keys,
    role_label,
)
from extract.forms.wording import AFFAIR_WORDS, FILE_WORD, TITLE_WORD
from normalize.orgs import normalize_org, org_code
from normalize.text import fold_label, join_wrapped, normalize_text

# 樣: the old form PP-OCR reads for 様 (normalize/data/simplified_to_japanese.csv leaves old forms to callers)
_STAMP = regex.compile(r"(平成|令和)\s*(\d+|元)\s*年\s*(\d+)\s*月\s*[様樣]式\s*(\d)")
_DECLARATION_ORG = regex.compile(r"^\s*(\S{1,20}?(?:都|道|府|県|市|区|町|村|委員会|機構|庁|省))は、")
LIST_PREFIX = regex.compile(r"^\s*(?:[(（]\s*\d+\s*[)）]|\d+\s*[.．、)）]?|[①-⑳])\s*")
FILE_WORDS = (*AFFAIR_WORDS, FILE_WORD)  # a file name is affair words and "ファイル" (特定個人情報ファイル)
_LIST_NUMBER = regex.compile(r"^\s*(?:[(（]\s*(\d+)\s*[)）]|(\d+)\s*[.．、)）]?)")
TITLE_SUFFIX = regex.compile(r"\s*(" + "|".join(map(regex.escape, FORM_TYPES)) + r")\s*$")  # "… 全項目評価書"
DECLARATION_AFFAIR = regex.compile(r"は、\s*(\S+?)における")
_NUMBER_TITLE = regex.compile(r"^\s*(\d+(?:-\d+)?)\s+(\S.*)$")
# the name heading each file's block, Ⅱ 1 first (its cell decides whether the names were OCR'd), then Ⅲ 1
_FILE_NAME_KEYS = tuple(dict.fromkeys(it.key for it in role_items(Role.FILE_NAME)))
# the list of files in Ⅰ of the forms with per-file parts (全項目, 重点項目: I.3)
_FILE_LIST_KEYS = frozenset(f.by_role(Role.FILE_LIST).key for f in MODELS.values() if f.by_role(Role.FILE_NAME))


def form_revision(segments: list[Segment], limit: int = 60) -> str | None:
    """The version stamp on the cover, e.g. "平成30年5月 様式4"."""
    for seg in segments[:limit]:
        m = _STAMP.search(normalize_text(seg.text))
        if m:
            return f"{m.group(1)}{m.group(2)}年{m.group(3)}月 様式{m.group(4)}"
    return None


def organization_from_declaration(text: str | None) -> str | None:
    """宣言 begins with the body's name: "熊本県は、…" -> 熊本県."""
    if not text:
        return None
    m = _DECLARATION_ORG.match(normalize_text(text).strip())
    return m.group(1) if m else None


def vote(readings: list[str | None]) -> str | None:
    """Character-wise vote of three or more OCR readings of one name (事務の名称, the title, the 宣言
    and a second OCR pass each spell the affair). The readings of the most common length vote (a reading
    with a glyph lost or junk appended drops out); None unless three or more of them are left and every
    position has one character read by at least two of them and more than twice as often as any other
    (three against one, not two against one)."""
    texts = [t for t in readings if t]
    lengths = sorted({len(t) for t in texts}, key=lambda n: -sum(len(t) == n for t in texts))
    if not lengths:
        return None
    same = [t for t in texts if len(t) == lengths[0]]
    if len(same) < 3 or (len(lengths) > 1 and sum(len(t) == lengths[1] for t in texts) == len(same)):
        return None
    out = []
    for chars in zip(*same):
        counts = sorted(((chars.count(c), c) for c in set(chars)), reverse=True)
        # two against one is not enough: OCR misreads a glyph the same way on different pages (係 as 作)
        if counts[0][0] < 2 or (len(counts) > 1 and counts[0][0] <= 2 * counts[1][0]):
            return None
        out.append(counts[0][1])
    return "".join(out)


def title_affair(title: str) -> str:
    """The affair part of a 評価書名 ("住民基本台帳に関する事務 全項目評価書" -> 住民基本台帳に関する事務)."""
    return fix_words(TITLE_SUFFIX.sub("", title).strip())


def agreed(readings: list[str | None]) -> str | None:
    """The name OCR readings establish: their character vote, else a spelling two readings share and no
    reading of its length contradicts; None when they disagree (one OCR reading of a long name is not
    evidence enough)."""
    voted = vote(readings)
    if voted:
        return voted
    texts = [t for t in readings if t]
    shared = next((t for i, t in enumerate(texts) if t in texts[i + 1:]), None)
    # a reading of the same length spelling it otherwise is a dissent (a reading with a glyph lost or junk
    # added is no evidence either way)
    if shared is None or any(len(t) == len(shared) and t != shared for t in texts):
        return None
    return shared


def affair_readings(fields: list[FieldValue], title: str | None) -> list[str | None]:
    """Every spelling of the affair in the document: 事務の名称, the 評価書名 without its suffix, the 宣言."""
    affair = _first(fields, Role.AFFAIR)
    declaration = _first(fields, Role.DECLARATION)
    m = DECLARATION_AFFAIR.search(declaration.value_text or "") if declaration else None
    readings = [affair.value_text.split("\n")[0].strip() if affair and affair.value_text else None,
                TITLE_SUFFIX.sub("", title).strip() if title else None,
                m.group(1) if m else None]
    return [fix_words(r) if r else None for r in readings]


def _first(fields: list[FieldValue], role: Role) -> FieldValue | None:
    keys = role_keys(role)
    return next((f for f in fields if f.key in keys and f.ok), None)


def _any(fields: list[FieldValue], role: Role) -> FieldValue | None:
    keys = role_keys(role)
    return next((f for f in fields if f.key in keys), None)


def _number_and_title(fields: list[FieldValue]) -> tuple[str | None, str | None]:
    """評価書番号 | 評価書名 is a header row with the values in the next row; the parser sees the
    header labels and then both values, so read them together. On a scan a line of digits under the title's label
    is the number only when the number's own label was read too: a streak's sliver OCR'd as "1" beside a blotted
    header is no number (scan round 17, r27_a10 p. 1, 評価書番号 24 under a dirty drum's band)."""
    parts = []
    for role in (Role.ASSESSMENT_NO, Role.TITLE):
        f = _any(fields, role)
        if f and f.value_text:
            parts.extend(ln.strip() for ln in f.value_text.split("\n"))
    title_only = _any(fields, Role.ASSESSMENT_NO) is None
    scanned = any(f.evidence is not None and f.evidence.method == "ocr" for f in fields if f.key in
                  role_keys(Role.TITLE))
    if title_only and scanned:
        return None, next((ln for ln in parts if TITLE_WORD in ln and fold_label(ln) != fold_label(
            role_label(Role.TITLE))), None)
    labels = {fold_label(role_label(role)) for role in (Role.ASSESSMENT_NO, Role.TITLE)}
    lines = [ln for ln in parts if ln and fold_label(ln) not in labels]
    number = title = None
    for i, ln in enumerate(lines):
        m = _NUMBER_TITLE.match(ln)
        if m and TITLE_WORD in m.group(2):
            return m.group(1), m.group(2).strip()
        if regex.fullmatch(r"\d+(?:-\d+)?", ln) and number is None:
            number = ln
            if i + 1 < len(lines) and TITLE_WORD in lines[i + 1]:
                title = lines[i + 1]
                break
    end = next((i for i, ln in enumerate(lines) if TITLE_WORD in ln), len(lines))
    if scanned and len({ln for ln in lines[:end] if regex.fullmatch(r"\d+(?:-\d+)?", ln)}) > 1:
        # two numbers before the title: a rule's sliver read "1" beside the number's cell (scan round 17, r27_a03 at
        # 150 dpi: "1" at the table's left border, then "7"); which is the number, the lines do not say
        return None, title
    return number, title


def per_file_names(fields: list[FieldValue], second: dict[tuple[str, int], str] | None = None,
                   echoes: dict[tuple[str, int], str] | None = None) -> dict[int, str | None]:
    """File number -> name from Ⅱ 1. On a scan a name read once is not evidence enough: the name must be
    read in every cell that spells it (Ⅱ 1, Ⅲ 1 of the same file, line (n) of the list in Ⅰ 3), at least
    two, and no other spelling may be read in all of them; a cell's readings are the page pass and, where
    given, its second reading (`second`, by (key, file number); the Ⅰ 3 list by ("I.3", 0), with the
    lines of its binarised reading that echo another reading, `echoes`). Else the name
    is None (the file is there, its name undetermined). Not a majority: OCR misreads one glyph the same
    way on different pages (報告書 read 報告置 in Ⅱ 1 and Ⅲ 1, right only in Ⅰ 3)."""
    second = second or {}
    names: dict[str, dict[int, str]] = {key: {} for key in _FILE_NAME_KEYS}
    head = _FILE_NAME_KEYS[0]
    ocr: dict[int, bool] = {}
    for f in fields:
        if f.key in names and f.ok and f.value_text and f.file_no:
            names[f.key].setdefault(f.file_no, f.value_text.split("\n")[0].strip())
            if f.key == head:
                ocr[f.file_no] = bool(f.evidence and f.evidence.method == "ocr")
    listed_field = next((f for f in fields if f.ok and f.key in _FILE_LIST_KEYS and f.value_text), None)
    listed = [_listed_names(listed_field.value_text if listed_field else None),
              _listed_names(_list_reading(second))]
    listed.append(_echoed(listed, _list_reading(echoes or {})))
    out: dict[int, str | None] = {}
    for n, name in names[head].items():
        if not ocr[n]:
            out[n] = name
            continue
        cells = [[names[key].get(n), second.get((key, n))] for key in _FILE_NAME_KEYS]
        cells.append([lst.get(n) for lst in listed])
        # or, where a cell has no reading of it, the character vote of all readings (three against one)
        out[n] = _read_in_every_cell(cells) or vote([_spelled(r) for cell in cells for r in cell if r])
    return out


def _list_reading(readings: dict[tuple[str, int], str]) -> str | None:
    """The reading of Ⅰ's list of files among second readings (under file number 0)."""
    return next((readings[(key, 0)] for key in sorted(_FILE_LIST_KEYS) if (key, 0) in readings), None)


def _spelled(reading: str) -> str:
    """A reading of a file name, its OCR gaps closed (Ⅱ 1 "生活保護受給者ファイ ル" is Ⅲ 1's "生活保護受給者ファイル":
    scan round 5, r15_b07), specks read before it dropped (Ⅲ 1 ": 生活保護受給者フアイル": scan round 8, r18_b09),
    corrected against the closed vocabulary. A name ends in ファイル: a glyph of that word lost is put back
    ("県税総合ファル"), and the name's own tail read again after it dropped (a stretch of ink read twice:
    "自動車税種別割ファイル別割ファィル"; both scan round 9, r19_b08 Ⅲ 1). Anything else after it stays, so that a
    reading with junk after the name is no dissent (its length differs: see agreed)."""
    name = fix_words(close_cjk_gaps(_NAME_SPECKS.sub("", _first_line(reading))), FILE_WORDS)
    if FILE_WORD in name:
        end = name.index(FILE_WORD) + len(FILE_WORD)
        again = name[end:].strip()
        return name[:end] if len(again) >= len(FILE_WORD) and name[:end].endswith(again) else name
    short = len(FILE_WORD) - 1
    if len(name) > short and Levenshtein.distance(name[-short:], FILE_WORD) == 1:
        return name[:-short] + FILE_WORD
    return name


_NAME_SPECKS = regex.compile(r"^[^\p{L}\p{N}(（]+")  # a name starts with a glyph (or a bracket)


def _read_in_every_cell(cells: list[list[str | None]]) -> str | None:
    """The one spelling read in every cell that has a reading (two cells at least), each reading first
    corrected against the closed vocabulary ("本人確認情報ファイカ": one glyph); None otherwise."""
    spelled = [{_spelled(r) for r in cell if r and _first_line(r)} for cell in cells]
    spelled = [c for c in (_spellings_of_a_name(c, [o for other in spelled if other is not c for o in other])
                            for c in spelled) if c]
    if len(spelled) < 2:
        return None
    common = set.intersection(*spelled)
    return common.pop() if len(common) == 1 else None


NAME_LIKE = 0.5  # a reading this similar to another cell's reading spells the name; less is noise


def _spellings_of_a_name(cell: set[str], others: list[str]) -> set[str]:
    """The readings of a cell that spell a name some other cell's reading also spells, a glyph or a few
    apart ("報告置" beside "報告書": dissent); a reading like none of them is noise, not dissent (a second
    reading of a bilevel page that came out "五有日": scan round 8, r18_a11, where it made the first file's
    name unknown and with it every per-file value of the document)."""
    return {r for r in cell if any(Levenshtein.normalized_similarity(r, o) >= NAME_LIKE for o in others)}


def _first_line(text: str) -> str:
    return normalize_text(text).split("\n")[0].strip()


def _listed_names(text: str | None) -> dict[int, str]:
    """The lines of a file list ("( 3 ) 給与支払報告書ファイル") by their number; a line whose number was not
    read is the one after the line before. Lines with no two letters in them (specks) are skipped."""
    out: dict[int, str] = {}
    if not text:
        return out
    lines: list[str] = []
    for part in (p for ln in normalize_text(text).split("\n") for p in _one_per_number(ln)):  # "1 A 2 B": two names
        if lines and not _LIST_NUMBER.match(part) and _completes_name(lines[-1], part):
            lines[-1] += part.strip()  # "3 本人確認情報ファイ" + "ル": the name wrapped in its cell
        elif len(regex.findall(r"\p{L}", part)) >= 2:
            lines.append(part)
    n = 0
    for ln in lines:
        m = _LIST_NUMBER.match(ln)
        n = int(m.group(1) or m.group(2)) if m else n + 1  # a line whose number was not read: the next
        out.setdefault(n, LIST_PREFIX.sub("", ln).strip())
    return out


def _completes_name(name: str, tail: str) -> bool:
    """Whether `tail`, a line without a list number, is the wrapped end of `name`: a file name ends in ファイル, and
    this one does only with the tail, the rest of that word."""
    head, tail = name.rstrip(), tail.strip()
    return not head.endswith(FILE_WORD) and len(tail) < len(FILE_WORD) and (head + tail).endswith(FILE_WORD)


def _one_per_number(line: str) -> list[str]:
    """A list line that holds several numbered names ("1 介護保険資格ファイル 2 介護保険賦課ファイル"): one
    line per name, cut where the next number in sequence stands between spaces."""
    m = _LIST_NUMBER.match(line)
    if not m:
        return [line]
    out, n, start = [], int(m.group(1) or m.group(2)), 0
    # after a name ended in ファイル the number may be glued to the next name, or to that ファイル, as OCR often reads
    # it ("1被保護者台帳ファイル 2生活保護受給者ファイル": scan round 12, r22_b04; "1 個人事業税ファイル２ 自動車税種別割
    # ファイル": scan round 13, r23_a01 at 150 dpi; both read as one name)
    def cut_before(k: int) -> str:
        return rf"\s+(?=[(（]?\s*{k}\s*[)）.．、]?\s+\S)|(?<={FILE_WORD})\s*(?=[(（]?\s*{k}\s*[)）.．、]?\s*[^\d\s])"

    while (nxt := regex.search(cut_before(n + 1), line[start + 1:])) is not None:
        cut = start + 1 + nxt.start()
        out.append(line[start:cut])
        start, n = cut + len(nxt.group(0)), n + 1
    return [*out, line[start:]]


def _numbered_entries(lines: list[str]) -> list[str]:
    """In a numbered list, a line that does not start with a number is the previous name wrapped in its
    cell ("3 国民健康" + "保険資格ファイル"); an unnumbered list has one name per line."""
    if not lines or not _LIST_NUMBER.match(lines[0]):
        return lines
    out: list[str] = []
    for ln in lines:
        if out and ln.strip() and not _LIST_NUMBER.match(ln):
            out[-1] = join_wrapped([out[-1], ln.strip()])
        else:
            out.append(ln)
    return out


def _echoed(listed: list[dict[int, str]], echo: str | None) -> dict[int, str]:
    """The lines of a list's binarised reading that spell, after the vocabulary, what another reading of
    the same line spells: that reading supports a spelling but never opposes one (its misreads are noise,
    not dissent)."""
    return {n: t for n, t in _listed_names(echo).items()
            if any(lst.get(n) and _spelled(lst[n]) == _spelled(t) for lst in listed)}


def listed_file_names(fields: list[FieldValue], second: dict[tuple[str, int], str] | None = None,
                      echoes: dict[tuple[str, int], str] | None = None) -> dict[int, str | None]:
    """基礎 has no per-file part: the list item of part Ⅰ names the files. On a scan each name is what
    the page pass and the second readings of the list establish (`agreed`: their vote, else a spelling
    two share that no reading of its length contradicts; the binarised reading's lines where they echo
    another reading, `echoes`); None where they do not."""
    listed = next((f for f in fields if f.ok and has_role(Role.FILE_LIST, f.key, f.label)), None)
    if listed is None or not listed.value_text:
        return {}
    lines = listed.value_text.split("\n")
    if listed.evidence is None or listed.evidence.method != "ocr":  # OCR loses numbers: no continuations
        lines = _numbered_entries(lines)
    names = [LIST_PREFIX.sub("", ln).strip() for ln in lines for ln in _one_per_number(ln)]
    files: dict[int, str | None] = dict(enumerate((n for n in names if n), start=1))
    if listed.evidence is None or listed.evidence.method != "ocr" or second is None:
        return files
    if (listed.key, 0) not in second:
        return dict.fromkeys(files)
    again = _listed_names(second[(listed.key, 0)])
    echo = _echoed([files, again], (echoes or {}).get((listed.key, 0)))
    return {n: agreed([_spelled(r) for r in (name, again.get(n), echo.get(n)) if r]) for n, name in files.items()}


def ocr_organization(raw: str | None, declared: str | None) -> tuple[str | None, str | None]:
    """(評価実施機関名, body) from an OCR'd cover: a reading counts when it names a known body (全国地方
    公共団体コード table), the 機関名 with an office the table of offices knows ("八代市食" does not);
    two readings that name different bodies are a conflict."""
    body = normalize_org(raw) if raw else None
    raw_ok = bool(raw and body != "".join(raw.split()) and org_code(body))
    declared_ok = bool(declared and org_code(normalize_org(declared)))
    named = {b for b, ok in ((body, raw_ok), (normalize_org(declared or ""), declared_ok)) if ok}
    if len(named) != 1:
        return None, None
    return (raw if raw_ok else None), named.pop()


def title_row(form: Form, segments: list[Segment], source: str, limit: int = 40) -> list[FieldValue]:
    """Both header labels of the cover misread on a scan ("生価午番号 | 評価守名"), so neither item opened:
    the 評価書名 is the one-line cover cell that ends in the form's own name after an affair ("生活保護に関する
    事務 基礎項目評価書"; the page heading has it in brackets), the 評価書番号 the cell of digits left of it in
    its row. Fields with their evidence, noted as read by content; none where no such cell is found."""
    def field(item: Item, seg: Segment, text: str) -> FieldValue:
        ev = Evidence(source, seg.page, seg.bbox, seg.line, seg.method, seg.confidence, cell=seg.row is not None)
        return FieldValue(key=item.key, label=item.label, kind="text", value_text=text, evidence=ev,
                          reason="content: the header label was not read; the cell is placed by what it says")

    for seg in segments[:limit]:
        text = normalize_text(seg.text).strip()
        if seg.method != "ocr" or seg.col is None or "\n" in text or not text.endswith(form.form_type):
            continue
        if len(regex.findall(r"\p{Han}", text[:-len(form.form_type)])) < 2:
            continue
        out = [field(form.by_role(Role.TITLE), seg, text)]
        left = next((s for s in segments[:limit] if (s.page, s.row, s.col) == (seg.page, seg.row, seg.col - 1)), None)
        number = normalize_text(left.text).strip() if left else ""
        if regex.fullmatch(r"\d+(?:-\d+)?", number):
            out.append(field(form.by_role(Role.ASSESSMENT_NO), left, number))
        return out
    return []


def identity_from_fields(form: Form, fields: list[FieldValue], segments: list[Segment], source: str) -> Identity:
    number_keys, title_keys = form.keys_for(Role.ASSESSMENT_NO), form.keys_for(Role.TITLE)
    if not any(f.key in number_keys | title_keys for f in fields):
        fields.extend(title_row(form, segments, source))
    number, title = _number_and_title(fields)
    for f in fields:  # the cover cells hold the header labels too: keep the values only
        if f.key in number_keys | title_keys:
            f.value_text = number if f.key in number_keys else title
            if f.value_text:
                f.status, f.reason = "ok", None
    org = _first(fields, Role.ORGANIZATION)
    published = _first(fields, Role.PUBLISHED)
    affair = _first(fields, Role.AFFAIR)
    declaration = _first(fields, Role.DECLARATION)
    org_raw = org.value_text.split("\n")[0].strip() if org and org.value_text else None
    affair_name = affair.value_text.split("\n")[0].strip() if affair and affair.value_text else None
    # on a scan the affair is what its readings agree on (事務の名称, the title, the 宣言), never one of them
    read_from = affair if affair_name is not None else _any(fields, Role.TITLE)
    if read_from is not None and read_from.evidence is not None and read_from.evidence.method == "ocr":
        affair_name = agreed(affair_readings(fields, title))
    elif affair_name is None:
        affair_name = TITLE_SUFFIX.sub("", title).strip() or None if title else None
    files = per_file_names(fields) or listed_file_names(fields)
    declared = organization_from_declaration(declaration.value_text if declaration else None)
    organization = normalize_org(org_raw or declared or "") or None
    if any(f is not None and f.evidence is not None and f.evidence.method == "ocr" for f in (org, declaration)):
        org_raw, organization = ocr_organization(org_raw, declared)
    return Identity(
        form_type=form.form_type,
        form_revision=form_revision(segments),
        organization_raw=org_raw,
        organization=organization,
        affair=affair_name,
        title=title,
        assessment_no=number,
        published=published.value_date if published else None,
        file_names=[files[k] for k in sorted(files)],
    )
