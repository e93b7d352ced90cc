"""Errors: every problem with input is a `DataError` that says where it is."""

from __future__ import annotations

__all__ = ["DataError", "DumpError", "LinkError", "ParseError", "SchemaError", "SpanError"]


class DataError(ValueError):
    """Input that ukrnews cannot accept, located by file, line, column and field.

    ``str(err)`` reads ``file:line:col: field: message``; the parts that are
    unknown are left out.  ``line`` and ``column`` count from 1.  ``errors`` holds
    every independent error found in the same file, in document order, this one first.
    """

    errors: tuple[DataError, ...]

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.errors = (self,)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with keyword arguments and the other errors of the file intact."""
        fields = (type(self), self.message, self.path, self.line, self.column, self.field)
        return (_rebuild, fields, {"errors": self.errors})

    def excerpt(self, text: str) -> str:
        """The offending line of ``text`` (the file's content) with a ``^`` under the column.

        Empty when the error has no line or the line is not in ``text``.
        """
        if self.line is None:
            return ""
        lines = text.splitlines()
        if not 0 < self.line <= len(lines):
            return ""
        line = lines[self.line - 1].expandtabs(1)
        pad = " " * max(0, (self.column or 1) - 1)
        return f"    {line}\n    {pad}^"


def _rebuild(  # noqa: PLR0917 - positional, as pickle calls it
    cls: type[DataError],
    message: str,
    path: str | None,
    line: int | None,
    column: int | None,
    field: str | None,
) -> DataError:
    return cls(message, path=path, line=line, column=column, field=field)


class ParseError(DataError):
    """The bytes are not acceptable YAML: encoding, syntax, tags, anchors, limits."""


class SchemaError(DataError):
    """The YAML is well formed but does not have the article format's structure."""


class SpanError(DataError):
    """A span's offsets or text do not agree with the block it points into."""


class LinkError(DataError):
    """A reference does not resolve, an id is repeated, or parents form a cycle."""


class DumpError(DataError):
    """A value cannot be written as YAML without loss (for example a lone surrogate)."""


# Shown as `ukrnews.SpanError` in tracebacks: the public name, not this private module.
for _cls in (DataError, ParseError, SchemaError, SpanError, LinkError, DumpError):
    _cls.__module__ = "ukrnews"
