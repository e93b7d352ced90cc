"""brat standoff (``ID.txt``, ``ID.ann``, ``annotation.conf``), standard library only.

The text is the blocks joined by a blank line.  Blocks, mentions, role spans and quotes
are text-bound annotations (discontinuous ones with ``;``); an attribution is an event
whose trigger is its cue (or its content, marked ``ImplicitCue``, when the cue is empty);
kind, medium and partial are attributes; ids and entity names ride in AnnotatorNotes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ._api import write_text_atomic
from ._errors import DataError, DumpError
from ._format import ID, UNKNOWN_SOURCE
from ._interop import block_starts, decode_utf8, joined_text, read_bounded, validated
from ._model import (
    Article,
    Attribution,
    AttributionKind,
    Block,
    BlockRole,
    Entity,
    EntityKind,
    ImageCredit,
    Medium,
    Quote,
    Span,
    link_quotes,
)
from ._yaml import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    import os

__all__ = [
    "ANNOTATION_CONF",
    "brat_documents",
    "from_brat",
    "read_brat",
    "to_brat",
    "write_brat",
]

_KIND_TYPES: Final = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANISATION: "Organisation",
    EntityKind.PLACE: "Place",
    EntityKind.GEOPOLITICAL: "Geopolitical",
}
_TYPE_KINDS: Final = {v: k for k, v in _KIND_TYPES.items()}
# Event argument role, text-bound type, model field.
_ROLES: Final = (
    ("Source", "SourceSpan", "source_mentions"),
    ("Content", "ContentSpan", "content"),
    ("Addressee", "AddresseeSpan", "addressee"),
    ("Evidence", "EvidenceSpan", "evidence"),
    ("Place", "PlaceSpan", "place"),
)
_ROLE_FIELDS: Final = {role: (kind, field) for role, kind, field in _ROLES}
# Every non-empty combination of speech, thought and writing.
_MEDIA: Final = tuple(Medium(v) for v in range(1, 8))


def _medium_value(medium: Medium) -> str:
    return "_".join(medium.names)


_MEDIUM_VALUES: Final = {_medium_value(m): m for m in _MEDIA}

ANNOTATION_CONF: Final = f"""\
# brat configuration for ukrnews articles (written by `ukrnews export --format brat`).
[entities]
Block
{chr(10).join(_KIND_TYPES.values())}
{chr(10).join(kind for _, kind, _ in _ROLES)}
Quote
Attribution

[relations]
<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]
Attribution\tSource*:SourceSpan, Content+:ContentSpan, Addressee*:AddresseeSpan, \
Evidence*:EvidenceSpan, Place*:PlaceSpan, Quote*:Quote, Nested*:Attribution

