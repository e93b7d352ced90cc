"""Tests for the strict, safe YAML layer: each hazard is refused or kept as text."""

from __future__ import annotations

import codecs
from typing import NoReturn
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import BACKENDS, MINIMAL
from ukrnews import _scanner, _yaml
from ukrnews._yaml import Limits, Map, Node, Scalar, Seq, parse


def _value(text: str, pure: bool) -> object:
    """The plain value of a one-key document ``k: ...``."""
    root = parse(text, pure=pure)
    assert isinstance(root, Map)
    node = root.items["k"][1]
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [n.value for n in node.items if isinstance(n, Scalar)]
    return node


class TestImplicitTyping:
    """Plain scalars stay text: no YAML 1.1 bools, dates, sexagesimals, octals or nulls."""

    @BACKENDS
    @pytest.mark.parametrize(
        "scalar",
        [
            "no",
            "No",
            "off",
            "on",
            "yes",
            "y",
            "n",
            "true",
            "2024-10-28",
            "1:30",
            "012",
            "0x1F",
            "~",
            "null",
            "1e3",
            ".inf",
            ".NaN",
            "=",
            "2001-12-14t21:59:43.10-05:00",
        ],
    )
    def test_plain_scalar_is_text(self, scalar: str, pure: bool) -> None:
        """Each of these would be typed by yaml.safe_load; we keep the characters."""
        assert _value(f"k: {scalar}\n", pure) == scalar

    @BACKENDS
    def test_empty_value_is_empty_text(self, pure: bool) -> None:
        """An empty value is the empty string, never None."""
        assert _value("k:\n", pure) == ""

    @BACKENDS
    def test_typed_field_converted_explicitly(self, pure: bool) -> None:
        """`partial: no` is not a boolean: the model asks for true or false and says so."""
        doc = ukrnews.dumps(ukrnews.load().articles[0]).replace("partial: true", "partial: no")
        with pytest.raises(
            ukrnews.SchemaError,
            match=r"quotes\[3\] \(q4\)\.partial: expected true or false, found 'no'",
        ):
            ukrnews.loads(doc, pure=pure)


class TestRefused:
    """Every unsafe or ambiguous YAML feature is a ParseError with a position."""

    @BACKENDS
    @pytest.mark.parametrize(
        ("doc", "message", "line", "column"),
        [
            ("k: !!python/object/apply:os.system ['echo hi']\n", "tags are not allowed", 1, 4),
            ("k: !!binary aGk=\n", "tags are not allowed", 1, 4),
            ("k: !!int 5\n", "tags are not allowed", 1, 4),
            ("k: !custom x\n", "tags are not allowed", 1, 4),
            ("k: !!set {a}\n", "tags are not allowed", 1, 4),
            ("k: !!omap [a: 1]\n", "tags are not allowed", 1, 4),
            ("a: &x v\nk: *x\n", "anchors are not allowed", 1, 4),
            ("a: &x [1, 2]\n", "anchors are not allowed", 1, 4),
            ("k: *x\n", None, 1, None),
            ("base: {a: 1}\nk:\n  <<: {a: 2}\n", "merge keys", 3, 3),
            ("k: 1\nk: 2\n", "duplicate key 'k' (first at line 1)", 2, 1),
            ("? [a, b]\n: 1\n", "mapping keys must be text, found a sequence", 1, 3),
            ("? {a: 1}\n: 1\n", "mapping keys must be text, found a mapping", 1, 3),
            ("k: 1\n---\nk: 2\n", "expected one document, found a second one", 2, 1),
            ("", "expected an article, found an empty document", None, None),
            ("k: [\n", "invalid YAML", 2, 1),
            ("k:\n\t- a\n", "a tab is only allowed inside quoted text", 2, 1),
            ("k: a\x00b\n", "not allowed in YAML", 1, 5),
        ],
    )
    def test_refused(
        self, doc: str, message: str | None, line: int | None, column: int | None, pure: bool
    ) -> None:
        """The hazard is refused with a located ParseError (never another exception)."""
        with pytest.raises(ukrnews.ParseError) as info:
            parse(doc, "x.yaml", pure=pure)
        err = info.value
        assert err.path == "x.yaml"
        if message is not None:
            assert message in err.message
        assert err.line == line
        if column is not None:
            assert err.column == column

    @BACKENDS
    def test_explicit_str_tag_allowed(self, pure: bool) -> None:
        """The plain str tag is allowed and changes nothing."""
        assert _value("k: !!str 5\n", pure) == "5"

    @BACKENDS
    def test_alias_bomb(self, pure: bool) -> None:
        """A billion-laughs document is refused at its first anchor, before any expansion."""
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
        ]
        with pytest.raises(ukrnews.ParseError, match="anchors are not allowed"):
            parse("\n".join(lines) + "\n", pure=pure)


