"""UIMA CAS (XMI and JSON CAS) for INCEpTION: our articles in, annotated articles back out.

The sofa is the blocks joined by a blank line; a ``ukrnews.Block`` annotation per block
keeps its id and role, so every offset maps back exactly.  cassis counts code points, as
we do, and converts to UIMA's UTF-16 units when it writes.
"""

from __future__ import annotations

import functools
import io
import json
import re
import warnings
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from ._errors import DataError, DumpError
from ._format import MEDIA, SPAN_KEYS, UNKNOWN_SOURCE
from ._interop import SEPARATOR, block_starts, decode_utf8, joined_text, read_json, validated
from ._model import (
    Article,
    Attribution,
    AttributionKind,
    Block,
    BlockRole,
    Bound,
    Claim,
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
    link_quotes,
    quantity_value,
)
from ._optional import require
from ._yaml import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ROLES",
    "SEPARATOR",
    "cas_bytes",
    "from_cas",
    "read_cas",
    "to_cas",
    "typesystem_text",
]

#: The attribution roles, as slot link roles, with the model's field for each.
ROLES: Final = tuple((key.removesuffix("_mentions"), key) for key in SPAN_KEYS)
_ROLE_FIELDS: Final = dict(ROLES)
NS: Final = "ukrnews."
# XML 1.0 cannot carry these at all; JSON CAS can.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DOCTYPE: Final = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING: Final = re.compile(r"""<\?xml[^>]*encoding\s*=\s*["']([^"']*)["']""")
_NULL: Final = "null reference"  # how messages name UIMA's null (xmi:id 0)


#: Layers in the order INCEpTION must create them (a slot's target layer first).
LAYER_ORDER: Final = (
    "Document",
    "Block",
    "Entity",
    "Mention",
    "RoleSpan",
    "Attribution",
    "Quote",
    "ImageCredit",
    "Party",
    "ProvenanceStatement",
    "Excluded",
    "Claim",
    "Quantity",
    "QuantityMeasure",
)
# Every type we write: the layers and the link that fills an attribution's role slots.
_TYPES: Final = (*LAYER_ORDER, "AttributionRoleLink")


def typesystem_text() -> str:
    """Our UIMA type system (namespace ``ukrnews.``) as XML, shipped as package data."""
    path = resources.files("ukrnews") / "data" / "typesystem.xml"
    return path.read_text(encoding="utf-8")


@functools.cache
def _typesystem() -> Any:
    cassis = require("cassis", "inception")
    return cassis.load_typesystem(io.BytesIO(typesystem_text().encode("utf-8")))


def _medium_text(medium: Medium) -> str:
    return "+".join(medium.names)


def to_cas(article: Article) -> Any:
    """The article as a ``cassis.Cas`` of our type system, for INCEpTION."""
    cassis = require("cassis", "inception")
    cas = cassis.Cas(typesystem=_typesystem())
    cas.sofa_string = joined_text(article.blocks)
    w = _Writer(article, cas)
    w.document()
    w.blocks()
    w.entities()
    w.attributions()
    w.quotes()
    w.image_credits()
    w.excluded()
    w.claims()
    return cas


