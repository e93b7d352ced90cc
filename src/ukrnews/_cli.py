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
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from ._api import check_files, load, load_file, load_paths, write_text_atomic, yaml_files
from ._cli_limits import add_limits, limits_of
from ._dump import OFFSETS
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
from ._interop_cli import EXPORT_FORMATS, UsageError, export_files
from ._interop_cli import register as register_import
from ._load import UNKNOWN_SOURCE
from ._model import AttributionKind, Corpus
from ._render_cli import register as register_render
from ._schema import schema_text
from ._show import render_text, visible
from ._yaml import DEFAULT_LIMITS, decode

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._model import Article
    from ._yaml import Limits

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
TEXT_ROOM = 20  # the least width the TEXT column of a table gets on a terminal
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


def _existing(paths: Sequence[str]) -> None:
    """A path that does not exist is a usage error, named (not "1 invalid")."""
    for path in paths:
        try:
            exists = os.path.lexists(path)
        except ValueError:  # a NUL in the path
            exists = False
        if not exists:
            raise _Usage(f"no such file or directory: {path}")


def _corpus(paths: Sequence[str] | None, limits: Limits) -> Corpus:
    """The bundled corpus, or the articles under ``paths`` (ids unique across all)."""
    if not paths:
        return load()
    _existing(paths)
    return load_paths(paths, limits=limits)


def _pick(corpus: Corpus, ident: str | None, limits: Limits) -> Article:
    if ident is None:
        if len(corpus.articles) != 1:
            ids = ", ".join(a.id for a in corpus.articles)
            raise _Usage(f"several articles; name one of: {ids}")
        return corpus.articles[0]
    if Path(ident).exists():
        found = load_paths([ident], limits=limits).articles
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
    article = _pick(load(), args.article, limits_of(args))
    out.write(render_text(article, colour=_use_colour(out)))
    return EXIT_OK


# -- quotes and attributions -----------------------------------------------------------


def _filter(corpus: Corpus, args: argparse.Namespace) -> Corpus:
    """The corpus narrowed to ``--article``; ``--speaker`` must name a known entity."""
    if args.article is not None:
        corpus = Corpus((_pick(corpus, args.article, limits_of(args)),))
    if args.speaker is not None and args.speaker != UNKNOWN_SOURCE:
        wanted = args.speaker.casefold()
        known = {n for e in corpus.entities for n in (e.id, e.name)}
        if wanted not in {n.casefold() for n in known}:
            ids = sorted({e.id for e in corpus.entities})
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


def _widths(natural: list[int], heads: list[str], budget: int) -> list[int]:
    """Narrow the widest columns, one character at a time, until they fit ``budget``.

    Names and cues go first (down to 8); then any column, down to its header.
    """
    widths = list(natural)
    names = {i for i, h in enumerate(heads) if h in {"ARTICLE", "SPEAKER", "SOURCE", "CUE"}}
    for floors in (
        [8 if i in names else w for i, w in enumerate(widths)],
        [max(len(h), 4) for h in heads],
    ):
        while sum(widths) > budget:
            cuttable = [i for i, w in enumerate(widths) if w > floors[i]]
            if not cuttable:
                break  # too narrow at this stage
            widths[max(cuttable, key=lambda i: widths[i])] -= 1
    return widths


