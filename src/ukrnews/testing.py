"""Hypothesis strategies that generate valid ukrnews articles, for our tests and yours.

Needs Hypothesis (``pip install ukrnews[testing]``); importing ``ukrnews``
alone never imports this module.  Builders follow attrs' style: an argument
left as None means "let Hypothesis choose".

>>> import ukrnews
>>> from hypothesis import given
>>> from ukrnews.testing import articles
>>> @given(articles(language="de"))
... def test_round_trip(article):
...     assert ukrnews.loads(ukrnews.dumps(article)) == article
"""

from __future__ import annotations

import functools
import string
from fractions import Fraction
from typing import TYPE_CHECKING

from ._optional import require

try:
    from hypothesis import strategies as st
except ImportError:
    require("hypothesis", "testing")  # raises an ImportError that names the extra
    raise

from ._api import dumps
from ._format import BODY_KINDS, MEDIA
from ._model import (
    Article,
    Attribution,
    AttributionKind,
    Block,
    BlockRole,
    Bound,
    Claim,
    Corpus,
    Entity,
    EntityKind,
    Excluded,
    ExternalId,
    ImageCredit,
    Medium,
    Party,
    PartyRole,
    Provenance,
    Quantity,
    Quote,
    Span,
    link_quotes,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "HOSTILE",
    "articles",
    "attributions",
    "blocks",
    "claims",
    "corpora",
    "entities",
    "ids",
    "number_words",
    "spans",
    "texts",
    "yaml_documents",
]

#: Characters that break naive YAML and text handling; generated text leans on them.
HOSTILE = (
    "\u00a0\u0085\u2028\u2029\ufeff\u200b\u200e\u200f\u202e\u0300\u0301\u05d0\u0627"
    "\U0001f600\U00010348\x00\x01\x07\x1b\x7f\t\r\n \"'\\:#&*!|>%@`{}[],-?~"
    "äöüßÄÖÜ€©–—„“”«»…"
)

_LOWER = tuple(string.ascii_lowercase)
_TEXT_ALPHABET = st.characters(codec="utf-8")  # every code point but surrogates


