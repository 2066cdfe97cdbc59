"""Organizations: 評価実施機関名 -> body name -> 全国地方公共団体コード -> ASCII partition key.

Codes are JIS X 0402 five-digit codes plus the check digit the 総務省 appends (six digits). The table of
every prefecture and municipality is normalize/orgcodes.py (normalize/data/lg_codes.csv); national
agencies get "N" + two digits there. A body without a code gets a stable hash key instead.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from normalize import orgcodes
from normalize.orgcodes import check_digit  # one implementation of the 総務省 check digit

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # in JIS X 0401 order: the index + 1 is the prefecture number

# (prefecture, body) -> five-digit code without check digit: the municipalities of the corpus and the
# fixtures, each checked against a published code list.
_MUNICIPALITIES: dict[tuple[str, str], str] = {
    ("北海道", "札幌市"): "01100",
    ("北海道", "旭川市"): "01204",
    ("熊本県", "熊本市"): "43100",
    ("熊本県", "八代市"): "43202",
    ("熊本県", "合志市"): "43216",
    ("熊本県", "玉東町"): "43364",
    ("熊本県", "山江村"): "43512",
}


def full_code(code5: str) -> str:
    return code5 + check_digit(code5)


def is_valid_code(code6: str) -> bool:
    return orgcodes.is_valid(code6)


def _build_table() -> dict[tuple[str | None, str], str]:
    table: dict[tuple[str | None, str], str] = {}
    for i, name in enumerate(PREFECTURES, start=1):
        table[(None, name)] = full_code(f"{i:02d}000")
    for (pref, body), code5 in _MUNICIPALITIES.items():
        if code5[:2] != f"{PREFECTURES.index(pref) + 1:02d}":
            raise AssertionError(f"{body}: code {code5} is not in {pref}")
        table[(pref, body)] = full_code(code5)
    return table


ORG_CODES: dict[tuple[str | None, str], str] = _build_table()

# Office suffixes of 評価実施機関名 (記載要領: ○○県知事, ○○市長, ○○市教育委員会), longest first.
_OFFICES = (
    "選挙管理委員会", "教育委員会", "人事委員会", "公平委員会", "農業委員会", "公安委員会", "監査委員",
    "公営企業管理者", "病院事業管理者", "水道事業管理者", "企業管理者", "議会議長", "警察本部長", "消防長",
    "知事", "区長", "市長", "町長", "村長",
)
_BODY_END = re.compile(r"(?:都|道|府|県|市|区|町|村|広域連合|組合|企業団)$")
_MUNICIPAL_END = re.compile(r"(?:市|区|町|村)$")
_COUNTY = re.compile(r"^[^郡]{1,6}郡(?=.+[町村]$)")


def split_org(raw: str) -> tuple[str | None, str]:
    """評価実施機関名 -> (prefecture or None, body). The body is returned unchanged when no office is found."""
    text = unicodedata.normalize("NFKC", raw).strip()
    tokens = text.split()
    text = "".join(tokens)
    for office in _OFFICES:
        if text.endswith(office) and len(text) > len(office):
            stem = text[: -len(office)]
            if office.endswith("長") and office != "消防長":
                stem += office[0]  # 市長 -> 市, 町長 -> 町
            text = stem
            break
    else:
        if text.endswith("長") and _BODY_END.search(text[:-1]):
            text = text[:-1]  # 広域連合長, 組合長
    pref = None
    for p in PREFECTURES:
        if text.startswith(p) and len(text) > len(p):
            rest = text[len(p):]
            pref = p
            if _MUNICIPAL_END.search(rest):  # 岡山県赤磐市 -> 赤磐市; 広域連合 names keep the prefecture
                text = _COUNTY.sub("", rest)
            break
    if text in PREFECTURES:
        pref = text
    return pref, text


def normalize_org(raw: str) -> str:
    """The body behind a 評価実施機関名: "熊本県知事" -> "熊本県", "岡山県 赤磐市長" -> "赤磐市"."""
    return split_org(raw)[1]


def org_code(name: str | None, prefecture: str | None = None) -> str | None:
    """The six-digit 全国地方公共団体コード of a body (every prefecture and municipality; national agencies
    get their N-code), from the committed table of normalize/orgcodes.py; None when unknown or ambiguous."""
    body = orgcodes.lookup(name, prefecture)
    return body.code if body else None


def org_prefecture(code: str | None, prefecture: str | None = None) -> str | None:
    """Prefecture of a body: from its code when it has one, else the one printed in 評価実施機関名."""
    return orgcodes.prefecture_of(code) or prefecture


def org_key(name: str | None, code: str | None) -> str:
    """ASCII partition value: "j" + code ("n" + digits for national agencies), else "x" + 8 hex of
    sha1(name), else "unknown".

    The letter prefix keeps the value non-numeric: digits-only hive partition values are read as
    integers by pyarrow, pandas and polars (012041 -> 12041) but as strings by DuckDB.
    """
    if code and code.startswith("N"):
        return "n" + code[1:]
    if code:
        return "j" + code
    if name:
        return "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return "unknown"
