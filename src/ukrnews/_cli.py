"""The ``ukrnews`` command line (also ``python -m ukrnews``): parser, ``main``, reading commands.

The reading commands: show, quotes, attributions, claims, validate, export, schema, render.

Layout: ``_cli_common`` is the one voice every command speaks with (`UsageError`,
`add_command` whose --help ends with the exit codes, `pick`, the atomic ``-o`` path,
the limit options); the command groups ``_cli_authoring`` (new, fix, lint, agree) and
``_cli_interop`` (import, per-article exports) register into this parser; ``_terminal``
formats for the terminal (the article view, tables, CSV).  No module imports ``_cli``.

Exit codes: 0 ok, 1 invalid data, 2 usage, 141 when the reader of stdout goes away.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from ._api import check_files
from ._cli_authoring import register as register_authoring
from ._cli_common import (
    EXIT_CODES,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_PIPE,
    EXIT_USAGE,
    UsageError,
    add_command,
    add_limits,
    corpus_of,
    emit,
    existing,
    limits_of,
    pick,
)
from ._cli_interop import EXPORT_FORMATS, export_files
from ._cli_interop import register as register_interop
from ._errors import DataError, ParseError, SchemaError
from ._export import (
    ATTRIBUTION_COLUMNS,
    CLAIM_COLUMNS,
    QUOTE_COLUMNS,
    Row,
    attribution_rows,
    claim_rows,
    quote_rows,
    to_json,
    to_jsonld,
    to_ninjs,
)
from ._file_exports import FILE_EXPORTS
from ._format import UNKNOWN_SOURCE
from ._model import AttributionKind, Corpus
from ._schema import schema_text
from ._terminal import TABLES, csv_text, render_text, table, use_colour
from ._yaml import DEFAULT_LIMITS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._cli_common import Subparsers
    from ._model import Article
    from ._yaml import Limits

__all__ = ["EXIT_CODES", "build_parser", "main"]

EXPORTERS: dict[str, Callable[[Article], dict[str, Any]]] = {
    "ninjs": to_ninjs,
    "jsonld": to_jsonld,
    "json": to_json,
}
# Per listing: its rows, its CSV columns, and the row key that --speaker filters.
LISTINGS: dict[str, tuple[Callable[[Corpus], list[Row]], tuple[str, ...], str]] = {
    "quotes": (quote_rows, QUOTE_COLUMNS, "speaker"),
    "attributions": (attribution_rows, ATTRIBUTION_COLUMNS, "source"),
    "claims": (claim_rows, CLAIM_COLUMNS, "claimant"),
}


# -- show ------------------------------------------------------------------------------


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    article = pick(args.article, limits_of(args))
    out.write(render_text(article, colour=use_colour(out)))
    return EXIT_OK


# -- quotes, attributions and claims ---------------------------------------------------


def _filter(corpus: Corpus, args: argparse.Namespace) -> Corpus:
    """The corpus narrowed to ``--article``; ``--speaker`` must name a known entity."""
    if args.article is not None:
        corpus = Corpus((pick(args.article, limits_of(args), corpus),))
    if args.speaker is not None and args.speaker != UNKNOWN_SOURCE:
        wanted = args.speaker.casefold()
        known = {n for e in corpus.entities for n in (e.id, e.name)}
        if wanted not in {n.casefold() for n in known}:
            ids = sorted({e.id for e in corpus.entities})
            near = difflib.get_close_matches(args.speaker, sorted(known), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            msg = f"no speaker '{args.speaker}'{hint}; known ids: {', '.join(ids)}"
            raise UsageError(msg)
    return corpus


def _keep(row: Row, args: argparse.Namespace, who: str) -> bool:
    if args.kind is not None and row["kind"] != args.kind:
        return False
    if args.speaker is None:
        return True
    if args.speaker == UNKNOWN_SOURCE:
        return row[f"{who}_id"] is None
    wanted = args.speaker.casefold()
    return any(isinstance(v, str) and v.casefold() == wanted for v in (row[who], row[f"{who}_id"]))


def _listing(args: argparse.Namespace, out: TextIO) -> int:
    corpus = _filter(corpus_of(args.paths, limits_of(args)), args)
    make_rows, columns, who = LISTINGS[args.command]
    rows = [r for r in make_rows(corpus) if _keep(r, args, who)]
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    if fmt == "table":
        width = shutil.get_terminal_size().columns if out.isatty() else None
        text = table(rows, TABLES[args.command], colour=use_colour(out), width=width)
    elif fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        text = csv_text(rows, columns)
    out.write(text)
    return EXIT_OK


# -- validate --------------------------------------------------------------------------


def _error_data(err: DataError) -> dict[str, Any]:
    return {
        "type": type(err).__name__,
        "path": err.path,
        "line": err.line,
        "column": err.column,
        "field": err.field,
        "message": err.message,
    }


MAX_SHOWN = 50  # errors printed per file; the JSON report lists every one


def _check(paths: Sequence[str], limits: Limits) -> list[tuple[str, list[DataError]]]:
    """Every file under ``paths`` with all its errors (an empty list if it is valid)."""
    existing(paths)
    return [
        (name, list(found.errors) if isinstance(found, DataError) else [])
        for name, found in check_files(paths, limits=limits, empty_dirs=False)
    ]


def _file_text(name: str) -> str:
    """A file's text for showing error lines ("" if it cannot be read as a regular file)."""
    try:
        path = Path(name)
        if not path.is_file() or path.stat().st_size > DEFAULT_LIMITS.max_bytes:
            return ""
        return path.read_bytes().decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return ""


