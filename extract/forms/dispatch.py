"""Which reader a segmented document needs: the form walk, a public-comment pack, or a scrambled dump."""

from __future__ import annotations

from extract.core.enums import Method
from extract.core.result import ParsedDocument
from extract.core.segments import Segment, SegmentedDocument
from extract.forms import comment_pack, scrambled
from extract.forms.parse import detect_form, looks_like_form_body, parse_form
from normalize.text import normalize_text


class NotAnAssessment(ValueError):
    """The input reads as text but is neither an assessment form nor a public-comment pack."""


def parse_segments(doc: SegmentedDocument) -> ParsedDocument:
    """Read a segmented document into identity + fields."""
    segments = doc.segments
    form = detect_form(segments)
    if form is not None and scrambled.is_scrambled(doc):
        return scrambled.parse_scrambled(doc, form)
    # a scan whose part headings OCR lost is still the form its title line names: packs are text PDFs
    # and say what they are at their top
    scanned = sum(s.method == Method.OCR for s in segments) > len(segments) / 2
    opens_as_pack = _opens_as_pack(segments)
    if form is None or opens_as_pack or (not scanned and not looks_like_form_body(segments, form)):
        # a scan whose title went unread is no pack for a marker deep in its body (scan round 3, r13_a07 at
        # 150 dpi: Ⅴ 2's "意見を募集した" on its last page made it a public-comment pack)
        pack = comment_pack.parse_comment_pack(doc, form) if opens_as_pack or not scanned else None
        if pack is not None:
            return pack
        if form is None:
            raise NotAnAssessment(
                "no 特定個人情報保護評価書 title and no public-comment markers: not an assessment")
    return parse_form(doc, form)


def _opens_as_pack(segments: list[Segment], head: int = 10) -> bool:
    """A public-comment notice says so at its top (素案, パブリックコメント…); a form quoted inside a
    reference pack (002) starts with the form or its own title instead."""
    return any(m in normalize_text(s.text) for s in segments[:head] for m in comment_pack.MARKERS)
