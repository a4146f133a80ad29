"""Quality figures over the real files: alias recall, cross-script recall, false alerts per 1,000
clean names, the recall/alert trade-off as the threshold moves, and `compare` F1 on the variant
groups; each beside the foundation's plain matcher (benchmarks/common.py: BaselineMatcher).

    python benchmarks/quality.py [--baseline-negatives 2000]

Writes the tables to benchmarks/RESULTS.md and the curve to benchmarks/tradeoff.png.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from common import (
    BaselineMatcher,
    Timer,
    data_dir,
    four_lists,
    looks_arabic,
    name_looks_arabic,
    record,
)
from rapidfuzz import fuzz, process

from sanctions_screen import DEFAULT_THRESHOLD, Entry, Screener, Watchlist, compare, load_list
from sanctions_screen.names import normalize, phonetic_keys

FLOOR = 0.5  # screen at this threshold once, then read every threshold's figures off the scores
# Finer near the default, where it is calibrated.
THRESHOLDS = [
    0.6,
    0.65,
    0.7,
    0.75,
    0.78,
    0.8,
    0.82,
    0.83,
    0.84,
    0.85,
    0.86,
    0.87,
    0.88,
    0.9,
    0.93,
    0.95,
]


def held_out_cases(
    entries: Sequence[Entry], which: str
) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Entries with one name removed, and (query, entry id) for each removed name.

    which: 'primary' holds out the primary name, 'alias' the last strong alias,
    'arabic' the Arabic-script name (all original-script names leave the index)."""
    kept: list[Entry] = []
    cases: list[tuple[str, str]] = []
    for e in entries:
        names = list(e.names)
        latin = [n for n in names if n.kind != "original_script"]
        if which == "arabic":
            arabic = [
                n
                for n in names
                if n.kind == "original_script"
                and n.script in ("Arabic", None)
                and any("\u0600" <= ch <= "\u06ff" for ch in n.full)
            ]
            if arabic and latin:
                cases.append((arabic[0].full, e.id))
                names = latin
        elif (
            which in ("primary", "alias")
            and e.kind == "person"
            and len(latin) >= 2
            and looks_arabic(e)
        ):
            strong = [n for n in latin if n.kind in ("aka", "fka")]
            target = latin[0] if which == "primary" else (strong[-1] if strong else None)
            if target is not None:
                cases.append((target.full, e.id))
                names = [n for n in names if n is not target]
        kept.append(e.model_copy(update={"names": names}))
    return kept, cases


def is_variant(query: str, remaining: Sequence[str]) -> bool:
    """Whether a held-out name is a spelling variant of a name left in the index: at least half of
    its name tokens share a phonetic key with that name's tokens. Aliases that are other names
    altogether (a kunya, "The Doctor") no name matcher can find; this separates the two."""
    q = [set(t.keys) for t in normalize(query).tokens if t.role == "name"]
    if not q:
        return False
    for other in remaining:
        o = [set(t.keys) for t in normalize(other).tokens]
        if o and sum(any(x & y for y in o) for x in q) * 2 >= len(q):
            return True
    return False


SHAPES = (
    (
        "respelling",
        "every token of the held-out name and of a name left in the index meet one to one",
    ),
    ("shorter form", "every held-out token meets a token of a longer name left in the index"),
    ("longer form", "every token of a name left in the index (two or more) meets a held-out token"),
    ("other", "none of these, but a word in common: partly another name"),
    (
        "unrelated",
        "no word in common with any name left in the index, nor two words written as one: "
        "wholly another name",
    ),
)


def _covers(small: Sequence[set[str]], large: Sequence[set[str]]) -> bool:
    """Whether every token of `small` meets its own token of `large` (a shared phonetic key): a
    bipartite matching, by augmenting paths (names have a handful of tokens)."""
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j, keys in enumerate(large):
            if j in seen or not small[i] & keys:
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    return all(place(i, set()) for i in range(len(small)))


