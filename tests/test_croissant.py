"""Croissant metadata: valid for mlcroissant offline, every record set loads, nothing invented."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs
import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

import ukrnews
from helpers import ARTICLE_ID, bundled_yaml
from ukrnews._arrow import TABLES
from ukrnews._cli import main
from ukrnews._croissant import AGREEMENT, LICENCES, croissant_metadata, file_set_id
from ukrnews._parquet import write_parquet

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every (key, string value) in a JSON tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield key, item
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _table(path: Path, name: str) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    body = text.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]
    return [
        [c.strip() for c in line.strip("|").split("|")] for line in body.strip().splitlines()[2:]
    ]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus exported as Croissant (and the Parquet tables beside it)."""
    target = tmp_path_factory.mktemp("croissant") / "croissant.json"
    assert main(["export", "--format", "croissant", "-o", str(target)]) == 0
    return target


# mlcroissant's own calls that its dependencies deprecate: rdflib's ConjunctiveGraph and
# pandas' reset_index(inplace=True). Nothing of ours is silenced.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)
class TestCroissant:
    """`ukrnews export --format croissant`."""

    def test_validates_and_loads(
        self, exported: Path, caplog: pytest.LogCaptureFixture, bundled_article: ukrnews.Article
    ) -> None:
        """mlcroissant validates it (only the two warnings we accept) and loads every set."""
        with caplog.at_level(logging.WARNING):
            dataset = mlc.Dataset(jsonld=exported)
        warnings = "\n".join(r.getMessage() for r in caplog.records)
        assert "error" not in warnings.casefold()
        # We know no publication date, and our version is PEP 440, not semver.
        assert warnings.count("\n  -  ") == 2, warnings
        assert "datePublished" in warnings
        assert "MAJOR.MINOR.PATCH" in warnings
        tables = ukrnews.to_arrow(ukrnews.load())
        sets = [rs.uuid for rs in dataset.metadata.record_sets]
        assert sets == list(TABLES)
        for name in sets:
            records = list(dataset.records(name))
            assert len(records) == tables[name].num_rows
        quotes = list(dataset.records("quotes"))
        assert [r["quotes/speaker_id"].decode() for r in quotes] == [
            q.speaker.id if q.speaker else None for q in bundled_article.quotes
        ]
        attributions = list(dataset.records("attributions"))
        assert [[m.decode() for m in r["attributions/medium"]] for r in attributions] == [
            list(a.medium.names) for a in bundled_article.attributions
        ]

    def test_parts_load_in_order(self, tmp_path: Path) -> None:
        """A table of several parts is one record set, its records in input order."""
        folder = tmp_path / "corpus"
        folder.mkdir()
        article = ukrnews.load().article(ARTICLE_ID)
        for i in range(3):
            ukrnews.dump(attrs.evolve(article, id=f"copy{i}"), folder / f"a{i}.yaml")
        out = tmp_path / "out"
        write_parquet([folder], out, group_size=1, row_group_bytes=1, row_groups_per_part=1)
        doc = croissant_metadata(out, bundled=False)
        (out / "croissant.json").write_text(json.dumps(doc), encoding="utf-8")
        objects = [f["contentUrl"] for f in doc["distribution"] if f["@type"] == "cr:FileObject"]
        assert len(objects) == 3 * len(TABLES)
        dataset = mlc.Dataset(jsonld=out / "croissant.json")
        articles = [r["articles/article_id"].decode() for r in dataset.records("articles")]
        assert articles == ["copy0", "copy1", "copy2"]
        quotes = [r["quotes/article_id"].decode() for r in dataset.records("quotes")]
        assert quotes == [f"copy{i}" for i in range(3) for _ in article.quotes]

    def test_files_and_types(self, exported: Path) -> None:
        """Each part is a FileObject with its sha256; each column a typed field or explained."""
        doc = json.loads(exported.read_text(encoding="utf-8"))
        assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
        objects = [f for f in doc["distribution"] if f["@type"] == "cr:FileObject"]
        sets = [f for f in doc["distribution"] if f["@type"] == "cr:FileSet"]
        assert [f["contentUrl"] for f in objects] == [
            f"{t}/{p.name}" for t in TABLES for p in sorted((exported.parent / t).iterdir())
        ]
        for file in objects:
            data = (exported.parent / file["contentUrl"]).read_bytes()
            assert file["sha256"] == hashlib.sha256(data).hexdigest()
            assert file["contentSize"] == f"{len(data)} B"
        assert [f["includes"] for f in sets] == [f"{t}/*.parquet" for t in TABLES]
        assert {f["encodingFormat"] for f in doc["distribution"]} == {"application/x-parquet"}
        kinds = {
            "string": "sc:Text",
            "int32": "sc:Integer",
            "bool": "sc:Boolean",
            "double": "sc:Float",
        }
        for record_set in doc["recordSet"]:
            schema = pq.read_schema(exported.parent / record_set["@id"] / "part-00000.parquet")
            for field in record_set["field"]:
                assert field["source"]["fileSet"]["@id"] == file_set_id(record_set["@id"])
                kind = schema.field(field["name"]).type
                array = field.get("isArray", False)
                leaf = kind.value_type if array else kind
                assert field["dataType"] == kinds[str(leaf)]

    def test_licences_kept_apart(
        self, exported: Path, bundled_article: ukrnews.Article, repo_root: Path
    ) -> None:
        """MIT for annotation and code; the text's rights with its publisher and agencies."""
        doc = json.loads(exported.read_text(encoding="utf-8"))
        assert doc["license"] == list(LICENCES)
        mit, text = doc["license"]
        assert mit["name"] == "MIT"
        assert "MIT License" in (repo_root / "LICENSE").read_text(encoding="utf-8")
        rights = (repo_root / "README.md").read_text(encoding="utf-8").split("## Rights")[1]
        agencies = bundled_article.agencies
        assert f"({', '.join(agencies)})" in rights
        assert f"({', '.join(agencies)})" in text["description"]
        assert "not under" in text["description"]
        assert "not** under" in rights
        assert doc["version"] in doc["citeAs"]

    def test_agreement_is_the_documented_one(self, exported: Path, repo_root: Path) -> None:
        """The RAI agreement figures are docs/annotation.md's table, measure for measure."""
        rows = _table(repo_root / "docs" / "annotation.md", "agreement")
        assert len(rows) == AGREEMENT.count(";") + 1
        for measure, value in rows:
            name = measure.replace(" (has a parent)", "")
            assert f"{name} {value}" in AGREEMENT
        doc = json.loads(exported.read_text(encoding="utf-8"))
        assert AGREEMENT in doc["rai:dataAnnotationAnalysis"]
        assert doc["rai:annotationsPerItem"].startswith("2:")

    def test_nothing_invented(self, exported: Path) -> None:
        """No date and no URL anywhere, but the vocabulary's own."""
        text = exported.read_text(encoding="utf-8")
        doc = json.loads(text)
        keys = set(re.findall(r'"([^"]+)":', text))
        assert not {"datePublished", "dateCreated", "dateModified", "url", "sameAs"} & keys
        links = {v for _, v in _strings({k: v for k, v in doc.items() if k != "@context"})}
        links = {v for v in links if "://" in v}
        assert links == {doc["conformsTo"]}

    def test_user_corpus_states_only_what_files_show(self, tmp_path: Path) -> None:
        """For a user's files: structure only, no licence, citation or RAI claims of ours."""
        folder = tmp_path / "mine"
        folder.mkdir()
        (folder / "a.yaml").write_text(bundled_yaml(), encoding="utf-8")
        target = tmp_path / "out" / "croissant.json"
        target.parent.mkdir()
        assert main(["export", "--format", "croissant", "-o", str(target), str(folder)]) == 0
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert not {k for k in doc if k.startswith("rai:")}
        assert not {"license", "citeAs", "creator", "version"} & set(doc)
        assert sorted(p.name for p in target.parent.iterdir()) == sorted(
            ["croissant.json", *TABLES]
        )


