"""The official YAML test suite, every case on both back ends, through `loads`' own path.

A case the suite marks invalid must be refused with a located `ParseError`.  A valid
case must load to exactly the suite's data, or be refused with a message that names
what the format leaves out.  Both back ends must give the same result.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.events import StreamEndEvent
from yaml.scanner import Scanner
from yaml.tokens import KeyToken, ScalarToken

import ukrnews
from ukrnews._scanner import StrictParser
from ukrnews._yaml import Map, Node, Scalar, decode, parse

SUITE: Final = Path(__file__).parent / "yaml-test-suite"
CASES: Final[list[dict[str, Any]]] = json.loads((SUITE / "cases.json").read_text("utf-8"))["cases"]
BY_ID: Final = {case["id"]: case for case in CASES}

# Valid YAML that the format leaves out, as each refusal names it.  A valid case refused
# with any other message (say, one meant for invalid YAML) fails.
SUBSET: Final = {
    "anchor": "anchors are not allowed",
    "anchor name PyYAML cannot read": "while scanning an anchor",
    "alias": "aliases are not allowed",
    "tag": "tags are not allowed",
    "key that is not text": "mapping keys must be text",
    "second document": "expected one document, found a second one",
    "bare document after '...'": "expected '<document start>'",
    "empty document": "expected an article, found an empty document",
    "document with only '...'": "but found '<document end>'",
    "directive PyYAML cannot read": "while scanning a directive",
    "tab as indentation or separation": "a tab is only allowed inside quoted text",
    "'?' before text in [...] or {...}": "unquoted '?' before text is not allowed",
    # An empty key (": x"), ':' right after a flow node ("[:x]", '{"a"::b}') or a
    # flow key on a line before its ':' ('{"a"\n: b}').
    "empty key, or ':' where PyYAML expects a node": "found ':'",
    "flow key before its ':' on another line": "but got ':'",
}
_SUBSET_RE: Final = re.compile("|".join(re.escape(m) for m in SUBSET.values()))

# Valid cases without JSON in the suite (it cannot hold a null key) that load: their
# data, from the suite's event files.  None is null, which we keep as empty text.
NO_JSON: Final[dict[str, Any]] = {
    "4ABK": {"unquoted": "separate", "http://foo.com": None, "omitted value": None},
    "DFF7": {"explicit": "entry", "implicit": "entry", None: None},
    "UKK6:02": "",  # '!': an empty scalar with the non-specific tag, so text
}

_NULL: Final = ("", "~", "null", "Null", "NULL")
_TRUE: Final = ("true", "True", "TRUE")
_FALSE: Final = ("false", "False", "FALSE")
_INT: Final = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT: Final = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def plain(node: Node) -> Any:
    """The node as plain data: text, lists and dicts."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Map):
        return {key: plain(value) for key, (_, value) in node.items.items()}
    return [plain(item) for item in node.items]


def _scalar_matches(text: str, want: object) -> bool:
    """Whether our text is the JSON scalar: the very string, or its YAML 1.2 core form."""
    if isinstance(want, str):
        return text == want
    if want is None:
        return text in _NULL
    if isinstance(want, bool):
        return text in (_TRUE if want else _FALSE)
    if isinstance(want, int) and _INT.fullmatch(text):
        return int(text, 0 if text[:2] in ("0o", "0x") else 10) == want
    if isinstance(want, int | float) and _FLOAT.fullmatch(text):
        return float(text) == want
    return False


def matches(ours: Any, want: Any) -> bool:
    """Whether our plain data is the suite's data, scalar by scalar, in the same shape."""
    if isinstance(want, dict):
        keys = {("" if key is None else key): value for key, value in want.items()}
        return (
            isinstance(ours, dict)
            and ours.keys() == keys.keys()
            and all(matches(ours[key], value) for key, value in keys.items())
        )
    if isinstance(want, list):
        return (
            isinstance(ours, list)
            and len(ours) == len(want)
            and all(matches(a, b) for a, b in zip(ours, want, strict=True))
        )
    return isinstance(ours, str) and _scalar_matches(ours, want)


def json_documents(text: str) -> list[Any]:
    """Every JSON document in ``text``, one after another."""
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents.append(document)


def outcome(yaml_text: str, *, pure: bool) -> tuple[str, Any]:
    """("data", plain data) or ("error", the ParseError) for one back end."""
    try:
        text = decode(yaml_text.encode("utf-8"), "case.yaml")
        return "data", plain(parse(text, "case.yaml", pure=pure))
    except ukrnews.ParseError as err:
        return "error", err


def _comparable(result: tuple[str, Any]) -> tuple[str, Any]:
    kind, value = result
    return (kind, str(value)) if kind == "error" else result


