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
    from ._agree import Agreement, AgreementScore, ClusterScore, agreement
    from ._anchor import Reanchored, SpanMove, reanchor
    from ._api import dump, dumps, iter_articles, load, load_file, load_path, loads, validate
    from ._arrow import arrow_schema, to_arrow
    from ._cas import from_cas, to_cas
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
    from ._lint import LintWarning, lint, lint_text
    from ._scaffold import QuotedStretch, Scaffold, quoted_stretches, scaffold
    from ._schema import json_schema
    from ._spacy import to_spacy
    from ._yaml import HAVE_LIBYAML, Limits

    __version__: str

# `import ukrnews` defines the classes above and nothing more. The functions below pull
# in PyYAML, the loader, the writer and the exports (and __version__ the package
# metadata), so each is imported on first use (PEP 562); see docs/performance.md.
_LAZY: dict[str, str] = {
    "Agreement": "._agree",
    "AgreementScore": "._agree",
    "ClusterScore": "._agree",
    "HAVE_LIBYAML": "._yaml",
    "Limits": "._yaml",
    "LintWarning": "._lint",
    "QuotedStretch": "._scaffold",
    "Reanchored": "._anchor",
    "Scaffold": "._scaffold",
    "SpanMove": "._anchor",
    "agreement": "._agree",
    "arrow_schema": "._arrow",
    "attribution_rows": "._export",
    "claim_rows": "._export",
    "dump": "._api",
    "dumps": "._api",
    "from_cas": "._cas",
    "iter_articles": "._api",
    "json_schema": "._schema",
    "lint": "._lint",
    "lint_text": "._lint",
    "load": "._api",
    "load_file": "._api",
    "load_path": "._api",
    "loads": "._api",
    "quantity_rows": "._export",
    "quote_rows": "._export",
    "quoted_stretches": "._scaffold",
    "reanchor": "._anchor",
    "scaffold": "._scaffold",
    "to_arrow": "._arrow",
    "to_cas": "._cas",
    "to_html": "._html",
    "to_json": "._export",
    "to_jsonld": "._export",
    "to_ninjs": "._export",
    "to_spacy": "._spacy",
    "validate": "._api",
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
        """The public names only (not the module's imports and helpers)."""
        return sorted(__all__)


__all__ = [
    "Agreement",
    "AgreementScore",
    "Article",
    "Attribution",
    "AttributionKind",
    "Block",
    "BlockRole",
    "Bound",
    "Claim",
    "ClusterScore",
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
    "LintWarning",
    "Medium",
    "ParseError",
    "Party",
    "PartyRole",
    "Provenance",
    "Quantity",
    "Quote",
    "QuotedStretch",
    "Reanchored",
    "Scaffold",
    "SchemaError",
    "SourceFile",
    "Span",
    "SpanError",
    "SpanMove",
    "Spans",
    "__version__",
    "agreement",
    "arrow_schema",
    "attribution_rows",
    "claim_rows",
    "dump",
    "dumps",
    "from_cas",
    "iter_articles",
    "json_schema",
    "lint",
    "lint_text",
    "load",
    "load_file",
    "load_path",
    "loads",
    "quantity_rows",
    "quote_rows",
    "quoted_stretches",
    "reanchor",
    "scaffold",
    "to_arrow",
    "to_cas",
    "to_html",
    "to_json",
    "to_jsonld",
    "to_ninjs",
    "to_spacy",
    "validate",
]
