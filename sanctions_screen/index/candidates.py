"""The candidate index: phonetic keys -> tokens -> listed names, plus an exact score upper bound.

Built once per Screener. A query token reaches every vocabulary token that shares one of its
phonetic keys (token similarity is 0 otherwise, see `scoring.similarity`), and through postings the
names carrying those tokens. For every name reached, an upper bound of its score is computed with
numpy; only names whose bound reaches the threshold are aligned exactly. The bound never
underestimates, so index mode returns exactly the hits of exhaustive mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..names import NormalizedName, normalize, phonetic_keys
from ..scoring.align import name_score
from ..scoring.similarity import may_match, similarities
from ..scoring.weights import token_weight

# (raw, folded, origin, phonetic keys, weight) of one query token; a plain tuple on the hot path.
QueryToken = tuple[str, str, str, tuple[str, ...], float]


@dataclass
class Vocabulary:
    """Every distinct token of the loaded names (and each adjacent pair glued), as parallel lists."""

    folded: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    ids: dict[tuple[str, str, str], int] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)

    def add(
        self, raw: str, folded: str, origin: str, keys: tuple[str, ...], weight: float, role: str
    ) -> int:
        """The id of this token, adding it on first sight."""
        ident = (folded, origin, role)
        tid = self.ids.get(ident)
        if tid is None:
            tid = len(self.folded)
            self.ids[ident] = tid
            self.folded.append(folded)
            self.raw.append(raw)
            self.origin.append(origin)
            self.role.append(role)
            self.keys.append(keys)
            self.weight.append(weight)
            for key in keys:
                self.by_key.setdefault(key, []).append(tid)
        return tid


def query_tokens(
    norm: NormalizedName,
) -> tuple[list[QueryToken], list[tuple[int, int]]]:
    """Query tokens with weights, then the glued pairs (i, i+1) of adjacent name tokens.

    >>> toks, pairs = query_tokens(normalize("Abdul Rahman Ali")); [t[1] for t in toks], pairs
    (['abdrahman', 'ali'], [(0, 1)])
    """
    toks = [
        (t.raw, t.folded, t.origin, t.keys, token_weight(t.folded, t.keys[0], t.role, t.origin))
        for t in norm.tokens
    ]
    pairs = [
        (i, i + 1)
        for i in range(len(norm.tokens) - 1)
        if norm.tokens[i].role == "name" and norm.tokens[i + 1].role == "name"
    ]
    return toks, pairs


def glued(a: str, b: str) -> str:
    """Two adjacent tokens written as one (the form a glued spelling would fold to)."""
    return a + b


class CandidateIndex:
    """Names of all entries, tokenised, with key and token postings.

    >>> idx = CandidateIndex([(0, "AL-LAMI, Hussein Falah", "primary")]); idx.name_count
    1
    """

    def __init__(self, names: Iterable[tuple[int, str, str]]) -> None:
        self.vocab = Vocabulary()
        self.name_entry: list[int] = []
        self.name_text: list[str] = []
        self.name_kind: list[str] = []
        self.name_tokens: list[tuple[int, ...]] = []
        self.name_pairs: list[tuple[tuple[int, int], ...]] = []
        postings: dict[int, list[int]] = {}
        for entry_idx, text, kind in names:
            norm = normalize(text)
            tids: list[int] = []
            for t in norm.tokens:
                w = token_weight(t.folded, t.keys[0], t.role, t.origin)
                tids.append(self.vocab.add(t.raw, t.folded, t.origin, t.keys, w, t.role))
            pairs: list[tuple[int, int]] = []
            for j in range(len(norm.tokens) - 1):
                a, b = norm.tokens[j], norm.tokens[j + 1]
                if a.role != "name" or b.role != "name":
                    continue
                folded = glued(a.folded, b.folded)
                keys = phonetic_keys(folded)
                w = self.vocab.weight[tids[j]] + self.vocab.weight[tids[j + 1]]
                pairs.append(
                    (
                        j,
                        self.vocab.add(
                            a.raw + b.raw, folded, _pair_origin(a.origin, b.origin), keys, w, "pair"
                        ),
                    )
                )
            if not tids:
                continue  # a name of punctuation only cannot match anything
            n = len(self.name_entry)
            self.name_entry.append(entry_idx)
            self.name_text.append(text)
            self.name_kind.append(kind)
            self.name_tokens.append(tuple(tids))
            self.name_pairs.append(tuple(pairs))
            for tid in {*tids, *(p[1] for p in pairs)}:
                postings.setdefault(tid, []).append(n)
        self.name_count = len(self.name_entry)
        self.name_entry_arr = np.asarray(self.name_entry, dtype=np.int64)
        self.entry_names: dict[int, list[int]] = {}
        for n, e in enumerate(self.name_entry):
            self.entry_names.setdefault(e, []).append(n)
        self.postings: list[np.ndarray] = [
            np.asarray(postings.get(t, ()), dtype=np.int32) for t in range(len(self.vocab.folded))
        ]
        weights = np.asarray(self.vocab.weight, dtype=np.float64)
        self.token_weight = weights
        self.name_total = np.asarray(
            [float(weights[list(t)].sum()) for t in self.name_tokens], dtype=np.float64
        )
        self._by_key = {k: np.asarray(v, dtype=np.int32) for k, v in self.vocab.by_key.items()}
        first: dict[str, list[int]] = {}
        for tid, folded in enumerate(self.vocab.folded):
            if self.vocab.role[tid] != "pair":  # two glued words are never an initial's expansion
                first.setdefault(folded[:1], []).append(tid)
        self._by_first = {k: np.asarray(v, dtype=np.int32) for k, v in first.items()}
        self._initials = {
            k: np.asarray([t for t in v if len(self.vocab.folded[t]) == 1], dtype=np.int32)
            for k, v in first.items()
        }
        self._sim_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    # -- token level ----------------------------------------------------------------------------

    def token_matches(
        self,
        folded: str,
        origin: str,
        keys: Sequence[str],
        exhaustive: bool = False,
        glued: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary ids with similarity > 0 to one query token, and those similarities.

        Index mode looks up the tokens sharing a key, plus initials: every token starting with a
        query initial, and every listed initial of a query token's first letter. Exhaustive mode
        tests `may_match` against the whole vocabulary; both find the same set.
        """
        cache_key = (folded, origin + ("+" if glued else ""))
        if not exhaustive:
            cached = self._sim_cache.get(cache_key)
            if cached is not None:
                return cached
        vocab = self.vocab
        if exhaustive:
            tids = np.asarray(
                [
                    t
                    for t in range(len(vocab.folded))
                    if may_match(folded, keys, vocab.folded[t], vocab.keys[t])
                ],
                dtype=np.int32,
            )
        else:
            found = [self._by_key[k] for k in keys if k in self._by_key]
            if len(folded) == 1:
                found.append(self._by_first.get(folded, _EMPTY))
            elif not glued:
                found.append(self._initials.get(folded[:1], _EMPTY))
            tids = np.unique(np.concatenate(found)) if found else _EMPTY
        sims = similarities(
            folded, origin, [vocab.folded[t] for t in tids], [vocab.origin[t] for t in tids]
        )
        if len(folded) == 1:
            sims[[vocab.role[t] == "pair" for t in tids.tolist()]] = 0.0
        keep = sims > 0
        result = (tids[keep], sims[keep])
        if not exhaustive:
            if len(self._sim_cache) > 50_000:
                self._sim_cache.clear()
            self._sim_cache[cache_key] = result
        return result

    # -- name level -----------------------------------------------------------------------------

    def candidates(
        self,
        qtoks: Sequence[QueryToken],
        qpairs: Sequence[tuple[int, int]],
        min_score: float,
        exhaustive: bool = False,
    ) -> tuple[np.ndarray, list[dict[int, float]], list[dict[int, float]]]:
        """Names whose score may reach `min_score`, with each query token's {token id: similarity}.

        Returns (name ids, per query token matches, per glued query pair matches).
        """
        n_names = self.name_count
        single = [self.token_matches(q[1], q[2], q[3], exhaustive) for q in qtoks]
        paired = []
        for i, j in qpairs:
            folded = glued(qtoks[i][1], qtoks[j][1])
            paired.append(
                self.token_matches(
                    folded,
                    _pair_origin(qtoks[i][2], qtoks[j][2]),
                    phonetic_keys(folded),
                    exhaustive,
                    glued=True,
                )
            )
        q_sims = [dict(zip(t.tolist(), s.tolist(), strict=True)) for t, s in single]
        p_sims = [dict(zip(t.tolist(), s.tolist(), strict=True)) for t, s in paired]
        if exhaustive:
            return np.arange(n_names, dtype=np.int32), q_sims, p_sims
        if n_names == 0 or not qtoks:
            return np.zeros(0, dtype=np.int32), q_sims, p_sims
        # Upper bound on matched query weight: each query token at most fully matched.
        per_token = np.zeros((len(qtoks), n_names), dtype=np.float64)
        best_listed: dict[int, float] = {}
        for i, (tids, sims) in enumerate(single):
            _accumulate(per_token[i], tids, sims, self.postings)
            for t, s in zip(tids.tolist(), sims.tolist(), strict=True):
                if s > best_listed.get(t, 0.0):
                    best_listed[t] = s
        for (i, j), (tids, sims) in zip(qpairs, paired, strict=True):
            row = np.zeros(n_names, dtype=np.float64)
            _accumulate(row, tids, sims, self.postings)
            per_token[i] += row
            per_token[j] += row
            for t, s in zip(tids.tolist(), sims.tolist(), strict=True):
                if s > best_listed.get(t, 0.0):
                    best_listed[t] = s
        weights = np.asarray([q[4] for q in qtoks], dtype=np.float64)
        touched = np.flatnonzero(per_token.sum(axis=0) > 0)
        # A query token another name of the same entry explains counts as explained (the screener
        # credits it), so the bound takes, per query token, the best over the entry's names.
        pt = np.minimum(per_token[:, touched], 1.0)
        ent = self.name_entry_arr[touched]
        order = np.argsort(ent, kind="stable")
        sorted_ent = ent[order]
        starts = (
            np.flatnonzero(np.r_[True, sorted_ent[1:] != sorted_ent[:-1]]) if len(ent) else _EMPTY
        )
        pt_entry = np.empty_like(pt)
        if len(ent):
            group_max = np.maximum.reduceat(pt[:, order], starts, axis=1)
            sizes = np.diff(np.r_[starts, len(sorted_ent)])
            pt_entry[:, order] = np.repeat(group_max, sizes, axis=1)
        mq = (pt_entry * weights[:, None]).sum(axis=0)
        mc = np.zeros(n_names, dtype=np.float64)
        if best_listed:
            tids_arr = np.fromiter(best_listed.keys(), dtype=np.int64, count=len(best_listed))
            sims_arr = np.fromiter(best_listed.values(), dtype=np.float64, count=len(best_listed))
            _accumulate(mc, tids_arr, sims_arr * self.token_weight[tids_arr], self.postings)
        tc = self.name_total[touched]
        bound = name_score(mq, np.minimum(mc[touched], tc), float(weights.sum()), tc)
        return touched[bound >= min_score - 1e-9].astype(np.int32), q_sims, p_sims


_EMPTY = np.zeros(0, dtype=np.int32)


def _pair_origin(a: str, b: str) -> str:
    """The origin of two adjacent tokens glued: Arabic if either is, syllabic if either is."""
    return "arabic" if "arabic" in (a, b) else "syllabic" if "syllabic" in (a, b) else "latin"


def _accumulate(
    target: np.ndarray, tids: np.ndarray, values: np.ndarray, postings: list[np.ndarray]
) -> None:
    """target[name] += value for every name in the postings of each token."""
    if len(tids) == 0:
        return
    lists = [postings[t] for t in tids.tolist()]
    lengths = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
    if lengths.sum() == 0:
        return
    names = np.concatenate(lists)
    target += np.bincount(names, weights=np.repeat(values, lengths), minlength=len(target))