def _table(
    rows: list[Row], columns: Sequence[tuple[str, str]], *, colour: bool, width: int | None
) -> str:
    """Rows as aligned columns; the text column wraps to the terminal's width.

    On a terminal (``width`` given) every line fits: the other cells are cut with "…"
    so the text keeps at least `TEXT_ROOM` columns.  In a pipe nothing is cut.
    """
    if len({r["article"] for r in rows}) > 1:
        columns = (("ARTICLE", "article"), *columns)
    heads = [h for h, _ in columns] + ["WHERE", "TEXT"]
    cells = [
        [_printable(_unknown(r, k)) for _, k in columns] + [_where(r), _printable(r["text"])]
        for r in rows
    ]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(heads[:-1])]
    if width is not None:
        widths = _widths(widths, heads[:-1], width - TEXT_ROOM - 2 * len(widths))
        cells = [
            [_fit(c, w) for c, w in zip(line, widths, strict=False)] + line[-1:] for line in cells
        ]
    indent = sum(w + 2 for w in widths)
    total = width if width is not None else shutil.get_terminal_size((100, 24)).columns
    room = max(total - indent, TEXT_ROOM)
    head = "  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=False)) + "  TEXT"
    lines = [f"\x1b[1m{head}\x1b[0m" if colour else head]
    for line in cells:
        text = textwrap.wrap(
            line[-1], room, break_long_words=width is not None, break_on_hyphens=False
        )
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
    corpus = _filter(_corpus(args.paths, limits_of(args)), args)
    make_rows, columns, who = LISTINGS[args.command]
    rows = [r for r in make_rows(corpus) if _keep(r, args, who)]
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    if fmt == "table":
        width = shutil.get_terminal_size().columns if out.isatty() else None
        text = _table(rows, TABLES[args.command], colour=_use_colour(out), width=width)
    elif fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        text = _csv(rows, columns)
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
    _existing(paths)
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
        try:
            return export_files(
                args.format, lambda: _corpus(args.paths, limits_of(args)), args.output, out
            )
        except UsageError as exc:
            raise _Usage(str(exc)) from None
    if args.format in FILE_EXPORTS:  # binary or multi-file formats, written by their module
        if args.output is None:
            raise _Usage(f"--format {args.format} needs -o/--output")
        _existing(args.paths)
        try:
            FILE_EXPORTS[args.format](args.paths, args.output, jobs=args.jobs)
        except OSError as exc:
            raise _Usage(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return EXIT_OK
    convert = EXPORTERS.get(args.format, to_json)
    docs = [convert(a) for a in _corpus(args.paths, limits_of(args)).articles]
    doc: object = docs[0] if len(docs) == 1 else docs
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.format == "jsonl":
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    _write(text, args.output, out)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    _write(schema_text(), args.output, out)
    return EXIT_OK


# -- authoring: new, fix, lint, agree (docs/authoring.md) ------------------------------


def _read(path: str) -> str:
    """A file's text, decoded as the loader decodes it."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", path=path) from None
    return decode(data, path)


def _cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from ._scaffold import id_from_name, scaffold, source_file  # noqa: PLC0415 - lazy

    try:
        data = Path(args.text).read_bytes()
    except OSError as exc:
        raise _Usage(f"cannot read {args.text}: {exc.strerror or exc}") from None
    name = Path(args.text).name
    try:
        made = scaffold(
            decode(data, args.text),
            article_id=args.id or id_from_name(name),
            language=args.language,
            source_file=source_file(name, data),
            kicker=args.kicker,
            teaser=args.teaser,
            subheadings=args.subheading,
        )
        header = f"yaml-language-server: $schema={args.schema}"
        text = made.to_yaml(offsets=args.offsets, header=header)
    except DataError as err:  # the text, or an --id or --language the format refuses
        raise DataError(err.message, path=args.text, field=err.field) from None
    if args.output is not None and Path(args.output).exists() and not args.force:
        raise _Usage(f"{args.output} exists; use --force to replace it")
    _write(text, args.output, out)
    return EXIT_OK


def _cmd_fix(args: argparse.Namespace, out: TextIO) -> int:
    from ._anchor import reanchor  # noqa: PLC0415 - lazy

    changed = failed = 0
    for path in args.files:
        try:
            result = reanchor(_read(path), source=path)
        except DataError as bad:  # not YAML at all: report it and go on
            print(bad, file=sys.stderr)
            failed += 1
            continue
        out.writelines(f"{path}:{m.line}:{m.column}: {m.field}: {m}\n" for m in result.moves)
        for err in result.errors:
            print(err, file=sys.stderr)
        failed += bool(result.errors)
        changed += result.changed
        if result.changed and not args.check:
            write_text_atomic(path, result.text)
    verb = "would change" if args.check else "changed"
    out.write(f"{len(args.files)} file(s): {changed} {verb}, {failed} refused\n")
    return EXIT_INVALID if failed or (args.check and changed) else EXIT_OK


def _cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    from ._lint import lint_text  # noqa: PLC0415 - lazy

    warned = failed = 0
    _existing(args.paths)
    for path in args.paths:
        for file in yaml_files(Path(path)):
            try:
                warnings = lint_text(_read(os.fspath(file)), source=os.fspath(file))
            except DataError as err:
                print(err, file=sys.stderr)
                failed += 1
                continue
            out.writelines(f"{w}\n" for w in warnings)
            warned += len(warnings)
    if failed:
        return EXIT_INVALID
    return EXIT_INVALID if args.strict and warned else EXIT_OK


def _cmd_agree(args: argparse.Namespace, out: TextIO) -> int:
    from ._agree import LAYERS, agreement  # noqa: PLC0415 - lazy

    a, b = load_file(args.a), load_file(args.b)
    try:
        found = agreement(a, b)
    except DataError as err:
        message = f"{err.message} (A: {args.a}, B: {args.b})"
        raise DataError(message, path=args.b, field=err.field) from None
    layers = args.layer or LAYERS
    if args.format == "json":
        out.write(json.dumps(found.to_dict(layers), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(found.table(layers))
    return EXIT_OK


def _add_authoring(sub: Any) -> None:
    new = sub.add_parser(
        "new",
        help="start an article YAML from a plain-text file",
        description="Write a YAML article from a plain text: the first non-blank line is the"
        " headline, every other non-blank line a paragraph (p1, p2, ...). The quoted"
        " stretches it finds are listed below the data as commented-out spans.",
        epilog=EXIT_CODES,
    )
    new.add_argument("text", metavar="TEXT.txt", help="the article as plain text (UTF-8)")
    new.add_argument("-o", "--output", metavar="FILE", help="write FILE instead of stdout")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.add_argument("--id", help="the article's id (default: from the file name)")
    new.add_argument("--language", default="de", help="BCP 47 language tag (default: de)")
    new.add_argument("--kicker", action="store_true", help="the first line is a kicker")
    new.add_argument(
        "--teaser", action="store_true", help="the line after the headline is a teaser"
    )
    new.add_argument(
        "--subheading", type=int, action="append", default=[], metavar="LINE",
        help="make line LINE (1-based, of the text file) a subheading; repeatable",
    )  # fmt: skip
    new.add_argument(
        "--schema", default="article.schema.json", metavar="REF",
        help="the $schema of the first line (default: article.schema.json, which"
        " `ukrnews schema -o article.schema.json` writes)",
    )  # fmt: skip
    new.add_argument(
        "--offsets", choices=OFFSETS, default="always",
        help="write start/end on every span (always) or only where the text is ambiguous",
    )  # fmt: skip
    new.set_defaults(func=_cmd_new)

    fix = sub.add_parser(
        "fix",
        help="re-anchor spans after the text was edited",
        description="Move every span whose offsets no longer match its text to the occurrence"
        " on word boundaries nearest its old place, and report each move. Refuses (and"
        " writes nothing) where two are equally near or none is left.",
        epilog=f"Exit 1 if a file is refused, or with --check if one would change. {EXIT_CODES}",
    )
    fix.add_argument("files", nargs="+", metavar="FILE", help="YAML article file")
    fix.add_argument("--check", action="store_true", help="write nothing; exit 1 on any change")
    fix.set_defaults(func=_cmd_fix)

    lint = sub.add_parser(
        "lint",
        help="warn of what is valid but probably not yet annotated",
        description="Warn, as file:line:col: field: message, of quoted stretches that no quote"
        " covers, names that are not mentions, verbs of saying with no attribution in their"
        " sentence, and sources named in their sentence without source_mentions.",
        epilog=f"Exit 0 with warnings (1 with --strict); 1 if a file is invalid. {EXIT_CODES}",
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="YAML file or directory")
    lint.add_argument("--strict", action="store_true", help="exit 1 if there is any warning")
    lint.set_defaults(func=_cmd_lint)

    agree = sub.add_parser(
        "agree",
        help="agreement between two annotations of the same text",
        description="Compare annotation B with annotation A of the same article text:"
        " attributions matched by content overlap, P/R/F1, role agreement, Cohen's kappa,"
        " quote, entity and mention F1, entity clusters (B³, MUC), claim F1, claimant"
        " and quantity agreement (docs/annotation.md says how).",
        epilog=f"Exit 1 if the texts differ. {EXIT_CODES}",
    )
    agree.add_argument("a", metavar="A.yaml", help="the reference annotation")
    agree.add_argument("b", metavar="B.yaml", help="the annotation measured against it")
    agree.add_argument("--format", choices=("table", "json"), default="table")
    agree.add_argument(
        "--layer",
        action="append",
        choices=("attributions", "entities", "claims"),
        help="report only this layer (repeatable; default: all)",
    )
    agree.set_defaults(func=_cmd_agree)


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
    add_limits(show)
    show.set_defaults(func=_cmd_show)

    _add_listing(sub, "quotes", "the verbatim quoted words, with speaker and cue", "speaker")
    _add_listing(sub, "attributions", "who said, wrote or thinks what", "source")
    _add_listing(
        sub, "claims", "the checkable statements, with claimant and quantities", "claimant"
    )

    validate = sub.add_parser(
        "validate",
        help="check YAML files; every error as file:line:col: field: message",
        description="Check every YAML file (directories: their *.yaml and *.yml files;"
        " no PATH: the bundled data). Article ids must be unique across all files."
        " Each failing file's error goes to stderr as file:line:col: field: message, then"
        " a summary line to stdout. All files are checked, not only up to the first failure.",
        epilog=f"Exit 1 if any file fails. {EXIT_CODES}",
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

    export = sub.add_parser(
        "export",
        help="export as ninjs, JSON-LD, JSON, Parquet, spaCy DocBin or Croissant",
        description="Export articles (the bundled corpus unless PATHs are given). One"
        " article gives one JSON document; several give a JSON array of documents.",
        epilog=EXIT_CODES,
    )
    export.add_argument(
        "--format",
        required=True,
        choices=(*EXPORTERS, "jsonl", *FILE_EXPORTS, *EXPORT_FORMATS),
        help="the export format (jsonl: one article a line; parquet, docbin and croissant"
        " need -o; see docs/formats.md and docs/interop.md)",
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
    register_import(sub, _Usage)
    _add_authoring(sub)
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
