"""Batch screening of a 100,000-name file against all the lists in shared/data: rows per second with
--workers 1 and --workers 2 (the ratio should approach the core count), peak memory against input
size (it should stay flat), and the Spark local[2] run with its start-up overhead.

    python benchmarks/batch.py [--rows 100000] [--no-spark]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import data_dir, record

ROOT = Path(__file__).resolve().parents[1]

# Every list file in shared/data (the 2021 SDN set is left out: the 2024 file supersedes it and the
# two share entry ids).
LISTS = [
    "ofac_sdn_2024-05-03/sdn.csv",
    "ofac_cons_2025-12",
    "un_2026-02-27/consolidated.xml",
    "uk_ofsi_2025-04-14/ConList.xlsx",
    "opensanctions_ftm_subsets/zala_entities.ftm.json",
    "opensanctions_ftm_subsets/t1_entities.ftm.json",
]


def make_input(data: Path, path: Path, rows: int, seed: int = 5) -> None:
    """Negatives and list names (a fifth), shuffled, with ids."""
    rnd = random.Random(seed)
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        people = [(r["full_name"], r["date_of_birth"]) for r in csv.DictReader(f)]
    with open(data / "ofac_sdn_2021-07-07" / "alt.csv", encoding="cp1252") as f:
        listed = [(row[3], "") for row in csv.reader(f) if len(row) > 3]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cid", "full_name", "dob"])
        for i in range(rows):
            name, dob = rnd.choice(listed) if rnd.random() < 0.2 else rnd.choice(people)
            w.writerow([f"c{i}", name, dob])


RUNNER = r"""
import json, resource, sys, time
from sanctions_screen import Screener, load_list
from sanctions_screen.batch import screen_file
data, src, out, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lists = [load_list(data + "/" + p) for p in json.loads(sys.argv[5])]
t0 = time.perf_counter()
screener = Screener(lists)
build = time.perf_counter() - t0
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t1 = time.perf_counter()
summary = screen_file(screener, src, out, name_column="full_name", id_column="cid", birth_date_column="dob",
                      workers=workers)
run = time.perf_counter() - t1
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rows": summary.rows, "seconds": run, "build": build, "rss_before_mb": before / 1024,
                  "rss_mb": me / 1024, "children_rss_mb": kids / 1024, "errors": summary.errors,
                  "hits": summary.rows_with_hits}))
"""

SPARK_RUNNER = r"""
import json, os, sys, time
os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
t0 = time.perf_counter()
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate())
startup = time.perf_counter() - t0
from sanctions_screen import Screener, load_list
from sanctions_screen.spark import screen_dataframe
data, src = sys.argv[1], sys.argv[2]
screener = Screener([load_list(data + "/" + p) for p in json.loads(sys.argv[3])])
df = spark.read.option("header", True).csv(src).repartition(4)
t1 = time.perf_counter()
n = screen_dataframe(df, "full_name", screener, birth_date_column="dob").filter("screen_hit_count >= 0").count()
run = time.perf_counter() - t1
spark.stop()
print(json.dumps({"rows": n, "seconds": run, "startup": startup}))
"""


def run_batch(data: Path, src: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.csv"
        r = subprocess.run(
            [
                sys.executable,
                "-c",
                RUNNER,
                str(data),
                str(src),
                str(out),
                str(workers),
                json.dumps(LISTS),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(r.stdout.strip().splitlines()[-1])


def run_cli(data: Path, src: Path, workers: int) -> float:
    """Wall-clock seconds of the whole `sanctions-screen batch` command, as a user times it: the
    lists loaded and the index built (once, before the workers fork), then the rows screened."""
    lists = [a for p in LISTS for a in ("--list", str(data / p))]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sanctions_screen.cli", "batch", str(src), "-o"]
        cmd += [str(Path(tmp) / "out.csv"), "--name-column", "full_name", "--id-column", "cid"]
        cmd += ["--birth-date-column", "dob", "--workers", str(workers), *lists]
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    data = data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.csv"
        small = Path(tmp) / "small.csv"
        make_input(data, big, args.rows)
        make_input(data, small, args.rows // 10)
        w1 = run_batch(data, big, 1)
        print("workers 1", w1, flush=True)
        w2 = run_batch(data, big, 2)
        print("workers 2", w2, flush=True)
        s1 = run_batch(data, small, 1)
        print("small", s1, flush=True)
        cli1 = run_cli(data, big, 1)
        cli2 = run_cli(data, big, 2)
        print("cli", cli1, cli2, flush=True)
        spark = None
        if not args.no_spark:
            r = subprocess.run(
                [sys.executable, "-c", SPARK_RUNNER, str(data), str(big), json.dumps(LISTS)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYSPARK_PYTHON": sys.executable},
            )
            if r.returncode == 0:
                spark = json.loads(r.stdout.strip().splitlines()[-1])
                print("spark", spark, flush=True)
            else:
                print(r.stderr[-2000:], file=sys.stderr)
    r1 = w1["rows"] / w1["seconds"]
    r2 = w2["rows"] / w2["seconds"]
    lines = [
        f"Command: `python benchmarks/batch.py --rows {args.rows}` on this 2-core machine. Input: {args.rows:,} rows "
        "(negatives and, one row in five, SDN aliases), CSV in, CSV out, against the 2024 SDN, OFAC consolidated, "
        "UN, UK and OpenSanctions files (index build excluded from the rates, shown apart).",
        "",
        "| run | rows/s | time | index build | peak RSS |",
        "|---|---|---|---|---|",
        f"| --workers 1 | {r1:,.0f} | {w1['seconds']:.1f} s | {w1['build']:.1f} s | {w1['rss_mb']:.0f} MB (after lists+index: {w1['rss_before_mb']:.0f} MB) |",
        f"| --workers 2 | {r2:,.0f} | {w2['seconds']:.1f} s | {w2['build']:.1f} s | parent {w2['rss_mb']:.0f} MB, largest worker {w2['children_rss_mb']:.0f} MB |",
        f"| **ratio workers 2 / workers 1** | **{r2 / r1:.2f}x** | | | |",
        f"| whole command, --workers 1 (lists loaded, index built, rows screened) | {args.rows / cli1:,.0f} | {cli1:.1f} s | included | |",
        f"| whole command, --workers 2 | {args.rows / cli2:,.0f} | {cli2:.1f} s | included | |",
        f"| **ratio of the whole command, workers 2 / workers 1** | **{cli1 / cli2:.2f}x** | | | |",
        f"| --workers 1, {args.rows // 10:,} rows (memory against input size) | {s1['rows'] / s1['seconds']:,.0f} | {s1['seconds']:.1f} s | | {s1['rss_mb']:.0f} MB vs {w1['rss_mb']:.0f} MB for 10x the rows |",
    ]
    if spark:
        lines.append(
            f"| Spark local[2], mapInArrow | {spark['rows'] / spark['seconds']:,.0f} | {spark['seconds']:.1f} s | "
            f"session start-up {spark['startup']:.1f} s | |"
        )
    section = "Batch (benchmarks/batch.py)"
    if args.rows != 100_000 or args.no_spark:
        section = f"Batch, {args.rows:,} rows (benchmarks/batch.py --rows {args.rows})"
    record(section, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
