"""Loading and writing articles: strings, files, directories and the bundled corpus."""

from __future__ import annotations

import errno
import functools
import os
import stat
from typing import TYPE_CHECKING, Final

from ._collector import paused
from ._errors import DataError, DumpError, LinkError
from ._load import build_article
from ._model import Article, Corpus
from ._yaml import DEFAULT_LIMITS, Limits, check_size, decode, parse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from ._dump import Offsets

__all__ = [
    "check_files",
    "dump",
    "dumps",
    "iter_articles",
    "load",
    "load_file",
    "load_path",
    "load_paths",
    "loads",
    "path_name",
    "validate",
    "write_text_atomic",
    "yaml_files",
]

SUFFIXES = (".yaml", ".yml")


def loads(
    text: str | bytes,
    *,
    source: str = "<string>",
    limits: Limits = DEFAULT_LIMITS,
    pure: bool = False,
) -> Article:
    """Load one article from YAML text (str, or bytes in UTF-8); ``source`` names it in errors.

    ``pure=True`` uses the pure-Python YAML parser even where libyaml is available.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        text = decode(bytes(text), source, limits)
    elif not isinstance(text, str):  # a caller's mistake, not bad data
        msg = f"loads() takes str or bytes, not {type(text).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    return build_article(parse(text, source, limits=limits, pure=pure), source, limits)


def load_file(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Article:
    """Load one article from a YAML file (a regular file, at most ``limits.max_bytes``)."""
    name = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse it just after.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            regular = stat.S_ISREG(info.st_mode)
            size = info.st_size
            data = (
                _read(fd, size, limits.max_bytes + 1)
                if regular and size <= limits.max_bytes
                else b""
            )
        finally:
            os.close(fd)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(f"cannot read file: {reason}", path=name) from None
    if not regular:
        raise DataError("not a regular file", path=name)
    check_size(size, name, limits)  # the real size, from the file system, not what we read
    return loads(data, source=name, limits=limits)


def _read(fd: int, size: int, most: int) -> bytes:
    """At most ``most`` bytes of a file of ``size`` bytes, in buffers sized to the file.

    Asking for one byte more than ``size`` notices a file that grew since `os.fstat`;
    it is then read on, up to ``most`` (decode() refuses what is over the limit).
    """
    parts: list[bytes] = []
    got = 0
    while got < most:
        chunk = os.read(fd, (min(size + 1, most) if got <= size else most) - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _is_yaml(name: str) -> bool:
    """Whether a file name has a YAML suffix, as `Path.suffix` reads it (".yaml" alone has none)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in SUFFIXES


# What `Path.exists` and `Path.is_dir` take for "not there" rather than raise (and on
# Windows winerror 21, 123 and 1921: not ready, an invalid name, a link it cannot resolve).
_MISSING: Final = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
_MISSING_WINERRORS: Final = frozenset({21, 123, 1921})


def _stat_mode(name: str) -> int | None:
    """The mode of ``name`` (links followed), or None where `Path.exists` would say False."""
    try:
        return os.stat(name).st_mode  # noqa: PTH116 - a str; pathlib is not imported
    except OSError as exc:
        if exc.errno in _MISSING or getattr(exc, "winerror", None) in _MISSING_WINERRORS:
            return None
        raise
    except ValueError:  # a NUL in the name
        return None


def _plain(name: str) -> bool:
    """Whether `pathlib` writes ``name`` as it is: on POSIX, no empty or "." part, one root "/"."""
    return os.sep == "/" and all(p not in {"", "."} for p in name.removeprefix("/").split("/"))


def path_name(path: str | os.PathLike[str]) -> str:
    """``str(Path(path))``, the name a file goes by in results and errors.

    `pathlib` (some 7 ms to import) is not imported for a str it would leave as it is.
    """
    if type(path) is str and _plain(path):
        return path
    from pathlib import Path  # noqa: PLC0415 - lazy: see above

    return str(Path(path))


def _joiner(folder: str) -> Callable[[str], str]:
    """What names a directory entry of ``folder``, as `pathlib` joins them (``folder / name``)."""
    if _plain(folder):
        prefix = folder + "/"
        return lambda name: prefix + name
    from pathlib import Path  # noqa: PLC0415 - lazy: only ".", "/" and other systems need it

    parent = Path(folder)
    return lambda name: str(parent / name)


