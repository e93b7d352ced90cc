"""docs/authoring.md runs: each command in a subprocess in a temp directory, output compared."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

from helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DOC = ROOT / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w+)(?: file=(\S+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _steps(text: str) -> list[tuple[str, str, str]]:
    """("file", name, content) and ("run", command, expected output), in the doc's order."""
    steps: list[tuple[str, str, str]] = []
    for lang, name, body in FENCE.findall(text):
        if name:
            steps.append(("file", name, body))
        elif lang == "console":
            for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
                command, _, output = chunk.partition("\n")
                steps.append(("run", command, output))
    return steps


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ukrnews"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ukrnews "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "COLUMNS": "100",
    }
    steps = _steps(DOC.read_text(encoding="utf-8"))
    assert sum(kind == "run" for kind, _, _ in steps) >= 20
    for kind, what, expected in steps:
        if kind == "file":
            (work / what).write_text(expected, encoding="utf-8")
            continue
        done = subprocess.run(  # noqa: PLW1510 - the doc shows exit codes where they matter
            ["/bin/sh", "-c", what],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert done.stdout == expected, f"$ {what}"
        if "exit $?" not in what:
            assert done.returncode == 0, f"$ {what}\n{done.stdout}"
