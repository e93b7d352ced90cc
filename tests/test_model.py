"""Tests for the model: what a loaded article and a corpus offer, and how they print."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings

import ukrnews
from helpers import ARTICLE_ID, MINIMAL, bundled_yaml
from ukrnews._numbers import read_number
from ukrnews.testing import articles, corpora


class TestLinks:
    """Derived links (an attribution's quotes, a role's text) follow the article they are in."""

    def test_evolve_does_not_change_the_cached_corpus(
        self, bundled_article: ukrnews.Article
    ) -> None:
        """Building a new article from the bundled one leaves the cached one as it was."""
        article = bundled_article
        before = [(a.id, [q.id for q in a.quotes]) for a in article.attributions]
        smaller = attrs.evolve(article, quotes=article.quotes[:1])
        assert smaller.quotes_of(article.attributions[11]) == ()
        assert [(a.id, [q.id for q in a.quotes]) for a in article.attributions] == before
        assert [q.id for q in article.quotes_of(article.attributions[11])] == ["q2"]

    def test_roles_have_text(self, bundled_article: ukrnews.Article) -> None:
        """Every role is a `Spans` tuple with `.text`, as the product brief promises."""
        attribution = bundled_article.attributions[4]
        assert attribution.content.text == attribution.text
        assert attribution.cue.text == "sagte"
        assert attribution.place.text == "in Brüssel"
        assert isinstance(attribution.content, tuple)


class TestCorpusReadsLikeArticle:
    """`Corpus` has tuples, not methods; indexing, length, iteration; items know their article."""

    # Whole corpora of generated articles are slow to draw, and the views are the same
    # concatenation whatever the articles say: 15 corpora of up to three articles suffice.
    @settings(max_examples=15)
    @given(corpora(max_size=3))
    def test_tuples_index_and_owner(self, corpus: ukrnews.Corpus) -> None:
        """Each view is the articles' items in order, and `article_of` finds the holder."""
        assert len(corpus) == len(corpus.articles)
        assert list(corpus) == list(corpus.articles)
        for name in ("quotes", "attributions", "entities", "image_credits"):
            items = getattr(corpus, name)
            assert isinstance(items, tuple)
            assert items == tuple(x for a in corpus.articles for x in getattr(a, name))
            for item in items:
                owner = corpus.article_of(item)
                assert any(x is item for x in getattr(owner, name))
        for n, article in enumerate(corpus.articles):
            assert corpus[n] is article
            assert corpus[article.id] is article
            assert corpus.article(article.id) is article
            assert article.id in corpus
        assert corpus[1:].articles == corpus.articles[1:]

    def test_bundled(self) -> None:
        """The README's uses on the bundled corpus."""
        corpus = ukrnews.load()
        assert [q.id for q in corpus.quotes][:4] == ["q1", "q2", "q3", "q4"]
        assert corpus[0] is corpus[ARTICLE_ID] is corpus.article_of(corpus.attributions[0])
        assert corpus.article_of(corpus[0].blocks[0]) is corpus[0]
        with pytest.raises(KeyError):
            corpus["nope"]
        with pytest.raises(KeyError):
            corpus.article_of(ukrnews.loads(bundled_yaml()).quotes[0])  # equal, not held

    def test_duplicate_ids_are_refused(self) -> None:
        """A corpus's ids are unique, so `corpus[id]` means one article."""
        article = ukrnews.loads(MINIMAL)
        with pytest.raises(ukrnews.LinkError, match="two articles have the id 'mini'"):
            ukrnews.Corpus((article, article))


class TestRepr:
    """`repr` is readable: spans show their block id, an article fits on a line."""

    def test_span(self, bundled_article: ukrnews.Article) -> None:
        """A span names its block by id and shows its own text only."""
        article = bundled_article
        span = article.quotes[3].spans[0]
        assert repr(span) == (
            f"Span(block={span.block.id!r}, start={span.start}, end={span.end}, text='Terror')"
        )

    def test_article_and_corpus_fit_on_a_line(self) -> None:
        """The article's repr gives its id, language and counts: one short line."""
        corpus = ukrnews.load()
        article = corpus[0]
        text = repr(article)
        assert "\n" not in text
        assert len(text) < 200
        assert text.startswith(f"Article(id='{ARTICLE_ID}', language='de', ")
        assert f"quotes={len(article.quotes)}" in text
        assert repr(corpus) == f"Corpus(1 article: ['{ARTICLE_ID}'])"

    def test_items_no_longer_repeat_blocks(self, bundled_article: ukrnews.Article) -> None:
        """No item's repr holds a whole paragraph again for each of its spans."""
        article = bundled_article
        longest = max(len(b.text) for b in article.body)
        for item in (*article.quotes, *article.attributions, *article.entities):
            assert len(repr(item)) < 8 * longest


class TestInvariants:
    """Invariants of the generated model."""

    # Drawing an annotated article costs about 0.1 s; the links are built by one loader
    # path whatever the text, and 100 articles give thousands of spans to check.
    @settings(max_examples=100)
    @given(articles(annotated=True))
    def test_spans_and_quotes(self, article: ukrnews.Article) -> None:
        """Spans are block text; quotes lie in their attribution; children in parents."""
        for attribution in article.attributions:
            for span in attribution.content:
                assert span.text == span.block.text[span.start : span.end]
                assert span.text in span.context(5)
            if attribution.parent is not None:
                assert all(
                    any(p.contains(s) for p in attribution.parent.content)
                    for s in attribution.content
                )
            for quote in attribution.quotes:
                assert quote.attribution is attribution
        for quote in article.quotes:
            assert all(any(c.contains(s) for c in quote.attribution.content) for s in quote.spans)
            assert quote in quote.attribution.quotes
        for claim in article.claims:
            if claim.attribution is not None:
                assert claim.claimant == claim.attribution.source
                assert all(
                    any(c.contains(s) for c in claim.attribution.content) for s in claim.spans
                )
            for quantity in claim.quantities:
                assert any(s.contains(quantity.span) for s in claim.spans)
                assert read_number(quantity.text) == (quantity.value, quantity.bound)
