"""Hypothesis profiles (a quick default for development, a thorough one for CI) and the
fixtures many test files share: the repository root, the bundled article, the console script."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import ukrnews
from helpers import ARTICLE_ID, ROOT

settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder: docs/, src/ and pyproject.toml are in it."""
    return ROOT


@pytest.fixture(scope="session")
def bundled_article() -> ukrnews.Article:
    """The bundled article (from `ukrnews.load()`'s cache: loaded once per process)."""
    return ukrnews.load().article(ARTICLE_ID)


@pytest.fixture(scope="session")
def console_script() -> str:
    """The installed `ukrnews` console script, beside the running interpreter."""
    beside = Path(sys.executable).with_name("ukrnews")
    assert beside.exists(), f"the ukrnews console script is not installed at {beside}"
    return str(beside)
