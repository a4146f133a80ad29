"""Typos in the words that organisation names write their legal forms and generic words with
(Limited Liabilty Compnay, Obshchestvo s Ogranichenoy Otvetstvennostyu, Joint Stok Company).

Such a word is no longer read as part of a legal form: it weighs as a distinctive name word that
meets nothing, and sinks the score of a name otherwise written as listed (half the typos that
missed an organisation in benchmarks/second_step.py were there). A query word one keying error
(`scoring.typos`) from a word the loaded lists write legal forms with is put right, and kept so
only when the name then reads it as part of a legal form or as a generic word. The words come from
the lists themselves, so a list in another language brings its own; a person's name is never
read so, nor a word that a listed name is spelled with.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from ..caches import SMALL_CACHE
from ..names import NormalizedName, Token, normalize
from ..names.origin import Origin
from .typo_index import TypoIndex

MIN_LETTERS = 5  # the words corrected toward: the typo channel's own floor for a typo'd word
ORG_ROLES = frozenset({"legal", "generic"})
# A generic word in a name of unknown kind keeps a name's weight but meets its synonyms
# (`names.orgs`): a correction that makes one is kept too.
READ_AS_ORG = ORG_ROLES | {"symbol"}


def legal_word_list(
    name_raw: Sequence[Sequence[str]], name_tokens: Sequence[Sequence[int]], role: Sequence[str]
) -> list[str]:
    """The words of the listed names' legal forms and generic words, most used first.

    >>> legal_word_list([("limited liability company", "maketir")], [(0, 1)], ["legal", "name"])
    ['company', 'liability', 'limited']
    """
    counts: Counter[str] = Counter()
    for raws, tids in zip(name_raw, name_tokens, strict=True):
        for raw, tid in zip(raws, tids, strict=True):
            if role[tid] in ORG_ROLES:
                counts.update(w for w in raw.split() if len(w) >= MIN_LETTERS and w.isalpha())
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


class LegalWords:
    """The lists' legal-form words, and the correction of a query's typos in them. `listed`
    says whether a listed name is spelled with a word (such a word is never corrected).

    >>> words = LegalWords(["company", "limited", "liability"], listed=lambda w: False)
    >>> [t.role for t in words.correct("Limited Liability Compnay Maketir", "organization").tokens]
    ['legal', 'name']
    """

    def __init__(
        self,
        words: Sequence[str],
        listed: Callable[[str], bool],
        arrays: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        # `arrays`: the lookup's arrays as `arrays()` gave them (a saved index), not rebuilt.
        self.words = list(words)
        self._set = frozenset(self.words)
        self._lookup = (
            TypoIndex.from_arrays(self.words, *arrays)
            if arrays is not None
            else TypoIndex(self.words, [True] * len(self.words))
        )
        self._listed = listed
        self._nearest: dict[str, str | None] = {}  # query words looked up (most are repeats)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The typo lookup's arrays, to save beside `words`."""
        return self._lookup.arrays()

    def nearest(self, word: str) -> str | None:
        """The most used legal-form word a typo from `word`, or None.

        >>> LegalWords(["company"], listed=lambda w: False).nearest("compnay")
        'company'
        """
        if word in self._set:
            return None
        right = self._nearest.get(word, "")
        if right == "":
            if len(self._nearest) >= SMALL_CACHE:
                self._nearest.clear()  # a bound, not a policy: the words a batch repeats return
            found = self._lookup.lookup(word)
            right = self.words[int(found[0])] if len(found) else None
            self._nearest[word] = right
        return right

    def correct(self, name: str, kind: str | None) -> NormalizedName:
        """`name` normalised, with its typos in legal-form words put right where the corrected
        name reads them as legal or generic."""
        norm = normalize(name, kind)
        if kind == "person" or not self.words:
            return norm
        at = {fix[0].start(): fix for tok in norm.tokens if (fix := self._fix(tok, name))}
        fixes = [at[k] for k in sorted(at)]
        if not fixes:
            return norm
        # In a name of unknown kind, a word put right only into a generic word (which a person's
        # surname may be: Police for Polnce) needs a legal form or another generic word beside it.
        org_like = kind is not None or any(t.role in READ_AS_ORG for t in norm.tokens)
        # All at once first (two typos in one legal form: Liabilty Compnay), then one by one.
        groups = [fixes] + ([[f] for f in fixes] if len(fixes) > 1 else [])
        for group in groups:
            text = name
            for found, right in sorted(group, key=lambda f: -f[0].start()):
                text = text[: found.start()] + right + text[found.end() :]
            fixed = normalize(text, kind)
            legal = org_like or any(t.role == "legal" for t in fixed.tokens)
            if all(_reads_as_org(fixed, right, legal) for _, right in group):
                return fixed
        return norm

    def _fix(self, tok: Token, name: str) -> tuple[re.Match[str], str] | None:
        """Where `name` writes the token, and the word to write instead (None: leave it)."""
        word = tok.raw
        if tok.role != "name" or tok.origin != Origin.LATIN or not word.isalpha():
            return None
        right = self.nearest(word)
        if right is None or self._listed(word):
            return None
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", name, re.IGNORECASE)
        # Not found: written otherwise (folded accents), left as it is.
        return (found, right) if found is not None else None


def _reads_as_org(norm: NormalizedName, word: str, symbol_too: bool) -> bool:
    roles = {t.role for t in norm.tokens if word in t.raw.split()}
    return "legal" in roles or "generic" in roles or (symbol_too and "symbol" in roles)


__all__ = ["LegalWords", "legal_word_list"]
