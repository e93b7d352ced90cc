"""`export --format parquet DIR --jobs N`: a directory of parts per table, in bounded memory.

The parts of a table are its rows in input order, whatever the part and row-group sizes
and the number of processes; duplicate ids fail with both files named; nothing is left
half-written, and an earlier export is replaced whole or not at all.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ukrnews
from helpers import ARTICLE_ID, bundled_yaml, corpus_dir
from ukrnews._arrow import TABLES
from ukrnews._cli import main
from ukrnews._parquet import part_name, write_parquet
from ukrnews._unique import UniqueIds
from ukrnews.testing import corpora

if TYPE_CHECKING:
    from collections.abc import Sequence


def _with_ids(folder: Path, ids: Sequence[str]) -> list[Path]:
    """One file per id, in name order: the bundled article under that id."""
    folder.mkdir()
    text = bundled_yaml()
    files = [folder / f"f{i:02d}.yaml" for i in range(len(ids))]
    for file, article_id in zip(files, ids, strict=True):
        file.write_text(text.replace(f"id: {ARTICLE_ID}", f"id: {article_id}", 1), "utf-8")
    return files


def _parts(table: Path) -> list[Path]:
    """A table directory's part files, in name (and so input) order."""
    return sorted(table.iterdir())


def _tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (hidden ones too) by relative path, with its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


