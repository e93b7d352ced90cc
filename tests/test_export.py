"""Tests for the exports: ninjs 3.2 against the official schema, JSON-LD, JSON and rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import ukrnews
from helpers import ARTICLE_ID, MINIMAL
from ukrnews._export import ATTRIBUTION_COLUMNS, NINJS_SCHEMA, QUOTE_COLUMNS
from ukrnews.testing import articles

# schema.org's `creator` takes a Person or an Organization: a state or a place is neither.
CREATOR_KINDS = {ukrnews.EntityKind.PERSON, ukrnews.EntityKind.ORGANISATION}
CPPROLE = "http://cv.iptc.org/newscodes/contentprodpartyrole/"
# The only http(s) URIs an export may contain: real ones, never made up.
REAL_URIS = {
    NINJS_SCHEMA,
    "https://schema.org",
    *(CPPROLE + role for role in ("contentSource", "origcont", "distributor", "author")),
}


STANDARDS = Path(__file__).resolve().parent / "standards"


def _ninjs_validator() -> Draft202012Validator:
    """ninjs 3.2, with GeoJSON registered under its $id so `$ref`s resolve offline."""
    folder = STANDARDS
    ninjs = json.loads((folder / "ninjs" / "ninjs-schema_3.2.json").read_text(encoding="utf-8"))
    geojson = json.loads((folder / "geojson" / "GeoJSON.json").read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", Resource.from_contents(geojson)
    )
    Draft202012Validator.check_schema(ninjs)
    return Draft202012Validator(
        ninjs, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


NINJS = _ninjs_validator()


def _keys(value: object) -> set[str]:
    """Every key in a JSON tree."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _nothing_invented(doc: dict[str, Any], article: ukrnews.Article) -> None:
    """No made-up URLs or dates: web URIs are the real ones, identifiers our own URNs."""
    for key in ("role", "schema", "@context", "href", "url"):
        for found in _values(doc, key):
            if ":" in found and found != article.url:
                assert found in REAL_URIS, found
    for key in ("uri", "@id"):
        for found in _values(doc, key):
            assert found.startswith(f"urn:ukrnews:article:{article.id}"), found
    dates = {"firstCreated", "versionCreated", "contentCreated", "dateCreated", "dateModified"}
    assert not dates & _keys(doc)


def _values(value: object, key: str) -> list[str]:
    if isinstance(value, dict):
        here = [value[key]] if isinstance(value.get(key), str) else []
        return here + [s for v in value.values() for s in _values(v, key)]
    if isinstance(value, list):
        return [s for v in value for s in _values(v, key)]
    return []


class TestStandards:
    """The official schemas are found and wired up for offline use."""

    def test_geojson_resolves_offline(self) -> None:
        """A place's geoJSON is checked against the registered GeoJSON schema."""
        doc: dict[str, Any] = {
            "uri": "urn:x:1",
            "places": [{"name": "Kyiv", "geoJSON": {"type": "Point"}}],
        }
        assert not NINJS.is_valid(doc)  # a Point needs coordinates
        doc["places"][0]["geoJSON"] = {"type": "Point", "coordinates": [30.5, 50.45]}
        assert NINJS.is_valid(doc)

    def test_schema_is_closed(self) -> None:
        """ninjs refuses unknown properties, so a passing export uses only ninjs fields."""
        assert not NINJS.is_valid({"uri": "urn:x:1", "quotes": []})


