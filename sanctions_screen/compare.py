"""`compare(a, b)`: one name against another, on the same scale as `Screener.screen`."""

from __future__ import annotations

from .index.candidates import CandidateIndex, query_tokens
from .names import normalize
from .query import check_name
from .scoring.matching import QueryMatches, score_name


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
    match = score_name(QueryMatches(qtoks, q_sims, p_sims, qpairs), 0, index)
    return 0.0 if match is None else match.score
