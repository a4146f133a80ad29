"""`compare(a, b)`: one name against another, on the same scale as `Screener.screen`."""

from __future__ import annotations

from .index.candidates import CandidateIndex, query_tokens
from .names import normalize
from .query import check_name
from .scoring.align import align
from .screener import token_options


def compare(a: str, b: str) -> float:
    """Similarity of two names in [0, 1], symmetric in spirit though `a` is read as the query.

    >>> compare("Hussein Falih Aziz", "AZIZ, Hussein Faleh") >= 0.9
    True
    """
    qa = check_name(a)
    qb = check_name(b)
    index = CandidateIndex([(0, qb, "primary")])
    if index.name_count == 0:
        return 0.0
    qtoks, qpairs = query_tokens(normalize(qa))
    if not qtoks:
        return 0.0
    _, _, q_sims, p_sims = index.candidates(qtoks, qpairs, 0.0, exhaustive=True)
    tokens = index.name_tokens[0]
    opts = token_options(qtoks, q_sims, p_sims, qpairs, tokens, index.name_pairs[0], index)
    if not opts:
        return 0.0
    return align(opts, [q[4] for q in qtoks], [float(index.token_weight[t]) for t in tokens]).score
