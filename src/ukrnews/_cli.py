"""The ``ukrnews`` command line (also ``python -m ukrnews``).

Exit codes: 0 ok, 1 invalid data, 2 usage, 141 when the reader of stdout goes away.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import os
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from ._api import SUFFIXES, load, load_file, load_path, write_text_atomic
from ._errors import DataError
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
from ._load import UNKNOWN_SOURCE
from ._model import AttributionKind, Corpus
from ._render_cli import register as register_render
from ._schema import schema_text
from ._show import render_text, visible

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._model import Article

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_PIPE = 0, 1, 2, 141
EXIT_CODES = (
    "exit codes: 0 ok, 1 invalid data (a file failed to load or validate),"
    " 2 usage (bad arguments, unknown article or speaker, unwritable output)"
)
EXPORTERS: dict[str, Callable[[Article], dict[str, Any]]] = {
    "ninjs": to_ninjs,
    "jsonld": to_jsonld,
    "json": to_json,
}
# Table columns per listing: (header, row key); the last column takes the rest of the width.
TABLES = {
    "quotes": (("ID", "id"), ("KIND", "kind"), ("SPEAKER", "speaker"), ("CUE", "cue")),
    "attributions": (
        ("ID", "id"),
        ("KIND", "kind"),
        ("SOURCE", "source"),
        ("CUE", "cue"),
        ("PARENT", "parent"),
    ),
    "claims": (
        ("ID", "id"),
        ("CLAIMANT", "claimant"),
        ("ATTRIBUTION", "attribution"),
        ("QUANTITIES", "quantities"),
    ),
}
# Per listing: its rows, its CSV columns, and the row key that --speaker filters.
LISTINGS: dict[str, tuple[Callable[[Corpus], list[Row]], tuple[str, ...], str]] = {
    "quotes": (quote_rows, QUOTE_COLUMNS, "speaker"),
    "attributions": (attribution_rows, ATTRIBUTION_COLUMNS, "source"),
    "claims": (claim_rows, CLAIM_COLUMNS, "claimant"),
}


class _Usage(Exception):  # noqa: N818 - internal control flow, never escapes main()
    """A usage problem found after argument parsing (exit 2)."""


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _corpus(paths: Sequence[str] | None) -> Corpus:
    if not paths:
        return load()
    return Corpus(tuple(a for p in paths for a in load_path(p).articles))


def _pick(corpus: Corpus, ident: str | None) -> Article:
    if ident is None:
        if len(corpus.articles) != 1:
            ids = ", ".join(a.id for a in corpus.articles)
            raise _Usage(f"several articles; name one of: {ids}")
        return corpus.articles[0]
    if Path(ident).exists():
        found = load_path(ident).articles
        if len(found) != 1:
            ids = ", ".join(a.id for a in found) or "none"
            raise _Usage(f"{ident} holds {len(found)} articles ({ids}); name one file")
        return found[0]
    try:
        return corpus.article(ident)
    except KeyError:
        ids = ", ".join(a.id for a in corpus.articles)
        raise _Usage(f"no article '{ident}'; known: {ids}") from None


def _write(text: str, output: str | None, out: TextIO) -> None:
    """Print ``text``, or write it atomically to ``output`` (a usage error if that fails)."""
    if output is None:
        out.write(text)
        return
    try:
        write_text_atomic(output, text)
    except OSError as exc:
        raise _Usage(f"cannot write {output}: {exc.strerror or exc}") from None


# -- show ------------------------------------------------------------------------------


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    article = _pick(load(), args.article)
    out.write(render_text(article, colour=_use_colour(out)))
    return EXIT_OK


# -- quotes and attributions -----------------------------------------------------------


def _filter(corpus: Corpus, args: argparse.Namespace) -> Corpus:
    """The corpus narrowed to ``--article``; ``--speaker`` must name a known entity."""
    if args.article is not None:
        corpus = Corpus((_pick(corpus, args.article),))
    if args.speaker is not None and args.speaker != UNKNOWN_SOURCE:
        wanted = args.speaker.casefold()
        known = {n for e in corpus.entities() for n in (e.id, e.name)}
        if wanted not in {n.casefold() for n in known}:
            ids = sorted({e.id for e in corpus.entities()})
            near = difflib.get_close_matches(args.speaker, sorted(known), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise _Usage(f"no speaker '{args.speaker}'{hint} (known ids: {', '.join(ids)})")
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


def _printable(value: object) -> str:
    """A table cell on one line, with controls and bidi overrides shown as escapes."""
    if value is None:
        return ""
    return visible(" ".join(str(value).split()))


def _unknown(row: Row, key: str) -> object:
    """The cell's value; a speaker or source the text leaves unknown reads "(unknown)"."""
    if key in {"speaker", "source", "claimant"} and row[f"{key}_id"] is None:
        newsroom = key == "claimant" and row["attribution"] is None
        return "(newsroom)" if newsroom else f"({UNKNOWN_SOURCE})"
    return row[key]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _where(row: Row) -> str:
    spans = str(row["spans"]).split()
    return spans[0] + (f" +{len(spans) - 1}" if len(spans) > 1 else "") if spans else ""