def _report(name: str, errors: list[DataError], stream: TextIO) -> None:
    """Print a file's errors, each with its source line and a marker under the column."""
    text = _file_text(name) if any(e.line for e in errors) else ""
    for err in errors[:MAX_SHOWN]:
        print(err, file=stream)
        if excerpt := err.excerpt(text):
            print(excerpt, file=stream)
    if len(errors) > MAX_SHOWN:
        print(f"{name}: and {len(errors) - MAX_SHOWN} more errors", file=stream)
    last = errors[-1]
    if isinstance(last, ParseError) or (isinstance(last, SchemaError) and last.field is None):
        print(f"{name}: checking stopped here: the rest of the file cannot be read", file=stream)


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    if args.paths:
        results = _check(args.paths, limits_of(args))
    else:  # the bundled data, as installed
        with resources.as_file(resources.files("ukrnews") / "data" / "articles") as bundled:
            results = _check([os.fspath(bundled)], limits_of(args))
    bad = sum(bool(errors) for _, errors in results)
    if args.format == "json":
        report = {
            "valid": bad == 0,
            "files": [
                {
                    "path": name,
                    "valid": not errors,
                    "errors": [_error_data(err) for err in errors],
                }
                for name, errors in results
            ],
            "summary": {"files": len(results), "valid": len(results) - bad, "invalid": bad},
        }
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        for name, errors in results:
            if errors:
                _report(name, errors, sys.stderr)
        files = f"{len(results)} file{'s' * (len(results) != 1)}"
        out.write(f"{files} checked: {len(results) - bad} valid, {bad} invalid\n")
    return EXIT_INVALID if bad else EXIT_OK


# -- export and schema -----------------------------------------------------------------


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    if args.format in EXPORT_FORMATS:  # files per article, or the INCEpTION set-up
        return export_files(
            args.format, lambda: corpus_of(args.paths, limits_of(args)), args.output, out
        )
    if args.format in FILE_EXPORTS:  # binary or multi-file formats, written by their module
        if args.output is None:
            raise UsageError(f"--format {args.format} needs -o/--output")
        existing(args.paths)
        try:
            FILE_EXPORTS[args.format](args.paths, args.output, jobs=args.jobs)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return EXIT_OK
    convert = EXPORTERS.get(args.format, to_json)
    docs = [convert(a) for a in corpus_of(args.paths, limits_of(args)).articles]
    doc: object = docs[0] if len(docs) == 1 else docs
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.format == "jsonl":
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    emit(text, args.output, out)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    emit(schema_text(), args.output, out)
    return EXIT_OK


def _cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from ._html import to_html  # noqa: PLC0415 - only this command needs it

    emit(to_html(pick(args.article, limits_of(args))), args.output, out)
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------


