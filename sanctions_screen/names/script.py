"""Which writing system a name is in, so each script gets its own converter."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..caches import SMALL_CACHE

# Scripts whose romanisation is a string of syllables: one letter changes the name.
SYLLABIC_SCRIPTS = frozenset(
    {"Han", "Hangul", "Hiragana", "Katakana", "Yi", "Thai", "Lao", "Khmer", "Myanmar"}
)
_ASCII_LETTER = re.compile("[A-Za-z]")
ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def is_arabic_char(ch: str) -> bool:
    """True for a letter of the Arabic block (Arabic, Persian, Urdu letters and presentation forms).

    >>> is_arabic_char("ح"), is_arabic_char("h")
    (True, False)
    """
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ARABIC_RANGES)


@lru_cache(maxsize=SMALL_CACHE)
def char_script(ch: str) -> str | None:
    """The script of one letter as a short name ('Arabic', 'Latin', 'Cyrillic' ...), None for non-letters.

    >>> char_script("ж"), char_script("1")
    ('Cyrillic', None)
    """
    if not ch.isalpha():
        return None
    if is_arabic_char(ch):
        return "Arabic"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    first = name.split(" ", 1)[0]
    return {"CJK": "Han", "HANGUL": "Hangul"}.get(first, first.capitalize())


def detect_script(text: str) -> str | None:
    """The script most letters of `text` are written in, None when it has no letters.

    >>> detect_script("حسين فالح"), detect_script("Hussein"), detect_script("123")
    ('Arabic', 'Latin', None)
    """
    if text.isascii():
        return "Latin" if _ASCII_LETTER.search(text) else None
    counts = Counter(script for script in map(char_script, text) if script)
    if not counts:
        return None
    return max(sorted(counts), key=counts.__getitem__)
