"""The monitoring state folder: one SQLite file (`monitor.sqlite`, WAL mode, schema versioned)
with, per run, the lists and settings screened, the fingerprint of every customer and entry, the
open alerts and the changes; beside it, the customers' own saved index (`customers-N.index`).

A run writes everything in one transaction (`MonitorState.commit`): a run killed at any point
leaves the state of the run before it, and running again gives what an uninterrupted run gives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..embedded_db import open_database, transaction
from ..query import Request
from .customers import BadRow, Customer
from .models import Alert, AlertChange

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        mode TEXT NOT NULL,
        lists TEXT NOT NULL,
        settings TEXT NOT NULL,
        decisions_seen INTEGER NOT NULL,
        customer_index TEXT,
        customers_source TEXT NOT NULL,
        counts TEXT NOT NULL
    );
    CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        row INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT,
        birth_date TEXT,
        nationality TEXT
    );
    CREATE TABLE bad_rows (row INTEGER PRIMARY KEY, id TEXT, name TEXT, error TEXT NOT NULL);
    CREATE TABLE entries (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
    CREATE TABLE indexed (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
    CREATE TABLE alerts (
        customer_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (customer_id, entry_id)
    );
    CREATE TABLE changes (run INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
                          PRIMARY KEY (run, seq));
    """,
)
DATABASE = "monitor.sqlite"
INDEX_GLOB = "customers-*.index"
Pair = tuple[str, str]  # (customer id, entry id)


class RunRecord(NamedTuple):
    """What the state keeps of a run: enough to tell what the next run must screen again."""

    id: int
    time: str
    mode: str
    lists: list[dict[str, Any]]
    settings: dict[str, Any]
    decisions_seen: int
    customer_index: str | None
    customers_source: str  # the customer file's sha256 and the columns read
    counts: dict[str, int]


class Commit(NamedTuple):
    """Everything one run changes, written in one transaction. `entries`, `indexed` and
    `bad_rows` are whole new tables (None: unchanged); customers and alerts change row by row."""

    run: RunRecord
    customers: Iterable[Customer]  # new or changed
    removed_customers: Iterable[str]
    bad_rows: Sequence[BadRow] | None
    entries: Mapping[str, str] | None
    indexed: Mapping[str, str] | None
    alerts: Iterable[Alert]  # opened or updated
    closed: Iterable[Pair]
    changes: Sequence[AlertChange]


class MonitorState:
    """A state folder, created when missing.

    >>> import tempfile; MonitorState(tempfile.mkdtemp()).last_run() is None
    True
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = open_database(self.folder / DATABASE, MIGRATIONS, "monitoring state")

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def last_run(self) -> RunRecord | None:
        """The last committed run, or None before the first."""
        row = self.db.execute(
            f"SELECT {', '.join(RunRecord._fields)} FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        rid, time, mode, lists, settings, seen, index, source, counts = row
        return RunRecord(
            rid,
            time,
            mode,
            json.loads(lists),
            json.loads(settings),
            seen,
            index,
            source,
            json.loads(counts),
        )

    def customers(self) -> dict[str, Customer]:
        """Every customer stored by the last run (those it could screen), by id."""
        rows = self.db.execute(
            "SELECT id, fingerprint, row, name, kind, birth_date, nationality FROM customers"
        )
        return {
            cid: Customer(cid, row, Request(name, kind, dob, nat, cid), fp)
            for cid, fp, row, name, kind, dob, nat in rows
        }

    def bad_rows(self) -> list[BadRow]:
        """The rows the last run could not screen, with their errors."""
        rows = self.db.execute("SELECT row, id, name, error FROM bad_rows ORDER BY row")
        return [BadRow(*r) for r in rows]

    def entries(self) -> dict[str, str]:
        """Every entry of the lists of the last run: id -> fingerprint."""
        return dict(self.db.execute("SELECT id, fingerprint FROM entries"))

    def indexed(self) -> dict[str, str]:
        """The customers the saved customer index holds: id -> fingerprint."""
        return dict(self.db.execute("SELECT id, fingerprint FROM indexed"))

    def alerts(self) -> dict[Pair, Alert]:
        """The open alerts by (customer id, entry id)."""
        rows = self.db.execute("SELECT customer_id, entry_id, body FROM alerts")
        return {(c, e): Alert.model_validate_json(b) for c, e, b in rows}

    def changes(self, run: int) -> list[AlertChange]:
        """The changes one run made, in order."""
        rows = self.db.execute("SELECT body FROM changes WHERE run = ? ORDER BY seq", (run,))
        return [AlertChange.model_validate_json(b) for (b,) in rows]

    def commit(self, c: Commit) -> None:
        """Write one run's changes, all or nothing."""
        db = self.db
        with transaction(db):
            db.execute(
                f"INSERT INTO runs VALUES ({', '.join('?' * len(RunRecord._fields))})",
                [
                    *c.run[:3],
                    json.dumps(c.run.lists),
                    json.dumps(c.run.settings),
                    c.run.decisions_seen,
                    c.run.customer_index,
                    c.run.customers_source,
                    json.dumps(c.run.counts),
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((x.id, x.fingerprint, x.row, *x.request[:4]) for x in c.customers),
            )
            if c.bad_rows is not None:
                db.execute("DELETE FROM bad_rows")
                db.executemany("INSERT INTO bad_rows VALUES (?, ?, ?, ?)", c.bad_rows)
            db.executemany(
                "DELETE FROM customers WHERE id = ?", ((i,) for i in c.removed_customers)
            )
            _replace(db, "entries", c.entries)
            _replace(db, "indexed", c.indexed)
            db.executemany(
                "DELETE FROM alerts WHERE customer_id = ? AND entry_id = ?", list(c.closed)
            )
            db.executemany(
                "INSERT OR REPLACE INTO alerts VALUES (?, ?, ?)",
                ((a.customer_id, a.entry_id, a.model_dump_json()) for a in c.alerts),
            )
            db.executemany(
                "INSERT INTO changes VALUES (?, ?, ?)",
                ((c.run.id, i, ch.model_dump_json()) for i, ch in enumerate(c.changes)),
            )

    def remove_unused_indexes(self, keep: str | None) -> None:
        """Delete the customer index files no committed run uses (left by an interrupted run,
        or replaced)."""
        for path in self.folder.glob(INDEX_GLOB):
            if path.name != keep:
                path.unlink(missing_ok=True)


def _replace(db: Any, table: str, rows: Mapping[str, str] | None) -> None:
    if rows is None:
        return
    db.execute(f"DELETE FROM {table}")
    db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows.items())


__all__ = ["DATABASE", "Commit", "MonitorState", "Pair", "RunRecord"]
