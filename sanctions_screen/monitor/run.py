"""`run`: one monitoring run. New and changed customers are screened against the whole lists;
unchanged customers only against the entries added or changed since the last run, found through
the customers' own index (entries' names screened against the customers), then scored forward,
so that every score is the one a full re-screen gives. Removed entries and customers close their
alerts. The changes are written to the output and the state in one transaction.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from ..audit import AuditLog
from ..batch import Columns, Writer, detect_format
from ..batch.manifest import file_sha256
from ..batch.writer import remove_parts
from ..collector import collector_paused
from ..decisions import DecisionStore, decision_store
from ..models import Hit, ScreenResult, Watchlist
from ..query import check_threshold
from ..records import hit_record
from ..screener import Screener
from .customers import (
    ALL_HITS,
    BadRow,
    Customer,
    CustomerIndex,
    customer_screener,
    load_customer_screener,
    read_customers,
    reverse_candidates,
)
from .models import CHANGE_SCHEMA, Alert, AlertChange, ChangeKind, MonitorRun
from .plan import Plan, entry_delta, list_state, make_plan
from .reasons import Reasons, Scope
from .state import Commit, MonitorState, Pair, RunRecord

# The customer index is rebuilt when more customers than this are missing from it or stale
# (they are searched in a small index built on the fly until then).
REBUILD_SHARE = 0.1
REBUILD_MIN = 1_000
_CHUNK = 2_000  # customers screened per call (bounds the memory of results held at once)


def _screener(
    lists: Screener | Watchlist | Iterable[Watchlist],
    threshold: float | None,
    decisions: DecisionStore | None,
    audit: AuditLog | None,
) -> Screener:
    if isinstance(lists, Screener):
        # A shallow copy shares the index; the caller's screener keeps its own settings.
        screener = copy.copy(lists)
        if threshold is not None:
            screener.threshold = check_threshold(threshold)
    else:
        screener = Screener(lists, threshold=threshold)
    screener.decisions = decisions
    screener.audit = audit
    return screener


def run(
    customers: str | os.PathLike[str],
    lists: Screener | Watchlist | Iterable[Watchlist],
    *,
    state: str | os.PathLike[str],
    name_column: str,
    id_column: str,
    birth_date_column: str | None = None,
    nationality_column: str | None = None,
    kind_column: str | None = None,
    decisions: DecisionStore | str | os.PathLike[str] | None = None,
    threshold: float | None = None,
    output: str | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    audit: AuditLog | str | os.PathLike[str] | None = None,
) -> MonitorRun:
    """Screen a customer file against the lists, as a change to the last run kept in `state`
    (a folder, created when missing): returns the run with its `changes` and the `open_alerts`,
    and writes the changes to `output` (CSV, JSON lines or Parquet; "-" for stdout) when given.
    `decisions` (a store or a path): cleared hits are not alerts.

    >>> # r = run("customers.csv", load_list("sdn"), state="monitor", name_column="name", id_column="id")
    >>> # [c.change for c in r.changes], len(r.open_alerts)
    """
    out_fmt = None if output is None else detect_format(output, output_format)
    if out_fmt == "parquet" and output == "-":
        raise ValueError("Parquet output needs a file, not stdout")
    store = decision_store(decisions)
    log = audit if audit is None or isinstance(audit, AuditLog) else AuditLog(audit)
    screener = _screener(lists, threshold, store, log)
    cols = Columns(name_column, id_column, birth_date_column, nationality_column, kind_column)
    st = MonitorState(state)
    try:
        # A run holds every customer and its fingerprints: collections meanwhile would rescan
        # them all, again and again (most of a delta run's time, measured).
        with collector_paused():
            return _Run(st, screener, os.fspath(customers), cols, input_format).execute(
                output, out_fmt
            )
    finally:
        st.close()


def settings_of(screener: Screener) -> dict[str, Any]:
    """What a run's results depend on besides the lists and the customers: a change re-screens
    every customer.

    >>> sorted(settings_of(Screener.from_entries([])))
    ['algorithm', 'decisions', 'threshold']
    """
    store = screener.decisions
    return {
        "threshold": screener.threshold,
        "algorithm": screener.algorithm,
        "decisions": None if store is None else str(store.path.resolve()),
    }


class _Found(NamedTuple):
    """What a run's screenings found: results by customer, and who was searched in reverse."""

    results: dict[str, ScreenResult | ValueError]
    reverse: set[str]
    failed: dict[str, ValueError]


