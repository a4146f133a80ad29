"""The score bound: for many queries at once, an upper bound of the score of every listed name
their tokens reach, with numpy (see `candidates`); and the types the candidate search passes on.

The bound never underestimates (the score only grows with matched weight, see scoring.align), so
only names whose bound reaches the threshold need the exact alignment, and none is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..scoring.align import STRONG_TOKENS, name_score
from ..scoring.matching import SHORT_FORM_FACTOR
from ..scoring.weights import INITIAL_WEIGHT

if TYPE_CHECKING:
    from .candidates import CandidateIndex


class Candidates(NamedTuple):
    """One query's candidate names, highest score bound first, and its token matches."""

    names: np.ndarray  # name ids
    bounds: np.ndarray  # each name's score bound (infinite in exhaustive mode)
    q_sims: list[dict[int, float]]  # per query token: {listed token id: similarity}
    p_sims: list[dict[int, float]]  # per glued query pair


class Plan(NamedTuple):
    """One query waiting for the batched bound pass."""

    slot: int  # its place in the output
    units: list[tuple[TokenHits, tuple[int, ...], float]]
    required: int  # a name must be reached by one of the first `required` units
    least: int  # and its entry by this many units
    weights: list[float]
    initials: list[bool]  # per query token: one letter
    tq: float
    min_score: float
    postings: int  # of all its units
    q_sims: list[dict[int, float]]
    p_sims: list[dict[int, float]]


class TokenHits(NamedTuple):
    """One query token's matches: {token id: similarity}, the same as arrays (with the similarity
    times the listed token's weight), how many names carry those tokens, the largest weight, and
    the entries those names belong to."""

    sims: dict[int, float]
    tids: np.ndarray
    tid_sims: np.ndarray
    tid_weights: np.ndarray
    postings: int
    max_weight: float  # the largest of tid_weights
    entries: np.ndarray  # sorted, each once


EMPTY_IDS = np.zeros(0, dtype=np.int32)
NO_BOUNDS = np.zeros(0)
NO_HITS = TokenHits({}, EMPTY_IDS, np.zeros(0), np.zeros(0), 0, 0.0, EMPTY_IDS)  # never mutated
NO_CANDIDATES = Candidates(EMPTY_IDS, NO_BOUNDS, [], [])
# One bound pass takes at most this many queries, and (postings x query tokens) cells.
BATCH_QUERIES = 64
BATCH_CELLS = 2_000_000