class TestParts:
    """Each table is a directory of parts whose concatenation is the table."""

    # Each example draws, dumps, loads and exports a corpus twice (some 0.4 s, most of it
    # drawing the articles): 8 cover one to four parts, parts of one or more row groups
    # and tables with no rows.  What the articles hold is to_arrow's tests' concern.
    @settings(max_examples=8)
    @given(corpora(min_size=1, max_size=4), st.integers(1, 3), st.integers(1, 3))
    def test_parts_concatenate_to_the_table(
        self, corpus: ukrnews.Corpus, group_size: int, per_part: int
    ) -> None:
        """The parts, in order, are `to_arrow` of the corpus and the one-part export."""
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "in").mkdir()
            for i, article in enumerate(corpus.articles):
                ukrnews.dump(article, root / "in" / f"a{i:02d}.yaml")
            counts = write_parquet(
                [root / "in"],
                root / "small",
                group_size=group_size,
                row_group_bytes=1,  # a row group per group of files
                row_groups_per_part=per_part,
            )
            write_parquet([root / "in"], root / "one")
            expected = ukrnews.to_arrow(corpus)
            groups = -(-len(corpus.articles) // group_size)
            for name in TABLES:
                parts = _parts(root / "small" / name)
                assert [p.name for p in parts] == [
                    part_name(k) for k in range(-(-groups // per_part))
                ]
                files = [pq.ParquetFile(p) for p in parts]
                assert all(f.metadata.num_row_groups <= per_part for f in files)
                assert all(f.schema_arrow.remove_metadata() == expected[name].schema for f in files)
                joined = pa.concat_tables(f.read() for f in files)
                assert joined.equals(expected[name])
                assert counts[name] == expected[name].num_rows
                (single,) = _parts(root / "one" / name)
                assert pq.read_table(single).equals(joined)
                assert pq.read_table(root / "small" / name).equals(joined)
            # Part k of every table holds rows of part k's articles only.
            for k, part in enumerate(_parts(root / "small" / "articles")):
                ids = set(pq.read_table(part)["article_id"].to_pylist())
                for name in TABLES:
                    rows = pq.read_table(root / "small" / name / part_name(k))
                    assert set(rows["article_id"].to_pylist()) <= ids

    def test_empty_corpus_has_one_empty_part_per_table(self, tmp_path: Path) -> None:
        """A table with no rows is one valid part with the full schema."""
        (tmp_path / "in").mkdir()
        counts = write_parquet([tmp_path / "in"], tmp_path / "out")
        assert counts == dict.fromkeys(TABLES, 0)
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES)
        for name, schema in ukrnews.arrow_schema().items():
            (part,) = _parts(tmp_path / "out" / name)
            table = pq.read_table(part)
            assert (part.name, table.num_rows) == (part_name(0), 0)
            assert table.schema.remove_metadata() == schema

    def test_row_groups_cut_together(self, tmp_path: Path) -> None:
        """Row groups are cut as the buffers fill, for every table at the same article."""
        folder = corpus_dir(tmp_path / "corpus", copies=4)
        write_parquet([folder], tmp_path / "out", group_size=2, row_group_bytes=1)
        cuts = [sorted([ARTICLE_ID, "copy1"]), ["copy2", "copy3"], ["copy4"]]
        for name in TABLES:
            file = pq.ParquetFile(tmp_path / "out" / name / part_name(0))
            for i in range(file.num_row_groups):
                rows = file.read_row_group(i, columns=["article_id"])["article_id"].to_pylist()
                assert sorted(set(rows)) in cuts, (name, i, rows)
        meta = pq.read_metadata(tmp_path / "out" / "articles" / part_name(0))
        assert (meta.num_rows, meta.num_row_groups) == (5, 3)

    def test_an_earlier_export_is_replaced_whole(self, tmp_path: Path) -> None:
        """A smaller export over a bigger one leaves no stale part; other files stay."""
        folder = corpus_dir(tmp_path / "corpus", copies=4)
        out = tmp_path / "out"
        write_parquet([folder], out, group_size=1, row_group_bytes=1, row_groups_per_part=1)
        assert len(_parts(out / "quotes")) == 5
        (out / "README.md").write_text("mine", encoding="utf-8")
        counts = write_parquet([folder / "a0.yaml"], out)
        assert counts["articles"] == 1
        assert sorted(p.name for p in out.iterdir()) == sorted([*TABLES, "README.md"])
        for name in TABLES:
            assert [p.name for p in _parts(out / name)] == [part_name(0)]
        assert pq.read_table(out / "articles")["article_id"].to_pylist() == [ARTICLE_ID]
        assert (out / "README.md").read_text(encoding="utf-8") == "mine"


class TestMoveIntoPlace:
    """The tables are moved into OUT all together or not at all."""

    # 9 tables: 9 old ones moved aside, then 9 new ones moved in; fail at either stage.
    @pytest.mark.parametrize("failing", [1, 5, 9, 10, 14, 18])
    def test_a_failed_rename_leaves_the_earlier_export(
        self, failing: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Whichever rename fails, OUT holds the earlier export, byte for byte."""
        out = tmp_path / "out"
        write_parquet([], out)
        before = _tree(out)
        folder = corpus_dir(tmp_path / "corpus", copies=1)
        renames = 0
        replace = Path.replace

        def flaky(self: Path, target: Path) -> Path:
            nonlocal renames
            renames += 1
            if renames == failing:
                raise PermissionError(13, "refused by the test", str(self))
            return replace(self, target)

        monkeypatch.setattr(Path, "replace", flaky)
        with pytest.raises(PermissionError):
            write_parquet([folder], out)
        monkeypatch.undo()
        assert renames >= failing
        assert _tree(out) == before
        assert sorted(p.name for p in out.iterdir()) == sorted(TABLES)

    @pytest.mark.parametrize("undo", ["refused", "interrupted"])
    def test_a_failed_undo_deletes_nothing(
        self, undo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If moving the old tables back fails, or Ctrl-C stops it, those set aside are kept."""
        out = tmp_path / "out"
        write_parquet([], out)
        before = pq.read_table(out / "quotes")
        folder = corpus_dir(tmp_path / "corpus", copies=1)
        replace = Path.replace

        def failing(self: Path, target: Path) -> Path:
            if self.name == "quotes" and self.parent != out:  # the new quotes, moved in
                raise PermissionError(13, "refused by the test", str(self))
            if undo == "refused" and self.name == "old-quotes":
                raise PermissionError(13, "refused by the test", str(self))
            if undo == "interrupted" and self.name.startswith("old-"):  # the first move back
                raise KeyboardInterrupt
            return replace(self, target)

        monkeypatch.setattr(Path, "replace", failing)
        expected = ukrnews.DataError if undo == "refused" else KeyboardInterrupt
        with pytest.raises(expected) as info:
            write_parquet([folder], out)
        monkeypatch.undo()
        kept = list(out.glob(".ukrnews-parquet-*/old-quotes"))
        assert len(kept) == 1, "the earlier table that could not be moved back must be kept"
        assert pq.read_table(kept[0]).equals(before)
        if undo == "refused":
            assert isinstance(info.value, ukrnews.DataError)
            assert info.value.path == str(out)
            assert "nothing was deleted" in info.value.message
            assert str(kept[0]) in info.value.message
            others = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
            assert others == sorted(name for name in TABLES if name != "quotes")

    @pytest.mark.parametrize("kind", ["file", "foreign file in the table"])
    def test_what_an_export_did_not_write_is_refused(self, kind: str, tmp_path: Path) -> None:
        """A file named like a table, or a table directory with other files, is not replaced."""
        out = tmp_path / "out"
        if kind == "file":
            out.mkdir()
            mine = out / "articles"
        else:
            write_parquet([], out)
            mine = out / "quotes" / "keep.txt"
        mine.write_text("mine", encoding="utf-8")
        before = _tree(out)
        with pytest.raises(ukrnews.DataError, match="move it away") as info:
            write_parquet([], out)
        assert info.value.path == str(mine if kind == "file" else mine.parent)
        assert _tree(out) == before
        assert mine.read_text(encoding="utf-8") == "mine"


@pytest.fixture(scope="module")
def earlier_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """An export of the bundled corpus: the files of an earlier run in OUT."""
    out = tmp_path_factory.mktemp("earlier")
    write_parquet([], out)
    return _tree(out)


class TestDuplicateIds:
    """An id used twice fails the export, naming both files, and changes nothing."""

    # Each example loads up to eight files; 25 examples put the two files first, last,
    # in one group and in different groups (and sometimes more than one id twice).
    @settings(max_examples=25)
    @given(
        ids=st.lists(st.sampled_from("abcdef"), min_size=2, max_size=8).filter(
            lambda ids: len(set(ids)) < len(ids)
        ),
        group_size=st.integers(1, 4),
    )
    def test_names_both_files_and_leaves_out_alone(
        self, ids: list[str], group_size: int, earlier_export: dict[str, bytes]
    ) -> None:
        """The first file that repeats an id is the error's; the earlier file is named."""
        second = next(j for j, x in enumerate(ids) if x in ids[:j])
        first = ids.index(ids[second])
        with tempfile.TemporaryDirectory() as tmp:
            files = _with_ids(Path(tmp) / "in", ids)
            out = Path(tmp) / "out"
            out.mkdir()
            for name, data in earlier_export.items():
                (out / name).parent.mkdir(exist_ok=True)
                (out / name).write_bytes(data)
            with pytest.raises(ukrnews.DataError) as info:
                write_parquet([Path(tmp) / "in"], out, group_size=group_size, row_group_bytes=1)
            assert (info.value.path, info.value.field) == (str(files[second]), "id")
            assert info.value.message == (
                f"article id '{ids[second]}' is used by {files[first]} and {files[second]}"
            )
            assert _tree(out) == earlier_export

    def test_command_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`ukrnews export` reports it as the second file's error; OUT stays empty."""
        folder = corpus_dir(tmp_path / "corpus", copies=1)
        (folder / "b.yaml").write_text(bundled_yaml(), encoding="utf-8")
        out = tmp_path / "out"
        args = ["export", "--format", "parquet", str(folder), "-o", str(out)]
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"{folder / 'b.yaml'}: id: article id '{ARTICLE_ID}' is used by")
        assert str(folder / "a0.yaml") in err
        assert list(out.iterdir()) == []


class TestUniqueIds:
    """`UniqueIds`, the on-disk check, answers as a dict of the ids seen would."""

    # Up to 300 ids of 1 to 40 characters in 512-byte pages and a 1 KiB page cache:
    # SQLite has to write pages out and read them back, as on a corpus of millions.
    @settings(max_examples=50)  # every example makes a database file
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c"])
                | st.text("ab_-0123456789", min_size=1, max_size=40),
                st.binary(min_size=1, max_size=12).map(os.fsdecode),
            ),
            max_size=300,
        )
    )
    def test_answers_as_a_dict(self, adds: list[tuple[str, str]]) -> None:
        """Each add is new, or a LinkError naming the file that had the id first."""
        model: dict[str, str] = {}
        with tempfile.TemporaryDirectory() as tmp:
            ids = UniqueIds(Path(tmp) / "ids.sqlite", cache_kib=1, page_size=512)
            try:
                for article_id, file in adds:
                    if article_id in model:
                        with pytest.raises(ukrnews.LinkError) as info:
                            ids.add(article_id, file)
                        assert info.value.path == file
                        assert info.value.message == (
                            f"article id '{article_id}' is used by {model[article_id]} and {file}"
                        )
                    else:
                        ids.add(article_id, file)
                        model[article_id] = file
            finally:
                ids.close()


