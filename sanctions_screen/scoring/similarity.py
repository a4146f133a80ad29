"""Token similarity in [0, 1]: how alike two folded tokens are, vectorised over candidates.

Two tokens may be similar only if they share a phonetic key, or one is the initial of the other
(`may_match`); otherwise they score 0. That relation is what the key index looks up, which makes the
index lossless. Among tokens that may match, by where the tokens came from (their `origin`):

- both romanised ("latin"): normalised Levenshtein similarity, taking the better of two readings of
  a non-initial `e` (as `a`: Ahmed/Ahmad, and as `i`: Hamed/Hamid);
- one from Arabic script ("arabic", short vowels unwritten): the share of the Arabic token's letters
  found in order in the other (an LCS), discounted when the romanised side has consonants the Arabic
  side lacks. A long vowel written in Arabic must be matched; a short one in Latin is free. Stricter
  (`MIN_CROSS_SCRIPT_SIMILARITY`), since a skeleton says less than a spelling;
- one transliterated from a syllabic script ("syllabic": Chinese, Korean, Japanese): equal or 0,
  since one letter changes the syllable (Feng is not Fang);
- an initial against a token it begins: `INITIAL_SIMILARITY`.

Scores under `MIN_TOKEN_SIMILARITY` count as 0, so near-but-different names (Hasan / Husayn,
Muhammad / Mahmud) give no partial credit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq, Levenshtein

MIN_TOKEN_SIMILARITY = 0.75
MIN_CROSS_SCRIPT_SIMILARITY = 0.8
INITIAL_SIMILARITY = 0.8
_VOWELS = frozenset("aeiou")
# Across scripts, letters romanisers trade for one another compare as one class: t/d/z (ط ض ظ ذ
# are t, d, z or dh by region), k/q/g (ق), b/p, and the glides w/y with the vowels u/i they write.
_CROSS = re.compile("ai|[wyztqgpo]")
_CROSS_MAP = {
    "ai": "i",
    "w": "u",
    "y": "i",
    "z": "d",
    "t": "d",
    "q": "k",
    "g": "k",
    "p": "b",
    "o": "u",
}


def consonants(folded: str) -> int:
    """How many consonant letters a folded token has.

    >>> consonants("husain")
    3
    """
    return sum(1 for ch in folded if ch not in _VOWELS)


@lru_cache(maxsize=200_000)
def e_forms(folded: str) -> tuple[str, str]:
    """The two readings of a non-initial `e`: as `a` (Ahmed, Ahmad) and as `i` (Hamed, Hamid).
    An initial e stays (Evan is not Ivan).

    >>> e_forms("ahmed"), e_forms("evan")
    (('ahmad', 'ahmid'), ('evan', 'evan'))
    """
    head, tail = folded[:1], folded[1:]
    return head + tail.replace("e", "a"), head + tail.replace("e", "i")


def may_match(
    a: str, a_keys: Sequence[str], b: str, b_keys: Sequence[str], initials: bool = True
) -> bool:
    """Whether two tokens can have a similarity above 0: a shared key, or an initial (not for two
    words glued into one, which are never an initial's expansion).

    >>> may_match("husain", ("HSN",), "hasan", ("HSN",)), may_match("m", ("M",), "muhamad", ("MHMT",))
    (True, True)
    """
    if initials and (len(a) == 1 or len(b) == 1) and a[:1] == b[:1]:
        return True
    return not set(a_keys).isdisjoint(b_keys)


def _floor(values: np.ndarray) -> np.ndarray:
    return np.where(values >= MIN_TOKEN_SIMILARITY, values, 0.0)


def similarities(
    query: str,
    query_origin: str,
    candidates: Sequence[str],
    candidates_origin: Sequence[str],
    initials: bool = True,
) -> np.ndarray:
    """Similarity of one folded token against many that `may_match` it.

    >>> similarities("husain", "latin", ["husain", "hasan", "hsin"], ["latin", "latin", "arabic"]).tolist()
    [1.0, 0.0, 1.0]
    """
    n = len(candidates)
    out = np.zeros(n, dtype=np.float64)
    if n == 0:
        return out
    latin: list[int] = []
    cross: list[int] = []
    for i, (cand, origin) in enumerate(zip(candidates, candidates_origin, strict=True)):
        if len(query) == 1 or len(cand) == 1:
            initial = initials and query[:1] == cand[:1]
            out[i] = 1.0 if query == cand else INITIAL_SIMILARITY if initial else 0.0
        elif query_origin == "syllabic" or origin == "syllabic":
            out[i] = 1.0 if query == cand else 0.0
        elif query_origin == "arabic" or origin == "arabic":
            cross.append(i)
        else:
            latin.append(i)
    if latin:
        qa, qi = e_forms(query)
        forms = [e_forms(candidates[i]) for i in latin]
        sa = process.cdist([qa], [f[0] for f in forms], scorer=Levenshtein.normalized_similarity)[0]
        si = process.cdist([qi], [f[1] for f in forms], scorer=Levenshtein.normalized_similarity)[0]
        out[latin] = np.maximum(sa, si)
    if cross:
        out[cross] = _cross_many(
            query,
            query_origin == "arabic",
            [candidates[i] for i in cross],
            [candidates_origin[i] == "arabic" for i in cross],
        )
    return _floor(out)


@lru_cache(maxsize=200_000)
def _cross_latin(latin: str) -> tuple[str, ...]:
    """A romanised token's forms for cross-script comparison: letter classes, both e readings."""
    mapped = _CROSS.sub(lambda m: _CROSS_MAP[m.group(0)], latin)
    return tuple(dict.fromkeys(e_forms(mapped)))


@lru_cache(maxsize=200_000)
def _cross_arabic(arabic: str) -> tuple[str, ...]:
    """A token romanised from Arabic in letter classes; with and without a word-initial vowel,
    which stands for a hamza's vowel the script leaves open."""
    mapped = _CROSS.sub(lambda m: _CROSS_MAP[m.group(0)], arabic)
    return (mapped, mapped[1:]) if len(mapped) > 2 and mapped[0] in _VOWELS else (mapped,)


def _cross_many(
    query: str, query_arabic: bool, cands: list[str], cands_arabic: list[bool]
) -> np.ndarray:
    """`cross_script_similarity` of one token against many, with the LCS done by rapidfuzz."""
    heads: list[str] = []
    forms: list[str] = []
    owner: list[int] = []
    both: list[int] = []
    for k, (cand, cand_arabic) in enumerate(zip(cands, cands_arabic, strict=True)):
        if query_arabic and cand_arabic:
            both.append(k)
            continue
        arabic, latin = (query, cand) if query_arabic else (cand, query)
        for head in _cross_arabic(arabic):
            for form in _cross_latin(latin):
                heads.append(head)
                forms.append(form)
                owner.append(k)
    out = np.zeros(len(cands), dtype=np.float64)
    if heads:
        lcs = process.cpdist(heads, forms, scorer=LCSseq.similarity).astype(np.float64)
        h_len = np.fromiter((len(h) for h in heads), dtype=np.float64, count=len(heads))
        f_len = np.fromiter((len(f) for f in forms), dtype=np.float64, count=len(forms))
        h_cons = np.fromiter((consonants(h) for h in heads), dtype=np.float64, count=len(heads))
        f_cons = np.fromiter((consonants(f) for f in forms), dtype=np.float64, count=len(forms))
        score = lcs / np.maximum(h_len, 1)
        extra = f_cons - h_cons
        score = np.where(extra > 0, score * h_cons / np.maximum(h_cons + extra, 1), score)
        allowed = h_len + h_cons
        score = np.where(f_len > allowed, score * allowed / np.maximum(f_len, 1), score)
        score = np.where((h_cons <= 1) & (score < 1.0), 0.0, score)
        np.maximum.at(out, np.asarray(owner), score)
    if both:
        out[both] = process.cdist(
            [query], [cands[k] for k in both], scorer=Levenshtein.normalized_similarity
        )[0]
    return np.where(out >= MIN_CROSS_SCRIPT_SIMILARITY, out, 0.0)


def cross_script_similarity(a: str, a_arabic: bool, b: str, b_arabic: bool) -> float:
    """Similarity when at least one side was romanised from Arabic script.

    Letters romanisers trade for one another compare as one class; the LCS share of the Arabic
    token is discounted for consonants the romanised side adds, and for a romanised spelling longer
    than one short vowel per consonant allows.

    >>> cross_script_similarity("hsin", True, "husain", False), cross_script_similarity("hsin", True, "hasan", False)
    (1.0, 0.0)
    """
    if a_arabic and b_arabic:
        return float(Levenshtein.normalized_similarity(a, b))
    query, query_arabic = (a, True) if a_arabic else (b, True)
    other = b if a_arabic else a
    return float(_cross_many(query, query_arabic, [other], [False])[0])
