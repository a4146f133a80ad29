"""Name-level scoring: one query against one listed name of an index, and the explanation.

Given the token similarities the index found (`q_sims`, `p_sims`), a listed name is aligned
(`align`), credited with query tokens other names of its entry explain, and scored; the
explanation quotes the listed name's own tokens as the list writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

import numpy as np

from ..models import Explanation, TokenMatch
from ..names.origin import Origin
from .align import STRONG_TOKENS, Alignment, Option, align, name_score_one, token_conflict
from .similarity import variant_similarity
from .tokens import SUBSTANTIVE_ROLES, MatchKind, QueryToken, match_kind
from .typos import typo_similarity
from .weights import INITIAL_WEIGHT

# A query that keeps a listed name's first and last parts and drops the middle (a second given
# name, a nasab chain), or adds a middle name to a listed first and last name: the tokens left
# out cost this share of their slack, when the kept parts together weigh at least
# SHORT_FORM_WEIGHT (two common names, Muhammad Ali, are no evidence of one person).
SHORT_FORM_FACTOR = 0.3
SHORT_FORM_WEIGHT = 9.0


class IndexedNames(Protocol):
    """What name-level scoring reads of an index (`index.candidates.CandidateIndex`)."""

    token_weight: np.ndarray
    name_total: np.ndarray
    name_entry: list[int]
    name_tokens: list[tuple[int, ...]]
    name_pairs: list[tuple[tuple[int, int], ...]]
    name_readings: list[tuple[tuple[int, int], ...]]
    name_surname: list[int]
    name_raw: list[tuple[str, ...]]

    @property
    def folded(self) -> list[str]: ...

    @property
    def origin(self) -> list[Origin]: ...

    @property
    def role(self) -> list[str]: ...

    def entry_name_ids(self, entry: int) -> range: ...


class QueryMatches(NamedTuple):
    """A query's tokens and glued pairs, with what each met in the index (`Candidates`)."""

    tokens: Sequence[QueryToken]
    q_sims: Sequence[dict[int, float]]  # per token: {listed token id: similarity}
    p_sims: Sequence[dict[int, float]]  # per glued pair
    pairs: Sequence[tuple[int, int]]


class Credit(NamedTuple):
    """A query token another name of the same entry explains."""

    position: int  # in the query
    similarity: float
    tid: int  # the listed token
    name: int  # the name it is in
    place: int  # its place in that name


class NameMatch(NamedTuple):
    """One listed name scored against a query."""

    score: float
    name: int
    alignment: Alignment
    credit: list[Credit]


def token_similarity(q: QueryToken, sims: dict[int, float], tid: int, index: IndexedNames) -> float:
    """A query token's similarity to one listed token, an initial counting one letter's worth.

    >>> # token_similarity(qtoks[0], q_sims[0], tid, index)
    """
    s = sims.get(tid, 0.0)
    if s and (len(q.folded) == 1 or len(index.folded[tid]) == 1):
        # An initial says one letter's worth: the full word's weight must not count.
        s *= INITIAL_WEIGHT / max(q.weight, float(index.token_weight[tid]), INITIAL_WEIGHT)
    return s


def token_options(query: QueryMatches, name: int, index: IndexedNames) -> list[Option]:
    """Every way one query token (or glued pair) can align with one token (or glued pair) of
    listed name `name`.

    >>> # token_options(QueryMatches(qtoks, q_sims, p_sims, qpairs), name, index)
    """
    qtoks, q_sims, p_sims, qpairs = query
    tokens = index.name_tokens[name]
    opts: list[Option] = []
    for i, q in enumerate(qtoks):
        sims = q_sims[i]
        if not sims:
            continue  # most unmatched query words: no listed token at all
        for j, tid in enumerate(tokens):
            if tid in sims:
                s = token_similarity(q, sims, tid, index)
                if s:
                    opts.append(Option(s, (i,), (j,)))
        for j, tid in index.name_pairs[name]:
            s = sims.get(tid, 0.0)
            if s:
                opts.append(Option(s, (i,), (j, j + 1)))
        for j, tid in index.name_readings[name]:
            if tid in sims:
                s = token_similarity(q, sims, tid, index)
                if s:
                    opts.append(Option(s, (i,), (j,)))
    for (i, i2), sims in zip(qpairs, p_sims, strict=True):
        if not sims:
            continue
        for j, tid in enumerate(tokens):
            s = sims.get(tid, 0.0)
            if s:
                opts.append(Option(s, (i, i2), (j,)))
    return opts


