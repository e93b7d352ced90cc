"""YAML node tree to model: the article format's schema, with field paths in every error."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeVar, cast

import attr

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


#: Each mapping's keys, required and all, as sets for `_Loader.mapping`'s quick check.
_REQUIRED: Final = {name: frozenset(required) for name, (required, _) in KEYS.items()}
_EXPECTED: Final = {name: frozenset(r + o) for name, (r, o) in KEYS.items()}
_OFFSET_SPAN: Final = frozenset(("block", "text", "start", "end"))
_TEXT_SPAN: Final = frozenset(("block", "text"))
_QUICK_ENTITY: Final = _EXPECTED["entity"] - {"external_ids"}  # rare; `entity` reads them


class _At:
    """A value of the document in its place: its node, and its field path when one is needed.

    The path (``attributions[4] (a5).cue[0]``) is built from the parent's only for an
    error, so reading a valid article builds none.
    """

    __slots__ = ("key", "node", "parent")

    def __init__(self, node: Node, parent: _At | None = None, key: str | int = "") -> None:
        self.node = node
        self.parent = parent
        self.key = key

    @property
    def field(self) -> str:
        """The field path, as errors show it (empty at the top)."""
        parent, key = self.parent, self.key
        if parent is None:
            return str(key)
        above = parent.field
        if isinstance(key, int):
            path = f"{above}[{key}]"
            return _label(self.node, path) if type(parent) is _Listing else path
        return f"{above}.{key}" if above else key

    def at(self, node: Node) -> _At:
        """This field, located at another node (the offset or text that is wrong in a span)."""
        return _At(node, self.parent, self.key)

    # A mapping's values: `_Loader.mapping` has checked that the node is a `Map`.
    def __getitem__(self, key: str) -> _At:
        return _At(self.node.items[key][1], self, key)  # type: ignore[call-overload, union-attr]

    def __contains__(self, key: str) -> bool:
        return key in self.node.items  # type: ignore[union-attr]

    def get(self, key: str) -> _At | None:
        """The value of an optional key, or None if the mapping lacks it."""
        item = self.node.items.get(key)  # type: ignore[union-attr]
        return None if item is None else _At(item[1], self, key)

    def key_nodes(self) -> list[tuple[str, Scalar]]:
        """A mapping's keys with their nodes, in document order."""
        return [(key, item[0]) for key, item in cast("Map", self.node).items.items()]

    def key_at(self, key: str) -> _At:
        """A key of this mapping as a field of its own, located at the key (for unknown keys)."""
        return _At(cast("Map", self.node).items[key][0], self, key)

    # A sequence's items: `_Loader.seq` has checked that the node is a `Seq`.
    def item(self, index: int) -> _At:
        """An item, by position."""
        return _At(cast("Seq", self.node).items[index], self, index)

    def items(self, *, labels: bool = False) -> list[_At]:
        """The items in order; with ``labels`` each one's path names its id where it has one."""
        at = _Listing(self.node, self.parent, self.key) if labels else self
        return [_At(node, at, i) for i, node in enumerate(cast("Seq", self.node).items)]


class _Listing(_At):
    """A list whose items are named by their ids in field paths: ``attributions[4] (a5)``."""

    __slots__ = ()


class _Image:
    """An image read so far: its id and place, and its blocks.

    A plain class, like `_At`: an attrs class costs the first load some 1 ms to define.
    """

    __slots__ = ("at", "caption", "credit", "id", "title")

    def __init__(
        self, image_id: str, at: _At, credit: Block, title: Block | None, caption: Block | None
    ) -> None:
        self.id = image_id
        self.at = at
        self.credit = credit
        self.title = title
        self.caption = caption


def _close(word: str, choices: Iterable[str]) -> list[str]:
    """The choice nearest to a misspelt ``word``, if any: difflib is loaded only for errors."""
    import difflib  # noqa: PLC0415 - lazy: a valid file never needs it

    return difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)


def _nearest(word: str, choices: Iterable[str]) -> str:
    match = _close(word, choices)
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


def anchors(block: str, text: str) -> tuple[list[int], list[int]]:
    """Where ``text`` occurs in ``block``: (as whole words, only inside a word).

    A match is whole when the characters just before and after it are not letters or
    digits, so ``Rat`` does not anchor inside "Rathaus".  An edge of ``text`` that is
    itself not a letter or digit (``"Rat,"``) needs no boundary on that side.
    """
    words: list[int] = []
    inside: list[int] = []
    check_start, check_end = text[0].isalnum(), text[-1].isalnum()
    size = len(text)
    at = block.find(text)
    while at >= 0:
        end = at + size
        whole = not (check_start and at > 0 and block[at - 1].isalnum()) and not (
            check_end and end < len(block) and block[end].isalnum()
        )
        (words if whole else inside).append(at)
        at = block.find(text, at + 1)
    return words, inside


