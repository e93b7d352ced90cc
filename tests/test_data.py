"""Tests for the bundled article: faithful to the source, every line accounted for."""

from __future__ import annotations

import hashlib
from importlib import resources

import ukrnews
from helpers import ARTICLE_ID, bundled_yaml, source_text


class TestBundled:
    """The bundled corpus."""

    def test_load_is_cached(self) -> None:
        """A second call returns the same object without reading again."""
        assert ukrnews.load() is ukrnews.load()

    def test_one_article(self) -> None:
        """The corpus holds the one article."""
        assert [a.id for a in ukrnews.load().articles] == [ARTICLE_ID]

    def test_fields(self, bundled_article: ukrnews.Article) -> None:
        """Kicker, headline, teaser, language, credits: as the source gives them."""
        a = bundled_article
        assert a.kicker == "Ukraine-Krieg"
        assert (
            a.headline
            == "Nato: Russische Verluste bei 600.000 Soldaten – jetzt sollen Nordkoreaner ran"
        )
        assert a.teaser is not None
        assert a.teaser.startswith("Angesichts Hunderttausender")
        assert a.language == "de"
        assert a.agencies == ("DPA", "Reuters")
        assert a.agency_line == "DPA · Reuters"
        assert a.author_code == "wue"
        assert [b.role.value for b in a.body] == [
            "paragraph",
            "subheading",
            "paragraph",
            "paragraph",
            "paragraph",
        ]
        assert a.body[1].text == "Ukraine fordert mehr Hilfe vom Westen"

    def test_nothing_invented(self, bundled_article: ukrnews.Article) -> None:
        """Date, URL and publisher are not in the source, so they are None."""
        a = bundled_article
        assert (a.published, a.url, a.publisher) == (None, None, None)

    def test_credit_line_verbatim(self, bundled_article: ukrnews.Article) -> None:
        """The credit line keeps its no-break space after ©, and the caption has no final stop."""
        (credit,) = bundled_article.image_credits
        assert credit.credit_line == "©\u00a0North Korean Central News Agency / DPA"
        assert credit.has_copyright_sign
        assert credit.title == "Nordkoreanische Soldaten: Bald in der Ukraine im Einsatz?"
        assert credit.caption is not None
        assert credit.caption.endswith("eingesetzt werden sollen")

    def test_file_is_canonical(self, bundled_article: ukrnews.Article) -> None:
        """The shipped YAML is exactly what `dumps` writes for it (stable diffs)."""
        text = bundled_yaml()
        header = text.splitlines()[0].removeprefix("# ")
        assert ukrnews.dumps(bundled_article, header=header) == text


class TestProvenance:
    """The shipped source text is the one the article was transcribed from, line for line."""

    def test_source_hash(self, bundled_article: ukrnews.Article) -> None:
        """The source file's SHA-256 is the one the article records."""
        a = bundled_article
        assert a.source_file is not None
        data = (resources.files("ukrnews") / "data" / "sources" / a.source_file.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == a.source_file.sha256

    def test_every_line_accounted_for(self, bundled_article: ukrnews.Article) -> None:
        """Each source line is a field of the article, character for character, or excluded.

        The source prints kicker and headline on one line, separated by a space;
        blank lines separate blocks.
        """
        a = bundled_article
        (credit,) = a.image_credits
        fields: list[tuple[str, str]] = [
            ("kicker + headline", f"{a.kicker} {a.headline}"),
            ("image title", credit.title or ""),
            ("caption", credit.caption or ""),
            ("credit line", credit.credit_line),
            ("teaser", a.teaser or ""),
            *((f"body {b.id}", b.text) for b in a.body),
            ("agency line", a.agency_line or ""),
            ("author code", a.author_code or ""),
            *((f"excluded {e.text}", e.text) for e in a.excluded),
        ]
        lines = [line for line in source_text().split("\n") if line]
        assert [value for _, value in fields] == lines
        # ... and nothing in the source was skipped: blank lines are all that is left.
        assert source_text().replace("\n", "") == "".join(lines)

    def test_excluded_is_not_in_the_body(self, bundled_article: ukrnews.Article) -> None:
        """Page furniture is recorded as excluded and appears in no block."""
        a = bundled_article
        assert [e.text for e in a.excluded] == ["PRODUKTE & TIPPS", "Kaufkosmos"]
        for block in a.blocks:
            assert "Kaufkosmos" not in block.text
            assert "PRODUKTE" not in block.text
