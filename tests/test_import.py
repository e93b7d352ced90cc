"""`import ukrnews` defines the classes only; every other public name arrives on first use."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import ukrnews

# Modules that importing the package must not load: they cost far more than the classes.
HEAVY = ("yaml", "importlib.metadata", "ukrnews._api", "ukrnews._load", "ukrnews._dump")


def _fresh(code: str) -> object:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_import_loads_nothing_heavy() -> None:
    code = (
        f"import json, sys, ukrnews; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert _fresh(code) == []


def test_first_use_imports_what_it_needs() -> None:
    code = (
        "import json, sys, ukrnews; ukrnews.load_path;"
        " print(json.dumps(['ukrnews._api' in sys.modules, 'ukrnews._export' in sys.modules]))"
    )
    assert _fresh(code) == [True, False]


def test_star_import_gives_every_public_name() -> None:
    code = (
        "import json; from ukrnews import *; import ukrnews;"
        " print(json.dumps(sorted(n for n in ukrnews.__all__ if n not in globals())))"
    )
    assert _fresh(code) == []


@pytest.mark.parametrize("name", sorted(ukrnews._LAZY))
def test_lazy_names_are_the_modules_own(name: str) -> None:
    module = importlib.import_module(ukrnews._LAZY[name], "ukrnews")
    assert getattr(ukrnews, name) is getattr(module, name)
    assert name in ukrnews.__all__
    assert name in dir(ukrnews)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nonexistent'"):
        _ = ukrnews.nonexistent  # type: ignore[attr-defined]
