"""sanctions_screen: screen names of people and organisations against sanctions lists.

>>> import sanctions_screen as ss
>>> ss.screen("Abu Zainab al-Lami").hits[0].entry.id
'us_ofac_sdn:27994'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .bundled import SampleListWarning, bundled_list, default_screener, screen
from .compare import compare
from .decisions import DecisionStore
from .errors import ListFormatError
from .models import (
    Decision,
    Entry,
    Explanation,
    Hit,
    Name,
    PriorDecision,
    QueryOptions,
    ScreenResult,
    TokenMatch,
    Watchlist,
)
from .screener import DEFAULT_THRESHOLD, Screener
from .sources import load_list

__all__ = [
    "DEFAULT_THRESHOLD",
    "Decision",
    "DecisionStore",
    "Entry",
    "Explanation",
    "Hit",
    "ListFormatError",
    "Name",
    "PriorDecision",
    "QueryOptions",
    "SampleListWarning",
    "ScreenResult",
    "Screener",
    "TokenMatch",
    "Watchlist",
    "__version__",
    "bundled_list",
    "compare",
    "default_screener",
    "load_list",
    "screen",
]
