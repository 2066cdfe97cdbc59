"""Chinese glyph forms read back to Japanese ones: 对象人数 -> 対象人数, 未满 -> 未満, 样式 -> 様式.

PP-OCR's recognizers are trained mostly on Chinese text and sometimes emit the Simplified Chinese (or a
Chinese variant) form of a Japanese character. The table normalize/data/simplified_to_japanese.csv maps
only characters that are outside JIS X 0208 and never occur in the forms' vocabulary, so applying it to
any Japanese text changes nothing that a Japanese document would print (the rule is in the CSV's header).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import regex

TABLE = Path(__file__).parent / "data" / "simplified_to_japanese.csv"


@lru_cache(maxsize=1)
def glyph_table() -> dict[str, tuple[str, str]]:
    """source character -> (Japanese character, kind: "simplified" | "variant")."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["source"]: (r["japanese"], r["kind"]) for r in rows}


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(s): j for s, (j, _kind) in glyph_table().items()}


def japanese_forms(text: str) -> str:
    """`text` with every Chinese-only glyph form of the table replaced by its Japanese form."""
    return text.translate(_translation())


OLD_FORMS_TABLE = Path(__file__).parent / "data" / "old_forms.csv"


@lru_cache(maxsize=1)
def old_form_table() -> dict[str, str]:
    """old (kyujitai) or variant form -> the Japanese form printed now (the rule is in the CSV's header)."""
    with OLD_FORMS_TABLE.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["old"]: r["japanese"] for r in rows}


def old_forms(text: str) -> str:
    """The old glyph forms in `text`, in order, once each ("" for none): 齡 in 後期高齡者."""
    table = old_form_table()
    return "".join(dict.fromkeys(c for c in text if c in table))


# A katakana glyph with a kanji twin of the same shape, read where only the kanji fits. Japanese text prints no
# lone katakana between two kanji or hiragana (a katakana word is a run of katakana): none in the 37,150 texts
# of the fixtures' answer keys and the real documents. カ keeps its counter use (数カ所, 何カ月: a kanji follows),
# so it becomes 力 only before hiragana (入カできない). Scan rounds 6-7: 一切 read 「ー切」, 入力 read 「入カ」.
KANJI_TWINS = {"カ": "力", "ロ": "口", "エ": "工", "ニ": "二", "ハ": "八", "タ": "夕", "ー": "一"}
_LONE_TWIN = regex.compile(r"(?<=[\p{Han}\p{Hiragana}])(?:[ロエニハター](?=[\p{Han}\p{Hiragana}])|カ(?=\p{Hiragana}))")
# The same the other way: a kanji twin inside a katakana word (ケ一ス, サ一バー: scan rounds 2-10).
KATAKANA_TWINS = {k: c for c, k in KANJI_TWINS.items()}
_KANJI_IN_KATAKANA = regex.compile(r"(?<=\p{Katakana})[力口工二八夕一](?=\p{Katakana})")
# A katakana glyph with a hiragana twin (リ/り, ヘ/へ, ベ/べ, ペ/ぺ), read alone between hiragana and kanji, hiragana
# or punctuation: no text of the keys or the real documents prints one there (により read 「によリ」 in 33 texts of
# scan rounds 2-10). Not at a line's end: a katakana word wraps anywhere (「ISMAPのリ」 + 「スト」).
HIRAGANA_TWINS = {"リ": "り", "ヘ": "へ", "ベ": "べ", "ペ": "ぺ"}
_LONE_KANA_TWIN = regex.compile(r"(?<=\p{Hiragana})[リヘベペ](?=[\p{Han}\p{Hiragana}\p{P}])")


def kanji_twins(text: str) -> str:
    """`text` (an OCR reading) with each glyph read as the twin of the script its neighbours are in: a lone
    katakana twin between kanji or hiragana read as its kanji, a kanji twin between katakana as its katakana,
    a lone katakana twin after hiragana as its hiragana. The length is kept, so per-character positions and
    probabilities still fit."""
    text = _LONE_TWIN.sub(lambda m: KANJI_TWINS[m.group()], text)
    text = _KANJI_IN_KATAKANA.sub(lambda m: KATAKANA_TWINS[m.group()], text)
    return _LONE_KANA_TWIN.sub(lambda m: HIRAGANA_TWINS[m.group()], text)


def read_once(text: str) -> list[int]:
    """Indices of the characters of an OCR reading to keep where one glyph was read twice, as a katakana and
    its hiragana twin side by side (「によリり」: both cover the one り): the katakana one goes, unless a
    katakana stands before the pair. No text of the keys or the real documents prints such a pair."""
    drop = set()
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        pair = HIRAGANA_TWINS.get(a) == b or HIRAGANA_TWINS.get(b) == a
        if pair and i - 1 not in drop and i not in drop:
            kata = i if a in HIRAGANA_TWINS else i + 1
            katakana_before = i > 0 and regex.match(r"\p{Katakana}", text[i - 1]) is not None
            drop.add(2 * i + 1 - kata if katakana_before else kata)  # the other one of the pair, or the katakana
    return [i for i in range(len(text)) if i not in drop]
