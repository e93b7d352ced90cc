"""``ukrnews render``: one article as a self-contained HTML page (see `ukrnews.to_html`).

Kept apart from ``_cli``; ``_cli.build_parser()`` gains the command with
``register(sub)`` (``from ._render_cli import register``). This module does not
import ``_cli``, so there is no import cycle.

Usage: ``ukrnews render [ID|PATH] [-o FILE]``. The page goes to stdout as UTF-8
unless ``-o`` names a file, which is written atomically (a temporary file in the
same directory, then a rename), so a reader never sees half a page.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ._api import load, load_path, write_text_atomic
from ._cli_limits import add_limits, limits_of
from ._html import to_html

if TYPE_CHECKING:
    import argparse

    from ._model import Article
    from ._yaml import Limits

__all__ = ["register"]

EXIT_OK = 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``render`` subcommand to ``ukrnews``' subparsers."""
    parser = subparsers.add_parser(
        "render",
        help="the article and its annotation as one self-contained HTML page",
        description=(
            "Write the article as a self-contained HTML page (inline CSS, no network)"
            " with its quotes, attributions and entities drawn on the text."
        ),
    )
    parser.add_argument(
        "article",
        nargs="?",
        metavar="ID|PATH",
        help="article id in the bundled corpus, or a YAML file (default: the bundled article)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the page to FILE atomically (default: standard output)",
    )
    add_limits(parser)
    parser.set_defaults(func=functools.partial(_cmd_render, parser=parser))


def _pick(ident: str | None, parser: argparse.ArgumentParser, limits: Limits) -> Article:
    if ident is not None and Path(ident).exists():
        articles = load_path(ident, limits=limits).articles
    else:
        corpus = load()
        if ident is not None:
            try:
                return corpus.article(ident)
            except KeyError:
                known = ", ".join(a.id for a in corpus.articles)
                parser.error(f"no article or file '{ident}'; known ids: {known}")
        articles = corpus.articles
    if len(articles) != 1:
        ids = ", ".join(a.id for a in articles) or "none"
        parser.error(f"{len(articles)} articles found ({ids}); name one by its id or file")
    return articles[0]


def _cmd_render(args: argparse.Namespace, out: TextIO, *, parser: argparse.ArgumentParser) -> int:
    article = _pick(args.article, parser, limits_of(args))
    page = to_html(article)
    if args.output is None:
        buffer = getattr(out, "buffer", None)
        if buffer is None:  # a text-only stream (as in tests): it takes str
            out.write(page)
        else:  # the page says it is UTF-8, so it must be UTF-8 whatever the locale
            out.flush()
            buffer.write(page.encode("utf-8"))
            buffer.flush()
        return EXIT_OK
    try:
        write_text_atomic(args.output, page)
    except OSError as exc:
        parser.error(f"cannot write {args.output}: {exc.strerror or exc}")
    return EXIT_OK
