"""A self-contained HTML page of an article and its annotation (standard library only).

The page shows the article as a reader sees it (kicker, headline, image box,
teaser, body, agencies, author code) with the annotation drawn on the text:
quotes in a colour per speaker, cue words underlined, attribution contents
shaded by kind (with a text label and a border pattern too), nested
attributions inside their parents, and a tooltip on hover and keyboard focus.
A legend of entities, a table of every attribution and a table of the claims
and their quantities follow; claims are marked on the text too.

Safety: every value from the data goes through `html.escape`, no URL is built
from data (except an ``http(s)`` article URL), the CSS and the script are fixed
package data (``data/html/page.css`` and ``page.js``), and a Content-Security-Policy
allows only those two by hash.  `_nest` nests the overlapping marks.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Final

import attr

from ._model import AttributionKind, BlockRole
from ._nest import Open, Text, nest

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._model import Article, Attribution, Block, Claim, ImageCredit, Quote, Span

__all__ = ["KIND_STYLES", "SCRIPT", "SPEAKER_COLOURS", "STYLE", "to_html"]

#: Text and page colours (the contrast of every background below is checked in the tests).
INK: Final = "#1b1b1b"
PAPER: Final = "#ffffff"
MUTED: Final = "#4d4d4d"
FOCUS: Final = "#0b57d0"

#: Quote colours, one per speaker (background, border), in order of first quote.
SPEAKER_COLOURS: Final = (
    ("#ffc88f", "#8a4b00"),
    ("#a6e3d7", "#0f6b5c"),
    ("#f7b3cb", "#8f1f4a"),
    ("#c9dc86", "#4f6200"),
    ("#b5ccff", "#1d4fb8"),
    ("#dcbcff", "#6a2fb0"),
    ("#ffe27a", "#7a6100"),
    ("#bfe6a5", "#2f6d12"),
)
#: Quotes whose source the text leaves unknown.
UNKNOWN_COLOUR: Final = ("#d6d6d6", "#4d4d4d")

#: Attribution kinds: (label, background shade, border style); the style is the pattern
#: that, with the label, keeps colour from being the only signal.
KIND_STYLES: Final = {
    AttributionKind.DIRECT: ("direct", "#fbeec0", "solid"),
    AttributionKind.INDIRECT: ("indirect", "#dce8fa", "dashed"),
    AttributionKind.FREE_INDIRECT: ("free indirect", "#ebe0f7", "dotted"),
    AttributionKind.REPORTED: ("reported", "#e0f0e3", "double"),
}

_PARTY_ROLES: Final = {
    "originating_agency": "originating agency",
    "distributing_agency": "distributing agency",
    "photographer": "photographer",
    "copyright_holder": "copyright holder",
}


def _asset(name: str) -> str:
    """A fixed file of the page (``ukrnews/data/html/``): package data, never built from data."""
    return (resources.files("ukrnews") / "data" / "html" / name).read_text(encoding="utf-8")


def _kind_class(kind: AttributionKind) -> str:
    return "k-" + kind.value.replace("_", "-")


def _build_style() -> str:
    kind_rules = "\n".join(
        f".att.{_kind_class(kind)}, .kind-sw.{_kind_class(kind)}"
        f" {{ background-color: {shade}; border-bottom-style: {pattern}; }}"
        for kind, (_, shade, pattern) in KIND_STYLES.items()
    )
    speakers = [*((f"s{n}", c) for n, c in enumerate(SPEAKER_COLOURS)), ("sx", UNKNOWN_COLOUR)]
    speaker_rules = "\n".join(
        f".{name} {{ background-color: {bg}; border-color: {line}; }}"
        for name, (bg, line) in speakers
    )
    filter_rules = "\n".join(
        f"body:has(#f-{_kind_class(kind)}:not(:checked)) .att.{_kind_class(kind)} "
        "{ background-color: transparent; border-bottom-color: transparent; }"
        for kind in KIND_STYLES
    )
    return Template(_asset("page.css")).substitute(
        ink=INK,
        paper=PAPER,
        muted=MUTED,
        focus=FOCUS,
        kind_rules=kind_rules,
        speaker_rules=speaker_rules,
        filter_rules=filter_rules,
    )


#: The page's only stylesheet: a constant, never built from data.
STYLE: Final = _build_style()

#: The page's only script: Escape hides tooltips; the entity legend highlights mentions.
SCRIPT: Final = _asset("page.js")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


#: Only the fixed stylesheet and script may run; nothing is fetched.
CSP: Final = (
    "default-src 'none'; "
    f"style-src '{_sha256(STYLE)}'; "
    f"script-src '{_sha256(SCRIPT)}'; "
    "base-uri 'none'; form-action 'none'"
)

# Characters that HTML cannot carry faithfully or that would be invisible: C0 and C1
# controls (but tab and newline), DEL, lone surrogates and noncharacters. They are
# shown as a visible code (U+000D) with the code point in data-cp.
_SHOWN_AS_CODE: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)

_SAFE_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
_HTTP_URL: Final = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def _text(value: str) -> str:
    """Data text as HTML element content: escaped, with unprintable characters made visible."""
    out: list[str] = []
    last = 0
    for match in _SHOWN_AS_CODE.finditer(value):
        out.append(html.escape(value[last : match.start()]))
        cp = f"{ord(match.group()):04X}"
        out.append(f'<span class="cc" data-cp="{cp}">U+{cp}</span>')
        last = match.end()
    out.append(html.escape(value[last:]))
    return "".join(out)


def _attr(value: str) -> str:
    """Data text as an attribute value (always double-quoted by the caller)."""
    return html.escape(_SHOWN_AS_CODE.sub("\ufffd", value), quote=True)


def _lang(article: Article) -> str:
    return _attr(article.language)


@attr.frozen
class _Mark:
    """One annotation over ``[start, end)`` of a block, as an element; may be split."""

    start: int
    end: int
    rank: int  # layer, for marks with the same extent: lower is outer
    depth: int  # nesting depth of the attribution it belongs to
    seq: int  # creation order: a stable tie-break
    tag: str
    classes: str
    attrs: tuple[tuple[str, str], ...] = ()  # on every fragment
    first: tuple[tuple[str, str], ...] = ()  # on the first fragment only
    tip: str = ""  # tooltip markup, inside the first fragment

    @property
    def is_content(self) -> bool:
        return self.rank == _CONTENT


_CONTENT, _QUOTE, _EVIDENCE, _ADDRESSEE, _PLACE, _PROVENANCE, _SOURCE, _PARTY, _CUE, _MENTION = (
    range(10)
)

_CLAIM, _QUANTITY = 10, 11  # innermost of all: a claim often has its attribution's extent


def _attrs_html(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in pairs)


def _open(mark: _Mark, *, first: bool, level: int) -> str:
    classes = mark.classes
    if mark.is_content:
        classes += f" n{min(level, 2)}"
    pairs = [("class", classes), *mark.attrs]
    pairs.extend(mark.first if first else [("data-cont", "true")])
    return f"<{mark.tag}{_attrs_html(pairs)}>" + (mark.tip if first else "")


def _annotate(text: str, marks: list[_Mark]) -> str:
    """The text with its marks as well-formed, properly nested elements (see `_nest`)."""
    out: list[str] = []
    for event in nest(len(text), marks, lambda m: (m.rank, m.depth, m.seq)):
        if isinstance(event, Text):
            out.append(_text(text[event.start : event.end]))
        elif isinstance(event, Open):
            level = sum(1 for m in event.outer if m.is_content)
            out.append(_open(event.item, first=event.first, level=level))
        else:
            out.append(f"</{event.item.tag}>")
    return "".join(out)


class _Anchors:
    """Element ids from data ids: ``att-a5`` when the id is safe and unused, else by number."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._given: dict[tuple[str, int], str] = {}

    def __call__(self, prefix: str, ident: str, index: int) -> str:
        key = (prefix, index)
        if key not in self._given:
            anchor = f"{prefix}-{ident}"
            if not _SAFE_ID.match(ident) or anchor in self._used:
                anchor = f"{prefix}-_{index}"
            self._used.add(anchor)
            self._given[key] = anchor
        return self._given[key]


