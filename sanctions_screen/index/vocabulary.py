"""The index's vocabulary: every distinct token of the listed names, and the query side's tokens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..names import NormalizedName, normalize, phonetic_keys, written_words
from ..names.origin import Origin
from ..scoring.tokens import QueryToken
from ..scoring.typos import MIN_TYPO_LETTERS
from ..scoring.weights import token_weight


@dataclass
class Vocabulary:
    """Every distinct token of the loaded names (and each adjacent pair glued), as parallel lists."""

    folded: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    origin: list[Origin] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    split: list[int] = field(default_factory=list)  # a glued pair's second word starts here
    ids: dict[tuple[str, Origin, str], int] = field(default_factory=dict)
    # One string object per distinct key: tokens share keys (that is what the buckets are).
    interned: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        raw: str,
        folded: str,
        origin: Origin,
        keys: tuple[str, ...] | Callable[[], tuple[str, ...]],
        weight: float,
        role: str,
        split: int = 0,
    ) -> int:
        """The id of this token, adding it on first sight. `keys` may be a function that computes
        them, called only then (most glued pairs and readings repeat)."""
        ident = (folded, origin, role)
        tid = self.ids.get(ident)
        if tid is None:
            if callable(keys):
                keys = keys()
            tid = len(self.folded)
            self.ids[ident] = tid
            self.folded.append(folded)
            self.raw.append(raw)
            self.origin.append(origin)
            self.role.append(role)
            self.keys.append(tuple(self.interned.setdefault(k, k) for k in keys))
            self.weight.append(weight)
            self.split.append(split)
        return tid


def query_tokens(
    norm: NormalizedName,
) -> tuple[list[QueryToken], list[tuple[int, int]]]:
    """Query tokens with weights, then the glued pairs (i, i+1) of adjacent name tokens.

    >>> toks, pairs = query_tokens(normalize("Abdul Rahman Ali")); [t.folded for t in toks], pairs
    (['abdrahman', 'ali'], [(0, 1)])
    """
    toks = [
        QueryToken(
            t.raw,
            t.folded,
            t.origin,
            t.keys,
            token_weight(t.folded, t.keys[0], t.role, t.origin),
            t.role,
            t.readings,
        )
        for t in norm.tokens
    ]
    # Syllables of one written word glue (桂花, "gui hua": Guihua), two written words do not
    # (军 翟, a given and a family name, is not the word Jundi).
    word = written_words(norm)
    pairs = [
        (i, i + 1)
        for i in range(len(norm.tokens) - 1)
        if norm.tokens[i].role != "particle"
        and norm.tokens[i + 1].role != "particle"
        and (word[i] < 0 or word[i + 1] < 0 or word[i] == word[i + 1])
    ]
    return toks, pairs


def pair_keys(folded: str, origin: Origin, cached: bool = True) -> tuple[str, ...]:
    """The phonetic keys of two adjacent tokens glued, read as one romanised word; ذ ض ظ (the
    Arabic table's "q", which the romanised reading takes for ق) read as d.

    >>> pair_keys("hsinqahr", Origin.ARABIC)
    ('HSNTHR',)
    """
    # Romanised classes, as pair keys always were (the Arabic-script classes give more
    # alternative keys per pair, and the index holds every listed pair), with only the letter
    # the romanised reading would get wrong mapped first.
    if origin == Origin.ARABIC:
        folded = folded.replace("q", "d")
    return phonetic_keys(folded) if cached else phonetic_keys.__wrapped__(folded)


def glued(a: str, b: str) -> str:
    """Two adjacent tokens written as one (the form a glued spelling would fold to)."""
    return a + b


def surname_tokens(text: str, kind: str | None) -> int:
    """How many tokens the surname of a name written SURNAME, Given names has (its last tokens
    once normalised); 1 for a name written otherwise, which says nothing of it.

    >>> surname_tokens("GONZALEZ CARDENAS, Jorge", "person"), surname_tokens("AL-AMIRI, Adnan", None)
    (2, 1)
    """
    surname, comma, given = text.partition(",")
    if not comma or "," in given or len(surname.split()) < 2:
        return 1
    return max(1, len(normalize.__wrapped__(surname, kind).tokens))


def typo_eligible(folded: str, origin: Origin) -> bool:
    """Whether a token takes part in the typo channel: romanised or from Arabic script (a
    syllable's letters are not typed one by one), long enough, and no number.

    >>> typo_eligible("zawahiri", Origin.LATIN), typo_eligible("fang", Origin.SYLLABIC), typo_eligible("2024", Origin.LATIN)
    (True, False, False)
    """
    return (
        origin in (Origin.LATIN, Origin.ARABIC)
        and len(folded) >= MIN_TYPO_LETTERS
        and folded.isalpha()
    )


def pair_origin(a: Origin, b: Origin) -> Origin:
    """The origin of two adjacent tokens glued: Arabic if either is, syllabic if either is."""
    return (
        Origin.ARABIC
        if Origin.ARABIC in (a, b)
        else Origin.SYLLABIC
        if Origin.SYLLABIC in (a, b)
        else Origin.LATIN
    )