class TestLimits:
    """Size, depth and node count are bounded."""

    @BACKENDS
    def test_depth(self, pure: bool) -> None:
        """Deep nesting is refused without a RecursionError."""
        # libyaml's scanner may stop first at its own limit of 1000 flow levels.
        with pytest.raises(ukrnews.ParseError, match="nesting"):
            parse("k: " + "[" * 10_000 + "]" * 10_000 + "\n", pure=pure)

    @BACKENDS
    def test_depth_block_style(self, pure: bool) -> None:
        """Deep block-style nesting is refused too."""
        doc = "".join(f"{'  ' * i}k:\n" for i in range(40)) + f"{'  ' * 40}k: v\n"
        with pytest.raises(ukrnews.ParseError, match="nesting"):
            parse(doc, pure=pure)

    def test_size(self) -> None:
        """Input over the byte limit is refused before parsing."""
        with pytest.raises(ukrnews.ParseError, match="limit is 100"):
            ukrnews.loads(b"k: " + b"x" * 200, limits=Limits(max_bytes=100))

    @BACKENDS
    def test_node_count(self, pure: bool) -> None:
        """A document with too many nodes is refused."""
        doc = "k: [" + ", ".join("x" for _ in range(1000)) + "]\n"
        with pytest.raises(ukrnews.ParseError, match="more than 500 nodes"):
            parse(doc, limits=Limits(max_nodes=500), pure=pure)

    def test_loader_limits_are_in_limits(self) -> None:
        """Nesting, the search budget and the hints' sizes come from `Limits`, not constants."""
        chain = "".join(
            f"- id: a{i}\n  kind: direct\n  medium: speech\n  source: unknown\n"
            "  content: [{block: p1, start: 0, end: 2, text: Er}]\n"
            + (f"  parent: a{i + 1}\n" if i < 3 else "")
            for i in range(4)
        )
        nested = MINIMAL + "attributions:\n" + chain
        assert len(ukrnews.loads(nested).attributions) == 4
        with pytest.raises(ukrnews.LinkError, match="nest more than 2 deep"):
            ukrnews.loads(nested, limits=Limits(max_nesting=2))
        ambiguous = MINIMAL.replace("es sei gut.", "es es es.") + (
            "entities:\n- id: e\n  kind: person\n  name: E\n  mentions: [{block: p1, text: es}]\n"
        )
        with pytest.raises(ukrnews.SpanError, match=r"start 13, end 15 .*; and 1 more$"):
            ukrnews.loads(ambiguous, limits=Limits(max_candidates=2))
        with pytest.raises(ukrnews.SpanError, match="over 10 characters searched"):
            ukrnews.loads(ambiguous, limits=Limits(find_budget=10))
        wrong = ambiguous.replace("text: es}", "start: 0, end: 2, text: es}")
        with pytest.raises(ukrnews.SpanError, match="did you mean start: 10, end: 12"):
            ukrnews.loads(wrong)
        with pytest.raises(ukrnews.SpanError, match=r"\[0:2\] 'Er'$"):
            ukrnews.loads(wrong, limits=Limits(suggest_limit=5))

    def test_nesting_limit_has_a_ceiling(self) -> None:
        """Deeper nesting than Python's recursion limit allows cannot be asked for."""
        with pytest.raises(ValueError, match="max_nesting"):
            Limits(max_nesting=101)

    @BACKENDS
    def test_many_keys_and_huge_scalar_within_limits(self, pure: bool) -> None:
        """Large but legal input parses (then fails the schema, not the parser)."""
        doc = "".join(f"k{i}: v\n" for i in range(5000)) + "big: " + "x" * 1_000_000 + "\n"
        root = parse(doc, pure=pure)
        assert isinstance(root, Map)
        assert len(root.items) == 5001


