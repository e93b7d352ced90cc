"""`ukrnews._value.Value`: the model's ``==``, ``hash`` and ``repr`` are the ones attrs writes.

Each model class is compared with a reference class that attrs builds from the same
fields with its own generated methods, on every object of generated articles.
"""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given

import ukrnews
from ukrnews import _model
from ukrnews._value import Value
from ukrnews.testing import articles, corpora

VALUE_CLASSES = sorted(
    {c for c in vars(_model).values() if isinstance(c, type) and issubclass(c, Value)} - {Value}
    | {ukrnews.Limits},
    key=lambda c: c.__name__,
)
OWN_REPR = {ukrnews.Span, ukrnews.Article, ukrnews.Corpus}  # a shorter repr of their own
_REFERENCE: dict[type, type] = {}


def reference(obj: Any) -> Any:
    """The same field values in a class whose ``==``, ``hash`` and ``repr`` attrs generated."""
    cls = type(obj)
    if cls not in _REFERENCE:
        _REFERENCE[cls] = attrs.make_class(
            cls.__name__,
            {f.name: attrs.field(eq=f.eq, repr=f.repr) for f in attrs.fields(cls)},
            frozen=True,
        )
    ref: Any = object.__new__(_REFERENCE[cls])
    for f in attrs.fields(cls):
        object.__setattr__(ref, f.name, getattr(obj, f.name))
    return ref


def values(root: Any) -> dict[type, list[Any]]:
    """Every attrs object reachable from ``root`` through fields and tuples, by class."""
    found: dict[type, list[Any]] = {}
    seen: set[int] = set()
    todo: list[Any] = [root]
    while todo:
        obj = todo.pop()
        if isinstance(obj, tuple):
            todo.extend(obj)
        elif attrs.has(cls := type(obj)) and id(obj) not in seen:
            seen.add(id(obj))
            found.setdefault(cls, []).append(obj)
            todo.extend(getattr(obj, f.name) for f in attrs.fields(cls))
    return found


def check_like_attrs(objects: list[Any]) -> int:
    """Assert ``==``, ``hash`` and ``repr`` agree with attrs' on every pair; count equal pairs."""
    equal = 0
    for x in objects:
        if type(x) not in OWN_REPR:
            assert repr(x) == repr(reference(x))
        for y in objects:
            assert (x == y) is (reference(x) == reference(y))
            assert (x != y) is (reference(x) != reference(y))
            if x == y:
                equal += 1
                assert hash(x) == hash(y)
    return equal


class TestLikeAttrs:
    """The methods `Value` writes once behave as those attrs would generate per class."""

    @given(articles(), articles())
    def test_every_object_of_two_articles_and_a_copy(
        self, first: ukrnews.Article, second: ukrnews.Article
    ) -> None:
        """Pairs across an article, its round-tripped copy and another article."""
        copy = ukrnews.loads(ukrnews.dumps(first))
        by_class = values((first, copy, second))
        for objects in by_class.values():
            equal = check_like_attrs(objects)
            assert equal >= len(objects)  # each object equals itself, at least

    def test_the_bundled_article(self, bundled_article: ukrnews.Article) -> None:
        """Every class of the bundled article, its source file included, against a copy."""
        copy = ukrnews.loads(ukrnews.dumps(bundled_article))
        by_class = values((bundled_article, copy))
        assert ukrnews.SourceFile in by_class
        for objects in by_class.values():
            assert check_like_attrs(objects) >= 2 * len(objects)  # itself and its copy

    @given(corpora())
    def test_corpora(self, corpus: ukrnews.Corpus) -> None:
        """A corpus equals a corpus of the same articles, and hashes alike."""
        again = ukrnews.Corpus(list(corpus.articles))
        assert again == corpus
        assert hash(again) == hash(corpus)
        assert ukrnews.Corpus(corpus.articles[1:]) != corpus or not corpus.articles

    def test_limits(self) -> None:
        """`Limits` is a value too: shown, compared and hashed by its fields."""
        limits = ukrnews.Limits(max_depth=5)
        check_like_attrs([limits, ukrnews.Limits(max_depth=5), ukrnews.Limits()])
        assert repr(limits).startswith("Limits(max_bytes=8388608, max_depth=5, ")


class TestClassesStayAttrs:
    """The classes are still frozen, slotted attrs classes, and equal only to their own kind."""

    @pytest.mark.parametrize("cls", VALUE_CLASSES, ids=lambda c: c.__name__)
    def test_frozen_slotted_attrs(self, cls: type) -> None:
        assert attrs.has(cls)
        assert "__dict__" not in dir(cls)
        assert cls.__hash__ is Value.__hash__
        assert cls.__eq__ is Value.__eq__

    def test_other_classes_are_not_equal(self, bundled_article: ukrnews.Article) -> None:
        """Not even a subclass with the same fields is equal (attrs compares exact classes)."""
        block = bundled_article.blocks[0]

        @attrs.frozen(eq=False, repr=False)
        class Sub(ukrnews.Block):
            pass

        sub = Sub(block.id, block.role, block.text)
        assert block != sub
        assert sub != block
        assert block.__eq__(object()) is NotImplemented
        assert block != (block.id, block.role, block.text)
        assert repr(sub) == repr(block).replace("Block(", "Sub(", 1)

    def test_a_cycle_shows_dots(self, bundled_article: ukrnews.Article) -> None:
        """An object that holds itself (only possible by going round ``frozen``) shows ``...``."""
        attribution = attrs.evolve(bundled_article.attributions[0])
        object.__setattr__(attribution, "parent", attribution)
        assert repr(attribution).endswith(", parent=...)")
        assert repr(attribution).count("Attribution(") == 1

    def test_pickle_keeps_equality(self, bundled_article: ukrnews.Article) -> None:
        """A pickled and restored article is equal to the original and hashes alike."""
        restored = pickle.loads(pickle.dumps(bundled_article))  # noqa: S301 - our own data
        assert restored == bundled_article
        assert hash(restored.entities[0]) == hash(bundled_article.entities[0])
