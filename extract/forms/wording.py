"""Printed wording the readers look for that is not an item of a form model (model.py holds those):
markers of public-comment packs, the vocabulary OCR'd names are corrected against, headings and cells
around the form's items. Data only."""

from __future__ import annotations

# ---------------------------------------------------------------- the form around its items
OPTION_HEADER = "<選択肢>"  # printed above an item's option list
TOC_HEADING = "項目一覧"  # the cover's table of contents
OTHER_OPTION = "その他"  # the option of a checkbox group that takes a free text: その他 （ … ）
ASSESSMENT_WORD = "特定個人情報保護評価"  # the title line of every form (…評価書（全項目評価書）)
TITLE_WORD = "評価書"  # every 評価書名 ends in it
SUBMISSION_TIMINGS = ("事前", "事後")  # values of the change sheet's 提出時期
BLANK_VALUES = frozenset({"", "-", "―", "—", "なし", "該当なし", "該当なし。"})  # a value cell saying nothing
PART_NUMERALS = ("", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ")  # part number -> numeral as printed

# ---------------------------------------------------------------- names
# Words of affair names (事務の名称) in the forms and the real documents: the closed vocabulary the OCR
# reading of a name is corrected against, one misread glyph per word at most.
AFFAIR_WORDS = ("住民基本台帳", "国民健康保険", "後期高齢者医療", "介護保険", "児童手当", "児童扶養手当",
                "生活保護", "個人住民税", "地方税", "本人確認情報", "ネットワーク", "に関する", "に関する事務",
                "の管理", "及び提供", "の賦課", "賦課徴収", "障害者", "予防接種", "健康管理")
FILE_WORD = "ファイル"  # a file name is affair words and this (特定個人情報ファイル)

# ---------------------------------------------------------------- public-comment packs
PACK_MARKERS = ("パブリックコメント", "パブリック・コメント", "意見を募集", "意見提出", "ご意見", "素案", "概要版",
                "意見募集", "意見を求め")
PACK_FILE_HEADING = "特定個人情報ファイル"  # the heading above a pack's "(n) name" lines
INQUIRY_HEADINGS = ("問い合わせ先", "問合せ先", "お問い合わせ先", "お問合せ先")  # the body's name is the next line
SUBMISSION_HEADINGS = ("意見の提出先", "意見提出先", "提出先", "ご意見の提出先")  # where comments are sent
# words of a contact block's lines (department, phone, address …): the block ends at a line with none
CONTACT_WORDS = ("課", "係", "室", "担当", "電話", "TEL", "FAX", "ファクス", "〒", "@", "メール")
CONTACT_FAX_WORDS = ("FAX", "ファクス", "ファックス", "ファクシミリ")  # a number after one is a fax number
DEPARTMENT_ENDINGS = ("課", "係", "室")  # a department's name ends in one of them (…部市民課)
NOT_A_BODY = frozenset("本当各同全他市区町村都道府県国")  # first glyphs of words that only look like a body's name
SELF_REFERENCES = {"市": ("本市", "当市"), "県": ("本県", "当県"), "町": ("本町", "当町"), "村": ("本村", "当村"),
                   "区": ("本区", "当区"), "都": ("本都",), "道": ("本道",), "府": ("本府",)}
SCHEDULE_HEADING = "スケジュール"
SCHEDULE_HEADER_CELLS = ("時期", "日程")
# row labels of a quoted form excerpt with no value of their own (besides the model's section stops)
EXCERPT_ROW_LABELS = ("再委託", "使用の主体")
AFFAIR_SUFFIX = "事務"  # an affair's name ends in it (…に関する事務)