def texts(
    *, min_size: int = 1, max_size: int = 60, hostile: bool | None = None
) -> st.SearchStrategy[str]:
    """Text that an article may hold: all of Unicode but lone surrogates.

    ``hostile=True`` draws mostly from `HOSTILE` (NBSP, U+0085, U+2028/9, BOM,
    controls, combining marks, right-to-left and astral characters, YAML
    indicators); ``False`` from all of Unicode; None mixes both, and adds very
    long lines and lines with trailing spaces.
    """
    return _texts(min_size, max_size, hostile)


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Valid ids (a-z, then a-z, 0-9, ``_`` or ``-``), optionally with a fixed prefix."""
    return _ids(prefix)


# Strategies are immutable, so one object per set of arguments serves every draw:
# Hypothesis validates a strategy the first time it draws from that object, and the
# composite strategies below ask for these anew on every draw.


@functools.cache
def _texts(min_size: int, max_size: int, hostile: bool | None) -> st.SearchStrategy[str]:
    wild = st.text(_TEXT_ALPHABET, min_size=min_size, max_size=max_size)
    nasty = st.text(
        st.sampled_from(HOSTILE) | st.sampled_from(string.ascii_letters),
        min_size=min_size,
        max_size=max_size,
    )
    if hostile is not None:
        return nasty if hostile else wild
    long_lines = st.builds(
        lambda piece, times: piece * times,
        st.text(_TEXT_ALPHABET, min_size=1, max_size=8),
        st.integers(200, 1000),
    )
    trailing = st.builds(lambda text, pad: text + " " * pad, wild, st.integers(1, 3))
    return st.one_of(wild, nasty, long_lines, trailing)


@functools.cache
def _ids(prefix: str) -> st.SearchStrategy[str]:
    rest = st.text(string.ascii_lowercase + string.digits + "_-", max_size=6)
    return st.builds(lambda first, tail: prefix + first + tail, st.sampled_from(_LOWER), rest)


def blocks(
    *,
    block_id: str | None = None,
    role: BlockRole | None = None,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Block]:
    """A text block; body roles (paragraph, subheading) unless ``role`` is given."""
    return st.builds(
        Block,
        id=st.just(block_id) if block_id is not None else ids("b"),
        role=st.just(role) if role is not None else st.sampled_from(list(BODY_KINDS.values())),
        text=text if text is not None else texts(),
    )


@st.composite
def spans(draw: st.DrawFn, block: Block, *, inside: Span | None = None) -> Span:
    """A non-empty span of ``block`` (inside the span ``inside`` if given)."""
    low, high = (0, len(block.text)) if inside is None else (inside.start, inside.end)
    start = draw(st.integers(low, high - 1))
    end = draw(st.integers(start + 1, high))
    return Span(block, start, end)


@st.composite
def entities(
    draw: st.DrawFn,
    article_blocks: Sequence[Block],
    *,
    entity_id: str | None = None,
    max_mentions: int = 3,
) -> Entity:
    """An entity whose mentions are spans of ``article_blocks``; its title, if any, is in one."""
    mentions = tuple(
        draw(
            st.lists(
                st.sampled_from(article_blocks).flatmap(spans),
                max_size=max_mentions,
                unique_by=lambda s: (s.block.id, s.start, s.end),  # nested, never twice
            )
        )
    )
    title = None
    if len(mentions) > 0 and draw(st.booleans()):
        mention = draw(st.sampled_from(mentions))
        inner = draw(spans(mention.block, inside=mention))
        title = inner.text
    return Entity(
        id=entity_id if entity_id is not None else draw(ids("e")),
        kind=draw(st.sampled_from(EntityKind)),
        name=draw(texts(max_size=20)),
        title=title,
        mentions=mentions,
        external_ids=tuple(
            draw(
                st.lists(
                    st.builds(ExternalId, texts(max_size=8), texts(max_size=8), texts()), max_size=1
                )
            )
        ),
    )


_MEDIA = st.lists(st.sampled_from(list(MEDIA.values())), min_size=1, max_size=3)


@st.composite
def attributions(
    draw: st.DrawFn,
    article_parts: tuple[Sequence[Block], Sequence[Entity]],
    *,
    attribution_id: str | None = None,
    parent: Attribution | None = None,
) -> Attribution:
    """An attribution over ``article_parts`` = (blocks, entities); nested in ``parent`` if given."""
    article_blocks, known = article_parts
    if parent is not None:
        outer = draw(st.sampled_from(parent.content))
        content: tuple[Span, ...] = (draw(spans(outer.block, inside=outer)),)
    else:
        content = tuple(
            draw(st.lists(st.sampled_from(article_blocks).flatmap(spans), min_size=1, max_size=2))
        )

    def some() -> tuple[Span, ...]:
        return tuple(draw(st.lists(st.sampled_from(article_blocks).flatmap(spans), max_size=1)))

    medium = Medium(0)
    for m in draw(_MEDIA):
        medium |= m
    return Attribution(
        id=attribution_id if attribution_id is not None else draw(ids("a")),
        kind=draw(st.sampled_from(AttributionKind)),
        medium=medium,
        source=draw(st.none() | st.sampled_from(known)) if known else None,
        content=content,
        cue=some(),
        source_mentions=some(),
        addressee=some(),
        evidence=some(),
        place=some(),
        parent=parent,
    )


# Number words are written here independently of the loader's reader, so that the
# round trip checks the reader against a second spelling of the rule in docs/annotation.md.
_QUALIFIER_WORDS: dict[Bound, tuple[str, ...]] = {
    Bound.EXACT: ("",),
    Bound.ABOUT: ("rund", "etwa", "ungefähr", "circa", "ca."),
    Bound.AT_LEAST: ("mindestens", "wenigstens"),
    Bound.MORE_THAN: ("mehr als", "über"),
    Bound.AT_MOST: ("höchstens", "maximal", "bis zu"),
    Bound.LESS_THAN: ("weniger als", "unter"),
}
_ONE_TO_NINE = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_TEN_TO_NINETEEN = [
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
]
_DECADES = ["zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]
_PLURAL_WORDS = (
    *(
        (f"{stem}{end}", base)
        for stem, base in (("Hundert", 100), ("Tausend", 1000))
        for end in ("e", "en")
    ),
    ("Dutzende", 12),
    ("Zehntausende", 10_000),
    ("Hunderttausende", 100_000),
    ("Hunderttausender", 100_000),
    ("Millionen", 10**6),
    ("Milliarden", 10**9),
)


def _spell_small(n: int, *, alone: bool) -> str:
    """1 to 99 in German words ("einundzwanzig"); ``alone`` writes 1 as "eins"."""
    if n < 10:
        return "eins" if n == 1 and alone else _ONE_TO_NINE[n - 1]
    if n < 20:
        return _TEN_TO_NINETEEN[n - 10]
    tens, ones = divmod(n, 10)
    decade = _DECADES[tens - 2]
    return f"{_ONE_TO_NINE[ones - 1]}und{decade}" if ones else decade


def _spell_hundreds(n: int, *, alone: bool) -> str:
    hundreds, rest = divmod(n, 100)
    head = f"{_ONE_TO_NINE[hundreds - 1]}hundert" if hundreds else ""
    return head + (_spell_small(rest, alone=alone) if rest else "")


def _spell(n: int) -> str:
    """A whole number below a million in German words, as one word ("zweihunderttausend")."""
    if n == 0:
        return "null"
    thousands, rest = divmod(n, 1000)
    head = f"{_spell_hundreds(thousands, alone=False)}tausend" if thousands else ""
    return head + (_spell_hundreds(rest, alone=True) if rest else "")


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def number_words(draw: st.DrawFn) -> tuple[str, int | float, Bound]:
    """A quantity's words with the value and bound they state ("Mehr als 600.000", 600000, ...).

    Digits with German grouping and a decimal comma, number words, a scale word
    ("2 Millionen") or a plural count word ("Hunderttausender"), after a qualifier.
    """
    form = draw(st.sampled_from(["digits", "decimal", "words", "scale", "plural"]))
    if form == "plural":
        word, base = draw(st.sampled_from(_PLURAL_WORDS))
        return word, base, Bound.MORE_THAN
    bound = draw(st.sampled_from(Bound))
    value: int | float
    if form == "digits":
        value = draw(st.integers(0, 10**15))
        words = _grouped(value) if draw(st.booleans()) else str(value)
    elif form == "decimal":
        whole, fraction = (
            draw(st.integers(0, 10**6)),
            draw(st.text("0123456789", max_size=3)) + draw(st.sampled_from("123456789")),
        )
        value = float(Fraction(f"{whole}.{fraction}"))
        words = f"{_grouped(whole)},{fraction}"
    elif form == "words":
        value = draw(st.integers(0, 999_999))
        words = _spell(value)
    else:
        amount = draw(st.integers(1, 999))
        name, scale = draw(st.sampled_from([("Million", 10**6), ("Milliarde", 10**9)]))
        if amount == 1:
            words = f"{draw(st.sampled_from(['eine', 'einer', '1']))} {name}"
        else:
            spelled = _spell(amount) if draw(st.booleans()) else str(amount)
            words = f"{spelled} {name}{'n' if name.endswith('e') else 'en'}"
        value = amount * scale
    qualifier = draw(st.sampled_from(_QUALIFIER_WORDS[bound]))
    words = f"{qualifier} {words}" if qualifier else words
    if draw(st.booleans()):
        words = words[0].upper() + words[1:]
    return words, value, bound


@st.composite
def claims(
    draw: st.DrawFn,
    article_parts: tuple[Sequence[Block], Sequence[Attribution]],
    *,
    claim_id: str | None = None,
    numbers: Sequence[tuple[Span, int | float, Bound]] = (),
) -> Claim:
    """A claim over ``article_parts`` = (blocks, attributions).

    With ``numbers`` (each the span of a quantity's words, its value and bound, all
    in one block), the claim spans them and states them as its quantities; otherwise it
    lies in a drawn attribution's content, or anywhere for the newsroom's own voice.
    """
    article_blocks, carriers = article_parts
    quantities: list[Quantity] = []
    if numbers:
        block = numbers[0][0].block
        start = draw(st.integers(0, min(s.start for s, _, _ in numbers)))
        end = draw(st.integers(max(s.end for s, _, _ in numbers), len(block.text)))
        claim_spans: tuple[Span, ...] = (Span(block, start, end),)
        around = claim_spans[0]
        found = [a for a in carriers if any(c.contains(around) for c in a.content)]
        attribution = draw(st.none() | st.sampled_from(found)) if found else None
        for span, value, bound in numbers:
            measure = draw(st.lists(spans(block, inside=around), min_size=1, max_size=2))
            unit = draw(st.none() | spans(block, inside=around).map(lambda s: s.text))
            quantities.append(Quantity(value, bound, span, tuple(measure), unit))
    else:
        attribution = draw(st.none() | st.sampled_from(carriers)) if carriers else None
        if attribution is not None:
            outer = draw(st.sampled_from(attribution.content))
            claim_spans = (draw(spans(outer.block, inside=outer)),)
        else:
            claim_spans = tuple(
                draw(
                    st.lists(st.sampled_from(article_blocks).flatmap(spans), min_size=1, max_size=2)
                )
            )
    return Claim(
        id=claim_id if claim_id is not None else draw(ids("c")),
        spans=claim_spans,
        attribution=attribution,
        quantities=tuple(quantities),
    )


# An image's blocks: its id, credit line, and optional title and caption.
_ImageBlocks = tuple[str, Block, Block | None, Block | None]
# A number written into the first body block: its span, value and bound.
_Number = tuple[Span, int | float, Bound]


@st.composite
def articles(
    draw: st.DrawFn,
    *,
    language: str | None = None,
    min_blocks: int = 1,
    max_blocks: int = 4,
    annotated: bool | None = None,
    text: st.SearchStrategy[str] | None = None,
) -> Article:
    """A valid article: blocks of any Unicode text, and (if ``annotated``) a random annotation.

    ``text`` replaces the strategy for all block text (default: `texts`).
    """
    text = text if text is not None else texts()
    lang = (
        language
        if language is not None
        else draw(st.sampled_from(["de", "en", "uk", "ar", "de-AT"]))
    )
    all_blocks, images = _front_blocks(draw, text)
    body_ids = draw(st.lists(ids("p"), min_size=min_blocks, max_size=max_blocks, unique=True))
    body = [draw(blocks(block_id=i, text=text)) for i in body_ids]
    annotate = draw(st.booleans()) if annotated is None else annotated
    numbers = _write_numbers(draw, body) if annotate else []
    all_blocks.extend(body)
    agencies = _back_blocks(draw, text, all_blocks)
    excluded = tuple(
        draw(
            st.lists(
                st.builds(Excluded, text=texts(max_size=20), reason=texts(max_size=20)), max_size=2
            )
        )
    )
    known, found, quotes = _annotation(draw, all_blocks) if annotate else ([], [], [])
    image_credits = [_image_credit(draw, image, known) for image in images]
    link_quotes(quotes)
    found_claims = _article_claims(draw, all_blocks, found, numbers) if annotate else []
    return Article(
        id=draw(ids("art")),
        language=lang,
        blocks=tuple(all_blocks),
        image_credits=tuple(image_credits),
        agencies=agencies,
        excluded=excluded,
        entities=tuple(known),
        attributions=tuple(found),
        quotes=tuple(quotes),
        published=draw(st.none() | texts(max_size=25)),
        url=draw(st.none() | texts(max_size=25)),
        publisher=draw(st.none() | texts(max_size=25)),
        claims=tuple(found_claims),
    )


def _maybe_block(
    draw: st.DrawFn, block_id: str, role: BlockRole, text: st.SearchStrategy[str]
) -> Block | None:
    """A block of this id and role, or (half the time) none."""
    return Block(block_id, role, draw(text)) if draw(st.booleans()) else None


def _front_blocks(
    draw: st.DrawFn, text: st.SearchStrategy[str]
) -> tuple[list[Block], list[_ImageBlocks]]:
    """The blocks before the body: kicker, headline, images' blocks, teaser; and the images."""
    front = [_maybe_block(draw, "kicker", BlockRole.KICKER, text)]
    front.append(Block("headline", BlockRole.HEADLINE, draw(text)))
    images: list[_ImageBlocks] = []
    for image_id in draw(st.lists(ids("img"), max_size=2, unique=True)):
        title = _maybe_block(draw, f"{image_id}.title", BlockRole.IMAGE_TITLE, text)
        caption = _maybe_block(draw, f"{image_id}.caption", BlockRole.CAPTION, text)
        credit = Block(f"{image_id}.credit_line", BlockRole.CREDIT_LINE, draw(text))
        front.extend((title, caption, credit))
        images.append((image_id, credit, title, caption))
    front.append(_maybe_block(draw, "teaser", BlockRole.TEASER, text))
    return [b for b in front if b is not None], images


