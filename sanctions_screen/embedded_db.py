"""Embedded SQLite databases (the standard library's `sqlite3`): opened in WAL mode, so that
readers never wait for a writer, with their schema versioned in `PRAGMA user_version` and brought
up to date on open; writes in one transaction each. The decision store and the monitoring state
are both kept this way."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_BUSY_MS = 30_000  # how long a writer waits for another one's transaction


def open_database(path: Path, migrations: Sequence[str], what: str) -> sqlite3.Connection:
    """A connection to a SQLite file in WAL mode with its schema brought to the last of
    `migrations`, in one transaction; ValueError naming the file when it is not such a database
    or was written by a newer version.

    >>> import tempfile; db = open_database(Path(tempfile.mkdtemp()) / "d.db", ["CREATE TABLE t (x);"], "test")
    >>> db.execute("PRAGMA user_version").fetchone()[0]
    1
    """
    try:
        db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path}: not a {what} database ({exc})") from exc
    if version > len(migrations):
        raise ValueError(
            f"{path}: {what} database schema version {version} is newer than this library's "
            f"({len(migrations)}); upgrade sanctions_screen"
        )
    if version < len(migrations):
        with transaction(db):
            # Read again under the write lock: another process may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, len(migrations)):
                for statement in migrations[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {len(migrations)}")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (BEGIN IMMEDIATE): committed whole or not at all.

    >>> db = sqlite3.connect(":memory:", isolation_level=None)
    >>> with transaction(db): _ = db.execute("CREATE TABLE t (x)")
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


__all__ = ["open_database", "transaction"]
