"""Re-anchor spans after their block's text was edited, by editing only the offsets in the YAML.

`reanchor` reads the node tree (not the model: a file whose offsets are stale does not
load), moves each span whose offsets no longer match its text to the occurrence of
that text on word boundaries nearest its old place, and rewrites just those numbers in
the YAML text, so comments, layout and the ``# yaml-language-server:`` line stay.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import attr

from ._errors import DataError, SpanError
from ._format import IMAGE_BLOCKS, OFFSET, OWN_BLOCKS, SPAN_KEYS
from ._yaml import Map, Node, Scalar, Seq, parse

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "SpanMove",
    "Reanchored",
    "block_texts",
    "on_word_boundaries",
    "reanchor",
    "span_nodes",
    "unambiguous",
    "word_occurrences",
]

_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as _yaml counts
SPAN_ROLES: Final = SPAN_KEYS
TEXT_KEYS: Final = tuple(OWN_BLOCKS)


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    r"""Whether ``text[start:end]`` neither starts nor ends inside a word (like regex ``\\b``)."""
    if start > 0 and _wordy(text[start - 1]) and _wordy(text[start]):
        return False
    return not (end < len(text) and _wordy(text[end]) and _wordy(text[end - 1]))


def occurrences(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def word_occurrences(text: str, needle: str) -> list[int]:
    """The starts of ``needle`` in ``text`` that lie on word boundaries."""
    return [i for i in occurrences(text, needle) if on_word_boundaries(text, i, i + len(needle))]


def unambiguous(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` occurs nowhere else in ``text`` and is on word boundaries.

    Such a span can leave out its offsets: the loader finds it, and edits elsewhere in
    the block do not break it.
    """
    return occurrences(text, text[start:end]) == [start] and on_word_boundaries(text, start, end)


@attr.frozen
class SpanMove:
    """One span moved to new offsets: where it is in the file, its block, text and offsets."""

    field: str
    line: int
    column: int
    block: str
    text: str
    old_start: int
    new_start: int

    def __str__(self) -> str:
        return f"{self.block}: {self.text!r} {self.old_start}→{self.new_start}"


@attr.frozen
class Reanchored:
    """What `reanchor` found: the moves, the problems that stop it, and the new YAML text.

    ``text`` is the input unchanged whenever ``errors`` is not empty, so nothing
    half-fixed is ever written.
    """

    text: str
    moves: tuple[SpanMove, ...]
    errors: tuple[DataError, ...]

    @property
    def changed(self) -> bool:
        """Whether the file would change (some span moved, and nothing stops the fix)."""
        return bool(self.moves) and not self.errors


def _get(node: Node | None, key: str) -> Node | None:
    if type(node) is Map and key in node.items:
        return node.items[key][1]
    return None


def _items(node: Node | None) -> list[Node]:
    return node.items if type(node) is Seq else []


def _value(node: Node | None) -> str | None:
    return node.value if type(node) is Scalar else None


def block_texts(root: Node) -> dict[str, tuple[str, Scalar]]:
    """Each block's id with its text and the text's node, read from the YAML tree."""
    found: dict[str, tuple[str, Scalar]] = {}

    def add(block_id: str | None, node: Node | None) -> None:
        if block_id is not None and type(node) is Scalar:
            found.setdefault(block_id, (node.value, node))

    for key in TEXT_KEYS:
        add(key, _get(root, key))
    for image in _items(_get(root, "images")):
        image_id = _value(_get(image, "id"))
        for key in IMAGE_BLOCKS:
            add(f"{image_id}.{key}" if image_id else None, _get(image, key))
    for block in _items(_get(root, "body")):
        add(_value(_get(block, "id")), _get(block, "text"))
    return found


def _each(node: Node | None, key: str, field: str = "") -> Iterator[tuple[str, Node]]:
    """The items of the list under ``key``, each with its field path (``field.key[i]``)."""
    path = f"{field}.{key}" if field else key
    for i, item in enumerate(_items(_get(node, key))):
        yield f"{path}[{i}]", item


def _span(node: Node | None, field: str) -> Iterator[tuple[str, Map]]:
    """The span mapping ``node`` with its field path, if it is a mapping."""
    if type(node) is Map:
        yield field, node


def _spans(node: Node | None, key: str, field: str) -> Iterator[tuple[str, Map]]:
    """The span mappings in the list under ``key``."""
    for path, item in _each(node, key, field):
        yield from _span(item, path)


