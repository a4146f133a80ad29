"""Token weights: how much a name part says about identity, from a shipped frequency table.

The table counts how many entries of the lists we have, and persons of the name data, carry each
folded token, and each phonetic key (`sanctions_screen/data/token_frequencies.json`, built by
`scripts/build_token_frequencies.py`). Shipping it, rather than counting whatever lists are loaded,
keeps a score from swinging because an unrelated list was added.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from ..caches import WORD_CACHE
from ..names.origin import Origin

PARTICLE_WEIGHT = 0.3
# An organisation's legal form (LLC, JSC) and generic words (Trading, Company, Bank) say little
# about which organisation it is; a number says more, but alone names no one (see names.orgs).
LEGAL_WEIGHT = 0.3
GENERIC_WEIGHT = 1.5
NUMBER_WEIGHT = 2.0
# A generic organisation word in a name of unknown kind (see names.orgs): a common name's weight,
# since it may be a person's surname (House, Bank), whatever its symbol's rarity.
SYMBOL_WEIGHT = 2.0
# A name after bin/ibn is a father's or forefather's: short forms of the name drop it.
LINEAGE_FACTOR = 0.5
INITIAL_WEIGHT = 0.5
MIN_WEIGHT = 0.4
_OFFSET = 2.0


@lru_cache(maxsize=1)
def frequency_table() -> tuple[int, dict[str, int], dict[str, int]]:
    """(names counted, folded token -> how many carry it, phonetic key -> how many carry it).

    >>> total, tokens, keys = frequency_table(); total > 0 and tokens["muhamad"] > 100
    True
    """
    path = resources.files("sanctions_screen") / "data" / "token_frequencies.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return int(data["total_names"]), dict(data["tokens"]), dict(data["keys"])


def common_tokens() -> list[str]:
    """The folded tokens the shipped table counts (name parts of the lists and name data we
    have), sorted.

    >>> "muhamad" in common_tokens()
    True
    """
    return sorted(frequency_table()[1])


def token_frequency(folded: str, primary_key: str, origin: Origin = Origin.LATIN) -> int:
    """How many counted names carry this token: by its folded form; a token romanised from Arabic
    script (its short vowels missing, so rarely spelled as counted) by its phonetic key, when the
    key has three letters or more (shorter keys are shared by too many different names). Anything else unseen counts 0.

    >>> token_frequency("aziz", "T") > 10, token_frequency("hsin", "HSN", Origin.ARABIC) > 100, token_frequency("zzqx", "T")
    (True, True, 0)
    """
    _, tokens, keys = frequency_table()
    if folded in tokens:
        return tokens[folded]
    if origin == Origin.ARABIC and len(primary_key) >= 3:
        return keys.get(primary_key, 0)
    return 0


@lru_cache(maxsize=WORD_CACHE)
def token_weight(folded: str, primary_key: str, role: str, origin: Origin = Origin.LATIN) -> float:
    """Weight of one token: inverse name frequency of its key, small for particles and initials.

    >>> token_weight("muhamad", "MHMT", "name") < token_weight("lami", "LM", "name")
    True
    """
    if role in ("particle", "legal"):
        return PARTICLE_WEIGHT if role == "particle" else LEGAL_WEIGHT
    if role == "generic":
        return GENERIC_WEIGHT
    if role in ("number", "symbol"):
        return NUMBER_WEIGHT if role == "number" else SYMBOL_WEIGHT
    if role == "lineage":
        return LINEAGE_FACTOR * token_weight(folded, primary_key, "name", origin)
    if len(folded) <= 1:
        return INITIAL_WEIGHT
    total = frequency_table()[0]
    df = token_frequency(folded, primary_key, origin)
    return max(MIN_WEIGHT, math.log((total + 1) / (df + 1)) - _OFFSET)
