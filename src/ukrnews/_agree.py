"""Agreement between two annotations of the same article text (docs/annotation.md, Agreement).

Attributions are matched one to one, greedily by content overlap: a pair must share
at least half of their content's characters (Jaccard index of the (block, offset)
positions >= 0.5), the best pairs first.  The other figures are counted over the
matched pairs, or as F1 over exact spans.  Annotation A is the reference: precision
is matched / B, recall matched / A.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._errors import DataError

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

    from ._model import Article, Attribution, Entity, Span

__all__ = ["Agreement", "AgreementScore", "agreement", "cohen_kappa"]

MIN_JACCARD: Final = 0.5


@attrs.frozen
class AgreementScore:
    """Items in the reference (A), in the other annotation (B), and matched between them."""

    reference: int
    measured: int
    matched: int

    @property
    def precision(self) -> float:
        """Matched / B (1.0 when B has none)."""
        return self.matched / self.measured if self.measured else 1.0

    @property
    def recall(self) -> float:
        """Matched / A (1.0 when A has none)."""
        return self.matched / self.reference if self.reference else 1.0

    @property
    def f1(self) -> float:
        """2 * matched / (A + B): the harmonic mean of precision and recall (1.0 if both empty)."""
        total = self.reference + self.measured
        return 2 * self.matched / total if total else 1.0

    def __str__(self) -> str:
        return (
            f"{self.matched} matched, A {self.reference}, B {self.measured}"
            f" (P {self.precision:.2f}, R {self.recall:.2f}, F1 {self.f1:.2f})"
        )


@attrs.frozen
class Agreement:
    """Every figure `agreement` computes; counts over matched pairs are "n of matched"."""

    attributions: AgreementScore
    pairs: tuple[tuple[str, str], ...]
    kind: int
    kind_kappa: float | None
    medium: int
    medium_kappa: float | None
    source: int
    parent: int
    cue: int
    content: int
    content_but_punctuation: int
    addressee: int
    evidence: int
    place: int
    quotes: AgreementScore
    entities: AgreementScore
    mentions: AgreementScore

    def rows(self) -> tuple[tuple[str, str], ...]:
        """(measure, value) rows, as the table shows them."""
        k = self.attributions.matched

        def of(n: int, kappa: float | None = None, *, with_kappa: bool = False) -> str:
            if not with_kappa:
                return f"{n} of {k}"
            return f"{n} of {k} (Cohen's kappa {'n/a' if kappa is None else f'{kappa:.2f}'})"

        return (
            ("attributions", str(self.attributions)),
            ("kind", of(self.kind, self.kind_kappa, with_kappa=True)),
            ("medium", of(self.medium, self.medium_kappa, with_kappa=True)),
            ("source", of(self.source)),
            ("parent", of(self.parent)),
            ("cue, exact spans", of(self.cue)),
            ("content, exact spans", of(self.content)),
            ("content, exact but for punctuation at the ends", of(self.content_but_punctuation)),
            ("addressee, exact spans", of(self.addressee)),
            ("evidence, exact spans", of(self.evidence)),
            ("place, exact spans", of(self.place)),
            ("quotes, exact spans", str(self.quotes)),
            ("entities", str(self.entities)),
            ("mentions, exact spans", str(self.mentions)),
        )

    def table(self) -> str:
        """The figures as a Markdown table."""
        lines = ["| measure | agreement |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in self.rows()]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain data (for JSON)."""

        def score(s: AgreementScore) -> dict[str, Any]:
            return {
                "a": s.reference,
                "b": s.measured,
                "matched": s.matched,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
            }

        data: dict[str, Any] = {
            "attributions": score(self.attributions),
            "pairs": [list(p) for p in self.pairs],
        }
        for key in ("quotes", "entities", "mentions"):
            data[key] = score(getattr(self, key))
        for key in (
            "kind",
            "kind_kappa",
            "medium",
            "medium_kappa",
            "source",
            "parent",
            "cue",
            "content",
            "content_but_punctuation",
            "addressee",
            "evidence",
            "place",
        ):
            data[key] = getattr(self, key)
        return data


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa, (p_o - p_e) / (1 - p_e), for paired labels; None where p_e is 1 or no pairs.

    p_o is the share of pairs with equal labels; p_e is the sum over labels of the
    product of the two annotators' shares of that label.
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in left) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _key(spans: Sequence[Span]) -> tuple[tuple[str, int, int], ...]:
    return tuple((s.block.id, s.start, s.end) for s in spans)


