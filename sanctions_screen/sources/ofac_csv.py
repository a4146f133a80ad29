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
from .files import content_version, decode, looks_utf16, read_bytes, sha256, utf16_error
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
    if looks_utf16(data):
        raise utf16_error(path)
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
    """(line, fields) of each record; ListFormatError for a record cut short or malformed.

    Strict quoting: a quoted field that runs to the end of the file is a truncated file, not a
    field holding the rest of it.
    """
    text = _text(data, path).replace("\x1a", "")
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), strict=True)
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
            f"malformed CSV (a truncated file?): {exc}", path=str(path), line=reader.line_num
        ) from exc
    if text.strip() and not text.rstrip(" ").endswith("\n"):
        raise ListFormatError(
            "the last record has no line end: the file is cut off mid-record",
            path=str(path),
            line=reader.line_num,
        )
    return out


def _end_marker_note(data: bytes, path: Path, records: int) -> list[str]:
    """A warning for a file without the end-of-file byte (0x1A) OFAC ends its CSV files with: a
    file cut at a line end looks whole to a CSV reader, and this byte is the one sign it is not."""
    if b"\x1a" in data[-4:]:
        return []
    return [
        f"{path.name}: no end-of-file marker (0x1A), which OFAC writes at the end of its CSV "
        f"files: the file may be truncated ({records} records read)"
    ]


def _dangling_note(path: Path, what: str, dangling: list[str], primary: Path) -> list[str]:
    """A note for rows whose entry is not in the primary file (tolerated, never fatal)."""
    if not dangling:
        return []
    return [
        f"{path.name}: {len(dangling)} {what} rows over {len(set(dangling))} entry numbers "
        f"name no entry of {primary.name}; skipped"
    ]


def list_name_of(primary: Path, name: str | None = None) -> str:
    """Which OFAC list a primary file holds: `name` when given, else from the file name (sdn.csv,
    cons_prim.csv); the content cannot tell the two lists apart, so another file name is an error.

    >>> list_name_of(Path("cons_prim.csv")), list_name_of(Path("c.csv"), "us_ofac_cons")
    ('us_ofac_cons', 'us_ofac_cons')
    """
    if name:
        return name
    n = primary.name.lower()
    if n.startswith("cons"):
        return "us_ofac_cons"
    if n.startswith("sdn"):
        return "us_ofac_sdn"
    raise ListFormatError(
        "an OFAC CSV file whose name is neither sdn*.csv nor cons*.csv: its content cannot tell "
        "the SDN list from the consolidated (non-SDN) list, so name it: "
        "load_list(..., name='us_ofac_sdn') or --list-name us_ofac_sdn (or us_ofac_cons)",
        path=str(primary),
    )


def find_set(path: Path, name: str | None = None) -> tuple[str, Path, dict[str, Path]]:
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
        return name or list_name, primary, siblings
    if not path.is_dir():
        return list_name_of(path, name), path, {}
    raise ListFormatError("no sdn.csv or cons_prim.csv in this folder", path=str(path))


def load_ofac_csv(
    primary: Path,
    *,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    list_name: str = "us_ofac_sdn",
    require_aliases: bool = False,
) -> Watchlist:
    """Load one OFAC CSV set; the sibling files are optional, but without the alias file a note
    says that names known only by an alias will be missed (`require_aliases`: an error).

    >>> # load_ofac_csv(Path("sdn.csv"), alt=Path("alt.csv")).entries[0].id -> 'us_ofac_sdn:36'
    """
    hashes: dict[str, str] = {}
    notes: list[str] = []

    def read(p: Path, width: int) -> list[tuple[int, list[str]]]:
        data = read_bytes(p)
        hashes[str(p)] = sha256(data)
        rows = _rows(data, p, width)
        notes.extend(_end_marker_note(data, p, len(rows)))
        return rows

    if alt is None:
        alias_file = SETS.get(list_name, SETS["us_ofac_sdn"])[1]
        missing = (
            f"{primary.name} loaded without its alias file ({alias_file}): "
            "OFAC keeps strong a.k.a.s only there, so a name known by an alias will not hit; "
            "load the folder, or the files together"
        )
        if require_aliases:
            raise ListFormatError(missing, path=str(primary))
        notes.append(missing)
    remarks_extra: dict[str, str] = {}
    if comments is not None:
        for _, row in read(comments, 2):
            remarks_extra[row[0].strip()] = remarks_extra.get(row[0].strip(), "") + _null(row[1])
    records: dict[str, dict[str, object]] = {}
    first_line: dict[str, int] = {}
    for line, row in read(primary, 12):
        ent = row[0].strip()
        if ent in first_line:
            raise ListFormatError(
                f"entry number {ent} appears twice (lines {first_line[ent]} and {line})",
                path=str(primary),
                line=line,
            )
        first_line[ent] = line
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
        for _, row in read(alt, 5):
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
        rows = read(add, 6)
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


def load_ofac_path(path: Path, name: str | None = None, require_aliases: bool = False) -> Watchlist:
    """Load an OFAC CSV set from its folder or from its primary file, finding the siblings.

    >>> # load_ofac_path(Path("data/ofac_sdn_2021-07-07")).name -> 'us_ofac_sdn'
    """
    list_name, primary, siblings = find_set(path, name)
    return load_ofac_csv(primary, list_name=list_name, require_aliases=require_aliases, **siblings)
