"""Parquet export in bounded memory: files parsed in groups (in parallel), rows streamed out.

Worker processes load and strictly validate a group of files each and hand back Arrow
tables; the parent writes them in order, one Parquet file per table, cutting a row
group whenever one fills.  At most a few groups and one row group per table are held,
however large the corpus.  Nothing is left half-written: the files are renamed into
place only when every input has loaded.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._api import load, load_file, yaml_files
from ._arrow import TABLES, _schemas, tables
from ._errors import DataError
from ._optional import require

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


__all__ = ["FILES_PER_GROUP", "convert_group", "file_groups", "write_parquet"]

FILES_PER_GROUP: Final = 64
# A row group is cut at this many rows or bytes, whichever comes first: an article row
# holds its whole annotation, the other rows are small.  Memory is bounded by these.
ROW_GROUP_ROWS: Final = {name: 1_024 if name == "articles" else 65_536 for name in TABLES}
ROW_GROUP_BYTES: Final = 16 * 2**20


def _paths(paths: Sequence[str | os.PathLike[str]]) -> Iterator[str]:
    for path in paths:
        if not Path(path).exists():
            raise DataError("no such file or directory", path=os.fspath(path))
        for file in yaml_files(Path(path)):
            yield os.fspath(file)


def file_groups(
    paths: Sequence[str | os.PathLike[str]], size: int = FILES_PER_GROUP
) -> Iterator[list[str]]:
    """The YAML files under ``paths`` (files or directories) in order, ``size`` at a time."""
    files = _paths(paths)
    while group := list(itertools.islice(files, size)):
        yield group


def convert_group(files: Sequence[str]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Load and validate ``files``; their (file, article id) pairs and their tables."""
    articles = [load_file(f) for f in files]
    return [(f, a.id) for f, a in zip(files, articles, strict=True)], tables(articles)


def _bundled(_: Sequence[str]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    articles = load().articles
    return [("<bundled>", a.id) for a in articles], tables(articles)


def _results(
    groups: Iterator[list[str]], jobs: int
) -> Iterator[tuple[list[tuple[str, str]], dict[str, Any]]]:
    """Each group's result in input order, with at most ``2 * jobs`` groups in flight."""
    if jobs <= 1:
        yield from map(convert_group, groups)
        return
    # "spawn": a fork of a process that holds Arrow's thread pools is not safe.
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pending: collections.deque[Any] = collections.deque()
        for group in groups:
            pending.append(pool.apply_async(convert_group, (group,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


class _Writers:
    """One Parquet writer per table, each buffering at most one row group."""

    def __init__(self, pq: Any, schemas: dict[str, Any], directory: Path) -> None:
        self.pa = require("pyarrow", "arrow")
        self.temps = {n: directory / f".{n}.parquet.{os.getpid()}.tmp" for n in TABLES}
        self.targets = {n: directory / f"{n}.parquet" for n in TABLES}
        self.schemas = schemas
        self.writers = {n: pq.ParquetWriter(self.temps[n], schemas[n]) for n in TABLES}
        self.buffers: dict[str, list[Any]] = {n: [] for n in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)

    def add(self, tables: dict[str, Any]) -> None:
        for name, table in tables.items():
            buffer = self.buffers[name]
            buffer.append(table)
            self.counts[name] += table.num_rows
            rows, size = sum(t.num_rows for t in buffer), sum(t.nbytes for t in buffer)
            if rows >= ROW_GROUP_ROWS[name] or size >= ROW_GROUP_BYTES:
                self._flush(name)

    def _flush(self, name: str) -> None:
        if self.buffers[name]:
            merged = self.pa.concat_tables(self.buffers[name])
            self.writers[name].write_table(merged, row_group_size=ROW_GROUP_ROWS[name])
            self.buffers[name] = []

    def commit(self) -> None:
        for name in TABLES:
            self._flush(name)
            self.writers[name].close()
        for name in TABLES:
            self.temps[name].replace(self.targets[name])

    def abort(self) -> None:
        for name in TABLES:
            self.writers[name].close()
            self.temps[name].unlink(missing_ok=True)


def _check_ids(ids: list[tuple[str, str]], seen: set[str]) -> None:
    for file, article_id in ids:
        if article_id in seen:
            raise DataError(
                f"article id '{article_id}' is already used by an earlier file",
                path=file,
                field="id",
            )
        seen.add(article_id)


def write_parquet(
    paths: Sequence[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    jobs: int = 1,
    group_size: int = FILES_PER_GROUP,
) -> dict[str, int]:
    """Write each table of the articles under ``paths`` to ``directory/<table>.parquet``.

    No ``paths``: the bundled corpus.  Returns the rows written per table.

    ``jobs`` processes parse the files; the output is the same for any ``jobs``.
    Article ids must be unique across all files (a `DataError` names the second file).
    """
    pq = require("pyarrow.parquet", "arrow")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    schemas = _schemas(require("pyarrow", "arrow"))
    groups = file_groups(paths, group_size) if paths else iter([[]])
    results = _results(groups, jobs) if paths else map(_bundled, groups)
    writers = _Writers(pq, schemas, out)
    seen: set[str] = set()  # the one thing that grows with the corpus: ~60 bytes an article
    try:
        for ids, tables in results:
            _check_ids(ids, seen)
            writers.add(tables)
        writers.commit()
    except BaseException:
        writers.abort()
        raise
    return writers.counts
