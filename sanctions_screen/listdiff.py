"""What changed between two versions of one list: entries added, removed, and changed in the data
screening reads (names with their kinds, birth dates, nationalities, the entry's kind). A change
elsewhere (programmes, remarks, gender) does not change a screening result, so it is not a change
here; `ListDiff.other_changes` counts those entries.
"""

from __future__ import annotations

import builtins

from pydantic import BaseModel, ConfigDict, Field

from .fingerprints import MATCHING_FIELDS, matching_values
from .models import Entry, Watchlist


class FieldChange(BaseModel):
    """One matching field of a changed entry: the values it lost and the values it gained (names
    as "full (kind)").

    >>> FieldChange(field="birth_dates", removed=["1969"], added=["1969-06-20"]).field
    'birth_dates'
    """

    model_config = ConfigDict(frozen=True)

    field: str
    removed: list[str] = Field(default_factory=list)
    added: list[str] = Field(default_factory=list)


class EntryChange(BaseModel):
    """An entry in both versions whose matching data differs, with what changed."""

    model_config = ConfigDict(frozen=True)

    id: str
    changes: list[FieldChange]
    before: Entry
    after: Entry


class ListDiff(BaseModel):
    """Entries added, removed and changed (matching data only) from `older` to `newer`, each by
    entry id, sorted by id.

    >>> ListDiff(list="x", older_version="1", newer_version="2").summary()
    'x 1 -> 2: 0 added, 0 removed, 0 changed'
    """

    model_config = ConfigDict(frozen=True)

    # `list` names the list (as Entry.list does); the other fields spell the builtin in full.
    list: str
    older_version: str
    newer_version: str
    added: builtins.list[Entry] = Field(default_factory=builtins.list)
    removed: builtins.list[Entry] = Field(default_factory=builtins.list)
    changed: builtins.list[EntryChange] = Field(default_factory=builtins.list)
    other_changes: int = 0  # entries whose other data changed (programmes, remarks ...)

    def summary(self) -> str:
        """One line: the counts, and how many changed entries changed each field."""
        line = (
            f"{self.list} {self.older_version} -> {self.newer_version}: {len(self.added)} added, "
            f"{len(self.removed)} removed, {len(self.changed)} changed"
        )
        by_field = {f: sum(1 for c in self.changed if f in _fields(c)) for f in MATCHING_FIELDS}
        if self.changed:
            line += " (" + ", ".join(f"{f} {n}" for f, n in by_field.items() if n) + ")"
        return line


def _fields(change: EntryChange) -> set[str]:
    return {c.field for c in change.changes}


def entry_changes(older: Entry, newer: Entry) -> list[FieldChange]:
    """The matching fields that differ between two versions of one entry.

    >>> from sanctions_screen import Name
    >>> a = Entry(list="x", source_id="1", names=[Name(full="Ali Hasan")], birth_dates=["1969"])
    >>> [c.field for c in entry_changes(a, a.model_copy(update={"birth_dates": ["1970"]}))]
    ['birth_dates']
    """
    out = []
    for field in MATCHING_FIELDS:
        old, new = matching_values(older, field), matching_values(newer, field)
        if old != new:
            gone = [v for v in old if v not in new]
            came = [v for v in new if v not in old]
            out.append(FieldChange(field=field, removed=gone, added=came))
    return out


def diff_lists(newer: Watchlist, older: Watchlist) -> ListDiff:
    """What changed from `older` to `newer`, two versions of one list (ValueError for two
    different lists: their ids could never meet).

    >>> from sanctions_screen import Name
    >>> e = Entry(list="x", source_id="1", names=[Name(full="Ali Hasan")])
    >>> d = diff_lists(Watchlist(name="x", version="2", entries=[e]), Watchlist(name="x", version="1", entries=[]))
    >>> [a.id for a in d.added], d.summary()
    (['x:1'], 'x 1 -> 2: 1 added, 0 removed, 0 changed')
    """
    if newer.name != older.name:
        raise ValueError(
            f"these are two different lists ({older.name}, {newer.name}), not two versions of one"
        )
    old = {e.id: e for e in older.entries}
    new = {e.id: e for e in newer.entries}
    changed = []
    other = 0
    for key in sorted(old.keys() & new.keys()):
        changes = entry_changes(old[key], new[key])
        if changes:
            changed.append(EntryChange(id=key, changes=changes, before=old[key], after=new[key]))
        elif old[key] != new[key]:
            other += 1
    return ListDiff(
        list=newer.name,
        older_version=older.version,
        newer_version=newer.version,
        added=[new[k] for k in sorted(new.keys() - old.keys())],
        removed=[old[k] for k in sorted(old.keys() - new.keys())],
        changed=changed,
        other_changes=other,
    )


__all__ = [
    "MATCHING_FIELDS",
    "EntryChange",
    "FieldChange",
    "ListDiff",
    "diff_lists",
    "entry_changes",
]
