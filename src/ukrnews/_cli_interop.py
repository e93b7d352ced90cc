"""Command group: ``ukrnews import`` and the file-per-article export formats.

INCEpTION (XMI, JSON CAS), brat and WikiNews 2024.  ``_cli`` registers `register` and
calls `export_files` from ``ukrnews export``; both speak through ``_cli_common``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from ._cli_common import EXIT_OK, UsageError, add_command, emit, write_file
from ._interop import read_bounded, write_articles

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ._cli_common import Subparsers
    from ._model import Article, Corpus

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_files", "register"]

#: Export formats written per article (or, for the last two, without any article).
EXPORT_FORMATS: Final = ("xmi", "jsoncas", "brat", "wikinews2024", "typesystem", "inception-layers")
IMPORT_FORMATS: Final = ("xmi", "jsoncas", "brat", "wikinews2024")
_SUFFIX: Final = {"xmi": ".xmi", "jsoncas": ".json", "wikinews2024": ".json"}


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

        emit(typesystem_text(), output, out)
        return EXIT_OK
    if fmt == "inception-layers":
        from ._cas import inception_layers  # noqa: PLC0415

        layers = inception_layers()
        if output is None:
            emit(json.dumps(layers, indent=2) + "\n", None, out)
            return EXIT_OK
        for n, layer in enumerate(layers, start=1):
            name = f"{n:02d}-{layer['name']}.json"
            write_file(Path(output) / name, json.dumps(layer, indent=2) + "\n", make_dirs=True)
        return EXIT_OK
    articles = corpus().articles
    if fmt == "brat":
        if output is None:
            raise UsageError("brat writes a collection: give -o DIR")
        from ._brat import ANNOTATION_CONF, to_brat  # noqa: PLC0415

        pairs = [(article.id, to_brat(article)) for article in articles]  # all or nothing
        for article_id, (text, ann) in pairs:
            write_file(Path(output) / f"{article_id}.txt", text, make_dirs=True)
            write_file(Path(output) / f"{article_id}.ann", ann, make_dirs=True)
        write_file(Path(output) / "annotation.conf", ANNOTATION_CONF, make_dirs=True)
        return EXIT_OK
    render: Callable[[Article], str] = (
        _wikinews_text if fmt == "wikinews2024" else lambda a: _cas_text(a, fmt)
    )
    if output is None:
        if len(articles) != 1:
            raise UsageError(f"{len(articles)} articles: give -o DIR for one file each")
        emit(render(articles[0]), None, out)
        return EXIT_OK
    texts = [(article.id, render(article)) for article in articles]  # all or nothing
    for article_id, text in texts:
        write_file(Path(output) / f"{article_id}{_SUFFIX[fmt]}", text, make_dirs=True)
    return EXIT_OK


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
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    out.writelines(f"{os.fspath(path)}\n" for path in written)
    return EXIT_OK


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``ukrnews import``."""
    parser = add_command(
        sub,
        "import",
        summary="convert INCEpTION (XMI, JSON CAS), brat or WikiNews 2024 files to YAML",
        description="Read annotated files, check every annotation, and write one YAML"
        " article per input into DIR (ID.yaml). Every input is read and validated"
        " before anything is written; a bad input names its file and annotation.",
        exits="Exit 1 if any input is invalid (nothing is written).",
    )
    parser.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    parser.add_argument(
        "paths", nargs="+", metavar="FILE", help="input files (brat: ID.txt files or folders)"
    )
    parser.add_argument("-o", "--output", metavar="DIR", default=".", help="default: .")
    parser.add_argument(
        "--language", default="de", help="brat only: the articles' language (default: de)"
    )
    parser.set_defaults(func=_cmd_import)
