"""The Parquet export's tables as Dask DataFrames, built on the workers (extra ``dask``).

``read_articles(paths_or_glob)`` returns one lazy DataFrame per table (the tables of
`ukrnews.arrow_schema`), partitioned by groups of files.  Each group is one task that
loads its files with the strict loader and makes every table; the tables' partitions
take their part of it, so computing several tables together reads each file once.  A
bad file fails the computation with its `DataError`, which names the file.  Columns are
``pandas.ArrowDtype`` of the explicit Arrow types, so nested lists of structs stay typed.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any, Final

from ._arrow import TABLES, _schemas
from ._errors import DataError
from ._optional import require
from ._parquet import FILES_PER_GROUP, convert_group, file_groups

__all__ = ["read_articles"]

_GLOB_CHARS: Final = frozenset("*?[")


def _expand(paths_or_glob: str | os.PathLike[str] | list[str | os.PathLike[str]]) -> list[str]:
    """The YAML files named (a glob pattern, a file, a directory, or a list of them), absolute.

    Absolute, because the tasks read them on workers whose working directory may differ.
    """
    items = paths_or_glob if isinstance(paths_or_glob, list) else [paths_or_glob]
    expanded: list[str | os.PathLike[str]] = []
    for item in items:
        name = os.fspath(item)
        if _GLOB_CHARS & set(name) and not Path(name).exists():
            matches = sorted(glob.glob(name, recursive=True))  # noqa: PTH207 - a pattern
            expanded.extend(_absolute(match) for match in matches)
        else:
            expanded.append(_absolute(name))
    return [f for group in file_groups(expanded, 1) for f in group]


def _absolute(name: str) -> str:
    """``name`` joined to the working directory if relative; ``..`` kept, as symlinks need."""
    if Path(name).is_absolute():
        return name
    try:
        return str(Path.cwd() / name)  # pathlib folds no "..": a symlink's parent stays right
    except OSError as exc:  # the working directory was removed
        raise DataError(f"cannot resolve a relative path: {exc.strerror}", path=name) from None


def _group_tables(files: list[str]) -> dict[str, Any]:
    """Every Arrow table of one group of files: what all the tables' partitions share."""
    return convert_group(files)[1]


def _partition(tables: dict[str, Any], name: str) -> Any:
    """One table of a group, as a pandas DataFrame of Arrow dtypes (only this one converted)."""
    pd = require("pandas", "dask")
    return tables[name].to_pandas(types_mapper=pd.ArrowDtype)


def read_articles(
    paths_or_glob: str | os.PathLike[str] | list[str | os.PathLike[str]],
    *,
    files_per_partition: int = FILES_PER_GROUP,
) -> dict[str, Any]:
    """A lazy ``dask.dataframe.DataFrame`` per table of the articles in these files.

    ``paths_or_glob`` is a glob pattern (``"corpus/**/*.yaml"``), a file, a directory
    of ``*.yaml`` files, or a list of them; relative paths are made absolute here.
    Files are listed here; they are read on the workers, so on a cluster they must be
    on storage every worker sees, under the same path.
    """
    dask = require("dask", "dask")
    dd = require("dask.dataframe", "dask")
    pa = require("pyarrow", "arrow")
    pd = require("pandas", "dask")
    files = _expand(paths_or_glob)
    if not files:
        raise DataError("no *.yaml or *.yml files here", path=os.fspath(str(paths_or_glob)))
    groups = [files[i : i + files_per_partition] for i in range(0, len(files), files_per_partition)]
    # One task per group, shared by every table: its key is the same in each table's graph.
    loaded = [dask.delayed(_group_tables, pure=True)(group) for group in groups]
    schemas = _schemas(pa)
    frames = {}
    for name in TABLES:
        meta = schemas[name].empty_table().to_pandas(types_mapper=pd.ArrowDtype)
        frames[name] = dd.from_delayed(
            [dask.delayed(_partition, pure=True)(tables, name) for tables in loaded],
            meta=meta,
            prefix=f"ukrnews-{name}",
            verify_meta=False,
        )
    return frames
