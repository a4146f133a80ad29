"""Sources: official list files (and the native format) to `Watchlist` objects.

`load_list(path, format=None)` detects the format from the content, not only the file name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, Watchlist
from .eu_xml import load_eu_xml
from .files import looks_utf16, read_bytes, sha256, utf16_error
from .ftm import load_ftm
from .native import parse_csv, parse_jsonl
from .ofac_csv import find_set, list_name_of, load_ofac_csv, load_ofac_path
from .ofac_xml import load_enhanced_xml
from .ofsi import load_ofsi
from .un_xml import load_un_xml

FORMATS = ("native_jsonl", "native_csv", "ofac_csv", "ofac_xml", "un_xml", "ofsi", "ftm", "eu_xml")

_BYTE_LOADERS: dict[str, Callable[[bytes, Path], Watchlist]] = {
    "native_jsonl": parse_jsonl,
    "native_csv": parse_csv,
    "ofac_xml": load_enhanced_xml,
    "un_xml": load_un_xml,
    "ofsi": load_ofsi,
    "ftm": load_ftm,
    "eu_xml": load_eu_xml,
}


def detect_format(data: bytes, path: Path) -> str:
    """The format of a list file, from its first bytes.

    >>> detect_format(b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="x">', Path("a"))
    'un_xml'
    """
    if data[:2] != b"PK" and looks_utf16(data):
        raise utf16_error(path)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head[:2] == b"PK":
        return (
            "ofsi" if b"[Content_Types].xml" in data[:2000] or b"xl/" in data[:4000] else "ofac_xml"
        )
    if head[:1] == b"<":
        if b"CONSOLIDATED_LIST" in head:
            return "un_xml"
        if b"sanctionsData" in head:
            return "ofac_xml"
        if b"<export" in head or b"fpi/fsd/export" in head:
            return "eu_xml"
        raise ListFormatError("XML with an unknown root element", path=str(path), line=1)
    if head[:1] == b"{":
        first = head.split(b"\n", 1)[0]
        return "ftm" if b'"schema"' in first else "native_jsonl"
    first_line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lower()
    if first_line.startswith("last updated") or "group id" in first_line:
        return "ofsi"
    if first_line.split(",", 1)[0].strip().strip('"').isdigit():
        return "ofac_csv"
    cols = [c.strip().strip('"') for c in first_line.split(",")]
    if "id" in cols and "name" in cols:
        return "native_csv"
    raise ListFormatError(
        "unknown list format (not OFAC, UN, OFSI, EU, FtM or native)", path=str(path), line=1
    )


def load_list(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str | None = None,
    *,
    name: str | None = None,
    require_aliases: bool = False,
) -> Watchlist:
    """Load one list file (or an OFAC CSV folder, or the files of one OFAC CSV set) as a Watchlist.

    `name` sets the list's name (and so its entries' ids, "name:source_id"): needed for an OFAC CSV
    file whose name does not say whether it holds the SDN or the consolidated list.
    `require_aliases` makes an OFAC primary file without its alias file an error (by default a
    note in `Watchlist.notes`). Duplicate entry ids in one list are an error.

    >>> wl = load_list(Path(__file__).parents[1] / "data" / "sample_list.jsonl")
    >>> wl.name, len(wl.entries) > 25
    ('sample', True)
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    if name is not None and (not isinstance(name, str) or not name.strip() or ":" in name):
        raise ValueError(f"a list name must be a non-empty string without ':', got {name!r}")
    if isinstance(path, list | tuple):
        paths = [Path(p) for p in path]
        return _check_unique(_load_ofac_files(paths, name, require_aliases), paths[0])
    assert isinstance(path, str | os.PathLike)
    p = Path(path)
    return _check_unique(_load_path(p, format, name, require_aliases), p)


def source_hashes(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str | None = None,
    *,
    name: str | None = None,
) -> dict[str, str]:
    """The sha256 of each file `load_list(path)` would read (an OFAC CSV set's siblings too),
    without parsing any: what a saved index is checked against (`Screener.load(sources=...)`).
    `name` as `load_list` takes it (an OFAC CSV file named neither sdn* nor cons* needs one).

    >>> [len(h) for h in source_hashes(Path(__file__).parents[1] / "data" / "sample_list.jsonl").values()]
    [64]
    """
    if isinstance(path, list | tuple):
        files = [Path(p) for p in path]
    else:
        assert isinstance(path, str | os.PathLike)
        p = Path(path)
        files = [p]
        if p.is_dir() or (format or detect_format(read_bytes(p)[:4096], p)) == "ofac_csv":
            _, primary, siblings = find_set(p, name)
            files = [primary, *siblings.values()]
    return {str(f): sha256(read_bytes(f)) for f in files}


def _load_path(p: Path, format: str | None, name: str | None, require_aliases: bool) -> Watchlist:
    if p.is_dir():
        return load_ofac_path(p, name, require_aliases)
    data = read_bytes(p)
    fmt = format or detect_format(data, p)
    if fmt == "ofac_csv":
        return load_ofac_path(p, name, require_aliases)
    return _renamed(_BYTE_LOADERS[fmt](data, p), name)


def _renamed(wl: Watchlist, name: str | None) -> Watchlist:
    """The list under another name; its entries' ids follow."""
    if name is None or name == wl.name:
        return wl
    entries = [
        Entry.model_validate({**e.model_dump(exclude={"id"}), "list": name}) for e in wl.entries
    ]
    return wl.model_copy(update={"name": name, "entries": entries})


def _check_unique(wl: Watchlist, path: Path) -> Watchlist:
    """ListFormatError when two entries of one list share an id: one would hide the other."""
    seen: set[str] = set()
    for e in wl.entries:
        if e.id in seen:
            count = sum(1 for x in wl.entries if x.id == e.id)
            raise ListFormatError(f"entry id {e.id} appears {count} times", path=str(path))
        seen.add(e.id)
    return wl


def _load_ofac_files(paths: list[Path], name: str | None, require_aliases: bool) -> Watchlist:
    """One OFAC CSV set given file by file (e.g. a 2024 sdn.csv with 2025 alt.csv)."""
    roles: dict[str, Path] = {}
    for p in paths:
        n = p.name.lower()
        role = (
            "comments"
            if "comments" in n
            else "alt"
            if "alt" in n
            else "add"
            if "add" in n
            else "primary"
        )
        if role in roles:
            raise ListFormatError(
                f"two {role} files given ({roles[role].name}, {p.name})", path=str(p)
            )
        roles[role] = p
    if "primary" not in roles:
        raise ListFormatError(
            "no primary file (sdn.csv or cons_prim.csv) among the files given", path=str(paths[0])
        )
    primary = roles.pop("primary")
    return load_ofac_csv(
        primary,
        list_name=list_name_of(primary, name),
        require_aliases=require_aliases,
        **roles,
    )


__all__ = ["FORMATS", "detect_format", "load_list", "source_hashes"]
