"""Build one fixture document: walk the form model, decide every answer, lay it out as Excel-like rows,
and record the answer key from the same decisions (never from any parser)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from extract.forms.model import FORMS, OPTION_LISTS, Item, Section
from tools import fixture_content as C
from tools.fixture_grid import (
    DARK,
    GREY,
    LEFT,
    LIGHT,
    RIGHT,
    X_LABEL,
    X_OPTS,
    Cell,
    Row,
    Sheet,
    label_cell,
    text_cell,
    width,
    wrap,
)
from tools.fixture_wareki import fullwidth_digits, wareki

ROMAN = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "Ⅵ"}
ROMAN_ASCII = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
SHORT_TEXT_LABELS = {"①事務の名称", "評価書番号", "評価書名", "評価実施機関名", "特定個人情報ファイル名", "①システムの名称",
                     "⑥委託先名", "③委託先名", "①部署", "②所属長の役職名", "⑥事務担当部署", "③システムの名称"}
KOME = {"I.1.2", "II.2.1", "II.2.3", "II.2.4a", "II.3.1", "II.3.6", "II.3.7a", "II.3.8", "II.4.0", "II.4.itaku.7",
        "II.4.itaku.4"}
ALIAS_OK = ("従業員", "担保", "確保", "②所属長", "特定個人情報保護委員会")
APPENDIX = {"全項目評価書": ("（別添1）事務の内容", "（別添2）特定個人情報ファイル記録項目", "（別添3）変更箇所"),
            "重点項目評価書": (None, "（別添１）特定個人情報ファイル記録項目", "（別添２）変更箇所"),
            "基礎項目評価書": (None, None, "（別添）変更箇所")}
NOT_IN_OPTIONS = {"G-JUBUN": "概ね十分である", "G-OKONAU": "概ね行っている", "B-OKONAU": "一部行っている"}


@dataclass
class DocSpec:
    name: str
    form_type: str
    revision: str  # as printed inside the stamp brackets: "平成30年5月 様式4"
    org_raw: str  # 評価実施機関名 as printed: 熊本県知事
    organization: str  # derived: 熊本県
    affair: str
    assessment_no: str
    published: date
    seed: int
    files: int = 1
    systems: int = 2
    itaku: tuple[int, ...] = (1,)  # per file: number of 委託事項 (0 = 委託しない)
    saiitaku: bool = True  # whether the first 委託事項 of each file re-entrusts
    teikyo: tuple[int, ...] = (1,)
    iten: tuple[int, ...] = (0,)
    nws: bool = True  # 情報提供ネットワークシステム: 実施する / 接続する
    taisho: int = 4  # BAND-TAISHO(-KISO) option number
    staff500: bool = False  # 基礎: 取扱者数 500人以上
    incident: bool = False  # 重大事故 (3 years, 全/重点) / (1 year, 基礎)
    shikii: int | None = None  # force the しきい値判断結果 option (threshold violation fixtures)
    text_n: tuple[int, int] = (1, 3)  # sentences per free-text measure
    changes: int = 3
    style: dict = field(default_factory=dict)
    undetermined: tuple[tuple[str, int | None, str], ...] = ()  # (key, file_no, reason)
    dates: dict = field(default_factory=dict)  # key -> (date, style dict) overrides


class Coverage:
    """Across the whole fixture set: which option numbers of each list have been rendered."""

    def __init__(self):
        self.used: set[tuple[str, int]] = set()

    def pick(self, rng: random.Random, list_id: str, weights: list[float]) -> int:
        """A weighted draw, steered now and then towards an option the set has not shown yet."""
        n = min(len(OPTION_LISTS[list_id].options), len(weights))
        unused = [i for i in range(1, n + 1) if (list_id, i) not in self.used]
        if unused and rng.random() < 0.3:
            no = rng.choice(unused)
        else:
            no = rng.choices(range(1, n + 1), weights=weights[:n])[0]
        self.used.add((list_id, no))
        return no


def _weights(list_id: str) -> list[float]:
    ol = OPTION_LISTS[list_id]
    n = len(ol.options)
    if ol.graded:
        return [0.25, 0.62, 0.13, 0.5][:n] if n == 4 and ol.not_applicable else [0.25, 0.62, 0.13]
    if list_id.startswith("B-") and n == 2:
        return [0.9, 0.1]
    return [1.0] * n


def expected_threshold(taisho: int, heavy: bool) -> str:
    """§8 of pia-forms.md: 'none' | 'kiso' | 'juten' | 'zen' for a BAND-TAISHO option number."""
    if taisho == 1:
        return "none"
    if taisho == 2:
        return "kiso"
    if taisho == 3:
        return "juten" if heavy else "kiso"
    if taisho == 4:
        return "zen" if heavy else "juten"
    return "zen"


class DocBuilder:
    def __init__(self, spec: DocSpec, cov: Coverage):
        self.s = spec
        self.form = FORMS[spec.form_type]
        self.rng = random.Random(spec.seed)
        self.cov = cov
        self.st = {"tick": "○", "fw_brackets": False, "paren": ")", "header": "<選択肢>", "roman": "unicode",
                   "fw_num": False, "colon": ": ", "aliases": False, "kome": False, "pack": False,
                   "split_tick": True, "as_checkbox": (), "collapsed": False, **spec.style}
        self.fields: list[dict] = []
        self.rows: list[Row] = []
        self.file_no: int | None = None
        self.group_no: int | None = None
        self.group: dict = {}
        aff = C.AFFAIRS[spec.affair]
        self.aff = aff
        self.file_names = aff["files"][: spec.files]
        self.undet = {(k, f): r for k, f, r in spec.undetermined}
        place = spec.organization
        body = spec.org_raw if spec.org_raw.endswith("委員会") else spec.organization  # 宣言 names the body
        self.ctx = {"org": body, "org_short": body, "org_place": place,
                    "affair": spec.affair, "short": aff["short"], "law": aff["law"], "zip": "866-8601",
                    "address": f"{place}松江城町1番25号", "dept": self._dept()}
        self.title = f"{spec.affair}　{spec.form_type}"
        self.heavy = spec.staff500 or spec.incident
        self.plans = [self._file_plan(i) for i in range(spec.files)]

    # ------------------------------------------------------------ decisions
    def _dept(self) -> str:
        s = self.s
        if s.org_raw.endswith("教育委員会"):
            return f"{s.organization}教育委員会 学校教育課"
        if s.org_raw.endswith("知事"):
            return f"{s.organization}総務部市町村・税務局市町村課"
        office = "役場" if s.organization.endswith(("町", "村")) else "庁" if s.organization.endswith("県") else "役所"
        return f"{s.organization}{office} {'税務課' if '税' in s.affair else '市民課' if '住民' in s.affair else '福祉課'}"

    def _file_plan(self, i: int) -> dict:
        s, aff, rng = self.s, self.aff, self.rng
        n_it = s.itaku[i] if i < len(s.itaku) else 0
        n_te = s.teikyo[i] if i < len(s.teikyo) else 0
        n_iv = s.iten[i] if i < len(s.iten) else 0
        itaku = []
        for g in range(n_it):
            title, contractor = aff["itaku"][(g + i) % len(aff["itaku"])] if aff["itaku"] else ("システム運用保守業務",
                                                                                                 "株式会社九州情報システムサービス")
            itaku.append({"title": title, "contractor": contractor,
                          "sai": (g == 0 and s.saiitaku) or rng.random() < 0.2})
        teikyo = [{"title": (aff["teikyo"] or [("他の市町村長", "番号法第19条第8号")])[g % max(1, len(aff["teikyo"]))][0],
                   "law": (aff["teikyo"] or [("", "番号法第19条第8号")])[g % max(1, len(aff["teikyo"]))][1]}
                  for g in range(n_te)]
        iten = [{"title": (aff["iten"] or [("市民税課", "番号法第9条第1項")])[g % max(1, len(aff["iten"]))][0],
                 "law": "番号法第9条第1項"} for g in range(n_iv)]
        return {"itaku": itaku, "teikyo": teikyo, "iten": iten}

    @property
    def plan(self) -> dict:
        return self.plans[(self.file_no or 1) - 1]

    def _shikii(self) -> int:
        if self.s.shikii:
            return self.s.shikii
        exp = expected_threshold(self.s.taisho, self.heavy)
        ft = self.s.form_type
        if ft == "全項目評価書":
            return {"zen": 1, "juten": 2, "kiso": 3, "none": 4}[exp]
        if ft == "重点項目評価書":
            return {"juten": 1, "kiso": 2, "none": 3}.get(exp, 1)
        return {"zen": 1, "juten": 2, "kiso": 3, "none": 4}[exp]

    def threshold_violation(self) -> bool:
        """Does the printed しきい値判断結果 contradict the document's own 対象人数 answer (pia-forms.md §8)?

        基礎 prints 取扱者数 and 重大事故 (1 year), so the expected result is exact; 全項目/重点 do not print the
        threshold inputs, so either answer for the 対象人数 band is accepted there."""
        ft, no = self.s.form_type, self._shikii()
        level = {"重点項目評価書": {1: "juten", 2: "kiso", 3: "none"}}.get(
            ft, {1: "zen", 2: "juten", 3: "kiso", 4: "none"})[no]
        if ft == "基礎項目評価書":
            possible = {expected_threshold(self.s.taisho, self.heavy)}
        else:
            possible = {expected_threshold(self.s.taisho, False), expected_threshold(self.s.taisho, True)}
        return level not in possible

    def choose(self, item: Item) -> int:
        """The option number printed for a selection item (the not-applicable cases are handled by the caller)."""
        s, lid = self.s, item.options
        ft = s.form_type
        if lid in ("BAND-TAISHO", "BAND-TAISHO-KISO"):
            return s.taisho
        if lid.startswith("SHIKII"):
            return self._shikii()
        if lid == "KISO-SHURUI":
            return {1: 3, 2: 2}.get(self._shikii(), 1)
        if lid == "B-JISSHI":
            return 1 if s.nws else 2
        if lid == "B-ITAKU":
            return 1 if self.plan["itaku"] else 2
        if lid == "B-SAIITAKU":
            return 1 if self.group.get("sai") else 2
        if lid == "G-SAIITAKU" and ft != "基礎項目評価書":
            if not any(g["sai"] for g in self.plan["itaku"]):
                self.cov.used.add((lid, 4))
                return 4
            return self.cov.pick(self.rng, lid, [0.3, 0.6, 0.1])
        if lid == "B-HASSEI":
            return 1 if s.incident else 2
        if lid == "BAND-TORIATSUKAI":
            return 1 if s.staff500 else 2
        if lid == "BAND-HONNIN" and s.taisho <= 3:
            return self.rng.choice([1, 2] if s.taisho == 3 else [1])
        if lid == "G-JUNSHU":
            return self.cov.pick(self.rng, lid, [0.1, 0.2, 0.1, 0.6])
        if lid == "B-SHURUI":
            return self.cov.pick(self.rng, lid, [0.85, 0.15])
        return self.cov.pick(self.rng, lid, _weights(lid))

    # ------------------------------------------------------------ key entries
    def field(self, item: Item, **kw) -> dict:
        f = {"key": item.key, "file_no": self.file_no, "group_no": self.group_no, "kind": item.kind}
        f.update(kw)
        self.fields.append(f)
        return f

    # ------------------------------------------------------------ text helpers
    def br(self) -> tuple[str, str]:
        return ("［", "］") if self.st["fw_brackets"] else ("[", "]")

    def num(self, n: int) -> str:
        return fullwidth_digits(str(n)) if self.st["fw_num"] else str(n)

    def sec_title(self, sec: Section) -> str:
        title = sec.title
        if self.st["aliases"]:
            for a in sec.aliases:
                if any(t in a for t in ALIAS_OK):
                    title = a
        dot = "．" if self.st["fw_num"] else ". "
        return f"{self.num(sec.number)}{dot}{title}"

    def label(self, item: Item) -> str:
        lab = item.label
        if self.st["aliases"]:
            for a in item.aliases:
                if any(t in a for t in ALIAS_OK):
                    lab = a
        if self.st["kome"] and item.key in KOME:
            lab += " ※"
        return lab

    def free(self, lo: int | None = None, hi: int | None = None) -> str:
        a, b = self.s.text_n
        return C.measures_text(self.rng, self.rng.randint(lo or a, hi or b))

    def fmt_date(self, key: str, default: date, styles: list[dict] | None = None) -> tuple[str, dict]:
        d, st = self.s.dates.get(key, (default, None))
        if st is None:
            st = self.rng.choice(styles or [{}, {}, {"fullwidth": True}, {"weekday": "("}, {"weekday": "（"}])
        text = wareki(d, st.get("precision", "day"), gannen=st.get("gannen", False),
                      fullwidth=st.get("fullwidth", False), weekday=st.get("weekday"))
        prec = st.get("precision", "day")
        iso = d.isoformat() if prec == "day" else date(d.year, d.month, 1).isoformat()
        return text, {"value_date": iso, "precision": prec}

    # ------------------------------------------------------------ cell builders
    def option_cell(self, list_id: str) -> Cell:
        c = Cell(X_OPTS, RIGHT, size=6.5)
        p = self.st["paren"]
        lines = [[(0.0, self.st["header"])]]
        items = [f"{self.num(i)}{p} {o}" for i, o in enumerate(OPTION_LISTS[list_id].options, 1)]
        if self.st["pack"]:
            cur: list = []
            x = 0.0
            for t in items:
                w = width(t, 6.5)
                if cur and x + w > c.inner:
                    lines.append(cur)
                    cur, x = [], 0.0
                cur.append((x, t))
                x += w + 6
            lines.append(cur)
        else:
            for t in items:
                lines += [[(0.0 if j == 0 else 10.0, s)] for j, s in enumerate(wrap(t, c.inner, 6.5))]
        c.lines = lines
        return c

    def bracket_lines(self, value: str, w: float, count: int | None | bool = False) -> list:
        """'[ value ]' with the brackets as separate tokens; a long value wraps inside the brackets."""
        o, cl = self.br()
        if not value:
            line = [(0.0, o), (30.0, cl)]
            lines = [line]
        else:
            parts = wrap(value, w - 30)
            lines = []
            for j, s in enumerate(parts):
                line = [(0.0, o)] if j == 0 else []
                line.append((9.0, s))
                lines.append(line)
            lines[-1].append((9.0 + width(parts[-1]) + 5, cl))
        if count is not False:
            end = max(dx + width(t) for dx, t in lines[-1]) + 8
            n = "" if count is None else self.num(count)
            lines[-1] += [(end, "（"), (end + 12, n), (end + 26, "）"), (end + 36, "件")]
        return lines

    def tick_tokens(self, x: float, ticked: bool, label: str) -> list:
        o, cl = self.br()
        if self.st["split_tick"]:
            toks = [(x, o)]
            if ticked:
                toks.append((x + 6.5, self.st["tick"]))
            return toks + [(x + 17, cl), (x + 24, label)]
        return [(x, f"{o} {self.st['tick'] if ticked else '　'} {cl}"), (x + 24, label)]

    def checkbox_lines(self, options: list[str], ticked: set[int], cell_w: float, other: str | None = None,
                       counts: dict[int, int] | None = None, groups: list[tuple[str, list[int]]] | None = None):
        """Options in two columns; その他 (with its parenthesis) and counted options on their own lines."""
        col = cell_w / 2
        lines: list = []
        blocks = groups or [(None, list(range(1, len(options) + 1)))]
        for head, nos in blocks:
            if head:
                lines.append([(0.0, head)])
            pending: list = []
            for no in nos:
                lab = options[no - 1]
                if lab == "その他":
                    lab = f"その他 （ {other or '　'} ）"
                if counts is not None and lab != "行っていない":
                    n = counts.get(no)
                    lab = f"{lab} （ {self.num(n) if n is not None else '　'} ） 件"
                if width(lab) + 24 > col - 4 or counts is not None:
                    if pending:
                        lines.append(pending)
                        pending = []
                    lines.append(self.tick_tokens(0.0, no in ticked, lab))
                    continue
                pending += self.tick_tokens(0.0 if not pending else col, no in ticked, lab)
                if len(pending) >= 4 and any(dx >= col for dx, _ in pending):
                    lines.append(pending)
                    pending = []
            if pending:
                lines.append(pending)
        return lines

    # ------------------------------------------------------------ rows per kind
    def heading_row(self, text: str, fill: float, flags: list[tuple[Item, bool]] = (), page_break=False,
                    size: float = 7.5) -> Row:
        if not flags:
            return Row([text_cell(text, LEFT, RIGHT, fill=fill, size=size)], keep_next=True, page_break=page_break)
        flag_cell = Cell(X_OPTS, RIGHT)
        refs = []
        for it, on in flags:
            flag_cell.lines.append(self.tick_tokens(0.0, on, it.label))
            refs.append(self.field(it, checked=on))
        return Row([text_cell(text, LEFT, X_OPTS, fill=fill, size=size), flag_cell], refs=refs, keep_next=True,
                   page_break=page_break)

    def text_row(self, item: Item, value: str, label: str | None = None) -> Row:
        refs = []
        if item.label in SHORT_TEXT_LABELS and not (item.key in ("I.3", "I.2") and self.file_no is None):
            refs.append(self.field(item, value_text=value))
        return Row([label_cell(label or self.label(item)), text_cell(value, X_LABEL, RIGHT)], refs=refs, split=1)

    def selection_row(self, item: Item, na: bool = False, label: str | None = None) -> Row:
        ol = OPTION_LISTS[item.options]
        reason = self.undet.get((item.key, self.file_no))
        lab = label_cell(label or self.label(item))
        w = X_OPTS - X_LABEL - 8
        if reason == "conflict" or (item.key in self.st["as_checkbox"] and not na):
            # a SELECT printed as a checkbox list (§10.3 (2)): one tick is readable, two are a conflict
            if reason == "conflict":
                a = self.choose(item)
                b = a + 1 if a < len(ol.options) else a - 1
                ticked = {a, b}
                ref = self.field(item, status="undetermined", reason="conflict")
            else:
                a = self.choose(item)
                ticked = {a}
                ref = self.field(item, value_text=ol.options[a - 1], option_no=a)
            c = Cell(X_LABEL, RIGHT)
            c.lines = self.checkbox_lines(list(ol.options), ticked, RIGHT - X_LABEL - 8)
            return Row([lab, c], refs=[ref])
        count: int | None | bool = False
        if na:
            value, ref = "", self.field(item, status="undetermined", reason="empty", not_applicable=True)
            if item.count:
                count = None
        elif reason == "empty":
            value, ref = "", self.field(item, status="undetermined", reason="empty")
        elif reason == "not-in-options":
            value = NOT_IN_OPTIONS.get(item.options, "その他")
            ref = self.field(item, status="undetermined", reason="not-in-options", raw=value)
        else:
            no = self.choose(item)
            value = ol.options[no - 1]
            kw = {"value_text": value, "option_no": no}
            if item.count:
                n = len(self.plan["itaku"]) if item.options == "B-ITAKU" else None
                count = n if no == 1 else None
                if no == 1:
                    kw["count"] = n
            ref = self.field(item, **kw)
        vc = Cell(X_LABEL, X_OPTS)
        vc.lines = self.bracket_lines(value, w, count)
        return Row([lab, vc, self.option_cell(item.options)], refs=[ref])

    def checkbox_row(self, item: Item) -> Row:
        ol = OPTION_LISTS[item.options]
        opts = list(ol.options)
        rng = self.rng
        other = None
        counts = None
        groups = None
        lid = item.options
        if lid == "C-UMU":
            te, iv = len(self.plan["teikyo"]), len(self.plan["iten"])
            ticked = {i for i, n in ((1, te), (2, iv)) if n} or {3}
            counts = {i: n for i, n in ((1, te), (2, iv)) if n}
        elif lid == "C-KOMOKU":
            ticked = {1, 4, 6} | set(rng.sample(range(2, 20), rng.randint(1, 4)))
            groups = [("・識別情報", [1, 2, 3]), ("・連絡先等情報", [4, 5, 6]), ("・業務関係情報", list(range(7, 20)))]
        elif lid == "C-KANSA":
            ticked = {1} | set(rng.sample([2, 3], rng.randint(0, 2)))
        elif lid == "C-NYUSHUMOTO":
            ticked = {1} | set(rng.sample(range(2, 7), rng.randint(0, 2)))
        else:
            ticked = set(rng.sample(range(1, len(opts) + 1), rng.randint(1, min(3, len(opts)))))
        if "その他" in opts and opts.index("その他") + 1 in ticked:
            other = rng.choice(["団体内統合宛名システム", "市町村CSを通じて入手する。", "庁内データ連携基盤",
                                "LGWAN経由のファイル連携"])
        for i in ticked:
            self.cov.used.add((lid, i))
        for i in set(range(1, len(opts) + 1)) - ticked:
            self.cov.used.add((lid, -i))
        kw = {"checked": [opts[i - 1] for i in sorted(ticked)],
              "unchecked": [o for i, o in enumerate(opts, 1) if i not in ticked], "other_text": other}
        if counts is not None:
            kw["counts"] = {opts[i - 1]: n for i, n in counts.items()}
        ref = self.field(item, **kw)
        c = Cell(X_LABEL, RIGHT)
        c.lines = self.checkbox_lines(opts, ticked, RIGHT - X_LABEL - 8, other, counts, groups)
        return Row([label_cell(self.label(item)), c], refs=[ref])

    def date_row(self, item: Item, default: date, blank: bool = False, label: str | None = None) -> Row:
        if blank:
            ref = self.field(item, value_date=None, precision=None)
            text = ""
        else:
            text, kw = self.fmt_date(self._dkey(item), default)
            ref = self.field(item, **kw)
            if item.key in ("II.1.2", "II.2.2") and self.s.form_type == "基礎項目評価書":
                text += " 時点"
        return Row([label_cell(label or self.label(item)), text_cell(text, X_LABEL, RIGHT)], refs=[ref])

    def _dkey(self, item: Item) -> str:
        return item.key if self.file_no is None else f"{item.key}#{self.file_no}"

    # ------------------------------------------------------------ the walk
    def build(self) -> None:
        self.cover()
        apx = APPENDIX[self.s.form_type]
        for part in self.form.parts:
            if part.repeat == "file":
                for fno in range(1, self.s.files + 1):
                    self.file_no = fno
                    self.part(part)
                self.file_no = None
                if part.number == 2 and apx[1]:
                    self.records_appendix(apx[1])
            else:
                self.part(part)
                if part.number == 1 and apx[0]:
                    self.rows.append(self.heading_row(apx[0], DARK, page_break=True))
                    self.rows.append(Row([text_cell("（備考）\n" + C.fill(C.CONTENT["I.1.2"], self.ctx), LEFT, RIGHT)],
                                         split=0, min_h=120))
        self.change_table(apx[2])

    def part_title(self, part: Section) -> str:
        numeral = (ROMAN if self.st["roman"] == "unicode" else ROMAN_ASCII)[part.number]
        return f"{numeral} {part.title}"

    def part(self, part: Section) -> None:
        brk = self.s.form_type != "基礎項目評価書"  # 全項目/重点: one Excel sheet per part
        self.rows.append(self.heading_row(self.part_title(part), DARK, page_break=brk, size=8.5))
        for it in part.items:
            self.rows.append(self.item_row(it, False))
        for child in part.children:
            self.section(child)

    def section(self, sec: Section, flags_on: dict | None = None) -> None:
        flags_on = dict(flags_on or {})
        if sec.level == "section":
            on = {f.key: self.flag_state(f) for f in sec.flags}
            flags_on.update(on)
            if sec.heading_item:
                it = sec.heading_item
                if it.kind == "selection":
                    self.rows.append(self.selection_row(it, label=self.sec_title(sec)))
                else:
                    self.rows.append(self.text_row(it, self.text_value(it), label=self.sec_title(sec)))
            else:
                self.rows.append(self.heading_row(self.sec_title(sec), LIGHT, [(f, on[f.key]) for f in sec.flags]))
        elif sec.level == "risk":
            colon = self.st["colon"]
            self.rows.append(self.heading_row(f"リスク{self.num(sec.number)}{colon}{sec.title}", LIGHT))
        items_first = [i for i in sec.items if not i.key.endswith(".other")]
        items_last = [i for i in sec.items if i.key.endswith(".other")]
        for it in items_first:
            self.rows.append(self.item_row(it, self.item_na(sec, it, flags_on)))
        for child in sec.children:
            if child.level == "group":
                self.groups(child)
            else:
                self.section(child, flags_on)
        for it in items_last:
            self.rows.append(self.item_row(it, self.item_na(sec, it, flags_on)))

    def flag_state(self, f: Item) -> bool:
        k = f.key
        if k.endswith("4.flag"):
            if self.s.form_type == "基礎項目評価書":
                return not any(self.s.itaku)
            return not self.plan["itaku"]
        if k.endswith("5.flag"):
            if self.s.form_type == "基礎項目評価書":
                return not (any(self.s.teikyo) or any(self.s.iten))
            return not (self.plan["teikyo"] or self.plan["iten"])
        return not self.s.nws

    def item_na(self, sec: Section, it: Item, flags_on: dict) -> bool:
        """Is this answer left blank because a section flag is ticked? (Ⅲ 6: 入手 risks vs 提供 risks)."""
        if not flags_on:
            return False
        if any(k.endswith("flag1") for k in flags_on):
            if sec.level == "risk":
                half = 4 if self.s.form_type == "全項目評価書" else 1
                want = "flag1" if sec.number <= half else "flag2"
            elif it.key in ("IV.6.1", "IV.6.2"):
                want = "flag1" if it.key == "IV.6.1" else "flag2"
            else:
                return all(flags_on.values())
            return any(v for k, v in flags_on.items() if k.endswith(want))
        return any(flags_on.values())

    def groups(self, g: Section) -> None:
        prefix = g.repeat
        if prefix == "システム":
            data = [{"title": ""} for _ in range(self.s.systems)]
        elif prefix == "委託事項":
            data = self.plan["itaku"]
        elif prefix == "提供先":
            data = self.plan["teikyo"]
        else:
            data = self.plan["iten"]
        for n, d in enumerate(data, 1):
            self.group_no, self.group = n, d
            head = f"{prefix}{self.num(n)}" + (f"　{d['title']}" if d.get("title") else "")
            self.rows.append(self.heading_row(head, LIGHT))
            for it in g.items:
                self.rows.append(self.item_row(it, False))
        if self.st["collapsed"] and len(data) <= 1:
            for rng_txt in ("2～5", "6～10"):
                self.rows.append(self.heading_row(f"{prefix}{rng_txt}", LIGHT))
        self.group_no, self.group = None, {}

    # ------------------------------------------------------------ item dispatch
    def item_row(self, it: Item, na: bool) -> Row:
        if it.kind == "selection":
            return self.selection_row(it, na=na)
        if it.kind == "checkbox":
            return self.checkbox_row(it)
        if it.kind == "date":
            return self.date_row(it, self.default_date(it), blank=it.key in ("VI.4.1", "cover.approved"))
        if it.kind == "period":
            return self.period_row(it)
        if it.kind == "dates":
            return self.dates_row(it)
        if na:
            return self.text_row(it, "―")
        return self.text_row(it, self.text_value(it))

    def default_date(self, it: Item) -> date:
        p = self.s.published
        k = it.key
        if k in ("II.2.5", "II.3.9", "II.3.6"):
            return date(2015, 10, 5) + timedelta(days=self.rng.randint(0, 500))
        if k in ("VI.1.1", "V.1.1"):
            return p - timedelta(days=self.rng.randint(40, 120))
        if k in ("II.1.2", "II.2.2"):
            return date(p.year if p.month > 4 else p.year - 1, 4, 1)
        return p

    def period_row(self, it: Item) -> Row:
        if self.s.form_type == "重点項目評価書" and self.rng.random() < 0.5:
            ref = self.field(it, value_date=None, value_date_end=None)
            return Row([label_cell(self.label(it)), text_cell("―", X_LABEL, RIGHT)], refs=[ref])
        end = self.s.published - timedelta(days=self.rng.randint(45, 90))
        start = end - timedelta(days=29)
        wd = self.rng.choice(["(", "（"])
        fw = self.st.get("fw_dates", False)
        text = f"{wareki(start, weekday=wd, fullwidth=fw)}～{wareki(end, weekday=wd, fullwidth=fw)}"
        ref = self.field(it, value_date=start.isoformat(), value_date_end=end.isoformat())
        return Row([label_cell(self.label(it)), text_cell(text, X_LABEL, RIGHT)], refs=[ref])

    def dates_row(self, it: Item) -> Row:
        d1 = self.s.published - timedelta(days=self.rng.randint(20, 40))
        ds = [d1] if self.rng.random() < 0.5 else [d1 - timedelta(days=28), d1]
        text = "、".join(wareki(d, weekday="(") for d in ds)
        ref = self.field(it, value_dates=[d.isoformat() for d in ds])
        return Row([label_cell(self.label(it)), text_cell(text, X_LABEL, RIGHT)], refs=[ref])

    def text_value(self, it: Item) -> str:
        k, s, lab = it.key, self.s, it.label
        if lab == "①事務の名称":
            return s.affair
        if lab == "特定個人情報ファイル名":
            if self.file_no:
                return self.file_names[self.file_no - 1]
            return "\n".join(f"（{self.num(i)}）{n}" for i, n in enumerate(self.file_names, 1))
        if lab == "①システムの名称":
            return self.aff["systems"][(self.group_no - 1) % len(self.aff["systems"])][0]
        if lab == "②システムの機能":
            return self.aff["systems"][(self.group_no - 1) % len(self.aff["systems"])][1]
        if lab == "③システムの名称":
            return "、".join(n for n, _ in self.aff["systems"][: s.systems])
        if lab in ("⑥委託先名", "③委託先名"):
            return self.group["contractor"]
        if lab == "対象となる本人の範囲":
            return "本特定個人情報ファイルに記録される全ての者"
        if lab == "その妥当性" and self.group:
            return "委託業務の実施に当たり、対象者全員の情報を取り扱う必要があるため。"
        if lab == "①委託内容":
            return f"{self.group['title']}に係る作業の実施"
        if lab in ("⑧再委託の許諾方法", "⑤再委託の許諾方法"):
            return "事前に書面による再委託の申請を受け、再委託先の安全管理措置を確認した上で書面により承諾する。" \
                if self.group.get("sai") else "―"
        if lab in ("⑨再委託事項", "⑥再委託事項"):
            return "システムの保守作業の一部" if self.group.get("sai") else "―"
        if lab == "⑤委託先名の確認方法":
            return f"{s.organization}ホームページにおいて公表する入札結果により確認できる。"
        if lab == "①法令上の根拠" and self.group:
            return self.group["law"]
        if lab in ("②提供先における用途", "②移転先における用途"):
            return f"{self.group['title']}における{self.aff['short']}に関する事務"
        if lab in ("③提供する情報", "③移転する情報"):
            return "個人番号、4情報（氏名、性別、生年月日、住所）、異動事由及び異動年月日"
        if lab.startswith("⑤") and "本人の範囲" in lab:
            return "照会のあった対象者"
        if lab == "⑦時期・頻度":
            return self.rng.choice(["照会の都度", "随時", "毎月1回", "年1回（6月）"])
        if lab in ("①部署",):
            return self.ctx["dept"]
        if lab in ("②所属長の役職名", "②所属長"):
            base = self.ctx["dept"].split()[-1].split("局")[-1]
            return f"{base}長" if self.label(it) != "②所属長" else f"{base}長　山田　太郎"
        if lab == "⑥事務担当部署":
            return self.ctx["dept"]
        if lab == "使用部署":
            return self.ctx["dept"]
        if lab == "法令上の根拠":
            return self.aff["law"]
        if lab == "②法令上の根拠":
            return "番号法第19条第8号に基づく主務省令第2条の表" if s.nws else "―"
        if lab == "②事務の概要":
            return C.fill(C.CONTENT["I.1.2"], self.ctx)
        if lab == "その内容":
            return C.fill(C.INCIDENT[0], self.ctx) if s.incident else "―"
        if lab == "再発防止策の内容":
            return C.INCIDENT[1] if s.incident else "―"
        if lab == "全ての記録項目":
            return "別添2を参照。" if s.form_type == "全項目評価書" else "別添１を参照。"
        for ck in (lab, k):
            if ck in C.CONTENT:
                return C.fill(C.CONTENT[ck], self.ctx)
        if lab == "その他のリスク対策":
            return C.OTHER_MEASURES + "\n" + self.free(3, 6)
        if lab.startswith("③手数料等"):
            return "―"
        if "措置" in lab or "方法" in lab or "内容" in lab or "規定" in lab or "ルール" in lab or "確認" in lab \
                or "リスク対策" in lab or "体制" in lab:
            return self.free()
        return self.free(1, 1)

    # ------------------------------------------------------------ cover, appendix, change table
    def cover(self) -> None:
        s, form = self.s, self.form
        stamp = f"[{s.revision}]"
        head = f"特定個人情報保護評価書（{s.form_type}）"
        rows = [Row([text_cell(stamp, LEFT, RIGHT, border=False, align="right", size=8)]),
                Row([text_cell(head, LEFT, RIGHT, border=False, align="center", size=16)], min_h=60)]
        by = {it.key: it for it in form.cover}
        ref_no = self.field(by["cover.no"], value_text=s.assessment_no)
        ref_title = self.field(by["cover.title"], value_text=self.title)
        rows.append(Row([label_cell("評価書番号", LEFT, X_LABEL), label_cell("評価書名", X_LABEL, RIGHT)]))
        rows.append(Row([text_cell(s.assessment_no, LEFT, X_LABEL, align="center"),
                         text_cell(self.title, X_LABEL, RIGHT)], refs=[ref_no, ref_title], min_h=26))
        rows.append(Row([text_cell("個人のプライバシー等の権利利益の保護の宣言", LEFT, RIGHT, fill=GREY)]))
        rows.append(Row([text_cell(C.fill(C.DECLARATION, self.ctx), LEFT, RIGHT)], min_h=80))
        rows.append(Row([text_cell("特記事項", LEFT, RIGHT, fill=GREY)]))
        rows.append(Row([text_cell(self.rng.choice(C.NOTES), LEFT, RIGHT)], min_h=60))
        ref_org = self.field(by["cover.org"], value_text=s.org_raw)
        rows.append(Row([text_cell("評価実施機関名", LEFT, RIGHT, fill=GREY)]))
        rows.append(Row([text_cell(s.org_raw, LEFT, RIGHT)], refs=[ref_org], min_h=22))
        if "cover.approved" in by:
            it = by["cover.approved"]
            lab = it.aliases[0] if "平成26年" in s.revision else it.label
            ref = self.field(it, value_date=None, precision=None)
            rows.append(Row([text_cell(lab, LEFT, RIGHT, fill=GREY)]))
            rows.append(Row([text_cell("", LEFT, RIGHT)], refs=[ref], min_h=22))
        text, kw = self.fmt_date("cover.published", s.published, [{}])
        ref = self.field(by["cover.published"], **kw)
        rows.append(Row([text_cell("公表日", LEFT, RIGHT, fill=GREY)]))
        rows.append(Row([text_cell(text, LEFT, RIGHT)], refs=[ref], min_h=22))
        self.rows += rows

    def records_appendix(self, title: str) -> None:
        self.rows.append(self.heading_row(title, DARK, page_break=True))
        key = "住民基本台帳" if "住民" in self.s.affair else "default"
        for i, name in enumerate(self.file_names, 1):
            items = C.RECORD_ITEMS[key]
            n = self.rng.randint(12, len(items))
            body = "\n".join(f"{j}. {x}" for j, x in enumerate(items[:n], 1))
            self.rows.append(self.heading_row(f"【{self.num(i)}　{name}】", LIGHT))
            self.rows.append(Row([text_cell(body, LEFT, RIGHT)], split=0))

    def change_table(self, title: str) -> None:
        self.rows.append(self.heading_row(title, DARK, page_break=True))
        xs = [LEFT, 100, 200, 300, 400, 445, RIGHT]
        heads = ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"]
        self.rows.append(Row([label_cell(h, xs[i], xs[i + 1]) for i, h in enumerate(heads)]))
        self.changes: list[dict] = []
        picks = self.rng.sample(C.CHANGES, min(self.s.changes, len(C.CHANGES)))
        d = self.s.published
        dates = sorted(d - timedelta(days=self.rng.randint(0, 2400)) for _ in picks)
        if dates:
            dates[-1] = d
        for (item, before, after, timing, note), dd in zip(picks, dates):
            st = self.rng.choice([{}, {"fullwidth": True}, {}])
            text = wareki(dd, **st)
            item = item.format(file=self.file_names[0])
            ch = {"date": dd.isoformat(), "item": item, "before": before, "after": after,
                  "timing": timing, "note": note}
            self.changes.append(ch)
            vals = [text, item, before, after, timing, note]
            self.rows.append(Row([text_cell(v, xs[i], xs[i + 1], size=6.5) for i, v in enumerate(vals)],
                                 refs=[ch]))

    # ------------------------------------------------------------ output
    def render(self, pdf_path) -> dict:
        self.build()
        sheet = Sheet(f"[{self.s.revision}]")
        sheet.add(self.rows)
        sheet.doc.set_metadata({"title": self.title, "creator": "pia-extract tools.render_fixtures (test fixture)"})
        self.splits = sheet.splits
        pages = sheet.save(pdf_path)
        for ch in self.changes:
            ch.pop("page", None)
        s = self.s
        return {
            "source": f"{s.name}.pdf",
            "form_type": s.form_type,
            "form_revision": s.revision,
            "pages": pages,
            "identity": {"organization_raw": s.org_raw, "organization": s.organization, "affair": s.affair,
                         "title": self.title, "assessment_no": s.assessment_no,
                         "published": s.published.isoformat(), "file_names": list(self.file_names)},
            "threshold_violation": self.threshold_violation(),
            "fields": self.fields,
            "changes": self.changes,
        }
