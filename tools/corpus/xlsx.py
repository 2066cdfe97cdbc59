"""Renderer A: the document as a municipal-style Excel workbook (openpyxl), exported to PDF by LibreOffice.

A seeded layout randomizer (independent of the content seed) picks what real workbooks vary: a few wide
columns or an Excel "方眼紙" grid of narrow ones; label and value in one cell or in two; the option list in
the value cell, in the neighbouring cell or on rows under a <選択肢> header; option numbering 1) 1） ① or
none; bracket and tick characters; half- or full-width digits; checkbox lists one per row, two per row, in
one cell or flowing; file lists numbered in one cell or one per row; 提供・移転の有無 with counts inline or
in separate 提供件数 / 移転件数 cells; one sheet or a sheet per part; a repeated print-title row; the version
stamp in the page header, in a cell, or in a repeated row; page numbers in the footer.

Pagination is decided here, not by LibreOffice: every row gets an explicit height (estimated from the text
with a safety margin) and a manual page break ends every page, so the page of every answer-key entry is
known from the data. Items are allowed to break across pages between their rows (a merged label cell is
split at the break: its text stays on the first page). The caller checks that the PDF has the predicted
number of pages and retries with more slack if it does not.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break

from tools.corpus.content import (
    KOMOKU_HEADINGS,
    Annex,
    Changes,
    Check,
    Cover,
    DateEl,
    Doc,
    FileList,
    Group,
    Note,
    Part,
    Risk,
    Sec,
    Select,
    Steer,
    Sub,
    Text,
)

A4_W, A4_H = 595.3, 841.9
CHAR_PT = 7.0  # LibreOffice: one Excel width unit (default style Calibri 11) = 7.0 pt (measured)
ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"]
ROMAN_ASCII = ["", "I", "II", "III", "IV", "V", "VI"]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
FW = str.maketrans("0123456789", "０１２３４５６７８９")


# ====================================================================== layout randomizer

class LayoutA:
    def __init__(self, seed: str, form: str, slack: float = 0.96, steer: Steer | None = None):
        r = self.rng = random.Random(seed)
        self.seed = seed
        self.steer = steer
        self.choices: dict = {}
        self.slack = slack
        self.grid = self.pick("grid", ["wide", "wide", "hougan"])
        self.font = self.pick("font", ["IPAexゴシック", "IPAexゴシック", "IPAexゴシック", "Noto Sans CJK JP"])
        self.line_factor = 1.12 if self.font.startswith("IPA") else 1.55
        self.fs = r.choice([9, 9.5, 10, 10, 10.5, 11])
        self.joined = self.pick("joined", [True, False], (0.25, 0.75))  # label and value in one cell
        self.opt_pos = self.pick("opt_pos", ["right", "right", "inline", "below"])
        self.opt_flow = self.pick("opt_flow", [True, False], (0.3, 0.7))  # options on one wrapped line
        self.opt_num = self.pick("opt_num", ["1)", "1)", "1）", "①", ""])
        self.opt_head = self.pick("opt_head", ["<選択肢>", "＜選択肢＞", "<選択肢>"])
        self.bracket = self.pick("bracket", [("[", "]"), ("[", "]"), ("［", "］"), ("【", "】")])
        self.pad = self.pick("pad", [" ", " ", "　", ""])
        self.tick = self.pick("tick", ["○", "〇", "◯", "●", "✓", "レ"])
        self.empty_tick = r.choice([" ", "　", "  "])
        self.full_digits = self.pick("full_digits", [True, False], (0.35, 0.65))
        self.sec_style = self.pick("sec_style", ["1.", "1.", "１．", "1 ", "1．"])
        self.roman = self.pick("roman", ["unicode", "unicode", "ascii"])
        self.risk_colon = self.pick("risk_colon", [": ", "：　", "：", ":"])
        self.kome = self.pick("kome", ["　※", " ※", "※"])
        self.check_style = self.pick("check_style", ["rows1", "rows2", "rows2", "cell", "flow"])
        self.tick_cell = self.pick("tick_cell", [True, False]) if self.grid == "hougan" else False
        self.komoku_heads = self.pick("komoku_heads", [True, False], (0.6, 0.4))
        self.paren = self.pick("paren", [("（ ", " ）"), ("( ", " )"), ("（", "）"), ("（ ", " )")])
        self.count_fmt = self.pick("count_fmt", ["（ {n} ） 件", "（{n}）件", "( {n} ) 件", "（ {n} ）　件"])
        self.umu_style = self.pick("umu_style", ["combined", "combined", "separate"])
        self.file_list = self.pick("file_list", ["numbered_cell", "numbered_flow", "rows"])
        self.stamp = self.pick("stamp", ["header", "cell", "title_row"])
        self.stamp_side = self.pick("stamp_side", ["right", "left", "right"])
        self.footer = self.pick("footer", ["- &P -", "&P / &N", "&P", "－&P－", None])
        self.sheets = self.pick("sheets", ["single", "multi"])
        self.fit = self.pick("fit", ["fitwidth", "scale"])
        self.margins = (r.choice([0.4, 0.5, 0.6, 0.7]), r.choice([0.7, 0.75, 0.8, 0.9]), r.choice([0.6, 0.7, 0.8]))
        self.para_rows = self.pick("para_rows", [True, False], (0.3, 0.7))  # each paragraph of a free text on its own row
        self.vcenter_labels = self.pick("vcenter_labels", [True, False], (0.4, 0.6))
        self.label_fill = r.choice(["F2F2F2", "DDEBF7", "E2EFDA", "FFF2CC", None])
        self.head_fill = r.choice(["D9D9D9", "BDD7EE", "C6E0B4", "FFE699"])
        self.border = self.pick("border", ["thin", "thin", "thin", "hair"])
        self.group_cells = self.pick("group_cells", ["one", "two"])
        self.group_sep = r.choice(["\u3000", " ", "\u3000"])
        self.range_headers = self.pick("range_headers", [True, False], (0.35, 0.65))  # "委託事項2～5" rows of the collapsible template blocks
        self.nested = self.pick("nested", [True, False], (0.7, 0.3))  # ⑦使用の主体 / 再委託 as a vertical label column
        self.flag_row = self.pick("flag_row", ["same", "same", "below"])
        self.cover_style = self.pick("cover_style", ["stacked", "side"])
        self.file_head = self.pick("file_head", ["paren", "row"])
        self.select_as_check = self.pick("select_as_check", [True, False], (0.2, 0.8))  # a few selections printed as a tick list (§10.3 (2))
        self.part_breaks = form != "kiso" or r.random() < 0.3  # 基礎: parts often run on without a page break
        # columns
        if self.grid == "wide":
            sub = r.choice([3, 4])
            lw = r.choice([16, 18, 20, 22, 24])
            vw = r.choice([28, 32, 36, 40])
            ow = r.choice([16, 18, 20, 24])
            self.widths = [sub, lw, vw, ow]
            self.SUB, self.L, self.V, self.O = (0, 1), (0, 2), (2, 3), (3, 4)
        else:
            n = r.choice([24, 28, 32, 36])
            w = round(r.choice([520, 560, 600, 640]) / CHAR_PT / n, 2)  # the grid prints at 80-100 %
            self.widths = [w] * n
            lend = round(n * r.choice([0.28, 0.3, 0.33]))
            vend = round(n * r.choice([0.62, 0.66, 0.7]))
            self.SUB, self.L, self.V, self.O = (0, 3), (0, lend), (lend, vend), (vend, n)
        self.ncols = len(self.widths)
        self.content_w = sum(self.widths) * CHAR_PT
        lm = self.margins[0] * 72
        printable = A4_W - 2 * lm
        if self.fit == "fitwidth":
            self.scale = min(1.0, math.floor(100 * printable / self.content_w) / 100)
        else:
            self.scale = min(1.0, math.floor(100 * printable / self.content_w * r.choice([0.9, 0.95, 1.0])) / 100)
        top, bottom = self.margins[1] * 72, self.margins[2] * 72
        self.body_h = A4_H - top - bottom - 8

    def pick(self, name: str, options: list, weights=None):
        v = self.steer.pick(self.rng, name, options, weights) if self.steer else self.rng.choices(options, weights)[0]
        self.choices[name] = v
        return v

    def traits(self) -> dict:
        keys = ("grid", "font", "fs", "joined", "opt_pos", "opt_flow", "opt_num", "opt_head", "bracket", "tick",
                "full_digits", "sec_style", "roman", "risk_colon", "check_style", "tick_cell", "komoku_heads",
                "umu_style", "file_list", "stamp", "footer", "sheets", "fit", "scale", "para_rows", "group_cells",
                "range_headers", "nested", "flag_row", "cover_style", "select_as_check", "part_breaks", "slack")
        return {k: ("".join(getattr(self, k)) if k == "bracket" else getattr(self, k)) for k in keys}

    # ------------------------------------------------------------ text formatting
    def digits(self, s: str) -> str:
        return s.translate(FW) if self.full_digits else s

    def roman_n(self, n: int) -> str:
        return (ROMAN if self.roman == "unicode" else ROMAN_ASCII)[n]

    def secnum(self, n: int | None) -> str:
        if n is None:
            return ""
        st = self.sec_style
        if st == "１．":
            return str(n).translate(FW) + "．"
        if st == "1．":
            return f"{n}．"
        if st == "1 ":
            return f"{n} "
        return f"{n}. "

    def label(self, text: str, kome: bool = False) -> str:
        return text + (self.kome if kome else "")

    def bracket_val(self, v: str) -> str:
        ob, cb = self.bracket
        return f"{ob}{self.pad}{v}{self.pad}{cb}" if v else f"{ob}{self.empty_tick}{cb}"

    def box(self, ticked: bool) -> str:
        ob, cb = self.bracket
        return f"{ob}{self.pad}{self.tick}{self.pad}{cb}" if ticked else f"{ob}{self.pad}{self.empty_tick}{self.pad}{cb}"

    def optnum(self, i: int) -> str:
        if self.opt_num == "①":
            return CIRCLED[i - 1] if i <= 10 else f"{i})"
        if self.opt_num == "":
            return ""
        s = self.digits(str(i))
        return f"{s}{self.opt_num[1:]} "

    def options_text(self, options) -> str:
        items = [f"{self.optnum(i)}{o}" for i, o in enumerate(options, 1)]
        if self.opt_flow:
            return self.opt_head + " " + "　".join(items)
        return "\n".join([self.opt_head] + items)

    def count_text(self, n: int | None) -> str:
        return self.count_fmt.format(n=self.digits(str(n)) if n is not None else "\u3000")

    def paren_text(self, t: str) -> str:
        o, c = self.paren
        return f" {o}{t}{c}" if t else f" {o}\u3000{c}"


# ====================================================================== blocks and cells
@dataclass
class Cell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    text: str
    style: str = "value"


@dataclass
class Block:
    heights: list
    cells: list
    marks: list = field(default_factory=list)  # (row, entry)
    breaks: set = field(default_factory=set)  # rows after which a page break is allowed
    keep_next: bool = False
    page_before: bool = False
    sheet: str | None = None  # start a new sheet with this name (multi-sheet layouts)


def char_w(ch: str) -> float:
    o = ord(ch)
    if o < 0x1100 or 0xFF61 <= o <= 0xFF9F:
        return 0.62
    return 1.0


def n_lines(text: str, width_pt: float, fs: float) -> int:
    cap = max((width_pt - 5) / fs * 0.92, 1.5)
    total = 0
    for para in text.split("\n"):
        w, lines = 0.0, 1
        for ch in para:
            cw = char_w(ch)
            if w + cw > cap:
                lines += 1
                w = cw
            else:
                w += cw
        total += lines
    return total


class Sheeter:
    """Turns the document's elements into blocks of rows and cells for one layout."""

    def __init__(self, doc: Doc, lay: LayoutA):
        self.doc = doc
        self.lay = lay
        self.blocks: list[Block] = []
        self.r = random.Random(lay.seed + "/sheeter")

    # ------------------------------------------------------------ geometry
    def width(self, c0: int, c1: int, widths=None) -> float:
        return sum((widths or self.lay.widths)[c0:c1]) * CHAR_PT

    def h(self, text: str, span: tuple[int, int], fs: float | None = None, widths=None) -> float:
        fs = fs or self.lay.fs
        if not text:
            return fs * 1.6 + 4
        return n_lines(text, self.width(*span, widths), fs) * fs * self.lay.line_factor + 5

    def add(self, b: Block):
        self.blocks.append(b)

    def simple_row(self, text: str, style: str, span=None, keep_next=False, page_before=False, fs=None,
                   sheet=None) -> Block:
        span = span or (0, self.lay.ncols)
        fs = fs or (self.lay.fs + (2 if style == "part" else 0.5 if style == "sec" else 0))
        hh = self.h(text, span, fs) + (4 if style == "part" else 0)
        b = Block([hh], [Cell(0, 1, span[0], span[1], text, style)], keep_next=keep_next, page_before=page_before,
                  sheet=sheet)
        self.add(b)
        return b

    # ------------------------------------------------------------ a label with value rows
    def labelled(self, label: str, label_span, rows: list[list[Cell]], heights: list[float], marks=(),
                 style="label", extra_breaks=True) -> Block:
        """Rows of value cells with a label cell merged over all of them on the left."""
        lay = self.lay
        need = self.h(label, label_span)
        total = sum(heights)
        if total < need:
            heights = list(heights)
            heights[-1] += need - total
        cells = [Cell(0, len(heights), label_span[0], label_span[1], label, style)]
        for i, row in enumerate(rows):
            for c in row:
                cells.append(Cell(i, i + 1, c.c0, c.c1, c.text, c.style))
        breaks = set()
        cum = 0.0
        for i, hh in enumerate(heights[:-1]):
            cum += hh
            if cum >= need and extra_breaks:
                breaks.add(i)
        b = Block(list(heights), cells, list(marks), breaks)
        if lay.vcenter_labels:
            cells[0].style = style + "_c"
        return b

    # ------------------------------------------------------------ elements
    def cover(self, c: Cover):
        lay, n = self.lay, self.lay.ncols
        if lay.stamp == "cell":
            side = (n - max(2, n // 3), n) if lay.stamp_side == "right" else (0, max(2, n // 3))
            self.add(Block([self.h(c.stamp, side)], [Cell(0, 1, side[0], side[1], lay.digits(c.stamp), "stamp")]))
        self.add(Block([30], [Cell(0, 1, 0, n, c.title, "title")]))
        self.add(Block([14], []))
        e = c.entry_map
        L, V = (0, lay.V[0]), (lay.V[0], n)
        rows = [("評価書番号", lay.digits(c.no), e.get("no")), ("評価書名", c.name, e.get("name")),
                ("個人のプライバシー等の権利利益の保護の宣言", c.declaration, e.get("declaration")),
                ("特記事項", c.notes, e.get("notes")), ("評価実施機関名", c.org, e.get("org"))]
        if c.approved_label:
            rows.append((c.approved_label, "", e.get("approved")))
        rows.append(("公表日", lay.digits(c.published), e.get("published")))
        if lay.cover_style == "side":
            for lab, val, ent in rows:
                hh = max(self.h(lab, L), self.h(val, V), 22)
                self.add(Block([hh], [Cell(0, 1, *L, lab, "label"), Cell(0, 1, *V, val, "value")],
                               [(0, ent)] if ent else []))
        else:
            # 評価書番号 | 評価書名 side by side, the others stacked (header row above the value row)
            half = (0, max(2, n // 4)), (max(2, n // 4), n)
            self.add(Block([20, max(22, self.h(c.name, half[1]))],
                           [Cell(0, 1, *half[0], "評価書番号", "label"), Cell(0, 1, *half[1], "評価書名", "label"),
                            Cell(1, 2, *half[0], lay.digits(c.no), "center"), Cell(1, 2, *half[1], c.name, "value")],
                           [(1, e["no"]), (1, e["name"])]))
            for lab, val, ent in rows[2:]:
                hv = max(self.h(val, (0, n)), 22) + (30 if lab.startswith("個人のプライバシー") else 0)
                self.add(Block([self.h(lab, (0, n)), hv],
                               [Cell(0, 1, 0, n, lab, "label"), Cell(1, 2, 0, n, val, "value")],
                               [(1, ent)] if ent else []))
        if c.item_list:
            self.simple_row("項目一覧", "part", page_before=True)
            for line in c.item_list:
                self.simple_row(line if lay.roman == "unicode" else self.ascii_roman(line), "plain")

    def ascii_roman(self, s: str) -> str:
        for u, a in zip(ROMAN[1:], ROMAN_ASCII[1:]):
            if s.startswith(u):
                return a + s[len(u):]
        return s

    def part(self, p: Part, sheet_name: str | None):
        lay = self.lay
        title = f"{lay.roman_n(p.numeral)} {p.title}"
        if p.suffix:
            title += f" {p.suffix}"
        fileline = None
        if p.file_no is not None:
            fl = f"{lay.digits(str(p.file_no))}\u3000{p.file_name}"
            if lay.file_head == "paren":
                title += f"（{fl}）"
            else:
                fileline = fl
        brk = lay.part_breaks or p.numeral == 1 or sheet_name is not None
        self.simple_row(title, "part", keep_next=True, page_before=brk, sheet=sheet_name)
        if fileline:
            self.simple_row(fileline, "sec", keep_next=True)

    def sec(self, s: Sec):
        lay = self.lay
        text = lay.secnum(s.number) + lay.label(s.title, s.kome)
        if not s.flags:
            self.simple_row(text, "sec", keep_next=True)
            return
        flags = "　".join(f"{lay.box(f.checked)} {f.label}" for f in s.flags)
        marks = [(0, f.entry) for f in s.flags]
        if lay.flag_row == "same":
            span1, span2 = (0, lay.O[0]), lay.O
            hh = max(self.h(text, span1, lay.fs + 0.5), self.h(flags, span2))
            self.add(Block([hh], [Cell(0, 1, *span1, text, "sec"), Cell(0, 1, *span2, flags, "secflag")], marks,
                           keep_next=True))
        else:
            n = lay.ncols
            self.add(Block([self.h(text, (0, n), lay.fs + 0.5), self.h(flags, lay.V)],
                           [Cell(0, 1, 0, n, text, "sec"), Cell(1, 2, lay.V[0], n, flags, "plain")],
                           [(1, f.entry) for f in s.flags], keep_next=True))

    def risk(self, rk: Risk):
        lay = self.lay
        if rk.number is None:
            text = f"リスク{lay.risk_colon}{rk.title}"
        else:
            num = lay.digits(str(rk.number))
            text = f"リスク{num}{lay.risk_colon}{rk.title}"
        self.simple_row(text, "risk", keep_next=True)

    def group(self, g: Group):
        lay = self.lay
        head = f"{g.prefix}{lay.digits(str(g.number))}"
        if lay.range_headers and g.prefix != "システム" and g.number in (2, 6):
            self.simple_row(f"{g.prefix}{lay.digits(str(g.number))}～{lay.digits(str(g.number + (3 if g.number == 2 else 4)))}",
                            "range", keep_next=True)
        marks = [(0, g.entry)] if g.entry else []
        n = lay.ncols
        if g.name is None:
            self.add(Block([self.h(head, (0, n))], [Cell(0, 1, 0, n, head, "group")], marks, keep_next=True))
        elif lay.group_cells == "two":
            hh = max(self.h(head, lay.L), self.h(g.name, (lay.V[0], n)))
            self.add(Block([hh], [Cell(0, 1, *lay.L, head, "group"), Cell(0, 1, lay.V[0], n, g.name, "group")], marks,
                           keep_next=True))
        else:
            text = f"{head}{lay.group_sep}{g.name}"
            self.add(Block([self.h(text, (0, n))], [Cell(0, 1, 0, n, text, "group")], marks, keep_next=True))

    def after_groups(self, prefix: str, count: int):
        """Empty collapsible headers of the Excel template after the last group (e.g. 提供先6～10)."""
        lay = self.lay
        if not lay.range_headers or prefix == "システム":
            return
        for lo, hi in ((2, 5), (6, 10)):
            if count < lo:
                self.simple_row(f"{prefix}{lay.digits(str(lo))}～{lay.digits(str(hi))}", "range")

    def text_item(self, t: Text, label_span=None, value_span=None, style="label"):
        lay = self.lay
        label = (lay.secnum(t.number) if t.number else "") + lay.label(t.label, t.kome)
        L = label_span or lay.L
        V = value_span or (lay.V[0], lay.ncols)
        marks = [(0, t.entry)] if t.entry else []
        paras = t.value.split("\n") if t.value else [""]
        if lay.para_rows and len(paras) > 1:
            chunks = paras
        else:
            chunks = self.chunk(paras, V)
        if lay.joined and label_span is None and not t.number:
            span = (0, lay.ncols)
            first = label + "\n" + chunks[0]
            rows = [first] + chunks[1:]
            cells = [Cell(i, i + 1, *span, txt, "joined" if i == 0 else "value") for i, txt in enumerate(rows)]
            heights = [self.h(txt, span) for txt in rows]
            self.add(Block(heights, cells, marks, set(range(len(rows) - 1))))
            return
        heights = [self.h(c, V) for c in chunks]
        st = "sec" if t.number else style
        self.add(self.labelled(label, L, [[Cell(0, 1, *V, c, "value")] for c in chunks], heights, marks, style=st))

    def chunk(self, paras: list[str], span) -> list[str]:
        limit = self.lay.body_h / self.lay.scale * 0.3
        chunks, cur = [], []
        for p in paras:
            if cur and self.h("\n".join(cur + [p]), span) > limit:
                chunks.append("\n".join(cur))
                cur = []
            cur.append(p)
        chunks.append("\n".join(cur))
        return chunks

    def date_item(self, d: DateEl, label_span=None):
        t = Text(d.label, self.lay.digits(d.text), d.entry, d.kome)
        self.text_item(t, label_span)

    def select_item(self, s: Select, label_span=None):
        lay = self.lay
        label = (lay.secnum(s.number) if s.number else "") + lay.label(s.label, s.kome)
        L = label_span or lay.L
        marks = [(0, s.entry)] if s.entry else []
        as_check = s.state == "conflict" or (lay.select_as_check and s.state == "ok" and not s.has_count
                                             and self.r.random() < 0.08)
        if as_check:
            ticked = set(s.conflict) if s.state == "conflict" else {s.chosen}
            lines = [f"{lay.box(i in ticked)} {o}" for i, o in enumerate(s.options, 1)]
            V = (lay.V[0], lay.ncols)
            heights = [self.h(ln, V) for ln in lines]
            self.add(self.labelled(label, L, [[Cell(0, 1, *V, ln, "value")] for ln in lines], heights, marks))
            return
        if s.state == "ok":
            v = s.options[s.chosen - 1]
        elif s.state == "not-in-options":
            v = s.raw
        else:
            v = ""
        val = lay.bracket_val(v)
        if s.has_count:
            val += "\u3000" + lay.count_text(s.count)
        opts = lay.options_text(s.options)
        n = lay.ncols
        style = "sec" if s.number else "label"
        if lay.joined and label_span is None:
            span = (0, lay.O[0])
            txt = label + "\n" + val
            hh = max(self.h(txt, span), self.h(opts, lay.O))
            self.add(Block([hh], [Cell(0, 1, *span, txt, "joined"), Cell(0, 1, *lay.O, opts, "opt")], marks))
        elif lay.opt_pos == "right":
            hh = max(self.h(val, lay.V), self.h(opts, lay.O))
            self.add(self.labelled(label, L, [[Cell(0, 1, *lay.V, val, "value"), Cell(0, 1, *lay.O, opts, "opt")]],
                                   [hh], marks, style=style))
        elif lay.opt_pos == "inline":
            V = (lay.V[0], n)
            txt = val + ("\u3000" + opts if lay.opt_flow else "\n" + opts)
            self.add(self.labelled(label, L, [[Cell(0, 1, *V, txt, "value")]], [self.h(txt, V)], marks, style=style))
        else:  # below: the value row, then the option list under its header
            V = (lay.V[0], n)
            rows = [[Cell(0, 1, *V, val, "value")], [Cell(0, 1, *V, opts, "opt")]]
            self.add(self.labelled(label, L, rows, [self.h(val, V), self.h(opts, V)], marks, style=style))

    def check_item(self, c: Check, label_span=None):
        lay = self.lay
        label = lay.label(c.label, c.kome)
        L = label_span or lay.L
        marks = [(0, c.entry)] if c.entry else []
        n = lay.ncols
        V = (lay.V[0], n)
        umu_sep = c.list_id == "C-UMU" and lay.umu_style == "separate"

        def opt_line(o: str) -> tuple[str, str]:
            box = lay.box(o in c.checked)
            txt = o
            if o in c.paren:
                txt += lay.paren_text(c.paren[o])
            if c.list_id == "C-UMU" and o != "行っていない" and not umu_sep:
                txt += " " + lay.count_text(c.counts.get(o))
            return box, txt

        lines = []
        for i, o in enumerate(c.options):
            if c.list_id == "C-KOMOKU" and lay.komoku_heads and i in KOMOKU_HEADINGS:
                lines.append((None, KOMOKU_HEADINGS[i]))
            lines.append(opt_line(o))
        style = lay.check_style
        if style in ("cell", "flow") or (c.list_id == "C-UMU" and style == "rows2"):
            sep = "\n" if style == "cell" or c.list_id == "C-UMU" else "　"
            txt = sep.join(t if b is None else f"{b} {t}" for b, t in lines)
            rows, heights = [[Cell(0, 1, *V, txt, "value")]], [self.h(txt, V)]
        elif style == "rows2" and not lay.tick_cell:
            items = [f"{b} {t}" if b else t for b, t in lines]
            rows, heights = [], []
            mid = lay.O[0]
            for i in range(0, len(items), 2):
                a = items[i]
                bb = items[i + 1] if i + 1 < len(items) else ""
                rows.append([Cell(0, 1, V[0], mid, a, "value"), Cell(0, 1, mid, n, bb, "value")])
                heights.append(max(self.h(a, (V[0], mid)), self.h(bb, (mid, n))))
        else:
            rows, heights = [], []
            for b, t in lines:
                if b is None:
                    rows.append([Cell(0, 1, *V, t, "plain")])
                    heights.append(self.h(t, V))
                elif lay.tick_cell:
                    tc = (V[0], V[0] + 3)
                    rows.append([Cell(0, 1, *tc, b, "center"), Cell(0, 1, tc[1], n, t, "value")])
                    heights.append(self.h(t, (tc[1], n)))
                else:
                    txt = f"{b} {t}"
                    rows.append([Cell(0, 1, *V, txt, "value")])
                    heights.append(self.h(txt, V))
        self.add(self.labelled(label, L, rows, heights, marks))
        if umu_sep:
            for o, word in (("提供を行っている", "提供件数"), ("移転を行っている", "移転件数")):
                cnt = c.counts.get(o)
                txt = f"{lay.digits(str(cnt))} 件" if cnt else "―"
                self.add(self.labelled(word, L, [[Cell(0, 1, *V, txt, "value")]], [self.h(txt, V)]))

    def sub_item(self, s: Sub):
        lay = self.lay
        if not lay.nested:
            self.simple_row(s.label, "risk" if s.label == "再委託" else "labelrow", keep_next=True)
            for it in s.items:
                self.item(it)
            return
        # a vertical label column: the sub label merged over the child items' rows
        first = len(self.blocks)
        child_span = (lay.SUB[1], lay.L[1])
        for it in s.items:
            self.item(it, label_span=child_span)
        kids = self.blocks[first:]
        del self.blocks[first:]
        heights, cells, marks = [], [], []
        breaks = set()
        for kb in kids:
            off = len(heights)
            heights.extend(kb.heights)
            for c in kb.cells:
                cells.append(Cell(c.r0 + off, c.r1 + off, c.c0, c.c1, c.text, c.style))
            marks.extend((r0 + off, e) for r0, e in kb.marks)
            breaks |= {x + off for x in kb.breaks}
            breaks.add(off + len(kb.heights) - 1)
        breaks.discard(len(heights) - 1)
        lab = "\n".join(s.label) if s.label == "再委託" else s.label
        need = self.h(lab, lay.SUB)
        cum = 0.0
        for i in range(len(heights)):
            cum += heights[i]
            if cum < need:
                breaks.discard(i)
        if sum(heights) < need:
            heights[-1] += need - sum(heights)
        cells.insert(0, Cell(0, len(heights), *lay.SUB, lab, "label_c"))
        self.add(Block(heights, cells, marks, breaks))

    def file_list(self, f: FileList):
        lay = self.lay
        label = lay.secnum(f.number) + f.title
        V = (lay.V[0], lay.ncols)
        names = [f"{lay.digits(str(i))}\u3000{nm}" if len(f.names) > 1 or lay.file_list != "rows" else nm
                 for i, nm in enumerate(f.names, 1)]
        if lay.file_list == "numbered_flow":
            txt = " ".join(f"{lay.digits(str(i))} {nm}" for i, nm in enumerate(f.names, 1)) if len(f.names) > 1 \
                else f.names[0]
            rows, heights = [[Cell(0, 1, *V, txt, "value")]], [self.h(txt, V)]
        elif lay.file_list == "numbered_cell":
            txt = "\n".join(names)
            rows, heights = [[Cell(0, 1, *V, txt, "value")]], [self.h(txt, V)]
        else:
            rows = [[Cell(0, 1, *V, nm, "value")] for nm in names]
            heights = [self.h(nm, V) for nm in names]
        self.add(self.labelled(label, lay.L, rows, heights, style="sec"))

    def note(self, nt: Note):
        lay = self.lay
        n = lay.ncols
        self.add(Block([self.h(nt.text, (0, n))], [Cell(0, 1, 0, n, nt.text, "labelrow")]))

    def annex(self, a: Annex, sheet):
        self.simple_row(a.title, "part", page_before=True, keep_next=True, sheet=sheet)
        for line in a.lines:
            self.simple_row(line, "plain")

    def item(self, el, label_span=None):
        if isinstance(el, Text):
            self.text_item(el, label_span)
        elif isinstance(el, Select):
            self.select_item(el, label_span)
        elif isinstance(el, Check):
            self.check_item(el, label_span)
        elif isinstance(el, DateEl):
            self.date_item(el, label_span)
        else:
            raise TypeError(el)

    # ------------------------------------------------------------ the whole document
    def build(self):
        lay = self.lay
        els = self.doc.elements
        group_counts: dict = {}
        multi = lay.sheets == "multi"
        if lay.stamp == "title_row":
            pass  # printed through the print-title row of every sheet
        for i, el in enumerate(els):
            nxt = els[i + 1] if i + 1 < len(els) else None
            if isinstance(el, Cover):
                self.cover(el)
            elif isinstance(el, Part):
                name = None
                if multi:
                    name = f"{lay.roman_n(el.numeral)}" + (f"({el.file_no})" if el.file_no else "")
                self.part(el, name)
            elif isinstance(el, Annex):
                self.annex(el, "別添" if multi else None)
            elif isinstance(el, Sec):
                self.sec(el)
            elif isinstance(el, Risk):
                self.risk(el)
            elif isinstance(el, Group):
                group_counts[el.prefix] = el.number
                self.group(el)
            elif isinstance(el, Sub):
                self.sub_item(el)
            elif isinstance(el, FileList):
                self.file_list(el)
            elif isinstance(el, Note):
                self.note(el)
            elif isinstance(el, Changes):
                self.changes = el
            else:
                self.item(el)
            # after the last item of a group run: the template's empty collapsible headers
            if isinstance(nxt, (Sec, Part, Group)) or nxt is None:
                for prefix, cnt in list(group_counts.items()):
                    if not (isinstance(nxt, Group) and nxt.prefix == prefix):
                        self.after_groups(prefix, cnt)
                        del group_counts[prefix]


# ====================================================================== pagination and writing
def paginate(blocks: list[Block], cap: float) -> list[list[tuple[Block, int, int]]]:
    """Greedy pages of (block, first row, end row); breaks inside a block only at its allowed rows."""
    pages: list[list] = [[]]
    used = 0.0

    def new_page():
        nonlocal used
        if pages[-1]:
            pages.append([])
        used = 0.0

    for bi, b in enumerate(blocks):
        if b.page_before:
            new_page()
        total = sum(b.heights)
        nxt_first = 0.0
        if b.keep_next:
            j = bi + 1
            look = 0.0
            while j < len(blocks) and blocks[j].keep_next:
                look += sum(blocks[j].heights)
                j += 1
            if j < len(blocks):
                look += blocks[j].heights[0]
            nxt_first = look
        if used + total + nxt_first <= cap:
            pages[-1].append((b, 0, len(b.heights)))
            used += total
            continue
        if not b.breaks:
            if used > 0:
                new_page()
            pages[-1].append((b, 0, len(b.heights)))
            used += total
            continue
        # break inside the block
        i = 0
        while i < len(b.heights):
            acc, last_ok = 0.0, None
            for j in range(i, len(b.heights)):
                acc += b.heights[j]
                if used + acc > cap:
                    break
                if j in b.breaks or j == len(b.heights) - 1:
                    last_ok = j
            if last_ok is None:
                if used > 0:
                    new_page()
                    continue
                # nothing fits even on an empty page: place up to the next allowed break anyway
                last_ok = next((j for j in range(i, len(b.heights)) if j in b.breaks), len(b.heights) - 1)
            pages[-1].append((b, i, last_ok + 1))
            used += sum(b.heights[i:last_ok + 1])
            i = last_ok + 1
            if i < len(b.heights):
                new_page()
    if not pages[-1]:
        pages.pop()
    return pages


SIDE = {"thin": Side(style="thin"), "hair": Side(style="hair")}


class Writer:
    def __init__(self, lay: LayoutA):
        self.lay = lay
        s = SIDE[lay.border]
        self.border = Border(left=s, right=s, top=s, bottom=s)
        self.fonts = {}

    def font(self, size: float, bold=False) -> Font:
        k = (size, bold)
        if k not in self.fonts:
            self.fonts[k] = Font(name=self.lay.font, size=size, bold=bold)
        return self.fonts[k]

    def style(self, cell, style: str):
        lay = self.lay
        fs = lay.fs
        wrap = True
        fill = None
        bold = False
        h_al, v_al = "left", "top"
        border = True
        if style == "title":
            fs, bold, h_al, v_al, border = fs + 5, True, "center", "center", False
        elif style == "stamp":
            h_al = "right" if lay.stamp_side == "right" else "left"
            border = False
        elif style == "part":
            fs, bold, fill, v_al = fs + 2, True, lay.head_fill, "center"
        elif style.startswith(("sec", "range")):
            fs, fill, v_al = fs + 0.5, lay.head_fill if style != "secflag" else None, "center"
            bold = style.startswith("sec") and style != "secflag"
        elif style in ("risk", "group", "labelrow"):
            fill = lay.label_fill or "EDEDED"
        elif style.startswith("label") or style == "joined":
            fill = lay.label_fill if style != "joined" else None
            if style.endswith("_c"):
                v_al = "center"
        elif style == "center":
            h_al, v_al = "center", "top"
        elif style == "plain":
            border = True
        if style.endswith("_c"):
            v_al = "center"
        cell.font = self.font(fs, bold)
        cell.alignment = Alignment(horizontal=h_al, vertical=v_al, wrap_text=wrap)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if border:
            cell.border = self.border

    def sheet_setup(self, ws, stamp: str, n_title_rows: int, widths):
        lay = self.lay
        from openpyxl.utils import get_column_letter
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        lm, tm, bm = lay.margins
        ws.page_margins.left = ws.page_margins.right = lm
        ws.page_margins.top, ws.page_margins.bottom = tm, bm
        ws.page_margins.header = ws.page_margins.footer = 0.3
        if lay.fit == "fitwidth":
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        else:
            ws.page_setup.scale = int(round(lay.scale * 100))
        if lay.stamp == "header":
            hdr = ws.oddHeader.right if lay.stamp_side == "right" else ws.oddHeader.left
            hdr.text = stamp
            hdr.size = 9
            hdr.font = f"{lay.font},標準"
        if lay.footer:
            ws.oddFooter.center.text = lay.footer
            ws.oddFooter.center.size = 9
            ws.oddFooter.center.font = f"{lay.font},標準"
        if n_title_rows:
            ws.print_title_rows = f"1:{n_title_rows}"
        ws.sheet_view.showGridLines = False


def render_workbook(doc: Doc, lay: LayoutA, xlsx_path) -> int:
    """Writes the workbook; returns the predicted number of pages (entries get their pages)."""
    sh = Sheeter(doc, lay)
    sh.build()
    wb = openpyxl.Workbook()
    wb.properties.title = doc.title
    wb.properties.creator = doc.office
    wr = Writer(lay)
    stamp = f"[{doc.revision}]"
    # split the blocks into sheets
    sheets: list[tuple[str, list[Block]]] = []
    for b in sh.blocks:
        if not sheets or (b.sheet and sheets[-1][1]):
            sheets.append((b.sheet or "評価書", []))
        sheets[-1][1].append(b)
    if lay.sheets == "multi":
        sheets[0] = ("表紙", sheets[0][1])
    page = 0
    first = True
    used_names = set()
    for name, blocks in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        nm = name
        k = 2
        while nm in used_names:
            nm = f"{name}_{k}"
            k += 1
        used_names.add(nm)
        ws.title = nm
        page = write_sheet(ws, wr, blocks, lay, lay.widths, page, stamp)
    if getattr(sh, "changes", None) is not None:
        ws = wb.create_sheet("変更箇所")
        page = write_changes(ws, wr, sh.changes, lay, page, stamp, doc)
    wb.save(xlsx_path)
    return page


def title_row_block(lay: LayoutA, stamp: str, ncols: int) -> Block:
    side = (ncols - max(2, ncols // 3), ncols) if lay.stamp_side == "right" else (0, max(2, ncols // 3))
    return Block([lay.fs * 1.6 + 4], [Cell(0, 1, side[0], side[1], lay.digits(stamp), "stamp")])


def write_sheet(ws, wr: Writer, blocks: list[Block], lay: LayoutA, widths, page0: int, stamp: str) -> int:
    n_title = 0
    title_h = 0.0
    if lay.stamp == "title_row":
        tb = title_row_block(lay, stamp, len(widths))
        blocks = [tb] + blocks
        n_title = 1
        title_h = sum(tb.heights)
    cap = lay.body_h / lay.scale * lay.slack - title_h
    pages = paginate(blocks[n_title:], cap)
    if n_title:
        pages[0].insert(0, (blocks[0], 0, 1))
    wr.sheet_setup(ws, stamp, n_title, widths)
    row = 1
    for pi, pg in enumerate(pages):
        for b, i0, i1 in pg:
            base = row - i0
            for k in range(i0, i1):
                ws.row_dimensions[row + k - i0].height = round(b.heights[k], 1)
            for c in b.cells:
                a, z = max(c.r0, i0), min(c.r1, i1)
                if a >= z:
                    continue
                text = c.text if a == c.r0 else ""
                write_cell(ws, wr, base + a, base + z - 1, c.c0 + 1, c.c1, text, c.style)
            for r0, e in b.marks:
                if i0 <= r0 < i1 and e is not None:
                    e["page"] = page0 + pi + 1
            row += i1 - i0
        if pi < len(pages) - 1:
            ws.row_breaks.append(Break(id=row - 1))
    from openpyxl.utils import get_column_letter
    ws.print_area = f"A1:{get_column_letter(len(widths))}{row - 1}"
    return page0 + len(pages)


def write_cell(ws, wr: Writer, r0: int, r1: int, c0: int, c1: int, text: str, style: str):
    cell = ws.cell(r0, c0)
    if text:
        cell.value = text
    for rr in range(r0, r1 + 1):
        for cc in range(c0, c1 + 1):
            wr.style(ws.cell(rr, cc), style)
    if r1 > r0 or c1 > c0:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def write_changes(ws, wr: Writer, ch: Changes, lay: LayoutA, page0: int, stamp: str, doc: Doc) -> int:
    r = random.Random(lay.seed + "/changes")
    widths = [9, 24, 18, 18, 6, 16] if r.random() < 0.5 else [10, 22, 19, 19, 6, 14]
    total = sum(widths) * CHAR_PT
    heads = ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"]
    sh = Sheeter(doc, lay)
    blocks = [Block([lay.fs * 2 + 8], [Cell(0, 1, 0, 6, ch.title, "part")])]
    hb = Block([max(sh.h(h, (i, i + 1), widths=widths) for i, h in enumerate(heads))],
               [Cell(0, 1, i, i + 1, h, "label") for i, h in enumerate(heads)])
    for row in ch.rows:
        vals = [lay.digits(row[0])] + list(row[1:])
        hh = max(sh.h(v, (i, i + 1), widths=widths) for i, v in enumerate(vals))
        blocks.append(Block([hh], [Cell(0, 1, i, i + 1, v, "value") for i, v in enumerate(vals)]))
    if not ch.rows:
        blocks.append(Block([20], [Cell(0, 1, 0, 6, "", "value")]))
    # the header row repeats on every page (print titles)
    saved = (lay.stamp, lay.widths, lay.scale)
    lm = lay.margins[0] * 72
    sc = min(1.0, math.floor(100 * (A4_W - 2 * lm) / total) / 100)
    lay.scale = sc if lay.fit == "fitwidth" else min(sc, saved[2])
    cap = lay.body_h / lay.scale * lay.slack - hb.heights[0]
    pages = paginate(blocks, cap)
    wr.sheet_setup(ws, stamp, 0, widths)
    if lay.fit != "fitwidth":
        ws.page_setup.scale = int(round(lay.scale * 100))
    ws.print_title_rows = "2:2"
    # row 1 = title, row 2 = header (repeated), then data
    row = 1
    pages[0].insert(1, (hb, 0, 1))
    for pi, pg in enumerate(pages):
        for b, i0, i1 in pg:
            for k in range(i0, i1):
                ws.row_dimensions[row + k - i0].height = round(b.heights[k], 1)
            for c in b.cells:
                write_cell(ws, wr, row, row, c.c0 + 1, c.c1, c.text, c.style)
            row += i1 - i0
        if pi < len(pages) - 1:
            ws.row_breaks.append(Break(id=row - 1))
    from openpyxl.utils import get_column_letter
    ws.print_area = f"A1:{get_column_letter(6)}{row - 1}"
    lay.stamp, lay.widths, lay.scale = saved
    return page0 + len(pages)
