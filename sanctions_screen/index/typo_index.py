"""The typo channel's lookup: vocabulary tokens filed under their symmetric-deletion keys.

Keys are kept as 32-bit CRCs in one sorted array beside the token ids (hundreds of thousands of
short strings as a dict would cost tens of MB); a CRC shared by chance only proposes a token that
`scoring.typos.typo_similarity` then turns down, so nothing is lost and nothing wrong is kept.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..caches import SMALL_CACHE
from ..scoring.typos import typo_keys, typo_similarity

_EMPTY = np.zeros(0, dtype=np.int32)


def key_hash(key: str) -> int:
    """The CRC-32 of a key (stable across processes, unlike `hash`).

    >>> key_hash("abc")
    891568578
    """
    return zlib.crc32(key.encode())


def key_hashes(keys: Sequence[str]) -> np.ndarray:
    """`key_hash` of each key, as an array.

    >>> key_hashes(["abc"]).tolist()
    [891568578]
    """
    return np.fromiter((zlib.crc32(k.encode()) for k in keys), dtype=np.uint32, count=len(keys))


@lru_cache(maxsize=SMALL_CACHE)
def word_key_hashes(word: str) -> np.ndarray:
    """The CRCs of a query word's typo keys (both lookups of a screen use them; cached).

    >>> len(word_key_hashes("hakani")) > 6, len(word_key_hashes("ali"))
    (True, 0)
    """
    return key_hashes(typo_keys(word))


class TypoIndex:
    """Tokens (by id) a typo apart from a query token, among those `eligible`.

    >>> idx = TypoIndex(["zawahiri", "hakani", "ali"], [True, True, True])
    >>> idx.lookup("zawarihi").tolist(), idx.lookup("ail").tolist()
    ([0], [])
    """

    def __init__(self, folded: Sequence[str], eligible: Sequence[bool]) -> None:
        self._folded = folded
        tids: list[int] = []
        keys: list[str] = []
        for tid, (word, ok) in enumerate(zip(folded, eligible, strict=True)):
            if ok:
                found = typo_keys.__wrapped__(word)  # listed words would crowd the query cache
                keys += found
                tids += [tid] * len(found)
        hashes = key_hashes(keys)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._tids = np.asarray(tids, dtype=np.int32)[order]

    @classmethod
    def from_arrays(cls, folded: Sequence[str], hashes: np.ndarray, tids: np.ndarray) -> TypoIndex:
        """An index as `arrays` gave it (a saved index), without building anything.

        >>> TypoIndex.from_arrays(["hakani"], *TypoIndex(["hakani"], [True]).arrays()).lookup("haknai").tolist()
        [0]
        """
        idx = cls.__new__(cls)
        idx._folded, idx._hashes, idx._tids = folded, hashes, tids
        return idx

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The sorted key hashes and their token ids, what `from_arrays` takes back."""
        return self._hashes, self._tids

    def lookup_many(self, words: Sequence[str]) -> list[np.ndarray]:
        """`lookup` for many words at once: one join of all their keys against the index, for
        the neighbourhoods an index precomputes (one lookup per word costs ten times as much).

        >>> [a.tolist() for a in TypoIndex(["zawahiri", "hakani"], [True, True]).lookup_many(["haknai", "zz"])]
        [[1], []]
        """
        owner: list[int] = []
        keys: list[str] = []
        for n, word in enumerate(words):
            found = typo_keys.__wrapped__(word)
            keys += found
            owner += [n] * len(found)
        out = [_EMPTY] * len(words)
        if not keys or not len(self._hashes):
            return out
        hashes = key_hashes(keys)
        lo = np.searchsorted(self._hashes, hashes, side="left")
        counts = np.searchsorted(self._hashes, hashes, side="right") - lo
        # Every (word, listed token) pair that shares a key, each once.
        at = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        pairs = np.unique(
            np.repeat(np.asarray(owner, dtype=np.int64), counts) * 2**31 + self._tids[at]
        )
        words_of = (pairs // 2**31).tolist()
        tids_of = (pairs % 2**31).tolist()
        keep = np.fromiter(
            (
                typo_similarity(words[w], self._folded[t]) > 0
                for w, t in zip(words_of, tids_of, strict=True)
            ),
            dtype=bool,
            count=len(words_of),
        )
        pairs = pairs[keep]
        if not len(pairs):
            return out
        first = pairs // 2**31
        bounds = np.searchsorted(first, np.arange(len(words) + 1))
        tids = (pairs % 2**31).astype(np.int32)
        for n in np.flatnonzero(np.diff(bounds)).tolist():
            out[n] = tids[bounds[n] : bounds[n + 1]]
        return out

    def lookup(self, word: str) -> np.ndarray:
        """Ids of the eligible tokens a typo apart from `word` (sorted, each once)."""
        hashes = word_key_hashes(word)
        if not len(hashes) or not len(self._hashes):
            return _EMPTY
        lo = np.searchsorted(self._hashes, hashes, side="left")
        hi = np.searchsorted(self._hashes, hashes, side="right")
        runs = [self._tids[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if not runs:
            return _EMPTY
        found = np.unique(np.concatenate(runs))
        keep = [typo_similarity(word, self._folded[t]) > 0 for t in found.tolist()]
        return found[np.asarray(keep, dtype=bool)]
