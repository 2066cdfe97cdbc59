"""Rules -> table grid -> cells with their text, and the page's remaining words as lines.

A chain of small pure functions driven by one settings object, after pdfplumber's table.py:
snap_rules -> merge_rules -> close_open_ends -> intersections -> cells_from_intersections
-> group_tables -> assign words -> cell text in reading order.

A cell is the smallest rectangle whose four sides lie on rules that join its corners, so a merged cell
(no inner rule reaching its border) comes out as one cell. Words belong to the cell that contains
their centre. Row and column numbers are 0-based indexes of the cell's top and left edges among all
cells of the page, so cells in one row share `row` and a reader can tell neighbours.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from extract.core.cells import Cell, PageGrid, TextLine
from extract.core.layout import PageLayout, Rule, Word
from extract.core.settings import GridSettings

# --- rules -------------------------------------------------------------------------------------------


def split_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    h = [r for r in rules if r.horizontal]
    v = [r for r in rules if not r.horizontal]
    return h, v


def _cluster(values: list[float], tol: float) -> dict[float, float]:
    """Map each value to the mean of its cluster (values chained by gaps <= tol)."""
    out: dict[float, float] = {}
    if not values:
        return out
    vals = sorted(set(values))
    group = [vals[0]]
    for v in vals[1:]:
        if v - group[-1] <= tol:
            group.append(v)
        else:
            mean = sum(group) / len(group)
            out.update((g, mean) for g in group)
            group = [v]
    mean = sum(group) / len(group)
    out.update((g, mean) for g in group)
    return out


def snap_rules(rules: list[Rule], tol: float) -> list[Rule]:
    """Move nearly collinear rules onto one shared line (horizontal by y, vertical by x)."""
    h, v = split_rules(rules)
    ys = _cluster([(r.y0 + r.y1) / 2 for r in h], tol)
    xs = _cluster([(r.x0 + r.x1) / 2 for r in v], tol)
    out = []
    for r in h:
        y = ys[(r.y0 + r.y1) / 2]
        out.append(Rule(min(r.x0, r.x1), y, max(r.x0, r.x1), y, r.page))
    for r in v:
        x = xs[(r.x0 + r.x1) / 2]
        out.append(Rule(x, min(r.y0, r.y1), x, max(r.y0, r.y1), r.page))
    return out


def merge_rules(rules: list[Rule], tol: float) -> list[Rule]:
    """Join collinear rules that overlap or have gaps up to tol (rules must be snapped first)."""
    h, v = split_rules(rules)
    out: list[Rule] = []
    by_y: dict[float, list[Rule]] = defaultdict(list)
    for r in h:
        by_y[r.y0].append(r)
    for y, rs in by_y.items():
        rs.sort(key=lambda r: r.x0)
        x0, x1 = rs[0].x0, rs[0].x1
        for r in rs[1:]:
            if r.x0 <= x1 + tol:
                x1 = max(x1, r.x1)
            else:
                out.append(Rule(x0, y, x1, y, r.page))
                x0, x1 = r.x0, r.x1
        out.append(Rule(x0, y, x1, y, rs[0].page))
    by_x: dict[float, list[Rule]] = defaultdict(list)
    for r in v:
        by_x[r.x0].append(r)
    for x, rs in by_x.items():
        rs.sort(key=lambda r: r.y0)
        y0, y1 = rs[0].y0, rs[0].y1
        for r in rs[1:]:
            if r.y0 <= y1 + tol:
                y1 = max(y1, r.y1)
            else:
                out.append(Rule(x, y0, x, y1, r.page))
                y0, y1 = r.y0, r.y1
        out.append(Rule(x, y0, x, y1, rs[0].page))
    return out


def close_open_ends(rules: list[Rule], tol: float) -> list[Rule]:
    """Add a horizontal rule where two or more verticals end (or start) together with none there.

    A table cut by a page break often has its last row open at the bottom of one page and its first
    row open at the top of the next; closing them keeps those rows as cells instead of loose words.
    """
    h, v = split_rules(rules)
    added: list[Rule] = []
    for end in ("y0", "y1"):
        groups: dict[float, list[Rule]] = defaultdict(list)
        for r in v:
            groups[getattr(r, end)].append(r)
        for y, rs in _group_close(groups, tol):
            if len(rs) < 2:
                continue
            x0 = min(r.x0 for r in rs)
            x1 = max(r.x0 for r in rs)
            covered = any(
                abs(r.y0 - y) <= tol and r.x0 <= x0 + tol and r.x1 >= x1 - tol for r in h
            )
            if not covered:
                added.append(Rule(x0, y, x1, y, rs[0].page))
    return rules + added if added else rules


def _group_close(groups: dict[float, list[Rule]], tol: float) -> list[tuple[float, list[Rule]]]:
    out: list[tuple[float, list[Rule]]] = []
    for y in sorted(groups):
        if out and y - out[-1][0] <= tol:
            out[-1][1].extend(groups[y])
        else:
            out.append((y, list(groups[y])))
    return out


# --- grid --------------------------------------------------------------------------------------------

Point = tuple[float, float]


def intersections(h: list[Rule], v: list[Rule], tol: float) -> dict[Point, tuple[set[int], set[int]]]:
    """Crossing points of horizontal and vertical rules -> (indexes of h rules, indexes of v rules)."""
    pts: dict[Point, tuple[set[int], set[int]]] = {}
    order = sorted(range(len(v)), key=lambda i: v[i].x0)
    vx = [v[i].x0 for i in order]
    for hi, hr in enumerate(h):
        lo = bisect.bisect_left(vx, hr.x0 - tol)
        hi_end = bisect.bisect_right(vx, hr.x1 + tol)
        y = hr.y0
        for k in range(lo, hi_end):
            vi = order[k]
            vr = v[vi]
            if vr.y0 - tol <= y <= vr.y1 + tol:
                p = (vr.x0, y)
                entry = pts.get(p)
                if entry is None:
                    pts[p] = ({hi}, {vi})
                else:
                    entry[0].add(hi)
                    entry[1].add(vi)
    return pts


def cells_from_intersections(
    pts: dict[Point, tuple[set[int], set[int]]], min_size: float
) -> list[tuple[float, float, float, float]]:
    """For each crossing point, the smallest rectangle to its lower right whose sides are rules."""
    xs_at_y: dict[float, list[float]] = defaultdict(list)
    ys_at_x: dict[float, list[float]] = defaultdict(list)
    for x, y in pts:
        xs_at_y[y].append(x)
        ys_at_x[x].append(y)
    for lst in xs_at_y.values():
        lst.sort()
    for lst in ys_at_x.values():
        lst.sort()
    cells = []
    for (x, y), (hs, vs) in pts.items():
        xs = xs_at_y[y]
        ys = ys_at_x[x]
        below = ys[bisect.bisect_right(ys, y):]
        right = xs[bisect.bisect_right(xs, x):]
        found = None
        for y2 in below:
            if vs.isdisjoint(pts[(x, y2)][1]):
                break  # the left side stops here: no taller cell can start at this corner
            if y2 - y < min_size:
                continue
            for x2 in right:
                if hs.isdisjoint(pts[(x2, y)][0]):
                    break
                if x2 - x < min_size:
                    continue
                br = pts.get((x2, y2))
                if br is None:
                    continue
                if br[1].isdisjoint(pts[(x2, y)][1]) or br[0].isdisjoint(pts[(x, y2)][0]):
                    continue
                found = (x, y, x2, y2)
                break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def group_tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Cells sharing a corner belong to one table; tables sorted top to bottom, then left to right."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for p in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            j = owner.setdefault(p, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list] = defaultdict(list)
    for i, c in enumerate(cells):
        groups[find(i)].append(c)
    tables = [sorted(g, key=lambda c: (c[1], c[0])) for g in groups.values()]
    tables.sort(key=lambda t: (min(c[1] for c in t), min(c[0] for c in t)))
    return tables


# --- text --------------------------------------------------------------------------------------------


OPENING = frozenset("[［")
CLOSING = frozenset("]］")
# Glyphs that Excel forms often draw on their own, vertically centred in a cell (a bracket column).
LONE_MARKS = OPENING | CLOSING | frozenset("○●◯〇✓✔")


def _group_lines(words: list[Word]) -> list[list[Word]]:
    ws = sorted(words, key=lambda w: w.y0 + w.y1)
    lines: list[list[Word]] = []
    top = bottom = 0.0
    for w in ws:
        c = (w.y0 + w.y1) / 2
        if lines and top <= c <= bottom:
            lines[-1].append(w)
        else:
            lines.append([w])
            top, bottom = w.y0, w.y1
    return lines


def text_lines(words: list[Word], mark_overlap: float = 0.3) -> list[list[Word]]:
    """Group words into lines (by vertical centre), each line sorted left to right, lines top down.

    A lone bracket or tick glyph goes with the text lines it overlaps by at least `mark_overlap` of
    its height: "[" and ticks with the first of them, "]" with the last. So a bracket centred beside a
    value wrapped over two lines gives "[ 10万人以上\n30万人未満 ]", not a line of its own.
    """
    if not words:
        return []
    plain = [w for w in words if w.text not in LONE_MARKS]
    lone = [w for w in words if w.text in LONE_MARKS]
    lines = _group_lines(plain)
    if lone and lines:
        bounds = [(min(w.y0 for w in ln), max(w.y1 for w in ln)) for ln in lines]
        unplaced = []
        for w in lone:
            need = mark_overlap * (w.y1 - w.y0)
            hits = [i for i, (t, b) in enumerate(bounds) if min(b, w.y1) - max(t, w.y0) >= need]
            if not hits:
                unplaced.append(w)
            else:
                lines[hits[-1] if w.text in CLOSING else hits[0]].append(w)
        if unplaced:
            lines = sorted(lines + _group_lines(unplaced), key=lambda ln: min(w.y0 + w.y1 for w in ln))
    elif lone:
        lines = _group_lines(lone)
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def join_line(line: list[Word], space_gap: float) -> str:
    """Join a line's words: nothing between touching words, one space across a visible gap."""
    parts = [line[0].text]
    prev = line[0]
    for w in line[1:]:
        h = min(w.y1 - w.y0, prev.y1 - prev.y0) or 1.0
        if w.x0 - prev.x1 > space_gap * h:
            parts.append(" ")
        parts.append(w.text)
        prev = w
    return "".join(parts)


