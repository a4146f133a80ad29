"""One output row per input row: the row schema, and screening a chunk of rows into it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Hit
from ..query import Request, Secondary
from ..records import hit_record
from ..screener import Screener

# The output schema, defined once: CSV header, JSON-lines keys and Parquet columns.
# `row` counts data rows from 1; `line` is the row's physical line in the input file (CSV: its
# header is line 1; none for Parquet); `hit_count` counts every hit, `hits` holds at most
# `--limit` of them and `hits_truncated` says when some were cut; `suppressed` holds the hits an
# analyst cleared for this row's id (a decision store), each with its decision's id.
OUTPUT_SCHEMA: tuple[tuple[str, str], ...] = (
    ("row", "int"),
    ("line", "int"),
    ("id", "str"),
    ("name", "str"),
    ("hit_count", "int"),
    ("hits_truncated", "bool"),
    ("best_score", "float"),
    ("best_entry_id", "str"),
    ("best_matched_name", "str"),
    ("hits", "str"),
    ("suppressed_count", "int"),
    ("suppressed", "str"),
    ("error", "str"),
)
OUTPUT_COLUMNS = tuple(name for name, _ in OUTPUT_SCHEMA)


@dataclass
class InputRow:
    """One input row: its 1-based number, its input line, the fields the screen needs, or why
    it is bad."""

    row: int
    id: str | None = None
    name: Any = None
    birth_date: str | None = None
    nationality: str | None = None
    kind: str | None = None
    error: str | None = None
    line: int | None = None


def _hits_json(hits: Sequence[Hit]) -> str:
    return json.dumps([hit_record(h) for h in hits], ensure_ascii=False)


def _empty_row(item: InputRow) -> dict[str, Any]:
    return {
        "row": item.row,
        "line": item.line,
        "id": item.id,
        "name": item.name if isinstance(item.name, str) else None,
        "hit_count": 0,
        "hits_truncated": False,
        "best_score": None,
        "best_entry_id": None,
        "best_matched_name": None,
        "hits": "[]",
        "suppressed_count": 0,
        "suppressed": "[]",
        "error": item.error,
    }


def screen_rows(
    screener: Screener,
    threshold: float | None,
    limit: int,
    items: Sequence[InputRow],
    secondary: Secondary = "keep",
) -> list[dict[str, Any]]:
    """One output row (the OUTPUT_COLUMNS) per input row; a bad row gets its error, never raises.

    >>> # screen_rows(screener, None, 10, [InputRow(1, name="Abu Zainab al-Lami")])[0]["hit_count"]
    """
    outs = [_empty_row(item) for item in items]
    asked = [out for out, item in zip(outs, items, strict=True) if not item.error]
    requests = [
        # A blank id is no id: the row is screened, with no subject to apply decisions to.
        Request(item.name, item.kind, item.birth_date, item.nationality, item.id or None)
        for item in items
        if not item.error
    ]
    try:
        results = screener.screen_requests(
            requests, threshold=threshold, limit=limit, secondary=secondary
        )
    except ValueError as exc:  # a threshold or limit no row can be screened with
        results = [exc] * len(requests)
    for out, result in zip(asked, results, strict=True):
        if isinstance(result, ValueError):
            out["error"] = str(result)
            continue
        out["hit_count"] = result.hit_count
        out["hits_truncated"] = result.truncated
        if result.hits:
            best = result.hits[0]
            out["best_score"] = best.score
            out["best_entry_id"] = best.entry.id
            out["best_matched_name"] = best.matched_name
        out["hits"] = _hits_json(result.hits)
        out["suppressed_count"] = len(result.suppressed)
        out["suppressed"] = _hits_json(result.suppressed)
    return outs
