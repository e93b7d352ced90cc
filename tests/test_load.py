"""Tests for the article schema: every mistake is a located DataError with a field path."""

from __future__ import annotations

import copy
import gc
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import BACKENDS, MINIMAL, bundled_yaml
from ukrnews import testing

if TYPE_CHECKING:
    from collections.abc import Callable


def _error(doc: str, pure: bool = False) -> ukrnews.DataError:
    with pytest.raises(ukrnews.DataError) as info:
        ukrnews.loads(doc, source="article.yaml", pure=pure)
    return info.value


class TestSchema:
    """Structure, keys and types."""

    def test_minimal(self) -> None:
        """The smallest valid article loads, with absent values as None."""
        article = ukrnews.loads(MINIMAL)
        assert article.id == "mini"
        assert article.kicker is None
        assert article.teaser is None
        assert article.published is None
        assert article.url is None
        assert article.publisher is None
        assert article.author_code is None
        assert [b.text for b in article.body] == ["Er sagte, es sei gut."]

    @BACKENDS
    def test_unknown_key_names_nearest(self, pure: bool) -> None:
        """A misspelt key is named with the nearest valid key and located at the key."""
        err = _error(MINIMAL.replace("headline:", "headlien:"), pure)
        assert isinstance(err, ukrnews.SchemaError)
        assert str(err).startswith(
            "article.yaml:3:1: headlien: unknown key 'headlien'; did you mean 'headline'?"
        )

    def test_missing_keys_sorted(self) -> None:
        """Missing required keys are listed sorted, at the mapping."""
        err = _error("id: x\n")
        assert str(err) == "article.yaml:1:1: missing required keys: body, headline, language"

    def test_nested_field_path(self) -> None:
        """Errors deep in the tree carry the full field path."""
        err = _error(MINIMAL.replace("kind: paragraph", "kind: paragrph"))
        assert err.field == "body[0] (p1).kind"
        assert (err.line, err.column) == (6, 9)
        assert "did you mean 'paragraph'?" in err.message

    @pytest.mark.parametrize(
        ("replace", "field", "message"),
        [
            (("id: mini", "id: [mini]"), "id", "expected text, found a sequence"),
            (("id: mini", "id: Mini"), "id", "expected an id"),
            (("language: de", "language: German"), "language", "expected a BCP 47 tag"),
            (("- id: p1", "- id: headline"), "body[0] (headline).id", "reserved"),
            (("headline: Eine Überschrift", "headline: ''"), "headline", "empty string"),
            (("body:\n", "body: []\nx:\n"), "x", "unknown key"),
        ],
    )
    def test_wrong_values(self, replace: tuple[str, str], field: str, message: str) -> None:
        """Wrong types and values name the field and say what was expected."""
        errors = _error(MINIMAL.replace(*replace)).errors
        assert [e.field for e in errors if message in e.message] == [field]

    def test_root_must_be_mapping(self) -> None:
        """A document that is a list or a scalar is refused."""
        assert "expected a mapping, found a sequence" in _error("- a\n").message
        assert "expected a mapping, found a text scalar" in _error("hello\n").message

    def test_format_version(self) -> None:
        """An unknown format version is refused."""
        assert "expected format '1'" in _error("format: '2'\n" + MINIMAL).message

    def test_error_is_value_error(self) -> None:
        """DataError subclasses ValueError, and its parts are attributes."""
        err = _error(MINIMAL.replace("language: de", "language: 1"))
        assert isinstance(err, ValueError)
        assert (err.path, err.line, err.column, err.field) == ("article.yaml", 2, 11, "language")


