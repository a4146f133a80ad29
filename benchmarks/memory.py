"""Memory over a long run: resident size while one process screens many distinct names.

A long-running service or a batch worker must stay near its start-up size: every cache is
bounded. Names are made from the negatives file's given names and surnames, mixed and, one in
three, with one letter changed, so that the caches keep meeting new words, as in production.

    python benchmarks/memory.py --calls 400000
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import time

from common import data_dir, four_lists, record

from sanctions_screen import Screener


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4096 / 2**20


def names(data, count: int, seed: int = 7) -> list[str]:
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    firsts = [r["first_name"] for r in rows if r["first_name"]]
    lasts = [r["last_name"] for r in rows if r["last_name"]]
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(count):
        last = rnd.choice(lasts)
        if rnd.random() < 0.33 and len(last) > 2:
            i = rnd.randrange(len(last))
            last = last[:i] + rnd.choice(letters) + last[i + 1 :]
        out.append(f"{rnd.choice(firsts)} {rnd.choice(firsts)} {last}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=400_000)
    ap.add_argument("--record", action="store_true", help="write the result to RESULTS.md")
    args = ap.parse_args()
    data = data_dir()
    base = rss_mb()
    screener = Screener(four_lists(data))
    built = rss_mb()
    queries = names(data, args.calls)
    start_rss = rss_mb()  # lists, index and the query strings themselves
    samples = [(0, start_rss)]
    step = max(1, args.calls // 8)
    t0 = time.perf_counter()
    done = 0
    for i in range(0, args.calls, step):
        for _ in screener.screen_many(queries[i : i + step]):
            done += 1
        gc.collect()
        samples.append((done, rss_mb()))
        print(f"{done:>8} screens  RSS {samples[-1][1]:7.1f} MB", flush=True)
    seconds = time.perf_counter() - t0
    growth = samples[-1][1] - start_rss
    half = samples[len(samples) // 2][1]
    lines = [
        f"Command: `python benchmarks/memory.py --calls {args.calls} --record`. One process, the "
        "four lists of the speed benchmark, distinct made-up names (a third with one letter "
        "changed), screened with `screen_many`.",
        "",
        "| point | RSS |",
        "|---|---|",
        f"| interpreter and imports | {base:.0f} MB |",
        f"| lists loaded, index built | {built:.0f} MB |",
        f"| + {args.calls:,} query strings held | {start_rss:.0f} MB |",
        f"| after {samples[len(samples) // 2][0]:,} screens | {half:.0f} MB |",
        f"| after {done:,} screens | {samples[-1][1]:.0f} MB |",
        f"| **growth over the run** | **{growth:+.0f} MB** ({growth / start_rss:+.0%} of the start) |",
        f"| growth over the second half | {samples[-1][1] - half:+.0f} MB |",
        "",
        f"{done / seconds:,.0f} screens/s over the run ({seconds:.0f} s).",
    ]
    print("\n".join(lines))
    if args.record:
        record("Memory over a long run (benchmarks/memory.py)", "\n".join(lines))


if __name__ == "__main__":
    main()
