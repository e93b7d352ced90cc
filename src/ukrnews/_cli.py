"""The ``ukrnews`` command line (also ``python -m ukrnews``).

Exit codes: 0 ok, 1 invalid data, 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from ._api import load, load_path
from ._errors import DataError
from ._show import render_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._model import Article, Corpus

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _corpus(paths: Sequence[str] | None) -> Corpus:
    if not paths:
        return load()
    from ._model import Corpus  # noqa: PLC0415 - only needed for user paths

    return Corpus(tuple(a for p in paths for a in load_path(p).articles))


def _pick(corpus: Corpus, ident: str | None) -> Article:
    if ident is None:
        if len(corpus.articles) != 1:
            ids = ", ".join(a.id for a in corpus.articles)
            raise _Usage(f"several articles; name one of: {ids}")
        return corpus.articles[0]
    if Path(ident).exists():
        return load_path(ident).articles[0]
    try:
        return corpus.article(ident)
    except KeyError:
        ids = ", ".join(a.id for a in corpus.articles)
        raise _Usage(f"no article '{ident}'; known: {ids}") from None


class _Usage(Exception):  # noqa: N818 - internal control flow, never escapes main()
    """A usage problem found after argument parsing (exit 2)."""


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    article = _pick(load(), args.article)
    out.write(render_text(article, colour=_use_colour(out)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand per task."""
    parser = argparse.ArgumentParser(
        prog="ukrnews",
        description="Show, list, validate and export annotated news articles.",
        epilog="Exit codes: 0 ok, 1 invalid data, 2 usage. With no command: show.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    show = sub.add_parser("show", help="the article as a person reads it, quotes marked")
    show.add_argument(
        "article", nargs="?", help="article id or YAML file (default: the bundled one)"
    )
    show.set_defaults(func=_cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["show"])
    try:
        result: int = args.func(args, sys.stdout)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except _Usage as exc:
        print(f"ukrnews: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return result
