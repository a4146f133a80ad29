"""Analyst decisions (the "accept list"): one SQLite file (the standard library's `sqlite3`, WAL
mode, so readers never wait for a writer), its schema versioned and migrated on open.

A decision is never updated or deleted: a later decision on the same subject and entry replaces it
(the newest one counts), and the history stays for an examiner. A hit an analyst cleared as a
false positive is suppressed only while the subject's screened data and the entry's matching data
both still match the fingerprints taken when it was cleared.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, get_args

from .audit import AuditLog, decision_record
from .embedded_db import open_database, transaction
from .fingerprints import entry_fingerprint, result_subject_fingerprint
from .models import Decision, DecisionKind, Hit, PriorDecision, ScreenResult

DECISIONS: tuple[str, ...] = get_args(DecisionKind)
# Each step takes the schema from the version before it to its own (user_version = its place).
# 1: the decisions; 2: what the analyst saw (query, list and version, score) and the pair index.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('false_positive', 'true_match')),
        analyst TEXT NOT NULL,
        reason TEXT NOT NULL,
        time TEXT NOT NULL,
        subject_fingerprint TEXT NOT NULL,
        entry_fingerprint TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE decisions ADD COLUMN query TEXT;
    ALTER TABLE decisions ADD COLUMN list TEXT;
    ALTER TABLE decisions ADD COLUMN list_version TEXT;
    ALTER TABLE decisions ADD COLUMN score REAL;
    CREATE INDEX decisions_pair ON decisions (subject_id, entry_id, id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_COLUMNS = tuple(Decision.model_fields)


class Split(NamedTuple):
    """Hits split by the decisions on record: still `active`, and `suppressed` (cleared)."""

    active: list[Hit]
    suppressed: list[Hit]


class DecisionStore:
    """Analyst decisions in one SQLite file, created when missing.

    `audit` (an `AuditLog` or a path): every decision recorded is also written there.
    A store may be shared by forked processes and by threads: each opens its own connection.

    >>> import tempfile; store = DecisionStore(Path(tempfile.mkdtemp()) / "decisions.db")
    >>> store.decisions()
    []
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        audit: AuditLog | str | os.PathLike[str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.audit = audit if audit is None or isinstance(audit, AuditLog) else AuditLog(audit)
        self._local = threading.local()
        self._connection()  # fail now, naming the file, rather than at the first screen

    def _connection(self) -> sqlite3.Connection:
        # A connection crosses neither a fork nor a thread: each worker and thread opens its own.
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "pid", 0) != os.getpid():
            db = self._local.db = open_database(self.path, MIGRATIONS, "decisions")
            self._local.pid = os.getpid()
        return db

    def close(self) -> None:
        """Close this thread's connection (reopened when the store is used again)."""
        db = getattr(self._local, "db", None)
        if db is not None and getattr(self._local, "pid", 0) == os.getpid():
            db.close()
        self._local.db = None

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        result: ScreenResult,
        entry_id: str,
        decision: DecisionKind,
        *,
        reason: str,
        analyst: str | None = None,
    ) -> Decision:
        """Record a decision on one hit of a screening the analyst reviewed: `result` carries
        the subject id, the query as screened and the hit's entry, from which the fingerprints
        are taken. ValueError when the result has no subject id, the entry is not among its hits
        (shown or suppressed), or the decision or reason is missing. `analyst` defaults to the
        user running the process.

        >>> # store.record(screener.screen("Ali Hasan", subject_id="C1"), "us_ofac_sdn:1",
        >>> #              "false_positive", reason="born 1990, entry born 1955", analyst="ana")
        """
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("a decision needs a reason")
        if result.subject_id is None:
            raise ValueError("the result has no subject id: screen with subject_id=...")
        hit = next((h for h in [*result.hits, *result.suppressed] if h.entry.id == entry_id), None)
        if hit is None:
            raise ValueError(
                f"entry {entry_id} is not among the hits of {result.query!r}: "
                "a decision is taken on a hit the analyst reviewed"
            )
        row: dict[str, Any] = {
            "subject_id": result.subject_id,
            "entry_id": entry_id,
            "decision": decision,
            "analyst": analyst or _user(),
            "reason": reason.strip(),
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "subject_fingerprint": result_subject_fingerprint(result),
            "entry_fingerprint": entry_fingerprint(hit.entry),
            "query": result.query,
            "list": hit.entry.list,
            "list_version": dict(result.lists).get(hit.entry.list),
            "score": hit.score,
        }
        db = self._connection()
        with transaction(db):
            cur = db.execute(
                f"INSERT INTO decisions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            made = Decision(id=int(cur.lastrowid or 0), **row)
            if self.audit is not None:
                # Inside the transaction: a decision that is not logged is not recorded either.
                self.audit.append([decision_record(made)])
        return made

    def current(self, subject_id: str, entry_ids: Sequence[str]) -> dict[str, Decision]:
        """The newest decision on each of these entries for this subject, by entry id.

        >>> # store.current("C1", ["us_ofac_sdn:1"])["us_ofac_sdn:1"].decision
        """
        if not entry_ids:
            return {}
        rows = self._connection().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE id IN ("
            " SELECT max(id) FROM decisions WHERE subject_id = ? AND entry_id IN "
            f"({', '.join('?' * len(entry_ids))}) GROUP BY entry_id)",
            [subject_id, *entry_ids],
        )
        return {d.entry_id: d for d in map(_decision, rows)}

    def decisions(self, *, after: int = 0) -> list[Decision]:
        """Every decision recorded, oldest first; with `after`, those with a larger id only.

        >>> # [d.id for d in store.decisions(after=10)]
        """
        rows = self._connection().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE id > ? ORDER BY id", (after,)
        )
        return [_decision(r) for r in rows]

    def last_id(self) -> int:
        """The id of the newest decision (0 when there is none).

        >>> # store.last_id()
        """
        return int(
            self._connection().execute("SELECT coalesce(max(id), 0) FROM decisions").fetchone()[0]
        )

    def split(self, subject_id: str, fingerprint: str, hits: Sequence[Hit]) -> Split:
        """The hits of one subject screened as `fingerprint`, each with the decision on record
        attached: a false positive that still applies (same subject and entry data) moves it to
        `suppressed`; anything else leaves it active, carrying the earlier decision.

        >>> # store.split("C1", result_subject_fingerprint(result), result.hits).suppressed
        """
        found = self.current(subject_id, [h.entry.id for h in hits])
        split = Split([], [])
        for hit in hits:
            d = found.get(hit.entry.id)
            if d is None:
                split.active.append(hit)
                continue
            changed: list[Any] = []
            if d.subject_fingerprint != fingerprint:
                changed.append("subject")
            if d.entry_fingerprint != entry_fingerprint(hit.entry):
                changed.append("entry")
            prior = PriorDecision(decision=d, applies=not changed, changed=changed)
            hit = hit.model_copy(update={"decision": prior})
            cleared = prior.applies and d.decision == "false_positive"
            (split.suppressed if cleared else split.active).append(hit)
        return split


def _decision(row: Sequence[Any]) -> Decision:
    return Decision(**dict(zip(_COLUMNS, row, strict=True)))


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def decision_store(
    value: DecisionStore | str | os.PathLike[str] | None,
) -> DecisionStore | None:
    """A DecisionStore from a store, a path, or None.

    >>> decision_store(None) is None
    True
    """
    if value is None or isinstance(value, DecisionStore):
        return value
    return DecisionStore(value)


__all__ = [
    "DECISIONS",
    "SCHEMA_VERSION",
    "DecisionStore",
    "Split",
    "decision_store",
]
