"""What a monitoring run reports: the open alerts, the changes it made, and the run itself. The
change schema (the delta output's columns) is defined here, once."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import ListInfo

ChangeKind = Literal["new_alert", "updated", "closed", "error"]
RunMode = Literal["full", "delta"]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Alert(BaseModel):
    """An open alert: a customer whose screening hits a listed entry, and was not cleared.
    `decision_id` names an earlier decision on the pair that no longer suppresses it (the
    customer or the entry changed since), or a true match.

    >>> Alert(customer_id="C1", customer_name="Ali", entry_id="x:1", list="x", list_version="1",
    ...       score=0.9, matched_name="ALI", explanation="Ali~ALI:exact", opened_run=1, updated_run=1).score
    0.9
    """

    model_config = _FROZEN

    customer_id: str
    customer_name: str
    entry_id: str
    list: str
    list_version: str
    score: float
    matched_name: str
    explanation: str
    decision_id: int | None = None
    opened_run: int
    updated_run: int


class AlertChange(BaseModel):
    """One change a run made: an alert opened (`new_alert`), its score or matched name changed
    (`updated`, with `previous_score`), an alert `closed`, or a customer row that could not be
    screened (`error`, with its input `row`); `reason` says why. `hit` holds an opened or
    updated alert's hit as JSON (`records.hit_record`: the aligned tokens, the entry's kind,
    programmes, other names and birth dates), for a report to show.

    >>> AlertChange(run=2, change="closed", reason="entry delisted", customer_id="C1", entry_id="x:1").change
    'closed'
    """

    model_config = _FROZEN

    run: int
    change: ChangeKind
    reason: str
    customer_id: str | None = None
    customer_name: str | None = None
    entry_id: str | None = None
    list: str | None = None
    list_version: str | None = None
    score: float | None = None
    previous_score: float | None = None
    matched_name: str | None = None
    explanation: str | None = None
    decision_id: int | None = None
    row: int | None = None
    hit: str | None = None


# The delta output's columns and their types (CSV header, JSON-lines keys, Parquet columns).
_TYPES = {
    "run": "int",
    "row": "int",
    "decision_id": "int",
    "score": "float",
    "previous_score": "float",
}
CHANGE_SCHEMA: tuple[tuple[str, str], ...] = tuple(
    (name, _TYPES.get(name, "str")) for name in AlertChange.model_fields
)


class MonitorRun(BaseModel):
    """One monitoring run: its number, when, how (`full`: every customer against the whole lists;
    `delta`: new and changed customers against the whole lists, the others against the entries
    added or changed), the lists screened, its counts, its changes and the alerts open after it.

    >>> MonitorRun(run=1, time="2026-12-02T10:00:00+00:00", mode="full", lists=[]).changes
    []
    """

    model_config = _FROZEN

    run: int
    time: str
    mode: RunMode
    lists: list[ListInfo]
    counts: dict[str, int] = Field(default_factory=dict)
    changes: list[AlertChange] = Field(default_factory=list)
    open_alerts: list[Alert] = Field(default_factory=list)


__all__ = ["CHANGE_SCHEMA", "Alert", "AlertChange", "ChangeKind", "MonitorRun", "RunMode"]
