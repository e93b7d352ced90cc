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
