"""Compressed rows: many short integer lists as one flat array and its row offsets.

Tens of thousands of small arrays or lists would cost more in object headers than in values, and
slow every full garbage collection; one flat array does neither (postings, key buckets).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

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
        """One row's values."""
        return self.flat[self.start[i] : self.start[i + 1]]

    def lengths(self, rows: np.ndarray) -> np.ndarray:
        """How many values each of `rows` has."""
        return self.start[rows + 1] - self.start[rows]

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
