"""Claims and their quantities: the number rule, the loader's checks, the data and the exports."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import ukrnews
from helpers import MINIMAL, ROOT, source_text
from ukrnews import Bound, Quantity, Span
from ukrnews._cli import main
from ukrnews._export import CLAIM_COLUMNS, QUANTITY_COLUMNS
from ukrnews._numbers import read_number
from ukrnews.testing import articles, number_words

DOCS = ROOT / "docs"
# Words, and the value and bound the rule in docs/annotation.md reads from them.
READ = [
    ("Mehr als 600.000", 600_000, Bound.MORE_THAN),
    ("600.000", 600_000, Bound.EXACT),
    ("Hunderttausender", 100_000, Bound.MORE_THAN),
    ("Tausende", 1000, Bound.MORE_THAN),
    ("Millionen", 1_000_000, Bound.MORE_THAN),
    ("über 40", 40, Bound.MORE_THAN),
    ("mindestens zwölf", 12, Bound.AT_LEAST),
    ("weniger als 0,5", 0.5, Bound.LESS_THAN),
    ("bis zu 1.000.000", 1_000_000, Bound.AT_MOST),
    ("rund 2,5 Millionen", 2_500_000, Bound.ABOUT),
    ("ca. 3 Mrd.", 3_000_000_000, Bound.ABOUT),
    ("eine Million", 1_000_000, Bound.EXACT),
    ("zweihunderteinundzwanzig", 221, Bound.EXACT),
    ("Dreitausendvierhundertelf", 3411, Bound.EXACT),
    ("hunderttausend", 100_000, Bound.EXACT),
    ("zwei Millionen dreihunderttausend", 2_300_000, Bound.EXACT),
    ("null", 0, Bound.EXACT),
]
UNREADABLE = [
    "",
    "mehr als",
    "viele",
    "600,000.5",
    "1.00",
    "05",
    "zwei drei",
    "mehr als Tausende",
    "1.000 Millionen",
    "zwei Millionen drei Millionen",
    "hundertnull",
    "600.000 Soldaten",
    "1" * 40,
]


def _unlabelled(field: str | None) -> str:
    """The field path without the item ids a loader may add: ``claims[0] (c1)`` → ``claims[0]``."""
    return re.sub(r" \([^)]*\)", "", field or "")


def _claims_doc(claim: str) -> str:
    """MINIMAL ("Er sagte, es sei gut.") with an attribution and the given claims YAML."""
    return (
        MINIMAL.replace("Er sagte, es sei gut.", "Er sagte, über 40 seien gut.")
        + "attributions:\n- id: a1\n  kind: indirect\n  medium: speech\n  source: unknown\n"
        + "  content:\n  - {block: p1, text: 'über 40 seien gut'}\n"
        + claim
    )


GOOD = """\
claims:
- id: c1
  attribution: a1
  spans:
  - {block: p1, text: 'über 40 seien gut'}
  quantities:
  - value: 40
    bound: more_than
    span: {block: p1, text: über 40}
    measure:
    - {block: p1, text: gut}
"""


class TestNumberRule:
    """The rule reads German number words and digit grouping, and nothing else."""

    @pytest.mark.parametrize(("words", "value", "bound"), READ)
    def test_reads(self, words: str, value: float, bound: Bound) -> None:
        """Each example reads as documented, with the type the value has."""
        read = read_number(words)
        assert read == (value, bound)
        assert type(read[0]) is type(value)

    @pytest.mark.parametrize("words", UNREADABLE)
    def test_refuses(self, words: str) -> None:
        """Words the rule does not cover are refused, never guessed."""
        with pytest.raises(ValueError, match=r"."):
            read_number(words)

    @given(number_words())
    def test_reads_what_the_strategy_writes(self, written: tuple[str, float, Bound]) -> None:
        """The strategy spells numbers independently; the rule reads its words back."""
        words, value, bound = written
        assert read_number(words) == (value, bound)


class TestModel:
    """Quantity values are numbers >= 0; claimants come from the attribution."""

    def test_whole_floats_become_ints(self) -> None:
        """600000.0 is stored as 600000, so equal values dump the same way."""
        block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, "600.000 Soldaten")
        quantity = Quantity(600_000.0, Bound.EXACT, Span(block, 0, 7), (Span(block, 8, 16),))
        assert quantity.value == 600_000
        assert type(quantity.value) is int
        assert quantity.text == "600.000"

    @pytest.mark.parametrize("value", [True, -1, math.nan, math.inf, "5"])
    def test_bad_values(self, value: Any) -> None:
        """Booleans, negatives, NaN, infinity and text are not values."""
        block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, "5")
        with pytest.raises((TypeError, ValueError)):
            Quantity(value, Bound.EXACT, Span(block, 0, 1), (Span(block, 0, 1),))

    def test_an_int_too_large_for_a_double_is_refused(self) -> None:
        """The tables hold values as doubles: a larger int is a ValueError, not an overflow."""
        block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, "5")
        with pytest.raises(ValueError, match="must be finite"):
            Quantity(10**400, Bound.EXACT, Span(block, 0, 1), (Span(block, 0, 1),))
        largest = Quantity(10**300, Bound.EXACT, Span(block, 0, 1), (Span(block, 0, 1),))
        assert largest.value == 10**300

    def test_claimant(self) -> None:
        """A claim's claimant is its attribution's source; the newsroom's claims have none."""
        article = ukrnews.loads(_claims_doc(GOOD))
        (claim,) = article.claims
        assert claim.attribution is article.attributions[0]
        assert claim.claimant is None  # the attribution's source is unknown
        assert attrs.evolve(claim, attribution=None).claimant is None
        assert claim.quantities[0].measure.text == "gut"


