"""OFAC legacy CSV sets: `sdn.csv` + `alt.csv` + `add.csv` + `sdn_comments.csv` (and the same
layout for the consolidated non-SDN list as `cons_prim.csv`, `cons_alt.csv` ...).

No header; `-0- ` is null; Windows-1252 with CRLF and a trailing 0x1A. Names stay as OFAC writes
them ("SURNAME, Given"). Alias and address rows whose entry is missing are counted in the
watchlist's notes, never fatal. The files state no date, so the version is a content hash.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, EntryKind, Name, NameKind, Watchlist
from .files import content_version, decode, read_bytes, sha256
from .ofac_remarks import parse_remarks

_KINDS: dict[str, EntryKind] = {
    "individual": "person",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "": "organization",
}
_ALIAS_KINDS: dict[str, NameKind] = {"aka": "aka", "fka": "fka", "nka": "aka"}
# (primary, alias, address, comments) file names for each list.
SETS = {
    "us_ofac_sdn": ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
    "us_ofac_cons": ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
}


def _null(value: str) -> str:
    v = value.strip()
    return "" if v == "-0-" else v


def _text(data: bytes, path: Path) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ListFormatError(
            "NUL byte: not an OFAC CSV (wrong encoding, such as UTF-16?)", path=str(path), line=line
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(data, path, "cp1252", "UTF-8 nor Windows-1252")


def _rows(data: bytes, path: Path, width: int) -> list[tuple[int, list[str]]]:
    text = _text(data, path).replace("\x1a", "")
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != width:
                raise ListFormatError(
                    f"expected {width} fields, found {len(row)}",
                    path=str(path),
                    line=reader.line_num,
                )
            if not row[0].strip().isdigit():
                raise ListFormatError(
                    f"the first field must be a numeric entry number, found {row[0][:20]!r}",
                    path=str(path),
                    line=reader.line_num,
                )
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise ListFormatError(
            f"malformed CSV: {exc}", path=str(path), line=reader.line_num
        ) from exc
    return out


def _dangling_note(path: Path, what: str, dangling: list[str], primary: Path) -> list[str]:
    """A note for rows whose entry is not in the primary file (tolerated, never fatal)."""
    if not dangling:
        return []
    return [
        f"{path.name}: {len(dangling)} {what} rows over {len(set(dangling))} entry numbers "
        f"name no entry of {primary.name}; skipped"
    ]


def find_set(path: Path) -> tuple[str, Path, dict[str, Path]]:
    """(list name, primary file, sibling files found) for a folder or a primary file.

    >>> find_set(Path("/nowhere/sdn.csv"))[0]
    'us_ofac_sdn'
    """
    folder = path if path.is_dir() else path.parent
    names = {p.name.lower(): p for p in folder.iterdir()} if folder.is_dir() else {}
    for list_name, (prim, alt, add, comments) in SETS.items():
        primary = path if not path.is_dir() and path.name.lower() == prim else names.get(prim)
        if primary is None:
            continue
        siblings = {
            role: names[f]
            for role, f in (("alt", alt), ("add", add), ("comments", comments))
            if f in names
        }
        return list_name, primary, siblings
    if not path.is_dir():
        return "us_ofac_sdn", path, {}
    raise ListFormatError("no sdn.csv or cons_prim.csv in this folder", path=str(path))


def load_ofac_csv(
    primary: Path,
    *,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    list_name: str = "us_ofac_sdn",
) -> Watchlist:
    """Load one OFAC CSV set; the sibling files are optional.

    >>> # load_ofac_csv(Path("sdn.csv"), alt=Path("alt.csv")).entries[0].id -> 'us_ofac_sdn:36'
    """
    hashes: dict[str, str] = {}
    notes: list[str] = []

    def read(p: Path) -> bytes:
        data = read_bytes(p)
        hashes[str(p)] = sha256(data)
        return data

    remarks_extra: dict[str, str] = {}
    if comments is not None:
        for _, row in _rows(read(comments), comments, 2):
            remarks_extra[row[0].strip()] = remarks_extra.get(row[0].strip(), "") + _null(row[1])
    records: dict[str, dict[str, object]] = {}
    for _, row in _rows(read(primary), primary, 12):
        ent = row[0].strip()
        name = _null(row[1])
        if not name:
            continue
        remarks = " ".join(x for x in (_null(row[11]), remarks_extra.get(ent, "")) if x) or None
        parsed = parse_remarks(remarks)
        names = [Name(full=name, kind="primary")]
        names.extend(Name(full=w, kind="weak") for w in parsed.weak_akas if w.strip())
        records[ent] = {
            "list": list_name,
            "source_id": ent,
            "kind": _KINDS.get(_null(row[2]).lower(), "unknown"),
            "names": names,
            "birth_dates": parsed.birth_dates,
            "nationalities": parsed.nationalities,
            "gender": parsed.gender,
            "programs": [p for p in _null(row[3]).strip("[] ").split("] [") if p],
            "remarks": remarks,
        }
    if alt is not None:
        dangling: list[str] = []
        for _, row in _rows(read(alt), alt, 5):
            rec = records.get(row[0].strip())
            name = _null(row[3])
            if rec is None:
                dangling.append(row[0].strip())
                continue
            if name:
                alias_names = rec["names"]
                assert isinstance(alias_names, list)
                alias_names.append(
                    Name(full=name, kind=_ALIAS_KINDS.get(_null(row[2]).lower(), "aka"))
                )
        notes.extend(_dangling_note(alt, "alias", dangling, primary))
    if add is not None:
        rows = _rows(read(add), add, 6)
        notes.extend(
            _dangling_note(
                add,
                "address",
                [r[0].strip() for _, r in rows if r[0].strip() not in records],
                primary,
            )
        )
    if not records:
        raise ListFormatError("no entries found", path=str(primary))
    entries = [Entry.model_validate(r) for r in records.values()]
    return Watchlist(
        name=list_name,
        version=content_version(hashes),
        entries=entries,
        sources=hashes,
        notes=notes,
    )


def load_ofac_path(path: Path) -> Watchlist:
    """Load an OFAC CSV set from its folder or from its primary file, finding the siblings.

    >>> # load_ofac_path(Path("data/ofac_sdn_2021-07-07")).name -> 'us_ofac_sdn'
    """
    list_name, primary, siblings = find_set(path)
    return load_ofac_csv(primary, list_name=list_name, **siblings)
