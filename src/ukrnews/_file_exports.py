"""Exports that write files rather than one JSON document: Parquet, spaCy DocBin, Croissant.

Each takes the CLI's PATHs (none: the bundled corpus) and its ``-o``; the modules that
do the work (and their optional packages) are imported only when one is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["FILE_EXPORTS"]


class FileExport(Protocol):
    """Write the articles under ``paths`` to ``output``."""

    def __call__(
        self, paths: Sequence[str], output: str | os.PathLike[str], *, jobs: int = 1
    ) -> object: ...


def _lazy(module: str, name: str) -> FileExport:
    def run(paths: Sequence[str], output: str | os.PathLike[str], *, jobs: int = 1) -> object:
        function: FileExport = getattr(importlib.import_module(module, __package__), name)
        return function(paths, output, jobs=jobs)

    return run


FILE_EXPORTS: Final[dict[str, FileExport]] = {
    "parquet": _lazy("._parquet", "write_parquet"),
    "docbin": _lazy("._spacy", "write_docbin"),
    "croissant": _lazy("._croissant", "write_croissant"),
}
