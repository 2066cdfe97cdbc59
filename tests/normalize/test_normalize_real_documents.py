"""The normalizers over the five real documents in shared/real-documents/: every variant they print."""

import re

import pytest
from conftest import ROOT

from normalize.bands import format_band, parse_band
from normalize.dates import parse_date, parse_period
from normalize.marks import UNREADABLE, tick_state
from normalize.options import match_option
from normalize.text import normalize_text

DOCS = ROOT / "data" / "raw"  # the five real documents, committed
pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="shared/real-documents not beside the checkout")

# option lists as printed in the forms (shared/reference/pia-forms.md §3)
OPTION_LISTS = {
    "BAND-TAISHO": ("1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上"),
    "BAND-HONNIN": ("1万人未満", "1万人以上10万人未満", "10万人以上100万人未満", "100万人以上1,000万人未満",
                    "1,000万人以上"),
    "BAND-STAFF": ("10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満", "500人以上1,000人未満",
                   "1,000人以上"),
    "BAND-KOMOKU": ("10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上"),
    "G-JUBUN": ("特に力を入れている", "十分である", "課題が残されている"),
    "G-OKONAU": ("特に力を入れて行っている", "十分に行っている", "十分に行っていない"),
    "G-SAIITAKU": ("特に力を入れて行っている", "十分に行っている", "十分に行っていない", "再委託していない"),
    "G-JUNSHU": ("特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない", "政府機関ではない"),
    "G-SEIBI": ("特に力を入れて整備している", "十分に整備している", "十分に整備していない"),
    "G-SHUCHI": ("特に力を入れて周知している", "十分に周知している", "十分に周知していない"),
    "B-OKONAU": ("行っている", "行っていない"),
    "B-KIROKU": ("記録を残している", "記録を残していない"),
    "B-SADAME": ("定めている", "定めていない"),
    "B-SEIGEN": ("制限している", "制限していない"),
    "B-HASSEI": ("発生あり", "発生なし"),
    "B-SHISHA": ("保管している", "保管していない"),
    "B-JISSHI": ("実施する", "実施しない", "未定"),
    "B-ITAKU": ("委託する", "委託しない"),
    "B-SAIITAKU": ("再委託する", "再委託しない"),
    "B-HANI": ("特定個人情報ファイルの全体", "特定個人情報ファイルの一部"),
    "B-SHURUI": ("システム用ファイル", "その他の電子ファイル（表計算ファイル等）"),
    "B-TESURYO": ("有料", "無料"),
}


def _docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt")))


def test_every_bracket_is_a_tick_state_or_an_option_value():
    inners = re.findall(r"\[([^\[\]\n]{0,40})\]", _docs())
    assert len(inners) > 300
    states, values = {}, {}
    for inner in inners:
        state = tick_state(inner)
        if state != UNREADABLE:
            states[inner] = state
            continue
        if "<input" in inner:
            continue  # tick state lost by the converter: unreadable is the right answer
        hits = [name for name, opts in OPTION_LISTS.items() if match_option(inner, opts)]
        assert hits, f"[{inner}] is neither a tick state nor an option"
        values[inner] = hits
    assert states["○"] == states[" ○ "] == states["〇"] == "ticked"
    assert states[" "] == states[""] == states["\u3000\u3000"] == "unticked"
    # the two "special effort" scales never meet
    assert "G-OKONAU" not in values["特に力を入れている"] and "G-JUBUN" not in values["特に力を入れて行っている"]
    assert values[" 10万人以上100万人未満 "] == ["BAND-HONNIN"]


def test_every_band_printed_round_trips():
    bands = re.findall(r"[0-9０-９,，万]+(?:人|項目)(?:以上|未満)(?:[0-9０-９,，万]+(?:人|項目)未満)?", _docs())
    assert len(bands) > 200
    for text in bands:
        band = parse_band(text)
        assert band is not None, text
        assert format_band(band) == normalize_text(text), text


_DATE = re.compile(
    r"(?:令和|平成|昭和|[RH])[0-9０-９元]+年[0-9０-９]+月(?:[0-9０-９]+日)?(?:[(（][月火水木金土日][)）])?(?:予定)?"
    r"|(?<![0-9])\d{4}/\d{1,2}/\d{1,2}|[RH]\d+\.\d+\.\d+"
)


def test_every_date_printed_parses():
    found = _DATE.findall(_docs())
    assert len(found) > 100
    for text in found:
        r = parse_date(text)
        assert r.error is None and r.value is not None, (text, r)
    assert parse_date("令和1年10月16日").value.isoformat() == "2019-10-16"


def test_every_period_printed_parses():
    lines = [ln for ln in _docs().splitlines() if re.search(r"日[(（]?[月火水木金土日]?[)）]?\s*[～〜~]", ln)]
    assert len(lines) >= 5
    for line in lines:
        m = re.search(r"[^\s\t|]*日[(（]?[月火水木金土日]?[)）]?\s*[～〜~]\s*[^\s\t|]+", line)
        start, end = parse_period(m.group(), default_year=2026)
        assert start.value and end.value and start.value <= end.value, m.group()


def test_whole_documents_normalize_cleanly():
    text = normalize_text(_docs())
    assert normalize_text(text) == text
    assert not re.search("[\u2e80-\u2fdf\uff01-\uff5e\u3000]", text)
    assert "コミュニケーションサーバ" in text and "コミュニケ―ション" not in text
    assert "中間サーバー・プラットフォーム" in text and "<選択肢>" in text and "＜選択肢＞" not in text
    assert "①" in text and "Ⅲ" in text