class _Writer:
    """Adds an article's annotations to a CAS, one concept of the format at a time."""

    def __init__(self, article: Article, cas: Any) -> None:
        self.article = article
        self.cas = cas
        self.ts = cas.typesystem
        self.new = {name: self.ts.get_type(NS + name) for name in _TYPES}
        self.starts = block_starts(article.blocks)
        self.made: dict[str, Any] = {}  # attribution id -> its feature structure

    def at(self, span: Span) -> dict[str, int]:
        start = self.starts[span.block.id]
        return {"begin": start + span.start, "end": start + span.end}

    def whole(self, block: Block) -> dict[str, int]:
        start = self.starts[block.id]
        return {"begin": start, "end": start + len(block.text)}

    def add(self, type_name: str, /, **features: Any) -> Any:
        fs = self.new[type_name](**features)
        self.cas.add(fs)
        return fs

    def document(self) -> None:
        """One ``Document`` over the whole text: the article's metadata."""
        article = self.article
        source_file = article.source_file
        self.add(
            "Document",
            begin=0,
            end=len(self.cas.sofa_string),
            articleId=article.id,
            language=article.language,
            published=article.published,
            url=article.url,
            publisher=article.publisher,
            sourceFile=None if source_file is None else source_file.file,
            sourceSha256=None if source_file is None else source_file.sha256,
            agencies=self.ts.get_type("uima.cas.StringArray")(elements=list(article.agencies)),
        )

    def blocks(self) -> None:
        """A ``Block`` per block, keeping its id and role."""
        for block in self.article.blocks:
            self.add("Block", **self.whole(block), blockId=block.id, role=block.role.value)

    def entities(self) -> None:
        """An ``Entity`` at its first mention (or at 0), then a ``Mention`` per mention."""
        for n, entity in enumerate(self.article.entities):
            anchor = self.at(entity.mentions[0]) if entity.mentions else {"begin": 0, "end": 0}
            ids = [[x.scheme, x.value, x.verified_by] for x in entity.external_ids]
            self.add(
                "Entity",
                **anchor,
                entityId=entity.id,
                kind=entity.kind.value,
                name=entity.name,
                title=entity.title,
                externalIds=json.dumps(ids, ensure_ascii=False) if ids else None,
                index=n,
            )
            for m, mention in enumerate(entity.mentions):
                self.add("Mention", **self.at(mention), entity=entity.id, index=m)

    def attributions(self) -> None:
        """An ``Attribution`` at its cue (or content) whose role slots link ``RoleSpan``s."""
        for n, attribution in enumerate(self.article.attributions):
            links = []
            for role, field in ROLES:
                for span in getattr(attribution, field):
                    target = self.add("RoleSpan", **self.at(span))
                    links.append(self.new["AttributionRoleLink"](role=role, target=target))
            source = attribution.source
            self.made[attribution.id] = self.add(
                "Attribution",
                **self.at((attribution.cue or attribution.content)[0]),
                attributionId=attribution.id,
                kind=attribution.kind.value,
                medium=_medium_text(attribution.medium),
                source=UNKNOWN_SOURCE if source is None else source.id,
                roles=self.ts.get_type("uima.cas.FSArray")(elements=links),
                index=n,
            )
        for attribution in self.article.attributions:
            if attribution.parent is not None:
                self.made[attribution.id].parent = self.made[attribution.parent.id]

    def quotes(self) -> None:
        """A ``Quote`` per span of each quote, numbered by ``part``."""
        for n, quote in enumerate(self.article.quotes):
            for part, span in enumerate(quote.spans):
                self.add(
                    "Quote",
                    **self.at(span),
                    quoteId=quote.id,
                    attribution=self.made[quote.attribution.id],
                    partial=quote.partial,
                    index=n,
                    part=part,
                )

    def image_credits(self) -> None:
        """An ``ImageCredit`` over its credit line, with its parties and provenance."""
        for n, credit in enumerate(self.article.image_credits):
            provenance = credit.provenance
            released = None if provenance is None else provenance.released_by
            state_run = None if provenance is None else provenance.state_run
            self.add(
                "ImageCredit",
                **self.whole(credit.credit_block),
                creditId=credit.id,
                creditBlock=credit.credit_block.id,
                titleBlock=None if credit.title_block is None else credit.title_block.id,
                captionBlock=None if credit.caption_block is None else credit.caption_block.id,
                hasProvenance=provenance is not None,
                releasedBy=None if released is None else released.id,
                stateRun=None if state_run is None else str(state_run).lower(),
                index=n,
            )
            for m, party in enumerate(credit.parties):
                self.add(
                    "Party",
                    **self.at(party.mention),
                    imageCredit=credit.id,
                    entity=party.entity.id,
                    role=party.role.value,
                    index=m,
                )
            for m, span in enumerate(() if provenance is None else provenance.statement):
                self.add("ProvenanceStatement", **self.at(span), imageCredit=credit.id, index=m)

    def excluded(self) -> None:
        """An empty ``Excluded`` per excluded text: it is not in the sofa."""
        for n, excluded in enumerate(self.article.excluded):
            self.add(
                "Excluded", begin=0, end=0, text=excluded.text, reason=excluded.reason, index=n
            )

    def claims(self) -> None:
        """A ``Claim`` per span of each claim, its ``Quantity``s and their measures."""
        for n, claim in enumerate(self.article.claims):
            owner = None if claim.attribution is None else self.made[claim.attribution.id]
            for part, span in enumerate(claim.spans):
                self.add(
                    "Claim",
                    **self.at(span),
                    claimId=claim.id,
                    attribution=owner,
                    index=n,
                    part=part,
                )
            for m, quantity in enumerate(claim.quantities):
                self.add(
                    "Quantity",
                    **self.at(quantity.span),
                    claim=claim.id,
                    value=_value_text(quantity.value),
                    bound=quantity.bound.value,
                    unit=quantity.unit,
                    index=m,
                )
                for k, span in enumerate(quantity.measure):
                    self.add(
                        "QuantityMeasure", **self.at(span), claim=claim.id, quantity=m, index=k
                    )


def _value_text(value: float) -> str:
    """A quantity's value in canonical form: ``600000``, ``2.5`` (``repr`` round-trips floats)."""
    return str(value) if isinstance(value, int) else repr(value)


def _value(text: str) -> int | float:
    """The value `_value_text` wrote (or an annotator typed): whole numbers stay ``int``."""
    text = text.strip()
    return quantity_value(int(text) if text.isdigit() else float(text))  # ValueError if not one


