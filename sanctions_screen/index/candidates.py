"""The candidate index: phonetic keys -> tokens -> listed names, plus an exact score upper bound.

Built once per Screener. A query token reaches every vocabulary token that shares one of its
phonetic keys (token similarity is 0 otherwise, see `scoring.similarity`), and through postings the
names carrying those tokens. Entries that too few of the query's tokens reach are dropped first;
for every other name reached, an upper bound of its score is computed with numpy, for many queries
in one pass (`candidates_many`); only names whose bound reaches the threshold are aligned exactly.
Neither step ever underestimates, so index mode returns exactly the hits of exhaustive mode.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import partial

import numpy as np

from ..names import normalize, phonetic_keys
from ..names.origin import Origin
from ..scoring.align import STRONG_TOKENS, name_score_one
from ..scoring.matching import SHORT_FORM_FACTOR
from ..scoring.similarity import may_match, similarities_at, token_table
from ..scoring.tokens import QueryToken
from ..scoring.typos import typo_similarity
from ..scoring.weights import common_tokens, token_weight
from .bound import (
    BATCH_CELLS,
    BATCH_QUERIES,
    EMPTY_IDS,
    NO_BOUNDS,
    NO_CANDIDATES,
    NO_HITS,
    Candidates,
    Plan,
    TokenHits,
    best_per_id,
    bound_batch,
    merge_matches,
    reached_by,
)
from .csr import Csr
from .key_table import KeyTable
from .legal_words import LegalWords, legal_word_list
from .typo_index import TypoIndex
from .vocabulary import (
    Vocabulary,
    glued,
    pair_keys,
    pair_origin,
    query_tokens,
    surname_tokens,
    typo_eligible,
)


class CandidateIndex:
    """Names of all entries, tokenised, with key and token postings: built from (entry index,
    name, name kind[, entry kind]), the names of one entry one after another.

    >>> idx = CandidateIndex([(0, "AL-LAMI, Hussein Falah", "primary")]); idx.name_count
    1
    """

    def __init__(self, names: Iterable[tuple[int, str, str] | tuple[int, str, str, str]]) -> None:
        # The build, step by step: each name's tokens into the vocabulary, then the lookups.
        postings = self._add_names(names)
        self._index_entries()
        self.postings = Csr.from_rows([postings.get(t, ()) for t in range(len(self.vocab.folded))])
        del postings
        weights = np.asarray(self.vocab.weight, dtype=np.float64)
        self.token_weight = weights
        self.name_total = np.asarray(
            [float(weights[list(t)].sum()) for t in self.name_tokens], dtype=np.float64
        )
        self.table = token_table(self.vocab.folded, self.vocab.origin, self.vocab.split)
        self.vocab.split = []  # the table holds it
        self._index_keys()
        self._index_initials()
        self._index_typos()
        self.legal_words = LegalWords(
            legal_word_list(self.name_raw, self.name_tokens, self.vocab.role),
            self.listed_spelling,
        )
        self._sim_cache: dict[tuple[str, object], TokenHits] = {}
        self._cache_bytes = 0
        self._neighbourhoods()

    def _add_names(
        self, names: Iterable[tuple[int, str, str] | tuple[int, str, str, str]]
    ) -> dict[int, list[int]]:
        """Every name's tokens (and glued pairs and readings) into the vocabulary; the names of
        each token id (its postings)."""
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
                    keys = partial(phonetic_keys.__wrapped__, reading)
                    alt = self.vocab.add("", reading, t.origin, keys, w, "reading")
                    self.vocab.weight[alt] = max(self.vocab.weight[alt], w)
                    alts.append((j, alt))
            pairs: list[tuple[int, int]] = []
            for j in range(len(norm.tokens) - 1):
                a, b = norm.tokens[j], norm.tokens[j + 1]
                if a.role == "particle" or b.role == "particle":
                    continue
                folded = glued(a.folded, b.folded)
                origin = pair_origin(a.origin, b.origin)
                keys = partial(pair_keys, folded, origin, cached=False)
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
        return postings

    def _index_entries(self) -> None:
        """Each entry's names, as a run of name ids."""
        self.name_count = len(self.name_entry)
        self.name_entry_arr = np.asarray(self.name_entry, dtype=np.int64)
        n_entries = max(self.name_entry, default=-1) + 1
        self.entry_start = np.zeros(n_entries, dtype=np.int64)
        self._entry_len = np.zeros(n_entries, dtype=np.int64)
        for n, e in enumerate(self.name_entry):
            if self._entry_len[e] == 0:
                self.entry_start[e] = n
            elif self.entry_start[e] + self._entry_len[e] != n:
                raise ValueError("names must be given grouped by entry")
            self._entry_len[e] += 1

    def _index_keys(self) -> None:
        """Tokens by phonetic key."""
        # Key buckets in one flat array too (CSR), each key mapped to its slot: tens of thousands
        # of lists or small arrays would cost memory and slow every full garbage collection.
        # Each bucket lists its single tokens first, then its glued pairs (each part in id order),
        # so that a glued query pair, which only meets single tokens, reads just the first part.
        by_key: dict[str, tuple[list[int], list[int]]] = {}
        for tid, keys in enumerate(self.vocab.keys):
            part = 1 if self.vocab.role[tid] == "pair" else 0
            for key in keys:
                by_key.setdefault(key, ([], []))[part].append(tid)
        # A dict while the build looks up every listed word's keys (the neighbourhoods), then a
        # packed table (`_neighbourhoods`): both map a key to its slot with `get`.
        self._key_slot: dict[str, int] | KeyTable = {k: slot for slot, k in enumerate(by_key)}
        self._key_start = np.concatenate(
            [[0], np.cumsum([len(a) + len(b) for a, b in by_key.values()], dtype=np.int64)]
        )
        self._key_singles = np.asarray([len(a) for a, _ in by_key.values()], dtype=np.int64)
        self._key_flat = np.asarray(
            [t for a, b in by_key.values() for t in (*a, *b)], dtype=np.int32
        )
        del by_key

    def _index_initials(self) -> None:
        """Tokens by first letter, and the one-letter ones: what an initial meets."""
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

    def _index_typos(self) -> None:
        """The typo channel's lookups: folded tokens, and spellings as written."""
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

    def listed_spelling(self, word: str) -> bool:
        """Whether a listed name is written with `word` (lowercase, as the typo lookups keep it).

        >>> CandidateIndex([(0, "Hussein Falah", "primary")]).listed_spelling("falah")
        True
        """
        at = bisect.bisect_left(self._spellings, word)
        return at < len(self._spellings) and self._spellings[at] == word

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
        # Each word's slot, by `neighbourhood_key` (a table of packed keys, not a dict of them).
        self._nb_slot = KeyTable.of([])
        lengths: list[int] = []
        ids: list[np.ndarray] = [EMPTY_IDS]
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
        self._nb_slot = KeyTable.of([neighbourhood_key(f, o) for f, o in words])
        self._key_slot = KeyTable.of(list(self._key_slot))
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
        precomputed: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary tokens similar to one query token (a shared key or an initial, then
        `similarities_at` > 0; or a typo apart), with their similarities. `split` > 0: a glued
        query pair. `typos`: the tokens `TypoIndex.lookup` would give, when already known.
        `precomputed` False: computed even for a word with a precomputed neighbourhood."""
        is_pair = split > 0
        if not is_pair and precomputed:
            slot = self._nb_slot.get(neighbourhood_key(folded, origin))
            if slot is not None:
                start, end = self._nb_start[slot], self._nb_start[slot + 1]
                return self._nb_ids[start:end], self._nb_sims[start:end]
        found_slots = (self._key_slot.get(k) for k in keys)
        slots = [s for s in found_slots if s is not None]
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
            found.append(self._by_first.get(folded, EMPTY_IDS))
        elif not is_pair:
            found.append(self._initials.get(folded[:1], EMPTY_IDS))
        found = [f for f in found if len(f)]
        typo = self._typo_matches(folded, origin, split, typos)
        if not found:
            return typo
        # One key's bucket holds each token once.
        tids = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
        sims = similarities_at(folded, origin, self.table, tids, split)
        keep = sims > 0
        return merge_matches((tids[keep], sims[keep]), typo)

    def _typo_matches(
        self, folded: str, origin: Origin, split: int, found: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary tokens a typo apart from one query token (`scoring.typos`), with their
        typo similarity: of the same origin, never for a glued pair."""
        if split or not typo_eligible(folded, origin):
            return EMPTY_IDS, np.zeros(0)
        tids = self._typos.lookup(folded) if found is None else found
        if len(tids):
            tids = tids[self.table.origin[tids] == int(origin)]
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
        start = int(self.entry_start[entry])
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
            sims = similarities_at(folded, origin, self.table, tids, split)
            keep = sims > 0
            arabic = origin == Origin.ARABIC
            typo_of = {
                t: typo_similarity(folded, vocab.folded[t], arabic)
                for t in range(len(vocab.folded))
                if not is_pair
                and vocab.role[t] != "pair"
                and vocab.origin[t] == origin
                and typo_eligible(vocab.folded[t], origin)
            }
            typos = np.asarray([t for t, v in typo_of.items() if v > 0], dtype=np.int32)
            typo_sims = [typo_of[t] for t in typos.tolist()]
            tids, sims = merge_matches((tids[keep], sims[keep]), (typos, np.asarray(typo_sims)))
        else:
            tids, sims = self._similar(folded, origin, keys, split)
        if not len(tids):
            # Most glued pairs, and words no listed word resembles: no postings to gather.
            if not exhaustive:
                self._sim_cache[cache_key] = NO_HITS
            return NO_HITS
        result = self._token_hits(tids, sims)
        if not exhaustive:
            self._remember(cache_key, result)
        return result

    def _remember(self, cache_key: tuple[str, object], hits: TokenHits) -> None:
        # Bounded in bytes (a dict item costs about 100), so memory stays flat on long batches.
        size = 100 * len(hits.tids) + hits.tids.nbytes + 2 * hits.tid_sims.nbytes + 200
        size += hits.entries.nbytes
        if self._cache_bytes + size > CACHE_BYTES:
            self._sim_cache.clear()
            self._cache_bytes = 0
        self._sim_cache[cache_key] = hits
        self._cache_bytes += size

    def _token_hits(self, tids: np.ndarray, sims: np.ndarray) -> TokenHits:
        weighted = sims * self.token_weight[tids]
        # Every vocabulary token is in some name, so each has postings; the batch pass gathers
        # them (one gather for many queries, not one per token).
        names, lengths = self.postings.gather(tids)
        return TokenHits(
            dict(zip(tids.tolist(), sims.tolist(), strict=True)),
            tids,
            sims,
            weighted,
            int(lengths.sum()),
            float(weighted.max()),
            np.unique(self.name_entry_arr[names]),
        )

    def _query_matches(self, q: QueryToken, exhaustive: bool) -> TokenHits:
        """A query token's matches, its readings' (names.readings) merged in: Haitham meets
        Heysem through its reading haisam; and the tokens a typo from its spelling as written.
        Cached as merged (a common word meets thousands of tokens: merging them again for every
        query would cost more than the rest of its screen)."""
        hits = self.token_matches(q.folded, q.origin, q.keys, exhaustive)
        spelled = q.origin == Origin.LATIN and typo_eligible(q.raw, Origin.LATIN)
        if not q.readings and not spelled:
            return hits
        cache_key = (q.folded, (q.origin, q.raw if spelled else "", q.readings))
        if not exhaustive and cache_key in self._sim_cache:
            return self._sim_cache[cache_key]
        more = [self.token_matches(reading, q.origin, None, exhaustive) for reading in q.readings]
        if spelled:
            more.append(self._spelled_typo_matches(q.raw, exhaustive))
        for other in more:
            if len(other.tids):
                tids, sims = merge_matches((hits.tids, hits.tid_sims), (other.tids, other.tid_sims))
                hits = self._token_hits(tids, sims)
        if not exhaustive:
            self._remember(cache_key, hits)
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
        result = NO_HITS
        if len(found):
            sims = np.asarray([typo_similarity(raw, self._spellings[i]) for i in found.tolist()])
            result = self._token_hits(*best_per_id(self._spelling_tid[found], sims))
        if not exhaustive:
            self._remember(cache_key, result)
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
        plans: list[Plan] = []
        for (qtoks, qpairs), min_score in zip(queries, min_scores, strict=True):
            found = self._plan(qtoks, qpairs, min_score, exhaustive, len(out))
            if isinstance(found, Candidates):
                out.append(found)
            else:
                out.append(NO_CANDIDATES)  # replaced by its batch's pass
                plans.append(found)
        # Queries of one length pass together: the pass keeps a row per query token for every
        # name, so one long query would widen the rows of all.
        plans.sort(key=lambda p: len(p.weights))
        batch: list[Plan] = []
        cells = 0
        for plan in plans:
            size = plan.postings * len(plan.weights)
            if batch and (
                len(batch) == BATCH_QUERIES
                or len(plan.weights) != len(batch[0].weights)
                or cells + size > BATCH_CELLS
            ):
                bound_batch(self, batch, out)
                batch, cells = [], 0
            batch.append(plan)
            cells += size
        if batch:
            bound_batch(self, batch, out)
        return out

    def _plan(
        self,
        qtoks: Sequence[QueryToken],
        qpairs: Sequence[tuple[int, int]],
        min_score: float,
        exhaustive: bool,
        slot: int,
    ) -> Candidates | Plan:
        """One query's token matches and units of evidence; the finished candidates when no
        array pass is needed (exhaustive mode, or no name can reach `min_score`)."""
        single = [self._query_matches(q, exhaustive) for q in qtoks]
        paired = []
        for i, j in qpairs:
            folded = glued(qtoks[i].folded, qtoks[j].folded)
            origin = pair_origin(qtoks[i].origin, qtoks[j].origin)
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
        none = Candidates(EMPTY_IDS, NO_BOUNDS, q_sims, p_sims)
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
        if not reached_by([u[0].entries for u in units], least, required):
            return none
        postings = sum(u[0].postings for u in units)
        initials = [len(q.folded) == 1 for q in qtoks]
        return Plan(
            slot, units, required, least, weights, initials, tq, min_score, postings, q_sims, p_sims
        )


def neighbourhood_key(folded: str, origin: Origin) -> str:
    """The key of a word's precomputed neighbourhood: its origin and folded form.

    >>> neighbourhood_key("ali", Origin.ARABIC)
    '1ali'
    """
    return f"{int(origin)}{folded}"


CACHE_BYTES = 64 * 2**20  # the per-token match cache of one index (see caches.py)
COMMON_NEIGHBOURHOOD_NAMES = 10_000  # indexes this large precompute common words' neighbourhoods

__all__ = ["BATCH_QUERIES", "CandidateIndex", "Candidates", "TokenHits", "query_tokens"]
