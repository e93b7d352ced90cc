"""ukrnews: a German news article with verified quotes, attributions and image credits.

``ukrnews.load()`` gives the bundled corpus; ``load_path``, ``loads`` and
``dumps`` read and write articles in the same strict YAML format.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._api import dump, iter_articles, load, load_file, load_path, loads
from ._dump import dumps
from ._errors import DataError, DumpError, LinkError, ParseError, SchemaError, SpanError
from ._export import attribution_rows, quote_rows, to_json, to_jsonld, to_ninjs
from ._html import to_html
from ._model import (
    Article,
    Attribution,
    AttributionKind,
    Block,
    BlockRole,
    Corpus,
    Entity,
    EntityKind,
    Excluded,
    ExternalId,
    ImageCredit,
    Medium,
    Party,
    PartyRole,
    Provenance,
    Quote,
    SourceFile,
    Span,
)
from ._schema import json_schema
from ._yaml import HAVE_LIBYAML, Limits

try:
    __version__ = version("ukrnews")
except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Article",
    "Attribution",
    "AttributionKind",
    "Block",
    "BlockRole",
    "Corpus",
    "DataError",
    "DumpError",
    "Entity",
    "EntityKind",
    "Excluded",
    "ExternalId",
    "HAVE_LIBYAML",
    "ImageCredit",
    "Limits",
    "LinkError",
    "Medium",
    "ParseError",
    "Party",
    "PartyRole",
    "Provenance",
    "Quote",
    "SchemaError",
    "SourceFile",
    "Span",
    "SpanError",
    "__version__",
    "attribution_rows",
    "dump",
    "dumps",
    "iter_articles",
    "json_schema",
    "load",
    "load_file",
    "load_path",
    "loads",
    "quote_rows",
    "to_html",
    "to_json",
    "to_jsonld",
    "to_ninjs",
]
