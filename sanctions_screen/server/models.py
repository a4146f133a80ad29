"""The native API's request and response bodies (the yente-compatible ones are in `yente`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import DecisionKind, ListInfo, ScreenResult
from ..query import MAX_NAME_LENGTH

MAX_BATCH = 1000  # names per POST /screen/batch
MAX_LIMIT = 1000  # hits per name


class ScreenRequest(BaseModel):
    """One name to screen, with the options of `Screener.screen`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, examples=["Hussein Falih Aziz"])
    kind: str | None = Field(None, max_length=40, examples=["person"])
    birth_date: str | None = Field(None, max_length=40, examples=["1969-06-20"])
    nationality: str | None = Field(None, max_length=80, examples=["IQ"])
    subject_id: str | None = Field(None, max_length=200, examples=["C-1017"])
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    secondary: Literal["keep", "exclude"] = "keep"


class BatchRequest(BaseModel):
    """Up to MAX_BATCH names, each with its own options."""

    model_config = ConfigDict(extra="forbid")

    names: list[ScreenRequest] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItem(BaseModel):
    """One name's result, or why it could not be screened (the others are still answered)."""

    result: ScreenResult | None = None
    error: str | None = None


class BatchResponse(BaseModel):
    """One item per name, in order."""

    results: list[BatchItem]


class CompareRequest(BaseModel):
    """Two names to score against each other."""

    model_config = ConfigDict(extra="forbid")

    a: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, examples=["Abd al-Rahman"])
    b: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, examples=["Abdurrahman"])


class CompareResponse(BaseModel):
    """The score, 0 to 1."""

    score: float


class ListsResponse(BaseModel):
    """The lists in use, with their versions, files' sha256 and entry counts."""

    lists: list[ListInfo]
    loaded_at: str | None = None
    update_error: str | None = None


class Health(BaseModel):
    """The process answers."""

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    """Whether an index is loaded, which list versions it holds, and the last update's error
    (the previous lists are still served then)."""

    ready: bool
    lists: list[tuple[str, str]] = Field(default_factory=list)
    loaded_at: str | None = None
    update_error: str | None = None


class DecisionRequest(BaseModel):
    """An analyst's decision on one hit: the subject is screened as given, and the entry must be
    among its hits (see `DecisionStore.record`)."""

    model_config = ConfigDict(extra="forbid")

    subject_id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    kind: str | None = Field(None, max_length=40)
    birth_date: str | None = Field(None, max_length=40)
    nationality: str | None = Field(None, max_length=80)
    entry_id: str = Field(min_length=1, max_length=300)
    decision: DecisionKind
    reason: str = Field(min_length=1, max_length=2000)
    analyst: str = Field(min_length=1, max_length=200)


class ErrorBody(BaseModel):
    """What every error answers: a message, never a stack trace."""

    detail: str


__all__ = [
    "MAX_BATCH",
    "MAX_LIMIT",
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "CompareRequest",
    "CompareResponse",
    "DecisionRequest",
    "ErrorBody",
    "Health",
    "ListsResponse",
    "Ready",
    "ScreenRequest",
]