class TestSpans:
    """Spans are verified against their blocks; references resolve."""

    def _doc(self, extra: str) -> str:
        return MINIMAL + extra

    def test_offsets_found_when_omitted(self) -> None:
        """An author may give only block and text; the loader finds the unique offsets."""
        article = ukrnews.loads(
            self._doc(
                "entities:\n- id: er\n  kind: person\n  name: Er\n  mentions:\n"
                "  - {block: p1, text: Er}\n"
            )
        )
        (mention,) = article.entities[0].mentions
        assert (mention.start, mention.end, mention.text) == (0, 2, "Er")

    def test_mentions_nest_but_are_listed_once(self) -> None:
        """Nested and overlapping mentions load; the same span twice is refused where it repeats."""
        whole, er, overlap = (
            "  - {block: p1, start: 0, end: 8, text: Er sagte}\n",
            "  - {block: p1, start: 0, end: 2, text: Er}\n",
            "  - {block: p1, start: 3, end: 11, text: 'sagte, e'}\n",
        )
        mentions = whole + er + overlap
        entity = "entities:\n- id: e\n  kind: geopolitical\n  name: E\n  mentions:\n"
        other = "- id: f\n  kind: place\n  name: F\n  mentions:\n"
        article = ukrnews.loads(self._doc(entity + mentions + other + whole))
        assert [m.text for m in article.entities[0].mentions] == ["Er sagte", "Er", "sagte, e"]
        assert article.entities[0].kind is ukrnews.EntityKind.GEOPOLITICAL
        assert article.entities[1].mentions[0] == article.entities[0].mentions[0]
        err = _error(self._doc(entity + mentions + er))
        assert isinstance(err, ukrnews.SpanError)
        assert err.field == "entities[0] (e).mentions[3]"
        assert err.line == 16
        assert "mention 'Er' is listed twice (first as entities[0] (e).mentions[1])" in err.message

    def test_ambiguous_text_is_an_error(self) -> None:
        """Text that occurs only inside words needs offsets, and the error says so."""
        err = _error(
            self._doc(
                "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
                "  - {block: p1, text: e}\n"
            )
        )
        assert isinstance(err, ukrnews.SpanError)
        assert "occurs in block 'p1' only inside a word" in err.message  # "sagte", "sei"
        assert err.field == "entities[0] (e).mentions[0]"

    def test_mismatch(self) -> None:
        """A span whose text differs from the block at its offsets is named with both texts."""
        err = _error(
            self._doc(
                "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
                "  - {block: p1, start: 3, end: 8, text: sagtX}\n"
            )
        )
        assert isinstance(err, ukrnews.SpanError)
        assert str(err) == (
            "article.yaml:13:41: entities[0] (e).mentions[0]:"
            " text 'sagtX' does not match p1[3:8] 'sagte'; 'sagtX' does not occur in the block"
        )

    def test_out_of_range(self) -> None:
        """Offsets outside the block are refused at the offending offset."""
        err = _error(
            self._doc(
                "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
                "  - {block: p1, start: 3, end: 99, text: x}\n"
            )
        )
        assert "not a non-empty range inside block 'p1' of length 21" in err.message

    def test_unknown_block(self) -> None:
        """A span into a block that does not exist is a LinkError with a suggestion."""
        err = _error(
            self._doc(
                "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
                "  - {block: p2, text: Er}\n"
            )
        )
        assert isinstance(err, ukrnews.LinkError)
        assert "unknown block 'p2'; did you mean 'p1'?" in err.message

    def test_unknown_entity(self) -> None:
        """The product brief's example: an attribution whose source is not an entity."""
        doc = bundled_yaml().replace("  source: rutte\n", "  source: rute\n", 1)
        err = _error(doc)
        assert isinstance(err, ukrnews.LinkError)
        assert err.field is not None
        assert err.field.endswith(".source")
        assert "unknown entity 'rute'; did you mean 'rutte'?" in err.message

    def test_parent_cycle(self) -> None:
        """Parents that form a cycle are refused."""
        doc = bundled_yaml().replace("  parent: a7\n", "  parent: a8\n")
        err = _error(doc)
        assert isinstance(err, ukrnews.LinkError)
        assert "parents form a cycle" in err.message

    def test_duplicate_id(self) -> None:
        """Duplicate ids are refused at the second one."""
        err = _error(bundled_yaml().replace("- id: a2\n", "- id: a1\n"))
        assert isinstance(err, ukrnews.LinkError)
        assert "duplicate id 'a1'" in err.message

    def test_quote_outside_content(self) -> None:
        """A quote must lie inside its attribution's content."""
        err = _error(bundled_yaml().replace("  attribution: a5\n", "  attribution: a12\n"))
        assert isinstance(err, ukrnews.SpanError)
        assert err.field == "quotes[0] (q1).spans[0]"

    def test_unicode_is_not_normalised(self) -> None:
        """A span in NFD does not match NFC text: no silent normalisation."""
        doc = MINIMAL.replace("Er sagte", "Er sägte") + (
            "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
            '  - {block: p1, start: 3, end: 8, text: "sa\\u0308gte"}\n'
        )
        assert isinstance(_error(doc), ukrnews.SpanError)

    def test_deep_parent_chain_is_a_link_error(self) -> None:
        """A chain of nested attributions deeper than 32 is refused, not a RecursionError."""
        n = 200
        attributions = "".join(
            f"- id: a{i}\n  kind: direct\n  medium: speech\n  source: unknown\n"
            f"  content: [{{block: p1, start: 0, end: 2, text: Er}}]\n"
            + (f"  parent: a{i + 1}\n" if i + 1 < n else "")
            for i in range(n)
        )
        err = _error(MINIMAL + "attributions:\n" + attributions)
        assert isinstance(err, ukrnews.LinkError)
        assert "nest more than 32 deep" in err.message

    def test_spans_without_offsets_have_a_budget(self) -> None:
        """Many offset-free spans over a huge block stop with an error instead of taking minutes."""
        block = "x" * 3_000_000 + " " + " ".join(f"w{i}" for i in range(60))
        doc = MINIMAL.replace("text: Er sagte, es sei gut.", f"text: {block}")
        # 60 different words, each once in the block: 60 searches of 3 MB each.
        varied = "".join(f"  - {{block: p1, text: w{i}}}\n" for i in range(60))
        doc += "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n" + varied
        err = _error(doc)
        assert isinstance(err, ukrnews.SpanError)
        assert "too many spans without offsets" in err.message
        assert err.field is not None
        assert err.field.startswith("entities[0] (e).mentions[")

    def test_position_of_the_failing_item(self) -> None:
        """An error about the second span of a quote points at that span's line."""
        doc = bundled_yaml().replace(
            "  spans:\n  - {block: p4, start: 393, end: 399, text: Terror}\n",
            "  spans:\n  - {block: p4, start: 393, end: 399, text: Terror}\n"
            "  - {block: p4, start: 0, end: 3, text: Der}\n",
        )
        err = _error(doc)
        assert err.field == "quotes[3] (q4).spans[1]"
        assert "text: Der" in doc.splitlines()[(err.line or 0) - 1]


