"""Tests for `ukrnews._nest`: overlapping intervals drawn as properly nested fragments."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from ukrnews._nest import Close, Open, Text, nest


@attrs.frozen
class Iv:
    """An interval with a layer (``rank``: lower is outer at the same extent)."""

    start: int
    end: int
    rank: int = 0


def _tie(item: Iv) -> tuple[int, ...]:
    return (item.rank,)


LENGTH = 12


@st.composite
def intervals(draw: st.DrawFn) -> list[Iv]:
    """Up to six non-empty intervals in a text of `LENGTH`, some of them equal."""
    found = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, LENGTH - 1))
        end = draw(st.integers(start + 1, LENGTH))
        found.append(Iv(start, end, draw(st.integers(0, 2))))
    return found


def _replay(events: list[Open[Iv] | Close[Iv] | Text]) -> dict[int, list[Iv]]:
    """Check the events nest like elements; map each text position to the open items."""
    stack: list[Iv] = []
    inside: dict[int, list[Iv]] = {}
    for event in events:
        if isinstance(event, Open):
            assert list(event.outer) == stack
            stack.append(event.item)
        elif isinstance(event, Close):
            assert stack.pop() is event.item  # closes the innermost open fragment
        else:
            for at in range(event.start, event.end):
                inside[at] = list(stack)
    assert stack == []
    return inside


@given(intervals())
def test_every_position_is_inside_exactly_its_intervals(items: list[Iv]) -> None:
    """Well-formed; the text comes in order, once; each point is inside what covers it."""
    events = nest(LENGTH, items, _tie)
    inside = _replay(events)
    texts = [(e.start, e.end) for e in events if isinstance(e, Text)]
    assert [a for a, _ in texts] == [0, *(b for _, b in texts[:-1])]
    assert texts[-1][1] == LENGTH
    for at in range(LENGTH):
        covering = [m for m in items if m.start <= at < m.end]
        assert sorted(map(id, inside[at])) == sorted(map(id, covering))


@given(intervals())
def test_each_interval_has_one_first_fragment(items: list[Iv]) -> None:
    """Every interval opens once as its first fragment; later fragments are continuations."""
    opens = [e for e in nest(LENGTH, items, _tie) if isinstance(e, Open)]
    for item in items:
        mine = [e.first for e in opens if e.item is item]
        assert mine[0] is True
        assert True not in mine[1:]


@given(intervals())
def test_outer_first_at_the_same_start(items: list[Iv]) -> None:
    """Of two intervals opened together at a start, the longer (then lower rank) is outer."""
    for event in nest(LENGTH, items, _tie):
        if isinstance(event, Open) and event.first and event.outer:
            parent = event.outer[-1]
            if parent.start == event.item.start:
                assert (-parent.end, parent.rank) <= (-event.item.end, event.item.rank)


def test_crossing_intervals_are_split_and_laminar_ones_are_not() -> None:
    """[0,5) and [3,8) cross: the later is cut in two; nested ones stay whole."""
    a, b = Iv(0, 5), Iv(3, 8)
    events = nest(8, [a, b], _tie)
    shape = [(type(e).__name__, getattr(e, "first", None)) for e in events if type(e) is not Text]
    assert shape == [
        ("Open", True),
        ("Open", True),
        ("Close", None),
        ("Close", None),
        ("Open", False),
        ("Close", None),
    ]
    outer, inner = Iv(0, 8), Iv(2, 4)
    opened = [e for e in nest(8, [inner, outer], _tie) if isinstance(e, Open)]
    assert [(e.item, e.first) for e in opened] == [(outer, True), (inner, True)]


def test_equal_items_are_two_elements() -> None:
    """Items are told apart by identity: two equal intervals open twice."""
    one, two = Iv(1, 3), Iv(1, 3)
    opened = [e.item for e in nest(4, [one, two], _tie) if isinstance(e, Open)]
    assert len(opened) == 2
    assert opened[0] is not opened[1]


def test_no_items_is_the_text() -> None:
    """Without intervals the text is one piece; an empty text has none."""
    assert nest(5, [], _tie) == [Text(0, 5)]
    assert nest(0, [], _tie) == []
