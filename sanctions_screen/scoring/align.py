"""Align a query's tokens with one listed name's tokens and turn the alignment into a score.

Each token is used at most once; order does not matter ("Ahmed Ali" and "Ali Ahmed" score the same:
lists and forms disagree on which name comes first, so order is no evidence). A glued token may
align with two adjacent split ones (Abdulrahman / Abdul Rahman).

The name score, with query weights Tq, listed-name weights Tc, matched weights mq and mc (each
matched weight times its similarity) and unmatched weights uq = Tq - mq, uc = Tc - mc:

    base     = (mq + mc) / (mq + mc + QUERY_SLACK * uq + LISTED_SLACK * uc)
    conflict = min(Uq, Uc)
    score    = base * max(0, 1 - CONFLICT_PENALTY * conflict / Tq)

where Uq and Uc are the full weights of the tokens left unmatched on each side: a spelling
difference of a matched token lowers mq and mc once, while only a token with no counterpart is
a contradiction (before, the similarity shortfall counted twice, and Yusuf / Youssef fell under
the threshold).

With `STRONG_TOKENS` query tokens or more matched, both slacks count `STRONG_SLACK` times as
much. Unmatched query tokens cost more than unmatched listed ones: lists carry long forms (Usama bin
Muhammad bin Awad bin Ladin) that a query rarely repeats, while a query name the list does not
explain is evidence of another person (James Baxter is not the alias BAXTER). Unmatched tokens on
both sides are a contradiction (Hussein Falih Aziz / Hassan Falih Aziz), punished by the conflict
term. A listed name whose matched tokens carry little information (one common given name) cannot
reach a full score. The parameters were chosen on the recall / false-alert trade-off in
benchmarks/RESULTS.md. The score only grows with mq and mc, which lets the index prune with an
upper bound and lose no hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

QUERY_SLACK = 1.5
LISTED_SLACK = 0.75
CONFLICT_PENALTY = 0.5
# Three query tokens or more matched: the unmatched ones on either side cost this share of their
# slack. Three agreeing name parts are rarely a coincidence, while a longer or shorter form of the
# name is common (Kamal Mustafa Abdallah / AL-TIKRITI, Kamal Mustafa Sultan Abdallah); two are
# often one common given name and one common family name.
STRONG_TOKENS = 3
STRONG_SLACK = 0.5


class Option(NamedTuple):
    """One way to align: query token positions, listed token positions, similarity."""

    similarity: float
    query: tuple[int, ...]
    listed: tuple[int, ...]


def name_score(
    mq: np.ndarray | float,
    mc: np.ndarray | float,
    tq: np.ndarray | float,
    tc: np.ndarray | float,
    strong: np.ndarray | bool,
    conflict: np.ndarray | float,
    listed_factor: np.ndarray | float = 1.0,
    query_factor: np.ndarray | float = 1.0,
) -> np.ndarray:
    """The score formula above, elementwise over names (of one query or several: `tq`, the query
    weight, may be an array too); `strong`: at least `STRONG_TOKENS` query tokens matched;
    `conflict`: min(Uq, Uc); `listed_factor`, `query_factor`: a share of the slack of unmatched
    listed or query weight (a short form of a name, see `matching`). A query of no weight
    scores 0.

    >>> float(name_score(3.0, 3.0, 3.0, 3.0, False, 0.0))
    1.0
    """
    uq = np.maximum(np.subtract(tq, mq), 0.0)
    uc = np.maximum(np.subtract(tc, mc), 0.0)
    matched = np.add(mq, mc)
    slack = np.where(strong, STRONG_SLACK, 1.0)
    denom = matched + slack * (
        QUERY_SLACK * np.multiply(uq, query_factor) + LISTED_SLACK * np.multiply(uc, listed_factor)
    )
    # Guarded divisions (a zero denominator scores 0, a weightless query too), without
    # np.divide's where=, which costs more than the arithmetic on small arrays.
    base = matched / np.where(denom > 0, denom, np.inf)
    positive = np.greater(tq, 0)
    factor = np.where(
        positive,
        np.maximum(1.0 - CONFLICT_PENALTY * conflict / np.where(positive, tq, 1.0), 0.0),
        0.0,
    )
    return np.minimum(base * factor, 1.0)


def name_score_one(
    mq: float,
    mc: float,
    tq: float,
    tc: float,
    strong: bool,
    conflict: float,
    listed_factor: float = 1.0,
    query_factor: float = 1.0,
) -> float:
    """`name_score` for one name, in plain Python (the exact path scores few names, one by one).

    >>> name_score_one(3.0, 3.0, 3.0, 3.0, False, 0.0)
    1.0
    """
    uq = max(tq - mq, 0.0)
    uc = max(tc - mc, 0.0)
    slack = STRONG_SLACK if strong else 1.0
    denom = mq + mc + slack * (QUERY_SLACK * uq * query_factor + LISTED_SLACK * uc * listed_factor)
    base = (mq + mc) / denom if denom > 0 else 0.0
    factor = max(0.0, 1.0 - CONFLICT_PENALTY * conflict / tq) if tq > 0 else 0.0
    return min(1.0, max(0.0, base * factor))


class Alignment(NamedTuple):
    """The chosen options and the score they give."""

    score: float
    chosen: tuple[Option, ...]
    matched_query: float
    matched_listed: float
    query_used: frozenset[int]  # the query positions the chosen options cover
    # The query and listed weights the chosen options cover, whatever their similarity.
    query_full: float
    listed_full: float


def align(
    options: Sequence[Option], query_weights: Sequence[float], listed_weights: Sequence[float]
) -> Alignment:
    """Greedy alignment: heaviest evidence first, each token used once; ties by position.

    >>> align([Option(1.0, (0,), (1,)), Option(0.8, (1,), (0,))], [1.0, 1.0], [1.0, 1.0]).score
    0.888889
    """
    # (-evidence, query positions, listed positions, query weight, listed weight, option); most
    # options span one token on each side, summed without a generator.
    ranked = []
    for o in options:
        q, c = o.query, o.listed
        wq = query_weights[q[0]] if len(q) == 1 else sum(query_weights[i] for i in q)
        wc = listed_weights[c[0]] if len(c) == 1 else sum(listed_weights[j] for j in c)
        ranked.append((-o.similarity * (wq + wc), q, c, wq, wc, o))
    ranked.sort(key=lambda r: r[:3])
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[Option] = []
    mq = mc = full_q = full_c = 0.0
    for _, q, c, wq, wc, opt in ranked:
        if used_q.intersection(q) or used_c.intersection(c):
            continue
        used_q.update(q)
        used_c.update(c)
        chosen.append(opt)
        mq += opt.similarity * wq
        mc += opt.similarity * wc
        full_q += wq
        full_c += wc
    tq = float(sum(query_weights))
    tc = float(sum(listed_weights))
    conflict = token_conflict(tq - full_q, tc - full_c)
    score = name_score_one(mq, mc, tq, tc, len(used_q) >= STRONG_TOKENS, conflict)
    return Alignment(round(score, 6), tuple(chosen), mq, mc, frozenset(used_q), full_q, full_c)


def token_conflict(unmatched_query: float, unmatched_listed: float) -> float:
    """The conflict term: the smaller weight of the tokens left unmatched on either side.

    >>> token_conflict(2.5, 1.0), token_conflict(0.0, 3.0)
    (1.0, 0.0)
    """
    return max(0.0, min(unmatched_query, unmatched_listed))
