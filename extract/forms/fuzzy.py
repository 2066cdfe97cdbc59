"""OCR-tolerant matching, used only for segments read by OCR (method "ocr").

OCR confuses look-alike glyphs (項/頂, 令/信, 力/カ, ①/〇/@), so exact label and option matching finds
little on scans. Matching here is by Levenshtein similarity on folded text with two guards against
guessing: a floor on the similarity and a margin over the second-best candidate. Text layers and text
inputs never come here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import regex
from rapidfuzz.distance import Levenshtein

from extract.forms.wording import AFFAIR_WORDS
from normalize.text import fold_label

# glyph confusions folded before comparing (both sides), so they cost nothing
_CONFUSIONS = str.maketrans({"カ": "力", "ロ": "口", "二": "ニ", "ー": "一", "エ": "工", "人": "入", "{": "[", "}": "]",
                             # a small kana is its full-size glyph drawn smaller: OCR confuses the two sizes
                             # ("都道府県知事保存本人確認情報フアイル": scan round 14, r24_b11 at 150 dpi)
                             **dict(zip("ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ", "アイウ工オツヤユヨワ力ケあいうえおつやゆよわ"))})
# a speck read as a glyph may stand before the number ("め①ファイルの種類")
_LEADING_NUMBER = regex.compile(r"^\S?[①-⑳〇@◎○0-9()（）.．、\s]{1,3}")
_DAY = regex.compile(r"(?<=月\s*\d{1,2}\s*)[晶曰目昌]")
# each date of a list: one glyph before 和, not 昭 (昭和) nor 平 (平成 read 平和), then the era year
_ERA = regex.compile(r"(?<!\p{Han})(?![昭平])\p{Han}和(?=\s*(元|\d{1,2})(?!\d))")


_CJK_GAP = regex.compile(r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}ー])[ \t]+(?=[\p{Han}\p{Hiragana}\p{Katakana}ー])")


def close_cjk_gaps(s: str) -> str:
    """Spaces between two Japanese glyphs taken out: OCR splits a word at a wide glyph gap ("移 転先2",
    "生活保護受給者ファイ ル"); the forms' names and headings print none there."""
    return _CJK_GAP.sub("", s)


def ocr_fold(s: str) -> str:
    return fold_label(s).translate(_CONFUSIONS)


def core(label_folded: str) -> str:
    """A label without its circled item number: OCR misreads ① as 〇, @, ⑤."""
    return _LEADING_NUMBER.sub("", label_folded)


def prefix_similarity(text: str, target: str) -> float:
    """Similarity of `target` to the start of `text` (both folded), allowing ±1 character of length."""
    if not target:
        return 0.0
    best = 0.0
    for n in (len(target) - 1, len(target), len(target) + 1):
        if n <= 0:
            continue
        best = max(best, Levenshtein.normalized_similarity(text[:n], target))
    return best


def best(text: str, targets: Sequence[str], floor: float, margin: float = 0.08,
         prefix: bool = True, owners: Sequence[object] | None = None) -> tuple[int, float] | None:
    """Index and score of the target most similar to `text`, or None when it is below `floor` or
    not clearly ahead of the runner-up (identical targets count once, and so do targets of one owner: a
    label and its alias, "②所属長の役職名" and "②所属長", name one item). Of one owner's targets alike in score, the
    longest is the one read: the text spells it whole (scan round 18, r28_a01 Ⅰ 5 ②: "2所属長の役職名 健康づくり課長"
    matched the alias 所属長, and the value began "役職名")."""
    scores = []
    for i, t in enumerate(targets):
        s = prefix_similarity(text, t) if prefix else Levenshtein.normalized_similarity(text, t)
        scores.append((s, i))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < floor:
        return None
    top_s, top_i = scores[0]
    if owners is not None:
        top_i = max((i for s, i in scores if s == top_s and owners[i] == owners[top_i]), key=lambda i: len(targets[i]))
    for s, i in scores[1:]:
        if targets[i] != targets[top_i] and (owners is None or owners[i] != owners[top_i]) and top_s - s < margin:
            return None
    return top_i, top_s


def by_differing_span(text: str, a: str, b: str, floor: float = 0.8) -> int | None:
    """0 or 1: which of two targets that differ in one span `text` is, where whole-string similarity
    cannot tell (基礎項目評価及び全/重点項目評価の… with a glyph of the common part misread). The text is
    cut where the targets' common start and end would lie; its middle must spell one target's differing
    span exactly, and its cut ends must be similar to the common parts (a part of two or three glyphs:
    one glyph off). None otherwise (a glyph lost or added shifts the cut, and nothing is decided)."""
    p = len(os.path.commonprefix([a, b]))
    q = len(os.path.commonprefix([a[p:][::-1], b[p:][::-1]]))
    if len(text) < p + q:
        return None
    mid, mids = text[p:len(text) - q], (a[p:len(a) - q], b[p:len(b) - q])
    if mids[0] == mids[1] or mid not in mids:
        return None
    ends = [(text[:p], a[:p]), (text[len(text) - q:], a[len(a) - q:])]

    def near(got: str, want: str) -> bool:  # a common part of two or three glyphs may have one misread
        return (Levenshtein.normalized_similarity(got, want) >= floor
                or len(got) == len(want) <= 3 and Levenshtein.distance(got, want) == 1)

    if any(want and not near(got, want) for got, want in ends):
        return None
    return mids.index(mid)


def fix_era(text: str, today: date | None = None) -> tuple[str, bool]:
    """令和 with its first glyph misread (信和 / 今和 / 多和 / 発和 …). The only era ending in 和 an assessment
    can be dated in is 令和 (the forms began in 2014: never 昭和), so any one glyph before 和 is taken for
    令 where the year is one 令和 has reached by `today`; a later year is left alone (平成28年 misread
    X和28年 must not become 2046)."""
    last = ((today or date.today()).year - 2018)

    def era(m: regex.Match) -> str:
        return "令和" if m.group(1) == "元" or int(m.group(1)) <= last else m.group(0)

    fixed = _ERA.sub(era, text)
    return fixed, fixed != text


def fix_day(text: str) -> tuple[str, bool]:
    """日 misread as 晶 / 曰 / 目 / 昌 after the day's digits ("2月20晶"): else the date reads as a month."""
    fixed = _DAY.sub("日", text)
    return fixed, fixed != text


def fix_words(text: str, words: Sequence[str] = AFFAIR_WORDS) -> str:
    """Replace each window of `text` that is one substitution away from a vocabulary word of three
    glyphs or more, look-alike glyphs and the two sizes of a kana folded (longest words first); windows that
    already spell a word are kept. A two-glyph word
    is never a correction: one glyph of two is half the word (知事保存 is not 知事務存)."""
    out = text
    for w in sorted(words, key=len, reverse=True):
        n = len(w)
        if n < 3:
            continue
        i = 0
        while i + n <= len(out):
            window = out[i:i + n]
            if window != w and Levenshtein.distance(window.translate(_CONFUSIONS), w.translate(_CONFUSIONS),
                                                    weights=(9, 9, 1)) <= 1:
                out = out[:i] + w + out[i + n:]
                i += n
            else:
                i += 1
    return out
