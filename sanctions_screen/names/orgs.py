"""Organisation names: legal forms, generic words, numbers and initialisms, on romanised words.

Half of every sanctions list is organisations and vessels, written with the legal form spelled out
or abbreviated (Co., Ltd. / Company Limited; S.A. / Societe Anonyme / Sociedad Anonima), with
generic words (Trading, International, Airlines) and numbers in digits or words. Each is brought
to one form here, with a role that gives it little weight (see `scoring.weights`):

- legal forms: OpenSanctions' `rigour` table (ISO 20275 and more, maintained), in its generic
  compare form (llc, jsc, ...), role "legal";
- generic organisation words: `rigour`'s organisation symbols (SYMBOL and DOMAIN: Co / Company /
  Corporation, Trading / Trade, Airline / Airlines), role "generic", written as the symbol;
- numbers: ordinals from `rigour`'s table (First, 1st, Second, II) and English cardinals
  (One Hundred One) as digits, role "number";
- initialisms written with dots, spaces or hyphens (I.B.M., I B M) as one word.

A person's name is never read so (Ag Ghali is a Tuareg name, not Aktiengesellschaft). A name of
unknown kind is read so only where it is safe: a legal form at either end, initials when the
name is nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rigour._core import ordinals_dict
from rigour.names import NameTypeTag, analyze_names
from rigour.names.org_types import extract_org_types
from rigour.text.normalize import Cleanup, Normalize

from ..caches import WORD_CACHE
from .fold import fold_token

ORG_KINDS = frozenset({"organization", "vessel", "aircraft"})
_FLAGS = Normalize.CASEFOLD | Normalize.NFKD
_CLEANUP = Cleanup.Strong
# Arabic articles that legal-form tables also hold (AS: Norwegian aksjeselskap; as-Sadr).
_NOT_LEGAL = frozenset({"al", "el", "as", "ad", "ar", "at", "az", "an", "ash", "ath"})
# Words rigour's symbols leave out that name the same trade as one they have.
_EXTRA_SYMBOLS = {"air": "airline", "airways": "airline", "airway": "airline"}
_UNITS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * n
    for n, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2
    )
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


class OrgWord(NamedTuple):
    """A word of an organisation name as the org rules leave it."""

    word: str
    # "name", "legal", "generic", "number", or "symbol" (a generic word's form, weighed as a
    # name: an unknown kind); other roles pass through.
    role: str
    raw: str  # as written (for explanations)
    start: int  # the input words it stands for: words[start:end]
    end: int


def org_words(
    words: Sequence[str], kind: str | None, roles: Sequence[str] | None = None
) -> list[OrgWord]:
    """The romanised words of a name read by the organisation rules; unchanged for a person, or
    when no rule applies. `kind`: the entry's or query's kind (None: unknown); `roles`: the
    words' roles (default "name"; the rules read only names).

    >>> [w.word for w in org_words(["samsung", "electronics", "co", "ltd"], "organization")]
    ['samsung', 'electronic', 'llc']
    >>> [w.word for w in org_words(["battalion", "one", "hundred", "one"], None)]
    ['battalion', '101']
    """
    given = roles if roles is not None else ["name"] * len(words)
    plain = [OrgWord(w, r, w, i, i + 1) for i, (w, r) in enumerate(zip(words, given, strict=True))]
    if kind == "person" or not words:
        return plain
    org = kind in ORG_KINDS
    out = _numbers(plain)
    out = _legal_forms(out, org)
    return [_generic(w, org) for w in out]


def join_initials(words: Sequence[str], kind: str | None) -> list[str]:
    """Runs of single letters joined into one word: an initialism written with dots, spaces or
    hyphens (I.B.M., I B M, I-B-M is IBM). For an organisation, any run of two or more; for an
    unknown kind, only a name of nothing else; never for a person. Run before the particle rules,
    which would read a lone b as bin.

    >>> join_initials(["i", "b", "m"], None), join_initials(["j", "r", "smith"], None)
    (['ibm'], ['j', 'r', 'smith'])
    """
    if kind == "person":
        return list(words)
    joined = _initialisms(
        [OrgWord(w, "name", w, i, i + 1) for i, w in enumerate(words)], kind in ORG_KINDS
    )
    return [w.word for w in joined]


def _legal_forms(words: list[OrgWord], org: bool) -> list[OrgWord]:
    # Looked for in the words as written and as folded (Og folds to Ug, a legal form), so that
    # the normaliser reads its own output as it read the input.
    for folded in (False, True):
        forms = [_folded(w) if folded else w.word if w.role == "name" else "" for w in words]
        for alias, form in extract_org_types(" ".join(forms), _FLAGS, _CLEANUP, generic=True):
            words, forms = _replace_run(words, forms, alias.split(), form.lower(), org)
    return words


def _folded(w: OrgWord) -> str:
    # A word another rule reads as written (a generic word's own form, Co) is not folded; a word
    # that is no name (a particle) is no part of a legal form or a number.
    if w.role != "name":
        return ""
    if org_symbol(w.word) is not None or _is_number_word(w.word):
        return w.word
    return fold_token(w.word)


def _replace_run(
    words: list[OrgWord], forms: list[str], parts: list[str], legal: str, org: bool
) -> tuple[list[OrgWord], list[str]]:
    """Each run of `forms` equal to `parts` made one legal word (for an unknown kind, only
    where safe: see the module)."""
    n = len(parts)
    if n == 1 and org_symbol(parts[0]) == parts[0]:
        return words, forms  # a generic word's own form (Co) stays generic
    starts = [i for i in range(len(words) - n + 1) if forms[i : i + n] == parts]
    if not org:
        # An unknown kind: at the end, or at the start when more than two letters (OOO, JSC;
        # As-Sadr and Ag Ghali are names), never an Arabic article, never the whole name.
        long = len("".join(parts)) > 2
        starts = [
            i
            for i in starts
            if (i + n == len(words) or (i == 0 and long))
            and n < len(words)
            and " ".join(parts) not in _NOT_LEGAL
        ]
    for i in reversed(starts):
        raw = " ".join(w.raw for w in words[i : i + n])
        merged = OrgWord(legal, "legal", raw, words[i].start, words[i + n - 1].end)
        words = [*words[:i], merged, *words[i + n :]]
        forms = [*forms[:i], legal, *forms[i + n :]]
    return words, forms


def _numbers(words: list[OrgWord]) -> list[OrgWord]:
    # A word read as written, or else as folded (Then folds to ten), as for legal forms.
    forms = [
        w.word if w.role != "name" or _is_number_word(w.word) else fold_token(w.word) for w in words
    ]
    out: list[OrgWord] = []
    i = 0
    while i < len(words):
        end, value = _number_at(forms, i)
        if end > i:
            raw = " ".join(w.raw for w in words[i:end])
            out.append(OrgWord(str(value), "number", raw, words[i].start, words[end - 1].end))
            i = end
        else:
            out.append(words[i])
            i += 1
    return out


def _number_at(words: Sequence[str], start: int) -> tuple[int, int]:
    """(end, value) of the number written from `start` (end == start: none)."""
    if words[start].isdigit():
        return start + 1, int(words[start])
    single = ordinals().get(words[start])
    total = current = 0
    end = start
    for i in range(start, len(words)):
        w = words[i]
        if w in _UNITS or w in _TENS:
            current += _UNITS.get(w, 0) + _TENS.get(w, 0)
        elif w in _SCALES and end > start:
            scale = _SCALES[w]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif w == "and" and end > start and i + 1 < len(words) and words[i + 1] in _UNITS:
            continue
        else:
            break
        end = i + 1
    if end > start + 1 or (end == start + 1 and single is None):
        return end, total + current
    return (start + 1, single) if single is not None else (start, 0)


def _is_number_word(word: str) -> bool:
    return (
        word in _UNITS or word in _TENS or word in _SCALES or word in ordinals() or word.isdigit()
    )


@lru_cache(maxsize=1)
def ordinals() -> dict[str, int]:
    """One-word ordinals and number words of `rigour`'s table, lowercased: first, 1st, second, ii.

    >>> ordinals()["second"], ordinals()["2nd"]
    (2, 2)
    """
    out: dict[str, int] = {}
    for value, forms in sorted(ordinals_dict().items()):
        for form in forms:
            word = form.lower()
            if word.isascii() and word.isalnum() and len(word) > 1:
                out.setdefault(word, value)
    return out


def _initialisms(words: list[OrgWord], org: bool) -> list[OrgWord]:
    # A word that folds to one letter is an initial too (Aa is a), so that the result is the same
    # on the normaliser's own output; a letter written alone is joined as written, so that the
    # legal forms read next see what was written (S.A. de C.V. is sa de cv; folded, cv is kw).
    letters = [
        (w.word if len(w.word) == 1 else fold_token(w.word)) if w.role == "name" else ""
        for w in words
    ]
    single = [len(f) == 1 and f.isalpha() for f in letters]
    named = [s for s, w in zip(single, words, strict=True) if w.role == "name"]
    if not org and not (len(named) >= 2 and all(named)):
        return words
    out: list[OrgWord] = []
    for w, one, letter in zip(words, single, letters, strict=True):
        if one and out and out[-1].role == "initials":
            last = out[-1]
            out[-1] = OrgWord(
                last.word + letter, "initials", f"{last.raw} {w.raw}", last.start, w.end
            )
        elif one:
            out.append(OrgWord(letter, "initials", w.raw, w.start, w.end))
        else:
            out.append(w)
    # A lone initial stays an initial; two or more are one word (the role a name's).
    return [w._replace(role="name") if w.role == "initials" else w for w in out]


def _generic(w: OrgWord, org: bool) -> OrgWord:
    # For a name of unknown kind, a generic word meets its synonyms but keeps a name's role and
    # weight: a person's surname may be one (House, Bank, General).
    if w.role != "name":
        return w
    symbol = org_symbol(w.word) or org_symbol(fold_token(w.word))
    if symbol is None:
        return w
    return w._replace(word=symbol, role="generic" if org else "symbol")


@lru_cache(maxsize=WORD_CACHE)
def org_symbol(word: str) -> str | None:
    """The generic organisation word `word` stands for, as one lowercase word (the shortest of
    its `rigour` symbols, so that Co, Company and Corporation meet), or None.

    >>> org_symbol("company"), org_symbol("corporation"), org_symbol("airlines"), org_symbol("mahan")
    ('co', 'co', 'airline', None)
    """
    if word in _EXTRA_SYMBOLS:
        return _EXTRA_SYMBOLS[word]
    if not word.isalpha() or len(word) < 2:
        return None
    names = analyze_names(
        NameTypeTag.ORG, [word], phonetics=False, numerics=False, consolidate=False, rewrite=False
    )
    ids = sorted(
        (len(str(span.symbol.id)), str(span.symbol.id).lower())
        for name in names
        for span in name.spans
        if span.symbol.category.value in ("SYMBOL", "DOMAIN") and len(span.parts) == 1
    )
    if not ids:
        return None
    symbol = ids[0][1]
    if symbol != word and org_symbol(symbol) != symbol:
        return None  # a symbol whose own name reads otherwise could not be read back
    # A two-letter word is too often something else: only as its own symbol's start (Co).
    return symbol if len(word) > 2 or symbol.startswith(word) else None
