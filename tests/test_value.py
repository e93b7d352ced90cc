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
        for objects in values((first, copy, second)).values():
            check_like_attrs(objects)

    def test_the_bundled_article(self, bundled_article: ukrnews.Article) -> None:
        """Every class of the bundled article, its source file included, against a copy."""
        copy = ukrnews.loads(ukrnews.dumps(bundled_article))
        by_class = values((bundled_article, copy))
        assert ukrnews.SourceFile in by_class
        for objects in by_class.values():
            assert check_like_attrs(objects) >= 2 * len(objects)  # itself and its copy

    @given(corpora(min_size=1))
    def test_corpora(self, corpus: ukrnews.Corpus) -> None:
        """A corpus equals one of equal (not the same) articles, and hashes alike."""
        again = ukrnews.Corpus([ukrnews.loads(ukrnews.dumps(a)) for a in corpus])
        assert not any(a is b for a, b in zip(again, corpus, strict=True))
        check_like_attrs([corpus, again])
        assert again == corpus
        assert hash(again) == hash(corpus)
        *rest, last = corpus.articles
        other = ukrnews.Corpus([*rest, attrs.evolve(last, url=f"{last.url}!")])
        check_like_attrs([corpus, other])
        assert other != corpus

    def test_limits(self) -> None:
        """`Limits` is a value too: shown, compared and hashed by its fields."""
        limits = ukrnews.Limits(max_depth=5)
        check_like_attrs([limits, ukrnews.Limits(max_depth=5), ukrnews.Limits()])
        assert repr(limits).startswith("Limits(max_bytes=8388608, max_depth=5, ")


class TestClassesStayAttrs:
    """The classes are still frozen, slotted attrs classes, and equal only to their own kind."""

    def test_frozen_slotted_attrs(self, bundled_article: ukrnews.Article) -> None:
        """Every class, through an instance of it: attrs, no ``__dict__``, frozen."""
        found = values(ukrnews.Corpus([bundled_article]))
        found[ukrnews.Limits] = [ukrnews.Limits()]
        found[ukrnews.ExternalId] = [ukrnews.ExternalId("wikidata", "Q1", "a test")]  # none there
        assert sorted(found, key=lambda c: c.__name__) == VALUE_CLASSES
        for cls, objects in found.items():
            assert attrs.has(cls)
            assert cls.__hash__ is Value.__hash__
            assert cls.__eq__ is Value.__eq__
            assert not hasattr(objects[0], "__dict__")
            first = attrs.fields(cls)[0].name
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(objects[0], first, getattr(objects[0], first))

    def test_field_options_it_cannot_honour_are_refused(self) -> None:
        """A field with an eq key, a repr function or its own hash flag is a TypeError."""
        for option in ({"eq": str.lower}, {"repr": lambda _: "?"}, {"hash": False}):

            @attrs.frozen(eq=False, repr=False)
            class Odd(Value):
                name: str = attrs.field(**option)

            with pytest.raises(TypeError, match=r"Odd\.name: Value takes only"):
                repr(Odd("a"))

    def test_one_field_and_none(self) -> None:
        """A class of one field compares it as a tuple too; one of none is equal to its kind."""

        @attrs.frozen(eq=False, repr=False)
        class One(Value):
            value: float

        @attrs.frozen(eq=False, repr=False)
        class Empty(Value):
            pass

        nan = float("nan")
        assert One(nan) == One(nan)  # the very same object, as with several fields
        assert One(1.0) != One(2.0)
        assert hash(One(1.0)) == hash(One(1))
        assert Empty() == Empty()
        assert repr(Empty()) == "Empty()"

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