class TestParallelExport:
    """`export --format parquet DIR --jobs N`: the same files for any N, errors name the file."""

    def test_jobs_do_not_change_the_output(self, tmp_path: Path) -> None:
        """Two processes, small groups and small parts give the files of one process."""
        folder = corpus_dir(tmp_path / "corpus", copies=4)
        one, two = tmp_path / "one", tmp_path / "two"
        small = {"row_group_bytes": 1, "row_groups_per_part": 2}
        write_parquet([folder], one, group_size=2, **small)
        counts = write_parquet([folder], two, jobs=2, group_size=2, **small)
        assert counts["articles"] == 5
        expected = ukrnews.to_arrow(ukrnews.load_path(folder))
        for name in TABLES:
            assert [p.name for p in _parts(one / name)] == [part_name(0), part_name(1)]
            assert pq.read_table(one / name).equals(expected[name])
        assert _tree(one) == _tree(two)

    def test_bad_file_names_itself(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad file fails with its DataError, and no table is left behind."""
        folder = corpus_dir(tmp_path / "corpus", copies=2)
        bad = folder / "a1.yaml"
        bad.write_text(
            bad.read_text(encoding="utf-8").replace("kind: indirect", "kind: sideways", 1)
        )
        out = tmp_path / "out"
        assert (
            main(["export", "--format", "parquet", str(folder), "-o", str(out), "--jobs", "2"]) == 1
        )
        err = capsys.readouterr().err
        assert err.startswith(f"{bad}:")
        assert "sideways" in err
        assert list(out.iterdir()) == []

    def test_a_failed_export_stops_its_workers(self, tmp_path: Path) -> None:
        """The worker processes are gone when the error is raised, not when it is dropped."""
        _with_ids(tmp_path / "in", ["a", "b", "c", "d", "a"])
        with pytest.raises(ukrnews.DataError) as info:
            write_parquet([tmp_path / "in"], tmp_path / "out", jobs=2, group_size=1)
        assert info.value.field == "id"
        assert multiprocessing.active_children() == []

    def test_needs_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without -o the binary formats are a usage error."""
        assert main(["export", "--format", "parquet"]) == 2
        assert "needs -o" in capsys.readouterr().err