def _check_xml_text(article: Article) -> None:
    """Refuse text XML 1.0 cannot carry (C0 controls but tab, LF, CR), naming where it is."""
    strings: list[tuple[str, str]] = [(f"blocks[{b.id}].text", b.text) for b in article.blocks]
    strings += [(f"entities[{e.id}].name", e.name) for e in article.entities]
    strings += [(f"entities[{e.id}].title", e.title or "") for e in article.entities]
    strings += [
        (f"entities[{e.id}].external_ids", " ".join(_external_strings(e.external_ids)))
        for e in article.entities
    ]
    strings += [(f"excluded[{n}]", x.text + x.reason) for n, x in enumerate(article.excluded)]
    strings += [("agencies", " ".join(article.agencies))]
    strings += [
        (f"claims[{c.id}].quantities", " ".join(q.unit or "" for q in c.quantities))
        for c in article.claims
    ]
    strings += [
        ("metadata", " ".join(v or "" for v in (article.published, article.url, article.publisher)))
    ]
    for field, text in strings:
        bad = _NOT_XML.search(text)
        if bad:
            raise DumpError(
                f"U+{ord(bad.group()):04X} cannot be written in XML 1.0; use --format jsoncas",
                path=article.id,
                field=field,
            )


def _external_strings(ids: tuple[ExternalId, ...]) -> list[str]:
    """The strings of external ids: scheme, value and how each was verified."""
    return [x for i in ids for x in (i.scheme, i.value, i.verified_by)]


def cas_bytes(article: Article, fmt: str) -> bytes:
    """The article as XMI (``"xmi"``) or INCEpTION's JSON CAS (``"jsoncas"``), UTF-8."""
    if fmt == "xmi":
        _check_xml_text(article)
        text = to_cas(article).to_xmi(pretty_print=True)
    else:
        text = to_cas(article).to_json(pretty_print=True, ensure_ascii=False)
    return str(text).encode("utf-8")


# -- reading ---------------------------------------------------------------------------


def _guard_xml(data: bytes, source: str, limits: Limits) -> None:
    """Refuse a DTD, entities, other encodings, and trees too deep or too large, up front."""
    text = decode_utf8(data, source)
    if _DOCTYPE.search(text):
        raise DataError("XML with a DTD or entity declarations is refused", path=source)
    declared = _ENCODING.search(text[:200])
    if declared and declared.group(1).lower().replace("_", "-") not in {"utf-8", "utf8"}:
        raise DataError(f"XML encoding {declared.group(1)!r} is refused; use UTF-8", path=source)
    etree = require("lxml.etree", "inception")
    parser = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    depth = count = 0
    sofa = ""
    offsets: list[tuple[str, str, str, str]] = []
    xmi_id = "{http://www.omg.org/XMI}id"
    try:
        for event, elem in parser:
            if event == "end" and "begin" in elem.attrib:
                name = etree.QName(elem).localname
                attrib = elem.attrib
                offsets.append(
                    (name, attrib.get(xmi_id, "?"), attrib["begin"], attrib.get("end", ""))
                )
            elif event == "end" and etree.QName(elem).localname == "Sofa":
                sofa = elem.attrib.get("sofaString", sofa)
            if event == "start":
                depth += 1
                count += 1
                if depth > limits.max_depth:
                    raise DataError(f"XML nested deeper than {limits.max_depth}", path=source)
                if count > limits.max_nodes:
                    raise DataError(f"more than {limits.max_nodes} XML elements", path=source)
            else:
                depth -= 1
                elem.clear()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position or (None, None)
        raise DataError(
            f"not well-formed XML: {exc.msg}", path=source, line=line, column=column
        ) from None
    _check_utf16(sofa, offsets, source)


def _check_utf16(sofa: str, offsets: list[tuple[str, str, Any, Any]], source: str) -> None:
    """Refuse UIMA offsets (UTF-16 units) outside the text or inside a surrogate pair.

    cassis would move such an offset to a neighbouring character: a silent shift.
    """
    bounds = {0}
    position = 0
    for ch in sofa:
        position += 2 if ord(ch) > 0xFFFF else 1
        bounds.add(position)
    for name, ident, *pair in offsets:
        for value in pair:
            try:
                unit = int(value)
            except (TypeError, ValueError):
                unit = -1
            if unit not in bounds:
                raise DataError(
                    f"offset {value!r} is outside the text or inside a character",
                    path=source,
                    field=f"{name.removeprefix(NS)}[xmi:id={ident}]",
                )


