"""Monitoring with delta re-screening against a full re-screen, in one process.

100,000 customers (the 25,000 clean names of negatives/ with listed names mixed in, repeated with
changed birth dates); the 2024 SDN list as the old version and the same list with 50 entries added,
removed or changed as the new one. Measured, each beside a full re-screen of every customer
against the new list in the same run (the baseline), with their open alerts compared:
- a monitoring run after the list update, no customer changed;
- a run with 1,000 customers changed as well.

    python benchmarks/monitor.py [--customers 100000] [--changed 1000]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
from pathlib import Path

from common import Timer, data_dir, record

from sanctions_screen import Name, Screener, Watchlist, load_list, monitor
from sanctions_screen.monitor.customers import ALL_HITS
from sanctions_screen.query import Request

SEED = 20261202


def new_version(old: Watchlist, earlier: Watchlist, rng: random.Random) -> Watchlist:
    """The old list with 15 entries removed, 20 changed (10 a new alias, 10 a new birth date)
    and 15 added (entries of an earlier version that the old one had dropped)."""
    entries = {e.id: e for e in old.entries}
    ids = sorted(entries)
    picked = rng.sample(ids, 35)
    for eid in picked[:15]:
        del entries[eid]
    for i, eid in enumerate(picked[15:]):
        e = entries[eid]
        if i < 10:
            alias = Name(full=rng.choice(old.entries).names[0].full, kind="aka")
            entries[eid] = e.model_copy(update={"names": [*e.names, alias]})
        else:
            entries[eid] = e.model_copy(update={"birth_dates": ["1971-02-03"]})
    known = {e.id for e in old.entries}
    dropped = sorted((e for e in earlier.entries if e.id not in known), key=lambda e: e.id)
    for e in rng.sample(dropped, 15):
        entries[e.id] = e
    return Watchlist(name=old.name, version=old.version + "+50", entries=list(entries.values()))


def customers(
    path: Path, data: Path, lists: list[Watchlist], n: int, rng: random.Random
) -> list[list[str]]:
    """The clean names, 1,000 listed persons' names (among them every person the update adds,
    changes or removes, so that the update opens and closes alerts), repeated with birth dates
    moved back a year at each repetition, to `n` rows."""
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        pool = [(r["full_name"], r["date_of_birth"], r["nationality"]) for r in csv.DictReader(f)]
    old, new = lists
    diff = new.diff(old)
    moved = [*diff.added, *diff.removed, *(c.after for c in diff.changed)]
    persons = [e for e in [*old.entries, *moved] if e.kind == "person"]
    listed = {e.names[0].full for e in moved if e.kind == "person"}
    listed |= {e.names[0].full for e in rng.sample(persons, 1000 - len(listed))}
    pool += [(name, "", "") for name in sorted(listed)]
    rng.shuffle(pool)
    rows = []
    for i in range(n):
        name, dob, nat = pool[i % len(pool)]
        shift = i // len(pool)
        if dob and shift:
            dob = f"{int(dob[:4]) - shift}{dob[4:]}"
        rows.append([f"C{i:06d}", name, dob, nat])
    write(path, rows)
    return rows


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "dob", "nationality"])
        w.writerows(rows)


def full_rescreen(screener: Screener, rows: list[list[str]]) -> dict:
    requests = [Request(name, None, dob or None, nat or None, cid) for cid, name, dob, nat in rows]
    out = {}
    for i in range(0, len(requests), 2000):
        for r in screener.screen_requests(requests[i : i + 2000], limit=ALL_HITS):
            if isinstance(r, ValueError):
                continue
            for h in r.hits:
                out[(r.subject_id, h.entry.id)] = h.score
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--changed", type=int, default=1_000)
    args = ap.parse_args()
    data = data_dir()
    rng = random.Random(SEED)
    old = load_list(data / "ofac_sdn_2024-05-03")
    new = new_version(old, load_list(data / "ofac_sdn_2021-07-07"), rng)
    diff = new.diff(old)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        Screener(old).save(folder / "old.index")
        Screener(new).save(folder / "new.index")
        old_s, new_s = Screener.load(folder / "old.index"), Screener.load(folder / "new.index")
        rows = customers(folder / "customers.csv", data, [old, new], args.customers, rng)
        kw = {
            "state": folder / "state",
            "name_column": "name",
            "id_column": "id",
            "birth_date_column": "dob",
            "nationality_column": "nationality",
        }
        with Timer() as first:
            monitor.run(folder / "customers.csv", old_s, **kw)
        with Timer() as delta:
            after_update = monitor.run(folder / "customers.csv", new_s, **kw)
        with Timer() as full:
            expected = full_rescreen(new_s, rows)
        same = {(a.customer_id, a.entry_id): a.score for a in after_update.open_alerts} == expected
        for i in rng.sample(range(len(rows)), args.changed):
            rows[i] = [rows[i][0], rng.choice(rows)[1], rows[i][2], rows[i][3]]
        write(folder / "customers.csv", rows)
        with Timer() as changed:
            after_change = monitor.run(folder / "customers.csv", new_s, **kw)
        with Timer() as full2:
            expected2 = full_rescreen(new_s, rows)
        same2 = {
            (a.customer_id, a.entry_id): a.score for a in after_change.open_alerts
        } == expected2
    c1, c2 = after_update.counts, after_change.counts
    body = f"""Command: `python benchmarks/monitor.py --customers {args.customers} --changed {args.changed}`

{args.customers:,} customers (clean names with 1,000 listed names mixed in, repeated with birth dates
moved a year per repetition); old list: {old.name} {old.version} ({len(old.entries):,} entries); new
list: {diff.summary()}. The baseline is a full re-screen of every customer against the new list
(`screen_requests`, all hits), measured in the same run; both from a loaded saved index.

| run | seconds | vs full re-screen | screened in full | screened against the changes | changes | open alerts | same open alerts as the full re-screen |
|---|---|---|---|---|---|---|---|
| first run (full, old list; builds the customer index) | {first.seconds:.1f} | | {args.customers:,} | | | | |
| list update, no customer changed | {delta.seconds:.2f} | {delta.seconds / full.seconds:.3f}x (full {full.seconds:.1f} s) | {c1["screened_full"]:,} | {c1["screened_delta"]:,} | {c1["new_alert"]} new, {c1["updated"]} updated, {c1["closed"]} closed | {c1["open_alerts"]:,} | {"yes" if same else "NO"} |
| {args.changed:,} customers changed | {changed.seconds:.2f} | {changed.seconds / full2.seconds:.3f}x (full {full2.seconds:.1f} s) | {c2["screened_full"]:,} | {c2["screened_delta"]:,} | {c2["new_alert"]} new, {c2["updated"]} updated, {c2["closed"]} closed | {c2["open_alerts"]:,} | {"yes" if same2 else "NO"} |

Aim: a run after a list update at most a tenth of a full re-screen, with the same open alerts.
"""
    print(body)
    record("Monitoring: delta re-screening (benchmarks/monitor.py)", body)


if __name__ == "__main__":
    main()
