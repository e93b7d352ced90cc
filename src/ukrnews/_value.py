"""Value semantics (``==``, ``hash``, ``repr``) for the attrs classes built at import.

attrs writes these three methods as source for each class and compiles it when the
class is defined (python-attrs/attrs#575): for the model's 15 classes that was half
of what ``import ukrnews`` adds to ``import attrs``.  `Value` does the same once, by
reading each class's fields; its classes say ``@attrs.frozen(eq=False, repr=False)``.
"""

from __future__ import annotations

import reprlib
from operator import attrgetter
from typing import Any, Final

import attrs

__all__ = ["Value"]

# Per class: a getter of the fields that take part in ``==`` (a tuple, or the value
# itself when there is one) and the names ``repr`` shows.  Built on first use.
_FIELDS: Final[dict[type, tuple[Any, tuple[str, ...]]]] = {}


def _fields(cls: type) -> tuple[Any, tuple[str, ...]]:
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = attrs.fields(cls)
        found = _FIELDS[cls] = (
            attrgetter(*[f.name for f in fields if f.eq]),
            tuple(f.name for f in fields if f.repr),
        )
        return found


class Value:
    """Compared and hashed by the fields with ``eq=True``, shown by those with ``repr=True``.

    As attrs would: equal only to an instance of the very same class, ``repr`` as
    ``Name(field=value, ...)``, and ``...`` for an object already being shown.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = _fields(self.__class__)[0]
        return bool(key(self) == key(other))

    def __hash__(self) -> int:
        return hash((self.__class__, _fields(self.__class__)[0](self)))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _fields(self.__class__)[1])
        return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({shown})"