def _write_numbers(draw: st.DrawFn, body: list[Block]) -> list[_Number]:
    """Append number words to the first body block (for quantities); their spans."""
    ends = []
    written = draw(st.lists(number_words(), max_size=2))
    for words, _, _ in written:
        first = body[0]
        body[0] = Block(first.id, first.role, f"{first.text} {words}")
        ends.append(len(body[0].text))
    return [
        (Span(body[0], end - len(words), end), value, bound)
        for (words, value, bound), end in zip(written, ends, strict=True)
    ]


def _back_blocks(
    draw: st.DrawFn, text: st.SearchStrategy[str], all_blocks: list[Block]
) -> tuple[str, ...]:
    """Append an agency line and an author code, either maybe; the agencies named."""
    agencies: tuple[str, ...] = ()
    if draw(st.booleans()):
        line = Block("agency_line", BlockRole.AGENCY_LINE, draw(text))
        all_blocks.append(line)
        agencies = tuple(s.text for s in draw(st.lists(spans(line), max_size=2)))
    author_code = _maybe_block(draw, "author_code", BlockRole.AUTHOR_CODE, text)
    all_blocks.extend(b for b in (author_code,) if b is not None)
    return agencies


def _annotation(
    draw: st.DrawFn, all_blocks: list[Block]
) -> tuple[list[Entity], list[Attribution], list[Quote]]:
    """Entities, attributions (each may nest in an earlier one) and quotes inside contents."""
    known = [
        draw(entities(all_blocks, entity_id=entity_id))
        for entity_id in draw(st.lists(ids("e"), max_size=3, unique=True))
    ]
    found: list[Attribution] = []
    for n in range(draw(st.integers(0, 4))):
        parent = draw(st.none() | st.sampled_from(found)) if found else None
        found.append(draw(attributions((all_blocks, known), attribution_id=f"a{n}", parent=parent)))
    quotes = []
    for n, attribution in enumerate(found):
        if draw(st.booleans()):
            inner = draw(spans(attribution.content[0].block, inside=attribution.content[0]))
            quotes.append(Quote(f"q{n}", (inner,), attribution, draw(st.booleans())))
    return known, found, quotes


