"""YAML node tree to model: the article format's schema, with field paths in every error."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Final, NoReturn, TypeVar

from ._errors import DataError, LinkError, SchemaError, SpanError
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
)
from ._numbers import read_number
from ._yaml import Map, Node, Scalar, Seq, kind_of

if TYPE_CHECKING:
    from collections.abc import Iterable

T = TypeVar("T")

__all__ = ["FORMAT", "KEYS", "build_article"]

FORMAT: Final = "1"
_ID: Final = re.compile(r"[a-z][a-z0-9_-]{0,63}\Z")
_INT: Final = re.compile(r"(?:0|[1-9][0-9]{0,8})\Z")
# A quantity's value: digits, and a fraction after "." without trailing zeros.
_NUMBER: Final = re.compile(r"(?:0|[1-9][0-9]{0,29})(?:\.[0-9]{0,29}[1-9])?\Z")
UNKNOWN_SOURCE: Final = "unknown"
MAX_NESTING: Final = 32  # attributions inside attributions; bounds recursion everywhere
FIND_BUDGET: Final = 64 * 1024 * 1024  # characters searched for spans without offsets
RESERVED_BLOCK_IDS: Final = frozenset(
    {"kicker", "headline", "teaser", "agency_line", "author_code"}
)

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
        ("source_mentions", "cue", "addressee", "evidence", "place", "parent"),
    ),
    "quote": (("id", "attribution", "spans"), ("partial",)),
    "claim": (("id", "spans"), ("attribution", "quantities")),
    "quantity": (("value", "bound", "span", "measure"), ("unit",)),
    "span": (("block", "text"), ("start", "end")),
}
BODY_KINDS: Final = {"paragraph": BlockRole.PARAGRAPH, "subheading": BlockRole.SUBHEADING}
ROLE_KEYS: Final = ("source_mentions", "cue", "addressee", "evidence", "place")

Fields = dict[str, tuple[Scalar, Node]]
# An image's id, fields, field path, and its credit, title and caption blocks.
_Image = tuple[str, Fields, str, Block, Block | None, Block | None]


def _nearest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else ""


def _short(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


class _Loader:
    """Walks one article's node tree; knows the file name for every error it raises."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: dict[str, Block] = {}
        self.entities: dict[str, Entity] = {}
        # Spans given without offsets: where each (block, text) occurs, and the work done.
        self.found: dict[tuple[str, str], tuple[int, int]] = {}
        self.scanned = 0

    # -- errors ---------------------------------------------------------------

    def fail(self, cls: type[DataError], node: Node | None, field: str, message: str) -> NoReturn:
        raise cls(
            message,
            path=self.source,
            line=node.line if node is not None else None,
            column=node.column if node is not None else None,
            field=field or None,
        )

    # -- structure ------------------------------------------------------------

    def mapping(self, node: Node, field: str, schema: str) -> Fields:
        if type(node) is not Map:
            self.fail(SchemaError, node, field, f"expected a mapping, found {kind_of(node)}")
        required, optional = KEYS[schema]
        items = node.items
        for key, (key_node, _) in items.items():
            if key not in required and key not in optional:
                known = required + optional
                self.fail(
                    SchemaError,
                    key_node,
                    f"{field}.{key}" if field else key,
                    f"unknown key '{key}'{_nearest(key, known)}"
                    f" (expected one of: {', '.join(sorted(known))})",
                )
        missing = [k for k in required if k not in items]
        if missing:
            keys = ", ".join(sorted(missing))
            self.fail(
                SchemaError, node, field, f"missing required key{'s' * (len(missing) > 1)}: {keys}"
            )
        return items

    def seq(self, node: Node, field: str) -> list[Node]:
        if type(node) is not Seq:
            self.fail(SchemaError, node, field, f"expected a sequence, found {kind_of(node)}")
        return node.items

    def text(self, node: Node, field: str, *, empty: bool = False) -> str:
        if type(node) is not Scalar:
            self.fail(SchemaError, node, field, f"expected text, found {kind_of(node)}")
        if not empty and not node.value:
            self.fail(SchemaError, node, field, "expected text, found an empty string")
        return node.value

    def ident(self, node: Node, field: str) -> str:
        value = self.text(node, field)
        if not _ID.match(value):
            self.fail(
                SchemaError,
                node,
                field,
                "expected an id (a-z, then a-z, 0-9, '_' or '-', at most 64),"
                f" found {_short(value)}",
            )
        return value

    def integer(self, node: Node, field: str) -> int:
        value = self.text(node, field)
        if not _INT.match(value):
            self.fail(
                SchemaError, node, field, f"expected a whole number >= 0, found {_short(value)}"
            )
        return int(value)

    def boolean(self, node: Node, field: str) -> bool:
        value = self.text(node, field)
        if value not in ("true", "false"):
            self.fail(SchemaError, node, field, f"expected true or false, found {_short(value)}")
        return value == "true"

    def choice(self, node: Node, field: str, choices: dict[str, T]) -> T:
        value = self.text(node, field)
        if value not in choices:
            self.fail(
                SchemaError,
                node,
                field,
                f"expected one of {', '.join(choices)},"
                f" found {_short(value)}{_nearest(value, choices)}",
            )
        return choices[value]

    def medium(self, node: Node, field: str) -> Medium:
        names = {m.name.lower(): m for m in Medium if m.name}
        if type(node) is Scalar:
            return self.choice(node, field, names)
        items = self.seq(node, field)
        if not items:
            self.fail(SchemaError, node, field, "expected at least one medium, found none")
        medium = Medium(0)
        for i, item in enumerate(items):
            medium |= self.choice(item, f"{field}[{i}]", names)
        return medium

    # -- spans ----------------------------------------------------------------

    def span(self, node: Node, field: str) -> Span:
        items = self.mapping(node, field, "span")
        block_node = items["block"][1]
        block_id = self.text(block_node, f"{field}.block")
        block = self.blocks.get(block_id)
        if block is None:
            self.fail(
                LinkError,
                block_node,
                f"{field}.block",
                f"unknown block '{block_id}'{_nearest(block_id, self.blocks)}",
            )
        text_node = items["text"][1]
        text = self.text(text_node, f"{field}.text")
        has_start, has_end = "start" in items, "end" in items
        if has_start != has_end:
            self.fail(SchemaError, node, field, "give both start and end, or neither")
        if not has_start:
            return self._find(block, text, text_node, field)
        start_node, end_node = items["start"][1], items["end"][1]
        start = self.integer(start_node, f"{field}.start")
        end = self.integer(end_node, f"{field}.end")
        size = len(block.text)
        if not start < end <= size:
            bad = end_node if start < end else start_node
            self.fail(
                SpanError,
                bad,
                field,
                f"offsets [{start}:{end}] are not a non-empty range inside block"
                f" '{block_id}' of length {size}",
            )
        found = block.text[start:end]
        if found != text:
            self.fail(
                SpanError,
                text_node,
                field,
                f"text {_short(text)} does not match {block_id}[{start}:{end}] {_short(found)}",
            )
        return Span(block, start, end)

    def _find(self, block: Block, text: str, node: Node, field: str) -> Span:
        key = (block.id, text)
        found = self.found.get(key)
        if found is None:
            self.scanned += len(block.text)
            if self.scanned > FIND_BUDGET:
                self.fail(
                    SpanError,
                    node,
                    field,
                    "too many spans without offsets in long blocks"
                    f" (over {FIND_BUDGET:,} characters searched); give start and end",
                )
            first = block.text.find(text)
            found = self.found[key] = (
                first,
                block.text.find(text, first + 1) if first >= 0 else -1,
            )
        first, again = found
        if first < 0:
            self.fail(
                SpanError, node, field, f"text {_short(text)} does not occur in block '{block.id}'"
            )
        if again >= 0:
            self.fail(
                SpanError,
                node,
                field,
                f"text {_short(text)} occurs more than once in block '{block.id}'"
                f" (at {first} and {again}); give start and end",
            )
        return Span(block, first, first + len(text))

    def item(self, node: Node, index: int) -> Node:
        """The ``index``-th item of a sequence already checked by `seq`."""
        return node.items[index] if type(node) is Seq else node

    def spans(self, node: Node, field: str, *, empty: bool = True) -> tuple[Span, ...]:
        items = self.seq(node, field)
        if not empty and not items:
            self.fail(SchemaError, node, field, "expected at least one span, found none")
        return tuple(self.span(item, f"{field}[{i}]") for i, item in enumerate(items))

    # -- references -----------------------------------------------------------

    def entity_ref(self, node: Node, field: str) -> Entity:
        key = self.text(node, field)
        entity = self.entities.get(key)
        if entity is None:
            self.fail(
                LinkError, node, field, f"unknown entity '{key}'{_nearest(key, self.entities)}"
            )
        return entity

    def unique(self, seen: dict[str, Node], key: str, node: Node, field: str) -> None:
        first = seen.get(key)
        if first is not None:
            self.fail(LinkError, node, field, f"duplicate id '{key}' (first at line {first.line})")
        seen[key] = node

    # -- the article ----------------------------------------------------------

    def article(self, root: Node) -> Article:
        top = self.mapping(root, "", "article")
        get = top.get
        if (fmt := get("format")) is not None and (found := self.text(fmt[1], "format")) != FORMAT:
            self.fail(
                SchemaError, fmt[1], "format", f"expected format '{FORMAT}', found {_short(found)}"
            )
        article_id = self.ident(top["id"][1], "id")
        language = self.text(top["language"][1], "language")
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
            self.fail(
                SchemaError,
                top["language"][1],
                "language",
                f"expected a BCP 47 tag like 'de', found {_short(language)}",
            )
        optional = {}
        for key in ("published", "url", "publisher"):
            if (item := get(key)) is not None:
                optional[key] = self.text(item[1], key)
        source_file = None
        if (item := get("source_file")) is not None:
            sf = self.mapping(item[1], "source_file", "source_file")
            digest = self.text(sf["sha256"][1], "source_file.sha256")
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                self.fail(
                    SchemaError,
                    sf["sha256"][1],
                    "source_file.sha256",
                    "expected 64 lower-case hex digits",
                )
            source_file = SourceFile(self.text(sf["file"][1], "source_file.file"), digest)

        # Text blocks, in reading order; ids are unique across the article.
        block_nodes: dict[str, Node] = {}
        blocks: list[Block] = []

        def add(block_id: str, role: BlockRole, node: Node, field: str) -> Block:
            block = Block(block_id, role, self.text(node, field))
            self.unique(block_nodes, block_id, node, field)
            blocks.append(block)
            self.blocks[block_id] = block
            return block

        if (item := get("kicker")) is not None:
            add("kicker", BlockRole.KICKER, item[1], "kicker")
        add("headline", BlockRole.HEADLINE, top["headline"][1], "headline")
        images: list[_Image] = []
        image_ids: dict[str, Node] = {}
        if (item := get("images")) is not None:
            for i, image_node in enumerate(self.seq(item[1], "images")):
                field = f"images[{i}]"
                fields = self.mapping(image_node, field, "image")
                image_id = self.ident(fields["id"][1], f"{field}.id")
                self.unique(image_ids, image_id, fields["id"][1], f"{field}.id")
                title = caption = None
                if "title" in fields:
                    title = add(
                        f"{image_id}.title",
                        BlockRole.IMAGE_TITLE,
                        fields["title"][1],
                        f"{field}.title",
                    )
                if "caption" in fields:
                    caption = add(
                        f"{image_id}.caption",
                        BlockRole.CAPTION,
                        fields["caption"][1],
                        f"{field}.caption",
                    )
                credit = add(
                    f"{image_id}.credit_line",
                    BlockRole.CREDIT_LINE,
                    fields["credit_line"][1],
                    f"{field}.credit_line",
                )
                images.append((image_id, fields, field, credit, title, caption))
        if (item := get("teaser")) is not None:
            add("teaser", BlockRole.TEASER, item[1], "teaser")
        body = self.seq(top["body"][1], "body")
        if not body:
            self.fail(
                SchemaError, top["body"][1], "body", "expected at least one block, found none"
            )
        for i, block_node in enumerate(body):
            field = f"body[{i}]"
            fields = self.mapping(block_node, field, "block")
            block_id = self.ident(fields["id"][1], f"{field}.id")
            if block_id in RESERVED_BLOCK_IDS:
                self.fail(
                    SchemaError,
                    fields["id"][1],
                    f"{field}.id",
                    f"'{block_id}' is reserved for the article's own {block_id}",
                )
            role = self.choice(fields["kind"][1], f"{field}.kind", BODY_KINDS)
            block = Block(block_id, role, self.text(fields["text"][1], f"{field}.text"))
            self.unique(block_nodes, block_id, fields["id"][1], f"{field}.id")
            blocks.append(block)
            self.blocks[block_id] = block
        agency_line = None
        if (item := get("agency_line")) is not None:
            agency_line = add("agency_line", BlockRole.AGENCY_LINE, item[1], "agency_line")
        agencies: list[str] = []
        if (item := get("agencies")) is not None:
            for i, node in enumerate(self.seq(item[1], "agencies")):
                name = self.text(node, f"agencies[{i}]")
                if agency_line is None or name not in agency_line.text:
                    self.fail(
                        SpanError,
                        node,
                        f"agencies[{i}]",
                        f"agency {_short(name)} is not in the agency_line",
                    )
                agencies.append(name)
        if (item := get("author_code")) is not None:
            add("author_code", BlockRole.AUTHOR_CODE, item[1], "author_code")

        excluded: list[Excluded] = []
        if (item := get("excluded")) is not None:
            for i, node in enumerate(self.seq(item[1], "excluded")):
                fields = self.mapping(node, f"excluded[{i}]", "excluded")
                excluded.append(
                    Excluded(
                        self.text(fields["text"][1], f"excluded[{i}].text"),
                        self.text(fields["reason"][1], f"excluded[{i}].reason"),
                    )
                )

        entities = self.entity_list(get("entities"))
        image_credits = tuple(self.image_credit(image) for image in images)
        attributions = self.attribution_list(get("attributions"))
        quotes = self.quote_list(get("quotes"), attributions)
        claims = self.claim_list(get("claims"), attributions)
        return Article(
            id=article_id,
            language=language,
            blocks=tuple(blocks),
            image_credits=image_credits,
            agencies=tuple(agencies),
            excluded=tuple(excluded),
            entities=entities,
            attributions=tuple(attributions.values()),
            quotes=quotes,
            source_file=source_file,
            claims=claims,
            **optional,
        )

    def entity_list(self, item: tuple[Scalar, Node] | None) -> tuple[Entity, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        kinds = {k.value: k for k in EntityKind}
        for i, node in enumerate(self.seq(item[1], "entities")):
            field = f"entities[{i}]"
            fields = self.mapping(node, field, "entity")
            entity_id = self.ident(fields["id"][1], f"{field}.id")
            if entity_id == UNKNOWN_SOURCE:
                self.fail(
                    SchemaError,
                    fields["id"][1],
                    f"{field}.id",
                    f"'{UNKNOWN_SOURCE}' is reserved for an unknown source",
                )
            self.unique(seen, entity_id, fields["id"][1], f"{field}.id")
            mentions = (
                self.spans(fields["mentions"][1], f"{field}.mentions")
                if "mentions" in fields
                else ()
            )
            title = None
            if "title" in fields:
                title = self.text(fields["title"][1], f"{field}.title")
                folded = title.casefold()
                if not any(folded in m.text.casefold() for m in mentions):
                    self.fail(
                        SpanError,
                        fields["title"][1],
                        f"{field}.title",
                        f"title {_short(title)} is not part of any of the entity's mentions",
                    )
            self.entities[entity_id] = Entity(
                id=entity_id,
                kind=self.choice(fields["kind"][1], f"{field}.kind", kinds),
                name=self.text(fields["name"][1], f"{field}.name"),
                title=title,
                mentions=mentions,
                external_ids=self.external_ids(fields.get("external_ids"), f"{field}.external_ids"),
            )
        return tuple(self.entities.values())

    def external_ids(self, item: tuple[Scalar, Node] | None, field: str) -> tuple[ExternalId, ...]:
        """Editorial identifiers; each must say how it was verified."""
        if item is None:
            return ()
        found = []
        for i, node in enumerate(self.seq(item[1], field)):
            f = self.mapping(node, f"{field}[{i}]", "external_id")
            found.append(
                ExternalId(
                    *(self.text(f[k][1], f"{field}[{i}].{k}") for k in KEYS["external_id"][0])
                )
            )
        return tuple(found)

    def image_credit(self, image: _Image) -> ImageCredit:
        image_id, fields, field, credit, title, caption = image
        parties: list[Party] = []
        roles = {r.value: r for r in PartyRole}
        if "parties" in fields:
            for i, node in enumerate(self.seq(fields["parties"][1], f"{field}.parties")):
                pfield = f"{field}.parties[{i}]"
                p = self.mapping(node, pfield, "party")
                mention = self.span(p["mention"][1], f"{pfield}.mention")
                if mention.block is not credit:
                    self.fail(
                        SpanError,
                        p["mention"][1],
                        f"{pfield}.mention",
                        f"a party's mention must be in '{credit.id}'",
                    )
                parties.append(
                    Party(
                        self.entity_ref(p["entity"][1], f"{pfield}.entity"),
                        self.choice(p["role"][1], f"{pfield}.role", roles),
                        mention,
                    )
                )
        provenance = None
        if "provenance" in fields:
            pfield = f"{field}.provenance"
            p = self.mapping(fields["provenance"][1], pfield, "provenance")
            statement = self.spans(p["statement"][1], f"{pfield}.statement", empty=False)
            for j, span in enumerate(statement):
                if span.block is not caption:
                    self.fail(
                        SpanError,
                        self.item(p["statement"][1], j),
                        f"{pfield}.statement[{j}]",
                        f"the provenance statement must be in '{image_id}.caption'",
                    )
            provenance = Provenance(
                statement=statement,
                released_by=self.entity_ref(p["released_by"][1], f"{pfield}.released_by")
                if "released_by" in p
                else None,
                state_run=self.boolean(p["state_run"][1], f"{pfield}.state_run")
                if "state_run" in p
                else None,
            )
        return ImageCredit(image_id, credit, title, caption, tuple(parties), provenance)

    def attribution_list(self, item: tuple[Scalar, Node] | None) -> dict[str, Attribution]:
        if item is None:
            return {}
        raw: dict[str, tuple[Fields, str]] = {}
        seen: dict[str, Node] = {}
        for i, node in enumerate(self.seq(item[1], "attributions")):
            field = f"attributions[{i}]"
            fields = self.mapping(node, field, "attribution")
            attribution_id = self.ident(fields["id"][1], f"{field}.id")
            self.unique(seen, attribution_id, fields["id"][1], f"{field}.id")
            raw[attribution_id] = (fields, field)
        built: dict[str, Attribution] = {}
        kinds = {k.value: k for k in AttributionKind}

        def build(attribution_id: str, path: tuple[str, ...]) -> Attribution:
            if attribution_id in built:
                return built[attribution_id]
            fields, field = raw[attribution_id]
            parent = None
            if "parent" in fields:
                pnode = fields["parent"][1]
                parent_id = self.text(pnode, f"{field}.parent")
                if parent_id not in raw:
                    self.fail(
                        LinkError,
                        pnode,
                        f"{field}.parent",
                        f"unknown attribution '{parent_id}'{_nearest(parent_id, raw)}",
                    )
                if len(path) >= MAX_NESTING:
                    self.fail(
                        LinkError,
                        pnode,
                        f"{field}.parent",
                        f"attributions nest more than {MAX_NESTING} deep",
                    )
                if parent_id == attribution_id or parent_id in path:
                    cycle = " -> ".join((*path, attribution_id, parent_id))
                    self.fail(LinkError, pnode, f"{field}.parent", f"parents form a cycle: {cycle}")
                parent = build(parent_id, (*path, attribution_id))
            source_node = fields["source"][1]
            source_key = self.text(source_node, f"{field}.source")
            source = (
                None
                if source_key == UNKNOWN_SOURCE
                else self.entity_ref(source_node, f"{field}.source")
            )
            content = self.spans(fields["content"][1], f"{field}.content", empty=False)
            roles = {
                key: self.spans(fields[key][1], f"{field}.{key}") if key in fields else ()
                for key in ROLE_KEYS
            }
            if parent is not None:
                for j, span in enumerate(content):
                    if not any(p.contains(span) for p in parent.content):
                        self.fail(
                            SpanError,
                            self.item(fields["content"][1], j),
                            f"{field}.content[{j}]",
                            "a nested attribution's content must lie inside"
                            f" its parent '{parent.id}'s content",
                        )
            attribution = Attribution(
                id=attribution_id,
                kind=self.choice(fields["kind"][1], f"{field}.kind", kinds),
                medium=self.medium(fields["medium"][1], f"{field}.medium"),
                source=source,
                content=content,
                cue=roles["cue"],
                source_mentions=roles["source_mentions"],
                addressee=roles["addressee"],
                evidence=roles["evidence"],
                place=roles["place"],
                parent=parent,
            )
            built[attribution_id] = attribution
            return attribution

        for attribution_id in raw:
            build(attribution_id, ())
        return {key: built[key] for key in raw}

    def quote_list(
        self, item: tuple[Scalar, Node] | None, attributions: dict[str, Attribution]
    ) -> tuple[Quote, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        quotes: list[Quote] = []
        for i, node in enumerate(self.seq(item[1], "quotes")):
            field = f"quotes[{i}]"
            fields = self.mapping(node, field, "quote")
            quote_id = self.ident(fields["id"][1], f"{field}.id")
            self.unique(seen, quote_id, fields["id"][1], f"{field}.id")
            anode = fields["attribution"][1]
            attribution_id = self.text(anode, f"{field}.attribution")
            attribution = attributions.get(attribution_id)
            if attribution is None:
                self.fail(
                    LinkError,
                    anode,
                    f"{field}.attribution",
                    f"unknown attribution '{attribution_id}'"
                    f"{_nearest(attribution_id, attributions)}",
                )
            spans = self.spans(fields["spans"][1], f"{field}.spans", empty=False)
            for j, span in enumerate(spans):
                if not any(c.contains(span) for c in attribution.content):
                    self.fail(
                        SpanError,
                        self.item(fields["spans"][1], j),
                        f"{field}.spans[{j}]",
                        f"a quote must lie inside its attribution '{attribution_id}'s content",
                    )
            partial = (
                self.boolean(fields["partial"][1], f"{field}.partial")
                if "partial" in fields
                else False
            )
            quotes.append(Quote(quote_id, spans, attribution, partial))
        link_quotes(quotes)
        return tuple(quotes)

    def inside(
        self, spans: Node, field: str, found: tuple[Span, ...], outer: tuple[Span, ...], what: str
    ) -> None:
        """Fail at the first of ``found`` (read from ``spans``) that lies in none of ``outer``."""
        for j, span in enumerate(found):
            if not any(o.contains(span) for o in outer):
                self.fail(SpanError, self.item(spans, j), f"{field}[{j}]", what)

    def claim_list(
        self, item: tuple[Scalar, Node] | None, attributions: dict[str, Attribution]
    ) -> tuple[Claim, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        claims: list[Claim] = []
        for i, node in enumerate(self.seq(item[1], "claims")):
            field = f"claims[{i}]"
            fields = self.mapping(node, field, "claim")
            claim_id = self.ident(fields["id"][1], f"{field}.id")
            self.unique(seen, claim_id, fields["id"][1], f"{field}.id")
            attribution = None
            if "attribution" in fields:
                anode = fields["attribution"][1]
                attribution_id = self.text(anode, f"{field}.attribution")
                attribution = attributions.get(attribution_id)
                if attribution is None:
                    self.fail(
                        LinkError,
                        anode,
                        f"{field}.attribution",
                        f"unknown attribution '{attribution_id}'"
                        f"{_nearest(attribution_id, attributions)}",
                    )
            snode = fields["spans"][1]
            spans = self.spans(snode, f"{field}.spans", empty=False)
            if attribution is not None:
                self.inside(
                    snode,
                    f"{field}.spans",
                    spans,
                    attribution.content,
                    f"a claim must lie inside its attribution '{attribution.id}'s content",
                )
            quantities: list[Quantity] = []
            if "quantities" in fields:
                qnode = fields["quantities"][1]
                for j, quantity in enumerate(self.seq(qnode, f"{field}.quantities")):
                    quantities.append(self.quantity(quantity, f"{field}.quantities[{j}]", spans))
            claims.append(Claim(claim_id, spans, attribution, tuple(quantities)))
        return tuple(claims)

    def quantity(self, node: Node, field: str, claim: tuple[Span, ...]) -> Quantity:
        """A claim's quantity: its words lie in the claim and read as its value and bound."""
        fields = self.mapping(node, field, "quantity")
        vnode = fields["value"][1]
        value_text = self.text(vnode, f"{field}.value")
        if not _NUMBER.match(value_text):
            self.fail(
                SchemaError,
                vnode,
                f"{field}.value",
                "expected a number >= 0 written with digits and an optional '.' fraction"
                f" (600000, 2.5), found {_short(value_text)}",
            )
        value = float(value_text) if "." in value_text else int(value_text)
        bnode = fields["bound"][1]
        bound = self.choice(bnode, f"{field}.bound", {b.value: b for b in Bound})
        span_node = fields["span"][1]
        span = self.span(span_node, f"{field}.span")
        if not any(c.contains(span) for c in claim):
            self.fail(
                SpanError,
                span_node,
                f"{field}.span",
                "a quantity's words must lie inside its claim",
            )
        mnode = fields["measure"][1]
        measure = self.spans(mnode, f"{field}.measure", empty=False)
        self.inside(
            mnode,
            f"{field}.measure",
            measure,
            claim,
            "a quantity's measure must lie inside its claim",
        )
        unit = None
        if "unit" in fields:
            unode = fields["unit"][1]
            unit = self.text(unode, f"{field}.unit")
            if not any(unit.casefold() in s.text.casefold() for s in claim):
                self.fail(
                    SpanError,
                    unode,
                    f"{field}.unit",
                    f"unit {_short(unit)} is not in the claim's words",
                )
        try:
            read, read_bound = read_number(span.text)
        except ValueError as exc:
            self.fail(
                SpanError,
                span_node,
                f"{field}.span",
                f"cannot read a number from {_short(span.text)}: {exc}",
            )
        if read != value:
            self.fail(
                SpanError,
                vnode,
                f"{field}.value",
                f"value {value_text} does not match its words {_short(span.text)},"
                f" which read {read}",
            )
        if read_bound is not bound:
            self.fail(
                SpanError,
                bnode,
                f"{field}.bound",
                f"bound {bound.value} does not match its words {_short(span.text)},"
                f" which read {read_bound.value}",
            )
        return Quantity(value, bound, span, measure, unit)


def build_article(root: Node, source: str) -> Article:
    """Check a parsed document against the article format and build the model."""
    return _Loader(source).article(root)
