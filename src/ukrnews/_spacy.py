"""spaCy documents: one ``Doc`` per block, every annotated span in a span group (extra ``spacy``).

Groups are named ``ukrnews_<role>``: the attribution roles (``source``, ``cue``,
``content``, ``addressee``, ``evidence``, ``place``) labelled with the attribution's
kind, ``quote`` labelled with its attribution's kind, and ``mention`` labelled with
the entity's kind.  ``span.id_`` is the attribution's (or entity's) id and
``span.kb_id_`` the source's (or entity's) id.  A span whose ends do not fall on token
boundaries is a `DataError`, never silently widened.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ._api import load, load_path
from ._arrow import ROLES
from ._errors import DataError
from ._model import Corpus
from ._optional import require

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from spacy.language import Language
    from spacy.tokens import Doc

    from ._model import Article, Span

__all__ = ["GROUPS", "to_spacy", "write_docbin"]

PREFIX: Final = "ukrnews_"
#: Every span group's name, in the order they are filled.
GROUPS: Final = tuple(PREFIX + g for g in (*(role for role, _ in ROLES), "quote", "mention"))


def _annotations(article: Article) -> Iterator[tuple[str, Span, str, str, str]]:
    """(group, span, label, span id, kb id) for every annotated span of the article."""
    for a in article.attributions:
        kb = "" if a.source is None else a.source.id
        for role, attr in ROLES:
            for span in getattr(a, attr):
                yield PREFIX + role, span, a.kind.value, a.id, kb
    for q in article.quotes:
        kb = "" if q.speaker is None else q.speaker.id
        for span in q.spans:
            yield PREFIX + "quote", span, q.kind.value, q.attribution.id, kb
    for e in article.entities:
        for span in e.mentions:
            yield PREFIX + "mention", span, e.kind.value, e.id, e.id


def to_spacy(article: Article, nlp: Language | None = None) -> list[Doc]:
    """One spaCy ``Doc`` per block of the article, its spans in `GROUPS` span groups.

    ``nlp`` defaults to ``spacy.blank("de")`` (a tokenizer, nothing to download).
    ``doc.user_data`` holds ``ukrnews_article``, ``ukrnews_block`` and ``ukrnews_role``.
    """
    if nlp is None:
        nlp = require("spacy", "spacy").blank("de")
    docs: dict[str, Doc] = {}
    for block in article.blocks:
        doc = nlp(block.text)
        doc.user_data.update(
            {
                "ukrnews_article": article.id,
                "ukrnews_block": block.id,
                "ukrnews_role": block.role.value,
            }
        )
        for group in GROUPS:
            doc.spans[group] = []
        docs[block.id] = doc
    for group, span, label, span_id, kb_id in _annotations(article):
        doc = docs[span.block.id]
        found = doc.char_span(
            span.start, span.end, label=label, kb_id=kb_id, span_id=span_id, alignment_mode="strict"
        )
        if found is None:
            raise DataError(
                f"span [{span.start}:{span.end}] {span.text!r} of {span_id!r} does not align"
                f" with the tokens of block {span.block.id!r} of article {article.id!r}",
                field=group.removeprefix(PREFIX),
            )
        doc.spans[group].append(found)
    return list(docs.values())


def write_docbin(
    paths: Sequence[str], output: str | os.PathLike[str], *, jobs: int = 1
) -> dict[str, int]:
    """Write the articles' docs as a spaCy ``DocBin`` (user data kept); spans per group.

    ``jobs`` is accepted for the CLI's sake; the docs are built in this process.
    """
    del jobs
    spacy_tokens = require("spacy.tokens", "spacy")
    nlp = require("spacy", "spacy").blank("de")
    corpus = Corpus(tuple(a for p in paths for a in load_path(p).articles)) if paths else load()
    docbin = spacy_tokens.DocBin(store_user_data=True)
    counts = dict.fromkeys(GROUPS, 0)
    for article in corpus.articles:
        for doc in to_spacy(article, nlp):
            docbin.add(doc)
            for group in GROUPS:
                counts[group] += len(doc.spans[group])
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(docbin.to_bytes())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts
