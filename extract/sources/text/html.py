"""HTML inside converter output (markdown with embedded HTML): tags to text, `<table>` to cells.

The inputs are not HTML documents: they are markdown or tab-separated text in which a converter left
`<p>`, `<ul>` (often unclosed), `<br>`, `<input type="checkbox"/>` and whole `<table>`s. Japanese angle
brackets such as `<選択肢>` are text, not tags (html.parser only opens a tag on an ASCII letter).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from normalize.marks import UNKNOWN_MARK

CHECKED_MARK = "○"  # what the official forms print in a ticked box

# Tags a converter leaves in markdown. Only these make a line "HTML": `<http://…>` (an autolink) and
# `<選択肢>` are not tags.
_KNOWN_TAGS = (
    "a abbr b big blockquote br caption center code col colgroup dd del div dl dt em font h1 h2 h3 h4 h5 h6 "
    "hr i img input ins kbd label li mark nobr ol p pre s small span strike strong sub sup table tbody td "
    "tfoot th thead tr tt u ul"
).split()
TAG_RE = re.compile(r"</?(?:{})(?=[\s/>])[^<>]*>".format("|".join(_KNOWN_TAGS)), re.IGNORECASE)
_TABLE_TOKEN_RE = re.compile(r"<(/?)table(?=[\s/>])[^<>]*>", re.IGNORECASE)

# Elements that end a line of text. `ul`/`ol` included: converters put list items straight after an
# unclosed `<ul>` with no `<li>`.
_BLOCK = frozenset(
    "address article aside blockquote caption center dd div dl dt footer h1 h2 h3 h4 h5 h6 header hr li "
    "ol p pre section table tbody tfoot thead tr ul".split()
)
_CELL = frozenset(("td", "th"))
_SKIP = frozenset(("script", "style", "head", "title"))
_SOURCE_BREAK_RE = re.compile(r"[\t\r\n\f\v]+")


def has_html(text: str) -> bool:
    """True when the text holds at least one tag a converter would leave (not `<選択肢>`)."""
    return TAG_RE.search(text) is not None


def table_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges [start, end) of the outermost `<table>…</table>` elements, nesting counted.

    An unclosed `<table>` runs to the end of its line (so that one bad tag cannot swallow the file).
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in _TABLE_TOKEN_RE.finditer(text):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.end()))
    if depth:
        eol = text.find("\n", start)
        spans.append((start, len(text) if eol < 0 else eol))
    return spans


def _input_text(tag: Tag) -> str:
    kind = str(tag.get("type", "text")).lower()
    if kind in ("checkbox", "radio"):
        # `checked` present means ticked (HTML semantics); absent means the converter lost the state,
        # which is not the same as unticked.
        return CHECKED_MARK if tag.has_attr("checked") else UNKNOWN_MARK
    value = tag.get("value")
    return str(value) if value else ""


def _walk(node: Tag, out: list[str], skip: frozenset[int]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            out.append(_SOURCE_BREAK_RE.sub(" ", str(child)))  # a source line break is a space in HTML
            continue
        if not isinstance(child, Tag) or id(child) in skip:
            continue
        name = child.name.lower()
        if name in _SKIP:
            continue
        if name == "br":
            out.append("\n")
        elif name == "input":
            out.append(_input_text(child))
        elif name == "img":
            out.append(str(child.get("alt") or ""))
        elif name in _BLOCK:
            out.append("\n")
            _walk(child, out, skip)
            out.append("\n")
        elif name in _CELL:  # a table nested in a cell: keep its cells apart
            _walk(child, out, skip)
            out.append(" ")
        else:
            _walk(child, out, skip)


def _tidy(raw: str) -> str:
    lines = (line.strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def node_text(node: Tag, skip: frozenset[int] = frozenset()) -> str:
    """Text of a parsed node: blocks and `<br>` become line breaks, tick boxes become marks."""
    out: list[str] = []
    _walk(node, out, skip)
    return _tidy("".join(out))


@functools.lru_cache(maxsize=4096)  # converters repeat cells verbatim (before/after tables, duplicates)
def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (entities decoded, `<p>`/`<li>`/`<br>` as line breaks, each line stripped)."""
    return node_text(BeautifulSoup(fragment, "html.parser"))


@dataclass(frozen=True, slots=True)
class TableCell:
    text: str
    row: int  # 0-based grid row inside the table (rowspan/colspan accounted for)
    col: int  # 0-based grid column
    line: int  # 1-based line inside the fragment where the cell's tag starts
    rowspan: int = 1
    colspan: int = 1


def _span(tag: Tag, name: str) -> int:
    try:
        n = int(str(tag.get(name, "1")).strip() or "1")
    except ValueError:
        return 1
    return max(1, min(n, 1000))  # 0 ("to the end") and nonsense count as 1


def _nearest(tag: Tag, names: tuple[str, ...]) -> Tag | None:
    parent = tag.parent
    while parent is not None and parent.name not in names:
        parent = parent.parent
    return parent


def table_cells(fragment: str) -> tuple[list[TableCell], int, str]:
    """Cells of the first `<table>` in `fragment` in reading order, the number of grid rows, and the caption.

    Unclosed `<td>`/`<tr>` (html.parser nests them) are handled by giving each cell to its nearest
    `<tr>` and leaving sibling cells out of a cell's text.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    table = soup.find("table")
    if table is None:
        return [], 0, ""
    caption_tag = table.find("caption")
    caption = node_text(caption_tag) if caption_tag is not None else ""
    rows = [tr for tr in table.find_all("tr") if _nearest(tr, ("table",)) is table]
    cells: list[TableCell] = []
    occupied: set[tuple[int, int]] = set()
    n_rows = 0
    for r, tr in enumerate(rows):
        own = [c for c in tr.find_all(("td", "th")) if _nearest(c, ("tr",)) is tr]
        own_ids = frozenset(id(c) for c in own)
        # nested rows of an unclosed structure belong to their own <tr>, not to this cell's text
        nested_rows = frozenset(id(t) for t in tr.find_all("tr") if _nearest(t, ("table",)) is table)
        c = 0
        for cell in own:
            while (r, c) in occupied:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    occupied.add((rr, cc))
            skip = (own_ids - {id(cell)}) | nested_rows
            cells.append(TableCell(node_text(cell, skip), r, c, cell.sourceline or 1, rs, cs))
            n_rows = max(n_rows, r + rs)
            c += cs
    return cells, n_rows, caption
