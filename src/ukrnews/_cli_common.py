"""The command line's one voice, shared by every command group (see ``_cli``).

One usage-error type and message style, one way to add a subcommand (its --help always
ends with the exit codes), one way to pick an article, one ``-o`` path (atomic, via
`write_text_atomic`), and the ``--max-bytes`` family of options for `Limits`.
"""

from __future__ import annotations

import argparse
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

import attr

from ._api import load, load_paths, write_text_atomic
from ._yaml import MAX_NESTING_CEILING, Limits

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._model import Article, Corpus

__all__ = [
    "EXIT_CODES",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "Subparsers",
    "UsageError",
    "add_command",
    "add_limits",
    "corpus_of",
    "emit",
    "existing",
    "limits_of",
    "pick",
    "write_file",
]

EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2
EXIT_PIPE: Final = 141
EXIT_CODES: Final = (
    "exit codes: 0 ok, 1 invalid data (a file failed to load or validate),"
    " 2 usage (bad arguments, unknown article or speaker, unwritable output)"
)

Subparsers = argparse._SubParsersAction  # noqa: SLF001 - argparse has no public name for it


class UsageError(Exception):
    """A usage problem found after argument parsing; ``main`` prints it and exits 2."""


def add_command(
    sub: Subparsers[argparse.ArgumentParser],
    name: str,
    *,
    summary: str,
    description: str,
    exits: str = "",
) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with ``exits`` (what exit 1 means here) and the codes."""
    epilog = f"{exits} {EXIT_CODES}" if exits else EXIT_CODES
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=description, epilog=epilog
    )
    return parser


# -- limits ----------------------------------------------------------------------------

LIMIT_HELP: Final = {
    "max_bytes": "refuse a file larger than N bytes",
    "max_depth": "refuse mappings and sequences nested deeper than N",
    "max_nodes": "refuse a file with more than N YAML nodes",
    "max_nesting": f"refuse attributions nested deeper than N (at most {MAX_NESTING_CEILING})",
    "find_budget": "search at most N characters in all for spans without start and end",
    "suggest_limit": "suggest where a mis-anchored text is only in blocks up to N characters",
    "max_candidates": "list at most N places of an ambiguous text",
}
CEILINGS = {"max_nesting": MAX_NESTING_CEILING}


def add_limits(parser: argparse.ArgumentParser) -> None:
    """``--max-bytes`` and friends: one option per field of `Limits`, same name and default."""
    group = parser.add_argument_group("limits on input (ukrnews.Limits)")
    for field in attr.fields(Limits):
        group.add_argument(
            f"--{field.name.replace('_', '-')}",
            type=partial(_positive, ceiling=CEILINGS.get(field.name)),
            metavar="N",
            default=field.default,
            help=f"{LIMIT_HELP[field.name]} (default: {field.default:,})",
        )


def _positive(text: str, ceiling: int | None = None) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value < 1 or (ceiling is not None and value > ceiling):
        most = "" if ceiling is None else f" and <= {ceiling}"
        msg = f"expected a whole number >= 1{most}, found {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def limits_of(args: argparse.Namespace) -> Limits:
    """The `Limits` the options ask for (their defaults are `Limits()`'s)."""
    return Limits(**{f.name: getattr(args, f.name) for f in attr.fields(Limits)})


# -- input: paths and articles ---------------------------------------------------------


def existing(paths: Sequence[str]) -> None:
    """A path that does not exist is a usage error, named (not "1 invalid")."""
    for path in paths:
        try:
            exists = os.path.lexists(path)
        except ValueError:  # a NUL in the path
            exists = False
        if not exists:
            raise UsageError(f"no such file or directory: {path}")


def corpus_of(paths: Sequence[str] | None, limits: Limits) -> Corpus:
    """The bundled corpus, or the articles under ``paths`` (ids unique across all)."""
    if not paths:
        return load()
    existing(paths)
    return load_paths(paths, limits=limits)


def _ids(articles: Sequence[Article]) -> str:
    return ", ".join(a.id for a in articles) or "none"


def pick(ident: str | None, limits: Limits, within: Corpus | None = None) -> Article:
    """The one article ``ident`` names: a YAML file, or an id in ``within`` (default: bundled).

    Without ``ident`` the corpus must hold exactly one article.
    """
    if ident is not None and Path(ident).exists():
        found = load_paths([ident], limits=limits).articles
        if len(found) != 1:
            msg = f"{ident} holds {len(found)} articles ({_ids(found)}); name one by its id or file"
            raise UsageError(msg)
        return found[0]
    corpus = load() if within is None else within
    if ident is not None:
        try:
            return corpus.article(ident)
        except KeyError:
            msg = f"no article or file '{ident}'; known ids: {_ids(corpus.articles)}"
            raise UsageError(msg) from None
    if len(corpus.articles) != 1:
        msg = f"{len(corpus.articles)} articles ({_ids(corpus.articles)}); name one by its id"
        raise UsageError(msg)
    return corpus.articles[0]


# -- output: stdout or -o --------------------------------------------------------------


def write_file(path: str | os.PathLike[str], text: str, *, make_dirs: bool = False) -> None:
    """Write ``text`` atomically to ``path``; failing to is a usage error naming the path."""
    target = Path(path)
    try:
        if make_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, text)
    except OSError as exc:
        raise UsageError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from None


def emit(text: str, output: str | None, out: TextIO) -> None:
    """Print ``text`` as UTF-8 (whatever the locale), or write it to ``output`` (``-o``)."""
    if output is not None:
        write_file(output, text)
        return
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (as in tests): it takes str
        out.write(text)
    else:  # documents say they are UTF-8 (HTML, JSON, YAML), so they must be
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
