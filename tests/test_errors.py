"""Tests for reporting every independent error of a file at once (`ukrnews.validate`)."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

import pytest

import ukrnews
from helpers import BACKENDS, MINIMAL, bundled_yaml, with_mention
from ukrnews._cli import MAX_SHOWN, main

if TYPE_CHECKING:
    from pathlib import Path

# Five independent mistakes: a bad language tag, a misspelt key, a wrong block kind, a
# wrong offset, an unknown entity. Each is reported once, in document order.
FIVE = """\
id: mini
language: DE
headlien: Eine Überschrift
body:
- id: p1
  kind: paragrph
  text: Er sagte, es sei gut.
entities:
- id: er
  kind: person
  name: Er
  mentions:
  - {block: p1, text: Er, start: 0, end: 3}
attributions:
- id: a1
  kind: indirect
  medium: speech
  source: err
  content:
  - {block: p1, text: es sei gut, start: 10, end: 20}
"""
FIVE_FOUND = [
    (2, "language", "expected a BCP 47 tag"),
    (3, "headlien", "unknown key 'headlien'; did you mean 'headline'?"),
    (6, "body[0] (p1).kind", "found 'paragrph'; did you mean 'paragraph'?"),
    (13, "entities[0] (er).mentions[0]", "did you mean start: 0, end: 2?"),
    (18, "attributions[0] (a1).source", "unknown entity 'err'; did you mean 'er'?"),
]


def _summary(errors: list[ukrnews.DataError]) -> list[tuple[int | None, str | None]]:
    return [(e.line, e.field) for e in errors]


class TestValidate:
    """Tests for `ukrnews.validate`."""

    @BACKENDS
    def test_five_mistakes(self, pure: bool) -> None:
        """Every independent mistake is found once, in document order, on both back ends."""
        with pytest.raises(ukrnews.DataError) as info:
            ukrnews.loads(FIVE, source="five.yaml", pure=pure)
        errors = list(info.value.errors)
        assert _summary(errors) == [(line, field) for line, field, _ in FIVE_FOUND]
        for err, (_, _, words) in zip(errors, FIVE_FOUND, strict=True):
            assert words in err.message
            assert err.path == "five.yaml"
        assert info.value is errors[0]

    def test_valid_text_has_no_errors(self) -> None:
        """The bundled article and the minimal one are valid: an empty list."""
        assert ukrnews.validate(bundled_yaml()) == []
        assert ukrnews.validate(MINIMAL.encode()) == []

    def test_path_and_directory(self, tmp_path: Path) -> None:
        """A path is read as a file; a directory gives every file's errors and id clashes."""
        (tmp_path / "a.yaml").write_text(FIVE, encoding="utf-8")
        (tmp_path / "b.yaml").write_text(MINIMAL, encoding="utf-8")
        (tmp_path / "c.yaml").write_text(MINIMAL, encoding="utf-8")
        assert len(ukrnews.validate(tmp_path / "a.yaml")) == len(FIVE_FOUND)
        assert len(ukrnews.validate(str(tmp_path / "a.yaml"))) == len(FIVE_FOUND)
        errors = ukrnews.validate(tmp_path)
        assert [e.path for e in errors] == [str(tmp_path / "a.yaml")] * 5 + [
            str(tmp_path / "c.yaml")
        ]
        assert "already used by" in errors[-1].message
        missing = ukrnews.validate(tmp_path / "nope.yaml")
        assert [e.message for e in missing] == ["no such file or directory"]

    def test_syntax_error_stops(self) -> None:
        """After a syntax error nothing else can be read: one error."""
        errors = ukrnews.validate(FIVE + "bad: [unclosed\n")
        assert len(errors) == 1
        assert isinstance(errors[0], ukrnews.ParseError)

    def test_dependent_errors_are_not_repeated(self) -> None:
        """A broken entity is reported once; references to it say nothing more."""
        doc = bundled_yaml().replace("  name: Mark Rutte\n", "  name: [Mark Rutte]\n", 1)
        errors = ukrnews.validate(doc)
        assert [e.field for e in errors] == ["entities[1] (rutte).name"]

    def test_independent_errors_in_one_item(self) -> None:
        """Two bad spans of one role are both reported."""
        doc = MINIMAL + (
            "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
            "  - {block: p1, text: Er, start: 0, end: 1}\n"
            "  - {block: p9, text: sagte}\n"
        )
        errors = ukrnews.validate(doc)
        assert [e.field for e in errors] == [
            "entities[0] (e).mentions[0]",
            "entities[0] (e).mentions[1].block",
        ]

    def test_errors_survive_pickling(self) -> None:
        """A worker process can send the first error with all the others."""
        with pytest.raises(ukrnews.DataError) as info:
            ukrnews.loads(FIVE, source="five.yaml")
        again = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own object
        assert [str(e) for e in again.errors] == [str(e) for e in info.value.errors]


