"""Token similarity in [0, 1]: how alike two folded tokens are, vectorised over candidates.

Two tokens may be similar only if they share a phonetic key, or one is the initial of the other
(`may_match`); otherwise they score 0. That relation is what the key index looks up, which makes the
index lossless. Among tokens that may match, by where the tokens came from (their `origin`):

- both romanised ("latin"): normalised Levenshtein similarity, taking the better of two readings of
  a non-initial `e` (as `a`: Ahmed/Ahmad, and as `i`: Hamed/Hamid); below the floor, a trade
  within one romanisation class (t/d/z, k/g: Qathafi / Gaddafi) counts half an edit;
- one from Arabic script ("arabic", short vowels unwritten): the share of the Arabic token's letters
  found in order in the other (an LCS), discounted when the romanised side has consonants the Arabic
  side lacks. A long vowel written in Arabic must be matched; a short one in Latin is free, but a
  diphthong ay (Husayn, Hussein) needs its ي (حسين, never حسن), and a t, d or z a letter that
  can be written so (Hatim حاتم is not Hazima; Kazim, Kadhim, Kathim are all كاظم). Stricter
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
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq, Levenshtein

from ..caches import SMALL_CACHE, WORD_CACHE
from ..names.origin import Origin
from ..names.phonetic import phonetic_keys

MIN_TOKEN_SIMILARITY = 0.78
VARIANT_DISCOUNT = 0.5
MIN_CROSS_SCRIPT_SIMILARITY = 0.8
INITIAL_SIMILARITY = 0.8
_VOWELS = frozenset("aeiou")
# Across scripts, letters romanisers trade for one another compare as one class: t/d/z (ض ظ ذ
# are t, d, z or dh by region; `dental_letters` keeps ت ط, د and ز to their own letter), k/q/g
# (ق), b/p, and the glides w/y with the vowels u/i they write.
_CROSS_TABLE = str.maketrans("wyztqgpo", "uiddkkbu")  # then "ai" -> "i"


def consonants(folded: str) -> int:
    """How many consonant letters a folded token has.

    >>> consonants("husain")
    3
    """
    return sum(1 for ch in folded if ch not in _VOWELS)


@lru_cache(maxsize=WORD_CACHE)
def e_forms(folded: str) -> tuple[str, str]:
    """The two readings of `e`: as `a` (Ahmed, Ahmad) and as `i` (Hamed, Hamid). An initial e
    reads only as i, as Arabic names write it (Emad / Imad, Eyad / Iyad), and not before a v
    (folded w: Evan is not Ivan).

    >>> e_forms("ahmed"), e_forms("emad"), e_forms("ewan")
    (('ahmad', 'ahmid'), ('emad', 'imad'), ('ewan', 'ewan'))
    """
    initial = folded[:1] == "e" and folded[1:2] not in _VOWELS and folded[1:2] not in ("w", "")
    if "e" not in folded[1:] and not initial:
        return folded, folded  # the same object twice: tables of many tokens stay small
    head, tail = folded[:1], folded[1:]
    return head + tail.replace("e", "a"), ("i" if initial else head) + tail.replace("e", "i")


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


class CrossForm(NamedTuple):
    """Tokens in the cross-script letter classes (one form each) with the features the
    cross-script score needs, as parallel arrays."""

    form: np.ndarray  # object: str
    length: np.ndarray  # int16
    consonants: np.ndarray  # int16
    first_vowel: np.ndarray  # bool
    last_vowel: np.ndarray  # bool
    soft_h: np.ndarray  # bool: ends in a vowel and h (Mullah, Hamzah), an h Arabic may not write
    # bool: ends in a long vowel every romanisation writes: i, or the ā of a final ى/ی.
    final_long: np.ndarray
    # bool: an Arabic token's form without its word-initial vowel (a hamza's vowel the script
    # leaves open); the romanised side must write a vowel there.
    open_vowel: np.ndarray
    # bool: ends in two consonants, u and a consonant (romanised Mahmud, Mansur: the maf'ūl
    # pattern, whose ū is long).
    long_u: np.ndarray
    # bool: has a u (from Arabic script: a و, which can carry a long ū).
    writes_u: np.ndarray
    # int8, `glides`: romanised, its diphthongs ai (ay, ei); from Arabic script, its ي letters.
    glides: np.ndarray
    # int8, n x 3, `dental_letters`: romanised, how many t, d and z it writes; from Arabic
    # script, how many of its letters a romanisation may write as t, d and z. The letter classes
    # merge the three (ذ ض ظ are any of them); these keep ت, د and ز to their own letter.
    dentals: np.ndarray

    def at(self, idx: np.ndarray) -> CrossForm:
        """The rows `idx`."""
        return CrossForm(*(column[idx] for column in self))


def glides(folded: str, arabic: bool) -> int:
    """A romanised token's diphthongs ai (Husayn, Hussein, Zeid: folded "ai"), which Arabic script
    always writes with ي; or an Arabic-script token's ي letters (i, y), which can write them.

    >>> glides("husain", False), glides("hsn", True), glides("hsin", True)
    (1, 0, 1)
    """
    return folded.count("i") + folded.count("y") if arabic else folded.count("ai")


_INT8_MAX = 127
_LONG_U = re.compile(
    r"[^aeiou]{2}u[^aeiou]$"
)  # letter counts are kept in int8: more of one letter than this is no name


def dental_letters(folded: str, arabic: bool) -> tuple[int, int, int]:
    """How many t, d and z a romanised token writes; or, for a token romanised from Arabic script,
    how many of its letters a romanisation may write as t, d and z: ت ط as t, ث ("x") as t
    (th), ذ ض ظ ("q") as any of the three; a final د as t too (Turkish Ahmet, Mehmet, Mahmut), and
    a final ة as t (Rahmat, Hayat).

    >>> dental_letters("hatim", False), dental_letters("hatm", True), dental_letters("kaqm", True)
    ((1, 0, 0), (1, 0, 0), (1, 1, 1))
    """
    if not arabic:
        return folded.count("t"), folded.count("d"), folded.count("z")
    either = folded.count("q")
    final = folded[-1:] in ("d", "a")
    return (
        folded.count("t") + folded.count("x") + either + final,
        folded.count("d") + either,
        folded.count("z") + either,
    )


def cross_form(
    forms: Sequence[str],
    open_vowel: Sequence[bool] | None = None,
    final_a: Sequence[bool] | None = None,
    glide_counts: Sequence[int] | None = None,
    dentals: np.ndarray | None = None,
) -> CrossForm:
    """The CrossForm of these letter-class forms (`open_vowel`: see CrossForm; `final_a`: the
    form ends in the ā of a final ى/ی, a long vowel like ī; `dentals`: `dental_letters` per
    form (int8, n x 3), by default as many as any letter class allows).

    >>> cross_form(["hmd", "ahmad"]).consonants.tolist()
    [3, 3]
    """
    n = len(forms)
    dent = dentals if dentals is not None else np.full((n, 3), _INT8_MAX, dtype=np.int8)
    return CrossForm(
        _object_array(forms),
        np.fromiter(map(len, forms), dtype=np.int16, count=n),
        np.fromiter(map(consonants, forms), dtype=np.int16, count=n),
        np.fromiter((f[:1] in _VOWELS for f in forms), dtype=bool, count=n),
        np.fromiter((f[-1:] in _VOWELS for f in forms), dtype=bool, count=n),
        np.fromiter((f[-1:] == "h" and f[-2:-1] in _VOWELS for f in forms), dtype=bool, count=n),
        np.fromiter((f[-1:] == "i" for f in forms), dtype=bool, count=n)
        | np.asarray(final_a if final_a is not None else [False] * n, dtype=bool),
        np.asarray(open_vowel if open_vowel is not None else [False] * n, dtype=bool),
        np.fromiter((_LONG_U.search(f) is not None for f in forms), dtype=bool, count=n),
        np.fromiter(("u" in f for f in forms), dtype=bool, count=n),
        np.asarray(glide_counts if glide_counts is not None else [0] * n, dtype=np.int8),
        dent,
    )


class TokenTable(NamedTuple):
    """Tokens to compare against, as parallel arrays (built once per index)."""

    folded: np.ndarray  # object: str
    e_a: np.ndarray  # object: str, the `e`-as-`a` reading
    e_i: np.ndarray  # object: str, the `e`-as-`i` reading
    has_e: np.ndarray  # bool: the two readings differ
    first: np.ndarray  # object: str, the first letter
    origin: np.ndarray  # int8, Origin
    length: np.ndarray  # int32
    # int16: where a glued pair's second word starts, 0 for one word. Two glued words are never
    # an initial's expansion.
    split: np.ndarray
    # Each token's two cross-script forms (`cross_forms`): the first of token t in row t, the
    # second in row t + len(folded). Precomputed, so that comparing a query across scripts costs no
    # Python loop over candidates.
    cross: CrossForm


def _object_array(values: Sequence[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def token_table(
    folded: Sequence[str], origins: Sequence[Origin], splits: Sequence[int] | None = None
) -> TokenTable:
    """A TokenTable over these tokens.

    >>> token_table(["ahmed"], [Origin.LATIN]).e_a.tolist()
    ['ahmad']
    """
    # The tokens of a list would only crowd the caches that serve queries: call unwrapped.
    forms = [e_forms.__wrapped__(f) for f in folded]
    interned: dict[str, str] = {}  # class forms of many tokens coincide: one string object each
    cross: list[tuple[str, str]] = []
    # Per token: its second row is the form without an open initial vowel, or else, for a final
    # ى/ی, the ā reading (Musa موسى; the first row reads ī); plain for everything else.
    second_open: list[bool] = []
    second_final_a: list[bool] = []
    second_glides: list[int] = []
    # Straight into an array: a list of tuples for every token would add to the build's peak.
    dentals = np.fromiter(
        (
            tuple(min(c, _INT8_MAX) for c in dental_letters(f, o == Origin.ARABIC))
            for f, o in zip(folded, origins, strict=True)
        ),
        dtype=np.dtype((np.int8, 3)),
        count=len(folded),
    )
    for f, o in zip(folded, origins, strict=True):
        arabic = o == Origin.ARABIC
        first, second = cross_forms.__wrapped__(f, arabic)
        final_a = arabic and second == first and _final_y(f)
        if final_a:
            second = cross_forms.__wrapped__(f[:-1] + "a", True)[0]
        cross.append((interned.setdefault(first, first), interned.setdefault(second, second)))
        second_open.append(arabic and second != first and not final_a)
        second_final_a.append(final_a)
        second_glides.append(min(glides(f[:-1] + "a" if final_a else f, arabic), _INT8_MAX))
    return TokenTable(
        _object_array(folded),
        _object_array([f[0] for f in forms]),
        _object_array([f[1] for f in forms]),
        np.asarray([f[0] is not f[1] for f in forms], dtype=bool),
        _object_array([f[:1] for f in folded]),
        np.asarray([int(o) for o in origins], dtype=np.int8),
        np.asarray([len(f) for f in folded], dtype=np.int32),
        np.asarray(splits if splits is not None else [0] * len(folded), dtype=np.int16),
        cross_form(
            [c[0] for c in cross] + [c[1] for c in cross],
            [False] * len(cross) + second_open,
            [False] * len(cross) + second_final_a,
            [
                min(glides(f, o == Origin.ARABIC), _INT8_MAX)
                for f, o in zip(folded, origins, strict=True)
            ]
            + second_glides,
            np.concatenate([dentals, dentals]),
        ),
    )


def similarities_at(
    query: str, query_origin: Origin, table: TokenTable, idx: np.ndarray, split: int = 0
) -> np.ndarray:
    """Similarity of one folded token against the tokens `idx` of a table (that `may_match` it).
    `split` > 0: the query is two words glued, the second starting there.

    >>> table = token_table(["husain", "hasan", "hsin", "hsn"], [Origin.LATIN, Origin.LATIN, Origin.ARABIC, Origin.ARABIC])
    >>> similarities_at("husain", Origin.LATIN, table, np.arange(4)).tolist()
    [1.0, 0.0, 1.0, 0.0]
    >>> similarities_at("hasan", Origin.LATIN, table, np.arange(4)).tolist()
    [0.0, 1.0, 0.0, 1.0]
    """
    n = len(idx)
    out = np.zeros(n, dtype=np.float64)
    if n == 0:
        return out
    # Strings are gathered only where needed: touching each listed string object (its reference
    # count) costs a cache miss, more than the arithmetic on the codes.
    origin = table.origin[idx]
    q_code = int(query_origin)
    length = table.length[idx]
    if split and q_code == 0 and not query.startswith(("abd", "abu")) and origin.any():
        # Two romanised words glued meet no word across scripts (see below): only the others.
        other = np.flatnonzero(origin != 1)
        if len(other) < n:
            if len(other):
                out[other] = similarities_at(query, query_origin, table, idx[other], split)
            return out
    if q_code == 0 and len(query) > 1 and not origin.any():
        # The common case, romanised words only: spelling alone decides, or an initial.
        one = length == 1
        if not split and one.any():
            at = np.flatnonzero(one)
            sub = idx[at]
            same_first = (table.first[sub] == query[:1]) & (table.split[sub] == 0)
            out[at[same_first]] = INITIAL_SIMILARITY
        window = np.flatnonzero(~one & _in_window(length, len(query)))
        if len(window):
            out[window] = _latin_many(query, table, idx[window])
        return _floor(out)
    init = (length == 1) | (len(query) == 1)
    initials = split == 0
    if init.any():
        at = np.flatnonzero(init)
        sub = idx[at]
        exact = table.folded[sub] == query
        if initials:
            same_first = (table.first[sub] == query[:1]) & (table.split[sub] == 0)
            out[at[same_first]] = INITIAL_SIMILARITY
        out[at[exact]] = 1.0
    rest = ~init
    syllabic = rest & ((origin == 2) | (q_code == 2))
    if syllabic.any():
        out[syllabic] = table.folded[idx[syllabic]] == query
    cross = rest & ~syllabic & ((origin == 1) | (q_code == 1))
    latin = rest & ~syllabic & ~cross
    # An ʿAbd- or Abu compound glued in Arabic script is one name, met whole (no split check).
    one_name = query.startswith(("abd", "abu"))
    if q_code != 1 and not one_name:
        # A romanised query meets an Arabic-script name word for word: two words glued against
        # one across scripts (below) serve a query in Arabic script, while every listed entry
        # also has romanised names for a romanised query to meet, glued or not.
        cross &= (table.split[idx] == 0) & initials
    latin &= _in_window(length, len(query))
    if latin.any():
        out[latin] = _latin_many(query, table, idx[latin])
    if cross.any():
        out[cross] = _cross_many(query, q_code == 1, table, idx[cross])
        # Two words glued against one (Wali Jan / Walijan, ولی جان / Walijan): a consonant
        # skeleton of two words is too loose alone, so each word must also meet its own part of
        # the other side. A query's own ʿAbd- or Abu compound is one name (no check), but two
        # listed words glued are two, whatever the query (Abdiweli Aw is not عبدالعلی).
        glued_pair = table.split[idx] > 0
        if not one_name:
            glued_pair |= split > 0
        pair = cross & glued_pair & (out > 0)
        for row in np.flatnonzero(pair).tolist():
            tid = int(idx[row])
            listed: str = table.folded[tid]
            listed_arabic = bool(table.origin[tid] == 1)
            if split:
                parts, word = (query[:split], query[split:]), listed
                parts_arabic, word_arabic = q_code == 1, listed_arabic
            else:
                cut = int(table.split[tid])
                parts, word = (listed[:cut], listed[cut:]), query
                parts_arabic, word_arabic = listed_arabic, q_code == 1
            score = _split_score(parts, parts_arabic, word, word_arabic)
            out[row] = min(float(out[row]), score)
    return _floor(out)


_NEAR = 0.6
_ROMAN_CLASSES = str.maketrans("tgz", "dkd")
_CLASS_LETTERS = frozenset("tdzgk")


def _class_similarity(query: str, words: list[str]) -> np.ndarray:
    """Levenshtein similarity where trading letters of one romanisation class (t/d/z: ذ ظ ض written
    th, dh, z or d; k/g: ق written q, k or g) costs half an edit: the mean of the plain and the
    class-mapped edit distances.

    >>> _class_similarity("katafi", ["gadafi", "kamili"]).round(3).tolist()
    [0.833, 0.5]
    """
    plain = process.cdist([query], words, scorer=Levenshtein.distance)[0].astype(np.float64)
    mapped = process.cdist(
        [query.translate(_ROMAN_CLASSES)],
        [w.translate(_ROMAN_CLASSES) for w in words],
        scorer=Levenshtein.distance,
    )[0]
    longest = np.maximum(
        np.fromiter(map(len, words), dtype=np.float64, count=len(words)), len(query)
    )
    return 1.0 - (plain + mapped) / (2.0 * longest)


@lru_cache(maxsize=WORD_CACHE)
def variant_similarity(a: str, b: str) -> float:
    """The similarity two romanised words earn as spelling variants of one name (a shared key,
    then Levenshtein with both readings of `e` and class trades, floored: what `similarities_at`
    gives the pair), without the typo channel: what an explanation tells a variant from a typo by.

    >>> variant_similarity("husain", "husein"), variant_similarity("zawarihi", "zawahiri")
    (1.0, 0.0)
    """
    if not may_match(a, phonetic_keys(a), b, phonetic_keys(b), initials=False):
        return 0.0
    if abs(len(a) - len(b)) > (1.0 - MIN_TOKEN_SIMILARITY) * max(len(a), len(b)) + 1e-9:
        return 0.0
    qa, qi = e_forms(a)
    ba, bi = e_forms(b)
    value = max(
        Levenshtein.normalized_similarity(qa, ba), Levenshtein.normalized_similarity(qi, bi)
    )
    if _NEAR <= value < MIN_TOKEN_SIMILARITY and not _CLASS_LETTERS.isdisjoint(qa + qi):
        value = max(value, *_class_similarity(qa, [ba]), *_class_similarity(qi, [bi]))
    return float(_floor(np.asarray([value]))[0])


def _latin_many(query: str, table: TokenTable, idx: np.ndarray) -> np.ndarray:
    """Levenshtein similarity of two romanised words, the better of both readings of `e`, against
    the tokens `idx` (within the length window)."""
    qa, qi = e_forms(query)
    out = process.cdist([qa], table.e_a[idx].tolist(), scorer=Levenshtein.normalized_similarity)[0]
    # Without an `e` in the query, the second reading differs only where the listed has one.
    at = np.flatnonzero(table.has_e[idx]) if qa is qi else np.arange(len(idx))
    if len(at):
        other = process.cdist(
            [qi], table.e_i[idx[at]].tolist(), scorer=Levenshtein.normalized_similarity
        )[0]
        out[at] = np.maximum(out[at], other)
    # Below the floor by one class trade or two (Qathafi / Gaddafi: th and dh are one letter, q
    # and g another): a trade within a class counts half an edit.
    near = np.flatnonzero((out < MIN_TOKEN_SIMILARITY) & (out >= _NEAR))
    # A query with no letter of a class has no trade to make.
    if len(near) and not _CLASS_LETTERS.isdisjoint(qa + qi):
        rows = idx[near]
        out[near] = np.maximum(
            _class_similarity(qa, table.e_a[rows].tolist()),
            _class_similarity(qi, table.e_i[rows].tolist()),
        )
    return out


def _in_window(length: np.ndarray, query_length: int) -> np.ndarray:
    # Levenshtein similarity reaches the floor only within this length difference.
    return (
        np.abs(length - query_length)
        <= (1.0 - MIN_TOKEN_SIMILARITY) * np.maximum(length, query_length) + 1e-9
    )


def _letter_classes(word: str) -> str:
    """A word in the cross-script letter classes; a word-initial y or w stays a consonant
    (Yasin, Walid), not the vowel it writes elsewhere. A romanised ch is French sh as often as
    English ch (Aicha, Mechaal / مشعل; Chaudhry / چوہدری): ش and چ are one class."""
    word = word.replace("ch", "sh")
    if word[:1] in ("y", "w"):
        return word[0] + word[1:].translate(_CROSS_TABLE).replace("ai", "i")
    return word.translate(_CROSS_TABLE).replace("ai", "i")


@lru_cache(maxsize=WORD_CACHE)
def cross_forms(word: str, arabic: bool) -> tuple[str, str]:
    """A token's two forms for cross-script comparison, in letter classes. Romanised: both
    readings of `e`. From Arabic script: with and without a word-initial vowel, which stands for a
    hamza's vowel the script leaves open. A token with one form gives it twice.

    >>> cross_forms("ahmed", False), cross_forms("ahmd", True)
    (('ahmad', 'ahmid'), ('ahmd', 'hmd'))
    """
    if not arabic:
        # Folding already wrote a doubled letter once (Mullah, Haqqani: the shadda Arabic script
        # leaves unwritten); two letters that fall in one class here stay two.
        return e_forms.__wrapped__(_letter_classes(word))
    # ث read as t (see _query_cross); ذ ض ظ in the class of t, d and z (see `dental_letters`).
    mapped = _letter_classes(word.replace("x", "t").replace("q", "d"))
    # Not before y: in Ayman (أيمن, "aymn", in classes "imn") the alef and y write a diphthong
    # every romanisation writes too (not Amina). Before w it is (ʿAwni العوني: Ouni, Aouni).
    opens = len(mapped) > 2 and mapped[0] in _VOWELS and word[1:2] != "y"
    return (mapped, mapped[1:]) if opens else (mapped, mapped)


@lru_cache(maxsize=SMALL_CACHE)
def _query_cross(word: str, arabic: bool) -> CrossForm:
    # One row per distinct form, as a column that broadcasts against the listed tokens' row.
    # (reading, ends in the ā of a final ى/ی)
    readings = [(word, False)]
    if arabic and _final_y(word):
        # A final ى/ی after a consonant (see names.arabic) is ī (the letter class of y) or ā.
        readings.append((word[:-1] + "a", True))
    if arabic and "x" in word:
        # ث is t (cross_forms) or s. A listed Arabic-script token is read the first way only
        # (ī, t): its table keeps two forms per token.
        readings += [(w.replace("x", "s"), a) for w, a in readings]
    # form: (open vowel, the ā of a final ى/ی, glides)
    rows: dict[str, tuple[bool, bool, int]] = {}
    for reading, final_a in readings:
        plain, opened = cross_forms(reading, arabic)
        count = glides(reading, arabic)
        rows.setdefault(plain, (False, final_a, count))
        if opened != plain:
            rows.setdefault(opened, (arabic, final_a, count))
    # The letters themselves, whatever the reading (ث as s writes no t, but may as well).
    dentals = [min(c, _INT8_MAX) for c in dental_letters(word, arabic)]
    table = cross_form(
        list(rows),
        [r[0] for r in rows.values()],
        [r[1] for r in rows.values()],
        [r[2] for r in rows.values()],
        np.asarray([dentals] * len(rows), dtype=np.int8),
    )
    return CrossForm(*(column[:, None] for column in table))


def _cross_score(lcs: np.ndarray, head: CrossForm, form: CrossForm) -> np.ndarray:
    """The LCS share of the Arabic token's letters (`head`), discounted for consonants the
    romanised side (`form`) adds and for a romanised spelling longer than the Arabic word's
    unwritten short vowels allow. Either side may be one row, broadcast against the other."""
    h_len = head.length.astype(np.float64)
    h_cons = head.consonants.astype(np.float64)
    # A romanised final h after a vowel (ملا Mullah, حمزة Hamzah) is free where the Arabic word
    # ends in a vowel: Arabic writes no h there.
    soft = form.soft_h & head.last_vowel
    f_len = form.length - soft.astype(np.float64)
    score = lcs / np.maximum(h_len, 1)
    extra = form.consonants - soft - h_cons
    score = np.where(extra > 0, score * h_cons / np.maximum(h_cons + extra, 1), score)
    # ...plus a vowel before the first consonant (a dropped ʿayn or hamza: ʿIzzat, ʿUmar) and one
    # after the last (Taha), where the Arabic word has none.
    allowed = (
        h_len
        + np.maximum(h_cons - 1, 1)
        + (form.first_vowel & ~head.first_vowel)
        + (form.last_vowel & ~head.last_vowel)
    )
    score = np.where(f_len > allowed, score * allowed / np.maximum(f_len, 1), score)
    # Without its initial vowel, the Arabic word must meet a romanised word that writes one (Ibrahim
    # ابراهيم, Usama أسامة): otherwise "ida" (آیدا) would be found in any word with d and a.
    score = np.where(head.open_vowel & ~form.first_vowel, 0.0, score)
    # A long ū a romanisation writes (Mahmud, Mansur) needs its و: محمد is Muhammad, not Mahmud.
    score = np.where(form.long_u & ~head.writes_u, 0.0, score)
    # A diphthong ay is always written (ي): Husayn is حسين, never حسن (Hasan); Said سعيد, not سعد.
    score = np.where(form.glides > head.glides, 0.0, score)
    # A t, d or z needs an Arabic letter that can be written so: Hatim حاتم is not Hazima,
    # Zamani زمانی not Domani; Kathim, Kadhim and Kazim are all كاظم.
    score = np.where((form.dentals > head.dentals).any(axis=-1), 0.0, score)
    # A final long ī is always written in Arabic script (ي, or ى read as ī: حقانى): Salim سالم is
    # not Salimi, Mohammadi محمدی not Mohammad. One side ending in i where the other ends in a
    # consonant is another name.
    score = np.where(
        (form.final_long & ~head.last_vowel) | (head.final_long & ~form.last_vowel), 0.0, score
    )
    return np.where((h_cons <= 1) & (score < 1.0), 0.0, score)


def _cross_words(a: str, a_arabic: bool, b: str, b_arabic: bool) -> float:
    """The cross-script similarity of two words, at least one from Arabic script (0 when neither
    is): one pair of `_cross_many`, for the parts of glued words."""
    if a_arabic == b_arabic:
        return 1.0 if a == b and a_arabic else 0.0
    head, other = (a, b) if a_arabic else (b, a)
    mine = _query_cross(head, True)
    theirs = _query_cross(other, False)
    lcs = process.cdist(
        mine.form[:, 0].tolist(), theirs.form[:, 0].tolist(), scorer=LCSseq.similarity
    )
    form = CrossForm(*(column[:, 0][None, :] for column in theirs))
    return float(_cross_score(lcs.astype(np.float64), mine, form).max())


def _split_score(parts: tuple[str, str], parts_arabic: bool, word: str, word_arabic: bool) -> float:
    """Two glued words against one: the best cut of `word` where each part meets its own piece
    (each at least `MIN_CROSS_SCRIPT_SIMILARITY`), the two similarities weighted by length. The
    Arabic side of each piece needs two consonants: one letter of a skeleton is found anywhere
    (ʿĀyiḍ عايض is "ayd", in letter classes "id": in Seapride, Invalido, Ide).

    >>> _split_score(("wli", "jan"), True, "walijan", False)
    1.0
    >>> _split_score(("sabr", "ayd"), True, "seapride", False)
    0.0
    """
    best = 0.0
    total = len(parts[0]) + len(parts[1])
    for cut in range(1, len(word)):
        pieces = (parts[0], parts[1]) if parts_arabic else (word[:cut], word[cut:])
        if min(consonants(_letter_classes(piece)) for piece in pieces) < 2:
            continue
        first = _cross_words(parts[0], parts_arabic, word[:cut], word_arabic)
        if first < MIN_CROSS_SCRIPT_SIMILARITY:
            continue
        second = _cross_words(parts[1], parts_arabic, word[cut:], word_arabic)
        if second < MIN_CROSS_SCRIPT_SIMILARITY:
            continue
        best = max(best, (first * len(parts[0]) + second * len(parts[1])) / total)
    return best


def _final_y(word: str) -> bool:
    # A romanised Arabic word ends in y only for a final ى/ی after a consonant (see names.arabic).
    return word[-1:] == "y" and len(word) > 1


def _final_y_as_i(word: str) -> str:
    return word[:-1] + "i" if _final_y(word) else word


def _cross_many(query: str, query_arabic: bool, table: TokenTable, idx: np.ndarray) -> np.ndarray:
    """Similarity when at least one side was romanised from Arabic script, for one token against
    the tokens `idx` of a table: letters romanisers trade compare as one class, scored by
    `_cross_score` (the best over both sides' forms). Two Arabic-script tokens: Levenshtein."""
    out = np.zeros(len(idx), dtype=np.float64)
    both = (table.origin[idx] == 1) & query_arabic
    one = ~both
    if one.any():
        sel = idx[one]
        rows = np.concatenate([sel, sel + len(table.folded)])
        mine = _query_cross(query, query_arabic)
        lcs = process.cdist(
            mine.form[:, 0].tolist(), table.cross.form[rows].tolist(), scorer=LCSseq.similarity
        ).astype(np.float64)
        # A score never exceeds the LCS share of the Arabic token's letters: only the forms that
        # share enough to reach the floor are scored in full (most of a Latin word's key bucket
        # that is Arabic script does not).
        h_len = mine.length if query_arabic else table.cross.length[rows][None, :]
        live = np.flatnonzero(
            (lcs >= MIN_CROSS_SCRIPT_SIMILARITY * np.maximum(h_len, 1) - 1e-9).any(axis=0)
        )
        best = np.zeros(len(rows), dtype=np.float64)
        if len(live):
            listed = table.cross.at(rows[live])
            head, form = (mine, listed) if query_arabic else (listed, mine)
            best[live] = _cross_score(lcs[:, live], head, form).max(axis=0)
        out[one] = np.maximum(best[: len(sel)], best[len(sel) :])
    if both.any():
        # A final ى/ی ("y", read ī or ā) is ī against the same word written with ي.
        q_word = _final_y_as_i(query)
        words = [_final_y_as_i(w) for w in table.folded[idx[both]].tolist()]
        sims = process.cdist([q_word], words, scorer=Levenshtein.normalized_similarity)[0]
        # A final ī is written on both sides or neither (محمدی Mohammadi is not محمد).
        q_end = q_word[-1:]
        other = [
            (q_end == "i" and w[-1:] not in _VOWELS) or (w[-1:] == "i" and q_end not in _VOWELS)
            for w in words
        ]
        out[both] = np.where(other, 0.0, sims)
    return np.where(out >= MIN_CROSS_SCRIPT_SIMILARITY, out, 0.0)
