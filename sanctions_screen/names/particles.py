"""Token-sequence rules for Arabic name particles: titles, the article, ʿAbd-, -Allah and -al-Din
compounds, kunya and nasab. Input and output are lowercase romanised tokens."""

from __future__ import annotations

import re
from functools import lru_cache

from ..caches import WORD_CACHE
from .tables import ARABIC_TITLES, ARTICLES, KUNYA, NASAB, NOT_ARTICLE, SUN_ARTICLES, TITLES

_VOWELS = "aeiou"
_ABD_HEADS = frozenset(
    {
        "abd",
        "abdul",
        "abdel",
        "abdal",
        "abdol",
        "abdou",
        "abdu",
        "abdur",
        "abder",
        "abdar",
        "abdil",
        "abed",
        "abdoul",
        "abdoel",
    }
)
_DIN_WORDS = frozenset(
    {
        *("din", "deen", "dine", "ddin", "ddine", "eddin", "eddine", "uddin", "addin", "udin"),
        *("edin", "eldin", "eldine", "aldin", "aldine", "uddeen", "eddeen"),
    }
)
_ALLAH_WORDS = frozenset({"allah", "ullah", "ollah", "ellah", "allahi", "ullahi"})
# Persian and Pashto suffixes written apart or glued (Akhund Zada / Akhundzada / آخوند زاده,
# Shahid Khel / Shahidkhel / شهيد خيل): joined to the name before them, so every form is one token.
_SUFFIX_WORDS = frozenset({"zada", "zadeh", "zadah", "zadh", "khel", "khail", "kheil", "khil"})
_GLUED_ALLAH = re.compile(r"^([a-z]{3,}?)(?:a|e|i|o|u|ou)ll?ah$")
# The same without the final h, as East African, Egyptian and South Asian romanisations write it
# (Abdalla, Abdulla, Nasrulla); only after ʿAbd or as -ulla, so that Isabella and Stella stay.
_GLUED_ALLA = re.compile(r"^(abd)(?:a|e|i|o|u|ou)lla$|^([a-z]{3,}?)(?:u|ou)lla$")
_GLUED_DIN = re.compile(r"^([a-z]{3,}?)[aeiou]?[dlz]?d(?:in|een|ine)$")
_GLUED_KUNYA = re.compile(r"^ab(?:u|ou|o)([b-df-hj-np-tv-z][a-z]{2,})$")
_SUN_LETTERS = "tdrzslnj"


def strip_glued_article(token: str) -> str:
    """Drop an article glued to a long word: Albaghdadi, Elsisi, Allami, Azzawahiri.

    >>> strip_glued_article("albaghdadi"), strip_glued_article("allami"), strip_glued_article("albert")
    ('baghdadi', 'lami', 'albert')
    """
    if token in NOT_ARTICLE:
        return token
    if token[:2] in ("al", "el") and len(token) >= 6 and token[2] not in _VOWELS:
        return token[2:]
    # Assimilated article: az-Zawahiri written Azzawahiri, as-Sadr written Assadr.
    if (
        len(token) >= 7
        and token[0] == "a"
        and token[1] in _SUN_LETTERS
        and token[1] == token[2]
        and token[3] not in _VOWELS + token[1]
    ):
        return token[2:]
    return token


def _split_abd(token: str) -> str | None:
    """`abdulrahman` -> `abdrahman`; None when the token is no glued ʿAbd- compound."""
    if not token.startswith("abd") or len(token) < 6:
        return None
    rest = token[3:]
    if rest[0] in _VOWELS:
        if (
            len(rest) >= 5
            and rest[1] == "l"
            or len(rest) >= 5
            and rest[1] == rest[2]
            and rest[1] not in _VOWELS
        ):
            rest = rest[2:]
        else:
            rest = rest[1:]
    return "abd" + rest if len(rest) >= 3 else None