def read_cas(
    data: bytes, fmt: str, *, source: str = "<cas>", limits: Limits = DEFAULT_LIMITS
) -> Article:
    """An article from untrusted XMI or JSON CAS bytes, checked and validated by our loader."""
    cassis = require("cassis", "inception")
    if len(data) > limits.max_bytes:
        raise DataError(f"larger than the limit of {limits.max_bytes} bytes", path=source)
    if fmt == "xmi":
        _guard_xml(data, source, limits)
        load: Callable[[], Any] = lambda: cassis.load_cas_from_xmi(  # noqa: E731
            io.BytesIO(data), typesystem=_typesystem(), lenient=True, trusted=False
        )
    else:
        _check_json_offsets(read_json(data, source, limits), source)
        load = lambda: cassis.load_cas_from_json(  # noqa: E731
            io.BytesIO(data), typesystem=_typesystem(), lenient=True, merge_typesystem=False
        )
    try:
        with warnings.catch_warnings():  # cassis warns of offsets it cannot map; we refuse them
            warnings.simplefilter("ignore")
            cas = load()
    except DataError:
        raise
    except KeyError as exc:  # cassis looks each referenced xmi:id up; a missing one is a KeyError
        missing = exc.args[0] if exc.args else None
        what = (
            f"a reference to xmi:id {missing}, which no feature structure in the file has"
            if isinstance(missing, int)
            else f"not a CAS that our type system reads: {exc}"
        )
        raise DataError(what, path=source) from None
    except Exception as exc:  # cassis and lxml raise many kinds; all mean "not a CAS we read"  # noqa: BLE001
        raise DataError(f"not a CAS that our type system reads: {exc}", path=source) from None
    return from_cas(cas, source=source, limits=limits)


def _check_json_offsets(document: Any, source: str) -> None:
    """The JSON CAS counterpart of the XMI offset check (feature structures with ``begin``)."""
    structures = document.get("%FEATURE_STRUCTURES") if isinstance(document, dict) else None
    if not isinstance(structures, list):
        raise DataError("not a JSON CAS: no %FEATURE_STRUCTURES list", path=source)
    items = [fs for fs in structures if isinstance(fs, dict)]
    sofas = [fs.get("sofaString") for fs in items if fs.get("%TYPE") == "uima.cas.Sofa"]
    sofa = sofas[0] if sofas and isinstance(sofas[0], str) else ""
    offsets = [
        (str(fs.get("%TYPE", "?")), str(fs.get("%ID", "?")), fs["begin"], fs.get("end"))
        for fs in items
        if "begin" in fs
    ]
    _check_utf16(sofa, offsets, source)


