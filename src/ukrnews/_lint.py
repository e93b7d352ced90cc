"""What is valid but probably incomplete: unannotated quotes, names, verbs of saying, sources.

The rules (docs/authoring.md lists them with examples):

- **unquoted**: a stretch between quotation marks (see `QUOTE_MARKS`) that no quote overlaps;
- **mention**: a free occurrence of an entity's name, or of the text of one of its
  mentions, that is not inside any mention (hyphen compounds such as "Nato-Vertreter"
  and the pronouns in `PRONOUNS` are not looked for);
- **cue**: a verb of saying from `VERBA_DICENDI` in a sentence that no attribution's
  cue or content touches;
- **source**: an attribution with no ``source_mentions`` whose source is mentioned in a
  sentence its cue (or, without a cue, its content) lies in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import attr

from ._anchor import block_texts, occurrences
from ._model import BODY_ROLES, Article, Block, BlockRole, Entity, Span
from ._scaffold import quoted_stretches
from ._yaml import Map, Node, Seq, parse

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["PRONOUNS", "VERBA_DICENDI", "LintWarning", "lint", "lint_text"]

#: German verbs of saying, thinking and writing, as finite forms (3rd person, present and
#: past); a pair is a separable verb whose particle follows later in the sentence.
VERBA_DICENDI: Final[tuple[str | tuple[str, str], ...]] = (
    *(
        f"{stem}{end}"
        for stem in (
            "sagt", "erklärt", "betont", "warnt", "fordert", "bestätigt", "berichtet",
            "behauptet", "erläutert", "versichert", "konstatiert", "meint", "äußert",
            "kritisiert", "fragt", "antwortet",
        )
        for end in ("", "e", "en")
    ),
    "spricht", "sprach", "sprachen", "ruft", "rief", "riefen", "schreibt", "schrieb",
    "schrieben", "unterstreicht", "unterstrich", "unterstrichen",
    *(
        (f"{stem}{end}", particle)
        for stem, particle in (("kündigt", "an"), ("teilt", "mit"), ("räumt", "ein"))
        for end in ("", "e", "en")
    ),
    ("weist", "hin"), ("wies", "hin"), ("wiesen", "hin"),
)  # fmt: skip
#: Mention texts that are personal pronouns: too common to look for elsewhere.
PRONOUNS: Final = frozenset({
    "er", "sie", "es", "ihm", "ihn", "ihr", "ihnen", "wir", "uns",
    "ich", "mich", "mir", "du", "dich", "dir", "man",
})  # fmt: skip
_WORD: Final = re.compile(r"\w+")
# A sentence ends after . ! ? or … (and any closing quotation marks) and the space after.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])[\"“”»«]*\s+")


@attr.frozen
class LintWarning:
    """Something valid but probably incomplete, located by field (and, from a file, by line)."""

    rule: str
    field: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}"


def _sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a block as ``[start, end)`` ranges."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _free(text: str, start: int, end: int) -> bool:
    """On word boundaries, and not part of a hyphen compound."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not any(ch.isalnum() or ch in "_-" for ch in (before, after))


def _touches(spans: Sequence[Span], block: Block, start: int, end: int) -> bool:
    return any(s.block.id == block.id and s.start < end and start < s.end for s in spans)


def _block_fields(article: Article) -> dict[str, str]:
    """Each block id's field path in the YAML (``body[2].text``, ``images[0].caption``)."""
    fields = {}
    body = 0
    images = {c.id: i for i, c in enumerate(article.image_credits)}
    for block in article.blocks:
        if block.role in BODY_ROLES:
            fields[block.id] = f"body[{body}].text"
            body += 1
        elif block.role in {BlockRole.IMAGE_TITLE, BlockRole.CAPTION, BlockRole.CREDIT_LINE}:
            image, key = block.id.rsplit(".", 1)
            fields[block.id] = f"images[{images[image]}].{key}"
        else:
            fields[block.id] = block.id
    return fields


def _where(block: Block, start: int, end: int) -> str:
    return f"{block.id}[{start}:{end}] {block.text[start:end]!r}"


def lint(article: Article) -> tuple[LintWarning, ...]:
    """The article's warnings, block by block in reading order, then attribution by attribution."""
    fields = _block_fields(article)
    quote_spans = [s for q in article.quotes for s in q.spans]
    mentions = [m for e in article.entities for m in e.mentions]
    said = [s for a in article.attributions for s in (*a.cue, *a.content)]
    found: list[LintWarning] = []
    for block in article.blocks:
        field = fields[block.id]
        found += _unquoted(block, field, quote_spans)
        for entity in article.entities:
            found += _unmentioned(block, field, entity, mentions)
        found += _uncued(block, field, said)
    found += _unnamed_sources(article)
    return tuple(found)


