"""`load_path` pauses CPython's cyclic collector while it builds a corpus, and only then."""

from __future__ import annotations

import gc
import os
import threading
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ukrnews
from helpers import corpus_dir
from ukrnews import _api, _collector

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from pathlib import Path


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Every test starts with the collector on, and leaves it on, whatever it did."""
    gc.enable()
    yield
    gc.enable()


def _watch_files(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each file `load_paths` reads, whether the collector was on meanwhile."""
    seen: list[bool] = []
    load_file = _api.load_file

    def watched(*args: object, **kwargs: object) -> ukrnews.Article:
        seen.append(gc.isenabled())
        return load_file(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_api, "load_file", watched)
    return seen


def test_paused_while_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Off for every file, back on after, and the corpus is the one streaming builds."""
    folder = corpus_dir(tmp_path / "c", copies=3)
    seen = _watch_files(monkeypatch)
    corpus = ukrnews.load_path(folder)
    assert seen == [False] * 4
    assert gc.isenabled()
    assert corpus == ukrnews.Corpus(ukrnews.iter_articles(folder))
    assert seen[4:] == [True] * 4  # streaming leaves the collector alone


def test_back_on_after_an_error(tmp_path: Path) -> None:
    """A file that fails ends the load with the collector on again."""
    folder = corpus_dir(tmp_path / "c", copies=1)
    (folder / "b.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(ukrnews.DataError, match=r"b\.yaml"):
        ukrnews.load_path(folder)
    assert gc.isenabled()


def test_caller_switched_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collector the caller switched off stays off: a pause never switches it on."""
    folder = corpus_dir(tmp_path / "c", copies=1)
    seen = _watch_files(monkeypatch)
    gc.disable()
    ukrnews.load_path(folder)
    assert seen == [False, False]
    assert not gc.isenabled()


@given(
    st.booleans(),
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.tuples(st.just(n), st.permutations(range(n)))
    ),
)
def test_overlapping_pauses(enabled: bool, pauses: tuple[int, list[int]]) -> None:
    """Pauses ending in any order (as in threads): off while one is open, then as before."""
    count, order = pauses
    (gc.enable if enabled else gc.disable)()  # each example sets it: the fixture runs once
    try:
        opened: list[AbstractContextManager[None]] = [_collector.paused() for _ in range(count)]
        for pause in opened:
            pause.__enter__()
            assert not gc.isenabled()
        for step, i in enumerate(order, start=1):
            opened[i].__exit__(None, None, None)
            assert gc.isenabled() == (enabled and step == count)
        assert not _collector._open
        assert not _collector._switched_off
    finally:
        gc.enable()


def test_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load to end leaves the collector off for the loads still running."""
    folder = corpus_dir(tmp_path / "c", copies=0)
    expected = ukrnews.load_path(folder)
    first_in, others_in, first_out = threading.Event(), threading.Event(), threading.Event()
    arrived = threading.Barrier(3, action=others_in.set)
    seen: list[bool] = []
    load_file = _api.load_file

    def held(*args: object, **kwargs: object) -> ukrnews.Article:
        if threading.current_thread() is first:
            first_in.set()
            assert others_in.wait(30)
        else:
            arrived.wait(30)
            assert first_out.wait(30)
            seen.append(gc.isenabled())
        return load_file(*args, **kwargs)  # type: ignore[arg-type]

    results: list[ukrnews.Corpus] = []

    def load_first() -> None:
        results.append(ukrnews.load_path(folder))
        first_out.set()

    def load() -> None:
        results.append(ukrnews.load_path(folder))

    monkeypatch.setattr(_api, "load_file", held)
    first = threading.Thread(target=load_first)
    first.start()
    assert first_in.wait(30)  # the first pause has switched the collector off
    others = [threading.Thread(target=load) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(60)
    assert seen == [False] * 3  # the first had ended; three pauses were still open
    assert results == [expected] * 4
    assert gc.isenabled()


def test_fork_starts_afresh() -> None:
    """A child forked during a pause has the collector on and no pause of its own open."""
    with _collector.paused():
        child = os.fork()
        if child == 0:  # pragma: no cover - the child process; its exit code is the result
            os._exit(0 if gc.isenabled() and not _collector._open else 1)
        _, status = os.waitpid(child, 0)
        assert not gc.isenabled()
    assert os.waitstatus_to_exitcode(status) == 0
    assert gc.isenabled()


class _Interrupting:
    """`gc` as `_collector` sees it, but ``disable`` or ``enable`` is cut short by Ctrl-C."""

    def __init__(self, where: str) -> None:
        self.where = where

    def isenabled(self) -> bool:
        return gc.isenabled()

    def disable(self) -> None:
        gc.disable()
        if self.where == "after disable":
            raise KeyboardInterrupt

    def enable(self) -> None:
        gc.enable()
        if self.where == "after enable":
            raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["after disable", "after enable"])
def test_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Ctrl-C as a call returns (where Python runs signal handlers) leaves the state whole."""
    folder = corpus_dir(tmp_path / "c", copies=0)
    monkeypatch.setattr(_collector, "gc", _Interrupting(where))
    with pytest.raises(KeyboardInterrupt):
        ukrnews.load_path(folder)
    monkeypatch.undo()
    assert gc.isenabled()
    assert not _collector._open
    assert _collector._switched_off is not True  # ENABLING may stay: it claims nothing
    gc.disable()  # and a collector the caller switches off afterwards stays off
    ukrnews.load_path(folder)
    assert not gc.isenabled()


@pytest.mark.parametrize("flag", [True, _collector._ENABLING])
def test_fork_between_two_steps(monkeypatch: pytest.MonkeyPatch, flag: bool | str) -> None:
    """A child forked while a parent's thread was between two steps of a pause (switched off
    but not counted, or about to switch back on) starts with the collector on."""
    gc.disable()
    monkeypatch.setattr(_collector, "_switched_off", flag)
    _collector._after_fork()  # what the child runs first
    assert gc.isenabled()
    assert not _collector._switched_off
    assert not _collector._open
