"""Reading mechanisms found on the independent corpus (tests/fixtures/corpus/round1): each test reads a real
corpus document and checks values against its answer key (*.key.json)."""

from __future__ import annotations

import pytest
from conftest import by_place, corpus_document

from normalize.marks import fold_value_brackets


def _fields(name: str) -> dict:
    return by_place(corpus_document(name)[0].fields)


def _key(name: str) -> dict:
    return by_place(corpus_document(name)[1]["fields"])


def _ok(name: str, key: tuple):
    f = _fields(name).get(key)
    assert f is not None and f.ok, (key, f and f.reason)
    return f


# ---------------------------------------------------------------- 【 】 value brackets
@pytest.mark.parametrize("name, key, value", [
    ("r1_a08_zen_beppu_jido", ("I.1.3", None, None), "1,000人以上1万人未満"),
    ("r1_a12_zen_matsumoto_seiho", ("I.1.3", None, None), "1,000人未満"),
])
def test_selection_in_lenticular_brackets(name, key, value):
    assert _key(name)[key]["value_text"] == value
    assert _ok(name, key).value_text == value


def test_checkbox_in_lenticular_brackets():
    name, key = "r1_a08_zen_beppu_jido", ("I.2.3", None, 2)
    exp = _key(name)[key]
    got = {o.label: o.checked for o in _ok(name, key).options}
    assert {lbl for lbl, c in got.items() if c} == set(exp["checked"]) == {
        "住民基本台帳ネットワークシステム", "税務システム", "その他"}
    assert all(got[lbl] is False for lbl in exp["unchecked"])
    other = next(o.text for o in _ok(name, key).options if o.label == "その他")
    assert other == exp["other_text"] == "団体内統合宛名システム"


def test_undeterminable_selection_in_lenticular_brackets_stays_undetermined():
    name, key = "r1_a08_zen_beppu_jido", ("II.4.itaku.2", 2, 1)
    assert _key(name)[key]["status"] == "undetermined"
    f = _fields(name).get(key)
    assert f is None or not f.ok


def test_label_notes_are_not_value_brackets():
    assert fold_value_brackets("【 ○ 】 紙") == "[ ○ ] 紙"
    assert fold_value_brackets("〔 十分である 〕") == "[ 十分である ]"
    assert fold_value_brackets("承認日 【行政機関等のみ】") == "承認日 【行政機関等のみ】"
    assert fold_value_brackets("【任意】") == "【任意】"
    assert len(fold_value_brackets("【 ○ 】 a 【 】")) == len("【 ○ 】 a 【 】")


# ---------------------------------------------------------------- その他 （ text ） wrapped in a narrow cell
def test_other_text_wrapped_over_lines():
    name, key = "r1_a11_juten_sasebo_chiho", ("II.5.iten.6", 2, 1)
    exp = _key(name)[key]
    f = _ok(name, key)
    assert {o.label for o in f.options if o.checked} == set(exp["checked"])
    assert next(o.text for o in f.options if o.label == "その他") == exp["other_text"] == "団体内統合宛名システム"


# ---------------------------------------------------------------- flag label wrapped in a narrow cell
@pytest.mark.parametrize("key", [("III.5.flag", 1, None), ("III.6.flag1", 1, None), ("III.6.flag2", 1, None)])
def test_flag_with_wrapped_label(key):
    name = "r1_a04_juten_miyazaki_pref_chiho"
    assert _key(name)[key]["checked"] is False
    f = _ok(name, key)
    assert f.options and f.options[0].checked is False


# ---------------------------------------------------------------- 提供件数 / 移転件数 on rows of their own
@pytest.mark.parametrize("name, file_no, counts", [
    ("r1_a04_juten_miyazaki_pref_chiho", 1, {"提供を行っている": 1, "移転を行っている": 4}),
    ("r1_a11_juten_sasebo_chiho", 2, {"提供を行っている": 4, "移転を行っている": 1}),
])
def test_counts_on_separate_rows(name, file_no, counts):
    assert _key(name)[("II.5.0", file_no, None)]["counts"] == counts
    got = {f.label: f.value_int for f in _fields(name).values()
           if f.key.startswith("II.5.0.count") and f.file_no == file_no and f.ok}
    assert got == {lbl + " 件数": n for lbl, n in counts.items()}


# ---------------------------------------------------------------- a list of dates joined by 及び
def test_dates_joined_by_oyobi():
    name, key = "r1_b07_juten_hyuga_shugaku", ("V.3.1", None, None)
    assert _key(name)[key]["value_dates"] == ["2024-01-27", "2024-02-14"]
    assert _ok(name, key).value_text == "2024-01-27、2024-02-14"
