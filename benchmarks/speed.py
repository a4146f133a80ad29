"""Screening speed against the four real lists loaded together (2024 SDN + 2025 aliases, OFAC
consolidated, UN, UK): index build time, screens per second through screen_many, p50/p99 latency of
single screens, peak memory, and the ratio against exhaustive scoring measured in the same run.

    python benchmarks/speed.py [--queries 2000] [--exhaustive-queries 40] [--builds 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc

from common import Timer, data_dir, four_lists, record

from sanctions_screen import Screener


def mixed_queries(lists, data, n: int, seed: int = 11) -> list[str]:
    """Half list names (some with a letter changed), half clean names from the negatives."""
    rnd = random.Random(seed)
    names = [nm.full for w in lists for e in w.entries for nm in e.names]
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        negatives = [row["full_name"] for row in csv.DictReader(f)]
    out = []
    for i in range(n):
        if i % 2:
            out.append(rnd.choice(negatives))
        else:
            name = rnd.choice(names)
            if rnd.random() < 0.5 and len(name) > 4:
                k = rnd.randrange(len(name))
                name = name[:k] + rnd.choice("aeiouy") + name[k + 1 :]
            out.append(name)
    return out


def clear_module_caches() -> None:
    """Empty the package's module-level caches (normaliser, keys, forms)."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("sanctions_screen"):
            for value in vars(module).values():
                if hasattr(value, "cache_clear") and hasattr(value, "__wrapped__"):
                    value.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--exhaustive-queries", type=int, default=40)
    ap.add_argument("--builds", type=int, default=3)
    args = ap.parse_args()
    data = data_dir()
    lists = four_lists(data)
    queries = mixed_queries(lists, data, args.queries)

    lists_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    probe = Screener(lists)
    retained, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del probe
    gc.collect()

    # A cold pass (a freshly built screener, no token cached) on each of --builds builds, median
    # reported; then a warm pass over the same queries.
    builds, colds = [], []
    for _ in range(args.builds):
        screener = None
        clear_module_caches()  # every pass as cold as a new process's first
        gc.collect()
        with Timer() as build:
            screener = Screener(lists)
        with Timer() as cold:
            results = list(screener.screen_many(queries))
        builds.append(build.seconds)
        colds.append(len(queries) / cold.seconds)
    n_names = screener.index.name_count
    with Timer() as warm:
        list(screener.screen_many(queries))
    lat = []
    for q in queries[: min(1000, len(queries))]:
        t0 = time.perf_counter()
        screener.screen(q)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[int(len(lat) * 0.99) - 1]

    exhaustive = Screener(lists, exhaustive=True)
    sub = queries[: args.exhaustive_queries]
    with Timer() as ex_t:
        ex_results = [exhaustive.screen(q) for q in sub]
    with Timer() as ix_t:
        ix_results = [screener.screen(q) for q in sub]
    same = sum(a.hits == b.hits for a, b in zip(ex_results, ix_results, strict=True))
    per_ex = ex_t.seconds / len(sub)
    per_ix = ix_t.seconds / len(sub)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hits = sum(bool(r.hits) for r in results)

    lines = [
        f"Command: `python benchmarks/speed.py --queries {args.queries} --exhaustive-queries {args.exhaustive_queries} --builds {args.builds}` "
        f"(one core; {len(lists)} lists, {len(screener.entries):,} entries, {n_names:,} names; "
        f"{len(queries)} mixed queries, half list names with a letter changed at random, half clean names; {hits} with hits).",
        "",
        "| figure | value | floor / target |",
        "|---|---|---|",
        f"| index build (median of {args.builds}) | {statistics.median(builds):.2f} s | |",
        f"| index memory (a separate build under tracemalloc) | {build_peak / 2**20:.0f} MB traced peak, "
        f"{retained / 2**20:.0f} MB retained by the index | peak < 150 MB |",
        f"| process RSS after loading the four lists (pydantic entries) | {lists_rss:.0f} MB | |",
        f"| screen_many, cold caches (median of {args.builds} fresh builds, module caches emptied; each: "
        f"{', '.join(f'{c:,.0f}' for c in colds)}) | **{statistics.median(colds):,.0f} screens/s** | 2,000 / 5,000 |",
        f"| screen_many, warm caches | {len(queries) / warm.seconds:,.0f} screens/s | |",
        f"| single screen p50 | {p50:.2f} ms | |",
        f"| single screen p99 | **{p99:.2f} ms** | < 5 ms / < 2 ms |",
        f"| process peak RSS (lists + index + the exhaustive screener's second index) | {rss_mb:.0f} MB | |",
        f"| exhaustive scoring (baseline), per screen | {per_ex * 1000:.1f} ms | |",
        f"| index, same queries, per screen | {per_ix * 1000:.2f} ms | |",
        f"| **ratio exhaustive / index** | **{per_ex / per_ix:.0f}x** | |",
        f"| index hits == exhaustive hits | {same}/{len(sub)} queries | all |",
    ]
    record("Speed (benchmarks/speed.py)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
