"""Tests for the HTML view (`ukrnews.to_html`, `ukrnews render`).

The page is parsed back with `html.parser` into a small, strict tree: every end
tag must close the element it opened, and phrasing elements may only hold
phrasing elements, so the tree is the one a browser builds too. The same tree
checks the structure (quotes, attributions, entities, credit line), the
whitelist of tags and attributes that the injection property relies on, and
that every block's text comes back exactly. The last class runs the page in
a real browser (Debian's Chromium, headless).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import attrs
import pytest
from attrs import field as attrs_field
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from chromium import (
    REGENERATE,
    DevTools,
    console_lines,
    docs_screenshot,
    find_chromium,
    png_size,
    record_path,
    run_headless,
    stale_marks,
)
from helpers import ARTICLE_ID
from ukrnews import _html
from ukrnews._cli import build_parser, main
from ukrnews._html import _annotate, _Mark
from ukrnews.testing import articles, texts

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


# -- a strict little DOM -------------------------------------------------------

VOID = frozenset({"meta", "br", "input"})
PHRASING = frozenset({"span", "mark", "a", "b", "i", "abbr", "label", "input", "br"})
PHRASING_ONLY = frozenset({"p", "h1", "h2", "title", "legend", *PHRASING} - VOID)

#: Every tag the page may contain; nothing from the data can add to it.
TAGS = frozenset(
    {
        *("html", "head", "meta", "title", "style", "script", "body", "main", "aside"),
        *("article", "header", "footer", "section", "div", "figure", "figcaption"),
        *("h1", "h2", "p", "ul", "li", "dl", "dt", "dd", "table", "thead", "tbody"),
        *("tr", "th", "td", "fieldset", "legend"),
        *PHRASING,
    }
)
#: Every attribute the page may use.
ATTRIBUTES = frozenset(
    {
        *("lang", "charset", "name", "content", "http-equiv", "class", "id", "href", "rel"),
        *("tabindex", "role", "title", "scope", "colspan", "type", "checked"),
        *("aria-describedby", "aria-labelledby", "aria-label"),
        *("data-article", "data-block", "data-image", "data-copyright", "data-att"),
        *("data-kind", "data-medium", "data-source", "data-parent", "data-label"),
        *("data-cont", "data-role", "data-quote", "data-speaker", "data-partial"),
        *("data-mention", "data-entity", "data-mentions", "data-quotes"),
        *("data-attributions", "data-unknown", "data-cp"),
        *("data-claim", "data-value", "data-bound"),
    }
)
#: Every class name the page may use.
CLASSES = frozenset(
    {
        *("ui", "skip", "page", "article", "blk", "kicker", "headline", "teaser", "subheading"),
        *("paragraph", "image-title", "caption", "credit-line", "agency-line", "author-code"),
        *("image", "placeholder", "note", "credits", "lbl", "cc", "att", "n0", "n1", "n2"),
        *("k-direct", "k-indirect", "k-free-indirect", "k-reported", "q", "sx"),
        *(f"s{n}" for n in range(len(_html.SPEAKER_COLOURS))),
        *("r-cue", "r-source", "r-evidence", "r-addressee", "r-place", "prov", "party", "m"),
        *("tip", "tip-r", "tip-h", "excluded", "ex-text", "wide", "scroll", "sw", "kind-sw"),
        *("key", "num", "nowrap", "sr", "meta", "absent", "body"),
        *("clm", "qty"),
    }
)
SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@attrs.define(eq=False)
class Node:
    """An element of the parsed page."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = attrs_field(factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        """This element and all below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **wanted: str) -> list[Node]:
        """Elements below (and including) this one with the tag and attributes given."""
        pairs = {k.replace("_", "-"): v for k, v in wanted.items()}
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and all(n.attrs.get(k) == v for k, v in pairs.items())
        ]

    def find(self, tag: str | None = None, **wanted: str) -> Node:
        """The one element with the tag and attributes given."""
        (found,) = self.find_all(tag, **wanted)
        return found

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        """The text as a reader gets it: tooltips left out, visible code points decoded."""
        if "tip" in self.classes:
            return ""
        if "cc" in self.classes:
            return chr(int(self.attrs["data-cp"], 16))
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class Tree(HTMLParser):
    """Parse a page into `Node`s, failing on anything a browser would have to repair."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.declarations: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        if parent.tag in PHRASING_ONLY:
            assert tag in PHRASING, f"<{tag}> inside <{parent.tag}>"
        values = {k: v or "" for k, v in attrs}
        assert len(values) == len(attrs), f"duplicate attribute in <{tag}>"
        node = Node(tag, values, parent)
        parent.children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        raise AssertionError(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"end tag for void <{tag}>"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"declaration {data!r}")


def parse(page: str) -> Node:
    """The page's tree; fails unless it is well formed, complete and has no comments."""
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert tree.stack == [tree.root], f"unclosed: {[n.tag for n in tree.stack]}"
    assert tree.declarations == ["DOCTYPE html"]
    assert tree.other == []
    (html,) = [c for c in tree.root.children if isinstance(c, Node)]
    return html


def sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def check_safe(page: str, dom: Node) -> None:
    """Only the fixed tags, attributes, classes, script and style; no active URL anywhere."""
    assert len(re.findall(r"<script", page, re.IGNORECASE)) == 1
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 1
    for node in dom.iter():
        assert node.tag in TAGS, node.tag
        for name, value in node.attrs.items():
            assert name in ATTRIBUTES, (node.tag, name)
            squeezed = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value).lower()
            assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), value
        assert node.classes <= CLASSES, node.classes - CLASSES
        if "id" in node.attrs:
            assert SAFE_ID.match(node.attrs["id"]), node.attrs["id"]
        if "href" in node.attrs:
            assert node.attrs["href"].startswith(("#", "https://", "http://")), node.attrs
    (script,) = dom.find_all("script")
    assert script.children == [_html.SCRIPT]
    (style,) = dom.find_all("style")
    assert style.children == [_html.STYLE]


def check_blocks(article: ukrnews.Article, dom: Node) -> None:
    """Every block of the article is on the page once, with exactly its text."""
    for block in article.blocks:
        (node,) = dom.find_all(data_block=block.id)
        assert node.text() == block.text


@pytest.fixture(scope="module")
def article() -> ukrnews.Article:
    return ukrnews.load().article(ARTICLE_ID)


@pytest.fixture(scope="module")
def page(article: ukrnews.Article) -> str:
    return ukrnews.to_html(article)


@pytest.fixture(scope="module")
def dom(page: str) -> Node:
    return parse(page)


# -- the bundled article -------------------------------------------------------


