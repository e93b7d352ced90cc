"""Model to YAML, losslessly: plain data first, then PyYAML's emitter (C when present)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import yaml

from ._anchor import unambiguous
from ._errors import DumpError
from ._format import FORMAT, SPAN_KEYS, UNKNOWN_SOURCE

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._model import (
        Article,
        Attribution,
        Block,
        Claim,
        Entity,
        Excluded,
        ImageCredit,
        Quote,
        Span,
    )

_T = TypeVar("_T")

__all__ = ["OFFSETS", "Offsets", "article_to_data", "to_yaml"]

_SURROGATE: Final = re.compile("[\ud800-\udfff]")
# Plain or single-quoted style would corrupt or hide these; force "..." with escapes.
_RISKY_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class _Flow(dict[str, Any]):
    """A mapping written in flow style (spans: one line each)."""


def _text_needs_quotes(text: str) -> bool:
    return (
        any(
            ch in "\x85\u2028\u2029\ufeff" or unicodedata.category(ch) in _RISKY_CATEGORIES
            for ch in text
            if not ("\x20" <= ch <= "\x7e")
        )
        or "\t" in text
    )


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if _text_needs_quotes(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _make_dumper(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    class Dumper(base):  # type: ignore[valid-type,misc]
        def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002
            return True

    Dumper.add_representer(str, _represent_str)
    Dumper.add_representer(_Flow, _represent_flow)
    return Dumper


PURE_DUMPER: Final = _make_dumper(yaml.SafeDumper)
C_DUMPER: Final = _make_dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def _check(text: str, field: str) -> str:
    match = _SURROGATE.search(text)
    if match:
        raise DumpError(
            f"cannot write lone surrogate U+{ord(match.group()):04X} at index {match.start()}"
            " (it is not Unicode text)",
            field=field,
        )
    return text


def _span(span: Span, field: str) -> _Flow:
    return _Flow(block=span.block.id, start=span.start, end=span.end, text=_check(span.text, field))


def _spans(spans: tuple[Span, ...], field: str) -> list[_Flow]:
    return [_span(s, f"{field}[{i}]") for i, s in enumerate(spans)]


def _image(credit: ImageCredit, field: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": credit.id}
    if credit.title is not None:
        data["title"] = _check(credit.title, f"{field}.title")
    if credit.caption is not None:
        data["caption"] = _check(credit.caption, f"{field}.caption")
    data["credit_line"] = _check(credit.credit_line, f"{field}.credit_line")
    if credit.parties:
        data["parties"] = [
            {
                "entity": p.entity.id,
                "role": p.role.value,
                "mention": _span(p.mention, f"{field}.parties[{i}].mention"),
            }
            for i, p in enumerate(credit.parties)
        ]
    if credit.provenance is not None:
        prov = credit.provenance
        pdata: dict[str, Any] = {
            "statement": _spans(prov.statement, f"{field}.provenance.statement")
        }
        if prov.released_by is not None:
            pdata["released_by"] = prov.released_by.id
        if prov.state_run is not None:
            pdata["state_run"] = prov.state_run
        data["provenance"] = pdata
    return data


def _entity(entity: Entity, field: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entity.id,
        "kind": entity.kind.value,
        "name": _check(entity.name, f"{field}.name"),
    }
    if entity.title is not None:
        data["title"] = _check(entity.title, f"{field}.title")
    if entity.mentions:
        data["mentions"] = _spans(entity.mentions, f"{field}.mentions")
    if entity.external_ids:
        data["external_ids"] = [
            {
                "scheme": _check(x.scheme, f"{field}.external_ids[{i}].scheme"),
                "value": _check(x.value, f"{field}.external_ids[{i}].value"),
                "verified_by": _check(x.verified_by, f"{field}.external_ids[{i}].verified_by"),
            }
            for i, x in enumerate(entity.external_ids)
        ]
    return data


def _attribution(a: Attribution, field: str) -> dict[str, Any]:
    names = a.medium.names
    data: dict[str, Any] = {
        "id": a.id,
        "kind": a.kind.value,
        "medium": names[0] if len(names) == 1 else list(names),
        "source": UNKNOWN_SOURCE if a.source is None else a.source.id,
    }
    if a.parent is not None:
        data["parent"] = a.parent.id
    for key in SPAN_KEYS:  # an empty cue is written: it says the cue is implicit
        spans: tuple[Span, ...] = getattr(a, key)
        if spans or key in {"cue", "content"}:
            data[key] = _spans(spans, f"{field}.{key}")
    return data


def _value(value: float) -> int | float | str:
    """A quantity's value as the loader reads it: an int, or a fraction with no exponent."""
    if isinstance(value, int):
        return value
    text = repr(value)
    return value if "e" not in text else format(Decimal(text), "f")


