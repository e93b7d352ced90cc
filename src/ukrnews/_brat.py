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
from ._interop import decode_utf8, read_bounded, validated
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
    "SEPARATOR",
    "brat_documents",
    "from_brat",
    "read_brat",
    "to_brat",
    "write_brat",
]

SEPARATOR: Final = "\n\n"
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
    def __init__(self, article: Article) -> None:
        self.article = article
        self.starts: dict[str, int] = {}
        position = 0
        for n, block in enumerate(article.blocks):
            position += len(SEPARATOR) if n else 0
            self.starts[block.id] = position
            position += len(block.text)
        self.lines: list[str] = []
        self.counts = {"T": 0, "E": 0, "A": 0, "#": 0}

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
    for block in article.blocks:
        if not block.text:
            raise DumpError("brat cannot mark an empty block", path=article.id, field=block.id)
        tid = w.text_bound("Block", (_span_of(block),), block.id)
        w.attribute("Role", tid, block.role.value)
    mentioned = set()
    for entity in article.entities:
        for n, mention in enumerate(entity.mentions):
            note = f"{entity.id} {json.dumps(entity.name)}" if n == 0 else entity.id
            w.text_bound(_KIND_TYPES[entity.kind], (mention,), note)
            mentioned.add(entity.id)
    quote_ids = {q.id: w.text_bound("Quote", q.spans, q.id) for q in article.quotes}
    for quote in article.quotes:
        if quote.partial:
            w.attribute("Partial", quote_ids[quote.id])
    event_ids = {a.id: f"E{n}" for n, a in enumerate(article.attributions, start=1)}
    for attribution in article.attributions:
        source = attribution.source
        if source is not None and source.id not in mentioned:
            raise DumpError(
                f"source entity {source.id!r} has no mention; brat cannot express it",
                path=article.id,
                field=f"attributions[{attribution.id}].source",
            )
        trigger = w.text_bound("Attribution", attribution.cue or attribution.content)
        args = [f"Attribution:{trigger}"]
        for role, kind, field in _ROLES:
            spans = getattr(attribution, field)
            if spans:
                args.append(f"{role}:{w.text_bound(kind, spans)}")
        own = article.quotes_of(attribution)
        args += [f"Quote{_nth(n)}:{quote_ids[q.id]}" for n, q in enumerate(own)]
        children = [a for a in article.attributions if a.parent == attribution]
        args += [f"Nested{_nth(n)}:{event_ids[c.id]}" for n, c in enumerate(children)]
        eid = event_ids[attribution.id]
        w.lines.append(f"{eid}\t{' '.join(args)}")
        w.attribute("Kind", eid, attribution.kind.value)
        w.attribute("Medium", eid, _medium_value(attribution.medium))
        if not attribution.cue:
            w.attribute("ImplicitCue", eid)
        w.note(eid, f"{attribution.id} source={UNKNOWN_SOURCE if source is None else source.id}")
    return SEPARATOR.join(b.text for b in article.blocks), "".join(f"{x}\n" for x in w.lines)


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
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.blocks: list[tuple[int, int, Block]] = []

    def fail(self, ann: _Ann | str, message: str) -> DataError:
        if isinstance(ann, str):
            return DataError(message, path=self.source, field=ann)
        return DataError(message, path=self.source, line=ann.where, field=ann.ident)

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
    r = _Reader(text, source)
    anns = _parse(ann_text, source, limits)
    by_id = {a.ident: a for a in anns}
    notes: dict[str, str] = {}
    attributes: dict[str, dict[str, str | None]] = {}
    for a in anns:
        if a.ident.startswith("#"):
            if a.kind != "AnnotatorNotes" or len(a.args) != 1:
                raise r.fail(a, "expected 'AnnotatorNotes ID'")
            notes[a.args[0]] = a.text
        elif a.ident.startswith("A") or a.ident.startswith("M"):
            if not 1 <= len(a.args) <= 2:
                raise r.fail(a, "expected 'Name ID [value]'")
            attributes.setdefault(a.args[0], {})[a.kind] = a.args[1] if len(a.args) == 2 else None
    blocks = []
    for a in anns:
        if a.ident.startswith("T") and a.kind == "Block":
            ((start, end),) = r.offsets(a) if ";" not in " ".join(a.args) else ((-1, -1),)
            if start < 0:
                raise r.fail(a, "a block must be one contiguous span")
            role = attributes.get(a.ident, {}).get("Role")
            try:
                block_role = BlockRole(role)
            except ValueError:
                raise r.fail(a, f"Role attribute {role!r} is not a block role") from None
            block = Block(
                notes.get(a.ident, f"brat-{a.ident.lower()}"), block_role, text[start:end]
            )
            r.blocks.append((start, end, block))
            blocks.append(block)
    if not blocks:
        raise DataError("no Block annotations: export the article from ukrnews first", path=source)

    mentions: dict[str, list[Span]] = {}
    names: dict[str, str] = {}
    kinds: dict[str, EntityKind] = {}
    owner_of_span: dict[tuple[str, int, int], str] = {}
    for a in anns:
        if a.ident.startswith("T") and a.kind in _TYPE_KINDS:
            note = notes.get(a.ident, f"brat-{a.ident.lower()}")
            entity_id, _, name = note.partition(" ")
            spans = r.spans(a)
            if len(spans) != 1:
                raise r.fail(a, "a mention must be one contiguous span")
            if entity_id in kinds and kinds[entity_id] is not _TYPE_KINDS[a.kind]:
                raise r.fail(a, f"entity {entity_id!r} has mentions of two kinds")
            kinds[entity_id] = _TYPE_KINDS[a.kind]
            mentions.setdefault(entity_id, []).append(spans[0])
            if name and entity_id not in names:
                try:
                    names[entity_id] = str(json.loads(name))
                except ValueError:
                    raise r.fail(f"#{a.ident}", f"bad entity name in note: {name!r}") from None
            span = spans[0]
            owner_of_span.setdefault((span.block.id, span.start, span.end), entity_id)
    entities = {
        key: Entity(key, kinds[key], names.get(key, spans[0].text), mentions=tuple(spans))
        for key, spans in mentions.items()
    }

    quotes_of: dict[str, tuple[Span, ...]] = {}
    for a in anns:
        if a.ident.startswith("T") and a.kind == "Quote":
            quotes_of[a.ident] = r.spans(a)

    events = [a for a in anns if a.ident.startswith("E")]
    parent_of: dict[str, str] = {}
    quote_owner: dict[str, str] = {}
    for event in events:
        for arg in [event.kind, *event.args]:
            role, _, target = arg.partition(":")
            base = role.rstrip("0123456789")
            if base == "Nested":
                if target in parent_of:
                    raise r.fail(event, f"{target} is nested in two events")
                parent_of[target] = event.ident
            elif base == "Quote":
                quote_owner[target] = event.ident
    built: dict[str, Attribution] = {}

    def build(event: _Ann, seen: tuple[str, ...]) -> Attribution:
        if event.ident in built:
            return built[event.ident]
        if event.ident in seen:
            raise r.fail(event, "nested events form a cycle")
        parent = None
        if event.ident in parent_of:
            parent_event = by_id.get(parent_of[event.ident])
            if parent_event is None:  # pragma: no cover - parent_of holds only read events
                raise r.fail(event, "unknown parent")
            parent = build(parent_event, (*seen, event.ident))
        trigger_type, _, trigger = event.kind.partition(":")
        if trigger_type != "Attribution" or trigger not in by_id:
            raise r.fail(event, "expected 'Attribution:T..' as the trigger")
        roles: dict[str, tuple[Span, ...]] = {}
        for arg in event.args:
            role, _, target = arg.partition(":")
            base = role.rstrip("0123456789")
            if base in {"Quote", "Nested"}:
                if target not in by_id:
                    raise r.fail(event, f"argument {arg!r} refers to nothing")
                continue
            if base not in _ROLE_FIELDS or target not in by_id:
                raise r.fail(event, f"unknown argument {arg!r}")
            kind, field = _ROLE_FIELDS[base]
            if by_id[target].kind != kind:
                raise r.fail(event, f"{base} must be a {kind}, not {by_id[target].kind}")
            roles[field] = roles.get(field, ()) + r.spans(by_id[target])
        attrs_ = attributes.get(event.ident, {})
        note = notes.get(event.ident, f"brat-{event.ident.lower()} ")
        ident, _, rest = note.partition(" ")
        source_key = rest.removeprefix("source=") if rest.startswith("source=") else ""
        if not source_key:  # an event added in brat: its source span names the entity
            first = roles.get("source_mentions", ())[:1]
            key = (first[0].block.id, first[0].start, first[0].end) if first else None
            source_key = owner_of_span.get(key, UNKNOWN_SOURCE) if key else UNKNOWN_SOURCE
        if source_key != UNKNOWN_SOURCE and source_key not in entities:
            raise r.fail(event, f"source entity {source_key!r} has no mention here")
        try:
            kind_value = AttributionKind(attrs_.get("Kind"))
        except ValueError:
            raise r.fail(event, f"Kind attribute {attrs_.get('Kind')!r} is unknown") from None
        medium = _MEDIUM_VALUES.get(str(attrs_.get("Medium")))
        if medium is None:
            raise r.fail(event, f"Medium attribute {attrs_.get('Medium')!r} is unknown")
        cue = () if "ImplicitCue" in attrs_ else r.spans(by_id[trigger])
        result = Attribution(
            id=ident,
            kind=kind_value,
            medium=medium,
            source=None if source_key == UNKNOWN_SOURCE else entities[source_key],
            parent=parent,
            cue=cue,
            **roles,
        )
        if not result.content:
            raise r.fail(event, "no Content argument")
        built[event.ident] = result
        return result

    attributions = tuple(build(e, ()) for e in events)
    quotes = []
    for tid, spans in quotes_of.items():
        if tid not in quote_owner:
            raise r.fail(by_id[tid], "a quote must be an argument of an attribution")
        quotes.append(
            Quote(
                notes.get(tid, f"brat-{tid.lower()}"),
                spans,
                built[quote_owner[tid]],
                "Partial" in attributes.get(tid, {}),
            )
        )
    link_quotes(quotes)
    article = Article(
        id=article_id,
        language=language,
        blocks=tuple(blocks),
        image_credits=image_credits(tuple(blocks)),
        entities=tuple(entities.values()),
        attributions=attributions,
        quotes=tuple(quotes),
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
