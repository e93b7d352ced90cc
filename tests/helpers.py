"""Shared test helpers: both YAML back ends, the bundled article, the YAML tree walker and
the mutations that break a valid tree in one place each."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import strategies as st

import ukrnews
from ukrnews._format import KEYS, SPAN_KEYS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

Data = dict[str, Any]

# The repository's root folder (tests/ is in it).
ROOT = Path(__file__).resolve().parent.parent

BACKENDS = pytest.mark.parametrize(
    "pure", [False, True], ids=["libyaml" if ukrnews.HAVE_LIBYAML else "no-libyaml", "pure-python"]
)

ARTICLE_ID = "ac428578f84f5134"


def bundled_yaml() -> str:
    """The bundled article's YAML text."""
    path = resources.files("ukrnews") / "data" / "articles" / f"{ARTICLE_ID}.yaml"
    return path.read_text(encoding="utf-8")


def bundled_path() -> str:
    """The bundled article's file path (the package is installed in development mode)."""
    path = resources.files("ukrnews") / "data" / "articles" / f"{ARTICLE_ID}.yaml"
    return str(path)


def corpus_dir(folder: Path, copies: int = 3) -> Path:
    """Make ``folder`` with the bundled article (a0.yaml) and ``copies`` copies of it
    under the ids copy1, copy2, ... (a1.yaml, a2.yaml, ...): a small corpus in name order."""
    folder.mkdir()
    (folder / "a0.yaml").write_text(bundled_yaml(), encoding="utf-8")
    article = ukrnews.load().article(ARTICLE_ID)
    for i in range(1, copies + 1):
        ukrnews.dump(attrs.evolve(article, id=f"copy{i}"), folder / f"a{i}.yaml")
    return folder


def source_text() -> str:
    """The source article exactly as received."""
    path = resources.files("ukrnews") / "data" / "sources" / f"000_{ARTICLE_ID}.txt"
    return path.read_bytes().decode("utf-8")


MINIMAL = """\
id: mini
language: de
headline: Eine Überschrift
body:
- id: p1
  kind: paragraph
  text: Er sagte, es sei gut.
"""


def with_mention(text: str, span: str) -> str:
    """MINIMAL with the paragraph ``text`` and one entity mention given as ``span``."""
    return (
        MINIMAL.replace("Er sagte, es sei gut.", text)
        + f"entities:\n- id: x\n  kind: person\n  name: X\n  mentions:\n  - {span}\n"
    )


# Which schema of `_load.KEYS` each mapping in the YAML tree has, by its field path.
SCHEMA_BY_PATH = {
    "": "article",
    "source_file": "source_file",
    "images[]": "image",
    "images[].parties[]": "party",
    "images[].parties[].mention": "span",
    "images[].provenance": "provenance",
    "images[].provenance.statement[]": "span",
    "body[]": "block",
    "excluded[]": "excluded",
    "entities[]": "entity",
    "entities[].mentions[]": "span",
    "entities[].external_ids[]": "external_id",
    "attributions[]": "attribution",
    **{f"attributions[].{role}[]": "span" for role in SPAN_KEYS},
    "quotes[]": "quote",
    "quotes[].spans[]": "span",
    "claims[]": "claim",
    "claims[].spans[]": "span",
    "claims[].quantities[]": "quantity",
    "claims[].quantities[].span": "span",
    "claims[].quantities[].measure[]": "span",
}


def schema_of(path: str) -> str:
    """The name in `KEYS` of the mapping at a field path (``body[3]`` is a block)."""
    return SCHEMA_BY_PATH[re.sub(r"\[\d+\]", "[]", path)]


def join(path: str, key: str) -> str:
    """The field path of ``key`` inside the mapping at ``path``."""
    return f"{path}.{key}" if path else key