def _unquoted(block: Block, field: str, quote_spans: Sequence[Span]) -> Iterator[LintWarning]:
    """Rule ``unquoted``: stretches between quotation marks that no quote overlaps."""
    for stretch in quoted_stretches(block):
        if not _touches(quote_spans, block, stretch.start, stretch.end):
            where = _where(block, stretch.start, stretch.end)
            yield LintWarning("unquoted", field, f"{where} is quoted but not a quote")


def _unmentioned(
    block: Block, field: str, entity: Entity, mentions: Sequence[Span]
) -> Iterator[LintWarning]:
    """Rule ``mention``: free occurrences of the entity's name or mention texts, unmarked."""
    needles = {entity.name, *(m.text for m in entity.mentions)}
    for needle in sorted(n for n in needles if n.casefold() not in PRONOUNS):
        for at in occurrences(block.text, needle):
            end = at + len(needle)
            if _free(block.text, at, end) and not any(
                m.block.id == block.id and m.start <= at and end <= m.end for m in mentions
            ):
                where = _where(block, at, end)
                yield LintWarning("mention", field, f"{where} is not a mention of '{entity.id}'")


def _uncued(block: Block, field: str, said: Sequence[Span]) -> Iterator[LintWarning]:
    """Rule ``cue``: verbs of saying in sentences that no cue or content touches."""
    for start, end in _sentences(block.text):
        if _touches(said, block, start, end):
            continue
        for verb in _verbs(block.text[start:end]):
            yield LintWarning(
                "cue",
                field,
                f"{block.id}[{start}:{end}]: {verb!r} is a verb of saying,"
                " but no attribution is in this sentence",
            )


def _unnamed_sources(article: Article) -> Iterator[LintWarning]:
    """Rule ``source``: no source_mentions, but the source is named in the cue's sentence."""
    for i, attribution in enumerate(article.attributions):
        source = attribution.source
        if source is None or attribution.source_mentions:
            continue
        anchor = attribution.cue or attribution.content
        named = (m for m in source.mentions if any(_same_sentence(s, m) for s in anchor))
        mention = next(named, None)
        if mention is not None:
            yield LintWarning(
                "source",
                f"attributions[{i}]",
                f"{attribution.id}: its source '{source.id}' is named in its sentence"
                f" ({_where(mention.block, mention.start, mention.end)}),"
                " but source_mentions is empty",
            )


def _verbs(sentence: str) -> Iterator[str]:
    words = [w.casefold() for w in _WORD.findall(sentence)]
    for verb in VERBA_DICENDI:
        if isinstance(verb, str):
            if verb in words:
                yield verb
        elif verb[0] in words and verb[1] in words[words.index(verb[0]) + 1 :]:
            yield " ... ".join(verb)


def _same_sentence(a: Span, b: Span) -> bool:
    if a.block.id != b.block.id:
        return False
    return any(
        start <= a.start < end and start <= b.start < end for start, end in _sentences(a.block.text)
    )


def _node(root: Node, field: str) -> Node | None:
    """The node at a field path such as ``body[2].text`` (None if there is none)."""
    node: Node | None = root
    for part in field.split("."):
        name, _, index = part.partition("[")
        node = node.items[name][1] if type(node) is Map and name in node.items else None
        if index:
            i = int(index.rstrip("]"))
            node = node.items[i] if type(node) is Seq and i < len(node.items) else None
    return node


def lint_text(text: str, *, source: str = "<string>") -> tuple[LintWarning, ...]:
    """Lint an article's YAML text; warnings carry the file, line and column of their field.

    An invalid article raises its `DataError`: lint only what loads.
    """
    from ._api import loads  # noqa: PLC0415 - _api imports the writer, which imports _scaffold

    article = loads(text, source=source)
    root = parse(text, source)
    texts = block_texts(root)
    placed = []
    for warning in lint(article):
        node = _node(root, warning.field)
        if node is None and warning.field in texts:  # kicker, headline, ...
            node = texts[warning.field][1]
        placed.append(
            attr.evolve(
                warning,
                path=source,
                line=None if node is None else node.line,
                column=None if node is None else node.column,
            )
        )
    return tuple(placed)