class TestEditorial:
    """Editorial additions (not in the source) must carry how they were verified."""

    def test_external_id_needs_verification(self) -> None:
        """An external id without verified_by is refused; with it, it loads."""
        base = MINIMAL + "entities:\n- id: e\n  kind: person\n  name: E\n  external_ids:\n"
        err = _error(base + "  - {scheme: wikidata, value: Q1}\n")
        assert err.field == "entities[0] (e).external_ids[0]"
        assert "missing required key: verified_by" in err.message
        article = ukrnews.loads(base + "  - {scheme: wikidata, value: Q1, verified_by: checked}\n")
        assert article.entities[0].external_ids == (
            ukrnews.ExternalId("wikidata", "Q1", "checked"),
        )


class TestErrorObject:
    """DataError behaves like a well-made exception."""

    def test_pickle_round_trip(self) -> None:
        """Errors survive pickling (multiprocessing) with every location attribute."""
        import pickle

        err = _error(MINIMAL.replace("language: de", "language: 1"))
        again = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own object
        assert type(again) is type(err)
        assert str(again) == str(err)
        assert (again.path, again.line, again.column, again.field) == (
            err.path,
            err.line,
            err.column,
            err.field,
        )

    def test_without_location(self) -> None:
        """An error with no position still reads cleanly."""
        assert str(ukrnews.DataError("boom")) == "<input>: boom"
        assert str(ukrnews.DataError("boom", path="a.yaml", field="x")) == "a.yaml: x: boom"