class TestStructure:
    """The bundled article's page has every piece, with the right attributes."""

    def test_well_formed_and_safe(self, page: str, dom: Node) -> None:
        check_safe(page, dom)
        ids = [n.attrs["id"] for n in dom.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids))

    def test_language_title_and_policy(self, article: ukrnews.Article, dom: Node) -> None:
        assert dom.tag == "html"
        assert dom.attrs["lang"] == "de"
        assert dom.find("title").text().startswith(article.headline)
        policy = dom.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
        assert "default-src 'none'" in policy
        assert f"script-src '{sha256(_html.SCRIPT)}'" in policy
        assert f"style-src '{sha256(_html.STYLE)}'" in policy

    def test_every_block_round_trips(self, article: ukrnews.Article, dom: Node) -> None:
        check_blocks(article, dom)

    def test_reading_order(self, article: ukrnews.Article, dom: Node) -> None:
        """Kicker, headline, image, teaser, body, agencies, author code; furniture apart."""
        nodes = list(dom.find("article").iter())
        kicker = dom.find(data_block="kicker")
        assert kicker.tag == "p"
        assert "kicker" in kicker.classes
        headline = dom.find(data_block="headline")
        assert headline.tag == "h1"
        figure = dom.find("figure")
        teaser = dom.find(data_block="teaser")
        subheading = dom.find(data_block="h1")
        assert subheading.tag == "h2"
        body = [dom.find(data_block=b.id) for b in article.body]
        agencies = dom.find(data_block="agency_line")
        author = dom.find(data_block="author_code")
        order = [kicker, headline, figure, teaser, *body, agencies, author]
        assert [nodes.index(n) for n in order] == sorted(nodes.index(n) for n in order)
        assert agencies.text() == "DPA · Reuters"
        assert author.text() == "wue"
        assert any(n.tag == "footer" for n in agencies.ancestors())
        assert any(n.tag == "footer" for n in author.ancestors())

    def test_excluded_furniture_is_listed_apart(self, article: ukrnews.Article, dom: Node) -> None:
        section = dom.find("section", id="excluded")
        listed = [n.text() for n in section.iter() if "ex-text" in n.classes]
        assert listed == [x.text for x in article.excluded] == ["PRODUKTE & TIPPS", "Kaufkosmos"]
        assert "PRODUKTE" not in dom.find("article").text()

    def test_quotes(self, article: ukrnews.Article, dom: Node) -> None:
        """Each quote is a <mark> with its id, speaker and colour; a speaker keeps one colour."""
        colours: dict[str, str] = {}
        for quote in article.quotes:
            marks = dom.find_all("mark", data_quote=quote.id)
            assert marks
            first = marks[0]
            assert first.attrs["id"] == f"quote-{quote.id}"
            assert "data-cont" not in first.attrs
            assert all(m.attrs.get("data-cont") == "true" for m in marks[1:])
            assert "".join(m.text() for m in marks) == "".join(s.text for s in quote.spans)
            assert quote.speaker is not None
            for m in marks:
                assert m.attrs["data-speaker"] == quote.speaker.id
                assert m.attrs["data-att"] == quote.attribution.id
                assert m.attrs["data-partial"] == ("true" if quote.partial else "false")
                (colour,) = m.classes - {"q"}
                assert colours.setdefault(quote.speaker.id, colour) == colour
        assert colours == {"rutte": "s0", "selenskyj": "s1"}
        assert dom.find("mark", data_quote="q4").text() == "Terror"

    def test_attributions(self, article: ukrnews.Article, dom: Node) -> None:
        """Each attribution: shaded content by kind, focusable, with a tooltip of its facts."""
        for a in article.attributions:
            first = dom.find(id=f"att-{a.id}")
            assert first.tag == "span"
            assert first.classes >= {"att", "k-" + a.kind.value.replace("_", "-")}
            assert first.attrs["data-att"] == a.id
            assert first.attrs["data-kind"] == a.kind.value
            assert first.attrs["data-medium"] == " ".join(a.medium.names)
            assert first.attrs["data-source"] == (a.source.id if a.source else "")
            assert first.attrs["tabindex"] == "0"
            label = _html.KIND_STYLES[a.kind][0]
            assert first.attrs["data-label"].startswith(f"{a.id} {label} · ")
            tip = dom.find(id=first.attrs["aria-describedby"])
            assert tip.parent is first
            assert tip.attrs["role"] == "tooltip"
            facts = "".join(_text_with_tips(tip))
            assert (a.source.name if a.source else "unknown") in facts
            assert f"Kind {label}" in facts
            assert "Medium " + " + ".join(a.medium.names) in facts
            cue = f"Cue {a.cue_text}" if a.cue else "Cue implicit (no cue words)"
            assert cue in facts
            evidence = " … ".join(s.text for s in a.evidence) if a.evidence else "none given"
            assert f"Evidence {evidence}" in facts
            content = [n for n in dom.iter() if "att" in n.classes and n.attrs["data-att"] == a.id]
            assert "".join(n.text() for n in content) == "".join(s.text for s in a.content)

    def test_evidence_is_in_the_tooltip(self, dom: Node) -> None:
        tip = "".join(_text_with_tips(dom.find(id="tip-att-a9")))
        assert "Evidence Nato-Vertreter von einer südkoreanischen Delegation" in tip
        assert "Source Mark Rutte (Rutte)" in tip

    def test_nested_attributions_sit_inside_their_parents(
        self, article: ukrnews.Article, dom: Node
    ) -> None:
        nested = [a for a in article.attributions if a.parent is not None]
        assert {a.id for a in nested} == {"a8", "a17"}
        for a in nested:
            assert a.parent is not None
            node = dom.find(id=f"att-{a.id}")
            outer = [n.attrs.get("data-att") for n in node.ancestors() if "att" in n.classes]
            assert a.parent.id in outer
            assert node.classes & {"n1", "n2"}  # drawn one level in

    def test_cues_and_roles(self, article: ukrnews.Article, dom: Node) -> None:
        for a in article.attributions:
            for role, spans in (
                ("cue", a.cue),
                ("source", a.source_mentions),
                ("evidence", a.evidence),
                ("addressee", a.addressee),
                ("place", a.place),
            ):
                found = [
                    n
                    for n in dom.iter()
                    if n.attrs.get("data-att") == a.id and n.attrs.get("data-role") == role
                ]
                assert all(f"r-{role}" in n.classes for n in found)
                assert "".join(n.text() for n in found) == "".join(s.text for s in spans)

    def test_entities_legend(self, article: ukrnews.Article, dom: Node) -> None:
        rows = dom.find("section", id="entities").find_all("tr")[1:]
        assert [r.attrs["data-entity"] for r in rows] == [e.id for e in article.entities]
        for entity, row in zip(article.entities, rows, strict=True):
            assert row.attrs["data-mentions"] == str(len(entity.mentions))
            assert row.attrs["data-quotes"] == str(len(article.quotes_by(entity)))
            assert row.attrs["data-attributions"] == str(len(article.attributions_by(entity)))
            assert row.find("th").text().startswith(entity.name)
            marked = [n for n in dom.iter() if n.attrs.get("data-mention") == entity.id]
            assert len([n for n in marked if "data-cont" not in n.attrs]) == len(entity.mentions)
        rutte = dom.find("tr", data_entity="rutte")
        assert (rutte.attrs["data-mentions"], rutte.attrs["data-quotes"]) == ("4", "2")
        assert [n for n in rutte.iter() if n.classes == {"sw", "s0"}]

    def test_credit_line(self, article: ukrnews.Article, dom: Node) -> None:
        credit = article.image_credits[0]
        line = dom.find("p", data_image=credit.id, data_copyright="true")
        assert "credit-line" in line.classes
        assert line.text() == credit.credit_line == "©\u00a0North Korean Central News Agency / DPA"
        parties = [
            (n.attrs["data-entity"], n.attrs["data-role"], n.text())
            for n in line.iter()
            if "party" in n.classes
        ]
        assert parties == [
            ("kcna", "originating_agency", "North Korean Central News Agency"),
            ("dpa", "distributing_agency", "DPA"),
        ]
        figure = dom.find("figure", data_image=credit.id)
        note = figure.find_all("li", data_entity="kcna", data_role="originating_agency")
        assert "originating agency" in note[0].text()
        assert credit.title is not None
        assert credit.caption is not None
        assert figure.find(data_block=f"{credit.id}.title").text() == credit.title
        assert figure.find(data_block=f"{credit.id}.caption").text() == credit.caption
        assert "state-run: yes" in figure.text()

    def test_table_links_every_attribution_to_the_text(
        self, article: ukrnews.Article, dom: Node
    ) -> None:
        table = dom.find("section", id="attributions")
        rows = table.find_all("tr")[1:]
        assert [r.attrs["data-att"] for r in rows] == [a.id for a in article.attributions]
        for a, row in zip(article.attributions, rows, strict=True):
            link = row.find("th").find("a")
            assert link.attrs["href"] == f"#att-{a.id}"
            assert row.attrs["data-kind"] == a.kind.value
        links = [n for n in dom.iter() if n.attrs.get("href", "").startswith("#")]
        ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
        assert {n.attrs["href"][1:] for n in links} <= ids
        refs = [
            ref
            for n in dom.iter()
            for name in ("aria-describedby", "aria-labelledby")
            for ref in n.attrs.get(name, "").split()
        ]
        assert set(refs) <= ids
        assert dom.find("tr", data_att="a17").find("a", href="#att-a16").text() == "a16"

    def test_absent_facts_say_so(self, dom: Node) -> None:
        about = dom.find("section", id="about").text()
        assert about.count("not given in the source") == 3  # published, publisher, URL


