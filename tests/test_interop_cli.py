"""``ukrnews export`` to INCEpTION, brat and WikiNews 2024, and ``ukrnews import`` back."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

import ukrnews
from helpers import ARTICLE_ID, MINIMAL
from ukrnews._cas import typesystem_text
from ukrnews._cli import main

if TYPE_CHECKING:
    from pathlib import Path

BUNDLED = f"{ARTICLE_ID}.yaml"


@pytest.mark.parametrize(
    ("fmt", "pattern"),
    [("xmi", "*.xmi"), ("jsoncas", "*.json"), ("brat", "*.txt"), ("wikinews2024", "*.json")],
)
def test_export_then_import_gives_valid_yaml(
    tmp_path: Path, fmt: str, pattern: str, bundled_article: ukrnews.Article
) -> None:
    assert main(["export", "--format", fmt, "-o", str(tmp_path / "out")]) == 0
    files = [str(p) for p in (tmp_path / "out").glob(pattern)]
    assert len(files) == 1
    inputs = [str(tmp_path / "out")] if fmt == "brat" else files
    assert main(["import", "--format", fmt, *inputs, "-o", str(tmp_path / "back")]) == 0
    back = ukrnews.load_path(tmp_path / "back" / BUNDLED).articles[0]
    original = bundled_article
    assert [b.text for b in back.blocks] == [b.text for b in original.blocks]
    assert len(back.attributions) == len(original.attributions)
    if fmt in {"xmi", "jsoncas"}:
        assert back == original


def test_one_article_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "wikinews2024"]) == 0
    assert json.loads(capsys.readouterr().out)["documentName"] == ARTICLE_ID


def test_typesystem_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "typesystem"]) == 0
    assert capsys.readouterr().out == typesystem_text()


def test_layers_are_written_one_file_each(tmp_path: Path) -> None:
    assert main(["export", "--format", "inception-layers", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "01-ukrnews.Document.json"
    assert json.loads((tmp_path / names[0]).read_text(encoding="utf-8"))["type"] == "span"


def test_several_articles_need_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL.replace("id: mini", f"id: {name}"))
    assert main(["export", "--format", "xmi", str(tmp_path)]) == 2
    assert "give -o DIR" in capsys.readouterr().err


def test_one_bad_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "jsoncas", "-o", str(tmp_path / "out")]) == 0
    good = tmp_path / "out" / f"{ARTICLE_ID}.json"
    bad = tmp_path / "bad.json"
    bad.write_text(good.read_text(encoding="utf-8").replace('"direct"', '"shouted"', 1))
    code = main(["import", "--format", "jsoncas", str(good), str(bad), "-o", str(tmp_path / "y")])
    assert code == 1
    err = capsys.readouterr().err
    assert str(bad) in err
    assert "Attribution[xmi:id=" in err
    assert not (tmp_path / "y").exists()