def block_text(words: list[Word], space_gap: float) -> str:
    """Text of a cell: its lines top to bottom joined with newlines.

    A cell whose every line is one character is Excel's stacked vertical text (縦書き): its characters
    are one label read top down, so they are joined without newlines.
    """
    lines = [join_line(line, space_gap) for line in text_lines(words)]
    if len(lines) >= 2 and all(len(t) == 1 for t in lines):
        return "".join(lines)
    return "\n".join(lines)


def _split_wide_gaps(line: list[Word], factor: float) -> list[list[Word]]:
    out = [[line[0]]]
    for w in line[1:]:
        prev = out[-1][-1]
        h = max(w.y1 - w.y0, prev.y1 - prev.y0) or 1.0
        if w.x0 - prev.x1 > factor * h:
            out.append([w])
        else:
            out[-1].append(w)
    return out


# --- page --------------------------------------------------------------------------------------------


def page_cells(layout: PageLayout, settings: GridSettings | None = None) -> list[Cell]:
    """Empty cells of the page's tables (no words yet), in reading order."""
    s = settings or GridSettings()
    tol = s.snap_tolerance
    drawn = merge_rules(snap_rules(layout.rules, tol), s.join_tolerance)
    rules = drawn
    if s.close_open_ends:
        closed = close_open_ends(drawn, tol)
        if len(closed) != len(drawn):
            rules = merge_rules(snap_rules(closed, tol), s.join_tolerance)
    h, v = split_rules(rules)
    boxes = cells_from_intersections(intersections(h, v, s.intersection_tolerance), s.min_cell_size)
    tables = group_tables(boxes)
    rows = sorted({b[1] for b in boxes})
    cols = sorted({b[0] for b in boxes})
    row_of = {y: i for i, y in enumerate(rows)}
    col_of = {x: i for i, x in enumerate(cols)}
    cells = [
        Cell(layout.number, b, row_of[b[1]], col_of[b[0]], table=t)
        for t, table in enumerate(tables)
        for b in table
    ]
    if rules is not drawn:  # some edges were closed here, not drawn: say which cells are open
        hd = [r for r in drawn if r.horizontal]

        def drawn_edge(y: float, x0: float, x1: float) -> bool:
            return any(abs(r.y0 - y) <= tol and r.x0 <= x0 + tol and r.x1 >= x1 - tol for r in hd)

        for c in cells:
            x0, y0, x1, y1 = c.bbox
            c.open_top = not drawn_edge(y0, x0, x1)
            c.open_bottom = not drawn_edge(y1, x0, x1)
    return cells


