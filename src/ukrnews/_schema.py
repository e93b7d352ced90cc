"""The JSON Schema (draft 2020-12) of the YAML article format, built from `_format`.

Keys, required keys, patterns, enum values and reserved ids come from `_format`, the
module the loader reads too, so the schema cannot drift from the loader; this module
only adds each key's type and description.
"""

from __future__ import annotations

import json
from typing import Any, Final

from ._format import (
    ATTRIBUTION_KINDS,
    BLOCK_REF,
    BODY_KINDS,
    BOUNDS,
    ENTITY_KINDS,
    FLAGS,
    FORMAT,
    ID,
    KEYS,
    LANGUAGE,
    MEDIA,
    NUMBER,
    OFFSET,
    PARTY_ROLES,
    RESERVED_BLOCK_IDS,
    SHA256,
    UNKNOWN_SOURCE,
    anchored,
)

__all__ = ["CROSS_FIELD_RULES", "json_schema", "schema_text"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: What the loader checks beyond structure; JSON Schema cannot express these.
CROSS_FIELD_RULES: Final = (
    (
        "A span's text must equal its block's text from start to end (code points, end"
        " exclusive); without start and end, the text must occur exactly once in the block."
    ),
    (
        "A span's block must be a block of the same article: a body id, kicker, headline,"
        " teaser, agency_line, author_code, or an image id followed by .title, .caption or"
        " .credit_line."
    ),
    (
        "Block ids are unique in an article, and so are the ids of images, entities,"
        " attributions and quotes within their lists."
    ),
    (
        "A body block id must not be a reserved id (kicker, headline, teaser, agency_line,"
        " author_code); an entity id must not be 'unknown'."
    ),
    (
        "An attribution's source, a party's entity and a provenance's released_by must name"
        " an entity of the article; a source may instead be 'unknown'."
    ),
    (
        "An attribution's parent and a quote's attribution must name an attribution of the"
        " article, and parents must not form a cycle."
    ),
    (
        "A nested attribution's content lies inside its parent's content, and a quote's spans"
        " lie inside its attribution's content."
    ),
    (
        "A party's mention lies in its image's credit_line; a provenance statement lies in its"
        " image's caption."
    ),
    "Every agency occurs in the agency_line, so agencies need an agency_line.",
    "An entity's title occurs (ignoring case) in one of its mentions.",
    "An entity lists each mention once; mentions may nest and overlap.",
    "Article ids are unique across the files of a corpus.",
    (
        "A claim's attribution must name an attribution of the article, and the claim's spans"
        " lie inside that attribution's content."
    ),
    (
        "A quantity's span and measure lie inside its claim's spans, its unit occurs (ignoring"
        " case) in the claim's words, and its value and bound are what its words read as by"
        ' the number rule of docs/annotation.md ("Mehr als 600.000": 600000, more_than).'
    ),
)

_MEDIA = list(MEDIA)


def _ref(name: str, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
    if description:
        schema["description"] = description
    return schema


def _list(item: dict[str, Any], description: str, *, min_items: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": item, "description": description}
    if min_items:
        schema["minItems"] = min_items
    return schema


def _text(description: str) -> dict[str, Any]:
    return _ref("text", description)


def _spans(description: str, *, min_items: int = 0) -> dict[str, Any]:
    return _list(_ref("span"), description, min_items=min_items)


# Each mapping's value types, by the same names as `_format.KEYS`.
_FIELDS: Final[dict[str, dict[str, dict[str, Any]]]] = {
    "article": {
        "format": {
            "enum": [FORMAT, int(FORMAT)],
            "description": f"The version of this format: '{FORMAT}'.",
        },
        "id": _ref("id", "The article's id, unique in its corpus."),
        "language": {
            "type": "string",
            "pattern": anchored(LANGUAGE),
            "description": "The article's language as a BCP 47 tag, e.g. 'de'.",
        },
        "source_file": _ref("source_file"),
        "published": _text("The publication date as the source gives it; leave out if not."),
        "url": _text("The article's URL as the source gives it; leave out if not."),
        "publisher": _text("The publisher as the source gives it; leave out if not."),
        "kicker": _text("The kicker above the headline (block id 'kicker')."),
        "headline": _text("The headline (block id 'headline')."),
        "images": _list(_ref("image"), "The article's images, in reading order."),
        "teaser": _text("The teaser under the headline (block id 'teaser')."),
        "body": _list(_ref("block"), "Paragraphs and subheadings in order.", min_items=1),
        "agency_line": _text("The agency credit as printed (block id 'agency_line')."),
        "agencies": _list(_text("An agency named in the agency_line."), "The agencies."),
        "author_code": _text("The author's code as printed (block id 'author_code')."),
        "excluded": _list(_ref("excluded"), "Source text that is not the article."),
        "entities": _list(
            _ref("entity"), "People, organisations, geopolitical entities and places."
        ),
        "attributions": _list(_ref("attribution"), "Who said, wrote or thinks what."),
        "quotes": _list(_ref("quote"), "Verbatim quoted words, each in an attribution."),
        "claims": _list(_ref("claim"), "Checkable statements, with their quantities."),
    },
    "source_file": {
        "file": _text("The source file's name in ukrnews/data/sources."),
        "sha256": {"type": "string", "pattern": anchored(SHA256)},
    },
    "image": {
        "id": _ref("id", "The image's id; its blocks are <id>.title, .caption, .credit_line."),
        "title": _text("The image's title (block <id>.title)."),
        "caption": _text("The caption (block <id>.caption)."),
        "credit_line": _text("The credit line verbatim (block <id>.credit_line)."),
        "parties": _list(_ref("party"), "Parties the credit line names."),
        "provenance": _ref("provenance"),
    },
    "party": {
        "entity": _ref("id", "The entity's id."),
        "role": {"enum": list(PARTY_ROLES)},
        "mention": _ref("span", "Where the credit line names the party."),
    },
    "provenance": {
        "statement": _spans("What the caption says of the photo's origin.", min_items=1),
        "released_by": _ref("id", "The entity that released the photo."),
        "state_run": _ref("flag", "Whether the caption says the releaser is state-run."),
    },
    "block": {
        "id": {
            "allOf": [_ref("id"), {"not": {"enum": sorted(RESERVED_BLOCK_IDS)}}],
            "description": "The block's id (not a reserved one).",
        },
        "kind": {"enum": list(BODY_KINDS)},
        "text": _text("The block's text, exactly as in the source."),
    },
    "excluded": {
        "text": _text("The excluded text, verbatim."),
        "reason": _text("Why it is not part of the article."),
    },
    "entity": {
        "id": {
            "allOf": [_ref("id"), {"not": {"const": UNKNOWN_SOURCE}}],
            "description": "The entity's id ('unknown' is reserved).",
        },
        "kind": {
            "enum": list(ENTITY_KINDS),
            "description": "geopolitical: a state or bloc of states; place: a place only.",
        },
        "name": _text("The canonical name."),
        "title": _text("The role or title as the text gives it."),
        "mentions": _spans("Every mention: names, descriptions, pronouns; they may nest."),
        "external_ids": _list(_ref("external_id"), "Editorial ids in outside registers."),
    },
    "external_id": {
        "scheme": _text("The register, e.g. 'wikidata'."),
        "value": _text("The id in that register."),
        "verified_by": _text("How the id was verified (it is an editorial addition)."),
    },
    "attribution": {
        "id": _ref("id"),
        "kind": {"enum": list(ATTRIBUTION_KINDS)},
        "medium": _ref("medium"),
        "source": _ref("id", f"The source entity's id, or '{UNKNOWN_SOURCE}'."),
        "content": _spans("What is attributed.", min_items=1),
        "source_mentions": _spans("Where the text names the source."),
        "cue": _spans("The words that signal the attribution; empty when implicit."),
        "addressee": _spans("To whom it was said."),
        "evidence": _spans("On what evidence."),
        "place": _spans("Where it was said."),
        "parent": _ref("id", "The enclosing attribution's id."),
    },
    "quote": {
        "id": _ref("id"),
        "attribution": _ref("id", "The attribution the quote belongs to."),
        "spans": _spans("The quoted words, without the quotation marks.", min_items=1),
        "partial": _ref("flag", "Whether the quote is a partial quote."),
    },
    "claim": {
        "id": _ref("id"),
        "attribution": _ref("id", "The attribution that carries it; leave out for the newsroom."),
        "spans": _spans("The claim's words.", min_items=1),
        "quantities": _list(_ref("quantity"), "The numbers the claim states."),
    },
    "quantity": {
        "value": _ref("number", "The value its words state."),
        "bound": {
            "enum": list(BOUNDS),
            "description": "How the value bounds the number, as its words say.",
        },
        "unit": _text("The unit as the claim's words give it; leave out for a count."),
        "span": _ref("span", "The number's words, with their qualifier ('Mehr als 600.000')."),
        "measure": _spans("What is counted and how, in the article's words.", min_items=1),
    },
    "span": {
        "block": {
            "type": "string",
            "pattern": anchored(BLOCK_REF),
            "description": "The block's id.",
        },
        "start": _ref("offset", "First code point (counting from 0)."),
        "end": _ref("offset", "Code point after the last (exclusive)."),
        "text": _text("The spanned text, exactly as in the block."),
    },
}

_SCALARS: Final[dict[str, dict[str, Any]]] = {
    "text": {
        "type": ["string", "number", "boolean"],
        "minLength": 1,
        "description": "Text. ukrnews reads every YAML scalar as text, so a plain 12 or"
        " true is the text '12' or 'true'; an empty value or null is not text.",
    },
    "id": {"type": "string", "pattern": anchored(ID), "description": "a-z, then a-z, 0-9, _ or -."},
    "offset": {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": 999_999_999},
            {"type": "string", "pattern": anchored(OFFSET)},
        ],
        "description": "A whole number >= 0 (written as a number; digits in quotes also load).",
    },
    "number": {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": anchored(NUMBER)},
        ],
        "description": "A number >= 0: digits, and a fraction after '.' (600000, 2.5).",
    },
    "flag": {
        "anyOf": [{"type": "boolean"}, {"enum": list(FLAGS)}],
        "description": "true or false.",
    },
    "medium": {
        "anyOf": [
            {"enum": _MEDIA},
            {"type": "array", "minItems": 1, "items": {"enum": _MEDIA}},
        ],
        "description": "speech, thought or writing, or a list of them.",
    },
}


def _mapping(name: str) -> dict[str, Any]:
    """One mapping of the format: its keys, required keys and value types, closed to others."""
    required, optional = KEYS[name]
    types = _FIELDS[name]
    if set(types) != {*required, *optional}:  # the loader's keys changed: add their types here
        msg = f"{name}: types for {sorted(types)}, but the loader has {sorted(KEYS[name][0])}"
        raise KeyError(msg + f" and {sorted(optional)}")
    schema: dict[str, Any] = {
        "type": "object",
        "properties": types,
        "required": list(required),
        "additionalProperties": False,
    }
    if name == "span":
        schema["dependentRequired"] = {"start": ["end"], "end": ["start"]}
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the YAML article format (a fresh dict on every call)."""
    defs = {name: _mapping(name) for name in KEYS if name != "article"}
    rules = "\n".join(f"- {rule}" for rule in CROSS_FIELD_RULES)
    schema = {
        "$schema": DIALECT,
        "title": f"ukrnews article (format {FORMAT})",
        "description": "One news article with its annotation, as ukrnews loads it from YAML."
        " The loader also checks these rules, which JSON Schema cannot express:\n" + rules,
        **_mapping("article"),
        "$defs": {**defs, **_SCALARS},
    }
    copy: dict[str, Any] = json.loads(json.dumps(schema))
    return copy


def schema_text() -> str:
    """The schema as the JSON text shipped in ``ukrnews/data/article.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
