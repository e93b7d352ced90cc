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
import os
from contextlib import contextmanager
from threading import RLock
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["paused"]

_lock = RLock()  # re-entrant: a signal handler may load while a pause starts or ends
_open: set[object] = set()  # a token per pause open now, in every thread
# Whether the pauses switched the collector off and have not switched it on again.  It is
# cleared only once the collector is on, so a pause cut short by an interrupt just before
# that is finished by the next one to end.
_switched_off = False


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the block (unless the caller had already switched it off).

    Each step is safe to interrupt (a KeyboardInterrupt, say): a pause that was never
    counted removes nothing, and the collector is never left off once no pause is open.
    """
    global _switched_off  # noqa: PLW0603 - one switch per process, as in `gc`
    token = object()
    try:
        with _lock:
            if not _open:
                _switched_off = _switched_off or gc.isenabled()
                gc.disable()
            _open.add(token)
        yield
    finally:
        with _lock:
            _open.discard(token)
            if not _open and _switched_off:
                gc.enable()
                _switched_off = False


def _after_fork() -> None:
    """In a forked child, the parent's pauses are not its own: start afresh, collector on."""
    global _lock, _switched_off  # noqa: PLW0603 - see `paused`
    _lock = RLock()  # the parent's may have been held by a thread the child does not have
    if _open and _switched_off:
        gc.enable()
    _open.clear()
    _switched_off = False


if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX; Windows cannot fork
    os.register_at_fork(after_in_child=_after_fork)
