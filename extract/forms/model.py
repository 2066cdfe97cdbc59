"""The form model as data: option lists, items, sections of the three official forms.

Source of every label and option: ../shared/reference/pia-forms.md (section numbers cited below).
Keys are stable identifiers that join parser output, answer keys and analysts' queries:
  <part>.<section>[.R<risk>].<item>   e.g. "III.7.R1.9" (⑨ 重大事故), "III.2.R1.rating"
Per-file parts (Ⅱ, Ⅲ) carry `file_no`, repeating groups (システム, 委託事項, 提供先, 移転先) `group_no`,
both outside the key. The module builds plain frozen dataclasses; the parser only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

# ---------------------------------------------------------------- kinds
SELECTION, CHECKBOX, FLAG, COUNT, DATE, PERIOD, DATES, TEXT = (
    "selection", "checkbox", "flag", "count", "date", "period", "dates", "text",
)


class Role(StrEnum):
    """What an item is for, whatever its key in a form: code looks items up by role, never by key."""

    ASSESSMENT_NO = "assessment_no"  # 評価書番号
    TITLE = "title"  # 評価書名
    DECLARATION = "declaration"  # 個人のプライバシー等の権利利益の保護の宣言
    NOTES = "notes"  # 特記事項 (the cover cell after the 宣言)
    ORGANIZATION = "organization"  # 評価実施機関名
    APPROVED = "approved"  # 個人情報保護委員会承認日
    PUBLISHED = "published"  # 公表日
    AFFAIR = "affair"  # ①事務の名称
    SYSTEM_NAME = "system_name"  # ①システムの名称 (基礎: ③システムの名称)
    FILE_LIST = "file_list"  # Ⅰ's list of the 特定個人情報ファイル (I.3; 基礎 I.2)
    FILE_NAME = "file_name"  # the name heading each file's block of a per-file part (Ⅱ 1, Ⅲ 1)
    DEPARTMENT = "department"  # 担当部署 ①部署
    DEPARTMENT_HEAD = "department_head"  # 担当部署 ②所属長の役職名
    # what analysis aligns across the three forms (pia-forms.md §7.4 canonical risks, §8 threshold items);
    # given per form in ROLE_KEYS below, since the same role sits under other keys in each form
    RISK_C1 = "risk_c1"  # 入手: 目的外の入手
    RISK_C2 = "risk_c2"  # 使用: 目的を超えた紐付け
    RISK_C3 = "risk_c3"  # 使用: 権限のない者
    RISK_C4 = "risk_c4"  # 委託
    RISK_C5 = "risk_c5"  # 提供・移転
    RISK_C6 = "risk_c6"  # 情報提供ネットワークシステム: 入手
    RISK_C7 = "risk_c7"  # 情報提供ネットワークシステム: 提供
    RISK_C8 = "risk_c8"  # 保管: 漏えい・滅失・毀損
    EDUCATION = "education"  # 従業者に対する教育・啓発
    TARGET_BAND = "target_band"  # 対象人数 (しきい値判断)
    THRESHOLD_RESULT = "threshold_result"  # しきい値判断結果
    STAFF_BAND = "staff_band"  # 取扱者数 (基礎 only)
    ACCIDENT_1Y = "accident_1y"  # 過去1年以内の重大事故 (基礎 only)
    ACCIDENT_3Y = "accident_3y"  # 過去3年以内の重大事故 (全項目/重点, reference only)
    FILED_FORM = "filed_form"  # 提出する特定個人情報保護評価書の種類 (基礎 Ⅳ 1)


@dataclass(frozen=True, slots=True)
class OptionList:
    id: str
    options: tuple[str, ...]
    graded: bool = False  # an ordinal scale: level = option number (1 = strongest)
    not_applicable: tuple[int, ...] = ()  # option numbers that mean "not applicable", level None
    aliases: tuple[tuple[str, str], ...] = ()  # (variant text, canonical option text)


@dataclass(frozen=True, slots=True)
class Item:
    key: str  # full key, e.g. "III.2.R1.rating"
    label: str  # canonical label as printed (circled number included)
    kind: str
    options: str | None = None  # OptionList id
    aliases: tuple[str, ...] = ()  # label variants seen in the wild
    count: bool = False  # "（ n ） 件" counts: after the selection (委託の有無) or in options (提供を行っている)
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading with its items: a part (Ⅰ), a numbered section (2.), a risk (リスク1) or a group."""

    key: str
    level: str  # part | section | risk | group | block
    title: str  # heading text without its number
    number: int | None = None  # section number (2 in "2. …"), risk number, part numeral value
    items: tuple[Item, ...] = ()
    children: tuple[Section, ...] = ()
    aliases: tuple[str, ...] = ()
    repeat: str | None = None  # "file" for parts repeated per 特定個人情報ファイル; group prefix for groups
    heading_item: Item | None = None  # the heading cell itself opens this item (e.g. "3. 特定個人情報ファイル名")
    flags: tuple[Item, ...] = ()  # section flags printed next to the heading ("[ ○ ] 委託しない")
    stops: tuple[str, ...] = ()  # sub-headings without a value that end the item before them (⑦使用の主体)


@dataclass(frozen=True, slots=True)
class Form:
    form_type: str  # 全項目評価書 | 重点項目評価書 | 基礎項目評価書
    yoshiki: str  # 様式4 ...
    title_keys: tuple[str, ...]  # folded fragments of the title line that identify the form
    cover: tuple[Item, ...]
    parts: tuple[Section, ...]
    change_table: str  # heading of the 変更箇所 sheet
    revision: str | None = None  # the cover stamp this model is for ("平成30年5月 様式4"); None: the default
    items_by_key: dict[str, Item] = field(default_factory=dict, compare=False)
    items_by_role: dict[Role, tuple[Item, ...]] = field(default_factory=dict, compare=False)

    def by_role(self, role: Role) -> Item | None:
        """The form's first item (in form order) that has `role`; None when the form has none."""
        items = self.items_by_role.get(role, ())
        return items[0] if items else None

    def items_for(self, role: Role) -> tuple[Item, ...]:
        """Every item of `role`, in form order (FILE_NAME: Ⅱ 1 then Ⅲ 1)."""
        return self.items_by_role.get(role, ())

    def keys_for(self, role: Role) -> frozenset[str]:
        return frozenset(it.key for it in self.items_by_role.get(role, ()))


# ---------------------------------------------------------------- option lists (§3)
def _ol(id_: str, *options: str, graded: bool = False, na: tuple[int, ...] = (), aliases=()) -> OptionList:
    return OptionList(id_, tuple(options), graded, na, tuple(aliases))


