"""The audit log's cost: `screen_file` on the four lists without and with `audit=`, alternating
in one process, each pass on the same rows with the saved index loaded afresh (its match cache
empty; the module-level word caches stay warm after the first pass).

    python benchmarks/audit.py [--rows 6000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
from pathlib import Path

from common import Timer, data_dir, four_lists, record

from sanctions_screen import Screener
from sanctions_screen.audit import AuditLog, verify
from sanctions_screen.batch import screen_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=6000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        Screener(four_lists(data)).save(folder / "four.index")
        with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
            names = [row["full_name"] for row in csv.DictReader(f)][: args.rows]
        src = folder / "in.csv"
        with open(src, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["id", "name"])
            out.writerows(enumerate(names))

        def rate(audited: bool, run: int) -> float:
            # A fresh load for each cold pass: its caches are empty, as a new batch job's.
            screener = Screener.load(folder / "four.index")
            log = folder / f"audit{run}.jsonl"
            screener.audit = AuditLog(log) if audited else None
            with Timer() as t:
                screen_file(
                    screener, src, folder / f"out{run}.csv", name_column="name", id_column="id"
                )
            if audited:
                assert verify(log).records == len(names)
            return len(names) / t.seconds

        plain, audited = [], []
        for run in range(args.repeat):
            plain.append(rate(False, 2 * run))
            audited.append(rate(True, 2 * run + 1))
    p, a = statistics.median(plain), statistics.median(audited)
    table = (
        "| pass | rows/s without the log | rows/s with `audit=` | with / without |\n|---|---|---|---|\n"
        f"| first pass, fresh load (median of {args.repeat}) | {p:,.0f} | {a:,.0f} | **{a / p:.2f}x** |\n"
    )
    print(table)
    record(
        "Audit log cost (benchmarks/audit.py)",
        f"Command: `python benchmarks/audit.py --rows {args.rows} --repeat {args.repeat}` "
        f"(four lists, saved index loaded fresh for each pass; {len(names):,} clean names, "
        "alternating runs; each audited log verified).\n\n" + table,
    )


if __name__ == "__main__":
    main()
