"""Secondary data that moves a name score: entity kind, birth date, nationality.

Birth dates are strings in the forms the loaders write: `1969-06-20`, `1969-06`, `1969`, a year
range `1960/1965`, or `~1969` (circa, read as two years either side). A queried date is checked
by `birth_date_text` first: an impossible or unreadable date is an error, never a contradiction.
Countries are compared as ISO 3166 codes, looked up by OpenSanctions' `rigour.territories` (codes,
names, former and common names, nationality adjectives: IR, IRN, Iran, Iranian are one country).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from ..caches import SMALL_CACHE
from ..models import EntryKind

MATCH_BOOST = 1.05  # the largest factor any qualifier applies; the index prunes with it
_DATE = re.compile(r"^(~)?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:/(\d{4}))?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY (circa), YYYY/YYYY (a range) or YYYYMMDD"
# The spellings of entity kinds that publishers and customer files use, folded.
KIND_SPELLINGS: dict[str, EntryKind] = {
    "person": "person",
    "individual": "person",
    "natural person": "person",
    "organization": "organization",
    "organisation": "organization",
    "entity": "organization",
    "company": "organization",
    "legal entity": "organization",
    "legalentity": "organization",
    "vessel": "vessel",
    "ship": "vessel",
    "aircraft": "aircraft",
    "airplane": "aircraft",
    "unknown": "unknown",
}


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


def birth_date_text(value: object) -> str:
    """A queried birth date in the form the scorer reads; ValueError for an impossible date or a
    form not understood. Takes `datetime.date`, the forms of `_DATE_FORMS`, and an ISO 8601 date
    and time (its date); refuses day-first or month-first dates (20/06/1969): they are ambiguous.

    >>> birth_date_text("1969-06-20T00:00"), birth_date_text(dt.date(1969, 6, 20)), birth_date_text("19690620")
    ('1969-06-20', '1969-06-20', '1969-06-20')
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(
            f"birth_date must be a string or datetime.date, not {type(value).__name__}"
        )
    text = value.strip()
    if _DATETIME.match(text):
        try:
            return dt.datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            raise ValueError(
                f"birth_date {value!r} is not a valid ISO 8601 date and time"
            ) from None
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"birth_date {value!r} is not a date in a form understood: {_DATE_FORMS}")
    _, year, month, day, end = m.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"birth_date {value!r} is not a real date: {exc}") from None
    if end and int(end) < int(year):
        raise ValueError(f"birth_date {value!r}: the range ends before it starts")
    return text


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


@lru_cache(maxsize=SMALL_CACHE)
def country_code(text: str) -> str | None:
    """The ISO 3166 code (lower case) of a country code, name or adjective; None when unknown.
    Cached, at most 4,096 spellings.

    >>> country_code("IRN"), country_code("Iran"), country_code("Iranian"), country_code("Atlantis")
    ('ir', 'ir', 'ir', None)
    """
    from rigour.territories import lookup_territory  # its tables load on first use (about 1 s)

    territory = lookup_territory(text)
    return territory.code if territory is not None else None


def nationality_text(value: object) -> str:
    """A queried nationality, checked: a country rigour knows; ValueError otherwise.

    >>> nationality_text(" IR ")
    'IR'
    """
    if not isinstance(value, str):
        raise ValueError(f"nationality must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text or country_code(text) is None:
        raise ValueError(
            f"nationality {value!r} is not a country: give an ISO 3166 code (IR, IRN) or a "
            "country name (Iran)"
        )
    return text


def nationality_factor(query: str, listed: list[str]) -> tuple[float, str | None]:
    """A contradicting nationality lowers the score a little; a matching one leaves it. Listed
    values no country table knows are no evidence either way.

    >>> nationality_factor("IR", ["Iran"])[0], nationality_factor("France", ["Iraq"])[0]
    (1.0, 0.92)
    """
    q = country_code(query)
    known = {c for c in map(country_code, listed) if c}
    if q is None or not known:
        return 1.0, None
    if q in known:
        return 1.0, "nationality matches (x1.00)"
    return 0.92, f"nationality differs: {query} against {', '.join(listed)} (x0.92)"


def parse_kind(value: object) -> EntryKind | None:
    """An entity kind from the spellings publishers use (Individual, Entity, PERSON, Ship ...);
    None stays None; ValueError, listing the accepted values, for anything else.

    >>> parse_kind("Individual"), parse_kind("ENTITY"), parse_kind(None)
    ('person', 'organization', None)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"kind must be a string, not {type(value).__name__}")
    kind = KIND_SPELLINGS.get(" ".join(value.replace("_", " ").split()).casefold())
    if kind is None:
        raise ValueError(
            f"kind must be one of {', '.join(sorted(KIND_SPELLINGS))} (any case), got {value!r}"
        )
    return kind


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