def join_glued(token: str) -> tuple[str, str | None]:
    """Canonical form of a glued compound token and which rule applied.

    >>> join_glued("abdurrahman"), join_glued("nasrullah"), join_glued("noureddine")
    (('abdrahman', 'abd'), ('nasrallah', 'allah'), ('nouraldin', 'din'))
    """
    m = _GLUED_ALLAH.match(token)
    if m:
        return m.group(1) + "allah", "allah"
    m = _GLUED_ALLA.match(token)
    if m:
        return (m.group(1) or m.group(2)) + "allah", "allah"
    m = _GLUED_DIN.match(token)
    if m and len(token) >= 6:
        return m.group(1) + "aldin", "din"
    abd = _split_abd(token)
    if abd is not None:
        return abd, "abd"
    m = _GLUED_KUNYA.match(token)
    if m:
        return "abu" + m.group(1), "kunya"
    return token, None


@lru_cache(maxsize=WORD_CACHE)
def single_token(token: str) -> tuple[str, tuple[str, ...]]:
    """The rules that look at one token alone: a glued article, then a glued compound.

    >>> single_token("albaghdadi"), single_token("abdurrahman")
    (('baghdadi', ('article',)), ('abdrahman', ('abd',)))
    """
    stripped = strip_glued_article(token)
    notes = ("article",) if stripped != token else ()
    joined, rule = join_glued(stripped)
    return joined, notes + ((rule,) if rule else ())


def apply_particles(
    tokens: list[str], titles: frozenset[str] = TITLES
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Apply every particle rule to a token sequence; `titles` are the leading titles to set
    aside (ARABIC_TITLES for a name written in Arabic script).

    Returns (tokens with roles 'name' or 'particle' (nasab), leading titles set aside, notes of what was
    recognised).

    >>> apply_particles(["sheikh", "abu", "zainab", "al", "lami"])[0]
    [('abuzainab', 'name'), ('lami', 'name')]
    """
    if PARTICLE_WORDS.isdisjoint(tokens):
        # No word that a sequence rule looks at: each token stands alone (the common case).
        alone = [single_token(tok) for tok in tokens]
        return [(joined, "name") for joined, _ in alone], [], [n for _, ns in alone for n in ns]
    notes: list[str] = []
    found: list[str] = []
    toks = list(tokens)
    while len(toks) > 1:
        if toks[0] in titles:
            found.append(toks.pop(0))
        elif len(toks) > 2 and toks[0] in ARTICLES and toks[1] in titles:
            del toks[0]  # al-Shaykh, al-Hajj: the article goes with its title
            found.append(toks.pop(0))
        else:
            break
    # Articles first, so that "abd al-rahman" and "nur al-din" join across them.
    bare: list[str] = []
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and (
            tok in ARTICLES or (tok in SUN_ARTICLES and nxt.startswith(SUN_ARTICLES[tok]))
        ):
            notes.append("article")
            continue
        stripped = strip_glued_article(tok)
        if stripped != tok:
            notes.append("article")
        bare.append(stripped)
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(bare):
        prev = out[-1][0] if out and out[-1][1] == "name" else None
        if prev is not None and tok in _ALLAH_WORDS:
            out[-1] = (prev + "allah", "name")
            notes.append("allah")
        elif prev is not None and tok in _SUFFIX_WORDS:
            out[-1] = (prev + tok, "name")
            notes.append("suffix")
        elif prev is not None and tok in _DIN_WORDS:
            out[-1] = (prev + "aldin", "name")
            notes.append("din")
        elif prev is not None and prev in _ABD_HEADS and tok not in _ABD_HEADS:
            out[-1] = ("abd" + tok, "name")
            notes.append("abd")
        elif prev is not None and prev in KUNYA and len(out[-1][0]) <= 4 and tok not in KUNYA:
            out[-1] = (KUNYA[prev] + tok, "name")
            notes.append("kunya")
        elif tok in NASAB and 0 < i < len(bare) - 1:
            out.append((NASAB[tok], "particle"))
            notes.append("nasab")
        else:
            joined, rule = join_glued(tok)
            if rule:
                notes.append(rule)
            out.append((joined, "name"))
    return out, found, notes


# Every word a sequence rule (titles, articles, joins, kunya, nasab) looks at.
PARTICLE_WORDS = frozenset(
    TITLES
    | ARABIC_TITLES
    | ARTICLES
    | set(SUN_ARTICLES)
    | set(NASAB)
    | set(KUNYA)
    | _ABD_HEADS
    | _DIN_WORDS
    | _ALLAH_WORDS
    | _SUFFIX_WORDS
)
