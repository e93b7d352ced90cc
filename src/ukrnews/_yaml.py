"""The strict, safe YAML layer: bytes to a small tree of positioned nodes.

We read PyYAML's *event* stream (from libyaml when it is there, from the
pure-Python parser with a stricter scanner, `_scanner.StrictParser`, otherwise
and wherever libyaml may be wrong) and compose the tree ourselves.  That one
composer is why both back ends give identical results, why anchors, aliases,
tags, merge keys and duplicate keys are refused before anything is built, why
every scalar stays text (no YAML 1.1 implicit typing), and why depth is
bounded without recursion.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import TYPE_CHECKING, Any, Final

import attr
import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ._errors import ParseError
from ._value import Value

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "HAVE_LIBYAML",
    "Limits",
    "Map",
    "Node",
    "Scalar",
    "Seq",
    "check_size",
    "decode",
    "parse",
]

try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    HAVE_LIBYAML = False
else:
    HAVE_LIBYAML = True

_STR: Final = "tag:yaml.org,2002:str"
_SEQ: Final = "tag:yaml.org,2002:seq"
_MAP: Final = "tag:yaml.org,2002:map"
_MAP_TAGS: Final = (None, _MAP)


#: The deepest `Limits.max_nesting` allowed: deeper parents would risk Python's recursion limit.
MAX_NESTING_CEILING: Final = 100


@attr.frozen(eq=False, repr=False)
class Limits(Value):
    """Bounds on untrusted input; generous for articles, small enough to stay safe.

    The first three bound the YAML, the others the loader's work and messages.
    """

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 200_000
    #: Attributions inside attributions; it bounds recursion everywhere.
    max_nesting: int = attr.field(default=32, validator=attr.validators.le(MAX_NESTING_CEILING))
    #: Characters searched for the spans given without offsets, in all.
    find_budget: int = 64 * 1024 * 1024
    #: Longest block searched to suggest where a mis-anchored text really is.
    suggest_limit: int = 1_000_000
    #: Places listed when a text without offsets is ambiguous.
    max_candidates: int = 12


DEFAULT_LIMITS: Final = Limits()


class Scalar:
    """A text scalar with its 1-based position."""

    __slots__ = ("column", "line", "value")

    def __init__(self, value: str, line: int, column: int) -> None:
        self.value = value
        self.line = line
        self.column = column


class Seq:
    """A sequence with its 1-based position."""

    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.column = column


class Map:
    """A mapping of text keys to (key node, value node), in document order."""

    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.line = line
        self.column = column


Node = Scalar | Seq | Map

_KIND: Final = {Scalar: "a text scalar", Seq: "a sequence", Map: "a mapping"}


def kind_of(node: Node) -> str:
    """Describe a node's type for error messages."""
    return _KIND[type(node)]


_OTHER_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def check_size(size: int, source: str, limits: Limits) -> None:
    """Refuse input of more than ``limits.max_bytes`` bytes: the one size check and message."""
    if size > limits.max_bytes:
        raise ParseError(
            f"input is {size:,} bytes; the limit is {limits.max_bytes:,}"
            " (raise it with limits=ukrnews.Limits(max_bytes=...), or --max-bytes)",
            path=source,
        )