[attributes]
Role\tArg:Block, Value:{"|".join(r.value for r in BlockRole)}
Kind\tArg:Attribution, Value:{"|".join(k.value for k in AttributionKind)}
Medium\tArg:Attribution, Value:{"|".join(_MEDIUM_VALUES)}
ImplicitCue\tArg:Attribution
Partial\tArg:Quote
"""

# Characters that would end a line or a field in the .ann file's text column.
_BREAKS: Final = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _flat(text: str) -> str:
    return _BREAKS.sub(" ", text)


class _Writer:
    """Writes the .ann lines of one article, numbering brat ids as it goes."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.starts = block_starts(article.blocks)
        self.lines: list[str] = []
        self.counts = {"T": 0, "E": 0, "A": 0, "#": 0}
        self.mentioned: set[str] = set()
        self.quote_ids: dict[str, str] = {}
        self.event_ids = {a.id: f"E{n}" for n, a in enumerate(article.attributions, start=1)}

    def blocks(self) -> None:
        """A ``Block`` span per block, its id in a note and its role an attribute."""
        for block in self.article.blocks:
            if not block.text:
                msg = "brat cannot mark an empty block"
                raise DumpError(msg, path=self.article.id, field=block.id)
            tid = self.text_bound("Block", (_span_of(block),), block.id)
            self.attribute("Role", tid, block.role.value)

    def entities(self) -> None:
        """A span per mention, typed by the entity's kind; the first one's note names it."""
        for entity in self.article.entities:
            for n, mention in enumerate(entity.mentions):
                note = f"{entity.id} {json.dumps(entity.name)}" if n == 0 else entity.id
                self.text_bound(_KIND_TYPES[entity.kind], (mention,), note)
                self.mentioned.add(entity.id)

    def quotes(self) -> None:
        """A ``Quote`` span per quote (discontinuous when it has several spans)."""
        for quote in self.article.quotes:
            self.quote_ids[quote.id] = self.text_bound("Quote", quote.spans, quote.id)
        for quote in self.article.quotes:
            if quote.partial:
                self.attribute("Partial", self.quote_ids[quote.id])

    def event(self, attribution: Attribution) -> None:
        """An ``Attribution`` event: its cue the trigger, its roles, quotes and nested ones."""
        source = attribution.source
        if source is not None and source.id not in self.mentioned:
            raise DumpError(
                f"source entity {source.id!r} has no mention; brat cannot express it",
                path=self.article.id,
                field=f"attributions[{attribution.id}].source",
            )
        trigger = self.text_bound("Attribution", attribution.cue or attribution.content)
        args = [f"Attribution:{trigger}"]
        for role, kind, field in _ROLES:
            spans = getattr(attribution, field)
            if spans:
                args.append(f"{role}:{self.text_bound(kind, spans)}")
        own = self.article.quotes_of(attribution)
        args += [f"Quote{_nth(n)}:{self.quote_ids[q.id]}" for n, q in enumerate(own)]
        children = [a for a in self.article.attributions if a.parent == attribution]
        args += [f"Nested{_nth(n)}:{self.event_ids[c.id]}" for n, c in enumerate(children)]
        eid = self.event_ids[attribution.id]
        self.lines.append(f"{eid}\t{' '.join(args)}")
        self.attribute("Kind", eid, attribution.kind.value)
        self.attribute("Medium", eid, _medium_value(attribution.medium))
        if not attribution.cue:
            self.attribute("ImplicitCue", eid)
        self.note(eid, f"{attribution.id} source={UNKNOWN_SOURCE if source is None else source.id}")

    def next(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def text_bound(self, kind: str, spans: tuple[Span, ...], note: str | None = None) -> str:
        tid = self.next("T")
        offsets = ";".join(
            f"{self.starts[s.block.id] + s.start} {self.starts[s.block.id] + s.end}" for s in spans
        )
        self.lines.append(f"{tid}\t{kind} {offsets}\t{_flat(' '.join(s.text for s in spans))}")
        if note is not None:
            self.note(tid, note)
        return tid

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self.next('#')}\tAnnotatorNotes {target}\t{text}")

    def attribute(self, name: str, target: str, value: str | None = None) -> None:
        tail = "" if value is None else f" {value}"
        self.lines.append(f"{self.next('A')}\t{name} {target}{tail}")


def _span_of(block: Block) -> Span:
    return Span(block, 0, len(block.text))


def to_brat(article: Article) -> tuple[str, str]:
    """The article as brat's ``(ID.txt, ID.ann)`` texts; see the module for the mapping.

    Image credits, excluded text, agencies, metadata, titles, external ids and claims
    have no place in brat and are left out; a source entity with no mention cannot be
    written at all.
    """
    w = _Writer(article)
    w.blocks()
    w.entities()
    w.quotes()
    for attribution in article.attributions:
        w.event(attribution)
    return joined_text(article.blocks), "".join(f"{x}\n" for x in w.lines)


def _nth(n: int) -> str:
    """The suffix brat gives a repeated argument role: Quote, Quote2, Quote3, ..."""
    return "" if n == 0 else str(n + 1)


