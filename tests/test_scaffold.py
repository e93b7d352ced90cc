"""`ukrnews new` / `ukrnews.scaffold`: a valid article from plain text, quoted stretches listed."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import ukrnews
from ukrnews._cli import main
from ukrnews._scaffold import QUOTE_MARKS, id_from_name

if TYPE_CHECKING:
    from pathlib import Path

MARKS = "".join({*QUOTE_MARKS, *QUOTE_MARKS.values()})
# Any text but quotation marks and line ends (those are what the cases are built from).
PLAIN = st.text(st.characters(codec="utf-8", exclude_characters=MARKS + "\r\n"), max_size=12)
QUOTED = st.tuples(st.sampled_from(sorted(QUOTE_MARKS)), PLAIN.filter(bool))
SEGMENTS = st.lists(st.one_of(PLAIN, QUOTED), max_size=5)
BREAKS = st.sampled_from(["\n", "\r\n", "\r"])
BLANK = st.text(st.sampled_from(" \t\u00a0\u3000"), max_size=3)


def _line(segments: list[str | tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """A line built from plain and quoted segments, and where its quoted words are."""
    text, quoted = "", []
    for segment in segments:
        if isinstance(segment, str):
            text += segment
        else:
            mark, words = segment
            quoted.append((len(text) + 1, len(text) + 1 + len(words)))
            text += mark + words + QUOTE_MARKS[mark]
    return text, quoted


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[int, int, int]]]:
    """A text file, its non-blank lines, and its quoted stretches as (line index, start, end)."""
    lines: list[str] = []
    stretches: list[tuple[int, int, int]] = []
    parts: list[str] = [draw(st.lists(BLANK, max_size=2).map("".join))]
    for _ in range(draw(st.integers(2, 5))):
        text, quoted = _line(draw(SEGMENTS))
        if not text.strip():
            text = "x" + text  # every drawn line has content; blank runs come between
            quoted = [(s + 1, e + 1) for s, e in quoted]
        stretches += [(len(lines), s, e) for s, e in quoted]
        lines.append(text)
        parts.append(text)
        parts += [draw(BLANK) for _ in range(draw(st.integers(0, 3)))]  # a run of blank lines
    breaks = [draw(BREAKS) for _ in parts]
    source = "".join(p + b for p, b in zip(parts, breaks, strict=True))
    if draw(st.booleans()):
        source = source[: -len(breaks[-1])]  # no line end at the end of the file
    return source, lines, stretches


def _listed(yaml_text: str) -> list[dict[str, Any]]:
    """The spans `new` lists in its comment below the data."""
    return [
        yaml.safe_load(line.removeprefix("# - "))
        for line in yaml_text.split("\n")
        if line.startswith("# - {")
    ]


@given(documents(), st.sampled_from(["always", "needed"]))
def test_scaffold_keeps_every_line_and_lists_every_quoted_stretch(
    case: tuple[str, list[str], list[tuple[int, int, int]]], offsets: str
) -> None:
    source, lines, stretches = case
    made = ukrnews.scaffold(source, article_id="text")
    article = made.article
    assert [b.text for b in article.blocks] == lines
    assert [b.id for b in article.blocks] == ["headline"] + [f"p{n}" for n in range(1, len(lines))]
    text = made.to_yaml(offsets=offsets)  # type: ignore[arg-type]
    assert text.startswith("# yaml-language-server: $schema=article.schema.json\n")
    assert ukrnews.loads(text) == article
    expected = [(article.blocks[i].id, s, e) for i, s, e in stretches]
    assert [(q.block.id, q.start, q.end) for q in made.stretches] == expected
    listed = _listed(text)
    assert [(d["block"], d["text"]) for d in listed] == [
        (b, article.block(b).text[s:e]) for b, s, e in expected
    ]
    if offsets == "always":
        assert [(d["block"], d["start"], d["end"]) for d in listed] == expected


def test_scaffold_roles_from_options() -> None:
    text = "Ukraine-Krieg\nÜberschrift\nDer Vorspann.\n\nErster Absatz.\nZwischentitel\nZweiter.\n"
    made = ukrnews.scaffold(text, article_id="x", kicker=True, teaser=True, subheadings=[6])
    a = made.article
    assert (a.kicker, a.headline, a.teaser) == ("Ukraine-Krieg", "Überschrift", "Der Vorspann.")
    assert [(b.id, b.role.value) for b in a.body] == [
        ("p1", "paragraph"),
        ("s1", "subheading"),
        ("p2", "paragraph"),
    ]
    assert (a.published, a.url, a.publisher, a.source_file) == (None, None, None, None)


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("Nur eine Zeile\n\n", {}, "1 non-blank line(s); it needs 2"),
        ("Kicker\nTitel\n", {"kicker": True}, "it needs 3: a kicker, a headline, then"),
        ("Titel\nText\n", {"subheadings": [1]}, "line 1 cannot be a subheading"),
        ("Titel\n\nText\n", {"subheadings": [2]}, "line 2 cannot be a subheading"),
    ],
)
def test_scaffold_refuses_what_it_cannot_build(
    text: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ukrnews.DataError, match=re.escape(message)):
        ukrnews.scaffold(text, article_id="x", **options)


def test_unclosed_and_empty_quotes_are_not_stretches() -> None:
    made = ukrnews.scaffold('Titel\n„offen und "" leer »zu«\n', article_id="x")
    assert [q.text for q in made.stretches] == ["zu"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Mein Artikel.txt", "mein-artikel"), ("2024 news.txt", "a-2024-news"), ("ü.txt", "a")],
)
def test_id_from_name(name: str, expected: str) -> None:
    assert id_from_name(name) == expected


def test_new_command_writes_a_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "Titel\r\n\r\n„Gut“, sagte sie.\r\n".encode()
    (tmp_path / "Text.txt").write_bytes(data)
    out = tmp_path / "text.yaml"
    args = ["new", str(tmp_path / "Text.txt"), "-o", str(out), "--language", "de-AT"]
    assert main(args) == 0
    article = ukrnews.load_file(out)
    assert (article.id, article.language, article.headline) == ("text", "de-AT", "Titel")
    assert article.source_file == ukrnews.SourceFile("Text.txt", hashlib.sha256(data).hexdigest())
    assert main(args) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert main([*args, "--force", "--id", "mine", "--offsets", "needed"]) == 0
    assert ukrnews.load_file(out).id == "mine"
    assert "# - {block: p1, text: Gut}" in out.read_text(encoding="utf-8")
    assert main(["new", str(tmp_path / "missing.txt")]) == 2
    (tmp_path / "short.txt").write_text("Nur ein Titel\n", encoding="utf-8")
    assert main(["new", str(tmp_path / "short.txt")]) == 1
    assert f"{tmp_path / 'short.txt'}: the text has 1 non-blank line(s)" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "Text.txt"), "--id", "Mein"]) == 1
    assert "Text.txt: id: the article is not valid: expected an id" in capsys.readouterr().err
