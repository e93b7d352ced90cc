"""Tests for the optional-integration import helper."""

from __future__ import annotations

import pytest

from ukrnews._optional import require


class TestRequire:
    """Tests for `require`."""

    def test_returns_the_module(self) -> None:
        """An installed module is returned as imported."""
        import json

        assert require("json", "none") is json

    def test_missing_module_names_the_extra(self) -> None:
        """A missing module raises ImportError naming the extra to install."""
        with pytest.raises(ImportError, match=r"pip install 'ukrnews\[arrow\]'") as info:
            require("ukrnews_no_such_module_xyz", "arrow")
        assert info.value.name == "ukrnews_no_such_module_xyz"