def _quantity_marks(dom: Node, claim_id: str) -> list[str]:
    """The text of each quantity mark of a claim, its continuation fragments joined."""
    found: list[str] = []
    for node in dom.find_all("span", data_claim=claim_id):
        if "qty" in node.classes:
            if node.attrs.get("data-cont") == "true":
                found[-1] += node.text()
            else:
                found.append(node.text())
    return found


class TestClaims:
    """Claims are marked on the text and listed with their quantities."""

    def test_marked_on_the_text(self, article: ukrnews.Article, dom: Node) -> None:
        """Each claim's marks hold exactly its words; each quantity's mark its number's words."""
        for claim in article.claims:
            marks = [n for n in dom.find_all("span", data_claim=claim.id) if "clm" in n.classes]
            assert "".join(m.text() for m in marks) == "".join(s.text for s in claim.spans)
            assert marks[0].attrs["id"] == f"claim-{claim.id}"
            assert _quantity_marks(dom, claim.id) == [q.text for q in claim.quantities]
            numbers = [n for n in dom.find_all("span", data_claim=claim.id) if "qty" in n.classes]
            assert [(n.attrs["data-value"], n.attrs["data-bound"]) for n in numbers] == [
                (str(q.value), q.bound.value) for q in claim.quantities
            ]

    def test_table(self, article: ukrnews.Article, dom: Node) -> None:
        """One row per claim: claimant or the newsroom, its words, its quantities."""
        rows = dom.find("section", id="claims").find_all("tr")[1:]
        assert [r.attrs["data-claim"] for r in rows] == [c.id for c in article.claims]
        by_id = {r.attrs["data-claim"]: r for r in rows}
        c5 = by_id["c5"]
        assert "Mark Rutte" in c5.text()
        assert c5.find("a", href="#att-a5").text() == "a5"
        (item,) = c5.find_all("li")
        assert (item.attrs["data-value"], item.attrs["data-bound"]) == ("600000", "more_than")
        assert "“Mehr als 600.000”: more than 600000" in item.text()
        assert "russische Soldaten getötet oder verwundet" in item.text()
        assert "the newsroom" in by_id["c2"].text()
        assert "11 claims" in dom.find("section", id="about").text()

    # Rendering is slow and TestInjection renders generated articles (claims included) too.
    @settings(max_examples=20)
    @given(articles(annotated=True, text=texts(hostile=True)))
    def test_generated(self, article: ukrnews.Article) -> None:
        """Any article's claims and quantities are on the page, safely, with their words."""
        page = ukrnews.to_html(article)
        dom = parse(page)
        check_safe(page, dom)
        check_blocks(article, dom)
        rows = [
            r for r in dom.find("section", id="claims").find_all("tr") if "data-claim" in r.attrs
        ]
        assert [r.attrs["data-claim"] for r in rows] == [c.id for c in article.claims]
        for claim in article.claims:
            assert _quantity_marks(dom, claim.id) == [q.text for q in claim.quantities]


