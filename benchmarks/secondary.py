"""What secondary data (birth date, nationality) does to misses and false alerts, under both
policies: `secondary="keep"` (the default: a name that reaches the threshold stays, marked and
scored lower) and `secondary="exclude"` (such hits are dropped, the behaviour before issue 13).

- False alerts: the 25,000 made-up persons of `negatives/`, screened with their own birth dates
  and nationalities; rows with at least one hit per 1,000.
- Misses: listed persons with a full birth date, screened by their primary name with a birth date
  that contradicts the list's (shifted 3 to 30 years, the kind of error customer files hold), and,
  as the baseline measured in the same run, with the listed date itself.

    python benchmarks/secondary.py [--planted 2000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random

from common import Timer, data_dir, four_lists, record

from sanctions_screen import Screener
from sanctions_screen.query import Request


def negatives(data) -> list[Request]:
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        return [
            Request(r["full_name"], "person", r["date_of_birth"] or None, r["nationality"] or None)
            for r in csv.DictReader(f)
        ]


def planted(screener: Screener, count: int, seed: int = 3) -> list[tuple[str, str, str, str]]:
    """(entry id, primary name, listed date, contradicting date) for listed persons."""
    rnd = random.Random(seed)
    out = []
    for e in screener.entries:
        full = [d for d in e.birth_dates if len(d) == 10 and d[4] == "-"]
        if e.kind != "person" or not full:
            continue
        day = dt.date.fromisoformat(full[0])
        shift = rnd.randint(3, 30) * rnd.choice((-1, 1))
        wrong = day.replace(year=day.year + shift, day=min(day.day, 28))
        out.append((e.id, e.names[0].full, full[0], wrong.isoformat()))
    rnd.shuffle(out)
    return sorted(out[:count])


def alert_rate(screener: Screener, requests: list[Request], secondary: str) -> tuple[float, int]:
    results = screener.screen_requests(requests, secondary=secondary)  # type: ignore[arg-type]
    alerts = sum(1 for r in results if not isinstance(r, ValueError) and r.hits)
    errors = sum(1 for r in results if isinstance(r, ValueError))
    return 1000 * alerts / (len(requests) - errors), errors


def recall(screener: Screener, cases, dated: int, secondary: str) -> float:
    requests = [Request(name, "person", case[dated]) for case in cases for name in [case[1]]]
    results = screener.screen_requests(requests, secondary=secondary)  # type: ignore[arg-type]
    found = sum(
        1
        for case, r in zip(cases, results, strict=True)
        if not isinstance(r, ValueError) and any(h.entry.id == case[0] for h in r.hits)
    )
    return found / len(cases)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--planted", type=int, default=2000)
    args = ap.parse_args()
    data = data_dir()
    screener = Screener(four_lists(data))
    clean = negatives(data)
    names_only = [Request(r.name, "person") for r in clean]
    with Timer() as t:
        base_rate, _ = alert_rate(screener, names_only, "keep")
        keep_rate, errors = alert_rate(screener, clean, "keep")
        excl_rate, _ = alert_rate(screener, clean, "exclude")
        cases = planted(screener, args.planted)
        right = recall(screener, cases, 2, "keep")
        keep_recall = recall(screener, cases, 3, "keep")
        excl_recall = recall(screener, cases, 3, "exclude")
    lines = [
        f"Command: `python benchmarks/secondary.py --planted {args.planted}` (four lists; "
        f"{len(clean):,} made-up persons with their birth dates and nationalities, {errors} of them "
        f"refused as invalid; {len(cases):,} listed persons with a full birth date; {t.seconds:.0f} s).",
        "",
        "| figure | name only (baseline) | keep (default) | exclude |",
        "|---|---|---|---|",
        f"| false alerts per 1,000 clean persons | {base_rate:.2f} | {keep_rate:.2f} | {excl_rate:.2f} |",
        f"| listed persons found, their listed date given | {right:.1%} | | |",
        f"| listed persons found, a contradicting date given | | **{keep_recall:.1%}** | {excl_recall:.1%} |",
    ]
    record("Secondary data: keep or exclude (benchmarks/secondary.py)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
