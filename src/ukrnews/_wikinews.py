"""The JSON of the German WikiNews quotation corpus (Petersen-Frey & Biemann 2024).

One JSON document per article: ``originalText``, ``sentences``, ``tokens`` and
``annotations`` with ``speaker``, ``cue``, ``frame``, ``quote`` and ``addressee`` spans in
character and token offsets.  Standard library only; docs/interop.md lists the mapping.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ._errors import DataError
from ._format import ID
from ._interop import SEPARATOR, block_starts, joined_text, read_json, validated
from ._model import Article, Attribution, AttributionKind, Block, BlockRole, Medium, Span
from ._yaml import DEFAULT_LIMITS, Limits

__all__ = ["SEPARATOR", "from_wikinews", "read_wikinews", "to_wikinews"]

_TYPES: Final = {
    AttributionKind.DIRECT: "Direct",
    AttributionKind.INDIRECT: "Indirect",
    AttributionKind.FREE_INDIRECT: "FreeIndirect",
    AttributionKind.REPORTED: "Reported",
}
_KINDS: Final = {v: k for k, v in _TYPES.items()} | {
    "IndirectFreeIndirect": AttributionKind.INDIRECT
}
_S, _T, _W = Medium.SPEECH, Medium.THOUGHT, Medium.WRITING
# Their codes; "STW" (all three) is ours, as their scheme has no code for it.
_MEDIA: Final = {
    _S: "Speech",
    _T: "Thought",
    _W: "Writing",
    _S | _T: "ST",
    _S | _W: "SW",
    _T | _W: "TW",
    _S | _T | _W: "STW",
}
_CODES: Final = {v: k for k, v in _MEDIA.items()} | {"S": _S, "T": _T, "W": _W}
_TOKEN: Final = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END: Final = frozenset(".!?")
_THAT: Final = ("dass ", "daß ")
_OPEN: Final = "\"„“»«‚‘'"
_CLOSE: Final = "\"“”«»‘’'"
_TITLED: Final = re.compile(r"(\d{1,12}) - (.+) \((\d{4}-\d{2}-\d{2})\)\Z", re.DOTALL)
_ROLES: Final = ("speaker", "cue", "frame", "quote", "addressee")


# -- writing ---------------------------------------------------------------------------


class _Doc:
    """The article's text with block starts, tokens and sentences in their shape."""

    def __init__(self, article: Article) -> None:
        self.starts = block_starts(article.blocks)
        self.text = joined_text(article.blocks)
        self.tokens: list[dict[str, Any]] = []
        self.sentences: list[dict[str, Any]] = []
        for block in article.blocks:
            current: list[dict[str, Any]] = []
            for match in _TOKEN.finditer(block.text):
                start = self.starts[block.id] + match.start()
                current.append(
                    {
                        "charBegin": start,
                        "charEnd": start + len(match.group()),
                        "id": len(self.tokens) + len(current),
                        "sentence": len(self.sentences) + 1,
                        "text": match.group(),
                        "word": len(current) + 1,
                    }
                )
                if match.group() in _SENTENCE_END:
                    self._close(current)
                    current = []
            self._close(current)

    def _close(self, tokens: list[dict[str, Any]]) -> None:
        if not tokens:
            return
        begin, end = tokens[0]["charBegin"], tokens[-1]["charEnd"]
        self.sentences.append(
            {
                "begin": tokens[0]["id"],
                "charBegin": begin,
                "charEnd": end,
                "end": tokens[-1]["id"] + 1,
                "id": len(self.sentences),
                "text": self.text[begin:end],
                "tokenIds": [t["id"] for t in tokens],
                "tokens": [t["text"] for t in tokens],
            }
        )
        self.tokens.extend(tokens)

    def role(self, ranges: list[tuple[int, int]]) -> dict[str, Any]:
        spans, ids = [], []
        for begin, end in ranges:
            inside = [t["id"] for t in self.tokens if t["charBegin"] < end and begin < t["charEnd"]]
            first = inside[0] if inside else self._next_token(begin)
            spans.append(
                {
                    "begin": first,
                    "charBegin": begin,
                    "charEnd": end,
                    "end": inside[-1] + 1 if inside else first,
                }
            )
            ids += inside
        return {
            "spans": spans,
            "text": " ".join(self.text[b:e] for b, e in ranges),
            "tokenIds": sorted(set(ids)),
        }

    def _next_token(self, position: int) -> int:
        return next((t["id"] for t in self.tokens if t["charBegin"] >= position), len(self.tokens))

    def ranges(self, spans: tuple[Span, ...]) -> list[tuple[int, int]]:
        return [(self.starts[s.block.id] + s.start, self.starts[s.block.id] + s.end) for s in spans]


