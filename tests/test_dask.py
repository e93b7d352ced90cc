"""`ukrnews.dask.read_articles` on a real two-process cluster equals the single-process export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dask.base import compute
from dask.distributed import Client, LocalCluster

import ukrnews
import ukrnews.dask
from helpers import ARTICLE_ID, corpus_dir
from ukrnews._arrow import TABLES
from ukrnews._parquet import convert_group, write_parquet

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two worker processes, one thread each: what a small cluster does, on this machine."""
    with (
        LocalCluster(  # type: ignore[no-untyped-call]  # distributed is partly typed
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,  # type: ignore[no-untyped-call]
    ):
        yield connected


def test_equals_the_single_process_export(client: Client, tmp_path: Path) -> None:
    """Every table, computed on the workers in three partitions, is the Parquet export's."""
    folder = corpus_dir(tmp_path / "corpus", copies=4)
    write_parquet([folder], tmp_path / "parquet")
    frames = ukrnews.dask.read_articles(str(folder / "*.yaml"), files_per_partition=2)
    assert set(frames) == set(TABLES)
    schemas = ukrnews.arrow_schema()
    computed = client.compute([frames[name] for name in TABLES], sync=True)  # type: ignore[no-untyped-call]
    for name, frame in zip(TABLES, computed, strict=True):
        assert frames[name].npartitions == 3
        table = pa.Table.from_pandas(
            frame.reset_index(drop=True), schema=schemas[name], preserve_index=False
        )
        assert table.equals(pq.read_table(tmp_path / "parquet" / name))


def test_bad_file_fails_with_its_error(client: Client, tmp_path: Path) -> None:
    """A file that does not validate fails the computation with its DataError."""
    folder = corpus_dir(tmp_path / "corpus", copies=2)
    bad = folder / "a2.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("source: nato", "source: natoo", 1))
    frames = ukrnews.dask.read_articles([folder], files_per_partition=2)
    with pytest.raises(ukrnews.DataError, match="unknown entity 'natoo'") as info:
        client.compute(frames["quotes"], sync=True)  # type: ignore[no-untyped-call]
    assert info.value.path == str(bad)


def test_no_files_is_an_error(tmp_path: Path) -> None:
    """A pattern or directory without YAML files is a DataError, not an empty frame."""
    with pytest.raises(ukrnews.DataError, match=r"no \*\.yaml") as info:
        ukrnews.dask.read_articles(str(tmp_path / "*.yaml"))
    assert info.value.path == str(tmp_path / "*.yaml")


def test_relative_paths_are_read_from_where_they_were_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker in another working directory reads the files a relative path named.

    The working directory's own name may hold glob characters; only the pattern given
    is a pattern.
    """
    here = tmp_path / "proj[1]"
    here.mkdir()
    corpus_dir(here / "corpus", copies=2)
    monkeypatch.chdir(here)
    by_glob = ukrnews.dask.read_articles("corpus/*.yaml")
    by_folder = ukrnews.dask.read_articles([Path("corpus")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # where a worker may run
    for frames in (by_glob, by_folder):
        quotes = frames["quotes"].compute(scheduler="synchronous")
        assert sorted(set(quotes["article_id"])) == [ARTICLE_ID, "copy1", "copy2"]
    monkeypatch.chdir(here)
    with pytest.raises(ukrnews.DataError, match="no such file") as info:
        ukrnews.dask.read_articles(["corpus/a1.yaml", "corpus/typo.yaml"])
    assert info.value.path == str(here / "corpus" / "typo.yaml")
    with pytest.raises(ukrnews.DataError) as info:
        ukrnews.dask.read_articles("nothing/*.yaml")
    assert info.value.path == "nothing/*.yaml"


def test_dot_dot_after_a_symlink_is_where_the_link_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``link/..`` is the parent of the link's target, as the operating system reads it."""
    (tmp_path / "real" / "sub").mkdir(parents=True)
    corpus_dir(tmp_path / "real" / "corpus", copies=1)
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")
    monkeypatch.chdir(tmp_path)
    frames = ukrnews.dask.read_articles(["link/../corpus"])
    monkeypatch.chdir(tmp_path / "real")
    quotes = frames["quotes"].compute(scheduler="synchronous")
    assert sorted(set(quotes["article_id"])) == [ARTICLE_ID, "copy1"]


def test_each_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Computing every table together loads each group of files once, not once a table."""
    folder = corpus_dir(tmp_path / "corpus", copies=4)
    loaded: list[list[str]] = []

    def counted(files: list[str]) -> tuple[list[tuple[str, str]], dict[str, pa.Table]]:
        loaded.append(list(files))
        return convert_group(files)

    monkeypatch.setattr(ukrnews.dask, "convert_group", counted)
    frames = ukrnews.dask.read_articles([folder], files_per_partition=2)
    computed = compute(*frames.values(), scheduler="synchronous")  # type: ignore[no-untyped-call]
    assert len(computed) == len(TABLES)
    assert sorted(f for group in loaded for f in group) == sorted(
        str(p) for p in folder.glob("*.yaml")
    )
    assert len(loaded) == 3  # five files, two a partition
