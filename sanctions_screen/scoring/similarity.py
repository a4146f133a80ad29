"""Token similarity in [0, 1]: how alike two folded tokens are, vectorised over candidates.

Two tokens that share no phonetic key score 0. This is what makes the key index lossless: a token
the index does not return could never have contributed to a score. Otherwise:

- both romanised: normalised Levenshtein similarity, taking the better of the two readings of `e`
  (as `a` and as `i`), because romanisers write that short vowel both ways;
- one from Arabic script (its short vowels unwritten): the share of the Arabic token's letters
  found in order in the other (an LCS), discounted when the romanised side has consonants the
  Arabic side lacks. A long vowel written in Arabic must be matched; a short one in Latin is free.

Scores under `MIN_TOKEN_SIMILARITY` count as 0, so near-but-different names (Hasan / Husayn,
Muhammad / Mahmud) give no partial credit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq, Levenshtein

from ..names import e_forms

MIN_TOKEN_SIMILARITY = 0.75
_VOWELS = frozenset("aeiou")


def consonants(folded: str) -> int:
    """How many consonant letters a folded token has.

    >>> consonants("husain")
    3
    """
    return sum(1 for ch in folded if ch not in _VOWELS)


def _floor(values: np.ndarray) -> np.ndarray:
    return np.where(values >= MIN_TOKEN_SIMILARITY, values, 0.0)


def similarities(
    query: str, query_arabic: bool, candidates: Sequence[str], candidates_arabic: Sequence[bool]
) -> np.ndarray:
    """Similarity of one folded token against many (keys are checked by the caller).

    >>> similarities("husain", False, ["husain", "hasan", "hsin"], [False, False, True]).round(2).tolist()
    [1.0, 0.0, 1.0]
    """
    n = len(candidates)
    out = np.zeros(n, dtype=np.float64)
    if n == 0:
        return out
    arabic_mask = np.fromiter((query_arabic or a for a in candidates_arabic), dtype=bool, count=n)
    latin_idx = np.flatnonzero(~arabic_mask)
    if latin_idx.size:
        qa, qi = e_forms(query)
        cands = [candidates[i] for i in latin_idx.tolist()]
        ca = [c.replace("e", "a") for c in cands]
        ci = [c.replace("e", "i") for c in cands]
        sa = process.cdist([qa], ca, scorer=Levenshtein.normalized_similarity, dtype=np.float32)[0]
        si = process.cdist([qi], ci, scorer=Levenshtein.normalized_similarity, dtype=np.float32)[0]
        out[latin_idx] = np.maximum(sa, si)
    arabic_idx = np.flatnonzero(arabic_mask)
    for i in arabic_idx.tolist():
        out[i] = cross_script_similarity(query, query_arabic, candidates[i], candidates_arabic[i])
    return _floor(out)


def cross_script_similarity(a: str, a_arabic: bool, b: str, b_arabic: bool) -> float:
    """Similarity when at least one side was romanised from Arabic script.

    >>> cross_script_similarity("hsin", True, "husain", False), cross_script_similarity("hsin", True, "hasan", False)
    (1.0, 0.75)
    """
    if a_arabic and b_arabic:
        return float(Levenshtein.normalized_similarity(a, b))
    arabic, latin = (a, b) if a_arabic else (b, a)
    best = 0.0
    for form in e_forms(latin):
        lcs = LCSseq.similarity(arabic, form)
        score = lcs / max(len(arabic), 1)
        extra = consonants(form) - consonants(arabic)
        if extra > 0:
            score *= consonants(arabic) / (consonants(arabic) + extra)
        best = max(best, score)
    return best
