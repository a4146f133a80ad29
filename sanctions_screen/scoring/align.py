"""Align a query's tokens with one listed name's tokens and turn the alignment into a score.

Each token is used at most once; order does not matter ("Ahmed Ali" and "Ali Ahmed" score the same:
lists and forms disagree on which name comes first, so order is no evidence). A glued token may
align with two adjacent split ones (Abdulrahman / Abdul Rahman).

The name score, with query weights Tq, listed-name weights Tc and matched weights mq, mc
(each matched weight times its similarity):

    base     = (mq + mc) / (Tq + mc + LISTED_SLACK * (Tc - mc))
    conflict = min(Tq - mq, Tc - mc)
    score    = base * max(0, 1 - CONFLICT_PENALTY * conflict / Tq)

Unmatched listed tokens cost half as much as unmatched query tokens, because lists carry long
forms (Usama bin Muhammad bin Awad bin Ladin) that a query rarely repeats. Unmatched tokens on
both sides are a contradiction (Hussein Falih Aziz / Hassan Falih Aziz: the given names differ),
which the conflict term punishes. The score only grows with mq and mc, which is what lets the
index prune with an upper bound and lose no hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

LISTED_SLACK = 0.5
CONFLICT_PENALTY = 1.5


class Option(NamedTuple):
    """One way to align: query token positions, listed token positions, similarity."""

    similarity: float
    query: tuple[int, ...]
    listed: tuple[int, ...]


def name_score(
    mq: np.ndarray | float, mc: np.ndarray | float, tq: np.ndarray | float, tc: np.ndarray | float
) -> np.ndarray:
    """The score formula above, elementwise (works on scalars and arrays).

    >>> float(name_score(3.0, 3.0, 3.0, 3.0))
    1.0
    """
    mq_a, mc_a, tq_a, tc_a = (np.asarray(x, dtype=np.float64) for x in (mq, mc, tq, tc))
    denom = tq_a + mc_a + LISTED_SLACK * (tc_a - mc_a)
    base = np.divide(mq_a + mc_a, denom, out=np.zeros_like(denom), where=denom > 0)
    conflict = np.minimum(tq_a - mq_a, tc_a - mc_a).clip(min=0.0)
    factor = (
        1.0 - CONFLICT_PENALTY * np.divide(conflict, tq_a, out=np.zeros_like(denom), where=tq_a > 0)
    ).clip(min=0.0)
    return np.clip(base * factor, 0.0, 1.0)


class Alignment(NamedTuple):
    """The chosen options and the score they give."""

    score: float
    chosen: tuple[Option, ...]
    matched_query: float
    matched_listed: float


def align(
    options: Sequence[Option], query_weights: Sequence[float], listed_weights: Sequence[float]
) -> Alignment:
    """Greedy alignment: heaviest evidence first, each token used once; ties by position.

    >>> align([Option(1.0, (0,), (1,)), Option(0.8, (1,), (0,))], [1.0, 1.0], [1.0, 1.0]).score
    0.784615
    """
    ranked = sorted(
        options,
        key=lambda o: (
            -o.similarity
            * (sum(query_weights[i] for i in o.query) + sum(listed_weights[j] for j in o.listed)),
            o.query,
            o.listed,
        ),
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[Option] = []
    mq = mc = 0.0
    for opt in ranked:
        if used_q.intersection(opt.query) or used_c.intersection(opt.listed):
            continue
        used_q.update(opt.query)
        used_c.update(opt.listed)
        chosen.append(opt)
        mq += opt.similarity * sum(query_weights[i] for i in opt.query)
        mc += opt.similarity * sum(listed_weights[j] for j in opt.listed)
    tq = float(sum(query_weights))
    tc = float(sum(listed_weights))
    score = float(name_score(mq, mc, tq, tc))
    return Alignment(round(score, 6), tuple(chosen), mq, mc)