_FILE_MEDIA = ("電子記録媒体（フラッシュメモリを除く。）", "フラッシュメモリ")
OPTION_LISTS: dict[str, OptionList] = {
    o.id: o
    for o in (
        _ol("BAND-TAISHO", "1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上"),
        _ol("BAND-TAISHO-KISO", "1,000人未満（任意実施）", "1,000人以上1万人未満", "1万人以上10万人未満",
            "10万人以上30万人未満", "30万人以上"),
        _ol("BAND-HONNIN", "1万人未満", "1万人以上10万人未満", "10万人以上100万人未満", "100万人以上1,000万人未満",
            "1,000万人以上"),
        _ol("BAND-STAFF", "10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満",
            "500人以上1,000人未満", "1,000人以上"),
        _ol("BAND-KOMOKU", "10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上"),
        _ol("BAND-TORIATSUKAI", "500人以上", "500人未満"),
        _ol("BAND-HOKAN", "1年未満", "1年", "2年", "3年", "4年", "5年", "6年以上10年未満", "10年以上20年未満",
            "20年以上", "定められていない"),
        _ol("G-JUBUN", "特に力を入れている", "十分である", "課題が残されている", graded=True),
        _ol("G-OKONAU", "特に力を入れて行っている", "十分に行っている", "十分に行っていない", graded=True),
        _ol("G-SAIITAKU", "特に力を入れて行っている", "十分に行っている", "十分に行っていない", "再委託していない",
            graded=True, na=(4,)),
        _ol("G-JUNSHU", "特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない", "政府機関ではない",
            graded=True, na=(4,)),
        _ol("G-SEIBI", "特に力を入れて整備している", "十分に整備している", "十分に整備していない", graded=True),
        _ol("G-SHUCHI", "特に力を入れて周知している", "十分に周知している", "十分に周知していない", graded=True),
        _ol("B-OKONAU", "行っている", "行っていない"),
        _ol("B-KIROKU", "記録を残している", "記録を残していない"),
        _ol("B-SADAME", "定めている", "定めていない"),
        _ol("B-SEIGEN", "制限している", "制限していない"),
        _ol("B-HASSEI", "発生あり", "発生なし"),
        _ol("B-SHISHA", "保管している", "保管していない"),
        _ol("B-JISSHI", "実施する", "実施しない", "未定"),
        _ol("B-ITAKU", "委託する", "委託しない"),
        _ol("B-SAIITAKU", "再委託する", "再委託しない"),
        _ol("B-HANI", "特定個人情報ファイルの全体", "特定個人情報ファイルの一部"),
        _ol("B-SHURUI", "システム用ファイル", "その他の電子ファイル（表計算ファイル等）"),
        _ol("B-TESURYO", "有料", "無料"),
        _ol("SHIKII-ZEN", "基礎項目評価及び全項目評価の実施が義務付けられる",
            "基礎項目評価及び重点項目評価の実施が義務付けられる（任意に全項目評価を実施）",
            "基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）",
            "特定個人情報保護評価の実施が義務付けられない（任意に全項目評価を実施）"),
        _ol("SHIKII-JUTEN", "基礎項目評価及び重点項目評価の実施が義務付けられる",
            "基礎項目評価の実施が義務付けられる（任意に重点項目評価を実施）",
            "特定個人情報保護評価の実施が義務付けられない（任意に重点項目評価を実施）"),
        _ol("SHIKII-KISO", "基礎項目評価及び全項目評価の実施が義務付けられる",
            "基礎項目評価及び重点項目評価の実施が義務付けられる", "基礎項目評価の実施が義務付けられる",
            "特定個人情報保護評価の実施が義務付けられない"),
        _ol("KISO-PRIORITY", "目的外の入手が行われるリスクへの対策",
            "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策",
            "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスクへの対策",
            "委託先における不正な使用等のリスクへの対策",
            "不正な提供・移転が行われるリスクへの対策（委託や情報提供ネットワークシステムを通じた提供を除く。）",
            "情報提供ネットワークシステムを通じて目的外の入手が行われるリスクへの対策",
            "情報提供ネットワークシステムを通じて不正な提供が行われるリスクへの対策",
            "特定個人情報の漏えい・滅失・毀損リスクへの対策", "従業者に対する教育・啓発"),
        _ol("KISO-SHURUI", "基礎項目評価書", "基礎項目評価書及び重点項目評価書", "基礎項目評価書及び全項目評価書"),
        # checkbox lists
        _ol("C-SYSTEM", "情報提供ネットワークシステム", "庁内連携システム", "住民基本台帳ネットワークシステム",
            "既存住民基本台帳システム", "宛名システム等", "税務システム", "その他"),
        _ol("C-KOMOKU", "個人番号", "個人番号対応符号", "その他識別情報（内部番号）", "4情報（氏名、性別、生年月日、住所）",
            "連絡先（電話番号等）", "その他住民票関係情報", "国税関係情報", "地方税関係情報", "健康・医療関係情報",
            "医療保険関係情報", "児童福祉・子育て関係情報", "障害者福祉関係情報", "生活保護・社会福祉関係情報",
            "介護・高齢者福祉関係情報", "雇用・労働関係情報", "年金関係情報", "学校・教育関係情報", "災害関係情報",
            "その他"),
        _ol("C-NYUSHUMOTO", "本人又は本人の代理人", "評価実施機関内の他部署", "行政機関・独立行政法人等",
            "地方公共団体・地方独立行政法人", "民間事業者", "その他"),
        _ol("C-NYUSHUHOHO", "紙", *_FILE_MEDIA, "電子メール", "専用線", "庁内連携システム",
            "情報提供ネットワークシステム", "その他"),
        _ol("C-ITAKUHOHO", "専用線", "電子メール", *_FILE_MEDIA, "紙", "その他"),
        _ol("C-TEIKYOHOHO", "情報提供ネットワークシステム", "専用線", "電子メール", *_FILE_MEDIA, "紙", "その他"),
        _ol("C-ITENHOHO", "庁内連携システム", "専用線", "電子メール", *_FILE_MEDIA, "紙", "その他"),
        _ol("C-UMU", "提供を行っている", "移転を行っている", "行っていない"),
        _ol("C-KANSA", "自己点検", "内部監査", "外部監査"),
    )
}
GRADED_SCALES = frozenset(o.id for o in OPTION_LISTS.values() if o.graded)


# ---------------------------------------------------------------- small constructors
def _item(kind: str, key: str, label: str, options: str | None = None, *aliases: str, count: bool = False,
          role: Role | None = None) -> Item:
    return Item(key, label, kind, options, tuple(aliases), count, role)


def sel(key, label, options, *aliases, count=False):
    return _item(SELECTION, key, label, options, *aliases, count=count)


def chk(key, label, options, *aliases, count=False):
    return _item(CHECKBOX, key, label, options, *aliases, count=count)


def txt(key, label, *aliases, role=None):
    return _item(TEXT, key, label, None, *aliases, role=role)


def dat(key, label, *aliases, role=None):
    return _item(DATE, key, label, None, *aliases, role=role)


def flag(key, label):
    return _item(FLAG, key, label)


def rating(key, scale="G-JUBUN"):
    return sel(key, "リスクへの対策は十分か", scale)


def _sec(key, number, title, *items, children=(), aliases=(), heading_item=None, flags=(), level="section",
         repeat=None, stops=()):
    return Section(key, level, title, number, tuple(items), tuple(children), tuple(aliases), repeat,
                   heading_item, tuple(flags), tuple(stops))


