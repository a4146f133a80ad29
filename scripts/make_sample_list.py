"""Rebuild lists/sample_list.jsonl: a few dozen hand-picked real designations from the official
files in the shared data folder, copied entry by entry with the project's own loaders.

    python scripts/make_sample_list.py [DATA_DIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sanctions_screen.models import Watchlist
from sanctions_screen.sources import load_list
from sanctions_screen.sources.native import dump_jsonl

PICKS = {
    "ofac_sdn_2021-07-07": [
        "27994",
        "2676",
        "2686",
        "4695",
        "4697",
        "6365",
        "6366",
        "10481",
        "11461",
        "11462",
        "12606",
        "12607",
        "12608",
        "12610",
        "16226",
        "26037",
        "26059",
        "28004",
        "28005",
        "28283",
        "30219",
        "30242",
        "8313",
        "12690",
    ],
    "ofac_cons_2025-12": ["9639", "9640"],
    "un_2026-02-27/consolidated.xml": ["QDi.299", "QDi.006", "IQi.001", "QDi.353", "QDi.325"],
}


def main() -> None:
    data = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get("SANCTIONS_SCREEN_DATA", "../shared/data")
    )
    entries = []
    for rel, ids in PICKS.items():
        wl = load_list(data / rel)
        by_id = {e.source_id: e for e in wl.entries}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise SystemExit(f"{rel}: ids not found: {missing}")
        entries.extend(by_id[i] for i in ids)
    out = Path(__file__).resolve().parents[1] / "lists" / "sample_list.jsonl"
    out.write_text(
        dump_jsonl(Watchlist(name="sample", version="2026-11-26", entries=entries)),
        encoding="utf-8",
    )
    print(f"wrote {len(entries)} entries to {out}")


if __name__ == "__main__":
    main()