class TestNinjs:
    """`to_ninjs`: valid ninjs 3.2 that carries the article's text, credits and quotes."""

    def test_bundled_article_is_valid(self, bundled_article: ukrnews.Article) -> None:
        """The bundled article's ninjs passes the official schema with format checks."""
        doc = ukrnews.to_ninjs(bundled_article)
        assert list(NINJS.iter_errors(doc)) == []
        _nothing_invented(doc, bundled_article)

    def test_text_and_credits(self, bundled_article: ukrnews.Article) -> None:
        """Headline and kicker, teaser, body, language, by and the agencies map as documented."""
        article = bundled_article
        doc = ukrnews.to_ninjs(article)
        assert doc["uri"] == f"urn:ukrnews:article:{ARTICLE_ID}"
        assert doc["standard"] == {"name": "ninjs", "version": "3.2", "schema": NINJS_SCHEMA}
        assert doc["language"] == "de"
        assert doc["headlines"] == [
            {"role": "main", "value": article.headline},
            {"role": "kicker", "value": "Ukraine-Krieg"},
        ]
        assert doc["descriptions"] == [{"role": "teaser", "value": article.teaser}]
        (body,) = doc["bodies"]
        assert body["contentType"] == "text/plain"
        assert body["value"].split("\n\n") == [b.text for b in article.body]
        assert doc["by"] == "wue"
        assert doc["infoSources"] == [
            {"name": "DPA", "role": CPPROLE + "contentSource"},
            {"name": "Reuters", "role": CPPROLE + "contentSource"},
        ]

    def test_entities(self, bundled_article: ukrnews.Article) -> None:
        """People, organisations and places come from the entities, by kind."""
        doc = ukrnews.to_ninjs(bundled_article)
        assert {"name": "Mark Rutte", "rel": "mentions", "literal": "rutte"} in doc["people"]
        assert [o["name"] for o in doc["organisations"]][:1] == ["Nato"]
        assert "Brüssel" in [p["name"] for p in doc["places"]]
        total = sum(len(doc[k]) for k in ("people", "organisations", "places"))
        assert total == len(bundled_article.entities)
        # ninjs has no list for states: they are named locations.
        assert {"Russland", "Ukraine", "Westen"} <= {p["name"] for p in doc["places"]}

    def test_picture(self, bundled_article: ukrnews.Article) -> None:
        """The image is a picture association with caption, credit line, copyright and agencies."""
        article = bundled_article
        credit = article.image_credits[0]
        picture = ukrnews.to_ninjs(article)["associations"][0]
        assert picture["type"] == "picture"
        assert picture["uri"] == f"urn:ukrnews:article:{ARTICLE_ID}:image:image1"
        assert picture["headlines"] == [{"role": "main", "value": credit.title}]
        assert picture["descriptions"] == [
            {"role": "caption", "value": credit.caption},
            {"role": "creditline", "value": "©\u00a0North Korean Central News Agency / DPA"},
        ]
        assert picture["copyrightNotice"] == credit.credit_line
        assert picture["copyrightHolder"] == "North Korean Central News Agency / DPA"
        assert picture["infoSources"] == [
            {
                "name": "North Korean Central News Agency",
                "role": CPPROLE + "origcont",
                "literal": "kcna",
            },
            {"name": "DPA", "role": CPPROLE + "distributor", "literal": "dpa"},
        ]
        assert "by" not in picture  # the credit line names no photographer

    def test_quotes(self, bundled_article: ukrnews.Article) -> None:
        """Each quote is a text association with its words, cue and speaker."""
        article = bundled_article
        quotes = [a for a in ukrnews.to_ninjs(article)["associations"] if a.get("rel") == "quote"]
        assert [q["name"] for q in quotes] == ["q1", "q2", "q3", "q4"]
        for item, quote in zip(quotes, article.quotes, strict=True):
            assert item["bodies"][0]["value"] == quote.text
            assert item["descriptions"] == [{"role": "cue", "value": quote.cue[0].text}]
            assert quote.speaker is not None
            assert item["people"] == [
                {"name": quote.speaker.name, "rel": "speaker", "literal": quote.speaker.id}
            ]
        assert quotes[3]["bodies"][0]["value"] == "Terror"

    def test_quote_without_a_cue(self) -> None:
        """A quote whose attribution has no cue gets no cue description (none is invented)."""
        article = ukrnews.loads(
            MINIMAL
            + "attributions:\n- id: a1\n  kind: direct\n  medium: speech\n  source: unknown\n"
            "  content: [{block: p1, text: es sei gut}]\n"
            "quotes:\n- id: q1\n  attribution: a1\n  spans: [{block: p1, text: es sei gut}]\n"
        )
        (item,) = [a for a in ukrnews.to_ninjs(article)["associations"] if a["rel"] == "quote"]
        assert item["bodies"][0]["value"] == "es sei gut"
        assert "descriptions" not in item
        assert list(NINJS.iter_errors(ukrnews.to_ninjs(article))) == []

    # jsonschema checks each document in pure Python (slow); 100 articles of any Unicode
    # text still try every optional field many times.
    @settings(max_examples=100)
    @given(articles())
    def test_every_article_is_valid_ninjs(self, article: ukrnews.Article) -> None:
        """Any valid article, with any Unicode text, exports to valid ninjs, inventing nothing."""
        doc = ukrnews.to_ninjs(article)
        assert list(NINJS.iter_errors(doc)) == []
        _nothing_invented(doc, article)
        assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
        quotes = [a for a in doc.get("associations", []) if a.get("rel") == "quote"]
        assert [q["bodies"][0]["value"] for q in quotes] == [q.text for q in article.quotes]