def _image_credit(draw: st.DrawFn, image: _ImageBlocks, known: list[Entity]) -> ImageCredit:
    """An image's credit: parties among the known entities, maybe a provenance in its caption."""
    image_id, credit, title, caption = image
    parties: tuple[Party, ...] = ()
    provenance = None
    if known:
        party = st.builds(Party, st.sampled_from(known), st.sampled_from(PartyRole), spans(credit))
        parties = tuple(draw(st.lists(party, max_size=2)))
        if caption is not None and draw(st.booleans()):
            provenance = Provenance(
                (draw(spans(caption)),),
                draw(st.none() | st.sampled_from(known)),
                draw(st.none() | st.booleans()),
            )
    return ImageCredit(image_id, credit, title, caption, parties, provenance)


def _article_claims(
    draw: st.DrawFn, all_blocks: list[Block], found: list[Attribution], numbers: list[_Number]
) -> list[Claim]:
    """Claims anywhere, and claims that hold the written numbers (together or one each)."""
    parts = (all_blocks, found)
    found_claims = [draw(claims(parts, claim_id=f"c{n}")) for n in range(draw(st.integers(0, 2)))]
    if numbers:
        groups = [numbers] if draw(st.booleans()) else [[n] for n in numbers]
        found_claims.extend(
            draw(claims(parts, claim_id=f"cq{n}", numbers=group)) for n, group in enumerate(groups)
        )
    return found_claims


@st.composite
def corpora(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 3) -> Corpus:
    """A corpus of articles with distinct ids."""
    found = draw(
        st.lists(articles(), min_size=min_size, max_size=max_size, unique_by=lambda a: a.id)
    )
    return Corpus(tuple(found))


def yaml_documents(*, pure: bool = False, **kwargs: object) -> st.SearchStrategy[str]:
    """Valid YAML text of an article (arguments as for `articles`)."""
    return articles(**kwargs).map(lambda a: dumps(a, pure=pure))  # type: ignore[arg-type]
