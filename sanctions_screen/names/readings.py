"""Readings: other ways a romanised spelling may have been read, by speakers of other languages.

Folding (`fold`) brings spellings of one reading together; a reading is a different sound for the
same letter, which folding cannot merge without merging names that differ. Each rule goes one way,
from the spelling that has the letters to the one that wrote them as heard:

- th (ث) is said s by Persian, Urdu and Turkish speakers, who write it so: Haitham / Heysem,
  Uthman / Osman, Kawthar / Kowsar. An s is never a th.
- kh (خ) is written h in Turkish (Halid, Han for Khan), and Russian writes ح and х as kh
  (Khusein for Husayn, Khadzhi for Hajji): a kh may be an h.
- Turkish c is j (Cemal / Jamal, Cafer / Jafar, Hacı / Hajji): a c before a vowel may be a j.
- German writes kh as ch (Chalid / Khalid): a ch may be a kh.

A token's readings are folded like any spelling and matched beside it (see `index.candidates`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..caches import WORD_CACHE
from .fold import fold_token

MAX_READINGS = 3
_C_AS_J = re.compile(r"c(?=[aeiouy])")
_RULES = (
    (re.compile("th"), "s"),
    (re.compile("kh"), "h"),
    (_C_AS_J, "j"),
    (re.compile("ch"), "kh"),
)


@lru_cache(maxsize=WORD_CACHE)
def readings(word: str) -> tuple[str, ...]:
    """The folded forms of a lowercase romanised word under each reading that applies (and all
    that apply at once), other than its own folded form; at most `MAX_READINGS`.

    >>> readings("haitham"), readings("cemal"), readings("heysem"), readings("khusein")
    (('haisam',), ('jemal',), (), ('husain',))
    """
    own = fold_token(word)
    out: list[str] = []
    combined = word
    for pattern, sound in _RULES:
        if pattern.search(word):
            out.append(fold_token(pattern.sub(sound, word)))
            combined = pattern.sub(sound, combined)
    out.append(fold_token(combined))
    return tuple(r for r in dict.fromkeys(out) if r != own and r)[:MAX_READINGS]