class _Reader:
    """Reads our annotations out of a CAS, naming each bad one by type and xmi:id."""

    def __init__(self, cas: Any, source: str, limits: Limits) -> None:
        self.cas = cas
        self.source = source
        self.limits = limits
        sofa = cas.sofa_string
        if sofa is not None and not isinstance(sofa, str):
            raise DataError(f"the sofa is {_a(_kind(sofa))}, not text", path=source)
        self.sofa: str = sofa or ""
        self.blocks: list[tuple[int, int, Block]] = []
        self.entities: dict[str, Entity] = {}
        self.built: dict[int, Attribution] = {}  # by id() of the Attribution annotation
        self.depths: dict[int, int] = {}  # how many parents each built one has, by id()

    def fail(self, fs: Any, field: str, message: str) -> DataError:
        name = fs.type.name.removeprefix(NS)
        where = f"{name}[xmi:id={fs.xmiID}]" + (f".{field}" if field else "")
        return DataError(message, path=self.source, field=where)

    def select(self, name: str) -> list[Any]:
        if not self.cas.typesystem.contains_type(NS + name):
            return []
        found = list(self.cas.select(NS + name))
        for fs in found:
            self.offsets(fs)
        return sorted(found, key=self.order)

    def offsets(self, fs: Any) -> tuple[int, int]:
        """An annotation's ``begin`` and ``end``: whole numbers inside the text."""
        begin, end = fs.get("begin"), fs.get("end")
        if not (_is_int(begin) and _is_int(end)):
            raise self.fail(fs, "", f"offsets {begin!r}-{end!r} are not whole numbers")
        if end < begin:
            raise self.fail(fs, "", f"ends ({end}) before it begins ({begin})")
        if not 0 <= begin <= end <= len(self.sofa):
            raise self.fail(fs, "", f"offsets {begin}-{end} are outside the text")
        return begin, end

    def order(self, fs: Any) -> tuple[bool, int, int, int, int]:
        """Our order (the ``index`` feature), then text order for what an annotator added."""
        index = self.integer(fs, "index")
        return (index is None, index or 0, fs.begin, fs.end, fs.xmiID or 0)

    def integer(self, fs: Any, feature: str) -> int | None:
        """An integer feature's value, or None if unset."""
        value = fs.get(feature)
        if value is None:
            return None
        if not _is_int(value):
            raise self.fail(fs, feature, f"expected a whole number, found {_a(_kind(value))}")
        return int(value)

    def boolean(self, fs: Any, feature: str) -> bool:
        """A boolean feature's value; unset is false."""
        value = fs.get(feature)
        if value is not None and not isinstance(value, bool):
            raise self.fail(fs, feature, f"expected true or false, found {_a(_kind(value))}")
        return bool(value)

    def ref(self, fs: Any, feature: str, type_name: str) -> Any:
        """The feature structure a reference feature points to, checked to be a ``type_name``.

        None if unset or UIMA's null (``xmi:id`` 0).
        """
        value = fs.get(feature)
        if value is None or _kind(value) == _NULL:
            return None
        if not _is_a(value, type_name):
            msg = f"expected a reference to {_a(_short(type_name))}, found {_a(_kind(value))}"
            raise self.fail(fs, feature, msg)
        return value

    def elements(self, fs: Any, feature: str, array: str, element: str) -> list[Any]:
        """The elements of the array a feature points to, each checked to be an ``element``.

        ``element`` is a type name, or ``"text"`` for the strings of a ``StringArray``.
        """
        found = self.ref(fs, feature, array)
        elements = [] if found is None else found.get("elements") or []
        if not isinstance(elements, list | tuple):
            msg = f"expected {_a(_short(array))}, found {_a(_kind(elements))}"
            raise self.fail(fs, feature, msg)
        for value in elements:
            if not (isinstance(value, str) if element == "text" else _is_a(value, element)):
                msg = f"expected only {_short(element)} elements, found {_a(_kind(value))}"
                raise self.fail(fs, feature, msg)
        return list(elements)

    def text(self, fs: Any, feature: str, *, optional: bool = False) -> str | None:
        value = fs.get(feature)
        if value is None and not optional:
            raise self.fail(fs, feature, "missing")
        if value is not None and not isinstance(value, str):
            raise self.fail(fs, feature, "expected text")
        return value

    def need(self, fs: Any, feature: str) -> str:
        value = self.text(fs, feature)
        assert value is not None  # noqa: S101 - text() raised otherwise
        return value

    def choice(self, fs: Any, feature: str, choose: Callable[[str], Any]) -> Any:
        value = self.need(fs, feature)
        try:
            return choose(value)
        except (ValueError, KeyError):
            raise self.fail(fs, feature, f"unknown value {value!r}") from None

    def span(self, fs: Any) -> Span:
        begin, end = self.offsets(fs)
        for start, stop, block in self.blocks:
            if start <= begin and end <= stop:
                if begin == end:
                    raise self.fail(fs, "", "an empty span")
                return Span(block, begin - start, end - start)
        raise self.fail(fs, "", f"span {begin}-{end} is not inside one block")

    def read_blocks(self) -> tuple[Block, ...]:
        blocks = []
        last_end = -1
        for fs in self.select("Block"):
            if fs.begin < last_end:
                raise self.fail(fs, "", "overlaps the block before it")
            role = self.choice(fs, "role", BlockRole)
            block = Block(self.need(fs, "blockId"), role, self.sofa[fs.begin : fs.end])
            self.blocks.append((fs.begin, fs.end, block))
            blocks.append(block)
            last_end = fs.end
        return tuple(blocks)

    def entity(self, fs: Any, feature: str) -> Entity:
        """The entity whose id the feature holds."""
        key = self.need(fs, feature)
        if key not in self.entities:
            raise self.fail(fs, feature, f"unknown entity {key!r}")
        return self.entities[key]

    def parts(self, name: str, id_feature: str) -> dict[str, list[tuple[Any, Span]]]:
        """Annotations of a multi-span item (quote, claim) by its id, each sorted by ``part``."""
        found: dict[str, list[tuple[Any, Span]]] = {}
        for fs in self.select(name):
            self.integer(fs, "part")
            found.setdefault(self.need(fs, id_feature), []).append((fs, self.span(fs)))
        for parts in found.values():
            parts.sort(key=lambda p: (p[0].get("part") is None, p[0].get("part") or 0))
        return found

    def document(self) -> Any:
        """The one ``Document`` annotation, which holds the metadata."""
        docs = self.select("Document")
        if len(docs) != 1:
            msg = f"expected one ukrnews.Document annotation, found {len(docs)}"
            raise DataError(msg, path=self.source)
        return docs[0]

    def source_file(self, doc: Any) -> SourceFile | None:
        """The source file and its SHA-256, if the document names one."""
        if doc.get("sourceFile") is None:
            return None
        return SourceFile(self.need(doc, "sourceFile"), self.need(doc, "sourceSha256"))

    def read_entities(self) -> None:
        """The entities, each with the ``Mention``s that name it; none may be left over."""
        mentions: dict[str, list[Span]] = {}
        for fs in self.select("Mention"):
            mentions.setdefault(self.need(fs, "entity"), []).append(self.span(fs))
        for fs in self.select("Entity"):
            entity_id = self.need(fs, "entityId")
            external = self.external_ids(fs)
            self.entities[entity_id] = Entity(
                id=entity_id,
                kind=self.choice(fs, "kind", EntityKind),
                name=self.need(fs, "name"),
                title=self.text(fs, "title", optional=True),
                mentions=tuple(mentions.pop(entity_id, ())),
                external_ids=external,
            )
        if mentions:
            raise DataError(f"mentions of unknown entity {min(mentions)!r}", path=self.source)

    def external_ids(self, fs: Any) -> tuple[ExternalId, ...]:
        """An entity's ``externalIds``: a JSON list of ``[scheme, value, verified_by]``."""
        raw = self.text(fs, "externalIds", optional=True)
        msg = "expected a JSON list of [scheme, value, verified_by]"
        try:
            triples = json.loads(raw) if raw else []
        except (ValueError, RecursionError):
            raise self.fail(fs, "externalIds", msg) from None
        if not isinstance(triples, list) or not all(
            isinstance(t, list) and len(t) == 3 and all(isinstance(x, str) for x in t)
            for t in triples
        ):
            raise self.fail(fs, "externalIds", msg)
        return tuple(ExternalId(*t) for t in triples)

    def attribution(self, fs: Any) -> Attribution:
        """The attribution an annotation holds, its parents built first (no recursion).

        A cycle, or parents nested deeper than ``max_nesting``, is an error.
        """
        chain = [fs]  # fs, its parent, its grandparent, ... up to one built or the top
        while id(chain[-1]) not in self.built:
            parent_fs = self.ref(chain[-1], "parent", NS + "Attribution")
            if parent_fs is None:
                break
            if any(parent_fs is x for x in chain):
                raise self.fail(chain[-1], "parent", "parents form a cycle")
            chain.append(parent_fs)
            self.check_depth(fs, len(chain) - 1)
        for link in reversed(chain):
            if id(link) not in self.built:
                parent_fs = self.ref(link, "parent", NS + "Attribution")
                depth = 0 if parent_fs is None else self.depths[id(parent_fs)] + 1
                self.check_depth(link, depth)
                self.depths[id(link)] = depth
                self.built[id(link)] = self.one_attribution(link, parent_fs)
        return self.built[id(fs)]

    def check_depth(self, fs: Any, depth: int) -> None:
        """Refuse parents nested deeper than the loader allows (it bounds recursion)."""
        if depth > self.limits.max_nesting:
            msg = f"attributions nested deeper than {self.limits.max_nesting}"
            raise self.fail(fs, "parent", msg)

    def one_attribution(self, fs: Any, parent_fs: Any) -> Attribution:
        """The attribution an annotation holds, its parent (if any) already built."""
        parent = None if parent_fs is None else self.built[id(parent_fs)]
        roles = self.roles(fs)
        source_key = self.need(fs, "source")
        result = Attribution(
            id=self.need(fs, "attributionId"),
            kind=self.choice(fs, "kind", AttributionKind),
            medium=self.choice(fs, "medium", _medium),
            source=None if source_key == UNKNOWN_SOURCE else self.entity(fs, "source"),
            parent=parent,
            **roles,
        )
        if not result.content:
            raise self.fail(fs, "roles", "no content span")
        return result

    def roles(self, fs: Any) -> dict[str, list[Span]]:
        """An attribution's spans by model field, from its role slot links."""
        roles: dict[str, list[Span]] = {field: [] for _, field in ROLES}
        for link in self.elements(fs, "roles", "uima.cas.FSArray", NS + "AttributionRoleLink"):
            role = self.need(link, "role")
            if role not in _ROLE_FIELDS:
                raise self.fail(link, "role", f"unknown role {role!r}")
            target = self.ref(link, "target", NS + "RoleSpan")
            if target is None:
                raise self.fail(link, "target", "missing")
            roles[_ROLE_FIELDS[role]].append(self.span(target))
        return roles

    def read_quotes(self) -> tuple[Quote, ...]:
        """The quotes: one ``Quote`` annotation a span, the first naming the attribution."""
        quotes = []
        for quote_id, parts in self.parts("Quote", "quoteId").items():
            head = parts[0][0]
            owner = self.ref(head, "attribution", NS + "Attribution")
            if owner is None or id(owner) not in self.built:
                raise self.fail(head, "attribution", "missing or not an attribution")
            spans = tuple(s for _, s in parts)
            partial = self.boolean(head, "partial")
            quotes.append(Quote(quote_id, spans, self.built[id(owner)], partial))
        link_quotes(quotes)
        return tuple(quotes)

    def read_image_credits(self, blocks: tuple[Block, ...]) -> tuple[ImageCredit, ...]:
        """The image credits with their parties and provenance statements."""
        by_block = {b.id: b for b in blocks}

        def block(fs: Any, feature: str) -> Block | None:
            key = self.text(fs, feature, optional=feature != "creditBlock")
            if key is None:
                return None
            if key not in by_block:
                raise self.fail(fs, feature, f"unknown block {key!r}")
            return by_block[key]

        parties: dict[str, list[Party]] = {}
        for fs in self.select("Party"):
            parties.setdefault(self.need(fs, "imageCredit"), []).append(
                Party(self.entity(fs, "entity"), self.choice(fs, "role", PartyRole), self.span(fs))
            )
        statements: dict[str, list[Span]] = {}
        for fs in self.select("ProvenanceStatement"):
            statements.setdefault(self.need(fs, "imageCredit"), []).append(self.span(fs))
        credits_ = []
        for fs in self.select("ImageCredit"):
            credit_id = self.need(fs, "creditId")
            provenance = self.provenance(fs, tuple(statements.get(credit_id, ())))
            credit_block = block(fs, "creditBlock")
            assert credit_block is not None  # noqa: S101 - not optional above
            credits_.append(
                ImageCredit(
                    credit_id,
                    credit_block,
                    block(fs, "titleBlock"),
                    block(fs, "captionBlock"),
                    tuple(parties.get(credit_id, ())),
                    provenance,
                )
            )
        return tuple(credits_)

    def provenance(self, fs: Any, statement: tuple[Span, ...]) -> Provenance | None:
        """An image credit's provenance: who released the image, whether state-run."""
        if not (self.boolean(fs, "hasProvenance") or statement):
            return None
        released = self.text(fs, "releasedBy", optional=True)
        state = self.text(fs, "stateRun", optional=True)
        return Provenance(
            statement,
            None if released is None else self.entity(fs, "releasedBy"),
            None if state is None else self.choice(fs, "stateRun", _state_run),
        )

    def read_claims(self) -> tuple[Claim, ...]:
        """The claims: their spans (one ``Claim`` annotation each), quantities and measures."""
        measures: dict[tuple[str, int], list[Span]] = {}
        for fs in self.select("QuantityMeasure"):
            key = (self.need(fs, "claim"), self.integer(fs, "quantity") or 0)
            measures.setdefault(key, []).append(self.span(fs))
        quantities: dict[str, list[Quantity]] = {}
        for fs in self.select("Quantity"):
            claim_id, position = self.need(fs, "claim"), self.integer(fs, "index")
            held = quantities.setdefault(claim_id, [])
            key = (claim_id, len(held) if position is None else position)
            held.append(self.quantity(fs, tuple(measures.pop(key, ()))))
        claims = []
        for claim_id, parts in self.parts("Claim", "claimId").items():
            head = parts[0][0]
            owner = self.ref(head, "attribution", NS + "Attribution")
            if owner is not None and id(owner) not in self.built:
                raise self.fail(head, "attribution", "not an attribution")
            claims.append(
                Claim(
                    claim_id,
                    tuple(s for _, s in parts),
                    None if owner is None else self.built[id(owner)],
                    tuple(quantities.pop(claim_id, ())),
                )
            )
        if quantities:
            raise DataError(f"quantities of unknown claim {min(quantities)!r}", path=self.source)
        if measures:
            claim_id, position = min(measures)
            msg = f"measure of unknown quantity {position} of claim {claim_id!r}"
            raise DataError(msg, path=self.source)
        return tuple(claims)

    def quantity(self, fs: Any, measure: tuple[Span, ...]) -> Quantity:
        """A ``Quantity``: value, bound, span, the measure spans given, unit."""
        return Quantity(
            self.choice(fs, "value", _value),
            self.choice(fs, "bound", Bound),
            self.span(fs),
            measure,
            self.text(fs, "unit", optional=True),
        )