class TestEncoding:
    """UTF-8 with or without BOM is read; other encodings are refused with the file named."""

    def test_bom_accepted(self) -> None:
        """A UTF-8 BOM is dropped."""
        article = ukrnews.loads(codecs.BOM_UTF8 + MINIMAL.encode())
        assert article.headline == "Eine Überschrift"

    def test_str_bom_accepted(self) -> None:
        """A BOM at the start of a str is dropped too."""
        assert ukrnews.loads("\ufeff" + MINIMAL).id == "mini"

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
    def test_utf16_32_refused(self, encoding: str) -> None:
        """UTF-16/32 with BOM is named as such."""
        with pytest.raises(
            ukrnews.ParseError, match=f"found a {encoding.upper()} byte order mark"
        ) as info:
            ukrnews.loads(MINIMAL.encode(encoding), source="a.yaml")
        assert info.value.path == "a.yaml"

    def test_utf16_without_bom(self) -> None:
        """UTF-16 without a BOM fails as invalid UTF-8 or NUL, with a hint."""
        with pytest.raises(ukrnews.ParseError):
            ukrnews.loads(MINIMAL.encode("utf-16-le"), source="a.yaml")

    def test_latin1_refused_with_position(self) -> None:
        """A Latin-1 umlaut is located by line and column."""
        with pytest.raises(ukrnews.ParseError, match=r"invalid byte 0xdc") as info:
            ukrnews.loads(MINIMAL.encode("latin-1"), source="a.yaml")
        assert (info.value.line, info.value.column) == (3, 16)

    def test_lone_surrogate_in_str_refused(self) -> None:
        """A str with a lone surrogate cannot be UTF-8; both back ends refuse it alike."""
        for pure in (False, True):
            with pytest.raises(ukrnews.ParseError, match=r"lone surrogate U\+D800"):
                ukrnews.loads(MINIMAL.replace("gut", "gut\ud800"), pure=pure)

    @BACKENDS
    @pytest.mark.parametrize("newline", ["\r\n", "\r"])
    def test_crlf_and_cr(self, newline: str, pure: bool) -> None:
        """CRLF and CR line ends read the same as LF."""
        assert ukrnews.loads(MINIMAL.replace("\n", newline), pure=pure) == ukrnews.loads(MINIMAL)


class TestBackendsAgree:
    """libyaml and the pure-Python parser give the same tree and the same errors."""

    def test_libyaml_is_there(self) -> None:
        """PyYAML's wheels carry libyaml; without it the comparisons here would compare
        the pure-Python parser with itself, so its absence fails rather than skips."""
        assert ukrnews.HAVE_LIBYAML

    def test_bundled_article(self) -> None:
        """The bundled article loads to equal models on both back ends."""
        from helpers import bundled_yaml

        text = bundled_yaml()
        assert ukrnews.loads(text, pure=False) == ukrnews.loads(text, pure=True)


class TestDivergentCorners:
    """Where libyaml is more lenient than PyYAML, both back ends give PyYAML's answer."""

    @pytest.mark.parametrize(
        "doc",
        ["k: 0\t\n", "k: |#\n  a\n", "k: [a?]\n", "k: {a?: b}\n", "k: a\u2028b\n", "k: a\x85b\n"],
    )
    def test_same_outcome(self, doc: str) -> None:
        """The outcome (a tree or an error) is the same on both back ends."""
        outcomes = []
        for pure in (False, True):
            try:
                outcomes.append(repr(_value(doc, pure)))
            except ukrnews.ParseError as err:
                outcomes.append(str(err))
        assert outcomes[0] == outcomes[1]

    @BACKENDS
    def test_tab_inside_quotes_is_text(self, pure: bool) -> None:
        """A raw tab inside double quotes is legal YAML and kept."""
        assert _value('k: "a\tb"\n', pure) == "a\tb"

    @BACKENDS
    def test_escaped_tab(self, pure: bool) -> None:
        """The escape `\\t` in double quotes is a tab."""
        assert _value('k: "a\\tb"\n', pure) == "a\tb"


class TestPositions:
    """Errors found before parsing count lines as YAML does."""

    @pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
    def test_nul_position_with_any_line_end(self, newline: str) -> None:
        """A NUL on line 3 is reported at line 3 whatever the line ends are."""
        doc = newline.join(["id: x", "language: de", "headline: a\x00b", ""])
        with pytest.raises(ukrnews.ParseError) as info:
            ukrnews.loads(doc)
        assert (info.value.line, info.value.column) == (3, 12)


