"""The engine's second step, beside an earlier tree measured in the same run: recall on typos
(one keying error in one word of five letters or more, by error type, persons and
organisations) and on organisation legal forms (written out, abbreviated, left out), over the
four lists of the speed benchmark, at each tree's own DEFAULT_THRESHOLD.

    git worktree add /tmp/before ca32c15
    python benchmarks/second_step.py /tmp/before [--per-type 400]

Queries are built once, from the names of the lists (seeded), and screened by each tree in a
fresh process; a query hits when its entry is among the hits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from common import data_dir, four_lists, record, run_in_tree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Letters next to each other on a QWERTY keyboard: a slip of the finger.
_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {
    ch: "".join(
        r2[j]
        for i2, r2 in enumerate(_ROWS)
        if abs(i2 - i) <= 1
        for j in (k - 1, k, k + 1)
        if 0 <= j < len(r2) and (i2, j) != (i, k)
    )
    for i, row in enumerate(_ROWS)
    for k, ch in enumerate(row)
}
# Abbreviated and written-out legal forms (and generic words abbreviated), for building queries.
LEGAL = {
    "ltd": "limited",
    "co": "company",
    "corp": "corporation",
    "inc": "incorporated",
    "llc": "limited liability company",
    "jsc": "joint stock company",
    "pjsc": "public joint stock company",
    "cjsc": "closed joint stock company",
    "ojsc": "open joint stock company",
    "sa": "societe anonyme",
    "ag": "aktiengesellschaft",
    "gmbh": "gesellschaft mit beschrankter haftung",
    "ooo": "obshchestvo s ogranichennoy otvetstvennostyu",
    "plc": "public limited company",
    "llp": "limited liability partnership",
    "intl": "international",
}
# (as written, replacement, label), longest first.
FORMS = sorted(
    [(short, long, "written out") for short, long in LEGAL.items()]
    + [(long, short, "abbreviated") for short, long in LEGAL.items()],
    key=lambda f: (-len(f[0].split()), -len(f[0]), f[0]),
)
_WORD = re.compile(r"[A-Za-z]+")
# A legal-form query keeps every other word as listed, digits included (EKOS1, 200G, 3D MALL):
# only its legal form changes.
_NAME_WORD = re.compile(r"[A-Za-z0-9]+")


def typo(word: str, kind: str, rnd: random.Random) -> str:
    """One keying error of `kind` in `word` (lowercase letters)."""
    i = rnd.randrange(1, len(word) - 1)  # not the first letter: people rarely miss it
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if word[i] != word[i + 1] else ""
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "insertion":
        return word[:i] + rnd.choice("abcdefghijklmnopqrstuvwxyz") + word[i:]
    options = NEIGHBOURS.get(word[i], "")
    return word[:i] + rnd.choice(options) + word[i + 1 :] if options else ""


def typo_queries(lists, per_type: int) -> list[dict]:
    rnd = random.Random(11)
    out: list[dict] = []
    for kind in ("person", "organization"):
        entries = [e for w in lists for e in w.entries if e.kind == kind]
        rnd.shuffle(entries)
        for error in ("swap", "drop", "insertion", "neighbouring key"):
            made = 0
            for e in entries:
                if made >= per_type // 2:
                    break
                name = e.names[0].full
                words = [m for m in _WORD.finditer(name) if len(m.group()) >= 5]
                if not name.isascii() or not words:
                    continue
                m = rnd.choice(words)
                wrong = typo(m.group().lower(), error, rnd)
                if not wrong:
                    continue
                query = name[: m.start()] + wrong + name[m.end() :]
                out.append({"set": f"typo: {error}", "kind": kind, "query": query, "id": e.id})
                made += 1
    return out


def legal_queries(lists, per_type: int) -> list[dict]:
    rnd = random.Random(12)
    found: dict[str, list[dict]] = defaultdict(list)
    for w in lists:
        for e in w.entries:
            if e.kind != "organization" or not e.names[0].full.isascii():
                continue
            words = [x.lower() for x in _NAME_WORD.findall(e.names[0].full.replace(".", ""))]
            text = " ".join(words)
            # The longest form first, and one form per name (Limited in Limited Liability
            # Company is no legal form of its own), at either end of it, where legal forms go
            # (the S.A. of S.A. de C.V. is part of a longer one).
            for have, other, label in FORMS:
                if text.startswith(have + " ") or text.endswith(" " + have):
                    found[label].append(
                        {"query": re.sub(rf"\b{have}\b", other, text, count=1), "id": e.id}
                    )
                    rest = re.sub(rf"\s*\b{have}\b", "", text, count=1).strip()
                    if rest and other != "intl" and have != "international":
                        found["left out"].append({"query": rest, "id": e.id})
                    break
    out: list[dict] = []
    for label, items in sorted(found.items()):
        rnd.shuffle(items)
        out += [
            {"set": f"legal form {label}", "kind": "organization", **q} for q in items[:per_type]
        ]
    return out


RUN = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from common import data_dir, four_lists
from sanctions_screen import DEFAULT_THRESHOLD, Screener
queries = json.load(open(sys.argv[2]))
s = Screener(four_lists(data_dir()))
hits = [
    q["id"] in {h.entry.id for h in r.hits}
    for q, r in zip(queries, s.screen_many([q["query"] for q in queries], limit=50))
]
print(json.dumps({"threshold": DEFAULT_THRESHOLD, "hits": hits}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path, help="a worktree of the earlier revision")
    ap.add_argument("--per-type", type=int, default=400)
    args = ap.parse_args()
    lists = four_lists(data_dir())
    queries = typo_queries(lists, args.per_type) + legal_queries(lists, args.per_type)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(queries, f)
    results = {}
    for label, tree in (("before", args.before), ("now", ROOT)):
        t = time.perf_counter()
        results[label] = run_in_tree(tree, RUN, f.name)
        print(f"{label}: {time.perf_counter() - t:.0f} s", flush=True)
    os.unlink(f.name)
    rows = []
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        groups[q["set"]].append(i)
        if q["set"].startswith("typo"):
            groups[f"typo, {q['kind']}s"].append(i)
            groups["**typo, all**"].append(i)
        else:
            groups["**legal forms, all**"].append(i)
    order = [
        *(f"typo: {e}" for e in ("swap", "drop", "insertion", "neighbouring key")),
        "typo, persons",
        "typo, organizations",
        "**typo, all**",
        *(f"legal form {e}" for e in ("written out", "abbreviated", "left out")),
        "**legal forms, all**",
    ]
    for name in sorted(groups, key=lambda g: order.index(g) if g in order else len(order)):
        idx = groups[name]
        before = sum(results["before"]["hits"][i] for i in idx) / len(idx)
        now = sum(results["now"]["hits"][i] for i in idx) / len(idx)
        rows.append(f"| {name} | {len(idx)} | {before:.1%} | **{now:.1%}** |")
    body = "\n".join(
        [
            f"Command: `python benchmarks/second_step.py {args.before} --per-type {args.per_type}` "
            f"(before: `{args.before}`, a worktree of the earlier revision, at its DEFAULT_THRESHOLD "
            f"{results['before']['threshold']}; now at {results['now']['threshold']}). Four lists; "
            "a query hits when its entry is among the hits.",
            "",
            "| queries | count | recall before | recall now |",
            "|---|---|---|---|",
            *rows,
            "",
            "Typos: one error in one word of five letters or more of a primary name (not its first "
            "letter): two adjacent letters swapped, a letter dropped, a letter inserted, a letter "
            "replaced by a neighbouring key. Legal forms: an organisation's primary name with its "
            "legal form (or Co, Corp, Intl) written out, abbreviated, or left out.",
        ]
    )
    record("Typos and legal forms (benchmarks/second_step.py)", body)
    print(body)


if __name__ == "__main__":
    main()
