"""Compressed rows: many short integer lists as one flat array and its row offsets.

Tens of thousands of small arrays or lists would cost more in object headers than in values, and
slow every full garbage collection; one flat array does neither (postings, key buckets).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, overload

import numpy as np


class Csr(NamedTuple):
    """Row i is flat[start[i]:start[i + 1]].

    >>> rows = Csr.from_rows([[3, 4], [], [5]]); rows.row(0).tolist(), rows.row(1).tolist()
    ([3, 4], [])
    """

    start: np.ndarray  # int64, one more than there are rows
    flat: np.ndarray

    @classmethod
    def from_rows(cls, rows: Sequence[Iterable[int]], dtype: type = np.int32) -> Csr:
        """The rows given, in order."""
        lists = [list(r) for r in rows]
        start = np.concatenate([[0], np.cumsum([len(r) for r in lists], dtype=np.int64)])
        flat: np.ndarray = np.fromiter(
            (v for r in lists for v in r), dtype=dtype, count=int(start[-1])
        )
        return cls(start.astype(np.int64), flat)

    def row(self, i: int) -> np.ndarray:
        """One row's values.

        >>> Csr.from_rows([[3, 4], [5]]).row(1).tolist()
        [5]
        """
        return self.flat[self.start[i] : self.start[i + 1]]

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The values of many rows, one after another, and each row's length (one gather,
        not one slice per row).

        >>> values, lengths = Csr.from_rows([[3, 4], [], [5]]).gather(np.array([2, 0]))
        >>> values.tolist(), lengths.tolist()
        ([5, 3, 4], [1, 2])
        """
        starts = self.start[rows]
        lengths = self.start[rows + 1] - starts
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        return self.flat[np.arange(total) + np.repeat(starts - ends + lengths, lengths)], lengths


class Rows(Sequence[tuple[Any, ...]]):
    """Rows of a Csr as tuples, each made on first access and kept: a saved index's per-name
    tuples are ready without building 60,000 of them, and the ones screening reads cost one
    dict lookup after the first. `values`: the row holds these items (by flat position) rather
    than the flat array's numbers; `width` 2: the row's numbers are pairs.

    >>> rows = Rows(Csr.from_rows([[3, 4, 5, 6], []]), width=2); rows[0], rows[1], len(rows)
    (((3, 4), (5, 6)), (), 2)
    >>> Rows(Csr.from_rows([[0, 1]]), values=["Ali", "Hasan"])[0]
    ('Ali', 'Hasan')
    """

    def __init__(self, rows: Csr, width: int = 1, values: Sequence[Any] | None = None) -> None:
        self._rows = rows
        self._width = width
        self._values = values
        self._made: dict[int, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._rows.start) - 1

    @overload
    def __getitem__(self, i: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        made = self._made.get(i)
        if made is not None:
            return made
        if not -len(self) <= i < len(self):
            raise IndexError("row index out of range")
        i %= len(self)
        a, b = int(self._rows.start[i]), int(self._rows.start[i + 1])
        if self._values is not None:
            row: tuple[Any, ...] = tuple(self._values[a:b])
        else:
            flat = self._rows.flat[a:b].tolist()
            row = (
                tuple(flat) if self._width == 1 else tuple(zip(flat[::2], flat[1::2], strict=True))
            )
        self._made[i] = row
        return row

    @classmethod
    def flatten(cls, rows: Sequence[Sequence[Any]], width: int = 1) -> Csr:
        """The Csr of rows of numbers (of pairs, `width` 2): what `Rows` reads back.

        >>> Rows.flatten([((1, 2),), ()], width=2).flat.tolist()
        [1, 2]
        """
        if width == 1:
            return Csr.from_rows(rows)
        return Csr.from_rows([[v for pair in row for v in pair] for row in rows])


class Strings(Sequence[str]):
    """Strings stored as one UTF-8 blob and their offsets, each decoded when read: a saved
    index's names and spellings cost no object until screening shows one.

    >>> blob, at = Strings.pack(["Ali", "Hasan"]); table = Strings(blob, at); table[1], table[0:2]
    ('Hasan', ['Ali', 'Hasan'])
    """

    def __init__(self, blob: bytes | memoryview, at: np.ndarray) -> None:
        self._blob = blob
        self._at = at
        # One string read at a time: offsets through a memoryview, which indexes to plain ints.
        self._at_view = np.ascontiguousarray(at, dtype=np.int64).data

    def __len__(self) -> int:
        return len(self._at) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1 and stop > start:
                a, b = int(self._at[start]), int(self._at[stop])
                raw = bytes(self._blob[a:b])
                cuts = (self._at[start : stop + 1] - a).tolist()
                return [raw[x:y].decode() for x, y in zip(cuts, cuts[1:], strict=False)]
            return [self[j] for j in range(start, stop, step)]
        if not -len(self) <= i < len(self):
            raise IndexError("string index out of range")
        i %= len(self)
        return str(self._blob[self._at_view[i] : self._at_view[i + 1]], "utf-8")

    @staticmethod
    def pack(strings: Iterable[str]) -> tuple[bytes, np.ndarray]:
        """The blob and offsets of these strings.

        >>> Strings.pack(["Ali", "é"])
        (b'Ali\\xc3\\xa9', array([0, 3, 5]))
        """
        encoded = [s.encode() for s in strings]
        at = np.concatenate([[0], np.cumsum([len(e) for e in encoded], dtype=np.int64)])
        return b"".join(encoded), at.astype(np.int64)