def assign_words(cells: list[Cell], words: list[Word]) -> list[Word]:
    """Put each word into the cell holding its centre; return the words in no cell."""
    if not cells:
        return list(words)
    xs = sorted({c for cell in cells for c in (cell.bbox[0], cell.bbox[2])})
    ys = sorted({c for cell in cells for c in (cell.bbox[1], cell.bbox[3])})
    xi = {x: i for i, x in enumerate(xs)}
    yi = {y: i for i, y in enumerate(ys)}
    # Elementary boxes between consecutive edges -> the cell covering them.
    owner: dict[tuple[int, int], Cell] = {}
    for cell in cells:
        x0, y0, x1, y1 = cell.bbox
        for i in range(xi[x0], xi[x1]):
            for j in range(yi[y0], yi[y1]):
                owner.setdefault((i, j), cell)
    loose = []
    for w in words:
        cx = (w.x0 + w.x1) / 2
        cy = (w.y0 + w.y1) / 2
        i = bisect.bisect_right(xs, cx) - 1
        j = bisect.bisect_right(ys, cy) - 1
        cell = owner.get((i, j)) if 0 <= i < len(xs) - 1 and 0 <= j < len(ys) - 1 else None
        if cell is None:
            loose.append(w)
        else:
            cell.words.append(w)
    return loose