def _text_with_tips(node: Node) -> Iterator[str]:
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from _text_with_tips(child)


# -- colours ---------------------------------------------------------------------


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestColours:
    """Every colour pair on the page passes WCAG AA."""

    def test_contrast_calculation(self) -> None:
        assert contrast("#000000", "#ffffff") == pytest.approx(21)
        assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)

    def test_text_on_every_background(self) -> None:
        backgrounds = [
            _html.PAPER,
            *(bg for bg, _ in _html.SPEAKER_COLOURS),
            _html.UNKNOWN_COLOUR[0],
            *(shade for _, shade, _ in _html.KIND_STYLES.values()),
        ]
        for background in backgrounds:
            assert contrast(_html.INK, background) >= 4.5, background
        for colour in (_html.MUTED, _html.FOCUS):
            assert contrast(colour, _html.PAPER) >= 4.5, colour

    def test_quote_borders_and_focus_stand_out(self) -> None:
        """Non-text contrast (WCAG 1.4.11): borders and the focus ring at least 3:1."""
        for _, border in (*_html.SPEAKER_COLOURS, _html.UNKNOWN_COLOUR):
            assert contrast(border, _html.PAPER) >= 3, border
        assert contrast(_html.FOCUS, _html.PAPER) >= 3

    def test_kinds_differ_by_more_than_colour(self) -> None:
        labels = [label for label, _, _ in _html.KIND_STYLES.values()]
        patterns = [pattern for _, _, pattern in _html.KIND_STYLES.values()]
        assert len(set(labels)) == len(set(patterns)) == len(ukrnews.AttributionKind)
        assert len(set(_html.SPEAKER_COLOURS)) == len(_html.SPEAKER_COLOURS)


# -- overlapping spans -------------------------------------------------------------


@st.composite
def marked_texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, int]]]:
    """A text and marks (start, end, rank) over it that overlap in every way."""
    text = draw(texts(max_size=24))
    bounds = st.integers(0, len(text))
    marks = []
    for _ in range(draw(st.integers(0, 8))):
        a, b = draw(bounds), draw(bounds)
        if a != b:
            marks.append((min(a, b), max(a, b), draw(st.integers(0, 9))))
    return text, marks


def _covering(node: Node, inherited: frozenset[str]) -> Iterator[tuple[str, frozenset[str]]]:
    """Each character of the text with the ids of the marks around it."""
    here = inherited | ({node.attrs["data-i"]} if "data-i" in node.attrs else set())
    if "cc" in node.classes:
        yield chr(int(node.attrs["data-cp"], 16)), here
        return
    for child in node.children:
        if isinstance(child, str):
            for char in child:
                yield char, here
        else:
            yield from _covering(child, here)


class TestNesting:
    """Overlapping spans become properly nested elements that cover exactly their text."""

    @staticmethod
    def marks(spec: list[tuple[int, int, int]]) -> list[_Mark]:
        return [
            _Mark(start, end, rank, 0, n, "span", "m", attrs=(("data-i", str(n)),))
            for n, (start, end, rank) in enumerate(spec)
        ]

    def test_partial_overlap_is_split(self) -> None:
        out = _annotate("abcdefgh", self.marks([(0, 5, 1), (3, 8, 1)]))
        assert out == (
            '<span class="m" data-i="0">abc<span class="m" data-i="1">de</span></span>'
            '<span class="m" data-i="1" data-cont="true">fgh</span>'
        )

    def test_nested_spans_are_not_split(self) -> None:
        out = _annotate("abcdefgh", self.marks([(2, 4, 1), (0, 8, 1)]))
        assert out == '<span class="m" data-i="1">ab<span class="m" data-i="0">cd</span>efgh</span>'

    @given(marked_texts())
    def test_marks_that_nest_are_never_split(
        self, case: tuple[str, list[tuple[int, int, int]]]
    ) -> None:
        """Only a mark that crosses another's boundary is cut; nested ones stay whole."""
        text, spec = case
        laminar: list[tuple[int, int, int]] = []
        for s, e, rank in spec:
            if all(
                e <= s2 or e2 <= s or (s <= s2 and e2 <= e) or (s2 <= s and e <= e2)
                for s2, e2, _ in laminar
            ):
                laminar.append((s, e, rank))
        assert "data-cont" not in _annotate(text, self.marks(laminar))

    @given(marked_texts())
    def test_every_character_is_covered_by_exactly_its_marks(
        self, case: tuple[str, list[tuple[int, int, int]]]
    ) -> None:
        text, spec = case
        root = parse(f"<!DOCTYPE html><p>{_annotate(text, self.marks(spec))}</p>").find("p")
        chars = list(_covering(root, frozenset()))
        assert "".join(c for c, _ in chars) == text
        for pos, (_, around) in enumerate(chars):
            expected = {str(n) for n, (s, e, _) in enumerate(spec) if s <= pos < e}
            assert around == expected
        for n in range(len(spec)):
            fragments = root.find_all(data_i=str(n))
            assert "data-cont" not in fragments[0].attrs
            assert all(f.attrs.get("data-cont") == "true" for f in fragments[1:])


