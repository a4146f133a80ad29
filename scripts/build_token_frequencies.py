"""Rebuild sanctions_screen/data/token_frequencies.json: per phonetic key, how many distinct
people or organisations carry a name token with that key.

Counted over every entry of the official lists in the shared data folder (one count per entry,
however many aliases repeat a name) and the 25,000 persons of the negatives set (a population of
ordinary names from many cultures). Two tables: folded romanised tokens (seen 3+ times) and
primary phonetic keys (seen 2+ times), the second for tokens the first lacks (Arabic script,
rare spellings). What is left out weighs as unseen.

    python scripts/build_token_frequencies.py [DATA_DIR]
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

from sanctions_screen.names import normalize
from sanctions_screen.names.origin import Origin
from sanctions_screen.sources import load_list

LISTS = [
    ["ofac_sdn_2024-05-03/sdn.csv", "ofac_sdn_aux_2025-12/alt.csv"],
    "ofac_cons_2025-12",
    "un_2026-02-27/consolidated.xml",
    "uk_ofsi_2025-04-14/ConList.xlsx",
]


def parts_of(names: list[str]) -> tuple[set[str], set[str]]:
    """(folded tokens, primary keys) of the name tokens of one entry's names."""
    tokens: set[str] = set()
    keys: set[str] = set()
    for n in names:
        for t in normalize(n).tokens:
            if t.role == "name":
                keys.add(t.keys[0])
                if t.origin != Origin.ARABIC:
                    tokens.add(t.folded)
    return tokens, keys


def main() -> None:
    data = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get("SANCTIONS_SCREEN_DATA", "../shared/data")
    )
    tokens: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    total = 0

    def count(names: list[str]) -> None:
        t, k = parts_of(names)
        tokens.update(t)
        keys.update(k)

    for spec in LISTS:
        wl = load_list([data / p for p in spec] if isinstance(spec, list) else data / spec)
        for e in wl.entries:
            count([n.full for n in e.names])
            total += 1
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            count([row["full_name"]])
            total += 1
    table = {
        "total_names": total,
        "tokens": {k: v for k, v in sorted(tokens.items()) if v >= 3},
        "keys": {k: v for k, v in sorted(keys.items()) if v >= 2},
    }
    out = (
        Path(__file__).resolve().parents[1] / "sanctions_screen" / "data" / "token_frequencies.json"
    )
    out.write_text(json.dumps(table, separators=(",", ":")), encoding="utf-8")
    print(
        f"{total} entries and persons, {len(table['tokens'])} tokens, {len(table['keys'])} keys -> {out}"
    )


if __name__ == "__main__":
    main()
