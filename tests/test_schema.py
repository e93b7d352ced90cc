"""Tests for the JSON Schema of the YAML format: in sync with the loader, shipped, and exact."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import ukrnews
from helpers import ARTICLE_ID, MINIMAL, MUTATIONS, applicable, bundled_yaml, mappings, schema_of
from ukrnews import _anchor, _format, _load
from ukrnews._dump import PURE_DUMPER, article_to_data
from ukrnews._format import KEYS, PATTERNS, anchored
from ukrnews._model import AttributionKind, BlockRole, Bound, EntityKind, Medium, PartyRole
from ukrnews._schema import CROSS_FIELD_RULES, schema_text
from ukrnews.testing import articles

VALIDATOR = Draft202012Validator(ukrnews.json_schema())
# The property suite's mutations that change structure; the rest break cross-field rules.
STRUCTURAL = {"drop a required key", "add an unknown key", "give a value the wrong type"}


def _mappings(tree: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every mapping in an article's YAML tree, with its name in `KEYS` (the shared walker)."""
    return [(schema_of(path), mapping) for path, mapping in mappings(tree)]


def _yaml(tree: dict[str, Any]) -> str:
    """A YAML tree as text, escaping what YAML cannot carry raw (as `dumps` does)."""
    return yaml.dump(tree, Dumper=PURE_DUMPER, allow_unicode=True, sort_keys=False, width=1 << 30)


def _rich_tree() -> dict[str, Any]:
    """The bundled article's tree with an external id added, so it has every kind of mapping."""
    tree: dict[str, Any] = yaml.safe_load(bundled_yaml())
    tree["entities"][0]["external_ids"] = [{"scheme": "s", "value": "v", "verified_by": "x"}]
    return tree


