"""After the walk: one reading per item, file blocks checked by name, flags applied, items never
found recorded, the 評価書名's form suffix put back. Each step returns the fields it was given, changed."""

from __future__ import annotations

from extract.core.enums import Method
from extract.core.fields import UNDETERMINED, Evidence, FieldValue
from extract.forms import fuzzy
from extract.forms.model import (
    CHECKBOX,
    DATE,
    FLAG,
    FORMS,
    SELECTION,
    Form,
    Item,
    Role,
    Section,
    iter_sections,
)

SCORED_KINDS = (SELECTION, CHECKBOX, FLAG, DATE)


def _same_value(a: FieldValue, b: FieldValue) -> bool:
    return (a.value_text, a.value_int, a.value_date, a.value_date_end,
            [(o.label, o.checked) for o in a.options]) == (
        b.value_text, b.value_int, b.value_date, b.value_date_end, [(o.label, o.checked) for o in b.options])


def dedupe(fields: list[FieldValue], warnings: list[str]) -> list[FieldValue]:
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
        if not kept.ok and _scanned(kept, f):
            # a scan prints each item once per group: read again, a group or file heading was lost and
            # this reading is the next group's (移転先2's answers taken for 移転先1's)
            page = f.evidence.page if f.evidence is not None else None
            kept.reason = f"{kept.reason}; read again on page {page}: a heading may be lost"
            continue
        if not kept.ok:
            out[first[k]] = f
        elif not _same_value(kept, f):
            where = [e.line or e.page for e in (kept.evidence, f.evidence) if e]
            warnings.append(f"{f.key}: two different readings at {where}")
            # no value of either reading is published, not even a box both read alike: the two may be two
            # files' or groups' answers, one bound to the wrong heading (scan round 8, r18_b09: file 1's 監査
            # boxes read again as file 2's, and its unticked 自己点検 published)
            out[first[k]] = kept.cleared(f"conflict: printed twice with different values "
                                         f"({kept.value_text or kept.value_date} / {f.value_text or f.value_date})")
    return out


def _scanned(*fields: FieldValue) -> bool:
    return any(f.evidence is not None and f.evidence.method == Method.OCR for f in fields)


def reconcile_file_blocks(form: Form, fields: list[FieldValue], warnings: list[str]) -> list[FieldValue]:
    """Per-file parts (Ⅱ, Ⅲ) number their files by counting "1. 特定個人情報ファイル名" headings; a part
    heading OCR did not read shifts that count, and a file's answers would land on another file. The
    names decide instead:

    - two blocks of one part never share a name: a repeat is the next part's block read into this
      part (Ⅲ after Ⅱ, heading unread), and its answers sit under the wrong items: all undetermined;
    - a block of a later part whose name is the name of one file of the first part takes that file's
      number; once a part's count is shown wrong, its blocks whose names match no file are undetermined.

    When every per-file part counted as many blocks as the others, no heading was lost: the structure
    binds each block to its file and a name that repeats or names another file is a misread name. Only
    that name is then in doubt (undetermined); the blocks keep their answers and numbers (renumbered
    only when the names show a whole reordering, every block naming a different file).
    """
    parts = [p.key for p in form.parts if p.repeat == "file"]
    if not parts:
        return fields
    name_key = {it.key.split(".", 1)[0]: it.key for it in form.items_for(Role.FILE_NAME)}  # part -> "II.1"
    heads = {part: {f.file_no: f for f in fields if f.key == name_key.get(part) and f.file_no and _name(f)}
             for part in parts}
    counts = {len({f.file_no for f in fields if f.file_no and f.key.split(".", 1)[0] == part}) for part in parts}
    bound = len(parts) > 1 and len(counts) == 1
    for part in parts:
        if bound:
            _doubt_repeated_names(part, heads[part], warnings)
        else:
            _undetermine_repeated_names(fields, part, heads[part], warnings)
    numbers: dict[str, int] = {}
    for no, f in heads[parts[0]].items():
        numbers[_name(f)] = no if _name(f) not in numbers else 0  # 0: ambiguous
    for part in parts[1:]:
        if bound and not _reordered(heads[part], numbers):
            _doubt_other_names(part, heads[part], numbers, warnings)
        else:
            _renumber_by_name(fields, part, heads[part], numbers, warnings)
    return fields


def _doubt(f: FieldValue, reason: str) -> None:
    f.clear(f"conflict: {reason}")


