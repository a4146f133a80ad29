"""The customers of a monitoring run: read from the customer file, checked and fingerprinted;
and the customers' own index, which finds the customers an added or changed entry may hit (the
reverse direction) without screening every customer again."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ..batch import Columns, InputFile, detect_format
from ..errors import IndexFormatError
from ..fingerprints import subject_fingerprint
from ..models import Entry, Name, Watchlist
from ..query import Request, check_request
from ..screener import Screener

CUSTOMER_LIST = "customers"
# The reverse search keeps customer names scoring this much against an entry's name: far below
# any threshold, so that a pair whose forward score reaches the threshold is always proposed
# (the forward score, which decides, can differ: a short form read one way is a long form read the
# other). The monitoring invariant test and benchmarks/monitor.py check that nothing is missed.
REVERSE_THRESHOLD = 0.5
ALL_HITS = 1_000_000


class Customer(NamedTuple):
    """One screenable customer row: its id, its input row, what to screen, and its fingerprint."""

    id: str
    row: int
    request: Request
    fingerprint: str


class BadRow(NamedTuple):
    """A customer row that cannot be screened, and why."""

    row: int
    id: str | None
    name: str | None
    error: str


def customer_fingerprint(request: Request) -> str:
    """The fingerprint of a customer row as written in the file (name, kind, birth date,
    nationality): any edit to these re-screens the customer.

    >>> customer_fingerprint(Request("Ali Hasan")) == customer_fingerprint(Request(" Ali Hasan "))
    True
    """
    name, kind, dob, nat = (None if v is None else str(v).strip() for v in request[:4])
    return subject_fingerprint(name or "", kind, dob, nat)


def read_customers(
    path: str, cols: Columns, input_format: str | None = None
) -> tuple[dict[str, Customer], list[BadRow]]:
    """Every row of a customer file: the rows to screen by id (first occurrence), and the bad
    ones (unreadable, no name, no id, a repeated id) with their error. A name or qualifier that
    cannot be screened shows when the row is screened.

    >>> # customers, bad = read_customers("customers.csv", Columns("name", "id"))
    """
    good: dict[str, Customer] = {}
    bad: list[BadRow] = []
    source = InputFile(path, detect_format(path, input_format), cols)
    try:
        for item in source:
            name = item.name if isinstance(item.name, str) else None
            if item.error:
                bad.append(BadRow(item.row, item.id, name, item.error))
            elif item.id is None:
                bad.append(BadRow(item.row, None, name, f"no id: column {cols.id!r} is empty"))
            elif item.id in good:
                first = good[item.id].row
                bad.append(BadRow(item.row, item.id, name, f"id {item.id!r} repeats row {first}"))
            else:
                req = Request(item.name, item.kind, item.birth_date, item.nationality, item.id)
                good[item.id] = Customer(item.id, item.row, req, customer_fingerprint(req))
    finally:
        source.close()
    return good, bad


def _customer_entry(c: Customer) -> Entry:
    q = check_request(c.request)
    # Only the name and the kind: the reverse search reads nothing else.
    return Entry(
        list=CUSTOMER_LIST, source_id=c.id, kind=q.kind or "unknown", names=[Name(full=q.name)]
    )


def customer_screener(customers: Iterable[Customer]) -> Screener:
    """A screener whose "list" is the customers themselves, for screening entries' names against
    them (the reverse direction).

    >>> # customer_screener(customers.values()).screen("Hussein Falah al-Lami").hits
    """
    rows = sorted(customers, key=lambda c: c.id)
    version = hashlib.sha256("\n".join(f"{c.id}\t{c.fingerprint}" for c in rows).encode())
    wl = Watchlist(
        name=CUSTOMER_LIST,
        version=version.hexdigest()[:16],
        entries=[_customer_entry(c) for c in rows],
    )
    return Screener(wl, freeze_gc=False)


def load_customer_screener(path: Path) -> Screener | None:
    """A saved customer index, or None when it is missing or unreadable (then rebuilt)."""
    try:
        return Screener.load(path, freeze_gc=False)
    except (OSError, IndexFormatError):
        return None


class CustomerIndex(NamedTuple):
    """A customer screener, and the fingerprint each customer had when it was built."""

    screener: Screener
    held: Mapping[str, str]


def reverse_candidates(
    indexes: Sequence[CustomerIndex], entries: Iterable[Entry], allowed: Mapping[str, str]
) -> set[str]:
    """The ids of the customers whose indexed name comes near any name of these entries, among
    `allowed` (id -> current fingerprint: an index holding a customer as they were before a
    change is stale for that customer, who is ignored there).

    >>> # reverse_candidates([CustomerIndex(screener, held)], changed_entries, {"C1": fingerprint})
    """
    requests = [
        Request(n.full, None if e.kind == "unknown" else e.kind) for e in entries for n in e.names
    ]
    found: set[str] = set()
    for index, held in indexes:
        results = index.screen_requests(requests, threshold=REVERSE_THRESHOLD, limit=ALL_HITS)
        for result in results:
            if isinstance(result, ValueError):
                continue  # a listed name with nothing to screen: it cannot hit forward either
            for hit in result.hits:
                cid = hit.entry.source_id
                if allowed.get(cid) is not None and allowed[cid] == held.get(cid):
                    found.add(cid)
    return found


__all__ = [
    "ALL_HITS",
    "CUSTOMER_LIST",
    "REVERSE_THRESHOLD",
    "BadRow",
    "Customer",
    "CustomerIndex",
    "customer_fingerprint",
    "customer_screener",
    "load_customer_screener",
    "read_customers",
    "reverse_candidates",
]
