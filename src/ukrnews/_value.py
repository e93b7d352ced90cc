"""Value semantics (``==``, ``hash``, ``repr``) for the attrs classes built at import.

attrs writes these three methods as source for each class and compiles it when the
class is defined (python-attrs/attrs#575): for the model's 15 classes and `Limits` that
was 22 M of the 367 M instructions of ``import ukrnews`` and a first ``load_path``.
`Value` does the same once, by reading each class's fields; its classes say
``@attr.frozen(eq=False, repr=False)``.
"""

from __future__ import annotations

import reprlib
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attr

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Value"]


def _fields(cls: type) -> tuple[type, Any, tuple[str, ...]]:
    """``cls``, a getter of the tuple of its fields with ``eq=True``, and the names ``repr`` shows.

    Kept on the class itself (so it goes with the class), made on first use.
    """
    found: tuple[type, Any, tuple[str, ...]] | None = getattr(cls, "_value_fields", None)
    if found is not None and found[0] is cls:  # not a base class's
        return found
    fields = attr.fields(cls)
    for f in fields:
        if f.eq_key is not None or not isinstance(f.repr, bool) or f.hash not in (None, f.eq):
            msg = f"{cls.__name__}.{f.name}: Value takes only eq=, repr= and hash= as booleans"
            raise TypeError(msg)
    key = _tuple_getter(tuple(f.name for f in fields if f.eq))
    found = (cls, key, tuple(f.name for f in fields if f.repr))
    setattr(cls, "_value_fields", found)  # noqa: B010 - `type` has no such attribute for mypy
    return found


def _tuple_getter(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of these attributes; `attrgetter` gives one bare, and takes no zero names."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


class Value:
    """Compared and hashed by the fields with ``eq=True``, shown by those with ``repr=True``.

    As attrs would: equal only to an instance of the very same class, ``repr`` as
    ``Name(field=value, ...)``, and ``...`` for an object already being shown.  The
    fields are compared as a tuple, so a field that holds the very same object on both
    sides is equal even if that object is not equal to itself (NaN); attrs compares
    them one by one.  The model allows no such value (a quantity's value is finite).
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _fields(self.__class__)[1]
        return bool(key(self) == key(other))

    def __hash__(self) -> int:
        return hash((self.__class__, _fields(self.__class__)[1](self)))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(
            f"{n}={getattr(self, n, attr.NOTHING)!r}" for n in _fields(self.__class__)[2]
        )
        return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({shown})"
