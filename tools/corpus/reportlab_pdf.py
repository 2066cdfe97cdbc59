"""Renderer B: reportlab canvas drawing with a NON-embedded CID font (HeiseiKakuGo-W5 / HeiseiMin-W3).

Unrelated to renderer A: its own line-flow engine, its own table drawing and its own layout randomizer.
Items are laid out as lines; a page break may fall between any two lines of an item (a bordered cell is
closed at the page foot and reopened on the next page). Layout styles, drawn per document (and for some
documents per part):

  table   label column on the left, value on the right, option list in a third column or under the value;
          ruled as a full grid, with horizontal rules only, or with no rules at all
  stack   the label on its own line, the value on the line(s) below it, indented; a rule between items or none

Other varying traits: option numbering, bracket and tick characters (not ✓: the Adobe-Japan1 UCS-2 CMap of
the CID font does not map it), half/full-width digits, heading decoration (shaded bar, underline, ■),
checkbox lists one per line / flowing / two columns, the version stamp on every page or on page 1 only,
page numbers "- n -", "n / N" or none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

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

GOTHIC, MINCHO = "HeiseiKakuGo-W5", "HeiseiMin-W3"
_registered = False
FWD = str.maketrans("0123456789", "０１２３４５６７８９")
NO_LINE_START = set("、。，．）」』】］〕：；？！ー々ゃゅょっャュョッ")


def register_fonts():
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(GOTHIC))
        pdfmetrics.registerFont(UnicodeCIDFont(MINCHO))
        _registered = True


# ====================================================================== layout randomizer (B)

class LayoutB:
    def __init__(self, seed: str, steer: Steer | None = None):
        r = self.rng = random.Random(seed)
        self.seed = seed
        self.steer = steer
        self.choices: dict = {}
        self.mode = self.pick("mode", ["table", "table", "stack", "mixed"])
        self.body_font = self.pick("body_font", [GOTHIC, MINCHO, GOTHIC])
        self.head_font = GOTHIC
        self.fs = r.choice([8.5, 9, 9, 9.5, 10])
        self.lead = self.fs * r.choice([1.3, 1.4, 1.5])
        self.margin_x = r.choice([40, 45, 50, 56])
        self.margin_top = r.choice([50, 56, 62])
        self.margin_bottom = r.choice([45, 50, 56])
        self.label_frac = r.choice([0.3, 0.33, 0.36, 0.4])
        self.opt_frac = r.choice([0.26, 0.3, 0.33])
        self.rules = self.pick("rules", ["grid", "grid", "hlines", "none"])
        self.opt_place = self.pick("opt_place", ["right", "right", "below", "same_line"])
        self.opt_num = self.pick("opt_num", ["1)", "1）", "①", ""])
        self.opt_head = self.pick("opt_head", ["<選択肢>", "＜選択肢＞"])
        self.bracket = self.pick("bracket", [("[", "]"), ("[", "]"), ("［", "］"), ("【", "】")])
        self.pad = self.pick("pad", [" ", "  ", "　"])
        self.tick = self.pick("tick", ["○", "〇", "◯", "●", "レ"])
        self.full_digits = self.pick("full_digits", [True, False], (0.3, 0.7))
        self.sec_style = self.pick("sec_style", ["1.", "１．", "1．", "(1)"])
        self.roman = self.pick("roman", ["unicode", "ascii"])
        self.colon = self.pick("colon", [": ", "：　", "："])
        self.kome = self.pick("kome", ["　※", " ※", "※"])
        self.heading = self.pick("heading", ["shade", "underline", "square"])
        self.check_layout = self.pick("check_layout", ["one", "flow", "two"])
        self.komoku_heads = self.pick("komoku_heads", [True, False], (0.5, 0.5))
        self.paren = self.pick("paren", [("（", "）"), ("( ", " )"), ("（ ", " ）")])
        self.count_fmt = self.pick("count_fmt", ["（ {n} ） 件", "( {n} ) 件", "（{n}）件"])
        self.umu_style = self.pick("umu_style", ["combined", "separate"])
        self.file_list = self.pick("file_list", ["lines", "one_line"])
        self.stamp_every_page = self.pick("stamp_every_page", [True, False], (0.6, 0.4))
        self.stamp_pos = self.pick("stamp_pos", ["top_right", "top_right", "top_left", "bottom_left"])
        self.page_no = self.pick("page_no", ["- {n} -", "{n} / {N}", "{n}", None])
        self.indent = r.choice([1.5, 2, 3]) * self.fs
        self.stack_rule = self.pick("stack_rule", [True, False], (0.5, 0.5))
        self.group_style = self.pick("group_style", ["bar", "plain"])
        self.label_bold = self.pick("label_bold", [True, False], (0.5, 0.5))
        self.nested = self.pick("nested", [True, False], (0.5, 0.5))
        self.cover_boxes = self.pick("cover_boxes", [True, False], (0.7, 0.3))
        self.part_new_page = self.pick("part_new_page", [True, False], (0.8, 0.2))
        self.select_as_check = self.pick("select_as_check", [True, False], (0.15, 0.85))
        self.W, self.H = A4
        self.x0, self.x1 = self.margin_x, self.W - self.margin_x
        self.y_top, self.y_bottom = self.H - self.margin_top, self.margin_bottom

    def pick(self, name: str, options: list, weights=None):
        v = self.steer.pick(self.rng, name, options, weights) if self.steer else self.rng.choices(options, weights)[0]
        self.choices[name] = v
        return v

    def traits(self) -> dict:
        keys = ("mode", "body_font", "fs", "label_frac", "rules", "opt_place", "opt_num", "opt_head", "bracket", "tick",
                "full_digits", "sec_style", "roman", "colon", "heading", "check_layout", "komoku_heads", "umu_style",
                "file_list", "stamp_every_page", "stamp_pos", "page_no", "stack_rule", "group_style", "nested", "cover_boxes",
                "part_new_page", "select_as_check")
        return {k: ("".join(getattr(self, k)) if k == "bracket" else getattr(self, k)) for k in keys}

    def digits(self, s: str) -> str:
        return s.translate(FWD) if self.full_digits else s

    def roman_n(self, n: int) -> str:
        return ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ"][n] if self.roman == "unicode" else \
            ["", "I", "II", "III", "IV", "V", "VI"][n]

    def secnum(self, n: int | None) -> str:
        if n is None:
            return ""
        return {"1.": f"{n}. ", "１．": str(n).translate(FWD) + "．", "1．": f"{n}．", "(1)": f"({n}) "}[self.sec_style]

    def lab(self, text: str, kome: bool) -> str:
        return text + (self.kome if kome else "")

    def box(self, ticked: bool) -> str:
        ob, cb = self.bracket
        return f"{ob}{self.pad}{self.tick if ticked else '　'}{self.pad}{cb}"

    def bracket_val(self, v: str) -> str:
        ob, cb = self.bracket
        return f"{ob}{self.pad}{v}{self.pad}{cb}" if v else f"{ob}{self.pad}　{self.pad}{cb}"

    def optnum(self, i: int) -> str:
        if self.opt_num == "①":
            return "①②③④⑤⑥⑦⑧⑨⑩"[i - 1] + " "
        if not self.opt_num:
            return ""
        return f"{self.digits(str(i))}{self.opt_num[1:]} "

    def count(self, n) -> str:
        return self.count_fmt.format(n=self.digits(str(n)) if n is not None else "　")


# ====================================================================== lines and items
@dataclass
class Line:
    h: float
    texts: list = field(default_factory=list)  # (x, text, font, size)
    shade: tuple | None = None  # (x0, x1, gray) background of this line
    rule_below: tuple | None = None  # (x0, x1)


@dataclass
class Item:
    lines: list
    marks: list = field(default_factory=list)  # (line index, entry)
    box: list | None = None  # x positions of vertical rules for a bordered item (outer + separators)
    hrules: bool = False  # a rule above and below (the 'hlines' style)
    keep: bool = False  # never split
    keep_next: bool = False
    new_page: bool = False


class Flow:
    def __init__(self, doc: Doc, lay: LayoutB):
        self.doc = doc
        self.lay = lay
        self.items: list[Item] = []
        self.mode = lay.mode
        self.r = random.Random(lay.seed + "/flow")

    # ------------------------------------------------------------ text wrapping
    def wrap(self, text: str, width: float, font=None, size=None) -> list[str]:
        font = font or self.lay.body_font
        size = size or self.lay.fs
        out = []
        for para in (text or "").split("\n"):
            cur = ""
            for ch in para:
                if cur and pdfmetrics.stringWidth(cur + ch, font, size) > width and ch not in NO_LINE_START:
                    out.append(cur)
                    cur = ch
                else:
                    cur += ch
            out.append(cur)
        return out

    # ------------------------------------------------------------ builders
    def cols(self):
        lay = self.lay
        w = lay.x1 - lay.x0
        lx = lay.x0
        vx = lay.x0 + w * lay.label_frac
        ox = lay.x1 - w * lay.opt_frac
        return lx, vx, ox, lay.x1

    def table_item(self, label: str, value_lines: list[str], opt_lines: list[str] | None, entry=None,
                   label_font=None, value_at: int = 0, label_x0=None, vfont=None) -> Item:
        """Label | value (| options) as a bordered (or ruled, or plain) table row."""
        lay = self.lay
        lx, vx, ox, rx = self.cols()
        if label_x0 is not None:
            lx = label_x0
        pad = 3
        lf = label_font or (lay.head_font if lay.label_bold else lay.body_font)
        llines = self.wrap(label, vx - lx - 2 * pad, lf)
        right = ox if opt_lines is not None else rx
        vlines = []
        for v in value_lines:
            vlines.extend(self.wrap(v, right - vx - 2 * pad, vfont))
        olines = []
        for o in opt_lines or []:
            olines.extend(self.wrap(o, rx - ox - 2 * pad))
        n = max(len(llines), len(vlines), len(olines), 1)
        lines = [Line(2)]
        for i in range(n):
            ln = Line(lay.lead)
            if i < len(llines):
                ln.texts.append((lx + pad, llines[i], lf, lay.fs))
            if i < len(vlines):
                ln.texts.append((vx + pad, vlines[i], vfont or lay.body_font, lay.fs))
            if i < len(olines):
                ln.texts.append((ox + pad, olines[i], lay.body_font, lay.fs * 0.92))
            lines.append(ln)
        lines.append(Line(2))
        it = Item(lines, [(1 + value_at, entry)] if entry else [])
        if self.mode_now() == "table":
            if self.cur_rules == "grid":
                it.box = [lx, vx] + ([ox] if opt_lines is not None else []) + [rx]
            elif self.cur_rules == "hlines":
                it.hrules = True
        return it

    def stack_item(self, label: str, value_lines: list[str], opt_lines: list[str] | None, entry=None,
                   label_font=None, vfont=None) -> Item:
        lay = self.lay
        lf = label_font or lay.head_font
        x = lay.x0
        lines = [Line(lay.lead, [(x, t, lf, lay.fs)]) for t in self.wrap(label, lay.x1 - x, lf)]
        vx = x + lay.indent
        value_start = len(lines)
        if opt_lines is not None and lay.opt_place == "right" and len(value_lines) == 1:
            ox = lay.x1 - (lay.x1 - lay.x0) * lay.opt_frac
            vl = self.wrap(value_lines[0], ox - vx - 4, vfont)
            ol = []
            for o in opt_lines:
                ol.extend(self.wrap(o, lay.x1 - ox))
            for i in range(max(len(vl), len(ol))):
                ln = Line(lay.lead)
                if i < len(vl):
                    ln.texts.append((vx, vl[i], vfont or lay.body_font, lay.fs))
                if i < len(ol):
                    ln.texts.append((ox, ol[i], lay.body_font, lay.fs * 0.92))
                lines.append(ln)
        else:
            for v in value_lines:
                for t in self.wrap(v, lay.x1 - vx, vfont):
                    lines.append(Line(lay.lead, [(vx, t, vfont or lay.body_font, lay.fs)]))
            for o in opt_lines or []:
                for t in self.wrap(o, lay.x1 - vx - lay.indent):
                    lines.append(Line(lay.lead * 0.95, [(vx + lay.indent, t, lay.body_font, lay.fs * 0.92)]))
        lines.append(Line(lay.lead * 0.4, rule_below=(lay.x0, lay.x1) if lay.stack_rule else None))
        return Item(lines, [(value_start, entry)] if entry else [])

    def mode_now(self) -> str:
        return self.cur_mode

    def item(self, label, value_lines, opt_lines=None, entry=None, label_font=None, vfont=None, label_x0=None):
        if self.mode_now() == "stack":
            it = self.stack_item(label, value_lines, opt_lines, entry, label_font, vfont)
        else:
            it = self.table_item(label, value_lines, opt_lines, entry, label_font, label_x0=label_x0, vfont=vfont)
        self.items.append(it)
        return it

    def heading(self, text: str, level: int, new_page=False, keep_next=True, entries=()):
        lay = self.lay
        size = lay.fs + {0: 2.5, 1: 1, 2: 0.5, 3: 0}[level]
        lines = [Line(3)]
        for t in self.wrap(text, lay.x1 - lay.x0 - 8, lay.head_font, size):
            ln = Line(size * 1.5, [(lay.x0 + 3, t, lay.head_font, size)])
            if lay.heading == "shade" or level == 0:
                ln.shade = (lay.x0, lay.x1, 0.85 if level <= 1 else 0.92)
            lines.append(ln)
        last = Line(3)
        if lay.heading == "underline" and level <= 2:
            last.rule_below = (lay.x0, lay.x1)
        lines.append(last)
        it = Item(lines, [(1, e) for e in entries], keep=True, keep_next=keep_next, new_page=new_page)
        if lay.heading == "square" and level >= 1:
            x, t, f, s = lines[1].texts[0]
            lines[1].texts[0] = (x, "■" + t if level == 1 else "□" + t, f, s)
        self.items.append(it)
        return it

    # ------------------------------------------------------------ elements
    def cover(self, c: Cover):
        lay = self.lay
        W = lay.x1 - lay.x0
        title_size = lay.fs + 6
        tw = pdfmetrics.stringWidth(c.title, lay.head_font, title_size)
        self.items.append(Item([Line(30), Line(title_size * 2, [((lay.W - tw) / 2, c.title, lay.head_font, title_size)]),
                                Line(18)], keep=True))
        e = c.entry_map
        rows = [("評価書番号", lay.digits(c.no), e.get("no")), ("評価書名", c.name, e.get("name")),
                ("個人のプライバシー等の権利利益の保護の宣言", c.declaration, e.get("declaration")),
                ("特記事項", c.notes, e.get("notes")), ("評価実施機関名", c.org, e.get("org"))]
        if c.approved_label:
            rows.append((c.approved_label, "", e.get("approved")))
        rows.append(("公表日", lay.digits(c.published), e.get("published")))
        for lab, val, ent in rows:
            lines = [Line(2), Line(lay.lead, [(lay.x0 + 3, lab, lay.head_font, lay.fs)],
                                   shade=(lay.x0, lay.x1, 0.9) if lay.cover_boxes else None)]
            for t in self.wrap(val, W - 12):
                lines.append(Line(lay.lead, [(lay.x0 + 8, t, lay.body_font, lay.fs)]))
            if not val:
                lines.append(Line(lay.lead))
            lines.append(Line(6))
            it = Item(lines, [(2, ent)] if ent else [], keep=True)
            if lay.cover_boxes:
                it.box = [lay.x0, lay.x1]
            self.items.append(it)
        if c.item_list:
            self.heading("項目一覧", 1, new_page=True)
            for t in c.item_list:
                t2 = t if lay.roman == "unicode" else t.replace("Ⅰ", "I").replace("Ⅱ", "II").replace("Ⅲ", "III") \
                    .replace("Ⅳ", "IV").replace("Ⅴ", "V").replace("Ⅵ", "VI")
                self.items.append(Item([Line(lay.lead, [(lay.x0 + 20, t2, lay.body_font, lay.fs)])]))

    def select_lines(self, s: Select) -> tuple[list[str], list[str] | None]:
        lay = self.lay
        if s.state == "conflict" or (lay.select_as_check and s.state == "ok" and not s.has_count
                                     and self.r.random() < 0.1):
            ticked = set(s.conflict) if s.state == "conflict" else {s.chosen}
            return [f"{lay.box(i in ticked)} {o}" for i, o in enumerate(s.options, 1)], None
        v = s.options[s.chosen - 1] if s.state == "ok" else (s.raw if s.state == "not-in-options" else "")
        val = lay.bracket_val(v)
        if s.has_count:
            val += "　" + lay.count(s.count)
        opts = [f"{lay.optnum(i)}{o}" for i, o in enumerate(s.options, 1)]
        if lay.opt_place == "same_line":
            return [val + "　" + lay.opt_head + " " + "　".join(opts)], None
        if lay.opt_place == "below" or self.mode_now() == "stack" and lay.opt_place != "right":
            return [val, lay.opt_head] + opts, None
        return [val], [lay.opt_head] + opts

    def check_lines(self, c: Check) -> list[str]:
        lay = self.lay
        umu_sep = c.list_id == "C-UMU" and lay.umu_style == "separate"
        items = []
        for i, o in enumerate(c.options):
            if c.list_id == "C-KOMOKU" and lay.komoku_heads and i in KOMOKU_HEADINGS:
                items.append(("head", KOMOKU_HEADINGS[i]))
            t = f"{lay.box(o in c.checked)} {o}"
            if o in c.paren:
                po, pc = lay.paren
                t += f" {po}{c.paren[o] or '　'}{pc}"
            if c.list_id == "C-UMU" and o != "行っていない" and not umu_sep:
                t += " " + lay.count(c.counts.get(o))
            items.append(("opt", t))
        style = lay.check_layout
        if style == "one" or c.list_id == "C-UMU":
            return [t for _, t in items]
        if style == "flow":
            return ["　".join(t for _, t in items)]
        # two columns, drawn as pairs separated by wide space
        out = []
        opts = [t for _, t in items]
        half = (len(opts) + 1) // 2
        for i in range(half):
            a = opts[i]
            b = opts[i + half] if i + half < len(opts) else ""
            out.append(a + ("\u3000\u3000" + b if b else ""))
        return out

    def element(self, el, label_x0=None):
        lay = self.lay
        if isinstance(el, Text):
            label = (lay.secnum(el.number) if el.number else "") + lay.lab(el.label, el.kome)
            self.item(label, el.value.split("\n") if el.value else [""], None, el.entry,
                      label_font=lay.head_font if el.number else None, label_x0=label_x0)
        elif isinstance(el, DateEl):
            self.item(lay.lab(el.label, el.kome), [lay.digits(el.text)], None, el.entry, label_x0=label_x0)
        elif isinstance(el, Select):
            label = (lay.secnum(el.number) if el.number else "") + lay.lab(el.label, el.kome)
            v, o = self.select_lines(el)
            self.item(label, v, o, el.entry, label_x0=label_x0)
        elif isinstance(el, Check):
            self.item(lay.lab(el.label, el.kome), self.check_lines(el), None, el.entry, label_x0=label_x0)
            if el.list_id == "C-UMU" and lay.umu_style == "separate":
                for o, word in (("提供を行っている", "提供件数"), ("移転を行っている", "移転件数")):
                    cnt = el.counts.get(o)
                    self.item(word, [f"{lay.digits(str(cnt))}件" if cnt else "―"], None, label_x0=label_x0)
        else:
            raise TypeError(el)

    def build(self):
        lay = self.lay
        self.cur_mode = "table" if lay.mode in ("table", "mixed") else "stack"
        self.cur_rules = lay.rules
        for el in self.doc.elements:
            if isinstance(el, Cover):
                self.cover(el)
            elif isinstance(el, Part):
                if lay.mode == "mixed":
                    self.cur_mode = "table" if el.numeral in (1, 2, 5, 6) else "stack"
                # ruling varies "in places": most parts keep the document's style, some change it
                self.cur_rules = lay.rules if self.r.random() < 0.6 else self.r.choice(["grid", "hlines", "none"])
                t = f"{lay.roman_n(el.numeral)} {el.title}" + (f" {el.suffix}" if el.suffix else "")
                if el.file_no is not None:
                    fl = f"（{lay.digits(str(el.file_no))}　{el.file_name}）"
                    t += fl
                brk = lay.part_new_page and (self.doc.form != "kiso" or self.r.random() < 0.3)
                self.heading(t, 0, new_page=brk or el.file_no is not None or el.numeral == 1)
            elif isinstance(el, Annex):
                self.heading(el.title, 0, new_page=True)
                for ln in el.lines:
                    for t in self.wrap(ln, lay.x1 - lay.x0 - 10):
                        self.items.append(Item([Line(lay.lead, [(lay.x0 + 5, t, lay.body_font, lay.fs)])]))
            elif isinstance(el, Sec):
                t = lay.secnum(el.number) + lay.lab(el.title, el.kome)
                if el.flags:
                    flags = "　".join(f"{lay.box(f.checked)} {f.label}" for f in el.flags)
                    it = self.heading(t, 1, entries=[f.entry for f in el.flags])
                    fw = pdfmetrics.stringWidth(flags, lay.body_font, lay.fs)
                    it.lines.insert(-1, Line(lay.lead, [(lay.x1 - fw - 4, flags, lay.body_font, lay.fs)]))
                    it.marks = [(len(it.lines) - 2, f.entry) for f in el.flags]
                else:
                    self.heading(t, 1)
            elif isinstance(el, Risk):
                if el.number is None:
                    t = f"リスク{lay.colon}{el.title}"
                else:
                    t = f"リスク{lay.digits(str(el.number))}{lay.colon}{el.title}"
                self.heading(t, 2)
            elif isinstance(el, Group):
                head = f"{el.prefix}{lay.digits(str(el.number))}"
                if el.name:
                    head += ("　" if lay.group_style == "bar" else "：") + el.name
                self.heading(head, 2 if lay.group_style == "bar" else 3, entries=[el.entry] if el.entry else [])
            elif isinstance(el, Sub):
                if lay.nested and self.mode_now() == "table":
                    lx, vx, _, _ = self.cols()
                    sub_w = min(lay.fs * 4.5, (vx - lx) * 0.35)
                    first = len(self.items)
                    for it in el.items:
                        self.element(it, label_x0=lx + sub_w)
                    kids = self.items[first:]
                    # the sub label printed in the narrow left column of the first child
                    for k, t in enumerate(self.wrap(el.label, sub_w - 4, lay.head_font)):
                        ln = kids[0].lines[1 + k] if 1 + k < len(kids[0].lines) - 1 else None
                        if ln is None:
                            kids[0].lines.insert(len(kids[0].lines) - 1, ln := Line(lay.lead))
                        ln.texts.append((lx + 2, t, lay.head_font, lay.fs))
                    for kb in kids:
                        if kb.box:
                            kb.box = [lx] + kb.box
                else:
                    self.heading(el.label, 3)
                    for it in el.items:
                        self.element(it)
            elif isinstance(el, FileList):
                label = lay.secnum(el.number) + el.title
                if lay.file_list == "one_line" and len(el.names) > 1:
                    vals = ["　".join(f"{lay.digits(str(i))} {n}" for i, n in enumerate(el.names, 1))]
                else:
                    vals = [f"{lay.digits(str(i))}　{n}" if len(el.names) > 1 else n for i, n in enumerate(el.names, 1)]
                self.item(label, vals, None, label_font=lay.head_font)
            elif isinstance(el, Note):
                for t in self.wrap(el.text, lay.x1 - lay.x0 - 10):
                    self.items.append(Item([Line(lay.lead, [(lay.x0 + 5, t, lay.body_font, lay.fs * 0.95)])]))
            elif isinstance(el, Changes):
                self.changes(el)
            else:
                self.element(el)

    def changes(self, ch: Changes):
        lay = self.lay
        self.heading(ch.title, 0, new_page=True)
        W = lay.x1 - lay.x0
        fr = [0.13, 0.27, 0.19, 0.19, 0.07, 0.15]
        xs = [lay.x0]
        for f in fr:
            xs.append(xs[-1] + W * f)
        heads = ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"]
        size = lay.fs * 0.9

        def row(vals, font):
            cols = [self.wrap(v, xs[i + 1] - xs[i] - 4, font, size) for i, v in enumerate(vals)]
            n = max(len(c) for c in cols)
            lines = [Line(2)]
            for k in range(n):
                lines.append(Line(size * 1.4, [(xs[i] + 2, c[k], font, size) for i, c in enumerate(cols) if k < len(c)]))
            lines.append(Line(2))
            return Item(lines, box=list(xs), keep=True)

        self.items.append(row(heads, lay.head_font))
        for r in ch.rows:
            self.items.append(row([lay.digits(r[0])] + list(r[1:]), lay.body_font))


# ====================================================================== pagination and drawing
def paginate(items: list[Item], lay: LayoutB) -> list[list[tuple[Item, int, int]]]:
    cap = lay.y_top - lay.y_bottom - 20
    pages: list[list] = [[]]
    used = 0.0
    for k, it in enumerate(items):
        hs = [ln.h for ln in it.lines]
        total = sum(hs)
        if it.new_page and pages[-1]:
            pages.append([])
            used = 0.0
        need = total
        if it.keep_next and k + 1 < len(items):
            nx = items[k + 1]
            need += sum(ln.h for ln in nx.lines[:3]) if not nx.keep else sum(ln.h for ln in nx.lines)
        if used + need <= cap:
            pages[-1].append((it, 0, len(hs)))
            used += total
            continue
        if it.keep or len(hs) <= 4:
            if pages[-1]:
                pages.append([])
                used = 0.0
            pages[-1].append((it, 0, len(hs)))
            used += total
            continue
        i = 0
        while i < len(hs):
            acc, j = 0.0, i
            while j < len(hs) and used + acc + hs[j] <= cap:
                acc += hs[j]
                j += 1
            if j - i < 2 and j < len(hs):  # fewer than two lines left on this page: next page
                if pages[-1]:
                    pages.append([])
                    used = 0.0
                    continue
                j = max(j, i + 1)
            pages[-1].append((it, i, j))
            used += sum(hs[i:j])
            i = j
            if i < len(hs):
                pages.append([])
                used = 0.0
    return pages


def render_pdf(doc: Doc, lay: LayoutB, path) -> int:
    register_fonts()
    fl = Flow(doc, lay)
    fl.build()
    pages = paginate(fl.items, lay)
    c = canvas.Canvas(str(path), pagesize=A4, pageCompression=1, invariant=1)  # reproducible bytes
    c.setTitle(doc.title)
    c.setAuthor(doc.office)
    c.setCreator("Microsoft Word" if random.Random(lay.seed + "/meta").random() < 0.5 else "")
    stamp = f"[{doc.revision}]"
    N = len(pages)
    for pno, pg in enumerate(pages, 1):
        if pno == 1 or lay.stamp_every_page:
            c.setFont(lay.body_font, 8.5)
            w = pdfmetrics.stringWidth(stamp, lay.body_font, 8.5)
            if lay.stamp_pos == "top_right":
                c.drawString(lay.x1 - w, lay.H - lay.margin_top + 18, stamp)
            elif lay.stamp_pos == "top_left":
                c.drawString(lay.x0, lay.H - lay.margin_top + 18, stamp)
            else:
                c.drawString(lay.x0, lay.margin_bottom - 22, stamp)
        if lay.page_no:
            t = lay.page_no.format(n=pno, N=N)
            c.setFont(lay.body_font, 8.5)
            w = pdfmetrics.stringWidth(t, lay.body_font, 8.5)
            c.drawString((lay.W - w) / 2, lay.margin_bottom - 22, t)
        y = lay.y_top
        for it, i0, i1 in pg:
            top = y
            for li in range(i0, i1):
                ln = it.lines[li]
                if ln.shade:
                    x0, x1, g = ln.shade
                    c.setFillGray(g)
                    c.rect(x0, y - ln.h, x1 - x0, ln.h, stroke=0, fill=1)
                    c.setFillGray(0)
                for x, t, f, s in ln.texts:
                    if t:
                        c.setFont(f, s)
                        c.drawString(x, y - ln.h + (ln.h - s) / 2 + s * 0.15, t)
                if ln.rule_below:
                    c.setLineWidth(0.5)
                    c.line(ln.rule_below[0], y - ln.h, ln.rule_below[1], y - ln.h)
                y -= ln.h
            for li, e in it.marks:
                if i0 <= li < i1 and e is not None:
                    e["page"] = pno
            if it.box:
                c.setLineWidth(0.6)
                xs = it.box
                c.rect(xs[0], y, xs[-1] - xs[0], top - y, stroke=1, fill=0)
                for x in xs[1:-1]:
                    c.line(x, y, x, top)
            elif it.hrules:
                c.setLineWidth(0.4)
                c.line(lay.x0, top, lay.x1, top)
                c.line(lay.x0, y, lay.x1, y)
        c.showPage()
    c.save()
    # entries that were never placed (an empty item) would be caught by Doc.key
    return N
