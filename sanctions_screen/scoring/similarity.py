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

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq, Levenshtein

MIN_TOKEN_SIMILARITY = 0.78
VARIANT_DISCOUNT = 0.5
MIN_CROSS_SCRIPT_SIMILARITY = 0.8
INITIAL_SIMILARITY = 0.8
_VOWELS = frozenset("aeiou")
# Across scripts, letters romanisers trade for one another compare as one class: t/d/z (ط ض ظ ذ
# are t, d, z or dh by region), k/q/g (ق), b/p, and the glides w/y with the vowels u/i they write.
_CROSS_TABLE = str.maketrans("wyztqgpo", "uiddkkbu")  # then "ai" -> "i"


def consonants(folded: str) -> int:
    """How many consonant letters a folded token has.

    >>> consonants("husain")
    3
    """
    return sum(1 for ch in folded if ch not in _VOWELS)


@lru_cache(maxsize=65_536)
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
    # Below the floor: another name. Above it: a spelling variant, whose remaining difference
    # counts half, so that Yusuf / Youssef is nearly as good as an exact spelling.
    return np.where(values >= MIN_TOKEN_SIMILARITY, 1.0 - (1.0 - values) * VARIANT_DISCOUNT, 0.0)


ORIGIN_CODES = {"latin": 0, "arabic": 1, "syllabic": 2}


class TokenTable(NamedTuple):
    """Tokens to compare against, as parallel arrays (built once per index)."""

    folded: np.ndarray  # object: str
    e_a: np.ndarray  # object: str, the `e`-as-`a` reading
    e_i: np.ndarray  # object: str, the `e`-as-`i` reading
    first: np.ndarray  # object: str, the first letter
    origin: np.ndarray  # int8, ORIGIN_CODES
    length: np.ndarray  # int32
    glued: np.ndarray  # bool: two listed words glued (never an initial's expansion)


def token_table(
    folded: Sequence[str], origins: Sequence[str], glued: Sequence[bool] | None = None
) -> TokenTable:
    """A TokenTable over these tokens.

    >>> token_table(["ahmed"], ["latin"]).e_a.tolist()
    ['ahmad']
    """
    forms = [e_forms(f) for f in folded]
    return TokenTable(
        np.asarray(list(folded) + [None], dtype=object)[:-1],
        np.asarray([f[0] for f in forms] + [None], dtype=object)[:-1],
        np.asarray([f[1] for f in forms] + [None], dtype=object)[:-1],
        np.asarray([f[:1] for f in folded] + [None], dtype=object)[:-1],
        np.asarray([ORIGIN_CODES[o] for o in origins], dtype=np.int8),
        np.asarray([len(f) for f in folded], dtype=np.int32),
        np.asarray(glued if glued is not None else [False] * len(folded), dtype=bool),
    )


def similarities_at(
    query: str, query_origin: str, table: TokenTable, idx: np.ndarray, initials: bool = True
) -> np.ndarray:
    """Similarity of one folded token against the tokens `idx` of a table (that `may_match` it).

    >>> table = token_table(["husain", "hasan", "hsin", "hsn"], ["latin", "latin", "arabic", "arabic"])
    >>> similarities_at("husain", "latin", table, np.arange(4)).tolist()
    [1.0, 0.0, 1.0, 1.0]
    >>> similarities_at("hasan", "latin", table, np.arange(4)).tolist()
    [0.0, 1.0, 0.0, 1.0]
    """
    n = len(idx)
    out = np.zeros(n, dtype=np.float64)
    if n == 0:
        return out
    folded = table.folded[idx]
    origin = table.origin[idx]
    q_code = ORIGIN_CODES[query_origin]
    init = (table.length[idx] == 1) | (len(query) == 1)
    if init.any():
        exact = init & (folded == query)
        same_first = init & (table.first[idx] == query[:1]) & ~table.glued[idx]
        if initials:
            out[same_first] = INITIAL_SIMILARITY
        out[exact] = 1.0
    rest = ~init
    syllabic = rest & ((origin == 2) | (q_code == 2))
    out[syllabic] = folded[syllabic] == query
    cross = rest & ~syllabic & ((origin == 1) | (q_code == 1))
    latin = rest & ~syllabic & ~cross
    # Glued pairs are for romanised compounds (Abdulrahman / Abdul Rahman); a consonant skeleton
    # is too loose a key for them, but for an ʿAbd- or Abu compound written glued in Arabic script.
    if not query.startswith(("abd", "abu")):
        cross &= ~table.glued[idx] & initials
    if latin.any():
        qa, qi = e_forms(query)
        sel = idx[latin]
        sa = process.cdist([qa], table.e_a[sel].tolist(), scorer=Levenshtein.normalized_similarity)[
            0
        ]
        si = process.cdist([qi], table.e_i[sel].tolist(), scorer=Levenshtein.normalized_similarity)[
            0
        ]
        out[latin] = np.maximum(sa, si)
    if cross.any():
        out[cross] = _cross_many(
            query, q_code == 1, folded[cross].tolist(), (origin[cross] == 1).tolist()
        )
    return _floor(out)


