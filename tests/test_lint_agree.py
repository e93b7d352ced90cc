"""`ukrnews lint` and `ukrnews agree`: small hand-made cases for each warning and each figure."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import attrs
import pytest

import ukrnews
from helpers import bundled_path
from ukrnews._agree import cohen_kappa
from ukrnews._cli import main
from ukrnews._model import AttributionKind, Medium, Span

if TYPE_CHECKING:
    from pathlib import Path

TEXT = "Rutte sagte, es sei „gut“. Die Nato warnte. Nato und Rutte schwiegen, teilte sie mit."
HEAD = f"""\
id: lint
language: de
headline: Titel
body:
- id: p1
  kind: paragraph
  text: '{TEXT}'
"""
ANNOTATION = """\
entities:
- id: rutte
  kind: person
  name: Rutte
  mentions:
  - {block: p1, start: 0, end: 5, text: Rutte}
attributions:
- id: a1
  kind: indirect
  medium: speech
  source: rutte
  cue:
  - {block: p1, start: 6, end: 11, text: sagte}
  content:
  - {block: p1, start: 13, end: 25, text: es sei „gut“}
"""


def _rules(text: str) -> list[tuple[str, str]]:
    return [(w.rule, w.message) for w in ukrnews.lint_text(text)]


def test_lint_warns_of_each_rule() -> None:
    warnings = ukrnews.lint_text(HEAD + ANNOTATION, source="a.yaml")
    assert [str(w) for w in warnings] == [
        "a.yaml:7:9: body[0].text: p1[21:24] 'gut' is quoted but not a quote",
        "a.yaml:7:9: body[0].text: p1[53:58] 'Rutte' is not a mention of 'rutte'",
        (
            "a.yaml:7:9: body[0].text: p1[27:43]: 'warnte' is a verb of saying,"
            " but no attribution is in this sentence"
        ),
        (
            "a.yaml:7:9: body[0].text: p1[44:85]: 'teilte ... mit' is a verb of saying,"
            " but no attribution is in this sentence"
        ),
        (
            "a.yaml:15:3: attributions[0]: a1: its source 'rutte' is named in its sentence"
            " (p1[0:5] 'Rutte'), but source_mentions is empty"
        ),
    ]
    assert {w.rule for w in warnings} == {"unquoted", "mention", "cue", "source"}


def test_lint_is_quiet_once_annotated() -> None:
    article = ukrnews.loads(HEAD + ANNOTATION)
    block = article.block("p1")
    rutte = attrs.evolve(article.entities[0], mentions=(Span(block, 0, 5), Span(block, 53, 58)))
    a1 = attrs.evolve(article.attributions[0], source=rutte, source_mentions=(Span(block, 0, 5),))
    nato_mentions = (Span(block, 31, 35), Span(block, 44, 48))
    nato = ukrnews.Entity("nato", ukrnews.EntityKind.ORGANISATION, "Nato", None, nato_mentions)
    # "Die Nato warnte." and "..., teilte sie mit." each get an attribution over a word.
    said = [
        ukrnews.Attribution(
            f"a{n}",
            AttributionKind.REPORTED,
            Medium.SPEECH,
            nato,
            (Span(block, s, e),),
            source_mentions=(mention,),
        )
        for n, (s, e), mention in ((2, (36, 42), nato_mentions[0]), (3, (70, 76), nato_mentions[1]))
    ]
    quote = ukrnews.Quote("q1", (Span(block, 21, 24),), a1)
    done = attrs.evolve(article, entities=(rutte, nato), attributions=(a1, *said), quotes=(quote,))
    assert ukrnews.lint(done) == ()


def test_lint_skips_pronouns_and_compounds() -> None:
    text = (
        HEAD.replace(TEXT, "Er sagte: Nato-Vertreter und er.")
        + """\
entities:
- id: x
  kind: person
  name: Nato
  mentions:
  - {block: p1, start: 0, end: 2, text: Er}