class TestLoader:
    """Bad claims are refused at their field and line, by both back ends alike."""

    def test_good(self) -> None:
        """The example loads, and dumps writes it back the same."""
        article = ukrnews.loads(_claims_doc(GOOD))
        assert article.claims[0].quantities[0].value == 40
        assert ukrnews.loads(ukrnews.dumps(article)) == article

    @pytest.mark.parametrize(
        ("old", "new", "field", "kind", "line"),
        [
            ("value: 40", "value: 41", "q.value", ukrnews.SpanError, 21),
            ("value: 40", "value: '40.0'", "q.value", ukrnews.SchemaError, 21),
            ("value: 40", "value: 4e1", "q.value", ukrnews.SchemaError, 21),
            ("value: 40", "value: '-40'", "q.value", ukrnews.SchemaError, 21),
            ("bound: more_than", "bound: exact", "q.bound", ukrnews.SpanError, 22),
            ("bound: more_than", "bound: over", "q.bound", ukrnews.SchemaError, 22),
            ("text: über 40}", "text: '40'}", "q.bound", ukrnews.SpanError, 22),
            ("text: über 40}", "text: über}", "q.span", ukrnews.SpanError, 23),
            ("attribution: a1", "attribution: a2", "attribution", ukrnews.LinkError, 17),
            ("text: gut}", "text: sagte}", "q.measure[0]", ukrnews.SpanError, 25),
            ("    measure:", "    unit: Prozent\n    measure:", "q.unit", ukrnews.SpanError, 24),
        ],
    )
    def test_refused(
        self, old: str, new: str, field: str, kind: type[ukrnews.DataError], line: int
    ) -> None:
        """Each broken rule is its own error, at the field and line that break it."""
        text = _claims_doc(GOOD.replace(old, new, 1))
        assert text != _claims_doc(GOOD)
        for pure in (False, True):
            with pytest.raises(kind) as info:
                ukrnews.loads(text, source="c.yaml", pure=pure)
            assert _unlabelled(info.value.field) == "claims[0]." + field.replace(
                "q.", "quantities[0]."
            )
            assert info.value.line == line, str(info.value)

    def test_claim_outside_its_attribution(self) -> None:
        """A claim carried by an attribution lies inside its content."""
        text = _claims_doc(GOOD.replace("text: 'über 40 seien gut'}", "text: Er sagte}"))
        with pytest.raises(ukrnews.SpanError, match="inside its attribution 'a1'") as info:
            ukrnews.loads(text)
        assert _unlabelled(info.value.field) == "claims[0].spans[0]"

    def test_quantity_outside_its_claim(self) -> None:
        """A quantity's words lie inside its claim."""
        claim = GOOD.replace("text: 'über 40 seien gut'}", "text: seien gut}")
        with pytest.raises(ukrnews.SpanError, match="inside its claim") as info:
            ukrnews.loads(_claims_doc(claim))
        assert _unlabelled(info.value.field) == "claims[0].quantities[0].span"

    def test_duplicate_and_empty(self) -> None:
        """Claim ids are unique, and a claim has words."""
        twice = GOOD + GOOD.removeprefix("claims:\n")
        with pytest.raises(ukrnews.LinkError, match="duplicate id 'c1'"):
            ukrnews.loads(_claims_doc(twice))
        empty = "claims:\n- id: c1\n  spans: []\n"
        with pytest.raises(ukrnews.SchemaError, match="at least one span"):
            ukrnews.loads(_claims_doc(empty))

    def test_newsroom_claim_and_no_claims(self) -> None:
        """A claim without attribution is the newsroom's; `claims: []` is no claims."""
        plain = "claims:\n- id: c1\n  spans:\n  - {block: p1, text: Er sagte}\n"
        assert ukrnews.loads(_claims_doc(plain)).claims[0].attribution is None
        assert ukrnews.loads(_claims_doc("claims: []\n")).claims == ()


