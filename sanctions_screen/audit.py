"""The audit trail: an append-only JSON-lines log, one record per screening, each record chained
to the one before it by sha256, so that an edited, removed or reordered line is found.

A record: `seq` (its line number, from 1), `time` (UTC), `id` (unique), `kind` ("screen",
"decision" or "monitor_change"), and its fields. A screening's: `subject_id`, `query` with its qualifiers, `threshold`, `limit`, the library version and the
algorithm, each list's name, version and sha256s, the hits (entry id, score, matched name, the
aligned tokens), `prev` (the sha256 of the line before it, "" for the first) and `hash` (the
sha256 of the record without `hash`). Appends take an exclusive file lock, so that two processes
(forked batch workers, two commands) never interleave records or fork the chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .models import Decision, Hit, ListInfo, ScreenResult

_TAIL = 1 << 16  # a record is far shorter: the last line is found within this many bytes


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _hit_fields(hit: Hit) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "entry_id": hit.entry.id,
        "score": hit.score,
        "matched_name": hit.matched_name,
        "explanation": hit.explanation.brief(),
    }
    if hit.decision is not None:
        fields["decision_id"] = hit.decision.decision.id
        fields["decision_applies"] = hit.decision.applies
    return fields


def screen_record(result: ScreenResult, lists: Sequence[ListInfo]) -> dict[str, Any]:
    """The fields a screening's record holds (`AuditLog.append` adds its place in the chain).

    >>> from sanctions_screen import default_screener
    >>> screen_record(default_screener().screen("Abu Zainab al-Lami"), [])["hits"][0]["entry_id"]
    'us_ofac_sdn:27994'
    """
    o = result.options
    return {
        "kind": "screen",
        "subject_id": result.subject_id,
        "query": {
            "name": result.query,
            "kind": o.kind,
            "birth_date": o.birth_date,
            "nationality": o.nationality,
            "secondary": o.secondary,
        },
        "threshold": result.threshold,
        "limit": o.limit,
        "library": __version__,
        "algorithm": result.algorithm,
        "lists": [i.brief() for i in lists],
        "hit_count": result.hit_count,
        "hits": [_hit_fields(h) for h in result.hits],
        "suppressed": [_hit_fields(h) for h in result.suppressed],
    }


def decision_record(decision: Decision) -> dict[str, Any]:
    """The fields a decision's record holds: the decision with its id and fingerprints.

    >>> d = Decision(id=7, subject_id="C1", entry_id="x:1", decision="true_match", analyst="ana",
    ...              reason="same passport", time="2026-12-02T10:00:00+00:00",
    ...              subject_fingerprint="a", entry_fingerprint="b")
    >>> decision_record(d)["decision_id"]
    7
    """
    fields = decision.model_dump()
    fields["decision_id"] = fields.pop("id")
    fields["decided_at"] = fields.pop("time")
    return {"kind": "decision", "library": __version__, **fields}


class AuditLog:
    """An audit log file, appended to under a lock.

    >>> import tempfile; log = AuditLog(Path(tempfile.mkdtemp()) / "audit.jsonl")
    >>> log.append([{"kind": "screen"}]); verify(log.path).ok
    True
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def append(self, records: Sequence[dict[str, Any]]) -> None:
        """Add records at the end, chained, in one locked write (all or, on a crash, a torn
        last line that `verify` reports)."""
        if not records:
            return
        import fcntl  # POSIX: the lock that keeps two writers' records apart

        with open(self.path, "a+b") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                seq, prev = _last(f)
                out = []
                for record in records:
                    seq += 1
                    full = {
                        "seq": seq,
                        "time": datetime.now(UTC).isoformat(timespec="microseconds"),
                        "id": uuid.uuid4().hex,
                        **record,
                        "prev": prev,
                    }
                    body = _line(full)
                    # The record with its own hash as the last field: `verify` takes it off and
                    # serialises the rest again to the same bytes.
                    line = body[:-2] + b',"hash":"' + _digest(body).encode() + b'"}\n'
                    out.append(line)
                    prev = _digest(line)
                f.seek(0, os.SEEK_END)
                f.write(b"".join(out))
                f.flush()
                os.fsync(f.fileno())
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _last(f: Any) -> tuple[int, str]:
    """The last record's seq and the sha256 of its line; (0, "") for an empty log."""
    size = f.seek(0, os.SEEK_END)
    if size == 0:
        return 0, ""
    f.seek(max(0, size - _TAIL))
    tail = f.read()
    if not tail.endswith(b"\n"):
        raise ValueError(
            f"{f.name}: the last line is torn (a crash while writing it); "
            "run 'sanctions-screen audit verify' and keep the log as evidence before appending"
        )
    line = tail[:-1].rsplit(b"\n", 1)[-1] + b"\n"
    return int(json.loads(line)["seq"]), _digest(line)


class Verdict(NamedTuple):
    """What `verify` found: `ok`, the number of records, and the first bad line and why."""

    ok: bool
    records: int
    line: int | None = None
    problem: str | None = None


def verify(path: str | os.PathLike[str]) -> Verdict:
    """Check the chain line by line: each line valid JSON, its `seq` its line number, its `hash`
    its own content's, its `prev` the sha256 of the line before; the first line that fails is
    named (an edited line fails its own hash, a removed or reordered one the next `prev`), and a
    last line without its line end is torn.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "a.jsonl"; AuditLog(p).append([{}, {}])
    >>> verify(p)
    Verdict(ok=True, records=2, line=None, problem=None)
    """
    prev = ""
    n = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f, start=1):
            if not line.endswith(b"\n"):
                return Verdict(False, n - 1, n, "torn: the last line has no line end (a crash)")
            try:
                record = json.loads(line)
                own = record.pop("hash")
            except (ValueError, KeyError, AttributeError, TypeError):
                return Verdict(False, n - 1, n, "not a record (invalid JSON or no hash)")
            if record.get("seq") != n:
                return Verdict(
                    False, n - 1, n, f"seq {record.get('seq')} on line {n}: removed or reordered"
                )
            if _digest(_line(record)) != own:
                return Verdict(False, n - 1, n, "edited: the record does not match its hash")
            if record.get("prev") != prev:
                return Verdict(
                    False, n - 1, n, "the line before it was edited, removed or reordered"
                )
            prev = _digest(line)
    return Verdict(True, n)


__all__ = ["AuditLog", "Verdict", "decision_record", "screen_record", "verify"]