class TestExcerpt:
    """Tests for `DataError.excerpt`."""

    def test_marker_under_the_column(self) -> None:
        """The offending line is shown with a caret under the column."""
        err = ukrnews.validate(FIVE)[2]
        assert err.excerpt(FIVE) == "      kind: paragrph\n            ^"

    def test_no_line_no_excerpt(self) -> None:
        """An error without a line, or a line outside the text, shows nothing."""
        assert ukrnews.DataError("x").excerpt("a\n") == ""
        assert ukrnews.DataError("x", line=9, column=1).excerpt("a\n") == ""


class TestCommandLine:
    """Tests for `ukrnews validate` showing every error."""

    def test_every_error_with_its_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each error is printed with its source line and a marker."""
        path = tmp_path / "five.yaml"
        path.write_text(FIVE, encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        err = capsys.readouterr().err.splitlines()
        headers = [line for line in err if line.startswith(str(path))]
        assert [h.split(":")[1] for h in headers] == [str(f[0]) for f in FIVE_FOUND]
        assert err[err.index(headers[0]) + 1 :][:2] == ["    language: DE", "              ^"]

    def test_cap_and_stop(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """At most MAX_SHOWN errors a file are printed; a syntax error says checking stopped."""
        many = tmp_path / "many.yaml"
        many.write_text(
            MINIMAL + "".join(f"x{i}: 1\n" for i in range(MAX_SHOWN + 7)), encoding="utf-8"
        )
        broken = tmp_path / "broken.yaml"
        broken.write_text("id: [\n", encoding="utf-8")
        assert main(["validate", str(many), str(broken)]) == 1
        err = capsys.readouterr().err
        assert err.count("unknown key") == MAX_SHOWN
        assert f"{many}: and 7 more errors" in err
        assert f"{broken}: checking stopped here" in err


class TestCommaInFlowMapping:
    """Unquoted text with ", " in `{...}` is explained, with the fix."""

    def test_says_what_happened_and_how_to_fix_it(self) -> None:
        """The error points at the text, not at a key made of its tail."""
        doc = with_mention("Er sagte, es sei gut.", "{block: p1, text: Er sagte, es sei gut.}")
        with pytest.raises(ukrnews.SchemaError) as info:
            ukrnews.loads(doc)
        err = info.value
        assert err.field == "entities[0] (x).mentions[0].text"
        assert "unquoted text stops at ', '" in err.message
        assert err.message.endswith('put the whole text in quotes: text: "Er sagte, es sei gut."')
        fixed = doc.replace("text: Er sagte, es sei gut.}", 'text: "Er sagte, es sei gut."}')
        assert ukrnews.loads(fixed).entities[0].mentions[0].text == "Er sagte, es sei gut."

    def test_a_wrong_key_is_still_a_wrong_key(self) -> None:
        """A misspelt key with a value of its own keeps the usual suggestion."""
        with pytest.raises(ukrnews.SchemaError, match="unknown key 'zext'; did you mean 'text'"):
            ukrnews.loads(with_mention("Er sagte.", "{block: p1, zext: Er}"))