class TestJsonLd:
    """`to_jsonld`: a schema.org NewsArticle with ImageObject, Quotation and mentions."""

    def test_bundled_article(self, bundled_article: ukrnews.Article) -> None:
        """The documented properties carry the article's values."""
        article = bundled_article
        doc = ukrnews.to_jsonld(article)
        assert doc["@context"] == "https://schema.org"
        assert doc["@type"] == "NewsArticle"
        assert doc["headline"] == article.headline
        assert doc["alternativeHeadline"] == "Ukraine-Krieg"
        assert doc["inLanguage"] == "de"
        assert doc["description"] == article.teaser
        assert doc["articleBody"].startswith("Russlands Präsident Wladimir Putin")
        assert doc["creditText"] == "DPA · Reuters"
        assert not {"datePublished", "url", "publisher", "author"} & set(doc)
        (image,) = doc["image"]
        assert image["@type"] == "ImageObject"
        assert image["caption"] == article.image_credits[0].caption
        assert (
            image["creditText"] == image["copyrightNotice"] == article.image_credits[0].credit_line
        )
        _nothing_invented(doc, article)

    def test_quotations(self, bundled_article: ukrnews.Article) -> None:
        """Quotes are Quotations with text and their speaker as creator."""
        quotations = ukrnews.to_jsonld(bundled_article)["hasPart"]
        assert [q["@type"] for q in quotations] == ["Quotation"] * 4
        assert quotations[3]["text"] == "Terror"
        assert quotations[0]["creator"] == {
            "@type": "Person",
            "@id": f"urn:ukrnews:article:{ARTICLE_ID}:entity:rutte",
            "name": "Mark Rutte",
            "jobTitle": "Generalsekretär",
        }

    def test_mentions(self, bundled_article: ukrnews.Article) -> None:
        """Every entity is mentioned, typed by its kind."""
        mentions = ukrnews.to_jsonld(bundled_article)["mentions"]
        types = {m["name"]: m["@type"] for m in mentions}
        assert types["Nato"] == "Organization"
        assert types["Brüssel"] == "Place"
        assert types["Wolodymyr Selenskyj"] == "Person"
        # A state or bloc is a region under a government, not a bare place.
        assert types["Russland"] == types["Ukraine"] == "AdministrativeArea"
        assert len(mentions) == len(bundled_article.entities)

    # Drawing an annotated article costs about 0.1 s; 100 give every kind of speaker many
    # times (the rule: a creator only for a known person or organisation).
    @settings(max_examples=100)
    @given(articles(annotated=True))
    def test_every_article(self, article: ukrnews.Article) -> None:
        """Every quote is a Quotation; a creator only for a known person or organisation."""
        doc = ukrnews.to_jsonld(article)
        assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
        parts = doc.get("hasPart", [])
        assert [p["text"] for p in parts] == [q.text for q in article.quotes]
        for part, quote in zip(parts, article.quotes, strict=True):
            speaker = quote.speaker
            known = speaker is not None and speaker.kind in CREATOR_KINDS
            assert ("creator" in part) == known
            if "creator" in part:
                assert part["creator"]["@type"] in {"Person", "Organization"}
        _nothing_invented(doc, article)


USER_ARTICLE = """\
id: user
language: en
published: 28 October 2024
url: https://example.org/news/1
publisher: Example Daily
headline: A headline
images:
- id: img
  caption: A caption
  credit_line: 'Photo: Jane Doe / ACME'
  parties:
  - entity: jane
    role: photographer
    mention: {block: img.credit_line, text: Jane Doe}
  - entity: acme
    role: copyright_holder
    mention: {block: img.credit_line, text: ACME}
body:
- id: p1
  kind: paragraph
  text: Text.
entities:
- id: jane
  kind: person
  name: Jane Doe
- id: acme
  kind: organisation
  name: ACME
"""


