"""Reading files for the loader: buffers sized to the file, and no more imports than it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import MINIMAL, bundled_yaml
from ukrnews._api import _read

if TYPE_CHECKING:
    from pathlib import Path


# Each example writes and reads one small temporary file: 50 cover the cases.
@settings(max_examples=50)
@given(
    content=st.binary(max_size=300),
    claimed=st.integers(min_value=0, max_value=400),
    most=st.integers(min_value=1, max_value=400),
)
def test_read_gives_the_file_up_to_the_limit(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, claimed: int, most: int
) -> None:
    """Whatever size fstat gave (a file may grow or shrink after it), what is there is read."""
    path = tmp_path_factory.mktemp("read") / "f.yaml"
    path.write_bytes(content)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _read(fd, claimed, max(most, claimed + 1)) == content[: max(most, claimed + 1)]
    finally:
        os.close(fd)


def test_load_file_reads_the_whole_file(tmp_path: Path) -> None:
    """The buffer sized from fstat still holds every byte of an ordinary article."""
    text = bundled_yaml()
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert ukrnews.load_file(path) == ukrnews.loads(text)


# What a first `load_path` of an ordinary article must not import: the writer and what
# only writing or errors need, `pathlib` (the loader names files with `os`), `fractions`
# (with `decimal` and `numbers`), which only a decimal comma needs, the reference YAML
# parser (`_scanner`: libyaml reads the bundled article) and `bisect` (only for tabs).
NOT_IMPORTED = (
    "tempfile",
    "importlib.resources",
    "difflib",
    "ukrnews._dump",
    "pathlib",
    "fractions",
    "decimal",
    "numbers",
    "ukrnews._scanner",
    "bisect",
    "attrs",  # the package uses `attr`, the same functions without the alias modules
)


def _fresh(code: str) -> object:
    """What ``code`` prints as JSON in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("directory", [False, True])
def test_loading_imports_only_what_it_needs(tmp_path: Path, directory: bool) -> None:
    """A file, or a directory of them, loads without the modules in `NOT_IMPORTED`."""
    path = tmp_path / "a.yaml"
    path.write_text(bundled_yaml(), encoding="utf-8")
    code = (
        "import json, sys, ukrnews\n"
        f"assert len(ukrnews.load_path({str(tmp_path if directory else path)!r})) == 1\n"
        f"print(json.dumps([m for m in {NOT_IMPORTED!r} if m in sys.modules]))"
    )
    assert _fresh(code) == []


def test_a_decimal_comma_still_reads(tmp_path: Path) -> None:
    """A quantity with a decimal comma loads in a fresh interpreter (importing fractions)."""
    path = tmp_path / "a.yaml"
    path.write_text(
        MINIMAL.replace("es sei gut", "rund 2,5 Millionen seien gut")
        + "claims:\n- id: c1\n  spans:\n  - {block: p1, text: 'rund 2,5 Millionen seien gut'}\n"
        "  quantities:\n  - value: 2500000\n    bound: about\n"
        "    span: {block: p1, text: 'rund 2,5 Millionen'}\n"
        "    measure:\n    - {block: p1, text: seien gut}\n",
        encoding="utf-8",
    )
    code = (
        "import json, sys, ukrnews\n"
        f"(article,) = ukrnews.load_path({str(path)!r})\n"
        "print(json.dumps([article.claims[0].quantities[0].value, 'fractions' in sys.modules]))"
    )
    assert _fresh(code) == [2_500_000, True]
