"""The typo channel: two tokens one keying error apart, whether or not they share a phonetic key.

A data-entry error (a dropped, doubled, inserted or mistyped letter, two letters swapped) often
moves a consonant, which breaks the phonetic key the romanisation rules meet on: Zawarihi for
Zawahiri, Haqqnai for Haqqani. Such tokens meet here, on their folded forms:

- one edit: an insertion, a deletion, a substitution, or two adjacent letters swapped (the
  optimal-string-alignment distance), or two letters swapped across one (Zawarihi / Zawahiri,
  one slip of the hand that the distance counts as two);
- two edits, where the longer token has `TWO_EDIT_LETTERS` letters or more;
- never for a token of fewer than `MIN_TYPO_LETTERS` letters (Ali / Adi, Amr / Amir are names),
  nor between tokens of different origins (a typo across scripts would stack two uncertainties).

A typo is weaker evidence than a known romanisation: each edit costs `TYPO_COST` (three quarters)
of a letter (`1 - TYPO_COST * edits / length`), where a romanisation variant of the same length
has its difference half forgiven (see `similarity`). The index finds these pairs by symmetric deletion (the
SymSpell method): two tokens within d edits share a string reached by deleting at most d letters
from each (`typo_keys`), plus, for the swap across one letter, the token with those two letters
put in order.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from ..caches import WORD_CACHE

MIN_TYPO_LETTERS = 4
# Each edit costs this share of a letter (a spelling variant's edit costs half a letter, see
# similarity), chosen on typo recall against false alerts (benchmarks/RESULTS.md).
TYPO_COST = 0.75
_FINAL_I = ("i", "y")
TWO_EDIT_LETTERS = 9


def typo_edits(a: str, b: str) -> int:
    """How many keying errors turn `a` into `b` (1 or 2), or 0 when they are not a typo apart
    (equal, too short, too different).

    >>> typo_edits("zawarihi", "zawahiri"), typo_edits("haknai", "hakani"), typo_edits("amr", "amir")
    (1, 1, 0)
    """
    shorter, longer = sorted((len(a), len(b)))
    if shorter < MIN_TYPO_LETTERS or a == b or longer - shorter > 2:
        return 0
    most = 2 if longer >= TWO_EDIT_LETTERS else 1
    edits = OSA.distance(a, b, score_cutoff=2)
    if edits <= most:
        return edits
    return 1 if edits == 2 and _swapped_across_one(a, b) else 0


def _swapped_across_one(a: str, b: str) -> bool:
    # The same letters but two, three apart, traded: a[i] == b[i+2] and a[i+2] == b[i].
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) != 2 or diff[1] - diff[0] != 2:
        return False
    return a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def typo_similarity(a: str, b: str, arabic: bool = False) -> float:
    """The similarity a typo earns: the share of letters that agree, 0 when not a typo apart.
    Two tokens from Arabic script must agree on a final long ī (ي, ی, ى), which makes another
    name (Mohammadi محمدی is not Mohammad محمد), not a slip.

    >>> typo_similarity("zawarihi", "zawahiri"), typo_similarity("mhmdy", "mhmd", arabic=True)
    (0.90625, 0.0)
    """
    if arabic and (a[-1:] in _FINAL_I) != (b[-1:] in _FINAL_I):
        return 0.0
    edits = typo_edits(a, b)
    return 1.0 - TYPO_COST * edits / max(len(a), len(b)) if edits else 0.0


@lru_cache(maxsize=WORD_CACHE)
def typo_keys(folded: str) -> tuple[str, ...]:
    """The strings under which the index files a token for the typo channel: the token itself,
    every form with one letter deleted (two, for `TWO_EDIT_LETTERS` letters or more), and every
    form with two letters one apart put in order (marked, so it never equals a deletion). Two
    tokens a typo apart share at least one key.

    >>> sorted(set(typo_keys("zawahiri")) & set(typo_keys("zawarihi")))
    ['4>zawahiri']
    """
    if len(folded) < MIN_TYPO_LETTERS:
        return ()
    once = {folded[:i] + folded[i + 1 :] for i in range(len(folded))}
    keys = {folded, *once}
    if len(folded) >= TWO_EDIT_LETTERS:
        keys.update(w[:i] + w[i + 1 :] for w in once for i in range(len(w)))
    for i in range(len(folded) - 2):
        first, last = sorted((folded[i], folded[i + 2]))
        keys.add(f"{i}>{folded[:i]}{first}{folded[i + 1]}{last}{folded[i + 3 :]}")
    return tuple(sorted(keys))
