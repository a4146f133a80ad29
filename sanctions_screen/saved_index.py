"""What a saved screener holds beside its index: the entries, read lazily, and the header that
says what it was built from and by what (checked by `Screener.load`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, overload

import numpy as np

from .errors import IndexFormatError
from .index.csr import Strings
from .models import Entry, ListInfo
from .savefile import SavedFile

KIND = "sanctions_screen index"


class EntryTable(Sequence[Entry]):
    """Entries stored as JSON documents (`csr.Strings`), each parsed on first use: a saved
    index of 20,000 entries is ready without validating any, and a screen parses only the
    entries it returns.

    >>> table = EntryTable(Strings(*entries_blob([Entry(list="x", source_id="1", names=[{"full": "Ali"}])])))
    >>> len(table), table[0].id
    (1, 'x:1')
    """

    def __init__(self, docs: Strings) -> None:
        self._docs = docs
        self._parsed: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self._docs)

    @overload
    def __getitem__(self, i: int) -> Entry: ...

    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...

    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        entry = self._parsed.get(i)
        if entry is None:
            entry = self._parsed[i] = Entry.model_validate_json(self._docs[i])
        return entry


def entries_blob(entries: Iterable[Entry]) -> tuple[bytes, np.ndarray]:
    """The entries as one blob of JSON documents and the offsets that delimit them.

    >>> entries_blob([])[1].tolist()
    [0]
    """
    return Strings.pack(e.model_dump_json() for e in entries)


def header(
    library: str, algorithm: str, lists: Sequence[ListInfo], options: dict[str, Any]
) -> dict[str, Any]:
    """The header of a saved screener: what built it, from which list files, with which options.

    >>> header("0.1.0", "algo", [], {"exhaustive": False})["kind"]
    'sanctions_screen index'
    """
    return {
        "kind": KIND,
        "library": library,
        "algorithm": algorithm,
        "lists": [i.model_dump() for i in lists],
        "options": options,
    }


def check_header(
    saved: SavedFile, library: str, algorithm: str, sources: Iterable[str] | None
) -> list[ListInfo]:
    """The lists a saved screener was built from, once its header matches this library and
    algorithm and, when `sources` (sha256 digests) are given, exactly those list files;
    IndexFormatError naming the file and what differs otherwise.

    >>> # check_header(savefile.read("x.index"), __version__, ALGORITHM, sources=None)
    """
    h = saved.header
    if h.get("kind") != KIND:
        raise saved.error(f"not a screener index (kind {h.get('kind')!r})")
    if h.get("library") != library:
        raise saved.error(
            f"built by sanctions_screen {h.get('library')}, this is {library}: rebuild it"
        )
    if h.get("algorithm") != algorithm:
        raise saved.error(f"built for algorithm {h.get('algorithm')!r}, this is {algorithm!r}")
    try:
        lists = [ListInfo.model_validate(i) for i in h["lists"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise saved.error("the header's list table is not valid") from exc
    if sources is not None:
        built = sorted(d for info in lists for d in info.sources.values())
        given = sorted(sources)
        if built != given:
            raise saved.error(
                "built from other list files (a list file changed, or other lists were given): "
                f"{len(set(built) - set(given))} of its {len(built)} files are not among the "
                f"{len(given)} given"
            )
    return lists


FINGERPRINTS = "entry_fingerprints"
_SEP = "\x1f"


def fingerprint_part(fingerprints: dict[str, str]) -> list[str]:
    """Entry fingerprints (id -> fingerprint) as a strings part.

    >>> len(fingerprint_part({"x:1": "ab"})[0])  # "x:1", a separator, "ab"
    6
    """
    return [f"{k}{_SEP}{v}" for k, v in fingerprints.items()]


def saved_fingerprints(saved: SavedFile) -> dict[str, str] | None:
    """The entry fingerprints a saved index holds (None for a file saved without them).

    >>> # saved_fingerprints(savefile.read("x.index"))["us_ofac_sdn:1"]
    """
    if not saved.has(FINGERPRINTS):
        return None
    return dict(item.split(_SEP, 1) for item in saved.strings(FINGERPRINTS))


def entry_table(saved: SavedFile) -> tuple[EntryTable, list[str]]:
    """The saved entries, and each entry's kind (read without parsing the entries).

    >>> # entries, kinds = entry_table(savefile.read("x.index"))
    """
    table = EntryTable(Strings(saved.bytes("entries"), saved.array("entry_offsets")))
    kinds = saved.part("entry_kinds")
    if not isinstance(kinds, list) or len(kinds) != len(table):
        raise IndexFormatError("the entry kinds do not match the entries", path=str(saved.path))
    return table, kinds