def yaml_files(path: str | os.PathLike[str]) -> Iterator[str]:
    """The ``*.yaml``/``*.yml`` files in a directory, in name order (or just ``path``).

    Each is named as `pathlib` writes it (`path_name`).  The sorted names wait their turn
    as one string, a byte a name beyond its characters (a list of them would cost some
    70 bytes a name); each file's full name is made when its turn comes.
    """
    root = path_name(path)
    try:
        mode = _stat_mode(root)
        if mode is None or not stat.S_ISDIR(mode):
            yield root
            return
        with os.scandir(root) as entries:
            # Every *.yaml entry counts, so a broken link or a directory named x.yaml
            # is reported by load_file instead of being skipped in silence.
            names = sorted(
                (e.name for e in entries if _is_yaml(e.name)),
                key=os.path.normcase,  # the order `Path` sorts in, on every platform
            )
        joined = "".join(f"{name}\0" for name in names)  # no file name holds a NUL
        del names
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(f"cannot read directory: {reason}", path=root) from None
    join = _joiner(root)
    start = 0
    while start < len(joined):
        end = joined.index("\0", start)
        yield join(joined[start:end])
        start = end + 1


def iter_articles(
    path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Article]:
    """Yield the articles of a file or a directory of ``*.yaml`` files one at a time.

    Memory stays flat however many files there are; files are read in name order.
    """
    for file in yaml_files(path):
        yield load_file(file, limits=limits)


def check_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    limits: Limits = DEFAULT_LIMITS,
    empty_dirs: bool = True,
) -> Iterator[tuple[str, Article | DataError]]:
    """Each file under ``paths`` with its article or its first error, in order.

    The one rule for a corpus: directories give their ``*.yaml``/``*.yml`` entries
    (see `_files`); a file reached twice counts once; article ids are unique across
    all the files, and a later file with a known id gets a `LinkError`.  A path that
    does not exist (or, unless ``empty_dirs``, a directory without YAML files) gets a
    `DataError` of its own.
    """
    seen: set[tuple[str, str]] = set()  # (real folder, name): a file reached twice
    first: dict[str, str] = {}  # article id -> the file that has it
    for path in paths:
        root = path_name(path)
        name = os.fspath(path)
        try:
            mode = _stat_mode(root)
            exists = mode is not None
            is_dir = mode is not None and stat.S_ISDIR(mode)
            parent = os.path.dirname(root)  # noqa: PTH120 - `Path.parent` ("" for "."), as str
            folder = os.path.realpath(root if is_dir else parent)  # once per PATH
            files = yaml_files(root)
            file = next(files, None)  # lists the directory, or raises
        except DataError as err:
            yield name, err
            continue
        except (OSError, ValueError) as exc:
            yield name, DataError(f"cannot read: {exc}", path=name)
            continue
        if not exists:
            yield name, DataError("no such file or directory", path=name)
            continue
        if file is None and not empty_dirs:
            yield name, DataError("no *.yaml or *.yml files in this directory", path=name)
        while file is not None:
            key = (folder, os.path.basename(file))  # noqa: PTH119 - `Path.name`, as str
            if key not in seen:
                seen.add(key)
                yield _checked(file, first, limits)
            file = next(files, None)


def _checked(name: str, first: dict[str, str], limits: Limits) -> tuple[str, Article | DataError]:
    """One file's article, or its error; an id already in ``first`` is a `LinkError`."""
    try:
        article = load_file(name, limits=limits)
    except DataError as err:
        return name, err
    earlier = first.setdefault(article.id, name)
    if earlier != name:
        return name, LinkError(
            f"article id '{article.id}' is already used by {earlier}", path=name, field="id"
        )
    return name, article


def load_paths(
    paths: Iterable[str | os.PathLike[str]], *, limits: Limits = DEFAULT_LIMITS
) -> Corpus:
    """Every article under ``paths`` as one corpus (ids unique across all of them).

    The first file that fails raises its `DataError`, which names the file.  CPython's
    cyclic garbage collector is paused meanwhile (see `_collector`);
    ``Corpus(iter_articles(path))`` builds the same corpus with it running.
    """
    articles: list[Article] = []
    with paused():
        for _, found in check_files(paths, limits=limits):
            if isinstance(found, DataError):
                raise found
            articles.append(found)
        return Corpus(articles)


