"""Fingerprints: a short, stable digest of the data a screening reads, for a subject (a customer
as screened) and for a listed entry. A decision holds one of each and applies only while both
still match; the monitor keeps one per customer and per entry to know what changed.
"""

from __future__ import annotations

import hashlib

from .models import Entry, ScreenResult

# What screening reads of an entry; a change to any of these can change a hit.
MATCHING_FIELDS = ("kind", "names", "birth_dates", "nationalities")


def _digest(fields: list[list[str]]) -> str:
    # Fields joined by separators that text from a list or a customer file does not hold
    # (unit and record separators): cheaper than JSON, and as unambiguous.
    text = "\x1e".join("\x1f".join(values) for values in fields)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def matching_values(entry: Entry, field: str) -> list[str]:
    """One matching field of an entry as sorted text values (names as "full (kind)"), so that
    their order in the file is not a change.

    >>> from sanctions_screen import Name
    >>> matching_values(Entry(list="x", source_id="1", names=[Name(full="B"), Name(full="A", kind="aka")]), "names")
    ['A (aka)', 'B (primary)']
    """
    if field == "names":
        return sorted({f"{n.full} ({n.kind})" for n in entry.names})
    if field == "kind":
        return [entry.kind]
    return sorted(set(getattr(entry, field)))


def entry_fingerprint(entry: Entry) -> str:
    """The digest of an entry's matching data (`MATCHING_FIELDS`); programmes and remarks do not
    change it.

    >>> from sanctions_screen import Name
    >>> e = Entry(list="x", source_id="1", names=[Name(full="Ali Hasan")])
    >>> entry_fingerprint(e) == entry_fingerprint(e.model_copy(update={"programs": ["SDGT"]}))
    True
    """
    return _digest([matching_values(entry, field) for field in MATCHING_FIELDS])


def subject_fingerprint(
    name: str, kind: str | None, birth_date: str | None, nationality: str | None
) -> str:
    """The digest of what a subject was screened as: its name and qualifiers in the forms the
    scorer reads (see `query.check_request`).

    >>> subject_fingerprint("Ali Hasan", None, "1969", None) == subject_fingerprint("Ali Hasan", None, "1970", None)
    False
    """
    return _digest([[name], [kind or ""], [birth_date or ""], [nationality or ""]])


def result_subject_fingerprint(result: ScreenResult) -> str:
    """The subject fingerprint of a screening's query, from its result.

    >>> from sanctions_screen import screen
    >>> result_subject_fingerprint(screen("Ali Hasan")) == subject_fingerprint("Ali Hasan", None, None, None)
    True
    """
    o = result.options
    return subject_fingerprint(result.query, o.kind, o.birth_date, o.nationality)


__all__ = [
    "MATCHING_FIELDS",
    "entry_fingerprint",
    "matching_values",
    "result_subject_fingerprint",
    "subject_fingerprint",
]