class TestDatacard:
    """docs/datacard.md: its counts are the data's."""

    def test_counts(self, repo_root: Path) -> None:
        """Rows per table, as the Parquet export has them."""
        tables = ukrnews.to_arrow(ukrnews.load())
        rows = _table(repo_root / "docs" / "datacard.md", "datacard-counts")
        assert {name: int(n) for name, n in rows} == {n: t.num_rows for n, t in tables.items()}

    def test_facts(self, bundled_article: ukrnews.Article, repo_root: Path) -> None:
        """The other figures, recomputed from the article."""
        a = bundled_article
        kinds = Counter(e.kind.value for e in a.entities)
        media = Counter(m for x in a.attributions for m in x.medium.names)
        actual = {
            "characters of article text (all blocks)": sum(len(b.text) for b in a.blocks),
            "body blocks (paragraphs and subheadings)": len(a.body),
            "image credits": len(a.image_credits),
            "excluded page furniture": len(a.excluded),
            **{f"entities: {k.value}": kinds[k.value] for k in ukrnews.EntityKind},
            **{
                f"attributions: {m.lower()}": media[m.lower()]
                for m in ("SPEECH", "THOUGHT", "WRITING")
            },
        }
        rows = _table(repo_root / "docs" / "datacard.md", "datacard-facts")
        assert {what: int(n) for what, n in rows} == actual
