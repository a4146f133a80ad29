"""The OFAC remarks field: birth dates, places, nationality, gender and weak a.k.a.s.

OFAC packs secondary data into one `;`-separated remarks string, for example
`DOB 20 Jun 1969; POB Baghdad, Iraq; nationality Iraq; Gender Male.` Weak a.k.a.s appear only here,
in quotes: `a.k.a. 'Abu Jaffar al-Shabaki'`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_WEAK_AKA = re.compile(r"a\.k\.a\.?,?\s*'(.+?)'(?=\s*[;.,)]|\s*$)", re.IGNORECASE)
_DATE_ONE = re.compile(r"^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})$")


class Remarks(NamedTuple):
    """What the remarks say, in the forms `Entry` stores."""

    birth_dates: list[str]
    places_of_birth: list[str]
    nationalities: list[str]
    gender: str | None
    weak_akas: list[str]


def parse_date(text: str) -> str | None:
    """One OFAC date as `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `~YYYY` (circa) or `YYYY/YYYY` (range).

    >>> [parse_date(t) for t in ("20 Jun 1969", "Jun 1969", "1969", "circa 1969", "1960 to 1962")]
    ['1969-06-20', '1969-06', '1969', '~1969', '1960/1962']
    """
    t = text.strip().rstrip(".").strip()
    circa = False
    if t.lower().startswith("circa"):
        circa, t = True, t[5:].strip()
    parts = re.split(r"\s+to\s+|\s*-\s*(?=\d{4}$)", t)
    if len(parts) == 2:
        lo, hi = parse_date(parts[0]), parse_date(parts[1])
        if lo and hi:
            return f"{lo[-4:] if lo.startswith('~') else lo[:4]}/{hi[:4]}"
        return None
    m = _DATE_ONE.match(t)
    if not m:
        return None
    day, month, year = m.groups()
    if circa:
        return f"~{year}"
    if month and month.lower()[:3] in _MONTHS:
        mm = f"{_MONTHS[month.lower()[:3]]:02d}"
        return f"{year}-{mm}-{int(day):02d}" if day else f"{year}-{mm}"
    return year


def parse_remarks(remarks: str | None) -> Remarks:
    """Parse one remarks string.

    >>> r = parse_remarks("DOB 20 Jun 1969; POB Baghdad, Iraq; nationality Iraq; Gender Male.")
    >>> r.birth_dates, r.nationalities, r.gender
    (['1969-06-20'], ['Iraq'], 'Male')
    """
    births: list[str] = []
    places: list[str] = []
    nats: list[str] = []
    gender: str | None = None
    weak = [m.group(1).strip() for m in _WEAK_AKA.finditer(remarks or "")]
    for raw in (remarks or "").split(";"):
        item = raw.strip().rstrip(".").strip()
        low = item.lower()
        if low.startswith("alt. "):
            item, low = item[5:].strip(), low[5:].strip()
        if low.startswith("dob "):
            date = parse_date(item[4:])
            if date and date not in births:
                births.append(date)
        elif low.startswith("pob "):
            places.append(item[4:].strip())
        elif low.startswith(("nationality ", "citizen ")):
            country = item.split(" ", 1)[1].strip()
            if country and country not in nats:
                nats.append(country)
        elif low.startswith("gender "):
            gender = item[7:].strip() or None
    return Remarks(births, places, nats, gender, weak)
