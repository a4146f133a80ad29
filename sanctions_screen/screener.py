"""The Screener: lists in, ranked and explained hits out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from . import __version__
from .index.candidates import CandidateIndex, query_tokens
from .models import Entry, Explanation, Hit, ScreenResult, TokenMatch, Watchlist
from .names import normalize
from .parallel import ordered_map
from .scoring.align import Alignment, Option, align
from .scoring.qualifiers import MATCH_BOOST, birth_date_factor, kind_compatible, nationality_factor

# Calibrated on the figures in benchmarks/RESULTS.md (recall against false alerts per 1,000 names).
DEFAULT_THRESHOLD = 0.8
MAX_NAME_LENGTH = 1000
# Weak (low-quality) aliases still hit, a little lower than strong names.
NAME_KIND_FACTOR = {"weak": 0.95}
ALGORITHM = f"sanctions_screen/{__version__} arabic-token-align-v1"
_KINDS = ("person", "organization", "vessel", "aircraft", "unknown")


def check_name(name: object) -> str:
    """The name to screen, or ValueError when it is not a non-empty string of sane length.

    >>> check_name("  Ali  ")
    'Ali'
    """
    if not isinstance(name, str):
        raise ValueError(f"a name must be a string, not {type(name).__name__}")
    stripped = name.strip()
    if not stripped:
        raise ValueError("a name must not be empty or whitespace")
    if len(stripped) > MAX_NAME_LENGTH:
        raise ValueError(
            f"a name must be at most {MAX_NAME_LENGTH} characters, got {len(stripped)}"
        )
    return stripped


def _options(
    qlen: int,
    q_sims: Sequence[dict[int, float]],
    p_sims: Sequence[dict[int, float]],
    qpairs: Sequence[tuple[int, int]],
    tokens: Sequence[int],
    pairs: Sequence[tuple[int, int]],
) -> list[Option]:
    opts: list[Option] = []
    for i in range(qlen):
        sims = q_sims[i]
        for j, tid in enumerate(tokens):
            s = sims.get(tid)
            if s:
                opts.append(Option(s, (i,), (j,)))
        for j, tid in pairs:
            s = sims.get(tid)
            if s:
                opts.append(Option(s, (i,), (j, j + 1)))
    for (i, i2), sims in zip(qpairs, p_sims, strict=True):
        for j, tid in enumerate(tokens):
            s = sims.get(tid)
            if s:
                opts.append(Option(s, (i, i2), (j,)))
    return opts


class Screener:
    """Screens names against one or more loaded lists.

    >>> from sanctions_screen import Entry, Name
    >>> s = Screener.from_entries([Entry(id="custom:1", list="custom", source_id="1", kind="person",
    ...                                  names=[Name(full="AL-LAMI, Hussein Falah")])])
    >>> s.screen("Hussein Falah al-Lami").hits[0].entry.id
    'custom:1'
    """

    def __init__(
        self,
        lists: Watchlist | Iterable[Watchlist],
        *,
        threshold: float | None = None,
        exhaustive: bool = False,
    ) -> None:
        watchlists = [lists] if isinstance(lists, Watchlist) else list(lists)
        # Sorted, so the order lists are given in never changes a result.
        watchlists.sort(key=lambda w: (w.name, w.version))
        self.lists: list[tuple[str, str]] = [(w.name, w.version) for w in watchlists]
        seen: dict[str, Entry] = {}
        for w in watchlists:
            for e in w.entries:
                seen.setdefault(e.id, e)
        self.entries: list[Entry] = [seen[k] for k in sorted(seen)]
        self.threshold = DEFAULT_THRESHOLD if threshold is None else _check_threshold(threshold)
        self.exhaustive = exhaustive
        self.index = CandidateIndex(
            (i, n.full, n.kind) for i, e in enumerate(self.entries) for n in e.names
        )

    @classmethod
    def from_entries(
        cls, entries: Iterable[Entry], list_name: str = "custom", **kwargs: Any
    ) -> Screener:
        """A screener over entries built in code, as one list named `list_name`.

        >>> Screener.from_entries([]).lists
        [('custom', 'entries')]
        """
        return cls(Watchlist(name=list_name, version="entries", entries=list(entries)), **kwargs)

    def screen(
        self,
        name: str,
        *,
        threshold: float | None = None,
        limit: int = 10,
        kind: str | None = None,
        birth_date: str | None = None,
        nationality: str | None = None,
    ) -> ScreenResult:
        """Screen one name; hits sorted by score, ties by entry id, each at least the threshold.

        >>> # screener.screen("Hussein Falih Aziz", birth_date="1969-06-20").hits[0].score
        """
        query = check_name(name)
        thr = self.threshold if threshold is None else _check_threshold(threshold)
        if kind is not None and kind not in _KINDS:
            raise ValueError(f"kind must be one of {', '.join(_KINDS)}, got {kind!r}")
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        norm = normalize(query)
        qtoks, qpairs = query_tokens(norm)
        hits: list[Hit] = []
        if qtoks:
            hits = self._hits(qtoks, qpairs, thr, kind, birth_date, nationality)
        hits.sort(key=lambda h: (-h.score, h.entry.id))
        return ScreenResult(
            query=query,
            hits=hits[:limit],
            threshold=thr,
            lists=self.lists,
            algorithm=ALGORITHM + (" exhaustive" if self.exhaustive else ""),
        )

    def screen_many(
        self, names: Iterable[str], *, workers: int = 1, **kwargs: Any
    ) -> Iterator[ScreenResult]:
        """Screen many names; one result per input, in input order, identical to `screen` one by one.

        `workers` > 1 (or 0 for all cores) screens on forked processes sharing this index.
        An invalid name raises ValueError as `screen` does; `batch.screen_file` records it per row.

        >>> # [r.query for r in screener.screen_many(["Ali Hassan", "Abu Zainab"], workers=2)]
        """
        return ordered_map(partial(self._screen_kw, kwargs), names, workers)

    def _screen_kw(self, kwargs: dict[str, Any], name: str) -> ScreenResult:
        return self.screen(name, **kwargs)

    def _hits(
        self,
        qtoks: list[tuple[str, str, str, tuple[str, ...], float]],
        qpairs: list[tuple[int, int]],
        thr: float,
        kind: str | None,
        birth_date: str | None,
        nationality: str | None,
    ) -> list[Hit]:
        idx = self.index
        max_boost = MATCH_BOOST if birth_date else 1.0
        names, q_sims, p_sims = idx.candidates(qtoks, qpairs, thr / max_boost, self.exhaustive)
        qweights = [q[4] for q in qtoks]
        best: dict[int, tuple[float, int, Alignment]] = {}
        for n in names.tolist():
            entry_idx = idx.name_entry[n]
            if not kind_compatible(kind, self.entries[entry_idx].kind):
                continue
            tokens = idx.name_tokens[n]
            opts = _options(len(qtoks), q_sims, p_sims, qpairs, tokens, idx.name_pairs[n])
            if not opts:
                continue
            al = align(opts, qweights, [float(idx.token_weight[t]) for t in tokens])
            score = al.score * NAME_KIND_FACTOR.get(idx.name_kind[n], 1.0)
            prev = best.get(entry_idx)
            if prev is None or score > prev[0] or (score == prev[0] and n < prev[1]):
                best[entry_idx] = (score, n, al)
        hits: list[Hit] = []
        for entry_idx, (name_score, n, al) in best.items():
            entry = self.entries[entry_idx]
            score = name_score
            adjustments: list[str] = []
            if idx.name_kind[n] in NAME_KIND_FACTOR:
                adjustments.append(
                    f"matched a {idx.name_kind[n]} alias (x{NAME_KIND_FACTOR[idx.name_kind[n]]:.2f})"
                )
            for factor, why in (
                birth_date_factor(birth_date, entry.birth_dates) if birth_date else (1.0, None),
                nationality_factor(nationality, entry.nationalities)
                if nationality
                else (1.0, None),
            ):
                score *= factor
                if why:
                    adjustments.append(why)
            score = round(min(1.0, score), 4)
            if score < thr:
                continue
            hits.append(
                Hit(
                    entry=entry,
                    score=score,
                    matched_name=idx.name_text[n],
                    explanation=self._explain(qtoks, n, al, adjustments),
                )
            )
        return hits

    def _explain(
        self,
        qtoks: list[tuple[str, str, str, tuple[str, ...], float]],
        n: int,
        al: Alignment,
        adjustments: list[str],
    ) -> Explanation:
        idx = self.index
        tokens = idx.name_tokens[n]
        matches: list[TokenMatch] = []
        used_q: set[int] = set()
        used_c: set[int] = set()
        for opt in al.chosen:
            used_q.update(opt.query)
            used_c.update(opt.listed)
            matches.append(
                TokenMatch(
                    query=" ".join(qtoks[i][0] for i in opt.query),
                    listed=" ".join(idx.vocab.raw[tokens[j]] for j in opt.listed),
                    similarity=round(opt.similarity, 4),
                    weight=round(sum(qtoks[i][4] for i in opt.query), 4),
                )
            )
        return Explanation(
            name_score=round(al.score, 4),
            matches=matches,
            unmatched_query=[qtoks[i][0] for i in range(len(qtoks)) if i not in used_q],
            unmatched_listed=[idx.vocab.raw[t] for j, t in enumerate(tokens) if j not in used_c],
            adjustments=adjustments,
        )


def _check_threshold(value: float) -> float:
    if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"threshold must be a number in [0, 1], got {value!r}")
    return float(value)
