"""YAML node tree to model: the article format's schema, with field paths in every error."""

from __future__ import annotations

import difflib
from functools import partial
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeVar

import attrs

from ._errors import DataError, LinkError, SchemaError, SpanError
from ._format import (
    ATTRIBUTION_KINDS,
    BODY_KINDS,
    BOUNDS,
    ENTITY_KINDS,
    FLAGS,
    FORMAT,
    ID,
    IMAGE_BLOCKS,
    KEYS,
    LANGUAGE,
    MEDIA,
    NUMBER,
    OFFSET,
    OWN_BLOCKS,
    PARTY_ROLES,
    RESERVED_BLOCK_IDS,
    ROLE_KEYS,
    SHA256,
    UNKNOWN_SOURCE,
)
from ._model import (
    NO_SPANS,
    Article,
    Attribution,
    Block,
    BlockRole,
    Claim,
    Entity,
    EntityKind,
    Excluded,
    ExternalId,
    ImageCredit,
    Medium,
    Party,
    Provenance,
    Quantity,
    Quote,
    SourceFile,
    Span,
    Spans,
    link_quotes,
)
from ._numbers import read_number
from ._yaml import DEFAULT_LIMITS, Limits, Map, Node, Scalar, Seq, kind_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

T = TypeVar("T")

__all__ = ["build_article"]

Fields = dict[str, tuple[Scalar, Node]]
Placed = tuple[tuple[Span, Node], ...]  # spans, each with the node it was read from


#: Each mapping's keys, required and all, as sets for `_Loader.mapping`'s quick check.
_REQUIRED: Final = {name: frozenset(required) for name, (required, _) in KEYS.items()}
_EXPECTED: Final = {name: frozenset(r + o) for name, (r, o) in KEYS.items()}
_OFFSET_SPAN: Final = frozenset(("block", "text", "start", "end"))


def _spans_of(placed: Placed) -> Spans:
    return Spans([span for span, _ in placed]) if placed else NO_SPANS


@attrs.frozen
class _Image:
    """An image read so far: its id, fields and field path, and its blocks."""

    id: str
    fields: Fields
    field: str
    credit: Block
    title: Block | None
    caption: Block | None


def _nearest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else ""


