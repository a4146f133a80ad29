"""Arabic and Persian script to a romanisation the Latin folding understands.

A small letter table with context rules beats every general transliterator on names (see
`shared/design/arabic-names.md`): Arabic writes consonants and long vowels only, so the output is a
consonant skeleton with the long vowels, which the scorer compares against romanised spellings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

from ..caches import WORD_CACHE

# Short vowels (tashkeel), superscript alef, Quranic marks, tatweel: never change a name.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

# Letters map straight to the folded alphabet the Latin folding produces (th -> t, dh -> d,
# gh -> g, q -> k), so a romanised Arabic token needs no folding of its own, and a "th" in the
# output is always t + h (Taha), never a digraph.
_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    # ث is th in Arabic (Uthman, Haytham) and s in Persian, Urdu and Pashto (Saqib ثاقب, Ghias
    # غیاث): "x", a letter no romanisation here writes, which the keys and the scorer read as t or s.
    "ث": "x",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    # ذ ض ظ are d, dh, z or th by region and language (Kazim / Kadhim / Kathim كاظم, Fadl / Fazl
    # فضل): "q", a letter no romanisation of Arabic script here writes (ق is k), which the keys
    # read as t or s and the scorer as any of t, d, z. ت, د, ز and ط keep one reading each.
    "ذ": "q",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "q",
    "ط": "t",
    "ظ": "q",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ڤ": "v",
    "ھ": "h",
    "ۀ": "a",
    "ہ": "h",
    "ں": "n",
    "ٹ": "t",
    "ڈ": "d",
    "ڑ": "r",
    # Pashto: dz (Zadran ځدران, also written Jadran), ts, retroflex r, zh/g, sh/kh, t, d, n.
    "ځ": "z",
    "څ": "s",
    "ړ": "r",
    "ږ": "zh",
    "ښ": "sh",
    "ټ": "t",
    "ډ": "d",
    "ڼ": "n",
}
# Letters that are vowels or glides depending on their neighbours.
_ALEFS = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a"}
# With the Kurdish and Uyghur vowel letters (ۆ o, ۇ u, ۈ ü, ێ ê), read as the long vowels they
# spell, not through unidecode ("oe").
_WAW = {"و", "ۆ", "ۅ", "ۇ", "ۈ", "ۉ", "ۊ", "ۏ"}
_YA = {"ي", "ی", "ى", "ې", "ۍ", "ے", "ێ", "ۓ"}
# Hamza (alone or on its seats ئ ؤ) and ʿayn are deleted, as in romanised names; a seat's vowel is
# usually written by the letter after it (عائشة is ʿāʾisha: aysha, not ayysha).
_SILENT = {"ء", "ع", "ئ", "ؤ"}
_LONG = {*_ALEFS, *_WAW, *_YA}
_TA_MARBUTA = "ة"

# Arabic names ending in alif maqsura, as Persian writes them with ی (ʿIsa عیسی, Musa موسی).
_MAQSURA_YEH = frozenset(
    ["عیسی", "موسی", "مصطفی", "یحیی", "مرتضی", "مجتبی", "یعلی", "لیلی", "هدی", "سلمی", "لبنی"]
    + ["کبری", "صغری", "مصلی", "مولی", "عظمی", "تقوی", "مرعی", "مثنی", "منی", "یسری", "بشری"]
)

_PREFIX_WORDS = {
    "آل": "al",
    "عبد": "abd",
    "ابو": "abu",
    "أبو": "abu",
    "ابن": "ibn",
    "بن": "bin",
    "بنت": "bint",
    "ام": "umm",
    "أم": "umm",
}


def _letters(word: str) -> str:
    """Romanise one Arabic word without its article."""
    out: list[str] = []
    n = len(word)
    for i, ch in enumerate(word):
        prev_vowel = bool(out) and out[-1][-1:] in "aiu"
        at_start = i == 0
        at_end = i == n - 1
        next_alef = not at_end and word[i + 1] in _ALEFS
        if ch == "ه" and at_end and n > 2 and not prev_vowel:
            # A final ه after a consonant is the Persian silent heh, written like ta marbuta
            # (Juma جمعه, Zada زاده); Arabic has ة there. Taha طه keeps its h.
            out.append("a")
        elif ch in _CONSONANTS:
            out.append(_CONSONANTS[ch])
        elif ch in _ALEFS:
            out.append(_ALEFS[ch])
        elif ch in _WAW:
            # Consonant at the start, after a long vowel or before an alef (Walid, Dawud, Marwan),
            # else the long vowel u.
            out.append("w" if at_start or prev_vowel or next_alef else "u")
        elif ch in _YA:
            if at_end and i > 0 and not prev_vowel and (ch == "ى" or word in _MAQSURA_YEH):
                # Final ى after a consonant is alif maqsura (Mustafa مصطفى) or, as Egyptian
                # writing uses it, ī (Hanafi حنفى, ʿAli على): "y", which the scorer reads both
                # ways. Persian ی is ī (Mohammadi محمدی) but in the Arabic names listed.
                out.append("y")
            elif at_start or next_alef or (prev_vowel and not at_end):
                out.append("y")
            else:
                out.append("i")
        elif ch == _TA_MARBUTA:
            out.append("a")
        elif ch == "ع" and at_start:
            # A word-initial ʿayn carries a short vowel romanisers always write (ʿUmar Omar, ʿAli,
            # ʿAwwad Aouad): an open vowel, read as the hamza's (see `cross_forms`).
            out.append("a")
        elif (
            ch == "ئ"
            and i > 0
            and word[i - 1] in _ALEFS
            and not at_end
            and word[i + 1] not in _LONG
        ):
            # After an alef and before a consonant the seat's vowel is the i every romanisation
            # writes (ʿĀʾisha عائشة Aisha, Rāʾid رائد Raid, Fāʾiz فائز Faiz): not Raʿd رعد.
            out.append("i")
        elif ch in _SILENT:  # ʿayn and hamza are deleted, as in romanised names
            continue
        elif ch.isalpha():
            # A letter the table lacks (rare Arabic-block letters): its unidecode reading, if any.
            out.append("".join(c for c in unidecode(ch).lower() if c.isascii() and c.isalnum()))
    return "".join(out)


_HEH_FORMS = str.maketrans({"ہ": "ه", "ە": "ه"})


@lru_cache(maxsize=WORD_CACHE)
def romanize_word(word: str) -> tuple[str, ...]:
    """Romanise one Arabic-script word into one or more Latin words (article and prefixes split off).

    >>> romanize_word("اللامي"), romanize_word("عبدالرحمن"), romanize_word("حسين")
    (('al', 'lami'), ('abd', 'al', 'rhmn'), ('hsin',))
    """
    # Urdu and Persian write ہ/ە for ه (Allah as اللہ): one letter, as the word checks below see it.
    word = _DIACRITICS.sub("", word).translate(_HEH_FORMS)
    if not word:
        return ()
    if word in ("الله", "لله"):
        return ("allah",)
    for prefix, roman in _PREFIX_WORDS.items():
        if word == prefix:
            return (roman,)
    if word.startswith("عبد") and len(word) > 4:
        return ("abd", *romanize_word(word[3:]))
    if word.endswith("الله") and len(word) > 5:
        # -Allah glued (نصرالله, حزبالله): the word and Allah, as when written apart.
        return (*romanize_word(word[:-4]), "allah")
    if word.startswith("ال") and len(word) > 3:
        return ("al", _letters(word[2:]))
    if word.startswith("لل") and len(word) > 3:
        return ("al", _letters(word[1:]))
    return (_letters(word),)


def romanize(text: str) -> list[str]:
    """Romanise Arabic-script text word by word; non-Arabic characters separate words.

    >>> romanize("حسين فالح عزيز")
    ['hsin', 'falh', 'aziz']
    """
    words = re.split(r"[^\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+", text)
    out: list[str] = []
    for word in words:
        out.extend(w for w in romanize_word(word) if w)
    return out
