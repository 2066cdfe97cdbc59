"""Text inputs -> segments: the five real documents, encoding fixtures, markup edge cases.

Expected values were read off the documents in /work/shared/real-documents (line numbers as `cat -n`
shows them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from extract.core.segments import Segment
from extract.sources.text.html import UNKNOWN_MARK, html_to_text, table_cells
from extract.sources.text.reader import (
    UndecodableText,
    decode_bytes,
    detect_kind,
    iter_lines_with_numbers,
    read_text_document,
    segment_text,
)

REAL = ROOT / "data" / "raw"  # the five real documents, committed
FIXTURES = FIXTURES / "text"


def _real(prefix: str) -> Path:
    (path,) = sorted(REAL.glob(prefix + "_*.txt"))
    return path


@pytest.fixture(scope="module")
def docs():
    return {p: read_text_document(_real(p)) for p in ("000", "001", "002", "003", "004")}


def _at(doc, line: int) -> list[Segment]:
    return [s for s in doc.segments if s.line == line]


def _cells(doc) -> list[Segment]:
    return [s for s in doc.segments if s.row is not None]


def test_unknown_mark_is_the_shared_constant():
    assert UNKNOWN_MARK == "\u2370"


# ------------------------------------------------------------------ real documents: overview


@pytest.mark.parametrize(
    ("prefix", "kind", "n_cells"),
    [
        ("000", "markdown/html", 40),  # tab rows on lines 11-15, 38-39, 44-52, 62-63, 67-70
        ("001", "markdown/html", 62),
        ("002", "markdown/html", 547),  # 544 non-empty tab cells - the <table> cell + its 4 <td>
        ("003", "text", 0),
        ("004", "markdown/html", 28),  # 13 pipe rows of one cell, 5 tab rows of 3 cells
    ],
)
def test_real_document_overview(docs, prefix, kind, n_cells):
    doc = docs[prefix]
    assert doc.encoding == "utf-8"
    assert doc.kind == kind
    assert doc.page_count == 1
    assert doc.source.endswith(".txt")
    assert len(_cells(doc)) == n_cells
    assert all(s.page is None for s in doc.segments)  # no form feeds: pages unknown
    assert all(s.text == s.text.strip() and s.text for s in doc.segments)
    lines = [s.line for s in doc.segments]
    assert lines == sorted(lines)  # reading order is source order


def test_segment_lines_point_at_their_source_line(docs):
    for prefix, doc in docs.items():
        source = _real(prefix).read_text(encoding="utf-8").split("\n")
        for s in doc.segments:
            first = s.text.split("\n")[0]
            probe = first[:6].replace(UNKNOWN_MARK, "")
            if s.method != "html" and probe:
                assert probe in source[s.line - 1], (prefix, s)


# ------------------------------------------------------------------ 000: tab rows with HTML lists


def test_000_tab_rows_and_html_cells(docs):
    doc = docs["000"]
    label, value = _at(doc, 11)
    assert (label.text, label.col, value.col, label.row) == ("募集期間", 0, 1, value.row)
    assert value.text == "令和7年（2025年）2月21日（金） ～令和7年（2025年）3月26日（水）"
    assert label.method == "markdown"
    # line 47 starts with two tabs: only column 2... of a 2-column table, i.e. the value column 1
    (cont,) = _at(doc, 47)
    assert cont.col == 1 and cont.method == "html"
    assert (
        cont.text
        == "・情報提供ネットワークシステムによる情報連携 ・評価実施機関における担当部署 ・他の評価実施機関"
    )
    # line 63: four <p> paragraphs; Japanese angle brackets are text, not tags
    label, value = _at(doc, 63)
    assert label.text == "①保管場所 ※"
    paragraphs = value.text.split("\n")
    assert len(paragraphs) == 4
    assert (
        paragraphs[0]
        == "<執務室における措置> 特定個人情報記載された届出書等については、施錠ができるキャビネット等に保管する。"
    )
    assert paragraphs[3].startswith("<ガバメントクラウドにおける措置> ①サーバー等はクラウド事業者")
    # rows are numbered through the document, so two tables never share a row number
    assert _at(doc, 38)[0].row == 5 and _at(doc, 39)[0].row == 6
    assert _at(doc, 9)[0].text == "記" and _at(doc, 9)[0].row is None


# ------------------------------------------------------------------ 001: tab rows, <p> selections


def test_001_tab_rows_split_into_cells(docs):
    doc = docs["001"]
    row51 = _at(doc, 51)
    assert [(s.col, s.text.split("\n")[0]) for s in row51] == [
        (0, "再委託"),
        (1, "⑦再委託の有無 ※"),
        (2, "<選択肢>"),
    ]
    assert row51[2].text == "<選択肢>\n[再委託する]\n1) 再委託する 2) 再委託しない"
    row52 = _at(doc, 52)  # "\t\t⑧再委託の許諾方法\t…": the empty first column keeps the positions
    assert [s.col for s in row52] == [1, 2]
    assert row52[0].text == "⑧再委託の許諾方法"
    assert len({s.row for s in row51} | {s.row for s in row52}) == 2
    (value,) = [s for s in _at(doc, 48) if s.col == 1]
    assert value.text == (
        "[] 専用線 [] 電子メール [] 電子記録媒体(フラッシュメモリを除く。)\n"
        "[] フラッシュメモリ [] 紙\n"
        "[○] その他 (住民基本台帳ネットワークシステム、既存住基システム)"
    )
    # trailing tabs ("…\t") make no empty segments
    assert [s.col for s in _at(doc, 44)] == [0, 1]


# ------------------------------------------------------------------ 002: lost tick states, nested table


def test_002_lost_checkbox_becomes_unknown_mark(docs):
    doc = docs["002"]
    label, value = _at(doc, 242)
    assert label.text == "主な記録項目 ※"
    assert value.method == "html"
    lines = value.text.split("\n")
    assert lines[0] == "・識別情報"
    assert lines[1] == "[⍰] 個人番号 [⍰] 個人番号対応符号 [⍰] その他識別情報(内部番号)"
    assert lines[-1] == "[⍰] その他 ()"
    assert value.text.count(UNKNOWN_MARK) == 19  # 19 <input> on line 242
    # never a tick or an empty box in place of a lost state: 72 inputs in the file, 72 marks out
    source = _real("002").read_text(encoding="utf-8")
    assert sum(s.text.count(UNKNOWN_MARK) for s in doc.segments) == source.count("<input") == 72
    assert not any("<input" in s.text for s in doc.segments)
    (boxes,) = [s for s in _at(doc, 250) if s.col == 1]
    assert boxes.text.startswith("⍰ 本人又は本人の代理人 ⍰ 評価実施機関内の他部署 ()")


def test_002_table_inside_a_tab_cell(docs):
    doc = docs["002"]
    segs = _at(doc, 257)
    outer = segs[0]
    assert (outer.text, outer.col) == ("⑦使用の主体", 0)
    nested = [s for s in segs if s.row in (outer.row + 1, outer.row + 2)]
    assert [(s.row - outer.row, s.col, s.text.split(" ")[0]) for s in nested] == [
        (1, 0, "使用部署"),
        (1, 1, "熊本県総務部市町村・税務局市町村課行政班"),
        (2, 0, "使用者数"),
        (2, 1, "⍰"),
    ]
    assert nested[3].text.startswith("⍰ 10人未満 ⍰ 10人以上50人未満")
    assert all(s.method == "html" for s in nested)
    assert nested[3].text.count(UNKNOWN_MARK) == 6
    # the converter repeated the content as flat cells of the same row; kept as read
    assert [s.col for s in segs if s.row == outer.row] == [0, 2, 3, 4, 5]
    assert _at(doc, 258)[0].row == outer.row + 3


def test_002_separators_lists_and_dashes(docs):
    doc = docs["002"]
    assert _at(doc, 31) == []  # "--\t---------": a markdown separator turned into tabs
    first = _at(doc, 30)
    assert [(s.row, s.col, s.text) for s in first] == [
        (0, 0, "県の税務業務（課税・収税）に係る 住基ネット年間利用件数（H30年度）"),
        (0, 1, "23,453件"),
    ]
    assert _at(doc, 7)[0].text == "1 住民基本台帳ネットワークシステムの事務利用について"  # "- " dropped
    assert _at(doc, 7)[0].row is None
    assert [(s.col, s.text) for s in _at(doc, 404)] == [(0, "その他の措置の内容"), (1, "-")]  # a value
    assert [(s.col, s.text) for s in _at(doc, 407)] == [(0, "-")]
    assert [(s.col, s.text) for s in _at(doc, 426)] == [
        (0, "6. 情報提供ネットワークシステムとの接続"),
        (2, "[○]接続しない(入手)"),
        (3, "[○]接続しない(提供)"),
    ]
    assert [(s.col, s.text) for s in _at(doc, 429)] == [
        (0, "リスクへの対策は十分か"),
        (1, "[]"),
        (2, "⍰ 十分に力を入れている ⍰ 課題が残されている"),
        (3, "2) 十分である"),
    ]
    (value,) = [s for s in _at(doc, 514) if s.col == 1]
    lines = value.text.split("\n")
    assert lines[:3] == ["基礎項目評価及び全項目評価の実施が義務付けられる", "[", "<選択肢>"]
    assert lines[-1] == "]" and len(lines) == 8
    (audit,) = [s for s in _at(doc, 597) if s.col == 1]  # nested unclosed <ul>
    lines = audit.text.split("\n")
    assert lines[:2] == ["1 特に力を入れて行っている", "・内部監査"]
    assert lines[2].startswith("・年に1回、住基ネット利用課に対して内部運用監査を実施する。")
    assert lines[2].endswith("④目的外利用していないか等の状況等を確認する。 ・外部監査")  # no tag between
    assert lines[3].startswith("・民間の外部監査事業者による監査")
    assert lines[4:] == ["具体的な内容"]


# ------------------------------------------------------------------ 003: raw PDF text layer


def test_003_plain_text_dump_one_segment_per_line(docs):
    doc = docs["003"]
    source = _real("003").read_text(encoding="utf-8").split("\n")
    assert len(doc.segments) == sum(1 for line in source if line.strip()) == 3811
    assert {s.method for s in doc.segments} == {"text"}
    assert _at(doc, 88)[0].text == "①事務の名称 住民基本台帳に関する事務"
    assert _at(doc, 5)[0].text == "1 住民基本台帳に関する事務\u3000重点項目評価書"  # characters kept as read
    assert _at(doc, 40) == []  # a line holding only an ideographic space
    assert _at(doc, 96)[0].text == "③対象人数 [ 10万人以上30万人未満"
    assert _at(doc, 157)[0].text == "○ ] 住民基本台帳ネットワークシステム [["


# ------------------------------------------------------------------ 004: pipe tables, markdown prose


def test_004_pipe_rows_lists_and_inline_markdown(docs):
    doc = docs["004"]
    assert _at(doc, 216) == [] and _at(doc, 217) == []  # "- | |" and "|---|"
    (box,) = _at(doc, 218)
    assert (box.text, box.col, box.method) == (
        "(1) 対象人数による評価の種類判断(しきい値判断)",
        0,
        "markdown",
    )
    assert box.row is not None
    assert _at(doc, 8)[0].text == "①マイナンバー制度と特定個人情報保護評価について ……P1"  # " - " dropped
    assert _at(doc, 94)[0].text == "マイナンバーは、"  # "**" dropped
    assert _at(doc, 316)[0].text == "http://www.city.asahikawa.hokkaido.jp/files/simin/"  # autolink
    assert [(s.col, s.text) for s in _at(doc, 302)] == [
        (0, "①"),
        (1, "電子メールで"),
        (2, "simin@city.asahikawa.hokkaido.jp"),
    ]
    assert _at(doc, 220)[0].text.startswith("↓ ・住民基本台帳関係事務")


# ------------------------------------------------------------------ encodings


SNIPPETS = {
    "snippet_utf8.txt": "utf-8",
    "snippet_utf8_bom.txt": "utf-8-sig",
    "snippet_cp932_crlf.txt": "cp932",
    "snippet_eucjp.txt": "euc_jp",
    "snippet_utf16le_bom.txt": "utf-16-le",
    "snippet_utf16be_bom.txt": "utf-16-be",
    "snippet_utf16le_nobom.txt": "utf-16-le",
    "snippet_utf16be_nobom.txt": "utf-16-be",
}


def _comparable(doc):
    return [(s.text, s.line, s.row, s.col, s.method, s.page) for s in doc.segments]


@pytest.mark.parametrize(("name", "encoding"), sorted(SNIPPETS.items()))
def test_encodings_yield_identical_segments(name, encoding):
    reference = read_text_document(FIXTURES / "snippet_utf8.txt")
    doc = read_text_document(FIXTURES / name)
    assert doc.encoding == encoding
    assert doc.kind == "markdown/html"
    assert _comparable(doc) == _comparable(reference)


def test_snippet_content():
    doc = read_text_document(FIXTURES / "snippet_utf8.txt")
    # snippet = lines 99-107 + 425-451 of 002; its line 14 is 002's line 429
    assert [(s.col, s.text) for s in _at(doc, 14)] == [
        (0, "リスクへの対策は十分か"),
        (1, "[]"),
        (2, "⍰ 十分に力を入れている ⍰ 課題が残されている"),
        (3, "2) 十分である"),
    ]
    (rule,) = [s for s in _at(doc, 9) if s.col == 1]
    assert rule.text.split("\n") == [
        "ルールの内容及びルール遵守の確認方法",
        "・住基法、番号法の規程に基づき行う。 ・住基ネット利用課に対して内部運用監査を行い、都道府県知事保存本人確認情報の利用・管理状況等を確認する。 ・システムの操作履歴を採取・保管し、不正な操作がないことを確認する。",
    ]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("circled_utf8.txt", "utf-8"),
        ("circled_cp932.txt", "cp932"),
        ("circled_eucjp_x0213.txt", "euc_jis_2004"),
    ],
)
def test_circled_numbers_in_each_encoding(name, encoding):
    doc = read_text_document(FIXTURES / name)
    assert doc.encoding == encoding
    assert [s.text for s in doc.segments if s.col == 0] == ["①事務の名称", "②事務の内容 ※", "③対象人数"]


def test_euc_jp_that_also_decodes_as_cp932():
    data = "住民基本台帳".encode("euc_jp")
    assert data.decode("cp932") != "住民基本台帳"  # a strict CP932 decode succeeds, into half-width kana
    assert decode_bytes(data) == ("住民基本台帳", "euc_jp")


def test_mixed_encodings_are_undecodable_and_name_the_file():
    path = FIXTURES / "mixed_utf8_cp932.txt"
    data = path.read_bytes()
    for enc in ("utf-8", "cp932", "euc_jp", "euc_jis_2004", "utf-16-le", "utf-16-be"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(enc)
    offset = data.index("③対象人数".encode("cp932"))
    with pytest.raises(UndecodableText) as err:
        read_text_document(path)
    assert str(err.value).startswith(f"{path}: cannot decode as UTF-8/UTF-16/CP932/EUC-JP")
    assert f"first bad byte at offset {offset}" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_undecodable_is_an_input_error():
    from extract.sources import sniff

    assert issubclass(UndecodableText, sniff.InputError)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03" * 10,  # binary with NULs: neither UTF-16 nor text
        "個人番号".encode("cp932") + b"\x81\x20abc",  # a lead byte with no trail byte
        bytes(range(256)),
    ],
)
def test_binary_and_broken_bytes_are_undecodable(tmp_path, data):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(UndecodableText, match=re.escape(str(path))):
        read_text_document(path)


def test_iso_2022_jp_and_ascii():
    assert decode_bytes("評価書\n".encode("iso2022_jp")) == ("評価書\n", "iso2022_jp")
    assert decode_bytes(b"plain ascii\n") == ("plain ascii\n", "utf-8")


# ------------------------------------------------------------------ structure edge cases


def test_form_feeds_mark_pages():
    doc = segment_text("表紙\n\f一\t二\n三\n\f四\f")
    assert doc.kind == "text" and doc.page_count == 3
    assert [(s.text, s.page, s.line, s.row, s.col) for s in doc.segments] == [
        ("表紙", 1, 1, None, None),
        ("一", 2, 2, 0, 0),
        ("二", 2, 2, 0, 1),
        ("三", 2, 3, None, None),
        ("四", 3, 4, None, None),
    ]


def test_multiline_html_table_with_spans():
    text = (
        "前文\n"
        "<table>\n"
        '<tr><th rowspan="2">項目</th><th colspan="2">内容</th></tr>\n'
        "<tr><td>a<br>b</td><td>x &amp; y</td></tr>\n"
        '<tr><td><input type="checkbox" checked> 行う</td><td></td><td><input type="checkbox"> 行わない</td></tr>\n'
        "</table> 後文\n"
        "| 見出し | 値 |\n"
        "|---|---|\n"
        "| a \\| b | <br>c |\n"
    )
    doc = segment_text(text)
    assert doc.kind == "markdown/html"
    got = [(s.text, s.line, s.row, s.col, s.method) for s in doc.segments]
    assert got == [
        ("前文", 1, None, None, "markdown"),
        ("項目", 3, 0, 0, "html"),
        ("内容", 3, 0, 1, "html"),
        ("a\nb", 4, 1, 1, "html"),
        ("x & y", 4, 1, 2, "html"),
        ("○ 行う", 5, 2, 0, "html"),
        ("⍰ 行わない", 5, 2, 2, "html"),
        ("後文", 6, None, None, "markdown"),
        ("見出し", 7, 3, 0, "markdown"),
        ("値", 7, 3, 1, "markdown"),
        ("a | b", 9, 4, 0, "markdown"),
        ("c", 9, 4, 1, "html"),
    ]


def test_unclosed_cells_do_not_swallow_their_neighbours():
    cells, n_rows, _ = table_cells("<table><tr><td>a<td>b<tr><td>c</table>")
    assert [(c.text, c.row, c.col) for c in cells] == [("a", 0, 0), ("b", 0, 1), ("c", 1, 0)]
    assert n_rows == 2


def test_html_to_text():
    assert (
        html_to_text('<p>[<input type="checkbox"/>] 紙</p> <p>&lt;選択肢&gt; 1) 紙</p>')
        == "[⍰] 紙\n<選択肢> 1) 紙"
    )
    assert html_to_text('<input type="checkbox" checked="checked"/>あり<br/>なし') == "○あり\nなし"
    assert html_to_text("<ul><li>一</li><li>二</li></ul>") == "一\n二"


def test_kind_and_headings():
    assert detect_kind("一\t二\n三") == "text"
    assert detect_kind("<p>一</p>") == "markdown/html"
    assert detect_kind("| a |\n|---|\n") == "markdown/html"
    assert detect_kind("<選択肢> 1) 紙") == "text"
    doc = segment_text("## Ⅰ 基本情報 ##\n<p>x</p>\n- 1. 項目\n")
    assert [s.text for s in doc.segments] == ["Ⅰ 基本情報", "x", "1. 項目"]
    plain = segment_text("- 1. 項目\n&amp;\n")  # a text dump is kept as read
    assert [s.text for s in plain.segments] == ["- 1. 項目", "&amp;"]


def test_iter_lines_with_numbers():
    assert list(iter_lines_with_numbers("a\r\nb\rc\fd\u2028e\n")) == [
        (1, "a"),
        (2, "b"),
        (3, "c\fd\u2028e"),
        (4, ""),
    ]


def test_converter_markdown_markup_is_not_content():
    text = (
        "<!-- image -->\n"
        "![図](fig1.png)\n"
        "\\[ ○ \\] 紙 \\[ \\] その他\n"
        "---\n"
        "- [x] 専用線\n"
        "- [ ] 紙\n"
        "[別紙](https://example.jp/a.pdf) を参照\n"
        "-\t-\n"
    )
    doc = segment_text(text, kind="markdown/html")
    assert [(s.line, s.text, s.row) for s in doc.segments] == [
        (3, "[ ○ ] 紙 [ ] その他", None),
        (5, "[○] 専用線", None),  # ticked by the converter: a known state
        (6, "[ ] 紙", None),
        (7, "別紙 を参照", None),
        (8, "-", 0),  # lone dashes in cells are values, not separators
        (8, "-", 0),
    ]


def test_markdown_suffix_forces_markup(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# 評価書\n- 一\n", encoding="utf-8")
    doc = read_text_document(path)
    assert doc.kind == "markdown/html"
    assert [s.text for s in doc.segments] == ["評価書", "一"]
    txt = tmp_path / "a.txt"
    txt.write_text("# 評価書\n- 一\n", encoding="utf-8")
    assert [s.text for s in read_text_document(txt).segments] == ["# 評価書", "- 一"]


def test_html_nested_too_deep_is_an_input_error_naming_the_file(tmp_path):
    # a hostile input (pipelines/bench/hostile.py): 2,000 tables inside one another ended in a bare
    # RecursionError, reported as a crash of the reader
    from extract.sources import sniff
    from extract.sources.text.reader import MarkupTooDeep

    path = tmp_path / "deep.html"
    path.write_text("<table><tr><td>" * 2000 + "x" + "</td></tr></table>" * 2000, encoding="utf-8")
    with pytest.raises(MarkupTooDeep) as err:
        read_text_document(path)
    assert str(err.value).startswith(f"{path}: HTML nested too deep")
    assert isinstance(err.value, sniff.InputError)
    shallow = tmp_path / "shallow.html"
    shallow.write_text("<table><tr><td>" * 3 + "十分である" + "</td></tr></table>" * 3, encoding="utf-8")
    assert "十分である" in "".join(s.text for s in read_text_document(shallow).segments)