def load_path(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Corpus:
    """Load a YAML file, or every ``*.yaml``/``*.yml`` file in a directory, as a corpus.

    The first file that fails raises its `DataError`, which names the file.  The cyclic
    garbage collector, one switch for the whole process, is paused until it returns (see
    `load_paths`).
    """
    return load_paths([path], limits=limits)


def validate(
    source: str | bytes | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS
) -> list[DataError]:
    """Every independent error in YAML text, a file or a directory, in document order.

    An empty list means valid.  A path (`os.PathLike`, or a ``str`` without a line
    break) names a file or a directory of ``*.yaml`` files; ``bytes`` and any ``str``
    with a line break are the YAML text itself.  After an error that makes the rest of a
    file unreadable (syntax, encoding, a top level that is not a mapping) checking that
    file stops, so its list has that one error.
    """
    if isinstance(source, bytes | bytearray | memoryview) or (
        isinstance(source, str) and ("\n" in source or "\r" in source)
    ):
        try:
            loads(bytes(source) if not isinstance(source, str) else source, limits=limits)
        except DataError as err:
            return list(err.errors)
        return []
    found: list[DataError] = []
    for _, result in check_files([source], limits=limits):
        if isinstance(result, DataError):
            found.extend(result.errors)
    return found


@functools.cache
def load() -> Corpus:
    """The bundled corpus, validated; read once and cached, so calling again costs nothing."""
    from importlib import resources  # noqa: PLC0415 - only this function needs it

    folder = resources.files("ukrnews") / "data" / "articles"
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(SUFFIXES)), key=lambda e: e.name
    )
    articles = tuple(
        loads(e.read_bytes(), source=f"ukrnews/data/articles/{e.name}") for e in entries
    )
    return Corpus(articles)


def dumps(
    article: Article,
    *,
    header: str = "",
    pure: bool = False,
    check: bool = True,
    offsets: Offsets = "always",
) -> str:
    """The article as YAML text that `loads` reads back to an equal article.

    ``header`` is written first as comment lines (for example a
    ``yaml-language-server: $schema=...`` line); ``pure=True`` forces the
    pure-Python emitter.  With ``check`` (the default) the text is loaded back, so
    an article built in Python that breaks a rule of the format (an id, a span,
    blocks out of reading order) is a `DumpError` here, not a file that will not load.
    ``offsets="needed"`` leaves out ``start`` and ``end`` where the span's text occurs
    exactly once in its block, on word boundaries, so the file survives edits elsewhere
    in the block; ``"always"`` (the default) writes them on every span.
    """
    from ._dump import to_yaml  # noqa: PLC0415 - the writer: loading does not need it

    text = to_yaml(article, header=header, pure=pure, offsets=offsets)
    if check:
        _check_round_trip(article, text)
    return text


def _check_round_trip(article: Article, text: str) -> None:
    """Where reading and writing meet: the written text must load back equal."""
    try:
        again = loads(text, source="<dumps>")
    except DataError as exc:
        raise DumpError(f"the article is not valid: {exc.message}", field=exc.field) from None
    if again != article:
        raise DumpError(
            "the article does not load back equal; are its blocks in reading order"
            " (kicker, headline, image title, caption and credit line, teaser, body,"
            " agency line, author code) with the ids the format gives them?"
        )


SCHEMA_COMMENT = "# yaml-language-server:"


def kept_header(path: str | os.PathLike[str]) -> str:
    """The ``yaml-language-server:`` comment that starts the file at ``path``, if any ("")."""
    from pathlib import Path  # noqa: PLC0415 - only writing needs it

    try:
        with Path(path).open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline(4096).rstrip("\r\n")
    except OSError:
        return ""
    return first.removeprefix("# ") if first.startswith(SCHEMA_COMMENT) else ""


def dump(
    article: Article,
    path: str | os.PathLike[str],
    *,
    header: str | None = None,
    offsets: Offsets = "always",
) -> None:
    """Write an article as YAML atomically: a temporary file beside ``path``, then a rename.

    If anything fails, an existing file at ``path`` is left as it was.  Without a
    ``header``, a ``# yaml-language-server:`` line that starts the existing file is kept.
    ``offsets`` is as for `dumps`.
    """
    if header is None:
        header = kept_header(path)
    # dumps fails before any write
    write_text_atomic(path, dumps(article, header=header, offsets=offsets))


def _mode(target: Path) -> int:
    """The permissions for ``target``: its current ones, or what the umask allows a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to a temporary file beside ``path``, then rename it over ``path``.

    The file gets ordinary permissions (not the temporary file's private 0600).
    """
    import tempfile  # noqa: PLC0415 - only writing needs it
    from pathlib import Path  # noqa: PLC0415 - only writing needs it

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _mode(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
