"""``ukrnews import`` and the file-per-article export formats (INCEpTION, brat, WikiNews 2024).

Kept apart from ``_cli`` (which calls `export_files` and `register`), and it does not
import ``_cli``.  Usage problems raise `UsageError`, which ``_cli`` reports with exit 2.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from ._api import write_text_atomic
from ._interop import read_bounded, write_articles

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ._model import Article, Corpus

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "UsageError", "export_files", "register"]

#: Export formats written per article (or, for the last two, without any article).
EXPORT_FORMATS: Final = ("xmi", "jsoncas", "brat", "wikinews2024", "typesystem", "inception-layers")
IMPORT_FORMATS: Final = ("xmi", "jsoncas", "brat", "wikinews2024")
_SUFFIX: Final = {"xmi": ".xmi", "jsoncas": ".json", "wikinews2024": ".json"}


class UsageError(Exception):
    """A usage problem (exit 2), such as several articles and no output directory."""


def _wikinews_text(article: Article) -> str:
    from ._wikinews import to_wikinews  # noqa: PLC0415 - only this format needs it

    return json.dumps(to_wikinews(article), ensure_ascii=False, indent=2) + "\n"


def _cas_text(article: Article, fmt: str) -> str:
    from ._cas import cas_bytes  # noqa: PLC0415 - the optional extra, on use only

    return cas_bytes(article, fmt).decode("utf-8")


def export_files(fmt: str, corpus: Callable[[], Corpus], output: str | None, out: TextIO) -> int:
    """Write ``fmt``: to stdout for one article (or none needed), else one file each in DIR."""
    if fmt == "typesystem":
        from ._cas import typesystem_text  # noqa: PLC0415

        return _emit(typesystem_text(), output, out)
    if fmt == "inception-layers":
        from ._cas import inception_layers  # noqa: PLC0415

        layers = inception_layers()
        if output is None:
            return _emit(json.dumps(layers, indent=2) + "\n", None, out)
        for n, layer in enumerate(layers, start=1):
            name = f"{n:02d}-{layer['name']}.json"
            _save(Path(output) / name, json.dumps(layer, indent=2) + "\n")
        return 0
    articles = corpus().articles
    if fmt == "brat":
        if output is None:
            raise UsageError("brat writes a collection: give -o DIR")
        from ._brat import ANNOTATION_CONF, to_brat  # noqa: PLC0415

        pairs = [(article.id, to_brat(article)) for article in articles]  # all or nothing
        for article_id, (text, ann) in pairs:
            _save(Path(output) / f"{article_id}.txt", text)
            _save(Path(output) / f"{article_id}.ann", ann)
        _save(Path(output) / "annotation.conf", ANNOTATION_CONF)
        return 0
    render: Callable[[Article], str] = (
        _wikinews_text if fmt == "wikinews2024" else lambda a: _cas_text(a, fmt)
    )
    if output is None:
        if len(articles) != 1:
            raise UsageError(f"{len(articles)} articles: give -o DIR for one file each")
        return _emit(render(articles[0]), None, out)
    texts = [(article.id, render(article)) for article in articles]  # all or nothing
    for article_id, text in texts:
        _save(Path(output) / f"{article_id}{_SUFFIX[fmt]}", text)
    return 0


def _emit(text: str, output: str | None, out: TextIO) -> int:
    if output is None:
        out.write(text)
    else:
        _save(Path(output), text)
    return 0


def _guard(write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}") from None


def _save(path: Path, text: str) -> None:
    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)

    _guard(write)


# -- import ----------------------------------------------------------------------------


def _read(fmt: str, paths: list[str], language: str) -> list[tuple[Article, str]]:
    found: list[tuple[Article, str]] = []
    if fmt == "brat":
        from ._brat import brat_documents, read_brat  # noqa: PLC0415

        for path in paths:
            found += [(read_brat(t, language=language), str(t)) for t in brat_documents(path)]
        return found
    for path in paths:
        data = read_bounded(path)
        if fmt == "wikinews2024":
            from ._wikinews import read_wikinews  # noqa: PLC0415

            found.append((read_wikinews(data, source=path), path))
        else:
            from ._cas import read_cas  # noqa: PLC0415

            found.append((read_cas(data, fmt, source=path), path))
    return found


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    pairs = _read(args.format, args.paths, args.language)
    try:
        written = write_articles(pairs, args.output)
    except OSError as exc:
        raise UsageError(f"cannot write to {args.output}: {exc.strerror or exc}") from None
    out.writelines(f"{os.fspath(path)}\n" for path in written)
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], usage: type[Exception]
) -> None:
    """Add ``ukrnews import``; `UsageError` becomes ``usage`` (the CLI's exit-2 error)."""
    parser = sub.add_parser(
        "import",
        help="convert INCEpTION (XMI, JSON CAS), brat or WikiNews 2024 files to YAML",
        description="Read annotated files, check every annotation, and write one YAML"
        " article per input into DIR (ID.yaml). Every input is read and validated"
        " before anything is written; a bad input names its file and annotation.",
        epilog="Exit 1 if any input is invalid (nothing is written), 2 for usage errors.",
    )
    parser.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    parser.add_argument(
        "paths", nargs="+", metavar="FILE", help="input files (brat: ID.txt files or folders)"
    )
    parser.add_argument("-o", "--output", metavar="DIR", default=".", help="default: .")
    parser.add_argument(
        "--language", default="de", help="brat only: the articles' language (default: de)"
    )

    def run(args: argparse.Namespace, out: TextIO) -> int:
        try:
            return _cmd_import(args, out)
        except UsageError as exc:
            raise usage(str(exc)) from None

    parser.set_defaults(func=run)
