"""Plain-text rendering of an article for a terminal, with its quotes marked."""

from __future__ import annotations

import shutil
import textwrap
import unicodedata
from typing import TYPE_CHECKING

from ._model import BlockRole

if TYPE_CHECKING:
    from ._model import Article, Block, Quote

__all__ = ["render_text", "visible"]

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
    width = width or min(shutil.get_terminal_size((88, 24)).columns, 100)

    def para(text: str, indent: str = "") -> str:
        return textwrap.fill(
            text,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    def bold(text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if colour else text

    def dim(text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if colour else text

    out: list[str] = []
    if article.kicker:
        out.append(dim(visible(article.kicker)))
    out.append(bold(para(visible(article.headline))))
    out.append("")
    for credit in article.image_credits:
        if credit.title:
            out.append(para(f"[Bild] {visible(credit.title)}"))
        if credit.caption:
            out.append(para(visible(credit.caption), "       "))
        out.append(dim(para(visible(credit.credit_line), "       ")))
        out.append("")
    if article.teaser:
        out.append(bold(para(visible(article.teaser))))
        out.append("")
    for block in article.body:
        text = _marked(block, article.quotes, colour)
        if block.role is BlockRole.SUBHEADING:
            out.append(bold(para(text)))
        else:
            out.append(para(text))
        out.append("")
    credit_lines = [x for x in (article.agency_line, article.author_code) if x]
    if credit_lines:
        out.extend(dim(visible(x)) for x in credit_lines)
        out.append("")
    out.append(bold(f"Quotes ({len(article.quotes)})"))
    for quote in article.quotes:
        cue = visible(" ".join(s.text for s in quote.cue)) or "no cue"
        partial = ", partial" if quote.partial else ""
        head = f"  {quote.id}  {_speaker(quote)} ({cue}; {quote.kind.value}{partial}): "
        out.append(
            textwrap.fill(
                f'"{visible(quote.text)}"',
                width=width,
                initial_indent=head,
                subsequent_indent=" " * 6,
                break_long_words=False,
            )
        )
    return "\n".join(out) + "\n"
