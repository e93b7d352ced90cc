"""The typed model: frozen, slotted attrs classes compared and hashed by value.

Text lives in `Block` objects only; everything that points into the text
(`Span`) holds its block, so a span can show its own text and context.
"""

from __future__ import annotations

import enum
import sys
import weakref
from typing import TYPE_CHECKING, Final, overload

# attrs' classic namespace, here and in every module: the same functions as `attrs`, without
# importing the `attrs` package and its five modules of aliases (#16: import time).
import attr

from ._errors import LinkError
from ._value import Value

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "Article",
    "Attribution",
    "AttributionKind",
    "Block",
    "BlockRole",
    "Bound",
    "Claim",
    "Corpus",
    "Entity",
    "EntityKind",
    "Excluded",
    "ExternalId",
    "ImageCredit",
    "Medium",
    "Party",
    "PartyRole",
    "Provenance",
    "Quantity",
    "Quote",
    "SourceFile",
    "Span",
    "Spans",
]


class BlockRole(enum.Enum):
    """What a block of text is in the article."""

    KICKER = "kicker"
    HEADLINE = "headline"
    IMAGE_TITLE = "image_title"
    CAPTION = "caption"
    CREDIT_LINE = "credit_line"
    TEASER = "teaser"
    SUBHEADING = "subheading"
    PARAGRAPH = "paragraph"
    AGENCY_LINE = "agency_line"
    AUTHOR_CODE = "author_code"


BODY_ROLES = frozenset({BlockRole.PARAGRAPH, BlockRole.SUBHEADING})


class AttributionKind(enum.Enum):
    """The field's standard types of reported speech, thought and writing."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    FREE_INDIRECT = "free_indirect"
    REPORTED = "reported"


class Medium(enum.Flag):
    """How the attributed content was expressed; members combine (``SPEECH | WRITING``)."""

    SPEECH = enum.auto()
    THOUGHT = enum.auto()
    WRITING = enum.auto()

    @property
    def names(self) -> tuple[str, ...]:
        """The lower-case names of the members in this value, in definition order."""
        return tuple(m.name.lower() for m in Medium if m in self and m.name)


class EntityKind(enum.Enum):
    """What an entity is; a state or bloc that acts is `GEOPOLITICAL`, not a `PLACE`."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    #: A state or bloc of states (Ukraine, Russland, der Westen): territory and actor at once.
    GEOPOLITICAL = "geopolitical"


class PartyRole(enum.Enum):
    """A party's part in an image's supply chain, as its credit line names it."""

    ORIGINATING_AGENCY = "originating_agency"
    DISTRIBUTING_AGENCY = "distributing_agency"
    PHOTOGRAPHER = "photographer"
    COPYRIGHT_HOLDER = "copyright_holder"


@attr.frozen(eq=False, repr=False)
class Block(Value):
    """A unit of the article's text (headline, caption, paragraph, ...) with a stable id."""

    id: str
    role: BlockRole
    text: str


@attr.frozen(eq=False, repr=False)
class Span(Value):
    """Code-point offsets ``[start, end)`` into one block; its text is the block's text there."""

    block: Block
    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.start < self.end <= len(self.block.text):
            msg = (
                f"span [{self.start}:{self.end}] is outside block {self.block.id!r}"
                f" of length {len(self.block.text)}"
            )
            raise ValueError(msg)

    def __repr__(self) -> str:
        """The block's id, the offsets and the text: not the whole block again."""
        where = f"block={self.block.id!r}, start={self.start}, end={self.end}"
        return f"Span({where}, text={self.text!r})"

    @property
    def text(self) -> str:
        """The spanned text, exactly as in the block."""
        return self.block.text[self.start : self.end]

    def context(self, width: int = 40) -> str:
        """The span's text with up to ``width`` code points of its block on each side."""
        text = self.block.text
        return text[max(0, self.start - width) : self.end + width]

    def contains(self, other: Span) -> bool:
        """Whether ``other`` lies inside this span (same block)."""
        return (
            other.block.id == self.block.id and self.start <= other.start and other.end <= self.end
        )


#: How an attribution knows a quote of its own without holding it: see `Attribution.quotes`.
_QuoteLink = tuple["weakref.ref[Quote]", str, "Spans", bool]


def spans_text(spans: tuple[Span, ...]) -> str:
    """The text of a (possibly discontinuous) role: its spans joined by a space."""
    return " ".join(s.text for s in spans)