class TestSuiteCorners:
    """What the YAML test suite found in PyYAML's and libyaml's scanners, on both back ends."""

    @BACKENDS
    @pytest.mark.parametrize(
        ("doc", "message", "line", "column"),
        [
            ('k: "value"# c\n', "invalid YAML: a comment needs a space before '#'", 1, 11),  # SU5Z
            ("k: [a, b]# c\n", "a comment needs a space before '#'", 1, 10),  # 9JBA
            ("k: [a,# c\n  b]\n", "a comment needs a space before '#'", 1, 7),  # CVW2
            ("%YAML 1.1# c\n---\nk: v\n", "invalid YAML: expected a digit", 1, 10),  # MUS6:00
            ("k: [a,\nb]\n", "a line inside [...] or {...} must be indented more", 2, 1),  # 9C9N
            ("k: [a\nb]\n", "a line inside [...] or {...} must be indented more", 2, 1),
            ("k: [\n]\n", "a line inside [...] or {...} must be indented more", 2, 1),
            ("k:\n  - [a,\n  b]\n", "a line inside [...] or {...} must be indented more", 3, 3),
            ('k: "a\nb"\n', "a new line of double-quoted text must be indented", 2, 1),  # QB6E
            ('k: "a\n\tb"\n', "a new line of double-quoted text must be indented", 2, 1),  # DK95:01
            ("- k: 'a\n  b'\n", "a new line of single-quoted text must be indented", 2, 3),
            ("k: [-]\n", "'-' alone is not a value inside [...] or {...}", 1, 5),  # YJV2
            ("- [a, -]\n", "'-' alone is not a value inside [...] or {...}", 1, 7),  # G5U8
            ("k: >\n \n  \n   \n # c\n", "3 spaces, more than the first line's 1", 5, 2),  # S98Z
            ("k: [?x]\n", "unquoted '?' before text is not allowed inside", 1, 5),
            ("k: { ?x: y }\n", "unquoted '?' before text is not allowed inside", 1, 6),
            ("k: a\tb\n", "a tab is only allowed inside quoted text or a block scalar", 1, 5),
        ],
    )
    def test_refused(self, doc: str, message: str, line: int, column: int, pure: bool) -> None:
        """Accepted or misread before; now a located ParseError that says what is wrong."""
        with pytest.raises(ukrnews.ParseError) as info:
            parse(doc, "x.yaml", pure=pure)
        assert message in info.value.message
        assert (info.value.line, info.value.column) == (line, column)

    @BACKENDS
    @pytest.mark.parametrize(
        ("doc", "value"),
        [
            ("k: |+\n   ", "\n"),  # JEF9:02: the last line is a line without its break
            ("k: |\n  x\n   ", "x\n \n"),  # L24T:01
            ("k: |\n  x\n   \n", "x\n \n"),
            ("k: a#b\n", "a#b"),
            ('k: "a" # c\n', "a"),
            ('k: "a\n  b"\n', "a b"),
            ("k: 'a\n\n  b'\n", "a\nb"),  # what dumps writes for text with a line break
            ("k: [a,\n  b]\n", ["a", "b"]),
            ("k: [a,\n# c\n  b]\n", ["a", "b"]),
            ("k: ['-', '?x']\n", ["-", "?x"]),
            ("k: [a-, -b]\n", ["a-", "-b"]),
            ("k: Kinder-, Jugend- und Familienhilfe?\n", "Kinder-, Jugend- und Familienhilfe?"),
            ("k: >\n\n  a\n", "\na\n"),
        ],
    )
    def test_loaded(self, doc: str, value: object, pure: bool) -> None:
        """The valid neighbours of each refused corner still load, to the same text."""
        assert _value(doc, pure) == value

    def test_bundled_article_takes_the_fast_path(self) -> None:
        """The checks for these corners do not send an ordinary article to the slow parser."""
        from helpers import bundled_yaml
        from ukrnews._yaml import _fast_path

        assert _fast_path(bundled_yaml(), pure=False) is ukrnews.HAVE_LIBYAML


