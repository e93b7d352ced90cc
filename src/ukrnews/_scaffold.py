"""Start an article from plain text: blocks from lines, quoted stretches listed for annotation.

Nothing is invented: the scaffold holds the text's lines as blocks, the text file's
name and sha256, and the language it is told; no date, URL or author.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Final

import attr
import yaml

from ._anchor import unambiguous
from ._api import dumps
from ._dump import C_DUMPER, Offsets, _Flow
from ._errors import DataError
from ._model import Article, Block, BlockRole, SourceFile

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["QUOTE_MARKS", "QuotedStretch", "Scaffold", "quoted_stretches", "scaffold"]

#: Opening mark -> closing mark, for the quotation marks German texts use.
QUOTE_MARKS: Final = {
    "„": "“",  # German: „…“
    "“": "”",  # English: “…”
    '"': '"',  # typewriter: "…"
    "»": "«",  # German guillemets: »…«
    "«": "»",  # Swiss and French guillemets: «…»
}
#: Points editors at the schema that ``ukrnews schema -o article.schema.json`` writes beside.
SCHEMA_HEADER: Final = "yaml-language-server: $schema=article.schema.json"
_LINE: Final = re.compile(r"\r\n|\r|\n")
_NOT_ID: Final = re.compile(r"[^a-z0-9_-]+")


@attr.frozen
class QuotedStretch:
    """Text between a pair of quotation marks (marks excluded): a quote still to annotate."""

    block: Block
    start: int
    end: int
    opening: str

    @property
    def text(self) -> str:
        """The words inside the marks."""
        return self.block.text[self.start : self.end]


@attr.frozen
class Scaffold:
    """A new article from a text (it validates as it stands) and the quoted stretches in it."""

    article: Article
    stretches: tuple[QuotedStretch, ...]

    def to_yaml(self, *, offsets: Offsets = "always", header: str = SCHEMA_HEADER) -> str:
        """The article as YAML, then every quoted stretch as a commented-out span.

        ``offsets`` is as for `dumps`; ``header`` is the first line's comment.
        """
        lines = [
            "",
            "# Quoted stretches found in the text, not yet annotated: each is a span,",
            "# ready to go into a quote's spans (and its attribution's content).",
        ]
        for stretch in self.stretches:
            span = _Flow(block=stretch.block.id, start=stretch.start, end=stretch.end)
            span["text"] = stretch.text
            if offsets == "needed" and unambiguous(stretch.block.text, stretch.start, stretch.end):
                del span["start"], span["end"]
            flow = yaml.dump(span, Dumper=C_DUMPER, allow_unicode=True, width=1 << 30)
            lines.append(f"# - {flow.strip()}")
        if not self.stretches:
            lines.append("# (none)")
        return dumps(self.article, header=header, offsets=offsets) + "\n".join(lines) + "\n"


def quoted_stretches(block: Block) -> tuple[QuotedStretch, ...]:
    """The non-empty stretches between matching quotation marks, left to right, not nested.

    Each opening mark of `QUOTE_MARKS` pairs with the next closing mark of its kind;
    an opening mark with no closing mark after it is ordinary text.
    """
    text = block.text
    found: list[QuotedStretch] = []
    at = 0
    while at < len(text):
        mark = text[at]
        close = QUOTE_MARKS.get(mark)
        end = text.find(close, at + 1) if close else -1
        if close is None or end < 0:
            at += 1
            continue
        if end > at + 1:
            found.append(QuotedStretch(block, at + 1, end, mark))
        at = end + 1
    return tuple(found)


def id_from_name(name: str) -> str:
    """An article id made from a file name ("Mein Artikel.txt" -> "mein-artikel")."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].casefold()
    slug = _NOT_ID.sub("-", stem).strip("-_")[:64]
    return slug if slug[:1].isalpha() and slug[:1].isascii() else f"a-{slug}"[:64].rstrip("-_")


def scaffold(
    text: str,
    *,
    article_id: str,
    language: str = "de",
    source_file: SourceFile | None = None,
    kicker: bool = False,
    teaser: bool = False,
    subheadings: Iterable[int] = (),
) -> Scaffold:
    """A valid article from plain text: first line the headline, every other line a block.

    Lines end at LF, CRLF or CR; blank lines (only whitespace) are skipped and every
    other line is kept exactly.  ``kicker`` takes the first line as the kicker (the
    headline is then the second), ``teaser`` the line after the headline as the teaser,
    and ``subheadings`` are 1-based line numbers of the text to make subheadings.
    Paragraphs get ids p1, p2, ... and subheadings s1, s2, ... in order.
    """
    numbered = [(n, line) for n, line in enumerate(_LINE.split(text), 1) if line.strip()]
    head = 1 + kicker + teaser
    if len(numbered) <= head:
        raise DataError(
            f"the text has {len(numbered)} non-blank line(s); it needs {head + 1}:"
            f" {'a kicker, ' * kicker}a headline, {'a teaser, ' * teaser}then a paragraph"
        )
    wanted = set(subheadings)
    body_lines = {n for n, _ in numbered[head:]}
    for n in sorted(wanted - body_lines):
        raise DataError(f"line {n} cannot be a subheading: it is blank, past the end or the head")
    heads = [line for _, line in numbered[:head]]
    blocks: list[Block] = []
    if kicker:
        blocks.append(Block("kicker", BlockRole.KICKER, heads.pop(0)))
    blocks.append(Block("headline", BlockRole.HEADLINE, heads.pop(0)))
    if teaser:
        blocks.append(Block("teaser", BlockRole.TEASER, heads.pop(0)))
    counts = {BlockRole.PARAGRAPH: 0, BlockRole.SUBHEADING: 0}
    for n, line in numbered[head:]:
        role = BlockRole.SUBHEADING if n in wanted else BlockRole.PARAGRAPH
        counts[role] += 1
        prefix = "s" if role is BlockRole.SUBHEADING else "p"
        blocks.append(Block(f"{prefix}{counts[role]}", role, line))
    article = Article(
        id=article_id, language=language, blocks=tuple(blocks), source_file=source_file
    )
    return Scaffold(article, tuple(s for b in blocks for s in quoted_stretches(b)))


def source_file(name: str, data: bytes) -> SourceFile:
    """The record of a text file: its name and its bytes' sha256."""
    return SourceFile(name, hashlib.sha256(data).hexdigest())