def held_out_shape(query: str, remaining: Sequence[str]) -> str:
    """How a held-out name relates to the names left in the index, by phonetic keys alone (not by
    our scores): one of the SHAPES. Separates what a name matcher should find (respellings) from
    shorter and longer forms, whose recall trades against false alerts, and other names."""
    q = [set(t.keys) for t in normalize(query).tokens if t.role == "name"]
    others = [[set(t.keys) for t in normalize(n).tokens if t.role == "name"] for n in remaining]
    others = [o for o in others if o]
    if not q:
        return "unrelated"
    if any(len(o) == len(q) and _covers(q, o) for o in others):
        return "respelling"
    if any(len(o) > len(q) and _covers(q, o) for o in others):
        return "shorter form"
    if any(2 <= len(o) < len(q) and _covers(o, q) for o in others):
        return "longer form"
    words = [k for n in remaining for k in _word_keys(n)]
    if any(a & b for a in _word_keys(query) for b in words):
        return "other"
    return "unrelated"


def _word_keys(name: str) -> list[set[str]]:
    """The phonetic keys of each word of a name, lineage names included, and of each two adjacent
    words written as one (Bahrum Syah / Bahrumsyah): all a name matcher could hold on to."""
    toks = [t for t in normalize(name).tokens if t.role != "particle"]
    glued = [phonetic_keys(a.folded + b.folded) for a, b in itertools.pairwise(toks)]
    return [set(t.keys) for t in toks] + [set(k) for k in glued]


def our_scores(entries: list[Entry], cases: list[tuple[str, str]]) -> list[tuple[float, bool]]:
    """For each case: the target's score (0 if below FLOOR) and whether it is the top hit."""
    s = Screener(Watchlist(name="heldout", version="x", entries=entries))
    out = []
    for query, target in cases:
        hits = s.screen(query, threshold=FLOOR, limit=50).hits
        score = next((h.score for h in hits if h.entry.id == target), 0.0)
        top = bool(hits) and score > 0 and score >= hits[0].score
        out.append((score, top))
    return out


def baseline_scores(entries: list[Entry], cases: list[tuple[str, str]]) -> list[tuple[float, bool]]:
    b = BaselineMatcher(entries)
    out = []
    for query, target in cases:
        scores = b.scores(query, FLOOR)
        score = scores.get(target, 0.0)
        out.append((score, score > 0 and score >= max(scores.values())))
    return out


def recall_at(scores: list[tuple[float, bool]], t: float) -> tuple[float, float]:
    n = len(scores) or 1
    return (sum(s >= t for s, _ in scores) / n, sum(s >= t and top for s, top in scores) / n)


def negatives(data) -> list[str]:
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        return [row["full_name"] for row in csv.DictReader(f)]


def alert_rate(max_scores: np.ndarray, t: float) -> float:
    return float((max_scores >= t).sum()) * 1000 / max(len(max_scores), 1)