def _their_content(attribution: Attribution) -> list[tuple[Span, int, int]]:
    """Our content spans widened to their boundaries (docs/interop.md).

    They include the quote marks of direct speech, a leading "dass", and the full stop
    of a sentence with no cue (no frame).
    """
    spans = [(s, s.start, s.end) for s in attribution.content]
    first, start, _ = spans[0]
    last, _, end = spans[-1]
    text_first, text_last = first.block.text, last.block.text
    if (
        attribution.kind is AttributionKind.DIRECT
        and start > 0
        and text_first[start - 1] in _OPEN
        and end < len(text_last)
        and text_last[end] in _CLOSE
    ):
        start, end = start - 1, end + 1
    if text_first[max(0, start - 5) : start] in _THAT:
        start -= 5
    if not attribution.cue and text_last[end : end + 1] == ".":
        end += 1
    spans[0] = (first, start, spans[0][2] if len(spans) > 1 else end)
    if len(spans) > 1:
        spans[-1] = (last, spans[-1][1], end)
    return spans


def _frame(attribution: Attribution) -> tuple[Span, ...]:
    """Their frame, approximated from ours; empty when there is no cue.

    It runs from the first to the last of the cue, source mentions and addressee in the
    cue's block.
    """
    if not attribution.cue:
        return ()
    block = attribution.cue[0].block
    parts = [
        s
        for s in (*attribution.cue, *attribution.source_mentions, *attribution.addressee)
        if s.block.id == block.id
    ]
    return (Span(block, min(s.start for s in parts), max(s.end for s in parts)),)


def to_wikinews(article: Article) -> dict[str, Any]:
    """The article as one document of the WikiNews 2024 corpus (their JSON shape).

    ``parentId`` on a nested annotation is our addition (their format has only
    ``isNested``/``hasNested``); their tools ignore keys they do not know.  Their
    format has no claims: an article's claims are left out.
    """
    doc = _Doc(article)
    index = {a.id: n for n, a in enumerate(article.attributions)}
    parents = {a.parent.id for a in article.attributions if a.parent is not None}
    annotations = []
    for n, attribution in enumerate(article.attributions):
        content = _their_content(attribution)
        kind = _TYPES[attribution.kind]
        if attribution.kind is AttributionKind.INDIRECT and not attribution.cue:
            kind = "IndirectFreeIndirect"
        entry: dict[str, Any] = {
            "addressee": doc.role(doc.ranges(attribution.addressee)),
            "cue": doc.role(doc.ranges(attribution.cue)),
            "frame": doc.role(doc.ranges(_frame(attribution))),
            "hasNested": attribution.id in parents,
            "id": n,
            "isNested": attribution.parent is not None,
            "medium": _MEDIA[attribution.medium],
            "quote": doc.role(
                [(doc.starts[s.block.id] + b, doc.starts[s.block.id] + e) for s, b, e in content]
            ),
            "speaker": doc.role(doc.ranges(attribution.source_mentions)),
            "type": kind,
        }
        if attribution.parent is not None:
            entry["parentId"] = index[attribution.parent.id]
        annotations.append(entry)
    return {
        "annotations": annotations,
        "documentName": article.id,
        "originalText": doc.text,
        "sentences": doc.sentences,
        "tokens": doc.tokens,
    }