def span_nodes(root: Node) -> Iterator[tuple[str, Map]]:
    """Every span mapping in the tree with its field path, in document order."""
    for field, image in _each(root, "images"):
        for path, party in _each(image, "parties", field):
            yield from _span(_get(party, "mention"), f"{path}.mention")
        yield from _spans(_get(image, "provenance"), "statement", f"{field}.provenance")
    for field, entity in _each(root, "entities"):
        yield from _spans(entity, "mentions", field)
    for field, attribution in _each(root, "attributions"):
        for role in SPAN_ROLES:
            yield from _spans(attribution, role, field)
    for field, quote in _each(root, "quotes"):
        yield from _spans(quote, "spans", field)
    for field, claim in _each(root, "claims"):
        yield from _spans(claim, "spans", field)
        for path, quantity in _each(claim, "quantities", field):
            yield from _span(_get(quantity, "span"), f"{path}.span")
            yield from _spans(quantity, "measure", path)


class _Lines:
    """Turns a node's 1-based line and column back into an index into the text."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def index(self, node: Scalar) -> int:
        return self.starts[node.line - 1] + node.column - 1


def _nearest(candidates: list[int], old: int) -> tuple[int | None, list[int]]:
    """The candidate nearest ``old``, or None and the tied ones when two are equally near."""
    best = min(abs(c - old) for c in candidates)
    tied = [c for c in candidates if abs(c - old) == best]
    return (tied[0], tied) if len(tied) == 1 else (None, tied)


def reanchor(text: str, *, source: str = "<string>") -> Reanchored:
    """SpanMove every span whose offsets no longer match its text, and check the result loads.

    A span moves to the occurrence of its text on word boundaries nearest its old
    start.  Where two are equally near, or none is left, it is an error listing the
    candidates, and nothing changes: `reanchor` refuses rather than guesses.
    Spans written without offsets are left to the loader, which finds them itself.
    """
    from ._api import loads  # noqa: PLC0415 - _api imports the writer, which imports us

    root = parse(text, source)
    blocks = block_texts(root)
    moves: list[SpanMove] = []
    errors: list[DataError] = []
    edits: list[tuple[Scalar, int]] = []
    for field, node in span_nodes(root):
        block_id, span_text = _value(_get(node, "block")), _value(_get(node, "text"))
        start_node, end_node = _get(node, "start"), _get(node, "end")
        if (
            block_id not in blocks
            or not span_text
            or type(start_node) is not Scalar
            or type(end_node) is not Scalar
            or not OFFSET.fullmatch(start_node.value)
            or not OFFSET.fullmatch(end_node.value)
        ):
            continue  # nothing to re-anchor; the loader reports what is wrong
        block_text = blocks[block_id][0]
        start, end = int(start_node.value), int(end_node.value)
        if block_text[start:end] == span_text and end - start == len(span_text):
            continue

        def refuse(message: str, node: Map = node, field: str = field) -> SpanError:
            return SpanError(message, path=source, line=node.line, column=node.column, field=field)

        candidates = word_occurrences(block_text, span_text)
        if not candidates:
            inside = occurrences(block_text, span_text)
            also = f" (it occurs inside words at {_list(inside)})" if inside else ""
            errors.append(
                refuse(
                    f"{block_id}: {span_text!r} no longer occurs on word boundaries{also};"
                    " give start and end by hand"
                )
            )
            continue
        new, tied = _nearest(candidates, start)
        if new is None:
            errors.append(
                refuse(
                    f"{block_id}: {span_text!r} was at {start}; {_list(tied)} are equally near;"
                    " give start and end by hand"
                )
            )
            continue
        moves.append(SpanMove(field, node.line, node.column, block_id, span_text, start, new))
        edits += [(start_node, new), (end_node, new + len(span_text))]
    if errors:
        return Reanchored(text, tuple(moves), tuple(errors))
    fixed = _apply(text, edits)
    try:
        loads(fixed, source=source)
    except DataError as exc:
        return Reanchored(text, tuple(moves), (exc,))
    return Reanchored(fixed, tuple(moves), ())


def _list(numbers: list[int]) -> str:
    return " and ".join(", ".join(map(str, numbers)).rsplit(", ", 1))


def _apply(text: str, edits: list[tuple[Scalar, int]]) -> str:
    """``text`` with each plain integer scalar replaced by its new value, last first."""
    lines = _Lines(text)
    for node, value in sorted(edits, key=lambda e: lines.index(e[0]), reverse=True):
        at = lines.index(node)
        old = node.value
        if text[at : at + len(old)] != old:  # a quoted number ('12'): find it inside the quotes
            at = text.index(old, at)
        text = f"{text[:at]}{value}{text[at + len(old) :]}"
    return text