# -- hostile data -------------------------------------------------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<!-- x -->",
    "<![CDATA[x]]>",
    "&amp;&lt;&#0;&#x85;",
    "</style><style>*{}</style>",
    "<a href=javascript:alert(1)>x</a>",
    "\r\n\x00\x0c",
)
HOSTILE_TEXT = st.one_of(
    texts(hostile=True),
    st.sampled_from(PAYLOADS),
    st.lists(st.sampled_from([*PAYLOADS, "<", ">", "&", '"', "'", "a", " "]), min_size=1).map(
        "".join
    ),
)


class TestInjection:
    """Whatever the data holds, the page has only its own markup and script."""

    def test_provenance_without_state_run(self, article: ukrnews.Article) -> None:
        """A provenance that does not say whether the source is state-run says nothing of it."""
        image_credits = tuple(
            attrs.evolve(c, provenance=attrs.evolve(c.provenance, state_run=None))
            if c.provenance is not None
            else c
            for c in article.image_credits
        )
        assert any(c.provenance is not None for c in image_credits)
        page = ukrnews.to_html(attrs.evolve(article, image_credits=image_credits))
        check_safe(page, parse(page))
        assert "state-run:" not in page
        assert "state-run:" in ukrnews.to_html(article)

    def test_script_headline_is_text(self, article: ukrnews.Article) -> None:
        blocks = tuple(
            attrs.evolve(b, text="<script>alert(1)</script>") if b.id == "headline" else b
            for b in article.blocks
        )
        hostile = attrs.evolve(article, blocks=blocks, attributions=(), quotes=(), entities=())
        page = ukrnews.to_html(hostile)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        dom = parse(page)
        check_safe(page, dom)
        assert dom.find("h1").text() == "<script>alert(1)</script>"
        assert dom.find("title").text().startswith("<script>alert(1)</script>")

    @pytest.mark.parametrize(
        ("url", "link"),
        [("javascript:alert(1)", False), ("https://example.org/a?b=1&c=2", True)],
    )
    def test_only_web_urls_become_links(
        self, article: ukrnews.Article, url: str, *, link: bool
    ) -> None:
        page = ukrnews.to_html(attrs.evolve(article, url=url))
        dom = parse(page)
        check_safe(page, dom)
        about = dom.find("section", id="about")
        assert url in about.text()
        assert bool(about.find_all("a", href=url)) is link

    # Each example renders and parses a whole page in pure Python; 100 pages of hostile
    # text (HTML, quotes, controls in every field) keep the check sharp at half the cost.
    @settings(max_examples=100)
    @given(
        articles(text=HOSTILE_TEXT),
        st.none() | HOSTILE_TEXT,
        st.none() | HOSTILE_TEXT,
    )
    def test_generated_articles(
        self, article: ukrnews.Article, url: str | None, publisher: str | None
    ) -> None:
        article = attrs.evolve(article, url=url, publisher=publisher, published=publisher)
        page = ukrnews.to_html(article)
        dom = parse(page)
        check_safe(page, dom)
        check_blocks(article, dom)
        assert dom.attrs["lang"] == article.language
        for entity in article.entities:
            row = dom.find("tr", data_entity=entity.id)
            assert row.find("th").children[0].text() == entity.name  # type: ignore[union-attr]
        listed = [n.text() for n in dom.iter() if "ex-text" in n.classes]
        assert listed == [x.text for x in article.excluded]
        for a in article.attributions:
            assert dom.find(id=f"att-{a.id}").attrs["data-att"] == a.id
        for q in article.quotes:
            marks = dom.find_all("mark", data_quote=q.id)
            assert "".join(m.text() for m in marks) == "".join(s.text for s in q.spans)