def mappings(data: Any, path: str = "") -> Iterator[tuple[str, Data]]:
    """Every mapping in a plain YAML tree with its field path."""
    if isinstance(data, dict):
        yield path, data
        for key, value in data.items():
            yield from mappings(value, join(path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from mappings(item, f"{path}[{i}]")


def spans(data: Data) -> list[tuple[str, Data]]:
    """Every span mapping in a plain YAML tree with its field path."""
    return [(p, m) for p, m in mappings(data) if schema_of(p) == "span"]


def _drop_required(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    candidates = [(p, m, k) for p, m in mappings(tree) for k in KEYS[schema_of(p)][0] if k in m]
    path, mapping, key = data.draw(st.sampled_from(candidates))
    del mapping[key]
    return path, None, ukrnews.SchemaError


def _unknown_key(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, mapping = data.draw(st.sampled_from(list(mappings(tree))))
    mapping["zz_unknown"] = "v"
    return join(path, "zz_unknown"), "zz_unknown", ukrnews.SchemaError


def _wrong_type(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, mapping = data.draw(st.sampled_from([(p, m) for p, m in mappings(tree) if m]))
    key = data.draw(st.sampled_from(sorted(mapping)))
    mapping[key] = {"zz_wrong": "v"} if not isinstance(mapping[key], dict) else "zz_wrong"
    return join(path, key), "zz_wrong", ukrnews.SchemaError


def _bad_offsets(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, span = data.draw(st.sampled_from(spans(tree)))
    span["end"] = span["end"] + 10_000
    # The new end itself: "10" alone is not in 1112 + 10000 = 11112 (CI found that).
    return path, str(span["end"]), ukrnews.SpanError


def _bad_text(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, span = data.draw(st.sampled_from(spans(tree)))
    span["text"] += "\u2603"
    return path, "\u2603", ukrnews.SpanError


def _dangling(tree: Data, data: st.DataObject) -> tuple[str, str | None, type[ukrnews.DataError]]:
    refs = [(p, s, "block") for p, s in spans(tree)]
    refs += [
        (p, m, "source")
        for p, m in mappings(tree)
        if schema_of(p) == "attribution" and m["source"] != "unknown"
    ]
    refs += [
        (p, m, "parent")
        for p, m in mappings(tree)
        if schema_of(p) == "attribution" and "parent" in m
    ]
    refs += [(p, m, "attribution") for p, m in mappings(tree) if schema_of(p) == "quote"]
    refs += [
        (p, m, "attribution")
        for p, m in mappings(tree)
        if schema_of(p) == "claim" and "attribution" in m
    ]
    refs += [(p, m, "entity") for p, m in mappings(tree) if schema_of(p) == "party"]
    refs += [
        (p, m, "released_by")
        for p, m in mappings(tree)
        if schema_of(p) == "provenance" and "released_by" in m
    ]
    path, mapping, key = data.draw(st.sampled_from(refs))
    mapping[key] = "zz-nosuch"
    field = join(path, key)
    return field, "zz-nosuch", ukrnews.LinkError


def _duplicate_id(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    lists = [
        k
        for k in ("body", "entities", "attributions", "quotes", "images", "claims")
        if len(tree.get(k, ())) >= 2
    ]
    key = data.draw(st.sampled_from(lists))
    i, j = sorted(
        data.draw(st.lists(st.integers(0, len(tree[key]) - 1), min_size=2, max_size=2, unique=True))
    )
    tree[key][j]["id"] = tree[key][i]["id"]
    return f"{key}[{j}].id", None, ukrnews.LinkError


def _parent_cycle(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    i = data.draw(st.integers(0, len(tree["attributions"]) - 1))
    tree["attributions"][i]["parent"] = tree["attributions"][i]["id"]
    return f"attributions[{i}].parent", None, ukrnews.LinkError


def quantities(tree: Data) -> list[tuple[str, Data]]:
    """Every quantity mapping in a plain YAML tree with its field path."""
    return [(p, m) for p, m in mappings(tree) if schema_of(p) == "quantity"]


def _wrong_value(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, quantity = data.draw(st.sampled_from(quantities(tree)))
    quantity["value"] = int(float(quantity["value"])) + 7_000_001
    return f"{path}.value", str(quantity["value"]), ukrnews.SpanError


def _wrong_bound(
    tree: Data, data: st.DataObject
) -> tuple[str, str | None, type[ukrnews.DataError]]:
    path, quantity = data.draw(st.sampled_from(quantities(tree)))
    others = sorted({b.value for b in ukrnews.Bound} - {quantity["bound"]})
    quantity["bound"] = data.draw(st.sampled_from(others))
    return f"{path}.bound", quantity["bound"], ukrnews.SpanError


# Each mutation changes one thing in a valid tree and returns the field path it broke, a
# text the error's line must show (or None: the error is at that field's node), and the
# error class the loader must raise.
MUTATIONS: dict[
    str, Callable[[Data, st.DataObject], tuple[str, str | None, type[ukrnews.DataError]]]
] = {
    "drop a required key": _drop_required,
    "add an unknown key": _unknown_key,
    "give a value the wrong type": _wrong_type,
    "put an offset out of range": _bad_offsets,
    "change a span's text": _bad_text,
    "break a reference": _dangling,
    "repeat an id": _duplicate_id,
    "make a parent cycle": _parent_cycle,
    "change a quantity's value": _wrong_value,
    "change a quantity's bound": _wrong_bound,
}


def applicable(tree: Data) -> list[str]:
    """The names in `MUTATIONS` that can be applied to this tree."""
    names = ["drop a required key", "add an unknown key", "give a value the wrong type"]
    if spans(tree):
        names += ["put an offset out of range", "change a span's text", "break a reference"]
    if any(
        len(tree.get(k, ())) >= 2
        for k in ("body", "entities", "attributions", "quotes", "images", "claims")
    ):
        names.append("repeat an id")
    if quantities(tree):
        names += ["change a quantity's value", "change a quantity's bound"]
    if tree.get("attributions"):
        names.append("make a parent cycle")
    return names
