"""Normaliser figures over the variant groups (shared/data/name_variants): phonetic-key recall and
false merges, `compare` F1 beside the foundation's plain matcher, and normalisation speed.

    python benchmarks/names.py
"""

from __future__ import annotations

import csv
import itertools
import json
import time

import numpy as np
from common import BaselineMatcher, data_dir, four_lists, record
from quality import best_f1, f1_at

from sanctions_screen import DEFAULT_THRESHOLD, compare
from sanctions_screen.names import fold_token, normalize, phonetic_keys


def keysets(name: str) -> list[set[str]]:
    return [set(t.keys) for t in normalize(name).tokens]


def covers(a: list[set[str]], b: list[set[str]]) -> bool:
    """Every token of `a` shares a key with some token of `b`."""
    return bool(a) and all(any(x & y for y in b) for x in a)


def main() -> None:
    data = data_dir()
    groups = json.loads(
        (data / "name_variants" / "variant_groups.json").read_text(encoding="utf-8")
    )
    items = [(g, s) for g, v in groups.items() for s in v]
    same = diff = recall = merge_shorter = merge_both = 0
    arabic_same = arabic_recall = 0
    misses: list[tuple[str, str]] = []
    pos: list[tuple[str, str]] = []
    neg: list[tuple[str, str]] = []
    for (g1, a), (g2, b) in itertools.combinations(items, 2):
        ka, kb = keysets(a), keysets(b)
        short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
        shared = covers(short, long)
        if g1 == g2:
            pos.append((a, b))
            same += 1
            recall += shared
            if any("\u0600" <= c <= "\u06ff" for c in a + b):
                arabic_same += 1
                arabic_recall += shared
            if not shared:
                misses.append((a, b))
        else:
            neg.append((a, b))
            diff += 1
            merge_shorter += shared
            merge_both += covers(ka, kb) and covers(kb, ka)
    ours_pos = np.asarray([compare(a, b) for a, b in pos])
    ours_neg = np.asarray([compare(a, b) for a, b in neg])
    base_pos = np.asarray([BaselineMatcher.compare(a, b) for a, b in pos])
    base_neg = np.asarray([BaselineMatcher.compare(a, b) for a, b in neg])
    of1, ot = best_f1(ours_pos, ours_neg)
    bf1, bt = best_f1(base_pos, base_neg)

    # Speed: every name of the four lists and the negatives, once with cold caches, then with the
    # token caches warm (full-name cache cleared, as for names never seen whole before).
    names = [n.full for w in four_lists(data) for e in w.entries for n in e.names]
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        names += [row["full_name"] for row in csv.DictReader(f)]
    for fn in (normalize, fold_token, phonetic_keys):
        fn.cache_clear()
    t = time.perf_counter()
    for n in names:
        normalize(n)
    cold = len(names) / (time.perf_counter() - t)
    normalize.cache_clear()
    t = time.perf_counter()
    for n in names:
        normalize(n)
    warm = len(names) / (time.perf_counter() - t)
    repeated = names[:10_000] * 5  # fits the full-name cache (20,000 names)
    t = time.perf_counter()
    for n in repeated:
        normalize(n)
    cached = len(repeated) / (time.perf_counter() - t)

    lines = [
        "Command: `python benchmarks/names.py`. Pairs from `variant_groups.json`: "
        f"{same} same-group pairs, {diff} different-group pairs.",
        "",
        "| figure | value | aim |",
        "|---|---|---|",
        f"| key recall (every token of the shorter name shares a key with the other) | **{recall / same:.1%}** | >= 97% |",
        f"| key recall, pairs with an Arabic-script member | {arabic_recall / arabic_same:.1%} ({arabic_same} pairs) | |",
        f"| key false merges, all tokens of both names share keys | **{merge_both / diff:.2%}** | <= 2% |",
        f"| key false merges, read one way (shorter name's tokens all share keys: a subset such as Husayn / Saddam Hussein counts) | {merge_shorter / diff:.2%} | |",
        f"| `compare` best-threshold F1 (ours) | **{of1:.3f}** at {ot:.3f}; {f1_at(ours_pos, ours_neg, DEFAULT_THRESHOLD):.3f} at DEFAULT_THRESHOLD | |",
        f"| `compare` best-threshold F1 (foundation's plain matcher, same pairs) | {bf1:.3f} at {bt:.3f}; {f1_at(base_pos, base_neg, BaselineMatcher.THRESHOLD):.3f} at 0.85 | |",
        f"| names normalised per second, one core, cold caches ({len(names):,} names) | {cold:,.0f} | |",
        f"| names normalised per second, token caches warm, full-name cache cleared | **{warm:,.0f}** | >= 100,000 |",
        f"| names normalised per second, 10,000 names repeated (full-name cache) | {cached:,.0f} | |",
        "",
        "Key misses: "
        + "; ".join(f"{a} / {b}" for a, b in misses[:20])
        + (" ..." if len(misses) > 20 else ""),
    ]
    record("Names (benchmarks/names.py)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