def decode(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Decode strict UTF-8 (a BOM is allowed and dropped); refuse anything else."""
    check_size(len(data), source, limits)
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    else:
        for bom, name in _OTHER_BOMS:
            if data.startswith(bom):
                raise ParseError(
                    f"expected UTF-8, found a {name} byte order mark; save the file as UTF-8",
                    path=source,
                    line=1,
                    column=1,
                )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        hint = " (is the file UTF-16 or Latin-1?)" if b"\x00" in data[:4] else ""
        raise ParseError(
            f"expected UTF-8, found invalid byte 0x{bad}{hint}",
            path=source,
            line=line,
            column=column,
        ) from None


# What libyaml reads differently from the strict reference parser, each behind a
# character that is rare in articles (a literal search is fast; a class is not):
# YAML 1.1's extra line breaks (NEL, LS, PS); a comment glued to a
# token ('"a"#', ']#'); a block scalar with a comment glued to its indicator or with
# an empty line first (which may be longer than its first line); '?' starting text
# in a flow collection ('[?x]'); a directive ('%YAML').  Each pattern is compiled the
# first time its character is in a text (`_compiled`).
_BLOCK: Final = r"[0-9+-]{0,2}(?:#|[ ]*(?:#.*)?(?:\r\n?|\n)[ \t\r\n]* (?:\r\n?|\n))"
_compiled: Final = functools.cache(re.compile)  # kept for good, unlike in `re`'s own cache
_DIVERGENT: Final = (
    ("\x85", None),
    ("\u2028", None),
    ("\u2029", None),
    ("#", r"#(?<=[\"'\[\]{},?:]#)"),
    ("|", r"\|" + _BLOCK),
    (">", ">" + _BLOCK),
    ("?", r"\?(?<![^\[{, \n]\?)[^\s,\[\]{}]"),
    ("%", r"%(?<![^\r\n]%)"),
)
# YAML's printable set, as PyYAML's reader defines it; checked once, for both back ends.
_NON_PRINTABLE: Final = yaml.reader.Reader.NON_PRINTABLE
# The same set on UTF-8 bytes, in two cheap steps: delete printable ASCII (C speed), then
# what is left (the non-ASCII bytes, few in most articles) may hold an ASCII control, a C1
# control (U+0080-U+009F but NEL) or U+FFFE/U+FFFF.  Only then does `_NON_PRINTABLE` run,
# to find and word the first one.
_PRINTABLE_ASCII: Final = b"\t\n\r" + bytes(range(0x20, 0x7F))
_SUSPECT: Final = re.compile(rb"[\x00-\x7f]|\xc2[\x80-\x84\x86-\x9f]|\xef\xbf[\xbe\xbf]")


_TAB_TOKEN: Final = "found character '\\t' that cannot start any token"  # noqa: S105
_LINE_END: Final = ("", "\n", "\r", "\x85", "\u2028", "\u2029")  # a line's end or the start
_BREAK: Final = "\r\n|[\r\n\x85\u2028\u2029]"  # compiled when an error needs it


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index``, counting line breaks as YAML does (CR too)."""
    line, start = 1, 0
    for match in _compiled(_BREAK).finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _check_text(text: str, source: str, limits: Limits) -> str:
    """Refuse what either parser would refuse or read differently, before they see it."""
    text = text.removeprefix("\ufeff")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, column = _position(text, exc.start)
        raise ParseError(
            f"expected Unicode text, found lone surrogate U+{ord(text[exc.start]):04X}",
            path=source,
            line=line,
            column=column,
        ) from None
    check_size(len(data), source, limits)
    stray = text.find("\ufeff")
    if stray >= 0:  # libyaml and PyYAML disagree on what a BOM after the start means
        line, column = _position(text, stray)
        raise ParseError(
            "a byte order mark (U+FEFF) is only allowed at the start;"
            ' inside text write it as "\\uFEFF" in double quotes',
            path=source,
            line=line,
            column=column,
        )
    rest = data.translate(None, _PRINTABLE_ASCII)
    bad = _NON_PRINTABLE.search(text) if rest and _SUSPECT.search(rest) else None
    if bad is not None:
        line, column = _position(text, bad.start())
        raise ParseError(
            f"character U+{ord(bad.group()):04X} is not allowed in YAML; write it as an escape"
            ' inside double quotes ("\\x..")',
            path=source,
            line=line,
            column=column,
        )
    if text[-1:] in (" ", "\t") and text.rstrip(" \t")[-1:] in _LINE_END:
        # A last line of only spaces is a line; both scanners drop it unless it ends.
        text += "\n"
    return text


def _fast_path(text: str, pure: bool) -> bool:
    r"""Whether libyaml may parse this text.

    libyaml accepts some documents that the strict scanner refuses (a comment glued
    to a token, "|#", '"a"#'; a block scalar
    whose leading empty lines are too long), misreads some ("{?a: b}"), and counts
    lines differently around NEL, LS and PS.  Text that may hold any of these
    (`_DIVERGENT`) goes to the strict parser on both back ends, so both accept the
    same documents and report the same positions; `dumps` writes none of them.
    Raw tabs are checked after libyaml has parsed (`_tabs_agree`).
    """
    if not HAVE_LIBYAML or pure:
        return False
    for char, pattern in _DIVERGENT:
        if char in text and (pattern is None or _compiled(pattern).search(text) is not None):
            return False
    return True


def parse(
    text: str,
    source: str = "<string>",
    *,
    limits: Limits = DEFAULT_LIMITS,
    pure: bool = False,
) -> Node:
    """Parse one YAML document into positioned nodes, refusing every unsafe feature.

    libyaml parses when it is there; when it finds any error, the strict pure-Python
    parser (the reference) decides and words the error, so both back ends accept the
    same documents and report the same first error.  ``pure=True`` skips libyaml.
    Each parser's events go to `_compose_fast` first; only a document it does not
    accept goes through `_compose`, which words the first error.
    """
    text = _check_text(text, source, limits)
    if _fast_path(text, pure):
        tabs = "\t" in text
        parser = _CParser(text)
        try:
            root, scalars = _compose_fast(parser.get_event, limits, lenient=True, scalars=tabs)
            if not tabs or _tabs_agree(text, scalars):
                return root
        except (yaml.MarkedYAMLError, _Diverge):
            pass  # an error or a lenient corner: the reference parser decides
        finally:
            parser.dispose()
    # The reference parser: loaded only without libyaml, or for text that needs it.
    from ._scanner import NotInSubsetError, StrictParser  # noqa: PLC0415 - lazy: see above

    strict = StrictParser(text)
    try:
        return _compose_fast(strict.get_event, limits)[0]
    except (yaml.YAMLError, _Diverge, ValueError, KeyError, TypeError, RecursionError):
        pass  # an error: the reference composer below finds and words it
    finally:
        strict.dispose()
    try:
        return _run(StrictParser(text), source, limits)
    except ParseError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        if exc.problem == _TAB_TOKEN:  # YAML 1.2 allows some of these tabs; we do not
            problem = "a tab is only allowed inside quoted text or a block scalar; use spaces"
        elif not isinstance(exc, NotInSubsetError):
            problem = f"invalid YAML: {problem}"
        raise ParseError(problem, path=source, line=line, column=column) from None
    except yaml.reader.ReaderError as exc:  # pragma: no cover - _check_text runs first
        line, column = _reader_position(text, exc)
        raise ParseError(
            f"invalid YAML: character U+{exc.character:04X} is not allowed in YAML"
            if isinstance(exc.character, int)
            else f"invalid YAML: {exc.reason}",
            path=source,
            line=line,
            column=column,
        ) from None
    except (yaml.YAMLError, ValueError, KeyError, TypeError, RecursionError, UnicodeError) as exc:
        raise ParseError(f"invalid YAML: {exc}", path=source) from None


def _run(parser: Any, source: str, limits: Limits, *, lenient: bool = False) -> Node:
    try:
        return _compose(parser.get_event, source, limits, lenient=lenient)
    finally:
        parser.dispose()


def _reader_position(
    text: str, exc: yaml.reader.ReaderError
) -> tuple[int, int] | tuple[None, None]:  # pragma: no cover - _check_text runs first
    if isinstance(exc.character, int):
        index = text.find(chr(exc.character))
        if index >= 0:
            return _position(text, index)
    return None, None


def _short_tag(tag: str) -> str:
    """A tag as people write it: ``!!int`` rather than ``tag:yaml.org,2002:int``."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _fail(message: str, source: str, event: Any) -> ParseError:
    mark = event.start_mark
    return ParseError(message, path=source, line=mark.line + 1, column=mark.column + 1)


class _Diverge(Exception):  # noqa: N818 - control flow inside this module only
    """libyaml accepted something PyYAML's scanner may refuse: ask the reference parser."""


_QUOTED: Final = ("'", '"')


def _compose_fast(
    get_event: Callable[[], Any], limits: Limits, *, lenient: bool = False, scalars: bool = False
) -> tuple[Node, list[tuple[int, int, str]]]:
    """`_compose`'s tree for a document it accepts, faster; anything else raises `_Diverge`.

    It words no error (the reference path does that), and keeps one frame per open
    container.  ``lenient`` is as for
    `_compose`.  With ``scalars`` it also lists each scalar's (start, end, style), in
    document order, for `_tabs_agree`.
    """
    spans: list[tuple[int, int, str]] = []
    get_event()  # StreamStartEvent
    if type(get_event()) is not DocumentStartEvent:
        raise _Diverge
    # The open container, its items, whether it is a mapping, a key waiting for its
    # value, and whether it is in flow style; the enclosing ones wait on the stack.
    stack: list[tuple[Any, Any, bool, Scalar | None, bool]] = []
    parent: Map | Seq | None = None
    items: Any = None
    in_map = False
    key: Scalar | None = None
    flow = False
    root: Node | None = None
    nodes = 0
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    while True:
        event = get_event()
        cls = type(event)
        node: Node
        if cls is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Diverge
            value = event.value
            style = event.style
            mark = event.start_mark
            if lenient:
                if style:
                    if style in _QUOTED and event.end_mark.line != mark.line:
                        raise _Diverge
                elif flow and (not value or value == "-" or "?" in value):
                    raise _Diverge
            if scalars:
                spans.append((mark.index, event.end_mark.index, style))
            node = Scalar(value, mark.line + 1, mark.column + 1)
            nodes += 1
            if nodes > max_nodes:  # stop early: a huge document must not be built first
                raise _Diverge
            if in_map:
                if key is None:
                    if value == "<<" or value in items:
                        raise _Diverge  # a merge key or a duplicate
                    key = node
                else:
                    items[key.value] = (key, node)
                    key = None
                continue
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if (
                event.anchor is not None
                or event.tag is not None
                or len(stack) >= max_depth
                or (in_map and key is None)  # a key that is not text
            ):
                raise _Diverge
            mark = event.start_mark
            stack.append((parent, items, in_map, key, flow))
            in_map = cls is MappingStartEvent
            parent = (Map if in_map else Seq)(mark.line + 1, mark.column + 1)
            items = parent.items
            key = None
            flow = flow or bool(event.flow_style)
            nodes += 1
            if nodes > max_nodes:
                raise _Diverge
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            node = parent  # type: ignore[assignment]  # an end event always has its start
            inner = flow
            parent, items, in_map, key, flow = stack.pop()
            if inner and lenient and not flow and event.end_mark.line >= node.line:
                raise _Diverge  # a flow collection over several lines: check its indentation
            nodes += 1
            if in_map:
                items[key.value] = (key, node)  # type: ignore[union-attr]  # keys are text
                key = None
                continue
        else:  # the document's end, an alias, or anything the reference path words
            if cls is DocumentEndEvent and root is not None:
                break
            raise _Diverge
        if parent is None:
            root = node
        else:
            items.append(node)
    if nodes > max_nodes or type(get_event()) is not StreamEndEvent:
        raise _Diverge
    return root, spans


def _tabs_agree(text: str, scalars: list[tuple[int, int, str]]) -> bool:
    """Whether each raw tab is in a one-line quoted scalar or in a comment.

    There both parsers read a tab alike (as text, or not at all); anywhere else the
    strict scanner refuses it or libyaml may read it differently, so the reference
    parser decides.  ``scalars`` are the document's scalars from `_compose_fast`; a
    '#' outside all of them, after a blank or at a line's start, starts a comment.
    """
    from bisect import bisect_right  # noqa: PLC0415 - lazy: only a text with a tab needs it

    starts = [start for start, _, _ in scalars]

    def scalar_at(index: int) -> tuple[int, int, str] | None:
        k = bisect_right(starts, index) - 1
        return scalars[k] if k >= 0 and index < scalars[k][1] else None

    tab = text.find("\t")
    while tab >= 0:
        around = scalar_at(tab)
        if around is None or around[2] not in _QUOTED:
            line = max(text.rfind("\n", 0, tab), text.rfind("\r", 0, tab)) + 1
            hash_ = text.find("#", line, tab)
            while hash_ >= 0 and (
                (hash_ > line and text[hash_ - 1] not in " \t") or scalar_at(hash_) is not None
            ):
                hash_ = text.find("#", hash_ + 1, tab)
            if hash_ < 0:
                return False
            ends = [i for i in (text.find("\n", tab), text.find("\r", tab)) if i >= 0]
            tab = min(ends, default=len(text))  # the rest of the line is the comment
        tab = text.find("\t", tab + 1)
    return True


def _compose(
    get_event: Callable[[], Any], source: str, limits: Limits, *, lenient: bool = False
) -> Node:
    """Build the node tree from events, iteratively, checking each rule as we go.

    ``lenient`` marks libyaml, which accepts "?" inside plain scalars in flow
    collections ("[a?]") where PyYAML does not, places empty flow scalars
    differently, scans tags more leniently ("!a?!"), reads "[-]", and does not
    check the indentation of quoted text or flow collections over several lines;
    such a node raises `_Diverge`, and the strict reference parser decides.
    """
    get_event()  # StreamStartEvent
    event = get_event()
    if type(event) is StreamEndEvent:
        raise ParseError("expected an article, found an empty document", path=source)
    if type(event) is not DocumentStartEvent:  # pragma: no cover - parser guarantees it
        raise _fail("expected the start of a document", source, event)
    stack: list[Map | Seq] = []
    keys: list[Scalar | None] = []
    flows: list[bool] = [False]  # whether each open container is in flow style
    root: Node | None = None
    nodes = 0
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    while True:
        event = get_event()
        cls = type(event)
        node: Node
        if cls is ScalarEvent:
            style = event.style
            if lenient and (
                event.tag is not None
                or event.anchor is not None
                or (
                    not style
                    and flows[-1]
                    and (not event.value or event.value == "-" or "?" in event.value)
                )
                or (style in {'"', "'"} and event.end_mark.line != event.start_mark.line)
            ):
                raise _Diverge
            if event.anchor is not None:
                raise _fail(f"anchors are not allowed (found '&{event.anchor}')", source, event)
            if event.tag not in (None, "!", _STR):
                raise _fail(
                    f"tags are not allowed (found '{_short_tag(event.tag)}')", source, event
                )
            mark = event.start_mark
            node = Scalar(event.value, mark.line + 1, mark.column + 1)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if lenient and (event.tag is not None or event.anchor is not None):
                raise _Diverge
            if event.anchor is not None:
                raise _fail(f"anchors are not allowed (found '&{event.anchor}')", source, event)
            if event.tag not in (_MAP_TAGS if cls is MappingStartEvent else (None, _SEQ)):
                raise _fail(
                    f"tags are not allowed (found '{_short_tag(event.tag)}')", source, event
                )
            if len(stack) >= max_depth:
                raise _fail(f"nesting is deeper than the limit of {max_depth}", source, event)
            mark = event.start_mark
            container: Map | Seq = (Map if cls is MappingStartEvent else Seq)(
                mark.line + 1, mark.column + 1
            )
            nodes += 1
            if nodes > max_nodes:
                raise _fail(f"more than {max_nodes:,} nodes", source, event)
            stack.append(container)
            keys.append(None)
            flows.append(flows[-1] or bool(event.flow_style))
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            node = stack.pop()
            keys.pop()
            if flows.pop() and lenient and not flows[-1] and event.end_mark.line >= node.line:
                raise _Diverge  # a flow collection over several lines: check its indentation
        elif cls is AliasEvent:
            raise _fail(f"aliases are not allowed (found '*{event.anchor}')", source, event)
        elif cls is DocumentEndEvent:
            break
        else:  # pragma: no cover - the parser emits nothing else inside a document
            raise _fail(f"unexpected YAML event {cls.__name__}", source, event)
        nodes += 1
        if nodes > max_nodes:
            raise _fail(f"more than {max_nodes:,} nodes", source, event)
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            continue
        key = keys[-1]
        if key is None:
            if type(node) is not Scalar:
                raise ParseError(
                    f"mapping keys must be text, found {kind_of(node)}",
                    path=source,
                    line=node.line,
                    column=node.column,
                )
            if node.value == "<<":
                raise ParseError(
                    "merge keys ('<<') are not allowed",
                    path=source,
                    line=node.line,
                    column=node.column,
                )
            if node.value in parent.items:
                first = parent.items[node.value][0]
                raise ParseError(
                    f"duplicate key '{node.value}' (first at line {first.line})",
                    path=source,
                    line=node.line,
                    column=node.column,
                )
            keys[-1] = node
        else:
            parent.items[key.value] = (key, node)
            keys[-1] = None
    event = get_event()
    if type(event) is not StreamEndEvent:
        raise _fail("expected one document, found a second one", source, event)
    assert root is not None  # noqa: S101 - a document always has a root node
    return root
