"""The candidate index: phonetic keys -> tokens -> listed names, plus an exact score upper bound.

Built once per Screener. A query token reaches every vocabulary token that shares one of its
phonetic keys (token similarity is 0 otherwise, see `scoring.similarity`), and through postings the
names carrying those tokens. Entries that too few of the query's tokens reach are dropped first;
for every other name reached, an upper bound of its score is computed with numpy, for many queries
in one pass (`candidates_many`); only names whose bound reaches the threshold are aligned exactly.
Neither step ever underestimates, so index mode returns exactly the hits of exhaustive mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..names import NormalizedName, normalize, phonetic_keys, written_words
from ..names.origin import Origin
from ..scoring.align import STRONG_TOKENS, name_score, name_score_one
from ..scoring.matching import SHORT_FORM_FACTOR
from ..scoring.similarity import may_match, similarities_at, token_table
from ..scoring.tokens import QueryToken
from ..scoring.typos import MIN_TYPO_LETTERS, typo_similarity
from ..scoring.weights import INITIAL_WEIGHT, common_tokens, token_weight
from .typo_index import TypoIndex


@dataclass
class Vocabulary:
    """Every distinct token of the loaded names (and each adjacent pair glued), as parallel lists."""

    folded: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    origin: list[Origin] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    split: list[int] = field(default_factory=list)  # a glued pair's second word starts here
    ids: dict[tuple[str, Origin, str], int] = field(default_factory=dict)
    # One string object per distinct key: tokens share keys (that is what the buckets are).
    interned: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        raw: str,
        folded: str,
        origin: Origin,
        keys: tuple[str, ...],
        weight: float,
        role: str,
        split: int = 0,
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
            self.keys.append(tuple(self.interned.setdefault(k, k) for k in keys))
            self.weight.append(weight)
            self.split.append(split)
        return tid


def query_tokens(
    norm: NormalizedName,
) -> tuple[list[QueryToken], list[tuple[int, int]]]:
    """Query tokens with weights, then the glued pairs (i, i+1) of adjacent name tokens.

    >>> toks, pairs = query_tokens(normalize("Abdul Rahman Ali")); [t.folded for t in toks], pairs
    (['abdrahman', 'ali'], [(0, 1)])
    """
    toks = [
        QueryToken(
            t.raw,
            t.folded,
            t.origin,
            t.keys,
            token_weight(t.folded, t.keys[0], t.role, t.origin),
            t.role,
            t.readings,
        )
        for t in norm.tokens
    ]
    # Syllables of one written word glue (桂花, "gui hua": Guihua), two written words do not
    # (军 翟, a given and a family name, is not the word Jundi).
    word = written_words(norm)
    pairs = [
        (i, i + 1)
        for i in range(len(norm.tokens) - 1)
        if norm.tokens[i].role != "particle"
        and norm.tokens[i + 1].role != "particle"
        and (word[i] < 0 or word[i + 1] < 0 or word[i] == word[i + 1])
    ]
    return toks, pairs


def pair_keys(folded: str, origin: Origin, cached: bool = True) -> tuple[str, ...]:
    """The phonetic keys of two adjacent tokens glued, read as one romanised word; ذ ض ظ (the
    Arabic table's "q", which the romanised reading takes for ق) read as d.

    >>> pair_keys("hsinqahr", Origin.ARABIC)
    ('HSNTHR',)
    """
    # Romanised classes, as pair keys always were (the Arabic-script classes give more
    # alternative keys per pair, and the index holds every listed pair), with only the letter
    # the romanised reading would get wrong mapped first.
    if origin == Origin.ARABIC:
        folded = folded.replace("q", "d")
    return phonetic_keys(folded) if cached else phonetic_keys.__wrapped__(folded)


def glued(a: str, b: str) -> str:
    """Two adjacent tokens written as one (the form a glued spelling would fold to)."""
    return a + b


class CandidateIndex:
    """Names of all entries, tokenised, with key and token postings: built from (entry index,
    name, name kind[, entry kind]), the names of one entry one after another.

    >>> idx = CandidateIndex([(0, "AL-LAMI, Hussein Falah", "primary")]); idx.name_count
    1
    """

    def __init__(self, names: Iterable[tuple[int, str, str] | tuple[int, str, str, str]]) -> None:
        self.vocab = Vocabulary()
        self.name_entry: list[int] = []
        self.name_text: list[str] = []
        self.name_kind: list[str] = []
        self.name_tokens: list[tuple[int, ...]] = []
        # Each name's tokens as this name writes them (a token id's own raw form is the first
        # spelling seen): explanations quote the list.
        self.name_raw: list[tuple[str, ...]] = []
        # How many of each name's last tokens are its surname, where the list says (SURNAME,
        # Given names); 1 otherwise. A short form keeps the whole surname (scoring.matching).
        self.name_surname: list[int] = []
        self.name_pairs: list[tuple[tuple[int, int], ...]] = []
        # Per name, (position, token id) of the other readings of its tokens (names.readings):
        # Haitham is also filed as haisam, the spelling a Persian or Turkish speaker writes.
        self.name_readings: list[tuple[tuple[int, int], ...]] = []
        postings: dict[int, list[int]] = {}
        for entry_idx, text, kind, *entry_kind in names:
            # Unwrapped: listed names would only crowd the cache that serves queries. The entry's
            # kind (unknown when not given) decides the organisation rules (names.orgs).
            kind_of = entry_kind[0] if entry_kind else None
            norm = normalize.__wrapped__(text, kind_of)
            tids: list[int] = []
            alts: list[tuple[int, int]] = []
            for j, t in enumerate(norm.tokens):
                w = token_weight(t.folded, t.keys[0], t.role, t.origin)
                tids.append(self.vocab.add(t.raw, t.folded, t.origin, t.keys, w, t.role))
                for reading in t.readings:
                    # Weighed as the token it reads (the most of any token read so, for the bound).
                    keys = phonetic_keys.__wrapped__(reading)
                    alt = self.vocab.add("", reading, t.origin, keys, w, "reading")
                    self.vocab.weight[alt] = max(self.vocab.weight[alt], w)
                    alts.append((j, alt))
            pairs: list[tuple[int, int]] = []
            for j in range(len(norm.tokens) - 1):
                a, b = norm.tokens[j], norm.tokens[j + 1]
                if a.role == "particle" or b.role == "particle":
                    continue
                folded = glued(a.folded, b.folded)
                origin = _pair_origin(a.origin, b.origin)
                keys = pair_keys(folded, origin, cached=False)
                w = self.vocab.weight[tids[j]] + self.vocab.weight[tids[j + 1]]
                pairs.append(
                    (
                        j,
                        # A pair's raw form is never shown: explanations name the two tokens.
                        self.vocab.add(
                            "",
                            folded,
                            origin,
                            keys,
                            w,
                            "pair",
                            len(a.folded),
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
            self.name_raw.append(tuple(t.raw for t in norm.tokens))
            self.name_surname.append(surname_tokens(text, kind_of))
            self.name_pairs.append(tuple(pairs))
            self.name_readings.append(tuple(alts))
            for tid in {*tids, *(p[1] for p in pairs), *(a[1] for a in alts)}:
                postings.setdefault(tid, []).append(n)
        self.name_count = len(self.name_entry)
        self.name_entry_arr = np.asarray(self.name_entry, dtype=np.int64)
        n_entries = max(self.name_entry, default=-1) + 1
        self._entry_start = np.zeros(n_entries, dtype=np.int64)
        self._entry_len = np.zeros(n_entries, dtype=np.int64)
        for n, e in enumerate(self.name_entry):
            if self._entry_len[e] == 0:
                self._entry_start[e] = n
            elif self._entry_start[e] + self._entry_len[e] != n:
                raise ValueError("names must be given grouped by entry")
            self._entry_len[e] += 1
        # Postings in one flat array with offsets (CSR): tens of thousands of small arrays would
        # cost more in headers than in ids.
        counts = np.asarray(
            [len(postings.get(t, ())) for t in range(len(self.vocab.folded))], dtype=np.int64
        )
        self._post_start = np.concatenate([[0], np.cumsum(counts)])
        self._post_flat = np.asarray(
            [n for t in range(len(self.vocab.folded)) for n in postings.get(t, ())], dtype=np.int32
        )
        del postings
        weights = np.asarray(self.vocab.weight, dtype=np.float64)
        self.token_weight = weights
        self.name_total = np.asarray(
            [float(weights[list(t)].sum()) for t in self.name_tokens], dtype=np.float64
        )
        # Key buckets in one flat array too (CSR), each key mapped to its slot: tens of thousands
        # of lists or small arrays would cost memory and slow every full garbage collection.
        # Each bucket lists its single tokens first, then its glued pairs (each part in id order),
        # so that a glued query pair, which only meets single tokens, reads just the first part.
        by_key: dict[str, tuple[list[int], list[int]]] = {}
        for tid, keys in enumerate(self.vocab.keys):
            part = 1 if self.vocab.role[tid] == "pair" else 0
            for key in keys:
                by_key.setdefault(key, ([], []))[part].append(tid)
        self._key_slot = {k: slot for slot, k in enumerate(by_key)}
        self._key_start = np.concatenate(
            [[0], np.cumsum([len(a) + len(b) for a, b in by_key.values()], dtype=np.int64)]
        )
        self._key_singles = np.asarray([len(a) for a, _ in by_key.values()], dtype=np.int64)
        self._key_flat = np.asarray(
            [t for a, b in by_key.values() for t in (*a, *b)], dtype=np.int32
        )
        del by_key
        self._table = token_table(self.vocab.folded, self.vocab.origin, self.vocab.split)
        self.vocab.split = []  # the table holds it
        first: dict[str, list[int]] = {}
        for tid, folded in enumerate(self.vocab.folded):
            # Two glued words are never an initial's expansion; a reading is met through its token.
            if self.vocab.role[tid] not in ("pair", "reading"):
                first.setdefault(folded[:1], []).append(tid)
        self._by_first = {k: np.asarray(v, dtype=np.int32) for k, v in first.items()}
        self._initials = {
            k: np.asarray([t for t in v if len(self.vocab.folded[t]) == 1], dtype=np.int32)
            for k, v in first.items()
        }
        self._typos = TypoIndex(
            self.vocab.folded,
            [
                typo_eligible(folded, origin) and role != "pair"
                for folded, origin, role in zip(
                    self.vocab.folded, self.vocab.origin, self.vocab.role, strict=True
                )
            ],
        )
        # Typos are also looked for between spellings as written: folding can hide one (Bban
        # folds to ban, three letters; Lounii to luni) or make one (Baban, babn).
        spellings = sorted(
            {
                (raw, tid)
                for raws, tids in zip(self.name_raw, self.name_tokens, strict=True)
                for raw, tid in zip(raws, tids, strict=True)
                if self.vocab.origin[tid] == Origin.LATIN and typo_eligible(raw, Origin.LATIN)
            }
        )
        self._spellings = [raw for raw, _ in spellings]
        self._spelling_tid = np.asarray([tid for _, tid in spellings], dtype=np.int32)
        self._spelled_typos = TypoIndex(self._spellings, [True] * len(spellings))
        self._sim_cache: dict[tuple[str, object], TokenHits] = {}
        self._cache_bytes = 0
        self._neighbourhoods()

    def _neighbourhoods(self) -> None:
        """Precompute the neighbourhood of each listed word, and of each word of the shipped
        frequency table (common name parts, see `scoring.weights`): the vocabulary tokens similar
        to it, with their similarity (CSR). A query word that is one of these (most words of a name
        that hits, and the common names of clean ones) then costs no similarity computation, cache
        or not."""
        words: dict[tuple[str, Origin], tuple[str, ...]] = {}
        for (folded, origin, role), tid in self.vocab.ids.items():
            if role != "pair":
                words.setdefault((folded, origin), self.vocab.keys[tid])
        # Only for an index large enough that cold queries cost: a small one (compare, a sample
        # list) would spend its build on words none of its names resemble.
        common = common_tokens() if self.name_count >= COMMON_NEIGHBOURHOOD_NAMES else []
        for folded in common:
            if len(folded) > 1 and (folded, Origin.LATIN) not in words:
                # Unwrapped: these would only crowd the cache that serves queries.
                words[(folded, Origin.LATIN)] = phonetic_keys.__wrapped__(folded)
        self._nb_slot: dict[tuple[str, Origin], int] = {}
        lengths: list[int] = []
        ids: list[np.ndarray] = [_EMPTY]
        sims: list[np.ndarray] = [np.zeros(0)]
        batch: list[tuple[np.ndarray, np.ndarray]] = []
        # The typo channel's part of every neighbourhood, joined in one pass.
        typos = self._typos.lookup_many([f if typo_eligible(f, o) else "" for f, o in words])
        for n, (((folded, origin), keys), typo) in enumerate(
            zip(words.items(), typos, strict=True), 1
        ):
            batch.append(self._similar(folded, origin, keys, split=0, typos=typo))
            lengths.append(len(batch[-1][0]))
            if len(batch) == 1024 or n == len(words):
                # Joined in batches: tens of thousands of small arrays would double the peak.
                ids.append(np.concatenate([b[0] for b in batch]))
                sims.append(np.concatenate([b[1] for b in batch]))
                batch = []
        self._nb_start = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        self._nb_ids = np.concatenate(ids).astype(np.int32)
        self._nb_sims = np.concatenate(sims).astype(np.float64)
        self._nb_slot = {word: slot for slot, word in enumerate(words)}
        # Only adding tokens needs these maps; the neighbourhoods now serve the id lookups.
        self.vocab.ids = {}
        self.vocab.interned = {}

    def _similar(
        self,
        folded: str,
        origin: Origin,
        keys: Sequence[str],
        split: int,
        typos: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary tokens similar to one query token (a shared key or an initial, then
        `similarities_at` > 0; or a typo apart), with their similarities. `split` > 0: a glued
        query pair. `typos`: the tokens `TypoIndex.lookup` would give, when already known."""
        is_pair = split > 0
        if not is_pair:
            slot = self._nb_slot.get((folded, origin))
            if slot is not None:
                start, end = self._nb_start[slot], self._nb_start[slot + 1]
                return self._nb_ids[start:end], self._nb_sims[start:end]
        slots = [self._key_slot[k] for k in keys if k in self._key_slot]
        # A glued pair meets single tokens only (see token_matches).
        found = [
            self._key_flat[
                self._key_start[s] : (
                    self._key_start[s] + self._key_singles[s] if is_pair else self._key_start[s + 1]
                )
            ]
            for s in slots
        ]
        if len(folded) == 1:
            found.append(self._by_first.get(folded, _EMPTY))
        elif not is_pair:
            found.append(self._initials.get(folded[:1], _EMPTY))
        found = [f for f in found if len(f)]
        typo = self._typo_matches(folded, origin, split, typos)
        if not found:
            return typo
        # One key's bucket holds each token once.
        tids = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
        sims = similarities_at(folded, origin, self._table, tids, split)
        keep = sims > 0
        return merge_matches((tids[keep], sims[keep]), typo)

    def _typo_matches(
        self, folded: str, origin: Origin, split: int, found: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary tokens a typo apart from one query token (`scoring.typos`), with their
        typo similarity: of the same origin, never for a glued pair."""
        if split or not typo_eligible(folded, origin):
            return _EMPTY, np.zeros(0)
        tids = self._typos.lookup(folded) if found is None else found
        if len(tids):
            tids = tids[self._table.origin[tids] == int(origin)]
        arabic = origin == Origin.ARABIC
        sims = np.fromiter(
            (typo_similarity(folded, self.vocab.folded[t], arabic) for t in tids.tolist()),
            dtype=np.float64,
            count=len(tids),
        )
        keep = sims > 0
        return tids[keep], sims[keep]

    @property
    def folded(self) -> list[str]:
        """Each token id's folded form."""
        return self.vocab.folded

    @property
    def origin(self) -> list[Origin]:
        """Each token id's origin (see names.Token)."""
        return self.vocab.origin

    @property
    def role(self) -> list[str]:
        """Each token id's role (see names.Token; "pair" for two adjacent tokens glued)."""
        return self.vocab.role

    def entry_name_ids(self, entry: int) -> range:
        """The name ids of one entry (its names are indexed one after another).

        >>> CandidateIndex([(0, "Ali Hasan", "primary"), (0, "Abu Ali", "aka")]).entry_name_ids(0)
        range(0, 2)
        """
        start = int(self._entry_start[entry])
        return range(start, start + int(self._entry_len[entry]))

    # -- token level ----------------------------------------------------------------------------

    def token_matches(
        self,
        folded: str,
        origin: Origin,
        keys: Sequence[str] | None,
        exhaustive: bool = False,
        split: int = 0,
    ) -> TokenHits:
        """Vocabulary tokens with similarity > 0 to one query token (their postings are gathered
        by the bound pass, for many queries at once).
        `keys` None: the token's phonetic keys, computed only when the token is not cached.

        Index mode looks up the tokens sharing a key, plus initials: every token starting with a
        query initial, and every listed initial of a query token's first letter (or a listed
        word's precomputed neighbourhood). Exhaustive mode tests `may_match` against the whole
        vocabulary; both find the same set. Cached per token, since names repeat their parts.

        A glued query pair is matched against single listed tokens only: a pair aligns with one
        token (Abdulrahman / Abdul Rahman); two pairs would be two tokens on each side, which the
        single tokens already align. `split` > 0: the query token is such a pair, its second word
        starting there.
        """
        is_pair = split > 0
        cache_key = (folded, f"{origin}+{split}" if is_pair else origin)
        if not exhaustive:
            cached = self._sim_cache.get(cache_key)
            if cached is not None:
                return cached
        if keys is None:
            keys = pair_keys(folded, origin) if is_pair else phonetic_keys(folded)
        vocab = self.vocab
        if exhaustive:
            tids = np.asarray(
                [
                    t
                    for t in range(len(vocab.folded))
                    if not (is_pair and vocab.role[t] == "pair")
                    and may_match(
                        folded,
                        keys,
                        vocab.folded[t],
                        vocab.keys[t],
                        initials=not is_pair and vocab.role[t] not in ("pair", "reading"),
                    )
                ],
                dtype=np.int32,
            )
            sims = similarities_at(folded, origin, self._table, tids, split)
            keep = sims > 0
            typos = np.asarray(
                [
                    t
                    for t in range(len(vocab.folded))
                    if not is_pair
                    and vocab.role[t] != "pair"
                    and vocab.origin[t] == origin
                    and typo_eligible(vocab.folded[t], origin)
                    and typo_similarity(folded, vocab.folded[t], origin == Origin.ARABIC) > 0
                ],
                dtype=np.int32,
            )
            typo_sims = [
                typo_similarity(folded, vocab.folded[t], origin == Origin.ARABIC) for t in typos
            ]
            tids, sims = merge_matches((tids[keep], sims[keep]), (typos, np.asarray(typo_sims)))
        else:
            tids, sims = self._similar(folded, origin, keys, split)
        if not len(tids):
            # Most glued pairs, and words no listed word resembles: no postings to gather.
            if not exhaustive:
                self._sim_cache[cache_key] = _NO_HITS
            return _NO_HITS
        result = self._token_hits(tids, sims)
        if not exhaustive:
            # Bounded in bytes (a dict item costs about 100), so memory stays flat on long batches.
            size = 100 * len(tids) + tids.nbytes + 2 * sims.nbytes + 200
            if self._cache_bytes + size > CACHE_BYTES:
                self._sim_cache.clear()
                self._cache_bytes = 0
            self._sim_cache[cache_key] = result
            self._cache_bytes += size
        return result

    def _token_hits(self, tids: np.ndarray, sims: np.ndarray) -> TokenHits:
        weighted = sims * self.token_weight[tids]
        # Every vocabulary token is in some name, so each has postings; the batch pass gathers
        # them (one gather for many queries, not one per token).
        return TokenHits(
            dict(zip(tids.tolist(), sims.tolist(), strict=True)),
            tids,
            sims,
            weighted,
            int(self._post_start[tids + 1].sum() - self._post_start[tids].sum()),
            float(weighted.max()),
        )

    def _query_matches(self, q: QueryToken, exhaustive: bool) -> TokenHits:
        """A query token's matches, its readings' (names.readings) merged in: Haitham meets
        Heysem through its reading haisam."""
        hits = self.token_matches(q.folded, q.origin, q.keys, exhaustive)
        more = [self.token_matches(reading, q.origin, None, exhaustive) for reading in q.readings]
        if q.origin == Origin.LATIN and typo_eligible(q.raw, Origin.LATIN):
            more.append(self._spelled_typo_matches(q.raw, exhaustive))
        for other in more:
            if len(other.tids):
                tids, sims = merge_matches((hits.tids, hits.tid_sims), (other.tids, other.tid_sims))
                hits = self._token_hits(tids, sims)
        return hits

    def _spelled_typo_matches(self, raw: str, exhaustive: bool) -> TokenHits:
        """Listed tokens whose spelling as written is a typo apart from this one (each token's
        best typo similarity over its spellings)."""
        cache_key = (raw, "spelled")
        if not exhaustive and cache_key in self._sim_cache:
            return self._sim_cache[cache_key]
        if exhaustive:
            found = np.asarray(
                [i for i, w in enumerate(self._spellings) if typo_similarity(raw, w) > 0],
                dtype=np.int32,
            )
        else:
            found = self._spelled_typos.lookup(raw)
        result = _NO_HITS
        if len(found):
            sims = np.asarray([typo_similarity(raw, self._spellings[i]) for i in found.tolist()])
            tids = self._spelling_tid[found]
            order = np.lexsort((-sims, tids))
            tids, sims = tids[order], sims[order]
            first = np.ones(len(tids), dtype=bool)
            first[1:] = tids[1:] != tids[:-1]
            result = self._token_hits(tids[first], sims[first])
        if not exhaustive:
            self._sim_cache[cache_key] = result
        return result

    # -- name level -----------------------------------------------------------------------------

    def candidates(
        self,
        qtoks: Sequence[QueryToken],
        qpairs: Sequence[tuple[int, int]],
        min_score: float,
        exhaustive: bool = False,
    ) -> Candidates:
        """Names whose score may reach `min_score`, with each query token's {token id: similarity}.

        Returns (name ids, each name's score bound (infinite in exhaustive mode), per query token
        matches, per glued query pair matches); names with the highest bound first.
        `candidates_many` does the same for many queries at once.

        >>> idx = CandidateIndex([(0, "AL-LAMI, Hussein Falah", "primary")])
        >>> idx.candidates(*query_tokens(normalize("Hussein Falih al-Lami")), 0.85).names
        array([0], dtype=int32)
        """
        return self.candidates_many([(qtoks, qpairs)], [min_score], exhaustive)[0]

    def candidates_many(
        self,
        queries: Sequence[tuple[Sequence[QueryToken], Sequence[tuple[int, int]]]],
        min_scores: Sequence[float],
        exhaustive: bool = False,
    ) -> list[Candidates]:
        """`candidates` for each (query tokens, glued pairs), each with its own `min_score`.

        The score bounds of many queries are computed in one pass of array operations: about
        seventy NumPy calls per pass, which for one query cost more than the arithmetic they do.
        """
        out: list[Candidates] = []
        plans: list[_Plan] = []
        for (qtoks, qpairs), min_score in zip(queries, min_scores, strict=True):
            found = self._plan(qtoks, qpairs, min_score, exhaustive, len(out))
            if isinstance(found, Candidates):
                out.append(found)
            else:
                out.append(_NO_CANDIDATES)  # replaced by its batch's pass
                plans.append(found)
        # Queries of one length pass together: the pass keeps a row per query token for every
        # name, so one long query would widen the rows of all.
        plans.sort(key=lambda p: len(p.weights))
        batch: list[_Plan] = []
        cells = 0
        for plan in plans:
            size = plan.postings * len(plan.weights)
            if batch and (
                len(batch) == BATCH_QUERIES
                or len(plan.weights) != len(batch[0].weights)
                or cells + size > BATCH_CELLS
            ):
                self._bound_batch(batch, out)
                batch, cells = [], 0
            batch.append(plan)
            cells += size
        if batch:
            self._bound_batch(batch, out)
        return out

    def _plan(
        self,
        qtoks: Sequence[QueryToken],
        qpairs: Sequence[tuple[int, int]],
        min_score: float,
        exhaustive: bool,
        slot: int,
    ) -> Candidates | _Plan:
        """One query's token matches and units of evidence; the finished candidates when no
        array pass is needed (exhaustive mode, or no name can reach `min_score`)."""
        single = [self._query_matches(q, exhaustive) for q in qtoks]
        paired = []
        for i, j in qpairs:
            folded = glued(qtoks[i].folded, qtoks[j].folded)
            origin = _pair_origin(qtoks[i].origin, qtoks[j].origin)
            paired.append(
                self.token_matches(folded, origin, None, exhaustive, split=len(qtoks[i].folded))
            )
        q_sims = [h.sims for h in single]
        p_sims = [h.sims for h in paired]
        if exhaustive:
            n_names = self.name_count
            return Candidates(
                np.arange(n_names, dtype=np.int32), np.full(n_names, np.inf), q_sims, p_sims
            )
        none = Candidates(_EMPTY, _NO_BOUNDS, q_sims, p_sims)
        if self.name_count == 0 or not qtoks:
            return none
        weights = [q.weight for q in qtoks]
        # A name that matches every listed token it has may leave query tokens out of its
        # middle at a share of their slack (a longer form of the name, see scoring.matching).
        lengthened = SHORT_FORM_FACTOR if len(qtoks) >= 3 else 1.0
        tq = float(sum(weights))
        # Units of evidence: each query token, and each glued pair of them, with the most it can
        # add to matched query weight (mq) and to matched listed weight (mc).
        units: list[tuple[TokenHits, tuple[int, ...], float]] = [
            (h, (i,), weights[i]) for i, h in enumerate(single)
        ]
        units += [
            (h, (i, j), weights[i] + weights[j]) for (i, j), h in zip(qpairs, paired, strict=True)
        ]
        units = [u for u in units if u[0].postings]
        if not units:
            return none
        units.sort(key=lambda u: -u[2])
        # The heaviest units are required: a name matching none of them cannot reach min_score
        # even if the rest matched perfectly and it had no other token. Only the (few) names
        # those units reach, and their entries' other names, are bounded one by one.
        rest_q = float(sum(u[2] for u in units))
        rest_c = float(sum(u[0].max_weight for u in units))
        required = 0
        # Such a name matches (or is credited) only query tokens the remaining units cover: how
        # many from each unit on.
        covered = [0] * (len(units) + 1)
        if len(qtoks) >= STRONG_TOKENS:
            seen: set[int] = set()
            for k in range(len(units) - 1, -1, -1):
                seen.update(units[k][1])
                covered[k] = len(seen)
        while required < len(units):
            strong = covered[required] >= STRONG_TOKENS
            # A name with no token beyond the matched ones has no conflict.
            best = name_score_one(rest_q, rest_c, tq, rest_c, strong, 0.0, 1.0, lengthened)
            if best < min_score - 1e-9:
                break
            rest_q -= units[required][2]
            rest_c -= units[required][0].max_weight
            required += 1
        if required == 0:
            return none
        # Nor can an entry reached by fewer than `least` units: any `least - 1` units matched
        # perfectly stay under min_score. k units add at most the k largest query weights (the
        # units are in that order), the k largest listed weights, and cover at most the k
        # largest numbers of query tokens, each taken on its own.
        top_q = top_c = 0.0
        top_covered = 0
        least = 0
        listed_most = sorted((u[0].max_weight for u in units), reverse=True)
        covers_most = sorted((len(u[1]) for u in units), reverse=True)
        for u, c, n in zip(units, listed_most, covers_most, strict=True):
            least += 1
            top_q += u[2]
            top_c += c
            top_covered += n
            strong = top_covered >= STRONG_TOKENS
            best = name_score_one(top_q, top_c, tq, top_c, strong, 0.0, 1.0, lengthened)
            if best >= min_score - 1e-9:
                break
        postings = sum(u[0].postings for u in units)
        initials = [len(q.folded) == 1 for q in qtoks]
        return _Plan(
            slot, units, required, least, weights, initials, tq, min_score, postings, q_sims, p_sims
        )

    def _bound_batch(self, plans: Sequence[_Plan], out: list[Candidates]) -> None:
        """The score bound of every name the plans' units reach, kept where it reaches the
        plan's `min_score`; each plan's candidates written to its slot of `out`. The plans have
        the same number of query tokens."""
        n_entries = len(self._entry_start)
        n_names = self.name_count
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
        starts = self._post_start[tids]
        lengths = self._post_start[tids + 1] - starts
        # The postings runs of all matched tokens of all plans, gathered at once.
        ends = np.cumsum(lengths)
        names = self._post_flat[np.arange(ends[-1]) + np.repeat(starts - ends + lengths, lengths)]

        # Per posting, its token's place in `tids`; per token, its unit's facts.
        source = np.repeat(np.arange(len(tids)), lengths)

        def per_token(per_unit: Sequence[Any]) -> np.ndarray:
            return np.repeat(np.asarray(per_unit), unit_tids)

        plan_of = per_token(unit_plan)[source]
        # Only names some unit hits can score (mc > 0), and only they carry credit to their
        # entry's other names. Of those, only the entries reached by a required unit and by
        # `least` units, counted in masks over (plan, entry): cheaper than sorting.
        entry_key = plan_of * n_entries + self.name_entry_arr[names]
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
                out[plan.slot] = Candidates(_EMPTY, _NO_BOUNDS, plan.q_sims, plan.p_sims)
            return
        source = source[keep]
        hit_keys, at = np.unique(plan_of[keep] * n_names + names[keep], return_inverse=True)
        m = len(hit_keys)
        hit_plan = hit_keys // n_names
        hit_names = hit_keys - hit_plan * n_names
        sims = self._effective(
            np.concatenate(sim_parts), tids, per_token(unit_weight), per_token(unit_initial)
        )[source]
        listed = sims * self.token_weight[tids][source]
        mc = np.bincount(at, weights=listed, minlength=m)
        # Per (query token, hit name) cells, one row per token: each row's reductions below run
        # over contiguous memory.
        cells = np.bincount(
            per_token(unit_first)[source] * m + at, weights=sims, minlength=width * m
        )
        if max(unit_second) >= 0:
            second = per_token(unit_second)[source]
            pair = second >= 0
            cells += np.bincount(
                second[pair] * m + at[pair], weights=sims[pair], minlength=width * m
            )
        pt = np.minimum(cells.reshape(width, m), 1.0)
        # A query token another name of the same entry explains counts as explained (the screener
        # credits it), so the bound takes, per query token, the best over the entry's names. Names
        # of an entry are adjacent ids, so its hit names are one run of the sorted hit names.
        entry = hit_plan * n_entries + self.name_entry_arr[hit_names]
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
        tc = self.name_total[hit_names]
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
            out[plan.slot] = Candidates(
                found_names[a:b], found_bounds[a:b], plan.q_sims, plan.p_sims
            )

    def _effective(
        self, sims: np.ndarray, tids: np.ndarray, query_weight: np.ndarray, initial: np.ndarray
    ) -> np.ndarray:
        """Similarities as the exact alignment counts them: where an initial meets a word
        (either side one letter), one letter's worth (see `screener._token_sim`), so that a
        query word meeting the listed initials of many names does not make them all candidates.
        `query_weight` 0: the query token is a glued pair, which the alignment takes as it is."""
        table = self._table
        scaled = (query_weight > 0) & (
            (table.length[tids] == 1) | (initial & (table.split[tids] == 0))
        )
        if not scaled.any():
            return sims
        most = np.maximum(np.maximum(query_weight, self.token_weight[tids]), INITIAL_WEIGHT)
        return np.where(scaled, sims * (INITIAL_WEIGHT / most), sims)


class Candidates(NamedTuple):
    """One query's candidate names, highest score bound first, and its token matches."""

    names: np.ndarray  # name ids
    bounds: np.ndarray  # each name's score bound (infinite in exhaustive mode)
    q_sims: list[dict[int, float]]  # per query token: {listed token id: similarity}
    p_sims: list[dict[int, float]]  # per glued query pair


class _Plan(NamedTuple):
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
    times the listed token's weight), how many names carry those tokens, and the largest weight."""

    sims: dict[int, float]
    tids: np.ndarray
    tid_sims: np.ndarray
    tid_weights: np.ndarray
    postings: int
    max_weight: float  # the largest of tid_weights


_EMPTY = np.zeros(0, dtype=np.int32)
_NO_BOUNDS = np.zeros(0)
_NO_HITS = TokenHits({}, _EMPTY, np.zeros(0), np.zeros(0), 0, 0.0)  # shared: never mutated
_NO_CANDIDATES = Candidates(_EMPTY, _NO_BOUNDS, [], [])
CACHE_BYTES = 24 * 2**20  # the per-token match cache of one index (see caches.py)
# One bound pass takes at most this many queries, and (postings x query tokens) cells.
BATCH_QUERIES = 64
BATCH_CELLS = 2_000_000
COMMON_NEIGHBOURHOOD_NAMES = 10_000  # indexes this large precompute common words' neighbourhoods


def surname_tokens(text: str, kind: str | None) -> int:
    """How many tokens the surname of a name written SURNAME, Given names has (its last tokens
    once normalised); 1 for a name written otherwise, which says nothing of it.

    >>> surname_tokens("GONZALEZ CARDENAS, Jorge", "person"), surname_tokens("AL-AMIRI, Adnan", None)
    (2, 1)
    """
    surname, comma, given = text.partition(",")
    if not comma or "," in given or len(surname.split()) < 2:
        return 1
    return max(1, len(normalize.__wrapped__(surname, kind).tokens))


def typo_eligible(folded: str, origin: Origin) -> bool:
    """Whether a token takes part in the typo channel: romanised or from Arabic script (a
    syllable's letters are not typed one by one), long enough, and no number.

    >>> typo_eligible("zawahiri", Origin.LATIN), typo_eligible("fang", Origin.SYLLABIC), typo_eligible("2024", Origin.LATIN)
    (True, False, False)
    """
    return (
        origin in (Origin.LATIN, Origin.ARABIC)
        and len(folded) >= MIN_TYPO_LETTERS
        and folded.isalpha()
    )


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
    tids = np.concatenate([a[0], b[0]]).astype(np.int32)
    sims = np.concatenate([a[1], b[1]]).astype(np.float64)
    order = np.lexsort((-sims, tids))
    tids, sims = tids[order], sims[order]
    first = np.ones(len(tids), dtype=bool)
    first[1:] = tids[1:] != tids[:-1]
    return tids[first], sims[first]


def _pair_origin(a: Origin, b: Origin) -> Origin:
    """The origin of two adjacent tokens glued: Arabic if either is, syllabic if either is."""
    return (
        Origin.ARABIC
        if Origin.ARABIC in (a, b)
        else Origin.SYLLABIC
        if Origin.SYLLABIC in (a, b)
        else Origin.LATIN
    )
