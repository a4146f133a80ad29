"""Same-run A/B of two source trees of the library (this machine is shared and noisy: only
figures measured side by side, alternating, compare). Each run, in a fresh process per tree:
build the four lists' screener, screen 20,000 mixed queries cold then warm, and screen a
30,000-row CSV with `screen_file` (a fresh screener). Medians of `--repeat` runs per tree.

    git worktree add /tmp/before <rev>
    python benchmarks/ab.py /tmp/before . [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

from batch import make_input
from common import data_dir, record, run_in_tree

HERE = Path(__file__).resolve().parent

RUN = r"""
import json, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from common import data_dir, four_lists
from speed import mixed_queries
from sanctions_screen import Screener
from sanctions_screen.batch import screen_file
data = data_dir()
lists = four_lists(data)
queries = mixed_queries(lists, data, 20000)
s = Screener(lists)
t = time.perf_counter(); n = sum(1 for _ in s.screen_many(queries)); cold = n / (time.perf_counter() - t)
t = time.perf_counter(); n = sum(1 for _ in s.screen_many(queries)); warm = n / (time.perf_counter() - t)
s = Screener(lists)
with tempfile.TemporaryDirectory() as tmp:
    t = time.perf_counter()
    rows = screen_file(s, sys.argv[2], tmp + "/out.csv", name_column="full_name", id_column="cid",
                       birth_date_column="dob").rows
    batch = rows / (time.perf_counter() - t)
print(json.dumps({"cold": cold, "warm": warm, "batch": batch}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    figures: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.csv"
        make_input(data_dir(), src, 30_000)
        for i in range(args.repeat):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for which in order:
                figures[which].append(run_in_tree(getattr(args, which), RUN, str(src)))
                print(which, {k: round(v) for k, v in figures[which][-1].items()}, flush=True)
    rev = subprocess.run(
        ["git", "-C", str(args.before), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = [
        f"Command: `python benchmarks/ab.py <worktree at {rev or 'before'}> . --repeat {args.repeat}` "
        "(medians of alternating runs, each in a fresh process; four lists; 20,000 mixed queries; "
        "a 30,000-row CSV).",
        "",
        "| figure | before | after | after / before |",
        "|---|---|---|---|",
    ]
    for key, label in (
        ("cold", "screen_many, cold caches (screens/s)"),
        ("warm", "screen_many, warm caches, 20,000 distinct queries (screens/s)"),
        ("batch", "screen_file, 30,000 rows with birth dates (rows/s)"),
    ):
        b = statistics.median(f[key] for f in figures["before"])
        a = statistics.median(f[key] for f in figures["after"])
        lines.append(f"| {label} | {b:,.0f} | {a:,.0f} | **{a / b:.2f}x** |")
    record("A/B against the previous code (benchmarks/ab.py)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
