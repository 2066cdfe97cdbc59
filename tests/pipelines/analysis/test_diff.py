"""`diff` on two editions of one 基礎項目評価書 (tests/fixtures/diff, see make_diff_fixtures.py) through the
real pipeline: changed / appeared / disappeared fields, and which of them the newer 変更箇所 records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES

from pipelines.analysis.diff import _item_place, diff_documents, load_document
from pipelines.cli import main
from pipelines.runner import RunOptions, run_batch

DIR = FIXTURES / "diff"
A, B = DIR / "kiso_gyokuto_juki_r2.txt", DIR / "kiso_gyokuto_juki_r6.txt"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    from pipelines.process import process_file

    out = tmp_path_factory.mktemp("parsed")
    s = run_batch([A, B], RunOptions(out=out, workers=0), process_fn=process_file)
    assert s.failed == 0
    return out


def _by_key(changes):
    return {c["key"]: c for c in changes}


def test_changes_between_editions_and_the_change_table(parsed):
    a, b = load_document(str(A), parsed), load_document(str(B), parsed)
    assert (a.organization, a.affair) == (b.organization, b.affair) == ("玉東町", "住民基本台帳に関する事務")
    changes, unmatched, has_table = diff_documents(a, b)
    got = _by_key(changes)
    assert has_table
    assert {k: c["change"] for k, c in got.items()} == {
        "cover.published": "changed", "I.1.3": "changed", "I.5.2": "changed", "I.6": "appeared",
        "II.1.2": "changed", "II.2.2": "changed", "IV.3.2": "changed", "IV.7.1": "changed", "IV.8.1": "changed",
        "cover.notes": "disappeared"}
    assert (got["IV.3.2"]["value_a"], got["IV.3.2"]["value_b"]) == ("十分である", "特に力を入れている")
    assert (got["IV.3.2"]["grade_level_a"], got["IV.3.2"]["grade_level_b"]) == (2, 1)
    assert (got["IV.7.1"]["grade_level_a"], got["IV.7.1"]["grade_level_b"]) == (2, 3)
    # recorded in r6's 変更箇所: by the item's name (I.1.3, I.5.2) or by section + before/after values (IV.3.2)
    assert {k for k, c in got.items() if c["recorded"]} == {"I.1.3", "I.5.2", "IV.3.2"}
    assert got["I.5.2"]["change_row"] == 2  # row 1 (dated on r2's 公表日) is older history
    assert {k for k, c in got.items() if c["recorded"] is False} == {
        "I.6", "II.1.2", "II.2.2", "IV.7.1", "IV.8.1", "cover.notes"}
    assert got["cover.published"]["recorded"] is None
    assert unmatched == []


def test_unchanged_fields_on_request_and_reverse_direction(parsed):
    a, b = load_document(str(A), parsed), load_document(str(B), parsed)
    changes, _, _ = diff_documents(a, b, include_unchanged=True)
    got = _by_key(changes)
    assert got["IV.2.1"]["change"] == "unchanged" and got["IV.2.1"]["value_b"] == "十分である"
    # r2 as the newer one: its table holds only a row dated on its own 公表日 -> nothing after r6's 公表日
    back, unmatched, has_table = diff_documents(b, a)
    assert has_table and unmatched == []
    assert _by_key(back)["I.6"]["change"] == "disappeared"
    assert all(c["recorded"] in (False, None) for c in back)


def test_cli_by_doc_id_and_by_path_writes_parquet(parsed, tmp_path, capsys):
    docs = pd.read_parquet(parsed / "documents")
    ids = dict(zip(docs["source_path"].map(lambda p: Path(p).name), docs["doc_id"]))
    out = tmp_path / "changes.parquet"
    assert main(["diff", ids[A.name], ids[B.name], "--parsed", str(parsed), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "changed 8, appeared 1, disappeared 1" in text
    assert "records 3 of the detected changes; 6 are not recorded" in text
    line = next(ln for ln in text.splitlines() if ln.startswith("changed") and "IV.7.1" in ln)
    assert "十分である" in line and "課題が残されている" in line and "NOT recorded" in line
    t = pd.read_parquet(out)
    assert len(t) == 10 and set(t["doc_id_b"]) == {ids[B.name]}
    row = t[t["key"] == "IV.3.2"].iloc[0]
    assert row["recorded"] and row["change_row"] == 4 and str(row["change_date"])[:10] == "2024-06-03"
    # the same from the input files, read in-process (nothing in --parsed)
    assert main(["diff", str(A), str(B), "--parsed", str(tmp_path / "empty")]) == 0
    assert "changed 8, appeared 1, disappeared 1" in capsys.readouterr().out
    assert main(["diff", "0123456789abcdef", str(B), "--parsed", str(parsed)]) == 2


def test_change_table_item_paths():
    assert _item_place("Ⅲ リスク対策（１　住民基本台帳ファイル）　７．特定個人情報の保管・消去　その他の措置の内容") == (3, 7, 1)
    assert _item_place("Ⅳ リスク対策　３．特定個人情報の使用") == (4, 3, None)
    assert _item_place("Ⅰ 基本情報　5.個人番号の利用 法令上の根拠") == (1, 5, None)
    assert _item_place("Ⅱ 特定個人情報ファイルの概要（１　国民健康保険ファイル）　６．特定個人情報の保管・消去") == (2, 6, 1)