class Spans(tuple[Span, ...]):
    """A role's spans (possibly discontinuous), in order; a tuple with a ``.text``."""

    __slots__ = ()

    @property
    def text(self) -> str:
        """The spans' text joined by a space (empty if there are none)."""
        return spans_text(self)


#: The one empty `Spans`: most roles are empty, and each empty one would be a new object.
NO_SPANS: Final = Spans()


def _spans(value: Iterable[Span]) -> Spans:
    if isinstance(value, Spans):
        return value
    spans = Spans(value)
    return spans or NO_SPANS


@attr.frozen(eq=False, repr=False)
class ExternalId(Value):
    """An identifier in an outside register (e.g. Wikidata): an *editorial* addition.

    It is not in the source, so it must say how it was verified (``verified_by``).
    """

    scheme: str
    value: str
    verified_by: str


@attr.frozen(eq=False, repr=False)
class Entity(Value):
    """A person, organisation, geopolitical entity or place, with its title and every mention.

    Mentions may nest or overlap ("Russlands" inside "Russlands Präsident Wladimir Putin").
    """

    id: str
    kind: EntityKind
    name: str
    title: str | None = None
    mentions: Spans = attr.field(default=NO_SPANS, converter=_spans)
    external_ids: tuple[ExternalId, ...] = ()


@attr.frozen(eq=False, repr=False)
class Attribution(Value):
    """Who said, wrote or thinks what, with the words that show it (stand-off spans).

    ``source`` is None when the text explicitly leaves the source unknown
    ("Berichte"); ``cue`` is empty when the attribution is implicit (Konjunktiv I
    that continues earlier reported speech).
    """

    id: str
    kind: AttributionKind
    medium: Medium
    source: Entity | None
    content: Spans = attr.field(converter=_spans)
    cue: Spans = attr.field(default=NO_SPANS, converter=_spans)
    source_mentions: Spans = attr.field(default=NO_SPANS, converter=_spans)
    addressee: Spans = attr.field(default=NO_SPANS, converter=_spans)
    evidence: Spans = attr.field(default=NO_SPANS, converter=_spans)
    place: Spans = attr.field(default=NO_SPANS, converter=_spans)
    parent: Attribution | None = None
    # Its quotes, set by `link_quotes`: a weak reference to each and what rebuilds it.  A
    # quote holds its attribution, so strong references back would be a reference cycle.
    _quoted: tuple[_QuoteLink, ...] = attr.field(default=(), init=False, eq=False, repr=False)

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """The quotes in this attribution, linked when the article is loaded (or generated).

        Not part of the value; for any article, `Article.quotes_of` gives them too.  They
        are the article's own objects while the article lives, equal new ones after; a
        copy made with `attrs.evolve` has none (link it with its article instead).
        """
        found = []
        for ref, quote_id, spans, partial in self._quoted:
            quote = ref()  # the article's own quote, or an equal one once it is gone
            found.append(quote if quote is not None else Quote(quote_id, spans, self, partial))
        return tuple(found)

    @property
    def text(self) -> str:
        """The attributed content's text."""
        return spans_text(self.content)

    @property
    def cue_text(self) -> str:
        """The cue words (empty when implicit)."""
        return spans_text(self.cue)

    def ancestors(self) -> Iterator[Attribution]:
        """The enclosing attributions, innermost first."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __getstate__(self) -> dict[str, object]:
        """Fields for pickle and `copy`, each quote held strongly (a weak reference cannot go)."""
        state: dict[str, object] = {a.name: getattr(self, a.name) for a in attr.fields(type(self))}
        state["_quoted"] = tuple(
            (quote, quote.id, quote.spans, quote.partial) for quote in self.quotes
        )
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore the fields; pickle may not have filled in the quotes yet: read none of theirs."""
        for name, value in state.items():
            object.__setattr__(self, name, value)
        quoted: tuple[tuple[Quote, str, Spans, bool], ...] = state["_quoted"]  # type: ignore[assignment]
        links = tuple((weakref.ref(q), i, s, p) for q, i, s, p in quoted)
        object.__setattr__(self, "_quoted", links)


