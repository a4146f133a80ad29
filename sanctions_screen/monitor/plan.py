"""What a monitoring run must screen again, from what changed since the last run: customers new,
changed, unchanged or removed (by fingerprint), entries added, changed or removed (by fingerprint),
decisions taken since, and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..screener import Screener
from .customers import Customer
from .state import RunRecord


class EntryDelta(NamedTuple):
    """Entries added, changed and removed since the last run; `fingerprints` is the new entry
    table (None when the lists are the very files screened last time)."""

    added: set[str]
    changed: set[str]
    removed: set[str]
    fingerprints: dict[str, str] | None


class Plan(NamedTuple):
    """The run's plan. `full`: screen every customer against everything (first run, or settings
    changed: `why` says which). `forward`: the customers screened against the whole lists;
    `delta_entries`: the entries (added or changed) the other customers are screened against."""

    full: bool
    why: str
    new: set[str]
    changed: set[str]
    unchanged: set[str]
    removed: set[str]
    decided: set[str]
    entries: EntryDelta
    forward: set[str]
    delta_entries: set[str]


def list_state(screener: Screener) -> list[dict[str, Any]]:
    """The lists as a run records them: name, version, file hashes, entry count."""
    return [i.model_dump(exclude={"notes"}) for i in screener.list_info]


def entry_delta(
    screener: Screener, prev: RunRecord | None, old: Mapping[str, str] | None
) -> EntryDelta:
    """What changed among the entries. Fingerprinting every entry is skipped when the lists are
    the very files of the last run (same names, versions and sha256s)."""
    if prev is not None and prev.lists == list_state(screener) and old is not None:
        return EntryDelta(set(), set(), set(), None)
    now = screener.entry_fingerprints()
    old = old or {}
    return EntryDelta(
        added=now.keys() - old.keys(),
        changed={k for k in now.keys() & old.keys() if now[k] != old[k]},
        removed=old.keys() - now.keys(),
        fingerprints=now,
    )


def make_plan(
    prev: RunRecord | None,
    settings: dict[str, Any],
    customers: Mapping[str, Customer],
    stored: Mapping[str, Customer],
    decided: set[str],
    entries: EntryDelta,
) -> Plan:
    """The plan of a run, from the last run, the current settings and customers, the customers
    stored by the last run, the subjects with decisions since, and
    the entry delta.

    >>> make_plan(None, {}, {}, {}, set(), EntryDelta(set(), set(), set(), None)).why
    'first run'
    """
    if prev is None:
        why = "first run"
    elif prev.settings != settings:
        differ = sorted(
            k
            for k in settings.keys() | prev.settings.keys()
            if settings.get(k) != prev.settings.get(k)
        )
        why = f"settings changed ({', '.join(differ)})"
    else:
        why = ""
    both = customers.keys() & stored.keys()
    new = customers.keys() - stored.keys()
    changed = {c for c in both if customers[c].fingerprint != stored[c].fingerprint}
    unchanged = both - changed
    forward = set(customers) if why else new | changed | (decided & unchanged)
    return Plan(
        full=bool(why),
        why=why,
        new=new,
        changed=changed,
        unchanged=unchanged,
        removed=stored.keys() - customers.keys(),
        decided=decided,
        entries=entries,
        forward=forward,
        delta_entries=entries.added | entries.changed,
    )


__all__ = ["EntryDelta", "Plan", "entry_delta", "list_state", "make_plan"]