def _is_int(value: Any) -> bool:
    """Whether a feature value is a whole number (a bool is not, though Python says so)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """What a feature value is, for messages: its CAS type, else its Python type."""
    name = getattr(getattr(value, "type", None), "name", None)
    if value is None:
        return _NULL
    if isinstance(name, str):
        return _NULL if name == "uima.cas.NULL" else _short(name)
    return {str: "string", bool: "boolean", int: "whole number"}.get(
        type(value), type(value).__name__
    )


def _short(type_name: str) -> str:
    """A type's name without our namespace or UIMA's built-in one: ``Block``, ``FSArray``."""
    return type_name.removeprefix(NS).removeprefix("uima.cas.")


def _is_a(value: Any, type_name: str) -> bool:
    """Whether a feature structure's type is ``type_name`` or a subtype of it."""
    fs_type = getattr(value, "type", None)
    while fs_type is not None:
        if getattr(fs_type, "name", None) == type_name:
            return True
        fs_type = getattr(fs_type, "supertype", None)
    return False


def _a(noun: str) -> str:
    """The noun with its article: "an Attribution", "a Block", "an FSArray"."""
    vowel = noun[:1].lower() in set("aeiou") or noun.startswith("FS")
    return ("an " if vowel else "a ") + noun


def _medium(value: str) -> Medium:
    medium = Medium(0)
    for name in value.split("+"):
        medium |= MEDIA[name.strip().lower()]
    if not medium:
        raise ValueError(value)
    return medium


