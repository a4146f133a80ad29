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
    for i, (cand, origin) in enumerate(zip(candidates, candidates_origin, strict=True)):
        if len(query) == 1 or len(cand) == 1:
            initial = initials and query[:1] == cand[:1]
            out[i] = 1.0 if query == cand else INITIAL_SIMILARITY if initial else 0.0
        elif query_origin == "syllabic" or origin == "syllabic":
            out[i] = 1.0 if query == cand else 0.0
        elif query_origin == "arabic" or origin == "arabic":
            out[i] = cross_script_similarity(
                query, query_origin == "arabic", cand, origin == "arabic"
            )
        else:
            latin.append(i)
    if latin:
        qa, qi = e_forms(query)
        forms = [e_forms(candidates[i]) for i in latin]
        sa = process.cdist([qa], [f[0] for f in forms], scorer=Levenshtein.normalized_similarity)[0]
        si = process.cdist([qi], [f[1] for f in forms], scorer=Levenshtein.normalized_similarity)[0]
        out[latin] = np.maximum(sa, si)
    return _floor(out)


def cross_script_similarity(a: str, a_arabic: bool, b: str, b_arabic: bool) -> float:
    """Similarity when at least one side was romanised from Arabic script.

    >>> cross_script_similarity("hsin", True, "husain", False), cross_script_similarity("hsin", True, "hasan", False)
    (1.0, 0.0)
    """
    if a_arabic and b_arabic:
        return float(Levenshtein.normalized_similarity(a, b))
    arabic, latin = (a, b) if a_arabic else (b, a)
    # A romanised diphthong is one Arabic letter (ي): Husain is ḥsyn, and its "a" is no long ā.
    # و and ي are one letter each whether glide or vowel (Marwan / mrwan, Huwaish / hwysh).
    latin = _CROSS.sub(lambda m: _CROSS_MAP[m.group(0)], latin)
    arabic = _CROSS.sub(lambda m: _CROSS_MAP[m.group(0)], arabic)
    # A word-initial vowel of the Arabic side stands for a hamza's vowel the script leaves open.
    heads = [arabic, arabic[1:]] if len(arabic) > 2 and arabic[0] in _VOWELS else [arabic]
    best = 0.0
    for form, head in ((f, h) for f in e_forms(latin) for h in heads):
        lcs = LCSseq.similarity(head, form)
        score = lcs / max(len(head), 1)
        cons = consonants(head)
        extra = consonants(form) - cons
        if extra > 0:
            score *= cons / (cons + extra)
        # Arabic leaves out at most one short vowel per consonant: longer spellings are other names.
        allowed = len(head) + cons
        if len(form) > allowed:
            score *= allowed / len(form)
        if cons <= 1 and score < 1.0:
            score = 0.0  # one consonant says too little to forgive anything
        best = max(best, score)
    return best if best >= MIN_CROSS_SCRIPT_SIMILARITY else 0.0