def _short(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def _suggest(block: str, text: str, near: int, limits: Limits) -> str:
    """Where ``text`` really is in ``block``, nearest ``near``: a hint for a wrong offset.

    Whole-word places (see `anchors`) come first, as they do for spans without offsets.
    """
    if not text or len(block) > limits.suggest_limit:
        return ""
    words, inside = anchors(block, text)
    places = words or inside
    if not places:
        return f"; {_short(text)} does not occur in the block"
    best = min(places, key=lambda at: abs(at - near))
    return f"; found at {best}: did you mean start: {best}, end: {best + len(text)}?"


class _Skip(Exception):  # noqa: N818 - control flow inside the loader, never escapes it
    """A part that cannot be built because of an error already recorded; nothing new to say."""


def _label(node: Node, field: str) -> str:
    """``field`` followed by the item's id where it has a valid one: ``attributions[4] (a5)``."""
    if type(node) is Map and (item := node.items.get("id")) is not None:
        value = item[1]
        if type(value) is Scalar and ID.fullmatch(value.value):
            return f"{field} ({value.value})"
    return field


def _is_word(char: str) -> bool:
    return char.isalnum()


def anchors(block: str, text: str) -> tuple[list[int], list[int]]:
    """Where ``text`` occurs in ``block``: (as whole words, only inside a word).

    A match is whole when the characters just before and after it are not letters or
    digits, so ``Rat`` does not anchor inside "Rathaus".  An edge of ``text`` that is
    itself not a letter or digit (``"Rat,"``) needs no boundary on that side.
    """
    words: list[int] = []
    inside: list[int] = []
    check_start, check_end = _is_word(text[0]), _is_word(text[-1])
    size = len(text)
    at = block.find(text)
    while at >= 0:
        end = at + size
        whole = not (check_start and at > 0 and _is_word(block[at - 1])) and not (
            check_end and end < len(block) and _is_word(block[end])
        )
        (words if whole else inside).append(at)
        at = block.find(text, at + 1)
    return words, inside


def _context(block: str, start: int, end: int, words: int = 3) -> str:
    """The match in brackets with a few words of the block on each side."""
    before = block[max(0, start - 40) : start].split(" ")
    after = block[end : end + 40].split(" ")
    left = " ".join(before[-words - 1 :]) if len(before) > words else " ".join(before)
    right = " ".join(after[: words + 1]) if len(after) > words else " ".join(after)
    lead = "…" if start - len(left) > 0 else ""
    tail = "…" if end + len(right) < len(block) else ""
    return f"{lead}{left}[{block[start:end]}]{right}{tail}"


def _candidates(block: str, starts: list[int], size: int, most: int) -> str:
    """Each place as ``start S, end E ("…context…")``, at most ``most`` of them."""
    shown = [f"start {s}, end {s + size} ({_context(block, s, s + size)!r})" for s in starts[:most]]
    more = len(starts) - most
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _not_one(block: Block, text: str, words: list[int], inside: list[int], most: int) -> str:
    """Why ``text`` does not anchor in ``block``, with every place it could mean."""
    if words:
        return (
            f"text {_short(text)} occurs {len(words)} times in block '{block.id}';"
            f" give the start and end of one: {_candidates(block.text, words, len(text), most)}"
        )
    if inside:
        return (
            f"text {_short(text)} occurs in block '{block.id}' only inside a word:"
            f" {_candidates(block.text, inside, len(text), most)}; give start and end to"
            " anchor it there, or write the whole word"
        )
    return f"text {_short(text)} does not occur in block '{block.id}'"


class _Loader:
    """Walks one article's node tree; knows the file name for every error it raises.

    Independent errors are collected (`attempt`) so a file reports all of them at once;
    a part that depends on a failed one is skipped without a second, derived error.
    """

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.errors: list[DataError] = []
        self.failures = 0  # parts that failed, recorded or skipped
        # Namespaces ("block", "entity", "attribution") with an item that failed: an
        # unknown reference into one may be that item, so it is not reported again.
        self.incomplete: set[str] = set()
        # Attributions by id: their fields and field path as read, built, failed to build.
        self.raw_attributions: dict[str, tuple[Fields, str]] = {}
        self.built_attributions: dict[str, Attribution] = {}
        self.broken_attributions: set[str] = set()
        self.blocks: dict[str, Block] = {}
        self.block_order: list[Block] = []  # every block, in reading order
        self.block_nodes: dict[str, Node] = {}  # where each block id was first given
        self.entities: dict[str, Entity] = {}
        # Spans given without offsets: where each (block, text) occurs, and the work done.
        self.found: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        self.scanned = 0
        self.made: dict[tuple[str, int, int], Span] = {}  # see `make_span`

    # -- errors ---------------------------------------------------------------

    def error(self, cls: type[DataError], node: Node | None, field: str, message: str) -> DataError:
        """An error of this file at ``node`` (its line and column) and ``field``."""
        return cls(
            message,
            path=self.source,
            line=node.line if node is not None else None,
            column=node.column if node is not None else None,
            field=field or None,
        )

    def fail(self, cls: type[DataError], node: Node | None, field: str, message: str) -> NoReturn:
        raise self.error(cls, node, field, message)

    def attempt(self, part: Callable[[], T], namespace: str | None = None) -> T | None:
        """Build one independent part; record its error and return None if it fails."""
        try:
            return part()
        except _Skip:
            pass
        except DataError as err:
            self.errors.append(err)
        self.failures += 1
        if namespace is not None:
            self.incomplete.add(namespace)
        return None

    def unknown(self, namespace: str, node: Node, field: str, message: str) -> NoReturn:
        """An unknown reference: a `LinkError`, unless it may name an item that failed."""
        if namespace in self.incomplete:
            raise _Skip
        self.fail(LinkError, node, field, message)

    # -- structure ------------------------------------------------------------

    def mapping(self, node: Node, field: str, schema: str, *, lenient: bool = False) -> Fields:
        """A mapping's fields: unknown keys are recorded; missing ones raise.

        With ``lenient`` missing keys are recorded too, so the rest can still be checked.
        """
        if type(node) is not Map:
            self.fail(SchemaError, node, field, f"expected a mapping, found {kind_of(node)}")
        items = node.items
        if _EXPECTED[schema] >= items.keys() >= _REQUIRED[schema]:
            return items  # the usual case, two set comparisons in C
        required, optional = KEYS[schema]
        known = required + optional
        meant: set[str] = set()  # required keys that a misspelt key stands for
        explained = -1  # the line of a text cut at ", " in a flow mapping, once explained
        for key, (key_node, _) in items.items():
            if key not in required and key not in optional:
                if key_node.line == explained:
                    continue  # the rest of a text already explained below
                mark = self.failures
                self.attempt(partial(self._comma_in_flow, node, key, field))
                if self.failures != mark:
                    explained = key_node.line
                    continue
                near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
                meant.update(near)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                self.errors.append(
                    self.error(
                        SchemaError,
                        key_node,
                        f"{field}.{key}" if field else key,
                        f"unknown key '{key}'{hint} (expected one of: {', '.join(sorted(known))})",
                    )
                )
        missing = [k for k in required if k not in items]
        if missing:
            # A missing key that a misspelt one stands for is said once, at the misspelling.
            said = [k for k in missing if k not in meant]
            if said:
                keys = ", ".join(sorted(said))
                err = self.error(
                    SchemaError, node, field, f"missing required key{'s' * (len(said) > 1)}: {keys}"
                )
                if not lenient:
                    raise err
                self.errors.append(err)
            elif not lenient:
                raise _Skip
        return items

    def _comma_in_flow(self, node: Map, unknown: str, field: str) -> None:
        """Explain an unknown key that is really the rest of an unquoted text after ", ".

        In ``{block: p1, text: Er sagte, es sei gut.}`` the comma ends the text and
        "es sei gut." becomes a key without a value.  Two keys on one line can only be
        a flow mapping; a key with a value of its own is a wrong key, not a text's tail.
        """
        entries = list(node.items.items())
        at = next(i for i, (k, _) in enumerate(entries) if k == unknown)
        if at == 0:
            return
        name, (_, previous) = entries[at - 1]
        if type(previous) is not Scalar:
            return
        parts = [previous.value]
        for key, (key_node, value) in entries[at:]:
            if key_node.line != previous.line or type(value) is not Scalar or value.value:
                break
            parts.append(key)
        if len(parts) == 1:
            return
        whole = ", ".join(parts)
        quoted = '"' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
        self.fail(
            SchemaError,
            previous,
            f"{field}.{name}" if field else name,
            f"unquoted text stops at ', ' inside {{...}}: {name} is {_short(previous.value)}"
            f" and {_short(unknown)} became an unknown key; put the whole text in quotes:"
            f" {name}: {quoted}",
        )

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
        if not ID.fullmatch(value):
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
        if not OFFSET.fullmatch(value):
            self.fail(
                SchemaError, node, field, f"expected a whole number >= 0, found {_short(value)}"
            )
        return int(value)

    def boolean(self, node: Node, field: str) -> bool:
        value = self.text(node, field)
        if value not in FLAGS:
            self.fail(SchemaError, node, field, f"expected true or false, found {_short(value)}")
        return FLAGS[value]

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
        if type(node) is Scalar:
            return self.choice(node, field, MEDIA)
        items = self.seq(node, field)
        if not items:
            self.fail(SchemaError, node, field, "expected at least one medium, found none")
        medium = Medium(0)
        for i, item in enumerate(items):
            medium |= self.choice(item, f"{field}[{i}]", MEDIA)
        return medium

    # -- spans ----------------------------------------------------------------

    def span(self, node: Node, field: str) -> Span:
        """A span, read the quick way when it is well formed (see `quick_span`)."""
        return self.quick_span(node) or self.checked_span(node, field)

    def quick_span(self, node: Node) -> Span | None:
        """The span ``node`` gives when its offsets are there and every check passes, else None.

        The usual case costs no field path and no call per scalar; anything else goes
        to `checked_span`, which finds the same span or the error.
        """
        if type(node) is not Map:
            return None
        items = node.items
        if not _EXPECTED["span"] >= items.keys() >= _OFFSET_SPAN:
            return None
        block_node, text_node = items["block"][1], items["text"][1]
        start_node, end_node = items["start"][1], items["end"][1]
        if (
            type(block_node) is not Scalar
            or type(text_node) is not Scalar
            or type(start_node) is not Scalar
            or type(end_node) is not Scalar
            or (block := self.blocks.get(block_node.value)) is None
            or not OFFSET.fullmatch(start_node.value)
            or not OFFSET.fullmatch(end_node.value)
        ):
            return None
        start, end, text = int(start_node.value), int(end_node.value), text_node.value
        if text and start < end <= len(block.text) and block.text[start:end] == text:
            return self.make_span(block, start, end)
        return None

    def make_span(self, block: Block, start: int, end: int) -> Span:
        """The span, one object for equal spans: a mention is often a role's span, too."""
        key = (block.id, start, end)
        span = self.made.get(key)
        if span is None:
            span = self.made[key] = Span(block, start, end)
        return span

    def checked_span(self, node: Node, field: str) -> Span:
        """A span with every check spelt out: the error of a bad one, or one without offsets."""
        items = self.mapping(node, field, "span")
        block_node = items["block"][1]
        block_id = self.text(block_node, f"{field}.block")
        block = self.blocks.get(block_id)
        if block is None:
            self.unknown(
                "block",
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
                f" '{block_id}' of length {size}{_suggest(block.text, text, start, self.limits)}",
            )
        found = block.text[start:end]
        if found != text:
            self.fail(
                SpanError,
                text_node,
                field,
                f"text {_short(text)} does not match {block_id}[{start}:{end}]"
                f" {_short(found)}{_suggest(block.text, text, start, self.limits)}",
            )
        return self.make_span(block, start, end)

    def _find(self, block: Block, text: str, node: Node, field: str) -> Span:
        """The one place ``text`` occurs in ``block`` as whole words (see `anchors`)."""
        key = (block.id, text)
        found = self.found.get(key)
        if found is None:
            self.scanned += len(block.text)
            if self.scanned > self.limits.find_budget:
                self.fail(
                    SpanError,
                    node,
                    field,
                    "too many spans without offsets in long blocks"
                    f" (over {self.limits.find_budget:,} characters searched); give start and end",
                )
            found = self.found[key] = anchors(block.text, text)
        words, inside = found
        if len(words) != 1:
            self.fail(
                SpanError,
                node,
                field,
                _not_one(block, text, words, inside, self.limits.max_candidates),
            )
        return self.make_span(block, words[0], words[0] + len(text))

    def spans(self, node: Node, field: str, *, empty: bool = True) -> Spans:
        return _spans_of(self.placed(node, field, empty=empty))

    def placed(self, node: Node, field: str, *, empty: bool = True) -> Placed:
        """A list of spans, each with its node, so later checks can point at it."""
        items = self.seq(node, field)
        if not empty and not items:
            self.fail(SchemaError, node, field, "expected at least one span, found none")
        mark = self.failures
        quick = self.quick_span
        spans = [
            quick(item) or self.attempt(partial(self.checked_span, item, f"{field}[{i}]"))
            for i, item in enumerate(items)
        ]
        if self.failures != mark:
            raise _Skip
        return tuple((s, n) for s, n in zip(spans, items, strict=True) if s is not None)

    # -- references -----------------------------------------------------------

    def entity_ref(self, node: Node, field: str, key: str | None = None) -> Entity:
        """The entity ``node`` names; ``key`` is its text when the caller has read it."""
        if key is None:
            key = self.text(node, field)
        entity = self.entities.get(key)
        if entity is None:
            self.unknown(
                "entity", node, field, f"unknown entity '{key}'{_nearest(key, self.entities)}"
            )
        return entity

    def unique(self, seen: dict[str, Node], key: str, node: Node, field: str) -> None:
        first = seen.get(key)
        if first is not None:
            self.fail(LinkError, node, field, f"duplicate id '{key}' (first at line {first.line})")
        seen[key] = node

    # -- the article ----------------------------------------------------------

    def article(self, root: Node) -> Article:
        """Build the article, or raise its first error carrying every independent one."""
        top = self.mapping(root, "", "article", lenient=True)  # not a mapping: stop here
        get = top.get
        metadata = self.metadata(top)
        blocks, images = self.blocks_and_images(top)
        agencies = self.agencies(get("agencies"))
        excluded = self.excluded(get("excluded"))
        entities = self.entity_list(get("entities"))
        image_credits = [self.attempt(partial(self.image_credit, image)) for image in images]
        attributions = self.attribution_list(get("attributions"))
        quotes = self.quote_list(get("quotes"), attributions)
        claims = self.claim_list(get("claims"), attributions)
        if self.errors:
            self.raise_errors()
        if self.failures:  # pragma: no cover - every failure records an error first
            msg = "internal error: a part failed without an error"
            raise AssertionError(msg)
        return Article(
            **metadata,
            blocks=tuple(blocks),
            image_credits=tuple(c for c in image_credits if c is not None),
            agencies=agencies,
            excluded=excluded,
            entities=entities,
            attributions=tuple(attributions.values()),
            quotes=quotes,
            claims=claims,
        )

    def metadata(self, top: Fields) -> dict[str, Any]:
        """The article's format, id, language, source file and optional texts, as arguments."""
        get = top.get
        if (fmt := get("format")) is not None:
            self.attempt(lambda: self.format(fmt[1]))
        article_id = self.attempt(lambda: self.ident(top["id"][1], "id")) if "id" in top else ""
        language = (
            self.attempt(lambda: self.language(top["language"][1])) if "language" in top else ""
        )
        found: dict[str, Any] = {"id": article_id or "", "language": language or ""}
        for key in ("published", "url", "publisher"):
            if (item := get(key)) is not None:
                found[key] = self.attempt(partial(self.text, item[1], key))
        found["source_file"] = None
        if (item := get("source_file")) is not None:
            found["source_file"] = self.attempt(lambda: self.source_file(item[1]))
        return {k: v for k, v in found.items() if v is not None}

    def raise_errors(self) -> NoReturn:
        """Raise the first error in document order; it carries all of them (``.errors``)."""
        unique: dict[tuple[object, ...], DataError] = {}
        for err in self.errors:
            unique.setdefault((err.line or 0, err.column or 0, err.field, str(err)), err)
        errors = [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1]))]
        first = errors[0]
        first.errors = tuple(errors)
        raise first

    def format(self, node: Node) -> None:
        if (found := self.text(node, "format")) != FORMAT:
            self.fail(
                SchemaError, node, "format", f"expected format '{FORMAT}', found {_short(found)}"
            )

    def language(self, node: Node) -> str:
        language = self.text(node, "language")
        if not LANGUAGE.fullmatch(language):
            self.fail(
                SchemaError,
                node,
                "language",
                f"expected a BCP 47 tag like 'de', found {_short(language)}",
            )
        return language

    def source_file(self, node: Node) -> SourceFile:
        sf = self.mapping(node, "source_file", "source_file")
        digest = self.text(sf["sha256"][1], "source_file.sha256")
        if not SHA256.fullmatch(digest):
            self.fail(
                SchemaError,
                sf["sha256"][1],
                "source_file.sha256",
                "expected 64 lower-case hex digits",
            )
        return SourceFile(self.text(sf["file"][1], "source_file.file"), digest)

    def blocks_and_images(self, top: Fields) -> tuple[list[Block], list[_Image]]:
        """The text blocks in reading order (ids unique across the article), and the images."""
        self.own_block(top, "kicker")
        if "headline" in top:
            self.own_block(top, "headline")
        else:
            self.incomplete.add("block")
        images: list[_Image] = []
        image_ids: dict[str, Node] = {}
        if (item := top.get("images")) is not None:
            nodes = self.attempt(lambda: self.seq(item[1], "images"), "block") or []
            for i, node in enumerate(nodes):
                found = self.attempt(partial(self.image, i, node, image_ids), "block")
                if found is not None:
                    images.append(found)
        self.own_block(top, "teaser")
        body = self.attempt(lambda: self.body(top["body"][1]), "block") if "body" in top else None
        for i, node in enumerate(body or ()):
            self.attempt(partial(self.body_block, i, node), "block")
        self.own_block(top, "agency_line")
        self.own_block(top, "author_code")
        return self.block_order, images

    def add_block(self, block_id: str, role: BlockRole, node: Node, field: str) -> Block:
        """A block of the article, its id unique among all blocks."""
        block = Block(block_id, role, self.text(node, field))
        self.unique(self.block_nodes, block_id, node, field)
        self.block_order.append(block)
        self.blocks[block_id] = block
        return block

    def own_block(self, top: Fields, key: str) -> None:
        """One of the article's own text fields (``kicker``, ``headline``, ...), if given."""
        if (item := top.get(key)) is not None:
            self.attempt(partial(self.add_block, key, OWN_BLOCKS[key], item[1], key), "block")

    def image(self, i: int, node: Node, image_ids: dict[str, Node]) -> _Image:
        """An image's id and its text blocks (title, caption, credit line)."""
        field = _label(node, f"images[{i}]")
        fields = self.mapping(node, field, "image")
        image_id = self.ident(fields["id"][1], f"{field}.id")
        self.unique(image_ids, image_id, fields["id"][1], f"{field}.id")
        parts = {}
        for key, role in IMAGE_BLOCKS.items():
            if key in fields:
                parts[key] = self.attempt(
                    partial(
                        self.add_block, f"{image_id}.{key}", role, fields[key][1], f"{field}.{key}"
                    ),
                    "block",
                )
        credit = parts["credit_line"]
        if credit is None or None in (parts.get(k, False) for k in ("title", "caption")):
            raise _Skip
        return _Image(image_id, fields, field, credit, parts.get("title"), parts.get("caption"))

    def body(self, node: Node) -> list[Node]:
        body = self.seq(node, "body")
        if not body:
            self.fail(SchemaError, node, "body", "expected at least one block, found none")
        return body

    def body_block(self, i: int, node: Node) -> None:
        field = _label(node, f"body[{i}]")
        fields = self.mapping(node, field, "block")
        block_id = self.ident(fields["id"][1], f"{field}.id")
        if block_id in RESERVED_BLOCK_IDS:
            self.fail(
                SchemaError,
                fields["id"][1],
                f"{field}.id",
                f"'{block_id}' is reserved for the article's own {block_id}",
            )
        block = Block(block_id, BlockRole.PARAGRAPH, self.text(fields["text"][1], f"{field}.text"))
        self.unique(self.block_nodes, block_id, fields["id"][1], f"{field}.id")
        blocks = self.block_order
        blocks.append(block)
        self.blocks[block_id] = block
        # Registered before its kind is read, so spans into it are still checked.
        role = self.choice(fields["kind"][1], f"{field}.kind", BODY_KINDS)
        if role is not BlockRole.PARAGRAPH:
            blocks[-1] = self.blocks[block_id] = attrs.evolve(block, role=role)

    def agencies(self, item: tuple[Scalar, Node] | None) -> tuple[str, ...]:
        if item is None:
            return ()
        agency_line = self.blocks.get("agency_line")

        def agency(i: int, node: Node) -> str:
            name = self.text(node, f"agencies[{i}]")
            if agency_line is None or name not in agency_line.text:
                if agency_line is None and "block" in self.incomplete:
                    raise _Skip
                self.fail(
                    SpanError,
                    node,
                    f"agencies[{i}]",
                    f"agency {_short(name)} is not in the agency_line",
                )
            return name

        nodes = self.attempt(lambda: self.seq(item[1], "agencies")) or []
        found = [self.attempt(partial(agency, i, n)) for i, n in enumerate(nodes)]
        return tuple(a for a in found if a is not None)

    def excluded(self, item: tuple[Scalar, Node] | None) -> tuple[Excluded, ...]:
        if item is None:
            return ()

        def one(i: int, node: Node) -> Excluded:
            fields = self.mapping(node, f"excluded[{i}]", "excluded")
            return Excluded(
                self.text(fields["text"][1], f"excluded[{i}].text"),
                self.text(fields["reason"][1], f"excluded[{i}].reason"),
            )

        nodes = self.attempt(lambda: self.seq(item[1], "excluded")) or []
        found = [self.attempt(partial(one, i, n)) for i, n in enumerate(nodes)]
        return tuple(e for e in found if e is not None)

    def entity_list(self, item: tuple[Scalar, Node] | None) -> tuple[Entity, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        nodes = self.attempt(lambda: self.seq(item[1], "entities"), "entity") or []
        for i, node in enumerate(nodes):
            self.attempt(partial(self.entity, i, node, seen))
        return tuple(self.entities.values())

    def entity(self, i: int, node: Node, seen: dict[str, Node]) -> None:
        field = _label(node, f"entities[{i}]")
        fields = self.attempt(partial(self.mapping, node, field, "entity"), "entity")
        if fields is None:
            raise _Skip
        entity_id = self.attempt(partial(self.entity_id, fields, field, seen), "entity")
        if entity_id is None:
            raise _Skip
        mark = self.failures
        kind = self.attempt(lambda: self.choice(fields["kind"][1], f"{field}.kind", ENTITY_KINDS))
        name = self.attempt(lambda: self.text(fields["name"][1], f"{field}.name"))
        placed = (
            self.attempt(lambda: self.placed(fields["mentions"][1], f"{field}.mentions"))
            if "mentions" in fields
            else ()
        )
        mentions = None if placed is None else _spans_of(placed)
        if placed:
            self.attempt(lambda: self.distinct(placed, f"{field}.mentions"))
        title = None
        if "title" in fields:
            title = self.attempt(lambda: self.title(fields["title"][1], f"{field}.title", mentions))
        external_ids = self.attempt(
            lambda: self.external_ids(fields.get("external_ids"), f"{field}.external_ids")
        )
        # Registered even when a part failed, so references to it are still checked.
        self.entities[entity_id] = Entity(
            id=entity_id,
            kind=kind or EntityKind.PERSON,
            name=name or entity_id,
            title=title,
            mentions=mentions or (),
            external_ids=external_ids or (),
        )
        if self.failures != mark:
            raise _Skip

    def entity_id(self, fields: Fields, field: str, seen: dict[str, Node]) -> str:
        entity_id = self.ident(fields["id"][1], f"{field}.id")
        if entity_id == UNKNOWN_SOURCE:
            self.fail(
                SchemaError,
                fields["id"][1],
                f"{field}.id",
                f"'{UNKNOWN_SOURCE}' is reserved for an unknown source",
            )
        self.unique(seen, entity_id, fields["id"][1], f"{field}.id")
        return entity_id

    def title(self, node: Node, field: str, mentions: tuple[Span, ...] | None) -> str:
        title = self.text(node, field)
        folded = title.casefold()
        if mentions is not None and not any(folded in m.text.casefold() for m in mentions):
            self.fail(
                SpanError,
                node,
                field,
                f"title {_short(title)} is not part of any of the entity's mentions",
            )
        return title

    def distinct(self, spans: Placed, field: str) -> None:
        """Mentions may nest and overlap, but one entity lists a span only once."""
        first: dict[tuple[str, int, int], int] = {}
        for j, (span, node) in enumerate(spans):
            k = first.setdefault((span.block.id, span.start, span.end), j)
            if k != j:
                self.fail(
                    SpanError,
                    node,
                    f"{field}[{j}]",
                    f"mention {_short(span.text)} is listed twice (first as {field}[{k}])",
                )

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
        fields, field = image.fields, image.field
        mark = self.failures
        parties: list[Party | None] = []
        if "parties" in fields:
            nodes = self.attempt(lambda: self.seq(fields["parties"][1], f"{field}.parties")) or []
            parties = [
                self.attempt(partial(self.party, image, f"{field}.parties[{i}]", n))
                for i, n in enumerate(nodes)
            ]
        provenance = None
        if "provenance" in fields:
            provenance = self.attempt(lambda: self.provenance(image, fields["provenance"][1]))
        if self.failures != mark:
            raise _Skip
        return ImageCredit(
            image.id,
            image.credit,
            image.title,
            image.caption,
            tuple(p for p in parties if p is not None),
            provenance,
        )

    def party(self, image: _Image, field: str, node: Node) -> Party:
        p = self.mapping(node, field, "party")
        mark = self.failures
        mention = self.attempt(lambda: self.span(p["mention"][1], f"{field}.mention"))
        if mention is not None and mention.block is not image.credit:
            self.fail(
                SpanError,
                p["mention"][1],
                f"{field}.mention",
                f"a party's mention must be in '{image.credit.id}'",
            )
        entity = self.attempt(lambda: self.entity_ref(p["entity"][1], f"{field}.entity"))
        role = self.attempt(lambda: self.choice(p["role"][1], f"{field}.role", PARTY_ROLES))
        if self.failures != mark or entity is None or role is None or mention is None:
            raise _Skip
        return Party(entity, role, mention)

    def provenance(self, image: _Image, node: Node) -> Provenance:
        field = f"{image.field}.provenance"
        p = self.mapping(node, field, "provenance")
        mark = self.failures
        statement = self.attempt(
            lambda: self.placed(p["statement"][1], f"{field}.statement", empty=False)
        )
        for j, (span, span_node) in enumerate(statement or ()):
            if span.block is not image.caption:
                self.attempt(
                    partial(
                        self.fail,
                        SpanError,
                        span_node,
                        f"{field}.statement[{j}]",
                        f"the provenance statement must be in '{image.id}.caption'",
                    )
                )
        released_by = (
            self.attempt(lambda: self.entity_ref(p["released_by"][1], f"{field}.released_by"))
            if "released_by" in p
            else None
        )
        state_run = (
            self.attempt(lambda: self.boolean(p["state_run"][1], f"{field}.state_run"))
            if "state_run" in p
            else None
        )
        if self.failures != mark or statement is None:
            raise _Skip
        return Provenance(
            statement=_spans_of(statement), released_by=released_by, state_run=state_run
        )

    def attribution_list(self, item: tuple[Scalar, Node] | None) -> dict[str, Attribution]:
        if item is None:
            return {}
        raw = self.raw_attributions
        seen: dict[str, Node] = {}

        def read(i: int, node: Node) -> None:
            field = _label(node, f"attributions[{i}]")
            fields = self.mapping(node, field, "attribution")
            attribution_id = self.ident(fields["id"][1], f"{field}.id")
            self.unique(seen, attribution_id, fields["id"][1], f"{field}.id")
            raw[attribution_id] = (fields, field)

        nodes = self.attempt(lambda: self.seq(item[1], "attributions"), "attribution") or []
        for i, node in enumerate(nodes):
            self.attempt(partial(read, i, node), "attribution")
        for attribution_id in raw:
            self.attempt(partial(self.build_attribution, attribution_id, ()))
        built = self.built_attributions
        return {key: built[key] for key in raw if key in built}

    def build_attribution(self, attribution_id: str, path: tuple[str, ...]) -> Attribution:
        """The attribution read as ``attribution_id``, built once; a failed one stays failed."""
        built, broken = self.built_attributions, self.broken_attributions
        if attribution_id in built:
            return built[attribution_id]
        if attribution_id in broken:
            raise _Skip
        try:
            built[attribution_id] = self.attribution(attribution_id, path)
        except (DataError, _Skip):
            broken.add(attribution_id)
            raise
        return built[attribution_id]

    def attribution(self, attribution_id: str, path: tuple[str, ...]) -> Attribution:
        """One attribution, its parent built first (``path``: the children waiting on it)."""
        fields, field = self.raw_attributions[attribution_id]
        mark = self.failures
        parent = None
        if "parent" in fields:
            parent = self.parent(attribution_id, fields["parent"][1], f"{field}.parent", path)
        source_node = fields["source"][1]

        def source() -> Entity | None:
            key = self.text(source_node, f"{field}.source")
            return (
                None
                if key == UNKNOWN_SOURCE
                else self.entity_ref(source_node, f"{field}.source", key)
            )

        who = self.attempt(source)
        placed = self.attempt(
            lambda: self.placed(fields["content"][1], f"{field}.content", empty=False)
        )
        content = None if placed is None else _spans_of(placed)
        roles = {
            key: self.attempt(partial(self.spans, fields[key][1], f"{field}.{key}"))
            if key in fields
            else ()
            for key in ROLE_KEYS
        }
        if parent is not None and placed is not None:
            self.inside(
                placed,
                f"{field}.content",
                parent.content,
                f"a nested attribution's content must lie inside its parent '{parent.id}'s content",
            )
        kind = self.attempt(
            lambda: self.choice(fields["kind"][1], f"{field}.kind", ATTRIBUTION_KINDS)
        )
        medium = self.attempt(lambda: self.medium(fields["medium"][1], f"{field}.medium"))
        if self.failures != mark or content is None or kind is None or medium is None:
            raise _Skip
        return Attribution(
            id=attribution_id,
            kind=kind,
            medium=medium,
            source=who,
            content=content,
            cue=roles["cue"] or (),
            source_mentions=roles["source_mentions"] or (),
            addressee=roles["addressee"] or (),
            evidence=roles["evidence"] or (),
            place=roles["place"] or (),
            parent=parent,
        )

    def parent(
        self, attribution_id: str, node: Node, field: str, path: tuple[str, ...]
    ) -> Attribution:
        """The attribution's parent, built first; unknown ids, too deep nesting and cycles fail."""
        raw = self.raw_attributions
        parent_id = self.text(node, field)
        if parent_id not in raw:
            self.unknown(
                "attribution",
                node,
                field,
                f"unknown attribution '{parent_id}'{_nearest(parent_id, raw)}",
            )
        if len(path) >= self.limits.max_nesting:
            self.fail(
                LinkError,
                node,
                field,
                f"attributions nest more than {self.limits.max_nesting} deep",
            )
        if parent_id == attribution_id or parent_id in path:
            cycle = " -> ".join((*path, attribution_id, parent_id))
            self.fail(LinkError, node, field, f"parents form a cycle: {cycle}")
        return self.build_attribution(parent_id, (*path, attribution_id))

    def quote_list(
        self, item: tuple[Scalar, Node] | None, attributions: dict[str, Attribution]
    ) -> tuple[Quote, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        nodes = self.attempt(lambda: self.seq(item[1], "quotes")) or []
        found = [
            self.attempt(partial(self.quote, i, n, seen, attributions)) for i, n in enumerate(nodes)
        ]
        quotes = [q for q in found if q is not None]
        link_quotes(quotes)
        return tuple(quotes)

    def quote(
        self, i: int, node: Node, seen: dict[str, Node], attributions: dict[str, Attribution]
    ) -> Quote:
        field = _label(node, f"quotes[{i}]")
        fields = self.mapping(node, field, "quote")
        quote_id = self.ident(fields["id"][1], f"{field}.id")
        self.unique(seen, quote_id, fields["id"][1], f"{field}.id")
        mark = self.failures
        owner = self.attempt(
            partial(self.attribution_ref, fields["attribution"][1], field, attributions)
        )
        placed = self.attempt(
            lambda: self.placed(fields["spans"][1], f"{field}.spans", empty=False)
        )
        spans = None if placed is None else _spans_of(placed)
        if owner is not None and placed is not None:
            self.inside(
                placed,
                f"{field}.spans",
                owner.content,
                f"a quote must lie inside its attribution '{owner.id}'s content",
            )
        is_partial = (
            self.attempt(lambda: self.boolean(fields["partial"][1], f"{field}.partial"))
            if "partial" in fields
            else False
        )
        if self.failures != mark or owner is None or spans is None or is_partial is None:
            raise _Skip
        return Quote(quote_id, spans, owner, is_partial)

    def attribution_ref(
        self, node: Node, field: str, attributions: dict[str, Attribution]
    ) -> Attribution:
        """The attribution a quote or claim names (``field``.attribution)."""
        attribution_id = self.text(node, f"{field}.attribution")
        if attribution_id in self.broken_attributions:
            raise _Skip  # its own error is reported already
        found = attributions.get(attribution_id)
        if found is None:
            self.unknown(
                "attribution",
                node,
                f"{field}.attribution",
                f"unknown attribution '{attribution_id}'{_nearest(attribution_id, attributions)}",
            )
        return found

    def inside(self, spans: Placed, field: str, outer: tuple[Span, ...], what: str) -> None:
        """Record an error for each of ``spans`` that lies in none of ``outer``."""
        for j, (span, node) in enumerate(spans):
            if not any(o.contains(span) for o in outer):
                self.attempt(partial(self.fail, SpanError, node, f"{field}[{j}]", what))

    def claim_list(
        self, item: tuple[Scalar, Node] | None, attributions: dict[str, Attribution]
    ) -> tuple[Claim, ...]:
        if item is None:
            return ()
        seen: dict[str, Node] = {}
        nodes = self.attempt(lambda: self.seq(item[1], "claims")) or []
        found = [
            self.attempt(partial(self.claim, i, n, seen, attributions)) for i, n in enumerate(nodes)
        ]
        return tuple(c for c in found if c is not None)

    def claim(
        self, i: int, node: Node, seen: dict[str, Node], attributions: dict[str, Attribution]
    ) -> Claim:
        field = _label(node, f"claims[{i}]")
        fields = self.mapping(node, field, "claim")
        claim_id = self.ident(fields["id"][1], f"{field}.id")
        self.unique(seen, claim_id, fields["id"][1], f"{field}.id")
        mark = self.failures
        owner = None
        if "attribution" in fields:
            owner = self.attempt(
                partial(self.attribution_ref, fields["attribution"][1], field, attributions)
            )
        snode = fields["spans"][1]
        placed = self.attempt(lambda: self.placed(snode, f"{field}.spans", empty=False))
        spans = None if placed is None else _spans_of(placed)
        if owner is not None and placed is not None:
            self.inside(
                placed,
                f"{field}.spans",
                owner.content,
                f"a claim must lie inside its attribution '{owner.id}'s content",
            )
        quantities: list[Quantity | None] = []
        if "quantities" in fields and spans is not None:
            qnode = fields["quantities"][1]
            nodes = self.attempt(lambda: self.seq(qnode, f"{field}.quantities")) or []
            quantities = [
                self.attempt(partial(self.quantity, q, f"{field}.quantities[{j}]", spans))
                for j, q in enumerate(nodes)
            ]
        if self.failures != mark or spans is None:
            raise _Skip
        return Claim(claim_id, spans, owner, tuple(q for q in quantities if q is not None))

    def quantity(self, node: Node, field: str, claim: tuple[Span, ...]) -> Quantity:
        """A claim's quantity: its words lie in the claim and read as its value and bound."""
        fields = self.mapping(node, field, "quantity")
        vnode = fields["value"][1]
        value_text = self.text(vnode, f"{field}.value")
        if not NUMBER.fullmatch(value_text):
            self.fail(
                SchemaError,
                vnode,
                f"{field}.value",
                "expected a number >= 0 written with digits and an optional '.' fraction"
                f" (600000, 2.5), found {_short(value_text)}",
            )
        value = float(value_text) if "." in value_text else int(value_text)
        bnode = fields["bound"][1]
        bound = self.choice(bnode, f"{field}.bound", BOUNDS)
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
        measure = self.placed(mnode, f"{field}.measure", empty=False)
        mark = self.failures
        self.inside(
            measure,
            f"{field}.measure",
            claim,
            "a quantity's measure must lie inside its claim",
        )
        if self.failures != mark:
            raise _Skip
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
        return Quantity(value, bound, span, _spans_of(measure), unit)


def build_article(root: Node, source: str, limits: Limits = DEFAULT_LIMITS) -> Article:
    """Check a parsed document against the article format and build the model."""
    return _Loader(source, limits).article(root)
