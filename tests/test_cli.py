"""Tests for the command line, in-process and as a real console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ukrnews._cli import main

if TYPE_CHECKING:
    import pytest


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
        assert "known: ac428578f84f5134" in capsys.readouterr().err

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

    def test_console_script(self) -> None:
        """The installed `ukrnews` console script works."""
        beside = Path(sys.executable).with_name("ukrnews")
        exe = str(beside) if beside.exists() else shutil.which("ukrnews")
        assert exe is not None, "the ukrnews console script is not installed"
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
        assert out.stdout.startswith("ukrnews ")