def _doubt_repeated_names(part: str, heads: dict[int, FieldValue], warnings: list[str]) -> None:
    """A name repeated within one part whose blocks the structure binds: the repeat's name is misread;
    it alone is undetermined (and dropped from `heads`)."""
    seen: dict[str, int] = {}
    for no in sorted(heads):
        nm = _name(heads[no])
        first = seen.setdefault(nm, no)
        if first != no:
            _doubt(heads[no], f"file {no} of {part} has the name of file {first}; the name was probably misread")
            warnings.append(f"{heads[no].key}: repeated file name {nm!r} (files {first} and {no}); name undetermined")
            del heads[no]


def _reordered(heads: dict[int, FieldValue], numbers: dict[str, int]) -> bool:
    """The names of a later part's blocks name the first part's files in another order, every one a
    different file: a reordering, not a misread."""
    moves = {no: numbers.get(_name(f), 0) for no, f in heads.items()}
    return (any(new != no for no, new in moves.items()) and all(moves.values())
            and len(set(moves.values())) == len(moves))


def _doubt_other_names(part: str, heads: dict[int, FieldValue], numbers: dict[str, int],
                       warnings: list[str]) -> None:
    """A later part's block, bound to its file by the structure, whose name is another file's name: the
    name alone is undetermined."""
    for no, f in heads.items():
        other = numbers.get(_name(f), 0)
        if other and other != no:
            _doubt(f, f"file {no} of {part} has the name of file {other}; the name was probably misread")
            warnings.append(f"{f.key}: file {no} named as file {other} ({_name(f)!r}); name undetermined")


def _name(f: FieldValue) -> str:
    return (f.value_text or "").split("\n")[0].strip()


def _block(fields: list[FieldValue], part: str, no: int) -> list[FieldValue]:
    return [f for f in fields if f.file_no == no and f.key.split(".", 1)[0] == part]


def _undetermine_repeated_names(fields: list[FieldValue], part: str, heads: dict[int, FieldValue],
                                warnings: list[str]) -> None:
    """A name repeated within one part: the repeat's block undetermined, its head dropped from `heads`."""
    seen: dict[str, int] = {}
    for no in sorted(heads):
        nm = _name(heads[no])
        first = seen.setdefault(nm, no)
        if first != no:
            reason = (f"conflict: file {no} of {part} has the name of file {first}; a part heading "
                      "was probably not read, so these answers may belong to another part")
            for f in _block(fields, part, no):
                f.clear(reason)
            warnings.append(f"{heads[no].key}: repeated file name {nm!r} (files {first} and {no})")
            del heads[no]


def _renumber_by_name(fields: list[FieldValue], part: str, heads: dict[int, FieldValue], numbers: dict[str, int],
                      warnings: list[str]) -> None:
    """The blocks of a later part take the numbers of the first part's files of the same name, once the
    names show the count wrong; a block whose number a named block took is dropped, the rest undetermined."""
    moves = {no: numbers.get(_name(f), 0) for no, f in heads.items()}
    if all(new in (0, no) for no, new in moves.items()):
        return
    # the count is wrong somewhere in this part: renumber by name, leave the rest undetermined
    old_blocks = {no: _block(fields, part, no) for no in {f.file_no for f in fields
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
                f.clear(f"conflict: the files of {part} are miscounted (a heading not read) and this file's name "
                        "matches no file")
    warnings.append(f"{part}: files renumbered by name {dict(sorted(moves.items()))}")


def mark_not_applicable(fields: list[FieldValue]) -> list[FieldValue]:
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
    return fields


def missing(form: Form, fields: list[FieldValue], source: str) -> list[FieldValue]:
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


_SUFFIXES = tuple(f.form_type for f in FORMS.values())  # 全項目評価書, 重点項目評価書, 基礎項目評価書


def fix_title_suffix(form: Form, fields: list[FieldValue]) -> list[FieldValue]:
    """The 評価書名 on a scan ends in the form's name with a misread glyph ("全需目評価書", "全項目生価書"):
    put the form's own name back when the line's last glyphs are one glyph from it and clearly closer to
    it than to the other two forms' names (the form itself is known from the title line). The affair
    before it gets the same closed-vocabulary correction as 事務の名称 (fuzzy.fix_words)."""
    n = len(form.form_type)
    names = form.keys_for(Role.ASSESSMENT_NO) | form.keys_for(Role.TITLE)
    for f in fields:
        if f.key not in names or not f.value_text or not f.evidence \
                or f.evidence.method != Method.OCR:
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
    return fields