class _Run:
    """One run's work, step by step (see `run`)."""

    def __init__(
        self, st: MonitorState, screener: Screener, path: str, cols: Columns, fmt: str | None
    ) -> None:
        self.st, self.screener = st, screener
        self.prev = st.last_run()
        self.id = 1 if self.prev is None else self.prev.id + 1
        self.hits: dict[Pair, Hit] = {}  # the hits this run found, by (customer, entry)
        self.versions = dict(screener.lists)
        store = screener.decisions
        self.decisions_seen = 0 if store is None else store.last_id()
        self.settings = settings_of(screener)
        self.source = f"{file_sha256(path)} {cols}"
        self.reread = not (
            self.prev is not None
            and self.prev.customers_source == self.source
            and self.prev.settings == self.settings
        )
        if self.reread:
            self.customers, self.bad = read_customers(path, cols, fmt)
        else:
            # The very file of the last run, read the same way: its customers are those stored.
            self.customers, self.bad = st.customers(), st.bad_rows()

    @functools.cached_property
    def held(self) -> dict[str, str]:
        """The customers the saved customer index holds, with their fingerprints then."""
        return self.st.indexed()

    def execute(self, output: str | None, output_format: str | None) -> MonitorRun:
        """Plan, screen, compare, write the output, commit (see `run`)."""
        old_entries = None if self.prev is None else self.st.entries()
        plan = make_plan(
            self.prev,
            self.settings,
            self.customers,
            self.st.customers() if self.reread else self.customers,
            self._decided(),
            entry_delta(self.screener, self.prev, old_entries),
        )
        old = self.st.alerts()
        found = self._search(plan, old)
        new = self._alerts(found.results, old)
        scope = Scope(plan, plan.removed | found.failed.keys())
        reasons = Reasons(plan, self.versions, self.bad, found.failed, _suppressed(found.results))
        changes = self._errors(found.failed) + [
            self._change(pair, old.get(pair), new.get(pair), reasons)
            for pair in sorted(old.keys() | new.keys())
            if scope.covers(pair) and _moved(old.get(pair), new.get(pair))
        ]
        closed = [pair for pair in old if scope.covers(pair) and pair not in new]
        shut = set(closed)
        # The alerts open after the run, as the commit leaves them: the old ones less those
        # closed, with the ones found now (new, or rewritten with this run's data).
        after = {pair: a for pair, a in old.items() if pair not in shut} | new
        counts = self._counts(plan, found.reverse, changes, len(after))
        self._log(changes)
        if output is not None:
            _write_changes(output, output_format or "csv", changes)
        record = self._commit(
            plan, found, counts, changes, [a for p, a in new.items() if old.get(p) != a], closed
        )
        alerts = [after[pair] for pair in sorted(after)]
        return MonitorRun(
            run=self.id,
            time=record.time,
            mode="full" if plan.full else "delta",
            lists=self.screener.list_info,
            counts=counts,
            changes=changes,
            open_alerts=alerts,
        )

    def _search(self, plan: Plan, old: Mapping[Pair, Alert]) -> _Found:
        """Forward: the planned customers against everything; reverse: the customers an added or
        changed entry may hit, scored forward on those entries only."""
        results = self._screen(sorted(plan.forward))
        reverse = self._reverse(plan, old) - plan.forward
        for cid, result in self._screen(sorted(reverse)).items():
            results[cid] = _only(result, plan.delta_entries)
        failed = {cid: r for cid, r in results.items() if isinstance(r, ValueError)}
        return _Found(results, reverse, failed)

    def _commit(
        self,
        plan: Plan,
        found: _Found,
        counts: dict[str, int],
        changes: list[AlertChange],
        opened: list[Alert],
        closed: list[Pair],
    ) -> RunRecord:
        """The run's state, in one transaction; then the customer index it no longer uses goes."""
        keep = {c: self.customers[c] for c in self.customers if c not in found.failed}
        index_file, indexed = self._customer_index(keep)
        record = RunRecord(
            self.id,
            _now(),
            "full" if plan.full else "delta",
            list_state(self.screener),
            self.settings,
            self.decisions_seen,
            index_file,
            self.source,
            counts,
        )
        failed_rows = [
            BadRow(keep_row.row, cid, str(keep_row.request.name), str(found.failed[cid]))
            for cid, keep_row in self.customers.items()
            if cid in found.failed
        ]
        self.st.commit(
            Commit(
                run=record,
                customers=[keep[c] for c in plan.new | plan.changed if c in keep],
                removed_customers=plan.removed | found.failed.keys(),
                bad_rows=sorted([*self.bad, *failed_rows]) if self.reread else None,
                entries=plan.entries.fingerprints,
                indexed=indexed,
                alerts=opened,
                closed=closed,
                changes=changes,
            )
        )
        self.st.remove_unused_indexes(index_file)
        return record

    def _decided(self) -> set[str]:
        """The subjects with a decision taken since the last run: screened again in full."""
        store = self.screener.decisions
        if store is None or self.prev is None:
            return set()
        return {d.subject_id for d in store.decisions(after=self.prev.decisions_seen)}

    def _screen(self, ids: list[str]) -> dict[str, ScreenResult | ValueError]:
        out: dict[str, ScreenResult | ValueError] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            requests = [self.customers[c].request for c in chunk]
            out.update(
                zip(chunk, self.screener.screen_requests(requests, limit=ALL_HITS), strict=True)
            )
        return out

    def _reverse(self, plan: Plan, old: Mapping[Pair, Alert]) -> set[str]:
        """The unchanged customers an added or changed entry may hit: found by screening the
        entries' names against the customers' index (the saved one, plus one built now for the
        customers it lacks), and those with an open alert on such an entry."""
        if plan.full or not plan.delta_entries or not plan.unchanged:
            return set()
        allowed = {c: self.customers[c].fingerprint for c in plan.unchanged}
        indexes = []
        base = None
        if self.prev is not None and self.prev.customer_index:
            base = load_customer_screener(self.st.folder / self.prev.customer_index)
        held = self.held if base is not None else {}
        if base is not None:
            indexes.append(CustomerIndex(base, held))
        rest = [self.customers[c] for c in plan.unchanged if held.get(c) != allowed[c]]
        if rest:
            indexes.append(
                CustomerIndex(customer_screener(rest), {c.id: c.fingerprint for c in rest})
            )
        entries = [e for e in map(self.screener.entry, sorted(plan.delta_entries)) if e is not None]
        found = reverse_candidates(indexes, entries, allowed)
        return found | {c for c, e in old if e in plan.delta_entries and c in allowed}

    def _alerts(
        self, results: Mapping[str, ScreenResult | ValueError], old: Mapping[Pair, Alert]
    ) -> dict[Pair, Alert]:
        """The alerts this run found, keeping when each was opened and last changed."""
        out = {}
        for cid, result in results.items():
            if isinstance(result, ValueError):
                continue
            for hit in result.hits:
                pair = (cid, hit.entry.id)
                out[pair] = self._alert(cid, result.query, hit, old.get(pair))
                self.hits[pair] = hit
        return out

    def _alert(self, cid: str, name: str, hit: Hit, prior: Alert | None) -> Alert:
        moved = prior is None or (prior.score, prior.matched_name) != (hit.score, hit.matched_name)
        return Alert(
            customer_id=cid,
            customer_name=name,
            entry_id=hit.entry.id,
            list=hit.entry.list,
            list_version=self.versions.get(hit.entry.list, ""),
            score=hit.score,
            matched_name=hit.matched_name,
            explanation=hit.explanation.brief(),
            decision_id=None if hit.decision is None else hit.decision.decision.id,
            opened_run=self.id if prior is None else prior.opened_run,
            updated_run=self.id if moved or prior is None else prior.updated_run,
        )

    def _change(
        self, pair: Pair, old: Alert | None, new: Alert | None, reasons: Reasons
    ) -> AlertChange:
        shown = new or old
        assert shown is not None
        kind: ChangeKind = "closed" if new is None else "new_alert" if old is None else "updated"
        return AlertChange(
            run=self.id,
            change=kind,
            reason=reasons.closed(pair) if new is None else reasons.opened(pair),
            customer_id=pair[0],
            customer_name=shown.customer_name,
            entry_id=pair[1],
            list=shown.list,
            list_version=shown.list_version,
            score=None if new is None else new.score,
            previous_score=None if old is None else old.score,
            matched_name=shown.matched_name,
            explanation=shown.explanation,
            decision_id=reasons.decision_id(pair) if new is None else new.decision_id,
            hit=None
            if new is None
            else json.dumps(hit_record(self.hits[pair]), ensure_ascii=False),
        )

    def _errors(self, failed: Mapping[str, ValueError]) -> list[AlertChange]:
        rows = [*self.bad]
        for cid, exc in failed.items():
            c = self.customers[cid]
            rows.append(BadRow(c.row, cid, str(c.request.name), str(exc)))
        return [
            AlertChange(
                run=self.id,
                change="error",
                reason=b.error,
                customer_id=b.id,
                customer_name=b.name,
                row=b.row,
            )
            for b in sorted(rows)
        ]

    def _customer_index(
        self, keep: Mapping[str, Customer]
    ) -> tuple[str | None, dict[str, str] | None]:
        """The customer index the next run will use: the current one while few customers are
        missing from it or changed, else one built now (returned with what it holds)."""
        current = None if self.prev is None else self.prev.customer_index
        if not keep:
            return None, {}
        held = self.held if current else {}
        stale = sum(1 for c, x in keep.items() if held.get(c) != x.fingerprint)
        if (
            current is not None
            and (self.st.folder / current).exists()
            and stale <= max(REBUILD_MIN, REBUILD_SHARE * len(keep))
        ):
            return current, None
        name = f"customers-{self.id}.index"
        customer_screener(keep.values()).save(self.st.folder / name)
        return name, {c: x.fingerprint for c, x in keep.items()}

    def _counts(
        self, plan: Plan, reverse: set[str], changes: list[AlertChange], open_alerts: int
    ) -> dict[str, int]:
        by_kind = {
            k: sum(1 for c in changes if c.change == k)
            for k in ("new_alert", "updated", "closed", "error")
        }
        return {
            "customers": len(self.customers),
            "new_customers": len(plan.new),
            "changed_customers": len(plan.changed),
            "unchanged_customers": len(plan.unchanged),
            "removed_customers": len(plan.removed),
            "screened_full": len(plan.forward),
            "screened_delta": len(reverse),
            "entries_added": len(plan.entries.added),
            "entries_changed": len(plan.entries.changed),
            "entries_removed": len(plan.entries.removed),
            **by_kind,
            "open_alerts": open_alerts,
        }

    def _log(self, changes: list[AlertChange]) -> None:
        """Each change in the audit log, before the run is committed (a run killed between the
        two logs its changes again when run again: a record is never missing)."""
        if self.screener.audit is None:
            return
        self.screener.audit.append(
            [{"kind": "monitor_change", **c.model_dump(exclude_none=True)} for c in changes]
        )