class TestPaths:
    """Odd paths and files give a DataError naming them, never a hang or another exception."""

    def test_not_a_regular_file(self, tmp_path: Path) -> None:
        """A FIFO (which would block a read) and a directory named *.yaml are refused."""
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        (tmp_path / "dir.yaml").mkdir()
        for name in ("pipe.yaml", "dir.yaml"):
            with pytest.raises(ukrnews.DataError) as info:
                ukrnews.load_file(tmp_path / name)
            assert info.value.path == str(tmp_path / name)

    def test_device_is_refused(self) -> None:
        """/dev/zero is not read forever."""
        with pytest.raises(ukrnews.DataError, match="not a regular file"):
            ukrnews.load_file("/dev/zero")

    def test_broken_and_looping_links_are_reported(self, tmp_path: Path) -> None:
        """A directory with a broken or looping link named *.yaml fails, naming it."""
        (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
        with pytest.raises(ukrnews.DataError) as info:
            ukrnews.load_path(tmp_path)
        assert info.value.path == str(tmp_path / "loop.yaml")

    def test_bad_path_strings(self) -> None:
        """A NUL in a path, or a name too long, is a DataError."""
        for path in ("a\0b.yaml", "x" * 5000):
            with pytest.raises(ukrnews.DataError):
                ukrnews.load_path(path)
            with pytest.raises(ukrnews.DataError):
                ukrnews.load_file(path)

    def test_file_over_the_limit_is_not_read_whole(self, tmp_path: Path) -> None:
        """A file over the byte limit is refused by size."""
        big = tmp_path / "big.yaml"
        big.write_bytes(b"k: " + b"x" * 5000)
        with pytest.raises(ukrnews.ParseError, match="the limit is 1,000"):
            ukrnews.load_file(big, limits=ukrnews.Limits(max_bytes=1000))

    @settings(max_examples=25)  # each example makes a directory of files
    @given(
        st.sets(
            st.text("ab.yml\u00e4\u4e00", min_size=1, max_size=8).filter(
                lambda n: n not in {".", ".."}
            ),
            max_size=12,
        )
    )
    def test_directory_files_in_name_order(self, names: set[str]) -> None:
        """A directory's files are its *.yaml/*.yml names, sorted, each once."""
        from ukrnews._api import yaml_files

        with tempfile.TemporaryDirectory() as tmp:
            for name in names:
                (Path(tmp) / name).touch()
            found = list(yaml_files(Path(tmp)))
        expected = sorted(Path(tmp) / n for n in names if Path(n).suffix in {".yaml", ".yml"})
        assert found == [str(p) for p in expected]

    @given(st.text("/.a\u00e4", max_size=12))
    def test_path_names_as_pathlib_writes_them(self, spelling: str) -> None:
        """`path_name` (which names files in results and errors) is ``str(Path(path))``,
        also where it leaves `pathlib` unimported."""
        from ukrnews._api import path_name

        assert path_name(spelling) == str(Path(spelling))
        assert path_name(Path(spelling)) == str(Path(spelling))

    @pytest.mark.parametrize(
        "spelling", ["", ".", "./", ".//", "../d", "../d/", "../d/.", "{tmp}//d/", "./b.yaml"]
    )
    def test_files_are_named_as_pathlib_joins_them(
        self, spelling: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """However a path is written, its files are ``str(Path(path) / name)`` in name order,
        and a file reached again by another spelling counts once."""
        from ukrnews._api import check_files, yaml_files

        folder = tmp_path / "d"
        folder.mkdir()
        for name in ("b.yaml", "a.yml", "c.txt"):
            (folder / name).write_text("not: [an article\n", encoding="utf-8")
        monkeypatch.chdir(folder)
        path = spelling.format(tmp=tmp_path)
        files = (
            [Path(path)]
            if path.endswith(".yaml")
            else [Path(path) / n for n in ("a.yml", "b.yaml")]
        )
        expected = [str(f) for f in files]
        assert list(yaml_files(path)) == expected
        again = [spelled for f in files for spelled in (f"./{f.name}", folder / f.name)]
        found = list(check_files([path, *again]))
        assert [name for name, _ in found] == expected
        assert all(isinstance(error, ukrnews.ParseError) for _, error in found)

    def test_bytes_path_is_a_type_error(self) -> None:
        """A bytes path is refused as `pathlib` refuses it, before anything is read."""
        with pytest.raises(TypeError) as expected:
            Path(b"d")  # type: ignore[arg-type]
        with pytest.raises(TypeError) as info:
            ukrnews.load_path(b"d")  # type: ignore[arg-type]
        assert str(info.value) == str(expected.value)

    def test_loads_wrong_type(self) -> None:
        """Passing something that is not text is a TypeError (a programming error)."""
        with pytest.raises(TypeError, match="str or bytes"):
            ukrnews.loads(None)  # type: ignore[arg-type]

    # File order and the failing file's path do not depend on what an article says, so
    # three fixed articles cover them (these were properties over generated corpora).
    @staticmethod
    def _corpus(folder: Path, bundled: ukrnews.Article) -> list[Path]:
        """Three articles in three files, listed in an order unlike their ids'."""
        paths = []
        for name, article_id in (("000", "zz"), ("001", "aa"), ("002", "mm")):
            paths.append(folder / f"{name}.yaml")
            ukrnews.dump(attrs.evolve(bundled, id=article_id), paths[-1])
        return paths

    def test_directory_equals_files(self, tmp_path: Path, bundled_article: ukrnews.Article) -> None:
        """load_path(dir) loads the files in name order, as each file loads alone;
        iter_articles streams the same articles."""
        paths = self._corpus(tmp_path, bundled_article)
        loaded = ukrnews.load_path(tmp_path).articles
        assert [a.id for a in loaded] == ["zz", "aa", "mm"]
        assert loaded == tuple(ukrnews.load_file(p) for p in paths)
        assert tuple(ukrnews.iter_articles(tmp_path)) == loaded

    @pytest.mark.parametrize("broken", [0, 1, 2])
    def test_failing_file_is_named(
        self, broken: int, tmp_path: Path, bundled_article: ukrnews.Article
    ) -> None:
        """A broken file in a directory fails with its own path in the error."""
        bad = self._corpus(tmp_path, bundled_article)[broken]
        bad.write_text(bad.read_text(encoding="utf-8") + "zz_unknown: 1\n", encoding="utf-8")
        with pytest.raises(ukrnews.SchemaError) as info:
            ukrnews.load_path(tmp_path)
        assert info.value.path == str(bad)


def _garbage_after(load: Callable[[], object]) -> list[object]:
    """What the cyclic collector would free once ``load``'s result is dropped."""
    gc.collect()  # garbage from earlier work is not ours to report
    flags = gc.get_debug()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)
    try:
        found = load()
        assert found  # the corpus, or the article, is there before it is dropped
        del found
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


class TestNoCycles:
    """A loaded article is no reference cycle: it is freed as soon as it is dropped."""

    def test_bundled_article(self, tmp_path: Path) -> None:
        """The bundled article (quotes, claims) in a corpus that has looked an item up."""
        (tmp_path / "a.yaml").write_text(bundled_yaml(), encoding="utf-8")

        def corpus() -> ukrnews.Corpus:
            found = ukrnews.load_path(tmp_path)
            article = found.articles[0]
            assert article.claims
            assert found.article_of(article.quotes[0]) is article  # fills the corpus's map
            return found

        assert _garbage_after(corpus) == []

    @settings(max_examples=10)  # two full collections each; the shape matters, not volume
    @given(testing.articles(annotated=True))
    def test_generated_articles(self, article: ukrnews.Article) -> None:
        """Any valid article, claims included, leaves nothing for the collector."""
        text = ukrnews.dumps(article)
        assert _garbage_after(lambda: ukrnews.loads(text)) == []

    def test_quotes_outlive_their_article(self) -> None:
        """``attribution.quotes`` stays right, and equal, once nothing else holds the quotes."""
        article = ukrnews.loads(bundled_yaml())
        expected = {a.id: [(q.id, q.text) for q in a.quotes] for a in article.attributions}
        assert any(expected.values())
        held = {q.id: q for a in article.attributions for q in a.quotes}
        assert all(q is held[q.id] for q in article.quotes)  # the article's very objects
        attributions = article.attributions
        del article, held
        gc.collect()
        for attribution in attributions:
            assert [(q.id, q.text) for q in attribution.quotes] == expected[attribution.id]
            assert all(q.attribution is attribution for q in attribution.quotes)

    @pytest.mark.parametrize("copy_of", [copy.deepcopy, lambda a: pickle.loads(pickle.dumps(a))])  # noqa: S301
    def test_copies_keep_the_links(
        self, copy_of: Callable[[ukrnews.Article], ukrnews.Article]
    ) -> None:
        """Pickle and deep copies link each copied quote to its copied attribution."""
        article = ukrnews.loads(bundled_yaml())
        again = copy_of(article)
        assert again == article
        for attribution in again.attributions:
            assert [q.id for q in attribution.quotes] == [
                q.id for q in again.quotes_of(attribution)
            ]
            assert all(any(q is mine for mine in again.quotes) for q in attribution.quotes)