class TestInSync:
    """The schema is generated from the loader's KEYS, and the shipped file is that schema."""

    def test_shipped_file_is_the_generated_schema(self) -> None:
        """data/article.schema.json equals `schema_text()`.

        After changing the format, regenerate it:
        ``ukrnews schema -o src/ukrnews/data/article.schema.json``.
        """
        shipped = resources.files("ukrnews") / "data" / "article.schema.json"
        assert shipped.read_text(encoding="utf-8") == schema_text()
        assert json.loads(shipped.read_text(encoding="utf-8")) == ukrnews.json_schema()

    def test_keys_match_the_loader(self) -> None:
        """Every mapping of the format has exactly the loader's keys and required keys."""
        schema = ukrnews.json_schema()
        defs = {**schema["$defs"], "article": schema}
        for name, (required, optional) in KEYS.items():
            assert defs[name]["required"] == list(required), name
            assert set(defs[name]["properties"]) == {*required, *optional}, name
            assert defs[name]["additionalProperties"] is False, name

    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """The schema itself is valid against the draft 2020-12 meta-schema."""
        schema = ukrnews.json_schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)

    def test_fresh_copy_each_call(self) -> None:
        """Changing the returned dict does not change the next one."""
        first = ukrnews.json_schema()
        first["properties"].clear()
        assert ukrnews.json_schema()["properties"]

    def test_cross_field_rules_are_documented(self, repo_root: Path) -> None:
        """The rules JSON Schema cannot express are in its description and in docs/exports.md."""
        description = ukrnews.json_schema()["description"]
        formats = ((repo_root / "docs") / "exports.md").read_text(encoding="utf-8")
        assert len(CROSS_FIELD_RULES) >= 10
        for rule in CROSS_FIELD_RULES:
            assert rule in description
            assert rule in " ".join(formats.split()), rule

    def test_patterns_are_the_loaders(self) -> None:
        """Every pattern in the schema is one of `_format`'s compiled patterns, in its place."""
        found: dict[str, str] = {}

        def walk(node: object, path: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "pattern":
                        found[path] = value
                    walk(value, f"{path}/{key}")
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{path}/{i}")

        walk(ukrnews.json_schema(), "")
        assert found == {
            "/properties/language": anchored(_format.LANGUAGE),
            "/$defs/source_file/properties/sha256": anchored(_format.SHA256),
            "/$defs/span/properties/block": anchored(_format.BLOCK_REF),
            "/$defs/id": anchored(_format.ID),
            "/$defs/offset/anyOf/1": anchored(_format.OFFSET),
            "/$defs/number/anyOf/1": anchored(_format.NUMBER),
        }
        assert set(found.values()) == {anchored(p) for p in PATTERNS.values()}

    def test_no_module_copies_a_pattern(self) -> None:
        """The loader and every other module use `_format`'s pattern objects, not copies."""
        package = Path(ukrnews.__file__).parent
        for module in package.glob("*.py"):
            if module.name != "_format.py":
                source = module.read_text(encoding="utf-8")
                for name, pattern in PATTERNS.items():
                    assert pattern.pattern not in source, (module.name, name)
        for name in ("ID", "OFFSET", "NUMBER", "LANGUAGE", "SHA256"):
            assert getattr(_load, name) is PATTERNS[name.lower()], name
        assert vars(_anchor)["OFFSET"] is PATTERNS["offset"]

    def test_enums_are_the_models(self) -> None:
        """Every enum in the schema lists exactly the model enum's wire values, in order."""
        schema = ukrnews.json_schema()
        defs, article = schema["$defs"], schema["properties"]
        assert defs["attribution"]["properties"]["kind"]["enum"] == [
            k.value for k in AttributionKind
        ]
        assert defs["entity"]["properties"]["kind"]["enum"] == [k.value for k in EntityKind]
        assert defs["party"]["properties"]["role"]["enum"] == [r.value for r in PartyRole]
        assert defs["quantity"]["properties"]["bound"]["enum"] == [b.value for b in Bound]
        media = [m.name.lower() for m in Medium if m.name]
        assert media == ["speech", "thought", "writing"]
        assert defs["medium"]["anyOf"][0]["enum"] == media
        assert defs["medium"]["anyOf"][1]["items"]["enum"] == media
        kinds = defs["block"]["properties"]["kind"]["enum"]
        assert [BlockRole(k) for k in kinds] == [BlockRole.PARAGRAPH, BlockRole.SUBHEADING]
        assert defs["flag"]["anyOf"][1]["enum"] == ["true", "false"]
        assert article["format"]["enum"] == [_format.FORMAT, int(_format.FORMAT)]

    def test_walker_sees_every_kind_of_mapping(self) -> None:
        """The mutation tests below reach every mapping the format has."""
        assert {name for name, _ in _mappings(_rich_tree())} == set(KEYS)


class TestBundled:
    """The bundled YAML names the shipped schema for editors, and validates against it."""

    def test_editor_comment_points_at_the_shipped_schema(self) -> None:
        """Its first line is the yaml-language-server comment, and the path resolves."""
        first = bundled_yaml().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../article.schema.json"
        articles_dir = resources.files("ukrnews") / "data" / "articles"
        target = Path(str(articles_dir / f"{ARTICLE_ID}.yaml")).parent / "../article.schema.json"
        assert json.loads(target.read_text(encoding="utf-8")) == ukrnews.json_schema()

    def test_bundled_article_validates(self) -> None:
        """The hand-checked bundled article is valid (and so is the rich variant)."""
        assert list(VALIDATOR.iter_errors(yaml.safe_load(bundled_yaml()))) == []
        assert VALIDATOR.is_valid(_rich_tree())


class TestDocs:
    """The examples in docs/yaml-format.md are valid."""

    def test_format_examples_load_and_validate(self, repo_root: Path) -> None:
        """The minimal article, and it with the attribution example, load and validate."""
        text = ((repo_root / "docs") / "yaml-format.md").read_text(encoding="utf-8")
        blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
        minimal = next(b for b in blocks if b.startswith("id: mini"))
        attribution = next(b for b in blocks if b.startswith("attributions:"))
        for doc in (minimal, minimal + attribution):
            article = ukrnews.loads(doc)
            assert VALIDATOR.is_valid(yaml.safe_load(doc))
        assert article.attributions[0].source is None
        assert article.attributions[0].cue_text == "sagte"


class TestScalars:
    """Every YAML scalar is text to the loader; the schema accepts what the loader accepts."""

    def test_offsets_as_digit_strings(self) -> None:
        """Offsets in quotes ("3") load and validate; leading zeros and signs do neither."""
        doc = MINIMAL + "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
        good = doc + "  - {block: p1, start: '3', end: '8', text: sagte}\n"
        assert ukrnews.loads(good).entities[0].mentions[0].text == "sagte"
        assert VALIDATOR.is_valid(yaml.safe_load(good))
        for bad in ("'03'", "'-3'", "x"):
            text = doc + f"  - {{block: p1, start: {bad}, end: '8', text: sagte}}\n"
            assert not VALIDATOR.is_valid(yaml.safe_load(text))
            with pytest.raises(ukrnews.SchemaError):
                ukrnews.loads(text)

    def test_numbers_are_text(self) -> None:
        """A plain number where text belongs is text to both (``headline: 2024``)."""
        text = MINIMAL.replace("headline: Eine Überschrift", "headline: 2024")
        assert ukrnews.loads(text).headline == "2024"
        assert VALIDATOR.is_valid(yaml.safe_load(text))

    def test_start_needs_end(self) -> None:
        """A span with start but no end is refused by both."""
        doc = MINIMAL + "entities:\n- id: e\n  kind: person\n  name: E\n  mentions:\n"
        text = doc + "  - {block: p1, start: 3, text: sagte}\n"
        assert not VALIDATOR.is_valid(yaml.safe_load(text))
        with pytest.raises(ukrnews.SchemaError):
            ukrnews.loads(text)

    def test_reserved_ids(self) -> None:
        """A body block named 'headline' and an entity named 'unknown' are refused by both."""
        body = MINIMAL.replace("- id: p1", "- id: headline")
        entity = MINIMAL + "entities:\n- id: unknown\n  kind: person\n  name: U\n"
        for text in (body, entity):
            assert not VALIDATOR.is_valid(yaml.safe_load(text))
            with pytest.raises(ukrnews.SchemaError):
                ukrnews.loads(text)


class TestProperties:
    """Hypothesis: valid articles validate; structural mutations fail the schema."""

    # jsonschema validates a whole tree in pure Python (slow); the values the schema
    # constrains (ids, tags, hashes, offsets, enums) occur dozens of times in each article,
    # so 50 articles try every pattern many times over.
    @settings(max_examples=50)
    @given(articles())
    def test_every_valid_article_validates(self, article: ukrnews.Article) -> None:
        """What `dumps` writes (ints, bools, any Unicode text) is valid against the schema."""
        tree = yaml.safe_load(ukrnews.dumps(article))
        assert list(VALIDATOR.iter_errors(tree)) == []

    # Drawing an annotated article costs about 0.1 s; 50 examples apply each of the ten
    # mutations several times. (Whether the loader refuses them, at which field, is
    # TestMutations.test_tree_mutation's job in test_properties.py, at the full count.)
    @settings(max_examples=50)
    @given(articles(annotated=True), st.data())
    def test_property_suite_mutations(self, article: ukrnews.Article, data: st.DataObject) -> None:
        """The property suite's structural mutations fail the schema; the others pass it.

        The others break only cross-field rules, which the schema's description lists.
        """
        tree = copy.deepcopy(article_to_data(article))
        name = data.draw(st.sampled_from(applicable(tree)), label="mutation")
        MUTATIONS[name](tree, data)
        plain = json.loads(json.dumps(tree))
        if name in STRUCTURAL:
            assert not VALIDATOR.is_valid(plain), name
        else:
            assert VALIDATOR.is_valid(plain), name
