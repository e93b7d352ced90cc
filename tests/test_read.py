"""Reading files for the loader: buffers sized to the file, and no more imports than it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import bundled_yaml
from ukrnews._api import _read

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


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


def test_loading_imports_no_writer(tmp_path: Path) -> None:
    """`tempfile`, `importlib.resources`, `difflib` and the writer wait until needed."""
    path = tmp_path / "a.yaml"
    path.write_text(bundled_yaml(), encoding="utf-8")
    code = (
        "import json, sys, ukrnews\n"
        f"ukrnews.load_path({str(path)!r})\n"
        "print(json.dumps([m for m in ('tempfile', 'importlib.resources', 'difflib',"
        " 'ukrnews._dump')"
        " if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
