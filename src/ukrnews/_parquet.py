"""Parquet export in bounded memory: files parsed in groups (in parallel), rows streamed out.

Worker processes load and strictly validate a group of files each and hand back Arrow
tables; the parent writes them in order into a directory of parts per table
(``OUT/<table>/part-00000.parquet``, ...).  It cuts every table's row group when the
buffered rows reach ``row_group_bytes`` and closes every table's part after
``row_groups_per_part`` row groups, so no writer keeps the footer metadata of more than
a few row groups.  Article ids are checked for duplicates on disk (`UniqueIds`).  What
grows with the corpus is the input listing alone (a directory's sorted file names, one
string).  Nothing is left half-written: the parts are written into a temporary
directory, and the tables are moved into place only when every input has loaded.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import itertools
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._api import load, load_file, yaml_files
from ._arrow import TABLES, _schemas, tables
from ._errors import DataError
from ._optional import require
from ._unique import UniqueIds

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator, Sequence


__all__ = [
    "FILES_PER_GROUP",
    "ROW_GROUPS_PER_PART",
    "ROW_GROUP_BYTES",
    "convert_group",
    "file_groups",
    "part_name",
    "write_parquet",
]

FILES_PER_GROUP: Final = 64
# Every table's row group is cut when the rows buffered for all tables together reach
# this many bytes of Arrow data (some 2,000 generated articles).  One cap per table
# would let the buffers fill for as long as the slowest table takes (quotes: some
# 40,000 articles), so memory would grow far past 10,000 articles.  Bigger row groups
# cost memory while they fill; smaller ones cost footer metadata (below).
ROW_GROUP_BYTES: Final = 32 * 2**20
# Every table's part is closed after this many row groups.  Until it is closed, Arrow's
# writer keeps each row group's metadata for the footer: about 1 KB per column per row
# group, some 170 KB for all tables at every cut.  Four row groups bound that at about
# 0.7 MB, reached at some 8,000 generated articles a part (before 10,000, so that size
# already pays the whole bound), while the parts stay few and large (DuckDB, pandas and
# Hugging Face `datasets` open one footer per file).
ROW_GROUPS_PER_PART: Final = 4


def part_name(number: int) -> str:
    """The file name of a table's part ``number`` (from 0): ``part-00000.parquet``."""
    return f"part-{number:05d}.parquet"


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
) -> Generator[tuple[list[tuple[str, str]], dict[str, Any]], None, None]:
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


class _Parts:
    """Every table's rows, buffered until ``row_group_bytes`` fill, written as parts.

    Part ``k`` of every table holds the same articles' rows.
    """

    def __init__(
        self,
        schemas: dict[str, Any],
        directory: Path,
        *,
        row_group_bytes: int,
        row_groups_per_part: int,
    ) -> None:
        self.pa = require("pyarrow", "arrow")
        self.pq = require("pyarrow.parquet", "arrow")
        self.schemas = schemas
        self.directory = directory
        self.row_group_bytes = row_group_bytes
        self.row_groups_per_part = row_groups_per_part
        self.buffers: dict[str, list[Any]] = {n: [] for n in TABLES}
        self.buffered = 0  # bytes, all tables
        self.counts = dict.fromkeys(TABLES, 0)
        self.writers: dict[str, Any] = {}  # the open part's, or none
        self.parts = 0  # parts begun
        self.row_groups = 0  # in the open part
        self.release = _release_freed_memory()
        for name in TABLES:
            (directory / name).mkdir()

    def add(self, tables: dict[str, Any]) -> None:
        """Buffer one group's tables; cut a row group when the buffers are full."""
        for name, table in tables.items():
            self.buffers[name].append(table)
            self.counts[name] += table.num_rows
            self.buffered += table.nbytes
        if self.buffered >= self.row_group_bytes:
            self._flush()

    def _open(self) -> dict[str, Any]:
        """The open part's writers, one per table; a new part is begun if none is open."""
        if not self.writers:
            file = part_name(self.parts)
            self.writers = {
                n: self.pq.ParquetWriter(self.directory / n / file, self.schemas[n]) for n in TABLES
            }
            self.parts += 1
            self.row_groups = 0
        return self.writers

    def _close(self, *, quiet: bool = False) -> None:
        """Close the open part; its writers, which hold its footer metadata, go with it.

        ``quiet`` (when aborting): a writer that fails to close is passed over, since
        the error that aborted the export is the one to report.
        """
        writers, self.writers = self.writers, {}
        for writer in writers.values():
            with contextlib.suppress(*((Exception,) if quiet else ())):
                writer.close()

    def _flush(self) -> None:
        if any(t.num_rows for buffer in self.buffers.values() for t in buffer):
            writers = self._open()
            for name in TABLES:
                buffer, self.buffers[name] = self.buffers[name], []
                merged = self.pa.concat_tables(buffer) if buffer else None
                del buffer
                if merged is not None and merged.num_rows:
                    # One row group, however many rows (the default cuts at 2**20).
                    writers[name].write_table(merged, row_group_size=merged.num_rows)
                del merged
            self.row_groups += 1
            if self.row_groups >= self.row_groups_per_part:
                self._close()
        self.buffers = {n: [] for n in TABLES}
        self.buffered = 0
        self.release()

    def finish(self) -> None:
        """Write what is buffered and close the last part (an empty one if there was none)."""
        self._flush()
        if not self.parts:
            self._open()
        self._close()

    def abort(self) -> None:
        """Close the open part's files, whatever state they are in (the caller removes them)."""
        self._close(quiet=True)


