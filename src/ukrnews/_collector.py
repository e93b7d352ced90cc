"""Holding CPython's cyclic garbage collector off while a corpus is built.

A loaded corpus is many small objects and no cycles (`tests/test_load.py::TestNoCycles`),
yet every full collection walks all of it again: the collector took a fifth of
`load_path`'s time, a share that grew with the corpus (docs/performance.md).  Paused, it
walks the corpus in the next few collections after it is back on (a young one, then an
older), instead of in every full collection while the heap grows by a quarter at a time.
The collector is one switch for the whole process, so pauses in several threads are
counted: it is switched back on when the last one ends, and only if a pause switched it off.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["paused"]

# No lock: each step below is one operation on a set or a flag, and every order in which
# two threads can run them ends with the collector on once no pause is open.
_open: set[object] = set()  # a token per pause open now, in every thread
# Whether the pauses switched the collector off: True until the last one to end switches it
# on again, `_ENABLING` while it does (a fork or a signal may come in between), then False.
_ENABLING: Final = "enabling"
_switched_off: bool | str = False


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the block (unless the caller had already switched it off).

    A Ctrl-C (Python runs signal handlers when a call returns) finds the state whole: a
    pause not yet counted removes nothing, and the collector is switched on by the last
    call.  What is left is the instant between `contextlib` entering the block and the
    block's own ``try``: a pause interrupted there ends when its generator is freed.
    """
    global _open, _switched_off  # noqa: PLW0603 - one switch per process, as in `gc`
    token = object()
    try:
        if not _open:
            _switched_off = _switched_off is True or gc.isenabled()
            gc.disable()
        _open.add(token)
        yield
    finally:
        _open -= {token}  # an operator, not a call: no signal handler runs in between
        if not _open and _switched_off is True:
            _switched_off = _ENABLING
            gc.enable()
            _switched_off = False


def _after_fork() -> None:
    """In a forked child, the parent's pauses are not its own: none open, collector on."""
    global _switched_off  # noqa: PLW0603 - see `paused`
    _open.clear()
    if _switched_off:  # even with no pause open: a thread may have been between two steps
        gc.enable()
    _switched_off = False


if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX; Windows cannot fork
    os.register_at_fork(after_in_child=_after_fork)
