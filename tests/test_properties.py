"""Property tests: generated articles, round-trips, mutations and hostile input.

Each test states one property; Hypothesis tries to break it.  The `ci` profile
(`HYPOTHESIS_PROFILE=ci`, set by `.ci/run`) runs many more examples.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any, Self

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import ukrnews
from ukrnews._dump import C_DUMPER, article_to_data
from ukrnews._format import KEYS, SPAN_KEYS
from ukrnews._numbers import read_number
from ukrnews._yaml import DEFAULT_LIMITS, Map, Node, Seq, parse
from ukrnews.testing import HOSTILE, articles, corpora, texts, yaml_documents

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

Data = dict[str, Any]

# Which schema of `_load.KEYS` each mapping in the YAML tree has, by its field path.
SCHEMA_BY_PATH = {
    "": "article",
    "source_file": "source_file",
    "images[]": "image",
    "images[].parties[]": "party",
    "images[].parties[].mention": "span",
    "images[].provenance": "provenance",
    "images[].provenance.statement[]": "span",
    "body[]": "block",
    "excluded[]": "excluded",
    "entities[]": "entity",
    "entities[].mentions[]": "span",
    "entities[].external_ids[]": "external_id",
    "attributions[]": "attribution",
    **{f"attributions[].{role}[]": "span" for role in SPAN_KEYS},
    "quotes[]": "quote",
    "quotes[].spans[]": "span",
    "claims[]": "claim",
    "claims[].spans[]": "span",
    "claims[].quantities[]": "quantity",
    "claims[].quantities[].span": "span",
    "claims[].quantities[].measure[]": "span",
}


def _schema(path: str) -> str:
    return SCHEMA_BY_PATH[re.sub(r"\[\d+\]", "[]", path)]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _mappings(data: Any, path: str = "") -> Iterator[tuple[str, Data]]:
    """Every mapping in a plain YAML tree with its field path."""
    if isinstance(data, dict):
        yield path, data
        for key, value in data.items():
            yield from _mappings(value, _join(path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _mappings(item, f"{path}[{i}]")


def _spans(data: Data) -> list[tuple[str, Data]]:
    return [(p, m) for p, m in _mappings(data) if _schema(p) == "span"]


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
        """Both dumpers' output, read by both loaders, gives the article back."""
        for dump_pure in (False, True):
            text = ukrnews.dumps(article, pure=dump_pure)
            for load_pure in (False, True):
                assert ukrnews.loads(text, pure=load_pure) == article

    @given(articles(text=texts(hostile=True, max_size=200)))
    def test_hostile_text(self, article: ukrnews.Article) -> None:
        """Text made of YAML indicators, controls, line separators and BOMs round-trips."""
        assert ukrnews.loads(ukrnews.dumps(article)) == article

    @given(yaml_documents())
    def test_dumps_is_canonical(self, text: str) -> None:
        """Dumping a loaded document reproduces it exactly: the format has one spelling."""
        assert ukrnews.dumps(ukrnews.loads(text)) == text

    @given(articles())
    def test_equal_and_hashable(self, article: ukrnews.Article) -> None:
        """A reloaded article is equal and hashes equal: values, not identities."""
        again = ukrnews.loads(ukrnews.dumps(article))
        assert again == article
        assert hash(again) == hash(article)
        assert {article, again} == {article}

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
        """yaml.safe_load of dumps is exactly the plain-data tree of the model."""
        assert yaml.safe_load(ukrnews.dumps(article)) == article_to_data(article)

    @given(articles())
    def test_pure_safe_load_too(self, article: ukrnews.Article) -> None:
        """The pure-Python SafeLoader reads the C dumper's output to the same tree."""
        text = ukrnews.dumps(article)
        assert yaml.load(text, Loader=yaml.SafeLoader) == article_to_data(article)


