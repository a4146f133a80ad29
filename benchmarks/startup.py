"""Start-up with a saved index, beside a fresh build measured in the same run, on the four lists
of the speed benchmark (2024 SDN + 2025 aliases, OFAC consolidated, UN, UK):

- the fresh build (`Screener(lists)`, lists already parsed), median of --builds;
- `Screener.save`, the file's size;
- `Screener.load` in a fresh process, and that process's peak RSS once it has screened one name;
- the whole command `sanctions-screen screen NAME --list ...` with the saved index in place (wall
  clock, Python start-up included), beside `python -c pass` and the command's imports alone, and
  beside the same command building its index (the first run);
- `sanctions-screen batch --workers 2`: each worker's unique set size (USS), sampled while it runs.

    python benchmarks/startup.py [--builds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Timer, data_dir, four_lists, record

from sanctions_screen import Screener

QUERY = "Qasem Soleimani"
LOAD_AND_SCREEN = """
import json, sys, time
t0 = time.perf_counter()
from sanctions_screen import Screener
t1 = time.perf_counter()
s = Screener.load(sys.argv[1])
t2 = time.perf_counter()
hits = len(s.screen(sys.argv[2]).hits)
t3 = time.perf_counter()
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "screen": t3 - t2, "hits": hits,
                  "peak_rss_mb": int(hwm) / 1024}))
"""

# A worker's start: forked from a process that loaded the index and mapped all of it
# (`prepare_workers`, as `batch --workers` does), it screens one name, then a first chunk of 256;
# its unique set size after each.
FORKED_WORKER = """
import json, os, sys
from sanctions_screen import Screener
def uss():
    with open("/proc/self/smaps_rollup") as f:
        return sum(int(l.split()[1]) for l in f if l.startswith(("Private_Clean:", "Private_Dirty:"))) / 1024
s = Screener.load(sys.argv[1])
s.prepare_workers()
names = open(sys.argv[2], encoding="utf-8").read().splitlines()[1:257]
r, w = os.pipe()
if os.fork() == 0:
    out = {"forked": uss()}
    s.screen(names[0]); out["one name"] = uss()
    list(s.screen_many(names)); out["256 names"] = uss()
    os.write(w, json.dumps(out).encode()); os._exit(0)
os.wait()
print(os.read(r, 1000).decode())
"""


def wall(cmd: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall-clock seconds of a command over `runs` runs."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def list_folders(data: Path, tmp: Path) -> list[Path]:
    """The four lists as --list arguments: the 2024 SDN with the 2025 aliases in one folder (a
    copy, outside the repository), the others as they are."""
    sdn = tmp / "sdn"
    sdn.mkdir()
    shutil.copy(data / "ofac_sdn_2024-05-03/sdn.csv", sdn / "sdn.csv")
    for name in ("alt.csv", "sdn_comments.csv"):
        shutil.copy(data / "ofac_sdn_aux_2025-12" / name, sdn / name)
    return [
        sdn,
        data / "ofac_cons_2025-12",
        data / "un_2026-02-27/consolidated.xml",
        data / "uk_ofsi_2025-04-14/ConList.xlsx",
    ]


def uss_mb(pid: int) -> float:
    """Unique set size of a process: the pages only it maps."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(c) for c in text]
    return out


