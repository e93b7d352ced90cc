"""Anchoring spans: text-only spans on whole words, `ukrnews fix` / `ukrnews.reanchor`,
`dumps(offsets=...)`, and the schema line `dump` keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import bundled_yaml, with_mention
from ukrnews._anchor import on_word_boundaries
from ukrnews._cli import main
from ukrnews._dump import C_DUMPER, article_to_data
from ukrnews.testing import articles

if TYPE_CHECKING:
    from pathlib import Path

    from ukrnews._model import Span

# Words from a tiny alphabet, so that span texts repeat and edits make them ambiguous.
WORDY = st.lists(st.text("ab", min_size=1, max_size=3), min_size=1, max_size=8).map(" ".join)
ANNOTATED = articles(annotated=True, text=WORDY, max_blocks=2)


def _yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=C_DUMPER, allow_unicode=True, sort_keys=False, width=1 << 30)


def _spans(article: ukrnews.Article) -> list[Span]:
    """Every span of the article, in the order `dumps` writes them."""
    found: list[Span] = []
    for credit in article.image_credits:
        found += [p.mention for p in credit.parties]
        found += credit.provenance.statement if credit.provenance else ()
    found += [m for e in article.entities for m in e.mentions]
    for a in article.attributions:
        found += [*a.source_mentions, *a.cue, *a.content, *a.addressee, *a.evidence, *a.place]
    found += [s for q in article.quotes for s in q.spans]
    for c in article.claims:
        found += c.spans
        for quantity in c.quantities:
            found += [quantity.span, *quantity.measure]
    return found


@st.composite
def edits(draw: st.DrawFn) -> tuple[ukrnews.Article, str, str, int, int]:
    """An annotated article, a block's id and edited text, and how its spans shift.

    Words are inserted, or text deleted, never inside a span's text: spans that start
    at or after the returned position move by the returned delta, the others stay.
    """
    article = draw(ANNOTATED)
    spanned = {s.block.id for s in _spans(article)}
    editable = [b for b in article.blocks if b.id != "agency_line"]  # agencies must stay in it
    block = draw(st.sampled_from([b for b in editable if b.id in spanned] or editable))
    spans = [s for s in _spans(article) if s.block.id == block.id]
    text = block.text
    cuts = [i for i in range(len(text) + 1) if not any(s.start < i < s.end for s in spans)]
    before = [i for i in cuts if any(i <= s.start for s in spans)]  # edits that move a span
    at = draw(st.sampled_from(before if before and draw(st.booleans()) else cuts))  # type: ignore[arg-type]
    if draw(st.booleans()):
        words = f" {draw(WORDY)} "
        return article, block.id, text[:at] + words + text[at:], at, len(words)
    end = draw(st.sampled_from([i for i in cuts if i >= at]))
    if any(at < s.end and s.start < end for s in spans) or end - at == len(text):
        end = at  # the stretch holds a span, or is all the text: delete nothing
    return article, block.id, text[:at] + text[end:], end, at - end


def _data_with(article: ukrnews.Article, block_id: str, text: str) -> dict[str, Any]:
    """The article's YAML data with one block's text replaced."""
    data = article_to_data(article)
    if block_id in data:  # kicker, headline, teaser, author_code
        data[block_id] = text
    for block in data["body"]:
        if block["id"] == block_id:
            block["text"] = text
    for image in data.get("images", []):
        image_id, _, key = block_id.partition(".")
        if image["id"] == image_id:
            image[key] = text
    return data


def _word_starts(text: str, needle: str) -> list[int]:
    return [
        i
        for i in range(len(text) - len(needle) + 1)
        if text.startswith(needle, i) and on_word_boundaries(text, i, i + len(needle))
    ]


# Drawing an annotated article costs about 0.1 s (most of this test's time): 50 examples
# give a few dozen that move spans and a few that refuse, on every run.
@settings(max_examples=50)
@given(edits())
def test_fix_restores_spans_or_refuses(case: tuple[ukrnews.Article, str, str, int, int]) -> None:
    article, block_id, new_text, at, delta = case
    edited = _yaml(_data_with(article, block_id, new_text))
    result = ukrnews.reanchor(edited)
    spans = _spans(article)
    if not result.errors:  # whatever it did, the file loads with every span's text kept
        assert [(s.block.id, s.text) for s in _spans(ukrnews.loads(result.text))] == [
            (s.block.id, s.text) for s in spans
        ]
    else:
        assert result.text == edited  # refused: nothing changes
    # The spans the edit moved (those still matching at their old offsets are left alone).
    moved = {
        s
        for s in spans
        if s.block.id == block_id and s.start >= at and new_text[s.start : s.end] != s.text
    }
    places = {s: _word_starts(new_text, s.text) for s in moved}
    if all(found == [s.start + delta] for s, found in places.items()):
        assert not result.errors, result.errors
        assert {(m.old_start, m.text, m.new_start) for m in result.moves} == {
            (s.start, s.text, s.start + delta) for s in moved
        }
        assert [(s.block.id, s.start) for s in _spans(ukrnews.loads(result.text))] == [
            (s.block.id, s.start + delta if s in moved else s.start) for s in spans
        ]
    for s, found in places.items():
        near = sorted(abs(p - s.start) for p in found)
        if not near or (len(near) > 1 and near[0] == near[1]):
            assert result.errors  # ambiguous or gone: it refuses rather than guesses


FILE = """\
# yaml-language-server: $schema=article.schema.json
id: mini
language: de
headline: Titel
body:
- id: p1
  kind: paragraph
  text: {text}
