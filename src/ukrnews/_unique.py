"""Unique article ids across a corpus of any size, checked on disk in bounded memory.

The ids seen so far and their files are kept in an SQLite table on disk whose primary
key is the id (stdlib ``sqlite3``).  SQLite holds at most its page cache in memory, so
the check costs the same few MiB for a thousand articles or a hundred million, and a
repeated id is found at once, in input order, with the file that had it first.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING, Final

from ._errors import LinkError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CACHE_KIB", "UniqueIds"]

# SQLite's page cache, all the memory the check takes whatever the corpus's size.  It
# fills by some 10,000 ids; the ids' pages it does not hold are read back from the
# operating system's cache, a few microseconds each.
CACHE_KIB: Final = 512


class UniqueIds:
    """The article ids seen so far, with their files, in an SQLite database at ``path``.

    ``path`` must not exist; the caller removes it (it lives in a temporary directory).
    """

    def __init__(self, path: Path, *, cache_kib: int = CACHE_KIB, page_size: int = 4096) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        try:
            # A scratch table: no journal and no fsync, as it is thrown away either way.
            self.db.execute(f"PRAGMA page_size = {int(page_size)}")
            self.db.execute(f"PRAGMA cache_size = {-int(cache_kib)}")
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.execute("PRAGMA temp_store = FILE")
            # The file as bytes: a file name need not be valid UTF-8 (os.fsencode undoes
            # the surrogate escapes that sqlite3 cannot store as TEXT).
            self.db.execute(
                "CREATE TABLE ids (id TEXT PRIMARY KEY, file BLOB NOT NULL) WITHOUT ROWID"
            )
            self.db.execute("BEGIN")
        except BaseException:
            self.db.close()  # the caller never gets an object to close
            raise

    def add(self, article_id: str, file: str) -> None:
        """Record that ``file`` holds ``article_id``; a `LinkError` if an earlier file did."""
        try:
            self.db.execute("INSERT INTO ids VALUES (?, ?)", (article_id, os.fsencode(file)))
        except sqlite3.IntegrityError:
            row = self.db.execute("SELECT file FROM ids WHERE id = ?", (article_id,)).fetchone()
            earlier = os.fsdecode(row[0])
            raise LinkError(
                f"article id '{article_id}' is used by {earlier} and {file}",
                path=file,
                field="id",
            ) from None

    def close(self) -> None:
        """Close the database (its file stays for the caller to remove)."""
        self.db.close()
