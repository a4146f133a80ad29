"""Where a token's letters came from, which decides how it is compared (see scoring.similarity)."""

from __future__ import annotations

from enum import IntEnum


class Origin(IntEnum):
    """A token's origin; the values index the origin column of a token table.

    >>> Origin.ARABIC, int(Origin.SYLLABIC)
    (<Origin.ARABIC: 1>, 2)
    """

    LATIN = 0  # written in Latin letters (or romanised by unidecode)
    ARABIC = 1  # romanised from Arabic script by our table: short vowels missing, not absent
    SYLLABIC = 2  # romanised from a syllabic script (Chinese, Korean, Japanese): syllables
