"""Batch and monitoring outputs to make reports from: the seed names, a hostile name, an
Arabic name, a bad row; and a large synthetic batch output."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sanctions_screen import Entry, Name, Screener, Watchlist
from sanctions_screen.batch import OUTPUT_COLUMNS, screen_file

HOSTILE = "<img src=x onerror=alert(1)>"
BIDI = "Ali \u202eHassan\u202c"
ENTRIES = [
    Entry(
        list="t",
        source_id="27994",
        kind="person",
        names=[
            Name(full="AL-LAMI, Hussein Falah"),
            Name(full="AZIZ, Hussein Faleh", kind="aka"),
            Name(full="AL-LAMI, Abu Zainab", kind="aka"),
        ],
        birth_dates=["1969-06-20"],
        programs=["GLOMAG"],
    ),
    Entry(
        list="t", source_id="2", kind="person", names=[Name(full="HASSAN, Ali")], programs=["SDGT"]
    ),
    Entry(
        list="t",
        source_id="3",
        kind="organization",
        names=[Name(full="MAHAN AIR")],
        programs=["IRGC"],
    ),
    Entry(
        list="t", source_id="4", kind="person", names=[Name(full=HOSTILE)], programs=["<b>X</b>"]
    ),
]
CUSTOMERS = [
    ("C1", "Hussein Falih Aziz"),
    ("C2", "Abu Zainab al-Lami"),
    ("C3", "حسين فالح عزيز"),
    ("C4", "Mahan Airlines"),
    ("C5", HOSTILE),
    ("C6", BIDI),
    ("C7", ""),
    ("C8", "John Smith"),
]


def screener() -> Screener:
    return Screener(Watchlist(name="t", version="7", entries=ENTRIES))


def batch_output(folder: Path, fmt: str = "csv") -> Path:
    """A batch output (and its manifest) of the customers above."""
    src = folder / "customers.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        w.writerows(CUSTOMERS)
    out = folder / f"results.{fmt}"
    screen_file(screener(), str(src), str(out), name_column="name", id_column="id")
    return out


def large_batch_output(path: Path, rows: int, alerts: int) -> None:
    """A batch output of `rows` rows, `alerts` of them alerted (spread over bands, lists,
    programmes and kinds), written directly (screening 100,000 rows would only slow the test)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=OUTPUT_COLUMNS)
        w.writeheader()
        step = rows // alerts
        for i in range(rows):
            row = dict.fromkeys(OUTPUT_COLUMNS, "")
            row.update(
                row=i + 1, line=i + 2, id=f"C{i}", name=f"Customer {i}", hit_count=0, hits="[]"
            )
            if i % step == 0 and i // step < alerts:
                k = i // step
                score = round(0.8 + (k % 21) / 100, 3)
                hit = {
                    "entry_id": f"l{k % 2}:{k}",
                    "score": min(score, 1.0),
                    "matched_name": f"LISTED, Person {k}",
                    "list": f"l{k % 2}",
                    "kind": "person" if k % 3 else "organization",
                    "programs": [f"P{k % 4}"],
                    "contradictions": [],
                    "matches": [["Customer", "LISTED", "variant", 0.9]],
                    "unmatched_query": [str(i)],
                    "unmatched_listed": ["Person"],
                    "adjustments": [],
                    "other_names": [],
                    "birth_dates": [],
                    "nationalities": [],
                }
                row.update(hit_count=1, hits=json.dumps([hit]), best_score=hit["score"])
            w.writerow(row)
