"""Command-line options for `Limits`: one per field, shared by every command that reads YAML."""

from __future__ import annotations

import argparse
from functools import partial

import attrs

from ._yaml import MAX_NESTING_CEILING, Limits

__all__ = ["add_limits", "limits_of"]

LIMIT_HELP = {
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
    for field in attrs.fields(Limits):
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
    return Limits(**{f.name: getattr(args, f.name) for f in attrs.fields(Limits)})