def other_name_credit(
    qtoks: Sequence[QueryToken],
    q_sims: Sequence[dict[int, float]],
    al: Alignment,
    name: int,
    index: IndexedNames,
) -> list[Credit]:
    """Query tokens the chosen name leaves unmatched but another name of the same entry has.
    Lists split one person's full name over aliases (AL-LAMI, Hussein Falah / AZIZ, Hussein
    Faleh), so such tokens are explained.

    >>> # other_name_credit(qtoks, q_sims, alignment, name, index)
    """
    names = index.entry_name_ids(index.name_entry[name])
    if len(names) < 2 or len(index.name_tokens[name]) < 2:
        # A one-word name (a nickname, a weak alias: EL DULCE, MANUEL) says too little to carry
        # the rest of the query on other names' words: Manuel Rodriguez is not every entry that
        # has a Rodriguez in one name and a Manuel in another.
        return []
    used = al.query_used
    if all(i in used or not q_sims[i] for i in range(len(qtoks))):
        return []  # every query token is matched, or like no listed token at all
    # ...nor does a one-word name lend its word to the others (Dulce Moreno is not MORENO, Jose
    # because the entry is also known as EL DULCE).
    # Each token of the entry's other names, at its first place (name, position).
    others: dict[int, tuple[int, int]] = {}
    for m in names:
        if len(index.name_tokens[m]) > 1:
            for j, tid in enumerate(index.name_tokens[m]):
                others.setdefault(tid, (m, j))
    credit: list[Credit] = []
    for i, q in enumerate(qtoks):
        sims = q_sims[i]
        if i in used or not sims:
            continue
        best: Credit | None = None
        # The entry's few tokens looked up in the query token's matches (hundreds for a common
        # word), not the other way round; ties to the lowest token id.
        for tid in sorted(t for t in others if t in sims):
            s = token_similarity(q, sims, tid, index)
            if s > 0 and (best is None or s > best.similarity):
                best = Credit(i, s, tid, *others[tid])
        if best is not None:
            credit.append(best)
    return credit


def score_name(query: QueryMatches, name: int, index: IndexedNames) -> NameMatch | None:
    """One listed name against the query: aligned, credited with other names of its entry,
    scored; None when nothing aligns, or only words that say nothing alone (legal forms,
    generic organisation words, particles, initials).

    >>> # score_name(QueryMatches(qtoks, q_sims, p_sims, qpairs), name, index).score
    """
    qtoks, q_sims = query.tokens, query.q_sims
    opts = token_options(query, name, index)
    if not opts:
        return None
    tokens = index.name_tokens[name]
    listed_weights = [float(index.token_weight[t]) for t in tokens]
    qweights = [q.weight for q in qtoks]
    al = align(opts, qweights, listed_weights)
    typos = [o for o in al.chosen if _is_typo(qtoks, o, name, index)]
    if len(typos) > 1:
        # One keying error makes a typo; two words each a slip away is another name (Abeer
        # Batra is not Amir Katra). Only the typo that weighs most is kept.
        keep = max(typos, key=lambda o: (o.similarity * qweights[o.query[0]], -o.query[0]))
        opts = [o for o in opts if o is keep or not _is_typo(qtoks, o, name, index)]
        al = align(opts, qweights, listed_weights)
        typos = [o for o in al.chosen if _is_typo(qtoks, o, name, index)]
    if not _substantive(qtoks, al, tokens, index):
        return None
    credit = other_name_credit(qtoks, q_sims, al, name, index)
    listed_factor, query_factor = _short_form_factors(qtoks, al, name, index, typos)
    if not credit and listed_factor == query_factor == 1.0:
        return NameMatch(al.score, name, al, credit)
    mq = al.matched_query + sum(c.similarity * qweights[c.position] for c in credit)
    # Credited tokens count as matched, for STRONG_TOKENS too.
    strong = len(al.query_used) + len(credit) >= STRONG_TOKENS
    tq = sum(qweights)
    tc = float(index.name_total[name])
    full_q = al.query_full + sum(qweights[c.position] for c in credit)
    conflict = token_conflict(tq - full_q, tc - al.listed_full)
    raw = name_score_one(
        mq, al.matched_listed, tq, tc, strong, conflict, listed_factor, query_factor
    )
    return NameMatch(round(raw, 6), name, al, credit)


