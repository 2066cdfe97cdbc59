"""Content generator: one complete filled-in assessment (特定個人情報保護評価書) drawn at random.

Labels, option lists and the structure of the three forms are taken from ../shared/reference/pia-forms.md
(section numbers cited below), including the label variants it reports from real documents. Only the item
KEYS come from the project (extract/forms/model.py), so that the answer keys join the reader's output.

The generator returns a `Doc`: an ordered list of printable elements (cover, part and section headings,
items, groups, the 変更箇所 table). Every element that the reader should extract carries its answer-key
entry (a dict in the format of tests/fixtures/pdf/*.key.json); the renderers only fill in entry["page"].
Nothing here knows about page layout, and nothing is ever read back from a PDF.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

# ====================================================================== option lists (pia-forms.md §3)
OPTIONS: dict[str, tuple[str, ...]] = {
    # §3.1 bands
    "BAND-TAISHO": ("1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上"),
    "BAND-TAISHO-KISO": ("1,000人未満（任意実施）", "1,000人以上1万人未満", "1万人以上10万人未満",
                         "10万人以上30万人未満", "30万人以上"),
    "BAND-HONNIN": ("1万人未満", "1万人以上10万人未満", "10万人以上100万人未満", "100万人以上1,000万人未満",
                    "1,000万人以上"),
    "BAND-STAFF": ("10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満", "500人以上1,000人未満",
                   "1,000人以上"),
    "BAND-KOMOKU": ("10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上"),
    "BAND-TORIATSUKAI": ("500人以上", "500人未満"),
    "BAND-HOKAN": ("1年未満", "1年", "2年", "3年", "4年", "5年", "6年以上10年未満", "10年以上20年未満", "20年以上",
                   "定められていない"),
    # §3.2 grade scales
    "G-JUBUN": ("特に力を入れている", "十分である", "課題が残されている"),
    "G-OKONAU": ("特に力を入れて行っている", "十分に行っている", "十分に行っていない"),
    "G-SAIITAKU": ("特に力を入れて行っている", "十分に行っている", "十分に行っていない", "再委託していない"),
    "G-JUNSHU": ("特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない", "政府機関ではない"),
    "G-SEIBI": ("特に力を入れて整備している", "十分に整備している", "十分に整備していない"),
    "G-SHUCHI": ("特に力を入れて周知している", "十分に周知している", "十分に周知していない"),
    # §3.3 binary and small selects
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
    # §4.7, §5.6, §6.4 しきい値判断結果
    "SHIKII-ZEN": ("基礎項目評価及び全項目評価の実施が義務付けられる",
                   "基礎項目評価及び重点項目評価の実施が義務付けられる（任意に全項目評価を実施）",
                   "基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）",
                   "特定個人情報保護評価の実施が義務付けられない（任意に全項目評価を実施）"),
    "SHIKII-JUTEN": ("基礎項目評価及び重点項目評価の実施が義務付けられる",
                     "基礎項目評価の実施が義務付けられる（任意に重点項目評価を実施）",
                     "特定個人情報保護評価の実施が義務付けられない（任意に重点項目評価を実施）"),
    "SHIKII-KISO": ("基礎項目評価及び全項目評価の実施が義務付けられる",
                    "基礎項目評価及び重点項目評価の実施が義務付けられる", "基礎項目評価の実施が義務付けられる",
                    "特定個人情報保護評価の実施が義務付けられない"),
    # §6.5
    "KISO-SHURUI": ("基礎項目評価書", "基礎項目評価書及び重点項目評価書", "基礎項目評価書及び全項目評価書"),
    "KISO-PRIORITY": ("目的外の入手が行われるリスクへの対策",
                      "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策",
                      "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスクへの対策",
                      "委託先における不正な使用等のリスクへの対策",
                      "不正な提供・移転が行われるリスクへの対策（委託や情報提供ネットワークシステムを通じた提供を除く。）",
                      "情報提供ネットワークシステムを通じて目的外の入手が行われるリスクへの対策",
                      "情報提供ネットワークシステムを通じて不正な提供が行われるリスクへの対策",
                      "特定個人情報の漏えい・滅失・毀損リスクへの対策", "従業者に対する教育・啓発"),
    # §3.4 checkbox lists (labels without their "（ … ）" free-text parentheses)
    "C-SYSTEM": ("情報提供ネットワークシステム", "庁内連携システム", "住民基本台帳ネットワークシステム",
                 "既存住民基本台帳システム", "宛名システム等", "税務システム", "その他"),
    "C-KOMOKU": ("個人番号", "個人番号対応符号", "その他識別情報（内部番号）", "4情報（氏名、性別、生年月日、住所）",
                 "連絡先（電話番号等）", "その他住民票関係情報", "国税関係情報", "地方税関係情報", "健康・医療関係情報",
                 "医療保険関係情報", "児童福祉・子育て関係情報", "障害者福祉関係情報", "生活保護・社会福祉関係情報",
                 "介護・高齢者福祉関係情報", "雇用・労働関係情報", "年金関係情報", "学校・教育関係情報", "災害関係情報",
                 "その他"),
    "C-NYUSHUMOTO": ("本人又は本人の代理人", "評価実施機関内の他部署", "行政機関・独立行政法人等",
                     "地方公共団体・地方独立行政法人", "民間事業者", "その他"),
    "C-NYUSHUHOHO": ("紙", "電子記録媒体（フラッシュメモリを除く。）", "フラッシュメモリ", "電子メール", "専用線",
                     "庁内連携システム", "情報提供ネットワークシステム", "その他"),
    "C-ITAKUHOHO": ("専用線", "電子メール", "電子記録媒体（フラッシュメモリを除く。）", "フラッシュメモリ", "紙", "その他"),
    "C-TEIKYOHOHO": ("情報提供ネットワークシステム", "専用線", "電子メール", "電子記録媒体（フラッシュメモリを除く。）",
                     "フラッシュメモリ", "紙", "その他"),
    "C-ITENHOHO": ("庁内連携システム", "専用線", "電子メール", "電子記録媒体（フラッシュメモリを除く。）",
                   "フラッシュメモリ", "紙", "その他"),
    "C-UMU": ("提供を行っている", "移転を行っている", "行っていない"),
    "C-KANSA": ("自己点検", "内部監査", "外部監査"),
}
# checkbox options printed with a free-text parenthesis "（ … ）" after the label (§3.4)
PAREN_OPTIONS = {
    "C-SYSTEM": {"その他"},
    "C-KOMOKU": {"その他"},
    "C-NYUSHUMOTO": {"評価実施機関内の他部署", "行政機関・独立行政法人等", "地方公共団体・地方独立行政法人", "民間事業者",
                     "その他"},
    "C-NYUSHUHOHO": {"その他"},
    "C-ITAKUHOHO": {"その他"},
    "C-TEIKYOHOHO": {"その他"},
    "C-ITENHOHO": {"その他"},
}
KOMOKU_HEADINGS = {0: "・識別情報", 3: "・連絡先等情報", 6: "・業務関係情報"}  # before option index
GRADED = ("G-JUBUN", "G-OKONAU", "G-SAIITAKU", "G-JUNSHU", "G-SEIBI", "G-SHUCHI")
# "a value from another scale" for the not-in-options undeterminable items
FOREIGN_VALUES = ("概ね十分である", "十分に行っている", "十分である", "定めている", "行っている", "記録を残している",
                  "特に力を入れて行っている", "一部実施している", "検討中", "十分に整備している")

FORM_TYPES = {"zen": "全項目評価書", "juten": "重点項目評価書", "kiso": "基礎項目評価書"}
YOSHIKI = {"zen": "様式4", "juten": "様式3", "kiso": "様式2"}
# version stamps seen in the wild (§4.1, §9): 様式3 only 平成26年4月 is attested
REVISIONS = {"zen": ("平成26年4月", "平成28年1月", "平成30年5月"), "juten": ("平成26年4月",),
             "kiso": ("平成28年1月", "平成29年5月")}
REVISION_DATES = {"平成26年4月": date(2014, 4, 1), "平成28年1月": date(2016, 1, 1), "平成29年5月": date(2017, 5, 1),
                  "平成30年5月": date(2018, 5, 1)}


# ====================================================================== organisations and affairs
# (name, kind, office printed as 評価実施機関名); none of the existing fixtures' bodies
ORGS = [
    ("大分県", "pref", "大分県知事"), ("宮崎県", "pref", "宮崎県知事"), ("鳥取県", "pref", "鳥取県知事"),
    ("長崎県", "pref", "長崎県知事"), ("山形県", "pref", "山形県知事"), ("徳島県", "pref", "徳島県知事"),
    ("佐賀市", "city", "佐賀市長"), ("北見市", "city", "北見市長"), ("高松市", "city", "高松市長"),
    ("松江市", "city", "松江市長"), ("函館市", "city", "函館市長"), ("釧路市", "city", "釧路市長"),
    ("秋田市", "city", "秋田市長"), ("盛岡市", "city", "盛岡市長"), ("福井市", "city", "福井市長"),
    ("甲府市", "city", "甲府市長"), ("松本市", "city", "松本市長"), ("津市", "city", "津市長"),
    ("高知市", "city", "高知市長"), ("佐世保市", "city", "佐世保市長"), ("別府市", "city", "別府市長"),
    ("日向市", "city", "日向市長"), ("都城市", "city", "都城市長"), ("嬉野市", "city", "嬉野市長"),
    ("日出町", "town", "日出町長"), ("綾町", "town", "綾町長"), ("美幌町", "town", "美幌町長"),
    ("西粟倉村", "village", "西粟倉村長"),
]
ROMAJI = {"大分県": "oita_pref", "宮崎県": "miyazaki_pref", "鳥取県": "tottori_pref", "長崎県": "nagasaki_pref",
          "山形県": "yamagata_pref", "徳島県": "tokushima_pref", "佐賀市": "saga", "北見市": "kitami",
          "高松市": "takamatsu", "松江市": "matsue", "函館市": "hakodate", "釧路市": "kushiro", "秋田市": "akita",
          "盛岡市": "morioka", "福井市": "fukui", "甲府市": "kofu", "松本市": "matsumoto", "津市": "tsu",
          "高知市": "kochi", "佐世保市": "sasebo", "別府市": "beppu", "日向市": "hyuga", "都城市": "miyakonojo",
          "嬉野市": "ureshino", "日出町": "hiji", "綾町": "aya", "美幌町": "bihoro", "西粟倉村": "nishiawakura"}

# Each affair: who runs it (pref / muni), the 事務の名称, files, systems, 委託事項 (title, contractor),
# 提供先 (name, law), 移転先 (department), the department in charge and the typical 主な記録項目.
AFFAIRS = [
    dict(code="chiho", who="muni", name="個人住民税の賦課徴収に関する事務", dept="税務課", komoku={"地方税関係情報", "国税関係情報"},
         files=["個人住民税ファイル", "固定資産税ファイル", "軽自動車税ファイル", "収滞納管理ファイル"],
         systems=[("税務総合システム", "個人住民税の賦課、課税台帳の管理、税額通知書の作成を行う。"),
                  ("収滞納管理システム", "市税の収納消込、督促状の作成、滞納整理の記録を行う。"),
                  ("eLTAX審査システム", "地方税ポータルシステムを通じて給与支払報告書、公的年金等支払報告書等を受け付ける。")],
         itaku=[("税務システム運用保守業務", "株式会社地域情報センター"), ("課税資料パンチ入力業務", "株式会社データプロセス西日本"),
                ("納税通知書等印刷封入封緘業務", "株式会社中央ビジネスフォーム"), ("コンビニ収納代行業務", "株式会社収納ネットサービス"),
                ("地方税共通納税システム接続業務", "一般社団法人地方税電子化協議会")],
         teikyo=[("地方公共団体情報システム機構", "番号法第19条第8号に基づく主務省令第2条の表"), ("他の市町村長", "地方税法第294条第3項"),
                 ("都道府県知事", "番号法第19条第8号"), ("国税庁長官（所轄税務署長）", "番号法第19条第10号"),
                 ("日本年金機構", "番号法第19条第8号")],
         iten=["国民健康保険課", "介護保険課", "子育て支援課", "障がい福祉課", "生活福祉課"]),
    dict(code="chiho", who="pref", name="県税の賦課徴収に関する事務", dept="税務課", komoku={"地方税関係情報", "国税関係情報"},
         files=["県税総合ファイル", "自動車税種別割ファイル", "個人事業税ファイル", "不動産取得税ファイル"],
         systems=[("県税総合システム", "県税の課税、収納、滞納整理、還付等を一元的に管理する。"),
                  ("自動車税システム", "自動車税種別割の課税、納税通知書の作成及び減免の管理を行う。")],
         itaku=[("県税システム運用保守業務", "株式会社地域情報センター"), ("自動車税納税通知書印刷業務", "株式会社中央ビジネスフォーム"),
                ("県税電話催告業務", "株式会社コールセンター九州"), ("県税データ入力業務", "株式会社データプロセス西日本")],
         teikyo=[("地方公共団体情報システム機構", "番号法第19条第8号に基づく主務省令第2条の表"), ("市町村長", "地方税法第20条の11"),
                 ("他の都道府県知事", "番号法第19条第8号"), ("国税庁長官（所轄税務署長）", "番号法第19条第10号")],
         iten=["福祉保健部障害福祉課", "商工観光労働部", "土木部建築住宅課"]),
    dict(code="jido", who="muni", name="児童手当の支給に関する事務", dept="子育て支援課", komoku={"児童福祉・子育て関係情報", "地方税関係情報"},
         files=["児童手当受給者ファイル", "児童手当支払ファイル", "児童手当認定ファイル"],
         systems=[("児童手当システム", "児童手当の認定請求の受付、支給決定、現況の確認及び支払データの作成を行う。"),
                  ("子ども・子育て支援システム", "保育所入所、児童手当、児童扶養手当の情報を一元管理する。")],
         itaku=[("児童手当システム運用保守業務", "株式会社南日本電算"), ("児童手当現況届等入力業務", "株式会社データプロセス西日本"),
                ("支給決定通知書印刷封入業務", "株式会社中央ビジネスフォーム")],
         teikyo=[("他の市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("地方公共団体情報システム機構", "番号法第19条第8号"),
                 ("内閣総理大臣（こども家庭庁）", "番号法第19条第8号")],
         iten=["税務課", "国民健康保険課", "保育課"]),
    dict(code="kokuho", who="muni", name="国民健康保険に関する事務", dept="国保年金課", komoku={"医療保険関係情報", "地方税関係情報", "健康・医療関係情報"},
         files=["国民健康保険資格ファイル", "国民健康保険税ファイル", "国民健康保険給付ファイル"],
         systems=[("国民健康保険システム", "被保険者の資格管理、保険税の賦課、保険給付の管理を行う。"),
                  ("国保情報集約システム", "都道府県単位での被保険者資格及び高額療養費の多数回該当の情報を集約する。")],
         itaku=[("国民健康保険システム運用保守業務", "株式会社南日本電算"), ("レセプト点検業務", "株式会社医療情報サポート"),
                ("国民健康保険団体連合会への共同処理委託", "国民健康保険団体連合会"), ("保険証等印刷業務", "株式会社中央ビジネスフォーム")],
         teikyo=[("他の市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("都道府県知事", "番号法第19条第8号"),
                 ("全国健康保険協会", "番号法第19条第8号"), ("国民健康保険組合", "番号法第19条第8号")],
         iten=["税務課", "介護保険課", "健康増進課"]),
    dict(code="kaigo", who="muni", name="介護保険に関する事務", dept="介護保険課", komoku={"介護・高齢者福祉関係情報", "年金関係情報", "地方税関係情報"},
         files=["介護保険資格ファイル", "介護保険賦課ファイル", "介護保険給付ファイル", "要介護認定ファイル"],
         systems=[("介護保険システム", "被保険者資格の管理、保険料の賦課・収納、要介護認定、給付管理を行う。"),
                  ("要介護認定支援システム", "認定調査票及び主治医意見書の管理並びに認定審査会資料の作成を行う。")],
         itaku=[("介護保険システム運用保守業務", "株式会社地域情報センター"), ("要介護認定調査業務", "社会福祉法人あおば会"),
                ("介護保険料納入通知書印刷業務", "株式会社中央ビジネスフォーム")],
         teikyo=[("他の市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("日本年金機構", "番号法第19条第8号"),
                 ("都道府県知事", "番号法第19条第8号")],
         iten=["税務課", "国民健康保険課", "高齢福祉課", "生活福祉課"]),
    dict(code="shogai", who="muni", name="障害者福祉に関する事務", dept="障がい福祉課", komoku={"障害者福祉関係情報", "地方税関係情報"},
         files=["障害者手帳ファイル", "自立支援給付ファイル", "特別障害者手当ファイル"],
         systems=[("障害者福祉システム", "身体障害者手帳等の交付、障害福祉サービスの支給決定及び給付の管理を行う。")],
         itaku=[("障害者福祉システム運用保守業務", "株式会社南日本電算"), ("障害支援区分認定調査業務", "社会福祉法人ひかり福祉会")],
         teikyo=[("他の市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("都道府県知事", "番号法第19条第8号")],
         iten=["税務課", "介護保険課", "子育て支援課"]),
    dict(code="shogai", who="pref", name="特別児童扶養手当の支給に関する事務", dept="障害福祉課", komoku={"障害者福祉関係情報", "児童福祉・子育て関係情報"},
         files=["特別児童扶養手当受給者ファイル", "特別児童扶養手当支払ファイル"],
         systems=[("特別児童扶養手当システム", "認定請求の審査、受給資格の管理及び支払データの作成を行う。")],
         itaku=[("特別児童扶養手当システム保守業務", "株式会社地域情報センター")],
         teikyo=[("市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("厚生労働大臣", "番号法第19条第8号")],
         iten=["子ども家庭課", "税務課"]),
    dict(code="seiho", who="muni", name="生活保護に関する事務", dept="生活福祉課", komoku={"生活保護・社会福祉関係情報", "年金関係情報", "医療保険関係情報"},
         files=["生活保護受給者ファイル", "保護台帳ファイル", "生活保護医療扶助ファイル"],
         systems=[("生活保護システム", "保護の申請受付、保護の決定・実施、扶助費の支給及びケース記録の管理を行う。"),
                  ("医療扶助レセプト管理システム", "医療扶助の診療報酬明細書の点検及び管理を行う。")],
         itaku=[("生活保護システム運用保守業務", "株式会社地域情報センター"), ("医療扶助レセプト点検業務", "株式会社医療情報サポート")],
         teikyo=[("他の福祉事務所長", "番号法第19条第8号に基づく主務省令第2条の表"), ("厚生労働大臣", "番号法第19条第8号"),
                 ("日本年金機構", "番号法第19条第8号")],
         iten=["税務課", "国民健康保険課", "介護保険課", "市営住宅課"]),
    dict(code="seiho", who="pref", name="生活保護の決定及び実施に関する事務", dept="地域福祉課", komoku={"生活保護・社会福祉関係情報", "年金関係情報"},
         files=["生活保護受給者ファイル", "被保護者台帳ファイル"],
         systems=[("県生活保護システム", "町村部の福祉事務所における保護の決定・実施、ケース記録の管理を行う。")],
         itaku=[("県生活保護システム運用保守業務", "株式会社地域情報センター")],
         teikyo=[("市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("厚生労働大臣", "番号法第19条第8号")],
         iten=["税務課", "県営住宅課"]),
    dict(code="juki", who="muni", name="住民基本台帳に関する事務", dept="市民課", komoku={"その他住民票関係情報"},
         files=["住民基本台帳ファイル", "本人確認情報ファイル", "送付先情報ファイル", "戸籍の附票本人確認情報ファイル"],
         systems=[("住民記録システム", "住民異動届の受付、住民票の記載・消除、証明書の交付を行う。"),
                  ("住民基本台帳ネットワークシステム", "市町村CSを通じて本人確認情報を都道府県サーバへ通知する。"),
                  ("コンビニ交付システム", "マイナンバーカードを利用した住民票の写し等の交付を行う。")],
         itaku=[("住民記録システム運用保守業務", "株式会社地域情報センター"), ("マイナンバーカード交付窓口業務", "株式会社窓口サービスジャパン"),
                ("住民基本台帳ネットワークシステム保守業務", "日本電気株式会社"), ("異動届データ入力業務", "株式会社データプロセス西日本")],
         teikyo=[("地方公共団体情報システム機構", "住民基本台帳法第30条の7"), ("都道府県知事", "住民基本台帳法第30条の6"),
                 ("他の市町村長", "住民基本台帳法第9条"), ("日本年金機構", "番号法第19条第8号に基づく主務省令第2条の表")],
         iten=["税務課", "国民健康保険課", "子育て支援課", "選挙管理委員会事務局", "介護保険課"]),
    dict(code="juki", who="pref", name="住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に関する事務", dept="市町村課",
         komoku={"その他住民票関係情報"},
         files=["都道府県知事保存本人確認情報ファイル", "都道府県知事保存附票本人確認情報ファイル"],
         systems=[("住民基本台帳ネットワークシステム（都道府県サーバ）", "本人確認情報の更新、他の執行機関への提供及び開示を行う。")],
         itaku=[("都道府県サーバ集約センター運用業務", "地方公共団体情報システム機構"), ("業務端末保守業務", "日本電気株式会社")],
         teikyo=[("地方公共団体情報システム機構", "住民基本台帳法第30条の7"), ("県の他の執行機関（教育委員会）", "住民基本台帳法第30条の15第2項"),
                 ("市町村長", "住民基本台帳法第30条の11")],
         iten=["旅券事務所", "福祉保健部", "県税事務所"]),
    dict(code="yobo", who="muni", name="予防接種に関する事務", dept="健康づくり課", komoku={"健康・医療関係情報"},
         files=["予防接種台帳ファイル", "予防接種履歴ファイル", "健康被害救済ファイル"],
         systems=[("健康管理システム", "予防接種の対象者の抽出、予診票の作成、接種履歴の管理を行う。"),
                  ("ワクチン接種記録システム（VRS）", "新型コロナウイルスワクチンの接種記録を管理する。")],
         itaku=[("健康管理システム運用保守業務", "株式会社南日本電算"), ("予診票等印刷発送業務", "株式会社中央ビジネスフォーム"),
                ("予防接種予約受付コールセンター業務", "株式会社コールセンター九州")],
         teikyo=[("他の市町村長", "番号法第19条第8号に基づく主務省令第2条の表"), ("厚生労働大臣", "番号法第19条第8号")],
         iten=["子育て支援課", "国民健康保険課"]),
    dict(code="koki", who="muni", name="後期高齢者医療に関する事務", dept="保険年金課", komoku={"医療保険関係情報", "年金関係情報", "地方税関係情報"},
         files=["後期高齢者医療被保険者ファイル", "後期高齢者医療保険料ファイル"],
         systems=[("後期高齢者医療システム（市町村窓口端末）", "資格の届出受付、保険料の徴収、被保険者証の引渡しを行う。"),
                  ("広域連合標準システム", "後期高齢者医療広域連合の電算処理システムとの間で資格・賦課情報を送受信する。")],
         itaku=[("後期高齢者医療システム運用保守業務", "株式会社地域情報センター"), ("保険料納付書印刷業務", "株式会社中央ビジネスフォーム")],
         teikyo=[("後期高齢者医療広域連合", "高齢者の医療の確保に関する法律第138条"), ("日本年金機構", "番号法第19条第8号")],
         iten=["税務課", "介護保険課"]),
    dict(code="shugaku", who="edu", name="就学援助に関する事務", dept="学校教育課", komoku={"学校・教育関係情報", "地方税関係情報", "生活保護・社会福祉関係情報"},
         files=["就学援助ファイル", "特別支援教育就学奨励費ファイル"],
         systems=[("就学援助システム", "就学援助の申請受付、認定、支給額の算定及び支払の管理を行う。"),
                  ("学齢簿システム", "学齢簿の編製及び就学通知の作成を行う。")],
         itaku=[("就学援助システム保守業務", "株式会社南日本電算")],
         teikyo=[("他の市町村教育委員会", "番号法第19条第8号に基づく主務省令第2条の表")],
         iten=["税務課", "生活福祉課"]),
]

SURNAMES = ["佐藤", "高橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤", "吉田", "松本", "井上", "木村", "清水", "森", "阿部"]
GIVEN = ["誠", "健一", "裕子", "直樹", "美穂", "隆", "浩二", "恵子", "修", "和彦", "真由美", "博之"]

# ====================================================================== free text (wording modelled on §4–§6)
PROSE = {
    "naiyo": ["{affair}について、申請・届出の受付、審査、決定及び通知を行う。",
              "番号法に基づき、個人番号を利用して関係機関との情報連携を行い、添付書類の省略を図る。",
              "対象者の資格情報、所得情報等を管理し、適正な給付・賦課を行う。",
              "窓口又は郵送により受け付けた届出の内容を{system}に入力し、台帳を更新する。",
              "他の地方公共団体等からの照会に対し、情報提供ネットワークシステムを通じて情報を提供する。"],
    "hitsuyo": ["正確かつ効率的な本人特定を行うため、個人番号を用いて特定個人情報ファイルを管理する必要がある。",
                "関係機関との情報連携により、申請者の負担軽減と事務の効率化を図るため。"],
    "merit": ["添付書類の削減による住民の負担軽減", "情報連携による事務処理の迅速化及び正確性の向上",
              "重複給付や不正受給の防止"],
    "hanni": ["{org}に住所を有する{target}", "{affair}の対象となる者及びその世帯員", "転出者を含む過去の{target}"],
    "dato": ["{affair}を適正に行うために必要な範囲に限定している。", "法令に定める事務の遂行に必要な項目のみを記録している。"],
    "jiki": ["申請・届出の都度", "毎月1回", "年1回（6月）", "随時", "日次（夜間バッチ処理）"],
    "meiji": ["申請書等の様式に個人番号の利用目的を記載している。", "窓口において利用目的を説明している。",
              "ホームページ及び広報紙により利用目的を周知している。"],
    "mokuteki": ["{affair}を適正かつ効率的に行うため。", "対象者の資格の確認及び給付額の算定に使用する。"],
    "hoho": ["{system}により対象者の情報を照会・更新する。", "届出内容と住民基本台帳情報とを突合し、資格の確認を行う。",
             "情報提供ネットワークシステムを通じて所得情報を照会し、給付額を算定する。"],
    "totsugo": ["住民基本台帳情報と突合し、異動の有無を確認する。", "税情報と突合し、所得要件を確認する。"],
    "tokei": ["統計分析は行わない。", "個人を特定しない形で件数を集計する。"],
    "kettei": ["資格の取得・喪失、給付額の決定", "賦課額の決定及び減免の決定"],
    "itaku_naiyo": ["{title}（システムの運用監視、障害対応、法改正に伴う改修等）", "{title}に係る一切の業務"],
    "kakunin": ["契約書及び委託先からの報告書により確認する。", "入札結果を公表し、契約締結時に確認する。"],
    "kyodaku": ["再委託の内容、再委託先、安全管理措置を記載した書面による事前の申請を受け、承認する。",
                "委託先から再委託承認申請書を提出させ、個人情報の取扱いに関する事項を確認した上で書面により許諾する。"],
    "saiitaku_jiko": ["システムの保守業務の一部", "帳票の印刷及び封入封緘業務", "データ入力業務の一部"],
    "yoto": ["{recipient}における{affair}の事務", "番号法別表に定める事務の処理に必要な範囲での利用"],
    "joho": ["個人番号、4情報（氏名、性別、生年月日、住所）及び異動事由", "所得・課税情報", "資格情報及び給付情報"],
    "hokan": ["<執務室における措置>\n・書類は施錠できる書庫に保管している。",
              "<データセンターにおける措置>\n・入退室管理を行っている建物内のサーバ室に設置したサーバに保管している。",
              "<中間サーバー・プラットフォームにおける措置>\n・中間サーバー・プラットフォームはデータセンターに設置しており、入館・入室管理を行っている。",
              "<ガバメントクラウドにおける措置>\n・ISMAPのリストに登録されたクラウドサービス事業者が保有・管理する環境に保管する。"],
    "hokan_dato": ["法令に定める保存期間に基づく。", "時効及び遡及処理に対応するため。"],
    "shokyo": ["保存期間を経過したデータはシステムにより自動的に消去する。", "紙媒体は溶解処理を行う業者に引き渡し、溶解証明書を受領する。"],
    "measure": ["窓口において申請書等を受け付ける際は、個人番号カード、運転免許証等の提示を求め、厳格な本人確認を行う。",
                "システムへのログインは職員ごとに付与したID及びパスワードにより行い、操作者を特定できるようにしている。",
                "操作履歴（操作ログ）をシステムで記録し、定期的に不正な操作がないか確認している。",
                "USBメモリ等の外部記録媒体の接続をシステムにより制限し、事前に許可された媒体以外は使用できない。",
                "アクセス権限は事務に必要な範囲に限定し、人事異動の都度見直している。",
                "申請書の様式に必要な項目のみを記載させ、不要な情報を入手しないようにしている。",
                "システム上、対象者以外の情報を入力できないよう制御している。",
                "端末のディスプレイに偏光フィルタを貼付し、来庁者から画面が見えないよう配置している。",
                "特定個人情報を含む書類の受渡しは記録簿に記載し、授受の日時、件数、担当者を記録している。",
                "職員に対して年1回研修を実施し、目的外利用の禁止について周知徹底している。",
                "異動届に基づき速やかに更新し、常に最新の情報となるよう管理している。",
                "バックアップは日次で取得し、遠隔地のデータセンターに保管している。",
                "情報提供ネットワークシステムとの接続は中間サーバーを介して行い、情報照会の記録を7年間保存する。",
                "委託契約書に秘密保持、目的外利用の禁止、再委託の制限、事故時の報告義務を定めている。",
                "委託先に対して定期的に作業報告書の提出を求め、必要に応じて実地調査を行う。",
                "提供の際は提供先、提供内容、日時を記録し、定期的に確認している。",
                "個人番号の真正性は住民基本台帳ネットワークシステムへの照会により確認する。",
                "入力内容は複数の職員により確認（ダブルチェック）を行っている。",
                "保存期間を経過した特定個人情報は、システムにより確実に消去する。",
                "中間サーバー・プラットフォームでは、情報照会・提供の記録を7年分保存している。"],
    "other": ["特になし。", "―", "職員の人事異動時にはアクセス権限を速やかに削除している。"],
    "kansa": ["年1回、評価書の記載内容どおりの運用がなされているか自己点検を行う。",
              "情報セキュリティ監査を年1回実施し、指摘事項について改善を行う。", "外部監査法人による監査を3年ごとに受ける。"],
    "kyoiku": ["新規採用職員及び異動者に対し、個人情報保護研修を実施している。",
               "全職員を対象に情報セキュリティ研修（eラーニング）を年1回実施している。"],
    "sonota_risk": ["<中間サーバー・プラットフォームにおける措置>\n・中間サーバー・プラットフォームの運用に携わる職員及び事業者に対し、セキュリティ研修を実施している。",
                    "<ガバメントクラウドにおける措置>\n・ガバメントクラウドの利用に当たっては、ISMAPに登録されたサービスを利用する。",
                    "特になし。"],
    "seikyusaki": ["〒{zip} {org}{addr}\n{org_office}{dept}（電話 {tel}）", "{org}総務部総務課 情報公開担当\n〒{zip} {org}{addr}"],
    "seikyuhoho": ["指定様式による書面の提出により開示・訂正・利用停止請求を受け付ける。"],
    "renrakusaki": ["{org}{dept}\n〒{zip} {org}{addr}\n電話 {tel}"],
    "taio": ["問合せの受付時に記録を残し、担当課において回答する。"],
    "iken_hoho": ["{org}ホームページ、{dept}窓口及び各支所において評価書案を公開し、意見を募集した。"],
    "iken_naiyo": ["意見なし", "個人情報の管理体制についての質問が1件あった。"],
    "hanei": ["意見がなかったため、反映はない。", "質問に対する回答を公表した。"],
    "daisansha_hoho": ["{org}個人情報保護審議会による点検", "外部の有識者による第三者点検"],
    "kekka": ["適合性及び妥当性に問題がないとの答申を受けた。", "評価書の記載内容について、特段の指摘事項はなかった。"],
    "jiko_naiyo": ["職員が誤って別人の通知書を送付し、特定個人情報が漏えいした事案が1件発生した。"],
    "saihatsu": ["発送前の複数人による確認を徹底し、封入封緘作業の手順を見直した。"],
    "shisha": ["死亡者の情報は一定期間システム上で保管し、保存期間経過後に消去する。"],
    "tokki": ["なし", "中間サーバー・プラットフォームを利用して情報連携を行う。", "令和7年度中にガバメントクラウドへ移行する予定である。"],
    "handan": ["情報提供ネットワークシステムを通じた情報連携により、目的外の入手を防止している。"],
    "bikou": ["―", "特になし。"],
}

CHANGE_ROWS = [  # (項目, 変更前, 変更後, 提出時期, 説明); {file} = first file name (§4.8)
    ("Ⅰ 基本情報　５．個人番号の利用　法令上の根拠", "番号法別表第一", "番号法別表", "事後", "番号法改正による変更で重要な変更に該当しない。"),
    ("Ⅱ 特定個人情報ファイルの概要（１　{file}）　６．特定個人情報の保管・消去　保管場所",
     "<データセンターにおける措置>", "<ガバメントクラウドにおける措置>を追記", "事前", "ガバメントクラウドへの移行に伴う変更"),
    ("Ⅲ リスク対策（１　{file}）　７．特定個人情報の保管・消去　その他の措置の内容", "―",
     "中間サーバー・プラットフォームにおける措置を追記", "事後", "重要な変更に該当しない。"),
    ("Ⅰ 基本情報　６．評価実施機関における担当部署　②所属長の役職名", "{dept}長　{person}", "{dept}長", "事後",
     "様式変更による記載事項の変更であり、重要な変更に該当しない。"),
    ("Ⅱ 特定個人情報ファイルの概要（１　{file}）　４．特定個人情報ファイルの取扱いの委託　委託の有無", "（ 1 ） 件", "（ 2 ） 件", "事前",
     "委託事項の追加"),
    ("Ⅴ 評価実施手続　１．基礎項目評価　①実施日", "平成27年3月1日", "令和6年10月1日", "事後", "再評価の実施"),
    ("表紙　特記事項", "なし", "令和7年度中にガバメントクラウドへ移行する予定である。", "事後", "重要な変更に該当しない。"),
    ("Ⅱ 特定個人情報ファイルの概要（１　{file}）　２．基本情報　②対象となる本人の数", "1万人以上10万人未満", "10万人以上100万人未満",
     "事前", "対象人数の増加による変更"),
    ("Ⅰ 基本情報　２．特定個人情報ファイルを取り扱う事務において使用するシステム　システム2", "―", "{system}を追加", "事前", "システムの追加"),
]

WEEKDAYS = "月火水木金土日"


# ====================================================================== dates (和暦)
def wareki(d: date, precision: str = "day", gannen: bool = False, weekday: str | None = None) -> str:
    """令和/平成 date as printed; precision 'day' or 'month'; gannen prints 元年; weekday '(' or '（'."""
    if d >= date(2019, 5, 1):
        era, y = "令和", d.year - 2018
    else:
        era, y = "平成", d.year - 1988
    ys = "元" if (y == 1 and gannen) else str(y)
    s = f"{era}{ys}年{d.month}月"
    if precision == "day":
        s += f"{d.day}日"
        if weekday:
            close = ")" if weekday == "(" else "）"
            s += f"{weekday}{WEEKDAYS[d.weekday()]}{close}"
    return s


# ====================================================================== printable elements
@dataclass
class El:
    def entries(self) -> list[dict]:
        e = getattr(self, "entry", None)
        return [e] if e is not None else []


@dataclass
class Cover(El):
    title: str
    stamp: str
    no: str
    name: str
    declaration: str
    notes: str
    org: str
    approved_label: str | None
    published: str
    item_list: list[str] | None
    entry_map: dict = field(default_factory=dict)

    def entries(self):
        return list(self.entry_map.values())


@dataclass
class Part(El):
    numeral: int  # 1 = Ⅰ
    title: str
    suffix: str = ""
    file_no: int | None = None
    file_name: str | None = None


@dataclass
class Annex(El):
    title: str  # (別添1) 事務の内容
    lines: list[str]


@dataclass
class Flag:
    label: str
    checked: bool
    entry: dict


@dataclass
class Sec(El):
    number: int | None
    title: str
    kome: bool = False
    flags: list[Flag] = field(default_factory=list)

    def entries(self):
        return [f.entry for f in self.flags]


@dataclass
class Risk(El):
    number: int | None
    title: str


@dataclass
class Group(El):
    prefix: str  # システム | 委託事項 | 提供先 | 移転先
    number: int
    name: str | None = None
    entry: dict | None = None


@dataclass
class Text(El):
    label: str
    value: str
    entry: dict | None = None
    kome: bool = False
    number: int | None = None  # a section heading that holds the value ("1. 特定個人情報ファイル名")


@dataclass
class Select(El):
    label: str
    list_id: str
    options: tuple[str, ...]
    chosen: int | None  # 1-based option printed in the brackets
    state: str = "ok"  # ok | empty | conflict | not-in-options | na (section flag ticked: blank)
    raw: str | None = None
    conflict: tuple[int, ...] = ()
    count: int | None = None  # 委託の有無: "（ n ） 件"
    has_count: bool = False
    entry: dict | None = None
    kome: bool = False
    number: int | None = None  # the select is a section heading (基礎 Ⅳ 1)


@dataclass
class Check(El):
    label: str
    list_id: str
    options: tuple[str, ...]
    checked: set
    paren: dict  # option label -> text printed in its "（ … ）" ('' when blank)
    counts: dict = field(default_factory=dict)  # C-UMU: option label -> count
    entry: dict | None = None
    kome: bool = False


@dataclass
class DateEl(El):
    label: str
    text: str  # as printed, half-width digits (a renderer may widen them)
    entry: dict | None = None
    kome: bool = False


@dataclass
class Sub(El):
    label: str  # ⑦使用の主体 | 再委託
    items: list


@dataclass
class FileList(El):
    number: int
    title: str
    names: list[str]


@dataclass
class Note(El):
    text: str


@dataclass
class Changes(El):
    title: str
    rows: list[tuple[str, ...]]


@dataclass
class Doc:
    form: str  # zen | juten | kiso
    form_type: str
    revision: str  # "平成30年5月 様式4"
    org: str
    org_kind: str
    office: str
    affair: str
    affair_code: str
    title: str
    assessment_no: str
    published: date
    file_names: list[str]
    threshold_violation: bool
    elements: list
    changes: list[dict]
    slug: str = ""

    def all_entries(self) -> list[dict]:
        out = []
        for el in self.elements:
            out.extend(el.entries())
            if isinstance(el, Sub):
                for it in el.items:
                    out.extend(it.entries())
        return out

    def key(self, source: str, pages: int) -> dict:
        fields = []
        for e in self.all_entries():
            if e.get("page") is None:
                raise ValueError(f"{source}: no page for {e['key']} file {e['file_no']} group {e['group_no']}")
            fields.append(e)
        return {
            "source": source,
            "form_type": self.form_type,
            "form_revision": self.revision,
            "pages": pages,
            "identity": {"organization_raw": self.office, "organization": self.org, "affair": self.affair,
                         "title": self.title, "assessment_no": self.assessment_no,
                         "published": self.published.isoformat(), "file_names": list(self.file_names)},
            "threshold_violation": self.threshold_violation,
            "fields": fields,
            "changes": self.changes,
        }


# ====================================================================== coverage across a round
class Coverage:
    """Steers option draws so that, across a round, every option of every list is used."""

    def __init__(self):
        self.used: dict[str, dict[int, int]] = {}

    def pick(self, rng: random.Random, list_id: str, weights=None, allowed=None) -> int:
        n = len(OPTIONS[list_id])
        allowed = list(allowed or range(1, n + 1))
        used = self.used.setdefault(list_id, {})
        if rng.random() < (1.0 if n >= 9 else 0.7):  # long lists are always steered to an unused option
            least = min(used.get(i, 0) for i in allowed)
            choice = rng.choice([i for i in allowed if used.get(i, 0) == least])
        else:
            w = [weights[i - 1] if weights else 1.0 for i in allowed]
            choice = rng.choices(allowed, weights=w)[0]
        used[choice] = used.get(choice, 0) + 1
        return choice

    def note(self, list_id: str, n: int) -> None:
        used = self.used.setdefault(list_id, {})
        used[n] = used.get(n, 0) + 1

    def missing(self) -> dict[str, list[int]]:
        out = {}
        for lid, opts in OPTIONS.items():
            if lid.startswith("C-"):
                continue
            miss = [i for i in range(1, len(opts) + 1) if not self.used.get(lid, {}).get(i)]
            if miss:
                out[lid] = miss
        return out


REALISTIC = {  # weights of a plausible answer, used when the coverage steering does not decide
    "G-JUBUN": (0.3, 0.6, 0.1), "G-OKONAU": (0.3, 0.6, 0.1), "G-SAIITAKU": (0.3, 0.5, 0.1, 0.1),
    "G-JUNSHU": (0.05, 0.1, 0.05, 0.8), "G-SEIBI": (0.3, 0.6, 0.1), "G-SHUCHI": (0.3, 0.6, 0.1),
    "B-OKONAU": (0.9, 0.1), "B-KIROKU": (0.9, 0.1), "B-SADAME": (0.9, 0.1), "B-SEIGEN": (0.9, 0.1),
    "B-SHISHA": (0.5, 0.5), "B-SHURUI": (0.85, 0.15), "B-HANI": (0.6, 0.4), "B-TESURYO": (0.3, 0.7),
}


def expected_threshold(taisho: int, heavy: bool) -> str:
    """pia-forms.md §8: the obligation for a BAND-TAISHO option number; heavy = 取扱者数 500+ or 重大事故."""
    if taisho == 1:
        return "none"
    if taisho == 2:
        return "kiso"
    if taisho == 3:
        return "juten" if heavy else "kiso"
    if taisho == 4:
        return "zen" if heavy else "juten"
    return "zen"


SHIKII_LEVEL = {"zen": {1: "zen", 2: "juten", 3: "kiso", 4: "none"},
                "juten": {1: "juten", 2: "kiso", 3: "none"},
                "kiso": {1: "zen", 2: "juten", 3: "kiso", 4: "none"}}


# ====================================================================== the builder
class Builder:
    def __init__(self, seed: str, form: str, cov: Coverage, affair_index: int | None = None,
                 org: str | None = None):
        self.rng = random.Random(seed)
        self.form = form
        self.cov = cov
        self.els: list = []
        self.file_no: int | None = None
        self.group_no: int | None = None
        r = self.rng
        # ---- who and what
        if affair_index is None:
            affair_index = r.randrange(len(AFFAIRS))
        self.aff = AFFAIRS[affair_index]
        who = self.aff["who"]
        orgs = [o for o in ORGS if (o[1] == "pref") == (who == "pref")]
        pick = r.choice(orgs)
        if org is not None:
            pick = next((o for o in orgs if o[0] == org), pick)
        self.org, self.org_kind, self.office = pick
        if who == "edu":
            self.office = f"{self.org}教育委員会"
        self.affair = self.aff["name"]
        self.form_type = FORM_TYPES[form]
        rev = r.choice(REVISIONS[form])
        self.rev = rev
        self.revision = f"{rev} {YOSHIKI[form]}"
        earliest = max(REVISION_DATES[rev] + timedelta(days=200), date(2015, 1, 15))
        self.published = earliest + timedelta(days=r.randint(0, (date(2025, 12, 20) - earliest).days))
        self.assessment_no = str(r.randint(1, 24))
        sep = r.choice(["\u3000", "\u3000", " "])
        self.title = f"{self.affair}{sep}{self.form_type}"
        n_files = {"zen": r.choices([1, 2, 3, 4], [0.3, 0.35, 0.25, 0.1])[0],
                   "juten": r.choices([1, 2, 3], [0.35, 0.4, 0.25])[0],
                   "kiso": r.choices([1, 2, 3], [0.5, 0.35, 0.15])[0]}[form]
        self.file_names = self.aff["files"][:n_files] if r.random() < 0.6 else \
            r.sample(self.aff["files"], min(n_files, len(self.aff["files"])))
        self.dept = self.aff["dept"]
        if self.org_kind == "pref":
            self.dept_full = f"{r.choice(['総務部', '福祉保健部', '健康福祉部', '総務部税務局'])}{self.dept}"
        else:
            self.dept_full = self.dept
        self.person = f"{r.choice(SURNAMES)}\u3000{r.choice(GIVEN)}"
        self.numbering = r.choice(["・", "1\u3000", "（1）", "", "1 "])  # prose paragraph numbering, per document
        self.zip = f"{r.randint(800, 999)}-{r.randint(0, 9999):04d}"
        self.addr = r.choice(["大手町1丁目1番1号", "本町2丁目3番地", "中央1-1-1", "東町4丁目5番6号"])
        self.tel = f"0{r.randint(92, 99)}-{r.randint(200, 999)}-{r.randint(1000, 9999)}"
        self.systems = list(self.aff["systems"])
        for extra in (("団体内統合宛名システム", "住民の基本4情報、個人番号、団体内統合宛名番号を紐付けて管理し、中間サーバーとの連携を行う。"),
                      ("中間サーバー", "情報提供ネットワークシステムを介した情報照会及び情報提供を行う。")):
            if r.random() < 0.7:
                self.systems.append(extra)
        # ---- threshold inputs (§8)
        self.heavy_staff = r.random() < 0.3
        self.incident_1y = r.random() < 0.12
        self.incident_3y = self.incident_1y or r.random() < 0.1
        self.violation = False
        self.shikii = None
        self.taisho = None
        self._threshold()
        self.nws = cov.pick(r, "B-JISSHI", (0.8, 0.1, 0.1))

    # ------------------------------------------------------------ threshold and its consistency
    def _threshold(self):
        r, form = self.rng, self.form
        if form == "kiso":
            # the printed result first (coverage-steered), then inputs consistent with it (§8)
            self.shikii = self.cov.pick(r, "SHIKII-KISO", (0.2, 0.3, 0.4, 0.1))
            level = SHIKII_LEVEL["kiso"][self.shikii]
            combos = [(t, h) for t in range(1, 6) for h in (False, True) if expected_threshold(t, h) == level]
            if r.random() < 0.12:
                combos = [(t, h) for t in range(1, 6) for h in (False, True) if expected_threshold(t, h) != level]
                self.violation = True
            ut = self.cov.used.get("BAND-TAISHO-KISO", {})
            us = self.cov.used.get("BAND-TORIATSUKAI", {})
            score = {c: ut.get(c[0], 0) + us.get(1 if c[1] else 2, 0) for c in combos}
            best = min(score.values())
            self.taisho, heavy = r.choice([c for c in combos if score[c] == best])
            self.cov.note("BAND-TAISHO-KISO", self.taisho)
            if heavy:
                self.heavy_staff = r.random() < 0.75
                self.incident_1y = not self.heavy_staff or r.random() < 0.2
            else:
                self.heavy_staff = self.incident_1y = False
            self.incident_3y = self.incident_1y or r.random() < 0.1
            return
        lid = "SHIKII-ZEN" if form == "zen" else "SHIKII-JUTEN"
        self.shikii = self.cov.pick(r, lid, (0.7, 0.15, 0.1, 0.05) if form == "zen" else (0.8, 0.15, 0.05))
        level = SHIKII_LEVEL[form][self.shikii]
        fits = [t for t in range(1, 6) if level in (expected_threshold(t, False), expected_threshold(t, True))]
        if r.random() < 0.12:
            self.taisho = r.choice([t for t in range(1, 6) if t not in fits])
            self.violation = True
        else:
            used = self.cov.used.get("BAND-TAISHO", {})
            least = min(used.get(t, 0) for t in fits)
            self.taisho = r.choice([t for t in fits if used.get(t, 0) == least])
        self.cov.note("BAND-TAISHO", self.taisho)

    # ------------------------------------------------------------ entries
    def entry(self, key: str, kind: str, **values) -> dict:
        e = {"key": key, "file_no": self.file_no if key.startswith(("II.", "III.")) and self.form != "kiso" else None,
             "group_no": self.group_no, "kind": kind}
        e.update(values)
        e["page"] = None
        return e

    # ------------------------------------------------------------ prose
    def fill(self, s: str, **kw) -> str:
        system = self.systems[0][0]
        target = {"chiho": "納税義務者", "jido": "児童手当の受給者及び児童", "kokuho": "国民健康保険の被保険者",
                  "kaigo": "介護保険の被保険者", "shogai": "障害者及びその家族", "seiho": "被保護者及びその世帯員",
                  "juki": "住民", "yobo": "予防接種の対象者", "koki": "後期高齢者医療の被保険者",
                  "shugaku": "就学援助の申請者及び児童生徒"}[self.aff["code"]]
        d = dict(affair=self.affair, org=self.org, system=system, target=target, dept=self.dept, zip=self.zip,
                 addr=self.addr, tel=self.tel, org_office="" if self.org_kind != "pref" else "",
                 recipient=kw.get("recipient", "提供先"), title=kw.get("title", ""))
        return s.format(**d)

    def prose(self, topic: str, lo: int = 1, hi: int = 2, **kw) -> str:
        bank = PROSE[topic]
        n = min(len(bank), self.rng.randint(lo, hi))
        if n > 1:
            bank = [p for p in bank if p not in ("特になし。", "―", "なし")]
            n = min(n, len(bank))
        picked = self.rng.sample(bank, n)
        lines = [self.fill(p, **kw) for p in picked]
        if n > 1 and topic in ("measure", "naiyo", "kansa", "kyoiku", "merit", "hoho", "shokyo"):
            nb = self.numbering
            out = []
            for i, ln in enumerate(lines, 1):
                if nb.startswith("1"):
                    out.append(f"{i}{nb[1:]}{ln}")
                elif nb == "（1）":
                    out.append(f"（{i}）{ln}")
                else:
                    out.append(f"{nb}{ln}")
            return "\n".join(out)
        return "\n".join(lines)

    # ------------------------------------------------------------ item makers
    def text(self, key: str | None, label: str, value: str, kome: bool = False, record: bool = True,
             number: int | None = None) -> Text:
        blank = value.strip() in ("", "―", "—", "-", "なし", "特になし。", "該当なし。")
        e = self.entry(key, "text", value_text=value) if key and record and not blank else None
        el = Text(label, value, e, kome, number)
        return el

    def select(self, key: str, label: str, lid: str, chosen: int | None = None, na: bool = False,
               count: int | None = None, has_count: bool = False, kome: bool = False,
               number: int | None = None) -> Select:
        opts = OPTIONS[lid]
        if na:
            e = self.entry(key, "selection", status="undetermined", reason="empty", not_applicable=True)
            return Select(label, lid, opts, None, "na", entry=e, kome=kome, has_count=has_count, number=number)
        if chosen is None:
            chosen = self.cov.pick(self.rng, lid, REALISTIC.get(lid))
        else:
            self.cov.note(lid, chosen)
        vals = {"value_text": opts[chosen - 1], "option_no": chosen}
        if count is not None:
            vals["count"] = count
        e = self.entry(key, "selection", **vals)
        return Select(label, lid, opts, chosen, "ok", count=count, has_count=has_count, entry=e, kome=kome,
                      number=number)

    def check(self, key: str, label: str, lid: str, checked: set | None = None, paren_text: dict | None = None,
              counts: dict | None = None, kome: bool = False, lo: int = 1, hi: int = 3) -> Check:
        opts = OPTIONS[lid]
        r = self.rng
        if checked is None:
            n = r.randint(lo, min(hi, len(opts)))
            used = self.cov.used.setdefault(lid, {})
            ranked = sorted(range(1, len(opts) + 1), key=lambda i: (used.get(i, 0), r.random()))
            pool = ranked[: max(n, 3)]
            checked = {opts[i - 1] for i in r.sample(pool, n)}
        for i, o in enumerate(opts, 1):
            if o in checked:
                self.cov.note(lid, i)
        paren = {}
        for o in (x for x in opts if x in PAREN_OPTIONS.get(lid, ())):  # option order, not set order
            paren[o] = (paren_text or {}).get(o, "") if o in checked else ""
            if o in checked and not paren[o]:
                paren[o] = self.paren_text(lid, o)
        other = paren.get("その他") if "その他" in checked else None
        vals = {"checked": [o for o in opts if o in checked], "unchecked": [o for o in opts if o not in checked],
                "other_text": other}
        if lid == "C-UMU":
            vals["counts"] = dict(counts or {})
        e = self.entry(key, "checkbox", **vals)
        return Check(label, lid, opts, set(checked), paren, dict(counts or {}), e, kome)

    def paren_text(self, lid: str, opt: str) -> str:
        r = self.rng
        if opt == "その他":
            return r.choice({"C-SYSTEM": ["団体内統合宛名システム", "中間サーバー", "コンビニ交付システム", "eLTAX"],
                             "C-KOMOKU": ["世帯情報", "口座情報", "資格喪失日", "所得区分"],
                             "C-NYUSHUMOTO": ["国民健康保険団体連合会", "金融機関"],
                             "C-NYUSHUHOHO": ["eLTAX", "マイナポータル", "団体内統合宛名システム"],
                             "C-ITAKUHOHO": ["委託先の職員が庁内の端末で直接操作する", "VPN回線"],
                             "C-TEIKYOHOHO": ["住民基本台帳ネットワークシステム", "LGWAN"],
                             "C-ITENHOHO": ["団体内統合宛名システム", "庁内LAN上の共有フォルダ"]}.get(lid, ["その他"]))
        return r.choice({"評価実施機関内の他部署": ["市民課、税務課", "住民基本台帳担当部署"],
                         "行政機関・独立行政法人等": ["日本年金機構", "厚生労働省"],
                         "地方公共団体・地方独立行政法人": ["他の市町村", "都道府県"],
                         "民間事業者": ["特別徴収義務者", "医療機関"]}.get(opt, ["―"]))

    def date_entry(self, key: str, label: str, d: date | None, kome=False, month_ok: bool = True) -> DateEl:
        r = self.rng
        if d is None:
            e = self.entry(key, "date", value_date=None, precision=None)
            return DateEl(label, "", e, kome)
        precision = "month" if month_ok and r.random() < 0.2 else "day"
        if precision == "month":
            d = d.replace(day=1)
        gannen = r.random() < 0.5
        text = wareki(d, precision, gannen=gannen)
        e = self.entry(key, "date", value_date=d.isoformat(), precision=precision)
        return DateEl(label, text, e, kome)

    def rand_date(self, lo: date, hi: date) -> date:
        if hi <= lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def era1_date(self) -> date:
        """A date in 令和元年 now and then, so that 元年 / 令和1年 get printed."""
        return date(2019, self.rng.randint(5, 12), self.rng.randint(1, 28))

    def add(self, *els):
        self.els.extend(els)

    # ------------------------------------------------------------ shared blocks
    def cover(self):
        r = self.rng
        stamp = f"[{self.revision}]"
        e = {}
        self.file_no = None
        e["no"] = self.entry("cover.no", "text", value_text=self.assessment_no)
        e["name"] = self.entry("cover.title", "text", value_text=self.title)
        decl = (f"{self.org}は、{self.affair}における特定個人情報ファイルの取扱いにあたり、特定個人情報ファイルの取扱いが"
                "個人のプライバシー等の権利利益に影響を及ぼしかねないことを認識し、特定個人情報の漏えいその他の事態を発生"
                "させるリスクを軽減させるために適切な措置を講じ、もって個人のプライバシー等の権利利益の保護に取り組んで"
                "いることを宣言する。")
        e["declaration"] = self.entry("cover.declaration", "text", value_text=decl)
        notes = r.choice(PROSE["tokki"])
        if notes not in ("なし",):
            e["notes"] = self.entry("cover.notes", "text", value_text=notes)
        e["org"] = self.entry("cover.org", "text", value_text=self.office)
        approved_label = None
        if self.form == "zen":
            approved_label = ("特定個人情報保護委員会 承認日 【行政機関等のみ】" if self.rev == "平成26年4月"
                              else "個人情報保護委員会 承認日 【行政機関等のみ】")
            e["approved"] = self.entry("cover.approved", "date", value_date=None, precision=None)
        e["published"] = self.entry("cover.published", "date", value_date=self.published.isoformat(),
                                    precision="day")
        item_list = None
        if self.form != "kiso" and r.random() < 0.6:
            item_list = self.item_list()
        self.add(Cover(f"特定個人情報保護評価書（{self.form_type}）", stamp, self.assessment_no, self.title, decl, notes,
                       self.office, approved_label, wareki(self.published, gannen=r.random() < 0.5), item_list, e))

    def item_list(self) -> list[str]:
        if self.form == "zen":
            return ["Ⅰ 基本情報", "(別添1) 事務の内容", "Ⅱ 特定個人情報ファイルの概要", "(別添2) 特定個人情報ファイル記録項目",
                    "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策", "Ⅳ その他のリスク対策", "Ⅴ 開示請求、問合せ",
                    "Ⅵ 評価実施手続", "(別添3) 変更箇所"]
        return ["Ⅰ 基本情報", "（別添１） 特定個人情報ファイル記録項目", "Ⅱ 特定個人情報ファイルの概要", "Ⅲ リスク対策",
                "Ⅳ 開示請求、問合せ", "Ⅴ 評価実施手続", "（別添２） 変更箇所"]

    def systems_block(self):
        r = self.rng
        n = r.randint(1, min(4, len(self.systems)))
        picked = self.systems[:1] + r.sample(self.systems[1:], n - 1)
        for g, (name, func) in enumerate(picked, 1):
            self.group_no = g
            self.add(Group("システム", g))
            self.add(self.text("I.2.1", "①システムの名称", name), self.text("I.2.2", "②システムの機能", func),
                     self.check("I.2.3", "③他のシステムとの接続", "C-SYSTEM", lo=1, hi=4))
        self.group_no = None
        self.n_systems = n

    def part1(self, with_reasons: bool):
        f = self.form
        self.add(Part(1, "基本情報"))
        self.add(Sec(1, "特定個人情報ファイルを取り扱う事務"))
        self.add(self.text("I.1.1", "①事務の名称", self.affair),
                 self.text("I.1.2", "②事務の内容", self.prose("naiyo", 2, 4), kome=(f == "zen")),
                 self.select("I.1.3", "③対象人数", "BAND-TAISHO", chosen=self.taisho))
        self.add(Sec(2, "特定個人情報ファイルを取り扱う事務において使用するシステム"))
        self.systems_block()
        self.add(FileList(3, "特定個人情報ファイル名", list(self.file_names)))
        n = 4
        if with_reasons:
            self.add(Sec(4, "特定個人情報ファイルを取り扱う理由"))
            self.add(self.text("I.4.1", "①事務実施上の必要性", self.prose("hitsuyo", 1, 2)),
                     self.text("I.4.2", "②実現が期待されるメリット", self.prose("merit", 1, 3)))
            n = 5
        self.add(Sec(n, "個人番号の利用", kome=True))
        self.add(self.text(f"I.{n}", "法令上の根拠", self.law()))
        self.add(Sec(n + 1, "情報提供ネットワークシステムによる情報連携", kome=True))
        self.add(self.select(f"I.{n + 1}.1", "①実施の有無", "B-JISSHI", chosen=self.nws),
                 self.text(f"I.{n + 1}.2", "②法令上の根拠",
                           "番号法第19条第8号に基づく主務省令第2条の表" if self.nws == 1 else "―"))
        self.add(Sec(n + 2, "評価実施機関における担当部署"))
        self.add(self.text(f"I.{n + 2}.1", "①部署", f"{self.org_unit()}"), self.chief(f"I.{n + 2}.2"))
        self.add(self.text(f"I.{n + 3}", "他の評価実施機関", self.rng.choice(["―", "―", "なし"]), number=n + 3))

    def org_unit(self) -> str:
        return f"{self.dept_full}" if self.rng.random() < 0.5 else f"{self.org}役所 {self.dept}" \
            if self.org_kind in ("city",) else f"{self.org} {self.dept_full}"

    def chief(self, key: str) -> Text:
        if self.rev == "平成26年4月":
            return self.text(key, "②所属長", f"{self.dept}長\u3000{self.person}")
        return self.text(key, "②所属長の役職名", f"{self.dept}長")

    def law(self) -> str:
        return self.rng.choice([
            "番号法第9条第1項 別表第一の{n}の項", "番号法第9条第1項及び別表（{n}の項）",
            "行政手続における特定の個人を識別するための番号の利用等に関する法律第9条第1項 別表{n}の項"]).format(
            n=self.rng.randint(1, 120))

    # ------------------------------------------------------------ Ⅱ per file
    def file_basics(self, juten: bool):
        self.add(Sec(2, "基本情報"))
        self.add(self.select("II.2.1", "①ファイルの種類", "B-SHURUI", kome=True),
                 self.select("II.2.2", "②対象となる本人の数", "BAND-HONNIN"),
                 self.text("II.2.3", "③対象となる本人の範囲", self.prose("hanni", 1, 1), kome=True),
                 self.text("II.2.3a", "その必要性", self.prose("hitsuyo", 1, 1)),
                 self.select("II.2.4", "④記録される項目", "BAND-KOMOKU"))
        komoku = set(self.rng.sample(sorted(self.aff["komoku"]), min(2, len(self.aff["komoku"]))))
        komoku |= {"個人番号", "4情報（氏名、性別、生年月日、住所）"} if self.rng.random() < 0.8 else {"個人番号"}
        extra = self.rng.sample(OPTIONS["C-KOMOKU"], self.rng.randint(0, 3))
        komoku |= set(extra)
        self.add(self.check("II.2.4a", "主な記録項目", "C-KOMOKU", checked=komoku, kome=True),
                 self.text("II.2.4b", "その妥当性", self.prose("dato", 1, 1)),
                 self.text("II.2.4c", "全ての記録項目", "別添1を参照。" if juten else "別添2を参照。"),
                 self.date_entry("II.2.5", "⑤保有開始日", self.start_date()),
                 self.text("II.2.6", "⑥事務担当部署", self.org_unit()))

    def start_date(self) -> date:
        r = self.rng
        if r.random() < 0.25:
            return self.era1_date()
        return self.rand_date(date(2015, 10, 5), min(self.published, date(2023, 12, 31)))

    def itaku_groups(self, n: int, juten: bool):
        r = self.rng
        pool = list(self.aff["itaku"])
        r.shuffle(pool)
        generic = [("システム運用保守業務", "株式会社地域情報センター"), ("帳票印刷封入封緘業務", "株式会社中央ビジネスフォーム"),
                   ("データ入力業務", "株式会社データプロセス西日本"), ("コールセンター運営業務", "株式会社コールセンター九州"),
                   ("ガバメントクラウド運用管理補助業務", "未定（令和7年度中に決定予定）")]
        pool += [g for g in generic if g[0] not in {p[0] for p in pool}]
        sai_any = False
        for g in range(1, n + 1):
            title, contractor = pool[(g - 1) % len(pool)]
            self.group_no = g
            name_e = self.entry("II.4.itaku.name", "text", value_text=title)
            self.add(Group("委託事項", g, title, name_e))
            sai = self.select("II.4.itaku.7" if not juten else "II.4.itaku.4", "⑦再委託の有無" if not juten else "④再委託の有無",
                              "B-SAIITAKU", kome=True)
            sai_any |= sai.chosen == 1
            kyodaku = self.prose("kyodaku", 1, 1) if sai.chosen == 1 else "―"
            jiko = self.prose("saiitaku_jiko", 1, 1) if sai.chosen == 1 else "―"
            if juten:
                self.add(self.text("II.4.itaku.1", "①委託内容", self.prose("itaku_naiyo", 1, 1, title=title)),
                         self.select("II.4.itaku.2", "②委託先における取扱者数", "BAND-STAFF"),
                         self.text("II.4.itaku.3", "③委託先名", contractor))
                sai.label = "④再委託の有無"
                self.add(Sub("再委託", [sai, self.text("II.4.itaku.5", "⑤再委託の許諾方法", kyodaku),
                                      self.text("II.4.itaku.6", "⑥再委託事項", jiko)]))
            else:
                self.add(self.text("II.4.itaku.1", "①委託内容", self.prose("itaku_naiyo", 1, 1, title=title)),
                         self.select("II.4.itaku.2", "②取扱いを委託する特定個人情報ファイルの範囲", "B-HANI"),
                         self.select("II.4.itaku.2a", "対象となる本人の数", "BAND-HONNIN"),
                         self.text("II.4.itaku.2b", "対象となる本人の範囲", self.prose("hanni", 1, 1), kome=True),
                         self.text("II.4.itaku.2c", "その妥当性", self.prose("dato", 1, 1)),
                         self.select("II.4.itaku.3", "③委託先における取扱者数", "BAND-STAFF"),
                         self.check("II.4.itaku.4", "④委託先への特定個人情報ファイルの提供方法", "C-ITAKUHOHO", lo=1, hi=2),
                         self.text("II.4.itaku.5", "⑤委託先名の確認方法", self.prose("kakunin", 1, 1)),
                         self.text("II.4.itaku.6", "⑥委託先名", contractor))
                self.add(Sub("再委託", [sai, self.text("II.4.itaku.8", "⑧再委託の許諾方法", kyodaku),
                                      self.text("II.4.itaku.9", "⑨再委託事項", jiko)]))
        self.group_no = None
        return sai_any

    def provision_groups(self, word: str, n: int):
        r = self.rng
        prefix = "提供先" if word == "提供" else "移転先"
        k = "II.5.teikyo" if word == "提供" else "II.5.iten"
        lid = "C-TEIKYOHOHO" if word == "提供" else "C-ITENHOHO"
        if word == "提供":
            pool = list(self.aff["teikyo"])
            r.shuffle(pool)
            pool += [("他の地方公共団体", "番号法第19条第8号"), ("地方公共団体情報システム機構", "番号法第19条第8号"),
                     ("日本年金機構", "番号法第19条第8号"), ("都道府県知事", "番号法第19条第8号"), ("厚生労働大臣", "番号法第19条第8号")]
            names = []
            for nm, law in pool:
                if nm not in [x[0] for x in names]:
                    names.append((nm, law))
        else:
            depts = list(self.aff["iten"]) + ["総務課", "企画課", "防災危機管理課"]
            r.shuffle(depts)
            names = [(d, "番号法第9条第1項") for d in depts]
        for g in range(1, n + 1):
            name, law = names[(g - 1) % len(names)]
            self.group_no = g
            e = self.entry(f"{k}.name", "text", value_text=name)
            self.add(Group(prefix, g, name, e))
            self.add(self.text(f"{k}.1", "①法令上の根拠", law),
                     self.text(f"{k}.2", f"②{prefix}における用途", self.prose("yoto", 1, 1, recipient=name)),
                     self.text(f"{k}.3", f"③{word}する情報", self.prose("joho", 1, 1)),
                     self.select(f"{k}.4", f"④{word}する情報の対象となる本人の数", "BAND-HONNIN"),
                     self.text(f"{k}.5", f"⑤{word}する情報の対象となる本人の範囲", self.prose("hanni", 1, 1)),
                     self.check(f"{k}.6", f"⑥{word}方法", lid, lo=1, hi=2),
                     self.text(f"{k}.7", "⑦時期・頻度", self.prose("jiki", 1, 1)))
        self.group_no = None

    def part2_file(self, i: int, name: str, juten: bool, plan: dict):
        r = self.rng
        self.file_no = i
        self.add(Part(2, "特定個人情報ファイルの概要", file_no=i, file_name=name))
        self.add(self.text("II.1", "特定個人情報ファイル名", name, number=1))
        self.file_basics(juten)
        self.add(Sec(3, "特定個人情報の入手・使用"))
        self.add(self.check("II.3.1", "①入手元", "C-NYUSHUMOTO", kome=True, lo=1, hi=3),
                 self.check("II.3.2", "②入手方法", "C-NYUSHUHOHO", lo=1, hi=3))
        if juten:
            self.add(self.text("II.3.3", "③使用目的", self.prose("mokuteki", 1, 1), kome=True))
            self.add(Sub("④使用の主体", [self.text("II.3.4a", "使用部署", self.dept_full, kome=True),
                                       self.select("II.3.4b", "使用者数", "BAND-STAFF")]))
            self.add(self.text("II.3.5", "⑤使用方法", self.prose("hoho", 1, 2), kome=True),
                     self.text("II.3.5a", "情報の突合", self.prose("totsugo", 1, 1), kome=True),
                     self.date_entry("II.3.6", "⑥使用開始日", self.start_date()))
        else:
            self.add(self.text("II.3.3", "③入手の時期・頻度", self.prose("jiki", 1, 1)),
                     self.text("II.3.4", "④入手に係る妥当性", self.prose("dato", 1, 1)),
                     self.text("II.3.5", "⑤本人への明示", self.prose("meiji", 1, 2)),
                     self.text("II.3.6", "⑥使用目的", self.prose("mokuteki", 1, 1), kome=True),
                     self.text("II.3.6a", "変更の妥当性", "―"))
            self.add(Sub("⑦使用の主体", [self.text("II.3.7a", "使用部署", self.dept_full, kome=True),
                                       self.select("II.3.7b", "使用者数", "BAND-STAFF")]))
            self.add(self.text("II.3.8", "⑧使用方法", self.prose("hoho", 1, 2), kome=True),
                     self.text("II.3.8a", "情報の突合", self.prose("totsugo", 1, 1), kome=True),
                     self.text("II.3.8b", "情報の統計分析", self.prose("tokei", 1, 1), kome=True),
                     self.text("II.3.8c", "権利利益に影響を与え得る決定", self.prose("kettei", 1, 1), kome=True),
                     self.date_entry("II.3.9", "⑨使用開始日", self.start_date()))
        # Ⅱ 4 委託
        title4 = "特定個人情報ファイルの取扱いの委託"
        if r.random() < 0.05:
            title4 = "特定個人ファイルの取扱いの委託"  # §10.2 typo
        self.add(Sec(4, title4))
        n_it = plan["itaku"]
        self.add(self.select("II.4.0", "委託の有無", "B-ITAKU", chosen=1 if n_it else 2, count=n_it or None,
                             has_count=True, kome=True))
        plan["sai"] = self.itaku_groups(n_it, juten) if n_it else False
        # Ⅱ 5 提供・移転
        title5 = "特定個人情報の提供・移転（委託に伴うものを除く。）"
        if r.random() < 0.1:
            title5 = "特定個人情報提供・移転（委託に伴うものを除く。）"  # §4.3: S2 prints it without の
        self.add(Sec(5, title5))
        n_te, n_iv = plan["teikyo"], plan["iten"]
        checked = set()
        counts = {}
        if n_te:
            checked.add("提供を行っている")
            counts["提供を行っている"] = n_te
        if n_iv:
            checked.add("移転を行っている")
            counts["移転を行っている"] = n_iv
        if not checked:
            checked = {"行っていない"}
        self.add(self.check("II.5.0", "提供・移転の有無", "C-UMU", checked=checked, counts=counts))
        if n_te:
            self.provision_groups("提供", n_te)
        if n_iv:
            self.provision_groups("移転", n_iv)
        # Ⅱ 6, 7
        self.add(Sec(6, "特定個人情報の保管・消去"))
        hokan = "\n".join(r.sample(PROSE["hokan"], r.randint(1, 3)))
        if juten:
            self.add(self.text("II.6.1", "保管場所", hokan, kome=True))
        else:
            self.add(self.text("II.6.1", "①保管場所", hokan, kome=True),
                     self.select("II.6.2", r.choice(["②保管期間", "②保管期間", "期間"]), "BAND-HOKAN"),
                     self.text("II.6.2a", "その妥当性", self.prose("hokan_dato", 1, 1)),
                     self.text("II.6.3", "③消去方法", self.prose("shokyo", 1, 2)))
        self.add(self.text("II.7", "備考", r.choice(PROSE["bikou"]), number=7))
        self.file_no = None

    # ------------------------------------------------------------ Ⅲ per file
    def rating(self, key: str, na: bool = False, lid: str = "G-JUBUN", label: str = "リスクへの対策は十分か") -> Select:
        return self.select(key, label, lid, na=na)

    def measures(self, key: str, na: bool = False, label: str = "リスクに対する措置の内容") -> Text:
        return self.text(key, label, "―" if na else self.prose("measure", 1, 3))

    def part3_file(self, i: int, name: str, juten: bool, plan: dict):
        r = self.rng
        self.file_no = i
        if juten:
            self.add(Part(3, "リスク対策", suffix="※（７．②を除く。）", file_no=i, file_name=name))
        else:
            self.add(Part(3, "特定個人情報ファイルの取扱いプロセスにおけるリスク対策", suffix=r.choice(
                ["※(7. リスク1⑩を除く。)", "※（７．リスク１⑨を除く。）", ""]), file_no=i, file_name=name))
        self.add(self.text("III.1", "特定個人情報ファイル名", name, number=1))
        nyushu = "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"
        teikyo_t = "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
        # 2. 入手
        self.add(Sec(2, nyushu))
        if juten:
            self.add(Risk(None, "目的外の入手が行われるリスク"), self.measures("III.2.R1.measures"),
                     self.rating("III.2.R1.rating"))
        else:
            self.add(Risk(1, "目的外の入手が行われるリスク"),
                     self.text("III.2.R1.a", "対象者以外の情報の入手を防止するための措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.2.R1.b", "必要な情報以外を入手することを防止するための措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.2.R1.c", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.2.R1.rating"))
            self.add(Risk(2, "不適切な方法で入手が行われるリスク"), self.measures("III.2.R2.measures"),
                     self.rating("III.2.R2.rating"))
            self.add(Risk(3, "入手した特定個人情報が不正確であるリスク"),
                     self.text("III.2.R3.a", "入手の際の本人確認の措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.2.R3.b", "個人番号の真正性確認の措置の内容", self.prose("measure", 1, 1)),
                     self.text("III.2.R3.c", "特定個人情報の正確性確保の措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.2.R3.d", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.2.R3.rating"))
            self.add(Risk(4, "入手の際に特定個人情報が漏えい・紛失するリスク"), self.measures("III.2.R4.measures"),
                     self.rating("III.2.R4.rating"))
        self.add(self.text("III.2.other", nyushu + "におけるその他のリスク及びそのリスクに対する措置", r.choice(PROSE["other"])))
        # 3. 使用
        self.add(Sec(3, "特定個人情報の使用"))
        r1 = "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク"
        if not juten and r.random() < 0.15:
            r1 = "目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク"  # §10.2 (S2)
        r2 = "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク"
        if juten:
            self.add(Risk(1, r1), self.measures("III.3.R1.measures"), self.rating("III.3.R1.rating"))
            self.add(Risk(2, r2), self.select("III.3.R2.1", "ユーザ認証の管理", "B-OKONAU"),
                     self.text("III.3.R2.1a", "具体的な管理方法", self.prose("measure", 1, 2)),
                     self.text("III.3.R2.2", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.3.R2.rating"))
        else:
            self.add(Risk(1, r1),
                     self.text("III.3.R1.a", "宛名システム等における措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.3.R1.b", "事務で使用するその他のシステムにおける措置の内容", self.prose("measure", 1, 2)),
                     self.text("III.3.R1.c", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.3.R1.rating"))
            self.add(Risk(2, r2),
                     self.select("III.3.R2.1", "ユーザ認証の管理", "B-OKONAU"),
                     self.text("III.3.R2.1a", "具体的な管理方法", self.prose("measure", 1, 2)),
                     self.select("III.3.R2.2", "アクセス権限の発効・失効の管理", "B-OKONAU"),
                     self.text("III.3.R2.2a", "具体的な管理方法", self.prose("measure", 1, 1)),
                     self.select("III.3.R2.3", "アクセス権限の管理", "B-OKONAU"),
                     self.text("III.3.R2.3a", "具体的な管理方法", self.prose("measure", 1, 1)),
                     self.select("III.3.R2.4", "特定個人情報の使用の記録", "B-KIROKU"),
                     self.text("III.3.R2.4a", "具体的な方法", self.prose("measure", 1, 1)),
                     self.text("III.3.R2.5", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.3.R2.rating"))
            self.add(Risk(3, "従業者が事務外で使用するリスク"), self.measures("III.3.R3.measures"),
                     self.rating("III.3.R3.rating"))
            self.add(Risk(4, "特定個人情報ファイルが不正に複製されるリスク"), self.measures("III.3.R4.measures"),
                     self.rating("III.3.R4.rating"))
        self.add(self.text("III.3.other", "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置", r.choice(PROSE["other"])))
        # 4. 委託
        no_itaku = plan["itaku"] == 0
        na = no_itaku
        sai_label = "再委託先による特定個人情報ファイルの適切な取扱いの" + (
            r.choice(["担保", "担保", "確保"]) if juten else r.choice(["確保", "確保", "担保"]))
        sai_choice = None if na else (4 if not plan.get("sai") else self.cov.pick(r, "G-SAIITAKU", (0.3, 0.6, 0.1),
                                                                                     allowed=[1, 2, 3]))
        sec4 = Sec(4, "特定個人情報ファイルの取扱いの委託" if r.random() > 0.08 or juten else "特定個人情報ファイルの取扱いの委託",
                   flags=[Flag("委託しない", no_itaku, self.entry("III.4.flag", "flag", checked=no_itaku))])
        self.add(sec4)
        if juten:
            self.add(Risk(None, "委託先における不正な使用等のリスク"),
                     self.select("III.4.R1.1", "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "B-SADAME", na=na),
                     self.text("III.4.R1.1a", "規定の内容", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.R1.2", sai_label, "G-SAIITAKU", chosen=sai_choice, na=na),
                     self.text("III.4.R1.2a", "具体的な方法", "―" if na else self.prose("measure", 1, 1)),
                     self.text("III.4.R1.3", "その他の措置の内容", "―" if na else r.choice(PROSE["other"])),
                     self.rating("III.4.R1.rating", na=na))
        else:
            self.add(Note("委託先による特定個人情報の不正入手・不正な使用に関するリスク\n委託先による特定個人情報の不正な提供に関するリスク\n"
                          "委託先による特定個人情報の保管・消去に関するリスク\n委託契約終了後の不正な使用等のリスク\n再委託に関するリスク"))
            self.add(self.text("III.4.1", "情報保護管理体制の確認", "―" if na else self.prose("measure", 1, 2)),
                     self.select("III.4.2", "特定個人情報ファイルの閲覧者・更新者の制限", "B-SEIGEN", na=na),
                     self.text("III.4.2a", "具体的な制限方法", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.3", "特定個人情報ファイルの取扱いの記録", "B-KIROKU", na=na),
                     self.text("III.4.3a", "具体的な方法", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.4", "特定個人情報の提供ルール", "B-SADAME", na=na),
                     self.text("III.4.4a", "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
                               "―" if na else self.prose("measure", 1, 1)),
                     self.text("III.4.4b", "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法",
                               "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.5", "特定個人情報の消去ルール", "B-SADAME", na=na),
                     self.text("III.4.5a", "ルール内容及びルール遵守の確認方法", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.6", "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "B-SADAME", na=na),
                     self.text("III.4.6a", "規定の内容", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.4.7", sai_label, "G-SAIITAKU", chosen=sai_choice, na=na),
                     self.text("III.4.7a", "具体的な方法", "―" if na else self.prose("measure", 1, 1)),
                     self.text("III.4.8", "その他の措置の内容", "―" if na else r.choice(PROSE["other"])),
                     self.rating("III.4.rating", na=na))
        self.add(self.text("III.4.other", "特定個人情報ファイルの取扱いの委託におけるその他のリスク及びそのリスクに対する措置",
                           r.choice(PROSE["other"])))
        # 5. 提供・移転
        no_prov = plan["teikyo"] == 0 and plan["iten"] == 0
        na = no_prov
        self.add(Sec(5, teikyo_t, flags=[Flag("提供・移転しない", no_prov, self.entry("III.5.flag", "flag", checked=no_prov))]))
        if juten:
            self.add(Risk(None, "不正な提供・移転が行われるリスク"),
                     self.select("III.5.R1.1", "特定個人情報の提供・移転に関するルール", "B-SADAME", na=na),
                     self.text("III.5.R1.1a", "ルールの内容及びルール遵守の確認方法", "―" if na else self.prose("measure", 1, 1)),
                     self.text("III.5.R1.2", "その他の措置の内容", "―" if na else r.choice(PROSE["other"])),
                     self.rating("III.5.R1.rating", na=na))
        else:
            self.add(Risk(1, "不正な提供・移転が行われるリスク"),
                     self.select("III.5.R1.1", "特定個人情報の提供・移転の記録", "B-KIROKU", na=na),
                     self.text("III.5.R1.1a", "具体的な方法", "―" if na else self.prose("measure", 1, 1)),
                     self.select("III.5.R1.2", "特定個人情報の提供・移転に関するルール", "B-SADAME", na=na),
                     self.text("III.5.R1.2a", "ルールの内容及びルール遵守の確認方法", "―" if na else self.prose("measure", 1, 1)),
                     self.text("III.5.R1.3", "その他の措置の内容", "―" if na else r.choice(PROSE["other"])),
                     self.rating("III.5.R1.rating", na=na))
            self.add(Risk(2, "不適切な方法で提供・移転が行われるリスク"), self.measures("III.5.R2.measures", na),
                     self.rating("III.5.R2.rating", na=na))
            self.add(Risk(3, "誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク"),
                     self.measures("III.5.R3.measures", na), self.rating("III.5.R3.rating", na=na))
        self.add(self.text("III.5.other", teikyo_t + "におけるその他のリスク及びそのリスクに対する措置", r.choice(PROSE["other"])))
        # 6. 情報提供ネットワークシステムとの接続
        if self.nws == 1:
            f_in, f_out = False, False
            if r.random() < 0.2:
                f_in, f_out = r.choice([(True, False), (False, True)])
        elif self.nws == 2:
            f_in, f_out = True, True
        else:
            f_in, f_out = r.choice([(True, True), (False, False)])
        self.add(Sec(6, "情報提供ネットワークシステムとの接続",
                     flags=[Flag("接続しない（入手）", f_in, self.entry("III.6.flag1", "flag", checked=f_in)),
                            Flag("接続しない（提供）", f_out, self.entry("III.6.flag2", "flag", checked=f_out))]))
        if juten:
            risks = [(1, "目的外の入手が行われるリスク", f_in), (2, "不正な提供が行われるリスク", f_out)]
        else:
            risks = [(1, "目的外の入手が行われるリスク", f_in), (2, "安全が保たれない方法によって入手が行われるリスク", f_in),
                     (3, "入手した特定個人情報が不正確であるリスク", f_in), (4, "入手の際に特定個人情報が漏えい・紛失するリスク", f_in),
                     (5, "不正な提供が行われるリスク", f_out), (6, "不適切な方法で提供されるリスク", f_out),
                     (7, "誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク", f_out)]
        for n, t, na in risks:
            self.add(Risk(n, t), self.measures(f"III.6.R{n}.measures", na), self.rating(f"III.6.R{n}.rating", na=na))
        self.add(self.text("III.6.other", "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置",
                           r.choice(PROSE["other"])))
        # 7. 保管・消去
        self.add(Sec(7, "特定個人情報の保管・消去"))
        hassei = 1 if self.incident_3y else 2
        if juten:
            self.add(Risk(None, "特定個人情報の漏えい・滅失・毀損リスク"),
                     self.select("III.7.R1.1", "①事故発生時手順の策定・周知", "G-OKONAU"),
                     self.select("III.7.R1.2", "②過去３年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", "B-HASSEI",
                                 chosen=hassei),
                     self.text("III.7.R1.2a", "その内容", self.prose("jiko_naiyo", 1, 1) if hassei == 1 else "―"),
                     self.text("III.7.R1.2b", "再発防止策の内容", self.prose("saihatsu", 1, 1) if hassei == 1 else "―"),
                     self.text("III.7.R1.3", "その他の措置の内容", self.prose("sonota_risk", 1, 1)),
                     self.rating("III.7.R1.rating"))
        else:
            shisha = self.select("III.7.R1.10", "⑩死者の個人番号", "B-SHISHA")
            self.add(Risk(1, "特定個人情報の漏えい・滅失・毀損リスク"),
                     self.select("III.7.R1.1", "①NISC政府機関統一基準群", "G-JUNSHU"),
                     self.select("III.7.R1.2", "②安全管理体制", "G-SEIBI"),
                     self.select("III.7.R1.3", "③安全管理規程", "G-SEIBI"),
                     self.select("III.7.R1.4", "④安全管理体制・規程の職員への周知", "G-SHUCHI"),
                     self.select("III.7.R1.5", "⑤物理的対策", "G-OKONAU"),
                     self.text("III.7.R1.5a", "具体的な対策の内容", self.prose("measure", 1, 2)),
                     self.select("III.7.R1.6", "⑥技術的対策", "G-OKONAU"),
                     self.text("III.7.R1.6a", "具体的な対策の内容", self.prose("measure", 1, 2)),
                     self.select("III.7.R1.7", "⑦バックアップ", "G-OKONAU"),
                     self.select("III.7.R1.8", "⑧事故発生時手順の策定・周知", "G-OKONAU"),
                     self.select("III.7.R1.9", "⑨過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
                                 "B-HASSEI", chosen=hassei),
                     self.text("III.7.R1.9a", "その内容", self.prose("jiko_naiyo", 1, 1) if hassei == 1 else "―"),
                     self.text("III.7.R1.9b", "再発防止策の内容", self.prose("saihatsu", 1, 1) if hassei == 1 else "―"),
                     shisha,
                     self.text("III.7.R1.10a", "具体的な保管方法", self.prose("shisha", 1, 1) if shisha.chosen == 1 else "―"),
                     self.text("III.7.R1.11", "その他の措置の内容", self.prose("sonota_risk", 1, 1)),
                     self.rating("III.7.R1.rating"))
            r2 = "特定個人情報が古い情報のまま保管され続けるリスク"
            if r.random() < 0.15:
                r2 = "特定個人情報古い情報のまま保管され続けるリスク"  # §10.2 (S2)
            self.add(Risk(2, r2), self.measures("III.7.R2.measures"), self.rating("III.7.R2.rating"))
            self.add(Risk(3, "特定個人情報が消去されずいつまでも存在するリスク"),
                     self.select("III.7.R3.1", "消去手順", "B-SADAME"),
                     self.text("III.7.R3.1a", "手順の内容", self.prose("shokyo", 1, 2)),
                     self.text("III.7.R3.2", "その他の措置の内容", r.choice(PROSE["other"])),
                     self.rating("III.7.R3.rating"))
        self.add(self.text("III.7.other", "特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置",
                           self.prose("sonota_risk", 1, 2)))
        if juten:
            self.add(Sec(8, "監査"), self.check("III.8.1", "実施の有無", "C-KANSA", lo=1, hi=3))
            kyo = self.kyoiku_word()
            self.add(Sec(9, f"{kyo}に対する教育・啓発"),
                     self.select("III.9.1", f"{kyo}に対する教育・啓発", "G-OKONAU"),
                     self.text("III.9.1a", "具体的な方法", self.prose("kyoiku", 1, 2)))
            self.add(self.text("III.10", "その他のリスク対策", self.prose("sonota_risk", 1, 1), number=10))
        self.file_no = None

    def kyoiku_word(self) -> str:
        if not hasattr(self, "_kyo"):
            self._kyo = "従業員" if self.rng.random() < 0.25 else "従業者"  # §10.2 (S2 prints 従業員)
        return self._kyo

    # ------------------------------------------------------------ 開示請求 / 評価実施手続 / 変更箇所
    def disclosure(self, part_no: int, zen: bool):
        r = self.rng
        title = "開示請求、問合せ" if r.random() < 0.8 else "開示請求、問い合わせ"
        p = "V" if zen else "IV"
        self.add(Part(part_no, title))
        self.add(Sec(1, "特定個人情報の開示・訂正・利用停止請求"))
        self.add(self.text(f"{p}.1.1", "①請求先", self.prose("seikyusaki", 1, 1)),
                 self.text(f"{p}.1.2", "②請求方法", self.prose("seikyuhoho", 1, 1)))
        if zen:
            self.add(self.text("V.1.2a", "特記事項", r.choice(["―", "開示請求は郵送でも受け付ける。"])))
            fee = self.select("V.1.3", "③手数料等", "B-TESURYO")
            self.add(fee)
            self.add(self.select("V.1.4", "④個人情報ファイル簿の公表", "B-OKONAU"),
                     self.text("V.1.4a", "個人情報ファイル名", self.file_names[0]),
                     self.text("V.1.4b", "公表場所", f"{self.org}情報公開コーナー"),
                     self.text("V.1.5", "⑤法令による特別の手続", "―"),
                     self.text("V.1.6", "⑥個人情報ファイル簿への不記載等", "―"))
        else:
            self.add(self.text("IV.1.3", "③法令による特別の手続", "―"),
                     self.text("IV.1.4", "④個人情報ファイル簿への不記載等", "―"))
        self.add(Sec(2, "特定個人情報ファイルの取扱いに関する問合せ"))
        self.add(self.text(f"{p}.2.1", "①連絡先", self.prose("renrakusaki", 1, 1)),
                 self.text(f"{p}.2.2", "②対応方法", self.prose("taio", 1, 1)))

    def procedure(self, part_no: int, zen: bool):
        r = self.rng
        p = "VI" if zen else "V"
        self.add(Part(part_no, "評価実施手続"))
        self.add(Sec(1, "基礎項目評価"))
        kiso_date = self.published - timedelta(days=r.randint(30, 400))
        if r.random() < 0.15:
            kiso_date = self.era1_date() if self.published > date(2019, 12, 31) else kiso_date
        lid = "SHIKII-ZEN" if zen else "SHIKII-JUTEN"
        self.add(self.date_entry(f"{p}.1.1", "①実施日", kiso_date, month_ok=False),
                 self.select(f"{p}.1.2", "②しきい値判断結果", lid, chosen=self.shikii))
        self.add(Sec(2, "国民・住民等からの意見の聴取" + ("" if zen else r.choice(["\u3000【任意】", ""]))))
        self.file_no = None
        start = self.published - timedelta(days=r.randint(60, 150))
        end = start + timedelta(days=r.choice([29, 30, 30, 14]))
        wd = r.choice([None, "(", "（"])
        style = r.choice(["～", "～", "から"])
        if style == "から":
            ptxt = f"{wareki(start, weekday=wd)}から{wareki(end, weekday=wd)}まで"
        else:
            ptxt = f"{wareki(start, weekday=wd)}～{wareki(end, weekday=wd)}"
        period = DateEl("②実施日・期間", ptxt, self.entry(f"{p}.2.2", "period", value_date=start.isoformat(),
                                                      value_date_end=end.isoformat()))
        self.add(self.text(f"{p}.2.1", "①方法", self.prose("iken_hoho", 1, 1)), period)
        if zen:
            self.add(self.text("VI.2.3", "③期間を短縮する特段の理由", "―"),
                     self.text("VI.2.4", "④主な意見の内容", self.prose("iken_naiyo", 1, 1)),
                     self.text("VI.2.5", "⑤評価書への反映", self.prose("hanei", 1, 1)))
        else:
            self.add(self.text("V.2.3", "③主な意見の内容", self.prose("iken_naiyo", 1, 1)))
        self.add(Sec(3, "第三者点検" + ("" if zen else r.choice(["\u3000【任意】", ""]))))
        n = r.choice([1, 1, 2, 2, 3])
        ds = sorted({end + timedelta(days=r.randint(5, 50)) for _ in range(n)})
        ds = [d for d in ds if d < self.published] or [self.published - timedelta(days=3)]
        wd = r.choice([None, "(", "（"])
        joiner = r.choice(["、", "、", "、", " 及び "])
        dtxt = joiner.join(wareki(d, weekday=wd) for d in ds)
        dates_el = DateEl("①実施日", dtxt, self.entry(f"{p}.3.1", "dates", value_dates=[d.isoformat() for d in ds]))
        self.add(dates_el, self.text(f"{p}.3.2", "②方法", self.prose("daisansha_hoho", 1, 1)),
                 self.text(f"{p}.3.3", "③結果", self.prose("kekka", 1, 1)))
        if zen:
            old = self.rev == "平成26年4月"
            self.add(Sec(4, ("特定個人情報保護委員会" if old else "個人情報保護委員会") + "の承認【行政機関等のみ】"))
            self.add(self.date_entry("VI.4.1", "①提出日", None),
                     self.text("VI.4.2", "②" + ("特定個人情報保護委員会" if old else "個人情報保護委員会") + "による審査", "―"))

    def changes_table(self, title: str):
        r = self.rng
        n = r.randint(0, 6)
        picks = r.sample(CHANGE_ROWS, n)
        days = sorted(r.sample(range(30, 3000), n)) if n else []
        rows, keyrows = [], []
        for (item, before, after, timing, note), back in zip(picks, reversed(days)):
            d = self.published - timedelta(days=back)
            if d < date(2015, 1, 1):
                d = date(2015, 1, 1) + timedelta(days=back % 300)
            ctx = dict(file=self.file_names[0], dept=self.dept, person=self.person, system=self.systems[-1][0])
            item_t, before_t, after_t = item.format(**ctx), before.format(**ctx), after.format(**ctx)
            if self.form == "kiso":
                item_t = item_t.replace("Ⅰ 基本情報", "Ⅰ 関連情報")
            printed = d.strftime("%Y/%-m/%-d") if r.random() < 0.15 else wareki(d, gannen=r.random() < 0.5)
            rows.append((printed, item_t, before_t, after_t, timing, note))
            keyrows.append({"date": d.isoformat(), "item": item_t, "before": before_t, "after": after_t,
                            "timing": timing, "note": note})
        self.add(Changes(title, rows))
        return keyrows

    def annex_records(self, title: str):
        lines = []
        fields = ["宛名番号", "個人番号", "氏名", "氏名（カナ）", "生年月日", "性別", "住所", "世帯番号", "続柄", "異動日",
                  "異動事由", "資格取得日", "資格喪失日", "所得額", "課税区分", "口座情報", "備考"]
        for i, name in enumerate(self.file_names, 1):
            lines.append(f"【{i}\u3000{name}】")
            n = self.rng.randint(6, 14)
            lines.append("、".join(f"{j}. {f}" for j, f in enumerate(self.rng.sample(fields, n), 1)))
        self.add(Annex(title, lines))

    # ------------------------------------------------------------ the whole documents
    def plans(self):
        r = self.rng
        out = []
        for _ in self.file_names:
            out.append({"itaku": r.choices([0, 1, 2, 3, 4, 5], [0.2, 0.3, 0.2, 0.15, 0.1, 0.05])[0],
                        "teikyo": r.choices([0, 1, 2, 3, 4, 5], [0.25, 0.3, 0.2, 0.12, 0.08, 0.05])[0],
                        "iten": r.choices([0, 1, 2, 3, 4, 5], [0.4, 0.3, 0.15, 0.08, 0.05, 0.02])[0]})
        return out

    def build_zen(self):
        self.cover()
        self.part1(with_reasons=True)
        self.add(Annex("(別添1) 事務の内容", ["（備考）", self.prose("naiyo", 2, 3)]))
        plans = self.plans()
        for i, (name, plan) in enumerate(zip(self.file_names, plans), 1):
            self.part2_file(i, name, False, plan)
        self.annex_records("(別添2) 特定個人情報ファイル記録項目")
        for i, (name, plan) in enumerate(zip(self.file_names, plans), 1):
            self.part3_file(i, name, False, plan)
        r = self.rng
        self.add(Part(4, "その他のリスク対策", suffix="※"))
        self.add(Sec(1, "監査"))
        self.add(self.select("IV.1.1", "①自己点検", "G-OKONAU"),
                 self.text("IV.1.1a", "具体的なチェック方法", self.prose("kansa", 1, 1)),
                 self.select("IV.1.2", "②監査", "G-OKONAU"),
                 self.text("IV.1.2a", "具体的な内容", self.prose("kansa", 1, 2)))
        kyo = self.kyoiku_word()
        self.add(Sec(2, f"{kyo}に対する教育・啓発"),
                 self.select("IV.2.1", f"{kyo}に対する教育・啓発", "G-OKONAU"),
                 self.text("IV.2.1a", "具体的な方法", self.prose("kyoiku", 1, 2)))
        self.add(self.text("IV.3", "その他のリスク対策", self.prose("sonota_risk", 1, 2), number=3))
        self.disclosure(5, zen=True)
        self.procedure(6, zen=True)
        self.change_rows = self.changes_table("(別添3) 変更箇所" if r.random() < 0.6 else "（別添３）変更箇所")

    def build_juten(self):
        self.cover()
        self.part1(with_reasons=False)
        plans = self.plans()
        for i, (name, plan) in enumerate(zip(self.file_names, plans), 1):
            self.part2_file(i, name, True, plan)
        self.annex_records("（別添１） 特定個人情報ファイル記録項目")
        for i, (name, plan) in enumerate(zip(self.file_names, plans), 1):
            self.part3_file(i, name, True, plan)
        self.disclosure(4, zen=False)
        self.procedure(5, zen=False)
        self.change_rows = self.changes_table("（別添２） 変更箇所")

    def build_kiso(self):
        r = self.rng
        self.cover()
        self.add(Part(1, "関連情報"))
        self.add(Sec(1, "特定個人情報ファイルを取り扱う事務"))
        self.add(self.text("I.1.1", "①事務の名称", self.affair),
                 self.text("I.1.2", "②事務の概要", self.prose("naiyo", 2, 3)),
                 self.text("I.1.3", "③システムの名称", "、".join(s[0] for s in self.systems[:r.randint(1, 3)])))
        self.add(FileList(2, "特定個人情報ファイル名", list(self.file_names)))
        self.add(Sec(3, "個人番号の利用"), self.text("I.3", "法令上の根拠", self.law()))
        self.add(Sec(4, "情報提供ネットワークシステムによる情報連携"),
                 self.select("I.4.1", "①実施の有無", "B-JISSHI", chosen=self.nws),
                 self.text("I.4.2", "②法令上の根拠", "番号法第19条第8号に基づく主務省令第2条の表" if self.nws == 1 else "―"))
        self.add(Sec(5, "評価実施機関における担当部署"),
                 self.text("I.5.1", "①部署", self.org_unit()), self.chief("I.5.2"))
        self.add(self.text("I.6", "他の評価実施機関", "―", number=6))
        # Ⅱ しきい値判断項目
        self.add(Part(2, "しきい値判断項目"))
        count_date = self.published - timedelta(days=r.randint(20, 200))
        count_date = count_date.replace(day=1) if r.random() < 0.5 else count_date
        self.add(Sec(1, "対象人数"),
                 self.select("II.1.1", "評価対象の事務の対象人数は何人か", "BAND-TAISHO-KISO", chosen=self.taisho),
                 self.date_entry("II.1.2", "いつ時点の計数か", count_date, month_ok=False))
        self.add(Sec(2, "取扱者数"),
                 self.select("II.2.1", "特定個人情報ファイル取扱者数は500人以上か", "BAND-TORIATSUKAI",
                             chosen=1 if self.heavy_staff else 2),
                 self.date_entry("II.2.2", "いつ時点の計数か", count_date, month_ok=False))
        self.add(Sec(3, "重大事故"),
                 self.select("II.3.1", "過去1年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか", "B-HASSEI",
                             chosen=1 if self.incident_1y else 2))
        # Ⅲ しきい値判断結果
        self.add(Part(3, "しきい値判断結果"))
        self.add(self.select("III.1", "しきい値判断結果", "SHIKII-KISO", chosen=self.shikii))
        # Ⅳ リスク対策
        self.add(Part(4, "リスク対策"))
        shurui = {1: 3, 2: 2}.get(self.shikii, 1)
        self.add(self.select("IV.1", "提出する特定個人情報保護評価書の種類", "KISO-SHURUI", chosen=shurui, number=1))
        if shurui != 1:
            self.add(Note("2）又は3）を選択した評価実施機関については、それぞれ重点項目評価書又は全項目評価書において、"
                          "リスク対策の詳細が記載されている。"))
        q = "リスクへの対策は十分か"
        self.add(Sec(2, "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"),
                 self.select("IV.2.1", "目的外の入手が行われる" + q, "G-JUBUN"))
        self.add(Sec(3, "特定個人情報の使用"),
                 self.select("IV.3.1", "目的を超えた紐付け、事務に必要のない情報との紐付けが行われる" + q, "G-JUBUN"),
                 self.select("IV.3.2", "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用される" + q, "G-JUBUN"))
        no_itaku = r.random() < 0.25
        self.add(Sec(4, "特定個人情報ファイルの取扱いの委託",
                     flags=[Flag("委託しない", no_itaku, self.entry("IV.4.flag", "flag", checked=no_itaku))]),
                 self.select("IV.4.1", "委託先における不正な使用等の" + q, "G-JUBUN", na=no_itaku))
        no_prov = r.random() < 0.25
        self.add(Sec(5, "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
                     flags=[Flag("提供・移転しない", no_prov, self.entry("IV.5.flag", "flag", checked=no_prov))]),
                 self.select("IV.5.1", "不正な提供・移転が行われる" + q, "G-JUBUN", na=no_prov))
        f_in = f_out = self.nws == 2
        if self.nws == 3:
            f_in = f_out = r.random() < 0.5
        self.add(Sec(6, "情報提供ネットワークシステムとの接続",
                     flags=[Flag("接続しない（入手）", f_in, self.entry("IV.6.flag1", "flag", checked=f_in)),
                            Flag("接続しない（提供）", f_out, self.entry("IV.6.flag2", "flag", checked=f_out))]),
                 self.select("IV.6.1", "目的外の入手が行われる" + q, "G-JUBUN", na=f_in),
                 self.select("IV.6.2", "不正な提供が行われる" + q, "G-JUBUN", na=f_out))
        self.add(Sec(7, "特定個人情報の保管・消去"),
                 self.select("IV.7.1", "特定個人情報の漏えい・滅失・毀損" + q, "G-JUBUN"))
        self.add(Sec(8, "監査"), self.check("IV.8.1", "実施の有無", "C-KANSA", lo=1, hi=3))
        kyo = self.kyoiku_word()
        self.add(Sec(9, f"{kyo}に対する教育・啓発"), self.select("IV.9.1", f"{kyo}に対する教育・啓発", "G-OKONAU"))
        heavy_filed = shurui != 1
        self.add(Sec(10, "最も優先度が高いと考えられる対策",
                     flags=[Flag("全項目評価又は重点項目評価を実施する", heavy_filed,
                                 self.entry("IV.10.flag", "flag", checked=heavy_filed))]),
                 self.select("IV.10.1", "最も優先度が高いと考えられる対策", "KISO-PRIORITY", na=heavy_filed),
                 self.select("IV.10.2", "当該対策は十分か【再掲】", "G-JUBUN", na=heavy_filed),
                 self.text("IV.10.3", "判断の根拠", "―" if heavy_filed else self.prose("handan", 1, 1)))
        # Ⅴ 開示請求、問合せ
        self.add(Part(5, "開示請求、問合せ" if r.random() < 0.8 else "開示請求、問い合わせ"))
        self.add(Sec(1, "特定個人情報の開示・訂正・利用停止請求"), self.text("V.1.1", "請求先", self.prose("seikyusaki", 1, 1)))
        self.add(Sec(2, "特定個人情報ファイルの取扱いに関する問合せ"), self.text("V.2.1", "連絡先", self.prose("renrakusaki", 1, 1)))
        self.change_rows = self.changes_table("（別添） 変更箇所")

    # ------------------------------------------------------------ undeterminable items (about 1 per document)
    def make_undetermined(self, reason: str):
        r = self.rng
        skip = {"BAND-TAISHO", "BAND-TAISHO-KISO", "SHIKII-ZEN", "SHIKII-JUTEN", "SHIKII-KISO", "B-ITAKU", "KISO-SHURUI",
                "B-JISSHI", "B-HASSEI", "B-SAIITAKU"}
        cands = [el for el in self.iter_items() if isinstance(el, Select) and el.state == "ok" and el.list_id not in skip]
        el = r.choice(cands)
        e = el.entry
        for k in ("value_text", "option_no"):
            e.pop(k, None)
        page = e.pop("page")
        e["status"] = "undetermined"
        e["reason"] = reason
        if reason == "empty":
            el.state = "empty"
        elif reason == "conflict":
            other = r.choice([i for i in range(1, len(el.options) + 1) if i != el.chosen])
            el.conflict = tuple(sorted((el.chosen, other)))
            el.state = "conflict"
        else:
            raw = r.choice([v for v in FOREIGN_VALUES if v not in el.options])
            el.raw = raw
            el.state = "not-in-options"
            e["raw"] = raw
        e["page"] = page
        return el

    def iter_items(self):
        for el in self.els:
            if isinstance(el, Sub):
                yield from el.items
            else:
                yield el


def generate(seed: str, form: str, cov: Coverage, undetermined: list[str], affair_index: int | None = None,
             org: str | None = None) -> Doc:
    b = Builder(seed, form, cov, affair_index=affair_index, org=org)
    {"zen": b.build_zen, "juten": b.build_juten, "kiso": b.build_kiso}[form]()
    for reason in undetermined:
        b.make_undetermined(reason)
    doc = Doc(form, b.form_type, b.revision, b.org, b.org_kind, b.office, b.affair, b.aff["code"], b.title,
              b.assessment_no, b.published, list(b.file_names), b.violation, b.els, b.change_rows)
    return doc


class Steer:
    """Steers layout draws across a round so that every variant of every layout trait gets used."""

    def __init__(self):
        self.used: dict[str, dict[str, int]] = {}

    def pick(self, rng: random.Random, name: str, options: list, weights=None):
        counts = self.used.get(name, {})
        if rng.random() < 0.75:
            least = min(counts.get(repr(o), 0) for o in options)
            return rng.choice([o for o in options if counts.get(repr(o), 0) == least])
        return rng.choices(options, weights)[0]

    def commit(self, choices: dict) -> None:
        for name, v in choices.items():
            d = self.used.setdefault(name, {})
            d[repr(v)] = d.get(repr(v), 0) + 1
