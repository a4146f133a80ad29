"""Secondary data that moves a name score: entity kind, birth date, nationality.

Birth dates are strings in the forms the loaders write: `1969-06-20`, `1969-06`, `1969`, a year
range `1960/1965`, or `~1969` (circa, read as two years either side).
"""

from __future__ import annotations

import re
from typing import NamedTuple

MATCH_BOOST = 1.05  # the largest factor any qualifier applies; the index prunes with it
_DATE = re.compile(r"^(~)?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:/(\d{4}))?$")


class DateSpan(NamedTuple):
    """A birth date as an interval of (year, month, day) tuples and whether it is a single day."""

    lo: tuple[int, int, int]
    hi: tuple[int, int, int]
    exact_day: bool


def parse_date(text: str) -> DateSpan | None:
    """Read one birth date string; None when it is not in a known form.

    >>> parse_date("1969-06-20").exact_day, parse_date("~1969").lo, parse_date("1960/1965").hi
    (True, (1967, 1, 1), (1965, 12, 31))
    """
    m = _DATE.match(text.strip())
    if not m:
        return None
    circa, year_s, month_s, day_s, end_s = m.groups()
    year = int(year_s)
    if end_s:
        return DateSpan((year, 1, 1), (int(end_s), 12, 31), False)
    if circa:
        return DateSpan((year - 2, 1, 1), (year + 2, 12, 31), False)
    if day_s and month_s:
        d = (year, int(month_s), int(day_s))
        return DateSpan(d, d, True)
    if month_s:
        return DateSpan((year, int(month_s), 1), (year, int(month_s), 31), False)
    return DateSpan((year, 1, 1), (year, 12, 31), False)


def _gap_factor(gap: int) -> float:
    """Years between two birth dates that cannot both be right: a little within a year, a lot
    beyond five."""
    return 1.0 if gap <= 0 else 0.93 if gap <= 1 else 0.8 if gap <= 5 else 0.65


def birth_date_factor(query: str, listed: list[str]) -> tuple[float, str | None]:
    """Factor for a queried birth date against an entry's dates, and the reason shown to analysts.

    >>> birth_date_factor("1969-06-20", ["1969-06-20"])[0], birth_date_factor("1990", ["1969-06-20"])[0]
    (1.05, 0.65)
    """
    q = parse_date(query)
    spans = [s for s in (parse_date(d) for d in listed) if s is not None]
    if q is None or not spans:
        return 1.0, None
    best = 0.0
    reason = ""
    for s in spans:
        gap = (
            0
            if q.lo <= s.hi and s.lo <= q.hi
            else (s.lo[0] - q.hi[0] if s.lo > q.hi else q.lo[0] - s.hi[0])
        )
        if q.exact_day and s.exact_day:
            # Two full dates that differ are a strong sign of two people, whatever the gap.
            if q.lo == s.lo:
                factor, why = MATCH_BOOST, "birth date matches"
            else:
                factor, why = min(0.7, _gap_factor(gap)), f"birth date differs ({gap} years apart)"
        elif gap == 0:
            factor, why = 1.02, "birth date consistent"
        else:
            factor = _gap_factor(gap)
            why = "birth date within a year" if gap <= 1 else f"birth date {gap} years apart"
        if factor > best:
            best, reason = factor, why
    return best, f"{reason} (x{best:.2f})"


def _country(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def nationality_factor(query: str, listed: list[str]) -> tuple[float, str | None]:
    """A contradicting nationality lowers the score a little; a matching one leaves it.

    >>> nationality_factor("Iraq", ["Iraq"])[0], nationality_factor("France", ["Iraq"])[0]
    (1.0, 0.92)
    """
    q = _country(query)
    known = [_country(c) for c in listed if _country(c)]
    if not q or not known:
        return 1.0, None
    for c in known:
        if c == q or (min(len(c), len(q)) >= 4 and (c.startswith(q) or q.startswith(c))):
            return 1.0, "nationality matches (x1.00)"
    return 0.92, "nationality differs (x0.92)"


def kind_compatible(query_kind: str | None, entry_kind: str) -> bool:
    """A person never hits a vessel: kinds must agree unless one side is unknown.

    >>> kind_compatible("person", "vessel"), kind_compatible("person", "unknown")
    (False, True)
    """
    return (
        query_kind is None
        or query_kind == "unknown"
        or entry_kind == "unknown"
        or query_kind == entry_kind
    )