# -- the command line ------------------------------------------------------------------


def _run(argv: list[str], out: io.TextIOBase | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = out if out is not None else io.StringIO()
    result: int = args.func(args, stream)
    return result


class TestRenderCommand:
    """`ukrnews render [ID|PATH] [-o FILE]`."""

    def test_stdout_is_utf8_whatever_the_locale(self, page: str) -> None:
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="latin-1")
        assert _run(["render"], out) == 0
        out.flush()
        assert raw.getvalue().decode("utf-8") == page

    def test_text_stream(self, page: str) -> None:
        out = io.StringIO()
        assert _run(["render", ARTICLE_ID], out) == 0
        assert out.getvalue() == page

    def test_output_file_is_written_atomically(self, tmp_path: Path, page: str) -> None:
        target = tmp_path / "article.html"
        target.write_text("old")
        target.chmod(0o640)
        assert _run(["render", "-o", str(target)]) == 0
        assert target.read_text(encoding="utf-8") == page
        assert target.stat().st_mode & 0o777 == 0o640
        assert [p.name for p in tmp_path.iterdir()] == ["article.html"]

    def test_unwritable_output_is_a_usage_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["render", "-o", str(tmp_path / "missing" / "a.html")]) == 2
        assert "cannot write" in capsys.readouterr().err

    def test_yaml_file(self, tmp_path: Path, article: ukrnews.Article) -> None:
        path = tmp_path / "mine.yaml"
        ukrnews.dump(attrs.evolve(article, id="mine"), path)
        out = io.StringIO()
        assert _run(["render", str(path)], out) == 0
        assert 'data-article="mine"' in out.getvalue()

    def test_unknown_id_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["render", "nope"]) == 2
        assert f"known ids: {ARTICLE_ID}" in capsys.readouterr().err

    def test_directory_of_several_needs_a_choice(
        self, tmp_path: Path, article: ukrnews.Article, capsys: pytest.CaptureFixture[str]
    ) -> None:
        for name in ("one", "two"):
            ukrnews.dump(attrs.evolve(article, id=name), tmp_path / f"{name}.yaml")
        assert main(["render", str(tmp_path)]) == 2
        assert "holds 2 articles (one, two)" in capsys.readouterr().err

    def test_invalid_yaml_raises_data_error(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.yaml"
        path.write_text("id: [")
        with pytest.raises(ukrnews.DataError):
            _run(["render", str(path)])


# -- a real browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium. CI installs it, so its absence is a failure, never a skip."""
    exe = find_chromium()
    if exe is None:
        pytest.fail("chromium is not installed: apt-get install chromium (CI does this)")
    return exe


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory, page: str) -> str:
    path = tmp_path_factory.mktemp("html") / "article.html"
    path.write_text(page, encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def broken_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A page that throws and breaks its own policy: the checks must see both."""
    path = tmp_path_factory.mktemp("broken") / "broken.html"
    path.write_text(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        "<meta http-equiv=Content-Security-Policy content=\"script-src 'unsafe-inline'\">"
        "<title>broken</title></head><body><p>x</p>"
        '<script src="data:text/javascript,1"></script>'
        "<script>undefinedFunction()</script></body></html>",
        encoding="utf-8",
    )
    return path.as_uri()


def _center(browser: DevTools, selector: str) -> tuple[float, float]:
    rect = browser.evaluate(
        f"(() => {{ const e = document.querySelector({selector!r});"
        " e.scrollIntoView({block: 'center'});"
        " const r = e.getClientRects()[0]; return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    return float(rect[0]), float(rect[1])


def _shown(browser: DevTools, tip_id: str) -> bool:
    return bool(
        browser.evaluate(
            f"getComputedStyle(document.getElementById({tip_id!r})).display !== 'none'"
        )
    )


class TestBrowser:
    """The page in headless Chromium: it renders, runs cleanly, and behaves."""

    def test_screenshot(self, chromium: str, page_url: str, tmp_path: Path) -> None:
        shot = tmp_path / "shot.png"
        _, stderr = run_headless(
            chromium, page_url, "--window-size=1280,1600", f"--screenshot={shot}"
        )
        data = shot.read_bytes()
        assert png_size(data) == (1280, 1600)
        assert len(data) > 50_000  # a rendered page, not a blank one
        assert console_lines(stderr) == []

    def test_docs_screenshot_is_current(self, chromium: str, repo_root: Path) -> None:
        """docs/article.png shows what the page shows now: the counts it was made from match.

        The record beside it (docs/article.png.json) holds those counts and the PNG's
        sha256; when the data or the page changes, regenerate both with one command.
        """
        picture = repo_root / "docs" / "article.png"
        record = json.loads(record_path(picture).read_text(encoding="utf-8"))
        data = picture.read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["png_sha256"], (
            f"docs/article.png.json is not the record of docs/article.png; run: {REGENERATE}"
        )
        png, fresh = docs_screenshot(chromium)
        assert png_size(png) == png_size(data) == tuple(record["window"])
        assert stale_marks(record["counts"], fresh["counts"]) == [], (
            f"docs/article.png is stale; run: {REGENERATE}"
        )

    def test_a_stale_picture_is_named(self) -> None:
        """A count that moved (7 mentions of Ukraine in the picture, 8 on the page) is told."""
        recorded = {"data-mention=ukraine": 7, "data-quote=q1": 1}
        shown = {"data-mention=ukraine": 8, "data-quote=q1": 1, "data-mention=new": 2}
        assert stale_marks(recorded, shown) == [
            "data-mention=new: 0 in the picture, 2 on the page",
            "data-mention=ukraine: 7 in the picture, 8 on the page",
        ]
        assert stale_marks(shown, shown) == []

    def test_dumped_dom_has_the_highlighted_quotes(
        self, chromium: str, page_url: str, article: ukrnews.Article
    ) -> None:
        stdout, stderr = run_headless(chromium, page_url, "--dump-dom")
        assert console_lines(stderr) == []
        dom = parse(stdout)
        assert dom.attrs.get("data-js") == "ready"  # the script ran to its end
        for quote in article.quotes:
            marks = dom.find_all("mark", data_quote=quote.id)
            assert "".join(m.text() for m in marks) == quote.text
            assert "q" in marks[0].classes

    def test_console_check_sees_errors(self, chromium: str, broken_url: str) -> None:
        _, stderr = run_headless(chromium, broken_url, "--dump-dom")
        found = "\n".join(console_lines(stderr))
        assert "undefinedFunction" in found
        with DevTools(chromium) as browser:
            browser.open(broken_url)
            problems = "\n".join(browser.problems())
        assert "undefinedFunction" in problems
        assert "Content Security Policy" in problems

    def test_live_page(self, chromium: str, page_url: str) -> None:
        """No errors, nothing fetched, styles applied, tooltips on focus and hover."""
        with DevTools(chromium, width=1280, height=900) as browser:
            browser.open(page_url)
            assert browser.problems() == []
            assert browser.requests() == [page_url]
            # The stylesheet passed the policy: quotes have their speaker's colour.
            bg = browser.evaluate(
                "getComputedStyle(document.getElementById('quote-q1')).backgroundColor"
            )
            r, g, b = (int(_html.SPEAKER_COLOURS[0][0][i : i + 2], 16) for i in (1, 3, 5))
            assert bg == f"rgb({r}, {g}, {b})"
            label = browser.evaluate(
                "getComputedStyle(document.getElementById('att-a5'), '::before').content"
            )
            assert label == '"a5 direct · Mark Rutte"'
            # Keyboard: Tab passes the skip link, then reaches the first attribution.
            assert not _shown(browser, "tip-att-a1")
            browser.key("Tab", "Tab", 9)
            browser.key("Tab", "Tab", 9)
            assert browser.evaluate("document.activeElement.id") == "att-a1"
            assert _shown(browser, "tip-att-a1")
            assert (
                browser.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
            )
            browser.key("Escape", "Escape", 27)
            assert not _shown(browser, "tip-att-a1")
            browser.key("Tab", "Tab", 9)
            assert browser.evaluate("document.activeElement.id") == "att-a2"
            assert _shown(browser, "tip-att-a2")
            browser.evaluate("document.activeElement.blur(), true")
            # Hover: the innermost attribution's tooltip only.
            x, y = _center(browser, "#quote-q4")
            browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
            assert _shown(browser, "tip-att-a17")
            assert not _shown(browser, "tip-att-a16")
            x, y = _center(browser, "#att-a16")
            browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
            assert _shown(browser, "tip-att-a16")
            assert not _shown(browser, "tip-att-a17")
            # A kind filter hides that kind's shading; the legend outlines mentions.
            browser.evaluate("document.getElementById('f-k-direct').click(), true")
            assert (
                browser.evaluate(
                    "getComputedStyle(document.getElementById('att-a5')).backgroundColor"
                )
                == "rgba(0, 0, 0, 0)"
            )
            browser.evaluate("document.querySelector('tr[data-entity=rutte]').focus(), true")
            assert browser.evaluate("document.querySelectorAll('.hl').length") == 4
            assert browser.problems() == []
