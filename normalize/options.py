"""Match a selected value against an item's option list: exact after normalization, never fuzzy."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from normalize.text import fold_label, normalize_text


@dataclass(frozen=True)
class OptionMatch:
    text: str  # the option text as given in the option list
    number: int  # 1-based position in the list
    level: int | None  # = number, or None for a not-applicable option


_PREFIX = re.compile(r"\s*([0-9０-９]{1,2})\s*[)）]\s*(.*)", re.DOTALL)


def strip_option_prefix(s: str) -> tuple[int | None, str]:
    """"2） 十分である" -> (2, "十分である"); no "n)" / "n）" prefix -> (None, s stripped)."""
    m = _PREFIX.fullmatch(s)
    if not m:
        return None, s.strip()
    return int(m.group(1).translate(_DIGITS)), m.group(2).strip()


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_AMBIGUOUS = 0
_DIGIT_GROUP = re.compile(r"(?<=\d)[,、](?=\d{3}(?!\d))")  # 1,000 and 1000 are one number


def _key(s: str) -> str:
    """Folded text of an option or value: width, spaces, parentheses, punctuation, digit grouping."""
    return _DIGIT_GROUP.sub("", fold_label(strip_option_prefix(normalize_text(s))[1]))


@lru_cache(maxsize=1024)
def _option_keys(options: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Folded key -> option number; a key shared by two options maps to _AMBIGUOUS."""
    keys: dict[str, int] = {}
    for i, opt in enumerate(options, 1):
        k = _key(opt)
        keys[k] = _AMBIGUOUS if k in keys and keys[k] != i else i
    for variant, canonical in aliases:
        k, target = _key(variant), keys.get(_key(canonical))
        if target is None or not k:
            continue  # an alias to text that is not an option of this item
        if k in keys and keys[k] != target:
            keys[k] = _AMBIGUOUS  # never let an alias shadow a different option
        else:
            keys[k] = target
    return keys


def match_option(
    value: str,
    options: Sequence[str],
    aliases: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    not_applicable: Collection[int] = (),
) -> OptionMatch | None:
    """The option `value` names, or None. `options` are labels without the "1)" prefix.

    Tolerates width, spaces, （）/() and 、/, variants, surrounding [ ], and a leading "n)" prefix
    (which must then agree with the option's number). `aliases` maps whole variant texts to option
    texts (a Mapping, or (variant, canonical) pairs). A prefix of an option, a value holding two options, or an ambiguous key is no match.
    """
    if not isinstance(value, str):
        return None
    v = normalize_text(value)
    if len(v) >= 2 and v[0] == "[" and v[-1] == "]":
        v = v[1:-1]
    number, text = strip_option_prefix(v)
    k = _key(text)
    if not k:
        return None
    if not aliases:
        alias_items: tuple[tuple[str, str], ...] = ()
    elif isinstance(aliases, Mapping):
        alias_items = tuple(aliases.items())
    else:  # pairs, as the form model's OptionList.aliases holds them
        alias_items = tuple(aliases)
    n = _option_keys(tuple(options), alias_items).get(k)
    if not n or (number is not None and number != n):
        return None
    return OptionMatch(options[n - 1], n, None if n in not_applicable else n)