def best_f1(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.unique(np.concatenate([pos, neg])):
        tp = (pos >= t).sum()
        fp = (neg >= t).sum()
        fn = len(pos) - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (float(f1), float(t))
    return best


def f1_at(pos: np.ndarray, neg: np.ndarray, t: float) -> float:
    tp = (pos >= t).sum()
    fp = (neg >= t).sum()
    fn = len(pos) - tp
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def variant_pairs(data) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    groups = json.loads(
        (data / "name_variants" / "variant_groups.json").read_text(encoding="utf-8")
    )
    items = [(g, s) for g, v in groups.items() for s in v]
    pos, neg = [], []
    for (g1, a), (g2, b) in itertools.combinations(items, 2):
        (pos if g1 == g2 else neg).append((a, b))
    return pos, neg


def pair_scores(fn: Callable[[str, str], float], pairs: list[tuple[str, str]]) -> np.ndarray:
    return np.asarray([fn(a, b) for a, b in pairs])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-negatives", type=int, default=2000)
    ap.add_argument(
        "--before",
        type=Path,
        help="RESULTS.md written by this script in a worktree of an earlier revision, run "
        "beside this one: its trade-off curve is drawn beside ours",
    )
    args = ap.parse_args()
    data = data_dir()
    lines: list[str] = [
        f"Command: `python benchmarks/quality.py --baseline-negatives {args.baseline_negatives}"
        + (f" --before {args.before}" if args.before else "")
        + "`. "
        f"DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}; the baseline (rapidfuzz token_sort_ratio over "
        f"unidecode-folded names) at its own threshold {BaselineMatcher.THRESHOLD}.",
        "",
    ]

    # -- recall ------------------------------------------------------------------------------------
    un = load_list(data / "un_2026-02-27/consolidated.xml").entries
    sdn21 = load_list(data / "ofac_sdn_2021-07-07").entries
    recall_rows = []
    curves: dict[str, list[tuple[float, bool]]] = {}
    variants: dict[str, list[bool]] = {}
    shapes: dict[str, list[str]] = {}
    base_curves: dict[str, list[tuple[float, bool]]] = {}
    for label, entries, which in (
        ("UN, primary held out", un, "primary"),
        ("UN, alias held out", un, "alias"),
        ("SDN 2021, primary held out", sdn21, "primary"),
        ("SDN 2021, alias held out", sdn21, "alias"),
        ("UN, Arabic script held out (cross-script)", un, "arabic"),
    ):
        kept, cases = held_out_cases(entries, which)
        with Timer() as t_ours:
            ours = our_scores(kept, cases)
        base = baseline_scores(kept, cases)
        curves[label] = ours
        by_id = {e.id: e for e in kept}
        variants[label] = [is_variant(q, [n.full for n in by_id[t].names]) for q, t in cases]
        shapes[label] = [held_out_shape(q, [n.full for n in by_id[t].names]) for q, t in cases]
        base_curves[label] = base
        r, top = recall_at(ours, DEFAULT_THRESHOLD)
        br, btop = recall_at(base, BaselineMatcher.THRESHOLD)
        recall_rows.append(
            f"| {label} | {len(cases)} | {r:.1%} | {top:.1%} | {br:.1%} | {btop:.1%} | {t_ours.seconds:.1f} s |"
        )
        print(recall_rows[-1], flush=True)
    alias_all = [x for k, v in curves.items() if "cross" not in k for x in v]
    variant_all = [
        x
        for k, v in curves.items()
        if "cross" not in k
        for x, var in zip(v, variants[k], strict=True)
        if var
    ]
    lines += [
        "### Recall (held-out names, Arabic-name individuals with several names)",
        "",
        "| set | queries | recall | as top hit | baseline recall | baseline top | time (ours) |",
        "|---|---|---|---|---|---|---|",
        *recall_rows,
        f"| **alias recall, all four sets** | {len(alias_all)} | **{recall_at(alias_all, DEFAULT_THRESHOLD)[0]:.1%}** | "
        f"{recall_at(alias_all, DEFAULT_THRESHOLD)[1]:.1%} | | | |",
        f"| **alias recall, spelling-variant aliases only** (half the held-out name's tokens share a key with a "
        f"name left in the index) | {len(variant_all)} | **{recall_at(variant_all, DEFAULT_THRESHOLD)[0]:.1%}** | "
        f"{recall_at(variant_all, DEFAULT_THRESHOLD)[1]:.1%} | | | |",
        "",
    ]
    shape_rows = []
    all_shapes = [s for k, v in shapes.items() if "cross" not in k for s in v]
    unrelated = all_shapes.count("unrelated") / max(len(all_shapes), 1)
    for shape, meaning in SHAPES:
        ours_s = [
            x
            for k, v in curves.items()
            if "cross" not in k
            for x, s in zip(v, shapes[k], strict=True)
            if s == shape
        ]
        base_s = [
            x
            for k, v in base_curves.items()
            if "cross" not in k
            for x, s in zip(v, shapes[k], strict=True)
            if s == shape
        ]
        shape_rows.append(
            f"| {shape}: {meaning} | {len(ours_s)} ({len(ours_s) / max(len(alias_all), 1):.0%}) | "
            f"**{recall_at(ours_s, DEFAULT_THRESHOLD)[0]:.1%}** | {recall_at(ours_s, 0.83)[0]:.1%} | "
            f"{recall_at(ours_s, 0.75)[0]:.1%} | {recall_at(base_s, BaselineMatcher.THRESHOLD)[0]:.1%} |"
        )
    lines += [
        "#### Alias recall by how the held-out name relates to the names left in the index",
        "",
        "Classified by phonetic keys alone, before any scoring (`held_out_shape`); the four alias "
        "sets above together.",
        "",
        "| held-out name | queries | recall at default | at 0.83 | at 0.75 | baseline recall |",
        "|---|---|---|---|---|---|",
        *shape_rows,
        "",
        f"No name matcher finds a name that has no word in common with the names left in the "
        f"index: with {unrelated:.1%} of the held-out names such, alias recall cannot exceed "
        f"**{1 - unrelated:.1%}** at any threshold, by any name matcher.",
        "",
    ]

    # -- false alerts ----------------------------------------------------------------------------
    lists = four_lists(data)
    names = negatives(data)
    arabic_script = np.asarray([any("\u0600" <= ch <= "\u06ff" for ch in n) for n in names])
    arabic_latin = np.asarray(
        [(not a) and name_looks_arabic(n) for n, a in zip(names, arabic_script, strict=True)]
    )
    screener = Screener(lists)
    with Timer() as t_neg:
        max_scores = np.asarray(
            [
                (r.hits[0].score if r.hits else 0.0)
                for r in screener.screen_many(names, threshold=FLOOR, limit=1)
            ]
        )
    person_scores = np.asarray(
        [
            (r.hits[0].score if r.hits else 0.0)
            for r in screener.screen_many(names, threshold=FLOOR, limit=1, kind="person")
        ]
    )
    rnd = random.Random(7)
    sample_idx = sorted(rnd.sample(range(len(names)), min(args.baseline_negatives, len(names))))
    base = BaselineMatcher([e for w in lists for e in w.entries])
    with Timer() as t_base:
        qs = [base.fold(names[i]) for i in sample_idx]
        base_max = np.zeros(len(qs))
        for start in range(0, len(qs), 200):
            m = process.cdist(
                qs[start : start + 200],
                base.names,
                scorer=fuzz.token_sort_ratio,
                dtype=np.uint8,
                workers=-1,
            )
            base_max[start : start + 200] = m.max(axis=1) / 100
    n_names = len(names)
    lines += [
        f"### False alerts: {n_names:,} clean names against {sum(len(w.entries) for w in lists):,} entries "
        f"({screener.index.name_count:,} names) of the 2024 SDN + 2025 aliases, OFAC consolidated, UN, UK",
        "",
        '| names | count | alerts per 1,000 (ours, at default) | ours with kind="person" | baseline per 1,000 (at 0.85, sample) |',
        "|---|---|---|---|---|",
        f"| all | {n_names} | **{alert_rate(max_scores, DEFAULT_THRESHOLD):.2f}** | {alert_rate(person_scores, DEFAULT_THRESHOLD):.2f} | {alert_rate(base_max, BaselineMatcher.THRESHOLD):.1f} (n={len(base_max)}) |",
        f"| Arabic script | {arabic_script.sum()} | {alert_rate(max_scores[arabic_script], DEFAULT_THRESHOLD):.2f} | {alert_rate(person_scores[arabic_script], DEFAULT_THRESHOLD):.2f} | |",
        f"| Arabic-looking Latin | {arabic_latin.sum()} | {alert_rate(max_scores[arabic_latin], DEFAULT_THRESHOLD):.2f} | {alert_rate(person_scores[arabic_latin], DEFAULT_THRESHOLD):.2f} | |",
        "",
        f"Screening the {n_names:,} names took {t_neg.seconds:.1f} s ({n_names / t_neg.seconds:.0f} names/s, one core); "
        f"the baseline's {len(base_max):,} took {t_base.seconds:.1f} s on all cores.",
        "",
    ]

    # -- trade-off ------------------------------------------------------------------------------------
    cross = curves["UN, Arabic script held out (cross-script)"]
    pos, neg = variant_pairs(data)
    ours_pos, ours_neg = pair_scores(compare, pos), pair_scores(compare, neg)
    rows = []
    for t in THRESHOLDS:
        rows.append(
            f"| {t:.2f} | {recall_at(alias_all, t)[0]:.1%} | {recall_at(variant_all, t)[0]:.1%} | {recall_at(cross, t)[0]:.1%} | "
            f"{alert_rate(max_scores, t):.2f} | {alert_rate(max_scores[arabic_script | arabic_latin], t):.2f} | "
            f"{alert_rate(person_scores, t):.2f} | {f1_at(ours_pos, ours_neg, t):.3f} |"
        )
    lines += [
        "### Trade-off as the threshold moves (ours)",
        "",
        "| threshold | alias recall | variant-alias recall | cross-script recall | alerts per 1,000 | Arabic-name alerts per 1,000 | alerts, kind=person | `compare` F1 |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Plot: `benchmarks/tradeoff.png`.",
        "",
    ]
    _plot(alias_all, cross, max_scores, _before_curve(args.before) if args.before else None)

    # -- compare F1 -------------------------------------------------------------------------------------
    base_pos, base_neg = (
        pair_scores(BaselineMatcher.compare, pos),
        pair_scores(BaselineMatcher.compare, neg),
    )
    of1, ot = best_f1(ours_pos, ours_neg)
    bf1, bt = best_f1(base_pos, base_neg)
    lines += [
        "### `compare` on the variant groups",
        "",
        f"{len(pos)} same-group pairs, {len(neg)} different-group pairs.",
        "",
        "| matcher | best-threshold F1 | at threshold | F1 at its default |",
        "|---|---|---|---|",
        f"| ours | **{of1:.3f}** | {ot:.3f} | {f1_at(ours_pos, ours_neg, DEFAULT_THRESHOLD):.3f} |",
        f"| baseline | {bf1:.3f} | {bt:.3f} | {f1_at(base_pos, base_neg, BaselineMatcher.THRESHOLD):.3f} |",
        "",
    ]
    record("Quality (benchmarks/quality.py)", "\n".join(lines))
    print("\n".join(lines))


def _before_curve(results: Path) -> list[tuple[float, float, float, float]]:
    """(threshold, alias recall, cross-script recall, alerts per 1,000) rows of the trade-off
    table in an earlier revision's RESULTS.md."""
    text = results.read_text(encoding="utf-8")
    table = text[text.index("### Trade-off as the threshold moves") :]
    rows = []
    for line in table.splitlines()[4:]:
        if not line.startswith("| 0."):
            break
        cells = [c.strip().rstrip("%") for c in line.strip("|").split("|")]
        rows.append(
            (float(cells[0]), float(cells[1]) / 100, float(cells[3]) / 100, float(cells[4]))
        )
    return rows


def _plot(alias_all, cross, max_scores, before=None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [alert_rate(max_scores, t) for t in THRESHOLDS]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(xs, [recall_at(alias_all, t)[0] for t in THRESHOLDS], "o-", label="alias recall")
    ax.plot(xs, [recall_at(cross, t)[0] for t in THRESHOLDS], "s-", label="cross-script recall")
    for t, x, y in zip(
        THRESHOLDS, xs, [recall_at(alias_all, t)[0] for t in THRESHOLDS], strict=True
    ):
        ax.annotate(f"{t:.2f}", (x, y), fontsize=7, textcoords="offset points", xytext=(3, 3))
    for column, marker, colour, what in (
        (1, "o--", "C0", "alias"),
        (2, "s--", "C1", "cross-script"),
    ):
        if before:
            xs_before = [r[3] for r in before]
            ys_before = [r[column] for r in before]
            ax.plot(
                xs_before,
                ys_before,
                marker,
                color=colour,
                alpha=0.4,
                label=f"{what} recall, before",
            )
    ax.axvline(2.0, color="grey", ls="--", lw=0.8, label="2 alerts per 1,000")
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("false alerts per 1,000 clean names")
    ax.set_ylabel("recall")
    ax.set_title("Recall against false alerts as the threshold moves")
    ax.legend()
    fig.tight_layout()
    fig.savefig(str(__import__("pathlib").Path(__file__).with_name("tradeoff.png")), dpi=110)


if __name__ == "__main__":
    main()