def _letter_classes(word: str) -> str:
    """A word in the cross-script letter classes; a word-initial y or w stays a consonant
    (Yasin, Walid), not the vowel it writes elsewhere."""
    if word[:1] in ("y", "w"):
        return word[0] + word[1:].translate(_CROSS_TABLE).replace("ai", "i")
    return word.translate(_CROSS_TABLE).replace("ai", "i")


@lru_cache(maxsize=65_536)
def _cross_latin(latin: str) -> tuple[str, ...]:
    """A romanised token's forms for cross-script comparison: letter classes, both e readings."""
    return tuple(dict.fromkeys(e_forms(_letter_classes(latin))))


@lru_cache(maxsize=65_536)
def _cross_arabic(arabic: str) -> tuple[str, ...]:
    """A token romanised from Arabic in letter classes; with and without a word-initial vowel,
    which stands for a hamza's vowel the script leaves open."""
    mapped = _letter_classes(arabic)
    return (mapped, mapped[1:]) if len(mapped) > 2 and mapped[0] in _VOWELS else (mapped,)


def _cross_many(
    query: str, query_arabic: bool, cands: list[str], cands_arabic: list[bool]
) -> np.ndarray:
    """Similarity when at least one side was romanised from Arabic script, for one token
    against many: letters romanisers trade compare as one class; the LCS share of the Arabic token
    is discounted for consonants the romanised side adds, and for a romanised spelling longer than
    the Arabic word's unwritten short vowels allow. Two Arabic-script tokens: Levenshtein."""
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
        # ...plus a vowel before the first consonant (a dropped ʿayn or hamza: ʿIzzat, ʿUmar) and one
        # after the last (Taha), where the Arabic word has none.
        f_first_vowel = np.fromiter((f[:1] in _VOWELS for f in forms), dtype=bool, count=len(forms))
        f_last_vowel = np.fromiter((f[-1:] in _VOWELS for f in forms), dtype=bool, count=len(forms))
        h_first_vowel = np.fromiter((h[:1] in _VOWELS for h in heads), dtype=bool, count=len(heads))
        h_last_vowel = np.fromiter((h[-1:] in _VOWELS for h in heads), dtype=bool, count=len(heads))
        allowed = (
            h_len
            + np.maximum(h_cons - 1, 1)
            + (f_first_vowel & ~h_first_vowel)
            + (f_last_vowel & ~h_last_vowel)
        )
        score = np.where(f_len > allowed, score * allowed / np.maximum(f_len, 1), score)
        score = np.where((h_cons <= 1) & (score < 1.0), 0.0, score)
        np.maximum.at(out, np.asarray(owner), score)
    if both:
        out[both] = process.cdist(
            [query], [cands[k] for k in both], scorer=Levenshtein.normalized_similarity
        )[0]
    return np.where(out >= MIN_CROSS_SCRIPT_SIMILARITY, out, 0.0)
