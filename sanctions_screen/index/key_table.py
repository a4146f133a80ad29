"""Distinct strings (phonetic keys) and their slots, without a dict of Python strings: the keys
packed in one blob, found through their sorted CRC-32s. A saved index then loads none of its
tens of thousands of keys as objects; a CRC shared by chance is told apart by the key itself.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import numpy as np

from .csr import Strings
from .typo_index import key_hash, key_hashes


class KeyTable:
    """Each key's slot (its place in the sequence given).

    >>> table = KeyTable.of(["HSN", "ALI"]); table.get("ALI"), table.get("XYZ"), len(table)
    (1, None, 2)
    """

    def __init__(self, keys: Strings, hashes: np.ndarray, order: np.ndarray) -> None:
        self._keys = keys
        self._hashes = hashes  # sorted
        self._order = order  # the slot of each sorted hash
        # Looked up one key at a time: through memoryviews, which index to plain ints (numpy's
        # searchsorted and scalars cost microseconds a call; a saved index's pages stay shared).
        self._hash_view = np.ascontiguousarray(hashes, dtype=np.uint32).data
        self._order_view = np.ascontiguousarray(order, dtype=np.int32).data

    @classmethod
    def of(cls, keys: Sequence[str]) -> KeyTable:
        """The table of these keys (distinct), slot i for keys[i].

        >>> list(KeyTable.of(["HSN", "ALI"]))
        ['HSN', 'ALI']
        """
        hashes = key_hashes(keys)
        order = np.argsort(hashes, kind="stable").astype(np.int32)
        return cls(Strings(*Strings.pack(keys)), hashes[order], order)

    def arrays(self) -> tuple[Strings, np.ndarray, np.ndarray]:
        """What the constructor takes back (a saved index stores them).

        >>> KeyTable(*KeyTable.of(["HSN"]).arrays()).get("HSN")
        0
        """
        return self._keys, self._hashes, self._order

    def get(self, key: str) -> int | None:
        """The slot of `key`, None when it is not in the table.

        >>> KeyTable.of(["HSN", "ALI"]).get("ALI")
        1
        """
        view = self._hash_view
        h = key_hash(key)
        lo = bisect.bisect_left(view, h)
        while lo < len(view) and view[lo] == h:
            slot: int = self._order_view[lo]
            if self._keys[slot] == key:
                return slot
            lo += 1
        return None

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys[0 : len(self)])