def _is_typo(qtoks: Sequence[QueryToken], opt: Option, name: int, index: IndexedNames) -> bool:
    # Whether an option's similarity came from the typo channel (scoring.typos).
    if opt.similarity >= 1.0 or len(opt.query) > 1 or len(opt.listed) > 1:
        return False
    return _kind(qtoks[opt.query[0]], name, opt.listed[0], opt.similarity, index) is MatchKind.TYPO


def _kind(
    q: QueryToken, name: int, place: int, similarity: float, index: IndexedNames
) -> MatchKind:
    """How query token `q` met the token at `place` of listed name `name`."""
    tid = index.name_tokens[name][place]
    listed = index.folded[tid]
    if q.origin != Origin.LATIN or index.origin[tid] != Origin.LATIN:
        typo = typo_similarity(q.folded, listed, q.origin == Origin.ARABIC)
        variant = 0.0 if typo >= similarity - 1e-9 and q.origin == index.origin[tid] else 1.0
    else:
        # As spelling variants or readings, on either side (names.readings).
        forms = [listed, *(index.folded[t] for j, t in index.name_readings[name] if j == place)]
        variant = max(variant_similarity(a, b) for a in (q.folded, *q.readings) for b in forms)
    return match_kind(q.folded, q.origin, listed, index.origin[tid], similarity, 1, variant)


def _substantive(
    qtoks: Sequence[QueryToken], al: Alignment, tokens: Sequence[int], index: IndexedNames
) -> bool:
    # At least one aligned token, on both sides, is a name word longer than an initial; or no
    # name word is left unmatched on either side (an organisation named by generic words alone:
    # First National Bank meets itself, with or without Co, but not First Republic Bank).
    used_c = {j for opt in al.chosen for j in opt.listed}
    if all(
        q.role not in SUBSTANTIVE_ROLES for i, q in enumerate(qtoks) if i not in al.query_used
    ) and all(
        index.role[t] not in SUBSTANTIVE_ROLES for j, t in enumerate(tokens) if j not in used_c
    ):
        return True
    for opt in al.chosen:
        if any(
            qtoks[i].role in SUBSTANTIVE_ROLES and len(qtoks[i].folded) > 1 for i in opt.query
        ) and any(
            index.role[tokens[j]] in SUBSTANTIVE_ROLES and len(index.folded[tokens[j]]) > 1
            for j in opt.listed
        ):
            return True
    return False


def _ends(roles: Sequence[str], surname: int = 1) -> set[int]:
    # The first position that is no particle, and the first of the last `surname` (the last by
    # default): a short form keeps the first given name and the family name, and of two family
    # names the first (GONZALEZ CARDENAS, Jorge is Jorge Gonzalez; Jorge Cardenas is another).
    named = [i for i, r in enumerate(roles) if r != "particle"]
    if len(named) < 2:
        return set()
    return {named[0], named[-min(surname, len(named) - 1)]}


