"""The fixture PDFs and their answer keys: well-formed, consistent with the form model and with the PDFs.

These test the fixtures (tools/render_fixtures.py output), not the parser.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pymupdf as fitz
import pytest
from conftest import ROOT

from extract.forms.model import FORMS, GRADED_SCALES, OPTION_LISTS

PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"
KEYS = sorted(PDF_DIR.glob("*.key.json"))
REASONS = {"empty", "not-in-options", "conflict"}
PER_FILE_PARTS = {"全項目評価書": ("II.", "III."), "重点項目評価書": ("II.", "III."), "基礎項目評価書": ()}
GROUP_MARKERS = (".itaku.", ".teikyo.", ".iten.")


def _load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def keys() -> dict[str, dict]:
    return {p.name: _load(p) for p in KEYS}


@pytest.fixture(scope="module")
def page_texts(keys) -> dict[str, list[str]]:
    out = {}
    for k in keys.values():
        with fitz.open(PDF_DIR / k["source"]) as doc:
            out[k["source"]] = [_flat(p.get_text()) for p in doc]
    return out


def test_fixture_set_exists():
    assert len(KEYS) >= 3
    for p in KEYS:
        assert (PDF_DIR / _load(p)["source"]).is_file()


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.name)
def test_key_shape_and_model(key_path):
    k = _load(key_path)
    assert k["source"] == key_path.name.replace(".key.json", ".pdf")
    form = FORMS[k["form_type"]]
    assert re.fullmatch(r"(平成|令和)\d+年\d+月 様式[234]", k["form_revision"])
    assert k["form_revision"].endswith(form.yoshiki)
    ident = k["identity"]
    assert set(ident) == {"organization_raw", "organization", "affair", "title", "assessment_no", "published",
                          "file_names"}
    assert ident["title"].endswith(k["form_type"]) and ident["title"].startswith(ident["affair"])
    date.fromisoformat(ident["published"])
    assert ident["file_names"] and len(set(ident["file_names"])) == len(ident["file_names"])
    assert isinstance(k["threshold_violation"], bool)
    n_files = len(ident["file_names"])
    seen = set()
    for f in k["fields"]:
        item = form.items_by_key.get(f["key"])
        assert item is not None, f"{f['key']} not in the {k['form_type']} model"
        assert f["kind"] == item.kind, f
        assert 1 <= f["page"] <= k["pages"], f
        per_file = f["key"].startswith(PER_FILE_PARTS[k["form_type"]])
        if per_file:
            assert 1 <= f["file_no"] <= n_files, f
        else:
            assert f["file_no"] is None, f
        ident_key = (f["key"], f["file_no"], f["group_no"])
        assert ident_key not in seen, f"duplicate {ident_key}"
        seen.add(ident_key)
        in_group = any(m in f["key"] for m in GROUP_MARKERS) or f["key"].startswith("I.2.") and \
            k["form_type"] != "基礎項目評価書"
        assert (f["group_no"] is not None) == in_group, f
        _check_value(f, item)


def _check_value(f: dict, item) -> None:
    kind = f["kind"]
    if kind == "selection":
        opts = OPTION_LISTS[item.options].options
        if f.get("status") == "undetermined":
            assert f["reason"] in REASONS, f
            assert "value_text" not in f and "option_no" not in f
            if f["reason"] == "not-in-options":
                assert f["raw"] not in opts
        else:
            assert "status" not in f
            assert f["value_text"] in opts, f
            assert opts[f["option_no"] - 1] == f["value_text"], f
            if "count" in f:
                assert item.count and f["value_text"] == "委託する" and f["count"] >= 1
    elif kind == "checkbox":
        opts = OPTION_LISTS[item.options].options
        assert sorted(f["checked"] + f["unchecked"], key=opts.index) == list(opts), f
        assert not set(f["checked"]) & set(f["unchecked"])
        assert (f["other_text"] is not None) == ("その他" in f["checked"]), f
        if item.options == "C-UMU":
            assert set(f["counts"]) == set(f["checked"]) - {"行っていない"}, f
    elif kind == "flag":
        assert isinstance(f["checked"], bool)
    elif kind == "date":
        if f["value_date"] is None:
            assert f["precision"] is None
        else:
            d = date.fromisoformat(f["value_date"])
            assert f["precision"] in ("day", "month")
            if f["precision"] == "month":
                assert d.day == 1
    elif kind == "period":
        if f["value_date"] is not None:
            assert date.fromisoformat(f["value_date"]) <= date.fromisoformat(f["value_date_end"])
    elif kind == "dates":
        assert [date.fromisoformat(d) for d in f["value_dates"]]
    elif kind == "text":
        assert f["value_text"].strip()


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.name)
def test_pdf_matches_key(key_path, keys, page_texts):
    k = keys[key_path.name]
    texts = page_texts[k["source"]]
    with fitz.open(PDF_DIR / k["source"]) as doc:
        assert doc.page_count == k["pages"]
        fonts = {f[3] for p in doc for f in p.get_fonts()}
        assert fonts and all("+" in name for name in fonts), "fonts must be embedded subsets"
    assert _flat(f"特定個人情報保護評価書（{k['form_type']}）") in texts[0]
    assert _flat(k["identity"]["organization_raw"]) in texts[0]
    assert _flat(k["form_revision"]) in texts[0]
    for f in k["fields"]:
        page = texts[f["page"] - 1]
        if f["kind"] in ("text", "selection") and f.get("value_text"):
            assert _flat(f["value_text"]) in page, f
        if f["kind"] == "checkbox":
            for label in f["checked"]:
                assert _flat(label) in page, f


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.name)
def test_internal_consistency(key_path):
    """The decisions the renderer made hang together (flags vs. answers, counts vs. groups)."""
    k = _load(key_path)
    by = {}
    for f in k["fields"]:
        by.setdefault((f["key"], f["file_no"]), []).append(f)
    if k["form_type"] == "基礎項目評価書":
        return
    for fno in range(1, len(k["identity"]["file_names"]) + 1):
        itaku = by[("II.4.0", fno)][0]
        groups = {f["group_no"] for f in k["fields"] if f["file_no"] == fno and ".itaku." in f["key"]}
        if itaku.get("value_text") == "委託する":
            assert itaku["count"] == len(groups)
        assert by[("III.4.flag", fno)][0]["checked"] == (itaku.get("value_text") == "委託しない")
        umu = by[("II.5.0", fno)][0]
        teikyo = {f["group_no"] for f in k["fields"] if f["file_no"] == fno and ".teikyo." in f["key"]}
        assert umu["counts"].get("提供を行っている", 0) == len(teikyo)
        assert by[("III.5.flag", fno)][0]["checked"] == (umu["checked"] == ["行っていない"])


def test_corpus_coverage(keys):
    """Across the set: the forms, every grade of every graded scale, undetermined classes, big documents."""
    assert len(keys) >= 10
    forms = [k["form_type"] for k in keys.values()]
    assert forms.count("全項目評価書") >= 4 and forms.count("重点項目評価書") >= 3 and forms.count("基礎項目評価書") >= 3
    shown: dict[str, set[int]] = {}
    reasons = set()
    for k in keys.values():
        form = FORMS[k["form_type"]]
        for f in k["fields"]:
            item = form.items_by_key[f["key"]]
            if f["kind"] == "selection":
                if f.get("status") == "undetermined":
                    if not f.get("not_applicable"):
                        reasons.add(f["reason"])
                else:
                    shown.setdefault(item.options, set()).add(f["option_no"])
    for lid in GRADED_SCALES:
        assert shown.get(lid) == set(range(1, len(OPTION_LISTS[lid].options) + 1)), lid
    for lid in OPTION_LISTS:
        if lid.startswith("BAND-"):
            assert lid in shown, lid
    assert reasons == REASONS
    assert any(k["threshold_violation"] for k in keys.values())
    assert sum(k["pages"] >= 30 for k in keys.values()) >= 2
    assert len({k["identity"]["organization_raw"] for k in keys.values()}) >= 5
    assert sum(p.stat().st_size for p in PDF_DIR.glob("*.pdf")) < 10 * 1024 * 1024


def test_raw_copies_are_the_fixtures():
    raw = sorted((ROOT / "data" / "raw").glob("fixture_*.pdf"))
    assert raw, "data/raw/fixture_*.pdf missing"
    for p in raw:
        src = PDF_DIR / p.name.removeprefix("fixture_")
        assert src.read_bytes() == p.read_bytes(), p.name


def test_corpus_shows_the_variants(keys, page_texts):
    """The printed variants the parser must survive (pia-forms.md §10) all occur somewhere in the set."""
    assert len(keys) >= 10
    corpus = "".join("".join(pages) for pages in page_texts.values())
    for s in ("○", "〇", "◯", "［", "］", "[", "]", "<選択肢>", "＜選択肢＞", "1)", "１）", "従業員に対する教育・啓発",
              "従業者に対する教育・啓発", "適切な取扱いの確保", "適切な取扱いの担保", "令和元年5月1日", "令和1年10月16日",
              "平成２７年６月", "(金)", "（", "リスク1:", "リスク１：", "提供先2～5", "委託事項1", "システム1",
              "（3）件", "－1－".replace("－", "-"), "I基本情報", "Ⅰ基本情報"):
        assert _flat(s) in corpus, s


def test_wareki_formatter():
    """The renderer's own 和暦 formatting (independent of normalize/)."""
    from tools.fixture_wareki import wareki

    assert wareki(date(2025, 1, 31)) == "令和7年1月31日"
    assert wareki(date(2019, 5, 1), gannen=True) == "令和元年5月1日"
    assert wareki(date(2019, 10, 16)) == "令和1年10月16日"
    assert wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(date(2015, 6, 4), "month", fullwidth=True) == "平成２７年６月"
    assert wareki(date(2025, 1, 31), weekday="(") == "令和7年1月31日(金)"
    assert wareki(date(2015, 1, 15), weekday="（") == "平成27年1月15日（木）"
