"""Property tests: generated articles, round-trips, mutations and hostile input.

Each test states one property; Hypothesis tries to break it.  The `ci` profile
(`HYPOTHESIS_PROFILE=ci`, set by `.ci/run`) runs many more examples.
"""

from __future__ import annotations

import contextlib
import copy
import re
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import MUTATIONS, Data, applicable, bundled_yaml, spans
from ukrnews._dump import C_DUMPER, article_to_data
from ukrnews._load import _Loader
from ukrnews._yaml import DEFAULT_LIMITS, Map, Node, Seq, parse
from ukrnews.testing import HOSTILE, articles, texts, yaml_documents

if TYPE_CHECKING:
    from collections.abc import Callable


def _node_at(root: Node, path: str) -> Node:
    """The node at a field path (``attributions[2].content[0]``) in a parsed tree."""
    node = root
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            assert isinstance(node, Seq)
            node = node.items[int(part[1:-1])]
        else:
            assert isinstance(node, Map)
            node = node.items[part][1]
    return node


def _unlabelled(field: str | None, tree: Data) -> str | None:
    """A field path without its item ids (``body[0] (p1).kind`` → ``body[0].kind``).

    Each id must be the id that item has in ``tree``, so a wrong label fails the test.
    """
    if field is None:
        return None
    item: Any = tree
    for part in re.findall(r" \([^)]*\)|[^.\[\] ]+|\[\d+\]", field):
        if part.startswith(" ("):
            assert isinstance(item, dict), (field, item)
            assert item.get("id") == part[2:-1], (field, item)
        elif isinstance(item, list) and part.startswith("["):
            item = item[int(part[1:-1])]
        elif isinstance(item, dict):
            item = item.get(part)
    return re.sub(r" \([^)]*\)", "", field)


def _to_yaml(data: Data) -> str:
    return yaml.dump(data, Dumper=C_DUMPER, allow_unicode=True, sort_keys=False, width=1 << 30)


def _refused(text: str) -> ukrnews.DataError:
    """Load with both back ends; both must refuse with the very same error."""
    errors = []
    for pure in (False, True):
        with pytest.raises(ukrnews.DataError) as info:
            ukrnews.loads(text, source="m.yaml", pure=pure)
        errors.append(info.value)
    c, py = errors
    assert (type(c), str(c)) == (type(py), str(py))
    return c


def _line(text: str, number: int | None) -> str:
    assert number is not None
    return text.splitlines()[number - 1]


annotated = articles(annotated=True)


class TestRoundTrip:
    """Model to YAML and back is the identity."""

    @given(articles())
    def test_all_back_ends(self, article: ukrnews.Article) -> None:
        """Both dumpers' output, read by both loaders, gives the article back: equal and
        hashing equal (values, not identities)."""
        for dump_pure in (False, True):
            text = ukrnews.dumps(article, pure=dump_pure)
            for load_pure in (False, True):
                again = ukrnews.loads(text, pure=load_pure)
                assert again == article
                assert hash(again) == hash(article)
                assert {article, again} == {article}

    @given(articles(text=texts(hostile=True, max_size=200)))
    def test_hostile_text(self, article: ukrnews.Article) -> None:
        """Text made of YAML indicators, controls, line separators and BOMs round-trips."""
        assert ukrnews.loads(ukrnews.dumps(article)) == article

    @given(yaml_documents())
    def test_dumps_is_canonical(self, text: str) -> None:
        """Dumping a loaded document reproduces it exactly: the format has one spelling."""
        assert ukrnews.dumps(ukrnews.loads(text)) == text

    # The BOM and the line ends are at the edges of lines, which every article has; what the
    # lines say does not matter to them, so 50 articles suffice.
    @settings(max_examples=50)
    @given(st.data())
    def test_bytes_with_bom_and_crlf(self, data: st.DataObject) -> None:
        """UTF-8 bytes with a BOM and CRLF line ends load to the same article."""
        article = data.draw(articles())
        text = ukrnews.dumps(article)
        raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
        assert ukrnews.loads(raw) == article


