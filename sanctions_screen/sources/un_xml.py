"""UN Security Council consolidated list XML (`CONSOLIDATED_LIST`, sc-sanctions.xsd)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, Name, NameKind, Watchlist
from ..names import detect_script
from .files import sha256
from .xmlread import parse_xml, text

LIST_NAME = "un_sc"
_QUALITY: dict[str, NameKind] = {"good": "aka", "a.k.a.": "aka", "low": "weak", "f.k.a.": "fka"}


def _dob(el: ET.Element) -> str | None:
    kind = text(el.find("TYPE_OF_DATE")).upper()
    date, year = text(el.find("DATE")), text(el.find("YEAR"))
    lo, hi = text(el.find("FROM_YEAR")), text(el.find("TO_YEAR"))
    if kind == "BETWEEN" and lo and hi:
        return f"{lo}/{hi}"
    value = date or year
    if not value:
        return None
    return f"~{value[:4]}" if kind == "APPROXIMATELY" else value


def _entry(el: ET.Element, person: bool, path: Path) -> Entry | None:
    ref = text(el.find("REFERENCE_NUMBER"))
    parts = [text(el.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    primary = " ".join(p for p in parts if p)
    if not ref:
        raise ListFormatError(
            "entry without REFERENCE_NUMBER",
            path=str(path),
            element=f"DATAID {text(el.find('DATAID'))}",
        )
    if not primary:
        return None
    # A name field can hold several names separated by ";": the first is the primary name.
    first, *more = [p.strip() for p in primary.split(";") if p.strip()]
    names = [Name(full=first), *(Name(full=m, kind="aka") for m in more)]
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in el.findall(alias_tag):
        kind = _QUALITY.get(text(alias.find("QUALITY")).lower(), "aka")
        for value in text(alias.find("ALIAS_NAME")).split(";"):
            if value.strip():
                names.append(Name(full=value.strip(), kind=kind))
    original = text(el.find("NAME_ORIGINAL_SCRIPT"))
    for value in original.split(";") if original else ():
        if value.strip():
            names.append(
                Name(full=value.strip(), kind="original_script", script=detect_script(value))
            )
    births = [d for d in (_dob(x) for x in el.findall("INDIVIDUAL_DATE_OF_BIRTH")) if d]
    nats = [text(v) for v in el.findall("NATIONALITY/VALUE") if text(v)]
    program = text(el.find("UN_LIST_TYPE"))
    return Entry(
        list=LIST_NAME,
        source_id=ref,
        kind="person" if person else "organization",
        names=names,
        birth_dates=births,
        nationalities=nats,
        gender=text(el.find("GENDER")) or None,
        programs=[program] if program else [],
        remarks=text(el.find("COMMENTS1")) or None,
    )


def load_un_xml(data: bytes, path: Path) -> Watchlist:
    """Load the UN consolidated list; `dateGenerated` (its date) is the version.

    >>> # load_un_xml(Path("consolidated.xml").read_bytes(), Path("consolidated.xml")).version -> '2026-02-27'
    """
    root = parse_xml(data, path)
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(
            f"root element is {root.tag}, not CONSOLIDATED_LIST", path=str(path), element=root.tag
        )
    entries: list[Entry] = []
    for tag, person in (("INDIVIDUALS/INDIVIDUAL", True), ("ENTITIES/ENTITY", False)):
        for el in root.findall(tag):
            entry = _entry(el, person, path)
            if entry is not None:
                entries.append(entry)
    if not entries:
        raise ListFormatError(
            "no INDIVIDUAL or ENTITY elements", path=str(path), element="CONSOLIDATED_LIST"
        )
    version = (root.get("dateGenerated") or "")[:10] or "sha256:" + sha256(data)[:16]
    return Watchlist(
        name=LIST_NAME, version=version, entries=entries, sources={str(path): sha256(data)}
    )
