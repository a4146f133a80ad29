"""Reading a batch or monitoring output into a report's data: the alerted rows with their hits,
the rows with errors, and the run's header from the batch manifest beside the output."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from ..batch import detect_format
from ..batch.manifest import file_sha256, read_manifest
from ..decisions import DecisionStore
from .model import ListLine, ReportCard, ReportData, ReportError, ReportHit, TokenPair, band_of

_WORD = re.compile(r"\w+")
_OPEN = ("new_alert", "updated")


def read_rows(path: str, fmt: str) -> Iterator[dict[str, Any]]:
    """The rows of a CSV, JSON-lines or Parquet file, as dicts, streamed.

    >>> # next(read_rows("results.csv", "csv"))["hit_count"]
    """
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=2000):
            yield from batch.to_pylist()
        return
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "jsonl":
            for number, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ValueError(
                            f"{path}, line {number}: invalid JSON ({exc.msg})"
                        ) from exc
        else:
            yield from csv.DictReader(f)


def as_written(token: str, text: str) -> str:
    """A normalised token as the name writes it (its case), when the name has that word.

    >>> as_written("faleh", "AZIZ, Hussein Faleh"), as_written("x", "Ali")
    ('Faleh', 'x')
    """
    folded = token.casefold()
    return next((w for w in _WORD.findall(text) if w.casefold() == folded), token)


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _hit(record: dict[str, Any], query: str, change: str | None = None) -> ReportHit:
    band, label = band_of(float(record["score"]))
    listed_name = str(record.get("matched_name") or "")
    matches = [
        TokenPair(
            query=as_written(str(q), query),
            listed=as_written(str(ls), listed_name),
            how=str(how),
            similarity=float(sim),
        )
        for q, ls, how, sim in record.get("matches") or []
    ]
    decision = record.get("decision")
    return ReportHit(
        entry_id=str(record["entry_id"]),
        score=float(record["score"]),
        band=band,
        band_label=label,
        matched_name=listed_name,
        kind=record.get("kind"),
        list=record.get("list"),
        list_version=record.get("list_version"),
        programs=record.get("programs") or [],
        other_names=record.get("other_names") or [],
        birth_dates=record.get("birth_dates") or [],
        nationalities=record.get("nationalities") or [],
        matches=matches,
        unmatched_query=[as_written(t, query) for t in record.get("unmatched_query") or []],
        unmatched_listed=[as_written(t, listed_name) for t in record.get("unmatched_listed") or []],
        adjustments=record.get("adjustments") or [],
        contradictions=record.get("contradictions") or [],
        change=change,
        decision=_decision_text(decision) if decision else None,
    )


def _decision_text(d: dict[str, Any]) -> str:
    state = (
        "applies"
        if d.get("applies", True)
        else f"{' and '.join(d.get('changed') or [])} changed since"
    )
    return (
        f"#{d['id']} {d['decision']} by {d['analyst']}"
        + (f" on {d['time']}" if d.get("time") else "")
        + f": {d['reason']} ({state})"
    )


def _json_cell(value: Any, path: str, row: Any, column: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}, row {row}: column {column!r} is not valid JSON ({exc.msg})"
        ) from exc


def _card(cid: Any, name: str, row: int | None, hits: list[ReportHit]) -> ReportCard:
    hits = sorted(hits, key=lambda h: (-h.score, h.entry_id))
    return ReportCard(
        id=None if cid in (None, "") else str(cid),
        name=name,
        row=row,
        best=hits[0].score,
        hits=hits,
    )


def _batch(
    path: str, rows: Iterator[dict[str, Any]]
) -> tuple[int, list[ReportCard], list[ReportError]]:
    cards, errors, count = [], [], 0
    for r in rows:
        count += 1
        name = str(r.get("name") or "")
        if r.get("error"):
            errors.append(
                ReportError(
                    row=_int(r.get("row")),
                    id=r.get("id") or None,
                    name=name or None,
                    error=str(r["error"]),
                )
            )
        elif _int(r.get("hit_count")):
            hits = _json_cell(r.get("hits") or "[]", path, r.get("row"), "hits")
            cards.append(
                _card(r.get("id"), name, _int(r.get("row")), [_hit(h, name) for h in hits])
            )
    return count, cards, errors


def _monitoring(
    path: str, rows: Iterator[dict[str, Any]]
) -> tuple[int, list[ReportCard], list[ReportError], list[str]]:
    by_customer: dict[str, tuple[str, list[ReportHit]]] = {}
    errors, closed, count = [], [], 0
    for r in rows:
        count += 1
        cid, name, change = r.get("customer_id"), str(r.get("customer_name") or ""), r.get("change")
        if change == "error":
            errors.append(
                ReportError(
                    row=_int(r.get("row")),
                    id=cid or None,
                    name=name or None,
                    error=str(r.get("reason")),
                )
            )
        elif change == "closed":
            closed.append(
                f"{cid} {name}: {r.get('entry_id')} ({r.get('matched_name')}): {r.get('reason')}"
            )
        elif change in _OPEN:
            record = _json_cell(r.get("hit") or "{}", path, count, "hit") or {
                "entry_id": r.get("entry_id"),
                "score": r.get("score"),
                "matched_name": r.get("matched_name"),
                "list": r.get("list"),
            }
            record = {**record, "list_version": r.get("list_version")}
            hit = _hit(record, name, f"{change.replace('_', ' ')}: {r.get('reason')}")
            by_customer.setdefault(str(cid), (name, []))[1].append(hit)
    cards = [_card(cid, name, None, hits) for cid, (name, hits) in by_customer.items()]
    return count, cards, errors, closed


def _with_decisions(cards: list[ReportCard], store: DecisionStore) -> list[ReportCard]:
    """Each hit with the newest decision on its customer and entry, where the output had none."""
    out = []
    for card in cards:
        found = store.current(card.id, [h.entry_id for h in card.hits]) if card.id else {}
        hits = [
            h.model_copy(
                update={
                    "decision": _decision_text({**found[h.entry_id].model_dump(), "applies": True})
                    + " [from the decision store]"
                }
            )
            if h.decision is None and h.entry_id in found
            else h
            for h in card.hits
        ]
        out.append(card.model_copy(update={"hits": hits}))
    return out


def load_report(
    path: str, input_format: str | None = None, decisions: DecisionStore | None = None
) -> ReportData:
    """A batch or monitoring output file (CSV, JSON lines or Parquet) as a report's data; the
    header from the batch manifest beside it, when there is one. ValueError naming the file when
    it is neither.

    >>> # load_report("results.csv").cards[0].hits[0].matches
    """
    fmt = detect_format(path, input_format)
    rows = read_rows(path, fmt)
    first = next(rows, None)
    columns = set(first or ())
    if first is None and fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            columns = set(next(csv.reader(f), []))
    every = iter([first] if first is not None else [])
    chained = (r for part in (every, rows) for r in part)
    closed: list[str] = []
    if {"hits", "hit_count"} <= columns:
        kind = "batch"
        count, cards, errors = _batch(path, chained)
    elif {"change", "customer_id"} <= columns:
        kind = "monitoring"
        count, cards, errors, closed = _monitoring(path, chained)
    else:
        raise ValueError(
            f"{path}: not a batch or monitoring output (columns: {', '.join(sorted(columns)) or 'none'})"
        )
    if decisions is not None:
        cards = _with_decisions(cards, decisions)
    cards.sort(key=lambda c: (-c.best, c.id or "", c.row or 0))
    manifest = read_manifest(path) or {}
    lists = _lists(manifest, cards)
    cards = _with_versions(cards, {x.name: x.version for x in lists})
    return ReportData(
        source=path,
        source_sha256=file_sha256(path),
        kind=kind,
        screened=manifest.get("started"),
        threshold=(manifest.get("options") or {}).get("threshold"),
        library=manifest.get("library"),
        algorithm=manifest.get("algorithm"),
        lists=lists,
        rows=count,
        cards=cards,
        errors=errors,
        closed=closed,
    )


def _with_versions(cards: list[ReportCard], versions: dict[str, str]) -> list[ReportCard]:
    """Each hit with its list's version (a batch output names it once, in its manifest)."""
    return [
        c.model_copy(
            update={
                "hits": [
                    h
                    if h.list_version or h.list not in versions
                    else h.model_copy(update={"list_version": versions[h.list]})
                    for h in c.hits
                ]
            }
        )
        for c in cards
    ]


def _lists(manifest: dict[str, Any], cards: list[ReportCard]) -> list[ListLine]:
    if manifest.get("list_files"):
        return [ListLine(**x) for x in manifest["list_files"]]
    if manifest.get("lists"):
        return [ListLine(name=n, version=v) for n, v in manifest["lists"]]
    seen = {(h.list, h.list_version) for c in cards for h in c.hits if h.list}
    return [ListLine(name=str(n), version=str(v or "")) for n, v in sorted(seen, key=str)]


__all__ = ["as_written", "load_report", "read_rows"]
