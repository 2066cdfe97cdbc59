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
    """The form named in the title line near the start (特定個人情報保護評価書（全項目評価書）), or, where no title
    line was read, by the cover's version stamp (cover_form). A line naming two forms or more is a list of them
    (Ⅲ 1's choices, "基礎項目評価及び全項目評価の実施が…"), not a title."""
    for seg in segments[:limit]:
        f = fold_label(normalize_text(seg.text))
        if ASSESSMENT_WORD not in f:
            continue
        named = [form for form in FORMS.values() if any(k in f for k in form.title_keys)]
        if len(named) == 1:
            return named[0]
    return cover_form(segments[:limit])


COVER_LABELS_SEEN = 3  # of the cover's own labels, read whole, for a cover known by its stamp


def cover_form(segments: list[Segment]) -> Form | None:
    """The form whose number (様式2, 様式3, 様式4) the cover's version stamp prints ("[平成28年1月 様式2]"), where
    the segments also hold at least COVER_LABELS_SEEN of the cover's labels whole (評価書番号, 特記事項,
    評価実施機関名 …): a scan whose title line lies under a black smear (scan round 10, r20_a10) is still that
    form's cover. A stamp alone is no cover (a pack quotes one)."""
    revision = ident.form_revision(segments, limit=len(segments))
    forms = [f for f in FORMS.values() if revision and revision.endswith(f.yoshiki)]
    if len(forms) != 1:
        return None
    form = forms[0]
    labels = {fold_label(it.label) for it in form.cover}
    read = {fold_label(normalize_text(seg.text)) for seg in segments}
    return form if len(labels & read) >= COVER_LABELS_SEEN else None


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


__all__ = ["parse_form", "detect_form", "cover_form", "looks_like_form_body", "OK"]