# -- reading ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: list[tuple[int, int, Block]] = []

    def fail(self, field: str, message: str) -> DataError:
        return DataError(message, path=self.source, field=field)

    def get(self, node: Any, key: str, kind: type, field: str) -> Any:
        if not isinstance(node, dict):
            raise self.fail(field, "expected an object")
        value = node.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise self.fail(f"{field}.{key}" if field else key, f"expected {kind.__name__}")
        return value

    def spans(self, role: Any, field: str, text: str) -> list[Span]:
        if role is None or role == []:
            return []
        result = []
        pieces = []
        for n, raw in enumerate(self.get(role, "spans", list, field)):
            where = f"{field}.spans[{n}]"
            begin = self.get(raw, "charBegin", int, where)
            end = self.get(raw, "charEnd", int, where)
            if not 0 <= begin < end <= len(text):
                raise self.fail(where, f"offsets {begin}-{end} are outside the text")
            pieces.append(text[begin:end])
            result += self._split(begin, end, where)
        claimed = role.get("text") if isinstance(role, dict) else None
        if isinstance(claimed, str) and claimed.split() != " ".join(pieces).split():
            raise self.fail(f"{field}.text", f"{claimed[:40]!r} does not match the text")
        return result

    def _split(self, begin: int, end: int, where: str) -> list[Span]:
        """A span cut into its parts in each block (their spans may cross paragraphs)."""
        parts = [
            Span(block, max(begin, b_start) - b_start, min(end, b_end) - b_start)
            for b_start, b_end, block in self.blocks
            if begin < b_end and b_start < end
        ]
        if not parts:
            raise self.fail(where, "covers only the line breaks between paragraphs")
        return parts


def _strip_content(kind: str, cue: list[Span], spans: list[Span]) -> list[Span]:
    """Their content boundaries back to ours (the inverse of `_their_content`)."""
    first, last = spans[0], spans[-1]
    single = len(spans) == 1
    start, end = first.start, last.end

    def first_end() -> int:
        return end if single else first.end

    def last_start() -> int:
        return start if single else last.start

    if not cue and last.block.text[end - 1 : end] == "." and end - 1 > last_start():
        end -= 1
    if first.block.text[start : start + 5] in _THAT and start + 5 < first_end():
        start += 5
    if (
        kind == "Direct"
        and first.block.text[start] in _OPEN
        and last.block.text[end - 1] in _CLOSE
        and start + 1 < first_end() - (1 if single else 0)
        and end - 1 > last_start() + (1 if single else 0)
    ):
        start, end = start + 1, end - 1
    if single:
        return [Span(first.block, start, end)]
    return [Span(first.block, start, first.end), *spans[1:-1], Span(last.block, last.start, end)]