def free_lines(words: list[Word], number: int, settings: GridSettings) -> list[TextLine]:
    """Words outside cells as lines; a very wide gap (a stamp beside a title) splits a line."""
    out = []
    for line in text_lines(words):
        for part in _split_wide_gaps(line, settings.line_split_gap):
            bbox = (
                min(w.x0 for w in part),
                min(w.y0 for w in part),
                max(w.x1 for w in part),
                max(w.y1 for w in part),
            )
            out.append(TextLine(number, bbox, join_line(part, settings.space_gap), part))
    return out


def ruled_bands(lines: list[TextLine], rules: list[Rule], tol: float) -> list[TextLine]:
    """Each free line with the ruling lines right above and below it that are drawn over it (its `band`):
    a sheet ruled across without verticals (or whose verticals did not survive a scan) still shows which
    lines share a row. Every word of the line must lie in that band (a glyph of the row above, placed a
    little low, joins the next row's line: "毎月1回］"); a rule within `tol` of a word's top or bottom edge
    counts (a box read a little taller than its glyphs). None where a rule is missing or the words differ."""
    hs = [r for r in rules if r.horizontal]

    def band(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float] | None:
        over = [r.y0 for r in hs if min(r.x1, x1) > max(r.x0, x0)]
        above = max((y for y in over if y <= y0 + tol), default=None)
        below = min((y for y in over if y >= y1 - tol), default=None)
        return (above, below) if above is not None and below is not None and above < below else None

    for ln in lines:
        bands = {band(w.x0, w.y0, w.x1, w.y1) for w in ln.words} if ln.words else {band(*ln.bbox)}
        ln.band = bands.pop() if len(bands) == 1 else None
    return lines


def light_rows_across(rows: list[Rule], tol: float) -> list[Rule]:
    """Light row rules (`PageLayout.row_rules`) as whole lines: the pieces found at one height are one line from the
    first to the last. A hair border is found in pieces where its grey fades under the detector, and a word under a
    gap saw the rule of the row above instead: its line's words disagreed and the line had no band (scan round 15,
    r25_a05 pp. 4 and 7: the border over 主な記録項目's row missing under a "[" and over a third of a line). Dark rules
    are not joined: their gaps are the form's own (a cell spanning two rows)."""
    return merge_rules(snap_rules(rows, tol), float("inf"))


def page_grid(layout: PageLayout, settings: GridSettings | None = None) -> PageGrid:
    """Cells with text and free lines of one page, in reading order.

    Cells go row by row, left to right, which puts a label before its value and an option list after
    it; free lines go between the rows by their top edge, each with its band of ruling lines.
    """
    s = settings or GridSettings()
    cells = page_cells(layout, s)
    loose = assign_words(cells, layout.words)
    for cell in cells:
        cell.text = block_text(cell.words, s.space_gap)
    lines = free_lines(loose, layout.number, s)
    if lines and (layout.rules or layout.row_rules):
        rules = layout.rules + light_rows_across(layout.row_rules, s.snap_tolerance)
        lines = ruled_bands(lines, merge_rules(snap_rules(rules, s.snap_tolerance), s.join_tolerance), s.snap_tolerance)
    return PageGrid(layout.number, cells, lines, reading_order(cells, lines))


def _next_piece(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether box b is the next piece of box a's printed line (a line split at a wide gap): right of it,
    overlapping it vertically by half the lower height. A piece printed a point higher than the one left of
    it (an OCR box around a taller glyph) must still be read after it: a label, then its value."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return b[0] >= a[2] and overlap >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def reading_order(cells: list[Cell], lines: list[TextLine]) -> list[Cell | TextLine]:
    """Rows of cells (cells sharing a top edge, left to right) and free lines, by top edge then left.

    Interleaving by row rather than by whole table keeps a loose line (a row whose border is missing)
    at its place among the rows instead of after the table.
    """
    units: list[tuple[float, float, list]] = []
    rows: dict[tuple[int, float], list[Cell]] = defaultdict(list)
    for c in cells:
        rows[(c.table, c.bbox[1])].append(c)
    for (_t, top), rcells in rows.items():
        rcells.sort(key=lambda c: c.bbox[0])
        units.append((top, rcells[0].bbox[0], rcells))
    top, prev = 0.0, None
    for ln in lines:  # free_lines gives them in reading order: printed lines top down, pieces left to right
        if prev is None or not _next_piece(prev.bbox, ln.bbox):
            top = ln.bbox[1]
        units.append((top, ln.bbox[0], [ln]))  # a piece keeps its line's top: it is read after the one left of it
        prev = ln
    units.sort(key=lambda u: (u[0], u[1]))
    return [b for u in units for b in u[2]]