def write_brat(article: Article, folder: str | os.PathLike[str]) -> None:
    """Write ``ID.txt``, ``ID.ann`` and the collection's ``annotation.conf`` into ``folder``."""
    text, ann = to_brat(article)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / f"{article.id}.txt", text)
    write_text_atomic(out / f"{article.id}.ann", ann)
    write_text_atomic(out / "annotation.conf", ANNOTATION_CONF)


# -- reading ---------------------------------------------------------------------------

_ID: Final = re.compile(r"[TEA#R*MN]\d+\Z|\*\Z")
_OFFSETS: Final = re.compile(r"(\d{1,9}) (\d{1,9})\Z")


class _Ann:
    """One parsed line of an .ann file."""

    __slots__ = ("args", "ident", "kind", "text", "where")

    def __init__(self, ident: str, kind: str, args: list[str], text: str, where: int) -> None:
        self.ident = ident
        self.kind = kind
        self.args = args
        self.text = text
        self.where = where


class _Reader:
    """Reads the article out of brat's text and parsed .ann lines, one concept at a time."""

    def __init__(self, text: str, anns: list[_Ann], source: str) -> None:
        self.text = text
        self.anns = anns
        self.source = source
        self.by_id = {a.ident: a for a in anns}
        self.notes: dict[str, str] = {}
        self.attributes: dict[str, dict[str, str | None]] = {}
        self.blocks: list[tuple[int, int, Block]] = []
        self.entities: dict[str, Entity] = {}
        # The entity each mention span belongs to: the source of an event added in brat.
        self.owner_of_span: dict[tuple[str, int, int], str] = {}
        self.parent_of: dict[str, str] = {}
        self.quote_owner: dict[str, str] = {}
        self.built: dict[str, Attribution] = {}

    def fail(self, ann: _Ann | str, message: str) -> DataError:
        if isinstance(ann, str):
            return DataError(message, path=self.source, field=ann)
        return DataError(message, path=self.source, line=ann.where, field=ann.ident)

    # -- text-bound annotations

    def offsets(self, ann: _Ann) -> list[tuple[int, int]]:
        pairs = []
        for piece in " ".join(ann.args).split(";"):
            match = _OFFSETS.match(piece.strip())
            if not match:
                raise self.fail(ann, f"bad offsets {piece.strip()!r}")
            start, end = int(match.group(1)), int(match.group(2))
            if not start < end <= len(self.text):
                raise self.fail(ann, f"offsets {start} {end} are outside the text")
            pairs.append((start, end))
        found = " ".join(self.text[s:e] for s, e in pairs)
        if _flat(found) != _flat(ann.text):
            raise self.fail(ann, f"text {ann.text!r} does not match the document ({found!r})")
        return pairs

    def spans(self, ann: _Ann) -> tuple[Span, ...]:
        result = []
        for start, end in self.offsets(ann):
            for b_start, b_end, block in self.blocks:
                if b_start <= start and end <= b_end:
                    result.append(Span(block, start - b_start, end - b_start))
                    break
            else:
                raise self.fail(ann, f"span {start} {end} is not inside one block")
        return tuple(result)

    def text_bound(self, *kinds: str) -> list[_Ann]:
        """The text-bound annotations (``T..``) of these types, in file order."""
        return [a for a in self.anns if a.ident.startswith("T") and a.kind in kinds]

    def our_id(self, ident: str) -> str:
        """The id our note gives an annotation; ``brat-t12`` for one added in brat."""
        return self.notes.get(ident, f"brat-{ident.lower()}")

    # -- the parts of the article

    def read_notes_and_attributes(self) -> None:
        """AnnotatorNotes (our ids and names) and attributes (Role, Kind, Medium, ...)."""
        for a in self.anns:
            if a.ident.startswith("#"):
                if a.kind != "AnnotatorNotes" or len(a.args) != 1:
                    raise self.fail(a, "expected 'AnnotatorNotes ID'")
                self.notes[a.args[0]] = a.text
            elif a.ident.startswith(("A", "M")):
                if not 1 <= len(a.args) <= 2:
                    raise self.fail(a, "expected 'Name ID [value]'")
                value = a.args[1] if len(a.args) == 2 else None
                self.attributes.setdefault(a.args[0], {})[a.kind] = value

    def read_blocks(self) -> tuple[Block, ...]:
        """The blocks: one contiguous ``Block`` span each, with its ``Role`` attribute."""
        for a in self.text_bound("Block"):
            if ";" in " ".join(a.args):
                raise self.fail(a, "a block must be one contiguous span")
            ((start, end),) = self.offsets(a)
            role = self.attributes.get(a.ident, {}).get("Role")
            try:
                block_role = BlockRole(role)
            except ValueError:
                raise self.fail(a, f"Role attribute {role!r} is not a block role") from None
            self.blocks.append(
                (start, end, Block(self.our_id(a.ident), block_role, self.text[start:end]))
            )
        if not self.blocks:
            msg = "no Block annotations: export the article from ukrnews first"
            raise DataError(msg, path=self.source)
        return tuple(block for _, _, block in self.blocks)

    def read_entities(self) -> None:
        """The entities, from their mentions; a note ``ID "name"`` names the entity."""
        mentions: dict[str, list[Span]] = {}
        names: dict[str, str] = {}
        kinds: dict[str, EntityKind] = {}
        for a in self.text_bound(*_TYPE_KINDS):
            entity_id, _, name = self.our_id(a.ident).partition(" ")
            spans = self.spans(a)
            if len(spans) != 1:
                raise self.fail(a, "a mention must be one contiguous span")
            if kinds.setdefault(entity_id, _TYPE_KINDS[a.kind]) is not _TYPE_KINDS[a.kind]:
                raise self.fail(a, f"entity {entity_id!r} has mentions of two kinds")
            mentions.setdefault(entity_id, []).append(spans[0])
            if name and entity_id not in names:
                names[entity_id] = self.entity_name(a, name)
            span = spans[0]
            self.owner_of_span.setdefault((span.block.id, span.start, span.end), entity_id)
        self.entities = {
            key: Entity(key, kinds[key], names.get(key, spans[0].text), mentions=tuple(spans))
            for key, spans in mentions.items()
        }

    def entity_name(self, mention: _Ann, name: str) -> str:
        """The JSON string after the entity id in a mention's note."""
        try:
            return str(json.loads(name))
        except ValueError:
            raise self.fail(f"#{mention.ident}", f"bad entity name in note: {name!r}") from None

    def read_event_links(self) -> list[_Ann]:
        """The events, noting each event's parent (``Nested``) and quotes (``Quote``)."""
        events = [a for a in self.anns if a.ident.startswith("E")]
        for event in events:
            for arg in [event.kind, *event.args]:
                base, target = _argument(arg)
                if base == "Nested":
                    if target in self.parent_of:
                        raise self.fail(event, f"{target} is nested in two events")
                    self.parent_of[target] = event.ident
                elif base == "Quote":
                    self.quote_owner[target] = event.ident
        return events

    def attribution(self, event: _Ann, seen: tuple[str, ...]) -> Attribution:
        """The attribution an event holds, its parent built first; a cycle is an error."""
        if event.ident in self.built:
            return self.built[event.ident]
        if event.ident in seen:
            raise self.fail(event, "nested events form a cycle")
        parent = self.parent(event, seen)
        trigger_type, _, trigger = event.kind.partition(":")
        if trigger_type != "Attribution" or trigger not in self.by_id:
            raise self.fail(event, "expected 'Attribution:T..' as the trigger")
        roles = self.roles(event)
        ident, source = self.identity(event, roles.get("source_mentions", ()))
        kind, medium = self.kind_and_medium(event)
        implicit = "ImplicitCue" in self.attributes.get(event.ident, {})
        cue = () if implicit else self.spans(self.by_id[trigger])
        if "content" not in roles:
            raise self.fail(event, "no Content argument")
        result = Attribution(
            id=ident,
            kind=kind,
            medium=medium,
            source=source,
            parent=parent,
            cue=cue,
            **roles,
        )
        self.built[event.ident] = result
        return result

    def parent(self, event: _Ann, seen: tuple[str, ...]) -> Attribution | None:
        """The attribution of the event this one is ``Nested`` in, if any."""
        if event.ident not in self.parent_of:
            return None
        parent_event = self.by_id.get(self.parent_of[event.ident])
        if parent_event is None:  # pragma: no cover - parent_of holds only read events
            raise self.fail(event, "unknown parent")
        return self.attribution(parent_event, (*seen, event.ident))

    def roles(self, event: _Ann) -> dict[str, tuple[Span, ...]]:
        """The spans of each role argument (Source, Content, ...), each of its own type."""
        roles: dict[str, tuple[Span, ...]] = {}
        for arg in event.args:
            base, target = _argument(arg)
            if base in {"Quote", "Nested"}:
                if target not in self.by_id:
                    raise self.fail(event, f"argument {arg!r} refers to nothing")
                continue
            if base not in _ROLE_FIELDS or target not in self.by_id:
                raise self.fail(event, f"unknown argument {arg!r}")
            kind, field = _ROLE_FIELDS[base]
            if self.by_id[target].kind != kind:
                raise self.fail(event, f"{base} must be a {kind}, not {self.by_id[target].kind}")
            roles[field] = roles.get(field, ()) + self.spans(self.by_id[target])
        return roles

    def identity(self, event: _Ann, source_mentions: tuple[Span, ...]) -> tuple[str, Entity | None]:
        """The attribution's id and source entity, from the note ``ID source=ENTITY``.

        An event added in brat has no note: its first source span names the entity.
        """
        ident, _, rest = self.our_id(event.ident).partition(" ")
        source_key = rest.removeprefix("source=") if rest.startswith("source=") else ""
        if not source_key:
            source_key = self.mention_owner(source_mentions)
        if source_key == UNKNOWN_SOURCE:
            return ident, None
        if source_key not in self.entities:
            raise self.fail(event, f"source entity {source_key!r} has no mention here")
        return ident, self.entities[source_key]

    def mention_owner(self, spans: tuple[Span, ...]) -> str:
        """The entity whose mention is the first of these spans, else the unknown source."""
        if not spans:
            return UNKNOWN_SOURCE
        first = spans[0]
        return self.owner_of_span.get((first.block.id, first.start, first.end), UNKNOWN_SOURCE)

    def kind_and_medium(self, event: _Ann) -> tuple[AttributionKind, Medium]:
        """The event's ``Kind`` and ``Medium`` attributes."""
        attributes = self.attributes.get(event.ident, {})
        try:
            kind = AttributionKind(attributes.get("Kind"))
        except ValueError:
            raise self.fail(
                event, f"Kind attribute {attributes.get('Kind')!r} is unknown"
            ) from None
        medium = _MEDIUM_VALUES.get(str(attributes.get("Medium")))
        if medium is None:
            raise self.fail(event, f"Medium attribute {attributes.get('Medium')!r} is unknown")
        return kind, medium

    def read_quotes(self, spans_of: dict[str, tuple[Span, ...]]) -> tuple[Quote, ...]:
        """The quotes, each the ``Quote`` argument of the attribution it belongs to."""
        quotes = []
        for tid, spans in spans_of.items():
            if tid not in self.quote_owner:
                raise self.fail(self.by_id[tid], "a quote must be an argument of an attribution")
            owner = self.built[self.quote_owner[tid]]
            partial = "Partial" in self.attributes.get(tid, {})
            quotes.append(Quote(self.our_id(tid), spans, owner, partial))
        link_quotes(quotes)
        return tuple(quotes)


