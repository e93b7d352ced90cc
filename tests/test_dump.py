"""Tests for `dumps` and `dump`: lossless, alias-free, atomic."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Self

import attrs
import pytest
import yaml

import ukrnews
from helpers import BACKENDS, MINIMAL

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def _with_text(text: str) -> ukrnews.Article:
    article = ukrnews.loads(MINIMAL)
    block = attrs.evolve(article.body[0], text=text)
    return attrs.evolve(article, blocks=(*article.blocks[:-1], block))


def _half_writer(fdopen: Callable[..., Any]) -> Callable[..., Any]:
    """An `os.fdopen` whose files write half of what they are given, then fail."""

    class Half:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *_: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError("simulated write failure")

    return lambda fd, *args, **kwargs: Half(fdopen(fd, *args, **kwargs))


class TestDumps:
    """`dumps` writes YAML that loads back to an equal article."""

    @BACKENDS
    @pytest.mark.parametrize(
        "text",
        [
            "a\x85b",
            "x\u2028y\u2029z",
            "\ufeffBOM",
            "tab\there",
            "trail ",
            " lead",
            "no",
            "2024-10-28",
            "~",
            "a: b",
            "# c",
            "- d",
            "\x00\x01\x7f",
            "\U0001f600 \u202e rtl",
            "©\u00a0NBSP",
            "line\r\nend",
            "'\"",
            "e\u0301",
        ],
    )
    def test_hazardous_text_survives(self, text: str, pure: bool) -> None:
        """Text that YAML emitters mangle (U+0085 most of all) is escaped, not changed."""
        article = _with_text(text)
        dumped = ukrnews.dumps(article, pure=pure)
        assert ukrnews.loads(dumped) == article
        assert ukrnews.loads(dumped, pure=True) == article

    def test_lone_surrogate_refused(self) -> None:
        """A lone surrogate cannot be written; the error names the field."""
        with pytest.raises(ukrnews.DumpError, match=r"lone surrogate U\+DC80") as info:
            ukrnews.dumps(_with_text("bad \udc80"))
        assert info.value.field == "body[0].text"

    def test_no_aliases(self, bundled_article: ukrnews.Article) -> None:
        """Repeated spans are written out in full, never as anchors and aliases."""
        text = ukrnews.dumps(bundled_article)
        assert "&id" not in text
        assert "*id" not in text

    def test_other_parsers_read_plain_data(self, bundled_article: ukrnews.Article) -> None:
        """yaml.safe_load reads offsets as ints, booleans as bools, and all text as str."""
        data = yaml.safe_load(ukrnews.dumps(bundled_article))
        assert data["format"] == "1"
        span = data["entities"][0]["mentions"][0]
        assert span == {"block": "headline", "start": 0, "end": 4, "text": "Nato"}
        assert data["quotes"][3]["partial"] is True

    def test_key_order(self) -> None:
        """Keys come in the documented order."""
        text = ukrnews.dumps(ukrnews.loads(MINIMAL))
        assert (
            text.index("id:")
            < text.index("language:")
            < text.index("headline:")
            < text.index("body:")
        )

    def test_header(self) -> None:
        """A header is written as comment lines."""
        text = ukrnews.dumps(ukrnews.loads(MINIMAL), header="one\ntwo")
        assert text.startswith("# one\n# two\nformat:")

    # loads(dumps(a)) == a for generated articles: TestRoundTrip.test_all_back_ends in
    # test_properties.py, on every back end; U+0085 is among the hazards above.


class TestDump:
    """`dump` writes atomically."""

    def test_writes_file(self, tmp_path: Path, bundled_article: ukrnews.Article) -> None:
        """The file holds exactly `dumps` output."""
        article = bundled_article
        target = tmp_path / "a.yaml"
        ukrnews.dump(article, target)
        assert target.read_text(encoding="utf-8") == ukrnews.dumps(article)
        assert ukrnews.load_path(target).articles == (article,)

    # Which stage fails (and how) matters, not what the article says: a few fixed articles
    # cover it (this was a property over generated articles, 25 file writes per stage).
    @pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
    def test_failure_leaves_old_file(
        self,
        failing: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        bundled_article: ukrnews.Article,
    ) -> None:
        """A failure while writing, syncing or renaming leaves the old file byte for byte,
        and no temporary file."""
        target = tmp_path / "a.yaml"
        ukrnews.dump(ukrnews.loads(MINIMAL), target)
        before = target.read_bytes()

        def boom(*_: object, **__: object) -> None:
            raise OSError(f"simulated {failing} failure")

        if failing == "replace":
            monkeypatch.setattr(os, "replace", boom)
        elif failing == "fsync":
            monkeypatch.setattr(os, "fsync", boom)
        else:
            monkeypatch.setattr(os, "fdopen", _half_writer(os.fdopen))
        with pytest.raises(OSError, match="simulated"):
            ukrnews.dump(bundled_article, target)
        assert target.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]

    def test_unwritable_text_touches_nothing(self, tmp_path: Path) -> None:
        """A value that cannot be dumped fails before any file is created."""
        target = tmp_path / "a.yaml"
        with pytest.raises(ukrnews.DumpError):
            ukrnews.dump(_with_text("\ud800"), target)
        assert list(tmp_path.iterdir()) == []


class TestCheck:
    """`dumps` refuses to write an article that would not load back."""

    def test_blocks_out_of_order(self) -> None:
        """A teaser after the body would load in another order: refused."""
        article = ukrnews.loads(MINIMAL)
        teaser = ukrnews.Block("teaser", ukrnews.BlockRole.TEASER, "Vorspann")
        with pytest.raises(ukrnews.DumpError, match="reading order"):
            ukrnews.dumps(attrs.evolve(article, blocks=(*article.blocks, teaser)))
        fine = attrs.evolve(article, blocks=(article.blocks[0], teaser, *article.blocks[1:]))
        assert ukrnews.loads(ukrnews.dumps(fine)) == fine

    def test_invalid_id(self) -> None:
        """An id the format does not allow is named."""
        with pytest.raises(ukrnews.DumpError, match="expected an id") as info:
            ukrnews.dumps(attrs.evolve(ukrnews.loads(MINIMAL), id="Bad ID"))
        assert info.value.field == "id"

    def test_check_can_be_skipped(self) -> None:
        """check=False writes without loading back (for speed, at the caller's risk)."""
        text = ukrnews.dumps(attrs.evolve(ukrnews.loads(MINIMAL), id="Bad ID"), check=False)
        assert "id: Bad ID" in text
