"""PyYAML's pure-Python parser with a stricter scanner: the reference back end.

PyYAML's scanner (and libyaml's, which shares its design) accepts a few documents
that the YAML test suite marks invalid and misreads a few valid ones.  This scanner
refuses each of them with a located error instead; `_yaml` sends every document
that may hold one of them here, on both back ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner, ScannerError

if TYPE_CHECKING:
    from yaml.error import Mark
    from yaml.tokens import Token

__all__ = ["NotInSubsetError", "StrictParser"]

_BREAKS: Final = "\r\n\x85\u2028\u2029"
_END_OR_BREAK: Final = "\0" + _BREAKS
_SPACE_OR_BREAK: Final = "\0 \t" + _BREAKS
_FLOW_INDICATORS: Final = ",[]{}"
_FLOW_LINE: Final = (
    "a line inside [...] or {...} must be indented more than the key or '-' it belongs to"
)


class NotInSubsetError(ScannerError):
    """Valid YAML that this parser would misread, so the format leaves it out."""


class StrictParser(Reader, Scanner, Parser):
    """PyYAML's event parser (``get_event``, ``dispose``), refusing what its scanner misreads."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        # Whether `need_more_tokens` said no and no token was fetched or taken since: the
        # parser asks about the same token again and again, and each answer walks the
        # possible simple keys (a fifth of a pure-Python load; #16).
        self._settled = False

    def _fill(self) -> None:
        """PyYAML's loop before each look at the queue, skipped while its answer stands."""
        while not self._settled:
            if super().need_more_tokens():
                self.fetch_more_tokens()
            else:
                self._settled = True

    def check_token(self, *choices: Any) -> bool:
        """Whether the next token is one of ``choices`` (any token if none given)."""
        self._fill()
        return bool(self.tokens) and (not choices or isinstance(self.tokens[0], choices))

    def peek_token(self) -> Token | None:
        """The next token, left in the queue (None at the end)."""
        self._fill()
        return self.tokens[0] if self.tokens else None

    def get_token(self) -> Token | None:
        """The next token, taken from the queue (None at the end): the next look starts anew."""
        self._fill()
        if not self.tokens:
            return None
        self._settled = False
        self.tokens_taken += 1
        token: Token = self.tokens.pop(0)
        return token

    def _refuse(self, problem: str) -> ScannerError:
        return ScannerError(None, None, problem, self.get_mark())

    def check_key(self) -> bool:
        """``[?x]`` is the text '?x' in YAML 1.2; PyYAML reads an explicit key."""
        if self.flow_level and self.peek(1) not in _SPACE_OR_BREAK + _FLOW_INDICATORS:
            msg = "unquoted '?' before text is not allowed inside [...] or {...}"
            raise NotInSubsetError(None, None, f"{msg}; quote the text ('?x')", self.get_mark())
        return bool(super().check_key())

    def check_plain(self) -> bool:
        """``[-]`` is invalid YAML; PyYAML reads the text '-'."""
        if self.flow_level and self.peek() == "-" and self.peek(1) in _FLOW_INDICATORS:
            raise self._refuse("'-' alone is not a value inside [...] or {...}; quote it ('-')")
        return bool(super().check_plain())

    def _check_flow_line(self) -> None:
        """A new line inside a flow collection must be indented more than its block."""
        if self.column <= self.indent:
            blank = 0
            while self.peek(blank) in " \t":
                blank += 1
            if self.peek(blank) not in _END_OR_BREAK + "#":  # not blank, not a comment
                raise self._refuse(_FLOW_LINE)

    def scan_to_next_token(self) -> None:
        """PyYAML's loop, plus: a comment needs a space before it; flow lines are indented."""
        if self.pointer == 0 and self.peek() == "\ufeff":
            self.forward()
        new_line = False
        while True:
            while self.peek() == " ":
                self.forward()
            if self.peek() == "#":
                if self.pointer and self.buffer[self.pointer - 1] not in " \t\ufeff" + _BREAKS:
                    raise self._refuse("a comment needs a space before '#'")
                while self.peek() not in _END_OR_BREAK:
                    self.forward()
            if not self.scan_line_break():  # type: ignore[no-untyped-call]
                break
            new_line = True
            if not self.flow_level:
                self.allow_simple_key = True
        if new_line and self.flow_level:
            self._check_flow_line()

    def scan_plain_spaces(self, indent: int, start_mark: Mark) -> list[str] | None:
        """A plain scalar that goes on to a new line inside [...] obeys the flow rule."""
        line = self.line
        chunks: list[str] | None = super().scan_plain_spaces(indent, start_mark)
        if self.flow_level and self.line != line:
            self._check_flow_line()
        return chunks

    def scan_flow_scalar_breaks(self, double: bool, start_mark: Mark) -> list[str]:
        """PyYAML's loop, plus: each new line of quoted text is indented more than its block."""
        chunks: list[str] = []
        while True:
            prefix = self.prefix(3)
            if prefix in ("---", "...") and self.peek(3) in _SPACE_OR_BREAK:
                raise ScannerError(
                    "while scanning a quoted scalar",
                    start_mark,
                    "found unexpected document separator",
                    self.get_mark(),
                )
            while self.peek() == " ":
                self.forward()
            if self.column <= self.indent and self.peek() not in _END_OR_BREAK:
                kind = "double" if double else "single"
                raise self._refuse(
                    f"a new line of {kind}-quoted text must be indented (with spaces)"
                    " more than the key or '-' it belongs to"
                )
            while self.peek() in " \t":
                self.forward()
            if self.peek() in _BREAKS:
                chunks.append(self.scan_line_break())  # type: ignore[no-untyped-call]
            else:
                return chunks

    def scan_block_scalar_indentation(self) -> tuple[list[str], int, Mark]:
        """A block scalar's leading empty lines may not be longer than its first line."""
        chunks, max_indent, end_mark = super().scan_block_scalar_indentation()
        if max(self.indent + 1, 1) <= self.column < max_indent and self.peek() != "\0":
            raise self._refuse(
                f"an empty line before the first line of this block scalar has {max_indent}"
                f" spaces, more than the first line's {self.column}"
            )
        return chunks, max_indent, end_mark
