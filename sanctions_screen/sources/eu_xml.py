"""EU Financial Sanctions Files (FSF) consolidated XML (`export` of `sanctionEntity` elements).

No real EU file could be obtained here (every copy is over the size limit); this follows the
publisher's schema (namespace http://eu.europa.ec/fpi/fsd/export) and is tested on a fixture.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, EntryKind, Name, Watchlist
from ..names import detect_script
from .files import sha256
from .xmlread import local, parse_xml

LIST_NAME = "eu_fsf"
_KINDS: dict[str, EntryKind] = {
    "person": "person",
    "enterprise": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}


def _kids(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def _birthdate(el: ET.Element) -> str | None:
    full = (el.get("birthdate") or "").strip()
    year = (el.get("year") or "").strip()
    if el.get("circa") == "true" and (year or full):
        return f"~{(year or full)[:4]}"
    return full or year or None


def _entry(el: ET.Element) -> Entry | None:
    sid = el.get("logicalId") or ""
    subject = _kids(el, "subjectType")
    kind = _KINDS.get(subject[0].get("code", "") if subject else "", "unknown")
    names: list[Name] = []
    gender = None
    for alias in _kids(el, "nameAlias"):
        whole = (alias.get("wholeName") or "").strip()
        if not whole:
            continue
        gender = gender or alias.get("gender") or None
        script = detect_script(whole)
        if script not in (None, "Latin"):
            names.append(Name(full=whole, kind="original_script", script=script))
        elif not any(n.full == whole for n in names):
            names.append(
                Name(full=whole, kind="aka" if alias.get("strong", "true") == "true" else "weak")
            )
    if not names or not sid:
        return None
    names[0] = (
        Name(full=names[0].full, kind="primary", script=names[0].script)
        if names[0].kind != "original_script"
        else names[0]
    )
    births = [b for b in (_birthdate(x) for x in _kids(el, "birthdate")) if b]
    nats = [
        c.get("countryDescription") or c.get("countryIso2Code") or ""
        for c in _kids(el, "citizenship")
    ]
    programs = sorted({r.get("programme") or "" for r in _kids(el, "regulation")} - {""})
    return Entry(
        list=LIST_NAME,
        source_id=sid,
        kind=kind,
        names=names,
        birth_dates=births,
        nationalities=[n for n in nats if n],
        gender=gender,
        programs=programs,
    )


def load_eu_xml(data: bytes, path: Path) -> Watchlist:
    """Load an EU FSF export; `generationDate` is the version.

    >>> # load_eu_xml(Path("eu.xml").read_bytes(), Path("eu.xml")).name -> 'eu_fsf'
    """
    root = parse_xml(data, path)
    if local(root.tag) != "export":
        raise ListFormatError(
            f"root element is {local(root.tag)}, not export",
            path=str(path),
            element=local(root.tag),
        )
    entries = [e for e in (_entry(x) for x in _kids(root, "sanctionEntity")) if e is not None]
    if not entries:
        raise ListFormatError("no sanctionEntity elements", path=str(path), element="export")
    version = (root.get("generationDate") or "")[:10] or "sha256:" + sha256(data)[:16]
    return Watchlist(
        name=LIST_NAME, version=version, entries=entries, sources={str(path): sha256(data)}
    )