attributions:
- id: a1
  kind: indirect
  medium: speech
  source: x
  source_mentions:
  - {block: p1, start: 0, end: 2, text: Er}
  cue:
  - {block: p1, start: 3, end: 8, text: sagte}
  content:
  - {block: p1, start: 10, end: 24, text: Nato-Vertreter}
"""
    )
    assert _rules(text) == []


def test_lint_of_the_bundled_article_is_quiet() -> None:
    with open(bundled_path(), encoding="utf-8") as handle:  # noqa: PTH123 - a str path
        assert ukrnews.lint_text(handle.read()) == ()


def test_lint_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + ANNOTATION, encoding="utf-8")
    assert main(["lint", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 5
    assert out.startswith(f"{path}:7:9: body[0].text:")
    assert main(["lint", "--strict", str(path)]) == 1
    assert main(["lint", "--strict", bundled_path()]) == 0
    path.write_text(HEAD.replace("id: lint", "id: Lint"), encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    assert "expected an id" in capsys.readouterr().err


def _article(kinds: list[str], media: list[Medium] | None = None) -> ukrnews.Article:
    """One paragraph of numbered words with one attribution over each word."""
    text = " ".join(f"w{n}" for n in range(len(kinds)))
    block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, text)
    title = ukrnews.Block("headline", ukrnews.BlockRole.HEADLINE, "Titel")
    media = media or [Medium.SPEECH] * len(kinds)
    attributions = tuple(
        ukrnews.Attribution(
            f"a{n}",
            AttributionKind(kind),
            medium,
            None,
            (Span(block, 3 * n, 3 * n + 2),),
        )
        for n, (kind, medium) in enumerate(zip(kinds, media, strict=True))
    )
    return ukrnews.Article("x", "de", (title, block), attributions=attributions)


def test_agree_with_itself_is_perfect() -> None:
    (bundled,) = ukrnews.load().articles
    found = ukrnews.agreement(bundled, bundled)
    k = len(bundled.attributions)
    assert found.attributions == ukrnews.AgreementScore(k, k, k)
    assert found.attributions.f1 == found.quotes.f1 == found.entities.f1 == 1.0
    assert found.mentions.f1 == 1.0
    assert found.kind_kappa == found.medium_kappa == 1.0
    counts = (found.kind, found.medium, found.source, found.parent, found.cue, found.content)
    assert counts == (k,) * 6
    assert (found.addressee, found.evidence, found.place) == (k, k, k)
    assert found.content_but_punctuation == k
    assert found.pairs == tuple((a.id, a.id) for a in bundled.attributions)


def test_agree_kappa_worked_by_hand() -> None:
    # Four matched pairs; kinds A: direct, direct, indirect, reported;
    #                          B: direct, indirect, indirect, indirect.
    # p_o = 2/4 (pairs 1 and 3 agree).
    # A's shares: direct 2/4, indirect 1/4, reported 1/4; B's: direct 1/4, indirect 3/4.
    # p_e = (2/4)(1/4) + (1/4)(3/4) + (1/4)(0) = 2/16 + 3/16 = 5/16.
    # kappa = (8/16 - 5/16) / (1 - 5/16) = (3/16) / (11/16) = 3/11 = 0.2727...
    a = _article(["direct", "direct", "indirect", "reported"])
    b = _article(["direct", "indirect", "indirect", "indirect"])
    found = ukrnews.agreement(a, b)
    assert found.kind == 2
    assert found.kind_kappa == pytest.approx(3 / 11)
    assert dict(found.rows())["kind"] == "2 of 4 (Cohen's kappa 0.27)"
    # Medium is speech in all eight: p_e = 1, so kappa is undefined.
    assert found.medium == 4
    assert found.medium_kappa is None
    assert dict(found.rows())["medium"] == "4 of 4 (Cohen's kappa n/a)"


def test_cohen_kappa_edges() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("x", "x")] * 3) is None
    # Complete disagreement on two balanced labels: p_o = 0, p_e = 1/2, kappa = -1.
    assert cohen_kappa([("x", "y"), ("y", "x")]) == -1.0


def test_agree_matching_precision_recall_and_roles() -> None:
    a = _article(["direct", "direct", "direct"])
    block = a.block("p1")
    # B: the first as in A; the second over a word and a half of A's (Jaccard 2/5: no
    # match); the third has content one character longer (Jaccard 2/3: matched, not exact).
    first, second, third = a.attributions
    b = attrs.evolve(
        a,
        attributions=(
            first,
            attrs.evolve(second, content=(Span(block, 3, 8),)),
            attrs.evolve(third, content=(Span(block, 6, 8), Span(block, 5, 6))),
        ),
    )
    found = ukrnews.agreement(a, b)
    assert found.pairs == (("a0", "a0"), ("a2", "a2"))
    assert found.attributions == ukrnews.AgreementScore(3, 3, 2)
    assert (found.attributions.precision, found.attributions.recall) == (2 / 3, 2 / 3)
    assert found.content == 1
    assert found.content_but_punctuation == 1


def test_agree_refuses_different_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _article(["direct"])
    changed = attrs.evolve(
        a, blocks=(a.blocks[0], ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, "w9"))
    )
    with pytest.raises(ukrnews.DataError, match="block 'p1' differs at 1: '0' in A, '9' in B"):
        ukrnews.agreement(a, changed)
    fewer = attrs.evolve(a, blocks=a.blocks[:1], attributions=())
    with pytest.raises(ukrnews.DataError, match="block 'p1' is missing from B"):
        ukrnews.agreement(a, fewer)
    ukrnews.dump(a, tmp_path / "a.yaml")
    ukrnews.dump(attrs.evolve(changed, attributions=()), tmp_path / "b.yaml")
    assert main(["agree", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]) == 1
    assert "b.yaml: p1: A and B annotate different texts" in capsys.readouterr().err


def test_agree_json_and_entity_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bundled,) = ukrnews.load().articles
    renamed = [attrs.evolve(e, id=f"other-{e.id}"[:64]) for e in bundled.entities]
    path = tmp_path / "b.yaml"
    text = ukrnews.dumps(bundled)
    for old, new in zip(bundled.entities, renamed, strict=True):
        text = text.replace(f"id: {old.id}\n", f"id: {new.id}\n")
        for key in ("source", "entity", "released_by"):
            text = text.replace(f"{key}: {old.id}\n", f"{key}: {new.id}\n")
    path.write_text(text, encoding="utf-8")
    assert main(["agree", "--format", "json", bundled_path(), str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == data["attributions"]["matched"] == len(bundled.attributions)
    assert data["entities"]["f1"] == 1.0
    assert data["kind_kappa"] == 1.0


def _words(n: int) -> tuple[ukrnews.Article, ukrnews.Block]:
    """An article of one paragraph "w0 w1 ... w(n-1)": word k is p1[3k:3k+2]."""
    block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, " ".join(f"w{k}" for k in range(n)))
    title = ukrnews.Block("headline", ukrnews.BlockRole.HEADLINE, "Titel")
    return ukrnews.Article("x", "de", (title, block)), block


def _entity(name: str, block: ukrnews.Block, words: list[int]) -> ukrnews.Entity:
    mentions = tuple(Span(block, 3 * k, 3 * k + 2) for k in words)
    return ukrnews.Entity(name.lower(), ukrnews.EntityKind.PERSON, name, None, mentions)


def test_agree_entity_clusters_worked_by_hand() -> None:
    # A: X = {w0, w1, w2}, Y = {w3, w4, w5}; B: P = {w0, w1, w2, w3, w4, w6}, one chain.
    # Mentions in both: M = {w0 .. w4} (w5 only in A, w6 only in B), so 5 scored.
    # B³ per mention (A(m), B(m) restricted to M):
    #   w0, w1, w2: A(m) = {w0, w1, w2}, B(m) = M: P = 3/5, R = 3/3 = 1;
    #   w3, w4:     A(m) = {w3, w4},     B(m) = M: P = 2/5, R = 2/2 = 1.
    #   P = (3 * 3/5 + 2 * 2/5) / 5 = (13/5) / 5 = 13/25; R = 1; F1 = 2(13/25) / (38/25) = 13/19.
    # MUC recall: A's chains in M, X = {w0, w1, w2} and Y = {w3, w4}, each in one B chain:
    #   ((3 - 1) + (2 - 1)) / ((3 - 1) + (2 - 1)) = 3/3 = 1.
    # MUC precision: B's chain M is split by A into 2 parts: (5 - 2) / (5 - 1) = 3/4.
    # Mentions: A 6, B 6, 5 exactly the same; entities: X and P share 3 spans, Y is unmatched.
    article, block = _words(7)
    a = attrs.evolve(
        article, entities=(_entity("X", block, [0, 1, 2]), _entity("Y", block, [3, 4, 5]))
    )
    b = attrs.evolve(article, entities=(_entity("P", block, [0, 1, 2, 3, 4, 6]),))
    found = ukrnews.agreement(a, b)
    assert found.b_cubed.mentions == found.muc.mentions == 5
    assert found.b_cubed.precision == pytest.approx(13 / 25)
    assert found.b_cubed.recall == pytest.approx(1.0)
    assert found.b_cubed.f1 == pytest.approx(13 / 19)
    assert (found.muc.precision, found.muc.recall) == (3 / 4, 1.0)
    assert found.muc.f1 == pytest.approx(6 / 7)
    assert found.mentions == ukrnews.AgreementScore(6, 6, 5)
    assert found.entities == ukrnews.AgreementScore(2, 1, 1)
    rows = dict(found.rows())
    assert rows["entity clusters, B³"] == "P 0.52, R 1.00, F1 0.68 over 5 mentions in both"
    assert rows["entity clusters, MUC"] == "P 0.75, R 1.00, F1 0.86 over 5 mentions in both"
    # Swapping A and B swaps precision and recall.
    back = ukrnews.agreement(b, a)
    assert (back.b_cubed.precision, back.b_cubed.recall) == pytest.approx((1.0, 13 / 25))
    assert (back.muc.precision, back.muc.recall) == (1.0, 3 / 4)
    # Nothing in both: nothing to score, and nothing wrong.
    empty = ukrnews.agreement(article, article)
    assert (empty.b_cubed.precision, empty.b_cubed.recall, empty.b_cubed.mentions) == (1, 1, 0)
    assert (empty.muc.precision, empty.muc.recall) == (1.0, 1.0)


def test_agree_claims_and_claimants_worked_by_hand() -> None:
    # A: c1 = w0 (by a0, source X), c2 = w1 (newsroom), c3 = "w2 w3" (by a1, source
    #    unknown), c4 = w5 (newsroom).
    # B: d1 = w0 and d2 = w1 (both by b0, source P, which corresponds to X), d3 = "w2 w3"
    #    (by b1, source unknown), d4 = "w5 w6" (newsroom).
    # Matching: c1-d1, c2-d2, c3-d3 share all positions (Jaccard 1); c4-d4 share 2 of 5
    #    (w5 of "w5 w6"): Jaccard 2/5 < 1/2, no match. Claims: A 4, B 4, matched 3, so
    #    precision, recall and F1 are all 3 of 4.
    # Claimant over the 3 pairs: c1-d1 X ~ P agrees; c2-d2 newsroom vs P does not;
    #    c3-d3 both unknown agrees: 2 of 3.
    article, block = _words(7)
    x, p = _entity("X", block, [0]), _entity("P", block, [0])

    def said(name: str, source: ukrnews.Entity | None, start: int, end: int) -> ukrnews.Attribution:
        content = (Span(block, start, end),)
        return ukrnews.Attribution(name, AttributionKind.INDIRECT, Medium.SPEECH, source, content)

    def claim(name: str, by: ukrnews.Attribution | None, start: int, end: int) -> ukrnews.Claim:
        return ukrnews.Claim(name, (Span(block, start, end),), by)

    a0, a1 = said("a0", x, 0, 2), said("a1", None, 6, 11)
    b0, b1 = said("b0", p, 0, 5), said("b1", None, 6, 11)
    a = attrs.evolve(
        article,
        entities=(x,),
        attributions=(a0, a1),
        claims=(
            claim("c1", a0, 0, 2),
            claim("c2", None, 3, 5),
            claim("c3", a1, 6, 11),
            claim("c4", None, 15, 17),
        ),
    )
    b = attrs.evolve(
        article,
        entities=(p,),
        attributions=(b0, b1),
        claims=(
            claim("d1", b0, 0, 2),
            claim("d2", b0, 3, 5),
            claim("d3", b1, 6, 11),
            claim("d4", None, 15, 20),
        ),
    )
    found = ukrnews.agreement(a, b)
    assert found.claims == ukrnews.AgreementScore(4, 4, 3)
    assert found.claims.f1 == 3 / 4
    assert found.claim_pairs == (("c1", "d1"), ("c2", "d2"), ("c3", "d3"))
    assert found.claimant == 2
    rows = dict(found.rows())
    assert rows["claims"] == "3 matched, A 4, B 4 (P 0.75, R 0.75, F1 0.75)"
    assert rows["claimant"] == "2 of 3"


def test_agree_quantities_worked_by_hand() -> None:
    # One claim over the whole sentence in each. A: "Mehr als 600" more_than 600, "20"
    # exact 20, "etwa 5" about 5. B: "600" more_than 600 (other span), "20" exact 20,
    # "etwa 5" exact 5 (other bound). Only "20" agrees in value, bound and span:
    # A 3, B 3, matched 1, P = R = F1 = 1/3.
    text = "Mehr als 600 Soldaten, 20 Panzer und etwa 5 Schiffe."
    block = ukrnews.Block("p1", ukrnews.BlockRole.PARAGRAPH, text)
    title = ukrnews.Block("headline", ukrnews.BlockRole.HEADLINE, "Titel")

    def at(words: str) -> Span:
        start = text.index(words)
        return Span(block, start, start + len(words))

    def quantity(value: int, bound: str, words: str) -> ukrnews.Quantity:
        return ukrnews.Quantity(value, ukrnews.Bound(bound), at(words), (at("Soldaten"),))

    def article(*quantities: ukrnews.Quantity) -> ukrnews.Article:
        claim = ukrnews.Claim("c1", (Span(block, 0, len(text) - 1),), None, quantities)
        return ukrnews.Article("x", "de", (title, block), claims=(claim,))

    a = article(
        quantity(600, "more_than", "Mehr als 600"),
        quantity(20, "exact", "20"),
        quantity(5, "about", "etwa 5"),
    )
    b = article(
        quantity(600, "more_than", "600"),
        quantity(20, "exact", "20"),
        quantity(5, "exact", "etwa 5"),
    )
    found = ukrnews.agreement(a, b)
    assert found.quantities == ukrnews.AgreementScore(3, 3, 1)
    assert found.claimant == 1
    assert dict(found.rows())["quantities, exact value, bound and span"] == (
        "1 matched, A 3, B 3 (P 0.33, R 0.33, F1 0.33)"
    )


def test_agree_layers(capsys: pytest.CaptureFixture[str]) -> None:
    (bundled,) = ukrnews.load().articles
    found = ukrnews.agreement(bundled, bundled)
    assert found.claims.f1 == found.quantities.f1 == found.b_cubed.f1 == found.muc.f1 == 1.0
    assert found.claimant == len(bundled.claims)
    names = [name for name, _ in found.rows(("claims",))]
    assert names == ["claims", "claimant", "quantities, exact value, bound and span"]
    assert found.table(("entities", "claims")).count("\n") == 2 + 7
    assert (
        main(["agree", "--layer", "claims", "--format", "json", bundled_path(), bundled_path()])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"claims", "claim_pairs", "claimant", "quantities"}
    assert main(["agree", "--layer", "entities", bundled_path(), bundled_path()]) == 0
    mentions = {(m.block.id, m.start, m.end) for e in bundled.entities for m in e.mentions}
    expected = f"| entity clusters, B³ | P 1.00, R 1.00, F1 1.00 over {len(mentions)} mentions"
    assert expected in capsys.readouterr().out