def _only(result: ScreenResult | ValueError, entries: set[str]) -> ScreenResult | ValueError:
    """A result cut to the hits on `entries` (an unchanged customer's other hits are unchanged)."""
    if isinstance(result, ValueError):
        return result
    return result.model_copy(
        update={
            "hits": [h for h in result.hits if h.entry.id in entries],
            "suppressed": [h for h in result.suppressed if h.entry.id in entries],
        }
    )


def _suppressed(results: Mapping[str, ScreenResult | ValueError]) -> dict[Pair, int]:
    """The pairs a decision suppressed in this run's screenings, with the decision's id."""
    return {
        (cid, h.entry.id): h.decision.decision.id
        for cid, r in results.items()
        if not isinstance(r, ValueError)
        for h in r.suppressed
        if h.decision is not None
    }


def _moved(old: Alert | None, new: Alert | None) -> bool:
    """Whether a pair's alert changed in a way the delta reports (opened, closed, rescored)."""
    if old is None or new is None:
        return old is not new
    return (old.score, old.matched_name) != (new.score, new.matched_name)


def _write_changes(output: str, fmt: str, changes: list[AlertChange]) -> None:
    """The changes into `output`, replaced whole (a file is never left half written)."""
    target = output if output == "-" else output + ".tmp"
    writer = Writer(target, fmt, append=False, schema=CHANGE_SCHEMA)
    for c in changes:
        writer.write(c.model_dump())
    writer.close()
    if output != "-":
        os.replace(target, output)
        remove_parts(target, fmt)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_alerts(state: str | os.PathLike[str]) -> list[Alert]:
    """The alerts open after the last run kept in a state folder, by customer and entry.

    >>> # [a.entry_id for a in open_alerts("monitor")]
    """
    if not (Path(state) / "monitor.sqlite").exists():
        raise ValueError(
            f"{state}: no monitoring state here (run 'sanctions-screen monitor' first)"
        )
    st = MonitorState(state)
    try:
        return sorted(st.alerts().values(), key=lambda a: (a.customer_id, a.entry_id))
    finally:
        st.close()


__all__ = ["REBUILD_MIN", "REBUILD_SHARE", "open_alerts", "run"]
