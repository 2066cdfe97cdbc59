"""The two failure shapes round 2 of the independent corpus showed on its first, untouched reading, each
checked against the document's answer key (tests/fixtures/corpus/round2/*.key.json)."""

from __future__ import annotations

import json
from functools import cache

from conftest import FIXTURES, field_of

from pipelines.bench.score import fold_text
from pipelines.process import process_file

ROUND2 = FIXTURES / "corpus" / "round2"


@cache
def _read(name: str):
    key = json.loads((ROUND2 / f"{name}.key.json").read_text(encoding="utf-8"))
    want = {(f["key"], f["file_no"], f["group_no"]): f for f in key["fields"]}
    return process_file(ROUND2 / f"{name}.pdf"), want


def test_a_bulleted_table_of_contents_is_skipped_not_taken_for_the_change_table():
    # "■項目一覧" lists "(別添2) 変更箇所": read as the change table's heading, it swallowed the whole form
    result, want = _read("r2_b08_juten_hyuga_shugaku")
    for k in (("I.1.3", None, None), ("III.7.R1.rating", 1, None), ("III.7.R1.rating", 2, None)):
        got = field_of(result, *k)
        assert got.ok and got.value_text == want[k]["value_text"], k
    for g in (1, 2, 3):
        name = field_of(result, "II.4.itaku.name", 2, g)
        assert fold_text(name.value_text) == fold_text(want[("II.4.itaku.name", 2, g)]["value_text"])


def test_a_numbered_paragraph_inside_a_value_is_not_a_section_heading():
    # "（3）特定個人情報を含む書類の受渡しは…" in Ⅲ 7 リスク2's measures had opened section 3 (特定個人情報の使用)
    result, want = _read("r2_a07_zen_miyakonojo_jido")
    for k in (("III.7.R2.rating", 2, None), ("III.7.R3.1", 2, None), ("III.7.R3.rating", 2, None)):
        got = field_of(result, *k)
        assert got.ok and got.value_text == want[k]["value_text"], k
    measures = field_of(result, "III.7.R2.measures", 2)
    assert fold_text(measures.value_text) == fold_text(want[("III.7.R2.measures", 2, None)]["value_text"])
    assert "（3）特定個人情報を含む書類" in want[("III.7.R2.measures", 2, None)]["value_text"]
