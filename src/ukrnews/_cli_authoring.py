"""Command group: the authoring commands ``new``, ``fix``, ``lint`` and ``agree``.

See docs/authoring.md.  ``_cli`` registers `register`; the commands speak through
``_cli_common`` and import their modules only when run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ._api import load_file, yaml_files
from ._cli_common import (
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
    add_command,
    emit,
    existing,
    write_file,
)
from ._dump import OFFSETS
from ._errors import DataError
from ._yaml import decode

if TYPE_CHECKING:
    import argparse

    from ._cli_common import Subparsers

__all__ = ["register"]


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
        raise UsageError(f"cannot read {args.text}: {exc.strerror or exc}") from None
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
        raise UsageError(f"{args.output} exists; use --force to replace it")
    emit(text, args.output, out)
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
            write_file(path, result.text)
    verb = "would change" if args.check else "changed"
    out.write(f"{len(args.files)} file(s): {changed} {verb}, {failed} refused\n")
    return EXIT_INVALID if failed or (args.check and changed) else EXIT_OK


def _cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    from ._lint import lint_text  # noqa: PLC0415 - lazy

    warned = failed = 0
    existing(args.paths)
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


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``new``, ``fix``, ``lint`` and ``agree``."""
    new = add_command(
        sub,
        "new",
        summary="start an article YAML from a plain-text file",
        description="Write a YAML article from a plain text: the first non-blank line is the"
        " headline, every other non-blank line a paragraph (p1, p2, ...). The quoted"
        " stretches it finds are listed below the data as commented-out spans.",
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

    fix = add_command(
        sub,
        "fix",
        summary="re-anchor spans after the text was edited",
        description="Move every span whose offsets no longer match its text to the occurrence"
        " on word boundaries nearest its old place, and report each move. Refuses (and"
        " writes nothing) where two are equally near or none is left.",
        exits="Exit 1 if a file is refused, or with --check if one would change.",
    )
    fix.add_argument("files", nargs="+", metavar="FILE", help="YAML article file")
    fix.add_argument("--check", action="store_true", help="write nothing; exit 1 on any change")
    fix.set_defaults(func=_cmd_fix)

    lint = add_command(
        sub,
        "lint",
        summary="warn of what is valid but probably not yet annotated",
        description="Warn, as file:line:col: field: message, of quoted stretches that no quote"
        " covers, names that are not mentions, verbs of saying with no attribution in their"
        " sentence, and sources named in their sentence without source_mentions.",
        exits="Exit 0 with warnings (1 with --strict); 1 if a file is invalid.",
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="YAML file or directory")
    lint.add_argument("--strict", action="store_true", help="exit 1 if there is any warning")
    lint.set_defaults(func=_cmd_lint)

    agree = add_command(
        sub,
        "agree",
        summary="agreement between two annotations of the same text",
        description="Compare annotation B with annotation A of the same article text:"
        " attributions matched by content overlap, P/R/F1, role agreement, Cohen's kappa,"
        " quote, entity and mention F1, entity clusters (B³, MUC), claim F1, claimant"
        " and quantity agreement (docs/annotation.md says how).",
        exits="Exit 1 if the texts differ.",
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