def merge_matches(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two sets of (token ids, similarities) as one, sorted by id, the better similarity where
    both have a token.

    >>> ids, sims = merge_matches((np.array([3, 1]), np.array([0.9, 1.0])), (np.array([3, 5]), np.array([0.8, 0.75])))
    >>> ids.tolist(), sims.tolist()
    ([1, 3, 5], [1.0, 0.9, 0.75])
    """
    if not len(b[0]):
        return a
    if not len(a[0]):
        return b
    return best_per_id(np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]]))


def best_per_id(tids: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each token id once, with its best similarity, sorted by id.

    >>> ids, sims = best_per_id(np.array([5, 3, 5]), np.array([0.8, 1.0, 0.9]))
    >>> ids.tolist(), sims.tolist()
    ([3, 5], [1.0, 0.9])
    """
    tids = np.asarray(tids, dtype=np.int32)
    sims = np.asarray(sims, dtype=np.float64)
    order = np.lexsort((-sims, tids))
    tids, sims = tids[order], sims[order]
    first = np.ones(len(tids), dtype=bool)
    first[1:] = tids[1:] != tids[:-1]
    return tids[first], sims[first]


def reached_by(entries: Sequence[np.ndarray], least: int, required: int) -> bool:
    """Whether some entry is in `least` of these sorted sets of entries (the units of evidence of
    one query, heaviest first), one of them among the first `required`: when none is, no name
    can reach the query's threshold (see `Plan`), and the bound pass, a hundred times dearer for
    a clean name, is not needed.

    >>> reached_by([np.array([1, 4]), np.array([2, 4])], 2, 1), reached_by([np.array([1]), np.array([1])], 2, 1)
    (True, True)
    >>> reached_by([np.array([1]), np.array([2]), np.array([2])], 2, 1)
    False
    """
    found = np.sort(np.concatenate(entries))
    if least > 1:
        found = found[least - 1 :][found[least - 1 :] == found[: len(found) - least + 1]]
    if not len(found):
        return False
    first = entries[0] if required == 1 else np.sort(np.concatenate(entries[:required]))
    if not len(first):
        return False
    at = np.minimum(np.searchsorted(first, found), len(first) - 1)
    return bool((first[at] == found).any())


def bound_batch(index: CandidateIndex, plans: Sequence[Plan], out: list[Candidates]) -> None:
    """The score bound of every name the plans' units reach, kept where it reaches the
    plan's `min_score`; each plan's candidates written to its slot of `out`. The plans have
    the same number of query tokens."""
    n_entries = len(index.entry_start)
    n_names = index.name_count
    width = len(plans[0].weights)
    query_weights = np.zeros((len(plans), width))
    tid_parts: list[np.ndarray] = []
    sim_parts: list[np.ndarray] = []
    unit_tids: list[int] = []
    unit_plan: list[int] = []
    unit_first: list[int] = []
    unit_second: list[int] = []
    # A single query token's weight, and whether it is an initial (0 and False for a pair).
    unit_weight: list[float] = []
    unit_initial: list[bool] = []
    unit_required: list[bool] = []
    # Units in order of rank (each plan's heaviest first), so that each rank's postings are
    # one slice: a plan has one unit of each rank.
    rank_ends: list[int] = []
    postings = 0
    for u in range(max(len(p.units) for p in plans)):
        for k, plan in enumerate(plans):
            if u >= len(plan.units):
                continue
            hits, covers, weight = plan.units[u]
            tid_parts.append(hits.tids)
            sim_parts.append(hits.tid_sims)
            unit_tids.append(len(hits.tids))
            unit_plan.append(k)
            unit_first.append(covers[0])
            # Each posting counts for the query token its unit covers first, and a glued
            # pair's postings once more for its second token.
            unit_second.append(covers[1] if len(covers) > 1 else -1)
            unit_weight.append(weight if len(covers) == 1 else 0.0)
            unit_initial.append(len(covers) == 1 and plan.initials[covers[0]])
            unit_required.append(u < plan.required)
            postings += hits.postings
        rank_ends.append(postings)
    for k, plan in enumerate(plans):
        query_weights[k] = plan.weights
    tids = np.concatenate(tid_parts)
    # The postings runs of all matched tokens of all plans, gathered at once.
    names, lengths = index.postings.gather(tids)

    # Per posting, its token's place in `tids`; per token, its unit's facts.
    source = np.repeat(np.arange(len(tids)), lengths)

    def per_token(per_unit: Sequence[Any]) -> np.ndarray:
        return np.repeat(np.asarray(per_unit), unit_tids)

    plan_of = per_token(unit_plan)[source]
    # Only names some unit hits can score (mc > 0), and only they carry credit to their
    # entry's other names. Of those, only the entries reached by a required unit and by
    # `least` units, counted in masks over (plan, entry): cheaper than sorting.
    entry_key = plan_of * n_entries + index.name_entry_arr[names]
    mark = np.zeros(len(plans) * n_entries, dtype=bool)
    mark[entry_key[per_token(unit_required)[source]]] = True
    keep = mark[entry_key]
    least = np.asarray([p.least for p in plans])
    if least.max() > 1:
        reached = np.zeros(len(plans) * n_entries, dtype=np.uint16)
        begin = 0
        for end in rank_ends:
            # One unit per plan: an entry it reaches through several postings counts once.
            reached[entry_key[begin:end]] += 1
            begin = end
        keep &= reached[entry_key] >= least[plan_of]
    keep = np.flatnonzero(keep)
    if not len(keep):
        for plan in plans:
            out[plan.slot] = Candidates(EMPTY_IDS, NO_BOUNDS, plan.q_sims, plan.p_sims)
        return
    source = source[keep]
    hit_keys, at = np.unique(plan_of[keep] * n_names + names[keep], return_inverse=True)
    m = len(hit_keys)
    hit_plan = hit_keys // n_names
    hit_names = hit_keys - hit_plan * n_names
    sims = effective(
        index, np.concatenate(sim_parts), tids, per_token(unit_weight), per_token(unit_initial)
    )[source]
    listed = sims * index.token_weight[tids][source]
    mc = np.bincount(at, weights=listed, minlength=m)
    # Per (query token, hit name) cells, one row per token: each row's reductions below run
    # over contiguous memory.
    cells = np.bincount(per_token(unit_first)[source] * m + at, weights=sims, minlength=width * m)
    if max(unit_second) >= 0:
        second = per_token(unit_second)[source]
        pair = second >= 0
        cells += np.bincount(second[pair] * m + at[pair], weights=sims[pair], minlength=width * m)
    pt = np.minimum(cells.reshape(width, m), 1.0)
    # A query token another name of the same entry explains counts as explained (the screener
    # credits it), so the bound takes, per query token, the best over the entry's names. Names
    # of an entry are adjacent ids, so its hit names are one run of the sorted hit names.
    entry = hit_plan * n_entries + index.name_entry_arr[hit_names]
    new_run = np.empty(m, dtype=bool)
    new_run[0] = True
    np.not_equal(entry[1:], entry[:-1], out=new_run[1:])
    starts = np.flatnonzero(new_run)
    per_entry = np.maximum.reduceat(pt, starts, axis=1)
    run = np.cumsum(new_run) - 1
    run_weights = query_weights[hit_plan[starts]].T
    mq = np.einsum("ij,ij->j", per_entry, run_weights)[run]
    # The query tokens matched or credited on a name are at most those its entry matches.
    strong = (np.count_nonzero(per_entry, axis=0) >= STRONG_TOKENS)[run]
    tc = index.name_total[hit_names]
    tq = np.asarray([p.tq for p in plans])[hit_plan]
    # The conflict term counts tokens left unmatched on both sides, whatever the similarity of
    # the matched ones: at least the query weight no unit reaches and the listed weight no
    # posting covers.
    full_q = np.einsum("ij,ij->j", per_entry > 0, run_weights)[run]
    full_c = np.minimum(np.bincount(at, weights=listed / sims, minlength=m), tc)
    conflict = np.maximum(np.minimum(tq - full_q, tc - full_c) - 1e-9, 0.0)
    # A short form (scoring.matching) needs every query token matched, a long form every
    # listed token: only then may the other side's unmatched weight count less.
    listed_factor = np.where(full_q >= tq - 1e-9, SHORT_FORM_FACTOR, 1.0)
    query_factor = np.where(full_c >= tc - 1e-9, SHORT_FORM_FACTOR, 1.0)
    bound = name_score(
        mq, np.minimum(mc, tc), tq, tc, strong, conflict, listed_factor, query_factor
    )
    ok = np.flatnonzero(bound >= np.asarray([p.min_score for p in plans])[hit_plan] - 1e-9)
    # Per plan, highest bound first, ties by name id (the hit keys are sorted).
    order = ok[np.lexsort((-bound[ok], hit_plan[ok]))]
    ends = np.searchsorted(hit_plan[order], np.arange(len(plans) + 1))
    found_names = hit_names[order].astype(np.int32)
    found_bounds = bound[order]
    for k, plan in enumerate(plans):
        a, b = ends[k], ends[k + 1]
        out[plan.slot] = Candidates(found_names[a:b], found_bounds[a:b], plan.q_sims, plan.p_sims)


def effective(
    index: CandidateIndex,
    sims: np.ndarray,
    tids: np.ndarray,
    query_weight: np.ndarray,
    initial: np.ndarray,
) -> np.ndarray:
    """Similarities as the exact alignment counts them: where an initial meets a word
    (either side one letter), one letter's worth (see `screener._token_sim`), so that a
    query word meeting the listed initials of many names does not make them all candidates.
    `query_weight` 0: the query token is a glued pair, which the alignment takes as it is."""
    table = index.table
    scaled = (query_weight > 0) & ((table.length[tids] == 1) | (initial & (table.split[tids] == 0)))
    if not scaled.any():
        return sims
    most = np.maximum(np.maximum(query_weight, index.token_weight[tids]), INITIAL_WEIGHT)
    return np.where(scaled, sims * (INITIAL_WEIGHT / most), sims)
