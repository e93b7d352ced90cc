"""Typed tables: the stable JSON shape, the explicit Arrow schema, Parquet, DuckDB and datasets."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import duckdb
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

import ukrnews
from helpers import ARTICLE_ID, corpus_dir
from ukrnews._arrow import ROLES, TABLES
from ukrnews._cli import main
from ukrnews.testing import articles, corpora

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LEAVES = (pa.string(), pa.int32(), pa.bool_(), pa.float64())  # float64: a quantity's value


def _article() -> ukrnews.Article:
    return ukrnews.load().article(ARTICLE_ID)


def _shapes(value: Any, path: str, into: dict[str, set[frozenset[str]]]) -> None:
    """The key sets of every object in a JSON tree, by path (list items collapsed to ``[]``)."""
    if isinstance(value, dict):
        into.setdefault(path, set()).add(frozenset(value))
        for key, item in value.items():
            _shapes(item, f"{path}.{key}", into)
    elif isinstance(value, list):
        for item in value:
            _shapes(item, f"{path}[]", into)


def _without_absent(value: Any) -> Any:
    """The tree without absent markers (keys whose value is None, [] or False)."""
    if isinstance(value, dict):
        return {k: _without_absent(v) for k, v in value.items() if v not in (None, [], False)}
    if isinstance(value, list):
        return [_without_absent(v) for v in value]
    return value


def _leaves(kind: pa.DataType) -> Iterator[pa.DataType]:
    if pa.types.is_list(kind):
        yield from _leaves(kind.value_type)
    elif pa.types.is_struct(kind):
        for field in kind:
            yield from _leaves(field.type)
    else:
        yield kind


class TestJsonShape:
    """`to_json` and `export --format json|jsonl`: one shape for every article."""

    @settings(max_examples=25)  # each example walks three whole trees; 25 cover the shapes
    @given(articles())
    def test_one_shape_same_content(
        self, bundled_article: ukrnews.Article, article: ukrnews.Article
    ) -> None:
        """Objects at one place in the tree have the same keys whatever the article, and
        dropping the absent keys gives back the YAML tree, ``medium`` always a list."""
        import yaml

        data = ukrnews.to_json(article)
        shapes: dict[str, set[frozenset[str]]] = {}
        _shapes(data, "", shapes)
        _shapes(ukrnews.to_json(bundled_article), "", shapes)
        assert {path: len(keys) for path, keys in shapes.items()} == dict.fromkeys(shapes, 1)
        tree = yaml.safe_load(ukrnews.dumps(article))
        for y in tree.get("attributions", []):
            y["medium"] = y["medium"] if isinstance(y["medium"], list) else [y["medium"]]
        assert _without_absent(data) == _without_absent(tree)
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data

    def test_pyarrow_json_reads_jsonl(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`pyarrow.json` reads the JSON Lines export, ``medium`` as a list of strings."""
        folder = corpus_dir(tmp_path / "corpus", copies=1)
        assert main(["export", "--format", "jsonl", str(folder)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 2
        (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        table = pa_json.read_json(tmp_path / "a.jsonl")
        medium = table.schema.field("attributions").type.value_type.field("medium").type
        assert medium == pa.list_(pa.string())
        assert table.column("id").to_pylist() == [ARTICLE_ID, "copy1"]


class TestSchema:
    """`arrow_schema`: explicit types, no string-or-list, no JSON blobs."""

    def test_every_leaf_is_typed(self) -> None:
        """Every column is a string, int32, bool, float64, or a list or struct of those."""
        schemas = ukrnews.arrow_schema()
        assert tuple(schemas) == TABLES
        for schema in schemas.values():
            assert schema.field("article_id").type == pa.string()
            for field in schema:
                assert all(leaf in LEAVES for leaf in _leaves(field.type)), field

    @settings(max_examples=15)  # each example builds seven Arrow tables
    @given(corpora(max_size=2))
    def test_to_arrow_holds_everything(self, corpus: ukrnews.Corpus) -> None:
        """Row counts are the model's, spans carry their block's text, and ids are unique."""
        corpus = attrs.evolve(
            corpus, articles=tuple(attrs.evolve(a, id=f"a{i}") for i, a in enumerate(corpus))
        )
        tables = ukrnews.to_arrow(corpus)
        schemas = ukrnews.arrow_schema()
        assert {n: t.schema for n, t in tables.items()} == schemas
        arts = corpus.articles
        assert tables["articles"].num_rows == len(arts)
        assert tables["blocks"].num_rows == sum(len(a.blocks) for a in arts)
        assert tables["entities"].num_rows == sum(len(a.entities) for a in arts)
        assert tables["mentions"].num_rows == sum(len(e.mentions) for a in arts for e in a.entities)
        assert tables["attributions"].num_rows == sum(len(a.attributions) for a in arts)
        assert tables["quotes"].num_rows == sum(len(a.quotes) for a in arts)
        spans = tables["spans"].to_pylist()
        assert len(spans) == sum(
            len(getattr(x, r)) for a in arts for x in a.attributions for _, r in ROLES
        )
        blocks = {(a.id, b.id): b.text for a in arts for b in a.blocks}
        for row in spans + tables["mentions"].to_pylist():
            assert blocks[row["article_id"], row["block"]][row["start"] : row["end"]] == row["text"]

    def test_bundled_article_row(self, bundled_article: ukrnews.Article) -> None:
        """The nested row of the bundled article is its stable JSON, field for field."""
        (row,) = ukrnews.to_arrow(bundled_article)["articles"].to_pylist()
        data = ukrnews.to_json(bundled_article)
        assert row["headline"] == data["headline"]
        assert [a["medium"] for a in row["attributions"]] == [
            a["medium"] for a in data["attributions"]
        ]
        assert [q["spans"] for q in row["quotes"]] == [q["spans"] for q in data["quotes"]]
        assert [e["mentions"] for e in row["entities"]] == [e["mentions"] for e in data["entities"]]
        assert row["image_credits"][0]["credit_line"] == data["images"][0]["credit_line"]


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus exported with `ukrnews export --format parquet`."""
    out = tmp_path_factory.mktemp("parquet")
    assert main(["export", "--format", "parquet", "-o", str(out)]) == 0
    return out


@pytest.fixture
def db(parquet_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection with a view per table, as a user would set it up."""
    with duckdb.connect() as con:
        for name in TABLES:
            con.read_parquet(str(parquet_dir / name / "*.parquet")).create_view(name)
        yield con


class TestParquet:
    """The Parquet files read back typed, with pyarrow and DuckDB, and answer user queries."""

    def test_files_are_the_schema(self, parquet_dir: Path) -> None:
        """Each table is one part with exactly its schema and the data of `to_arrow`."""
        expected = ukrnews.to_arrow(ukrnews.load())
        assert sorted(p.name for p in parquet_dir.iterdir()) == sorted(TABLES)
        for name, schema in ukrnews.arrow_schema().items():
            assert [p.name for p in (parquet_dir / name).iterdir()] == ["part-00000.parquet"]
            table = pq.read_table(parquet_dir / name)
            assert table.schema.remove_metadata() == schema
            assert table.equals(expected[name])

    def test_duckdb_types(self, db: duckdb.DuckDBPyConnection) -> None:
        """DuckDB sees every column with the declared type (no VARCHAR holding JSON)."""
        for name, schema in ukrnews.arrow_schema().items():
            got = db.table(name).to_arrow_table().schema
            for field in schema:
                assert list(_leaves(got.field(field.name).type)) == list(_leaves(field.type))
                assert _shape(got.field(field.name).type) == _shape(field.type)

    def test_quotes_per_speaker(
        self, db: duckdb.DuckDBPyConnection, bundled_article: ukrnews.Article
    ) -> None:
        """Quotes per speaker, as DuckDB counts them, are the model's."""
        rows = db.sql(
            "SELECT speaker_name, count(*) AS n FROM quotes"
            " GROUP BY speaker_name ORDER BY n DESC, speaker_name"
        ).fetchall()
        counts = Counter(q.speaker.name for q in bundled_article.quotes if q.speaker is not None)
        assert rows == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def test_attributions_by_kind(
        self, db: duckdb.DuckDBPyConnection, bundled_article: ukrnews.Article
    ) -> None:
        """Attributions by kind, as DuckDB counts them, are the model's."""
        rows = db.sql("SELECT kind, count(*) FROM attributions GROUP BY kind").fetchall()
        assert dict(rows) == Counter(a.kind.value for a in bundled_article.attributions)

    def test_all_spans_of_one_attribution(
        self, db: duckdb.DuckDBPyConnection, bundled_article: ukrnews.Article
    ) -> None:
        """The spans of the attribution with the most roles, in role order, from DuckDB."""
        attribution = max(
            bundled_article.attributions, key=lambda a: sum(bool(getattr(a, r)) for _, r in ROLES)
        )
        rows = db.execute(
            'SELECT role, block, start, "end", text FROM spans WHERE attribution_id = ?'
            " ORDER BY list_position(?, role), position",
            [attribution.id, [role for role, _ in ROLES]],
        ).fetchall()
        expected = [
            (role, s.block.id, s.start, s.end, s.text)
            for role, attr in ROLES
            for s in getattr(attribution, attr)
        ]
        assert rows == expected
        assert len({r[0] for r in rows}) >= 4

    def test_quotes_join_attributions(
        self, db: duckdb.DuckDBPyConnection, bundled_article: ukrnews.Article
    ) -> None:
        """A join on the keys finds each quote's attribution kind and medium."""
        rows = db.sql(
            "SELECT q.quote_id, a.kind, a.medium FROM quotes q"
            " JOIN attributions a USING (article_id, attribution_id) ORDER BY q.quote_id"
        ).fetchall()
        assert rows == [
            (q.id, q.kind.value, list(q.attribution.medium.names)) for q in bundled_article.quotes
        ]

    def test_hugging_face_features(
        self,
        parquet_dir: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        repo_root: Path,
    ) -> None:
        """`datasets.load_dataset("parquet")` on the docs' `configs:` gives typed Features."""
        monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
        import datasets
        import huggingface_hub.constants

        # The flags are read on first import: fail, never go online, if that was earlier.
        assert datasets.config.HF_HUB_OFFLINE
        assert huggingface_hub.constants.HF_HUB_OFFLINE

        # One dataset per table: the `configs:` that docs/exports.md tells users to write.
        docs = (repo_root / "docs" / "exports.md").read_text(encoding="utf-8")
        configs = re.findall(r'- config_name: (\w+)\n  data_files: "([^"]+)"', docs)
        assert sorted(name for name, _ in configs) == sorted(TABLES)
        loaded = {
            name: datasets.load_dataset(
                "parquet",
                data_files={"train": str(parquet_dir / files)},
                split="train",
                cache_dir=str(tmp_path / "c"),
            )
            for name, files in configs
        }
        schemas = ukrnews.arrow_schema()
        for name in TABLES:
            features = loaded[name].features
            assert features == datasets.Features.from_arrow_schema(schemas[name])
            assert loaded[name].num_rows == pq.read_table(parquet_dir / name).num_rows
        assert loaded["quotes"].features["partial"] == datasets.Value("bool")
        assert loaded["attributions"].features["medium"] == datasets.List(datasets.Value("string"))
        assert loaded["quotes"].features["spans"] == datasets.List(
            {
                "block": datasets.Value("string"),
                "start": datasets.Value("int32"),
                "end": datasets.Value("int32"),
                "text": datasets.Value("string"),
            }
        )


def _shape(kind: pa.DataType) -> Any:
    """A type's nesting (lists and struct field names), whatever its string flavour."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return ["list", _shape(kind.value_type)]
    if pa.types.is_struct(kind):
        return {f.name: _shape(f.type) for f in kind}
    return "leaf"
