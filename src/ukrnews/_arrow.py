"""Typed Arrow tables: one explicit schema per table, never inferred (extra ``arrow``).

``articles`` has one row per article with its annotation as nested lists of structs;
the flat tables (``blocks``, ``entities``, ``mentions``, ``attributions``, ``spans``,
``quotes``, ``claims``, ``quantities``) have one row per thing, keyed by ``article_id``.
Rows are plain dicts built here without pyarrow, so workers that only parse can build
them cheaply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ._format import SPAN_KEYS
from ._model import Article, spans_text
from ._optional import require

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._model import Attribution, Claim, Corpus, Entity, ImageCredit, Quantity, Span

__all__ = ["ROLES", "TABLES", "arrow_schema", "empty_rows", "rows", "tables", "to_arrow"]

# The tables in the order they are written.
TABLES: Final = (
    "articles",
    "blocks",
    "entities",
    "mentions",
    "attributions",
    "spans",
    "quotes",
    "claims",
    "quantities",
)
# An attribution's roles as they are named in the ``spans`` table, with their attributes.
ROLES: Final = tuple((key.removesuffix("_mentions"), key) for key in SPAN_KEYS)

Rows = dict[str, list[dict[str, Any]]]


def _schemas(pa: Any) -> dict[str, Any]:
    string, offset = pa.string(), pa.int32()
    # A span's place and text: the fields of a span, and the last columns of a span's row.
    located = [
        pa.field("block", string, nullable=False),
        pa.field("start", offset, nullable=False),
        pa.field("end", offset, nullable=False),
        pa.field("text", string, nullable=False),
    ]
    span = pa.struct(located)
    spans = pa.list_(pa.field("item", span, nullable=False))
    names = pa.list_(pa.field("item", string, nullable=False))
    external_id = pa.struct(
        [pa.field(k, string, nullable=False) for k in ("scheme", "value", "verified_by")]
    )

    def req(name: str, kind: Any) -> Any:
        return pa.field(name, kind, nullable=False)

    def opt(name: str, kind: Any = string) -> Any:
        return pa.field(name, kind)

    def items(kind: Any) -> Any:
        return pa.list_(pa.field("item", kind, nullable=False))

    entity = pa.struct(
        [
            req("id", string),
            req("kind", string),
            req("name", string),
            opt("title"),
            req("mentions", spans),
            req("external_ids", items(external_id)),
        ]
    )
    attribution = pa.struct(
        [
            req("id", string),
            req("kind", string),
            req("medium", names),
            opt("source"),
            opt("parent"),
            *(req(attr, spans) for _, attr in ROLES),
        ]
    )
    quote = pa.struct(
        [
            req("id", string),
            req("attribution", string),
            req("partial", pa.bool_()),
            req("spans", spans),
        ]
    )
    quantity = pa.struct(
        [
            req("value", pa.float64()),
            req("bound", string),
            opt("unit"),
            req("span", span),
            req("measure", spans),
        ]
    )
    claim = pa.struct(
        [
            req("id", string),
            opt("attribution"),
            req("spans", spans),
            req("quantities", items(quantity)),
        ]
    )
    party = pa.struct([req("entity", string), req("role", string), req("mention", span)])
    provenance = pa.struct(
        [req("statement", spans), opt("released_by"), opt("state_run", pa.bool_())]
    )
    image = pa.struct(
        [
            req("id", string),
            req("credit_block", string),
            opt("title_block"),
            opt("caption_block"),
            req("credit_line", string),
            opt("title"),
            opt("caption"),
            req("parties", items(party)),
            opt("provenance", provenance),
        ]
    )
    block = pa.struct([req("id", string), req("role", string), req("text", string)])
    excluded = pa.struct([req("text", string), req("reason", string)])
    source_file = pa.struct([req("file", string), req("sha256", string)])
    key = req("article_id", string)
    return {
        "articles": pa.schema(
            [
                key,
                req("language", string),
                opt("kicker"),
                req("headline", string),
                opt("teaser"),
                opt("agency_line"),
                req("agencies", names),
                opt("author_code"),
                opt("published"),
                opt("url"),
                opt("publisher"),
                opt("source_file", source_file),
                req("blocks", items(block)),
                req("excluded", items(excluded)),
                req("image_credits", items(image)),
                req("entities", items(entity)),
                req("attributions", items(attribution)),
                req("quotes", items(quote)),
                req("claims", items(claim)),
            ]
        ),
        "blocks": pa.schema(
            [
                key,
                req("block_id", string),
                req("position", offset),
                req("role", string),
                req("text", string),
            ]
        ),
        "entities": pa.schema(
            [
                key,
                req("entity_id", string),
                req("kind", string),
                req("name", string),
                opt("title"),
                req("mentions", offset),
                req("external_ids", items(external_id)),
            ]
        ),
        "mentions": pa.schema(
            [
                key,
                req("entity_id", string),
                req("entity_kind", string),
                req("position", offset),
                *located,
            ]
        ),
        "attributions": pa.schema(
            [
                key,
                req("attribution_id", string),
                req("kind", string),
                req("medium", names),
                opt("source_id"),
                opt("source_name"),
                opt("parent_id"),
                opt("cue"),
                req("content", string),
                req("quotes", names),
            ]
        ),
        "spans": pa.schema(
            [
                key,
                req("attribution_id", string),
                req("role", string),
                req("position", offset),
                *located,
            ]
        ),
        "quotes": pa.schema(
            [
                key,
                req("quote_id", string),
                req("attribution_id", string),
                req("kind", string),
                opt("speaker_id"),
                opt("speaker_name"),
                opt("cue"),
                req("partial", pa.bool_()),
                req("text", string),
                req("spans", spans),
            ]
        ),
        "claims": pa.schema(
            [
                key,
                req("claim_id", string),
                opt("attribution_id"),
                opt("claimant_id"),
                opt("claimant_name"),
                req("text", string),
                req("spans", spans),
                req("quantities", offset),
            ]
        ),
        "quantities": pa.schema(
            [
                key,
                req("claim_id", string),
                req("position", offset),
                req("value", pa.float64()),
                req("bound", string),
                opt("unit"),
                req("measure", string),
                *located,
            ]
        ),
    }


def arrow_schema() -> dict[str, Any]:
    """The explicit ``pyarrow.Schema`` of each table, by table name (needs ``pyarrow``)."""
    return _schemas(require("pyarrow", "arrow"))


# -- rows: plain data, one list per table --------------------------------------------


def _span(span: Span) -> dict[str, Any]:
    return {"block": span.block.id, "start": span.start, "end": span.end, "text": span.text}


def _spans(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [_span(s) for s in spans]


def _id(entity: Entity | None) -> str | None:
    return None if entity is None else entity.id


def _named(key: str, entity: Entity | None) -> dict[str, str | None]:
    """Who (source, speaker, claimant) as two columns: ``key_id`` and ``key_name``."""
    return {f"{key}_id": _id(entity), f"{key}_name": None if entity is None else entity.name}


def _text(spans: tuple[Span, ...]) -> str | None:
    return spans_text(spans) if spans else None


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "kind": entity.kind.value,
        "name": entity.name,
        "title": entity.title,
        "mentions": _spans(entity.mentions),
        "external_ids": [
            {"scheme": x.scheme, "value": x.value, "verified_by": x.verified_by}
            for x in entity.external_ids
        ],
    }


def _attribution(a: Attribution) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind.value,
        "medium": list(a.medium.names),
        "source": _id(a.source),
        "parent": None if a.parent is None else a.parent.id,
        **{attr: _spans(getattr(a, attr)) for _, attr in ROLES},
    }


def _image(credit: ImageCredit) -> dict[str, Any]:
    prov = credit.provenance
    return {
        "id": credit.id,
        "credit_block": credit.credit_block.id,
        "title_block": None if credit.title_block is None else credit.title_block.id,
        "caption_block": None if credit.caption_block is None else credit.caption_block.id,
        "credit_line": credit.credit_line,
        "title": credit.title,
        "caption": credit.caption,
        "parties": [
            {"entity": p.entity.id, "role": p.role.value, "mention": _span(p.mention)}
            for p in credit.parties
        ],
        "provenance": None
        if prov is None
        else {
            "statement": _spans(prov.statement),
            "released_by": _id(prov.released_by),
            "state_run": prov.state_run,
        },
    }


def _quantity(q: Quantity) -> dict[str, Any]:
    return {
        "value": float(q.value),
        "bound": q.bound.value,
        "unit": q.unit,
        "span": _span(q.span),
        "measure": _spans(q.measure),
    }


def _claim(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "attribution": None if c.attribution is None else c.attribution.id,
        "spans": _spans(c.spans),
        "quantities": [_quantity(q) for q in c.quantities],
    }


def _article(article: Article) -> dict[str, Any]:
    source = article.source_file
    return {
        "article_id": article.id,
        "language": article.language,
        "kicker": article.kicker,
        "headline": article.headline,
        "teaser": article.teaser,
        "agency_line": article.agency_line,
        "agencies": list(article.agencies),
        "author_code": article.author_code,
        "published": article.published,
        "url": article.url,
        "publisher": article.publisher,
        "source_file": None if source is None else {"file": source.file, "sha256": source.sha256},
        "blocks": [{"id": b.id, "role": b.role.value, "text": b.text} for b in article.blocks],
        "excluded": [{"text": e.text, "reason": e.reason} for e in article.excluded],
        "image_credits": [_image(c) for c in article.image_credits],
        "entities": [_entity(e) for e in article.entities],
        "attributions": [_attribution(a) for a in article.attributions],
        "quotes": [
            {
                "id": q.id,
                "attribution": q.attribution.id,
                "partial": q.partial,
                "spans": _spans(q.spans),
            }
            for q in article.quotes
        ],
        "claims": [_claim(c) for c in article.claims],
    }


def empty_rows() -> Rows:
    """No rows yet, for every table."""
    return {name: [] for name in TABLES}


def rows(article: Article, into: Rows | None = None) -> Rows:
    """The article's rows for every table, appended to ``into`` (or to new lists)."""
    out = empty_rows() if into is None else into
    key = article.id
    out["articles"].append(_article(article))
    out["blocks"].extend(
        {"article_id": key, "block_id": b.id, "position": i, "role": b.role.value, "text": b.text}
        for i, b in enumerate(article.blocks)
    )
    for e in article.entities:
        out["entities"].append(
            {
                "article_id": key,
                "entity_id": e.id,
                "kind": e.kind.value,
                "name": e.name,
                "title": e.title,
                "mentions": len(e.mentions),
                "external_ids": _entity(e)["external_ids"],
            }
        )
        out["mentions"].extend(
            {"article_id": key, "entity_id": e.id, "entity_kind": e.kind.value, "position": i}
            | _span(s)
            for i, s in enumerate(e.mentions)
        )
    quotes: dict[str, list[str]] = {}
    for q in article.quotes:
        quotes.setdefault(q.attribution.id, []).append(q.id)
    for a in article.attributions:
        out["attributions"].append(
            {
                "article_id": key,
                "attribution_id": a.id,
                "kind": a.kind.value,
                "medium": list(a.medium.names),
                **_named("source", a.source),
                "parent_id": None if a.parent is None else a.parent.id,
                "cue": _text(a.cue),
                "content": a.text,
                "quotes": quotes.get(a.id, []),
            }
        )
        out["spans"].extend(
            {"article_id": key, "attribution_id": a.id, "role": role, "position": i} | _span(s)
            for role, attr in ROLES
            for i, s in enumerate(getattr(a, attr))
        )
    for q in article.quotes:
        out["quotes"].append(
            {
                "article_id": key,
                "quote_id": q.id,
                "attribution_id": q.attribution.id,
                "kind": q.kind.value,
                **_named("speaker", q.speaker),
                "cue": _text(q.cue),
                "partial": q.partial,
                "text": q.text,
                "spans": _spans(q.spans),
            }
        )
    for c in article.claims:
        out["claims"].append(
            {
                "article_id": key,
                "claim_id": c.id,
                "attribution_id": None if c.attribution is None else c.attribution.id,
                **_named("claimant", c.claimant),
                "text": c.text,
                "spans": _spans(c.spans),
                "quantities": len(c.quantities),
            }
        )
        out["quantities"].extend(
            {
                "article_id": key,
                "claim_id": c.id,
                "position": i,
                "value": float(q.value),
                "bound": q.bound.value,
                "unit": q.unit,
                "measure": " ".join(s.text for s in q.measure),
            }
            | _span(q.span)
            for i, q in enumerate(c.quantities)
        )
    return out


def tables(articles: Iterable[Article]) -> dict[str, Any]:
    """Every table of these articles as a ``pyarrow.Table`` of its explicit schema, by name."""
    pa = require("pyarrow", "arrow")
    schemas = _schemas(pa)
    out = empty_rows()
    for article in articles:
        rows(article, out)
    return {name: pa.Table.from_pylist(out[name], schema=schemas[name]) for name in TABLES}


def to_arrow(corpus: Corpus | Article) -> dict[str, Any]:
    """Every table of the corpus (or of one article) as a ``pyarrow.Table``, by name."""
    return tables((corpus,) if isinstance(corpus, Article) else corpus.articles)
