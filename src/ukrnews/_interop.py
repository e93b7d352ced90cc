"""What every importer from an annotation tool shares: bounded reads, validation, safe writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._api import dumps, loads, write_text_atomic
from ._errors import DataError
from ._yaml import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._model import Article, Block

__all__ = [
    "SEPARATOR",
    "block_starts",
    "check_json_shape",
    "joined_text",
    "read_bounded",
    "read_json",
    "validated",
    "write_articles",
]

#: Between two blocks in a tool's one text (brat, CAS, WikiNews): a blank line, a paragraph.
SEPARATOR: Final = "\n\n"


def joined_text(blocks: Iterable[Block]) -> str:
    """The one text a tool annotates: the blocks' texts joined by `SEPARATOR`."""
    return SEPARATOR.join(b.text for b in blocks)


def block_starts(blocks: Iterable[Block]) -> dict[str, int]:
    """Where each block (by id) starts in `joined_text`."""
    starts: dict[str, int] = {}
    position = 0
    for block in blocks:
        starts[block.id] = position
        position += len(block.text) + len(SEPARATOR)
    return starts


def read_bounded(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file of at most ``limits.max_bytes``, or a `DataError`."""
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DataError("not a regular file", path=name)
            data = handle.read(limits.max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(f"cannot read file: {reason}", path=name) from None
    if len(data) > limits.max_bytes:
        raise DataError(f"file is larger than the limit of {limits.max_bytes} bytes", path=name)
    return data


def decode_utf8(data: bytes, source: str, *, bom: bool = True) -> str:
    """UTF-8 text (a leading BOM dropped if ``bom``), or a `DataError` naming the first bad byte."""
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8: bad byte at offset {exc.start}", path=source) from None


def check_json_shape(value: Any, source: str, limits: Limits) -> None:
    """Refuse JSON nested deeper than ``limits.max_depth`` or with over ``max_nodes`` values."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise DataError(f"more than {limits.max_nodes} JSON values", path=source)
        if depth > limits.max_depth:
            raise DataError(f"JSON nested deeper than {limits.max_depth} levels", path=source)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def read_json(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse untrusted JSON bytes within the limits; every failure is a `DataError`."""
    if len(data) > limits.max_bytes:
        raise DataError(f"larger than the limit of {limits.max_bytes} bytes", path=source)
    text = decode_utf8(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"not JSON: {exc.msg}", path=source, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise DataError(f"JSON nested deeper than {limits.max_depth} levels", path=source) from None
    check_json_shape(value, source, limits)
    return value


def validated(article: Article, source: str) -> Article:
    """The article after a YAML round trip through our loader, which checks every rule."""
    try:
        text = dumps(article)
    except DataError as exc:  # the writer's check names the field, not the input file
        raise type(exc)(exc.message, path=source, field=exc.field) from None
    return loads(text, source=f"{source} (as YAML)")


def write_articles(
    pairs: Iterable[tuple[Article, str]], folder: str | os.PathLike[str]
) -> list[Path]:
    """Validate every article first, then write each as ``ID.yaml`` atomically into ``folder``.

    Nothing is written unless all articles are valid and their ids distinct.
    """
    texts: dict[str, str] = {}
    for article, source in pairs:
        text = dumps(validated(article, source))
        if article.id in texts:
            raise DataError(f"two inputs give the article id '{article.id}'", path=source)
        texts[article.id] = text
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for article_id, text in texts.items():
        target = out / f"{article_id}.yaml"
        write_text_atomic(target, text)
        written.append(target)
    return written