def problems(case: dict[str, Any]) -> list[str]:
    """What is wrong with our reading of one case, on either back end (empty: nothing)."""
    found = []
    results = {}
    for pure in (False, True):
        start = time.perf_counter()
        results[pure] = outcome(case["yaml"], pure=pure)
        if time.perf_counter() - start > 5:
            found.append(f"slow (pure={pure})")
    if _comparable(results[False]) != _comparable(results[True]):
        found.append(f"back ends disagree: {results[False]} != {results[True]}")
    for pure, (kind, value) in results.items():
        back_end = "pure-python" if pure else "libyaml"
        if case["error"]:
            if kind == "data":
                found.append(f"{back_end}: invalid YAML accepted as {value!r}")
            elif value.line is None or value.column is None:
                found.append(f"{back_end}: error without a position: {value}")
        elif kind == "error":
            if not _SUBSET_RE.search(value.message):
                found.append(f"{back_end}: valid YAML refused: {value}")
        elif case["json"] is None:
            if case["id"] not in NO_JSON or not matches(value, NO_JSON[case["id"]]):
                found.append(f"{back_end}: loaded {value!r}, not the suite's data")
        else:
            documents = json_documents(case["json"])
            if len(documents) != 1 or not matches(value, documents[0]):
                found.append(f"{back_end}: wrong data {value!r}, the suite has {documents!r}")
    return found


def test_copy_is_the_recorded_release() -> None:
    """cases.json is byte for byte the file the README names, with all its cases."""
    readme = (SUITE / "README.md").read_text("utf-8")
    digest = hashlib.sha256((SUITE / "cases.json").read_bytes()).hexdigest()
    assert f"`{digest}`" in readme
    assert "Permission is hereby granted" in (SUITE / "LICENSE").read_text("utf-8")
    assert len(CASES) == 402
    assert sum(case["error"] for case in CASES) == 94


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_case(case_id: str) -> None:
    """Invalid is refused with a position; valid loads exactly or is named as left out."""
    assert problems(BY_ID[case_id]) == []


def test_the_check_can_fail() -> None:
    """Wrong data, accepted invalid YAML and a stray refusal are each reported."""
    valid = BY_ID["229Q"]  # a sequence of mappings
    assert problems(valid) == []
    assert problems({**valid, "json": valid["json"].replace("65", "66")})
    assert problems({**valid, "json": valid["json"].replace('"name"', '"nam"')})
    assert problems({**valid, "json": valid["json"] + "[]"})  # two documents
    assert problems({**valid, "error": True})
    assert problems({**BY_ID["SU5Z"], "error": False})  # invalid: a glued comment
    assert problems({**valid, "json": None})


@pytest.mark.parametrize(
    ("text", "want", "ok"),
    [
        ("12", 12, True),
        ("0o14", 12, True),
        ("0x0C", 12, True),
        ("12", "12", True),
        ("1_2", 12, False),
        ("12.0", 12.0, True),
        ("1e1", 10.0, True),
        ("12", 13, False),
        ("", None, True),
        ("~", None, True),
        ("none", None, False),
        ("True", True, True),
        ("yes", True, False),
        ("false", False, True),
        ("12", True, False),
    ],
)
def test_scalar_matching(text: str, want: object, ok: bool) -> None:
    """A JSON number, bool or null matches only the text YAML 1.2's core schema reads so."""
    assert _scalar_matches(text, want) is ok


class _PyYAMLQueue(StrictParser):
    """The strict parser with PyYAML's own token queue: the reference for its shortcut."""

    check_token = Scanner.check_token
    peek_token = Scanner.peek_token
    get_token = Scanner.get_token


def _trace(parser: StrictParser, steps: list[int] | None = None) -> list[Any]:
    """What a parser gives: each event (or queue look, by ``steps``) with its marks, then
    its error, and the queue's state at the end."""
    seen: list[Any] = []
    ops = iter(steps or [])
    try:
        while True:
            op = next(ops, 3)
            if op == 0:
                seen.append(("check", parser.check_token(ScalarToken, KeyToken)))
            elif op == 1:
                seen.append(("peek", repr(parser.peek_token())))
            elif op == 2:
                seen.append(("get", repr(parser.get_token())))
            else:
                event = parser.get_event()  # type: ignore[no-untyped-call]
                if event is None:  # pragma: no cover - the stream ends first
                    break
                mark = event.start_mark
                seen.append((repr(event), mark.line, mark.column, event.end_mark.index))
                if isinstance(event, StreamEndEvent):
                    break
    except Exception as err:  # noqa: BLE001 - a take out of turn can break PyYAML's parser
        seen.append((type(err).__name__, str(err)))
    seen.append((parser.tokens_taken, len(parser.tokens), parser.done, parser.pointer))
    return seen


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_token_queue_is_pyyaml_s(case_id: str) -> None:
    """`StrictParser`'s remembered answer gives PyYAML's events, marks and errors."""
    text = BY_ID[case_id]["yaml"]
    assert _trace(StrictParser(text)) == _trace(_PyYAMLQueue(text))


@settings(max_examples=50)
@given(st.sampled_from(CASES), st.lists(st.integers(0, 3), max_size=60))
def test_token_queue_in_any_order(case: dict[str, Any], steps: list[int]) -> None:
    """Checks, peeks and takes in any order leave the queue as PyYAML's would."""
    assert _trace(StrictParser(case["yaml"]), steps) == _trace(_PyYAMLQueue(case["yaml"]), steps)


def test_the_token_check_can_fail() -> None:
    """A queue that forgets to look again after a take is told apart from PyYAML's."""

    class Forgetful(StrictParser):
        def get_token(self) -> Any:
            self._fill()
            self.tokens_taken += 1
            return self.tokens.pop(0)  # leaves the answer standing: wrong

    text = BY_ID["229Q"]["yaml"]
    assert _trace(Forgetful(text)) != _trace(_PyYAMLQueue(text))