def _check_replaceable(directory: Path) -> None:
    """Refuse to export where a table's name is taken by something an export did not write.

    An earlier export's table (a directory of ``part-*.parquet`` files) is replaced whole;
    anything else there (a file, a folder with other files) is the user's, not ours.
    """
    for name in TABLES:
        target = directory / name
        if not (target.exists() or target.is_symlink()):
            continue
        if target.is_symlink() or not target.is_dir():
            found = "not a directory"
        else:
            others = [p.name for p in target.iterdir() if not _is_part(p.name)]
            if not others:
                continue
            found = f"holds {others[0]!r}, which is not a part"
        raise DataError(
            f"{found}; an export replaces only a table directory of part-*.parquet files,"
            " so move it away or choose another output directory",
            path=os.fspath(target),
        )


def _is_part(name: str) -> bool:
    """Whether a file name is one `part_name` gives."""
    return name.startswith("part-") and name.endswith(".parquet")


def _move_into_place(temporary: Path, directory: Path) -> None:
    """Move every table's directory from ``temporary`` into ``directory``, all or none.

    Old table directories are first moved aside into ``temporary``, then the new ones
    moved in; if any rename fails, those done are undone in reverse, so ``directory``
    holds the old tables or the new ones, never a mix.
    """
    done: list[tuple[Path, Path]] = []  # (from, to), in order
    try:
        for name in TABLES:
            target = directory / name
            if target.exists() or target.is_symlink():
                target.replace(temporary / f"old-{name}")
                done.append((target, temporary / f"old-{name}"))
        for name in TABLES:
            (temporary / name).replace(directory / name)
            done.append((temporary / name, directory / name))
    except BaseException as exc:
        stuck = []
        for source, moved in reversed(done):
            try:
                moved.replace(source)
            except OSError:  # keep undoing the rest; say what is left where
                stuck.append(f"{moved} (was {source})")
        if stuck:
            raise DataError(
                f"could not move the tables into place ({exc}), nor all of them back;"
                f" nothing was deleted: {'; '.join(stuck)}",
                path=os.fspath(directory),
            ) from exc
        raise


def write_parquet(
    paths: Sequence[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    jobs: int = 1,
    group_size: int = FILES_PER_GROUP,
    row_group_bytes: int = ROW_GROUP_BYTES,
    row_groups_per_part: int = ROW_GROUPS_PER_PART,
) -> dict[str, int]:
    """Write each table of the articles under ``paths`` to ``directory/<table>/part-*.parquet``.

    No ``paths``: the bundled corpus.  Returns the rows written per table.  ``jobs``
    processes parse the files; the output is the same for any ``jobs``.  Article ids
    must be unique across all files (a `DataError` names both files).  A table's
    directory from an earlier export is replaced; on any error, nothing changes.
    """
    pa = require("pyarrow", "arrow")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    _check_replaceable(out)
    groups = file_groups(paths, group_size) if paths else iter([[]])
    results = _results(groups, jobs) if paths else (_bundled(g) for g in groups)
    temporary = Path(tempfile.mkdtemp(prefix=".ukrnews-parquet-", dir=out))
    ids: UniqueIds | None = None
    parts: _Parts | None = None
    # closing(): on an error the generator's pool is shut down now, not when the
    # traceback (which holds the generator) is dropped.
    with contextlib.closing(results):
        try:
            ids = UniqueIds(temporary / "ids.sqlite")
            parts = _Parts(
                _schemas(pa),
                temporary,
                row_group_bytes=row_group_bytes,
                row_groups_per_part=row_groups_per_part,
            )
            for found, group_tables in results:
                for file, article_id in found:
                    ids.add(article_id, file)
                parts.add(group_tables)
            parts.finish()
            ids.close()
            _move_into_place(temporary, out)
        except BaseException:
            if parts is not None:
                parts.abort()
            if ids is not None:
                ids.close()
            # Old tables still set aside (an undo that failed or was interrupted) are kept.
            if not any(temporary.glob("old-*")):
                shutil.rmtree(temporary, ignore_errors=True)
            raise
    shutil.rmtree(temporary, ignore_errors=True)  # after the move: the old tables, the ids
    return parts.counts
