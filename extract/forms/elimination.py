"""Values settled by elimination: value tokens and items of a span, each item's option list its constraint.

A scrambled dump prints a span's values (tokens: "[ 十分である ]") without tying each to its label. What the
tokens still prove: every token is the value of exactly one item of the span whose option list holds it, and
an item has at most one value. An item is settled when **every** binding of the tokens to the items that
satisfies these constraints gives it the same value; otherwise it stays undetermined. The bindings depend
only on the multiset of tokens, never on their order.

Constraints per item (a `Slot`): its option list; `fixed` (an ok reading from its own label: it must take
a token of that value); `blank` (it can take no token: its section is not applicable); `must` (it takes
exactly one token, whatever its value: a checkbox option prints one box per group instance). A token may be
confined to some slots by position (`Token.places`: the slots' `place` numbers it may go to). A query "slot X
has value w" is feasible when a binding exists that saturates every token and every slot that must take one
(two bipartite matchings suffice: Mendelsohn–Dulmage).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

BLANK = ""  # the value of a slot that takes no token


@dataclass(frozen=True, slots=True)
class Slot:
    """One item (of one file) that may take a token: its option texts and constraints."""

    key: str
    file_no: int | None
    options: tuple[str, ...]
    fixed: str | None = None  # read from its own label: it takes a token of this value
    blank: bool = False  # not applicable: it takes no token
    must: bool = False  # it takes exactly one token (of any of its options)
    place: int | None = None  # where it sits, for tokens confined by position


@dataclass(frozen=True, slots=True)
class Token:
    """A value printed in the span: one option text, and where (a line index)."""

    value: str
    at: int
    places: frozenset[int] | None = None  # the slot places it may belong to; None: any


@dataclass(frozen=True, slots=True)
class Outcome:
    value: str | None  # the settled value; None when not settled (or settled blank: see `values`)
    values: tuple[str, ...]  # every value some binding gives the slot (BLANK: no token)


def _matching(left: list[int], right: int, edges: dict[int, list[int]]) -> int:
    """Size of a maximum matching from `left` into range(right) (augmenting paths)."""
    match_r: dict[int, int] = {}

    def augment(u: int, seen: set[int]) -> bool:
        for v in edges.get(u, ()):
            if v in seen:
                continue
            seen.add(v)
            if v not in match_r or augment(match_r[v], seen):
                match_r[v] = u
                return True
        return False

    return sum(1 for u in left if augment(u, set()))


def _domain(slot: Slot, query: tuple[int, str] | None, i: int) -> tuple[str, ...] | None:
    """Values the slot may take a token of; None: it must stay blank. A query pins one slot."""
    if query is not None and query[0] == i:
        if query[1] == BLANK:
            return () if slot.fixed is not None or slot.must else None
        allowed = () if slot.blank else (slot.fixed,) if slot.fixed is not None else slot.options
        return (query[1],) if query[1] in allowed else ()  # (): it must take a token it cannot take
    if slot.blank:
        return None
    if slot.fixed is not None:
        return (slot.fixed,)
    return slot.options


def feasible(slots: list[Slot], tokens: list[Token], query: tuple[int, str] | None = None) -> bool:
    """A binding exists: every token to a distinct slot whose domain holds it; every slot that must take a
    token (fixed, or pinned to a value by the query) takes one."""
    domains = [_domain(s, query, i) for i, s in enumerate(slots)]
    must = [i for i, s in enumerate(slots) if domains[i] is not None and (
        s.fixed is not None or s.must or (query is not None and query[0] == i))]

    def fits(tok: Token, i: int) -> bool:
        d = domains[i]
        return d is not None and tok.value in d and (tok.places is None or slots[i].place in tok.places)

    token_edges = {t: [i for i in range(len(slots)) if fits(tok, i)] for t, tok in enumerate(tokens)}
    if _matching(list(range(len(tokens))), len(slots), token_edges) < len(tokens):
        return False
    slot_edges = {i: [t for t, tok in enumerate(tokens) if fits(tok, i)] for i in must}
    return _matching(must, len(tokens), slot_edges) == len(must)


def solve(slots: list[Slot], tokens: list[Token]) -> list[Outcome] | None:
    """Per slot, the value every binding gives it (or None); None overall when no binding exists."""
    if not feasible(slots, tokens):
        return None
    out = []
    for i, s in enumerate(slots):
        candidates = (BLANK,) + tuple(dict.fromkeys(t.value for t in tokens if t.value in s.options))
        values = tuple(w for w in candidates if feasible(slots, tokens, (i, w)))
        out.append(Outcome(values[0] if len(values) == 1 and values[0] != BLANK else None, values))
    return out


def census(tokens: list[Token]) -> str:
    """"十分である ×19" — the tokens by value, for a reason."""
    return ", ".join(f"{v} ×{n}" for v, n in Counter(t.value for t in tokens).most_common())


__all__ = ["Slot", "Token", "Outcome", "BLANK", "feasible", "solve", "census"]
