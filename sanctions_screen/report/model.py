"""What an alert report shows, as data: the run's header, one card per alerted row with its hits
and their token alignment, the rows with errors. The page embeds it as JSON and builds the cards
from it."""

from __future__ import annotations

import builtins

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True)

# Score bands, highest first: (id, label, lowest score in the band).
BANDS: tuple[tuple[str, str, float], ...] = (
    ("very-high", "0.95 and above", 0.95),
    ("high", "0.90 to 0.95", 0.90),
    ("medium", "0.85 to 0.90", 0.85),
    ("low", "below 0.85", 0.0),
)


def band_of(score: float) -> tuple[str, str]:
    """The band (id, label) a score falls in.

    >>> band_of(0.93)
    ('high', '0.90 to 0.95')
    """
    for band, label, low in BANDS:
        if score >= low:
            return band, label
    return BANDS[-1][:2]


class TokenPair(BaseModel):
    """One aligned pair: the query word, the listed word, how they met, their similarity."""

    model_config = _FROZEN

    query: str
    listed: str
    how: str
    similarity: float


class ReportHit(BaseModel):
    """One hit of an alerted row, as a card shows it."""

    model_config = _FROZEN

    entry_id: str
    score: float
    band: str
    band_label: str
    matched_name: str
    kind: str | None = None
    list: str | None = None
    list_version: str | None = None
    programs: builtins.list[str] = Field(default_factory=builtins.list)
    other_names: builtins.list[str] = Field(default_factory=builtins.list)
    birth_dates: builtins.list[str] = Field(default_factory=builtins.list)
    nationalities: builtins.list[str] = Field(default_factory=builtins.list)
    matches: builtins.list[TokenPair] = Field(default_factory=builtins.list)
    unmatched_query: builtins.list[str] = Field(default_factory=builtins.list)
    unmatched_listed: builtins.list[str] = Field(default_factory=builtins.list)
    adjustments: builtins.list[str] = Field(default_factory=builtins.list)
    contradictions: builtins.list[str] = Field(default_factory=builtins.list)
    change: str | None = None  # a monitoring change: what happened and why
    decision: str | None = None  # the earlier decision on this customer and entry


class ReportCard(BaseModel):
    """One alerted row: the customer as screened, and its hits, best first."""

    model_config = _FROZEN

    id: str | None
    name: str
    row: int | None = None
    best: float
    hits: list[ReportHit]


class ReportError(BaseModel):
    """A row that was not screened, and why."""

    model_config = _FROZEN

    row: int | None
    id: str | None
    name: str | None
    error: str


class ListLine(BaseModel):
    """A list the rows were screened against."""

    model_config = _FROZEN

    name: str
    version: str
    sha256: list[str] = Field(default_factory=list)


class ReportData(BaseModel):
    """Everything the page shows."""

    model_config = _FROZEN

    source: str
    source_sha256: str
    kind: str  # "batch" or "monitoring"
    screened: str | None = None
    threshold: float | None = None
    library: str | None = None
    algorithm: str | None = None
    lists: list[ListLine] = Field(default_factory=list)
    rows: int = 0
    cards: list[ReportCard] = Field(default_factory=list)
    errors: list[ReportError] = Field(default_factory=list)
    closed: list[str] = Field(default_factory=list)  # monitoring: alerts closed, one line each

    @property
    def alerts(self) -> int:
        """Hits across every card."""
        return sum(len(c.hits) for c in self.cards)

    def band_counts(self) -> dict[str, int]:
        """Hits per score band, in band order."""
        counts = {band: 0 for band, _, _ in BANDS}
        for card in self.cards:
            for hit in card.hits:
                counts[hit.band] += 1
        return counts


__all__ = [
    "BANDS",
    "ListLine",
    "ReportCard",
    "ReportData",
    "ReportError",
    "ReportHit",
    "TokenPair",
    "band_of",
]
