"""Phonetic keys: a consonant skeleton over letter classes, for candidate lookup.

Two spellings of one name share at least one key; the scorer, not the key, tells near names
apart (Muhammad and Mahmud share MHMT). Ambiguous letters give alternative keys (g is k or j;
kh is k or h; th is t or s), capped so a token never has more than `MAX_KEYS`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from ..caches import WORD_CACHE

MAX_KEYS = 8

_DIGIT = re.compile(r"[0-9]")
_SEGMENT = re.compile(r"sh|ch|kh|gh|th|dh|zh|ts|[a-z0-9]")
# Romanised Arabic has no th/dh digraphs (the letter table writes t and d): t + h are two letters.
_SEGMENT_ARABIC = re.compile(r"sh|kh|ch|[a-z0-9]")
_CLASSES: dict[str, tuple[str, ...]] = {
    "sh": ("S",),
    "ch": ("S", "K"),
    "kh": ("K", "H"),
    "h": ("H",),
    "gh": ("K",),
    "th": ("T", "S"),
    "dh": ("T",),
    "zh": ("J", "TH"),
    "ts": ("S",),
    "j": ("J",),
    "g": ("K", "J"),
    "k": ("K",),
    "q": ("K",),
    "c": ("K",),
    "x": ("KS",),
    "b": ("B",),
    "p": ("B",),
    "f": ("F",),
    "d": ("T",),
    "t": ("T",),
    "z": ("T", "S"),
    "s": ("S",),
    "l": ("L",),
    "m": ("M",),
    "n": ("N",),
    "r": ("R",),
}

# In romanised Arabic "sh" and "kh" are ش and خ, or s + h and k + h (Sahrawi: صحراوي).
# "ch" is چ, as in romanised ch; "x" is ث, t or s; "q" is ذ ض ظ, d, t or z (see names.arabic).
_CLASSES_ARABIC = {
    **_CLASSES,
    "sh": ("S", "SH"),
    "kh": ("K", "H", "KH"),
    "ch": ("S", "K"),
    "x": ("T", "S"),
    "q": ("T", "S"),
}


def _collapse(key: str) -> str:
    out: list[str] = []
    for ch in key:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=WORD_CACHE)
def phonetic_keys(folded: str, arabic: bool = False) -> tuple[str, ...]:
    """All keys of one folded token, the most likely reading first.

    >>> phonetic_keys("husain"), phonetic_keys("kasim"), phonetic_keys("jamal")
    (('HSN',), ('KSM',), ('JML',))
    """
    if _DIGIT.search(folded):
        return ("#" + folded,)
    if folded.startswith("abd") and len(folded) > 4:
        # A joined ʿAbd- compound: "abd" + "hakim" is not the digraph dh (nor "abd" + "hi",
        # ʿAbd al-Hayy, short as it is).
        return tuple(dict.fromkeys(_collapse("BT" + k) for k in phonetic_keys(folded[3:], arabic)))
    segments = (_SEGMENT_ARABIC if arabic else _SEGMENT).findall(folded)
    classes = _CLASSES_ARABIC if arabic else _CLASSES
    options = [classes.get(seg, ("",)) for seg in segments]
    keys: list[str] = []
    for combo in product(*options):
        key = _collapse("".join(combo))
        if len(key) > 1 and key.endswith("H"):
            key = key[:-1]  # a final h is often ta marbuta or a romaniser's ending: Haniyeh, Hanieh
        key = key or "V"
        if key not in keys:
            keys.append(key)
            if len(keys) >= MAX_KEYS:
                break
    return tuple(keys)