def _claim(claim: Claim, field: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": claim.id}
    if claim.attribution is not None:
        data["attribution"] = claim.attribution.id
    data["spans"] = _spans(claim.spans, f"{field}.spans")
    if claim.quantities:
        data["quantities"] = []
        for i, q in enumerate(claim.quantities):
            qfield = f"{field}.quantities[{i}]"
            quantity: dict[str, Any] = {"value": _value(q.value), "bound": q.bound.value}
            if q.unit is not None:
                quantity["unit"] = _check(q.unit, f"{qfield}.unit")
            quantity["span"] = _span(q.span, f"{qfield}.span")
            quantity["measure"] = _spans(q.measure, f"{qfield}.measure")
            data["quantities"].append(quantity)
    return data


def _quote(quote: Quote, field: str) -> dict[str, Any]:
    return {
        "id": quote.id,
        "attribution": quote.attribution.id,
        **({"partial": True} if quote.partial else {}),
        "spans": _spans(quote.spans, f"{field}.spans"),
    }


def _excluded(excluded: Excluded, field: str) -> dict[str, Any]:
    return {
        "text": _check(excluded.text, f"{field}.text"),
        "reason": _check(excluded.reason, f"{field}.reason"),
    }


def _body_block(block: Block, field: str) -> dict[str, Any]:
    # A body role's value is its name in `BODY_KINDS`.
    return {"id": block.id, "kind": block.role.value, "text": _check(block.text, f"{field}.text")}


def _put(data: dict[str, Any], key: str, text: str | None) -> None:
    """Write an optional text under its key (the key is its field) unless it is absent."""
    if text is not None:
        data[key] = _check(text, key)


def _put_list(
    data: dict[str, Any], key: str, items: Sequence[_T], write: Callable[[_T, str], Any]
) -> None:
    """Write a non-empty list under its key, each item by ``write(item, "key[i]")``."""
    if items:
        data[key] = [write(item, f"{key}[{i}]") for i, item in enumerate(items)]


def _metadata(article: Article) -> dict[str, Any]:
    """Format, id, language, source file, and the optional published, url and publisher."""
    data: dict[str, Any] = {"format": FORMAT, "id": article.id, "language": article.language}
    if article.source_file is not None:
        data["source_file"] = {
            "file": article.source_file.file,
            "sha256": article.source_file.sha256,
        }
    for key in ("published", "url", "publisher"):
        _put(data, key, getattr(article, key))
    return data


def _text(article: Article) -> dict[str, Any]:
    """The text in reading order: kicker to author code, images, and the text left out."""
    data: dict[str, Any] = {}
    _put(data, "kicker", article.kicker)
    data["headline"] = _check(article.headline, "headline")
    _put_list(data, "images", article.image_credits, _image)
    _put(data, "teaser", article.teaser)
    data["body"] = [_body_block(b, f"body[{i}]") for i, b in enumerate(article.body)]
    _put(data, "agency_line", article.agency_line)
    _put_list(data, "agencies", article.agencies, _check)
    _put(data, "author_code", article.author_code)
    _put_list(data, "excluded", article.excluded, _excluded)
    return data


def _annotation(article: Article) -> dict[str, Any]:
    """Entities, attributions, quotes and claims, each list only when it has items."""
    data: dict[str, Any] = {}
    _put_list(data, "entities", article.entities, _entity)
    _put_list(data, "attributions", article.attributions, _attribution)
    _put_list(data, "quotes", article.quotes, _quote)
    _put_list(data, "claims", article.claims, _claim)
    return data


def article_to_data(article: Article) -> dict[str, Any]:
    """The article as plain data (dicts, lists, str, int, bool): the YAML tree."""
    return _metadata(article) | _text(article) | _annotation(article)


Offsets = Literal["always", "needed"]
OFFSETS: Final = ("always", "needed")


def _drop_offsets(data: Any, article: Article) -> None:
    """Leave out ``start``/``end`` of spans whose text occurs once, on word boundaries."""
    if isinstance(data, _Flow):
        if unambiguous(article.block(data["block"]).text, data["start"], data["end"]):
            del data["start"], data["end"]
    elif isinstance(data, dict):
        for value in data.values():
            _drop_offsets(value, article)
    elif isinstance(data, list):
        for value in data:
            _drop_offsets(value, article)


def to_yaml(
    article: Article, *, header: str = "", pure: bool = False, offsets: Offsets = "always"
) -> str:
    """The article as YAML text, unchecked; `ukrnews.dumps` (in `_api`) loads it back to check.

    ``header`` is written first as comment lines; ``pure=True`` forces the pure-Python
    emitter; ``offsets`` is as for `ukrnews.dumps`.
    """
    if offsets not in OFFSETS:
        msg = f"offsets must be one of {', '.join(OFFSETS)}, not {offsets!r}"
        raise ValueError(msg)
    data = article_to_data(article)
    if offsets == "needed":
        _drop_offsets(data, article)
    text = yaml.dump(
        data,
        Dumper=PURE_DUMPER if pure else C_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,
        explicit_start=False,
    )
    return "".join(f"# {line}\n" for line in header.splitlines()) + text