class TestModel:
    """Invariants of the generated model."""

    @given(annotated)
    def test_spans_and_quotes(self, article: ukrnews.Article) -> None:
        """Spans are block text; quotes lie in their attribution; children in parents."""
        for attribution in article.attributions:
            for span in attribution.content:
                assert span.text == span.block.text[span.start : span.end]
                assert span.text in span.context(5)
            if attribution.parent is not None:
                assert all(
                    any(p.contains(s) for p in attribution.parent.content)
                    for s in attribution.content
                )
            for quote in attribution.quotes:
                assert quote.attribution is attribution
        for quote in article.quotes:
            assert all(any(c.contains(s) for c in quote.attribution.content) for s in quote.spans)
            assert quote in quote.attribution.quotes
        for claim in article.claims:
            if claim.attribution is not None:
                assert claim.claimant == claim.attribution.source
                assert all(
                    any(c.contains(s) for c in claim.attribution.content) for s in claim.spans
                )
            for quantity in claim.quantities:
                assert any(s.contains(quantity.span) for s in claim.spans)
                assert read_number(quantity.text) == (quantity.value, quantity.bound)

    @given(annotated, st.data())
    def test_offsets_may_be_omitted(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """Dropping start/end from a span loads the same article if its text occurs once in
        the block as whole words, and is refused otherwise, listing the places."""
        tree = article_to_data(article)
        spans = _spans(tree)
        assume(spans)
        _, span = data.draw(st.sampled_from(spans))
        block_text = next(b.text for b in article.blocks if b.id == span["block"])
        places = _whole_word_places(block_text, span["text"])
        original = span["start"]
        del span["start"], span["end"]
        text = _to_yaml(tree)
        if places == [original]:
            assert ukrnews.loads(text) == article
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


def _drop_required(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    candidates = [(p, m, k) for p, m in _mappings(tree) for k in KEYS[_schema(p)][0] if k in m]
    path, mapping, key = data.draw(st.sampled_from(candidates))
    del mapping[key]
    return path, None, ukrnews.SchemaError


def _unknown_key(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, mapping = data.draw(st.sampled_from(list(_mappings(tree))))
    mapping["zz_unknown"] = "v"
    return _join(path, "zz_unknown"), "zz_unknown", ukrnews.SchemaError


def _wrong_type(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, mapping = data.draw(st.sampled_from([(p, m) for p, m in _mappings(tree) if m]))
    key = data.draw(st.sampled_from(sorted(mapping)))
    mapping[key] = {"zz_wrong": "v"} if not isinstance(mapping[key], dict) else "zz_wrong"
    return _join(path, key), "zz_wrong", ukrnews.SchemaError


def _bad_offsets(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, span = data.draw(st.sampled_from(_spans(tree)))
    span["end"] = span["end"] + 10_000
    return path, "10", ukrnews.SpanError


def _bad_text(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, span = data.draw(st.sampled_from(_spans(tree)))
    span["text"] += "\u2603"
    return path, "\u2603", ukrnews.SpanError


def _dangling(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    refs = [(p, s, "block") for p, s in _spans(tree)]
    refs += [
        (p, m, "source")
        for p, m in _mappings(tree)
        if _schema(p) == "attribution" and m["source"] != "unknown"
    ]
    refs += [
        (p, m, "parent")
        for p, m in _mappings(tree)
        if _schema(p) == "attribution" and "parent" in m
    ]
    refs += [(p, m, "attribution") for p, m in _mappings(tree) if _schema(p) == "quote"]
    refs += [
        (p, m, "attribution")
        for p, m in _mappings(tree)
        if _schema(p) == "claim" and "attribution" in m
    ]
    refs += [(p, m, "entity") for p, m in _mappings(tree) if _schema(p) == "party"]
    refs += [
        (p, m, "released_by")
        for p, m in _mappings(tree)
        if _schema(p) == "provenance" and "released_by" in m
    ]
    path, mapping, key = data.draw(st.sampled_from(refs))
    mapping[key] = "zz-nosuch"
    field = _join(path, key)
    return field, "zz-nosuch", ukrnews.LinkError


def _duplicate_id(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    lists = [
        k
        for k in ("body", "entities", "attributions", "quotes", "images", "claims")
        if len(tree.get(k, ())) >= 2
    ]
    key = data.draw(st.sampled_from(lists))
    i, j = sorted(
        data.draw(st.lists(st.integers(0, len(tree[key]) - 1), min_size=2, max_size=2, unique=True))
    )
    tree[key][j]["id"] = tree[key][i]["id"]
    return f"{key}[{j}].id", None, ukrnews.LinkError


def _parent_cycle(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    i = data.draw(st.integers(0, len(tree["attributions"]) - 1))
    tree["attributions"][i]["parent"] = tree["attributions"][i]["id"]
    return f"attributions[{i}].parent", None, ukrnews.LinkError


def _quantities(tree: Data) -> list[tuple[str, Data]]:
    return [(p, m) for p, m in _mappings(tree) if _schema(p) == "quantity"]


def _wrong_value(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, quantity = data.draw(st.sampled_from(_quantities(tree)))
    quantity["value"] = int(float(quantity["value"])) + 7_000_001
    return f"{path}.value", str(quantity["value"]), ukrnews.SpanError


def _wrong_bound(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, quantity = data.draw(st.sampled_from(_quantities(tree)))
    others = sorted({b.value for b in ukrnews.Bound} - {quantity["bound"]})
    quantity["bound"] = data.draw(st.sampled_from(others))
    return f"{path}.bound", quantity["bound"], ukrnews.SpanError


MUTATIONS: dict[
    str, Callable[[Data, st.DataObject], tuple[str, str | None, type[ukrnews.DataError]]]
] = {
    "drop a required key": _drop_required,
    "add an unknown key": _unknown_key,
    "give a value the wrong type": _wrong_type,
    "put an offset out of range": _bad_offsets,
    "change a span's text": _bad_text,
    "break a reference": _dangling,
    "repeat an id": _duplicate_id,
    "make a parent cycle": _parent_cycle,
    "change a quantity's value": _wrong_value,
    "change a quantity's bound": _wrong_bound,
}


def _applicable(tree: Data) -> list[str]:
    names = ["drop a required key", "add an unknown key", "give a value the wrong type"]
    if _spans(tree):
        names += ["put an offset out of range", "change a span's text", "break a reference"]
    if any(
        len(tree.get(k, ())) >= 2
        for k in ("body", "entities", "attributions", "quotes", "images", "claims")
    ):
        names.append("repeat an id")
    if _quantities(tree):
        names += ["change a quantity's value", "change a quantity's bound"]
    if tree.get("attributions"):
        names.append("make a parent cycle")
    return names


class TestMutations:
    """Every single mutation of a valid document is refused at the mutated field."""

    @given(annotated, st.data())
    def test_tree_mutation(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """The error is the mutation's kind, names its field path, and its line shows it."""
        tree = copy.deepcopy(article_to_data(article))
        name = data.draw(st.sampled_from(_applicable(tree)), label="mutation")
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


def _half_writer(fdopen: Callable[..., Any]) -> Callable[..., Any]:
    """An `os.fdopen` whose files write half of what they are given, then fail."""

    class Half:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *_: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError("simulated write failure")

    return lambda fd, *args, **kwargs: Half(fdopen(fd, *args, **kwargs))


class TestFiles:
    """Directories, file names in errors, and atomic writes."""

    # All three: file order, error paths and atomicity do not depend on what an article
    # says, so a few generated articles cover them; each example writes and reads files.
    @settings(max_examples=25)
    @given(corpora(min_size=1))
    def test_directory_equals_files(self, corpus: ukrnews.Corpus) -> None:
        """load_path(dir) equals loading each file; iter_articles streams the same articles."""
        with TemporaryDirectory() as tmp:
            for n, article in enumerate(corpus.articles):
                ukrnews.dump(article, Path(tmp) / f"{n:03}.yaml")
            files = sorted(Path(tmp).glob("*.yaml"))
            loaded = ukrnews.load_path(tmp)
            assert loaded.articles == tuple(ukrnews.load_file(f) for f in files) == corpus.articles
            assert tuple(ukrnews.iter_articles(tmp)) == corpus.articles

    @settings(max_examples=25)
    @given(corpora(min_size=2), st.data())
    def test_failing_file_is_named(self, corpus: ukrnews.Corpus, data: st.DataObject) -> None:
        """A broken file in a directory fails with its own path in the error."""
        with TemporaryDirectory() as tmp:
            for n, article in enumerate(corpus.articles):
                ukrnews.dump(article, Path(tmp) / f"{n:03}.yaml")
            bad = Path(tmp) / f"{data.draw(st.integers(0, len(corpus.articles) - 1)):03}.yaml"
            bad.write_text(bad.read_text(encoding="utf-8") + "zz_unknown: 1\n", encoding="utf-8")
            with pytest.raises(ukrnews.SchemaError) as info:
                ukrnews.load_path(tmp)
            assert info.value.path == str(bad)

    @settings(max_examples=25)
    @given(articles(), articles(), st.sampled_from(["write", "fsync", "replace"]))
    def test_dump_is_atomic(self, old: ukrnews.Article, new: ukrnews.Article, failing: str) -> None:
        """A failure while writing leaves the old file byte for byte, and no temporary file."""
        with TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
            target = Path(tmp) / "a.yaml"
            ukrnews.dump(old, target)
            before = target.read_bytes()

            def boom(*_: object, **__: object) -> None:
                raise OSError(f"simulated {failing} failure")

            if failing == "replace":
                patch.setattr(Path, "replace", boom)
            elif failing == "fsync":
                patch.setattr(os, "fsync", boom)
            else:
                patch.setattr(os, "fdopen", _half_writer(os.fdopen))
            with pytest.raises(OSError, match="simulated"):
                ukrnews.dump(new, target)
            assert target.read_bytes() == before
            assert [p.name for p in Path(tmp).iterdir()] == ["a.yaml"]
