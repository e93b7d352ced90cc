"""Tests that the copied official schemas are the published files, byte for byte."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

STANDARDS = Path(__file__).resolve().parent / "standards"


def _recorded() -> dict[str, str]:
    """The file → SHA-256 table of ``tests/standards/README.md``."""
    text = (STANDARDS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|", text, flags=re.MULTILINE)
    return dict(rows)


class TestStandards:
    """Tests for the vendored ninjs and GeoJSON schemas."""

    def test_every_schema_is_recorded(self) -> None:
        """Each JSON file under tests/standards has a recorded checksum, and vice versa."""
        files = {p.relative_to(STANDARDS).as_posix() for p in STANDARDS.rglob("*.json")}
        assert files == set(_recorded())
        assert files == {"ninjs/ninjs-schema_3.2.json", "geojson/GeoJSON.json"}

    @pytest.mark.parametrize("name", ["ninjs/ninjs-schema_3.2.json", "geojson/GeoJSON.json"])
    def test_copy_is_byte_identical(self, name: str) -> None:
        """The copy hashes to the SHA-256 recorded for the published file."""
        digest = hashlib.sha256((STANDARDS / name).read_bytes()).hexdigest()
        assert digest == _recorded()[name]

    @pytest.mark.parametrize("folder", ["ninjs", "geojson"])
    def test_licence_travels_with_the_copy(self, folder: str) -> None:
        """Each copied schema keeps its licence and provenance note beside it."""
        assert (STANDARDS / folder / "LICENSE").read_text(encoding="utf-8").strip()
        assert "commit" in (STANDARDS / folder / "README.md").read_text(encoding="utf-8")
