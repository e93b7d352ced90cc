"""`load_path` pauses CPython's cyclic collector while it builds a corpus, and only then."""

from __future__ import annotations

import gc
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
    finally:
        gc.enable()


def test_threads(tmp_path: Path) -> None:
    """Loads in several threads at once leave the collector on, and all load the corpus."""
    folder = corpus_dir(tmp_path / "c", copies=2)
    expected = ukrnews.load_path(folder)
    start = threading.Barrier(4)
    results: list[ukrnews.Corpus] = []

    def load() -> None:
        start.wait()
        results.append(ukrnews.load_path(folder))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
    assert gc.isenabled()
