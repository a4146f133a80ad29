"""OFAC Sanctions List Service ENHANCED_XML (`SDN_ENHANCED.XML`, `CONS_ENHANCED.XML`), plain or zipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, EntryKind, Name, NameKind, Watchlist
from .files import sha256, unzip_member
from .xmlread import local, parse_xml, text

_KINDS: dict[str, EntryKind] = {
    "individual": "person",
    "entity": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}
_ALIAS: dict[str, NameKind] = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "aka"}


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name] if el is not None else []


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _birthdate(feature: ET.Element) -> str | None:
    vd = _child(feature, "valueDate")
    value = text(_child(feature, "value"))
    if vd is None:
        return value or None
    begin, end = text(_child(vd, "fromDateBegin"))[:10], text(_child(vd, "toDateEnd"))[:10]
    approx = text(_child(vd, "isApproximate")) == "true"
    if not begin:
        return value or None
    if approx:
        return f"~{begin[:4]}"
    if begin == end:
        return begin
    if begin[:4] == end[:4]:
        return begin[:7] if begin[:7] == end[:7] else begin[:4]
    return f"{begin[:4]}/{end[:4]}"


def _entry(el: ET.Element, list_name: str) -> Entry | None:
    sid = el.get("id") or ""
    general = _child(el, "generalInfo")
    kind = _KINDS.get(text(_child(general, "entityType")).lower(), "unknown")
    names: list[Name] = []
    for name in _children(_child(el, "names"), "name"):
        primary = text(_child(name, "isPrimary")) == "true"
        low = text(_child(name, "isLowQuality")) == "true"
        name_kind = (
            "primary" if primary else _ALIAS.get(text(_child(name, "aliasType")).lower(), "aka")
        )
        if low and not primary:
            name_kind = "weak"
        for tr in _children(_child(name, "translations"), "translation"):
            full = text(_child(tr, "formattedFullName"))
            if not full:
                continue
            script = text(_child(tr, "script")) or None
            if script and script != "Latin":
                names.append(Name(full=full, kind="original_script", script=script))
            else:
                names.append(Name(full=full, kind=name_kind))
    if not names:
        return None
    if all(n.kind != "primary" for n in names):
        names[0] = Name(full=names[0].full, kind="primary", script=names[0].script)
    births: list[str] = []
    nats: list[str] = []
    gender = None
    for feature in _children(_child(el, "features"), "feature"):
        ftype = text(_child(feature, "type")).lower()
        if ftype == "birthdate":
            d = _birthdate(feature)
            if d and d not in births:
                births.append(d)
        elif ftype in ("nationality country", "citizenship country"):
            v = text(_child(feature, "value"))
            if v and v not in nats:
                nats.append(v)
        elif ftype == "gender":
            gender = text(_child(feature, "value")) or None
    programs = [
        text(p) for p in _children(_child(el, "sanctionsPrograms"), "sanctionsProgram") if text(p)
    ]
    return Entry(
        list=list_name,
        source_id=sid,
        kind=kind,
        names=names,
        birth_dates=births,
        nationalities=nats,
        gender=gender,
        programs=programs,
    )


def load_enhanced_xml(data: bytes, path: Path) -> Watchlist:
    """Load OFAC enhanced XML; `dataAsOf` is the version, the filtered list decides the list name.

    >>> # load_enhanced_xml(Path("CONS_ENHANCED.ZIP").read_bytes(), Path("CONS_ENHANCED.ZIP")).name -> 'us_ofac_cons'
    """
    digest = sha256(data)
    if data[:2] == b"PK":
        data = unzip_member(data, path)
    root = parse_xml(data, path)
    if local(root.tag) != "sanctionsData":
        raise ListFormatError(
            f"root element is {local(root.tag)}, not sanctionsData",
            path=str(path),
            element=local(root.tag),
        )
    info = _child(root, "publicationInfo")
    as_of = text(_child(info, "dataAsOf"))[:10]
    lists = " ".join(
        text(x)
        for x in (info.iter() if info is not None else ())
        if local(x.tag) == "sanctionsList"
    )
    list_name = "us_ofac_sdn" if "SDN" in lists.upper() else "us_ofac_cons"
    entities = _child(root, "entities")
    entries = [
        e for e in (_entry(x, list_name) for x in _children(entities, "entity")) if e is not None
    ]
    if not entries:
        raise ListFormatError("no entity elements", path=str(path), element="entities")
    return Watchlist(
        name=list_name,
        version=as_of or "sha256:" + digest[:16],
        entries=entries,
        sources={str(path): digest},
    )
