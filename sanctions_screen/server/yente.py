"""The yente-compatible part of the API: its request and response shapes (OpenSanctions' yente,
`/match/{dataset}`, `/entities/{id}`, `/catalog`, `/algorithms`, `/-/version`), and the mapping
between FollowTheMoney entities and this library's queries and entries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..models import Entry, Hit
from ..query import Request
from ..scoring.qualifiers import birth_date_text, nationality_text
from ..screener import DEFAULT_THRESHOLD

ALGORITHM = "sanctions-screen"
MAX_QUERIES = 1000
# FtM schemata and this library's entity kinds; other schemata screen as an unknown kind.
SCHEMA_KIND = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
KIND_SCHEMA = {
    "person": "Person",
    "organization": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "unknown": "LegalEntity",
}
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
NAME_KIND_PROP = {
    "primary": "name",
    "aka": "alias",
    "fka": "previousName",
    "weak": "weakAlias",
    "original_script": "alias",
}


class EntityExample(BaseModel):
    """One query: an FtM schema and its properties (each a value or a list of values)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    id: str | None = None
    schema_: str = Field("LegalEntity", alias="schema", max_length=100, examples=["Person"])
    properties: dict[str, list[Any] | str] = Field(
        default_factory=dict, examples=[{"name": ["Hussein Falih Aziz"], "birthDate": ["1969"]}]
    )


class MatchRequest(BaseModel):
    """yente's /match body: queries keyed by the caller's ids (weights and config tolerated)."""

    model_config = ConfigDict(extra="allow")

    queries: dict[str, EntityExample] = Field(max_length=MAX_QUERIES)
    weights: dict[str, float] = Field(default_factory=dict)


class MatchParams(BaseModel):
    """yente's /match query parameters (others are tolerated and ignored). `cutoff`, below the
    threshold, lists near misses too; `algorithm` is accepted and answered with this library's."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(5, ge=1, le=500)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    cutoff: float | None = Field(None, ge=0.0, le=1.0)
    algorithm: str = ALGORITHM
    exclude_entity_ids: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, values: Any) -> MatchParams:
        """The parameters of a query string (a multi-dict, as Starlette's `QueryParams`: `get`
        and `getlist`); ValidationError when one is out of range.

        >>> from starlette.datastructures import QueryParams
        >>> p = MatchParams.of(QueryParams("limit=3&exclude_entity_ids=a&exclude_entity_ids=b"))
        >>> p.limit, p.exclude_entity_ids
        (3, ['a', 'b'])
        """
        raw: dict[str, Any] = {k: values.get(k) for k in _SINGLE_PARAMS if k in values}
        if "exclude_entity_ids" in values:
            raw["exclude_entity_ids"] = values.getlist("exclude_entity_ids")
        return cls.model_validate(raw)

    @classmethod
    def openapi(cls) -> list[dict[str, Any]]:
        """The parameters as OpenAPI documents them (the route reads them itself: FastAPI's
        per-parameter handling cost a tenth of a one-name request).

        >>> [p["name"] for p in MatchParams.openapi()][:2]
        ['limit', 'threshold']
        """
        props = cls.model_json_schema()["properties"]
        return [
            {"name": name, "in": "query", "required": False, "schema": schema}
            for name, schema in props.items()
        ]


_SINGLE_PARAMS = ("limit", "threshold", "cutoff", "algorithm")


class EntityResponse(BaseModel):
    """A listed entry as an FtM entity."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    """A match result: the entity with its score, whether it passes the threshold, features."""

    score: float
    match: bool
    features: dict[str, float] = Field(default_factory=dict)


class TotalSpec(BaseModel):
    """How many results there are."""

    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    """One query's answer."""

    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample
    error: str | None = None


class MatchResponse(BaseModel):
    """yente's /match answer: responses keyed by the caller's query ids."""

    responses: dict[str, EntityMatches]
    matcher: dict[str, Any]
    limit: int


def _values(props: dict[str, list[Any] | str], key: str) -> list[str]:
    raw = props.get(key) or []
    items = [raw] if isinstance(raw, str) else raw
    return [str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip()]


def _first_valid(values: list[str], check: Any) -> str | None:
    """The first value the scorer can read (yente ignores what it cannot parse, so do we)."""
    for v in values:
        try:
            check(v)
        except ValueError:
            continue
        return v
    return None


def query_requests(example: EntityExample) -> list[Request]:
    """The screenings one FtM query stands for: each of its names (name, alias, weakAlias,
    previousName, or firstName with lastName), with its schema's kind, its first readable birth
    date and nationality (nationality, citizenship, then country). ValueError when it has no name.

    >>> [r.name for r in query_requests(EntityExample(schema="Person", properties={"name": "Ali Hassan"}))]
    ['Ali Hassan']
    """
    props = example.properties
    names = [n for key in NAME_PROPS for n in _values(props, key)]
    first, last = _values(props, "firstName"), _values(props, "lastName")
    if first and last:
        names.append(f"{first[0]} {last[0]}")
    names = list(dict.fromkeys(n for n in names if n))[:20]
    if not names:
        raise ValueError(
            "the query has no name (properties name, alias, or firstName and lastName)"
        )
    kind = SCHEMA_KIND.get(example.schema_)
    born = _first_valid(_values(props, "birthDate"), birth_date_text)
    country = _first_valid(
        [
            *_values(props, "nationality"),
            *_values(props, "citizenship"),
            *_values(props, "country"),
        ],
        nationality_text,
    )
    return [Request(n, kind, born, country) for n in names]


def entity(entry: Entry) -> EntityResponse:
    """An entry as an FtM entity: names by kind, birth dates, nationalities, programmes.

    >>> from sanctions_screen import Name
    >>> entity(Entry(list="x", source_id="1", kind="person", names=[Name(full="Ali")])).schema_
    'Person'
    """
    props: dict[str, list[str]] = {}
    for n in entry.names:
        props.setdefault(NAME_KIND_PROP.get(n.kind, "alias"), []).append(n.full)
    for key, values in (
        ("birthDate", entry.birth_dates),
        ("nationality", entry.nationalities),
        ("program", entry.programs),
        ("gender", [entry.gender] if entry.gender else []),
        ("notes", [entry.remarks] if entry.remarks else []),
    ):
        if values:
            props[key] = list(values)
    props["topics"] = ["sanction"]
    return EntityResponse(
        id=entry.id,
        caption=entry.names[0].full,
        schema=KIND_SCHEMA.get(entry.kind, "LegalEntity"),
        properties=props,
        datasets=[entry.list],
        referents=[entry.source_id],
    )


def scored(hit: Hit, threshold: float) -> ScoredEntityResponse:
    """A hit as a match result; `match` when its score reaches the caller's threshold."""
    base = entity(hit.entry)
    return ScoredEntityResponse(
        **base.model_dump(by_alias=True),
        score=hit.score,
        match=hit.score >= threshold,
        features={"name_score": round(hit.explanation.name_score, 4)},
    )


__all__ = [
    "ALGORITHM",
    "EntityExample",
    "EntityMatches",
    "EntityResponse",
    "MatchParams",
    "MatchRequest",
    "MatchResponse",
    "ScoredEntityResponse",
    "TotalSpec",
    "entity",
    "query_requests",
    "scored",
]
