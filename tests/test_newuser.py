"""What a new user trips over (issue 10, section 3): each found by trying it."""

from __future__ import annotations

import importlib
import io
import json
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import ARTICLE_ID, MINIMAL, bundled_yaml
from ukrnews._cli import build_parser, main
from ukrnews.testing import corpora


def _write(folder: Path, name: str, article_id: str = "mine") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINIMAL.replace("id: mini", f"id: {article_id}"), encoding="utf-8")
    return path


class TestOneCorpusRule:
    """Every command reads a corpus the way `validate` checks it."""

    @pytest.mark.parametrize(
        "command",
        [["export", "--format", "json"], ["quotes"], ["attributions"]],
        ids=["export", "quotes", "attributions"],
    )
    def test_same_id_in_two_paths_is_refused(
        self, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two files with one id, given as separate paths, fail as `validate` fails them."""
        first = _write(tmp_path / "a", "x.yaml")
        second = _write(tmp_path / "b", "x.yaml")
        assert main([*command, str(first), str(second)]) == 1
        err = capsys.readouterr().err
        assert err == f"{second}: id: article id 'mine' is already used by {first}\n"
        assert main(["validate", str(first), str(second)]) == 1

    def test_show_a_file_whose_id_clashes_in_its_directory(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`show DIR` with two files of one id names the clash instead of picking one."""
        _write(tmp_path, "a.yaml")
        second = _write(tmp_path, "b.yaml")
        assert main(["show", str(tmp_path)]) == 1
        assert "article id 'mine' is already used by" in capsys.readouterr().err
        assert main(["show", str(second)]) == 0

    def test_the_same_file_twice_counts_once(self, tmp_path: Path) -> None:
        """A file reached through its directory and by name is one article, not a clash."""
        path = _write(tmp_path, "x.yaml")
        corpus = ukrnews._api.load_paths([tmp_path, path])
        assert [a.id for a in corpus] == ["mine"]

    def test_a_directory_named_yaml_is_reported_everywhere(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A directory called x.yaml is not skipped by `validate` while `load_path` fails."""
        _write(tmp_path, "a.yaml")
        (tmp_path / "x.yaml").mkdir()
        with pytest.raises(ukrnews.DataError) as info:
            ukrnews.load_path(tmp_path)
        assert info.value.path == str(tmp_path / "x.yaml")
        assert main(["validate", str(tmp_path)]) == 1
        out, err = capsys.readouterr()
        assert out == "2 files checked: 1 valid, 1 invalid\n"
        assert err == f"{info.value}\n"
        assert main(["quotes", str(tmp_path)]) == 1


class TestValidatePaths:
    """`validate` without a path checks the bundled data; a missing path is a usage error."""

    def test_no_path_checks_the_bundled_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Like `quotes` and `export`, `validate` alone reads the bundled corpus."""
        assert main(["validate", "--format", "json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert [Path(f["path"]).name for f in report["files"]] == [f"{ARTICLE_ID}.yaml"]
        assert report["valid"] is True

    @pytest.mark.parametrize("command", ["validate", "quotes", "export"])
    def test_missing_path_is_a_usage_error(
        self, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A typo in a path exits 2 and names the path, before anything is read."""
        good = _write(tmp_path, "a.yaml")
        missing = tmp_path / "nope.yaml"
        extra = ["--format", "json"] if command == "export" else []
        assert main([command, *extra, str(good), str(missing)]) == 2
        out, err = capsys.readouterr()
        assert err == f"ukrnews: error: no such file or directory: {missing}\n"
        assert out == ""


class TestLimits:
    """The size error gives the real size, and the command line can raise every limit."""

    def test_size_error_names_the_real_size(self, tmp_path: Path) -> None:
        """A file far over the limit reports its own size, not the limit plus one."""
        big = tmp_path / "big.yaml"
        size = 52_428_803
        with big.open("wb") as handle:
            handle.truncate(size)  # sparse: no 50 MB written
        with pytest.raises(ukrnews.ParseError, match=r"input is 52,428,803 bytes; the limit is"):
            ukrnews.load_file(big)

    def test_options_match_the_limits(self) -> None:
        """One option per field of `ukrnews.Limits`, with its default."""
        fields = attrs.asdict(ukrnews.Limits())
        raised = {name: default * 2 for name, default in fields.items()}
        options = [f"--{k.replace('_', '-')}={v}" for k, v in raised.items()]
        for command in (
            ["render"],
            ["show"],
            ["quotes"],
            ["attributions"],
            ["validate"],
            ["export", "--format=json"],
        ):
            parser = build_parser()
            defaults = parser.parse_args(command)
            assert {k: getattr(defaults, k) for k in fields} == fields
            given_ = parser.parse_args([*command, *options])
            assert {k: getattr(given_, k) for k in fields} == raised

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--max-bytes", 50, "input is"),
            ("--max-depth", 2, "nesting is deeper than the limit of 2"),
            ("--max-nodes", 10, "more than 10 nodes"),
        ],
    )
    def test_each_limit_can_be_lowered_and_raised(
        self,
        option: str,
        value: int,
        message: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Under the option's value the file fails with that limit's error; raised, it loads."""
        path = _write(tmp_path, "a.yaml")
        assert main(["validate", option, str(value), str(path)]) == 1
        assert message in capsys.readouterr().err
        assert main(["validate", option, str(value * 1000), str(path)]) == 0

    def test_bad_limit_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A limit that is not a positive whole number is refused by argparse (exit 2)."""
        with pytest.raises(SystemExit) as info:
            main(["validate", "--max-bytes", "0"])
        assert info.value.code == 2
        assert "expected a whole number >= 1, found '0'" in capsys.readouterr().err


class TestCorpusReadsLikeArticle:
    """`Corpus` has tuples, not methods; indexing, length, iteration; items know their article."""

    @settings(max_examples=30)  # whole corpora of generated articles: slow to draw
    @given(corpora(max_size=3))
    def test_tuples_index_and_owner(self, corpus: ukrnews.Corpus) -> None:
        """Each view is the articles' items in order, and `article_of` finds the holder."""
        assert len(corpus) == len(corpus.articles)
        assert list(corpus) == list(corpus.articles)
        for name in ("quotes", "attributions", "entities", "image_credits"):
            items = getattr(corpus, name)
            assert isinstance(items, tuple)
            assert items == tuple(x for a in corpus.articles for x in getattr(a, name))
            for item in items:
                owner = corpus.article_of(item)
                assert any(x is item for x in getattr(owner, name))
        for n, article in enumerate(corpus.articles):
            assert corpus[n] is article
            assert corpus[article.id] is article
            assert corpus.article(article.id) is article
            assert article.id in corpus
        assert corpus[1:].articles == corpus.articles[1:]

    def test_bundled(self) -> None:
        """The README's uses on the bundled corpus."""
        corpus = ukrnews.load()
        assert [q.id for q in corpus.quotes][:4] == ["q1", "q2", "q3", "q4"]
        assert corpus[0] is corpus[ARTICLE_ID] is corpus.article_of(corpus.attributions[0])
        assert corpus.article_of(corpus[0].blocks[0]) is corpus[0]
        with pytest.raises(KeyError):
            corpus["nope"]
        with pytest.raises(KeyError):
            corpus.article_of(ukrnews.loads(bundled_yaml()).quotes[0])  # equal, not held

    def test_duplicate_ids_are_refused(self) -> None:
        """A corpus's ids are unique, so `corpus[id]` means one article."""
        article = ukrnews.loads(MINIMAL)
        with pytest.raises(ukrnews.LinkError, match="two articles have the id 'mini'"):
            ukrnews.Corpus((article, article))


class TestRepr:
    """`repr` is readable: spans show their block id, an article fits on a line."""

    def test_span(self) -> None:
        """A span names its block by id and shows its own text only."""
        article = ukrnews.load()[0]
        span = article.quotes[3].spans[0]
        assert repr(span) == (
            f"Span(block={span.block.id!r}, start={span.start}, end={span.end}, text='Terror')"
        )

    def test_article_and_corpus_fit_on_a_line(self) -> None:
        """The article's repr gives its id, language and counts: one short line."""
        corpus = ukrnews.load()
        article = corpus[0]
        text = repr(article)
        assert "\n" not in text
        assert len(text) < 200
        assert text.startswith(f"Article(id='{ARTICLE_ID}', language='de', ")
        assert f"quotes={len(article.quotes)}" in text
        assert repr(corpus) == f"Corpus(1 article: ['{ARTICLE_ID}'])"

    def test_items_no_longer_repeat_blocks(self) -> None:
        """No item's repr holds a whole paragraph again for each of its spans."""
        article = ukrnews.load()[0]
        longest = max(len(b.text) for b in article.body)
        for item in (*article.quotes, *article.attributions, *article.entities):
            assert len(repr(item)) < 8 * longest


class TestPublicSurface:
    """`dir(ukrnews)` is the public names; `ukrnews.testing` says which extra it needs."""

    def test_dir_is_all(self) -> None:
        """No module globals such as `importlib` or `TYPE_CHECKING`."""
        assert dir(ukrnews) == sorted(ukrnews.__all__)

    def test_testing_without_hypothesis(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without Hypothesis, the import error names the `testing` extra."""
        monkeypatch.setitem(sys.modules, "hypothesis", None)
        monkeypatch.delitem(sys.modules, "ukrnews.testing")
        with pytest.raises(ImportError, match=r"pip install 'ukrnews\[testing\]'"):
            importlib.import_module("ukrnews.testing")


def _mention(text: str, span: str) -> str:
    """MINIMAL with the paragraph ``text`` and one entity mention given as ``span``."""
    return (
        MINIMAL.replace("Er sagte, es sei gut.", text)
        + f"entities:\n- id: x\n  kind: person\n  name: X\n  mentions:\n  - {span}\n"
    )


class TestTextOnlySpans:
    """A span without offsets anchors on whole words, and an ambiguous one lists its places."""

    def test_not_inside_a_longer_word(self) -> None:
        """`Rat` means the word "Rat", not the start of "Rathaus"."""
        article = ukrnews.loads(_mention("Im Rathaus tagt der Rat.", "{block: p1, text: Rat}"))
        (span,) = article.entities[0].mentions
        assert (span.start, span.end) == (20, 23)

    def test_only_inside_a_word_is_refused(self) -> None:
        """A text found only inside a word is an error naming the place, never a silent anchor."""
        with pytest.raises(ukrnews.SpanError) as info:
            ukrnews.loads(_mention("Im Rathaus tagt man.", "{block: p1, text: Rat}"))
        assert "only inside a word: start 3, end 6 ('Im [Rat]haus tagt man.')" in str(info.value)

    def test_edges_that_are_not_word_characters_need_no_boundary(self) -> None:
        """A text that ends in punctuation may be followed by anything."""
        article = ukrnews.loads(_mention("Er sagte:Ja", "{block: p1, text: 'sagte:'}"))
        (span,) = article.entities[0].mentions
        assert (span.start, span.end) == (3, 9)

    def test_ambiguous_lists_every_candidate_with_context(self) -> None:
        """Each place is given with its offsets and a few words around it."""
        text = "Er kam. Dann sagte er, er komme morgen wieder, und ging."
        with pytest.raises(ukrnews.SpanError) as info:
            ukrnews.loads(_mention(text, "{block: p1, text: er}"))
        message = info.value.message
        assert message.startswith("text 'er' occurs 2 times in block 'p1'; give the start")
        for start in (19, 23):
            assert f"start {start}, end {start + 2} (" in message
        assert "'…kam. Dann sagte [er], er komme morgen…'" in message

    def test_bundled_article_loads_and_round_trips(self) -> None:
        """The bundled article and `dumps` output (which writes offsets) still load."""
        article = ukrnews.loads(bundled_yaml())
        assert ukrnews.loads(ukrnews.dumps(article)) == article


class TestCommaInFlowMapping:
    """Unquoted text with ", " in `{...}` is explained, with the fix."""

    def test_says_what_happened_and_how_to_fix_it(self) -> None:
        """The error points at the text, not at a key made of its tail."""
        doc = _mention("Er sagte, es sei gut.", "{block: p1, text: Er sagte, es sei gut.}")
        with pytest.raises(ukrnews.SchemaError) as info:
            ukrnews.loads(doc)
        err = info.value
        assert err.field == "entities[0] (x).mentions[0].text"
        assert "unquoted text stops at ', '" in err.message
        assert err.message.endswith('put the whole text in quotes: text: "Er sagte, es sei gut."')
        fixed = doc.replace("text: Er sagte, es sei gut.}", 'text: "Er sagte, es sei gut."}')
        assert ukrnews.loads(fixed).entities[0].mentions[0].text == "Er sagte, es sei gut."

    def test_a_wrong_key_is_still_a_wrong_key(self) -> None:
        """A misspelt key with a value of its own keeps the usual suggestion."""
        with pytest.raises(ukrnews.SchemaError, match="unknown key 'zext'; did you mean 'text'"):
            ukrnews.loads(_mention("Er sagte.", "{block: p1, zext: Er}"))


class _Terminal(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _table_on(
    command: str, columns: int, monkeypatch: pytest.MonkeyPatch, *, tty: bool = True
) -> list[str]:
    """The lines `ukrnews COMMAND` prints as a table at ``columns`` wide, colour off."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    out = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main([command, "--format", "table"]) == 0
    return out.getvalue().splitlines()


class TestTableWidth:
    """Tables fit the terminal; in a pipe nothing is cut."""

    @settings(max_examples=25)  # each example renders two whole tables
    @given(st.integers(60, 200), st.sampled_from(["quotes", "attributions"]))
    def test_every_line_fits_the_terminal(self, columns: int, command: str) -> None:
        """At any width from 60 columns, no line is wider, and the text is all there."""
        with pytest.MonkeyPatch.context() as monkeypatch:
            lines = _table_on(command, columns, monkeypatch)
        assert max(len(line) for line in lines) <= columns
        rows = (ukrnews.quote_rows if command == "quotes" else ukrnews.attribution_rows)(
            ukrnews.load()
        )
        start = lines[0].index("TEXT")
        text = "".join(line[start:] for line in lines[1:]).replace(" ", "")
        assert text == "".join(str(r["text"]) for r in rows).replace(" ", "")

    def test_cells_are_cut_with_an_ellipsis(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """At 80 columns the attributions table cuts long cells with "…" (it was 118 wide)."""
        lines = _table_on("attributions", 80, monkeypatch)
        assert max(len(line) for line in lines) <= 80
        head = lines[0].index("TEXT")
        assert any(line[:head].rstrip().endswith("…") or "… " in line[:head] for line in lines)

    def test_nothing_is_cut_in_a_pipe(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Piped, `--format table` keeps every cell whole, whatever COLUMNS says."""
        lines = _table_on("attributions", 80, monkeypatch, tty=False)
        assert not any("…" in line for line in lines)
        assert any("befürchtet" in line for line in lines)
