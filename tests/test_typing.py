"""Static types a downstream project relies on; mypy --strict checks the `assert_type` calls."""

from __future__ import annotations

from typing import assert_type

import ukrnews
from ukrnews import Attribution, AttributionKind, Entity, ImageCredit, Medium, Quote, Spans


def test_public_types() -> None:
    """The public accessors have precise types (checked by mypy) and these values (by pytest)."""
    corpus = assert_type(ukrnews.load(), ukrnews.Corpus)
    article = assert_type(corpus.articles[0], ukrnews.Article)
    assert_type(article.kicker, str | None)
    assert_type(article.headline, str)
    assert_type(article.quotes, tuple[Quote, ...])
    assert_type(article.attributions, tuple[Attribution, ...])
    assert_type(article.image_credits, tuple[ImageCredit, ...])
    quote = article.quotes[0]
    assert_type(quote.text, str)
    assert_type(quote.speaker, Entity | None)
    assert_type(quote.cue, Spans)
    assert_type(attribution_text := quote.attribution.content.text, str)
    assert attribution_text == quote.text
    attribution = quote.attribution
    assert_type(attribution.kind, AttributionKind)
    assert_type(attribution.medium, Medium)
    assert_type(attribution.parent, Attribution | None)
    assert_type(article.image_credits[0].credit_line, str)
    assert quote.speaker is not None
    assert quote.speaker.name == "Mark Rutte"
    assert attribution.kind is AttributionKind.DIRECT
    assert attribution.medium is Medium.SPEECH