@attr.frozen(eq=False, repr=False)
class Quote(Value):
    """Verbatim words inside quotation marks (marks excluded); each belongs to an attribution."""

    id: str
    spans: Spans = attr.field(converter=_spans)
    attribution: Attribution
    partial: bool = False

    @property
    def text(self) -> str:
        """The quoted words."""
        return spans_text(self.spans)

    @property
    def speaker(self) -> Entity | None:
        """Who is quoted (the attribution's source); None if the text leaves it unknown."""
        return self.attribution.source

    @property
    def cue(self) -> Spans:
        """The words that introduce the quote (the attribution's cue)."""
        return self.attribution.cue

    @property
    def kind(self) -> AttributionKind:
        """The kind of the attribution the quote belongs to."""
        return self.attribution.kind


@attr.frozen(eq=False, repr=False)
class Party(Value):
    """A party named by a credit line, with its part in the supply chain."""

    entity: Entity
    role: PartyRole
    mention: Span


@attr.frozen(eq=False, repr=False)
class Provenance(Value):
    """What the caption says about where the picture comes from."""

    statement: Spans = attr.field(converter=_spans)
    released_by: Entity | None = None
    state_run: bool | None = None


@attr.frozen(eq=False, repr=False)
class ImageCredit(Value):
    """An image's title, caption and verbatim credit line, and what they say of its origin."""

    id: str
    credit_block: Block
    title_block: Block | None = None
    caption_block: Block | None = None
    parties: tuple[Party, ...] = ()
    provenance: Provenance | None = None

    @property
    def credit_line(self) -> str:
        """The credit line exactly as printed (with its no-break spaces)."""
        return self.credit_block.text

    @property
    def has_copyright_sign(self) -> bool:
        """Whether the credit line carries the copyright sign ©."""
        return "©" in self.credit_block.text

    @property
    def title(self) -> str | None:
        """The image's title, if the source gives one."""
        return None if self.title_block is None else self.title_block.text

    @property
    def caption(self) -> str | None:
        """The caption, if the source gives one."""
        return None if self.caption_block is None else self.caption_block.text


@attr.frozen(eq=False, repr=False)
class Excluded(Value):
    """Text in the source that is not the article (page furniture), kept so nothing is lost."""

    text: str
    reason: str


@attr.frozen(eq=False, repr=False)
class SourceFile(Value):
    """The file the article was transcribed from, shipped in ``ukrnews/data/sources``."""

    file: str
    sha256: str


class Bound(enum.Enum):
    """How a quantity's value bounds the true number, as its words say ("mehr als" = more than)."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"


def quantity_value(value: float) -> int | float:
    """A quantity's value: a finite number >= 0; whole numbers become ``int``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"a quantity's value must be an int or a float, not {type(value).__name__}"
        raise TypeError(msg)
    if not (0 <= value <= sys.float_info.max):  # NaN fails every comparison
        # Also an int too large for a float: the tables hold values as doubles (and
        # math.isfinite() of such an int raises OverflowError).
        msg = f"a quantity's value must be finite and >= 0, not {value!r}"
        raise ValueError(msg)
    if not isinstance(value, int) and value.is_integer():
        return int(value)
    return value


@attr.frozen(eq=False, repr=False)
class Quantity(Value):
    """A number a claim states: its value and bound, read from its words (``span``).

    ``measure`` is what is counted and how, in the article's words ("russische
    Soldaten", "getötet oder verwundet"); ``unit`` is the unit as the text gives it,
    None for a count.
    """

    value: int | float = attr.field(converter=quantity_value)
    bound: Bound
    span: Span
    measure: Spans = attr.field(converter=_spans)
    unit: str | None = None

    @property
    def text(self) -> str:
        """The number's words ("Mehr als 600.000")."""
        return self.span.text


@attr.frozen(eq=False, repr=False)
class Claim(Value):
    """A checkable statement: its words, the attribution that carries it, and its numbers.

    ``attribution`` is None when the newsroom states the claim in its own voice.
    """

    id: str
    spans: Spans = attr.field(converter=_spans)
    attribution: Attribution | None = None
    quantities: tuple[Quantity, ...] = ()

    @property
    def text(self) -> str:
        """The claim's words."""
        return spans_text(self.spans)

    @property
    def claimant(self) -> Entity | None:
        """Who makes the claim: the attribution's source (None for the newsroom or unknown)."""
        return None if self.attribution is None else self.attribution.source


