"""German number words, read by rule: a quantity's words ("Mehr als 600.000") to value and bound.

The rule (docs/annotation.md, "Claims"): an optional qualifier, then the number.
The number is digits with German grouping ("600.000", "2,5") or number words
("zweihundertvierzig", "eine"), each optionally followed by a scale word
("Millionen", "Milliarden", "Tausend"), or a plural count word alone
("Hunderttausender": more than 100,000).  Anything else is not read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ._model import Bound

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = ["QUALIFIERS", "read_number"]

#: Words before the number that set its bound, in the order they are tried.
QUALIFIERS: Final = (
    ("mehr als", Bound.MORE_THAN),
    ("über", Bound.MORE_THAN),
    ("mindestens", Bound.AT_LEAST),
    ("wenigstens", Bound.AT_LEAST),
    ("weniger als", Bound.LESS_THAN),
    ("unter", Bound.LESS_THAN),
    ("höchstens", Bound.AT_MOST),
    ("maximal", Bound.AT_MOST),
    ("bis zu", Bound.AT_MOST),
    ("rund", Bound.ABOUT),
    ("etwa", Bound.ABOUT),
    ("ungefähr", Bound.ABOUT),
    ("circa", Bound.ABOUT),
    ("ca.", Bound.ABOUT),
)
_DIGITS: Final = re.compile(r"(0|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]*)(?:,([0-9]+))?\Z")
_SCALES: Final = {
    "tausend": 1000,
    "million": 10**6,
    "millionen": 10**6,
    "mio.": 10**6,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "mrd.": 10**9,
}
# A plural count word alone means "more than one of it": "Tausende" > 1,000.
_PLURALS: Final = {
    f"{stem}{ending}": base
    for stem, base in (
        ("dutzend", 12),
        ("hundert", 100),
        ("tausend", 1000),
        ("zehntausend", 10_000),
        ("hunderttausend", 100_000),
    )
    for ending in ("e", "en", "er")
} | {"millionen": 10**6, "milliarden": 10**9}
_ONES: Final = {
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_TEENS: Final = ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn")
_TEENS_2: Final = ("siebzehn", "achtzehn", "neunzehn")
_SMALL: Final = {
    "null": 0,
    **dict.fromkeys(("ein", "eins", "eine", "einen", "einem", "einer", "eines"), 1),
    **_ONES,
    **{word: 10 + n for n, word in enumerate(_TEENS + _TEENS_2)},
}
_TENS_WORDS: Final = ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig")
_TENS: Final = {word: 20 + 10 * n for n, word in enumerate((*_TENS_WORDS, "neunzig"))}
_MAX_DIGITS: Final = 30  # more is not a count anyone writes, and int() of it is slow


def _below_hundred(word: str) -> int | None:
    if word in _SMALL:
        return _SMALL[word]
    if word in _TENS:
        return _TENS[word]
    ones, sep, tens = word.partition("und")
    if sep and tens in _TENS and (ones == "ein" or ones in _ONES):
        return _TENS[tens] + (1 if ones == "ein" else _ONES[ones])
    return None


def _factor(head: str) -> int | None:
    """The multiplier before "hundert" or "tausend" ("" and "ein" are one)."""
    return 1 if head in {"", "ein"} else None


def _below_thousand(word: str) -> int | None:
    head, sep, tail = word.partition("hundert")
    if not sep:
        return _below_hundred(word)
    times = _factor(head) or _ONES.get(head)
    rest = 0 if not tail else _below_hundred(tail)
    if times is None or rest is None or (tail and rest == 0):
        return None
    return times * 100 + rest


def _word(word: str) -> int | None:
    """A number written as one German word below a million ("zweihunderttausend")."""
    head, sep, tail = word.partition("tausend")
    if not sep:
        return _below_thousand(word)
    times = _factor(head) or (_below_thousand(head) if head else None)
    rest = 0 if not tail else _below_thousand(tail)
    if not times or rest is None or (tail and rest == 0):
        return None
    return times * 1000 + rest


def _amount(token: str) -> int | Fraction | None:
    """A whole number as ``int``; only a decimal comma needs a `Fraction` (and its import)."""
    match = _DIGITS.match(token)
    if match:
        whole, fraction = match.group(1).replace(".", ""), match.group(2) or ""
        if len(whole) + len(fraction) > _MAX_DIGITS:
            return None
        if not fraction:
            return int(whole)
        from fractions import Fraction  # noqa: PLC0415 - lazy: with decimal, 3 ms to import

        return Fraction(int(whole + fraction), 10 ** len(fraction))
    return _word(token)


def _qualifier(words: list[str]) -> tuple[Bound, list[str]]:
    for phrase, bound in QUALIFIERS:
        size = phrase.count(" ") + 1
        if " ".join(words[:size]) == phrase:
            return bound, words[size:]
    return Bound.EXACT, words


def read_number(words: str) -> tuple[int | float, Bound]:
    """The value and bound that a quantity's words state; ValueError if the rule cannot read them.

    Whole values are ``int``; a decimal comma gives a ``float`` unless a scale
    makes it whole ("2,5 Millionen" is 2500000).
    """
    tokens = words.lower().split()
    bound, rest = _qualifier(tokens)
    if len(rest) == 1 and rest[0] in _PLURALS:
        if bound is not Bound.EXACT:
            msg = f"a plural count word ({rest[0]!r}) takes no qualifier"
            raise ValueError(msg)
        return _PLURALS[rest[0]], Bound.MORE_THAN
    if not rest:
        msg = "no number after the qualifier" if tokens else "no words"
        raise ValueError(msg)
    total: int | Fraction = 0
    last_scale = None
    i = 0
    while i < len(rest):
        amount = _amount(rest[i])
        if amount is None:
            msg = f"{rest[i]!r} is not a number the rule reads"
            raise ValueError(msg)
        scale = _SCALES.get(rest[i + 1]) if i + 1 < len(rest) else None
        if i + 1 < len(rest) and scale is None:
            msg = f"{rest[i + 1]!r} is not a scale word (Tausend, Millionen, Milliarden)"
            raise ValueError(msg)
        if scale is not None and (not 0 < amount < 1000 or (last_scale and scale >= last_scale)):
            msg = f"{rest[i]} {rest[i + 1]} does not continue the number"
            raise ValueError(msg)
        if last_scale is not None and scale is None and amount >= last_scale:
            msg = f"{rest[i]!r} is too large to follow a scale word"
            raise ValueError(msg)
        total += amount * (scale or 1)
        last_scale = scale
        i += 2 if scale is not None else 1
    value: int | float = total.numerator if total.denominator == 1 else float(total)
    return value, bound
