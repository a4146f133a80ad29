"""OpenSanctions FollowTheMoney entities as JSON lines (`entities.ftm.json`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ListFormatError
from ..models import Entry, EntryKind, Name, NameKind, Watchlist
from ..names import detect_script
from .files import content_version, json_lines, sha256

LIST_NAME = "opensanctions"
_KINDS: dict[str, EntryKind] = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "LegalEntity": "unknown",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
_NAME_PROPS: tuple[tuple[str, NameKind], ...] = (
    ("name", "aka"),
    ("alias", "aka"),
    ("weakAlias", "weak"),
    ("previousName", "fka"),
)


def _entry(obj: dict[str, Any], programs: dict[str, list[str]]) -> Entry | None:
    props: dict[str, list[str]] = obj.get("properties") or {}
    names: list[Name] = []
    caption = str(obj.get("caption") or "")
    seen: set[str] = set()
    for prop, kind in _NAME_PROPS:
        for value in props.get(prop, []):
            v = str(value).strip()
            if not v or v in seen:
                continue
            seen.add(v)
            script = detect_script(v)
            if script not in (None, "Latin"):
                names.append(Name(full=v, kind="original_script", script=script))
            else:
                names.append(
                    Name(full=v, kind="primary" if v == caption and prop == "name" else kind)
                )
    if not names:
        return None
    if all(n.kind != "primary" for n in names):
        first = next((i for i, n in enumerate(names) if n.kind == "aka"), 0)
        names[first] = Name(full=names[first].full, kind="primary", script=names[first].script)
    names.sort(key=lambda n: n.kind != "primary")
    sid = str(obj["id"])
    genders = props.get("gender", [])
    return Entry(
        list=LIST_NAME,
        source_id=sid,
        kind=_KINDS[obj["schema"]],
        names=names,
        birth_dates=list(props.get("birthDate", [])),
        nationalities=list(props.get("nationality", []) or props.get("citizenship", [])),
        gender=genders[0] if genders else None,
        programs=sorted(set(programs.get(sid, []))),
    )


def load_ftm(data: bytes, path: Path) -> Watchlist:
    """Load FtM JSON lines; programs come from the Sanction entities pointing at each target.

    >>> # load_ftm(Path("entities.ftm.json").read_bytes(), Path("entities.ftm.json")).name -> 'opensanctions'
    """
    objs: list[dict[str, Any]] = []
    for lineno, obj in json_lines(data, path):
        if not isinstance(obj, dict) or "schema" not in obj or "id" not in obj:
            raise ListFormatError(
                "not a FollowTheMoney entity (no schema or id)", path=str(path), line=lineno
            )
        objs.append(obj)
    programs: dict[str, list[str]] = {}
    for obj in objs:
        if obj["schema"] == "Sanction":
            props = obj.get("properties") or {}
            for target in props.get("entity", []):
                programs.setdefault(str(target), []).extend(
                    props.get("programId") or props.get("program") or []
                )
    entries = [
        e for e in (_entry(o, programs) for o in objs if o["schema"] in _KINDS) if e is not None
    ]
    if not entries:
        raise ListFormatError(
            "no Person, Organization, Company, LegalEntity, Vessel or Airplane entities",
            path=str(path),
        )
    changes = sorted(str(o.get("last_change") or "")[:10] for o in objs if o.get("last_change"))
    hashes = {str(path): sha256(data)}
    return Watchlist(
        name=LIST_NAME,
        version=changes[-1] if changes else content_version(hashes),
        entries=entries,
        sources=hashes,
    )
