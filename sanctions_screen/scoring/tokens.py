"""Token-level types of the hot path: a query token, and how a query token met a listed one."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from ..names.origin import Origin
from .similarity import MIN_TOKEN_SIMILARITY, VARIANT_DISCOUNT
from .typos import typo_similarity

# The least similarity a romanised spelling variant earns (see similarity._floor).
LEAST_VARIANT = 1.0 - (1.0 - MIN_TOKEN_SIMILARITY) * VARIANT_DISCOUNT


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
    spelled: tuple[str, str] = ("", ""),
) -> MatchKind:
    """How two folded tokens met, given the similarity they were scored (`tokens` > 1: a glued
    pair on one side; `spelled`: the two as written). A typo is named only where the typo
    channel gave the similarity, on the folded or the written forms.

    >>> match_kind("zawarihi", Origin.LATIN, "zawahiri", Origin.LATIN, 0.90625, 1).value
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
    if query_origin == listed_origin == Origin.LATIN and similarity < LEAST_VARIANT - 1e-9:
        # Less than any romanised spelling variant earns: the typo channel's (on these
        # spellings, or on another spelling of the listed token).
        return MatchKind.TYPO
    typo = typo_similarity(query, listed, query_origin == Origin.ARABIC)
    if query_origin == Origin.LATIN and all(spelled):
        typo = max(typo, typo_similarity(*spelled))
    if typo >= similarity - 1e-9:
        return MatchKind.TYPO
    return MatchKind.VARIANT