class TestBundled:
    """The bundled article's claims, as docs/annotation.md lists them."""

    def test_claims(self, bundled_article: ukrnews.Article) -> None:
        """Eleven claims; the claimants follow the attributions that carry them."""
        claims = {c.id: c for c in bundled_article.claims}
        assert len(claims) == 11
        claimants = {k: c.claimant.id if c.claimant else None for k, c in claims.items()}
        assert claimants == {
            "c1": "nato",
            "c2": None,
            "c3": None,
            "c4": None,
            "c5": "rutte",
            "c6": "rutte",
            "c7": "rutte",
            "c8": "rutte",
            "c9": None,
            "c10": "rutte",
            "c11": "rutte",
        }
        lines = source_text().split("\n")
        for claim in claims.values():
            for span in claim.spans:
                assert any(span.block.text in line for line in lines)

    def test_headline_restates_the_body_differently(self, bundled_article: ukrnews.Article) -> None:
        """The headline states Rutte's lower bound as a point value, as "Verluste"."""
        claims = {c.id: c for c in bundled_article.claims}
        (headline,), (body,), (teaser,) = (claims[k].quantities for k in ("c1", "c5", "c3"))
        assert (headline.value, headline.bound, headline.text) == (600_000, Bound.EXACT, "600.000")
        assert (body.value, body.bound, body.text) == (600_000, Bound.MORE_THAN, "Mehr als 600.000")
        assert body.measure.text == "russische Soldaten getötet oder verwundet"
        assert headline.measure.text == "Russische Verluste Soldaten"
        assert (teaser.value, teaser.bound, teaser.text) == (
            100_000,
            Bound.MORE_THAN,
            "Hunderttausender",
        )


def _jsonld_claims(doc: dict[str, Any]) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = doc.get("@reverse", {}).get("appearance", [])
    return claims


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _types(value: object) -> set[str]:
    if isinstance(value, dict):
        here = {value["@type"]} if "@type" in value else set()
        return here | {t for v in value.values() for t in _types(v)}
    if isinstance(value, list):
        return {t for v in value for t in _types(v)}
    return set()