def _table(rows: list[Row], columns: Sequence[tuple[str, str]], *, colour: bool) -> str:
    """Rows as aligned columns; the text column wraps to the terminal's width."""
    if len({r["article"] for r in rows}) > 1:
        columns = (("ARTICLE", "article"), *columns)
    heads = [h for h, _ in columns] + ["WHERE", "TEXT"]
    cells = [
        [_fit(_printable(_unknown(r, k)), 24) for _, k in columns]
        + [_where(r), _printable(r["text"])]
        for r in rows
    ]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(heads[:-1])]
    indent = sum(w + 2 for w in widths)
    room = max(shutil.get_terminal_size((100, 24)).columns - indent, 30)
    head = "  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=False)) + "  TEXT"
    lines = [f"\x1b[1m{head}\x1b[0m" if colour else head]
    for line in cells:
        text = textwrap.wrap(line[-1], room, break_long_words=False, break_on_hyphens=False)
        first = "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False))
        lines.append(f"{first}  {text[0] if text else ''}".rstrip())
        lines.extend(" " * indent + more for more in text[1:])
    return "\n".join(lines) + "\n"


def _csv(rows: list[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        cells = [row[c] for c in columns]
        writer.writerow(
            ["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in cells]
        )
    return buffer.getvalue()


def _listing(args: argparse.Namespace, out: TextIO) -> int:
    corpus = _filter(_corpus(args.paths), args)
    make_rows, columns, who = LISTINGS[args.command]
    rows = [r for r in make_rows(corpus) if _keep(r, args, who)]
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    if fmt == "table":
        text = _table(rows, TABLES[args.command], colour=_use_colour(out))
    elif fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        text = _csv(rows, columns)
    out.write(text)
    return EXIT_OK


# -- validate --------------------------------------------------------------------------


def _files(path: str) -> list[Path] | DataError:
    root = Path(path)
    if root.is_dir():
        found = sorted(p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file())
        return found or DataError("no *.yaml or *.yml files in this directory", path=path)
    if not root.exists():
        return DataError("no such file or directory", path=path)
    return [root]


def _error_data(err: DataError) -> dict[str, Any]:
    return {
        "type": type(err).__name__,
        "path": err.path,
        "line": err.line,
        "column": err.column,
        "field": err.field,
        "message": err.message,
    }


def _check(paths: Sequence[str]) -> list[tuple[str, DataError | None]]:
    """Every file under ``paths`` with its first error (None if it is valid)."""
    results: list[tuple[str, DataError | None]] = []
    seen: dict[str, str] = {}
    for path in paths:
        files = _files(path)
        if isinstance(files, DataError):
            results.append((path, files))
            continue
        for file in files:
            name = os.fspath(file)
            try:
                article = load_file(file)
            except DataError as err:
                results.append((name, err))
                continue
            first = seen.setdefault(article.id, name)
            clash = None
            if first != name:
                clash = DataError(
                    f"article id '{article.id}' is already used by {first}", path=name, field="id"
                )
            results.append((name, clash))
    return results


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    results = _check(args.paths)
    bad = sum(err is not None for _, err in results)
    if args.format == "json":
        report = {
            "valid": bad == 0,
            "files": [
                {
                    "path": name,
                    "valid": err is None,
                    "errors": [] if err is None else [_error_data(err)],
                }
                for name, err in results
            ],
            "summary": {"files": len(results), "valid": len(results) - bad, "invalid": bad},
        }
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        for _, err in results:
            if err is not None:
                print(err, file=sys.stderr)
        files = f"{len(results)} file{'s' * (len(results) != 1)}"
        out.write(f"{files} checked: {len(results) - bad} valid, {bad} invalid\n")
    return EXIT_INVALID if bad else EXIT_OK


# -- export and schema -----------------------------------------------------------------


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    convert = EXPORTERS[args.format]
    docs = [convert(a) for a in _corpus(args.paths).articles]
    doc: object = docs[0] if len(docs) == 1 else docs
    _write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args.output, out)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    _write(schema_text(), args.output, out)
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------


def _add_listing(sub: Any, name: str, what: str, who: str) -> None:
    parser = sub.add_parser(
        name,
        help=f"list the {name}, one row each",
        description=f"List the {name}: {what}. Reads the bundled corpus unless PATHs are given.",
        epilog=f"Without --format: a table on a terminal, JSON Lines otherwise. {EXIT_CODES}",
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
    parser.set_defaults(func=_listing)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand per task."""
    parser = argparse.ArgumentParser(
        prog="ukrnews",
        description="Show, list, validate and export annotated news articles.",
        epilog=f"With no command: show. {EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = sub.add_parser(
        "show",
        help="the article as a person reads it, quotes marked",
        description="Show an article as a person reads it, each quote tagged with its"
        " speaker. Colour only on a terminal, and never when NO_COLOR is set.",
        epilog=EXIT_CODES,
    )
    show.add_argument(
        "article", nargs="?", help="article id or YAML file (default: the bundled one)"
    )
    show.set_defaults(func=_cmd_show)

    _add_listing(sub, "quotes", "the verbatim quoted words, with speaker and cue", "speaker")
    _add_listing(sub, "attributions", "who said, wrote or thinks what", "source")
    _add_listing(
        sub, "claims", "the checkable statements, with claimant and quantities", "claimant"
    )

    validate = sub.add_parser(
        "validate",
        help="check YAML files; every error as file:line:col: field: message",
        description="Check every YAML file (directories: their *.yaml and *.yml files)."
        " Each failing file's error goes to stderr as file:line:col: field: message, then"
        " a summary line to stdout. All files are checked, not only up to the first failure.",
        epilog=f"Exit 1 if any file fails. {EXIT_CODES}",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="YAML file or directory")
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default), or a JSON report on stdout for machines",
    )
    validate.set_defaults(func=_cmd_validate)

    export = sub.add_parser(
        "export",
        help="export as IPTC ninjs 3.2, schema.org JSON-LD or JSON",
        description="Export articles (the bundled corpus unless PATHs are given). One"
        " article gives one JSON document; several give a JSON array of documents.",
        epilog=EXIT_CODES,
    )
    export.add_argument(
        "--format", required=True, choices=tuple(EXPORTERS), help="the export format"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE atomically instead of stdout"
    )
    export.add_argument("paths", nargs="*", metavar="PATH", help="YAML file or directory")
    export.set_defaults(func=_cmd_export)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the YAML article format",
        description="Print the JSON Schema (draft 2020-12) of the YAML article format.",
        epilog=EXIT_CODES,
    )
    schema.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE atomically instead of stdout"
    )
    schema.set_defaults(func=_cmd_schema)
    register_render(sub)
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
    except _Usage as exc:
        print(f"ukrnews: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`ukrnews quotes | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    return result