def _short_form_factors(
    qtoks: Sequence[QueryToken],
    al: Alignment,
    name: int,
    index: IndexedNames,
    typos: Sequence[Option],
) -> tuple[float, float]:
    """(listed factor, query factor): SHORT_FORM_FACTOR for the side whose middle the other
    leaves out, where the other side is matched whole and keeps this side's first and last
    parts (a listed surname whole), weighing at least SHORT_FORM_WEIGHT, each met in its own
    script, spelled alike or as a variant; 1.0 otherwise. Not for syllabic names, where a
    syllable more or less is another name (Jianping is not Jianping Xiuhua). `typos`: the
    chosen options the typo channel scored."""
    tokens = index.name_tokens[name]
    used_q = al.query_used
    if len(used_q) < 2 or al.query_full < SHORT_FORM_WEIGHT:
        return 1.0, 1.0
    if any(q.origin == Origin.SYLLABIC for q in qtoks) or any(
        index.origin[t] == Origin.SYLLABIC for t in tokens
    ):
        return 1.0, 1.0
    for opt in al.chosen:
        q = qtoks[opt.query[0]]
        if len(opt.query) == len(opt.listed) == 1 and (
            q.origin != index.origin[tokens[opt.listed[0]]] or opt in typos
        ):
            return 1.0, 1.0
    used_c = {j for opt in al.chosen for j in opt.listed}
    listed_ends = _ends([index.role[t] for t in tokens], index.name_surname[name])
    query_ends = _ends([q.role for q in qtoks])
    listed = query = 1.0
    if len(used_q) == len(qtoks) and listed_ends and listed_ends <= used_c:
        listed = SHORT_FORM_FACTOR
    if len(used_c) == len(tokens) and query_ends and query_ends <= used_q:
        query = SHORT_FORM_FACTOR
    return listed, query


def explain(
    qtoks: Sequence[QueryToken],
    match: NameMatch,
    adjustments: list[str],
    index: IndexedNames,
) -> Explanation:
    """The explanation of a scored name: which query token met which listed token and how,
    quoting the listed name as the list writes it, and what is left unmatched.

    >>> # explain(qtoks, name_match, [], index).matches[0].kind
    """
    n, al, credit = match.name, match.alignment, match.credit
    tokens = index.name_tokens[n]
    raw = index.name_raw[n]
    matches: list[TokenMatch] = []
    used_q: set[int] = set()
    used_c: set[int] = set()
    for opt in al.chosen:
        used_q.update(opt.query)
        used_c.update(opt.listed)
        if len(opt.query) > 1 or len(opt.listed) > 1:
            kind = MatchKind.GLUED
        else:
            kind = _kind(qtoks[opt.query[0]], n, opt.listed[0], opt.similarity, index)
        matches.append(
            TokenMatch(
                query=" ".join(qtoks[i].raw for i in opt.query),
                listed=" ".join(raw[j] for j in opt.listed),
                similarity=round(opt.similarity, 4),
                weight=round(sum(qtoks[i].weight for i in opt.query), 4),
                kind=kind.value,
            )
        )
    for c in credit:
        used_q.add(c.position)
        q = qtoks[c.position]
        kind = _kind(q, c.name, c.place, c.similarity, index)
        matches.append(
            TokenMatch(
                query=q.raw,
                listed=f"{index.name_raw[c.name][c.place]} (another name)",
                similarity=round(c.similarity, 4),
                weight=round(q.weight, 4),
                kind=kind.value,
            )
        )
    return Explanation(
        name_score=round(match.score, 4),
        matches=matches,
        unmatched_query=[q.raw for i, q in enumerate(qtoks) if i not in used_q],
        unmatched_listed=[raw[j] for j in range(len(tokens)) if j not in used_c],
        adjustments=adjustments,
    )
