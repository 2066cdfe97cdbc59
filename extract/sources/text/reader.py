"""Text inputs -> SegmentedDocument: encoding detection, then segments in reading order with provenance.

Inputs are text dumps of a PDF's text layer (one segment per line) or converter output: markdown with
embedded HTML, tab-separated rows, pipe tables (one segment per cell). Characters are kept as read
(the parser normalizes); only HTML entities and markup are decoded.

Segment conventions for text inputs:
- `line` is the 1-based source line where the segment's text starts.
- `row`/`col` are 0-based and set for table cells only (tab-separated rows, pipe rows, `<td>`/`<th>`).
  Rows are numbered through the whole document (per page when form feeds mark pages), like grid rows
  on a PDF page, so cells of two different tables never share a row number. Empty cells give no
  segment, but the columns of the others keep their positions.
- `page` is set only when the text marks pages with form feeds; otherwise it is None and page_count 1.
- `method` is "text" for a plain text dump, "markdown" or "html" (markup was decoded) otherwise.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
from collections.abc import Iterator
from pathlib import Path

from extract.core.segments import Segment, SegmentedDocument
from extract.sources.sniff import InputError as _InputError
from extract.sources.text.html import has_html, html_to_text, table_cells, table_spans


class UndecodableText(_InputError, ValueError):
    """The bytes are not text in any supported encoding. str() is "<path>: <reason>"."""


class MarkupTooDeep(_InputError, ValueError):
    """HTML nested deeper than the reader follows (no assessment nests its tables so): "<path>: <reason>"."""


# ---------------------------------------------------------------------------------------------------
# Encoding detection

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, vertical tab (Excel's in-cell break), form feed, carriage return;
# DEL; C1 controls; the replacement character. Any share of these above _MAX_BAD marks a wrong decode.
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_BAD = 0.001
_UTF8_SEQ_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_HALFWIDTH_KANA_RE = re.compile("[\uff61-\uff9f]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
_JAPANESE_RE = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e\u2460-\u24ff\u2160-\u217f]")
_KNOWN_SCRIPT_RE = re.compile(
    "[\t\n\v\f\r\x20-\x7e\xa0-\xff\u2000-\u2bff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff00-\uffef]"
)
_CN_ISOLATION = ["cp932", "shift_jis_2004", "euc_jp", "euc_jis_2004", "iso2022_jp", "utf_16", "utf_32"]


def _bad_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_BAD_CHARS_RE.findall(text)) / len(text)


def _plausible(text: str) -> bool:
    """False for a decode that yields control characters or replacement characters (mojibake)."""
    return _bad_share(text.rstrip("\x1a")) <= _MAX_BAD  # a trailing ^Z is a DOS end-of-file mark


def _count(pattern: re.Pattern, text):
    return len(text) - len(pattern.sub(text[:0], text))


_SAMPLE = 1 << 16  # detection heuristics look at the first 64 K characters / bytes


def _japanese_score(text: str) -> float:
    """How much the non-ASCII part looks like Japanese text: 1.0 clean, below 0 mostly garbage.

    A Shift_JIS decode of EUC-JP bytes (and the reverse) succeeds surprisingly often, but yields
    half-width katakana and private-use characters that real documents hardly contain.
    """
    text = text[:_SAMPLE]
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return 1.0
    good = _count(_JAPANESE_RE, text)
    bad = _count(_HALFWIDTH_KANA_RE, text) + _count(_PRIVATE_USE_RE, text)
    return (good - 2 * bad) / non_ascii


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_like_broken_utf8(data: bytes) -> bool:
    """Mostly valid UTF-8 multi-byte sequences: a UTF-8 file with damage, not a legacy encoding."""
    data = data[:_SAMPLE]
    high = _count(_HIGH_BYTE_RE, data)
    if high < 12:
        return False
    return _count(_UTF8_SEQ_RE, data) >= 0.9 * high


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order that the NUL bytes point to (ASCII is 'x\\0' in LE, '\\0x' in BE), if any."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def _known_script_share(text: str) -> float:
    """Share of characters that a Japanese document plausibly holds (ASCII, Latin-1, kana, kanji, symbols)."""
    if not text:
        return 1.0
    return len(_KNOWN_SCRIPT_RE.findall(text)) / len(text)


def _first_bad_offset(data: bytes) -> int:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    m = _BAD_CHARS_RE.search(text)
    return len(text[: m.start()].encode("utf-8")) if m else 0


def _undecodable(data: bytes, source: str, why: str = "") -> UndecodableText:
    extra = f"; {why}" if why else ""
    return UndecodableText(
        source,
        "cannot decode as UTF-8/UTF-16/CP932/EUC-JP "
        f"(first bad byte at offset {_first_bad_offset(data)}{extra})",
    )


def _legacy_japanese(data: bytes, source: str) -> tuple[str, str] | None:
    """CP932 and EUC-JP both tried strictly; when both decode, the one that reads as Japanese wins."""
    found: dict[str, str] = {}
    for group in (("cp932", "shift_jis_2004"), ("euc_jp", "euc_jis_2004")):
        for enc in group:
            text = _strict(data, enc)
            if text is not None and _plausible(text):
                found[enc] = text
                break
    if not found:
        return None
    scored = sorted(((_japanese_score(t), enc) for enc, t in found.items()), reverse=True)
    best_score, best = scored[0]
    if best_score < 0:  # every candidate is mostly half-width kana / private use: not Japanese text
        return None
    if (
        len(scored) == 2
        and abs(scored[0][0] - scored[1][0]) < 0.05
        and found[scored[0][1]] != found[scored[1][1]]
    ):
        arbiter = _charset_normalizer(data, [scored[0][1], scored[1][1]])
        if arbiter is None:
            raise _undecodable(data, source, "CP932 and EUC-JP both fit and nothing tells them apart")
        return arbiter
    return found[best], best


def _charset_normalizer(data: bytes, isolation: list[str]) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data, cp_isolation=isolation).best()
    if match is None:
        return None
    text = str(match)
    if not _plausible(text) or _japanese_score(text) < 0:
        return None
    return text, codecs.lookup(match.encoding).name


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes, detecting the encoding: returns (text, Python codec name).

    Order: byte-order mark; BOM-less UTF-16 by NUL pattern; ISO-2022-JP by its escapes; strict UTF-8;
    strict CP932 and EUC-JP (disambiguated by how Japanese the result reads); charset-normalizer
    restricted to Japanese and Unicode encodings. Every candidate must also pass the mojibake check.
    Raises UndecodableText naming `source` when nothing fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], enc.removesuffix("-sig"))
            if text is None or not _plausible(text):
                raise _undecodable(data, source, f"byte-order mark says {enc}")
            return text, enc
    enc = _utf16_without_bom(data)
    if enc is not None:
        # Without a BOM only the content vouches for UTF-16: binary data also has NULs.
        text = _strict(data, enc)
        if text is not None and _plausible(text) and _known_script_share(text) >= 0.95:
            return text, enc
    if b"\x1b$" in data or b"\x1b(" in data:
        text = _strict(data, "iso2022_jp")
        if text is not None and _plausible(text):
            return text, "iso2022_jp"
    text = _strict(data, "utf-8")
    if text is not None:
        if _plausible(text):
            return text, "utf-8"
        raise _undecodable(data, source, "control characters: not a text file")
    if _looks_like_broken_utf8(data):
        raise _undecodable(data, source, "UTF-8 with invalid bytes")
    legacy = _legacy_japanese(data, source)
    if legacy is not None:
        return legacy
    fallback = _charset_normalizer(data, _CN_ISOLATION)
    if fallback is not None:
        return fallback
    raise _undecodable(data, source)


# ---------------------------------------------------------------------------------------------------
# Lines


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading U+FEFF (BOM that survived decoding) is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def iter_lines_with_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for each line, split on LF / CRLF / CR only.

    Unlike str.splitlines, a form feed or U+2028 does not start a new line, so the numbers match what
    an editor shows and what Segment.line records.
    """
    yield from enumerate(normalize_newlines(text).split("\n"), start=1)


