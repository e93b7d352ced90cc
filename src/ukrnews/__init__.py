"""ukrnews: a German news article with verified quotes, attributions and image credits.

``ukrnews.load()`` gives the bundled corpus; ``load_path``, ``loads`` and
``dumps`` read and write articles in the same strict YAML format.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import DataError, DumpError, LinkError, ParseError, SchemaError, SpanError
from ._model import (
    Article,
    Attribution,
    AttributionKind,
    Block,
    BlockRole,
    Bound,
    Claim,
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
    Quantity,
    Quote,
    SourceFile,
    Span,
    Spans,
)

if TYPE_CHECKING:
    from ._api import dump, iter_articles, load, load_file, load_path, loads
    from ._dump import dumps
    from ._export import (
        attribution_rows,
        claim_rows,
        quantity_rows,
        quote_rows,
        to_json,
        to_jsonld,
        to_ninjs,
    )
    from ._html import to_html
    from ._schema import json_schema
    from ._yaml import HAVE_LIBYAML, Limits

    __version__: str

# `import ukrnews` defines the classes above and nothing more. The functions below pull
# in PyYAML, the loader, the writer and the exports (and __version__ the package
# metadata), so each is imported on first use (PEP 562); see docs/performance.md.
_LAZY: dict[str, str] = {
    "HAVE_LIBYAML": "._yaml",
    "Limits": "._yaml",
    "attribution_rows": "._export",
    "claim_rows": "._export",
    "dump": "._api",
    "dumps": "._dump",
    "iter_articles": "._api",
    "json_schema": "._schema",
    "load": "._api",
    "load_file": "._api",
    "load_path": "._api",
    "loads": "._api",
    "quantity_rows": "._export",
    "quote_rows": "._export",
    "to_html": "._html",
    "to_json": "._export",
    "to_jsonld": "._export",
    "to_ninjs": "._export",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - lazy

    try:
        return version("ukrnews")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
        return "0+unknown"


# Hidden from type checkers, which see the real names above and so still flag a typo.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """Import a lazy public name on first use, then keep it as a module global."""
        if name == "__version__":
            value = _version()
        elif name in _LAZY:
            value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


__all__ = [
    "Article",
    "Attribution",
    "AttributionKind",
    "Block",
    "BlockRole",
    "Bound",
    "Claim",
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
    "Quantity",
    "Quote",
    "SchemaError",
    "SourceFile",
    "Span",
    "SpanError",
    "Spans",
    "__version__",
    "attribution_rows",
    "claim_rows",
    "dump",
    "dumps",
    "iter_articles",
    "json_schema",
    "load",
    "load_file",
    "load_path",
    "loads",
    "quantity_rows",
    "quote_rows",
    "to_html",
    "to_json",
    "to_jsonld",
    "to_ninjs",
]