def _state_run(value: str) -> bool:
    return {"true": True, "false": False}[value]


def from_cas(cas: Any, *, source: str = "<cas>", limits: Limits = DEFAULT_LIMITS) -> Article:
    """The article a ``cassis.Cas`` of our type system holds, checked by our loader."""
    r = _Reader(cas, source, limits)
    blocks = r.read_blocks()
    doc = r.document()
    r.read_entities()
    attributions = tuple(r.attribution(fs) for fs in r.select("Attribution"))
    quotes = r.read_quotes()
    image_credits = r.read_image_credits(blocks)
    excluded = tuple(
        Excluded(r.need(fs, "text"), r.need(fs, "reason")) for fs in r.select("Excluded")
    )
    claims = r.read_claims()
    source_file = r.source_file(doc)
    agencies = r.elements(doc, "agencies", "uima.cas.StringArray", "text")
    article = Article(
        id=r.need(doc, "articleId"),
        language=r.need(doc, "language"),
        blocks=blocks,
        image_credits=image_credits,
        agencies=tuple(agencies),
        excluded=excluded,
        entities=tuple(r.entities.values()),
        attributions=attributions,
        quotes=quotes,
        source_file=source_file,
        published=r.text(doc, "published", optional=True),
        url=r.text(doc, "url", optional=True),
        publisher=r.text(doc, "publisher", optional=True),
        claims=claims,
    )
    return validated(article, source)