def _trimmed(spans: Sequence[Span]) -> tuple[tuple[str, int, int], ...]:
    """Span keys with punctuation and spaces at each end left out."""

    def loose(ch: str) -> bool:
        return ch.isspace() or unicodedata.category(ch).startswith("P")

    found = []
    for s in spans:
        text, start, end = s.block.text, s.start, s.end
        while start < end and loose(text[start]):
            start += 1
        while end > start and loose(text[end - 1]):
            end -= 1
        found.append((s.block.id, start, end))
    return tuple(found)


def _positions(spans: Sequence[Span]) -> set[tuple[str, int]]:
    return {(s.block.id, i) for s in spans for i in range(s.start, s.end)}


def _check_same_text(a: Article, b: Article) -> None:
    left = {x.id: x for x in a.blocks}
    right = {x.id: x for x in b.blocks}
    for block_id in sorted(left.keys() | right.keys()):
        x, y = left.get(block_id), right.get(block_id)
        if x is None or y is None:
            which = "A" if x is None else "B"
            raise DataError(
                f"A and B annotate different texts: block '{block_id}' is missing from {which}",
                field=block_id,
            )
        if x.text != y.text or x.role is not y.role:
            at = next(
                (i for i, (p, q) in enumerate(zip(x.text, y.text, strict=False)) if p != q),
                min(len(x.text), len(y.text)),
            )
            raise DataError(
                f"A and B annotate different texts: block '{block_id}' differs at {at}:"
                f" {x.text[at : at + 20]!r} in A, {y.text[at : at + 20]!r} in B",
                field=block_id,
            )


def _match_attributions(
    a: Sequence[Attribution], b: Sequence[Attribution]
) -> list[tuple[Attribution, Attribution]]:
    mine = [_positions(x.content) for x in a]
    theirs = [_positions(y.content) for y in b]
    candidates = []
    for i, p in enumerate(mine):
        for j, q in enumerate(theirs):
            shared = len(p & q)
            if shared and shared / len(p | q) >= MIN_JACCARD:
                candidates.append((-shared / len(p | q), i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return [(a[i], b[j]) for i, j in sorted(pairs)]


def _match_entities(a: Sequence[Entity], b: Sequence[Entity]) -> dict[str, str]:
    """Entity ids of A to those of B: most shared mention spans first, then equal names."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            shared = len(set(_key(x.mentions)) & set(_key(y.mentions)))
            same_name = x.name.casefold() == y.name.casefold()
            if shared or same_name:
                candidates.append((-shared, not same_name, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    found = {}
    for _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            found[a[i].id] = b[j].id
    return found


def agreement(a: Article, b: Article) -> Agreement:
    """Agreement of annotation B with reference A of the same text (a `DataError` if it differs)."""
    _check_same_text(a, b)
    pairs = _match_attributions(a.attributions, b.attributions)
    entity_map = _match_entities(a.entities, b.entities)
    partner = {x.id: y.id for x, y in pairs}

    def count(test: Any) -> int:
        return sum(bool(test(x, y)) for x, y in pairs)

    def same_source(x: Attribution, y: Attribution) -> bool:
        if x.source is None or y.source is None:
            return x.source is None and y.source is None
        return entity_map.get(x.source.id) == y.source.id

    def same_parent(x: Attribution, y: Attribution) -> bool:
        if x.parent is None or y.parent is None:
            return x.parent is None and y.parent is None
        return partner.get(x.parent.id) == y.parent.id

    def spans_score(left: set[Any], right: set[Any]) -> AgreementScore:
        return AgreementScore(len(left), len(right), len(left & right))

    return Agreement(
        attributions=AgreementScore(len(a.attributions), len(b.attributions), len(pairs)),
        pairs=tuple((x.id, y.id) for x, y in pairs),
        kind=count(lambda x, y: x.kind is y.kind),
        kind_kappa=cohen_kappa([(x.kind, y.kind) for x, y in pairs]),
        medium=count(lambda x, y: x.medium == y.medium),
        medium_kappa=cohen_kappa([(x.medium, y.medium) for x, y in pairs]),
        source=count(same_source),
        parent=count(same_parent),
        cue=count(lambda x, y: _key(x.cue) == _key(y.cue)),
        content=count(lambda x, y: _key(x.content) == _key(y.content)),
        content_but_punctuation=count(lambda x, y: _trimmed(x.content) == _trimmed(y.content)),
        addressee=count(lambda x, y: _key(x.addressee) == _key(y.addressee)),
        evidence=count(lambda x, y: _key(x.evidence) == _key(y.evidence)),
        place=count(lambda x, y: _key(x.place) == _key(y.place)),
        quotes=spans_score({_key(q.spans) for q in a.quotes}, {_key(q.spans) for q in b.quotes}),
        entities=AgreementScore(len(a.entities), len(b.entities), len(entity_map)),
        mentions=spans_score(
            {k for e in a.entities for k in _key(e.mentions)},
            {k for e in b.entities for k in _key(e.mentions)},
        ),
    )
