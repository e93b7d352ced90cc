"""Tests for packaging: version, wheel contents, and an install outside the checkout."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import ukrnews


class TestProjectFile:
    """pyproject.toml states each fact once, or checks that its copies agree."""

    def test_dev_group_pins_like_the_dev_extra(self, repo_root: Path) -> None:
        """The PEP 735 dev group and the dev extra install the same linters."""
        import tomllib

        project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
        extra = project["project"]["optional-dependencies"]["dev"]
        group = project["dependency-groups"]["dev"]
        assert [r for r in extra if not r.startswith("ukrnews[")] == group

    def test_pre_commit_runs_what_ci_runs(self, repo_root: Path) -> None:
        """The pre-commit hooks run the very commands .ci/run runs."""
        ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
        hooks = (repo_root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
        for command in (
            "ruff check src tests benchmarks",
            "ruff format --check src tests benchmarks",
            "mypy --strict src tests",
        ):
            assert f"entry: {command}\n" in hooks
            assert f"\n{command}\n" in ci


class TestVersion:
    """`__version__` comes from the installed metadata."""

    def test_version(self) -> None:
        """The version is the installed distribution's version."""
        assert ukrnews.__version__ == metadata.version("ukrnews")

    def test_all_is_sorted_and_complete(self) -> None:
        """`__all__` is sorted and every name in it exists."""
        assert list(ukrnews.__all__) == sorted(ukrnews.__all__)
        for name in ukrnews.__all__:
            assert hasattr(ukrnews, name), name

    def test_import_does_not_import_hypothesis(self) -> None:
        """Importing ukrnews never pulls in Hypothesis (or reads the data)."""
        code = (
            "import sys, ukrnews;"
            " print('hypothesis' in sys.modules, ukrnews.load.cache_info().currsize)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.split() == ["False", "0"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """A wheel built from this tree (no network: the build backend is already installed)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(repo_root),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("ukrnews-*.whl")
    return found


class TestWheel:
    """The wheel carries the data and the type marker, and works when installed."""

    def test_contents(self, wheel: Path) -> None:
        """YAML, the source text and py.typed are in the wheel; tests are not."""
        names = zipfile.ZipFile(wheel).namelist()
        assert "ukrnews/py.typed" in names
        assert "ukrnews/data/articles/ac428578f84f5134.yaml" in names
        assert "ukrnews/data/sources/000_ac428578f84f5134.txt" in names
        assert "ukrnews/data/article.schema.json" in names  # the YAML's editor comment needs it
        assert "ukrnews/data/typesystem.xml" in names  # INCEpTION's type system (ukrnews.to_cas)
        assert "ukrnews/data/html/page.css" in names  # the HTML page's stylesheet and script
        assert "ukrnews/data/html/page.js" in names
        assert not [n for n in names if n.startswith("tests/")]

    def test_installed_wheel_loads(self, wheel: Path, tmp_path: Path) -> None:
        """`import ukrnews; ukrnews.load()` works from the unpacked wheel, outside the checkout."""
        site = tmp_path / "site"
        zipfile.ZipFile(wheel).extractall(site)
        code = (
            "import ukrnews; c = ukrnews.load(); "
            "print(ukrnews.__file__); print(len(c.articles[0].quotes))"
        )
        env = {**os.environ, "PYTHONPATH": str(site)}
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env=env,
        )
        where, quotes = out.stdout.split()
        assert Path(where).is_relative_to(site)
        assert quotes == "4"


class TestPublicSurface:
    """`dir(ukrnews)` is the public names; `ukrnews.testing` says which extra it needs."""

    def test_dir_is_all(self) -> None:
        """No module globals such as `importlib` or `TYPE_CHECKING`."""
        assert dir(ukrnews) == sorted(ukrnews.__all__)

    def test_testing_without_hypothesis(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without Hypothesis, the import error names the `testing` extra."""
        monkeypatch.setitem(sys.modules, "hypothesis", None)
        monkeypatch.delitem(sys.modules, "ukrnews.testing", raising=False)
        with pytest.raises(ImportError, match=r"pip install 'ukrnews\[testing\]'"):
            importlib.import_module("ukrnews.testing")