class TestWhatTheSourceGives:
    """Values a user's article gives are exported as given; roles map as documented."""

    def test_ninjs(self) -> None:
        """A photographer is `by`, a named holder is `copyrightHolder`; no © means no notice."""
        article = ukrnews.loads(USER_ARTICLE)
        doc = ukrnews.to_ninjs(article)
        assert list(NINJS.iter_errors(doc)) == []
        picture = doc["associations"][0]
        assert picture["by"] == "Jane Doe"
        assert picture["copyrightHolder"] == "ACME"
        assert "copyrightNotice" not in picture
        assert picture["infoSources"] == [
            {"name": "Jane Doe", "role": CPPROLE + "author", "literal": "jane"}
        ]
        # ninjs has no property that means "published" or "web page": nothing is forced in.
        assert "28 October 2024" not in json.dumps(doc)
        assert "https://example.org/news/1" not in json.dumps(doc)
        _nothing_invented(doc, article)

    def test_jsonld(self) -> None:
        """Date, URL and publisher appear verbatim; the named holder is an Organization."""
        article = ukrnews.loads(USER_ARTICLE)
        doc = ukrnews.to_jsonld(article)
        assert doc["datePublished"] == "28 October 2024"
        assert doc["url"] == "https://example.org/news/1"
        assert doc["publisher"] == {"@type": "Organization", "name": "Example Daily"}
        (image,) = doc["image"]
        assert image["creditText"] == "Photo: Jane Doe / ACME"
        assert "copyrightNotice" not in image
        assert image["copyrightHolder"] == [
            {"@type": "Organization", "@id": "urn:ukrnews:article:user:entity:acme", "name": "ACME"}
        ]
        _nothing_invented(doc, article)


class TestRows:
    """Flat rows for JSON Lines and CSV: one per quote or attribution, located in the text."""

    def test_quote_rows(self) -> None:
        """Four quotes, with the documented keys; q4 is the partial "Terror"."""
        rows = ukrnews.quote_rows(ukrnews.load())
        assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4"]
        assert all(tuple(r) == QUOTE_COLUMNS for r in rows)
        assert rows[3] == {
            "article": ARTICLE_ID,
            "id": "q4",
            "kind": "direct",
            "speaker": "Wolodymyr Selenskyj",
            "speaker_id": "selenskyj",
            "cue": "warnte",
            "text": "Terror",
            "partial": True,
            "attribution": "a17",
            "block": "p4",
            "start": 393,
            "end": 399,
            "spans": "p4[393:399]",
        }

    def test_attribution_rows(self, bundled_article: ukrnews.Article) -> None:
        """Seventeen attributions; unknown sources, parents and discontinuous content show."""
        rows = {r["id"]: r for r in ukrnews.attribution_rows(bundled_article)}
        assert len(rows) == 17
        assert all(tuple(r) == ATTRIBUTION_COLUMNS for r in rows.values())
        assert rows["a8"]["source"] is None
        assert rows["a8"]["parent"] == "a7"
        assert rows["a8"]["medium"] == "speech+writing"
        assert rows["a4"]["spans"] == "p1[0:99] p1[122:179]"
        assert rows["a5"]["place"] == "in Brüssel"
        assert str(rows["a9"]["evidence"]).startswith("Nato-Vertreter von einer")
        assert rows["a17"]["quotes"] == "q4"
        assert rows["a11"]["cue"] is None

    # A row's offsets are its first span's whatever the text says; drawing an annotated
    # article costs about 0.1 s, and 50 give hundreds of rows.
    @settings(max_examples=50)
    @given(articles(annotated=True))
    def test_rows_point_into_the_text(self, article: ukrnews.Article) -> None:
        """Each row's block, start and end slice its first span's text out of the block."""
        for rows, items in (
            (ukrnews.quote_rows(article), [q.spans for q in article.quotes]),
            (ukrnews.attribution_rows(article), [a.content for a in article.attributions]),
        ):
            assert len(rows) == len(items)
            for row, spans in zip(rows, items, strict=True):
                assert isinstance(row["block"], str)
                assert isinstance(row["start"], int)
                assert isinstance(row["end"], int)
                text = article.block(row["block"]).text[row["start"] : row["end"]]
                assert text == spans[0].text
                assert row["text"] == " ".join(s.text for s in spans)