class TestExports:
    """JSON-LD Claims with Observations, ninjs associations, rows and `ukrnews claims`."""

    def test_jsonld_bundled(self, bundled_article: ukrnews.Article) -> None:
        """Rutte's claim: text, author, appearance, and "Mehr als" as a minimum kept in words."""
        doc = ukrnews.to_jsonld(bundled_article)
        claims = {c["@id"].rsplit(":", 1)[1]: c for c in _jsonld_claims(doc)}
        c5 = claims["c5"]
        assert c5["@type"] == "Claim"
        assert c5["appearance"] == {"@id": doc["@id"]}
        assert c5["author"]["name"] == "Mark Rutte"
        (observation,) = c5["about"]
        assert observation == {
            "@type": "Observation",
            "variableMeasured": "russische Soldaten getötet oder verwundet",
            "minValue": 600_000,
            "description": "Mehr als 600.000",
            "additionalProperty": {"@type": "PropertyValue", "name": "bound", "value": "more_than"},
        }
        assert claims["c1"]["about"][0]["value"] == 600_000
        assert claims["c1"]["author"]["name"] == "Nato"
        assert "author" not in claims["c2"]  # the newsroom's own voice
        assert not {"ClaimReview", "Rating", "Review"} & _types(doc)
        assert not {"reviewRating", "claimReviewed", "itemReviewed"} & _keys(doc)

    # Annotated articles are slow to draw; the round trips elsewhere draw many more.
    @settings(max_examples=50)
    @given(articles(annotated=True))
    def test_every_article(self, article: ukrnews.Article) -> None:
        """One JSON-LD Claim per claim, the bound picking value, minValue or maxValue; rows
        locate each claim's first span and each quantity's words."""
        claims = _jsonld_claims(ukrnews.to_jsonld(article))
        assert [c["text"] for c in claims] == [c.text for c in article.claims]
        where = {
            Bound.EXACT: "value",
            Bound.ABOUT: "value",
            Bound.AT_LEAST: "minValue",
            Bound.MORE_THAN: "minValue",
            Bound.AT_MOST: "maxValue",
            Bound.LESS_THAN: "maxValue",
        }
        for node, claim in zip(claims, article.claims, strict=True):
            for observation, q in zip(node.get("about", []), claim.quantities, strict=True):
                assert observation[where[q.bound]] == q.value
                assert observation["description"] == q.text
                assert observation["additionalProperty"]["value"] == q.bound.value
        rows = ukrnews.claim_rows(article)
        assert [r["id"] for r in rows] == [c.id for c in article.claims]
        quantities = [(c, q) for c in article.claims for q in c.quantities]
        qrows = ukrnews.quantity_rows(article)
        assert len(qrows) == len(quantities)
        for row, claim in zip(rows, article.claims, strict=True):
            assert tuple(row) == CLAIM_COLUMNS
            assert row["text"] == claim.text
            assert (row["block"], row["start"]) == (claim.spans[0].block.id, claim.spans[0].start)
        for row, (claim, q) in zip(qrows, quantities, strict=True):
            assert tuple(row) == QUANTITY_COLUMNS
            assert (row["claim"], row["value"], row["bound"]) == (claim.id, q.value, q.bound.value)
            assert isinstance(row["start"], int)
            assert isinstance(row["end"], int)
            block = article.block(str(row["block"])).text
            assert block[row["start"] : row["end"]] == row["text"] == q.text

    def test_ninjs_claims(self, bundled_article: ukrnews.Article) -> None:
        """Each claim is a text association with rel "claim" and its claimant."""
        doc = ukrnews.to_ninjs(bundled_article)
        items = [a for a in doc["associations"] if a.get("rel") == "claim"]
        assert [a["name"] for a in items] == [f"c{n}" for n in range(1, 12)]
        assert items[4]["people"] == [{"name": "Mark Rutte", "rel": "claimant", "literal": "rutte"}]
        assert items[0]["organisations"][0]["literal"] == "nato"
        assert not {"people", "organisations", "places"} & set(items[1])

    def test_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`ukrnews claims` lists the rows; --speaker filters by claimant; CSV has the columns."""
        assert main(["claims", "--format", "jsonl"]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert rows == ukrnews.claim_rows(ukrnews.load())
        assert main(["claims", "--speaker", "rutte", "--format", "csv"]) == 0
        table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert tuple(table[0]) == CLAIM_COLUMNS
        assert [r[1] for r in table[1:]] == ["c5", "c6", "c7", "c8", "c10", "c11"]
        assert main(["claims", "--format", "table"]) == 0
        out = capsys.readouterr().out
        assert "(newsroom)" in out
        assert "more_than 600000" in out


class TestGuide:
    """The claims tables in docs/annotation.md are the data's."""

    def _section(self) -> str:
        text = (DOCS / "annotation.md").read_text(encoding="utf-8")
        return text.split("\n## Claims\n", 1)[1]

    def test_counts(self, bundled_article: ukrnews.Article) -> None:
        """Each documented count is recomputed from the bundled article."""
        claims = bundled_article.claims
        body = self._section().split("<!-- claims:start -->")[1].split("<!-- claims:end -->")[0]
        documented = {
            (cells[0], cells[1]): int(cells[2])
            for line in body.strip().splitlines()[2:]
            for cells in [[c.strip() for c in line.strip("|").split("|")]]
        }
        claimants = Counter(c.claimant.id for c in claims if c.claimant)
        bounds = Counter(q.bound.value for c in claims for q in c.quantities)
        assert documented == {
            ("claims", "all"): len(claims),
            ("claims", "with an attribution"): sum(c.attribution is not None for c in claims),
            ("claims", "newsroom's own voice"): sum(c.attribution is None for c in claims),
            **{("claimant", k): n for k, n in claimants.items()},
            ("quantities", "all"): sum(len(c.quantities) for c in claims),
            **{("bound", k): n for k, n in bounds.items()},
        }

    def test_listing(self, bundled_article: ukrnews.Article) -> None:
        """The listing names every claim with its block, attribution and words."""
        listed = [
            [c.strip() for c in line.strip("|").split("|")]
            for line in self._section().splitlines()
            if re.match(r"\| c\d+ \|", line)
        ]
        claims = bundled_article.claims
        assert [row[0] for row in listed] == [c.id for c in claims]
        for row, claim in zip(listed, claims, strict=True):
            assert row[1] == claim.spans[0].block.id
            attribution = claim.attribution
            assert row[2].endswith(f"({attribution.id})" if attribution else "newsroom")
            assert row[3] == claim.text
            assert [q.text for q in claim.quantities] == re.findall(r'"([^"]+)":', row[4])