def _risk(key, number, title, *items, aliases=()):
    return Section(key, "risk", title, number, tuple(items), (), tuple(aliases))


def _group(key, prefix, *items):
    """A repeating group; its heading row prints the group's name ("委託事項1 | 県税データ入力業務"):
    the heading opens the text item `<key>.name`."""
    return Section(key, "group", prefix, None, tuple(items), repeat=prefix,
                   heading_item=txt(f"{key}.name", prefix) if prefix != "システム" else None)


def _measure_risk(key, number, title, *aliases):
    """The common risk block: 措置の内容 (text) + リスクへの対策は十分か (G-JUBUN)."""
    return _risk(key, number, title, txt(f"{key}.measures", "リスクに対する措置の内容"), rating(f"{key}.rating"),
                 aliases=aliases)


def _other(key, title):
    return txt(key, title + "におけるその他のリスク及びそのリスクに対する措置")


# ---------------------------------------------------------------- shared blocks
FILE_NAME_LABEL = "特定個人情報ファイル名"  # Ⅰ's list of files and the heading of each file's block
CHANGE_TABLE = "変更箇所"  # heading of the change sheet at the end of every form
CHANGE_COLUMNS = (  # the change sheet's columns: (header as printed, field suffix, kind); the longer header
    ("変更日", "date", DATE),  # first where one contains another
    ("項目", "item", TEXT),
    ("変更前の記載", "before", TEXT),
    ("変更後の記載", "after", TEXT),
    ("提出時期に係る説明", "note", TEXT),
    ("提出時期", "timing", TEXT),
)
COUNT_SUFFIX = " 件数"  # label of the count read after a selection or option: "<label> 件数"


def _cover(approval: bool) -> tuple[Item, ...]:
    items = [
        txt("cover.no", "評価書番号", role=Role.ASSESSMENT_NO),
        txt("cover.title", "評価書名", role=Role.TITLE),
        txt("cover.declaration", "個人のプライバシー等の権利利益の保護の宣言", role=Role.DECLARATION),
        txt("cover.notes", "特記事項", role=Role.NOTES),
        txt("cover.org", "評価実施機関名", role=Role.ORGANIZATION),
        dat("cover.published", "公表日", role=Role.PUBLISHED),
    ]
    if approval:
        items.insert(5, dat("cover.approved", "個人情報保護委員会承認日【行政機関等のみ】",
                            "特定個人情報保護委員会承認日【行政機関等のみ】", role=Role.APPROVED))
    return tuple(items)


def _systems(p: str) -> Section:
    return _group(f"{p}.2", "システム",
                  txt(f"{p}.2.1", "①システムの名称", role=Role.SYSTEM_NAME), txt(f"{p}.2.2", "②システムの機能"),
                  chk(f"{p}.2.3", "③他のシステムとの接続", "C-SYSTEM"))


def _provision_groups(p: str) -> tuple[Section, Section]:
    out = []
    for word, prefix, method_list in (("提供", "提供先", "C-TEIKYOHOHO"), ("移転", "移転先", "C-ITENHOHO")):
        k = f"{p}.{'teikyo' if word == '提供' else 'iten'}"
        out.append(_group(k, prefix,
                          txt(f"{k}.1", "①法令上の根拠"),
                          txt(f"{k}.2", f"②{prefix}における用途"),
                          txt(f"{k}.3", f"③{word}する情報"),
                          sel(f"{k}.4", f"④{word}する情報の対象となる本人の数", "BAND-HONNIN"),
                          txt(f"{k}.5", f"⑤{word}する情報の対象となる本人の範囲"),
                          chk(f"{k}.6", f"⑥{word}方法", method_list),
                          txt(f"{k}.7", "⑦時期・頻度")))
    return out[0], out[1]


def _file_basics(p: str) -> Section:
    items = [
        sel(f"{p}.1", "①ファイルの種類", "B-SHURUI"),
        sel(f"{p}.2", "②対象となる本人の数", "BAND-HONNIN"),
        txt(f"{p}.3", "③対象となる本人の範囲"),
        txt(f"{p}.3a", "その必要性"),
        sel(f"{p}.4", "④記録される項目", "BAND-KOMOKU"),
        chk(f"{p}.4a", "主な記録項目", "C-KOMOKU"),
        txt(f"{p}.4b", "その妥当性"),
        txt(f"{p}.4c", "全ての記録項目"),
        dat(f"{p}.5", "⑤保有開始日"),
        txt(f"{p}.6", "⑥事務担当部署"),
    ]
    return _sec(p, 2, "基本情報", *items)


def _part_basic(with_reasons: bool) -> Section:
    """Ⅰ 基本情報: 全項目 has "4. 特定個人情報ファイルを取り扱う理由", 重点 has not (its later sections move up)."""
    secs = [
        _sec("I.1", 1, "特定個人情報ファイルを取り扱う事務",
             txt("I.1.1", "①事務の名称", role=Role.AFFAIR), txt("I.1.2", "②事務の内容"),
             sel("I.1.3", "③対象人数", "BAND-TAISHO")),
        _sec("I.2", 2, "特定個人情報ファイルを取り扱う事務において使用するシステム", children=(_systems("I"),)),
        _sec("I.3", 3, FILE_NAME_LABEL, heading_item=txt("I.3", FILE_NAME_LABEL, role=Role.FILE_LIST)),
    ]
    if with_reasons:
        secs.append(_sec("I.4", 4, "特定個人情報ファイルを取り扱う理由",
                         txt("I.4.1", "①事務実施上の必要性"), txt("I.4.2", "②実現が期待されるメリット")))
    n = len(secs) + 1
    secs += [
        _sec(f"I.{n}", n, "個人番号の利用", txt(f"I.{n}", "法令上の根拠")),
        _sec(f"I.{n + 1}", n + 1, "情報提供ネットワークシステムによる情報連携",
             sel(f"I.{n + 1}.1", "①実施の有無", "B-JISSHI"), txt(f"I.{n + 1}.2", "②法令上の根拠")),
        _sec(f"I.{n + 2}", n + 2, "評価実施機関における担当部署",
             txt(f"I.{n + 2}.1", "①部署", role=Role.DEPARTMENT),
             txt(f"I.{n + 2}.2", "②所属長の役職名", "②所属長", role=Role.DEPARTMENT_HEAD)),
        _sec(f"I.{n + 3}", n + 3, "他の評価実施機関", heading_item=txt(f"I.{n + 3}", "他の評価実施機関")),
    ]
    return _sec("I", 1, "基本情報", level="part", children=tuple(secs))


