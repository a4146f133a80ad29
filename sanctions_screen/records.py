"""A hit as a flat, JSON-ready record: the form batch output rows and monitoring changes carry,
and an alert report reads back (one schema, defined here)."""

from __future__ import annotations

from typing import Any

from .models import Hit

MAX_OTHER_NAMES = 20  # an entry with hundreds of aliases would swell every row it hits


def hit_record(hit: Hit) -> dict[str, Any]:
    """The hit's entry, score and matched name, how its tokens aligned (query word, listed word,
    how they met, similarity), the adjustments and contradictions, the entry's kind, programmes,
    other names, birth dates and nationalities, and the decision on record if any.

    >>> from sanctions_screen import default_screener
    >>> r = hit_record(default_screener().screen("Hussein Falih Aziz").hits[0])
    >>> r["entry_id"], sorted(m[2] for m in r["matches"])
    ('us_ofac_sdn:27994', ['exact', 'exact', 'variant'])
    """
    e, x = hit.entry, hit.explanation
    out: dict[str, Any] = {
        "entry_id": e.id,
        "score": hit.score,
        "matched_name": hit.matched_name,
        "list": e.list,
        "kind": e.kind,
        "programs": e.programs,
        "contradictions": hit.contradictions,
        "matches": [[m.query, m.listed, m.kind, round(m.similarity, 4)] for m in x.matches],
        "unmatched_query": x.unmatched_query,
        "unmatched_listed": x.unmatched_listed,
        "adjustments": x.adjustments,
        "other_names": [n.full for n in e.names if n.full != hit.matched_name][:MAX_OTHER_NAMES],
        "birth_dates": e.birth_dates,
        "nationalities": e.nationalities,
    }
    if hit.decision is not None:
        d = hit.decision
        out["decision"] = {
            "id": d.decision.id,
            "decision": d.decision.decision,
            "applies": d.applies,
            "changed": d.changed,
            "analyst": d.decision.analyst,
            "reason": d.decision.reason,
            "time": d.decision.time,
        }
    return out


__all__ = ["MAX_OTHER_NAMES", "hit_record"]
