"""The German WikiNews 2024 corpus's JSON: their documents in, ours out, and back again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from ukrnews._wikinews import SEPARATOR, from_wikinews, read_wikinews, to_wikinews
from ukrnews.testing import articles

FIXTURES = Path(__file__).parent / "data" / "wikinews2024"
FIXTURE = FIXTURES / "42 - Minister warnt vor Krise (2024-03-01).json"

# Their text is one string with paragraphs split at blank lines, so block text with a
# line feed would be split differently on the way back; every other character is fair.
_ONE_LINE = st.text(
    st.characters(codec="utf-8", exclude_characters="\n")
    | st.sampled_from("\u00a0\U0001f600„“”»«.!? dass daß"),
    min_size=1,
    max_size=50,
)


# Two exports, an import and a validation per example; 80 examples keep this property
# to a few seconds in the ci profile.
@settings(max_examples=80)
@given(articles(text=_ONE_LINE))
def test_export_is_a_fixed_point(article: ukrnews.Article) -> None:
    """Their format holds the text, and per attribution its type, medium, nesting and the
    speaker, cue, content and addressee spans: importing an export and exporting again
    gives the same document, and the same text, kinds and media.  Their format has no
    claims: the equivalence drops them, and the import has none.
    """
    exported = to_wikinews(article)
    back = from_wikinews(json.loads(json.dumps(exported)))
    assert back.claims == ()
    assert exported == to_wikinews(attrs.evolve(article, claims=()))
    assert to_wikinews(back) == exported
    assert SEPARATOR.join(b.text for b in back.blocks) == exported["originalText"]
    assert [(a.kind, a.medium) for a in back.attributions] == [
        (a.kind, a.medium) for a in article.attributions
    ]
    for role in ("cue", "source_mentions", "addressee"):  # no boundary rule touches these
        assert [_where(getattr(a, role), back) for a in back.attributions] == [
            _where(getattr(a, role), article) for a in article.attributions
        ]


def _where(spans: tuple[ukrnews.Span, ...], article: ukrnews.Article) -> list[tuple[int, ...]]:
    """Spans as (block position, start, end): block ids do not survive, positions do."""
    order = [b.id for b in article.blocks]
    return [(order.index(s.block.id), s.start, s.end) for s in spans]


def test_bundled_article_round_trips_its_annotation(bundled_article: ukrnews.Article) -> None:
    article = bundled_article
    back = from_wikinews(to_wikinews(article))
    assert [a.text for a in back.attributions] == [a.text for a in article.attributions]
    assert [a.cue_text for a in back.attributions] == [a.cue_text for a in article.attributions]
    parents = [None if a.parent is None else a.parent.id for a in article.attributions]
    assert [None if a.parent is None else a.parent.id for a in back.attributions] == [
        None if p is None else f"a{[x.id for x in article.attributions].index(p)}" for p in parents
    ]


def test_their_document_becomes_ours() -> None:
    article = read_wikinews(FIXTURE.read_bytes(), source=str(FIXTURE))
    assert article.id == "wikinews-42"
    assert article.headline == "Minister warnt vor Krise"
    assert article.published == "2024-03-01"
    assert article.language == "de"
    indirect, frameless, direct = article.attributions
    # "dass" is theirs, not ours; the frameless sentence's full stop too; and the marks.
    assert indirect.text == "die Lage ernst sei"
    assert indirect.kind is ukrnews.AttributionKind.INDIRECT
    assert frameless.text == "Es gebe keine Alternative"
    assert frameless.kind is ukrnews.AttributionKind.INDIRECT
    assert frameless.cue == ()
    assert frameless.medium == ukrnews.Medium.SPEECH | ukrnews.Medium.WRITING
    assert direct.text == "Wir handeln"
    assert direct.addressee.text == "vor Journalisten"
    assert all(a.source is None for a in article.attributions)
    assert [s.text for s in indirect.source_mentions] == ["Der Minister"]


def test_our_export_restores_their_boundaries() -> None:
    theirs = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ours = to_wikinews(read_wikinews(FIXTURE.read_bytes()))
    for mine, their in zip(ours["annotations"], theirs["annotations"], strict=True):
        for role in ("quote", "cue", "speaker", "addressee"):
            assert mine[role]["text"] == their[role]["text"], role
        assert mine["type"] == their["type"]
        assert mine["medium"] == their["medium"]


def _broken(change: dict[str, object], index: int = 0) -> dict[str, object]:
    document: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["annotations"][index].update(change)
    return document


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"type": "Shouted"}, "annotations[0].type", "unknown type"),
        ({"medium": "none"}, "annotations[0].medium", "no medium"),
        (
            {"quote": {"spans": [{"charBegin": 5, "charEnd": 9999}], "text": "x"}},
            "annotations[0].quote.spans[0]",
            "outside the text",
        ),
        (
            {"cue": {"spans": [{"charBegin": 0, "charEnd": 3}], "text": "Die"}},
            "annotations[0].cue.text",
            "does not match",
        ),
        ({"parentId": 7}, "annotations[0].parentId", "no annotation 7"),
    ],
)
def test_broken_documents_name_the_annotation(
    change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ukrnews.DataError, match=message) as info:
        from_wikinews(_broken(change), source="doc.json")
    assert info.value.field == field
    assert info.value.path == "doc.json"


def test_untrusted_json_is_bounded() -> None:
    with pytest.raises(ukrnews.DataError, match="nested deeper"):
        read_wikinews(b"[" * 100 + b"]" * 100)
    with pytest.raises(ukrnews.DataError, match="limit of 10 bytes"):
        read_wikinews(FIXTURE.read_bytes(), limits=ukrnews.Limits(max_bytes=10))
    with pytest.raises(ukrnews.DataError, match="expected an object"):
        read_wikinews(b"[]")


def test_their_nesting_is_recovered_without_our_parent_id() -> None:
    """Their files say only isNested/hasNested; the enclosing annotation becomes the parent."""
    path = FIXTURES / "43 - Ministerin warnt (2024-03-02).json"
    outer, inner = read_wikinews(path.read_bytes(), source=str(path)).attributions
    assert inner.parent == outer
    assert inner.text == "Terror"
    assert outer.parent is None
    document = json.loads(path.read_text(encoding="utf-8"))
    document["annotations"][0]["hasNested"] = False  # no candidate: stays top-level
    assert from_wikinews(document).attributions[1].parent is None