attributions:
- id: a1
  kind: direct
  medium: speech
  source: unknown
  cue:
  - {{block: p1, start: {cue_start}, end: {cue_end}, text: sagte}}  # the cue
  content:
  - {{block: p1, text: Gut}}
"""


def _file(text: str, start: int) -> str:
    return FILE.format(text=text, cue_start=start, cue_end=start + 5)


def test_fix_moves_edits_only_numbers_and_keeps_comments() -> None:
    old = _file("Gut, sagte sie.", 5)
    edited = old.replace("Gut, sagte", "Gut, so sagte")
    result = ukrnews.reanchor(edited, source="a.yaml")
    assert [str(m) for m in result.moves] == ["p1: 'sagte' 5→8"]
    assert result.moves[0].field == "attributions[0].cue[0]"
    assert result.changed
    assert result.text == edited.replace("start: 5, end: 10", "start: 8, end: 13")


def test_fix_refuses_a_tie_and_a_lost_span() -> None:
    tie = ukrnews.reanchor(_file("sagte Gut sagte", 5))
    assert not tie.changed
    (err,) = tie.errors
    assert "p1: 'sagte' was at 5; 0 and 10 are equally near" in str(err)
    assert str(err).startswith("<string>:15:5: attributions[0].cue[0]:")
    lost = ukrnews.reanchor(_file("Gut, besagte sie.", 5)).errors
    assert "no longer occurs on word boundaries (it occurs inside words at 7)" in str(lost[0])


def test_fix_refuses_a_result_that_does_not_load() -> None:
    text = _file("Gut, so sagte sie.", 5).replace("source: unknown", "source: nobody")
    result = ukrnews.reanchor(text)
    assert result.moves
    assert "unknown entity 'nobody'" in str(result.errors[0])
    assert result.text == text


def test_fix_reads_quoted_numbers() -> None:
    text = _file("Gut, so sagte sie.", 5).replace("start: 5, end: 10", "start: '5', end: '10'")
    assert "start: '8', end: '13'" in ukrnews.reanchor(text).text


def test_fix_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    edited = _file("Gut, so sagte sie.", 5)
    path.write_text(edited, encoding="utf-8")
    assert main(["fix", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == edited
    assert main(["fix", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:15:5: attributions[0].cue[0]: p1: 'sagte' 5→8\n" in out
    assert out.endswith("1 file(s): 1 changed, 0 refused\n")
    assert ukrnews.load_file(path).attributions[0].cue.text == "sagte"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server:")
    assert main(["fix", "--check", str(path)]) == 0
    path.write_text(_file("sagte Gut sagte", 5), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [", encoding="utf-8")
    assert main(["fix", str(broken), str(path)]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml:1:5: invalid YAML" in err
    assert "equally near" in err  # the next file was still checked


@settings(max_examples=30)  # annotated articles are slow to draw (see above)
@given(articles(annotated=True, text=WORDY))
def test_needed_offsets_round_trip_and_leave_out_only_unique_words(
    article: ukrnews.Article,
) -> None:
    text = ukrnews.dumps(article, offsets="needed")
    assert ukrnews.loads(text) == article
    bare = list(_bare_spans(yaml.load(text, Loader=yaml.BaseLoader)))  # noqa: S506 - BaseLoader
    for span in bare:  # each left without offsets is its text's one place on word boundaries
        block_text = article.block(span["block"]).text
        assert block_text.count(span["text"]) == 1
        assert _word_starts(block_text, span["text"]) == [block_text.find(span["text"])]
    assert len(bare) + text.count("start:") == len(_spans(article))


def _bare_spans(node: Any) -> Any:
    """The span mappings without offsets in a plain YAML tree."""
    if isinstance(node, dict):
        if "block" in node and "text" in node and "start" not in node:
            yield node
        for value in node.values():
            yield from _bare_spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _bare_spans(value)


def test_needed_offsets_on_the_bundled_article_and_bad_choice() -> None:
    (article,) = ukrnews.load().articles
    needed = ukrnews.dumps(article, offsets="needed")
    assert ukrnews.loads(needed) == article
    assert needed.count("start:") < ukrnews.dumps(article).count("start:")
    with pytest.raises(ValueError, match="offsets must be one of always, needed"):
        ukrnews.dumps(article, offsets="never")  # type: ignore[arg-type]


def test_dump_keeps_the_schema_line(tmp_path: Path) -> None:
    (article,) = ukrnews.load().articles
    path = tmp_path / "a.yaml"
    path.write_text("# yaml-language-server: $schema=../s.json\nid: x\n", encoding="utf-8")
    ukrnews.dump(attrs.evolve(article, id="x"), path)
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../s.json\n"
    )
    ukrnews.dump(article, path, header="")
    assert path.read_text(encoding="utf-8").startswith("format:")
    ukrnews.dump(article, tmp_path / "new.yaml")
    assert (tmp_path / "new.yaml").read_text(encoding="utf-8").startswith("format:")


class TestTextOnlySpans:
    """A span without offsets anchors on whole words, and an ambiguous one lists its places."""

    def test_not_inside_a_longer_word(self) -> None:
        """`Rat` means the word "Rat", not the start of "Rathaus"."""
        article = ukrnews.loads(with_mention("Im Rathaus tagt der Rat.", "{block: p1, text: Rat}"))
        (span,) = article.entities[0].mentions
        assert (span.start, span.end) == (20, 23)

    def test_only_inside_a_word_is_refused(self) -> None:
        """A text found only inside a word is an error naming the place, never a silent anchor."""
        with pytest.raises(ukrnews.SpanError) as info:
            ukrnews.loads(with_mention("Im Rathaus tagt man.", "{block: p1, text: Rat}"))
        assert "only inside a word: start 3, end 6 ('Im [Rat]haus tagt man.')" in str(info.value)

    def test_edges_that_are_not_word_characters_need_no_boundary(self) -> None:
        """A text that ends in punctuation may be followed by anything."""
        article = ukrnews.loads(with_mention("Er sagte:Ja", "{block: p1, text: 'sagte:'}"))
        (span,) = article.entities[0].mentions
        assert (span.start, span.end) == (3, 9)

    def test_ambiguous_lists_every_candidate_with_context(self) -> None:
        """Each place is given with its offsets and a few words around it."""
        text = "Er kam. Dann sagte er, er komme morgen wieder, und ging."
        with pytest.raises(ukrnews.SpanError) as info:
            ukrnews.loads(with_mention(text, "{block: p1, text: er}"))
        message = info.value.message
        assert message.startswith("text 'er' occurs 2 times in block 'p1'; give the start")
        for start in (19, 23):
            assert f"start {start}, end {start + 2} (" in message
        assert "'…kam. Dann sagte [er], er komme morgen…'" in message

    def test_bundled_article_loads_and_round_trips(self) -> None:
        """The bundled article and `dumps` output (which writes offsets) still load."""
        article = ukrnews.loads(bundled_yaml())
        assert ukrnews.loads(ukrnews.dumps(article)) == article
