"""Holding CPython's cyclic garbage collector off while a corpus is built.

A loaded corpus is many small objects and no cycles (`tests/test_load.py::TestNoCycles`),
yet every full collection walks all of it again: the collector took a fifth of
`load_path`'s time, a share that grew with the corpus (docs/performance.md).  Paused, it
walks the corpus once when it is back on, instead of each time the heap grows by a quarter.
The collector is one switch for the whole process, so pauses in several threads are
counted: it is switched back on when the last one ends, and only if a pause switched it off.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from threading import Lock
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["paused"]

_lock = Lock()
_open = 0  # pauses open now, in every thread
_switched_off = False  # whether the first of them switched the collector off


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the block (unless the caller had already switched it off)."""
    global _open, _switched_off  # noqa: PLW0603 - one switch per process, as in `gc`
    with _lock:
        if _open == 0:
            _switched_off = gc.isenabled()
            gc.disable()
        _open += 1
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if _open == 0 and _switched_off:
                _switched_off = False
                gc.enable()
