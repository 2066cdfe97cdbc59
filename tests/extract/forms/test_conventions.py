"""Converter conventions learned from the document's own evidence (extract/forms/conventions.py)."""

from __future__ import annotations

from extract.core.fields import UNDETERMINED, Evidence, FieldValue
from extract.forms import conventions
from extract.forms.model import FORMS, OPTION_LISTS

M = "\u2370"  # the text reader's marker for <input type="checkbox"/>


SCALE = FORMS["全項目評価書"].items_by_key["II.5.teikyo.6"].options
OPTS = OPTION_LISTS[SCALE].options  # 情報提供ネットワークシステム 専用線 電子メール 電子記録媒体… フラッシュメモリ 紙 その他


def _group(marked: set[str], other_text: str, line: int) -> FieldValue:
    parts = []
    for o in OPTS:
        box = f"[{M}]" if o in marked else "[]"
        label = o + (f" ({other_text})" if o == "その他" else "")
        parts.append(f"{box} {label}")
    return FieldValue(key="II.5.teikyo.6", label="⑥提供方法", kind="checkbox", file_no=1, group_no=line,
                      raw=" ".join(parts), scale=SCALE, status=UNDETERMINED,
                      reason="tick-unknown: tick state unknown for x",
                      evidence=Evidence("t.md", line=line, method="html"))


def _consistent_doc() -> list[FieldValue]:
    return [_group({"その他"}, "住基ネット", 1), _group({"その他"}, "住基ネット", 2), _group({"紙"}, "", 3)]


def test_convention_adopted_on_consistent_evidence():
    fields = _consistent_doc()
    conv = conventions.learn(fields)
    assert conv.marker_is_tick and conv.consistent == (1, 2, 3)
    out = conventions.apply(fields, conv)
    assert all(f.ok for f in out)
    assert "3 of 3" in out[0].reason and out[0].reason.startswith("converter convention:")
    states = {o.label: (o.checked, o.text) for o in out[0].options}
    assert states["その他"] == (True, "住基ネット") and states["紙"] == (False, None)
    assert {o.label: o.checked for o in out[2].options}["紙"] is True
    assert out[2].value_text == "紙"


def test_thin_evidence_stays_unknown():
    fields = _consistent_doc()[:2]  # two groups are not enough
    out = conventions.apply(fields)
    assert all(not f.ok for f in out) and "too little evidence" in out[0].reason


def test_contradicting_evidence_stays_unknown():
    # a marked その他 with an empty "()" contradicts "marker = tick"
    fields = [*_consistent_doc(), _group({"その他"}, "", 4)]
    conv = conventions.learn(fields)
    assert not conv.marker_is_tick and conv.contradicting == (4,)
    out = conventions.apply(fields, conv)
    assert all(not f.ok for f in out) and "contradicting" in out[0].reason


def test_groups_the_marker_cannot_discriminate():
    every = _group(set(OPTS), "x", 5)  # every box carries the marker
    bare = FieldValue(key="II.5.teikyo.6", label="⑥提供方法", kind="checkbox", file_no=1, group_no=6,
                      raw=" ".join(f"{M} {o}" for o in OPTS), scale=SCALE, status=UNDETERMINED,
                      reason="tick-unknown: x", evidence=Evidence("t.md", line=6, method="html"))
    out = conventions.apply([*_consistent_doc(), every, bare])
    assert not out[3].ok and "every box carries" in out[3].reason
    assert not out[4].ok and "no bracket is left" in out[4].reason


def test_a_parenthesis_inside_an_option_is_no_slot():
    boxes = conventions.boxes_of("[] 電子記録媒体(フラッシュメモリを除く。) [] その他 ()", OPTS)
    assert [b.slot for b in boxes] == [None, ""]


def test_pdf_fields_are_never_touched():
    f = _group({"その他"}, "x", 1)
    pdf = [FieldValue(**{**{k: getattr(f, k) for k in f.__slots__}, "evidence": Evidence("a.pdf", page=1)})
           for _ in range(3)]
    assert all(not g.ok for g in conventions.apply(pdf))
