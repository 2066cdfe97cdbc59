"""Elimination (extract/forms/elimination.py): a value is settled only when every binding agrees."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.forms.elimination import BLANK, Slot, Token, feasible, solve

JUBUN = ("特に力を入れている", "十分である", "課題が残されている")
SADAME = ("定めている", "定めていない")


def _tokens(*values: str) -> list[Token]:
    return [Token(v, i) for i, v in enumerate(values)]


def test_all_tokens_alike_and_one_per_open_item():
    # 8 ratings, one not applicable, 7 tokens all 十分である: the 7 others are 十分である
    slots = [Slot(f"R{i}", 1, JUBUN, blank=(i == 6)) for i in range(8)]
    out = solve(slots, _tokens(*["十分である"] * 7))
    assert [o.value for o in out] == ["十分である"] * 6 + [None] + ["十分である"]
    assert out[6].values == (BLANK,)


def test_one_token_short_leaves_every_item_open():
    slots = [Slot(f"R{i}", 1, JUBUN) for i in range(8)]
    out = solve(slots, _tokens(*["十分である"] * 7))
    assert all(o.value is None and set(o.values) == {BLANK, "十分である"} for o in out)


def test_two_values_bind_nothing_unless_the_lists_differ():
    slots = [Slot("a", 1, JUBUN), Slot("b", 1, JUBUN)]
    assert [o.value for o in solve(slots, _tokens("十分である", "課題が残されている"))] == [None, None]
    # the only token of its kind belongs to the only item that takes that list
    slots = [Slot("a", 1, JUBUN), Slot("b", 1, SADAME)]
    assert [o.value for o in solve(slots, _tokens("十分である", "定めている"))] == ["十分である", "定めている"]


def test_fixed_readings_consume_their_tokens():
    slots = [Slot("a", 1, JUBUN, fixed="課題が残されている"), Slot("b", 1, JUBUN)]
    out = solve(slots, _tokens("十分である", "課題が残されている"))
    assert out[1].value == "十分である"


def test_too_many_tokens_is_no_binding():
    assert solve([Slot("a", 1, JUBUN)], _tokens("十分である", "十分である")) is None
    assert not feasible([Slot("a", 1, JUBUN, blank=True)], _tokens("十分である"))


BOX = ("ticked", "unticked", "lost")


def test_boxes_confined_by_position():
    # three group instances in text order (places 0, 1, 2), one box each; a box may belong to the instance of
    # the heading before it or a neighbour: the lone box near place 2 settles it, the other two stay open
    slots = [Slot(f"g{p}", 1, BOX, must=True, place=p) for p in range(3)]
    tokens = [Token("ticked", 0, frozenset({0, 1})), Token("unticked", 1, frozenset({0, 1})),
              Token("unticked", 2, frozenset({1, 2}))]
    # g2 can take only box 2; g0 and g1 share boxes 0 and 1, one ticked, one not: open
    assert [o.value for o in solve(slots, tokens)] == [None, None, "unticked"]
    # box 1 may also be g2's: g2 is unticked whichever of boxes 1, 2 it takes; g1 could take the ticked box 0
    tokens[1] = Token("unticked", 1, frozenset({0, 1, 2}))
    assert [o.value for o in solve(slots, tokens)] == [None, None, "unticked"]
    tokens[0] = Token("ticked", 0, frozenset({0}))
    assert [o.value for o in solve(slots, tokens)] == ["ticked", "unticked", "unticked"]
    # a lost box may be any instance's: nothing it could take is settled
    tokens = [Token("lost", 0, frozenset({0, 1})), Token("unticked", 1, frozenset({0, 1})),
              Token("unticked", 2, frozenset({2}))]
    assert [o.value for o in solve(slots, tokens)] == [None, None, "unticked"]
    # an instance no box can reach: no binding
    assert solve(slots, [Token("ticked", 0, frozenset({0})), Token("ticked", 1, frozenset({0}))]) is None


@settings(max_examples=200, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["J", "S", "J-blank", "J-fixed", "J-must"]), min_size=1, max_size=7),
    values=st.lists(st.sampled_from([*JUBUN, *SADAME]), max_size=7),
    seed=st.integers(0, 10**6),
)
def test_shuffling_tokens_never_changes_a_settled_value(kinds, values, seed):
    slots = [Slot(str(i), 1, SADAME if k == "S" else JUBUN, blank=k == "J-blank",
                  fixed="十分である" if k == "J-fixed" else None, must=k == "J-must", place=i % 3)
             for i, k in enumerate(kinds)]
    rng = random.Random(seed)
    tokens = [Token(v, i, None if rng.random() < 0.5 else frozenset(rng.sample(range(3), rng.randint(1, 3))))
              for i, v in enumerate(values)]
    shuffled = tokens[:]
    rng.shuffle(shuffled)
    shuffled = [Token(t.value, i, t.places) for i, t in enumerate(shuffled)]  # new positions too
    a, b = solve(slots, tokens), solve(slots, shuffled)
    assert (a is None) == (b is None)
    if a is not None:
        assert [o.value for o in a] == [o.value for o in b]
        assert [set(o.values) for o in a] == [set(o.values) for o in b]
