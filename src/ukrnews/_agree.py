"""Agreement between two annotations of the same article text (docs/annotation.md, Agreement).

Attributions are matched one to one, greedily by content overlap: a pair must share
at least half of their content's characters (Jaccard index of the (block, offset)
positions >= 0.5), the best pairs first; claims likewise by their spans.  The other
figures are counted over the matched pairs, as F1 over exact spans, or (entity
clusters) as B-cubed and MUC over the mentions both annotate.  Annotation A is the
reference: precision is matched / B, recall matched / A.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attr

from ._errors import DataError

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Sequence

    from ._model import Article, Attribution, Claim, Entity, Span

__all__ = ["Agreement", "AgreementScore", "ClusterScore", "agreement", "cohen_kappa"]

MIN_JACCARD: Final = 0.5
_T = TypeVar("_T")
# Which layer each table row and JSON key belongs to (`ukrnews agree --layer`).
LAYERS: Final = ("attributions", "entities", "claims")


@attr.frozen
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


@attr.frozen
class ClusterScore:
    """How B groups the mentions both annotate into entities, against A's grouping."""

    precision: float
    recall: float
    mentions: int

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0.0 if both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __str__(self) -> str:
        return (
            f"P {self.precision:.2f}, R {self.recall:.2f}, F1 {self.f1:.2f}"
            f" over {self.mentions} mentions in both"
        )


def _score_data(s: AgreementScore | ClusterScore) -> dict[str, Any]:
    """A score as plain data: its counts, then precision, recall and F1."""
    if isinstance(s, AgreementScore):
        counts = {"a": s.reference, "b": s.measured, "matched": s.matched}
    else:
        counts = {"mentions": s.mentions}
    return {**counts, "precision": s.precision, "recall": s.recall, "f1": s.f1}


@attr.frozen
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
    b_cubed: ClusterScore
    muc: ClusterScore
    claims: AgreementScore
    claim_pairs: tuple[tuple[str, str], ...]
    claimant: int
    quantities: AgreementScore

    def rows(self, layers: Sequence[str] = LAYERS) -> tuple[tuple[str, str], ...]:
        """(measure, value) rows of the given layers, as the table shows them."""
        k = self.attributions.matched

        def of(n: int, kappa: float | None = None, *, with_kappa: bool = False) -> str:
            if not with_kappa:
                return f"{n} of {k}"
            return f"{n} of {k} (Cohen's kappa {'n/a' if kappa is None else f'{kappa:.2f}'})"

        rows: dict[str, tuple[tuple[str, str], ...]] = {}
        rows["attributions"] = (
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
        )
        rows["entities"] = (
            ("entities", str(self.entities)),
            ("mentions, exact spans", str(self.mentions)),
            ("entity clusters, B³", str(self.b_cubed)),
            ("entity clusters, MUC", str(self.muc)),
        )
        claims = self.claims.matched
        rows["claims"] = (
            ("claims", str(self.claims)),
            ("claimant", f"{self.claimant} of {claims}"),
            ("quantities, exact value, bound and span", str(self.quantities)),
        )
        return tuple(row for layer in LAYERS if layer in layers for row in rows[layer])

    def table(self, layers: Sequence[str] = LAYERS) -> str:
        """The figures of the given layers as a Markdown table."""
        lines = ["| measure | agreement |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in self.rows(layers)]
        return "\n".join(lines) + "\n"

    def to_dict(self, layers: Sequence[str] = LAYERS) -> dict[str, Any]:
        """The figures of the given layers as plain data (for JSON)."""
        data: dict[str, Any] = {}
        if "entities" in layers:
            data |= {key: _score_data(getattr(self, key)) for key in ("entities", "mentions")}
            data |= {"b_cubed": _score_data(self.b_cubed), "muc": _score_data(self.muc)}
        if "claims" in layers:
            data |= {
                "claims": _score_data(self.claims),
                "claim_pairs": [list(p) for p in self.claim_pairs],
                "claimant": self.claimant,
                "quantities": _score_data(self.quantities),
            }
        if "attributions" not in layers:
            return data
        data |= {
            "attributions": _score_data(self.attributions),
            "pairs": [list(p) for p in self.pairs],
            "quotes": _score_data(self.quotes),
        }
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


def _match(
    a: Sequence[_T], b: Sequence[_T], spans: Callable[[_T], Sequence[Span]]
) -> list[tuple[_T, _T]]:
    """Pairs of A and B whose spans share >= MIN_JACCARD of their positions, best first."""
    mine = [_positions(spans(x)) for x in a]
    theirs = [_positions(spans(y)) for y in b]
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


def _chains(entities: Sequence[Entity], shared: set[Any]) -> dict[Any, frozenset[Any]]:
    """Each shared mention span's chain: the shared spans of the first entity that lists it."""
    found: dict[Any, frozenset[Any]] = {}
    for e in entities:
        chain = frozenset(k for k in _key(e.mentions) if k in shared)
        for k in chain:
            found.setdefault(k, chain)
    return found


def _clusters(a: Sequence[Entity], b: Sequence[Entity]) -> tuple[ClusterScore, ClusterScore]:
    """B-cubed and MUC scores of B's entity chains against A's, over the spans both list.

    B³ (Bagga & Baldwin 1998): per mention m, precision |A(m) ∩ B(m)| / |B(m)| and recall
    |A(m) ∩ B(m)| / |A(m)|, averaged over the mentions.  MUC (Vilain et al. 1995): recall
    sums |K| - |partition of K by B| over A's chains K, divided by the sum of |K| - 1;
    precision the other way round.  Each is 1.0 when there is nothing to score.
    """
    shared = {k for e in a for k in _key(e.mentions)} & {k for e in b for k in _key(e.mentions)}
    mine, theirs = _chains(a, shared), _chains(b, shared)
    n = len(shared)
    precision = sum(len(mine[m] & theirs[m]) / len(theirs[m]) for m in shared)
    recall = sum(len(mine[m] & theirs[m]) / len(mine[m]) for m in shared)
    b_cubed = ClusterScore(precision / n if n else 1.0, recall / n if n else 1.0, n)

    def muc(key: dict[Any, frozenset[Any]], response: dict[Any, frozenset[Any]]) -> float:
        chains = set(key.values())
        links = sum(len(c) - 1 for c in chains)
        found = sum(len(c) - len({response[m] for m in c}) for c in chains)
        return found / links if links else 1.0

    return b_cubed, ClusterScore(muc(theirs, mine), muc(mine, theirs), n)


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
    pairs = _match(a.attributions, b.attributions, lambda x: x.content)
    claim_pairs = _match(a.claims, b.claims, lambda x: x.spans)
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

    def same_claimant(x: Claim, y: Claim) -> bool:
        """Both the newsroom, both an unknown source, or sources that correspond."""
        if x.attribution is None or y.attribution is None:
            return x.attribution is None and y.attribution is None
        return same_source(x.attribution, y.attribution)

    def quantities(claims: Sequence[Claim]) -> set[Any]:
        return {(q.value, q.bound, _key((q.span,))) for c in claims for q in c.quantities}

    b_cubed, muc = _clusters(a.entities, b.entities)

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
        b_cubed=b_cubed,
        muc=muc,
        claims=AgreementScore(len(a.claims), len(b.claims), len(claim_pairs)),
        claim_pairs=tuple((x.id, y.id) for x, y in claim_pairs),
        claimant=sum(same_claimant(x, y) for x, y in claim_pairs),
        quantities=spans_score(quantities(a.claims), quantities(b.claims)),
    )
