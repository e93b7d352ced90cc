"""Terminal formatting for the command line: the plain-text article view, tables and CSV.

Nothing here parses arguments or reads files; ``_cli`` decides what to show and where.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import textwrap
import unicodedata
from typing import TYPE_CHECKING, Final, TextIO

from ._format import UNKNOWN_SOURCE
from ._model import BlockRole

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._export import Row
    from ._model import Article, Block, Quote

__all__ = ["TABLES", "csv_text", "render_text", "table", "use_colour", "visible"]

_BOLD = "\x1b[1m"
_QUOTE = "\x1b[1;33m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def visible(text: str) -> str:
    """Text safe for a terminal: controls and bidi overrides shown as escapes.

    Text from a user's YAML must not drive the terminal or reorder what is shown.
    """
    return "".join(ascii(ch)[1:-1] if _hidden(ch) else ch for ch in text)


def _hidden(ch: str) -> bool:
    return (
        unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
    )


def _speaker(quote: Quote) -> str:
    return visible(quote.speaker.name) if quote.speaker is not None else "unknown source"


def _marked(block: Block, quotes: tuple[Quote, ...], colour: bool) -> str:
    """The block's text with each quote highlighted and tagged with its id and speaker."""
    inserts: list[tuple[int, int, str]] = []  # (offset, order, text): closings sort first
    for quote in quotes:
        for span in quote.spans:
            if span.block.id != block.id:
                continue
            if colour:
                inserts.append((span.start, 1, _QUOTE))
                inserts.append((span.end, 0, _RESET))
            after = (
                span.end + 1
                if block.text[span.end : span.end + 1] in {'"', "“", "”", "«", "»"}
                else span.end
            )
            inserts.append((after, 0, f" [{quote.id}: {_speaker(quote)}]"))
    text, out, at = block.text, [], 0
    for offset, _, insert in sorted(inserts, key=lambda i: (i[0], i[1])):
        out += [visible(text[at:offset]), insert]
        at = offset
    out.append(visible(text[at:]))
    return "".join(out)


def render_text(article: Article, *, colour: bool = False, width: int | None = None) -> str:
    """The article as a person reads it, then its quotes; ANSI colour only if asked."""
    style = _Style(width or min(shutil.get_terminal_size((88, 24)).columns, 100), colour=colour)
    out = [
        *_heading(article, style),
        *_images(article, style),
        *_body(article, style),
        *_quotes(article, style),
    ]
    return "\n".join(out) + "\n"


class _Style:
    """How the plain-text view writes: paragraphs wrapped to a width, bold and dim if colour."""

    def __init__(self, width: int, *, colour: bool) -> None:
        self.width = width
        self.colour = colour

    def para(self, text: str, indent: str = "") -> str:
        return textwrap.fill(
            text,
            width=self.width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.colour else text

    def dim(self, text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if self.colour else text


def _heading(article: Article, style: _Style) -> list[str]:
    """The kicker (dim) and the headline (bold)."""
    out = [style.dim(visible(article.kicker))] if article.kicker else []
    return [*out, style.bold(style.para(visible(article.headline))), ""]


def _images(article: Article, style: _Style) -> list[str]:
    """Each image's title, caption and credit line (dim), indented under a ``[Bild]`` mark."""
    out = []
    for credit in article.image_credits:
        if credit.title:
            out.append(style.para(f"[Bild] {visible(credit.title)}"))
        if credit.caption:
            out.append(style.para(visible(credit.caption), "       "))
        out += [style.dim(style.para(visible(credit.credit_line), "       ")), ""]
    return out


def _body(article: Article, style: _Style) -> list[str]:
    """The teaser (bold), the body with its quotes marked, then agency line and author code."""
    out = [style.bold(style.para(visible(article.teaser))), ""] if article.teaser else []
    for block in article.body:
        text = style.para(_marked(block, article.quotes, style.colour))
        out += [style.bold(text) if block.role is BlockRole.SUBHEADING else text, ""]
    credit_lines = [x for x in (article.agency_line, article.author_code) if x]
    if credit_lines:
        out += [*(style.dim(visible(x)) for x in credit_lines), ""]
    return out


def _quotes(article: Article, style: _Style) -> list[str]:
    """The list of quotes: id, speaker, cue and kind, then the quoted text."""
    out = [style.bold(f"Quotes ({len(article.quotes)})")]
    for quote in article.quotes:
        cue = visible(quote.cue.text) or "no cue"
        partial = ", partial" if quote.partial else ""
        head = f"  {quote.id}  {_speaker(quote)} ({cue}; {quote.kind.value}{partial}): "
        out.append(
            textwrap.fill(
                f'"{visible(quote.text)}"',
                width=style.width,
                initial_indent=head,
                subsequent_indent=" " * 6,
                break_long_words=False,
            )
        )
    return out


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


# -- tables and CSV --------------------------------------------------------------------

TEXT_ROOM: Final = 20  # the least width the TEXT column of a table gets on a terminal
#: Table columns per listing: (header, row key); the last column takes the rest of the width.
TABLES: Final = {
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


def table(
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
    lines = [f"{_BOLD}{head}{_RESET}" if colour else head]
    for line in cells:
        text = textwrap.wrap(
            line[-1], room, break_long_words=width is not None, break_on_hyphens=False
        )
        first = "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False))
        lines.append(f"{first}  {text[0] if text else ''}".rstrip())
        lines.extend(" " * indent + more for more in text[1:])
    return "\n".join(lines) + "\n"


def csv_text(rows: list[Row], columns: Sequence[str]) -> str:
    """Rows as CSV with a header line: None is empty, booleans are ``true``/``false``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        cells = [row[c] for c in columns]
        writer.writerow(
            ["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in cells]
        )
    return buffer.getvalue()