def _shape(node: Node) -> object:
    """A node as nested tuples, with every position: what two parses must agree on."""
    where = (node.line, node.column)
    if isinstance(node, Scalar):
        return ("scalar", where, node.value)
    if isinstance(node, Seq):
        return ("seq", where, [_shape(item) for item in node.items])
    return ("map", where, [(_shape(k), _shape(v)) for k, v in node.items.values()])


def _outcome(text: str, *, pure: bool) -> object:
    """The tree, or the error's message and position."""
    try:
        return _shape(parse(text, "doc.yaml", pure=pure))
    except ukrnews.ParseError as err:
        return ("error", err.message, err.line, err.column)


def _reference(text: str) -> object:
    """The outcome on the reference path alone: the strict parser and `_compose`."""

    def refuse(*_: object, **__: object) -> NoReturn:
        raise _yaml._Diverge

    with mock.patch.object(_yaml, "_compose_fast", refuse):
        return _outcome(text, pure=True)


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_PIECE = st.text(alphabet="ab \t#:'\"\\-?ü", max_size=6)
_SCALAR = st.one_of(
    st.sampled_from(["a", "b c", "ü", "-", "?x", "a#b", "x: y", ""]),
    _PIECE.map(_single),
    _PIECE.map(_double),
    st.just('"a\\\tb"'),  # a backslash before a raw tab: an escaped tab
)
_VALUE = st.one_of(
    _SCALAR,
    st.lists(_SCALAR, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.tuples(st.sampled_from("abc"), _SCALAR), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    ),
)
_COMMENT = st.sampled_from(["", " # c", " #\tc\t", " # a\tb # c", "\t# c", " #", "# c"])
_LINE = st.one_of(
    st.builds(
        "{}:{}{}{}".format,
        st.sampled_from(["k", "a", "b", "'q\tk'"]),
        st.sampled_from([" ", " ", "\t", " \t"]),
        _VALUE,
        _COMMENT,
    ),
    st.builds("{}{}".format, st.sampled_from(["s:\n  - ", "s:\n- "]), _SCALAR),
    st.builds(
        "t: {}{}\n  {}\n{}".format,
        st.sampled_from(["|", ">", "|-", "|2"]),
        _COMMENT,
        _PIECE,
        st.sampled_from(["", " ", "  "]),
    ),
    _COMMENT.map(lambda comment: comment.lstrip(" ")),
    _COMMENT.map(lambda comment: " " + comment.lstrip(" ")),
)


class TestFastPathAgrees:
    """`_compose_fast` on either parser gives the reference path's tree or error (issue 16)."""

    # Each example parses up to five times, twice on the slow pure-Python parser.
    @settings(max_examples=150)
    @given(
        lines=st.lists(_LINE, min_size=1, max_size=6),
        tab=st.none() | st.integers(min_value=0),
        newline=st.sampled_from(["\n", "\r\n"]),
    )
    def test_same_tree_or_error(self, lines: list[str], tab: int | None, newline: str) -> None:
        """Trees, messages and positions match, tabs in comments and quotes included."""
        text = newline.join(lines) + newline
        if tab is not None:  # a raw tab anywhere: refused, or read alike
            at = tab % (len(text) + 1)
            text = text[:at] + "\t" + text[at:]
        want = _reference(text)
        assert _outcome(text, pure=True) == want
        assert _outcome(text, pure=False) == want

    def test_tab_in_comment_or_quotes_stays_on_libyaml(self) -> None:
        """Such a tab no longer sends the whole file to the pure-Python parser."""
        text = "# a\tcomment\nk: 'a\tb'  # and\there\nl: {m: \"c\td\"}\n"
        with mock.patch.object(_scanner, "StrictParser", side_effect=AssertionError("slow path")):
            root = parse(text)
        assert _shape(root) == _reference(text)
        assert isinstance(root, Map)
        assert [v.value for _, v in root.items.values() if isinstance(v, Scalar)] == ["a\tb"]

    @pytest.mark.parametrize("text", ["k: a\tb\n", "k:\tv\n", "k: 'a'\t# c\n", "\tk: v\n"])
    def test_other_tabs_are_refused_alike(self, text: str) -> None:
        """A tab outside quotes and comments is the reference parser's to refuse."""
        want = _reference(text)
        assert isinstance(want, tuple)
        assert want[0] == "error"
        assert _outcome(text, pure=False) == want