def worker_uss(cmd: list[str], env: dict[str, str]) -> tuple[list[float], list[float], float]:
    """Each worker's USS at its first sample (forked, its first chunk under way) and
    the highest sampled over the run, and the parent's highest, over one batch run."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started: dict[int, float] = {}
    early: dict[int, float] = {}
    most: dict[int, float] = {}
    parent = 0.0
    while proc.poll() is None:
        try:
            parent = max(parent, uss_mb(proc.pid))
            for c in children(proc.pid):
                uss = uss_mb(c)
                started.setdefault(c, time.perf_counter())
                if c not in early:  # its first sample: forked, first chunk under way
                    early[c] = uss
                most[c] = max(most.get(c, 0.0), uss)
        except (FileNotFoundError, ProcessLookupError):
            pass
        time.sleep(0.05)
    return list(early.values())[:2], list(most.values())[:2], parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--builds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data = data_dir()
    lists = four_lists(data)
    builds = []
    for _ in range(args.builds):
        with Timer() as t:
            screener = Screener(lists)
        builds.append(t.seconds)
    build = statistics.median(builds)
    tmp = Path(tempfile.mkdtemp(prefix="startup-"))
    index = tmp / "four.index"
    with Timer() as save:
        screener.save(index)
    size_mb = index.stat().st_size / 2**20

    loads = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", LOAD_AND_SCREEN, str(index), QUERY],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(args.runs)
    ]
    load = statistics.median(r["load"] for r in loads)
    peak = max(r["peak_rss_mb"] for r in loads)
    imports = statistics.median(r["import"] for r in loads)

    env = {**os.environ, "SANCTIONS_SCREEN_CACHE": str(tmp / "cache")}
    cli = [sys.executable, "-m", "sanctions_screen.cli"]
    list_args = [a for p in list_folders(data, tmp) for a in ("--list", str(p))]
    command = [*cli, "screen", QUERY, *list_args]
    first = wall(command, env, 1)  # builds and saves the index
    warm = wall(command, env, args.runs)
    python = wall([sys.executable, "-c", "pass"], env, args.runs)
    cli_imports = wall([sys.executable, "-c", "import sanctions_screen.cli"], env, args.runs)

    names = tmp / "names.csv"
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        negatives = [row["full_name"] for row in csv.DictReader(f)][:6000]
    names.write_text("full_name\n" + "\n".join(negatives) + "\n", encoding="utf-8")
    forked = json.loads(
        subprocess.run(
            [sys.executable, "-c", FORKED_WORKER, str(index), str(names)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    early, workers, parent_uss = worker_uss(
        [
            *cli,
            "batch",
            str(names),
            "--name-column",
            "full_name",
            "--workers",
            "2",
            "-o",
            str(tmp / "out.csv"),
            *list_args,
        ],
        env,
    )
    shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ("fresh build (baseline)", f"{build:.2f} s", "1.00x", "at most 2.5 s"),
        (
            "Screener.save",
            f"{save.seconds:.2f} s, {size_mb:.0f} MB file",
            f"{save.seconds / build:.2f}x",
            "",
        ),
        (
            "Screener.load (fresh process)",
            f"{load * 1000:.0f} ms",
            f"{load / build:.3f}x",
            "at most 0.3 s",
        ),
        ("peak RSS: load + screen one name", f"{peak:.0f} MB", "", "at most 150 MB"),
        (
            "`sanctions-screen screen` with the saved index",
            f"{warm:.2f} s",
            f"{warm / first:.3f}x of the first run",
            "at most 1.0 s",
        ),
        ("  of which Python start-up (`python -c pass`)", f"{python:.2f} s", "", ""),
        (
            "  of which imports (`import sanctions_screen.cli`, start-up included)",
            f"{cli_imports:.2f} s",
            "",
            "",
        ),
        (
            "  of which imports in the load process (`from sanctions_screen import Screener`)",
            f"{imports:.2f} s",
            "",
            "",
        ),
        (
            "`sanctions-screen screen`, first run (builds and saves the index)",
            f"{first:.2f} s",
            "1.00x",
            "",
        ),
        (
            "`batch --workers 2`: USS of each worker at its first sample (forked, first chunk)",
            ", ".join(f"{w:.0f} MB" for w in early),
            "",
            "at most 40 MB each",
        ),
        (
            "a worker forked after `Screener.load`: USS after one name, after its first 256",
            f"{forked['one name']:.0f} MB, {forked['256 names']:.0f} MB",
            "",
            "at most 40 MB each",
        ),
        (
            "`batch --workers 2`: USS of each worker, highest over 6,000 names (caches filled)",
            ", ".join(f"{w:.0f} MB" for w in workers),
            "",
            "",
        ),
        ("`batch --workers 2`: USS of the parent", f"{parent_uss:.0f} MB", "", ""),
    ]
    table = "| measure | value | ratio | aim |\n|---|---|---|---|\n" + "\n".join(
        f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows
    )
    print(table)
    record(
        "Start-up: saved index (issue 15)",
        "Command: `python benchmarks/startup.py` (four lists of the speed benchmark: "
        f"{screener.index.name_count:,} names, {len(screener.entries):,} entries; {args.runs} runs "
        f"each, median; builds: {', '.join(f'{b:.1f}' for b in builds)} s).\n\n{table}\n",
    )


if __name__ == "__main__":
    main()