# -- INCEpTION layers ------------------------------------------------------------------

# What the annotator edits; the rest is shown but kept as we wrote it.
_EDITABLE: Final = frozenset(
    {"Mention", "RoleSpan", "Attribution", "Quote", "Party", "Claim", "Quantity", "QuantityMeasure"}
)
_PRIMITIVE: Final = frozenset({"uima.cas.String", "uima.cas.Integer", "uima.cas.Boolean"})


def _feature(feature: Any, layer: str) -> dict[str, Any]:
    rng = feature.rangeType.name
    entry: dict[str, Any] = {
        "name": feature.name,
        "uiName": feature.name,
        "type": rng,
        "tag_set": None,
        "enabled": True,
        "visible": feature.name != "index",
        "include_in_hover": True,
        "required": False,
        "remember": False,
        "hideUnconstraintFeature": False,
        "description": feature.description,
        "multi_value_mode": "NONE",
        "link_mode": "NONE",
        "link_type_name": None,
        "link_type_role_feature_name": None,
        "link_type_target_feature_name": None,
        "traits": None,
        "curatable": True,
    }
    if rng == "uima.cas.FSArray":  # the attribution's slots
        entry |= {
            "type": NS + "RoleSpan",
            "multi_value_mode": "ARRAY",
            "link_mode": "WITH_ROLE",
            "link_type_name": NS + "AttributionRoleLink",
            "link_type_role_feature_name": "role",
            "link_type_target_feature_name": "target",
        }
    elif rng == "uima.cas.StringArray":
        entry["multi_value_mode"] = "ARRAY"
    elif rng not in _PRIMITIVE and not rng.startswith(NS):  # pragma: no cover - guard
        msg = f"{layer}.{feature.name}: no INCEpTION feature type for {rng}"
        raise TypeError(msg)
    return entry


def inception_layers() -> list[dict[str, Any]]:
    """INCEpTION layer definitions for our type system, in the order to import them.

    Derived from the shipped type system, so the two cannot disagree.
    """
    ts = _typesystem()
    layers = []
    for name in LAYER_ORDER:
        fs_type = ts.get_type(NS + name)
        own = [f for f in fs_type.all_features if f.domainType.name == fs_type.name]
        layers.append(
            {
                "name": fs_type.name,
                "uiName": f"ukrnews {name}",
                "type": "span",
                "description": fs_type.description,
                "enabled": True,
                "built_in": False,
                "readonly": name not in _EDITABLE,
                "attach_type": None,
                "attach_feature": None,
                "allow_stacking": True,
                "cross_sentence": True,
                "show_hover": True,
                "anchoring_mode": "CHARACTERS",
                "overlap_mode": "ANY_OVERLAP",
                "validation_mode": "ALWAYS",
                "lock_to_token_offset": False,
                "multiple_tokens": True,
                "linked_list_behavior": False,
                "features": [_feature(f, name) for f in own],
            }
        )
    return layers
