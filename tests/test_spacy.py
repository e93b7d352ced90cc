"""spaCy documents: one Doc per block, every span in its group, misalignment reported."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import pytest
import spacy
from hypothesis import given, settings
from spacy.tokens import DocBin

import ukrnews
from ukrnews._arrow import ROLES
from ukrnews._cli import main
from ukrnews._spacy import GROUPS
from ukrnews.testing import articles

if TYPE_CHECKING:
    from pathlib import Path


@functools.cache
def _nlp() -> Any:
    return spacy.blank("de")


def _expected(article: ukrnews.Article) -> Counter[tuple[str, str, int, int, str, str, str]]:
    """(group, block, start, end, label, span id, kb id) of every annotated span."""
    found: Counter[tuple[str, str, int, int, str, str, str]] = Counter()
    for a in article.attributions:
        for role, attr in ROLES:
            for s in getattr(a, attr):
                kb = a.source.id if a.source else ""
                found[f"ukrnews_{role}", s.block.id, s.start, s.end, a.kind.value, a.id, kb] += 1
    for q in article.quotes:
        for s in q.spans:
            kb = q.speaker.id if q.speaker else ""
            found[
                "ukrnews_quote", s.block.id, s.start, s.end, q.kind.value, q.attribution.id, kb
            ] += 1
    for e in article.entities:
        for s in e.mentions:
            found["ukrnews_mention", s.block.id, s.start, s.end, e.kind.value, e.id, e.id] += 1
    return found


def _found(docs: list[Any]) -> Counter[tuple[str, str, int, int, str, str, str]]:
    return Counter(
        (group, doc.user_data["ukrnews_block"], s.start_char, s.end_char, s.label_, s.id_, s.kb_id_)
        for doc in docs
        for group in GROUPS
        for s in doc.spans[group]
    )


class TestToSpacy:
    """`to_spacy`: the bundled article's blocks and every one of its spans."""

    def test_bundled_article(self, bundled_article: ukrnews.Article) -> None:
        """One Doc per block with its ids, and exactly the annotated spans, text for text."""
        article = bundled_article
        docs = ukrnews.to_spacy(article)
        assert [d.text for d in docs] == [b.text for b in article.blocks]
        assert [d.user_data["ukrnews_block"] for d in docs] == [b.id for b in article.blocks]
        assert {d.user_data["ukrnews_article"] for d in docs} == {article.id}
        assert _found(docs) == _expected(article)
        quotes = [s.text for d in docs for s in d.spans["ukrnews_quote"]]
        assert quotes == [q.text for q in article.quotes]

    def test_misaligned_span_is_an_error(self, bundled_article: ukrnews.Article) -> None:
        """A span that ends inside a token is a DataError naming the block and the span."""
        article = bundled_article
        rutte = article.entity("rutte")
        first = rutte.mentions[0]
        cut = ukrnews.Span(first.block, first.start, first.end - 2)  # "...Mark Rut"
        broken = attrs.evolve(
            article,
            entities=tuple(
                attrs.evolve(e, mentions=(cut, *e.mentions[1:])) if e is rutte else e
                for e in article.entities
            ),
        )
        with pytest.raises(ukrnews.DataError, match="does not align") as info:
            ukrnews.to_spacy(broken, _nlp())
        message = str(info.value)
        assert f"block '{first.block.id}'" in message
        assert f"[{cut.start}:{cut.end}]" in message
        assert repr(cut.text) in message

    @settings(max_examples=20)  # each example tokenises every block; 20 cover both outcomes
    @given(articles(annotated=True))
    def test_any_article(self, article: ukrnews.Article) -> None:
        """Every span is kept exactly, or the DataError names a span that cuts a token."""
        starts, ends = {}, {}
        for block in article.blocks:
            doc = _nlp()(block.text)
            starts[block.id] = {t.idx for t in doc}
            ends[block.id] = {t.idx + len(t) for t in doc}
        expected = _expected(article)
        # A span aligns when it starts where a token starts and ends where one ends: "0 "
        # in "0 0" ends where the second token starts, so it cuts through the whitespace.
        bad = [k for k in expected if k[2] not in starts[k[1]] or k[3] not in ends[k[1]]]
        if bad:
            blocks = "|".join(sorted({re.escape(k[1]) for k in bad}))
            with pytest.raises(ukrnews.DataError, match=f"of block '({blocks})'"):
                ukrnews.to_spacy(article, _nlp())
        else:
            assert _found(ukrnews.to_spacy(article, _nlp())) == expected


class TestDocBin:
    """`ukrnews export --format docbin`: a DocBin that loads back with every span."""

    def test_round_trip(self, tmp_path: Path, bundled_article: ukrnews.Article) -> None:
        """Loaded back, the docs hold every span with its label and ids, and the user data."""
        target = tmp_path / "train.spacy"
        assert main(["export", "--format", "docbin", "-o", str(target)]) == 0
        assert [p.name for p in tmp_path.iterdir()] == ["train.spacy"]
        docs = list(DocBin().from_disk(target).get_docs(_nlp().vocab))
        article = bundled_article
        assert len(docs) == len(article.blocks)
        assert _found(docs) == _expected(article)
        counts = Counter(g for d in docs for g in GROUPS for _ in d.spans[g])
        assert counts["ukrnews_quote"] == len(article.quotes)
        assert counts["ukrnews_mention"] == sum(len(e.mentions) for e in article.entities)
