"""Segments + form model -> FieldValues. The heart of the product; it never invents a value.

`parse_form` walks the segments once in reading order (walk.py: headings move the scope, labels open
items, the rest is the open item's value region, interpreted by the item's kind; matchers.py and
ocr_recovery.py say which segment is which), then checks the readings as a whole (blocks.py).
Whatever the evidence does not establish is recorded as undetermined with a reason.
"""

from __future__ import annotations

from extract.core.fields import OK
from extract.core.result import ParsedDocument
from extract.core.segments import Segment, SegmentedDocument
from extract.forms import conventions
from extract.forms import identity as ident
from extract.forms.blocks import dedupe, fix_title_suffix, mark_not_applicable, missing, reconcile_file_blocks
from extract.forms.changes import read_change_table
from extract.forms.model import FORMS, Form
from extract.forms.walk import matcher_for, walk
from extract.forms.wording import ASSESSMENT_WORD
from normalize.text import fold_label, normalize_text


def detect_form(segments: list[Segment], limit: int = 80) -> Form | None:
    """The form named in the title line near the start (特定個人情報保護評価書（全項目評価書）)."""
    for seg in segments[:limit]:
        f = fold_label(normalize_text(seg.text))
        if ASSESSMENT_WORD not in f:
            continue
        for form in FORMS.values():
            if any(k in f for k in form.title_keys):
                return form
    return None


def looks_like_form_body(segments: list[Segment], form: Form) -> bool:
    """A form body has several part headings of the form in sequence, beyond the 項目一覧."""
    seen = set()
    for seg in segments:
        head = normalize_text(seg.text).split("\n", 1)[0]
        part = matcher_for(seg).part_heading(form, head)
        if part is not None:
            seen.add(part.key)
    return len(seen) >= 3


def parse_form(doc: SegmentedDocument, form: Form) -> ParsedDocument:
    walked = walk(doc, form)
    warnings: list[str] = []
    fields = dedupe(walked.fields, warnings)
    fields = reconcile_file_blocks(form, fields, warnings)
    fields = conventions.apply(fields)  # the converter's tick marker, as this document shows it
    fields = mark_not_applicable(fields)
    if walked.changes:
        fields.extend(read_change_table(walked.changes, doc.source))
    fields.extend(missing(form, fields, doc.source))
    fields = fix_title_suffix(form, fields)
    identity = ident.identity_from_fields(form, fields, doc.segments, doc.source)
    return ParsedDocument(identity, fields, warnings)


__all__ = ["parse_form", "detect_form", "looks_like_form_body", "OK"]
