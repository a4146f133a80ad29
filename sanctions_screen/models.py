"""The pydantic models users see: what a list holds and what a screen returns.

The hot path never builds these per candidate; the screener turns plain tuples into
models only for the hits it returns.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    from .listdiff import ListDiff

NameKind = Literal["primary", "aka", "fka", "weak", "original_script"]
EntryKind = Literal["person", "organization", "vessel", "aircraft", "unknown"]
# The version of the ScreenResult layout (its JSON form): 2 added hit_count, truncated, options,
# and Hit.contradictions; 3 added TokenMatch.kind (how two tokens met); 4 added subject_id,
# suppressed and Hit.decision (analyst decisions).
RESULT_SCHEMA_VERSION = 4

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Name(BaseModel):
    """One name of a listed entry, as the publisher writes it.

    >>> Name(full="AL-LAMI, Hussein Falah").kind
    'primary'
    """

    model_config = _FROZEN

    full: str
    kind: NameKind = "primary"
    script: str | None = None

    @field_validator("full")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a name must not be empty")
        return value


class Entry(BaseModel):
    """A listed person, organisation, vessel or aircraft with all its names.

    `id` is "list:source_id"; left out, it is made from the two.

    >>> e = Entry(list="us_ofac_sdn", source_id="27994",
    ...           kind="person", names=[Name(full="AL-LAMI, Hussein Falah")])
    >>> e.id, e.names[0].full
    ('us_ofac_sdn:27994', 'AL-LAMI, Hussein Falah')
    """

    model_config = _FROZEN

    # `list` names the list an entry is on (the field name); the other fields spell the
    # builtin as builtins.list so that type checkers do not read it as this field.
    id: str = ""  # made from list and source_id when left out (see _derive_id)
    list: str
    source_id: str
    kind: EntryKind = "unknown"
    names: builtins.list[Name]
    birth_dates: builtins.list[str] = Field(default_factory=builtins.list)
    nationalities: builtins.list[str] = Field(default_factory=builtins.list)
    gender: str | None = None
    programs: builtins.list[str] = Field(default_factory=builtins.list)
    remarks: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        # The id is always "list:source_id": loaders leave it out, and it is made here, once.
        if isinstance(data, dict) and "id" not in data and "list" in data and "source_id" in data:
            return {**data, "id": f"{data['list']}:{data['source_id']}"}
        return data

    @model_validator(mode="after")
    def _check_id(self) -> Entry:
        if self.id != f"{self.list}:{self.source_id}":
            raise ValueError(f"entry id {self.id!r} must be '{self.list}:{self.source_id}'")
        if not self.names:
            raise ValueError(f"entry {self.id} has no names")
        return self


class Watchlist(BaseModel):
    """A loaded list: its name, the version the file states (else a content hash), its entries.

    `sources` maps each file read to its sha256, so a result can name exactly what it used;
    `notes` reports what the loader tolerated (for example aliases whose entry is missing).

    >>> Watchlist(name="custom", version="v1", entries=[]).name
    'custom'
    """

    model_config = _FROZEN

    name: str
    version: str
    entries: list[Entry]
    sources: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)

    def diff(self, older: Watchlist) -> ListDiff:
        """What changed since `older`, an earlier version of this list: entries added, removed,
        and changed in what screening reads (see `listdiff`).

        >>> Watchlist(name="x", version="2", entries=[]).diff(Watchlist(name="x", version="1", entries=[])).summary()
        'x 1 -> 2: 0 added, 0 removed, 0 changed'
        """
        from .listdiff import diff_lists

        return diff_lists(self, older)


class ListInfo(BaseModel):
    """What a screener knows of one loaded list: name, version, the sha256 of each file read,
    the loader's notes and the number of entries (kept in a saved index, shown by the CLI).

    >>> ListInfo.of(Watchlist(name="custom", version="v1", entries=[])).entries
    0
    """

    model_config = _FROZEN

    name: str
    version: str
    sources: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    entries: int = 0

    def brief(self) -> dict[str, Any]:
        """Name, version and the files' sha256s, as audit records and batch manifests hold them.

        >>> ListInfo(name="x", version="1", sources={"a.csv": "ab"}).brief()
        {'name': 'x', 'version': '1', 'sha256': ['ab']}
        """
        return {"name": self.name, "version": self.version, "sha256": sorted(self.sources.values())}

    @classmethod
    def of(cls, watchlist: Watchlist) -> ListInfo:
        """The ListInfo of a loaded list."""
        return cls(
            name=watchlist.name,
            version=watchlist.version,
            sources=watchlist.sources,
            notes=watchlist.notes,
            entries=len(watchlist.entries),
        )


MatchKindName = Literal["exact", "variant", "cross_script", "typo", "initial", "glued"]


class TokenMatch(BaseModel):
    """One aligned pair of tokens in a hit's explanation; `kind` says how they met: the same
    spelling, a known romanisation or reading (variant), across scripts, a typo, an initial, or
    two words glued on one side.

    >>> TokenMatch(query="Zawarihi", listed="ZAWAHIRI", similarity=0.875, weight=6.0, kind="typo").kind
    'typo'
    """

    model_config = _FROZEN

    query: str
    listed: str
    similarity: float
    weight: float
    kind: MatchKindName = "variant"


class Explanation(BaseModel):
    """Why a hit scored what it did: the aligned tokens, the unmatched ones, the adjustments."""

    model_config = _FROZEN

    name_score: float
    matches: list[TokenMatch] = Field(default_factory=list)
    unmatched_query: list[str] = Field(default_factory=list)
    unmatched_listed: list[str] = Field(default_factory=list)
    adjustments: list[str] = Field(default_factory=list)

    def brief(self) -> str:
        """The aligned tokens on one line, as "query~listed:how" pairs (audit records, alerts).

        >>> Explanation(name_score=1.0, matches=[TokenMatch(query="Ali", listed="ALI", similarity=1.0, weight=1.0, kind="exact")]).brief()
        'Ali~ALI:exact'
        """
        return " ".join(f"{m.query}~{m.listed}:{m.kind}" for m in self.matches)


DecisionKind = Literal["false_positive", "true_match"]


class Decision(BaseModel):
    """An analyst's decision on one hit of one subject (a customer): a `false_positive`, cleared,
    or a `true_match`. The two fingerprints (see `fingerprints`) record the subject's screened data
    and the entry's matching data when it was made: it applies only while both still match.
    `query`, `list`, `list_version` and `score` record what the analyst saw (None in decisions
    migrated from the first schema).

    >>> Decision(id=1, subject_id="C1", entry_id="us_ofac_sdn:1", decision="false_positive",
    ...          analyst="ana", reason="other birth date", time="2026-12-02T10:00:00+00:00",
    ...          subject_fingerprint="a", entry_fingerprint="b").decision
    'false_positive'
    """

    model_config = _FROZEN

    id: int
    subject_id: str
    entry_id: str
    decision: DecisionKind
    analyst: str
    reason: str
    time: str
    subject_fingerprint: str
    entry_fingerprint: str
    query: str | None = None
    list: str | None = None
    list_version: str | None = None
    score: float | None = None


class PriorDecision(BaseModel):
    """The decision on record for a hit's subject and entry. `applies` when neither the subject
    nor the entry changed since (`changed` names which did): a false positive that applies
    suppresses the hit; one that does not is shown with the hit, for context.

    >>> sorted(PriorDecision.model_fields)
    ['applies', 'changed', 'decision']
    """

    model_config = _FROZEN

    decision: Decision
    applies: bool
    changed: builtins.list[Literal["subject", "entry"]] = Field(default_factory=builtins.list)


class Hit(BaseModel):
    """One listed entry that matched a query, with its score in [0, 1] and the reason.

    `contradictions` lists what the query's secondary data (birth date, nationality) says against
    the entry; such a hit is kept when its name alone reaches the threshold, with its score
    lowered, so it can sit below the threshold (see `Screener.screen`, `secondary`).

    >>> # hit = screener.screen("Abu Zainab al-Lami").hits[0]; hit.entry.id -> 'us_ofac_sdn:27994'
    """

    model_config = _FROZEN

    entry: Entry
    score: float = Field(ge=0.0, le=1.0)
    matched_name: str
    explanation: Explanation
    contradictions: list[str] = Field(default_factory=list)
    decision: PriorDecision | None = None


class QueryOptions(BaseModel):
    """The options a screen ran with, as the scorer read them (a birth date in ISO form).

    >>> QueryOptions().secondary
    'keep'
    """

    model_config = _FROZEN

    kind: EntryKind | None = None
    birth_date: str | None = None
    nationality: str | None = None
    limit: int = 10
    secondary: Literal["keep", "exclude"] = "keep"


class ScreenResult(BaseModel):
    """The answer to one screen: the query, its hits (best first), and what it was screened against.

    `hit_count` counts every hit, `hits` holds at most `options.limit` of them, and `truncated`
    says that `limit` cut some off. With a decision store and a `subject_id`, the hits an analyst
    cleared for this subject (decision still applying) are in `suppressed`, not in `hits`.

    >>> ScreenResult(query="x", hits=[], threshold=0.8, lists=[("custom", "v1")], algorithm="a").truncated
    False
    """

    model_config = _FROZEN

    schema_version: int = RESULT_SCHEMA_VERSION
    query: str
    hits: list[Hit]
    threshold: float
    lists: list[tuple[str, str]]
    algorithm: str
    hit_count: int = 0
    truncated: bool = False
    options: QueryOptions = Field(default_factory=QueryOptions)
    subject_id: str | None = None
    suppressed: list[Hit] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _count(cls, data: Any) -> Any:
        # hit_count defaults to the hits given; truncated is always derived, never contradicts.
        if isinstance(data, dict):
            shown = len(data.get("hits") or [])
            count = max(int(data.get("hit_count") or 0), shown)
            data = {**data, "hit_count": count, "truncated": count > shown}
        return data
