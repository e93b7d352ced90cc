"""The YAML article format's facts, defined once: keys, patterns, wire names, reserved ids.

The loader, the writer, the JSON Schema, the command line, the exports and the
strategies all read these, so none of them can drift from the others.
"""

from __future__ import annotations

import re
from typing import Final

from ._model import AttributionKind, BlockRole, Bound, EntityKind, Medium, PartyRole

__all__ = [
    "ATTRIBUTION_KINDS",
    "BLOCK_REF",
    "BODY_KINDS",
    "BOUNDS",
    "ENTITY_KINDS",
    "FLAGS",
    "FORMAT",
    "ID",
    "IMAGE_BLOCKS",
    "KEYS",
    "LANGUAGE",
    "MEDIA",
    "NUMBER",
    "OFFSET",
    "OWN_BLOCKS",
    "PARTY_ROLES",
    "PATTERNS",
    "RESERVED_BLOCK_IDS",
    "ROLE_KEYS",
    "SHA256",
    "SPAN_KEYS",
    "UNKNOWN_SOURCE",
    "anchored",
]

FORMAT: Final = "1"

# -- patterns: each scalar's form, matched whole (`re.Pattern.fullmatch`) ---------------

ID: Final = re.compile(r"[a-z][a-z0-9_-]{0,63}")
LANGUAGE: Final = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag
SHA256: Final = re.compile(r"[0-9a-f]{64}")
OFFSET: Final = re.compile(r"(0|[1-9][0-9]{0,8})")
# A quantity's value: digits, and a fraction after "." without trailing zeros.
NUMBER: Final = re.compile(r"(0|[1-9][0-9]{0,29})([.][0-9]{0,29}[1-9])?")

# -- blocks ---------------------------------------------------------------------------

#: The article's own text fields; each is a block whose id is its key, so reserved.
OWN_BLOCKS: Final = {
    "kicker": BlockRole.KICKER,
    "headline": BlockRole.HEADLINE,
    "teaser": BlockRole.TEASER,
    "agency_line": BlockRole.AGENCY_LINE,
    "author_code": BlockRole.AUTHOR_CODE,
}
RESERVED_BLOCK_IDS: Final = frozenset(OWN_BLOCKS)
#: An image's text fields; each is a block with the id ``<image id>.<key>``.
IMAGE_BLOCKS: Final = {
    "title": BlockRole.IMAGE_TITLE,
    "caption": BlockRole.CAPTION,
    "credit_line": BlockRole.CREDIT_LINE,
}
#: A body block's ``kind``.
BODY_KINDS: Final = {r.value: r for r in (BlockRole.PARAGRAPH, BlockRole.SUBHEADING)}
#: A span's ``block``: a body or own block id, or an image id with one of its parts.
BLOCK_REF: Final = re.compile(rf"{ID.pattern}([.]({'|'.join(IMAGE_BLOCKS)}))?")

PATTERNS: Final = {
    "id": ID,
    "language": LANGUAGE,
    "sha256": SHA256,
    "offset": OFFSET,
    "number": NUMBER,
    "block_ref": BLOCK_REF,
}

# -- the enums' wire names --------------------------------------------------------------

ENTITY_KINDS: Final = {k.value: k for k in EntityKind}
ATTRIBUTION_KINDS: Final = {k.value: k for k in AttributionKind}
PARTY_ROLES: Final = {r.value: r for r in PartyRole}
BOUNDS: Final = {b.value: b for b in Bound}
#: The media an attribution's ``medium`` names, one or a list of them.
MEDIA: Final = {m.name.lower(): m for m in Medium if m.name}
FLAGS: Final = {"true": True, "false": False}

#: An attribution's ``source`` when the text does not say who; no entity may have this id.
UNKNOWN_SOURCE: Final = "unknown"

# -- mappings ------------------------------------------------------------------------

#: An attribution's lists of spans, in the order `dumps` writes them.
SPAN_KEYS: Final = ("source_mentions", "cue", "content", "addressee", "evidence", "place")
#: The optional ones among them (all but ``content``).
ROLE_KEYS: Final = tuple(k for k in SPAN_KEYS if k != "content")

# Each mapping's keys: (required, optional). `dumps` writes them in its own order.
KEYS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "article": (
        ("id", "language", "headline", "body"),
        (
            "format",
            "source_file",
            "published",
            "url",
            "publisher",
            "kicker",
            "images",
            "teaser",
            "agency_line",
            "agencies",
            "author_code",
            "excluded",
            "entities",
            "attributions",
            "quotes",
            "claims",
        ),
    ),
    "source_file": (("file", "sha256"), ()),
    "image": (("id", "credit_line"), ("title", "caption", "parties", "provenance")),
    "party": (("entity", "role", "mention"), ()),
    "provenance": (("statement",), ("released_by", "state_run")),
    "block": (("id", "kind", "text"), ()),
    "excluded": (("text", "reason"), ()),
    "entity": (("id", "kind", "name"), ("title", "mentions", "external_ids")),
    "external_id": (("scheme", "value", "verified_by"), ()),
    "attribution": (
        ("id", "kind", "medium", "source", "content"),
        (*ROLE_KEYS, "parent"),
    ),
    "quote": (("id", "attribution", "spans"), ("partial",)),
    "claim": (("id", "spans"), ("attribution", "quantities")),
    "quantity": (("value", "bound", "span", "measure"), ("unit",)),
    "span": (("block", "text"), ("start", "end")),
}


def anchored(pattern: re.Pattern[str]) -> str:
    """``pattern`` as a JSON Schema ``pattern`` (ECMA 262, which searches): ``^...$``."""
    return f"^{pattern.pattern}$"