def _kind_label(kind: AttributionKind) -> str:
    return KIND_STYLES[kind][0]


def _spans_text(spans: tuple[Span, ...]) -> str:
    return " … ".join(s.text for s in spans)


def _image_blocks(credit: ImageCredit) -> tuple[Block, ...]:
    """An image's blocks that are present: title, caption, credit line."""
    blocks = (credit.title_block, credit.caption_block, credit.credit_block)
    return tuple(b for b in blocks if b is not None)


# Where a block of these roles goes on the page (head or flow), as which element and class.
_PLACES: Final = {
    BlockRole.KICKER: ("head", "p", "kicker"),
    BlockRole.HEADLINE: ("head", "h1", "headline"),
    BlockRole.TEASER: ("flow", "p", "teaser"),
    BlockRole.SUBHEADING: ("flow", "h2", "subheading"),
}


class _Page:
    """Builds the page for one article; holds the per-article lookups."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.lang = _lang(article)
        self.anchor = _Anchors()
        self.att_index = {id(a): n for n, a in enumerate(article.attributions)}
        self.quote_index = {id(q): n for n, q in enumerate(article.quotes)}
        self.speaker_class: dict[str, str] = {}
        for quote in article.quotes:
            speaker = quote.speaker
            if speaker is not None and speaker.id not in self.speaker_class:
                n = len(self.speaker_class) % len(SPEAKER_COLOURS)
                self.speaker_class[speaker.id] = f"s{n}"
        self.marks: dict[str, list[_Mark]] = {}
        self._seq = itertools.count()
        self._collect()

    # -- marks ---------------------------------------------------------------

    def _add(
        self,
        span: Span,
        rank: int,
        tag: str,
        classes: str,
        *,
        depth: int,
        attrs: tuple[tuple[str, str], ...] = (),
        first: tuple[tuple[str, str], ...] = (),
        tip: str = "",
    ) -> None:
        mark = _Mark(
            span.start,
            span.end,
            rank,
            depth,
            next(self._seq),
            tag,
            classes,
            attrs=attrs,
            first=first,
            tip=tip,
        )
        self.marks.setdefault(span.block.id, []).append(mark)

    def att_anchor(self, attribution: Attribution) -> str:
        return self.anchor("att", attribution.id, self.att_index.get(id(attribution), -1))

    def quote_anchor(self, quote: Quote) -> str:
        return self.anchor("quote", quote.id, self.quote_index[id(quote)])

    def _depth(self, attribution: Attribution) -> int:
        return sum(1 for _ in itertools.islice(attribution.ancestors(), 64))

    def _collect(self) -> None:
        """Every mark of the article, in the order that breaks ties between equal marks."""
        for attribution in self.article.attributions:
            self._collect_attribution(attribution)
        self._collect_quotes()
        self._collect_claims()
        self._collect_mentions()
        self._collect_image_credits()

    def _collect_attribution(self, attribution: Attribution) -> None:
        """The content marks (the first carries the anchor and tip), then the role marks."""
        depth = self._depth(attribution)
        anchor = self.att_anchor(attribution)
        common = (("data-att", attribution.id),)
        label = f"{attribution.id} {_kind_label(attribution.kind)}"
        label += " · " + (attribution.source.name if attribution.source else "unknown source")
        content_attrs = (
            *common,
            ("data-kind", attribution.kind.value),
            ("data-medium", " ".join(attribution.medium.names)),
            ("data-source", attribution.source.id if attribution.source else ""),
            ("data-parent", attribution.parent.id if attribution.parent else ""),
        )
        first = (
            ("id", anchor),
            ("tabindex", "0"),
            ("aria-describedby", f"tip-{anchor}"),
            ("data-label", label),
        )
        for n, span in enumerate(attribution.content):
            self._add(
                span,
                _CONTENT,
                "span",
                f"att {_kind_class(attribution.kind)}",
                depth=depth,
                attrs=content_attrs,
                first=first if n == 0 else (),
                tip=self._tip(attribution, anchor) if n == 0 else "",
            )
        roles = (
            ("cue", _CUE, attribution.cue),
            ("source", _SOURCE, attribution.source_mentions),
            ("evidence", _EVIDENCE, attribution.evidence),
            ("addressee", _ADDRESSEE, attribution.addressee),
            ("place", _PLACE, attribution.place),
        )
        for role, rank, spans in roles:
            for span in spans:
                attrs = (*common, ("data-role", role))
                self._add(span, rank, "span", f"r-{role}", depth=depth, attrs=attrs)

    def _collect_quotes(self) -> None:
        """A mark per quote span, coloured by speaker; the first carries the anchor."""
        for n, quote in enumerate(self.article.quotes):
            speaker = quote.speaker
            colour = self.speaker_class.get(speaker.id, "sx") if speaker else "sx"
            pairs = (
                ("data-quote", quote.id),
                ("data-speaker", speaker.id if speaker else ""),
                ("data-att", quote.attribution.id),
                ("data-partial", "true" if quote.partial else "false"),
            )
            for k, span in enumerate(quote.spans):
                self._add(
                    span,
                    _QUOTE,
                    "mark",
                    f"q {colour}",
                    depth=0,
                    attrs=pairs,
                    first=(("id", self.anchor("quote", quote.id, n)),) if k == 0 else (),
                )

    def _collect_mentions(self) -> None:
        for entity in self.article.entities:
            for span in entity.mentions:
                self._add(
                    span, _MENTION, "span", "m", depth=0, attrs=(("data-mention", entity.id),)
                )

    def _collect_image_credits(self) -> None:
        """The parties in credit lines and the provenance statements in captions."""
        for credit in self.article.image_credits:
            for party in credit.parties:
                self._add(
                    party.mention,
                    _PARTY,
                    "span",
                    "party",
                    depth=0,
                    attrs=(("data-entity", party.entity.id), ("data-role", party.role.value)),
                )
            if credit.provenance is not None:
                for span in credit.provenance.statement:
                    self._add(
                        span,
                        _PROVENANCE,
                        "span",
                        "prov",
                        depth=0,
                        attrs=(("data-image", credit.id),),
                    )

    def _collect_claims(self) -> None:
        for n, claim in enumerate(self.article.claims):
            for k, span in enumerate(claim.spans):
                first = (("id", self.anchor("claim", claim.id, n)),) if k == 0 else ()
                self._add(
                    span,
                    _CLAIM,
                    "span",
                    "clm",
                    depth=0,
                    attrs=(("data-claim", claim.id),),
                    first=first,
                )
            for quantity in claim.quantities:
                pairs = (
                    ("data-claim", claim.id),
                    ("data-value", str(quantity.value)),
                    ("data-bound", quantity.bound.value),
                )
                self._add(quantity.span, _QUANTITY, "span", "qty", depth=0, attrs=pairs)

    def _tip(self, attribution: Attribution, anchor: str) -> str:
        def row(label: str, value: str, *, data: bool = True) -> str:
            lang = f' lang="{self.lang}"' if data else ""
            return f'<span class="tip-r"><b>{label}</b> <span{lang}>{value}</span></span>'

        def spans(spans: tuple[Span, ...], absent: str) -> str:
            return _text(_spans_text(spans)) if spans else f'<i lang="en">{absent}</i>'

        source = attribution.source
        rows = [
            f'<span class="tip-h">{_text(attribution.id)} · {_kind_label(attribution.kind)}</span>',
            row(
                "Source",
                (_text(source.name) if source else '<i lang="en">unknown (not given)</i>')
                + (
                    f" ({_text(_spans_text(attribution.source_mentions))})"
                    if attribution.source_mentions
                    else ""
                ),
            ),
            row("Kind", _kind_label(attribution.kind), data=False),
            row("Medium", " + ".join(attribution.medium.names) or "none", data=False),
            row("Cue", spans(attribution.cue, "implicit (no cue words)")),
            row("Evidence", spans(attribution.evidence, "none given")),
        ]
        if attribution.addressee:
            rows.append(row("Addressee", spans(attribution.addressee, "")))
        if attribution.place:
            rows.append(row("Place", spans(attribution.place, "")))
        if attribution.parent is not None:
            rows.append(row("Inside", _text(attribution.parent.id), data=False))
        if attribution.quotes:
            rows.append(
                row("Quotes", _text(", ".join(q.id for q in attribution.quotes)), data=False)
            )
        tip_id = f"tip-{_attr(anchor)}"
        return f'<span class="tip" role="tooltip" id="{tip_id}" lang="en">{"".join(rows)}</span>'

    # -- blocks --------------------------------------------------------------

    def block(self, block: Block, tag: str, classes: str = "") -> str:
        cls = f"blk {classes}".strip()
        body = _annotate(block.text, self.marks.get(block.id, []))
        return f'<{tag} class="{cls}" data-block="{_attr(block.id)}">{body}</{tag}>'

    def figure(self, credit: ImageCredit, index: int) -> str:
        anchor = self.anchor("image", credit.id, index)
        title = credit.title_block
        parts = [
            f'<figure class="image" id="{anchor}" data-image="{_attr(credit.id)}">',
            '<div class="placeholder" lang="en">Image not included in the dataset'
            + (" (title below)" if title is not None else "")
            + "</div>",
            "<figcaption>",
        ]
        if title is not None:
            parts.append(self.block(title, "p", "image-title"))
        if credit.caption_block is not None:
            parts.append(self.block(credit.caption_block, "p", "caption"))
        copyright_sign = "true" if credit.has_copyright_sign else "false"
        body = _annotate(credit.credit_block.text, self.marks.get(credit.credit_block.id, []))
        parts.append(
            f'<p class="blk credit-line" data-block="{_attr(credit.credit_block.id)}"'
            f' data-image="{_attr(credit.id)}" data-copyright="{copyright_sign}">{body}</p>'
        )
        note: list[str] = []
        if credit.parties:
            items = "".join(
                f'<li data-entity="{_attr(p.entity.id)}" data-role="{_attr(p.role.value)}">'
                f'<span lang="{self.lang}">{_text(p.entity.name)}</span>'
                + (f" (“{_text(p.mention.text)}”)" if p.mention.text != p.entity.name else "")
                + f": {_PARTY_ROLES.get(p.role.value, _text(p.role.value))}</li>"
                for p in credit.parties
            )
            note.append(f"<span>Parties named in the credit line:</span><ul>{items}</ul>")
        provenance = credit.provenance
        if provenance is not None:
            facts = []
            if provenance.released_by is not None:
                facts.append(
                    f'released by <span lang="{self.lang}">'
                    f"{_text(provenance.released_by.name)}</span>"
                )
            if provenance.state_run is not None:
                facts.append("state-run: " + ("yes" if provenance.state_run else "no"))
            note.append(
                f'<span>Provenance (from the caption): “<span lang="{self.lang}">'
                f"{_text(_spans_text(provenance.statement))}</span>”"
                + (f"; {'; '.join(facts)}" if facts else "")
                + "</span>"
            )
        if note:
            parts.append(f'<div class="note" lang="en">{"".join(note)}</div>')
        parts.append("</figcaption></figure>")
        return "".join(parts)

    def article_html(self) -> str:
        """The article in reading order: header, body with figures, credits footer."""
        article = self.article
        image_of = self.image_of()
        parts: dict[str, list[str]] = {"head": [], "flow": [], "foot": []}
        done: set[str] = set()
        for block in article.blocks:
            if block.id in done:
                continue
            done.add(block.id)
            image = image_of.get(block.id)
            if image is not None:
                index, credit = image
                parts["flow"].append(self.figure(credit, index))
                done.update(b.id for b in _image_blocks(credit))
            else:
                place, html = self.placed_block(block)
                parts[place].append(html)
        if article.agencies and not any(b.role is BlockRole.AGENCY_LINE for b in article.blocks):
            agencies = " · ".join(article.agencies)
            parts["foot"].append(
                f'<p><span class="lbl" lang="en">Agencies:</span> {_text(agencies)}</p>'
            )
        head, flow, foot = ("".join(parts[p]) for p in ("head", "flow", "foot"))
        return (
            f'<article class="article" data-article="{_attr(article.id)}" lang="{self.lang}">'
            f"<header>{head}</header>"
            f'<div class="body">{flow}</div>'
            + (f'<footer class="credits">{foot}</footer>' if parts["foot"] else "")
            + "</article>"
        )

    def image_of(self) -> dict[str, tuple[int, ImageCredit]]:
        """Each image block's image (its index and credit); the first image wins."""
        found: dict[str, tuple[int, ImageCredit]] = {}
        for index, credit in enumerate(self.article.image_credits):
            for block in _image_blocks(credit):
                found.setdefault(block.id, (index, credit))
        return found

    def placed_block(self, block: Block) -> tuple[str, str]:
        """A block not in a figure: its part of the page (head, flow, foot) and its HTML."""
        role = block.role
        if role in _PLACES:
            place, tag, css_class = _PLACES[role]
            return place, self.block(block, tag, css_class)
        if role is BlockRole.AGENCY_LINE:
            return "foot", (
                '<p><span class="lbl" lang="en">Agencies:</span> '
                f"{self.block(block, 'span', 'agency-line')}</p>"
            )
        if role is BlockRole.AUTHOR_CODE:
            return "foot", (
                '<p><span class="lbl" lang="en">Author code:</span> '
                f"{self.block(block, 'span', 'author-code')}"
                ' <span class="note" lang="en">(its expansion is not in the source)</span></p>'
            )
        return "flow", self.block(block, "p", role.value.replace("_", "-"))

    # -- around the article --------------------------------------------------

    def excluded_html(self) -> str:
        items = "".join(
            f'<li><span class="ex-text" lang="{self.lang}">{_text(x.text)}</span>'
            f' <span class="note">({_text(x.reason)})</span></li>'
            for x in self.article.excluded
        )
        body = f"<ul>{items}</ul>" if items else '<p class="absent">None recorded.</p>'
        return (
            '<section class="excluded ui" id="excluded" aria-labelledby="excluded-h" lang="en">'
            '<h2 id="excluded-h">Excluded page furniture</h2>'
            "<p>Text in the source that is not the article. It is kept out of the"
            " article but listed here, so nothing is silently lost.</p>"
            f"{body}</section>"
        )

    def entities_html(self) -> str:
        article = self.article
        rows = []
        for entity in article.entities:
            quotes = article.quotes_by(entity)
            attributions = article.attributions_by(entity)
            colour = self.speaker_class.get(entity.id)
            swatch = (
                f'<span class="sw {colour}" title="quote colour"></span>'
                if colour and quotes
                else ""
            )
            title = f'<br><span class="note">{_text(entity.title)}</span>' if entity.title else ""
            ext = "".join(
                f'<br><span class="note" lang="en">editorial: {_text(x.scheme)} {_text(x.value)}'
                f" (verified by {_text(x.verified_by)})</span>"
                for x in entity.external_ids
            )
            name = f'<span lang="{self.lang}">{_text(entity.name)}</span>'
            kind = f'<br><span class="note">{_text(entity.kind.value)}</span>'
            rows.append(
                f'<tr data-entity="{_attr(entity.id)}" data-kind="{_attr(entity.kind.value)}"'
                f' data-mentions="{len(entity.mentions)}" data-quotes="{len(quotes)}"'
                f' data-attributions="{len(attributions)}">'
                f"<td>{swatch}</td>"
                f'<th scope="row">{name}{title}{kind}{ext}</th>'
                f'<td class="num">{len(entity.mentions)}</td>'
                f'<td class="num">{len(quotes)}</td>'
                f'<td class="num">{len(attributions)}</td></tr>'
            )
        unknown = [q for q in article.quotes if q.speaker is None]
        if unknown:
            rows.append(
                '<tr data-unknown="true"><td><span class="sw sx" title="quote colour"></span></td>'
                '<th scope="row"><i>unknown source</i></th><td class="num">–</td>'
                f'<td class="num">{len(unknown)}</td><td class="num">'
                f"{sum(1 for a in article.attributions if a.source is None)}</td></tr>"
            )
        body = "".join(rows) or '<tr><td colspan="5" class="absent">No entities.</td></tr>'
        return (
            '<section id="entities" aria-labelledby="entities-h">'
            '<h2 id="entities-h">Entities</h2>'
            '<p class="note">Quote colour, name (title, kind) and the number of mentions,'
            " quotes and attributions. Hover or focus a row to outline its mentions.</p>"
            '<div class="scroll" role="region" aria-labelledby="entities-h" tabindex="0">'
            '<table><thead><tr><th scope="col"><span class="sr">Quote colour</span></th>'
            '<th scope="col">Name</th>'
            '<th scope="col" class="num">Mentions</th><th scope="col" class="num">Quotes</th>'
            '<th scope="col" class="num"><abbr title="attributions">Attrib.</abbr></th>'
            "</tr></thead>"
            f"<tbody>{body}</tbody></table></div></section>"
        )

    def key_html(self) -> str:
        kinds = "".join(
            f'<li><span class="kind-sw {_kind_class(kind)}"></span>{label}'
            f' <span class="note">({pattern} border)</span></li>'
            for kind, (label, _, pattern) in KIND_STYLES.items()
        )
        filters = "".join(
            f'<label><input type="checkbox" id="f-{_kind_class(kind)}" checked> {label}</label>'
            for kind, (label, _, _) in KIND_STYLES.items()
        ) + "".join(
            f'<label><input type="checkbox" id="f-{name}" checked> {label}</label>'
            for name, label in (
                ("quotes", "quote colours"),
                ("cues", "cue underlines"),
                ("sources", "source boxes"),
                ("labels", "labels"),
                ("claims", "claims"),
            )
        )
        return (
            '<section id="key" aria-labelledby="key-h"><h2 id="key-h">Key</h2>'
            '<p class="note">Each attribution\'s content is shaded by its kind and starts'
            " with a label (id, kind, source). Hover or focus it (Tab) for details;"
            " Escape hides the details.</p>"
            f'<ul class="key">{kinds}</ul>'
            '<ul class="key">'
            '<li><mark class="q s0">quote</mark> verbatim words in quotation marks,'
            " one colour per speaker</li>"
            '<li><span class="r-cue">cue</span> the words that signal the attribution</li>'
            '<li><span class="r-source">source</span> who says, writes or thinks it</li>'
            '<li><span class="r-evidence">evidence</span>,'
            ' <span class="r-addressee">addressee</span>,'
            ' <span class="r-place">place</span></li>'
            '<li><span class="clm">claim</span> a checkable statement;'
            ' <span class="qty">600</span> the words of a number it states</li>'
            "</ul>"
            f"<fieldset><legend>Show</legend>{filters}</fieldset></section>"
        )

    def meta_html(self) -> str:
        article = self.article

        def value(text: str | None, *, link: bool = False) -> str:
            if text is None:
                return '<span class="absent">not given in the source</span>'
            if link and _HTTP_URL.match(text):
                return f'<a href="{_attr(text)}" rel="noopener noreferrer">{_text(text)}</a>'
            return _text(text)

        source = article.source_file
        source_html = (
            f'{_text(source.file)}<br><span class="note">sha256 {_text(source.sha256)}</span>'
            if source is not None
            else value(None)
        )
        return (
            '<section id="about" aria-labelledby="about-h"><h2 id="about-h">About this article</h2>'
            '<dl class="meta">'
            f"<dt>Id</dt><dd>{_text(article.id)}</dd>"
            f"<dt>Language</dt><dd>{_text(article.language)}</dd>"
            f"<dt>Published</dt><dd>{value(article.published)}</dd>"
            f"<dt>Publisher</dt><dd>{value(article.publisher)}</dd>"
            f"<dt>URL</dt><dd>{value(article.url, link=True)}</dd>"
            f"<dt>Source file</dt><dd>{source_html}</dd>"
            f"<dt>Annotation</dt><dd>{len(article.quotes)} quotes, {len(article.attributions)}"
            f" attributions, {len(article.entities)} entities, {len(article.claims)} claims</dd>"
            "</dl></section>"
        )

    def table_html(self) -> str:
        article = self.article
        rows = []
        for attribution in article.attributions:
            anchor = self.att_anchor(attribution)
            source = attribution.source
            parent = attribution.parent
            parent_html = (
                f'<a href="#{self.att_anchor(parent)}">{_text(parent.id)}</a>'
                if parent is not None and id(parent) in self.att_index
                else (_text(parent.id) if parent is not None else "")
            )
            quotes = ", ".join(
                f'<a href="#{self.quote_anchor(q)}">{_text(q.id)}</a>'
                for q in article.quotes_of(attribution)
            )
            others = [
                f'<b>{name}:</b> <span lang="{self.lang}">{_text(_spans_text(spans))}</span>'
                for name, spans in (
                    ("evidence", attribution.evidence),
                    ("addressee", attribution.addressee),
                    ("place", attribution.place),
                )
                if spans
            ]
            cue = _text(attribution.cue_text) if attribution.cue else '<i lang="en">implicit</i>'
            rows.append(
                f'<tr id="row-{anchor}" data-att="{_attr(attribution.id)}"'
                f' data-kind="{attribution.kind.value}">'
                f'<th scope="row"><a href="#{anchor}">{_text(attribution.id)}</a></th>'
                f'<td class="nowrap"><span class="kind-sw {_kind_class(attribution.kind)}"></span>'
                f"{_kind_label(attribution.kind)}</td>"
                f"<td>{' + '.join(attribution.medium.names)}</td>"
                f"<td>{_text(source.name) if source else '<i>unknown</i>'}</td>"
                f'<td lang="{self.lang}">{cue}</td>'
                f'<td lang="{self.lang}">{_text(_spans_text(attribution.content))}</td>'
                f"<td>{'<br>'.join(others)}</td>"
                f"<td>{parent_html}</td><td>{quotes}</td></tr>"
            )
        body = "".join(rows) or '<tr><td colspan="9" class="absent">No attributions.</td></tr>'
        return (
            '<section class="wide ui" id="attributions" aria-labelledby="attributions-h" lang="en">'
            '<h2 id="attributions-h">Attributions</h2>'
            '<div class="scroll" role="region" aria-labelledby="attributions-h" tabindex="0">'
            '<table><thead><tr><th scope="col">Id</th><th scope="col">Kind</th>'
            '<th scope="col">Medium</th><th scope="col">Source</th><th scope="col">Cue</th>'
            '<th scope="col">Content</th><th scope="col">Evidence, addressee, place</th>'
            '<th scope="col">Inside</th><th scope="col">Quotes</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div></section>"
        )

    def _claim_row(self, n: int, claim: Claim) -> str:
        anchor = self.anchor("claim", claim.id, n)
        attribution = claim.attribution
        if attribution is None:
            who = "<i>the newsroom</i>"
        else:
            claimant = claim.claimant
            name = _text(claimant.name) if claimant else "<i>unknown</i>"
            link = f'<a href="#{self.att_anchor(attribution)}">{_text(attribution.id)}</a>'
            who = f"{name} ({link})"
        quantities = "".join(
            f'<li data-value="{_attr(str(q.value))}" data-bound="{q.bound.value}">'
            f'“<span lang="{self.lang}">{_text(q.text)}</span>”: {q.bound.value.replace("_", " ")}'
            f" {_text(str(q.value))}"
            + (f' <span lang="{self.lang}">{_text(q.unit)}</span>' if q.unit else "")
            + f' · <span lang="{self.lang}">{_text(q.measure.text)}</span></li>'
            for q in claim.quantities
        )
        return (
            f'<tr id="row-{anchor}" data-claim="{_attr(claim.id)}">'
            f'<th scope="row"><a href="#{anchor}">{_text(claim.id)}</a></th>'
            f"<td>{who}</td>"
            f'<td lang="{self.lang}">{_text(_spans_text(claim.spans))}</td>'
            f"<td>{f'<ul>{quantities}</ul>' if quantities else ''}</td></tr>"
        )

    def claims_html(self) -> str:
        rows = "".join(self._claim_row(n, c) for n, c in enumerate(self.article.claims))
        body = rows or '<tr><td colspan="4" class="absent">No claims.</td></tr>'
        return (
            '<section class="wide ui" id="claims" aria-labelledby="claims-h" lang="en">'
            '<h2 id="claims-h">Claims</h2>'
            '<p class="note">Checkable statements, who makes them, and the numbers they state'
            " (value, bound, unit, and what is counted, in the article's words).</p>"
            '<div class="scroll" role="region" aria-labelledby="claims-h" tabindex="0">'
            '<table><thead><tr><th scope="col">Id</th><th scope="col">Claimant</th>'
            '<th scope="col">Claim</th><th scope="col">Quantities</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div></section>"
        )

    def page(self) -> str:
        article = self.article
        title = _attr(article.headline or article.id)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{title} – ukrnews annotation</title>\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#attributions" lang="en">Skip to the table of attributions</a>\n'
            '<div class="page">\n'
            f'<main id="main">{self.article_html()}</main>\n'
            f"{self.excluded_html()}\n"
            f'<aside class="ui" lang="en" aria-label="Key, entities and article facts">'
            f"{self.key_html()}{self.entities_html()}{self.meta_html()}</aside>\n"
            f"{self.table_html()}\n"
            f"{self.claims_html()}\n"
            "</div>\n"
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
        )


def to_html(article: Article) -> str:
    """One self-contained HTML page of the article with its annotation drawn on the text.

    Inline CSS and a little inline JavaScript (optional: the page reads fine
    without it); nothing is fetched. Every value from the data is escaped.
    """
    return _Page(article).page()
