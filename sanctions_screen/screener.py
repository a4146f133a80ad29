"""The Screener: lists in, ranked and explained hits out."""

from __future__ import annotations

import bisect
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__, savefile
from .audit import AuditLog, screen_record
from .collector import collector_paused
from .decisions import DecisionStore, decision_store
from .errors import IndexFormatError
from .fingerprints import entry_fingerprint, subject_fingerprint
from .index.candidates import CandidateIndex, Candidates, query_tokens
from .index.state import index_from_parts, index_parts
from .models import (
    Decision,
    DecisionKind,
    Entry,
    Hit,
    ListInfo,
    QueryOptions,
    ScreenResult,
    Watchlist,
)
from .names import NormalizedName, Token, normalize, warm_up
from .parallel import ordered_map
from .query import (
    MAX_NAME_LENGTH,
    Query,
    Request,
    Secondary,
    check_limit,
    check_name,
    check_request,
    check_secondary,
    check_threshold,
)
from .saved_index import (
    FINGERPRINTS,
    check_header,
    entries_blob,
    entry_table,
    fingerprint_part,
    header,
    saved_fingerprints,
)
from .scoring.matching import NameMatch, QueryMatches, explain, score_name
from .scoring.qualifiers import MATCH_BOOST, birth_date_factor, kind_compatible, nationality_factor
from .scoring.tokens import QueryToken

# Calibrated on the figures in benchmarks/RESULTS.md (recall against false alerts per 1,000 names).
DEFAULT_THRESHOLD = 0.88
DECIDE_LIMIT = 1000  # hits a subject is screened with to record a decision (every one, in practice)
SETTLE_NAMES = 10_000  # indexes at least this large collect garbage once when built
# Weak (low-quality) aliases still hit, a little lower than strong names.
NAME_KIND_FACTOR = {"weak": 0.95}
ALGORITHM = f"sanctions_screen/{__version__} arabic-token-align-v1"
__all__ = ["DEFAULT_THRESHOLD", "MAX_NAME_LENGTH", "Request", "Screener", "check_name"]


class Reading(NamedTuple):
    """One way of reading a query's name, screened on its own; the readings of one query are
    merged into its result (`slot`)."""

    slot: int
    query: Query
    qtoks: list[QueryToken]
    qpairs: list[tuple[int, int]]
    persons_only: bool  # the person reading of a name of unknown kind: meets persons only


# The roles the organisation rules give that a person's name never has.
_ORG_READ = frozenset({"legal", "number"})
# Roles only an organisation's name has: a name with one is read as an organisation only.
_ORG_ONLY = frozenset({"generic", "symbol"})


def _may_be_a_name_part(token: Token) -> bool:
    # One word the organisation rules read as a legal form or a number (Saad, Ko, Ii): a
    # person's name could be written so. A legal form of several words (Limited Liability
    # Company) is no person's.
    return token.role in _ORG_READ and " " not in token.raw


def _person_reading(
    query: Query, norm: NormalizedName
) -> tuple[list[QueryToken], list[tuple[int, int]]] | None:
    """A name of unknown kind that the organisation rules read a legal form or number in is
    also read as a person's name, against listed persons: Issam Ahmad Saad (سعد) ends with
    what a legal-form table calls S.A.D., Ko Il Hwan starts with a KO, and either reading
    may be the right one. None when the organisation rules changed no single word, or when
    the name has a generic organisation word too (Trading, Bank): read as an organisation's.

    >>> q = Query("Issam Ahmad Saad", None, None, None)
    >>> _person_reading(q, normalize(q.name)) is not None, _person_reading(q._replace(name="Ali"), normalize("Ali"))
    (True, None)
    """
    if query.kind is not None or any(t.role in _ORG_ONLY for t in norm.tokens):
        return None
    if not any(_may_be_a_name_part(t) for t in norm.tokens):
        return None
    person = normalize(query.name, "person")
    return query_tokens(person) if person.tokens else None


def _audit_log(audit: AuditLog | str | os.PathLike[str] | None) -> AuditLog | None:
    if audit is None or isinstance(audit, AuditLog):
        return audit
    return AuditLog(audit)