# ---------------------------------------------------------------------------------------------------
# Kind and markdown

_PIPE_SEPARATOR_CELL_RE = re.compile(r"^\s*:?-+:?\s*$")
_TSV_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
_PIPE_TABLE_SEPARATOR_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?\|?\s*:?-{3,}:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$", re.MULTILINE
)
_LIST_MARKER_RE = re.compile(r"^[ \t]*[-*+][ \t]+")
_HEADING_RE = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+)>", re.IGNORECASE)
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)  # docling leaves "<!-- image -->"
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\((?:https?:|mailto:|#|/)[^)]*\)")
_BACKSLASH_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # pandoc writes "\[ ○ \]"
_THEMATIC_BREAK_RE = re.compile(r"^[ \t]*([-*_=])(?:[ \t]*\1){2,}[ \t]*$")  # ---, ***, ===
_TASK_TICKED_RE = re.compile(r"^\[[xX]\](?=\s)")

KIND_TEXT = "text"
KIND_MARKUP = "markdown/html"


def detect_kind(text: str) -> str:
    """Kind "markdown/html" when the text holds HTML tags or a markdown pipe table, else "text"."""
    if has_html(text) or _PIPE_TABLE_SEPARATOR_RE.search(text):
        return KIND_MARKUP
    return KIND_TEXT


def _is_pipe_row(s: str) -> bool:
    s = s.strip()
    return len(s) >= 2 and s.startswith("|") and s.endswith("|")


def _pipe_cells(s: str, off: int) -> list[tuple[str, int]]:
    """Cells of `| a | b |` with their offsets (relative to s's own start + off)."""
    first = s.index("|")
    last = s.rindex("|")
    inner = s[first + 1 : last]
    cells = []
    pos = 0
    for m in _UNESCAPED_PIPE_RE.finditer(inner):
        cells.append((inner[pos : m.start()], off + first + 1 + pos))
        pos = m.end()
    cells.append((inner[pos:], off + first + 1 + pos))
    return cells


def _is_pipe_separator(cells: list[str]) -> bool:
    return all(_PIPE_SEPARATOR_CELL_RE.match(c) for c in cells) and any("---" in c for c in cells)


def _is_tsv_separator(cells: list[str]) -> bool:
    """`--<TAB>------`: a markdown separator row that a converter turned into tabs. A lone "-" is a value."""
    filled = [c.strip() for c in cells if c.strip()]
    return (
        bool(filled)
        and all(_TSV_SEPARATOR_CELL_RE.match(c) for c in filled)
        and (len(filled) >= 2 or "---" in filled[0])
    )


def _strip_line_markers(s: str) -> tuple[str, int]:
    """Drop a markdown bullet ("- ", "* ", "+ ") or heading ("## ") marker; returns (rest, chars dropped)."""
    m = _HEADING_RE.match(s)
    if m:
        return m.group(2), m.start(2)
    m = _LIST_MARKER_RE.match(s)
    if m:
        return s[m.end() :], m.end()
    return s, 0


def _inline_markdown(s: str) -> str:
    """Markdown markup that is not content: comments, images, link targets, autolink brackets, bold."""
    s = _COMMENT_RE.sub("", s)
    s = _IMAGE_RE.sub("", s)
    s = _LINK_RE.sub(r"\1", s)
    return _AUTOLINK_RE.sub(r"\1", s).replace("**", "")


def _unescape_markdown(s: str) -> str:
    return _BACKSLASH_ESCAPE_RE.sub(r"\1", s)


# ---------------------------------------------------------------------------------------------------
# Segmentation


class _Segmenter:
    def __init__(self, text: str, kind: str):
        self.text = text
        self.kind = kind
        self.markup = kind == KIND_MARKUP
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.form_feeds = [m.start() for m in re.finditer("\f", text)]
        self.spans = table_spans(text) if self.markup else []
        self.span_starts = [a for a, _ in self.spans]
        self.segments: list[Segment] = []
        self.next_row: dict[int | None, int] = {}

    # -- positions
    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def page_of(self, offset: int) -> int | None:
        if not self.form_feeds:
            return None
        return 1 + bisect.bisect_right(self.form_feeds, offset)

    def page_count(self) -> int:
        if not self.form_feeds:
            return 1
        content_end = len(self.text.rstrip())  # a trailing form feed closes the last page
        return 1 + sum(1 for f in self.form_feeds if f < content_end)

    def alloc_row(self, offset: int) -> int:
        page = self.page_of(offset)
        row = self.next_row.get(page, 0)
        self.next_row[page] = row + 1
        return row

    def spans_in(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.span_starts, start)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            out.append(self.spans[i])
            i += 1
        return out

    def emit(
        self, text: str, offset: int, method: str, row: int | None = None, col: int | None = None
    ) -> None:
        self.segments.append(
            Segment(
                text=text,
                page=self.page_of(offset),
                line=self.line_of(offset),
                method=method,
                row=row,
                col=col,
            )
        )

    # -- driver
    def run(self) -> list[Segment]:
        text = self.text
        pos = 0
        n = len(text)
        while pos <= n:
            end = text.find("\n", pos)
            end = n if end < 0 else end
            for a, b in self.spans_in(pos, end + 1):  # a table that crosses the line end extends the line
                if a < end < b:
                    nxt = text.find("\n", b)
                    end = n if nxt < 0 else nxt
            self.logical_line(pos, end)
            pos = end + 1
        return self.segments

    def logical_line(self, start: int, end: int) -> None:
        # A form feed (pdftotext's page break) splits a line; never inside a table.
        cut = start
        for f in self.form_feeds[
            bisect.bisect_left(self.form_feeds, start) : bisect.bisect_left(self.form_feeds, end)
        ]:
            if not any(a <= f < b for a, b in self.spans_in(start, end)):
                self.piece(cut, f)
                cut = f + 1
        self.piece(cut, end)

    def split_tabs(self, start: int, end: int) -> list[tuple[int, int]]:
        spans = self.spans_in(start, end)
        cells = []
        cell_start = start
        i = self.text.find("\t", start, end)
        while i >= 0:
            if not any(a <= i < b for a, b in spans):
                cells.append((cell_start, i))
                cell_start = i + 1
            i = self.text.find("\t", i + 1, end)
        cells.append((cell_start, end))
        return cells

    def piece(self, start: int, end: int) -> None:
        s = self.text[start:end]
        if not s.strip():
            return
        if not self.markup:
            if "\t" in s:
                self.table_row([(self.text[a:b], a) for a, b in self.split_tabs(start, end)])
            else:
                self.plain(s, start)
            return
        if _THEMATIC_BREAK_RE.match(s):  # a rule or a setext underline, not text (a lone "-" is text)
            return
        body, dropped = _strip_line_markers(s)
        if dropped and _TASK_TICKED_RE.match(body):  # "- [x] 紙": a task list item ticked by the converter
            body = "[○]" + body[3:]
        if _is_pipe_row(body) and not self.spans_in(start, end):
            cells = _pipe_cells(body, start + dropped)
            if not _is_pipe_separator([c for c, _ in cells]):
                self.table_row([(c.replace("\\|", "|"), o) for c, o in cells])
            return
        tab_cells = self.split_tabs(start, end)
        if len(tab_cells) > 1:
            raw = [(self.text[a:b], a) for a, b in tab_cells]
            if not _is_tsv_separator([c for c, _ in raw]):
                self.table_row(raw)
            return
        self.content(body, start + dropped)

    def plain(self, s: str, offset: int) -> None:
        stripped = s.strip()
        if stripped:
            self.emit(stripped.replace("\f", ""), offset + s.index(stripped[0]), "text")

    def table_row(self, cells: list[tuple[str, int]]) -> None:
        if not any(c.strip() for c, _ in cells):
            return
        row = self.alloc_row(cells[0][1])
        for col, (cell, offset) in enumerate(cells):
            if not cell.strip():
                continue
            if self.markup:
                self.content(cell, offset, row, col)
            else:
                self.plain_cell(cell, offset, row, col)

    def plain_cell(self, cell: str, offset: int, row: int, col: int) -> None:
        stripped = cell.strip()
        self.emit(stripped, offset + cell.index(stripped[0]), "text", row, col)

    def content(self, s: str, offset: int, row: int | None = None, col: int | None = None) -> None:
        """Markup content (a line or a cell): text parts and whole tables, in order."""
        pos = 0
        for a, b in self.spans_in(offset, offset + len(s)):
            self.inline(s[pos : a - offset], offset + pos, row, col)
            self.table(a, b)
            pos = b - offset
        self.inline(s[pos:], offset + pos, row, col)

    def inline(self, s: str, offset: int, row: int | None, col: int | None) -> None:
        lead = len(s) - len(s.lstrip())
        s = _inline_markdown(s.strip())
        if not s:
            return
        if has_html(s):
            text, method = html_to_text(s), "html"
        else:
            text, method = html.unescape(s).strip(), "markdown"
        text = _unescape_markdown(text)
        if text:
            self.emit(text, offset + lead, method, row, col)

    def table(self, start: int, end: int) -> None:
        cells, n_rows, caption = table_cells(self.text[start:end])
        first_line = self.line_of(start)
        if caption:
            self.emit(caption, start, "html")
        base = None
        for cell in cells:
            if base is None:
                base = self.alloc_row(start)
                for _ in range(n_rows - 1):
                    self.alloc_row(start)
            if cell.text:
                self.segments.append(
                    Segment(
                        text=cell.text,
                        page=self.page_of(start),
                        line=first_line + cell.line - 1,
                        method="html",
                        row=base + cell.row,
                        col=cell.col,
                    )
                )


_MARKUP_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".xhtml"})


def segment_text(
    text: str, source: str = "<text>", encoding: str | None = None, kind: str | None = None
) -> SegmentedDocument:
    """Segments of already decoded text, in reading order (see the module docstring for conventions).

    `kind` forces "markdown/html" or "text"; by default it is detected from the content.
    """
    text = normalize_newlines(text)
    kind = kind or detect_kind(text)
    seg = _Segmenter(text, kind)
    segments = seg.run()
    return SegmentedDocument(
        source=source, kind=kind, segments=segments, page_count=seg.page_count(), encoding=encoding
    )


def read_text_document(path: Path) -> SegmentedDocument:
    """Read a text input (plain dump, markdown, converter output with HTML) into segments."""
    path = Path(path)
    data = path.read_bytes()
    text, encoding = decode_bytes(data, str(path))
    # A .md file is markdown even when this one holds no table or tag (its "- " and "#" are markup).
    hint = KIND_MARKUP if path.suffix.lower() in _MARKUP_SUFFIXES else None
    try:
        return segment_text(text, str(path), encoding, hint)
    except RecursionError:
        raise MarkupTooDeep(path, "HTML nested too deep to read (tables or tags inside one another "
                                  "hundreds of levels down)") from None
