"""Shared test helpers: both YAML back ends, and the bundled article's text."""

from __future__ import annotations

from importlib import resources

import pytest

import ukrnews

BACKENDS = pytest.mark.parametrize(
    "pure", [False, True], ids=["libyaml" if ukrnews.HAVE_LIBYAML else "no-libyaml", "pure-python"]
)

ARTICLE_ID = "ac428578f84f5134"


def bundled_yaml() -> str:
    """The bundled article's YAML text."""
    path = resources.files("ukrnews") / "data" / "articles" / f"{ARTICLE_ID}.yaml"
    return path.read_text(encoding="utf-8")


def bundled_path() -> str:
    """The bundled article's file path (the package is installed in development mode)."""
    path = resources.files("ukrnews") / "data" / "articles" / f"{ARTICLE_ID}.yaml"
    return str(path)


def source_text() -> str:
    """The source article exactly as received."""
    path = resources.files("ukrnews") / "data" / "sources" / f"000_{ARTICLE_ID}.txt"
    return path.read_bytes().decode("utf-8")


MINIMAL = """\
id: mini
language: de
headline: Eine Überschrift
body:
- id: p1
  kind: paragraph
  text: Er sagte, es sei gut.
"""