class Screener:
    """Screens names against one or more loaded lists.

    `exhaustive=True` scores every name instead of using the index (same hits, for testing).
    `audit` (an `audit.AuditLog` or a path): every screening is recorded there, chained, before
    its result is returned.
    `decisions` (a `decisions.DecisionStore` or a path): a screening with a `subject_id` has the
    hits an analyst cleared for that subject moved to `ScreenResult.suppressed` while the
    decision still applies (see `DecisionStore.split`).
    Building an index of `SETTLE_NAMES` names or more runs a full garbage collection and then, unless
    `freeze_gc=False`, `gc.freeze()`: the objects alive at that point (the lists, the index) are
    never rescanned by later collections, which would otherwise cost 0.2-0.3 s each during long
    batches. They are still freed by reference counting when dropped.

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
        freeze_gc: bool = True,
        audit: AuditLog | str | os.PathLike[str] | None = None,
        decisions: DecisionStore | str | os.PathLike[str] | None = None,
    ) -> None:
        self.audit = _audit_log(audit)
        self.decisions = decision_store(decisions)
        watchlists = [lists] if isinstance(lists, Watchlist) else list(lists)
        # Sorted, so the order lists are given in never changes a result.
        watchlists.sort(key=lambda w: (w.name, w.version))
        self.lists: list[tuple[str, str]] = [(w.name, w.version) for w in watchlists]
        self.list_info: list[ListInfo] = [ListInfo.of(w) for w in watchlists]
        seen: dict[str, Entry] = {}
        for w in watchlists:
            for e in w.entries:
                seen.setdefault(e.id, e)
        self.entries: Sequence[Entry] = [seen[k] for k in sorted(seen)]
        self.entry_kinds: list[str] = [e.kind for e in self.entries]
        self.threshold = DEFAULT_THRESHOLD if threshold is None else check_threshold(threshold)
        self.exhaustive = exhaustive
        # The file a loaded screener maps (see `load`); None for one built here.
        self._saved: savefile.SavedFile | None = None
        self._fingerprints: dict[str, str] | None = None
        with collector_paused():
            self.index = CandidateIndex(
                (i, n.full, n.kind, e.kind) for i, e in enumerate(self.entries) for n in e.names
            )
        self._settle(freeze_gc, collect=True)

    def _settle(self, freeze_gc: bool, collect: bool) -> None:
        if self.index.name_count < SETTLE_NAMES:
            return
        if collect:
            # Building a large index leaves enough new objects behind to trigger a full garbage
            # collection soon (0.2-0.3 s over loaded official lists). Run it now, as part of the
            # build, rather than in the middle of the first screens.
            gc.collect()
        if freeze_gc:
            # Then take what exists now (the lists, the index) out of the collector's sight:
            # each later full collection would rescan it, 0.2-0.3 s every few thousand
            # screens as the caches turn over (13% of a long batch). Reference counting still
            # frees it all; `gc.unfreeze()` undoes this for a process that needs it undone.
            gc.freeze()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the built index and its entries to one file, written atomically (see
        `savefile`): no pickle, a header naming the library, algorithm and list files, a checksum.
        `Screener.load` gives back a screener whose results are identical.

        >>> # Screener(load_list("sdn.csv")).save("sdn.index"); Screener.load("sdn.index")
        """
        blob, offsets = entries_blob(self.entries)
        parts: dict[str, Any] = {
            "entries": blob,
            "entry_offsets": offsets,
            "entry_kinds": self.entry_kinds,
            FINGERPRINTS: fingerprint_part(self.entry_fingerprints()),
        }
        for name, value in index_parts(self.index).items():
            parts["index." + name] = value
        options = {"exhaustive": self.exhaustive}
        savefile.write(path, header(__version__, ALGORITHM, self.list_info, options), parts)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        threshold: float | None = None,
        sources: Iterable[str] | None = None,
        freeze_gc: bool = True,
        audit: AuditLog | str | os.PathLike[str] | None = None,
        decisions: DecisionStore | str | os.PathLike[str] | None = None,
    ) -> Screener:
        """A screener saved by `save`, ready at once (its arrays memory-mapped: processes that
        load one file share them). IndexFormatError naming the file and what did not match when
        it is not a saved index, is truncated or corrupted, comes from another format or library
        version, or (with `sources`, the sha256 digests of the list files it must be built from,
        see `sources.source_hashes`) was built from other list files.

        >>> # Screener.load("sdn.index", sources=source_hashes("sdn_folder").values())
        """
        saved = savefile.read(path)
        info = check_header(saved, __version__, ALGORITHM, sources)
        with collector_paused():
            screener = cls._from_saved(saved, info, threshold, freeze_gc)
        screener.audit = _audit_log(audit)
        screener.decisions = decision_store(decisions)
        return screener

    @classmethod
    def _from_saved(
        cls,
        saved: savefile.SavedFile,
        info: list[ListInfo],
        threshold: float | None,
        freeze_gc: bool,
    ) -> Screener:
        self = cls.__new__(cls)
        self.list_info = info
        self.lists = [(i.name, i.version) for i in info]
        self.threshold = DEFAULT_THRESHOLD if threshold is None else check_threshold(threshold)
        try:
            self.exhaustive = bool(saved.header["options"]["exhaustive"])
            self.entries, self.entry_kinds = entry_table(saved)
            self.index = index_from_parts(lambda name: saved.part("index." + name))
            self._saved = saved
            self._fingerprints = None
        except IndexFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise saved.error(f"its parts do not form an index ({type(exc).__name__})") from exc
        self._settle(freeze_gc, collect=False)
        return self

    def entry_fingerprints(self) -> dict[str, str]:
        """Each entry's fingerprint (`fingerprints.entry_fingerprint`) by entry id: computed once,
        and kept in a saved index, so that a monitoring run reads them without parsing entries.

        >>> Screener.from_entries([]).entry_fingerprints()
        {}
        """
        if self._fingerprints is None:
            saved = None if self._saved is None else saved_fingerprints(self._saved)
            self._fingerprints = saved or {e.id: entry_fingerprint(e) for e in self.entries}
        return self._fingerprints

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None (entries are kept sorted by id: a binary search).

        >>> Screener.from_entries([]).entry("us_ofac_sdn:1") is None
        True
        """
        i = bisect.bisect_left(self.entries, entry_id, key=lambda e: e.id)
        if i < len(self.entries) and self.entries[i].id == entry_id:
            return self.entries[i]
        return None

    @property
    def algorithm(self) -> str:
        """The scoring algorithm's id, as results name it."""
        return ALGORITHM + (" exhaustive" if self.exhaustive else "")

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
        birth_date: str | date | None = None,
        nationality: str | None = None,
        secondary: Secondary = "keep",
        subject_id: str | None = None,
    ) -> ScreenResult:
        """Screen one name; hits sorted by score, ties by entry id.

        Every argument is checked first (ValueError naming it). `kind` takes the publishers'
        spellings too (Individual, Entity); `birth_date` a `datetime.date` or an ISO form (see
        `scoring.qualifiers.birth_date_text`); `nationality` a country code or name. A birth date
        or nationality that contradicts an entry lowers its score; with `secondary="keep"` (the
        default) a hit whose name alone reaches the threshold stays, marked in
        `Hit.contradictions`, even when that lowers it below the threshold; `"exclude"` drops it.
        `subject_id` names the customer screened: the result carries it, the audit log records
        it, and the decision store (see `decisions`) applies that customer's decisions.

        >>> # screener.screen("Hussein Falih Aziz", birth_date="1969-06-20").hits[0].score
        """
        (result,) = self.screen_requests(
            [Request(name, kind, birth_date, nationality, subject_id)],
            threshold=threshold,
            limit=limit,
            secondary=secondary,
        )
        if isinstance(result, ValueError):
            raise result
        return result

    def record_decision(
        self,
        name: str,
        *,
        subject_id: str,
        entry_id: str,
        decision: DecisionKind,
        reason: str,
        analyst: str | None = None,
        kind: str | None = None,
        birth_date: str | date | None = None,
        nationality: str | None = None,
    ) -> Decision:
        """Screen a subject as given, every hit kept, and record an analyst's decision on one of
        its hits in this screener's decision store (see `DecisionStore.record`): the fingerprints
        are those of what the analyst reviewed, and an entry that is not a hit is refused.

        >>> # screener.record_decision("Ali Hasan", subject_id="C1", entry_id="us_ofac_sdn:1",
        >>> #                          decision="false_positive", reason="born 1990", analyst="ana")
        """
        if self.decisions is None:
            raise ValueError("no decision store: give Screener(..., decisions=...)")
        result = self.screen(
            name,
            limit=DECIDE_LIMIT,
            kind=kind,
            birth_date=birth_date,
            nationality=nationality,
            subject_id=subject_id,
        )
        return self.decisions.record(result, entry_id, decision, reason=reason, analyst=analyst)

    def screen_many(
        self,
        names: Iterable[str],
        *,
        workers: int = 1,
        threshold: float | None = None,
        limit: int = 10,
        kind: str | None = None,
        birth_date: str | date | None = None,
        nationality: str | None = None,
        secondary: Secondary = "keep",
    ) -> Iterator[ScreenResult]:
        """Screen many names; one result per input, in input order, identical to `screen` one by one.

        `workers` > 1 (or 0 for all cores) screens on forked processes sharing this index.
        An invalid name raises ValueError as `screen` does, once the names before it are yielded;
        `batch.screen_file` records it per row instead. Names are screened in batches, whose
        candidate search runs as one pass of array operations.

        >>> # [r.query for r in screener.screen_many(["Ali Hassan", "Abu Zainab"], workers=2)]
        """
        self._check_options(threshold, limit, secondary)
        if workers != 1:
            self.prepare_workers()
        requests = (Request(n, kind, birth_date, nationality) for n in names)
        work = partial(self.screen_requests, threshold=threshold, limit=limit, secondary=secondary)
        for result in ordered_map(work, requests, workers):
            if isinstance(result, ValueError):
                raise result
            yield result

    @property
    def saved_path(self) -> Path | None:
        """The saved index file this screener was loaded from (None for one built here).

        >>> Screener.from_entries([]).saved_path is None
        True
        """
        return None if self._saved is None else Path(self._saved.path)

    def prepare_workers(self) -> None:
        """Before forking workers: map all of a loaded index's file into this process, so that
        the workers share its pages rather than each mapping its own (a page only one process
        maps counts in that process's unique memory). Nothing to do for a built index, whose
        arrays the workers inherit as they are.

        >>> Screener.from_entries([]).prepare_workers()
        """
        if self._saved is not None:
            self._saved.map_all()
        warm_up()  # the name rules' lazily built tables, made once here for every worker

    def _check_options(self, threshold: object, limit: object, secondary: object) -> float:
        check_limit(limit)
        check_secondary(secondary)
        return self.threshold if threshold is None else check_threshold(threshold)

    def screen_requests(
        self,
        requests: Sequence[Request],
        *,
        threshold: float | None = None,
        limit: int = 10,
        secondary: Secondary = "keep",
    ) -> list[ScreenResult | ValueError]:
        """One result per request, or the ValueError that request raises (an invalid name, kind,
        birth date or nationality, or a name with nothing to screen); an invalid threshold, limit
        or `secondary` raises for all. `screen`, `screen_many` and the batch jobs all screen
        through here, so all give the same results.

        >>> # screener.screen_requests([Request("Ali Hassan"), Request("")])  # [result, ValueError]
        """
        thr = self._check_options(threshold, limit, secondary)
        out: list[ScreenResult | ValueError | None] = []
        readings: list[Reading] = []
        for req in requests:
            try:
                query = check_request(req)
                norm = self.index.legal_words.correct(query.name, query.kind)
                qtoks, qpairs = query_tokens(norm)
                if not qtoks:
                    raise ValueError(
                        f"the name {query.name!r} has nothing to screen: no letters or digits "
                        "are left once symbols and titles are set aside"
                    )
            except ValueError as exc:
                out.append(exc)
                continue
            readings.append(Reading(len(out), query, qtoks, qpairs, persons_only=False))
            person = _person_reading(query, norm)
            if person is not None:
                readings.append(Reading(len(out), query, *person, persons_only=True))
            out.append(None)
        # A birth date can raise a score by MATCH_BOOST: such a query's names are searched down
        # to threshold / MATCH_BOOST.
        found = self.index.candidates_many(
            [(r.qtoks, r.qpairs) for r in readings],
            [thr / (MATCH_BOOST if r.query.birth_date else 1.0) for r in readings],
            self.exhaustive,
        )
        by_slot: dict[int, dict[str, Hit]] = {}
        for r, cands in zip(readings, found, strict=True):
            best = by_slot.setdefault(r.slot, {})
            for hit in self._hits(
                r.qtoks, r.qpairs, cands, thr, r.query, secondary, r.persons_only
            ):
                # An entry both readings find keeps its higher score (the first reading's on a tie).
                if hit.entry.id not in best or hit.score > best[hit.entry.id].score:
                    best[hit.entry.id] = hit
        for slot, query in {r.slot: r.query for r in readings}.items():
            hits = list(by_slot[slot].values())
            hits.sort(key=lambda h: (-h.score, h.entry.id))
            suppressed: list[Hit] = []
            if self.decisions is not None and query.subject_id is not None and hits:
                fingerprint = subject_fingerprint(
                    query.name, query.kind, query.birth_date, query.nationality
                )
                hits, suppressed = self.decisions.split(query.subject_id, fingerprint, hits)
            out[slot] = ScreenResult(
                query=query.name,
                subject_id=query.subject_id,
                suppressed=suppressed,
                hits=hits[:limit],
                threshold=thr,
                lists=self.lists,
                algorithm=self.algorithm,
                hit_count=len(hits),
                options=QueryOptions(
                    kind=query.kind,
                    birth_date=query.birth_date,
                    nationality=query.nationality,
                    limit=limit,
                    secondary=secondary,
                ),
            )
        done = [r for r in out if r is not None]
        assert len(done) == len(requests), "every request has its result"
        if self.audit is not None:
            # Written before the results are returned: the log never lacks a returned screening.
            self.audit.append(
                [screen_record(r, self.list_info) for r in done if isinstance(r, ScreenResult)]
            )
        return done

    def _hits(
        self,
        qtoks: list[QueryToken],
        qpairs: list[tuple[int, int]],
        cands: Candidates,
        thr: float,
        query: Query,
        secondary: Secondary,
        persons_only: bool = False,
    ) -> list[Hit]:
        idx = self.index
        names, bounds, q_sims, p_sims = cands
        query_matches = QueryMatches(qtoks, q_sims, p_sims, qpairs)
        best: dict[int, NameMatch] = {}
        for n, bound in zip(names.tolist(), bounds.tolist(), strict=True):
            entry_idx = idx.name_entry[n]
            prev = best.get(entry_idx)
            if prev is not None and bound + 1e-6 < prev.score:
                # Names come highest bound first: this one cannot beat the entry's best name (the
                # margin covers the rounding of exact scores to six places).
                continue
            if not kind_compatible(query.kind, self.entry_kinds[entry_idx]):
                continue
            if persons_only and self.entry_kinds[entry_idx] != "person":
                continue
            match = score_name(query_matches, n, idx)
            if match is None:
                continue
            match = match._replace(score=match.score * NAME_KIND_FACTOR.get(idx.name_kind[n], 1.0))
            if (
                prev is None
                or match.score > prev.score
                or (match.score == prev.score and n < prev.name)
            ):
                best[entry_idx] = match
        hits = [
            self._hit(qtoks, entry_idx, match, thr, query, secondary)
            for entry_idx, match in best.items()
        ]
        return [h for h in hits if h is not None]

    def _hit(
        self,
        qtoks: list[QueryToken],
        entry_idx: int,
        match: NameMatch,
        thr: float,
        query: Query,
        secondary: Secondary,
    ) -> Hit | None:
        """The hit of one entry's best name, with the query's birth date and nationality applied;
        None when they take it under the threshold (and `secondary` lets them)."""
        idx = self.index
        entry = self.entries[entry_idx]
        n = match.name
        score = match.score
        adjustments: list[str] = []
        contradictions: list[str] = []
        if match.credit:
            found = ", ".join(
                f"{qtoks[c.position].raw}~{idx.name_raw[c.name][c.place]}" for c in match.credit
            )
            adjustments.append(f"query tokens found in another name of the entry: {found}")
        if idx.name_kind[n] in NAME_KIND_FACTOR:
            adjustments.append(
                f"matched a {idx.name_kind[n]} alias (x{NAME_KIND_FACTOR[idx.name_kind[n]]:.2f})"
            )
        for factor, why in (
            birth_date_factor(query.birth_date, entry.birth_dates)
            if query.birth_date
            else (1.0, None),
            nationality_factor(query.nationality, entry.nationalities)
            if query.nationality
            else (1.0, None),
        ):
            score *= factor
            if why:
                adjustments.append(why)
            if why and factor < 1.0:
                contradictions.append(why)
        score = round(min(1.0, score), 4)
        # A name that reaches the threshold on its own is never hidden by secondary data
        # unless asked: a miss is a breach, a contradicted alert is cleared in seconds.
        kept = secondary == "keep" and round(min(1.0, match.score), 4) >= thr
        if score < thr and not kept:
            return None
        return Hit(
            entry=entry,
            score=score,
            matched_name=idx.name_text[n],
            explanation=explain(qtoks, match, adjustments, idx),
            contradictions=contradictions,
        )