def _argument(arg: str) -> tuple[str, str]:
    """An event argument ``Role2:T5`` as its role without the number and its target."""
    role, _, target = arg.partition(":")
    return role.rstrip("0123456789"), target


def _parse(ann_text: str, source: str, limits: Limits) -> list[_Ann]:
    lines = ann_text.split("\n")
    if len(lines) > limits.max_nodes:
        raise DataError(f"more than {limits.max_nodes} lines", path=source)
    found: list[_Ann] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.rstrip("\r").split("\t")
        ident = fields[0]
        if not _ID.match(ident) or len(fields) < 2:
            raise DataError(f"not a brat annotation line: {line[:40]!r}", path=source, line=number)
        if ident in seen and ident != "*":
            raise DataError("annotation id used twice", path=source, line=number, field=ident)
        seen.add(ident)
        head = fields[1].split(" ")
        found.append(_Ann(ident, head[0], head[1:], "\t".join(fields[2:]), number))
    return found


def from_brat(
    text: str,
    ann_text: str,
    *,
    article_id: str,
    language: str = "de",
    source: str = "<brat>",
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """An article from brat's document text and .ann text, checked and validated.

    brat has no language field, so ``language`` gives it; annotations added in brat
    without our notes get ids from their brat ids (``T12`` becomes ``brat-t12``).
    """
    r = _Reader(text, _parse(ann_text, source, limits), source)
    r.read_notes_and_attributes()
    blocks = r.read_blocks()
    r.read_entities()
    quote_spans = {a.ident: r.spans(a) for a in r.text_bound("Quote")}
    attributions = tuple(r.attribution(e, ()) for e in r.read_event_links())
    article = Article(
        id=article_id,
        language=language,
        blocks=blocks,
        image_credits=image_credits(blocks),
        entities=tuple(r.entities.values()),
        attributions=attributions,
        quotes=r.read_quotes(quote_spans),
    )
    return validated(article, source)


def image_credits(blocks: tuple[Block, ...]) -> tuple[ImageCredit, ...]:
    """A bare credit (no parties, no provenance) per credit line block ``IMAGE.credit_line``.

    Formats without image credits still carry their blocks, which belong to an image.
    """
    by_id = {b.id: b for b in blocks}
    found = []
    for block in blocks:
        if block.role is BlockRole.CREDIT_LINE:
            image = block.id.removesuffix(".credit_line")
            found.append(
                ImageCredit(
                    image, block, by_id.get(f"{image}.title"), by_id.get(f"{image}.caption")
                )
            )
    return tuple(found)


def read_brat(
    txt_path: str | os.PathLike[str], *, language: str = "de", limits: Limits = DEFAULT_LIMITS
) -> Article:
    """The article in ``ID.txt`` and the ``ID.ann`` beside it (untrusted; bounded; checked)."""
    txt = Path(txt_path)
    ann = txt.with_suffix(".ann")
    article_id = txt.stem
    if not ID.fullmatch(article_id):
        raise DataError("file name is not a valid article id (a-z, 0-9, _ and -)", path=str(txt))
    text = decode_utf8(read_bounded(txt, limits), str(txt), bom=False)  # text is data
    ann_text = decode_utf8(read_bounded(ann, limits), str(ann))
    return from_brat(
        text, ann_text, article_id=article_id, language=language, source=str(ann), limits=limits
    )


def brat_documents(folder: str | os.PathLike[str]) -> list[Path]:
    """The ``*.txt`` files of a brat collection that have an ``.ann`` beside them."""
    root = Path(folder)
    if root.is_file():
        return [root.with_suffix(".txt")]
    if not root.is_dir():
        raise DataError("no such file or directory", path=str(root))
    found = sorted(p for p in root.glob("*.txt") if p.with_suffix(".ann").is_file())
    if not found:
        raise DataError("no ID.txt with an ID.ann here", path=str(root))
    return found