class TestOtherParsers:
    """What `dumps` writes is plain YAML that other parsers read the same way."""

    @given(articles())
    def test_safe_load_gives_the_model_tree(self, article: ukrnews.Article) -> None:
        """`yaml.safe_load` (PyYAML's pure-Python SafeLoader) and libyaml's CSafeLoader read
        what `dumps` writes as exactly the plain-data tree of the model."""
        text = ukrnews.dumps(article)
        tree = article_to_data(article)
        assert yaml.safe_load(text) == tree
        assert yaml.load(text, Loader=yaml.CSafeLoader) == tree


class TestTextOnlySpans:
    """The loader finds a span's offsets from its text, or says why it cannot."""

    @given(annotated, st.data())
    def test_offsets_may_be_omitted(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """Dropping start/end from a span loads the same article if its text occurs once in
        the block as whole words, and is refused otherwise, listing the places."""
        tree = article_to_data(article)
        found = spans(tree)
        assume(found)
        path, span = data.draw(st.sampled_from(found))
        block_text = next(b.text for b in article.blocks if b.id == span["block"])
        places = _whole_word_places(block_text, span["text"])
        original = span["start"]
        del span["start"], span["end"]
        text = _to_yaml(tree)
        if places == [original]:
            assert ukrnews.loads(text) == article
        elif len(places) == 1:
            # The one whole-word place is elsewhere (the original cut into a word): the span
            # anchors there, unless the move breaks a rule of its owner (a SpanError).
            try:
                moved = dict(spans(article_to_data(ukrnews.loads(text))))[path]
            except ukrnews.SpanError:
                return
            assert (moved["start"], moved["end"]) == (places[0], places[0] + len(span["text"]))
        else:
            with pytest.raises(ukrnews.SpanError) as info:
                ukrnews.loads(text)
            if len(places) > 1:
                assert f"occurs {len(places)} times" in info.value.message
                for start in places[: DEFAULT_LIMITS.max_candidates]:
                    assert f"start {start}, end {start + len(span['text'])} (" in info.value.message


def _whole_word_places(block: str, text: str) -> list[int]:
    """Where ``text`` occurs in ``block`` with no letter or digit glued to a word edge."""
    places = []
    for at in range(len(block) - len(text) + 1):
        if not block.startswith(text, at):
            continue
        glued_before = text[0].isalnum() and at > 0 and block[at - 1].isalnum()
        after = at + len(text)
        glued_after = text[-1].isalnum() and after < len(block) and block[after].isalnum()
        if not glued_before and not glued_after:
            places.append(at)
    return places


_ENTITY_MUTATIONS: dict[str, Callable[[list[Any]], object]] = {
    "duplicate id": lambda es: es[1].update(id=es[0]["id"]),
    "reserved id": lambda es: es[1].update(id="unknown"),
    "bad id": lambda es: es[1].update(id="Rutte"),
    "bad kind": lambda es: es[1].update(kind="persn"),
    "empty kind": lambda es: es[1].update(kind=""),
    "empty name": lambda es: es[1].update(name=""),
    "name a list": lambda es: es[1].update(name=["x"]),
    "no name": lambda es: es[1].pop("name"),
    "title elsewhere": lambda es: es[1].update(title="Kanzler"),
    "title a list": lambda es: es[1].update(title=["x"]),
    "empty title": lambda es: es[1].update(title=""),
    "title without mentions": lambda es: es[1].pop("mentions"),
    "external ids": lambda es: es[1].update(
        external_ids=[{"scheme": "wikidata", "value": "Q57792", "verified_by": "editor"}]
    ),
    "unknown key": lambda es: es[1].update(note="x"),
    "mentions a mapping": lambda es: es[1].update(mentions={"block": "p2"}),
    "no mentions": lambda es: es[1].update(mentions=[]),
    "mention twice": lambda es: es[1]["mentions"].append(dict(es[1]["mentions"][0])),
    "mention elsewhere": lambda es: es[1]["mentions"][1].update(text="Rutt"),
    "mention without offsets, twice in its block": lambda es: [
        es[1]["mentions"][1].pop(k) for k in ("start", "end")
    ],
    "mention without offsets, once": lambda es: [
        es[1]["mentions"][0].pop(k) for k in ("start", "end")
    ],
    "not a mapping": lambda es: es.__setitem__(1, "rutte"),
}


class TestQuickPaths:
    """The loader's quick paths (`quick_span`, `quick_entity`) change nothing but speed."""

    @staticmethod
    def _same_both_ways(text: str) -> None:
        """With and without them: the same article, or the same errors at the same places."""

        def outcome() -> tuple[ukrnews.Article | None, list[tuple[str, str]]]:
            errors = [(type(e).__name__, str(e)) for e in ukrnews.validate(text)]
            try:
                return ukrnews.loads(text, source="q.yaml"), errors
            except ukrnews.DataError:
                return None, errors

        quick = outcome()
        with (
            mock.patch.object(_Loader, "quick_span", return_value=None),
            mock.patch.object(_Loader, "quick_entity", return_value=False),
        ):
            slow = outcome()
        assert quick == slow

    @settings(max_examples=60)  # four loads an example; both paths meet every kind of node
    @given(annotated, st.data())
    def test_generated(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """Generated articles: valid, with offsets always or only where needed, or with
        one mutation (of a text with offsets, which the mutations edit)."""
        needed = data.draw(st.booleans(), label="offsets only where needed")
        text = ukrnews.dumps(article, offsets="needed" if needed else "always")
        if not needed and data.draw(st.booleans(), label="mutate"):
            tree = copy.deepcopy(article_to_data(article))  # as `TestMutations` mutates it
            MUTATIONS[data.draw(st.sampled_from(applicable(tree)), label="mutation")](tree, data)
            text = _to_yaml(tree)
        self._same_both_ways(text)

    @pytest.mark.parametrize("name", sorted(_ENTITY_MUTATIONS))
    def test_entity(self, name: str) -> None:
        """Each way an entity of the bundled article can go wrong (or right) is read alike."""
        tree = yaml.safe_load(bundled_yaml())
        _ENTITY_MUTATIONS[name](tree["entities"])
        self._same_both_ways(_to_yaml(tree))


class TestMutations:
    """Every single mutation of a valid document is refused at the mutated field."""

    @given(annotated, st.data())
    def test_tree_mutation(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """The error is the mutation's kind, names its field path, and its line shows it."""
        tree = copy.deepcopy(article_to_data(article))
        name = data.draw(st.sampled_from(applicable(tree)), label="mutation")
        field, marker, kind = MUTATIONS[name](tree, data)
        text = _to_yaml(tree)
        err = _refused(text)
        assert isinstance(err, kind), (name, err)
        assert _unlabelled(err.field, tree) == (field or None), (name, err)
        if marker is not None:
            assert marker in _line(text, err.line), (name, err)
        else:
            node = _node_at(parse(text), field)
            assert err.line == node.line, (name, err)
        assert str(err).startswith(f"m.yaml:{err.line}:{err.column}: ")

    @given(articles(), st.data())
    def test_text_mutation(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """Duplicate keys, anchors, aliases and tags are refused at the line they are on."""
        lines = ukrnews.dumps(article).splitlines(keepends=True)
        tops = [i for i, line in enumerate(lines) if re.match(r"[a-z_]+:", line)]
        at = data.draw(st.sampled_from(tops))
        kind = data.draw(st.sampled_from(["duplicate", "anchor", "alias", "tag", "merge"]))
        if kind == "duplicate":
            language = next(i for i, line in enumerate(lines) if line.startswith("language:"))
            lines.insert(language + 1, lines[language])
            expected = language + 2
        else:
            lines.insert(
                at,
                {
                    "anchor": "zz: &anc v\n",
                    "alias": "zz: *anc\n",
                    "tag": "zz: !!python/name:os.system v\n",
                    "merge": "<<: {a: b}\n",
                }[kind],
            )
            expected = at + 1
        err = _refused("".join(lines))
        assert isinstance(err, ukrnews.ParseError)
        assert err.line == expected


HOSTILE_BYTES = st.binary(max_size=300) | st.text(st.sampled_from(HOSTILE), max_size=200).map(
    str.encode
)


class TestArbitraryInput:
    """Anything fed to the loaders gives an article or a DataError, never another exception."""

    @given(st.text(max_size=400) | st.text(st.sampled_from(HOSTILE + "abc \n-:"), max_size=400))
    @example("k: " + "[" * 2000)
    @example("a: !!binary aGk=\n")
    @example("\ud800")
    @example("0\t")  # libyaml accepted the tab, PyYAML refused it: now both refuse
    @example("\x85\ufeff")  # a BOM after the start: an empty document to libyaml, text to PyYAML
    @example("|#\n")  # a comment glued to a block indicator: libyaml accepted it
    @example("[a?]\n")  # "?" in a plain scalar in a flow sequence: libyaml accepted it
    @example("\r[\U0001f600?|\u2028]\n")  # LS: libyaml and PyYAML counted lines differently
    def test_text(self, text: str) -> None:
        """Random text: a DataError (or, rarely, an article); both back ends agree.

        The errors are compared in full (message, line, column). Where the text does
        not end in a line break, libyaml and PyYAML place an empty node at the end
        differently ("---"), so there only the error's type is compared.
        """
        outcomes: list[object] = []
        for pure in (False, True):
            try:
                outcomes.append(ukrnews.loads(text, pure=pure))
            except ukrnews.DataError as err:
                outcomes.append(str(err) if text.endswith("\n") else type(err))
        assert outcomes[0] == outcomes[1]

    @given(HOSTILE_BYTES)
    @example(b"\xff\xfe\x00\x00")
    @example(b"\x00\x00\xfe\xff")
    def test_bytes(self, raw: bytes) -> None:
        """Random bytes: a DataError, never UnicodeError or anything else."""
        with contextlib.suppress(ukrnews.DataError):
            ukrnews.loads(raw)

    @given(yaml_documents(), st.data())
    def test_corrupted_documents(self, text: str, data: st.DataObject) -> None:
        """A valid document with a few characters changed loads or fails cleanly, alike."""
        chars = list(text)
        for _ in range(data.draw(st.integers(1, 3))):
            at = data.draw(st.integers(0, len(chars)))
            op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
            ch = data.draw(st.sampled_from(":-[]{}&*!|>'\"#%@`,?\t\n \\x0"))
            if op == "insert":
                chars.insert(at, ch)
            elif at < len(chars):
                if op == "delete":
                    del chars[at]
                else:
                    chars[at] = ch
        corrupted = "".join(chars)
        outcomes: list[object] = []
        for pure in (False, True):
            try:
                outcomes.append(ukrnews.loads(corrupted, pure=pure))
            except ukrnews.DataError as err:
                outcomes.append((type(err), err.line))
        assert outcomes[0] == outcomes[1]

    @given(st.integers(33, 200))
    def test_depth(self, depth: int) -> None:
        """Nesting past the limit is a ParseError, whatever the depth."""
        with pytest.raises(ukrnews.ParseError):
            ukrnews.loads("k: " + "[" * depth + "]" * depth + "\n")
        with pytest.raises(ukrnews.ParseError):
            ukrnews.loads(
                "".join(f"{'  ' * i}k:\n" for i in range(depth)) + f"{'  ' * depth}k: v\n"
            )