def link_quotes(quotes: Iterable[Quote]) -> None:
    """Set each attribution's ``quotes`` to its quotes, on freshly built attributions.

    Only the loader and the test strategies call this, on objects no one else holds
    yet; `Article` never changes the attributions it is given.
    """
    owned: dict[int, list[_QuoteLink]] = {}
    holders: dict[int, Attribution] = {}
    for quote in quotes:
        key = id(quote.attribution)
        link = (weakref.ref(quote), quote.id, quote.spans, quote.partial)
        owned.setdefault(key, []).append(link)
        holders[key] = quote.attribution
    for key, attribution in holders.items():
        object.__setattr__(attribution, "_quoted", tuple(owned[key]))


def _by_id(blocks: tuple[Block, ...]) -> dict[str, Block]:
    return {b.id: b for b in blocks}


@attr.frozen(eq=False, repr=False)
class Article(Value):
    """One news article: its text blocks in reading order and their annotation.

    Values the source does not give (``published``, ``url``, ``publisher``) are None.
    """

    id: str
    language: str
    blocks: tuple[Block, ...]
    image_credits: tuple[ImageCredit, ...] = ()
    agencies: tuple[str, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    entities: tuple[Entity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    quotes: tuple[Quote, ...] = ()
    source_file: SourceFile | None = None
    published: str | None = None
    url: str | None = None
    publisher: str | None = None
    claims: tuple[Claim, ...] = ()
    _index: dict[str, Block] = attr.field(
        init=False,
        eq=False,
        repr=False,
        default=attr.Factory(lambda s: _by_id(s.blocks), takes_self=True),
    )

    def __repr__(self) -> str:
        """One line: the id, the language and how many of each thing the article holds."""
        counts = ", ".join(
            f"{name}={len(getattr(self, name))}"
            for name in ("blocks", "entities", "attributions", "quotes", "image_credits")
        )
        return f"Article(id={self.id!r}, language={self.language!r}, {counts})"

    def block(self, block_id: str) -> Block:
        """The block with this id (KeyError if there is none)."""
        return self._index[block_id]

    def _text(self, role: BlockRole) -> str | None:
        for b in self.blocks:
            if b.role is role:
                return b.text
        return None

    @property
    def kicker(self) -> str | None:
        """The kicker above the headline ("Ukraine-Krieg")."""
        return self._text(BlockRole.KICKER)

    @property
    def headline(self) -> str:
        """The headline, without the kicker."""
        return self._text(BlockRole.HEADLINE) or ""

    @property
    def teaser(self) -> str | None:
        """The teaser (standfirst) under the headline."""
        return self._text(BlockRole.TEASER)

    @property
    def agency_line(self) -> str | None:
        """The agency credit line as printed ("DPA · Reuters")."""
        return self._text(BlockRole.AGENCY_LINE)

    @property
    def author_code(self) -> str | None:
        """The author's code as printed ("wue"); its expansion is not in the source."""
        return self._text(BlockRole.AUTHOR_CODE)

    @property
    def body(self) -> tuple[Block, ...]:
        """The body: paragraphs and subheadings in order."""
        return tuple(b for b in self.blocks if b.role in BODY_ROLES)

    @property
    def text(self) -> str:
        """Headline, teaser and body as plain text, blocks separated by blank lines."""
        parts = [self.headline, self.teaser or "", *(b.text for b in self.body)]
        return "\n\n".join(p for p in parts if p)

    def entity(self, key: str | Entity) -> Entity:
        """The entity with this id or canonical name (KeyError if there is none)."""
        if isinstance(key, Entity):
            if key in self.entities:
                return key
            key = key.id
        for e in self.entities:
            if key in (e.id, e.name):
                return e
        raise KeyError(key)

    def _matches(self, source: Entity | None, who: str | Entity) -> bool:
        if source is None:
            return False
        if isinstance(who, Entity):
            return source == who
        return who in (source.id, source.name)

    def quotes_by(self, who: str | Entity) -> tuple[Quote, ...]:
        """Quotes whose speaker is this entity (object, id or canonical name)."""
        return tuple(q for q in self.quotes if self._matches(q.speaker, who))

    def attributions_by(self, who: str | Entity) -> tuple[Attribution, ...]:
        """Attributions whose source is this entity (object, id or canonical name)."""
        return tuple(a for a in self.attributions if self._matches(a.source, who))

    def attributions_of_kind(self, kind: AttributionKind | str) -> tuple[Attribution, ...]:
        """Attributions of one kind (an `AttributionKind` or its value, e.g. ``"direct"``)."""
        kind = AttributionKind(kind)
        return tuple(a for a in self.attributions if a.kind is kind)

    def quotes_of(self, attribution: Attribution) -> tuple[Quote, ...]:
        """The quotes that belong to this attribution, in order."""
        return tuple(q for q in self.quotes if q.attribution == attribution)

    def quotes_of_kind(self, kind: AttributionKind | str) -> tuple[Quote, ...]:
        """Quotes whose attribution is of this kind."""
        kind = AttributionKind(kind)
        return tuple(q for q in self.quotes if q.attribution.kind is kind)


#: What `Corpus.article_of` finds the article of.
Item = Quote | Attribution | Entity | ImageCredit | Block


def _as_tuple(articles: Iterable[Article]) -> tuple[Article, ...]:
    return articles if isinstance(articles, tuple) else tuple(articles)


def _article_index(articles: tuple[Article, ...]) -> dict[str, Article]:
    index: dict[str, Article] = {}
    for article in articles:
        if article.id in index:
            msg = f"two articles have the id '{article.id}'"
            raise LinkError(msg, field="id")
        index[article.id] = article
    return index


@attr.frozen(eq=False, repr=False)
class Corpus(Value):
    """Articles in a stable order with unique ids, read like an `Article`.

    ``corpus[0]``, ``corpus["id"]``, ``"id" in corpus``, ``len`` and iteration work;
    ``quotes``, ``attributions``, ``entities`` and ``image_credits`` are tuples over
    all of them.  Items do not point back to their article (that would make every
    article a reference cycle); `article_of` finds it through a map the corpus
    builds on first use.
    """

    articles: tuple[Article, ...] = attr.field(converter=_as_tuple)
    _index: dict[str, Article] = attr.field(
        init=False,
        eq=False,
        repr=False,
        default=attr.Factory(lambda s: _article_index(s.articles), takes_self=True),
    )
    # id() of each item -> its article, filled by the first `article_of` call.  The
    # corpus holds every item, so no id is reused while the map lives.
    _owners: dict[int, Article] = attr.field(init=False, eq=False, repr=False, factory=dict)

    def __repr__(self) -> str:
        """One line: the number of articles and the first few ids."""
        ids = ", ".join(repr(a.id) for a in self.articles[:3])
        more = ", ..." if len(self.articles) > 3 else ""
        n = len(self.articles)
        return f"Corpus({n} article{'s' * (n != 1)}: [{ids}{more}])"

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._index
        return item in self.articles

    @overload
    def __getitem__(self, key: int | str) -> Article: ...
    @overload
    def __getitem__(self, key: slice) -> Corpus: ...
    def __getitem__(self, key: int | str | slice) -> Article | Corpus:
        """An article by position or by id (O(1)); a slice gives a smaller corpus."""
        if isinstance(key, str):
            return self._index[key]
        if isinstance(key, slice):
            return Corpus(self.articles[key])
        return self.articles[key]

    def article(self, article_id: str) -> Article:
        """The article with this id (KeyError if there is none)."""
        return self._index[article_id]

    def article_of(self, item: Item) -> Article:
        """The article that holds this quote, attribution, entity, image credit or block.

        KeyError if no article of this corpus holds this very object.
        """
        if not self._owners:
            built = {
                id(x): article
                for article in self.articles
                for group in (
                    article.quotes,
                    article.attributions,
                    article.entities,
                    article.image_credits,
                    article.blocks,
                )
                for x in group
            }
            self._owners.update(built)  # one step, so a concurrent reader never sees half
        found = self._owners.get(id(item))
        if found is None:
            raise KeyError(item)
        return found

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """Every quote in every article, in order."""
        return tuple(q for a in self.articles for q in a.quotes)

    @property
    def attributions(self) -> tuple[Attribution, ...]:
        """Every attribution in every article, in order."""
        return tuple(x for a in self.articles for x in a.attributions)

    @property
    def entities(self) -> tuple[Entity, ...]:
        """Every entity in every article (per article; not merged across articles)."""
        return tuple(e for a in self.articles for e in a.entities)

    @property
    def image_credits(self) -> tuple[ImageCredit, ...]:
        """Every image credit in every article, in order."""
        return tuple(c for a in self.articles for c in a.image_credits)

    def quotes_by(self, who: str | Entity) -> tuple[Quote, ...]:
        """Quotes by an entity (object, id or canonical name) across all articles."""
        return tuple(q for a in self.articles for q in a.quotes_by(who))
