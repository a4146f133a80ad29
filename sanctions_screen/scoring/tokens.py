"""Token-level types of the hot path: a query token, and how a query token met a listed one."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from ..names.origin import Origin


class QueryToken(NamedTuple):
    """One token of a screened name, as the index and the scorer use it."""

    raw: str  # as written (romanised), for explanations
    folded: str
    origin: Origin
    keys: tuple[str, ...]
    weight: float
    role: str  # see names.Token: name, particle, lineage, legal, generic, number
    readings: tuple[str, ...] = ()  # other folded forms it may stand for (names.readings)


# Roles whose tokens say something about who or what a name is: a hit needs one of them matched,
# as more than an initial. Legal forms, generic organisation words and particles alone never hit.
SUBSTANTIVE_ROLES = frozenset({"name", "lineage"})


class MatchKind(StrEnum):
    """How a query token met a listed one, as an explanation shows it."""

    EXACT = "exact"  # the same folded spelling
    VARIANT = "variant"  # a known romanisation or reading (Husayn / Hussein, Heysem / Haitham)
    CROSS_SCRIPT = "cross_script"  # one side in Arabic script, the other romanised
    TYPO = "typo"  # a keying error apart (scoring.typos)
    INITIAL = "initial"  # an initial and a word it begins
    GLUED = "glued"  # two words written as one on one side (Abdulrahman / Abdul Rahman)


def match_kind(
    query: str,
    query_origin: Origin,
    listed: str,
    listed_origin: Origin,
    similarity: float,
    tokens: int,
    variant: float = 1.0,
) -> MatchKind:
    """How two folded tokens met, given the similarity they were scored (`tokens` > 1: a glued
    pair on one side) and the most the two earn as spelling variants or readings (`variant`):
    what that does not explain came from the typo channel.

    >>> match_kind("zawarihi", Origin.LATIN, "zawahiri", Origin.LATIN, 0.90625, 1, 0.0).value
    'typo'
    """
    if tokens > 1:
        return MatchKind.GLUED
    if query_origin != listed_origin and Origin.ARABIC in (query_origin, listed_origin):
        return MatchKind.CROSS_SCRIPT
    if len(query) == 1 or len(listed) == 1:
        return MatchKind.INITIAL
    if query == listed:
        return MatchKind.EXACT
    return MatchKind.VARIANT if variant >= similarity - 1e-9 else MatchKind.TYPO