def _in_mentions(title: str, mentions: tuple[Span, ...]) -> bool:
    """Whether ``title`` is part of one of the entity's mentions, case-folded: the one rule."""
    folded = title.casefold()
    return any(folded in m.text.casefold() for m in mentions)


def _quick_title(node: Node, mentions: Spans) -> str | None:
    """The title ``node`` gives if `_Loader.title` accepts it (text in one of the mentions)."""
    if type(node) is not Scalar or not node.value:
        return None
    return node.value if _in_mentions(node.value, mentions) else None


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
        # Attributions by id: their place as read, built, failed to build.
        self.raw_attributions: dict[str, _At] = {}
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

    def error(self, at: _At, message: str, cls: type[DataError] = SchemaError) -> DataError:
        """An error of this file at ``at``: its node's line and column, and its field path."""
        node = at.node
        return cls(
            message,
            path=self.source,
            line=node.line,
            column=node.column,
            field=at.field or None,
        )

    def fail(self, at: _At, message: str, cls: type[DataError] = SchemaError) -> NoReturn:
        raise self.error(at, message, cls)

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

    def unknown(self, namespace: str, at: _At, message: str) -> NoReturn:
        """An unknown reference: a `LinkError`, unless it may name an item that failed."""
        if namespace in self.incomplete:
            raise _Skip
        self.fail(at, message, LinkError)

    # -- structure ------------------------------------------------------------

    def mapping(self, at: _At, schema: str, *, lenient: bool = False) -> _At:
        """A mapping, its keys checked: unknown keys are recorded; missing ones raise.

        With ``lenient`` missing keys are recorded too, so the rest can still be checked.
        """
        node = at.node
        if type(node) is not Map:
            self.fail(at, f"expected a mapping, found {kind_of(node)}")
        items = node.items
        if not _EXPECTED[schema] >= items.keys() >= _REQUIRED[schema]:
            self.wrong_keys(at, schema, lenient=lenient)
        return at

    def wrong_keys(self, at: _At, schema: str, *, lenient: bool) -> None:
        """Record each unknown key; raise (or, if ``lenient``, record) the missing ones."""
        required, optional = KEYS[schema]
        known = required + optional
        meant: set[str] = set()  # required keys that a misspelt key stands for
        explained = -1  # the line of a text cut at ", " in a flow mapping, once explained
        for key, key_node in at.key_nodes():
            if key in known or key_node.line == explained:
                continue  # a known key, or the rest of a text already explained below
            mark = self.failures
            self.attempt(partial(self._comma_in_flow, at, key))
            if self.failures != mark:
                explained = key_node.line
                continue
            near = _close(key, known)
            meant.update(near)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            self.errors.append(
                self.error(
                    at.key_at(key),
                    f"unknown key '{key}'{hint} (expected one of: {', '.join(sorted(known))})",
                )
            )
        # A missing key that a misspelt one stands for is said once, at the misspelling.
        missing = [k for k in required if k not in at]
        said = [k for k in missing if k not in meant]
        if said:
            keys = ", ".join(sorted(said))
            err = self.error(at, f"missing required key{'s' * (len(said) > 1)}: {keys}")
            if not lenient:
                raise err
            self.errors.append(err)
        elif missing and not lenient:
            raise _Skip

    def _comma_in_flow(self, at: _At, unknown: str) -> None:
        """Explain an unknown key that is really the rest of an unquoted text after ", ".

        In ``{block: p1, text: Er sagte, es sei gut.}`` the comma ends the text and
        "es sei gut." becomes a key without a value.  Two keys on one line can only be
        a flow mapping; a key with a value of its own is a wrong key, not a text's tail.
        """
        entries = list(cast("Map", at.node).items.items())
        index = next(i for i, (k, _) in enumerate(entries) if k == unknown)
        if index == 0:
            return
        name, (_, previous) = entries[index - 1]
        if type(previous) is not Scalar:
            return
        parts = [previous.value]
        for key, (key_node, value) in entries[index:]:
            if key_node.line != previous.line or type(value) is not Scalar or value.value:
                break
            parts.append(key)
        if len(parts) == 1:
            return
        whole = ", ".join(parts)
        quoted = '"' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
        self.fail(
            at[name],
            f"unquoted text stops at ', ' inside {{...}}: {name} is {_short(previous.value)}"
            f" and {_short(unknown)} became an unknown key; put the whole text in quotes:"
            f" {name}: {quoted}",
        )

    def seq(self, at: _At, *, labels: bool = False) -> list[_At]:
        """A sequence's items; with ``labels`` their field paths name their ids."""
        if type(at.node) is not Seq:
            self.fail(at, f"expected a sequence, found {kind_of(at.node)}")
        return at.items(labels=labels)

    def text(self, at: _At, *, empty: bool = False) -> str:
        node = at.node
        if type(node) is not Scalar:
            self.fail(at, f"expected text, found {kind_of(node)}")
        if not empty and not node.value:
            self.fail(at, "expected text, found an empty string")
        return node.value

    def ident(self, at: _At) -> str:
        value = self.text(at)
        if not ID.fullmatch(value):
            self.fail(
                at,
                "expected an id (a-z, then a-z, 0-9, '_' or '-', at most 64),"
                f" found {_short(value)}",
            )
        return value

    def integer(self, at: _At) -> int:
        value = self.text(at)
        if not OFFSET.fullmatch(value):
            self.fail(at, f"expected a whole number >= 0, found {_short(value)}")
        return int(value)

    def boolean(self, at: _At) -> bool:
        value = self.text(at)
        if value not in FLAGS:
            self.fail(at, f"expected true or false, found {_short(value)}")
        return FLAGS[value]

    def choice(self, at: _At, choices: dict[str, T]) -> T:
        value = self.text(at)
        if value not in choices:
            self.fail(
                at,
                f"expected one of {', '.join(choices)},"
                f" found {_short(value)}{_nearest(value, choices)}",
            )
        return choices[value]

    def medium(self, at: _At) -> Medium:
        if type(at.node) is Scalar:
            return self.choice(at, MEDIA)
        items = self.seq(at)
        if not items:
            self.fail(at, "expected at least one medium, found none")
        medium = Medium(0)
        for item in items:
            medium |= self.choice(item, MEDIA)
        return medium

    # -- spans ----------------------------------------------------------------

    def span(self, at: _At) -> Span:
        """A span, read the quick way when it is well formed (see `quick_span`)."""
        return self.quick_span(at.node) or self.checked_span(at)

    def quick_span(self, node: Node) -> Span | None:
        """The span ``node`` gives when it is well formed and every check passes, else None.

        The usual cases, with offsets or with a text found once as whole words, cost no
        field path and no call per scalar; anything else goes to `checked_span`, which
        finds the same span or the error.
        """
        if type(node) is not Map:
            return None
        items = node.items
        keys = items.keys()
        offsets = keys == _OFFSET_SPAN
        if not offsets and keys != _TEXT_SPAN:
            return None
        block_node, text_node = items["block"][1], items["text"][1]
        if (
            type(block_node) is not Scalar
            or type(text_node) is not Scalar
            or not (text := text_node.value)
            or (block := self.blocks.get(block_node.value)) is None
        ):
            return None
        if offsets:
            return self.quick_offsets(block, text, items["start"][1], items["end"][1])
        found = self.occurrences(block, text)
        if found is None or len(found[0]) != 1:
            return None
        return self.make_span(block, found[0][0], found[0][0] + len(text))

    def quick_offsets(
        self, block: Block, text: str, start_node: Node, end_node: Node
    ) -> Span | None:
        """`quick_span` for a span with offsets: they are numbers and give ``text``."""
        if (
            type(start_node) is not Scalar
            or type(end_node) is not Scalar
            or not OFFSET.fullmatch(start_node.value)
            or not OFFSET.fullmatch(end_node.value)
        ):
            return None
        start, end = int(start_node.value), int(end_node.value)
        if start < end <= len(block.text) and block.text[start:end] == text:
            return self.make_span(block, start, end)
        return None

    def make_span(self, block: Block, start: int, end: int) -> Span:
        """The span, one object for equal spans: a mention is often a role's span, too."""
        key = (block.id, start, end)
        span = self.made.get(key)
        if span is None:
            span = self.made[key] = Span(block, start, end)
        return span

    def checked_span(self, at: _At) -> Span:
        """A span with every check spelt out: the error of a bad one, or one without offsets."""
        self.mapping(at, "span")
        block_at = at["block"]
        block_id = self.text(block_at)
        block = self.blocks.get(block_id)
        if block is None:
            self.unknown(
                "block", block_at, f"unknown block '{block_id}'{_nearest(block_id, self.blocks)}"
            )
        text_at = at["text"]
        text = self.text(text_at)
        has_start, has_end = "start" in at, "end" in at
        if has_start != has_end:
            self.fail(at, "give both start and end, or neither")
        if not has_start:
            return self._find(block, text, at.at(text_at.node))
        start_at, end_at = at["start"], at["end"]
        start, end = self.integer(start_at), self.integer(end_at)
        size = len(block.text)
        if not start < end <= size:
            bad = end_at if start < end else start_at
            self.fail(
                at.at(bad.node),
                f"offsets [{start}:{end}] are not a non-empty range inside block"
                f" '{block_id}' of length {size}{_suggest(block.text, text, start, self.limits)}",
                SpanError,
            )
        found = block.text[start:end]
        if found != text:
            self.fail(
                at.at(text_at.node),
                f"text {_short(text)} does not match {block_id}[{start}:{end}]"
                f" {_short(found)}{_suggest(block.text, text, start, self.limits)}",
                SpanError,
            )
        return self.make_span(block, start, end)

    def occurrences(self, block: Block, text: str) -> tuple[list[int], list[int]] | None:
        """`anchors` of ``text`` in ``block``, searched once; None past ``find_budget``."""
        key = (block.id, text)
        found = self.found.get(key)
        if found is None:
            self.scanned += len(block.text)
            if self.scanned > self.limits.find_budget:  # and it stays over for the rest
                return None
            found = self.found[key] = anchors(block.text, text)
        return found

    def _find(self, block: Block, text: str, at: _At) -> Span:
        """The one place ``text`` occurs in ``block`` as whole words (see `anchors`)."""
        found = self.occurrences(block, text)
        if found is None:
            self.fail(
                at,
                "too many spans without offsets in long blocks"
                f" (over {self.limits.find_budget:,} characters searched); give start and end",
                SpanError,
            )
        words, inside = found
        if len(words) != 1:
            self.fail(
                at, _not_one(block, text, words, inside, self.limits.max_candidates), SpanError
            )
        return self.make_span(block, words[0], words[0] + len(text))

    def spans(self, at: _At, *, empty: bool = True) -> Spans:
        """A list of spans, in order; a later check finds span ``j``'s place as ``at.item(j)``."""
        node = at.node
        if type(node) is not Seq:
            self.fail(at, f"expected a sequence, found {kind_of(node)}")
        nodes = node.items
        if not empty and not nodes:
            self.fail(at, "expected at least one span, found none")
        mark = self.failures
        quick = self.quick_span
        spans = [
            quick(item) or self.attempt(partial(self.checked_span, _At(item, at, i)))
            for i, item in enumerate(nodes)
        ]
        if self.failures != mark:
            raise _Skip
        return Spans(spans) if spans else NO_SPANS  # type: ignore[arg-type]  # none is None

    # -- references -----------------------------------------------------------

    def entity_ref(self, at: _At, key: str | None = None) -> Entity:
        """The entity ``at`` names; ``key`` is its text when the caller has read it."""
        if key is None:
            key = self.text(at)
        entity = self.entities.get(key)
        if entity is None:
            self.unknown("entity", at, f"unknown entity '{key}'{_nearest(key, self.entities)}")
        return entity

    def unique(self, seen: dict[str, Node], key: str, at: _At) -> None:
        first = seen.get(key)
        if first is not None:
            self.fail(at, f"duplicate id '{key}' (first at line {first.line})", LinkError)
        seen[key] = at.node

    # -- the article ----------------------------------------------------------

    def article(self, root: Node) -> Article:
        """Build the article, or raise its first error carrying every independent one."""
        top = self.mapping(_At(root), "article", lenient=True)  # not a mapping: stop here
        metadata = self.metadata(top)
        blocks, images = self.blocks_and_images(top)
        agencies = self.agencies(top.get("agencies"))
        excluded = self.excluded(top.get("excluded"))
        entities = self.entity_list(top.get("entities"))
        image_credits = [self.attempt(partial(self.image_credit, image)) for image in images]
        attributions = self.attribution_list(top.get("attributions"))
        quotes = self.quote_list(top.get("quotes"), attributions)
        claims = self.claim_list(top.get("claims"), attributions)
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

    def metadata(self, top: _At) -> dict[str, Any]:
        """The article's format, id, language, source file and optional texts, as arguments."""
        if (fmt := top.get("format")) is not None:
            self.attempt(lambda: self.format(fmt))
        article_id = self.attempt(lambda: self.ident(top["id"])) if "id" in top else ""
        language = self.attempt(lambda: self.language(top["language"])) if "language" in top else ""
        found: dict[str, Any] = {"id": article_id or "", "language": language or ""}
        for key in ("published", "url", "publisher"):
            if (item := top.get(key)) is not None:
                found[key] = self.attempt(partial(self.text, item))
        found["source_file"] = None
        if (item := top.get("source_file")) is not None:
            found["source_file"] = self.attempt(partial(self.source_file, item))
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

    def format(self, at: _At) -> None:
        if (found := self.text(at)) != FORMAT:
            self.fail(at, f"expected format '{FORMAT}', found {_short(found)}")

    def language(self, at: _At) -> str:
        language = self.text(at)
        if not LANGUAGE.fullmatch(language):
            self.fail(at, f"expected a BCP 47 tag like 'de', found {_short(language)}")
        return language

    def source_file(self, at: _At) -> SourceFile:
        self.mapping(at, "source_file")
        digest = self.text(at["sha256"])
        if not SHA256.fullmatch(digest):
            self.fail(at["sha256"], "expected 64 lower-case hex digits")
        return SourceFile(self.text(at["file"]), digest)

    def blocks_and_images(self, top: _At) -> tuple[list[Block], list[_Image]]:
        """The text blocks in reading order (ids unique across the article), and the images."""
        self.own_block(top, "kicker")
        if "headline" in top:
            self.own_block(top, "headline")
        else:
            self.incomplete.add("block")
        images: list[_Image] = []
        image_ids: dict[str, Node] = {}
        if (item := top.get("images")) is not None:
            nodes = self.attempt(lambda: self.seq(item, labels=True), "block") or []
            for node in nodes:
                found = self.attempt(partial(self.image, node, image_ids), "block")
                if found is not None:
                    images.append(found)
        self.own_block(top, "teaser")
        body = self.attempt(lambda: self.body(top["body"]), "block") if "body" in top else None
        for node in body or ():
            self.attempt(partial(self.body_block, node), "block")
        self.own_block(top, "agency_line")
        self.own_block(top, "author_code")
        return self.block_order, images

    def add_block(self, block_id: str, role: BlockRole, at: _At) -> Block:
        """A block of the article, its id unique among all blocks."""
        block = Block(block_id, role, self.text(at))
        self.unique(self.block_nodes, block_id, at)
        self.block_order.append(block)
        self.blocks[block_id] = block
        return block

    def own_block(self, top: _At, key: str) -> None:
        """One of the article's own text fields (``kicker``, ``headline``, ...), if given."""
        if (item := top.get(key)) is not None:
            self.attempt(partial(self.add_block, key, OWN_BLOCKS[key], item), "block")

    def image(self, at: _At, image_ids: dict[str, Node]) -> _Image:
        """An image's id and its text blocks (title, caption, credit line)."""
        self.mapping(at, "image")
        image_id = self.ident(at["id"])
        self.unique(image_ids, image_id, at["id"])
        parts = {}
        for key, role in IMAGE_BLOCKS.items():
            if (item := at.get(key)) is not None:
                parts[key] = self.attempt(
                    partial(self.add_block, f"{image_id}.{key}", role, item), "block"
                )
        credit = parts["credit_line"]
        if credit is None or None in (parts.get(k, False) for k in ("title", "caption")):
            raise _Skip
        return _Image(image_id, at, credit, parts.get("title"), parts.get("caption"))

    def body(self, at: _At) -> list[_At]:
        body = self.seq(at, labels=True)
        if not body:
            self.fail(at, "expected at least one block, found none")
        return body

    def body_block(self, at: _At) -> None:
        self.mapping(at, "block")
        id_at = at["id"]
        block_id = self.ident(id_at)
        if block_id in RESERVED_BLOCK_IDS:
            self.fail(id_at, f"'{block_id}' is reserved for the article's own {block_id}")
        block = Block(block_id, BlockRole.PARAGRAPH, self.text(at["text"]))
        self.unique(self.block_nodes, block_id, id_at)
        blocks = self.block_order
        blocks.append(block)
        self.blocks[block_id] = block
        # Registered before its kind is read, so spans into it are still checked.
        role = self.choice(at["kind"], BODY_KINDS)
        if role is not BlockRole.PARAGRAPH:
            blocks[-1] = self.blocks[block_id] = attr.evolve(block, role=role)

    def agencies(self, at: _At | None) -> tuple[str, ...]:
        if at is None:
            return ()
        agency_line = self.blocks.get("agency_line")

        def agency(item: _At) -> str:
            name = self.text(item)
            if agency_line is None or name not in agency_line.text:
                if agency_line is None and "block" in self.incomplete:
                    raise _Skip
                self.fail(item, f"agency {_short(name)} is not in the agency_line", SpanError)
            return name

        items = self.attempt(lambda: self.seq(at)) or []
        found = [self.attempt(partial(agency, item)) for item in items]
        return tuple(a for a in found if a is not None)

    def excluded(self, at: _At | None) -> tuple[Excluded, ...]:
        if at is None:
            return ()

        def one(item: _At) -> Excluded:
            self.mapping(item, "excluded")
            return Excluded(self.text(item["text"]), self.text(item["reason"]))

        items = self.attempt(lambda: self.seq(at)) or []
        found = [self.attempt(partial(one, item)) for item in items]
        return tuple(e for e in found if e is not None)

    def entity_list(self, at: _At | None) -> tuple[Entity, ...]:
        if at is None:
            return ()
        seen: dict[str, Node] = {}
        items = self.attempt(lambda: self.seq(at, labels=True), "entity") or []
        quick = self.quick_entity
        for item in items:
            if not quick(item.node, seen):
                self.attempt(partial(self.entity, item, seen))
        return tuple(self.entities.values())

    def quick_entity(self, node: Node, seen: dict[str, Node]) -> bool:
        """Register the entity ``node`` gives when it is well formed and passes every check.

        `entity` would register the same entity, in `quick_span`'s way: without a field
        path, and without a call that records errors.  Anything else (an external id
        among them) returns False, and `entity` finds the error.
        """
        if type(node) is not Map:
            return False
        items = node.items
        if not _QUICK_ENTITY >= items.keys() >= _REQUIRED["entity"]:
            return False
        id_node, kind_node, name_node = items["id"][1], items["kind"][1], items["name"][1]
        if (
            type(id_node) is not Scalar
            or type(kind_node) is not Scalar
            or type(name_node) is not Scalar
            or not ID.fullmatch(entity_id := id_node.value)
            or entity_id == UNKNOWN_SOURCE
            or entity_id in seen
            or (kind := ENTITY_KINDS.get(kind_node.value)) is None
            or not (name := name_node.value)
        ):
            return False
        mentions = self.quick_mentions(items.get("mentions"))
        if mentions is None:
            return False
        title = None
        if (title_item := items.get("title")) is not None:
            title = _quick_title(title_item[1], mentions)
            if title is None:
                return False
        seen[entity_id] = id_node
        self.entities[entity_id] = Entity(
            id=entity_id, kind=kind, name=name, title=title, mentions=mentions
        )
        return True

    def quick_mentions(self, item: tuple[Scalar, Node] | None) -> Spans | None:
        """An entity's mentions when every one is a quick span and none is listed twice."""
        if item is None:
            return NO_SPANS
        if type(item[1]) is not Seq:
            return None
        quick = self.quick_span
        spans = [quick(node) for node in item[1].items]
        # A Span is always true, and `in` would call its __eq__; `make_span`: one object a place.
        if not all(spans) or len(set(map(id, spans))) != len(spans):
            return None
        return Spans(spans) if spans else NO_SPANS  # type: ignore[arg-type]  # none is None

    def entity(self, at: _At, seen: dict[str, Node]) -> None:
        if self.attempt(partial(self.mapping, at, "entity"), "entity") is None:
            raise _Skip
        entity_id = self.attempt(partial(self.entity_id, at["id"], seen), "entity")
        if entity_id is None:
            raise _Skip
        mark = self.failures
        kind = self.attempt(lambda: self.choice(at["kind"], ENTITY_KINDS))
        name = self.attempt(lambda: self.text(at["name"]))
        mentions_at = at.get("mentions")
        mentions = self.attempt(partial(self.spans, mentions_at)) if mentions_at else NO_SPANS
        if mentions_at and mentions:
            self.attempt(lambda: self.distinct(mentions, mentions_at))
        title = None
        if (title_at := at.get("title")) is not None:
            title = self.attempt(lambda: self.title(title_at, mentions))
        external_ids = self.attempt(lambda: self.external_ids(at.get("external_ids")))
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

    def entity_id(self, at: _At, seen: dict[str, Node]) -> str:
        entity_id = self.ident(at)
        if entity_id == UNKNOWN_SOURCE:
            self.fail(at, f"'{UNKNOWN_SOURCE}' is reserved for an unknown source")
        self.unique(seen, entity_id, at)
        return entity_id

    def title(self, at: _At, mentions: tuple[Span, ...] | None) -> str:
        title = self.text(at)
        if mentions is not None and not _in_mentions(title, mentions):
            self.fail(
                at, f"title {_short(title)} is not part of any of the entity's mentions", SpanError
            )
        return title

    def distinct(self, spans: Spans, at: _At) -> None:
        """Mentions may nest and overlap, but one entity lists a span only once."""
        first: dict[tuple[str, int, int], int] = {}
        for j, span in enumerate(spans):
            k = first.setdefault((span.block.id, span.start, span.end), j)
            if k != j:
                self.fail(
                    at.item(j),
                    f"mention {_short(span.text)} is listed twice (first as {at.item(k).field})",
                    SpanError,
                )

    def external_ids(self, at: _At | None) -> tuple[ExternalId, ...]:
        """Editorial identifiers; each must say how it was verified."""
        if at is None:
            return ()
        found = []
        for item in self.seq(at):
            self.mapping(item, "external_id")
            found.append(ExternalId(*(self.text(item[k]) for k in KEYS["external_id"][0])))
        return tuple(found)

    def image_credit(self, image: _Image) -> ImageCredit:
        at = image.at
        mark = self.failures
        parties: list[Party | None] = []
        if (parties_at := at.get("parties")) is not None:
            items = self.attempt(lambda: self.seq(parties_at)) or []
            parties = [self.attempt(partial(self.party, image, item)) for item in items]
        provenance = None
        if (provenance_at := at.get("provenance")) is not None:
            provenance = self.attempt(lambda: self.provenance(image, provenance_at))
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

    def party(self, image: _Image, at: _At) -> Party:
        self.mapping(at, "party")
        mark = self.failures
        mention_at = at["mention"]
        mention = self.attempt(lambda: self.span(mention_at))
        if mention is not None and mention.block is not image.credit:
            self.fail(mention_at, f"a party's mention must be in '{image.credit.id}'", SpanError)
        entity = self.attempt(lambda: self.entity_ref(at["entity"]))
        role = self.attempt(lambda: self.choice(at["role"], PARTY_ROLES))
        if self.failures != mark or entity is None or role is None or mention is None:
            raise _Skip
        return Party(entity, role, mention)

    def provenance(self, image: _Image, at: _At) -> Provenance:
        self.mapping(at, "provenance")
        mark = self.failures
        statement_at = at["statement"]
        statement = self.attempt(lambda: self.spans(statement_at, empty=False))
        for j, span in enumerate(statement or ()):
            if span.block is not image.caption:
                self.attempt(
                    partial(
                        self.fail,
                        statement_at.item(j),
                        f"the provenance statement must be in '{image.id}.caption'",
                        SpanError,
                    )
                )
        released_by = (
            self.attempt(partial(self.entity_ref, by)) if (by := at.get("released_by")) else None
        )
        state_run = (
            self.attempt(partial(self.boolean, run)) if (run := at.get("state_run")) else None
        )
        if self.failures != mark or statement is None:
            raise _Skip
        return Provenance(statement=statement, released_by=released_by, state_run=state_run)

    def attribution_list(self, at: _At | None) -> dict[str, Attribution]:
        if at is None:
            return {}
        raw = self.raw_attributions
        seen: dict[str, Node] = {}

        def read(item: _At) -> None:
            self.mapping(item, "attribution")
            attribution_id = self.ident(item["id"])
            self.unique(seen, attribution_id, item["id"])
            raw[attribution_id] = item

        items = self.attempt(lambda: self.seq(at, labels=True), "attribution") or []
        for item in items:
            self.attempt(partial(read, item), "attribution")
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
        at = self.raw_attributions[attribution_id]
        mark = self.failures
        parent = None
        if (parent_at := at.get("parent")) is not None:
            parent = self.parent(attribution_id, parent_at, path)
        who = self.attempt(partial(self.source_of, at["source"]))
        content_at = at["content"]
        content = self.attempt(lambda: self.spans(content_at, empty=False))
        roles = {
            key: self.attempt(partial(self.spans, role_at))
            if (role_at := at.get(key)) is not None
            else NO_SPANS
            for key in ROLE_KEYS
        }
        if parent is not None and content is not None:
            self.inside(
                content,
                content_at,
                parent.content,
                f"a nested attribution's content must lie inside its parent '{parent.id}'s content",
            )
        kind = self.attempt(lambda: self.choice(at["kind"], ATTRIBUTION_KINDS))
        medium = self.attempt(lambda: self.medium(at["medium"]))
        if self.failures != mark or content is None or kind is None or medium is None:
            raise _Skip
        return Attribution(
            id=attribution_id,
            kind=kind,
            medium=medium,
            source=who,
            content=content,
            cue=roles["cue"] or NO_SPANS,
            source_mentions=roles["source_mentions"] or NO_SPANS,
            addressee=roles["addressee"] or NO_SPANS,
            evidence=roles["evidence"] or NO_SPANS,
            place=roles["place"] or NO_SPANS,
            parent=parent,
        )

    def source_of(self, at: _At) -> Entity | None:
        """An attribution's source: an entity, or None where the text leaves it unknown."""
        key = self.text(at)
        return None if key == UNKNOWN_SOURCE else self.entity_ref(at, key)

    def parent(self, attribution_id: str, at: _At, path: tuple[str, ...]) -> Attribution:
        """The attribution's parent, built first; unknown ids, too deep nesting and cycles fail."""
        raw = self.raw_attributions
        parent_id = self.text(at)
        if parent_id not in raw:
            self.unknown(
                "attribution", at, f"unknown attribution '{parent_id}'{_nearest(parent_id, raw)}"
            )
        if len(path) >= self.limits.max_nesting:
            self.fail(at, f"attributions nest more than {self.limits.max_nesting} deep", LinkError)
        if parent_id == attribution_id or parent_id in path:
            cycle = " -> ".join((*path, attribution_id, parent_id))
            self.fail(at, f"parents form a cycle: {cycle}", LinkError)
        return self.build_attribution(parent_id, (*path, attribution_id))

    def quote_list(self, at: _At | None, attributions: dict[str, Attribution]) -> tuple[Quote, ...]:
        if at is None:
            return ()
        seen: dict[str, Node] = {}
        items = self.attempt(lambda: self.seq(at, labels=True)) or []
        found = [self.attempt(partial(self.quote, item, seen, attributions)) for item in items]
        quotes = [q for q in found if q is not None]
        link_quotes(quotes)
        return tuple(quotes)

    def owned_spans(self, at: _At, owner: Attribution | None, what: str) -> Spans | None:
        """The spans of a quote or claim, which must lie inside its attribution's content."""
        spans = self.attempt(lambda: self.spans(at, empty=False))
        if owner is not None and spans is not None:
            self.inside(
                spans,
                at,
                owner.content,
                f"a {what} must lie inside its attribution '{owner.id}'s content",
            )
        return spans

    def quote(self, at: _At, seen: dict[str, Node], attributions: dict[str, Attribution]) -> Quote:
        self.mapping(at, "quote")
        quote_id = self.ident(at["id"])
        self.unique(seen, quote_id, at["id"])
        mark = self.failures
        owner = self.attempt(partial(self.attribution_ref, at["attribution"], attributions))
        spans = self.owned_spans(at["spans"], owner, "quote")
        is_partial = (
            self.attempt(partial(self.boolean, partial_at))
            if (partial_at := at.get("partial")) is not None
            else False
        )
        if self.failures != mark or owner is None or spans is None or is_partial is None:
            raise _Skip
        return Quote(quote_id, spans, owner, is_partial)

    def attribution_ref(self, at: _At, attributions: dict[str, Attribution]) -> Attribution:
        """The attribution a quote or claim names (its ``attribution`` field, ``at``)."""
        attribution_id = self.text(at)
        if attribution_id in self.broken_attributions:
            raise _Skip  # its own error is reported already
        found = attributions.get(attribution_id)
        if found is None:
            self.unknown(
                "attribution",
                at,
                f"unknown attribution '{attribution_id}'{_nearest(attribution_id, attributions)}",
            )
        return found

    def inside(self, spans: Spans, at: _At, outer: tuple[Span, ...], what: str) -> None:
        """Record an error for each of ``spans`` (the list ``at``) outside all of ``outer``."""
        for j, span in enumerate(spans):
            if not any(o.contains(span) for o in outer):
                self.attempt(partial(self.fail, at.item(j), what, SpanError))

    def claim_list(self, at: _At | None, attributions: dict[str, Attribution]) -> tuple[Claim, ...]:
        if at is None:
            return ()
        seen: dict[str, Node] = {}
        items = self.attempt(lambda: self.seq(at, labels=True)) or []
        found = [self.attempt(partial(self.claim, item, seen, attributions)) for item in items]
        return tuple(c for c in found if c is not None)

    def claim(self, at: _At, seen: dict[str, Node], attributions: dict[str, Attribution]) -> Claim:
        self.mapping(at, "claim")
        claim_id = self.ident(at["id"])
        self.unique(seen, claim_id, at["id"])
        mark = self.failures
        owner = None
        if (owner_at := at.get("attribution")) is not None:
            owner = self.attempt(partial(self.attribution_ref, owner_at, attributions))
        spans = self.owned_spans(at["spans"], owner, "claim")
        quantities: list[Quantity | None] = []
        if (quantities_at := at.get("quantities")) is not None and spans is not None:
            items = self.attempt(lambda: self.seq(quantities_at)) or []
            quantities = [self.attempt(partial(self.quantity, item, spans)) for item in items]
        if self.failures != mark or spans is None:
            raise _Skip
        return Claim(claim_id, spans, owner, tuple(q for q in quantities if q is not None))

    def quantity(self, at: _At, claim: tuple[Span, ...]) -> Quantity:
        """A claim's quantity: its words lie in the claim and read as its value and bound."""
        self.mapping(at, "quantity")
        value_at, bound_at, span_at = at["value"], at["bound"], at["span"]
        value_text = self.text(value_at)
        if not NUMBER.fullmatch(value_text):
            self.fail(
                value_at,
                "expected a number >= 0 written with digits and an optional '.' fraction"
                f" (600000, 2.5), found {_short(value_text)}",
            )
        value = float(value_text) if "." in value_text else int(value_text)
        bound = self.choice(bound_at, BOUNDS)
        span = self.span(span_at)
        if not any(c.contains(span) for c in claim):
            self.fail(span_at, "a quantity's words must lie inside its claim", SpanError)
        measure_at = at["measure"]
        measure = self.spans(measure_at, empty=False)
        mark = self.failures
        self.inside(measure, measure_at, claim, "a quantity's measure must lie inside its claim")
        if self.failures != mark:
            raise _Skip
        unit = None
        if (unit_at := at.get("unit")) is not None:
            unit = self.text(unit_at)
            if not any(unit.casefold() in s.text.casefold() for s in claim):
                self.fail(unit_at, f"unit {_short(unit)} is not in the claim's words", SpanError)
        try:
            read, read_bound = read_number(span.text)
        except ValueError as exc:
            self.fail(span_at, f"cannot read a number from {_short(span.text)}: {exc}", SpanError)
        if read != value:
            self.fail(
                value_at,
                f"value {value_text} does not match its words {_short(span.text)},"
                f" which read {read}",
                SpanError,
            )
        if read_bound is not bound:
            self.fail(
                bound_at,
                f"bound {bound.value} does not match its words {_short(span.text)},"
                f" which read {read_bound.value}",
                SpanError,
            )
        return Quantity(value, bound, span, measure, unit)


def build_article(root: Node, source: str, limits: Limits = DEFAULT_LIMITS) -> Article:
    """Check a parsed document against the article format and build the model."""
    return _Loader(source, limits).article(root)