def _add_listing(sub: Subparsers[argparse.ArgumentParser], name: str, what: str, who: str) -> None:
    parser = add_command(
        sub,
        name,
        summary=f"list the {name}, one row each",
        description=f"List the {name}: {what}. Reads the bundled corpus unless PATHs are given.",
        exits="Without --format: a table on a terminal, JSON Lines otherwise.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="YAML file or directory")
    parser.add_argument(
        "--format",
        choices=("table", "json", "jsonl", "csv"),
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    parser.add_argument(
        "--speaker",
        metavar="WHO",
        help=f"only this {who}: entity id or name, any case; '{UNKNOWN_SOURCE}' for none",
    )
    parser.add_argument("--kind", choices=[k.value for k in AttributionKind], help="only this kind")
    parser.add_argument("--article", metavar="ID", help="only this article")
    add_limits(parser)
    parser.set_defaults(func=_listing)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand per task."""
    parser = argparse.ArgumentParser(
        prog="ukrnews",
        description="Show, list, validate and export annotated news articles; start, re-anchor,"
        " lint and compare your own.",
        epilog=f"With no command: show. {EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = add_command(
        sub,
        "show",
        summary="the article as a person reads it, quotes marked",
        description="Show an article as a person reads it, each quote tagged with its"
        " speaker. Colour only on a terminal, and never when NO_COLOR is set.",
    )
    show.add_argument(
        "article", nargs="?", help="article id or YAML file (default: the bundled one)"
    )
    add_limits(show)
    show.set_defaults(func=_cmd_show)

    _add_listing(sub, "quotes", "the verbatim quoted words, with speaker and cue", "speaker")
    _add_listing(sub, "attributions", "who said, wrote or thinks what", "source")
    _add_listing(
        sub, "claims", "the checkable statements, with claimant and quantities", "claimant"
    )

    validate = add_command(
        sub,
        "validate",
        summary="check YAML files; every error as file:line:col: field: message",
        description="Check every YAML file (directories: their *.yaml and *.yml files;"
        " no PATH: the bundled data). Article ids must be unique across all files."
        " Each failing file's error goes to stderr as file:line:col: field: message, then"
        " a summary line to stdout. All files are checked, not only up to the first failure.",
        exits="Exit 1 if any file fails.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="YAML file or directory (default: the bundled data)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default), or a JSON report on stdout for machines",
    )
    add_limits(validate)
    validate.set_defaults(func=_cmd_validate)

    export = add_command(
        sub,
        "export",
        summary="export as ninjs, JSON-LD, JSON, Parquet, spaCy DocBin or Croissant",
        description="Export articles (the bundled corpus unless PATHs are given). One"
        " article gives one JSON document; several give a JSON array of documents.",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=(*EXPORTERS, "jsonl", *FILE_EXPORTS, *EXPORT_FORMATS),
        help="the export format (jsonl: one article a line; parquet, docbin and croissant"
        " need -o; see docs/exports.md and docs/interop.md)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write FILE atomically instead of stdout; a DIR for parquet, xmi, jsoncas,"
        " brat, wikinews2024 (one file per article) and inception-layers (one per layer)",
    )
    export.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="parquet: N processes parse the files"
    )
    export.add_argument("paths", nargs="*", metavar="PATH", help="YAML file or directory")
    add_limits(export)
    export.set_defaults(func=_cmd_export)

    schema = add_command(
        sub,
        "schema",
        summary="print the JSON Schema of the YAML article format",
        description="Print the JSON Schema (draft 2020-12) of the YAML article format.",
    )
    schema.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE atomically instead of stdout"
    )
    schema.set_defaults(func=_cmd_schema)

    render = add_command(
        sub,
        "render",
        summary="the article and its annotation as one self-contained HTML page",
        description="Write an article as a self-contained HTML page (inline CSS, no network)"
        " with its quotes, attributions and entities drawn on the text.",
    )
    render.add_argument(
        "article",
        nargs="?",
        metavar="ID|PATH",
        help="article id in the bundled corpus, or a YAML file (default: the bundled article)",
    )
    render.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE atomically instead of stdout"
    )
    add_limits(render)
    render.set_defaults(func=_cmd_render)

    register_interop(sub)
    register_authoring(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # German text on a terminal or pipe that is not UTF-8: escape rather than crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if args.command is None:
        args = parser.parse_args(["show"])
    try:
        result: int = args.func(args, sys.stdout)
        sys.stdout.flush()
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"ukrnews: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`ukrnews quotes | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    return result