# ---------------------------------------------------------------- 全項目評価書 (§4)
def _zen() -> Form:
    part1 = _part_basic(with_reasons=True)
    teikyo, iten = _provision_groups("II.5")
    part2 = _sec("II", 2, "特定個人情報ファイルの概要", level="part", repeat="file", children=(
        _sec("II.1", 1, FILE_NAME_LABEL, heading_item=txt("II.1", FILE_NAME_LABEL, role=Role.FILE_NAME)),
        _file_basics("II.2"),
        _sec("II.3", 3, "特定個人情報の入手・使用",
             chk("II.3.1", "①入手元", "C-NYUSHUMOTO"), chk("II.3.2", "②入手方法", "C-NYUSHUHOHO"),
             txt("II.3.3", "③入手の時期・頻度"), txt("II.3.4", "④入手に係る妥当性"), txt("II.3.5", "⑤本人への明示"),
             txt("II.3.6", "⑥使用目的"), txt("II.3.6a", "変更の妥当性"),
             txt("II.3.7a", "使用部署"), sel("II.3.7b", "使用者数", "BAND-STAFF"),
             txt("II.3.8", "⑧使用方法"), txt("II.3.8a", "情報の突合"), txt("II.3.8b", "情報の統計分析"),
             txt("II.3.8c", "権利利益に影響を与え得る決定"), dat("II.3.9", "⑨使用開始日"),
             stops=("⑦使用の主体",)),
        _sec("II.4", 4, "特定個人情報ファイルの取扱いの委託",
             sel("II.4.0", "委託の有無", "B-ITAKU", count=True),
             children=(_group("II.4.itaku", "委託事項",
                              txt("II.4.itaku.1", "①委託内容"),
                              sel("II.4.itaku.2", "②取扱いを委託する特定個人情報ファイルの範囲", "B-HANI"),
                              sel("II.4.itaku.2a", "対象となる本人の数", "BAND-HONNIN"),
                              txt("II.4.itaku.2b", "対象となる本人の範囲"),
                              txt("II.4.itaku.2c", "その妥当性"),
                              sel("II.4.itaku.3", "③委託先における取扱者数", "BAND-STAFF"),
                              chk("II.4.itaku.4", "④委託先への特定個人情報ファイルの提供方法", "C-ITAKUHOHO"),
                              txt("II.4.itaku.5", "⑤委託先名の確認方法"),
                              txt("II.4.itaku.6", "⑥委託先名"),
                              sel("II.4.itaku.7", "⑦再委託の有無", "B-SAIITAKU"),
                              txt("II.4.itaku.8", "⑧再委託の許諾方法"),
                              txt("II.4.itaku.9", "⑨再委託事項")),),
             aliases=("特定個人ファイルの取扱いの委託",), stops=("再委託",)),  # the 再委託 row-group label
        _sec("II.5", 5, "特定個人情報の提供・移転（委託に伴うものを除く。）",
             chk("II.5.0", "提供・移転の有無", "C-UMU", count=True), children=(teikyo, iten),
             aliases=("特定個人情報提供・移転（委託に伴うものを除く。）",)),
        _sec("II.6", 6, "特定個人情報の保管・消去",
             txt("II.6.1", "①保管場所"), sel("II.6.2", "②保管期間", "BAND-HOKAN", "期間"),
             txt("II.6.2a", "その妥当性"), txt("II.6.3", "③消去方法")),
        _sec("II.7", 7, "備考", heading_item=txt("II.7", "備考")),
    ))
    nyushu = "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"
    teikyo_t = "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
    part3 = _sec("III", 3, "特定個人情報ファイルの取扱いプロセスにおけるリスク対策", level="part", repeat="file",
                 children=(
        _sec("III.1", 1, FILE_NAME_LABEL, heading_item=txt("III.1", FILE_NAME_LABEL, role=Role.FILE_NAME)),
        _sec("III.2", 2, nyushu, _other("III.2.other", nyushu), children=(
            _risk("III.2.R1", 1, "目的外の入手が行われるリスク",
                  txt("III.2.R1.a", "対象者以外の情報の入手を防止するための措置の内容"),
                  txt("III.2.R1.b", "必要な情報以外を入手することを防止するための措置の内容"),
                  txt("III.2.R1.c", "その他の措置の内容"), rating("III.2.R1.rating")),
            _measure_risk("III.2.R2", 2, "不適切な方法で入手が行われるリスク"),
            _risk("III.2.R3", 3, "入手した特定個人情報が不正確であるリスク",
                  txt("III.2.R3.a", "入手の際の本人確認の措置の内容"),
                  txt("III.2.R3.b", "個人番号の真正性確認の措置の内容"),
                  txt("III.2.R3.c", "特定個人情報の正確性確保の措置の内容"),
                  txt("III.2.R3.d", "その他の措置の内容"), rating("III.2.R3.rating")),
            _measure_risk("III.2.R4", 4, "入手の際に特定個人情報が漏えい・紛失するリスク"),
        )),
        _sec("III.3", 3, "特定個人情報の使用", _other("III.3.other", "特定個人情報の使用"), children=(
            _risk("III.3.R1", 1, "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
                  txt("III.3.R1.a", "宛名システム等における措置の内容"),
                  txt("III.3.R1.b", "事務で使用するその他のシステムにおける措置の内容"),
                  txt("III.3.R1.c", "その他の措置の内容"), rating("III.3.R1.rating"),
                  aliases=("目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク",)),
            _risk("III.3.R2", 2, "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
                  sel("III.3.R2.1", "ユーザ認証の管理", "B-OKONAU"), txt("III.3.R2.1a", "具体的な管理方法"),
                  sel("III.3.R2.2", "アクセス権限の発効・失効の管理", "B-OKONAU"),
                  txt("III.3.R2.2a", "具体的な管理方法"),
                  sel("III.3.R2.3", "アクセス権限の管理", "B-OKONAU"), txt("III.3.R2.3a", "具体的な管理方法"),
                  sel("III.3.R2.4", "特定個人情報の使用の記録", "B-KIROKU"), txt("III.3.R2.4a", "具体的な方法"),
                  txt("III.3.R2.5", "その他の措置の内容"), rating("III.3.R2.rating")),
            _measure_risk("III.3.R3", 3, "従業者が事務外で使用するリスク"),
            _measure_risk("III.3.R4", 4, "特定個人情報ファイルが不正に複製されるリスク"),
        )),
        _sec("III.4", 4, "特定個人情報ファイルの取扱いの委託",
             txt("III.4.1", "情報保護管理体制の確認"),
             sel("III.4.2", "特定個人情報ファイルの閲覧者・更新者の制限", "B-SEIGEN"),
             txt("III.4.2a", "具体的な制限方法"),
             sel("III.4.3", "特定個人情報ファイルの取扱いの記録", "B-KIROKU"), txt("III.4.3a", "具体的な方法"),
             sel("III.4.4", "特定個人情報の提供ルール", "B-SADAME"),
             txt("III.4.4a", "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法"),
             txt("III.4.4b", "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法"),
             sel("III.4.5", "特定個人情報の消去ルール", "B-SADAME"),
             txt("III.4.5a", "ルール内容及びルール遵守の確認方法"),
             sel("III.4.6", "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "B-SADAME"),
             txt("III.4.6a", "規定の内容"),
             sel("III.4.7", "再委託先による特定個人情報ファイルの適切な取扱いの確保", "G-SAIITAKU",
                 "再委託先による特定個人情報ファイルの適切な取扱いの担保"),
             txt("III.4.7a", "具体的な方法"),
             txt("III.4.8", "その他の措置の内容"),
             rating("III.4.rating"),
             _other("III.4.other", "特定個人情報ファイルの取扱いの委託"),
             flags=(flag("III.4.flag", "委託しない"),)),
        _sec("III.5", 5, teikyo_t, _other("III.5.other", teikyo_t), flags=(flag("III.5.flag", "提供・移転しない"),),
             children=(
            _risk("III.5.R1", 1, "不正な提供・移転が行われるリスク",
                  sel("III.5.R1.1", "特定個人情報の提供・移転の記録", "B-KIROKU"), txt("III.5.R1.1a", "具体的な方法"),
                  sel("III.5.R1.2", "特定個人情報の提供・移転に関するルール", "B-SADAME"),
                  txt("III.5.R1.2a", "ルールの内容及びルール遵守の確認方法"),
                  txt("III.5.R1.3", "その他の措置の内容"), rating("III.5.R1.rating")),
            _measure_risk("III.5.R2", 2, "不適切な方法で提供・移転が行われるリスク"),
            _measure_risk("III.5.R3", 3, "誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク"),
        )),
        _sec("III.6", 6, "情報提供ネットワークシステムとの接続",
             txt("III.6.other", "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置"),
             flags=(flag("III.6.flag1", "接続しない（入手）"), flag("III.6.flag2", "接続しない（提供）")),
             children=tuple(_measure_risk(f"III.6.R{n}", n, t) for n, t in enumerate((
                 "目的外の入手が行われるリスク", "安全が保たれない方法によって入手が行われるリスク",
                 "入手した特定個人情報が不正確であるリスク", "入手の際に特定個人情報が漏えい・紛失するリスク",
                 "不正な提供が行われるリスク", "不適切な方法で提供されるリスク",
                 "誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク"), start=1))),
        _sec("III.7", 7, "特定個人情報の保管・消去", _other("III.7.other", "特定個人情報の保管・消去"), children=(
            _risk("III.7.R1", 1, "特定個人情報の漏えい・滅失・毀損リスク",
                  sel("III.7.R1.1", "①NISC政府機関統一基準群", "G-JUNSHU"),
                  sel("III.7.R1.2", "②安全管理体制", "G-SEIBI"),
                  sel("III.7.R1.3", "③安全管理規程", "G-SEIBI"),
                  sel("III.7.R1.4", "④安全管理体制・規程の職員への周知", "G-SHUCHI"),
                  sel("III.7.R1.5", "⑤物理的対策", "G-OKONAU"), txt("III.7.R1.5a", "具体的な対策の内容"),
                  sel("III.7.R1.6", "⑥技術的対策", "G-OKONAU"), txt("III.7.R1.6a", "具体的な対策の内容"),
                  sel("III.7.R1.7", "⑦バックアップ", "G-OKONAU"),
                  sel("III.7.R1.8", "⑧事故発生時手順の策定・周知", "G-OKONAU"),
                  sel("III.7.R1.9", "⑨過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
                      "B-HASSEI"),
                  txt("III.7.R1.9a", "その内容"), txt("III.7.R1.9b", "再発防止策の内容"),
                  sel("III.7.R1.10", "⑩死者の個人番号", "B-SHISHA"), txt("III.7.R1.10a", "具体的な保管方法"),
                  txt("III.7.R1.11", "その他の措置の内容"), rating("III.7.R1.rating")),
            _measure_risk("III.7.R2", 2, "特定個人情報が古い情報のまま保管され続けるリスク",
                          "特定個人情報古い情報のまま保管され続けるリスク"),
            _risk("III.7.R3", 3, "特定個人情報が消去されずいつまでも存在するリスク",
                  sel("III.7.R3.1", "消去手順", "B-SADAME"), txt("III.7.R3.1a", "手順の内容"),
                  txt("III.7.R3.2", "その他の措置の内容"), rating("III.7.R3.rating")),
        )),
    ))
    part4 = _sec("IV", 4, "その他のリスク対策", level="part", children=(
        _sec("IV.1", 1, "監査",
             sel("IV.1.1", "①自己点検", "G-OKONAU"), txt("IV.1.1a", "具体的なチェック方法"),
             sel("IV.1.2", "②監査", "G-OKONAU"), txt("IV.1.2a", "具体的な内容")),
        _sec("IV.2", 2, "従業者に対する教育・啓発",
             sel("IV.2.1", "従業者に対する教育・啓発", "G-OKONAU", "従業員に対する教育・啓発"),
             txt("IV.2.1a", "具体的な方法"), aliases=("従業員に対する教育・啓発",)),
        _sec("IV.3", 3, "その他のリスク対策", heading_item=txt("IV.3", "その他のリスク対策")),
    ))
    part5 = _sec("V", 5, "開示請求、問合せ", level="part", aliases=("開示請求、問い合わせ",), children=(
        _sec("V.1", 1, "特定個人情報の開示・訂正・利用停止請求",
             txt("V.1.1", "①請求先"), txt("V.1.2", "②請求方法"), txt("V.1.2a", "特記事項"),
             sel("V.1.3", "③手数料等", "B-TESURYO"), sel("V.1.4", "④個人情報ファイル簿の公表", "B-OKONAU"),
             txt("V.1.4a", "個人情報ファイル名"), txt("V.1.4b", "公表場所"),
             txt("V.1.5", "⑤法令による特別の手続"), txt("V.1.6", "⑥個人情報ファイル簿への不記載等")),
        _sec("V.2", 2, "特定個人情報ファイルの取扱いに関する問合せ",
             txt("V.2.1", "①連絡先"), txt("V.2.2", "②対応方法")),
    ))
    part6 = _sec("VI", 6, "評価実施手続", level="part", children=(
        _sec("VI.1", 1, "基礎項目評価",
             dat("VI.1.1", "①実施日"), sel("VI.1.2", "②しきい値判断結果", "SHIKII-ZEN")),
        _sec("VI.2", 2, "国民・住民等からの意見の聴取",
             txt("VI.2.1", "①方法"), _item(PERIOD, "VI.2.2", "②実施日・期間"),
             txt("VI.2.3", "③期間を短縮する特段の理由"), txt("VI.2.4", "④主な意見の内容"),
             txt("VI.2.5", "⑤評価書への反映")),
        _sec("VI.3", 3, "第三者点検",
             _item(DATES, "VI.3.1", "①実施日"), txt("VI.3.2", "②方法"), txt("VI.3.3", "③結果")),
        _sec("VI.4", 4, "個人情報保護委員会の承認【行政機関等のみ】",
             dat("VI.4.1", "①提出日"), txt("VI.4.2", "②個人情報保護委員会による審査", "②特定個人情報保護委員会による審査"),
             aliases=("特定個人情報保護委員会の承認【行政機関等のみ】",)),
    ))
    return _finish(Form("全項目評価書", "様式4", ("全項目評価書", "全項目評価"), _cover(True),
                        (part1, part2, part3, part4, part5, part6), CHANGE_TABLE))


# ---------------------------------------------------------------- 重点項目評価書 (§5)
def _juten() -> Form:
    part1 = _part_basic(with_reasons=False)
    teikyo, iten = _provision_groups("II.5")
    part2 = _sec("II", 2, "特定個人情報ファイルの概要", level="part", repeat="file", children=(
        _sec("II.1", 1, FILE_NAME_LABEL, heading_item=txt("II.1", FILE_NAME_LABEL, role=Role.FILE_NAME)),
        _file_basics("II.2"),
        _sec("II.3", 3, "特定個人情報の入手・使用",
             chk("II.3.1", "①入手元", "C-NYUSHUMOTO"), chk("II.3.2", "②入手方法", "C-NYUSHUHOHO"),
             txt("II.3.3", "③使用目的"), txt("II.3.4a", "使用部署"), sel("II.3.4b", "使用者数", "BAND-STAFF"),
             txt("II.3.5", "⑤使用方法"), txt("II.3.5a", "情報の突合"), dat("II.3.6", "⑥使用開始日"),
             stops=("④使用の主体",)),
        _sec("II.4", 4, "特定個人情報ファイルの取扱いの委託",
             sel("II.4.0", "委託の有無", "B-ITAKU", count=True),
             children=(_group("II.4.itaku", "委託事項",
                              txt("II.4.itaku.1", "①委託内容"),
                              sel("II.4.itaku.2", "②委託先における取扱者数", "BAND-STAFF"),
                              txt("II.4.itaku.3", "③委託先名"),
                              sel("II.4.itaku.4", "④再委託の有無", "B-SAIITAKU"),
                              txt("II.4.itaku.5", "⑤再委託の許諾方法"),
                              txt("II.4.itaku.6", "⑥再委託事項")),),
             aliases=("特定個人ファイルの取扱いの委託",), stops=("再委託",)),  # the 再委託 row-group label
        _sec("II.5", 5, "特定個人情報の提供・移転（委託に伴うものを除く。）",
             chk("II.5.0", "提供・移転の有無", "C-UMU", count=True), children=(teikyo, iten),
             aliases=("特定個人情報提供・移転（委託に伴うものを除く。）",)),  # the 全項目 variant (§10.2), same heading
        _sec("II.6", 6, "特定個人情報の保管・消去", txt("II.6.1", "保管場所")),
        _sec("II.7", 7, "備考", heading_item=txt("II.7", "備考")),
    ))
    nyushu = "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"
    teikyo_t = "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
    part3 = _sec("III", 3, "リスク対策", level="part", repeat="file", children=(
        _sec("III.1", 1, FILE_NAME_LABEL, heading_item=txt("III.1", FILE_NAME_LABEL, role=Role.FILE_NAME)),
        _sec("III.2", 2, nyushu, _other("III.2.other", nyushu),
             children=(_measure_risk("III.2.R1", 1, "目的外の入手が行われるリスク"),)),
        _sec("III.3", 3, "特定個人情報の使用", _other("III.3.other", "特定個人情報の使用"), children=(
            _measure_risk("III.3.R1", 1, "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク"),
            _risk("III.3.R2", 2, "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
                  sel("III.3.R2.1", "ユーザ認証の管理", "B-OKONAU"), txt("III.3.R2.1a", "具体的な管理方法"),
                  txt("III.3.R2.2", "その他の措置の内容"), rating("III.3.R2.rating")),
        )),
        _sec("III.4", 4, "特定個人情報ファイルの取扱いの委託",
             _other("III.4.other", "特定個人情報ファイルの取扱いの委託"),
             flags=(flag("III.4.flag", "委託しない"),), children=(
            _risk("III.4.R1", 1, "委託先における不正な使用等のリスク",
                  sel("III.4.R1.1", "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "B-SADAME"),
                  txt("III.4.R1.1a", "規定の内容"),
                  sel("III.4.R1.2", "再委託先による特定個人情報ファイルの適切な取扱いの担保", "G-SAIITAKU",
                      "再委託先による特定個人情報ファイルの適切な取扱いの確保"),
                  txt("III.4.R1.2a", "具体的な方法"), txt("III.4.R1.3", "その他の措置の内容"),
                  rating("III.4.R1.rating")),)),
        _sec("III.5", 5, teikyo_t, _other("III.5.other", teikyo_t), flags=(flag("III.5.flag", "提供・移転しない"),),
             children=(_risk("III.5.R1", 1, "不正な提供・移転が行われるリスク",
                             sel("III.5.R1.1", "特定個人情報の提供・移転に関するルール", "B-SADAME"),
                             txt("III.5.R1.1a", "ルールの内容及びルール遵守の確認方法"),
                             txt("III.5.R1.2", "その他の措置の内容"), rating("III.5.R1.rating")),)),
        _sec("III.6", 6, "情報提供ネットワークシステムとの接続",
             txt("III.6.other", "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置"),
             flags=(flag("III.6.flag1", "接続しない（入手）"), flag("III.6.flag2", "接続しない（提供）")),
             children=(_measure_risk("III.6.R1", 1, "目的外の入手が行われるリスク"),
                       _measure_risk("III.6.R2", 2, "不正な提供が行われるリスク"))),
        _sec("III.7", 7, "特定個人情報の保管・消去", _other("III.7.other", "特定個人情報の保管・消去"), children=(
            _risk("III.7.R1", 1, "特定個人情報の漏えい・滅失・毀損リスク",
                  sel("III.7.R1.1", "①事故発生時手順の策定・周知", "G-OKONAU"),
                  sel("III.7.R1.2", "②過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
                      "B-HASSEI"),
                  txt("III.7.R1.2a", "その内容"), txt("III.7.R1.2b", "再発防止策の内容"),
                  txt("III.7.R1.3", "その他の措置の内容"), rating("III.7.R1.rating")),)),
        _sec("III.8", 8, "監査", chk("III.8.1", "実施の有無", "C-KANSA")),
        _sec("III.9", 9, "従業者に対する教育・啓発",
             sel("III.9.1", "従業者に対する教育・啓発", "G-OKONAU", "従業員に対する教育・啓発"),
             txt("III.9.1a", "具体的な方法"), aliases=("従業員に対する教育・啓発",)),
        _sec("III.10", 10, "その他のリスク対策", heading_item=txt("III.10", "その他のリスク対策")),
    ))
    part4 = _sec("IV", 4, "開示請求、問合せ", level="part", aliases=("開示請求、問い合わせ",), children=(
        _sec("IV.1", 1, "特定個人情報の開示・訂正・利用停止請求",
             txt("IV.1.1", "①請求先"), txt("IV.1.2", "②請求方法"), txt("IV.1.3", "③法令による特別の手続"),
             txt("IV.1.4", "④個人情報ファイル簿への不記載等")),
        _sec("IV.2", 2, "特定個人情報ファイルの取扱いに関する問合せ",
             txt("IV.2.1", "①連絡先"), txt("IV.2.2", "②対応方法")),
    ))
    part5 = _sec("V", 5, "評価実施手続", level="part", children=(
        _sec("V.1", 1, "基礎項目評価", dat("V.1.1", "①実施日"), sel("V.1.2", "②しきい値判断結果", "SHIKII-JUTEN")),
        _sec("V.2", 2, "国民・住民等からの意見の聴取",
             txt("V.2.1", "①方法"), _item(PERIOD, "V.2.2", "②実施日・期間"), txt("V.2.3", "③主な意見の内容")),
        _sec("V.3", 3, "第三者点検",
             _item(DATES, "V.3.1", "①実施日"), txt("V.3.2", "②方法"), txt("V.3.3", "③結果")),
    ))
    return _finish(Form("重点項目評価書", "様式3", ("重点項目評価書", "重点項目評価"), _cover(False),
                        (part1, part2, part3, part4, part5), CHANGE_TABLE))


# ---------------------------------------------------------------- 基礎項目評価書 (§6; much is [M])
def _kiso() -> Form:
    part1 = _sec("I", 1, "関連情報", level="part", children=(
        _sec("I.1", 1, "特定個人情報ファイルを取り扱う事務",
             txt("I.1.1", "①事務の名称", role=Role.AFFAIR), txt("I.1.2", "②事務の概要"),
             txt("I.1.3", "③システムの名称", role=Role.SYSTEM_NAME)),
        _sec("I.2", 2, FILE_NAME_LABEL, heading_item=txt("I.2", FILE_NAME_LABEL, role=Role.FILE_LIST)),
        _sec("I.3", 3, "個人番号の利用", txt("I.3", "法令上の根拠")),
        _sec("I.4", 4, "情報提供ネットワークシステムによる情報連携",
             sel("I.4.1", "①実施の有無", "B-JISSHI"), txt("I.4.2", "②法令上の根拠")),
        _sec("I.5", 5, "評価実施機関における担当部署",
             txt("I.5.1", "①部署", role=Role.DEPARTMENT),
             txt("I.5.2", "②所属長の役職名", "②所属長", role=Role.DEPARTMENT_HEAD)),
        _sec("I.6", 6, "他の評価実施機関", heading_item=txt("I.6", "他の評価実施機関")),
    ))
    part2 = _sec("II", 2, "しきい値判断項目", level="part", children=(
        _sec("II.1", 1, "対象人数",
             sel("II.1.1", "評価対象の事務の対象人数は何人か", "BAND-TAISHO-KISO"),
             dat("II.1.2", "いつ時点の計数か")),
        _sec("II.2", 2, "取扱者数",
             sel("II.2.1", "特定個人情報ファイル取扱者数は500人以上か", "BAND-TORIATSUKAI"),
             dat("II.2.2", "いつ時点の計数か")),
        _sec("II.3", 3, "重大事故",
             sel("II.3.1", "過去1年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか",
                 "B-HASSEI")),
    ))
    part3 = _sec("III", 3, "しきい値判断結果", sel("III.1", "しきい値判断結果", "SHIKII-KISO"), level="part")
    q = "リスクへの対策は十分か"
    part4 = _sec("IV", 4, "リスク対策", level="part", children=(
        _sec("IV.1", 1, "提出する特定個人情報保護評価書の種類", heading_item=sel(
            "IV.1", "提出する特定個人情報保護評価書の種類", "KISO-SHURUI")),
        _sec("IV.2", 2, "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
             sel("IV.2.1", "目的外の入手が行われる" + q, "G-JUBUN")),
        _sec("IV.3", 3, "特定個人情報の使用",
             sel("IV.3.1", "目的を超えた紐付け、事務に必要のない情報との紐付けが行われる" + q, "G-JUBUN"),
             sel("IV.3.2", "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用される" + q, "G-JUBUN")),
        _sec("IV.4", 4, "特定個人情報ファイルの取扱いの委託",
             sel("IV.4.1", "委託先における不正な使用等の" + q, "G-JUBUN"), flags=(flag("IV.4.flag", "委託しない"),)),
        _sec("IV.5", 5, "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
             sel("IV.5.1", "不正な提供・移転が行われる" + q, "G-JUBUN"),
             flags=(flag("IV.5.flag", "提供・移転しない"),)),
        _sec("IV.6", 6, "情報提供ネットワークシステムとの接続",
             sel("IV.6.1", "目的外の入手が行われる" + q, "G-JUBUN"), sel("IV.6.2", "不正な提供が行われる" + q, "G-JUBUN"),
             flags=(flag("IV.6.flag1", "接続しない（入手）"), flag("IV.6.flag2", "接続しない（提供）"))),
        _sec("IV.7", 7, "特定個人情報の保管・消去", sel("IV.7.1", "特定個人情報の漏えい・滅失・毀損" + q, "G-JUBUN")),
        _sec("IV.8", 8, "監査", chk("IV.8.1", "実施の有無", "C-KANSA")),
        _sec("IV.9", 9, "従業者に対する教育・啓発",
             sel("IV.9.1", "従業者に対する教育・啓発", "G-OKONAU", "従業員に対する教育・啓発")),
        _sec("IV.10", 10, "最も優先度が高いと考えられる対策",
             sel("IV.10.1", "最も優先度が高いと考えられる対策", "KISO-PRIORITY"),
             sel("IV.10.2", "当該対策は十分か【再掲】", "G-JUBUN"), txt("IV.10.3", "判断の根拠"),
             flags=(flag("IV.10.flag", "全項目評価又は重点項目評価を実施する"),)),
    ))
    part5 = _sec("V", 5, "開示請求、問合せ", level="part", aliases=("開示請求、問い合わせ",), children=(
        _sec("V.1", 1, "特定個人情報の開示・訂正・利用停止請求", txt("V.1.1", "請求先")),
        _sec("V.2", 2, "特定個人情報ファイルの取扱いに関する問合せ", txt("V.2.1", "連絡先")),
    ))
    return _finish(Form("基礎項目評価書", "様式2", ("基礎項目評価書", "基礎項目評価"), _cover(False),
                        (part1, part2, part3, part4, part5), CHANGE_TABLE))


# ---------------------------------------------------------------- public-comment packs
# what a pack yields is not an item of a form: its fields, keyed "pack.*", with their labels
PACK_ITEMS: dict[str, Item] = {it.key: it for it in (
    txt("pack.organization", "実施機関（本文から）", role=Role.ORGANIZATION),
    txt("pack.affair", "事務の名称（本文から）", role=Role.AFFAIR),
    txt("pack.documents", "評価の対象となる文書"),
    txt("pack.documents.form", "評価の対象となる文書の様式"),
    _item(PERIOD, "pack.period", "意見募集期間"),
    _item(PERIOD, "pack.schedule", "スケジュール"),
    dat("pack.notice_date", "通知日（発出日）"),
    # the notice's own rows (label cell, value cell), and who to ask / where comments go
    txt("pack.publication_method", "公表方法", "公表場所", "閲覧方法", "閲覧場所"),
    txt("pack.published_content", "公表する内容", "公表資料", "ご意見・ご提言をいただきたい内容",
        "意見を求める内容"),
    txt("pack.comment_methods", "意見の募集方法", "意見の提出方法", "提出方法", "意見提出の5つの方法",
        "意見提出の方法"),
    *(txt(f"pack.{who}.{what}", f"{head} {label}")
      for who, head in (("inquiry", "問い合わせ先"), ("submission", "意見の提出先"))
      for what, label in (("department", "部署"), ("phone", "電話"), ("fax", "ファクス"), ("email", "電子メール"),
                          ("address", "住所"))),
)}


# ---------------------------------------------------------------- index
def iter_sections(sec: Section):
    yield sec
    for child in sec.children:
        yield from iter_sections(child)


def iter_items(form: Form):
    yield from form.cover
    for part in form.parts:
        for sec in iter_sections(part):
            if sec.heading_item:
                yield sec.heading_item
            yield from sec.flags
            yield from sec.items


# Roles given by key, per form type: the same role under another key in each form (the items' own roles,
# Item.role, are set where they are declared).
ROLE_KEYS: dict[str, dict[Role, str]] = {
    "全項目評価書": {
        Role.RISK_C1: "III.2.R1.rating", Role.RISK_C2: "III.3.R1.rating", Role.RISK_C3: "III.3.R2.rating",
        Role.RISK_C4: "III.4.rating", Role.RISK_C5: "III.5.R1.rating", Role.RISK_C6: "III.6.R1.rating",
        Role.RISK_C7: "III.6.R5.rating", Role.RISK_C8: "III.7.R1.rating", Role.EDUCATION: "IV.2.1",
        Role.TARGET_BAND: "I.1.3", Role.THRESHOLD_RESULT: "VI.1.2", Role.ACCIDENT_3Y: "III.7.R1.9",
    },
    "重点項目評価書": {
        Role.RISK_C1: "III.2.R1.rating", Role.RISK_C2: "III.3.R1.rating", Role.RISK_C3: "III.3.R2.rating",
        Role.RISK_C4: "III.4.R1.rating", Role.RISK_C5: "III.5.R1.rating", Role.RISK_C6: "III.6.R1.rating",
        Role.RISK_C7: "III.6.R2.rating", Role.RISK_C8: "III.7.R1.rating", Role.EDUCATION: "III.9.1",
        Role.TARGET_BAND: "I.1.3", Role.THRESHOLD_RESULT: "V.1.2", Role.ACCIDENT_3Y: "III.7.R1.2",
    },
    "基礎項目評価書": {
        Role.RISK_C1: "IV.2.1", Role.RISK_C2: "IV.3.1", Role.RISK_C3: "IV.3.2", Role.RISK_C4: "IV.4.1",
        Role.RISK_C5: "IV.5.1", Role.RISK_C6: "IV.6.1", Role.RISK_C7: "IV.6.2", Role.RISK_C8: "IV.7.1",
        Role.EDUCATION: "IV.9.1", Role.TARGET_BAND: "II.1.1", Role.THRESHOLD_RESULT: "III.1",
        Role.STAFF_BAND: "II.2.1", Role.ACCIDENT_1Y: "II.3.1", Role.FILED_FORM: "IV.1",
    },
}

# The canonical risks that align the three forms (docs/canonical-risks.md): role -> (code, label).
# The `ratings.canonical_risk` column holds the code; the keys per form are ROLE_KEYS above.
CANONICAL_RISKS: dict[Role, tuple[str, str]] = {
    Role.RISK_C1: ("C1", "入手: 目的外の入手"), Role.RISK_C2: ("C2", "使用: 目的を超えた紐付け"),
    Role.RISK_C3: ("C3", "使用: 権限のない者"), Role.RISK_C4: ("C4", "委託"), Role.RISK_C5: ("C5", "提供・移転"),
    Role.RISK_C6: ("C6", "NWS 入手"), Role.RISK_C7: ("C7", "NWS 提供"),
    Role.RISK_C8: ("C8", "保管: 漏えい・滅失・毀損"), Role.EDUCATION: ("EDU", "教育・啓発"),
}


def _finish(form: Form) -> Form:
    index: dict[str, Item] = {}
    roles: dict[Role, list[Item]] = {}
    for it in iter_items(form):
        if it.key in index:
            raise ValueError(f"duplicate item key {it.key} in {form.form_type}")
        if it.options and it.options not in OPTION_LISTS:
            raise ValueError(f"unknown option list {it.options} for {it.key}")
        index[it.key] = it
        if it.role is not None:
            roles.setdefault(it.role, []).append(it)
    for role, key in ROLE_KEYS.get(form.form_type, {}).items():
        roles.setdefault(role, []).append(index[key])  # KeyError: a role table naming no item of the form
    form.items_by_key.update(index)
    form.items_by_role.update({role: tuple(items) for role, items in roles.items()})
    return form


# ---------------------------------------------------------------- models by (form type, revision)
# revision None is the default model of a form type; a model for one revision of the printed form
# (Identity.form_revision, e.g. "平成30年5月 様式4") is added under (form type, revision)
MODELS: dict[tuple[str, str | None], Form] = {(f.form_type, f.revision): f for f in (_zen(), _juten(), _kiso())}


def model_for(form_type: str, revision: str | None = None) -> Form:
    """The model of `form_type` as printed in `revision`; the default model of the form type when no
    model of that revision exists. KeyError for a form type without a model."""
    return MODELS.get((form_type, revision)) or MODELS[(form_type, None)]


FORMS: dict[str, Form] = {ft: f for (ft, rev), f in MODELS.items() if rev is None}  # the default models
FORM_TYPES = tuple(FORMS)


def _any_model(role: Role) -> tuple[Item, ...]:
    items = {(it.key, it.label): it for f in MODELS.values() for it in f.items_for(role)}
    return tuple(items.values())


# Code that reads fields without their form (the identity, the second OCR readings) asks which keys carry
# a role in any model: FILE_LIST is I.3 in 全項目/重点項目 but I.2 in 基礎 (whose I.3 is 法令上の根拠)
_ROLE_ITEMS: dict[Role, tuple[Item, ...]] = {role: _any_model(role) for role in Role}


def role_items(role: Role) -> tuple[Item, ...]:
    """The `role` items of every model (one per key and label), in form order."""
    return _ROLE_ITEMS[role]


@cache
def role_keys(role: Role) -> frozenset[str]:
    """Keys that carry `role` in some model."""
    return frozenset(it.key for it in _ROLE_ITEMS[role])


def role_label(role: Role) -> str:
    """The label of the `role` item (the same in every model that has one)."""
    labels = {it.label for it in _ROLE_ITEMS[role]}
    if len(labels) != 1:
        raise ValueError(f"{role} has labels {sorted(labels)}")
    return labels.pop()


def has_role(role: Role, key: str, label: str) -> bool:
    """A field of this key and label is the `role` item of some model (the key alone may be another
    item in another form)."""
    return any(it.key == key and it.label == label for it in _ROLE_ITEMS[role])


PUBLIC_COMMENT = "public-comment"
UNKNOWN = "unknown"
