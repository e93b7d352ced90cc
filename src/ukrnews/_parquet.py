"""Parquet export in bounded memory: files parsed in groups (in parallel), rows streamed out.

Worker processes load and strictly validate a group of files each and hand back Arrow
tables; the parent writes them in order, one Parquet file per table, cutting every
table's row group when the buffered rows reach ROW_GROUP_BYTES.  At most a few groups
and one row group per table are held, however large the corpus; what grows with it is
small (about 100 bytes an article: ids, file names, row-group metadata).  Nothing is
left half-written: the files are renamed into place only when every input has loaded.
"""

from __future__ import annotations

import array
import collections
import ctypes
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
    from collections.abc import Callable, Iterator, Sequence


__all__ = ["FILES_PER_GROUP", "IdSet", "convert_group", "file_groups", "write_parquet"]

FILES_PER_GROUP: Final = 64
# Every table's row group is cut when the rows buffered for all tables together reach
# this many bytes of Arrow data (some 2,500 generated articles).  One cap per table
# would let the buffers fill for as long as the slowest table takes (quotes: some
# 40,000 articles), so memory would grow far past 10,000 articles.  Bigger row groups
# cost memory while they fill; smaller ones cost it for good: the writer keeps about
# 1 KB of metadata per column per row group (170 KB for all tables) for the footer.
ROW_GROUP_BYTES: Final = 32 * 2**20


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


def _release_freed_memory() -> Callable[[], object]:
    """A call of ``malloc_trim``, which hands freed heap pages back (glibc); else a no-op.

    glibc keeps what a written row group freed, and fragments it, so the writer's RSS
    crept up from one row group to the next; trimmed, it falls back after each one.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # not glibc (macOS, musl, Windows)
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]  # int malloc_trim(size_t pad)
    trim.restype = ctypes.c_int
    return lambda: trim(0)


class _Writers:
    """One Parquet writer per table; rows are buffered until ROW_GROUP_BYTES fill."""

    def __init__(self, pq: Any, schemas: dict[str, Any], directory: Path) -> None:
        self.pa = require("pyarrow", "arrow")
        self.temps = {n: directory / f".{n}.parquet.{os.getpid()}.tmp" for n in TABLES}
        self.targets = {n: directory / f"{n}.parquet" for n in TABLES}
        self.schemas = schemas
        self.writers = {n: pq.ParquetWriter(self.temps[n], schemas[n]) for n in TABLES}
        self.buffers: dict[str, list[Any]] = {n: [] for n in TABLES}
        self.buffered = 0  # bytes, all tables
        self.counts = dict.fromkeys(TABLES, 0)
        self.release = _release_freed_memory()

    def add(self, tables: dict[str, Any]) -> None:
        for name, table in tables.items():
            self.buffers[name].append(table)
            self.counts[name] += table.num_rows
            self.buffered += table.nbytes
        if self.buffered >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        for name in TABLES:
            merged = self.pa.concat_tables(self.buffers[name]) if self.buffers[name] else None
            self.buffers[name] = []
            if merged is not None and merged.num_rows:
                # One row group, however many rows (the default cuts at 2**20).
                self.writers[name].write_table(merged, row_group_size=merged.num_rows)
            del merged
        self.buffered = 0
        self.release()

    def commit(self) -> None:
        self._flush()
        for name in TABLES:
            self.writers[name].close()
        for name in TABLES:
            self.temps[name].replace(self.targets[name])

    def abort(self) -> None:
        for name in TABLES:
            self.writers[name].close()
            self.temps[name].unlink(missing_ok=True)


class IdSet:
    """The article ids seen so far, exactly, in ``len(id) + ~20`` bytes each.

    A ``set`` of ``str`` costs about 100 bytes an id.  Here the ids lie back to back in
    one ``bytearray``; an open-addressing table (at most 2/3 full) holds their numbers.
    """

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array.array("q")  # id i is data[ends[i - 1]:ends[i]]
        self.slots = array.array("i", [-1]) * 8  # an id's number, or -1

    def _get(self, i: int) -> bytes:
        return bytes(self.data[self.ends[i - 1] if i else 0 : self.ends[i]])

    def _slot(self, raw: bytes) -> int:
        """The slot that holds ``raw``, or the empty one where it belongs."""
        mask = len(self.slots) - 1
        j = hash(raw) & mask
        while (i := self.slots[j]) >= 0 and self._get(i) != raw:
            j = (j + 1) & mask
        return j

    def add(self, key: str) -> bool:
        """Add ``key``; whether it was new."""
        raw = key.encode("utf-8", "surrogatepass")
        j = self._slot(raw)
        if self.slots[j] >= 0:
            return False
        self.slots[j] = len(self.ends)
        self.data += raw
        self.ends.append(len(self.data))
        if 3 * len(self.ends) > 2 * len(self.slots):
            self.slots = array.array("i", [-1]) * (2 * len(self.slots))
            for i in range(len(self.ends)):
                self.slots[self._slot(self._get(i))] = i
        return True

    def __len__(self) -> int:
        return len(self.ends)


def _check_ids(ids: list[tuple[str, str]], seen: IdSet) -> None:
    for file, article_id in ids:
        if not seen.add(article_id):
            raise DataError(
                f"article id '{article_id}' is already used by an earlier file",
                path=file,
                field="id",
            )


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
    seen = IdSet()  # grows with the corpus: len(id) + ~20 bytes an article
    try:
        for ids, tables in results:
            _check_ids(ids, seen)
            writers.add(tables)
        writers.commit()
    except BaseException:
        writers.abort()
        raise
    return writers.counts
