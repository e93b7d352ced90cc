"""Tests for the command line, in-process and as a real console script."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import ARTICLE_ID, MINIMAL
from ukrnews._cli import build_parser, main
from ukrnews._cli_common import EXIT_CODES
from ukrnews._export import QUOTE_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Callable


class TestShow:
    """`ukrnews show` prints the article with its quotes marked."""

    def test_in_process(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The default command shows the bundled article, quotes tagged with speakers."""
        assert main([]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Ukraine-Krieg\nNato: Russische Verluste")
        assert '"Terror" [q4: Wolodymyr Selenskyj]' in out
        assert "©\u00a0North Korean Central News Agency / DPA" in out
        assert "\x1b[" not in out  # not a terminal: no colour

    def test_unknown_article(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown id is a usage error (exit 2) that lists the known ids."""
        assert main(["show", "nope"]) == 2
        assert "known ids: ac428578f84f5134" in capsys.readouterr().err

    def test_directory_with_several_articles_needs_a_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled_article: ukrnews.Article
    ) -> None:
        """`show DIR` with two articles is a usage error instead of picking the first."""
        article = bundled_article
        for name in ("one", "two"):
            ukrnews.dump(attrs.evolve(article, id=name), tmp_path / f"{name}.yaml")
        assert main(["show", str(tmp_path)]) == 2
        assert "holds 2 articles (one, two)" in capsys.readouterr().err

    def test_ascii_stdout_does_not_crash(self) -> None:
        """With an ASCII-only stdout, umlauts are escaped, not a UnicodeEncodeError."""
        env = {**os.environ, "PYTHONIOENCODING": "ascii"}
        out = subprocess.run(
            [sys.executable, "-m", "ukrnews", "show"], capture_output=True, env=env, check=True
        )
        assert b"\\xfc" in out.stdout or b"\\u" in out.stdout

    def test_python_dash_m(self) -> None:
        """`python -m ukrnews` runs the same command line."""
        out = subprocess.run(
            [sys.executable, "-m", "ukrnews"],
            capture_output=True,
            text=True,
            check=True,
            encoding="utf-8",
        )
        assert "Quotes (4)" in out.stdout

    def test_console_script(self, console_script: str) -> None:
        """The installed `ukrnews` console script works."""
        out = subprocess.run(
            [console_script, "--version"], capture_output=True, text=True, check=True
        )
        assert out.stdout.startswith("ukrnews ")


def _run(script: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console script (not a terminal) and capture its output."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [script, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=cwd,
        env=env,
    )


def _on_terminal(script: str, *args: str, no_color: bool = False) -> str:
    """Run the console script with stdout on a pseudo-terminal; what a user would see."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"COLUMNS": "120"}
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    with subprocess.Popen([script, *args], stdout=follower, stderr=follower, env=env) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 0
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _bad_article(tmp_path: Path) -> Path:
    """A user's article whose attribution names an entity that does not exist."""
    article = ukrnews.load().articles[0]
    text = ukrnews.dumps(article).replace("source: rutte", "source: rute", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _other_article(tmp_path: Path, article_id: str = "mine") -> Path:
    path = tmp_path / f"{article_id}.yaml"
    path.write_text(MINIMAL.replace("id: mini", f"id: {article_id}"), encoding="utf-8")
    return path


class TestShowOnATerminal:
    """`ukrnews show` colours only a terminal, and never when NO_COLOR is set."""

    def test_colour(self, console_script: str) -> None:
        """On a terminal the quotes are highlighted; with NO_COLOR the same text is plain."""
        coloured = _on_terminal(console_script, "show")
        assert "\x1b[1;33mTerror\x1b[0m" in coloured
        plain = _on_terminal(console_script, "show", no_color=True)
        assert "\x1b[" not in plain
        assert '"Terror" [q4: Wolodymyr Selenskyj]' in plain


def _subcommands() -> list[str]:
    """Every subcommand the parser registers, read from the parser itself."""
    parser = build_parser()
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(name for action in found for name in action.choices)


class TestHelp:
    """Every subcommand has --help, and the exit codes are documented there."""

    def test_the_walk_sees_every_command_group(self) -> None:
        """The list below is the parser's own; it holds each group's commands."""
        names = set(_subcommands())
        assert {"show", "validate", "render", "import", "new", "agree"} <= names

    @pytest.mark.parametrize("command", _subcommands())
    def test_help(self, command: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`ukrnews COMMAND --help` prints usage and the exit codes, and exits 0."""
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: ukrnews {command}")
        assert EXIT_CODES in " ".join(out.split())

    def test_top_level_help_lists_commands(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`ukrnews --help` names every subcommand and the exit codes."""
        with pytest.raises(SystemExit) as exc:
            main(["--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        for command in _subcommands():
            assert command in out
        assert EXIT_CODES in " ".join(out.split())

    def test_bad_option_is_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """argparse's usage errors exit 2: a wrong choice, a missing required option."""
        for argv in (["quotes", "--format", "xml"], ["export"]):
            with pytest.raises(SystemExit) as exc:
                main(argv)
            assert exc.value.code == 2
        assert "invalid choice" in capsys.readouterr().err


class TestListings:
    """`ukrnews quotes` and `ukrnews attributions`: rows in four formats, with filters."""

    def test_default_is_jsonl_when_not_a_terminal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Piped, the rows are JSON Lines with every key and the full text."""
        assert main(["quotes"]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert rows == ukrnews.quote_rows(ukrnews.load())

    def test_table_on_a_terminal(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On a terminal the default is a table with a bold header; NO_COLOR turns colour off.

        In-process, with a stdout that says it is a terminal (TestShowOnATerminal runs the
        real script on a pseudo-terminal)."""
        monkeypatch.setenv("COLUMNS", "120")
        monkeypatch.delenv("NO_COLOR", raising=False)
        out = _Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["quotes"]) == 0
        assert "\x1b[1mID  KIND    SPEAKER" in out.getvalue()
        assert (
            "q4  direct  Wolodymyr Selenskyj  warnte        p4[393:399]  Terror" in out.getvalue()
        )
        plain = _table_on("quotes", 120, monkeypatch)
        assert not any("\x1b[" in line for line in plain)
        assert plain[0].startswith(
            "ID  KIND    SPEAKER              CUE           WHERE        TEXT"
        )

    def test_table_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format table works anywhere; the text wraps under its column, nothing is cut."""
        assert main(["attributions", "--format", "table"]) == 0
        out = capsys.readouterr().out
        lines = out.splitlines()
        assert lines[0].split() == ["ID", "KIND", "SOURCE", "CUE", "PARENT", "WHERE", "TEXT"]
        assert "a8   reported  (unknown)" in out
        assert "\x1b[" not in out
        words = " ".join(line[lines[0].index("TEXT") :] for line in lines[1:]).split()
        expected = " ".join(str(r["text"]) for r in ukrnews.attribution_rows(ukrnews.load()))
        assert words == expected.split()

    def test_table_escapes_controls(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Escape sequences and bidi overrides in a user's text are shown, not obeyed."""
        path = tmp_path / "esc.yaml"
        path.write_text(
            "id: esc\nlanguage: de\nheadline: H\nbody:\n- id: p1\n  kind: paragraph\n"
            '  text: "Er sagte \\"\\e[31mrot\\u202E\\", gut."\n'
            "attributions:\n- id: a1\n  kind: direct\n  medium: speech\n  source: unknown\n"
            '  content:\n  - {block: p1, text: "\\e[31mrot\\u202E"}\n'
            "quotes:\n- id: q1\n  attribution: a1\n  spans:\n"
            '  - {block: p1, text: "\\e[31mrot\\u202E"}\n',
            encoding="utf-8",
        )
        assert main(["quotes", "--format", "table", str(path)]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out
        assert "\u202e" not in out
        assert "(unknown)" in out
        assert out.splitlines()[1].endswith("\\x1b[31mrot\\u202e")
        assert main(["quotes", "--format", "jsonl", str(path)]) == 0
        assert json.loads(capsys.readouterr().out)["text"] == "\x1b[31mrot\u202e"

    def test_json_and_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """JSON is one array; CSV has a header row, empty cells for null, true/false."""
        assert main(["attributions", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == ukrnews.attribution_rows(ukrnews.load())
        assert main(["quotes", "--format", "csv"]) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert tuple(rows[0]) == QUOTE_COLUMNS
        assert len(rows) == 5
        assert rows[4][QUOTE_COLUMNS.index("partial")] == "true"
        assert rows[4][QUOTE_COLUMNS.index("text")] == "Terror"

    @pytest.mark.parametrize(
        ("args", "ids"),
        [
            (["quotes", "--speaker", "rutte"], ["q1", "q2"]),
            (["quotes", "--speaker", "wolodymyr SELENSKYJ"], ["q3", "q4"]),
            (["attributions", "--speaker", "unknown"], ["a8"]),
            (["attributions", "--kind", "reported", "--speaker", "nato"], ["a3"]),
            (["attributions", "--kind", "free_indirect"], []),
            (
                ["quotes", "--article", "ac428578f84f5134", "--kind", "direct"],
                ["q1", "q2", "q3", "q4"],
            ),
        ],
    )
    def test_filters(
        self, args: list[str], ids: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--speaker (id or name, any case, or 'unknown'), --kind and --article narrow the rows."""
        assert main([*args, "--format", "jsonl"]) == 0
        assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ids

    def test_unknown_speaker_or_article(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A speaker or article that does not exist is a usage error with a suggestion."""
        assert main(["quotes", "--speaker", "rute"]) == 2
        assert "did you mean 'rutte'?" in capsys.readouterr().err
        assert main(["attributions", "--article", "nope"]) == 2
        assert "known ids: ac428578f84f5134" in capsys.readouterr().err

    def test_user_files(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """PATHs list a user's own articles; a broken one is exit 1 with file:line:col."""
        mine = _other_article(tmp_path)
        assert main(["quotes", str(mine)]) == 0
        assert capsys.readouterr().out == ""
        assert main(["attributions", str(_bad_article(tmp_path))]) == 1
        assert "bad.yaml:219:11: attributions[4] (a5).source: unknown entity 'rute'" in (
            capsys.readouterr().err
        )

    def test_csv_with_a_filter(self, capsys: pytest.CaptureFixture[str]) -> None:
        """CSV rows with a --speaker filter: named columns, the speaker's name."""
        assert main(["quotes", "--format", "csv", "--speaker", "rutte"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert [r["id"] for r in rows] == ["q1", "q2"]
        assert rows[0]["speaker"] == "Mark Rutte"


class TestValidate:
    """`ukrnews validate`: every file, every failure on stderr, a summary, exit 1 on failure."""

    def test_all_valid(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], repo_root: Path
    ) -> None:
        """Valid files and directories exit 0 with a summary on stdout and nothing on stderr."""
        _other_article(tmp_path, "one")
        _other_article(tmp_path, "two")
        bundled = repo_root / "src" / "ukrnews" / "data" / "articles"
        assert main(["validate", str(tmp_path), str(bundled)]) == 0
        out, err = capsys.readouterr()
        assert out == "3 files checked: 3 valid, 0 invalid\n"
        assert err == ""

    def test_reports_every_failure(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each bad file, an empty folder and a repeated id: all reported."""
        bad = _bad_article(tmp_path)
        first = _other_article(tmp_path, "mine")
        again = tmp_path / "copy" / "mine.yml"
        again.parent.mkdir()
        again.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
        empty = tmp_path / "empty"
        empty.mkdir()
        args = [str(bad), str(first), str(again.parent), str(empty)]
        assert main(["validate", *args]) == 1
        out, err = capsys.readouterr()
        assert out == "4 files checked: 1 valid, 3 invalid\n"
        lines = err.splitlines()
        assert lines == [
            (
                f"{bad}:219:11: attributions[4] (a5).source:"
                " unknown entity 'rute'; did you mean 'rutte'?"
            ),
            "      source: rute",
            "              ^",
            f"{again}: id: article id 'mine' is already used by {first}",
            f"{empty}: no *.yaml or *.yml files in this directory",
        ]

    def test_json_report(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json puts a machine-readable report on stdout."""
        bad = _bad_article(tmp_path)
        good = _other_article(tmp_path)
        assert main(["validate", "--format", "json", str(bad), str(good)]) == 1
        out, err = capsys.readouterr()
        assert err == ""
        report = json.loads(out)
        assert report["valid"] is False
        assert report["summary"] == {"files": 2, "valid": 1, "invalid": 1}
        assert report["files"][1] == {"path": str(good), "valid": True, "errors": []}
        assert report["files"][0]["errors"] == [
            {
                "type": "LinkError",
                "path": str(bad),
                "line": 219,
                "column": 11,
                "field": "attributions[4] (a5).source",
                "message": "unknown entity 'rute'; did you mean 'rutte'?",
            }
        ]

    def test_console_script(self, tmp_path: Path, console_script: str) -> None:
        """The real script: errors on stderr, summary on stdout, exit 1."""
        out = _run(
            console_script, "validate", str(_bad_article(tmp_path)), str(_other_article(tmp_path))
        )
        assert out.returncode == 1
        assert out.stderr.endswith(
            "unknown entity 'rute'; did you mean 'rutte'?\n      source: rute\n              ^\n"
        )
        assert out.stdout == "2 files checked: 1 valid, 1 invalid\n"


class TestExport:
    """`ukrnews export`: the bundled corpus by default; -o writes atomically."""

    @pytest.mark.parametrize(
        ("fmt", "convert"),
        [("ninjs", ukrnews.to_ninjs), ("jsonld", ukrnews.to_jsonld), ("json", ukrnews.to_json)],
    )
    def test_formats(
        self,
        fmt: str,
        convert: Callable[[ukrnews.Article], object],
        capsys: pytest.CaptureFixture[str],
        bundled_article: ukrnews.Article,
    ) -> None:
        """One article gives one document, exactly the Python export's."""
        assert main(["export", "--format", fmt]) == 0
        assert json.loads(capsys.readouterr().out) == convert(bundled_article)

    def test_several_articles(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], repo_root: Path
    ) -> None:
        """Several articles give a JSON array, in the order of the PATHs."""
        bundled = repo_root / "src" / "ukrnews" / "data" / "articles"
        assert (
            main(["export", "--format", "ninjs", str(_other_article(tmp_path)), str(bundled)]) == 0
        )
        docs = json.loads(capsys.readouterr().out)
        assert [d["uri"] for d in docs] == [
            "urn:ukrnews:article:mine",
            "urn:ukrnews:article:ac428578f84f5134",
        ]

    def test_output_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """-o replaces the file whole, leaves no temporary file, and keeps its permissions."""
        target = tmp_path / "out.json"
        target.write_text("old", encoding="utf-8")
        target.chmod(0o640)
        assert main(["export", "--format", "jsonld", "-o", str(target)]) == 0
        assert capsys.readouterr().out == ""
        assert json.loads(target.read_text(encoding="utf-8"))["@type"] == "NewsArticle"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
        assert stat.S_IMODE(target.stat().st_mode) == 0o640

    def test_new_file_has_ordinary_permissions(self, tmp_path: Path) -> None:
        """A new file follows the umask, not the temporary file's private 0600."""
        target = tmp_path / "new.json"
        assert main(["export", "--format", "json", "-o", str(target)]) == 0
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
        assert json.loads(target.read_text(encoding="utf-8"))["id"] == "ac428578f84f5134"

    def test_unwritable_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A FILE in a missing directory is a usage error (exit 2), and nothing is written."""
        target = tmp_path / "missing" / "out.json"
        assert main(["export", "--format", "json", "-o", str(target)]) == 2
        assert "cannot write" in capsys.readouterr().err
        assert not target.parent.exists()

    def test_invalid_input(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An article that does not load is exit 1, and -o leaves the old file alone."""
        target = tmp_path / "out.json"
        target.write_text("old", encoding="utf-8")
        assert (
            main(["export", "--format", "ninjs", "-o", str(target), str(_bad_article(tmp_path))])
            == 1
        )
        assert "unknown entity 'rute'" in capsys.readouterr().err
        assert target.read_text(encoding="utf-8") == "old"

    def test_relative_output(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_article: ukrnews.Article
    ) -> None:
        """-o with a relative name writes in the working directory."""
        monkeypatch.chdir(tmp_path)
        assert main(["export", "--format", "ninjs", "-o", "article.json"]) == 0
        doc = json.loads((tmp_path / "article.json").read_text(encoding="utf-8"))
        assert doc == ukrnews.to_ninjs(bundled_article)


class TestSchema:
    """`ukrnews schema` prints the JSON Schema shipped in the package."""

    def test_prints_the_schema(self, capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
        """The same text as the shipped file, and it parses to `ukrnews.json_schema()`."""
        assert main(["schema"]) == 0
        out = capsys.readouterr().out
        shipped = repo_root / "src" / "ukrnews" / "data" / "article.schema.json"
        assert out == shipped.read_text(encoding="utf-8")
        assert json.loads(out) == ukrnews.json_schema()


class TestPipes:
    """A reader that goes away early does not make the command noisy."""

    def test_head(self, console_script: str) -> None:
        """`ukrnews attributions | head -1`: one line out, no traceback."""
        with subprocess.Popen(
            [console_script, "attributions", "--format", "jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            assert proc.stdout is not None
            assert proc.stderr is not None
            first = proc.stdout.readline()
            proc.stdout.close()
            err = proc.stderr.read()
            code = proc.wait(timeout=60)
        assert json.loads(first)["id"] == "a1"
        assert b"Traceback" not in err
        assert code in {0, 141}


class TestRender:
    """`ukrnews render` is reachable from the real command line."""

    def test_render_to_file(self, tmp_path: Path, console_script: str) -> None:
        """The console script writes the HTML page for the bundled article."""
        target = tmp_path / "article.html"
        subprocess.run(
            [console_script, "render", "-o", str(target)], check=True, capture_output=True
        )
        page = target.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert '<html lang="de"' in page
        assert "Terror" in page


class TestOneVoice:
    """Every command picks articles, reports usage errors and writes documents alike."""

    @pytest.mark.parametrize(
        "argv", [["show", "nope"], ["render", "nope"], ["quotes", "--article", "nope"]]
    )
    def test_unknown_article_reads_the_same_everywhere(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """One message, one prefix, exit 2, whichever command picks the article."""
        ids = ", ".join(a.id for a in ukrnews.load().articles)
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"ukrnews: error: no article or file 'nope'; known ids: {ids}\n"

    @pytest.mark.parametrize("argv", [["export", "--format", "json"], ["schema"], ["render"]])
    def test_documents_on_stdout_are_utf8_whatever_the_locale(self, argv: list[str]) -> None:
        """A JSON, schema or HTML document on a Latin-1 stdout is still UTF-8 (and whole)."""
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="latin-1")
        args = build_parser().parse_args(argv)
        assert args.func(args, out) == 0
        out.flush()
        plain = io.StringIO()  # a text-only stream takes the document as str
        assert args.func(args, plain) == 0
        assert raw.getvalue().decode("utf-8") == plain.getvalue()
        assert not plain.getvalue().isascii() or argv[0] == "schema"  # umlauts to carry


class TestTerminalSafety:
    """Text from a user's YAML cannot drive the terminal through `show`."""

    def test_controls_and_bidi_are_escaped(self, bundled_article: ukrnews.Article) -> None:
        """ESC, BEL and a right-to-left override in the data are shown as escapes."""
        from ukrnews._terminal import render_text

        article = bundled_article
        hostile = "\x1b[2J\x07\u202eevil"
        blocks = tuple(
            attrs.evolve(b, text=hostile + b.text) if b.role is ukrnews.BlockRole.HEADLINE else b
            for b in article.blocks
        )
        out = render_text(attrs.evolve(article, blocks=blocks, attributions=(), quotes=()))
        assert "\\x1b[2J\\x07\\u202eevil" in out
        assert "\x1b" not in out
        assert "\u202e" not in out


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
