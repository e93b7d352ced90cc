"""brat standoff: the round trip keeps everything brat can express; broken files name the line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import assume, given, settings

import ukrnews
from helpers import ARTICLE_ID
from ukrnews._brat import ANNOTATION_CONF, from_brat, image_credits, read_brat, to_brat, write_brat
from ukrnews._model import link_quotes
from ukrnews.testing import articles

if TYPE_CHECKING:
    from pathlib import Path


def brat_view(article: ukrnews.Article) -> ukrnews.Article:
    """Exactly what brat carries: text and blocks, entities with mentions (kind, name),
    attributions (all roles, kind, medium, source, parent), quotes; image credits bare.

    Lost: entity titles and external ids, entities without mentions, image parties and
    provenance, excluded text, agencies, source file, published, url, publisher and
    claims (with their quantities): `claims` is left at its default, empty.
    """
    entities = {
        e.id: ukrnews.Entity(e.id, e.kind, e.name, mentions=e.mentions)
        for e in article.entities
        if e.mentions
    }
    built: dict[str, ukrnews.Attribution] = {}
    for a in article.attributions:  # parents come first in generated and loaded articles
        built[a.id] = ukrnews.Attribution(
            id=a.id,
            kind=a.kind,
            medium=a.medium,
            source=None if a.source is None else entities[a.source.id],
            content=a.content,
            cue=a.cue,
            source_mentions=a.source_mentions,
            addressee=a.addressee,
            evidence=a.evidence,
            place=a.place,
            parent=None if a.parent is None else built[a.parent.id],
        )
    quotes = [
        ukrnews.Quote(q.id, q.spans, built[q.attribution.id], q.partial) for q in article.quotes
    ]
    link_quotes(quotes)
    return ukrnews.Article(
        id=article.id,
        language=article.language,
        blocks=article.blocks,
        image_credits=image_credits(article.blocks),
        entities=tuple(entities.values()),
        attributions=tuple(built.values()),
        quotes=tuple(quotes),
    )


def _expressible(article: ukrnews.Article) -> bool:
    """brat cannot hold a source entity that has no mention in the text."""
    return all(a.source is None or a.source.mentions for a in article.attributions)


# Writing, parsing and validating a whole article per example; 80 examples keep this
# property to a few seconds in the ci profile.
@settings(max_examples=80)
@given(articles())
def test_round_trip_keeps_what_brat_expresses(article: ukrnews.Article) -> None:
    assume(_expressible(article))
    text, ann = to_brat(article)
    back = from_brat(text, ann, article_id=article.id, language=article.language)
    assert back == brat_view(article)


def test_source_without_mention_is_refused() -> None:
    article = ukrnews.loads(
        "id: x\nlanguage: de\nheadline: Er sagte es\nbody:\n- id: p1\n  kind: paragraph\n"
        "  text: gut\nentities:\n- {id: er, kind: person, name: Er}\nattributions:\n"
        "- id: a1\n  kind: indirect\n  medium: speech\n  source: er\n"
        "  content:\n  - {block: p1, start: 0, end: 3, text: gut}\n"
    )
    with pytest.raises(ukrnews.DumpError, match="has no mention") as info:
        to_brat(article)
    assert info.value.field == "attributions[a1].source"


def _bundled_files(tmp_path: Path) -> Path:
    write_brat(ukrnews.load().article(ARTICLE_ID), tmp_path)
    return tmp_path / f"{ARTICLE_ID}.txt"


def test_files_round_trip(tmp_path: Path, bundled_article: ukrnews.Article) -> None:
    txt = _bundled_files(tmp_path)
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == ANNOTATION_CONF
    article = bundled_article
    assert read_brat(txt) == brat_view(article)


def _break(tmp_path: Path, old: str, new: str) -> Path:
    txt = _bundled_files(tmp_path)
    ann = txt.with_suffix(".ann")
    lines = ann.read_text(encoding="utf-8").split("\n")
    hits = [n for n, line in enumerate(lines) if line.startswith(old)]
    assert hits
    lines[hits[0]] = new
    ann.write_text("\n".join(lines), encoding="utf-8")
    return txt


def test_offsets_past_the_text_name_the_annotation(tmp_path: Path) -> None:
    txt = _break(tmp_path, "T12\t", "T12\tPerson 99999 100000\tx")
    with pytest.raises(ukrnews.DataError, match="outside the text") as info:
        read_brat(txt)
    assert info.value.field == "T12"
    assert info.value.path is not None
    assert info.value.path.endswith(".ann")


def test_text_that_does_not_match_is_refused(tmp_path: Path) -> None:
    txt = _bundled_files(tmp_path)
    ann = txt.with_suffix(".ann")
    line = next(x for x in ann.read_text(encoding="utf-8").split("\n") if x.startswith("T12\t"))
    txt = _break(tmp_path, "T12\t", line.rsplit("\t", 1)[0] + "\tnot the text")
    with pytest.raises(ukrnews.DataError, match="does not match") as info:
        read_brat(txt)
    assert info.value.field == "T12"


def test_unknown_attribute_value_names_the_event(tmp_path: Path) -> None:
    txt = _bundled_files(tmp_path)
    ann = txt.with_suffix(".ann")
    text = ann.read_text(encoding="utf-8")
    ann.write_text(text.replace("Kind E1 indirect", "Kind E1 shouted", 1), encoding="utf-8")
    with pytest.raises(ukrnews.DataError, match="'shouted'") as info:
        read_brat(txt)
    assert info.value.field == "E1"


def test_garbage_lines_are_refused(tmp_path: Path) -> None:
    txt = _break(tmp_path, "T1\t", "hello world")
    with pytest.raises(ukrnews.DataError, match="not a brat annotation line") as info:
        read_brat(txt)
    assert info.value.line == 1


def test_an_event_added_in_brat_finds_its_source_by_span() -> None:
    text = "Rutte sagte, es sei gut.\n\nMehr"
    ann = (
        "T1\tBlock 0 24\tRutte sagte, es sei gut.\n#1\tAnnotatorNotes T1\theadline\n"
        "A1\tRole T1 headline\nT9\tBlock 26 30\tMehr\nA9\tRole T9 paragraph\n"
        "T2\tPerson 0 5\tRutte\n#2\tAnnotatorNotes T2\trutte\n"
        "T3\tAttribution 6 11\tsagte\nT4\tSourceSpan 0 5\tRutte\n"
        "T5\tContentSpan 13 23\tes sei gut\n"
        "E1\tAttribution:T3 Source:T4 Content:T5\nA2\tKind E1 indirect\nA3\tMedium E1 speech\n"
    )
    article = from_brat(text, ann, article_id="neu")
    (attribution,) = article.attributions
    assert attribution.id == "brat-e1"
    assert attribution.source is not None
    assert attribution.source.id == "rutte"
    assert attribution.cue_text == "sagte"
    assert article.entity("rutte").name == "Rutte"
    assert article.block("brat-t9").text == "Mehr"


# A small document with one of everything the reader checks: blocks with roles, an
# entity with a named note, an event with source, content and a quote.
_SMALL_TEXT = "Rutte sagte, es sei gut.\n\nMehr"
_SMALL_ANN = (
    "T1\tBlock 0 24\tRutte sagte, es sei gut.\n#1\tAnnotatorNotes T1\theadline\n"
    "A1\tRole T1 headline\nT9\tBlock 26 30\tMehr\nA9\tRole T9 paragraph\n"
    'T2\tPerson 0 5\tRutte\n#2\tAnnotatorNotes T2\trutte "Rutte"\n'
    "T3\tAttribution 6 11\tsagte\nT4\tSourceSpan 0 5\tRutte\n"
    "T5\tContentSpan 13 23\tes sei gut\nT6\tQuote 13 23\tes sei gut\n"
    "E1\tAttribution:T3 Source:T4 Content:T5 Quote:T6\n"
    "A2\tKind E1 indirect\nA3\tMedium E1 speech\n"
)
_AS_ORGANISATION = "T7\tOrganisation 0 5\tRutte\n#7\tAnnotatorNotes T7\trutte"
_EVENT = "E1\tAttribution:T3 Source:T4 Content:T5 Quote:T6"


def test_small_document_reads() -> None:
    article = from_brat(_SMALL_TEXT, _SMALL_ANN, article_id="klein")
    (quote,) = article.quotes
    assert quote.id == "brat-t6"
    assert quote.speaker is not None
    assert quote.speaker.name == "Rutte"


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        ("T1\tBlock 0 24\t", "T1\tBlock 0 5;6 24\t", "one contiguous span", "T1"),
        ("A1\tRole T1 headline", "A1\tRole T1 banner", "'banner' is not a block role", "T1"),
        ("T2\tPerson 0 5\tRutte", "T2\tPerson 0 2;3 5\tRu te", "one contiguous span", "T2"),
        ('rutte "Rutte"', "rutte Rutte", "bad entity name in note", "#T2"),
        (
            "T3\tAttribution 6 11\tsagte",
            f"T3\tAttribution 6 11\tsagte\n{_AS_ORGANISATION}",
            "mentions of two kinds",
            "T7",
        ),
        (_EVENT, f"{_EVENT} Nested:E1 Nested2:E1", "E1 is nested in two events", "E1"),
        (_EVENT, f"{_EVENT} Nested:E1", "nested events form a cycle", "E1"),
        (_EVENT, _EVENT.replace("Attribution:", "Quote:"), "as the trigger", "E1"),
        (_EVENT, f"{_EVENT} Quote2:T99", "'Quote2:T99' refers to nothing", "E1"),
        (_EVENT, f"{_EVENT} Speaker:T4", "unknown argument 'Speaker:T4'", "E1"),
        (_EVENT, _EVENT.replace("Quote:T6", "Place:T6"), "Place must be a PlaceSpan", "E1"),
        (_EVENT, _EVENT.replace("Content:T5 ", ""), "no Content argument", "E1"),
        (_EVENT, _EVENT.replace(" Quote:T6", ""), "must be an argument of an attribution", "T6"),
        (
            "A3\tMedium E1 speech",
            "A3\tMedium E1 speech\n#3\tAnnotatorNotes E1\ta1 source=merkel",
            "source entity 'merkel' has no mention here",
            "E1",
        ),
        ("A3\tMedium E1 speech", "A3\tMedium E1 singing", "'singing' is unknown", "E1"),
        ("#1\tAnnotatorNotes T1\t", "#1\tAnnotatorNotes T1 T2\t", "'AnnotatorNotes ID'", "#1"),
    ],
)
def test_reader_names_what_is_wrong(old: str, new: str, message: str, field: str) -> None:
    assert old in _SMALL_ANN
    with pytest.raises(ukrnews.DataError, match=message) as info:
        from_brat(_SMALL_TEXT, _SMALL_ANN.replace(old, new, 1), article_id="klein")
    assert info.value.field == field
