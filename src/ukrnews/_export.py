"""Exports: IPTC ninjs 3.2, schema.org JSON-LD, plain JSON, and flat rows for JSONL and CSV.

Every value comes from the article; nothing is invented.  Identifiers that the
formats require are URNs built from our own ids (``urn:ukrnews:article:<id>``),
in an informal namespace that names things in this dataset and resolves nowhere.
The field-by-field mapping is in ``docs/exports.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ._dump import article_to_data
from ._format import ROLE_KEYS
from ._model import Article, Bound, Corpus, EntityKind, PartyRole, spans_text

if TYPE_CHECKING:
    from ._model import Attribution, Claim, Entity, ImageCredit, Quantity, Quote, Span

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "CLAIM_COLUMNS",
    "NINJS_SCHEMA",
    "QUANTITY_COLUMNS",
    "QUOTE_COLUMNS",
    "Row",
    "attribution_rows",
    "claim_rows",
    "quantity_rows",
    "quote_rows",
    "to_json",
    "to_jsonld",
    "to_ninjs",
    "urn",
]

NINJS_SCHEMA: Final = "http://www.iptc.org/std/ninjs/ninjs-schema_3.2.json#"
# IPTC Content Production Party Role NewsCodes (the successor of infosourcerole).
_CPPROLE: Final = "http://cv.iptc.org/newscodes/contentprodpartyrole/"
_AGENCY_ROLE: Final = _CPPROLE + "contentSource"
_PARTY_ROLES: Final = {
    PartyRole.ORIGINATING_AGENCY: _CPPROLE + "origcont",
    PartyRole.DISTRIBUTING_AGENCY: _CPPROLE + "distributor",
    PartyRole.PHOTOGRAPHER: _CPPROLE + "author",
}
# ninjs has no list for states: they are "named locations", as places are.
_NINJS_ENTITY_LISTS: Final = {
    EntityKind.PERSON: "people",
    EntityKind.ORGANISATION: "organisations",
    EntityKind.PLACE: "places",
    EntityKind.GEOPOLITICAL: "places",
}
# schema.org: a region under a government (Country, State, City are its subtypes).
_SCHEMA_ORG_TYPES: Final = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANISATION: "Organization",
    EntityKind.PLACE: "Place",
    EntityKind.GEOPOLITICAL: "AdministrativeArea",
}
# schema.org's `creator` takes a Person or an Organization only.
_CREATORS: Final = frozenset({EntityKind.PERSON, EntityKind.ORGANISATION})

Row = dict[str, str | int | float | bool | None]

QUOTE_COLUMNS: Final = (
    "article",
    "id",
    "kind",
    "speaker",
    "speaker_id",
    "cue",
    "text",
    "partial",
    "attribution",
    "block",
    "start",
    "end",
    "spans",
)
ATTRIBUTION_COLUMNS: Final = (
    "article",
    "id",
    "kind",
    "medium",
    "source",
    "source_id",
    "cue",
    "text",
    "parent",
    "quotes",
    "addressee",
    "evidence",
    "place",
    "block",
    "start",
    "end",
    "spans",
)

CLAIM_COLUMNS: Final = (
    "article",
    "id",
    "claimant",
    "claimant_id",
    "attribution",
    "kind",
    "text",
    "quantities",
    "block",
    "start",
    "end",
    "spans",
)
QUANTITY_COLUMNS: Final = (
    "article",
    "claim",
    "claimant",
    "claimant_id",
    "value",
    "bound",
    "unit",
    "measure",
    "text",
    "block",
    "start",
    "end",
    "spans",
)
# Which of QuantitativeValue's properties carries a quantity's value, by its bound.
_BOUND_PROPERTY: Final = {
    Bound.EXACT: "value",
    Bound.ABOUT: "value",
    Bound.AT_LEAST: "minValue",
    Bound.MORE_THAN: "minValue",
    Bound.AT_MOST: "maxValue",
    Bound.LESS_THAN: "maxValue",
}


def urn(article: Article, *parts: str) -> str:
    """Our URN for the article, or for one of its parts (``urn(a, "quote", "q1")``)."""
    return ":".join(("urn:ukrnews:article", article.id, *parts))


def _body_text(article: Article) -> str:
    return "\n\n".join(b.text for b in article.body)


def _copyright_holder(credit: ImageCredit) -> str | None:
    """Who the credit line says holds the copyright: named holders, else the text after ©."""
    named = [p.entity.name for p in credit.parties if p.role is PartyRole.COPYRIGHT_HOLDER]
    if named:
        return " / ".join(named)
    if credit.has_copyright_sign:
        return credit.credit_line.split("©", 1)[1].strip() or None
    return None


# -- ninjs ---------------------------------------------------------------------


def _ninjs_picture(article: Article, credit: ImageCredit) -> dict[str, Any]:
    picture: dict[str, Any] = {
        "name": credit.id,
        "uri": urn(article, "image", credit.id),
        "type": "picture",
        "representationType": "partial",  # its metadata only: the image is not in the dataset
    }
    if credit.title is not None:
        picture["headlines"] = [{"role": "main", "value": credit.title}]
    descriptions = [{"role": "caption", "value": credit.caption}] if credit.caption else []
    picture["descriptions"] = [*descriptions, {"role": "creditline", "value": credit.credit_line}]
    photographers = [p.entity.name for p in credit.parties if p.role is PartyRole.PHOTOGRAPHER]
    if photographers:
        picture["by"] = " / ".join(photographers)
    holder = _copyright_holder(credit)
    if holder is not None:
        picture["copyrightHolder"] = holder
    if credit.has_copyright_sign:
        picture["copyrightNotice"] = credit.credit_line
    sources = [
        {"name": p.entity.name, "role": _PARTY_ROLES[p.role], "literal": p.entity.id}
        for p in credit.parties
        if p.role in _PARTY_ROLES
    ]
    if sources:
        picture["infoSources"] = sources
    return picture


def _ninjs_entity(entity: Entity, rel: str) -> dict[str, Any]:
    """An entity as ninjs names it in its people, organisations or places list."""
    return {"name": entity.name, "rel": rel, "literal": entity.id}


def _ninjs_text(article: Article, rel: str, ident: str, text: str) -> dict[str, Any]:
    """A quote or claim (``rel``) as a ninjs text association."""
    return {
        "name": ident,
        "uri": urn(article, rel, ident),
        "type": "text",
        "rel": rel,
        "language": article.language,
        "bodies": [{"role": rel, "contentType": "text/plain", "value": text}],
    }


def _said_by(item: dict[str, Any], rel: str, entity: Entity | None) -> dict[str, Any]:
    """The item with who said it (speaker, claimant), if known, in the list for its kind."""
    if entity is not None:
        item[_NINJS_ENTITY_LISTS[entity.kind]] = [_ninjs_entity(entity, rel)]
    return item


def _ninjs_quote(article: Article, quote: Quote) -> dict[str, Any]:
    item = _ninjs_text(article, "quote", quote.id, quote.text)
    cue = quote.attribution.cue_text
    if cue:
        item["descriptions"] = [{"role": "cue", "value": cue}]
    return _said_by(item, "speaker", quote.speaker)


def _ninjs_claim(article: Article, claim: Claim) -> dict[str, Any]:
    return _said_by(_ninjs_text(article, "claim", claim.id, claim.text), "claimant", claim.claimant)


def to_ninjs(article: Article) -> dict[str, Any]:
    """The article as an IPTC ninjs 3.2 news item (valid against the official schema)."""
    doc: dict[str, Any] = {
        "uri": urn(article),
        "standard": {"name": "ninjs", "version": "3.2", "schema": NINJS_SCHEMA},
        "type": "text",
        "language": article.language,
        "headlines": [{"role": "main", "value": article.headline}],
    }
    if article.kicker is not None:
        doc["headlines"].append({"role": "kicker", "value": article.kicker})
    if article.teaser is not None:
        doc["descriptions"] = [{"role": "teaser", "value": article.teaser}]
    doc["bodies"] = [{"role": "main", "contentType": "text/plain", "value": _body_text(article)}]
    if article.author_code is not None:
        doc["by"] = article.author_code
    if article.agencies:
        doc["infoSources"] = [{"name": name, "role": _AGENCY_ROLE} for name in article.agencies]
    for entity in article.entities:
        doc.setdefault(_NINJS_ENTITY_LISTS[entity.kind], []).append(
            _ninjs_entity(entity, "mentions")
        )
    associations = [_ninjs_picture(article, c) for c in article.image_credits]
    associations += [_ninjs_quote(article, q) for q in article.quotes]
    associations += [_ninjs_claim(article, c) for c in article.claims]
    if associations:
        doc["associations"] = associations
    return doc


# -- schema.org JSON-LD ----------------------------------------------------------


def _thing(article: Article, entity: Entity) -> dict[str, Any]:
    thing: dict[str, Any] = {
        "@type": _SCHEMA_ORG_TYPES[entity.kind],
        "@id": urn(article, "entity", entity.id),
        "name": entity.name,
    }
    if entity.title is not None and entity.kind is EntityKind.PERSON:
        thing["jobTitle"] = entity.title
    if entity.external_ids:
        thing["identifier"] = [
            {"@type": "PropertyValue", "propertyID": x.scheme, "value": x.value}
            for x in entity.external_ids
        ]
    return thing


def _image_object(article: Article, credit: ImageCredit) -> dict[str, Any]:
    image: dict[str, Any] = {"@type": "ImageObject", "@id": urn(article, "image", credit.id)}
    if credit.title is not None:
        image["name"] = credit.title
    if credit.caption is not None:
        image["caption"] = credit.caption
    image["creditText"] = credit.credit_line
    if credit.has_copyright_sign:
        image["copyrightNotice"] = credit.credit_line
    named = [p.entity for p in credit.parties if p.role is PartyRole.COPYRIGHT_HOLDER]
    holder = _copyright_holder(credit)
    if named:
        image["copyrightHolder"] = [_thing(article, e) for e in named]
    elif holder is not None:
        image["copyrightHolder"] = holder  # schema.org accepts text where it expects a thing
    return image


def _quotation(article: Article, quote: Quote) -> dict[str, Any]:
    quotation: dict[str, Any] = {
        "@type": "Quotation",
        "@id": urn(article, "quote", quote.id),
        "text": quote.text,
    }
    speaker = quote.speaker
    if speaker is not None and speaker.kind in _CREATORS:
        quotation["creator"] = _thing(article, speaker)
    return quotation


def _observation(quantity: Quantity) -> dict[str, Any]:
    """A quantity as a schema.org Observation (a QuantitativeValue), its words kept."""
    observation: dict[str, Any] = {
        "@type": "Observation",
        "variableMeasured": quantity.measure.text,
        _BOUND_PROPERTY[quantity.bound]: quantity.value,
        "description": quantity.text,
        "additionalProperty": {
            "@type": "PropertyValue",
            "name": "bound",
            "value": quantity.bound.value,
        },
    }
    if quantity.unit is not None:
        observation["unitText"] = quantity.unit
    return observation


def _claim(article: Article, claim: Claim) -> dict[str, Any]:
    """A claim as a schema.org Claim that appears in the article; never a review or rating."""
    node: dict[str, Any] = {
        "@type": "Claim",
        "@id": urn(article, "claim", claim.id),
        "text": claim.text,
        "appearance": {"@id": urn(article)},
    }
    claimant = claim.claimant
    if claimant is not None and claimant.kind in _CREATORS:
        node["author"] = _thing(article, claimant)  # schema.org's author: a person or organisation
    if claim.quantities:
        node["about"] = [_observation(q) for q in claim.quantities]
    return node


def to_jsonld(article: Article) -> dict[str, Any]:
    """The article as a schema.org ``NewsArticle`` in JSON-LD, its quotes as ``Quotation``."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": urn(article),
        "identifier": article.id,
        "inLanguage": article.language,
        "headline": article.headline,
    }
    if article.kicker is not None:
        doc["alternativeHeadline"] = article.kicker
    if article.teaser is not None:
        doc["description"] = article.teaser
    doc["articleBody"] = _body_text(article)
    given = {"datePublished": article.published, "url": article.url}
    doc |= {key: value for key, value in given.items() if value is not None}
    if article.agency_line is not None:
        doc["creditText"] = article.agency_line
    if article.publisher is not None:
        doc["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.image_credits:
        doc["image"] = [_image_object(article, c) for c in article.image_credits]
    if article.quotes:
        doc["hasPart"] = [_quotation(article, q) for q in article.quotes]
    if article.entities:
        doc["mentions"] = [_thing(article, e) for e in article.entities]
    if article.claims:
        # Each Claim's `appearance` is this article; JSON-LD's @reverse nests them here.
        doc["@reverse"] = {"appearance": [_claim(article, c) for c in article.claims]}
    return doc


# -- JSON and rows -----------------------------------------------------------------


# Every optional key of the JSON export with its value when absent, per object of the
# tree, so that each record has one shape (``pyarrow.json`` and ``datasets`` need that).
_ABSENT: Final[dict[str, dict[str, Any]]] = {
    "article": {
        "source_file": None,
        "published": None,
        "url": None,
        "publisher": None,
        "kicker": None,
        "images": [],
        "teaser": None,
        "agency_line": None,
        "agencies": [],
        "author_code": None,
        "excluded": [],
        "entities": [],
        "attributions": [],
        "quotes": [],
        "claims": [],  # a new optional list is added here, absent as []
    },
    "images": {"title": None, "caption": None, "parties": [], "provenance": None},
    "provenance": {"released_by": None, "state_run": None},
    "entities": {"title": None, "mentions": [], "external_ids": []},
    "attributions": {"parent": None, **{key: [] for key in ROLE_KEYS}},
    "quotes": {"partial": False},
    "claims": {"attribution": None, "quantities": []},
    "quantities": {"unit": None},
}


def _filled(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """``data`` with its absent optional keys added, in the order `_ABSENT` gives."""
    return {**data, **{k: v for k, v in _ABSENT[kind].items() if k not in data}}


def to_json(article: Article) -> dict[str, Any]:
    """The article as plain JSON data in one stable shape, for typed readers.

    It is the YAML tree with every optional key present (None, [] or false when
    absent) and ``medium`` always a list of names.
    """
    data = _filled(article_to_data(article), "article")
    for key in ("entities", "quotes"):
        data[key] = [_filled(item, key) for item in data[key]]
    data["attributions"] = [
        _filled(a, "attributions") | {"medium": list(x.medium.names)}
        for a, x in zip(data["attributions"], article.attributions, strict=True)
    ]
    images = [_filled(image, "images") for image in data["images"]]
    for image in images:
        if image["provenance"] is not None:
            image["provenance"] = _filled(image["provenance"], "provenance")
    data["images"] = images
    data["claims"] = [
        _filled(c, "claims")
        | {
            "quantities": [
                _filled(q, "quantities") | {"value": quantity.value}  # a number, never text
                for q, quantity in zip(c.get("quantities", []), claim.quantities, strict=True)
            ]
        }
        for c, claim in zip(data["claims"], article.claims, strict=True)
    ]
    return data


def _articles(source: Corpus | Article) -> tuple[Article, ...]:
    return (source,) if isinstance(source, Article) else source.articles


def _where(spans: tuple[Span, ...]) -> Row:
    first = spans[0] if spans else None
    return {
        "block": None if first is None else first.block.id,
        "start": None if first is None else first.start,
        "end": None if first is None else first.end,
        "spans": " ".join(f"{s.block.id}[{s.start}:{s.end}]" for s in spans),
    }


def _text_or_none(spans: tuple[Span, ...]) -> str | None:
    return spans_text(spans) if spans else None


def quote_rows(source: Corpus | Article) -> list[Row]:
    """One flat row per quote (keys `QUOTE_COLUMNS`), for JSON Lines, CSV and tables.

    ``block``, ``start`` and ``end`` locate the first span; ``spans`` lists all of them.
    """
    rows: list[Row] = []
    for article in _articles(source):
        for q in article.quotes:
            row: Row = {
                "article": article.id,
                "id": q.id,
                "kind": q.kind.value,
                **_named("speaker", q.speaker),
                "cue": q.attribution.cue_text or None,
                "text": q.text,
                "partial": q.partial,
                "attribution": q.attribution.id,
            }
            rows.append(row | _where(q.spans))
    return rows


def _attribution_row(article: Article, a: Attribution) -> Row:
    row: Row = {
        "article": article.id,
        "id": a.id,
        "kind": a.kind.value,
        "medium": "+".join(a.medium.names),
        **_named("source", a.source),
        "cue": a.cue_text or None,
        "text": a.text,
        "parent": None if a.parent is None else a.parent.id,
        "quotes": " ".join(q.id for q in a.quotes) or None,
        "addressee": _text_or_none(a.addressee),
        "evidence": _text_or_none(a.evidence),
        "place": _text_or_none(a.place),
    }
    return row | _where(a.content)


def attribution_rows(source: Corpus | Article) -> list[Row]:
    """One flat row per attribution (keys `ATTRIBUTION_COLUMNS`); locations are of the content."""
    return [_attribution_row(a, x) for a in _articles(source) for x in a.attributions]


def _quantities_text(claim: Claim) -> str | None:
    """The claim's quantities for one cell: "more_than 600000; exact 12 Prozent"."""
    cells = [
        f"{q.bound.value} {q.value}" + (f" {q.unit}" if q.unit is not None else "")
        for q in claim.quantities
    ]
    return "; ".join(cells) or None


def _named(key: str, entity: Entity | None) -> Row:
    """Who (speaker, source, claimant) as two cells: ``key`` the name, ``key_id`` the id."""
    return {
        key: None if entity is None else entity.name,
        f"{key}_id": None if entity is None else entity.id,
    }


def claim_rows(source: Corpus | Article) -> list[Row]:
    """One flat row per claim (keys `CLAIM_COLUMNS`); the newsroom's own claims have no claimant.

    ``quantities`` summarises them ("more_than 600000"); `quantity_rows` has each in full.
    """
    rows: list[Row] = []
    for article in _articles(source):
        for c in article.claims:
            row: Row = {"article": article.id, "id": c.id, **_named("claimant", c.claimant)}
            row |= {
                "attribution": None if c.attribution is None else c.attribution.id,
                "kind": None if c.attribution is None else c.attribution.kind.value,
                "text": c.text,
                "quantities": _quantities_text(c),
            }
            rows.append(row | _where(c.spans))
    return rows


def quantity_rows(source: Corpus | Article) -> list[Row]:
    """One flat row per quantity of every claim (keys `QUANTITY_COLUMNS`), located at its words."""
    rows: list[Row] = []
    for article in _articles(source):
        for c in article.claims:
            for q in c.quantities:
                row: Row = {"article": article.id, "claim": c.id, **_named("claimant", c.claimant)}
                row |= {
                    "value": q.value,
                    "bound": q.bound.value,
                    "unit": q.unit,
                    "measure": q.measure.text,
                    "text": q.text,
                }
                rows.append(row | _where((q.span,)))
    return rows
