"""The benchmark script runs and writes what docs/performance.md reads (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import ukrnews

if TYPE_CHECKING:
    from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/bench.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("ukrnews_bench", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs needs the module to resolve its classes
    spec.loader.exec_module(module)
    return module


def test_varied_articles_are_valid_and_round_trip(bench: ModuleType) -> None:
    base = ukrnews.load().articles[0]
    for blocks, with_image in ((1, False), (7, True), (23, True)):
        rng = random.Random(blocks)  # noqa: S311 - reproducible test data, not secrets
        article = bench.vary(base, "synthetic", blocks, with_image, rng)
        assert ukrnews.loads(ukrnews.dumps(article)) == article
        assert len(article.body) == blocks
        assert bool(article.image_credits) is with_image
        if blocks > 5:  # the body repeats with its annotations, renumbered
            assert len(article.quotes) > len(base.quotes)
            assert "q1-1" in {q.id for q in article.quotes}


def test_corpus_is_valid_and_the_same_as_json(bench: ModuleType, tmp_path: Path) -> None:
    templates = bench.make_templates(4)
    corpus = bench.write_corpus(tmp_path, 9, templates)
    loaded = ukrnews.load_path(corpus.yaml_dir)
    assert len(loaded) == 9
    assert len({a.id for a in loaded}) == 9
    assert all(2 * 1024 <= size <= 24 * 1024 for size in corpus.sizes)
    raw = bench.load_libyaml(corpus.yaml_dir)
    assert raw == bench.load_json(corpus.json_dir)
    assert [d["id"] for d in raw] == [a.id for a in loaded]


def test_short_kind_is_four_to_six_kb_and_tabs_change_nothing(bench: ModuleType) -> None:
    kind = bench.KINDS[1]
    for template in bench.make_templates(3, kind=kind):
        assert kind.low <= len(template.text.encode("utf-8")) <= kind.high
        variants = bench.tab_variants(template.text)
        assert all("\t" in text for name, text in variants.items() if name != "no tab")
        plain = ukrnews.loads(variants["no tab"])
        assert ukrnews.loads(variants["tab in a comment"]) == plain
        assert ukrnews.loads(variants["tab in quotes"], pure=True).excluded[0].reason == (
            "page furniture\tafter the article, not part of it"
        )


@pytest.fixture(scope="module")
def smallest_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The script's smallest run: its printed table and its results file."""
    out = tmp_path_factory.mktemp("bench") / "results.json"
    args = ["--sizes", "2", "5", "--repeats", "1", "--import-runs", "1", "--pure-sample", "2"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--output", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout, out


def test_smallest_run_writes_every_result(
    bench: ModuleType, smallest_run: tuple[str, Path]
) -> None:
    stdout, out = smallest_run
    assert "| target | measured | limit | holds |" in stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "schema",
        "machine",
        "corpora",
        "scaling",
        "pure_python",
        "imports",
        "bundled",
        "memory",
        "retained",
        "targets",
    } <= set(results)
    kinds = [kind.name for kind in bench.KINDS]
    assert [(c["kind"], c["articles"]) for c in results["corpora"]] == [
        (kind, n) for kind in kinds for n in (2, 5)
    ]
    for corpus in results["corpora"]:
        assert set(corpus["seconds"]) == {"ukrnews", "libyaml", "json"}
        assert corpus["ratio"]["ukrnews/libyaml"] > 0
    assert set(results["scaling"]) == set(kinds)
    assert set(results["tabs"]["ratio"]) == {"tab in a comment", "tab in quotes"}
    assert "a tab is only allowed" in results["tabs"]["error"]
    assert results["pure_python"]["ratio"]["pure/safeloader"] > 0
    assert set(results["imports"]["seconds"]) >= {
        "import ukrnews",
        "import yaml, attr",
        "import ukrnews + first load_path",
        "import yaml, attr + one yaml.load",
    }
    assert results["machine"]["libyaml"] is ukrnews.HAVE_LIBYAML
    assert [m["articles"] for m in results["memory"]["iter_articles"]] == [2, 5]
    assert results["memory"]["load_path"]["articles"] == 5
    assert all(isinstance(t["ok"], bool) for t in results["targets"])
    issue_16 = [t["target"] for t in results["targets"] if t["target"].startswith("issue 16:")]
    # per kind: load at 5, the same settled, scaling; then tabs (2), pure, first load
    assert len(issue_16) == 2 * (1 + 1 + 1) + 2 + 1 + 1


def test_table_from_saved_results(smallest_run: tuple[str, Path]) -> None:
    stdout, out = smallest_run
    again = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-results", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.strip() in stdout


def test_plot_or_a_clear_message_without_matplotlib(
    smallest_run: tuple[str, Path], tmp_path: Path
) -> None:
    _, out = smallest_run
    png = tmp_path / "plot.png"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-results", str(out), "--plot", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    if importlib.util.find_spec("matplotlib") is None:
        assert done.returncode != 0
        assert "pip install -e '.[bench]'" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert png.read_bytes().startswith(b"\x89PNG")


def test_scaling_pair_is_what_is_timed_together(bench: ModuleType) -> None:
    """The scaling compares the largest size with the largest at most a tenth of it."""
    assert bench.scaling_pair([100, 1_000, 10_000]) == (1_000, 10_000)
    assert bench.scaling_pair([100, 1_000, 20_000]) == (1_000, 20_000)
    assert bench.scaling_pair([20, 100]) == (20, 100)
    assert bench.scaling_pair([1_000]) == (1_000, 1_000)
