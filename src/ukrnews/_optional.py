"""Optional integrations: import a third-party module only when its feature is used."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require"]


def require(module: str, extra: str) -> Any:
    """Import ``module``, or raise an ImportError that names the extra that installs it.

    Integrations (cassis, pyarrow, spaCy, Dask, ...) are optional: ``import ukrnews``
    never imports them, and a user who lacks one is told what to install.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = (
            f"this feature needs the optional package {module.partition('.')[0]!r}:"
            f" pip install 'ukrnews[{extra}]'"
        )
        raise ImportError(msg, name=module) from exc
