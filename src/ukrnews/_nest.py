"""Nest overlapping intervals as well-formed elements: the general algorithm, no HTML.

Marks over a text may overlap partially, but elements must nest.  The text is cut at
every interval boundary; in each piece the intervals that cover it are opened in one
fixed order (outer first), so an interval that crosses another's end is closed and
reopened as a continuation fragment.  `_html` turns the events into markup.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import attr

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["Close", "Interval", "Open", "Text", "nest"]


class Interval(Protocol):
    """Anything over ``[start, end)`` of a text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Interval)


@attr.frozen
class Open(Generic[T]):
    """Open a fragment of ``item``; ``first`` for its first fragment; ``outer``: the open stack."""

    item: T
    first: bool
    outer: tuple[T, ...]


@attr.frozen
class Close(Generic[T]):
    """Close the innermost open fragment, of ``item``."""

    item: T


@attr.frozen
class Text:
    """The text ``[start, end)``, inside every fragment open at this point."""

    start: int
    end: int


def nest(
    length: int, items: Sequence[T], tie: Callable[[T], tuple[int, ...]]
) -> list[Open[T] | Close[T] | Text]:
    """Events that draw ``items`` over a text of ``length`` as properly nested fragments.

    Longer intervals open outside shorter ones at the same start; ``tie`` orders
    intervals of the same extent (lower is outer).  Items are told apart by identity,
    so two equal items are still two elements.
    """
    order = sorted(items, key=lambda m: (m.start, -m.end, *tie(m)))
    cuts = sorted({0, length} | {m.start for m in items} | {m.end for m in items})
    events: list[Open[T] | Close[T] | Text] = []
    stack: list[T] = []
    opened: set[int] = set()
    for a, b in itertools.pairwise(cuts):
        active = [m for m in order if m.start <= a and b <= m.end]
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        events.extend(Close(m) for m in reversed(stack[keep:]))
        del stack[keep:]
        for item in active[keep:]:
            events.append(Open(item, id(item) not in opened, tuple(stack)))
            opened.add(id(item))
            stack.append(item)
        events.append(Text(a, b))
    events.extend(Close(m) for m in reversed(stack))
    return events
