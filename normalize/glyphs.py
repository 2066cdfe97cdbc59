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
