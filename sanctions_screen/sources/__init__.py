"""Sources: official list files (and the native format) to `Watchlist` objects.

`load_list(path, format=None)` detects the format from the content, not only the file name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ListFormatError
from ..models import Watchlist
from .eu_xml import load_eu_xml
from .files import read_bytes
from .ftm import load_ftm
from .native import parse_csv, parse_jsonl
from .ofac_csv import load_ofac_csv, load_ofac_path
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
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], format: str | None = None
) -> Watchlist:
    """Load one list file (or an OFAC CSV folder, or the files of one OFAC CSV set) as a Watchlist.

    >>> wl = load_list(Path(__file__).parents[1] / "data" / "sample_list.jsonl")
    >>> wl.name, len(wl.entries) > 25
    ('sample', True)
    """
    if isinstance(path, list | tuple):
        return _load_ofac_files([Path(p) for p in path])
    assert isinstance(path, str | os.PathLike)
    p = Path(path)
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    if p.is_dir():
        return load_ofac_path(p)
    data = read_bytes(p)
    fmt = format or detect_format(data, p)
    if fmt == "ofac_csv":
        return load_ofac_path(p)
    return _BYTE_LOADERS[fmt](data, p)


def _load_ofac_files(paths: list[Path]) -> Watchlist:
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
    list_name = "us_ofac_cons" if primary.name.lower().startswith("cons") else "us_ofac_sdn"
    return load_ofac_csv(primary, list_name=list_name, **roles)


__all__ = ["FORMATS", "detect_format", "load_list"]
