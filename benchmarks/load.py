"""Load time and peak memory per real list file, and for all of them together, each beside a
baseline measured in the same run: reading the same bytes and splitting them with the standard csv
or XML parser, with no entries built.

    python benchmarks/load.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from common import data_dir, record

from sanctions_screen import load_list

SETS: list[tuple[str, list[str]]] = [
    (
        "2024 SDN sdn.csv + 2025 alt/add/comments",
        [
            "ofac_sdn_2024-05-03/sdn.csv",
            "ofac_sdn_aux_2025-12/alt.csv",
            "ofac_sdn_aux_2025-12/add.csv",
            "ofac_sdn_aux_2025-12/sdn_comments.csv",
        ],
    ),
    ("2021 SDN set (4 files)", ["ofac_sdn_2021-07-07"]),
    ("OFAC consolidated CSV set", ["ofac_cons_2025-12"]),
    ("OFAC consolidated enhanced XML (zip)", ["ofac_cons_enhanced_2025-01/CONS_ENHANCED.ZIP"]),
    ("UN consolidated XML", ["un_2026-02-27/consolidated.xml"]),
    ("UK OFSI ConList.xlsx", ["uk_ofsi_2025-04-14/ConList.xlsx"]),
    ("OpenSanctions FtM (zala)", ["opensanctions_ftm_subsets/zala_entities.ftm.json"]),
]


def _files(data: Path, rels: list[str]) -> list[Path]:
    out: list[Path] = []
    for r in rels:
        p = data / r
        out.extend(sorted(p.iterdir()) if p.is_dir() else [p])
    return out


def baseline(paths: list[Path]) -> int:
    """Raw parse only: csv rows, XML elements, zip members; no models."""
    n = 0
    for p in paths:
        raw = p.read_bytes()
        if raw[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                for name in zf.namelist():
                    n += len(zf.read(name))
        elif raw.lstrip()[:1] == b"<":
            n += sum(1 for _ in ET.fromstring(raw).iter())
        else:
            n += sum(1 for _ in csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"))))
    return n


def measure(fn, repeat: int) -> tuple[float, float]:
    """(best seconds, traced peak MB) of fn()."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = data_dir()
    rows = []
    totals = [0.0, 0.0, 0.0]
    for label, rels in SETS:
        paths = _files(data, rels)
        target = [data / r for r in rels] if len(rels) > 1 else data / rels[0]
        t, mem = measure(lambda target=target: load_list(target), args.repeat)
        bt, _ = measure(lambda paths=paths: baseline(paths), args.repeat)
        n = len(load_list(target).entries)
        size = sum(p.stat().st_size for p in paths) / 2**20
        totals[0] += t
        totals[1] += bt
        rows.append(
            f"| {label} | {size:.1f} MB | {n:,} | {t:.2f} s | {bt:.2f} s | {t / bt:.1f}x | {mem:.0f} MB |"
        )
        print(rows[-1], flush=True)

    def all_lists() -> list:
        return [
            load_list([data / r for r in rels] if len(rels) > 1 else data / rels[0])
            for _, rels in SETS
        ]

    t_all, mem_all = measure(all_lists, 1)
    lines = [
        f"Command: `python benchmarks/load.py --repeat {args.repeat}` (best of {args.repeat}; peak = tracemalloc peak "
        "of Python allocations during one load). Baseline: the same bytes through csv.reader / ElementTree / "
        "zipfile only, no entries built, measured in the same run.",
        "",
        "| list | size | entries | load | baseline parse | ratio | peak memory |",
        "|---|---|---|---|---|---|---|",
        *rows,
        f"| **all of them together** | | | {t_all:.2f} s | {totals[1]:.2f} s | {t_all / totals[1]:.1f}x | {mem_all:.0f} MB |",
        "",
        "Aim: the 2024 SDN sdn.csv with the 2025 aliases in under 1 s and under 150 MB peak.",
    ]
    record("List loading (benchmarks/load.py)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