def from_wikinews(document: Any, *, source: str = "<wikinews>") -> Article:
    """An article from one document of the WikiNews 2024 corpus, checked and validated.

    Their speakers are spans, not entities: they become source mentions with an unknown
    source; their frames are dropped; German is the corpus's language.
    """
    r = _Reader(source)
    text = r.get(document, "originalText", str, "")
    name = r.get(document, "documentName", str, "")
    published = None
    titled = _TITLED.match(name)
    blocks: list[Block] = []
    if titled:
        article_id = f"wikinews-{titled.group(1)}"
        blocks.append(Block("headline", BlockRole.HEADLINE, titled.group(2)))
        published = titled.group(3)
    elif ID.fullmatch(name):
        article_id = name
    else:
        raise r.fail("documentName", "expected 'ID - Title (YYYY-MM-DD)' or an article id")
    position = 0
    for part in text.split(SEPARATOR):
        if part:
            headline = not blocks
            paragraphs = sum(b.role is BlockRole.PARAGRAPH for b in blocks)
            block = Block(
                "headline" if headline else f"p{paragraphs + 1}",
                BlockRole.HEADLINE if headline else BlockRole.PARAGRAPH,
                part,
            )
            r.blocks.append((position, position + len(part), block))
            blocks.append(block)
        position += len(part) + len(SEPARATOR)
    annotations = r.get(document, "annotations", list, "")
    found: list[tuple[Any, Attribution]] = []
    by_index: dict[int, int] = {}
    for n, raw in enumerate(annotations):
        field = f"annotations[{n}]"
        kind = r.get(raw, "type", str, field)
        if kind not in _KINDS:
            raise r.fail(f"{field}.type", f"unknown type {kind!r}")
        code = raw.get("medium")
        if code not in _CODES:
            raise r.fail(f"{field}.medium", f"no medium we can map: {code!r}")
        cue = r.spans(raw.get("cue"), f"{field}.cue", text)
        content = r.spans(raw.get("quote"), f"{field}.quote", text)
        if not content:
            raise r.fail(f"{field}.quote", "no quote span")
        ident = raw.get("id", n)
        if not isinstance(ident, int) or isinstance(ident, bool) or ident in by_index:
            raise r.fail(f"{field}.id", "expected a distinct integer")
        by_index[ident] = n
        found.append(
            (
                raw,
                Attribution(
                    id=f"a{ident}",
                    kind=_KINDS[kind],
                    medium=_CODES[code],
                    source=None,
                    content=_strip_content(kind, cue, content),
                    cue=cue,
                    source_mentions=r.spans(raw.get("speaker"), f"{field}.speaker", text),
                    addressee=r.spans(raw.get("addressee"), f"{field}.addressee", text),
                ),
            )
        )
    attributions = _nest(found, by_index, r)
    return validated(
        Article(
            id=article_id,
            language="de",
            blocks=tuple(blocks),
            attributions=attributions,
            published=published,
        ),
        source,
    )


def _nest(
    found: list[tuple[Any, Attribution]], by_index: dict[int, int], r: _Reader
) -> tuple[Attribution, ...]:
    """Set parents from our ``parentId``, else from their ``isNested`` and ``hasNested``."""
    done: dict[int, Attribution] = {}

    def build(n: int, seen: tuple[int, ...]) -> Attribution:
        if n in done:
            return done[n]
        if n in seen:
            raise r.fail(f"annotations[{n}].parentId", "parents form a cycle")
        raw, attribution = found[n]
        parent_id = raw.get("parentId")
        parent_n = None
        if parent_id is not None:
            if parent_id not in by_index:
                raise r.fail(f"annotations[{n}].parentId", f"no annotation {parent_id!r}")
            parent_n = by_index[parent_id]
        elif raw.get("isNested") is True:
            parent_n = _enclosing(n, found)
        if parent_n is not None:
            parent = build(parent_n, (*seen, n))
            attribution = Attribution(
                id=attribution.id,
                kind=attribution.kind,
                medium=attribution.medium,
                source=attribution.source,
                content=attribution.content,
                cue=attribution.cue,
                source_mentions=attribution.source_mentions,
                addressee=attribution.addressee,
                parent=parent,
            )
        done[n] = attribution
        return attribution

    return tuple(build(n, ()) for n in range(len(found)))


def _size(attribution: Attribution) -> int:
    return sum(s.end - s.start for s in attribution.content)


def _enclosing(n: int, found: list[tuple[Any, Attribution]]) -> int | None:
    """The parent their ``isNested`` implies, or None if there is none or two tie.

    It is the smallest ``hasNested`` annotation whose content holds all of this one's
    and is strictly larger, so parents can never form a cycle.
    """
    child = found[n][1]
    candidates = sorted(
        (_size(a), m)
        for m, (raw, a) in enumerate(found)
        if m != n
        and raw.get("hasNested") is True
        and _size(a) > _size(child)
        and all(any(p.contains(s) for p in a.content) for s in child.content)
    )
    if not candidates or (len(candidates) > 1 and candidates[0][0] == candidates[1][0]):
        return None
    return candidates[0][1]


def read_wikinews(
    data: bytes, *, source: str = "<wikinews>", limits: Limits = DEFAULT_LIMITS
) -> Article:
    """An article from the bytes of one of their JSON files (untrusted; bounded)."""
    return from_wikinews(read_json(data, source, limits), source=source)
